/* Actions <-> scripts: the readable form of a finding, and the seed corpus
 * from specs/. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/actions/actions.h"
#include "harness/actions/actions_int.h"
#include "harness/consts.h"
#include "reference/ref_sock.h"

/* ---- a growing text buffer --------------------------------------------------- */

struct text {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			t->oom = true;
			return;
		}
		if (t->p && t->len + (size_t)n < t->cap) {
			t->len += (size_t)n;
			return;
		}
		{
			size_t cap = (t->cap + (size_t)n + 1) * 2;
			char *g = realloc(t->p, cap);
			if (!g) {
				t->oom = true;
				return;
			}
			t->p = g;
			t->cap = cap;
		}
	}
}

/* ---- actions -> script ----------------------------------------------------------- */

struct builder {
	struct text t;
	uint64_t start, prev;
	bool started;
	uint32_t liss;
	bool liss_known;
	uint16_t peer_port;
};

static void put_time(struct builder *b, uint64_t time)
{
	if (!b->started) {
		b->started = true;
		b->start = b->prev = time;
		put(&b->t, "%10s ", "0");
		return;
	}
	if (time == b->prev)
		put(&b->t, "%10s ", "+0");
	else
		put(&b->t, "%+10.6f ", (double)(time - b->prev) / 1e6);
	b->prev = time;
}

static void put_flags(struct text *t, uint8_t f)
{
	static const struct {
		uint8_t bit;
		char c;
	} order[] = { { SEG_FIN, 'F' }, { SEG_SYN, 'S' }, { SEG_RST, 'R' }, { SEG_PSH, 'P' },
		      { SEG_URG, 'U' }, { SEG_ECE, 'E' }, { SEG_CWR, 'W' }, { SEG_ACK, '.' } };
	size_t i;
	if (!f)
		put(t, "-");
	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (f & order[i].bit)
			put(t, "%c", order[i].c);
}

/* Options a script line can say, from the raw bytes; false if some cannot
 * be said (malformed or unknown: the line then carries a comment). */
static bool put_opts(struct text *t, const struct seg_opts *o, uint32_t sack_base)
{
	size_t i = 0, at = t->len;
	bool first = true, ok = true;
	if (!o->len)
		return true;
	put(t, " <");
	while (i < o->len) {
		uint8_t kind = o->raw[i], len = i + 1 < o->len ? o->raw[i + 1] : 0;
		const char *sep = first ? "" : ",";
		if (kind == SEG_OPT_EOL) {
			ok = ok && i + 1 >= o->len; /* garbage after EOL is not sayable */
			break;
		}
		first = false;
		if (kind == SEG_OPT_NOP) {
			put(t, "%snop", sep);
			i++;
			continue;
		}
		if (len < 2 || i + len > o->len) {
			ok = false;
			break;
		}
		if (kind == SEG_OPT_MSS && len == 4)
			put(t, "%smss %u", sep, (unsigned)(o->raw[i + 2] << 8 | o->raw[i + 3]));
		else if (kind == SEG_OPT_WSCALE && len == 3)
			put(t, "%swscale %u", sep, o->raw[i + 2]);
		else if (kind == SEG_OPT_SACK_PERM && len == 2)
			put(t, "%ssackOK", sep);
		else if (kind == SEG_OPT_TS && len == 10)
			put(t, "%sTS val %u ecr %u", sep, o->ts_val, o->ts_ecr);
		else if (kind == SEG_OPT_SACK && (len - 2) % 8 == 0 && len > 2) {
			unsigned k;
			put(t, "%ssack", sep);
			for (k = 0; k < o->sack_count; k++)
				put(t, " %u:%u", o->sack[k].left - sack_base, o->sack[k].right - sack_base);
		} else {
			ok = false;
			first = true; /* nothing written for it */
		}
		i += len;
	}
	if (t->p && t->len == at + 2) {
		t->len = at; /* nothing sayable: no "<>" (the caller adds a comment) */
		t->p[at] = '\0';
		return ok;
	}
	put(t, ">");
	return ok;
}

