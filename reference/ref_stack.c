/* The stack instance: configuration, slots, demultiplexing, the output
 * queue, the event log, and time (see ref_stack.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "reference/ref_internal.h"

static const char *const state_names[REF_STATE_COUNT] = {
	"CLOSED",     "LISTEN",     "SYN-SENT",   "SYN-RECEIVED", "ESTABLISHED", "FIN-WAIT-1",
	"FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",    "LAST-ACK",     "TIME-WAIT",
};

const char *ref_state_name(enum ref_state s)
{
	if ((unsigned)s >= (unsigned)REF_STATE_COUNT)
		return "?";
	return state_names[s];
}

/* ---- configuration --------------------------------------------------------- */

void ref_stack_config_default(struct ref_stack_config *cfg)
{
	static const uint8_t v4[4] = {192, 0, 2, 1};
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	memset(cfg, 0, sizeof(*cfg));
	cfg->profile = *ref_profile_rfc();
	cfg->addrs[0].family = SEG_IPV4;
	memcpy(cfg->addrs[0].addr, v4, 4);
	cfg->addrs[0].prefix_len = 24;
	cfg->addrs[1].family = SEG_IPV6;
	memcpy(cfg->addrs[1].addr, v6, 16);
	cfg->addrs[1].prefix_len = 64;
	cfg->naddrs = 2;
	cfg->mtu = 1500;
	cfg->max_sockets = 64;
	cfg->out_queue_len = 256;
	cfg->event_log_len = 256;
	cfg->ephemeral_lo = 40000;
	cfg->ephemeral_hi = 59999;
	cfg->fd_base = 3;
}

static bool config_ok(const struct ref_stack_config *c)
{
	return c->naddrs > 0 && c->naddrs <= REF_MAX_LOCAL_ADDRS && c->mtu >= 68 &&
	       c->mtu <= 65535 && c->max_sockets > 0 && c->max_sockets <= 65536 &&
	       c->out_queue_len > 0 && c->event_log_len > 0 && c->ephemeral_lo > 0 &&
	       c->ephemeral_lo <= c->ephemeral_hi && c->fd_base >= 0 &&
	       c->profile.rcv_buf > 0 && c->profile.snd_buf > 0;
}

static int alloc_tables(struct ref_stack *st)
{
	const struct ref_stack_config *c = &st->cfg;
	unsigned i;

	st->socks = calloc(c->max_sockets, sizeof(*st->socks));
	st->fdmap = malloc(c->max_sockets * sizeof(*st->fdmap));
	st->dirty = malloc(c->max_sockets * sizeof(*st->dirty));
	st->outq = calloc(c->out_queue_len, sizeof(*st->outq));
	st->out_slab = malloc((size_t)c->out_queue_len * st->out_data_max);
	st->evq = calloc(c->event_log_len, sizeof(*st->evq));
	if (!st->socks || !st->fdmap || !st->dirty || !st->outq || !st->out_slab || !st->evq)
		return -1;
	for (i = 0; i < c->max_sockets; i++)
		st->fdmap[i] = -1;
	for (i = 0; i < c->out_queue_len; i++)
		st->outq[i].data = st->out_slab + (size_t)i * st->out_data_max;
	return 0;
}

/* The fields a new stack starts with besides its tables (all else zero). */
static void init_scalars(struct ref_stack *st)
{
	st->prof = &st->cfg.profile;
	st->nsocks = st->cfg.max_sockets;
	st->out_data_max = st->cfg.mtu - SEG_IP4_HDR_MIN - REF_TCP_HDR; /* largest payload */
	st->next_port = st->cfg.ephemeral_lo;
}

struct ref_stack *ref_stack_new(const struct ref_stack_config *cfg)
{
	struct ref_stack *st;

	if (cfg == NULL || !config_ok(cfg))
		return NULL;
	st = calloc(1, sizeof(*st));
	if (st == NULL)
		return NULL;
	st->cfg = *cfg;
	init_scalars(st);
	if (alloc_tables(st) != 0) {
		ref_stack_free(st);
		return NULL;
	}
	return st;
}

