/* The built-in profiles and their text form (see ref_profile.h). */
#include "reference/ref_profile.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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
	.rcv_wnd_mss_round = false,   /* §3.8.6: RCV.WND is the free buffer, up to 65535 unscaled */
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
	.ack_fin_now = REF_ACK_FIN_NOW, /* §3.10.7.4 eighth: "send an acknowledgment for the FIN" */
	.quickack = 0,               /* SHLD-18: every ACK of text may wait */
	.delack_before_text = 200 * MSEC, /* as delack_time */

	.msl = 120 * SEC,            /* §3.4.2: MSL = 2 minutes */
	.rst_on_close_unread = true, /* SHLD-3 */
	.rst_on_data_after_close = true, /* SHLD-3 */
	.abort_rst_ack = false,       /* §3.10.5: <SEQ=SND.NXT><CTL=RST> */
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
	.time_wait_ack_any = false,   /* §3.10.7.4 fifth: only a FIN (or text) is acknowledged */
	.syn_rcvd_passive_syn_to_listen = true,
	.syn_rcvd_syn_rst = false,    /* §3.10.7.4 fourth: back to LISTEN, silently */
	.syn_text_queued = true,     /* §3.10.7.2: "should be queued" */
	.syn_sent_bad_ack_retransmit = 0, /* §3.10.7.3: drop it, nothing more */
	.fin_after_fin_ignored = false, /* §3.10.7.4 eighth: acknowledged, the state stays */
	.bad_option = REF_BADOPT_DROP,

	.icmp_soft_aborts_syn_sent = false, /* MUST-56 */
	.icmp_hard_aborts_synchronized = true, /* SHLD-26 */
	.icmp_check_seq = true,      /* RFC 5927 §4.1 */

	.ttl = 64,                   /* RFC 1700 / RFC 791 practice */
	.tos = 0,

	.challenge_ack_limit = 10,   /* RFC 5961 §7's example: 10 in 5 s ... */
	.challenge_ack_period = 5 * SEC, /* ... per connection (erratum 4772) */

	.wscale = true,              /* RFC 7323 §2.2 MAY: offered */
	.wscale_shift = -1,          /* §2.3: the smallest covering the buffer */
	.timestamps = true,          /* RFC 7323 §3.2 MAY: offered */
	.ts_tick = 1 * MSEC,         /* §5.4: 1 ms .. 1 s per tick */
	.ts_offset = 0,
	.ts_drop_missing = true,     /* §3.2 SHOULD */
	.ts_on_rst = true,           /* §3.2 SHOULD */
	.paws = true,                /* §5 */
	.paws_idle = 24 * 86400 * SEC, /* §5.5: 24 days */
	.ts_rtt = true,              /* §4.1 RTTM */
	.sack = true,                /* RFC 2018 §2 MAY */
	.dsack = true,               /* RFC 2883 */
	.sack_clear_on_rto = true,   /* RFC 2018 §5.1 SHOULD */
	.syn_options = "mss,sackok,ts,nop,ws",
	.synack_options = "mss,sackok,ts,nop,ws",

	.cc = REF_CC_NEWRENO,        /* RFC 5681 + RFC 6582 */
	.iw_segments = 0,            /* RFC 5681 §3.1 table */
	.ssthresh_segments = 0,      /* RFC 5681 §3.1: "arbitrarily high" */
	.iw_one_after_syn_loss = true, /* RFC 5681 §3.1 MUST */
	.abc_limit = 1,              /* RFC 5681 (2): cwnd += min(N, SMSS) */
	.dupthresh = 3,              /* RFC 5681 §3.2 */
	.limited_transmit = true,    /* RFC 3042 SHOULD */
	.idle_restart = true,        /* RFC 5681 §4.1 SHOULD */
	.sack_recovery = true,       /* RFC 6675 (basic form) */

	.max_backlog = 4096,
};

/* Linux 6.x's TCP as the `linux` and `linux-raw` targets configure it in
 * their private namespace: targets/linux/lx_config.c pins the sysctls
 * (congestion control reno, no tail loss probe / RACK / F-RTO, no ACK
 * rate limits, tcp_no_metrics_save) to these choices. Values from
 * include/net/tcp.h and the sysctl defaults; everything not named here is
 * the `rfc` profile's. Mirrored by reference/profiles/linux.profile. */
