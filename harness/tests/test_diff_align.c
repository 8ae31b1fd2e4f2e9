/* Unit tests of the differ's comparison (diff_align.c) on hand-built
 * sides, as a real-time target produces them: events run late, and a
 * connection that is gone is reported differently by the two sides. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/diff_int.h"

/* A passive open; the connection is then reset by the peer. */
static const char script[] = "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
			     "+0 bind(3, ..., ...) = 0\n"
			     "+0 listen(3, 1) = 0\n"
			     "+0 < S 0:0(0) win 8192 <mss 1460>\n"
			     "+0 > S. 0:0(0) ack 1 <...>\n"
			     "+.1 < . 1:1(0) ack 1 win 8192\n"
			     "+0 accept(3, ..., ...) = 4\n"
			     "+.1 < R 1:1(0) win 8192\n"
			     "+0 state CLOSED\n";
#define N_EVENTS 9

#define ISN 1000u
#define RISN 0u

/* The script, parsed by each case's setup. */
static struct scr_script *parsed;

static int parse_script(void **state)
{
	struct scr_diag dg;
	(void)state;
	return scr_parse("t.pkt", script, strlen(script), NULL, &parsed, &dg);
}

static int free_script(void **state)
{
	(void)state;
	scr_script_free(parsed);
	parsed = NULL;
	return 0;
}

static const struct scr_script *the_script(void)
{
	assert_non_null(parsed);
	return parsed;
}

struct rec {
	size_t ev;
	uint64_t t;
	unsigned flags;
	uint32_t seq, ack; /* relative (seq absolute with ABS) */
};

#define ABS 0x100 /* rec.flags: seq is absolute (a RST before any SYN) */

static uint32_t side_isn = ISN; /* the ISN of the side side() builds */

/* One side: its events at `ev_us` (each + `late`), its segments, and the
 * connection's state after each event. */
static void side(struct diff_side *d, const int64_t *ev_us, int64_t late, const struct rec *r,
		 size_t n, const char *const *states)
{
	size_t i;
	memset(d, 0, sizeof *d);
	d->n_events = N_EVENTS;
	d->ev = calloc(N_EVENTS, sizeof *d->ev);
	d->run.event_us = calloc(N_EVENTS, sizeof *d->run.event_us);
	d->run.records = calloc(n + 1, sizeof *d->run.records);
	assert_non_null(d->ev);
	assert_non_null(d->run.event_us);
	assert_non_null(d->run.records);
	d->run.local_isn = side_isn;
	d->run.remote_isn = RISN;
	for (i = 0; i < N_EVENTS; i++) {
		d->ev[i].seen = true;
		d->run.event_us[i] = ev_us[i] + late;
		strcpy(d->ev[i].state, states[i]);
	}
	for (i = 0; i < n; i++) {
		struct run_record *x = &d->run.records[i];
		x->after_event = r[i].ev;
		x->time_us = r[i].t + (uint64_t)late;
		x->seg.flags = (uint8_t)r[i].flags;
		x->seg.seq = (r[i].flags & ABS ? 0 : side_isn) + r[i].seq;
		x->seg.ack = RISN + r[i].ack;
		strcpy(x->rule, "3.10.7.2-syn-ack");
	}
	d->run.n_records = n;
	assert_int_equal(diff_side_chunks(d, the_script(), DIFF_DEFAULT_TOL_US), 0);
}

static const int64_t ev_us[N_EVENTS] = { 0, 0, 0, 0, 0, 100000, 100000, 200000, 200000 };

static void compare(struct diff_side *ref, struct diff_side *tgt, struct diff_result *out)
{
	const struct scr_script *s = the_script();
	struct diff_opts o;
	assert_int_equal(s->n_events, N_EVENTS);
	memset(&o, 0, sizeof o);
	o.tolerance_us = 4000;
	o.no_explain = true;
	memset(out, 0, sizeof *out);
	assert_int_equal(diff_compare(s, &o, "rfc", ref, tgt, out), 0);
	diff_side_free(ref);
	diff_side_free(tgt);
}

static const char *const states_ref[N_EVENTS] = { "CLOSED", "CLOSED", "LISTEN", "SYN_RECEIVED",
						  "SYN_RECEIVED",
						  "ESTABLISHED", "ESTABLISHED", "LISTEN",
						  "LISTEN" };
