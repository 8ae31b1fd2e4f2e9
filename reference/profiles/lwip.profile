# The `lwip` profile: lwIP 2.1.3 as the `lwip` target builds it
# (targets/lwip/port/lwipopts.h): coarse timers (delayed ACK on the 250 ms
# fast timer; RTO, persist, keep-alive and TIME-WAIT in 500 ms ticks), its
# constants (tcp.h, tcp_priv.h, opt.h) and what the suite shows
# (docs/findings/lwip.md). Where lwIP breaks a rule this says what lwIP
# does, so that `tcpcheck diff --profile lwip` separates findings from
# choices. Mirrors the built-in profile of reference/ref_profile.c.

name = lwip

# ---- retransmission timer, RFC 6298 ----
rto_initial = 3s  # tcp_alloc: 3000 ms / TCP_SLOW_INTERVAL
rto_min = 500ms  # the 500 ms tick
rto_max = 384s  # tcp_backoff[] tops out at 7
rto_syn_fallback = 3s
rto_granularity = 500ms  # TCP_SLOW_INTERVAL

# ---- connection failures, RFC 9293 §3.8.3 ----
r1_retransmissions = 3
r2_data = 100s
r2_syn = 180s

# ---- segment sizes, §3.7.1 ----
mss_default_v4 = 536
mss_default_v6 = 536  # INITIAL_MSS (finding lwip-ipv6-default-mss)
syn_mss_always = on

# ---- buffers and windows, §3.8.6 ----
rcv_buf = 65535
rcv_wnd_mss_round = off
snd_buf = 65535
ooo_max_ranges = 32
sws_fs_percent = 50
sws_fr_percent = 9  # TCP_WND_UPDATE_THRESHOLD
sws_override = 200ms
zwp_form = new-octet

# ---- sending, §3.7.4 ----
nagle = on
urgent_bypasses_nagle = off

# ---- acknowledgments, §3.8.6.3, RFC 5681 §4.2 ----
delack_time = 250ms  # the 250 ms fast timer
delack_segments = 2
ack_out_of_order_now = on
ack_gap_fill_now = on
ack_fin_now = on  # tcp_process: TF_GOT_FIN, tcp_ack_now
quickack = 0
delack_before_text = 250ms  # as delack_time

# ---- closing, §3.6 ----
msl = 60s  # TCP_MSL
rst_on_close_unread = on
rst_on_data_after_close = on
abort_rst_ack = on  # tcp_abandon: tcp_rst with ACK = rcv_nxt
fin_wait_2_timeout = 20s  # TCP_FIN_WAIT_TIMEOUT

# ---- keep-alive, §3.8.4 ----
keepalive = off
keepalive_idle = 7200s
keepalive_intvl = 75s
keepalive_count = 9
keepalive_garbage_octet = off

# ---- RFC 5961 (challenge ACKs, ACK range, §7 throttling) ----
rfc5961_rst = off  # not implemented
rfc5961_syn = off
rfc5961_ack = off
challenge_ack_limit = 0
challenge_ack_period = 0us

# ---- choices in §3.10 ----
rst_in_time_wait_closes = off  # RFC 1337 style
time_wait_ack_any = off
syn_rcvd_passive_syn_to_listen = on
syn_rcvd_syn_rst = off
syn_text_queued = off  # tcp_listen_input: text on a SYN is not processed
syn_sent_bad_ack_retransmit = 0us
fin_after_fin_ignored = on  # tcp_receive: nothing is taken after the FIN
bad_option = drop

# ---- ICMP, §3.9.2.2 ----
icmp_soft_aborts_syn_sent = off
icmp_hard_aborts_synchronized = off
icmp_check_seq = on

# ---- IP ----
ttl = 255  # IP_DEFAULT_TTL
tos = 0

# ---- RFC 7323 window scale ----
wscale = off  # LWIP_WND_SCALE 0
wscale_shift = 0

# ---- RFC 7323 timestamps, PAWS, RTTM ----
timestamps = off  # LWIP_TCP_TIMESTAMPS 0
ts_tick = 1ms
ts_offset = 0
ts_drop_missing = off
ts_on_rst = off
paws = off  # no PAWS check
paws_idle = 2073600s
ts_rtt = on

# ---- RFC 2018 SACK, RFC 2883 D-SACK ----
sack = off  # LWIP_TCP_SACK_OUT 0
dsack = off
sack_clear_on_rto = on

# ---- options of a SYN / SYN,ACK, in order (mss, sackok, ts, ws, nop) ----
syn_options = mss,nop,nop,ts,nop,ws,nop,nop,sackok  # tcp_out.c order
synack_options = mss,nop,nop,ts,nop,ws,nop,nop,sackok

# ---- congestion control, RFC 5681, RFC 6582, RFC 3042, RFC 6675 ----
cc = reno  # plain Reno
iw_segments = 0
ssthresh_segments = 0
iw_one_after_syn_loss = off
abc_limit = 2  # L = 2 SMSS
dupthresh = 3
limited_transmit = off  # no RFC 3042
idle_restart = off
sack_recovery = off

# ---- listen ----
max_backlog = 255  # u8_t backlog
