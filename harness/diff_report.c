/* The differ's reports: text (with a ladder diagram), JSON, JUnit, and the
 * summary by rule and class; see diff_report.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "harness/diff_report.h"
#include "harness/report.h"

/* ---- text ------------------------------------------------------------------ */

static void ladder(FILE *f, const struct diff_result *r, const struct diff_finding *x)
{
	const struct run_result *a = &r->tgt, *e = &r->ref;
	uint64_t t1 = x->time_us + 1000, t0 = 0;
	size_t i, j, seen = 0;
	/* from the third inbound packet before the divergence */
	for (i = a->n_trace; i-- > 0;)
		if (a->trace[i].inbound && a->trace[i].time_us <= t1 && ++seen == 3) {
			t0 = a->trace[i].time_us;
			break;
		}
	fprintf(f, "      %10s  %-40s       %-44s %s\n", "time", "script (peer)",
		"reference (expected)", "target (actual)");
	i = j = 0;
	while (i < a->n_trace || j < e->n_trace) {
		const struct run_trace_entry *ta = i < a->n_trace ? &a->trace[i] : NULL;
		const struct run_trace_entry *te = j < e->n_trace ? &e->trace[j] : NULL;
		bool take_e = te && !te->inbound && (!ta || te->time_us <= ta->time_us || ta->inbound);
		if (ta && ta->inbound && te && !te->inbound && te->time_us < ta->time_us)
			take_e = true;
		else if (ta && ta->inbound)
			take_e = false;
		if (te && te->inbound && (!ta || ta->inbound)) { /* the same inbound twice */
			j++;
			continue;
		}
		if (take_e && ta && !ta->inbound && ta->time_us == te->time_us &&
		    !strcmp(ta->text, te->text)) { /* the same segment on both sides */
			if (te->time_us >= t0 && te->time_us <= t1)
				fprintf(f, "      %10.6f  %-40s <----  %-44s %s\n",
					(double)te->time_us / 1e6, "", te->text, ta->text);
			i++;
			j++;
		} else if (take_e) {
			if (te->time_us >= t0 && te->time_us <= t1)
				fprintf(f, "      %10.6f  %-40s <----  %-44s\n",
					(double)te->time_us / 1e6, "", te->text);
			j++;
		} else if (ta) {
			if (ta->time_us >= t0 && ta->time_us <= t1) {
				if (ta->inbound)
					fprintf(f, "      %10.6f  %-40s ---->\n",
						(double)ta->time_us / 1e6, ta->text);
				else
					fprintf(f, "      %10.6f  %-40s <----  %-44s %s\n",
						(double)ta->time_us / 1e6, "", "", ta->text);
			}
			i++;
		} else {
			j++;
		}
	}
}

void diff_report_finding_text(FILE *f, const char *path, const struct diff_result *r,
			      const struct diff_finding *x, bool with_ladder)
{
	size_t k;
	fprintf(f, "%-9s %s:%d: %.6f: %s %s%s%s%s%s%s\n", diff_class_name(x->cls), path, x->line,
		(double)x->time_us / 1e6, x->kind, x->rule[0] ? x->rule : "(no rule)",
		x->section[0] || x->req[0] ? " (" : "", x->section,
		x->section[0] && x->req[0] ? ", " : "", x->req,
		x->section[0] || x->req[0] ? ")" : "");
	for (k = 0; k < x->n_fields; k++)
		fprintf(f, "   %-8s expected %s, got %s\n", x->fields[k].name, x->fields[k].expected,
			x->fields[k].actual);
	if (x->rule_text[0])
		fprintf(f, "   rule:    %s\n", x->rule_text);
	if (x->profile_key[0])
		fprintf(f, "   profile: explained by %s = %s (profile %s); the fix is the profile: "
			   "--set %s=%s\n",
			x->profile_key, x->profile_value, r->ref_profile, x->profile_key,
			x->profile_value);
	if (x->note[0])
		fprintf(f, "   note:    %s\n", x->note);
	if (with_ladder)
		ladder(f, r, x);
}

/* ---- summary ---------------------------------------------------------------- */

