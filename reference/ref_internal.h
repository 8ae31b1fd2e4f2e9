/* Internals of the reference stack, shared by its .c files only.
 *
 * Names: `ref__` for functions shared between files, no prefix for
 * `static` helpers. RFC 9293's variable names are kept (snd_una, rcv_nxt,
 * ...). One deliberate difference: `snd_nxt` is the highest sequence number
 * sent plus one, which is what the RFC's SND.NXT is in every test it
 * appears in (the ACK checks, <SEQ=SND.NXT> of ACKs and RSTs); the point
 * where the sender continues after a timeout is the separate `tx_nxt`.
 *
 * Sequence space of our side:   ISS (SYN) | data ... | FIN
 * The send ring holds the data from the first unacknowledged byte on.
 * The receive ring holds the in-order bytes the user has not read, then
 * room for out-of-order bytes at their offsets from RCV.NXT.
 */
#ifndef TCPCHECK_REFERENCE_REF_INTERNAL_H
#define TCPCHECK_REFERENCE_REF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reference/ref_profile.h"
#include "reference/ref_rule.h"
#include "reference/ref_sock.h"
#include "reference/ref_stack.h"
#include "reference/seg.h"
#include "reference/seq.h"

#define REF_NO_TIMER UINT64_MAX
#define REF_TCP_HDR 20u

/* A deadline `d` after `now`: at least 1 µs later (a timer that does not
 * move would fire forever), never REF_NO_TIMER (saturating). */
static inline uint64_t ref__after(uint64_t now, uint64_t d)
{
	if (d == 0)
		d = 1;
	return d >= REF_NO_TIMER - 1 - now ? REF_NO_TIMER - 1 : now + d;
}

/* ---- byte ring ------------------------------------------------------------ */

struct ref_ring {
	uint8_t *buf;
	uint32_t cap;
	uint32_t head; /* index of the first byte */
	uint32_t len;  /* bytes held from head on */
};

/* Allocate `cap` bytes (cap > 0). Returns 0 or -1. */
int ref__ring_init(struct ref_ring *r, uint32_t cap);
void ref__ring_free(struct ref_ring *r);
/* Append up to `n` bytes; returns the count appended. */
uint32_t ref__ring_push(struct ref_ring *r, const uint8_t *p, uint32_t n);
/* Copy `n` bytes starting `off` bytes after head (off+n <= cap) into `out`. */
void ref__ring_peek(const struct ref_ring *r, uint32_t off, uint8_t *out, uint32_t n);
/* Write `n` bytes at `off` bytes after head, without changing len
 * (off+n <= cap): out-of-order data. */
void ref__ring_write_at(struct ref_ring *r, uint32_t off, const uint8_t *p, uint32_t n);
/* Drop `n` <= len bytes from the head. */
void ref__ring_drop(struct ref_ring *r, uint32_t n);
/* The byte `off` after head. */
uint8_t ref__ring_byte(const struct ref_ring *r, uint32_t off);

/* ---- out-of-order store (SHLD-31), bounded ---------------------------------- */

struct ref_ooo_range {
	uint32_t left;  /* [left, right) sequence numbers held */
	uint32_t right;
};

struct ref_ooo {
	struct ref_ooo_range *r; /* sorted, disjoint, not adjacent */
	uint32_t n;
	uint32_t cap;
	bool fin;                /* a FIN was seen at fin_seq */
	uint32_t fin_seq;
};

int ref__ooo_init(struct ref_ooo *o, uint32_t cap);
void ref__ooo_free(struct ref_ooo *o);
/* Record [left, right). Returns 0, or -1 if it would need more ranges than
 * the store holds (nothing recorded). */
int ref__ooo_add(struct ref_ooo *o, uint32_t left, uint32_t right);
/* RCV.NXT reached `nxt`: drop ranges below it; if the first range starts at
 * or before `nxt`, return its right edge (new RCV.NXT) and remove it, else
 * return `nxt`. */
