/* tcpcheck diff: oracle mode (diff.h), and tcpcheck profiles. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/cli.h"
#include "harness/diff.h"
#include "harness/diff_report.h"
#include "harness/pcap_out.h"
#include "harness/version.h"
#include "reference/ref_profile.h"

#define DIFF_MAX_SET 64

static void diff_usage(FILE *f)
{
	fprintf(f,
		"usage: tcpcheck diff [options] PATH...\n"
		"\n"
		"Oracle mode: each script's inbound packets and socket verbs drive both the\n"
		"reference (with a profile) and the target; the script's `>` lines are\n"
		"ignored and every divergence from the reference is a finding, with the\n"
		"event, the fields, the reference's rule and a class (violation, deviation,\n"
		"timing). See harness/diff.h for the normalisation and the classes.\n"
		"\n"
		"  -t, --target T        the target under test (default ref)\n"
		"  -p, --profile P       the reference's profile, a name or a .profile file\n"
		"                        (default: the target's own: lwip for lwip, linux\n"
		"                        for linux and linux-raw, rfc for ref)\n"
		"      --set KEY=VALUE   override one profile key (repeatable)\n"
		"  -f, --format F        text (default), json or junit\n"
		"  -o, --output FILE     write the report there\n"
		"      --pcap-dir D      a pcap of the target's run per script\n"
		"      --ip-version 4|6  the family (default: the script's)\n"
		"      --tolerance-usecs N  timing tolerance (default: the script's, or 4000)\n"
		"      --seed N          ISNs and ports (default 1)\n"
		"  -j, --jobs N          diff N scripts at a time (default 1)\n"
		"      --max-span S      real-time targets: scripts spanning more than S\n"
		"                        seconds are SKIP \"slow\" (default 10; 0: no limit)\n"
		"      --also-check      also run each script against the target as `run`\n"
		"                        does (its own `>` lines as expectations); reported\n"
		"                        apart from the oracle's findings, a failure exits 1\n"
		"      --no-explain      do not search the profile for explanations\n"
		"      --no-ladder       text: no ladder diagrams\n"
		"  -q, --quiet           text: the summary only\n"
		"\n"
		"Exit codes: 0 no findings, 1 findings, 2 usage or input error, 3 environment.\n");
}

struct diff_cfg {
	struct diff_opts o;
	struct tgt_setting set[DIFF_MAX_SET];
	char *set_keys[DIFF_MAX_SET];
	struct tgt_setting tset[DIFF_MAX_SET];
	const char *format;
	const char *output;
	const char *pcap_dir;
	bool ladder, quiet, also_check;
	int jobs;
	uint64_t max_span_us;
};

static int add_set(struct tgt_setting *set, size_t *n, char **keys, char *arg, bool profile)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg || *n >= DIFF_MAX_SET)
		return -EINVAL;
	*eq = '\0';
	if (profile) {
		struct ref_profile p = *ref_profile_rfc();
		char err[200];
		size_t len = strlen(arg) + 9;
		if (ref_profile_set(&p, arg, eq + 1, err, sizeof err) != 0) {
			fprintf(stderr, "tcpcheck diff: --set %s=%s: %s\n", arg, eq + 1, err);
			return -EINVAL;
		}
		keys[*n] = malloc(len);
		if (!keys[*n])
			return -ENOMEM;
		snprintf(keys[*n], len, "profile.%s", arg);
		set[*n].key = keys[*n];
	} else {
		set[*n].key = arg;
	}
	set[*n].value = eq + 1;
	(*n)++;
	return 0;
}

enum { OPT_SET = 256, OPT_TSET, OPT_PCAP, OPT_IPV, OPT_TOL, OPT_SEED, OPT_NOEX, OPT_NOLAD, OPT_SPAN,
       OPT_CHECK };

static const struct option diff_long[] = {
	{ "target", required_argument, NULL, 't' },
	{ "profile", required_argument, NULL, 'p' },
	{ "set", required_argument, NULL, OPT_SET },
	{ "target-set", required_argument, NULL, OPT_TSET }, /* tests: mutant=NAME */
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "pcap-dir", required_argument, NULL, OPT_PCAP },
	{ "ip-version", required_argument, NULL, OPT_IPV },
	{ "tolerance-usecs", required_argument, NULL, OPT_TOL },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "also-check", no_argument, NULL, OPT_CHECK },
	{ "no-explain", no_argument, NULL, OPT_NOEX },
	{ "no-ladder", no_argument, NULL, OPT_NOLAD },
	{ "quiet", no_argument, NULL, 'q' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "max-span", required_argument, NULL, OPT_SPAN },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_one(struct diff_cfg *c, int opt, char *arg)
{
	switch (opt) {
	case 't':
		c->o.target = tgt_find(arg);
		if (!c->o.target) {
			fprintf(stderr, "tcpcheck diff: unknown target '%s'\n", arg);
			return -EINVAL;
		}
		return 0;
	case 'p': c->o.profile = arg; return 0;
	case OPT_SET: return add_set(c->set, &c->o.n_set, c->set_keys, arg, true);
	case OPT_TSET: return add_set(c->tset, &c->o.n_target_set, NULL, arg, false);
	case 'f': c->format = arg; return 0;
	case 'o': c->output = arg; return 0;
	case OPT_PCAP: c->pcap_dir = arg; return 0;
	case OPT_IPV:
		c->o.family = atoi(arg);
		return c->o.family == 4 || c->o.family == 6 ? 0 : -EINVAL;
	case OPT_TOL: c->o.tolerance_us = strtoll(arg, NULL, 10); return 0;
	case OPT_SEED: c->o.seed = strtoull(arg, NULL, 10); return 0;
	case OPT_NOEX: c->o.no_explain = true; return 0;
	case OPT_CHECK: c->also_check = true; return 0;
	case OPT_NOLAD: c->ladder = false; return 0;
	case 'q': c->quiet = true; return 0;
	case 'j': return cli_parse_jobs(arg, &c->jobs);
	case OPT_SPAN: return cli_parse_span(arg, &c->max_span_us);
	default: return -EINVAL;
	}
}

