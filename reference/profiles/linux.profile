# The `linux` profile: Linux 6.x's TCP as the `linux` and `linux-raw`
# targets configure it in their private namespace. targets/linux/
# lx_config.c pins the namespace's sysctls to these choices before each
# script (congestion control reno, no tail loss probe / RACK / F-RTO, no
# ACK rate limits, tcp_no_metrics_save); a script's @config overrides both
# the same way. Values come from include/net/tcp.h and the sysctl
# defaults; keys without a comment keep the `rfc` profile's value.
# Mirrors the built-in profile of reference/ref_profile.c.

name = linux

# ---- retransmission timer, RFC 6298 ----
rto_initial = 1s  # TCP_TIMEOUT_INIT
rto_min = 200ms  # TCP_RTO_MIN, sysctl tcp_rto_min_us (pinned 200000)
rto_max = 120s  # TCP_RTO_MAX, sysctl tcp_rto_max_ms
rto_syn_fallback = 3s  # TCP_TIMEOUT_FALLBACK
rto_granularity = 1us

# ---- connection failures, RFC 9293 §3.8.3 ----
r1_retransmissions = 3  # tcp_retries1
r2_data = 100s  # not modelled: Linux gives up after tcp_retries2 = 15 retransmissions (~924 s)
r2_syn = 127s  # tcp_syn_retries 6 with exponential backoff (tcp_syn_linear_timeouts 0)

# ---- segment sizes, §3.7.1 ----
mss_default_v4 = 536
mss_default_v6 = 1220
syn_mss_always = on

# ---- buffers and windows, §3.8.6 ----
rcv_buf = 131072  # tcp_rmem[1]
rcv_wnd_mss_round = on  # tcp_select_initial_window: rounddown(space, mss): 65535 -> 64240 with MSS 1460
snd_buf = 16384  # tcp_wmem[1]
ooo_max_ranges = 32
sws_fs_percent = 50
sws_fr_percent = 50
sws_override = 200ms
zwp_form = empty-old  # tcp_xmit_probe_skb: an empty segment at SND.UNA-1

# ---- sending, §3.7.4 ----
nagle = on
urgent_bypasses_nagle = on

# ---- acknowledgments, §3.8.6.3, RFC 5681 §4.2 ----
delack_time = 40ms  # TCP_DELACK_MIN (the delayed-ACK timer adapts up to 200 ms)
delack_segments = 2
ack_out_of_order_now = on
ack_gap_fill_now = on
ack_fin_now = fin-wait  # tcp_fin: CLOSE-WAIT enters pingpong mode, the ACK waits; FIN-WAIT-1/2: tcp_send_ack at once
quickack = 16  # tcp_incr_quickack: TCP_MAX_QUICKACKS, at most RCV.WND / (2 * RMSS)
delack_before_text = 1ms  # icsk_ack.ato is 0 until the first text (tcp_event_data_recv): the timer fires at the next jiffy

# ---- closing, §3.6 ----
msl = 30s  # TIME-WAIT is TCP_TIMEWAIT_LEN = 60 s = 2*MSL
rst_on_close_unread = on
rst_on_data_after_close = on
abort_rst_ack = on  # tcp_send_active_reset: RST,ACK with ACK = RCV.NXT
fin_wait_2_timeout = 60s  # tcp_fin_timeout

# ---- keep-alive, §3.8.4 ----
keepalive = off
keepalive_idle = 7200s  # tcp_keepalive_time
keepalive_intvl = 75s  # tcp_keepalive_intvl
keepalive_count = 9  # tcp_keepalive_probes
keepalive_garbage_octet = off

# ---- RFC 5961 (challenge ACKs, ACK range, §7 throttling) ----
rfc5961_rst = on  # Linux always applies RFC 5961
rfc5961_syn = on  # Linux always applies RFC 5961
rfc5961_ack = on  # Linux always applies RFC 5961
challenge_ack_limit = 0  # sysctl tcp_challenge_ack_limit pinned to INT_MAX: no throttling
challenge_ack_period = 0us

# ---- choices in §3.10 ----
rst_in_time_wait_closes = on  # tcp_rfc1337 = 0
time_wait_ack_any = on  # tcp_timewait_state_process: a bare ACK not at RCV.NXT is acknowledged
syn_rcvd_passive_syn_to_listen = on
syn_rcvd_syn_rst = on  # tcp_check_req: embryonic_reset, a RST answers the SYN
syn_text_queued = off  # without TCP Fast Open the text is dropped; the peer resends
syn_sent_bad_ack_retransmit = 2ms  # tcp_rcv_synsent_state_process: 'Previous FIN/ACK or RST/ACK might be ignored', TCP_TIMEOUT_MIN
fin_after_fin_ignored = on  # tcp_rcv_state_process: at or past RCV.NXT in CLOSE-WAIT/CLOSING/LAST-ACK, ignored
bad_option = drop

# ---- ICMP, §3.9.2.2 ----
icmp_soft_aborts_syn_sent = off
icmp_hard_aborts_synchronized = on
icmp_check_seq = on

# ---- IP ----
ttl = 64
tos = 0

# ---- RFC 7323 window scale ----
wscale = on
wscale_shift = auto

# ---- RFC 7323 timestamps, PAWS, RTTM ----
timestamps = on
ts_tick = 1ms
ts_offset = 0
ts_drop_missing = on
ts_on_rst = on
paws = on
paws_idle = 2073600s
ts_rtt = on

# ---- RFC 2018 SACK, RFC 2883 D-SACK ----
sack = on
dsack = on
sack_clear_on_rto = on

# ---- options of a SYN / SYN,ACK, in order (mss, sackok, ts, ws, nop) ----
syn_options = mss,sackok,ts,nop,ws
synack_options = mss,sackok,ts,nop,ws

# ---- congestion control, RFC 5681, RFC 6582, RFC 3042, RFC 6675 ----
cc = reno  # pinned: the namespace cannot pick cubic unless the host allows it
iw_segments = 10  # TCP_INIT_CWND
ssthresh_segments = 0  # TCP_INFINITE_SSTHRESH (a new connection has no cached metrics)
iw_one_after_syn_loss = on
abc_limit = 1
dupthresh = 3
limited_transmit = on
idle_restart = off  # tcp_slow_start_after_idle pinned 0
sack_recovery = on

# ---- listen ----
max_backlog = 4096
