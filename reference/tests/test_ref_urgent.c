/* Reference stack: the urgent mechanism (RFC 9293 §3.8.5, MUST-30..33,
 * MUST-62, MUST-66) with the BSD socket reading of RFC 6093: the urgent
 * octet is read with MSG_OOB, reads stop at the mark, SIOCATMARK. */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void small_rcvbuf(struct ref_stack_config *c) { c->profile.rcv_buf = 4000; }

static int setup_small_rcvbuf(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, small_rcvbuf);
	return 0;
}

static long send_oob(struct fx *fx, const char *data, size_t len)
{
	long rc = ref_send(fx->st, fx->fd, data, len, REF_MSG_OOB, fx->now);

	fx_collect(fx);
	return rc;
}

/* The peer sends `len` bytes at rel with URG and pointer `urp`. */
static void urg_in(struct fx *fx, uint32_t rel, const char *data, size_t len, uint16_t urp)
{
	struct seg g = fx_seg(fx, SEG_ACK | SEG_URG | SEG_PSH, fx_p(fx, rel), fx_s(fx, 1));

	g.urp = urp;
	fx_payload(&g, data, len);
	fx_in(fx, &g);
}

/* ---- sending ------------------------------------------------------------------------------------ */

static void test_urgent_send_pointer_after_last_octet_must_62(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(send_oob(fx, "hello", 5), 5);
	o = fx_expect(fx, SEG_ACK | SEG_PSH | SEG_URG, fx_s(fx, 1), fx_p(fx, 1), 5);
	assert_int_equal(o->seg.urp, 5); /* SEG.SEQ + 5: the octet after the urgent data */
	assert_int_equal(fx_conn(fx)->tcb.snd_up, fx_s(fx, 6));
}

static void test_urgent_pointer_repeated_until_reached_must_30(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;
	static char big[3000];

	fx_established(fx);
	memset(big, 'x', sizeof(big));
	assert_int_equal(send_oob(fx, big, sizeof(big)), 3000);
	o = fx_expect(fx, SEG_ACK | SEG_URG, fx_s(fx, 1), fx_p(fx, 1), 1460);
	assert_int_equal(o->seg.urp, 3000);
	o = fx_expect(fx, SEG_ACK | SEG_URG, fx_s(fx, 1461), fx_p(fx, 1), 1460);
	assert_int_equal(o->seg.urp, 1540);
	o = fx_expect(fx, SEG_ACK | SEG_URG | SEG_PSH, fx_s(fx, 2921), fx_p(fx, 1), 80);
	assert_int_equal(o->seg.urp, 80); /* urgent data bypasses Nagle */
	assert_int_equal(o->rule, REF_R_SEND_URGENT);
}

static void test_urgent_mode_ends_when_acknowledged(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(send_oob(fx, "!", 1), 1);
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	assert_false(fx_conn(fx)->tcb.snd_urgent);
	assert_int_equal(fx_write(fx, 3), 3);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 2), fx_p(fx, 1), 3);
}

static void test_urgent_pointer_on_ack_while_window_closed(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	const struct fx_out *o;

	fx_established(fx);
	fx->pwnd = 0;
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1));
	fx_in(fx, &g);
	assert_int_equal(send_oob(fx, "!", 1), 1);
	fx_expect_none(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10); /* our ACK tells of urgency */
	fx_advance(fx, 200 * FX_MS);
	o = fx_expect(fx, SEG_ACK | SEG_URG, fx_s(fx, 1), fx_p(fx, 11), 0);
	assert_int_equal(o->seg.urp, 1);
}

/* ---- receiving ------------------------------------------------------------------------------------- */

static void test_urgent_receive_signals_user_must_32(void **state)
{
	struct fx *fx = *state;
	char buf[8];

	fx_established(fx);
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLPRI, 0);
	urg_in(fx, 1, "abcde", 5, 3); /* urgent data: "abc", the urgent octet 'c' */
	assert_true(fx_event_seen(fx, REF_R_URG_RECEIVED));
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLPRI);
	assert_int_equal(ref_sockatmark(fx->st, fx->fd), 0);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 2); /* stops at the mark */
	assert_memory_equal(buf, "ab", 2);
	assert_int_equal(ref_sockatmark(fx->st, fx->fd), 1); /* MUST-33 */
	assert_int_equal(fx_read(fx, buf, 1, REF_MSG_OOB), 1);
	assert_int_equal(buf[0], 'c');
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLPRI, 0);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 2); /* the octet is not inline */
	assert_memory_equal(buf, "de", 2);
	assert_int_equal(ref_sockatmark(fx->st, fx->fd), 0);
}

static void test_urgent_octet_skipped_if_not_read_oob(void **state)
{
	struct fx *fx = *state;
	char buf[8];

	fx_established(fx);
	urg_in(fx, 1, "abcde", 5, 1); /* the urgent octet is 'a', at the mark already */
	assert_int_equal(ref_sockatmark(fx->st, fx->fd), 1);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 4);
	assert_memory_equal(buf, "bcde", 4);
	assert_int_equal(fx_read(fx, buf, 1, REF_MSG_OOB), -EINVAL); /* gone */
}