void diff_summary_add(struct diff_summary *s, const struct diff_result *r)
{
	size_t i, k;
	s->scripts++;
	if (r->status == DIFF_SKIP)
		s->skipped++;
	else if (r->status == DIFF_ERROR)
		s->errors++;
	else if (r->status == DIFF_FOUND)
		s->diverged++;
	for (i = 0; i < r->n_findings; i++) {
		const struct diff_finding *x = &r->findings[i];
		s->by_class[x->cls]++;
		for (k = 0; k < s->n_rows; k++)
			if (s->rows[k].cls == x->cls && !strcmp(s->rows[k].rule, x->rule))
				break;
		if (k == s->n_rows) {
			if (s->n_rows == DIFF_SUMMARY_ROWS)
				continue;
			s->n_rows++;
			snprintf(s->rows[k].rule, sizeof s->rows[k].rule, "%s",
				 x->rule[0] ? x->rule : "(no rule)");
			snprintf(s->rows[k].req, sizeof s->rows[k].req, "%s", x->req);
			snprintf(s->rows[k].key, sizeof s->rows[k].key, "%s", x->profile_key);
			s->rows[k].cls = x->cls;
		}
		s->rows[k].count++;
	}
}

static int row_cmp(const void *a, const void *b)
{
	const struct diff_summary_row *x = a, *y = b;
	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

void diff_summary_text(FILE *f, struct diff_summary *s, const char *target)
{
	size_t k;
	qsort(s->rows, s->n_rows, sizeof s->rows[0], row_cmp);
	fprintf(f, "\nsummary (%s): %zu scripts, %zu with findings, %zu skipped, %zu errors\n",
		target, s->scripts, s->diverged, s->skipped, s->errors);
	fprintf(f, "findings: %zu violation, %zu deviation, %zu timing\n",
		s->by_class[DIFF_VIOLATION], s->by_class[DIFF_DEVIATION], s->by_class[DIFF_TIMING]);
	if (s->checked)
		fprintf(f, "also-check (the scripts' own `>` lines on %s): %zu passed, %zu failed, "
			"%zu skipped, %zu xfail, %zu xpass, %zu errors\n", target,
			s->check[RUN_PASS], s->check[RUN_FAIL], s->check[RUN_SKIP], s->check[RUN_XFAIL],
			s->check[RUN_XPASS], s->check[RUN_ERROR]);
	if (s->n_rows == 0)
		return;
	fprintf(f, "  %-10s %5s  %-40s %-10s %s\n", "class", "count", "rule", "req",
		"profile key");
	for (k = 0; k < s->n_rows; k++)
		fprintf(f, "  %-10s %5zu  %-40s %-10s %s\n", diff_class_name(s->rows[k].cls),
			s->rows[k].count, s->rows[k].rule, s->rows[k].req, s->rows[k].key);
}

/* ---- --also-check ------------------------------------------------------------------ */

void diff_check_add(struct diff_summary *s, const struct run_result *chk)
{
	s->checked = true;
	if ((unsigned)chk->verdict < 6)
		s->check[chk->verdict]++;
}

bool diff_check_failed(const struct run_result *chk)
{
	return chk->verdict == RUN_FAIL || chk->verdict == RUN_XPASS || chk->verdict == RUN_ERROR;
}

void diff_check_text(FILE *f, const char *path, const struct run_result *chk)
{
	size_t i;
	if (chk->verdict == RUN_PASS)
		return;
	if (chk->n_mismatches == 0 || chk->verdict != RUN_FAIL) {
		fprintf(f, "also-check %s %s: %s\n", run_verdict_name(chk->verdict), path,
			chk->reason);
		return;
	}
	for (i = 0; i < chk->n_mismatches; i++)
		fprintf(f, "also-check FAIL %s:%d: %s\n", path, chk->mismatches[i].line,
			chk->mismatches[i].msg);
}

void diff_json_add_check(void *doc, const char *path, const struct run_result *chk)
{
	cJSON *o = doc, *arr = cJSON_GetObjectItem(o, "also_check"), *c = cJSON_CreateObject();
	cJSON *ms = cJSON_CreateArray();
	size_t i;
	if (!arr) {
		arr = cJSON_CreateArray();
		cJSON_AddItemToObject(o, "also_check", arr);
	}
	cJSON_AddStringToObject(c, "script", path);
	cJSON_AddStringToObject(c, "verdict", run_verdict_name(chk->verdict));
	cJSON_AddStringToObject(c, "reason", chk->reason);
	for (i = 0; i < chk->n_mismatches; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddNumberToObject(m, "line", chk->mismatches[i].line);
		cJSON_AddStringToObject(m, "field", chk->mismatches[i].field);
		cJSON_AddStringToObject(m, "expected", chk->mismatches[i].expected);
		cJSON_AddStringToObject(m, "actual", chk->mismatches[i].actual);
		cJSON_AddStringToObject(m, "message", chk->mismatches[i].msg);
		cJSON_AddItemToArray(ms, m);
	}
	cJSON_AddItemToObject(c, "mismatches", ms);
	cJSON_AddItemToArray(arr, c);
}

/* ---- JSON ---------------------------------------------------------------------- */

static cJSON *finding_json(const char *path, const struct diff_result *r,
			   const struct diff_finding *x)
{
	cJSON *o = cJSON_CreateObject(), *fs = cJSON_CreateArray();
	size_t k;
	cJSON_AddStringToObject(o, "script", path);
	cJSON_AddNumberToObject(o, "line", x->line);
	cJSON_AddNumberToObject(o, "time", (double)x->time_us / 1e6);
	cJSON_AddStringToObject(o, "class", diff_class_name(x->cls));
	cJSON_AddStringToObject(o, "kind", x->kind);
	cJSON_AddStringToObject(o, "rule", x->rule);
	cJSON_AddStringToObject(o, "rule_section", x->section);
	cJSON_AddStringToObject(o, "rule_requirement", x->req);
	cJSON_AddStringToObject(o, "rule_text", x->rule_text);
	for (k = 0; k < x->n_fields; k++) {
		cJSON *fl = cJSON_CreateObject();
		cJSON_AddStringToObject(fl, "field", x->fields[k].name);
		cJSON_AddStringToObject(fl, "expected", x->fields[k].expected);
		cJSON_AddStringToObject(fl, "actual", x->fields[k].actual);
		cJSON_AddItemToArray(fs, fl);
	}
	cJSON_AddItemToObject(o, "fields", fs);
	cJSON_AddStringToObject(o, "expected_packet", x->expected_pkt);
	cJSON_AddStringToObject(o, "actual_packet", x->actual_pkt);
	cJSON_AddStringToObject(o, "profile", r->ref_profile);
	if (x->profile_key[0]) {
		cJSON_AddStringToObject(o, "profile_key", x->profile_key);
		cJSON_AddStringToObject(o, "profile_value", x->profile_value);
	}
	cJSON_AddStringToObject(o, "note", x->note);
	cJSON_AddNumberToObject(o, "consequences", (double)x->consequences);
	return o;
}

void *diff_json_new(const char *target, const char *version)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "tcpcheck", version);
	cJSON_AddStringToObject(o, "mode", "diff");
	cJSON_AddStringToObject(o, "target", target);
	cJSON_AddItemToObject(o, "findings", cJSON_CreateArray());
	cJSON_AddItemToObject(o, "scripts", cJSON_CreateArray());
	return o;
}