/* ---- scripts ---------------------------------------------------------------- */

static struct cap_file *open_pcap(const struct diff_cfg *c, const char *path)
{
	char name[1024], file[2048], err[256];
	struct cap_file *cf = NULL;
	size_t i;
	if (!c->pcap_dir)
		return NULL;
	snprintf(name, sizeof name, "%s", path);
	for (i = 0; name[i]; i++)
		if (name[i] == '/')
			name[i] = '_';
	snprintf(file, sizeof file, "%s/%s.diff.pcap", c->pcap_dir, name);
	mkdir(c->pcap_dir, 0777);
	if (cap_open(file, &cf, err, sizeof err) != 0)
		fprintf(stderr, "tcpcheck diff: %s\n", err);
	return cf;
}

/* --also-check: `s` against the target with its own `>` lines, as `run`
 * does (its @targets and @xfail lines apply). */
static int check_one(const struct diff_cfg *c, const struct scr_script *s, struct run_result *chk)
{
	struct run_opts ro;
	memset(&ro, 0, sizeof ro);
	ro.target = c->o.target;
	ro.family = c->o.family;
	ro.seed = c->o.seed;
	ro.tolerance_us = c->o.tolerance_us;
	ro.tolerance_pct = -1;
	ro.extra_settings = c->o.target_set;
	ro.n_extra_settings = c->o.n_target_set;
	return run_script(s, &ro, chk);
}

/* Diff one script (and check it, `chk`, with --also-check); `*input_error`
 * when it does not parse. Jobs run on several threads: each has its own
 * copy of the options (its pcap). */
