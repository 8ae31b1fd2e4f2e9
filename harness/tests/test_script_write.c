/* Unit tests of writing scripts back (harness/script.h): the source form
 * reproduces the input byte for byte, the canonical form parses back to the
 * same AST, and events built or changed in memory are written from their
 * fields (what `tcpcheck expect` does). */
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

static const char example[] =
	"// An in-window RST that does not match RCV.NXT draws a challenge ACK and\n"
	"// leaves the connection up; the exact one then resets it.\n"
	"// @requirement §3.10.7.4-rst-in-window RFC5961-3.2\n"
	"// @config sack=off ts=off wscale=off\n"
	"// @targets ref linux lwip\n"
	"// @xfail lwip does not send challenge ACKs\n"
	"// @finding lwip lwip-no-challenge-ack\n"
	"// @profile linux\n"
	"// @family ipv4|ipv6\n"
	"--tolerance_usecs=10000\n"
	"--ip_version=ipv4\n"
	"\n"
	"   0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
	"  +0 bind(3, ..., ...) = 0\n"
	"  +0 listen(3, 1) = 0\n"
	"  +0 < [ect0] S 0:0(0) win 8192 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>\n"
	"  +0 > S. 0:0(0) ack 1 <...>\n"
	" +.1 < . 1:1(0) ack 1 win 8192\n"
	"  +0 accept(3, ..., ...) = 4\n"
	"  +0 state ESTABLISHED\n"
	"  +0 < R 101:101(0) win 8192 bad_csum\n"
	"  +0 > . 1:1(0) ack 1\n"
	"  +0 < tos 0x3 ttl 9 (flowlabel 0x12) R 1:1(0) win 8192 urg 0\n"
	"  +0 > none for 0.5\n"
	"  +0 > none\n"
	"  +0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n"
	"  +0 < . 1:1(0) ack 1 <nop,nop,sack 1:2 3:4>\n"
	"  +0 setsockopt(4, SOL_SOCKET, SO_LINGER, {l_onoff=1, l_linger=0}, 8) = 0\n"
	"  +0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLIN}], 1, 0) = 1\n"
	"  +0...0.25 read(4, ..., 100) = -1 ECONNRESET (Connection reset by peer)\n"
	"  +0 fcntl(4, F_GETFL) = 0x802 (flags O_RDWR|O_NONBLOCK)\n"
	"  +0 write(4, \"ab\\\"c\", -5) = ...\n"
	"0.1~0.3 > . 1:1(0) ack 1\n"
	"+0.1~+0.3 > - 1:1(0)\n"
	"* > F. 1:1(0) ack 1\n"
	"  +0 `sysctl -q net.ipv4.tcp_sack=0`\n"
	"  +0 %{ assert tcpi_rto == 200000 }%\n"
	"  +0 epoll_create(1) = 5\n"
	"/* trailing */ // comment\n";

static struct scr_script *parse_defs(const char *text, size_t len, const struct scr_defines *d)
{
	struct scr_script *s = NULL;
	struct scr_diag diag;
	if (scr_parse("w.pkt", text, len, d, &s, &diag))
		fail_msg("parse failed: %s\n--- text ---\n%.*s", diag.msg, (int)len, text);
	return s;
}

static struct scr_script *parse(const char *text)
{
	return parse_defs(text, strlen(text), NULL);
}

static char *write_s(const struct scr_script *s, unsigned flags, size_t *len)
{
	char *out = NULL;
	assert_int_equal(scr_write(s, flags, &out, len), 0);
	assert_non_null(out);
	return out;
}

/* ---- AST equality (fields only: not positions nor source text) --------------- */

static void same_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void same_expr(const struct scr_expr *a, const struct scr_expr *b)
{
	size_t i;
	if (!a || !b) {
		assert_ptr_equal(a, b);
		return;
	}
	assert_int_equal(a->kind, b->kind);
	assert_true(a->num == b->num);
	assert_int_equal(a->hex, b->hex);
	same_str(a->str, b->str);
	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++)
		same_expr(a->items[i], b->items[i]);
}

