/* Reference stack, RFC 7323: window scale (§2), timestamps (§3), TS.Recent
 * (§4.3), RTTM (§4.1), PAWS (§5). Grouped by state; the `rfc` profile
 * offers all three options. */
#include "reference/tests/ref_opts_helpers.h"

#include "cmake/cmocka_main.h"

static void big_buf(struct ref_stack_config *c) { c->profile.rcv_buf = 1 << 20; }
static void keep_missing(struct ref_stack_config *c) { c->profile.ts_drop_missing = false; }
static void lwip_order(struct ref_stack_config *c)
{
	strcpy(c->profile.syn_options, "mss,nop,nop,ts,nop,ws,nop,nop,sackok");
}
static void no_ts_lwip_order(struct ref_stack_config *c)
{
	lwip_order(c);
	c->profile.timestamps = false;
}

/* ---- LISTEN ------------------------------------------------------------------------- */

static void test_listen_syn_ack_echoes_negotiated_options(void **state)
{
	struct fx *fx = fx_new();
	struct seg_opts o = hx_open(fx, true, true, 7);

	(void)state;
	assert_true(o.present & SEG_HAS_MSS);
	assert_true(o.present & SEG_HAS_SACK_PERM);
	assert_true(o.present & SEG_HAS_TS);
	assert_true(o.present & SEG_HAS_WSCALE);
	assert_int_equal(o.ts_ecr, TSV0);       /* TSecr = TS.Recent of the SYN */
	assert_int_equal(o.ts_val, 1000);       /* 1 ms ticks at 1 s */
	assert_int_equal(o.wscale, 0);          /* 65535-byte buffer: shift 0 */
	assert_true(fx_conn(fx)->tcb.ts_ok);
	assert_true(fx_conn(fx)->tcb.sack_ok);
	assert_int_equal(fx_conn(fx)->tcb.snd_wscale, 7);
	fx_free(fx);
}

static void test_listen_rfc7323_2_2_syn_ack_only_what_syn_had(void **state)
{
	struct fx *fx = fx_new();
	struct seg_opts o = hx_open(fx, false, false, -1);

	(void)state;
	assert_int_equal(o.present & ~(uint32_t)SEG_HAS_EOL, SEG_HAS_MSS);
	assert_false(fx_conn(fx)->tcb.ts_ok);
	assert_false(fx_conn(fx)->tcb.ws_ok);
	fx_free(fx);
}

static void test_listen_rfc7323_2_3_shift_capped(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	hx_open(fx, false, false, 15);
	assert_true(fx_event_seen(fx, REF_R_WS_SHIFT_CAPPED));
	assert_int_equal(fx_conn(fx)->tcb.snd_wscale, 14);
	fx_free(fx);
}

static void test_listen_rfc7323_2_2_syn_window_unscaled(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, big_buf);
	struct seg g;
	const struct fx_out *o;

	(void)state;
	fx_listen(fx, 8);
	fx->pwnd = 1000;
	g = fx_seg(fx, SEG_SYN, fx->irs, 0);
	hx_syn_opts(&g, false, false, 2);
	fx_in(fx, &g);
	fx->iss = fx->out[fx->next].seg.seq;
	o = fx_expect(fx, SEG_SYN | SEG_ACK, fx->iss, fx->irs + 1, 0);
	assert_int_equal(o->seg.wnd, 65535);      /* never scaled on a SYN */
	assert_int_equal(o->seg.opts.wscale, 5);  /* 2^20 >> 5 fits 16 bits */
	assert_int_equal(fx_conn(fx)->tcb.snd_wnd, 1000); /* the SYN's window as is */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_int_equal(fx_conn(fx)->tcb.snd_wnd, 4000); /* 1000 << 2 */
	fx_free(fx);
}

/* ---- SYN-SENT ----------------------------------------------------------------------- */

