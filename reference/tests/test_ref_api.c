/* Reference stack: the stack and socket APIs themselves — configuration,
 * instances (no global state, reproducibility), output queue and event log
 * bounds, rule table, socket numbers, errno results, options, readiness. */
#include "reference/tests/ref_fixture.h"

#include <string.h>

#include "cmake/cmocka_main.h"

/* ---- stack instances ---------------------------------------------------------------------------- */

static void test_api_config_validated(void **state)
{
	struct ref_stack_config c;

	(void)state;
	assert_null(ref_stack_new(NULL));
	ref_stack_config_default(&c);
	c.naddrs = 0;
	assert_null(ref_stack_new(&c));
	ref_stack_config_default(&c);
	c.mtu = 60;
	assert_null(ref_stack_new(&c));
	ref_stack_config_default(&c);
	c.out_queue_len = 0;
	assert_null(ref_stack_new(&c));
	ref_stack_config_default(&c);
	c.ephemeral_lo = 10;
	c.ephemeral_hi = 5;
	assert_null(ref_stack_new(&c));
	ref_stack_free(NULL);
}

static void test_api_default_profile_is_rfc(void **state)
{
	struct fx *fx = *state;
	const struct ref_profile *p = ref_stack_profile(fx->st);

	assert_string_equal(p->name, "rfc");
	assert_int_equal(p->rto_initial, 1 * FX_SEC);
	assert_int_equal(p->rto_min, 1 * FX_SEC);
	assert_true(p->rto_max >= 60 * FX_SEC);
	assert_int_equal(p->msl, 120 * FX_SEC);
	assert_true(p->delack_time < 500 * FX_MS);
	assert_false(p->keepalive);
	assert_true(p->keepalive_idle >= 7200 * FX_SEC);
	assert_true(p->r2_syn >= 180 * FX_SEC);
	assert_true(p->r2_data >= 100 * FX_SEC);
	assert_true(p->r1_retransmissions >= 3);
	assert_int_equal(p->mss_default_v4, 536);
	assert_int_equal(p->mss_default_v6, 1220);
	assert_ptr_equal(ref_profile_by_name("rfc"), ref_profile_rfc());
	assert_null(ref_profile_by_name("bsd"));
	assert_null(ref_profile_by_name(NULL));
}

static void test_api_state_names(void **state)
{
	(void)state;
	assert_string_equal(ref_state_name(REF_CLOSED), "CLOSED");
	assert_string_equal(ref_state_name(REF_SYN_RECEIVED), "SYN-RECEIVED");
	assert_string_equal(ref_state_name(REF_TIME_WAIT), "TIME-WAIT");
	assert_string_equal(ref_state_name(REF_STATE_COUNT), "?");
}

static void test_api_rule_table(void **state)
{
	const struct ref_rule_info *i;
	int r;

	(void)state;
	i = ref_rule_info(REF_R_RST_CHALLENGE_ACK);
	assert_string_equal(i->id, "3.10.7.4-rst-challenge-ack");
	assert_string_equal(i->section, "§3.10.7.4");
	assert_null(i->req);
	assert_string_equal(ref_rule_info(REF_R_SEQ_ZERO_WINDOW_ALLOWANCE)->req, "MUST-66");
	assert_int_equal(ref_rule_by_id("3.8.6.3-delayed-ack"), REF_R_ACK_DELAYED);
	assert_int_equal(ref_rule_by_id("no-such-rule"), REF_R_NONE);
	assert_int_equal(ref_rule_by_id(NULL), REF_R_NONE);
	assert_string_equal(ref_rule_id(REF_R_COUNT), "none");
	for (r = 0; r < REF_R_COUNT; r++) { /* ids are unique and round-trip */
		i = ref_rule_info((enum ref_rule)r);
		assert_non_null(i->text);
		assert_int_equal(ref_rule_by_id(i->id), r);
	}
}

static void run_script(struct fx *fx)
{
	fx_established(fx);
	assert_int_equal(fx_write(fx, 3000), 3000);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1461), 500);
	fx_advance(fx, 5 * FX_SEC);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 501), fx_s(fx, 3001), 0);
	ref_close(fx->st, fx->fd, fx->now);
	fx_collect(fx);
}