void ref_stack_free(struct ref_stack *st)
{
	unsigned i;

	if (st == NULL)
		return;
	for (i = 0; st->socks && i < st->nsocks; i++)
		if (st->socks[i].used)
			ref__tcb_destroy(&st->socks[i]);
	free(st->socks);
	free(st->fdmap);
	free(st->dirty);
	free(st->outq);
	free(st->out_slab);
	free(st->evq);
	free(st);
}

void ref_stack_reset(struct ref_stack *st)
{
	struct ref_stack keep;
	unsigned i;

	if (st == NULL)
		return;
	for (i = 0; i < st->hi; i++)
		if (st->socks[i].used)
			ref__tcb_destroy(&st->socks[i]);
	/* Slots are as calloc() left them; the output queue's entries keep
	 * their storage (ref__out_alloc clears an entry when it is taken). */
	memset(st->socks, 0, st->hwm * sizeof(*st->socks));
	for (i = 0; i < st->nsocks; i++)
		st->fdmap[i] = -1;
	keep = *st;
	memset(st, 0, sizeof(*st));
	st->cfg = keep.cfg;
	st->socks = keep.socks;
	st->fdmap = keep.fdmap;
	st->dirty = keep.dirty;
	st->outq = keep.outq;
	st->out_slab = keep.out_slab;
	st->evq = keep.evq;
	init_scalars(st);
}

const struct ref_profile *ref_stack_profile(const struct ref_stack *st) { return st->prof; }

uint64_t ref_stack_now(const struct ref_stack *st) { return st->now; }

enum ref_rule ref_stack_last_rule(const struct ref_stack *st) { return st->last_rule; }

void ref_stack_stats(const struct ref_stack *st, struct ref_stats *out) { *out = st->stats; }

uint64_t ref_stack_events_lost(const struct ref_stack *st) { return st->ev_lost; }

size_t ref_stack_output_pending(const struct ref_stack *st) { return st->out_len; }

/* ---- events ------------------------------------------------------------------- */

/* Append an event (the oldest is lost when the log is full) and show it
 * to the trace hook. */
static void log_event(struct ref_stack *st, const struct ref_event *src)
{
	unsigned cap = st->cfg.event_log_len;
	struct ref_event *ev;

	if (st->ev_len == cap) {
		st->ev_head = (st->ev_head + 1) % cap;
		st->ev_len--;
		st->ev_lost++;
	}
	ev = &st->evq[(st->ev_head + st->ev_len) % cap];
	st->ev_len++;
	*ev = *src;
	st->last_rule = src->rule;
	if (st->cfg.trace)
		st->cfg.trace(st->cfg.trace_ctx, ev);
}

void ref__event(struct ref_stack *st, enum ref_event_kind kind, enum ref_rule rule,
		const struct ref_sock *s, int err)
{
	struct ref_event ev;

	ev.time = st->now;
	ev.kind = kind;
	ev.rule = rule;
	ev.fd = s ? s->fd : -1;
	ev.from = ev.to = s ? s->state : REF_CLOSED;
	ev.err = err;
	log_event(st, &ev);
}

void ref__drop(struct ref_stack *st, const struct ref_sock *s, enum ref_rule rule)
{
	st->stats.drops++;
	ref__event(st, REF_EV_DROP, rule, s, 0);
}

void ref__set_state(struct ref_stack *st, struct ref_sock *s, enum ref_state to,
		    enum ref_rule rule)
{
	struct ref_event ev;

	if (s->state == to)
		return;
	ev.time = st->now;
	ev.kind = REF_EV_STATE;
	ev.rule = rule;
	ev.fd = s->fd;
	ev.from = s->state;
	ev.to = to;
	ev.err = 0;
	s->state = to;
	log_event(st, &ev);
}

