/* Profiles: the choices the RFCs leave to an implementation, as data.
 *
 * A `struct ref_profile` holds every value and switch where RFC 9293 and
 * its companions allow more than one behaviour (timer values, buffer sizes,
 * which of two permitted reactions to take). The reference stack reads
 * nothing else: two stacks with the same profile and configuration behave
 * identically, bit for bit.
 *
 * `ref_profile_rfc()` is the strict profile: the RFCs' own defaults and
 * recommendations (RFC 9293, RFC 6298, RFC 1122 where 9293 defers to it).
 * Later parts add fields (RFC 7323, 2018, 5681 details) and the `linux` and
 * `lwip` profiles; a field added later must default, in `rfc`, to what the
 * RFC says. Times are microseconds, sizes bytes.
 */
#ifndef TCPCHECK_REFERENCE_REF_PROFILE_H
#define TCPCHECK_REFERENCE_REF_PROFILE_H

#include <stdbool.h>
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

/* Congestion control (RFC 5681). Part 1 of the reference keeps a
 * congestion window the sender obeys but does not grow or shrink it; part 2
 * adds the algorithms. */
enum ref_cc_algo {
	REF_CC_NONE, /* cwnd stays at its initial value (UINT32_MAX: unlimited) */
};

struct ref_profile {
	const char *name; /* "rfc", ... (static string) */

	/* ---- retransmission timer, RFC 6298 / §3.8.1 ---- */
	uint64_t rto_initial;      /* (2.1) 1 s */
	uint64_t rto_min;          /* (2.4) 1 s */
	uint64_t rto_max;          /* (2.5) >= 60 s */
	uint64_t rto_syn_fallback; /* (5.7) 3 s after a lost SYN */
	uint64_t rto_granularity;  /* G of (2.2)/(2.3), the clock tick */

	/* ---- connection failures, §3.8.3 ---- */
	unsigned r1_retransmissions; /* R1 as a count, SHLD-10: >= 3 */
	uint64_t r2_data;            /* R2 for data as a time, SHLD-11: >= 100 s */
	uint64_t r2_syn;             /* R2 for SYNs, MUST-23: >= 3 min */

	/* ---- segment sizes, §3.7.1 ---- */
	uint16_t mss_default_v4;  /* send MSS without an MSS option (MUST-15): 536 */
	uint16_t mss_default_v6;  /* 1220 */
	bool syn_mss_always;      /* MAY-3: MSS option in every SYN; else only when
	                           * it differs from the default (SHLD-5) */

	/* ---- buffers and windows, §3.8.6 ---- */
	uint32_t rcv_buf;         /* receive buffer (RCV.BUFF) */
	uint32_t snd_buf;         /* send buffer */
	uint32_t ooo_max_ranges;  /* out-of-order ranges kept (SHLD-31), bounded */
	uint32_t sws_fs_percent;  /* sender SWS Fs, recommended 1/2 (50) */
	uint32_t sws_fr_percent;  /* receiver SWS Fr, recommended 1/2 (50) */
	uint64_t sws_override;    /* sender SWS override timeout, 0.1 - 1.0 s */
	enum ref_zwp_form zwp_form;

	/* ---- sending, §3.7.4 / §3.9.1.2 ---- */
	bool nagle;               /* SHLD-7: default for new connections */
	bool urgent_bypasses_nagle; /* urgent data is sent at once (BSD) */

	/* ---- acknowledgments, §3.8.6.3 ---- */
	uint64_t delack_time;     /* MUST-40: < 0.5 s; 0 = no delayed ACKs */
	uint32_t delack_segments; /* SHLD-19: ACK at least every 2nd full segment */
	bool ack_out_of_order_now; /* MAY-13 / RFC 5681 §4.2 */
	bool ack_gap_fill_now;     /* RFC 5681 §4.2 */
	bool ack_fin_now;          /* ACK a FIN at once */

	/* ---- closing, §3.6 ---- */
	uint64_t msl;             /* §3.4.2: 2 min; TIME-WAIT lasts 2*MSL (MUST-13) */
	bool rst_on_close_unread; /* SHLD-3: close() with unread data sends RST */
	bool rst_on_data_after_close; /* SHLD-3: data after close() draws RST (MAY-1) */
	uint64_t fin_wait_2_timeout; /* orphans in FIN-WAIT-2; 0 = none (the RFC has none) */

	/* ---- keep-alive, §3.8.4 ---- */
	bool keepalive;           /* MUST-25: off */
	uint64_t keepalive_idle;  /* MUST-28: >= 2 h */
	uint64_t keepalive_intvl; /* between unanswered probes */
	uint32_t keepalive_count; /* unanswered probes before giving up (MUST-29: > 1) */
	bool keepalive_garbage_octet; /* MAY-6 */

	/* ---- RFC 5961 (the §3.10.7.4 branch for stacks that implement it) ---- */
	bool rfc5961_rst;         /* challenge ACK for in-window RSTs */
	bool rfc5961_syn;         /* challenge ACK for SYNs in synchronized states */
	bool rfc5961_ack;         /* MAY-12: ACK range check */

	/* ---- choices in §3.10 ---- */
	bool rst_in_time_wait_closes; /* §3.10.7.4 (RFC 1337 would ignore it) */
	bool syn_rcvd_passive_syn_to_listen; /* §3.10.7.4 fourth: back to LISTEN */
	enum ref_bad_option_action bad_option;

	/* ---- ICMP, §3.9.2.2 ---- */
	bool icmp_soft_aborts_syn_sent; /* RFC 5461 practice; the RFC says no (MUST-56) */
	bool icmp_hard_aborts_synchronized; /* SHLD-26; RFC 5927 would not */
	bool icmp_check_seq;      /* RFC 5927 §4.1: quoted SEQ in [SND.UNA, SND.NXT) */

	/* ---- IP ---- */
	uint8_t ttl;              /* MUST-49: default TTL / hop limit */
	uint8_t tos;              /* MUST-48: default Diffserv field */

	/* ---- congestion control, RFC 5681 (part 2) ---- */
	enum ref_cc_algo cc;

	/* ---- listen ---- */
	uint32_t max_backlog;     /* cap on listen()'s backlog (somaxconn) */
};

/* The strict RFC profile. The result is a static constant; copy it to
 * change fields. Never NULL. */
const struct ref_profile *ref_profile_rfc(void);

/* The profile named `name` ("rfc"), or NULL. */
const struct ref_profile *ref_profile_by_name(const char *name);

#endif
