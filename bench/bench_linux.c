/* Benchmark: the `linux` target's fixed cost per script and the suite's
 * wall time on it.
 *
 * The fixed cost on a script's critical path is open() (a fresh network
 * namespace, the TAP device configured over rtnetlink, the sysctls pinned,
 * the syscall thread started: everything until the first packet can be
 * injected) plus close() (which the next script on the same slot waits
 * for). Both are timed over many rounds, IPv4 and IPv6. Then the whole
 * suite runs as `tcpcheck run --target linux --ip-version both -j N` for
 * N = 1 and 2, on every CPU (this program lifts the one-core affinity
 * ci/bench.sh gives it for that part). Prints name=value lines:
 *   linux_open_ms_{median,p90}_ipv4|6, linux_close_ms_median_ipv4|6,
 *   linux_fixed_ms_median (open + close, IPv4), linux_suite_wall_s_j1,
 *   linux_suite_wall_s_j2, cpus
 * Usage: bench_linux [DIR] (default specs), as root; SKIP line otherwise. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness/cli.h"
#include "targets/target.h"

#define ROUNDS 60

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void config_for(int family, struct tgt_config *cfg, struct tgt_setting *set)
{
	static const uint8_t v4[2][4] = {{192, 0, 2, 1}, {192, 0, 2, 2}};
	static const uint8_t v6[2][16] = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1},
					  {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
	memset(cfg, 0, sizeof *cfg);
	cfg->family = (uint8_t)family;
	memcpy(cfg->local_addr, family == 6 ? v6[0] : v4[0], family == 6 ? 16 : 4);
	memcpy(cfg->remote_addr, family == 6 ? v6[1] : v4[1], family == 6 ? 16 : 4);
	set[0] = (struct tgt_setting){"sack", "off"};
	set[1] = (struct tgt_setting){"ts", "off"};
	set[2] = (struct tgt_setting){"wscale", "off"};
	cfg->settings = set;
	cfg->nsettings = 3;
	cfg->seed = 1;
}

/* Open and close ROUNDS times; medians (and p90 of open) into out[]. */
static int fixed_cost(const struct tgt_ops *ops, int family, double out[3])
{
	double open_ms[ROUNDS], close_ms[ROUNDS];
	struct tgt_setting set[3];
	struct tgt_config cfg;
	char why[256];
	int i;
	config_for(family, &cfg, set);
	for (i = 0; i < ROUNDS; i++) {
		struct tgt *t = NULL;
		double a = now_ms(), b;
		if (ops->open(&cfg, &t, why, sizeof why) != 0) {
			printf("# open failed: %s\n", why);
			return -1;
		}
		b = now_ms();
		ops->close(t);
		open_ms[i] = b - a;
		close_ms[i] = now_ms() - b;
	}
	qsort(open_ms, ROUNDS, sizeof open_ms[0], cmp_double);
	qsort(close_ms, ROUNDS, sizeof close_ms[0], cmp_double);
	out[0] = open_ms[ROUNDS / 2];
	out[1] = open_ms[ROUNDS * 9 / 10];
	out[2] = close_ms[ROUNDS / 2];
	return 0;
}

static double suite_wall(const char *dir, const char *jobs)
{
	const char *src[] = {"run",	     "--target", "linux", "--ip-version", "both",
			     "--no-timings", "-f",	 "json",  "-o",		  "/dev/null",
			     "-j",	     jobs,	 dir};
	enum { N = sizeof src / sizeof src[0] };
	static char buf[N][4096];
	char *argv[N + 1];
	double a;
	size_t i;
	for (i = 0; i < N; i++) {
		snprintf(buf[i], sizeof buf[i], "%s", src[i]);
		argv[i] = buf[i];
	}
	argv[N] = NULL;
	a = now_ms();
	cli_run(N, argv);
	return (now_ms() - a) / 1e3;
}

int main(int argc, char **argv)
{
	const struct tgt_ops *ops = tgt_find("linux");
	const char *dir = argc > 1 ? argv[1] : "specs";
	double c4[3], c6[3];
	cpu_set_t all;
	char why[256];
	long i, ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (!ops || ops->available(why, sizeof why) != 0) {
		printf("# SKIP: target linux cannot run here: %s\n", ops ? why : "not built");
		return 0;
	}
	if (fixed_cost(ops, 4, c4) != 0 || fixed_cost(ops, 6, c6) != 0)
		return 1;
	printf("linux_open_ms_median_ipv4=%.2f\nlinux_open_ms_p90_ipv4=%.2f\n", c4[0], c4[1]);
	printf("linux_close_ms_median_ipv4=%.2f\n", c4[2]);
	printf("linux_open_ms_median_ipv6=%.2f\nlinux_open_ms_p90_ipv6=%.2f\n", c6[0], c6[1]);
	printf("linux_close_ms_median_ipv6=%.2f\n", c6[2]);
	printf("linux_fixed_ms_median=%.2f\n", c4[0] + c4[2]);
	fflush(stdout);
	CPU_ZERO(&all);
	for (i = 0; i < ncpu && i < CPU_SETSIZE; i++)
		CPU_SET((int)i, &all);
	sched_setaffinity(0, sizeof all, &all);
	printf("cpus=%ld\n", ncpu);
	printf("linux_suite_wall_s_j1=%.1f\n", suite_wall(dir, "1"));
	fflush(stdout);
	printf("linux_suite_wall_s_j2=%.1f\n", suite_wall(dir, "2"));
	return 0;
}
