/* Unit tests of the script parser's errors (harness/script.h): each
 * malformed construct is reported once, as `file:line:col: message` naming
 * the offending text, with the right SCR_E* code; the output pointer stays
 * untouched and nothing leaks (the sanitizer builds run these). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/script.h"

struct err_case {
	const char *text;
	int code;
	const char *msg;
};

static void check_n(const struct err_case *c, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct scr_script marker;
		struct scr_script *s = &marker;
		struct scr_diag d;
		int rc = scr_parse("x.pkt", c[i].text, strlen(c[i].text), NULL, &s, &d);
		if (rc != c[i].code || strcmp(d.msg, c[i].msg) != 0)
			fail_msg("case %zu: got %d \"%s\", want %d \"%s\"", i, rc, rc ? d.msg : "",
				 c[i].code, c[i].msg);
		assert_ptr_equal(s, &marker);
		assert_int_equal(d.code, c[i].code);
	}
}

#define CHECK(cases) check_n(cases, sizeof cases / sizeof cases[0])
static void err_seq_missing_colon(void **state)
{
	static const struct err_case cases[] = {
		{"+0 < S 0:0(0)\n+0 < . 1 ack 1\n", SCR_ESYNTAX,
		 "x.pkt:2:10: expected ':' after sequence start, found 'ack'"},
		{"0 < S 0:0(0)\n\n  +0 < S 0:0 ack 1\n", SCR_ESYNTAX,
		 "x.pkt:3:14: expected '(' after sequence end, found 'ack'"},
		{"0 < S\n", SCR_ESYNTAX,
		 "x.pkt:2:1: expected a sequence range START:END(LEN), found end of file"},
	};
	(void)state;
	CHECK(cases);
}

static void err_seq_ranges(void **state)
{
	static const struct err_case cases[] = {
		{"0 < S 4294967296:0(0)\n", SCR_ERANGE,
		 "x.pkt:1:7: sequence start '4294967296' out of range (0..4294967295)"},
		{"0 < S 0:0(65536)\n", SCR_ERANGE,
		 "x.pkt:1:11: payload length '65536' out of range (0..65535)"},
		{"0 < S 0:10(9)\n", SCR_ESYNTAX,
		 "x.pkt:1:7: inconsistent sequence range 0:10(9): END must be START + LEN"},
	};
	(void)state;
	CHECK(cases);
}

static void err_window_range(void **state)
{
	static const struct err_case cases[] = {
		{"0 < S 0:0(0) win 70000\n", SCR_ERANGE,
		 "x.pkt:1:18: win '70000' out of range (0..65535)"},
		{"0 < S 0:0(0) urg 65536\n", SCR_ERANGE,
		 "x.pkt:1:18: urg '65536' out of range (0..65535)"},
		{"0 < S 0:0(0) ack 4294967296\n", SCR_ERANGE,
		 "x.pkt:1:18: ack '4294967296' out of range (0..4294967295)"},
	};
	(void)state;
	CHECK(cases);
}

static void err_flags(void **state)
{
	static const struct err_case cases[] = {
		{"0 < SX 0:0(0)\n", SCR_ESYNTAX,
		 "x.pkt:1:5: unknown TCP flag 'X' in 'SX' (flags are FSRPUEW and '.')"},
		{"0 < SS 0:0(0)\n", SCR_ESYNTAX, "x.pkt:1:5: TCP flag 'S' given twice in 'SS'"},
		{"0 < S.. 0:0(0)\n", SCR_ESYNTAX, "x.pkt:1:7: '.' (ACK) given twice in the flags"},
		{"0 < S.S 0:0(0)\n", SCR_ESYNTAX, "x.pkt:1:7: TCP flag 'S' given twice in 'S'"},
		{"0 < 0:0(0)\n", SCR_ESYNTAX,
		 "x.pkt:1:5: expected TCP flags (from FSRPUEW and '.') or 'icmp' or 'none', found "
		 "'0'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_packet_fields(void **state)
{
	static const struct err_case cases[] = {
		{"0 < S 0:0(0) window 5\n", SCR_ESYNTAX,
		 "x.pkt:1:14: expected 'ack', 'win', 'urg', 'bad_csum', '<' or the end of the "
		 "line, found 'window'"},
		{"0 < S 0:0(0) win 1 win 2\n", SCR_ESYNTAX, "x.pkt:1:20: 'win' given twice"},
		{"0 > . 1:1(0) bad_csum\n", SCR_ESYNTAX,
		 "x.pkt:1:14: 'bad_csum' is only valid on inbound ('<') lines"},
		{"0 < . 1:1(0) bad_csum win 1 bad_csum\n", SCR_ESYNTAX,
		 "x.pkt:1:29: 'bad_csum' given twice"},
	};
	(void)state;
	CHECK(cases);
}

static void err_option_values(void **state)
{
	static const struct err_case cases[] = {
		{"0 < S 0:0(0) <mss 70000>\n", SCR_ERANGE,
		 "x.pkt:1:19: mss '70000' out of range (0..65535)"},
		{"0 < S 0:0(0) <wscale 256>\n", SCR_ERANGE,
		 "x.pkt:1:22: wscale '256' out of range (0..255)"},
		{"0 < S 0:0(0) <TS 1 ecr 2>\n", SCR_ESYNTAX,
		 "x.pkt:1:18: expected 'val' after 'TS', found '1'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_option_syntax(void **state)
{
	static const struct err_case cases[] = {
		{"0 < S 0:0(0) <foo 1>\n", SCR_ESYNTAX,
		 "x.pkt:1:15: unknown TCP option 'foo' (nop, eol, mss, wscale, sackOK, sack, TS)"},
		{"0 < S 0:0(0) <mss 1 nop>\n", SCR_ESYNTAX,
		 "x.pkt:1:21: expected ',' or '>' in TCP options, found 'nop'"},
		{"0 < S 0:0(0) <>\n", SCR_ESYNTAX,
		 "x.pkt:1:15: expected a TCP option (nop, eol, mss, wscale, sackOK, sack, TS), "
		 "found '>'"},
		{"0 < S 0:0(0) <...\n", SCR_ESYNTAX,
		 "x.pkt:2:1: expected '>' after '<...', found end of file"},
	};
	(void)state;
	CHECK(cases);
}

static void err_option_space(void **state)
{
	static const struct err_case cases[] = {
		{"0 < . 1:1(0) <sack 1:2 3:4 5:6 7:8 9:10>\n", SCR_ERANGE,
		 "x.pkt:1:36: more than 4 SACK blocks"},
		{"0 < S 0:0(0) <TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,TS val 1 ecr 2,nop>\n",
		 SCR_ERANGE,
		 "x.pkt:1:14: TCP options take more than the 40 bytes that fit a header"},
		{"0 < . 1:1(0) <sack>\n", SCR_ESYNTAX,
		 "x.pkt:1:19: expected a SACK block L:R after 'sack', found '>'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_none(void **state)
{
	static const struct err_case cases[] = {
		{"0 < none\n", SCR_ESYNTAX,
		 "x.pkt:1:5: 'none' is only valid on outbound ('>') lines"},
		{"0 > none for x\n", SCR_ESYNTAX,
		 "x.pkt:1:14: expected a span in seconds after 'for', found 'x'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_ip_prefix(void **state)
{
	static const struct err_case cases[] = {
		{"0 < [ect2] S 0:0(0)\n", SCR_ESYNTAX,
		 "x.pkt:1:6: expected an IP field (ect0, ect1, ect01, ce, noecn, tos, ttl, "
		 "flowlabel), found 'ect2'"},
		{"0 < [ect0 S 0:0(0)\n", SCR_ESYNTAX,
		 "x.pkt:1:11: expected ',' or ']' in IP fields, found 'S'"},
		{"0 < tos 256 S 0:0(0)\n", SCR_ERANGE,
		 "x.pkt:1:9: tos '256' out of range (0..255)"},
		{"0 < [ect0] [ce] S 0:0(0)\n", SCR_ESYNTAX, "x.pkt:1:13: ECN mark given twice"},
		{"0 < (flowlabel 0x100000) S 0:0(0)\n", SCR_ERANGE,
		 "x.pkt:1:16: flowlabel '0x100000' out of range (0..1048575)"},
	};
	(void)state;
	CHECK(cases);
}

static void err_icmp(void **state)
{
	static const struct err_case cases[] = {
		{"0 < icmp mtu 5\n", SCR_ESYNTAX,
		 "x.pkt:1:10: expected an ICMP type after 'icmp', found 'mtu'"},
		{"0 < icmp unreachable [1:2(1)\n", SCR_ESYNTAX,
		 "x.pkt:2:1: expected ']' after the quoted segment, found end of file"},
		{"0 < icmp unreachable frag_needed mtu x\n", SCR_ESYNTAX,
		 "x.pkt:1:38: expected mtu (an integer), found 'x'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_state(void **state)
{
	static const struct err_case cases[] = {
		{"+0 state FOO\n", SCR_ESYNTAX,
		 "x.pkt:1:10: unknown TCP state 'FOO' (CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, "
		 "ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT)"},
		{"+0 state 3\n", SCR_ESYNTAX,
		 "x.pkt:1:10: expected a TCP state name after 'state', found '3'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_syscall_shape(void **state)
{
	static const struct err_case cases[] = {
		{"0 close 3\n", SCR_ESYNTAX,
		 "x.pkt:1:9: expected '(' after syscall name 'close', found '3'"},
		{"0 close(3 4) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:11: expected ',' or ')' in the arguments of 'close', found '4'"},
		{"0 close(3)\n+0 close(4) = 0\n", SCR_ESYNTAX,
		 "x.pkt:2:1: expected '=' and the return value after 'close(...)', found '+'"},
		{"0 close(3) = \n", SCR_ESYNTAX,
		 "x.pkt:2:1: expected an expression, found end of file"},
	};
	(void)state;
	CHECK(cases);
}

static void err_syscall_return(void **state)
{
	static const struct err_case cases[] = {
		{"0 close(3) = -1 EBADF (Bad file\n", SCR_ESYNTAX,
		 "x.pkt:1:23: unterminated note '(': no ')' on the same line"},
		{"0 close(3) = 0 (a (b) c\n", SCR_ESYNTAX,
		 "x.pkt:1:16: unterminated note '(': no ')' on the same line"},
		{"0 close(3) = 0 0\n", SCR_ESYNTAX, "x.pkt:1:16: unexpected '0' after the event"},
	};
	(void)state;
	CHECK(cases);
}

static void err_expressions(void **state)
{
	static const struct err_case cases[] = {
		{"0 close(99999999999999999999) = 0\n", SCR_ERANGE,
		 "x.pkt:1:9: integer '99999999999999999999' out of range"},
		{"0 close(9223372036854775808) = 0\n", SCR_ERANGE,
		 "x.pkt:1:9: integer '9223372036854775808' out of range"},
		{"0 close(1.5) = 0\n", SCR_ESYNTAX, "x.pkt:1:9: expected an integer, found '1.5'"},
		{"0 close(-x) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:10: expected an integer after '-', found 'x'"},
		{"0 close({a=}) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:12: expected an expression, found '}'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_nesting_limit(void **state)
{
	static const struct err_case cases[] = {
		{"0 close([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]) = "
		 "0\n",
		 SCR_ELIMIT, "x.pkt:1:41: expression nested more than 32 deep"},
	};
	(void)state;
	CHECK(cases);
}

static void err_unterminated(void **state)
{
	static const struct err_case cases[] = {
		{"0 close(\"abc) = 0\n", SCR_ESYNTAX, "x.pkt:1:9: unterminated string"},
		{"0 close(3) = 0\n+0 %{ x\n", SCR_ESYNTAX,
		 "x.pkt:2:4: unterminated python block '%{'"},
		{"0 `ls\n", SCR_ESYNTAX, "x.pkt:1:3: unterminated shell command '`'"},
		{"0 close(3) = 0\n  /* never closed\n", SCR_ESYNTAX,
		 "x.pkt:2:3: unterminated comment '/*'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_lexical(void **state)
{
	static const struct err_case cases[] = {
		{"1.2.3 close(3) = 0\n", SCR_ESYNTAX, "x.pkt:1:1: malformed number '1.2.3'"},
		{"0 close(3) = 0 $\n", SCR_ESYNTAX, "x.pkt:1:16: unexpected character '$'"},
		{"0 close(3) = 0\n\x01"
		 "",
		 SCR_ESYNTAX, "x.pkt:2:1: unexpected byte 0x01"},
		{"0 close(12ab) = 0\n", SCR_ESYNTAX, "x.pkt:1:9: malformed number '12ab'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_header_after_event(void **state)
{
	static const struct err_case cases[] = {
		{"0 close(3) = 0\n--late=1\n", SCR_ESYNTAX,
		 "x.pkt:2:1: header option '--late' must come before the first event"},
	};
	(void)state;
	CHECK(cases);
}

static void err_times(void **state)
{
	static const struct err_case cases[] = {
		{"+ close(3) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:3: expected a time after '+', found 'close'"},
		{"0.1234567 close(3) = 0\n", SCR_ERANGE,
		 "x.pkt:1:1: time '0.1234567' is finer than a microsecond (6 decimals at most)"},
		{"2000000000 close(3) = 0\n", SCR_ERANGE,
		 "x.pkt:1:1: time '2000000000' out of range (at most 1000000000 s)"},
		{"0x10 close(3) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:1: expected a time at the start of an event, found '0x10'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_windows(void **state)
{
	static const struct err_case cases[] = {
		{"0.2~0.1 > . 1:1(0)\n", SCR_ERANGE,
		 "x.pkt:1:5: time window ends before it starts"},
		{"+0.1~0.2 > . 1:1(0)\n", SCR_ESYNTAX,
		 "x.pkt:1:6: a time window is relative ('+a~+b') or absolute ('a~b') on both ends"},
	};
	(void)state;
	CHECK(cases);
}

static void err_blocking(void **state)
{
	static const struct err_case cases[] = {
		{"*...1 close(3) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:2: a blocking call ('...') needs a plain start time ('a' or '+a')"},
		{"0.5...0.1 close(3) = 0\n", SCR_ERANGE,
		 "x.pkt:1:4: blocking call returns before it starts"},
		{"0...1 state CLOSED\n", SCR_ESYNTAX,
		 "x.pkt:1:7: expected a syscall after a blocking time 'a...b', found 'state'"},
	};
	(void)state;
	CHECK(cases);
}

static void err_two_events_one_line(void **state)
{
	static const struct err_case cases[] = {
		{"0 close(3) = 0 +0 close(4) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:16: unexpected '+' after the event"},
		{"0 < S 0:0(0) <mss 1> 0 close(3) = 0\n", SCR_ESYNTAX,
		 "x.pkt:1:22: unexpected '0' after the event"},
	};
	(void)state;
	CHECK(cases);
}

static void err_action(void **state)
{
	static const struct err_case cases[] = {
		{"0 = 3\n", SCR_ESYNTAX,
		 "x.pkt:1:3: expected a packet ('<' or '>'), a syscall, 'state', a python block or "
		 "a shell command, found '='"},
		{"0 foo\n", SCR_ESYNTAX,
		 "x.pkt:2:1: expected '(' after syscall name 'foo', found end of file"},
	};
	(void)state;
	CHECK(cases);
}

static void err_metadata_tags(void **state)
{
	static const struct err_case cases[] = {
		{"// @requirment X\n", SCR_ESYNTAX,
		 "x.pkt:1:4: unknown metadata tag '@requirment' (requirement, targets, xfail, "
		 "finding, profile, config, family)"},
		{"// @requirement\n", SCR_ESYNTAX,
		 "x.pkt:1:4: @requirement needs at least one value"},
		{"  // @targets   \n", SCR_ESYNTAX, "x.pkt:1:6: @targets needs at least one value"},
		{"// @family ipv5\n", SCR_ESYNTAX,
		 "x.pkt:1:12: unknown family 'ipv5' (ipv4 or ipv6)"},
	};
	(void)state;
	CHECK(cases);
}

static void err_metadata_inside_event(void **state)
{
	static const struct err_case cases[] = {
		{"0 setsockopt(3,\n // @profile x\n 1) = 0\n", SCR_ESYNTAX,
		 "x.pkt:2:5: a metadata comment cannot stand inside an event"},
		{"0 < S 0:0(0) // @profile x\n <mss 1>\n", SCR_ESYNTAX,
		 "x.pkt:1:17: a metadata comment cannot stand inside an event"},
	};
	(void)state;
	CHECK(cases);
}

static void err_metadata_values(void **state)
{
	static const struct err_case cases[] = {
		{"// @xfail linux\n", SCR_ESYNTAX, "x.pkt:1:11: @xfail linux needs a reason"},
		{"// @xfail\n", SCR_ESYNTAX, "x.pkt:1:4: @xfail needs a target and a reason"},
		{"// @finding lwip\n", SCR_ESYNTAX,
		 "x.pkt:1:4: @finding needs a target and a finding id"},
		{"// @finding lwip x y\n", SCR_ESYNTAX,
		 "x.pkt:1:20: @finding takes a target and one id, found 'y' after them"},
		{"// @profile a b\n", SCR_ESYNTAX,
		 "x.pkt:1:15: @profile takes one name, found also 'b'"},
		{"// @profile a\n// @profile b\n", SCR_ESYNTAX,
		 "x.pkt:2:4: @profile given twice (first on line 1)"},
		{"// @config sack\n", SCR_ESYNTAX,
		 "x.pkt:1:12: @config item 'sack' is not KEY=VALUE"},
		{"// @config sack=on\n0 close(3) = 0 // @config sack=off\n", SCR_ESYNTAX,
		 "x.pkt:2:27: @config key 'sack' given twice (first on line 1)"},
	};
	(void)state;
	CHECK(cases);
}

static void err_nul_byte(void **state)
{
	static const char text[] = "0 close(3) = 0\n  \0 x\n";
	struct scr_script *s = NULL;
	struct scr_diag d;
	(void)state;
	assert_int_equal(scr_parse("x.pkt", text, sizeof text - 1, NULL, &s, &d), SCR_ESYNTAX);
	assert_string_equal(d.msg, "x.pkt:2:3: NUL byte in the script");
	assert_int_equal(d.line, 2);
	assert_int_equal(d.col, 3);
	assert_null(s);
}

static void err_define_names(void **state)
{
	static const struct scr_define bad[] = {{"1X", "1"}};
	static const struct scr_define noval[] = {{"X", NULL}};
	struct scr_defines d1 = {bad, 1, NULL, 0, NULL, 0, 0};
	struct scr_defines d2 = {NULL, 0, noval, 1, NULL, 0, 0};
	struct scr_script *s = NULL;
	struct scr_diag d;
	(void)state;
	assert_int_equal(scr_parse("x.pkt", "", 0, &d1, &s, &d), SCR_EINVAL);
	assert_string_equal(d.msg, "x.pkt: invalid define name '1X'");
	assert_int_equal(d.line, 0);
	assert_int_equal(scr_parse("x.pkt", "", 0, &d2, &s, &d), SCR_EINVAL);
	assert_string_equal(d.msg, "x.pkt: define 'X' has no value");
	assert_null(s);
}

static void err_define_value(void **state)
{
	static const struct scr_define v[] = {{"V", "1.2.3"}, {"W", "ack"}, {"P", "(x)"}};
	struct scr_defines defs = {v, 3, NULL, 0, NULL, 0, 0};
	struct scr_script *s = NULL;
	struct scr_diag d;
	static const char t1[] = "0 close(V) = 0\n";
	static const char t2[] = "0 < S 0:0(0)\n  +0 < . 1 W 1\n";
	static const char t3[] = "0 close(3) = 0 P\n";
	(void)state;
	assert_int_equal(scr_parse("x.pkt", t1, sizeof t1 - 1, &defs, &s, &d), SCR_ESYNTAX);
	assert_string_equal(d.msg,
			    "x.pkt:1:9: in the value of define 'V': malformed number '1.2.3'");
	/* A token from a define is reported where the define's name stands. */
	assert_int_equal(scr_parse("x.pkt", t2, sizeof t2 - 1, &defs, &s, &d), SCR_ESYNTAX);
	assert_string_equal(d.msg, "x.pkt:2:12: expected ':' after sequence start, found 'ack'");
	/* A note is raw text of the script, never a define's. */
	assert_int_equal(scr_parse("x.pkt", t3, sizeof t3 - 1, &defs, &s, &d), SCR_ESYNTAX);
	assert_string_equal(d.msg, "x.pkt:1:16: a note '( ... )' cannot come from a define");
	assert_null(s);
}

