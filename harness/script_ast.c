/* The script AST: freeing, small look-ups, and writing it back as text
 * (harness/script.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/script_int.h"
#include "reference/seg.h"

const char *scr_strerror(int err)
{
	switch (err) {
	case SCR_OK:
		return "success";
	case SCR_ENOMEM:
		return "out of memory";
	case SCR_ESYNTAX:
		return "syntax error";
	case SCR_ERANGE:
		return "number out of range";
	case SCR_ELIMIT:
		return "limit exceeded";
	case SCR_EINVAL:
		return "invalid argument";
	default:
		return "unknown error";
	}
}

static const char *const state_names[SCR_ST_COUNT] = {
	"CLOSED",     "LISTEN",	    "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
	"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING",	"LAST_ACK",	"TIME_WAIT"};

const char *scr_state_name(enum scr_tcp_state st)
{
	return (unsigned)st < SCR_ST_COUNT ? state_names[st] : "?";
}

/* ---- freeing --------------------------------------------------------------------- */

void scr__expr_free(struct scr_expr *e)
{
	size_t i;
	if (!e)
		return;
	for (i = 0; i < e->n; i++)
		scr__expr_free(e->items[i]);
	free(e->items);
	free(e->str);
	free(e);
}

void scr_event_clear(struct scr_event *ev)
{
	size_t i;
	if (!ev)
		return;
	switch (ev->kind) {
	case SCR_EV_PACKET:
		free(ev->u.packet.opts);
		break;
	case SCR_EV_ICMP:
		free(ev->u.icmp.type);
		free(ev->u.icmp.code);
		break;
	case SCR_EV_SYSCALL:
		free(ev->u.sys.name);
		for (i = 0; i < ev->u.sys.n_args; i++)
			scr__expr_free(ev->u.sys.args[i]);
		free(ev->u.sys.args);
		scr__expr_free(ev->u.sys.ret.expr);
		free(ev->u.sys.ret.err);
		free(ev->u.sys.ret.note);
		break;
	case SCR_EV_SKIP:
		free(ev->u.skip.construct);
		free(ev->u.skip.reason);
		break;
	case SCR_EV_PYTHON:
		free(ev->u.python.code);
		break;
	case SCR_EV_NONE:
	case SCR_EV_STATE:
		break;
	}
	free(ev->text);
	free(ev->lead);
	memset(ev, 0, sizeof *ev);
}

void scr_event_clear_text(struct scr_event *ev)
{
	if (!ev)
		return;
	free(ev->text);
	ev->text = NULL;
}

static void free_kvs(struct scr_kv *kv, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(kv[i].key);
		free(kv[i].value);
	}
	free(kv);
}

static void free_strs(char **v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void scr_script_free(struct scr_script *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->n_events; i++)
		scr_event_clear(&s->events[i]);
	free(s->events);
	free_kvs(s->options, s->n_options);
	free_kvs(s->defines, s->n_defines);
	free_strs(s->meta.requirements, s->meta.n_requirements);
	free_strs(s->meta.targets, s->meta.n_targets);
	for (i = 0; i < s->meta.n_xfails; i++) {
		free(s->meta.xfails[i].target);
		free(s->meta.xfails[i].reason);
	}
	free(s->meta.xfails);
	for (i = 0; i < s->meta.n_findings; i++) {
		free(s->meta.findings[i].target);
		free(s->meta.findings[i].id);
	}
	free(s->meta.findings);
	free(s->meta.profile);
	free_kvs(s->meta.config, s->meta.n_config);
	free(s->trailer);
	free(s->path);
	free(s);
}

struct scr_event *scr_script_insert_event(struct scr_script *s, size_t at)
{
	struct scr_event *ev;
	if (!s || at > s->n_events)
		return NULL;
	if (s->n_events == s->events_cap) {
		size_t ncap = s->events_cap ? s->events_cap * 2 : 4;
		void *p;
		if (ncap > SIZE_MAX / sizeof *s->events)
			return NULL;
		p = realloc(s->events, ncap * sizeof *s->events);
		if (!p)
			return NULL;
		s->events = p;
		s->events_cap = ncap;
	}
	ev = &s->events[at];
	memmove(ev + 1, ev, (s->n_events - at) * sizeof *ev);
	s->n_events++;
	memset(ev, 0, sizeof *ev);
	ev->kind = SCR_EV_PACKET;
	ev->time.kind = SCR_TIME_NONE;
	return ev;
}

