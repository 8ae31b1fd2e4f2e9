/* Unit tests of the script parser (harness/script.h): each construct of
 * the language parses to the AST it should. Errors are in
 * test_script_errors.c, writing back in test_script_write.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "harness/script.h"
#include "reference/seg.h"

static struct scr_script *parse_defs(const char *text, const struct scr_defines *defs)
{
	struct scr_script *s = NULL;
	struct scr_diag d;
	int rc = scr_parse("t.pkt", text, strlen(text), defs, &s, &d);
	if (rc)
		fail_msg("parse failed: %s", d.msg);
	assert_non_null(s);
	return s;
}

static struct scr_script *parse(const char *text)
{
	return parse_defs(text, NULL);
}

/* The only event of a one-event script. */
static const struct scr_event *only(const struct scr_script *s)
{
	assert_int_equal(s->n_events, 1);
	return &s->events[0];
}

/* ---- times ------------------------------------------------------------------ */

static void time_absolute_and_relative(void **state)
{
	struct scr_script *s = parse("0 < S 0:0(0)\n+.1 < S 0:0(0)\n1.5 < S 0:0(0)\n"
				     "+0.000250 < S 0:0(0)\n");
	(void)state;
	assert_int_equal(s->n_events, 4);
	assert_int_equal(s->events[0].time.kind, SCR_TIME_ABS);
	assert_int_equal(s->events[0].time.start_us, 0);
	assert_int_equal(s->events[1].time.kind, SCR_TIME_REL);
	assert_int_equal(s->events[1].time.start_us, 100000);
	assert_int_equal(s->events[2].time.kind, SCR_TIME_ABS);
	assert_int_equal(s->events[2].time.start_us, 1500000);
	assert_int_equal(s->events[3].time.start_us, 250);
	scr_script_free(s);
}

static void time_any_and_windows(void **state)
{
	struct scr_script *s = parse("* > S. 0:0(0) ack 1\n0.1~0.2 > . 1:1(0) ack 1\n"
				     "+0.2~+0.4 > . 1:1(0) ack 1\n");
	(void)state;
	assert_int_equal(s->events[0].time.kind, SCR_TIME_ANY);
	assert_int_equal(s->events[1].time.kind, SCR_TIME_WINDOW);
	assert_int_equal(s->events[1].time.start_us, 100000);
	assert_int_equal(s->events[1].time.end_us, 200000);
	assert_int_equal(s->events[2].time.kind, SCR_TIME_REL_WINDOW);
	assert_int_equal(s->events[2].time.start_us, 200000);
	assert_int_equal(s->events[2].time.end_us, 400000);
	scr_script_free(s);
}

static void time_blocking_syscall(void **state)
{
	struct scr_script *s = parse("+0...0.25 read(4, ..., 10) = 10\n"
				     "0.1...0.3 accept(3, ..., ...) = 4\n"
				     "+.1...+.2 write(4, ..., 1) = 1\n");
	const struct scr_syscall *a = &s->events[0].u.sys, *b = &s->events[1].u.sys,
				 *c = &s->events[2].u.sys;
	(void)state;
	assert_int_equal(s->events[0].kind, SCR_EV_SYSCALL);
	assert_int_equal(s->events[0].time.kind, SCR_TIME_REL);
	assert_true(a->blocking);
	assert_int_equal(a->end_us, 250000);
	assert_false(a->end_plus);
	assert_int_equal(s->events[1].time.kind, SCR_TIME_ABS);
	assert_int_equal(s->events[1].time.start_us, 100000);
	assert_true(b->blocking);
	assert_int_equal(b->end_us, 300000);
	assert_int_equal(b->sys, SCR_SYS_ACCEPT);
	assert_true(c->blocking && c->end_plus);
	assert_int_equal(c->end_us, 200000);
	scr_script_free(s);
}

/* ---- packets ----------------------------------------------------------------- */

static void packet_basic_fields(void **state)
{
	struct scr_script *s = parse("+0 < P. 1:1001(1000) ack 1 win 8192 urg 5\n");
	const struct scr_packet *p = &only(s)->u.packet;
	(void)state;
	assert_int_equal(only(s)->kind, SCR_EV_PACKET);
	assert_int_equal(p->dir, SCR_IN);
	assert_int_equal(p->flags, SEG_PSH | SEG_ACK);
	assert_int_equal(p->seq_start, 1);
	assert_int_equal(p->seq_end, 1001);
	assert_int_equal(p->len, 1000);
	assert_true(p->has_ack && p->has_win && p->has_urg);
	assert_int_equal(p->ack, 1);
	assert_int_equal(p->win, 8192);
	assert_int_equal(p->urg, 5);
	assert_false(p->any_opts);
	assert_int_equal(p->n_opts, 0);
	scr_script_free(s);
}

static void packet_outbound_without_win(void **state)
{
	struct scr_script *s = parse("+0 > F. 1:1(0) ack 1 <...>\n");
	const struct scr_packet *p = &only(s)->u.packet;
	(void)state;
	assert_int_equal(p->dir, SCR_OUT);
	assert_int_equal(p->flags, SEG_FIN | SEG_ACK);
	assert_false(p->has_win);
	assert_false(p->has_urg);
	assert_true(p->any_opts);
	assert_int_equal(p->n_opts, 0);
	scr_script_free(s);
}

