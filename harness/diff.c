/* The differ: two record-mode runs, aligned and classified; see diff.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/diff_int.h"
#include "reference/ref_profile.h"
#include "reference/ref_rule.h"
#include "targets/ref/ref_target.h"

const char *diff_class_name(enum diff_class c)
{
	static const char *const names[] = { "violation", "deviation", "timing" };
	return (unsigned)c < 3 ? names[c] : "?";
}

const char *diff_status_name(enum diff_status s)
{
	static const char *const names[] = { "same", "findings", "skip", "error" };
	return (unsigned)s < 4 ? names[s] : "?";
}

const char *diff_default_profile(const char *target)
{
	if (!target)
		return "rfc";
	if (!strcmp(target, "lwip"))
		return "lwip";
	if (!strncmp(target, "linux", 5) && ref_profile_by_name("linux"))
		return "linux";
	return "rfc";
}

void diff_result_free(struct diff_result *r)
{
	if (!r)
		return;
	free(r->findings);
	run_result_free(&r->ref);
	run_result_free(&r->tgt);
	memset(r, 0, sizeof *r);
}

/* ---- one side: a record-mode run plus what the hooks saw ---------------- */

static void side_on_event(void *arg, struct tgt *t, size_t ev, uint16_t lport, uint16_t rport)
{
	struct diff_side *d = arg;
	const char *rule = ref_tgt_last_rule(t);
	if (ev >= d->n_events)
		return;
	d->ev[ev].seen = true;
	if (t->ops->caps & TGT_CAP_STATE)
		t->ops->state(t, lport, rport, d->ev[ev].state, sizeof d->ev[ev].state);
	if (rule)
		snprintf(d->ev[ev].rule, sizeof d->ev[ev].rule, "%s", rule);
}

static void side_on_result(void *arg, size_t ev, const struct tgt_result *res)
{
	struct diff_side *d = arg;
	if (ev >= d->n_events)
		return;
	d->ev[ev].has_result = true;
	d->ev[ev].ret = res->ret;
	d->ev[ev].err = res->err;
}

void diff_side_free(struct diff_side *d)
{
	if (!d)
		return;
	free(d->ev);
	free(d->chunks);
	run_result_free(&d->run);
	memset(d, 0, sizeof *d);
}

int diff_side_run(const struct scr_script *s, struct run_opts *ro, struct diff_side *d)
{
	int rc;
	memset(d, 0, sizeof *d);
	d->n_events = s->n_events;
	d->ev = calloc(s->n_events + 1, sizeof *d->ev);
	if (!d->ev)
		return -ENOMEM;
	ro->record = true;
	ro->on_event = side_on_event;
	ro->on_result = side_on_result;
	ro->hook_arg = d;
	rc = run_script(s, ro, &d->run);
	if (rc != 0)
		return rc;
	return diff_side_chunks(d, s, ro->tolerance_us > 0 ? ro->tolerance_us : DIFF_DEFAULT_TOL_US);
}

/* ---- normalised segments ------------------------------------------------- */

/* The options as text; TS values are each stack's own clock, so only
 * the option's presence is kept ("TS"). */
static void opts_norm(const struct seg *s, uint32_t sack_base, char *buf, size_t cap)
{
	struct seg_opts o = s->opts;
	char tmp[256];
	const char *p = tmp;
	size_t n = 0;
	while (o.len > 0 && o.raw[o.len - 1] == SEG_OPT_EOL)
		o.len--;
	tmp[0] = '\0';
	seg_format_opts(&o, sack_base, tmp, sizeof tmp);
	while (*p && n + 3 < cap) {
		if (!strncmp(p, "TS val ", 7)) {
			buf[n++] = 'T';
			buf[n++] = 'S';
			while (*p && *p != ',' && *p != '>')
				p++;
			continue;
		}
		buf[n++] = *p++;
	}
	buf[n] = '\0';
}

