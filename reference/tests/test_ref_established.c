/* Reference stack: ESTABLISHED, RFC 9293 §3.10.7.4 in its order —
 * sequence acceptability (the four cases of Table 6), RST (with RFC 5961),
 * SYN, ACK, text (out of order, ACK generation, aggregation), PUSH. */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void no_5961(struct ref_stack_config *c)
{
	c->profile.rfc5961_rst = false;
	c->profile.rfc5961_syn = false;
}

static void with_5961_ack(struct ref_stack_config *c) { c->profile.rfc5961_ack = true; }

static void small_rcvbuf(struct ref_stack_config *c) { c->profile.rcv_buf = 4000; }

static void two_ooo_ranges(struct ref_stack_config *c) { c->profile.ooo_max_ranges = 2; }

/* Linux's ACK choices: quick-ACK mode for the first two segments, and a
 * FIN acknowledged at once only when it completes our close. */
static void quick_two(struct ref_stack_config *c)
{
	c->profile.quickack = 2;
	c->profile.ack_fin_now = REF_ACK_FIN_FIN_WAIT;
	c->profile.delack_before_text = 1 * FX_MS;
}

static void quick_small_window(struct ref_stack_config *c)
{
	c->profile.quickack = 16;
	c->profile.rcv_buf = 1600;
}

static int setup_quick_two(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, quick_two);
	return 0;
}

static int setup_quick_small_window(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, quick_small_window);
	return 0;
}

static int setup_no_5961(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, no_5961);
	return 0;
}

static int setup_5961_ack(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, with_5961_ack);
	return 0;
}

static int setup_small_rcvbuf(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, small_rcvbuf);
	return 0;
}

static int setup_two_ooo(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, two_ooo_ranges);
	return 0;
}

/* Fill the 4000-byte receive buffer: the window is then zero. */
static void fill_window(struct fx *fx)
{
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1461), fx_s(fx, 1), 1460);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2921), 0)->seg.wnd, 1080);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2921), fx_s(fx, 1), 1080);
	fx_advance(fx, 200 * FX_MS);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	fx_expect_none(fx);
	assert_int_equal(fx->out[fx->next - 1].seg.wnd, 0);
}

/* ---- first: sequence number, Table 6 ------------------------------------------------------ */

static void test_established_zero_length_in_window_accepted(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 11), fx_s(fx, 1), 0); /* RCV.NXT =< SEQ < RCV.NXT+WND */
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
}

static void test_established_zero_length_outside_window_draws_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0); /* RCV.NXT - 1 */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_SEQ_UNACCEPTABLE_ACK);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1 + 65535), fx_s(fx, 1), 0); /* RCV.NXT + RCV.WND */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_expect_none(fx);
}

static void test_established_zero_length_zero_window_only_rcv_nxt(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fill_window(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4001), fx_s(fx, 1), 0); /* SEG.SEQ = RCV.NXT */
	fx_expect_none(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4002), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	fx_expect_none(fx);
}

static void test_established_text_zero_window_not_acceptable(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fill_window(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4001), fx_s(fx, 1), 100);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0); /* window 0, data refused */
	assert_int_equal(o->seg.wnd, 0);
	assert_int_equal(o->rule, REF_R_SEQ_ZERO_WINDOW_ALLOWANCE);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4005), fx_s(fx, 1), 100);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	assert_int_equal(o->rule, REF_R_SEQ_UNACCEPTABLE_ACK);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 4000);
}

static void test_established_text_straddling_left_edge_trimmed(void **state)
{
	struct fx *fx = *state;
	char buf[32];

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 6), fx_s(fx, 1), 10); /* 5 old, 5 new */
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 15);
	assert_memory_equal(buf, "abcdefghijklmno", 15);
}