static void test_syn_sent_syn_options_in_profile_order(void **state)
{
	struct fx *fx = fx_new();
	const uint8_t *r;

	(void)state;
	fx_syn_sent(fx);
	r = fx->out[0].seg.opts.raw;
	assert_int_equal(fx->out[0].seg.opts.len, 20); /* mss, sackOK+TS, nop, ws */
	assert_int_equal(r[0], SEG_OPT_MSS);
	assert_int_equal(r[4], SEG_OPT_SACK_PERM);
	assert_int_equal(r[6], SEG_OPT_TS);
	assert_int_equal(r[16], SEG_OPT_NOP);
	assert_int_equal(r[17], SEG_OPT_WSCALE);
	assert_int_equal(fx->out[0].seg.opts.ts_ecr, 0); /* §3.2: no ACK, TSecr 0 */
	fx_free(fx);
}

static void test_syn_sent_lwip_option_order(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, lwip_order);
	const uint8_t *r;

	(void)state;
	fx_syn_sent(fx);
	r = fx->out[0].seg.opts.raw;
	assert_int_equal(fx->out[0].seg.opts.len, 24);
	assert_int_equal(r[4], SEG_OPT_NOP);
	assert_int_equal(r[6], SEG_OPT_TS);
	assert_int_equal(r[17], SEG_OPT_WSCALE);
	assert_int_equal(r[22], SEG_OPT_SACK_PERM);
	fx_free(fx);
}

static void test_syn_sent_option_off_takes_its_nops(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, no_ts_lwip_order);
	const uint8_t *r;

	(void)state;
	fx_syn_sent(fx);
	r = fx->out[0].seg.opts.raw;
	assert_int_equal(fx->out[0].seg.opts.len, 12); /* mss, nop ws, nop nop sackOK */
	assert_int_equal(r[4], SEG_OPT_NOP);
	assert_int_equal(r[5], SEG_OPT_WSCALE);
	assert_int_equal(r[10], SEG_OPT_SACK_PERM);
	assert_false(fx->out[0].seg.opts.present & SEG_HAS_TS);
	fx_free(fx);
}

static void test_syn_sent_syn_ack_without_options_turns_them_off(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	fx_established_active(fx); /* the SYN,ACK carries only MSS */
	assert_false(fx_conn(fx)->tcb.ts_ok);
	assert_false(fx_conn(fx)->tcb.sack_ok);
	assert_false(fx_conn(fx)->tcb.ws_ok);
	assert_int_equal(fx_write(fx, 10), 10);
	o = fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 10);
	assert_int_equal(o->seg.opts.len, 0);
	fx_free(fx);
}

static void test_syn_sent_syn_ack_with_ts_negotiates(void **state)
{
	struct fx *fx = fx_new();
	struct seg g;
	const struct fx_out *o;

	(void)state;
	fx_syn_sent(fx);
	fx->now += 20 * FX_MS;
	g = fx_seg(fx, SEG_SYN | SEG_ACK, fx->irs, fx_s(fx, 1));
	hx_syn_opts(&g, true, true, 3);
	g.opts.ts_ecr = 1000; /* TSecr (raw bytes 12..15) = our SYN's TSval */
	memcpy(g.opts.raw + 12, (const uint8_t[]){0, 0, 0x03, 0xe8}, 4);
	fx_in(fx, &g);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_true(o->seg.opts.present & SEG_HAS_TS);
	assert_int_equal(o->seg.opts.ts_ecr, TSV0);
	assert_true(fx_conn(fx)->tcb.ts_ok);
	assert_true(fx_conn(fx)->tcb.sack_ok);
	assert_int_equal(fx_conn(fx)->tcb.snd_wscale, 3);
	fx_free(fx);
}

/* ---- ESTABLISHED ---------------------------------------------------------------------- */

static void test_established_rfc7323_3_2_ts_on_every_segment(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, false, true, -1);
	assert_int_equal(fx_write(fx, 3000), 3000);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1448); /* 1460 - 12 */
	assert_int_equal(o->seg.opts.len, 12);
	assert_int_equal(o->seg.opts.ts_ecr, TSV0 + 10);
	assert_int_equal(o->seg.opts.ts_val, hx_tsval(fx));
	fx_free(fx);
}

