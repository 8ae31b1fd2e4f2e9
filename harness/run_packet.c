/* Packets in the runner: building inbound packets from script lines with
 * the connection's live numbers, and matching outbound ones field by field
 * (DESIGN.md §4, §5). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/run_int.h"

/* ---- relative numbers ------------------------------------------------------ */

void run_learn(struct runner *rn, const struct seg *s)
{
	struct run_conn *c = &rn->c;
	if (s->family != c->family || memcmp(s->dst, c->remote, 16) != 0)
		return;
	/* The stack's SYN (or SYN-ACK) fixes its ISN and, for an active open,
	 * its port. */
	if ((s->flags & SEG_SYN) && !(s->flags & SEG_RST)) {
		if (!c->local_isn_known || c->local_port == 0 || s->sport == c->local_port) {
			c->local_isn = s->seq;
			c->local_isn_known = true;
		}
		if (c->local_port == 0)
			c->local_port = s->sport;
	}
	c->last_out = *s;
	c->last_out.payload = NULL;
	c->last_out.len = s->len;
	c->have_last_out = true;
}

void run_format(const struct runner *rn, const struct seg *s, bool inbound, char *buf,
		size_t cap)
{
	uint32_t seq_base = inbound ? rn->c.remote_isn : rn->c.local_isn;
	uint32_t ack_base = inbound ? rn->c.local_isn : rn->c.remote_isn;
	seg_format(s, seq_base, ack_base, buf, cap);
}

/* ---- inbound ------------------------------------------------------------------ */

static void apply_ip(struct seg *s, const struct scr_ip *ip)
{
	static const uint8_t ecn_bits[] = { 0, 0, 2, 1, 2, 3 }; /* by enum scr_ecn */
	if (ip->has_tos)
		s->tos = ip->tos;
	if (ip->ecn != SCR_ECN_UNSET)
		s->tos = (uint8_t)((s->tos & ~3u) | ecn_bits[ip->ecn]);
	if (ip->has_ttl)
		s->ttl = ip->ttl;
	if (ip->has_flowlabel)
		s->flow_label = ip->flowlabel;
}

/* Options as written; SACK edges name the stack's bytes, `sack_base` is
 * added to them. */
static int build_opts(uint32_t sack_base, const struct scr_packet *p, struct seg_opts *o)
{
	size_t i;
	int rc = 0;
	seg_opts_clear(o);
	for (i = 0; i < p->n_opts && rc == 0; i++) {
		const struct scr_opt *x = &p->opts[i];
		struct seg_sack_block b[SCR_MAX_SACK];
		unsigned k;
		switch (x->kind) {
		case SEG_OPT_NOP: rc = seg_opts_add_nop(o); break;
		case SEG_OPT_EOL: rc = seg_opts_add_eol(o); break;
		case SEG_OPT_MSS: rc = seg_opts_add_mss(o, (uint16_t)x->val); break;
		case SEG_OPT_WSCALE: rc = seg_opts_add_wscale(o, (uint8_t)x->val); break;
		case SEG_OPT_SACK_PERM: rc = seg_opts_add_sack_perm(o); break;
		case SEG_OPT_TS: rc = seg_opts_add_ts(o, x->val, x->ecr); break;
		case SEG_OPT_SACK:
			for (k = 0; k < x->n_sack; k++) {
				b[k].left = sack_base + x->sack[k].left;
				b[k].right = sack_base + x->sack[k].right;
			}
			rc = seg_opts_add_sack(o, b, x->n_sack);
			break;
		default: rc = SEG_EINVAL; break;
		}
	}
	return rc;
}

static void base_seg(const struct runner *rn, struct seg *s)
{
	const struct run_conn *c = &rn->c;
	seg_init(s, c->family == 6 ? SEG_IPV6 : SEG_IPV4);
	memcpy(s->src, c->remote, 16);
	memcpy(s->dst, c->local, 16);
	s->sport = c->remote_port;
	s->dport = c->local_port ? c->local_port : RUN_BIND_PORT;
}

static const uint8_t zeros[65536];

