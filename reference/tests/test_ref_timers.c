/* Reference stack: timers — retransmission per RFC 6298 (§3.8.1, MUST-18,
 * MUST-19), connection failures R1/R2 (§3.8.3, MUST-20, MUST-21, SHLD-9),
 * keep-alive (§3.8.4, MUST-24..29), the delayed-ACK timer, and the time
 * model (timers fire at their own deadlines). */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void fine_rto(struct ref_stack_config *c) { c->profile.rto_min = 1; }

static void garbage_octet(struct ref_stack_config *c) { c->profile.keepalive_garbage_octet = true; }

static int setup_fine_rto(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, fine_rto);
	return 0;
}

static int setup_garbage(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, garbage_octet);
	return 0;
}

static void peer_ack(struct fx *fx, uint32_t ack_rel)
{
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, ack_rel), 0);
}

/* ---- RFC 6298 ---------------------------------------------------------------------------------- */

static void test_timers_rto_retransmits_earliest_segment_must_18(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	assert_int_equal(fx_write(fx, 2920), 2920);
	fx_skip(fx);
	assert_int_equal(fx_next_timer(fx), t0 + 1 * FX_SEC);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1460); /* (5.4): one segment */
	assert_int_equal(o->rule, REF_R_RTX_TIMEOUT);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_next_deadline(fx->st), t0 + 3 * FX_SEC); /* (5.5), (5.6) */
}

static void test_timers_rto_backoff_doubles_must_19(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	assert_int_equal(fx_write(fx, 100), 100);
	fx_skip(fx);
	assert_int_equal(fx_next_timer(fx), t0 + 1 * FX_SEC);
	assert_int_equal(fx_next_timer(fx), t0 + 3 * FX_SEC);
	assert_int_equal(fx_next_timer(fx), t0 + 7 * FX_SEC);
	assert_int_equal(fx_next_timer(fx), t0 + 15 * FX_SEC);
	assert_int_equal(fx_pending(fx), 4);
	while (fx_pending(fx))
		fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 100);
}

static void test_timers_rto_capped_at_maximum(void **state)
{
	struct fx *fx = *state;
	uint64_t prev, d;
	unsigned i;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_USER_TIMEOUT, 3600 * 1000), 0);
	assert_int_equal(fx_write(fx, 100), 100);
	prev = fx->now;
	for (i = 0; i < 12; i++) {
		d = fx_next_timer(fx);
		if (i >= 7)
			assert_int_equal(d - prev, 60 * FX_SEC); /* (2.5): at least 60 s */
		prev = d;
	}
}

static void test_timers_rtt_estimator_rfc6298_worked_example(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;
	struct ref_tcb *t;

	fx_established(fx);
	t = &fx_conn(fx)->tcb;
	t->have_rtt = false; /* start from (2.1) for the worked numbers */
	t->rto = 1 * FX_SEC;
	assert_int_equal(fx_write(fx, 10), 10);
	fx->now += 100 * FX_MS;
	peer_ack(fx, 11);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.srtt, 100 * FX_MS);   /* (2.2) */
	assert_int_equal(info.rttvar, 50 * FX_MS);
	assert_int_equal(info.rto, 300 * FX_MS);    /* 100 + 4*50, min RTO 1 µs here */
	assert_int_equal(fx_write(fx, 10), 10);
	fx->now += 140 * FX_MS;
	peer_ack(fx, 21);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.rttvar, 47500);       /* (2.3): 0.75*50 + 0.25*40 */
	assert_int_equal(info.srtt, 105 * FX_MS);   /* 0.875*100 + 0.125*140 */
	assert_int_equal(info.rto, 295 * FX_MS);
}

static void test_timers_rto_rounded_up_to_one_second(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx->now += 100 * FX_MS;
	peer_ack(fx, 11);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.rto, 1 * FX_SEC); /* (2.4) */
}

static void test_timers_karn_no_sample_from_retransmission_must_18(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info before, after;

	fx_established(fx);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &before), 0);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_next_timer(fx);
	fx->now += 5 * FX_MS;
	peer_ack(fx, 11); /* ambiguous: original or retransmission? */
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &after), 0);
	assert_int_equal(after.srtt, before.srtt);
	assert_int_equal(after.rttvar, before.rttvar);
	assert_int_equal(after.rto, 2 * FX_SEC); /* the backed-off RTO is kept */
	/* A segment sent once gives a fresh sample and a fresh RTO. */
	assert_int_equal(fx_write(fx, 10), 10);
	fx->now += 20 * FX_MS;
	peer_ack(fx, 21);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &after), 0);
	assert_int_not_equal(after.srtt, before.srtt);
	assert_int_equal(after.rto, 1 * FX_SEC);
}

