/* Internals of the agent target: the agent's process (agent_proc.c) and the
 * link layer both sides speak on the TAP (agent_link.c). Not an interface;
 * the target is declared in agent_target.h. Functions return 0 or a
 * negative errno and never exit. */
#ifndef TCPCHECK_TARGETS_AGENT_AGENT_INT_H
#define TCPCHECK_TARGETS_AGENT_AGENT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* ---- agent_proc.c: the agent's process -------------------------------------------- */

#define AG_TAIL 4096 /* bytes of the agent's output kept for reports */

struct ag_proc {
	pid_t pid;	     /* -1: none */
	int ctl;	     /* tcpcheck's end of the control socketpair */
	int out;	     /* the agent's stdout and stderr, read here */
	char tail[AG_TAIL]; /* the last bytes it wrote there */
	size_t tail_len;
	bool reaped;
	int status; /* waitpid's, once reaped */
};

/* Start `/bin/sh -c CMD` with every "{dev}" in `cmd` replaced by `dev`, in
 * the calling thread's network namespace and in a PID namespace of its
 * own (when its first process ends, every process it started ends too),
 * with the control socket on its fd 3, stdin /dev/null and stdout+stderr
 * into `p->out`; SIGKILLed if the calling thread ends. Environment:
 * TCPCHECK_AGENT_FD=3 and TCPCHECK_TAP=<dev>. */
int ag_proc_start(struct ag_proc *p, const char *cmd, const char *dev, char *why, size_t cap);

/* The lock ag_proc_start holds until its child has exec'd: take it while
 * creating a descriptor no child may inherit, even for a moment. */
void ag_proc_lock(void);
void ag_proc_unlock(void);

/* Read what the agent has written to its output (non-blocking) into the
 * tail; true when the pipe is at its end. */
bool ag_proc_drain(struct ag_proc *p);

/* How the process ended ("exited with status 1", "was killed by signal
 * 11"), waiting up to `wait_ms` for it; "is still running" otherwise. */
void ag_proc_end(struct ag_proc *p, int wait_ms, char *buf, size_t cap);

/* The last `n` lines of its output, joined with " | ", or "" if none. */
void ag_proc_last_lines(const struct ag_proc *p, size_t n, char *buf, size_t cap);

/* SIGKILL (the PID namespace goes with it), reap, close; idempotent. */
void ag_proc_stop(struct ag_proc *p);

/* ---- agent_link.c: ARP and neighbour discovery --------------------------------------- */

#define AG_ETH_P_ARP  0x0806
#define AG_ETH_P_IP   0x0800
#define AG_ETH_P_IPV6 0x86dd
#define AG_ARP_LEN    28 /* an Ethernet/IPv4 ARP packet */
#define AG_ND_LEN     72 /* IPv6 + NS/NA + one link-layer address option */

/* An ARP packet: op 1 (request) or 2 (reply), sender and target. */
void ag_arp_build(uint8_t out[AG_ARP_LEN], int op, const uint8_t sha[6], const uint8_t spa[4],
		  const uint8_t tha[6], const uint8_t tpa[4]);

/* Parse an ARP packet: its op (1, 2) with the addresses, or -EINVAL. */
int ag_arp_parse(const uint8_t *p, size_t n, int *op, uint8_t sha[6], uint8_t spa[4],
		 uint8_t tpa[4]);

/* A neighbour solicitation (type 135: from `src` for `target`, to its
 * solicited-node address, with a source link-layer option `mac`) or a
 * neighbour advertisement (136: from `src` = `target` to `dst`, solicited
 * and override, with a target link-layer option `mac`). */
void ag_nd_build(uint8_t out[AG_ND_LEN], int type, const uint8_t src[16], const uint8_t dst[16],
		 const uint8_t target[16], const uint8_t mac[6]);

/* Parse an IPv6 packet as NS or NA (no extension headers, hop limit 255,
 * checksum right): 135 or 136 with the source, target and link-layer
 * option address (zero if none); -EINVAL for anything else. */
int ag_nd_parse(const uint8_t *p, size_t n, uint8_t src[16], uint8_t target[16], uint8_t mac[6]);

/* Is this IPv6 packet neighbour discovery (ICMPv6 133..137)? */
bool ag_is_nd(const uint8_t *p, size_t n);

/* The solicited-node multicast address of `a` and its Ethernet address. */
void ag_solicited_node(const uint8_t a[16], uint8_t group[16], uint8_t mac[6]);

#endif
