/* Socket options, readiness and status queries (see ref_sock.h). */
#include <errno.h>
#include <string.h>

#include "reference/ref_internal.h"

#define SEC ((uint64_t)1000000)
#define MSEC ((uint64_t)1000)

static int get_int(const void *val, size_t len, int *out)
{
	if (val == NULL || len < sizeof(int))
		return -EINVAL;
	memcpy(out, val, sizeof(int));
	return 0;
}

/* IPv4-only and IPv6-only options. */
static bool family_ok(const struct ref_sock *s, int opt)
{
	if (opt == REF_IP_TOS || opt == REF_IP_TTL)
		return s->family == SEG_IPV4;
	if (opt == REF_IPV6_TCLASS || opt == REF_IPV6_UNICAST_HOPS)
		return s->family == SEG_IPV6;
	return true;
}

static int set_linger(struct ref_sock *s, const void *val, size_t len)
{
	if (val == NULL || len < sizeof(struct ref_linger))
		return -EINVAL;
	memcpy(&s->linger, val, sizeof(s->linger));
	return 0;
}

static int set_ip(struct ref_stack *st, struct ref_sock *s, int opt, int v)
{
	if (v == -1 && opt != REF_IP_TOS) { /* -1: back to the default */
		if (opt == REF_IPV6_TCLASS)
			s->tos = st->prof->tos;
		else
			s->ttl = st->prof->ttl;
		return 0;
	}
	if (v < 0 || v > 255 || ((opt == REF_IP_TTL) && v == 0))
		return -EINVAL;
	if (opt == REF_IP_TOS || opt == REF_IPV6_TCLASS)
		s->tos = (uint8_t)v; /* MUST-48, SHLD-21: also during the connection */
	else
		s->ttl = (uint8_t)v; /* MUST-49 */
	return 0;
}

static int set_keep(struct ref_stack *st, struct ref_sock *s, int opt, int v, uint64_t now)
{
	if (opt == REF_TCP_KEEPCNT) {
		if (v < 1 || v > 127)
			return -EINVAL;
		s->keepcnt = (uint32_t)v;
		return 0;
	}
	if (v < 1 || v > 32767)
		return -EINVAL;
	if (opt == REF_TCP_KEEPIDLE)
		s->keepidle = (uint64_t)v * SEC; /* MUST-27 */
	else
		s->keepintvl = (uint64_t)v * SEC;
	if (s->have_tcb)
		ref__keepalive_arm(st, s, now);
	return 0;
}

static int set_buf(struct ref_sock *s, int opt, int v)
{
	if (v < 1)
		return -EINVAL;
	if (opt == REF_SO_RCVBUF)
		s->rcvbuf = (uint32_t)v;
	else
		s->sndbuf = (uint32_t)v;
	return 0;
}

static int set_int_opt(struct ref_stack *st, struct ref_sock *s, int opt, int v, uint64_t now)
{
	switch (opt) {
	case REF_SO_KEEPALIVE:
		s->keepalive = v != 0; /* MUST-24 */
		if (s->have_tcb)
			ref__keepalive_arm(st, s, now);
		return 0;
	case REF_SO_RCVBUF:
	case REF_SO_SNDBUF:
		return set_buf(s, opt, v);
	case REF_SO_REUSEADDR:
		s->reuseaddr = v != 0;
		return 0;
	case REF_SO_OOBINLINE:
		s->oobinline = v != 0;
		return 0;
	case REF_IP_RECVERR:
		s->recverr = v != 0;
		return 0;
	case REF_TCP_NODELAY:
		s->nodelay = v != 0; /* MUST-17 */
		if (s->nodelay && s->have_tcb && s->state != REF_CLOSED)
			ref__output(st, s, now, UINT32_MAX);
		return 0;
	case REF_TCP_MAXSEG:
		if (v < 1 || v > 65535)
			return -EINVAL;
		s->user_mss = (uint16_t)v;
		if (s->have_tcb)
			ref__update_eff_mss(st, s);
		return 0;
	case REF_TCP_KEEPIDLE:
	case REF_TCP_KEEPINTVL:
	case REF_TCP_KEEPCNT:
		return set_keep(st, s, opt, v, now);
	case REF_TCP_USER_TIMEOUT:
		if (v < 0)
			return -EINVAL;
		s->user_timeout = (uint64_t)v * MSEC; /* MUST-21 */
		return 0;
	default:
		return set_ip(st, s, opt, v);
	}
}

