/* The runner's event loop and clock; see run.h. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/pcap_out.h"
#include "harness/run_int.h"

const char *run_verdict_name(enum run_verdict v)
{
	static const char *const names[] = { "pass", "fail", "skip", "xfail", "XPASS", "error" };
	return (unsigned)v < sizeof names / sizeof names[0] ? names[v] : "?";
}

void run_result_free(struct run_result *r)
{
	if (!r)
		return;
	free(r->mismatches);
	free(r->trace);
	free(r->records);
	free(r->event_us);
	memset(r, 0, sizeof *r);
}

bool run_names_target(const char *listed, const char *target)
{
	if (strcmp(listed, target) == 0)
		return true;
	/* linux-raw is the kernel stack of `linux` behind another injector */
	return strcmp(listed, "linux") == 0 && strncmp(target, "linux-", 6) == 0;
}

/* ---- recording ---------------------------------------------------------- */

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

void run_mismatch(struct runner *rn, const struct scr_event *ev, const char *field,
		  const char *expected, const char *actual, const char *rule, const char *fmt, ...)
{
	struct run_result *r = rn->r;
	struct run_mismatch *m;
	va_list ap;
	if (r->n_mismatches >= RUN_MAX_MISMATCHES) {
		rn->mismatches_dropped++;
		return;
	}
	if (!r->mismatches) {
		r->mismatches = calloc(RUN_MAX_MISMATCHES, sizeof *r->mismatches);
		if (!r->mismatches) {
			rn->stop = true;
			return;
		}
	}
	m = &r->mismatches[r->n_mismatches++];
	memset(m, 0, sizeof *m);
	m->line = ev ? ev->line : 0;
	m->col = ev ? ev->col : 0;
	m->time_us = run_now(rn);
	copy_str(m->field, sizeof m->field, field);
	copy_str(m->expected, sizeof m->expected, expected);
	copy_str(m->actual, sizeof m->actual, actual);
	copy_str(m->rule, sizeof m->rule, rule);
	va_start(ap, fmt);
	vsnprintf(m->msg, sizeof m->msg, fmt, ap);
	va_end(ap);
}

void run_trace(struct runner *rn, uint64_t time_us, bool inbound, int line, const uint8_t *pkt,
	       size_t len, const char *rule)
{
	struct run_result *r = rn->r;
	struct seg_packet p;
	struct run_trace_entry *e;
	if (rn->o->pcap)
		cap_write(rn->o->pcap, time_us, pkt, len);
	if (r->n_trace >= RUN_MAX_TRACE)
		return;
	if (r->n_trace == rn->trace_cap) {
		size_t cap = rn->trace_cap ? rn->trace_cap * 2 : 32;
		struct run_trace_entry *v = realloc(r->trace, cap * sizeof *v);
		if (!v)
			return;
		r->trace = v;
		rn->trace_cap = cap;
	}
	e = &r->trace[r->n_trace++];
	memset(e, 0, sizeof *e);
	e->time_us = time_us;
	e->inbound = inbound;
	e->line = line;
	copy_str(e->rule, sizeof e->rule, rule);
	if (seg_decode(pkt, len, &p, NULL) != 0)
		snprintf(e->text, sizeof e->text, "(malformed packet, %zu bytes)", len);
	else if (p.kind == SEG_PKT_ICMP)
		snprintf(e->text, sizeof e->text, "icmp type %u code %u", p.u.icmp.type,
			 p.u.icmp.code);
	else
		run_format(rn, &p.u.tcp, inbound, e->text, sizeof e->text);
}

/* ---- the clock ------------------------------------------------------------ */

uint64_t run_now(struct runner *rn)
{
	return rn->t->ops->now(rn->t);
}

static void queue_push(struct runner *rn, const struct tgt_packet *p)
{
	struct run_out *q;
	if (rn->q_len == RUN_MAX_QUEUE) {
		if (!rn->stop)
			run_mismatch(rn, NULL, "packet", NULL, NULL, NULL,
				     "more than %d packets sent and not matched", RUN_MAX_QUEUE);
		rn->stop = true;
		return;
	}
	q = &rn->queue[(rn->q_head + rn->q_len) % RUN_MAX_QUEUE];
	q->bytes = malloc(p->len ? p->len : 1);
	if (!q->bytes) {
		rn->stop = true;
		return;
	}
	memcpy(q->bytes, p->bytes, p->len);
	q->len = p->len;
	q->time_us = p->time_us;
	copy_str(q->rule, sizeof q->rule, p->rule);
	rn->q_len++;
}

