/* Unit tests of the runner and differ (harness/run*.c) on the ref target:
 * each builds a small script in memory, runs it, and checks the verdict and
 * the exact mismatch (field, expected, actual, line). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/run.h"
#include "targets/target.h"

/* A passive open up to ESTABLISHED, accepted as fd 4 (lines 1-8). */
#define PRELUDE                                                                                \
	"// @config sack=off ts=off wscale=off\n"                                             \
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"                                      \
	"+0 bind(3, ..., ...) = 0\n"                                                           \
	"+0 listen(3, 1) = 0\n"                                                                \
	"+0 < S 0:0(0) win 8192 <mss 1460>\n"                                                  \
	"+0 > S. 0:0(0) ack 1 <...>\n"                                                         \
	"+.1 < . 1:1(0) ack 1 win 8192\n"                                                      \
	"+0 accept(3, ..., ...) = 4\n"

struct outcome {
	struct run_result r;
};

static void run_text(const char *text, struct run_result *r, bool strict)
{
	struct scr_script *s = NULL;
	struct scr_diag d;
	struct run_opts o;
	assert_int_equal(scr_parse("t.pkt", text, strlen(text), NULL, &s, &d), 0);
	memset(&o, 0, sizeof o);
	o.target = tgt_find("ref");
	o.tolerance_us = -1;
	o.seed = 1;
	o.strict_segments = strict;
	assert_int_equal(run_script(s, &o, r), 0);
	scr_script_free(s);
}

/* The first mismatch must be on `field` at `line`, expected/actual as given
 * (NULL: not checked). */
static void expect_mismatch(const struct run_result *r, const char *field, int line,
			    const char *want, const char *got)
{
	assert_int_equal(r->verdict, RUN_FAIL);
	assert_true(r->n_mismatches >= 1);
	assert_string_equal(r->mismatches[0].field, field);
	assert_int_equal(r->mismatches[0].line, line);
	if (want)
		assert_string_equal(r->mismatches[0].expected, want);
	if (got)
		assert_string_equal(r->mismatches[0].actual, got);
}

static void test_passive_open_passes(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 state ESTABLISHED\n", &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	assert_int_equal(r.n_mismatches, 0);
	assert_int_equal(r.n_trace, 3); /* SYN, SYN-ACK, ACK */
	run_result_free(&r);
}

static void test_wrong_flags_named(void **state)
{
	struct run_result r;
	(void)state;
	run_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
		 "+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 8192\n+0 > R. 0:0(0) ack 1 <...>\n",
		 &r, false);
	expect_mismatch(&r, "flags", 5, "R.", "S.");
	assert_string_equal(r.mismatches[0].rule, "3.10.7.2-syn-ack");
	run_result_free(&r);
}

static void test_wrong_seq_named(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 10) = 10\n+0 > P. 2:12(10) ack 1\n", &r, false);
	expect_mismatch(&r, "seq", 10, "2", "1");
	run_result_free(&r);
}

static void test_wrong_len_named(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 10) = 10\n+0 > P. 1:21(20) ack 1\n", &r, true);
	expect_mismatch(&r, "len", 10, "20", "10");
	run_result_free(&r);
}

static void test_wrong_win_named(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 10) = 10\n+0 > P. 1:11(10) ack 1 win 1\n", &r, false);
	expect_mismatch(&r, "win", 10, "1", NULL);
	run_result_free(&r);
}

static void test_wrong_options_named(void **state)
{
	struct run_result r;
	(void)state;
	run_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
		 "+0 listen(3, 1) = 0\n+0 < S 0:0(0) win 8192 <mss 1000>\n"
		 "+0 > S. 0:0(0) ack 1 <mss 1200>\n",
		 &r, false);
	expect_mismatch(&r, "options", 5, "<mss 1200>", "<mss 1460>");
	run_result_free(&r);
}

static void test_missing_packet(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 > P. 1:11(10) ack 1\n", &r, false);
	expect_mismatch(&r, "packet", 9, NULL, "nothing");
	run_result_free(&r);
}

static void test_unexpected_packet_at_end(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 10) = 10\n", &r, false);
	expect_mismatch(&r, "packet", 0, "none", NULL);
	assert_non_null(strstr(r.mismatches[0].actual, "P. 1:11(10)"));
	run_result_free(&r);
}

static void test_none_violated(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 10) = 10\n+0 > none for 0.5\n", &r, false);
	expect_mismatch(&r, "packet", 10, "none", NULL);
	run_result_free(&r);
}

