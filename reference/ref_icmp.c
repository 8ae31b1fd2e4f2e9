/* ICMP and ICMPv6 errors, RFC 9293 §3.9.2.2 (MUST-54..56, SHLD-25/26), with
 * the RFC 5927 §4.1 sequence check and path MTU discovery (§3.7.2,
 * RFC 1191 / RFC 8201). */
#include <errno.h>

#include "reference/ref_internal.h"

/* Soft or hard, and the errno a user sees (Linux's icmp_err_convert). */
struct icmp_class {
	bool hard;
	int err;
};

static struct icmp_class classify_unreach(uint8_t family, uint8_t code)
{
	struct icmp_class c = {false, EHOSTUNREACH};

	if (family == SEG_IPV6) {
		/* §3.9.2.2 soft: codes 0 and 3; RFC 5461: port unreachable is hard. */
		if (code == 0)
			c.err = ENETUNREACH;
		else if (code == 1 || code == 5 || code == 6)
			c.err = EACCES;
		else if (code == 4)
			c = (struct icmp_class){true, ECONNREFUSED};
		return c;
	}
	switch (code) { /* §3.9.2.2 hard: codes 2-4 (4 is PMTU, handled apart) */
	case 0:
	case 6:
	case 9:
	case 11:
		c.err = ENETUNREACH;
		break;
	case 2:
		c = (struct icmp_class){true, ENOPROTOOPT};
		break;
	case 3:
		c = (struct icmp_class){true, ECONNREFUSED};
		break;
	case 5:
		c.err = EOPNOTSUPP;
		break;
	default:
		break;
	}
	return c;
}

static struct icmp_class classify(const struct seg_icmp *m)
{
	switch (m->kind) {
	case SEG_ICMP_UNREACH:
		return classify_unreach(m->family, m->code);
	case SEG_ICMP_PARAM_PROBLEM:
		return (struct icmp_class){false, EPROTO};
	default: /* time exceeded */
		return (struct icmp_class){false, EHOSTUNREACH};
	}
}

/* MUST-54: lower the path MTU, then Eff.snd.MSS (MUST-16), and send the
 * outstanding data again in segments that fit. */
static void pmtu_update(struct ref_stack *st, struct ref_sock *s, const struct seg_icmp *m,
			uint64_t now)
{
	struct ref_tcb *t = &s->tcb;
	uint32_t floor = s->family == SEG_IPV6 ? 1280 : 68;
	uint32_t old_mss = t->eff_mss;

	if (m->mtu < floor || m->mtu >= t->pmtu) {
		ref__drop(st, s, REF_R_ICMP_PMTU_BOGUS);
		return;
	}
	t->pmtu = m->mtu;
	ref__update_eff_mss(st, s);
	ref__event(st, REF_EV_NOTE, REF_R_ICMP_PMTU, s, 0);
	if (t->eff_mss < old_mss && ref__syn_acked(t) && t->snd_una != t->snd_nxt) {
		t->rtt_timing = false; /* Karn: these are retransmissions */
		t->tx_nxt = t->snd_una;
		t->rtx_rule = REF_R_RTX_PMTU;
		t->rtx_hold = false;
		ref__output(st, s, now, UINT32_MAX);
	}
}

static void error_report(struct ref_stack *st, struct ref_sock *s, struct icmp_class c,
			 uint64_t now)
{
	bool synced = s->state != REF_SYN_SENT && s->state != REF_SYN_RECEIVED;

	if (c.hard && (!synced || st->prof->icmp_hard_aborts_synchronized)) {
		if (s->state == REF_SYN_RECEIVED && s->tcb.passive)
			ref__child_drop(st, s, REF_R_ICMP_HARD);
		else
			ref__abort(st, s, false, c.err, REF_R_ICMP_HARD, now); /* SHLD-26 */
		return;
	}
	if (s->state == REF_SYN_SENT && st->prof->icmp_soft_aborts_syn_sent) {
		ref__abort(st, s, false, c.err, REF_R_ICMP_SOFT, now); /* RFC 5461 practice */
		return;
	}
	/* MUST-56: never abort; SHLD-25 / MUST-47: tell the user. */
	s->soft_error = c.err;
	if (s->recverr && s->fd >= 0)
		s->so_error = c.err;
	ref__event(st, REF_EV_SOFT_ERROR, REF_R_ICMP_SOFT, s, c.err);
}

static bool icmp_valid(const struct seg_icmp *m)
{
	return (m->family == SEG_IPV4 || m->family == SEG_IPV6) &&
	       m->quoted.family == m->family && m->kind <= SEG_ICMP_SOURCE_QUENCH;
}

int ref_stack_input_icmp(struct ref_stack *st, const struct seg_icmp *m, uint64_t now)
{
	const struct seg *q;
	struct ref_sock *s;
	struct ref_tcb *t;

	if (st == NULL || m == NULL || !icmp_valid(m))
		return -EINVAL;
	if (now < st->now)
		now = st->now;
	ref_stack_advance(st, now);
	q = &m->quoted; /* the segment we sent: our address is its source */
	s = ref__find_conn(st, q->family, q->src, q->sport, q->dst, q->dport);
	if (s == NULL) {
		ref__drop(st, NULL, REF_R_ICMP_NO_CONNECTION);
		return 0;
	}
	t = &s->tcb;
	if (m->kind == SEG_ICMP_SOURCE_QUENCH) {
		ref__drop(st, s, REF_R_ICMP_SOURCE_QUENCH); /* MUST-55 */
		return 0;
	}
	if (st->prof->icmp_check_seq && !seq_in(q->seq, t->snd_una, t->snd_nxt)) {
		ref__drop(st, s, REF_R_ICMP_BAD_SEQ); /* RFC 5927 §4.1 */
		return 0;
	}
	if (m->kind == SEG_ICMP_FRAG_NEEDED)
		pmtu_update(st, s, m, now);
	else
		error_report(st, s, classify(m), now);
	ref__flush(st, now);
	return 0;
}
