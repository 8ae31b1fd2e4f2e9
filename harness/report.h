/* Reports of a run (DESIGN.md §5): human text (colour on a terminal, with a
 * ladder diagram of the exchange around the first divergence), JSON (one
 * object, documented in README.md), JUnit XML for CI systems, and TAP.
 * Every report records the target, its version, the profile and the
 * tcpcheck version. */
#ifndef TCPCHECK_HARNESS_REPORT_H
#define TCPCHECK_HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "harness/run.h"

enum rpt_format {
	RPT_TEXT,
	RPT_JSON,
	RPT_JUNIT,
	RPT_TAP,
};

/* The format named "text", "json", "junit" or "tap": 0 and `*out`, or -1. */
int rpt_format_by_name(const char *name, enum rpt_format *out);

/* One script's outcome. */
struct rpt_script {
	const char *path;               /* borrowed */
	struct run_result res;          /* owned by the caller */
};

/* A whole run. */
struct rpt_run {
	const char *target;             /* target name */
	const char *target_version;     /* may be "" */
	const char *profile;            /* "rfc", a file, or "" */
	const struct rpt_script *scripts;
	size_t n_scripts;
	double wall_s;                  /* the whole run */
	bool timings;                   /* false: leave wall-clock figures out */
	bool color;                     /* text: ANSI colours */
	bool verbose;                   /* text: a ladder for every script */
};

/* Counts by verdict. */
struct rpt_counts {
	size_t pass, fail, skip, xfail, xpass, error;
};

/* Count the verdicts of a run. */
void rpt_count(const struct rpt_run *run, struct rpt_counts *c);

/* Does the run fail (any fail, XPASS or error)? */
bool rpt_failed(const struct rpt_counts *c);

/* Write the report in `fmt` to `f`. Returns 0 or -EIO / -ENOMEM. */
int rpt_write(FILE *f, enum rpt_format fmt, const struct rpt_run *run);

/* The text report of one script (verdict line, mismatches, ladder), as
 * `rpt_write` writes it for RPT_TEXT; used for progress output. */
void rpt_text_script(FILE *f, const struct rpt_run *run, const struct rpt_script *s);

/* Write `s` escaped for XML text and attributes (the characters XML 1.0
 * forbids are dropped). */
void rpt_xml_text(FILE *f, const char *s);

/* The summary line: "N passed, N failed, N skipped, N xfail, N xpass,
 * N errors" (the first two are what CI systems read). */
void rpt_summary_line(FILE *f, const struct rpt_counts *c);

#endif