static void b_in(struct builder *b, const struct fz_rec *r)
{
	const struct seg *s = r->seg;
	uint32_t seq = s->seq - FZ_PEER_ISS;
	bool ok;
	put_time(b, r->time);
	put(&b->t, "< ");
	put_flags(&b->t, s->flags);
	put(&b->t, " %u:%u(%zu)", seq, seq + (uint32_t)s->len, s->len);
	if (s->flags & SEG_ACK)
		put(&b->t, " ack %u", s->ack - (b->liss_known ? b->liss : 0));
	put(&b->t, " win %u", s->wnd);
	if (s->flags & SEG_URG)
		put(&b->t, " urg %u", s->urp);
	if (s->wire.tcp_csum_set)
		put(&b->t, " bad_csum");
	ok = put_opts(&b->t, &s->opts, b->liss);
	if (!ok) {
		size_t i;
		put(&b->t, "  // options on the wire:");
		for (i = 0; i < s->opts.len; i++)
			put(&b->t, " %02x", s->opts.raw[i]);
	}
	put(&b->t, "\n");
}

static void b_out(struct builder *b, const struct fz_rec *r)
{
	const struct seg *s = r->seg;
	uint32_t seq;
	if ((s->flags & SEG_SYN) && !(s->flags & SEG_RST)) {
		b->liss = s->seq;
		b->liss_known = true;
	}
	seq = s->seq - (b->liss_known ? b->liss : 0);
	put_time(b, r->time);
	put(&b->t, "> ");
	put_flags(&b->t, s->flags);
	put(&b->t, " %u:%u(%zu)", seq, seq + (uint32_t)s->len, s->len);
	if (s->flags & SEG_ACK)
		put(&b->t, " ack %u", s->ack - FZ_PEER_ISS);
	if (s->flags & SEG_URG)
		put(&b->t, " urg %u", s->urp);
	if (r->a1 >= 0)
		put(&b->t, "%s  // %s\n", s->opts.len ? " <...>" : "",
		    ref_rule_id((enum ref_rule)r->a1));
	else
		put(&b->t, "%s\n", s->opts.len ? " <...>" : "");
}

static void b_icmp(struct builder *b, const struct fz_rec *r)
{
	const struct seg_icmp *m = r->icmp;
	uint32_t q = m->quoted.seq - (b->liss_known ? b->liss : 0);
	put_time(b, r->time);
	switch (m->kind) {
	case SEG_ICMP_FRAG_NEEDED:
		put(&b->t, "< icmp unreachable frag_needed mtu %u", m->mtu);
		break;
	case SEG_ICMP_TIME_EXCEEDED: put(&b->t, "< icmp time_exceeded ttl_exceeded"); break;
	case SEG_ICMP_PARAM_PROBLEM: put(&b->t, "< icmp parameter_problem"); break;
	case SEG_ICMP_SOURCE_QUENCH: put(&b->t, "< icmp source_quench"); break;
	default: put(&b->t, "< icmp unreachable %u", m->code); break;
	}
	put(&b->t, " [%u:%u(0)]\n", q, q);
}

const char *fz__opt_name(int opt, const char **level)
{
	*level = "SOL_SOCKET";
	switch (opt) {
	case REF_SO_ERROR: return "SO_ERROR";
	case REF_SO_KEEPALIVE: return "SO_KEEPALIVE";
	case REF_SO_RCVBUF: return "SO_RCVBUF";
	case REF_SO_SNDBUF: return "SO_SNDBUF";
	case REF_SO_LINGER: return "SO_LINGER";
	case REF_SO_OOBINLINE: return "SO_OOBINLINE";
	case REF_IP_RECVERR: *level = "IPPROTO_IP"; return "IP_RECVERR";
	default: break;
	}
	*level = "IPPROTO_TCP";
	switch (opt) {
	case REF_TCP_NODELAY: return "TCP_NODELAY";
	case REF_TCP_MAXSEG: return "TCP_MAXSEG";
	case REF_TCP_KEEPIDLE: return "TCP_KEEPIDLE";
	case REF_TCP_KEEPINTVL: return "TCP_KEEPINTVL";
	case REF_TCP_USER_TIMEOUT: return "TCP_USER_TIMEOUT";
	default: return NULL;
	}
}

static void put_ret(struct text *t, long ret)
{
	if (ret >= 0)
		put(t, " = %ld\n", ret);
	else if (ret == -ENOTRECOVERABLE) /* the target executor: the stack failed in it */
		put(t, " = -1 EIO  // the stack under test failed here (an lwIP assertion)\n");
	else
		put(t, " = -1 %s\n", errno_name((int)-ret));
}

