/* Timers: retransmission (RFC 6298, §3.8.1, §3.8.3), zero-window probe and
 * SWS override (§3.8.6.1, §3.8.6.2.1), delayed ACK (§3.8.6.3), keep-alive
 * (§3.8.4), TIME-WAIT (§3.10.8). Deadlines are absolute microseconds; a
 * handler runs with `now` equal to its deadline. */
#include <errno.h>

#include "reference/ref_internal.h"

/* ---- RFC 6298 ----------------------------------------------------------------- */

static uint64_t clamp_rto(const struct ref_profile *p, uint64_t rto)
{
	if (rto < p->rto_min) /* (2.4) */
		rto = p->rto_min;
	if (rto > p->rto_max) /* (2.5) */
		rto = p->rto_max;
	return rto;
}

void ref__rtt_sample(const struct ref_stack *st, struct ref_tcb *t, uint64_t r)
{
	const struct ref_profile *p = st->prof;
	uint64_t k_rttvar, delta;

	if (!t->have_rtt) { /* (2.2) */
		t->srtt = r;
		t->rttvar = r / 2;
		t->have_rtt = true;
	} else { /* (2.3): RTTVAR first, with the old SRTT */
		delta = t->srtt > r ? t->srtt - r : r - t->srtt;
		t->rttvar = (3 * t->rttvar + delta) / 4;
		t->srtt = (7 * t->srtt + r) / 8;
	}
	k_rttvar = 4 * t->rttvar;
	t->rto = clamp_rto(p, t->srtt + (k_rttvar > p->rto_granularity ? k_rttvar
									: p->rto_granularity));
}

void ref__rtx_start(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	(void)st;
	if (t->t_rtx != REF_NO_TIMER || t->persist == REF_PERSIST_PROBE)
		return;
	t->t_rtx = ref__after(now, t->rto); /* (5.1) */
	t->rtx_armed_at = now;
}

void ref__rtx_restart(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	t->t_rtx = REF_NO_TIMER;
	if (t->snd_una == t->snd_nxt) /* (5.2) everything acknowledged */
		return;
	ref__rtx_start(st, s, now); /* (5.3) */
}

/* ---- retransmission timeout ----------------------------------------------------- */

/* §3.8.3 (MUST-20..23): give up, or report R1 once. Returns true if the
 * connection was closed. */
static bool r1_r2(struct ref_stack *st, struct ref_sock *s, bool syn, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint64_t start = t->rtx_start;
	uint32_t out = t->snd_nxt - t->snd_una;

	/* SHLD-17: a peer that shrank its window but answers is not dead. */
	if (!syn && t->snd_wnd < out && t->last_rcv > start)
		start = t->last_rcv;
	if (now - start >= ref__r2(st, s, syn)) {
		int err = s->soft_error ? s->soft_error : ETIMEDOUT;

		if (syn && t->passive)
			ref__child_drop(st, s, REF_R_RTX_R2);
		else
			ref__abort(st, s, false, err, REF_R_RTX_R2, now);
		return true;
	}
	if (t->rtx_count >= st->prof->r1_retransmissions && !t->r1_reported) {
		t->r1_reported = true; /* SHLD-9 */
		ref__event(st, REF_EV_SOFT_ERROR, REF_R_RTX_R1, s, ETIMEDOUT);
	}
	return false;
}

/* The retransmission timer of the next round: the backed-off RTO (5.5,
 * 5.6), but never past R2. */
static void rtx_rearm(struct ref_stack *st, struct ref_sock *s, bool syn, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint64_t give_up = ref__after(t->rtx_start, ref__r2(st, s, syn));

	t->rto = t->rto > st->prof->rto_max / 2 ? st->prof->rto_max : t->rto * 2;
	t->t_rtx = ref__after(now, t->rto);
	if (give_up > now && t->t_rtx > give_up)
		t->t_rtx = give_up;
}

static void rtx_syn(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	t->rtt_timing = false; /* Karn */
	t->syn_retransmitted = true;
	st->stats.retransmits++;
	ref__send_syn(st, s, s->state != REF_SYN_SENT, REF_R_RTX_SYN, now); /* MUST-22 */
}

