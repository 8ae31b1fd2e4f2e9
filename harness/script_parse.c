/* The script parser: tokens to the AST of harness/script.h. Recursive
 * descent over one token of lookahead; recursion only through nested
 * expressions, bounded by SCR_MAX_DEPTH. The AST is built in place inside
 * the script, so that on any error scr_script_free() releases everything. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/script_int.h"
#include "reference/seg.h"

/* A parse function's result besides 0 and SCR_E*: the line holds an
 * unsupported construct (p->skip_what) and is to be skipped raw. */
#define SKIP_LINE 1

struct parser {
	struct scr__lexer lx;
	struct scr__tok cur;  /* lookahead */
	struct scr__tok prev; /* last token consumed */
	struct scr_script *s;
	struct scr_diag *diag;
	const struct scr_defines *defs;
	bool seen_event;
	int depth;
	size_t lead_from;      /* where the next event's lead starts */
	int profile_line;      /* line of @profile, 0 if none yet */
	const char *skip_what; /* construct of a SKIP_LINE */
	const char *skip_why;
	bool defines_ready; /* family fixed and defines copied: at the
			     * first word looked up, or at the end */
	bool oom;	    /* the lookup hook ran out of memory */
	size_t meta_off;    /* first metadata comment since the event
			     * began (SIZE_MAX: none) and its place */
	int meta_line, meta_col;
};

/* ---- small helpers ------------------------------------------------------------ */

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	size_t ncap;
	void *p;
	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 4;
	if (ncap > SIZE_MAX / elem)
		return SCR_ENOMEM;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return SCR_ENOMEM;
	*arr = p;
	*cap = ncap;
	return 0;
}

/* Append to an array whose capacity is implied by its count: max(4, the
 * next power of two). Returns the new, zeroed slot, or NULL. */
static void *push_elem(void **arr, size_t *n, size_t size)
{
	size_t k = *n;
	char *slot;
	if (k == 0 || (k >= 4 && (k & (k - 1)) == 0)) {
		size_t ncap = k == 0 ? 4 : k * 2;
		void *p;
		if (ncap > SIZE_MAX / size)
			return NULL;
		p = realloc(*arr, ncap * size);
		if (!p)
			return NULL;
		*arr = p;
	}
	slot = (char *)*arr + k * size;
	memset(slot, 0, size);
	(*n)++;
	return slot;
}

static int push_ptr(void ***arr, size_t *n, void *item)
{
	void **slot = push_elem((void **)arr, n, sizeof *slot);
	if (!slot)
		return SCR_ENOMEM;
	*slot = item;
	return 0;
}

/* Are two tokens written with nothing between them? */
static bool adjacent(const struct scr__tok *a, const struct scr__tok *b)
{
	if (!a->define && !b->define)
		return b->off == a->end;
	return a->define && b->define && b->text == a->text + a->n;
}

static bool tok_is(const struct scr__tok *t, const char *word)
{
	size_t n = strlen(word);
	return t->kind == TK_WORD && t->n == n && memcmp(t->text, word, n) == 0;
}

