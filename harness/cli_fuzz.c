/* `tcpcheck fuzz-to-script`: a fuzz_ref finding as a readable script
 * (DESIGN.md §6; harness/actions/actions.h for the input format).
 *
 *   tcpcheck fuzz-to-script INPUT [-o OUT.pkt]   crash/violation -> script
 *   tcpcheck fuzz-to-script --check SCRIPT       does SCRIPT show a violation?
 *   tcpcheck fuzz-to-script --reverse SCRIPT -o OUT   script -> action bytes
 *
 * Each replay runs in a child process, so an input that crashes the
 * reference (a sanitizer report, an abort) is handled like an invariant
 * violation: its signature is "crash: <how the child died>". The sequence
 * is cut after the action that shows the violation, then minimised (chunks
 * and single actions removed while the same signature still shows), and
 * the script is checked by converting it back to actions and replaying. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness/actions/actions.h"
#include "harness/cli.h"

#define CHILD_VIOLATION 77

static void usage(FILE *f)
{
	fprintf(f, "usage: tcpcheck fuzz-to-script [options] INPUT\n"
		   "\n"
		   "Replays a fuzz_ref input (a crash or invariant violation), minimises it to the\n"
		   "fewest actions that still show the same finding, and writes a readable .pkt\n"
		   "script that reproduces it (for specs/findings/).\n"
		   "\n"
		   "  -o, --output FILE   write the script (or, with --reverse, the input) there\n"
		   "      --no-minimize   keep every action up to the finding\n"
		   "      --check         INPUT is a script: exit 1 and name the violation if\n"
		   "                      replaying its actions shows one, 0 if not\n"
		   "      --reverse       INPUT is a script: write its action sequence (a fuzz_ref\n"
		   "                      input, for the seed corpus)\n"
		   "      --always        write the script of INPUT even if it shows nothing\n"
		   "      --planted       turn on the planted defect (tests only)\n"
		   "  -h, --help          this text\n"
		   "\n"
		   "Exit codes: 0 script written (--check: no violation), 1 the input shows\n"
		   "no finding (--check: a violation), 2 usage or input error.\n");
}

struct fz_cli {
	const char *output;
	bool minimize, check, reverse, planted, always;
};

/* ---- one replay in a child ---------------------------------------------------- */

/* Run the actions in a child: 0 nothing, 1 with `*v` (a violation or a
 * crash), -errno if the child could not run. */
static int trial(const struct fz_action *a, size_t n, bool planted, struct fz_violation *v)
{
	int fds[2], status;
	pid_t pid;
	ssize_t got;
	fflush(NULL);
	if (pipe(fds) != 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -errno;
	}
	if (pid == 0) {
		struct fz_exec_config cfg = { .planted = planted };
		struct fz_violation cv;
		int rc;
		close(fds[0]);
		rc = fz_run(a, n, &cfg, &cv);
		if (rc == 1 && write(fds[1], &cv, sizeof cv) == (ssize_t)sizeof cv)
			_exit(CHILD_VIOLATION);
		_exit(rc == 0 ? 0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], v, sizeof *v);
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_VIOLATION &&
	    got == (ssize_t)sizeof *v)
		return 1;
	memset(v, 0, sizeof *v);
	v->action = n ? n - 1 : 0;
	if (WIFSIGNALED(status)) {
		snprintf(v->sig, sizeof v->sig, "crash: signal %d", WTERMSIG(status));
		snprintf(v->what, sizeof v->what, "the replay died of signal %d (%s)",
			 WTERMSIG(status), strsignal(WTERMSIG(status)));
	} else {
		snprintf(v->sig, sizeof v->sig, "crash: exit %d", WEXITSTATUS(status));
		snprintf(v->what, sizeof v->what, "the replay exited with %d (a sanitizer report?)",
			 WEXITSTATUS(status));
	}
	return 1;
}

