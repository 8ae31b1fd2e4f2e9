/* The agent control protocol: parsing tcpcheck's requests (the agent's
 * side); see agent_proto.h. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "targets/agent/agent_proto.h"

/* A failed check: the message is already in why. */
#define CHECK(x)                   \
	do {                       \
		if ((x) != 0)      \
			return -1; \
	} while (0)

static int bad(char *why, size_t cap, const char *what)
{
	snprintf(why, cap, "%s", what);
	return -1;
}

/* An integer argument in [lo, hi]; absent is `def` when `need` is false. */
static int arg_int(const cJSON *args, const char *key, int64_t lo, int64_t hi, bool need,
		   int64_t def, int64_t *out, char *why, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
	double d;
	if (!v) {
		if (need) {
			snprintf(why, cap, "argument \"%s\" is missing", key);
			return -1;
		}
		*out = def;
		return 0;
	}
	d = v->valuedouble;
	if (!cJSON_IsNumber(v) || !(d >= (double)lo && d <= (double)hi) || d != (double)(int64_t)d) {
		snprintf(why, cap, "argument \"%s\" must be an integer from %lld to %lld", key,
			 (long long)lo, (long long)hi);
		return -1;
	}
	*out = (int64_t)d;
	return 0;
}

/* A string argument copied into dst ("" when absent). */
static int arg_str(const cJSON *args, const char *key, char *dst, size_t dcap, char *why,
		   size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, key);
	if (!v) {
		dst[0] = '\0';
		return 0;
	}
	if (!cJSON_IsString(v) || strlen(v->valuestring) >= dcap) {
		snprintf(why, cap, "argument \"%s\" must be a string of at most %zu bytes", key,
			 dcap - 1);
		return -1;
	}
	snprintf(dst, dcap, "%s", v->valuestring);
	return 0;
}

static int arg_data(const cJSON *args, struct agp_req *r, char *why, size_t cap)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(args, "data");
	size_t n;
	if (!v)
		return 0;
	if (!cJSON_IsString(v))
		return bad(why, cap, "argument \"data\" must be a hex string");
	if (agp_hex_decode(v->valuestring, &r->data, &n, why, cap) != 0)
		return -1;
	r->call.data = r->data;
	r->call.len = n;
	return 0;
}

static int arg_socket(const cJSON *args, struct tgt_call *c, char *why, size_t cap)
{
	char domain[16], type[48];
	int64_t proto;
	CHECK(arg_str(args, "domain", domain, sizeof domain, why, cap));
	CHECK(arg_str(args, "type", type, sizeof type, why, cap));
	CHECK(arg_int(args, "protocol", 0, 255, false, 0, &proto, why, cap));
	if (strcmp(domain, "AF_INET") == 0)
		c->domain = AF_INET;
	else if (strcmp(domain, "AF_INET6") == 0)
		c->domain = AF_INET6;
	else
		return bad(why, cap, "argument \"domain\" must be AF_INET or AF_INET6");
	if (strncmp(type, "SOCK_STREAM", 11) == 0)
		c->type = SOCK_STREAM;
	else if (strncmp(type, "SOCK_DGRAM", 10) == 0)
		c->type = SOCK_DGRAM;
	else
		return bad(why, cap, "argument \"type\" must be SOCK_STREAM[|SOCK_NONBLOCK]");
	if (strstr(type, "|SOCK_NONBLOCK"))
		c->type |= SOCK_NONBLOCK;
	c->protocol = (int)proto;
	return 0;
}

static int arg_how(const cJSON *args, struct tgt_call *c, char *why, size_t cap)
{
	static const char *const names[] = {"SHUT_RD", "SHUT_WR", "SHUT_RDWR"};
	char how[16];
	int i;
	CHECK(arg_str(args, "how", how, sizeof how, why, cap));
	for (i = 0; i < 3; i++)
		if (strcmp(how, names[i]) == 0) {
			c->how = i;
			return 0;
		}
	return bad(why, cap, "argument \"how\" must be SHUT_RD, SHUT_WR or SHUT_RDWR");
}

static int arg_poll(const cJSON *args, struct agp_req *r, char *why, size_t cap)
{
	const cJSON *fds = cJSON_GetObjectItemCaseSensitive(args, "fds"), *e;
	if (!cJSON_IsArray(fds) || cJSON_GetArraySize(fds) > AGP_MAX_PFDS)
		return bad(why, cap, "argument \"fds\" must be a list of at most 16 entries");
	cJSON_ArrayForEach(e, fds)
	{
		struct tgt_pollfd *p = &r->pfds[r->call.npfds];
		const cJSON *ev = cJSON_GetObjectItemCaseSensitive(e, "events");
		int64_t fd;
		if (!cJSON_IsObject(e) || !cJSON_IsString(ev))
			return bad(why, cap, "a poll entry is {\"fd\": N, \"events\": \"POLLIN|...\"}");
		CHECK(arg_int(e, "fd", -1, 1 << 20, true, 0, &fd, why, cap));
		p->fd = (int)fd;
		p->events = agp_poll_bits(ev->valuestring);
		r->call.npfds++;
	}
	r->call.pfds = r->pfds;
	return arg_int(args, "timeout_ms", -1, INT32_MAX, false, 0, &r->call.timeout_ms, why, cap);
}