static void test_established_text_straddling_right_edge_trimmed(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_established(fx);
	fill_window(fx);
	assert_int_equal(fx_read(fx, (char[2048]){0}, 2000, 0), 2000); /* window update */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	assert_int_equal(fx->out[fx->next - 1].seg.wnd, 2000);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4001), fx_s(fx, 1), 2500); /* 500 beyond the edge */
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.rcv_nxt, fx_p(fx, 6001));
}

static void test_established_old_duplicate_text_draws_ack(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_advance(fx, 200 * FX_MS);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10); /* entirely old */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 10);
}

static void test_established_text_covering_whole_window_unacceptable(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fill_window(fx);
	fx_read(fx, (char[2048]){0}, 2000, 0);
	fx_skip(fx);
	/* Starts before RCV.NXT and ends past the edge: neither end inside. */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4000), fx_s(fx, 1), 2003);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SEQ_UNACCEPTABLE_ACK);
}

/* ---- second: RST ------------------------------------------------------------------------------- */

static void test_established_rst_in_window_challenge_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 101), 0, 0);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_RST_CHALLENGE_ACK);
	fx_in_data(fx, SEG_RST, fx_p(fx, 65535), 0, 0); /* RCV.NXT + RCV.WND - 1 */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
}

static void test_established_rst_exact_resets_must_12(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10); /* unread data is flushed */
	fx_in_data(fx, SEG_RST, fx_p(fx, 11), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_RESET);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLERR);
	assert_int_equal(fx_read(fx, (char[16]){0}, 16, 0), -ECONNRESET);
	assert_int_equal(fx_read(fx, (char[16]){0}, 16, 0), 0);
	assert_int_equal(fx_write(fx, 10), -EPIPE);
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX);
}

static void test_established_rst_outside_window_dropped(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 0), 0, 0);              /* RCV.NXT - 1 */
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 1 + 65535), fx_s(fx, 1), 0); /* the edge */
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SEQ_UNACCEPTABLE_RST_DROP);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
}

static void test_established_rst_with_text_accepted_shld_2(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 30); /* diagnostic text */
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_read(fx, (char[64]){0}, 64, 0), -ECONNRESET);
}

static void test_established_rst_with_text_starting_left_of_window_dropped(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 0), 0, 30); /* acceptable text, SEQ outside */
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_OUT_OF_WINDOW);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
}

static void test_established_rst_zero_window_exact_resets_must_66(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fill_window(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 4001), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
}

static void test_established_rst_zero_window_with_text_resets_must_66(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fill_window(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 4001), fx_s(fx, 1), 20);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
}

static void test_established_rst_in_window_resets_without_rfc5961(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 500), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_RESET);
}

/* ---- fourth: SYN --------------------------------------------------------------------------------- */

static void test_established_syn_in_window_challenge_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 1000), 0, 0);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_SYN_CHALLENGE_ACK);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
}

static void test_established_old_syn_draws_plain_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0); /* retransmitted SYN */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_SEQ_UNACCEPTABLE_ACK);
}

static void test_established_syn_in_window_resets_without_rfc5961(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 1000), 0, 0);
	o = fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
	assert_int_equal(o->rule, REF_R_SYN_IN_WINDOW_RESET);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -ECONNRESET);
}

/* ---- fifth: ACK ------------------------------------------------------------------------------------- */

static void test_established_segment_without_ack_dropped(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_PSH, fx_p(fx, 1), 0, 10);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_OFF_DROP);
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 0);
}

static void test_established_ack_of_unsent_data_acked_and_dropped(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 50), 10);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_ACK_TOO_NEW);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 0); /* the text went too */
}

static void test_established_old_ack_ignored_text_processed(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 101), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10); /* SEG.ACK < SND.UNA */
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 10);
	assert_int_equal(fx_conn(fx)->tcb.snd_una, fx_s(fx, 101));
}

static void test_established_ack_releases_acknowledged_data(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 3000), 3000);
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1461), 0);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.snd_una, fx_s(fx, 1461));
	assert_int_equal(info.snd_queued, 3000 - 1460);
}

