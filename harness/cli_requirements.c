/* `tcpcheck requirements`: the traceability matrix (issue 7).
 *
 * Reads the requirement catalogue (specs/requirements.tsv: id, section,
 * check, reason, summary), the `// @requirement` tags of every script under
 * the paths given (default specs/), and optionally the JSON reports of
 * earlier `tcpcheck run`s (--results FILE...). Prints, per requirement, the
 * scripts that check it and, per target found in the results, the scripts
 * that passed there; then the requirements no script checks, and the ids
 * scripts name that the catalogue does not have.
 *
 * A script counts as passed on a target when every result for it in that
 * target's reports (one per family) is `pass`; an xfail is not a pass.
 * Result paths are matched to script paths as written, or when one ends
 * with the other at a '/' (reports written from another directory).
 *
 * Exit codes: 0; 1 with --strict when a script names an unknown id, or
 * with --must-covered when a checkable MUST has no script; 2 usage or
 * input error (`file:line:col: message`). */
#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness/cli.h"


/* A growable array of owned strings. */
struct strv {
	char **v;
	size_t n, cap;
};

/* One catalogue row, plus what the matrix found for it. */
struct req {
	char *id, *section, *check, *reason, *summary; /* owned */
	int line;				       /* in the catalogue */
	struct strv scripts;			       /* paths, borrowed from the script list */
};

/* One script and the ids it names. */
struct script {
	char *path; /* owned */
	struct strv ids;
};

/* One target seen in the results, and per script whether it passed there. */
struct target {
	char *name;	      /* owned */
	signed char *verdict; /* per script: 0 no result, 1 all pass, -1 some other */
};

struct matrix {
	struct req *reqs;
	size_t n_reqs, cap_reqs;
	struct script *scripts;
	size_t n_scripts, cap_scripts;
	struct target *targets;
	size_t n_targets;
};

struct req_cfg {
	const char *catalogue;
	const char **results;
	size_t n_results;
	bool json;
	const char *output;
	bool strict;
	bool must_covered;
};

/* ---- small helpers ---------------------------------------------------------- */

static int strv_push(struct strv *s, char *str)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		char **v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = str;
	return 0;
}

static void strv_free(struct strv *s, bool owned)
{
	size_t i;
	if (owned)
		for (i = 0; i < s->n; i++)
			free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static bool strv_has(const struct strv *s, const char *str)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], str) == 0)
			return true;
	return false;
}

static void matrix_free(struct matrix *m)
{
	size_t i;
	for (i = 0; i < m->n_reqs; i++) {
		free(m->reqs[i].id);
		free(m->reqs[i].section);
		free(m->reqs[i].check);
		free(m->reqs[i].reason);
		free(m->reqs[i].summary);
		strv_free(&m->reqs[i].scripts, false);
	}
	free(m->reqs);
	for (i = 0; i < m->n_scripts; i++) {
		free(m->scripts[i].path);
		strv_free(&m->scripts[i].ids, true);
	}
	free(m->scripts);
	for (i = 0; i < m->n_targets; i++) {
		free(m->targets[i].name);
		free(m->targets[i].verdict);
	}
	free(m->targets);
	memset(m, 0, sizeof *m);
}

/* ---- the catalogue ----------------------------------------------------------- */

/* Split `line` at tabs into at most `max` fields (pointers into line). */
static size_t split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;
	f[n++] = line;
	for (; *line; line++)
		if (*line == '\t') {
			*line = '\0';
			if (n == max)
				return max + 1;
			f[n++] = line + 1;
		}
	return n;
}

static struct req *find_req(const struct matrix *m, const char *id)
{
	size_t i;
	for (i = 0; i < m->n_reqs; i++)
		if (strcmp(m->reqs[i].id, id) == 0)
			return &m->reqs[i];
	return NULL;
}

/* Check one catalogue row; returns NULL or what is wrong with it (and the
 * 1-based field it is in, in *field). */