static int arg_opt(const cJSON *args, struct agp_req *r, const char *key, char *why, size_t cap)
{
	struct tgt_call *c = &r->call;
	CHECK(arg_str(args, "level", r->level, sizeof r->level, why, cap));
	CHECK(arg_str(args, key, r->name, sizeof r->name, why, cap));
	CHECK(arg_int(args, "value", INT32_MIN, INT32_MAX, false, 0, &c->ival, why, cap));
	CHECK(arg_int(args, "value2", INT32_MIN, INT32_MAX, false, 0, &c->ival2, why, cap));
	c->level = r->level;
	c->name = r->name;
	if (!r->name[0]) {
		snprintf(why, cap, "argument \"%s\" is missing", key);
		return -1;
	}
	return 0;
}

static int verb_args(const cJSON *args, struct agp_req *r, char *why, size_t cap)
{
	struct tgt_call *c = &r->call;
	int64_t v;
	if (c->verb != TGT_SOCKET && c->verb != TGT_POLL) {
		CHECK(arg_int(args, "fd", -1, 1 << 20, true, 0, &v, why, cap));
		c->fd = (int)v;
	}
	switch (c->verb) {
	case TGT_SOCKET:
		return arg_socket(args, c, why, cap);
	case TGT_BIND:
	case TGT_CONNECT:
		CHECK(arg_int(args, "port", 0, 65535, true, 0, &v, why, cap));
		c->port = (uint16_t)v;
		return 0;
	case TGT_LISTEN:
		CHECK(arg_int(args, "backlog", INT32_MIN, INT32_MAX, false, 0, &v, why, cap));
		c->backlog = (int)v;
		return 0;
	case TGT_SEND:
	case TGT_RECV:
		CHECK(arg_str(args, "flags", r->flags, sizeof r->flags, why, cap));
		c->flags = r->flags;
		if (c->verb == TGT_SEND)
			return arg_data(args, r, why, cap);
		CHECK(arg_int(args, "len", 0, 1 << 30, true, 0, &v, why, cap));
		c->len = (size_t)v;
		return 0;
	case TGT_SHUTDOWN:
		return arg_how(args, c, why, cap);
	case TGT_SETSOCKOPT:
	case TGT_GETSOCKOPT:
		return arg_opt(args, r, "name", why, cap);
	case TGT_FCNTL:
		return arg_opt(args, r, "cmd", why, cap);
	case TGT_IOCTL:
		return arg_opt(args, r, "request", why, cap);
	case TGT_POLL:
		return arg_poll(args, r, why, cap);
	default:
		return 0;
	}
}

static int arg_addr(const cJSON *args, const char *key, int family, uint8_t out[16], char *why,
		    size_t cap)
{
	char text[64];
	CHECK(arg_str(args, key, text, sizeof text, why, cap));
	memset(out, 0, 16);
	if (inet_pton(family == 6 ? AF_INET6 : AF_INET, text, out) != 1) {
		snprintf(why, cap, "argument \"%s\" must be an IPv%d address", key, family);
		return -1;
	}
	return 0;
}

/* "config": [["key", "value"], ...], copied into one allocation. */
static int arg_config(const cJSON *args, struct agp_req *r, char *why, size_t cap)
{
	const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(args, "config"), *p;
	size_t need = 1, off = 0, n = 0;
	if (!cfg)
		return 0;
	if (!cJSON_IsArray(cfg) || cJSON_GetArraySize(cfg) > AGP_MAX_CONFIG)
		return bad(why, cap, "argument \"config\" must be a list of [key, value] pairs");
	cJSON_ArrayForEach(p, cfg)
	{
		const cJSON *k = cJSON_GetArrayItem(p, 0), *v = cJSON_GetArrayItem(p, 1);
		if (!cJSON_IsArray(p) || cJSON_GetArraySize(p) != 2 || !cJSON_IsString(k) ||
		    !cJSON_IsString(v))
			return bad(why, cap, "argument \"config\" must be a list of [key, value] "
					     "pairs of strings");
		need += strlen(k->valuestring) + strlen(v->valuestring) + 2;
	}
	r->strs = malloc(need);
	if (!r->strs)
		return bad(why, cap, "out of memory");
	cJSON_ArrayForEach(p, cfg)
	{
		const char *k = cJSON_GetArrayItem(p, 0)->valuestring;
		const char *v = cJSON_GetArrayItem(p, 1)->valuestring;
		r->settings[n].key = memcpy(r->strs + off, k, strlen(k) + 1);
		off += strlen(k) + 1;
		r->settings[n].value = memcpy(r->strs + off, v, strlen(v) + 1);
		off += strlen(v) + 1;
		n++;
	}
	r->open.config = r->settings;
	r->open.nconfig = n;
	return 0;
}

