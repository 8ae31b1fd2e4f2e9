/* The lwIP agent's link layer: Ethernet over the TAP, ARP and neighbour
 * discovery for the one peer; see lwip_agent.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "targets/agent/agent_int.h"
#include "targets/lwip/agent/lwip_agent.h"
#include "targets/lwip/lwip_stack.h"

static void write_frame(struct la *a, const uint8_t dst[6], uint16_t type, const uint8_t *p,
			size_t n, uint64_t at)
{
	uint8_t f[14 + 65536];
	if (n > sizeof f - 14)
		return;
	memcpy(f, dst, 6);
	memcpy(f + 6, a->mac, 6);
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
	memcpy(f + 14, p, n);
	if (write(a->tap, f, n + 14) != (ssize_t)(n + 14)) {
		fprintf(stderr, "lwip-agent: cannot write to the TAP: %s\n", strerror(errno));
		return;
	}
	a->tx++;
	if (a->nsent < LA_MAX_SENT)
		a->sent_us[a->nsent++] = at;
}

/* Who has the peer's address? */
static void ask_peer(struct la *a)
{
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6];
	uint8_t pkt[AG_ND_LEN], group[16], gmac[6];
	if (a->asked)
		return;
	a->asked = true;
	if (a->family == 4) {
		ag_arp_build(pkt, 1, a->mac, a->local, zero, a->remote);
		write_frame(a, bcast, AG_ETH_P_ARP, pkt, AG_ARP_LEN, lws_now());
		return;
	}
	ag_solicited_node(a->remote, group, gmac);
	ag_nd_build(pkt, 135, a->local, group, a->remote, a->mac);
	write_frame(a, gmac, AG_ETH_P_IPV6, pkt, AG_ND_LEN, lws_now());
}

static void send_ip(struct la *a, const uint8_t *p, size_t n, uint64_t at)
{
	bool v6 = n > 0 && (p[0] >> 4) == 6;
	if (v6 && n >= 40 && p[24] == 0xff) { /* multicast: 33:33 + the group's last 32 bits */
		uint8_t mac[6] = {0x33, 0x33, p[36], p[37], p[38], p[39]};
		write_frame(a, mac, AG_ETH_P_IPV6, p, n, at);
		return;
	}
	write_frame(a, a->peer_mac, v6 ? AG_ETH_P_IPV6 : AG_ETH_P_IP, p, n, at);
}

static void peer_found(struct la *a, const uint8_t mac[6])
{
	size_t i;
	if (a->peer_known)
		return;
	memcpy(a->peer_mac, mac, 6);
	a->peer_known = true;
	for (i = 0; i < a->nwaiting; i++) {
		send_ip(a, a->waiting[i].bytes, a->waiting[i].len, lws_now());
		free(a->waiting[i].bytes);
	}
	a->nwaiting = 0;
}

void la_flush(struct la *a)
{
	struct lws_packet p;
	while (lws_pop(&p) == 1) {
		struct la_pkt *w;
		if (a->peer_known) {
			send_ip(a, p.bytes, p.len, p.time_us);
			continue;
		}
		ask_peer(a);
		if (a->nwaiting == LA_MAX_WAITING)
			continue; /* dropped, as a full ARP queue drops */
		w = &a->waiting[a->nwaiting];
		w->bytes = malloc(p.len ? p.len : 1);
		if (!w->bytes)
			continue;
		memcpy(w->bytes, p.bytes, p.len);
		w->len = p.len;
		a->nwaiting++;
	}
}

static void on_arp(struct la *a, const uint8_t *p, size_t n)
{
	uint8_t sha[6], spa[4], tpa[4], reply[AG_ARP_LEN];
	int op;
	if (a->family != 4 || ag_arp_parse(p, n, &op, sha, spa, tpa) != 0)
		return;
	if (memcmp(spa, a->remote, 4) == 0)
		peer_found(a, sha);
	if (op == 1 && memcmp(tpa, a->local, 4) == 0) {
		ag_arp_build(reply, 2, a->mac, a->local, sha, spa);
		write_frame(a, sha, AG_ETH_P_ARP, reply, sizeof reply, lws_now());
	}
}

static void on_frame(struct la *a, const uint8_t *f, size_t n)
{
	uint16_t type;
	const uint8_t *p = f + 14;
	size_t len = n - 14;
	uint8_t src[16], target[16], mac[6];
	if (n < 14)
		return;
	type = (uint16_t)(f[12] << 8 | f[13]);
	if (type == AG_ETH_P_ARP) {
		on_arp(a, p, len);
		return;
	}
	if (type == AG_ETH_P_IPV6 && ag_is_nd(p, len)) {
		if (a->family == 6 && ag_nd_parse(p, len, src, target, mac) == 136 &&
		    memcmp(target, a->remote, 16) == 0)
			peer_found(a, mac);
		return;
	}
	if (type != AG_ETH_P_IP && type != AG_ETH_P_IPV6)
		return;
	/* The peer's own frames tell its address (ETHARP_TRUST_IP_MAC). */
	if ((a->family == 4 && len >= 20 && memcmp(p + 12, a->remote, 4) == 0) ||
	    (a->family == 6 && len >= 40 && memcmp(p + 8, a->remote, 16) == 0))
		peer_found(a, f + 6);
	if (lws_inject(p, len) != 0 && lws_failure())
		fprintf(stderr, "lwip-agent: %s\n", lws_failure());
}

size_t la_read_frames(struct la *a)
{
	static uint8_t f[14 + 65536];
	size_t k = 0;
	for (;;) {
		ssize_t n = read(a->tap, f, sizeof f);
		if (n < 0)
			break;
		a->rx++;
		k++;
		if (a->opened)
			on_frame(a, f, (size_t)n);
	}
	return k;
}
