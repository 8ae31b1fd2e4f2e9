/* tcpcheck's command line (DESIGN.md §7).
 *
 *   tcpcheck run [options] PATH...     run scripts (files or directories)
 *   tcpcheck diff [options] PATH...    oracle mode (diff.h)
 *   tcpcheck profiles [NAME|FILE]...   print reference profiles
 *   tcpcheck expect [options] FILE     fill in a script's outbound lines
 *   tcpcheck requirements [options]    the requirement traceability matrix
 *   tcpcheck fuzz-to-script INPUT      a fuzz finding as a script
 *   tcpcheck targets                   list the targets of this build
 *
 * Exit codes: 0 all passed, 1 some failed, 2 usage or input error, 3
 * environment (a target that cannot run here). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness/cli.h"
#include "harness/version.h"
#include "targets/target.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: tcpcheck COMMAND [options] ...\n"
		   "\n"
		   "commands:\n"
		   "  run       run scripts against a target and report\n"
		   "  diff      oracle mode: the reference predicts, the target is judged\n"
		   "  profiles  print the reference's profiles (key = value)\n"
		   "  expect    write a script's outbound lines from the reference\n"
		   "  requirements  the traceability matrix: requirement -> scripts -> targets\n"
		   "  fuzz-to-script  a fuzz_ref finding as a minimal readable script\n"
		   "  targets   list the targets of this build and whether they can run here\n"
		   "\n"
		   "`tcpcheck COMMAND --help` tells more. Exit codes: 0 all passed, 1 some\n"
		   "failed, 2 usage or input error, 3 environment (a target cannot run here).\n");
}

static int cmd_targets(int argc, char **argv)
{
	const struct tgt_ops *const *reg;
	size_t n, i;
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		printf("usage: tcpcheck targets\n\nLists the targets built in, their "
		       "capabilities, and whether each can run on this machine.\n");
		return 0;
	}
	reg = tgt_registry(&n);
	for (i = 0; i < n; i++) {
		char why[256] = "";
		int rc = reg[i]->available(why, sizeof why);
		printf("%-10s %-9s %s%s%s%s\n", reg[i]->name, rc == 0 ? "ready" : "unavailable",
		       reg[i]->description,
		       reg[i]->caps & TGT_CAP_VIRTUAL_TIME ? " [virtual time]" : " [real time]",
		       rc == 0 ? "" : ": ", rc == 0 ? "" : why);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("tcpcheck %s\n", tc_version());
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cli_run(argc - 1, argv + 1);
	if (strcmp(argv[1], "diff") == 0)
		return cli_diff(argc - 1, argv + 1);
	if (strcmp(argv[1], "profiles") == 0)
		return cli_profiles(argc - 1, argv + 1);
	if (strcmp(argv[1], "expect") == 0)
		return cli_expect(argc - 1, argv + 1);
	if (strcmp(argv[1], "requirements") == 0)
		return cli_requirements(argc - 1, argv + 1);
	if (strcmp(argv[1], "fuzz-to-script") == 0)
		return cli_fuzz_to_script(argc - 1, argv + 1);
	if (strcmp(argv[1], "targets") == 0)
		return cmd_targets(argc - 1, argv + 1);
	fprintf(stderr, "tcpcheck: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
