/* The script lexer: bytes to tokens, comments handed to a hook, words that
 * name a define replaced by the tokens of its value (see harness/script.h
 * for the language). Hand-written, one pass, no backtracking: the work is
 * linear in the input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/script_int.h"

void scr__lex_init(struct scr__lexer *lx, const char *path, const char *src, size_t len,
		   struct scr_diag *diag)
{
	memset(lx, 0, sizeof *lx);
	lx->path = path;
	lx->src = src;
	lx->len = len;
	lx->line = 1;
	lx->diag = diag;
}

char *scr__strndup(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

int scr__vdiag(struct scr_diag *d, const char *path, int code, int line, int col, const char *fmt,
	       va_list ap)
{
	char msg[256];
	if (!d)
		return code;
	vsnprintf(msg, sizeof msg, fmt, ap);
	d->code = code;
	d->line = line;
	d->col = col;
	if (line > 0)
		snprintf(d->msg, sizeof d->msg, "%s:%d:%d: %s", path, line, col, msg);
	else
		snprintf(d->msg, sizeof d->msg, "%s: %s", path, msg);
	return code;
}

int scr__diag(struct scr_diag *d, const char *path, int code, int line, int col, const char *fmt,
	      ...)
{
	va_list ap;
	va_start(ap, fmt);
	code = scr__vdiag(d, path, code, line, col, fmt, ap);
	va_end(ap);
	return code;
}

/* Quote up to 40 bytes of `p` for a message, escaping what is not printable. */
static void quote_text(const char *p, size_t n, char *buf, size_t cap)
{
	size_t o = 0, i, lim = n > 40 ? 40 : n;
	if (cap < 8) {
		if (cap)
			buf[0] = '\0';
		return;
	}
	buf[o++] = '\'';
	for (i = 0; i < lim && o + 8 < cap; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else if (c == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
		} else {
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
		}
	}
	if (i < n && o + 5 < cap) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

void scr__tok_desc(const struct scr__tok *t, char *buf, size_t cap)
{
	switch (t->kind) {
	case TK_EOF:
		snprintf(buf, cap, "end of file");
		return;
	case TK_CODE:
		snprintf(buf, cap, "'%%{'");
		return;
	case TK_COMMAND:
		snprintf(buf, cap, "'`'");
		return;
	case TK_STRING:
		quote_text(t->text - 1, t->n + 2, buf, cap);
		return;
	case TK_OPTION:
		quote_text(t->text - 2, t->n + 2, buf, cap);
		return;
	default:
		quote_text(t->text, t->n, buf, cap);
		return;
	}
}

/* ---- cursor over the main source or a define's value ---------------------- */

struct cur {
	const char *s;
	size_t len;
	size_t *pos;
	bool main;
};

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Move the main position to `to`, counting the newlines passed. */
static void advance_main(struct scr__lexer *lx, size_t to)
{
	const char *p = lx->src + lx->pos, *end = lx->src + to, *nl;
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		lx->line++;
		lx->line_start = (size_t)(nl - lx->src) + 1;
		p = nl + 1;
	}
	lx->pos = to;
}

static void cur_to(struct scr__lexer *lx, struct cur *c, size_t to)
{
	if (c->main)
		advance_main(lx, to);
	else
		*c->pos = to;
}

/* An error at main-source offset `at` (or at the define reference). */
static int lex_err(struct scr__lexer *lx, const struct cur *c, size_t at, int code, const char *fmt,
		   ...) __attribute__((format(printf, 5, 6)));

static int lex_err(struct scr__lexer *lx, const struct cur *c, size_t at, int code, const char *fmt,
		   ...)
{
	char msg[200];
	int line, col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->main) {
		/* `at` is on the current line or a later one: count from here. */
		size_t ls = lx->line_start, i;
		line = lx->line;
		for (i = lx->line_start; i < at && i < lx->len; i++) {
			if (lx->src[i] == '\n') {
				line++;
				ls = i + 1;
			}
		}
		col = (int)(at - ls) + 1;
		return scr__diag(lx->diag, lx->path, code, line, col, "%s", msg);
	}
	return scr__diag(lx->diag, lx->path, code, lx->xref.line, lx->xref.col,
			 "in the value of define '%.*s': %s", (int)lx->xref.n, lx->xref.text, msg);
}