/* Both fixtures collected the same segments, field for field. */
static void assert_same_output(const struct fx *a, const struct fx *b)
{
	unsigned i;

	assert_int_equal(a->nout, b->nout);
	assert_true(a->nout > 5);
	for (i = 0; i < a->nout; i++) {
		assert_memory_equal(&a->out[i].seg.seq, &b->out[i].seg.seq, sizeof(uint32_t));
		assert_int_equal(a->out[i].seg.ack, b->out[i].seg.ack);
		assert_int_equal(a->out[i].seg.flags, b->out[i].seg.flags);
		assert_int_equal(a->out[i].seg.wnd, b->out[i].seg.wnd);
		assert_int_equal(a->out[i].seg.len, b->out[i].seg.len);
		assert_int_equal(a->out[i].seg.sport, b->out[i].seg.sport);
		assert_int_equal(a->out[i].seg.ip_id, b->out[i].seg.ip_id);
		assert_int_equal(a->out[i].time, b->out[i].time);
		assert_int_equal(a->out[i].rule, b->out[i].rule);
		assert_memory_equal(a->out[i].data, b->out[i].data, a->out[i].seg.len);
	}
}

static void test_api_runs_reproduce_bit_for_bit(void **state)
{
	struct fx *a = fx_new(), *b = fx_new();

	(void)state;
	run_script(a);
	run_script(b);
	assert_same_output(a, b);
	fx_free(a);
	fx_free(b);
}

/* Leave the stack busy: a listener, an established connection with data
 * in flight, an active open in SYN-SENT, timers armed, events and
 * segments queued, the clock 30 s on. */
static void leave_busy(struct fx *fx)
{
	struct ref_sockaddr peer = { .family = SEG_IPV4, .port = 9 };
	int fd;

	fx_established(fx);
	assert_int_equal(fx_write(fx, 2000), 2000);
	fx_advance(fx, 30 * FX_SEC);
	memcpy(peer.addr, fx->paddr, 4);
	fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_true(fd >= 0);
	assert_int_equal(ref_connect(fx->st, fd, &peer, fx->now), -EINPROGRESS);
	assert_true(ref_stack_output_pending(fx->st) > 0);
}

/* The fixture as fx_new() leaves it, around the same (reset) stack. */
static void fx_restart(struct fx *fx)
{
	fx->nout = fx->next = 0;
	fx->lfd = fx->fd = -1;
	fx->iss = 0;
	fx->now = FX_T0;
}

static void test_api_reset_reproduces_a_new_stack(void **state)
{
	struct fx *a = fx_new(), *b = fx_new();

	(void)state;
	run_script(a);
	leave_busy(b);
	ref_stack_reset(b->st);
	fx_restart(b);
	run_script(b);
	assert_same_output(a, b);
	/* Twice over, after the run it reproduced. */
	ref_stack_reset(b->st);
	fx_restart(b);
	run_script(b);
	assert_same_output(a, b);
	fx_free(a);
	fx_free(b);
}

static unsigned trace_calls;
static void count_calls(void *ctx, const struct ref_event *ev)
{
	(void)ctx;
	(void)ev;
	trace_calls++;
}
static void tracing(struct ref_stack_config *c) { c->trace = count_calls; }

static void test_api_reset_leaves_nothing(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, tracing);
	struct ref_stats stats, zero;
	struct ref_event ev;
	struct ref_tcb_info t;

	(void)state;
	leave_busy(fx);
	trace_calls = 0;
	ref_stack_reset(fx->st);
	assert_int_equal(trace_calls, 0);     /* silent: no event, no segment */
	assert_int_equal(ref_stack_output_pending(fx->st), 0);
	assert_int_equal(ref_stack_pop_event(fx->st, &ev), 0);
	assert_int_equal(ref_stack_events_lost(fx->st), 0);
	assert_true(ref_stack_next_deadline(fx->st) == UINT64_MAX);
	assert_int_equal(ref_stack_now(fx->st), 0);
	assert_int_equal(ref_stack_last_rule(fx->st), REF_R_NONE);
	ref_stack_stats(fx->st, &stats);
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&stats, &zero, sizeof(stats));
	assert_int_equal(ref_tcb_info(fx->st, 3, &t), -EBADF);
	assert_int_equal(ref_tcb_info(fx->st, 4, &t), -EBADF);
	assert_int_equal(ref_socket(fx->st, SEG_IPV4, FX_T0), 3); /* numbers start again */
	assert_string_equal(ref_stack_profile(fx->st)->name, "rfc");
	ref_stack_reset(NULL);
	fx_free(fx);
}

static void other_key(struct ref_stack_config *c) { c->isn_key[0] ^= 1; }