static const char *row_error(const struct matrix *m, char **f, size_t n, int *field)
{
	bool none;
	*field = 1;
	if (n != 5)
		return n > 5 ? "too many fields (want 5: id, section, check, reason, summary)"
			     : "too few fields (want 5: id, section, check, reason, summary)";
	if (!f[0][0] || strchr(f[0], ' '))
		return "an id must be one non-empty word";
	if (find_req(m, f[0]))
		return "duplicate id";
	*field = 3;
	if (strcmp(f[2], "wire") && strcmp(f[2], "verbs") && strcmp(f[2], "none"))
		return "check must be wire, verbs or none";
	none = strcmp(f[2], "none") == 0;
	*field = 4;
	if (none && !f[3][0])
		return "a requirement that cannot be checked needs a reason";
	if (!none && f[3][0])
		return "a reason is only for check = none";
	*field = 5;
	if (!f[4][0])
		return "the summary is empty";
	return NULL;
}

/* Column (1-based) at which field `k` (1-based) starts in the raw line. */
static int field_col(const char *raw, int k)
{
	int col = 1;
	const char *p = raw;
	while (k > 1 && *p) {
		if (*p == '\t')
			k--;
		p++;
		col++;
	}
	return col;
}

static int add_req(struct matrix *m, char **f, int line)
{
	struct req *r;
	if (m->n_reqs == m->cap_reqs) {
		size_t cap = m->cap_reqs ? m->cap_reqs * 2 : 64;
		struct req *v = realloc(m->reqs, cap * sizeof *v);
		if (!v)
			return -ENOMEM;
		m->reqs = v;
		m->cap_reqs = cap;
	}
	r = &m->reqs[m->n_reqs];
	memset(r, 0, sizeof *r);
	r->id = strdup(f[0]);
	r->section = strdup(f[1]);
	r->check = strdup(f[2]);
	r->reason = strdup(f[3]);
	r->summary = strdup(f[4]);
	r->line = line;
	m->n_reqs++;
	if (!r->id || !r->section || !r->check || !r->reason || !r->summary)
		return -ENOMEM;
	return 0;
}

static int parse_catalogue_line(struct matrix *m, const char *path, char *buf, int line,
				bool *header_seen)
{
	static const char header[] = "id\tsection\tcheck\treason\tsummary";
	char raw[4096], *f[6];
	const char *err;
	size_t n;
	int field;
	if (buf[0] == '#' || buf[0] == '\0')
		return 0;
	if (!*header_seen) {
		if (strcmp(buf, header) != 0) {
			fprintf(stderr,
				"%s:%d:1: expected the header line 'id<TAB>section<TAB>"
				"check<TAB>reason<TAB>summary'\n",
				path, line);
			return -EINVAL;
		}
		*header_seen = true;
		return 0;
	}
	snprintf(raw, sizeof raw, "%s", buf);
	n = split_tabs(buf, f, 5);
	err = row_error(m, f, n, &field);
	if (err) {
		fprintf(stderr, "%s:%d:%d: %s\n", path, line, field_col(raw, field), err);
		return -EINVAL;
	}
	return add_req(m, f, line);
}

static int read_catalogue(struct matrix *m, const char *path)
{
	char buf[4096];
	bool header = false;
	int line = 0, rc = 0;
	FILE *fp = fopen(path, "r");
	if (!fp) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -EINVAL;
	}
	while (rc == 0 && fgets(buf, sizeof buf, fp)) {
		size_t len = strlen(buf);
		line++;
		if (len == sizeof buf - 1 && buf[len - 1] != '\n') {
			fprintf(stderr, "%s:%d:1: line too long\n", path, line);
			rc = -EINVAL;
			break;
		}
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		rc = parse_catalogue_line(m, path, buf, line, &header);
	}
	fclose(fp);
	if (rc == 0 && !header) {
		fprintf(stderr, "%s:1:1: empty catalogue (no header line)\n", path);
		rc = -EINVAL;
	}
	return rc;
}

/* ---- scripts ------------------------------------------------------------------ */

/* The scripts named on the command line (shared walker, cli.h), moved
 * into `paths`, which then owns them. */
