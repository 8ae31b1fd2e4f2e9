/* The reference TCP stack: one instance.
 *
 * Sans-I/O and deterministic (DESIGN.md §2). The stack reads no clock,
 * opens no socket, starts no thread and keeps no global state: time is the
 * `now` argument of every call (microseconds, any origin, never going
 * back — an earlier value is treated as the latest one seen), the initial
 * sequence numbers come from a keyed hash seeded by the configuration, and
 * two instances given the same calls produce the same segments bit for bit.
 *
 * The caller (a test, the `ref` target, a fuzzer) drives it:
 *   - segments in: ref_stack_input() (a decoded segment) or
 *     ref_stack_input_icmp() (an ICMP error);
 *   - socket verbs: ref_sock.h;
 *   - time: ref_stack_next_deadline() says when a timer is due,
 *     ref_stack_advance() fires every timer due by `now`;
 *   - segments out: ref_stack_pop_output(), each with its time and rule;
 *   - decisions: ref_stack_pop_event() (drops, state changes, reports), or a
 *     trace callback that sees each event as it happens.
 *
 * Memory is bounded: connections, buffers, the output queue and the event
 * log all have sizes fixed by the configuration and profile. Buffers are
 * allocated when a connection is created, never per segment.
 *
 * Choices where the RFCs leave room (the `rfc` profile; see ref_profile.h
 * for the ones that are switches):
 *   - Acceptability is Table 6 to the letter: a retransmitted SYN,ACK in
 *     SYN-RECEIVED (simultaneous open, Appendix A.2) draws an ACK; a segment
 *     that starts left of the window and ends right of it is unacceptable.
 *   - Of an in-window segment beyond RCV.NXT, ACK and URG are processed at
 *     once; its text (and FIN) wait in a bounded out-of-order store.
 *   - Text and FIN on a SYN are neither acknowledged nor queued: the peer
 *     sends them again after the handshake (no TCP Fast Open).
 *   - RFC 5961 challenge ACKs for RST and SYN are on, at most 10 per 5 s per
 *     connection (§7; the §5.2 ACK shares the budget); the ACK range check
 *     (MAY-12) is off. A RST in SYN-SENT is not checked by SEQ.
 *   - RFC 7323: window scale, timestamps and SACK-permitted are offered on
 *     active opens and accepted on passive ones (SYN options in Linux's
 *     order: mss, sackOK, TS, nop, wscale); the shift is the smallest that
 *     covers the receive buffer. A scaled window is rounded up so that the
 *     edge the peer computes never recedes; the octets the rounding adds
 *     are not accepted. TS.Recent is updated right after the window check
 *     (R3, SEG.SEQ =< Last.ACK.sent); RTT samples come from TSecr on ACKs
 *     that advance SND.UNA (retransmissions included), with RFC 6298's
 *     gains. Segments lacking TSopt are dropped; RSTs carry TSopt (TSecr 0).
 *   - SACK (RFC 2018, 2883): blocks on every ACK while data is held out of
 *     order, newest first; a duplicate is reported once in a D-SACK block
 *     and ACKed at once. The sender keeps a scoreboard, cleared on a
 *     timeout (RFC 2018 §5.1), and no retransmission resends SACKed data.
 *   - Congestion control: NewReno (RFC 5681, 6582) with limited transmit
 *     (RFC 3042), byte-counting congestion avoidance, IW from RFC 5681's
 *     table (1 SMSS after a lost SYN), the restart window after an idle
 *     RTO; with SACK, recovery retransmits holes below the highest SACKed
 *     octet, one per duplicate ACK (RFC 6675 without the pipe estimate).
 *   - A valid RST flushes the queues (§3.10.7.4): unread data is lost and
 *     recv() reports ECONNRESET (EPIPE in CLOSE-WAIT, as Linux). A
 *     passively opened connection reset before accept() leaves the queue.
 *   - Sending: strict Nagle (also for the segment before a FIN), urgent
 *     data bypasses it; sender SWS override after 200 ms; PSH on the
 *     segment that empties the send queue. On a retransmission timeout one
 *     segment is sent; the rest follow the ACKs (go-back), bounded by cwnd.
 *   - Zero window: probe with one new octet after one RTO, backing off to
 *     the maximum RTO; give up only if the peer is silent for R2. A shrunk
 *     window: retransmit min(MSS, SND.WND, at least one octet).
 *   - R2 is a time: from the first send (or last progress) of the segment
 *     at SND.UNA; the connection closes exactly at R2, without a RST.
 *   - Receiving: delayed ACK 200 ms, at least every 2*RMSS; immediate ACK
 *     for out-of-order text, a filled gap, a FIN, a window update
 *     (min(RCV.BUFF/2, Eff.snd.MSS)). The right edge never moves left.
 *   - Urgent data, BSD reading of RFC 6093: the octet before the pointer is
 *     read with MSG_OOB unless SO_OOBINLINE; reads stop at the mark.
 *   - ICMP: soft errors are kept for the user (REF_TCP_SOFT_ERROR, the error
 *     of a later timeout, at once with REF_IP_RECVERR); hard errors abort in
 *     every state; the quoted SEQ must lie in [SND.UNA, SND.NXT) (RFC 5927).
 *     A packet-too-big below 68 / 1280 or not lowering the PMTU is ignored.
 *   - Not modelled: IP security/compartment (the check always passes),
 *     source routes (MUST-51..53), ECN (SHLD-8), TIME-WAIT for the side
 *     that sends a RST (§3.5.2 "should").
 */
