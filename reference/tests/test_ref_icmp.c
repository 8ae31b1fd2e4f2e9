/* Reference stack: ICMP and ICMPv6 errors (RFC 9293 §3.9.2.2, MUST-47,
 * MUST-54..56, SHLD-25, SHLD-26; RFC 5927 §4.1; path MTU §3.7.2), and raw
 * packets through the codec (checksums MUST-3, malformed options MUST-7). */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

/* An ICMP error about the last segment the stack sent. */
static void icmp_about(struct fx *fx, enum seg_icmp_kind kind, uint8_t code, uint32_t mtu,
		       const struct seg *quoted)
{
	struct seg_icmp m;

	seg_icmp_init(&m, kind, code, mtu, quoted);
	assert_int_equal(ref_stack_input_icmp(fx->st, &m, fx->now), 0);
	fx_collect(fx);
}

static void test_icmp_source_quench_ignored_must_55(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	icmp_about(fx, SEG_ICMP_SOURCE_QUENCH, 0, 0, &fx->out[fx->nout - 1].seg);
	fx_skip(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ICMP_SOURCE_QUENCH);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_SOFT_ERROR), 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

static void test_icmp_soft_error_never_aborts_must_56(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	icmp_about(fx, SEG_ICMP_UNREACH, 0, 0, &fx->out[fx->nout - 1].seg); /* net unreachable */
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ICMP_SOFT);
	/* MUST-47 / SHLD-25: available to the user, without breaking the socket. */
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), 0);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_SOFT_ERROR), ENETUNREACH);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_SOFT_ERROR), 0);
}

static void test_icmp_soft_error_in_syn_sent_does_not_abort_must_56(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	icmp_about(fx, SEG_ICMP_UNREACH, 1, 0, &fx->out[0].seg); /* host unreachable */
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
	while (ref_sock_state(fx->st, fx->fd) == REF_SYN_SENT)
		fx_next_timer(fx);
	/* The connect fails after R2 with the error that explains it. */
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), EHOSTUNREACH);
}

static void test_icmp_soft_error_reported_at_once_with_recverr(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IP_RECVERR, 1), 0);
	assert_int_equal(fx_write(fx, 100), 100);
	icmp_about(fx, SEG_ICMP_TIME_EXCEEDED, 0, 0, &fx->out[fx->nout - 1].seg);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLERR);
	assert_int_equal(fx_write(fx, 1), -EHOSTUNREACH);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_int_equal(fx_write(fx, 1), 1);
}

static void test_icmp_param_problem_is_soft(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	icmp_about(fx, SEG_ICMP_PARAM_PROBLEM, 0, 0, &fx->out[fx->nout - 1].seg);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_SOFT_ERROR), EPROTO);
}

static void test_icmp_hard_error_aborts_syn_sent_shld_26(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	icmp_about(fx, SEG_ICMP_UNREACH, 3, 0, &fx->out[0].seg); /* port unreachable */
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ICMP_HARD);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ECONNREFUSED);
	fx_expect_none(fx); /* no RST goes out */
	fx_skip(fx);
}

static void test_icmp_hard_error_aborts_established_shld_26(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	icmp_about(fx, SEG_ICMP_UNREACH, 2, 0, &fx->out[fx->nout - 1].seg); /* protocol */
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), -ENOPROTOOPT);
}

static void test_icmp_hard_error_passive_syn_received_back_to_listen(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_passive(fx);
	icmp_about(fx, SEG_ICMP_UNREACH, 3, 0, &fx->out[0].seg);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
}

static void test_icmp_ipv6_port_unreachable_hard(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	icmp_about(fx, SEG_ICMP_UNREACH, 4, 0, &fx->out[0].seg);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ECONNREFUSED);
}

static void test_icmp_ipv6_address_unreachable_soft(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	icmp_about(fx, SEG_ICMP_UNREACH, 3, 0, &fx->out[0].seg);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_SOFT_ERROR), EHOSTUNREACH);
}

static void test_icmp_frag_needed_lowers_mss_must_54(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;
	struct seg first;
	const struct fx_out *o;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_NODELAY, 1), 0);
	assert_int_equal(fx_write(fx, 2920), 2920);
	first = fx->out[fx->next].seg;
	fx_skip(fx);
	icmp_about(fx, SEG_ICMP_FRAG_NEEDED, 4, 1000, &first);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.pmtu, 1000);
	assert_int_equal(info.eff_mss, 960); /* MUST-16: min(1480, 980) - 20 */
	o = fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 960);
	assert_int_equal(o->rule, REF_R_RTX_PMTU);
	fx_expect(fx, SEG_ACK, fx_s(fx, 961), fx_p(fx, 1), 960);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1921), fx_p(fx, 1), 960);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 2881), fx_p(fx, 1), 40);
	fx_expect_none(fx);
}

