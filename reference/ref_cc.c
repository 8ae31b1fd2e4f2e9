/* Congestion control: RFC 5681 (slow start, congestion avoidance, fast
 * retransmit and fast recovery, the loss window after a timeout, the
 * restart window after idle), RFC 6582 (NewReno's partial ACKs), RFC 3042
 * (limited transmit), and the basic form of RFC 6675's SACK-based recovery
 * (holes below the highest SACKed octet are retransmitted, SACKed data
 * never). The sender obeys min(SND.WND, cwnd + lt_allow) past SND.UNA
 * (ref_out.c); these hooks move cwnd and ssthresh.
 *
 * Choices (documented in ref_profile.h where they are profile fields):
 *   - SMSS is Eff.snd.MSS less the timestamp option; IW from RFC 5681's
 *     table (or the profile's segment count); ssthresh starts "arbitrarily
 *     high" (UINT32_MAX).
 *   - Congestion avoidance counts bytes (RFC 5681 §3.1, the RECOMMENDED
 *     form): cwnd += SMSS each time a cwnd's worth of bytes is acked.
 *   - NewReno leaves recovery with cwnd = min(ssthresh, max(FlightSize,
 *     SMSS) + SMSS) (RFC 6582 §3.2 step 3, option 1); every partial ACK
 *     restarts the retransmission timer (the "Slow-but-Steady" variant).
 *   - With SACK, "duplicate ACK" keeps RFC 5681's definition; in recovery
 *     each duplicate ACK may retransmit one hole (instead of RFC 6675's
 *     pipe accounting). */
#include "reference/ref_internal.h"

#define CWND_MAX (1u << 30)

uint32_t ref__smss(const struct ref_sock *s)
{
	uint32_t o = s->tcb.ts_ok ? 12u : 0u;

	return s->tcb.eff_mss > o ? s->tcb.eff_mss - o : 1;
}

/* RFC 5681 §3.1: IW by SMSS, or the profile's segment count. */
static uint32_t initial_window(const struct ref_stack *st, const struct ref_sock *s)
{
	uint32_t smss = ref__smss(s);

	if (st->prof->iw_segments)
		return st->prof->iw_segments * smss;
	if (smss > 2190)
		return 2 * smss;
	if (smss > 1095)
		return 3 * smss;
	return 4 * smss;
}

static bool cc_on(const struct ref_stack *st) { return st->prof->cc != REF_CC_NONE; }

void ref__cc_init(const struct ref_stack *st, struct ref_sock *s)
{
	(void)st;
	s->tcb.cwnd = UINT32_MAX; /* unlimited until ESTABLISHED */
	s->tcb.ssthresh = UINT32_MAX;
	s->tcb.recover = s->tcb.iss; /* RFC 6582 §3.2 step 1 */
}

void ref__cc_established(struct ref_stack *st, struct ref_sock *s)
{
	struct ref_tcb *t = &s->tcb;

	t->last_send = st->now;
	if (!cc_on(st))
		return;
	t->cwnd = initial_window(st, s);
	if (st->prof->iw_one_after_syn_loss && t->syn_retransmitted)
		t->cwnd = ref__smss(s); /* a SYN or SYN,ACK was lost */
	t->ssthresh = st->prof->ssthresh_segments ? st->prof->ssthresh_segments * ref__smss(s)
						  : UINT32_MAX;
}

uint32_t ref__cc_window(const struct ref_stack *st, const struct ref_sock *s)
{
	const struct ref_tcb *t = &s->tcb;

	(void)st;
	return t->cwnd > UINT32_MAX - t->lt_allow ? UINT32_MAX : t->cwnd + t->lt_allow;
}

static uint32_t half_flight(const struct ref_sock *s, uint32_t exclude)
{
	const struct ref_tcb *t = &s->tcb;
	uint32_t flight = t->snd_nxt - t->snd_una, smss = ref__smss(s);

	flight = flight > exclude ? flight - exclude : 0;
	return flight / 2 > 2 * smss ? flight / 2 : 2 * smss; /* RFC 5681 (4) */
}

