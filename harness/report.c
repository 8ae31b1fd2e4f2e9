/* Reports; see report.h. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness/report.h"
#include "harness/version.h"
#include "reference/ref_rule.h"

int rpt_format_by_name(const char *name, enum rpt_format *out)
{
	static const char *const names[] = { "text", "json", "junit", "tap" };
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0) {
			*out = (enum rpt_format)i;
			return 0;
		}
	return -1;
}

void rpt_count(const struct rpt_run *run, struct rpt_counts *c)
{
	size_t i;
	memset(c, 0, sizeof *c);
	for (i = 0; i < run->n_scripts; i++) {
		switch (run->scripts[i].res.verdict) {
		case RUN_PASS: c->pass++; break;
		case RUN_FAIL: c->fail++; break;
		case RUN_SKIP: c->skip++; break;
		case RUN_XFAIL: c->xfail++; break;
		case RUN_XPASS: c->xpass++; break;
		case RUN_ERROR: c->error++; break;
		}
	}
}

bool rpt_failed(const struct rpt_counts *c)
{
	return c->fail || c->xpass || c->error;
}

void rpt_summary_line(FILE *f, const struct rpt_counts *c)
{
	fprintf(f, "%zu passed, %zu failed, %zu skipped, %zu xfail, %zu xpass, %zu errors\n",
		c->pass, c->fail, c->skip, c->xfail, c->xpass, c->error);
}

/* ---- text ----------------------------------------------------------------- */

/* The rule behind a packet, explained: "3.10.7.2-syn-ack (§3.10.7.2,
 * MUST-14): LISTEN: a SYN is answered ...". Ids the reference does not
 * know (another target's) are printed as they are. */
static void explain_rule(FILE *f, const char *id)
{
	enum ref_rule r = ref_rule_by_id(id);
	const struct ref_rule_info *info = ref_rule_info(r);
	if (r == REF_R_NONE) {
		fprintf(f, "%s", id);
		return;
	}
	fprintf(f, "%s (%s%s%s): %s", info->id, info->section, info->req ? ", " : "",
		info->req ? info->req : "", info->text);
}

#define C_RED "\033[31m"
#define C_GREEN "\033[32m"
#define C_YELLOW "\033[33m"
#define C_DIM "\033[2m"
#define C_OFF "\033[0m"

static const char *verdict_color(enum run_verdict v)
{
	switch (v) {
	case RUN_PASS: return C_GREEN;
	case RUN_SKIP:
	case RUN_XFAIL: return C_YELLOW;
	default: return C_RED;
	}
}

static void verdict_line(FILE *f, const struct rpt_run *run, const struct rpt_script *s)
{
	const struct run_result *r = &s->res;
	char verdict[16];
	size_t i;
	snprintf(verdict, sizeof verdict, "%s", run_verdict_name(r->verdict));
	for (i = 0; verdict[i]; i++)
		verdict[i] = (char)(verdict[i] >= 'a' && verdict[i] <= 'z' ? verdict[i] - 32 : verdict[i]);
	fprintf(f, "%s%-5s%s %s (IPv%d)", run->color ? verdict_color(r->verdict) : "", verdict,
		run->color ? C_OFF : "", s->path, r->family);
	if (run->timings)
		fprintf(f, " %.3f ms", r->wall_s * 1e3);
	if (r->verdict == RUN_SKIP || r->verdict == RUN_XFAIL || r->verdict == RUN_XPASS ||
	    r->verdict == RUN_ERROR)
		fprintf(f, ": %s", r->reason);
	if (r->skipped_asserts)
		fprintf(f, " [%zu python assertions not checked]", r->skipped_asserts);
	fputc('\n', f);
}

/* One ladder row: inbound arrows run right, toward the stack. */
static void ladder_row(FILE *f, const struct rpt_run *run, const struct run_trace_entry *e,
		       const char *mark)
{
	if (e->inbound)
		fprintf(f, "   %s%11.6f  %-44s ---->%s\n", mark, (double)e->time_us / 1e6, e->text,
			"");
	else
		fprintf(f, "   %s%11.6f  %44s <----  %s%s%s%s%s\n", mark, (double)e->time_us / 1e6,
			"", e->text, e->rule[0] ? "  " : "", run->color ? C_DIM : "",
			e->rule[0] ? e->rule : "", run->color ? C_OFF : "");
}

/* The exchange up to the first divergence (at most 10 rows before it),
 * then what was expected beside what came. */
static void ladder(FILE *f, const struct rpt_run *run, const struct run_result *r)
{
	const struct run_mismatch *m = r->n_mismatches ? &r->mismatches[0] : NULL;
	size_t end = 0, start, i;
	while (end < r->n_trace && (!m || r->trace[end].time_us <= m->time_us))
		end++;
	start = end > 10 ? end - 10 : 0;
	fprintf(f, "    %11s  %-44s       %s\n", "time", "script (peer)", "stack under test");
	for (i = start; i < end; i++)
		ladder_row(f, run, &r->trace[i], " ");
	if (!m)
		return;
	fprintf(f, "   %s%11.6f  line %d: %s%s\n", run->color ? C_RED "x" C_OFF : "x",
		(double)m->time_us / 1e6, m->line, m->msg, "");
	if (m->expected[0] || m->actual[0])
		fprintf(f, "    %11s  %-10s %s\n    %11s  %-10s %s\n", "", "expected:",
			m->expected, "", "actual:", m->actual);
	if (m->rule[0]) {
		fprintf(f, "    %11s  %-10s ", "", "rule:");
		explain_rule(f, m->rule);
		fputc('\n', f);
	}
}