/* Skip blanks and comments; `//` comments of the main source go to the
 * hook. */
static int skip_blank(struct scr__lexer *lx, struct cur *c)
{
	size_t p = *c->pos;
	for (;;) {
		while (p < c->len && is_space(c->s[p]))
			p++;
		if (p + 1 < c->len && c->s[p] == '/' && c->s[p + 1] == '/') {
			const char *nl = memchr(c->s + p, '\n', c->len - p);
			size_t e = nl ? (size_t)(nl - c->s) : c->len;
			cur_to(lx, c, p);
			if (c->main && lx->comment) {
				int col = (int)(p - lx->line_start) + 1;
				int rc = lx->comment(lx->ctx, c->s + p + 2, e - p - 2, p, lx->line,
						     col);
				if (rc)
					return rc;
			}
			p = e;
			continue;
		}
		if (p + 1 < c->len && c->s[p] == '/' && c->s[p + 1] == '*') {
			size_t q = p + 2;
			bool done = false;
			for (; q + 1 < c->len; q++) {
				if (c->s[q] == '*' && c->s[q + 1] == '/') {
					done = true;
					break;
				}
			}
			cur_to(lx, c, p);
			if (!done)
				return lex_err(lx, c, p, SCR_ESYNTAX, "unterminated comment '/*'");
			p = q + 2;
			continue;
		}
		break;
	}
	cur_to(lx, c, p);
	return 0;
}

/* A number: greedy over [0-9A-Za-z_.], stopping before "..", then checked. */
static int scan_number(struct scr__lexer *lx, struct cur *c, struct scr__tok *t)
{
	size_t b = *c->pos, e = b, i;
	const char *s = c->s;
	char q[64];
	while (e < c->len && (is_alpha(s[e]) || is_digit(s[e]) || s[e] == '.')) {
		if (s[e] == '.' && e + 1 < c->len && s[e + 1] == '.')
			break;
		e++;
	}
	t->kind = TK_NUM;
	t->text = s + b;
	t->n = e - b;
	if (t->n > 2 && s[b] == '0' && (s[b + 1] == 'x' || s[b + 1] == 'X')) {
		t->is_hex = true;
		for (i = b + 2; i < e; i++) {
			unsigned v;
			if (!is_hex(s[i]))
				goto bad;
			v = is_digit(s[i]) ? (unsigned)(s[i] - '0')
					   : (unsigned)((s[i] | 0x20) - 'a' + 10);
			if (t->ival > (UINT64_MAX >> 4))
				t->ovf = true;
			t->ival = (t->ival << 4) | v;
		}
	} else {
		size_t digits = 0, frac = 0;
		bool dot = false;
		for (i = b; i < e; i++) {
			if (s[i] == '.') {
				if (dot)
					goto bad;
				dot = true;
			} else if (!is_digit(s[i])) {
				goto bad;
			} else if (dot) {
				frac++;
			} else {
				unsigned d = (unsigned)(s[i] - '0');
				digits++;
				if (t->ival > (UINT64_MAX - d) / 10)
					t->ovf = true;
				t->ival = t->ival * 10 + d;
			}
		}
		if (dot && frac == 0)
			goto bad;
		t->is_float = dot;
		(void)digits;
	}
	cur_to(lx, c, e);
	return 0;
bad:
	quote_text(s + b, e - b, q, sizeof q);
	return lex_err(lx, c, b, SCR_ESYNTAX, "malformed number %s", q);
}

/* Text up to the closing `close` (a string of 1 or 2 chars); `what` names
 * the construct for the error. Strings stop at newlines and skip escapes. */
