/* Fuzz target: the reference stack, driven by action sequences
 * (harness/actions/actions.h), with its invariants checked after every
 * action. A broken invariant is a finding: the target prints it and
 * aborts, the way libFuzzer and the replay runner both catch.
 *
 * State-aware feedback: every event the reference logs — (state, kind,
 * rule), a state change with its from and to — and every segment it sends
 * — (state, "sent", the rule that sent it) — bumps one of the extra
 * coverage counters libFuzzer reads (section __libfuzzer_extra_counters),
 * so a new protocol behaviour counts as new coverage even where the code
 * path is the same. Only in fuzz builds (TCPCHECK_FUZZING_BUILD); the
 * replay build compiles the same file without them.
 *
 * Speed (bench/fuzz_ref.sh): one executor and one reference stack for the
 * whole run, reset between inputs (fz_exec_run, ref_stack_reset) instead
 * of allocated and freed per input; freed memory kept by malloc.
 *
 * Environment: FZ_TRANSITIONS=PATH writes, at exit, every distinct
 * transition reached ("FROM TO KIND RULE-ID" lines, KIND one of drop,
 * state, error, soft-error, urgent, note, sent): the benchmark counts
 * them. FZ_RULES=PATH writes the rule table's ids, one a line.
 * FZ_PLANTED=1 turns on the planted defect (the end-to-end test of
 * tcpcheck fuzz-to-script). FZ_IGNORE=SIG,SIG... lets inputs that break
 * only those invariants pass (a development aid, to look past a finding
 * not fixed yet; CI never sets it). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "harness/actions/actions.h"

#define NCOUNTERS 1024
#define NKINDS 8
#define KIND_SENT 6 /* a segment sent, under its rule (beside enum ref_event_kind) */

#ifdef TCPCHECK_FUZZING_BUILD
__attribute__((section("__libfuzzer_extra_counters"), used)) static uint8_t
	state_counters[NCOUNTERS];
#else
static uint8_t state_counters[NCOUNTERS];
#endif

/* Transition keys: (from, to, kind, rule). Each key gets its own counter
 * in the order keys are first seen (no collisions for the first
 * NCOUNTERS, hashed after that); a small counter array keeps libFuzzer's
 * per-input scan short. */
#define NKEYS (REF_STATE_COUNT * REF_STATE_COUNT * NKINDS * (REF_R_COUNT + 1))
static uint16_t slot_of[NKEYS]; /* counter index + 1; 0: not seen yet */
static unsigned nslots;
/* Distinct transitions reached, for FZ_TRANSITIONS (one bit each). */
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

static unsigned key_of(unsigned from, unsigned to, unsigned kind, unsigned rule)
{
	from %= REF_STATE_COUNT;
	to %= REF_STATE_COUNT;
	kind %= NKINDS;
	rule %= REF_R_COUNT + 1;
	return ((from * REF_STATE_COUNT + to) * NKINDS + kind) * (REF_R_COUNT + 1) + rule;
}

static void count(unsigned k)
{
	unsigned s = slot_of[k];
	if (!s) {
		s = nslots < NCOUNTERS ? ++nslots : ((k * 2654435761u) >> 22) % NCOUNTERS + 1;
		slot_of[k] = (uint16_t)s;
	}
	state_counters[s - 1]++;
	reached[k / 8] |= (uint8_t)(1u << k % 8);
}

static void on_event(void *ctx, const struct ref_event *ev)
{
	(void)ctx;
	count(key_of((unsigned)ev->from, (unsigned)ev->to, (unsigned)ev->kind, (unsigned)ev->rule));
}

static void on_output(void *ctx, const struct ref_output *o, enum ref_state state)
{
	(void)ctx;
	count(key_of((unsigned)state, (unsigned)state, KIND_SENT, (unsigned)o->rule));
}

static void write_transitions(void)
{
	static const char *const kinds[NKINDS] = { "drop", "state", "error", "soft-error",
						   "urgent", "note", "sent", "?" };
	const char *path = getenv("FZ_TRANSITIONS");
	FILE *f;
	unsigned k;
	if (!path || !(f = fopen(path, "w")))
		return;
	for (k = 0; k < NKEYS; k++) {
		unsigned rule = k % (REF_R_COUNT + 1), rest = k / (REF_R_COUNT + 1);
		unsigned kind = rest % NKINDS, ft = rest / NKINDS;
		if (reached[k / 8] & 1u << k % 8)
			fprintf(f, "%s %s %s %s\n", ref_state_name((enum ref_state)(ft / REF_STATE_COUNT)),
				ref_state_name((enum ref_state)(ft % REF_STATE_COUNT)), kinds[kind],
				ref_rule_id((enum ref_rule)rule));
	}
	fclose(f);
}

/* FZ_RULES=PATH: every rule id of the reference's rule table (the
 * benchmark's denominator is derived from it). */
static void write_rules(void)
{
	const char *path = getenv("FZ_RULES");
	FILE *f;
	int r;
	if (!path || !(f = fopen(path, "w")))
		return;
	for (r = 0; r < REF_R_COUNT; r++)
		if ((enum ref_rule)r != REF_R_NONE)
			fprintf(f, "%s\n", ref_rule_id((enum ref_rule)r));
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
#ifdef __GLIBC__
	/* The reference allocates a connection's buffers when it is created
	 * (up to SO_RCVBUF / SO_SNDBUF each) and frees them at the end of the
	 * input; glibc would hand them back to the kernel and fault them in
	 * again for the next input (a fifth of the time). Keep them. */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
#endif
	ignore = getenv("FZ_IGNORE");
	atexit(write_transitions);
	write_rules();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_action acts[FZ_MAX_ACTIONS];
	static struct fz_exec *ex; /* one executor, reset for every input */
	struct fz_violation v;
	size_t n = fz_decode(data, size, acts, FZ_MAX_ACTIONS);
	int rc;
	if (!ex) {
		struct fz_exec_config cfg = { .on_event = on_event,
					      .on_output = on_output,
					      .planted = planted };
		if (!(ex = fz_exec_new(&cfg)))
			abort(); /* out of memory before the first input */
	}
	rc = fz_exec_run(ex, acts, n, &v);
	if (rc == 1 && !ignored(v.sig)) {
		fprintf(stderr, "fuzz_ref: invariant violated: %s: %s (after action %zu)\n", v.sig,
			v.what, v.action);
		abort();
	}
	return 0;
}
