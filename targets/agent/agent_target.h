/* The `agent` target (DESIGN.md §3): any stack that runs as a Linux
 * program, reached through a TAP device and driven over the agent control
 * protocol (docs/agent-protocol.md, agent_proto.h).
 *
 * For each script the target
 *   - creates a private network namespace (lx_ns_create) holding a
 *     persistent TAP device, tcpck0, up, MTU 65521, with no address and
 *     IPv6 disabled on it, so the kernel's own stack stays off it;
 *   - starts the user's command (`--agent-cmd 'prog --tap {dev}'`, through
 *     /bin/sh -c, {dev} replaced by tcpck0) inside that namespace, in a PID
 *     namespace of its own, with one end of a socketpair on its fd 3; the
 *     agent opens the TAP by name itself (TUNSETIFF, IFF_TAP | IFF_NO_PI),
 *     as user-space stacks do, and owns that descriptor;
 *   - injects and captures on the kernel's side of the TAP with an
 *     AF_PACKET socket (lx_cap.c), answering ARP and neighbour
 *     solicitations for the scripted peer's address with the TAP's own
 *     Ethernet address;
 *   - waits for the agent's hello, then sends `open` with the addresses
 *     and the script's @config; socket verbs and state queries are
 *     requests on the control socket.
 *
 * Time is real (CLOCK_MONOTONIC since open, packets stamped by the
 * kernel), unless the agent's hello offers a virtual clock: then the
 * runner drives the agent's time with `advance`, as it does an in-process
 * target, and every request carries a frame count so that both sides agree
 * on what crossed the TAP before it (the protocol's barrier).
 *
 * Faults: an agent that exits, closes fd 3, sends a malformed line, or
 * leaves a request unanswered for --agent-timeout (default 5 s) fails the
 * instance for good; failure() then says what happened with the agent's
 * exit status and its last lines of stderr, the runner stops that script
 * and the run goes on. close() SIGKILLs the agent (its PID namespace goes
 * with it) and drops the network namespace, TAP included; if tcpcheck
 * itself dies, the kernel does the same (PR_SET_PDEATHSIG, namespaces held
 * only by descriptors).
 *
 * Needs what `linux` needs: CAP_SYS_ADMIN, CAP_NET_ADMIN, CAP_NET_RAW. */
#ifndef TCPCHECK_TARGETS_AGENT_AGENT_TARGET_H
#define TCPCHECK_TARGETS_AGENT_AGENT_TARGET_H

#include "targets/target.h"

/* Its ops table, listed in targets/registry.c. */
extern const struct tgt_ops agent_target_ops;

#endif
