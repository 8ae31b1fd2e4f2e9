/* SEGMENT ARRIVES in SYN-RECEIVED and the synchronized states, RFC 9293
 * §3.10.7.4, in the RFC's order: sequence number, RST, security, SYN, ACK,
 * URG, text, FIN. Each step returns false when processing of the segment
 * ends there. After a step that closed the connection the slot may be
 * gone: nothing touches it afterwards. */
#include <errno.h>

#include "reference/ref_internal.h"

static bool in_state(const struct ref_sock *s, unsigned mask) { return (mask >> s->state) & 1u; }

#define ST(x) (1u << REF_##x)
#define RECEIVING (ST(ESTABLISHED) | ST(FIN_WAIT_1) | ST(FIN_WAIT_2))
#define AFTER_PEER_FIN (ST(CLOSE_WAIT) | ST(CLOSING) | ST(LAST_ACK))

/* RCV.WND: what we offered beyond RCV.NXT. */
static uint32_t rcv_wnd(const struct ref_tcb *t)
{
	return seq_gt(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
}

/* RFC 5961 §7: challenge ACKs (and the §5.2 ACK) are throttled per
 * connection, `challenge_ack_limit` per `challenge_ack_period`. */
static void challenge_ack(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule,
			  uint64_t now)
{
	const struct ref_profile *p = st->prof;
	struct ref_tcb *t = &s->tcb;

	if (p->challenge_ack_limit) {
		if (t->chack_count == 0 || now - t->chack_start >= p->challenge_ack_period) {
			t->chack_start = now;
			t->chack_count = 0;
		}
		if (t->chack_count >= p->challenge_ack_limit) {
			ref__drop(st, s, REF_R_CHALLENGE_ACK_LIMIT);
			return;
		}
		t->chack_count++;
	}
	ref__drop(st, s, rule);
	ref__ack_now(st, s, rule);
}

/* RFC 2883 §4: report the duplicate [left, right) in the next ACK, sent at
 * once. */
static void dsack_note(struct ref_stack *st, struct ref_sock *s, uint32_t left, uint32_t right)
{
	struct ref_tcb *t = &s->tcb;

	if (!t->sack_ok || !st->prof->dsack || !seq_lt(left, right))
		return;
	t->dsack = true;
	t->dsack_range.left = left;
	t->dsack_range.right = right;
	ref__ack_now(st, s, REF_R_DSACK);
}

/* ---- RFC 7323 §3.2 and §5: before the sequence number check ----------------------- */

static bool check_timestamps(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	const struct ref_profile *p = st->prof;
	struct ref_tcb *t = &s->tcb;

	if (!t->ts_ok || (in->seg->flags & SEG_RST)) /* §5.2: no PAWS check of a RST */
		return true;
	if (!in->has_ts) {
		if (!p->ts_drop_missing)
			return true;
		ref__drop(st, s, REF_R_TS_MISSING_DROP); /* §3.2 SHOULD, never an abort */
		return false;
	}
	if (!p->paws || !t->ts_recent_valid || !seq_lt(in->ts_val, t->ts_recent))
		return true;
	if (in->now - t->ts_recent_age > p->paws_idle) { /* §5.5: TS.Recent is stale */
		ref__event(st, REF_EV_NOTE, REF_R_PAWS_IDLE, s, 0);
		t->ts_recent = in->ts_val;
		t->ts_recent_age = in->now;
		return true;
	}
	ref__drop(st, s, REF_R_PAWS_DROP); /* R1: an old duplicate */
	ref__ack_now(st, s, REF_R_PAWS_DROP);
	return false;
}

/* R3 (§4.3): TS.Recent follows the segment that Last.ACK.sent points into. */
static void ts_recent_update(struct ref_sock *s, const struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;

	if (!t->ts_ok || !in->has_ts || (in->seg->flags & SEG_RST))
		return;
	if (seq_geq(in->ts_val, t->ts_recent) && seq_leq(in->seg->seq, t->last_ack_sent)) {
		t->ts_recent = in->ts_val;
		t->ts_recent_age = in->now;
		t->ts_recent_valid = true;
	}
}

/* ---- first: sequence number ----------------------------------------------------- */

/* Table 6, the four cases of the acceptability test. */
static bool acceptable(uint32_t seq, uint32_t len, uint32_t nxt, uint32_t wnd)
{
	if (len == 0)
		return wnd == 0 ? seq == nxt : seq_in(seq, nxt, nxt + wnd);
	if (wnd == 0)
		return false;
	return seq_in(seq, nxt, nxt + wnd) || seq_in(seq + len - 1, nxt, nxt + wnd);
}

/* Cut off what lies outside [RCV.NXT, RCV.NXT+RCV.WND): SYN and old bytes on
 * the left, bytes and FIN on the right. */
static void trim(const struct ref_tcb *t, struct ref_in *in)
{
	uint32_t skip, end, excess;

	if (seq_lt(in->seq, t->rcv_nxt)) {
		skip = t->rcv_nxt - in->seq;
		if (in->syn) {
			in->syn = false;
			in->seq++;
			skip--;
		}
		if (skip > in->len)
			skip = in->len; /* acceptable, so a FIN at RCV.NXT remains */
		if (skip) {
			in->data += skip;
			in->len -= skip;
			in->seq += skip;
		}
	}
	end = in->seq + (in->syn ? 1u : 0u) + in->len + (in->fin ? 1u : 0u);
	if (seq_gt(end, t->rcv_adv)) {
		excess = end - t->rcv_adv;
		if (in->fin) {
			in->fin = false;
			excess--;
		}
		in->len -= excess < in->len ? excess : in->len;
	}
}

static bool check_sequence(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	const struct seg *g = in->seg;
	uint32_t wnd = rcv_wnd(t);

	if (acceptable(in->seq, in->seg_len, t->rcv_nxt, wnd)) {
		uint32_t seq0 = in->seq + (in->syn ? 1u : 0u);

		trim(t, in);
		if (in->len && seq_lt(seq0, in->seq)) /* old bytes trimmed off: D-SACK */
			dsack_note(st, s, seq0, in->seq);
		return true;
	}
	if (wnd == 0 && in->seq == t->rcv_nxt) {
		/* MUST-66: no text is accepted, but ACK, URG and RST are processed. */
		ref__event(st, REF_EV_NOTE, REF_R_SEQ_ZERO_WINDOW_ALLOWANCE, s, 0);
		in->len = 0;
		in->fin = false;
		if (!(g->flags & SEG_RST))
			ref__ack_now(st, s, REF_R_SEQ_ZERO_WINDOW_ALLOWANCE);
		return true;
	}
	if (g->flags & SEG_RST) {
		ref__drop(st, s, REF_R_SEQ_UNACCEPTABLE_RST_DROP);
		return false;
	}
	if (s->state == REF_TIME_WAIT && in->fin && in->seq + in->seg_len == t->rcv_nxt) {
		/* A retransmitted FIN: ACK it, restart 2 MSL (MUST-13). */
		t->t_2msl = ref__after(in->now, 2 * st->prof->msl);
		ref__ack_now(st, s, REF_R_TIME_WAIT_FIN_REACK);
		return false;
	}
	ref__drop(st, s, REF_R_SEQ_UNACCEPTABLE_ACK);
	if (in->len && seq_leq(in->seq + in->len, t->rcv_nxt)) /* an old duplicate */
		dsack_note(st, s, in->seq, in->seq + in->len);
	ref__ack_now(st, s, REF_R_SEQ_UNACCEPTABLE_ACK); /* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
	return false;
}

/* ---- second: RST -------------------------------------------------------------------- */

static void rst_accepted(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	switch (s->state) {
	case REF_SYN_RECEIVED:
		if (s->tcb.passive) /* back to LISTEN: the listener never left it */
			ref__child_drop(st, s, REF_R_RST_SYN_RCVD_PASSIVE);
		else
			ref__abort(st, s, false, ECONNREFUSED, REF_R_RST_SYN_RCVD_ACTIVE, now);
		break;
	case REF_ESTABLISHED:
	case REF_FIN_WAIT_1:
	case REF_FIN_WAIT_2:
		ref__abort(st, s, false, ECONNRESET, REF_R_RST_RESET, now);
		break;
	case REF_CLOSE_WAIT: /* the peer had closed: a write sees EPIPE (Linux) */
		ref__abort(st, s, false, EPIPE, REF_R_RST_RESET, now);
		break;
	case REF_TIME_WAIT:
		if (!st->prof->rst_in_time_wait_closes) { /* RFC 1337 */
			ref__drop(st, s, REF_R_RST_CLOSE);
			break;
		}
		ref__abort(st, s, false, 0, REF_R_RST_CLOSE, now);
		break;
	default: /* CLOSING, LAST-ACK: CLOSED, delete the TCB */
		ref__abort(st, s, false, 0, REF_R_RST_CLOSE, now);
		break;
	}
}

static bool check_rst(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	const struct ref_tcb *t = &s->tcb;
	uint32_t seq = in->seg->seq;

	if (!(in->seg->flags & SEG_RST))
		return true;
	if (st->prof->rfc5961_rst && seq != t->rcv_nxt) {
		if (!seq_in(seq, t->rcv_nxt, t->rcv_nxt + rcv_wnd(t))) {
			ref__drop(st, s, REF_R_RST_OUT_OF_WINDOW); /* check 1 */
			return false;
		}
		challenge_ack(st, s, REF_R_RST_CHALLENGE_ACK, in->now); /* check 3 */
		return false;
	}
	rst_accepted(st, s, in->now); /* check 2, or any in-window RST without RFC 5961 */
	return false;
}

/* ---- third: security -- no IP security option is modelled (Appendix A.1) --------- */

static bool check_security(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	(void)st;
	(void)s;
	(void)in;
	return true;
}

/* ---- fourth: SYN -------------------------------------------------------------------- */

static bool check_syn(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (!(in->seg->flags & SEG_SYN)) /* the flag as it arrived, before trimming */
		return true;
	if (s->state == REF_SYN_RECEIVED && s->tcb.passive && st->prof->syn_rcvd_syn_rst) {
		ref__send_rst_reply(st, s, in->seg, REF_R_SYN_RCVD_SYN_RST, in->now); /* Linux */
		ref__child_drop(st, s, REF_R_SYN_RCVD_SYN_RST);
		return false;
	}
	if (s->state == REF_SYN_RECEIVED && s->tcb.passive &&
	    st->prof->syn_rcvd_passive_syn_to_listen) {
		ref__child_drop(st, s, REF_R_SYN_SYN_RCVD_PASSIVE);
		return false;
	}
	if (st->prof->rfc5961_syn) {
		challenge_ack(st, s, REF_R_SYN_CHALLENGE_ACK, in->now);
		return false;
	}
	/* RFC 793: a SYN in the window is an error: reset. */
	ref__abort(st, s, true, ECONNRESET, REF_R_SYN_IN_WINDOW_RESET, in->now);
	return false;
}

/* ---- fifth: ACK ------------------------------------------------------------------------- */

static bool fin_acked(const struct ref_tcb *t)
{
	return t->fin_sent && seq_gt(t->snd_una, t->fin_seq);
}

/* SND.UNA < SEG.ACK =< SND.NXT: release acknowledged data (RFC 6298 5.2/5.3). */
static void ack_advance(struct ref_stack *st, struct ref_sock *s, const struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t ack = in->seg->ack, acked = ack - t->snd_una, data;
	uint64_t now = in->now;

	if (!ref__syn_acked(t))
		acked--; /* our SYN */
	data = acked < t->sndq.len ? acked : t->sndq.len;
	ref__ring_drop(&t->sndq, data);
	t->snd_una = ack;
	if (t->snd_urgent && seq_geq(t->snd_una, t->snd_up))
		t->snd_urgent = false;
	if (t->ts_ok && st->prof->ts_rtt && in->has_ts) { /* RFC 7323 §4.1 RTTM */
		uint32_t ticks = ref__ts_now(st, now) - in->ts_ecr;

		if (ticks < 0x80000000u)
			ref__rtt_sample(st, t, (uint64_t)ticks * st->prof->ts_tick);
		t->rtt_timing = false;
	} else if (t->rtt_timing && seq_gt(ack, t->rtt_seq)) {
		ref__rtt_sample(st, t, now - t->rtt_time);
		t->rtt_timing = false;
	}
	t->rtx_count = 0;
	t->rtx_start = 0;
	t->r1_reported = false;
	t->rtx_hold = false;
	if (seq_lt(t->tx_nxt, t->snd_una))
		t->tx_nxt = t->snd_una;
	ref__rtx_restart(st, s, now);
	ref__cc_on_ack(st, s, data);
	ref__mark_dirty(st, s);
	st->last_rule = REF_R_ACK_ADVANCE; /* no event: this is the common case */
}

/* The send window update with the SND.WL1/SND.WL2 check. */
static void window_update(struct ref_stack *st, struct ref_sock *s, const struct seg *g)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t old_edge = t->snd_una + t->snd_wnd, wnd = (uint32_t)g->wnd << t->snd_wscale;

	if (!(seq_lt(t->snd_wl1, g->seq) ||
	      (t->snd_wl1 == g->seq && seq_leq(t->snd_wl2, g->ack))))
		return;
	t->snd_wnd = wnd;
	t->snd_wl1 = g->seq;
	t->snd_wl2 = g->ack;
	if (wnd > t->max_snd_wnd)
		t->max_snd_wnd = wnd;
	if (seq_lt(t->snd_una + wnd, old_edge) && seq_lt(t->snd_una + wnd, t->snd_nxt))
		ref__event(st, REF_EV_NOTE, REF_R_WINDOW_SHRUNK, s, 0); /* MUST-34 */
	ref__mark_dirty(st, s);
}

/* RFC 5681 §2: a duplicate ACK — data outstanding, no data nor SYN/FIN on
 * it, SEG.ACK = SND.UNA, the same window. */
static bool dup_ack(const struct ref_sock *s, const struct ref_in *in)
{
	const struct ref_tcb *t = &s->tcb;
	const struct seg *g = in->seg;
	uint32_t data_end = ref__snd_data_seq(t) + t->sndq.len;

	return g->ack == t->snd_una && t->snd_nxt != t->snd_una && seq_lt(t->snd_una, data_end) &&
	       g->len == 0 && !(g->flags & (SEG_SYN | SEG_FIN)) &&
	       ((uint32_t)g->wnd << t->snd_wscale) == t->snd_wnd;
}

/* The ESTABLISHED processing every later state shares. */
static bool ack_common(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	const struct seg *g = in->seg;
	bool dup;

	/* Acknowledges something not yet sent: SEG.ACK > SND.NXT, or ahead of
	 * SND.UNA yet outside (SND.UNA, SND.NXT] (an ACK 2^31 away). */
	if (seq_gt(g->ack, t->snd_nxt) ||
	    (seq_lt(t->snd_una, g->ack) && !seq_in_oc(g->ack, t->snd_una, t->snd_nxt))) {
		ref__drop(st, s, REF_R_ACK_TOO_NEW);
		ref__ack_now(st, s, REF_R_ACK_TOO_NEW);
		return false;
	}
	dup = dup_ack(s, in);
	if (seq_in_oc(g->ack, t->snd_una, t->snd_nxt))
		ack_advance(st, s, in);
	if (t->sack_ok && in->nsack)
		ref__sack_update(s, in); /* RFC 2018 §5 */
	if (dup)
		ref__cc_on_dupack(st, s);
	if (seq_leq(t->snd_una, g->ack)) /* a duplicate is otherwise ignored */
		window_update(st, s, g);
	return true;
}

/* ESTABLISHED from SYN-RECEIVED: the text and FIN queued from the SYN
 * (profile syn_text_queued) are processed now, before the text of the
 * segment that made it ESTABLISHED (which loses what overlaps them). */
static void process_held_text(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t n = t->syn_text_len, d;

	if (n == 0 && !t->syn_fin)
		return;
	ref__event(st, REF_EV_NOTE, REF_R_SYN_TEXT_PROCESSED, s, 0);
	t->syn_text_len = 0;
	t->rcvq.len += n;
	t->rcv_unacked += n;
	t->rcv_nxt += n;
	if (t->syn_fin) {
		t->syn_fin = false;
		t->ooo.fin = true; /* reached by the eighth step, check_fin */
		t->ooo.fin_seq = t->rcv_nxt;
	}
	if (n)
		ref__ack_now(st, s, REF_R_SYN_TEXT_PROCESSED);
	if (in->len && seq_lt(in->seq, t->rcv_nxt)) {
		d = t->rcv_nxt - in->seq < in->len ? t->rcv_nxt - in->seq : in->len;
		in->seq += d;
		in->data += d;
		in->len -= d;
	}
}

static bool ack_syn_received(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	const struct seg *g = in->seg;

	if (!seq_in_oc(g->ack, t->snd_una, t->snd_nxt)) { /* SND.UNA < SEG.ACK =< SND.NXT */
		ref__send_rst_reply(st, s, g, REF_R_SYN_RCVD_RST_FOR_BAD_ACK, in->now);
		return false; /* <SEQ=SEG.ACK><CTL=RST> */
	}
	ref__set_state(st, s, REF_ESTABLISHED, REF_R_SYN_RCVD_ESTABLISHED);
	t->snd_wnd = (uint32_t)g->wnd << t->snd_wscale; /* SND.WND <- SEG.WND */
	t->snd_wl1 = g->seq;                             /* SND.WL1 <- SEG.SEQ */
	t->snd_wl2 = g->ack;                             /* SND.WL2 <- SEG.ACK */
	if (t->snd_wnd > t->max_snd_wnd)
		t->max_snd_wnd = t->snd_wnd;
	ref__cc_established(st, s);
	if (!ack_common(st, s, in))
		return false;
	process_held_text(st, s, in);
	if (t->passive) {
		if (t->syn_retransmitted && !t->have_rtt) /* RFC 6298 (5.7) */
			t->rto = st->prof->rto_syn_fallback;
		ref__keepalive_arm(st, s, in->now);
		ref__child_ready(st, s);
	} else {
		ref__connected(st, s, in->now);
	}
	return true;
}

static bool ack_fin_wait_1(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (!ack_common(st, s, in))
		return false;
	if (fin_acked(&s->tcb)) {
		ref__set_state(st, s, REF_FIN_WAIT_2, REF_R_FIN_WAIT_1_FIN_ACKED);
		ref__fin_wait_2_arm(st, s, in->now);
	}
	return true;
}

static bool ack_closing(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (!ack_common(st, s, in))
		return false;
	if (!fin_acked(&s->tcb)) {
		ref__drop(st, s, REF_R_CLOSING_IGNORE); /* otherwise ignore the segment */
		return false;
	}
	ref__enter_time_wait(st, s, REF_R_CLOSING_FIN_ACKED, in->now);
	return true;
}

static bool ack_last_ack(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (!ack_common(st, s, in))
		return false;
	if (fin_acked(&s->tcb)) {
		ref__conn_closed(st, s, REF_R_LAST_ACK_FIN_ACKED);
		return false;
	}
	return true;
}

static bool ack_time_wait(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	/* §3.10.7.4 fifth check: "The only thing that can arrive in this state
	 * is a retransmission of the remote FIN. Acknowledge it, and restart
	 * the 2 MSL timeout" (MUST-13). A segment carrying text is treated the
	 * same way (its text is ignored, seventh step). A bare ACK is not
	 * acknowledged: two ends in TIME-WAIT would ACK each other forever. */
	if (in->seg->flags & SEG_FIN) {
		s->tcb.t_2msl = ref__after(in->now, 2 * st->prof->msl);
		ref__ack_now(st, s, REF_R_TIME_WAIT_FIN_REACK);
	} else if (in->seg->len > 0) {
		s->tcb.t_2msl = ref__after(in->now, 2 * st->prof->msl);
		ref__ack_now(st, s, REF_R_TIME_WAIT_TEXT_ACK);
	} else if (st->prof->time_wait_ack_any && in->seg->seq != s->tcb.rcv_nxt) {
		s->tcb.t_2msl = ref__after(in->now, 2 * st->prof->msl); /* Linux */
		ref__ack_now(st, s, REF_R_TIME_WAIT_ACK_ANY);
	}
	return false;
}

typedef bool (*ack_handler)(struct ref_stack *, struct ref_sock *, struct ref_in *);

static const ack_handler ack_handlers[REF_STATE_COUNT] = {
	[REF_SYN_RECEIVED] = ack_syn_received,
	[REF_ESTABLISHED] = ack_common,
	[REF_FIN_WAIT_1] = ack_fin_wait_1,
	[REF_FIN_WAIT_2] = ack_common,
	[REF_CLOSE_WAIT] = ack_common,
	[REF_CLOSING] = ack_closing,
	[REF_LAST_ACK] = ack_last_ack,
	[REF_TIME_WAIT] = ack_time_wait,
};

static bool check_ack(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	const struct ref_tcb *t = &s->tcb;
	const struct seg *g = in->seg;

	if (!(g->flags & SEG_ACK)) {
		ref__drop(st, s, REF_R_ACK_OFF_DROP);
		return false;
	}
	if (st->prof->rfc5961_ack && /* MAY-12 */
	    !seq_in_cc(g->ack, t->snd_una - t->max_snd_wnd, t->snd_nxt)) {
		challenge_ack(st, s, REF_R_ACK_OUT_OF_RANGE, in->now);
		return false;
	}
	return ack_handlers[s->state](st, s, in);
}

/* ---- sixth: URG ----------------------------------------------------------------------- */

void ref__process_urg(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	const struct seg *g = in->seg;
	uint32_t up, last, read_seq;

	if (!(g->flags & SEG_URG))
		return;
	if (!in_state(s, RECEIVING)) {
		ref__event(st, REF_EV_NOTE, REF_R_URG_IGNORED, s, 0);
		return;
	}
	if (g->urp == 0)
		return; /* the pointer names no urgent octet */
	up = g->seq + g->urp; /* MUST-62: the octet after the urgent data */
	last = up - 1;
	read_seq = t->rcv_nxt - t->rcvq.len;
	if (seq_lt(last, read_seq))
		return; /* already consumed */
	if (t->urg != REF_URG_NONE && !seq_gt(up, t->rcv_up))
		return; /* not an advance: the user was already told */
	t->rcv_up = up; /* RCV.UP <- max(RCV.UP, SEG.UP) */
	t->rcv_up_valid = true;
	t->urg_seq = last;
	if (seq_lt(last, t->rcv_nxt)) {
		t->urg = REF_URG_VALID;
		t->urg_byte = ref__ring_byte(&t->rcvq, last - read_seq);
	} else {
		t->urg = REF_URG_NOTYET; /* MUST-31: urgent data of any length */
	}
	ref__event(st, REF_EV_URGENT, REF_R_URG_RECEIVED, s, 0); /* MUST-32 */
}

/* ---- seventh: text ---------------------------------------------------------------------- */

/* Start the delayed-ACK timer, unless it runs (SHLD-18, MUST-40); before
 * any text has arrived it runs delack_before_text. */
static void ack_later(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	const struct ref_profile *p = st->prof;
	bool text = s->tcb.rcv_nxt != s->tcb.irs + 1;

	if (s->tcb.t_delack == REF_NO_TIMER)
		s->tcb.t_delack = ref__after(now, text ? p->delack_time : p->delack_before_text);
	ref__event(st, REF_EV_NOTE, REF_R_ACK_HOLD, s, 0);
}

/* Quick-ACK mode (profile quickack): is this ACK of text still sent at
 * once? The first text sets the count as Linux's tcp_incr_quickack does:
 * at most `quickack`, at most RCV.WND / (2 * RMSS), 2 if that is 0. RMSS
 * is the receiver's estimate of the peer's MSS (tcp_initialize_rcv_mss:
 * min(our MSS, RCV.WND / 2, 536), at least 88; tcp_measure_rcv_mss: the
 * segment's length if at least that, at most our MSS). Each ACK of new
 * text spends one (ref_out.c). */
static bool quick_ack(const struct ref_profile *p, struct ref_tcb *t, uint32_t len)
{
	if (!t->quick_set && p->quickack > 0) {
		uint32_t wnd, n, rmss = 536;

		wnd = seq_gt(t->rcv_adv, t->rcv_nxt - len) ? t->rcv_adv - (t->rcv_nxt - len) : 0;
		if (rmss > t->adv_mss)
			rmss = t->adv_mss;
		if (rmss > wnd / 2)
			rmss = wnd / 2;
		if (rmss < 88)
			rmss = 88;
		if (len >= rmss)
			rmss = len < t->adv_mss ? len : t->adv_mss;
		n = wnd / (2 * rmss);
		if (n == 0)
			n = 2;
		t->quick = n < p->quickack ? n : p->quickack;
	}
	t->quick_set = true;
	return t->quick > 0;
}

/* The ACK for newly accepted in-order text: at once, or delayed (§3.8.6.3). */
static void ack_policy(struct ref_stack *st, struct ref_sock *s, bool filled_gap, uint32_t len,
		       uint64_t now)
{
	const struct ref_profile *p = st->prof;
	struct ref_tcb *t = &s->tcb;

	if (filled_gap && p->ack_gap_fill_now)
		ref__ack_now(st, s, REF_R_ACK_GAP_FILLED);
	else if (p->delack_time == 0)
		ref__ack_now(st, s, REF_R_ACK_TEXT);
	else if (t->rcv_unacked >= p->delack_segments * (uint32_t)t->adv_mss)
		ref__ack_now(st, s, REF_R_ACK_SECOND_SEGMENT); /* SHLD-19 */
	else if (quick_ack(p, t, len))
		ref__ack_now(st, s, REF_R_ACK_QUICK);
	else
		ack_later(st, s, now);
}

static void text_in_order(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t n = in->len, room = t->rcvq.cap - t->rcvq.len, nxt;
	bool had_gap = t->ooo.n > 0;

	if (n > room)
		n = room; /* cannot happen: the window never exceeds the room */
	ref__ring_write_at(&t->rcvq, t->rcvq.len, in->data, n);
	t->rcvq.len += n;
	t->rcv_nxt += n;
	t->rcv_unacked += n;
	nxt = ref__ooo_advance(&t->ooo, t->rcv_nxt); /* SHLD-31: held segments follow */
	t->rcvq.len += nxt - t->rcv_nxt;
	t->rcv_nxt = nxt;
	if (t->urg == REF_URG_NOTYET && seq_lt(t->urg_seq, t->rcv_nxt)) {
		uint32_t read_seq = t->rcv_nxt - t->rcvq.len;

		t->urg = REF_URG_VALID;
		t->urg_byte = ref__ring_byte(&t->rcvq, t->urg_seq - read_seq);
	}
	ack_policy(st, s, had_gap, n, in->now);
}

/* RFC 2018 §4: the block holding the newest segment goes first; the list
 * keeps the blocks reported before it, most recent first. */
static void sack_recent_push(struct ref_tcb *t, uint32_t seq)
{
	const struct ref_ooo_range *r = ref__ooo_find(&t->ooo, seq), *q;
	uint32_t i, n = 0, keep[SEG_SACK_MAX];

	keep[n++] = seq;
	for (i = 0; i < t->sack_nrecent && n < SEG_SACK_MAX; i++) {
		q = ref__ooo_find(&t->ooo, t->sack_recent[i]);
		if (q != NULL && q != r)
			keep[n++] = t->sack_recent[i];
	}
	for (i = 0; i < n; i++)
		t->sack_recent[i] = keep[i];
	t->sack_nrecent = n;
}

/* RFC 2883: the part of [l, r) already held out of order is a duplicate. */
static void ooo_duplicate(struct ref_stack *st, struct ref_sock *s, uint32_t l, uint32_t r)
{
	const struct ref_ooo *o = &s->tcb.ooo;
	uint32_t i;

	for (i = 0; i < o->n; i++)
		if (seq_lt(o->r[i].left, r) && seq_lt(l, o->r[i].right)) {
			dsack_note(st, s, seq_max(l, o->r[i].left), seq_min(r, o->r[i].right));
			return;
		}
}

static void text_out_of_order(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t off = t->rcvq.len + (in->seq - t->rcv_nxt), n = in->len;

	if (off >= t->rcvq.cap)
		n = 0;
	else if (n > t->rcvq.cap - off)
		n = t->rcvq.cap - off;
	if (n < in->len)
		in->fin = false;
	if (n && t->sack_ok)
		ooo_duplicate(st, s, in->seq, in->seq + n);
	if (n == 0 || ref__ooo_add(&t->ooo, in->seq, in->seq + n) != 0) {
		ref__drop(st, s, REF_R_TEXT_OOO_FULL);
		in->fin = false;
	} else {
		ref__ring_write_at(&t->rcvq, off, in->data, n);
		ref__event(st, REF_EV_NOTE, REF_R_TEXT_OUT_OF_ORDER, s, 0);
		if (t->sack_ok)
			sack_recent_push(t, in->seq);
	}
	if (st->prof->ack_out_of_order_now) /* MAY-13; with SACK blocks (RFC 2018 §4) */
		ref__ack_now(st, s, t->sack_ok ? REF_R_SACK_BLOCKS : REF_R_ACK_OUT_OF_ORDER);
	else if (t->t_delack == REF_NO_TIMER)
		t->t_delack = ref__after(in->now, st->prof->delack_time);
}

void ref__process_text(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (in->len == 0)
		return;
	if (!in_state(s, RECEIVING)) {
		ref__drop(st, s, REF_R_TEXT_IGNORED);
		return;
	}
	if (in->seq == s->tcb.rcv_nxt)
		text_in_order(st, s, in);
	else
		text_out_of_order(st, s, in);
}

/* ---- eighth: FIN -------------------------------------------------------------------------- */

/* Is a FIN that arrives in `state` acknowledged at once (profile
 * ack_fin_now)? */
static bool ack_fin_at_once(const struct ref_profile *p, enum ref_state state)
{
	if (p->ack_fin_now == REF_ACK_FIN_FIN_WAIT)
		return state == REF_FIN_WAIT_1 || state == REF_FIN_WAIT_2;
	return p->ack_fin_now == REF_ACK_FIN_NOW;
}

static void fin_reached(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	if (s->rcv_done) { /* a second FIN: nothing to advance over */
		if (st->prof->fin_after_fin_ignored && in_state(s, AFTER_PEER_FIN)) {
			ref__drop(st, s, REF_R_FIN_AFTER_FIN_IGNORED);
			return;
		}
		if (s->state == REF_TIME_WAIT)
			t->t_2msl = ref__after(now, 2 * st->prof->msl);
		ref__ack_now(st, s, REF_R_FIN_REMAIN);
		return;
	}
	if (ack_fin_at_once(st->prof, s->state)) /* before RCV.NXT passes the FIN */
		ref__ack_now(st, s, REF_R_ACK_FIN);
	else
		ack_later(st, s, now);
	t->rcv_nxt++; /* advance RCV.NXT over the FIN */
	s->rcv_done = true;
	ref__ooo_clear(&t->ooo);
	switch (s->state) {
	case REF_SYN_RECEIVED:
	case REF_ESTABLISHED:
		ref__set_state(st, s, REF_CLOSE_WAIT, REF_R_FIN_CLOSE_WAIT);
		break;
	case REF_FIN_WAIT_1:
		if (fin_acked(t))
			ref__enter_time_wait(st, s, REF_R_FIN_TIME_WAIT, now);
		else
			ref__set_state(st, s, REF_CLOSING, REF_R_FIN_CLOSING);
		break;
	case REF_FIN_WAIT_2:
		ref__enter_time_wait(st, s, REF_R_FIN_TIME_WAIT, now);
		break;
	default:
		break;
	}
}

static void check_fin(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t fin_seq;

	if (in->fin) {
		fin_seq = in->seq + in->len;
		if (fin_seq == t->rcv_nxt) {
			fin_reached(st, s, in->now);
		} else if (seq_gt(fin_seq, t->rcv_nxt) && !s->rcv_done) {
			t->ooo.fin = true; /* held with the out-of-order text */
			t->ooo.fin_seq = fin_seq;
			if (in->len == 0)
				ref__ack_now(st, s, REF_R_ACK_OUT_OF_ORDER);
		}
		return;
	}
	if (t->ooo.fin && t->ooo.fin_seq == t->rcv_nxt) {
		t->ooo.fin = false;
		fin_reached(st, s, in->now);
	}
}

/* ---- the whole procedure -------------------------------------------------------------------- */

/* SHLD-3 / MAY-1: after close() the user cannot read; new data is lost. */
static bool data_after_close(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (in->len == 0 || !s->user_closed || !st->prof->rst_on_data_after_close ||
	    !in_state(s, RECEIVING))
		return false;
	ref__abort(st, s, true, 0, REF_R_TEXT_AFTER_CLOSE_RST, in->now);
	return true;
}

static void steps_urg_text_fin(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	ref__process_urg(st, s, in);
	if (data_after_close(st, s, in))
		return;
	ref__process_text(st, s, in);
	check_fin(st, s, in);
}

void ref__continue_at_urg(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	trim(&s->tcb, in);
	steps_urg_text_fin(st, s, in);
}

void ref__sync_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	if (!check_timestamps(st, s, in) || !check_sequence(st, s, in))
		return;
	ts_recent_update(s, in);
	s->tcb.last_rcv = in->now; /* keep-alive: the peer is alive (MUST-26) */
	s->tcb.keep_probes = 0;
	if (!check_rst(st, s, in) || !check_security(st, s, in) || !check_syn(st, s, in) ||
	    !check_ack(st, s, in))
		return;
	steps_urg_text_fin(st, s, in);
}
