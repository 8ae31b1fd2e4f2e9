/* The agent protocol's codec (agent_proto.h) and link-layer packets
 * (agent_int.h): what agents send is parsed or refused with a reason,
 * requests and replies survive a round trip, ARP and ND packets are right. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "targets/agent/agent_int.h"
#include "targets/agent/agent_proto.h"

static int parse(const char *line, struct agp_msg *m, char *why)
{
	return agp_parse_agent(line, strlen(line), m, why, 256);
}

/* A line that must be refused, with `reason` in the message. */
static void refused(const char *line, const char *reason)
{
	struct agp_msg m;
	char why[256] = "";
	int rc = parse(line, &m, why);
	if (rc != -EPROTO || !strstr(why, reason))
		fail_msg("line %s: rc %d, why \"%s\", wanted \"%s\"", line, rc, why, reason);
	agp_msg_clear(&m);
}

/* ---- agent -> tcpcheck -------------------------------------------------------- */

static void hello_parsed(void **state)
{
	struct agp_msg m;
	char why[256];
	(void)state;
	assert_int_equal(parse("{\"hello\":\"tcpcheck-agent\",\"protocol\":1,\"name\":\"toy\","
			       "\"version\":\"0.1\",\"mac\":\"02:00:00:00:00:0a\","
			       "\"clock\":\"virtual\",\"caps\":[\"state\",\"ipv6\",\"later\"]}\n",
			       &m, why),
			 0);
	assert_int_equal(m.kind, AGP_HELLO);
	assert_string_equal(m.hello.name, "toy");
	assert_int_equal(m.hello.mac[5], 0x0a);
	assert_true(m.hello.virtual_clock);
	assert_int_equal(m.hello.caps, AGP_CAP_STATE | AGP_CAP_IPV6);
	agp_msg_clear(&m);
	/* no caps: IPv4 only; no clock: real */
	assert_int_equal(parse("{\"hello\":\"tcpcheck-agent\",\"protocol\":1,"
			       "\"mac\":\"02:00:00:00:00:0a\"}",
			       &m, why),
			 0);
	assert_int_equal(m.hello.caps, AGP_CAP_IPV4);
	assert_false(m.hello.virtual_clock);
	agp_msg_clear(&m);
}

static void hello_refused(void **state)
{
	(void)state;
	refused("{\"hello\":\"tcpcheck-agent\",\"protocol\":2,\"mac\":\"02:00:00:00:00:0a\"}",
		"protocol version 2");
	refused("{\"hello\":\"tcpcheck-agent\",\"protocol\":1,\"mac\":\"02:00:00:00:00\"}",
		"\"mac\"");
	refused("{\"hello\":\"tcpcheck-agent\",\"protocol\":1}", "\"mac\"");
	refused("{\"hello\":\"someone\",\"protocol\":1}", "tcpcheck-agent");
	refused("{\"hello\":\"tcpcheck-agent\",\"protocol\":1,\"mac\":\"02:00:00:00:00:0a\","
		"\"clock\":\"fast\"}",
		"\"clock\"");
	refused("{\"hello\":\"tcpcheck-agent\",\"protocol\":1,\"mac\":\"02:00:00:00:00:0a\","
		"\"caps\":\"state\"}",
		"\"caps\"");
}

static void reply_parsed(void **state)
{
	struct agp_msg m;
	char why[256];
	(void)state;
	assert_int_equal(parse("{\"id\":7,\"result\":-1,\"errno\":\"ECONNRESET\"}", &m, why), 0);
	assert_int_equal(m.kind, AGP_REPLY);
	assert_int_equal(m.id, 7);
	assert_int_equal(m.ret, -1);
	assert_int_equal(m.err, ECONNRESET);
	agp_msg_clear(&m);
	assert_int_equal(parse("{\"id\":8,\"result\":3,\"data\":\"414243\",\"revents\":"
			       "[\"POLLIN|POLLOUT\",\"\"],\"now_us\":5,\"next_us\":null,"
			       "\"frames\":2,\"sent_us\":[1,4]}",
			       &m, why),
			 0);
	assert_int_equal(m.data_len, 3);
	assert_memory_equal(m.data, "ABC", 3);
	assert_int_equal(m.nrevents, 2);
	assert_int_equal(m.revents[0], TGT_POLLIN | TGT_POLLOUT);
	assert_true(m.has_clock);
	assert_int_equal(m.next_us, UINT64_MAX);
	assert_int_equal(m.frames, 2);
	assert_int_equal(m.nsent, 2);
	assert_int_equal(m.sent_us[1], 4);
	agp_msg_clear(&m);
	assert_int_equal(parse("{\"id\":9,\"pending\":true}", &m, why), 0);
	assert_int_equal(m.kind, AGP_PENDING);
	assert_int_equal(parse("{\"id\":9,\"unsupported\":\"SO_RCVBUF\"}", &m, why), 0);
	assert_string_equal(m.unsupported, "SO_RCVBUF");
	assert_int_equal(parse("{\"event\":\"accepted\",\"fd\":3}", &m, why), 0);
	assert_int_equal(m.kind, AGP_EVENT);
	assert_string_equal(m.event, "accepted");
	assert_int_equal(m.fd, 3);
}