static void test_timers_rto_stopped_when_all_acknowledged(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	assert_int_not_equal(ref_stack_next_deadline(fx->st), UINT64_MAX);
	peer_ack(fx, 11); /* (5.2) */
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX);
}

static void test_timers_rto_restarted_on_new_ack(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	assert_int_equal(fx_write(fx, 2000), 2000);
	fx->now += 500 * FX_MS;
	peer_ack(fx, 1461); /* (5.3) */
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 1 * FX_SEC);
}

static void test_timers_go_back_after_timeout(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	assert_int_equal(fx_write(fx, 3000), 3000);
	fx_skip(fx);
	fx_next_timer(fx);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1460);
	fx_expect_none(fx);
	peer_ack(fx, 1461); /* the rest was lost too: it follows the ACK */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1461), fx_p(fx, 1), 1460);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 2921), fx_p(fx, 1), 80);
	fx_expect_none(fx);
	assert_int_equal(fx_conn(fx)->tcb.snd_nxt, fx_s(fx, 3001));
}

/* ---- connection failures, §3.8.3 ---------------------------------------------------------------- */

static void test_timers_data_gives_up_after_r2_must_20(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;
	unsigned n = 0;

	fx_established(fx);
	t0 = fx->now;
	assert_int_equal(fx_write(fx, 100), 100);
	fx_skip(fx);
	while (ref_sock_state(fx->st, fx->fd) == REF_ESTABLISHED) {
		fx_next_timer(fx);
		n += fx_pending(fx);
		fx_skip(fx);
	}
	assert_int_equal(fx->now - t0, 100 * FX_SEC); /* SHLD-11: R2 >= 100 s */
	assert_int_equal(n, 6);                       /* 1 3 7 15 31 63 s */
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RTX_R2);
	assert_int_equal(fx_write(fx, 1), -ETIMEDOUT);
	assert_int_equal(fx_write(fx, 1), -EPIPE);
}

static void test_timers_user_timeout_sets_r2_for_data_must_21(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_USER_TIMEOUT, 10000), 0);
	t0 = fx->now;
	assert_int_equal(fx_write(fx, 100), 100);
	while (ref_sock_state(fx->st, fx->fd) == REF_ESTABLISHED)
		fx_next_timer(fx);
	assert_int_equal(fx->now - t0, 10 * FX_SEC);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -ETIMEDOUT);
}

static void test_timers_r1_reported_to_user_shld_9(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_next_timer(fx);
	fx_next_timer(fx);
	fx_next_timer(fx);
	fx_events_clear(fx);
	fx_next_timer(fx);
	assert_true(fx_event_seen(fx, REF_R_RTX_R1));
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

static void test_timers_progress_resets_r2(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	assert_int_equal(fx_write(fx, 200), 200);
	fx_advance(fx, 90 * FX_SEC);
	peer_ack(fx, 101); /* progress after 90 s */
	fx_advance(fx, 90 * FX_SEC);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

/* ---- keep-alive, §3.8.4 -------------------------------------------------------------------------- */

static void test_timers_keepalive_off_by_default_must_25(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_KEEPALIVE), 0);
	fx_advance(fx, 3 * 3600 * FX_SEC);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX);
}

static void test_timers_keepalive_after_two_hours_must_28_shld_12(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	assert_int_equal(fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1), 0);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_KEEPIDLE), 7200);
	assert_int_equal(fx_next_timer(fx), t0 + 7200 * FX_SEC);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0); /* SND.NXT-1, no data */
	assert_int_equal(o->rule, REF_R_KEEPALIVE_PROBE);
}

static void test_timers_keepalive_idle_configurable_must_27(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10), 0);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1), 0);
	assert_int_equal(fx_next_timer(fx), t0 + 10 * FX_SEC);
	fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
}

static void test_timers_keepalive_one_lost_probe_not_fatal_must_29(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPINTVL, 5);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPCNT, 3);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1);
	assert_int_equal(fx_next_timer(fx), t0 + 10 * FX_SEC);
	assert_int_equal(fx_next_timer(fx), t0 + 15 * FX_SEC); /* the first went unanswered */
	assert_int_equal(fx_next_timer(fx), t0 + 20 * FX_SEC);
	assert_int_equal(fx_pending(fx), 3);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_int_equal(fx_next_timer(fx), t0 + 25 * FX_SEC); /* all three unanswered */
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_KEEPALIVE_TIMEOUT);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -ETIMEDOUT);
}

static void test_timers_keepalive_answered_keeps_connection(void **state)
{
	struct fx *fx = *state;
	unsigned i;

	fx_established(fx);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPINTVL, 5);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPCNT, 2);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1);
	fx_advance(fx, 10 * FX_SEC);
	for (i = 0; i < 20; i++) {
		fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
		fx_expect_none(fx);
		fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0); /* the answer */
		fx_advance(fx, 10 * FX_SEC); /* idle again: the next probe */
	}
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