int ref_stack_pop_event(struct ref_stack *st, struct ref_event *ev)
{
	if (st->ev_len == 0)
		return 0;
	*ev = st->evq[st->ev_head];
	st->ev_head = (st->ev_head + 1) % st->cfg.event_log_len;
	st->ev_len--;
	return 1;
}

/* ---- output queue ---------------------------------------------------------------- */

struct ref_out_entry *ref__out_alloc(struct ref_stack *st, enum ref_rule rule, int fd,
				     uint64_t now)
{
	unsigned cap = st->cfg.out_queue_len;
	struct ref_out_entry *e;
	uint8_t *data;

	if (st->out_len == cap) {
		st->stats.output_lost++;
		ref__event(st, REF_EV_NOTE, REF_R_OUTPUT_QUEUE_FULL, NULL, 0);
		return NULL;
	}
	e = &st->outq[(st->out_head + st->out_len) % cap];
	st->out_len++;
	data = e->data;
	memset(e, 0, sizeof(*e));
	e->data = data;
	e->seg.payload = data;
	e->time = now;
	e->rule = rule;
	e->fd = fd;
	st->stats.segs_out++;
	st->last_rule = rule;
	return e;
}

int ref_stack_pop_output(struct ref_stack *st, struct ref_output *out)
{
	struct ref_out_entry *e;

	if (st->out_len == 0)
		return 0;
	e = &st->outq[st->out_head];
	out->seg = e->seg;
	out->time = e->time;
	out->rule = e->rule;
	out->fd = e->fd;
	memcpy(out->data, e->data, e->seg.len);
	out->seg.payload = out->data;
	st->out_head = (st->out_head + 1) % st->cfg.out_queue_len;
	st->out_len--;
	return 1;
}

/* ---- slots and socket numbers --------------------------------------------------- */

struct ref_sock *ref__sock_by_fd(const struct ref_stack *st, int fd)
{
	int i = fd - st->cfg.fd_base;

	if (i < 0 || (unsigned)i >= st->nsocks || st->fdmap[i] < 0)
		return NULL;
	return &st->socks[st->fdmap[i]];
}

static void slot_defaults(const struct ref_stack *st, struct ref_sock *s, unsigned idx)
{
	const struct ref_profile *p = st->prof;

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->idx = idx;
	s->fd = -1;
	s->listener = s->acc_next = s->acc_head = s->acc_tail = -1;
	s->state = REF_CLOSED;
	s->keepalive = p->keepalive;
	s->nodelay = !p->nagle;
	s->rcvbuf = p->rcv_buf;
	s->sndbuf = p->snd_buf;
	s->keepidle = p->keepalive_idle;
	s->keepintvl = p->keepalive_intvl;
	s->keepcnt = p->keepalive_count;
	s->ttl = p->ttl;
	s->tos = p->tos;
	ref__stop_timers(&s->tcb);
}

struct ref_sock *ref__slot_alloc(struct ref_stack *st)
{
	unsigned i;

	for (i = 0; i < st->nsocks; i++) {
		if (!st->socks[i].used) {
			slot_defaults(st, &st->socks[i], i);
			if (i >= st->hi)
				st->hi = i + 1;
			if (i >= st->hwm)
				st->hwm = i + 1;
			return &st->socks[i];
		}
	}
	return NULL;
}

void ref__slot_free(struct ref_stack *st, struct ref_sock *s)
{
	ref__tcb_destroy(s);
	s->used = false;
	s->state = REF_CLOSED;
	s->dirty = false;
	while (st->hi > 0 && !st->socks[st->hi - 1].used)
		st->hi--;
}

int ref__fd_alloc(struct ref_stack *st, struct ref_sock *s)
{
	unsigned i;

	for (i = 0; i < st->nsocks; i++) {
		if (st->fdmap[i] < 0) {
			st->fdmap[i] = (int)s->idx;
			s->fd = st->cfg.fd_base + (int)i;
			return s->fd;
		}
	}
	return -EMFILE;
}