static bool same(const struct fz_action *a, size_t n, bool planted, const char *sig)
{
	struct fz_violation v;
	return trial(a, n, planted, &v) == 1 && strcmp(v.sig, sig) == 0;
}

/* Remove chunks, halving their size down to single actions, while the
 * finding stays. Returns the new count. */
static size_t minimize(struct fz_action *a, size_t n, bool planted, const char *sig)
{
	static struct fz_action b[FZ_MAX_ACTIONS];
	size_t k, i;
	for (k = n / 2 ? n / 2 : 1; k >= 1; k /= 2) {
		for (i = 0; i + k <= n;) {
			memcpy(b, a, i * sizeof *a);
			memcpy(b + i, a + i + k, (n - i - k) * sizeof *a);
			if (n - k > 0 && same(b, n - k, planted, sig)) {
				memcpy(a, b, (n - k) * sizeof *a);
				n -= k;
			} else {
				i++;
			}
		}
		if (k == 1)
			break;
	}
	return n;
}

/* ---- the modes ------------------------------------------------------------------- */

static int read_file(const char *path, uint8_t **out, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f)
		return -errno;
	for (;;) {
		size_t got;
		if (n == cap) {
			uint8_t *g = realloc(buf, cap = cap ? cap * 2 : 4096);
			if (!g) {
				free(buf);
				fclose(f);
				return -ENOMEM;
			}
			buf = g;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

static int write_bytes(const char *path, const void *p, size_t n)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f)
		return -errno;
	fwrite(p, 1, n, f);
	if (f == stdout)
		return fflush(f) == 0 ? 0 : -EIO;
	return fclose(f) == 0 ? 0 : -EIO;
}

static int script_actions(const char *path, struct fz_action *a, size_t *n)
{
	struct scr_script *s = NULL;
	struct scr_diag diag;
	if (cli_load_script(path, 4, NULL, 0, &s, &diag) != 0) {
		fprintf(stderr, "%s\n", diag.msg);
		return CLI_USAGE;
	}
	*n = fz_from_script(s, a, FZ_MAX_ACTIONS);
	scr_script_free(s);
	return 0;
}

static int do_reverse(const struct fz_cli *c, const char *path)
{
	static struct fz_action a[FZ_MAX_ACTIONS];
	static uint8_t buf[FZ_MAX_ACTIONS * 64];
	size_t n;
	long len;
	int rc = script_actions(path, a, &n);
	if (rc != 0)
		return rc;
	len = fz_encode(a, n, buf, sizeof buf);
	if (len < 0 || write_bytes(c->output, buf, (size_t)len) != 0) {
		fprintf(stderr, "tcpcheck fuzz-to-script: cannot write %s\n",
			c->output ? c->output : "stdout");
		return CLI_USAGE;
	}
	return CLI_OK;
}

static int do_check(const struct fz_cli *c, const char *path)
{
	static struct fz_action a[FZ_MAX_ACTIONS];
	struct fz_violation v;
	size_t n;
	int rc = script_actions(path, a, &n);
	if (rc != 0)
		return rc;
	rc = trial(a, n, c->planted, &v);
	if (rc < 0) {
		fprintf(stderr, "tcpcheck fuzz-to-script: %s\n", strerror(-rc));
		return CLI_ENV;
	}
	if (rc == 0) {
		printf("%s: %zu actions, no violation\n", path, n);
		return CLI_OK;
	}
	printf("%s: violation after action %zu: %s: %s\n", path, v.action, v.sig, v.what);
	return CLI_FAILED;
}