static const struct ref_profile profile_linux = {
	.name = "linux",

	.rto_initial = 1 * SEC,      /* RFC 6298 (2.1) */
	.rto_min = 200 * MSEC,         /* TCP_RTO_MIN; sysctl tcp_rto_min_us pinned 200000 */
	.rto_max = 120 * SEC,          /* TCP_RTO_MAX; sysctl tcp_rto_max_ms */
	.rto_syn_fallback = 3 * SEC, /* RFC 6298 (5.7) */
	.rto_granularity = 1,        /* the clock is in microseconds */

	.r1_retransmissions = 3,     /* SHLD-10 */
	.r2_data = 100 * SEC,        /* SHLD-11 */
	.r2_syn = 127 * SEC,          /* tcp_syn_retries 6, exponential backoff */

	.mss_default_v4 = 536,       /* MUST-15 */
	.mss_default_v6 = 1220,      /* MUST-15 */
	.syn_mss_always = true,      /* MAY-3 */

	.rcv_buf = 131072,            /* tcp_rmem[1] */
	.rcv_wnd_mss_round = true,    /* tcp_select_initial_window: rounddown(space, mss) */
	.snd_buf = 16384,             /* tcp_wmem[1] */
	.ooo_max_ranges = 32,
	.sws_fs_percent = 50,        /* §3.8.6.2.1: Fs = 1/2 */
	.sws_fr_percent = 50,        /* §3.8.6.2.2: Fr = 1/2 */
	.sws_override = 200 * MSEC,  /* §3.8.6.2.1: 0.1 - 1.0 s */
	.zwp_form = REF_ZWP_EMPTY_OLD, /* tcp_xmit_probe_skb: empty, at SND.UNA-1 */

	.nagle = true,               /* SHLD-7 */
	.urgent_bypasses_nagle = true,

	.delack_time = 40 * MSEC,     /* TCP_DELACK_MIN (the timer adapts up to 200 ms) */
	.delack_segments = 2,        /* SHLD-19 */
	.ack_out_of_order_now = true, /* MAY-13, RFC 5681 §4.2 SHOULD */
	.ack_gap_fill_now = true,    /* RFC 5681 §4.2 SHOULD */
	.ack_fin_now = REF_ACK_FIN_FIN_WAIT, /* tcp_fin: CLOSE-WAIT enters pingpong mode (delayed);
	                             * FIN-WAIT-1/2 tcp_send_ack at once */
	.quickack = 16,              /* tcp_incr_quickack: TCP_MAX_QUICKACKS */
	.delack_before_text = 1 * MSEC, /* icsk_ack.ato = 0: the next jiffy (HZ 1000) */

	.msl = 30 * SEC,             /* TIME-WAIT is TCP_TIMEWAIT_LEN = 60 s = 2*MSL */
	.rst_on_close_unread = true, /* SHLD-3 */
	.rst_on_data_after_close = true, /* SHLD-3 */
	.abort_rst_ack = true,        /* tcp_send_active_reset: TCPHDR_ACK | TCPHDR_RST */
	.fin_wait_2_timeout = 60 * SEC, /* tcp_fin_timeout */

	.keepalive = false,          /* MUST-25 */
	.keepalive_idle = 7200 * SEC, /* MUST-28 */
	.keepalive_intvl = 75 * SEC, /* RFC 1122 practice */
	.keepalive_count = 9,        /* MUST-29: more than one probe */
	.keepalive_garbage_octet = false, /* SHLD-12 */

	.rfc5961_rst = true,         /* §3.10.7.4 recommends the mitigation */
	.rfc5961_syn = true,
	.rfc5961_ack = true,         /* Linux always applies RFC 5961 */

	.rst_in_time_wait_closes = true,
	.time_wait_ack_any = true,    /* tcp_timewait_state_process: in window is seq == rcv_nxt only */
	.syn_rcvd_passive_syn_to_listen = true,
	.syn_rcvd_syn_rst = true,     /* tcp_check_req: embryonic_reset */
	.syn_text_queued = false,    /* dropped without TCP Fast Open; the peer resends */
	.syn_sent_bad_ack_retransmit = 2 * MSEC, /* tcp_rcv_synsent_state_process: TCP_TIMEOUT_MIN */
	.fin_after_fin_ignored = true, /* tcp_rcv_state_process step 7: not queued, no ACK */
	.bad_option = REF_BADOPT_DROP,

	.icmp_soft_aborts_syn_sent = false, /* MUST-56 */
	.icmp_hard_aborts_synchronized = true, /* SHLD-26 */
	.icmp_check_seq = true,      /* RFC 5927 §4.1 */

	.ttl = 64,                   /* RFC 1700 / RFC 791 practice */
	.tos = 0,

	.challenge_ack_limit = 0,    /* sysctl tcp_challenge_ack_limit pinned to INT_MAX */
	.challenge_ack_period = 0,

	.wscale = true,              /* RFC 7323 §2.2 MAY: offered */
	.wscale_shift = -1,          /* §2.3: the smallest covering the buffer */
	.timestamps = true,          /* RFC 7323 §3.2 MAY: offered */
	.ts_tick = 1 * MSEC,         /* §5.4: 1 ms .. 1 s per tick */
	.ts_offset = 0,
	.ts_drop_missing = true,     /* §3.2 SHOULD */
	.ts_on_rst = true,           /* §3.2 SHOULD */
	.paws = true,                /* §5 */
	.paws_idle = 24 * 86400 * SEC, /* §5.5: 24 days */
	.ts_rtt = true,              /* §4.1 RTTM */
	.sack = true,                /* RFC 2018 §2 MAY */
	.dsack = true,               /* RFC 2883 */
	.sack_clear_on_rto = true,   /* RFC 2018 §5.1 SHOULD */
	.syn_options = "mss,sackok,ts,nop,ws",
	.synack_options = "mss,sackok,ts,nop,ws",

	.cc = REF_CC_RENO,        /* pinned: the namespace cannot pick cubic */
	.iw_segments = 10,           /* TCP_INIT_CWND */
	.ssthresh_segments = 0,      /* RFC 5681 §3.1: "arbitrarily high" */
	.iw_one_after_syn_loss = true, /* RFC 5681 §3.1 MUST */
	.abc_limit = 1,              /* RFC 5681 (2): cwnd += min(N, SMSS) */
	.dupthresh = 3,              /* RFC 5681 §3.2 */
	.limited_transmit = true,    /* RFC 3042 SHOULD */
	.idle_restart = false,       /* tcp_slow_start_after_idle pinned 0 */
	.sack_recovery = true,       /* RFC 6675 (basic form) */

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
	.rcv_wnd_mss_round = false,
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
	.ack_fin_now = REF_ACK_FIN_NOW, /* tcp_process: TF_GOT_FIN, tcp_ack_now */
	.quickack = 0,
	.delack_before_text = 250 * MSEC, /* as delack_time */

	.msl = 60 * SEC,             /* TCP_MSL */
	.rst_on_close_unread = true, /* tcp_close_shutdown: data not tcp_recved */
	.rst_on_data_after_close = true, /* TF_RXCLOSED */
	.abort_rst_ack = true,        /* tcp_abandon -> tcp_rst: ACK = rcv_nxt */
	.fin_wait_2_timeout = 20 * SEC, /* TCP_FIN_WAIT_TIMEOUT, after close() */

	.keepalive = false,
	.keepalive_idle = 7200 * SEC, /* TCP_KEEPIDLE_DEFAULT */
	.keepalive_intvl = 75 * SEC, /* TCP_KEEPINTVL_DEFAULT */
	.keepalive_count = 9,        /* TCP_KEEPCNT_DEFAULT */
	.keepalive_garbage_octet = false,

	.rfc5961_rst = false,        /* lwIP 2.1.3 has no RFC 5961 mitigations */
	.rfc5961_syn = false,
	.rfc5961_ack = false,

	.rst_in_time_wait_closes = false, /* tcp_timewait_input ignores RST (RFC 1337) */
	.time_wait_ack_any = false,
	.syn_rcvd_passive_syn_to_listen = true,
	.syn_rcvd_syn_rst = false,
	.syn_text_queued = false,    /* tcp_listen_input ignores it */
	.syn_sent_bad_ack_retransmit = 0,
	.fin_after_fin_ignored = true, /* tcp_receive takes nothing once it has the FIN */
	.bad_option = REF_BADOPT_DROP,

	.icmp_soft_aborts_syn_sent = false, /* ICMP errors never reach TCP */
	.icmp_hard_aborts_synchronized = false,
	.icmp_check_seq = true,

	.ttl = 255,                  /* TCP_TTL = IP_DEFAULT_TTL */
	.tos = 0,

	.challenge_ack_limit = 0,    /* no throttling */
	.challenge_ack_period = 0,

	.wscale = false,             /* LWIP_WND_SCALE 0 */
	.wscale_shift = 0,
	.timestamps = false,         /* LWIP_TCP_TIMESTAMPS 0 */
	.ts_tick = 1 * MSEC,         /* sys_now() ms when compiled in */
	.ts_offset = 0,
	.ts_drop_missing = false,
	.ts_on_rst = false,
	.paws = false,               /* no PAWS check */
	.paws_idle = 24 * 86400 * SEC,
	.ts_rtt = true,
	.sack = false,               /* LWIP_TCP_SACK_OUT 0 */
	.dsack = false,
	.sack_clear_on_rto = true,
	.syn_options = "mss,nop,nop,ts,nop,ws,nop,nop,sackok", /* tcp_out.c order */
	.synack_options = "mss,nop,nop,ts,nop,ws,nop,nop,sackok",

	.cc = REF_CC_RENO,           /* any new ACK ends fast recovery */
	.iw_segments = 0,            /* LWIP_TCP_CALC_INITIAL_CWND (RFC 3390) */
	.ssthresh_segments = 0,      /* RFC 5681 §3.1: "arbitrarily high" */
	.iw_one_after_syn_loss = false,
	.abc_limit = 2,              /* tcp_in.c: L = 2 SMSS */
	.dupthresh = 3,
	.limited_transmit = false,   /* no RFC 3042 */
	.idle_restart = false,
	.sack_recovery = false,      /* never uses received SACK */

	.max_backlog = 255,          /* tcp_listen_with_backlog takes a u8_t */
};

