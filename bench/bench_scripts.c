/* Benchmark: scripts per second through parse + run on the `ref` target,
 * over a suite (default: specs/). Each round parses every script from its
 * text and runs it; the rounds repeat for at least BENCH_SECONDS. Prints
 * name=value lines:
 *   scripts=N            scripts in the suite
 *   rounds=N
 *   scripts_per_sec=N    parse + run
 *   parse_per_sec=N      parse alone
 *   usec_per_script=X
 * Usage: bench_scripts [DIR]   (run it on one core: taskset -c 0) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "harness/cli.h"
#include "harness/run.h"
#include "targets/target.h"

#define BENCH_SECONDS 3.0
#define MAX_SCRIPTS 4096

struct text {
	char *path;
	char *buf;
	size_t len;
};

static struct text texts[MAX_SCRIPTS];
static size_t ntexts;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void load(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || ntexts == MAX_SCRIPTS || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return;
	}
	texts[ntexts].buf = malloc((size_t)st.st_size + 1);
	texts[ntexts].len = fread(texts[ntexts].buf, 1, (size_t)st.st_size, f);
	texts[ntexts].path = strdup(path);
	ntexts++;
	fclose(f);
}

static struct scr_script *parse(const struct text *t)
{
	struct scr_defines defs;
	struct scr_script *s = NULL;
	struct scr_diag diag;
	memset(&defs, 0, sizeof defs);
	defs.ipv4 = cli_family_defines(4, &defs.n_ipv4);
	defs.ipv6 = cli_family_defines(6, &defs.n_ipv6);
	if (scr_parse(t->path, t->buf, t->len, &defs, &s, &diag) != 0)
		return NULL;
	return s;
}

/* One round over the suite; returns scripts that did not pass. */
static size_t round_trip(const struct tgt_ops *ref, bool run)
{
	size_t i, bad = 0;
	for (i = 0; i < ntexts; i++) {
		struct scr_script *s = parse(&texts[i]);
		struct run_opts o;
		struct run_result r;
		if (!s) {
			bad++;
			continue;
		}
		if (run) {
			memset(&o, 0, sizeof o);
			o.target = ref;
			o.tolerance_us = -1;
			o.seed = 1;
			if (run_script(s, &o, &r) != 0 || r.verdict != RUN_PASS)
				bad++;
			run_result_free(&r);
		}
		scr_script_free(s);
	}
	return bad;
}

static double rate(const struct tgt_ops *ref, bool run, size_t *rounds, size_t *bad)
{
	double t0 = now_s(), t;
	*rounds = 0;
	do {
		*bad = round_trip(ref, run);
		(*rounds)++;
		t = now_s() - t0;
	} while (t < BENCH_SECONDS);
	return (double)(*rounds * ntexts) / t;
}

int main(int argc, char **argv)
{
	const struct tgt_ops *ref = tgt_find("ref");
	size_t rounds, bad, prounds, pbad;
	double sps, pps;
	struct cli_paths suite = { 0 };
	char *dir = argc > 1 ? argv[1] : "specs";
	size_t i;
	if (cli_collect_scripts("bench_scripts", 1, &dir, &suite) == 0)
		for (i = 0; i < suite.n; i++)
			load(suite.v[i]);
	cli_paths_free(&suite);
	if (!ntexts || !ref) {
		fprintf(stderr, "bench_scripts: no scripts found\n");
		return 1;
	}
	pps = rate(ref, false, &prounds, &pbad);
	sps = rate(ref, true, &rounds, &bad);
	printf("scripts=%zu\nrounds=%zu\nnot_passing=%zu\n", ntexts, rounds, bad);
	printf("scripts_per_sec=%.0f\nparse_per_sec=%.0f\nusec_per_script=%.1f\n", sps, pps,
	       1e6 / sps);
	return 0;
}
