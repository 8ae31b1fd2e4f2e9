/* The `lwip` target: lwIP 2.1.3 (NO_SYS, raw API), built from source into
 * the harness, in virtual time (DESIGN.md §3).
 *
 * What it is: lwIP's core with tcpcheck's options (port/lwipopts.h, every
 * choice documented there) behind a netif whose input takes the harness's
 * IP packets and whose output hands lwIP's back; sys_now() is the runner's
 * virtual clock and lwIP's timers run from it; the ISN comes from the
 * runner's seed through LWIP_HOOK_TCP_ISN; socket verbs map onto the raw API
 * through a small descriptor table (lwip_stack.h).
 *
 * Isolation: lwIP keeps file-level state that lwip_init() does not reset
 * (the local port counter, the IP id, timer bookkeeping, the netif count,
 * the pcb lists after an assertion, ...). So each instance — each script
 * run — gets a fresh process: a zygote forked once, before the runner
 * starts its threads, forks one child per open() (lwip_proc.c). The child
 * starts from the binary's pristine globals, runs lwip_init() and serves
 * the target's calls over a socketpair (lwip_wire.h); close() closes the
 * socket and the child exits. Consequences:
 *   - scripts cannot influence each other, whatever the order, and `-j N`
 *     with threads is safe: each instance talks to its own process;
 *   - an lwIP crash (or an AddressSanitizer report) ends that child only;
 *     the script fails with a target error, the run goes on;
 *   - cost: a fork and one round trip per runner step (collect(), now()
 *     and next_deadline() are answered from what the last reply carried).
 *     A few hundred microseconds per script; see bench/bench_targets.c.
 *
 * Assertions: an LWIP_ASSERT that fails does not abort anything. The child
 * writes "tcpcheck: lwip: lwIP assertion "..." failed at src/core/x.c:N" to
 * stderr, and from then on every call of the instance fails with
 * -ENOTRECOVERABLE, which the runner reports as a target error on the line
 * that hit it (a finding). The run goes on with the next script.
 *
 * `@config`: checked against the compile-time options (lwip_config.c);
 * what lwIP cannot honour is SKIP with the reason.
 *
 * Capabilities: virtual time, socket verbs, state by ports (from lwIP's
 * pcb lists), IPv4, IPv6, ICMP input (lwIP 2.1.3's TCP ignores ICMP
 * errors). No rule ids: lwIP does not say why it sent a segment. */
#ifndef TCPCHECK_TARGETS_LWIP_TARGET_H
#define TCPCHECK_TARGETS_LWIP_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets/target.h"

/* Its ops table, listed in targets/registry.c. */
extern const struct tgt_ops lwip_target_ops;

/* What the configuration check decides (lwip_config.c). */
struct lwip_tgt_config {
	uint16_t mtu;
	bool nodelay;
};

/* Check a script's @config against lwIP's compile-time options: 0 and
 * `*out`, -ENOTSUP with the reason in `why` (the script is SKIP), or
 * -EINVAL for an unknown key or a bad value. */
int lwip_tgt_config(const struct tgt_config *cfg, struct lwip_tgt_config *out, char *why,
		    size_t cap);

#endif
