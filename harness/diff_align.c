/* The differ's comparison: alignment, divergences, one finding per root
 * cause, and the class of each (diff.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/diff_int.h"
#include "reference/ref_profile.h"
#include "reference/ref_rule.h"

/* Events are numbered by slot: 0 before the first event, i + 1 after
 * event i. */
static size_t slot_of(size_t ev)
{
	return ev == SIZE_MAX ? 0 : ev + 1;
}

static int64_t absdiff(uint64_t a, uint64_t b)
{
	return a > b ? (int64_t)(a - b) : (int64_t)(b - a);
}

struct raw_list {
	struct diff_finding *v; /* DIFF_MAX_RAW */
	size_t n;
	size_t dropped;
};

struct cmp_ctx {
	const struct scr_script *s;
	struct diff_side *ref, *tgt;
	int64_t tol;
	struct raw_list raw;
};

static int64_t eff_tol(const struct cmp_ctx *c)
{
	return c->tol > 0 ? c->tol : DIFF_DEFAULT_TOL_US;
}

/* When the target should send `e` (a reference chunk): the reference's
 * time moved by how late the target ran the event `e` follows. A real-time
 * target runs each event somewhat after its scripted time (scheduling, a
 * loaded machine), and relative times (`+0.1`) carry that lateness on; what
 * a stack decides is the delay after the event, so that is what is
 * compared. On virtual-time targets the shift is 0. */
static uint64_t shifted(const struct cmp_ctx *c, uint64_t time_us, size_t ev)
{
	const int64_t *re = c->ref->run.event_us, *te = c->tgt->run.event_us;
	int64_t t;
	if (ev == SIZE_MAX || ev >= c->s->n_events || !re || !te || !c->tgt->ev[ev].seen)
		return time_us;
	t = (int64_t)time_us + (te[ev] - re[ev]);
	return t > 0 ? (uint64_t)t : 0;
}

/* ... measured from the earlier of the two events when the reference's
 * segment `e` and the target's `a` follow different ones (a timer started
 * by the earlier event fired after the next one on one side only). */
static uint64_t expected_time(const struct cmp_ctx *c, const struct diff_chunk *e,
			      const struct diff_chunk *a)
{
	return shifted(c, e->time_us, slot_of(a->ev) < slot_of(e->ev) ? a->ev : e->ev);
}

/* ---- alignment: longest common subsequence ------------------------------ */

/* The same segment (`a` the reference's, `b` the target's), close enough
 * in time. Across script events only when the later of the two was sent by
 * a timer (a late retransmission or delayed ACK): a reply to a later event
 * is another segment, and a target segment sent before the event the
 * reference's answers cannot be that answer. A real-time target's short
 * timer (a delayed ACK at the next jiffy) can fire before the script's next
 * event where the reference's, in virtual time, fires after it: that pair
 * aligns only when their times agree. */
static bool aligns(const struct cmp_ctx *c, const struct diff_chunk *a, const struct diff_chunk *b)
{
	size_t sa = slot_of(a->ev), sb = slot_of(b->ev);
	if (sa < sb && b->prompt)
		return false;
	if (sa > sb && (a->prompt || absdiff(expected_time(c, a, b), b->time_us) > eff_tol(c)))
		return false;
	return diff_chunk_same(a, b) && absdiff(a->time_us, b->time_us) <= DIFF_ALIGN_WINDOW_US;
}

static void align_greedy(const struct cmp_ctx *c, struct diff_side *r, struct diff_side *t)
{
	size_t i, j = 0;
	for (i = 0; i < r->n_chunks; i++) {
		size_t k;
		for (k = j; k < t->n_chunks; k++)
			if (aligns(c, &r->chunks[i], &t->chunks[k])) {
				r->chunks[i].matched = t->chunks[k].matched = true;
				r->chunks[i].peer = k;
				t->chunks[k].peer = i;
				j = k + 1;
				break;
			}
	}
}