static void garbage_refused(void **state)
{
	char big[300];
	(void)state;
	refused("not json", "not JSON");
	refused("[1,2]", "not a JSON object");
	refused("{}", "neither a hello");
	refused("{\"id\":0,\"result\":0}", "positive");
	refused("{\"id\":1.5,\"result\":0}", "integer");
	refused("{\"id\":1}", "needs \"result\"");
	refused("{\"id\":1,\"result\":-1}", "errno");
	refused("{\"id\":1,\"result\":-1,\"errno\":\"EBOGUS\"}", "unknown");
	refused("{\"id\":1,\"result\":-5,\"errno\":\"EIO\"}", "-1 on errors");
	refused("{\"id\":1,\"result\":0,\"data\":\"abc\"}", "odd");
	refused("{\"id\":1,\"result\":0,\"data\":\"zz\"}", "hexadecimal");
	refused("{\"id\":1,\"result\":0,\"sent_us\":[-1]}", "sent_us");
	refused("{\"id\":1,\"result\":0,\"now_us\":\"soon\"}", "now_us");
	refused("{\"id\":1,\"pending\":\"yes\"}", "pending");
	refused("{\"event\":\"\"}", "name the event");
	memset(big, 'a', sizeof big);
	big[0] = '{';
	big[sizeof big - 1] = '\0';
	refused(big, "not JSON");
	{
		struct agp_msg m;
		char why[256];
		assert_int_equal(agp_parse_agent("{\"id\":1,\0\"x\"}", 13, &m, why, sizeof why),
				 -EPROTO);
		assert_non_null(strstr(why, "NUL"));
	}
}

/* ---- tcpcheck -> agent, and back ---------------------------------------------------- */

static void call_round_trip(void **state)
{
	struct tgt_pollfd pfds[2] = {{4, TGT_POLLIN, 0}, {5, TGT_POLLOUT | TGT_POLLRDHUP, 0}};
	struct agp_req r, back;
	char why[256], *line;
	(void)state;
	memset(&r, 0, sizeof r);
	r.id = 12;
	r.op = AGP_OP_CALL;
	r.call.verb = TGT_SEND;
	r.call.fd = 4;
	r.call.data = (const uint8_t *)"hi\n";
	r.call.len = 3;
	r.call.flags = "MSG_DONTWAIT";
	r.has_frames = true;
	r.frames = 9;
	line = agp_encode_req(&r);
	assert_non_null(line);
	assert_int_equal(line[strlen(line) - 1], '\n');
	assert_int_equal(agp_parse_req(line, strlen(line), &back, why, sizeof why), 0);
	free(line);
	assert_int_equal(back.id, 12);
	assert_int_equal(back.call.verb, TGT_SEND);
	assert_int_equal(back.call.len, 3);
	assert_memory_equal(back.call.data, "hi\n", 3);
	assert_string_equal(back.call.flags, "MSG_DONTWAIT");
	assert_int_equal(back.frames, 9);
	agp_req_clear(&back);
	/* poll */
	memset(&r, 0, sizeof r);
	r.id = 13;
	r.call.verb = TGT_POLL;
	r.call.pfds = pfds;
	r.call.npfds = 2;
	r.call.timeout_ms = 100;
	line = agp_encode_req(&r);
	assert_int_equal(agp_parse_req(line, strlen(line), &back, why, sizeof why), 0);
	free(line);
	assert_int_equal(back.call.npfds, 2);
	assert_int_equal(back.call.pfds[1].fd, 5);
	assert_int_equal(back.call.pfds[1].events, TGT_POLLOUT | TGT_POLLRDHUP);
	assert_int_equal(back.call.timeout_ms, 100);
	agp_req_clear(&back);
	/* socket */
	memset(&r, 0, sizeof r);
	r.id = 14;
	r.call.verb = TGT_SOCKET;
	r.call.domain = AF_INET6;
	r.call.type = SOCK_STREAM | SOCK_NONBLOCK;
	r.call.protocol = 6;
	line = agp_encode_req(&r);
	assert_int_equal(agp_parse_req(line, strlen(line), &back, why, sizeof why), 0);
	free(line);
	assert_int_equal(back.call.domain, AF_INET6);
	assert_int_equal(back.call.type, SOCK_STREAM | SOCK_NONBLOCK);
	agp_req_clear(&back);
}

