/* Internals of the Linux targets (`linux`, `linux-raw`): network
 * namespaces, link configuration over rtnetlink, the TAP and AF_PACKET
 * injectors, the syscall thread and sock_diag. Not a public interface;
 * the targets themselves are declared in lx_target.h.
 *
 * Every function returns 0 or a negative errno, and says why in `why`
 * where it takes one. Nothing here exits. */
#ifndef TCPCHECK_TARGETS_LINUX_LX_INT_H
#define TCPCHECK_TARGETS_LINUX_LX_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "targets/target.h"

struct nl_sock;

#define LX_IFNAME      "tcpck0" /* the stack's interface (TAP, or veth end) */
#define LX_PEER_IFNAME "tcpck1" /* linux-raw: the injector's veth end */

/* ---- lx_ns.c: namespaces and sysctls ---------------------------------------- */

/* Create a fresh, unnamed network namespace and return a descriptor for
 * it in `*ns`. The calling thread is left inside it; `*orig` gets a
 * descriptor for the namespace it came from (give it to lx_ns_leave).
 * The namespace lives as long as a descriptor, a socket or a thread holds
 * it: when the process dies, for whatever reason, it goes with it. */
int lx_ns_create(int *orig, int *ns, char *why, size_t cap);

/* Move the calling thread into namespace `ns` (setns). */
int lx_ns_enter(int ns);

/* Return the calling thread to `orig` and close `orig`; -1 is a no-op. */
void lx_ns_leave(int orig);

/* Write `value` to /proc/sys/<path> (dots or slashes) as seen from the
 * calling thread's namespace. -ENOENT when this kernel lacks the sysctl. */
int lx_sysctl_write(const char *path, const char *value);

/* Read it into `buf`, without the trailing newline. */
int lx_sysctl_read(const char *path, char *buf, size_t cap);

/* ---- lx_net.c: rtnetlink (libnl-route) -------------------------------------- */

/* What the stack's interface gets. Addresses are 4 or 16 bytes by family. */
struct lx_netcfg {
	int family;	     /* 4 or 6 */
	uint8_t local[16];   /* the stack's address */
	uint8_t remote[16];  /* the script's */
	uint8_t peer_mac[6]; /* the script's MAC: a permanent neighbour */
	unsigned mtu;	     /* 0: leave as it is */
	uint32_t rto_min_ms; /* RTAX_RTO_MIN on the peer route; 0: none */
	uint32_t initcwnd;   /* RTAX_INITCWND on the peer route; 0: none */
};

/* A route socket in the calling thread's namespace. */
int lx_nl_open(struct nl_sock **out);

/* Bring `ifname` up (lo included). */
int lx_link_up(struct nl_sock *sk, const char *ifname, unsigned mtu);

/* Wait until `ifname` is operational (IF_OPER_UP: the kernel's link
 * watch has run and its queue can send), up to `limit_us`; -ETIMEDOUT.
 * A veth end comes up asynchronously; a packet sent before is dropped. */
int lx_link_wait_up(struct nl_sock *sk, const char *ifname, uint64_t limit_us);

/* Wait until the stack's IPv6 address `local` is no longer tentative (an
 * address added before the carrier came up waits for the link watch even
 * without DAD; a packet to it is dropped until then); IPv4: at once. */
int lx_addr_wait_ready(struct nl_sock *sk, int family, const uint8_t *local, uint64_t limit_us);

/* The interface index and MAC of `ifname`. */
int lx_link_info(struct nl_sock *sk, const char *ifname, int *ifindex, uint8_t mac[6]);

/* Address, permanent neighbour and (when a metric asks for one) a host
 * route to the peer on `ifindex`. */
int lx_net_configure(struct nl_sock *sk, int ifindex, const struct lx_netcfg *c, char *why,
		     size_t cap);

/* A veth pair `a` / `b` in the calling thread's namespace. */
int lx_veth_create(struct nl_sock *sk, const char *a, const char *b);

/* Move `ifname` into namespace `nsfd`. */
int lx_link_move(struct nl_sock *sk, const char *ifname, int nsfd);