uint32_t ref__ooo_advance(struct ref_ooo *o, uint32_t nxt);
void ref__ooo_clear(struct ref_ooo *o);
/* Drop what lies below `seq` (ranges wholly below go, one across is cut). */
void ref__ooo_trim(struct ref_ooo *o, uint32_t seq);
/* The range holding `seq`, or NULL. */
const struct ref_ooo_range *ref__ooo_find(const struct ref_ooo *o, uint32_t seq);

/* ---- the TCB ----------------------------------------------------------------- */

enum ref_urg_state {
	REF_URG_NONE,   /* no urgent mark pending */
	REF_URG_NOTYET, /* the pointer arrived, the urgent octet not yet */
	REF_URG_VALID,  /* the urgent octet is held in urg_byte */
	REF_URG_READ,   /* it was read with MSG_OOB; the mark is still ahead */
};

enum ref_persist_kind {
	REF_PERSIST_NONE,
	REF_PERSIST_PROBE,    /* zero window (§3.8.6.1) */
	REF_PERSIST_OVERRIDE, /* sender SWS override (§3.8.6.2.1 (4)) */
};

struct ref_tcb {
	bool passive;          /* SYN-RECEIVED reached from LISTEN (MUST-11) */
	uint32_t iss, irs;

	/* send side */
	uint32_t snd_una, snd_nxt, tx_nxt;
	uint32_t snd_wnd, snd_wl1, snd_wl2, max_snd_wnd;
	uint32_t snd_up;       /* valid while snd_urgent */
	bool snd_urgent;
	bool fin_queued;       /* the user closed the sending direction */
	bool fin_sent;
	uint32_t fin_seq;
	uint8_t snd_wscale, rcv_wscale; /* RFC 7323 §2.3: Snd.Wind.Shift, Rcv.Wind.Shift */
	bool ws_sent;          /* our SYN (or SYN,ACK) carried window scale */
	bool ws_ok;            /* negotiated */

	/* RFC 7323 timestamps */
	bool ts_ok;            /* negotiated (Snd.TS.OK) */
	bool ts_sent;          /* our SYN carried TSopt */
	bool ts_recent_valid;
	uint32_t ts_recent;    /* TS.Recent */
	uint64_t ts_recent_age; /* when TS.Recent was last set */
	uint32_t last_ack_sent; /* Last.ACK.sent */

	/* RFC 2018 / 2883 SACK */
	bool sack_ok;          /* negotiated */
	bool sack_sent;        /* our SYN carried SACK-permitted */
	uint32_t sack_recent[SEG_SACK_MAX]; /* a sequence number inside each reported block,
	                                      * most recent first */
	uint32_t sack_nrecent;
	bool dsack;            /* a D-SACK block waits for the next ACK */
	struct ref_ooo_range dsack_range;
	struct ref_ooo sacked; /* sender: scoreboard of SACKed ranges above SND.UNA */

	/* congestion control, RFC 5681 / 6582 / 3042 */
	uint32_t cwnd, ssthresh;
	uint32_t ca_acked;     /* bytes acknowledged towards the next cwnd += SMSS */
	uint32_t dupacks;
	bool in_recovery;      /* fast recovery */
	uint32_t recover;      /* RFC 6582 `recover`: highest sequence number sent at entry */
	uint32_t high_rxt;     /* RFC 6675 HighRxt: retransmitted up to here in recovery */
	bool rtx_one;          /* retransmit one segment at rtx_one_seq on the next output */
	uint32_t rtx_one_seq;
	enum ref_rule rtx_one_rule;
	uint64_t last_send;    /* time data was last sent (RFC 5681 §4.1) */
	uint32_t lt_bytes;     /* data sent by limited transmit (RFC 3042) */
	uint32_t lt_allow;     /* octets limited transmit may send beyond cwnd */

	/* RFC 5961 §7 challenge ACK throttling */
	uint64_t chack_start;
	uint32_t chack_count;