static void align(const struct cmp_ctx *c)
{
	struct diff_side *r = c->ref, *t = c->tgt;
	size_t n = r->n_chunks, m = t->n_chunks, i, j;
	uint32_t *dp;
	for (i = 0; i < n; i++)
		r->chunks[i].matched = false;
	for (j = 0; j < m; j++)
		t->chunks[j].matched = false;
	if (n == 0 || m == 0)
		return;
	if ((n + 1) * (m + 1) > (4u << 20) ||
	    !(dp = calloc((n + 1) * (m + 1), sizeof *dp))) {
		align_greedy(c, r, t);
		return;
	}
#define DP(a, b) dp[(a) * (m + 1) + (b)]
	for (i = n; i-- > 0;)
		for (j = m; j-- > 0;)
			DP(i, j) = aligns(c, &r->chunks[i], &t->chunks[j])
					   ? DP(i + 1, j + 1) + 1
					   : (DP(i + 1, j) > DP(i, j + 1) ? DP(i + 1, j) : DP(i, j + 1));
	i = j = 0;
	while (i < n && j < m) {
		if (aligns(c, &r->chunks[i], &t->chunks[j]) && DP(i, j) == DP(i + 1, j + 1) + 1) {
			r->chunks[i].matched = t->chunks[j].matched = true;
			r->chunks[i].peer = j;
			t->chunks[j].peer = i;
			i++;
			j++;
		} else if (DP(i + 1, j) >= DP(i, j + 1)) {
			i++;
		} else {
			j++;
		}
	}
#undef DP
	free(dp);
}

/* ---- raw divergences -------------------------------------------------------- */

static int event_line(const struct cmp_ctx *c, size_t ev)
{
	return ev < c->s->n_events ? c->s->events[ev].line : 0;
}

static const char *silence_rule(const struct cmp_ctx *c, size_t ev)
{
	return ev < c->ref->n_events ? c->ref->ev[ev].rule : "";
}

static struct diff_finding *raw_new(struct cmp_ctx *c, size_t ev, uint64_t t, const char *kind,
				    const char *rule)
{
	struct diff_finding *f;
	if (c->raw.n >= DIFF_MAX_RAW) {
		c->raw.dropped++;
		return NULL;
	}
	f = &c->raw.v[c->raw.n++];
	memset(f, 0, sizeof *f);
	f->event = ev;
	f->line = event_line(c, ev);
	f->time_us = t;
	f->cls = DIFF_VIOLATION;
	snprintf(f->kind, sizeof f->kind, "%s", kind);
	snprintf(f->rule, sizeof f->rule, "%s", rule ? rule : "");
	return f;
}

static void add_field(struct diff_finding *f, const char *name, const char *want,
		      const char *got)
{
	struct diff_field *x;
	if (!f || f->n_fields >= DIFF_MAX_FIELDS)
		return;
	x = &f->fields[f->n_fields++];
	snprintf(x->name, sizeof x->name, "%s", name);
	snprintf(x->expected, sizeof x->expected, "%s", want);
	snprintf(x->actual, sizeof x->actual, "%s", got);
}

static void add_u32(struct diff_finding *f, const char *name, uint32_t want, uint32_t got)
{
	char a[16], b[16];
	if (want == got)
		return;
	snprintf(a, sizeof a, "%u", want);
	snprintf(b, sizeof b, "%u", got);
	add_field(f, name, a, b);
}

static void flags_text(uint8_t fl, char *buf, size_t cap)
{
	static const char names[] = "FSRPAUEC";
	size_t n = 0;
	int i;
	for (i = 0; i < 8 && n + 1 < cap; i++)
		if (fl & (1u << i) && i != 3)
			buf[n++] = names[i];
	if (n == 0 && cap > 1)
		buf[n++] = '.';
	buf[n] = '\0';
}