static void test_icmp_packet_too_big_ipv6(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;
	struct seg q;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	q = fx->out[fx->nout - 1].seg;
	icmp_about(fx, SEG_ICMP_FRAG_NEEDED, 0, 1000, &q); /* below 1280: ignored */
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ICMP_PMTU_BOGUS);
	icmp_about(fx, SEG_ICMP_FRAG_NEEDED, 0, 1300, &q);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.eff_mss, 1300 - 60);
}

static void test_icmp_frag_needed_bogus_mtu_ignored(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;
	struct seg q;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	q = fx->out[fx->nout - 1].seg;
	icmp_about(fx, SEG_ICMP_FRAG_NEEDED, 4, 40, &q);
	icmp_about(fx, SEG_ICMP_FRAG_NEEDED, 4, 9000, &q);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.pmtu, 1500);
}

static void test_icmp_without_connection_ignored(void **state)
{
	struct fx *fx = *state;
	struct seg q;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	q = fx->out[fx->nout - 1].seg;
	q.dport++;
	icmp_about(fx, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ICMP_NO_CONNECTION);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

static void test_icmp_quoted_seq_outside_flight_ignored(void **state)
{
	struct fx *fx = *state;
	struct seg q;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 10), 10);
	q = fx->out[fx->nout - 1].seg;
	q.seq += 5000; /* never sent: a blind attack (RFC 5927 §4.1) */
	icmp_about(fx, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ICMP_BAD_SEQ);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

/* ---- raw packets through the codec ----------------------------------------------------------------- */

static void send_packet(struct fx *fx, const struct seg *g)
{
	uint8_t buf[2048];
	size_t n;

	assert_int_equal(seg_encode(g, buf, sizeof(buf), &n), 0);
	assert_int_equal(ref_stack_input_packet(fx->st, buf, n, fx->now), 0);
	fx_collect(fx);
}

static void test_packet_bad_checksum_dropped_must_3(void **state)
{
	struct fx *fx = *state;
	struct seg g;

	fx_listen(fx, 4);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	g.wire.tcp_csum_set = true;
	g.wire.tcp_csum = 0x1234;
	send_packet(fx, &g);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BAD_CSUM);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	g.wire.tcp_csum_set = false;
	send_packet(fx, &g);
	assert_int_equal(fx_pending(fx), 1);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

static void test_packet_illegal_option_length_dropped_must_7(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t bad[] = {253, 0, 0, 0};

	fx_listen(fx, 4);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	fx_opt_raw(&g, bad, sizeof(bad));
	send_packet(fx, &g);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BAD_OPTION);
}

static void test_packet_truncated_dropped(void **state)
{
	struct fx *fx = *state;
	static const uint8_t junk[] = {0x45, 0, 0, 20};

	fx_listen(fx, 4);
	assert_int_equal(ref_stack_input_packet(fx->st, junk, sizeof(junk), fx->now), 0);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_MALFORMED);
	assert_int_equal(ref_stack_input_packet(fx->st, NULL, 5, fx->now), -EINVAL);
}

static void test_packet_icmp_decoded_and_applied(void **state)
{
	struct fx *fx = *state;
	struct seg_icmp m;
	uint8_t buf[2048];
	size_t n;

	fx_syn_sent(fx);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &fx->out[0].seg);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof(buf), &n), 0);
	assert_int_equal(ref_stack_input_packet(fx->st, buf, n, fx->now), 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
}

static void test_packet_outputs_encode_with_valid_checksums_must_2(void **state)
{
	struct fx *fx = *state;
	struct seg_packet p;
	uint8_t buf[2048];
	size_t n;
	unsigned i;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 100), 100);
	for (i = 0; i < fx->nout; i++) {
		assert_int_equal(seg_encode(&fx->out[i].seg, buf, sizeof(buf), &n), 0);
		assert_int_equal(seg_decode(buf, n, &p, NULL), 0);
		assert_true(p.u.tcp.tcp_csum_ok);
		assert_int_equal(p.u.tcp.opts.len % 4, 0);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_icmp_source_quench_ignored_must_55, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_soft_error_never_aborts_must_56, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_soft_error_in_syn_sent_does_not_abort_must_56, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_soft_error_reported_at_once_with_recverr, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_param_problem_is_soft, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_hard_error_aborts_syn_sent_shld_26, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_hard_error_aborts_established_shld_26, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_hard_error_passive_syn_received_back_to_listen, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_ipv6_port_unreachable_hard, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_ipv6_address_unreachable_soft, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_frag_needed_lowers_mss_must_54, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_packet_too_big_ipv6, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_frag_needed_bogus_mtu_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_without_connection_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_icmp_quoted_seq_outside_flight_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_packet_bad_checksum_dropped_must_3, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_packet_illegal_option_length_dropped_must_7, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_packet_truncated_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_packet_icmp_decoded_and_applied, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_packet_outputs_encode_with_valid_checksums_must_2, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
