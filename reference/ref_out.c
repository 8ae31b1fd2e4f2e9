/* Building and sending segments: the sender's decisions of §3.7.4 (Nagle),
 * §3.8.6.2.1 (sender SWS), §3.9.1.2 (PUSH), the receiver's window of
 * §3.8.6.2.2 (receiver SWS), and the RST forms of §3.5.2 / §3.10.7. */
#include <string.h>

#include "reference/ref_internal.h"

/* ---- header fields ------------------------------------------------------------- */

static size_t addr_bytes(uint8_t family) { return family == SEG_IPV6 ? 16 : 4; }

/* The IP and port fields of every segment of a connection: always the
 * connection's local address (MUST-45), its Diffserv field (MUST-48, SHLD-22)
 * and TTL (MUST-49). */
static void fill_ip(struct ref_stack *st, const struct ref_sock *s, struct seg *g)
{
	g->family = s->family;
	memcpy(g->src, s->laddr, addr_bytes(s->family));
	memcpy(g->dst, s->raddr, addr_bytes(s->family));
	g->tos = s->tos;
	g->ttl = s->ttl;
	g->df = s->family == SEG_IPV4; /* path MTU discovery, §3.7.2 */
	g->ip_id = st->ip_id++;
	g->sport = s->lport;
	g->dport = s->rport;
}

/* ---- the receive window, §3.8.6.2.2 (MUST-39) ---------------------------------------- */

uint32_t ref__rcv_wnd_round(const struct ref_stack *st, const struct ref_tcb *t, uint32_t wnd)
{
	uint32_t mss = (uint32_t)t->adv_mss - (t->ts_ok ? 12u : 0u);

	if (!st->prof->rcv_wnd_mss_round || mss == 0 || wnd <= mss)
		return wnd;
	return wnd - wnd % mss; /* Linux tcp_select_initial_window */
}

/* The right edge the receiver may offer now, given the free buffer. */
static uint32_t free_edge(const struct ref_stack *st, const struct ref_tcb *t)
{
	uint32_t avail = t->rcvq.cap - t->rcvq.len;
	uint32_t max = ref__rcv_wnd_round(st, t, (uint32_t)65535 << t->rcv_wscale);

	return t->rcv_nxt + (avail < max ? avail : max);
}

/* The receiver SWS rule: move the edge only by min(Fr*RCV.BUFF, Eff.snd.MSS)
 * or more. */
static bool edge_move_worth(const struct ref_stack *st, const struct ref_tcb *t,
			    uint32_t edge)
{
	uint64_t fr = (uint64_t)t->rcvq.cap * st->prof->sws_fr_percent / 100;
	uint32_t thresh = fr < t->eff_mss ? (uint32_t)fr : t->eff_mss;

	return seq_gt(edge, t->rcv_adv) && edge - t->rcv_adv >= thresh;
}

bool ref__window_update_due(const struct ref_stack *st, const struct ref_sock *s)
{
	const struct ref_tcb *t = &s->tcb;

	if (!s->have_tcb || !t->rcv_synced || s->rcv_done)
		return false;
	if (s->state != REF_ESTABLISHED && s->state != REF_FIN_WAIT_1 &&
	    s->state != REF_FIN_WAIT_2)
		return false;
	return edge_move_worth(st, t, free_edge(st, t));
}

/* The window field of a segment we send; advancing RCV.NXT+RCV.WND here
 * when the receiver SWS rule allows. The edge never moves left (SHLD-14).
 * A SYN's window is never scaled (RFC 7323 §2.2); otherwise the window is
 * shifted right by Rcv.Wind.Shift, rounded up so that the edge the peer
 * computes does not fall below RCV.NXT+RCV.WND (§2.4: no retraction by
 * truncation; octets the rounding adds are outside our window and not
 * accepted). */
static uint16_t window_field(const struct ref_stack *st, struct ref_sock *s, bool syn)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t edge, wnd, shift = syn ? 0 : t->rcv_wscale;

	if (!t->rcv_synced) {
		wnd = t->rcvq.cap < 65535 ? t->rcvq.cap : ref__rcv_wnd_round(st, t, 65535);
		return (uint16_t)wnd;
	}
	edge = free_edge(st, t);
	if (!syn && edge_move_worth(st, t, edge))
		t->rcv_adv = edge;
	wnd = seq_gt(t->rcv_adv, t->rcv_nxt) ? t->rcv_adv - t->rcv_nxt : 0;
	if (shift)
		wnd = (uint32_t)(((uint64_t)wnd + (1u << shift) - 1) >> shift);
	return (uint16_t)(wnd > 65535 ? 65535 : wnd);
}