static void test_api_instances_independent(void **state)
{
	struct fx *a = fx_new(), *b = fx_new_cfg(SEG_IPV4, other_key);

	(void)state;
	fx_syn_received_passive(a);
	fx_syn_received_passive(b);
	assert_int_not_equal(a->iss, b->iss); /* per-stack key, no shared state */
	assert_int_equal(fx_state(a), REF_SYN_RECEIVED);
	fx_in_data(a, SEG_RST, fx_p(a, 1), 0, 0);
	assert_int_equal(fx_state(a), REF_CLOSED);
	assert_int_equal(fx_state(b), REF_SYN_RECEIVED);
	fx_free(a);
	fx_free(b);
}

static void tiny_queue(struct ref_stack_config *c)
{
	c->out_queue_len = 2;
	c->event_log_len = 2;
}

static void test_api_output_queue_bounded(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, tiny_queue);
	struct ref_stats stats;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) /* five RSTs, room for two */
		fx_in_data(fx, SEG_SYN, fx_p(fx, (uint32_t)i), 0, 0);
	assert_int_equal(ref_stack_output_pending(fx->st), 0); /* fx_in collected */
	for (i = 0; i < 5; i++) {
		struct seg g = fx_seg(fx, SEG_SYN, fx_p(fx, (uint32_t)i), 0);

		ref_stack_input(fx->st, &g, fx->now);
	}
	assert_int_equal(ref_stack_output_pending(fx->st), 2);
	ref_stack_stats(fx->st, &stats);
	assert_int_equal(stats.output_lost, 3);
	assert_int_equal(stats.segs_in, 10);
	assert_true(ref_stack_events_lost(fx->st) > 0); /* the log of 2 overflowed too */
	fx_free(fx);
}

static unsigned traced;

static void count_trace(void *ctx, const struct ref_event *ev)
{
	(void)ctx;
	if (ev->kind != REF_EV_STATE)
		return;
	traced++;
	assert_int_not_equal(ev->from, ev->to); /* the hook sees the whole transition */
	if (ev->to == REF_SYN_RECEIVED)
		assert_int_equal(ev->from, REF_LISTEN);
}

static void with_trace(struct ref_stack_config *c) { c->trace = count_trace; }

static void test_api_trace_sees_state_changes(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, with_trace);
	struct ref_event ev;
	bool seen = false;

	(void)state;
	traced = 0;
	fx_established(fx); /* LISTEN, SYN-RECEIVED, ESTABLISHED */
	assert_int_equal(traced, 3);
	while (ref_stack_pop_event(fx->st, &ev))
		if (ev.kind == REF_EV_STATE && ev.to == REF_ESTABLISHED) {
			assert_int_equal(ev.from, REF_SYN_RECEIVED);
			assert_int_equal(ev.rule, REF_R_SYN_RCVD_ESTABLISHED);
			seen = true;
		}
	assert_true(seen);
	fx_free(fx);
}

static void test_api_input_rejects_bad_arguments(void **state)
{
	struct fx *fx = *state;
	struct seg g = fx_seg(fx, SEG_SYN, 1, 0);
	struct seg_icmp m;

	assert_int_equal(ref_stack_input(fx->st, NULL, fx->now), -EINVAL);
	g.family = 5;
	assert_int_equal(ref_stack_input(fx->st, &g, fx->now), -EINVAL);
	g = fx_seg(fx, SEG_SYN, 1, 0);
	g.len = 10; /* no payload pointer */
	assert_int_equal(ref_stack_input(fx->st, &g, fx->now), -EINVAL);
	assert_int_equal(ref_stack_input_batch(fx->st, NULL, 1, fx->now), -EINVAL);
	assert_int_equal(ref_stack_input_batch(fx->st, NULL, 0, fx->now), 0);
	memset(&m, 0, sizeof(m));
	assert_int_equal(ref_stack_input_icmp(fx->st, &m, fx->now), -EINVAL);
	assert_int_equal(ref_stack_input_icmp(fx->st, NULL, fx->now), -EINVAL);
}

/* ---- socket numbers and errors --------------------------------------------------------------------- */

static void few_sockets(struct ref_stack_config *c) { c->max_sockets = 3; }

