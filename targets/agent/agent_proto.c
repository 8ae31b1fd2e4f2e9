/* The agent control protocol's codec; see agent_proto.h and
 * docs/agent-protocol.md. */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "targets/agent/agent_proto.h"

/* ---- names ------------------------------------------------------------------ */

const char *agp_errno_name(int err)
{
	const char *n = err > 0 ? strerrorname_np(err) : NULL;
	return n ? n : "E?";
}

int agp_errno_value(const char *name)
{
	int e;
	if (strcmp(name, "EWOULDBLOCK") == 0)
		return EAGAIN;
	for (e = 1; e < 256; e++) {
		const char *n = strerrorname_np(e);
		if (n && strcmp(n, name) == 0)
			return e;
	}
	return 0;
}

static const char *const verb_names[] = {
	[TGT_SOCKET] = "socket",	 [TGT_BIND] = "bind",	     [TGT_LISTEN] = "listen",
	[TGT_ACCEPT] = "accept",	 [TGT_CONNECT] = "connect",   [TGT_SEND] = "send",
	[TGT_RECV] = "recv",		 [TGT_SHUTDOWN] = "shutdown", [TGT_CLOSE] = "close",
	[TGT_SETSOCKOPT] = "setsockopt", [TGT_GETSOCKOPT] = "getsockopt",
	[TGT_FCNTL] = "fcntl",		 [TGT_IOCTL] = "ioctl",	     [TGT_POLL] = "poll",
};
#define N_VERBS (sizeof verb_names / sizeof verb_names[0])

static const char *const op_names[] = {
	[AGP_OP_OPEN] = "open",
	[AGP_OP_STATE] = "state",
	[AGP_OP_ADVANCE] = "advance",
	[AGP_OP_SYNC] = "sync",
};

const char *agp_verb_name(enum tgt_verb v)
{
	return (size_t)v < N_VERBS ? verb_names[v] : NULL;
}

static const char *const poll_names[] = {"POLLIN",  "POLLPRI",   "POLLOUT", "POLLERR",
					 "POLLHUP", "POLLRDHUP", "POLLNVAL"};
#define N_POLL (sizeof poll_names / sizeof poll_names[0])

static const char *const how_names[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};

int agp_mac_parse(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;
	size_t i;
	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &end) != 6 ||
	    strlen(s) != 17)
		return -EINVAL;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

void agp_mac_format(const uint8_t mac[6], char out[18])
{
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
		 mac[5]);
}

uint32_t agp_poll_bits(const char *s)
{
	uint32_t bits = 0;
	size_t i;
	while (*s) {
		size_t n = strcspn(s, "|");
		for (i = 0; i < N_POLL; i++)
			if (strlen(poll_names[i]) == n && strncmp(s, poll_names[i], n) == 0)
				bits |= 1u << i;
		s += n;
		if (*s == '|')
			s++;
	}
	return bits;
}

static void poll_text(uint32_t bits, char *buf, size_t cap)
{
	size_t i, n = 0;
	buf[0] = '\0';
	for (i = 0; i < N_POLL; i++)
		if (bits & (1u << i))
			n += (size_t)snprintf(buf + n, n < cap ? cap - n : 0, "%s%s", n ? "|" : "",
					      poll_names[i]);
}

/* ---- hex -------------------------------------------------------------------------- */

static char *hex_encode(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);
	size_t i;
	if (!s)
		return NULL;
	for (i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int agp_hex_decode(const char *s, uint8_t **out, size_t *n, char *why, size_t cap)
{
	size_t len = strlen(s), i;
	uint8_t *b;
	if (len % 2 || len / 2 > AGP_MAX_DATA) {
		snprintf(why, cap, "\"data\": %s", len % 2 ? "odd number of hex digits"
							   : "more bytes than one message may carry");
		return -EPROTO;
	}
	b = malloc(len / 2 + 1);
	if (!b) {
		snprintf(why, cap, "out of memory");
		return -EPROTO;
	}
	for (i = 0; i < len / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(b);
			snprintf(why, cap, "\"data\": not hexadecimal");
			return -EPROTO;
		}
		b[i] = (uint8_t)(hi << 4 | lo);
	}
	*out = b;
	*n = len / 2;
	return 0;
}

/* ---- reading JSON ------------------------------------------------------------------- */

/* A field that must be an integer (exact in a double: |v| < 2^53). 1 when
 * present and good, 0 when absent, -1 (with why) when of the wrong kind. */