	/* receive side */
	uint32_t rcv_nxt;
	uint32_t rcv_adv;      /* right edge advertised: RCV.NXT + RCV.WND */
	bool rcv_synced;       /* IRS known */
	uint32_t rcv_up;       /* RCV.UP, valid while rcv_up_valid */
	bool rcv_up_valid;
	enum ref_urg_state urg;
	uint32_t urg_seq;      /* sequence number of the urgent octet (RCV.UP - 1) */
	uint8_t urg_byte;

	/* segment sizes */
	uint16_t peer_mss;     /* SendMSS (MUST-15 default without option) */
	uint16_t adv_mss;      /* the MSS we advertised (RMSS of SHLD-19) */
	uint32_t pmtu;
	uint32_t eff_mss;      /* Eff.snd.MSS without TCP options (MUST-16) */

	/* RTO, RFC 6298 */
	uint64_t srtt, rttvar, rto;
	bool have_rtt;
	bool rtt_timing;
	uint32_t rtt_seq;
	uint64_t rtt_time;
	unsigned rtx_count;    /* consecutive timeouts of the head segment */
	enum ref_rule rtx_rule; /* tag of go-back retransmissions (timeout or PMTU) */
	bool rtx_hold;         /* after a timeout: nothing more until an ACK (RFC 6298 5.4) */
	bool syn_retransmitted;
	uint64_t rtx_start;    /* start of the R1/R2 clock, 0 = not retransmitting */
	uint64_t rtx_armed_at; /* when t_rtx was last started afresh */
	bool r1_reported;

	/* timers: absolute deadlines or REF_NO_TIMER */
	uint64_t t_rtx, t_persist, t_delack, t_keep, t_2msl;
	enum ref_persist_kind persist;
	unsigned persist_shift;
	uint64_t persist_start;
	unsigned keep_probes;
	uint64_t last_rcv;     /* time of the last segment received */

	/* acknowledgment state */
	bool ack_now;
	enum ref_rule ack_rule;
	uint32_t rcv_unacked;  /* in-order bytes received since our last ACK */
	uint32_t quick;        /* ACKs of text still sent at once (profile quickack) */
	bool quick_set;        /* the first text arrived and set `quick` */

	/* buffers */
	struct ref_ring sndq;
	struct ref_ring rcvq;
	struct ref_ooo ooo;
	/* text (in rcvq past its end) and FIN that came on a SYN, queued for
	 * processing once ESTABLISHED (profile syn_text_queued) */
	uint32_t syn_text_len;
	bool syn_fin;
};

/* ---- socket slot ------------------------------------------------------------ */

struct ref_sock {
	bool used;
	int fd;                /* socket number, -1 if none (orphan or not yet accepted) */
	unsigned idx;          /* slot index */
	enum ref_state state;
	uint8_t family;
	bool bound;
	uint8_t laddr[16];
	uint16_t lport;
	uint8_t raddr[16];
	uint16_t rport;
	bool have_tcb;         /* buffers allocated */

	/* user side */
	bool user_closed;      /* close() called: the socket number is gone */
	bool shut_rd, shut_wr; /* user's shutdown() or a dead connection */
	bool rcv_done;         /* the peer's FIN was delivered (Linux SOCK_DONE) */
	bool connecting;       /* connect() started and not yet reported */
	bool ever_connected;
	int so_error;
	int soft_error;
	bool dirty;            /* has pending output after this input */

	/* options */
	bool keepalive, nodelay, reuseaddr, oobinline, recverr;
	struct ref_linger linger;
	uint32_t rcvbuf, sndbuf;
	uint16_t user_mss;     /* 0 = none */
	uint64_t keepidle, keepintvl;
	uint32_t keepcnt;
	uint64_t user_timeout; /* 0 = the profile's R2 */
	uint8_t tos, ttl;

	/* listener / child */
	unsigned backlog;
	int listener;          /* slot of our listener while not accepted, else -1 */
	int acc_next;          /* accept queue link */
	int acc_head, acc_tail;/* listener: accept queue */
	unsigned pending;      /* listener: children not yet accepted */
	bool in_accept_queue;