static int perr(struct parser *p, const struct scr__tok *t, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int perr(struct parser *p, const struct scr__tok *t, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	code = scr__vdiag(p->diag, p->lx.path, code, t->line, t->col, fmt, ap);
	va_end(ap);
	return code;
}

/* "expected WHAT, found 'X'" at the lookahead. */
static int expected(struct parser *p, const char *what)
{
	char d[64];
	scr__tok_desc(&p->cur, d, sizeof d);
	return perr(p, &p->cur, SCR_ESYNTAX, "expected %s, found %s", what, d);
}

static int advance(struct parser *p)
{
	p->prev = p->cur;
	return scr__lex_next(&p->lx, &p->cur);
}

/* Consume a token of kind `k` or fail with "expected WHAT". */
static int want(struct parser *p, enum scr__tk k, const char *what)
{
	if (p->cur.kind != k)
		return expected(p, what);
	return advance(p);
}

/* Is the lookahead on the line where the last token ended? */
static bool same_line(const struct parser *p)
{
	return p->cur.kind != TK_EOF && p->cur.line == p->prev.end_line;
}

/* An integer token into `*v`, checked against [0, max]; `what` names it. */
static int want_uint(struct parser *p, uint64_t max, const char *what, uint64_t *v)
{
	char d[64];
	if (p->cur.kind != TK_NUM || p->cur.is_float) {
		char w[96];
		snprintf(w, sizeof w, "%s (an integer)", what);
		return expected(p, w);
	}
	if (p->cur.ovf || p->cur.ival > max) {
		scr__tok_desc(&p->cur, d, sizeof d);
		return perr(p, &p->cur, SCR_ERANGE, "%s %s out of range (0..%llu)", what, d,
			    (unsigned long long)max);
	}
	*v = p->cur.ival;
	return advance(p);
}

/* A time in seconds ("1", "1.5", ".25") into microseconds. */
static int want_seconds(struct parser *p, const char *what, int64_t *us)
{
	const struct scr__tok *t = &p->cur;
	char d[64];
	int64_t sec = 0, frac = 0;
	size_t i = 0, nfrac = 0;
	if (t->kind != TK_NUM || t->is_hex)
		return expected(p, what);
	scr__tok_desc(t, d, sizeof d);
	for (; i < t->n && t->text[i] != '.'; i++) {
		sec = sec * 10 + (t->text[i] - '0');
		if (sec > SCR_MAX_TIME_S)
			return perr(p, t, SCR_ERANGE, "time %s out of range (at most %d s)", d,
				    SCR_MAX_TIME_S);
	}
	for (i++; i < t->n; i++, nfrac++) {
		if (nfrac < 6)
			frac = frac * 10 + (t->text[i] - '0');
		else if (t->text[i] != '0')
			return perr(p, t, SCR_ERANGE,
				    "time %s is finer than a microsecond (6 decimals at most)", d);
	}
	for (; nfrac < 6; nfrac++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return advance(p);
}

/* ---- defines ------------------------------------------------------------------- */

static bool valid_name(const char *s)
{
	size_t i;
	if (!s || !((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z') || s[0] == '_'))
		return false;
	for (i = 1; s[i]; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return false;
	return true;
}

static int check_defs(struct parser *p, const struct scr_define *d, size_t n)
{
	size_t i;
	if (n && !d)
		return scr__diag(p->diag, p->lx.path, SCR_EINVAL, 0, 0, "define list is NULL");
	for (i = 0; i < n; i++) {
		if (!valid_name(d[i].name))
			return scr__diag(p->diag, p->lx.path, SCR_EINVAL, 0, 0,
					 "invalid define name '%.40s'",
					 d[i].name ? d[i].name : "(null)");
		if (!d[i].value)
			return scr__diag(p->diag, p->lx.path, SCR_EINVAL, 0, 0,
					 "define '%.40s' has no value", d[i].name);
	}
	return 0;
}

/* The family whose predefined values apply: the caller's, else the
 * `--ip_version` header (all headers precede the first word of the first
 * event, where this is first asked), else the first `@family` seen so far,
 * else 4. scr_parse parses again when a later `@family` turns out to name
 * another family than the one used. */
static int decide_family(const struct parser *p)
{
	const char *v = scr_script_option(p->s, "ip_version");
	if (p->defs && (p->defs->family == 4 || p->defs->family == 6))
		return p->defs->family;
	if (v && strcmp(v, "ipv4") == 0)
		return 4;
	if (v && (strcmp(v, "ipv6") == 0 || strcmp(v, "ipv4-mapped-ipv6") == 0))
		return 6;
	return p->s->meta.families_first ? p->s->meta.families_first : 4;
}

/* Was the family fixed by the caller or the header, not by @family? */
static bool family_fixed(const struct parser *p)
{
	const char *v = scr_script_option(p->s, "ip_version");
	if (p->defs && (p->defs->family == 4 || p->defs->family == 6))
		return true;
	return v && (strcmp(v, "ipv4") == 0 || strcmp(v, "ipv6") == 0 ||
		     strcmp(v, "ipv4-mapped-ipv6") == 0);
}

static const char *find_define(const struct scr_script *s, const char *w, size_t n)
{
	size_t i;
	for (i = 0; i < s->n_defines; i++)
		if (strlen(s->defines[i].key) == n && memcmp(s->defines[i].key, w, n) == 0)
			return s->defines[i].value;
	return NULL;
}

static int add_defines(struct scr_script *s, const struct scr_define *d, size_t n, size_t *cap)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct scr_kv *kv;
		if (find_define(s, d[i].name, strlen(d[i].name)))
			continue;
		if (grow((void **)&s->defines, cap, s->n_defines, sizeof *s->defines))
			return SCR_ENOMEM;
		kv = &s->defines[s->n_defines];
		kv->key = scr__strndup(d[i].name, strlen(d[i].name));
		kv->value = scr__strndup(d[i].value, strlen(d[i].value));
		kv->line = 0;
		if (!kv->key || !kv->value) {
			free(kv->key);
			free(kv->value);
			return SCR_ENOMEM;
		}
		s->n_defines++;
	}
	return 0;
}

/* Fix the family and copy the defines in effect into the script. */
static int ready_defines(struct parser *p)
{
	const struct scr_defines *d = p->defs;
	size_t cap = 0;
	int rc;
	if (p->defines_ready)
		return 0;
	p->defines_ready = true;
	p->s->family = decide_family(p);
	if (!d)
		return 0;
	rc = add_defines(p->s, d->user, d->n_user, &cap);
	if (!rc && p->s->family == 4)
		rc = add_defines(p->s, d->ipv4, d->n_ipv4, &cap);
	if (!rc && p->s->family == 6)
		rc = add_defines(p->s, d->ipv6, d->n_ipv6, &cap);
	return rc;
}

static const char *lookup(void *ctx, const char *w, size_t n)
{
	struct parser *p = ctx;
	if (!p->defines_ready && ready_defines(p)) {
		p->oom = true; /* reported when the parse ends */
		return NULL;
	}
	return find_define(p->s, w, n);
}

/* ---- metadata comments ----------------------------------------------------------- */

struct words {
	const char *text;
	size_t n, pos;
	int line, col0; /* column of text[0] */
};

/* Next blank-separated word; false at the end. */
static bool next_word(struct words *w, const char **b, size_t *n, int *col)
{
	while (w->pos < w->n &&
	       (w->text[w->pos] == ' ' || w->text[w->pos] == '\t' || w->text[w->pos] == '\r'))
		w->pos++;
	if (w->pos >= w->n)
		return false;
	*b = w->text + w->pos;
	*col = w->col0 + (int)w->pos;
	while (w->pos < w->n && w->text[w->pos] != ' ' && w->text[w->pos] != '\t' &&
	       w->text[w->pos] != '\r')
		w->pos++;
	*n = (size_t)(w->text + w->pos - *b);
	return true;
}

static int meta_err(struct parser *p, int line, int col, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int meta_err(struct parser *p, int line, int col, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	code = scr__vdiag(p->diag, p->lx.path, code, line, col, fmt, ap);
	va_end(ap);
	return code;
}

/* Append every word left to a string list; at least one is needed. */
static int meta_list(struct parser *p, struct words *w, char ***list, size_t *n, const char *tag,
		     int tag_col)
{
	const char *b;
	size_t len;
	int col;
	size_t before = *n;
	while (next_word(w, &b, &len, &col)) {
		char *s = scr__strndup(b, len);
		if (!s || push_ptr((void ***)list, n, s)) {
			free(s);
			return SCR_ENOMEM;
		}
	}
	if (*n == before)
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX, "@%s needs at least one value",
				tag);
	return 0;
}

static int meta_xfail(struct parser *p, struct words *w, int tag_col)
{
	struct scr_meta *m = &p->s->meta;
	const char *b;
	size_t len, e;
	int col;
	struct scr_xfail *x;
	if (!next_word(w, &b, &len, &col))
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX,
				"@xfail needs a target and a reason");
	if (!(x = push_elem((void **)&m->xfails, &m->n_xfails, sizeof *x)))
		return SCR_ENOMEM;
	x->line = w->line;
	x->target = scr__strndup(b, len);
	while (w->pos < w->n && (w->text[w->pos] == ' ' || w->text[w->pos] == '\t'))
		w->pos++;
	e = w->n;
	while (e > w->pos &&
	       (w->text[e - 1] == ' ' || w->text[e - 1] == '\t' || w->text[e - 1] == '\r'))
		e--;
	x->reason = scr__strndup(w->text + w->pos, e - w->pos);
	if (!x->target || !x->reason)
		return SCR_ENOMEM;
	if (e == w->pos)
		return meta_err(p, w->line, col, SCR_ESYNTAX, "@xfail %s needs a reason",
				x->target);
	return 0;
}

/* `@finding TARGET ID`: exactly two words. */
static int meta_finding(struct parser *p, struct words *w, int tag_col)
{
	struct scr_meta *m = &p->s->meta;
	const char *b, *b2, *b3;
	size_t len, len2, len3;
	int col, col2, col3;
	struct scr_finding *f;
	if (!next_word(w, &b, &len, &col) || !next_word(w, &b2, &len2, &col2))
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX,
				"@finding needs a target and a finding id");
	if (next_word(w, &b3, &len3, &col3))
		return meta_err(p, w->line, col3, SCR_ESYNTAX,
				"@finding takes a target and one id, found '%.*s' after them",
				(int)(len3 > 40 ? 40 : len3), b3);
	if (!(f = push_elem((void **)&m->findings, &m->n_findings, sizeof *f)))
		return SCR_ENOMEM;
	f->line = w->line;
	f->target = scr__strndup(b, len);
	f->id = scr__strndup(b2, len2);
	return f->target && f->id ? 0 : SCR_ENOMEM;
}

static int meta_profile(struct parser *p, struct words *w, int tag_col)
{
	const char *b, *b2;
	size_t len, len2;
	int col, col2;
	if (!next_word(w, &b, &len, &col))
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX, "@profile needs a name");
	if (next_word(w, &b2, &len2, &col2))
		return meta_err(p, w->line, col2, SCR_ESYNTAX,
				"@profile takes one name, found also '%.*s'",
				(int)(len2 > 40 ? 40 : len2), b2);
	if (p->s->meta.profile)
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX,
				"@profile given twice (first on line %d)", p->profile_line);
	p->profile_line = w->line;
	p->s->meta.profile = scr__strndup(b, len);
	return p->s->meta.profile ? 0 : SCR_ENOMEM;
}

static int meta_config(struct parser *p, struct words *w, int tag_col)
{
	struct scr_meta *m = &p->s->meta;
	const char *b;
	size_t len, i;
	int col;
	bool any = false;
	while (next_word(w, &b, &len, &col)) {
		const char *eq = memchr(b, '=', len);
		struct scr_kv *kv;
		any = true;
		if (!eq || eq == b || eq == b + len - 1)
			return meta_err(p, w->line, col, SCR_ESYNTAX,
					"@config item '%.*s' is not KEY=VALUE",
					(int)(len > 40 ? 40 : len), b);
		for (i = 0; i < m->n_config; i++)
			if (strlen(m->config[i].key) == (size_t)(eq - b) &&
			    memcmp(m->config[i].key, b, (size_t)(eq - b)) == 0)
				return meta_err(p, w->line, col, SCR_ESYNTAX,
						"@config key '%s' given twice (first on line %d)",
						m->config[i].key, m->config[i].line);
		if (m->n_config >= SCR_MAX_CONFIG)
			return meta_err(p, w->line, col, SCR_ELIMIT, "more than %d @config keys",
					SCR_MAX_CONFIG);
		if (!(kv = push_elem((void **)&m->config, &m->n_config, sizeof *kv)))
			return SCR_ENOMEM;
		kv->line = w->line;
		kv->key = scr__strndup(b, (size_t)(eq - b));
		kv->value = scr__strndup(eq + 1, len - (size_t)(eq - b) - 1);
		if (!kv->key || !kv->value)
			return SCR_ENOMEM;
	}
	if (!any)
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX, "@config needs KEY=VALUE items");
	return 0;
}

