/* Profiles: the choices the RFCs leave to an implementation, as data.
 *
 * A `struct ref_profile` holds every value and switch where RFC 9293 and
 * its companions allow more than one behaviour (timer values, buffer sizes,
 * which of two permitted reactions to take). The reference stack reads
 * nothing else: two stacks with the same profile and configuration behave
 * identically, bit for bit.
 *
 * `ref_profile_rfc()` is the strict profile: the RFCs' own defaults and
 * recommendations (RFC 9293, 6298, 7323, 2018, 5681, 1122 where 9293
 * defers to it). The built-in profiles are mirrored, key for key, by the
 * text files reference/profiles/<name>.profile that users read, copy and
 * override (a unit test checks that they agree); the reference itself reads
 * no file: the harness reads them and calls ref_profile_parse().
 */
#ifndef TCPCHECK_REFERENCE_REF_PROFILE_H
#define TCPCHECK_REFERENCE_REF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What to do with a segment whose options cannot be parsed (an option
 * length of 0 or 1, one that runs past the header, a known option with the
 * wrong fixed length). RFC 9293 §3.1 MUST-7 requires only that it be
 * handled; "reset and log" is suggested. */
enum ref_bad_option_action {
	REF_BADOPT_DROP,        /* drop the segment silently */
	REF_BADOPT_IGNORE_REST, /* keep the options parsed so far, process the segment */
};

/* How a zero window is probed (§3.8.6.1). */
enum ref_zwp_form {
	REF_ZWP_NEW_OCTET,  /* one octet of new data at SND.NXT (the RFC's form) */
	REF_ZWP_EMPTY_OLD,  /* an empty segment at SND.UNA-1 (Linux's form) */
};

/* When the peer's FIN is acknowledged (§3.10.7.4 eighth: "send an
 * acknowledgment for the FIN"; whether at once or by the delayed-ACK timer
 * is open, as for text, SHLD-18). */
enum ref_ack_fin {
	REF_ACK_FIN_DELAYED,  /* "off": by the delayed-ACK timer, in every state */
	REF_ACK_FIN_NOW,      /* "on": at once, in every state */
	REF_ACK_FIN_FIN_WAIT, /* "fin-wait": at once when it completes our close
	                       * (FIN-WAIT-1/2: CLOSING or TIME-WAIT); delayed
	                       * when it moves the connection to CLOSE-WAIT, so
	                       * that the application's own FIN carries it (Linux
	                       * tcp_fin: inet_csk_enter_pingpong_mode) */
};

/* Congestion control: RFC 5681 §3 (+ RFC 6582, RFC 3042). MAY-18 lets an
 * implementation choose its algorithm; these are the ones modelled. */
enum ref_cc_algo {
	REF_CC_NONE,    /* no congestion control: cwnd is unlimited (for tests) */
	REF_CC_RENO,    /* RFC 5681: any new ACK ends fast recovery (lwIP) */
	REF_CC_NEWRENO, /* RFC 5681 + RFC 6582: partial ACKs keep recovery going */
};

#define REF_PROFILE_NAME_MAX 32
#define REF_PROFILE_OPTS_MAX 48

/* Every field: the value, the RFC sentence that leaves it open, and the
 * `rfc` profile's choice. Times are microseconds, sizes bytes. The text
 * form (reference/profiles/<name>.profile, ref_profile_set()) uses the
 * field names as keys; times take a unit ("200ms", "1s", "500us"). */
struct ref_profile {
	char name[REF_PROFILE_NAME_MAX]; /* "rfc", "lwip", or a file's own name */

	/* ---- retransmission timer, RFC 6298 / §3.8.1 ----
	 * rto_initial: (2.1) "the sender SHOULD set RTO <- 1 second" (3 s MAY).
	 * rto_min: (2.4) "SHOULD be rounded up to 1 second" (Linux: 200 ms).
	 * rto_max: (2.5) "A maximum value MAY be placed on RTO provided it is
	 *   at least 60 seconds."
	 * rto_syn_fallback: (5.7) "the RTO MUST be re-initialized to 3 seconds".
	 * rto_granularity: (2.2) G, "the clock granularity" of the timer. */
	uint64_t rto_initial;
	uint64_t rto_min;
	uint64_t rto_max;
	uint64_t rto_syn_fallback;
	uint64_t rto_granularity;