#ifndef TCPCHECK_REFERENCE_REF_STACK_H
#define TCPCHECK_REFERENCE_REF_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reference/ref_profile.h"
#include "reference/ref_rule.h"
#include "reference/seg.h"

struct ref_stack; /* opaque */

/* ---- connection states, RFC 9293 §3.3.2 ------------------------------- */

enum ref_state {
	REF_CLOSED,
	REF_LISTEN,
	REF_SYN_SENT,
	REF_SYN_RECEIVED,
	REF_ESTABLISHED,
	REF_FIN_WAIT_1,
	REF_FIN_WAIT_2,
	REF_CLOSE_WAIT,
	REF_CLOSING,
	REF_LAST_ACK,
	REF_TIME_WAIT,
	REF_STATE_COUNT
};

/* "ESTABLISHED", "SYN-RECEIVED", ... as RFC 9293 writes them; "?" for an
 * invalid value. Static string. */
const char *ref_state_name(enum ref_state s);

/* ---- configuration ------------------------------------------------------ */

#define REF_MAX_LOCAL_ADDRS 8

/* One address of the stack's interface. */
struct ref_local_addr {
	uint8_t family;     /* SEG_IPV4 or SEG_IPV6 */
	uint8_t addr[16];   /* network order */
	uint8_t prefix_len; /* for the directed broadcast address (IPv4) */
};

struct ref_event;

/* Per-stack configuration. Fill with ref_stack_config_default() and change
 * what you need. */
struct ref_stack_config {
	struct ref_profile profile;   /* copied into the stack */
	struct ref_local_addr addrs[REF_MAX_LOCAL_ADDRS];
	unsigned naddrs;
	uint64_t isn_key[2];          /* SipHash-2-4 key of the ISN generator */
	uint32_t mtu;                 /* interface MTU (MMS_R / MMS_S derive from it) */
	unsigned max_sockets;         /* sockets and connections, all states */
	unsigned out_queue_len;       /* output segments held until popped */
	unsigned event_log_len;       /* events held until popped (oldest lost first) */
	uint16_t ephemeral_lo;        /* local ports for unbound connect() */
	uint16_t ephemeral_hi;
	int fd_base;                  /* the first socket number (3, as packetdrill expects) */
	/* Called for every event as it is logged (may be NULL). Must not call
	 * back into the stack. */
	void (*trace)(void *ctx, const struct ref_event *ev);
	void *trace_ctx;
};

/* Defaults: the `rfc` profile; addresses 192.0.2.1/24 and 2001:db8::1/64;
 * ISN key 0; MTU 1500; 64 sockets; an output queue of 256 segments; 256
 * events; ephemeral ports 40000-59999; sockets numbered from 3. */
void ref_stack_config_default(struct ref_stack_config *cfg);

/* A new stack, or NULL if `cfg` is invalid (no address, MTU below 68 or
 * above 65535, zero sizes) or memory runs out. `cfg` is copied. Free with
 * ref_stack_free(). */
struct ref_stack *ref_stack_new(const struct ref_stack_config *cfg);

/* Free the stack and everything it owns. NULL is a no-op. */
void ref_stack_free(struct ref_stack *st);

/* Put the stack back in the state ref_stack_new() gave it, with the same
 * configuration, keeping the memory of its tables: every socket and
 * connection is gone at once (no segment sent, no event logged, no trace
 * call), the output queue and event log are empty, and the clock,
 * statistics, ephemeral port and IP id start again, so the calls that
 * follow produce what they would on a new stack, bit for bit. Cheaper than
 * free + new for callers that run many short sessions (the fuzz
 * executor). NULL is a no-op. */
void ref_stack_reset(struct ref_stack *st);

/* The profile in use (owned by the stack, valid until ref_stack_free). */
const struct ref_profile *ref_stack_profile(const struct ref_stack *st);

/* ---- input -------------------------------------------------------------- */

/* Process one TCP segment arriving from the network. The segment's payload
 * is only read during the call. Options are parsed from `seg->opts.raw`
 * (the parsed view is not trusted). The checksum fields are not looked at:
 * a decoded segment whose checksum failed must go through
 * ref_stack_input_packet(), or be dropped by the caller.
 * Returns 0, or -EINVAL for a NULL argument or an impossible segment
 * (payload NULL with len > 0, bad family). */