static void packet_all_flags(void **state)
{
	struct scr_script *s = parse("0 < FSRPUEW. 0:0(0)\n0 < . 0:0(0)\n0 < - 0:0(0)\n"
				     "0 < SEW 0:0(0)\n0 < P.U 0:0(0)\n0 < .F 0:0(0)\n");
	(void)state;
	assert_int_equal(s->events[0].u.packet.flags, 0xff);
	assert_int_equal(s->events[1].u.packet.flags, SEG_ACK);
	assert_int_equal(s->events[2].u.packet.flags, 0);
	assert_int_equal(s->events[3].u.packet.flags, SEG_SYN | SEG_ECE | SEG_CWR);
	assert_int_equal(s->events[4].u.packet.flags, SEG_PSH | SEG_ACK | SEG_URG);
	assert_int_equal(s->events[5].u.packet.flags, SEG_FIN | SEG_ACK);
	scr_script_free(s);
}

static void packet_seq_wraps(void **state)
{
	struct scr_script *s = parse("0 < . 4294967295:999(1000) ack 4294967295 win 65535\n");
	const struct scr_packet *p = &only(s)->u.packet;
	(void)state;
	assert_int_equal(p->seq_start, UINT32_MAX);
	assert_int_equal(p->seq_end, 999);
	assert_int_equal(p->ack, UINT32_MAX);
	assert_int_equal(p->win, 65535);
	scr_script_free(s);
}

static void packet_fields_any_order(void **state)
{
	struct scr_script *s = parse("0 < . 1:1(0) win 10 urg 2 ack 3\n");
	const struct scr_packet *p = &only(s)->u.packet;
	(void)state;
	assert_int_equal(p->win, 10);
	assert_int_equal(p->urg, 2);
	assert_int_equal(p->ack, 3);
	scr_script_free(s);
}

static void packet_options_all_kinds(void **state)
{
	struct scr_script *s = parse("0 < S 0:0(0) win 32792 <mss 1000,sackOK,nop,nop,"
				     "TS val 100 ecr 4294967295,nop,wscale 7,eol>\n");
	const struct scr_packet *p = &only(s)->u.packet;
	(void)state;
	assert_int_equal(p->n_opts, 8);
	assert_int_equal(p->opts[0].kind, SEG_OPT_MSS);
	assert_int_equal(p->opts[0].val, 1000);
	assert_int_equal(p->opts[1].kind, SEG_OPT_SACK_PERM);
	assert_int_equal(p->opts[2].kind, SEG_OPT_NOP);
	assert_int_equal(p->opts[4].kind, SEG_OPT_TS);
	assert_int_equal(p->opts[4].val, 100);
	assert_int_equal(p->opts[4].ecr, UINT32_MAX);
	assert_int_equal(p->opts[6].kind, SEG_OPT_WSCALE);
	assert_int_equal(p->opts[6].val, 7);
	assert_int_equal(p->opts[7].kind, SEG_OPT_EOL);
	scr_script_free(s);
}

static void packet_sack_blocks(void **state)
{
	struct scr_script *s =
		parse("0 < . 1:1(0) ack 1 <nop,nop,sack 1001:2001 3001:4001 5001:6001>\n");
	const struct scr_opt *o = &only(s)->u.packet.opts[2];
	(void)state;
	assert_int_equal(o->kind, SEG_OPT_SACK);
	assert_int_equal(o->n_sack, 3);
	assert_int_equal(o->sack[0].left, 1001);
	assert_int_equal(o->sack[0].right, 2001);
	assert_int_equal(o->sack[2].left, 5001);
	assert_int_equal(o->sack[2].right, 6001);
	scr_script_free(s);
}

static void packet_ip_prefixes(void **state)
{
	struct scr_script *s = parse("+0 < [ect0] S 0:0(0) win 32792 <mss 1000>\n"
				     "+0 > [ce] . 1:1(0) ack 1\n"
				     "+0 > [noecn] . 1:1(0) ack 1\n"
				     "+0 > [ect01] . 1:1(0) ack 1\n"
				     "+0 < [ect1, tos 0x10, ttl 3] . 1:1(0)\n"
				     "+0 < (flowlabel 0x12345) tos 0x2 . 1:1(0)\n");
	(void)state;
	assert_int_equal(s->events[0].u.packet.ip.ecn, SCR_ECN_ECT0);
	assert_int_equal(s->events[0].u.packet.flags, SEG_SYN);
	assert_int_equal(s->events[1].u.packet.ip.ecn, SCR_ECN_CE);
	assert_int_equal(s->events[2].u.packet.ip.ecn, SCR_ECN_NOT);
	assert_int_equal(s->events[3].u.packet.ip.ecn, SCR_ECN_ECT01);
	assert_int_equal(s->events[4].u.packet.ip.ecn, SCR_ECN_ECT1);
	assert_true(s->events[4].u.packet.ip.has_tos);
	assert_int_equal(s->events[4].u.packet.ip.tos, 0x10);
	assert_true(s->events[4].u.packet.ip.has_ttl);
	assert_int_equal(s->events[4].u.packet.ip.ttl, 3);
	assert_false(s->events[4].u.packet.ip.has_flowlabel);
	assert_true(s->events[5].u.packet.ip.has_flowlabel);
	assert_int_equal(s->events[5].u.packet.ip.flowlabel, 0x12345);
	assert_int_equal(s->events[5].u.packet.ip.tos, 2);
	assert_int_equal(s->events[5].u.packet.ip.ecn, SCR_ECN_UNSET);
	scr_script_free(s);
}

