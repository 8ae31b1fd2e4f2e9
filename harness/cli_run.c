/* `tcpcheck run`: run scripts against a target and report (DESIGN.md §7). */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli.h"

#define RUN_MAX_CONFIG 32
#include "harness/pcap_out.h"
#include "harness/report.h"
#include "harness/run.h"
#include "targets/target.h"

#define MAX_DEFINES 64

struct run_cfg {
	const struct tgt_ops *target;
	const char *profile;
	enum rpt_format format;
	const char *output;
	const char *pcap_dir;
	int jobs;
	bool shuffle;
	uint64_t shuffle_seed;
	bool timings;
	bool strict;
	bool verbose;
	int families;          /* bit 0: IPv4, bit 1: IPv6; 0 = as each script says */
	bool v4_mapped;        /* --ip-version ipv4-mapped-ipv6 */
	int64_t tolerance_us;  /* -1: the script's */
	double tolerance_pct;  /* -1: the script's */
	uint64_t max_span_us;  /* real-time targets: longer scripts SKIP "slow"; 0: no limit */
	struct tgt_setting config[RUN_MAX_CONFIG]; /* --config, after each script's @config */
	size_t n_config;
	const char *iface;     /* --iface: linux-raw on the user's interface */
	int addr_family;       /* --local-ip / --remote-ip: their family, 0 if none */
	uint8_t local_ip[16], remote_ip[16];
	int addr_given;        /* bit 0: --local-ip, bit 1: --remote-ip */
	bool spans;            /* --spans: print each script's span, run nothing */
	uint64_t seed;
	const char *agent_cmd;     /* --agent-cmd */
	uint32_t agent_timeout_ms; /* --agent-timeout; 0: the target's default */
	const char *as_target;     /* --as-target */
	struct scr_define defines[MAX_DEFINES];
	size_t n_defines;
};

/* One script run to do: a path and a family. */
struct job {
	char *path;
	int family;
	bool input_error;      /* could not be read or parsed */
	struct rpt_script out;
};

static void run_usage(FILE *f)
{
	fprintf(f,
		"usage: tcpcheck run [options] PATH...\n"
		"\n"
		"Runs each script (a .pkt file, or every .pkt under a directory) against a\n"
		"target and reports the verdicts.\n"
		"\n"
		"  -t, --target NAME         target to run against (default: ref)\n"
		"  -p, --profile NAME        reference profile (default: the script's, or rfc)\n"
		"  -f, --format FMT          text (default), json, junit or tap\n"
		"  -o, --output FILE         write the report there instead of stdout\n"
		"      --pcap-dir DIR        write one pcap per script (both directions)\n"
		"  -j, --jobs N              run N scripts at a time (default 1)\n"
		"      --shuffle SEED        run the scripts in a seeded random order\n"
		"      --no-timings          leave wall-clock figures out of reports\n"
		"      --strict-segments     never combine outbound segments\n"
		"      --ip-version V        4, 6, both (each family the script allows),\n"
		"                            ipv4-mapped-ipv6 (IPv4 on the wire, AF_INET6\n"
		"                            sockets), or the script's own (default)\n"
		"      --tolerance-usecs N   timing tolerance (default: the script's, or 4000)\n"
		"      --tolerance-percent P also a time off by P%% of the interval since the\n"
		"                            previous event (default: the script's, or 0)\n"
		"      --max-span S          on real-time targets, report scripts whose\n"
		"                            scripted span exceeds S seconds as SKIP \"slow\"\n"
		"                            (default 10; 0: no limit)\n"
		"      --local-ip A          the stack under test's address (default\n"
		"                            192.0.2.1 / 2001:db8::1); the run is in A's family\n"
		"      --remote-ip B         the script's address (default 192.0.2.2 / 2001:db8::2)\n"
		"      --iface NAME          target linux-raw: the stack under test is the\n"
		"                            device on interface NAME, reached at --local-ip;\n"
		"                            packets leave this host (README: testing a device)\n"
		"      --config KEY=VALUE    as if every script had `@config KEY=VALUE` after\n"
		"                            its own (repeatable)\n"
		"      --spans               print each script's span (s) and whether the\n"
		"                            target runs it, run nothing\n"
		"      --agent-cmd CMD       target agent: the command that starts the agent\n"
		"                            in the run's namespace; {dev} is its TAP device\n"
		"                            (docs/agent-protocol.md)\n"
		"      --agent-timeout S     target agent: the longest an answer may take\n"
		"                            (default 5)\n"
		"      --as-target NAME      scripts' @targets, @xfail and @finding lines for\n"
		"                            NAME apply to this target too (e.g. lwip, for\n"
		"                            the agent target running lwIP)\n"
		"  -D NAME=VALUE             define NAME for the scripts (repeatable)\n"
		"      --seed N              seed for ISNs and ports (default 1)\n"
		"  -v, --verbose             show the exchange of every script\n"
		"  -h, --help                this text\n");
}

