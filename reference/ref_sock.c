/* The socket-like API (see ref_sock.h): socket numbers, binding, the
 * user calls of §3.10.1-§3.10.5 (OPEN, SEND, RECEIVE, CLOSE, ABORT),
 * options, readiness. */
#include <errno.h>
#include <string.h>

#include "reference/ref_internal.h"


/* Every verb first brings the stack's timers up to `now`. */
static uint64_t enter(struct ref_stack *st, uint64_t now)
{
	if (now < st->now)
		now = st->now;
	ref_stack_advance(st, now);
	return now;
}

static size_t alen(uint8_t family) { return family == SEG_IPV6 ? 16 : 4; }

static bool is_any(uint8_t family, const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, alen(family)) == 0;
}

static bool overlap(uint8_t family, const uint8_t *a, const uint8_t *b)
{
	return is_any(family, a) || is_any(family, b) || memcmp(a, b, alen(family)) == 0;
}

/* ---- ports ---------------------------------------------------------------------- */

/* Would `s` binding (addr, port) clash with another socket? Sharing needs
 * SO_REUSEADDR on both, and never with a listener. */
static bool port_conflict(const struct ref_stack *st, const struct ref_sock *s,
			  const uint8_t *addr, uint16_t port)
{
	unsigned i;

	for (i = 0; i < st->hi; i++) {
		const struct ref_sock *o = &st->socks[i];

		if (!o->used || o == s || !o->bound || o->family != s->family || o->lport != port ||
		    !overlap(s->family, o->laddr, addr))
			continue;
		if (!(s->reuseaddr && o->reuseaddr) || o->state == REF_LISTEN)
			return true;
	}
	return false;
}

static uint16_t ephemeral_port(struct ref_stack *st, const struct ref_sock *s,
			       const uint8_t *addr)
{
	unsigned span = (unsigned)st->cfg.ephemeral_hi - st->cfg.ephemeral_lo + 1, i;

	for (i = 0; i < span; i++) {
		uint16_t p = st->next_port;

		st->next_port = p >= st->cfg.ephemeral_hi ? st->cfg.ephemeral_lo
							   : (uint16_t)(p + 1);
		if (!port_conflict(st, s, addr, p))
			return p;
	}
	return 0;
}

/* ---- socket / bind / listen / accept ----------------------------------------------- */

int ref_socket(struct ref_stack *st, int family, uint64_t now)
{
	struct ref_sock *s;
	int fd;

	if (family != SEG_IPV4 && family != SEG_IPV6)
		return -EAFNOSUPPORT;
	enter(st, now);
	s = ref__slot_alloc(st);
	if (s == NULL)
		return -EMFILE;
	s->family = (uint8_t)family;
	fd = ref__fd_alloc(st, s);
	if (fd < 0)
		ref__slot_free(st, s);
	return fd;
}

int ref_bind(struct ref_stack *st, int fd, const struct ref_sockaddr *a, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	uint16_t port;

	enter(st, now);
	if (s == NULL)
		return -EBADF;
	if (a == NULL)
		return -EINVAL;
	if (a->family != s->family)
		return -EAFNOSUPPORT;
	if (s->bound || s->state != REF_CLOSED)
		return -EINVAL;
	if (!is_any(s->family, a->addr) && !ref__addr_is_local(st, s->family, a->addr))
		return -EADDRNOTAVAIL; /* MUST-43: one of ours */
	port = a->port ? a->port : ephemeral_port(st, s, a->addr);
	if (port == 0 || port_conflict(st, s, a->addr, port))
		return -EADDRINUSE;
	memcpy(s->laddr, a->addr, sizeof(s->laddr));
	s->lport = port;
	s->bound = true;
	return 0;
}

static bool listener_clash(const struct ref_stack *st, const struct ref_sock *s)
{
	unsigned i;

	for (i = 0; i < st->hi; i++) {
		const struct ref_sock *o = &st->socks[i];

		if (o->used && o != s && o->state == REF_LISTEN && o->family == s->family &&
		    o->lport == s->lport && overlap(s->family, o->laddr, s->laddr))
			return true;
	}
	return false;
}

