/* The `agent` target's ops; see agent_target.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "targets/agent/agent_target.h"
#include "targets/agent/agent_tgt.h"
#include "targets/linux/lx_target.h"

#define AG_DEFAULT_TIMEOUT_MS 5000
#define AG_TAP_MTU	      65521 /* the most a TAP takes (65535 less its header) */

static struct ag_tgt *ag_of(struct tgt *t)
{
	return (struct ag_tgt *)t;
}

/* Needs what the Linux target needs: a namespace, a TAP, a packet socket. */
static int ag_available(char *why, size_t cap)
{
	return lx_target_ops.available(why, cap);
}

static const char *ag_version(struct tgt *t)
{
	return ag_of(t)->version;
}

static uint32_t ag_instance_caps(struct tgt *t)
{
	return agent_target_ops.caps | (ag_of(t)->virt ? (uint32_t)TGT_CAP_VIRTUAL_TIME : 0u);
}

static const char *ag_failure(struct tgt *t)
{
	return ag_of(t)->failed ? ag_of(t)->failure : NULL;
}

/* ---- packets and time ---------------------------------------------------------- */

static int ag_inject(struct tgt *t, const uint8_t *pkt, size_t len)
{
	struct ag_tgt *x = ag_of(t);
	int rc;
	if (x->failed)
		return -ENOTRECOVERABLE;
	if (len > AG_FRAME_MAX)
		return -EMSGSIZE;
	rc = lx_cap_send(x->cap, x->ifindex, x->agent_mac, pkt, len);
	if (rc != 0)
		return rc;
	x->frames_sent++;
	return ag_settle(x);
}

static bool have_news(const struct ag_tgt *x)
{
	return x->q_len > 0 || x->done;
}

static uint64_t ag_now(struct tgt *t)
{
	struct ag_tgt *x = ag_of(t);
	return x->virt ? x->vnow : ag_mono_us() - x->t0;
}

static int ag_collect(struct tgt *t, uint64_t deadline_us, struct tgt_packet *out)
{
	struct ag_tgt *x = ag_of(t);
	struct ag_pkt *q;
	free(x->handed);
	x->handed = NULL;
	ag_pump(x, 0, NULL);
	if (x->q_len == 0 && !x->virt && deadline_us > ag_now(t))
		ag_pump(x, x->t0 + deadline_us, have_news);
	if (x->q_len == 0)
		return -EAGAIN;
	q = &x->q[x->q_head];
	x->q_head = (x->q_head + 1) % AG_MAX_QUEUE;
	x->q_len--;
	x->handed = q->bytes;
	out->time_us = ag_frame_time(x, q);
	out->bytes = q->bytes;
	out->len = q->len;
	out->rule = NULL;
	return 0;
}

/* Virtual: the agent moves its clock. Real: wait until then, or less when
 * a packet came or a blocking verb completed (the runner comes back). */
static int ag_advance(struct tgt *t, uint64_t to_us)
{
	struct ag_tgt *x = ag_of(t);
	struct agp_req r;
	if (!x->virt) {
		ag_pump(x, x->t0 + to_us, have_news);
		return x->failed ? -ENOTRECOVERABLE : 0;
	}
	if (to_us <= x->vnow)
		return 0;
	memset(&r, 0, sizeof r);
	r.op = AGP_OP_ADVANCE;
	r.to_us = to_us;
	return ag_request(x, &r);
}

static uint64_t ag_next_deadline(struct tgt *t)
{
	struct ag_tgt *x = ag_of(t);
	return x->virt ? x->vnext : UINT64_MAX;
}

/* ---- verbs and state ------------------------------------------------------------------ */

