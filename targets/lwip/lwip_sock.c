/* Socket verbs over lwIP's raw API: the descriptor table described in
 * lwip_stack.h. Entered only through lws_call / lws_finish (guarded). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <lwip/ip.h>
#include <lwip/pbuf.h>
#include <lwip/priv/tcp_priv.h>
#include <lwip/tcp.h>

#include "targets/lwip/lwip_int.h"

#define FD_BASE		 3 /* descriptors start where a process's would */
#define MAX_SOCKS	 64
#define ACCEPT_Q	 64
#define RBUF_CAP	 (1u << 20) /* the most one recv() returns */
#define MSG_DONTWAIT_BIT 0x40

struct lsock {
	bool used;
	bool hidden; /* a connection waiting in an accept queue */
	bool listening;
	bool nonblock;
	bool connecting; /* connect() sent the SYN */
	bool connected;	 /* reached ESTABLISHED at some point */
	bool fin;	 /* the peer's FIN arrived */
	bool rd_shut, wr_shut;
	bool reset; /* ended by a RST */
	bool nodelay;
	bool linger_on;
	int linger;
	int err;	     /* pending SO_ERROR, errno */
	int fatal;	     /* the error reads and writes report, errno */
	struct tcp_pcb *pcb; /* NULL once lwIP freed it (err callback) */
	struct pbuf *rq;     /* received, not read yet */
	int aq[ACCEPT_Q];    /* listen: indexes of connections to accept */
	size_t aq_head, aq_len;
};

static struct lsock socks[MAX_SOCKS];

/* The verb waiting for lws_finish. */
static struct {
	bool active;
	struct tgt_call call;
	uint8_t *data; /* send: a copy of the bytes */
	size_t sent;
	char flags[64];
} pend;

static uint8_t *rbuf;

/* ---- the table ------------------------------------------------------------------ */

static struct lsock *sock_of(int fd)
{
	int i = fd - FD_BASE;
	if (i < 0 || i >= MAX_SOCKS || !socks[i].used || socks[i].hidden)
		return NULL;
	return &socks[i];
}

static int sock_alloc(void)
{
	int i;
	for (i = 0; i < MAX_SOCKS; i++)
		if (!socks[i].used) {
			memset(&socks[i], 0, sizeof socks[i]);
			socks[i].used = true;
			socks[i].nodelay = lws_g.cfg.nodelay;
			return i;
		}
	return -1;
}

static void sock_release(struct lsock *s)
{
	if (s->rq)
		pbuf_free(s->rq);
	memset(s, 0, sizeof *s);
}

/* ---- callbacks ---------------------------------------------------------------------- */

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct lsock *s = arg;
	(void)pcb;
	if (!s) {
		if (p)
			pbuf_free(p);
		return ERR_OK;
	}
	if (!p) {
		s->fin = true;
		return ERR_OK;
	}
	if (err != ERR_OK) {
		pbuf_free(p);
		return ERR_OK;
	}
	if (s->rq)
		pbuf_cat(s->rq, p);
	else
		s->rq = p;
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	struct lsock *s = arg;
	if (!s)
		return;
	s->pcb = NULL; /* lwIP has freed it */
	if (err == ERR_RST) {
		s->fatal = s->connecting ? ECONNREFUSED : ECONNRESET;
		s->reset = true;
	} else if (err == ERR_ABRT) {
		s->fatal = ETIMEDOUT; /* lwIP's timers gave up (we never abort a live socket) */
	} else {
		s->fatal = ECONNABORTED;
	}
	s->err = s->fatal;
	s->connecting = false;
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct lsock *s = arg;
	(void)pcb;
	(void)err;
	if (s) {
		s->connecting = false;
		s->connected = true;
	}
	return ERR_OK;
}

static void attach(struct lsock *s, struct tcp_pcb *pcb)
{
	s->pcb = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_err(pcb, on_err);
	if (s->nodelay)
		tcp_nagle_disable(pcb);
	else
		tcp_nagle_enable(pcb);
}

