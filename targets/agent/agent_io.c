/* The agent target's I/O: the control socket's lines, the frames captured
 * on the TAP (ARP and neighbour discovery answered here), the agent's
 * output, and the wait that serves all three; see agent_tgt.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "targets/agent/agent_tgt.h"

uint64_t ag_mono_us(void)
{
	return lx_clock_us(CLOCK_MONOTONIC);
}

/* ---- failure ---------------------------------------------------------------------- */

void ag_fail(struct ag_tgt *x, int wait_ms, const char *fmt, ...)
{
	char what[400], end[96], last[560];
	va_list ap;
	if (x->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	ag_proc_drain(&x->proc);
	ag_proc_end(&x->proc, wait_ms, end, sizeof end);
	ag_proc_last_lines(&x->proc, 4, last, sizeof last);
	snprintf(x->failure, sizeof x->failure, "%s; the agent %s%s%s%s", what, end,
		 last[0] ? "; its last output: \"" : "; it printed nothing", last,
		 last[0] ? "\"" : "");
	x->failed = true;
}

/* ---- frames ------------------------------------------------------------------------ */

static void queue_packet(struct ag_tgt *x, const uint8_t *p, size_t n, uint64_t at,
			 uint64_t frame)
{
	struct ag_pkt *q;
	if (x->q_len == AG_MAX_QUEUE)
		return; /* the runner reports a flood long before this */
	q = &x->q[(x->q_head + x->q_len) % AG_MAX_QUEUE];
	q->bytes = malloc(n ? n : 1);
	if (!q->bytes)
		return;
	memcpy(q->bytes, p, n);
	q->len = n;
	q->time_us = at;
	q->frame = frame;
	x->q_len++;
}

/* Only the connection's traffic reaches the runner: TCP and ICMP to the
 * script's address, not neighbour discovery. */
static bool for_peer(const struct ag_tgt *x, const uint8_t *p, size_t n)
{
	return lx_for_peer(x->family, x->remote, p, n) && !ag_is_nd(p, n);
}

static void send_frame(struct ag_tgt *x, const uint8_t mac[6], uint16_t proto, const uint8_t *p,
		       size_t n)
{
	int rc = lx_cap_send_proto(x->cap, x->ifindex, mac, proto, p, n);
	if (rc != 0)
		ag_fail(x, 0, "cannot send on the TAP: %s", strerror(-rc));
	else
		x->frames_sent++;
}

/* ARP: a request for the peer's address gets the TAP's own address. */
static void on_arp(struct ag_tgt *x, const uint8_t *p, size_t n)
{
	uint8_t sha[6], spa[4], tpa[4], reply[AG_ARP_LEN];
	int op;
	if (x->family != 4 || ag_arp_parse(p, n, &op, sha, spa, tpa) != 0 || op != 1 ||
	    memcmp(tpa, x->remote, 4) != 0)
		return;
	ag_arp_build(reply, 2, x->peer_mac, x->remote, sha, spa);
	send_frame(x, sha, AG_ETH_P_ARP, reply, sizeof reply);
}

/* A neighbour solicitation for the peer's address gets an advertisement. */
static void on_nd(struct ag_tgt *x, const uint8_t *p, size_t n, const uint8_t *src_mac)
{
	static const uint8_t unspecified[16];
	uint8_t src[16], target[16], mac[6], na[AG_ND_LEN];
	if (x->family != 6 || ag_nd_parse(p, n, src, target, mac) != 135 ||
	    memcmp(target, x->remote, 16) != 0 || memcmp(src, unspecified, 16) == 0)
		return;
	ag_nd_build(na, 136, x->remote, src, x->remote, x->peer_mac);
	send_frame(x, src_mac, AG_ETH_P_IPV6, na, sizeof na);
}

uint64_t ag_frame_time(const struct ag_tgt *x, const struct ag_pkt *q)
{
	if (!x->virt)
		return q->time_us;
	if (q->frame < x->times_known && q->frame + AG_MAX_TIMES >= x->times_known)
		return x->times[q->frame % AG_MAX_TIMES];
	return x->vnow; /* the agent did not say: now */
}

static void on_frame(struct ag_tgt *x, const struct lx_frame *f)
{
	int64_t at = (int64_t)f->real_us - x->real_off - (int64_t)x->t0;
	uint64_t frame = x->frames_seen++;
	if (f->proto == AG_ETH_P_ARP)
		on_arp(x, x->frame, f->len);
	else if (f->proto == AG_ETH_P_IPV6 && ag_is_nd(x->frame, f->len))
		on_nd(x, x->frame, f->len, f->src_mac);
	else if ((f->proto == AG_ETH_P_IP || f->proto == AG_ETH_P_IPV6) &&
		 for_peer(x, x->frame, f->len))
		queue_packet(x, x->frame, f->len, at > 0 ? (uint64_t)at : 0, frame);
}

static void read_frames(struct ag_tgt *x)
{
	struct lx_frame f;
	int rc;
	while ((rc = lx_cap_recv_ll(x->cap, false, x->frame, sizeof x->frame, &f)) == 0)
		if (f.len > 0)
			on_frame(x, &f);
	if (rc != -EAGAIN)
		ag_fail(x, 0, "cannot capture on the TAP: %s", strerror(-rc));
}

/* ---- control lines -------------------------------------------------------------------- */

/* The clock and frame fields a reply carries (virtual clock). */
static void take_clock(struct ag_tgt *x, const struct agp_msg *m)
{
	size_t i;
	if (m->has_clock) {
		x->vnow = m->now_us;
		x->vnext = m->next_us;
	}
	if (!m->has_frames)
		return;
	if (m->frames < x->frames_told) {
		ag_fail(x, 0, "protocol error: \"frames\" went back from %llu to %llu",
			(unsigned long long)x->frames_told, (unsigned long long)m->frames);
		return;
	}
	x->frames_told = m->frames;
	for (i = 0; i < m->nsent; i++)
		x->times[x->times_known++ % AG_MAX_TIMES] = m->sent_us[i];
}

static void on_reply(struct ag_tgt *x, struct agp_msg *m, const char *line)
{
	if (m->kind == AGP_PENDING && m->id == x->waiting_id && !x->got_reply) {
		x->got_pending = true;
		return;
	}
	if (m->kind == AGP_REPLY && m->id == x->waiting_id && !x->got_reply) {
		take_clock(x, m);
		agp_msg_clear(&x->reply);
		x->reply = *m;
		memset(m, 0, sizeof *m); /* moved */
		x->got_reply = true;
		return;
	}
	if (m->kind == AGP_REPLY && x->pending && m->id == x->pending_id && !x->done) {
		take_clock(x, m);
		agp_msg_clear(&x->done_msg);
		x->done_msg = *m;
		memset(m, 0, sizeof *m);
		x->done = true;
		return;
	}
	ag_fail(x, 0, "protocol error: %s for request %llu, which is not waiting for one: %.200s",
		m->kind == AGP_PENDING ? "\"pending\"" : "a reply", (unsigned long long)m->id, line);
}

static void on_line(struct ag_tgt *x, const char *line, size_t len)
{
	struct agp_msg m;
	char why[256];
	if (agp_parse_agent(line, len, &m, why, sizeof why) != 0) {
		ag_fail(x, 0, "protocol error: %s, in the line \"%.200s\"", why, line);
	} else if (m.kind == AGP_HELLO) {
		if (x->have_hello)
			ag_fail(x, 0, "protocol error: a second hello: %.200s", line);
		x->hello = m.hello;
		x->have_hello = true;
	} else if (m.kind == AGP_EVENT) {
		x->events++;
		snprintf(x->last_event, sizeof x->last_event, "%s fd %lld", m.event,
			 (long long)m.fd);
	} else {
		on_reply(x, &m, line);
	}
	agp_msg_clear(&m);
}

/* Take every complete line the socket holds; EOF fails the instance. */
static void read_lines(struct ag_tgt *x)
{
	for (;;) {
		ssize_t n;
		char *nl;
		if (x->in_cap - x->in_len < 4096) {
			size_t cap = x->in_cap ? x->in_cap * 2 : 65536;
			char *b = cap <= AGP_MAX_LINE * 2 ? realloc(x->in, cap + 1) : NULL;
			if (!b) {
				ag_fail(x, 0, "protocol error: a line longer than %u bytes",
					AGP_MAX_LINE);
				return;
			}
			x->in = b;
			x->in_cap = cap;
		}
		n = read(x->proc.ctl, x->in + x->in_len, x->in_cap - x->in_len);
		if (n == 0) {
			ag_fail(x, 200, "the agent closed its control socket (fd 3)");
			return;
		}
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				ag_fail(x, 200, "cannot read the control socket: %s",
					strerror(errno));
			return;
		}
		x->in_len += (size_t)n;
		while (!x->failed && (nl = memchr(x->in, '\n', x->in_len)) != NULL) {
			size_t k = (size_t)(nl - x->in);
			*nl = '\0';
			on_line(x, x->in, k);
			memmove(x->in, nl + 1, x->in_len - k - 1);
			x->in_len -= k + 1;
		}
		if (x->failed)
			return;
	}
}

