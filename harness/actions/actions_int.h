/* Internals shared by the two executors of actions.h: actions_exec.c (the
 * reference, invariants) and actions_tgt.c (any target, e.g. lwIP or the
 * kernel). How an action becomes a packet lives here once
 * (actions_build.c). Not an interface. */
#ifndef TCPCHECK_HARNESS_ACTIONS_ACTIONS_INT_H
#define TCPCHECK_HARNESS_ACTIONS_ACTIONS_INT_H

#include "harness/actions/actions.h"

/* The connection's variables an action is described against: the stack's
 * own where the executor can read them, else what the peer saw. */
struct fz_view {
	uint32_t rcv_nxt, rcv_wnd, snd_una, snd_nxt, snd_wnd, liss;
};

/* The ports and clock of the packet being built. */
struct fz_ends {
	const uint8_t *local, *peer; /* IPv4 addresses, 4 bytes each */
	uint16_t local_port, peer_port;
	uint64_t now;		     /* microseconds (the TS option's clock) */
	uint32_t last_tsval;	     /* the stack's last TSval (TS ecr 0 means this) */
};

/* Build and encode the SEGMENT action `a` as an IPv4 packet from the peer
 * into `pkt` (SEG_MAX_PACKET bytes): 0 with `*s` (payload: zero bytes)
 * and `*n`, or -EINVAL if it does not encode. */
int fz__seg_packet(const struct fz_action *a, const struct fz_view *v, const struct fz_ends *e,
		   struct seg *s, uint8_t *pkt, size_t *n);

/* Build and encode the ICMP action `a` (an error quoting the connection's
 * segment from the stack to the peer): 0 with `*m` and `*n`, or -EINVAL. */
int fz__icmp_packet(const struct fz_action *a, const struct fz_view *v, const struct fz_ends *e,
		    struct seg_icmp *m, uint8_t *pkt, size_t *n);

/* The TIME table of the format (codes 3..30), microseconds. */
uint64_t fz__time_table(unsigned code);

/* The script name of a REF_* socket option and its level ("SOL_SOCKET",
 * "IPPROTO_TCP", "IPPROTO_IP"), or NULL when no script can say it. */
const char *fz__opt_name(int opt, const char **level);

/* A zero payload of FZ_MAX_PAYLOAD bytes. */
extern const uint8_t fz__zeros[FZ_MAX_PAYLOAD];

#endif