static bool continues(const struct diff_chunk *c, const struct run_record *x, int64_t tol)
{
	const struct seg *s = &x->seg;
	int64_t dt = (int64_t)x->time_us - (int64_t)c->time_us;
	return c->len > 0 && s->len > 0 && !(c->flags & (SEG_SYN | SEG_FIN | SEG_RST)) &&
	       !(s->flags & (SEG_SYN | SEG_RST)) && c->ev == x->after_event &&
	       s->seq == c->raw_seq + c->len && s->ack == c->raw_ack && dt <= tol && dt >= -tol;
}

/* Sequence numbers are relative to the ISN of the side's SYN sent last
 * before the segment (a connection reopened from TIME-WAIT has a new one);
 * before its first SYN they are absolute: a RST for a segment to a LISTEN
 * socket or a closed port carries SEQ=SEG.ACK, the script's own number. */
/* The event a segment answers: a record mode run does nothing for the
 * script's `>` lines, so a segment recorded after one follows the event
 * before it. Which of the two it is recorded after depends on when the
 * target's output was collected (a kernel may answer within the write to
 * the TAP device, the reference at the next collection). */
static size_t acting_event(const struct scr_script *s, size_t ev)
{
	while (s && ev != SIZE_MAX && ev < s->n_events && s->events[ev].kind == SCR_EV_PACKET &&
	       s->events[ev].u.packet.dir == SCR_OUT)
		ev = ev ? ev - 1 : SIZE_MAX;
	return ev;
}

int diff_side_chunks(struct diff_side *d, const struct scr_script *s, int64_t tol)
{
	struct run_result *r = &d->run;
	uint32_t isn = 0;
	size_t i;
	for (i = 0; i < r->n_records; i++)
		r->records[i].after_event = acting_event(s, r->records[i].after_event);
	d->chunks = calloc(r->n_records + 1, sizeof *d->chunks);
	if (!d->chunks)
		return -ENOMEM;
	for (i = 0; i < r->n_records; i++) {
		const struct run_record *x = &r->records[i];
		struct diff_chunk *c = d->n_chunks ? &d->chunks[d->n_chunks - 1] : NULL;
		struct seg tmp;
		if (x->seg.flags & SEG_SYN)
			isn = x->seg.seq;
		if (c && continues(c, x, tol)) {
			c->len += (uint32_t)x->seg.len;
			c->flags |= (uint8_t)(x->seg.flags & SEG_FIN);
			c->nsegs++;
		} else {
			c = &d->chunks[d->n_chunks++];
			c->ev = x->after_event;
			c->time_us = x->time_us;
			c->flags = x->seg.flags;
			c->raw_seq = x->seg.seq;
			c->raw_ack = x->seg.ack;
			/* <SEQ=0><CTL=RST,ACK> (§3.10.7.1) is not in our sequence space. */
			c->seq = (x->seg.flags & (SEG_RST | SEG_ACK)) == (SEG_RST | SEG_ACK) &&
					 x->seg.seq == 0
				 ? 0
				 : x->seg.seq - isn;
			c->ack = (x->seg.flags & SEG_ACK) ? x->seg.ack - r->remote_isn : 0;
			c->len = (uint32_t)x->seg.len;
			c->nsegs = 1;
			c->prompt = x->after_event != SIZE_MAX && r->event_us &&
				    r->event_us[x->after_event] == (int64_t)x->time_us;
			snprintf(c->rule, sizeof c->rule, "%s", x->rule);
			opts_norm(&x->seg, r->remote_isn, c->opts, sizeof c->opts);
		}
		tmp = x->seg;
		tmp.seq = c->raw_seq;
		tmp.len = c->len;
		tmp.flags = c->flags | (x->seg.flags & SEG_PSH);
		tmp.payload = NULL;
		seg_format(&tmp, isn, r->remote_isn, c->text, sizeof c->text);
		if (c->nsegs > 1) {
			size_t n = strlen(c->text);
			snprintf(c->text + n, sizeof c->text - n, " [%u segments]", c->nsegs);
		}
	}
	return 0;
}