static void packet_bad_csum(void **state)
{
	struct scr_script *s = parse("+0 < R 101:101(0) win 8192 bad_csum\n");
	(void)state;
	assert_true(only(s)->u.packet.bad_csum);
	assert_true(only(s)->u.packet.has_win);
	scr_script_free(s);
	s = parse("+0 < . 1:1(0) ack 1 <nop> bad_csum\n");
	assert_true(only(s)->u.packet.bad_csum);
	assert_int_equal(only(s)->u.packet.n_opts, 1);
	scr_script_free(s);
}

static void packet_multiline(void **state)
{
	struct scr_script *s =
		parse("+0 > S. 0:0(0) ack 1\n     <mss 1460,\n nop>\n+0 state LISTEN\n");
	(void)state;
	assert_int_equal(s->n_events, 2);
	assert_int_equal(s->events[0].u.packet.n_opts, 2);
	assert_string_equal(s->events[0].text, "+0 > S. 0:0(0) ack 1\n     <mss 1460,\n nop>");
	assert_int_equal(s->events[1].line, 4);
	scr_script_free(s);
}

/* ---- icmp, none, state ----------------------------------------------------- */

static void icmp_port_unreachable(void **state)
{
	struct scr_script *s = parse("+0 < icmp unreachable port_unreachable [1:1461(1460)]\n");
	const struct scr_icmp *m = &only(s)->u.icmp;
	(void)state;
	assert_int_equal(only(s)->kind, SCR_EV_ICMP);
	assert_int_equal(m->dir, SCR_IN);
	assert_string_equal(m->type, "unreachable");
	assert_string_equal(m->code, "port_unreachable");
	assert_false(m->has_mtu);
	assert_true(m->has_quote);
	assert_int_equal(m->seq_start, 1);
	assert_int_equal(m->seq_end, 1461);
	assert_int_equal(m->len, 1460);
	scr_script_free(s);
}

static void icmp_frag_needed_and_v6(void **state)
{
	struct scr_script *s = parse("+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n"
				     "+0 < icmp packet_too_big mtu 1280\n"
				     "+0 < [ect0] icmp 3 4 mtu 576\n");
	const struct scr_icmp *a = &s->events[0].u.icmp, *b = &s->events[1].u.icmp,
			      *c = &s->events[2].u.icmp;
	(void)state;
	assert_string_equal(a->code, "frag_needed");
	assert_true(a->has_mtu);
	assert_int_equal(a->mtu, 1200);
	assert_string_equal(b->type, "packet_too_big");
	assert_null(b->code);
	assert_int_equal(b->mtu, 1280);
	assert_false(b->has_quote);
	assert_string_equal(c->type, "3");
	assert_string_equal(c->code, "4");
	assert_int_equal(c->ip.ecn, SCR_ECN_ECT0);
	scr_script_free(s);
}

static void none_default_and_for(void **state)
{
	struct scr_script *s = parse("+0 > none\n+0 > none for 2.25\n");
	(void)state;
	assert_int_equal(s->events[0].kind, SCR_EV_NONE);
	assert_int_equal(s->events[0].u.none.for_us, SCR_NONE_DEFAULT_US);
	assert_false(s->events[0].u.none.has_for);
	assert_int_equal(s->events[1].u.none.for_us, 2250000);
	assert_true(s->events[1].u.none.has_for);
	scr_script_free(s);
}

static void state_names_and_aliases(void **state)
{
	struct scr_script *s = parse("+0 state ESTABLISHED\n+0 state SYN_RCVD\n"
				     "+0 state FIN_WAIT_1\n+0 state TIME_WAIT\n");
	(void)state;
	assert_int_equal(s->events[0].kind, SCR_EV_STATE);
	assert_int_equal(s->events[0].u.state.state, SCR_ST_ESTABLISHED);
	assert_int_equal(s->events[1].u.state.state, SCR_ST_SYN_RECEIVED);
	assert_int_equal(s->events[2].u.state.state, SCR_ST_FIN_WAIT_1);
	assert_int_equal(s->events[3].u.state.state, SCR_ST_TIME_WAIT);
	assert_string_equal(scr_state_name(SCR_ST_CLOSE_WAIT), "CLOSE_WAIT");
	assert_string_equal(scr_state_name(SCR_ST_COUNT), "?");
	scr_script_free(s);
}

/* ---- syscalls -------------------------------------------------------------- */