bool run_target_failed(struct runner *rn)
{
	const char *why;
	const struct scr_event *ev;
	if (rn->target_failed)
		return true;
	why = rn->t->ops->failure ? rn->t->ops->failure(rn->t) : NULL;
	if (!why)
		return false;
	ev = rn->cur_event < rn->s->n_events ? &rn->s->events[rn->cur_event] : NULL;
	rn->target_failed = true;
	run_mismatch(rn, ev, "target", NULL, NULL, NULL, "target %s failed: %s",
		     rn->o->target->name, why);
	rn->stop = true;
	return true;
}

void run_collect(struct runner *rn)
{
	struct tgt_packet p;
	uint64_t now = run_now(rn);
	while (rn->t->ops->collect(rn->t, now, &p) == 0) {
		struct seg_packet d;
		if (seg_decode(p.bytes, p.len, &d, NULL) == 0 && d.kind == SEG_PKT_TCP)
			run_learn(rn, &d.u.tcp);
		run_trace(rn, p.time_us, false, 0, p.bytes, p.len, p.rule);
		queue_push(rn, &p);
	}
	run_target_failed(rn);
}

void run_poll_pending(struct runner *rn)
{
	struct tgt_result res;
	int rc;
	if (!rn->pending.active)
		return;
	memset(&res, 0, sizeof res);
	rc = rn->t->ops->finish(rn->t, &res);
	if (rc == -EINPROGRESS)
		return;
	rn->pending.active = false;
	if (rc != 0 && run_target_failed(rn))
		return;
	run_check_result(rn, rn->pending.ev, &res);
	{
		int64_t now = (int64_t)run_now(rn);
		if (now < rn->pending.end_lo - rn->tol || now > rn->pending.end_hi + rn->tol) {
			char want[64], got[64];
			snprintf(want, sizeof want, "%.6f", (double)rn->pending.end_lo / 1e6);
			snprintf(got, sizeof got, "%.6f", (double)now / 1e6);
			run_mismatch(rn, rn->pending.ev, "time", want, got, NULL,
				     "blocking %s returned at %s s, expected at %s s",
				     rn->pending.ev->u.sys.name, got, want);
		}
	}
}

/* Step the clock to each timer due before `to_us`, then to `to_us`, so
 * that packets carry their own times and a blocking call completes at the
 * moment it can. */
static double wall_seconds(void);

/* The watchdog: the script's clock may not pass `limit_us`, and a run may
 * not take more than RUN_WALL_LIMIT_S of real time (a target whose timers
 * never let the clock move on). Stops the run with a mismatch. */
static bool watchdog(struct runner *rn, uint64_t to_us)
{
	const struct scr_event *ev = rn->cur_event < rn->s->n_events
					     ? &rn->s->events[rn->cur_event]
					     : NULL;
	if (to_us > rn->limit_us) {
		run_mismatch(rn, ev, "time", NULL, NULL, NULL,
			     "watchdog: the script would run past %.0f s (stopped at %s line %d)",
			     (double)rn->limit_us / 1e6, rn->s->path, ev ? ev->line : 0);
		rn->stop = true;
	} else if (++rn->steps % 4096 == 0 && wall_seconds() - rn->wall_start > RUN_WALL_LIMIT_S) {
		run_mismatch(rn, ev, "time", NULL, NULL, NULL,
			     "watchdog: more than %d s of real time (stopped at line %d)",
			     RUN_WALL_LIMIT_S, ev ? ev->line : 0);
		rn->stop = true;
	}
	return rn->stop;
}

void run_advance(struct runner *rn, uint64_t to_us)
{
	const struct tgt_ops *ops = rn->t->ops;
	run_collect(rn);
	run_poll_pending(rn);
	if (rn->stop || watchdog(rn, to_us))
		return;
	while (!rn->stop && run_now(rn) < to_us && !watchdog(rn, run_now(rn))) {
		uint64_t next = ops->next_deadline(rn->t);
		uint64_t step = next < to_us ? next : to_us;
		if (step <= run_now(rn))
			step = to_us; /* a stale deadline: let advance() sort it out */
		ops->advance(rn->t, step);
		run_collect(rn);
		run_poll_pending(rn);
	}
}