static int meta_family(struct parser *p, struct words *w, int tag_col)
{
	struct scr_meta *m = &p->s->meta;
	const char *b;
	size_t len;
	int col;
	bool any = false;
	while (next_word(w, &b, &len, &col)) {
		size_t i = 0;
		while (i < len) {
			size_t j = i;
			while (j < len && b[j] != '|')
				j++;
			if (j - i == 4 && memcmp(b + i, "ipv4", 4) == 0) {
				m->families |= SCR_FAM_IPV4;
				if (!m->families_first)
					m->families_first = 4;
			} else if (j - i == 4 && memcmp(b + i, "ipv6", 4) == 0) {
				m->families |= SCR_FAM_IPV6;
				if (!m->families_first)
					m->families_first = 6;
			} else {
				return meta_err(p, w->line, col + (int)i, SCR_ESYNTAX,
						"unknown family '%.*s' (ipv4 or ipv6)",
						(int)(j - i > 40 ? 40 : j - i), b + i);
			}
			any = true;
			i = j + 1;
		}
	}
	if (!any)
		return meta_err(p, w->line, tag_col, SCR_ESYNTAX, "@family needs ipv4 and/or ipv6");
	return 0;
}

/* The lexer's comment hook: `// @tag ...` lines are metadata. */
static int on_comment(void *ctx, const char *text, size_t n, size_t off, int line, int col)
{
	struct parser *p = ctx;
	struct words w = {text, n, 0, line, col + 2};
	size_t t;
	int tag_col;
	while (w.pos < n && (text[w.pos] == ' ' || text[w.pos] == '\t'))
		w.pos++;
	if (w.pos + 1 >= n || text[w.pos] != '@' ||
	    !((text[w.pos + 1] >= 'a' && text[w.pos + 1] <= 'z') ||
	      (text[w.pos + 1] >= 'A' && text[w.pos + 1] <= 'Z')))
		return 0;
	tag_col = w.col0 + (int)w.pos;
	if (p->meta_off == SIZE_MAX) {
		p->meta_off = off;
		p->meta_line = line;
		p->meta_col = tag_col;
	}
	t = ++w.pos;
	while (w.pos < n && text[w.pos] != ' ' && text[w.pos] != '\t' && text[w.pos] != '\r')
		w.pos++;
#define TAG(s) (w.pos - t == strlen(s) && memcmp(text + t, s, strlen(s)) == 0)
	if (TAG("requirement"))
		return meta_list(p, &w, &p->s->meta.requirements, &p->s->meta.n_requirements,
				 "requirement", tag_col);
	if (TAG("targets"))
		return meta_list(p, &w, &p->s->meta.targets, &p->s->meta.n_targets, "targets",
				 tag_col);
	if (TAG("xfail"))
		return meta_xfail(p, &w, tag_col);
	if (TAG("finding"))
		return meta_finding(p, &w, tag_col);
	if (TAG("profile"))
		return meta_profile(p, &w, tag_col);
	if (TAG("config"))
		return meta_config(p, &w, tag_col);
	if (TAG("family"))
		return meta_family(p, &w, tag_col);
#undef TAG
	return meta_err(p, line, tag_col, SCR_ESYNTAX,
			"unknown metadata tag '@%.*s' (requirement, targets, xfail, finding, "
			"profile, config, family)",
			(int)(w.pos - t > 40 ? 40 : w.pos - t), text + t);
}

/* ---- times --------------------------------------------------------------------------- */

static int parse_time(struct parser *p, struct scr_time *tm)
{
	bool rel = false, rel2 = false;
	struct scr__tok second;
	int rc;
	if (p->cur.kind == TK_STAR) {
		tm->kind = SCR_TIME_ANY;
		return advance(p);
	}
	if (p->cur.kind == TK_PLUS) {
		rel = true;
		if ((rc = advance(p)))
			return rc;
	}
	if ((rc = want_seconds(p, rel ? "a time after '+'" : "a time at the start of an event",
			       &tm->start_us)))
		return rc;
	tm->kind = rel ? SCR_TIME_REL : SCR_TIME_ABS;
	if (p->cur.kind != TK_TILDE)
		return 0;
	if ((rc = advance(p)))
		return rc;
	second = p->cur;
	if (p->cur.kind == TK_PLUS) {
		rel2 = true;
		if ((rc = advance(p)))
			return rc;
	}
	if ((rc = want_seconds(p, "the end of the time window after '~'", &tm->end_us)))
		return rc;
	if (rel != rel2)
		return perr(p, &second, SCR_ESYNTAX,
			    "a time window is relative ('+a~+b') or absolute ('a~b') on both ends");
	if (tm->end_us < tm->start_us)
		return perr(p, &second, SCR_ERANGE, "time window ends before it starts");
	tm->kind = rel ? SCR_TIME_REL_WINDOW : SCR_TIME_WINDOW;
	return 0;
}

/* ---- packets ---------------------------------------------------------------------------- */

static int ip_item(struct parser *p, struct scr_ip *ip)
{
	static const struct {
		const char *name;
		enum scr_ecn ecn;
	} marks[] = {{"noecn", SCR_ECN_NOT},
		     {"ect0", SCR_ECN_ECT0},
		     {"ect1", SCR_ECN_ECT1},
		     {"ect01", SCR_ECN_ECT01},
		     {"ce", SCR_ECN_CE}};
	struct scr__tok t = p->cur;
	uint64_t v;
	size_t i;
	int rc;
	for (i = 0; i < sizeof marks / sizeof marks[0]; i++) {
		if (!tok_is(&t, marks[i].name))
			continue;
		if (ip->ecn != SCR_ECN_UNSET)
			return perr(p, &t, SCR_ESYNTAX, "ECN mark given twice");
		ip->ecn = marks[i].ecn;
		return advance(p);
	}
	if (tok_is(&t, "tos") || tok_is(&t, "ttl") || tok_is(&t, "flowlabel")) {
		bool *has = tok_is(&t, "tos")	? &ip->has_tos
			    : tok_is(&t, "ttl") ? &ip->has_ttl
						: &ip->has_flowlabel;
		uint64_t max = tok_is(&t, "flowlabel") ? 0xfffff : 255;
		char what[16];
		snprintf(what, sizeof what, "%.*s", (int)t.n, t.text);
		if (*has)
			return perr(p, &t, SCR_ESYNTAX, "'%s' given twice", what);
		if ((rc = advance(p)) || (rc = want_uint(p, max, what, &v)))
			return rc;
		*has = true;
		if (tok_is(&t, "tos"))
			ip->tos = (uint8_t)v;
		else if (tok_is(&t, "ttl"))
			ip->ttl = (uint8_t)v;
		else
			ip->flowlabel = (uint32_t)v;
		return 0;
	}
	return expected(p, "an IP field (ect0, ect1, ect01, ce, noecn, tos, ttl, flowlabel)");
}

static bool ip_item_start(const struct scr__tok *t)
{
	return tok_is(t, "tos") || tok_is(t, "ttl") || tok_is(t, "flowlabel");
}