int ref_listen(struct ref_stack *st, int fd, int backlog, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	unsigned max = st->prof->max_backlog ? st->prof->max_backlog : 1;
	unsigned b = backlog < 0 ? max : (unsigned)backlog;

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	b = b > max ? max : (b < 1 ? 1 : b);
	if (s->state == REF_LISTEN) {
		s->backlog = b;
		return 0;
	}
	if (s->state != REF_CLOSED || s->ever_connected || s->connecting)
		return -EINVAL;
	if (!s->bound) {
		s->lport = ephemeral_port(st, s, s->laddr);
		if (s->lport == 0)
			return -EADDRINUSE;
		s->bound = true;
	}
	if (listener_clash(st, s))
		return -EADDRINUSE; /* MUST-41: nothing else is disturbed */
	s->backlog = b;
	ref__set_state(st, s, REF_LISTEN, REF_R_NONE);
	return 0;
}

static void fill_addr(uint8_t family, const uint8_t *a, uint16_t port, struct ref_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	memcpy(out->addr, a, alen(family));
	out->port = port;
}

int ref_accept(struct ref_stack *st, int fd, struct ref_sockaddr *peer, uint64_t now)
{
	struct ref_sock *l = ref__sock_by_fd(st, fd), *c;
	int nfd;

	enter(st, now);
	if (l == NULL)
		return -EBADF;
	if (l->state != REF_LISTEN)
		return -EINVAL;
	if (l->acc_head < 0)
		return -EAGAIN;
	c = &st->socks[l->acc_head];
	nfd = ref__fd_alloc(st, c);
	if (nfd < 0)
		return nfd;
	l->acc_head = c->acc_next;
	if (l->acc_tail == (int)c->idx)
		l->acc_tail = -1;
	c->acc_next = -1;
	c->in_accept_queue = false;
	c->listener = -1;
	c->ever_connected = true;
	if (l->pending > 0)
		l->pending--;
	if (peer)
		fill_addr(c->family, c->raddr, c->rport, peer);
	return nfd;
}

/* ---- connect (active OPEN, §3.10.1) ------------------------------------------------- */

static int connect_state_check(struct ref_sock *s)
{
	int err;

	switch (s->state) {
	case REF_CLOSED:
		if (s->connecting) { /* the last attempt failed: report it once */
			err = s->so_error ? s->so_error : ECONNABORTED;
			s->so_error = 0;
			s->connecting = false;
			return -err;
		}
		return s->ever_connected ? -EISCONN : 0;
	case REF_SYN_SENT:
	case REF_SYN_RECEIVED:
		return -EALREADY;
	default:
		return -EISCONN; /* connection already exists */
	}
}

/* MUST-44: a local address of the family, chosen before the first SYN. */
static int pick_local(struct ref_stack *st, struct ref_sock *s, const struct ref_sockaddr *a)
{
	unsigned i;

	if (!s->bound || is_any(s->family, s->laddr)) {
		for (i = 0; i < st->cfg.naddrs; i++)
			if (st->cfg.addrs[i].family == s->family)
				break;
		if (i == st->cfg.naddrs)
			return -EADDRNOTAVAIL;
		memcpy(s->laddr, st->cfg.addrs[i].addr, sizeof(s->laddr));
	}
	if (!s->bound) {
		s->lport = ephemeral_port(st, s, s->laddr);
		if (s->lport == 0)
			return -EADDRNOTAVAIL;
		s->bound = true;
	}
	if (ref__find_conn(st, s->family, s->laddr, s->lport, a->addr, a->port))
		return -EADDRNOTAVAIL; /* the 4-tuple is taken (TIME-WAIT, ...) */
	return 0;
}

int ref_connect(struct ref_stack *st, int fd, const struct ref_sockaddr *a, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	int err;

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	if (a == NULL)
		return -EINVAL;
	if (s->state == REF_LISTEN)
		return -EISCONN;
	if (a->family != s->family)
		return -EAFNOSUPPORT;
	err = connect_state_check(s);
	if (err)
		return err;
	if (ref__addr_bad_dst(st, s->family, a->addr))
		return -ENETUNREACH; /* MUST-46: broadcast, multicast, unspecified */
	err = pick_local(st, s, a);
	if (err)
		return err;
	memcpy(s->raddr, a->addr, sizeof(s->raddr));
	s->rport = a->port;
	s->shut_rd = s->shut_wr = s->rcv_done = false;
	s->so_error = s->soft_error = 0;
	if (ref__tcb_create(st, s, now) != 0)
		return -ENOBUFS;
	s->tcb.passive = false;
	s->connecting = true;
	ref__set_state(st, s, REF_SYN_SENT, REF_R_OPEN_SYN);
	ref__send_syn(st, s, false, REF_R_OPEN_SYN, now); /* <SEQ=ISS><CTL=SYN> */
	return -EINPROGRESS;
}