/* ---- options --------------------------------------------------------------- */

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return *s && !*end && errno == 0 ? 0 : -1;
}

/* A non-negative decimal number ("10", "0.5"). */
static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || v < 0 || v > 1e9)
		return -1;
	*out = v;
	return 0;
}

static int add_define(struct run_cfg *c, char *arg)
{
	char *eq = strchr(arg, '=');
	if (!eq || eq == arg || c->n_defines == MAX_DEFINES)
		return -1;
	*eq = '\0';
	c->defines[c->n_defines].name = arg;
	c->defines[c->n_defines].value = eq + 1;
	c->n_defines++;
	return 0;
}

/* --iface is the one way packets leave the machine (DESIGN.md §3): only
 * with linux-raw, and only with both addresses named by the user. Given
 * addresses fix the run's family. */
static int check_iface(struct run_cfg *c)
{
	if (c->iface && strcmp(c->target->name, "linux-raw") != 0) {
		fprintf(stderr, "tcpcheck run: --iface is for --target linux-raw\n");
		return -1;
	}
	if (c->iface && c->addr_given != 3) {
		fprintf(stderr, "tcpcheck run: --iface needs --local-ip (the device's address) "
				"and --remote-ip (this end's)\n");
		return -1;
	}
	if (c->addr_family)
		c->families = c->addr_family == 6 ? 2 : 1;
	return 0;
}

/* --local-ip / --remote-ip: both in one family. */
static int parse_ip(struct run_cfg *c, const char *v, uint8_t out[16], int bit)
{
	int fam = strchr(v, ':') ? 6 : 4;
	if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, v, out) != 1 ||
	    (c->addr_family && c->addr_family != fam)) {
		fprintf(stderr, "tcpcheck run: '%s' is not an IPv%d address%s\n", v, fam,
			c->addr_family && c->addr_family != fam ? " like the other" : "");
		return -EINVAL;
	}
	c->addr_family = fam;
	c->addr_given |= bit;
	return 0;
}

static int parse_family(struct run_cfg *c, const char *v)
{
	if (!strcmp(v, "4") || !strcmp(v, "ipv4"))
		c->families = 1;
	else if (!strcmp(v, "6") || !strcmp(v, "ipv6"))
		c->families = 2;
	else if (!strcmp(v, "both"))
		c->families = 3;
	else if (!strcmp(v, "ipv4-mapped-ipv6") || !strcmp(v, "mapped")) {
		c->families = 1;
		c->v4_mapped = true;
	} else
		return -1;
	return 0;
}

enum {
	OPT_PCAP = 256,
	OPT_SHUFFLE,
	OPT_NO_TIMINGS,
	OPT_STRICT,
	OPT_IPV,
	OPT_TOL,
	OPT_SEED,
	OPT_TOL_PCT,
	OPT_MAX_SPAN,
	OPT_SPANS,
	OPT_CONFIG,
	OPT_LOCAL_IP,
	OPT_REMOTE_IP,
	OPT_IFACE,
	OPT_AGENT_CMD,
	OPT_AGENT_TIMEOUT,
	OPT_AS_TARGET,
};

