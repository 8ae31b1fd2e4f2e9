/* Reference stack: closing — FIN-WAIT-1, FIN-WAIT-2, CLOSE-WAIT, CLOSING,
 * LAST-ACK, TIME-WAIT (RFC 9293 §3.6, §3.10.4, §3.10.5, §3.10.7.4),
 * half-close, simultaneous close, close() and abort. */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void rfc1337(struct ref_stack_config *c) { c->profile.rst_in_time_wait_closes = false; }

static void fw2_timeout(struct ref_stack_config *c) { c->profile.fin_wait_2_timeout = 60000000; }

static int setup_fw2_timeout(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, fw2_timeout);
	return 0;
}

static int setup_rfc1337(void **state)
{
	*state = fx_new_cfg(SEG_IPV4, rfc1337);
	return 0;
}

/* ---- FIN-WAIT-1 ------------------------------------------------------------------------ */

static void test_fin_wait_1_fin_acked_enters_fin_wait_2(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_2(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_FIN_WAIT_1_FIN_ACKED);
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX); /* no FIN-WAIT-2 timer */
}

static void test_fin_wait_1_ack_not_covering_fin_stays(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_1(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_1);
}

static void test_fin_wait_1_peer_fin_enters_closing(void **state)
{
	struct fx *fx = *state;

	fx_closing(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_FIN);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
}

static void test_fin_wait_1_fin_with_ack_of_our_fin_enters_time_wait(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_1(fx);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
}

static void test_fin_wait_1_still_receives_half_close(void **state)
{
	struct fx *fx = *state;
	char buf[16];

	fx_fin_wait_1(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 2), 10);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_2);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 10);
	fx_advance(fx, 200 * FX_MS);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 11), 0);
}

static void test_fin_wait_1_fin_retransmitted_on_rto(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_fin_wait_1(fx);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_RTX_TIMEOUT);
	fx_next_timer(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(fx->now, FX_T0 + 10 * FX_MS + 3 * FX_SEC);
}

static void test_fin_wait_1_send_fails_epipe(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_1(fx);
	assert_int_equal(fx_write(fx, 5), -EPIPE);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLOUT);
}

static void test_fin_wait_1_rst_resets(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_1(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 1), 0, 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -ECONNRESET);
}

static void test_fin_follows_queued_data(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 1), 100);
	assert_int_equal(fx_write(fx, 50), 50); /* held by Nagle */
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx); /* the FIN waits behind the data */
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_1);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 101), 0);
	fx_expect(fx, SEG_FIN | SEG_ACK | SEG_PSH, fx_s(fx, 101), fx_p(fx, 1), 50);
	fx_expect_none(fx);
}

static void test_shutdown_twice_sends_one_fin(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_1(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_1);
}

/* ---- FIN-WAIT-2 -------------------------------------------------------------------------- */

static void test_fin_wait_2_fin_enters_time_wait_must_13(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_FIN);
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 240 * FX_SEC);
}

static void test_fin_wait_2_receives_data_half_close(void **state)
{
	struct fx *fx = *state;
	char buf[64];

	fx_fin_wait_2(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 1460);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1461), fx_s(fx, 2), 1460);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2921), 0);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 64);
}

static void test_fin_wait_2_lasts_without_timeout(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_2(fx);
	fx_advance(fx, 3600 * FX_SEC);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_2);
}

static void test_fin_wait_2_orphan_timeout_from_profile(void **state)
{
	struct fx *fx = *state;

	fx_fin_wait_2(fx);
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX); /* not orphaned yet */
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_advance(fx, 60 * FX_SEC);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_FIN_WAIT_2_TIMEOUT);
	fx_collect(fx);
	fx_expect_none(fx);
}

static void test_close_wait_second_fin_at_rcv_nxt_remains(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_close_wait(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 2), fx_s(fx, 1), 0); /* a bogus second FIN */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
	assert_int_equal(o->rule, REF_R_FIN_REMAIN);
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
}

static void fin_after_fin_on(struct ref_stack_config *c) { c->profile.fin_after_fin_ignored = true; }

/* Profile fin_after_fin_ignored (Linux, lwIP): the second FIN is ignored
 * in CLOSE-WAIT and LAST-ACK, without an ACK. */
