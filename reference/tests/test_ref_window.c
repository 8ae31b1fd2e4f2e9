/* Reference stack: managing the window (RFC 9293 §3.8.6) — Nagle (§3.7.4),
 * sender and receiver SWS avoidance (§3.8.6.2), a peer that shrinks its
 * window (MUST-34, SHLD-15..17), zero-window probing (§3.8.6.1). */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void small_rcvbuf(struct ref_stack_config *c) { c->profile.rcv_buf = 4000; }

static void linux_probe(struct ref_stack_config *c) { c->profile.zwp_form = REF_ZWP_EMPTY_OLD; }

static int setup_small_rcvbuf(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, small_rcvbuf);
	return 0;
}

static int setup_linux_probe(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, linux_probe);
	return 0;
}

/* The peer acknowledges everything so far with window `wnd`. */
static void peer_ack(struct fx *fx, uint32_t ack_rel, uint16_t wnd)
{
	struct seg g = fx_seg(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, ack_rel));

	g.wnd = wnd;
	fx_in(fx, &g);
}

/* ---- Nagle, §3.7.4 ------------------------------------------------------------------------- */

static void test_window_nagle_holds_small_segment_shld_7(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 10);
	assert_int_equal(fx_write(fx, 10), 10);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_expect_none(fx); /* unacknowledged data: held */
	peer_ack(fx, 11, 65535);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 11), fx_p(fx, 1), 20); /* coalesced */
	fx_expect_none(fx);
}

static void test_window_nagle_sends_full_segment(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_skip(fx);
	assert_int_equal(fx_write(fx, 1470), 1470);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 11), fx_p(fx, 1), 1460);
	assert_int_equal(o->rule, REF_R_SEND_FULL_SEGMENT);
	fx_expect_none(fx); /* the 10-byte tail waits */
}

static void test_window_nodelay_sends_at_once_must_17(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_NODELAY), 1);
	assert_int_equal(fx_write(fx, 10), 10);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 10);
	o = fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 11), fx_p(fx, 1), 10);
	assert_int_equal(o->rule, REF_R_SEND_NODELAY);
}

static void test_window_nodelay_set_releases_held_data(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 10);
	fx_expect_none(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 11), fx_p(fx, 1), 10);
}

/* ---- sender SWS, §3.8.6.2.1 ---------------------------------------------------------------- */

static void test_window_sender_sws_holds_small_window_must_38(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	peer_ack(fx, 1, 100); /* the largest window seen stays 65535 */
	assert_int_equal(fx_write(fx, 500), 500);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 200 * FX_MS);
	fx_next_timer(fx); /* (4): the override timeout */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 100);
	assert_int_equal(o->rule, REF_R_SEND_SWS_OVERRIDE);
	fx_expect_none(fx);
}

static void test_window_sender_sws_fraction_of_max_window(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	const struct fx_out *o;

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx->irs, 0);
	g.wnd = 1000; /* a small receiver: Max(SND.WND) = 1000 */
	fx_opt_mss(&g, 1460);
	fx_in(fx, &g);
	fx->iss = fx->out[0].seg.seq;
	fx_skip(fx);
	peer_ack(fx, 1, 1000);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(fx_write(fx, 3000), 3000);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1000);
	assert_int_equal(o->rule, REF_R_SEND_SWS_FRACTION); /* (3): >= Fs * Max(SND.WND) */
	fx_expect_none(fx);
}

static void test_window_all_queued_data_fits_window_push(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	peer_ack(fx, 1, 300);
	assert_int_equal(fx_write(fx, 300), 300);
	o = fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 300); /* (2) */
	assert_int_equal(o->rule, REF_R_SEND_PUSH);
}

static void mss_round(struct ref_stack_config *c)
{
	c->profile.rcv_wnd_mss_round = true;
	c->profile.rcv_buf = 131072;
	c->profile.wscale = false;
	c->profile.timestamps = false;
}

/* Profile rcv_wnd_mss_round (Linux tcp_select_initial_window): the window
 * is a multiple of the MSS (65535 -> 64240 with 1460); a segment past it,
 * inside what the free buffer would offer, is not acceptable. */