const char *scr_script_option(const struct scr_script *s, const char *name)
{
	size_t i;
	const char *v = NULL;
	if (!s || !name)
		return NULL;
	for (i = 0; i < s->n_options; i++)
		if (strcmp(s->options[i].key, name) == 0)
			v = s->options[i].value;
	return v;
}

const char *scr_script_config(const struct scr_script *s, const char *key)
{
	size_t i;
	if (!s || !key)
		return NULL;
	for (i = 0; i < s->meta.n_config; i++)
		if (strcmp(s->meta.config[i].key, key) == 0)
			return s->meta.config[i].value;
	return NULL;
}

/* ---- a growing output buffer ---------------------------------------------------------- */

struct sbuf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 256;
		char *q;
		while (ncap < b->len + n + 1) {
			if (ncap > SIZE_MAX / 2) {
				b->oom = true;
				return;
			}
			ncap *= 2;
		}
		q = realloc(b->p, ncap);
		if (!q) {
			b->oom = true;
			return;
		}
		b->p = q;
		b->cap = ncap;
	}
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[128];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp) {
		b->oom = true; /* only short numeric formats come here */
		return;
	}
	sb_add(b, tmp, (size_t)n);
}

/* ---- formatting ------------------------------------------------------------------------- */

static void fmt_seconds(struct sbuf *b, int64_t us)
{
	uint64_t u = us < 0 ? (uint64_t)0 - (uint64_t)us : (uint64_t)us;
	uint64_t frac = u % 1000000;
	char f[8];
	int n = 6;
	if (us < 0)
		sb_str(b, "-");
	sb_printf(b, "%" PRIu64, u / 1000000);
	if (!frac)
		return;
	snprintf(f, sizeof f, "%06" PRIu64, frac);
	while (n > 0 && f[n - 1] == '0')
		n--;
	f[n] = '\0';
	sb_printf(b, ".%s", f);
}

static void fmt_time(struct sbuf *b, const struct scr_time *t)
{
	switch (t->kind) {
	case SCR_TIME_NONE:
		return;
	case SCR_TIME_ANY:
		sb_str(b, "*");
		return;
	case SCR_TIME_REL:
	case SCR_TIME_REL_WINDOW:
		sb_str(b, "+");
		break;
	case SCR_TIME_ABS:
	case SCR_TIME_WINDOW:
		break;
	}
	fmt_seconds(b, t->start_us);
	if (t->kind == SCR_TIME_WINDOW || t->kind == SCR_TIME_REL_WINDOW) {
		sb_str(b, t->kind == SCR_TIME_REL_WINDOW ? "~+" : "~");
		fmt_seconds(b, t->end_us);
	}
}

static void fmt_ip(struct sbuf *b, const struct scr_ip *ip)
{
	static const char *const marks[] = {"", "noecn", "ect0", "ect1", "ect01", "ce"};
	if (ip->ecn > SCR_ECN_UNSET && ip->ecn <= SCR_ECN_CE)
		sb_printf(b, "[%s] ", marks[ip->ecn]);
	if (ip->has_tos)
		sb_printf(b, "tos 0x%02x ", ip->tos);
	if (ip->has_ttl)
		sb_printf(b, "ttl %u ", ip->ttl);
	if (ip->has_flowlabel)
		sb_printf(b, "flowlabel 0x%" PRIx32 " ", ip->flowlabel);
}

static void fmt_flags(struct sbuf *b, uint8_t flags)
{
	static const char letters[] = "FSRPUEW";
	static const uint8_t bits[] = {SEG_FIN, SEG_SYN, SEG_RST, SEG_PSH,
				       SEG_URG, SEG_ECE, SEG_CWR};
	char out[10];
	size_t i, n = 0;
	for (i = 0; i < sizeof bits; i++)
		if (flags & bits[i])
			out[n++] = letters[i];
	if (flags & SEG_ACK)
		out[n++] = '.';
	if (!n)
		out[n++] = '-';
	sb_add(b, out, n);
}