static void test_api_socket_numbers_lowest_free_emfile(void **state)
{
	struct fx *fx = fx_new_cfg(SEG_IPV4, few_sockets);

	(void)state;
	assert_int_equal(ref_socket(fx->st, SEG_IPV4, fx->now), 3);
	assert_int_equal(ref_socket(fx->st, SEG_IPV6, fx->now), 4);
	assert_int_equal(ref_socket(fx->st, SEG_IPV4, fx->now), 5);
	assert_int_equal(ref_socket(fx->st, SEG_IPV4, fx->now), -EMFILE);
	assert_int_equal(ref_close(fx->st, 4, fx->now), 0);
	assert_int_equal(ref_socket(fx->st, SEG_IPV4, fx->now), 4);
	assert_int_equal(ref_socket(fx->st, 0, fx->now), -EAFNOSUPPORT);
	fx_free(fx);
}

static void test_api_bad_socket_number_ebadf(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a = fx_peer_addr(fx);
	struct ref_tcb_info info;
	int v = 1;
	size_t len = sizeof(v);

	assert_int_equal(ref_bind(fx->st, 9, &a, fx->now), -EBADF);
	assert_int_equal(ref_listen(fx->st, 9, 1, fx->now), -EBADF);
	assert_int_equal(ref_accept(fx->st, 9, NULL, fx->now), -EBADF);
	assert_int_equal(ref_connect(fx->st, 9, &a, fx->now), -EBADF);
	assert_int_equal(ref_send(fx->st, 9, "x", 1, 0, fx->now), -EBADF);
	assert_int_equal(ref_recv(fx->st, 9, &v, 1, 0, fx->now), -EBADF);
	assert_int_equal(ref_shutdown(fx->st, 9, REF_SHUT_WR, fx->now), -EBADF);
	assert_int_equal(ref_close(fx->st, 9, fx->now), -EBADF);
	assert_int_equal(ref_abort(fx->st, 9, fx->now), -EBADF);
	assert_int_equal(ref_setsockopt(fx->st, 9, REF_TCP_NODELAY, &v, len, fx->now), -EBADF);
	assert_int_equal(ref_getsockopt(fx->st, 9, REF_TCP_NODELAY, &v, &len), -EBADF);
	assert_int_equal(ref_poll(fx->st, 9), -EBADF);
	assert_int_equal(ref_sock_state(fx->st, 9), -EBADF);
	assert_int_equal(ref_getsockname(fx->st, 9, &a), -EBADF);
	assert_int_equal(ref_getpeername(fx->st, 9, &a), -EBADF);
	assert_int_equal(ref_tcb_info(fx->st, 9, &info), -EBADF);
	assert_int_equal(ref_sock_state(fx->st, -1), -EBADF);
	assert_int_equal(ref_sock_state(fx->st, 1000000), -EBADF);
}

static void test_api_unconnected_socket_errors(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a;
	char c;
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now);

	assert_int_equal(ref_send(fx->st, fd, "x", 1, 0, fx->now), -ENOTCONN);
	assert_int_equal(ref_recv(fx->st, fd, &c, 1, 0, fx->now), -ENOTCONN);
	assert_int_equal(ref_shutdown(fx->st, fd, REF_SHUT_WR, fx->now), -ENOTCONN);
	assert_int_equal(ref_accept(fx->st, fd, NULL, fx->now), -EINVAL);
	assert_int_equal(ref_getpeername(fx->st, fd, &a), -ENOTCONN);
	assert_int_equal(ref_sock_state(fx->st, fd), REF_CLOSED);
	/* Linux reports a fresh socket writable and hung up. */
	assert_int_equal(ref_poll(fx->st, fd), REF_POLLOUT | REF_POLLHUP);
	assert_int_equal(ref_abort(fx->st, fd, fx->now), 0);
	assert_int_equal(ref_sockatmark(fx->st, fd), 0);
}

static void test_api_argument_errors(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a = fx_local_addr(fx, 80);
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now);

	assert_int_equal(ref_bind(fx->st, fd, NULL, fx->now), -EINVAL);
	assert_int_equal(ref_connect(fx->st, fd, NULL, fx->now), -EINVAL);
	a.family = SEG_IPV6;
	assert_int_equal(ref_bind(fx->st, fd, &a, fx->now), -EAFNOSUPPORT);
	assert_int_equal(ref_connect(fx->st, fd, &a, fx->now), -EAFNOSUPPORT);
	assert_int_equal(ref_shutdown(fx->st, fd, 7, fx->now), -EINVAL);
	assert_int_equal(ref_send(fx->st, fd, NULL, 5, 0, fx->now), -EINVAL);
	assert_int_equal(ref_send(fx->st, fd, "x", 1, REF_MSG_PEEK, fx->now), -EINVAL);
	assert_int_equal(ref_recv(fx->st, fd, NULL, 5, 0, fx->now), -EINVAL);
	assert_int_equal(ref_recv(fx->st, fd, (char[2]){0}, 1, 0x80, fx->now), -EINVAL);
}