static void b_call(struct builder *b, const struct fz_rec *r)
{
	const char *level, *name;
	long ret = r->ret;
	if (r->sys == SCR_SYS_GETSOCKOPT && !fz__opt_name((int)r->a1, &level))
		return; /* TCP_SOFT_ERROR: no script can say it; harmless to leave out */
	put_time(b, r->time);
	switch (r->sys) {
	case SCR_SYS_SOCKET: put(&b->t, "socket(..., SOCK_STREAM, IPPROTO_TCP)"); break;
	case SCR_SYS_FCNTL: put(&b->t, "fcntl(%d, F_SETFL, O_RDWR|O_NONBLOCK)", r->fd); break;
	case SCR_SYS_BIND: put(&b->t, "bind(%d, ..., ...)", r->fd); break;
	case SCR_SYS_LISTEN: put(&b->t, "listen(%d, %lld)", r->fd, (long long)r->a1); break;
	case SCR_SYS_CONNECT: put(&b->t, "connect(%d, ..., ...)", r->fd); break;
	case SCR_SYS_ACCEPT: put(&b->t, "accept(%d, ..., ...)", r->fd); break;
	case SCR_SYS_WRITE: put(&b->t, "write(%d, ..., %lld)", r->fd, (long long)r->a1); break;
	case SCR_SYS_READ: put(&b->t, "read(%d, ..., %lld)", r->fd, (long long)r->a1); break;
	case SCR_SYS_SEND:
		put(&b->t, "send(%d, ..., %lld, MSG_OOB)", r->fd, (long long)r->a1);
		break;
	case SCR_SYS_RECV:
		put(&b->t, "recv(%d, ..., %lld, %s)", r->fd, (long long)r->a1,
		    r->a2 == REF_MSG_OOB ? "MSG_OOB" : "MSG_PEEK");
		break;
	case SCR_SYS_SHUTDOWN:
		put(&b->t, "shutdown(%d, %s)", r->fd,
		    r->a1 == REF_SHUT_RD ? "SHUT_RD" : r->a1 == REF_SHUT_WR ? "SHUT_WR" : "SHUT_RDWR");
		break;
	case SCR_SYS_CLOSE: put(&b->t, "close(%d)", r->fd); break;
	case SCR_SYS_SETSOCKOPT:
		name = fz__opt_name((int)r->a1, &level);
		if (r->a1 == REF_SO_LINGER)
			put(&b->t, "setsockopt(%d, SOL_SOCKET, SO_LINGER, {l_onoff=%lld, l_linger=0}, 8)",
			    r->fd, (long long)r->a2);
		else
			put(&b->t, "setsockopt(%d, %s, %s, [%lld], 4)", r->fd, level,
			    name ? name : "?", (long long)r->a2);
		break;
	case SCR_SYS_GETSOCKOPT:
		name = fz__opt_name((int)r->a1, &level);
		put(&b->t, "getsockopt(%d, %s, %s, [%lld], [4])", r->fd, level, name,
		    (long long)r->a2);
		break;
	default: put(&b->t, "// ?"); break;
	}
	if (r->sys == SCR_SYS_CONNECT && ret == -EINPROGRESS)
		put(&b->t, " = -1 EINPROGRESS (Operation now in progress)\n");
	else
		put_ret(&b->t, ret);
}

static void on_record(void *ctx, const struct fz_rec *r)
{
	struct builder *b = ctx;
	switch (r->kind) {
	case FZ_REC_IN: b_in(b, r); break;
	case FZ_REC_OUT: b_out(b, r); break;
	case FZ_REC_ICMP: b_icmp(b, r); break;
	case FZ_REC_CALL: b_call(b, r); break;
	}
}

static void start(struct builder *b, const char *comment, const char *header)
{
	const char *c = comment;
	memset(b, 0, sizeof *b);
	while (c && *c) {
		const char *nl = strchr(c, '\n');
		size_t len = nl ? (size_t)(nl - c) : strlen(c);
		put(&b->t, "// %.*s\n", (int)len, c);
		c += len + (nl != NULL);
	}
	put(&b->t, "%s", header);
}