static int collect_paths(struct strv *paths, char **args, int n)
{
	struct cli_paths found = {0};
	size_t i;
	int rc = cli_collect_scripts("requirements", n, args, &found) != 0 ? -EINVAL : 0;
	for (i = 0; rc == 0 && i < found.n; i++) {
		rc = strv_push(paths, found.v[i]);
		if (rc == 0)
			found.v[i] = NULL;
	}
	cli_paths_free(&found);
	return rc;
}

static int add_script(struct matrix *m, char *path)
{
	struct scr_script *s = NULL;
	struct scr_diag diag;
	struct script *sc;
	size_t i;
	int rc = cli_load_script(path, 0, NULL, 0, &s, &diag);
	if (rc != 0) {
		fprintf(stderr, "%s\n", diag.msg);
		free(path);
		return -EINVAL;
	}
	if (m->n_scripts == m->cap_scripts) {
		size_t cap = m->cap_scripts ? m->cap_scripts * 2 : 64;
		struct script *v = realloc(m->scripts, cap * sizeof *v);
		if (!v) {
			scr_script_free(s);
			free(path);
			return -ENOMEM;
		}
		m->scripts = v;
		m->cap_scripts = cap;
	}
	sc = &m->scripts[m->n_scripts++];
	memset(sc, 0, sizeof *sc);
	sc->path = path;
	for (i = 0; rc == 0 && i < s->meta.n_requirements; i++) {
		char *id;
		if (strv_has(&sc->ids, s->meta.requirements[i]))
			continue;
		id = strdup(s->meta.requirements[i]);
		rc = id ? strv_push(&sc->ids, id) : -ENOMEM;
		if (rc)
			free(id);
	}
	scr_script_free(s);
	return rc;
}

static int read_scripts(struct matrix *m, char **args, int n)
{
	struct strv paths = {0};
	size_t i;
	int rc = collect_paths(&paths, args, n);
	for (i = 0; i < paths.n; i++) {
		if (rc == 0) {
			rc = add_script(m, paths.v[i]);
		} else {
			free(paths.v[i]);
		}
	}
	strv_free(&paths, false);
	return rc;
}

/* Hang each script on the requirements it names. */
static int link_scripts(struct matrix *m)
{
	size_t i, j;
	for (i = 0; i < m->n_scripts; i++)
		for (j = 0; j < m->scripts[i].ids.n; j++) {
			struct req *r = find_req(m, m->scripts[i].ids.v[j]);
			if (r && strv_push(&r->scripts, m->scripts[i].path) != 0)
				return -ENOMEM;
		}
	return 0;
}

/* ---- results ------------------------------------------------------------------ */

/* True when one path is the other, or ends with it at a '/'. */
static bool same_script(const char *a, const char *b)
{
	size_t la, lb;
	while (a[0] == '.' && a[1] == '/')
		a += 2;
	while (b[0] == '.' && b[1] == '/')
		b += 2;
	la = strlen(a);
	lb = strlen(b);
	if (la == lb)
		return strcmp(a, b) == 0;
	if (la < lb)
		return b[lb - la - 1] == '/' && strcmp(b + lb - la, a) == 0;
	return a[la - lb - 1] == '/' && strcmp(a + la - lb, b) == 0;
}

static struct target *get_target(struct matrix *m, const char *name)
{
	struct target *v;
	size_t i;
	for (i = 0; i < m->n_targets; i++)
		if (strcmp(m->targets[i].name, name) == 0)
			return &m->targets[i];
	v = realloc(m->targets, (m->n_targets + 1) * sizeof *v);
	if (!v)
		return NULL;
	m->targets = v;
	v = &m->targets[m->n_targets];
	v->name = strdup(name);
	v->verdict = calloc(m->n_scripts ? m->n_scripts : 1, 1);
	if (!v->name || !v->verdict) {
		free(v->name);
		free(v->verdict);
		return NULL;
	}
	m->n_targets++;
	return v;
}

static void record_result(struct matrix *m, struct target *t, const char *path, const char *verdict)
{
	size_t i;
	bool pass = strcmp(verdict, "pass") == 0;
	for (i = 0; i < m->n_scripts; i++)
		if (same_script(m->scripts[i].path, path)) {
			if (!pass)
				t->verdict[i] = -1;
			else if (t->verdict[i] == 0)
				t->verdict[i] = 1;
		}
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	long len;
	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (len = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		buf = malloc((size_t)len + 1);
		if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
			free(buf);
			buf = NULL;
		} else if (buf) {
			buf[len] = '\0';
		}
	}
	fclose(fp);
	return buf;
}

