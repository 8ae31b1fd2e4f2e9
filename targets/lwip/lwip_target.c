/* The `lwip` target's ops: the harness side of lwip_target.h. Each call
 * is one request to the instance's lwIP process; every reply carries the
 * clock, the next deadline and the packets lwIP sent, so now(),
 * next_deadline() and collect() need no round trip. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lwip/init.h>

#include "targets/lwip/lwip_proc.h"
#include "targets/lwip/lwip_target.h"
#include "targets/lwip/lwip_wire.h"

#define MAX_QUEUED 4096 /* packets received and not collected */

struct qpkt {
	uint64_t time_us;
	uint8_t *bytes;
	size_t len;
};

struct lwip_tgt {
	struct tgt base;
	int fd; /* to the lwIP process; -1 once it is gone */
	uint64_t now;
	uint64_t deadline;
	bool failed; /* an assertion, or the process died */
	char failure[384];
	struct qpkt q[MAX_QUEUED]; /* a ring */
	size_t q_head, q_len;
	uint8_t *handed; /* the packet collect() handed out last */
	struct wire_out req, rep;
	uint8_t *rdata;		 /* recv() bytes handed to the runner */
	struct tgt_pollfd *pfds; /* the pending call's poll entries */
	size_t npfds;
};

static struct lwip_tgt *lw_of(struct tgt *t)
{
	return (struct lwip_tgt *)t;
}

/* ---- requests --------------------------------------------------------------- */

static void fail(struct lwip_tgt *l, const char *what)
{
	if (!l->failed)
		snprintf(l->failure, sizeof l->failure, "%s", what);
	l->failed = true;
	if (l->fd >= 0)
		close(l->fd);
	l->fd = -1;
}

static void take_packets(struct lwip_tgt *l, struct wire_in *r)
{
	uint32_t i, n = wire_get_u32(r);
	for (i = 0; i < n && !r->bad; i++) {
		uint64_t t = wire_get_u64(r);
		size_t len;
		const uint8_t *b = wire_get_bytes(r, &len);
		struct qpkt *q;
		if (!b || l->q_len == MAX_QUEUED)
			continue; /* the runner reports a flood long before this */
		q = &l->q[(l->q_head + l->q_len) % MAX_QUEUED];
		q->bytes = malloc(len ? len : 1);
		if (!q->bytes)
			continue;
		memcpy(q->bytes, b, len);
		q->len = len;
		q->time_us = t;
		l->q_len++;
	}
}

/* Send l->req, read the reply's common part into `r` (positioned at the
 * op-specific part). Returns the child's rc, or a negative errno of the
 * transport (the target then fails for good). */
static int rpc(struct lwip_tgt *l, struct wire_in *r)
{
	char failure[384];
	int rc;
	if (l->fd < 0)
		return -ENOTRECOVERABLE;
	if (wire_send(l->fd, &l->req) != 0 || wire_recv(l->fd, &l->rep) != 0) {
		fail(l, "the lwIP process died (its report, if any, is on stderr)");
		return -ENOTRECOVERABLE;
	}
	*r = (struct wire_in){.p = l->rep.p, .len = l->rep.len};
	rc = (int)wire_get_u32(r);
	l->now = wire_get_u64(r);
	l->deadline = wire_get_u64(r);
	wire_get_str(r, failure, sizeof failure);
	take_packets(l, r);
	if (r->bad) {
		fail(l, "garbled reply from the lwIP process");
		return -ENOTRECOVERABLE;
	}
	if (failure[0] && !l->failed) {
		snprintf(l->failure, sizeof l->failure, "%s", failure);
		l->failed = true;
	}
	return rc;
}

static void begin(struct lwip_tgt *l, enum wire_op op)
{
	wire_reset(&l->req);
	wire_put_u8(&l->req, (uint8_t)op);
}

/* ---- the ops ----------------------------------------------------------------- */

static int lw_available(char *why, size_t cap)
{
	int rc = lwp_prepare(); /* the zygote, while the harness has one thread */
	if (rc != 0)
		snprintf(why, cap, "cannot start the lwIP process: %s", strerror(-rc));
	return rc;
}

static const char *lw_version(struct tgt *t)
{
	(void)t;
	return "lwIP " LWIP_VERSION_STRING " (NO_SYS, raw API, process per script)";
}

static int lw_inject(struct tgt *t, const uint8_t *pkt, size_t len)
{
	struct lwip_tgt *l = lw_of(t);
	struct wire_in r;
	begin(l, WIRE_INJECT);
	wire_put(&l->req, pkt, len);
	return rpc(l, &r);
}

static int lw_collect(struct tgt *t, uint64_t deadline_us, struct tgt_packet *out)
{
	struct lwip_tgt *l = lw_of(t);
	struct qpkt *q;
	(void)deadline_us;
	free(l->handed);
	l->handed = NULL;
	if (l->q_len == 0)
		return -EAGAIN;
	q = &l->q[l->q_head];
	l->q_head = (l->q_head + 1) % MAX_QUEUED;
	l->q_len--;
	l->handed = q->bytes;
	out->time_us = q->time_us;
	out->bytes = q->bytes;
	out->len = q->len;
	out->rule = NULL;
	return 0;
}

