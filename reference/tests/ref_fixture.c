/* The reference stack's test fixture; see ref_fixture.h. */
#include "reference/tests/ref_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint8_t v4_local[4] = {192, 0, 2, 1};
static const uint8_t v4_peer[4] = {192, 0, 2, 2};
static const uint8_t v6_local[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
static const uint8_t v6_peer[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

struct fx *fx_new_cfg(uint8_t family, fx_tweak tweak)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->out = calloc(FX_MAX_OUT, sizeof(*fx->out));
	fx->pop = malloc(sizeof(*fx->pop));
	assert_non_null(fx->out);
	assert_non_null(fx->pop);
	ref_stack_config_default(&fx->cfg);
	fx->cfg.isn_key[0] = 0x0123456789abcdefull;
	fx->cfg.isn_key[1] = 0xfedcba9876543210ull;
	if (tweak)
		tweak(&fx->cfg);
	fx->st = ref_stack_new(&fx->cfg);
	assert_non_null(fx->st);
	fx->family = family;
	memcpy(fx->laddr, family == SEG_IPV6 ? v6_local : v4_local, family == SEG_IPV6 ? 16 : 4);
	memcpy(fx->paddr, family == SEG_IPV6 ? v6_peer : v4_peer, family == SEG_IPV6 ? 16 : 4);
	fx->lport = FX_LPORT;
	fx->pport = FX_PPORT;
	fx->lfd = fx->fd = -1;
	fx->irs = FX_IRS;
	fx->pwnd = 65535;
	fx->peer_mss = 1460;
	fx->now = FX_T0;
	return fx;
}

struct fx *fx_new(void) { return fx_new_cfg(SEG_IPV4, NULL); }

void fx_free(struct fx *fx)
{
	if (fx == NULL)
		return;
	ref_stack_free(fx->st);
	free(fx->out);
	free(fx->pop);
	free(fx);
}

int fx_setup(void **state)
{
	*state = fx_new();
	return 0;
}

int fx_setup6(void **state)
{
	*state = fx_new_cfg(SEG_IPV6, NULL);
	return 0;
}

int fx_teardown(void **state)
{
	fx_free(*state);
	return 0;
}

/* ---- driving ----------------------------------------------------------------------- */

struct seg fx_seg(const struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack)
{
	struct seg g;

	memset(&g, 0, sizeof(g));
	g.family = fx->family;
	memcpy(g.src, fx->paddr, sizeof(g.src));
	memcpy(g.dst, fx->laddr, sizeof(g.dst));
	g.ttl = 64;
	g.sport = fx->pport;
	g.dport = fx->lport;
	g.seq = seq;
	g.ack = ack;
	g.flags = flags;
	g.wnd = fx->pwnd;
	return g;
}

void fx_payload(struct seg *g, const void *data, size_t len)
{
	g->payload = data;
	g->len = len;
}

void fx_opt_raw(struct seg *g, const uint8_t *bytes, uint8_t n)
{
	assert_true(g->opts.len + n <= SEG_TCP_OPT_MAX);
	memcpy(g->opts.raw + g->opts.len, bytes, n);
	g->opts.len = (uint8_t)(g->opts.len + n);
}

void fx_opt_mss(struct seg *g, uint16_t mss)
{
	uint8_t b[4] = {SEG_OPT_MSS, 4, (uint8_t)(mss >> 8), (uint8_t)mss};

	fx_opt_raw(g, b, 4);
	g->opts.present |= SEG_HAS_MSS;
	g->opts.mss = mss;
}

void fx_collect(struct fx *fx)
{
	while (ref_stack_pop_output(fx->st, fx->pop)) {
		struct fx_out *o;
		size_t n = fx->pop->seg.len;

		assert_true(fx->nout < FX_MAX_OUT);
		o = &fx->out[fx->nout++];
		o->seg = fx->pop->seg;
		o->time = fx->pop->time;
		o->rule = fx->pop->rule;
		o->fd = fx->pop->fd;
		memcpy(o->data, fx->pop->data, n < FX_DATA_MAX ? n : FX_DATA_MAX);
		o->seg.payload = o->data;
	}
}

void fx_in(struct fx *fx, const struct seg *g)
{
	assert_int_equal(ref_stack_input(fx->st, g, fx->now), 0);
	fx_collect(fx);
}

void fx_in_bytes(struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack, const void *data,
		 size_t len)
{
	struct seg g = fx_seg(fx, flags, seq, ack);

	fx_payload(&g, data, len);
	fx_in(fx, &g);
}

void fx_in_data(struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);
	size_t i;

	assert_non_null(buf);
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)('a' + (seq - fx->irs - 1 + i) % 26); /* 'a' at IRS+1 */
	fx_in_bytes(fx, flags, seq, ack, buf, len);
	free(buf);
}

