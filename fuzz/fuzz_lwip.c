/* Fuzz target: lwIP 2.1.3 in this process, driven by the action sequences
 * of harness/actions/actions.h (the target executor, fz_texec_run), built
 * with ASan + UBSan + fuzzer instrumentation in the fuzz preset. Each
 * input starts from a pristine lwIP without a fork: the in-process target
 * resets lwIP in place (lwip_inproc.h: every block freed, every global put
 * back), and every lwIP buffer is an exact-size malloc block.
 *
 * Findings: a sanitizer report or crash in lwIP (the process ends); an
 * lwIP assertion (LWIP_ASSERT: `lwIP assertion "..." failed at FILE`); a
 * packet lwIP sent that does not decode or has a wrong checksum
 * (`invariant violated: out-malformed` / `out-bad-checksum`). Known
 * findings of lwIP (fuzz/known/lwip.tsv) are reported once and passed
 * over (lwip_common.h).
 *
 * The segments are described against lwIP's own variables (RCV.NXT is
 * pcb->rcv_nxt, ...: lwip_inproc_tcb), so the fuzzer reaches deep states.
 *
 * FZ_SELFCHECK=1: every input runs twice and the two transcripts (the
 * script of everything sent and received, with times) must be equal — the
 * check that the reset leaves nothing behind (ctest fuzz-replay.lwip_selfcheck).
 * FZ_SCRIPT=FILE: write the transcript of the (last) input as a script
 * (how an lwIP finding becomes a reproducer: `// @targets lwip`). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lwip_common.h"
#include "harness/actions/actions.h"
#include "targets/lwip/lwip_inproc.h"

static bool selfcheck;
static uint64_t time_cap_us = FZL_TIME_CAP_US;
static const char *script_path;

static bool tcb_of(void *ctx, uint16_t lport, uint16_t rport, struct fz_tcb *out)
{
	struct lwip_inproc_tcb t;
	(void)ctx;
	if (!lwip_inproc_tcb(lport, rport, &t))
		return false;
	out->rcv_nxt = t.rcv_nxt;
	out->rcv_wnd = t.rcv_wnd;
	out->snd_una = t.snd_una;
	out->snd_nxt = t.snd_nxt;
	out->snd_wnd = t.snd_wnd;
	return true;
}

/* Run the actions on a fresh lwIP; `w` (may be NULL) gets the transcript.
 * Returns the executor's result, with the kind of a finding in `kind`. */
static int run(const struct fz_action *a, size_t n, struct fz_writer *w, char *kind,
	       size_t cap, struct fz_violation *v)
{
	struct fz_texec_config cfg = { .tcb = tcb_of, .time_cap_us = time_cap_us };
	struct tgt *t = fzl_open();
	int rc;
	if (w) {
		cfg.on_record = fz_writer_record;
		cfg.ctx = w;
	}
	rc = fz_texec_run(t, a, n, &cfg, v);
	if (rc == 1 && lwip_inproc_failure())
		fzl_assertion_kind(lwip_inproc_failure(), kind, cap);
	else if (rc == 1)
		snprintf(kind, cap, "invariant violated: %s", v->sig);
	t->ops->close(t);
	return rc;
}

static void check_twice(const struct fz_action *a, size_t n)
{
	struct fz_writer *w1 = fz_writer_new(NULL, NULL), *w2 = fz_writer_new(NULL, NULL);
	struct fz_violation v;
	char kind[256];
	const char *t1, *t2;
	size_t l1 = 0, l2 = 0;
	if (!w1 || !w2)
		abort();
	run(a, n, w1, kind, sizeof kind, &v);
	run(a, n, w2, kind, sizeof kind, &v);
	t1 = fz_writer_text(w1, &l1);
	t2 = fz_writer_text(w2, &l2);
	if (l1 != l2 || (l1 && memcmp(t1, t2, l1) != 0)) {
		fprintf(stderr, "fuzz_lwip: invariant violated: reset-not-pristine\n"
				"first run:\n%.*s\nsecond run:\n%.*s\n",
			(int)l1, t1 ? t1 : "", (int)l2, t2 ? t2 : "");
		abort();
	}
	fz_writer_free(w1);
	fz_writer_free(w2);
}

static void write_script(const struct fz_action *a, size_t n)
{
	struct fz_writer *w = fz_writer_new("lwIP transcript of a fuzz_lwip input",
					    "// @targets lwip\n--tolerance_usecs=1000\n\n");
	struct fz_violation v;
	char kind[256];
	const char *text;
	size_t len = 0;
	FILE *f;
	if (!w)
		return;
	run(a, n, w, kind, sizeof kind, &v);
	text = fz_writer_text(w, &len);
	if (text && (f = fopen(script_path, "w"))) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	fz_writer_free(w);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *s = getenv("FZ_SELFCHECK");
	(void)argc;
	(void)argv;
	selfcheck = s && !strcmp(s, "1");
	script_path = getenv("FZ_SCRIPT");
	if ((s = getenv("FZ_TIME_CAP")) != NULL)
		time_cap_us = strtoull(s, NULL, 10) * 1000000u;
	fzl_init();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_action acts[FZ_MAX_ACTIONS];
	struct fz_violation v;
	char kind[256];
	size_t n;
	fzl_input(data, size);
	n = fz_decode(data, size, acts, FZ_MAX_ACTIONS);
	if (selfcheck)
		check_twice(acts, n);
	if (script_path)
		write_script(acts, n);
	fzl_skipped();
	if (run(acts, n, NULL, kind, sizeof kind, &v) == 1 && !fzl_skipped()) {
		char detail[320];
		snprintf(detail, sizeof detail, "%s (after action %zu)", v.what, v.action);
		fzl_finding("fuzz_lwip", kind, detail);
	}
	return 0;
}
