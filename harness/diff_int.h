/* Internals of the differ shared by diff.c, diff_align.c and
 * diff_report.c. Not part of any public interface. */
#ifndef TCPCHECK_HARNESS_DIFF_INT_H
#define TCPCHECK_HARNESS_DIFF_INT_H

#include "harness/diff.h"
#include "reference/seg.h"

#define DIFF_DEFAULT_TOL_US 4000          /* packetdrill's default tolerance */
#define DIFF_ALIGN_WINDOW_US 10000000ll   /* aligned segments lie within 10 s */
#define DIFF_MAX_RAW 256                  /* divergences per script before grouping */

/* What one side did at one script event. */
struct diff_event {
	bool seen;              /* the run got past this event */
	char state[32];         /* the connection's state after it ("" unknown) */
	char rule[64];          /* ref: the rule of its last decision */
	bool has_result;        /* a verb completed for this event */
	int64_t ret;
	int err;
};

/* A normalised piece of what a side sent (diff.h: segmentation). */
struct diff_chunk {
	size_t ev;              /* after_event of its first segment */
	uint64_t time_us;
	uint8_t flags;          /* FIN of the last segment included */
	uint32_t raw_seq, raw_ack;
	uint32_t seq, ack;      /* relative */
	uint32_t len;           /* bytes of all its segments */
	unsigned nsegs;
	bool prompt;            /* sent at its event's own time: a reply to
	                         * it, not the work of a timer */
	char opts[160];         /* normalised options text */
	char rule[64];
	char text[200];         /* relative notation, for reports */
	bool matched;
	size_t peer;            /* aligned chunk on the other side */
};

struct diff_side {
	struct run_result run;
	struct diff_event *ev;  /* n_events entries */
	size_t n_events;
	struct diff_chunk *chunks;
	size_t n_chunks;
};

/* Run one side in record mode with the differ's hooks. `ro->record` and
 * the hooks are set here. */
int diff_side_run(const struct scr_script *s, struct run_opts *ro, struct diff_side *d);

/* Build the normalised chunks from the run's records (each record moved
 * off a `>` line of `s`, which may be NULL, to the event it follows). */
int diff_side_chunks(struct diff_side *d, const struct scr_script *s, int64_t tol);

void diff_side_free(struct diff_side *d);

/* Run the reference with `profile`, the user's --set and `extra`. */
int diff_ref_run(const struct scr_script *s, const struct diff_opts *o, const char *profile,
		 const struct tgt_setting *extra, size_t n_extra, struct diff_side *d);

/* Same (flags but PSH, seq, ack, len)? */
bool diff_chunk_same(const struct diff_chunk *a, const struct diff_chunk *b);

/* Align, find, group and classify; fills out->findings. diff_align.c. */
int diff_compare(const struct scr_script *s, const struct diff_opts *o, const char *profile,
		 struct diff_side *ref, struct diff_side *tgt, struct diff_result *out);

#endif