/* ---- send (§3.10.2) ---------------------------------------------------------------------- */

static long send_state_check(struct ref_sock *s)
{
	int err = s->so_error;

	if (err) { /* a pending error is reported first, once */
		s->so_error = 0;
		return -err;
	}
	switch (s->state) {
	case REF_ESTABLISHED:
	case REF_CLOSE_WAIT:
		return s->shut_wr ? -EPIPE : 0;
	case REF_SYN_SENT:
	case REF_SYN_RECEIVED:
		return -EAGAIN; /* queued after ESTABLISHED: a blocking caller waits */
	case REF_LISTEN:
		return -ENOTCONN;
	case REF_CLOSED:
		return s->ever_connected || s->shut_wr ? -EPIPE : -ENOTCONN;
	default:
		return -EPIPE; /* "connection closing" */
	}
}

long ref_send(struct ref_stack *st, int fd, const void *buf, size_t len, int flags,
	      uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	struct ref_tcb *t;
	uint32_t n;
	long err;

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	if ((buf == NULL && len > 0) || (flags & ~REF_MSG_OOB))
		return -EINVAL;
	err = send_state_check(s);
	if (err)
		return err;
	if (len == 0)
		return 0;
	t = &s->tcb;
	n = ref__ring_push(&t->sndq, buf, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len);
	if (n == 0)
		return -EAGAIN;
	if (flags & REF_MSG_OOB) { /* SND.UP: after the last octet (MUST-62) */
		t->snd_up = ref__snd_data_seq(t) + t->sndq.len;
		t->snd_urgent = true;
	}
	ref__output(st, s, now, UINT32_MAX);
	return (long)n;
}

/* ---- recv (§3.10.3) ----------------------------------------------------------------------- */

/* Copy in-order data, stopping at the urgent mark; the urgent octet itself
 * is skipped unless SO_OOBINLINE (the BSD / Linux reading of RFC 6093). */
static uint32_t copy_data(struct ref_sock *s, uint8_t *buf, uint32_t len, bool peek)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t avail = t->rcvq.len, read_seq = t->rcv_nxt - avail, skip = 0, n;
	bool mark = t->urg == REF_URG_VALID || t->urg == REF_URG_READ;

	if (mark && t->urg_seq == read_seq && !s->oobinline)
		skip = 1;
	else if (mark && seq_gt(t->urg_seq, read_seq) && t->urg_seq - read_seq < len)
		len = t->urg_seq - read_seq; /* stop before the mark */
	n = avail - skip < len ? avail - skip : len;
	ref__ring_peek(&t->rcvq, skip, buf, n);
	if (!peek) {
		ref__ring_drop(&t->rcvq, skip + n);
		if (t->urg != REF_URG_NONE && seq_lt(t->urg_seq, read_seq + skip + n))
			t->urg = REF_URG_NONE; /* the mark is behind us */
	}
	return n;
}

static long recv_oob(struct ref_sock *s, uint8_t *buf, size_t len, bool peek)
{
	struct ref_tcb *t = &s->tcb;

	if (s->oobinline || !s->have_tcb || t->urg == REF_URG_NONE || t->urg == REF_URG_READ)
		return -EINVAL;
	if (t->urg == REF_URG_VALID) {
		if (len == 0)
			return 0;
		buf[0] = t->urg_byte;
		if (!peek)
			t->urg = REF_URG_READ;
		return 1;
	}
	if (s->state == REF_CLOSED || s->rcv_done || s->shut_rd)
		return 0;
	return -EAGAIN;
}

static long recv_nothing(struct ref_sock *s)
{
	int err = s->so_error;

	if (s->rcv_done)
		return 0; /* the peer's FIN: end of data (MUST-12) */
	if (err) {
		s->so_error = 0;
		return -err;
	}
	if (s->shut_rd)
		return 0;
	if (s->state == REF_CLOSED)
		return s->ever_connected ? 0 : -ENOTCONN;
	return -EAGAIN;
}

long ref_recv(struct ref_stack *st, int fd, void *buf, size_t len, int flags, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	bool peek = (flags & REF_MSG_PEEK) != 0;
	uint32_t n;

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	if ((buf == NULL && len > 0) || (flags & ~(REF_MSG_OOB | REF_MSG_PEEK)))
		return -EINVAL;
	if (s->state == REF_LISTEN)
		return -ENOTCONN;
	if (flags & REF_MSG_OOB)
		return recv_oob(s, buf, len, peek);
	if (!s->have_tcb || len == 0)
		return len == 0 && s->have_tcb ? 0 : recv_nothing(s);
	n = copy_data(s, buf, len > UINT32_MAX ? UINT32_MAX : (uint32_t)len, peek);
	if (!peek && ref__window_update_due(st, s)) { /* MUST-39 */
		ref__ack_now(st, s, REF_R_WINDOW_UPDATE);
		ref__flush(st, now);
	}
	return n ? (long)n : recv_nothing(s);
}