int ref_stack_input(struct ref_stack *st, const struct seg *seg, uint64_t now);

/* Process several segments that arrived together: every one is processed
 * before any ACK is sent, and the ACKs are aggregated (MUST-58, MUST-59).
 * Returns 0 or -EINVAL. */
int ref_stack_input_batch(struct ref_stack *st, const struct seg *segs, size_t n,
			  uint64_t now);

/* Decode `n` bytes of one IP packet with seg_decode() and process it: a TCP
 * segment as ref_stack_input(), an ICMP error as ref_stack_input_icmp().
 * A packet that does not decode, a fragment, or one whose IP or TCP / ICMP
 * checksum is wrong (MUST-3) is dropped with its rule (see
 * ref_stack_last_rule and the event log); that is not an error of the
 * call. The bytes are only read during the call. Returns 0 or -EINVAL. */
int ref_stack_input_packet(struct ref_stack *st, const uint8_t *p, size_t n, uint64_t now);

/* Process an ICMP or ICMPv6 error (MUST-54..56, SHLD-25/26). Returns 0 or
 * -EINVAL. */
int ref_stack_input_icmp(struct ref_stack *st, const struct seg_icmp *icmp, uint64_t now);

/* ---- time ----------------------------------------------------------------- */

/* Fire every timer due at or before `now`, in time order; each fires at its
 * own deadline (its segments carry that time), as if the caller had called
 * at each deadline. */
void ref_stack_advance(struct ref_stack *st, uint64_t now);

/* The earliest pending timer of any connection, or UINT64_MAX if none. */
uint64_t ref_stack_next_deadline(const struct ref_stack *st);

/* The latest `now` the stack has been given. */
uint64_t ref_stack_now(const struct ref_stack *st);

/* ---- output ---------------------------------------------------------------- */

/* The largest payload a segment of this stack can carry. */
#define REF_OUT_DATA_MAX 65535

/* One segment the stack sent. `seg.payload` points at `data` (owned by this
 * struct): after copying a `struct ref_output`, point it at the copy's own
 * `data`. `seg.opts` holds both the raw bytes and the parsed view. */
struct ref_output {
	struct seg seg;
	uint64_t time;      /* the `now` of the call (or timer) that sent it */
	enum ref_rule rule; /* why it was sent */
	int fd;             /* the socket it belongs to, -1 if none (RST to a closed port,
	                     * or a connection not yet accepted) */
	uint8_t data[REF_OUT_DATA_MAX];
};

/* Move the oldest queued segment into `*out`. Returns 1 if one was
 * written, 0 if the queue is empty (`*out` untouched). */
int ref_stack_pop_output(struct ref_stack *st, struct ref_output *out);

/* Segments waiting in the output queue. */
size_t ref_stack_output_pending(const struct ref_stack *st);

/* ---- events --------------------------------------------------------------- */

enum ref_event_kind {
	REF_EV_DROP,        /* a segment was dropped (or ignored) */
	REF_EV_STATE,       /* a connection changed state */
	REF_EV_ERROR,       /* an error was reported to the user (`err`) */
	REF_EV_SOFT_ERROR,  /* a soft error (ICMP, R1) was recorded (`err`) */
	REF_EV_URGENT,      /* urgent data signalled to the user (MUST-32) */
	REF_EV_NOTE,        /* a decision without a segment (Nagle hold, PMTU, ...) */
};

struct ref_event {
	uint64_t time;
	enum ref_event_kind kind;
	enum ref_rule rule;
	int fd;                 /* socket, -1 if none */
	enum ref_state from;    /* REF_EV_STATE: old and new state; else both current */
	enum ref_state to;
	int err;                /* errno value (positive) for ERROR / SOFT_ERROR */
};

/* Move the oldest logged event into `*ev`. Returns 1 or 0 (log empty). When
 * the log is full the oldest event is overwritten and counted in
 * ref_stack_events_lost(). */
int ref_stack_pop_event(struct ref_stack *st, struct ref_event *ev);

/* Events overwritten because the log was full. */
uint64_t ref_stack_events_lost(const struct ref_stack *st);

/* The rule of the last decision the stack took (drop, reply, state change):
 * a cheap way for a caller to name what happened to the segment it just
 * passed in. */
enum ref_rule ref_stack_last_rule(const struct ref_stack *st);

/* ---- counters -------------------------------------------------------------- */

struct ref_stats {
	uint64_t segs_in;
	uint64_t segs_out;
	uint64_t drops;
	uint64_t output_lost;   /* segments lost to a full output queue */
	uint64_t retransmits;
};

/* Copy the counters into `*out`. */
void ref_stack_stats(const struct ref_stack *st, struct ref_stats *out);

#endif