static void pair_fields(struct diff_finding *f, const struct diff_chunk *e,
			const struct diff_chunk *a)
{
	uint8_t fe = e->flags & (uint8_t)~SEG_PSH, fa = a->flags & (uint8_t)~SEG_PSH;
	if (fe != fa) {
		char x[16], y[16];
		flags_text(fe, x, sizeof x);
		flags_text(fa, y, sizeof y);
		add_field(f, "flags", x, y);
	}
	add_u32(f, "seq", e->seq, a->seq);
	if ((fe & SEG_ACK) && (fa & SEG_ACK))
		add_u32(f, "ack", e->ack, a->ack);
	add_u32(f, "len", e->len, a->len);
	snprintf(f->expected_pkt, sizeof f->expected_pkt, "%s", e->text);
	snprintf(f->actual_pkt, sizeof f->actual_pkt, "%s", a->text);
}

static void matched_pairs(struct cmp_ctx *c)
{
	size_t i;
	for (i = 0; i < c->ref->n_chunks; i++) {
		const struct diff_chunk *e = &c->ref->chunks[i], *a;
		struct diff_finding *f;
		uint64_t want;
		if (!e->matched)
			continue;
		a = &c->tgt->chunks[e->peer];
		want = expected_time(c, e, a);
		if (absdiff(want, a->time_us) > eff_tol(c)) {
			char x[32], y[32];
			f = raw_new(c, e->ev, a->time_us, "timing", e->rule);
			snprintf(x, sizeof x, "%.6f", (double)want / 1e6);
			snprintf(y, sizeof y, "%.6f", (double)a->time_us / 1e6);
			add_field(f, "time", x, y);
			if (f) {
				f->cls = DIFF_TIMING;
				snprintf(f->expected_pkt, sizeof f->expected_pkt, "%s", e->text);
				snprintf(f->actual_pkt, sizeof f->actual_pkt, "%s", a->text);
			}
		}
		if (strcmp(e->opts, a->opts) != 0) {
			f = raw_new(c, e->ev, a->time_us, "fields", e->rule);
			add_field(f, "options", e->opts[0] ? e->opts : "<>", a->opts[0] ? a->opts : "<>");
			if (f) {
				snprintf(f->expected_pkt, sizeof f->expected_pkt, "%s", e->text);
				snprintf(f->actual_pkt, sizeof f->actual_pkt, "%s", a->text);
			}
		}
	}
}

/* The unaligned chunks of `d` after slot `g`, in order. */
static size_t unmatched_in(const struct diff_side *d, size_t g, size_t *idx, size_t cap)
{
	size_t i, n = 0;
	for (i = 0; i < d->n_chunks && n < cap; i++)
		if (!d->chunks[i].matched && slot_of(d->chunks[i].ev) == g)
			idx[n++] = i;
	return n;
}

static void position(const struct diff_side *d, size_t g, uint32_t *nxt, uint32_t *ack);

/* Is `x`, one side's unpaired pure ACK after slot `g`, an ACK the other
 * side `o` sends too, only at another moment? It acknowledges more than
 * `o` had acknowledged before the event, and `o` acknowledges the same in
 * a segment after that event or a later one, within 0.5 s (MUST-40): the stacks chose differently when to
 * acknowledge (SHLD-18: at once or delayed, alone or carried by the next
 * segment), not what. A real-time target's delayed-ACK timer and the
 * script's next verb race each other here. */