static void test_api_bind_port_rules(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a = fx_local_addr(fx, 7000), any = fx_local_addr(fx, 7000);
	int s1 = ref_socket(fx->st, SEG_IPV4, fx->now), s2 = ref_socket(fx->st, SEG_IPV4, fx->now);
	int s3 = ref_socket(fx->st, SEG_IPV6, fx->now);
	struct ref_sockaddr v6 = {.family = SEG_IPV6, .port = 7000};

	memset(any.addr, 0, sizeof(any.addr));
	assert_int_equal(ref_bind(fx->st, s1, &a, fx->now), 0);
	assert_int_equal(ref_bind(fx->st, s2, &any, fx->now), -EADDRINUSE); /* overlaps */
	assert_int_equal(ref_bind(fx->st, s3, &v6, fx->now), 0);             /* other family */
	a.port = 0;
	assert_int_equal(ref_bind(fx->st, s2, &a, fx->now), 0); /* ephemeral */
	assert_int_equal(ref_getsockname(fx->st, s2, &a), 0);
	assert_true(a.port >= 40000 && a.port <= 59999);
}

static void test_api_listen_rules(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr me;
	int fd;

	fx_established(fx);
	assert_int_equal(ref_listen(fx->st, fx->fd, 5, fx->now), -EINVAL); /* connected */
	assert_int_equal(ref_listen(fx->st, fx->lfd, 1, fx->now), 0);       /* new backlog */
	assert_int_equal(ref__sock_by_fd(fx->st, fx->lfd)->backlog, 1);
	assert_int_equal(ref_listen(fx->st, fx->lfd, -1, fx->now), 0);
	assert_int_equal(ref__sock_by_fd(fx->st, fx->lfd)->backlog, 4096);
	fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(ref_listen(fx->st, fd, 0, fx->now), 0); /* unbound: ephemeral port */
	assert_int_equal(ref_getsockname(fx->st, fd, &me), 0);
	assert_true(me.port >= 40000);
	assert_int_equal(ref__sock_by_fd(fx->st, fd)->backlog, 1);
	assert_int_equal(ref_connect(fx->st, fd, &me, fx->now), -EISCONN);
	assert_int_equal(ref_recv(fx->st, fd, (char[1]){0}, 1, 0, fx->now), -ENOTCONN);
	assert_int_equal(ref_send(fx->st, fd, "x", 1, 0, fx->now), -ENOTCONN);
}

static void test_api_listener_prefers_exact_address(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr exact = fx_local_addr(fx, 9000), any = fx_local_addr(fx, 9000);
	int wild = ref_socket(fx->st, SEG_IPV4, fx->now), spec = ref_socket(fx->st, SEG_IPV4, fx->now);

	memset(any.addr, 0, sizeof(any.addr));
	fx_setopt(fx, wild, REF_SO_REUSEADDR, 1);
	fx_setopt(fx, spec, REF_SO_REUSEADDR, 1);
	assert_int_equal(ref_bind(fx->st, wild, &any, fx->now), 0);
	assert_int_equal(ref_bind(fx->st, spec, &exact, fx->now), 0);
	assert_int_equal(ref_listen(fx->st, spec, 4, fx->now), 0);
	assert_int_equal(ref_listen(fx->st, wild, 4, fx->now), -EADDRINUSE);
	fx->lport = 9000;
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx->out[0].seg.seq + 1, 0);
	assert_true(ref_accept(fx->st, spec, NULL, fx->now) >= 0);
}

static void test_api_shutdown_listener_read_stops_it(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 4);
	assert_int_equal(ref_shutdown(fx->st, fx->lfd, REF_SHUT_WR, fx->now), 0);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_LISTEN);
	assert_int_equal(ref_shutdown(fx->st, fx->lfd, REF_SHUT_RDWR, fx->now), 0);
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_CLOSED);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	fx_expect(fx, SEG_RST | SEG_ACK, 0, fx_p(fx, 1), 0);
}

static void test_api_shutdown_syn_sent_abandons(void **state)
{
	struct fx *fx = *state;

	fx_syn_sent(fx);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_RDWR, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
}

