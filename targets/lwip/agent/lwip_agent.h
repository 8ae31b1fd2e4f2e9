/* The lwIP agent (targets/lwip/agent): lwIP 2.1.3 from the same source and
 * with the same options as the in-process `lwip` target (the lws_* layer of
 * targets/lwip/lwip_stack.h, socket verbs included), as a program that the
 * `agent` target drives over the agent protocol (docs/agent-protocol.md).
 *
 *   lwip-agent --tap DEV [--virtual-clock] [--mac aa:bb:cc:dd:ee:ff]
 *
 * It opens the TAP device DEV by name, says hello on fd 3, and then serves
 * a poll loop over the TAP and the control socket. lwIP runs NO_SYS=1 with
 * the in-process target's point-to-point netif; the Ethernet framing, ARP
 * and neighbour discovery for the one peer are this program's
 * (lwip_agent_link.c): a packet for the peer waits until its address is
 * known, learnt from an ARP reply or a neighbour advertisement (tcpcheck
 * answers for the peer) or from the peer's own frames, as lwIP's etharp
 * does with ETHARP_TRUST_IP_MAC.
 *
 * Time: real by default (lwIP's clock follows CLOCK_MONOTONIC from the
 * start); with --virtual-clock the hello offers a virtual clock and lwIP's
 * time moves only on `advance`, exactly as in the in-process target. */
#ifndef TCPCHECK_TARGETS_LWIP_AGENT_LWIP_AGENT_H
#define TCPCHECK_TARGETS_LWIP_AGENT_LWIP_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LA_MAX_WAITING 64   /* packets waiting for the peer's address */
#define LA_MAX_SENT    4096 /* frame times kept for the next reply */
#define LA_MAX_FDS     64

struct la_pkt {
	uint8_t *bytes;
	size_t len;
};

struct la {
	int tap, ctl;
	bool virt;
	uint64_t t0; /* CLOCK_MONOTONIC at start (real clock) */
	uint8_t mac[6];
	/* after open */
	bool opened;
	int family;
	uint8_t local[16], remote[16];
	bool peer_known;
	uint8_t peer_mac[6];
	bool asked; /* an ARP request / NS for the peer is out */
	struct la_pkt waiting[LA_MAX_WAITING];
	size_t nwaiting;
	/* frames, for the virtual clock's barrier */
	uint64_t rx, tx;
	uint64_t sent_us[LA_MAX_SENT];
	size_t nsent;
};

/* ---- lwip_agent_link.c ---------------------------------------------------------- */

/* Take every frame the TAP holds (into lwIP, or answered); returns how
 * many were read. */
size_t la_read_frames(struct la *a);

/* Send what lwIP has sent (lws_pop) as frames, or hold it until the peer's
 * address is known. */
void la_flush(struct la *a);

#endif
