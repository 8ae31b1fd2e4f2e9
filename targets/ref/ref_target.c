/* The `ref` target: the reference stack in-process, in virtual time.
 *
 * Packets go in through the codec (a bad checksum is dropped here, as the
 * stack's input path would: RFC 9293 MUST-3) and come out encoded with
 * their checksums. Socket verbs map to ref_sock.h; a verb that would block
 * on a blocking socket is reported -EINPROGRESS and retried by finish()
 * whenever the runner moves time or injects a packet. Every packet out
 * carries the id of the rule that produced it. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "reference/ref_query.h"
#include "reference/ref_sock.h"
#include "reference/ref_stack.h"
#include "targets/ref/ref_config.h"
#include "targets/ref/ref_target.h"

#define REF_TGT_MAX_FDS 64

struct ref_tgt {
	struct tgt base;
	struct ref_stack *st;
	uint64_t now;
	uint8_t family;
	bool v4_mapped;                 /* AF_INET6 sockets, IPv4 on the wire */
	uint8_t local[16];
	uint8_t remote[16];
	bool nonblock[REF_TGT_MAX_FDS]; /* O_NONBLOCK per socket number */
	/* The verb waiting to complete (call returned -EINPROGRESS). */
	bool pending;
	struct tgt_call call;
	char flags[64];
	size_t sent;                    /* blocking send: bytes taken so far */
	/* Storage for results and packets handed to the runner, allocated
	 * without zeroing (a run touches little of it). */
	struct ref_output *out;
	uint8_t *pkt;           /* SEG_MAX_PACKET bytes */
	uint8_t *rbuf;          /* REF_TGT_RBUF bytes */
	/* Test-only defects (the `mutant` setting, ref_target.h); 0: none. */
	enum ref_tgt_mutant mutant;
	unsigned tw_acks;       /* REF_MUT_TW_NO_REACK: pure ACKs sent in TIME-WAIT */
	bool ooo_pending;       /* REF_MUT_OOO_ACK: an out-of-order segment came in */
	uint32_t ooo_end;       /* ... and where it ended */
	uint32_t rcv_nxt_seen;  /* the last ACK number the stack sent */
	bool rcv_nxt_known;
};

#define REF_TGT_RBUF (1u << 20) /* the most one recv() returns */

static struct ref_tgt *ref_of(struct tgt *t)
{
	return (struct ref_tgt *)t;
}

/* ---- opening ------------------------------------------------------------- */

static int ref_available(char *why, size_t cap)
{
	(void)why;
	(void)cap;
	return 0; /* in-process: always */
}

static int ref_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap);

static const char *ref_version(struct tgt *t)
{
	(void)t;
	return "reference " TCPCHECK_VERSION;
}

/* ---- packets --------------------------------------------------------------- */

static int ref_inject(struct tgt *t, const uint8_t *pkt, size_t len)
{
	struct ref_tgt *r = ref_of(t);
	struct seg_packet p;
	if (seg_decode(pkt, len, &p, NULL) != 0)
		return 0; /* malformed: a stack drops it */
	if (p.kind == SEG_PKT_ICMP)
		return ref_stack_input_icmp(r->st, &p.u.icmp, r->now);
	if (r->mutant == REF_MUT_ACCEPT_BAD_CSUM)
		p.u.tcp.tcp_csum_ok = p.u.tcp.ip_csum_ok = true;
	if (!p.u.tcp.tcp_csum_ok || !p.u.tcp.ip_csum_ok) /* RFC 9293 §3.1 MUST-3: */
		return ref_stack_input_packet(r->st, pkt, len, r->now); /* dropped, rule kept */
	if (r->mutant == REF_MUT_OOO_ACK && p.u.tcp.len > 0 && r->rcv_nxt_known &&
	    p.u.tcp.seq - r->rcv_nxt_seen > 0 && p.u.tcp.seq - r->rcv_nxt_seen < (1u << 30)) {
		r->ooo_pending = true;
		r->ooo_end = p.u.tcp.seq + (uint32_t)p.u.tcp.len;
	}
	return ref_stack_input(r->st, &p.u.tcp, r->now);
}