static int open_args(const cJSON *args, struct agp_req *r, char *why, size_t cap)
{
	struct agp_open *op = &r->open;
	const cJSON *mapped = cJSON_GetObjectItemCaseSensitive(args, "v4_mapped");
	char mac[24], seed[24], *end;
	int64_t fam;
	CHECK(arg_int(args, "family", 4, 6, true, 4, &fam, why, cap));
	if (fam != 4 && fam != 6)
		return bad(why, cap, "argument \"family\" must be 4 or 6");
	op->family = (uint8_t)fam;
	op->v4_mapped = cJSON_IsTrue(mapped);
	CHECK(arg_addr(args, "local", op->family, op->local, why, cap));
	CHECK(arg_addr(args, "remote", op->family, op->remote, why, cap));
	CHECK(arg_str(args, "peer_mac", mac, sizeof mac, why, cap));
	if (agp_mac_parse(mac, op->peer_mac) != 0)
		return bad(why, cap, "argument \"peer_mac\" must be \"aa:bb:cc:dd:ee:ff\"");
	CHECK(arg_str(args, "seed", seed, sizeof seed, why, cap));
	errno = 0;
	op->seed = strtoull(seed, &end, 10);
	if (!seed[0] || *end || errno)
		return bad(why, cap, "argument \"seed\" must be a decimal string");
	return arg_config(args, r, why, cap);
}

static int op_args(const cJSON *args, struct agp_req *r, char *why, size_t cap)
{
	int64_t v;
	switch (r->op) {
	case AGP_OP_CALL:
		return verb_args(args, r, why, cap);
	case AGP_OP_OPEN:
		return open_args(args, r, why, cap);
	case AGP_OP_STATE:
		CHECK(arg_int(args, "local_port", 0, 65535, true, 0, &v, why, cap));
		r->local_port = (uint16_t)v;
		CHECK(arg_int(args, "remote_port", 0, 65535, true, 0, &v, why, cap));
		r->remote_port = (uint16_t)v;
		return 0;
	case AGP_OP_ADVANCE:
		CHECK(arg_int(args, "to_us", 0, INT64_C(1) << 53, true, 0, &v, why, cap));
		r->to_us = (uint64_t)v;
		return 0;
	default:
		return 0;
	}
}

static int find_verb(const char *name, struct agp_req *r)
{
	static const struct {
		const char *name;
		enum agp_op op;
	} ops[] = {{"open", AGP_OP_OPEN},
		   {"state", AGP_OP_STATE},
		   {"advance", AGP_OP_ADVANCE},
		   {"sync", AGP_OP_SYNC}};
	int v;
	size_t i;
	for (i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (strcmp(name, ops[i].name) == 0) {
			r->op = ops[i].op;
			return 0;
		}
	for (v = TGT_SOCKET; v <= TGT_POLL; v++)
		if (strcmp(name, agp_verb_name((enum tgt_verb)v)) == 0) {
			r->op = AGP_OP_CALL;
			r->call.verb = (enum tgt_verb)v;
			return 0;
		}
	return -1;
}

static int parse_req_obj(const void *obj, void *out, char *why, size_t cap)
{
	const cJSON *o = obj;
	struct agp_req *r = out;
	const cJSON *verb = cJSON_GetObjectItemCaseSensitive(o, "verb");
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(o, "args");
	const cJSON *frames = cJSON_GetObjectItemCaseSensitive(o, "frames");
	int64_t id, f;
	CHECK(arg_int(o, "id", 1, INT64_C(1) << 53, true, 0, &id, why, cap));
	r->id = (uint64_t)id;
	if (!cJSON_IsString(verb))
		return bad(why, cap, "\"verb\" must be a string");
	if (find_verb(verb->valuestring, r) != 0) {
		snprintf(why, cap, "unknown verb \"%.40s\"", verb->valuestring);
		return -1;
	}
	if (args && !cJSON_IsObject(args))
		return bad(why, cap, "\"args\" must be an object");
	if (frames) {
		CHECK(arg_int(o, "frames", 0, INT64_C(1) << 53, true, 0, &f, why, cap));
		r->has_frames = true;
		r->frames = (uint64_t)f;
	}
	return op_args(args, r, why, cap);
}

void agp_req_clear(struct agp_req *r)
{
	free(r->data);
	free(r->strs);
	memset(r, 0, sizeof *r);
}

int agp_parse_req(const char *line, size_t len, struct agp_req *r, char *why, size_t cap)
{
	memset(r, 0, sizeof *r);
	return agp_parse_line(line, len, parse_req_obj, r, why, cap);
}