static err_t on_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
	struct lsock *l = arg;
	struct lsock *s;
	int i;
	if (err != ERR_OK || !newpcb || !l || l->aq_len == ACCEPT_Q)
		return ERR_VAL;
	i = sock_alloc();
	if (i < 0)
		return ERR_MEM; /* lwIP aborts the connection */
	s = &socks[i];
	s->hidden = true;
	s->connected = true;
	s->nodelay = l->nodelay;
	attach(s, newpcb);
	tcp_backlog_delayed(newpcb);
	l->aq[(l->aq_head + l->aq_len) % ACCEPT_Q] = i;
	l->aq_len++;
	return ERR_OK;
}

/* ---- helpers -------------------------------------------------------------------------- */

static int msg_flags(const char *text)
{
	int f = 0;
	if (!text)
		return 0;
	if (strstr(text, "MSG_PEEK"))
		f |= MSG_PEEK;
	if (strstr(text, "MSG_OOB"))
		f |= MSG_OOB;
	if (strstr(text, "MSG_DONTWAIT"))
		f |= MSG_DONTWAIT_BIT;
	return f;
}

static size_t rq_len(const struct lsock *s)
{
	return s->rq ? s->rq->tot_len : 0;
}

/* Tell lwIP the application took `n` bytes: the window opens. */
static void recved(struct lsock *s, size_t n)
{
	while (s->pcb && n > 0) {
		u16_t k = n > 0xffff ? 0xffff : (u16_t)n;
		tcp_recved(s->pcb, k);
		n -= k;
	}
}

/* ---- verbs ------------------------------------------------------------------------------ */

static int64_t verb_socket(const struct tgt_call *c)
{
	int fam = c->domain == AF_INET6 ? 6 : 4;
	struct tcp_pcb *pcb;
	int i;
	if (fam != lws_g.cfg.family)
		return -EAFNOSUPPORT; /* IPv4-mapped sockets are not modelled */
	if (c->type != SOCK_STREAM && (c->type & ~SOCK_NONBLOCK) != SOCK_STREAM)
		return -EPROTONOSUPPORT;
	i = sock_alloc();
	if (i < 0)
		return -EMFILE;
	pcb = tcp_new_ip_type(fam == 6 ? IPADDR_TYPE_V6 : IPADDR_TYPE_V4);
	if (!pcb) {
		socks[i].used = false;
		return -ENOMEM;
	}
	attach(&socks[i], pcb);
	socks[i].nonblock = (c->type & SOCK_NONBLOCK) != 0;
	return FD_BASE + i;
}