static void syscall_socket_and_return(void **state)
{
	struct scr_script *s = parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
	const struct scr_syscall *c = &only(s)->u.sys;
	(void)state;
	assert_int_equal(only(s)->kind, SCR_EV_SYSCALL);
	assert_int_equal(c->sys, SCR_SYS_SOCKET);
	assert_string_equal(c->name, "socket");
	assert_int_equal(c->n_args, 3);
	assert_int_equal(c->args[0]->kind, SCR_EXPR_ELLIPSIS);
	assert_int_equal(c->args[1]->kind, SCR_EXPR_WORD);
	assert_string_equal(c->args[1]->str, "SOCK_STREAM");
	assert_int_equal(c->ret.kind, SCR_RET_INT);
	assert_int_equal(c->ret.value, 3);
	assert_null(c->ret.err);
	assert_null(c->ret.note);
	assert_false(c->blocking);
	scr_script_free(s);
}

static void syscall_errno_and_note(void **state)
{
	struct scr_script *s =
		parse("+0 read(4, ..., 100) = -1 ECONNRESET (Connection reset by peer)\n"
		      "+0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)\n"
		      "+0 getsockopt(3, SOL_SOCKET, SO_ERROR, [0], [4]) = 0 (...)\n"
		      "+0 fcntl(3, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)\n");
	const struct scr_syscall *a = &s->events[0].u.sys, *c = &s->events[2].u.sys,
				 *d = &s->events[3].u.sys;
	(void)state;
	assert_int_equal(a->ret.value, -1);
	assert_string_equal(a->ret.err, "ECONNRESET");
	assert_string_equal(a->ret.note, "Connection reset by peer");
	assert_string_equal(s->events[1].u.sys.ret.err, "EINPROGRESS");
	assert_int_equal(c->ret.value, 0);
	assert_null(c->ret.err);
	assert_string_equal(c->ret.note, "...");
	assert_int_equal(d->ret.value, 0x802);
	assert_true(d->ret.expr->hex);
	assert_string_equal(d->ret.note, "flags O_RDWR|O_NONBLOCK");
	scr_script_free(s);
}

static void syscall_return_any(void **state)
{
	struct scr_script *s = parse("+0 write(4, ..., 1000) = ...\n");
	(void)state;
	assert_int_equal(only(s)->u.sys.ret.kind, SCR_RET_ANY);
	scr_script_free(s);
}

static void syscall_all_supported_names(void **state)
{
	static const char *const lines[] = {
		"0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3",
		"0 bind(3, ..., ...) = 0",
		"0 listen(3, 1) = 0",
		"0 accept(3, ..., ...) = 4",
		"0 connect(3, ..., ...) = 0",
		"0 write(4, ..., 10) = 10",
		"0 send(4, ..., 1, MSG_OOB) = 1",
		"0 read(4, ..., 10) = 10",
		"0 recv(4, ..., 10, 0) = 10",
		"0 shutdown(4, SHUT_WR) = 0",
		"0 close(4) = 0",
		"0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0",
		"0 getsockopt(3, SOL_SOCKET, SO_RCVBUF, [65536], [4]) = 0",
		"0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0",
		"0 ioctl(4, SIOCATMARK, [0]) = 0",
		"0 poll([{fd=4, events=POLLIN, revents=POLLIN}], 1, 0) = 1",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		struct scr_script *s = parse(lines[i]);
		assert_int_equal(only(s)->kind, SCR_EV_SYSCALL);
		assert_int_equal(only(s)->u.sys.sys, (enum scr_sys)i);
		assert_string_equal(scr_sys_name((enum scr_sys)i), only(s)->u.sys.name);
		scr_script_free(s);
	}
}

static void expr_struct_array_or(void **state)
{
	struct scr_script *s =
		parse("0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLIN}], 1, 0) = 1\n");
	const struct scr_expr *arr = only(s)->u.sys.args[0], *st, *f;
	(void)state;
	assert_int_equal(arr->kind, SCR_EXPR_ARRAY);
	assert_int_equal(arr->n, 1);
	st = arr->items[0];
	assert_int_equal(st->kind, SCR_EXPR_STRUCT);
	assert_int_equal(st->n, 3);
	f = st->items[1];
	assert_int_equal(f->kind, SCR_EXPR_FIELD);
	assert_int_equal(f->items[0]->kind, SCR_EXPR_WORD);
	assert_string_equal(f->items[0]->str, "events");
	assert_int_equal(f->items[1]->kind, SCR_EXPR_OR);
	assert_int_equal(f->items[1]->n, 2);
	assert_string_equal(f->items[1]->items[1]->str, "POLLOUT");
	scr_script_free(s);
}