/* IP prefixes: `[a, b]`, `(a, b)` groups and bare tos/ttl/flowlabel. */
static int parse_ip(struct parser *p, struct scr_ip *ip)
{
	int rc;
	for (;;) {
		enum scr__tk close;
		if (ip_item_start(&p->cur)) {
			if ((rc = ip_item(p, ip)))
				return rc;
			continue;
		}
		if (p->cur.kind != TK_LBRACK && p->cur.kind != TK_LPAREN)
			return 0;
		close = p->cur.kind == TK_LBRACK ? TK_RBRACK : TK_RPAREN;
		if ((rc = advance(p)))
			return rc;
		for (;;) {
			if ((rc = ip_item(p, ip)))
				return rc;
			if (p->cur.kind == close)
				break;
			if (p->cur.kind != TK_COMMA)
				return expected(p, close == TK_RBRACK ? "',' or ']' in IP fields"
								      : "',' or ')' in IP fields");
			if ((rc = advance(p)))
				return rc;
		}
		if ((rc = advance(p)))
			return rc;
	}
}

/* The letters of one flag word into `*flags`. */
static int flag_letters(struct parser *p, const struct scr__tok *t, uint8_t *flags)
{
	static const char letters[] = "FSRPUEW";
	static const uint8_t bits[] = {SEG_FIN, SEG_SYN, SEG_RST, SEG_PSH,
				       SEG_URG, SEG_ECE, SEG_CWR};
	size_t i;
	for (i = 0; i < t->n; i++) {
		const char *c = memchr(letters, t->text[i], sizeof letters - 1);
		uint8_t bit;
		if (!c)
			return perr(p, t, SCR_ESYNTAX,
				    "unknown TCP flag '%c' in '%.*s' (flags are FSRPUEW and '.')",
				    t->text[i], (int)(t->n > 40 ? 40 : t->n), t->text);
		bit = bits[c - letters];
		if (*flags & bit)
			return perr(p, t, SCR_ESYNTAX, "TCP flag '%c' given twice in '%.*s'",
				    t->text[i], (int)(t->n > 40 ? 40 : t->n), t->text);
		*flags |= bit;
	}
	return 0;
}

/* FLAGS: letters from FSRPUEW with '.' (ACK) anywhere among them, written
 * together ("S.", "P.", "P.U" as the printer writes it, "FP."); '.' alone;
 * '-' for none. The lexer splits "P.U" into word, dot, word: adjacent
 * tokens are one flag set. */
static int parse_flags(struct parser *p, uint8_t *flags)
{
	struct scr__tok t = p->cur, prev;
	int rc;
	*flags = 0;
	if (t.kind == TK_MINUS)
		return advance(p);
	if (t.kind != TK_WORD && t.kind != TK_DOT)
		return expected(p, "TCP flags (from FSRPUEW and '.') or 'icmp' or 'none'");
	for (;;) {
		t = p->cur;
		if (t.kind == TK_DOT) {
			if (*flags & SEG_ACK)
				return perr(p, &t, SCR_ESYNTAX,
					    "'.' (ACK) given twice in the flags");
			*flags |= SEG_ACK;
		} else if ((rc = flag_letters(p, &t, flags))) {
			return rc;
		}
		prev = t;
		if ((rc = advance(p)))
			return rc;
		if (!adjacent(&prev, &p->cur) || (p->cur.kind != TK_DOT && p->cur.kind != TK_WORD))
			return 0;
	}
}

/* START:END(LEN) */
static int parse_seq(struct parser *p, uint32_t *start, uint32_t *end, uint16_t *len)
{
	struct scr__tok first = p->cur;
	uint64_t a, b, n;
	int rc;
	if (p->cur.kind != TK_NUM)
		return expected(p, "a sequence range START:END(LEN)");
	if ((rc = want_uint(p, UINT32_MAX, "sequence start", &a)) ||
	    (rc = want(p, TK_COLON, "':' after sequence start")) ||
	    (rc = want_uint(p, UINT32_MAX, "sequence end", &b)) ||
	    (rc = want(p, TK_LPAREN, "'(' after sequence end")) ||
	    (rc = want_uint(p, UINT16_MAX, "payload length", &n)) ||
	    (rc = want(p, TK_RPAREN, "')' after payload length")))
		return rc;
	if ((uint32_t)(a + n) != (uint32_t)b)
		return perr(p, &first, SCR_ESYNTAX,
			    "inconsistent sequence range %llu:%llu(%llu): END must be START + LEN",
			    (unsigned long long)a, (unsigned long long)b, (unsigned long long)n);
	*start = (uint32_t)a;
	*end = (uint32_t)b;
	*len = (uint16_t)n;
	return 0;
}

static size_t opt_bytes(const struct scr_opt *o)
{
	switch (o->kind) {
	case SEG_OPT_MSS:
		return 4;
	case SEG_OPT_WSCALE:
		return 3;
	case SEG_OPT_SACK_PERM:
		return 2;
	case SEG_OPT_SACK:
		return 2 + 8 * (size_t)o->n_sack;
	case SEG_OPT_TS:
		return 10;
	default:
		return 1;
	}
}

static int parse_sack(struct parser *p, struct scr_opt *o)
{
	int rc;
	while (p->cur.kind == TK_NUM) {
		uint64_t l, r;
		if (o->n_sack == SCR_MAX_SACK)
			return perr(p, &p->cur, SCR_ERANGE, "more than %d SACK blocks",
				    SCR_MAX_SACK);
		if ((rc = want_uint(p, UINT32_MAX, "SACK block left edge", &l)) ||
		    (rc = want(p, TK_COLON, "':' in SACK block L:R")) ||
		    (rc = want_uint(p, UINT32_MAX, "SACK block right edge", &r)))
			return rc;
		o->sack[o->n_sack].left = (uint32_t)l;
		o->sack[o->n_sack].right = (uint32_t)r;
		o->n_sack++;
	}
	if (o->n_sack == 0)
		return expected(p, "a SACK block L:R after 'sack'");
	return 0;
}

static bool unsupported_opt(const struct scr__tok *t, struct parser *p)
{
	static const char *const mptcp[] = {"mp_capable",  "mp_join",	     "dss",
					    "add_address", "remove_address", "mp_prio",
					    "mp_fail",	   "mp_fastclose",   "mp_tcprst"};
	size_t i;
	if (tok_is(t, "FO") || tok_is(t, "FOEXP")) {
		p->skip_what = "TCP Fast Open";
		p->skip_why = "TCP Fast Open is not supported";
		return true;
	}
	if (tok_is(t, "md5")) {
		p->skip_what = "TCP MD5 option";
		p->skip_why = "the TCP MD5 signature option is not supported";
		return true;
	}
	for (i = 0; i < sizeof mptcp / sizeof mptcp[0]; i++) {
		if (tok_is(t, mptcp[i])) {
			p->skip_what = "MPTCP option";
			p->skip_why = "MPTCP is not supported";
			return true;
		}
	}
	if (tok_is(t, "exp") || tok_is(t, "tarr") || tok_is(t, "ao")) {
		p->skip_what = "experimental TCP option";
		p->skip_why = "this TCP option is not supported";
		return true;
	}
	return false;
}