static int scan_delimited(struct scr__lexer *lx, struct cur *c, size_t open_len, const char *close,
			  bool is_string, const char *what, struct scr__tok *t)
{
	size_t b = *c->pos, p = b + open_len, cl = strlen(close);
	for (; p + cl <= c->len; p++) {
		if (is_string && c->s[p] == '\\' && p + 1 < c->len && c->s[p + 1] != '\n') {
			p++;
			continue;
		}
		if (is_string && c->s[p] == '\n')
			break;
		if (memcmp(c->s + p, close, cl) == 0) {
			t->text = c->s + b + open_len;
			t->n = p - b - open_len;
			cur_to(lx, c, p + cl);
			return 0;
		}
	}
	return lex_err(lx, c, b, SCR_ESYNTAX, "unterminated %s", what);
}

static int scan_option(struct scr__lexer *lx, struct cur *c, struct scr__tok *t)
{
	size_t b = *c->pos, p = b + 2;
	while (p < c->len && (is_alpha(c->s[p]) || is_digit(c->s[p]) || c->s[p] == '-'))
		p++;
	t->kind = TK_OPTION;
	t->text = c->s + b + 2;
	t->n = p - b - 2;
	t->val = "";
	t->val_n = 0;
	if (p < c->len && c->s[p] == '=') {
		size_t v = ++p;
		while (p < c->len && !is_space(c->s[p]))
			p++;
		t->val = c->s + v;
		t->val_n = p - v;
	}
	cur_to(lx, c, p);
	return 0;
}

static enum scr__tk punct(char ch)
{
	switch (ch) {
	case '+':
		return TK_PLUS;
	case '-':
		return TK_MINUS;
	case '*':
		return TK_STAR;
	case '~':
		return TK_TILDE;
	case '.':
		return TK_DOT;
	case ':':
		return TK_COLON;
	case ',':
		return TK_COMMA;
	case '=':
		return TK_EQ;
	case '|':
		return TK_PIPE;
	case '<':
		return TK_LT;
	case '>':
		return TK_GT;
	case '(':
		return TK_LPAREN;
	case ')':
		return TK_RPAREN;
	case '[':
		return TK_LBRACK;
	case ']':
		return TK_RBRACK;
	case '{':
		return TK_LBRACE;
	case '}':
		return TK_RBRACE;
	default:
		return TK_EOF;
	}
}

/* One token from cursor `c`; at its end, TK_EOF. */
static int scan(struct scr__lexer *lx, struct cur *c, struct scr__tok *t)
{
	int rc = skip_blank(lx, c);
	size_t p;
	const char *s = c->s;
	char ch, n1;
	if (rc)
		return rc;
	p = *c->pos;
	memset(t, 0, sizeof *t);
	if (c->main) {
		t->off = p;
		t->line = lx->line;
		t->col = (int)(p - lx->line_start) + 1;
	}
	if (p >= c->len) {
		t->kind = TK_EOF;
		t->text = s + p;
		goto done;
	}
	ch = s[p];
	n1 = p + 1 < c->len ? s[p + 1] : '\0';
	if (is_digit(ch) || (ch == '.' && is_digit(n1))) {
		rc = scan_number(lx, c, t);
	} else if (ch == '.' && n1 == '.' && p + 2 < c->len && s[p + 2] == '.') {
		t->kind = TK_ELLIPSIS;
		t->text = s + p;
		t->n = 3;
		cur_to(lx, c, p + 3);
	} else if (is_alpha(ch)) {
		size_t e = p + 1;
		while (e < c->len && (is_alpha(s[e]) || is_digit(s[e])))
			e++;
		t->kind = TK_WORD;
		t->text = s + p;
		t->n = e - p;
		cur_to(lx, c, e);
	} else if (ch == '"') {
		t->kind = TK_STRING;
		rc = scan_delimited(lx, c, 1, "\"", true, "string", t);
	} else if (ch == '-' && n1 == '-' && p + 2 < c->len && is_alpha(s[p + 2])) {
		rc = scan_option(lx, c, t);
	} else if (ch == '%' && n1 == '{') {
		t->kind = TK_CODE;
		rc = scan_delimited(lx, c, 2, "}%", false, "python block '%{'", t);
	} else if (ch == '`') {
		t->kind = TK_COMMAND;
		rc = scan_delimited(lx, c, 1, "`", false, "shell command '`'", t);
	} else if (punct(ch) != TK_EOF) {
		t->kind = punct(ch);
		t->text = s + p;
		t->n = 1;
		cur_to(lx, c, p + 1);
	} else {
		unsigned char u = (unsigned char)ch;
		if (u >= 0x20 && u < 0x7f)
			return lex_err(lx, c, p, SCR_ESYNTAX, "unexpected character '%c'", ch);
		return lex_err(lx, c, p, SCR_ESYNTAX, "unexpected byte 0x%02x", u);
	}
	if (rc)
		return rc;
done:
	if (c->main) {
		t->end = lx->pos;
		t->end_line = lx->line;
	}
	return 0;
}