static void test_established_rfc7323_3_2_missing_ts_drop(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	hx_open(fx, false, true, -1);
	fx_events_clear(fx);
	hx_in(fx, SEG_ACK, 1, 1, 100, 0, 0, 0, NULL);
	fx_expect_none(fx);
	assert_true(fx_event_seen(fx, REF_R_TS_MISSING_DROP));
	assert_int_equal(fx_conn(fx)->tcb.rcv_nxt, fx_p(fx, 1));
	assert_int_equal(fx_state(fx), REF_ESTABLISHED); /* never an abort */
	fx_free(fx);
}

static void test_established_missing_ts_processed_when_profile_says(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, keep_missing);

	(void)state;
	hx_open(fx, false, true, -1);
	hx_in(fx, SEG_ACK, 1, 1, 100, 0, 0, 0, NULL);
	assert_int_equal(fx_conn(fx)->tcb.rcv_nxt, fx_p(fx, 101));
	fx_free(fx);
}

static void test_established_rfc7323_5_3_paws_drop(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, false, true, -1);
	fx_events_clear(fx);
	hx_in(fx, SEG_ACK, 1, 1, 100, TSV0 + 5, 0, 0, NULL); /* older than TS.Recent */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_PAWS_DROP);
	assert_int_equal(o->seg.opts.ts_ecr, TSV0 + 10);
	assert_int_equal(fx_conn(fx)->tcb.rcv_nxt, fx_p(fx, 1));
	fx_free(fx);
}

static void test_established_rfc7323_5_2_rst_not_paws_checked(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	hx_open(fx, false, true, -1);
	hx_in(fx, SEG_RST, 1, 0, 0, TSV0 + 1, 0, 0, NULL);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	fx_free(fx);
}

static void test_established_rfc7323_5_5_paws_idle(void **state)
{
	struct fx *fx = fx_new();

	(void)state;
	hx_open(fx, false, true, -1);
	fx->now += 25 * 86400 * FX_SEC; /* no timer runs: nothing outstanding */
	fx_events_clear(fx);
	hx_in(fx, SEG_ACK, 1, 1, 100, TSV0 + 5, 0, 0, NULL);
	assert_true(fx_event_seen(fx, REF_R_PAWS_IDLE));
	assert_int_equal(fx_conn(fx)->tcb.rcv_nxt, fx_p(fx, 101));
	assert_int_equal(fx_conn(fx)->tcb.ts_recent, TSV0 + 5);
	fx_free(fx);
}

static void test_established_rfc7323_4_3_ts_recent_delayed_ack(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, false, true, -1);
	hx_in(fx, SEG_ACK, 1, 1, 100, TSV0 + 20, 0, 0, NULL);
	hx_in(fx, SEG_ACK, 101, 1, 100, TSV0 + 30, 0, 0, NULL); /* SEQ > Last.ACK.sent */
	fx_expect_none(fx);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 201), 0);
	assert_int_equal(o->seg.opts.ts_ecr, TSV0 + 20); /* case (A): the earliest */
	fx_free(fx);
}

static void test_established_rfc7323_4_3_ts_recent_not_from_out_of_order(void **state)
{
	struct fx *fx = fx_new();
	const struct fx_out *o;

	(void)state;
	hx_open(fx, false, true, -1);
	hx_in(fx, SEG_ACK, 1001, 1, 100, TSV0 + 50, 0, 0, NULL);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->seg.opts.ts_ecr, TSV0 + 10); /* case (B) */
	hx_in(fx, SEG_ACK, 1, 1, 1000, TSV0 + 60, 0, 0, NULL); /* fills the hole */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1101), 0);
	assert_int_equal(o->seg.opts.ts_ecr, TSV0 + 60); /* case (C) */
	fx_free(fx);
}

static void test_established_rfc7323_4_1_rttm(void **state)
{
	struct fx *fx = fx_new();
	uint32_t val;

	(void)state;
	hx_open(fx, false, true, -1);
	assert_int_equal(fx_conn(fx)->tcb.srtt, 10 * FX_MS); /* the handshake's sample */
	assert_int_equal(fx_write(fx, 100), 100);
	val = fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 100)->seg.opts.ts_val;
	fx->now += 100 * FX_MS;
	hx_in(fx, SEG_ACK, 1, 101, 0, TSV0 + 100, val, 0, NULL);
	assert_int_equal(fx_conn(fx)->tcb.srtt, (7 * 10 * FX_MS + 100 * FX_MS) / 8);
	fx_free(fx);
}