static void open_round_trip(void **state)
{
	static const struct tgt_setting cfg[] = {{"mss", "1000"}, {"sack", "off"}};
	struct agp_req r, back;
	char why[256], *line;
	(void)state;
	memset(&r, 0, sizeof r);
	r.id = 1;
	r.op = AGP_OP_OPEN;
	r.open.family = 6;
	r.open.local[0] = 0x20;
	r.open.local[15] = 1;
	r.open.remote[0] = 0x20;
	r.open.remote[15] = 2;
	r.open.peer_mac[0] = 0xaa;
	r.open.seed = 18446744073709551615ull;
	r.open.config = cfg;
	r.open.nconfig = 2;
	line = agp_encode_req(&r);
	assert_int_equal(agp_parse_req(line, strlen(line), &back, why, sizeof why), 0);
	free(line);
	assert_int_equal(back.op, AGP_OP_OPEN);
	assert_memory_equal(back.open.local, r.open.local, 16);
	assert_memory_equal(back.open.remote, r.open.remote, 16);
	assert_int_equal(back.open.peer_mac[0], 0xaa);
	assert_true(back.open.seed == r.open.seed);
	assert_int_equal(back.open.nconfig, 2);
	assert_string_equal(back.open.config[1].key, "sack");
	assert_string_equal(back.open.config[1].value, "off");
	agp_req_clear(&back);
}

static void bad_requests_refused(void **state)
{
	static const char *const bad[] = {
		"{\"id\":1,\"verb\":\"dance\"}",
		"{\"id\":1,\"verb\":\"bind\",\"args\":{\"fd\":3,\"port\":70000}}",
		"{\"id\":1,\"verb\":\"accept\",\"args\":{}}",
		"{\"id\":1,\"verb\":\"shutdown\",\"args\":{\"fd\":3,\"how\":\"SHUT_UP\"}}",
		"{\"id\":1,\"verb\":\"open\",\"args\":{\"family\":5}}",
		"{\"id\":1,\"verb\":\"open\",\"args\":{\"family\":4,\"local\":\"1.2.3\"}}",
		"{\"verb\":\"sync\"}",
		"{\"id\":1,\"verb\":\"poll\",\"args\":{\"fds\":3}}",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct agp_req r;
		char why[256] = "";
		assert_int_equal(agp_parse_req(bad[i], strlen(bad[i]), &r, why, sizeof why),
				 -EPROTO);
		assert_true(why[0] != '\0');
		agp_req_clear(&r);
	}
}

static void reply_round_trip(void **state)
{
	uint64_t sent[2] = {250000, 500000};
	uint8_t data[2] = {0, 255};
	struct agp_msg m, back;
	char why[256], *line;
	(void)state;
	memset(&m, 0, sizeof m);
	m.id = 5;
	m.ret = -1;
	m.err = EAGAIN;
	m.data = data;
	m.data_len = 2;
	m.has_clock = true;
	m.now_us = 500000;
	m.next_us = UINT64_MAX;
	m.has_frames = true;
	m.frames = 2;
	m.sent_us = sent;
	m.nsent = 2;
	line = agp_encode_reply(&m);
	assert_int_equal(parse(line, &back, why), 0);
	free(line);
	assert_int_equal(back.err, EAGAIN);
	assert_int_equal(back.data_len, 2);
	assert_int_equal(back.data[1], 255);
	assert_int_equal(back.now_us, 500000);
	assert_int_equal(back.next_us, UINT64_MAX);
	assert_int_equal(back.sent_us[1], 500000);
	agp_msg_clear(&back);
	line = agp_encode_event("error", 4, ECONNRESET);
	assert_int_equal(parse(line, &back, why), 0);
	free(line);
	assert_int_equal(back.err, ECONNRESET);
	agp_msg_clear(&back);
}