	/* ---- connection failures, §3.8.3 ----
	 * r1_retransmissions: SHLD-10 "R1 SHOULD correspond to at least 3
	 *   retransmissions". r2_data: SHLD-11 "R2 SHOULD correspond to at
	 *   least 100 seconds". r2_syn: MUST-23 "at least 3 minutes". */
	unsigned r1_retransmissions;
	uint64_t r2_data;
	uint64_t r2_syn;

	/* ---- segment sizes, §3.7.1 ----
	 * mss_default_v4/v6: MUST-15 "it MUST assume a default send MSS of 536
	 *   (IPv4) or 1220 (IPv6)" when no MSS option arrives.
	 * syn_mss_always: SHLD-5 "SHOULD send an MSS option in every SYN when
	 *   its receive MSS differs from the default"; MAY-3 "MAY send it
	 *   always". */
	uint16_t mss_default_v4;
	uint16_t mss_default_v6;
	bool syn_mss_always;

	/* ---- buffers and windows, §3.8.6 ----
	 * rcv_buf / snd_buf: the buffers (RCV.BUFF); §3.8.6 leaves the size to
	 *   the implementation. rcv_wnd_mss_round: the window offered is
	 *   rounded down to a multiple of the MSS we advertised (less 12 with
	 *   timestamps) where the 16-bit field (65535 << shift), not the
	 *   buffer, limits it (Linux tcp_select_initial_window: with SO_RCVBUF room for 65535,
	 *   64240 = 44 * 1460); off: the free buffer itself. ooo_max_ranges: SHLD-31 "SHOULD queue out-of-order
	 *   segments" — how many discontiguous ranges are kept (bounded here).
	 * sws_fs_percent: §3.8.6.2.1 "Fs is a fraction whose recommended value
	 *   is 1/2". sws_fr_percent: §3.8.6.2.2 "Fr ... recommended value 1/2".
	 * sws_override: §3.8.6.2.1 "override timeout ... in the range 0.1 - 1.0
	 *   seconds". zwp_form: §3.8.6.1 "The transmitting host SHOULD send the
	 *   first zero-window probe when a zero window has existed for the
	 *   retransmission timeout period" — the probe's form is open. */
	uint32_t rcv_buf;
	bool rcv_wnd_mss_round;
	uint32_t snd_buf;
	uint32_t ooo_max_ranges;
	uint32_t sws_fs_percent;
	uint32_t sws_fr_percent;
	uint64_t sws_override;
	enum ref_zwp_form zwp_form;

	/* ---- sending, §3.7.4 / §3.9.1.2 ----
	 * nagle: SHLD-7 "A TCP SHOULD implement the Nagle algorithm"; MUST-17
	 *   lets the application disable it. urgent_bypasses_nagle: §3.8.5 does
	 *   not say whether urgent data waits for Nagle (BSD sends it). */
	bool nagle;
	bool urgent_bypasses_nagle;

	/* ---- acknowledgments, §3.8.6.3, RFC 5681 §4.2 ----
	 * delack_time: MUST-40 "the delay MUST be less than 0.5 seconds";
	 *   0 = no delayed ACKs. delack_segments: SHLD-19 "an ACK SHOULD be
	 *   generated for at least every second full-sized segment".
	 * ack_out_of_order_now: MAY-13; RFC 5681 §4.2 "A TCP receiver SHOULD
	 *   send an immediate duplicate ACK when an out-of-order segment
	 *   arrives". ack_gap_fill_now: RFC 5681 §4.2 "SHOULD send an immediate
	 *   ACK when the incoming segment fills in all or part of a gap".
	 * ack_fin_now: the RFC acknowledges a FIN; whether at once is open
	 *   (enum ref_ack_fin).
	 * quickack: how many ACKs of new in-order data a connection sends at
	 *   once, before it starts delaying them (SHLD-18 asks for a delayed
	 *   ACK; RFC 5681 §4.2 lets a receiver ACK every segment). 0 = none:
	 *   every ACK is delayed from the first. Linux's quick-ACK mode
	 *   (tcp_incr_quickack: at most TCP_MAX_QUICKACKS = 16, and at most
	 *   RCV.WND / (2 * RMSS), at least 2) lets the peer's slow start open
	 *   without waiting for the timer.
	 * delack_before_text: the delayed-ACK time while no text has arrived
	 *   yet (a FIN's ACK, when ack_fin_now delays it). Linux's delayed-ACK
	 *   time (icsk_ack.ato) is 0 until the first text sets it to
	 *   TCP_ATO_MIN, so its timer fires at the next jiffy. */
	uint64_t delack_time;
	uint32_t delack_segments;
	bool ack_out_of_order_now;
	bool ack_gap_fill_now;
	enum ref_ack_fin ack_fin_now;
	uint32_t quickack;
	uint64_t delack_before_text;