static int diff_one(const struct diff_cfg *c, const char *path, struct diff_result *r,
		    struct run_result *chk, bool *input_error)
{
	struct scr_script *s = NULL;
	struct scr_diag diag;
	struct diff_opts o = c->o;
	int rc;
	memset(&diag, 0, sizeof diag);
	memset(r, 0, sizeof *r);
	rc = cli_load_script(path, c->o.family, NULL, 0, &s, &diag);
	if (rc != 0) {
		fprintf(stderr, "%s\n", diag.msg);
		*input_error = true;
		r->status = DIFF_ERROR;
		snprintf(r->reason, sizeof r->reason, "%s", diag.msg);
		return 0;
	}
	if (cli_too_slow(c->o.target->caps, run_script_span(s), c->max_span_us, r->reason,
			 sizeof r->reason)) {
		r->status = DIFF_SKIP;
		scr_script_free(s);
		return 0;
	}
	o.pcap = open_pcap(c, path);
	rc = diff_script(s, &o, r);
	cap_close(o.pcap);
	if (rc == 0 && c->also_check)
		rc = check_one(c, s, chk);
	scr_script_free(s);
	return rc;
}

/* The scripts of one `diff`, and their results, for the pool. */
struct diff_jobs {
	const struct diff_cfg *c;
	const struct cli_paths *l;
	struct diff_result *r;
	struct run_result *chk;
	bool *input_error;
	bool *nomem;
};

static void diff_job(void *ctx, size_t i)
{
	struct diff_jobs *j = ctx;
	if (diff_one(j->c, j->l->v[i], &j->r[i], &j->chk[i], &j->input_error[i]) != 0)
		j->nomem[i] = true;
}

static void text_one(const struct diff_cfg *c, FILE *f, const char *path,
		     const struct diff_result *r)
{
	size_t i;
	if (c->quiet)
		return;
	if (r->status == DIFF_SKIP || r->status == DIFF_ERROR) {
		fprintf(f, "%-9s %s: %s\n", r->status == DIFF_SKIP ? "SKIP" : "ERROR", path,
			r->reason);
		return;
	}
	for (i = 0; i < r->n_findings; i++)
		diff_report_finding_text(f, path, r, &r->findings[i], c->ladder);
}

static int run_all(struct diff_cfg *c, const struct cli_paths *l, FILE *f)
{
	struct diff_summary *sum = calloc(1, sizeof *sum);
	struct diff_result *res = calloc(l->n + 1, sizeof *res);
	struct run_result *chk = calloc(l->n + 1, sizeof *chk);
	bool *flags = calloc(2 * l->n + 2, sizeof *flags);
	struct diff_jobs jobs = { c, l, res, chk, flags, flags + l->n + 1 };
	void *json = NULL;
	bool junit = !strcmp(c->format, "junit"), input_error = false, check_failed = false;
	size_t i, findings = 0;
	if (!sum || !res || !chk || !flags) {
		free(sum);
		free(res);
		free(chk);
		free(flags);
		return CLI_ENV;
	}
	cli_pool_run(l->n, c->jobs, diff_job, NULL, &jobs);
	if (!strcmp(c->format, "json"))
		json = diff_json_new(c->o.target->name, tc_version());
	for (i = 0; i < l->n; i++) {
		struct diff_result *r = &res[i];
		if (jobs.nomem[i])
			fprintf(stderr, "tcpcheck diff: %s: out of memory\n", l->v[i]);
		input_error |= jobs.input_error[i];
		diff_summary_add(sum, r);
		findings += r->n_findings;
		if (json)
			diff_json_add(json, l->v[i], r);
		else if (!junit)
			text_one(c, f, l->v[i], r);
		if (c->also_check && (r->status == DIFF_SAME || r->status == DIFF_FOUND)) {
			diff_check_add(sum, &chk[i]);
			check_failed |= diff_check_failed(&chk[i]);
			if (json)
				diff_json_add_check(json, l->v[i], &chk[i]);
			else if (!junit && !c->quiet)
				diff_check_text(f, l->v[i], &chk[i]);
		}
		run_result_free(&chk[i]);
		/* The findings are all JUnit needs; the runs can go now. */
		run_result_free(&r->ref);
		run_result_free(&r->tgt);
	}
	if (json)
		diff_json_write(json, sum, f);
	else if (junit)
		diff_junit_write(f, c->o.target->name, (const char *const *)l->v, res, l->n);
	else
		diff_summary_text(f, sum, c->o.target->name);
	if (json || junit) /* the summary goes to the terminal as well */
		diff_summary_text(stderr, sum, c->o.target->name);
	for (i = 0; i < l->n; i++)
		diff_result_free(&res[i]);
	free(res);
	free(chk);
	free(flags);
	free(sum);
	if (input_error)
		return CLI_USAGE;
	return findings || check_failed ? CLI_FAILED : CLI_OK;
}

