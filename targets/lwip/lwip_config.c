/* `@config` for the `lwip` target: each key checked against lwIP's
 * compile-time options (port/lwipopts.h); see lwip_target.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lwip/opt.h>

#include "targets/lwip/lwip_target.h"

/* Is this build instrumented by AddressSanitizer? */
#if defined(__SANITIZE_ADDRESS__)
#define LWIP_TGT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LWIP_TGT_ASAN 1
#endif
#endif
#ifndef LWIP_TGT_ASAN
#define LWIP_TGT_ASAN 0
#endif

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "1") || !strcmp(v, "true"))
		*out = true;
	else if (!strcmp(v, "off") || !strcmp(v, "0") || !strcmp(v, "false"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long n = strtoul(v, &end, 10);
	if (!*v || *end || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* sack, ts, wscale. lwIP 2.1.3 uses each option only when the peer's SYN
 * offered it (RFC 7323 §1.3, §2.2; RFC 2018 §2), so `off` holds for every
 * connection whose peer does not offer it — which is what a script with
 * `off` plays. lwIP's own SYNs still offer what is compiled in: a script
 * that checks those options must write `<...>` or expect them. `on` holds
 * when the option is compiled in: wscale, ts and sack (output) are. */
static int tcp_option(const char *k, const char *v, char *why, size_t cap)
{
	bool on;
	if (parse_bool(v, &on) != 0) {
		snprintf(why, cap, "@config %s=%s: expected on or off", k, v);
		return -EINVAL;
	}
	return 0;
}

static int skip(char *why, size_t cap, const char *k, const char *v, const char *because)
{
	snprintf(why, cap, "@config %s=%s: %s", k, v, because);
	return -ENOTSUP;
}

static int apply(const struct tgt_setting *s, int family, struct lwip_tgt_config *out, char *why,
		 size_t cap)
{
	const char *k = s->key, *v = s->value;
	unsigned long n = 0;
	bool b = false;
	if (!strcmp(k, "sack") || !strcmp(k, "ts") || !strcmp(k, "wscale"))
		return tcp_option(k, v, why, cap);
	if (!strcmp(k, "ecn")) {
		if (parse_bool(v, &b) != 0)
			goto bad;
		return b ? skip(why, cap, k, v, "lwIP 2.1.3 has no ECN") : 0;
	}
	if (!strcmp(k, "mss")) {
		if (parse_uint(v, 65495, &n) != 0 || n < 64)
			goto bad;
		if (n > TCP_MSS)
			return skip(why, cap, k, v, "lwIP's TCP_MSS is 1460 (compile time)");
		out->mtu = (uint16_t)(n + (family == 6 ? 60 : 40));
		return 0;
	}
	if (!strcmp(k, "rcvbuf")) {
		if (parse_uint(v, 1ul << 30, &n) != 0)
			goto bad;
		return n == TCP_WND
			       ? 0
			       : skip(why, cap, k, v,
				      "lwIP's receive window is TCP_WND = 65535 (compile time)");
	}
	if (!strcmp(k, "sndbuf")) {
		if (parse_uint(v, 1ul << 30, &n) != 0)
			goto bad;
		return n == TCP_SND_BUF
			       ? 0
			       : skip(why, cap, k, v,
				      "lwIP's send buffer is TCP_SND_BUF = 65535 (compile time)");
	}
	if (!strcmp(k, "nodelay")) {
		if (parse_bool(v, &b) != 0)
			goto bad;
		out->nodelay = b;
		return 0;
	}
	if (!strcmp(k, "rfc5961")) {
		if (parse_bool(v, &b) != 0)
			goto bad;
		return b ? skip(why, cap, k, v, "lwIP 2.1.3 does not implement RFC 5961") : 0;
	}
	if (!strcmp(k, "iw")) {
		if (parse_uint(v, 1000, &n) != 0)
			goto bad;
		/* RFC 3390: min(4 * MSS, max(2 * MSS, 4380)) = 3 segments of 1460. */
		return n == 3 ? 0
			      : skip(why, cap, k, v,
				     "lwIP 2.1.3's initial window is RFC 3390's (3 segments of "
				     "1460)");
	}
	if (!strcmp(k, "asan")) {
		/* A finding only AddressSanitizer can see: `asan=on` makes the
		 * script SKIP in builds without it. */
		if (parse_bool(v, &b) != 0)
			goto bad;
		return b && !LWIP_TGT_ASAN ? skip(why, cap, k, v, "needs asan") : 0;
	}
	if (!strcmp(k, "ssthresh"))
		return skip(why, cap, k, v, "lwIP 2.1.3 starts every connection's ssthresh at its "
					    "fixed initial value (tcp_alloc)");
	if (!strcmp(k, "rto_min")) {
		/* lwIP 2.1.3 has no minimum RTO: its RTO counts 500 ms ticks from
		 * 3 s (initial) down to SRTT + 4 * RTTVAR. The suite's rto_min=1
		 * only pins the RTO after a ~0 RTT sample to 1 s; lwIP's is then
		 * 2.5 s, shrinking with samples: the retransmission scripts show it. */
		return 0;
	}
	if (tgt_config_foreign(k, "lwip", why, cap) != 0)
		return TGT_NOT_MODELLED;
	snprintf(why, cap, "unknown @config key '%s'", k);
	return -EINVAL;
bad:
	snprintf(why, cap, "@config %s=%s: bad value", k, v);
	return -EINVAL;
}

int lwip_tgt_config(const struct tgt_config *cfg, struct lwip_tgt_config *out, char *why,
		    size_t cap)
{
	struct lwip_tgt_config c = {.mtu = 1500, .nodelay = false};
	size_t i;
	if (cfg->v4_mapped) {
		snprintf(why, cap, "IPv4-mapped IPv6 sockets are not modelled by the lwip target");
		return -ENOTSUP;
	}
	for (i = 0; i < cfg->nsettings; i++) {
		int rc = apply(&cfg->settings[i], cfg->family, &c, why, cap);
		if (rc != 0)
			return rc;
	}
	*out = c;
	return 0;
}