static const struct option run_long[] = {
	{ "target", required_argument, NULL, 't' },
	{ "profile", required_argument, NULL, 'p' },
	{ "format", required_argument, NULL, 'f' },
	{ "output", required_argument, NULL, 'o' },
	{ "pcap-dir", required_argument, NULL, OPT_PCAP },
	{ "jobs", required_argument, NULL, 'j' },
	{ "shuffle", required_argument, NULL, OPT_SHUFFLE },
	{ "no-timings", no_argument, NULL, OPT_NO_TIMINGS },
	{ "strict-segments", no_argument, NULL, OPT_STRICT },
	{ "ip-version", required_argument, NULL, OPT_IPV },
	{ "tolerance-usecs", required_argument, NULL, OPT_TOL },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "tolerance-percent", required_argument, NULL, OPT_TOL_PCT },
	{ "max-span", required_argument, NULL, OPT_MAX_SPAN },
	{ "spans", no_argument, NULL, OPT_SPANS },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ "local-ip", required_argument, NULL, OPT_LOCAL_IP },
	{ "remote-ip", required_argument, NULL, OPT_REMOTE_IP },
	{ "iface", required_argument, NULL, OPT_IFACE },
	{ "agent-cmd", required_argument, NULL, OPT_AGENT_CMD },
	{ "agent-timeout", required_argument, NULL, OPT_AGENT_TIMEOUT },
	{ "as-target", required_argument, NULL, OPT_AS_TARGET },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_one(struct run_cfg *c, int opt, char *arg)
{
	uint64_t n;
	switch (opt) {
	case 't':
		c->target = tgt_find(arg);
		if (!c->target)
			fprintf(stderr, "tcpcheck run: unknown target '%s' (see tcpcheck targets)\n",
				arg);
		return c->target ? 0 : -1;
	case 'p': c->profile = arg; return 0;
	case 'f': return rpt_format_by_name(arg, &c->format);
	case 'o': c->output = arg; return 0;
	case OPT_PCAP: c->pcap_dir = arg; return 0;
	case 'j':
		return cli_parse_jobs(arg, &c->jobs);
	case OPT_SHUFFLE:
		c->shuffle = true;
		return parse_u64(arg, &c->shuffle_seed);
	case OPT_NO_TIMINGS: c->timings = false; return 0;
	case OPT_STRICT: c->strict = true; return 0;
	case OPT_IPV: return parse_family(c, arg);
	case OPT_TOL:
		if (parse_u64(arg, &n) != 0)
			return -1;
		c->tolerance_us = (int64_t)n;
		return 0;
	case OPT_SEED: return parse_u64(arg, &c->seed);
	case OPT_TOL_PCT: return parse_seconds(arg, &c->tolerance_pct);
	case OPT_MAX_SPAN:
		return cli_parse_span(arg, &c->max_span_us);
	case OPT_SPANS: c->spans = true; return 0;
	case OPT_LOCAL_IP:
		return parse_ip(c, arg, c->local_ip, 1);
	case OPT_REMOTE_IP:
		return parse_ip(c, arg, c->remote_ip, 2);
	case OPT_IFACE:
		c->iface = arg;
		return 0;
	case OPT_CONFIG: {
		char *eq = strchr(arg, '=');
		if (!eq || eq == arg || c->n_config == RUN_MAX_CONFIG)
			return -EINVAL;
		*eq = '\0';
		c->config[c->n_config].key = arg;
		c->config[c->n_config++].value = eq + 1;
		return 0;
	}
	case OPT_AGENT_CMD: c->agent_cmd = arg; return 0;
	case OPT_AGENT_TIMEOUT: {
		double s;
		if (parse_seconds(arg, &s) != 0 || s < 0.001 || s > 3600)
			return -1;
		c->agent_timeout_ms = (uint32_t)(s * 1e3 + 0.5);
		return 0;
	}
	case OPT_AS_TARGET: c->as_target = arg; return 0;
	case 'D': return add_define(c, arg);
	case 'v': c->verbose = true; return 0;
	default: return -1;
	}
}