/* The first un-SACKed octet at or above `from` (RFC 6675 NextSeg, rule 1
 * without IsLost): a hole only if SACKed data lies above it. */
static bool next_hole(const struct ref_tcb *t, uint32_t from, uint32_t *hole)
{
	uint32_t seq = seq_max(from, t->snd_una), end;

	while (ref__sacked(t, seq, &end))
		seq = end;
	if (t->sacked.n == 0 || !seq_lt(seq, t->sacked.r[t->sacked.n - 1].left))
		return false;
	*hole = seq;
	return true;
}

static void schedule_rtx(struct ref_sock *s, uint32_t seq, enum ref_rule rule)
{
	s->tcb.rtx_one = true;
	s->tcb.rtx_one_seq = seq;
	s->tcb.rtx_one_rule = rule;
}

static bool sack_recovery(const struct ref_stack *st, const struct ref_sock *s)
{
	return st->prof->sack_recovery && s->tcb.sack_ok;
}

static void recovery_ack(struct ref_stack *st, struct ref_sock *s, uint32_t acked)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t smss = ref__smss(s), flight, hole = t->snd_una;

	if (st->prof->cc == REF_CC_RENO || seq_gt(t->snd_una, t->recover)) {
		t->in_recovery = false; /* full ACK: deflate */
		flight = t->snd_nxt - t->snd_una;
		t->cwnd = t->ssthresh;
		if (st->prof->cc == REF_CC_NEWRENO && (flight > smss ? flight : smss) + smss < t->cwnd)
			t->cwnd = (flight > smss ? flight : smss) + smss;
		ref__event(st, REF_EV_NOTE, REF_R_CC_RECOVERY_EXIT, s, 0);
		return;
	}
	/* RFC 6582 §3.2 step 4: partial ACK */
	t->cwnd = t->cwnd > acked ? t->cwnd - acked : 0;
	if (acked >= smss)
		t->cwnd += smss;
	if (t->cwnd < smss)
		t->cwnd = smss;
	if (sack_recovery(st, s) && !next_hole(t, t->snd_una, &hole))
		hole = t->snd_una;
	schedule_rtx(s, hole, REF_R_CC_PARTIAL_ACK);
}

void ref__cc_on_ack(struct ref_stack *st, struct ref_sock *s, uint32_t acked)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t smss = ref__smss(s), inc;

	t->dupacks = 0;
	t->lt_allow = 0;
	t->lt_bytes = 0;
	if (!cc_on(st))
		return;
	if (t->in_recovery) {
		recovery_ack(st, s, acked);
		return;
	}
	if (acked == 0 || t->cwnd >= CWND_MAX)
		return;
	if (t->cwnd < t->ssthresh) { /* slow start, RFC 5681 (2) */
		inc = st->prof->abc_limit * smss;
		t->cwnd += acked < inc ? acked : inc;
		return;
	}
	t->ca_acked += acked; /* congestion avoidance, byte counting */
	if (t->ca_acked >= t->cwnd) {
		t->ca_acked -= t->cwnd;
		t->cwnd += smss;
	}
}

static void enter_recovery(struct ref_stack *st, struct ref_sock *s)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t smss = ref__smss(s);

	if (st->prof->cc == REF_CC_NEWRENO && !seq_gt(t->snd_una, t->recover)) {
		ref__event(st, REF_EV_NOTE, REF_R_CC_NO_REENTRY, s, 0); /* RFC 6582 §3.2 step 2 */
		return;
	}
	t->ssthresh = half_flight(s, t->lt_bytes); /* step 2 */
	t->recover = t->snd_nxt - 1;
	t->in_recovery = true;
	t->high_rxt = t->snd_una;
	t->lt_allow = 0;
	t->cwnd = t->ssthresh + 3 * smss; /* step 3 */
	schedule_rtx(s, t->snd_una, REF_R_CC_FAST_RETRANSMIT);
}