static const char *const states_tgt[N_EVENTS] = { "CLOSED", "CLOSED", "CLOSED", "SYN_RECEIVED",
						  "SYN_RECEIVED",
						  "ESTABLISHED", "ESTABLISHED", "CLOSED",
						  "CLOSED" };

/* The reference answers the SYN at once; a target that runs every event
 * 50 ms late answers it `reply_us` after the SYN arrives. */
static void syn_ack_after(uint64_t reply_us, struct diff_result *out)
{
	static const struct rec r[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 } };
	struct rec t[] = { { 3, reply_us, SEG_SYN | SEG_ACK, 0, 1 } };
	struct diff_side ref, tgt;
	side(&ref, ev_us, 0, r, 1, states_ref);
	side(&tgt, ev_us, 50000, t, 1, states_tgt);
	compare(&ref, &tgt, out);
}

/* 1 ms after its late event: the reference's delay, no timing finding. */
static void test_late_events_are_not_timing_findings(void **state)
{
	struct diff_result out;
	(void)state;
	syn_ack_after(1000, &out);
	assert_int_equal(out.n_findings, 0);
	diff_result_free(&out);
}

/* 10 ms after it: late, however late the event itself ran. */
static void test_late_reply_is_a_timing_finding(void **state)
{
	struct diff_result out;
	(void)state;
	syn_ack_after(10000, &out);
	assert_int_equal(out.n_findings, 1);
	assert_int_equal(out.findings[0].cls, DIFF_TIMING);
	assert_string_equal(out.findings[0].fields[0].expected, "0.050000");
	assert_string_equal(out.findings[0].fields[0].actual, "0.060000");
	diff_result_free(&out);
}

/* After the connection is gone the reference reports the listener on the
 * port (LISTEN) and a kernel nothing (CLOSED): the same, so a divergence
 * just before is resynchronised, and the `state` line is no finding. */
static void test_gone_connection_listen_is_closed(void **state)
{
	static const struct rec r[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 } };
	static const struct rec t[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 },
					{ 6, 100000, SEG_ACK, 1, 1 } };
	struct diff_side ref, tgt;
	struct diff_result out;
	(void)state;
	side(&ref, ev_us, 0, r, 1, states_ref);
	side(&tgt, ev_us, 0, t, 2, states_tgt);
	compare(&ref, &tgt, &out);
	assert_int_equal(out.n_findings, 1); /* the extra ACK */
	assert_string_equal(out.findings[0].kind, "unexpected");
	assert_null(strstr(out.findings[0].note, "not resynchronised"));
	assert_int_equal(out.findings[0].consequences, 0);
	diff_result_free(&out);
}

/* The target's delayed ACK fires at the next jiffy, before the script's
 * next event; the reference's, in virtual time, after it: the same ACK.
 * An ACK by a timer 300 ms apart after another event is not. */
static void timer_ack_before_next_event(uint64_t ref_delay, struct diff_result *out)
{
	struct rec r[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 }, { 6, 100000 + ref_delay, SEG_ACK, 1, 1 } };
	static const struct rec t[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 },
					{ 5, 100500, SEG_ACK, 1, 1 } };
	struct diff_side ref, tgt;
	side(&ref, ev_us, 0, r, 2, states_ref);
	side(&tgt, ev_us, 0, t, 2, states_ref);
	compare(&ref, &tgt, out);
}

static void test_timer_segment_before_next_event_aligns(void **state)
{
	struct diff_result out;
	(void)state;
	timer_ack_before_next_event(1000, &out);
	assert_int_equal(out.n_findings, 0);
	diff_result_free(&out);
}

/* ... also when the target ran the next event late (a loaded machine):
 * the timer was started by the earlier event, its delay counts from it. */
static void test_timer_segment_before_late_next_event_aligns(void **state)
{
	static const int64_t late_accept[N_EVENTS] = { 0, 0, 0, 0, 0, 100000, 115000, 215000, 215000 };
	static const struct rec r[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 }, { 6, 101000, SEG_ACK, 1, 1 } };
	static const struct rec t[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 },
					{ 5, 100500, SEG_ACK, 1, 1 } };
	struct diff_side ref, tgt;
	struct diff_result out;
	(void)state;
	side(&ref, ev_us, 0, r, 2, states_ref);
	side(&tgt, late_accept, 0, t, 2, states_ref);
	compare(&ref, &tgt, &out);
	assert_int_equal(out.n_findings, 0);
	diff_result_free(&out);
}