static int parse_opt(struct parser *p, struct scr_opt *o)
{
	struct scr__tok t = p->cur;
	uint64_t v, e;
	int rc;
	memset(o, 0, sizeof *o);
	if (t.kind != TK_WORD)
		return expected(p, "a TCP option (nop, eol, mss, wscale, sackOK, sack, TS)");
	if (unsupported_opt(&t, p))
		return SKIP_LINE;
	if ((rc = advance(p)))
		return rc;
	if (tok_is(&t, "nop")) {
		o->kind = SEG_OPT_NOP;
	} else if (tok_is(&t, "eol")) {
		o->kind = SEG_OPT_EOL;
	} else if (tok_is(&t, "sackOK")) {
		o->kind = SEG_OPT_SACK_PERM;
	} else if (tok_is(&t, "mss")) {
		o->kind = SEG_OPT_MSS;
		if ((rc = want_uint(p, UINT16_MAX, "mss", &v)))
			return rc;
		o->val = (uint32_t)v;
	} else if (tok_is(&t, "wscale")) {
		o->kind = SEG_OPT_WSCALE;
		if ((rc = want_uint(p, UINT8_MAX, "wscale", &v)))
			return rc;
		o->val = (uint32_t)v;
	} else if (tok_is(&t, "sack")) {
		o->kind = SEG_OPT_SACK;
		return parse_sack(p, o);
	} else if (tok_is(&t, "TS")) {
		o->kind = SEG_OPT_TS;
		if (!tok_is(&p->cur, "val"))
			return expected(p, "'val' after 'TS'");
		if ((rc = advance(p)) || (rc = want_uint(p, UINT32_MAX, "TS val", &v)))
			return rc;
		if (!tok_is(&p->cur, "ecr"))
			return expected(p, "'ecr' after 'TS val N'");
		if ((rc = advance(p)) || (rc = want_uint(p, UINT32_MAX, "TS ecr", &e)))
			return rc;
		o->val = (uint32_t)v;
		o->ecr = (uint32_t)e;
	} else {
		return perr(p, &t, SCR_ESYNTAX,
			    "unknown TCP option '%.*s' (nop, eol, mss, wscale, sackOK, sack, TS)",
			    (int)(t.n > 40 ? 40 : t.n), t.text);
	}
	return 0;
}

static int parse_opts(struct parser *p, struct scr_packet *pk)
{
	struct scr__tok open = p->cur;
	size_t cap = 0, bytes = 0;
	int rc;
	if ((rc = advance(p)))
		return rc;
	if (p->cur.kind == TK_ELLIPSIS) {
		pk->any_opts = true;
		if ((rc = advance(p)))
			return rc;
		return want(p, TK_GT, "'>' after '<...'");
	}
	for (;;) {
		if (grow((void **)&pk->opts, &cap, pk->n_opts, sizeof *pk->opts))
			return SCR_ENOMEM;
		if ((rc = parse_opt(p, &pk->opts[pk->n_opts])))
			return rc;
		bytes += opt_bytes(&pk->opts[pk->n_opts]);
		pk->n_opts++;
		if (bytes > SEG_TCP_OPT_MAX)
			return perr(p, &open, SCR_ERANGE,
				    "TCP options take more than the %d bytes that fit a header",
				    SEG_TCP_OPT_MAX);
		if (p->cur.kind == TK_GT)
			return advance(p);
		if (p->cur.kind != TK_COMMA)
			return expected(p, "',' or '>' in TCP options");
		if ((rc = advance(p)))
			return rc;
	}
}

static int parse_tcp_fields(struct parser *p, struct scr_packet *pk)
{
	int rc;
	uint64_t v;
	if ((rc = parse_flags(p, &pk->flags)) ||
	    (rc = parse_seq(p, &pk->seq_start, &pk->seq_end, &pk->len)))
		return rc;
	for (;;) {
		struct scr__tok t = p->cur;
		if (tok_is(&t, "ack") || tok_is(&t, "win") || tok_is(&t, "urg")) {
			bool *has = tok_is(&t, "ack")	? &pk->has_ack
				    : tok_is(&t, "win") ? &pk->has_win
							: &pk->has_urg;
			uint64_t max = tok_is(&t, "ack") ? UINT32_MAX : UINT16_MAX;
			char what[8];
			snprintf(what, sizeof what, "%.*s", (int)t.n, t.text);
			if (*has)
				return perr(p, &t, SCR_ESYNTAX, "'%s' given twice", what);
			if ((rc = advance(p)) || (rc = want_uint(p, max, what, &v)))
				return rc;
			*has = true;
			if (tok_is(&t, "ack"))
				pk->ack = (uint32_t)v;
			else if (tok_is(&t, "win"))
				pk->win = (uint16_t)v;
			else
				pk->urg = (uint16_t)v;
			continue;
		}
		if (tok_is(&t, "bad_csum")) {
			if (pk->dir != SCR_IN)
				return perr(p, &t, SCR_ESYNTAX,
					    "'bad_csum' is only valid on inbound ('<') lines");
			if (pk->bad_csum)
				return perr(p, &t, SCR_ESYNTAX, "'bad_csum' given twice");
			pk->bad_csum = true;
			if ((rc = advance(p)))
				return rc;
			continue;
		}
		if (t.kind == TK_LT) {
			if ((rc = parse_opts(p, pk)))
				return rc;
			/* `bad_csum` may also follow the options. */
			if (pk->dir == SCR_IN && !pk->bad_csum && tok_is(&p->cur, "bad_csum") &&
			    same_line(p)) {
				pk->bad_csum = true;
				return advance(p);
			}
			return 0;
		}
		if (same_line(p))
			return expected(
				p, "'ack', 'win', 'urg', 'bad_csum', '<' or the end of the line");
		return 0;
	}
}

static int parse_icmp(struct parser *p, struct scr_icmp *ic)
{
	int rc;
	uint64_t v;
	if ((rc = advance(p)))
		return rc;
	if ((p->cur.kind != TK_WORD && (p->cur.kind != TK_NUM || p->cur.is_float)) ||
	    tok_is(&p->cur, "mtu"))
		return expected(p, "an ICMP type after 'icmp'");
	if (!(ic->type = scr__strndup(p->cur.text, p->cur.n)))
		return SCR_ENOMEM;
	if ((rc = advance(p)))
		return rc;
	if (same_line(p) && !tok_is(&p->cur, "mtu") &&
	    (p->cur.kind == TK_WORD || (p->cur.kind == TK_NUM && !p->cur.is_float))) {
		if (!(ic->code = scr__strndup(p->cur.text, p->cur.n)))
			return SCR_ENOMEM;
		if ((rc = advance(p)))
			return rc;
	}
	if (tok_is(&p->cur, "mtu")) {
		if ((rc = advance(p)) || (rc = want_uint(p, UINT32_MAX, "mtu", &v)))
			return rc;
		ic->has_mtu = true;
		ic->mtu = (uint32_t)v;
	}
	if (p->cur.kind != TK_LBRACK)
		return 0;
	if ((rc = advance(p)))
		return rc;
	if (tok_is(&p->cur, "udp")) {
		p->skip_what = "ICMP quoting a UDP packet";
		p->skip_why = "only TCP is supported";
		return SKIP_LINE;
	}
	if ((rc = parse_seq(p, &ic->seq_start, &ic->seq_end, &ic->len)))
		return rc;
	ic->has_quote = true;
	return want(p, TK_RBRACK, "']' after the quoted segment");
}

static bool other_protocol(struct parser *p)
{
	static const struct {
		const char *word, *what;
	} protos[] = {{"udp", "UDP packet"},   {"udplite", "UDP-Lite packet"},
		      {"gre", "GRE packet"},   {"mpls", "MPLS packet"},
		      {"sctp", "SCTP packet"}, {"ip", "raw IP packet"}};
	size_t i;
	for (i = 0; i < sizeof protos / sizeof protos[0]; i++) {
		if (tok_is(&p->cur, protos[i].word)) {
			p->skip_what = protos[i].what;
			p->skip_why = "only TCP and ICMP packets are supported";
			return true;
		}
	}
	return false;
}

static int parse_packet(struct parser *p, struct scr_event *ev)
{
	enum scr_dir dir = p->cur.kind == TK_LT ? SCR_IN : SCR_OUT;
	struct scr_ip ip;
	struct scr__tok none;
	int rc;
	memset(&ip, 0, sizeof ip);
	if ((rc = advance(p)) || (rc = parse_ip(p, &ip)))
		return rc;
	if (other_protocol(p))
		return SKIP_LINE;
	if (tok_is(&p->cur, "icmp")) {
		ev->kind = SCR_EV_ICMP;
		ev->u.icmp.dir = dir;
		ev->u.icmp.ip = ip;
		return parse_icmp(p, &ev->u.icmp);
	}
	if (tok_is(&p->cur, "none")) {
		none = p->cur;
		if (dir != SCR_OUT)
			return perr(p, &none, SCR_ESYNTAX,
				    "'none' is only valid on outbound ('>') lines");
		ev->kind = SCR_EV_NONE;
		ev->u.none.for_us = SCR_NONE_DEFAULT_US;
		if ((rc = advance(p)))
			return rc;
		if (!tok_is(&p->cur, "for"))
			return 0;
		ev->u.none.has_for = true;
		if ((rc = advance(p)))
			return rc;
		return want_seconds(p, "a span in seconds after 'for'", &ev->u.none.for_us);
	}
	ev->kind = SCR_EV_PACKET;
	ev->u.packet.dir = dir;
	ev->u.packet.ip = ip;
	return parse_tcp_fields(p, &ev->u.packet);
}