static void test_none_holds_and_time_counts_from_its_end(void **state)
{
	struct run_result r;
	(void)state;
	/* The retransmission after 1 s RTO comes 0.5 s after the silence
	 * ends. */
	run_text(PRELUDE "// @config rto_min=1\n+0 write(4, ..., 10) = 10\n"
			 "+0 > P. 1:11(10) ack 1\n+0 > none for 0.5\n"
			 "+0.5~+0.6 > P. 1:11(10) ack 1\n",
		 &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	run_result_free(&r);
}

static void test_segments_combined(void **state)
{
	struct run_result r;
	(void)state;
	/* 2920 bytes go out as two 1460-byte segments; one line covers both. */
	run_text(PRELUDE "+0 write(4, ..., 2920) = 2920\n+0 > P. 1:2921(2920) ack 1\n", &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	run_result_free(&r);
}

static void test_strict_segments_not_combined(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 2920) = 2920\n+0 > P. 1:2921(2920) ack 1\n", &r, true);
	assert_int_equal(r.verdict, RUN_FAIL);
	run_result_free(&r);
}

static void test_time_too_early(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 write(4, ..., 10) = 10\n+0.5 > P. 1:11(10) ack 1\n", &r, false);
	expect_mismatch(&r, "time", 10, "0.600000", "0.100000");
	run_result_free(&r);
}

static void test_state_mismatch(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 state CLOSE_WAIT\n", &r, false);
	expect_mismatch(&r, "state", 9, "CLOSE_WAIT", "ESTABLISHED");
	run_result_free(&r);
}

static void test_errno_mismatch(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 read(4, ..., 10) = -1 ECONNRESET (Connection reset by peer)\n", &r,
		 false);
	/* A blocking read with nothing to read blocks: it never returns. */
	assert_int_equal(r.verdict, RUN_FAIL);
	run_result_free(&r);
	run_text(PRELUDE "+0 fcntl(4, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"
			 "+0 read(4, ..., 10) = -1 ECONNRESET (Connection reset by peer)\n",
		 &r, false);
	expect_mismatch(&r, "return", 10, "-1 ECONNRESET", NULL);
	assert_non_null(strstr(r.mismatches[0].actual, "EAGAIN"));
	run_result_free(&r);
}

static void test_getsockopt_errno_value(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 getsockopt(4, SOL_SOCKET, SO_ERROR, [ECONNREFUSED], [4]) = 0\n", &r,
		 false);
	expect_mismatch(&r, "value", 9, NULL, "0");
	run_result_free(&r);
}

static void test_blocking_accept_completes_on_time(void **state)
{
	struct run_result r;
	(void)state;
	run_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
		 "+0 listen(3, 1) = 0\n+0...0.2 accept(3, ..., ...) = 4\n"
		 "+0 < S 0:0(0) win 8192\n+0 > S. 0:0(0) ack 1 <...>\n"
		 "+.2 < . 1:1(0) ack 1 win 8192\n",
		 &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	run_result_free(&r);
}

static void test_blocking_call_returning_late(void **state)
{
	struct run_result r;
	(void)state;
	run_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 bind(3, ..., ...) = 0\n"
		 "+0 listen(3, 1) = 0\n+0...0.1 accept(3, ..., ...) = 4\n"
		 "+0 < S 0:0(0) win 8192\n+0 > S. 0:0(0) ack 1 <...>\n"
		 "+.3 < . 1:1(0) ack 1 win 8192\n",
		 &r, false);
	expect_mismatch(&r, "time", 4, "0.100000", "0.300000");
	run_result_free(&r);
}

static void test_unsupported_construct_skips(void **state)
{
	struct run_result r;
	(void)state;
	run_text("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 epoll_create(1) = 4\n", &r, false);
	assert_int_equal(r.verdict, RUN_SKIP);
	assert_non_null(strstr(r.reason, "epoll"));
	run_result_free(&r);
}

static void test_other_target_skips(void **state)
{
	struct run_result r;
	(void)state;
	run_text("// @targets linux\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", &r, false);
	assert_int_equal(r.verdict, RUN_SKIP);
	assert_non_null(strstr(r.reason, "@targets"));
	run_result_free(&r);
}

static void test_unhonoured_config_skips(void **state)
{
	struct run_result r;
	(void)state;
	run_text("// @config ecn=on\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", &r, false);
	assert_int_equal(r.verdict, RUN_SKIP);
	assert_non_null(strstr(r.reason, "ecn"));
	run_result_free(&r);
}

static void test_unknown_config_is_error(void **state)
{
	struct run_result r;
	(void)state;
	run_text("// @config frobnicate=1\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n", &r,
		 false);
	assert_int_equal(r.verdict, RUN_ERROR);
	assert_non_null(strstr(r.reason, "frobnicate"));
	run_result_free(&r);
}