void run_wait_once(struct runner *rn, uint64_t to_us)
{
	run_collect(rn);
	run_poll_pending(rn);
	if (rn->stop || rn->q_len > 0 || watchdog(rn, run_now(rn)))
		return;
	rn->t->ops->advance(rn->t, to_us);
	run_collect(rn);
	run_poll_pending(rn);
}

/* ---- event times ------------------------------------------------------------ */

/* The window [lo, hi] an event must happen in; `any` for `*`. */
static void event_window(struct runner *rn, const struct scr_event *ev, int64_t *lo,
			 int64_t *hi, bool *any)
{
	const struct scr_time *t = &ev->time;
	*any = false;
	switch (t->kind) {
	case SCR_TIME_ABS:
		*lo = *hi = t->start_us;
		break;
	case SCR_TIME_REL:
		*lo = *hi = rn->last_us + t->start_us;
		break;
	case SCR_TIME_WINDOW:
		*lo = t->start_us;
		*hi = t->end_us;
		break;
	case SCR_TIME_REL_WINDOW:
		*lo = rn->last_us + t->start_us;
		*hi = rn->last_us + t->end_us;
		break;
	case SCR_TIME_ANY:
	case SCR_TIME_NONE:
	default:
		*any = true;
		*lo = *hi = (int64_t)run_now(rn);
		break;
	}
}

/* Move to the time an injected event happens at. An event scripted in the
 * past (after a late outbound packet) happens now. */
static int64_t arrive_at(struct runner *rn, int64_t lo)
{
	if (lo > (int64_t)run_now(rn))
		run_advance(rn, (uint64_t)lo);
	else
		run_collect(rn);
	if (rn->o->record)
		run_record_drain(rn, rn->cur_event ? rn->cur_event - 1 : SIZE_MAX);
	return (int64_t)run_now(rn);
}