	struct ref_tcb tcb;
};

/* ---- output queue entry -------------------------------------------------------- */

struct ref_out_entry {
	struct seg seg;
	uint64_t time;
	enum ref_rule rule;
	int fd;
	uint8_t *data; /* out_data_max bytes owned by the stack's slab */
};

/* ---- the stack ------------------------------------------------------------------ */

struct ref_stack {
	struct ref_stack_config cfg;
	const struct ref_profile *prof; /* &cfg.profile */
	struct ref_sock *socks;
	unsigned nsocks;
	unsigned hi;              /* every used slot has an index below hi */
	unsigned hwm;             /* every slot used since new / reset is below hwm */
	int *fdmap;               /* fd - fd_base -> slot, -1 free */
	int *dirty;               /* slots with pending output */
	unsigned ndirty;

	struct ref_out_entry *outq;
	uint8_t *out_slab;
	uint32_t out_data_max;
	unsigned out_head, out_len;

	struct ref_event *evq;
	unsigned ev_head, ev_len;
	uint64_t ev_lost;

	uint64_t now;
	enum ref_rule last_rule;
	struct ref_stats stats;
	uint16_t next_port;
	uint16_t ip_id;
	int batch;                /* > 0 while inside an input batch */
};

/* ---- per-segment context ---------------------------------------------------------- */

/* A received segment as the state machine sees it: the original, plus the
 * part that survives trimming to the window. */
struct ref_in {
	const struct seg *seg;
	uint64_t now;
	uint32_t seq;          /* after trimming */
	const uint8_t *data;   /* text after trimming */
	uint32_t len;
	bool syn, fin;         /* after trimming */
	uint32_t seg_len;      /* SEG.LEN of the original (text + SYN + FIN) */
	bool has_mss;          /* options, parsed from seg->opts.raw */
	uint16_t mss;
	bool has_ws, has_sack_perm, has_ts;
	uint8_t ws;
	uint32_t ts_val, ts_ecr;
	uint8_t nsack;
	struct seg_sack_block sack[SEG_SACK_MAX];
};

/* ---- ref_stack.c ------------------------------------------------------------------- */

/* Log an event (and call the trace hook). `s` may be NULL. */
void ref__event(struct ref_stack *st, enum ref_event_kind kind, enum ref_rule rule,
		const struct ref_sock *s, int err);
/* Log a dropped segment and count it. */
void ref__drop(struct ref_stack *st, const struct ref_sock *s, enum ref_rule rule);
/* Change state, logging the transition under `rule`. */
void ref__set_state(struct ref_stack *st, struct ref_sock *s, enum ref_state to,
		    enum ref_rule rule);
/* An output entry to fill, or NULL if the queue is full (counted and
 * logged). The entry's seg is zeroed, its payload points at its storage. */
struct ref_out_entry *ref__out_alloc(struct ref_stack *st, enum ref_rule rule, int fd,
				     uint64_t now);
/* Mark a connection as having output to flush at the end of the input. */
void ref__mark_dirty(struct ref_stack *st, struct ref_sock *s);
/* Run the output of every dirty connection. */
void ref__flush(struct ref_stack *st, uint64_t now);
/* Slots. */
struct ref_sock *ref__sock_by_fd(const struct ref_stack *st, int fd);
struct ref_sock *ref__slot_alloc(struct ref_stack *st);
/* Release a slot and its buffers (its fd must already be gone). */
void ref__slot_free(struct ref_stack *st, struct ref_sock *s);
/* The lowest free socket number bound to `s`, or -EMFILE. */
int ref__fd_alloc(struct ref_stack *st, struct ref_sock *s);
void ref__fd_release(struct ref_stack *st, struct ref_sock *s);
/* Connection lookup by 4-tuple, and listener lookup. */
struct ref_sock *ref__find_conn(struct ref_stack *st, uint8_t family, const uint8_t *laddr,
				uint16_t lport, const uint8_t *raddr, uint16_t rport);
