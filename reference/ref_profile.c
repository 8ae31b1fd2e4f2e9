/* The built-in profiles (see ref_profile.h). */
#include "reference/ref_profile.h"

#include <stddef.h>
#include <string.h>

#define SEC ((uint64_t)1000000)
#define MSEC ((uint64_t)1000)

/* Each value cites the sentence it comes from. */
static const struct ref_profile profile_rfc = {
	.name = "rfc",

	.rto_initial = 1 * SEC,      /* RFC 6298 (2.1) */
	.rto_min = 1 * SEC,          /* RFC 6298 (2.4) */
	.rto_max = 60 * SEC,         /* RFC 6298 (2.5): at least 60 s */
	.rto_syn_fallback = 3 * SEC, /* RFC 6298 (5.7) */
	.rto_granularity = 1,        /* the clock is in microseconds */

	.r1_retransmissions = 3,     /* SHLD-10 */
	.r2_data = 100 * SEC,        /* SHLD-11 */
	.r2_syn = 180 * SEC,         /* MUST-23 */

	.mss_default_v4 = 536,       /* MUST-15 */
	.mss_default_v6 = 1220,      /* MUST-15 */
	.syn_mss_always = true,      /* MAY-3 */

	.rcv_buf = 65535,            /* the largest window without RFC 7323 */
	.snd_buf = 65535,
	.ooo_max_ranges = 32,
	.sws_fs_percent = 50,        /* §3.8.6.2.1: Fs = 1/2 */
	.sws_fr_percent = 50,        /* §3.8.6.2.2: Fr = 1/2 */
	.sws_override = 200 * MSEC,  /* §3.8.6.2.1: 0.1 - 1.0 s */
	.zwp_form = REF_ZWP_NEW_OCTET, /* §3.8.6.1: "at least one octet of new data" */

	.nagle = true,               /* SHLD-7 */
	.urgent_bypasses_nagle = true,

	.delack_time = 200 * MSEC,   /* MUST-40 (< 0.5 s); RFC 1122 4.2.3.2 "typically 0.2 s" */
	.delack_segments = 2,        /* SHLD-19 */
	.ack_out_of_order_now = true, /* MAY-13, RFC 5681 §4.2 SHOULD */
	.ack_gap_fill_now = true,    /* RFC 5681 §4.2 SHOULD */
	.ack_fin_now = true,         /* §3.10.7.4 eighth: "send an acknowledgment for the FIN" */

	.msl = 120 * SEC,            /* §3.4.2: MSL = 2 minutes */
	.rst_on_close_unread = true, /* SHLD-3 */
	.rst_on_data_after_close = true, /* SHLD-3 */
	.fin_wait_2_timeout = 0,

	.keepalive = false,          /* MUST-25 */
	.keepalive_idle = 7200 * SEC, /* MUST-28 */
	.keepalive_intvl = 75 * SEC, /* RFC 1122 practice */
	.keepalive_count = 9,        /* MUST-29: more than one probe */
	.keepalive_garbage_octet = false, /* SHLD-12 */

	.rfc5961_rst = true,         /* §3.10.7.4 recommends the mitigation */
	.rfc5961_syn = true,
	.rfc5961_ack = false,        /* MAY-12 */

	.rst_in_time_wait_closes = true,
	.syn_rcvd_passive_syn_to_listen = true,
	.bad_option = REF_BADOPT_DROP,

	.icmp_soft_aborts_syn_sent = false, /* MUST-56 */
	.icmp_hard_aborts_synchronized = true, /* SHLD-26 */
	.icmp_check_seq = true,      /* RFC 5927 §4.1 */

	.ttl = 64,                   /* RFC 1700 / RFC 791 practice */
	.tos = 0,

	.cc = REF_CC_NONE,

	.max_backlog = 4096,
};

/* lwIP 2.1.3 as the `lwip` target builds it (targets/lwip/port/lwipopts.h):
 * its coarse timers (delayed ACK on the 250 ms fast timer; RTO, persist,
 * keep-alive and TIME-WAIT in 500 ms slow ticks), its constants (tcp.h,
 * tcp_priv.h, opt.h) and what the suite shows (docs/findings/lwip.md).
 * Where lwIP breaks a rule the profile says what lwIP does, so that
 * `tcpcheck diff --profile lwip` separates the findings from the choices. */
