/* Unit tests of the fuzz action codec and executor (harness/actions/):
 * every byte string decodes, encode inverts decode, the documented byte
 * layouts mean what actions.h says, the executor reaches ESTABLISHED from
 * a handshake, invariants hold on a plain exchange, the planted defect is
 * seen, and scripts convert to actions and back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/actions/actions.h"

static struct fz_action acts[FZ_MAX_ACTIONS], again[FZ_MAX_ACTIONS];

/* A passive open: listen, SYN, ACK of the SYN-ACK, accept. */
static const uint8_t handshake[] = {
	0x05, 0x00,			       /* VERB listen, backlog 1 */
	0x00, 0x02, 0xb0, 0x10, 0x00, 0xff, 0x00, /* SEG SYN seq=ISS ack=0 */
	0x00, 0x10, 0x10, 0x30, 0x00, 0xff, 0x00, /* SEG ACK seq=RCV.NXT ack=SND.NXT */
	0x15, 0x00,			       /* VERB accept */
};

static void empty_input_decodes_to_nothing(void **state)
{
	(void)state;
	assert_int_equal(fz_decode((const uint8_t *)"", 0, acts, FZ_MAX_ACTIONS), 0);
}

static void every_byte_string_decodes(void **state)
{
	uint8_t buf[300];
	unsigned seed = 1, round, i;
	(void)state;
	for (round = 0; round < 2000; round++) {
		size_t n = seed % sizeof buf, k;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)(seed >> 16);
		}
		k = fz_decode(buf, n, acts, FZ_MAX_ACTIONS);
		assert_true(k <= FZ_MAX_ACTIONS);
		assert_true(n == 0 || k > 0);
		for (i = 0; i < k; i++) {
			assert_true(acts[i].kind <= FZ_ICMP);
			assert_true(acts[i].len <= FZ_MAX_PAYLOAD);
			assert_true(acts[i].opt_n <= sizeof acts[i].opt);
		}
	}
}

static void encode_inverts_decode(void **state)
{
	uint8_t buf[400], out[FZ_MAX_ACTIONS * 64];
	unsigned seed = 7, round, i;
	(void)state;
	for (round = 0; round < 2000; round++) {
		size_t n = seed % sizeof buf, k, k2;
		long len;
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = (uint8_t)(seed >> 16);
		}
		k = fz_decode(buf, n, acts, FZ_MAX_ACTIONS);
		len = fz_encode(acts, k, out, sizeof out);
		assert_true(len >= 0);
		k2 = fz_decode(out, (size_t)len, again, FZ_MAX_ACTIONS);
		assert_int_equal(k, k2);
		for (i = 0; i < k; i++) {
			char a[160], b[160];
			fz_action_format(&acts[i], a, sizeof a);
			fz_action_format(&again[i], b, sizeof b);
			assert_string_equal(a, b);
			assert_memory_equal(acts[i].opt, again[i].opt, acts[i].opt_n);
		}
	}
}

static void layout_is_as_documented(void **state)
{
	static const uint8_t in[] = {
		0xf8, 0x12, 0x6f, 0xe0, 0x01, 0x02, 0x03, /* bad-csum SEG, ack mode 7 */
		0x01, 0x02, 0x03, 0x04,			  /*   its explicit ack */
		0x0c,					  /* TIME code 1 */
		0xfc, 0x00, 0x00, 0x01, 0x00,		  /* TIME explicit 256 us */
		0x1d, 0xff, 0x12, 0x34,			  /* VERB send 0x1234 bytes */
		0x26, 0x00, 0x05,			  /* ICMP frag needed, mtu 98 */
	};
	size_t n = fz_decode(in, sizeof in, acts, FZ_MAX_ACTIONS);
	(void)state;
	assert_int_equal(n, 5);
	assert_int_equal(acts[0].kind, FZ_SEG);
	assert_true(acts[0].bad_csum);
	assert_int_equal(acts[0].flags, 0x12);
	assert_int_equal(acts[0].seq_mode, 3);
	assert_int_equal(acts[0].seq_arg, -1);
	assert_int_equal(acts[0].ack_mode, 7);
	assert_int_equal(acts[0].len, 1);
	assert_int_equal(acts[0].win, 259);
	assert_int_equal(acts[0].opt_code, 3);
	assert_int_equal(acts[0].ack_arg, 0x01020304);
	assert_int_equal(acts[1].kind, FZ_TIME);
	assert_int_equal(acts[1].time_code, 1);
	assert_int_equal(acts[2].time_us, 256);
	assert_int_equal(acts[3].verb, FZ_V_SEND);
	assert_int_equal(acts[3].arg, 0x1234);
	assert_int_equal(acts[4].icmp, FZ_I_FRAG_NEEDED);
	assert_int_equal(acts[4].mtu, 98);
}

