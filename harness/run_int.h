/* Internals of the runner shared by run.c, run_packet.c and run_syscall.c.
 * Not part of any public interface. */
#ifndef TCPCHECK_HARNESS_RUN_INT_H
#define TCPCHECK_HARNESS_RUN_INT_H

#include <stdarg.h>

#include "harness/run.h"
#include "reference/seg.h"

#define RUN_MAX_FDS 64        /* script descriptors mapped at once */
#define RUN_MAX_QUEUE 1024    /* outbound packets waiting to be matched */
#define RUN_MAX_MISMATCHES 64 /* reported per script; the rest are counted */
#define RUN_MAX_TRACE 4096    /* packets kept for the ladder diagram */
#define RUN_BIND_PORT 8080    /* the stack's port for bind(..., ...), as packetdrill */
#define RUN_DEFAULT_TOLERANCE_US 4000 /* packetdrill's default tolerance */
#define RUN_SCRIPT_LIMIT_US (3600ull * 1000000u) /* watchdog: script clock */
#define RUN_WALL_LIMIT_S 120   /* watchdog: real time per script */
#define RUN_COMBINE_WAIT_US 2000 /* real time: how long the rest of a
                                  * segment burst may trail its head */

/* The script's one connection: who is who, and each side's ISN. "Local"
 * is the stack under test, "remote" is the script. */
struct run_conn {
	uint8_t family;
	uint8_t local[16];
	uint8_t remote[16];
	uint16_t local_port;   /* bind() sets it, or the stack's SYN tells it */
	uint16_t remote_port;  /* the script's port */
	bool local_isn_known;
	uint32_t local_isn;    /* learnt from the stack's SYN */
	uint32_t remote_isn;   /* the script's, chosen from the seed */
	bool have_last_out;    /* the stack's last segment, quoted by ICMP lines */
	struct seg last_out;
};

/* A packet the stack sent, not matched yet. */
struct run_out {
	uint64_t time_us;
	uint8_t *bytes;        /* owned */
	size_t len;
	char rule[64];
};

/* A blocking syscall waiting for the target. */
struct run_pending {
	bool active;
	const struct scr_event *ev;
	int64_t end_lo;        /* when it must return (tolerance not included) */
	int64_t end_hi;
};

/* Storage that a verb's pointers refer to while it runs (and, for poll,
 * until its result is checked). */
struct call_buf {
	char flags[64];
	char level[48];
	char name[48];
	struct tgt_pollfd pfds[16];
};

struct runner {
	const struct scr_script *s;
	const struct run_opts *o;
	struct tgt *t;
	struct run_result *r;
	struct run_conn c;
	int64_t tol;           /* timing tolerance, us */
	double tol_pct;        /* and as a share of the interval, percent */
	int64_t last_us;       /* actual time of the previous event */
	int fds[RUN_MAX_FDS];  /* script fd -> target fd, -1 if none */
	struct run_out *queue; /* RUN_MAX_QUEUE slots, a ring */
	size_t q_head, q_len;
	struct run_pending pending;
	struct tgt_call call;  /* the last verb sent to the target */
	struct call_buf call_buf;
	uint8_t *pkt;          /* SEG_MAX_PACKET bytes: the inbound packet being built */
	size_t mismatches_dropped;
	bool v4_mapped;        /* IPv4 on the wire, AF_INET6 sockets */
	size_t cur_event;      /* index of the event being run */
	uint64_t limit_us;     /* the watchdog's limit on the script clock */
	double wall_start;     /* when the run began (CLOCK_MONOTONIC, s) */
	uint64_t steps;        /* clock steps, for the wall-clock watchdog */
	size_t records_cap;
	size_t trace_cap;
	bool target_failed;    /* tgt_ops.failure said so (reported once) */
	bool stop;             /* a fatal divergence: later events would only
	                        * repeat it */
	char skip_reason[256]; /* set when a line needs what the target lacks */
};

/* ---- run.c ---- */

/* Record a mismatch at `ev` (may be NULL). `field`, `expected` and
 * `actual` may be NULL. The message is printf-style. */
void run_mismatch(struct runner *rn, const struct scr_event *ev, const char *field,
		  const char *expected, const char *actual, const char *rule, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Append a packet to the trace (and the pcap). */
void run_trace(struct runner *rn, uint64_t time_us, bool inbound, int line, const uint8_t *pkt,
	       size_t len, const char *rule);

/* The target's clock. */
uint64_t run_now(struct runner *rn);

/* Move the target's clock to `to_us`, collecting what it sends on the way
 * and completing a pending call when it can. */
void run_advance(struct runner *rn, uint64_t to_us);

/* Real time: wait until `to_us` or until the target has something (a
 * packet, a completed call), whichever is first; collect it. */
void run_wait_once(struct runner *rn, uint64_t to_us);

/* Collect what the target has sent so far into the queue. */
void run_collect(struct runner *rn);

/* Record mode: move every queued packet into the result's records, as
 * following event `after` (SIZE_MAX: before the first). */
void run_record_drain(struct runner *rn, size_t after);

/* Has the target failed for good (tgt_ops.failure)? Records that as a
 * mismatch, once, and stops the script; true if so. */
bool run_target_failed(struct runner *rn);

/* Try to complete the pending call. */
void run_poll_pending(struct runner *rn);

/* ---- run_packet.c ---- */

/* Inject an inbound packet or ICMP line. */
void run_inbound(struct runner *rn, const struct scr_event *ev);

/* Match an outbound packet line against the queue, waiting for it until
 * [lo, hi] + tolerance. */
void run_outbound(struct runner *rn, const struct scr_event *ev, int64_t lo, int64_t hi);

/* Learn what a collected packet tells about the connection (the stack's
 * ISN and port from its SYN). */
void run_learn(struct runner *rn, const struct seg *s);

/* Format a packet of the connection in relative notation. */
void run_format(const struct runner *rn, const struct seg *s, bool inbound, char *buf,
		size_t cap);

/* ---- run_syscall.c ---- */

/* Perform a syscall event. */
void run_syscall(struct runner *rn, const struct scr_event *ev, int64_t start);

/* Check a completed call's result against its event. */
void run_check_result(struct runner *rn, const struct scr_event *ev,
		      const struct tgt_result *res);

/* Map a script fd to the target's; -1 if unknown. */
int run_target_fd(const struct runner *rn, int64_t script_fd);

#endif