static int record_one(struct runner *rn, const struct run_out *q, size_t after)
{
	struct run_result *r = rn->r;
	struct seg_packet p;
	struct run_record *rec;
	if (seg_decode(q->bytes, q->len, &p, NULL) != 0 || p.kind != SEG_PKT_TCP)
		return 0; /* not a TCP segment: nothing a `>` line can say */
	if (r->n_records == rn->records_cap) {
		size_t cap = rn->records_cap ? rn->records_cap * 2 : 32;
		struct run_record *v = realloc(r->records, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		r->records = v;
		rn->records_cap = cap;
	}
	rec = &r->records[r->n_records++];
	memset(rec, 0, sizeof *rec);
	rec->after_event = after;
	rec->time_us = q->time_us;
	rec->seg = p.u.tcp;
	rec->seg.payload = NULL;
	copy_str(rec->rule, sizeof rec->rule, q->rule);
	return 0;
}

void run_record_drain(struct runner *rn, size_t after)
{
	while (rn->q_len > 0) {
		struct run_out *q = &rn->queue[rn->q_head];
		if (record_one(rn, q, after) != 0)
			rn->stop = true;
		free(q->bytes);
		rn->q_head = (rn->q_head + 1) % RUN_MAX_QUEUE;
		rn->q_len--;
	}
}

/* ---- events ------------------------------------------------------------------- */

static void run_none(struct runner *rn, const struct scr_event *ev, int64_t lo)
{
	int64_t start = arrive_at(rn, lo);
	size_t before = rn->q_len;
	run_advance(rn, (uint64_t)(start + ev->u.none.for_us));
	if (rn->q_len > 0 && !rn->o->record) {
		struct seg_packet p;
		char text[200] = "(undecodable)";
		const struct run_out *q = &rn->queue[rn->q_head];
		if (seg_decode(q->bytes, q->len, &p, NULL) == 0 && p.kind == SEG_PKT_TCP)
			run_format(rn, &p.u.tcp, false, text, sizeof text);
		run_mismatch(rn, ev, "packet", "none", text, q->rule,
			     "expected no packet for %.3f s, but the stack sent %s%s",
			     (double)ev->u.none.for_us / 1e6, text,
			     before ? " (sent before the silence began)" : "");
	}
	rn->last_us = start + ev->u.none.for_us;
}

static void run_state(struct runner *rn, const struct scr_event *ev, int64_t lo)
{
	char name[32];
	const char *want = scr_state_name(ev->u.state.state);
	int rc;
	rn->last_us = arrive_at(rn, lo);
	rc = rn->t->ops->state(rn->t, rn->c.local_port, rn->c.remote_port, name, sizeof name);
	if (rc == TGT_NOT_MODELLED) {
		snprintf(rn->skip_reason, sizeof rn->skip_reason,
			 "line %d: target %s cannot report connection states", ev->line,
			 rn->o->target->name);
		rn->stop = true;
		return;
	}
	if (rc != 0 && run_target_failed(rn))
		return;
	if (rc != 0) {
		run_mismatch(rn, ev, "state", want, "(unknown)", NULL,
			     "the target could not tell the connection's state (%s)",
			     strerror(-rc));
		return;
	}
	if (strcmp(name, want) != 0)
		run_mismatch(rn, ev, "state", want, name, NULL,
			     "connection is in state %s, expected %s", name, want);
}

static void run_event(struct runner *rn, const struct scr_event *ev)
{
	int64_t lo, hi;
	bool any;
	event_window(rn, ev, &lo, &hi, &any);
	switch (ev->kind) {
	case SCR_EV_PACKET:
		if (ev->u.packet.dir == SCR_OUT && rn->o->record)
			break; /* expect mode: the reference writes these */
		if (ev->u.packet.dir == SCR_OUT) {
			run_outbound(rn, ev, any ? 0 : lo, any ? INT64_MAX / 2 : hi);
			break;
		}
		rn->last_us = arrive_at(rn, lo);
		run_inbound(rn, ev);
		break;
	case SCR_EV_ICMP:
		rn->last_us = arrive_at(rn, lo);
		if (ev->u.icmp.dir == SCR_IN)
			run_inbound(rn, ev);
		break;
	case SCR_EV_SYSCALL:
		rn->last_us = arrive_at(rn, lo);
		run_syscall(rn, ev, lo);
		break;
	case SCR_EV_NONE:
		run_none(rn, ev, lo);
		break;
	case SCR_EV_STATE:
		run_state(rn, ev, lo);
		break;
	case SCR_EV_SKIP:
	case SCR_EV_PYTHON:
	default:
		break;
	}
}

/* ---- before and after ---------------------------------------------------------- */

/* Does a script's target name stand for the target of this run (its own
 * name, or the --as-target one)? */
static bool names_us(const struct runner *rn, const char *listed)
{
	return run_names_target(listed, rn->o->target->name) ||
	       (rn->o->as_target && run_names_target(listed, rn->o->as_target));
}

/* Why the script cannot run on this target at all, or NULL. */
static const char *precheck(struct runner *rn, char *buf, size_t cap)
{
	const struct scr_script *s = rn->s;
	const struct tgt_ops *ops = rn->o->target;
	size_t i;
	bool named = (s->meta.n_targets == 0 && s->meta.n_findings == 0) || rn->o->ignore_targets;
	for (i = 0; i < s->meta.n_targets; i++)
		named |= names_us(rn, s->meta.targets[i]);
	/* A finding's reproducer runs on the target whose bug it shows. */
	for (i = 0; i < s->meta.n_findings; i++)
		named |= names_us(rn, s->meta.findings[i].target);
	if (!named && s->meta.n_findings > 0) {
		snprintf(buf, cap, "finding of %s (@finding %s)", s->meta.findings[0].target,
			 s->meta.findings[0].id);
		return buf;
	}
	if (!named) {
		snprintf(buf, cap, "not written for target %s (@targets)", ops->name);
		return buf;
	}
	if (s->meta.families &&
	    !(s->meta.families & (rn->c.family == 6 ? SCR_FAM_IPV6 : SCR_FAM_IPV4))) {
		snprintf(buf, cap, "written for %s only (@family)",
			 rn->c.family == 6 ? "IPv4" : "IPv6");
		return buf;
	}
	if (rn->v4_mapped && !(ops->caps & TGT_CAP_V4_MAPPED)) {
		snprintf(buf, cap, "target %s does not run IPv4-mapped IPv6 sockets", ops->name);
		return buf;
	}
	for (i = 0; i < s->n_events; i++) {
		const struct scr_event *ev = &s->events[i];
		if (ev->kind == SCR_EV_SKIP) {
			snprintf(buf, cap, "line %d: %s: %s", ev->line, ev->u.skip.construct,
				 ev->u.skip.reason);
			return buf;
		}
		if (ev->kind == SCR_EV_STATE && !(ops->caps & TGT_CAP_STATE)) {
			snprintf(buf, cap, "line %d: target %s cannot report connection states",
				 ev->line, ops->name);
			return buf;
		}
		if (ev->kind == SCR_EV_ICMP && ev->u.icmp.dir == SCR_OUT) {
			snprintf(buf, cap, "line %d: outbound ICMP lines are not checked yet",
				 ev->line);
			return buf;
		}
		if (ev->kind == SCR_EV_ICMP && ev->u.icmp.dir == SCR_IN &&
		    !(ops->caps & TGT_CAP_ICMP)) {
			snprintf(buf, cap, "line %d: target %s does not take ICMP", ev->line,
				 ops->name);
			return buf;
		}
	}
	return NULL;
}

static const char *xfail_reason(const struct runner *rn)
{
	size_t i;
	for (i = 0; i < rn->s->meta.n_xfails; i++)
		if (names_us(rn, rn->s->meta.xfails[i].target))
			return rn->s->meta.xfails[i].reason;
	return NULL;
}

/* Packets still queued at the end were sent but never expected. */
static void report_leftovers(struct runner *rn)
{
	while (rn->q_len > 0) {
		struct run_out *q = &rn->queue[rn->q_head];
		struct seg_packet p;
		char text[200] = "(undecodable)";
		if (seg_decode(q->bytes, q->len, &p, NULL) == 0 && p.kind == SEG_PKT_TCP)
			run_format(rn, &p.u.tcp, false, text, sizeof text);
		run_mismatch(rn, NULL, "packet", "none", text, q->rule,
			     "unexpected packet at %.6f s: %s", (double)q->time_us / 1e6, text);
		free(q->bytes);
		rn->q_head = (rn->q_head + 1) % RUN_MAX_QUEUE;
		rn->q_len--;
	}
}

static void finish_pending(struct runner *rn)
{
	if (!rn->pending.active)
		return;
	run_advance(rn, (uint64_t)(rn->pending.end_hi + rn->tol));
	if (rn->pending.active) {
		run_mismatch(rn, rn->pending.ev, "time", NULL, "still blocked", NULL,
			     "watchdog: blocking %s (line %d) did not return by %.6f s",
			     rn->pending.ev->u.sys.name, rn->pending.ev->line,
			     (double)(rn->pending.end_hi + rn->tol) / 1e6);
		rn->pending.active = false;
	}
}

static void set_verdict(struct runner *rn)
{
	struct run_result *r = rn->r;
	const char *xf = xfail_reason(rn);
	bool failed = r->n_mismatches > 0;
	if (rn->skip_reason[0] && !failed) {
		/* A line the target cannot do. A divergence before it is still
		 * a failure. */
		r->verdict = RUN_SKIP;
		copy_str(r->reason, sizeof r->reason, rn->skip_reason);
	} else if (failed && xf) {
		r->verdict = RUN_XFAIL;
		copy_str(r->reason, sizeof r->reason, xf);
	} else if (failed) {
		r->verdict = RUN_FAIL;
		if (rn->mismatches_dropped)
			snprintf(r->mismatches[r->n_mismatches - 1].msg,
				 sizeof r->mismatches[0].msg, "... and %zu more mismatches",
				 rn->mismatches_dropped + 1);
		copy_str(r->reason, sizeof r->reason, r->mismatches[0].msg);
	} else if (xf) {
		r->verdict = RUN_XPASS;
		snprintf(r->reason, sizeof r->reason, "passed, but @xfail %s says: %s",
			 rn->o->target->name, xf);
	} else {
		r->verdict = RUN_PASS;
	}
}

/* ---- setting up --------------------------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* Documentation addresses (RFC 5737, RFC 3849): the stack is .1, the
 * script .2; IPv4-mapped runs use ::ffff:192.0.2.x. */
static void setup_conn(struct runner *rn, int family)
{
	static const uint8_t v4[2][4] = { { 192, 0, 2, 1 }, { 192, 0, 2, 2 } };
	static const uint8_t v6[2][16] = { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 },
					   { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } };
	struct run_conn *c = &rn->c;
	uint64_t h = mix64(rn->o->seed + 0x9e3779b97f4a7c15ull);
	memset(c, 0, sizeof *c);
	c->family = (uint8_t)family;
	memcpy(c->local, family == 6 ? v6[0] : v4[0], family == 6 ? 16 : 4);
	memcpy(c->remote, family == 6 ? v6[1] : v4[1], family == 6 ? 16 : 4);
	if (rn->o->addr_family == family) { /* --local-ip, --remote-ip */
		memcpy(c->local, rn->o->local_ip, family == 6 ? 16 : 4);
		memcpy(c->remote, rn->o->remote_ip, family == 6 ? 16 : 4);
	}
	c->remote_port = (uint16_t)(40000 + h % 20000);
	c->remote_isn = (uint32_t)(h >> 32);
}