static uint64_t lw_now(struct tgt *t)
{
	return lw_of(t)->now;
}

static int lw_advance(struct tgt *t, uint64_t to_us)
{
	struct lwip_tgt *l = lw_of(t);
	struct wire_in r;
	if (to_us <= l->now && l->deadline > l->now)
		return 0; /* nothing to do: save the round trip */
	begin(l, WIRE_ADVANCE);
	wire_put_u64(&l->req, to_us);
	return rpc(l, &r);
}

static uint64_t lw_next_deadline(struct tgt *t)
{
	return lw_of(t)->deadline;
}

static void read_result(struct lwip_tgt *l, struct wire_in *r, struct tgt_result *res)
{
	size_t n, i, np;
	const uint8_t *d;
	res->ret = (int64_t)wire_get_u64(r);
	res->err = (int)wire_get_u32(r);
	res->ival = (int64_t)wire_get_u64(r);
	res->ival2 = (int64_t)wire_get_u64(r);
	d = wire_get_bytes(r, &n);
	if (d && n) {
		uint8_t *copy = realloc(l->rdata, n);
		if (copy) {
			l->rdata = copy;
			memcpy(copy, d, n);
			res->data = copy;
			res->data_len = n;
		}
	}
	np = wire_get_u32(r);
	for (i = 0; i < np; i++) {
		uint32_t rev = wire_get_u32(r);
		if (i < l->npfds && l->pfds)
			l->pfds[i].revents = rev;
	}
}

static int call_or_finish(struct lwip_tgt *l, struct tgt_result *res)
{
	struct wire_in r;
	int rc = rpc(l, &r);
	memset(res, 0, sizeof *res);
	if (rc == 0)
		read_result(l, &r, res);
	return rc;
}

static int lw_call(struct tgt *t, const struct tgt_call *c, struct tgt_result *res)
{
	struct lwip_tgt *l = lw_of(t);
	l->pfds = c->pfds;
	l->npfds = c->npfds;
	begin(l, WIRE_CALL);
	wire_put_call(&l->req, c);
	return call_or_finish(l, res);
}

static int lw_finish(struct tgt *t, struct tgt_result *res)
{
	struct lwip_tgt *l = lw_of(t);
	begin(l, WIRE_FINISH);
	return call_or_finish(l, res);
}

static int lw_state(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		    size_t cap)
{
	struct lwip_tgt *l = lw_of(t);
	struct wire_in r;
	int rc;
	begin(l, WIRE_STATE);
	wire_put_u16(&l->req, local_port);
	wire_put_u16(&l->req, remote_port);
	rc = rpc(l, &r);
	if (rc == 0)
		wire_get_str(&r, name, cap);
	return rc;
}

static void lw_close(struct tgt *t)
{
	struct lwip_tgt *l = lw_of(t);
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd); /* the process sees EOF and exits */
	while (l->q_len > 0) {
		free(l->q[l->q_head].bytes);
		l->q_head = (l->q_head + 1) % MAX_QUEUED;
		l->q_len--;
	}
	free(l->handed);
	free(l->rdata);
	wire_free(&l->req);
	wire_free(&l->rep);
	free(l);
}

static int lw_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap);

const struct tgt_ops lwip_target_ops = {
	.name = "lwip",
	.description = "lwIP " LWIP_VERSION_STRING " (NO_SYS, raw API), a process per script, "
		       "virtual time",
	.caps = TGT_CAP_VIRTUAL_TIME | TGT_CAP_SOCKETS | TGT_CAP_STATE | TGT_CAP_IPV4 |
		TGT_CAP_IPV6 | TGT_CAP_ICMP,
	.available = lw_available,
	.open = lw_open,
	.version = lw_version,
	.inject = lw_inject,
	.collect = lw_collect,
	.now = lw_now,
	.advance = lw_advance,
	.next_deadline = lw_next_deadline,
	.call = lw_call,
	.finish = lw_finish,
	.state = lw_state,
	.close = lw_close,
};

static int lw_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	struct lwip_tgt_config lc;
	struct lwip_tgt *l;
	struct wire_in r;
	int rc = lwip_tgt_config(cfg, &lc, why, cap);
	if (rc != 0)
		return rc;
	l = calloc(1, sizeof *l);
	if (!l)
		return -ENOMEM;
	l->base.ops = &lwip_target_ops;
	rc = lwp_spawn(&l->fd);
	if (rc != 0) {
		snprintf(why, cap, "cannot start the lwIP process: %s", strerror(-rc));
		free(l);
		return rc;
	}
	begin(l, WIRE_OPEN);
	wire_put_u8(&l->req, cfg->family);
	wire_put(&l->req, cfg->local_addr, 16);
	wire_put(&l->req, cfg->remote_addr, 16);
	wire_put_u64(&l->req, cfg->seed);
	wire_put_u16(&l->req, lc.mtu);
	wire_put_u8(&l->req, lc.nodelay);
	rc = rpc(l, &r);
	if (rc != 0) {
		snprintf(why, cap, "lwIP did not start: %s",
			 l->failed ? l->failure : strerror(-rc));
		lw_close(&l->base);
		return rc == -ENOTSUP ? -EIO : rc;
	}
	*out = &l->base;
	return 0;
}