int cli_diff(int argc, char **argv)
{
	struct diff_cfg c;
	struct cli_paths l = { 0 };
	FILE *f = stdout;
	char why[256] = "";
	int opt, rc = CLI_OK;
	size_t i;
	memset(&c, 0, sizeof c);
	c.o.target = tgt_find("ref");
	c.o.seed = 1;
	c.o.tolerance_us = -1;
	c.o.set = c.set;
	c.o.target_set = c.tset;
	c.format = "text";
	c.ladder = true;
	c.jobs = 1;
	c.max_span_us = CLI_MAX_SPAN_US;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "t:p:f:o:qj:h", diff_long, NULL)) != -1) {
		if (opt == 'h') {
			diff_usage(stdout);
			return CLI_OK;
		}
		if (parse_one(&c, opt, optarg) != 0) {
			diff_usage(stderr);
			rc = CLI_USAGE;
			goto out;
		}
	}
	if (optind >= argc || !c.o.target ||
	    (strcmp(c.format, "text") && strcmp(c.format, "json") && strcmp(c.format, "junit"))) {
		diff_usage(stderr);
		rc = CLI_USAGE;
		goto out;
	}
	if (c.o.target->available(why, sizeof why) != 0) {
		fprintf(stderr, "tcpcheck diff: target %s cannot run here: %s\n",
			c.o.target->name, why);
		rc = CLI_ENV;
		goto out;
	}
	if (cli_collect_scripts("diff", argc - optind, argv + optind, &l) != 0) {
		rc = CLI_USAGE;
		goto out;
	}
	if (c.output && !(f = fopen(c.output, "w"))) {
		fprintf(stderr, "tcpcheck diff: %s: %s\n", c.output, strerror(errno));
		rc = CLI_USAGE;
		goto out;
	}
	rc = run_all(&c, &l, f);
	if (f != stdout)
		fclose(f);
out:
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	for (i = 0; i < c.o.n_set; i++)
		free(c.set_keys[i]);
	return rc;
}

/* ---- tcpcheck profiles --------------------------------------------------------- */

static int print_profile(const char *name)
{
	struct ref_profile p;
	char err[200], *buf;
	size_t need;
	const struct ref_profile *b = ref_profile_by_name(name);
	if (b) {
		p = *b;
	} else {
		FILE *f = fopen(name, "r");
		char text[16384];
		size_t n;
		if (!f) {
			fprintf(stderr, "tcpcheck profiles: no profile '%s'\n", name);
			return CLI_USAGE;
		}
		n = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[n] = '\0';
		p = *ref_profile_rfc();
		if (ref_profile_parse(&p, text, err, sizeof err) != 0) {
			fprintf(stderr, "%s: %s\n", name, err);
			return CLI_USAGE;
		}
	}
	need = ref_profile_format(&p, NULL, 0) + 1;
	buf = malloc(need);
	if (!buf)
		return CLI_ENV;
	ref_profile_format(&p, buf, need);
	printf("# profile %s\n%s\n", name, buf);
	free(buf);
	return CLI_OK;
}

int cli_profiles(int argc, char **argv)
{
	const char *const *names = ref_profile_names();
	int i, rc = CLI_OK;
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: tcpcheck profiles [NAME|FILE]...\n\n"
		       "Prints reference profiles as `key = value` text (every built-in one\n"
		       "without arguments). Copy one into a file, change what your stack does\n"
		       "differently, and pass it to `run`/`diff` with --profile FILE, or change\n"
		       "single keys with `diff --set key=value`.\n");
		return CLI_OK;
	}
	if (argc < 2) {
		for (i = 0; names[i]; i++)
			if (print_profile(names[i]) != CLI_OK)
				rc = CLI_ENV;
		return rc;
	}
	for (i = 1; i < argc; i++)
		if (print_profile(argv[i]) != CLI_OK)
			rc = CLI_USAGE;
	return rc;
}