static void test_timer_segments_far_apart_do_not_align(void **state)
{
	struct diff_result out;
	(void)state;
	timer_ack_before_next_event(300000, &out);
	assert_int_equal(out.n_findings, 2);
	assert_string_equal(out.findings[0].kind, "unexpected");
	assert_string_equal(out.findings[1].kind, "missing");
	diff_result_free(&out);
}

/* The target acknowledges at once what the reference acknowledges on its
 * next segment (a FIN after the next verb): a deviation (SHLD-18), not a
 * violation. (An ACK of data that arrives only later is not moved: the
 * bad-csum mutant of test_diff.c.) */
static void test_ack_sent_alone_or_carried_is_a_deviation(void **state)
{
	static const struct rec r[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 },
					{ 6, 100000, SEG_ACK | SEG_FIN, 1, 2 } };
	static const struct rec t[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 },
					{ 5, 100500, SEG_ACK, 1, 2 },
					{ 6, 101000, SEG_ACK | SEG_FIN, 1, 2 } };
	struct diff_side ref, tgt;
	struct diff_result out;
	(void)state;
	side(&ref, ev_us, 0, r, 2, states_ref);
	side(&tgt, ev_us, 0, t, 3, states_ref);
	compare(&ref, &tgt, &out);
	assert_int_equal(out.n_findings, 1);
	assert_string_equal(out.findings[0].kind, "unexpected");
	assert_int_equal(out.findings[0].cls, DIFF_DEVIATION);
	assert_non_null(strstr(out.findings[0].note, "SHLD-18"));
	diff_result_free(&out);
}

/* A RST to a segment that reaches the listener carries SEQ=SEG.ACK, the
 * script's own number: compared as it is, whatever ISN each stack picks
 * for the connection that follows. */
static void test_rst_before_syn_is_absolute(void **state)
{
	static const struct rec r[] = { { 2, 0, SEG_RST | ABS, 1001, 0 },
					{ 3, 0, SEG_SYN | SEG_ACK, 0, 1 } };
	struct diff_side ref, tgt;
	struct diff_result out;
	(void)state;
	side(&ref, ev_us, 0, r, 2, states_ref);
	side_isn = 777777;
	side(&tgt, ev_us, 0, r, 2, states_ref);
	side_isn = ISN;
	compare(&ref, &tgt, &out);
	assert_int_equal(out.n_findings, 0);
	diff_result_free(&out);
}

/* A segment recorded after a `>` line (which a record-mode run skips)
 * answers the event before it: the target's SYN,ACK collected after the
 * `>` line, the reference's after the SYN, are the same. */
static void test_record_after_outbound_line_follows_event_before(void **state)
{
	static const struct rec r[] = { { 3, 0, SEG_SYN | SEG_ACK, 0, 1 } };
	static const struct rec t[] = { { 4, 500, SEG_SYN | SEG_ACK, 0, 1 } };
	struct diff_side ref, tgt;
	struct diff_result out;
	(void)state;
	side(&ref, ev_us, 0, r, 1, states_ref);
	side(&tgt, ev_us, 0, t, 1, states_ref);
	assert_int_equal(tgt.chunks[0].ev, 3);
	compare(&ref, &tgt, &out);
	assert_int_equal(out.n_findings, 0);
	diff_result_free(&out);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_record_after_outbound_line_follows_event_before, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_rst_before_syn_is_absolute, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_ack_sent_alone_or_carried_is_a_deviation, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_timer_segment_before_next_event_aligns, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_timer_segment_before_late_next_event_aligns, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_timer_segments_far_apart_do_not_align, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_late_events_are_not_timing_findings, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_late_reply_is_a_timing_finding, parse_script, free_script),
	cmocka_unit_test_setup_teardown(test_gone_connection_listen_is_closed, parse_script, free_script),
};

TC_CMOCKA_MAIN(tests)