/* ---- waiting --------------------------------------------------------------------------- */

int ag_pump(struct ag_tgt *x, uint64_t until_mono, bool (*enough)(const struct ag_tgt *x))
{
	for (;;) {
		struct pollfd p[3] = {{x->proc.ctl, POLLIN, 0}, {x->cap, POLLIN, 0},
				      {x->proc.out, POLLIN, 0}};
		uint64_t now;
		int ms;
		if (!x->failed)
			read_lines(x);
		if (!x->failed)
			read_frames(x);
		if (ag_proc_drain(&x->proc) && !x->failed && x->proc.out >= 0) {
			close(x->proc.out); /* its end is closed: no more output */
			x->proc.out = -1;
		}
		if (x->failed)
			return -ENOTRECOVERABLE;
		if (enough && enough(x))
			return 0;
		now = ag_mono_us();
		if (now >= until_mono)
			return -ETIMEDOUT;
		ms = (int)((until_mono - now + 999) / 1000);
		p[2].fd = x->proc.out;
		(void)poll(p, 3, ms);
	}
}

/* ---- requests ---------------------------------------------------------------------------- */

static int write_all(struct ag_tgt *x, const char *s, size_t n)
{
	uint64_t until = ag_mono_us() + x->timeout_us;
	while (n > 0) {
		ssize_t w = write(x->proc.ctl, s, n);
		if (w > 0) {
			s += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			ag_fail(x, 200, "cannot write to the agent: %s", strerror(errno));
			return -ENOTRECOVERABLE;
		}
		if (ag_mono_us() >= until) {
			ag_fail(x, 0, "the agent stopped reading its control socket");
			return -ENOTRECOVERABLE;
		}
		{
			struct pollfd p = {x->proc.ctl, POLLOUT, 0};
			(void)poll(&p, 1, 10);
		}
	}
	return 0;
}