void ref__cc_on_dupack(struct ref_stack *st, struct ref_sock *s)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t smss = ref__smss(s), hole;

	if (!cc_on(st))
		return;
	t->dupacks++;
	if (t->in_recovery) {
		if (t->cwnd < CWND_MAX)
			t->cwnd += smss; /* step 4: inflation */
		if (sack_recovery(st, s) && next_hole(t, t->high_rxt, &hole))
			schedule_rtx(s, hole, REF_R_SACK_RTX_HOLE);
		ref__mark_dirty(st, s);
		return;
	}
	if (t->dupacks < st->prof->dupthresh) {
		if (st->prof->limited_transmit) /* RFC 3042: cwnd + 2*SMSS at most */
			t->lt_allow = (t->dupacks < 2 ? t->dupacks : 2) * smss;
	} else if (t->dupacks == st->prof->dupthresh) {
		enter_recovery(st, s);
	}
	ref__mark_dirty(st, s);
}

void ref__cc_on_timeout(struct ref_stack *st, struct ref_sock *s)
{
	struct ref_tcb *t = &s->tcb;

	if (st->prof->sack_clear_on_rto) /* RFC 2018 §5.1 */
		ref__ooo_clear(&t->sacked);
	if (!cc_on(st))
		return;
	if (t->rtx_count <= 1) /* held on a repeated timeout of the same segment */
		t->ssthresh = half_flight(s, 0);
	t->cwnd = ref__smss(s); /* LW */
	t->ca_acked = 0;
	t->in_recovery = false;
	t->dupacks = 0;
	t->lt_allow = t->lt_bytes = 0;
	t->rtx_one = false;
	t->recover = t->snd_nxt - 1; /* RFC 6582 §3.2 */
	ref__event(st, REF_EV_NOTE, REF_R_CC_LOSS_WINDOW, s, 0);
}

void ref__cc_before_send(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t rw;

	if (!cc_on(st) || !st->prof->idle_restart || t->snd_una != t->snd_nxt ||
	    now - t->last_send <= t->rto)
		return;
	rw = initial_window(st, s);
	if (rw < t->cwnd) {
		t->cwnd = rw;
		ref__event(st, REF_EV_NOTE, REF_R_CC_RESTART_WINDOW, s, 0);
	}
	t->last_send = now;
}

/* ---- the sender's SACK scoreboard (RFC 2018 §5) ----------------------------------- */

bool ref__sacked(const struct ref_tcb *t, uint32_t seq, uint32_t *end)
{
	const struct ref_ooo_range *r = ref__ooo_find(&t->sacked, seq);

	if (r == NULL)
		return false;
	*end = r->right;
	return true;
}

uint32_t ref__next_sacked(const struct ref_tcb *t, uint32_t seq, uint32_t lim)
{
	uint32_t i;

	for (i = 0; i < t->sacked.n; i++)
		if (seq_gt(t->sacked.r[i].left, seq))
			return seq_lt(t->sacked.r[i].left, lim) ? t->sacked.r[i].left : lim;
	return lim;
}

bool ref__sack_update(struct ref_sock *s, const struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	const struct ref_ooo_range *r;
	bool fresh = false;
	uint32_t i, l, rt;

	ref__ooo_trim(&t->sacked, t->snd_una);
	for (i = 0; i < in->nsack; i++) {
		l = in->sack[i].left;
		rt = in->sack[i].right;
		/* only blocks inside (SND.UNA, SND.NXT]; a D-SACK below is ignored */
		if (!seq_lt(l, rt) || !seq_gt(rt, t->snd_una) || seq_gt(rt, t->snd_nxt))
			continue;
		l = seq_max(l, t->snd_una);
		r = ref__ooo_find(&t->sacked, l);
		if (r != NULL && seq_geq(r->right, rt))
			continue;
		if (ref__ooo_add(&t->sacked, l, rt) == 0)
			fresh = true;
	}
	return fresh;
}
