/* The executor: actions against a reference stack, invariants after each. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/actions/actions.h"
#include "harness/actions/actions_int.h"
#include "reference/ref_sock.h"
#include "reference/seq.h"

#define NFD 8		/* sockets the executor's stack has */
#define FD_BASE 3
#define OUTQ 64

/* What the executor remembers of one socket's connection between actions. */
struct fdmem {
	bool valid;	/* a synchronized connection was seen */
	uint32_t iss, irs;
	uint32_t right_edge; /* RCV.NXT + RCV.WND */
	unsigned states;     /* bit per state seen during the current action */
};

struct fz_exec {
	struct fz_exec_config cfg;
	struct ref_stack *st;
	uint64_t now;
	uint64_t spent;		/* time advanced so far, capped */
	size_t action;
	int listen_fd, conn_fd;
	uint16_t peer_port, local_port;
	/* The peer's view of the wire. */
	bool liss_known, ack_seen;
	uint32_t liss, obs_snd_nxt, obs_ack;
	uint16_t obs_wnd;
	uint32_t last_tsval;
	uint32_t max_rcvbuf, max_sndbuf;
	struct fdmem mem[NFD];
	bool planted_hit;
	struct ref_output out;
	uint8_t pkt[SEG_MAX_PACKET];
};

static const uint8_t local_addr[4] = { 192, 0, 2, 1 };
static const uint8_t peer_addr[4] = { 192, 0, 2, 2 };

static void record(struct fz_exec *ex, struct fz_rec *r)
{
	if (!ex->cfg.on_record)
		return;
	r->action = ex->action;
	ex->cfg.on_record(ex->cfg.ctx, r);
}

static void trace(void *ctx, const struct ref_event *ev)
{
	struct fz_exec *ex = ctx;
	if (ev->fd >= FD_BASE && ev->fd < FD_BASE + NFD)
		ex->mem[ev->fd - FD_BASE].states |= 1u << ev->to | 1u << ev->from;
	if (ex->cfg.on_event)
		ex->cfg.on_event(ex->cfg.ctx, ev);
}

/* The executor's state at the start of a run: everything before `out`
 * zero (`out` and `pkt` are scratch), then these. */
static void exec_start(struct fz_exec *ex, const struct fz_exec_config *cfg, struct ref_stack *st)
{
	const struct ref_profile *p = ref_stack_profile(st);
	memset(ex, 0, offsetof(struct fz_exec, out));
	ex->cfg = *cfg;
	ex->st = st;
	ex->now = 1000000; /* one second in, as the runner's clock */
	ex->listen_fd = ex->conn_fd = -1;
	ex->peer_port = FZ_PEER_PORT;
	ex->max_rcvbuf = p->rcv_buf;
	ex->max_sndbuf = p->snd_buf;
}

struct fz_exec *fz_exec_new(const struct fz_exec_config *cfg)
{
	static const struct fz_exec_config none;
	struct fz_exec *ex = malloc(sizeof *ex);
	struct ref_stack_config c;
	struct ref_stack *st;
	if (!ex)
		return NULL;
	ref_stack_config_default(&c);
	c.max_sockets = NFD;
	c.out_queue_len = OUTQ;
	c.event_log_len = 4;
	c.trace = trace;
	c.trace_ctx = ex;
	st = ref_stack_new(&c);
	if (!st) {
		free(ex);
		return NULL;
	}
	exec_start(ex, cfg ? cfg : &none, st);
	return ex;
}

void fz_exec_reset(struct fz_exec *ex)
{
	struct fz_exec_config cfg = ex->cfg;
	ref_stack_reset(ex->st);
	exec_start(ex, &cfg, ex->st);
}

void fz_exec_free(struct fz_exec *ex)
{
	if (!ex)
		return;
	ref_stack_free(ex->st);
	free(ex);
}

/* ---- the connection as the peer sees it ---------------------------------- */