struct ref_sock *ref__find_listener(struct ref_stack *st, uint8_t family,
				    const uint8_t *laddr, uint16_t lport);
/* Address classification (§3.9.2.3). */
bool ref__addr_is_local(const struct ref_stack *st, uint8_t family, const uint8_t *a);
bool ref__addr_bad_dst(const struct ref_stack *st, uint8_t family, const uint8_t *a);
bool ref__addr_bad_src(const struct ref_stack *st, uint8_t family, const uint8_t *a);
/* The connection reached CLOSED: stop its timers, drop its queues if
 * `flush`, and free the slot if no socket number refers to it. Returns true
 * if the slot was freed. */
bool ref__conn_closed(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule);

/* ---- ref_isn.c --------------------------------------------------------------------- */

uint64_t ref__siphash24(const uint64_t key[2], const uint8_t *p, size_t n);
/* ISN = M + F(4-tuple, key), §3.4.1 (MUST-8, SHLD-1). */
uint32_t ref__isn(const struct ref_stack *st, const struct ref_sock *s, uint64_t now);

/* ---- ref_opts.c -------------------------------------------------------------------- */

/* Parse the options of `seg` (raw bytes) into `in`. Returns 0, or -1 if
 * they are malformed (MUST-7); with REF_BADOPT_IGNORE_REST the options
 * before the bad one are kept and 0 is returned. */
int ref__opts_parse(const struct ref_profile *p, const struct seg *seg, struct ref_in *in);
/* Options of a SYN or SYN,ACK we send, in the profile's order (MUST-14,
 * SHLD-5/MAY-3; RFC 7323 §2.2, §3.2; RFC 2018 §2). Records what was
 * offered (ws_sent, ts_sent, sack_sent) on a SYN. */
void ref__opts_syn(const struct ref_stack *st, struct ref_sock *s, bool ack,
		   struct seg_opts *o, uint64_t now);
/* Options of any other segment: timestamps (RFC 7323 §3.2), and on an ACK
 * SACK blocks (RFC 2018 §4, D-SACK first, RFC 2883). */
void ref__opts_data(const struct ref_stack *st, const struct ref_sock *s,
		    struct seg_opts *o, uint64_t now);
/* Bytes of options on a non-SYN data segment (reduce the payload, MUST-16). */
uint32_t ref__opts_data_len(const struct ref_sock *s);
/* The peer's SYN options: SendMSS (MUST-14/15), window scale, timestamps,
 * SACK-permitted. `syn_ack`: the SYN,ACK answering ours (negotiation ends
 * here); otherwise a SYN we will answer. */
void ref__opts_syn_received(struct ref_stack *st, struct ref_sock *s,
			    const struct ref_in *in, bool syn_ack);
/* Our timestamp clock at `now` (RFC 7323 §5.4). */
uint32_t ref__ts_now(const struct ref_stack *st, uint64_t now);
/* Append an MSS option to raw bytes and the parsed view. */
void ref__opts_add_mss(struct seg_opts *o, uint16_t mss);

/* ---- ref_conn.c: TCB life cycle ----------------------------------------------------- */

/* Allocate buffers and set the TCB's initial values for a connection
 * between the slot's addresses. Returns 0 or -ENOBUFS. */
int ref__tcb_create(struct ref_stack *st, struct ref_sock *s, uint64_t now);
void ref__tcb_destroy(struct ref_sock *s);
/* Recompute Eff.snd.MSS (MUST-16) from SendMSS, the path MTU and options. */
void ref__update_eff_mss(const struct ref_stack *st, struct ref_sock *s);
/* The MSS we advertise (MUST-67): MMS_R - 20, capped by TCP_MAXSEG. */
uint16_t ref__adv_mss(const struct ref_stack *st, const struct ref_sock *s);
/* R2 of this connection (data or SYN). */
uint64_t ref__r2(const struct ref_stack *st, const struct ref_sock *s, bool syn);
/* Abort: optional RST <SEQ=SND.NXT><CTL=RST>, error to the user, CLOSED. */
void ref__abort(struct ref_stack *st, struct ref_sock *s, bool send_rst, int err,
		enum ref_rule rule, uint64_t now);