/* IPv4-mapped IPv6: asked for by the run, or by the script's own
 * `--ip_version=ipv4-mapped-ipv6` header when the run names no family. */
static bool script_v4_mapped(const struct runner *rn)
{
	const char *v = scr_script_option(rn->s, "ip_version");
	if (rn->o->family)
		return rn->o->family == 4 && rn->o->v4_mapped;
	return rn->o->v4_mapped || (v && strcmp(v, "ipv4-mapped-ipv6") == 0);
}

static int script_family(const struct runner *rn)
{
	const char *v = scr_script_option(rn->s, "ip_version");
	if (rn->o->family)
		return rn->o->family;
	if (v && strcmp(v, "ipv6") == 0)
		return 6;
	if (rn->s->meta.families_first)
		return rn->s->meta.families_first;
	return 4;
}

static int64_t script_tolerance(const struct runner *rn)
{
	const char *v = scr_script_option(rn->s, "tolerance_usecs");
	if (rn->o->tolerance_us >= 0 && !(rn->o->tolerance_us == 0 && v))
		return rn->o->tolerance_us ? rn->o->tolerance_us : RUN_DEFAULT_TOLERANCE_US;
	return v ? strtoll(v, NULL, 10) : RUN_DEFAULT_TOLERANCE_US;
}