static int take_result(struct ag_tgt *x, const struct agp_msg *m, const char *verb,
		       struct tgt_result *res)
{
	size_t i;
	memset(res, 0, sizeof *res);
	if (m->unsupported[0])
		return TGT_NOT_MODELLED;
	if (m->failure[0]) {
		ag_fail(x, 0, "the agent could not run %s: %s", verb, m->failure);
		return -ENOTRECOVERABLE;
	}
	res->ret = m->ret;
	res->err = m->ret == -1 ? m->err : 0;
	res->ival = m->ival;
	res->ival2 = m->ival2;
	if (m->data_len) {
		uint8_t *copy = realloc(x->rdata, m->data_len);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, m->data, m->data_len);
		x->rdata = copy;
		res->data = copy;
		res->data_len = m->data_len;
	}
	for (i = 0; i < m->nrevents && i < x->npfds && x->pfds; i++)
		x->pfds[i].revents = m->revents[i];
	return 0;
}

static int ag_call(struct tgt *t, const struct tgt_call *c, struct tgt_result *res)
{
	struct ag_tgt *x = ag_of(t);
	struct agp_req r;
	int rc;
	memset(&r, 0, sizeof r);
	r.op = AGP_OP_CALL;
	r.call = *c;
	x->pending = x->done = false;
	x->pfds = c->pfds;
	x->npfds = c->npfds;
	rc = ag_request(x, &r);
	if (rc != 0)
		return rc;
	if (x->got_pending) {
		x->pending = true;
		x->pending_id = r.id;
		return -EINPROGRESS;
	}
	return take_result(x, &x->reply, agp_verb_name(c->verb), res);
}

static int ag_finish(struct tgt *t, struct tgt_result *res)
{
	struct ag_tgt *x = ag_of(t);
	int rc;
	if (!x->pending)
		return -EINVAL;
	ag_pump(x, 0, NULL);
	if (x->failed)
		return -ENOTRECOVERABLE;
	if (!x->done)
		return -EINPROGRESS;
	x->pending = false;
	rc = take_result(x, &x->done_msg, "a blocking verb", res);
	return rc == TGT_NOT_MODELLED ? -EIO : rc;
}

static int ag_state(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		    size_t cap)
{
	struct ag_tgt *x = ag_of(t);
	struct agp_req r;
	int rc;
	if (!(x->hello.caps & AGP_CAP_STATE))
		return TGT_NOT_MODELLED;
	memset(&r, 0, sizeof r);
	r.op = AGP_OP_STATE;
	r.local_port = local_port;
	r.remote_port = remote_port;
	rc = ag_request(x, &r);
	if (rc == 0 && x->got_pending) {
		ag_fail(x, 0, "protocol error: \"pending\" for a state query");
		return -ENOTRECOVERABLE;
	}
	if (rc != 0)
		return rc;
	if (x->reply.unsupported[0])
		return TGT_NOT_MODELLED;
	if (!x->reply.state[0]) {
		ag_fail(x, 0, "protocol error: a state reply without \"state\"");
		return -ENOTRECOVERABLE;
	}
	snprintf(name, cap, "%s", x->reply.state);
	return 0;
}

static void ag_close(struct tgt *t)
{
	struct ag_tgt *x = ag_of(t);
	if (!x)
		return;
	ag_proc_stop(&x->proc);
	if (x->cap >= 0)
		close(x->cap);
	if (x->nl)
		nl_socket_free(x->nl);
	if (x->ns >= 0)
		close(x->ns); /* the last hold: the namespace and its TAP go */
	while (x->q_len > 0) {
		free(x->q[x->q_head].bytes);
		x->q_head = (x->q_head + 1) % AG_MAX_QUEUE;
		x->q_len--;
	}
	agp_msg_clear(&x->reply);
	agp_msg_clear(&x->done_msg);
	free(x->handed);
	free(x->rdata);
	free(x->times);
	free(x->in);
	free(x);
}

/* ---- opening ------------------------------------------------------------------------------ */

static int ag_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap);