/* ---- one segment ------------------------------------------------------------------ */

static void ack_sent(struct ref_tcb *t)
{
	if (t->quick > 0 && t->rcv_unacked > 0)
		t->quick--; /* an ACK of new text (Linux tcp_dec_quickack_mode) */
	t->last_ack_sent = t->rcv_nxt; /* RFC 7323 §4.3 Last.ACK.sent */
	t->ack_now = false;
	t->ack_rule = REF_R_NONE;
	t->t_delack = REF_NO_TIMER;
	t->rcv_unacked = 0;
}

/* Start a segment of a connection: IP fields, SEQ, flags, ACK, window, URG. */
static struct ref_out_entry *begin_seg(struct ref_stack *st, struct ref_sock *s, uint8_t flags,
				       uint32_t seq, enum ref_rule rule, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	struct ref_out_entry *e = ref__out_alloc(st, rule, s->fd, now);

	if (flags & SEG_ACK)
		ack_sent(t); /* even if the segment is lost to a full queue */
	if (e == NULL)
		return NULL;
	fill_ip(st, s, &e->seg);
	e->seg.seq = seq;
	e->seg.flags = flags;
	if (flags & SEG_ACK)
		e->seg.ack = t->rcv_nxt;
	e->seg.wnd = window_field(st, s, (flags & SEG_SYN) != 0);
	/* §3.8.5: while SND.UP is ahead, segments carry URG and the pointer
	 * (offset from SEG.SEQ to the octet after the urgent data, MUST-62). */
	if (t->snd_urgent && seq_lt(seq, t->snd_up)) {
		uint32_t up = t->snd_up - seq;

		e->seg.flags |= SEG_URG;
		e->seg.urp = (uint16_t)(up > 65535 ? 65535 : up);
	}
	return e;
}

void ref__send_syn(struct ref_stack *st, struct ref_sock *s, bool ack, enum ref_rule rule,
		   uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	struct ref_out_entry *e;

	e = begin_seg(st, s, (uint8_t)(SEG_SYN | (ack ? SEG_ACK : 0)), t->iss, rule, now);
	if (e != NULL)
		ref__opts_syn(st, s, ack, &e->seg.opts, now); /* MUST-14 */
	if (t->snd_nxt == t->iss) { /* first transmission */
		t->snd_nxt = t->tx_nxt = t->iss + 1;
		t->rtt_timing = true; /* RFC 6298: the handshake gives a sample */
		t->rtt_seq = t->iss;
		t->rtt_time = now;
	}
	ref__rtx_start(st, s, now);
}

void ref__send_ack_at(struct ref_stack *st, struct ref_sock *s, uint32_t seq, uint32_t len,
		      enum ref_rule rule, uint64_t now)
{
	struct ref_out_entry *e = begin_seg(st, s, SEG_ACK, seq, rule, now);

	if (e == NULL)
		return;
	ref__opts_data(st, s, &e->seg.opts, now);
	s->tcb.dsack = false; /* RFC 2883: each duplicate is reported once */
	if (len) { /* MAY-6: one garbage octet */
		e->data[0] = 0;
		e->seg.len = 1;
	}
}

void ref__send_range(struct ref_stack *st, struct ref_sock *s, uint32_t seq, uint32_t len,
		     bool fin, enum ref_rule rule, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t data_seq = ref__snd_data_seq(t), end = seq + len + (fin ? 1u : 0u);
	uint8_t flags = SEG_ACK;
	struct ref_out_entry *e;

	if (len && seq + len == data_seq + t->sndq.len)
		flags |= SEG_PSH; /* MUST-61: the segment that empties the queue */
	if (fin)
		flags |= SEG_FIN;
	e = begin_seg(st, s, flags, seq, rule, now);
	if (e != NULL) {
		ref__opts_data(st, s, &e->seg.opts, now);
		t->dsack = false;
		ref__ring_peek(&t->sndq, seq - data_seq, e->data, len);
		e->seg.len = len;
	}
	if (len || fin)
		t->last_send = now;
	if (fin) {
		t->fin_sent = true;
		t->fin_seq = seq + len;
	}
	if (seq_gt(end, t->snd_nxt)) {
		if (!t->rtt_timing && seq_geq(seq, t->snd_nxt)) { /* Karn: new data only */
			t->rtt_timing = true;
			t->rtt_seq = seq;
			t->rtt_time = now;
		}
		t->snd_nxt = end;
	}
	if (seq_leq(seq, t->tx_nxt) && seq_gt(end, t->tx_nxt))
		t->tx_nxt = end;
}

