/* Reference stack: CLOSED (no connection) and LISTEN, RFC 9293 §3.10.7.1,
 * §3.10.7.2, §3.9.2.3, option parsing (§3.1, §3.2, §3.7.1), ISN (§3.4.1),
 * the passive half of SYN-RECEIVED. */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

/* ---- CLOSED: no TCB, §3.10.7.1 ----------------------------------------------------- */

static void test_closed_syn_draws_rst_ack_seq_zero(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	o = fx_expect(fx, SEG_RST | SEG_ACK, 0, fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_CLOSED_RST_FOR_NON_ACK);
	assert_int_equal(o->seg.sport, FX_LPORT);
	assert_int_equal(o->seg.dport, FX_PPORT);
	assert_memory_equal(o->seg.dst, fx->paddr, 4);
	assert_int_equal(o->fd, -1);
	fx_expect_none(fx);
}

static void test_closed_ack_draws_rst_seq_from_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_in_data(fx, SEG_ACK, fx_p(fx, 5), 777, 10);
	o = fx_expect(fx, SEG_RST, 777, 0, 0);
	assert_int_equal(o->rule, REF_R_CLOSED_RST_FOR_ACK);
	assert_int_equal(o->seg.wnd, 0);
	fx_expect_none(fx);
}

static void test_closed_rst_is_discarded(void **state)
{
	struct fx *fx = *state;

	fx_in_data(fx, SEG_RST, fx_p(fx, 0), 0, 0);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 0), 5, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_CLOSED_DROP_RST);
}

static void test_closed_rst_ack_counts_text_and_fin(void **state)
{
	struct fx *fx = *state;

	fx_in_data(fx, SEG_FIN | SEG_PSH, fx_p(fx, 0), 0, 10);
	fx_expect(fx, SEG_RST | SEG_ACK, 0, fx_p(fx, 11), 0); /* SEG.SEQ+SEG.LEN */
	fx_in_data(fx, SEG_SYN | SEG_FIN, fx_p(fx, 0), 0, 3);
	fx_expect(fx, SEG_RST | SEG_ACK, 0, fx_p(fx, 5), 0);
	fx_expect_none(fx);
}

static void test_closed_syn_to_broadcast_dropped_must_57(void **state)
{
	struct fx *fx = *state;
	struct seg g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	static const uint8_t bcast[4] = {192, 0, 2, 255}, mcast[4] = {224, 0, 0, 1};
	static const uint8_t all[4] = {255, 255, 255, 255};

	memcpy(g.dst, bcast, 4);
	fx_in(fx, &g);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BCAST_DST);
	memcpy(g.dst, mcast, 4);
	fx_in(fx, &g);
	memcpy(g.dst, all, 4);
	fx_in(fx, &g);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BCAST_DST);
	fx_expect_none(fx);
}

static void test_listen_syn_from_invalid_source_dropped_must_63(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t bad[][4] = {
		{255, 255, 255, 255}, {224, 0, 0, 1}, {0, 0, 0, 0}, {127, 0, 0, 1}, {192, 0, 2, 255},
		{240, 0, 0, 1},
	};
	size_t i;

	fx_listen(fx, 8);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
		memcpy(g.src, bad[i], 4);
		fx_in(fx, &g);
		assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BAD_SRC);
	}
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED); /* no connection record */
}

static void test_listen_syn_to_multicast_dropped_must_57(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t mcast[4] = {239, 1, 2, 3};

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	memcpy(g.dst, mcast, 4);
	fx_in(fx, &g);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BCAST_DST);
}

static void test_closed_segment_to_other_host_dropped(void **state)
{
	struct fx *fx = *state;
	struct seg g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	static const uint8_t other[4] = {192, 0, 2, 77};

	memcpy(g.dst, other, 4);
	fx_in(fx, &g);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_NOT_LOCAL);
}

/* ---- LISTEN, §3.10.7.2 ------------------------------------------------------------------ */

static void test_listen_rst_ignored(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 8);
	fx_in_data(fx, SEG_RST, fx_p(fx, 0), 0, 0);
	fx_in_data(fx, SEG_RST | SEG_ACK, fx_p(fx, 0), 100, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_LISTEN_DROP_RST);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
}

