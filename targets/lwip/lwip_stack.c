/* lwIP, its netif and its clock; see lwip_stack.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lwip/init.h>
#include <lwip/sys.h>
#include <tc_lwip_hooks.h>
#include <lwip/ip.h>
#include <lwip/netif.h>
#include <lwip/pbuf.h>
#include <lwip/priv/tcp_priv.h>
#include <lwip/tcp.h>
#include <lwip/timeouts.h>

#include "targets/lwip/lwip_int.h"

struct lws lws_g;

/* ---- platform functions (arch/cc.h, sys.h, hooks) ------------------------ */

void tc_lwip_assert(const char *msg, const char *file, int line)
{
	/* From lwIP's own src/ (the last one in the path): a stable text. */
	const char *base = NULL, *p;
	for (p = strstr(file, "/src/"); p; p = strstr(p + 1, "/src/"))
		base = p;
	char text[512];
	int n;
	if (!lws_g.failed) {
		lws_g.failed = true;
		/* Some of lwIP's messages end in "\n": one line, for signatures. */
		int len = (int)strcspn(msg, "\n");
		snprintf(lws_g.failure, sizeof lws_g.failure,
			 "lwIP assertion \"%.*s\" failed at %s:%d", len, msg,
			 base ? base + 1 : file, line);
		n = snprintf(text, sizeof text, "tcpcheck: lwip: %s\n", lws_g.failure);
		if (n > 0 && write(STDERR_FILENO, text, (size_t)n) < 0)
			lws_g.failed = true; /* nothing more to do */
	}
	if (lws_g.guard)
		longjmp(*lws_g.guard, 1);
	/* No guard: lwIP was entered outside an lws_* call. Cannot happen;
	 * stop this process (never the harness: it is a child). */
	_exit(70);
}

u32_t sys_now(void)
{
	return (u32_t)(lws_g.now_us / 1000u);
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

uint32_t tc_lwip_rand(void)
{
	lws_g.rand_state += 0x9e3779b97f4a7c15ull;
	return (uint32_t)(mix64(lws_g.rand_state) >> 32);
}

static uint64_t hash_addr(const ip_addr_t *a)
{
	uint64_t h = 0;
	if (IP_IS_V6(a)) {
		size_t i;
		for (i = 0; i < 4; i++)
			h = mix64(h ^ ip_2_ip6(a)->addr[i]);
	} else {
		h = mix64(ip_2_ip4(a)->addr);
	}
	return h;
}

/* A keyed hash of the connection's identity (RFC 9293 §3.4.1's shape
 * without the clock: the seed makes a run repeatable). */
u32_t tc_lwip_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
		  u16_t remote_port)
{
	uint64_t h = mix64(lws_g.cfg.seed ^ 0x6c77697069736e00ull); /* "lwipisn" */
	h = mix64(h ^ hash_addr(local_ip));
	h = mix64(h ^ hash_addr(remote_ip));
	h = mix64(h ^ ((uint64_t)local_port << 16 | remote_port));
	return (u32_t)h;
}

/* ---- the netif ------------------------------------------------------------------- */

#define LWS_MAX_OUT 4096 /* packets sent and not taken: bounded */

struct out_pkt {
	uint64_t time_us;
	uint8_t *bytes;
	size_t len;
};

static struct netif nif;
static struct out_pkt outq[LWS_MAX_OUT];
static size_t out_head, out_len;
static uint8_t *popped; /* the last packet handed out */
static bool pristine;	/* lws_reset() done, and lwIP has not run since */

static err_t nif_output_pbuf(struct pbuf *p)
{
	struct out_pkt *o;
	if (out_len == LWS_MAX_OUT)
		return ERR_MEM; /* the harness stopped taking packets */
	o = &outq[(out_head + out_len) % LWS_MAX_OUT];
	o->bytes = malloc(p->tot_len ? p->tot_len : 1);
	if (!o->bytes)
		return ERR_MEM;
	o->len = pbuf_copy_partial(p, o->bytes, p->tot_len, 0);
	o->time_us = lws_g.now_us;
	out_len++;
	return ERR_OK;
}