static void expr_linger_calls_strings(void **state)
{
	struct scr_script *s =
		parse("0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
		      "0 bind(3, {sa_family=AF_INET, sin_port=htons(8080), "
		      "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0\n"
		      "0 write(4, \"a\\\"b\", -0x10) = 3\n");
	const struct scr_expr *l = s->events[0].u.sys.args[3];
	const struct scr_expr *sa = s->events[1].u.sys.args[1];
	const struct scr_expr *port = sa->items[1]->items[1];
	const struct scr_expr *addr = sa->items[2]->items[1];
	(void)state;
	assert_int_equal(l->kind, SCR_EXPR_STRUCT);
	assert_string_equal(l->items[0]->items[0]->str, "l_onoff");
	assert_int_equal(l->items[0]->items[1]->num, 1);
	assert_int_equal(port->kind, SCR_EXPR_CALL);
	assert_string_equal(port->str, "htons");
	assert_int_equal(port->items[0]->num, 8080);
	assert_int_equal(addr->items[0]->kind, SCR_EXPR_STRING);
	assert_string_equal(addr->items[0]->str, "192.0.2.1");
	assert_string_equal(s->events[2].u.sys.args[1]->str, "a\\\"b");
	assert_int_equal(s->events[2].u.sys.args[2]->num, -16);
	assert_true(s->events[2].u.sys.args[2]->hex);
	scr_script_free(s);
}

static void expr_int_extremes(void **state)
{
	struct scr_script *s =
		parse("0 close(9223372036854775807, -9223372036854775808, 0xffffffff) = 0\n");
	const struct scr_syscall *c = &only(s)->u.sys;
	(void)state;
	assert_true(c->args[0]->num == INT64_MAX);
	assert_true(c->args[1]->num == INT64_MIN);
	assert_true(c->args[2]->num == 0xffffffff);
	scr_script_free(s);
}

static void syscall_wrapped_over_lines(void **state)
{
	struct scr_script *s = parse("0 setsockopt(3, SOL_SOCKET,\n"
				     "              SO_LINGER, {l_onoff=1,\n"
				     "              l_linger=0}, 8) = 0\n"
				     "+0 close(3) = 0\n");
	(void)state;
	assert_int_equal(s->n_events, 2);
	assert_int_equal(s->events[0].u.sys.n_args, 5);
	assert_int_equal(s->events[1].line, 4);
	scr_script_free(s);
}

/* ---- skips and python ----------------------------------------------------- */

static const struct scr_event *skip_of(const char *text, struct scr_script **sp)
{
	*sp = parse(text);
	assert_int_equal((*sp)->n_skips, 1);
	assert_int_equal(only(*sp)->kind, SCR_EV_SKIP);
	return only(*sp);
}

static void skip_shell_command(void **state)
{
	struct scr_script *s;
	const struct scr_event *ev = skip_of("+0 `sysctl -q net.ipv4.tcp_sack=0`\n", &s);
	(void)state;
	assert_string_equal(ev->u.skip.construct, "shell command");
	assert_int_equal(ev->time.kind, SCR_TIME_REL);
	scr_script_free(s);
	ev = skip_of("`echo untimed init`\n", &s);
	assert_int_equal(ev->time.kind, SCR_TIME_NONE);
	scr_script_free(s);
}

static void skip_unknown_syscall_and_epoll(void **state)
{
	struct scr_script *s;
	const struct scr_event *ev;
	(void)state;
	ev = skip_of("+0 sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., iov_len=10}], "
		     "msg_flags=0}, 0) = 10\n",
		     &s);
	assert_string_equal(ev->u.skip.construct, "syscall 'sendmsg'");
	assert_non_null(strstr(ev->u.skip.reason, "socket verbs"));
	scr_script_free(s);
	ev = skip_of("+0 epoll_ctl(5, EPOLL_CTL_ADD, 4, {events=EPOLLIN, fd=4}) = 0\n", &s);
	assert_string_equal(ev->u.skip.construct, "epoll (epoll_ctl)");
	scr_script_free(s);
}

static void skip_tcp_info_and_fast_open(void **state)
{
	struct scr_script *s;
	const struct scr_event *ev;
	(void)state;
	ev = skip_of(
		"+0 getsockopt(4, SOL_TCP, TCP_INFO, {tcpi_state=TCP_ESTABLISHED}, [104]) = 0\n",
		&s);
	assert_string_equal(ev->u.skip.construct, "TCP_INFO");
	scr_script_free(s);
	ev = skip_of("+0 sendto(3, ..., 1000, MSG_FASTOPEN, ..., ...) = 1000\n", &s);
	assert_string_equal(ev->u.skip.construct, "TCP Fast Open");
	scr_script_free(s);
	ev = skip_of("+0 setsockopt(3, SOL_TCP, TCP_FASTOPEN, [1], 4) = 0\n", &s);
	assert_string_equal(ev->u.skip.construct, "TCP Fast Open");
	scr_script_free(s);
	ev = skip_of("+0 > S. 0:0(0) ack 1 <mss 1460,FO 3021b9d25cc5ac9b,nop,nop>\n", &s);
	assert_string_equal(ev->u.skip.construct, "TCP Fast Open");
	assert_string_equal(ev->text,
			    "+0 > S. 0:0(0) ack 1 <mss 1460,FO 3021b9d25cc5ac9b,nop,nop>");
	scr_script_free(s);
}

static void skip_other_protocols(void **state)
{
	struct scr_script *s;
	const struct scr_event *ev;
	(void)state;
	ev = skip_of("+0 < udp (1472) // trailing comment\n", &s);
	assert_string_equal(ev->u.skip.construct, "UDP packet");
	assert_string_equal(ev->text, "+0 < udp (1472)");
	scr_script_free(s);
	ev = skip_of("+0 < icmp unreachable port_unreachable [udp (100)]\n", &s);
	assert_string_equal(ev->u.skip.construct, "ICMP quoting a UDP packet");
	scr_script_free(s);
	ev = skip_of("+0 < . 1:1(0) ack 1 <md5 0123456789abcdef>\n", &s);
	assert_string_equal(ev->u.skip.construct, "TCP MD5 option");
	scr_script_free(s);
}

