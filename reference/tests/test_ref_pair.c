/* Reference stack: two instances talking to each other through a lossy,
 * reordering, deterministic "network" — an end-to-end check that data
 * arrives whole and in order, and that both ends close, under loss
 * (retransmission, SHLD-31 reassembly), tiny windows (SWS, probes),
 * simultaneous open (MUST-10) and simultaneous close. */
#include "reference/tests/ref_fixture.h"

#include <stdlib.h>
#include <string.h>

#include "cmake/cmocka_main.h"

#define PAIR_BYTES 200000

struct end {
	struct ref_stack *st;
	int fd, lfd;
	uint8_t *tx;   /* what this end sends */
	size_t txlen, sent;
	uint8_t *rx;   /* what it received */
	size_t rxlen;
	bool eof;
	bool closed;
};

struct net {
	struct end a, b;
	uint64_t now;
	unsigned drop_every;  /* drop every n-th segment (0: none) */
	unsigned drop_pct;    /* or drop this percentage, pseudo-randomly */
	bool reverse;         /* deliver each burst in reverse order */
	unsigned count;
	uint32_t rnd;
	int user_timeout_ms;
	struct ref_output *o;
	unsigned rcvbuf;
};

static const uint8_t addr_a[4] = {192, 0, 2, 1}, addr_b[4] = {192, 0, 2, 2};

static struct ref_stack *make_stack(const uint8_t *addr, uint64_t key, unsigned rcvbuf)
{
	struct ref_stack_config c;
	struct ref_stack *st;

	ref_stack_config_default(&c);
	memcpy(c.addrs[0].addr, addr, 4);
	c.naddrs = 1;
	c.isn_key[0] = key;
	if (rcvbuf)
		c.profile.rcv_buf = rcvbuf;
	st = ref_stack_new(&c);
	assert_non_null(st);
	return st;
}

static void end_init(struct end *e, const uint8_t *addr, uint64_t key, unsigned rcvbuf,
		     unsigned seed)
{
	size_t i;

	memset(e, 0, sizeof(*e));
	e->st = make_stack(addr, key, rcvbuf);
	e->fd = e->lfd = -1;
	e->txlen = PAIR_BYTES;
	e->tx = malloc(e->txlen);
	e->rx = malloc(PAIR_BYTES + 1);
	assert_non_null(e->tx);
	assert_non_null(e->rx);
	for (i = 0; i < e->txlen; i++)
		e->tx[i] = (uint8_t)(i * 7 + seed + i / 251);
}

static void end_free(struct end *e)
{
	ref_stack_free(e->st);
	free(e->tx);
	free(e->rx);
}

static struct net *net_new(unsigned drop_every, bool reverse, unsigned rcvbuf)
{
	struct net *n = calloc(1, sizeof(*n));

	assert_non_null(n);
	n->o = malloc(sizeof(*n->o));
	assert_non_null(n->o);
	n->now = FX_T0;
	n->drop_every = drop_every;
	n->reverse = reverse;
	n->rcvbuf = rcvbuf;
	end_init(&n->a, addr_a, 1, rcvbuf, 1);
	end_init(&n->b, addr_b, 2, rcvbuf, 2);
	return n;
}

static void net_free(struct net *n)
{
	end_free(&n->a);
	end_free(&n->b);
	free(n->o);
	free(n);
}

/* Move the segments `from` sent into `to`, losing some. */
static unsigned carry(struct net *n, struct end *from, struct end *to)
{
	struct seg segs[64];
	uint8_t *bufs = malloc(64 * 2048);
	unsigned k = 0, i, moved = 0;

	assert_non_null(bufs);
	while (k < 64 && ref_stack_pop_output(from->st, n->o)) {
		moved++;
		n->count++;
		if (n->drop_every && n->count % n->drop_every == 0)
			continue;
		n->rnd = n->rnd * 1103515245u + 12345u; /* a fixed LCG: reproducible */
		if (n->drop_pct && (n->rnd >> 16) % 100 < n->drop_pct)
			continue;
		segs[k] = n->o->seg;
		memcpy(bufs + k * 2048, n->o->data, n->o->seg.len);
		segs[k].payload = bufs + k * 2048;
		k++;
	}
	for (i = 0; i < k; i++) {
		const struct seg *g = &segs[n->reverse ? k - 1 - i : i];

		assert_int_equal(ref_stack_input(to->st, g, n->now), 0);
	}
	free(bufs);
	return moved;
}