void ref__fd_release(struct ref_stack *st, struct ref_sock *s)
{
	if (s->fd >= 0)
		st->fdmap[s->fd - st->cfg.fd_base] = -1;
	s->fd = -1;
}

void ref__mark_dirty(struct ref_stack *st, struct ref_sock *s)
{
	if (s->dirty)
		return;
	s->dirty = true;
	st->dirty[st->ndirty++] = (int)s->idx;
}

void ref__flush(struct ref_stack *st, uint64_t now)
{
	unsigned i;

	for (i = 0; i < st->ndirty; i++) {
		struct ref_sock *s = &st->socks[st->dirty[i]];

		if (!s->used || !s->dirty)
			continue;
		s->dirty = false;
		if (s->have_tcb && s->state != REF_CLOSED && s->state != REF_LISTEN)
			ref__output(st, s, now, UINT32_MAX);
	}
	st->ndirty = 0;
}

/* ---- demultiplexing --------------------------------------------------------------- */

static size_t addr_len(uint8_t family) { return family == SEG_IPV6 ? 16 : 4; }

static bool addr_eq(uint8_t family, const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, addr_len(family)) == 0;
}

static bool addr_any(uint8_t family, const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, addr_len(family)) == 0;
}

struct ref_sock *ref__find_conn(struct ref_stack *st, uint8_t family, const uint8_t *laddr,
				uint16_t lport, const uint8_t *raddr, uint16_t rport)
{
	unsigned i;

	for (i = 0; i < st->hi; i++) {
		struct ref_sock *s = &st->socks[i];

		if (!s->used || !s->have_tcb || s->state == REF_CLOSED ||
		    s->state == REF_LISTEN)
			continue;
		if (s->family == family && s->lport == lport && s->rport == rport &&
		    addr_eq(family, s->laddr, laddr) && addr_eq(family, s->raddr, raddr))
			return s;
	}
	return NULL;
}

struct ref_sock *ref__find_listener(struct ref_stack *st, uint8_t family,
				    const uint8_t *laddr, uint16_t lport)
{
	struct ref_sock *wild = NULL;
	unsigned i;

	for (i = 0; i < st->hi; i++) {
		struct ref_sock *s = &st->socks[i];

		if (!s->used || s->state != REF_LISTEN || s->family != family ||
		    s->lport != lport)
			continue;
		if (addr_eq(family, s->laddr, laddr))
			return s;
		if (addr_any(family, s->laddr) && wild == NULL)
			wild = s;
	}
	return wild;
}

/* ---- address validation, §3.9.2.3 ------------------------------------------------- */

bool ref__addr_is_local(const struct ref_stack *st, uint8_t family, const uint8_t *a)
{
	unsigned i;

	for (i = 0; i < st->cfg.naddrs; i++)
		if (st->cfg.addrs[i].family == family && addr_eq(family, st->cfg.addrs[i].addr, a))
			return true;
	return false;
}

/* The directed broadcast address of one of our IPv4 prefixes. */
static bool v4_directed_bcast(const struct ref_stack *st, const uint8_t *a)
{
	unsigned i;

	for (i = 0; i < st->cfg.naddrs; i++) {
		const struct ref_local_addr *l = &st->cfg.addrs[i];
		uint32_t net, host, mask;

		if (l->family != SEG_IPV4 || l->prefix_len == 0 || l->prefix_len > 30)
			continue;
		mask = l->prefix_len >= 32 ? 0xffffffffu : ~(0xffffffffu >> l->prefix_len);
		net = (uint32_t)l->addr[0] << 24 | (uint32_t)l->addr[1] << 16 |
		      (uint32_t)l->addr[2] << 8 | l->addr[3];
		host = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
		if ((host & mask) == (net & mask) && (host & ~mask) == ~mask)
			return true;
	}
	return false;
}

