# The `linux` profile: Linux 6.x's TCP as the `linux` and `linux-raw`
# targets configure it in their private namespace. targets/linux/
# lx_config.c pins the namespace's sysctls to these choices before each
# script (congestion control reno, no tail loss probe / RACK / F-RTO, no
# ACK rate limits, tcp_no_metrics_save); a script's @config overrides both
# the same way. Values come from include/net/tcp.h and the sysctl defaults.
# Load it with `tcpcheck run --target ref --profile reference/profiles/linux.profile`.

name = linux
base = rfc

# ---- retransmission timer ----
rto_initial = 1s  # TCP_TIMEOUT_INIT
rto_min = 200ms  # TCP_RTO_MIN, sysctl tcp_rto_min_us (pinned 200000)
rto_max = 120s  # TCP_RTO_MAX, sysctl tcp_rto_max_ms
rto_syn_fallback = 3s  # TCP_TIMEOUT_FALLBACK

# ---- connection failures ----
r1_retransmissions = 3  # tcp_retries1
r2_syn = 127s  # tcp_syn_retries 6 with exponential backoff (tcp_syn_linear_timeouts 0)

# ---- segment sizes ----
mss_default_v4 = 536
mss_default_v6 = 1220
syn_mss_always = on

# ---- buffers and windows ----
rcv_buf = 131072  # tcp_rmem[1]
snd_buf = 16384  # tcp_wmem[1]
zwp_form = empty-old  # tcp_xmit_probe_skb: an empty segment at SND.UNA-1

# ---- sending ----
nagle = on

# ---- acknowledgments ----
delack_time = 40ms  # TCP_DELACK_MIN (the delayed-ACK timer adapts up to 200 ms)
delack_segments = 2
ack_out_of_order_now = on

# ---- closing ----
msl = 30s  # TIME-WAIT is TCP_TIMEWAIT_LEN = 60 s = 2*MSL
fin_wait_2_timeout = 60s  # tcp_fin_timeout
rst_on_close_unread = on

# ---- keep-alive ----
keepalive = off
keepalive_idle = 7200s  # tcp_keepalive_time
keepalive_intvl = 75s  # tcp_keepalive_intvl
keepalive_count = 9  # tcp_keepalive_probes

# ---- RFC 5961: always on in Linux; the namespace lifts the rate limit ----
rfc5961_rst = on
rfc5961_syn = on
rfc5961_ack = on

# ---- choices in §3.10 ----
rst_in_time_wait_closes = on  # tcp_rfc1337 = 0

# ---- RFC 7323, RFC 2018 (the sysctls' defaults; @config sack/ts/wscale) ----
wscale = on
timestamps = on
sack = on
dsack = on

# ---- congestion control ----
cc = reno  # pinned: the namespace cannot pick cubic unless the host allows it
iw_segments = 10  # TCP_INIT_CWND
idle_restart = off  # tcp_slow_start_after_idle pinned 0