static int ref_state(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		     size_t cap);

/* The mutants' defects on a segment leaving the stack: false drops it. */
static bool mutate_output(struct ref_tgt *r, struct seg *s)
{
	bool pure_ack = s->flags == SEG_ACK && s->len == 0;
	if (r->mutant == REF_MUT_TW_NO_REACK && pure_ack) {
		char st[32];
		ref_state(&r->base, s->sport, s->dport, st, sizeof st);
		/* the first ACK of the FIN passes; its re-ACKs are lost */
		if (strcmp(st, "TIME_WAIT") == 0 && r->tw_acks++ > 0)
			return false;
	}
	if (r->mutant == REF_MUT_OOO_ACK && r->ooo_pending && (s->flags & SEG_ACK)) {
		s->ack = r->ooo_end; /* acknowledges the hole's far side */
		r->ooo_pending = false;
		return true;
	}
	if (s->flags & SEG_ACK) {
		r->rcv_nxt_seen = s->ack;
		r->rcv_nxt_known = true;
	}
	return true;
}

static int ref_collect(struct tgt *t, uint64_t deadline_us, struct tgt_packet *out)
{
	struct ref_tgt *r = ref_of(t);
	size_t n = 0;
	(void)deadline_us;
	do {
		if (ref_stack_pop_output(r->st, r->out) != 1)
			return -EAGAIN;
	} while (r->mutant && !mutate_output(r, &r->out->seg));
	r->out->seg.payload = r->out->data;
	if (seg_encode(&r->out->seg, r->pkt, SEG_MAX_PACKET, &n) != 0)
		return -EIO;
	out->time_us = r->out->time;
	out->bytes = r->pkt;
	out->len = n;
	out->rule = ref_rule_id(r->out->rule);
	return 0;
}

/* ---- time -------------------------------------------------------------------- */

static uint64_t ref_now(struct tgt *t)
{
	return ref_of(t)->now;
}

static int ref_advance(struct tgt *t, uint64_t to_us)
{
	struct ref_tgt *r = ref_of(t);
	if (to_us > r->now)
		r->now = to_us;
	ref_stack_advance(r->st, r->now);
	return 0;
}

static uint64_t ref_next_deadline(struct tgt *t)
{
	return ref_stack_next_deadline(ref_of(t)->st);
}

/* ---- socket verbs -------------------------------------------------------------- */

static bool is_nonblock(const struct ref_tgt *r, int fd)
{
	return fd >= 0 && fd < REF_TGT_MAX_FDS && r->nonblock[fd];
}

static void set_nonblock(struct ref_tgt *r, int fd, bool on)
{
	if (fd >= 0 && fd < REF_TGT_MAX_FDS)
		r->nonblock[fd] = on;
}

static void sockaddr_of(const struct ref_tgt *r, const uint8_t *addr, uint16_t port,
			struct ref_sockaddr *sa)
{
	memset(sa, 0, sizeof *sa);
	sa->family = r->family;
	memcpy(sa->addr, addr, 16);
	sa->port = port;
}

