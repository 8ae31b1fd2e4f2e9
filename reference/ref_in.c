/* SEGMENT ARRIVES, RFC 9293 §3.10.7: dispatch by state, and the three
 * non-synchronized handlers (§3.10.7.1 CLOSED, §3.10.7.2 LISTEN,
 * §3.10.7.3 SYN-SENT). The synchronized states are in ref_in_sync.c. */
#include <errno.h>
#include <string.h>

#include "reference/ref_internal.h"

typedef void (*state_handler)(struct ref_stack *, struct ref_sock *, struct ref_in *);

static void closed_handler(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	(void)s;
	ref__closed_arrives(st, in);
}

/* One handler per state, as STYLE.md asks. */
static const state_handler handlers[REF_STATE_COUNT] = {
	[REF_CLOSED] = closed_handler,
	[REF_LISTEN] = ref__listen_arrives,
	[REF_SYN_SENT] = ref__syn_sent_arrives,
	[REF_SYN_RECEIVED] = ref__sync_arrives,
	[REF_ESTABLISHED] = ref__sync_arrives,
	[REF_FIN_WAIT_1] = ref__sync_arrives,
	[REF_FIN_WAIT_2] = ref__sync_arrives,
	[REF_CLOSE_WAIT] = ref__sync_arrives,
	[REF_CLOSING] = ref__sync_arrives,
	[REF_LAST_ACK] = ref__sync_arrives,
	[REF_TIME_WAIT] = ref__sync_arrives,
};

void ref__segment_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	handlers[s->state](st, s, in);
}

/* ---- §3.10.7.1 CLOSED ------------------------------------------------------------ */

void ref__closed_arrives(struct ref_stack *st, struct ref_in *in)
{
	const struct seg *g = in->seg;

	if (g->flags & SEG_RST) {
		ref__drop(st, NULL, REF_R_CLOSED_DROP_RST); /* a RST is discarded */
		return;
	}
	/* All data is discarded; a RST makes the reset acceptable to the sender. */
	ref__send_rst_reply(st, NULL, g,
			    (g->flags & SEG_ACK) ? REF_R_CLOSED_RST_FOR_ACK
						 : REF_R_CLOSED_RST_FOR_NON_ACK,
			    in->now);
}

/* ---- §3.10.7.2 LISTEN -------------------------------------------------------------- */

/* The child inherits the listener's options. */
static void inherit(struct ref_sock *c, const struct ref_sock *l)
{
	c->keepalive = l->keepalive;
	c->nodelay = l->nodelay;
	c->reuseaddr = l->reuseaddr;
	c->oobinline = l->oobinline;
	c->recverr = l->recverr;
	c->linger = l->linger;
	c->rcvbuf = l->rcvbuf;
	c->sndbuf = l->sndbuf;
	c->user_mss = l->user_mss;
	c->keepidle = l->keepidle;
	c->keepintvl = l->keepintvl;
	c->keepcnt = l->keepcnt;
	c->user_timeout = l->user_timeout;
	c->tos = l->tos;
	c->ttl = l->ttl;
}

/* Text or FIN on a SYN that does not complete a handshake (§3.10.7.2 in
 * LISTEN, §3.10.7.3 a simultaneous open) is "queued for processing later"
 * (profile syn_text_queued): its text, up to the window, waits in the
 * receive queue past its end, and both are processed once ESTABLISHED
 * (ref_in_sync.c). */
static void hold_syn_text(struct ref_stack *st, struct ref_sock *s, const struct ref_in *in)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t n = in->len, wnd = t->rcv_adv - t->rcv_nxt;

	if (!st->prof->syn_text_queued) {
		ref__event(st, REF_EV_NOTE, REF_R_SYN_TEXT_NOT_QUEUED, s, 0);
		return;
	}
	if (n > wnd)
		n = wnd;
	ref__ring_write_at(&t->rcvq, 0, in->data, n);
	t->syn_text_len = n;
	t->syn_fin = in->fin && n == in->len;
	ref__event(st, REF_EV_NOTE, REF_R_SYN_TEXT_QUEUED, s, 0);
}