int ref_setsockopt(struct ref_stack *st, int fd, int opt, const void *val, size_t len,
		   uint64_t now)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	int v, err;

	if (now < st->now)
		now = st->now;
	ref_stack_advance(st, now);
	if (s == NULL)
		return -EBADF;
	if (opt < 0 || opt >= REF_SOCKOPT_COUNT || opt == REF_SO_ERROR ||
	    opt == REF_TCP_SOFT_ERROR || !family_ok(s, opt))
		return -ENOPROTOOPT;
	if (opt == REF_SO_LINGER)
		return set_linger(s, val, len);
	err = get_int(val, len, &v);
	if (err)
		return err;
	err = set_int_opt(st, s, opt, v, now);
	if (s->used)
		ref__flush(st, now);
	return err;
}

static int take_error(int *slot)
{
	int v = *slot;

	*slot = 0;
	return v;
}

static int get_int_opt(const struct ref_stack *st, struct ref_sock *s, int opt)
{
	switch (opt) {
	case REF_SO_ERROR:
		if (s->so_error && s->state == REF_CLOSED)
			s->connecting = false;
		return take_error(&s->so_error);
	case REF_TCP_SOFT_ERROR:
		return take_error(&s->soft_error);
	case REF_SO_KEEPALIVE:
		return s->keepalive;
	case REF_SO_RCVBUF:
		return (int)s->rcvbuf;
	case REF_SO_SNDBUF:
		return (int)s->sndbuf;
	case REF_SO_REUSEADDR:
		return s->reuseaddr;
	case REF_SO_OOBINLINE:
		return s->oobinline;
	case REF_IP_RECVERR:
		return s->recverr;
	case REF_TCP_NODELAY:
		return s->nodelay;
	case REF_TCP_MAXSEG:
		if (s->have_tcb && s->tcb.rcv_synced)
			return (int)s->tcb.eff_mss;
		return s->user_mss ? s->user_mss
				   : (s->family == SEG_IPV6 ? st->prof->mss_default_v6
							    : st->prof->mss_default_v4);
	case REF_TCP_KEEPIDLE:
		return (int)(s->keepidle / SEC);
	case REF_TCP_KEEPINTVL:
		return (int)(s->keepintvl / SEC);
	case REF_TCP_KEEPCNT:
		return (int)s->keepcnt;
	case REF_TCP_USER_TIMEOUT:
		return (int)(s->user_timeout / MSEC);
	case REF_IP_TOS:
	case REF_IPV6_TCLASS:
		return s->tos;
	default:
		return s->ttl;
	}
}

int ref_getsockopt(struct ref_stack *st, int fd, int opt, void *val, size_t *len)
{
	struct ref_sock *s = ref__sock_by_fd(st, fd);
	int v;

	if (s == NULL)
		return -EBADF;
	if (opt < 0 || opt >= REF_SOCKOPT_COUNT || !family_ok(s, opt))
		return -ENOPROTOOPT;
	if (val == NULL || len == NULL)
		return -EINVAL;
	if (opt == REF_SO_LINGER) {
		if (*len < sizeof(struct ref_linger))
			return -EINVAL;
		memcpy(val, &s->linger, sizeof(s->linger));
		*len = sizeof(s->linger);
		return 0;
	}
	if (*len < sizeof(int))
		return -EINVAL;
	v = get_int_opt(st, s, opt);
	memcpy(val, &v, sizeof(v));
	*len = sizeof(v);
	return 0;
}

/* ---- readiness and status ------------------------------------------------------------------ */

/* Readable: bytes before us, counting a skipped urgent octet at the mark as
 * not readable (Linux's tcp_stream_is_readable). */
static bool readable(const struct ref_sock *s)
{
	const struct ref_tcb *t = &s->tcb;
	uint32_t need = 1, read_seq = t->rcv_nxt - t->rcvq.len;

	if (!s->have_tcb)
		return false;
	if ((t->urg == REF_URG_VALID || t->urg == REF_URG_READ) && t->urg_seq == read_seq &&
	    !s->oobinline)
		need = 2;
	return t->rcvq.len >= need;
}

