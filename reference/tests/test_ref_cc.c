/* Reference stack, congestion control: RFC 5681 (IW, slow start,
 * congestion avoidance, fast retransmit / recovery, the loss window, the
 * restart window), RFC 6582 (NewReno), RFC 3042 (limited transmit); and
 * RFC 5961 §7 challenge-ACK throttling. ESTABLISHED unless named. The
 * peer offers no options: SMSS is 1460. */
#include "reference/tests/ref_opts_helpers.h"

#include "cmake/cmocka_main.h"

#define SMSS 1460u

static void iw10(struct ref_stack_config *c) { c->profile.iw_segments = 10; }
static void reno10(struct ref_stack_config *c)
{
	iw10(c);
	c->profile.cc = REF_CC_RENO;
}
static void no_cc(struct ref_stack_config *c) { c->profile.cc = REF_CC_NONE; }
static void no_limit(struct ref_stack_config *c) { c->profile.challenge_ack_limit = 0; }

static void ack(struct fx *fx, uint32_t ack_rel) { hx_in(fx, SEG_ACK, 1, ack_rel, 0, 0, 0, 0, NULL); }

static unsigned sent_segments(struct fx *fx)
{
	unsigned n = 0;

	while (fx_pending(fx)) {
		if (fx->out[fx->next].seg.len)
			n++;
		fx->next++;
	}
	return n;
}

/* iw10 and ten full segments out; the fixture's state after fx_established. */
static struct fx *ten_out(fx_tweak tweak)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, tweak);

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10 * SMSS), 10 * SMSS);
	assert_int_equal(sent_segments(fx), 10);
	return fx;
}

static void ss2(struct ref_stack_config *c)
{
	c->profile.iw_segments = 2;
	c->profile.ssthresh_segments = 2;
}

/* RFC 5681 §3.1: ssthresh "may be reduced" from arbitrarily high; at
 * cwnd >= ssthresh the connection is in congestion avoidance from its first
 * ACK: a whole window acknowledged adds one SMSS (2, 3, 4 segments), where
 * slow start would double it. */
static void test_established_rfc5681_3_1_avoidance_from_initial_ssthresh(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, ss2);

	(void)state;
	fx_established(fx);
	assert_int_equal(fx_write(fx, 20 * SMSS), 20 * SMSS);
	assert_int_equal(sent_segments(fx), 2);
	ack(fx, 1 + 2 * SMSS);
	assert_int_equal(sent_segments(fx), 3);
	ack(fx, 1 + 5 * SMSS);
	assert_int_equal(sent_segments(fx), 4);
	fx_free(fx);
}

static void three_dupacks(struct fx *fx)
{
	ack(fx, 1);
	ack(fx, 1);
	ack(fx, 1);
}

static void test_established_rfc5681_3_1_initial_window(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_established(fx);
	assert_int_equal(fx_write(fx, 10 * SMSS), 10 * SMSS);
	assert_int_equal(sent_segments(fx), 3); /* 1095 < SMSS <= 2190: 3 segments */
	fx_free(fx);
}

static void test_established_initial_window_from_profile(void **state)
{
	struct fx *fx = ten_out(iw10);

	(void)state;
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 10 * SMSS);
	fx_free(fx);
}

static void test_established_rfc5681_3_1_slow_start(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_established(fx);
	assert_int_equal(fx_write(fx, 10 * SMSS), 10 * SMSS);
	fx_skip(fx);
	ack(fx, 1 + SMSS);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 4 * SMSS); /* += min(N, SMSS) */
	assert_int_equal(sent_segments(fx), 2);
	fx_free(fx);
}

static void test_established_rfc5681_3_1_congestion_avoidance(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_established(fx);
	fx_conn(fx)->tcb.ssthresh = 3 * SMSS; /* cwnd = ssthresh: avoidance */
	assert_int_equal(fx_write(fx, 10 * SMSS), 10 * SMSS);
	fx_skip(fx);
	ack(fx, 1 + SMSS);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 3 * SMSS);
	ack(fx, 1 + 3 * SMSS); /* a cwnd's worth acknowledged */
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 4 * SMSS);
	fx_free(fx);
}