/* Returns 0, 1 for --help, or -1 for a usage error (already reported). */
static int parse_args(int argc, char **argv, struct run_cfg *c)
{
	int opt;
	memset(c, 0, sizeof *c);
	c->target = tgt_find("ref");
	c->jobs = 1;
	c->timings = true;
	c->tolerance_us = -1;
	c->tolerance_pct = -1;
	c->max_span_us = CLI_MAX_SPAN_US;
	c->seed = 1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "t:p:f:o:j:D:vh", run_long, NULL)) != -1) {
		if (opt == 'h')
			return 1;
		if (parse_one(c, opt, optarg) != 0) {
			if (opt != 't')
				fprintf(stderr, "tcpcheck run: bad option or value%s%s\n",
					optarg ? ": " : "", optarg ? optarg : "");
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tcpcheck run: no script given\n");
		return -1;
	}
	if (check_iface(c) != 0)
		return -1;
	if (!c->agent_cmd && strcmp(c->target->name, "agent") == 0 && !c->spans) {
		fprintf(stderr, "tcpcheck run: target agent needs --agent-cmd 'PROGRAM ... {dev}'\n");
		return -1;
	}
	return 0;
}

/* ---- running ------------------------------------------------------------------------ */

static void pcap_path(const struct run_cfg *c, const struct job *j, char *buf, size_t cap)
{
	char name[1024];
	size_t i;
	snprintf(name, sizeof name, "%s", j->path);
	for (i = 0; name[i]; i++)
		if (name[i] == '/')
			name[i] = '_';
	if (strlen(name) > 4 && cli_is_script(name))
		name[strlen(name) - 4] = '\0';
	snprintf(buf, cap, "%s/%s%s.pcap", c->pcap_dir, name,
		 c->families == 3 ? (j->family == 6 ? ".ipv6" : ".ipv4") : "");
}

/* Real-time targets run scripts up to --max-span; longer ones are SKIP
 * "slow" (README: `ctest -L slow` runs them with --max-span 0). */
static bool too_slow(const struct run_cfg *c, const struct scr_script *s, struct run_result *r)
{
	uint64_t span = run_script_span(s);
	if (c->target->instance_caps)
		return false; /* its clock is known once open: the runner decides */
	if (!cli_too_slow(c->target->caps, span, c->max_span_us, r->reason, sizeof r->reason))
		return false;
	r->verdict = RUN_SKIP;
	r->span_us = span;
	return true;
}

static void run_job(const struct run_cfg *c, struct job *j)
{
	struct scr_script *s = NULL;
	struct scr_diag diag;
	struct run_opts o;
	struct cap_file *cap = NULL;
	j->out.path = j->path;
	if (cli_load_script(j->path, j->family, c->defines, c->n_defines, &s, &diag) != 0) {
		j->input_error = true;
		j->out.res.verdict = RUN_ERROR;
		j->out.res.family = j->family ? j->family : 4;
		snprintf(j->out.res.reason, sizeof j->out.res.reason, "%s", diag.msg);
		return;
	}
	memset(&o, 0, sizeof o);
	o.target = c->target;
	o.profile = c->profile;
	o.family = j->family;
	o.v4_mapped = c->v4_mapped;
	o.strict_segments = c->strict;
	o.tolerance_us = c->tolerance_us;
	o.tolerance_pct = c->tolerance_pct;
	j->out.res.family = j->family ? j->family : 4;
	if (too_slow(c, s, &j->out.res)) {
		scr_script_free(s);
		return;
	}
	o.seed = c->seed;
	o.agent_cmd = c->agent_cmd;
	o.agent_timeout_ms = c->agent_timeout_ms;
	o.extra_settings = c->config;
	o.n_extra_settings = c->n_config;
	o.addr_family = c->addr_family;
	memcpy(o.local_ip, c->local_ip, 16);
	memcpy(o.remote_ip, c->remote_ip, 16);
	o.iface = c->iface;
	o.as_target = c->as_target;
	o.max_span_us = c->max_span_us;
	if (c->pcap_dir) {
		char p[4096];
		pcap_path(c, j, p, sizeof p);
		if (cap_open(p, &cap, NULL, 0) != 0)
			fprintf(stderr, "tcpcheck run: cannot write %s\n", p);
	}
	o.pcap = cap;
	if (run_script(s, &o, &j->out.res) != 0) {
		j->out.res.verdict = RUN_ERROR;
		snprintf(j->out.res.reason, sizeof j->out.res.reason, "out of memory");
	}
	cap_close(cap);
	scr_script_free(s);
}