static void max_actions_is_a_cap(void **state)
{
	uint8_t buf[FZ_MAX_ACTIONS * 3];
	(void)state;
	memset(buf, 0x0c, sizeof buf); /* one-byte TIME actions */
	assert_int_equal(fz_decode(buf, sizeof buf, acts, FZ_MAX_ACTIONS), FZ_MAX_ACTIONS);
}

struct states {
	unsigned seen;
};

static void on_event(void *ctx, const struct ref_event *ev)
{
	struct states *s = ctx;
	if (ev->kind == REF_EV_STATE)
		s->seen |= 1u << ev->to;
}

static void handshake_reaches_established(void **state)
{
	struct states s = { 0 };
	struct fz_exec_config cfg = { .on_event = on_event, .ctx = &s };
	struct fz_violation v;
	size_t n = fz_decode(handshake, sizeof handshake, acts, FZ_MAX_ACTIONS);
	(void)state;
	assert_int_equal(n, 4);
	assert_int_equal(fz_run(acts, n, &cfg, &v), 0);
	assert_true(s.seen & 1u << REF_SYN_RECEIVED);
	assert_true(s.seen & 1u << REF_ESTABLISHED);
}

static void time_is_capped(void **state)
{
	uint8_t buf[FZ_MAX_ACTIONS];
	struct fz_violation v;
	(void)state;
	memset(buf, 0xec, sizeof buf); /* TIME code 29: two hours, 64 times */
	assert_int_equal(fz_run(acts, fz_decode(buf, sizeof buf, acts, FZ_MAX_ACTIONS), NULL, &v),
			 0);
}

static void planted_defect_is_seen(void **state)
{
	uint8_t buf[64];
	static const uint8_t urg_fin[] = { 0x00, 0x39, 0x10, 0x30, 0x07, 0xff, 0x00, 0x00, 0x01 };
	struct fz_exec_config cfg = { .planted = true };
	struct fz_violation v;
	size_t n;
	(void)state;
	memcpy(buf, handshake, sizeof handshake);
	memcpy(buf + sizeof handshake, urg_fin, sizeof urg_fin);
	n = fz_decode(buf, sizeof handshake + sizeof urg_fin, acts, FZ_MAX_ACTIONS);
	assert_int_equal(n, 5);
	assert_int_equal(fz_run(acts, n, &cfg, &v), 1);
	assert_string_equal(v.sig, "planted-defect");
	assert_int_equal(v.action, 4);
	cfg.planted = false;
	assert_int_equal(fz_run(acts, n, &cfg, &v), 0);
}

/* What the stack sent, as a list of numbers to compare runs by. */
struct sent {
	uint64_t v[256];
	size_t n, outputs;
};

static void on_record(void *ctx, const struct fz_rec *r)
{
	struct sent *s = ctx;
	if (r->kind != FZ_REC_OUT || s->n + 5 > 256)
		return;
	s->v[s->n++] = r->time;
	s->v[s->n++] = r->seg->seq;
	s->v[s->n++] = r->seg->ack;
	s->v[s->n++] = r->seg->flags;
	s->v[s->n++] = r->seg->len;
}