static void test_window_mss_rounded_profile(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, mss_round);
	uint32_t mss, wnd;

	(void)state;
	fx_syn_received_passive(fx);
	mss = (uint32_t)fx_out_mss(&fx->out[fx->next - 1]);
	wnd = 65535 - 65535 % mss;
	assert_int_equal(fx->out[fx->next - 1].seg.wnd, wnd);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1 + wnd), fx_s(fx, 1), 0); /* past the edge */
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0)->seg.wnd, wnd);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SEQ_UNACCEPTABLE_ACK);
	fx_free(fx);
}

static void test_window_sixteen_bit_window_unsigned_must_1(void **state)
{
	struct fx *fx = *state;
	unsigned bytes = 0;

	fx_established(fx);
	fx_conn(fx)->tcb.cwnd = UINT32_MAX; /* the window alone limits the sender */
	peer_ack(fx, 1, 40000);
	assert_int_equal(fx_write(fx, 50000), 50000);
	while (fx_pending(fx))
		bytes += (unsigned)fx->out[fx->next++].seg.len;
	assert_int_equal(bytes, 40000 - 40000 % 1460); /* full segments into 40000 bytes */
}

static void test_window_cwnd_limits_sender(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_conn(fx)->tcb.cwnd = 1460; /* part 2's congestion window is obeyed */
	assert_int_equal(fx_write(fx, 5000), 5000);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1460);
	fx_expect_none(fx);
}

/* ---- a peer that shrinks its window, §3.8.6 --------------------------------------------------- */

static void test_window_peer_shrinks_no_new_data_must_34_shld_15(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	assert_int_equal(fx_write(fx, 2920), 2920);
	fx_skip(fx);
	peer_ack(fx, 1, 100); /* right edge: from ISS+65536 to ISS+101, left of SND.NXT */
	assert_true(fx_event_seen(fx, REF_R_WINDOW_SHRUNK));
	assert_int_equal(fx_write(fx, 100), 100);
	fx_expect_none(fx); /* usable window negative: nothing new */
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

static void test_window_shrunk_retransmits_inside_window_shld_16(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 2920), 2920);
	fx_skip(fx);
	peer_ack(fx, 1, 100);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 100);
	assert_int_equal(o->rule, REF_R_RTX_TIMEOUT);
	fx_expect_none(fx);
}

static void test_window_closed_with_data_out_not_timed_out_shld_17_must_35(void **state)
{
	struct fx *fx = *state;
	unsigned probes = 0;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 1000), 1000);
	fx_skip(fx);
	peer_ack(fx, 1, 0);
	while (fx->now < FX_T0 + 600 * FX_SEC) {
		fx_next_timer(fx);
		assert_int_equal(fx_pending(fx), 1);
		assert_int_equal(fx->out[fx->next].seg.len, 1); /* a one-octet probe */
		fx_skip(fx);
		probes++;
		peer_ack(fx, 1, 0); /* answered, window still zero */
	}
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_true(probes >= 12);
}

/* ---- zero-window probing, §3.8.6.1 -------------------------------------------------------------- */

static void test_window_zero_window_probe_after_rto_must_36_shld_29_shld_30(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;
	uint64_t t0;

	fx_established(fx);
	peer_ack(fx, 1, 0);
	t0 = fx->now;
	assert_int_equal(fx_write(fx, 100), 100);
	fx_expect_none(fx);
	assert_int_equal(fx_next_timer(fx), t0 + 1 * FX_SEC); /* one RTO */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1); /* one octet of new data */
	assert_int_equal(o->rule, REF_R_ZERO_WINDOW_PROBE);
	assert_int_equal(o->data[0], 'A');
	peer_ack(fx, 1, 0);
	assert_int_equal(fx_next_timer(fx), t0 + 3 * FX_SEC); /* then 2 s */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1);
	peer_ack(fx, 1, 0);
	assert_int_equal(fx_next_timer(fx), t0 + 7 * FX_SEC); /* then 4 s */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1);
}

static void test_window_zero_window_kept_open_while_probes_answered_must_37(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	peer_ack(fx, 1, 0);
	assert_int_equal(fx_write(fx, 100), 100);
	while (fx->now < FX_T0 + 3 * 3600 * FX_SEC) {
		fx_next_timer(fx);
		fx_skip(fx);
		peer_ack(fx, 1, 0);
	}
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_int_equal(ref_stack_next_deadline(fx->st) - fx->now, 60 * FX_SEC); /* capped */
}