/* The families a script runs in under --ip-version both: what its @family
 * line allows, both if it has none. Needs a parse to know. */
static int script_families(const char *path, const struct run_cfg *c)
{
	struct scr_script *s = NULL;
	struct scr_diag d;
	int fams = 3;
	if (cli_load_script(path, 4, c->defines, c->n_defines, &s, &d) == 0) {
		if (s->meta.families)
			fams = (int)((s->meta.families & SCR_FAM_IPV4 ? 1u : 0u) |
				     (s->meta.families & SCR_FAM_IPV6 ? 2u : 0u));
		scr_script_free(s);
	}
	return fams;
}

static int make_jobs(const struct run_cfg *c, const struct cli_paths *l, struct job **out,
		     size_t *n)
{
	struct job *jobs = calloc(l->n * 2 + 1, sizeof *jobs);
	size_t i, k = 0;
	if (!jobs)
		return -ENOMEM;
	for (i = 0; i < l->n; i++) {
		int fams = c->families == 3 ? script_families(l->v[i], c) : c->families;
		if (fams == 0 || fams == 1 || fams == 3)
			jobs[k++] = (struct job){ .path = l->v[i], .family = fams ? 4 : 0 };
		if (fams == 2 || fams == 3)
			jobs[k++] = (struct job){ .path = l->v[i], .family = 6 };
	}
	*out = jobs;
	*n = k;
	return 0;
}

/* splitmix64: the --shuffle order depends on the seed alone. */
static uint64_t next_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static void shuffle(struct job *jobs, size_t n, uint64_t seed)
{
	size_t i;
	for (i = n; i > 1; i--) {
		size_t k = (size_t)(next_rand(&seed) % i);
		struct job t = jobs[i - 1];
		jobs[i - 1] = jobs[k];
		jobs[k] = t;
	}
}

/* The pool's view of a run: the jobs, and whether to show progress. */
struct pool_ctx {
	const struct run_cfg *c;
	struct job *jobs;
	size_t n;
	bool progress;
};

static void pool_job(void *ctx, size_t i)
{
	struct pool_ctx *p = ctx;
	run_job(p->c, &p->jobs[i]);
}