/* The applications: write what is left, read what arrived, close at the end. */
static void app(struct net *n, struct end *e)
{
	uint8_t buf[8192];
	long r;

	if (e->fd < 0 && e->lfd >= 0)
		e->fd = ref_accept(e->st, e->lfd, NULL, n->now);
	if (e->fd < 0 || ref_sock_state(e->st, e->fd) == REF_SYN_SENT)
		return;
	while (e->sent < e->txlen) {
		r = ref_send(e->st, e->fd, e->tx + e->sent, e->txlen - e->sent, 0, n->now);
		if (r <= 0)
			break;
		e->sent += (size_t)r;
	}
	if (e->sent == e->txlen && !e->closed) {
		assert_int_equal(ref_shutdown(e->st, e->fd, REF_SHUT_WR, n->now), 0);
		e->closed = true;
	}
	while (!e->eof) {
		r = ref_recv(e->st, e->fd, buf, sizeof(buf), 0, n->now);
		if (r == -EAGAIN)
			break;
		assert_true(r >= 0);
		if (r == 0) {
			e->eof = true;
			break;
		}
		assert_true(e->rxlen + (size_t)r <= PAIR_BYTES);
		memcpy(e->rx + e->rxlen, buf, (size_t)r);
		e->rxlen += (size_t)r;
	}
}

static bool finished(const struct end *e)
{
	int s = ref_sock_state(e->st, e->fd);

	return s == REF_TIME_WAIT || s == REF_CLOSED;
}

static void run(struct net *n, uint64_t horizon)
{
	while (n->now < horizon) {
		unsigned moved;
		uint64_t d;

		app(n, &n->a);
		app(n, &n->b);
		moved = carry(n, &n->a, &n->b) + carry(n, &n->b, &n->a);
		if (moved)
			continue;
		if (n->a.eof && n->b.eof && n->a.closed && n->b.closed && finished(&n->a) &&
		    finished(&n->b))
			return;
		d = ref_stack_next_deadline(n->a.st);
		if (ref_stack_next_deadline(n->b.st) < d)
			d = ref_stack_next_deadline(n->b.st);
		assert_true(d != UINT64_MAX); /* nothing in flight, nothing due: stuck */
		n->now = d;
		ref_stack_advance(n->a.st, n->now);
		ref_stack_advance(n->b.st, n->now);
	}
	fail_msg("the transfer did not finish by the horizon");
}

/* Under sustained random loss a connection may rightly give up after R2;
 * the random runs raise R2 (MUST-21) so that only a real stall fails. */
static void set_user_timeout(struct net *n, struct end *e, int fd)
{
	int ms = n->user_timeout_ms;

	if (ms)
		assert_int_equal(ref_setsockopt(e->st, fd, REF_TCP_USER_TIMEOUT, &ms, sizeof(ms),
						n->now),
				 0);
}

static void open_passive(struct net *n)
{
	struct ref_sockaddr any = {.family = SEG_IPV4, .port = 80}, peer = {.family = SEG_IPV4, .port = 80};

	n->b.lfd = ref_socket(n->b.st, SEG_IPV4, n->now);
	set_user_timeout(n, &n->b, n->b.lfd);
	assert_int_equal(ref_bind(n->b.st, n->b.lfd, &any, n->now), 0);
	assert_int_equal(ref_listen(n->b.st, n->b.lfd, 4, n->now), 0);
	memcpy(peer.addr, addr_b, 4);
	n->a.fd = ref_socket(n->a.st, SEG_IPV4, n->now);
	set_user_timeout(n, &n->a, n->a.fd);
	assert_int_equal(ref_connect(n->a.st, n->a.fd, &peer, n->now), -EINPROGRESS);
}