static bool answered(const struct ag_tgt *x)
{
	return x->got_reply || x->got_pending;
}

static const char *op_name(const struct agp_req *r)
{
	static const char *const names[] = {"a verb", "open", "state", "advance", "sync"};
	return r->op == AGP_OP_CALL ? agp_verb_name(r->call.verb) : names[r->op];
}

/* Send `r` and wait for its reply (or "pending"). */
static int rpc(struct ag_tgt *x, struct agp_req *r)
{
	char *line;
	int rc;
	if (x->failed)
		return -ENOTRECOVERABLE;
	r->id = ++x->next_id;
	r->has_frames = x->virt;
	r->frames = x->frames_sent;
	x->frames_synced = x->frames_sent;
	line = agp_encode_req(r);
	if (!line)
		return -ENOMEM;
	x->waiting_id = r->id;
	x->got_reply = x->got_pending = false;
	rc = write_all(x, line, strlen(line));
	free(line);
	if (rc == 0)
		rc = ag_pump(x, ag_mono_us() + x->timeout_us, answered);
	if (rc == -ETIMEDOUT)
		ag_fail(x, 0, "the agent stopped answering: no reply to request %llu (%s) in %.1f s",
			(unsigned long long)r->id, op_name(r), (double)x->timeout_us / 1e6);
	x->waiting_id = 0;
	return x->failed ? -ENOTRECOVERABLE : rc;
}

static bool frames_in(const struct ag_tgt *x)
{
	return x->frames_seen >= x->frames_told;
}

int ag_settle(struct ag_tgt *x)
{
	/* The reply being settled stays x->reply: the syncs' replies are not it. */
	struct agp_msg keep = x->reply;
	bool got_reply = x->got_reply, got_pending = x->got_pending;
	memset(&x->reply, 0, sizeof x->reply);
	while (x->virt && !x->failed) {
		struct agp_req sync;
		int rc = ag_pump(x, ag_mono_us() + x->timeout_us, frames_in);
		if (rc == -ETIMEDOUT)
			ag_fail(x, 0, "the agent says it wrote %llu frames to the TAP; %llu arrived",
				(unsigned long long)x->frames_told,
				(unsigned long long)x->frames_seen);
		if (x->failed || x->frames_sent == x->frames_synced)
			break;
		memset(&sync, 0, sizeof sync);
		sync.op = AGP_OP_SYNC; /* answers sent since: let the agent take them */
		rpc(x, &sync);
	}
	agp_msg_clear(&x->reply);
	x->reply = keep;
	x->got_reply = got_reply;
	x->got_pending = got_pending;
	return x->failed ? -ENOTRECOVERABLE : 0;
}

int ag_request(struct ag_tgt *x, struct agp_req *r)
{
	int rc = rpc(x, r);
	if (rc == 0)
		rc = ag_settle(x);
	return rc;
}