static uint32_t mss_now(const struct ref_sock *s)
{
	uint32_t o = ref__opts_data_len(s);

	return s->tcb.eff_mss > o ? s->tcb.eff_mss - o : 1;
}

/* RFC 6298 (5.4): the earliest unacknowledged segment again, one segment. */
static void rtx_data(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t data_end = ref__snd_data_seq(t) + t->sndq.len, len = 0, room;
	bool fin;

	t->rtt_timing = false; /* Karn */
	t->tx_nxt = t->snd_una;
	t->rtx_rule = REF_R_RTX_TIMEOUT;
	if (seq_lt(t->snd_una, data_end) && seq_lt(t->snd_una, t->snd_nxt)) {
		len = seq_lt(t->snd_nxt, data_end) ? t->snd_nxt - t->snd_una
						   : data_end - t->snd_una;
		if (len > mss_now(s))
			len = mss_now(s);
		/* SHLD-16 inside the window; a closed window gets a one-octet
		 * probe (MUST-35). */
		room = t->snd_wnd > 0 ? t->snd_wnd : 1;
		if (len > room)
			len = room;
	}
	fin = t->fin_sent && t->snd_una + len == t->fin_seq;
	st->stats.retransmits++;
	ref__send_range(st, s, t->snd_una, len, fin, REF_R_RTX_TIMEOUT, now);
	t->rtx_hold = true; /* the rest follows the ACKs */
	ref__cc_on_timeout(st, s);
}

static void fire_rtx(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	bool syn = !ref__syn_acked(t);

	t->t_rtx = REF_NO_TIMER;
	if (t->snd_una == t->snd_nxt)
		return;
	if (t->rtx_count == 0)
		t->rtx_start = t->rtx_armed_at; /* the segment's first send, or the last progress */
	if (r1_r2(st, s, syn, now))
		return;
	t->rtx_count++;
	if (syn)
		rtx_syn(st, s, now);
	else
		rtx_data(st, s, now);
	rtx_rearm(st, s, syn, now);
}

/* ---- zero-window probe and SWS override --------------------------------------------- */

static void send_probe(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	if (st->prof->zwp_form == REF_ZWP_EMPTY_OLD) {
		ref__send_ack_at(st, s, t->snd_una - 1, 0, REF_R_ZERO_WINDOW_PROBE, now);
		return;
	}
	/* One octet of new data (§3.8.6.1); later probes send it again. */
	if (t->snd_nxt != t->snd_una)
		st->stats.retransmits++;
	ref__send_range(st, s, t->snd_una, 1, false, REF_R_ZERO_WINDOW_PROBE, now);
}

static void fire_persist(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint64_t interval, r2;

	t->t_persist = REF_NO_TIMER;
	if (t->persist == REF_PERSIST_OVERRIDE) { /* §3.8.6.2.1 (4) */
		uint32_t data_end = ref__snd_data_seq(t) + t->sndq.len;
		uint32_t edge = t->snd_una + (t->snd_wnd < t->cwnd ? t->snd_wnd : t->cwnd);
		uint32_t len = seq_lt(t->snd_nxt, edge) ? edge - t->snd_nxt : 0;

		t->persist = REF_PERSIST_NONE;
		if (len > data_end - t->snd_nxt)
			len = data_end - t->snd_nxt;
		if (len > t->eff_mss)
			len = t->eff_mss;
		if (len) {
			ref__send_range(st, s, t->snd_nxt, len,
					t->fin_queued && t->snd_nxt + len == data_end,
					REF_R_SEND_SWS_OVERRIDE, now);
			ref__rtx_start(st, s, now);
		}
		ref__mark_dirty(st, s);
		return;
	}
	/* MUST-37: open indefinitely while the probes are answered; a peer
	 * silent for R2 is gone. */
	r2 = ref__r2(st, s, false);
	if (now - t->last_rcv >= r2 && now - t->persist_start >= r2) {
		ref__abort(st, s, false, s->soft_error ? s->soft_error : ETIMEDOUT, REF_R_RTX_R2,
			   now);
		return;
	}
	send_probe(st, s, now);
	if (t->persist_shift < 30)
		t->persist_shift++; /* SHLD-30: exponential backoff */
	interval = st->prof->rto_max;
	if (t->rto <= (st->prof->rto_max >> t->persist_shift))
		interval = t->rto << t->persist_shift;
	t->t_persist = ref__after(now, interval);
}

