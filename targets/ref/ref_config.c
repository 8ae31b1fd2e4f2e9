/* The `ref` target's configuration; see ref_config.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets/ref/ref_config.h"

/* ---- @config ---------------------------------------------------------------- */

static int parse_bool(const char *v, bool *out)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int parse_uint(const char *v, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long n = strtoull(v, &end, 10);
	if (!*v || *end || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

/* Seconds, possibly fractional ("0.2"), to microseconds. */
static int parse_seconds(const char *v, uint64_t *out)
{
	char *end;
	double s = strtod(v, &end);
	if (!*v || *end || s < 0 || s > 1e6)
		return -EINVAL;
	*out = (uint64_t)(s * 1e6 + 0.5);
	return 0;
}

/* Features of later parts of the reference: only "off" can be honoured. */
static int feature_off_only(const char *key, const char *value, char *why, size_t cap)
{
	bool on;
	if (parse_bool(value, &on) != 0) {
		snprintf(why, cap, "@config %s=%s: expected on or off", key, value);
		return -EINVAL;
	}
	if (on) {
		snprintf(why, cap, "@config %s=on: the reference does not model it yet", key);
		return -ENOTSUP;
	}
	return 0;
}

static int apply_setting(const struct tgt_setting *s, struct ref_stack_config *sc, int family,
			 char *why, size_t cap)
{
	struct ref_profile *p = &sc->profile;
	uint64_t n = 0;
	bool b = false;
	int rc = 0;
	const char *k = s->key, *v = s->value;
	if (!strcmp(k, "ecn"))
		return feature_off_only(k, v, why, cap);
	if (!strcmp(k, "mutant"))
		return 0; /* ref_target.c: test-only defects */
	if (!strncmp(k, "profile.", 8)) {
		/* a profile key set by the user (`tcpcheck diff --set`) */
		char err[200];
		if (ref_profile_set(p, k + 8, v, err, sizeof err) != 0) {
			snprintf(why, cap, "--set %s=%s: %s", k + 8, v, err);
			return -EINVAL;
		}
		return 0;
	}
	if (!strcmp(k, "sack")) {
		rc = parse_bool(v, &b);
		p->sack = b;
	} else if (!strcmp(k, "ts")) {
		rc = parse_bool(v, &b);
		p->timestamps = b;
	} else if (!strcmp(k, "wscale")) {
		rc = parse_bool(v, &b);
		p->wscale = b;
	} else if (!strcmp(k, "mss")) {
		rc = parse_uint(v, 65495, &n);
		if (rc == 0 && n < 64)
			rc = -EINVAL;
		sc->mtu = (uint32_t)n + (family == 6 ? 60u : 40u);
	} else if (!strcmp(k, "rcvbuf")) {
		rc = parse_uint(v, 1u << 30, &n);
		p->rcv_buf = (uint32_t)n;
	} else if (!strcmp(k, "sndbuf")) {
		rc = parse_uint(v, 1u << 30, &n);
		p->snd_buf = (uint32_t)n;
	} else if (!strcmp(k, "nodelay")) {
		rc = parse_bool(v, &b);
		p->nagle = !b;
	} else if (!strcmp(k, "rfc5961")) {
		rc = parse_bool(v, &b);
		p->rfc5961_rst = p->rfc5961_syn = p->rfc5961_ack = b;
	} else if (!strcmp(k, "rto_min")) {
		rc = parse_seconds(v, &p->rto_min);
	} else if (!strcmp(k, "ssthresh")) {
		rc = parse_uint(v, 1000000, &n);
		if (rc == 0 && n == 0)
			rc = -EINVAL;
		p->ssthresh_segments = (uint32_t)n;
		if (p->cc == REF_CC_NONE)
			p->cc = REF_CC_NEWRENO;
	} else if (!strcmp(k, "iw")) {
		rc = parse_uint(v, 1000, &n);
		if (rc == 0 && n == 0)
			rc = -EINVAL;
		p->iw_segments = (uint32_t)n;
		if (p->cc == REF_CC_NONE)
			p->cc = REF_CC_NEWRENO;
	} else {
		if ((rc = tgt_config_foreign(k, "ref", why, cap)) != 0)
			return rc;
		snprintf(why, cap, "unknown @config key '%s'", k);
		return -EINVAL;
	}
	if (rc != 0)
		snprintf(why, cap, "@config %s=%s: bad value", k, v);
	return rc;
}

static void set_addr(struct ref_stack_config *sc, int family, const uint8_t *addr)
{
	memset(sc->addrs, 0, sizeof sc->addrs);
	sc->addrs[0].family = family == 6 ? SEG_IPV6 : SEG_IPV4;
	memcpy(sc->addrs[0].addr, addr, 16);
	sc->addrs[0].prefix_len = family == 6 ? 64 : 24;
	sc->naddrs = 1;
}

/* A profile file (`--profile path/x.profile`): its text over the `rfc`
 * profile (a file may start with `base = lwip`). Targets may read files;
 * the reference only parses the text. */
static int load_profile_file(const char *path, struct ref_profile *p, char *why, size_t cap)
{
	char text[16384], err[200];
	size_t n;
	FILE *f = fopen(path, "r");
	const char *base = strrchr(path, '/');

	if (f == NULL) {
		snprintf(why, cap, "profile %s: %s", path, strerror(errno));
		return -EINVAL;
	}
	n = fread(text, 1, sizeof text - 1, f);
	if (!feof(f)) {
		fclose(f);
		snprintf(why, cap, "profile %s: larger than %zu bytes", path, sizeof text - 1);
		return -EINVAL;
	}
	fclose(f);
	text[n] = '\0';
	*p = *ref_profile_rfc();
	snprintf(p->name, sizeof p->name, "%.*s", (int)(sizeof p->name - 1),
		 base ? base + 1 : path);
	if (strstr(p->name, ".profile"))
		*strstr(p->name, ".profile") = '\0';
	if (ref_profile_parse(p, text, err, sizeof err) != 0) {
		snprintf(why, cap, "profile %s: %s", path, err);
		return -EINVAL;
	}
	return 0;
}

static bool is_profile_path(const char *name)
{
	size_t n = strlen(name);
	return strchr(name, '/') != NULL || (n > 8 && !strcmp(name + n - 8, ".profile"));
}

int ref_tgt_config(const struct tgt_config *cfg, struct ref_stack_config *sc, char *why,
		   size_t cap)
{
	const struct ref_profile *prof;
	size_t i;
	ref_stack_config_default(sc);
	if (cfg->profile && is_profile_path(cfg->profile)) {
		int rc = load_profile_file(cfg->profile, &sc->profile, why, cap);
		if (rc != 0)
			return rc;
	} else {
		prof = ref_profile_by_name(cfg->profile ? cfg->profile : "rfc");
		if (!prof) {
			snprintf(why, cap, "unknown profile '%s'", cfg->profile);
			return -EINVAL;
		}
		sc->profile = *prof;
	}
	set_addr(sc, cfg->family, cfg->local_addr);
	sc->isn_key[0] = cfg->seed;
	sc->isn_key[1] = cfg->seed ^ 0x7463706368656b00ull; /* "tcpchek" */
	for (i = 0; i < cfg->nsettings; i++) {
		int rc = apply_setting(&cfg->settings[i], sc, cfg->family, why, cap);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* ---- socket options -------------------------------------------------------------- */

struct opt_name {
	const char *level;
	const char *name;
	int opt;
};

static const struct opt_name opts[] = {
	{ "SOL_SOCKET", "SO_ERROR", REF_SO_ERROR },
	{ "SOL_SOCKET", "SO_KEEPALIVE", REF_SO_KEEPALIVE },
	{ "SOL_SOCKET", "SO_RCVBUF", REF_SO_RCVBUF },
	{ "SOL_SOCKET", "SO_SNDBUF", REF_SO_SNDBUF },
	{ "SOL_SOCKET", "SO_LINGER", REF_SO_LINGER },
	{ "SOL_SOCKET", "SO_REUSEADDR", REF_SO_REUSEADDR },
	{ "SOL_SOCKET", "SO_OOBINLINE", REF_SO_OOBINLINE },
	{ "IPPROTO_TCP", "TCP_NODELAY", REF_TCP_NODELAY },
	{ "IPPROTO_TCP", "TCP_MAXSEG", REF_TCP_MAXSEG },
	{ "IPPROTO_TCP", "TCP_KEEPIDLE", REF_TCP_KEEPIDLE },
	{ "IPPROTO_TCP", "TCP_KEEPINTVL", REF_TCP_KEEPINTVL },
	{ "IPPROTO_TCP", "TCP_KEEPCNT", REF_TCP_KEEPCNT },
	{ "IPPROTO_TCP", "TCP_USER_TIMEOUT", REF_TCP_USER_TIMEOUT },
	{ "IPPROTO_IP", "IP_TOS", REF_IP_TOS },
	{ "IPPROTO_IP", "IP_TTL", REF_IP_TTL },
	{ "IPPROTO_IP", "IP_RECVERR", REF_IP_RECVERR },
	{ "IPPROTO_IPV6", "IPV6_TCLASS", REF_IPV6_TCLASS },
	{ "IPPROTO_IPV6", "IPV6_UNICAST_HOPS", REF_IPV6_UNICAST_HOPS },
};

static int find_opt(const struct tgt_call *c)
{
	size_t i;
	const char *level = c->level ? c->level : "";
	if (!strcmp(level, "SOL_TCP"))
		level = "IPPROTO_TCP";
	for (i = 0; i < sizeof opts / sizeof opts[0]; i++)
		if (!strcmp(opts[i].level, level) && c->name && !strcmp(opts[i].name, c->name))
			return opts[i].opt;
	return -1;
}

int64_t ref_tgt_setsockopt(struct ref_stack *st, const struct tgt_call *c, uint64_t now)
{
	int opt = find_opt(c);
	if (opt < 0)
		return TGT_NOT_MODELLED;
	if (opt == REF_SO_LINGER) {
		struct ref_linger l = { (int)c->ival, (int)c->ival2 };
		return ref_setsockopt(st, c->fd, opt, &l, sizeof l, now);
	} else {
		int v = (int)c->ival;
		return ref_setsockopt(st, c->fd, opt, &v, sizeof v, now);
	}
}

int64_t ref_tgt_getsockopt(struct ref_stack *st, const struct tgt_call *c,
			   struct tgt_result *res)
{
	int opt = find_opt(c), rc;
	if (opt < 0)
		return TGT_NOT_MODELLED;
	if (opt == REF_SO_LINGER) {
		struct ref_linger l;
		size_t len = sizeof l;
		rc = ref_getsockopt(st, c->fd, opt, &l, &len);
		res->ival = l.onoff;
		res->ival2 = l.linger;
	} else {
		int v = 0;
		size_t len = sizeof v;
		rc = ref_getsockopt(st, c->fd, opt, &v, &len);
		res->ival = v;
	}
	return rc;
}

const char *ref_tgt_state_name(enum ref_state s)
{
	static const char *const names[REF_STATE_COUNT] = {
		"CLOSED",	"LISTEN",     "SYN_SENT",   "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
		"FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",	"TIME_WAIT",
	};
	return (unsigned)s < REF_STATE_COUNT ? names[s] : "?";
}
