/* Benchmark: scripts per second of the suite on `ref` and on `lwip`, side by
 * side in one run. Scripts are parsed once (bench_scripts measures the
 * parser); each round runs every script that names the target, in each
 * family it allows, as `tcpcheck run --ip-version both` would, on one
 * thread. On lwip every script forks a fresh lwIP process
 * (targets/lwip/lwip_target.h), which is most of its cost. Prints
 * name=value lines:
 *   TARGET_runs=N              script runs in one round (family included)
 *   TARGET_scripts_per_sec=N
 *   TARGET_usec_per_script=X
 *   TARGET_not_passing=N       runs with a verdict other than pass/xfail/skip
 * Usage: bench_targets [DIR]   (run it on one core: taskset -c 0) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness/cli.h"
#include "harness/run.h"
#include "targets/target.h"

#define BENCH_SECONDS 3.0
#define MAX_SCRIPTS   4096

struct job {
	struct scr_script *s;
	int family;
};

static struct cli_paths suite; /* the script paths, from cli_collect_scripts */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool names(const struct scr_script *s, const char *target)
{
	size_t i;
	bool named = s->meta.n_targets == 0 && s->meta.n_findings == 0;
	for (i = 0; i < s->meta.n_targets; i++)
		named |= strcmp(s->meta.targets[i], target) == 0;
	for (i = 0; i < s->meta.n_findings; i++)
		named |= strcmp(s->meta.findings[i].target, target) == 0;
	return named;
}

/* The runs of the suite on `target`: each script in each family it allows. */
static size_t load_jobs(const char *target, struct job *jobs, size_t cap)
{
	size_t i, n = 0;
	int fam;
	for (i = 0; i < suite.n; i++)
		for (fam = 4; fam <= 6; fam += 2) {
			struct scr_script *s = NULL;
			struct scr_diag d;
			if (cli_load_script(suite.v[i], fam, NULL, 0, &s, &d) != 0)
				continue;
			if (n == cap || !names(s, target) ||
			    (s->meta.families &&
			     !(s->meta.families & (fam == 4 ? SCR_FAM_IPV4 : SCR_FAM_IPV6)))) {
				scr_script_free(s);
				continue;
			}
			jobs[n].s = s;
			jobs[n].family = fam;
			n++;
		}
	return n;
}

static size_t round_of(const struct tgt_ops *t, const struct job *jobs, size_t n)
{
	size_t i, bad = 0;
	for (i = 0; i < n; i++) {
		struct run_opts o;
		struct run_result r;
		memset(&o, 0, sizeof o);
		o.target = t;
		o.family = jobs[i].family;
		o.tolerance_us = -1;
		o.seed = 1;
		if (run_script(jobs[i].s, &o, &r) != 0 ||
		    (r.verdict != RUN_PASS && r.verdict != RUN_XFAIL && r.verdict != RUN_SKIP))
			bad++;
		run_result_free(&r);
	}
	return bad;
}

static void bench(const char *name)
{
	const struct tgt_ops *t = tgt_find(name);
	static struct job jobs[2 * MAX_SCRIPTS];
	size_t n, rounds = 0, bad = 0, i;
	char why[256] = "";
	double t0, el;
	if (!t || t->available(why, sizeof why) != 0) {
		printf("%s_available=0\n", name);
		return;
	}
	n = load_jobs(name, jobs, sizeof jobs / sizeof jobs[0]);
	t0 = now_s();
	do {
		bad = round_of(t, jobs, n);
		rounds++;
		el = now_s() - t0;
	} while (el < BENCH_SECONDS && n > 0);
	printf("%s_runs=%zu\n%s_rounds=%zu\n%s_not_passing=%zu\n", name, n, name, rounds, name,
	       bad);
	printf("%s_scripts_per_sec=%.0f\n%s_usec_per_script=%.1f\n", name,
	       (double)(rounds * n) / el, name,
	       el * 1e6 / (double)(rounds * n > 0 ? rounds * n : 1));
	for (i = 0; i < n; i++)
		scr_script_free(jobs[i].s);
}

int main(int argc, char **argv)
{
	char *dir = argc > 1 ? argv[1] : "specs";
	if (cli_collect_scripts("bench_targets", 1, &dir, &suite) != 0 || !suite.n) {
		fprintf(stderr, "bench_targets: no scripts found\n");
		return 1;
	}
	printf("scripts=%zu\n", suite.n);
	bench("ref");
	bench("lwip");
	return 0;
}