static err_t nif_output4(struct netif *netif, struct pbuf *p, const ip4_addr_t *next_hop)
{
	(void)netif;
	(void)next_hop;
	return nif_output_pbuf(p);
}

static err_t nif_output6(struct netif *netif, struct pbuf *p, const ip6_addr_t *next_hop)
{
	(void)netif;
	(void)next_hop;
	return nif_output_pbuf(p);
}

static err_t nif_init(struct netif *netif)
{
	netif->name[0] = 't';
	netif->name[1] = 'c';
	netif->mtu = lws_g.cfg.mtu;
	netif->output = nif_output4;
	netif->output_ip6 = nif_output6;
	netif->flags = 0; /* point to point: no ARP, no broadcast */
	return ERR_OK;
}

static void set_ip(ip_addr_t *ip, uint8_t family, const uint8_t *addr)
{
	if (family == 6) {
		uint32_t w[4];
		memcpy(w, addr, 16);
		IP_ADDR6(ip, w[0], w[1], w[2], w[3]);
	} else {
		uint32_t v;
		memcpy(&v, addr, 4);
		ip_addr_set_ip4_u32_val(*ip, v);
	}
}

static int open_unguarded(void)
{
	ip4_addr_t a4, m4, g4;
	lwip_init();
	ip4_addr_set_zero(&a4);
	ip4_addr_set_zero(&m4);
	ip4_addr_set_zero(&g4);
	if (lws_g.cfg.family == 4) {
		a4 = *ip_2_ip4(&lws_g.local_ip);
		IP4_ADDR(&m4, 255, 255, 255, 0);
	}
	if (!netif_add(&nif, &a4, &m4, &g4, NULL, nif_init, ip_input))
		return -EIO;
	if (lws_g.cfg.family == 6) {
		netif_ip6_addr_set(&nif, 0, ip_2_ip6(&lws_g.local_ip));
		netif_ip6_addr_set_state(&nif, 0, IP6_ADDR_PREFERRED);
	}
	netif_set_default(&nif);
	netif_set_up(&nif);
	netif_set_link_up(&nif);
	return 0;
}

int lws_open(const struct lws_config *cfg)
{
	int rc;
	(void)lws_mem_snapshot(); /* the first time: lwIP has not run yet */
	pristine = false;
	memset(&lws_g, 0, sizeof lws_g);
	lws_g.cfg = *cfg;
	lws_g.rand_state = cfg->seed ^ 0x72616e64ull; /* "rand" */
	set_ip(&lws_g.local_ip, cfg->family, cfg->local);
	set_ip(&lws_g.remote_ip, cfg->family, cfg->remote);
	LWS_GUARDED(rc, open_unguarded());
	return rc;
}

int lws_reset(void)
{
	struct lws_packet p;
	/* No copy yet: lwIP has not run in this process, take it now. */
	int rc;
	if (pristine)
		return 0;
	rc = lws_mem_snapshot();
	if (rc == 0)
		rc = lws_mem_restore(); /* no lwIP code runs below: order is free */
	if (rc != 0)
		return rc;
	lws_sock_reset();
	while (lws_pop(&p) == 1)
		;
	lws_pop(&p); /* frees the last one handed out */
	lws_mem_free_all();
	memset(&nif, 0, sizeof nif);
	memset(&lws_g, 0, sizeof lws_g);
	pristine = true;
	return 0;
}

const char *lws_failure(void)
{
	return lws_g.failed ? lws_g.failure : NULL;
}

/* ---- packets ------------------------------------------------------------------------ */

static int inject_unguarded(const uint8_t *pkt, size_t len)
{
	struct pbuf *p;
	if (len == 0 || len > 0xffff)
		return 0; /* not an IP packet: a stack drops it */
	/* Exactly `len` bytes from malloc: a read past the packet is ASan's. */
	p = pbuf_alloc(PBUF_RAW, (u16_t)len, PBUF_RAM);
	if (!p)
		return -ENOMEM;
	pbuf_take(p, pkt, (u16_t)len);
	if (nif.input(p, &nif) != ERR_OK)
		pbuf_free(p);
	lws_sock_sweep();
	return 0;
}