static void inject(struct runner *rn, const struct scr_event *ev, const uint8_t *pkt, size_t n)
{
	int rc = rn->t->ops->inject(rn->t, pkt, n);
	run_trace(rn, run_now(rn), true, ev->line, pkt, n, NULL);
	if (rc != 0 && run_target_failed(rn))
		return;
	if (rc != 0) {
		run_mismatch(rn, ev, "packet", NULL, NULL, NULL, "the target refused the packet: %s",
			     strerror(-rc));
		rn->stop = true;
	}
	run_collect(rn);
	run_poll_pending(rn);
}

static void inbound_tcp(struct runner *rn, const struct scr_event *ev)
{
	const struct scr_packet *p = &ev->u.packet;
	uint8_t *buf = rn->pkt;
	const size_t cap = SEG_MAX_PACKET;
	struct seg s;
	size_t n;
	base_seg(rn, &s);
	apply_ip(&s, &p->ip);
	s.seq = rn->c.remote_isn + p->seq_start;
	s.ack = p->has_ack ? rn->c.local_isn + p->ack : 0;
	s.flags = p->flags;
	s.wnd = p->has_win ? p->win : 65535;
	s.urp = p->has_urg ? p->urg : 0;
	s.payload = zeros;
	s.len = p->len;
	if (p->bad_csum) {
		s.wire.tcp_csum_set = true;
		s.wire.tcp_csum = 0xbad0; /* replaced below by a surely wrong value */
	}
	if (build_opts(rn->c.local_isn, p, &s.opts) != 0 || seg_encode(&s, buf, cap, &n) != 0) {
		run_mismatch(rn, ev, "packet", NULL, NULL, NULL, "cannot build this packet");
		rn->stop = true;
		return;
	}
	if (p->bad_csum) {
		/* The right checksum plus one: wrong whatever the segment. */
		struct seg_packet d;
		s.wire.tcp_csum_set = false;
		seg_encode(&s, buf, cap, &n);
		seg_decode(buf, n, &d, NULL);
		s.wire.tcp_csum_set = true;
		s.wire.tcp_csum = (uint16_t)(d.u.tcp.tcp_csum + 1);
		seg_encode(&s, buf, cap, &n);
	}
	inject(rn, ev, buf, n);
}

/* ICMP type and code names, as packetdrill writes them. */
struct icmp_name {
	const char *name;
	uint8_t v4, v6;
};

static const struct icmp_name icmp_codes[] = {
	{ "net_unreachable", 0, 0 },       { "host_unreachable", 1, 3 },
	{ "protocol_unreachable", 2, 4 },  { "port_unreachable", 3, 4 },
	{ "frag_needed", 4, 0 },           { "source_route_failed", 5, 0 },
	{ "net_unknown", 6, 0 },           { "host_unknown", 7, 3 },
	{ "source_host_isolated", 8, 0 },  { "net_prohibited", 9, 1 },
	{ "host_prohibited", 10, 1 },      { "net_tos", 11, 0 },
	{ "host_tos", 12, 0 },             { "packet_filtered", 13, 1 },
	{ "no_route", 0, 0 },              { "admin_prohibited", 13, 1 },
	{ "beyond_scope", 0, 2 },          { "address_unreachable", 1, 3 },
	{ "ttl_exceeded", 0, 0 },          { "reassembly_exceeded", 1, 1 },
};

static int icmp_code(const struct scr_icmp *m, int family, uint8_t *code)
{
	size_t i;
	char *end;
	long v;
	if (!m->code) {
		*code = 0;
		return 0;
	}
	for (i = 0; i < sizeof icmp_codes / sizeof icmp_codes[0]; i++)
		if (strcmp(icmp_codes[i].name, m->code) == 0) {
			*code = family == 6 ? icmp_codes[i].v6 : icmp_codes[i].v4;
			return 0;
		}
	v = strtol(m->code, &end, 0);
	if (*end || v < 0 || v > 255)
		return -EINVAL;
	*code = (uint8_t)v;
	return 0;
}