static bool conn_info(const struct fz_exec *ex, struct ref_tcb_info *t)
{
	return ex->conn_fd >= 0 && ref_tcb_info(ex->st, ex->conn_fd, t) == 0 &&
	       t->state != REF_CLOSED && t->state != REF_LISTEN;
}

static void view_of(const struct fz_exec *ex, struct fz_view *v)
{
	struct ref_tcb_info t;
	if (conn_info(ex, &t)) {
		v->rcv_nxt = t.rcv_nxt;
		v->rcv_wnd = t.rcv_wnd;
		v->snd_una = t.snd_una;
		v->snd_nxt = t.snd_nxt;
		v->snd_wnd = t.snd_wnd;
		v->liss = t.iss;
		return;
	}
	v->rcv_nxt = ex->ack_seen ? ex->obs_ack : FZ_PEER_ISS;
	v->rcv_wnd = ex->obs_wnd;
	v->liss = ex->liss_known ? ex->liss : 0;
	v->snd_una = ex->liss_known ? ex->liss + 1 : 0;
	v->snd_nxt = ex->liss_known ? ex->obs_snd_nxt : 0;
	v->snd_wnd = 65535;
}

/* ---- output -------------------------------------------------------------------- */

static void learn(struct fz_exec *ex, const struct seg *s)
{
	if (memcmp(s->dst, peer_addr, 4) != 0 || s->dport != ex->peer_port)
		return;
	if ((s->flags & SEG_SYN) && !(s->flags & SEG_RST)) {
		ex->liss = s->seq;
		ex->liss_known = true;
		ex->local_port = s->sport;
		ex->obs_snd_nxt = s->seq;
	}
	if (ex->liss_known && seq_gt(s->seq + seg_seq_len(s), ex->obs_snd_nxt))
		ex->obs_snd_nxt = s->seq + seg_seq_len(s);
	if (s->flags & SEG_ACK) {
		ex->obs_ack = s->ack;
		ex->ack_seen = true;
		ex->obs_wnd = s->wnd;
	}
	if (s->opts.present & SEG_HAS_TS)
		ex->last_tsval = s->opts.ts_val;
}