void fx_advance(struct fx *fx, uint64_t us)
{
	fx->now += us;
	ref_stack_advance(fx->st, fx->now);
	fx_collect(fx);
}

uint64_t fx_next_timer(struct fx *fx)
{
	uint64_t d = ref_stack_next_deadline(fx->st);

	assert_true(d != UINT64_MAX);
	assert_true(d >= fx->now);
	fx_advance(fx, d - fx->now);
	return d;
}

/* ---- checking ------------------------------------------------------------------------ */

static void describe(const struct fx *fx, const struct seg *g, char *buf, size_t cap)
{
	seg_format(g, fx->iss, fx->irs, buf, cap);
}

const struct fx_out *fx_expect_(struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack,
				size_t len, const char *file, int line)
{
	const struct fx_out *o;
	char got[256];

	if (fx->next >= fx->nout)
		fail_msg("%s:%d: expected a segment (flags 0x%02x seq +%u ack +%u len %zu), "
			 "none was sent",
			 file, line, flags, seq - fx->iss, ack - fx->irs, len);
	o = &fx->out[fx->next++];
	describe(fx, &o->seg, got, sizeof(got));
	if (o->seg.flags != flags || o->seg.seq != seq || o->seg.ack != ack || o->seg.len != len)
		fail_msg("%s:%d: expected flags 0x%02x seq +%u ack +%u len %zu; got %s "
			 "(flags 0x%02x, rule %s)",
			 file, line, flags, seq - fx->iss, ack - fx->irs, len, got, o->seg.flags,
			 ref_rule_id(o->rule));
	return o;
}

void fx_expect_none_(struct fx *fx, const char *file, int line)
{
	char got[256];

	if (fx->next < fx->nout) {
		describe(fx, &fx->out[fx->next].seg, got, sizeof(got));
		fail_msg("%s:%d: expected no segment, got %s (rule %s)", file, line, got,
			 ref_rule_id(fx->out[fx->next].rule));
	}
}

void fx_skip(struct fx *fx) { fx->next = fx->nout; }

unsigned fx_pending(const struct fx *fx) { return fx->nout - fx->next; }

int fx_out_mss(const struct fx_out *o)
{
	const uint8_t *r = o->seg.opts.raw;
	unsigned i = 0, n = o->seg.opts.len;

	while (i < n) {
		if (r[i] == SEG_OPT_EOL)
			break;
		if (r[i] == SEG_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n || r[i + 1] < 2)
			break;
		if (r[i] == SEG_OPT_MSS && r[i + 1] == 4)
			return (r[i + 2] << 8) | r[i + 3];
		i += r[i + 1];
	}
	return -1;
}

struct ref_sock *fx_conn(const struct fx *fx)
{
	return ref__find_conn(fx->st, fx->family, fx->laddr, fx->lport, fx->paddr, fx->pport);
}

enum ref_state fx_state(const struct fx *fx)
{
	const struct ref_sock *s = fx_conn(fx);

	return s ? s->state : REF_CLOSED;
}

bool fx_event_seen(struct fx *fx, enum ref_rule rule)
{
	struct ref_event ev;
	bool seen = false;

	while (ref_stack_pop_event(fx->st, &ev))
		if (ev.rule == rule)
			seen = true;
	return seen;
}

void fx_events_clear(struct fx *fx)
{
	struct ref_event ev;

	while (ref_stack_pop_event(fx->st, &ev))
		;
}

/* ---- sockets ----------------------------------------------------------------------------- */

struct ref_sockaddr fx_peer_addr(const struct fx *fx)
{
	struct ref_sockaddr a;

	memset(&a, 0, sizeof(a));
	a.family = fx->family;
	memcpy(a.addr, fx->paddr, sizeof(a.addr));
	a.port = fx->pport;
	return a;
}

struct ref_sockaddr fx_local_addr(const struct fx *fx, uint16_t port)
{
	struct ref_sockaddr a;

	memset(&a, 0, sizeof(a));
	a.family = fx->family;
	memcpy(a.addr, fx->laddr, sizeof(a.addr));
	a.port = port;
	return a;
}

int fx_setopt(struct fx *fx, int fd, int opt, int v)
{
	int rc = ref_setsockopt(fx->st, fd, opt, &v, sizeof(v), fx->now);

	fx_collect(fx);
	return rc;
}

int fx_getopt(struct fx *fx, int fd, int opt)
{
	int v = -12345;
	size_t len = sizeof(v);

	assert_int_equal(ref_getsockopt(fx->st, fd, opt, &v, &len), 0);
	return v;
}