static int write_script(const struct fz_cli *c, const struct fz_action *a, size_t n,
			const struct fz_violation *v, size_t n_input)
{
	struct scr_script *s = NULL;
	char comment[1024], *text = NULL;
	size_t len = 0;
	int rc;
	snprintf(comment, sizeof comment,
		 "Found by fuzz_ref: %s.\n%s (after the last line).\n"
		 "Minimised from %zu actions to %zu by tcpcheck fuzz-to-script; the outbound\n"
		 "lines are what the reference sent. Replay the check with\n"
		 "  tcpcheck fuzz-to-script --check%s THIS.pkt",
		 v->sig, v->what, n_input, n, c->planted ? " --planted" : "");
	rc = fz_script_build(a, n, c->planted, comment, &s);
	if (rc == 0 && scr_write(s, SCR_WRITE_SOURCE, &text, &len) != 0)
		rc = -ENOMEM;
	if (rc == 0)
		rc = write_bytes(c->output, text, len);
	free(text);
	scr_script_free(s);
	return rc;
}

/* After writing: does the script, read back, still show the finding? */
static void verify(const struct fz_cli *c, const char *sig)
{
	static struct fz_action a[FZ_MAX_ACTIONS];
	size_t n;
	if (!c->output || script_actions(c->output, a, &n) != 0)
		return;
	if (!same(a, n, c->planted, sig))
		fprintf(stderr,
			"tcpcheck fuzz-to-script: warning: %s does not reproduce '%s' when read "
			"back (options no script can write?); keep the input file too\n",
			c->output, sig);
}

static int do_input(const struct fz_cli *c, const char *path)
{
	static struct fz_action a[FZ_MAX_ACTIONS];
	struct fz_violation v;
	uint8_t *bytes = NULL;
	size_t len = 0, n, n_input;
	int rc = read_file(path, &bytes, &len);
	if (rc != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(-rc));
		return CLI_USAGE;
	}
	n = n_input = fz_decode(bytes, len, a, FZ_MAX_ACTIONS);
	free(bytes);
	rc = trial(a, n, c->planted, &v);
	if (rc == 0 && c->always) {
		snprintf(v.sig, sizeof v.sig, "no finding");
		snprintf(v.what, sizeof v.what, "Every invariant holds");
		return write_script(c, a, n, &v, n) == 0 ? CLI_OK : CLI_USAGE;
	}
	if (rc <= 0) {
		fprintf(stderr, "%s: %s\n", path, rc < 0 ? strerror(-rc) : "no finding: every invariant holds");
		return rc < 0 ? CLI_ENV : CLI_FAILED;
	}
	if (v.action + 1 < n && same(a, v.action + 1, c->planted, v.sig))
		n = v.action + 1;
	if (c->minimize)
		n = minimize(a, n, c->planted, v.sig);
	trial(a, n, c->planted, &v); /* the explanation of the minimal one */
	fprintf(stderr, "%s: %s: %s; %zu of %zu actions kept\n", path, v.sig, v.what, n, n_input);
	if (write_script(c, a, n, &v, n_input) != 0) {
		fprintf(stderr, "tcpcheck fuzz-to-script: cannot write the script\n");
		return CLI_USAGE;
	}
	verify(c, v.sig);
	return CLI_OK;
}

int cli_fuzz_to_script(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "no-minimize", no_argument, NULL, 'n' },
		{ "check", no_argument, NULL, 'c' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "planted", no_argument, NULL, 'P' },
		{ "always", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fz_cli c = { .minimize = true };
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:h", longs, NULL)) != -1) {
		switch (opt) {
		case 'o': c.output = optarg; break;
		case 'n': c.minimize = false; break;
		case 'c': c.check = true; break;
		case 'r': c.reverse = true; break;
		case 'P': c.planted = true; break;
		case 'a': c.always = true; break;
		case 'h': usage(stdout); return CLI_OK;
		default: usage(stderr); return CLI_USAGE;
		}
	}
	if (optind != argc - 1 || (c.check && c.reverse)) {
		usage(stderr);
		return CLI_USAGE;
	}
	if (c.reverse)
		return do_reverse(&c, argv[optind]);
	if (c.check)
		return do_check(&c, argv[optind]);
	return do_input(&c, argv[optind]);
}
