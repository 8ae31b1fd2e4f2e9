/* Reference stack: the active OPEN, SYN-SENT (§3.10.7.3), simultaneous open
 * and the active half of SYN-RECEIVED (MUST-10, MUST-11), SYN
 * retransmission (MUST-22, MUST-23), the connect() rules (MUST-44..46). */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

static void test_syn_sent_connect_sends_syn_with_mss_must_14(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_sent(fx);
	o = &fx->out[0];
	assert_int_equal(o->seg.wnd, 65535);
	assert_int_equal(fx_out_mss(o), 1460);
	assert_int_equal(o->seg.dport, FX_PPORT);
	assert_true(o->seg.sport >= 40000 && o->seg.sport <= 59999);
	assert_int_equal(o->fd, fx->fd);
	assert_true(o->seg.df);
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLOUT, 0);
	fx_expect_none(fx);
}

static void test_syn_sent_syn_ack_establishes_and_acks(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;
	size_t len = sizeof(int);
	int err = -1;

	fx_established_active(fx);
	assert_int_equal(fx->out[1].rule, REF_R_SYN_SENT_ESTABLISHED);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLOUT);
	assert_int_equal(ref_getsockopt(fx->st, fx->fd, REF_SO_ERROR, &err, &len), 0);
	assert_int_equal(err, 0);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.snd_una, fx_s(fx, 1));
	assert_int_equal(info.rcv_nxt, fx_p(fx, 1));
	assert_int_equal(info.snd_wnd, 65535);
	assert_int_equal(info.srtt, 10 * FX_MS);
	assert_int_equal(ref_connect(fx->st, fx->fd, &(struct ref_sockaddr){0}, fx->now), -EAFNOSUPPORT);
}

static void test_syn_sent_unacceptable_ack_draws_rst(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), fx_s(fx, 0), 0); /* SEG.ACK =< ISS */
	o = fx_expect(fx, SEG_RST, fx_s(fx, 0), 0, 0);
	assert_int_equal(o->rule, REF_R_SYN_SENT_RST_FOR_BAD_ACK);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 0), fx_s(fx, 2), 0); /* SEG.ACK > SND.NXT */
	fx_expect(fx, SEG_RST, fx_s(fx, 2), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
}

static void test_syn_sent_rst_with_unacceptable_ack_dropped(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 0), fx_s(fx, 5), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SYN_SENT_DROP_RST_BAD_ACK);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
}

static void bad_ack_rtx_2ms(struct ref_stack_config *c)
{
	c->profile.syn_sent_bad_ack_retransmit = 2 * FX_MS;
}

/* Profile syn_sent_bad_ack_retransmit (Linux tcp_rcv_synsent_state_process):
 * the RST is dropped and the SYN retransmitted 2 ms later, once; the next
 * retransmission follows the doubled RTO. */
static void test_syn_sent_bad_ack_retransmits_soon_profile(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, bad_ack_rtx_2ms);
	const struct fx_out *o;

	(void)state;
	fx_syn_sent(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 0), fx_s(fx, 5), 0);
	assert_true(fx_event_seen(fx, REF_R_SYN_SENT_BAD_ACK_RETRANSMIT));
	fx_expect_none(fx);
	fx_advance(fx, 2 * FX_MS);
	o = fx_expect(fx, SEG_SYN, fx_s(fx, 0), 0, 0);
	assert_int_equal(o->rule, REF_R_RTX_SYN);
	fx_events_clear(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 0), fx_s(fx, 5), 0); /* not again */
	assert_false(fx_event_seen(fx, REF_R_SYN_SENT_BAD_ACK_RETRANSMIT));
	fx_advance(fx, 1900 * FX_MS);
	fx_expect_none(fx);
	fx_advance(fx, 100 * FX_MS);
	fx_expect(fx, SEG_SYN, fx_s(fx, 0), 0, 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
	fx_free(fx);
}

static void test_syn_sent_rst_without_acceptable_ack_ignored(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 0), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SYN_SENT_DROP_RST_NO_ACK);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
}

static void test_syn_sent_rst_with_acceptable_ack_refused(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, 12345, fx_s(fx, 1), 0); /* SEQ is not checked */
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SYN_SENT_RST_REFUSED);
	assert_int_equal(ref_poll(fx->st, fx->fd),
			 REF_POLLERR | REF_POLLHUP | REF_POLLIN | REF_POLLRDHUP | REF_POLLOUT);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -ECONNREFUSED);
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLERR, 0);
	/* The nothing-left-to-say state: reads see EOF. */
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
}

static void test_syn_sent_refused_reported_by_so_error(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, 0, fx_s(fx, 1), 0);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ECONNREFUSED);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), 0);
}

static void test_syn_sent_ack_without_syn_dropped(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SYN_SENT_DROP_NO_SYN);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
}