static int icmp_kind(const struct scr_icmp *m, int family, enum seg_icmp_kind *k)
{
	const char *t = m->type;
	if (strcmp(t, "unreachable") == 0 || strcmp(t, "destination_unreachable") == 0)
		*k = m->code && strcmp(m->code, "frag_needed") == 0 && family == 4
			     ? SEG_ICMP_FRAG_NEEDED
			     : SEG_ICMP_UNREACH;
	else if (strcmp(t, "packet_too_big") == 0)
		*k = SEG_ICMP_FRAG_NEEDED;
	else if (strcmp(t, "time_exceeded") == 0)
		*k = SEG_ICMP_TIME_EXCEEDED;
	else if (strcmp(t, "parameter_problem") == 0)
		*k = SEG_ICMP_PARAM_PROBLEM;
	else if (strcmp(t, "source_quench") == 0 && family == 4)
		*k = SEG_ICMP_SOURCE_QUENCH;
	else
		return -EINVAL;
	return 0;
}

/* The quoted segment: the stack's own, as it would have sent it. */
static void icmp_quote(const struct runner *rn, const struct scr_icmp *m, struct seg *q)
{
	const struct run_conn *c = &rn->c;
	if (c->have_last_out) {
		*q = c->last_out;
	} else {
		seg_init(q, c->family == 6 ? SEG_IPV6 : SEG_IPV4);
		memcpy(q->src, c->local, 16);
		memcpy(q->dst, c->remote, 16);
		q->sport = c->local_port;
		q->dport = c->remote_port;
		q->flags = SEG_ACK;
	}
	q->payload = zeros;
	if (m->has_quote) {
		q->seq = c->local_isn + m->seq_start;
		q->len = m->len;
	}
}

static void inbound_icmp(struct runner *rn, const struct scr_event *ev)
{
	const struct scr_icmp *m = &ev->u.icmp;
	uint8_t *buf = rn->pkt;
	const size_t cap = SEG_MAX_PACKET;
	struct seg_icmp msg;
	struct seg q;
	enum seg_icmp_kind kind;
	uint8_t code;
	size_t n;
	if (icmp_kind(m, rn->c.family, &kind) != 0 || icmp_code(m, rn->c.family, &code) != 0) {
		run_mismatch(rn, ev, "packet", NULL, NULL, NULL,
			     "unknown ICMP type or code '%s %s' for IPv%d", m->type,
			     m->code ? m->code : "", rn->c.family);
		rn->stop = true;
		return;
	}
	icmp_quote(rn, m, &q);
	seg_icmp_init(&msg, kind, code, m->has_mtu ? m->mtu : 0, &q);
	if (m->ip.has_ttl)
		msg.ttl = m->ip.ttl;
	if (seg_icmp_encode(&msg, buf, cap, &n) != 0) {
		run_mismatch(rn, ev, "packet", NULL, NULL, NULL, "cannot build this ICMP packet");
		rn->stop = true;
		return;
	}
	inject(rn, ev, buf, n);
}

void run_inbound(struct runner *rn, const struct scr_event *ev)
{
	if (ev->kind == SCR_EV_ICMP)
		inbound_icmp(rn, ev);
	else
		inbound_tcp(rn, ev);
}

/* ---- outbound ------------------------------------------------------------------- */

/* Remove the head of the queue into `*out` (bytes owned by the caller). */
static bool queue_pop(struct runner *rn, struct run_out *out)
{
	if (rn->q_len == 0)
		return false;
	*out = rn->queue[rn->q_head];
	rn->q_head = (rn->q_head + 1) % RUN_MAX_QUEUE;
	rn->q_len--;
	return true;
}

static const struct run_out *queue_peek(const struct runner *rn)
{
	return rn->q_len ? &rn->queue[rn->q_head] : NULL;
}

/* Wait until the stack has sent something, or until `deadline`. */
static void wait_for_packet(struct runner *rn, int64_t deadline)
{
	bool real = !(tgt_caps(rn->t) & TGT_CAP_VIRTUAL_TIME);
	while (rn->q_len == 0 && !rn->stop && (int64_t)run_now(rn) < deadline) {
		uint64_t next, to;
		if (real) { /* return as soon as the packet is there */
			run_wait_once(rn, (uint64_t)deadline);
			continue;
		}
		next = rn->t->ops->next_deadline(rn->t);
		to = next < (uint64_t)deadline ? next : (uint64_t)deadline;
		run_advance(rn, to > run_now(rn) ? to : (uint64_t)deadline);
	}
}