static bool v4_multi_or_bcast(const struct ref_stack *st, const uint8_t *a)
{
	return a[0] >= 224 || v4_directed_bcast(st, a); /* 224/4 multicast, 240/4 incl. 255.255.255.255 */
}

static bool has_loopback(const struct ref_stack *st, uint8_t family)
{
	static const uint8_t v6lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	unsigned i;

	for (i = 0; i < st->cfg.naddrs; i++) {
		const struct ref_local_addr *l = &st->cfg.addrs[i];

		if (l->family == family && family == SEG_IPV4 && l->addr[0] == 127)
			return true;
		if (l->family == family && family == SEG_IPV6 && addr_eq(family, l->addr, v6lo))
			return true;
	}
	return false;
}

bool ref__addr_bad_dst(const struct ref_stack *st, uint8_t family, const uint8_t *a)
{
	if (family == SEG_IPV6)
		return a[0] == 0xff || addr_any(family, a);
	return v4_multi_or_bcast(st, a) || addr_any(family, a);
}

bool ref__addr_bad_src(const struct ref_stack *st, uint8_t family, const uint8_t *a)
{
	static const uint8_t v6lo[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};

	if (family == SEG_IPV6)
		return a[0] == 0xff || addr_any(family, a) ||
		       (addr_eq(family, a, v6lo) && !has_loopback(st, family));
	if (a[0] == 0 || v4_multi_or_bcast(st, a))
		return true;
	return a[0] == 127 && !has_loopback(st, family);
}

/* ---- input ------------------------------------------------------------------------- */

static uint64_t clamp_now(struct ref_stack *st, uint64_t now)
{
	if (now < st->now)
		now = st->now;
	return now;
}

/* §3.9.2.3 and "not for this host": true if the segment may go on. */
static bool address_checks(struct ref_stack *st, const struct seg *seg)
{
	if (ref__addr_bad_dst(st, seg->family, seg->dst)) {
		ref__drop(st, NULL, REF_R_DROP_BCAST_DST); /* MUST-57 */
		return false;
	}
	if (ref__addr_bad_src(st, seg->family, seg->src)) {
		ref__drop(st, NULL, REF_R_DROP_BAD_SRC); /* MUST-63 */
		return false;
	}
	if (!ref__addr_is_local(st, seg->family, seg->dst)) {
		ref__drop(st, NULL, REF_R_DROP_NOT_LOCAL);
		return false;
	}
	return true;
}

static void input_one(struct ref_stack *st, const struct seg *seg, uint64_t now)
{
	struct ref_in in;
	struct ref_sock *s;

	st->stats.segs_in++;
	if (!address_checks(st, seg))
		return;
	memset(&in, 0, sizeof(in));
	in.seg = seg;
	in.now = now;
	in.seq = seg->seq;
	in.data = seg->payload;
	in.len = (uint32_t)seg->len;
	in.syn = (seg->flags & SEG_SYN) != 0;
	in.fin = (seg->flags & SEG_FIN) != 0;
	in.seg_len = in.len + in.syn + in.fin;
	if (ref__opts_parse(st->prof, seg, &in) != 0) {
		ref__drop(st, NULL, REF_R_DROP_BAD_OPTION); /* MUST-7 */
		return;
	}
	s = ref__find_conn(st, seg->family, seg->dst, seg->dport, seg->src, seg->sport);
	if (s == NULL)
		s = ref__find_listener(st, seg->family, seg->dst, seg->dport);
	if (s == NULL)
		ref__closed_arrives(st, &in);
	else
		ref__segment_arrives(st, s, &in);
}

static bool seg_valid(const struct seg *seg)
{
	return (seg->family == SEG_IPV4 || seg->family == SEG_IPV6) &&
	       (seg->len == 0 || seg->payload != NULL) && seg->len <= SEG_MAX_PACKET;
}