static double script_tolerance_pct(const struct runner *rn)
{
	const char *v = scr_script_option(rn->s, "tolerance_percent");
	if (rn->o->tolerance_pct >= 0 && !(rn->o->tolerance_pct == 0 && v))
		return rn->o->tolerance_pct;
	return v ? strtod(v, NULL) : 0;
}

static int open_target(struct runner *rn, int family)
{
	struct tgt_config cfg;
	struct tgt_setting *set;
	char why[256] = "";
	size_t i;
	int rc;
	memset(&cfg, 0, sizeof cfg);
	cfg.family = (uint8_t)family;
	cfg.v4_mapped = rn->v4_mapped;
	memcpy(cfg.local_addr, rn->c.local, 16);
	memcpy(cfg.remote_addr, rn->c.remote, 16);
	cfg.profile = rn->o->profile ? rn->o->profile : rn->s->meta.profile;
	cfg.seed = rn->o->seed;
	cfg.iface = rn->o->iface;
	cfg.agent_cmd = rn->o->agent_cmd;
	cfg.agent_timeout_ms = rn->o->agent_timeout_ms;
	set = calloc(rn->s->meta.n_config + rn->o->n_extra_settings + 1, sizeof *set);
	if (!set)
		return -ENOMEM;
	for (i = 0; i < rn->s->meta.n_config; i++) {
		set[i].key = rn->s->meta.config[i].key;
		set[i].value = rn->s->meta.config[i].value;
	}
	for (i = 0; i < rn->o->n_extra_settings; i++)
		set[rn->s->meta.n_config + i] = rn->o->extra_settings[i];
	cfg.settings = set;
	cfg.nsettings = rn->s->meta.n_config + rn->o->n_extra_settings;
	rc = rn->o->target->open(&cfg, &rn->t, why, sizeof why);
	free(set);
	if (rc == -ENOTSUP || rc == -EOPNOTSUPP)
		snprintf(rn->skip_reason, sizeof rn->skip_reason, "%s", why);
	else if (rc != 0)
		snprintf(rn->r->reason, sizeof rn->r->reason, "cannot open target %s: %s",
			 rn->o->target->name, why[0] ? why : strerror(-rc));
	return rc;
}