static void test_established_old_segment_does_not_update_window(void **state)
{
	struct fx *fx = *state;
	struct seg g;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10); /* SND.WL1 = IRS+1 */
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 0), fx_s(fx, 1));     /* older SEQ... */
	g.wnd = 0;
	fx_in(fx, &g); /* ... is unacceptable anyway: an ACK */
	fx_skip(fx);
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 11), fx_s(fx, 1));
	g.wnd = 1000;
	fx_in(fx, &g);
	assert_int_equal(fx_conn(fx)->tcb.snd_wnd, 1000);
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 11), fx_s(fx, 1)); /* same SEQ, same ACK: updates */
	g.wnd = 500;
	fx_in(fx, &g);
	assert_int_equal(fx_conn(fx)->tcb.snd_wnd, 500);
	assert_int_equal(fx_conn(fx)->tcb.snd_wl1, fx_p(fx, 11));
}

static void test_established_ack_range_check_may_12(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1) - 70000, 10);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_ACK_OUT_OF_RANGE);
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1) - 60000, 10); /* within MAX.SND.WND */
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 10);
}

/* ---- seventh: text, ACK generation ------------------------------------------------------------------- */

static void test_established_delayed_ack_within_half_second_must_40(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 100);
	fx_expect_none(fx); /* SHLD-18: delayed */
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 200 * FX_MS);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 101), 0);
	assert_int_equal(o->rule, REF_R_ACK_DELAYED);
	assert_true(o->time - (fx->now - 200 * FX_MS) < 500 * FX_MS);
	assert_int_equal(o->seg.wnd, 65535 - 100);
}

static void test_established_ack_every_second_full_segment_shld_19(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 1460);
	fx_expect_none(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1461), fx_s(fx, 1), 1460);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2921), 0);
	assert_int_equal(o->rule, REF_R_ACK_SECOND_SEGMENT);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2921), fx_s(fx, 1), 1460);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 200 * FX_MS);
}

static void test_established_ack_aggregated_over_batch_must_58_must_59(void **state)
{
	struct fx *fx = *state;
	struct seg g[4];
	static uint8_t data[4][100];
	const struct fx_out *o;
	int i;

	fx_established(fx);
	for (i = 0; i < 4; i++) {
		g[i] = fx_seg(fx, SEG_ACK, fx_p(fx, 1 + 100 * (uint32_t)i), fx_s(fx, 1));
		fx_payload(&g[i], data[i], 100);
	}
	/* Out of order inside the batch: each alone would draw an ACK at once. */
	assert_int_equal(ref_stack_input_batch(fx->st, (struct seg[]){g[1], g[2], g[0], g[3]}, 4,
					       fx->now),
			 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 401), 0); /* one ACK, for all */
	fx_expect_none(fx);
	(void)o;
}

static void test_established_out_of_order_kept_shld_31(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;
	char buf[64];

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 11), fx_s(fx, 1), 10); /* a hole at 1..10 */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);    /* MAY-13: at once */
	assert_int_equal(o->rule, REF_R_ACK_OUT_OF_ORDER);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), -EAGAIN);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 21), fx_s(fx, 1), 10);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10); /* fills the hole */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 31), 0);
	assert_int_equal(o->rule, REF_R_ACK_GAP_FILLED);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 30);
	assert_memory_equal(buf, "abcdefghijklmnopqrstuvwxyzabcd", 30);
}

static void test_established_out_of_order_store_bounded(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 101), fx_s(fx, 1), 10);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 201), fx_s(fx, 1), 10);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 301), fx_s(fx, 1), 10); /* a third range: no room */
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_OUT_OF_ORDER);
	assert_true(fx_event_seen(fx, REF_R_TEXT_OOO_FULL));
	assert_int_equal(fx_conn(fx)->tcb.ooo.n, 2);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 111), fx_s(fx, 1), 10); /* merging needs no room */
	assert_int_equal(fx_conn(fx)->tcb.ooo.n, 2);
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 100);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 121), 0);
}

