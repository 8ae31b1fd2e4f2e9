/* Reference profiles: ref_profile_set / parse / get / format, and the
 * files reference/profiles/<name>.profile that mirror the built-ins. */
#include "reference/tests/ref_fixture.h"

#include <stdio.h>
#include <string.h>

#include "cmake/cmocka_main.h"

static void test_profile_builtins_by_name(void **state)
{
	const char *const *n = ref_profile_names();

	(void)state;
	assert_string_equal(n[0], "rfc");
	assert_string_equal(n[1], "lwip");
	assert_string_equal(n[2], "linux");
	assert_null(n[3]);
	assert_ptr_equal(ref_profile_by_name("rfc"), ref_profile_rfc());
	assert_string_equal(ref_profile_by_name("lwip")->name, "lwip");
	assert_string_equal(ref_profile_by_name("linux")->name, "linux");
	assert_null(ref_profile_by_name("bsd"));
}

static void test_profile_set_each_kind_of_value(void **state)
{
	struct ref_profile p = *ref_profile_rfc();
	char err[128];

	(void)state;
	assert_int_equal(ref_profile_set(&p, "sack", "off", err, sizeof err), 0);
	assert_false(p.sack);
	assert_int_equal(ref_profile_set(&p, "rto_min", "200ms", err, sizeof err), 0);
	assert_int_equal(p.rto_min, 200000);
	assert_int_equal(ref_profile_set(&p, "delack_time", "0.04s", err, sizeof err), 0);
	assert_int_equal(p.delack_time, 40000);
	assert_int_equal(ref_profile_set(&p, "sws_override", "150000", err, sizeof err), 0);
	assert_int_equal(p.sws_override, 150000);
	assert_int_equal(ref_profile_set(&p, "cc", "reno", err, sizeof err), 0);
	assert_int_equal(p.cc, REF_CC_RENO);
	assert_int_equal(ref_profile_set(&p, "wscale_shift", "7", err, sizeof err), 0);
	assert_int_equal(p.wscale_shift, 7);
	assert_int_equal(ref_profile_set(&p, "wscale_shift", "auto", err, sizeof err), 0);
	assert_int_equal(p.wscale_shift, -1);
	assert_int_equal(ref_profile_set(&p, "ttl", "255", err, sizeof err), 0);
	assert_int_equal(p.ttl, 255);
	assert_int_equal(ref_profile_set(&p, "mss_default_v6", "1280", err, sizeof err), 0);
	assert_int_equal(p.mss_default_v6, 1280);
	assert_int_equal(ref_profile_set(&p, "r1_retransmissions", "5", err, sizeof err), 0);
	assert_int_equal(p.r1_retransmissions, 5);
	assert_int_equal(ref_profile_set(&p, "syn_options", "mss,nop,ws", err, sizeof err), 0);
	assert_string_equal(p.syn_options, "mss,nop,ws");
	assert_int_equal(ref_profile_set(&p, "name", "mine", err, sizeof err), 0);
	assert_string_equal(p.name, "mine");
	assert_int_equal(ref_profile_set(&p, "base", "lwip", err, sizeof err), 0);
	assert_string_equal(p.name, "mine"); /* the base's values, our name */
	assert_int_equal(p.rto_initial, 3000000);
}

static void test_profile_set_errors_name_key_and_value(void **state)
{
	struct ref_profile p = *ref_profile_rfc();
	char err[128];

	(void)state;
	assert_int_equal(ref_profile_set(&p, "frobnicate", "1", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "unknown profile key 'frobnicate'"));
	assert_int_equal(ref_profile_set(&p, "sack", "maybe", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "expected on or off"));
	assert_int_equal(ref_profile_set(&p, "rto_min", "1parsec", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "expected a time"));
	assert_int_equal(ref_profile_set(&p, "ttl", "256", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, "ttl", "-1", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, "cc", "cubic", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, "wscale_shift", "15", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, "syn_options", "mss,md5", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, "base", "bsd", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, "name", "", err, sizeof err), -EINVAL);
	assert_int_equal(ref_profile_set(&p, NULL, "1", NULL, 0), -EINVAL);
	assert_true(p.sack); /* unchanged by the failures */
	assert_int_equal(p.ttl, 64);
}

