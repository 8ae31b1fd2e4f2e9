/* Reference stack: rule tags. Every decision the stack takes — a segment
 * sent, a segment dropped, a state entered, data held — names the rule
 * that made it; the differ quotes it. These tests pin the tags of the
 * decisions the per-state tests do not already check. */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void no_delack(struct ref_stack_config *c) { c->profile.delack_time = 0; }

static void two_slots(struct ref_stack_config *c) { c->max_sockets = 2; }

static void tiny_out(struct ref_stack_config *c) { c->out_queue_len = 1; }

static int setup_no_delack(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, no_delack);
	return 0;
}

/* The state-change event into `to`, with its rule. */
static enum ref_rule rule_into(struct fx *fx, enum ref_state to)
{
	struct ref_event ev;
	enum ref_rule r = REF_R_COUNT;

	while (ref_stack_pop_event(fx->st, &ev))
		if (ev.kind == REF_EV_STATE && ev.to == to)
			r = ev.rule;
	return r;
}

static void test_rules_fin_state_changes(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_events_clear(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_int_equal(rule_into(fx, REF_CLOSE_WAIT), REF_R_FIN_CLOSE_WAIT);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	assert_int_equal(rule_into(fx, REF_LAST_ACK), REF_R_USER_CLOSE);
}

static void test_rules_fin_closing_and_time_wait(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_1(fx);
	fx_events_clear(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_int_equal(rule_into(fx, REF_CLOSING), REF_R_FIN_CLOSING);
	fx_free(fx);
	*state = fx = fx_new();
	fx_fin_wait_2(fx);
	fx_events_clear(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 2), 0);
	assert_int_equal(rule_into(fx, REF_TIME_WAIT), REF_R_FIN_TIME_WAIT);
}

static void test_rules_connect_and_accept_notes(void **state)
{
	struct fx *fx = *state;

	fx_established_active(fx);
	assert_true(fx_event_seen(fx, REF_R_CONNECTED));
	fx_free(fx);
	*state = fx = fx_new();
	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_true(fx_event_seen(fx, REF_R_ACCEPTED));
}

static void test_rules_ack_advance_is_last_rule(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 11), 0);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_ADVANCE);
}

static void test_rules_every_segment_acked_without_delay(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0);
	assert_int_equal(o->rule, REF_R_ACK_TEXT);
}

static void test_rules_out_of_order_text_noted(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 100), fx_s(fx, 1), 10);
	assert_true(fx_event_seen(fx, REF_R_TEXT_OUT_OF_ORDER));
}

static void test_rules_nagle_and_sws_holds_noted(void **state)
{
	struct fx *fx = *state;
	struct seg g;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_events_clear(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	assert_true(fx_event_seen(fx, REF_R_NAGLE_HOLD));
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 11));
	g.wnd = 5;
	fx_in(fx, &g); /* the first 10 acknowledged, a 5-octet window */
	fx_skip(fx);
	fx_events_clear(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	assert_true(fx_event_seen(fx, REF_R_SWS_HOLD));
}

static void test_rules_linger_zero_and_syn_sent_close(void **state)
{
	struct fx *fx = *state;
	struct ref_linger l = {1, 0};

	fx_established(fx);
	ref_setsockopt(fx->st, fx->fd, REF_SO_LINGER, &l, sizeof(l), fx->now);
	ref_close(fx->st, fx->fd, fx->now);
	fx_collect(fx);
	assert_int_equal(fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0)->rule, REF_R_CLOSE_LINGER_ZERO);
	fx_free(fx);
	*state = fx = fx_new();
	fx_syn_sent(fx);
	ref_close(fx->st, fx->fd, fx->now);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_CLOSE_SYN_SENT);
}

static void test_rules_shutdown_read_noted(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	ref_shutdown(fx->st, fx->fd, REF_SHUT_RD, fx->now);
	assert_true(fx_event_seen(fx, REF_R_USER_SHUTDOWN_READ));
}

static void test_rules_pmtu_noted(void **state)
{
	struct fx *fx = *state;
	struct seg_icmp m;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 4, 1200, &fx->out[fx->nout - 1].seg);
	ref_stack_input_icmp(fx->st, &m, fx->now);
	assert_true(fx_event_seen(fx, REF_R_ICMP_PMTU));
}

static void test_rules_no_room_for_connection(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, two_slots);

	(void)state;
	fx_syn_received_passive(fx); /* the listener and one child */
	fx->pport++;
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_LISTEN_NO_RESOURCES);
	fx_free(fx);
}

static void test_rules_output_queue_full_noted(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, tiny_out);
	struct seg g = fx_seg(fx, SEG_SYN, 1, 0);

	(void)state;
	ref_stack_input(fx->st, &g, fx->now);
	ref_stack_input(fx->st, &g, fx->now);
	assert_true(fx_event_seen(fx, REF_R_OUTPUT_QUEUE_FULL));
	fx_free(fx);
}

static void test_rules_ip_fragment_dropped(void **state)
{
	struct fx *fx = *state;
	struct seg g = fx_seg(fx, SEG_SYN, 1, 0);
	uint8_t buf[256];
	size_t n;

	g.wire.ip_frag = 0x2000; /* more fragments */
	assert_int_equal(seg_encode(&g, buf, sizeof(buf), &n), 0);
	assert_int_equal(ref_stack_input_packet(fx->st, buf, n, fx->now), 0);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_IP_FRAGMENT);
}

static void test_rules_every_emitted_segment_is_tagged(void **state)
{
	struct fx *fx = *state;
	unsigned i;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 5000), 5000);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1461), 300);
	fx_advance(fx, 3 * FX_SEC);
	fx_in_data(fx, SEG_RST, fx_p(fx, 5000), 0, 0);
	ref_close(fx->st, fx->fd, fx->now);
	fx_collect(fx);
	for (i = 0; i < fx->nout; i++) {
		assert_int_not_equal(fx->out[i].rule, REF_R_NONE);
		assert_true(fx->out[i].rule < REF_R_COUNT);
		assert_non_null(ref_rule_info(fx->out[i].rule)->section);
	}
	assert_true(fx->nout >= 6);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_rules_fin_state_changes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_fin_closing_and_time_wait, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_connect_and_accept_notes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_ack_advance_is_last_rule, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_every_segment_acked_without_delay, setup_no_delack, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_out_of_order_text_noted, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_nagle_and_sws_holds_noted, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_linger_zero_and_syn_sent_close, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_shutdown_read_noted, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_pmtu_noted, fx_setup, fx_teardown),
	cmocka_unit_test(test_rules_no_room_for_connection),
	cmocka_unit_test(test_rules_output_queue_full_noted),
	cmocka_unit_test_setup_teardown(test_rules_ip_fragment_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_rules_every_emitted_segment_is_tagged, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