static const struct ref_profile *const builtins[] = { &profile_rfc, &profile_lwip,
						       &profile_linux };
static const char *const builtin_names[] = { "rfc", "lwip", "linux", NULL };

const struct ref_profile *ref_profile_rfc(void) { return &profile_rfc; }

const char *const *ref_profile_names(void) { return builtin_names; }

const struct ref_profile *ref_profile_by_name(const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(name, builtins[i]->name) == 0)
			return builtins[i];
	return NULL;
}

/* ---- the text form ------------------------------------------------------------------ */

enum key_type { K_BOOL, K_U8, K_U16, K_U32, K_UNS, K_SHIFT, K_TIME, K_ENUM, K_STR };

struct key {
	const char *name;
	enum key_type type;
	size_t off;
	uint64_t max;                /* numbers: the largest value */
	const char *const *enums;    /* K_ENUM: names by value, NULL-terminated */
};

_Static_assert(sizeof(enum ref_cc_algo) == sizeof(int) &&
		       sizeof(enum ref_zwp_form) == sizeof(int) &&
		       sizeof(enum ref_bad_option_action) == sizeof(int) &&
		       sizeof(enum ref_ack_fin) == sizeof(int),
	       "enum fields are stored as int");

static const char *const cc_names[] = { "none", "reno", "newreno", NULL };
static const char *const zwp_names[] = { "new-octet", "empty-old", NULL };
static const char *const badopt_names[] = { "drop", "ignore-rest", NULL };
static const char *const ack_fin_names[] = { "off", "on", "fin-wait", NULL };