void diff_json_add(void *doc, const char *path, const struct diff_result *r)
{
	cJSON *o = doc, *sc = cJSON_CreateObject();
	size_t i;
	for (i = 0; i < r->n_findings; i++)
		cJSON_AddItemToArray(cJSON_GetObjectItem(o, "findings"),
				     finding_json(path, r, &r->findings[i]));
	cJSON_AddStringToObject(sc, "path", path);
	cJSON_AddStringToObject(sc, "status", diff_status_name(r->status));
	cJSON_AddStringToObject(sc, "reason", r->reason);
	cJSON_AddStringToObject(sc, "profile", r->ref_profile);
	cJSON_AddNumberToObject(sc, "findings", (double)r->n_findings);
	cJSON_AddItemToArray(cJSON_GetObjectItem(o, "scripts"), sc);
}

int diff_json_write(void *doc, struct diff_summary *s, FILE *f)
{
	cJSON *o = doc, *sum = cJSON_CreateObject(), *rows = cJSON_CreateArray();
	char *text;
	size_t k;
	cJSON_AddNumberToObject(sum, "scripts", (double)s->scripts);
	cJSON_AddNumberToObject(sum, "with_findings", (double)s->diverged);
	cJSON_AddNumberToObject(sum, "skipped", (double)s->skipped);
	cJSON_AddNumberToObject(sum, "errors", (double)s->errors);
	cJSON_AddNumberToObject(sum, "violation", (double)s->by_class[DIFF_VIOLATION]);
	cJSON_AddNumberToObject(sum, "deviation", (double)s->by_class[DIFF_DEVIATION]);
	cJSON_AddNumberToObject(sum, "timing", (double)s->by_class[DIFF_TIMING]);
	qsort(s->rows, s->n_rows, sizeof s->rows[0], row_cmp);
	for (k = 0; k < s->n_rows; k++) {
		cJSON *row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "rule", s->rows[k].rule);
		cJSON_AddStringToObject(row, "class", diff_class_name(s->rows[k].cls));
		cJSON_AddStringToObject(row, "requirement", s->rows[k].req);
		cJSON_AddStringToObject(row, "profile_key", s->rows[k].key);
		cJSON_AddNumberToObject(row, "count", (double)s->rows[k].count);
		cJSON_AddItemToArray(rows, row);
	}
	cJSON_AddItemToObject(sum, "by_rule", rows);
	if (s->checked) {
		cJSON *ck = cJSON_CreateObject();
		cJSON_AddNumberToObject(ck, "pass", (double)s->check[RUN_PASS]);
		cJSON_AddNumberToObject(ck, "fail", (double)s->check[RUN_FAIL]);
		cJSON_AddNumberToObject(ck, "skip", (double)s->check[RUN_SKIP]);
		cJSON_AddNumberToObject(ck, "xfail", (double)s->check[RUN_XFAIL]);
		cJSON_AddNumberToObject(ck, "xpass", (double)s->check[RUN_XPASS]);
		cJSON_AddNumberToObject(ck, "error", (double)s->check[RUN_ERROR]);
		cJSON_AddItemToObject(sum, "also_check", ck);
	}
	cJSON_AddItemToObject(o, "summary", sum);
	text = cJSON_Print(o);
	cJSON_Delete(o);
	if (!text)
		return -1;
	fprintf(f, "%s\n", text);
	free(text);
	return 0;
}