static bool ack_moved(const struct cmp_ctx *c, const struct diff_side *o,
		      const struct diff_chunk *x, size_t g)
{
	uint32_t nxt, ack;
	size_t i, k;
	if ((x->flags & (uint8_t)~SEG_PSH) != SEG_ACK || x->len != 0)
		return false;
	nxt = ack = 0;
	if (g > 0)
		position(o, g - 1, &nxt, &ack); /* what `o` acknowledged before this event */
	if ((int32_t)(x->ack - ack) <= 0)
		return false;
	for (i = 0; i < o->n_chunks; i++) {
		const struct diff_chunk *y = &o->chunks[i];
		if (slot_of(y->ev) < g || !(y->flags & SEG_ACK) || y->ack != x->ack ||
		    absdiff(y->time_us, x->time_us) >= 500000)
			continue;
		/* ... with nothing arriving in between that the ACK could be for */
		for (k = g; k < slot_of(y->ev) && k < c->s->n_events; k++) {
			const struct scr_event *ev = &c->s->events[k];
			if (ev->kind == SCR_EV_PACKET && ev->u.packet.dir == SCR_IN &&
			    (ev->u.packet.len > 0 || (ev->u.packet.flags & (SEG_SYN | SEG_FIN))))
				break;
		}
		if (k >= slot_of(y->ev) || k >= c->s->n_events)
			return true;
	}
	return false;
}

static void moved_ack(struct diff_finding *f)
{
	if (!f)
		return;
	f->cls = DIFF_DEVIATION;
	snprintf(f->note, sizeof f->note, "the other stack sends the same acknowledgment at "
		 "another moment: when to acknowledge is the stack's choice (SHLD-18)");
}

static void slot_packets(struct cmp_ctx *c, size_t g)
{
	size_t ie[64], ia[64], ne, na, k;
	ne = unmatched_in(c->ref, g, ie, 64);
	na = unmatched_in(c->tgt, g, ia, 64);
	for (k = 0; k < ne || k < na; k++) {
		const struct diff_chunk *e = k < ne ? &c->ref->chunks[ie[k]] : NULL;
		const struct diff_chunk *a = k < na ? &c->tgt->chunks[ia[k]] : NULL;
		size_t ev = g == 0 ? SIZE_MAX : g - 1;
		struct diff_finding *f;
		if (e && a) {
			f = raw_new(c, ev, a->time_us, "fields", e->rule);
			if (f)
				pair_fields(f, e, a);
		} else if (e) {
			f = raw_new(c, ev, e->time_us, "missing", e->rule);
			add_field(f, "packet", e->text, "nothing");
			if (f)
				snprintf(f->expected_pkt, sizeof f->expected_pkt, "%s", e->text);
			if (ack_moved(c, c->tgt, e, g))
				moved_ack(f);
		} else {
			f = raw_new(c, ev, a->time_us, "unexpected", silence_rule(c, ev));
			add_field(f, "packet", "nothing", a->text);
			if (f)
				snprintf(f->actual_pkt, sizeof f->actual_pkt, "%s", a->text);
			if (ack_moved(c, c->ref, a, g))
				moved_ack(f);
		}
	}
}

static bool is_fd_verb(const struct scr_event *ev)
{
	return ev->u.sys.sys == SCR_SYS_SOCKET || ev->u.sys.sys == SCR_SYS_ACCEPT;
}

static void result_text(const struct diff_event *x, bool fd, char *buf, size_t cap)
{
	if (!x->has_result)
		snprintf(buf, cap, "(did not return)");
	else if (x->ret == -1)
		snprintf(buf, cap, "-1 %s", strerror(x->err));
	else if (fd)
		snprintf(buf, cap, "a descriptor");
	else
		snprintf(buf, cap, "%lld", (long long)x->ret);
}

/* Both sides in the same state? LISTEN and CLOSED are the same here: the
 * state is asked for the script's connection (its port pair), and once
 * that connection is gone the reference reports the listener still on
 * the port (LISTEN) where a kernel's sock_diag, which looks the pair up,
 * finds nothing (CLOSED). Either way there is no connection. */
static bool same_state(const char *a, const char *b)
{
	if (!strcmp(a, "LISTEN"))
		a = "CLOSED";
	if (!strcmp(b, "LISTEN"))
		b = "CLOSED";
	return !strcmp(a, b);
}