#define F(f) offsetof(struct ref_profile, f)
#define B(f) { #f, K_BOOL, F(f), 1, NULL }
#define T(f) { #f, K_TIME, F(f), UINT64_MAX / 2, NULL }
#define N(f, type, max) { #f, type, F(f), max, NULL }

static const struct key keys[] = {
	T(rto_initial), T(rto_min), T(rto_max), T(rto_syn_fallback), T(rto_granularity),
	N(r1_retransmissions, K_UNS, 1000000), T(r2_data), T(r2_syn),
	N(mss_default_v4, K_U16, 65535), N(mss_default_v6, K_U16, 65535), B(syn_mss_always),
	N(rcv_buf, K_U32, 1u << 30), B(rcv_wnd_mss_round), N(snd_buf, K_U32, 1u << 30),
	N(ooo_max_ranges, K_U32, 4096),
	N(sws_fs_percent, K_U32, 100), N(sws_fr_percent, K_U32, 100), T(sws_override),
	{ "zwp_form", K_ENUM, F(zwp_form), 0, zwp_names },
	B(nagle), B(urgent_bypasses_nagle),
	T(delack_time), N(delack_segments, K_U32, 1000), B(ack_out_of_order_now),
	B(ack_gap_fill_now), { "ack_fin_now", K_ENUM, F(ack_fin_now), 0, ack_fin_names },
	N(quickack, K_U32, 1000), T(delack_before_text),
	T(msl), B(rst_on_close_unread), B(rst_on_data_after_close), B(abort_rst_ack),
	T(fin_wait_2_timeout),
	B(keepalive), T(keepalive_idle), T(keepalive_intvl), N(keepalive_count, K_U32, 1000000),
	B(keepalive_garbage_octet),
	B(rfc5961_rst), B(rfc5961_syn), B(rfc5961_ack), N(challenge_ack_limit, K_U32, 1000000000),
	T(challenge_ack_period),
	B(rst_in_time_wait_closes), B(time_wait_ack_any), B(syn_rcvd_passive_syn_to_listen),
	B(syn_rcvd_syn_rst), B(syn_text_queued), T(syn_sent_bad_ack_retransmit),
	B(fin_after_fin_ignored),
	{ "bad_option", K_ENUM, F(bad_option), 0, badopt_names },
	B(icmp_soft_aborts_syn_sent), B(icmp_hard_aborts_synchronized), B(icmp_check_seq),
	N(ttl, K_U8, 255), N(tos, K_U8, 255),
	B(wscale), N(wscale_shift, K_SHIFT, 14),
	B(timestamps), T(ts_tick), N(ts_offset, K_U32, UINT32_MAX), B(ts_drop_missing),
	B(ts_on_rst), B(paws), T(paws_idle), B(ts_rtt),
	B(sack), B(dsack), B(sack_clear_on_rto),
	{ "syn_options", K_STR, F(syn_options), REF_PROFILE_OPTS_MAX, NULL },
	{ "synack_options", K_STR, F(synack_options), REF_PROFILE_OPTS_MAX, NULL },
	{ "cc", K_ENUM, F(cc), 0, cc_names },
	N(iw_segments, K_U32, 1000), N(ssthresh_segments, K_U32, 1000000),
	B(iw_one_after_syn_loss), N(abc_limit, K_U32, 1000),
	N(dupthresh, K_U32, 1000), B(limited_transmit), B(idle_restart), B(sack_recovery),
	N(max_backlog, K_U32, 1000000),
};