static const struct ref_profile profile_lwip = {
	.name = "lwip",

	.rto_initial = 3 * SEC,      /* tcp_alloc: rto = 3000 / TCP_SLOW_INTERVAL */
	.rto_min = 500 * MSEC,       /* no minimum but the 500 ms tick */
	.rto_max = 384 * SEC,        /* 3 s << 7: tcp_backoff[] tops out at 7 */
	.rto_syn_fallback = 3 * SEC,
	.rto_granularity = 500 * MSEC, /* TCP_SLOW_INTERVAL */

	.r1_retransmissions = 3,     /* lwIP has no R1 */
	.r2_data = 100 * SEC,        /* lwIP counts: TCP_MAXRTX = 12 retransmissions */
	.r2_syn = 180 * SEC,         /* TCP_SYNMAXRTX = 6 (3 + 6 + ... + 96 s) */

	.mss_default_v4 = 536,       /* INITIAL_MSS */
	.mss_default_v6 = 536,       /* INITIAL_MSS as well: finding lwip-ipv6-default-mss */
	.syn_mss_always = true,

	.rcv_buf = 65535,            /* TCP_WND */
	.snd_buf = 65535,            /* TCP_SND_BUF */
	.ooo_max_ranges = 32,        /* TCP_OOSEQ_MAX_*: unlimited within the window */
	.sws_fs_percent = 50,        /* Nagle only */
	.sws_fr_percent = 9,         /* TCP_WND_UPDATE_THRESHOLD = min(TCP_WND / 4, 4 MSS) = 5840 */
	.sws_override = 200 * MSEC,
	.zwp_form = REF_ZWP_NEW_OCTET, /* tcp_zero_window_probe: one octet of unsent data */

	.nagle = true,
	.urgent_bypasses_nagle = false, /* no urgent data */

	.delack_time = 250 * MSEC,   /* TCP_TMR_INTERVAL: the next fast-timer tick */
	.delack_segments = 2,        /* tcp_ack: ACK now when one is already delayed */
	.ack_out_of_order_now = true,
	.ack_gap_fill_now = true,
	.ack_fin_now = true,

	.msl = 60 * SEC,             /* TCP_MSL */
	.rst_on_close_unread = true, /* tcp_close_shutdown: data not tcp_recved */
	.rst_on_data_after_close = true, /* TF_RXCLOSED */
	.fin_wait_2_timeout = 20 * SEC, /* TCP_FIN_WAIT_TIMEOUT, after close() */

	.keepalive = false,
	.keepalive_idle = 7200 * SEC, /* TCP_KEEPIDLE_DEFAULT */
	.keepalive_intvl = 75 * SEC, /* TCP_KEEPINTVL_DEFAULT */
	.keepalive_count = 9,        /* TCP_KEEPCNT_DEFAULT */
	.keepalive_garbage_octet = false,

	.rfc5961_rst = false,        /* not implemented */
	.rfc5961_syn = false,
	.rfc5961_ack = false,

	.rst_in_time_wait_closes = false, /* tcp_timewait_input ignores RST (RFC 1337) */
	.syn_rcvd_passive_syn_to_listen = true,
	.bad_option = REF_BADOPT_DROP,

	.icmp_soft_aborts_syn_sent = false, /* ICMP errors never reach TCP */
	.icmp_hard_aborts_synchronized = false,
	.icmp_check_seq = true,

	.ttl = 255,                  /* TCP_TTL = IP_DEFAULT_TTL */
	.tos = 0,

	.cc = REF_CC_NONE,

	.max_backlog = 255,          /* tcp_listen_with_backlog takes a u8_t */
};

const struct ref_profile *ref_profile_rfc(void) { return &profile_rfc; }

const struct ref_profile *ref_profile_by_name(const char *name)
{
	if (name != NULL && strcmp(name, "rfc") == 0)
		return &profile_rfc;
	if (name != NULL && strcmp(name, "lwip") == 0)
		return &profile_lwip;
	return NULL;
}
