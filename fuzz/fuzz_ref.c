/* Fuzz target: the reference stack, driven by action sequences
 * (harness/actions/actions.h), with its invariants checked after every
 * action. A broken invariant is a finding: the target prints it and
 * aborts, the way libFuzzer and the replay runner both catch.
 *
 * State-aware feedback: every event the reference logs — (state, kind,
 * rule), a state change with its from and to — bumps one of the extra
 * coverage counters libFuzzer reads (section __libfuzzer_extra_counters),
 * so a new protocol behaviour counts as new coverage even where the code
 * path is the same. Only in fuzz builds (TCPCHECK_FUZZING_BUILD); the
 * replay build compiles the same file without them.
 *
 * Environment: FZ_TRANSITIONS=PATH writes, at exit, every distinct
 * transition reached ("FROM TO KIND RULE-ID" lines): the benchmark counts
 * them. FZ_PLANTED=1 turns on the planted defect (the end-to-end test of
 * tcpcheck fuzz-to-script). FZ_IGNORE=SIG,SIG... lets inputs that break
 * only those invariants pass (a development aid, to look past a finding
 * not fixed yet; CI never sets it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/actions/actions.h"

#define NCOUNTERS 8192
#define NKINDS 8

#ifdef TCPCHECK_FUZZING_BUILD
__attribute__((section("__libfuzzer_extra_counters"), used)) static uint8_t
	state_counters[NCOUNTERS];
#else
static uint8_t state_counters[NCOUNTERS];
#endif

/* Distinct transitions reached, for FZ_TRANSITIONS (one bit each). */
#define NKEYS (REF_STATE_COUNT * REF_STATE_COUNT * NKINDS * (REF_R_COUNT + 1))
static uint8_t reached[NKEYS / 8 + 1];
static bool planted;
static const char *ignore;

static bool ignored(const char *sig)
{
	size_t n = strlen(sig);
	const char *p = ignore;
	while (p && *p) {
		if (strncmp(p, sig, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return true;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return false;
}

static unsigned key_of(const struct ref_event *ev)
{
	unsigned from = (unsigned)ev->from % REF_STATE_COUNT, to = (unsigned)ev->to % REF_STATE_COUNT;
	unsigned kind = (unsigned)ev->kind % NKINDS, rule = (unsigned)ev->rule % (REF_R_COUNT + 1);
	return ((from * REF_STATE_COUNT + to) * NKINDS + kind) * (REF_R_COUNT + 1) + rule;
}

static void on_event(void *ctx, const struct ref_event *ev)
{
	unsigned k = key_of(ev);
	(void)ctx;
	state_counters[(k * 2654435761u) >> 19 & (NCOUNTERS - 1)]++;
	reached[k / 8] |= (uint8_t)(1u << k % 8);
}

static void write_transitions(void)
{
	const char *path = getenv("FZ_TRANSITIONS");
	FILE *f;
	unsigned k;
	if (!path || !(f = fopen(path, "w")))
		return;
	for (k = 0; k < NKEYS; k++) {
		unsigned rule = k % (REF_R_COUNT + 1), rest = k / (REF_R_COUNT + 1);
		unsigned kind = rest % NKINDS, ft = rest / NKINDS;
		if (reached[k / 8] & 1u << k % 8)
			fprintf(f, "%s %s %u %s\n", ref_state_name((enum ref_state)(ft / REF_STATE_COUNT)),
				ref_state_name((enum ref_state)(ft % REF_STATE_COUNT)), kind,
				ref_rule_id((enum ref_rule)rule));
	}
	fclose(f);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *p = getenv("FZ_PLANTED");
	(void)argc;
	(void)argv;
	planted = p && strcmp(p, "1") == 0;
	ignore = getenv("FZ_IGNORE");
	atexit(write_transitions);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_action acts[FZ_MAX_ACTIONS];
	struct fz_exec_config cfg = { .on_event = on_event, .planted = planted };
	struct fz_violation v;
	size_t n = fz_decode(data, size, acts, FZ_MAX_ACTIONS);
	int rc = fz_run(acts, n, &cfg, &v);
	if (rc == 1 && !ignored(v.sig)) {
		fprintf(stderr, "fuzz_ref: invariant violated: %s: %s (after action %zu)\n", v.sig,
			v.what, v.action);
		abort();
	}
	return 0;
}
