/* Reference stack: robustness. Deterministic pseudo-random segments,
 * options, ICMP errors, time steps and socket verbs against connections in
 * every state; after each step the TCB invariants must hold and nothing may
 * crash (run it under the asan preset). The library asserts invariants
 * only, never input. */
#include "reference/tests/ref_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "cmake/cmocka_main.h"

static uint32_t rnd_state;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static uint32_t pick(uint32_t n) { return n ? rnd() % n : 0; }

static void check_invariants(const struct ref_stack *st)
{
	unsigned i, j;

	for (i = 0; i < st->nsocks; i++) {
		const struct ref_sock *s = &st->socks[i];
		const struct ref_tcb *t = &s->tcb;

		if (!s->used || !s->have_tcb)
			continue;
		assert_true(seq_leq(t->snd_una, t->snd_nxt));
		assert_true(seq_leq(t->snd_una, t->tx_nxt) || t->tx_nxt == t->snd_una);
		assert_true(seq_leq(t->tx_nxt, t->snd_nxt));
		assert_true(t->sndq.len <= t->sndq.cap);
		assert_true(t->rcvq.len <= t->rcvq.cap);
		assert_true(t->ooo.n <= t->ooo.cap);
		for (j = 0; j < t->ooo.n; j++) {
			assert_true(seq_lt(t->ooo.r[j].left, t->ooo.r[j].right));
			assert_true(seq_gt(t->ooo.r[j].left, t->rcv_nxt));
			if (j > 0)
				assert_true(seq_gt(t->ooo.r[j].left, t->ooo.r[j - 1].right));
		}
		if (t->rcv_synced && s->state != REF_CLOSED)
			assert_true(seq_leq(t->rcv_nxt, t->rcv_adv) || s->rcv_done);
		assert_true(t->eff_mss >= 1);
		assert_true(t->rto >= st->prof->rto_min || t->rto == st->prof->rto_initial);
	}
}

/* A segment near the connection's current sequence space. */
static void random_segment(struct fx *fx)
{
	static uint8_t payload[3000];
	struct ref_sock *s = fx_conn(fx);
	uint32_t rcv = s && s->have_tcb ? s->tcb.rcv_nxt : fx_p(fx, 1);
	uint32_t una = s && s->have_tcb ? s->tcb.snd_una : fx_s(fx, 1);
	struct seg g;
	uint8_t opts[40];
	unsigned i, n;

	g = fx_seg(fx, (uint8_t)rnd(), rcv + pick(200) - 100, una + pick(200) - 100);
	if (pick(4) == 0)
		g.flags = SEG_ACK | (uint8_t)(pick(2) ? SEG_PSH : 0);
	if (pick(8) == 0)
		g.seq = rnd();
	g.wnd = pick(3) ? (uint16_t)rnd() : (uint16_t)pick(3);
	g.urp = pick(4) ? 0 : (uint16_t)pick(3000);
	n = pick(4) ? 0 : pick(3000);
	fx_payload(&g, payload, n);
	if (pick(3) == 0) {
		n = pick(41);
		for (i = 0; i < n; i++)
			opts[i] = pick(2) ? (uint8_t)pick(6) : (uint8_t)rnd();
		fx_opt_raw(&g, opts, (uint8_t)n);
	}
	if (pick(16) == 0)
		g.sport = (uint16_t)(FX_PPORT + pick(3)); /* other connections */
	fx_in(fx, &g);
}

static void random_verb(struct fx *fx)
{
	static char buf[5000];
	struct ref_sockaddr peer = fx_peer_addr(fx);
	int fd = fx->fd >= 0 ? fx->fd : fx->lfd;

	switch (pick(10)) {
	case 0:
		ref_send(fx->st, fd, buf, pick(5000), pick(2) ? REF_MSG_OOB : 0, fx->now);
		break;
	case 1:
		ref_recv(fx->st, fd, buf, pick(5000), (int)pick(4), fx->now);
		break;
	case 2:
		ref_shutdown(fx->st, fd, (int)pick(3), fx->now);
		break;
	case 3:
		if (pick(4) == 0)
			ref_close(fx->st, fd, fx->now);
		break;
	case 4:
		if (pick(8) == 0)
			ref_abort(fx->st, fd, fx->now);
		break;
	case 5:
		fx_setopt(fx, fd, (int)pick(REF_SOCKOPT_COUNT), (int)pick(3));
		break;
	case 6:
		ref_connect(fx->st, fd, &peer, fx->now);
		break;
	case 7: {
		int nfd = ref_accept(fx->st, fx->lfd, NULL, fx->now);

		if (nfd >= 0)
			fx->fd = nfd;
		break;
	}
	default:
		ref_poll(fx->st, fd);
		ref_sockatmark(fx->st, fd);
		break;
	}
	fx_collect(fx);
}

static void random_icmp(struct fx *fx)
{
	struct seg_icmp m;
	struct seg q;

	struct ref_sock *s = fx_conn(fx);

	if (s == NULL || !s->have_tcb)
		return;
	q = fx_seg(fx, SEG_ACK, s->tcb.snd_una + pick(10), 0); /* as if we had sent it */
	memcpy(q.src, fx->laddr, sizeof(q.src));
	memcpy(q.dst, fx->paddr, sizeof(q.dst));
	q.sport = fx->lport;
	q.dport = fx->pport;
	seg_icmp_init(&m, (enum seg_icmp_kind)pick(5), (uint8_t)pick(16), 60 + pick(1500), &q);
	ref_stack_input_icmp(fx->st, &m, fx->now);
	fx_collect(fx);
}

typedef void (*state_builder)(struct fx *);

static void run_random(state_builder build, uint32_t seed, unsigned steps)
{
	struct fx *fx = fx_new();
	unsigned i;

	rnd_state = seed;
	build(fx);
	for (i = 0; i < steps; i++) {
		fx->nout = fx->next = 0; /* the fixture keeps one step's segments */
		switch (pick(8)) {
		case 0:
			fx_advance(fx, pick(4) ? pick(300 * FX_MS) : pick(300 * FX_SEC));
			break;
		case 1:
			random_verb(fx);
			break;
		case 2:
			random_icmp(fx);
			break;
		default:
			random_segment(fx);
			break;
		}
		fx_skip(fx);
		check_invariants(fx->st);
	}
	fx_free(fx);
}

static void listen_only(struct fx *fx) { fx_listen(fx, 4); }

static const state_builder builders[] = {
	listen_only,  fx_syn_received_passive, fx_established, fx_syn_sent,
	fx_established_active, fx_syn_received_active, fx_fin_wait_1, fx_fin_wait_2,
	fx_close_wait, fx_closing, fx_last_ack, fx_time_wait,
};

static void test_robust_random_input_every_state(void **state)
{
	uint32_t seed;
	size_t b;

	(void)state;
	for (b = 0; b < sizeof(builders) / sizeof(builders[0]); b++)
		for (seed = 1; seed <= 20; seed++)
			run_random(builders[b], seed * 7919u + (uint32_t)b, 400);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_robust_random_input_every_state),
};

TC_CMOCKA_MAIN(tests)