static int get_int(const cJSON *o, const char *key, int64_t *out, char *why, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	double d;
	if (!v)
		return 0;
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d) || fabs(d) > 9007199254740992.0) {
		snprintf(why, cap, "\"%s\" must be an integer", key);
		return -1;
	}
	*out = (int64_t)d;
	return 1;
}

static int need_int(const cJSON *o, const char *key, int64_t *out, char *why, size_t cap)
{
	int rc = get_int(o, key, out, why, cap);
	if (rc == 0)
		snprintf(why, cap, "\"%s\" is missing", key);
	return rc == 1 ? 0 : -1;
}

/* A string field: its text, "" when absent, NULL (with why) when not a string. */
static const char *get_str(const cJSON *o, const char *key, char *why, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	if (!v)
		return "";
	if (!cJSON_IsString(v) || !v->valuestring) {
		snprintf(why, cap, "\"%s\" must be a string", key);
		return NULL;
	}
	return v->valuestring;
}

static int copy_str(const cJSON *o, const char *key, char *dst, size_t dcap, char *why,
		    size_t cap)
{
	const char *s = get_str(o, key, why, cap);
	if (!s)
		return -1;
	if (strlen(s) >= dcap) {
		snprintf(why, cap, "\"%s\" is too long (%zu bytes at most)", key, dcap - 1);
		return -1;
	}
	snprintf(dst, dcap, "%s", s);
	return 0;
}

int agp_parse_line(const char *line, size_t len, int (*fn)(const void *o, void *out, char *why,
							   size_t cap),
		   void *out, char *why, size_t cap)
{
	cJSON *o;
	int rc;
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (len > AGP_MAX_LINE) {
		snprintf(why, cap, "line longer than %u bytes", AGP_MAX_LINE);
		return -EPROTO;
	}
	if (memchr(line, '\0', len)) {
		snprintf(why, cap, "NUL byte in the line");
		return -EPROTO;
	}
	o = cJSON_ParseWithLength(line, len);
	if (!o) {
		snprintf(why, cap, "not JSON");
		return -EPROTO;
	}
	rc = cJSON_IsObject(o) ? fn(o, out, why, cap) : -1;
	if (!cJSON_IsObject(o))
		snprintf(why, cap, "not a JSON object");
	cJSON_Delete(o);
	return rc == 0 ? 0 : -EPROTO;
}

/* ---- agent messages ----------------------------------------------------------------- */

static const struct {
	const char *name;
	uint32_t bit;
} cap_names[] = {
	{"state", AGP_CAP_STATE},
	{"ipv4", AGP_CAP_IPV4},
	{"ipv6", AGP_CAP_IPV6},
	{"icmp", AGP_CAP_ICMP},
};

static int parse_caps(const cJSON *o, uint32_t *caps, char *why, size_t cap)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "caps"), *c;
	size_t i;
	*caps = AGP_CAP_IPV4;
	if (!list)
		return 0;
	if (!cJSON_IsArray(list)) {
		snprintf(why, cap, "\"caps\" must be a list of strings");
		return -1;
	}
	*caps = 0;
	cJSON_ArrayForEach(c, list)
	{
		if (!cJSON_IsString(c)) {
			snprintf(why, cap, "\"caps\" must be a list of strings");
			return -1;
		}
		for (i = 0; i < sizeof cap_names / sizeof cap_names[0]; i++)
			if (strcmp(c->valuestring, cap_names[i].name) == 0)
				*caps |= cap_names[i].bit;
	}
	return 0;
}

static int parse_hello(const cJSON *o, struct agp_hello *h, char *why, size_t cap)
{
	const char *hello = get_str(o, "hello", why, cap), *mac, *clock;
	int64_t proto;
	if (!hello)
		return -1;
	if (strcmp(hello, "tcpcheck-agent") != 0) {
		snprintf(why, cap, "\"hello\" must be \"tcpcheck-agent\"");
		return -1;
	}
	if (need_int(o, "protocol", &proto, why, cap) != 0)
		return -1;
	if (proto != AGP_VERSION) {
		snprintf(why, cap, "protocol version %lld; this tcpcheck speaks %d",
			 (long long)proto, AGP_VERSION);
		return -1;
	}
	h->protocol = (int)proto;
	if (copy_str(o, "name", h->name, sizeof h->name, why, cap) != 0 ||
	    copy_str(o, "version", h->version, sizeof h->version, why, cap) != 0)
		return -1;
	mac = get_str(o, "mac", why, cap);
	if (!mac)
		return -1;
	if (agp_mac_parse(mac, h->mac) != 0) {
		snprintf(why, cap, "\"mac\" must be the agent's Ethernet address, \"aa:bb:cc:dd:ee:ff\"");
		return -1;
	}
	clock = get_str(o, "clock", why, cap);
	if (!clock)
		return -1;
	if (clock[0] && strcmp(clock, "real") != 0 && strcmp(clock, "virtual") != 0) {
		snprintf(why, cap, "\"clock\" must be \"real\" or \"virtual\"");
		return -1;
	}
	h->virtual_clock = strcmp(clock, "virtual") == 0;
	return parse_caps(o, &h->caps, why, cap);
}

