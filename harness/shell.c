/* Shell commands in scripts, read rather than run (cli.h: cli_shell_translate).
 *
 * packetdrill runs a script's `...` lines with /bin/sh. The Linux kernel's
 * own packetdrill selftests use them for one thing: setting sysctls, in
 * the namespace the test runs in (`./defaults.sh`, `sysctl -q k=v`,
 * `./set_sysctls.py /proc/sys/k=v`). tcpcheck runs no shell — a script is
 * data, and a shell line could touch the host — so it reads that small
 * language instead: each sysctl becomes `@config sysctl.NAME=VALUE`, which
 * the Linux targets write in the run's private namespace (net.* only) and
 * the other targets report as not modelled. Lines that only clean up
 * after a run on a shared host are no-ops in a namespace of one's own.
 * Anything else stays an unsupported construct (the script is SKIP, the
 * command named). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/cli.h"

#define SH_MAX_WORDS 64
#define SH_MAX_DEPTH 3       /* ./a.sh sourcing ./b.sh ... */
#define SH_MAX_FILE (64u << 10)

struct sh_ctx {
	const char *dir;       /* the script's directory, for ./NAME.sh */
	struct scr_kv *set;    /* sysctls, in order; a later one replaces */
	size_t n, cap;
	char err[256];
};

/* ---- words ------------------------------------------------------------------ */

/* $((...)) of integers with + - * / and parentheses: enough for
 * "$((15*1024*1024))". `*p` moves past what was read. */
static long long arith_sum(const char **p, bool *ok);

