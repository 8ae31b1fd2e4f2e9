/* Congestion control hooks.
 *
 * RFC 5681 (slow start, congestion avoidance, fast retransmit/recovery) is
 * part 2 of the reference. The sender already obeys `cwnd` (it sends at most
 * min(SND.WND, cwnd) past SND.UNA); with REF_CC_NONE the window starts
 * "unlimited" and these hooks leave it there. Part 2 sets the initial
 * window here and grows / cuts it in the other two.
 */
#include "reference/ref_internal.h"

void ref__cc_init(const struct ref_stack *st, struct ref_sock *s)
{
	(void)st;
	s->tcb.cwnd = UINT32_MAX;
	s->tcb.ssthresh = UINT32_MAX;
}

void ref__cc_on_ack(const struct ref_stack *st, struct ref_sock *s, uint32_t acked)
{
	(void)st;
	(void)s;
	(void)acked;
}

void ref__cc_on_timeout(const struct ref_stack *st, struct ref_sock *s)
{
	(void)st;
	(void)s;
}