/* RFC 7323 §3.2: TSopt "SHOULD be sent in an <RST>" (TSecr 0: no ACK). */
static void rst_timestamp(const struct ref_stack *st, const struct ref_sock *s,
			  struct seg_opts *o, uint64_t now)
{
	if (s == NULL || !s->have_tcb || !s->tcb.ts_ok || !st->prof->ts_on_rst)
		return;
	(void)seg_opts_add_nop(o);
	(void)seg_opts_add_nop(o);
	(void)seg_opts_add_ts(o, ref__ts_now(st, now), 0);
}

/* Is the RST of this abort the user's (§3.10.5 ABORT, a close that
 * aborts), not one a segment drew? Profile abort_rst_ack applies to these. */
static bool abort_by_user(enum ref_rule rule)
{
	return rule == REF_R_ABORT_RST || rule == REF_R_CLOSE_UNREAD_RST ||
	       rule == REF_R_CLOSE_LINGER_ZERO || rule == REF_R_CLOSE_LISTEN;
}

void ref__send_rst_abort(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule,
			 uint64_t now)
{
	struct ref_out_entry *e = ref__out_alloc(st, rule, s->fd, now);

	if (e == NULL)
		return;
	fill_ip(st, s, &e->seg);
	e->seg.seq = s->tcb.snd_nxt; /* §3.10.5: <SEQ=SND.NXT><CTL=RST> */
	e->seg.flags = SEG_RST;
	if (st->prof->abort_rst_ack && abort_by_user(rule)) { /* Linux, lwIP */
		e->seg.flags |= SEG_ACK;
		e->seg.ack = s->tcb.rcv_nxt;
	}
	rst_timestamp(st, s, &e->seg.opts, now);
}

void ref__send_rst_reply(struct ref_stack *st, const struct ref_sock *s,
			 const struct seg *in, enum ref_rule rule, uint64_t now)
{
	struct ref_out_entry *e = ref__out_alloc(st, rule, s ? s->fd : -1, now);
	struct seg *g;

	if (e == NULL)
		return;
	g = &e->seg;
	g->family = in->family;
	memcpy(g->src, in->dst, sizeof(g->src));
	memcpy(g->dst, in->src, sizeof(g->dst));
	g->tos = s ? s->tos : st->prof->tos;
	g->ttl = s ? s->ttl : st->prof->ttl;
	g->df = in->family == SEG_IPV4;
	g->ip_id = st->ip_id++;
	g->sport = in->dport;
	g->dport = in->sport;
	if (in->flags & SEG_ACK) { /* §3.5.2: <SEQ=SEG.ACK><CTL=RST> */
		g->seq = in->ack;
		g->flags = SEG_RST;
	} else { /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
		g->seq = 0;
		g->ack = in->seq + (uint32_t)in->len + ((in->flags & SEG_SYN) ? 1u : 0u) +
			 ((in->flags & SEG_FIN) ? 1u : 0u);
		g->flags = SEG_RST | SEG_ACK;
	}
	if (s != NULL && s->state != REF_LISTEN)
		rst_timestamp(st, s, &g->opts, now);
}

void ref__ack_now(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule)
{
	if (!s->tcb.ack_now) {
		s->tcb.ack_now = true;
		s->tcb.ack_rule = rule;
	}
	ref__mark_dirty(st, s);
}

/* ---- the sender's decisions ---------------------------------------------------------- */

static uint32_t eff_mss_now(const struct ref_sock *s)
{
	uint32_t o = ref__opts_data_len(s);

	return s->tcb.eff_mss > o ? s->tcb.eff_mss - o : 1;
}

/* The right edge of what may be sent: SND.UNA + min(SND.WND, cwnd), cwnd
 * with RFC 3042's allowance. */
static uint32_t send_edge(const struct ref_tcb *t)
{
	uint32_t cw = t->cwnd > UINT32_MAX - t->lt_allow ? UINT32_MAX : t->cwnd + t->lt_allow;

	return t->snd_una + (t->snd_wnd < cw ? t->snd_wnd : cw);
}

/* Usable window at `seq`; 0 when the peer shrank its window past it
 * (MUST-34: it may go "negative"). */