static int read_result(struct matrix *m, const char *path)
{
	cJSON *root, *scripts, *s;
	const cJSON *tgt;
	struct target *t;
	char *text = slurp(path);
	if (!text) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno ? errno : EIO));
		return -EINVAL;
	}
	root = cJSON_Parse(text);
	free(text);
	tgt = root ? cJSON_GetObjectItemCaseSensitive(root, "target") : NULL;
	scripts = root ? cJSON_GetObjectItemCaseSensitive(root, "scripts") : NULL;
	if (!cJSON_IsString(tgt) || !cJSON_IsArray(scripts)) {
		fprintf(stderr,
			"%s: not a JSON report of `tcpcheck run` (no \"target\" and "
			"\"scripts\")\n",
			path);
		cJSON_Delete(root);
		return -EINVAL;
	}
	t = get_target(m, tgt->valuestring);
	if (!t) {
		cJSON_Delete(root);
		return -ENOMEM;
	}
	cJSON_ArrayForEach(s, scripts)
	{
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(s, "path");
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, "verdict");
		if (cJSON_IsString(p) && cJSON_IsString(v))
			record_result(m, t, p->valuestring, v->valuestring);
	}
	cJSON_Delete(root);
	return 0;
}

/* The index of script `path` in the matrix (paths are the same pointers). */
static size_t script_index(const struct matrix *m, const char *path)
{
	size_t i;
	for (i = 0; i < m->n_scripts; i++)
		if (m->scripts[i].path == path)
			return i;
	return 0;
}

/* ---- summaries ---------------------------------------------------------------- */