static void test_listen_ack_draws_rst_seq_seg_ack(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_listen(fx, 8);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 0), 4242, 0);
	o = fx_expect(fx, SEG_RST, 4242, 0, 0);
	assert_int_equal(o->rule, REF_R_LISTEN_RST_FOR_ACK);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
}

static void test_listen_syn_ack_draws_rst(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 8);
	fx_in_data(fx, SEG_SYN | SEG_ACK, fx_p(fx, 0), 99, 0);
	fx_expect(fx, SEG_RST, 99, 0, 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED);
}

static void test_listen_segment_without_syn_ack_rst_dropped(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 8);
	fx_in_data(fx, SEG_FIN, fx_p(fx, 0), 0, 0);
	fx_in_data(fx, SEG_PSH, fx_p(fx, 0), 0, 20);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_LISTEN_DROP_OTHER);
}

static void test_listen_syn_answered_syn_ack_must_14(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;
	struct ref_tcb_info info;

	fx_syn_received_passive(fx);
	o = &fx->out[0];
	assert_int_equal(fx_out_mss(o), 1460); /* MUST-67: MTU 1500 - 40 */
	assert_int_equal(o->seg.wnd, 65535);
	assert_int_equal(o->seg.ttl, 64);
	assert_int_equal(o->fd, -1); /* not accepted yet */
	assert_int_equal(ref__find_conn(fx->st, SEG_IPV4, fx->laddr, FX_LPORT, fx->paddr,
					FX_PPORT)->tcb.passive,
			 1);
	(void)info;
}

static void test_listen_syn_without_mss_assumes_536_must_15(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx->peer_mss = 0;
	fx_established(fx);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.peer_mss, 536);
	assert_int_equal(info.eff_mss, 536);
}

static void test_listen_mss_option_honoured_must_14(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx->peer_mss = 1000;
	fx_established(fx);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.eff_mss, 1000);
	assert_int_equal(fx_write(fx, 2500), 2500);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 1000);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1001), fx_p(fx, 1), 1000);
	fx_expect_none(fx); /* the 500-byte tail waits for the ACK (Nagle) */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2001), 0);
	fx_expect(fx, SEG_ACK | SEG_PSH, fx_s(fx, 2001), fx_p(fx, 1), 500);
	fx_expect_none(fx);
}

static void test_listen_large_peer_mss_capped_by_mtu_must_16(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx->peer_mss = 9000;
	fx_established(fx);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.eff_mss, 1460); /* min(SendMSS+20, MMS_S) - 20 */
}

static void test_listen_options_unaligned_parsed_must_64(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t opts[] = {1, 2, 4, 0x03, 0xe8, 1, 1, 1}; /* NOP, MSS 1000 at 1 */
	struct ref_tcb_info info;

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	fx_opt_raw(&g, opts, sizeof(opts));
	fx_in(fx, &g);
	fx->iss = fx->out[0].seg.seq;
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.peer_mss, 1000);
}

static void test_listen_unknown_option_skipped_must_6(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t opts[] = {253, 6, 0xde, 0xad, 0xbe, 0xef, 2, 4, 0x02, 0x00};
	struct ref_tcb_info info;

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	fx_opt_raw(&g, opts, sizeof(opts));
	fx_in(fx, &g);
	fx->iss = fx->out[0].seg.seq;
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	assert_int_equal(fx->out[0].seg.opts.len, 4); /* only our MSS: nothing echoed */
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.peer_mss, 512);
}

static void test_listen_illegal_option_length_dropped_must_7(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t zero_len[] = {253, 0, 1, 1};
	static const uint8_t one_len[] = {1, 253, 1, 1};
	static const uint8_t overrun[] = {2, 4, 5, 180, 253, 9, 0, 0};
	static const uint8_t bad_mss[] = {2, 3, 5, 1};
	static const uint8_t trunc[] = {1, 1, 1, 2};

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	fx_opt_raw(&g, zero_len, sizeof(zero_len));
	fx_in(fx, &g);
	g.opts.len = 0;
	fx_opt_raw(&g, one_len, sizeof(one_len));
	fx_in(fx, &g);
	g.opts.len = 0;
	fx_opt_raw(&g, overrun, sizeof(overrun));
	fx_in(fx, &g);
	g.opts.len = 0;
	fx_opt_raw(&g, bad_mss, sizeof(bad_mss));
	fx_in(fx, &g);
	g.opts.len = 0;
	fx_opt_raw(&g, trunc, sizeof(trunc));
	fx_in(fx, &g);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BAD_OPTION);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	/* The listener still works (no crash, no lost state). */
	g.opts.len = 0;
	fx_in(fx, &g);
	assert_int_equal(fx_pending(fx), 1);
}