int lws_inject(const uint8_t *pkt, size_t len)
{
	int rc;
	LWS_GUARDED(rc, inject_unguarded(pkt, len));
	return rc;
}

int lws_pop(struct lws_packet *out)
{
	struct out_pkt *o;
	free(popped);
	popped = NULL;
	if (out_len == 0)
		return 0;
	o = &outq[out_head];
	out_head = (out_head + 1) % LWS_MAX_OUT;
	out_len--;
	popped = o->bytes;
	out->time_us = o->time_us;
	out->bytes = o->bytes;
	out->len = o->len;
	return 1;
}

/* ---- time ------------------------------------------------------------------------------ */

uint64_t lws_now(void)
{
	return lws_g.now_us;
}

uint64_t lws_next_deadline(void)
{
	u32_t sleep;
	if (lws_g.failed)
		return UINT64_MAX;
	sleep = sys_timeouts_sleeptime();
	if (sleep == SYS_TIMEOUTS_SLEEPTIME_INFINITE)
		return UINT64_MAX;
	return (lws_g.now_us / 1000u + sleep) * 1000u;
}

static int advance_unguarded(uint64_t to_us)
{
	int guard = 0;
	for (;;) {
		uint64_t due = lws_next_deadline();
		if (due > to_us || ++guard > 100000)
			break;
		if (due > lws_g.now_us)
			lws_g.now_us = due;
		sys_check_timeouts();
		if (due <= lws_g.now_us && lws_next_deadline() <= lws_g.now_us)
			break; /* nothing left due now (cannot loop on one instant) */
	}
	if (to_us > lws_g.now_us)
		lws_g.now_us = to_us;
	sys_check_timeouts();
	return 0;
}

int lws_advance(uint64_t to_us)
{
	int rc;
	LWS_GUARDED(rc, advance_unguarded(to_us));
	return rc;
}

/* ---- verbs and states ------------------------------------------------------------------ */

int lws_call(const struct tgt_call *c, struct tgt_result *res)
{
	int rc;
	LWS_GUARDED(rc, lws_sock_call(c, res));
	return rc;
}

int lws_finish(struct tgt_result *res)
{
	int rc;
	LWS_GUARDED(rc, lws_sock_finish(res));
	return rc;
}

static const char *state_name(enum tcp_state s)
{
	switch (s) {
	case CLOSED:
		return "CLOSED";
	case LISTEN:
		return "LISTEN";
	case SYN_SENT:
		return "SYN_SENT";
	case SYN_RCVD:
		return "SYN_RECEIVED";
	case ESTABLISHED:
		return "ESTABLISHED";
	case FIN_WAIT_1:
		return "FIN_WAIT_1";
	case FIN_WAIT_2:
		return "FIN_WAIT_2";
	case CLOSE_WAIT:
		return "CLOSE_WAIT";
	case CLOSING:
		return "CLOSING";
	case LAST_ACK:
		return "LAST_ACK";
	case TIME_WAIT:
		return "TIME_WAIT";
	default:
		return "?";
	}
}

static const struct tcp_pcb *find_conn(const struct tcp_pcb *list, uint16_t lport, uint16_t rport)
{
	for (; list; list = list->next)
		if (list->local_port == lport && list->remote_port == rport)
			return list;
	return NULL;
}

int lws_state(uint16_t local_port, uint16_t remote_port, char *name, size_t cap)
{
	const struct tcp_pcb *p;
	const struct tcp_pcb_listen *l;
	if (lws_g.failed)
		return -ENOTRECOVERABLE;
	p = find_conn(tcp_active_pcbs, local_port, remote_port);
	if (!p)
		p = find_conn(tcp_tw_pcbs, local_port, remote_port);
	if (p) {
		snprintf(name, cap, "%s", state_name(p->state));
		return 0;
	}
	for (l = tcp_listen_pcbs.listen_pcbs; l; l = l->next)
		if (l->local_port == local_port) {
			snprintf(name, cap, "LISTEN");
			return 0;
		}
	snprintf(name, cap, "CLOSED");
	return 0;
}