/* The kind of an id for the summary: MUST, SHLD, MAY, REC, §, RFCnnnn. */
static const char *kind_of(const char *id)
{
	static const char *const kinds[] = {"MUST-", "SHLD-", "MAY-", "REC-"};
	size_t i;
	for (i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (strncmp(id, kinds[i], strlen(kinds[i])) == 0)
			return kinds[i];
	if (strncmp(id, "\xc2\xa7", 2) == 0)
		return "\xc2\xa7";
	return "RFC";
}

struct tally {
	const char *kind;  /* as kind_of() returns it */
	const char *label; /* in the summary: MUST, SHLD, MAY, REC, section, other-rfc */
	size_t total, none, checkable, covered;
};

static void tally(const struct matrix *m, struct tally *t, size_t n_t)
{
	size_t i, k;
	for (i = 0; i < m->n_reqs; i++) {
		const struct req *r = &m->reqs[i];
		for (k = 0; k < n_t; k++)
			if (strcmp(t[k].kind, kind_of(r->id)) == 0)
				break;
		if (k == n_t)
			continue;
		t[k].total++;
		if (strcmp(r->check, "none") == 0) {
			t[k].none++;
		} else {
			t[k].checkable++;
			t[k].covered += r->scripts.n > 0;
		}
	}
}

static bool uncovered(const struct req *r)
{
	return strcmp(r->check, "none") != 0 && r->scripts.n == 0;
}

/* ---- text output -------------------------------------------------------------- */

/* Print `s` left-aligned in `width` columns, counting UTF-8 characters (§). */
static void put_col(FILE *f, const char *s, int width)
{
	int cols = 0;
	const char *p;
	for (p = s; *p; p++)
		cols += ((unsigned char)*p & 0xc0) != 0x80;
	fprintf(f, "%s%*s", s, width > cols ? width - cols : 1, "");
}

static void text_req(FILE *f, const struct matrix *m, const struct req *r)
{
	size_t i, k;
	put_col(f, r->id, 37);
	put_col(f, r->section, 15);
	fprintf(f, "%-5s %zu script%s\n", r->check, r->scripts.n, r->scripts.n == 1 ? "" : "s");
	if (strcmp(r->check, "none") == 0)
		fprintf(f, "    not checkable: %s\n", r->reason);
	for (i = 0; i < r->scripts.n; i++) {
		size_t si = script_index(m, r->scripts.v[i]);
		fprintf(f, "    %s", r->scripts.v[i]);
		for (k = 0; k < m->n_targets; k++)
			fprintf(f, "  %s:%s", m->targets[k].name,
				m->targets[k].verdict[si] > 0	? "pass"
				: m->targets[k].verdict[si] < 0 ? "not-passed"
								: "no-result");
		fputc('\n', f);
	}
}

static void text_unknown(FILE *f, const struct matrix *m, size_t *n_unknown)
{
	size_t i, j;
	for (i = 0; i < m->n_scripts; i++)
		for (j = 0; j < m->scripts[i].ids.n; j++)
			if (!find_req(m, m->scripts[i].ids.v[j])) {
				if ((*n_unknown)++ == 0)
					fprintf(f, "\nIds named by scripts but not in the "
						   "catalogue:\n");
				fprintf(f, "  ");
				put_col(f, m->scripts[i].ids.v[j], 37);
				fprintf(f, "%s\n", m->scripts[i].path);
			}
}

static void print_text(FILE *f, const struct matrix *m, struct tally *t, size_t n_t,
		       size_t *n_unknown)
{
	size_t i, k, n_unc = 0;
	fprintf(f, "Traceability: %zu requirements, %zu scripts", m->n_reqs, m->n_scripts);
	for (k = 0; k < m->n_targets; k++)
		fprintf(f, "%s%s", k ? ", " : "; results on ", m->targets[k].name);
	fprintf(f, "\n\n");
	for (i = 0; i < m->n_reqs; i++)
		text_req(f, m, &m->reqs[i]);
	for (i = 0; i < m->n_reqs; i++)
		if (uncovered(&m->reqs[i])) {
			if (n_unc++ == 0)
				fprintf(f, "\nCheckable requirements no script checks yet:\n");
			fprintf(f, "  ");
			put_col(f, m->reqs[i].id, 37);
			fprintf(f, "%-5s %s\n", m->reqs[i].check, m->reqs[i].summary);
		}
	text_unknown(f, m, n_unknown);
	fprintf(f, "\nSummary (covered / checkable, and not checkable):\n");
	for (k = 0; k < n_t; k++)
		fprintf(f, "  %-10s %3zu / %-3zu covered, %zu not checkable, %zu in all\n",
			t[k].label, t[k].covered, t[k].checkable, t[k].none, t[k].total);
	for (k = 0; k < m->n_targets; k++) {
		size_t passed = 0;
		for (i = 0; i < m->n_scripts; i++)
			passed += m->targets[k].verdict[i] > 0;
		fprintf(f, "  %s: %zu of %zu scripts passed\n", m->targets[k].name, passed,
			m->n_scripts);
	}
}

/* ---- JSON output -------------------------------------------------------------- */

static cJSON *json_strv(const struct strv *s)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;
	for (i = 0; a && i < s->n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(s->v[i]));
	return a;
}

static cJSON *json_req(const struct matrix *m, const struct req *r)
{
	cJSON *o = cJSON_CreateObject(), *passed;
	size_t i, k;
	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddStringToObject(o, "section", r->section);
	cJSON_AddStringToObject(o, "check", r->check);
	cJSON_AddStringToObject(o, "reason", r->reason);
	cJSON_AddStringToObject(o, "summary", r->summary);
	cJSON_AddItemToObject(o, "scripts", json_strv(&r->scripts));
	passed = cJSON_AddObjectToObject(o, "passed_on");
	for (k = 0; passed && k < m->n_targets; k++) {
		cJSON *a = cJSON_AddArrayToObject(passed, m->targets[k].name);
		for (i = 0; a && i < r->scripts.n; i++)
			if (m->targets[k].verdict[script_index(m, r->scripts.v[i])] > 0)
				cJSON_AddItemToArray(a, cJSON_CreateString(r->scripts.v[i]));
	}
	return o;
}