static void test_listen_bytes_after_eol_ignored_must_69(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t opts[] = {0, 253, 0, 7}; /* EOL, then garbage */

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	fx_opt_raw(&g, opts, sizeof(opts));
	fx_in(fx, &g);
	assert_int_equal(fx_pending(fx), 1);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

static void test_listen_ip_options_ignored_must_50(void **state)
{
	struct fx *fx = *state;
	struct seg g;
	static const uint8_t rr[] = {7, 7, 4, 0, 0, 0, 0, 0}; /* record route, NOP-padded */

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	memcpy(g.ip_opts, rr, sizeof(rr));
	g.ip_opts_len = sizeof(rr);
	fx_in(fx, &g);
	fx->iss = fx->out[0].seg.seq;
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	assert_int_equal(fx->out[0].seg.ip_opts_len, 0);
}

static void no_syn_queue(struct ref_stack_config *c) { c->profile.syn_text_queued = false; }

/* Profile syn_text_queued off (Linux, lwIP): the text is dropped and the
 * peer sends it again after the handshake. */
static void test_listen_syn_text_not_acknowledged(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, no_syn_queue);

	(void)state;
	fx_listen(fx, 8);
	fx_in_data(fx, SEG_SYN | SEG_FIN, fx_p(fx, 0), 0, 50);
	fx->iss = fx->out[0].seg.seq;
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0); /* only the SYN */
	assert_true(fx_event_seen(fx, REF_R_SYN_TEXT_NOT_QUEUED));
	/* The peer sends the text again after the handshake. */
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 50);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_true(fx->fd >= 0);
	fx_advance(fx, 200 * FX_MS);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 51), 0);
	fx_free(fx);
}

/* §3.10.7.2 third: "any other control or text should be queued for
 * processing later" — the SYN-ACK acknowledges the SYN only; the ACK that
 * makes the connection ESTABLISHED has the text and FIN processed. */
static void test_listen_syn_text_queued_until_established(void **state)
{
	struct fx *fx = *state;
	char buf[64];

	fx_listen(fx, 8);
	fx_in_data(fx, SEG_SYN | SEG_FIN, fx_p(fx, 0), 0, 50);
	fx->iss = fx->out[0].seg.seq;
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	assert_true(fx_event_seen(fx, REF_R_SYN_TEXT_QUEUED));
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_true(fx_event_seen(fx, REF_R_SYN_TEXT_PROCESSED));
	while (fx_pending(fx) > 1)
		fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 51), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 52), 0); /* text and FIN */
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_true(fx->fd >= 0);
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
	assert_int_equal(ref_recv(fx->st, fx->fd, buf, sizeof buf, 0, fx->now), 50);
}

/* The peer that resent the SYN's text with its ACK gets it delivered once. */
static void test_listen_syn_text_resent_with_ack_delivered_once(void **state)
{
	struct fx *fx = *state;
	char buf[128];

	fx_listen(fx, 8);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 30);
	fx->iss = fx->out[0].seg.seq;
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 40); /* 30 again, 10 new */
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_true(fx->fd >= 0);
	assert_int_equal(ref_recv(fx->st, fx->fd, buf, sizeof buf, 0, fx->now), 40);
	fx_advance(fx, 500 * FX_MS);
	while (fx_pending(fx) > 1)
		fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 31), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 41), 0);
}

static void test_listen_backlog_full_drops_syn(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 1);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	assert_int_equal(fx_pending(fx), 1);
	fx_skip(fx);
	fx->pport++;
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_LISTEN_BACKLOG_FULL);
}