static int parse_revents(const cJSON *o, struct agp_msg *m, char *why, size_t cap)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "revents"), *e;
	if (!list)
		return 0;
	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) > AGP_MAX_PFDS) {
		snprintf(why, cap, "\"revents\" must be a list of at most %d strings", AGP_MAX_PFDS);
		return -1;
	}
	cJSON_ArrayForEach(e, list)
	{
		if (!cJSON_IsString(e)) {
			snprintf(why, cap, "\"revents\" must be a list of strings");
			return -1;
		}
		m->revents[m->nrevents++] = agp_poll_bits(e->valuestring);
	}
	return 0;
}

static int parse_sent(const cJSON *o, struct agp_msg *m, char *why, size_t cap)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(o, "sent_us"), *e;
	int n;
	if (!list)
		return 0;
	n = cJSON_IsArray(list) ? cJSON_GetArraySize(list) : -1;
	if (n < 0 || n > AGP_MAX_SENT) {
		snprintf(why, cap, "\"sent_us\" must be a list of at most %d times", AGP_MAX_SENT);
		return -1;
	}
	m->sent_us = malloc(sizeof *m->sent_us * (size_t)(n ? n : 1));
	if (!m->sent_us) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	cJSON_ArrayForEach(e, list)
	{
		double d = e->valuedouble;
		if (!cJSON_IsNumber(e) || !(d >= 0) || d > 9007199254740992.0) {
			snprintf(why, cap, "\"sent_us\" must hold times in microseconds");
			return -1;
		}
		m->sent_us[m->nsent++] = (uint64_t)d;
	}
	return 0;
}

/* The virtual clock's fields of a reply. */
static int parse_clock(const cJSON *o, struct agp_msg *m, char *why, size_t cap)
{
	int64_t v = 0;
	const cJSON *next = cJSON_GetObjectItemCaseSensitive(o, "next_us");
	int rc = get_int(o, "now_us", &v, why, cap);
	if (rc < 0 || (rc == 1 && v < 0)) {
		snprintf(why, cap, "\"now_us\" must be a time in microseconds");
		return -1;
	}
	m->has_clock = rc == 1;
	m->now_us = (uint64_t)v;
	m->next_us = UINT64_MAX;
	if (next && !cJSON_IsNull(next)) {
		if (get_int(o, "next_us", &v, why, cap) < 0 || v < 0) {
			snprintf(why, cap, "\"next_us\" must be a time in microseconds or null");
			return -1;
		}
		m->next_us = (uint64_t)v;
	}
	rc = get_int(o, "frames", &v, why, cap);
	if (rc < 0 || (rc == 1 && v < 0)) {
		snprintf(why, cap, "\"frames\" must be a count");
		return -1;
	}
	m->has_frames = rc == 1;
	m->frames = (uint64_t)v;
	return parse_sent(o, m, why, cap);
}

static int parse_result(const cJSON *o, struct agp_msg *m, char *why, size_t cap)
{
	const char *en;
	int rc;
	if (copy_str(o, "unsupported", m->unsupported, sizeof m->unsupported, why, cap) != 0 ||
	    copy_str(o, "failure", m->failure, sizeof m->failure, why, cap) != 0)
		return -1;
	rc = get_int(o, "result", &m->ret, why, cap);
	if (rc < 0)
		return -1;
	if (rc == 0 && !m->unsupported[0] && !m->failure[0]) {
		snprintf(why, cap, "a reply needs \"result\" (or \"unsupported\" or \"failure\")");
		return -1;
	}
	en = get_str(o, "errno", why, cap);
	if (!en)
		return -1;
	if (m->ret == -1 && rc == 1) {
		m->err = en[0] ? agp_errno_value(en) : 0;
		if (!m->err) {
			snprintf(why, cap, "result -1 needs \"errno\", a name such as \"ECONNRESET\"%s",
				 en[0] ? " (this one is unknown)" : "");
			return -1;
		}
	} else if (m->ret < 0 && rc == 1) {
		snprintf(why, cap, "\"result\" is -1 on errors, or not negative");
		return -1;
	}
	if (get_int(o, "value", &m->ival, why, cap) < 0 ||
	    get_int(o, "value2", &m->ival2, why, cap) < 0)
		return -1;
	return 0;
}