int fz_script_build(const struct fz_action *a, size_t n, bool planted, const char *comment,
		    struct scr_script **out)
{
	struct builder b;
	struct fz_exec_config cfg = { .on_record = on_record, .ctx = &b, .planted = planted };
	struct fz_violation v;
	struct scr_diag diag;
	int rc;
	start(&b, comment, "// @targets ref\n--tolerance_usecs=1000\n\n");
	rc = fz_run(a, n, &cfg, &v);
	if (rc < 0 || b.t.oom) {
		free(b.t.p);
		return -ENOMEM;
	}
	rc = scr_parse("<fuzz>", b.t.p, b.t.len, NULL, out, &diag);
	free(b.t.p);
	return rc == 0 ? 0 : rc == SCR_ENOMEM ? -ENOMEM : -EINVAL;
}

struct fz_writer {
	struct builder b;
};

struct fz_writer *fz_writer_new(const char *comment, const char *header)
{
	struct fz_writer *w = malloc(sizeof *w);
	if (w)
		start(&w->b, comment, header ? header : "");
	return w;
}

void fz_writer_record(void *w, const struct fz_rec *r)
{
	on_record(&((struct fz_writer *)w)->b, r);
}

const char *fz_writer_text(const struct fz_writer *w, size_t *len)
{
	if (w->b.t.oom || !w->b.t.p)
		return NULL;
	*len = w->b.t.len;
	return w->b.t.p;
}

void fz_writer_free(struct fz_writer *w)
{
	if (!w)
		return;
	free(w->b.t.p);
	free(w);
}

/* ---- script -> actions ------------------------------------------------------------- */

struct conv {
	struct fz_action *out;
	size_t n, max;
	int64_t now; /* script time of the last action, microseconds */
	int64_t listen_fd;
};