static void errno_names(void **state)
{
	(void)state;
	assert_string_equal(agp_errno_name(ECONNREFUSED), "ECONNREFUSED");
	assert_int_equal(agp_errno_value("ETIMEDOUT"), ETIMEDOUT);
	assert_int_equal(agp_errno_value("EWOULDBLOCK"), EAGAIN);
	assert_int_equal(agp_errno_value("ENOTHING"), 0);
	assert_string_equal(agp_errno_name(-3), "E?");
}

/* ---- ARP and neighbour discovery ------------------------------------------------------ */

static void arp_packets(void **state)
{
	uint8_t pkt[AG_ARP_LEN], sha[6], spa[4], tpa[4];
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1}, zero[6], a[4] = {192, 0, 2, 1},
			     b[4] = {192, 0, 2, 2};
	int op;
	(void)state;
	ag_arp_build(pkt, 1, mac, a, zero, b);
	assert_int_equal(ag_arp_parse(pkt, sizeof pkt, &op, sha, spa, tpa), 0);
	assert_int_equal(op, 1);
	assert_memory_equal(sha, mac, 6);
	assert_memory_equal(tpa, b, 4);
	assert_int_equal(ag_arp_parse(pkt, 20, &op, sha, spa, tpa), -EINVAL);
	pkt[7] = 9;
	assert_int_equal(ag_arp_parse(pkt, sizeof pkt, &op, sha, spa, tpa), -EINVAL);
}

static void nd_packets(void **state)
{
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	uint8_t a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, b[16] = {0x20, 0x01, 0x0d, 0xb8,
								      [15] = 2};
	uint8_t pkt[AG_ND_LEN], src[16], target[16], got[6], group[16], gmac[6];
	(void)state;
	ag_nd_build(pkt, 135, a, NULL, b, mac);
	assert_true(ag_is_nd(pkt, sizeof pkt));
	assert_int_equal(ag_nd_parse(pkt, sizeof pkt, src, target, got), 135);
	assert_memory_equal(src, a, 16);
	assert_memory_equal(target, b, 16);
	assert_memory_equal(got, mac, 6);
	ag_solicited_node(b, group, gmac);
	assert_memory_equal(pkt + 24, group, 16);
	assert_int_equal(gmac[0], 0x33);
	assert_int_equal(gmac[5], 2);
	ag_nd_build(pkt, 136, b, a, b, mac);
	assert_int_equal(ag_nd_parse(pkt, sizeof pkt, src, target, got), 136);
	assert_memory_equal(pkt + 24, a, 16);
	pkt[60] ^= 1; /* the checksum no longer holds */
	assert_int_equal(ag_nd_parse(pkt, sizeof pkt, src, target, got), -EINVAL);
}

/* ---- the agent's output ----------------------------------------------------------------- */

static void last_lines(void **state)
{
	struct ag_proc p;
	char buf[128];
	(void)state;
	memset(&p, 0, sizeof p);
	strcpy(p.tail, "one\ntwo\nthree\n");
	p.tail_len = strlen(p.tail);
	ag_proc_last_lines(&p, 2, buf, sizeof buf);
	assert_string_equal(buf, "two | three");
	ag_proc_last_lines(&p, 9, buf, sizeof buf);
	assert_string_equal(buf, "one | two | three");
	p.tail_len = 0;
	ag_proc_last_lines(&p, 2, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(hello_parsed),	      cmocka_unit_test(hello_refused),
	cmocka_unit_test(reply_parsed),	      cmocka_unit_test(garbage_refused),
	cmocka_unit_test(call_round_trip),    cmocka_unit_test(open_round_trip),
	cmocka_unit_test(bad_requests_refused), cmocka_unit_test(reply_round_trip),
	cmocka_unit_test(errno_names),	      cmocka_unit_test(arp_packets),
	cmocka_unit_test(nd_packets),	      cmocka_unit_test(last_lines),
};

#include "cmake/cmocka_main.h"
TC_CMOCKA_MAIN(tests)
