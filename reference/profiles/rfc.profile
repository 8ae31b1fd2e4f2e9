# The `rfc` profile: every choice RFC 9293 and its companions (RFC 6298,
# 7323, 2018, 2883, 5961, 5681, 6582, 3042, 1122) leave open, set to what
# the RFCs themselves recommend. reference/ref_profile.h documents each key
# with the RFC sentence that leaves it open.
#
# Mirrors the built-in profile of reference/ref_profile.c (a unit test
# checks that they agree). Copy it, change what you need, and run
#   tcpcheck run --target ref --profile path/to/mine.profile specs/
# A copy may start with `base = rfc` (or `base = lwip`) and list only the
# keys it changes. Times take a unit (200ms, 1s, 500us); switches on / off.

name = rfc

# ---- retransmission timer, RFC 6298 ----
rto_initial = 1s  # (2.1) SHOULD 1 s
rto_min = 1s  # (2.4) SHOULD round up to 1 s
rto_max = 60s  # (2.5) at least 60 s
rto_syn_fallback = 3s  # (5.7)
rto_granularity = 1us

# ---- connection failures, RFC 9293 §3.8.3 ----
r1_retransmissions = 3  # SHLD-10
r2_data = 100s  # SHLD-11
r2_syn = 180s  # MUST-23

# ---- segment sizes, §3.7.1 ----
mss_default_v4 = 536  # MUST-15
mss_default_v6 = 1220  # MUST-15
syn_mss_always = on  # MAY-3

# ---- buffers and windows, §3.8.6 ----
rcv_buf = 65535  # the largest window without scaling
rcv_wnd_mss_round = off  # the window offered is the free buffer (at most 65535 << shift)
snd_buf = 65535
ooo_max_ranges = 32
sws_fs_percent = 50  # §3.8.6.2.1 Fs = 1/2
sws_fr_percent = 50  # §3.8.6.2.2 Fr = 1/2
sws_override = 200ms  # 0.1 - 1.0 s
zwp_form = new-octet

# ---- sending, §3.7.4 ----
nagle = on  # SHLD-7
urgent_bypasses_nagle = on

# ---- acknowledgments, §3.8.6.3, RFC 5681 §4.2 ----
delack_time = 200ms  # MUST-40: < 0.5 s
delack_segments = 2  # SHLD-19
ack_out_of_order_now = on
ack_gap_fill_now = on
ack_fin_now = on
quickack = 0
delack_before_text = 200ms

# ---- closing, §3.6 ----
msl = 120s  # §3.4.2: 2 minutes
rst_on_close_unread = on
rst_on_data_after_close = on
abort_rst_ack = off  # §3.10.5: <SEQ=SND.NXT><CTL=RST>
fin_wait_2_timeout = 0us

# ---- keep-alive, §3.8.4 ----
keepalive = off  # MUST-25
keepalive_idle = 7200s  # MUST-28: >= 2 h
keepalive_intvl = 75s
keepalive_count = 9  # MUST-29
keepalive_garbage_octet = off

# ---- RFC 5961 (challenge ACKs, ACK range, §7 throttling) ----
rfc5961_rst = on
rfc5961_syn = on
rfc5961_ack = off  # MAY-12
challenge_ack_limit = 10  # §7 example: 10 per 5 s, per connection
challenge_ack_period = 5s

# ---- choices in §3.10 ----
rst_in_time_wait_closes = on
time_wait_ack_any = off  # §3.10.7.4 fifth: a bare ACK in the window is not answered
syn_rcvd_passive_syn_to_listen = on
syn_rcvd_syn_rst = off  # §3.10.7.4 fourth: a passive SYN-RECEIVED returns to LISTEN silently
syn_text_queued = on  # §3.10.7.2: "should be queued for processing later"
syn_sent_bad_ack_retransmit = 0us  # §3.10.7.3: the segment is dropped (or answered with a RST), the timer untouched
fin_after_fin_ignored = off  # §3.10.7.4 eighth: a FIN in CLOSE-WAIT, CLOSING, LAST-ACK is acknowledged
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
wscale_shift = auto  # smallest shift that covers rcv_buf (§2.3)

# ---- RFC 7323 timestamps, PAWS, RTTM ----
timestamps = on
ts_tick = 1ms  # §5.4: 1 ms .. 1 s
ts_offset = 0
ts_drop_missing = on  # §3.2 SHOULD
ts_on_rst = on  # §3.2 SHOULD
paws = on
paws_idle = 2073600s  # §5.5: 24 days
ts_rtt = on

# ---- RFC 2018 SACK, RFC 2883 D-SACK ----
sack = on
dsack = on
sack_clear_on_rto = on  # RFC 2018 §5.1 SHOULD

# ---- options of a SYN / SYN,ACK, in order (mss, sackok, ts, ws, nop) ----
syn_options = mss,sackok,ts,nop,ws
synack_options = mss,sackok,ts,nop,ws

# ---- congestion control, RFC 5681, RFC 6582, RFC 3042, RFC 6675 ----
cc = newreno
iw_segments = 0  # 0 = RFC 5681 §3.1 table (4/3/2 segments by SMSS)
ssthresh_segments = 0  # 0 = "arbitrarily high" (RFC 5681 §3.1); N segments otherwise
iw_one_after_syn_loss = on  # RFC 5681 §3.1 MUST
abc_limit = 1  # cwnd += min(N, SMSS)
dupthresh = 3
limited_transmit = on  # RFC 3042 SHOULD
idle_restart = on  # RFC 5681 §4.1 SHOULD
sack_recovery = on

# ---- listen ----
max_backlog = 4096