static int violate(struct fz_violation *v, const char *sig, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#include <stdarg.h>
static int violate(struct fz_violation *v, const char *sig, const char *fmt, ...)
{
	va_list ap;
	snprintf(v->sig, sizeof v->sig, "%s", sig);
	va_start(ap, fmt);
	vsnprintf(v->what, sizeof v->what, fmt, ap);
	va_end(ap);
	return 1;
}

/* States in which a connection may send data octets. */
#define DATA_STATES                                                                        \
	(1u << REF_ESTABLISHED | 1u << REF_FIN_WAIT_1 | 1u << REF_CLOSE_WAIT |               \
	 1u << REF_CLOSING | 1u << REF_LAST_ACK)

static int check_output(struct fz_exec *ex, const struct ref_output *o, struct fz_violation *v)
{
	const struct seg *s = &o->seg;
	const char *rule = ref_rule_id(o->rule);
	if ((s->flags & SEG_SYN) && (s->flags & (SEG_RST | SEG_FIN)))
		return violate(v, "out-syn-with-rst-or-fin", "sent flags 0x%02x (rule %s)",
			       s->flags, rule);
	if ((s->flags & (SEG_SYN | SEG_RST)) && s->len)
		return violate(v, "out-syn-rst-with-data", "sent %zu octets on a SYN or RST (rule %s)",
			       s->len, rule);
	if (!(s->flags & (SEG_ACK | SEG_RST | SEG_SYN)))
		return violate(v, "out-no-ack", "sent flags 0x%02x without ACK (rule %s)", s->flags,
			       rule);
	if (s->len > 1460)
		return violate(v, "out-above-mtu", "sent %zu octets, above MTU 1500 (rule %s)", s->len,
			       rule);
	if (o->fd >= FD_BASE && o->fd < FD_BASE + NFD && s->len) {
		struct ref_tcb_info t;
		unsigned states = ex->mem[o->fd - FD_BASE].states;
		if (!(states & DATA_STATES))
			return violate(v, "out-data-in-state",
				       "sent %zu octets in states 0x%x only (rule %s)", s->len, states,
				       rule);
		if (ref_tcb_info(ex->st, o->fd, &t) == 0 && t.state != REF_CLOSED &&
		    s->len > t.peer_mss)
			return violate(v, "out-above-mss", "sent %zu octets, peer MSS %u (rule %s)",
				       s->len, t.peer_mss, rule);
	}
	return 0;
}

static int drain(struct fz_exec *ex, struct fz_violation *v)
{
	int bad = 0;
	while (ref_stack_pop_output(ex->st, &ex->out)) {
		struct fz_rec r = { .kind = FZ_REC_OUT };
		ex->out.seg.payload = ex->out.data;
		learn(ex, &ex->out.seg);
		r.time = ex->out.time;
		r.seg = &ex->out.seg;
		r.fd = ex->out.fd;
		r.a1 = (int64_t)ex->out.rule;
		record(ex, &r);
		if (ex->cfg.on_output) {
			int state = ex->out.fd >= 0 ? ref_sock_state(ex->st, ex->out.fd) : -1;
			ex->cfg.on_output(ex->cfg.ctx, &ex->out,
					  state >= 0 ? (enum ref_state)state : REF_CLOSED);
		}
		if (!bad)
			bad = check_output(ex, &ex->out, v);
	}
	return bad;
}

/* ---- invariants after each action ------------------------------------------------ */

static int check_tcb(struct fz_exec *ex, int fd, const struct ref_tcb_info *t,
		     struct fz_violation *v)
{
	struct fdmem *m = &ex->mem[fd - FD_BASE];
	uint64_t dl = ref_stack_next_deadline(ex->st);
	uint32_t right = t->rcv_nxt + t->rcv_wnd;
	const char *sn = ref_state_name(t->state);
	if (seq_gt(t->snd_una, t->snd_nxt))
		return violate(v, "snd-una-above-snd-nxt", "%s fd %d: SND.UNA %u > SND.NXT %u", sn,
			       fd, t->snd_una, t->snd_nxt);
	if (t->state != REF_SYN_SENT && seq_lt(t->snd_una, t->iss))
		return violate(v, "snd-una-below-iss", "%s fd %d: SND.UNA %u < ISS %u", sn, fd,
			       t->snd_una, t->iss);
	if (t->snd_nxt - t->snd_una > t->snd_queued + 2)
		return violate(v, "in-flight-above-queued",
			       "%s fd %d: SND.NXT-SND.UNA = %u but %u octets queued", sn, fd,
			       t->snd_nxt - t->snd_una, t->snd_queued);
	if (t->snd_queued > ex->max_sndbuf || t->rcv_queued > ex->max_rcvbuf)
		return violate(v, "queue-above-buffer", "%s fd %d: %u queued to send, %u to read",
			       sn, fd, t->snd_queued, t->rcv_queued);
	if (t->rcv_wnd > (1u << 30) || t->rcv_wnd + t->rcv_queued > ex->max_rcvbuf + 65535u)
		return violate(v, "rcv-wnd-out-of-bounds", "%s fd %d: RCV.WND %u with %u queued",
			       sn, fd, t->rcv_wnd, t->rcv_queued);
	if (dl < ex->now)
		return violate(v, "timer-in-the-past", "a timer is due at %llu, now %llu",
			       (unsigned long long)dl, (unsigned long long)ex->now);
	if (t->state == REF_TIME_WAIT && dl == UINT64_MAX)
		return violate(v, "time-wait-without-timer", "fd %d in TIME-WAIT, no timer", fd);
	if (t->snd_nxt != t->snd_una && t->state != REF_TIME_WAIT && dl == UINT64_MAX)
		return violate(v, "in-flight-without-timer",
			       "%s fd %d: %u octets in flight and no timer", sn, fd,
			       t->snd_nxt - t->snd_una);
	if (t->state == REF_SYN_SENT || t->state == REF_SYN_RECEIVED) {
		m->valid = false;
		return 0;
	}
	if (m->valid && m->iss == t->iss && m->irs == t->irs && seq_lt(right, m->right_edge))
		return violate(v, "right-edge-moved-left",
			       "%s fd %d: RCV.NXT+RCV.WND went from %u to %u", sn, fd,
			       m->right_edge - t->irs, right - t->irs);
	m->valid = true;
	m->iss = t->iss;
	m->irs = t->irs;
	m->right_edge = right;
	return 0;
}

static int check_all(struct fz_exec *ex, struct fz_violation *v)
{
	int fd;
	/* Segments lost to the bounded output queue (OUTQ) are not checked:
	 * a tiny MSS and a 64 KB send fill any bound, and the stack counts
	 * them as a caller's limit (REF_R_OUTPUT_QUEUE_FULL), not a bug. */
	if (ex->planted_hit)
		return violate(v, "planted-defect",
			       "the planted defect: a 7-octet URG+FIN took the connection to "
			       "CLOSE-WAIT");
	for (fd = FD_BASE; fd < FD_BASE + NFD; fd++) {
		struct ref_tcb_info t;
		int state = ref_sock_state(ex->st, fd); /* cheaper than the whole TCB */
		if (state < 0 || state == REF_CLOSED || state == REF_LISTEN ||
		    ref_tcb_info(ex->st, fd, &t) != 0) {
			ex->mem[fd - FD_BASE].valid = false;
			continue;
		}
		if (check_tcb(ex, fd, &t, v))
			return 1;
	}
	return 0;
}

/* ---- the actions ------------------------------------------------------------------- */

static void ends_of(const struct fz_exec *ex, struct fz_ends *e)
{
	e->local = local_addr;
	e->peer = peer_addr;
	e->local_port = ex->local_port ? ex->local_port : FZ_LISTEN_PORT;
	e->peer_port = ex->peer_port;
	e->now = ex->now;
	e->last_tsval = ex->last_tsval;
}

static void do_seg(struct fz_exec *ex, const struct fz_action *a)
{
	struct fz_view v;
	struct fz_ends e;
	struct seg s;
	struct ref_tcb_info t;
	struct fz_rec r = { .kind = FZ_REC_IN };
	size_t n;
	view_of(ex, &v);
	ends_of(ex, &e);
	if (fz__seg_packet(a, &v, &e, &s, ex->pkt, &n) != 0)
		return;
	r.time = ex->now;
	r.seg = &s;
	record(ex, &r);
	ref_stack_input_packet(ex->st, ex->pkt, n, ex->now);
	if (ex->cfg.planted && a->flags == (SEG_URG | SEG_FIN | SEG_PSH | SEG_ACK) &&
	    a->len == 7 && conn_info(ex, &t) && t.state == REF_CLOSE_WAIT)
		ex->planted_hit = true;
}

static void do_time(struct fz_exec *ex, const struct fz_action *a)
{
	uint64_t dl = ref_stack_next_deadline(ex->st), d;
	if (a->time_code <= 2) {
		if (dl == UINT64_MAX || dl < ex->now)
			d = 1000;
		else
			d = dl - ex->now + (a->time_code == 2) - (a->time_code == 1 && dl > ex->now);
	} else if (a->time_code == 31) {
		d = a->time_us;
	} else {
		d = fz__time_table(a->time_code);
	}
	if (ex->spent + d > FZ_TIME_CAP_US)
		d = FZ_TIME_CAP_US - ex->spent;
	ex->spent += d;
	ex->now += d;
	ref_stack_advance(ex->st, ex->now);
}

static void do_icmp(struct fz_exec *ex, const struct fz_action *a)
{
	struct fz_view v;
	struct fz_ends e;
	struct seg_icmp m;
	struct fz_rec r = { .kind = FZ_REC_ICMP };
	size_t n;
	view_of(ex, &v);
	ends_of(ex, &e);
	if (fz__icmp_packet(a, &v, &e, &m, ex->pkt, &n) != 0)
		return;
	r.time = ex->now;
	r.icmp = &m;
	record(ex, &r);
	ref_stack_input_packet(ex->st, ex->pkt, n, ex->now);
}

static void call_rec(struct fz_exec *ex, enum scr_sys sys, int fd, int64_t a1, int64_t a2,
		     long ret)
{
	struct fz_rec r = { .kind = FZ_REC_CALL, .sys = sys, .fd = fd, .a1 = a1, .a2 = a2 };
	r.time = ex->now;
	r.ret = ret;
	record(ex, &r);
}

static int new_socket(struct fz_exec *ex)
{
	int fd = ref_socket(ex->st, SEG_IPV4, ex->now);
	call_rec(ex, SCR_SYS_SOCKET, -1, 0, 0, fd);
	if (fd >= 0)
		call_rec(ex, SCR_SYS_FCNTL, fd, 0, 0, 0); /* O_NONBLOCK: the verbs never block */
	return fd;
}

static void v_listen(struct fz_exec *ex, uint32_t arg)
{
	struct ref_sockaddr sa = { .family = SEG_IPV4, .port = FZ_LISTEN_PORT };
	int backlog = (int)(arg % 8 + 1), rc;
	if (ex->listen_fd < 0) {
		int fd = new_socket(ex);
		if (fd < 0)
			return;
		rc = ref_bind(ex->st, fd, &sa, ex->now);
		call_rec(ex, SCR_SYS_BIND, fd, 0, 0, rc);
		if (rc != 0)
			return;
		ex->listen_fd = fd;
	}
	rc = ref_listen(ex->st, ex->listen_fd, backlog, ex->now);
	call_rec(ex, SCR_SYS_LISTEN, ex->listen_fd, backlog, 0, rc);
	ex->local_port = FZ_LISTEN_PORT;
}

static void v_connect(struct fz_exec *ex)
{
	struct ref_sockaddr sa = { .family = SEG_IPV4, .port = ex->peer_port };
	int fd = new_socket(ex), rc;
	if (fd < 0)
		return;
	memcpy(sa.addr, peer_addr, 4);
	rc = ref_connect(ex->st, fd, &sa, ex->now);
	call_rec(ex, SCR_SYS_CONNECT, fd, 0, 0, rc);
	ex->conn_fd = fd;
}

static void v_setopt(struct fz_exec *ex, int fd, int opt, int val)
{
	int rc;
	if (fd < 0)
		return;
	if (opt == REF_SO_LINGER) {
		struct ref_linger l = { val, 0 };
		rc = ref_setsockopt(ex->st, fd, opt, &l, sizeof l, ex->now);
	} else {
		rc = ref_setsockopt(ex->st, fd, opt, &val, sizeof val, ex->now);
	}
	call_rec(ex, SCR_SYS_SETSOCKOPT, fd, opt, val, rc);
	if (rc == 0 && opt == REF_SO_RCVBUF && (uint32_t)val > ex->max_rcvbuf)
		ex->max_rcvbuf = (uint32_t)val;
	if (rc == 0 && opt == REF_SO_SNDBUF && (uint32_t)val > ex->max_sndbuf)
		ex->max_sndbuf = (uint32_t)val;
}

static void v_getopt(struct fz_exec *ex, int opt)
{
	int val = 0;
	size_t len = sizeof val;
	int rc;
	if (ex->conn_fd < 0)
		return;
	rc = ref_getsockopt(ex->st, ex->conn_fd, opt, &val, &len);
	call_rec(ex, SCR_SYS_GETSOCKOPT, ex->conn_fd, opt, val, rc);
}

static void v_io(struct fz_exec *ex, const struct fz_action *a)
{
	static uint8_t buf[FZ_MAX_PAYLOAD];
	int fd = ex->conn_fd, flags = 0;
	long rc;
	enum scr_sys sys = SCR_SYS_WRITE;
	if (fd < 0)
		return;
	if (a->verb == FZ_V_SEND || a->verb == FZ_V_SEND_OOB) {
		flags = a->verb == FZ_V_SEND_OOB ? REF_MSG_OOB : 0;
		rc = ref_send(ex->st, fd, fz__zeros, a->arg, flags, ex->now);
		sys = flags ? SCR_SYS_SEND : SCR_SYS_WRITE;
	} else {
		flags = a->verb == FZ_V_RECV_PEEK ? REF_MSG_PEEK
						  : a->verb == FZ_V_RECV_OOB ? REF_MSG_OOB : 0;
		rc = ref_recv(ex->st, fd, buf, a->verb == FZ_V_RECV_OOB ? 1 : a->arg, flags,
			      ex->now);
		sys = flags ? SCR_SYS_RECV : SCR_SYS_READ;
	}
	call_rec(ex, sys, fd, a->verb == FZ_V_RECV_OOB ? 1 : a->arg, flags, rc);
}

static void v_close(struct fz_exec *ex, int *fd, bool abort_it)
{
	int rc;
	if (*fd < 0)
		return;
	if (abort_it) {
		/* No syscall says ABORT: SO_LINGER {1, 0} and close() is the way. */
		v_setopt(ex, *fd, REF_SO_LINGER, 1);
	}
	rc = ref_close(ex->st, *fd, ex->now);
	call_rec(ex, SCR_SYS_CLOSE, *fd, 0, 0, rc);
	*fd = -1;
}

static void v_shutdown(struct fz_exec *ex, int how)
{
	int rc;
	if (ex->conn_fd < 0)
		return;
	rc = ref_shutdown(ex->st, ex->conn_fd, how, ex->now);
	call_rec(ex, SCR_SYS_SHUTDOWN, ex->conn_fd, how, 0, rc);
}

static void v_accept(struct fz_exec *ex)
{
	int rc;
	if (ex->listen_fd < 0)
		return;
	rc = ref_accept(ex->st, ex->listen_fd, NULL, ex->now);
	call_rec(ex, SCR_SYS_ACCEPT, ex->listen_fd, 0, 0, rc);
	if (rc >= 0)
		ex->conn_fd = rc;
}

static void both(struct fz_exec *ex, int opt, int val)
{
	v_setopt(ex, ex->listen_fd, opt, val);
	v_setopt(ex, ex->conn_fd, opt, val);
}

static void do_verb(struct fz_exec *ex, const struct fz_action *a)
{
	int on = (int)(a->arg & 1);
	switch (a->verb) {
	case FZ_V_LISTEN: v_listen(ex, a->arg); break;
	case FZ_V_CONNECT: v_connect(ex); break;
	case FZ_V_ACCEPT: v_accept(ex); break;
	case FZ_V_SEND:
	case FZ_V_SEND_OOB:
	case FZ_V_RECV:
	case FZ_V_RECV_PEEK:
	case FZ_V_RECV_OOB: v_io(ex, a); break;
	case FZ_V_SHUT_WR: v_shutdown(ex, REF_SHUT_WR); break;
	case FZ_V_SHUT_RD: v_shutdown(ex, REF_SHUT_RD); break;
	case FZ_V_SHUT_RDWR: v_shutdown(ex, REF_SHUT_RDWR); break;
	case FZ_V_CLOSE: v_close(ex, &ex->conn_fd, false); break;
	case FZ_V_ABORT: v_close(ex, &ex->conn_fd, true); break;
	case FZ_V_NODELAY: v_setopt(ex, ex->conn_fd, REF_TCP_NODELAY, on); break;
	case FZ_V_LINGER0: v_setopt(ex, ex->conn_fd, REF_SO_LINGER, on); break;
	case FZ_V_KEEPALIVE: v_setopt(ex, ex->conn_fd, REF_SO_KEEPALIVE, on); break;
	case FZ_V_OOBINLINE: v_setopt(ex, ex->conn_fd, REF_SO_OOBINLINE, on); break;
	case FZ_V_MAXSEG: both(ex, REF_TCP_MAXSEG, (int)(64 + a->arg * 8)); break;
	case FZ_V_RCVBUF: both(ex, REF_SO_RCVBUF, (int)((a->arg + 1) * 256)); break;
	case FZ_V_SNDBUF: both(ex, REF_SO_SNDBUF, (int)((a->arg + 1) * 256)); break;
	case FZ_V_USER_TIMEOUT:
		v_setopt(ex, ex->conn_fd, REF_TCP_USER_TIMEOUT, (int)(a->arg * 1000));
		break;
	case FZ_V_KEEPIDLE:
		v_setopt(ex, ex->conn_fd, REF_TCP_KEEPIDLE, (int)(a->arg + 1));
		v_setopt(ex, ex->conn_fd, REF_TCP_KEEPINTVL, (int)(a->arg + 1));
		break;
	case FZ_V_SO_ERROR: v_getopt(ex, REF_SO_ERROR); break;
	case FZ_V_POLL:
		if (ex->conn_fd >= 0)
			(void)ref_poll(ex->st, ex->conn_fd);
		break;
	case FZ_V_NEW_PEER:
		ex->peer_port = (uint16_t)(FZ_PEER_PORT + 1 + a->arg % 1000);
		ex->liss_known = ex->ack_seen = false;
		ex->local_port = ex->listen_fd >= 0 ? FZ_LISTEN_PORT : 0;
		break;
	case FZ_V_CLOSE_LISTENER: v_close(ex, &ex->listen_fd, false); break;
	case FZ_V_SOFT_ERROR: v_getopt(ex, REF_TCP_SOFT_ERROR); break;
	case FZ_V_RECVERR: v_setopt(ex, ex->conn_fd, REF_IP_RECVERR, on); break;
	case FZ_V_COUNT: break;
	}
}

int fz_exec_step(struct fz_exec *ex, const struct fz_action *a, struct fz_violation *v)
{
	int fd, bad, state;
	for (fd = 0; fd < NFD; fd++) {
		state = ref_sock_state(ex->st, fd + FD_BASE);
		ex->mem[fd].states = state >= 0 ? 1u << state : 0;
	}
	switch (a->kind) {
	case FZ_SEG: do_seg(ex, a); break;
	case FZ_TIME: do_time(ex, a); break;
	case FZ_VERB: do_verb(ex, a); break;
	case FZ_ICMP: do_icmp(ex, a); break;
	}
	bad = drain(ex, v);
	if (!bad)
		bad = check_all(ex, v);
	if (bad)
		v->action = ex->action;
	ex->action++;
	return bad;
}

int fz_exec_run(struct fz_exec *ex, const struct fz_action *a, size_t n, struct fz_violation *v)
{
	size_t i;
	int rc = 0;
	fz_exec_reset(ex);
	for (i = 0; i < n && rc == 0; i++)
		rc = fz_exec_step(ex, &a[i], v);
	return rc;
}

int fz_run(const struct fz_action *a, size_t n, const struct fz_exec_config *cfg,
	   struct fz_violation *v)
{
	struct fz_exec *ex = fz_exec_new(cfg);
	int rc;
	if (!ex)
		return -ENOMEM;
	rc = fz_exec_run(ex, a, n, v);
	fz_exec_free(ex);
	return rc;
}
