/* Reference stack, RFC 2018 SACK and RFC 2883 D-SACK: the receiver's
 * blocks (§4), the sender's scoreboard (§5) and RFC 6675's retransmission of
 * holes. All in ESTABLISHED. */
#include "reference/tests/ref_opts_helpers.h"

#include "cmake/cmocka_main.h"

static void no_dsack(struct ref_stack_config *c) { c->profile.dsack = false; }
static void keep_sack_no_cc(struct ref_stack_config *c)
{
	c->profile.sack_clear_on_rto = false;
	c->profile.cc = REF_CC_NONE;
}
static void iw10(struct ref_stack_config *c) { c->profile.iw_segments = 10; }

static void blocks_are(const struct fx_out *o, const struct fx *fx, unsigned n,
		       const uint32_t *edges)
{
	struct seg_sack_block b[SEG_SACK_MAX];
	unsigned i;

	assert_int_equal(hx_sack(o, fx, b), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(b[i].left, edges[2 * i]);
		assert_int_equal(b[i].right, edges[2 * i + 1]);
	}
}

static const struct fx_out *ack_out(struct fx *fx, uint32_t ack_rel)
{
	return fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, ack_rel), 0);
}

static void test_established_rfc2018_4_sack_blocks_newest_first(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, true, false, -1);
	hx_in(fx, SEG_ACK, 1001, 1, 1000, 0, 0, 0, NULL);
	blocks_are(ack_out(fx, 1), fx, 1, (const uint32_t[]){1001, 2001});
	hx_in(fx, SEG_ACK, 3001, 1, 1000, 0, 0, 0, NULL);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 5001, 1, 1000, 0, 0, 0, NULL);
	o = ack_out(fx, 1);
	assert_int_equal(o->rule, REF_R_SACK_BLOCKS);
	blocks_are(o, fx, 3, (const uint32_t[]){5001, 6001, 3001, 4001, 1001, 2001});
	hx_in(fx, SEG_ACK, 2001, 1, 500, 0, 0, 0, NULL); /* grows the oldest block */
	blocks_are(ack_out(fx, 1), fx, 3, (const uint32_t[]){1001, 2501, 5001, 6001, 3001, 4001});
	fx_free(fx);
}

static void five_holes(struct fx *fx)
{
	uint32_t i;

	for (i = 0; i < 5; i++)
		hx_in(fx, SEG_ACK, 1001 + 2000 * i, 1, 1000, 0, 0, 0, NULL);
	fx_skip(fx);
}

static void test_established_sack_at_most_4_blocks(void **state)
{
	struct fx *fx = fx_new();
	struct seg_sack_block b[SEG_SACK_MAX];

	(void)state;
	hx_open(fx, true, false, -1);
	five_holes(fx);
	hx_in(fx, SEG_ACK, 500, 1, 10, 0, 0, 0, NULL);
	assert_int_equal(hx_sack(ack_out(fx, 1), fx, b), 4);
	assert_int_equal(b[0].left, 500);
	fx_free(fx);
}

static void test_established_sack_at_most_3_blocks_with_timestamps(void **state)
{
	struct fx *fx = fx_new();
	struct seg_sack_block b[SEG_SACK_MAX];
	uint32_t i;
	const struct fx_out *o;

	(void)state;
	hx_open(fx, true, true, -1);
	for (i = 0; i < 5; i++)
		hx_in(fx, SEG_ACK, 1001 + 2000 * i, 1, 1000, TSV0 + 20 + i, 0, 0, NULL);
	fx->next = fx->nout - 1;
	o = ack_out(fx, 1);
	assert_int_equal(hx_sack(o, fx, b), 3);
	assert_int_equal(o->seg.opts.len, 40);
	assert_int_equal(b[0].left, 9001);
	fx_free(fx);
}

static void test_established_rfc2883_4_dsack_old_duplicate(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, true, false, -1);
	hx_in(fx, SEG_ACK, 1, 1, 1000, 0, 0, 0, NULL);
	fx_next_timer(fx);
	ack_out(fx, 1001);
	hx_in(fx, SEG_ACK, 1, 1, 500, 0, 0, 0, NULL);
	o = ack_out(fx, 1001);
	assert_int_equal(o->rule, REF_R_DSACK);
	blocks_are(o, fx, 1, (const uint32_t[]){1, 501});
	hx_in(fx, SEG_ACK, 3001, 1, 100, 0, 0, 0, NULL); /* reported once only */
	blocks_are(ack_out(fx, 1001), fx, 1, (const uint32_t[]){3001, 3101});
	fx_free(fx);
}

static void test_established_dsack_inside_held_block(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	hx_open(fx, true, false, -1);
	hx_in(fx, SEG_ACK, 2001, 1, 1000, 0, 0, 0, NULL);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 2001, 1, 500, 0, 0, 0, NULL);
	blocks_are(ack_out(fx, 1), fx, 2, (const uint32_t[]){2001, 2501, 2001, 3001});
	fx_free(fx);
}