static void test_api_abort_listener_and_syn_sent(void **state)
{
	struct fx *fx = *state;

	fx_syn_received_passive(fx);
	assert_int_equal(ref_abort(fx->st, fx->lfd, fx->now), 0);
	fx_collect(fx);
	fx_expect(fx, SEG_RST, fx_s(fx, 1), 0, 0); /* the SYN-RECEIVED child */
	assert_int_equal(ref_sock_state(fx->st, fx->lfd), REF_CLOSED);
	fx_syn_sent(fx);
	assert_int_equal(ref_abort(fx->st, fx->fd, fx->now), 0);
	fx_collect(fx);
	fx_expect_none(fx);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
}

static void test_api_names_and_tcb_info(void **state)
{
	struct fx *fx = *state;
	struct ref_sockaddr a;
	struct ref_tcb_info info;
	int fd;

	fx_established(fx);
	assert_int_equal(ref_getsockname(fx->st, fx->fd, &a), 0);
	assert_int_equal(a.port, FX_LPORT);
	assert_memory_equal(a.addr, fx->laddr, 4);
	assert_int_equal(ref_getpeername(fx->st, fx->fd, &a), 0);
	assert_int_equal(a.port, FX_PPORT);
	assert_int_equal(ref_tcb_info(fx->st, fx->fd, &info), 0);
	assert_int_equal(info.state, REF_ESTABLISHED);
	assert_int_equal(info.iss, fx->iss);
	assert_int_equal(info.irs, fx->irs);
	assert_int_equal(info.rcv_wnd, 65535);
	assert_int_equal(info.cwnd, 3 * 1460); /* RFC 5681 §3.1: IW for SMSS 1460 */
	assert_int_equal(info.passive, 1);
	fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	assert_int_equal(ref_tcb_info(fx->st, fd, &info), 0);
	assert_int_equal(info.state, REF_CLOSED);
}

/* ---- options ---------------------------------------------------------------------------------------- */

static void test_api_sockopt_values_round_trip(void **state)
{
	struct fx *fx = *state;
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now);
	static const struct {
		int opt, v;
	} ok[] = {
		{REF_SO_KEEPALIVE, 1}, {REF_SO_RCVBUF, 8000},    {REF_SO_SNDBUF, 9000},
		{REF_SO_REUSEADDR, 1}, {REF_SO_OOBINLINE, 1},    {REF_TCP_NODELAY, 1},
		{REF_TCP_MAXSEG, 1000}, {REF_TCP_KEEPIDLE, 60},  {REF_TCP_KEEPINTVL, 7},
		{REF_TCP_KEEPCNT, 4},  {REF_TCP_USER_TIMEOUT, 2500}, {REF_IP_TOS, 0x10},
		{REF_IP_TTL, 33},      {REF_IP_RECVERR, 1},
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(fx_setopt(fx, fd, ok[i].opt, ok[i].v), 0);
		assert_int_equal(fx_getopt(fx, fd, ok[i].opt), ok[i].v);
	}
	assert_int_equal(fx_setopt(fx, fd, REF_IP_TTL, -1), 0); /* back to the default */
	assert_int_equal(fx_getopt(fx, fd, REF_IP_TTL), 64);
}