/* The options as text for comparison, trailing EOL padding dropped. */
static void opts_text(const struct seg_opts *o, uint32_t sack_base, char *buf, size_t cap)
{
	struct seg_opts t = *o;
	while (t.len > 0 && t.raw[t.len - 1] == SEG_OPT_EOL)
		t.len--;
	seg_format_opts(&t, sack_base, buf, cap);
}

/* The expected options in the same notation. Expected SACK edges are
 * relative to the script's ISN, so they are built and printed relative. */
static void expected_opts_text(const struct runner *rn, const struct scr_packet *p, char *buf,
			       size_t cap)
{
	struct seg_opts o;
	(void)rn;
	if (build_opts(0, p, &o) != 0) {
		snprintf(buf, cap, "(options do not fit)");
		return;
	}
	opts_text(&o, 0, buf, cap);
}

/* Outbound TS val depends on the stack's clock: compare it as `*`. */
static void blank_tsval(char *text)
{
	char *p = strstr(text, "TS val ");
	while (p) {
		char *v = p + 7, *e = v;
		while (*e >= '0' && *e <= '9')
			e++;
		if (e > v) {
			*v = '*';
			memmove(v + 1, e, strlen(e) + 1);
		}
		p = strstr(v, "TS val ");
	}
}

static void flags_text(uint8_t f, char *buf, size_t cap)
{
	struct seg s;
	char full[64], *sp;
	memset(&s, 0, sizeof s);
	s.flags = f;
	seg_format(&s, 0, 0, full, sizeof full);
	sp = strchr(full, ' ');
	if (sp)
		*sp = '\0';
	snprintf(buf, cap, "%s", full);
}

struct match_ctx {
	struct runner *rn;
	const struct scr_event *ev;
	const char *rule;
	char actual[200];
	int bad;
};

static void field_bad(struct match_ctx *m, const char *field, const char *want, const char *got)
{
	m->bad++;
	run_mismatch(m->rn, m->ev, field, want, got, m->rule,
		     "%s: expected %s, got %s (packet %s)", field, want, got, m->actual);
}

static void check_u32(struct match_ctx *m, const char *field, uint32_t want, uint32_t got)
{
	char a[16], b[16];
	if (want == got)
		return;
	snprintf(a, sizeof a, "%u", want);
	snprintf(b, sizeof b, "%u", got);
	field_bad(m, field, a, b);
}

static void check_fields(struct match_ctx *m, const struct scr_packet *p, const struct seg *s)
{
	const struct run_conn *c = &m->rn->c;
	if (s->flags != p->flags) {
		char a[64], b[64];
		flags_text(p->flags, a, sizeof a);
		flags_text(s->flags, b, sizeof b);
		field_bad(m, "flags", a, b);
	}
	check_u32(m, "seq", p->seq_start, s->seq - c->local_isn);
	check_u32(m, "len", p->len, (uint32_t)s->len);
	if (p->has_ack && (p->flags & SEG_ACK))
		check_u32(m, "ack", p->ack, s->ack - c->remote_isn);
	if (p->has_win)
		check_u32(m, "win", p->win, s->wnd);
	if (p->has_urg)
		check_u32(m, "urg", p->urg, s->urp);
	if (!p->any_opts) {
		char a[200], b[200];
		expected_opts_text(m->rn, p, a, sizeof a);
		opts_text(&s->opts, c->remote_isn, b, sizeof b);
		blank_tsval(a);
		blank_tsval(b);
		if (strcmp(a, b) != 0)
			field_bad(m, "options", a[0] ? a : "<>", b[0] ? b : "<>");
	}
	if (!s->tcp_csum_ok || !s->ip_csum_ok)
		field_bad(m, "checksum", "valid", "invalid");
}