static void test_established_out_of_order_fin_held(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 11), fx_s(fx, 1), 10);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 22), 0); /* text and FIN */
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
}

static void test_established_ack_piggybacked_on_data(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_expect_none(fx);
	fx->now += 50 * FX_MS;
	assert_int_equal(fx_write(fx, 20), 20);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 11), 20);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.t_delack, UINT64_MAX);
}

static void test_established_push_on_segment_emptying_queue_must_61(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 4000), 4000);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1460);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1461), fx_p(fx, 1), 1460);
	fx_expect_none(fx); /* 1080 left: Nagle waits, but not forever (MUST-60) */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2921), 0);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 2921), fx_p(fx, 1), 1080);
	fx_expect_none(fx);
}

static void test_established_small_write_sent_at_once_must_60(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 1), 1);
	o = fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 1);
	assert_int_equal(o->rule, REF_R_SEND_PUSH);
	assert_int_equal(o->data[0], 'A');
}

static void test_established_text_delivered_in_order(void **state)
{
	struct fx *fx = *state;
	char buf[8];

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 5);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLIN);
	assert_int_equal(fx_read(fx, buf, 3, REF_MSG_PEEK), 3);
	assert_int_equal(fx_read(fx, buf, 3, 0), 3);
	assert_memory_equal(buf, "abc", 3);
	assert_int_equal(fx_read(fx, buf, 8, 0), 2);
	assert_memory_equal(buf, "de", 2);
	assert_int_equal(fx_read(fx, buf, 8, 0), -EAGAIN);
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLIN, 0);
}

static void test_established_text_survives_wraparound(void **state)
{
	struct fx *fx = *state;
	char buf[64];

	fx->irs = 0xffffffffu - 20;
	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 11), fx_s(fx, 1), 30); /* wraps, out of order */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_skip(fx);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 40);
	assert_int_equal(fx_conn(fx)->tcb.rcv_nxt, fx_p(fx, 41));
	assert_true(fx_conn(fx)->tcb.rcv_nxt < 100);
}

static void test_established_mss_option_only_on_syn_must_65(void **state)
{
	struct fx *fx = *state;
	unsigned i;

	fx_established_active(fx);
	assert_int_equal(fx_out_mss(&fx->out[0]), 1460); /* the SYN carries it */
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	assert_int_equal(fx_write(fx, 3000), 3000);
	fx_advance(fx, 2 * FX_SEC);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_collect(fx);
	for (i = 1; i < fx->nout; i++) {
		assert_int_equal(fx->out[i].seg.flags & SEG_SYN, 0);
		assert_int_equal(fx->out[i].seg.opts.len, 0);
	}
	assert_true(fx->nout > 4);
}

static void test_established_options_on_any_segment_must_5(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t opts[] = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 2, 4, 0, 100};

	fx_established(fx);
	g = fx_seg(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1));
	fx_opt_raw(&g, opts, sizeof(opts)); /* timestamps and a stray MSS on a data segment */
	fx_payload(&g, "hello", 5);
	fx_in(fx, &g);
	assert_int_equal(fx_conn(fx)->tcb.rcvq.len, 5);
	assert_int_equal(fx_conn(fx)->tcb.peer_mss, 1460); /* MSS counts on a SYN only */
}

static void test_established_fin_with_text_acked_together(void **state)
{
	struct fx *fx = *state;
	char buf[16];

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH | SEG_FIN, fx_p(fx, 1), fx_s(fx, 1), 8);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 10), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 8);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 0);
}

/* ---- when ACKs wait: SHLD-18 and the profile's choices ------------------------------------ */