static void test_established_dsack_old_part_trimmed(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, true, false, -1);
	hx_in(fx, SEG_ACK, 1, 1, 1000, 0, 0, 0, NULL);
	fx_next_timer(fx);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 501, 1, 1000, 0, 0, 0, NULL); /* 500 old, 500 new */
	o = ack_out(fx, 1501);
	assert_int_equal(o->rule, REF_R_DSACK);
	blocks_are(o, fx, 1, (const uint32_t[]){501, 1001});
	fx_free(fx);
}

static void test_established_dsack_off_by_profile(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, no_dsack);

	(void)state;
	hx_open(fx, true, false, -1);
	hx_in(fx, SEG_ACK, 1, 1, 1000, 0, 0, 0, NULL);
	fx_next_timer(fx);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 1, 1, 500, 0, 0, 0, NULL);
	blocks_are(ack_out(fx, 1001), fx, 0, NULL);
	fx_free(fx);
}

static void test_established_sack_gone_once_gap_filled(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	hx_open(fx, true, false, -1);
	hx_in(fx, SEG_ACK, 1001, 1, 1000, 0, 0, 0, NULL);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 1, 1, 1000, 0, 0, 0, NULL);
	blocks_are(ack_out(fx, 2001), fx, 0, NULL);
	fx_free(fx);
}

static void test_established_rfc2018_4_no_sack_without_permission(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, false, false, -1);
	hx_in(fx, SEG_ACK, 1001, 1, 1000, 0, 0, 0, NULL);
	o = ack_out(fx, 1);
	assert_int_equal(o->rule, REF_R_ACK_OUT_OF_ORDER);
	blocks_are(o, fx, 0, NULL);
	fx_free(fx);
}

/* ---- the sender ----------------------------------------------------------------------- */

static void test_established_rfc2018_5_1_retransmission_skips_sacked(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, keep_sack_no_cc);
	struct seg_sack_block b = { 1461, 4381 };

	(void)state;
	hx_open(fx, true, false, -1);
	assert_int_equal(fx_write(fx, 4 * 1460), 4 * 1460);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 1, &b); /* segments 2 and 3 arrived */
	fx_next_timer(fx); /* RTO: segment 1 */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1460);
	fx_events_clear(fx);
	hx_in(fx, SEG_ACK, 1, 1461, 0, 0, 0, 1, &b);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 4381), fx_p(fx, 1), 1460); /* segment 4 */
	fx_expect_none(fx);
	assert_true(fx_event_seen(fx, REF_R_SACK_SKIP));
	fx_free(fx);
}

static void test_established_rfc6675_5_retransmit_hole(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, iw10);
	struct seg_sack_block b[2] = { { 4381, 8761 }, { 1461, 2921 } };
	const struct fx_out *o;

	(void)state;
	hx_open(fx, true, false, -1);
	assert_int_equal(fx_write(fx, 6 * 1460), 6 * 1460);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 1, &b[1]);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 2, b);
	fx_expect_none(fx);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 2, b); /* third duplicate */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1460);
	assert_int_equal(o->rule, REF_R_CC_FAST_RETRANSMIT);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 2, b);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 2921), fx_p(fx, 1), 1460); /* the hole */
	assert_int_equal(o->rule, REF_R_SACK_RTX_HOLE);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 2, b); /* no hole left below the SACKed data */
	fx_expect_none(fx);
	fx_free(fx);
}

static void test_established_scoreboard_ignores_blocks_outside(void **state)
{
	struct fx *fx = fx_new();
	struct seg_sack_block b[2] = { { 0, 1 }, { 90000, 91000 } };

	(void)state;
	hx_open(fx, true, false, -1);
	assert_int_equal(fx_write(fx, 1000), 1000);
	fx_skip(fx);
	hx_in(fx, SEG_ACK, 1, 1, 0, 0, 0, 2, b); /* below SND.UNA (D-SACK), past SND.NXT */
	assert_int_equal(fx_conn(fx)->tcb.sacked.n, 0);
	fx_free(fx);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_established_rfc2018_4_sack_blocks_newest_first),
	cmocka_unit_test(test_established_sack_at_most_4_blocks),
	cmocka_unit_test(test_established_sack_at_most_3_blocks_with_timestamps),
	cmocka_unit_test(test_established_rfc2883_4_dsack_old_duplicate),
	cmocka_unit_test(test_established_dsack_inside_held_block),
	cmocka_unit_test(test_established_dsack_old_part_trimmed),
	cmocka_unit_test(test_established_dsack_off_by_profile),
	cmocka_unit_test(test_established_sack_gone_once_gap_filled),
	cmocka_unit_test(test_established_rfc2018_4_no_sack_without_permission),
	cmocka_unit_test(test_established_rfc2018_5_1_retransmission_skips_sacked),
	cmocka_unit_test(test_established_rfc6675_5_retransmit_hole),
	cmocka_unit_test(test_established_scoreboard_ignores_blocks_outside),
};

TC_CMOCKA_MAIN(tests)