/* A child of a listener goes away before being accepted ("back to LISTEN"). */
void ref__child_drop(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule);
/* A passive connection reached ESTABLISHED: into the accept queue. */
void ref__child_ready(struct ref_stack *st, struct ref_sock *s);
/* Abort every child of a listener (close or shutdown of the listener). */
void ref__listener_stop(struct ref_stack *st, struct ref_sock *l, uint64_t now);
/* Enter TIME-WAIT: other timers off, 2 MSL timer on. */
void ref__enter_time_wait(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule,
			  uint64_t now);
/* An orphaned connection in FIN-WAIT-2 waits at most the profile's
 * fin_wait_2_timeout (0: forever, as the RFC has it). */
void ref__fin_wait_2_arm(const struct ref_stack *st, struct ref_sock *s, uint64_t now);
/* Sequence number of the first byte in the send ring. */
uint32_t ref__snd_data_seq(const struct ref_tcb *t);
bool ref__syn_acked(const struct ref_tcb *t);

/* ---- ref_out.c: building and sending segments ---------------------------------------- */

/* Send whatever the connection may send now: retransmissions, new data
 * under the Nagle / SWS rules, a FIN, or a pure ACK if one is owed. At most
 * `limit` segments carrying sequence space. */
void ref__output(struct ref_stack *st, struct ref_sock *s, uint64_t now, unsigned limit);
/* <SEQ=ISS><CTL=SYN> or, with `ack`, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
void ref__send_syn(struct ref_stack *st, struct ref_sock *s, bool ack, enum ref_rule rule,
		   uint64_t now);
/* A pure ACK <SEQ=seq><ACK=RCV.NXT><CTL=ACK> with `len` (0 or 1) garbage
 * octets (keep-alive). */
void ref__send_ack_at(struct ref_stack *st, struct ref_sock *s, uint32_t seq, uint32_t len,
		      enum ref_rule rule, uint64_t now);
/* One segment of [seq, seq+len) from the send ring, FIN if `fin`.
 * Retransmissions and probes use it directly. */
void ref__send_range(struct ref_stack *st, struct ref_sock *s, uint32_t seq, uint32_t len,
		     bool fin, enum ref_rule rule, uint64_t now);
/* <SEQ=SND.NXT><CTL=RST> of an abort. */
void ref__send_rst_abort(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule,
			 uint64_t now);
/* A RST answering `in` (no TCB, or an unacceptable ACK, §3.5.2):
 * <SEQ=SEG.ACK><CTL=RST> if it has ACK, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>. `s` may be NULL. */
void ref__send_rst_reply(struct ref_stack *st, const struct ref_sock *s,
			 const struct seg *in, enum ref_rule rule, uint64_t now);
/* Ask for an immediate ACK (aggregated until the end of the input). */
void ref__ack_now(struct ref_stack *st, struct ref_sock *s, enum ref_rule rule);
/* Would a window update move the right edge enough (MUST-39)? */
bool ref__window_update_due(const struct ref_stack *st, const struct ref_sock *s);
/* `wnd` rounded down to a multiple of the MSS we advertised when profile
 * rcv_wnd_mss_round asks for it (and it exceeds one MSS); else `wnd`. The
 * callers round the largest window the field allows, not a small buffer. */
uint32_t ref__rcv_wnd_round(const struct ref_stack *st, const struct ref_tcb *t, uint32_t wnd);

/* ---- ref_in.c / ref_in_sync.c: SEGMENT ARRIVES ------------------------------------- */

/* Dispatch a segment to the handler of the connection's state. */
void ref__segment_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);
/* The connection table found nothing: CLOSED (§3.10.7.1). */
void ref__closed_arrives(struct ref_stack *st, struct ref_in *in);
/* LISTEN, SYN-SENT, and the synchronized states. */
void ref__listen_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);
void ref__syn_sent_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);
void ref__sync_arrives(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);
/* Learn the peer's ISN, window and SYN options from its SYN. */
void ref__syn_learn(struct ref_stack *st, struct ref_sock *s, const struct ref_in *in,
		    bool syn_ack);
