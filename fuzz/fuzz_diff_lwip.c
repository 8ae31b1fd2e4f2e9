/* Fuzz target: differential, the reference (profile `lwip`) against lwIP
 * 2.1.3 in this process, through the oracle differ (harness/diff.h).
 *
 * An input decodes to actions (harness/actions/actions.h); the reference's
 * executor turns them into a script (fz_script_build: inbound lines and
 * verbs relative to each side's ISN); diff_script() runs that script on
 * the reference and on lwIP (the in-process target, reset per run) and
 * classifies every divergence.
 *   - a *violation* is a finding: `differ violation: RULE KIND:FIELDS`
 *     (crash), unless fuzz/known/lwip.tsv lists it (lwip_common.h); only
 *     an input's first violation counts (the rest follow from it);
 *   - a *deviation* (a profile key, RFC 5961, a SHLD/MAY choice) or a
 *     *timing* finding is recorded, never a crash: FZ_DEVIATIONS=FILE
 *     gets, at exit, each distinct one with its count, appended (and a
 *     one-line total goes to stderr);
 *   - an lwIP assertion or sanitizer report is a finding as in fuzz_lwip.
 * For speed the differ first runs without its profile search (every
 * divergence it cannot class otherwise is a violation); a violation that
 * is not known is confirmed by a second diff with the search, so a
 * profile choice never crashes the fuzzer.
 *
 * Verbs lwIP's socket layer does not model (SO_RCVBUF, SO_SNDBUF,
 * TCP_MAXSEG, TCP_USER_TIMEOUT, SO_OOBINLINE, IP_RECVERR) are dropped from
 * the actions first: they would make the script SKIP on lwIP. So is
 * NEW_PEER: the differ makes sequence numbers relative to one connection's
 * ISNs per script, and a second connection's RSTs (SEQ=0) then differ by
 * the two stacks' ISNs — not a finding of either stack; for the same
 * reason an input keeps one connection (keep_modelled).
 *
 * FZ_SCRIPT=FILE writes the script an input becomes, for `tcpcheck diff
 * --target lwip FILE` (how a violation becomes a readable reproducer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/lwip_common.h"
#include "harness/actions/actions.h"
#include "harness/diff.h"
#include "targets/lwip/lwip_inproc.h"

#define MAX_DEV 256

static struct {
	char text[200];
	unsigned long count;
} devs[MAX_DEV];
static size_t n_devs;
static unsigned long n_dev_total;

static void record_deviation(const struct diff_finding *f)
{
	char text[200];
	size_t i;
	snprintf(text, sizeof text, "%s %s %s%s%s%s", diff_class_name(f->cls), f->rule, f->kind,
		 f->profile_key[0] ? " " : "", f->profile_key,
		 f->profile_key[0] ? "=" : "");
	if (f->profile_key[0])
		snprintf(text + strlen(text), sizeof text - strlen(text), "%s", f->profile_value);
	n_dev_total++;
	for (i = 0; i < n_devs; i++)
		if (!strcmp(devs[i].text, text)) {
			devs[i].count++;
			return;
		}
	if (n_devs < MAX_DEV) {
		snprintf(devs[n_devs].text, sizeof devs[n_devs].text, "%s", text);
		devs[n_devs++].count = 1;
	}
}

static void write_deviations(void)
{
	const char *path = getenv("FZ_DEVIATIONS");
	FILE *f;
	size_t i;
	if (n_dev_total)
		fprintf(stderr, "fuzz_diff_lwip: %lu deviations/timings recorded (%zu distinct)\n",
			n_dev_total, n_devs);
	/* Appended: libFuzzer's -fork workers each add theirs. */
	if (!n_devs || !path || !(f = fopen(path, "a")))
		return;
	fprintf(f, "# count\tclass rule kind [profile key=value] (one process)\n");
	for (i = 0; i < n_devs; i++)
		fprintf(f, "%lu\t%s\n", devs[i].count, devs[i].text);
	fclose(f);
}

static void kind_of(const struct diff_finding *f, char *buf, size_t cap)
{
	size_t i, n;
	n = (size_t)snprintf(buf, cap, "differ violation: %s %s:", f->rule, f->kind);
	for (i = 0; i < f->n_fields && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? "," : "", f->fields[i].name);
}

/* Without the verbs lwIP does not model, and with one connection of one
 * side: the first LISTEN or CONNECT decides, later CONNECTs (and a LISTEN
 * after a CONNECT) go, as NEW_PEER does. Returns the new count. */