static void test_second_fin_ignored_profile(void **state)
{
	static void (*const enter[])(struct fx *) = { fx_close_wait, fx_last_ack };
	static const enum ref_state stays[] = { REF_CLOSE_WAIT, REF_LAST_ACK };
	struct fx *fx;
	unsigned i;

	(void)state;
	for (i = 0; i < 2; i++) {
		fx = fx_new_cfg(SEG_IPV4, fin_after_fin_on);
		enter[i](fx);
		fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 2), fx_s(fx, 1), 0);
		assert_true(fx_event_seen(fx, REF_R_FIN_AFTER_FIN_IGNORED));
		fx_expect_none(fx);
		assert_int_equal(fx_state(fx), stays[i]);
		fx_free(fx);
	}
}

/* ---- CLOSE-WAIT ---------------------------------------------------------------------------- */

static void test_close_wait_read_returns_end_of_data_must_12(void **state)
{
	struct fx *fx = *state;
	char buf[16];

	fx_established(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 4);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 6), 0);
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_FIN);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLRDHUP);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 4);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 0);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 0);
}

static void test_close_wait_can_still_send(void **state)
{
	struct fx *fx = *state;

	fx_close_wait(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 1), fx_p(fx, 2), 10);
}

static void test_close_wait_text_after_fin_ignored(void **state)
{
	struct fx *fx = *state;

	fx_close_wait(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 1), 10);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_TEXT_IGNORED);
	assert_int_equal(fx_read(fx, (char[16]){0}, 16, 0), 0);
}

static void test_close_wait_retransmitted_fin_draws_ack(void **state)
{
	struct fx *fx = *state;

	fx_close_wait(fx);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
}

static void test_close_wait_rst_resets_epipe(void **state)
{
	struct fx *fx = *state;

	fx_close_wait(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 2), 0, 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0); /* the FIN came first */
	assert_int_equal(fx_write(fx, 4), -EPIPE);
}

static void test_close_wait_close_sends_fin_last_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_close_wait(fx);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
	assert_int_equal(o->rule, REF_R_SEND_FIN);
	assert_int_equal(fx_state(fx), REF_LAST_ACK);
}

/* ---- LAST-ACK -------------------------------------------------------------------------------- */

static void test_last_ack_fin_acked_closes(void **state)
{
	struct fx *fx = *state;

	fx_last_ack(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_LAST_ACK_FIN_ACKED);
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
}

static void test_last_ack_ack_not_covering_fin_stays(void **state)
{
	struct fx *fx = *state;

	fx_last_ack(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_LAST_ACK);
}

static void test_last_ack_fin_retransmitted(void **state)
{
	struct fx *fx = *state;

	fx_last_ack(fx);
	fx_next_timer(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
}

static void test_last_ack_rst_closes(void **state)
{
	struct fx *fx = *state;

	fx_last_ack(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 2), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_CLOSE);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), 0);
}

/* ---- CLOSING ---------------------------------------------------------------------------------- */

static void test_closing_fin_acked_enters_time_wait_must_13(void **state)
{
	struct fx *fx = *state;

	fx_closing(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_CLOSING_FIN_ACKED);
}

static void test_closing_ack_not_covering_fin_ignored(void **state)
{
	struct fx *fx = *state;

	fx_closing(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSING);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_CLOSING_IGNORE);
}

static void test_closing_rst_closes(void **state)
{
	struct fx *fx = *state;

	fx_closing(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 2), 0, 0);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static void test_simultaneous_close_full_exchange(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	/* The FINs cross (Figure 13). */
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	assert_int_equal(fx_state(fx), REF_CLOSING);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 2), 0);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fx_advance(fx, 240 * FX_SEC);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	fx_expect_none(fx);
}

/* ---- TIME-WAIT ------------------------------------------------------------------------------------ */

static void test_time_wait_lasts_two_msl_must_13(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	fx_advance(fx, 240 * FX_SEC - 1);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fx_advance(fx, 1);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_TIME_WAIT_EXPIRED);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
}