/* The user's active OPEN has completed (ESTABLISHED from SYN-SENT or an
 * active SYN-RECEIVED). */
void ref__connected(struct ref_stack *st, struct ref_sock *s, uint64_t now);
/* SYN-SENT's "continue processing at the sixth step": trim, then URG, text,
 * FIN. */
void ref__continue_at_urg(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);
/* Steps six to eight, shared with SYN-SENT's "continue at the sixth step". */
void ref__process_urg(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);
void ref__process_text(struct ref_stack *st, struct ref_sock *s, struct ref_in *in);

/* ---- ref_timer.c -------------------------------------------------------------------- */

/* RFC 6298: a new RTT sample (microseconds). */
void ref__rtt_sample(const struct ref_stack *st, struct ref_tcb *t, uint64_t r);
/* Start the retransmission timer if it is not running (5.1). */
void ref__rtx_start(struct ref_stack *st, struct ref_sock *s, uint64_t now);
/* Restart it (5.3), or stop it when nothing is outstanding (5.2). */
void ref__rtx_restart(struct ref_stack *st, struct ref_sock *s, uint64_t now);
/* The earliest timer of one connection. */
uint64_t ref__conn_deadline(const struct ref_sock *s);
/* Fire the connection's earliest timer if due at `now`. Returns true if
 * one fired. */
bool ref__conn_fire(struct ref_stack *st, struct ref_sock *s, uint64_t now);
/* Re-arm the keep-alive timer after activity. */
void ref__keepalive_arm(struct ref_stack *st, struct ref_sock *s, uint64_t now);
void ref__stop_timers(struct ref_tcb *t);

/* ---- ref_cc.c: congestion control hooks (RFC 5681 in part 2) ------------------------ */

/* cwnd and ssthresh of a new TCB (unlimited until ESTABLISHED). */
void ref__cc_init(const struct ref_stack *st, struct ref_sock *s);
/* The connection is synchronized: IW (RFC 5681 §3.1). */
void ref__cc_established(struct ref_stack *st, struct ref_sock *s);
/* An ACK advanced SND.UNA by `acked` octets of data (old SND.UNA was
 * `old_una`): slow start, congestion avoidance, leaving recovery. */
void ref__cc_on_ack(struct ref_stack *st, struct ref_sock *s, uint32_t acked);
/* A duplicate ACK (RFC 5681 §2): limited transmit, fast retransmit,
 * window inflation. */
void ref__cc_on_dupack(struct ref_stack *st, struct ref_sock *s);
/* The retransmission timer expired (RFC 5681 §3.1 (4), LW). */
void ref__cc_on_timeout(struct ref_stack *st, struct ref_sock *s);
/* Before new data is sent at `now`: the restart window (§4.1). */
void ref__cc_before_send(struct ref_stack *st, struct ref_sock *s, uint64_t now);
/* The sender's SMSS: Eff.snd.MSS less the options of a data segment. */
uint32_t ref__smss(const struct ref_sock *s);
/* The congestion window the sender may fill now (cwnd plus the limited
 * transmit allowance). */
uint32_t ref__cc_window(const struct ref_stack *st, const struct ref_sock *s);
/* Sender SACK scoreboard: is `seq` SACKed? Then *end is the right edge of
 * its block. The left edge of the next SACKed block above `seq`, or `lim`. */
bool ref__sacked(const struct ref_tcb *t, uint32_t seq, uint32_t *end);
uint32_t ref__next_sacked(const struct ref_tcb *t, uint32_t seq, uint32_t lim);
/* Record the SACK blocks of an acceptable ACK (RFC 2018 §5). Returns true if
 * it SACKed new data. */
bool ref__sack_update(struct ref_sock *s, const struct ref_in *in);

#endif
