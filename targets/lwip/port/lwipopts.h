/* lwIP 2.1.3 options for tcpcheck's `lwip` target (targets/lwip/).
 *
 * One configuration, chosen to be a plausible embedded build and to give
 * the suite something to check; each choice says why. Every `@config` key
 * a script gives is checked against these values (lwip_config.c): a
 * script that needs another configuration is SKIP with the reason.
 * Anything not set here is lwIP's default (lwip/opt.h). */
#ifndef TCPCHECK_LWIPOPTS_H
#define TCPCHECK_LWIPOPTS_H

/* ---- system ---------------------------------------------------------------- */

/* No OS: the raw (callback) API, driven by one thread of one process.
 * Timers run from sys_check_timeouts(), called by the adapter whenever the
 * runner moves virtual time; sys_now() returns that virtual time. */
#define NO_SYS 1
#define LWIP_TIMERS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_NETCONN 0
#define LWIP_SOCKET 0
#define LWIP_NETIF_API 0
#define LWIP_SINGLE_NETIF 1

/* ---- memory ------------------------------------------------------------------ */

/* Every buffer comes from the C allocator with its exact size: the heap
 * (mem_malloc) is malloc, every memp pool (pcbs, segments, pbufs) is
 * malloc too, and no alignment padding is added (MEM_ALIGNMENT 1, which the
 * packed protocol structs of arch/cc.h allow). AddressSanitizer then sees
 * an access one byte past any lwIP buffer. There is no pool limit either:
 * lwIP's own queue limits (TCP_SND_QUEUELEN, the windows) bound memory. */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT 1
/* ... through the adapter, which records every live block so that
 * lws_reset() can free what lwIP held (targets/lwip/lwip_mem.c). */
#define mem_clib_malloc tc_lwip_malloc
#define mem_clib_calloc tc_lwip_calloc
#define mem_clib_free tc_lwip_free
#define MEMP_OVERFLOW_CHECK 0
#define MEMP_SANITY_CHECK 0

/* ---- network layer --------------------------------------------------------------- */

/* IPv4 and IPv6, over a netif without a link layer: the harness speaks IP
 * packets, so no ARP, Ethernet, Neighbour Discovery traffic, MLD or
 * autoconfiguration (the address is set valid at once). No fragmentation
 * or reassembly: the suite's packets fit the MTU. */
#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define LWIP_ARP 0
#define LWIP_ETHERNET 0
#define LWIP_ICMP 1
#define LWIP_ICMP6 1
#define LWIP_RAW 0
#define LWIP_UDP 0
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define IP_REASSEMBLY 0
#define IP_FRAG 0
#define LWIP_IPV6_FRAG 0
#define LWIP_IPV6_REASS 0
#define LWIP_IPV6_MLD 0
#define LWIP_IPV6_AUTOCONFIG 0
#define LWIP_IPV6_DUP_DETECT_ATTEMPTS 0
#define LWIP_IPV6_SEND_ROUTER_SOLICIT 0
#define LWIP_ND6_QUEUEING 0
#define LWIP_IPV6_SCOPES 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0

/* Checksums checked on input (a bad one is dropped: RFC 9293 MUST-3) and
 * generated on output: the harness checks them. (lwIP's defaults, spelled
 * out because the suite depends on them.) */
#define CHECKSUM_GEN_IP 1
#define CHECKSUM_GEN_TCP 1
#define CHECKSUM_GEN_ICMP 1
#define CHECKSUM_GEN_ICMP6 1
#define CHECKSUM_CHECK_IP 1
#define CHECKSUM_CHECK_TCP 1
#define CHECKSUM_CHECK_ICMP 1
#define CHECKSUM_CHECK_ICMP6 1

/* ---- TCP ----------------------------------------------------------------------------- */

#define LWIP_TCP 1
/* MSS 1460: Ethernet's. The MSS lwIP advertises is min(TCP_MSS, MTU - 40
 * (IPv6: 60)); `@config mss=N` sets the netif MTU to N + 40 (N + 60), so any
 * N <= 1460 is honoured. */
#define TCP_MSS 1460
#define TCP_CALCULATE_EFF_SEND_MSS 1
/* Receive window 65535: the largest unscaled window, what the suite's
 * `rcvbuf=65535` says. lwIP opens it again as the application reads
 * (tcp_recved), the adapter calls that from recv(). */
#define TCP_WND 65535
/* RFC 7323 window scaling compiled in: lwIP offers it on its SYNs and honours
 * the peer's shift. Its own shift is 0, since TCP_WND fits 16 bits. */
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE 0
/* RFC 7323 timestamps compiled in: offered on lwIP's SYNs, used when the
 * peer's SYN offered them. lwIP 2.1.3 has no PAWS (RFC 7323 §5). */
#define LWIP_TCP_TIMESTAMPS 1
/* Out-of-order segments are queued (else they would be dropped), and SACK
 * blocks describing them are sent (RFC 2018) when the peer offered
 * SACK-permitted. lwIP 2.1.3 does not act on SACK blocks it receives. */
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_SACK_OUT 1
#define LWIP_TCP_MAX_SACK_NUM 4
/* Send buffer 65535 bytes (lwIP's default, 2 * MSS, would make every
 * bigger write() block), in up to this many segments. */
#define TCP_SND_BUF 65535
#define TCP_SND_QUEUELEN ((4 * (TCP_SND_BUF) + (TCP_MSS - 1)) / (TCP_MSS))
/* listen()'s backlog is enforced, as a socket layer would. */
#define TCP_LISTEN_BACKLOG 1
/* SO_KEEPALIVE and its timers can be set per connection. */
#define LWIP_TCP_KEEPALIVE 1
/* Retransmission limits: lwIP's defaults (12 for data, 6 for SYNs). */
#define TCP_MAXRTX 12
#define TCP_SYNMAXRTX 6
/* The two coarse TCP timers stay lwIP's: the fast one (delayed ACK, every
 * 250 ms) and the slow one (RTO, persist, keep-alive, TIME-WAIT, every
 * 500 ms). Initial RTO 3 s and MSL 60 s are fixed in lwIP 2.1.3. */
#define TCP_TMR_INTERVAL 250

/* ---- hooks, debugging -------------------------------------------------------------------- */

/* The ISN comes from the runner's seed (tc_lwip_hooks.h). */
#define LWIP_HOOK_FILENAME "tc_lwip_hooks.h"
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) \
	tc_lwip_isn((local_ip), (local_port), (remote_ip), (remote_port))
/* Local ports start at a seeded random place (LWIP_RAND, see arch/cc.h). */
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
/* SO_REUSEADDR, which scripts set before bind(). */
#define SO_REUSE 1

#define LWIP_STATS 0
#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
/* LWIP_DEBUG is off; assertions (LWIP_ASSERT) stay on. */

#endif