static void fmt_opt(struct sbuf *b, const struct scr_opt *o)
{
	unsigned i;
	switch (o->kind) {
	case SEG_OPT_EOL:
		sb_str(b, "eol");
		break;
	case SEG_OPT_NOP:
		sb_str(b, "nop");
		break;
	case SEG_OPT_MSS:
		sb_printf(b, "mss %" PRIu32, o->val);
		break;
	case SEG_OPT_WSCALE:
		sb_printf(b, "wscale %" PRIu32, o->val);
		break;
	case SEG_OPT_SACK_PERM:
		sb_str(b, "sackOK");
		break;
	case SEG_OPT_TS:
		sb_printf(b, "TS val %" PRIu32 " ecr %" PRIu32, o->val, o->ecr);
		break;
	case SEG_OPT_SACK:
		sb_str(b, "sack");
		for (i = 0; i < o->n_sack && i < SCR_MAX_SACK; i++)
			sb_printf(b, " %" PRIu32 ":%" PRIu32, o->sack[i].left, o->sack[i].right);
		break;
	default:
		sb_printf(b, "?%u", o->kind);
		break;
	}
}

static void fmt_packet(struct sbuf *b, const struct scr_packet *pk)
{
	size_t i;
	sb_str(b, pk->dir == SCR_IN ? "< " : "> ");
	fmt_ip(b, &pk->ip);
	fmt_flags(b, pk->flags);
	sb_printf(b, " %" PRIu32 ":%" PRIu32 "(%u)", pk->seq_start, pk->seq_end, pk->len);
	if (pk->has_ack)
		sb_printf(b, " ack %" PRIu32, pk->ack);
	if (pk->has_win)
		sb_printf(b, " win %u", pk->win);
	if (pk->has_urg)
		sb_printf(b, " urg %u", pk->urg);
	if (pk->bad_csum)
		sb_str(b, " bad_csum");
	if (pk->any_opts) {
		sb_str(b, " <...>");
	} else if (pk->n_opts) {
		sb_str(b, " <");
		for (i = 0; i < pk->n_opts; i++) {
			if (i)
				sb_str(b, ",");
			fmt_opt(b, &pk->opts[i]);
		}
		sb_str(b, ">");
	}
}

static void fmt_icmp(struct sbuf *b, const struct scr_icmp *ic)
{
	sb_str(b, ic->dir == SCR_IN ? "< " : "> ");
	fmt_ip(b, &ic->ip);
	sb_str(b, "icmp ");
	sb_str(b, ic->type ? ic->type : "?");
	if (ic->code) {
		sb_str(b, " ");
		sb_str(b, ic->code);
	}
	if (ic->has_mtu)
		sb_printf(b, " mtu %" PRIu32, ic->mtu);
	if (ic->has_quote)
		sb_printf(b, " [%" PRIu32 ":%" PRIu32 "(%u)]", ic->seq_start, ic->seq_end, ic->len);
}

static void fmt_expr(struct sbuf *b, const struct scr_expr *e);

static void fmt_items(struct sbuf *b, const struct scr_expr *e, const char *sep)
{
	size_t i;
	for (i = 0; i < e->n; i++) {
		if (i)
			sb_str(b, sep);
		fmt_expr(b, e->items[i]);
	}
}

static void fmt_expr(struct sbuf *b, const struct scr_expr *e)
{
	if (!e) {
		sb_str(b, "...");
		return;
	}
	switch (e->kind) {
	case SCR_EXPR_INT:
		if (e->hex) {
			uint64_t u = e->num < 0 ? (uint64_t)0 - (uint64_t)e->num : (uint64_t)e->num;
			sb_printf(b, "%s0x%" PRIx64, e->num < 0 ? "-" : "", u);
		} else {
			sb_printf(b, "%" PRId64, e->num);
		}
		return;
	case SCR_EXPR_WORD:
		sb_str(b, e->str ? e->str : "?");
		return;
	case SCR_EXPR_STRING:
		sb_str(b, "\"");
		sb_str(b, e->str ? e->str : "");
		sb_str(b, "\"");
		return;
	case SCR_EXPR_ELLIPSIS:
		sb_str(b, "...");
		return;
	case SCR_EXPR_OR:
		fmt_items(b, e, "|");
		return;
	case SCR_EXPR_ARRAY:
		sb_str(b, "[");
		fmt_items(b, e, ", ");
		sb_str(b, "]");
		return;
	case SCR_EXPR_STRUCT:
		sb_str(b, "{");
		fmt_items(b, e, ", ");
		sb_str(b, "}");
		return;
	case SCR_EXPR_FIELD:
		fmt_items(b, e, "=");
		return;
	case SCR_EXPR_CALL:
		sb_str(b, e->str ? e->str : "?");
		sb_str(b, "(");
		fmt_items(b, e, ", ");
		sb_str(b, ")");
		return;
	}
}