static bool writable(const struct ref_sock *s)
{
	uint32_t used = s->tcb.sndq.len, cap = s->tcb.sndq.cap;

	return s->have_tcb && cap > used && cap - used >= used / 2;
}

int ref_poll(const struct ref_stack *st, int fd)
{
	const struct ref_sock *s = ref__sock_by_fd(st, fd);
	int mask = 0;

	if (s == NULL)
		return -EBADF;
	if (s->state == REF_LISTEN)
		return s->acc_head >= 0 ? REF_POLLIN : 0;
	if (s->so_error)
		mask |= REF_POLLERR;
	if ((s->shut_rd && s->shut_wr) || s->state == REF_CLOSED)
		mask |= REF_POLLHUP;
	if (s->state == REF_SYN_SENT || s->state == REF_SYN_RECEIVED)
		return mask;
	if (s->rcv_done || s->shut_rd)
		mask |= REF_POLLIN | REF_POLLRDHUP;
	if (readable(s))
		mask |= REF_POLLIN;
	if (s->shut_wr || s->state == REF_CLOSED || writable(s))
		mask |= REF_POLLOUT;
	if (s->have_tcb && s->tcb.urg == REF_URG_VALID)
		mask |= REF_POLLPRI; /* MUST-32 */
	return mask;
}

int ref_sockatmark(const struct ref_stack *st, int fd)
{
	const struct ref_sock *s = ref__sock_by_fd(st, fd);
	const struct ref_tcb *t;

	if (s == NULL)
		return -EBADF;
	if (s->state == REF_LISTEN)
		return -EINVAL;
	t = &s->tcb;
	if (!s->have_tcb || t->urg == REF_URG_NONE)
		return 0;
	return t->urg_seq == t->rcv_nxt - t->rcvq.len; /* MUST-33 */
}

int ref_sock_state(const struct ref_stack *st, int fd)
{
	const struct ref_sock *s = ref__sock_by_fd(st, fd);

	return s ? (int)s->state : -EBADF;
}

static void fill_addr(uint8_t family, const uint8_t *a, uint16_t port, struct ref_sockaddr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	memcpy(out->addr, a, family == SEG_IPV6 ? 16 : 4);
	out->port = port;
}

int ref_getsockname(const struct ref_stack *st, int fd, struct ref_sockaddr *out)
{
	const struct ref_sock *s = ref__sock_by_fd(st, fd);

	if (s == NULL)
		return -EBADF;
	fill_addr(s->family, s->laddr, s->lport, out);
	return 0;
}

int ref_getpeername(const struct ref_stack *st, int fd, struct ref_sockaddr *out)
{
	const struct ref_sock *s = ref__sock_by_fd(st, fd);

	if (s == NULL)
		return -EBADF;
	if (!s->have_tcb || (s->state == REF_CLOSED && !s->ever_connected) ||
	    s->state == REF_LISTEN)
		return -ENOTCONN;
	fill_addr(s->family, s->raddr, s->rport, out);
	return 0;
}

int ref_tcb_info(const struct ref_stack *st, int fd, struct ref_tcb_info *o)
{
	const struct ref_sock *s = ref__sock_by_fd(st, fd);
	const struct ref_tcb *t;

	if (s == NULL)
		return -EBADF;
	t = &s->tcb;
	memset(o, 0, sizeof(*o));
	o->state = s->state;
	if (!s->have_tcb)
		return 0;
	o->iss = t->iss;
	o->irs = t->irs;
	o->snd_una = t->snd_una;
	o->snd_nxt = t->snd_nxt;
	o->snd_wnd = t->snd_wnd;
	o->snd_up = t->snd_up;
	o->rcv_nxt = t->rcv_nxt;
	o->rcv_wnd = seq_gt(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
	o->rcv_up = t->rcv_up;
	o->eff_mss = t->eff_mss;
	o->peer_mss = t->peer_mss;
	o->pmtu = t->pmtu;
	o->cwnd = t->cwnd;
	o->rto = t->rto;
	o->srtt = t->srtt;
	o->rttvar = t->rttvar;
	o->snd_queued = t->sndq.len;
	o->rcv_queued = t->rcvq.len;
	o->retransmits = t->rtx_count;
	o->passive = t->passive;
	return 0;
}