static struct fz_action *add(struct conv *c, enum fz_kind kind)
{
	struct fz_action *a;
	if (c->n == c->max)
		return NULL;
	a = &c->out[c->n++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	return a;
}

static void advance_to(struct conv *c, int64_t t)
{
	while (t > c->now) {
		int64_t d = t - c->now > 0xffffffffll ? 0xffffffffll : t - c->now;
		struct fz_action *a = add(c, FZ_TIME);
		if (!a)
			return;
		a->time_code = 31;
		a->time_us = (uint32_t)d;
		c->now += d;
	}
}

static void verb(struct conv *c, enum fz_verb v, int64_t arg)
{
	struct fz_action *a = add(c, FZ_VERB);
	if (!a)
		return;
	a->verb = v;
	a->arg = arg < 0 ? 0 : arg > 65535 ? 65535 : (uint32_t)arg;
}

static const struct scr_expr *sys_arg(const struct scr_syscall *sc, size_t i)
{
	return i < sc->n_args ? sc->args[i] : NULL;
}

static bool expr_int(const struct scr_expr *e, int64_t *v)
{
	if (e && e->kind == SCR_EXPR_ARRAY && e->n == 1)
		e = e->items[0];
	if (e && e->kind == SCR_EXPR_INT) {
		*v = e->num;
		return true;
	}
	return e && e->kind == SCR_EXPR_WORD && const_lookup(e->str, v);
}

static bool expr_has_word(const struct scr_expr *e, const char *w)
{
	size_t i;
	if (!e)
		return false;
	if ((e->kind == SCR_EXPR_WORD) && strcmp(e->str, w) == 0)
		return true;
	for (i = 0; i < e->n; i++)
		if (expr_has_word(e->items[i], w))
			return true;
	return false;
}

static void conv_setsockopt(struct conv *c, const struct scr_syscall *sc)
{
	const struct scr_expr *name = sys_arg(sc, 2);
	int64_t v = 0;
	const char *n = name && name->kind == SCR_EXPR_WORD ? name->str : "";
	bool have = expr_int(sys_arg(sc, 3), &v);
	if (strcmp(n, "SO_LINGER") == 0) {
		verb(c, FZ_V_LINGER0, 1);
		return;
	}
	if (!have)
		return;
	if (strcmp(n, "TCP_NODELAY") == 0)
		verb(c, FZ_V_NODELAY, v != 0);
	else if (strcmp(n, "SO_KEEPALIVE") == 0)
		verb(c, FZ_V_KEEPALIVE, v != 0);
	else if (strcmp(n, "SO_OOBINLINE") == 0)
		verb(c, FZ_V_OOBINLINE, v != 0);
	else if (strcmp(n, "IP_RECVERR") == 0)
		verb(c, FZ_V_RECVERR, v != 0);
	else if (strcmp(n, "TCP_MAXSEG") == 0)
		verb(c, FZ_V_MAXSEG, (v - 64) / 8);
	else if (strcmp(n, "SO_RCVBUF") == 0)
		verb(c, FZ_V_RCVBUF, v / 256 - 1);
	else if (strcmp(n, "SO_SNDBUF") == 0)
		verb(c, FZ_V_SNDBUF, v / 256 - 1);
	else if (strcmp(n, "TCP_USER_TIMEOUT") == 0)
		verb(c, FZ_V_USER_TIMEOUT, v / 1000);
	else if (strcmp(n, "TCP_KEEPIDLE") == 0)
		verb(c, FZ_V_KEEPIDLE, v - 1);
}

static void conv_syscall(struct conv *c, const struct scr_syscall *sc)
{
	int64_t fd = -1, v = 0;
	const struct scr_expr *flags = sys_arg(sc, 3);
	expr_int(sys_arg(sc, 0), &fd);
	switch (sc->sys) {
	case SCR_SYS_LISTEN:
		c->listen_fd = fd;
		verb(c, FZ_V_LISTEN, expr_int(sys_arg(sc, 1), &v) && v > 0 ? v - 1 : 0);
		break;
	case SCR_SYS_CONNECT: verb(c, FZ_V_CONNECT, 0); break;
	case SCR_SYS_ACCEPT: verb(c, FZ_V_ACCEPT, 0); break;
	case SCR_SYS_WRITE:
	case SCR_SYS_SEND:
		expr_int(sys_arg(sc, 2), &v);
		verb(c, expr_has_word(flags, "MSG_OOB") ? FZ_V_SEND_OOB : FZ_V_SEND, v);
		break;
	case SCR_SYS_READ:
	case SCR_SYS_RECV:
		expr_int(sys_arg(sc, 2), &v);
		verb(c, expr_has_word(flags, "MSG_OOB")	   ? FZ_V_RECV_OOB
			: expr_has_word(flags, "MSG_PEEK") ? FZ_V_RECV_PEEK
							   : FZ_V_RECV,
		     v);
		break;
	case SCR_SYS_SHUTDOWN:
		expr_int(sys_arg(sc, 1), &v);
		verb(c, v == 0 ? FZ_V_SHUT_RD : v == 1 ? FZ_V_SHUT_WR : FZ_V_SHUT_RDWR, 0);
		break;
	case SCR_SYS_CLOSE:
		verb(c, fd == c->listen_fd ? FZ_V_CLOSE_LISTENER : FZ_V_CLOSE, 0);
		break;
	case SCR_SYS_SETSOCKOPT: conv_setsockopt(c, sc); break;
	case SCR_SYS_GETSOCKOPT:
		if (expr_has_word(sys_arg(sc, 2), "SO_ERROR"))
			verb(c, FZ_V_SO_ERROR, 0);
		break;
	default: break;
	}
}

static void conv_opts(const struct scr_packet *p, struct fz_action *a)
{
	struct seg_opts o;
	size_t i;
	seg_opts_clear(&o);
	for (i = 0; i < p->n_opts; i++) {
		const struct scr_opt *x = &p->opts[i];
		struct seg_sack_block b[SCR_MAX_SACK];
		unsigned k;
		switch (x->kind) {
		case SEG_OPT_NOP: seg_opts_add_nop(&o); break;
		case SEG_OPT_EOL: seg_opts_add_eol(&o); break;
		case SEG_OPT_MSS: seg_opts_add_mss(&o, (uint16_t)x->val); break;
		case SEG_OPT_WSCALE: seg_opts_add_wscale(&o, (uint8_t)x->val); break;
		case SEG_OPT_SACK_PERM: seg_opts_add_sack_perm(&o); break;
		case SEG_OPT_TS: seg_opts_add_ts(&o, x->val, x->ecr); break;
		case SEG_OPT_SACK:
			/* Edges stay relative: the local ISS is not known here. */
			for (k = 0; k < x->n_sack; k++) {
				b[k].left = x->sack[k].left;
				b[k].right = x->sack[k].right;
			}
			seg_opts_add_sack(&o, b, x->n_sack);
			break;
		default: break;
		}
	}
	if (!o.len)
		return;
	a->opt_code = 8;
	a->opt[0] = o.len;
	memcpy(a->opt + 1, o.raw, o.len);
	a->opt_n = (uint8_t)(o.len + 1);
}

static void conv_packet(struct conv *c, const struct scr_packet *p)
{
	struct fz_action *a = add(c, FZ_SEG);
	if (!a)
		return;
	a->flags = p->flags;
	a->bad_csum = p->bad_csum;
	a->seq_mode = 7;
	a->seq_arg = (int32_t)p->seq_start;
	a->ack_mode = p->has_ack ? 7 : 6;
	a->ack_arg = p->has_ack ? (int32_t)p->ack : 0;
	a->len = p->len;
	a->len_code = p->len < 200 ? (uint8_t)p->len : 255;
	a->win = p->has_win ? p->win : 65535;
	a->win_code = a->win == 65535 ? 255 : 254;
	a->urp = p->has_urg ? p->urg : 0;
	conv_opts(p, a);
}

static void conv_icmp(struct conv *c, const struct scr_icmp *m)
{
	struct fz_action *a = add(c, FZ_ICMP);
	const char *code = m->code ? m->code : "";
	if (!a)
		return;
	if (strcmp(m->type, "time_exceeded") == 0)
		a->icmp = FZ_I_TIME_EXCEEDED;
	else if (strcmp(m->type, "parameter_problem") == 0)
		a->icmp = FZ_I_PARAM_PROBLEM;
	else if (strcmp(m->type, "source_quench") == 0)
		a->icmp = FZ_I_SOURCE_QUENCH;
	else if (strcmp(m->type, "packet_too_big") == 0 || strcmp(code, "frag_needed") == 0)
		a->icmp = FZ_I_FRAG_NEEDED;
	else if (strcmp(code, "net_unreachable") == 0)
		a->icmp = FZ_I_NET_UNREACH;
	else if (strcmp(code, "host_unreachable") == 0)
		a->icmp = FZ_I_HOST_UNREACH;
	else if (strcmp(code, "protocol_unreachable") == 0)
		a->icmp = FZ_I_PROTO_UNREACH;
	else
		a->icmp = FZ_I_PORT_UNREACH;
	a->quote_mode = m->has_quote ? 7 : 0;
	a->quote_arg = m->has_quote ? (int32_t)m->seq_start : 0;
	a->mtu = m->has_mtu ? (uint16_t)(m->mtu > 65535 ? 65535 : m->mtu) : 68;
}

static int64_t event_time(const struct scr_event *ev, int64_t prev)
{
	switch (ev->time.kind) {
	case SCR_TIME_ABS:
	case SCR_TIME_WINDOW: return ev->time.start_us;
	case SCR_TIME_REL:
	case SCR_TIME_REL_WINDOW: return prev + ev->time.start_us;
	default: return prev;
	}
}

size_t fz_from_script(const struct scr_script *s, struct fz_action *out, size_t max)
{
	struct conv c = { out, 0, max, 0, -1 };
	int64_t prev = 0;
	size_t i;
	for (i = 0; i < s->n_events && c.n < max; i++) {
		const struct scr_event *ev = &s->events[i];
		int64_t t = event_time(ev, prev);
		prev = t;
		if (ev->kind == SCR_EV_SYSCALL && ev->u.sys.blocking)
			prev = ev->u.sys.end_us + (ev->time.kind == SCR_TIME_REL ? t - ev->time.start_us : 0);
		if (ev->kind == SCR_EV_PACKET && ev->u.packet.dir == SCR_IN) {
			advance_to(&c, t);
			conv_packet(&c, &ev->u.packet);
		} else if (ev->kind == SCR_EV_ICMP && ev->u.icmp.dir == SCR_IN) {
			advance_to(&c, t);
			conv_icmp(&c, &ev->u.icmp);
		} else if (ev->kind == SCR_EV_SYSCALL) {
			advance_to(&c, t);
			conv_syscall(&c, &ev->u.sys);
		}
	}
	return c.n;
}