#define NKEYS (sizeof keys / sizeof keys[0])

const char *const *ref_profile_keys(void)
{
	static const char *names[NKEYS + 1];
	size_t i;

	if (names[0] == NULL) /* benign: every caller writes the same values */
		for (i = 0; i < NKEYS; i++)
			names[i] = keys[i].name;
	return names;
}

static const struct key *find_key(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	return NULL;
}

/* "<what> '<a>'<b>" into err; always -EINVAL. */
static int fail(char *err, size_t cap, const char *what, const char *a, const char *b)
{
	if (err != NULL && cap > 0)
		snprintf(err, cap, "%s'%s'%s", what, a, b);
	return -EINVAL;
}

static int bad_value(char *err, size_t cap, const char *key, const char *v, const char *why)
{
	if (err != NULL && cap > 0)
		snprintf(err, cap, "%s = '%s': %s", key, v, why);
	return -EINVAL;
}

static int parse_bool(const char *v, uint64_t *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "1") || !strcmp(v, "yes"))
		*out = 1;
	else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "0") || !strcmp(v, "no"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int parse_num(const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long n;

	if (*v < '0' || *v > '9')
		return -1;
	errno = 0;
	n = strtoull(v, &end, 10);
	if (*end || errno || n > max)
		return -1;
	*out = n;
	return 0;
}

/* "1.5s", "200ms", "500us", "7200" (µs) -> microseconds. */
static int parse_time(const char *v, uint64_t max, uint64_t *out)
{
	uint64_t whole = 0, frac = 0, fscale = 1, mult = 1;
	const char *p = v;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			if (fscale < 1000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fscale *= 10;
			}
	if (!strcmp(p, "s"))
		mult = 1000000;
	else if (!strcmp(p, "ms"))
		mult = 1000;
	else if (strcmp(p, "us") != 0 && *p != '\0')
		return -1;
	if (whole > max / mult)
		return -1;
	*out = whole * mult + frac * mult / fscale;
	return *out > max ? -1 : 0;
}

static int parse_enum(const char *const *names, const char *v, uint64_t *out)
{
	uint64_t i;

	for (i = 0; names[i] != NULL; i++)
		if (!strcmp(names[i], v)) {
			*out = i;
			return 0;
		}
	return -1;
}

/* syn_options: a comma-separated list of known kinds. */
static bool opt_list_ok(const char *v)
{
	static const char *const kinds[] = { "mss", "sackok", "ts", "ws", "nop", NULL };
	char buf[REF_PROFILE_OPTS_MAX], *tok, *save = NULL;
	uint64_t dummy;

	if (strlen(v) >= sizeof buf)
		return false;
	strcpy(buf, v);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (parse_enum(kinds, tok, &dummy) != 0)
			return false;
	return true;
}

static void store(struct ref_profile *p, const struct key *k, uint64_t n)
{
	char *f = (char *)p + k->off;

	switch (k->type) {
	case K_BOOL: *(bool *)(void *)f = n != 0; break;
	case K_U8: *(uint8_t *)f = (uint8_t)n; break;
	case K_U16: *(uint16_t *)(void *)f = (uint16_t)n; break;
	case K_U32: *(uint32_t *)(void *)f = (uint32_t)n; break;
	case K_UNS: *(unsigned *)(void *)f = (unsigned)n; break;
	case K_SHIFT: *(int *)(void *)f = n == UINT64_MAX ? -1 : (int)n; break;
	case K_TIME: *(uint64_t *)(void *)f = n; break;
	case K_ENUM: *(int *)(void *)f = (int)n; break; /* enums are int-sized */
	default: break;
	}
}

static int set_base(struct ref_profile *p, const char *v, char *err, size_t cap)
{
	const struct ref_profile *b = ref_profile_by_name(v);
	char name[REF_PROFILE_NAME_MAX];

	if (b == NULL)
		return fail(err, cap, "unknown base profile ", v, " (built-in: rfc, lwip, linux)");
	memcpy(name, p->name, sizeof name);
	*p = *b;
	if (name[0] != '\0')
		memcpy(p->name, name, sizeof name);
	return 0;
}

int ref_profile_set(struct ref_profile *p, const char *key, const char *value, char *err,
		    size_t errcap)
{
	const struct key *k;
	uint64_t n = 0;
	int rc = -1;

	if (p == NULL || key == NULL || value == NULL)
		return fail(err, errcap, "missing key or value", "", "");
	if (!strcmp(key, "base"))
		return set_base(p, value, err, errcap);
	if (!strcmp(key, "name")) {
		if (!*value || strlen(value) >= REF_PROFILE_NAME_MAX)
			return fail(err, errcap, "name ", value, ": empty or longer than 31 bytes");
		strcpy(p->name, value);
		return 0;
	}
	k = find_key(key);
	if (k == NULL)
		return fail(err, errcap, "unknown profile key ", key, "");
	switch (k->type) {
	case K_BOOL: rc = parse_bool(value, &n); break;
	case K_TIME: rc = parse_time(value, k->max, &n); break;
	case K_ENUM: rc = parse_enum(k->enums, value, &n); break;
	case K_SHIFT:
		if (!strcmp(value, "auto")) {
			n = UINT64_MAX;
			rc = 0;
		} else {
			rc = parse_num(value, k->max, &n);
		}
		break;
	case K_STR:
		if (!opt_list_ok(value))
			return bad_value(err, errcap, key, value,
					 "expected a comma-separated list of mss, sackok, ts, ws, nop");
		strcpy((char *)p + k->off, value);
		return 0;
	default: rc = parse_num(value, k->max, &n); break;
	}
	if (rc != 0)
		return bad_value(err, errcap, key, value,
				 k->type == K_BOOL   ? "expected on or off"
				 : k->type == K_TIME ? "expected a time such as 200ms, 1s, 500us"
				 : k->type == K_ENUM ? "not one of the names this key takes"
						     : "expected a number in range");
	store(p, k, n);
	return 0;
}

static void fmt_time(uint64_t us, char *buf, size_t cap)
{
	if (us != 0 && us % 1000000 == 0)
		snprintf(buf, cap, "%llus", (unsigned long long)(us / 1000000));
	else if (us != 0 && us % 1000 == 0)
		snprintf(buf, cap, "%llums", (unsigned long long)(us / 1000));
	else
		snprintf(buf, cap, "%lluus", (unsigned long long)us);
}

int ref_profile_get(const struct ref_profile *p, const char *key, char *buf, size_t cap)
{
	const struct key *k = key ? find_key(key) : NULL;
	const char *f;
	unsigned long long n = 0;

	if (k == NULL || cap == 0)
		return -EINVAL;
	f = (const char *)p + k->off;
	switch (k->type) {
	case K_BOOL: snprintf(buf, cap, "%s", *(const bool *)(const void *)f ? "on" : "off"); return 0;
	case K_TIME: fmt_time(*(const uint64_t *)(const void *)f, buf, cap); return 0;
	case K_STR: snprintf(buf, cap, "%s", f); return 0;
	case K_ENUM: snprintf(buf, cap, "%s", k->enums[*(const int *)(const void *)f]); return 0;
	case K_SHIFT:
		if (*(const int *)(const void *)f < 0) {
			snprintf(buf, cap, "auto");
			return 0;
		}
		n = (unsigned long long)*(const int *)(const void *)f;
		break;
	case K_U8: n = *(const uint8_t *)f; break;
	case K_U16: n = *(const uint16_t *)(const void *)f; break;
	case K_U32: n = *(const uint32_t *)(const void *)f; break;
	case K_UNS: n = *(const unsigned *)(const void *)f; break;
	}
	snprintf(buf, cap, "%llu", n);
	return 0;
}

size_t ref_profile_format(const struct ref_profile *p, char *buf, size_t cap)
{
	size_t used = 0, i;
	char v[REF_PROFILE_OPTS_MAX + 8];
	int n;

	n = snprintf(buf, cap, "name = %s\n", p->name);
	used = n > 0 ? (size_t)n : 0;
	for (i = 0; i < NKEYS; i++) {
		ref_profile_get(p, keys[i].name, v, sizeof v);
		n = snprintf(used < cap ? buf + used : NULL, used < cap ? cap - used : 0,
			     "%s = %s\n", keys[i].name, v);
		used += n > 0 ? (size_t)n : 0;
	}
	return used;
}

static char *trim(char *a)
{
	char *e;

	while (*a == ' ' || *a == '\t')
		a++;
	e = a + strlen(a);
	while (e > a && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return a;
}

static int parse_line(struct ref_profile *p, char *line, unsigned no, char *err, size_t cap)
{
	char *eq, *hash = strchr(line, '#'), *k, *v, msg[160];
	int rc;

	if (hash != NULL)
		*hash = '\0';
	k = trim(line);
	if (*k == '\0')
		return 0;
	eq = strchr(k, '=');
	if (eq == NULL) {
		if (err != NULL && cap > 0)
			snprintf(err, cap, "line %u: expected key = value", no);
		return -EINVAL;
	}
	*eq = '\0';
	k = trim(k);
	v = trim(eq + 1);
	rc = ref_profile_set(p, k, v, msg, sizeof msg);
	if (rc != 0 && err != NULL && cap > 0)
		snprintf(err, cap, "line %u: %s", no, msg);
	return rc;
}

int ref_profile_parse(struct ref_profile *p, const char *text, char *err, size_t errcap)
{
	char line[256];
	unsigned no = 0;
	size_t n;
	int rc;

	while (text != NULL && *text) {
		n = strcspn(text, "\n");
		no++;
		if (n >= sizeof line) {
			if (err != NULL && errcap > 0)
				snprintf(err, errcap, "line %u: longer than 255 bytes", no);
			return -EINVAL;
		}
		memcpy(line, text, n);
		line[n] = '\0';
		rc = parse_line(p, line, no, err, errcap);
		if (rc != 0)
			return rc;
		text += n;
		if (*text == '\n')
			text++;
	}
	return 0;
}
