/* Syscall lines in the runner: script arguments become a target verb
 * (targets/target.h), and the verb's result is checked against the
 * script's `= value [ERRNO]`. Script descriptors are mapped to the
 * target's own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "harness/consts.h"
#include "harness/run_int.h"

/* ---- arguments ----------------------------------------------------------------- */

/* The integer value of an expression: numbers, constant names, `A|B`, and a
 * one-element array `[N]` (how packetdrill passes option values). Returns
 * false for `...` and anything else. */
static bool expr_int(const struct scr_expr *e, int64_t *out)
{
	size_t i;
	int64_t v, acc = 0;
	if (!e)
		return false;
	switch (e->kind) {
	case SCR_EXPR_INT:
		*out = e->num;
		return true;
	case SCR_EXPR_WORD:
		/* A constant, or an errno name as a value (SO_ERROR's
		 * `[ECONNREFUSED]`). */
		if (const_lookup(e->str, out))
			return true;
		*out = errno_from_name(e->str);
		return *out != 0;
	case SCR_EXPR_OR:
		for (i = 0; i < e->n; i++) {
			if (!expr_int(e->items[i], &v))
				return false;
			acc |= v;
		}
		*out = acc;
		return true;
	case SCR_EXPR_ARRAY:
		return e->n == 1 && expr_int(e->items[0], out);
	default:
		return false;
	}
}

static const struct scr_expr *arg(const struct scr_syscall *sc, size_t i)
{
	return i < sc->n_args ? sc->args[i] : NULL;
}

static bool arg_int(const struct scr_syscall *sc, size_t i, int64_t *out)
{
	return expr_int(arg(sc, i), out);
}

/* A symbolic argument ("SOL_SOCKET", "MSG_OOB|MSG_PEEK", "0") as text. */
static void arg_text(const struct scr_syscall *sc, size_t i, char *buf, size_t cap)
{
	const struct scr_expr *e = arg(sc, i);
	buf[0] = '\0';
	if (e)
		scr_expr_format(e, buf, cap);
}

/* A struct member `{name=value}` of an expression, as an int. */
static bool member_int(const struct scr_expr *e, const char *name, int64_t *out)
{
	size_t i;
	if (e && e->kind == SCR_EXPR_ARRAY && e->n == 1)
		e = e->items[0];
	if (!e || e->kind != SCR_EXPR_STRUCT)
		return false;
	for (i = 0; i < e->n; i++) {
		const struct scr_expr *f = e->items[i];
		if (f->kind == SCR_EXPR_FIELD && f->n == 2 && f->items[0]->kind == SCR_EXPR_WORD &&
		    strcmp(f->items[0]->str, name) == 0)
			return expr_int(f->items[1], out);
	}
	return false;
}

/* ---- descriptors ---------------------------------------------------------------- */

int run_target_fd(const struct runner *rn, int64_t script_fd)
{
	if (script_fd < 0 || script_fd >= RUN_MAX_FDS)
		return -1;
	return rn->fds[script_fd];
}

static void map_fd(struct runner *rn, int64_t script_fd, int64_t target_fd)
{
	if (script_fd >= 0 && script_fd < RUN_MAX_FDS)
		rn->fds[script_fd] = (int)target_fd;
}

/* ---- building the verb ---------------------------------------------------------- */

static enum tgt_verb verb_of(enum scr_sys sys)
{
	static const enum tgt_verb verbs[SCR_SYS_COUNT] = {
		[SCR_SYS_SOCKET] = TGT_SOCKET,	   [SCR_SYS_BIND] = TGT_BIND,
		[SCR_SYS_LISTEN] = TGT_LISTEN,	   [SCR_SYS_ACCEPT] = TGT_ACCEPT,
		[SCR_SYS_CONNECT] = TGT_CONNECT,   [SCR_SYS_WRITE] = TGT_SEND,
		[SCR_SYS_SEND] = TGT_SEND,	   [SCR_SYS_READ] = TGT_RECV,
		[SCR_SYS_RECV] = TGT_RECV,	   [SCR_SYS_SHUTDOWN] = TGT_SHUTDOWN,
		[SCR_SYS_CLOSE] = TGT_CLOSE,	   [SCR_SYS_SETSOCKOPT] = TGT_SETSOCKOPT,
		[SCR_SYS_GETSOCKOPT] = TGT_GETSOCKOPT, [SCR_SYS_FCNTL] = TGT_FCNTL,
		[SCR_SYS_IOCTL] = TGT_IOCTL,	   [SCR_SYS_POLL] = TGT_POLL,
	};
	return verbs[sys];
}