static int parse_reply(const cJSON *o, struct agp_msg *m, char *why, size_t cap)
{
	const char *data;
	if (parse_result(o, m, why, cap) != 0)
		return -1;
	if (copy_str(o, "state", m->state, sizeof m->state, why, cap) != 0)
		return -1;
	data = get_str(o, "data", why, cap);
	if (!data)
		return -1;
	if (data[0] && agp_hex_decode(data, &m->data, &m->data_len, why, cap) != 0)
		return -1;
	if (parse_revents(o, m, why, cap) != 0)
		return -1;
	return parse_clock(o, m, why, cap);
}

static int parse_event(const cJSON *o, struct agp_msg *m, char *why, size_t cap)
{
	const char *en;
	m->fd = -1;
	if (copy_str(o, "event", m->event, sizeof m->event, why, cap) != 0)
		return -1;
	if (!m->event[0]) {
		snprintf(why, cap, "\"event\" must name the event");
		return -1;
	}
	if (get_int(o, "fd", &m->fd, why, cap) < 0)
		return -1;
	en = get_str(o, "errno", why, cap);
	if (!en)
		return -1;
	m->err = en[0] ? agp_errno_value(en) : 0;
	return 0;
}

static int parse_agent_obj(const void *obj, void *out, char *why, size_t cap)
{
	const cJSON *o = obj;
	struct agp_msg *m = out;
	const cJSON *pending = cJSON_GetObjectItemCaseSensitive(o, "pending");
	int64_t id;
	int rc;
	if (cJSON_GetObjectItemCaseSensitive(o, "hello")) {
		m->kind = AGP_HELLO;
		return parse_hello(o, &m->hello, why, cap);
	}
	if (cJSON_GetObjectItemCaseSensitive(o, "event")) {
		m->kind = AGP_EVENT;
		return parse_event(o, m, why, cap);
	}
	rc = get_int(o, "id", &id, why, cap);
	if (rc == 0)
		snprintf(why, cap, "neither a hello, a reply (\"id\") nor an event (\"event\")");
	if (rc != 1)
		return -1;
	if (id < 1) {
		snprintf(why, cap, "\"id\" must be positive");
		return -1;
	}
	m->id = (uint64_t)id;
	if (pending && !cJSON_IsBool(pending)) {
		snprintf(why, cap, "\"pending\" must be true or false");
		return -1;
	}
	if (cJSON_IsTrue(pending)) {
		m->kind = AGP_PENDING;
		return 0;
	}
	m->kind = AGP_REPLY;
	return parse_reply(o, m, why, cap);
}

void agp_msg_clear(struct agp_msg *m)
{
	free(m->data);
	free(m->sent_us);
	memset(m, 0, sizeof *m);
}

int agp_parse_agent(const char *line, size_t len, struct agp_msg *m, char *why, size_t cap)
{
	memset(m, 0, sizeof *m);
	return agp_parse_line(line, len, parse_agent_obj, m, why, cap);
}

/* ---- writing JSON -------------------------------------------------------------------- */

/* The object as one line with "\n", and the object freed. */
static char *finish_line(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL, *line = NULL;
	if (s) {
		size_t n = strlen(s);
		line = malloc(n + 2);
		if (line) {
			memcpy(line, s, n);
			line[n] = '\n';
			line[n + 1] = '\0';
		}
		cJSON_free(s);
	}
	cJSON_Delete(o);
	return line;
}

static void add_u64(cJSON *o, const char *key, uint64_t v)
{
	cJSON_AddNumberToObject(o, key, (double)v);
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	cJSON_AddStringToObject(o, key, v ? v : "");
}