long fx_write(struct fx *fx, size_t len)
{
	uint8_t *buf = malloc(len ? len : 1);
	long rc;
	size_t i;

	assert_non_null(buf);
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)('A' + i % 26);
	rc = ref_send(fx->st, fx->fd, buf, len, 0, fx->now);
	free(buf);
	fx_collect(fx);
	return rc;
}

long fx_read(struct fx *fx, void *buf, size_t len, int flags)
{
	long rc = ref_recv(fx->st, fx->fd, buf, len, flags, fx->now);

	fx_collect(fx);
	return rc;
}

/* ---- states ------------------------------------------------------------------------------- */

void fx_listen(struct fx *fx, int backlog)
{
	struct ref_sockaddr a = fx_local_addr(fx, FX_LPORT);

	memset(a.addr, 0, sizeof(a.addr)); /* INADDR_ANY */
	fx->lfd = ref_socket(fx->st, fx->family, fx->now);
	assert_true(fx->lfd >= 0);
	assert_int_equal(ref_bind(fx->st, fx->lfd, &a, fx->now), 0);
	assert_int_equal(ref_listen(fx->st, fx->lfd, backlog, fx->now), 0);
	fx->lport = FX_LPORT;
}

void fx_syn_received_passive(struct fx *fx)
{
	struct seg g;
	const struct fx_out *o;

	fx_listen(fx, 8);
	g = fx_seg(fx, SEG_SYN, fx->irs, 0);
	if (fx->peer_mss)
		fx_opt_mss(&g, fx->peer_mss);
	fx_in(fx, &g);
	assert_true(fx->next < fx->nout);
	fx->iss = fx->out[fx->next].seg.seq;
	o = fx_expect(fx, SEG_SYN | SEG_ACK, fx->iss, fx->irs + 1, 0);
	assert_int_equal(o->rule, REF_R_LISTEN_SYN_ACK);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

void fx_established(struct fx *fx)
{
	struct ref_sockaddr peer;

	fx_syn_received_passive(fx);
	fx->now += 10 * FX_MS;
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect_none(fx);
	fx->fd = ref_accept(fx->st, fx->lfd, &peer, fx->now);
	assert_true(fx->fd >= 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

void fx_syn_sent(struct fx *fx)
{
	struct ref_sockaddr peer = fx_peer_addr(fx);
	const struct fx_out *o;

	fx->fd = ref_socket(fx->st, fx->family, fx->now);
	assert_true(fx->fd >= 0);
	assert_int_equal(ref_connect(fx->st, fx->fd, &peer, fx->now), -EINPROGRESS);
	fx_collect(fx);
	assert_true(fx->next < fx->nout);
	fx->iss = fx->out[fx->next].seg.seq;
	fx->lport = fx->out[fx->next].seg.sport;
	o = fx_expect(fx, SEG_SYN, fx->iss, 0, 0);
	assert_int_equal(o->rule, REF_R_OPEN_SYN);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_SYN_SENT);
}

void fx_established_active(struct fx *fx)
{
	struct seg g;

	fx_syn_sent(fx);
	fx->now += 10 * FX_MS;
	g = fx_seg(fx, SEG_SYN | SEG_ACK, fx->irs, fx_s(fx, 1));
	if (fx->peer_mss)
		fx_opt_mss(&g, fx->peer_mss);
	fx_in(fx, &g);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_ESTABLISHED);
}

void fx_syn_received_active(struct fx *fx)
{
	struct seg g;

	fx_syn_sent(fx);
	g = fx_seg(fx, SEG_SYN, fx->irs, 0);
	if (fx->peer_mss)
		fx_opt_mss(&g, fx->peer_mss);
	fx_in(fx, &g);
	fx_expect(fx, SEG_SYN | SEG_ACK, fx->iss, fx_p(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_SYN_RECEIVED);
}

void fx_fin_wait_1(struct fx *fx)
{
	fx_established(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_1);
}

void fx_fin_wait_2(struct fx *fx)
{
	fx_fin_wait_1(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_FIN_WAIT_2);
}

void fx_close_wait(struct fx *fx)
{
	fx_established(fx);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSE_WAIT);
}

void fx_closing(struct fx *fx)
{
	fx_fin_wait_1(fx);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_CLOSING);
}

void fx_last_ack(struct fx *fx)
{
	fx_close_wait(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_FIN | SEG_ACK, fx_s(fx, 1), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_LAST_ACK);
}

void fx_time_wait(struct fx *fx)
{
	fx_fin_wait_2(fx);
	fx_in_data(fx, SEG_FIN | SEG_ACK, fx_p(fx, 1), fx_s(fx, 2), 0);
	fx_expect(fx, SEG_ACK, fx_s(fx, 2), fx_p(fx, 2), 0);
	fx_expect_none(fx);
	assert_int_equal(fx_state(fx), REF_TIME_WAIT);
}