static const uint8_t zeros[1 << 20];

static int build_poll(struct runner *rn, const struct scr_syscall *sc, struct tgt_call *c,
		      struct call_buf *b)
{
	const struct scr_expr *a = arg(sc, 0);
	size_t i;
	int64_t v;
	if (!a || a->kind != SCR_EXPR_ARRAY || a->n > 16)
		return -EINVAL;
	for (i = 0; i < a->n; i++) {
		if (!member_int(a->items[i], "fd", &v))
			return -EINVAL;
		b->pfds[i].fd = run_target_fd(rn, v);
		b->pfds[i].events = member_int(a->items[i], "events", &v) ? (uint32_t)v : 0;
	}
	c->pfds = b->pfds;
	c->npfds = a->n;
	c->timeout_ms = arg_int(sc, 2, &v) ? v : 0;
	return 0;
}

static int build_sockopt(const struct scr_syscall *sc, struct tgt_call *c, struct call_buf *b)
{
	int64_t v;
	arg_text(sc, 1, b->level, sizeof b->level);
	arg_text(sc, 2, b->name, sizeof b->name);
	c->level = b->level;
	c->name = b->name;
	if (member_int(arg(sc, 3), "l_onoff", &v)) {
		c->ival = v;
		c->ival2 = member_int(arg(sc, 3), "l_linger", &v) ? v : 0;
	} else if (arg_int(sc, 3, &v)) {
		c->ival = v;
	}
	return 0;
}