/* Combine following queued segments into `s` while it is shorter than the
 * expected length and they continue it (DESIGN.md: stacks segment
 * differently; TSO). Returns the number of packets combined. */
static int combine(struct runner *rn, struct seg *s, uint32_t want_len)
{
	bool waited = !!(tgt_caps(rn->t) & TGT_CAP_VIRTUAL_TIME);
	int n = 0;
	while (s->len < want_len && !(s->flags & (SEG_SYN | SEG_FIN | SEG_RST))) {
		const struct run_out *q = queue_peek(rn);
		struct seg_packet d;
		struct run_out taken = { 0 };
		if (!q && !waited) {
			/* Real time: the rest of a burst may be a few microseconds
			 * behind (an agent writes its frames one by one). */
			run_wait_once(rn, run_now(rn) + RUN_COMBINE_WAIT_US);
			waited = true;
			continue;
		}
		if (!q || seg_decode(q->bytes, q->len, &d, NULL) != 0 || d.kind != SEG_PKT_TCP ||
		    d.u.tcp.seq != s->seq + (uint32_t)s->len ||
		    s->len + d.u.tcp.len > want_len)
			break;
		waited = !!(tgt_caps(rn->t) & TGT_CAP_VIRTUAL_TIME); /* the next may trail too */
		s->len += d.u.tcp.len;
		s->flags |= d.u.tcp.flags;
		s->ack = d.u.tcp.ack;
		s->wnd = d.u.tcp.wnd;
		queue_pop(rn, &taken);
		free(taken.bytes);
		n++;
	}
	return n;
}

static void check_time(struct match_ctx *m, int64_t when, int64_t lo, int64_t hi)
{
	char a[64], b[64];
	int64_t tol = m->rn->tol;
	if (m->rn->tol_pct > 0 && hi > m->rn->last_us) {
		/* packetdrill's --tolerance_percent: a share of the interval */
		int64_t pct = (int64_t)((double)(hi - m->rn->last_us) * m->rn->tol_pct / 100.0);
		if (pct > tol)
			tol = pct;
	}
	if (when >= lo - tol && when <= hi + tol)
		return;
	if (lo == hi)
		snprintf(a, sizeof a, "%.6f", (double)lo / 1e6);
	else
		snprintf(a, sizeof a, "%.6f~%.6f", (double)lo / 1e6, (double)hi / 1e6);
	snprintf(b, sizeof b, "%.6f", (double)when / 1e6);
	field_bad(m, "time", a, b);
}

void run_outbound(struct runner *rn, const struct scr_event *ev, int64_t lo, int64_t hi)
{
	const struct scr_packet *p = &ev->u.packet;
	struct match_ctx m;
	struct run_out got;
	struct seg_packet d;
	wait_for_packet(rn, hi + rn->tol);
	memset(&m, 0, sizeof m);
	m.rn = rn;
	m.ev = ev;
	if (!queue_pop(rn, &got)) {
		char want[200];
		scr_event_format(ev, want, sizeof want);
		run_mismatch(rn, ev, "packet", want, "nothing", NULL,
			     "expected packet was not sent by %.6f s", (double)(hi + rn->tol) / 1e6);
		rn->stop = true;
		return;
	}
	m.rule = got.rule;
	if (seg_decode(got.bytes, got.len, &d, NULL) != 0 || d.kind != SEG_PKT_TCP) {
		run_mismatch(rn, ev, "packet", "TCP", "malformed or not TCP", got.rule,
			     "the stack sent a packet that does not decode as TCP (%zu bytes)",
			     got.len);
		free(got.bytes);
		return;
	}
	/* --strict-segments, or a script's own `--strict_segments` header
	 * (a script about segmentation itself, e.g. SHLD-28) */
	if (!rn->o->strict_segments && !scr_script_option(rn->s, "strict_segments"))
		combine(rn, &d.u.tcp, p->len);
	run_format(rn, &d.u.tcp, false, m.actual, sizeof m.actual);
	check_time(&m, (int64_t)got.time_us, lo, hi);
	check_fields(&m, p, &d.u.tcp);
	rn->last_us = (int64_t)got.time_us;
	free(got.bytes);
}