bool diff_chunk_same(const struct diff_chunk *a, const struct diff_chunk *b)
{
	uint8_t fa = a->flags & (uint8_t)~SEG_PSH, fb = b->flags & (uint8_t)~SEG_PSH;
	return fa == fb && a->seq == b->seq && a->len == b->len && a->ack == b->ack;
}

/* ---- the whole diff -------------------------------------------------------- */

static void ro_init(struct run_opts *ro, const struct diff_opts *o, const struct tgt_ops *t)
{
	memset(ro, 0, sizeof *ro);
	ro->target = t;
	ro->family = o->family;
	ro->seed = o->seed;
	ro->tolerance_us = o->tolerance_us;
	ro->tolerance_pct = -1;
	ro->ignore_targets = true; /* the `>` lines, which @targets is about, are not used */
}

int diff_ref_run(const struct scr_script *s, const struct diff_opts *o, const char *profile,
		 const struct tgt_setting *extra, size_t n_extra, struct diff_side *d)
{
	struct run_opts ro;
	struct tgt_setting *set = calloc(o->n_set + n_extra + 1, sizeof *set);
	int rc;
	if (!set)
		return -ENOMEM;
	/* memcpy from NULL is undefined even for 0 bytes. */
	if (o->n_set)
		memcpy(set, o->set, o->n_set * sizeof *set);
	if (n_extra)
		memcpy(set + o->n_set, extra, n_extra * sizeof *set);
	ro_init(&ro, o, &ref_target_ops);
	ro.profile = profile;
	ro.extra_settings = set;
	ro.n_extra_settings = o->n_set + n_extra;
	rc = diff_side_run(s, &ro, d);
	free(set);
	return rc;
}

static bool side_unusable(const struct diff_side *d, const char *who, struct diff_result *out)
{
	const struct run_result *r = &d->run;
	if (r->verdict == RUN_SKIP) {
		out->status = DIFF_SKIP;
		snprintf(out->reason, sizeof out->reason, "%s: %.280s", who, r->reason);
		return true;
	}
	if (r->verdict == RUN_ERROR) {
		out->status = DIFF_ERROR;
		snprintf(out->reason, sizeof out->reason, "%s: %.280s", who, r->reason);
		return true;
	}
	return false;
}

int diff_script(const struct scr_script *s, const struct diff_opts *o, struct diff_result *out)
{
	struct diff_side ref, tgt;
	struct run_opts ro;
	const char *profile = o->profile ? o->profile : diff_default_profile(o->target->name);
	int rc;
	memset(out, 0, sizeof *out);
	snprintf(out->ref_profile, sizeof out->ref_profile, "%s", profile);
	rc = diff_ref_run(s, o, profile, NULL, 0, &ref);
	if (rc == 0) {
		ro_init(&ro, o, o->target);
		ro.extra_settings = o->target_set;
		ro.n_extra_settings = o->n_target_set;
		ro.pcap = o->pcap;
		rc = diff_side_run(s, &ro, &tgt);
	} else {
		memset(&tgt, 0, sizeof tgt);
	}
	if (rc == 0 && !side_unusable(&ref, "reference", out) &&
	    !side_unusable(&tgt, o->target->name, out))
		rc = diff_compare(s, o, profile, &ref, &tgt, out);
	if (rc == 0 && out->status == DIFF_SAME && out->n_findings > 0)
		out->status = DIFF_FOUND;
	out->ref = ref.run;
	out->tgt = tgt.run;
	memset(&ref.run, 0, sizeof ref.run);
	memset(&tgt.run, 0, sizeof tgt.run);
	diff_side_free(&ref);
	diff_side_free(&tgt);
	if (rc != 0) {
		diff_result_free(out);
		return rc;
	}
	return 0;
}