static void add_addr(cJSON *o, const char *key, int family, const uint8_t *a)
{
	char text[64];
	if (family == 6)
		snprintf(text, sizeof text, "%x:%x:%x:%x:%x:%x:%x:%x", a[0] << 8 | a[1],
			 a[2] << 8 | a[3], a[4] << 8 | a[5], a[6] << 8 | a[7], a[8] << 8 | a[9],
			 a[10] << 8 | a[11], a[12] << 8 | a[13], a[14] << 8 | a[15]);
	else
		snprintf(text, sizeof text, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	add_str(o, key, text);
}

static void put_open(cJSON *args, const struct agp_open *op)
{
	char mac[18], seed[24];
	cJSON *cfg = cJSON_AddArrayToObject(args, "config");
	size_t i;
	cJSON_AddNumberToObject(args, "family", op->family);
	cJSON_AddBoolToObject(args, "v4_mapped", op->v4_mapped);
	add_addr(args, "local", op->family, op->local);
	add_addr(args, "remote", op->family, op->remote);
	cJSON_AddNumberToObject(args, "prefix", op->family == 6 ? 64 : 24);
	agp_mac_format(op->peer_mac, mac);
	add_str(args, "peer_mac", mac);
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)op->seed);
	add_str(args, "seed", seed);
	for (i = 0; cfg && i < op->nconfig; i++) {
		cJSON *pair = cJSON_CreateArray();
		cJSON_AddItemToArray(pair, cJSON_CreateString(op->config[i].key));
		cJSON_AddItemToArray(pair, cJSON_CreateString(op->config[i].value));
		cJSON_AddItemToArray(cfg, pair);
	}
}

static void put_pfds(cJSON *args, const struct tgt_call *c)
{
	cJSON *list = cJSON_AddArrayToObject(args, "fds");
	size_t i;
	for (i = 0; list && i < c->npfds; i++) {
		cJSON *e = cJSON_CreateObject();
		char ev[96];
		poll_text(c->pfds[i].events, ev, sizeof ev);
		cJSON_AddNumberToObject(e, "fd", c->pfds[i].fd);
		add_str(e, "events", ev);
		cJSON_AddItemToArray(list, e);
	}
	cJSON_AddNumberToObject(args, "timeout_ms", (double)c->timeout_ms);
}

static void put_socket(cJSON *args, const struct tgt_call *c)
{
	char type[64];
	snprintf(type, sizeof type, "%s%s",
		 (c->type & ~SOCK_NONBLOCK) == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM",
		 c->type & SOCK_NONBLOCK ? "|SOCK_NONBLOCK" : "");
	add_str(args, "domain", c->domain == AF_INET6 ? "AF_INET6" : "AF_INET");
	add_str(args, "type", type);
	cJSON_AddNumberToObject(args, "protocol", c->protocol);
}

static void put_call(cJSON *args, const struct tgt_call *c)
{
	char *hex;
	if (c->verb != TGT_SOCKET && c->verb != TGT_POLL)
		cJSON_AddNumberToObject(args, "fd", c->fd);
	switch (c->verb) {
	case TGT_SOCKET:
		put_socket(args, c);
		break;
	case TGT_BIND:
	case TGT_CONNECT:
		cJSON_AddNumberToObject(args, "port", c->port);
		break;
	case TGT_LISTEN:
		cJSON_AddNumberToObject(args, "backlog", c->backlog);
		break;
	case TGT_SEND:
		hex = hex_encode(c->data, c->data ? c->len : 0);
		add_str(args, "data", hex ? hex : "");
		free(hex);
		add_str(args, "flags", c->flags);
		break;
	case TGT_RECV:
		add_u64(args, "len", c->len);
		add_str(args, "flags", c->flags);
		break;
	case TGT_SHUTDOWN:
		add_str(args, "how", c->how >= 0 && c->how <= 2 ? how_names[c->how] : "?");
		break;
	case TGT_SETSOCKOPT:
		cJSON_AddNumberToObject(args, "value", (double)c->ival);
		cJSON_AddNumberToObject(args, "value2", (double)c->ival2);
		/* fall through */
	case TGT_GETSOCKOPT:
		add_str(args, "level", c->level);
		add_str(args, "name", c->name);
		break;
	case TGT_FCNTL:
		add_str(args, "cmd", c->name);
		cJSON_AddNumberToObject(args, "value", (double)c->ival);
		break;
	case TGT_IOCTL:
		add_str(args, "request", c->name);
		break;
	case TGT_POLL:
		put_pfds(args, c);
		break;
	default:
		break;
	}
}