int ref_stack_input_batch(struct ref_stack *st, const struct seg *segs, size_t n,
			  uint64_t now)
{
	size_t i;

	if (st == NULL || (segs == NULL && n > 0))
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (!seg_valid(&segs[i]))
			return -EINVAL;
	now = clamp_now(st, now);
	ref_stack_advance(st, now);
	st->batch++;
	for (i = 0; i < n; i++)
		input_one(st, &segs[i], now);
	st->batch--;
	ref__flush(st, now); /* MUST-59: every segment processed before any ACK */
	return 0;
}

int ref_stack_input(struct ref_stack *st, const struct seg *seg, uint64_t now)
{
	if (seg == NULL)
		return -EINVAL;
	return ref_stack_input_batch(st, seg, 1, now);
}

/* ---- time --------------------------------------------------------------------------- */

uint64_t ref_stack_next_deadline(const struct ref_stack *st)
{
	uint64_t best = REF_NO_TIMER;
	unsigned i;

	for (i = 0; i < st->hi; i++) {
		if (st->socks[i].used && st->socks[i].have_tcb) {
			uint64_t d = ref__conn_deadline(&st->socks[i]);

			if (d < best)
				best = d;
		}
	}
	return best;
}

static struct ref_sock *earliest_conn(struct ref_stack *st, uint64_t *when)
{
	struct ref_sock *best = NULL;
	unsigned i;

	*when = REF_NO_TIMER;
	for (i = 0; i < st->hi; i++) {
		struct ref_sock *s = &st->socks[i];

		if (s->used && s->have_tcb) {
			uint64_t d = ref__conn_deadline(s);

			if (d < *when) {
				*when = d;
				best = s;
			}
		}
	}
	return best;
}

void ref_stack_advance(struct ref_stack *st, uint64_t now)
{
	uint64_t when, budget = 10000000; /* firings per call: a guard, never reached */
	struct ref_sock *s;

	now = clamp_now(st, now);
	while (budget-- > 0) {
		s = earliest_conn(st, &when);
		if (s == NULL || when > now)
			break;
		if (when > st->now)
			st->now = when;
		if (!ref__conn_fire(st, s, when))
			break; /* a timer that does not move would loop: stop */
		ref__flush(st, when);
	}
	st->now = now;
}

/* ---- raw packets --------------------------------------------------------------------- */

static enum ref_rule decode_rule(int err)
{
	switch (err) {
	case SEG_EOPTLEN:
	case SEG_EOPTVAL:
		return REF_R_DROP_BAD_OPTION; /* MUST-7 */
	case SEG_EFRAG:
		return REF_R_DROP_IP_FRAGMENT;
	default:
		return REF_R_DROP_MALFORMED;
	}
}

int ref_stack_input_packet(struct ref_stack *st, const uint8_t *p, size_t n, uint64_t now)
{
	struct seg_packet pkt;
	int err;

	if (st == NULL || (p == NULL && n > 0))
		return -EINVAL;
	now = clamp_now(st, now);
	err = seg_decode(p, n, &pkt, NULL);
	if (err != 0) {
		ref_stack_advance(st, now);
		st->stats.segs_in++;
		ref__drop(st, NULL, decode_rule(err));
		return 0;
	}
	if (pkt.kind == SEG_PKT_ICMP) {
		if (!pkt.u.icmp.icmp_csum_ok || !pkt.u.icmp.ip_csum_ok) {
			ref_stack_advance(st, now);
			ref__drop(st, NULL, REF_R_DROP_BAD_CSUM);
			return 0;
		}
		return ref_stack_input_icmp(st, &pkt.u.icmp, now);
	}
	if (!pkt.u.tcp.tcp_csum_ok || !pkt.u.tcp.ip_csum_ok) {
		ref_stack_advance(st, now);
		st->stats.segs_in++;
		ref__drop(st, NULL, REF_R_DROP_BAD_CSUM); /* MUST-3 */
		return 0;
	}
	return ref_stack_input(st, &pkt.u.tcp, now);
}