/* ---- expressions ------------------------------------------------------------------------- */

static struct scr_expr *new_expr(enum scr_expr_kind kind)
{
	struct scr_expr *e = calloc(1, sizeof *e);
	if (e)
		e->kind = kind;
	return e;
}

static int add_item(struct scr_expr *e, struct scr_expr *item)
{
	if (push_ptr((void ***)&e->items, &e->n, item)) {
		scr__expr_free(item);
		return SCR_ENOMEM;
	}
	return 0;
}

static int parse_expr(struct parser *p, bool allow_call, struct scr_expr **out);

/* Items up to `close`, separated by commas; `fields` allows KEY=VALUE. */
static int parse_list(struct parser *p, struct scr_expr *e, enum scr__tk close, bool fields,
		      const char *what)
{
	int rc;
	if (p->cur.kind == close)
		return advance(p);
	for (;;) {
		struct scr_expr *item = NULL;
		if ((rc = parse_expr(p, true, &item)))
			return rc;
		if (fields && p->cur.kind == TK_EQ) {
			struct scr_expr *f = new_expr(SCR_EXPR_FIELD), *val = NULL;
			if (!f) {
				scr__expr_free(item);
				return SCR_ENOMEM;
			}
			if ((rc = add_item(f, item)) || (rc = advance(p)) ||
			    (rc = parse_expr(p, true, &val)) || (rc = add_item(f, val))) {
				scr__expr_free(f);
				return rc;
			}
			item = f;
		}
		if ((rc = add_item(e, item)))
			return rc;
		if (p->cur.kind == close)
			return advance(p);
		if (p->cur.kind != TK_COMMA)
			return expected(p, what);
		if ((rc = advance(p)))
			return rc;
	}
}

static int parse_int(struct parser *p, bool neg, struct scr_expr **out)
{
	struct scr__tok t = p->cur;
	char d[64];
	uint64_t lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (t.kind != TK_NUM || t.is_float)
		return expected(p, neg ? "an integer after '-'" : "an integer");
	if (t.ovf || t.ival > lim) {
		scr__tok_desc(&t, d, sizeof d);
		return perr(p, &t, SCR_ERANGE, "integer %s%s out of range", neg ? "-" : "", d);
	}
	if (!(*out = new_expr(SCR_EXPR_INT)))
		return SCR_ENOMEM;
	(*out)->hex = t.is_hex;
	if (neg)
		(*out)->num = t.ival == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)t.ival;
	else
		(*out)->num = (int64_t)t.ival;
	return advance(p);
}

static int parse_nested(struct parser *p, enum scr_expr_kind kind, struct scr_expr *e)
{
	enum scr__tk close = kind == SCR_EXPR_ARRAY    ? TK_RBRACK
			     : kind == SCR_EXPR_STRUCT ? TK_RBRACE
						       : TK_RPAREN;
	const char *what = kind == SCR_EXPR_ARRAY    ? "',' or ']' in array"
			   : kind == SCR_EXPR_STRUCT ? "',' or '}' in struct"
						     : "',' or ')' in call";
	int rc;
	if (p->depth >= SCR_MAX_DEPTH)
		return perr(p, &p->cur, SCR_ELIMIT, "expression nested more than %d deep",
			    SCR_MAX_DEPTH);
	p->depth++;
	rc = advance(p);
	if (!rc)
		rc = parse_list(p, e, close, kind == SCR_EXPR_STRUCT, what);
	p->depth--;
	return rc;
}

static int parse_primary(struct parser *p, bool allow_call, struct scr_expr **out)
{
	struct scr__tok t = p->cur;
	enum scr_expr_kind kind;
	int rc;
	switch (t.kind) {
	case TK_MINUS:
		if ((rc = advance(p)))
			return rc;
		return parse_int(p, true, out);
	case TK_NUM:
		return parse_int(p, false, out);
	case TK_ELLIPSIS:
		if (!(*out = new_expr(SCR_EXPR_ELLIPSIS)))
			return SCR_ENOMEM;
		return advance(p);
	case TK_STRING:
	case TK_WORD:
		if (!(*out = new_expr(t.kind == TK_WORD ? SCR_EXPR_WORD : SCR_EXPR_STRING)) ||
		    !((*out)->str = scr__strndup(t.text, t.n)))
			return SCR_ENOMEM;
		if ((rc = advance(p)))
			return rc;
		if (t.kind == TK_WORD && allow_call && p->cur.kind == TK_LPAREN) {
			(*out)->kind = SCR_EXPR_CALL;
			return parse_nested(p, SCR_EXPR_CALL, *out);
		}
		return 0;
	case TK_LBRACK:
	case TK_LBRACE:
		kind = t.kind == TK_LBRACK ? SCR_EXPR_ARRAY : SCR_EXPR_STRUCT;
		if (!(*out = new_expr(kind)))
			return SCR_ENOMEM;
		return parse_nested(p, kind, *out);
	default:
		return expected(p, "an expression");
	}
}

/* primary ('|' primary)*, built flat. On error *out may hold a partial
 * tree, which the caller frees. */
static int parse_expr(struct parser *p, bool allow_call, struct scr_expr **out)
{
	struct scr_expr *first = NULL, * or = NULL, *next;
	int rc = parse_primary(p, allow_call, &first);
	if (rc || p->cur.kind != TK_PIPE) {
		if (rc) {
			scr__expr_free(first);
			first = NULL;
		}
		*out = first;
		return rc;
	}
	if (!(or = new_expr(SCR_EXPR_OR))) {
		scr__expr_free(first);
		return SCR_ENOMEM;
	}
	if ((rc = add_item(or, first)))
		goto fail;
	while (p->cur.kind == TK_PIPE) {
		next = NULL;
		if ((rc = advance(p)))
			goto fail;
		rc = parse_primary(p, allow_call, &next);
		if (rc) {
			scr__expr_free(next);
			goto fail;
		}
		if ((rc = add_item(or, next)))
			goto fail;
	}
	*out = or ;
	return 0;
fail:
	scr__expr_free(or);
	*out = NULL;
	return rc;
}

/* ---- syscalls ------------------------------------------------------------------------------ */

static const char *const sys_names[SCR_SYS_COUNT] = {
	"socket", "bind",     "listen", "accept",     "connect",    "write", "send",  "read",
	"recv",	  "shutdown", "close",	"setsockopt", "getsockopt", "fcntl", "ioctl", "poll"};

const char *scr_sys_name(enum scr_sys sys)
{
	return (unsigned)sys < SCR_SYS_COUNT ? sys_names[sys] : "?";
}

/* A word in the arguments that makes the call unsupported, or NULL. */
static const char *unsupported_word(const struct scr_expr *e, const char **why)
{
	size_t i;
	if (!e)
		return NULL;
	if (e->kind == SCR_EXPR_WORD && e->str) {
		if (strcmp(e->str, "TCP_INFO") == 0 || strcmp(e->str, "TCP_CC_INFO") == 0) {
			*why = "TCP_INFO is not supported";
			return "TCP_INFO";
		}
		if (strncmp(e->str, "TCP_FASTOPEN", 12) == 0 ||
		    strcmp(e->str, "MSG_FASTOPEN") == 0) {
			*why = "TCP Fast Open is not supported";
			return "TCP Fast Open";
		}
	}
	for (i = 0; i < e->n; i++) {
		const char *w = unsupported_word(e->items[i], why);
		if (w)
			return w;
	}
	return NULL;
}