static void test_api_sockopt_errors(void **state)
{
	struct fx *fx = *state;
	int fd = ref_socket(fx->st, SEG_IPV4, fx->now), v = 1;
	size_t len = 1;
	struct ref_linger l;

	assert_int_equal(fx_setopt(fx, fd, REF_SO_ERROR, 1), -ENOPROTOOPT);
	assert_int_equal(fx_setopt(fx, fd, REF_TCP_SOFT_ERROR, 1), -ENOPROTOOPT);
	assert_int_equal(fx_setopt(fx, fd, REF_SOCKOPT_COUNT, 1), -ENOPROTOOPT);
	assert_int_equal(fx_setopt(fx, fd, -1, 1), -ENOPROTOOPT);
	assert_int_equal(fx_setopt(fx, fd, REF_TCP_MAXSEG, 0), -EINVAL);
	assert_int_equal(fx_setopt(fx, fd, REF_TCP_KEEPIDLE, 0), -EINVAL);
	assert_int_equal(fx_setopt(fx, fd, REF_TCP_KEEPCNT, 500), -EINVAL);
	assert_int_equal(fx_setopt(fx, fd, REF_TCP_USER_TIMEOUT, -5), -EINVAL);
	assert_int_equal(fx_setopt(fx, fd, REF_SO_RCVBUF, 0), -EINVAL);
	assert_int_equal(fx_setopt(fx, fd, REF_IP_TTL, 0), -EINVAL);
	assert_int_equal(fx_setopt(fx, fd, REF_IP_TOS, 300), -EINVAL);
	assert_int_equal(ref_setsockopt(fx->st, fd, REF_TCP_NODELAY, &v, 1, fx->now), -EINVAL);
	assert_int_equal(ref_setsockopt(fx->st, fd, REF_SO_LINGER, &v, 1, fx->now), -EINVAL);
	assert_int_equal(ref_getsockopt(fx->st, fd, REF_TCP_NODELAY, &v, &len), -EINVAL);
	assert_int_equal(ref_getsockopt(fx->st, fd, REF_SO_LINGER, &l, &len), -EINVAL);
	assert_int_equal(ref_getsockopt(fx->st, fd, REF_TCP_NODELAY, NULL, &len), -EINVAL);
	assert_int_equal(ref_getsockopt(fx->st, fd, REF_IPV6_TCLASS, &v, &len), -ENOPROTOOPT);
	len = sizeof(l);
	assert_int_equal(ref_getsockopt(fx->st, fd, REF_SO_LINGER, &l, &len), 0);
	assert_int_equal(l.onoff, 0);
}

static void test_api_ipv6_sockopts(void **state)
{
	struct fx *fx = *state;
	int fd = ref_socket(fx->st, SEG_IPV6, fx->now);

	assert_int_equal(fx_setopt(fx, fd, REF_IPV6_TCLASS, 0x20), 0);
	assert_int_equal(fx_getopt(fx, fd, REF_IPV6_TCLASS), 0x20);
	assert_int_equal(fx_setopt(fx, fd, REF_IPV6_TCLASS, -1), 0);
	assert_int_equal(fx_getopt(fx, fd, REF_IPV6_TCLASS), 0);
	assert_int_equal(fx_setopt(fx, fd, REF_IPV6_UNICAST_HOPS, 9), 0);
	assert_int_equal(fx_getopt(fx, fd, REF_IPV6_UNICAST_HOPS), 9);
	assert_int_equal(fx_setopt(fx, fd, REF_IP_TOS, 1), -ENOPROTOOPT);
	assert_int_equal(fx_getopt(fx, fd, REF_TCP_MAXSEG), 1220);
}

static void test_api_diffserv_changed_mid_connection_shld_21(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_IP_TOS, 0x28), 0);
	assert_int_equal(fx_write(fx, 5), 5);
	assert_int_equal(fx->out[fx->next].seg.tos, 0x28); /* SHLD-22: as given */
}

static void test_api_small_send_buffer_would_block(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 4);
	assert_int_equal(fx_setopt(fx, fx->lfd, REF_SO_SNDBUF, 1000), 0);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	fx->iss = fx->out[0].seg.seq;
	fx_skip(fx);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	fx->pwnd = 0;
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLOUT);
	assert_int_equal(fx_write(fx, 5000), 1000);
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLOUT, 0);
	assert_int_equal(fx_write(fx, 10), -EAGAIN);
	assert_int_equal(fx_write(fx, 0), 0);
}

static void test_api_maxseg_reports_effective_mss(void **state)
{
	struct fx *fx = *state;

	fx->peer_mss = 1200;
	fx_established(fx);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_MAXSEG), 1200);
	assert_int_equal(fx_setopt(fx, fx->fd, REF_TCP_MAXSEG, 500), 0);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_MAXSEG), 500);
	assert_int_equal(fx_write(fx, 600), 600);
	fx_expect(fx, SEG_ACK, fx_s(fx, 1), fx_p(fx, 1), 500);
}

static void test_api_getsockopt_so_error_clears(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	fx_in_data(fx, SEG_RST, fx_p(fx, 1), 0, 0);
	assert_true(ref_poll(fx->st, fx->fd) & REF_POLLERR);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_SO_ERROR), ECONNRESET);
	assert_int_equal(ref_poll(fx->st, fx->fd) & REF_POLLERR, 0);
	assert_int_equal(fx_read(fx, (char[4]){0}, 4, 0), 0);
}