static void fmt_syscall(struct sbuf *b, const struct scr_syscall *sc)
{
	size_t i;
	sb_str(b, sc->name ? sc->name : scr_sys_name(sc->sys));
	sb_str(b, "(");
	for (i = 0; i < sc->n_args; i++) {
		if (i)
			sb_str(b, ", ");
		fmt_expr(b, sc->args[i]);
	}
	sb_str(b, ") = ");
	if (sc->ret.expr)
		fmt_expr(b, sc->ret.expr);
	else if (sc->ret.kind == SCR_RET_INT)
		sb_printf(b, "%" PRId64, sc->ret.value);
	else
		sb_str(b, "...");
	if (sc->ret.err) {
		sb_str(b, " ");
		sb_str(b, sc->ret.err);
	}
	if (sc->ret.note) {
		sb_str(b, " (");
		sb_str(b, sc->ret.note);
		sb_str(b, ")");
	}
}

static void fmt_event(struct sbuf *b, const struct scr_event *ev)
{
	fmt_time(b, &ev->time);
	if (ev->kind == SCR_EV_SYSCALL && ev->u.sys.blocking) {
		sb_str(b, ev->u.sys.end_plus ? "...+" : "...");
		fmt_seconds(b, ev->u.sys.end_us);
	}
	if (ev->time.kind != SCR_TIME_NONE)
		sb_str(b, " ");
	switch (ev->kind) {
	case SCR_EV_PACKET:
		fmt_packet(b, &ev->u.packet);
		break;
	case SCR_EV_ICMP:
		fmt_icmp(b, &ev->u.icmp);
		break;
	case SCR_EV_SYSCALL:
		fmt_syscall(b, &ev->u.sys);
		break;
	case SCR_EV_NONE:
		sb_str(b, "> none");
		if (ev->u.none.has_for) {
			sb_str(b, " for ");
			fmt_seconds(b, ev->u.none.for_us);
		}
		break;
	case SCR_EV_STATE:
		sb_str(b, "state ");
		sb_str(b, scr_state_name(ev->u.state.state));
		break;
	case SCR_EV_SKIP:
		sb_str(b, "/* skipped: ");
		sb_str(b, ev->u.skip.construct ? ev->u.skip.construct : "?");
		sb_str(b, " */");
		break;
	case SCR_EV_PYTHON:
		sb_str(b, "%{");
		sb_str(b, ev->u.python.code ? ev->u.python.code : "");
		sb_str(b, "}%");
		break;
	}
}

static int to_buf(struct sbuf *b, char *buf, size_t cap)
{
	if (b->oom) {
		free(b->p);
		return SCR_ENOMEM;
	}
	if (cap) {
		size_t n = b->len < cap - 1 ? b->len : cap - 1;
		if (n)
			memcpy(buf, b->p, n);
		buf[n] = '\0';
	}
	free(b->p);
	return b->len > INT32_MAX ? SCR_ENOMEM : (int)b->len;
}

int scr_event_format(const struct scr_event *ev, char *buf, size_t cap)
{
	struct sbuf b = {0};
	if (!ev || (!buf && cap))
		return SCR_EINVAL;
	fmt_event(&b, ev);
	return to_buf(&b, buf, cap);
}

int scr_expr_format(const struct scr_expr *e, char *buf, size_t cap)
{
	struct sbuf b = {0};
	if (!buf && cap)
		return SCR_EINVAL;
	fmt_expr(&b, e);
	return to_buf(&b, buf, cap);
}

