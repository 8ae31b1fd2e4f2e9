/* The lwIP agent's main loop and control requests; see lwip_agent.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lwip/init.h>

#include "targets/agent/agent_proto.h"
#include "targets/lwip/agent/lwip_agent.h"
#include "targets/lwip/lwip_stack.h"
#include "targets/linux/lx_int.h"
#include "targets/lwip/lwip_target.h"

#define CTL_FD 3

static struct la A;

/* The verb that blocks: its request stays alive (lws keeps its pfds). */
static struct agp_req *pend;

/* Descriptors the verbs returned, for the events. */
static struct {
	bool used, listening, ready, err;
} fds[LA_MAX_FDS];

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void die(const char *what)
{
	fprintf(stderr, "lwip-agent: %s\n", what);
	exit(2);
}

static void send_line(char *line)
{
	size_t n, off = 0;
	if (!line)
		die("out of memory");
	n = strlen(line);
	while (off < n) {
		ssize_t w = write(CTL_FD, line + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("the control socket is gone");
		off += (size_t)w;
	}
	free(line);
}

/* ---- replies -------------------------------------------------------------------- */

/* The clock and the frames since the last reply (virtual clock). */
static void add_clock(struct agp_msg *m)
{
	if (!A.virt)
		return;
	m->has_clock = true;
	m->now_us = lws_now();
	m->next_us = lws_next_deadline();
	m->has_frames = true;
	m->frames = A.tx;
	m->sent_us = A.sent_us;
	m->nsent = A.nsent;
}

static void reply(struct agp_msg *m)
{
	add_clock(m);
	send_line(agp_encode_reply(m));
	A.nsent = 0;
}

static void reply_result(uint64_t id, int rc, const struct tgt_result *res,
			 const struct tgt_call *c, const char *what)
{
	struct agp_msg m;
	size_t i;
	memset(&m, 0, sizeof m);
	m.id = id;
	if (rc == TGT_NOT_MODELLED) {
		snprintf(m.unsupported, sizeof m.unsupported, "lwIP does not model %s", what);
	} else if (rc != 0) {
		snprintf(m.failure, sizeof m.failure, "%s",
			 lws_failure() ? lws_failure() : strerror(-rc));
	} else {
		m.ret = res->ret;
		m.err = res->err;
		m.ival = res->ival;
		m.ival2 = res->ival2;
		if (res->data && res->data_len) {
			m.data = malloc(res->data_len);
			if (!m.data)
				die("out of memory");
			memcpy(m.data, res->data, res->data_len);
			m.data_len = res->data_len;
		}
		for (i = 0; c && i < c->npfds && i < AGP_MAX_PFDS; i++)
			m.revents[m.nrevents++] = c->pfds[i].revents;
	}
	reply(&m);
	free(m.data);
}

/* ---- events ---------------------------------------------------------------------- */

static void track(const struct tgt_call *c, const struct tgt_result *res)
{
	int fd = c->fd;
	if ((c->verb == TGT_SOCKET || c->verb == TGT_ACCEPT) && res->ret >= 0 &&
	    res->ret < LA_MAX_FDS) {
		memset(&fds[res->ret], 0, sizeof fds[0]);
		fds[res->ret].used = true;
	}
	if (fd < 0 || fd >= LA_MAX_FDS)
		return;
	if (c->verb == TGT_LISTEN && res->ret == 0)
		fds[fd].listening = true;
	if (c->verb == TGT_CLOSE && res->ret == 0)
		fds[fd].used = false;
}

/* "accepted", "readable", "error" when a descriptor becomes so. Only
 * while no verb blocks: a poll would replace the blocked verb in lws. */
static void emit_events(void)
{
	int fd;
	for (fd = 0; fd < LA_MAX_FDS && !pend && A.opened; fd++) {
		struct tgt_pollfd p = {fd, TGT_POLLIN, 0};
		struct tgt_call c;
		struct tgt_result res;
		bool ready, err;
		if (!fds[fd].used)
			continue;
		memset(&c, 0, sizeof c);
		c.verb = TGT_POLL;
		c.pfds = &p;
		c.npfds = 1;
		if (lws_call(&c, &res) != 0)
			return;
		ready = (p.revents & TGT_POLLIN) != 0;
		err = (p.revents & TGT_POLLERR) != 0;
		if (ready && !fds[fd].ready)
			send_line(agp_encode_event(fds[fd].listening ? "accepted" : "readable", fd, 0));
		if (err && !fds[fd].err)
			send_line(agp_encode_event("error", fd, 0));
		fds[fd].ready = ready;
		fds[fd].err = err;
	}
}

/* After anything happened: frames out, the blocked verb, events. */
static void settle(void)
{
	la_flush(&A);
	if (pend) {
		struct tgt_result res;
		int rc = lws_finish(&res);
		la_flush(&A);
		if (rc != -EINPROGRESS) {
			if (rc == 0)
				track(&pend->call, &res);
			reply_result(pend->id, rc, &res, &pend->call, agp_verb_name(pend->call.verb));
			agp_req_clear(pend);
			free(pend);
			pend = NULL;
		}
	}
	emit_events();
	la_flush(&A);
}

/* Real clock: lwIP's time is the time since start. */
static void tick(void)
{
	if (!A.virt && A.opened)
		lws_advance(mono_us() - A.t0);
}

/* ---- requests ------------------------------------------------------------------------- */

static void op_open(struct agp_req *r)
{
	struct tgt_config cfg;
	struct lwip_tgt_config lc;
	struct lws_config ls;
	struct agp_msg m;
	char why[256] = "";
	int rc;
	memset(&m, 0, sizeof m);
	m.id = r->id;
	memset(&cfg, 0, sizeof cfg);
	cfg.family = r->open.family;
	cfg.v4_mapped = r->open.v4_mapped;
	memcpy(cfg.local_addr, r->open.local, 16);
	memcpy(cfg.remote_addr, r->open.remote, 16);
	cfg.settings = r->open.config;
	cfg.nsettings = r->open.nconfig;
	cfg.seed = r->open.seed;
	rc = A.opened ? -EALREADY : lwip_tgt_config(&cfg, &lc, why, sizeof why);
	if (rc == 0) {
		memset(&ls, 0, sizeof ls);
		ls.family = r->open.family;
		memcpy(ls.local, r->open.local, 16);
		memcpy(ls.remote, r->open.remote, 16);
		ls.seed = r->open.seed;
		ls.mtu = lc.mtu;
		ls.nodelay = lc.nodelay;
		rc = lws_open(&ls);
	}
	if (rc == -ENOTSUP)
		snprintf(m.unsupported, sizeof m.unsupported, "%.*s", (int)sizeof m.unsupported - 1, why);
	else if (rc != 0)
		snprintf(m.failure, sizeof m.failure, "%s", why[0] ? why : strerror(-rc));
	if (rc == 0) {
		A.opened = true;
		A.family = r->open.family;
		memcpy(A.local, r->open.local, 16);
		memcpy(A.remote, r->open.remote, 16);
		A.t0 = mono_us();
	}
	reply(&m);
}

static void op_call(struct agp_req *r)
{
	struct tgt_result res;
	char what[128];
	int rc;
	memset(&res, 0, sizeof res);
	if (!A.opened) {
		reply_result(r->id, -EINVAL, &res, NULL, "");
		return;
	}
	rc = lws_call(&r->call, &res);
	snprintf(what, sizeof what, "%s%s%s", agp_verb_name(r->call.verb),
		 r->call.name ? " " : "", r->call.name ? r->call.name : "");
	if (rc == -EINPROGRESS) {
		pend = malloc(sizeof *pend);
		if (!pend)
			die("out of memory");
		*pend = *r; /* the parsed request moves here ... */
		if (r->call.pfds)
			pend->call.pfds = pend->pfds; /* ... with its pointers */
		pend->call.flags = pend->flags;
		pend->call.level = pend->level;
		pend->call.name = pend->name;
		memset(r, 0, sizeof *r); /* its buffers belong to pend now */
		la_flush(&A);
		send_line(agp_encode_pending(pend->id));
		return;
	}
	if (rc == 0)
		track(&r->call, &res);
	la_flush(&A);
	reply_result(r->id, rc, &res, &r->call, what);
}

static void op_state(struct agp_req *r)
{
	struct agp_msg m;
	memset(&m, 0, sizeof m);
	m.id = r->id;
	if (!A.opened || lws_state(r->local_port, r->remote_port, m.state, sizeof m.state) != 0)
		snprintf(m.failure, sizeof m.failure, "%s",
			 lws_failure() ? lws_failure() : "not open");
	reply(&m);
}

static void op_simple(struct agp_req *r)
{
	struct agp_msg m;
	memset(&m, 0, sizeof m);
	m.id = r->id;
	if (r->op == AGP_OP_ADVANCE && !A.virt)
		snprintf(m.failure, sizeof m.failure, "advance: this agent runs on the real clock");
	else if (r->op == AGP_OP_ADVANCE && A.opened && lws_advance(r->to_us) != 0)
		snprintf(m.failure, sizeof m.failure, "%s", lws_failure() ? lws_failure() : "?");
	settle(); /* timers ran: frames, the blocked verb */
	reply(&m);
}

/* Virtual clock: the frames tcpcheck sent before this request come first. */
static void barrier(const struct agp_req *r)
{
	uint64_t until = mono_us() + 5000000u;
	while (r->has_frames && A.rx < r->frames) {
		struct pollfd p = {A.tap, POLLIN, 0};
		if (mono_us() > until)
			die("the frames tcpcheck announced did not arrive on the TAP");
		(void)poll(&p, 1, 100);
		la_read_frames(&A);
	}
	settle();
}

static void on_request(const char *line, size_t len)
{
	struct agp_req r;
	char why[256];
	if (agp_parse_req(line, len, &r, why, sizeof why) != 0) {
		fprintf(stderr, "lwip-agent: bad request (%s): %.200s\n", why, line);
		exit(2);
	}
	tick();
	barrier(&r);
	if (r.op == AGP_OP_OPEN)
		op_open(&r);
	else if (r.op == AGP_OP_CALL)
		op_call(&r);
	else if (r.op == AGP_OP_STATE)
		op_state(&r);
	else
		op_simple(&r);
	agp_req_clear(&r);
	settle();
}

/* ---- the loop ---------------------------------------------------------------------------- */

static void read_control(void)
{
	static char *buf;
	static size_t len, cap;
	char *nl;
	ssize_t n;
	if (cap - len < 4096) {
		cap = cap ? cap * 2 : 65536;
		if (cap > 2 * AGP_MAX_LINE || !(buf = realloc(buf, cap)))
			die("a request line too long");
	}
	n = read(CTL_FD, buf + len, cap - len);
	if (n == 0)
		exit(0); /* tcpcheck is done with us */
	if (n < 0)
		return;
	len += (size_t)n;
	while ((nl = memchr(buf, '\n', len)) != NULL) {
		size_t k = (size_t)(nl - buf);
		*nl = '\0';
		on_request(buf, k);
		memmove(buf, nl + 1, len - k - 1);
		len -= k + 1;
	}
}

static int poll_timeout(void)
{
	uint64_t due, now;
	if (A.virt || !A.opened)
		return -1;
	due = lws_next_deadline();
	now = lws_now();
	if (due == UINT64_MAX)
		return 1000;
	return due <= now ? 0 : (int)((due - now) / 1000u + 1);
}

/* An lwIP assertion stops lwIP for good (lwip_stack.c recorded it and
 * unwound): the agent exits with it on stderr, which tcpcheck reports as
 * the script's failure at that point, as the in-process target does. */
static void stop_on_assertion(void)
{
	const char *f = lws_failure();
	if (!f)
		return;
	fprintf(stderr, "lwip-agent: %s\n", f);
	exit(70);
}

static void serve(void)
{
	for (;;) {
		struct pollfd p[2] = {{CTL_FD, POLLIN, 0}, {A.tap, POLLIN, 0}};
		if (poll(p, 2, poll_timeout()) < 0 && errno != EINTR)
			die("poll failed");
		tick();
		if (p[1].revents & POLLIN) {
			la_read_frames(&A);
			settle();
		}
		stop_on_assertion();
		if (p[0].revents & (POLLIN | POLLHUP))
			read_control();
		stop_on_assertion();
		if (!A.virt) {
			tick();
			settle();
		}
		stop_on_assertion();
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: lwip-agent --tap DEV [--virtual-clock] [--mac aa:bb:cc:dd:ee:ff]\n"
			"An agent of tcpcheck's agent target (docs/agent-protocol.md): lwIP\n"
			"on the TAP device DEV, driven over fd 3.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {{"tap", required_argument, NULL, 't'},
					     {"virtual-clock", no_argument, NULL, 'v'},
					     {"mac", required_argument, NULL, 'm'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	struct agp_hello h;
	const char *tap = NULL;
	char why[256];
	int o;
	memset(&A, 0, sizeof A);
	memset(&h, 0, sizeof h);
	memcpy(A.mac, (uint8_t[6]){0x02, 0x00, 0x00, 0x00, 0x00, 0x01}, 6);
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (o == 't')
			tap = optarg;
		else if (o == 'v')
			A.virt = true;
		else if (o == 'm' && agp_mac_parse(optarg, A.mac) == 0)
			continue;
		else {
			usage();
			return o == 'h' ? 0 : 2;
		}
	}
	if (!tap) {
		usage();
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (lx_tap_open(tap, &A.tap, why, sizeof why) != 0) { /* the Linux target's */
		fprintf(stderr, "lwip-agent: %s\n", why);
		return 1;
	}
	snprintf(h.name, sizeof h.name, "lwip-agent");
	snprintf(h.version, sizeof h.version, "lwIP %s", LWIP_VERSION_STRING);
	memcpy(h.mac, A.mac, 6);
	h.virtual_clock = A.virt;
	h.caps = AGP_CAP_STATE | AGP_CAP_IPV4 | AGP_CAP_IPV6 | AGP_CAP_ICMP;
	send_line(agp_encode_hello(&h));
	serve();
	return 0;
}