/* Checksum offload, TSO, GSO and GRO off on `ifname` (SIOCETHTOOL), so
 * that captured packets carry real checksums and MSS-sized segments. */
int lx_offloads_off(const char *ifname, char *why, size_t cap);

/* ---- lx_cap.c: AF_PACKET capture and injection -------------------------------- */

/* A packet socket on `ifindex` with kernel receive timestamps. With
 * `outgoing` it keeps only what the interface transmits (the TAP side);
 * otherwise only what it receives (the veth peer). */
int lx_cap_open(int ifindex, bool outgoing, int *fd);

/* Take one packet: 0 with its IP bytes in `buf`, its length and its
 * kernel timestamp on CLOCK_REALTIME (us); -EAGAIN when none is queued.
 * Packets of the other direction come back as -EAGAIN-free skips (*len 0). */
int lx_cap_recv(int fd, bool outgoing, uint8_t *buf, size_t cap, size_t *len, uint64_t *real_us);

/* One frame as the agent target takes it: any protocol, with its sender. */
struct lx_frame {
	size_t len;	    /* 0: a frame of the other direction (skipped) */
	uint16_t proto;	    /* the EtherType, host order (ETH_P_IP, ETH_P_ARP, ...) */
	uint8_t src_mac[6]; /* the sender's Ethernet address */
	uint64_t real_us;   /* the kernel's timestamp, CLOCK_REALTIME */
};

/* lx_cap_recv for every EtherType: the payload (after the Ethernet
 * header) in `buf`, what it was in `*f`; -EAGAIN when none is queued. */
int lx_cap_recv_ll(int fd, bool outgoing, uint8_t *buf, size_t cap, struct lx_frame *f);

/* Send a frame payload of EtherType `proto` out of `ifindex` to `dst_mac`. */
int lx_cap_send_proto(int fd, int ifindex, const uint8_t dst_mac[6], uint16_t proto,
		      const uint8_t *pkt, size_t len);

/* Send an IP packet out of `ifindex` to `dst_mac` (AF_PACKET, SOCK_DGRAM). */
int lx_cap_send(int fd, int ifindex, const uint8_t dst_mac[6], const uint8_t *pkt, size_t len);

/* Is this captured IP packet the connection's traffic: TCP or ICMP to
 * the script's address `remote` (4 or 16 bytes by `family`)? */
bool lx_for_peer(int family, const uint8_t *remote, const uint8_t *p, size_t n);

/* The clock `id` (CLOCK_MONOTONIC, CLOCK_REALTIME) in microseconds. */
uint64_t lx_clock_us(int id);

/* Open a TAP device named `name` in the calling thread's namespace:
 * no packet-information header, no offloads, non-blocking. */
int lx_tap_open(const char *name, int *fd, char *why, size_t cap);

/* ---- lx_neigh.c: neighbours on a packet socket (linux-raw --iface) ------------ */

/* The script's end of the user's interface. */
struct lx_neigh {
	int fd;		   /* the packet socket (lx_cap_open) */
	int ifindex;
	int family;	   /* 4 or 6 */
	uint8_t my_mac[6]; /* the interface's address */
	uint8_t my_ip[16]; /* the script's address, which the device asks for */
};

/* If the frame payload `p` (EtherType `proto`) is ARP or neighbour
 * discovery: answer a request for `n->my_ip`, copy the sender's Ethernet
 * address to `mac_of` when it speaks for `want` (may be NULL), and return
 * true (the frame is taken); false for anything else. */
bool lx_neigh_answer(const struct lx_neigh *n, const uint8_t *p, size_t len, uint16_t proto,
		     uint8_t mac_of[6], const uint8_t *want);

/* The Ethernet address of `ip` on the interface: ARP requests or
 * neighbour solicitations every 200 ms until one is answered (requests
 * for `n->my_ip` answered meanwhile), or -ETIMEDOUT. `buf` holds frames. */
int lx_neigh_resolve(const struct lx_neigh *n, const uint8_t *ip, uint8_t mac[6],
		     uint64_t timeout_us, uint8_t *buf, size_t cap);