static void test_time_wait_retransmitted_fin_reacked_timer_restarted_must_13(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_time_wait(fx);
	fx_advance(fx, 100 * FX_SEC);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	assert_int_equal(o->rule, REF_R_TIME_WAIT_FIN_REACK);
	fx_advance(fx, 200 * FX_SEC); /* 300 s after entering: still there */
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fx_advance(fx, 40 * FX_SEC);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static void test_time_wait_text_acked_timer_restarted_3_10_7_4(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_time_wait(fx);
	fx_advance(fx, 100 * FX_SEC);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 2), fx_s(fx, 2), 10);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	assert_int_equal(o->rule, REF_R_TIME_WAIT_TEXT_ACK);
	fx_expect_none(fx);
	fx_advance(fx, 200 * FX_SEC); /* 300 s after entering: the timer restarted */
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fx_advance(fx, 40 * FX_SEC);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static void test_time_wait_bare_ack_not_acked(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
}

static void tw_ack_any(struct ref_stack_config *c) { c->profile.time_wait_ack_any = true; }

/* Profile time_wait_ack_any (Linux tcp_timewait_state_process): a bare ACK
 * in the window but not at RCV.NXT is acknowledged and restarts 2 MSL; one
 * exactly at RCV.NXT is not. */
static void test_time_wait_ack_any_profile(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, tw_ack_any);
	const struct fx_out *o;

	(void)state;
	fx_time_wait(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 2), 0);
	fx_expect_none(fx);
	fx_advance(fx, 100 * FX_SEC);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 102), fx_s(fx, 2), 0);
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	assert_int_equal(o->rule, REF_R_TIME_WAIT_ACK_ANY);
	fx_expect_none(fx);
	fx_advance(fx, 200 * FX_SEC); /* 300 s after entering: the timer restarted */
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fx_free(fx);
}

static void test_time_wait_syn_draws_challenge_ack(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 100000), 0, 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
}

static void test_time_wait_rst_closes(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 2), 0, 0);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_CLOSE);
}

static void test_time_wait_rst_ignored_with_rfc1337(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 2), 0, 0);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
}

static void test_time_wait_text_ignored(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_time_wait(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 2), fx_s(fx, 2), 10);
	/* Acknowledged (fifth check), but not delivered (seventh). */
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.rcv_queued, 0);
}

static void test_time_wait_blocks_reuse_of_four_tuple(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr me, peer = fx_peer_addr(fx);
	int fd;

	fx_established_active(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_SO_REUSEADDR, 1), 0);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(fx_setopt(fx, fd, REF_SO_REUSEADDR, 1), 0);
	me = fx_local_addr(fx, fx->lport);
	assert_int_equal(ref_bind(fx->st, fd, &me, fx->now), 0);
	assert_int_equal(ref_connect(fx->st, fd, &peer, fx->now), -EADDRNOTAVAIL);
	peer.port++;
	assert_int_equal(ref_connect(fx->st, fd, &peer, fx->now), -EINPROGRESS);
}

/* ---- close() and abort ------------------------------------------------------------------------------ */

static void test_close_with_unread_data_sends_rst_shld_3(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
	assert_int_equal(o->rule, REF_R_CLOSE_UNREAD_RST);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static void abort_rst_ack_on(struct ref_stack_config *c) { c->profile.abort_rst_ack = true; }

/* Profile abort_rst_ack (Linux tcp_send_active_reset, lwIP tcp_abandon):
 * the abort's RST carries ACK = RCV.NXT; the segment-drawn RST of text
 * after close does not. */
static void test_close_unread_rst_ack_profile(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, abort_rst_ack_on);
	const struct fx_out *o;

	(void)state;
	fx_established(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 10);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_RST | SEG_ACK, fx_s(fx, 1), fx_p(fx, 11), 0);
	assert_int_equal(o->rule, REF_R_CLOSE_UNREAD_RST);
	fx_expect_none(fx);
	fx_free(fx);
	fx = fx_new_cfg(SEG_IPV4, abort_rst_ack_on);
	fx_established(fx);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 10);
	o = fx_expect(fx, SEG_RST, fx_s(fx, 2), 0, 0);
	assert_int_equal(o->rule, REF_R_TEXT_AFTER_CLOSE_RST);
	fx_free(fx);
}