	/* ---- closing, §3.6 ----
	 * msl: §3.4.2 "MSL ... is taken to be 2 minutes ... an engineering
	 *   choice"; TIME-WAIT lasts 2*MSL (MUST-13).
	 * rst_on_close_unread / rst_on_data_after_close: SHLD-3 / MAY-1, the
	 *   half-duplex close. fin_wait_2_timeout: not in the RFC (0 = none);
	 *   stacks reap orphans.
	 * abort_rst_ack: the RST of an abort by the user (ABORT, a close with
	 *   unread data, SO_LINGER 0): §3.10.5 "<SEQ=SND.NXT><CTL=RST>" (off);
	 *   on: RST,ACK with ACK = RCV.NXT (Linux tcp_send_active_reset). The
	 *   receiver checks only a RST's sequence number (§3.10.7.4 second),
	 *   so both are valid. */
	uint64_t msl;
	bool rst_on_close_unread;
	bool rst_on_data_after_close;
	bool abort_rst_ack;
	uint64_t fin_wait_2_timeout;

	/* ---- keep-alive, §3.8.4 ----
	 * keepalive: MUST-25 "MUST default to off". keepalive_idle: MUST-28
	 *   "MUST be configurable and MUST default to no less than two hours".
	 * keepalive_intvl / keepalive_count: open; MUST-29 "MUST NOT interpret
	 *   failure to respond to any specific probe as a dead connection".
	 * keepalive_garbage_octet: MAY-6 (one garbage octet, for old peers). */
	bool keepalive;
	uint64_t keepalive_idle;
	uint64_t keepalive_intvl;
	uint32_t keepalive_count;
	bool keepalive_garbage_octet;

	/* ---- RFC 5961 (§3.10.7.4 presents it as a choice) ----
	 * rfc5961_rst: §3 "SHOULD" challenge in-window RSTs (off: RFC 793, any
	 *   in-window RST resets). rfc5961_syn: §4 SYN in a synchronized state
	 *   draws a challenge ACK (off: RFC 793 reset). rfc5961_ack: MAY-12,
	 *   the ACK range [SND.UNA - MAX.SND.WND, SND.NXT] of §5.2.
	 * challenge_ack_limit / challenge_ack_period: §7 "implementations
	 *   SHOULD include an ACK throttling mechanism", values left open (the
	 *   RFC's example: 10 in 5 seconds). Per connection (erratum 4772: a
	 *   global counter is a side channel); 0 = unthrottled. */
	bool rfc5961_rst;
	bool rfc5961_syn;
	bool rfc5961_ack;
	uint32_t challenge_ack_limit;
	uint64_t challenge_ack_period;