static uint32_t usable(const struct ref_tcb *t, uint32_t seq)
{
	uint32_t edge = send_edge(t);

	return seq_lt(seq, edge) ? edge - seq : 0;
}

/* §3.8.6.2.1 and §3.7.4: may D queued bytes go into usable window U now?
 * Returns the rule that allows it, or REF_R_NONE to hold them, with the
 * rule that holds them in *hold. */
static enum ref_rule send_decision(const struct ref_stack *st, const struct ref_sock *s,
				   uint32_t d, uint32_t u, uint32_t mss, enum ref_rule *hold)
{
	const struct ref_tcb *t = &s->tcb;
	uint32_t n = d < u ? d : u;
	bool urgent = t->snd_urgent && seq_lt(t->snd_nxt, t->snd_up) &&
		      st->prof->urgent_bypasses_nagle;
	bool outstanding = t->snd_nxt != t->snd_una;
	bool nagle_ok = s->nodelay || !outstanding || urgent; /* MUST-17, SHLD-7 */

	*hold = REF_R_NAGLE_HOLD;
	if (n == 0)
		return REF_R_NONE;
	if (n >= mss)
		return REF_R_SEND_FULL_SEGMENT; /* (1) */
	if (d <= u) {                           /* (2) all queued data: "pushed" */
		if (!nagle_ok)
			return REF_R_NONE;
		if (urgent)
			return REF_R_SEND_URGENT;
		return outstanding ? REF_R_SEND_NODELAY : REF_R_SEND_PUSH;
	}
	if ((uint64_t)n * 100 >= (uint64_t)st->prof->sws_fs_percent * t->max_snd_wnd &&
	    t->max_snd_wnd > 0) /* (3) a fraction Fs of the largest window */
		return nagle_ok ? REF_R_SEND_SWS_FRACTION : REF_R_NONE;
	*hold = REF_R_SWS_HOLD;
	return REF_R_NONE;
}

/* Send one segment again from the retransmission point tx_nxt, skipping
 * what the receiver SACKed (RFC 2018 §5.1). */
static bool send_rtx_segment(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t seq = t->tx_nxt, data_end = ref__snd_data_seq(t) + t->sndq.len;
	uint32_t len = 0, room, end;
	bool fin;

	if (t->sacked.n && ref__sacked(t, seq, &end)) {
		ref__event(st, REF_EV_NOTE, REF_R_SACK_SKIP, s, 0);
		t->tx_nxt = seq_lt(end, t->snd_nxt) ? end : t->snd_nxt;
		return seq_lt(t->tx_nxt, t->snd_nxt) && send_rtx_segment(st, s, now);
	}
	if (seq_lt(seq, data_end)) {
		len = ref__next_sacked(t, seq, data_end) - seq;
		if (len > eff_mss_now(s))
			len = eff_mss_now(s);
		room = usable(t, seq); /* SHLD-16: inside SND.UNA+SND.WND */
		if (room == 0)
			return false;
		if (len > room)
			len = room;
	}
	fin = t->fin_sent && seq + len == t->fin_seq;
	if (len == 0 && !fin) {
		t->tx_nxt = t->snd_nxt;
		return false;
	}
	st->stats.retransmits++;
	ref__send_range(st, s, seq, len, fin, t->rtx_rule, now);
	return true;
}

/* Send one segment of new data (or the FIN) if the rules allow. */
static bool send_new_segment(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t seq = t->snd_nxt, data_end = ref__snd_data_seq(t) + t->sndq.len;
	uint32_t d, u, len, mss = eff_mss_now(s);
	enum ref_rule rule, hold;

	if (t->fin_sent)
		return false;
	d = data_end - seq;
	if (d == 0) {
		if (!t->fin_queued)
			return false;
		ref__send_range(st, s, seq, 0, true, REF_R_SEND_FIN, now); /* §3.10.4 */
		ref__rtx_start(st, s, now);
		return true;
	}
	ref__cc_before_send(st, s, now); /* RFC 5681 §4.1 */
	u = usable(t, seq);
	rule = send_decision(st, s, d, u, mss, &hold);
	if (rule == REF_R_NONE) {
		if (u > 0) /* held by a rule, not by a closed window */
			ref__event(st, REF_EV_NOTE, hold, s, 0);
		return false;
	}
	len = d < u ? d : u;
	if (len > mss)
		len = mss;
	if (t->lt_allow && seq_gt(seq + len, t->snd_una + t->cwnd)) {
		rule = REF_R_CC_LIMITED_TRANSMIT; /* RFC 3042: beyond cwnd */
		t->lt_bytes += len;
	}
	ref__send_range(st, s, seq, len, t->fin_queued && seq + len == data_end, rule, now);
	ref__rtx_start(st, s, now);
	return true;
}

