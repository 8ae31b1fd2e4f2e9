/* ARP (RFC 826) and IPv6 neighbour discovery (RFC 4861 §4.3, §4.4): the
 * few packets the agent target answers for the scripted peer, and the
 * lwIP agent sends to find it. See agent_int.h. */
#include <errno.h>
#include <string.h>

#include "reference/seg.h"
#include "targets/agent/agent_int.h"

void ag_arp_build(uint8_t out[AG_ARP_LEN], int op, const uint8_t sha[6], const uint8_t spa[4],
		  const uint8_t tha[6], const uint8_t tpa[4])
{
	static const uint8_t head[6] = {0, 1, 8, 0, 6, 4}; /* Ethernet, IPv4, 6, 4 */
	memcpy(out, head, 6);
	out[6] = 0;
	out[7] = (uint8_t)op;
	memcpy(out + 8, sha, 6);
	memcpy(out + 14, spa, 4);
	memcpy(out + 18, tha, 6);
	memcpy(out + 24, tpa, 4);
}

int ag_arp_parse(const uint8_t *p, size_t n, int *op, uint8_t sha[6], uint8_t spa[4],
		 uint8_t tpa[4])
{
	static const uint8_t head[6] = {0, 1, 8, 0, 6, 4};
	if (n < AG_ARP_LEN || memcmp(p, head, 6) != 0 || p[6] != 0 || (p[7] != 1 && p[7] != 2))
		return -EINVAL;
	*op = p[7];
	memcpy(sha, p + 8, 6);
	memcpy(spa, p + 14, 4);
	memcpy(tpa, p + 24, 4);
	return 0;
}

void ag_solicited_node(const uint8_t a[16], uint8_t group[16], uint8_t mac[6])
{
	static const uint8_t prefix[13] = {0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff};
	memcpy(group, prefix, 13);
	memcpy(group + 13, a + 13, 3);
	mac[0] = mac[1] = 0x33;
	memcpy(mac + 2, group + 12, 4);
}

void ag_nd_build(uint8_t out[AG_ND_LEN], int type, const uint8_t src[16], const uint8_t dst[16],
		 const uint8_t target[16], const uint8_t mac[6])
{
	uint8_t *icmp = out + 40, group[16], gmac[6];
	uint16_t sum;
	memset(out, 0, AG_ND_LEN);
	out[0] = 0x60;
	out[5] = AG_ND_LEN - 40; /* payload length */
	out[6] = 58;		 /* ICMPv6 */
	out[7] = 255;		 /* hop limit: RFC 4861 §7.1.1 */
	memcpy(out + 8, src, 16);
	if (type == 135) {
		ag_solicited_node(target, group, gmac);
		memcpy(out + 24, group, 16);
	} else {
		memcpy(out + 24, dst, 16);
		icmp[4] = 0x60; /* solicited, override */
	}
	icmp[0] = (uint8_t)type;
	memcpy(icmp + 8, target, 16);
	icmp[24] = type == 135 ? 1 : 2; /* source / target link-layer address */
	icmp[25] = 1;			/* 8 bytes */
	memcpy(icmp + 26, mac, 6);
	sum = seg_csum_fold(seg_csum_add(seg_csum_pseudo(SEG_IPV6, out + 8, out + 24, 58, 32), icmp,
					 32));
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
}

bool ag_is_nd(const uint8_t *p, size_t n)
{
	return n >= 41 && (p[0] >> 4) == 6 && p[6] == 58 && p[40] >= 133 && p[40] <= 137;
}

int ag_nd_parse(const uint8_t *p, size_t n, uint8_t src[16], uint8_t target[16], uint8_t mac[6])
{
	size_t plen, off;
	const uint8_t *icmp = p + 40;
	if (!ag_is_nd(p, n) || (p[40] != 135 && p[40] != 136) || p[7] != 255 || n < 64)
		return -EINVAL;
	plen = (size_t)p[4] << 8 | p[5];
	if (plen < 24 || 40 + plen > n)
		return -EINVAL;
	if (seg_csum_fold(seg_csum_add(seg_csum_pseudo(SEG_IPV6, p + 8, p + 24, 58, plen), icmp,
				       plen)) != 0)
		return -EINVAL;
	memcpy(src, p + 8, 16);
	memcpy(target, icmp + 8, 16);
	memset(mac, 0, 6);
	for (off = 24; off + 8 <= plen && icmp[off + 1] != 0; off += (size_t)icmp[off + 1] * 8)
		if (icmp[off] == (p[40] == 135 ? 1 : 2) && icmp[off + 1] == 1)
			memcpy(mac, icmp + off + 2, 6);
	return p[40];
}