	/* ---- choices in §3.10 ----
	 * rst_in_time_wait_closes: §3.10.7.4 closes; RFC 1337 would ignore.
	 * time_wait_ack_any: §3.10.7.4 fifth, TIME-WAIT: "The only thing that
	 *   can arrive in this state is a retransmission of the remote FIN.
	 *   Acknowledge it" — a bare ACK in the window is not answered (off).
	 *   On: every segment but a bare ACK (or RST) exactly at RCV.NXT is
	 *   acknowledged and restarts the 2 MSL timer (Linux
	 *   tcp_timewait_state_process).
	 * syn_rcvd_passive_syn_to_listen: §3.10.7.4 fourth, back to LISTEN.
	 * syn_rcvd_syn_rst: a SYN in the window of a SYN-RECEIVED connection
	 *   from a passive OPEN; off: as the two keys around it say. On: RFC
	 *   793's "send a reset" — a RST answers the SYN (§3.10.7.1's form)
	 *   and the connection is deleted; the listener stays (Linux
	 *   tcp_check_req, embryonic_reset). Takes precedence over
	 *   syn_rcvd_passive_syn_to_listen and rfc5961_syn there.
	 * syn_text_queued: §3.10.7.2 third, text or FIN on a SYN in LISTEN
	 *   "should be queued for processing later": held, then processed
	 *   (and acknowledged) once the handshake's ACK makes the connection
	 *   ESTABLISHED; off: dropped, and the peer sends it again.
	 * syn_sent_bad_ack_retransmit: §3.10.7.3 first, SYN-SENT, an ACK
	 *   outside ISS < SEG.ACK =< SND.NXT: a RST is dropped, another segment
	 *   answered with a RST; the timer is not touched (0). N: also, if the
	 *   SYN was not retransmitted yet, the retransmission timer is set to
	 *   fire N after it ("Previous FIN/ACK or RST/ACK might be ignored",
	 *   Linux tcp_rcv_synsent_state_process, TCP_TIMEOUT_MIN).
	 * fin_after_fin_ignored: §3.10.7.4 eighth, a FIN in CLOSE-WAIT, CLOSING
	 *   or LAST-ACK "Remain in the ... state" and, as every FIN, is
	 *   acknowledged (off). On: a second FIN after the peer's first (at or
	 *   beyond RCV.NXT, which cannot be valid) is ignored without an ACK
	 *   (Linux tcp_rcv_state_process, lwIP tcp_receive).
	 * bad_option: MUST-7 "MUST handle an illegal option length" — how. */
	bool rst_in_time_wait_closes;
	bool time_wait_ack_any;
	bool syn_rcvd_passive_syn_to_listen;
	bool syn_rcvd_syn_rst;
	bool syn_text_queued;
	uint64_t syn_sent_bad_ack_retransmit;
	bool fin_after_fin_ignored;
	enum ref_bad_option_action bad_option;

	/* ---- ICMP, §3.9.2.2 ---- (MUST-56 / RFC 5461; SHLD-26; RFC 5927 §4.1) */
	bool icmp_soft_aborts_syn_sent;
	bool icmp_hard_aborts_synchronized;
	bool icmp_check_seq;

	/* ---- IP ---- MUST-49 "a default TTL"; MUST-48 the Diffserv field. */
	uint8_t ttl;
	uint8_t tos;

	/* ---- RFC 7323 window scale, §2 ----
	 * wscale: §2.2 "This option MAY be sent in an initial <SYN> segment"
	 *   (on: offered on active opens, accepted on passive ones).
	 * wscale_shift: §2.3 the shift is the receiver's choice, "shift.cnt"
	 *   up to 14; -1 = the smallest that lets rcv_buf be advertised. */
	bool wscale;
	int wscale_shift;

	/* ---- RFC 7323 timestamps, §3-§5 ----
	 * timestamps: §3.2 "TCPs MAY send the TSopt in an initial <SYN>".
	 * ts_tick: §5.4 the clock "SHOULD tick ... between 1 ms and 1 second"
	 *   (microseconds per tick). ts_offset: added to the clock; §5.4 /
	 *   RFC 7323 §7.1 suggest a random offset per connection, a value here.
	 * ts_drop_missing: §3.2 "a non-<RST> segment ... without TSopt ...
	 *   SHOULD be silently dropped" once negotiated (off: processed).
	 * ts_on_rst: §3.2 TSopt "SHOULD be sent in an <RST> segment".
	 * paws: §5 PAWS (R1) on; paws_idle: §5.5 TS.Recent is invalid after an
	 *   idle time longer than 24 days (2^31 ms) — the value used.
	 * ts_rtt: §4.1 RTTM, RTT samples from TSecr on ACKs that advance
	 *   SND.UNA (off: RFC 6298 timing with Karn's rule). */
	bool timestamps;
	uint64_t ts_tick;
	uint32_t ts_offset;
	bool ts_drop_missing;
	bool ts_on_rst;
	bool paws;
	uint64_t paws_idle;
	bool ts_rtt;

	/* ---- RFC 2018 SACK, RFC 2883 D-SACK ----
	 * sack: §2 "SACK-Permitted ... MAY be sent in a SYN". dsack: RFC 2883
	 *   is an extension the receiver chooses to send. sack_clear_on_rto:
	 *   RFC 2018 §5.1 "the data sender SHOULD ... ignore prior SACK
	 *   information" after a timeout; RFC 6675 §5.1 would keep it. */
	bool sack;
	bool dsack;
	bool sack_clear_on_rto;