static void test_established_rfc3042_2_limited_transmit(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	fx_established(fx);
	assert_int_equal(fx_write(fx, 8 * SMSS), 8 * SMSS);
	fx_skip(fx);
	ack(fx, 1);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1 + 3 * SMSS), fx_p(fx, 1), SMSS);
	assert_int_equal(o->rule, REF_R_CC_LIMITED_TRANSMIT);
	ack(fx, 1);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1 + 4 * SMSS), fx_p(fx, 1), SMSS);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 3 * SMSS); /* unchanged */
	fx_free(fx);
}

static void test_established_dupack_needs_the_same_window(void **state)
{
	struct fx *fx = ten_out(iw10);
	struct seg g;

	(void)state;
	ack(fx, 1);
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1));
	g.wnd = 30000; /* a window update, not a duplicate (RFC 5681 §2) */
	fx_in(fx, &g);
	assert_int_equal(fx_conn(fx)->tcb.dupacks, 1);
	fx_free(fx);
}

static void test_established_rfc5681_3_2_fast_retransmit(void **state)
{
	struct fx *fx = ten_out(iw10);
	const struct fx_out *o;

	(void)state;
	three_dupacks(fx);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), SMSS);
	assert_int_equal(o->rule, REF_R_CC_FAST_RETRANSMIT);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.ssthresh, 5 * SMSS);     /* FlightSize / 2 */
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 5 * SMSS + 3 * SMSS); /* + 3 SMSS */
	ack(fx, 1);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 9 * SMSS); /* inflation */
	fx_free(fx);
}

static void test_established_rfc6582_3_2_partial_ack(void **state)
{
	struct fx *fx = ten_out(iw10);
	const struct fx_out *o;

	(void)state;
	three_dupacks(fx);
	fx_skip(fx);
	ack(fx, 1 + 2 * SMSS); /* below `recover` */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1 + 2 * SMSS), fx_p(fx, 1), SMSS);
	assert_int_equal(o->rule, REF_R_CC_PARTIAL_ACK);
	assert_true(fx_conn(fx)->tcb.in_recovery);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 8 * SMSS - 2 * SMSS + SMSS);
	fx_free(fx);
}

static void test_established_rfc5681_3_2_recovery_exit(void **state)
{
	struct fx *fx = ten_out(iw10);

	(void)state;
	three_dupacks(fx);
	fx_skip(fx);
	fx_events_clear(fx);
	ack(fx, 1 + 10 * SMSS);
	assert_true(fx_event_seen(fx, REF_R_CC_RECOVERY_EXIT));
	assert_false(fx_conn(fx)->tcb.in_recovery);
	/* RFC 6582: min(ssthresh, max(FlightSize, SMSS) + SMSS) */
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 2 * SMSS);
	fx_free(fx);
}

static void test_established_reno_any_new_ack_ends_recovery(void **state)
{
	struct fx *fx = ten_out(reno10);

	(void)state;
	three_dupacks(fx);
	fx_skip(fx);
	ack(fx, 1 + 2 * SMSS);
	assert_false(fx_conn(fx)->tcb.in_recovery);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 5 * SMSS); /* deflated to ssthresh */
	fx_free(fx);
}

static void test_established_rfc5681_3_1_loss_window(void **state)
{
	struct fx *fx = ten_out(iw10);

	(void)state;
	fx_events_clear(fx);
	fx_next_timer(fx);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), SMSS);
	assert_true(fx_event_seen(fx, REF_R_CC_LOSS_WINDOW));
	assert_int_equal(fx_conn(fx)->tcb.cwnd, SMSS);
	assert_int_equal(fx_conn(fx)->tcb.ssthresh, 5 * SMSS);
	/* a second timeout of the same segment keeps ssthresh */
	fx_next_timer(fx);
	assert_int_equal(fx_conn(fx)->tcb.ssthresh, 5 * SMSS);
	fx_free(fx);
}

static void test_established_rfc6582_3_2_no_reentry_after_timeout(void **state)
{
	struct fx *fx = ten_out(iw10);

	(void)state;
	fx_next_timer(fx);
	fx_skip(fx);
	fx_events_clear(fx);
	three_dupacks(fx);
	assert_true(fx_event_seen(fx, REF_R_CC_NO_REENTRY));
	assert_false(fx_conn(fx)->tcb.in_recovery);
	fx_free(fx);
}