static void on_output(void *ctx, const struct ref_output *o, enum ref_state st)
{
	struct sent *s = ctx;
	(void)o;
	(void)st;
	s->outputs++;
}

static void reused_executor_runs_as_new(void **state)
{
	static const uint8_t more[] = {
		0x1d, 100, /* VERB send 100 */
		0x04,	   /* TIME to the next deadline (the retransmission) */
		0x04, 0x5d, 0x00, /* TIME again, VERB close */
	};
	uint8_t buf[64];
	struct sent fresh = { .n = 0 }, reused = { .n = 0 };
	struct fz_exec_config cfg = { .on_record = on_record, .on_output = on_output };
	struct fz_exec *ex;
	struct fz_violation v;
	size_t n, k;
	(void)state;
	memcpy(buf, handshake, sizeof handshake);
	memcpy(buf + sizeof handshake, more, sizeof more);
	n = fz_decode(buf, sizeof handshake + sizeof more, acts, FZ_MAX_ACTIONS);
	cfg.ctx = &fresh;
	assert_int_equal(fz_run(acts, n, &cfg, &v), 0);
	assert_true(fresh.n >= 5 * 3); /* SYN,ACK, data, its retransmission */
	assert_int_equal(fresh.outputs, fresh.n / 5);
	cfg.ctx = &reused;
	ex = fz_exec_new(&cfg);
	assert_non_null(ex);
	k = fz_decode(more, sizeof more, again, FZ_MAX_ACTIONS); /* something else first */
	assert_int_equal(fz_exec_run(ex, acts, n - k, &v), 0);
	reused.n = reused.outputs = 0;
	assert_int_equal(fz_exec_run(ex, acts, n, &v), 0);
	assert_int_equal(reused.n, fresh.n);
	assert_memory_equal(reused.v, fresh.v, fresh.n * sizeof fresh.v[0]);
	fz_exec_free(ex);
}

static void script_round_trip(void **state)
{
	struct scr_script *s = NULL;
	size_t n = fz_decode(handshake, sizeof handshake, acts, FZ_MAX_ACTIONS), k;
	char *text = NULL;
	(void)state;
	assert_int_equal(fz_script_build(acts, n, false, "a test", &s), 0);
	assert_int_equal(scr_write(s, SCR_WRITE_SOURCE, &text, NULL), 0);
	assert_non_null(strstr(text, "// a test"));
	assert_non_null(strstr(text, "listen(3, 1) = 0"));
	assert_non_null(strstr(text, "< S 0:0(0) win 65535"));
	assert_non_null(strstr(text, "> S. 0:0(0) ack 1 <...>"));
	assert_non_null(strstr(text, "accept(3, ..., ...) = 4"));
	k = fz_from_script(s, again, FZ_MAX_ACTIONS);
	assert_int_equal(k, 4);
	assert_int_equal(again[0].verb, FZ_V_LISTEN);
	assert_int_equal(again[1].flags, SEG_SYN);
	assert_int_equal(again[1].seq_mode, 7);
	assert_int_equal(again[1].seq_arg, 0);
	assert_int_equal(again[2].ack_mode, 7);
	assert_int_equal(again[2].ack_arg, 1);
	assert_int_equal(again[3].verb, FZ_V_ACCEPT);
	free(text);
	scr_script_free(s);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(empty_input_decodes_to_nothing),
	cmocka_unit_test(every_byte_string_decodes),
	cmocka_unit_test(encode_inverts_decode),
	cmocka_unit_test(layout_is_as_documented),
	cmocka_unit_test(max_actions_is_a_cap),
	cmocka_unit_test(handshake_reaches_established),
	cmocka_unit_test(time_is_capped),
	cmocka_unit_test(planted_defect_is_seen),
	cmocka_unit_test(reused_executor_runs_as_new),
	cmocka_unit_test(script_round_trip),
};

TC_CMOCKA_MAIN(tests)
