/* The Linux targets (DESIGN.md §3): the host kernel's TCP stack, in a
 * private network namespace created for each run.
 *
 * `linux`: a TAP device in that namespace; the harness writes Ethernet
 * frames carrying the scripted packets into it and captures what the
 * kernel transmits with an AF_PACKET socket on the same device (kernel
 * receive timestamps).
 *
 * `linux-raw`: the same stack behind a veth pair whose other end sits in
 * a second private namespace, where an AF_PACKET socket injects and
 * captures; checksum offload, TSO, GSO and GRO are off on both ends, so
 * captured packets carry real checksums and MSS-sized segments.
 *
 * Both: addresses from the documentation ranges (192.0.2.0/24,
 * 2001:db8::/64) configured over rtnetlink (libnl-route) with a permanent
 * neighbour entry for the script's side; IPv6 DAD and router solicitations
 * off; the namespace's TCP sysctls pinned from the `linux` profile and the
 * script's @config (targets/linux/lx_config.c); socket verbs run for real
 * on a thread inside the namespace; `state` through sock_diag
 * (libnl-idiag). Nothing is named or mounted: when the process ends, in
 * whatever way, the kernel frees the namespaces and their devices. Time is
 * real (CLOCK_MONOTONIC, microseconds since open).
 *
 * Needs CAP_SYS_ADMIN, CAP_NET_ADMIN and CAP_NET_RAW (root, or root in a
 * user namespace); available() says which is missing. */
#ifndef TCPCHECK_TARGETS_LINUX_LX_TARGET_H
#define TCPCHECK_TARGETS_LINUX_LX_TARGET_H

#include "targets/target.h"

/* The ops tables, listed in targets/registry.c. */
extern const struct tgt_ops lx_target_ops;
extern const struct tgt_ops lx_raw_target_ops;

#endif