static void slot_verbs_states(struct cmp_ctx *c, size_t ev)
{
	const struct scr_event *sev = &c->s->events[ev];
	const struct diff_event *e = &c->ref->ev[ev], *a = &c->tgt->ev[ev];
	uint64_t t = c->tgt->run.event_us && c->tgt->run.event_us[ev] > 0
			     ? (uint64_t)c->tgt->run.event_us[ev]
			     : 0;
	if (sev->kind == SCR_EV_SYSCALL && e->seen && a->seen) {
		bool fd = is_fd_verb(sev);
		bool same = e->has_result == a->has_result &&
			    (!e->has_result || (e->err == a->err &&
						(fd ? (e->ret >= 0) == (a->ret >= 0) : e->ret == a->ret)));
		if (!same) {
			char x[96], y[96];
			struct diff_finding *f = raw_new(c, ev, t, "return", e->rule);
			result_text(e, fd, x, sizeof x);
			result_text(a, fd, y, sizeof y);
			add_field(f, "return", x, y);
		}
	}
	if (sev->kind == SCR_EV_STATE && e->state[0] && a->state[0] &&
	    !same_state(e->state, a->state)) {
		struct diff_finding *f = raw_new(c, ev, t, "state", e->rule);
		add_field(f, "state", e->state, a->state);
	}
}

/* Stable, by slot: the grouping walks the divergences event by event. */
static void sort_by_slot(struct raw_list *l)
{
	size_t i, j;
	for (i = 1; i < l->n; i++) {
		struct diff_finding x = l->v[i];
		for (j = i; j > 0 && slot_of(l->v[j - 1].event) > slot_of(x.event); j--)
			l->v[j] = l->v[j - 1];
		l->v[j] = x;
	}
}

static void find_raw(struct cmp_ctx *c)
{
	size_t g;
	c->raw.n = c->raw.dropped = 0;
	align(c);
	matched_pairs(c);
	for (g = 0; g <= c->s->n_events; g++) {
		slot_packets(c, g);
		if (g > 0)
			slot_verbs_states(c, g - 1);
	}
	sort_by_slot(&c->raw);
}

/* ---- one finding per root cause ------------------------------------------------ */

/* A side's position after slot `g`: relative SND.NXT and the last ACK it
 * sent, from what it sent up to then. */
static void position(const struct diff_side *d, size_t g, uint32_t *nxt, uint32_t *ack)
{
	size_t i;
	*nxt = *ack = 0;
	for (i = 0; i < d->n_chunks && slot_of(d->chunks[i].ev) <= g; i++) {
		const struct diff_chunk *x = &d->chunks[i];
		uint32_t end = x->seq + x->len + ((x->flags & SEG_SYN) ? 1u : 0u) +
			       ((x->flags & SEG_FIN) ? 1u : 0u);
		if (x->flags & SEG_RST)
			continue;
		if ((int32_t)(end - *nxt) > 0)
			*nxt = end;
		if (x->flags & SEG_ACK)
			*ack = x->ack;
	}
}

static bool in_sync(const struct cmp_ctx *c, size_t g)
{
	uint32_t rn, ra, tn, ta;
	if (g > 0) {
		const struct diff_event *e = &c->ref->ev[g - 1], *a = &c->tgt->ev[g - 1];
		if (!e->seen || !a->seen)
			return false;
		if (e->state[0] && a->state[0] && !same_state(e->state, a->state))
			return false;
		if (e->state[0] && same_state(e->state, "CLOSED") && same_state(a->state, "CLOSED"))
			return true; /* both connections gone: their numbers are over */
	}
	position(c->ref, g, &rn, &ra);
	position(c->tgt, g, &tn, &ta);
	return rn == tn && ra == ta;
}

static const char *final_state(const struct diff_side *d)
{
	size_t i = d->n_events;
	while (i-- > 0)
		if (d->ev[i].seen && d->ev[i].state[0])
			return d->ev[i].state;
	return "";
}

static bool same_fields(const struct diff_finding *a, const struct diff_finding *b)
{
	size_t i;
	if (a->n_fields != b->n_fields)
		return false;
	for (i = 0; i < a->n_fields; i++)
		if (strcmp(a->fields[i].expected, b->fields[i].expected) ||
		    strcmp(a->fields[i].actual, b->fields[i].actual))
			return false;
	return true;
}