static void test_window_zero_window_opens_then_data_flows(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	peer_ack(fx, 1, 0);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_next_timer(fx);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1);
	peer_ack(fx, 2, 1000); /* the probe octet accepted, the window open */
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 2), fx_p(fx, 1), 99);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.persist, REF_PERSIST_NONE);
}

static void test_window_zero_window_probe_unanswered_gives_up(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	peer_ack(fx, 1, 0);
	assert_int_equal(fx_write(fx, 100), 100);
	while (ref_sock_state(fx->st, fx->fd) == REF_ESTABLISHED) {
		fx_next_timer(fx);
		fx_skip(fx);
		assert_true(fx->now < FX_T0 + 1000 * FX_SEC);
	}
	assert_true(fx->now - FX_T0 >= 100 * FX_SEC);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -ETIMEDOUT);
}

static void test_window_zero_window_probe_linux_form(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	peer_ack(fx, 1, 0);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_next_timer(fx);
	fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0); /* <SEQ=SND.UNA-1> */
}

/* ---- receiver SWS, §3.8.6.2.2 ---------------------------------------------------------------------- */

static void test_window_receiver_sws_no_small_update_must_39(void **state)
{
	struct fx *fx = *state;
	char buf[2000];
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1461), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2921), fx_s(fx, 1), 1080);
	fx_advance(fx, 200 * FX_MS);
	fx_skip(fx);
	assert_int_equal(fx_read(fx, buf, 100, 0), 100);
	fx_expect_none(fx); /* 100 bytes free: not worth a window update */
	assert_int_equal(fx_read(fx, buf, 1000, 0), 1000);
	fx_expect_none(fx);
	assert_int_equal(fx_read(fx, buf, 360, 0), 360); /* 1460 free: min(2000, Eff.snd.MSS) */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	assert_int_equal(o->rule, REF_R_WINDOW_UPDATE);
	assert_int_equal(o->seg.wnd, 1460);
}

static void test_window_right_edge_never_moves_left_shld_14(void **state)
{
	struct fx *fx = *state;
	uint32_t edge = 0, seq = 1;
	unsigned i;
	char buf[300];

	fx_established(fx);
	for (i = 0; i < 30; i++) {
		fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, seq), fx_s(fx, 1), 300);
		seq += 300;
		if (i % 3 == 0)
			fx_read(fx, buf, 250, 0);
		fx_advance(fx, 200 * FX_MS);
	}
	while (fx_pending(fx)) {
		const struct fx_out *o = &fx->out[fx->next++];
		uint32_t e = o->seg.ack + o->seg.wnd;

		assert_true(edge == 0 || seq_geq(e, edge));
		edge = e;
	}
}

static void test_window_zero_window_reopened_by_reading(void **state)
{
	struct fx *fx = *state;
	char buf[4000];

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1461), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2921), fx_s(fx, 1), 1080);
	fx_advance(fx, 200 * FX_MS);
	fx_skip(fx);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 4000);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0)->seg.wnd, 4000);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_window_nagle_holds_small_segment_shld_7, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_nagle_sends_full_segment, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_nodelay_sends_at_once_must_17, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_nodelay_set_releases_held_data, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_sender_sws_holds_small_window_must_38, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_sender_sws_fraction_of_max_window, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_all_queued_data_fits_window_push, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_sixteen_bit_window_unsigned_must_1, fx_setup, fx_teardown),
	cmocka_unit_test(test_window_mss_rounded_profile),
	cmocka_unit_test_setup_teardown(test_window_cwnd_limits_sender, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_peer_shrinks_no_new_data_must_34_shld_15, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_shrunk_retransmits_inside_window_shld_16, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_closed_with_data_out_not_timed_out_shld_17_must_35, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_zero_window_probe_after_rto_must_36_shld_29_shld_30, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_zero_window_kept_open_while_probes_answered_must_37, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_zero_window_opens_then_data_flows, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_zero_window_probe_unanswered_gives_up, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_zero_window_probe_linux_form, setup_linux_probe, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_receiver_sws_no_small_update_must_39, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_right_edge_never_moves_left_shld_14, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_window_zero_window_reopened_by_reading, setup_small_rcvbuf, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
