/* Fuzz target: the agent control protocol's parsers (targets/agent/
 * agent_proto.h) — what an agent sends to tcpcheck, and what an agent
 * reads from it (DESIGN.md §6: the harness's own inputs).
 *
 * The input is split into lines; each line is parsed both as an agent's
 * message and as a request. What parses is encoded again and parsed again:
 * that must succeed and keep the fields that matter (the codec's round
 * trip). Any crash, sanitizer report, leak or broken round trip is a
 * finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "targets/agent/agent_proto.h"

#define FUZZ_CHECK(cond)          \
	do {                      \
		if (!(cond))      \
			abort();  \
	} while (0)

static void agent_line(const char *line, size_t len)
{
	struct agp_msg m, back;
	char why[256], *again;
	if (agp_parse_agent(line, len, &m, why, sizeof why) != 0) {
		FUZZ_CHECK(why[0] != '\0'); /* a refusal says why */
		agp_msg_clear(&m);
		return;
	}
	if (m.kind == AGP_REPLY) {
		again = agp_encode_reply(&m);
		FUZZ_CHECK(again);
		FUZZ_CHECK(agp_parse_agent(again, strlen(again), &back, why, sizeof why) == 0);
		FUZZ_CHECK(back.kind == AGP_REPLY && back.id == m.id);
		FUZZ_CHECK(back.data_len == m.data_len);
		FUZZ_CHECK(m.data_len == 0 || memcmp(back.data, m.data, m.data_len) == 0);
		FUZZ_CHECK(!strcmp(back.unsupported, m.unsupported));
		if (!m.unsupported[0] && !m.failure[0])
			FUZZ_CHECK(back.ret == m.ret && back.err == m.err);
		agp_msg_clear(&back);
		free(again);
	} else if (m.kind == AGP_HELLO) {
		again = agp_encode_hello(&m.hello);
		FUZZ_CHECK(again);
		FUZZ_CHECK(agp_parse_agent(again, strlen(again), &back, why, sizeof why) == 0);
		FUZZ_CHECK(back.kind == AGP_HELLO);
		FUZZ_CHECK(memcmp(back.hello.mac, m.hello.mac, 6) == 0);
		FUZZ_CHECK(back.hello.caps == m.hello.caps);
		FUZZ_CHECK(back.hello.virtual_clock == m.hello.virtual_clock);
		agp_msg_clear(&back);
		free(again);
	}
	agp_msg_clear(&m);
}

static void request_line(const char *line, size_t len)
{
	struct agp_req r, back;
	char why[256], *again;
	if (agp_parse_req(line, len, &r, why, sizeof why) != 0) {
		FUZZ_CHECK(why[0] != '\0');
		agp_req_clear(&r);
		return;
	}
	again = agp_encode_req(&r);
	FUZZ_CHECK(again);
	FUZZ_CHECK(agp_parse_req(again, strlen(again), &back, why, sizeof why) == 0);
	FUZZ_CHECK(back.id == r.id && back.op == r.op);
	FUZZ_CHECK(back.op != AGP_OP_CALL || back.call.verb == r.call.verb);
	FUZZ_CHECK(back.call.len == r.call.len);
	FUZZ_CHECK(back.open.nconfig == r.open.nconfig);
	agp_req_clear(&back);
	agp_req_clear(&r);
	free(again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	size_t start = 0, i;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	for (i = 0; i <= size; i++) {
		if (i < size && text[i] != '\n')
			continue;
		text[i] = '\0';
		agent_line(text + start, i - start);
		request_line(text + start, i - start);
		start = i + 1;
	}
	free(text);
	return 0;
}