static int group(struct cmp_ctx *c, struct diff_result *out)
{
	size_t i, g, k = 0;
	struct diff_finding *root = NULL;
	bool diverged = false;
	out->findings = calloc(c->raw.n + 1, sizeof *out->findings);
	if (!out->findings)
		return -ENOMEM;
	for (g = 0; g <= c->s->n_events; g++) {
		for (; k < c->raw.n && slot_of(c->raw.v[k].event) == g; k++) {
			struct diff_finding *f = &c->raw.v[k];
			/* the same rule diverging the same way again: one cause */
			bool again = root && root->cls == f->cls && !strcmp(root->kind, f->kind) &&
				     !strcmp(root->rule, f->rule) &&
				     (f->cls == DIFF_TIMING || same_fields(root, f));
			if ((diverged || again) && root) {
				root->consequences++;
				continue;
			}
			out->findings[out->n_findings] = *f;
			root = &out->findings[out->n_findings++];
			diverged = true;
		}
		if (diverged && in_sync(c, g))
			diverged = false;
	}
	if (diverged && root) {
		const char *rs = final_state(c->ref), *ts = final_state(c->tgt);
		size_t n = strlen(root->note);
		if (!same_state(rs, ts))
			snprintf(root->note + n, sizeof root->note - n,
				 "%snot resynchronised: the reference ends in %s, the target in %s",
				 n ? "; " : "", rs[0] ? rs : "?", ts[0] ? ts : "?");
		else if (root->consequences && !same_state(rs, "CLOSED"))
			snprintf(root->note + n, sizeof root->note - n,
				 "%snot resynchronised: both end in %s with different sequence "
				 "positions",
				 n ? "; " : "", rs[0] ? rs : "?");
	}
	for (i = 0; i < out->n_findings; i++)
		if (out->findings[i].consequences) {
			struct diff_finding *f = &out->findings[i];
			size_t n = strlen(f->note);
			snprintf(f->note + n, sizeof f->note - n, "%s%zu later divergence%s "
				 "follow%s from it", n ? "; " : "", f->consequences,
				 f->consequences == 1 ? "" : "s", f->consequences == 1 ? "s" : "");
		}
	return 0;
}

/* ---- classes: the profile search --------------------------------------------------- */

struct candidate {
	char key[48];
	char value[48];
	bool run;
	bool ok;                /* the run worked */
	size_t slots[DIFF_MAX_RAW]; /* its non-timing divergences, by slot */
	size_t n;
};

struct explain_ctx {
	const struct diff_opts *o;
	const char *profile;
	struct candidate *cand;
	size_t n_cand;
	const size_t *base_slots; /* the base run's, as in candidate.slots */
	size_t n_base;
};

static const char *const numeric_keys[][6] = {
	{ "iw_segments", "1", "2", "3", "4", "10" },
	{ "delack_segments", "1", "2", NULL },
	{ "zwp_form", "new-octet", "empty-old", NULL },
	{ "bad_option", "drop", "ignore-rest", NULL },
	{ "cc", "reno", "newreno", "none", NULL },
};

static void add_cand(struct explain_ctx *x, const char *key, const char *value, size_t cap)
{
	if (x->n_cand >= cap)
		return;
	snprintf(x->cand[x->n_cand].key, sizeof x->cand[0].key, "%s", key);
	snprintf(x->cand[x->n_cand].value, sizeof x->cand[0].value, "%s", value);
	x->n_cand++;
}

/* Every single-key change of the profile worth trying: each switch
 * flipped, and a few values of the numeric keys that decide segments. */