static void test_timers_keepalive_only_when_idle_must_26(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1);
	t0 = fx->now;
	fx_advance(fx, 8 * FX_SEC);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0); /* traffic at 8 s */
	fx_advance(fx, 4 * FX_SEC);
	fx_expect_none(fx); /* not at 10 s */
	assert_int_equal(fx_next_timer(fx), t0 + 18 * FX_SEC);
	fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
}

static void test_timers_keepalive_not_with_data_outstanding_must_26(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1);
	fx_setopt(fx, fx->fd, REF_TCP_USER_TIMEOUT, 1000 * 1000);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_skip(fx);
	while (fx->now < FX_T0 + 60 * FX_SEC) {
		fx_next_timer(fx);
		while (fx_pending(fx)) {
			assert_int_not_equal(fx->out[fx->next].rule, REF_R_KEEPALIVE_PROBE);
			fx->next++;
		}
	}
}

static void test_timers_keepalive_switched_per_connection_must_24(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 0);
	fx_advance(fx, 100 * FX_SEC);
	fx_expect_none(fx);
	assert_int_equal(fx_getopt(fx, fx->lfd, REF_SO_KEEPALIVE), 0);
}

static void test_timers_keepalive_garbage_octet_may_6(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_setopt(fx, fx->fd, REF_TCP_KEEPIDLE, 10);
	fx_setopt(fx, fx->fd, REF_SO_KEEPALIVE, 1);
	fx_next_timer(fx);
	fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 1);
}

static void test_timers_keepalive_inherited_from_listener(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_listen(fx, 4);
	fx_setopt(fx, fx->lfd, REF_SO_KEEPALIVE, 1);
	fx_setopt(fx, fx->lfd, REF_TCP_KEEPIDLE, 30);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	fx->iss = fx->out[0].seg.seq;
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	t0 = fx->now;
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_KEEPALIVE), 1);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_KEEPIDLE), 30);
	assert_int_equal(fx_next_timer(fx), t0 + 30 * FX_SEC);
	fx_expect(fx, SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
}

/* ---- the time model ----------------------------------------------------------------------------- */

static void test_timers_fire_at_their_own_deadlines(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	assert_int_equal(fx_write(fx, 10), 10);
	fx_skip(fx);
	fx_advance(fx, 10 * FX_SEC); /* one call, three timeouts */
	assert_int_equal(fx_pending(fx), 3);
	assert_int_equal(fx->out[fx->next].time, t0 + 1 * FX_SEC);
	assert_int_equal(fx->out[fx->next + 1].time, t0 + 3 * FX_SEC);
	assert_int_equal(fx->out[fx->next + 2].time, t0 + 7 * FX_SEC);
	assert_int_equal(ref_stack_now(fx->st), t0 + 10 * FX_SEC);
}

static void test_timers_input_fires_due_timers_first(void **state)
{
	struct fx *fx = *state;
	uint64_t t0;

	fx_established(fx);
	t0 = fx->now;
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	fx->now += 300 * FX_MS; /* past the delayed-ACK deadline, no advance() */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 11), fx_s(fx, 1), 10);
	assert_int_equal(fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0)->time,
			 t0 + 200 * FX_MS);
	fx_expect_none(fx);
}

static void test_timers_time_never_goes_back(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx->now -= 5 * FX_MS;
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	assert_int_equal(ref_stack_now(fx->st), fx->now + 5 * FX_MS);
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 5 * FX_MS + 200 * FX_MS);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_timers_rto_retransmits_earliest_segment_must_18, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_rto_backoff_doubles_must_19, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_rto_capped_at_maximum, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_rtt_estimator_rfc6298_worked_example, setup_fine_rto, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_rto_rounded_up_to_one_second, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_karn_no_sample_from_retransmission_must_18, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_rto_stopped_when_all_acknowledged, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_rto_restarted_on_new_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_go_back_after_timeout, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_data_gives_up_after_r2_must_20, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_user_timeout_sets_r2_for_data_must_21, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_r1_reported_to_user_shld_9, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_progress_resets_r2, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_off_by_default_must_25, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_after_two_hours_must_28_shld_12, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_idle_configurable_must_27, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_one_lost_probe_not_fatal_must_29, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_answered_keeps_connection, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_only_when_idle_must_26, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_not_with_data_outstanding_must_26, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_switched_per_connection_must_24, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_garbage_octet_may_6, setup_garbage, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_keepalive_inherited_from_listener, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_fire_at_their_own_deadlines, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_input_fires_due_timers_first, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_timers_time_never_goes_back, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
