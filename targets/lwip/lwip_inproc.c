/* The in-process `lwip` target: lwip_inproc.h. Each op is the lws_* call
 * that the forked target's process would make for it (lwip_proc.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/init.h>
#include <lwip/priv/tcp_priv.h>
#include <lwip/tcp.h>

#include "targets/lwip/lwip_inproc.h"
#include "targets/lwip/lwip_stack.h"
#include "targets/lwip/lwip_target.h"

static struct tgt inproc = { .ops = &lwip_inproc_target_ops };
static bool busy;
static char last_failure[384]; /* of the instance closed last */

static int li_available(char *why, size_t cap)
{
	(void)why;
	(void)cap;
	return 0;
}

static int li_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	struct lwip_tgt_config lc;
	struct lws_config c;
	int rc = lwip_tgt_config(cfg, &lc, why, cap);
	if (rc != 0)
		return rc;
	if (busy) {
		snprintf(why, cap, "lwip (in-process): one instance at a time");
		return -EBUSY;
	}
	last_failure[0] = '\0';
	rc = lws_reset();
	if (rc != 0) {
		snprintf(why, cap, "lwip (in-process): cannot reset lwIP: %s "
				   "(linked without targets/lwip/port/lwip_state.ld?)",
			 strerror(-rc));
		return rc;
	}
	memset(&c, 0, sizeof c);
	c.family = cfg->family;
	memcpy(c.local, cfg->local_addr, 16);
	memcpy(c.remote, cfg->remote_addr, 16);
	c.seed = cfg->seed;
	c.mtu = lc.mtu;
	c.nodelay = lc.nodelay;
	rc = lws_open(&c);
	if (rc != 0) {
		snprintf(why, cap, "lwIP did not start: %s",
			 lws_failure() ? lws_failure() : strerror(-rc));
		lws_reset();
		return rc == -ENOTSUP ? -EIO : rc;
	}
	busy = true;
	*out = &inproc;
	return 0;
}

static const char *li_version(struct tgt *t)
{
	(void)t;
	return "lwIP " LWIP_VERSION_STRING " (NO_SYS, raw API, in-process, reset per instance)";
}

static int li_inject(struct tgt *t, const uint8_t *pkt, size_t len)
{
	(void)t;
	return lws_inject(pkt, len);
}

static int li_collect(struct tgt *t, uint64_t deadline_us, struct tgt_packet *out)
{
	struct lws_packet p;
	(void)t;
	(void)deadline_us;
	if (lws_pop(&p) != 1)
		return -EAGAIN;
	out->time_us = p.time_us;
	out->bytes = p.bytes;
	out->len = p.len;
	out->rule = NULL;
	return 0;
}

static uint64_t li_now(struct tgt *t)
{
	(void)t;
	return lws_now();
}

static int li_advance(struct tgt *t, uint64_t to_us)
{
	(void)t;
	return lws_advance(to_us);
}

static uint64_t li_next_deadline(struct tgt *t)
{
	(void)t;
	return lws_next_deadline();
}

static int li_call(struct tgt *t, const struct tgt_call *c, struct tgt_result *res)
{
	(void)t;
	memset(res, 0, sizeof *res);
	return lws_call(c, res);
}

static int li_finish(struct tgt *t, struct tgt_result *res)
{
	(void)t;
	memset(res, 0, sizeof *res);
	return lws_finish(res);
}

static int li_state(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		    size_t cap)
{
	(void)t;
	return lws_state(local_port, remote_port, name, cap);
}

static void li_close(struct tgt *t)
{
	if (!t || !busy)
		return;
	if (lws_failure())
		snprintf(last_failure, sizeof last_failure, "%s", lws_failure());
	lws_reset();
	busy = false;
}

const char *lwip_inproc_failure(void)
{
	if (busy)
		return lws_failure();
	return last_failure[0] ? last_failure : NULL;
}

bool lwip_inproc_tcb(uint16_t local_port, uint16_t remote_port, struct lwip_inproc_tcb *out)
{
	const struct tcp_pcb *p;
	if (!busy || lws_failure())
		return false;
	for (p = tcp_active_pcbs; p; p = p->next)
		if (p->local_port == local_port && p->remote_port == remote_port)
			break;
	if (!p || p->state < ESTABLISHED)
		return false;
	out->rcv_nxt = p->rcv_nxt;
	out->rcv_wnd = p->rcv_ann_wnd;
	out->snd_una = p->lastack;
	out->snd_nxt = p->snd_nxt;
	out->snd_wnd = p->snd_wnd;
	return true;
}

const struct tgt_ops lwip_inproc_target_ops = {
	.name = "lwip",
	.description = "lwIP " LWIP_VERSION_STRING " (NO_SYS, raw API), in this process, reset "
		       "per instance (fuzzing)",
	.caps = TGT_CAP_VIRTUAL_TIME | TGT_CAP_SOCKETS | TGT_CAP_STATE | TGT_CAP_IPV4 |
		TGT_CAP_IPV6 | TGT_CAP_ICMP,
	.available = li_available,
	.open = li_open,
	.version = li_version,
	.inject = li_inject,
	.collect = li_collect,
	.now = li_now,
	.advance = li_advance,
	.next_deadline = li_next_deadline,
	.call = li_call,
	.finish = li_finish,
	.state = li_state,
	.close = li_close,
};
