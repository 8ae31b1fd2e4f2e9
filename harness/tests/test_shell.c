/* Shell lines read, not run (harness/shell.c, cli_shell_translate): the
 * kernel selftests' sysctl idioms become @config sysctl.NAME items, the
 * command leaves the event list without changing the script's text, and
 * anything else stays SKIP with its reason. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/cli.h"

#define BODY "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 close(3) = 0\n"

struct fx {
	char dir[64];
	char path[128];
	struct scr_script *s;
	struct scr_diag diag;
};

static int fx_setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	FILE *f;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/tc_shell_XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->path, sizeof fx->path, "%s/defaults.sh", fx->dir);
	f = fopen(fx->path, "w");
	assert_non_null(f);
	fputs("#!/bin/bash\n# comment\nip tcp_metrics flush all > /dev/null 2>&1\n"
	      "sysctl -q net.ipv4.tcp_rmem=\"4096 540000 $((15*1024*1024))\"\n"
	      "sysctl -q net.ipv4.tcp_sack=1\ntc qdisc add dev tun0 root pfifo\n",
	      f);
	fclose(f);
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;
	char cmd[160];
	scr_script_free(fx->s);
	snprintf(cmd, sizeof cmd, "rm -rf %s", fx->dir);
	assert_int_equal(system(cmd), 0);
	free(fx);
	return 0;
}

/* Write `text` as x.pkt next to defaults.sh and load it. */
static int load(struct fx *fx, const char *text)
{
	FILE *f;
	scr_script_free(fx->s);
	fx->s = NULL;
	snprintf(fx->path, sizeof fx->path, "%s/x.pkt", fx->dir);
	f = fopen(fx->path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return cli_load_script(fx->path, 4, NULL, 0, &fx->s, &fx->diag);
}

static void test_shell_defaults_file_becomes_config(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(load(fx, "`./defaults.sh\nsysctl -q net.ipv4.tcp_sack=0`\n" BODY), 0);
	assert_int_equal(fx->s->n_skips, 0);
	assert_int_equal(fx->s->n_events, 2);
	assert_string_equal(scr_script_config(fx->s, "sysctl.net.ipv4.tcp_rmem"),
			    "4096 540000 15728640");
	/* the later assignment wins */
	assert_string_equal(scr_script_config(fx->s, "sysctl.net.ipv4.tcp_sack"), "0");
}

static void test_shell_set_sysctls_py_and_slashes(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(load(fx, "`./set_sysctls.py /proc/sys/net/ipv4/tcp_frto=2 \\\n"
				  "   /proc/sys/net/ipv4/tcp_min_tso_segs=10\n"
				  "sysctl -e -q net/ipv4/tcp_pacing_ss_ratio=200`\n" BODY),
			 0);
	assert_string_equal(scr_script_config(fx->s, "sysctl.net.ipv4.tcp_frto"), "2");
	assert_string_equal(scr_script_config(fx->s, "sysctl.net.ipv4.tcp_min_tso_segs"), "10");
	assert_string_equal(scr_script_config(fx->s, "sysctl.net.ipv4.tcp_pacing_ss_ratio"),
			    "200");
}

static void test_shell_folded_text_is_kept(void **state)
{
	struct fx *fx = *state;
	const char *text = "// hi\n`./defaults.sh`\n\n" BODY "`/tmp/sysctl_restore_${PPID}.sh`\n";
	char *out = NULL;
	size_t n = 0;
	assert_int_equal(load(fx, text), 0);
	assert_int_equal(fx->s->n_events, 2);
	assert_int_equal(scr_write(fx->s, SCR_WRITE_SOURCE, &out, &n), 0);
	assert_string_equal(out, text);
	free(out);
}

static void test_shell_unknown_command_stays_skip(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(load(fx, "`rm -rf /tmp/nothing`\n" BODY), 0);
	assert_int_equal(fx->s->n_skips, 1);
	assert_int_equal(fx->s->events[0].kind, SCR_EV_SKIP);
	assert_non_null(strstr(fx->s->events[0].u.skip.reason, "'rm -rf /tmp/nothing' is not "
								"understood"));
}

static void test_shell_sysctl_after_start_stays_skip(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(load(fx, BODY "+0 `sysctl -q net.ipv4.tcp_sack=0`\n"), 0);
	assert_int_equal(fx->s->n_skips, 1);
	assert_non_null(strstr(fx->s->events[2].u.skip.reason, "after the script has started"));
	assert_null(scr_script_config(fx->s, "sysctl.net.ipv4.tcp_sack"));
}

static void test_shell_missing_file_and_bad_arith(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(load(fx, "`./nothere.sh`\n" BODY), 0);
	assert_non_null(strstr(fx->s->events[0].u.skip.reason, "./nothere.sh"));
	assert_int_equal(load(fx, "`sysctl -q net.ipv4.tcp_rmem=\"$((4096*))\"`\n" BODY), 0);
	assert_int_equal(fx->s->events[0].kind, SCR_EV_SKIP);
	assert_int_equal(load(fx, "`sysctl -q novalue`\n" BODY), 0);
	assert_non_null(strstr(fx->s->events[0].u.skip.reason, "NAME=VALUE"));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_shell_defaults_file_becomes_config, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shell_set_sysctls_py_and_slashes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shell_folded_text_is_kept, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shell_unknown_command_stays_skip, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shell_sysctl_after_start_stays_skip, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_shell_missing_file_and_bad_arith, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