static int candidates(struct explain_ctx *x)
{
	const struct ref_profile *p = ref_profile_by_name(x->profile);
	const char *const *keys = ref_profile_keys();
	const size_t cap = 128;
	size_t i, k;
	x->cand = calloc(cap, sizeof *x->cand);
	if (!x->cand)
		return -ENOMEM;
	if (!p)
		p = ref_profile_rfc(); /* a file: its base is close enough for the search */
	for (i = 0; i < sizeof numeric_keys / sizeof numeric_keys[0]; i++) {
		char cur[48] = "";
		ref_profile_get(p, numeric_keys[i][0], cur, sizeof cur);
		for (k = 1; k < 6 && numeric_keys[i][k]; k++)
			if (strcmp(cur, numeric_keys[i][k]) != 0)
				add_cand(x, numeric_keys[i][0], numeric_keys[i][k], cap);
	}
	for (i = 0; keys[i]; i++) {
		char cur[48] = "";
		if (ref_profile_get(p, keys[i], cur, sizeof cur) != 0)
			continue;
		if (!strcmp(cur, "on"))
			add_cand(x, keys[i], "off", cap);
		else if (!strcmp(cur, "off"))
			add_cand(x, keys[i], "on", cap);
	}
	return 0;
}

static void run_candidate(const struct cmp_ctx *base, struct explain_ctx *x,
			  struct candidate *cd)
{
	struct diff_side ref;
	struct tgt_setting set;
	char key[64];
	struct cmp_ctx c;
	size_t i;
	cd->run = true;
	snprintf(key, sizeof key, "profile.%s", cd->key);
	set.key = key;
	set.value = cd->value;
	if (diff_ref_run(base->s, x->o, x->profile, &set, 1, &ref) != 0)
		return;
	if (ref.run.verdict == RUN_SKIP || ref.run.verdict == RUN_ERROR) {
		diff_side_free(&ref);
		return;
	}
	memset(&c, 0, sizeof c);
	c.s = base->s;
	c.ref = &ref;
	c.tgt = base->tgt;
	c.tol = base->tol;
	c.raw.v = calloc(DIFF_MAX_RAW, sizeof *c.raw.v);
	if (c.raw.v) {
		find_raw(&c);
		for (i = 0; i < c.raw.n; i++)
			if (c.raw.v[i].cls != DIFF_TIMING)
				cd->slots[cd->n++] = slot_of(c.raw.v[i].event);
		cd->ok = true;
	}
	free(c.raw.v);
	diff_side_free(&ref);
}

static size_t count_before(const size_t *slots, size_t n, size_t g, bool *at)
{
	size_t i, before = 0;
	*at = false;
	for (i = 0; i < n; i++) {
		if (slots[i] < g)
			before++;
		else if (slots[i] == g)
			*at = true;
	}
	return before;
}

/* Does one profile change make the divergence at `f` go away (without a
 * new earlier one)? Names the key and value in `f`. */
static bool explain(const struct cmp_ctx *c, struct explain_ctx *x, struct diff_finding *f)
{
	size_t g = slot_of(f->event), i;
	bool at;
	size_t base_before = count_before(x->base_slots, x->n_base, g, &at);
	for (i = 0; i < x->n_cand; i++) {
		struct candidate *cd = &x->cand[i];
		if (!cd->run)
			run_candidate(c, x, cd);
		if (!cd->ok)
			continue;
		if (count_before(cd->slots, cd->n, g, &at) <= base_before && !at) {
			snprintf(f->profile_key, sizeof f->profile_key, "%s", cd->key);
			snprintf(f->profile_value, sizeof f->profile_value, "%s", cd->value);
			return true;
		}
	}
	return false;
}

static void note(struct diff_finding *f, const char *text)
{
	size_t n = strlen(f->note);
	snprintf(f->note + n, sizeof f->note - n, "%s%s", n ? "; " : "", text);
}