static void skip_does_not_stop_script(void **state)
{
	struct scr_script *s = parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
				     "+0 `true`\n+0 epoll_create(1) = 5\n+0 close(3) = 0\n");
	(void)state;
	assert_int_equal(s->n_events, 4);
	assert_int_equal(s->n_skips, 2);
	assert_int_equal(s->events[3].kind, SCR_EV_SYSCALL);
	scr_script_free(s);
}

static void python_block_counted(void **state)
{
	struct scr_script *s = parse("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
				     "+0 %{\nassert tcpi_rto == 1000, tcpi_rto\n"
				     "assert(tcpi_reordering == 3)\nprint(tcpi_state)\n}%\n"
				     "+0 %{ print(1) }%\n"
				     "%{ assert x }%\n"
				     "+0 close(3) = 0\n");
	(void)state;
	assert_int_equal(s->n_events, 5);
	assert_int_equal(s->events[1].kind, SCR_EV_PYTHON);
	assert_int_equal(s->events[1].u.python.asserts, 2);
	assert_int_equal(s->events[2].u.python.asserts, 0);
	assert_int_equal(s->events[3].time.kind, SCR_TIME_NONE);
	assert_int_equal(s->n_python, 3);
	assert_int_equal(s->n_python_asserts, 3);
	assert_int_equal(s->n_skips, 0);
	assert_int_equal(s->events[4].line, 9);
	scr_script_free(s);
}

/* ---- header, metadata, comments ------------------------------------------- */

static void header_options(void **state)
{
	struct scr_script *s = parse("--tolerance_usecs=10000\n--ip_version=ipv6\n--flag\n"
				     "--tolerance_usecs=20000\n0 close(3) = 0\n");
	(void)state;
	assert_int_equal(s->n_options, 4);
	assert_string_equal(s->options[0].key, "tolerance_usecs");
	assert_string_equal(s->options[0].value, "10000");
	assert_int_equal(s->options[1].line, 2);
	assert_string_equal(s->options[2].key, "flag");
	assert_string_equal(s->options[2].value, "");
	assert_string_equal(scr_script_option(s, "tolerance_usecs"), "20000");
	assert_string_equal(scr_script_option(s, "ip_version"), "ipv6");
	assert_null(scr_script_option(s, "mtu"));
	assert_int_equal(s->family, 6);
	scr_script_free(s);
}

static void metadata_all_tags(void **state)
{
	struct scr_script *s = parse("// An ordinary comment with an email@example.org\n"
				     "// @requirement MUST-7 §3.10.7.4\n"
				     "//@requirement RFC5961-3.2\n"
				     "// @targets ref lwip linux\n"
				     "// @xfail linux   Linux sends a challenge ACK here  \n"
				     "// @xfail lwip no RFC 5961\n"
				     "// @finding lwip lwip-rst-ack\n"
				     "// @profile linux\n"
				     "// @config sack=off ts=off\n"
				     "// @config wscale=off mss=1460\n"
				     "// @family ipv6|ipv4\n"
				     "/* @bogus in a block comment is ignored */\n"
				     "0 close(3) = 0 // @requirement LATE-1\n");
	const struct scr_meta *m = &s->meta;
	(void)state;
	assert_int_equal(m->n_requirements, 4);
	assert_string_equal(m->requirements[0], "MUST-7");
	assert_string_equal(m->requirements[1], "§3.10.7.4");
	assert_string_equal(m->requirements[2], "RFC5961-3.2");
	assert_string_equal(m->requirements[3], "LATE-1");
	assert_int_equal(m->n_targets, 3);
	assert_string_equal(m->targets[2], "linux");
	assert_int_equal(m->n_xfails, 2);
	assert_string_equal(m->xfails[0].target, "linux");
	assert_string_equal(m->xfails[0].reason, "Linux sends a challenge ACK here");
	assert_int_equal(m->xfails[0].line, 5);
	assert_string_equal(m->xfails[1].reason, "no RFC 5961");
	assert_int_equal(m->n_findings, 1);
	assert_string_equal(m->findings[0].target, "lwip");
	assert_string_equal(m->findings[0].id, "lwip-rst-ack");
	assert_int_equal(m->findings[0].line, 7);
	assert_string_equal(m->profile, "linux");
	assert_int_equal(m->n_config, 4);
	assert_string_equal(scr_script_config(s, "ts"), "off");
	assert_string_equal(scr_script_config(s, "mss"), "1460");
	assert_null(scr_script_config(s, "rcvbuf"));
	assert_int_equal(m->families, SCR_FAM_IPV4 | SCR_FAM_IPV6);
	assert_int_equal(m->families_first, 6);
	assert_int_equal(s->family, 6);
	scr_script_free(s);
}