static void arith_blank(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static long long arith_atom(const char **p, bool *ok)
{
	long long v;
	char *end;
	arith_blank(p);
	if (**p == '(') {
		(*p)++;
		v = arith_sum(p, ok);
		arith_blank(p);
		if (**p != ')')
			*ok = false;
		else
			(*p)++;
		return v;
	}
	v = strtoll(*p, &end, 0);
	if (end == *p)
		*ok = false;
	*p = end;
	return v;
}

static long long arith_product(const char **p, bool *ok)
{
	long long v = arith_atom(p, ok);
	for (;;) {
		arith_blank(p);
		if (**p == '*') {
			(*p)++;
			v *= arith_atom(p, ok);
		} else if (**p == '/') {
			long long d;
			(*p)++;
			d = arith_atom(p, ok);
			if (d == 0)
				*ok = false;
			else
				v /= d;
		} else {
			return v;
		}
	}
}

static long long arith_sum(const char **p, bool *ok)
{
	long long v = arith_product(p, ok);
	for (;;) {
		arith_blank(p);
		if (**p == '+') {
			(*p)++;
			v += arith_product(p, ok);
		} else if (**p == '-') {
			(*p)++;
			v -= arith_product(p, ok);
		} else {
			return v;
		}
	}
}

/* Append `$((expr))` at *p (past "$((") to `out` as a number. */
static int expand_arith(const char **p, char *out, size_t *n, size_t cap)
{
	bool ok = true;
	long long v = arith_sum(p, &ok);
	if (!ok || (*p)[0] != ')' || (*p)[1] != ')')
		return -EINVAL;
	*p += 2;
	*n += (size_t)snprintf(out + *n, *n < cap ? cap - *n : 0, "%lld", v);
	return *n < cap ? 0 : -E2BIG;
}

/* Split one command line into words, with '...' and "..." quoting and
 * $((...)); other expansions ($VAR, `...`, globs) are copied as they
 * stand, so that the command is named, not run. Returns the word count or
 * -EINVAL. Words are NUL-separated in `buf`. */
static int split_words(const char *line, char *buf, size_t cap, char **w)
{
	const char *p = line;
	size_t n = 0;
	int nw = 0;
	while (*p) {
		char quote = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		if (nw == SH_MAX_WORDS)
			return -EINVAL;
		w[nw++] = buf + n;
		while (*p && (quote || (*p != ' ' && *p != '\t'))) {
			if (!strncmp(p, "$((", 3)) {
				p += 3;
				if (expand_arith(&p, buf, &n, cap) != 0)
					return -EINVAL;
				continue;
			}
			if ((*p == '"' || *p == '\'') && (!quote || quote == *p)) {
				quote = quote ? 0 : *p;
				p++;
				continue;
			}
			if (n + 1 >= cap)
				return -EINVAL;
			buf[n++] = *p++;
		}
		if (quote)
			return -EINVAL;
		buf[n++] = '\0';
	}
	return nw;
}

/* ---- commands --------------------------------------------------------------------- */

static int add_sysctl(struct sh_ctx *c, const char *name, size_t len, const char *value)
{
	char key[160];
	size_t i, k;
	if (len == 0 || len > 120)
		return -EINVAL;
	k = (size_t)snprintf(key, sizeof key, "sysctl.");
	for (i = 0; i < len; i++) /* net/ipv4/x and net.ipv4.x are one name */
		key[k++] = name[i] == '/' ? '.' : name[i];
	key[k] = '\0';
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->set[i].key, key)) {
			char *v = strdup(value);
			if (!v)
				return -ENOMEM;
			free(c->set[i].value);
			c->set[i].value = v;
			return 0;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct scr_kv *set = realloc(c->set, cap * sizeof *set);
		if (!set)
			return -ENOMEM;
		c->set = set;
		c->cap = cap;
	}
	c->set[c->n].key = strdup(key);
	c->set[c->n].value = strdup(value);
	c->set[c->n].line = 0;
	if (!c->set[c->n].key || !c->set[c->n].value) {
		free(c->set[c->n].key);
		free(c->set[c->n].value);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

/* NAME=VALUE arguments of `sysctl` (names dotted or slashed) or of
 * set_sysctls.py (paths under /proc/sys/). */
static int assignments(struct sh_ctx *c, char **w, int nw, int first, bool proc)
{
	int i, rc;
	for (i = first; i < nw; i++) {
		const char *a = w[i], *eq = strchr(a, '=');
		if (a[0] == '-' && !proc)
			continue; /* -q, -e, -w: quiet, ignore unknown, write */
		if (proc && !strncmp(a, "/proc/sys/", 10))
			a += 10;
		if (!eq || eq <= a) {
			snprintf(c->err, sizeof c->err, "'%s' is not NAME=VALUE", w[i]);
			return -EINVAL;
		}
		if ((rc = add_sysctl(c, a, (size_t)(eq - a), eq + 1)) != 0)
			return rc;
	}
	return 0;
}

static int run_file(struct sh_ctx *c, const char *name, int depth);

/* A file of commands next to the script: ./NAME.sh. */
static bool is_local_sh(const char *w)
{
	size_t n = strlen(w);
	return !strncmp(w, "./", 2) && !strchr(w + 2, '/') && n > 5 && !strcmp(w + n - 3, ".sh");
}

/* `tc qdisc add|replace dev DEV root pfifo|pfifo_fast`: the kselftests
 * override a pacing default qdisc (fq) with a plain FIFO. A namespace's
 * TAP device has no pacing qdisc to begin with, so this changes nothing. */
static bool is_fifo_qdisc(char **w, int nw)
{
	return nw == 7 && !strcmp(w[0], "tc") && !strcmp(w[1], "qdisc") &&
	       (!strcmp(w[2], "add") || !strcmp(w[2], "replace")) && !strcmp(w[3], "dev") &&
	       !strcmp(w[5], "root") && (!strcmp(w[6], "pfifo") || !strcmp(w[6], "pfifo_fast"));
}

/* Leave out output redirections: `> /dev/null 2>&1`. */
static int drop_redirections(char **w, int nw)
{
	int i, k = 0;
	for (i = 0; i < nw; i++) {
		if (!strcmp(w[i], ">") || !strcmp(w[i], "2>") || !strcmp(w[i], ">>")) {
			i++; /* and its file */
			continue;
		}
		if (!strcmp(w[i], "2>&1") || !strcmp(w[i], ">/dev/null") ||
		    !strcmp(w[i], "2>/dev/null"))
			continue;
		w[k++] = w[i];
	}
	return k;
}

static int run_line(struct sh_ctx *c, const char *line, int depth)
{
	char buf[4096], *w[SH_MAX_WORDS];
	int nw = split_words(line, buf, sizeof buf, w);
	if (nw < 0) {
		snprintf(c->err, sizeof c->err, "cannot read '%.60s'", line);
		return -EINVAL;
	}
	nw = drop_redirections(w, nw);
	if (nw == 0 || w[0][0] == '#')
		return 0;
	if (!strcmp(w[0], "sysctl"))
		return assignments(c, w, nw, 1, false);
	if (!strcmp(w[0], "./set_sysctls.py"))
		return assignments(c, w, nw, 1, true);
	if (is_local_sh(w[0]) && nw == 1)
		return run_file(c, w[0] + 2, depth + 1);
	/* Clean-up for runs on a shared host: the run's namespace is new and
	 * goes away with it (no cached metrics, nothing to restore). */
	if (nw >= 3 && !strcmp(w[0], "ip") && !strcmp(w[1], "tcp_metrics") &&
	    !strcmp(w[2], "flush"))
		return 0;
	if (nw == 1 && !strncmp(w[0], "/tmp/sysctl_restore_", 20))
		return 0;
	if (is_fifo_qdisc(w, nw))
		return 0;
	snprintf(c->err, sizeof c->err,
		 "'%.60s' is not understood: tcpcheck runs no shell; it reads sysctl, "
		 "./set_sysctls.py and ./NAME.sh files of those",
		 line);
	return -ENOTSUP;
}

/* The lines of `text`, with backslash-newline continuations joined. */
static int run_text(struct sh_ctx *c, const char *text, size_t len, int depth)
{
	char line[4096];
	size_t i = 0, n = 0;
	int rc;
	for (; i <= len; i++) {
		char ch = i < len ? text[i] : '\n';
		if (ch == '\\' && i + 1 < len && text[i + 1] == '\n') {
			i++;
			ch = ' ';
		}
		if (ch != '\n') {
			if (n + 1 >= sizeof line) {
				snprintf(c->err, sizeof c->err, "a line longer than %zu bytes",
					 sizeof line);
				return -EINVAL;
			}
			line[n++] = ch;
			continue;
		}
		line[n] = '\0';
		n = 0;
		if ((rc = run_line(c, line, depth)) != 0)
			return rc;
	}
	return 0;
}

static int run_file(struct sh_ctx *c, const char *name, int depth)
{
	char path[2048], *text;
	size_t n;
	FILE *f;
	int rc;
	if (depth > SH_MAX_DEPTH) {
		snprintf(c->err, sizeof c->err, "./%s: nested more than %d deep", name,
			 SH_MAX_DEPTH);
		return -ELOOP;
	}
	snprintf(path, sizeof path, "%s/%s", c->dir, name);
	if (!(f = fopen(path, "r"))) {
		snprintf(c->err, sizeof c->err, "./%s: %s", name, strerror(errno));
		return -ENOENT;
	}
	text = malloc(SH_MAX_FILE + 1);
	n = text ? fread(text, 1, SH_MAX_FILE + 1, f) : 0;
	fclose(f);
	if (!text)
		return -ENOMEM;
	if (n > SH_MAX_FILE) {
		free(text);
		snprintf(c->err, sizeof c->err, "./%s: larger than %u bytes", name, SH_MAX_FILE);
		return -EFBIG;
	}
	rc = run_text(c, text, n, depth);
	if (rc != 0 && rc != -ENOMEM) {
		char inner[sizeof c->err];
		memcpy(inner, c->err, sizeof inner);
		snprintf(c->err, sizeof c->err, "./%.40s: %.200s", name, inner);
	}
	free(text);
	return rc;
}

/* ---- the script ------------------------------------------------------------------- */

/* The command between the event's backquotes. */
static const char *command_of(const struct scr_event *ev, size_t *len)
{
	const char *a = ev->text ? strchr(ev->text, '`') : NULL;
	const char *b = a ? strrchr(a + 1, '`') : NULL;
	if (!a || !b)
		return NULL;
	*len = (size_t)(b - a - 1);
	return a + 1;
}

static bool is_shell_skip(const struct scr_event *ev)
{
	return ev->kind == SCR_EV_SKIP && ev->u.skip.construct &&
	       !strcmp(ev->u.skip.construct, "shell command");
}

static int set_reason(struct scr_event *ev, const char *why)
{
	char *r = strdup(why);
	if (!r)
		return -ENOMEM;
	free(ev->u.skip.reason);
	ev->u.skip.reason = r;
	return 0;
}

/* Move `c->set` into the script's @config (a key given there already is
 * replaced: the command came later in the file than the header). */
static int merge_config(struct scr_script *s, struct sh_ctx *c)
{
	size_t i, k;
	for (i = 0; i < c->n; i++) {
		for (k = 0; k < s->meta.n_config; k++)
			if (!strcmp(s->meta.config[k].key, c->set[i].key))
				break;
		if (k == s->meta.n_config) {
			struct scr_kv *cfg;
			if (s->meta.n_config >= SCR_MAX_CONFIG)
				return -E2BIG;
			cfg = realloc(s->meta.config, (s->meta.n_config + 1) * sizeof *cfg);
			if (!cfg)
				return -ENOMEM;
			s->meta.config = cfg;
			s->meta.n_config++;
			cfg[k] = c->set[i];
		} else {
			free(s->meta.config[k].value);
			free(c->set[i].key);
			s->meta.config[k].value = c->set[i].value;
		}
		c->set[i].key = c->set[i].value = NULL;
	}
	c->n = 0;
	return 0;
}

/* Drop event `i`, keeping its text in the next event's lead (or the
 * trailer), so that a script written back is the same text. */
static int fold_event(struct scr_script *s, size_t i)
{
	struct scr_event *ev = &s->events[i];
	char **next = i + 1 < s->n_events ? &s->events[i + 1].lead : &s->trailer;
	size_t a = ev->lead ? strlen(ev->lead) : 0, b = ev->text ? strlen(ev->text) : 0;
	size_t c = *next ? strlen(*next) : 0;
	char *joined = malloc(a + b + c + 1);
	if (!joined)
		return -ENOMEM;
	memcpy(joined, ev->lead ? ev->lead : "", a);
	memcpy(joined + a, ev->text ? ev->text : "", b);
	memcpy(joined + a + b, *next ? *next : "", c + 1);
	free(*next);
	*next = joined;
	scr_event_clear(ev);
	memmove(ev, ev + 1, (s->n_events - i - 1) * sizeof *ev);
	s->n_events--;
	s->n_skips--;
	return 0;
}

/* Translate one shell event at index `i`; `started` when a packet or a
 * socket verb came before it. Returns 1 when the event was folded away. */
static int translate_one(struct scr_script *s, size_t i, bool started, struct sh_ctx *c)
{
	size_t len = 0;
	const char *cmd = command_of(&s->events[i], &len);
	char why[320];
	int rc;
	if (!cmd)
		return 0;
	c->err[0] = '\0';
	rc = run_text(c, cmd, len, 0);
	if (rc == -ENOMEM)
		return rc;
	if (rc != 0) {
		snprintf(why, sizeof why, "%s", c->err);
		return set_reason(&s->events[i], why);
	}
	if (c->n > 0 && started) {
		snprintf(why, sizeof why,
			 "sets sysctls after the script has started; tcpcheck sets them only "
			 "before the first packet or socket call");
		return set_reason(&s->events[i], why);
	}
	if ((rc = merge_config(s, c)) != 0)
		return rc;
	return fold_event(s, i) == 0 ? 1 : -ENOMEM;
}

int cli_shell_translate(struct scr_script *s, const char *script_path)
{
	struct sh_ctx c;
	char dir[2048];
	const char *slash = strrchr(script_path, '/');
	bool started = false;
	size_t i = 0;
	int rc = 0;
	memset(&c, 0, sizeof c);
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - script_path) : 1,
		 slash ? script_path : ".");
	c.dir = dir;
	while (i < s->n_events && rc >= 0) {
		struct scr_event *ev = &s->events[i];
		if (ev->kind == SCR_EV_PACKET || ev->kind == SCR_EV_SYSCALL ||
		    ev->kind == SCR_EV_ICMP)
			started = true;
		rc = is_shell_skip(ev) ? translate_one(s, i, started, &c) : 0;
		if (rc != 1)
			i++;
	}
	for (i = 0; i < c.n; i++) {
		free(c.set[i].key);
		free(c.set[i].value);
	}
	free(c.set);
	return rc < 0 ? rc : 0;
}