/* One retransmission the congestion control asked for (fast retransmit,
 * a partial ACK, a SACK hole), whatever cwnd says (RFC 5681 §3.2 step 3). */
static bool send_one_rtx(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t seq = seq_max(t->rtx_one_seq, t->snd_una), end;
	uint32_t data_end = ref__snd_data_seq(t) + t->sndq.len, len = 0;
	bool fin;

	t->rtx_one = false;
	while (ref__sacked(t, seq, &end))
		seq = end;
	if (!seq_lt(seq, t->snd_nxt))
		return false;
	if (seq_lt(seq, data_end)) {
		len = ref__next_sacked(t, seq, seq_min(data_end, t->snd_nxt)) - seq;
		if (len > eff_mss_now(s))
			len = eff_mss_now(s);
	}
	fin = t->fin_sent && seq + len == t->fin_seq;
	if (len == 0 && !fin)
		return false;
	if (t->rtt_timing && seq_leq(seq, t->rtt_seq) && seq_lt(t->rtt_seq, seq + len + fin))
		t->rtt_timing = false; /* Karn */
	st->stats.retransmits++;
	ref__send_range(st, s, seq, len, fin, t->rtx_one_rule, now);
	if (seq_gt(seq + len, t->high_rxt))
		t->high_rxt = seq + len;
	ref__rtx_start(st, s, now);
	return true;
}

static unsigned send_loop(struct ref_stack *st, struct ref_sock *s, uint64_t now,
			  unsigned limit)
{
	struct ref_tcb *t = &s->tcb;
	unsigned sent = 0;

	if (t->rtx_one && limit > 0 && send_one_rtx(st, s, now))
		sent++;

	while (sent < limit) {
		if (seq_lt(t->tx_nxt, t->snd_una))
			t->tx_nxt = t->snd_una;
		if (seq_lt(t->tx_nxt, t->snd_nxt)) {
			if (t->rtx_hold || !send_rtx_segment(st, s, now))
				break;
		} else if (!send_new_segment(st, s, now)) {
			break;
		}
		sent++;
	}
	return sent;
}

/* Data queued but held with nothing outstanding needs a timer: the zero
 * window probe (§3.8.6.1) or the SWS override (§3.8.6.2.1 (4)). */
static void arm_hold_timers(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t data_end = ref__snd_data_seq(t) + t->sndq.len;
	bool unsent = !t->fin_sent && seq_lt(t->snd_nxt, data_end);

	if (t->persist == REF_PERSIST_PROBE) {
		if (t->snd_wnd == 0 && unsent)
			return; /* still probing */
		t->persist = REF_PERSIST_NONE;
		t->t_persist = REF_NO_TIMER;
		t->persist_shift = 0;
		if (t->snd_nxt != t->snd_una)
			ref__rtx_start(st, s, now);
	}
	if (t->snd_nxt != t->snd_una || !unsent) {
		t->persist = REF_PERSIST_NONE; /* the ACK clock or the RTO drives */
		t->t_persist = REF_NO_TIMER;
		return;
	}
	if (usable(t, t->snd_nxt) == 0 && t->snd_wnd == 0) {
		t->persist = REF_PERSIST_PROBE; /* SHLD-29: after one RTO */
		t->persist_shift = 0;
		t->persist_start = now;
		t->t_persist = ref__after(now, t->rto);
	} else if (t->persist != REF_PERSIST_OVERRIDE) {
		t->persist = REF_PERSIST_OVERRIDE;
		t->t_persist = ref__after(now, st->prof->sws_override);
	}
}

void ref__output(struct ref_stack *st, struct ref_sock *s, uint64_t now, unsigned limit)
{
	struct ref_tcb *t = &s->tcb;
	bool sending = ref__syn_acked(t) && s->state != REF_TIME_WAIT &&
		       s->state != REF_CLOSED && s->state != REF_LISTEN;

	if (!s->have_tcb)
		return;
	if (sending)
		send_loop(st, s, now, limit);
	if (t->ack_now && t->rcv_synced)
		ref__send_ack_at(st, s, t->snd_nxt, 0, t->ack_rule, now);
	if (sending)
		arm_hold_timers(st, s, now);
}