char *agp_encode_req(const struct agp_req *r)
{
	cJSON *o = cJSON_CreateObject(), *args;
	const char *verb = r->op == AGP_OP_CALL ? agp_verb_name(r->call.verb) : op_names[r->op];
	if (!o || !verb) {
		cJSON_Delete(o);
		return NULL;
	}
	add_u64(o, "id", r->id);
	add_str(o, "verb", verb);
	args = cJSON_AddObjectToObject(o, "args");
	if (args && r->op == AGP_OP_CALL)
		put_call(args, &r->call);
	else if (args && r->op == AGP_OP_OPEN)
		put_open(args, &r->open);
	else if (args && r->op == AGP_OP_STATE) {
		cJSON_AddNumberToObject(args, "local_port", r->local_port);
		cJSON_AddNumberToObject(args, "remote_port", r->remote_port);
	} else if (args && r->op == AGP_OP_ADVANCE)
		add_u64(args, "to_us", r->to_us);
	if (r->has_frames)
		add_u64(o, "frames", r->frames);
	return finish_line(o);
}

char *agp_encode_hello(const struct agp_hello *h)
{
	cJSON *o = cJSON_CreateObject(), *caps;
	char mac[18];
	size_t i;
	if (!o)
		return NULL;
	add_str(o, "hello", "tcpcheck-agent");
	cJSON_AddNumberToObject(o, "protocol", h->protocol ? h->protocol : AGP_VERSION);
	add_str(o, "name", h->name);
	add_str(o, "version", h->version);
	agp_mac_format(h->mac, mac);
	add_str(o, "mac", mac);
	add_str(o, "clock", h->virtual_clock ? "virtual" : "real");
	caps = cJSON_AddArrayToObject(o, "caps");
	for (i = 0; caps && i < sizeof cap_names / sizeof cap_names[0]; i++)
		if (h->caps & cap_names[i].bit)
			cJSON_AddItemToArray(caps, cJSON_CreateString(cap_names[i].name));
	return finish_line(o);
}

static void put_reply_clock(cJSON *o, const struct agp_msg *m)
{
	size_t i;
	if (m->has_clock) {
		add_u64(o, "now_us", m->now_us);
		if (m->next_us == UINT64_MAX)
			cJSON_AddNullToObject(o, "next_us");
		else
			add_u64(o, "next_us", m->next_us);
	}
	if (m->has_frames) {
		cJSON *list = cJSON_AddArrayToObject(o, "sent_us");
		add_u64(o, "frames", m->frames);
		for (i = 0; list && i < m->nsent; i++)
			cJSON_AddItemToArray(list, cJSON_CreateNumber((double)m->sent_us[i]));
	}
}

char *agp_encode_reply(const struct agp_msg *m)
{
	cJSON *o = cJSON_CreateObject();
	size_t i;
	if (!o)
		return NULL;
	add_u64(o, "id", m->id);
	if (m->unsupported[0])
		add_str(o, "unsupported", m->unsupported);
	else if (m->failure[0])
		add_str(o, "failure", m->failure);
	else {
		cJSON_AddNumberToObject(o, "result", (double)m->ret);
		if (m->ret == -1)
			add_str(o, "errno", agp_errno_name(m->err));
		cJSON_AddNumberToObject(o, "value", (double)m->ival);
		cJSON_AddNumberToObject(o, "value2", (double)m->ival2);
	}
	if (m->data_len) {
		char *hex = hex_encode(m->data, m->data_len);
		add_str(o, "data", hex ? hex : "");
		free(hex);
	}
	if (m->nrevents) {
		cJSON *list = cJSON_AddArrayToObject(o, "revents");
		for (i = 0; list && i < m->nrevents; i++) {
			char ev[96];
			poll_text(m->revents[i], ev, sizeof ev);
			cJSON_AddItemToArray(list, cJSON_CreateString(ev));
		}
	}
	if (m->state[0])
		add_str(o, "state", m->state);
	put_reply_clock(o, m);
	return finish_line(o);
}

char *agp_encode_pending(uint64_t id)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	add_u64(o, "id", id);
	cJSON_AddTrueToObject(o, "pending");
	return finish_line(o);
}

char *agp_encode_event(const char *event, int64_t fd, int err)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	add_str(o, "event", event);
	cJSON_AddNumberToObject(o, "fd", (double)fd);
	if (err)
		add_str(o, "errno", agp_errno_name(err));
	return finish_line(o);
}
