/* A script's scripted span: the latest instant its timeline names; see
 * run.h (run_script_span). */
#include "harness/run.h"

/* When the event ends, given the previous event's time `prev`. */
static int64_t event_end(const struct scr_event *ev, int64_t prev)
{
	const struct scr_time *t = &ev->time;
	int64_t at = prev, base = 0;
	switch (t->kind) {
	case SCR_TIME_ABS:
		at = t->start_us;
		break;
	case SCR_TIME_REL:
		at = prev + t->start_us;
		base = prev;
		break;
	case SCR_TIME_WINDOW:
		at = t->end_us;
		break;
	case SCR_TIME_REL_WINDOW:
		at = prev + t->end_us;
		base = prev;
		break;
	default:
		break;
	}
	if (ev->kind == SCR_EV_NONE)
		at += ev->u.none.for_us;
	if (ev->kind == SCR_EV_SYSCALL && ev->u.sys.blocking && base + ev->u.sys.end_us > at)
		at = base + ev->u.sys.end_us;
	return at;
}

uint64_t run_script_span(const struct scr_script *s)
{
	int64_t t = 0, max = 0;
	size_t i;
	for (i = 0; i < s->n_events; i++) {
		t = event_end(&s->events[i], t);
		if (t > max)
			max = t;
	}
	return (uint64_t)max;
}