static void pool_done(void *ctx, size_t i, size_t finished)
{
	struct pool_ctx *p = ctx;
	if (!p->progress)
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %s", finished, p->n, p->jobs[i].path);
	if (finished == p->n)
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

static void run_all(const struct run_cfg *c, struct job *jobs, size_t n, bool progress)
{
	struct pool_ctx p = { .c = c, .jobs = jobs, .n = n, .progress = progress };
	cli_pool_run(n, c->jobs, pool_job, pool_done, &p);
}

/* ---- reporting ------------------------------------------------------------------------ */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int report(const struct run_cfg *c, struct job *jobs, size_t n, double wall,
		  struct rpt_counts *counts)
{
	struct rpt_script *scripts = calloc(n + 1, sizeof *scripts);
	struct rpt_run run;
	FILE *f = stdout;
	size_t i;
	int rc;
	if (!scripts)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		scripts[i] = jobs[i].out;
	memset(&run, 0, sizeof run);
	run.target = c->target->name;
	run.target_version = "";
	for (i = 0; i < n && !run.target_version[0]; i++)
		run.target_version = jobs[i].out.res.target_version;
	run.profile = c->profile ? c->profile : "";
	run.scripts = scripts;
	run.n_scripts = n;
	run.wall_s = wall;
	run.timings = c->timings;
	run.verbose = c->verbose;
	if (c->output && !(f = fopen(c->output, "w"))) {
		fprintf(stderr, "tcpcheck run: %s: %s\n", c->output, strerror(errno));
		free(scripts);
		return -errno;
	}
	run.color = !c->output && c->format == RPT_TEXT && isatty(STDOUT_FILENO);
	rc = rpt_write(f, c->format, &run);
	if (f != stdout)
		rc |= fclose(f) != 0 ? -EIO : 0;
	rpt_count(&run, counts);
	if (c->output || c->format != RPT_TEXT)
		rpt_summary_line(stderr, counts);
	free(scripts);
	return rc;
}

static void report_input_errors(const struct job *jobs, size_t n, bool *any)
{
	size_t i;
	*any = false;
	for (i = 0; i < n; i++)
		if (jobs[i].input_error) {
			fprintf(stderr, "%s\n", jobs[i].out.res.reason);
			*any = true;
		}
}

/* Whether the script names the target (@targets), or names none. */
static bool for_target(const struct scr_script *s, const char *name)
{
	size_t i;
	for (i = 0; i < s->meta.n_targets; i++)
		if (run_names_target(s->meta.targets[i], name))
			return true;
	return s->meta.n_targets == 0;
}

/* --spans: "PATH SPAN_SECONDS yes|no" per script, for the build's test
 * registration (specs/CMakeLists.txt labels long ones `slow`). */
static int print_spans(const struct run_cfg *c, int argc, char **argv)
{
	struct cli_paths paths = { 0 };
	size_t i;
	int rc = CLI_OK;
	if (cli_collect_scripts("run", argc, argv, &paths) != 0)
		return CLI_USAGE;
	for (i = 0; i < paths.n; i++) {
		struct scr_script *s = NULL;
		struct scr_diag d;
		if (cli_load_script(paths.v[i], 0, c->defines, c->n_defines, &s, &d) != 0) {
			fprintf(stderr, "%s\n", d.msg);
			rc = CLI_USAGE;
		} else {
			printf("%s %.3f %s\n", paths.v[i], (double)run_script_span(s) / 1e6,
			       for_target(s, c->target->name) ? "yes" : "no");
		}
		scr_script_free(s);
		free(paths.v[i]);
	}
	free(paths.v);
	return rc;
}

int cli_run(int argc, char **argv)
{
	struct run_cfg c;
	struct cli_paths paths = { 0 };
	struct job *jobs = NULL;
	struct rpt_counts counts;
	char why[256] = "";
	size_t n = 0, i;
	bool input_errors;
	double t0 = now_s();
	int rc = parse_args(argc, argv, &c);
	if (rc != 0) {
		run_usage(rc > 0 ? stdout : stderr);
		return rc > 0 ? CLI_OK : CLI_USAGE;
	}
	if (c.spans)
		return print_spans(&c, argc - optind, argv + optind);
	if (c.target->available(why, sizeof why) != 0) {
		fprintf(stderr, "SKIP  target %s cannot run here: %s\n", c.target->name, why);
		return CLI_ENV;
	}
	if (cli_collect_scripts("run", argc - optind, argv + optind, &paths) != 0 ||
	    make_jobs(&c, &paths, &jobs, &n) != 0)
		return CLI_USAGE;
	if (c.shuffle)
		shuffle(jobs, n, c.shuffle_seed);
	run_all(&c, jobs, n, isatty(STDERR_FILENO) && n > 20);
	rc = report(&c, jobs, n, now_s() - t0, &counts);
	report_input_errors(jobs, n, &input_errors);
	for (i = 0; i < n; i++)
		run_result_free(&jobs[i].out.res);
	for (i = 0; i < paths.n; i++)
		free(paths.v[i]);
	free(paths.v);
	free(jobs);
	if (rc != 0)
		return CLI_ENV;
	if (input_errors)
		return CLI_USAGE;
	return rpt_failed(&counts) ? CLI_FAILED : CLI_OK;
}
