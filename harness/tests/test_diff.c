/* Unit tests of the differ (diff.h): the reference against itself, a
 * target-only setting that changes behaviour, classes and defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/diff.h"
#include "targets/target.h"

/* A passive open, then 10 bytes and a FIN from the peer. */
static const char script[] =
	"// @config sack=off ts=off wscale=off\n"
	"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 bind(3, ..., ...) = 0\n"
	"+0 listen(3, 1) = 0\n"
	"+0 < S 0:0(0) win 8192 <mss 1460>\n"
	"+.1 < . 1:1(0) ack 1 win 8192\n"
	"+0 accept(3, ..., ...) = 4\n"
	"+0 < P. 1:11(10) ack 1 win 8192 bad_csum\n"
	"+.3 < P. 1:11(10) ack 1 win 8192\n"
	"+.3 read(4, ..., 100) = 10\n";

static void diff_text(const struct tgt_setting *tset, size_t n, struct diff_result *r)
{
	struct scr_script *s = NULL;
	struct scr_diag d;
	struct diff_opts o;
	assert_int_equal(scr_parse("t.pkt", script, strlen(script), NULL, &s, &d), 0);
	memset(&o, 0, sizeof o);
	o.target = tgt_find("ref");
	o.tolerance_us = -1;
	o.seed = 1;
	o.target_set = tset;
	o.n_target_set = n;
	assert_int_equal(diff_script(s, &o, r), 0);
	scr_script_free(s);
}

static void test_ref_against_itself(void **state)
{
	struct diff_result r;
	(void)state;
	diff_text(NULL, 0, &r);
	assert_int_equal(r.status, DIFF_SAME);
	assert_int_equal(r.n_findings, 0);
	assert_string_equal(r.ref_profile, "rfc");
	diff_result_free(&r);
}

static void test_bad_checksum_mutant_is_one_violation(void **state)
{
	static const struct tgt_setting m = { "mutant", "bad-csum" };
	struct diff_result r;
	(void)state;
	diff_text(&m, 1, &r);
	assert_int_equal(r.status, DIFF_FOUND);
	assert_int_equal(r.n_findings, 1);
	assert_int_equal(r.findings[0].cls, DIFF_VIOLATION);
	assert_string_equal(r.findings[0].rule, "3.1-bad-checksum");
	assert_string_equal(r.findings[0].req, "MUST-3");
	assert_int_equal(r.findings[0].line, 8);
	assert_string_equal(r.findings[0].fields[0].expected, "nothing");
	diff_result_free(&r);
}

static void test_names_and_defaults(void **state)
{
	(void)state;
	assert_string_equal(diff_class_name(DIFF_VIOLATION), "violation");
	assert_string_equal(diff_class_name(DIFF_DEVIATION), "deviation");
	assert_string_equal(diff_class_name(DIFF_TIMING), "timing");
	assert_string_equal(diff_default_profile("lwip"), "lwip");
	assert_string_equal(diff_default_profile("ref"), "rfc");
	diff_result_free(NULL);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_ref_against_itself),
	cmocka_unit_test(test_bad_checksum_mutant_is_one_violation),
	cmocka_unit_test(test_names_and_defaults),
};

TC_CMOCKA_MAIN(tests)
