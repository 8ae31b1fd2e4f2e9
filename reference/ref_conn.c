/* Connection life cycle: TCB creation, segment sizes, aborts, children of
 * a listener, TIME-WAIT, CLOSED (see ref_internal.h). */
#include <errno.h>
#include <string.h>

#include "reference/ref_internal.h"

bool ref__syn_acked(const struct ref_tcb *t) { return seq_gt(t->snd_una, t->iss); }

uint32_t ref__snd_data_seq(const struct ref_tcb *t)
{
	return ref__syn_acked(t) ? t->snd_una : t->iss + 1;
}

static uint32_t ip_hdr_len(uint8_t family)
{
	return family == SEG_IPV6 ? SEG_IP6_HDR_LEN : SEG_IP4_HDR_MIN;
}

uint16_t ref__adv_mss(const struct ref_stack *st, const struct ref_sock *s)
{
	/* MUST-67: at most MMS_R - 20; MMS_R is the MTU less the IP header. */
	uint32_t mss = st->cfg.mtu - ip_hdr_len(s->family) - REF_TCP_HDR;

	if (s->user_mss && s->user_mss < mss)
		mss = s->user_mss;
	return (uint16_t)(mss > 65535 ? 65535 : mss);
}

void ref__update_eff_mss(const struct ref_stack *st, struct ref_sock *s)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t mms_s = t->pmtu - ip_hdr_len(s->family);
	uint32_t eff = (uint32_t)t->peer_mss + REF_TCP_HDR;

	/* MUST-16: Eff.snd.MSS = min(SendMSS+20, MMS_S) - TCPhdrsize - IPoptionsize.
	 * We send no IP options; TCP options are subtracted per segment. */
	if (mms_s < eff)
		eff = mms_s;
	eff = eff > REF_TCP_HDR ? eff - REF_TCP_HDR : 1;
	if (s->user_mss && s->user_mss < eff)
		eff = s->user_mss;
	if (eff > st->out_data_max)
		eff = st->out_data_max;
	t->eff_mss = eff ? eff : 1;
}

uint64_t ref__r2(const struct ref_stack *st, const struct ref_sock *s, bool syn)
{
	if (s->user_timeout) /* MUST-21 */
		return s->user_timeout;
	return syn ? st->prof->r2_syn : st->prof->r2_data;
}

int ref__tcb_create(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	if (s->have_tcb)
		ref__tcb_destroy(s);
	memset(t, 0, sizeof(*t));
	if (ref__ring_init(&t->sndq, s->sndbuf) != 0 || ref__ring_init(&t->rcvq, s->rcvbuf) != 0 ||
	    ref__ooo_init(&t->ooo, st->prof->ooo_max_ranges) != 0 ||
	    ref__ooo_init(&t->sacked, st->prof->ooo_max_ranges) != 0) {
		ref__tcb_destroy(s);
		return -ENOBUFS;
	}
	s->have_tcb = true;
	t->iss = ref__isn(st, s, now);
	t->snd_una = t->snd_nxt = t->tx_nxt = t->iss;
	t->rto = st->prof->rto_initial; /* RFC 6298 (2.1) */
	t->pmtu = st->cfg.mtu;
	t->adv_mss = ref__adv_mss(st, s);
	t->peer_mss = s->family == SEG_IPV6 ? st->prof->mss_default_v6 : st->prof->mss_default_v4;
	ref__update_eff_mss(st, s);
	ref__cc_init(st, s);
	ref__stop_timers(t);
	t->last_rcv = now;
	t->ack_rule = REF_R_NONE;
	t->rtx_rule = REF_R_RTX_TIMEOUT;
	return 0;
}

void ref__tcb_destroy(struct ref_sock *s)
{
	ref__ring_free(&s->tcb.sndq);
	ref__ring_free(&s->tcb.rcvq);
	ref__ooo_free(&s->tcb.ooo);
	ref__ooo_free(&s->tcb.sacked);
	s->have_tcb = false;
}

/* ---- accept queue ------------------------------------------------------------ */