void ref__syn_learn(struct ref_stack *st, struct ref_sock *s, const struct ref_in *in,
		    bool syn_ack)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t initial = t->rcvq.cap < 65535 ? t->rcvq.cap : 65535;
	bool at_max = t->rcvq.cap >= 65535; /* limited by the field, not the buffer */

	t->irs = in->seg->seq;
	t->rcv_nxt = t->irs + 1;
	t->rcv_adv = t->rcv_nxt + (at_max ? ref__rcv_wnd_round(st, t, initial) : initial);
	t->rcv_synced = true;
	t->snd_wnd = in->seg->wnd; /* a SYN's window is never scaled (RFC 7323 §2.2) */
	t->snd_wl1 = in->seg->seq;
	if (t->snd_wnd > t->max_snd_wnd)
		t->max_snd_wnd = t->snd_wnd;
	t->last_ack_sent = t->rcv_nxt;
	ref__opts_syn_received(st, s, in, syn_ack);
	if (t->passive && at_max) /* the SYN-ACK's window: MSS less the timestamps */
		t->rcv_adv = t->rcv_nxt + ref__rcv_wnd_round(st, t, initial);
	if ((in->len || in->fin) && !syn_ack)
		hold_syn_text(st, s, in); /* a SYN-ACK's text is processed at once */
}

/* A new connection record for a SYN to a listener, or NULL (dropped). */
static struct ref_sock *new_child(struct ref_stack *st, struct ref_sock *l, struct ref_in *in)
{
	const struct seg *g = in->seg;
	struct ref_sock *c;

	if (l->pending >= l->backlog) {
		ref__drop(st, l, REF_R_LISTEN_BACKLOG_FULL);
		return NULL;
	}
	c = ref__slot_alloc(st);
	if (c == NULL) {
		ref__drop(st, l, REF_R_LISTEN_NO_RESOURCES);
		return NULL;
	}
	inherit(c, l);
	c->family = g->family;
	c->bound = true;
	memcpy(c->laddr, g->dst, sizeof(c->laddr)); /* the address the SYN was sent to */
	memcpy(c->raddr, g->src, sizeof(c->raddr));
	c->lport = g->dport;
	c->rport = g->sport;
	c->listener = (int)l->idx;
	if (ref__tcb_create(st, c, in->now) != 0) {
		ref__slot_free(st, c);
		ref__drop(st, l, REF_R_LISTEN_NO_RESOURCES);
		return NULL;
	}
	l->pending++;
	return c;
}

void ref__listen_arrives(struct ref_stack *st, struct ref_sock *l, struct ref_in *in)
{
	const struct seg *g = in->seg;
	struct ref_sock *c;

	if (g->flags & SEG_RST) { /* first: a RST cannot be valid here */
		ref__drop(st, l, REF_R_LISTEN_DROP_RST);
		return;
	}
	if (g->flags & SEG_ACK) { /* second: any ACK is bad */
		ref__send_rst_reply(st, l, g, REF_R_LISTEN_RST_FOR_ACK, in->now);
		return;
	}
	if (!(g->flags & SEG_SYN)) { /* fourth: other text or control */
		ref__drop(st, l, REF_R_LISTEN_DROP_OTHER);
		return;
	}
	/* third: SYN (the security check has nothing to compare). */
	c = new_child(st, l, in);
	if (c == NULL)
		return;
	c->tcb.passive = true; /* MUST-11 */
	ref__syn_learn(st, c, in, false);
	c->state = REF_LISTEN; /* the record leaves LISTEN for SYN-RECEIVED */
	ref__set_state(st, c, REF_SYN_RECEIVED, REF_R_LISTEN_SYN_ACK);
	ref__send_syn(st, c, true, REF_R_LISTEN_SYN_ACK, in->now);
}

/* ---- §3.10.7.3 SYN-SENT -------------------------------------------------------------- */

/* Profile syn_sent_bad_ack_retransmit (Linux): the peer that sent an
 * unacceptable ACK may have lost our SYN's state; retransmit it soon, once. */
static void bad_ack_retransmit(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	if (st->prof->syn_sent_bad_ack_retransmit == 0 || t->rtx_count != 0)
		return;
	t->t_rtx = ref__after(now, st->prof->syn_sent_bad_ack_retransmit);
	ref__event(st, REF_EV_NOTE, REF_R_SYN_SENT_BAD_ACK_RETRANSMIT, s, 0);
}