static void test_unmodelled_option_skips(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 setsockopt(4, IPPROTO_TCP, TCP_CORK, [1], 4) = 0\n", &r, false);
	assert_int_equal(r.verdict, RUN_SKIP);
	assert_non_null(strstr(r.reason, "does not model setsockopt TCP_CORK"));
	run_result_free(&r);
	/* A divergence before the line stays a failure. */
	run_text(PRELUDE "+0 state CLOSED\n+0 setsockopt(4, IPPROTO_TCP, TCP_CORK, [1], 4) = 0\n",
		 &r, false);
	assert_int_equal(r.verdict, RUN_FAIL);
	run_result_free(&r);
}

static void test_v4_mapped_header_runs_on_ref(void **state)
{
	struct run_result r;
	(void)state;
	/* packetdrill's header: AF_INET6 sockets, IPv4 packets. */
	run_text("--ip_version=ipv4-mapped-ipv6\n" PRELUDE "+0 state ESTABLISHED\n", &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	assert_int_equal(r.family, 4);
	run_result_free(&r);
}

static void test_xfail_and_xpass(void **state)
{
	struct run_result r;
	(void)state;
	run_text("// @xfail ref known\n" PRELUDE "+0 state CLOSED\n", &r, false);
	assert_int_equal(r.verdict, RUN_XFAIL);
	assert_string_equal(r.reason, "known");
	run_result_free(&r);
	run_text("// @xfail ref stale\n" PRELUDE, &r, false);
	assert_int_equal(r.verdict, RUN_XPASS);
	run_result_free(&r);
}

static void test_bad_checksum_dropped(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 < P. 1:11(10) ack 1 win 8192 bad_csum\n+0 > none for 1\n"
			 "+0 < P. 1:11(10) ack 1 win 8192\n+0~+0.5 > . 1:1(0) ack 11\n",
		 &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	run_result_free(&r);
}

static void test_icmp_quotes_the_connection(void **state)
{
	struct run_result r;
	(void)state;
	/* A host unreachable for our data is a soft error: the connection
	 * stays up (MUST-56) and the retransmission still comes. */
	run_text(PRELUDE "// @config rto_min=1\n+0 write(4, ..., 10) = 10\n"
			 "+0 > P. 1:11(10) ack 1\n"
			 "+0 < icmp unreachable host_unreachable [1:11(10)]\n"
			 "+0 state ESTABLISHED\n+0.9~+1.1 > P. 1:11(10) ack 1\n",
		 &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	run_result_free(&r);
}

static void test_python_block_counted(void **state)
{
	struct run_result r;
	(void)state;
	run_text(PRELUDE "+0 %{ assert tcpi_state == 1\nassert x }%\n", &r, false);
	assert_int_equal(r.verdict, RUN_PASS);
	assert_int_equal(r.skipped_asserts, 2);
	run_result_free(&r);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_passive_open_passes),
	cmocka_unit_test(test_wrong_flags_named),
	cmocka_unit_test(test_wrong_seq_named),
	cmocka_unit_test(test_wrong_len_named),
	cmocka_unit_test(test_wrong_win_named),
	cmocka_unit_test(test_wrong_options_named),
	cmocka_unit_test(test_missing_packet),
	cmocka_unit_test(test_unexpected_packet_at_end),
	cmocka_unit_test(test_none_violated),
	cmocka_unit_test(test_none_holds_and_time_counts_from_its_end),
	cmocka_unit_test(test_segments_combined),
	cmocka_unit_test(test_strict_segments_not_combined),
	cmocka_unit_test(test_time_too_early),
	cmocka_unit_test(test_state_mismatch),
	cmocka_unit_test(test_errno_mismatch),
	cmocka_unit_test(test_getsockopt_errno_value),
	cmocka_unit_test(test_blocking_accept_completes_on_time),
	cmocka_unit_test(test_blocking_call_returning_late),
	cmocka_unit_test(test_unsupported_construct_skips),
	cmocka_unit_test(test_other_target_skips),
	cmocka_unit_test(test_unhonoured_config_skips),
	cmocka_unit_test(test_unknown_config_is_error),
	cmocka_unit_test(test_unmodelled_option_skips),
	cmocka_unit_test(test_v4_mapped_header_runs_on_ref),
	cmocka_unit_test(test_xfail_and_xpass),
	cmocka_unit_test(test_bad_checksum_dropped),
	cmocka_unit_test(test_icmp_quotes_the_connection),
	cmocka_unit_test(test_python_block_counted),
};

TC_CMOCKA_MAIN(tests)