static void test_close_then_data_arrives_rst_shld_3(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 10); /* MAY-1: nobody can read it */
	o = fx_expect(fx, SEG_RST, fx_s(fx, 2), 0, 0);
	assert_int_equal(o->rule, REF_R_TEXT_AFTER_CLOSE_RST);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static void test_close_linger_zero_aborts_with_rst(void **state)
{
	struct fx *fx = *state;
	struct ref_linger l = {1, 0};

	fx_established(fx);
	assert_int_equal(ref_setsockopt(fx->st, fx->fd, REF_SO_LINGER, &l, sizeof(l), fx->now), 0);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
	fx_expect_none(fx);
}

static void test_close_orphan_completes_and_frees(void **state)
{
	struct fx *fx = *state;
	unsigned i, used = 0;

	fx_established(fx);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), -EBADF);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
	fx_advance(fx, 240 * FX_SEC);
	for (i = 0; i < fx->st->nsocks; i++)
		used += fx->st->socks[i].used;
	assert_int_equal(used, 1); /* only the listener */
}

static void test_abort_sends_rst_seq_snd_nxt(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	fx_skip(fx);
	assert_int_equal(ref_abort(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_RST, fx_s(fx, 11), 0, 0); /* <SEQ=SND.NXT><CTL=RST> */
	assert_int_equal(o->rule, REF_R_ABORT_RST);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_write(fx, 1), -EPIPE);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
}

static void test_abort_time_wait_is_silent(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	assert_int_equal(ref_abort(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ABORT_SILENT);
}

static void test_close_in_syn_received_active_fin_after_handshake(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_active(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_1);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0); /* our SYN acknowledged */
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_2);
}

static void test_shutdown_read_then_recv_returns_zero(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_RD, fx->now), 0);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLRDHUP);
	assert_int_equal(fx_write(fx, 3), 3); /* the other direction is open */
}

static void test_time_wait_ipv6(void **state)
{
	struct fx *fx = *state;

	fx_time_wait(fx);
	fx_advance(fx, 240 * FX_SEC);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_fin_wait_1_fin_acked_enters_fin_wait_2, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_ack_not_covering_fin_stays, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_peer_fin_enters_closing, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_fin_with_ack_of_our_fin_enters_time_wait, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_still_receives_half_close, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_fin_retransmitted_on_rto, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_send_fails_epipe, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_1_rst_resets, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_follows_queued_data, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shutdown_twice_sends_one_fin, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_2_fin_enters_time_wait_must_13, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_2_receives_data_half_close, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_2_lasts_without_timeout, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_fin_wait_2_orphan_timeout_from_profile, setup_fw2_timeout, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_wait_second_fin_at_rcv_nxt_remains, fx_setup, fx_teardown),
	cmocka_unit_test(test_second_fin_ignored_profile),
	cmocka_unit_test_setup_teardown(test_close_wait_read_returns_end_of_data_must_12, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_wait_can_still_send, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_wait_text_after_fin_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_wait_retransmitted_fin_draws_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_wait_rst_resets_epipe, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_wait_close_sends_fin_last_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_last_ack_fin_acked_closes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_last_ack_ack_not_covering_fin_stays, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_last_ack_fin_retransmitted, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_last_ack_rst_closes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closing_fin_acked_enters_time_wait_must_13, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closing_ack_not_covering_fin_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closing_rst_closes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_simultaneous_close_full_exchange, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_lasts_two_msl_must_13, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_retransmitted_fin_reacked_timer_restarted_must_13, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_text_acked_timer_restarted_3_10_7_4, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_bare_ack_not_acked, fx_setup, fx_teardown),
	cmocka_unit_test(test_time_wait_ack_any_profile),
	cmocka_unit_test_setup_teardown(test_time_wait_syn_draws_challenge_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_rst_closes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_rst_ignored_with_rfc1337, setup_rfc1337, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_text_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_blocks_reuse_of_four_tuple, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_with_unread_data_sends_rst_shld_3, fx_setup, fx_teardown),
	cmocka_unit_test(test_close_unread_rst_ack_profile),
	cmocka_unit_test_setup_teardown(test_close_then_data_arrives_rst_shld_3, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_linger_zero_aborts_with_rst, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_orphan_completes_and_frees, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_abort_sends_rst_seq_snd_nxt, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_abort_time_wait_is_silent, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_close_in_syn_received_active_fin_after_handshake, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shutdown_read_then_recv_returns_zero, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_time_wait_ipv6, fx_setup6, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