/* A target that tells its clock only once open (the agent's): on a real
 * clock, a script longer than max_span_us is SKIP "slow", as the CLI
 * does for real-time targets before opening them. */
static bool too_slow_here(struct runner *rn)
{
	uint64_t span;
	if (!rn->o->max_span_us || !rn->t->ops->instance_caps ||
	    (tgt_caps(rn->t) & TGT_CAP_VIRTUAL_TIME))
		return false;
	span = run_script_span(rn->s);
	if (span <= rn->o->max_span_us)
		return false;
	snprintf(rn->skip_reason, sizeof rn->skip_reason,
		 "slow: the script spans %.1f s, more than --max-span %.1f s on a real-time target",
		 (double)span / 1e6, (double)rn->o->max_span_us / 1e6);
	rn->r->span_us = span;
	return true;
}

static double wall_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_events(struct runner *rn)
{
	size_t i;
	for (i = 0; i < rn->s->n_events && !rn->stop; i++) {
		const struct scr_event *ev = &rn->s->events[i];
		rn->cur_event = i;
		if (ev->kind == SCR_EV_PYTHON)
			rn->r->skipped_asserts += ev->u.python.asserts;
		run_event(rn, ev);
		if (rn->o->record) {
			rn->r->event_us[i] = rn->last_us;
			run_record_drain(rn, i);
			if (rn->o->on_event)
				rn->o->on_event(rn->o->hook_arg, rn->t, i, rn->c.local_port,
						rn->c.remote_port);
		}
	}
	rn->r->span_us = run_now(rn);
	rn->r->local_isn = rn->c.local_isn;
	rn->r->remote_isn = rn->c.remote_isn;
	finish_pending(rn);
	run_collect(rn);
	if (rn->o->record)
		run_record_drain(rn, rn->s->n_events ? rn->s->n_events - 1 : SIZE_MAX);
	else if (!rn->stop)
		report_leftovers(rn);
}

static void runner_free(struct runner *rn)
{
	while (rn->q_len > 0) {
		free(rn->queue[rn->q_head].bytes);
		rn->q_head = (rn->q_head + 1) % RUN_MAX_QUEUE;
		rn->q_len--;
	}
	if (rn->t)
		rn->t->ops->close(rn->t);
	free(rn->queue);
	free(rn->pkt);
	free(rn);
}

int run_script(const struct scr_script *s, const struct run_opts *o, struct run_result *out)
{
	struct runner *rn = calloc(1, sizeof *rn);
	double t0 = wall_seconds();
	int family, i;
	memset(out, 0, sizeof *out);
	if (o->record)
		out->event_us = calloc(s->n_events + 1, sizeof *out->event_us);
	if (rn) {
		rn->queue = malloc(RUN_MAX_QUEUE * sizeof *rn->queue);
		rn->pkt = malloc(SEG_MAX_PACKET);
	}
	if (!rn || !rn->queue || !rn->pkt || (o->record && !out->event_us)) {
		if (rn) {
			free(rn->queue);
			free(rn->pkt);
		}
		free(rn);
		run_result_free(out);
		return -ENOMEM;
	}
	rn->s = s;
	rn->o = o;
	rn->r = out;
	rn->limit_us = o->watchdog_us ? o->watchdog_us : RUN_SCRIPT_LIMIT_US;
	rn->wall_start = t0;
	for (i = 0; i < RUN_MAX_FDS; i++)
		rn->fds[i] = -1;
	family = script_family(rn);
	rn->v4_mapped = family == 4 && script_v4_mapped(rn);
	out->family = family;
	rn->tol = script_tolerance(rn);
	rn->tol_pct = script_tolerance_pct(rn);
	setup_conn(rn, family);
	if (precheck(rn, rn->skip_reason, sizeof rn->skip_reason) == NULL) {
		if (open_target(rn, family) == 0) {
			const char *v = rn->t->ops->version(rn->t);
			copy_str(out->target_version, sizeof out->target_version, v);
			if (!too_slow_here(rn))
				run_events(rn);
		} else if (!rn->skip_reason[0]) {
			out->verdict = RUN_ERROR;
			runner_free(rn);
			out->wall_s = wall_seconds() - t0;
			return 0;
		}
	}
	out->skipped_asserts += 0;
	set_verdict(rn);
	runner_free(rn);
	out->wall_s = wall_seconds() - t0;
	return 0;
}