static size_t keep_modelled(struct fz_action *a, size_t n)
{
	size_t i, k = 0;
	bool opened = false, active = false;
	for (i = 0; i < n; i++) {
		enum fz_verb v = a[i].verb;
		if (a[i].kind == FZ_VERB && (v == FZ_V_CONNECT || v == FZ_V_LISTEN)) {
			if (opened && (v == FZ_V_CONNECT || active))
				continue;
			active = !opened ? v == FZ_V_CONNECT : active;
			opened = true;
		}
		if (a[i].kind == FZ_VERB &&
		    (v == FZ_V_RCVBUF || v == FZ_V_SNDBUF || v == FZ_V_MAXSEG ||
		     v == FZ_V_USER_TIMEOUT || v == FZ_V_OOBINLINE || v == FZ_V_RECVERR ||
		     v == FZ_V_SOFT_ERROR || v == FZ_V_NEW_PEER))
			continue;
		a[k++] = a[i];
	}
	return k;
}

static void detail_of(const struct diff_finding *f, char *buf, size_t cap)
{
	snprintf(buf, cap, "line %d: %s (%s %s): expected %s, got %s", f->line, f->kind, f->section,
		 f->req, f->n_fields ? f->fields[0].expected : f->expected_pkt,
		 f->n_fields ? f->fields[0].actual : f->actual_pkt);
}

/* Is the violation `f` of `s` still one once the profile search has run? */
static bool confirmed(const struct scr_script *s, const struct diff_opts *o, const char *kind)
{
	struct diff_opts full = *o;
	struct diff_result r;
	char k[256];
	size_t i;
	bool yes = false;
	full.no_explain = false;
	if (diff_script(s, &full, &r) != 0)
		return true;
	for (i = 0; i < r.n_findings && !yes; i++) {
		if (r.findings[i].cls != DIFF_VIOLATION)
			continue;
		kind_of(&r.findings[i], k, sizeof k);
		yes = !strcmp(k, kind);
	}
	diff_result_free(&r);
	return yes;
}

/* The first violation decides: once the two stacks have diverged on one
 * root cause, later divergences compare different states (the differ
 * resynchronises only when both are back in step), so they are not judged.
 * Deviations and timings are recorded throughout. */
static void judge(const struct scr_script *s, const struct diff_opts *o,
		  const struct diff_result *r)
{
	size_t i;
	for (i = 0; i < r->n_findings; i++) {
		const struct diff_finding *f = &r->findings[i];
		char kind[256], detail[600];
		if (f->cls != DIFF_VIOLATION) {
			record_deviation(f);
			continue;
		}
		kind_of(f, kind, sizeof kind);
		if (!fzl_known(kind) && !confirmed(s, o, kind)) {
			record_deviation(f); /* the profile search explained it */
			continue;
		}
		detail_of(f, detail, sizeof detail);
		fzl_finding("fuzz_diff_lwip", kind, detail);
		return;
	}
}

/* FZ_SCRIPT=FILE: the script the input became (for `tcpcheck diff`). */
static void write_script(const char *path, const struct scr_script *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	if (scr_write(s, SCR_WRITE_SOURCE, &text, &len) == 0 && (f = fopen(path, "w")) != NULL) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
	free(text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fzl_init();
	atexit(write_deviations);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz_action acts[FZ_MAX_ACTIONS];
	struct diff_opts o = { .target = fzl_ops(), .seed = 1, .tolerance_us = -1,
			       .no_explain = true };
	struct diff_result r;
	struct scr_script *s = NULL;
	size_t n;
	fzl_input(data, size);
	n = keep_modelled(acts, fz_decode(data, size, acts, FZ_MAX_ACTIONS));
	if (n == 0 || fz_script_build(acts, n, false, NULL, &s) != 0)
		return 0;
	if (getenv("FZ_SCRIPT"))
		write_script(getenv("FZ_SCRIPT"), s);
	fzl_skipped();
	if (diff_script(s, &o, &r) != 0) {
		scr_script_free(s);
		return 0;
	}
	if (!fzl_skipped()) { /* else a known memory bug was held back: no verdict */
		const char *failure = lwip_inproc_failure();
		if (failure) {
			char kind[256];
			fzl_assertion_kind(failure, kind, sizeof kind);
			fzl_finding("fuzz_diff_lwip", kind, failure);
		} else if (r.status == DIFF_FOUND) {
			judge(s, &o, &r);
		}
	}
	diff_result_free(&r);
	scr_script_free(s);
	return 0;
}