/* "First, check the ACK bit". Returns false if the segment is done with. */
static bool syn_sent_check_ack(struct ref_stack *st, struct ref_sock *s, struct ref_in *in,
			       bool *acceptable)
{
	const struct seg *g = in->seg;
	struct ref_tcb *t = &s->tcb;

	*acceptable = false;
	if (!(g->flags & SEG_ACK))
		return true;
	if (!seq_in_oc(g->ack, t->iss, t->snd_nxt)) { /* not ISS < SEG.ACK =< SND.NXT */
		bad_ack_retransmit(st, s, in->now);
		if (g->flags & SEG_RST)
			ref__drop(st, s, REF_R_SYN_SENT_DROP_RST_BAD_ACK);
		else
			ref__send_rst_reply(st, s, g, REF_R_SYN_SENT_RST_FOR_BAD_ACK, in->now);
		return false;
	}
	*acceptable = seq_in_oc(g->ack, t->snd_una, t->snd_nxt); /* SND.UNA < SEG.ACK =< SND.NXT */
	return true;
}

void ref__connected(struct ref_stack *st, struct ref_sock *s, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	s->connecting = false;
	s->ever_connected = true;
	/* RFC 6298 (5.7): a SYN timed out and no RTT sample: RTO is 3 s. */
	if (t->syn_retransmitted && !t->have_rtt)
		t->rto = st->prof->rto_syn_fallback;
	ref__keepalive_arm(st, s, now);
	ref__event(st, REF_EV_NOTE, REF_R_CONNECTED, s, 0);
}

/* Our SYN is acknowledged in SYN-SENT: ESTABLISHED. */
static void syn_sent_establish(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	const struct seg *g = in->seg;
	struct ref_tcb *t = &s->tcb;

	t->snd_una = g->ack; /* the SYN leaves the retransmission queue */
	if (t->tx_nxt != t->snd_nxt || seq_lt(t->tx_nxt, t->snd_una))
		t->tx_nxt = t->snd_una;
	if (t->rtt_timing && seq_gt(g->ack, t->rtt_seq)) {
		ref__rtt_sample(st, t, in->now - t->rtt_time);
		t->rtt_timing = false;
	}
	t->snd_wl2 = g->ack;
	t->rtx_count = 0;
	t->rtx_start = 0;
	ref__rtx_restart(st, s, in->now);
	ref__set_state(st, s, REF_ESTABLISHED, REF_R_SYN_SENT_ESTABLISHED);
	ref__cc_established(st, s);
	ref__connected(st, s, in->now);
	ref__ack_now(st, s, REF_R_SYN_SENT_ESTABLISHED); /* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
}

void ref__syn_sent_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in)
{
	const struct seg *g = in->seg;
	bool ack_ok;

	if (!syn_sent_check_ack(st, s, in, &ack_ok))
		return;
	if (g->flags & SEG_RST) { /* second: RST */
		if (!ack_ok) {
			ref__drop(st, s, REF_R_SYN_SENT_DROP_RST_NO_ACK);
			return;
		}
		ref__abort(st, s, false, ECONNREFUSED, REF_R_SYN_SENT_RST_REFUSED, in->now);
		return;
	}
	if (!(g->flags & SEG_SYN)) { /* fifth */
		ref__drop(st, s, REF_R_SYN_SENT_DROP_NO_SYN);
		return;
	}
	/* fourth: SYN (third, security, has nothing to compare). */
	ref__syn_learn(st, s, in, ack_ok);
	if (ack_ok) {
		syn_sent_establish(st, s, in);
		ref__continue_at_urg(st, s, in); /* other controls or text */
		return;
	}
	/* Simultaneous open (MUST-10): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
	s->tcb.passive = false; /* MUST-11 */
	ref__set_state(st, s, REF_SYN_RECEIVED, REF_R_SYN_SENT_SIMULTANEOUS_OPEN);
	ref__send_syn(st, s, true, REF_R_SYN_SENT_SIMULTANEOUS_OPEN, in->now);
}