static void test_syn_sent_simultaneous_open_must_10(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_received_active(fx);
	o = &fx->out[1];
	assert_int_equal(o->rule, REF_R_SYN_SENT_SIMULTANEOUS_OPEN);
	assert_int_equal(fx_out_mss(o), 1460);
	assert_int_equal(fx_conn(fx)->tcb.passive, 0); /* MUST-11 */
	/* The peer's SYN,ACK: its SYN is old news (Table 6): an ACK. */
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	/* The peer's ACK of our SYN: ESTABLISHED, connect() completes. */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLOUT);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), 0);
}

static void test_syn_received_active_rst_refused_must_11(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_active(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 1), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_SYN_RCVD_ACTIVE);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ECONNREFUSED);
}

static void test_syn_received_active_syn_draws_challenge_ack(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_active(fx);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 100), 0, 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

static void test_syn_received_active_retransmits_syn_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_received_active(fx);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_RTX_SYN);
}

static void test_syn_sent_syn_retransmission_backoff_must_22(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_sent(fx);
	assert_int_equal(fx_next_timer(fx), FX_T0 + 1 * FX_SEC);
	o = fx_expect(fx, SEG_SYN, fx_s(fx, 0), 0, 0);
	assert_int_equal(o->rule, REF_R_RTX_SYN);
	assert_int_equal(o->time, FX_T0 + 1 * FX_SEC);
	assert_int_equal(fx_next_timer(fx), FX_T0 + 3 * FX_SEC);
	fx_expect(fx, SEG_SYN, fx_s(fx, 0), 0, 0);
	assert_int_equal(fx_next_timer(fx), FX_T0 + 7 * FX_SEC);
	fx_expect(fx, SEG_SYN, fx_s(fx, 0), 0, 0);
	fx_expect_none(fx);
}

static void test_syn_sent_gives_up_after_three_minutes_must_23(void **state)
{
	struct fx *fx = *state;
	unsigned syns = 0;

	fx_syn_sent(fx);
	while (ref_sock_state(fx->st, fx->fd) == REF_SYN_SENT) {
		fx_next_timer(fx);
		syns += fx_pending(fx);
		fx_skip(fx);
	}
	assert_int_equal(fx->now, FX_T0 + 180 * FX_SEC); /* R2 for SYNs: 3 minutes */
	assert_int_equal(syns, 7);                          /* 1 3 7 15 31 63 123 s */
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RTX_R2);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ETIMEDOUT);
}

static void test_syn_sent_r1_reported_shld_9(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	fx_next_timer(fx);
	fx_next_timer(fx);
	fx_next_timer(fx);
	assert_false(fx_event_seen(fx, REF_R_RTX_R1));
	fx_next_timer(fx); /* the fourth timeout: 3 retransmissions done */
	assert_true(fx_event_seen(fx, REF_R_RTX_R1));
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
}

static void test_syn_sent_user_timeout_sets_r2_must_21(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx->fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_USER_TIMEOUT, 5000), 0);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_USER_TIMEOUT), 5000);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	fx_skip(fx);
	fx_next_timer(fx); /* 1 s */
	fx_next_timer(fx); /* 3 s */
	fx_next_timer(fx); /* 5 s: R2 */
	assert_int_equal(fx->now, FX_T0 + 5 * FX_SEC);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ETIMEDOUT);
}

static void test_syn_sent_rto_three_seconds_after_lost_syn(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_syn_sent(fx);
	fx_next_timer(fx);
	fx_skip(fx);
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.state, REF_ESTABLISHED);
	assert_int_equal(info.rto, 3 * FX_SEC); /* RFC 6298 (5.7) */
	assert_int_equal(info.srtt, 0);         /* Karn: the SYN was retransmitted */
}

static void test_syn_sent_syn_ack_with_text_delivered(void **state)
{
	struct fx *fx = *state;
	char buf[8];

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_SYN | SEG_ACK | SEG_PSH, fx_p(fx, 0), fx_s(fx, 1), 5);
	/* One ACK covers the SYN and the text (MUST-58). */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 6), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 5);
}

static void test_syn_sent_syn_ack_with_fin_close_wait(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_SYN | SEG_ACK | SEG_FIN, fx_p(fx, 0), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSE_WAIT);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
}

static void test_connect_to_broadcast_or_multicast_refused_must_46(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	static const uint8_t bad[][4] = {{255, 255, 255, 255}, {192, 0, 2, 255}, {224, 0, 0, 9},
					 {0, 0, 0, 0}};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(peer.addr, bad[i], 4);
		assert_int_equal(ref_connect(fx->st, fd, &peer, fx->now), -ENETUNREACH);
	}
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fd), REF_CLOSED);
}

static void test_connect_chooses_local_address_must_44_keeps_it_must_45(void **state)
{
	struct fx *fx = *state;
	unsigned i;

	fx_established_active(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 1), fx_s(fx, 101), 0);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	for (i = 0; i < fx->nout; i++) {
		assert_memory_equal(fx->out[i].seg.src, fx->laddr, 4);
		assert_int_equal(fx->out[i].seg.sport, fx->lport);
	}
	assert_true(fx->nout >= 4);
}