int scr__lex_next(struct scr__lexer *lx, struct scr__tok *t)
{
	for (;;) {
		int rc;
		if (lx->in_x) {
			struct cur xc = {lx->xsrc, lx->xlen, &lx->xpos, false};
			rc = scan(lx, &xc, t);
			if (rc)
				return rc;
			if (t->kind != TK_EOF) {
				t->off = lx->xref.off;
				t->end = lx->xref.end;
				t->line = lx->xref.line;
				t->col = lx->xref.col;
				t->end_line = lx->xref.end_line;
				t->define = lx->xref.text;
				return 0;
			}
			lx->in_x = false;
		}
		{
			struct cur mc = {lx->src, lx->len, &lx->pos, true};
			const char *v;
			rc = scan(lx, &mc, t);
			if (rc)
				return rc;
			if (t->kind != TK_WORD || !lx->lookup)
				return 0;
			v = lx->lookup(lx->ctx, t->text, t->n);
			if (!v)
				return 0;
			lx->in_x = true;
			lx->xsrc = v;
			lx->xlen = strlen(v);
			lx->xpos = 0;
			lx->xref = *t;
		}
	}
}

int scr__lex_raw_paren(struct scr__lexer *lx, const struct scr__tok *lparen, const char **text,
		       size_t *n, struct scr__tok *t)
{
	size_t p = lx->pos;
	int depth = 1;
	struct cur mc = {lx->src, lx->len, &lx->pos, true};
	if (lx->in_x || lparen->define || lparen->end != lx->pos)
		return scr__diag(lx->diag, lx->path, SCR_ESYNTAX, lparen->line, lparen->col,
				 "a note '( ... )' cannot come from a define");
	for (; p < lx->len && lx->src[p] != '\n'; p++) {
		if (lx->src[p] == '(')
			depth++;
		else if (lx->src[p] == ')' && --depth == 0)
			break;
	}
	if (p >= lx->len || lx->src[p] != ')')
		return lex_err(lx, &mc, lparen->off, SCR_ESYNTAX,
			       "unterminated note '(': no ')' on the same line");
	*text = lx->src + lparen->end;
	*n = p - lparen->end;
	memset(t, 0, sizeof *t);
	t->kind = TK_RPAREN;
	t->text = lx->src + p;
	t->n = 1;
	t->off = lparen->off;
	t->line = lparen->line;
	t->col = lparen->col;
	advance_main(lx, p + 1);
	t->end = lx->pos;
	t->end_line = lx->line;
	return 0;
}

size_t scr__lex_skip_line(struct scr__lexer *lx)
{
	size_t p = lx->pos;
	lx->in_x = false;
	while (p < lx->len && lx->src[p] != '\n') {
		if (lx->src[p] == '/' && p + 1 < lx->len &&
		    (lx->src[p + 1] == '/' || lx->src[p + 1] == '*'))
			break;
		p++;
	}
	/* Do not keep trailing blanks in the span. */
	while (p > lx->pos &&
	       (lx->src[p - 1] == ' ' || lx->src[p - 1] == '\t' || lx->src[p - 1] == '\r'))
		p--;
	advance_main(lx, p);
	return p;
}