static void test_urgent_data_of_any_length_must_31(void **state)
{
	struct fx *fx = *state;
	char buf[8];

	fx_established(fx);
	urg_in(fx, 1, "abcde", 5, 5000); /* the pointer is far beyond this segment */
	assert_true(fx_event_seen(fx, REF_R_URG_RECEIVED));
	assert_int_equal(fx_read(fx, buf, 1, REF_MSG_OOB), -EAGAIN); /* not here yet */
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLPRI, 0);
	assert_int_equal(fx_conn(fx)->tcb.rcv_up, fx_p(fx, 5001));
	fx_in_data(fx, SEG_ACK, fx_p(fx, 4991), fx_s(fx, 1), 20); /* out of order */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 6), fx_s(fx, 1), 4985);  /* fills the gap */
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLPRI);
	assert_int_equal(fx_read(fx, buf, 1, REF_MSG_OOB), 1);
	assert_int_equal(buf[0], (char)('a' + 4999 % 26));
}

static void test_urgent_oobinline_keeps_octet_in_stream(void **state)
{
	struct fx *fx = *state;
	char buf[8];

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_SO_OOBINLINE, 1), 0);
	urg_in(fx, 1, "abcde", 5, 3);
	assert_int_equal(fx_read(fx, buf, 1, REF_MSG_OOB), -EINVAL);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 2);
	assert_int_equal(ref_sockatmark(fx->st, fx->fd), 1);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "cde", 3);
}

static void test_urgent_recv_oob_without_urgent_data_einval(void **state)
{
	struct fx *fx = *state;
	char c;

	fx_established(fx);
	assert_int_equal(fx_read(fx, &c, 1, REF_MSG_OOB), -EINVAL);
	urg_in(fx, 1, "ab", 2, 2);
	assert_int_equal(fx_read(fx, &c, 1, REF_MSG_OOB | REF_MSG_PEEK), 1);
	assert_int_equal(fx_read(fx, &c, 1, REF_MSG_OOB), 1);
	assert_int_equal(fx_read(fx, &c, 1, REF_MSG_OOB), -EINVAL); /* read once */
}

static void test_urgent_pointer_does_not_recede(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	urg_in(fx, 1, "abcde", 5, 4);
	fx_events_clear(fx);
	urg_in(fx, 6, "fghij", 5, 0); /* no pointer: ignored */
	urg_in(fx, 1, "abcde", 5, 2); /* an older pointer (retransmission) */
	assert_false(fx_event_seen(fx, REF_R_URG_RECEIVED));
	assert_int_equal(fx_conn(fx)->tcb.rcv_up, fx_p(fx, 5));
	urg_in(fx, 11, "klmno", 5, 3); /* a newer one: signalled again (MUST-32) */
	assert_true(fx_event_seen(fx, REF_R_URG_RECEIVED));
	assert_int_equal(fx_conn(fx)->tcb.rcv_up, fx_p(fx, 14));
}

static void test_urgent_processed_with_zero_window_must_66(void **state)
{
	struct fx *fx = *state;
	char c;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1461), fx_s(fx, 1), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2921), fx_s(fx, 1), 1080);
	fx_advance(fx, 200 * FX_MS);
	fx_skip(fx);
	fx_events_clear(fx);
	urg_in(fx, 4001, "zz", 2, 2); /* window zero: the text is refused, URG is not */
	assert_true(fx_event_seen(fx, REF_R_URG_RECEIVED));
	assert_int_equal(fx_conn(fx)->tcb.rcv_up, fx_p(fx, 4003));
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 4001), 0);
	assert_int_equal(fx_read(fx, &c, 1, REF_MSG_OOB), -EAGAIN);
}

static void test_urgent_ignored_after_fin(void **state)
{
	struct fx *fx = *state;

	fx_close_wait(fx);
	urg_in(fx, 2, "ab", 2, 1);
	assert_true(fx_event_seen(fx, REF_R_URG_IGNORED));
	assert_int_equal(ref_sockatmark(fx->st, fx->fd), 0);
}

static void test_urgent_atmark_on_listener_einval(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 1);
	assert_int_equal(ref_sockatmark(fx->st, fx->lfd), -EINVAL);
	assert_int_equal(ref_sockatmark(fx->st, 99), -EBADF);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_urgent_send_pointer_after_last_octet_must_62, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_pointer_repeated_until_reached_must_30, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_mode_ends_when_acknowledged, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_pointer_on_ack_while_window_closed, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_receive_signals_user_must_32, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_octet_skipped_if_not_read_oob, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_data_of_any_length_must_31, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_oobinline_keeps_octet_in_stream, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_recv_oob_without_urgent_data_einval, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_pointer_does_not_recede, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_processed_with_zero_window_must_66, setup_small_rcvbuf, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_ignored_after_fin, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_urgent_atmark_on_listener_einval, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