static void test_listen_accept_returns_established_connection(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr peer;

	fx_syn_received_passive(fx);
	assert_int_equal(ref_accept(fx->st, fx->lfd, &peer, fx->now), -EAGAIN);
	assert_int_equal(ref_poll(fx->st, fx->lfd), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_poll(fx->st, fx->lfd), REF_POLLIN);
	fx->fd = ref_accept(fx->st, fx->lfd, &peer, fx->now);
	assert_int_equal(fx->fd, fx->lfd + 1);
	assert_int_equal(peer.port, FX_PPORT);
	assert_memory_equal(peer.addr, fx->paddr, 4);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
	assert_int_equal(ref_accept(fx->st, fx->lfd, &peer, fx->now), -EAGAIN);
}

static void test_listen_ipv6_syn_ack_mss_1440(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_passive(fx);
	assert_int_equal(fx->out[0].seg.family, SEG_IPV6);
	assert_int_equal(fx_out_mss(&fx->out[0]), 1440);
}

static void test_listen_ipv6_without_mss_assumes_1220_must_15(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx->peer_mss = 0;
	fx_established(fx);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.eff_mss, 1220);
}

static void test_listen_ipv6_multicast_source_dropped_must_63(void **state)
{
	struct fx *fx = *state;
	struct seg g;

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx_p(fx, 0), 0);
	memset(g.src, 0, 16);
	g.src[0] = 0xff;
	g.src[1] = 0x02;
	g.src[15] = 1;
	fx_in(fx, &g);
	memset(g.src, 0, 16); /* :: */
	fx_in(fx, &g);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_DROP_BAD_SRC);
}

/* ---- ISN, §3.4.1 ------------------------------------------------------------------------- */

static uint32_t isn_at(uint64_t now, uint16_t pport)
{
	struct fx *fx = fx_new();
	uint32_t isn;

	fx->now = now;
	fx->pport = pport;
	fx_syn_received_passive(fx);
	isn = fx->iss;
	fx_free(fx);
	return isn;
}

static void test_listen_isn_clock_plus_keyed_hash_must_8_shld_1(void **state)
{
	uint32_t a = isn_at(FX_T0, FX_PPORT), b = isn_at(FX_T0, FX_PPORT);
	uint32_t later = isn_at(FX_T0 + 4000, FX_PPORT), other = isn_at(FX_T0, FX_PPORT + 1);

	(void)state;
	assert_int_equal(a, b);              /* reproducible bit for bit */
	assert_int_equal(later - a, 1000);   /* 4 µs ticks (MUST-8) */
	assert_int_not_equal(other, a);      /* F(4-tuple, key) (SHLD-1) */
	assert_int_not_equal(other - a, 1);
}

/* ---- SYN-RECEIVED reached from LISTEN ---------------------------------------------------- */

static void test_syn_received_passive_rst_returns_to_listen_must_11(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 1), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED); /* the record is gone ... */
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN); /* ... LISTEN remains */
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_RST_SYN_RCVD_PASSIVE);
	/* The user was not told; a new SYN is accepted (Figure 8). */
	fx_in_data(fx, SEG_SYN, fx_p(fx, 10), 0, 0);
	o = fx_expect(fx, SEG_SYN | SEG_ACK, fx->out[fx->next].seg.seq, fx_p(fx, 11), 0);
	assert_int_equal(o->rule, REF_R_LISTEN_SYN_ACK);
}

static void syn_rcvd_rst_on(struct ref_stack_config *c) { c->profile.syn_rcvd_syn_rst = true; }

/* Profile syn_rcvd_syn_rst (Linux tcp_check_req, embryonic_reset): a SYN in
 * the window is answered with <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>, a SYN-ACK
 * with <SEQ=SEG.ACK><CTL=RST>; the connection is gone, the listener stays. */
static void test_syn_received_passive_syn_rst_profile(void **state)
{
	static const uint8_t syn[] = { SEG_SYN, SEG_SYN | SEG_ACK };
	struct fx *fx;
	const struct fx_out *o;
	unsigned i;

	(void)state;
	for (i = 0; i < 2; i++) {
		fx = fx_new_cfg(SEG_IPV4, syn_rcvd_rst_on);
		fx_syn_received_passive(fx);
		fx_in_data(fx, syn[i], fx_p(fx, 5), fx_s(fx, 1), 0);
		if (i == 0)
			o = fx_expect(fx, SEG_RST | SEG_ACK, 0, fx_p(fx, 6), 0);
		else
			o = fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
		assert_int_equal(o->rule, REF_R_SYN_RCVD_SYN_RST);
		fx_expect_none(fx);
		assert_int_equal(fx_state(fx), REF_CLOSED);
		assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
		fx_free(fx);
	}
}