static int parse_ret(struct parser *p, struct scr_ret *r)
{
	int rc;
	if ((rc = parse_expr(p, false, &r->expr)))
		return rc;
	if (r->expr->kind == SCR_EXPR_INT) {
		r->kind = SCR_RET_INT;
		r->value = r->expr->num;
	} else {
		r->kind = r->expr->kind == SCR_EXPR_ELLIPSIS ? SCR_RET_ANY : SCR_RET_EXPR;
	}
	if (p->cur.kind == TK_WORD && same_line(p)) {
		if (!(r->err = scr__strndup(p->cur.text, p->cur.n)))
			return SCR_ENOMEM;
		if ((rc = advance(p)))
			return rc;
	}
	if (p->cur.kind == TK_LPAREN && same_line(p)) {
		const char *text;
		size_t n;
		struct scr__tok close;
		if ((rc = scr__lex_raw_paren(&p->lx, &p->cur, &text, &n, &close)))
			return rc;
		if (!(r->note = scr__strndup(text, n)))
			return SCR_ENOMEM;
		p->cur = close;
		return advance(p);
	}
	return 0;
}

static int set_skip(struct scr_event *ev, const char *what, const char *why);

static int parse_syscall(struct parser *p, struct scr_event *ev)
{
	struct scr_syscall *sc = &ev->u.sys;
	struct scr__tok name = p->cur;
	const char *what, *why = NULL;
	char nm[48], buf[96];
	size_t i;
	int rc;
	ev->kind = SCR_EV_SYSCALL;
	sc->sys = SCR_SYS_COUNT;
	if (!(sc->name = scr__strndup(name.text, name.n)))
		return SCR_ENOMEM;
	if ((rc = advance(p)))
		return rc;
	snprintf(nm, sizeof nm, "%.40s", sc->name);
	if (p->cur.kind != TK_LPAREN) {
		snprintf(buf, sizeof buf, "'(' after syscall name '%s'", nm);
		return expected(p, buf);
	}
	{
		struct scr_expr holder;
		memset(&holder, 0, sizeof holder);
		snprintf(buf, sizeof buf, "',' or ')' in the arguments of '%s'", nm);
		rc = advance(p);
		if (!rc)
			rc = parse_list(p, &holder, TK_RPAREN, false, buf);
		sc->args = holder.items;
		sc->n_args = holder.n;
		if (rc)
			return rc;
	}
	snprintf(buf, sizeof buf, "'=' and the return value after '%s(...)'", nm);
	if ((rc = want(p, TK_EQ, buf)) || (rc = parse_ret(p, &sc->ret)))
		return rc;
	for (i = 0; i < SCR_SYS_COUNT; i++)
		if (strcmp(sc->name, sys_names[i]) == 0)
			sc->sys = (enum scr_sys)i;
	what = NULL;
	for (i = 0; i < sc->n_args && !what; i++)
		what = unsupported_word(sc->args[i], &why);
	if (what)
		return set_skip(ev, what, why);
	if (sc->sys != SCR_SYS_COUNT)
		return 0;
	if (strncmp(nm, "epoll_", 6) == 0) {
		snprintf(buf, sizeof buf, "epoll (%s)", nm);
		return set_skip(ev, buf, "epoll is not supported");
	}
	snprintf(buf, sizeof buf, "syscall '%s'", nm);
	return set_skip(ev, buf,
			"tcpcheck maps socket, bind, listen, accept, connect, write, "
			"send, read, recv, shutdown, close, setsockopt, getsockopt, "
			"fcntl, ioctl and poll to socket verbs");
}

/* ---- events ---------------------------------------------------------------------------------- */

static int set_skip(struct scr_event *ev, const char *what, const char *why)
{
	struct scr_time tm = ev->time;
	int line = ev->line, col = ev->col;
	char *lead = ev->lead;
	ev->lead = NULL;
	scr_event_clear(ev);
	ev->time = tm;
	ev->line = line;
	ev->col = col;
	ev->lead = lead;
	ev->kind = SCR_EV_SKIP;
	ev->u.skip.construct = scr__strndup(what, strlen(what));
	ev->u.skip.reason = scr__strndup(why, strlen(why));
	return ev->u.skip.construct && ev->u.skip.reason ? 0 : SCR_ENOMEM;
}

static size_t count_asserts(const char *s, size_t n)
{
	size_t i, count = 0;
	for (i = 0; i + 6 <= n; i++) {
		bool start = i == 0 || s[i - 1] == ' ' || s[i - 1] == '\t' || s[i - 1] == '\n' ||
			     s[i - 1] == '\r' || s[i - 1] == ';' || s[i - 1] == '{';
		char after = i + 6 < n ? s[i + 6] : ' ';
		if (start && memcmp(s + i, "assert", 6) == 0 &&
		    (after == ' ' || after == '\t' || after == '(' || after == '\n' ||
		     after == '\r'))
			count++;
	}
	return count;
}

static int parse_action(struct parser *p, struct scr_event *ev)
{
	int rc;
	switch (p->cur.kind) {
	case TK_LT:
	case TK_GT:
		return parse_packet(p, ev);
	case TK_CODE:
		ev->kind = SCR_EV_PYTHON;
		if (!(ev->u.python.code = scr__strndup(p->cur.text, p->cur.n)))
			return SCR_ENOMEM;
		ev->u.python.asserts = count_asserts(p->cur.text, p->cur.n);
		return advance(p);
	case TK_COMMAND:
		if ((rc = set_skip(ev, "shell command", "shell commands are not run by tcpcheck")))
			return rc;
		return advance(p);
	case TK_WORD:
		if (tok_is(&p->cur, "state")) {
			if ((rc = advance(p)))
				return rc;
			ev->kind = SCR_EV_STATE;
			if (p->cur.kind != TK_WORD)
				return expected(p, "a TCP state name after 'state'");
			for (ev->u.state.state = 0; ev->u.state.state < SCR_ST_COUNT;
			     ev->u.state.state++)
				if (tok_is(&p->cur, scr_state_name(ev->u.state.state)))
					break;
			if (tok_is(&p->cur, "SYN_RCVD") || tok_is(&p->cur, "SYN_RECV"))
				ev->u.state.state = SCR_ST_SYN_RECEIVED;
			if (ev->u.state.state == SCR_ST_COUNT)
				return perr(p, &p->cur, SCR_ESYNTAX,
					    "unknown TCP state '%.*s' (CLOSED, LISTEN, SYN_SENT, "
					    "SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, "
					    "CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT)",
					    (int)(p->cur.n > 40 ? 40 : p->cur.n), p->cur.text);
			return advance(p);
		}
		return parse_syscall(p, ev);
	default:
		return expected(p, "a packet ('<' or '>'), a syscall, 'state', a python block "
				   "or a shell command");
	}
}

/* `...END` of a blocking syscall, with the lookahead on `...`. */
static int parse_block_end(struct parser *p, struct scr_event *ev, int64_t *end, bool *plus)
{
	struct scr__tok dots = p->cur;
	int rc;
	if (ev->time.kind != SCR_TIME_ABS && ev->time.kind != SCR_TIME_REL)
		return perr(p, &dots, SCR_ESYNTAX,
			    "a blocking call ('...') needs a plain start time ('a' or '+a')");
	if ((rc = advance(p)))
		return rc;
	if (p->cur.kind == TK_PLUS) {
		*plus = true;
		if ((rc = advance(p)))
			return rc;
	}
	if ((rc = want_seconds(p, "the end time of a blocking call after '...'", end)))
		return rc;
	if (*end < ev->time.start_us)
		return perr(p, &dots, SCR_ERANGE, "blocking call returns before it starts");
	if (p->cur.kind != TK_WORD || tok_is(&p->cur, "state"))
		return expected(p, "a syscall after a blocking time 'a...b'");
	return 0;
}