static void same_ip(const struct scr_ip *a, const struct scr_ip *b)
{
	assert_int_equal(a->ecn, b->ecn);
	assert_int_equal(a->has_tos, b->has_tos);
	assert_int_equal(a->tos, b->tos);
	assert_int_equal(a->has_ttl, b->has_ttl);
	assert_int_equal(a->ttl, b->ttl);
	assert_int_equal(a->has_flowlabel, b->has_flowlabel);
	assert_int_equal(a->flowlabel, b->flowlabel);
}

static void same_packet(const struct scr_packet *a, const struct scr_packet *b)
{
	size_t i;
	assert_int_equal(a->dir, b->dir);
	same_ip(&a->ip, &b->ip);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->seq_start, b->seq_start);
	assert_int_equal(a->seq_end, b->seq_end);
	assert_int_equal(a->len, b->len);
	assert_int_equal(a->has_ack, b->has_ack);
	assert_int_equal(a->ack, b->ack);
	assert_int_equal(a->has_win, b->has_win);
	assert_int_equal(a->win, b->win);
	assert_int_equal(a->has_urg, b->has_urg);
	assert_int_equal(a->urg, b->urg);
	assert_int_equal(a->bad_csum, b->bad_csum);
	assert_int_equal(a->any_opts, b->any_opts);
	assert_int_equal(a->n_opts, b->n_opts);
	for (i = 0; i < a->n_opts; i++)
		assert_memory_equal(&a->opts[i], &b->opts[i], sizeof a->opts[i]);
}

static void same_event(const struct scr_event *a, const struct scr_event *b)
{
	size_t i;
	assert_int_equal(a->kind, b->kind);
	assert_int_equal(a->time.kind, b->time.kind);
	assert_true(a->time.start_us == b->time.start_us);
	assert_true(a->time.end_us == b->time.end_us);
	switch (a->kind) {
	case SCR_EV_PACKET:
		same_packet(&a->u.packet, &b->u.packet);
		break;
	case SCR_EV_ICMP:
		assert_int_equal(a->u.icmp.dir, b->u.icmp.dir);
		same_ip(&a->u.icmp.ip, &b->u.icmp.ip);
		same_str(a->u.icmp.type, b->u.icmp.type);
		same_str(a->u.icmp.code, b->u.icmp.code);
		assert_int_equal(a->u.icmp.has_mtu, b->u.icmp.has_mtu);
		assert_int_equal(a->u.icmp.mtu, b->u.icmp.mtu);
		assert_int_equal(a->u.icmp.has_quote, b->u.icmp.has_quote);
		assert_int_equal(a->u.icmp.seq_start, b->u.icmp.seq_start);
		assert_int_equal(a->u.icmp.seq_end, b->u.icmp.seq_end);
		assert_int_equal(a->u.icmp.len, b->u.icmp.len);
		break;
	case SCR_EV_SYSCALL:
		assert_int_equal(a->u.sys.sys, b->u.sys.sys);
		same_str(a->u.sys.name, b->u.sys.name);
		assert_int_equal(a->u.sys.n_args, b->u.sys.n_args);
		for (i = 0; i < a->u.sys.n_args; i++)
			same_expr(a->u.sys.args[i], b->u.sys.args[i]);
		assert_int_equal(a->u.sys.blocking, b->u.sys.blocking);
		assert_true(a->u.sys.end_us == b->u.sys.end_us);
		assert_int_equal(a->u.sys.end_plus, b->u.sys.end_plus);
		assert_int_equal(a->u.sys.ret.kind, b->u.sys.ret.kind);
		assert_true(a->u.sys.ret.value == b->u.sys.ret.value);
		same_expr(a->u.sys.ret.expr, b->u.sys.ret.expr);
		same_str(a->u.sys.ret.err, b->u.sys.ret.err);
		same_str(a->u.sys.ret.note, b->u.sys.ret.note);
		break;
	case SCR_EV_NONE:
		assert_true(a->u.none.for_us == b->u.none.for_us);
		assert_int_equal(a->u.none.has_for, b->u.none.has_for);
		break;
	case SCR_EV_STATE:
		assert_int_equal(a->u.state.state, b->u.state.state);
		break;
	case SCR_EV_SKIP:
		same_str(a->u.skip.construct, b->u.skip.construct);
		same_str(a->u.skip.reason, b->u.skip.reason);
		break;
	case SCR_EV_PYTHON:
		same_str(a->u.python.code, b->u.python.code);
		assert_int_equal(a->u.python.asserts, b->u.python.asserts);
		break;
	}
}