void rpt_text_script(FILE *f, const struct rpt_run *run, const struct rpt_script *s)
{
	const struct run_result *r = &s->res;
	size_t i;
	verdict_line(f, run, s);
	if (r->verdict != RUN_FAIL && r->verdict != RUN_XFAIL && !run->verbose)
		return;
	for (i = 0; i < r->n_mismatches; i++) {
		const struct run_mismatch *m = &r->mismatches[i];
		fprintf(f, "   %s:%d:%d: %.6f: %s", s->path, m->line, m->col,
			(double)m->time_us / 1e6, m->msg);
		if (m->rule[0])
			fprintf(f, " [reference rule: %s]", m->rule);
		fputc('\n', f);
	}
	if (r->n_trace || r->n_mismatches)
		ladder(f, run, r);
}

static void write_text(FILE *f, const struct rpt_run *run)
{
	struct rpt_counts c;
	size_t i;
	fprintf(f, "tcpcheck %s, target %s (%s), profile %s\n", tc_version(), run->target,
		run->target_version, run->profile[0] ? run->profile : "default");
	for (i = 0; i < run->n_scripts; i++)
		rpt_text_script(f, run, &run->scripts[i]);
	rpt_count(run, &c);
	rpt_summary_line(f, &c);
	if (run->timings)
		fprintf(f, "wall time %.3f s\n", run->wall_s);
}

/* ---- JSON ------------------------------------------------------------------ */

static cJSON *json_mismatch(const struct run_mismatch *m)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "line", m->line);
	cJSON_AddNumberToObject(o, "col", m->col);
	cJSON_AddNumberToObject(o, "time", (double)m->time_us / 1e6);
	cJSON_AddStringToObject(o, "field", m->field);
	cJSON_AddStringToObject(o, "expected", m->expected);
	cJSON_AddStringToObject(o, "actual", m->actual);
	cJSON_AddStringToObject(o, "rule", m->rule);
	if (m->rule[0] && ref_rule_by_id(m->rule) != REF_R_NONE) {
		const struct ref_rule_info *info = ref_rule_info(ref_rule_by_id(m->rule));
		cJSON_AddStringToObject(o, "rule_section", info->section);
		if (info->req)
			cJSON_AddStringToObject(o, "rule_requirement", info->req);
		cJSON_AddStringToObject(o, "rule_text", info->text);
	}
	cJSON_AddStringToObject(o, "message", m->msg);
	return o;
}

static cJSON *json_script(const struct rpt_run *run, const struct rpt_script *s)
{
	const struct run_result *r = &s->res;
	cJSON *o = cJSON_CreateObject(), *ms;
	size_t i;
	cJSON_AddStringToObject(o, "path", s->path);
	cJSON_AddStringToObject(o, "family", r->family == 6 ? "ipv6" : "ipv4");
	cJSON_AddStringToObject(o, "verdict", run_verdict_name(r->verdict));
	cJSON_AddStringToObject(o, "reason", r->reason);
	cJSON_AddNumberToObject(o, "span", (double)r->span_us / 1e6);
	if (run->timings)
		cJSON_AddNumberToObject(o, "wall", r->wall_s);
	cJSON_AddNumberToObject(o, "skipped_asserts", (double)r->skipped_asserts);
	ms = cJSON_AddArrayToObject(o, "mismatches");
	for (i = 0; i < r->n_mismatches; i++)
		cJSON_AddItemToArray(ms, json_mismatch(&r->mismatches[i]));
	return o;
}

static int write_json(FILE *f, const struct rpt_run *run)
{
	cJSON *root = cJSON_CreateObject(), *arr, *sum;
	struct rpt_counts c;
	char *text;
	size_t i;
	if (!root)
		return -ENOMEM;
	rpt_count(run, &c);
	cJSON_AddStringToObject(root, "tcpcheck", tc_version());
	cJSON_AddStringToObject(root, "target", run->target);
	cJSON_AddStringToObject(root, "target_version", run->target_version);
	cJSON_AddStringToObject(root, "profile", run->profile);
	sum = cJSON_AddObjectToObject(root, "summary");
	cJSON_AddNumberToObject(sum, "pass", (double)c.pass);
	cJSON_AddNumberToObject(sum, "fail", (double)c.fail);
	cJSON_AddNumberToObject(sum, "skip", (double)c.skip);
	cJSON_AddNumberToObject(sum, "xfail", (double)c.xfail);
	cJSON_AddNumberToObject(sum, "xpass", (double)c.xpass);
	cJSON_AddNumberToObject(sum, "error", (double)c.error);
	arr = cJSON_AddArrayToObject(root, "scripts");
	for (i = 0; i < run->n_scripts; i++)
		cJSON_AddItemToArray(arr, json_script(run, &run->scripts[i]));
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return -ENOMEM;
	fprintf(f, "%s\n", text);
	free(text);
	return 0;
}

