/* The subcommands of the tcpcheck program (main.c dispatches to them).
 * Each takes the arguments after "tcpcheck" (argv[0] is the command name)
 * and returns the process exit code: 0 all passed, 1 some failed, 2 usage
 * or input error, 3 environment. */
#ifndef TCPCHECK_HARNESS_CLI_H
#define TCPCHECK_HARNESS_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/script.h"

enum cli_exit {
	CLI_OK = 0,
	CLI_FAILED = 1,
	CLI_USAGE = 2,
	CLI_ENV = 3,
};

/* tcpcheck run */
int cli_run(int argc, char **argv);

/* tcpcheck expect */
int cli_expect(int argc, char **argv);

/* tcpcheck fuzz-to-script: a fuzz_ref finding as a script (cli_fuzz.c) */
int cli_fuzz_to_script(int argc, char **argv);

/* tcpcheck diff: oracle mode (cli_diff.c) */
int cli_diff(int argc, char **argv);

/* tcpcheck profiles: print reference profiles (cli_diff.c) */
int cli_profiles(int argc, char **argv);

/* tcpcheck requirements: the traceability matrix (cli_requirements.c) */
int cli_requirements(int argc, char **argv);

/* Read and parse the script at `path` for `family` (4 or 6; 0: as the
 * script says) with the user's -D defines. Returns 0 and `*out`, or a
 * negative SCR_E* / -errno code with `diag->msg` filled (file:line:col:
 * message, or "path: reason" for I/O). */
int cli_load_script(const char *path, int family, const struct scr_define *user, size_t n_user,
		    struct scr_script **out, struct scr_diag *diag);

/* Read the shell commands of a parsed script (packetdrill's `...` lines,
 * SKIP events after scr_parse) instead of running them (shell.c): the
 * sysctls they set before the first packet or socket call become
 * `@config sysctl.NAME=VALUE` items and the command leaves the event list
 * (its text stays in the next event's lead); clean-up commands that mean
 * nothing in a private namespace go the same way; anything else stays
 * SKIP with the reason it is not understood. `./NAME.sh` is read next to
 * `script_path`. Returns 0 or -ENOMEM / -E2BIG. */
int cli_shell_translate(struct scr_script *s, const char *script_path);

/* The predefined -D values of a family (MSS, DEFAULT_MSS, MTU, MIN_MTU,
 * ICMP_TOO_BIG, ICMP_PORT_UNREACH): `*n` gets their count. */
const struct scr_define *cli_family_defines(int family, size_t *n);

/* Script paths a command was given, owned. */
struct cli_paths {
	char **v;
	size_t n, cap;
};

/* Append every script named in argv: files as given, directories walked
 * recursively (every `.pkt`, each directory's in name order). Errors are
 * printed as "tcpcheck CMD: PATH: reason". Returns 0 or -1. */
int cli_collect_scripts(const char *cmd, int argc, char **argv, struct cli_paths *out);

/* Free the list and zero it. */
void cli_paths_free(struct cli_paths *l);

/* Is `name` a script's file name (ends in .pkt)? */
bool cli_is_script(const char *name);

/* Run fn(ctx, i) for i in [0, n) on `jobs` threads (the caller's among
 * them), taking indices in order; `done` (may be NULL) is called under a
 * lock after each, with the count finished so far. Runs must be
 * independent: each opens its own target instance (cli_pool.c). */
void cli_pool_run(size_t n, int jobs, void (*fn)(void *ctx, size_t i),
		  void (*done)(void *ctx, size_t i, size_t finished), void *ctx);

/* Real-time targets run scripts up to a span limit (--max-span, default
 * CLI_MAX_SPAN_US); longer ones are SKIP "slow". True when `span_us` is
 * over `max_us` on a target without virtual time; `why` gets the reason. */
#define CLI_MAX_SPAN_US 10000000u

/* `-j N` (1..256) and `--max-span S` (seconds, 0..86400, as microseconds)
 * as `run` and `diff` take them: 0, or -EINVAL. */
int cli_parse_jobs(const char *arg, int *out);
int cli_parse_span(const char *arg, uint64_t *us);
bool cli_too_slow(unsigned caps, uint64_t span_us, uint64_t max_us, char *why, size_t cap);

#endif