static void check_delivered(struct net *n)
{
	assert_int_equal(n->a.rxlen, n->b.txlen);
	assert_int_equal(n->b.rxlen, n->a.txlen);
	assert_memory_equal(n->a.rx, n->b.tx, n->b.txlen);
	assert_memory_equal(n->b.rx, n->a.tx, n->a.txlen);
}

static void test_pair_transfer_both_ways_lossless(void **state)
{
	struct net *n = net_new(0, false, 0);

	(void)state;
	open_passive(n);
	run(n, FX_T0 + 60 * FX_SEC);
	check_delivered(n);
	net_free(n);
}

static void test_pair_transfer_with_loss(void **state)
{
	struct net *n = net_new(7, false, 0);

	(void)state;
	open_passive(n);
	run(n, FX_T0 + 3600 * FX_SEC);
	check_delivered(n);
	net_free(n);
}

static void test_pair_transfer_with_reordering_shld_31(void **state)
{
	struct net *n = net_new(0, true, 0);

	(void)state;
	open_passive(n);
	run(n, FX_T0 + 600 * FX_SEC);
	check_delivered(n);
	net_free(n);
}

static void test_pair_transfer_small_windows_with_loss(void **state)
{
	struct net *n = net_new(5, true, 3000);

	(void)state;
	open_passive(n);
	run(n, FX_T0 + 4 * 3600 * FX_SEC);
	check_delivered(n);
	net_free(n);
}

static void test_pair_simultaneous_open_must_10(void **state)
{
	struct net *n = net_new(0, false, 0);
	struct ref_sockaddr me = {.family = SEG_IPV4, .port = 5000}, peer = me;

	(void)state;
	n->a.fd = ref_socket(n->a.st, SEG_IPV4, n->now);
	n->b.fd = ref_socket(n->b.st, SEG_IPV4, n->now);
	memcpy(me.addr, addr_a, 4);
	memcpy(peer.addr, addr_b, 4);
	assert_int_equal(ref_bind(n->a.st, n->a.fd, &me, n->now), 0);
	assert_int_equal(ref_connect(n->a.st, n->a.fd, &peer, n->now), -EINPROGRESS);
	memcpy(me.addr, addr_b, 4);
	memcpy(peer.addr, addr_a, 4);
	assert_int_equal(ref_bind(n->b.st, n->b.fd, &me, n->now), 0);
	assert_int_equal(ref_connect(n->b.st, n->b.fd, &peer, n->now), -EINPROGRESS);
	run(n, FX_T0 + 600 * FX_SEC);
	check_delivered(n);
	net_free(n);
}

static void test_pair_random_loss_and_reordering(void **state)
{
	uint32_t seed;

	(void)state;
	for (seed = 1; seed <= 200; seed++) {
		struct net *n = net_new(0, seed % 2 == 0, seed % 3 == 0 ? 5000 : 0);

		n->drop_pct = 10;
		n->rnd = seed;
		n->user_timeout_ms = 3600 * 1000;
		open_passive(n);
		run(n, FX_T0 + 4 * 3600 * FX_SEC);
		check_delivered(n);
		net_free(n);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_pair_transfer_both_ways_lossless),
	cmocka_unit_test(test_pair_transfer_with_loss),
	cmocka_unit_test(test_pair_transfer_with_reordering_shld_31),
	cmocka_unit_test(test_pair_transfer_small_windows_with_loss),
	cmocka_unit_test(test_pair_simultaneous_open_must_10),
	cmocka_unit_test(test_pair_random_loss_and_reordering),
};

TC_CMOCKA_MAIN(tests)
