/* The `linux` profile: the namespace's sysctls, pinned before each script,
 * and a script's @config mapped onto sysctls, socket options and route
 * attributes (README: the @config table, `linux` column); see lx_int.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "targets/linux/lx_int.h"

/* One pinned sysctl. `optional`: a kernel without it is fine (the feature
 * does not exist there); any other failure to set it is an error. */
struct pin {
	const char *path;
	const char *value;
	bool optional;
};

/* Everything that changes what a script sees, at the value the `linux`
 * profile uses. Congestion control is reno: the namespace cannot pick
 * cubic unless the host allows it, and reno is always built in. Loss
 * detection beyond RFC 5681/6298 (tail loss probes, RACK, F-RTO) is off,
 * and so are the rate limits on ACKs that scripts provoke on purpose. */
static const struct pin pins[] = {
	{"net.ipv4.tcp_congestion_control", "reno", false},
	{"net.ipv4.tcp_sack", "1", false},
	{"net.ipv4.tcp_timestamps", "1", false},
	{"net.ipv4.tcp_window_scaling", "1", false},
	{"net.ipv4.tcp_ecn", "2", false},
	{"net.ipv4.tcp_ecn_fallback", "1", true},
	{"net.ipv4.tcp_dsack", "1", false},
	{"net.ipv4.tcp_early_retrans", "0", true},
	{"net.ipv4.tcp_recovery", "0", true},
	{"net.ipv4.tcp_frto", "0", true},
	{"net.ipv4.tcp_fack", "0", true},
	{"net.ipv4.tcp_no_metrics_save", "1", false},
	{"net.ipv4.tcp_no_ssthresh_metrics_save", "1", true},
	{"net.ipv4.tcp_rto_min_us", "200000", true},
	{"net.ipv4.tcp_rto_max_ms", "120000", true},
	{"net.ipv4.tcp_invalid_ratelimit", "0", false},
	{"net.ipv4.tcp_challenge_ack_limit", "2147483647", false},
	{"net.ipv4.tcp_autocorking", "0", true},
	{"net.ipv4.tcp_slow_start_after_idle", "0", false},
	{"net.ipv4.tcp_syn_linear_timeouts", "0", true},
	{"net.ipv4.tcp_thin_linear_timeouts", "0", true},
	{"net.ipv4.tcp_mtu_probing", "0", false},
	{"net.ipv4.tcp_fastopen", "0", true},
	{"net.ipv4.tcp_syncookies", "1", true},
	{"net.ipv4.tcp_rfc1337", "0", false},
	{"net.ipv4.tcp_moderate_rcvbuf", "1", false},
	{"net.ipv4.tcp_retries1", "3", false},
	{"net.ipv4.tcp_retries2", "15", false},
	{"net.ipv4.tcp_syn_retries", "6", false},
	{"net.ipv4.tcp_synack_retries", "5", false},
	{"net.ipv4.tcp_orphan_retries", "0", false},
	{"net.ipv4.tcp_fin_timeout", "60", false},
	{"net.ipv4.tcp_keepalive_time", "7200", false},
	{"net.ipv4.tcp_keepalive_intvl", "75", false},
	{"net.ipv4.tcp_keepalive_probes", "9", false},
	{"net.ipv4.tcp_reordering", "3", false},
	{"net.ipv4.tcp_stdurg", "0", false},
	{"net.ipv4.tcp_abort_on_overflow", "0", false},
	{"net.ipv4.tcp_retrans_collapse", "1", true},
	{"net.ipv4.tcp_base_mss", "1024", false},
	{"net.ipv4.tcp_min_snd_mss", "48", true},
	{"net.ipv4.tcp_workaround_signed_windows", "0", false},
	{"net.ipv4.tcp_adv_win_scale", "1", true},
	{"net.ipv4.tcp_app_win", "31", false},
	{"net.ipv4.tcp_shrink_window", "0", true},
	{"net.ipv4.tcp_pingpong_thresh", "1", true},
	{"net.ipv4.tcp_backlog_ack_defer", "1", true},
	{"net.ipv4.tcp_plb_enabled", "0", true},
	{"net.ipv4.tcp_rmem", "4096 131072 6291456", false},
	{"net.ipv4.tcp_wmem", "4096 16384 4194304", false},
	{"net.ipv4.ip_no_pmtu_disc", "0", false},
};