static void comments_everywhere(void **state)
{
	struct scr_script *s = parse("/* header\n comment */ 0 < S /* in */ 0:0(0) // end\n"
				     "/**/+0 close(3) = 0/* x */\n");
	(void)state;
	assert_int_equal(s->n_events, 2);
	assert_int_equal(s->events[0].line, 2);
	assert_int_equal(s->events[0].col, 13);
	assert_string_equal(s->events[0].lead, "/* header\n comment */ ");
	assert_string_equal(s->events[1].lead, " // end\n/**/");
	assert_string_equal(s->trailer, "/* x */\n");
	scr_script_free(s);
}

static void empty_and_comment_only(void **state)
{
	struct scr_script *s = parse("");
	(void)state;
	assert_int_equal(s->n_events, 0);
	assert_null(s->trailer);
	assert_int_equal(s->family, 4);
	scr_script_free(s);
	s = parse("// @targets ref\n\n");
	assert_int_equal(s->n_events, 0);
	assert_string_equal(s->trailer, "// @targets ref\n\n");
	scr_script_free(s);
}

/* ---- defines ----------------------------------------------------------------- */

static void defines_substitute_tokens(void **state)
{
	static const struct scr_define user[] = {
		{"MSS", "1000"}, {"FLAGS", "POLLIN|POLLOUT"}, {"SYNACK", "S."}, {"NOTHING", ""}};
	struct scr_defines d = {user, 4, NULL, 0, NULL, 0, 0};
	struct scr_script *s = parse_defs("0 > SYNACK 0:0(0) ack 1 <mss MSS>\n"
					  "+0 poll([{fd=4, events=FLAGS NOTHING}], 1, 0) = 1\n",
					  &d);
	const struct scr_expr *ev;
	(void)state;
	assert_int_equal(s->events[0].u.packet.flags, SEG_SYN | SEG_ACK);
	assert_int_equal(s->events[0].u.packet.opts[0].val, 1000);
	ev = s->events[1].u.sys.args[0]->items[0]->items[1]->items[1];
	assert_int_equal(ev->kind, SCR_EXPR_OR);
	assert_int_equal(ev->n, 2);
	/* The source text keeps the names. */
	assert_string_equal(s->events[0].text, "0 > SYNACK 0:0(0) ack 1 <mss MSS>");
	assert_int_equal(s->n_defines, 4);
	scr_script_free(s);
}

static void defines_per_family(void **state)
{
	static const struct scr_define user[] = {{"PORT", "9090"}};
	static const struct scr_define v4[] = {{"PORT", "1"}, {"FAM", "AF_INET"}};
	static const struct scr_define v6[] = {{"FAM", "AF_INET6"}};
	struct scr_defines d = {user, 1, v4, 2, v6, 1, 0};
	const char *text = "0 socket(FAM, SOCK_STREAM, PORT) = 3\n";
	struct scr_script *s = parse_defs(text, &d);
	(void)state;
	assert_int_equal(s->family, 4);
	assert_string_equal(s->events[0].u.sys.args[0]->str, "AF_INET");
	assert_int_equal(s->events[0].u.sys.args[2]->num, 9090); /* user wins */
	scr_script_free(s);
	s = parse_defs("--ip_version=ipv6\n0 socket(FAM, SOCK_STREAM, PORT) = 3\n", &d);
	assert_int_equal(s->family, 6);
	assert_string_equal(s->events[0].u.sys.args[0]->str, "AF_INET6");
	scr_script_free(s);
	s = parse_defs("// @family ipv6\n0 socket(FAM, SOCK_STREAM, PORT) = 3\n", &d);
	assert_string_equal(s->events[0].u.sys.args[0]->str, "AF_INET6");
	scr_script_free(s);
	/* @family counts wherever it stands. */
	s = parse_defs("0 socket(FAM, SOCK_STREAM, PORT) = 3\n// @family ipv6\n", &d);
	assert_string_equal(s->events[0].u.sys.args[0]->str, "AF_INET6");
	scr_script_free(s);
	/* Even after a note holding what would start a block, a string, a
	 * python block or a shell command. */
	s = parse_defs("0 fcntl(3, F_GETFL) = 0 (/* \" %{ `)\n"
		       "+0 socket(FAM, SOCK_STREAM, PORT) = 3\n// @family ipv6\n",
		       &d);
	assert_int_equal(s->family, 6);
	assert_string_equal(s->events[1].u.sys.args[0]->str, "AF_INET6");
	scr_script_free(s);
	d.family = 4; /* the caller's choice wins over the script's */
	s = parse_defs("// @family ipv6\n0 socket(FAM, SOCK_STREAM, PORT) = 3\n", &d);
	assert_string_equal(s->events[0].u.sys.args[0]->str, "AF_INET");
	scr_script_free(s);
}

static void defines_not_in_strings_or_notes(void **state)
{
	static const struct scr_define user[] = {{"X", "7"}};
	struct scr_defines d = {user, 1, NULL, 0, NULL, 0, 0};
	struct scr_script *s = parse_defs("0 write(X, \"X\", X) = -1 EAGAIN (X)\n", &d);
	const struct scr_syscall *c = &only(s)->u.sys;
	(void)state;
	assert_int_equal(c->args[0]->num, 7);
	assert_string_equal(c->args[1]->str, "X");
	assert_string_equal(c->ret.note, "X");
	scr_script_free(s);
}