static cJSON *json_summary(const struct tally *t, size_t n_t)
{
	cJSON *o = cJSON_CreateObject();
	size_t k;
	for (k = 0; o && k < n_t; k++) {
		cJSON *e = cJSON_AddObjectToObject(o, t[k].label);
		cJSON_AddNumberToObject(e, "total", (double)t[k].total);
		cJSON_AddNumberToObject(e, "checkable", (double)t[k].checkable);
		cJSON_AddNumberToObject(e, "covered", (double)t[k].covered);
		cJSON_AddNumberToObject(e, "none", (double)t[k].none);
	}
	return o;
}

static int print_json(FILE *f, const struct matrix *m, const struct tally *t, size_t n_t,
		      size_t *n_unknown)
{
	cJSON *root = cJSON_CreateObject(), *reqs, *unc, *unk;
	char *text;
	size_t i, j;
	if (!root)
		return -ENOMEM;
	reqs = cJSON_AddArrayToObject(root, "requirements");
	for (i = 0; reqs && i < m->n_reqs; i++)
		cJSON_AddItemToArray(reqs, json_req(m, &m->reqs[i]));
	unc = cJSON_AddArrayToObject(root, "uncovered");
	for (i = 0; unc && i < m->n_reqs; i++)
		if (uncovered(&m->reqs[i]))
			cJSON_AddItemToArray(unc, cJSON_CreateString(m->reqs[i].id));
	unk = cJSON_AddArrayToObject(root, "unknown");
	for (i = 0; unk && i < m->n_scripts; i++)
		for (j = 0; j < m->scripts[i].ids.n; j++)
			if (!find_req(m, m->scripts[i].ids.v[j])) {
				cJSON *o = cJSON_CreateObject();
				cJSON_AddStringToObject(o, "id", m->scripts[i].ids.v[j]);
				cJSON_AddStringToObject(o, "script", m->scripts[i].path);
				cJSON_AddItemToArray(unk, o);
				(*n_unknown)++;
			}
	cJSON_AddItemToObject(root, "summary", json_summary(t, n_t));
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (!text)
		return -ENOMEM;
	fprintf(f, "%s\n", text);
	free(text);
	return 0;
}

/* ---- the command ---------------------------------------------------------------- */

static void req_usage(FILE *f)
{
	fprintf(f,
		"usage: tcpcheck requirements [options] [PATH...]\n"
		"\n"
		"Prints the traceability matrix: per requirement of the catalogue, the scripts\n"
		"under PATH (default specs/) whose `// @requirement` names it and the targets on\n"
		"which they passed in the given results; then the checkable requirements that\n"
		"no script checks, and the ids scripts name that the catalogue lacks.\n"
		"\n"
		"  -c, --catalogue FILE      the catalogue (default specs/requirements.tsv)\n"
		"  -r, --results FILE...     JSON reports of `tcpcheck run --format json`; every\n"
		"                            argument up to the next option is one (repeatable)\n"
		"  -f, --format FMT          text (default) or json\n"
		"  -o, --output FILE         write there instead of stdout\n"
		"      --strict              exit 1 if a script names an id not in the catalogue\n"
		"      --must-covered        exit 1 if a checkable MUST has no script\n"
		"  -h, --help                this text\n"
		"\n"
		"A script counts as passed on a target when all its results there (one per\n"
		"family) are `pass`. Exit codes: 0, 1 (--strict / --must-covered), 2 usage or\n"
		"input error.\n");
}

enum { OPT_STRICT = 256, OPT_MUST };