/* ---- JUnit XML ------------------------------------------------------------------ */

void rpt_xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default:
			/* XML 1.0 allows no other control characters. */
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
		}
	}
}

static void junit_case(FILE *f, const struct rpt_run *run, const struct rpt_script *s)
{
	const struct run_result *r = &s->res;
	size_t i;
	fputs("    <testcase classname=\"tcpcheck.", f);
	rpt_xml_text(f, run->target);
	fputs("\" name=\"", f);
	rpt_xml_text(f, s->path);
	fprintf(f, "\" time=\"%.6f\">\n", run->timings ? r->wall_s : 0.0);
	if (r->verdict == RUN_SKIP || r->verdict == RUN_XFAIL) {
		fputs("      <skipped message=\"", f);
		rpt_xml_text(f, r->verdict == RUN_XFAIL ? "xfail: " : "");
		rpt_xml_text(f, r->reason);
		fputs("\"/>\n", f);
	} else if (r->verdict != RUN_PASS) {
		fprintf(f, "      <%s message=\"", r->verdict == RUN_ERROR ? "error" : "failure");
		rpt_xml_text(f, r->reason);
		fprintf(f, "\" type=\"%s\">", run_verdict_name(r->verdict));
		for (i = 0; i < r->n_mismatches; i++) {
			char line[600];
			snprintf(line, sizeof line, "%s:%d:%d: %s\n", s->path,
				 r->mismatches[i].line, r->mismatches[i].col, r->mismatches[i].msg);
			rpt_xml_text(f, line);
		}
		fprintf(f, "</%s>\n", r->verdict == RUN_ERROR ? "error" : "failure");
	}
	fputs("    </testcase>\n", f);
}

static void junit_property(FILE *f, const char *name, const char *value)
{
	fprintf(f, "      <property name=\"%s\" value=\"", name);
	rpt_xml_text(f, value);
	fputs("\"/>\n", f);
}

static void write_junit(FILE *f, const struct rpt_run *run)
{
	struct rpt_counts c;
	size_t i;
	rpt_count(run, &c);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n", f);
	fputs("  <testsuite name=\"tcpcheck.", f);
	rpt_xml_text(f, run->target);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
		run->n_scripts, c.fail + c.xpass, c.error, c.skip + c.xfail,
		run->timings ? run->wall_s : 0.0);
	fputs("    <properties>\n", f);
	junit_property(f, "tcpcheck", tc_version());
	junit_property(f, "target", run->target);
	junit_property(f, "target_version", run->target_version);
	junit_property(f, "profile", run->profile);
	fputs("    </properties>\n", f);
	for (i = 0; i < run->n_scripts; i++)
		junit_case(f, run, &run->scripts[i]);
	fputs("  </testsuite>\n</testsuites>\n", f);
}

/* ---- TAP ------------------------------------------------------------------------ */

static void tap_line(FILE *f, size_t n, const struct rpt_script *s)
{
	const struct run_result *r = &s->res;
	size_t i;
	switch (r->verdict) {
	case RUN_PASS: fprintf(f, "ok %zu - %s\n", n, s->path); break;
	case RUN_SKIP: fprintf(f, "ok %zu - %s # SKIP %s\n", n, s->path, r->reason); break;
	/* TAP's "# TODO" directive marks an expected failure (not a to-do). */
	case RUN_XFAIL: fprintf(f, "not ok %zu - %s # TODO %s\n", n, s->path, r->reason); break;
	case RUN_XPASS:
		fprintf(f, "not ok %zu - %s # unexpected pass: %s\n", n, s->path, r->reason);
		break;
	default:
		fprintf(f, "not ok %zu - %s\n", n, s->path);
		fprintf(f, "  ---\n  message: \"%s\"\n", r->reason);
		for (i = 0; i < r->n_mismatches; i++)
			fprintf(f, "  # line %d: %s\n", r->mismatches[i].line, r->mismatches[i].msg);
		fprintf(f, "  ...\n");
	}
}

static void write_tap(FILE *f, const struct rpt_run *run)
{
	size_t i;
	fprintf(f, "TAP version 13\n1..%zu\n# tcpcheck %s, target %s (%s), profile %s\n",
		run->n_scripts, tc_version(), run->target, run->target_version, run->profile);
	for (i = 0; i < run->n_scripts; i++)
		tap_line(f, i + 1, &run->scripts[i]);
}

int rpt_write(FILE *f, enum rpt_format fmt, const struct rpt_run *run)
{
	int rc = 0;
	switch (fmt) {
	case RPT_TEXT: write_text(f, run); break;
	case RPT_JSON: rc = write_json(f, run); break;
	case RPT_JUNIT: write_junit(f, run); break;
	case RPT_TAP: write_tap(f, run); break;
	}
	if (rc == 0 && (fflush(f) != 0 || ferror(f)))
		rc = -EIO;
	return rc;
}