static void defines_value_not_reexpanded(void **state)
{
	static const struct scr_define user[] = {{"A", "B"}, {"B", "A"}};
	struct scr_defines d = {user, 2, NULL, 0, NULL, 0, 0};
	struct scr_script *s = parse_defs("0 close(A, B) = 0\n", &d);
	(void)state;
	assert_string_equal(only(s)->u.sys.args[0]->str, "B");
	assert_string_equal(only(s)->u.sys.args[1]->str, "A");
	scr_script_free(s);
}

static void misc_api(void **state)
{
	(void)state;
	assert_string_equal(scr_strerror(SCR_ESYNTAX), "syntax error");
	assert_string_equal(scr_strerror(SCR_ENOMEM), "out of memory");
	assert_string_equal(scr_strerror(12345), "unknown error");
	assert_string_equal(scr_sys_name(SCR_SYS_POLL), "poll");
	assert_string_equal(scr_sys_name(SCR_SYS_COUNT), "?");
	scr_script_free(NULL);
	scr_event_clear(NULL);
	scr_event_clear_text(NULL);
}

static void crlf_line_endings(void **state)
{
	struct scr_script *s = parse("// @targets ref\r\n0 < S 0:0(0)\r\n+0 close(3) = 0\r\n");
	(void)state;
	assert_int_equal(s->n_events, 2);
	assert_string_equal(s->meta.targets[0], "ref");
	assert_int_equal(s->events[1].line, 3);
	scr_script_free(s);
}

/* Big inputs parse in one pass: many events, a long '|' chain (built flat,
 * not by recursion), a long comment. */
static void big_inputs(void **state)
{
	size_t i, n = 20000, cap = n * 40 + 400000;
	char *text = malloc(cap), *p = text;
	struct scr_script *s;
	(void)state;
	assert_non_null(text);
	for (i = 0; i < n; i++)
		p += sprintf(p, "+0 < . %zu:%zu(0) ack 1 win 100\n", i, i);
	p += sprintf(p, "+0 fcntl(3, F_SETFL, O_A");
	for (i = 0; i < 50000; i++)
		p += sprintf(p, "|O_B");
	p += sprintf(p, ") = 0\n// ");
	memset(p, 'x', 100000);
	p[100000] = '\0';
	s = parse(text);
	assert_int_equal(s->n_events, n + 1);
	assert_int_equal(s->events[n].u.sys.args[2]->kind, SCR_EXPR_OR);
	assert_int_equal(s->events[n].u.sys.args[2]->n, 50001);
	assert_int_equal(s->events[n].line, (int)n + 1);
	scr_script_free(s);
	free(text);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(time_absolute_and_relative),
	cmocka_unit_test(time_any_and_windows),
	cmocka_unit_test(time_blocking_syscall),
	cmocka_unit_test(packet_basic_fields),
	cmocka_unit_test(packet_outbound_without_win),
	cmocka_unit_test(packet_all_flags),
	cmocka_unit_test(packet_seq_wraps),
	cmocka_unit_test(packet_fields_any_order),
	cmocka_unit_test(packet_options_all_kinds),
	cmocka_unit_test(packet_sack_blocks),
	cmocka_unit_test(packet_ip_prefixes),
	cmocka_unit_test(packet_bad_csum),
	cmocka_unit_test(packet_multiline),
	cmocka_unit_test(icmp_port_unreachable),
	cmocka_unit_test(icmp_frag_needed_and_v6),
	cmocka_unit_test(none_default_and_for),
	cmocka_unit_test(state_names_and_aliases),
	cmocka_unit_test(syscall_socket_and_return),
	cmocka_unit_test(syscall_errno_and_note),
	cmocka_unit_test(syscall_return_any),
	cmocka_unit_test(syscall_all_supported_names),
	cmocka_unit_test(expr_struct_array_or),
	cmocka_unit_test(expr_linger_calls_strings),
	cmocka_unit_test(expr_int_extremes),
	cmocka_unit_test(syscall_wrapped_over_lines),
	cmocka_unit_test(skip_shell_command),
	cmocka_unit_test(skip_unknown_syscall_and_epoll),
	cmocka_unit_test(skip_tcp_info_and_fast_open),
	cmocka_unit_test(skip_other_protocols),
	cmocka_unit_test(skip_does_not_stop_script),
	cmocka_unit_test(python_block_counted),
	cmocka_unit_test(header_options),
	cmocka_unit_test(metadata_all_tags),
	cmocka_unit_test(comments_everywhere),
	cmocka_unit_test(empty_and_comment_only),
	cmocka_unit_test(defines_substitute_tokens),
	cmocka_unit_test(defines_per_family),
	cmocka_unit_test(defines_not_in_strings_or_notes),
	cmocka_unit_test(defines_value_not_reexpanded),
	cmocka_unit_test(misc_api),
	cmocka_unit_test(crlf_line_endings),
	cmocka_unit_test(big_inputs),
};

TC_CMOCKA_MAIN(tests)