static void same_kvs(const struct scr_kv *a, size_t na, const struct scr_kv *b, size_t nb)
{
	size_t i;
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_string_equal(a[i].key, b[i].key);
		assert_string_equal(a[i].value, b[i].value);
	}
}

static void same_strs(char **a, size_t na, char **b, size_t nb)
{
	size_t i;
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void same_script(const struct scr_script *a, const struct scr_script *b)
{
	size_t i;
	same_kvs(a->options, a->n_options, b->options, b->n_options);
	same_kvs(a->meta.config, a->meta.n_config, b->meta.config, b->meta.n_config);
	same_strs(a->meta.requirements, a->meta.n_requirements, b->meta.requirements,
		  b->meta.n_requirements);
	same_strs(a->meta.targets, a->meta.n_targets, b->meta.targets, b->meta.n_targets);
	assert_int_equal(a->meta.n_xfails, b->meta.n_xfails);
	for (i = 0; i < a->meta.n_xfails; i++) {
		assert_string_equal(a->meta.xfails[i].target, b->meta.xfails[i].target);
		assert_string_equal(a->meta.xfails[i].reason, b->meta.xfails[i].reason);
	}
	assert_int_equal(a->meta.n_findings, b->meta.n_findings);
	for (i = 0; i < a->meta.n_findings; i++) {
		assert_string_equal(a->meta.findings[i].target, b->meta.findings[i].target);
		assert_string_equal(a->meta.findings[i].id, b->meta.findings[i].id);
	}
	same_str(a->meta.profile, b->meta.profile);
	assert_int_equal(a->meta.families, b->meta.families);
	assert_int_equal(a->meta.families_first, b->meta.families_first);
	assert_int_equal(a->family, b->family);
	assert_int_equal(a->n_skips, b->n_skips);
	assert_int_equal(a->n_python, b->n_python);
	assert_int_equal(a->n_python_asserts, b->n_python_asserts);
	assert_int_equal(a->n_events, b->n_events);
	for (i = 0; i < a->n_events; i++)
		same_event(&a->events[i], &b->events[i]);
}

/* ---- tests ---------------------------------------------------------------------- */

static void source_round_trip_is_byte_exact(void **state)
{
	struct scr_script *s = parse(example), *again;
	size_t len;
	char *out = write_s(s, SCR_WRITE_SOURCE, &len);
	(void)state;
	assert_int_equal(len, strlen(example));
	assert_string_equal(out, example);
	again = parse(out);
	same_script(s, again);
	assert_int_equal(s->n_skips, 2);
	assert_int_equal(s->n_python, 1);
	free(out);
	scr_script_free(again);
	scr_script_free(s);
}

static void regen_round_trip_same_ast(void **state)
{
	struct scr_script *s = parse(example), *again;
	char *out = write_s(s, SCR_WRITE_REGEN, NULL), *out2;
	(void)state;
	again = parse(out);
	same_script(s, again);
	/* The canonical form is a fixed point. */
	out2 = write_s(again, SCR_WRITE_REGEN, NULL);
	assert_string_equal(out, out2);
	free(out2);
	free(out);
	scr_script_free(again);
	scr_script_free(s);
}

static void regen_canonical_text(void **state)
{
	static const char in[] = "--tolerance_usecs=10000\n"
				 "// @family ipv6 ipv4\n"
				 "// @requirement A\n// @requirement B C\n"
				 "0.000 socket( ..., SOCK_STREAM,IPPROTO_TCP )=3 // note\n"
				 "+.100 <  SP.   0:10(10)   win 0x10\n"
				 "+1.5~+2 > [ce] F. 1:1(0) <nop , nop,TS val 0x10 ecr 2>\n"
				 "+0.0000 > none for 1.25\n"
				 "+0 state SYN_RECV\n"
				 "+0 close(0x0a, -3, \"x y\") = -1 EBADF (Bad file descriptor)\n";
	static const char want[] = "--tolerance_usecs=10000\n"
				   "// @requirement A B C\n"
				   "// @family ipv6|ipv4\n"
				   "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
				   "+0.1 < SP. 0:10(10) win 16\n"
				   "+1.5~+2 > [ce] F. 1:1(0) <nop,nop,TS val 16 ecr 2>\n"
				   "+0 > none for 1.25\n"
				   "+0 state SYN_RECEIVED\n"
				   "+0 close(0xa, -3, \"x y\") = -1 EBADF (Bad file descriptor)\n";
	struct scr_script *s = parse(in);
	char *out = write_s(s, SCR_WRITE_REGEN, NULL);
	(void)state;
	assert_string_equal(out, want);
	free(out);
	scr_script_free(s);
}

static void regen_expands_defines(void **state)
{
	static const struct scr_define user[] = {{"MSS", "1000"}, {"EV", "POLLIN|POLLOUT"}};
	struct scr_defines d = {user, 2, NULL, 0, NULL, 0, 0};
	static const char in[] = "0 < S 0:0(0) <mss MSS>\n+0 poll([{fd=3, events=EV}], 1, 0) = 1\n";
	struct scr_script *s = parse_defs(in, sizeof in - 1, &d), *again;
	char *src = write_s(s, SCR_WRITE_SOURCE, NULL);
	char *gen = write_s(s, SCR_WRITE_REGEN, NULL);
	(void)state;
	assert_string_equal(src, in);
	assert_string_equal(gen, "0 < S 0:0(0) <mss 1000>\n"
				 "+0 poll([{fd=3, events=POLLIN|POLLOUT}], 1, 0) = 1\n");
	again = parse(gen); /* no defines needed any more */
	same_script(s, again);
	free(src);
	free(gen);
	scr_script_free(again);
	scr_script_free(s);
}

static void changed_event_written_from_fields(void **state)
{
	struct scr_script *s = parse("0 < S 0:0(0) win 100  // the SYN\n+0 > S. 0:0(0) ack 1\n");
	struct scr_packet *p = &s->events[1].u.packet;
	char *out;
	(void)state;
	p->has_win = true;
	p->win = 65535;
	/* Before clearing the text, the source is kept. */
	out = write_s(s, SCR_WRITE_SOURCE, NULL);
	assert_string_equal(out, "0 < S 0:0(0) win 100  // the SYN\n+0 > S. 0:0(0) ack 1\n");
	free(out);
	scr_event_clear_text(&s->events[1]);
	out = write_s(s, SCR_WRITE_SOURCE, NULL);
	assert_string_equal(out,
			    "0 < S 0:0(0) win 100  // the SYN\n+0 > S. 0:0(0) ack 1 win 65535\n");
	free(out);
	scr_script_free(s);
}

static void inserted_events_for_expect(void **state)
{
	struct scr_script *s = parse("// handshake\n0 < S 0:0(0) win 8192 <mss 1460>\n"
				     "  // then data\n+.1 < . 1:1(0) ack 1 win 8192\n");
	struct scr_event *ev;
	struct scr_opt *o;
	char *out;
	(void)state;
	/* After the SYN: the SYN-ACK the reference sent. */
	ev = scr_script_insert_event(s, 1);
	assert_non_null(ev);
	ev->kind = SCR_EV_PACKET;
	ev->time.kind = SCR_TIME_REL;
	ev->u.packet.dir = SCR_OUT;
	ev->u.packet.flags = SEG_SYN | SEG_ACK;
	ev->u.packet.has_ack = true;
	ev->u.packet.ack = 1;
	o = calloc(2, sizeof *o);
	assert_non_null(o);
	o[0].kind = SEG_OPT_MSS;
	o[0].val = 1460;
	o[1].kind = SEG_OPT_NOP;
	ev->u.packet.opts = o;
	ev->u.packet.n_opts = 2;
	/* At the end: silence. */
	ev = scr_script_insert_event(s, s->n_events);
	assert_non_null(ev);
	ev->kind = SCR_EV_NONE;
	ev->time.kind = SCR_TIME_REL;
	ev->u.none.for_us = 500000;
	ev->u.none.has_for = true;
	assert_null(scr_script_insert_event(s, s->n_events + 1));
	out = write_s(s, SCR_WRITE_SOURCE, NULL);
	assert_string_equal(out, "// handshake\n0 < S 0:0(0) win 8192 <mss 1460>\n"
				 "+0 > S. 0:0(0) ack 1 <mss 1460,nop>\n"
				 "  // then data\n+.1 < . 1:1(0) ack 1 win 8192\n"
				 "+0 > none for 0.5\n");
	free(out);
	scr_script_free(s);
}

static void event_format_truncates_like_snprintf(void **state)
{
	struct scr_script *s = parse("+0.5 < S 0:0(0) win 8192 <mss 1460>\n");
	char small[8], big[128];
	int n;
	(void)state;
	n = scr_event_format(&s->events[0], big, sizeof big);
	assert_string_equal(big, "+0.5 < S 0:0(0) win 8192 <mss 1460>");
	assert_int_equal(n, (int)strlen(big));
	assert_int_equal(scr_event_format(&s->events[0], small, sizeof small), n);
	assert_string_equal(small, "+0.5 < ");
	assert_int_equal(scr_event_format(&s->events[0], NULL, 0), n);
	assert_int_equal(scr_event_format(NULL, big, sizeof big), SCR_EINVAL);
	scr_script_free(s);
}

static void expr_format(void **state)
{
	struct scr_script *s = parse("0 sendmsg(4, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., "
				     "iov_len=0x10}], msg_flags=MSG_OOB|MSG_DONTWAIT}, 0) = 16\n");
	char buf[160];
	(void)state;
	/* sendmsg is SKIP; reparse it as a known call to get the tree. */
	scr_script_free(s);
	s = parse("0 send(4, {msg_name(...)=..., msg_iov(1)=[{iov_base=..., "
		  "iov_len=0x10}], msg_flags=MSG_OOB|MSG_DONTWAIT}, 0) = 16\n");
	assert_true(scr_expr_format(s->events[0].u.sys.args[1], buf, sizeof buf) > 0);
	assert_string_equal(buf, "{msg_name(...)=..., msg_iov(1)=[{iov_base=..., iov_len=0x10}], "
				 "msg_flags=MSG_OOB|MSG_DONTWAIT}");
	scr_script_free(s);
}

static void skip_and_python_written_back(void **state)
{
	static const char in[] = "+0 `echo hi`\n+0 epoll_wait(5, ..., 1, 0) = 0\n"
				 "+0 < udp (100)\n%{\nassert x\n}%\n";
	struct scr_script *s = parse(in), *again;
	char *gen = write_s(s, SCR_WRITE_REGEN, NULL);
	(void)state;
	assert_string_equal(gen, in);
	again = parse(gen);
	same_script(s, again);
	free(gen);
	scr_script_free(again);
	scr_script_free(s);
}

static void write_bad_args(void **state)
{
	struct scr_script *s = parse("");
	char *out = NULL;
	size_t len = 99;
	(void)state;
	assert_int_equal(scr_write(NULL, 0, &out, NULL), SCR_EINVAL);
	assert_int_equal(scr_write(s, 0, NULL, NULL), SCR_EINVAL);
	assert_int_equal(scr_write(s, 0, &out, &len), 0);
	assert_string_equal(out, "");
	assert_int_equal(len, 0);
	free(out);
	scr_script_free(s);
}

static void header_and_metadata_regen(void **state)
{
	static const char in[] = "// @xfail linux  some  reason \n// @config a=b=c\n"
				 "// @targets ref\n// @profile rfc\n--flag\n--x=1\n";
	struct scr_script *s = parse(in), *again;
	char *gen = write_s(s, SCR_WRITE_REGEN, NULL);
	(void)state;
	assert_string_equal(gen, "--flag\n--x=1\n// @targets ref\n// @xfail linux some  reason\n"
				 "// @profile rfc\n// @config a=b=c\n");
	again = parse(gen);
	same_script(s, again);
	assert_string_equal(scr_script_config(again, "a"), "b=c");
	free(gen);
	scr_script_free(again);
	scr_script_free(s);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(source_round_trip_is_byte_exact),
	cmocka_unit_test(regen_round_trip_same_ast),
	cmocka_unit_test(regen_canonical_text),
	cmocka_unit_test(regen_expands_defines),
	cmocka_unit_test(changed_event_written_from_fields),
	cmocka_unit_test(inserted_events_for_expect),
	cmocka_unit_test(event_format_truncates_like_snprintf),
	cmocka_unit_test(expr_format),
	cmocka_unit_test(skip_and_python_written_back),
	cmocka_unit_test(write_bad_args),
	cmocka_unit_test(header_and_metadata_regen),
};

TC_CMOCKA_MAIN(tests)