/* ---- shutdown, close, abort (§3.10.4, §3.10.5) ------------------------------------------- */

/* The RFC's CLOSE of the sending direction: a FIN after the queued data. */
static void close_send(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	s->shut_wr = true;
	switch (s->state) {
	case REF_SYN_RECEIVED: /* the FIN follows once our SYN is acknowledged */
	case REF_ESTABLISHED:
		s->tcb.fin_queued = true;
		ref__set_state(st, s, REF_FIN_WAIT_1, REF_R_USER_CLOSE);
		break;
	case REF_CLOSE_WAIT:
		s->tcb.fin_queued = true;
		ref__set_state(st, s, REF_LAST_ACK, REF_R_USER_CLOSE);
		break;
	default:
		return; /* FIN already queued: a second one is never sent */
	}
	ref__output(st, s, now, UINT32_MAX);
}

int ref_shutdown(struct ref_stack *st, int fd, int how, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	if (how != REF_SHUT_RD && how != REF_SHUT_WR && how != REF_SHUT_RDWR)
		return -EINVAL;
	switch (s->state) {
	case REF_CLOSED:
		return -ENOTCONN;
	case REF_LISTEN:
		if (how != REF_SHUT_WR) {
			ref__listener_stop(st, s, now);
			ref__set_state(st, s, REF_CLOSED, REF_R_CLOSE_LISTEN);
		}
		return 0;
	case REF_SYN_SENT:
		s->connecting = false;
		s->shut_rd = s->shut_wr = true;
		ref__conn_closed(st, s, REF_R_CLOSE_SYN_SENT);
		return 0;
	default:
		break;
	}
	if (how != REF_SHUT_WR && !s->shut_rd) {
		s->shut_rd = true;
		ref__event(st, REF_EV_NOTE, REF_R_USER_SHUTDOWN_READ, s, 0);
	}
	if (how != REF_SHUT_RD && !s->shut_wr)
		close_send(st, s, now);
	return 0;
}

static bool rst_state(const struct ref_sock *s)
{
	return s->state >= REF_SYN_RECEIVED && s->state <= REF_CLOSE_WAIT;
}

int ref_close(struct ref_stack *st, int fd, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	ref__fd_release(st, s);
	s->user_closed = true;
	switch (s->state) {
	case REF_CLOSED:
		ref__slot_free(st, s);
		return 0;
	case REF_LISTEN:
		ref__listener_stop(st, s, now);
		ref__set_state(st, s, REF_CLOSED, REF_R_CLOSE_LISTEN);
		ref__slot_free(st, s);
		return 0;
	case REF_SYN_SENT:
		ref__conn_closed(st, s, REF_R_CLOSE_SYN_SENT);
		return 0;
	default:
		break;
	}
	if (s->linger.onoff && s->linger.linger == 0)
		ref__abort(st, s, rst_state(s), 0, REF_R_CLOSE_LINGER_ZERO, now);
	else if (s->tcb.rcvq.len > 0 && st->prof->rst_on_close_unread && rst_state(s))
		ref__abort(st, s, true, 0, REF_R_CLOSE_UNREAD_RST, now); /* SHLD-3 */
	else {
		s->shut_rd = true; /* MAY-1: a half-duplex close */
		close_send(st, s, now);
		ref__fin_wait_2_arm(st, s, now);
	}
	return 0;
}

int ref_abort(struct ref_stack *st, int fd, uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);

	now = enter(st, now);
	if (s == NULL)
		return -EBADF;
	s->connecting = false;
	switch (s->state) {
	case REF_CLOSED:
		return 0;
	case REF_LISTEN:
		ref__listener_stop(st, s, now);
		ref__set_state(st, s, REF_CLOSED, REF_R_ABORT_SILENT);
		return 0;
	default:
		if (rst_state(s))
			ref__abort(st, s, true, 0, REF_R_ABORT_RST, now);
		else
			ref__abort(st, s, false, 0, REF_R_ABORT_SILENT, now);
		return 0;
	}
}
