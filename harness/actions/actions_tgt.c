/* The target executor (actions.h, "executor over a target"): the actions
 * against any stack behind the target interface, as the peer 192.0.2.2
 * sees it. Packets are built as the reference's executor builds them
 * (actions_build.c); the socket verbs go through tgt_ops.call with the
 * symbolic names the runner uses, so the records make a script any
 * target can run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "harness/actions/actions_int.h"
#include "reference/ref_sock.h"
#include "reference/seq.h"
#include "targets/target.h"

static const uint8_t local_addr[4] = { 192, 0, 2, 1 };
static const uint8_t peer_addr[4] = { 192, 0, 2, 2 };

struct texec {
	struct tgt *t;
	const struct fz_texec_config *cfg;
	size_t action;
	uint64_t start, spent, time_cap;
	int listen_fd, conn_fd;
	uint16_t peer_port, local_port;
	/* The peer's view of the wire (what the target sent it). */
	bool liss_known, ack_seen;
	uint32_t liss, obs_snd_nxt, obs_ack, last_tsval;
	uint16_t obs_wnd;
	int err;		/* the target's first failure */
	struct fz_violation *v; /* where a finding goes */
	bool found;
	uint8_t pkt[SEG_MAX_PACKET];
};

static int finding(struct texec *x, const char *sig, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static int finding(struct texec *x, const char *sig, const char *fmt, ...)
{
	va_list ap;
	if (x->found)
		return 1;
	x->found = true;
	snprintf(x->v->sig, sizeof x->v->sig, "%s", sig);
	va_start(ap, fmt);
	vsnprintf(x->v->what, sizeof x->v->what, fmt, ap);
	va_end(ap);
	x->v->action = x->action;
	return 1;
}

static uint64_t now_of(const struct texec *x)
{
	return x->t->ops->now(x->t);
}

static void record(struct texec *x, struct fz_rec *r)
{
	if (!x->cfg || !x->cfg->on_record)
		return;
	r->action = x->action;
	x->cfg->on_record(x->cfg->ctx, r);
}

/* A target call failed (not a verb's errno: the target itself). */
static void target_failed(struct texec *x, int rc, const char *op)
{
	if (rc == 0 || rc == -EAGAIN || rc == TGT_NOT_MODELLED || rc == -EINPROGRESS || x->err)
		return;
	x->err = rc;
	finding(x, "target-error", "%s: %s", op, strerror(-rc));
}

/* ---- what the target sent ------------------------------------------------ */

static void learn(struct texec *x, const struct seg *s)
{
	if (memcmp(s->dst, peer_addr, 4) != 0 || s->dport != x->peer_port)
		return;
	if ((s->flags & SEG_SYN) && !(s->flags & SEG_RST)) {
		x->liss = s->seq;
		x->liss_known = true;
		x->local_port = s->sport;
		x->obs_snd_nxt = s->seq;
	}
	if (x->liss_known && seq_gt(s->seq + seg_seq_len(s), x->obs_snd_nxt))
		x->obs_snd_nxt = s->seq + seg_seq_len(s);
	if (s->flags & SEG_ACK) {
		x->obs_ack = s->ack;
		x->ack_seen = true;
		x->obs_wnd = s->wnd;
	}
	if (s->opts.present & SEG_HAS_TS)
		x->last_tsval = s->opts.ts_val;
}

static void drain(struct texec *x)
{
	struct tgt_packet p;
	struct seg_packet d;
	int rc;
	while ((rc = x->t->ops->collect(x->t, 0, &p)) == 0) {
		struct fz_rec r = { .kind = FZ_REC_OUT, .a1 = -1 };
		if (seg_decode(p.bytes, p.len, &d, NULL) != 0) {
			finding(x, "out-malformed", "the stack sent %zu bytes that do not decode",
				p.len);
			continue;
		}
		if (d.kind != SEG_PKT_TCP)
			continue; /* an ICMP error of its own: nothing the peer tracks */
		if (!d.u.tcp.tcp_csum_ok || !d.u.tcp.ip_csum_ok)
			finding(x, "out-bad-checksum", "the stack sent a wrong checksum (TCP %#x)",
				d.u.tcp.tcp_csum);
		learn(x, &d.u.tcp);
		r.time = p.time_us - x->start;
		r.seg = &d.u.tcp;
		record(x, &r);
	}
	target_failed(x, rc, "collect");
}

/* ---- the connection as the peer describes it --------------------------------- */

static void view_of(const struct texec *x, struct fz_view *v)
{
	struct fz_tcb t;
	v->liss = x->liss_known ? x->liss : 0;
	if (x->cfg && x->cfg->tcb && x->local_port &&
	    x->cfg->tcb(x->cfg->tcb_ctx, x->local_port, x->peer_port, &t)) {
		v->rcv_nxt = t.rcv_nxt;
		v->rcv_wnd = t.rcv_wnd;
		v->snd_una = t.snd_una;
		v->snd_nxt = t.snd_nxt;
		v->snd_wnd = t.snd_wnd;
		return;
	}
	v->rcv_nxt = x->ack_seen ? x->obs_ack : FZ_PEER_ISS;
	v->rcv_wnd = x->obs_wnd;
	v->snd_una = x->liss_known ? x->liss + 1 : 0;
	v->snd_nxt = x->liss_known ? x->obs_snd_nxt : 0;
	v->snd_wnd = 65535;
}

static void ends_of(const struct texec *x, struct fz_ends *e)
{
	e->local = local_addr;
	e->peer = peer_addr;
	e->local_port = x->local_port ? x->local_port : FZ_LISTEN_PORT;
	e->peer_port = x->peer_port;
	e->now = now_of(x);
	e->last_tsval = x->last_tsval;
}

/* ---- packets and time ------------------------------------------------------------ */

static void do_seg(struct texec *x, const struct fz_action *a)
{
	struct fz_view v;
	struct fz_ends e;
	struct seg s;
	struct fz_rec r = { .kind = FZ_REC_IN };
	size_t n;
	view_of(x, &v);
	ends_of(x, &e);
	if (fz__seg_packet(a, &v, &e, &s, x->pkt, &n) != 0)
		return;
	r.time = e.now - x->start;
	r.seg = &s;
	record(x, &r);
	target_failed(x, x->t->ops->inject(x->t, x->pkt, n), "inject");
}

static void do_icmp(struct texec *x, const struct fz_action *a)
{
	struct fz_view v;
	struct fz_ends e;
	struct seg_icmp m;
	struct fz_rec r = { .kind = FZ_REC_ICMP };
	size_t n;
	view_of(x, &v);
	ends_of(x, &e);
	if (fz__icmp_packet(a, &v, &e, &m, x->pkt, &n) != 0)
		return;
	r.time = e.now - x->start;
	r.icmp = &m;
	record(x, &r);
	target_failed(x, x->t->ops->inject(x->t, x->pkt, n), "inject");
}

static void do_time(struct texec *x, const struct fz_action *a)
{
	uint64_t now = now_of(x), dl = x->t->ops->next_deadline(x->t), d;
	if (a->time_code <= 2) {
		if (dl == UINT64_MAX || dl < now)
			d = 1000;
		else
			d = dl - now + (a->time_code == 2) - (a->time_code == 1 && dl > now);
	} else if (a->time_code == 31) {
		d = a->time_us;
	} else {
		d = fz__time_table(a->time_code);
	}
	if (x->spent + d > x->time_cap)
		d = x->time_cap - x->spent;
	x->spent += d;
	target_failed(x, x->t->ops->advance(x->t, now + d), "advance");
}

/* ---- socket verbs -------------------------------------------------------------------- */

/* One call, recorded as the script line that says it (a verb the target
 * does not model is left out: the script would be SKIP on it). Returns the
 * verb's result (>= 0, or -errno), or INT64_MIN if it was not made. */
static int64_t call(struct texec *x, struct tgt_call *c, enum scr_sys sys, int64_t a1,
		    int64_t a2, struct tgt_result *res)
{
	struct fz_rec r = { .kind = FZ_REC_CALL, .sys = sys, .fd = c->fd, .a1 = a1, .a2 = a2 };
	int64_t ret;
	int rc = x->t->ops->call(x->t, c, res);
	if (rc == -EINPROGRESS) {
		/* Every socket is non-blocking: a target that blocks anyway
		 * says EINPROGRESS, as connect() would. */
		rc = 0;
		res->ret = -1;
		res->err = EINPROGRESS;
	}
	if (rc == TGT_NOT_MODELLED)
		return INT64_MIN;
	if (rc != 0) {
		/* The target failed in the call (an lwIP assertion): the line
		 * stays in the transcript, where a replay fails too. */
		target_failed(x, rc, "call");
		ret = rc;
	} else {
		ret = res->ret < 0 ? -(int64_t)res->err : res->ret;
	}
	if (sys == SCR_SYS_GETSOCKOPT)
		r.a2 = res->ival; /* the value read */
	r.time = now_of(x) - x->start;
	r.ret = (long)ret;
	record(x, &r);
	return rc != 0 ? INT64_MIN : ret;
}

/* The verbs never block: every socket is O_NONBLOCK. */
static void nonblocking(struct texec *x, int fd)
{
	struct tgt_call c = { .verb = TGT_FCNTL, .fd = fd, .name = "F_SETFL",
			      .ival = O_RDWR | O_NONBLOCK };
	struct tgt_result res;
	call(x, &c, SCR_SYS_FCNTL, 0, 0, &res);
}

static int new_socket(struct texec *x)
{
	struct tgt_call c = { .verb = TGT_SOCKET, .fd = -1, .domain = AF_INET,
			      .type = SOCK_STREAM, .protocol = 6 };
	struct tgt_result res;
	int64_t fd = call(x, &c, SCR_SYS_SOCKET, 0, 0, &res);
	if (fd < 0)
		return -1;
	nonblocking(x, (int)fd);
	return (int)fd;
}

static void v_listen(struct texec *x, uint32_t arg)
{
	struct tgt_call c = { .verb = TGT_BIND, .port = FZ_LISTEN_PORT };
	struct tgt_result res;
	int backlog = (int)(arg % 8 + 1);
	if (x->listen_fd < 0) {
		int fd = new_socket(x);
		if (fd < 0)
			return;
		c.fd = fd;
		if (call(x, &c, SCR_SYS_BIND, 0, 0, &res) != 0)
			return;
		x->listen_fd = fd;
	}
	c = (struct tgt_call){ .verb = TGT_LISTEN, .fd = x->listen_fd, .backlog = backlog };
	call(x, &c, SCR_SYS_LISTEN, backlog, 0, &res);
	x->local_port = FZ_LISTEN_PORT;
}

static void v_connect(struct texec *x)
{
	struct tgt_call c = { .verb = TGT_CONNECT, .port = x->peer_port };
	struct tgt_result res;
	int fd = new_socket(x);
	if (fd < 0)
		return;
	c.fd = fd;
	call(x, &c, SCR_SYS_CONNECT, 0, 0, &res);
	x->conn_fd = fd;
}

static void v_opt(struct texec *x, int fd, bool set, int opt, int val)
{
	struct tgt_call c = { .verb = set ? TGT_SETSOCKOPT : TGT_GETSOCKOPT, .fd = fd, .ival = val };
	struct tgt_result res;
	c.name = fz__opt_name(opt, &c.level);
	if (fd < 0 || !c.name)
		return;
	call(x, &c, set ? SCR_SYS_SETSOCKOPT : SCR_SYS_GETSOCKOPT, opt, val, &res);
}

static void v_io(struct texec *x, const struct fz_action *a)
{
	bool send = a->verb == FZ_V_SEND || a->verb == FZ_V_SEND_OOB;
	bool oob = a->verb == FZ_V_SEND_OOB || a->verb == FZ_V_RECV_OOB;
	uint32_t len = a->verb == FZ_V_RECV_OOB ? 1 : a->arg;
	struct tgt_call c = { .verb = send ? TGT_SEND : TGT_RECV, .fd = x->conn_fd, .len = len,
			      .data = fz__zeros, .flags = oob ? "MSG_OOB"
							  : a->verb == FZ_V_RECV_PEEK ? "MSG_PEEK"
										    : NULL };
	struct tgt_result res;
	enum scr_sys sys = send ? (oob ? SCR_SYS_SEND : SCR_SYS_WRITE)
				: (c.flags ? SCR_SYS_RECV : SCR_SYS_READ);
	int flags = oob ? REF_MSG_OOB : a->verb == FZ_V_RECV_PEEK ? REF_MSG_PEEK : 0;
	if (x->conn_fd < 0)
		return;
	call(x, &c, sys, len, flags, &res);
}

static void v_close(struct texec *x, int *fd, bool abort_it)
{
	struct tgt_call c = { .verb = TGT_CLOSE, .fd = *fd };
	struct tgt_result res;
	if (*fd < 0)
		return;
	if (abort_it)
		v_opt(x, *fd, true, REF_SO_LINGER, 1);
	call(x, &c, SCR_SYS_CLOSE, 0, 0, &res);
	*fd = -1;
}

static void v_shutdown(struct texec *x, int how)
{
	struct tgt_call c = { .verb = TGT_SHUTDOWN, .fd = x->conn_fd, .how = how };
	struct tgt_result res;
	if (x->conn_fd >= 0)
		call(x, &c, SCR_SYS_SHUTDOWN, how, 0, &res);
}

static void v_accept(struct texec *x)
{
	struct tgt_call c = { .verb = TGT_ACCEPT, .fd = x->listen_fd };
	struct tgt_result res;
	int64_t fd;
	if (x->listen_fd < 0)
		return;
	fd = call(x, &c, SCR_SYS_ACCEPT, 0, 0, &res);
	if (fd < 0)
		return;
	x->conn_fd = (int)fd;
	nonblocking(x, (int)fd); /* accept() does not pass O_NONBLOCK on */
}

static void v_poll(struct texec *x)
{
	struct tgt_pollfd p = { .fd = x->conn_fd, .events = TGT_POLLIN | TGT_POLLOUT };
	struct tgt_call c = { .verb = TGT_POLL, .fd = -1, .pfds = &p, .npfds = 1 };
	struct tgt_result res;
	if (x->conn_fd >= 0)
		target_failed(x, x->t->ops->call(x->t, &c, &res), "poll");
}

static void both(struct texec *x, int opt, int val)
{
	v_opt(x, x->listen_fd, true, opt, val);
	v_opt(x, x->conn_fd, true, opt, val);
}

static void do_verb(struct texec *x, const struct fz_action *a)
{
	int on = (int)(a->arg & 1);
	switch (a->verb) {
	case FZ_V_LISTEN: v_listen(x, a->arg); break;
	case FZ_V_CONNECT: v_connect(x); break;
	case FZ_V_ACCEPT: v_accept(x); break;
	case FZ_V_SEND:
	case FZ_V_SEND_OOB:
	case FZ_V_RECV:
	case FZ_V_RECV_PEEK:
	case FZ_V_RECV_OOB: v_io(x, a); break;
	case FZ_V_SHUT_WR: v_shutdown(x, REF_SHUT_WR); break;
	case FZ_V_SHUT_RD: v_shutdown(x, REF_SHUT_RD); break;
	case FZ_V_SHUT_RDWR: v_shutdown(x, REF_SHUT_RDWR); break;
	case FZ_V_CLOSE: v_close(x, &x->conn_fd, false); break;
	case FZ_V_ABORT: v_close(x, &x->conn_fd, true); break;
	case FZ_V_NODELAY: v_opt(x, x->conn_fd, true, REF_TCP_NODELAY, on); break;
	case FZ_V_LINGER0: v_opt(x, x->conn_fd, true, REF_SO_LINGER, on); break;
	case FZ_V_KEEPALIVE: v_opt(x, x->conn_fd, true, REF_SO_KEEPALIVE, on); break;
	case FZ_V_OOBINLINE: v_opt(x, x->conn_fd, true, REF_SO_OOBINLINE, on); break;
	case FZ_V_MAXSEG: both(x, REF_TCP_MAXSEG, (int)(64 + a->arg * 8)); break;
	case FZ_V_RCVBUF: both(x, REF_SO_RCVBUF, (int)((a->arg + 1) * 256)); break;
	case FZ_V_SNDBUF: both(x, REF_SO_SNDBUF, (int)((a->arg + 1) * 256)); break;
	case FZ_V_USER_TIMEOUT:
		v_opt(x, x->conn_fd, true, REF_TCP_USER_TIMEOUT, (int)(a->arg * 1000));
		break;
	case FZ_V_KEEPIDLE:
		v_opt(x, x->conn_fd, true, REF_TCP_KEEPIDLE, (int)(a->arg + 1));
		v_opt(x, x->conn_fd, true, REF_TCP_KEEPINTVL, (int)(a->arg + 1));
		break;
	case FZ_V_SO_ERROR: v_opt(x, x->conn_fd, false, REF_SO_ERROR, 0); break;
	case FZ_V_POLL: v_poll(x); break;
	case FZ_V_NEW_PEER:
		x->peer_port = (uint16_t)(FZ_PEER_PORT + 1 + a->arg % 1000);
		x->liss_known = x->ack_seen = false;
		x->local_port = x->listen_fd >= 0 ? FZ_LISTEN_PORT : 0;
		break;
	case FZ_V_CLOSE_LISTENER: v_close(x, &x->listen_fd, false); break;
	case FZ_V_SOFT_ERROR: /* no socket option says it outside the reference */
	case FZ_V_RECVERR:
	case FZ_V_COUNT: break;
	}
}

int fz_texec_run(struct tgt *t, const struct fz_action *a, size_t n,
		 const struct fz_texec_config *cfg, struct fz_violation *v)
{
	struct texec *x = calloc(1, sizeof *x);
	int rc;
	if (!x)
		return -ENOMEM;
	x->t = t;
	x->cfg = cfg;
	x->v = v;
	x->listen_fd = x->conn_fd = -1;
	x->peer_port = FZ_PEER_PORT;
	x->start = now_of(x);
	x->time_cap = cfg && cfg->time_cap_us ? cfg->time_cap_us : FZ_TIME_CAP_US;
	for (; x->action < n && !x->err && !x->found; x->action++) {
		const struct fz_action *p = &a[x->action];
		switch (p->kind) {
		case FZ_SEG: do_seg(x, p); break;
		case FZ_TIME: do_time(x, p); break;
		case FZ_VERB: do_verb(x, p); break;
		case FZ_ICMP: do_icmp(x, p); break;
		}
		drain(x);
	}
	rc = x->found ? 1 : 0;
	free(x);
	return rc;
}
