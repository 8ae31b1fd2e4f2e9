/* The agent target's instance, shared by agent_target.c (the ops) and
 * agent_io.c (control lines, frames, waiting). Not an interface. */
#ifndef TCPCHECK_TARGETS_AGENT_AGENT_TGT_H
#define TCPCHECK_TARGETS_AGENT_AGENT_TGT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets/agent/agent_int.h"
#include "targets/agent/agent_proto.h"
#include "targets/linux/lx_int.h"
#include "targets/target.h"

#define AG_MAX_QUEUE 4096 /* captured packets not collected yet */
#define AG_MAX_TIMES 8192 /* virtual clock: send times not matched yet */
#define AG_FRAME_MAX 65600

struct ag_pkt {
	uint64_t time_us; /* real clock: when it was captured */
	uint64_t frame;	  /* virtual clock: the agent's frame number */
	uint8_t *bytes; /* owned */
	size_t len;
};

struct ag_tgt {
	struct tgt base;
	int family; /* 4 or 6 */
	uint8_t local[16], remote[16];
	int ns;		    /* the network namespace, held open */
	struct nl_sock *nl; /* rtnetlink, in that namespace */
	int cap;	    /* AF_PACKET on the TAP's kernel side */
	int ifindex;
	uint8_t peer_mac[6];  /* the TAP's own address: the scripted peer's */
	uint8_t agent_mac[6]; /* from the hello */
	struct ag_proc proc;
	struct agp_hello hello;
	bool have_hello;
	bool virt; /* the agent's clock is virtual */
	uint64_t timeout_us;
	/* control lines */
	char *in;
	size_t in_len, in_cap;
	uint64_t next_id;
	uint64_t waiting_id; /* the request being waited for, 0: none */
	bool got_reply, got_pending;
	struct agp_msg reply; /* its reply */
	/* the verb that blocks */
	bool pending;
	uint64_t pending_id;
	struct tgt_pollfd *pfds; /* the runner's, kept alive by it */
	size_t npfds;
	bool done;
	struct agp_msg done_msg;
	uint8_t *rdata; /* recv() bytes handed to the runner */
	/* virtual clock */
	uint64_t vnow, vnext;
	uint64_t frames_sent;	/* frames written toward the agent */
	uint64_t frames_synced; /* ... as the last request told it */
	uint64_t frames_seen;	/* frames captured from the agent */
	uint64_t frames_told;	/* frames the agent says it wrote */
	uint64_t *times;	/* AG_MAX_TIMES: send times by frame number, a ring */
	uint64_t times_known;	/* frames whose send time the agent told */
	/* captured packets for the runner, a ring */
	struct ag_pkt q[AG_MAX_QUEUE];
	size_t q_head, q_len;
	uint8_t *handed; /* the packet collect() handed out last */
	/* real clock */
	uint64_t t0;	  /* CLOCK_MONOTONIC at the end of open, us */
	int64_t real_off; /* CLOCK_REALTIME - CLOCK_MONOTONIC, us */
	uint64_t events;
	char last_event[64];
	bool failed;
	char failure[1200];
	char version[240];
	uint8_t frame[AG_FRAME_MAX];
};

/* CLOCK_MONOTONIC in microseconds. */
uint64_t ag_mono_us(void);

/* Fail the instance for good with a printf-style message, the agent's
 * exit status (waiting up to `wait_ms` for it) and its last output lines.
 * Only the first failure is kept. */
void ag_fail(struct ag_tgt *x, int wait_ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A captured packet's time on the target's clock: the capture's (real
 * clock) or the send time the agent told for its frame (virtual clock). */
uint64_t ag_frame_time(const struct ag_tgt *x, const struct ag_pkt *q);

/* Serve the control socket, the capture socket and the agent's output
 * until `enough` says so (NULL: until the time is up) or `until_mono`.
 * 0, -ETIMEDOUT, or -ENOTRECOVERABLE once the instance failed. */
int ag_pump(struct ag_tgt *x, uint64_t until_mono, bool (*enough)(const struct ag_tgt *x));

/* Send a request (its id and frame count are filled in) and wait for the
 * reply in x->reply, or x->got_pending; then, on a virtual clock, for
 * every frame the agent says it sent (ag_settle). 0 or a negative errno;
 * a timeout fails the instance. */
int ag_request(struct ag_tgt *x, struct agp_req *r);

/* Virtual clock: wait for the frames the agent announced, and while
 * tcpcheck has sent frames the agent was not told about (answers to its
 * ARP, injected packets), send `sync` and wait again. */
int ag_settle(struct ag_tgt *x);

#endif