static int build_call(struct runner *rn, const struct scr_syscall *sc, struct tgt_call *c,
		      struct call_buf *b)
{
	int64_t v = 0;
	memset(c, 0, sizeof *c);
	c->verb = verb_of(sc->sys);
	if (sc->sys != SCR_SYS_SOCKET && sc->sys != SCR_SYS_POLL) {
		if (!arg_int(sc, 0, &v) || run_target_fd(rn, v) < 0)
			c->fd = -1 - (int)(v < 0 ? 0 : v); /* an fd the target never gave */
		else
			c->fd = run_target_fd(rn, v);
	}
	switch (sc->sys) {
	case SCR_SYS_SOCKET:
		c->domain = rn->c.family == 6 || rn->v4_mapped ? AF_INET6 : AF_INET;
		c->type = arg_int(sc, 1, &v) ? (int)v : SOCK_STREAM;
		c->protocol = arg_int(sc, 2, &v) ? (int)v : 0;
		break;
	case SCR_SYS_BIND:
		c->port = RUN_BIND_PORT;
		break;
	case SCR_SYS_CONNECT:
		c->port = rn->c.remote_port;
		break;
	case SCR_SYS_LISTEN:
		c->backlog = arg_int(sc, 1, &v) ? (int)v : 1;
		break;
	case SCR_SYS_SHUTDOWN:
		c->how = arg_int(sc, 1, &v) ? (int)v : SHUT_RDWR;
		break;
	case SCR_SYS_WRITE:
	case SCR_SYS_SEND:
	case SCR_SYS_READ:
	case SCR_SYS_RECV:
		if (!arg_int(sc, 2, &v) || v < 0 || v > (int64_t)sizeof zeros)
			return -EINVAL;
		c->len = (size_t)v;
		c->data = zeros;
		arg_text(sc, 3, b->flags, sizeof b->flags);
		c->flags = b->flags;
		break;
	case SCR_SYS_SETSOCKOPT:
	case SCR_SYS_GETSOCKOPT:
		return build_sockopt(sc, c, b);
	case SCR_SYS_FCNTL:
		arg_text(sc, 1, b->name, sizeof b->name);
		c->name = b->name;
		c->ival = arg_int(sc, 2, &v) ? v : 0;
		break;
	case SCR_SYS_IOCTL:
		arg_text(sc, 1, b->name, sizeof b->name);
		c->name = b->name;
		break;
	case SCR_SYS_POLL:
		return build_poll(rn, sc, c, b);
	case SCR_SYS_ACCEPT:
	case SCR_SYS_CLOSE:
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

/* ---- checking the result --------------------------------------------------------- */

static void result_text(const struct tgt_result *res, char *buf, size_t cap)
{
	if (res->ret == -1)
		snprintf(buf, cap, "-1 %s (%s)", errno_name(res->err), strerror(res->err));
	else
		snprintf(buf, cap, "%lld", (long long)res->ret);
}

static void check_return(struct runner *rn, const struct scr_event *ev,
			 const struct tgt_result *res)
{
	const struct scr_ret *want = &ev->u.sys.ret;
	char got[96], exp[96];
	int64_t v;
	bool ok = true;
	if (want->kind == SCR_RET_ANY)
		return;
	if (want->kind == SCR_RET_INT)
		v = want->value;
	else if (!expr_int(want->expr, &v))
		return; /* an expression we cannot evaluate: not checked */
	ok = res->ret == v;
	/* A descriptor is the script's name for the target's own (mapped in
	 * track_fds), as in packetdrill: any descriptor matches. */
	if ((ev->u.sys.sys == SCR_SYS_SOCKET || ev->u.sys.sys == SCR_SYS_ACCEPT) && v >= 0)
		ok = res->ret >= 0;
	if (ok && want->err && res->ret == -1)
		ok = errno_from_name(want->err) == res->err;
	if (ok)
		return;
	result_text(res, got, sizeof got);
	if (want->err)
		snprintf(exp, sizeof exp, "%lld %s", (long long)v, want->err);
	else
		snprintf(exp, sizeof exp, "%lld", (long long)v);
	run_mismatch(rn, ev, "return", exp, got, NULL, "%s returned %s, expected %s",
		     ev->u.sys.name, got, exp);
}

/* getsockopt / ioctl / poll write values back; the script states them. */
static void check_outputs(struct runner *rn, const struct scr_event *ev,
			  const struct tgt_result *res, const struct tgt_call *c)
{
	const struct scr_syscall *sc = &ev->u.sys;
	int64_t want;
	char a[32], b[32];
	size_t idx = sc->sys == SCR_SYS_GETSOCKOPT ? 3 : sc->sys == SCR_SYS_IOCTL ? 2 : 99;
	if (res->ret < 0)
		return;
	if (idx != 99 && arg_int(sc, idx, &want) && want != res->ival) {
		snprintf(a, sizeof a, "%lld", (long long)want);
		snprintf(b, sizeof b, "%lld", (long long)res->ival);
		run_mismatch(rn, ev, "value", a, b, NULL, "%s wrote %s, expected %s", sc->name, b,
			     a);
	}
	if (sc->sys == SCR_SYS_POLL && c) {
		const struct scr_expr *arr = arg(sc, 0);
		size_t i;
		for (i = 0; arr && i < c->npfds && i < arr->n; i++) {
			if (!member_int(arr->items[i], "revents", &want) ||
			    (uint32_t)want == c->pfds[i].revents)
				continue;
			snprintf(a, sizeof a, "0x%llx", (unsigned long long)want);
			snprintf(b, sizeof b, "0x%x", c->pfds[i].revents);
			run_mismatch(rn, ev, "revents", a, b, NULL,
				     "poll revents for entry %zu: %s, expected %s", i, b, a);
		}
	}
}

/* Record what the call created or released. */
static void track_fds(struct runner *rn, const struct scr_event *ev,
		      const struct tgt_result *res)
{
	const struct scr_syscall *sc = &ev->u.sys;
	int64_t script_fd;
	if (res->ret < 0)
		return;
	if ((sc->sys == SCR_SYS_SOCKET || sc->sys == SCR_SYS_ACCEPT) &&
	    sc->ret.kind == SCR_RET_INT)
		map_fd(rn, sc->ret.value, res->ret);
	if (sc->sys == SCR_SYS_BIND)
		rn->c.local_port = RUN_BIND_PORT;
	if (sc->sys == SCR_SYS_CLOSE && arg_int(sc, 0, &script_fd))
		map_fd(rn, script_fd, -1);
}

void run_check_result(struct runner *rn, const struct scr_event *ev,
		      const struct tgt_result *res)
{
	if (rn->o->on_result)
		rn->o->on_result(rn->o->hook_arg, (size_t)(ev - rn->s->events), res);
	check_return(rn, ev, res);
	check_outputs(rn, ev, res, ev->u.sys.sys == SCR_SYS_POLL ? &rn->call : NULL);
	track_fds(rn, ev, res);
}

/* ---- running it ------------------------------------------------------------------ */

static void set_pending(struct runner *rn, const struct scr_event *ev, int64_t start)
{
	const struct scr_syscall *sc = &ev->u.sys;
	int64_t base = 0;
	if (ev->time.kind == SCR_TIME_REL || ev->time.kind == SCR_TIME_REL_WINDOW)
		base = start - ev->time.start_us;
	rn->pending.active = true;
	rn->pending.ev = ev;
	if (sc->blocking) {
		rn->pending.end_lo = rn->pending.end_hi = base + sc->end_us;
	} else {
		rn->pending.end_lo = rn->pending.end_hi = start;
	}
}

void run_syscall(struct runner *rn, const struct scr_event *ev, int64_t start)
{
	const struct scr_syscall *sc = &ev->u.sys;
	struct tgt_result res;
	int rc;
	if (rn->pending.active) {
		run_mismatch(rn, ev, "call", NULL, NULL, NULL,
			     "%s starts while blocking %s (line %d) has not returned", sc->name,
			     rn->pending.ev->u.sys.name, rn->pending.ev->line);
		rn->stop = true;
		return;
	}
	if (build_call(rn, sc, &rn->call, &rn->call_buf) != 0) {
		run_mismatch(rn, ev, "call", NULL, NULL, NULL, "cannot map the arguments of %s",
			     sc->name);
		rn->stop = true;
		return;
	}
	memset(&res, 0, sizeof res);
	rc = rn->t->ops->call(rn->t, &rn->call, &res);
	if (rc == -EINPROGRESS) {
		set_pending(rn, ev, start);
		return;
	}
	if (rc == TGT_NOT_MODELLED) {
		char what[96];
		const struct scr_expr *name = arg(sc, sc->sys == SCR_SYS_IOCTL ? 1 : 2);
		what[0] = '\0';
		if (name && (sc->sys == SCR_SYS_SETSOCKOPT || sc->sys == SCR_SYS_GETSOCKOPT ||
			     sc->sys == SCR_SYS_IOCTL))
			scr_expr_format(name, what, sizeof what);
		snprintf(rn->skip_reason, sizeof rn->skip_reason,
			 "line %d: target %s does not model %s%s%s", ev->line,
			 rn->o->target->name, sc->name, what[0] ? " " : "", what);
		rn->stop = true;
		return;
	}
	if (rc != 0 && run_target_failed(rn))
		return;
	if (rc != 0) {
		run_mismatch(rn, ev, "call", NULL, NULL, NULL, "the target could not run %s: %s",
			     sc->name, strerror(-rc));
		rn->stop = true;
		return;
	}
	if (sc->blocking) {
		/* It returned at once, but the script says it blocks. */
		set_pending(rn, ev, start);
		rn->pending.active = false;
		if ((int64_t)run_now(rn) < rn->pending.end_lo - rn->tol)
			run_mismatch(rn, ev, "time", NULL, NULL, NULL,
				     "%s returned at once; the script expects it to block "
				     "until %.6f s",
				     sc->name, (double)rn->pending.end_lo / 1e6);
	}
	run_check_result(rn, ev, &res);
	run_collect(rn);
}