static void test_syn_received_passive_syn_returns_to_listen(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 5), 0, 0); /* in the window */
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_SYN_SYN_RCVD_PASSIVE);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
}

static void test_syn_received_duplicate_syn_is_unacceptable_ack(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0); /* the original SYN again */
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

static void test_syn_received_unacceptable_ack_draws_rst(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 0), 0); /* SEG.ACK = ISS */
	o = fx_expect(fx, SEG_RST, fx_s(fx, 0), 0, 0);
	assert_int_equal(o->rule, REF_R_SYN_RCVD_RST_FOR_BAD_ACK);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 9), 0); /* past SND.NXT */
	fx_expect(fx, SEG_RST, fx_s(fx, 9), 0, 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

static void test_syn_received_ack_without_ack_bit_dropped(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_PSH, fx_p(fx, 1), 0, 10);
	fx_expect_none(fx);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_ACK_OFF_DROP);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

static void test_syn_received_ack_with_data_establishes(void **state)
{
	struct fx *fx = *state;
	char buf[16];

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 10);
	assert_int_equal(fx_state(fx), REF_ESTABLISHED);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(fx_read(fx, buf, sizeof(buf), 0), 10);
	assert_memory_equal(buf, "abcdefghij", 10);
}

static void test_syn_received_syn_ack_retransmitted_on_rto_must_22(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_received_passive(fx);
	assert_int_equal(ref_stack_next_deadline(fx->st), fx->now + 1 * FX_SEC);
	fx_next_timer(fx);
	o = fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
	assert_int_equal(o->rule, REF_R_RTX_SYN);
	assert_int_equal(fx_out_mss(o), 1460);
	fx_next_timer(fx);
	assert_int_equal(fx->now, FX_T0 + 3 * FX_SEC); /* 1 s, then 2 s */
	fx_expect(fx, SEG_SYN | SEG_ACK, fx_s(fx, 0), fx_p(fx, 1), 0);
}

static void test_syn_received_passive_gives_up_after_r2_syn_must_23(void **state)
{
	struct fx *fx = *state;
	unsigned n = 0;

	fx_syn_received_passive(fx);
	while (fx_state(fx) == REF_SYN_RECEIVED) {
		fx_next_timer(fx);
		n += fx_pending(fx);
		fx_skip(fx);
	}
	/* 1, 3, 7, 15, 31, 63, 123 s, then R2 = 180 s (at least 3 minutes). */
	assert_int_equal(n, 7);
	assert_int_equal(fx->now, FX_T0 + 180 * FX_SEC);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
}

static void test_syn_received_handshake_rtt_sample(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_established(fx); /* the ACK came 10 ms after the SYN,ACK */
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.srtt, 10 * FX_MS);
	assert_int_equal(info.rttvar, 5 * FX_MS);
	assert_int_equal(info.rto, 1 * FX_SEC); /* 30 ms rounded up to 1 s (2.4) */
}

static void test_syn_received_after_lost_syn_ack_rto_three_seconds(void **state)
{
	struct fx *fx = *state;
	struct ref_tcb_info info;

	fx_syn_received_passive(fx);
	fx_next_timer(fx);
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.rto, 3 * FX_SEC); /* RFC 6298 (5.7) */
	assert_int_equal(info.srtt, 0);         /* Karn: no sample */
}

/* ---- listen / open rules, §3.9.1.1 ------------------------------------------------------- */

static void test_listen_second_listener_fails_first_undisturbed_must_41(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a = fx_local_addr(fx, FX_LPORT);
	int fd2;

	fx_syn_received_passive(fx);
	fd2 = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(fx_setopt(fx, fd2, REF_SO_REUSEADDR, 1), 0);
	assert_int_equal(ref_bind(fx->st, fd2, &a, fx->now), -EADDRINUSE);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_true(ref_accept(fx->st, fx->lfd, NULL, fx->now) >= 0);
}