/* Interfaces made after this: no DAD, no router solicitations, no RAs. */
static const struct pin ipv6_quiet[] = {
	{"net.ipv6.conf.default.accept_dad", "0", true},
	{"net.ipv6.conf.default.dad_transmits", "0", true},
	{"net.ipv6.conf.default.router_solicitations", "0", true},
	{"net.ipv6.conf.default.accept_ra", "0", true},
	{"net.ipv6.conf.all.accept_dad", "0", true},
	{"net.ipv6.conf.all.router_solicitations", "0", true},
	{"net.ipv6.conf.all.accept_ra", "0", true},
};

static int apply_pin(const char *path, const char *value, bool optional, char *why, size_t cap)
{
	int rc = lx_sysctl_write(path, value);
	if (rc == -ENOENT && optional)
		return 0;
	if (rc != 0)
		snprintf(why, cap, "cannot set sysctl %s=%s in the namespace: %s", path, value,
			 strerror(-rc));
	return rc;
}

int lx_config_ipv6_quiet(char *why, size_t cap)
{
	size_t i;
	for (i = 0; i < sizeof ipv6_quiet / sizeof ipv6_quiet[0]; i++) {
		int rc = apply_pin(ipv6_quiet[i].path, ipv6_quiet[i].value, true, why, cap);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- @config ------------------------------------------------------------------- */

static int parse_onoff(const char *v, int *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "true"))
		*out = 1;
	else if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int parse_num(const char *v, long max, long *out)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < 0 || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* A feature switch: the sysctl gets "1"/"0" (tcp_ecn: 1 asks for ECN). */
static int feature(const char *path, const char *v, char *why, size_t cap)
{
	int on;
	if (parse_onoff(v, &on) != 0)
		return -EINVAL;
	return apply_pin(path, on ? "1" : "0", false, why, cap);
}

static int rto_min(const char *v, struct lx_settings *out, char *why, size_t cap)
{
	char *end, buf[32];
	double s = strtod(v, &end);
	int rc;
	if (!*v || *end || s < 0 || s > 120)
		return -EINVAL;
	out->rto_min_us = (uint32_t)(s * 1e6 + 0.5);
	snprintf(buf, sizeof buf, "%u", out->rto_min_us);
	rc = lx_sysctl_write("net.ipv4.tcp_rto_min_us", buf);
	if (rc == 0)
		out->rto_min_via_route = false;
	else if (rc == -ENOENT)
		out->rto_min_via_route = true; /* an older kernel: RTAX_RTO_MIN */
	else
		snprintf(why, cap, "cannot set sysctl net.ipv4.tcp_rto_min_us=%s: %s", buf,
			 strerror(-rc));
	return rc == -ENOENT ? 0 : rc;
}

static void note_missing(struct lx_settings *out, const char *path);

/* `@config sysctl.NAME=VALUE` (a script's shell lines become these,
 * harness/shell.c; or written by hand): a net.* sysctl, written in the
 * run's namespace. Only net.* names are the namespace's own; any other
 * would reach the host, so it is not modelled. One this kernel lacks is
 * reported in the target version, as packetdrill's shell would print it
 * and go on. A default congestion control that only the host's namespace
 * may set (net.ipv4.tcp_allowed_congestion_control) goes on each socket
 * instead, which a namespace's root may do. */
static int sysctl_setting(const char *name, const char *v, struct lx_settings *out, char *why,
			  size_t cap)
{
	int rc;
	if (strncmp(name, "net.", 4) != 0 || strstr(name, "..") || strchr(name, '/')) {
		snprintf(why, cap, "@config sysctl.%s: only net.* sysctls, the namespace's own, "
				   "are set",
			 name);
		return -ENOTSUP;
	}
	rc = lx_sysctl_write(name, v);
	if (rc == -ENOENT) {
		note_missing(out, name);
		return 0;
	}
	if (rc == -EPERM && !strcmp(name, "net.ipv4.tcp_congestion_control") &&
	    strlen(v) < sizeof out->congestion) {
		snprintf(out->congestion, sizeof out->congestion, "%s", v);
		return 0;
	}
	if (rc != 0)
		snprintf(why, cap, "cannot set sysctl %s=%s in the namespace: %s", name, v,
			 strerror(-rc));
	return rc;
}

static int apply_setting(const struct tgt_setting *s, int family, struct lx_settings *out,
			 char *why, size_t cap)
{
	const char *k = s->key, *v = s->value;
	long n = 0;
	int b = 0, rc = 0;
	if (!strncmp(k, "sysctl.", 7))
		return sysctl_setting(k + 7, v, out, why, cap);
	if (!strcmp(k, "sack"))
		rc = feature("net.ipv4.tcp_sack", v, why, cap);
	else if (!strcmp(k, "ts"))
		rc = feature("net.ipv4.tcp_timestamps", v, why, cap);
	else if (!strcmp(k, "wscale"))
		rc = feature("net.ipv4.tcp_window_scaling", v, why, cap);
	else if (!strcmp(k, "ecn"))
		rc = feature("net.ipv4.tcp_ecn", v, why, cap);
	else if (!strcmp(k, "mss")) {
		rc = parse_num(v, 65495, &n);
		out->mtu = (unsigned)n + (family == 6 ? 60u : 40u);
	} else if (!strcmp(k, "rcvbuf")) {
		rc = parse_num(v, 1L << 30, &n);
		out->rcvbuf = (int)n;
	} else if (!strcmp(k, "sndbuf")) {
		rc = parse_num(v, 1L << 30, &n);
		out->sndbuf = (int)n;
	} else if (!strcmp(k, "nodelay")) {
		rc = parse_onoff(v, &b);
		out->nodelay = b;
	} else if (!strcmp(k, "rfc5961")) {
		rc = parse_onoff(v, &b);
		if (rc == 0 && !b) {
			snprintf(why, cap, "@config rfc5961=off: Linux always applies RFC 5961");
			return -ENOTSUP;
		}
	} else if (!strcmp(k, "iw")) {
		rc = parse_num(v, 1024, &n);
		out->initcwnd = (uint32_t)n;
	} else if (!strcmp(k, "ssthresh")) {
		/* tcp_init_metrics reads ssthresh only from the cached metrics of
		 * an earlier connection to the peer (a route's RTAX_SSTHRESH is
		 * ignored for a new destination), and no socket option sets it. */
		snprintf(why, cap, "@config ssthresh=%s: Linux sets no initial ssthresh for a new "
				   "connection (only from the cached metrics of an earlier one)",
			 v);
		return -ENOTSUP;
	} else if (!strcmp(k, "asan")) {	} else if (!strcmp(k, "asan")) {
		return 0; /* about sanitizer builds of in-process stacks: not the kernel */
	} else if (!strcmp(k, "rto_min")) {
		rc = rto_min(v, out, why, cap);
		if (rc == -EINVAL)
			snprintf(why, cap, "@config rto_min=%s: bad value", v);
		return rc;
	} else {
		snprintf(why, cap, "unknown @config key '%s'", k);
		return -EINVAL;
	}
	if (rc == -EINVAL)
		snprintf(why, cap, "@config %s=%s: bad value", k, v);
	return rc;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && strcmp(s + n - m, tail) == 0;
}

/* An optional sysctl this kernel lacks, for the report's target version. */
static void note_missing(struct lx_settings *out, const char *path)
{
	const char *leaf = strrchr(path, '.');
	size_t n = strlen(out->missing);
	snprintf(out->missing + n, sizeof out->missing - n, "%s%s", n ? "," : "",
		 leaf ? leaf + 1 : path);
}

int lx_config_apply(const struct tgt_config *cfg, struct lx_settings *out, char *why, size_t cap)
{
	char probe[64];
	size_t i;
	int rc;
	memset(out, 0, sizeof *out);
	out->nodelay = -1;
	if (cfg->profile && strcmp(cfg->profile, "linux") != 0 &&
	    !ends_with(cfg->profile, "/linux.profile")) {
		snprintf(why, cap, "profile %s: the linux targets run the linux profile only",
			 cfg->profile);
		return -ENOTSUP;
	}
	for (i = 0; i < sizeof pins / sizeof pins[0]; i++) {
		rc = apply_pin(pins[i].path, pins[i].value, pins[i].optional, why, cap);
		if (rc != 0)
			return rc;
		if (pins[i].optional && lx_sysctl_read(pins[i].path, probe, sizeof probe) != 0)
			note_missing(out, pins[i].path);
	}
	for (i = 0; i < cfg->nsettings; i++) {
		rc = apply_setting(&cfg->settings[i], cfg->family, out, why, cap);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- names ---------------------------------------------------------------------- */

#define N(x)                  \
	{                     \
#x, (long)(x) \
	}

static const struct {
	const char *name;
	long value;
} names[] = {
	N(SOL_SOCKET),
	N(IPPROTO_TCP),
	N(SOL_TCP),
	N(IPPROTO_IP),
	N(SOL_IP),
	N(IPPROTO_IPV6),
	N(SOL_IPV6),
	N(SO_DEBUG),
	N(SO_REUSEADDR),
	N(SO_REUSEPORT),
	N(SO_KEEPALIVE),
	N(SO_DONTROUTE),
	N(SO_BROADCAST),
	N(SO_LINGER),
	N(SO_OOBINLINE),
	N(SO_SNDBUF),
	N(SO_RCVBUF),
	N(SO_SNDBUFFORCE),
	N(SO_RCVBUFFORCE),
	N(SO_RCVLOWAT),
	N(SO_SNDLOWAT),
	N(SO_ERROR),
	N(SO_TYPE),
	N(SO_PRIORITY),
	N(SO_MARK),
	N(SO_TIMESTAMP),
	N(SO_ZEROCOPY),
	N(SO_MAX_PACING_RATE),
	N(SO_INCOMING_CPU),
	N(SO_DOMAIN),
	N(SO_PROTOCOL),
	N(SO_ACCEPTCONN),
	N(TCP_NODELAY),
	N(TCP_MAXSEG),
	N(TCP_CORK),
	N(TCP_KEEPIDLE),
	N(TCP_KEEPINTVL),
	N(TCP_KEEPCNT),
	N(TCP_SYNCNT),
	N(TCP_LINGER2),
	N(TCP_DEFER_ACCEPT),
	N(TCP_WINDOW_CLAMP),
	N(TCP_QUICKACK),
	N(TCP_USER_TIMEOUT),
	N(TCP_NOTSENT_LOWAT),
	N(TCP_THIN_LINEAR_TIMEOUTS),
	N(TCP_FASTOPEN),
	N(TCP_FASTOPEN_CONNECT),
	N(TCP_TIMESTAMP),
	N(TCP_INQ),
	N(TCP_TX_DELAY),
	N(TCP_SAVE_SYN),
	N(IP_TOS),
	N(IP_TTL),
	N(IP_RECVERR),
	N(IP_MTU_DISCOVER),
	N(IP_MTU),
	N(IP_FREEBIND),
	N(IP_TRANSPARENT),
	N(IP_BIND_ADDRESS_NO_PORT),
	N(IP_PMTUDISC_DO),
	N(IP_PMTUDISC_DONT),
	N(IPV6_TCLASS),
	N(IPV6_UNICAST_HOPS),
	N(IPV6_V6ONLY),
	N(IPV6_RECVERR),
	N(IPV6_MTU_DISCOVER),
	N(IPV6_MTU),
	N(IPV6_DONTFRAG),
	N(MSG_OOB),
	N(MSG_PEEK),
	N(MSG_DONTWAIT),
	N(MSG_WAITALL),
	N(MSG_NOSIGNAL),
	N(MSG_EOR),
	N(MSG_MORE),
	N(MSG_TRUNC),
	N(MSG_ZEROCOPY),
	N(MSG_FASTOPEN),
	N(F_GETFL),
	N(F_SETFL),
	N(F_GETFD),
	N(F_SETFD),
	N(O_NONBLOCK),
	N(O_RDWR),
	N(SIOCATMARK),
	N(FIONREAD),
	N(SIOCINQ),
	N(SIOCOUTQ),
	N(SIOCOUTQNSD),
	N(FIONBIO),
	N(POLLIN),
	N(POLLPRI),
	N(POLLOUT),
	N(POLLERR),
	N(POLLHUP),
	N(POLLNVAL),
	N(POLLRDHUP),
	N(POLLRDNORM),
	N(POLLWRNORM),
};

int lx_name_value(const char *name, long *out)
{
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0) {
			*out = names[i].value;
			return 0;
		}
	return -ENOENT;
}