static void err_null_diag_and_args(void **state)
{
	struct scr_script *s = NULL;
	struct scr_diag d;
	(void)state;
	/* A NULL diag is allowed; the code still comes back. */
	assert_int_equal(scr_parse("x.pkt", "0 <", 3, NULL, &s, NULL), SCR_ESYNTAX);
	assert_int_equal(scr_parse("x.pkt", "0", 1, NULL, NULL, &d), SCR_EINVAL);
	assert_int_equal(scr_parse("x.pkt", NULL, 5, NULL, &s, &d), SCR_EINVAL);
	/* A NULL path reads as <script>. */
	assert_int_equal(scr_parse(NULL, "?", 1, NULL, &s, &d), SCR_ESYNTAX);
	assert_string_equal(d.msg, "<script>:1:1: unexpected character '?'");
	assert_null(s);
}

static void err_config_limit(void **state)
{
	char text[8192], *p = text;
	struct scr_script *s = NULL;
	struct scr_diag d;
	int i;
	(void)state;
	p += sprintf(p, "// @config");
	for (i = 0; i < SCR_MAX_CONFIG; i++)
		p += sprintf(p, " k%d=v", i);
	p += sprintf(p, "\n// @config one=more\n");
	assert_int_equal(scr_parse("x.pkt", text, strlen(text), NULL, &s, &d), SCR_ELIMIT);
	assert_string_equal(d.msg, "x.pkt:2:12: more than 256 @config keys");
	assert_null(s);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(err_seq_missing_colon),
	cmocka_unit_test(err_seq_ranges),
	cmocka_unit_test(err_window_range),
	cmocka_unit_test(err_flags),
	cmocka_unit_test(err_packet_fields),
	cmocka_unit_test(err_option_values),
	cmocka_unit_test(err_option_syntax),
	cmocka_unit_test(err_option_space),
	cmocka_unit_test(err_none),
	cmocka_unit_test(err_ip_prefix),
	cmocka_unit_test(err_icmp),
	cmocka_unit_test(err_state),
	cmocka_unit_test(err_syscall_shape),
	cmocka_unit_test(err_syscall_return),
	cmocka_unit_test(err_expressions),
	cmocka_unit_test(err_nesting_limit),
	cmocka_unit_test(err_unterminated),
	cmocka_unit_test(err_lexical),
	cmocka_unit_test(err_header_after_event),
	cmocka_unit_test(err_times),
	cmocka_unit_test(err_windows),
	cmocka_unit_test(err_blocking),
	cmocka_unit_test(err_two_events_one_line),
	cmocka_unit_test(err_action),
	cmocka_unit_test(err_metadata_tags),
	cmocka_unit_test(err_metadata_inside_event),
	cmocka_unit_test(err_metadata_values),
	cmocka_unit_test(err_nul_byte),
	cmocka_unit_test(err_define_names),
	cmocka_unit_test(err_define_value),
	cmocka_unit_test(err_null_diag_and_args),
	cmocka_unit_test(err_config_limit),
};

TC_CMOCKA_MAIN(tests)