static void test_listen_while_same_port_syn_sent_must_42(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a = fx_local_addr(fx, 5000), peer = fx_peer_addr(fx);
	int c, l;

	c = ref_socket(fx->st, SEG_IPV4, fx->now);
	l = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(fx_setopt(fx, c, REF_SO_REUSEADDR, 1), 0);
	assert_int_equal(fx_setopt(fx, l, REF_SO_REUSEADDR, 1), 0);
	assert_int_equal(ref_bind(fx->st, c, &a, fx->now), 0);
	assert_int_equal(ref_connect(fx->st, c, &peer, fx->now), -EINPROGRESS);
	assert_int_equal(ref_bind(fx->st, l, &a, fx->now), 0);
	assert_int_equal(ref_listen(fx->st, l, 4, fx->now), 0);
	assert_int_equal(ref_sock_state(fx->st, c), REF_SYN_SENT);
	assert_int_equal(ref_sock_state(fx->st, l), REF_LISTEN);
}

static void test_listen_bind_foreign_address_refused_must_43(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a = fx_local_addr(fx, 80);
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now);

	a.addr[3] = 99;
	assert_int_equal(ref_bind(fx->st, fd, &a, fx->now), -EADDRNOTAVAIL);
	a.addr[3] = 1;
	assert_int_equal(ref_bind(fx->st, fd, &a, fx->now), 0);
	assert_int_equal(ref_bind(fx->st, fd, &a, fx->now), -EINVAL);
}

static void test_listen_close_aborts_unaccepted_connections(void **state)
{
	struct fx *fx = *state;
	const struct fx_out *o;

	fx_syn_received_passive(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_int_equal(ref_close(fx->st, fx->lfd, fx->now), 0);
	fx_collect(fx);
	o = fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0);
	assert_int_equal(o->rule, REF_R_CLOSE_LISTEN);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSED);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 100), 0, 0);
	fx_expect(fx, SEG_RST | SEG_ACK, 0, fx_p(fx, 101), 0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_closed_syn_draws_rst_ack_seq_zero, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closed_ack_draws_rst_seq_from_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closed_rst_is_discarded, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closed_rst_ack_counts_text_and_fin, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closed_syn_to_broadcast_dropped_must_57, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_syn_from_invalid_source_dropped_must_63, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_syn_to_multicast_dropped_must_57, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_closed_segment_to_other_host_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_rst_ignored, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_ack_draws_rst_seq_seg_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_syn_ack_draws_rst, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_segment_without_syn_ack_rst_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_syn_answered_syn_ack_must_14, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_syn_without_mss_assumes_536_must_15, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_mss_option_honoured_must_14, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_large_peer_mss_capped_by_mtu_must_16, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_options_unaligned_parsed_must_64, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_unknown_option_skipped_must_6, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_illegal_option_length_dropped_must_7, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_bytes_after_eol_ignored_must_69, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_ip_options_ignored_must_50, fx_setup, fx_teardown),
	cmocka_unit_test(test_listen_syn_text_not_acknowledged),
	cmocka_unit_test_setup_teardown(test_listen_syn_text_queued_until_established, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_syn_text_resent_with_ack_delivered_once, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_backlog_full_drops_syn, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_accept_returns_established_connection, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_ipv6_syn_ack_mss_1440, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_ipv6_without_mss_assumes_1220_must_15, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_ipv6_multicast_source_dropped_must_63, fx_setup6, fx_teardown),
	cmocka_unit_test(test_listen_isn_clock_plus_keyed_hash_must_8_shld_1),
	cmocka_unit_test_setup_teardown(test_syn_received_passive_rst_returns_to_listen_must_11, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_passive_syn_returns_to_listen, fx_setup, fx_teardown),
	cmocka_unit_test(test_syn_received_passive_syn_rst_profile),
	cmocka_unit_test_setup_teardown(test_syn_received_duplicate_syn_is_unacceptable_ack, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_unacceptable_ack_draws_rst, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_ack_without_ack_bit_dropped, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_ack_with_data_establishes, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_syn_ack_retransmitted_on_rto_must_22, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_passive_gives_up_after_r2_syn_must_23, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_handshake_rtt_sample, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_syn_received_after_lost_syn_ack_rto_three_seconds, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_second_listener_fails_first_undisturbed_must_41, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_while_same_port_syn_sent_must_42, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_bind_foreign_address_refused_must_43, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_listen_close_aborts_unaccepted_connections, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
