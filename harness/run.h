/* The runner: executes one parsed script against one target (DESIGN.md §5,
 * mode 1 — the script's `>` lines are the expectations).
 *
 * The event loop walks the script's events in order. Each event's time is
 * computed from the script (absolute, or relative to the previous event's
 * actual time) and checked against the target's clock:
 *   - for targets with virtual time the clock jumps straight to the next
 *     event or timer, so `+3` costs nothing;
 *   - inbound packets are built with the connection's live numbers
 *     (relative sequence numbers mapped to each side's ISN) and injected;
 *   - outbound packets are taken from what the target sent and checked
 *     field by field (diff.h); consecutive smaller segments may be combined
 *     to match one larger expected one unless `strict_segments`;
 *   - `> none for T` fails on any packet the stack sends during T;
 *   - syscalls become socket verbs; a call that blocks stays pending while
 *     later events run, and must return at its scripted end time;
 *   - packets still unmatched at the end of the script are reported.
 * A watchdog bounds every script and every blocking call: a hang is a
 * failure with its location, never a stuck run.
 */
#ifndef TCPCHECK_HARNESS_RUN_H
#define TCPCHECK_HARNESS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/script.h"
#include "reference/seg.h"
#include "targets/target.h"

struct cap_file;

/* The outcome of one script on one target. */
enum run_verdict {
	RUN_PASS,
	RUN_FAIL,
	RUN_SKIP,  /* not run, or a line needed what the target lacks */
	RUN_XFAIL, /* failed, as an @xfail for this target said it would */
	RUN_XPASS, /* passed despite an @xfail: counts as a failure */
	RUN_ERROR, /* the script or the target could not be run at all */
};

/* "pass", "fail", "skip", "xfail", "XPASS", "error". */
const char *run_verdict_name(enum run_verdict v);

/* One divergence between what the script expects and what happened. */
struct run_mismatch {
	int line;               /* script line (0: not tied to a line) */
	int col;
	uint64_t time_us;       /* on the target's clock */
	char field[24];         /* "flags", "seq", "ack", "win", "options",
	                         * "len", "time", "return", "errno", "state",
	                         * "packet" (missing / unexpected), ... */
	char expected[160];
	char actual[160];
	char rule[64];          /* the reference rule behind the actual packet,
	                         * when the target names one; else "" */
	char msg[512];          /* one readable sentence */
};

/* One packet that crossed the wire during the run, for the ladder diagram
 * and the pcap. */
struct run_trace_entry {
	uint64_t time_us;
	bool inbound;           /* injected by the script */
	int line;               /* the script line it belongs to, 0 if none */
	char text[200];         /* packetdrill notation, relative numbers */
	char rule[64];          /* outbound: the target's rule id, or "" */
};

/* A packet the stack sent, recorded in `record` mode (tcpcheck expect). */
struct run_record {
	size_t after_event;          /* index of the script event it follows;
	                              * SIZE_MAX: before the first */
	uint64_t time_us;
	struct seg seg;              /* payload not kept (seg.payload NULL) */
	char rule[64];
};

struct run_result {
	enum run_verdict verdict;
	char reason[512];            /* skip / xfail / error reason, or the
	                              * first mismatch's message */
	struct run_mismatch *mismatches; /* owned */
	size_t n_mismatches;
	struct run_trace_entry *trace;   /* owned */
	size_t n_trace;
	int family;                  /* 4 or 6 */
	uint64_t span_us;            /* the script's own time span */
	double wall_s;               /* wall-clock time the run took */
	size_t skipped_asserts;      /* python assertions not checked */
	char target_version[128];
	struct run_record *records;  /* record mode: owned, in time order */
	size_t n_records;
	int64_t *event_us;           /* record mode: each event's actual time */
	uint32_t local_isn;          /* the stack's ISN, as learnt */
	uint32_t remote_isn;         /* the script's ISN */
};

/* How to run. Zero is a sensible default for every field but `target`. */
struct run_opts {
	const struct tgt_ops *target;
	const char *profile;         /* reference profile, if the target takes one */
	int family;                  /* 4 or 6; 0 = the script's own (or 4) */
	bool v4_mapped;              /* IPv4 over an AF_INET6 socket */
	bool strict_segments;        /* no combining of outbound segments */
	int64_t tolerance_us;        /* -1 = the script's --tolerance_usecs, else
	                              * packetdrill's default (4 ms) */
	double tolerance_pct;        /* packetdrill's --tolerance_percent: a time
	                              * may also be off by this share of the
	                              * interval since the previous event;
	                              * < 0 = the script's, else 0 */
	uint64_t seed;               /* ISNs, ports */
	uint64_t watchdog_us;        /* limit on the script's clock; 0 = 1 hour */
	struct cap_file *pcap;       /* both directions written here, or NULL */
	bool record;                 /* expect mode: outbound lines are ignored,
	                              * every packet the stack sends is recorded
	                              * in run_result.records instead */
	bool ignore_targets;         /* run whatever @targets / @finding say (the
	                              * differ: `>` lines are not used) */
	/* Settings added after the script's @config when the target is
	 * opened (the differ's `--set`, as "profile.KEY"), or NULL. */
	const struct tgt_setting *extra_settings;
	size_t n_extra_settings;
	/* Record mode, for the differ (NULL: none): `on_event` after each
	 * event with the open target and the connection's ports, `on_result`
	 * with each verb's result when it completes. */
	void (*on_event)(void *arg, struct tgt *t, size_t event, uint16_t local_port,
			 uint16_t remote_port);
	void (*on_result)(void *arg, size_t event, const struct tgt_result *res);
	void *hook_arg;
	/* The agent target: the command that starts the agent, and how long a
	 * reply may take (0: the target's default). */
	const char *agent_cmd;
	uint32_t agent_timeout_ms;
	/* The name scripts' @targets, @xfail and @finding lines address the
	 * target by, besides its own (`--as-target`: the agent target running
	 * lwIP is `lwip` to the scripts); NULL: its own name only. */
	const char *as_target;
	/* Targets whose clock is known only once open (tgt_ops.instance_caps):
	 * on a real clock, a script whose span exceeds this is SKIP "slow"
	 * (`tcpcheck run --max-span`; 0: no limit). Other targets are sorted
	 * before they open, by the CLI. */
	uint64_t max_span_us;
	/* The stack's and the script's addresses instead of the documentation
	 * ones (`--local-ip`, `--remote-ip`), for runs in family `addr_family`
	 * (4 or 6; 0: none given). */
	int addr_family;
	uint8_t local_ip[16], remote_ip[16];
	/* linux-raw: inject and capture on this interface (`--iface`). */
	const char *iface;
};

/* Run `s` with `o`; `*out` is filled (free its contents with
 * run_result_free). Returns 0 when a verdict was reached (any verdict,
 * RUN_ERROR included), or -ENOMEM. */
int run_script(const struct scr_script *s, const struct run_opts *o, struct run_result *out);

/* Does a target named in a script (@targets, @xfail, @finding) stand for
 * `target`? Its own name does; `linux` also stands for `linux-raw`, the
 * same kernel stack reached another way. */
bool run_names_target(const char *listed, const char *target);

/* The script's scripted span in microseconds: the latest instant its
 * timeline names (relative times added up, windows at their end, `> none
 * for T` and blocking calls at their end). Real-time targets skip scripts
 * longer than `tcpcheck run --max-span` as "slow". */
uint64_t run_script_span(const struct scr_script *s);

/* Free what a result owns and zero it; NULL is a no-op. */
void run_result_free(struct run_result *r);

#endif