static int push_event(struct scr_script *s, struct scr_event **ev)
{
	if (grow((void **)&s->events, &s->events_cap, s->n_events, sizeof *s->events))
		return SCR_ENOMEM;
	*ev = &s->events[s->n_events++];
	memset(*ev, 0, sizeof **ev);
	(*ev)->kind = SCR_EV_STATE; /* owns nothing until the action is known */
	return 0;
}

static int parse_event(struct parser *p)
{
	struct scr__tok first = p->cur;
	struct scr_event *ev;
	int64_t end = 0;
	bool blocking = false, plus = false;
	int rc;
	if ((rc = push_event(p->s, &ev)))
		return rc;
	ev->line = first.line;
	ev->col = first.col;
	if (first.off < p->lead_from)
		first.off = p->lead_from; /* cannot happen: events do not share a define */
	if (!(ev->lead = scr__strndup(p->lx.src + p->lead_from, first.off - p->lead_from)))
		return SCR_ENOMEM;
	p->seen_event = true;
	p->meta_off = SIZE_MAX;
	if (p->cur.kind != TK_CODE && p->cur.kind != TK_COMMAND && (rc = parse_time(p, &ev->time)))
		return rc;
	if (p->cur.kind == TK_ELLIPSIS) {
		blocking = true;
		if ((rc = parse_block_end(p, ev, &end, &plus)))
			return rc;
	}
	rc = parse_action(p, ev);
	if (rc == SKIP_LINE) {
		size_t e = scr__lex_skip_line(&p->lx);
		p->prev.end = e;
		p->prev.end_line = p->lx.line;
		if ((rc = set_skip(ev, p->skip_what, p->skip_why)) ||
		    (rc = scr__lex_next(&p->lx, &p->cur)))
			return rc;
	} else if (rc) {
		return rc;
	}
	if (ev->kind == SCR_EV_SYSCALL) {
		ev->u.sys.blocking = blocking;
		ev->u.sys.end_us = end;
		ev->u.sys.end_plus = plus;
	}
	if (ev->kind == SCR_EV_SKIP)
		p->s->n_skips++;
	if (ev->kind == SCR_EV_PYTHON) {
		p->s->n_python++;
		p->s->n_python_asserts += ev->u.python.asserts;
	}
	if (!(ev->text = scr__strndup(p->lx.src + first.off, p->prev.end - first.off)))
		return SCR_ENOMEM;
	if (p->meta_off < p->prev.end)
		return scr__diag(p->diag, p->lx.path, SCR_ESYNTAX, p->meta_line, p->meta_col,
				 "a metadata comment cannot stand inside an event");
	p->lead_from = p->prev.end;
	if (same_line(p)) {
		char d[64];
		scr__tok_desc(&p->cur, d, sizeof d);
		return perr(p, &p->cur, SCR_ESYNTAX, "unexpected %s after the event", d);
	}
	return 0;
}

static int add_option(struct parser *p)
{
	struct scr_script *s = p->s;
	struct scr_kv *kv;
	char d[64];
	if (p->seen_event) {
		scr__tok_desc(&p->cur, d, sizeof d);
		return perr(p, &p->cur, SCR_ESYNTAX,
			    "header option %s must come before the first event", d);
	}
	if (!(kv = push_elem((void **)&s->options, &s->n_options, sizeof *kv)))
		return SCR_ENOMEM;
	kv->line = p->cur.line;
	kv->key = scr__strndup(p->cur.text, p->cur.n);
	kv->value = scr__strndup(p->cur.val, p->cur.val_n);
	if (!kv->key || !kv->value)
		return SCR_ENOMEM;
	return advance(p);
}

static int parse_all(struct parser *p)
{
	int rc = scr__lex_next(&p->lx, &p->cur);
	while (!rc && p->cur.kind != TK_EOF) {
		if (p->cur.kind == TK_OPTION)
			rc = add_option(p);
		else
			rc = parse_event(p);
	}
	if (rc)
		return rc;
	if (p->lead_from < p->lx.len &&
	    !(p->s->trailer = scr__strndup(p->lx.src + p->lead_from, p->lx.len - p->lead_from)))
		return SCR_ENOMEM;
	return 0;
}

static int check_nul(struct parser *p, const char *text, size_t len)
{
	const char *z = memchr(text, '\0', len);
	size_t i, ls = 0;
	int line = 1;
	if (!z)
		return 0;
	for (i = 0; i < (size_t)(z - text); i++)
		if (text[i] == '\n') {
			line++;
			ls = i + 1;
		}
	return scr__diag(p->diag, p->lx.path, SCR_ESYNTAX, line, (int)((size_t)(z - text) - ls) + 1,
			 "NUL byte in the script");
}

/* One parse into `*ps` (complete, or partial on error; the caller frees
 * it). `*refamily` gets the family to parse again with, when defines were
 * expanded for another family than the script's first `@family` names. */
static int parse_once(const char *path, const char *text, size_t len,
		      const struct scr_defines *defs, struct scr_script **ps, struct scr_diag *diag,
		      int *refamily)
{
	struct parser p;
	int rc;
	memset(&p, 0, sizeof p);
	p.diag = diag;
	scr__lex_init(&p.lx, path, text, len, diag);
	p.lx.comment = on_comment;
	p.lx.lookup = lookup;
	p.lx.ctx = &p;
	p.defs = defs;
	p.meta_off = SIZE_MAX;
	*refamily = 0;
	if (!(p.s = calloc(1, sizeof *p.s)) || !(p.s->path = scr__strndup(path, strlen(path)))) {
		*ps = p.s;
		return SCR_ENOMEM;
	}
	rc = parse_all(&p);
	if (p.oom)
		rc = SCR_ENOMEM; /* whatever followed from a define not expanded */
	if (rc != SCR_ENOMEM && p.defines_ready && !family_fixed(&p) && p.s->meta.families_first &&
	    p.s->meta.families_first != p.s->family)
		*refamily = p.s->meta.families_first;
	else if (!rc)
		rc = ready_defines(&p); /* a script that looked no word up */
	*ps = p.s;
	return rc;
}

int scr_parse(const char *path, const char *text, size_t len, const struct scr_defines *defs,
	      struct scr_script **out, struct scr_diag *diag)
{
	struct parser p;
	struct scr_diag local;
	struct scr_script *s = NULL;
	int rc, refamily = 0;
	memset(&p, 0, sizeof p);
	memset(&local, 0, sizeof local);
	if (!path)
		path = "<script>";
	p.diag = &local;
	p.lx.path = path;
	if (!out || (!text && len)) {
		rc = scr__diag(&local, path, SCR_EINVAL, 0, 0, "invalid arguments");
		goto done;
	}
	if (!text)
		text = "";
	if (defs && ((rc = check_defs(&p, defs->user, defs->n_user)) ||
		     (rc = check_defs(&p, defs->ipv4, defs->n_ipv4)) ||
		     (rc = check_defs(&p, defs->ipv6, defs->n_ipv6))))
		goto done;
	if ((rc = check_nul(&p, text, len)))
		goto done;
	rc = parse_once(path, text, len, defs, &s, &local, &refamily);
	if (refamily) {
		struct scr_defines forced;
		memset(&forced, 0, sizeof forced);
		if (defs)
			forced = *defs;
		forced.family = refamily;
		scr_script_free(s);
		memset(&local, 0, sizeof local);
		rc = parse_once(path, text, len, &forced, &s, &local, &refamily);
	}
done:
	if (rc == SCR_ENOMEM && local.code != SCR_ENOMEM)
		scr__diag(&local, path, SCR_ENOMEM, 0, 0, "out of memory");
	if (rc) {
		scr_script_free(s);
		if (diag)
			*diag = local;
		return rc;
	}
	*out = s;
	return 0;
}