	/* ---- SYN options, order: no RFC fixes it (RFC 7323 Appendix A only
	 * suggests NOP padding) ----
	 * syn_options / synack_options: comma-separated kinds in order: mss,
	 *   sackok, ts, ws, nop. A run of nop belongs to the option after it
	 *   and goes when that option is not sent; the list is padded with EOL
	 *   to 4 bytes. A SYN,ACK carries ws / ts / sackok only if the SYN did. */
	char syn_options[REF_PROFILE_OPTS_MAX];
	char synack_options[REF_PROFILE_OPTS_MAX];

	/* ---- congestion control, RFC 5681 (+ 6582, 3042) ----
	 * cc: MAY-18, the algorithm. iw_segments: §3.1 "IW, the initial value
	 *   of cwnd, MUST be set using the following guidelines as an upper
	 *   bound" — 0 uses that table (4/3/2 segments by SMSS); N segments
	 *   otherwise (RFC 6928: 10). iw_one_after_syn_loss: §3.1 "If the SYN or
	 *   SYN/ACK is lost, the initial window ... MUST consist of no more than
	 *   one full-sized segment" (RFC 6928 relaxes it).
	 * ssthresh_segments: §3.1 "The initial value of ssthresh SHOULD be set
	 *   arbitrarily high ... but it may be reduced" — 0 is arbitrarily
	 *   high; N segments otherwise (@config ssthresh).
	 * abc_limit: §3.1 slow start "cwnd += min (N, SMSS)" — L of RFC 3465,
	 *   in SMSS. dupthresh: §3.2 "three duplicate ACKs". limited_transmit:
	 *   RFC 3042 "SHOULD". idle_restart: §4.1 "SHOULD set cwnd to no more
	 *   than RW before beginning transmission" after an idle RTO.
	 * sack_recovery: RFC 6675 — with SACK, recovery retransmits the holes
	 *   below the highest SACKed octet and never SACKed data. */
	enum ref_cc_algo cc;
	uint32_t iw_segments;
	uint32_t ssthresh_segments;
	bool iw_one_after_syn_loss;
	uint32_t abc_limit;
	uint32_t dupthresh;
	bool limited_transmit;
	bool idle_restart;
	bool sack_recovery;

	/* ---- listen ---- the backlog cap (somaxconn), not in the RFC. */
	uint32_t max_backlog;
};

/* The strict RFC profile. The result is a static constant; copy it to
 * change fields. Never NULL. */
const struct ref_profile *ref_profile_rfc(void);

/* A built-in profile by name ("rfc", "lwip"), or NULL. Static. */
const struct ref_profile *ref_profile_by_name(const char *name);

/* The names of the built-in profiles, NULL-terminated; static. */
const char *const *ref_profile_names(void);

/* ---- the text form ----------------------------------------------------------- */

/* Set one field of `p` from its key (the field name) and a value string.
 * Values: on/off (also true/false, 1/0) for switches; decimal numbers for
 * counts and sizes; times as a number with a unit, "200ms", "1s", "1.5s",
 * "500us" (a bare number is microseconds); enums by name (cc = newreno,
 * zwp_form = new-octet, bad_option = drop, ...); `wscale_shift` also takes
 * "auto". The key `base` copies a built-in profile (its name kept if `p`
 * has one). Returns 0, or -EINVAL with a message in `err` (may be NULL;
 * at most `errcap` bytes) for an unknown key or a bad value. `p` is left
 * unchanged on error. Pure: no I/O. */
int ref_profile_set(struct ref_profile *p, const char *key, const char *value, char *err,
		    size_t errcap);

/* Parse a whole profile file's text: one `key = value` a line, `#` starts a
 * comment, blank lines ignored. Applies the lines in order to `p` (start it
 * from a built-in, or use `base = rfc` as the first line). Returns 0 or
 * -EINVAL with "line N: message" in `err`; on error `p` holds the lines
 * before the bad one. */
int ref_profile_parse(struct ref_profile *p, const char *text, char *err, size_t errcap);

/* The value of field `key` as ref_profile_set() reads it, into buf. Returns
 * 0, or -EINVAL for an unknown key. */
int ref_profile_get(const struct ref_profile *p, const char *key, char *buf, size_t cap);

/* The keys, in the struct's order, NULL-terminated; static. */
const char *const *ref_profile_keys(void);

/* Write `p` as a profile file (every key). Returns the length it needs
 * (like snprintf); the text is cut to `cap`. */
size_t ref_profile_format(const struct ref_profile *p, char *buf, size_t cap);

#endif