static void test_established_rttm_sample_from_retransmission(void **state)
{
	struct fx *fx = fx_new();
	uint32_t val;

	(void)state;
	hx_open(fx, false, true, -1);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_skip(fx);
	fx_next_timer(fx); /* RTO: the segment again, with a new TSval */
	val = fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 100)->seg.opts.ts_val;
	fx->now += 50 * FX_MS;
	hx_in(fx, SEG_ACK, 1, 101, 0, TSV0 + 100, val, 0, NULL);
	/* Karn would refuse; the echoed TSval names the retransmission (RFC 6298 §3) */
	assert_int_equal(fx_conn(fx)->tcb.srtt, (7 * 10 * FX_MS + 50 * FX_MS) / 8);
	fx_free(fx);
}

static void test_established_rfc7323_3_2_ts_on_rst(void **state)
{
	struct fx *fx = fx_new();
	struct ref_linger l = { 1, 0 };
	const struct fx_out *o;

	(void)state;
	hx_open(fx, false, true, -1);
	assert_int_equal(ref_setsockopt(fx->st, fx->fd, REF_SO_LINGER, &l, sizeof l, fx->now), 0);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
	assert_true(o->seg.opts.present & SEG_HAS_TS);
	assert_int_equal(o->seg.opts.ts_ecr, 0);
	fx_free(fx);
}

static void test_established_window_scaled_both_ways(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, big_buf);
	const struct fx_out *o;

	(void)state;
	fx->pwnd = 1000;
	hx_open(fx, false, false, 2);
	assert_int_equal(fx_conn(fx)->tcb.snd_wnd, 4000); /* SEG.WND << 2 */
	assert_int_equal(fx_conn(fx)->tcb.rcv_wscale, 5);
	hx_in(fx, SEG_ACK, 1, 1, 100, 0, 0, 0, NULL);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 101), 0);
	/* the window offered is RCV.WND >> 5, rounded up so that the right edge
	 * the peer computes does not recede (§2.4) */
	assert_int_equal(o->seg.wnd, (fx_conn(fx)->tcb.rcv_adv - fx_p(fx, 101) + 31) >> 5);
	assert_true((uint32_t)o->seg.wnd << 5 >= fx_conn(fx)->tcb.rcv_adv - fx_p(fx, 101));
	fx_free(fx);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_listen_syn_ack_echoes_negotiated_options),
	cmocka_unit_test(test_listen_rfc7323_2_2_syn_ack_only_what_syn_had),
	cmocka_unit_test(test_listen_rfc7323_2_3_shift_capped),
	cmocka_unit_test(test_listen_rfc7323_2_2_syn_window_unscaled),
	cmocka_unit_test(test_syn_sent_syn_options_in_profile_order),
	cmocka_unit_test(test_syn_sent_lwip_option_order),
	cmocka_unit_test(test_syn_sent_option_off_takes_its_nops),
	cmocka_unit_test(test_syn_sent_syn_ack_without_options_turns_them_off),
	cmocka_unit_test(test_syn_sent_syn_ack_with_ts_negotiates),
	cmocka_unit_test(test_established_rfc7323_3_2_ts_on_every_segment),
	cmocka_unit_test(test_established_rfc7323_3_2_missing_ts_drop),
	cmocka_unit_test(test_established_missing_ts_processed_when_profile_says),
	cmocka_unit_test(test_established_rfc7323_5_3_paws_drop),
	cmocka_unit_test(test_established_rfc7323_5_2_rst_not_paws_checked),
	cmocka_unit_test(test_established_rfc7323_5_5_paws_idle),
	cmocka_unit_test(test_established_rfc7323_4_3_ts_recent_delayed_ack),
	cmocka_unit_test(test_established_rfc7323_4_3_ts_recent_not_from_out_of_order),
	cmocka_unit_test(test_established_rfc7323_4_1_rttm),
	cmocka_unit_test(test_established_rttm_sample_from_retransmission),
	cmocka_unit_test(test_established_rfc7323_3_2_ts_on_rst),
	cmocka_unit_test(test_established_window_scaled_both_ways),
};

TC_CMOCKA_MAIN(tests)