/* ---- delayed ACK, keep-alive, TIME-WAIT ----------------------------------------------- */

static void fire_delack(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	s->tcb.t_delack = REF_NO_TIMER;
	ref__ack_now(st, s, REF_R_ACK_DELAYED);
	(void)now;
}

static bool keepalive_state(const struct ref_sock *s)
{
	return s->state == REF_ESTABLISHED || s->state == REF_CLOSE_WAIT ||
	       s->state == REF_FIN_WAIT_2;
}

void ref__keepalive_arm(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	(void)st;
	if (!s->keepalive || !keepalive_state(s)) { /* MUST-24/25 */
		t->t_keep = REF_NO_TIMER;
		return;
	}
	t->keep_probes = 0;
	/* Idle since the last segment received, but never in the past: keep-
	 * alive switched on after a long silence probes from now on, not at a
	 * time already gone (RFC 9293 §3.8.4; found by fuzz_ref). Checked
	 * lazily when it fires. */
	t->t_keep = ref__after(t->last_rcv, s->keepidle);
	if (t->t_keep <= now)
		t->t_keep = ref__after(now, 0);
}

static void fire_keep(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t data_end = ref__snd_data_seq(t) + t->sndq.len;

	t->t_keep = REF_NO_TIMER;
	if (!s->keepalive || !keepalive_state(s))
		return;
	/* MUST-26: only when idle for the interval and nothing outstanding. */
	if (t->snd_una != t->snd_nxt || t->snd_nxt != data_end) {
		t->t_keep = ref__after(now, s->keepidle);
		return;
	}
	if (t->keep_probes == 0 && now - t->last_rcv < s->keepidle) {
		t->t_keep = ref__after(t->last_rcv, s->keepidle);
		return;
	}
	if (t->keep_probes >= s->keepcnt) { /* MUST-29: never after only one */
		ref__abort(st, s, false, ETIMEDOUT, REF_R_KEEPALIVE_TIMEOUT, now);
		return;
	}
	t->keep_probes++;
	ref__send_ack_at(st, s, t->snd_nxt - 1, st->prof->keepalive_garbage_octet ? 1 : 0,
			 REF_R_KEEPALIVE_PROBE, now); /* SHLD-12 */
	t->t_keep = ref__after(now, s->keepintvl);
}

static void fire_2msl(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	(void)now;
	s->tcb.t_2msl = REF_NO_TIMER;
	ref__conn_closed(st, s, s->state == REF_FIN_WAIT_2 ? REF_R_FIN_WAIT_2_TIMEOUT
							   : REF_R_TIME_WAIT_EXPIRED);
}

/* ---- dispatch -------------------------------------------------------------------------- */

uint64_t ref__conn_deadline(const struct ref_sock *s)
{
	const struct ref_tcb *t = &s->tcb;
	uint64_t d = t->t_rtx;

	if (t->t_persist < d)
		d = t->t_persist;
	if (t->t_delack < d)
		d = t->t_delack;
	if (t->t_keep < d)
		d = t->t_keep;
	if (t->t_2msl < d)
		d = t->t_2msl;
	return d;
}

bool ref__conn_fire(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	if (t->t_rtx <= now)
		fire_rtx(st, s, now);
	else if (t->t_persist <= now)
		fire_persist(st, s, now);
	else if (t->t_delack <= now)
		fire_delack(st, s, now);
	else if (t->t_keep <= now)
		fire_keep(st, s, now);
	else if (t->t_2msl <= now)
		fire_2msl(st, s, now);
	else
		return false;
	if (s->used)
		ref__mark_dirty(st, s);
	return true;
}
