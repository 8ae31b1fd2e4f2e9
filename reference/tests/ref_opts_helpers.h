/* Shared helpers of the part-2 tests (RFC 7323, 2018, 5681): connections
 * opened with options, peer segments carrying timestamps and SACK blocks.
 * Header-only (static functions): each test program includes it once. */
#ifndef TCPCHECK_REFERENCE_TESTS_REF_OPTS_HELPERS_H
#define TCPCHECK_REFERENCE_TESTS_REF_OPTS_HELPERS_H

#include "reference/tests/ref_fixture.h"

#include <string.h>

#define TSV0 5000u /* the peer's first TSval */

static uint8_t hx_data[65536];

/* NOP NOP TS on a peer segment. */
static inline void hx_ts(struct seg *g, uint32_t val, uint32_t ecr)
{
	assert_int_equal(seg_opts_add_nop(&g->opts), 0);
	assert_int_equal(seg_opts_add_nop(&g->opts), 0);
	assert_int_equal(seg_opts_add_ts(&g->opts, val, ecr), 0);
}

/* The peer's SYN options: mss 1460 [, sackOK] [, TS] [, nop, ws]. */
static inline void hx_syn_opts(struct seg *g, bool sack, bool ts, int ws)
{
	assert_int_equal(seg_opts_add_mss(&g->opts, 1460), 0);
	if (sack)
		assert_int_equal(seg_opts_add_sack_perm(&g->opts), 0);
	if (ts)
		assert_int_equal(seg_opts_add_ts(&g->opts, TSV0, 0), 0);
	if (ws >= 0) {
		assert_int_equal(seg_opts_add_nop(&g->opts), 0);
		assert_int_equal(seg_opts_add_wscale(&g->opts, (uint8_t)ws), 0);
	}
}

/* A passive open with those SYN options; returns the SYN,ACK's options. */
static inline struct seg_opts hx_open(struct fx *fx, bool sack, bool ts, int ws)
{
	struct ref_sockaddr peer;
	struct seg_opts synack;
	struct seg g;

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx->irs, 0);
	hx_syn_opts(&g, sack, ts, ws);
	fx_in(fx, &g);
	assert_true(fx->next < fx->nout);
	fx->iss = fx->out[fx->next].seg.seq;
	synack = fx_expect(fx, SEG_SYN | SEG_ACK, fx->iss, fx->irs + 1, 0)->seg.opts;
	fx->now += 10 * FX_MS;
	g = fx_seg(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1));
	if (ts)
		hx_ts(&g, TSV0 + 10, synack.ts_val);
	fx_in(fx, &g);
	fx_expect_none(fx);
	fx->fd = ref_accept(fx->st, fx->lfd, &peer, fx->now);
	assert_true(fx->fd >= 0);
	return synack;
}

/* A peer segment: flags, seq/ack relative, `len` bytes of payload, a
 * timestamp if tsval != 0, `nsack` SACK blocks (relative to our ISS). */
static inline void hx_in(struct fx *fx, uint8_t flags, uint32_t seq_rel, uint32_t ack_rel,
			 uint32_t len, uint32_t tsval, uint32_t tsecr, unsigned nsack,
			 const struct seg_sack_block *sack)
{
	struct seg_sack_block b[SEG_SACK_MAX];
	struct seg g = fx_seg(fx, flags, fx_p(fx, seq_rel), fx_s(fx, ack_rel));
	unsigned i;

	if (len)
		fx_payload(&g, hx_data, len);
	if (tsval)
		hx_ts(&g, tsval, tsecr);
	if (nsack) {
		for (i = 0; i < nsack; i++) {
			b[i].left = fx_s(fx, sack[i].left);
			b[i].right = fx_s(fx, sack[i].right);
		}
		assert_int_equal(seg_opts_add_nop(&g.opts), 0);
		assert_int_equal(seg_opts_add_nop(&g.opts), 0);
		assert_int_equal(seg_opts_add_sack(&g.opts, b, nsack), 0);
	}
	fx_in(fx, &g);
}

/* Our TSval at the fixture's current time (rfc profile: 1 ms ticks). */
static inline uint32_t hx_tsval(const struct fx *fx) { return (uint32_t)(fx->now / 1000); }

/* The SACK blocks of an emitted segment, relative to the peer's IRS. */
static inline unsigned hx_sack(const struct fx_out *o, const struct fx *fx,
			       struct seg_sack_block *b)
{
	unsigned i;

	if (!(o->seg.opts.present & SEG_HAS_SACK))
		return 0;
	for (i = 0; i < o->seg.opts.sack_count; i++) {
		b[i].left = o->seg.opts.sack[i].left - fx->irs;
		b[i].right = o->seg.opts.sack[i].right - fx->irs;
	}
	return o->seg.opts.sack_count;
}

#endif