static int64_t lwip_errno(err_t e)
{
	switch (e) {
	case ERR_OK:
		return 0;
	case ERR_MEM:
		return -ENOMEM;
	case ERR_BUF:
		return -ENOBUFS;
	case ERR_TIMEOUT:
		return -ETIMEDOUT;
	case ERR_RTE:
		return -EHOSTUNREACH;
	case ERR_INPROGRESS:
		return -EINPROGRESS;
	case ERR_VAL:
		return -EINVAL;
	case ERR_WOULDBLOCK:
		return -EAGAIN;
	case ERR_USE:
		return -EADDRINUSE;
	case ERR_ALREADY:
		return -EALREADY;
	case ERR_ISCONN:
		return -EISCONN;
	case ERR_CONN:
		return -ENOTCONN;
	case ERR_IF:
		return -ENETDOWN;
	case ERR_ABRT:
		return -ECONNABORTED;
	case ERR_RST:
		return -ECONNRESET;
	case ERR_CLSD:
		return -ENOTCONN;
	case ERR_ARG:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static int64_t verb_bind(struct lsock *s, const struct tgt_call *c)
{
	if (!s->pcb || s->listening || s->pcb->local_port != 0)
		return -EINVAL;
	return lwip_errno(tcp_bind(s->pcb, &lws_g.local_ip, c->port));
}

static int64_t verb_listen(struct lsock *s, const struct tgt_call *c)
{
	struct tcp_pcb *l;
	err_t e = ERR_OK;
	int backlog = c->backlog < 0 ? 0 : c->backlog > 255 ? 255 : c->backlog;
	if (s->listening)
		return 0;
	if (!s->pcb || s->pcb->state != CLOSED)
		return -EINVAL;
	if (s->pcb->local_port == 0) {
		e = tcp_bind(s->pcb, &lws_g.local_ip, 0);
		if (e != ERR_OK)
			return lwip_errno(e);
	}
	l = tcp_listen_with_backlog_and_err(s->pcb, (u8_t)backlog, &e);
	if (!l)
		return lwip_errno(e);
	s->pcb = l; /* the old pcb is freed by lwIP */
	s->listening = true;
	tcp_arg(l, s);
	tcp_accept(l, on_accept);
	return 0;
}

static int64_t verb_accept(struct lsock *l)
{
	struct lsock *s;
	if (!l->listening)
		return -EINVAL;
	if (l->aq_len == 0)
		return -EAGAIN;
	s = &socks[l->aq[l->aq_head]];
	l->aq_head = (l->aq_head + 1) % ACCEPT_Q;
	l->aq_len--;
	s->hidden = false;
	if (s->pcb)
		tcp_backlog_accepted(s->pcb);
	return FD_BASE + (s - socks);
}

static int64_t verb_connect(struct lsock *s, const struct tgt_call *c)
{
	err_t e;
	if (s->listening)
		return -EISCONN;
	if (s->connected)
		return s->pcb ? -EISCONN : -(int64_t)(s->fatal ? s->fatal : ECONNABORTED);
	if (s->connecting)
		return -EALREADY;
	if (!s->pcb) {
		int err = s->err;
		s->err = 0;
		return err ? -err : -EINVAL;
	}
	e = tcp_connect(s->pcb, &lws_g.remote_ip, c->port, on_connected);
	if (e != ERR_OK)
		return lwip_errno(e);
	s->connecting = true;
	return -EINPROGRESS;
}

/* Queue what fits of `len` bytes; the count, or a negative errno. */
static int64_t verb_send(struct lsock *s, const uint8_t *data, size_t len)
{
	size_t room;
	err_t e;
	if (s->listening)
		return -ENOTCONN;
	if (s->wr_shut)
		return -EPIPE;
	if (!s->pcb) {
		int f = s->fatal;
		if (!s->connected && !f)
			return -ENOTCONN;
		s->fatal = 0;
		s->err = 0;
		return f == ECONNRESET ? -ECONNRESET : -EPIPE;
	}
	if (s->pcb->state == SYN_SENT || s->pcb->state == SYN_RCVD)
		return -EAGAIN;
	if (s->pcb->state == CLOSED)
		return -ENOTCONN;
	if (s->pcb->state != ESTABLISHED && s->pcb->state != CLOSE_WAIT)
		return -EPIPE;
	if (len == 0)
		return 0;
	room = tcp_sndbuf(s->pcb);
	if (room > len)
		room = len;
	while (room > 0) {
		e = tcp_write(s->pcb, data, (u16_t)room, TCP_WRITE_FLAG_COPY);
		if (e == ERR_OK)
			break;
		if (e != ERR_MEM)
			return lwip_errno(e);
		room /= 2; /* the segment queue is full: try less */
	}
	if (room == 0)
		return -EAGAIN;
	tcp_output(s->pcb);
	return (int64_t)room;
}

static int64_t verb_recv(struct lsock *s, const struct tgt_call *c, struct tgt_result *res)
{
	int flags = msg_flags(c->flags);
	size_t n = c->len < RBUF_CAP ? c->len : RBUF_CAP;
	if (s->listening)
		return -ENOTCONN;
	if (flags & MSG_OOB)
		return -EINVAL; /* lwIP 2.1.3 has no urgent data: it reads URG data inline */
	if (n > rq_len(s))
		n = rq_len(s);
	if (n > 0 && !s->rd_shut) {
		if (!rbuf && !(rbuf = malloc(RBUF_CAP)))
			return -ENOMEM;
		pbuf_copy_partial(s->rq, rbuf, (u16_t)(n > 0xffff ? 0xffff : n), 0);
		if (n > 0xffff)
			n = 0xffff; /* lwIP's pbufs count in 16 bits: one chunk a call */
		res->data = rbuf;
		res->data_len = n;
		if (!(flags & MSG_PEEK)) {
			s->rq = pbuf_free_header(s->rq, (u16_t)n);
			recved(s, n);
		}
		return (int64_t)n;
	}
	if (s->fatal) {
		int f = s->fatal;
		s->fatal = 0;
		s->err = 0;
		return -f;
	}
	if (s->fin || s->rd_shut || (!s->pcb && s->connected))
		return 0;
	if (!s->connected && !s->connecting)
		return -ENOTCONN;
	return c->len == 0 ? 0 : -EAGAIN;
}

static int64_t verb_shutdown(struct lsock *s, const struct tgt_call *c)
{
	if (s->listening || (!s->connected && !s->connecting))
		return -ENOTCONN;
	if (c->how == SHUT_RD || c->how == SHUT_RDWR)
		s->rd_shut = true;
	if ((c->how == SHUT_WR || c->how == SHUT_RDWR) && !s->wr_shut) {
		s->wr_shut = true;
		if (s->pcb) {
			err_t e = tcp_shutdown(s->pcb, 0, 1);
			if (e != ERR_OK && e != ERR_CONN)
				return lwip_errno(e);
		}
	}
	return 0;
}

static void close_conn(struct lsock *s)
{
	struct tcp_pcb *pcb = s->pcb;
	if (!pcb)
		return;
	tcp_arg(pcb, NULL);
	tcp_recv(pcb, NULL);
	tcp_sent(pcb, NULL);
	tcp_err(pcb, NULL);
	if (s->linger_on && s->linger == 0) {
		tcp_abort(pcb);
		return;
	}
	if (tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb); /* could not queue the FIN: lwIP's socket layer retries, we reset */
}

static void close_listener(struct lsock *l)
{
	while (l->aq_len > 0) {
		struct lsock *s = &socks[l->aq[l->aq_head]];
		l->aq_head = (l->aq_head + 1) % ACCEPT_Q;
		l->aq_len--;
		if (s->pcb) {
			tcp_arg(s->pcb, NULL);
			tcp_err(s->pcb, NULL);
			tcp_abort(s->pcb); /* never accepted: reset, as Linux does */
		}
		sock_release(s);
	}
	if (l->pcb)
		tcp_close(l->pcb);
}

static int64_t verb_close(struct lsock *s)
{
	if (s->listening)
		close_listener(s);
	else
		close_conn(s);
	sock_release(s);
	return 0;
}

static int64_t sockopt_int(struct lsock *s, const struct tgt_call *c, bool set,
			   struct tgt_result *res)
{
	const char *n = c->name ? c->name : "";
	struct tcp_pcb *pcb = s->pcb;
	int v = (int)c->ival;
	if (!strcmp(n, "SO_ERROR") && !set) {
		res->ival = s->err;
		s->err = 0;
		return 0;
	}
	if (!strcmp(n, "SO_LINGER")) {
		if (set) {
			s->linger_on = c->ival != 0;
			s->linger = (int)c->ival2;
		} else {
			res->ival = s->linger_on;
			res->ival2 = s->linger;
		}
		return 0;
	}
	if (!pcb)
		return set ? -EINVAL : -ENOTCONN;
	if (!strcmp(n, "SO_REUSEADDR") || !strcmp(n, "SO_KEEPALIVE")) {
		u8_t bit = !strcmp(n, "SO_REUSEADDR") ? SOF_REUSEADDR : SOF_KEEPALIVE;
		if (!set)
			res->ival = ip_get_option(pcb, bit) ? 1 : 0;
		else if (v)
			ip_set_option(pcb, bit);
		else
			ip_reset_option(pcb, bit);
		return 0;
	}
	if (!strcmp(n, "IP_TOS") || !strcmp(n, "IPV6_TCLASS") || !strcmp(n, "IP_TTL") ||
	    !strcmp(n, "IPV6_UNICAST_HOPS")) {
		/* The pcb's IP fields (IP_PCB): TOS / traffic class, TTL / hop limit. */
		u8_t *f =
			(!strcmp(n, "IP_TOS") || !strcmp(n, "IPV6_TCLASS")) ? &pcb->tos : &pcb->ttl;
		if (set && (v < 0 || v > 255))
			return -EINVAL;
		if (set)
			*f = (u8_t)v;
		else
			res->ival = *f;
		return 0;
	}
	if (s->listening && strcmp(n, "TCP_NODELAY") != 0)
		return TGT_NOT_MODELLED; /* options of a listening pcb */
	if (!strcmp(n, "TCP_NODELAY")) {
		if (!set) {
			res->ival = s->nodelay;
			return 0;
		}
		s->nodelay = v != 0;
		if (!s->listening) {
			if (v)
				tcp_nagle_disable(pcb);
			else
				tcp_nagle_enable(pcb);
		}
		return 0;
	}
	if (!strcmp(n, "TCP_MAXSEG") && !set) {
		res->ival = pcb->mss;
		return 0;
	}
	if (!strcmp(n, "TCP_KEEPIDLE") || !strcmp(n, "TCP_KEEPINTVL")) {
		u32_t *f = !strcmp(n, "TCP_KEEPIDLE") ? &pcb->keep_idle : &pcb->keep_intvl;
		if (set && v <= 0)
			return -EINVAL;
		if (set)
			*f = (u32_t)v * 1000u;
		else
			res->ival = *f / 1000u;
		return 0;
	}
	if (!strcmp(n, "TCP_KEEPCNT")) {
		if (set && v <= 0)
			return -EINVAL;
		if (set)
			pcb->keep_cnt = (u32_t)v;
		else
			res->ival = pcb->keep_cnt;
		return 0;
	}
	return TGT_NOT_MODELLED; /* SO_RCVBUF, TCP_USER_TIMEOUT, ...: not in lwIP's raw API */
}

static int64_t verb_fcntl(struct lsock *s, const struct tgt_call *c)
{
	if (!strcmp(c->name, "F_GETFL"))
		return O_RDWR | (s->nonblock ? O_NONBLOCK : 0);
	if (!strcmp(c->name, "F_SETFL")) {
		s->nonblock = (c->ival & O_NONBLOCK) != 0;
		return 0;
	}
	return -EINVAL;
}

/* Deliberately trips an lwIP assertion (tcp_recved on a listening pcb):
 * the test that an assertion is a finding and not a crash (lwip_test.sh). */
static int64_t test_assert(struct lsock *s)
{
	if (!s->listening)
		return -EINVAL;
	tcp_recved(s->pcb, 1);
	return 0;
}

static int64_t verb_ioctl(struct lsock *s, const struct tgt_call *c, struct tgt_result *res)
{
	if (!strcmp(c->name, "FIONREAD")) {
		res->ival = (int64_t)rq_len(s);
		return 0;
	}
	if (!strcmp(c->name, "TCPCHECK_LWIP_ASSERT"))
		return test_assert(s);
	return TGT_NOT_MODELLED; /* SIOCATMARK: lwIP 2.1.3 has no urgent data */
}

static uint32_t revents_of(const struct lsock *s)
{
	uint32_t ev = 0;
	if (s->listening)
		return s->aq_len ? TGT_POLLIN : 0u;
	if (rq_len(s) || s->fin || s->rd_shut || s->fatal || (!s->pcb && s->connected))
		ev |= TGT_POLLIN;
	if (s->fin)
		ev |= TGT_POLLRDHUP;
	if (s->pcb && s->connected && !s->wr_shut && tcp_sndbuf(s->pcb) > 0 &&
	    (s->pcb->state == ESTABLISHED || s->pcb->state == CLOSE_WAIT))
		ev |= TGT_POLLOUT;
	if (s->err)
		ev |= TGT_POLLERR;
	if (!s->pcb && (s->connected || s->err))
		ev |= TGT_POLLHUP | TGT_POLLOUT;
	if (s->fin && s->wr_shut)
		ev |= TGT_POLLHUP;
	return ev;
}

static int64_t verb_poll(const struct tgt_call *c)
{
	size_t i;
	int64_t ready = 0;
	for (i = 0; i < c->npfds; i++) {
		const struct lsock *s = sock_of(c->pfds[i].fd);
		uint32_t want = c->pfds[i].events | TGT_POLLERR | TGT_POLLHUP;
		c->pfds[i].revents = !s ? (uint32_t)TGT_POLLNVAL : revents_of(s) & want;
		ready += c->pfds[i].revents != 0;
	}
	return ready;
}

static int64_t do_verb(const struct tgt_call *c, struct tgt_result *res)
{
	struct lsock *s;
	if (c->verb == TGT_SOCKET)
		return verb_socket(c);
	if (c->verb == TGT_POLL)
		return verb_poll(c);
	s = sock_of(c->fd);
	if (!s)
		return -EBADF;
	switch (c->verb) {
	case TGT_BIND:
		return verb_bind(s, c);
	case TGT_LISTEN:
		return verb_listen(s, c);
	case TGT_ACCEPT:
		return verb_accept(s);
	case TGT_CONNECT:
		return verb_connect(s, c);
	case TGT_SEND:
		return verb_send(s, pend.data + pend.sent, c->len - pend.sent);
	case TGT_RECV:
		return verb_recv(s, c, res);
	case TGT_SHUTDOWN:
		return verb_shutdown(s, c);
	case TGT_CLOSE:
		return verb_close(s);
	case TGT_SETSOCKOPT:
		return sockopt_int(s, c, true, res);
	case TGT_GETSOCKOPT:
		return sockopt_int(s, c, false, res);
	case TGT_FCNTL:
		return verb_fcntl(s, c);
	case TGT_IOCTL:
		return verb_ioctl(s, c, res);
	default:
		return -EINVAL;
	}
}

/* ---- blocking ------------------------------------------------------------------------------ */

static bool nonblocking(const struct tgt_call *c)
{
	const struct lsock *s = sock_of(c->fd);
	return (s && s->nonblock) || (msg_flags(c->flags) & MSG_DONTWAIT_BIT);
}

static void set_result(struct tgt_result *res, int64_t v)
{
	res->ret = v < 0 ? -1 : v;
	res->err = v < 0 ? (int)-v : 0;
}

/* One step of the pending verb: 0 with `res`, or -EINPROGRESS. */
static int step(struct tgt_result *res)
{
	const struct tgt_call *c = &pend.call;
	int64_t v;
	memset(res, 0, sizeof *res);
	if (c->verb == TGT_CONNECT && pend.sent) {
		/* The SYN is out: wait for the handshake's end. */
		struct lsock *s = sock_of(c->fd);
		if (s && s->connecting)
			return -EINPROGRESS;
		v = !s ? -EBADF : s->connected ? 0 : -(int64_t)(s->err ? s->err : ECONNABORTED);
		if (s && v < 0)
			s->err = 0;
		set_result(res, v);
		return 0;
	}
	v = do_verb(c, res);
	if (v == TGT_NOT_MODELLED)
		return TGT_NOT_MODELLED;
	if (c->verb == TGT_SEND) {
		if (v > 0)
			pend.sent += (size_t)v;
		if (!nonblocking(c) && (v == -EAGAIN || (v >= 0 && pend.sent < c->len)))
			return -EINPROGRESS;
		set_result(res, v < 0 && pend.sent == 0 ? v : (int64_t)pend.sent);
		return 0;
	}
	if (c->verb == TGT_CONNECT && v == -EINPROGRESS && !nonblocking(c)) {
		pend.sent = 1;
		return -EINPROGRESS;
	}
	if (c->verb == TGT_POLL ? (v == 0 && c->timeout_ms != 0)
				: (v == -EAGAIN && !nonblocking(c)))
		return -EINPROGRESS;
	set_result(res, v);
	return 0;
}

int lws_sock_call(const struct tgt_call *c, struct tgt_result *res)
{
	int rc;
	free(pend.data);
	memset(&pend, 0, sizeof pend);
	pend.call = *c;
	if (c->flags) {
		snprintf(pend.flags, sizeof pend.flags, "%s", c->flags);
		pend.call.flags = pend.flags;
	}
	if (c->verb == TGT_SEND) {
		pend.data = malloc(c->len ? c->len : 1);
		if (!pend.data)
			return -ENOMEM;
		if (c->len)
			memcpy(pend.data, c->data, c->len);
		pend.call.data = pend.data;
	}
	rc = step(res);
	pend.active = rc == -EINPROGRESS;
	return rc;
}

void lws_sock_sweep(void)
{
	struct tcp_pcb *p;
	size_t i;
	for (p = tcp_tw_pcbs; p; p = p->next)
		for (i = 0; i < MAX_SOCKS; i++) {
			struct lsock *s = &socks[i];
			if (!s->used || s->pcb != p)
				continue;
			tcp_arg(p, NULL);
			tcp_recv(p, NULL);
			tcp_err(p, NULL);
			s->pcb = NULL; /* lwIP frees TIME-WAIT pcbs without a callback */
			s->fin = true;
		}
}

void lws_sock_reset(void)
{
	memset(socks, 0, sizeof socks); /* their pbufs: lwIP's blocks, freed with them */
	free(pend.data);
	memset(&pend, 0, sizeof pend);
}

int lws_sock_finish(struct tgt_result *res)
{
	int rc;
	if (!pend.active)
		return -EINVAL;
	rc = step(res);
	pend.active = rc == -EINPROGRESS;
	return rc;
}
