/* Fuzz target: the packet codec (reference/seg.h).
 *
 * Decode arbitrary bytes as an IP packet. What decodes is printed, then
 * encoded again and decoded again; the second decode must succeed and give
 * the same TCP header, options and payload (the codec's round-trip
 * property). Any crash, sanitizer report or broken round trip is a finding. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "reference/seg.h"

/* A finding: stop the way libFuzzer and the replay runner both catch. */
#define FUZZ_CHECK(cond)                                                                   \
	do {                                                                               \
		if (!(cond))                                                               \
			abort();                                                           \
	} while (0)

static void same_tcp(const struct seg *a, const struct seg *b)
{
	FUZZ_CHECK(a->family == b->family);
	FUZZ_CHECK(memcmp(a->src, b->src, sizeof a->src) == 0);
	FUZZ_CHECK(memcmp(a->dst, b->dst, sizeof a->dst) == 0);
	FUZZ_CHECK(a->sport == b->sport && a->dport == b->dport);
	FUZZ_CHECK(a->seq == b->seq && a->ack == b->ack);
	FUZZ_CHECK(a->flags == b->flags && a->reserved == b->reserved);
	FUZZ_CHECK(a->wnd == b->wnd && a->urp == b->urp);
	FUZZ_CHECK(a->opts.len == b->opts.len);
	FUZZ_CHECK(memcmp(a->opts.raw, b->opts.raw, a->opts.len) == 0);
	FUZZ_CHECK(a->opts.present == b->opts.present);
	FUZZ_CHECK(a->len == b->len);
	FUZZ_CHECK(a->len == 0 || memcmp(a->payload, b->payload, a->len) == 0);
	FUZZ_CHECK(b->tcp_csum_ok && b->ip_csum_ok);
}

static void roundtrip_tcp(const struct seg *s, uint8_t *buf, size_t cap)
{
	struct seg_packet again;
	size_t n = 0;
	char text[512];
	seg_format(s, 0, 0, text, sizeof text);
	seg_format(s, s->seq, s->ack, text, sizeof text);
	if (seg_encode(s, buf, cap, &n) != 0)
		return;
	FUZZ_CHECK(seg_decode(buf, n, &again, NULL) == 0);
	FUZZ_CHECK(again.kind == SEG_PKT_TCP);
	same_tcp(s, &again.u.tcp);
}

static void roundtrip_icmp(const struct seg_icmp *m, uint8_t *buf, size_t cap)
{
	struct seg_packet again;
	size_t n = 0;
	char text[512];
	seg_format(&m->quoted, 0, 0, text, sizeof text);
	if (seg_icmp_encode(m, buf, cap, &n) != 0)
		return;
	FUZZ_CHECK(seg_decode(buf, n, &again, NULL) == 0);
	FUZZ_CHECK(again.kind == SEG_PKT_ICMP);
	FUZZ_CHECK(again.u.icmp.type == m->type && again.u.icmp.code == m->code);
	FUZZ_CHECK(again.u.icmp.mtu == m->mtu);
	FUZZ_CHECK(again.u.icmp.quoted.sport == m->quoted.sport);
	FUZZ_CHECK(again.u.icmp.quoted.seq == m->quoted.seq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[SEG_MAX_PACKET];
	struct seg_packet pkt;
	struct seg_err err;
	if (seg_decode(data, size, &pkt, &err) != 0) {
		FUZZ_CHECK(err.code < 0 && err.offset <= size);
		FUZZ_CHECK(seg_strerror(err.code) != NULL);
		return 0;
	}
	if (pkt.kind == SEG_PKT_TCP)
		roundtrip_tcp(&pkt.u.tcp, buf, sizeof buf);
	else
		roundtrip_icmp(&pkt.u.icmp, buf, sizeof buf);
	return 0;
}