static void test_connect_bound_address_used_must_43(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr me = fx_local_addr(fx, 1234), peer = fx_peer_addr(fx);
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now);

	assert_int_equal(ref_bind(fx->st, fd, &me, fx->now), 0);
	assert_int_equal(ref_connect(fx->st, fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	assert_int_equal(fx->out[0].seg.sport, 1234);
	assert_memory_equal(fx->out[0].seg.src, fx->laddr, 4);
	assert_int_equal(ref_getsockname(fx->st, fd, &me), 0);
	assert_int_equal(me.port, 1234);
}

static void test_syn_sent_close_deletes_tcb_silently(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	assert_int_equal(ref_close(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_stack_next_deadline(fx->st), UINT64_MAX);
	/* A late SYN,ACK finds no connection. */
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
}

static void test_connect_twice_ealready_then_eisconn(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx_syn_sent(fx);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EALREADY);
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), fx_s(fx, 1), 0);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EISCONN);
}

static void test_syn_sent_send_would_block(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	assert_int_equal(fx_write(fx, 10), -EAGAIN);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -EAGAIN);
	fx_expect_none(fx);
}

static void test_syn_sent_maxseg_lowers_advertised_mss(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx->fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_MAXSEG, 1000), 0);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	assert_int_equal(fx_out_mss(&fx->out[0]), 1000);
}

static void test_syn_sent_ttl_and_diffserv_set_must_48_must_49(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx->fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IP_TTL, 7), 0);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IP_TOS, 0xb8), 0);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IPV6_TCLASS, 1), -ENOPROTOOPT);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	assert_int_equal(fx->out[0].seg.ttl, 7);
	assert_int_equal(fx->out[0].seg.tos, 0xb8);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_IP_TTL), 7);
}

static void test_syn_sent_ipv6(void **state)
{
	struct fx *fx = *state;

	fx_established_active(fx);
	assert_int_equal(fx->out[0].seg.family, SEG_IPV6);
	assert_int_equal(fx_out_mss(&fx->out[0]), 1440);
	assert_memory_equal(fx->out[0].seg.src, fx->laddr, 16);
}

static void test_syn_sent_ipv6_hop_limit_and_tclass_must_48_must_49(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx->fd = ref_socket(fx->st, SEG_IPV6, fx->now);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IPV6_UNICAST_HOPS, 3), 0);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IPV6_TCLASS, 0x28), 0);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IP_TTL, 3), -ENOPROTOOPT);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	assert_int_equal(fx->out[0].seg.ttl, 3);
	assert_int_equal(fx->out[0].seg.tos, 0x28);
}

static void test_syn_sent_peer_mss_absent_uses_default_must_15(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx->peer_mss = 0;
	fx_established_active(fx);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.eff_mss, 536);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_MAXSEG), 536);
}

static void test_syn_sent_connect_after_refusal_starts_again(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer = fx_peer_addr(fx);

	fx_syn_sent(fx);
	fx_in_data(fx, SEG_RST | SEG_ACK, 0, fx_s(fx, 1), 0);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -ECONNREFUSED);
	fx->now += FX_SEC;
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	assert_int_equal(fx->out[fx->next].seg.flags, SEG_SYN);
	assert_int_not_equal(fx->out[fx->next].seg.seq, fx->iss); /* a later ISN */
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_syn_sent_connect_sends_syn_with_mss_must_14, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_syn_ack_establishes_and_acks, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_unacceptable_ack_draws_rst, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_rst_with_unacceptable_ack_dropped, fx_setup, fx_teardown),
	cmocka_unit_test(test_syn_sent_bad_ack_retransmits_soon_profile),
	cmocka_unit_test_setup_teardown(test_syn_sent_rst_without_acceptable_ack_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_rst_with_acceptable_ack_refused, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_refused_reported_by_so_error, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_ack_without_syn_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_simultaneous_open_must_10, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_active_rst_refused_must_11, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_active_syn_draws_challenge_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_active_retransmits_syn_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_syn_retransmission_backoff_must_22, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_gives_up_after_three_minutes_must_23, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_r1_reported_shld_9, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_user_timeout_sets_r2_must_21, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_rto_three_seconds_after_lost_syn, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_syn_ack_with_text_delivered, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_syn_ack_with_fin_close_wait, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_connect_to_broadcast_or_multicast_refused_must_46, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_connect_chooses_local_address_must_44_keeps_it_must_45, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_connect_bound_address_used_must_43, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_close_deletes_tcb_silently, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_connect_twice_ealready_then_eisconn, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_send_would_block, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_maxseg_lowers_advertised_mss, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_ttl_and_diffserv_set_must_48_must_49, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_ipv6, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_ipv6_hop_limit_and_tclass_must_48_must_49, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_peer_mss_absent_uses_default_must_15, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_sent_connect_after_refusal_starts_again, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
