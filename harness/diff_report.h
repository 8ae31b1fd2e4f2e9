/* Reports of `tcpcheck diff`: a finding as text (with a ladder diagram of
 * the reference's and the target's segments side by side), JSON (one
 * object per finding, plus one per script and a summary), JUnit XML (one
 * testcase per script, one failure per violation) and the summary table by
 * rule and class. */
#ifndef TCPCHECK_HARNESS_DIFF_REPORT_H
#define TCPCHECK_HARNESS_DIFF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "harness/diff.h"

#define DIFF_SUMMARY_ROWS 256

struct diff_summary_row {
	char rule[64];
	char req[24];
	char key[48];           /* the profile key of a deviation, if any */
	enum diff_class cls;
	size_t count;
};

/* Counts over a run; zero it before the first diff_summary_add. */
struct diff_summary {
	size_t scripts, diverged, skipped, errors;
	size_t by_class[3];
	struct diff_summary_row rows[DIFF_SUMMARY_ROWS];
	size_t n_rows;
	bool checked;           /* --also-check ran ... */
	size_t check[6];        /* ... with these verdicts (enum run_verdict) */
};

/* Count `r`'s findings. */
void diff_summary_add(struct diff_summary *s, const struct diff_result *r);

/* --also-check: the script's own `>` lines checked against the target in
 * a run of their own (run.h), reported apart from the oracle's findings.
 * Count the verdict of `chk`; print its mismatches as text (nothing when
 * it passed); add it to a JSON document's "also_check" array. */
void diff_check_add(struct diff_summary *s, const struct run_result *chk);
void diff_check_text(FILE *f, const char *path, const struct run_result *chk);
void diff_json_add_check(void *doc, const char *path, const struct run_result *chk);

/* Does the check count as a failure (fail, XPASS, error)? */
bool diff_check_failed(const struct run_result *chk);

/* The summary table (sorts the rows). */
void diff_summary_text(FILE *f, struct diff_summary *s, const char *target);

/* One finding as text; `with_ladder` draws the exchange around it. */
void diff_report_finding_text(FILE *f, const char *path, const struct diff_result *r,
			      const struct diff_finding *x, bool with_ladder);

/* JSON: a document (opaque, owned by the caller until diff_json_write,
 * which frees it), filled script by script. */
void *diff_json_new(const char *target, const char *version);
void diff_json_add(void *doc, const char *path, const struct diff_result *r);
int diff_json_write(void *doc, struct diff_summary *s, FILE *f);

/* JUnit XML over `n` results with their script paths. */
void diff_junit_write(FILE *f, const char *target, const char *const *paths,
		      const struct diff_result *rs, size_t n);

#endif