const struct tgt_ops agent_target_ops = {
	.name = "agent",
	.description = "any stack as a program behind a TAP device, driven over the agent "
		       "protocol (--agent-cmd), real time or the agent's virtual clock",
	.caps = TGT_CAP_SOCKETS | TGT_CAP_STATE | TGT_CAP_IPV4 | TGT_CAP_IPV6 | TGT_CAP_ICMP,
	.available = ag_available,
	.open = ag_open,
	.version = ag_version,
	.inject = ag_inject,
	.collect = ag_collect,
	.now = ag_now,
	.advance = ag_advance,
	.next_deadline = ag_next_deadline,
	.call = ag_call,
	.finish = ag_finish,
	.state = ag_state,
	.close = ag_close,
	.instance_caps = ag_instance_caps,
	.failure = ag_failure,
};

/* The TAP, persistent so that the agent can attach to it by name; it goes
 * with the namespace. */
static int make_tap(char *why, size_t cap)
{
	int fd = -1, rc;
	ag_proc_lock(); /* no agent being started may hold a copy of fd */
	rc = lx_tap_open(LX_IFNAME, &fd, why, cap);
	if (rc == 0 && ioctl(fd, TUNSETPERSIST, 1) != 0) {
		rc = -errno;
		snprintf(why, cap, "cannot make %s persistent: %s", LX_IFNAME, strerror(-rc));
	}
	if (fd >= 0)
		close(fd);
	ag_proc_unlock();
	return rc;
}

/* Inside the new namespace: the TAP up without addresses, the capture
 * socket, the agent. */
static int setup_in_ns(struct ag_tgt *x, const struct tgt_config *cfg, char *why, size_t cap)
{
	/* IPv6 off on interfaces created from now on: no link-local
	 * address, no MLD or router solicitations from the kernel. */
	int rc = lx_sysctl_write("net.ipv6.conf.default.disable_ipv6", "1");
	if (rc != 0 && rc != -ENOENT) {
		snprintf(why, cap, "cannot disable IPv6 on new interfaces: %s", strerror(-rc));
		return rc;
	}
	rc = make_tap(why, cap);
	if (rc == 0 && (rc = lx_nl_open(&x->nl)) != 0)
		snprintf(why, cap, "cannot open rtnetlink: %s", strerror(-rc));
	if (rc == 0 && ((rc = lx_link_up(x->nl, LX_IFNAME, AG_TAP_MTU)) != 0 ||
			(rc = lx_link_info(x->nl, LX_IFNAME, &x->ifindex, x->peer_mac)) != 0))
		snprintf(why, cap, "cannot bring %s up: %s", LX_IFNAME, strerror(-rc));
	if (rc == 0 && (rc = lx_cap_open(x->ifindex, false, &x->cap)) != 0)
		snprintf(why, cap, "cannot open a packet socket: %s", strerror(-rc));
	if (rc == 0)
		rc = ag_proc_start(&x->proc, cfg->agent_cmd, LX_IFNAME, why, cap);
	if (rc == 0)
		fcntl(x->proc.ctl, F_SETFL, O_NONBLOCK);
	return rc;
}

static bool hello_in(const struct ag_tgt *x)
{
	return x->have_hello;
}

/* The hello, and the agent on the TAP (its carrier up). */
static int meet(struct ag_tgt *x, const struct tgt_config *cfg, char *why, size_t cap)
{
	int rc = ag_pump(x, ag_mono_us() + x->timeout_us, hello_in);
	if (rc == -ETIMEDOUT)
		ag_fail(x, 0, "no hello from the agent in %.1f s", (double)x->timeout_us / 1e6);
	if (x->failed) {
		snprintf(why, cap, "%s", x->failure);
		return -EIO;
	}
	memcpy(x->agent_mac, x->hello.mac, 6);
	x->virt = x->hello.virtual_clock;
	if (!(x->hello.caps & (cfg->family == 6 ? AGP_CAP_IPV6 : AGP_CAP_IPV4))) {
		snprintf(why, cap, "agent %s does not do IPv%d (the caps of its hello)",
			 x->hello.name, cfg->family);
		return -ENOTSUP;
	}
	rc = lx_link_wait_up(x->nl, LX_IFNAME, x->timeout_us);
	if (rc != 0) {
		ag_fail(x, 0, "the agent did not attach to %s (its carrier stayed down): %s",
			LX_IFNAME, strerror(-rc));
		snprintf(why, cap, "%s", x->failure);
		return -EIO;
	}
	return 0;
}