static void test_api_poll_connection_states(void **state)
{
	struct fx *fx = *state;

	fx_established(fx);
	assert_int_equal(ref_poll(fx->st, fx->fd), REF_POLLOUT);
	fx_in_data(fx, SEG_ACK | SEG_PSH, fx_p(fx, 1), fx_s(fx, 1), 3);
	assert_int_equal(ref_poll(fx->st, fx->fd), REF_POLLOUT | REF_POLLIN);
	fx_in_data(fx, SEG_ACK | SEG_FIN, fx_p(fx, 4), fx_s(fx, 1), 0);
	assert_int_equal(ref_poll(fx->st, fx->fd), REF_POLLOUT | REF_POLLIN | REF_POLLRDHUP);
	assert_int_equal(ref_shutdown(fx->st, fx->fd, REF_SHUT_WR, fx->now), 0);
	fx_in_data(fx, SEG_ACK, fx_p(fx, 5), fx_s(fx, 2), 0);
	assert_int_equal(ref_sock_state(fx->st, fx->fd), REF_CLOSED);
	assert_int_equal(ref_poll(fx->st, fx->fd),
			 REF_POLLOUT | REF_POLLIN | REF_POLLRDHUP | REF_POLLHUP);
}

static void test_api_accepted_socket_inherits_listener_options(void **state)
{
	struct fx *fx = *state;

	fx_listen(fx, 4);
	fx_setopt(fx, fx->lfd, REF_TCP_NODELAY, 1);
	fx_setopt(fx, fx->lfd, REF_IP_TTL, 99);
	fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
	assert_int_equal(fx->out[0].seg.ttl, 99);
	fx->iss = fx->out[0].seg.seq;
	fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	fx->fd = ref_accept(fx->st, fx->lfd, NULL, fx->now);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_TCP_NODELAY), 1);
	assert_int_equal(fx_getopt(fx, fx->fd, REF_IP_TTL), 99);
}

static void test_api_many_connections_on_one_listener(void **state)
{
	struct fx *fx = *state;
	int i, fds[5];

	fx_listen(fx, 8);
	for (i = 0; i < 5; i++) {
		fx->pport = (uint16_t)(FX_PPORT + i);
		fx_in_data(fx, SEG_SYN, fx_p(fx, 0), 0, 0);
		fx->iss = fx->out[fx->nout - 1].seg.seq;
		fx_in_data(fx, SEG_ACK, fx_p(fx, 1), fx_s(fx, 1), 0);
	}
	for (i = 0; i < 5; i++) {
		struct ref_sockaddr peer;

		fds[i] = ref_accept(fx->st, fx->lfd, &peer, fx->now);
		assert_int_equal(peer.port, FX_PPORT + i); /* in order of arrival */
	}
	assert_int_equal(ref_accept(fx->st, fx->lfd, NULL, fx->now), -EAGAIN);
	assert_int_equal(fds[4], fx->lfd + 5);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_api_config_validated),
	cmocka_unit_test_setup_teardown(test_api_default_profile_is_rfc, fx_setup, fx_teardown),
	cmocka_unit_test(test_api_state_names),
	cmocka_unit_test(test_api_rule_table),
	cmocka_unit_test(test_api_runs_reproduce_bit_for_bit),
	cmocka_unit_test(test_api_reset_reproduces_a_new_stack),
	cmocka_unit_test(test_api_reset_leaves_nothing),
	cmocka_unit_test(test_api_instances_independent),
	cmocka_unit_test(test_api_output_queue_bounded),
	cmocka_unit_test(test_api_trace_sees_state_changes),
	cmocka_unit_test_setup_teardown(test_api_input_rejects_bad_arguments, fx_setup, fx_teardown),
	cmocka_unit_test(test_api_socket_numbers_lowest_free_emfile),
	cmocka_unit_test_setup_teardown(test_api_bad_socket_number_ebadf, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_unconnected_socket_errors, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_argument_errors, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_bind_port_rules, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_listen_rules, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_listener_prefers_exact_address, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_shutdown_listener_read_stops_it, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_shutdown_syn_sent_abandons, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_abort_listener_and_syn_sent, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_names_and_tcb_info, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_sockopt_values_round_trip, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_sockopt_errors, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_ipv6_sockopts, fx_setup6, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_diffserv_changed_mid_connection_shld_21, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_small_send_buffer_would_block, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_maxseg_reports_effective_mss, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_getsockopt_so_error_clears, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_poll_connection_states, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_accepted_socket_inherits_listener_options, fx_setup, fx_teardown),
	cmocka_unit_test_setup_teardown(test_api_many_connections_on_one_listener, fx_setup, fx_teardown),
};

TC_CMOCKA_MAIN(tests)
