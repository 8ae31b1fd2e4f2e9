/* Neighbour resolution on a packet socket, for linux-raw --iface (a
 * device on the user's interface): find the device's Ethernet address,
 * and answer the device when it asks for the script's. See lx_int.h. The
 * ARP and neighbour-discovery packets are the agent target's
 * (targets/agent/agent_link.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "targets/agent/agent_int.h"
#include "targets/linux/lx_int.h"

static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

bool lx_neigh_answer(const struct lx_neigh *n, const uint8_t *p, size_t len, uint16_t proto,
		     uint8_t mac_of[6], const uint8_t *want)
{
	uint8_t sha[6], spa[4], tpa[4], src[16], target[16], mac[6], out[AG_ND_LEN];
	int op, type;
	if (proto == ETH_P_ARP && n->family == 4 && ag_arp_parse(p, len, &op, sha, spa, tpa) == 0) {
		if (op == 1 && memcmp(tpa, n->my_ip, 4) == 0) {
			ag_arp_build(out, 2, n->my_mac, n->my_ip, sha, spa);
			lx_cap_send_proto(n->fd, n->ifindex, sha, ETH_P_ARP, out, AG_ARP_LEN);
		}
		if (want && mac_of && memcmp(spa, want, 4) == 0)
			memcpy(mac_of, sha, 6);
		return true;
	}
	if (proto != ETH_P_IPV6 || n->family != 6 || !ag_is_nd(p, len))
		return false;
	type = ag_nd_parse(p, len, src, target, mac);
	if (type == 135 && memcmp(target, n->my_ip, 16) == 0 && memcmp(mac, bcast, 6) != 0) {
		ag_nd_build(out, 136, n->my_ip, src, n->my_ip, n->my_mac);
		lx_cap_send_proto(n->fd, n->ifindex, mac, ETH_P_IPV6, out, AG_ND_LEN);
	}
	if (type > 0 && want && mac_of && memcmp(src, want, 16) == 0 && (mac[0] | mac[1] | mac[2] |
									   mac[3] | mac[4] | mac[5]))
		memcpy(mac_of, mac, 6);
	return true;
}

/* Ask once: an ARP request, or a neighbour solicitation to the
 * solicited-node group. */
static int solicit(const struct lx_neigh *n, const uint8_t *ip)
{
	uint8_t out[AG_ND_LEN], zero[6] = {0}, group[16], gmac[6];
	if (n->family == 4) {
		ag_arp_build(out, 1, n->my_mac, n->my_ip, zero, ip);
		return lx_cap_send_proto(n->fd, n->ifindex, bcast, ETH_P_ARP, out, AG_ARP_LEN);
	}
	ag_solicited_node(ip, group, gmac);
	ag_nd_build(out, 135, n->my_ip, group, ip, n->my_mac);
	return lx_cap_send_proto(n->fd, n->ifindex, gmac, ETH_P_IPV6, out, AG_ND_LEN);
}

int lx_neigh_resolve(const struct lx_neigh *n, const uint8_t *ip, uint8_t mac[6],
		     uint64_t timeout_us, uint8_t *buf, size_t cap)
{
	uint64_t end = lx_clock_us(CLOCK_MONOTONIC) + timeout_us, next = 0;
	memset(mac, 0, 6);
	for (;;) {
		struct lx_frame f;
		struct pollfd p = {n->fd, POLLIN, 0};
		uint64_t now = lx_clock_us(CLOCK_MONOTONIC);
		int rc;
		if (now >= end)
			return -ETIMEDOUT;
		if (now >= next) { /* ask every 200 ms */
			if ((rc = solicit(n, ip)) != 0)
				return rc;
			next = now + 200000;
		}
		rc = lx_cap_recv_ll(n->fd, false, buf, cap, &f);
		if (rc == -EAGAIN) {
			poll(&p, 1, 20);
			continue;
		}
		if (rc != 0)
			return rc;
		if (f.len > 0)
			lx_neigh_answer(n, buf, f.len, f.proto, mac, ip);
		if (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5])
			return 0;
	}
}