static const struct option req_long[] = {
	{"catalogue", required_argument, NULL, 'c'},
	{"catalog", required_argument, NULL, 'c'},
	{"results", required_argument, NULL, 'r'},
	{"format", required_argument, NULL, 'f'},
	{"output", required_argument, NULL, 'o'},
	{"strict", no_argument, NULL, OPT_STRICT},
	{"must-covered", no_argument, NULL, OPT_MUST},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* --results takes every following argument that is not an option. */
static int take_results(struct req_cfg *c, int argc, char **argv)
{
	const char **v = realloc(c->results, (c->n_results + (size_t)argc + 1) * sizeof *v);
	if (!v)
		return -ENOMEM;
	c->results = v;
	c->results[c->n_results++] = optarg;
	while (optind < argc && argv[optind][0] != '-')
		c->results[c->n_results++] = argv[optind++];
	return 0;
}

static int parse_args(struct req_cfg *c, int argc, char **argv)
{
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "c:r:f:o:h", req_long, NULL)) != -1) {
		switch (opt) {
		case 'c':
			c->catalogue = optarg;
			break;
		case 'r':
			if (take_results(c, argc, argv) != 0)
				return CLI_USAGE;
			break;
		case 'f':
			if (strcmp(optarg, "json") && strcmp(optarg, "text")) {
				fprintf(stderr,
					"tcpcheck requirements: unknown format '%s' "
					"(text or json)\n",
					optarg);
				return CLI_USAGE;
			}
			c->json = strcmp(optarg, "json") == 0;
			break;
		case 'o':
			c->output = optarg;
			break;
		case OPT_STRICT:
			c->strict = true;
			break;
		case OPT_MUST:
			c->must_covered = true;
			break;
		case 'h':
			req_usage(stdout);
			return -1;
		default:
			req_usage(stderr);
			return CLI_USAGE;
		}
	}
	return 0;
}

static int build(struct matrix *m, const struct req_cfg *c, int argc, char **argv)
{
	static char default_path[] = "specs";
	char *defaults[] = {default_path};
	size_t i;
	int rc = read_catalogue(m, c->catalogue);
	if (rc == 0)
		rc = optind < argc ? read_scripts(m, argv + optind, argc - optind)
				   : read_scripts(m, defaults, 1);
	if (rc == 0)
		rc = link_scripts(m);
	for (i = 0; rc == 0 && i < c->n_results; i++)
		rc = read_result(m, c->results[i]);
	return rc;
}

static int report(const struct matrix *m, const struct req_cfg *c)
{
	struct tally t[] = {
		{"MUST-", "MUST", 0, 0, 0, 0},	     {"SHLD-", "SHLD", 0, 0, 0, 0},
		{"MAY-", "MAY", 0, 0, 0, 0},	     {"REC-", "REC", 0, 0, 0, 0},
		{"\xc2\xa7", "section", 0, 0, 0, 0}, {"RFC", "other-rfc", 0, 0, 0, 0},
	};
	size_t n_t = sizeof t / sizeof *t, n_unknown = 0, k;
	FILE *f = c->output ? fopen(c->output, "w") : stdout;
	int rc = 0;
	if (!f) {
		fprintf(stderr, "%s: %s\n", c->output, strerror(errno));
		return CLI_USAGE;
	}
	tally(m, t, n_t);
	if (c->json)
		rc = print_json(f, m, t, n_t, &n_unknown);
	else
		print_text(f, m, t, n_t, &n_unknown);
	if (c->output && fclose(f) != 0)
		rc = -EIO;
	if (rc != 0)
		return CLI_USAGE;
	if (c->strict && n_unknown) {
		fprintf(stderr, "tcpcheck requirements: %zu id%s named by scripts not in %s\n",
			n_unknown, n_unknown == 1 ? "" : "s", c->catalogue);
		return CLI_FAILED;
	}
	if (c->must_covered && t[0].covered < t[0].checkable) {
		for (k = 0; k < m->n_reqs; k++)
			if (strcmp(kind_of(m->reqs[k].id), "MUST-") == 0 && uncovered(&m->reqs[k]))
				fprintf(stderr, "tcpcheck requirements: %s has no script\n",
					m->reqs[k].id);
		return CLI_FAILED;
	}
	return CLI_OK;
}

int cli_requirements(int argc, char **argv)
{
	struct req_cfg c;
	struct matrix m;
	int rc;
	memset(&c, 0, sizeof c);
	memset(&m, 0, sizeof m);
	c.catalogue = "specs/requirements.tsv";
	rc = parse_args(&c, argc, argv);
	if (rc != 0) {
		free(c.results);
		return rc < 0 ? CLI_OK : rc;
	}
	if (build(&m, &c, argc, argv) != 0)
		rc = CLI_USAGE;
	else
		rc = report(&m, &c);
	matrix_free(&m);
	free(c.results);
	return rc;
}