/* ---- writing a script -------------------------------------------------------------------- */

static void write_list(struct sbuf *b, const char *tag, char **v, size_t n)
{
	size_t i;
	if (!n)
		return;
	sb_str(b, "// @");
	sb_str(b, tag);
	for (i = 0; i < n; i++) {
		sb_str(b, " ");
		sb_str(b, v[i]);
	}
	sb_str(b, "\n");
}

static void write_meta(struct sbuf *b, const struct scr_meta *m)
{
	size_t i;
	write_list(b, "requirement", m->requirements, m->n_requirements);
	write_list(b, "targets", m->targets, m->n_targets);
	for (i = 0; i < m->n_xfails; i++) {
		sb_str(b, "// @xfail ");
		sb_str(b, m->xfails[i].target);
		sb_str(b, " ");
		sb_str(b, m->xfails[i].reason);
		sb_str(b, "\n");
	}
	for (i = 0; i < m->n_findings; i++) {
		sb_str(b, "// @finding ");
		sb_str(b, m->findings[i].target);
		sb_str(b, " ");
		sb_str(b, m->findings[i].id);
		sb_str(b, "\n");
	}
	if (m->profile) {
		sb_str(b, "// @profile ");
		sb_str(b, m->profile);
		sb_str(b, "\n");
	}
	if (m->n_config) {
		sb_str(b, "// @config");
		for (i = 0; i < m->n_config; i++) {
			sb_str(b, " ");
			sb_str(b, m->config[i].key);
			sb_str(b, "=");
			sb_str(b, m->config[i].value);
		}
		sb_str(b, "\n");
	}
	if (m->families) {
		/* The first family named first: it picks the predefined values. */
		bool v6_first = m->families_first == 6;
		unsigned first = v6_first ? SCR_FAM_IPV6 : SCR_FAM_IPV4;
		unsigned second = v6_first ? SCR_FAM_IPV4 : SCR_FAM_IPV6;
		sb_str(b, "// @family ");
		if (m->families & first)
			sb_str(b, first == SCR_FAM_IPV4 ? "ipv4" : "ipv6");
		if ((m->families & first) && (m->families & second))
			sb_str(b, "|");
		if (m->families & second)
			sb_str(b, second == SCR_FAM_IPV4 ? "ipv4" : "ipv6");
		sb_str(b, "\n");
	}
}

static void write_regen(struct sbuf *b, const struct scr_script *s)
{
	size_t i;
	for (i = 0; i < s->n_options; i++) {
		sb_str(b, "--");
		sb_str(b, s->options[i].key);
		if (s->options[i].value && s->options[i].value[0]) {
			sb_str(b, "=");
			sb_str(b, s->options[i].value);
		}
		sb_str(b, "\n");
	}
	write_meta(b, &s->meta);
	for (i = 0; i < s->n_events; i++) {
		const struct scr_event *ev = &s->events[i];
		if (ev->kind == SCR_EV_SKIP && ev->text)
			sb_str(b, ev->text);
		else
			fmt_event(b, ev);
		sb_str(b, "\n");
	}
}

static void write_source(struct sbuf *b, const struct scr_script *s)
{
	size_t i;
	for (i = 0; i < s->n_events; i++) {
		const struct scr_event *ev = &s->events[i];
		if (ev->lead)
			sb_str(b, ev->lead);
		else if (b->len && b->p[b->len - 1] != '\n')
			sb_str(b, "\n");
		if (ev->text)
			sb_str(b, ev->text);
		else
			fmt_event(b, ev);
	}
	if (s->trailer)
		sb_str(b, s->trailer);
}

int scr_write(const struct scr_script *s, unsigned flags, char **out, size_t *out_len)
{
	struct sbuf b = {0};
	if (!s || !out)
		return SCR_EINVAL;
	sb_add(&b, "", 0);
	if (flags & SCR_WRITE_REGEN)
		write_regen(&b, s);
	else
		write_source(&b, s);
	if (b.oom) {
		free(b.p);
		return SCR_ENOMEM;
	}
	*out = b.p;
	if (out_len)
		*out_len = b.len;
	return 0;
}