static void test_established_rfc5681_4_1_restart_window(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_established(fx);
	assert_int_equal(fx_write(fx, 3 * SMSS), 3 * SMSS);
	fx_skip(fx);
	ack(fx, 1 + 3 * SMSS);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, 4 * SMSS);
	fx->now += 5 * FX_SEC; /* idle for more than an RTO */
	fx_events_clear(fx);
	assert_int_equal(fx_write(fx, 10 * SMSS), 10 * SMSS);
	assert_int_equal(sent_segments(fx), 3);
	assert_true(fx_event_seen(fx, REF_R_CC_RESTART_WINDOW));
	fx_free(fx);
}

static void test_syn_received_rfc5681_3_1_iw_one_after_syn_loss(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_syn_received_passive(fx);
	fx_next_timer(fx); /* the SYN,ACK is retransmitted */
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, SMSS);
	fx_free(fx);
}

static void test_established_no_congestion_control(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, no_cc);

	(void)state;
	fx_established(fx);
	assert_int_equal(fx_conn(fx)->tcb.cwnd, UINT32_MAX);
	assert_int_equal(fx_write(fx, 10 * SMSS), 10 * SMSS);
	assert_int_equal(sent_segments(fx), 10);
	fx_free(fx);
}

/* ---- RFC 5961 §7 ------------------------------------------------------------------------- */

static unsigned rsts_in_window(struct fx *fx, unsigned n)
{
	unsigned i, acks = 0;

	for (i = 0; i < n; i++) {
		fx_in_data(fx, SEG_RST, fx_p(fx, 100), 0, 0);
		while (fx_pending(fx)) {
			acks += fx->out[fx->next].rule == REF_R_RST_CHALLENGE_ACK;
			fx->next++;
		}
	}
	return acks;
}

static void test_established_rfc5961_7_challenge_ack_limit(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_established(fx);
	fx_events_clear(fx);
	assert_int_equal(rsts_in_window(fx, 11), 10); /* 10 in 5 s */
	assert_true(fx_event_seen(fx, REF_R_CHALLENGE_ACK_LIMIT));
	fx->now += 5 * FX_SEC;
	assert_int_equal(rsts_in_window(fx, 1), 1); /* a new period */
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
	fx_free(fx);
}

static void test_established_challenge_acks_share_the_budget(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	fx_established(fx);
	assert_int_equal(rsts_in_window(fx, 10), 10);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 1), 0, 0); /* a SYN's challenge is the 11th */
	fx_expect_none(fx);
	fx_free(fx);
}

static void test_established_challenge_acks_unthrottled(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, no_limit);

	(void)state;
	fx_established(fx);
	assert_int_equal(rsts_in_window(fx, 30), 30);
	fx_free(fx);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_established_rfc5681_3_1_initial_window),
	cmocka_unit_test(test_established_rfc5681_3_1_avoidance_from_initial_ssthresh),
	cmocka_unit_test(test_established_initial_window_from_profile),
	cmocka_unit_test(test_established_rfc5681_3_1_slow_start),
	cmocka_unit_test(test_established_rfc5681_3_1_congestion_avoidance),
	cmocka_unit_test(test_established_rfc3042_2_limited_transmit),
	cmocka_unit_test(test_established_dupack_needs_the_same_window),
	cmocka_unit_test(test_established_rfc5681_3_2_fast_retransmit),
	cmocka_unit_test(test_established_rfc6582_3_2_partial_ack),
	cmocka_unit_test(test_established_rfc5681_3_2_recovery_exit),
	cmocka_unit_test(test_established_reno_any_new_ack_ends_recovery),
	cmocka_unit_test(test_established_rfc5681_3_1_loss_window),
	cmocka_unit_test(test_established_rfc6582_3_2_no_reentry_after_timeout),
	cmocka_unit_test(test_established_rfc5681_4_1_restart_window),
	cmocka_unit_test(test_syn_received_rfc5681_3_1_iw_one_after_syn_loss),
	cmocka_unit_test(test_established_no_congestion_control),
	cmocka_unit_test(test_established_rfc5961_7_challenge_ack_limit),
	cmocka_unit_test(test_established_challenge_acks_share_the_budget),
	cmocka_unit_test(test_established_challenge_acks_unthrottled),
};

TC_CMOCKA_MAIN(tests)