static void test_established_text_starts_delayed_ack_shld_18(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_events_clear(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_expect_none(fx);
	assert_true(fx_event_seen(fx, REF_R_ACK_HOLD)); /* the rule of the silence */
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_HOLD);
	fx_advance(fx, 200 * FX_MS);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0)->rule,
			 REF_R_ACK_DELAYED);
}

static void test_established_quickack_first_segments_acked_at_once(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0)->rule,
			 REF_R_ACK_QUICK);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 11), fx_s(fx, 1), 10);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 21), 0)->rule,
			 REF_R_ACK_QUICK);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 21), fx_s(fx, 1), 10);
	fx_expect_none(fx); /* quickack = 2 spent: delayed from now on */
	fx_advance(fx, 200 * FX_MS);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 31), 0)->rule,
			 REF_R_ACK_DELAYED);
}

static void test_established_quickack_bounded_by_window(void **state)
{
	struct fx *fx = *state;

	/* RCV.WND 1600 / (2 * 536): one quick ACK, not 16 (tcp_incr_quickack) */
	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 11), fx_s(fx, 1), 10);
	fx_expect_none(fx);
}

static void test_established_ack_fin_fin_wait_delays_close_wait_fin(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0); /* quick ACK */
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 11), fx_s(fx, 1), 0);
	fx_expect_none(fx); /* CLOSE-WAIT: the ACK waits for the application's FIN */
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
	fx_advance(fx, 200 * FX_MS);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 12), 0)->rule,
			 REF_R_ACK_DELAYED);
}

static void test_established_delack_before_text_for_early_fin(void **state)
{
	struct fx *fx = *state;

	/* no text before the FIN: Linux's ato is still 0, the next jiffy */
	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	fx_advance(fx, 1 * FX_MS);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0)->rule,
			 REF_R_ACK_DELAYED);
}

static void test_established_ack_fin_fin_wait_acks_fin_wait_fin_at_once(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_2(fx);
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 2), 0);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0)->rule,
			 REF_R_ACK_FIN);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_established_text_starts_delayed_ack_shld_18, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_quickack_first_segments_acked_at_once, setup_quick_two, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_quickack_bounded_by_window, setup_quick_small_window, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_fin_fin_wait_delays_close_wait_fin, setup_quick_two, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_fin_fin_wait_acks_fin_wait_fin_at_once, setup_quick_two, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_delack_before_text_for_early_fin, setup_quick_two, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_zero_length_in_window_accepted, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_zero_length_outside_window_draws_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_zero_length_zero_window_only_rcv_nxt, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_text_zero_window_not_acceptable, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_text_straddling_left_edge_trimmed, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_text_straddling_right_edge_trimmed, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_old_duplicate_text_draws_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_text_covering_whole_window_unacceptable, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_in_window_challenge_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_exact_resets_must_12, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_outside_window_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_with_text_accepted_shld_2, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_with_text_starting_left_of_window_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_zero_window_exact_resets_must_66, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_zero_window_with_text_resets_must_66, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_rst_in_window_resets_without_rfc5961, setup_no_5961, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_syn_in_window_challenge_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_old_syn_draws_plain_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_syn_in_window_resets_without_rfc5961, setup_no_5961, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_segment_without_ack_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_of_unsent_data_acked_and_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_old_ack_ignored_text_processed, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_releases_acknowledged_data, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_old_segment_does_not_update_window, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_range_check_may_12, setup_5961_ack, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_delayed_ack_within_half_second_must_40, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_every_second_full_segment_shld_19, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_aggregated_over_batch_must_58_must_59, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_out_of_order_kept_shld_31, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_out_of_order_store_bounded, setup_two_ooo, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_out_of_order_fin_held, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_ack_piggybacked_on_data, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_push_on_segment_emptying_queue_must_61, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_small_write_sent_at_once_must_60, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_text_delivered_in_order, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_text_survives_wraparound, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_mss_option_only_on_syn_must_65, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_options_on_any_segment_must_5, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_established_fin_with_text_acked_together, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