/* ---- lx_sys.c: socket verbs on their own thread -------------------------------- */

/* One thread runs every socket verb, for real, in the namespace it was
 * started in; a verb that sleeps in the kernel is "blocking" (the way
 * packetdrill tells: the thread's state in /proc is S) and completes
 * later. */
struct lx_sys;

/* What the verbs need to know besides the call. */
struct lx_sysenv {
	int family; /* 4 or 6 */
	bool v4_mapped;
	uint8_t local[16];
	uint8_t remote[16];
	int nodelay;	    /* -1: leave; else TCP_NODELAY on new sockets */
	char congestion[16]; /* "": leave; else TCP_CONGESTION on new sockets */
	int rcvbuf, sndbuf; /* 0: leave; else SO_RCVBUF / SO_SNDBUF */
};

/* Start the thread in the calling thread's namespace. `*efd` is an
 * eventfd made readable whenever a verb completes. */
int lx_sys_start(const struct lx_sysenv *env, struct lx_sys **out, int *efd);

/* Run a verb: 0 with `res` filled, or -EINPROGRESS while it blocks. */
int lx_sys_call(struct lx_sys *s, const struct tgt_call *c, struct tgt_result *res);

/* Complete the blocking verb: 0 with `res`, or -EINPROGRESS. */
int lx_sys_finish(struct lx_sys *s, struct tgt_result *res);

/* Stop the thread (a blocked verb is interrupted) and close every socket
 * the verbs opened; NULL is a no-op. */
void lx_sys_stop(struct lx_sys *s);

/* ---- lx_diag.c: sock_diag ------------------------------------------------------- */

/* The RFC 9293 name of the state of the TCP socket with these addresses
 * and ports (host order), asked through sock_diag on `sk` (a
 * NETLINK_INET_DIAG socket in the stack's namespace); "CLOSED" if none. */
int lx_diag_state(struct nl_sock *sk, int family, const uint8_t *local, uint16_t lport,
		  const uint8_t *remote, uint16_t rport, char *name, size_t cap);

/* A NETLINK_INET_DIAG socket in the calling thread's namespace. */
int lx_diag_open(struct nl_sock **out);

/* ---- lx_config.c: the profile, @config and sysctls ------------------------------ */

/* The target's view of a script's configuration. */
struct lx_settings {
	unsigned mtu;		/* from mss=, 0: default */
	uint32_t rto_min_us;	/* 0: the profile's */
	bool rto_min_via_route; /* no tcp_rto_min_us here: RTAX_RTO_MIN instead */
	uint32_t initcwnd;	/* iw=: RTAX_INITCWND on the peer route; 0: none */
	int nodelay;		/* -1: leave; else TCP_NODELAY on new sockets */
	int rcvbuf, sndbuf;	/* 0: leave */
	char congestion[16];	/* a sysctl tcp_congestion_control the namespace
				 * refused (an algorithm only the host's own
				 * namespace may make the default): set on each
				 * new socket instead; "" if none */
	char missing[256];	/* optional sysctls this kernel lacks, ','-separated */
};

/* Pin every sysctl that changes what a script sees, in the calling
 * thread's namespace, from the `linux` profile and the script's @config
 * (README: the `linux` column). A sysctl that cannot be set is an error
 * with its name in `why`; one this kernel does not have is skipped when
 * the table says it is optional, and named in `out->missing` (the
 * report's target version shows it). -ENOTSUP with `why` for a setting Linux
 * cannot honour (the script is then SKIP). */
int lx_config_apply(const struct tgt_config *cfg, struct lx_settings *out, char *why, size_t cap);

/* The IPv6 interface defaults (no DAD, no router solicitations) for
 * interfaces created after the call. */
int lx_config_ipv6_quiet(char *why, size_t cap);

/* Socket option, level, MSG_*, fcntl and ioctl names as Linux's headers
 * define them: 0 with the value, or -ENOENT. */
int lx_name_value(const char *name, long *out);

#endif
