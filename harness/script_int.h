/* Internals of the script front end, shared by script_lex.c,
 * script_parse.c and script_ast.c. Not an API: see harness/script.h. */
#ifndef TCPCHECK_HARNESS_SCRIPT_INT_H
#define TCPCHECK_HARNESS_SCRIPT_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/script.h"

/* Token kinds. */
enum scr__tk {
	TK_EOF,
	TK_NUM,	    /* 12, 0x1f, 1.5, .25 */
	TK_WORD,    /* [A-Za-z_][A-Za-z0-9_]* */
	TK_STRING,  /* "..." (text: between the quotes) */
	TK_OPTION,  /* --name[=value] (text: name; val: value) */
	TK_CODE,    /* %{ ... }% (text: between the marks) */
	TK_COMMAND, /* `...` (text: between the backquotes) */
	TK_PLUS,
	TK_MINUS,
	TK_STAR,
	TK_TILDE,
	TK_ELLIPSIS, /* ... */
	TK_DOT,
	TK_COLON,
	TK_COMMA,
	TK_EQ,
	TK_PIPE,
	TK_LT,
	TK_GT,
	TK_LPAREN,
	TK_RPAREN,
	TK_LBRACK,
	TK_RBRACK,
	TK_LBRACE,
	TK_RBRACE,
};

/* One token. Text pointers point into the source or into a define's value
 * (both outlive the parse). */
struct scr__tok {
	enum scr__tk kind;
	const char *text; /* the token's text (see enum scr__tk) */
	size_t n;
	const char *val; /* TK_OPTION: the value ("" if none) */
	size_t val_n;
	size_t off, end;    /* byte span in the main source (a token from a
			     * define has the span of the word it replaces) */
	int line, col;	    /* of `off` */
	int end_line;	    /* line of `end` */
	const char *define; /* name of the define it came from, or NULL */
	/* TK_NUM */
	uint64_t ival; /* integer value (not for floats) */
	bool ovf;      /* integer did not fit 64 bits */
	bool is_float; /* has a '.' */
	bool is_hex;   /* 0x... */
};

/* Called for each `//` comment of the main source with the text after the
 * slashes and the position of the first slash (byte offset, line,
 * column); returns 0 or an SCR_E* code (with the diagnostic written). */
typedef int (*scr__comment_fn)(void *ctx, const char *text, size_t n, size_t off, int line,
			       int col);
/* Looks a word up among the defines; returns the value or NULL. */
typedef const char *(*scr__lookup_fn)(void *ctx, const char *word, size_t n);

struct scr__lexer {
	const char *path;
	const char *src; /* main source */
	size_t len;
	size_t pos;
	int line;	   /* line at pos */
	size_t line_start; /* offset of that line's first byte */
	/* Expansion of a define in progress. */
	bool in_x;
	const char *xsrc;
	size_t xlen, xpos;
	struct scr__tok xref; /* the word being replaced */
	/* Hooks (may be NULL). */
	scr__comment_fn comment;
	scr__lookup_fn lookup;
	void *ctx;
	struct scr_diag *diag;
};

/* Set up a lexer over `len` bytes of `src`. */
void scr__lex_init(struct scr__lexer *lx, const char *path, const char *src, size_t len,
		   struct scr_diag *diag);

/* The next token into `t`. Returns 0 or an SCR_E* code (diag written). */
int scr__lex_next(struct scr__lexer *lx, struct scr__tok *t);

/* With the last token returned a `(` of the main source, read raw text up
 * to the matching `)` on the same line; `*text`/`*n` get what lies between,
 * `t` describes the whole `( ... )` span. Returns 0 or an SCR_E* code. */
int scr__lex_raw_paren(struct scr__lexer *lx, const struct scr__tok *lparen, const char **text,
		       size_t *n, struct scr__tok *t);

/* Drop any define expansion in progress and skip raw text to the end of
 * the line (or to a comment start on it). Returns the offset reached. */
size_t scr__lex_skip_line(struct scr__lexer *lx);

/* Describe a token for "found ..." in a message: "'ack'", "end of file". */
void scr__tok_desc(const struct scr__tok *t, char *buf, size_t cap);

/* Write a diagnostic "path:line:col: message". Returns `code`. */
int scr__diag(struct scr_diag *d, const char *path, int code, int line, int col, const char *fmt,
	      ...) __attribute__((format(printf, 6, 7)));
int scr__vdiag(struct scr_diag *d, const char *path, int code, int line, int col, const char *fmt,
	       va_list ap) __attribute__((format(printf, 6, 0)));

/* Copy `n` bytes as a NUL-terminated string; NULL if out of memory. */
char *scr__strndup(const char *s, size_t n);

/* Free an expression tree (NULL-safe). */
void scr__expr_free(struct scr_expr *e);

#endif
