/* The differ: oracle mode (DESIGN.md §5, mode 2; `tcpcheck diff`).
 *
 * A script's inbound packets and socket verbs drive two runs: the
 * reference (target `ref` with a profile) and the target under test. The
 * script's `>` lines are ignored; what the reference sends is the
 * expectation. Both runs are made by the runner in record mode (run.h), so
 * inbound numbers adapt to each side by themselves: sequence numbers are
 * relative to each side's own ISN (learnt from its SYN), and an inbound
 * ACK of N acknowledges the N-th byte *that side* sent.
 *
 * Normalisation (what may legitimately differ between stacks and is
 * therefore not compared):
 *   seq / ack      relative to each side's ISN (the ISN itself is free,
 *                  RFC 9293 §3.4.1): the ISN of the side's SYN sent last
 *                  before the segment; absolute before its first SYN (a RST
 *                  for a segment to a listener carries SEQ=SEG.ACK);
 *   TS val / ecr   timestamp clocks are the stack's own (RFC 7323 §5.4):
 *                  the option's presence is compared, its values are not;
 *   window         not compared (receive-buffer autotuning, window scale
 *                  rounding, §3.8.6 leaves RCV.WND to the stack);
 *   IP ID, TTL     not compared (IP layer);
 *   PSH            not compared (§3.9.1.2: where PSH falls is the
 *                  sender's choice when it segments a stream);
 *   segmentation   consecutive data segments sent at the same moment that
 *                  continue each other are compared as one piece of the
 *                  byte stream (TSO, different MSS choices within a burst).
 *
 * Alignment: the two lists of (normalised) segments are aligned by their
 * longest common subsequence on (flags, seq, ack, len) within 10 s of each
 * other; an aligned pair whose times differ beyond the tolerance is a
 * *timing* finding, other fields (options) are compared. Times are
 * compared as delays after the script event the segment follows: a
 * real-time target runs events late on a loaded machine, and relative
 * script times carry the lateness on. A segment follows the last event the
 * run acted on (a record-mode run skips `>` lines). Unaligned segments
 * after the same script event are paired in order (a field finding);
 * what is left is a missing segment or an unexpected one (the reference
 * stayed silent; the rule of its silence is the reference's last decision,
 * e.g. 3.1-bad-checksum, 3.8.6.3-delayed-ack-start). A pure ACK that one
 * side sends alone and the other carries on a later segment, with nothing
 * arriving in between, is a *deviation* (when to acknowledge, SHLD-18).
 * Verb results and `state` lines are compared too; LISTEN and CLOSED are
 * the same state there (the script's connection is gone; the reference
 * reports the listener on its port, a kernel nothing).
 *
 * One root cause, one finding: after a finding, later divergences are
 * counted as its consequences until the two sides are back in sync at an
 * event boundary (same connection state, same relative SND.NXT and last
 * ACK sent). If they never are, the finding names both final states.
 *
 * Classes, decided in this order:
 *   timing     the same segment; only its time is outside tolerance;
 *   deviation  the reference, run again with one profile key changed,
 *              no longer diverges there: the RFC allows the choice and the
 *              fix is the profile (the key and value are named); also any
 *              RFC 5961 rule (optional under RFC 9293) and rules whose
 *              requirement is a SHLD / MAY (a choice no profile key
 *              models yet: a profile gap);
 *   violation  otherwise: the rule behind the expected segment (or
 *              silence) is a MUST, or unnumbered §3.x event processing,
 *              which holds under every profile.
 */
#ifndef TCPCHECK_HARNESS_DIFF_H
#define TCPCHECK_HARNESS_DIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/run.h"
#include "harness/script.h"
#include "targets/target.h"

enum diff_class {
	DIFF_VIOLATION,
	DIFF_DEVIATION,
	DIFF_TIMING,
};

/* "violation", "deviation", "timing". */
const char *diff_class_name(enum diff_class c);

#define DIFF_MAX_FIELDS 6

/* One field that differs. */
struct diff_field {
	char name[16];          /* "flags", "seq", "ack", "len", "options",
	                         * "time", "packet", "return", "state" */
	char expected[208];     /* the reference's value (a whole segment fits) */
	char actual[208];       /* the target's */
};

/* One divergence (one root cause). */
struct diff_finding {
	int line;               /* the script line of the event it follows */
	size_t event;           /* index of that event; SIZE_MAX: before the first */
	uint64_t time_us;       /* the target's time of the divergence */
	enum diff_class cls;
	char kind[16];          /* "fields", "missing", "unexpected", "timing",
	                         * "return", "state" */
	char rule[64];          /* the reference rule behind the expectation */
	char section[24];       /* "§3.10.7.4" */
	char req[24];           /* "MUST-3", "SHLD-19", ... or "" */
	char rule_text[200];
	struct diff_field fields[DIFF_MAX_FIELDS];
	size_t n_fields;
	char expected_pkt[208]; /* the reference's segment, or "" */
	char actual_pkt[208];   /* the target's, or "" */
	char profile_key[48];   /* deviation: the key that explains it ... */
	char profile_value[48]; /* ... and the value that does */
	char note[256];         /* resynchronisation, profile gap, ... */
	size_t consequences;    /* later divergences it caused */
};

enum diff_status {
	DIFF_SAME,      /* no finding */
	DIFF_FOUND,     /* at least one finding */
	DIFF_SKIP,      /* one side could not run the script (reason) */
	DIFF_ERROR,     /* could not run at all (reason) */
};

/* "same", "findings", "skip", "error". */
const char *diff_status_name(enum diff_status s);

struct diff_result {
	enum diff_status status;
	char reason[320];
	struct diff_finding *findings; /* owned */
	size_t n_findings;
	struct run_result ref;       /* the two record-mode runs, for reports */
	struct run_result tgt;
	char ref_profile[64];
};

struct diff_opts {
	const struct tgt_ops *target;     /* the target under test */
	const char *profile;              /* the reference's profile (name or
	                                   * file); NULL: diff_default_profile() */
	const struct tgt_setting *set;    /* --set KEY=V, already as "profile.KEY" */
	size_t n_set;
	const struct tgt_setting *target_set; /* settings for the target only
	                                   * (tests: mutant=NAME) */
	size_t n_target_set;
	int family;                       /* 4, 6, or 0 (the script's) */
	uint64_t seed;
	int64_t tolerance_us;             /* < 0: the script's / default */
	bool no_explain;                  /* skip the profile search */
	struct cap_file *pcap;            /* the target's run, or NULL */
};

/* The reference profile that stands for `target` by default: `lwip` for
 * lwip, `linux` for the kernel targets (reference/profiles/linux.profile),
 * `rfc` otherwise. Static storage. */
const char *diff_default_profile(const char *target);

/* Diff `s` with `o`. Returns 0 with `*out` filled (free with
 * diff_result_free), or -ENOMEM. */
int diff_script(const struct scr_script *s, const struct diff_opts *o, struct diff_result *out);

/* Free what a result owns; NULL is a no-op. */
void diff_result_free(struct diff_result *r);

#endif