static int send_open(struct ag_tgt *x, const struct tgt_config *cfg, char *why, size_t cap)
{
	struct agp_req r;
	int rc;
	memset(&r, 0, sizeof r);
	r.op = AGP_OP_OPEN;
	r.open.family = cfg->family == 6 ? 6 : 4;
	r.open.v4_mapped = cfg->v4_mapped;
	memcpy(r.open.local, cfg->local_addr, 16);
	memcpy(r.open.remote, cfg->remote_addr, 16);
	memcpy(r.open.peer_mac, x->peer_mac, 6);
	r.open.seed = cfg->seed;
	r.open.config = cfg->settings;
	r.open.nconfig = cfg->nsettings;
	rc = ag_request(x, &r);
	if (rc == 0 && x->got_pending)
		ag_fail(x, 0, "protocol error: \"pending\" for open");
	if (x->failed || rc != 0) {
		snprintf(why, cap, "%s", x->failed ? x->failure : strerror(-rc));
		return x->failed ? -EIO : rc;
	}
	if (x->reply.unsupported[0]) {
		snprintf(why, cap, "%s", x->reply.unsupported);
		return -ENOTSUP;
	}
	if (x->reply.failure[0] || x->reply.ret != 0) {
		snprintf(why, cap, "the agent could not open: %s",
			 x->reply.failure[0] ? x->reply.failure : agp_errno_name(x->reply.err));
		return -EIO;
	}
	return 0;
}

static struct ag_tgt *ag_new(const struct tgt_config *cfg)
{
	struct ag_tgt *x = calloc(1, sizeof *x);
	if (!x)
		return NULL;
	x->times = calloc(AG_MAX_TIMES, sizeof *x->times);
	if (!x->times) {
		free(x);
		return NULL;
	}
	x->base.ops = &agent_target_ops;
	x->family = cfg->family == 6 ? 6 : 4;
	memcpy(x->local, cfg->local_addr, 16);
	memcpy(x->remote, cfg->remote_addr, 16);
	x->ns = x->cap = -1;
	x->proc.pid = -1;
	x->proc.ctl = x->proc.out = -1;
	x->vnext = UINT64_MAX;
	x->timeout_us =
		(uint64_t)(cfg->agent_timeout_ms ? cfg->agent_timeout_ms : AG_DEFAULT_TIMEOUT_MS) *
		1000u;
	return x;
}

static int ag_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	struct ag_tgt *x;
	int orig = -1, rc;
	if (!cfg->agent_cmd || !cfg->agent_cmd[0]) {
		snprintf(why, cap, "the agent target needs --agent-cmd 'PROGRAM ... {dev}'");
		return -EINVAL;
	}
	x = ag_new(cfg);
	if (!x)
		return -ENOMEM;
	rc = lx_ns_create(&orig, &x->ns, why, cap);
	if (rc == 0)
		rc = setup_in_ns(x, cfg, why, cap);
	lx_ns_leave(orig);
	x->real_off = (int64_t)lx_clock_us(CLOCK_REALTIME) - (int64_t)lx_clock_us(CLOCK_MONOTONIC);
	x->t0 = ag_mono_us();
	if (rc == 0)
		rc = meet(x, cfg, why, cap);
	if (rc == 0)
		rc = send_open(x, cfg, why, cap);
	if (rc != 0) {
		ag_close(&x->base);
		return rc;
	}
	snprintf(x->version, sizeof x->version, "%s%s%s (agent, %s clock)", x->hello.name,
		 x->hello.version[0] ? " " : "", x->hello.version, x->virt ? "virtual" : "real");
	x->t0 = ag_mono_us();
	*out = &x->base;
	return 0;
}