static void acc_unlink(struct ref_stack *st, struct ref_sock *l, struct ref_sock *c)
{
	int *link = &l->acc_head, prev = -1;

	while (*link >= 0 && *link != (int)c->idx) {
		prev = *link;
		link = &st->socks[*link].acc_next;
	}
	if (*link < 0)
		return;
	*link = c->acc_next;
	if (l->acc_tail == (int)c->idx)
		l->acc_tail = prev;
	c->acc_next = -1;
	c->in_accept_queue = false;
}

void ref__child_ready(struct ref_stack *st, struct ref_sock *s)
{
	struct ref_sock *l = &st->socks[s->listener];

	s->acc_next = -1;
	if (l->acc_tail >= 0)
		st->socks[l->acc_tail].acc_next = (int)s->idx;
	else
		l->acc_head = (int)s->idx;
	l->acc_tail = (int)s->idx;
	s->in_accept_queue = true;
	ref__event(st, REF_EV_NOTE, REF_R_ACCEPTED, s, 0);
}

void ref__child_drop(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule)
{
	struct ref_sock *l = &st->socks[s->listener];

	if (s->in_accept_queue)
		acc_unlink(st, l, s);
	if (l->pending > 0)
		l->pending--;
	ref__stop_timers(&s->tcb);
	ref__set_state(st, s, REF_CLOSED, rule);
	ref__slot_free(st, s);
}

void ref__listener_stop(struct ref_stack *st, struct ref_sock *l, uint64_t now)
{
	unsigned i;

	for (i = 0; i < st->hi; i++) {
		struct ref_sock *c = &st->socks[i];

		if (!c->used || c->listener != (int)l->idx)
			continue;
		/* §3.10.5 ABORT: RST from SYN-RECEIVED .. CLOSE-WAIT. */
		if (c->state >= REF_SYN_RECEIVED && c->state <= REF_CLOSE_WAIT)
			ref__send_rst_abort(st, c, REF_R_CLOSE_LISTEN, now);
		ref__child_drop(st, c, REF_R_CLOSE_LISTEN);
	}
	l->acc_head = l->acc_tail = -1;
	l->pending = 0;
}

/* ---- the end of a connection --------------------------------------------------- */

void ref__stop_timers(struct ref_tcb *t)
{
	t->t_rtx = t->t_persist = t->t_delack = t->t_keep = t->t_2msl = REF_NO_TIMER;
	t->persist = REF_PERSIST_NONE;
}

bool ref__conn_closed(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule)
{
	ref__stop_timers(&s->tcb);
	s->shut_wr = true;
	if (s->listener >= 0) {
		ref__child_drop(st, s, rule);
		return true;
	}
	ref__set_state(st, s, REF_CLOSED, rule);
	if (s->fd < 0) {
		ref__slot_free(st, s);
		return true;
	}
	return false;
}

static void flush_queues(struct ref_tcb *t)
{
	t->sndq.len = 0;
	t->rcvq.len = 0;
	ref__ooo_clear(&t->ooo);
	ref__ooo_clear(&t->sacked);
	t->sack_nrecent = 0;
	t->dsack = false;
	t->urg = REF_URG_NONE;
	t->snd_urgent = false;
}

void ref__abort(struct ref_stack *st, struct ref_sock *s, bool send_rst, int err,
		enum ref_rule rule, uint64_t now)
{
	if (send_rst)
		ref__send_rst_abort(st, s, rule, now);
	if (s->have_tcb)
		flush_queues(&s->tcb);
	s->shut_rd = s->shut_wr = true;
	if (err && s->listener < 0 && s->fd >= 0) {
		s->so_error = err;
		ref__event(st, REF_EV_ERROR, rule, s, err);
	}
	ref__conn_closed(st, s, rule);
}

void ref__enter_time_wait(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule,
			  uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	ref__set_state(st, s, REF_TIME_WAIT, rule);
	/* §3.10.7.4: start the time-wait timer, turn off the other timers. */
	t->t_rtx = t->t_persist = t->t_keep = REF_NO_TIMER;
	t->persist = REF_PERSIST_NONE;
	t->t_2msl = ref__after(now, 2 * st->prof->msl); /* MUST-13 */
}

void ref__fin_wait_2_arm(const struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	if (s->state == REF_FIN_WAIT_2 && s->user_closed && st->prof->fin_wait_2_timeout)
		s->tcb.t_2msl = ref__after(now, st->prof->fin_wait_2_timeout);
}
