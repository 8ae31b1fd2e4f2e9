/* Out-of-memory tests of the script front end (harness/script.h): the
 * sources are compiled into this test with malloc, calloc and realloc
 * replaced by versions that fail the Nth call, and a parse (and a write) is
 * run once for every N. Each must end in success or SCR_ENOMEM, never in a
 * crash, another error or a leak (the sanitizer builds check the leaks). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static long oom_count, oom_fail_at = -1;

static void *oom_malloc(size_t n)
{
	return ++oom_count == oom_fail_at ? NULL : malloc(n);
}

static void *oom_calloc(size_t a, size_t b)
{
	return ++oom_count == oom_fail_at ? NULL : calloc(a, b);
}

static void *oom_realloc(void *p, size_t n)
{
	return ++oom_count == oom_fail_at ? NULL : realloc(p, n);
}

/* The front end itself, built here with the failing allocators (the
 * copies in tc_harness are then not linked in). */
#define malloc	oom_malloc
#define calloc	oom_calloc
#define realloc oom_realloc
#include "harness/script_ast.c"
#include "harness/script_lex.c"
#include "harness/script_parse.c"
#undef malloc
#undef calloc
#undef realloc

#include "cmake/cmocka_main.h"

static const char rich[] =
	"// @requirement MUST-7 §3.10.7.4\n"
	"// @targets ref lwip\n// @xfail lwip no reason at all\n// @profile rfc\n"
	"// @config sack=off ts=off\n// @family ipv4|ipv6\n"
	"--tolerance_usecs=10000\n"
	"0 socket(FAM, SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"+0 setsockopt(3, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
	"+0 < [ect0] S 0:0(0) win 8192 <mss MSS,sackOK,TS val 1 ecr 0,nop,wscale 7>\n"
	"+0 > S. 0:0(0) ack 1 <...>\n"
	"+0 < . 1:1(0) ack 1 <nop,nop,sack 1:2 3:4>\n"
	"+0 poll([{fd=4, events=EV, revents=POLLIN}], 1, 0) = 1\n"
	"+0...0.1 read(4, ..., 10) = -1 EAGAIN (Resource temporarily unavailable)\n"
	"+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n"
	"+0 > none for 0.5\n+0 state ESTABLISHED\n"
	"+0 `true`\n+0 epoll_create(1) = 5\n+0 < udp (10)\n"
	"+0 %{ assert x == 1 }%\n";

static const struct scr_define user[] = {{"MSS", "1460"}, {"EV", "POLLIN|POLLOUT"}};
static const struct scr_define v4[] = {{"FAM", "AF_INET"}};
static const struct scr_define v6[] = {{"FAM", "AF_INET6"}};

/* Run one parse and both writes; returns the parse's code. */
static int run_once(const char *text)
{
	struct scr_defines d = {user, 2, v4, 1, v6, 1, 0};
	struct scr_script *s = NULL;
	struct scr_diag diag;
	char *out = NULL;
	char small[8];
	size_t i;
	int rc = scr_parse("oom.pkt", text, strlen(text), &d, &s, &diag);
	if (rc) {
		assert_null(s);
		return rc;
	}
	for (i = 0; i < s->n_events; i++) {
		int n = scr_event_format(&s->events[i], small, sizeof small);
		assert_true(n > 0 || n == SCR_ENOMEM);
	}
	rc = scr_write(s, SCR_WRITE_REGEN, &out, NULL);
	assert_true(rc == 0 || rc == SCR_ENOMEM);
	free(out);
	out = NULL;
	rc = scr_write(s, SCR_WRITE_SOURCE, &out, NULL);
	assert_true(rc == 0 || rc == SCR_ENOMEM);
	free(out);
	scr_script_free(s);
	return 0;
}

static void every_allocation_fails_once(const char *text)
{
	long total, n;
	oom_fail_at = -1;
	oom_count = 0;
	assert_int_equal(run_once(text), 0);
	total = oom_count;
	assert_true(total > 20);
	for (n = 1; n <= total; n++) {
		int rc;
		oom_count = 0;
		oom_fail_at = n;
		rc = run_once(text);
		if (rc != 0 && rc != SCR_ENOMEM)
			fail_msg("allocation %ld failing gave %d, not SCR_ENOMEM", n, rc);
	}
	oom_fail_at = -1;
}

static void oom_rich_script(void **state)
{
	(void)state;
	every_allocation_fails_once(rich);
}

static void oom_family_reparse(void **state)
{
	(void)state;
	/* A define expanded before @family: the parse runs twice. */
	every_allocation_fails_once("0 socket(FAM, SOCK_STREAM, IPPROTO_TCP) = 3\n"
				    "+0 close(3) = 0\n// @family ipv6\n");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(oom_rich_script),
	cmocka_unit_test(oom_family_reparse),
};

TC_CMOCKA_MAIN(tests)