/* ---- JUnit ----------------------------------------------------------------------- */

void diff_junit_write(FILE *f, const char *target, const char *const *paths,
		      const struct diff_result *rs, size_t n)
{
	size_t i, k, failures = 0, skipped = 0;
	for (i = 0; i < n; i++) {
		skipped += rs[i].status == DIFF_SKIP || rs[i].status == DIFF_ERROR;
		for (k = 0; k < rs[i].n_findings; k++)
			failures += rs[i].findings[k].cls == DIFF_VIOLATION;
	}
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<testsuites>\n<testsuite name=\"tcpcheck diff ");
	rpt_xml_text(f, target);
	fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n", n,
		failures, skipped);
	for (i = 0; i < n; i++) {
		fprintf(f, "  <testcase classname=\"diff.");
		rpt_xml_text(f, target);
		fprintf(f, "\" name=\"");
		rpt_xml_text(f, paths[i]);
		fprintf(f, "\" time=\"0\">\n");
		if (rs[i].status == DIFF_SKIP || rs[i].status == DIFF_ERROR) {
			fprintf(f, "    <skipped message=\"");
			rpt_xml_text(f, rs[i].reason);
			fprintf(f, "\"/>\n");
		}
		for (k = 0; k < rs[i].n_findings; k++) {
			const struct diff_finding *x = &rs[i].findings[k];
			char msg[512];
			size_t j;
			if (x->cls != DIFF_VIOLATION)
				continue;
			snprintf(msg, sizeof msg, "line %d: %s %s (%s %s)", x->line, x->kind,
				 x->rule, x->section, x->req);
			fprintf(f, "    <failure message=\"");
			rpt_xml_text(f, msg);
			fprintf(f, "\" type=\"violation\">");
			for (j = 0; j < x->n_fields; j++) {
				snprintf(msg, sizeof msg, "%s: expected %s, got %s\n",
					 x->fields[j].name, x->fields[j].expected,
					 x->fields[j].actual);
				rpt_xml_text(f, msg);
			}
			fprintf(f, "</failure>\n");
		}
		fprintf(f, "  </testcase>\n");
	}
	fprintf(f, "</testsuite>\n</testsuites>\n");
}