static void test_profile_parse_comments_and_base(void **state)
{
	struct ref_profile p;
	char err[128];

	(void)state;
	memset(&p, 0, sizeof p);
	assert_int_equal(ref_profile_parse(&p,
					   "# mine\n"
					   "base = rfc\r\n"
					   "\n"
					   "  timestamps = off   # no TS\n"
					   "iw_segments=10\n"
					   "name = mine",
					   err, sizeof err),
			 0);
	assert_string_equal(p.name, "mine");
	assert_false(p.timestamps);
	assert_int_equal(p.iw_segments, 10);
	assert_true(p.sack);
}

static void test_profile_parse_error_names_the_line(void **state)
{
	struct ref_profile p = *ref_profile_rfc();
	char err[128];

	(void)state;
	assert_int_equal(ref_profile_parse(&p, "sack = off\nbogus line\n", err, sizeof err),
			 -EINVAL);
	assert_string_equal(err, "line 2: expected key = value");
	assert_false(p.sack); /* the lines before the bad one applied */
	assert_int_equal(ref_profile_parse(&p, "\n\nmsl = forever\n", err, sizeof err), -EINVAL);
	assert_non_null(strstr(err, "line 3: msl = 'forever'"));
}

static void test_profile_format_parses_back(void **state)
{
	const char *const *k;
	struct ref_profile p;
	char text[8192], a[64], b[64];

	(void)state;
	assert_true(ref_profile_format(ref_profile_by_name("lwip"), text, sizeof text) <
		    sizeof text);
	memset(&p, 0, sizeof p);
	assert_int_equal(ref_profile_parse(&p, text, NULL, 0), 0);
	for (k = ref_profile_keys(); *k; k++) {
		assert_int_equal(ref_profile_get(&p, *k, a, sizeof a), 0);
		assert_int_equal(ref_profile_get(ref_profile_by_name("lwip"), *k, b, sizeof b), 0);
		assert_string_equal(a, b);
	}
	assert_int_equal(ref_profile_get(&p, "nope", a, sizeof a), -EINVAL);
}

/* The files next to this test's source: reference/profiles/. */
static void read_profile_file(const char *name, char *text, size_t cap)
{
	char path[1024];
	const char *slash = strrchr(__FILE__, '/');
	FILE *f;
	size_t n;

	assert_non_null(slash);
	snprintf(path, sizeof path, "%.*s/../profiles/%s.profile", (int)(slash - __FILE__),
		 __FILE__, name);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(text, 1, cap - 1, f);
	fclose(f);
	text[n] = '\0';
}

static void test_profile_files_agree_with_builtins(void **state)
{
	const char *const *name, *const *k;
	struct ref_profile p;
	char text[16384], a[64], b[64], line[80];
	char err[128];

	(void)state;
	for (name = ref_profile_names(); *name; name++) {
		read_profile_file(*name, text, sizeof text);
		memset(&p, 0, sizeof p);
		assert_int_equal(ref_profile_parse(&p, text, err, sizeof err), 0);
		assert_string_equal(p.name, *name);
		for (k = ref_profile_keys(); *k; k++) {
			snprintf(line, sizeof line, "\n%s = ", *k);
			if (strstr(text, line) == NULL)
				fail_msg("%s.profile lacks key %s", *name, *k);
			ref_profile_get(&p, *k, a, sizeof a);
			ref_profile_get(ref_profile_by_name(*name), *k, b, sizeof b);
			if (strcmp(a, b) != 0)
				fail_msg("%s.profile: %s = %s, built-in %s", *name, *k, a, b);
		}
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_profile_builtins_by_name),
	cmocka_unit_test(test_profile_set_each_kind_of_value),
	cmocka_unit_test(test_profile_set_errors_name_key_and_value),
	cmocka_unit_test(test_profile_parse_comments_and_base),
	cmocka_unit_test(test_profile_parse_error_names_the_line),
	cmocka_unit_test(test_profile_format_parses_back),
	cmocka_unit_test(test_profile_files_agree_with_builtins),
};

TC_CMOCKA_MAIN(tests)