/* MSG_* names to the reference's flags. */
static int msg_flags(const char *text, int *out)
{
	int f = 0;
	if (!text || !*text || strcmp(text, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (strstr(text, "MSG_OOB"))
		f |= REF_MSG_OOB;
	if (strstr(text, "MSG_PEEK"))
		f |= REF_MSG_PEEK;
	if (strstr(text, "MSG_DONTWAIT"))
		f |= 0x40; /* handled by the adapter: never block */
	*out = f;
	return 0;
}

static int64_t verb_socket(struct ref_tgt *r, const struct tgt_call *c)
{
	int fam = c->domain == AF_INET6 ? SEG_IPV6 : SEG_IPV4;
	int fd;
	/* An AF_INET6 socket talking to an IPv4-mapped peer is, on the wire,
	 * an IPv4 connection: the reference models it as one. */
	if (r->v4_mapped && fam == SEG_IPV6)
		fam = SEG_IPV4;
	if (fam != r->family)
		return -EAFNOSUPPORT;
	fd = ref_socket(r->st, fam, r->now);
	if (fd >= 0)
		set_nonblock(r, fd, (c->type & SOCK_NONBLOCK) != 0);
	return fd;
}

static int64_t verb_send(struct ref_tgt *r, const struct tgt_call *c)
{
	int flags;
	msg_flags(c->flags, &flags);
	return ref_send(r->st, c->fd, c->data + r->sent, c->len - r->sent, flags & 0x3, r->now);
}

static int64_t verb_recv(struct ref_tgt *r, const struct tgt_call *c, struct tgt_result *res)
{
	int flags;
	size_t len = c->len < REF_TGT_RBUF ? c->len : REF_TGT_RBUF;
	long n;
	msg_flags(c->flags, &flags);
	n = ref_recv(r->st, c->fd, r->rbuf, len, flags & 0x3, r->now);
	if (n > 0) {
		res->data = r->rbuf;
		res->data_len = (size_t)n;
	}
	return n;
}

static int64_t verb_fcntl(struct ref_tgt *r, const struct tgt_call *c)
{
	if (ref_poll(r->st, c->fd) < 0)
		return -EBADF;
	if (strcmp(c->name, "F_GETFL") == 0)
		return O_RDWR | (is_nonblock(r, c->fd) ? O_NONBLOCK : 0);
	if (strcmp(c->name, "F_SETFL") == 0) {
		set_nonblock(r, c->fd, (c->ival & O_NONBLOCK) != 0);
		return 0;
	}
	return -EINVAL;
}

static int64_t verb_ioctl(struct ref_tgt *r, const struct tgt_call *c, struct tgt_result *res)
{
	int v;
	if (strcmp(c->name, "SIOCATMARK") != 0)
		return TGT_NOT_MODELLED;
	v = ref_sockatmark(r->st, c->fd);
	if (v < 0)
		return v;
	res->ival = v;
	return 0;
}

static int64_t verb_poll(struct ref_tgt *r, const struct tgt_call *c)
{
	size_t i;
	int64_t ready = 0;
	for (i = 0; i < c->npfds; i++) {
		int ev = ref_poll(r->st, c->pfds[i].fd);
		uint32_t want = c->pfds[i].events | POLLERR | POLLHUP;
		c->pfds[i].revents = ev < 0 ? POLLNVAL : (uint32_t)ev & want;
		ready += c->pfds[i].revents != 0;
	}
	return ready;
}

static int64_t verb_connect(struct ref_tgt *r, const struct tgt_call *c)
{
	struct ref_sockaddr sa;
	sockaddr_of(r, r->remote, c->port, &sa);
	return ref_connect(r->st, c->fd, &sa, r->now);
}

static int64_t do_verb(struct ref_tgt *r, const struct tgt_call *c, struct tgt_result *res)
{
	struct ref_sockaddr sa;
	switch (c->verb) {
	case TGT_SOCKET: return verb_socket(r, c);
	case TGT_BIND:
		sockaddr_of(r, r->local, c->port, &sa);
		return ref_bind(r->st, c->fd, &sa, r->now);
	case TGT_LISTEN: return ref_listen(r->st, c->fd, c->backlog, r->now);
	case TGT_ACCEPT: return ref_accept(r->st, c->fd, NULL, r->now);
	case TGT_CONNECT: return verb_connect(r, c);
	case TGT_SEND: return verb_send(r, c);
	case TGT_RECV: return verb_recv(r, c, res);
	case TGT_SHUTDOWN: return ref_shutdown(r->st, c->fd, c->how, r->now);
	case TGT_CLOSE: return ref_close(r->st, c->fd, r->now);
	case TGT_SETSOCKOPT: return ref_tgt_setsockopt(r->st, c, r->now);
	case TGT_GETSOCKOPT: return ref_tgt_getsockopt(r->st, c, res);
	case TGT_FCNTL: return verb_fcntl(r, c);
	case TGT_IOCTL: return verb_ioctl(r, c, res);
	case TGT_POLL: return verb_poll(r, c);
	default: return -EINVAL;
	}
}

/* Would this result block a blocking socket? */
static bool would_block(const struct ref_tgt *r, const struct tgt_call *c, int64_t v)
{
	int flags = 0;
	if (c->verb == TGT_POLL)
		return v == 0 && c->timeout_ms != 0;
	if (is_nonblock(r, c->fd))
		return false;
	msg_flags(c->flags, &flags);
	if (flags & 0x40)
		return false;
	if (c->verb == TGT_CONNECT)
		return v == -EINPROGRESS || v == -EALREADY;
	return v == -EAGAIN;
}

static void set_result(struct tgt_result *res, int64_t v)
{
	res->ret = v < 0 ? -1 : v;
	res->err = v < 0 ? (int)-v : 0;
}

/* A blocking connect completes when the handshake does (or fails). */
static int finish_connect(struct ref_tgt *r, struct tgt_result *res)
{
	int ev = ref_poll(r->st, r->call.fd);
	int err = 0;
	size_t len = sizeof err;
	if (ev >= 0 && !(ev & (REF_POLLOUT | REF_POLLERR | REF_POLLHUP)))
		return -EINPROGRESS;
	ref_getsockopt(r->st, r->call.fd, REF_SO_ERROR, &err, &len);
	set_result(res, err ? -err : 0);
	return 0;
}

/* A blocking send returns once everything is queued, as Linux's does. */
static int step_send(struct ref_tgt *r, struct tgt_result *res)
{
	int64_t v = verb_send(r, &r->call);
	if (v > 0)
		r->sent += (size_t)v;
	if (v == -EAGAIN || (v >= 0 && r->sent < r->call.len))
		return -EINPROGRESS;
	set_result(res, v < 0 && r->sent == 0 ? v : (int64_t)r->sent);
	return 0;
}

static int ref_call(struct tgt *t, const struct tgt_call *c, struct tgt_result *res)
{
	struct ref_tgt *r = ref_of(t);
	int64_t v;
	memset(res, 0, sizeof *res);
	r->call = *c;
	r->sent = 0;
	if (c->flags) {
		snprintf(r->flags, sizeof r->flags, "%s", c->flags);
		r->call.flags = r->flags;
	}
	if (c->verb == TGT_SEND && !is_nonblock(r, c->fd)) {
		if (step_send(r, res) == 0)
			return 0;
		r->pending = true;
		return -EINPROGRESS;
	}
	v = do_verb(r, &r->call, res);
	if (v == TGT_NOT_MODELLED)
		return TGT_NOT_MODELLED;
	if (would_block(r, c, v)) {
		r->pending = true;
		return -EINPROGRESS;
	}
	set_result(res, v);
	return 0;
}

static int ref_finish(struct tgt *t, struct tgt_result *res)
{
	struct ref_tgt *r = ref_of(t);
	int64_t v;
	int rc;
	if (!r->pending)
		return -EINVAL;
	memset(res, 0, sizeof *res);
	if (r->call.verb == TGT_CONNECT)
		rc = finish_connect(r, res);
	else if (r->call.verb == TGT_SEND)
		rc = step_send(r, res);
	else {
		v = do_verb(r, &r->call, res);
		rc = would_block(r, &r->call, v) ? -EINPROGRESS : 0;
		if (rc == 0)
			set_result(res, v);
	}
	if (rc == 0)
		r->pending = false;
	return rc;
}

static int ref_state(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		     size_t cap)
{
	struct ref_tgt *r = ref_of(t);
	struct ref_sockaddr l, p;
	sockaddr_of(r, r->local, local_port, &l);
	sockaddr_of(r, r->remote, remote_port, &p);
	snprintf(name, cap, "%s", ref_tgt_state_name(ref_stack_conn_state(r->st, &l, &p)));
	return 0;
}

static void ref_close_tgt(struct tgt *t)
{
	struct ref_tgt *r = ref_of(t);
	if (!r)
		return;
	ref_stack_free(r->st);
	free(r->out);
	free(r->pkt);
	free(r->rbuf);
	free(r);
}

const struct tgt_ops ref_target_ops = {
	.name = "ref",
	.description = "the reference TCP stack, in-process, virtual time",
	.caps = TGT_CAP_VIRTUAL_TIME | TGT_CAP_SOCKETS | TGT_CAP_STATE | TGT_CAP_IPV4 |
		TGT_CAP_IPV6 | TGT_CAP_RULES | TGT_CAP_ICMP | TGT_CAP_V4_MAPPED,
	.available = ref_available,
	.open = ref_open,
	.version = ref_version,
	.inject = ref_inject,
	.collect = ref_collect,
	.now = ref_now,
	.advance = ref_advance,
	.next_deadline = ref_next_deadline,
	.call = ref_call,
	.finish = ref_finish,
	.state = ref_state,
	.close = ref_close_tgt,
};

/* The `mutant` setting: a defect planted for the differ's tests. Those
 * that a profile value can express are planted through the profile (the
 * differ must then name the key); the others are done here, around a
 * clean stack. */
static int mutant_of(const struct tgt_config *cfg, struct ref_stack_config *sc,
		     enum ref_tgt_mutant *m, char *why, size_t cap)
{
	static const char *const names[] = { "", "bad-csum", "rst-no-challenge", "iw",
					     "late-delack", "tw-no-reack", "ooo-ack" };
	size_t i, k;
	for (i = 0; i < cfg->nsettings; i++) {
		if (strcmp(cfg->settings[i].key, "mutant") != 0)
			continue;
		for (k = 1; k < sizeof names / sizeof names[0]; k++)
			if (strcmp(cfg->settings[i].value, names[k]) == 0)
				break;
		if (k == sizeof names / sizeof names[0]) {
			snprintf(why, cap, "unknown mutant '%s'", cfg->settings[i].value);
			return -EINVAL;
		}
		*m = (enum ref_tgt_mutant)k;
	}
	if (*m == REF_MUT_RST_NO_CHALLENGE)
		sc->profile.rfc5961_rst = false; /* RFC 793: an in-window RST resets */
	if (*m == REF_MUT_IW) {
		sc->profile.iw_segments = 1;
		if (sc->profile.cc == REF_CC_NONE)
			sc->profile.cc = REF_CC_NEWRENO;
	}
	if (*m == REF_MUT_LATE_DELACK)
		sc->profile.delack_time = 450000; /* late, still under MUST-40's 0.5 s */
	return 0;
}

const char *ref_tgt_last_rule(struct tgt *t)
{
	if (!t || t->ops != &ref_target_ops)
		return NULL;
	return ref_rule_id(ref_stack_last_rule(ref_of(t)->st));
}

static int ref_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	struct ref_stack_config sc;
	struct ref_tgt *r;
	enum ref_tgt_mutant mutant = REF_MUT_NONE;
	int rc = ref_tgt_config(cfg, &sc, why, cap);
	if (rc == 0)
		rc = mutant_of(cfg, &sc, &mutant, why, cap);
	if (rc != 0)
		return rc;
	r = calloc(1, sizeof *r);
	if (!r)
		return -ENOMEM;
	r->mutant = mutant;
	r->base.ops = &ref_target_ops;
	r->out = malloc(sizeof *r->out);
	r->pkt = malloc(SEG_MAX_PACKET);
	r->rbuf = malloc(REF_TGT_RBUF);
	r->family = cfg->family == 6 ? SEG_IPV6 : SEG_IPV4;
	r->v4_mapped = cfg->v4_mapped && r->family == SEG_IPV4;
	memcpy(r->local, cfg->local_addr, 16);
	memcpy(r->remote, cfg->remote_addr, 16);
	r->st = ref_stack_new(&sc);
	if (!r->st || !r->out || !r->pkt || !r->rbuf) {
		snprintf(why, cap, "%s", r->st ? "out of memory"
					       : "the reference stack refused its configuration");
		ref_close_tgt(&r->base);
		return r->st ? -ENOMEM : -EINVAL;
	}
	*out = &r->base;
	return 0;
}