static void rule_info(const struct scr_script *s, struct diff_finding *f)
{
	enum ref_rule r = ref_rule_by_id(f->rule);
	const struct ref_rule_info *in = ref_rule_info(r);
	if (r != REF_R_NONE) {
		snprintf(f->section, sizeof f->section, "%s", in->section);
		snprintf(f->req, sizeof f->req, "%s", in->req ? in->req : "");
		snprintf(f->rule_text, sizeof f->rule_text, "%s", in->text);
	} else if (s->meta.n_requirements > 0) {
		/* no rule behind it: the script's own requirement */
		snprintf(f->req, sizeof f->req, "%s", s->meta.requirements[0]);
		snprintf(f->rule_text, sizeof f->rule_text, "the script's @requirement");
	}
}

static void classify(const struct cmp_ctx *c, struct explain_ctx *x, struct diff_finding *f)
{
	rule_info(c->s, f);
	if (f->cls == DIFF_TIMING || f->cls == DIFF_DEVIATION) /* deviation: a moved ACK */
		return;
	if (x && explain(c, x, f)) {
		f->cls = DIFF_DEVIATION;
		return;
	}
	if (f->n_fields == 1 && !strcmp(f->fields[0].name, "options")) {
		/* which options a segment carries is the profile's choice */
		f->cls = DIFF_DEVIATION;
		note(f, "the options a stack sends are a profile choice (keys sack, timestamps, "
			"wscale, syn_options, synack_options) that no single key explained");
		return;
	}
	if (strstr(f->rule_text, "RFC 5961") || !strncmp(f->rule, "RFC5961", 7)) {
		f->cls = DIFF_DEVIATION;
		note(f, "RFC 5961 is optional under RFC 9293 §3.10.7.4 (profile keys "
			      "rfc5961_rst, rfc5961_syn, rfc5961_ack)");
		return;
	}
	/* A SHLD / MAY leaves open whether and when a segment is sent, not the
	 * numbers it carries: wrong seq / ack / flags stay violations. */
	if ((!strncmp(f->req, "SHLD", 4) || !strncmp(f->req, "MAY", 3) ||
	     !strncmp(f->req, "REC", 3)) && strcmp(f->kind, "fields") != 0) {
		char buf[160];
		f->cls = DIFF_DEVIATION;
		snprintf(buf, sizeof buf,
			 "profile gap: the RFC leaves this open (%s) and no profile key models it",
			 f->req);
		note(f, buf);
		return;
	}
	f->cls = DIFF_VIOLATION;
}

int diff_compare(const struct scr_script *s, const struct diff_opts *o, const char *profile,
		 struct diff_side *ref, struct diff_side *tgt, struct diff_result *out)
{
	struct cmp_ctx c;
	struct explain_ctx x;
	size_t i, *base = NULL;
	int rc;
	memset(&c, 0, sizeof c);
	memset(&x, 0, sizeof x);
	c.s = s;
	c.ref = ref;
	c.tgt = tgt;
	c.tol = o->tolerance_us > 0 ? o->tolerance_us : 0;
	if (c.tol == 0) {
		const char *v = scr_script_option(s, "tolerance_usecs");
		c.tol = v ? strtoll(v, NULL, 10) : DIFF_DEFAULT_TOL_US;
	}
	c.raw.v = calloc(DIFF_MAX_RAW, sizeof *c.raw.v);
	if (!c.raw.v)
		return -ENOMEM;
	find_raw(&c);
	rc = group(&c, out);
	if (rc == 0 && out->n_findings > 0 && !o->no_explain) {
		base = calloc(c.raw.n + 1, sizeof *base);
		x.o = o;
		x.profile = profile;
		if (base && candidates(&x) == 0) {
			for (i = 0; i < c.raw.n; i++)
				if (c.raw.v[i].cls != DIFF_TIMING)
					base[x.n_base++] = slot_of(c.raw.v[i].event);
			x.base_slots = base;
		}
	}
	for (i = 0; rc == 0 && i < out->n_findings; i++)
		classify(&c, x.cand ? &x : NULL, &out->findings[i]);
	free(x.cand);
	free(base);
	free(c.raw.v);
	return rc;
}
