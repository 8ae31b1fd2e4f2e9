/* Helpers shared by the codec's test programs (test_codec*.c): segment
 * fixtures, a field-by-field comparison, round trips, and an independent
 * checksum (a plain 16-bit big-endian RFC 1071 loop, written apart from
 * reference/seg_csum.c so each checks the other).
 *
 * Include after <cmocka.h>. Everything is static inline so that a program
 * which does not use a helper does not warn. */
#ifndef TCPCHECK_CODEC_UTIL_H
#define TCPCHECK_CODEC_UTIL_H

#include <stdint.h>
#include <string.h>

#include "reference/seg.h"

#define CU_BUF 70000

static const uint8_t cu_v4a[4] = {192, 0, 2, 1};
static const uint8_t cu_v4b[4] = {192, 0, 2, 2};
static const uint8_t cu_v6a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t cu_v6b[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};

/* A segment of `family` with documentation addresses, ports, numbers. */
static inline void cu_seg(struct seg *s, enum seg_family family)
{
	seg_init(s, family);
	memcpy(s->src, family == SEG_IPV4 ? cu_v4a : cu_v6a, family == SEG_IPV4 ? 4 : 16);
	memcpy(s->dst, family == SEG_IPV4 ? cu_v4b : cu_v6b, family == SEG_IPV4 ? 4 : 16);
	s->sport = 40000;
	s->dport = 80;
	s->seq = 0x01020304u;
	s->ack = 0xa0b0c0d0u;
	s->flags = SEG_ACK;
	s->wnd = 65535;
}

/* The independent checksum: ones'-complement sum of big-endian 16-bit
 * words over the concatenation of up to three parts (each part but the
 * last of even length). Returns the folded, complemented value. */
static inline uint16_t cu_csum3(const uint8_t *a, size_t na, const uint8_t *b, size_t nb,
				const uint8_t *c, size_t nc)
{
	const uint8_t *parts[3] = {a, b, c};
	size_t lens[3] = {na, nb, nc}, i, k;
	uint32_t sum = 0;
	for (k = 0; k < 3; k++) {
		for (i = 0; i + 1 < lens[k]; i += 2)
			sum += (uint32_t)(parts[k][i] << 8 | parts[k][i + 1]);
		if (lens[k] % 2)
			sum += (uint32_t)(parts[k][lens[k] - 1] << 8);
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The TCP / ICMPv6 checksum of an upper layer with its pseudo-header,
 * computed by cu_csum3: 0 when the packet is right. */
static inline uint16_t cu_l4_csum(uint8_t family, const uint8_t *src, const uint8_t *dst,
				  uint8_t proto, const uint8_t *l4, size_t n)
{
	uint8_t ph[40] = {0};
	size_t alen = family == SEG_IPV6 ? 16 : 4;
	memcpy(ph, src, alen);
	memcpy(ph + alen, dst, alen);
	if (family == SEG_IPV6) {
		ph[32] = (uint8_t)(n >> 24);
		ph[33] = (uint8_t)(n >> 16);
		ph[34] = (uint8_t)(n >> 8);
		ph[35] = (uint8_t)n;
		ph[39] = proto;
		return cu_csum3(ph, 40, l4, n, NULL, 0);
	}
	ph[9] = proto;
	ph[10] = (uint8_t)(n >> 8);
	ph[11] = (uint8_t)n;
	return cu_csum3(ph, 12, l4, n, NULL, 0);
}

/* Where the TCP header starts in an encoded TCP packet. */
static inline size_t cu_tcp_off(const uint8_t *p)
{
	size_t off;
	uint8_t nh;
	if (p[0] >> 4 == 4)
		return (size_t)(p[0] & 0x0f) * 4;
	off = 40;
	nh = p[6];
	while (nh != 6) {
		nh = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
	}
	return off;
}

/* Check an encoded TCP packet's checksums with the independent code. */
static inline void cu_check_csums(const uint8_t *p, size_t n)
{
	size_t t = cu_tcp_off(p);
	if (p[0] >> 4 == 4) {
		assert_int_equal(cu_csum3(p, t, NULL, 0, NULL, 0), 0);
		assert_int_equal(cu_l4_csum(4, p + 12, p + 16, 6, p + t, n - t), 0);
	} else {
		assert_int_equal(cu_l4_csum(6, p + 8, p + 24, 6, p + t, n - t), 0);
	}
}

/* Options as the decoder will see them: padded with EOL to 4. */
static inline struct seg_opts cu_padded(const struct seg_opts *o)
{
	struct seg_opts p = *o;
	seg_opts_pad(&p);
	return p;
}

static inline void cu_same_opts(const struct seg_opts *want, const struct seg_opts *got)
{
	unsigned i;
	assert_int_equal(want->len, got->len);
	assert_memory_equal(want->raw, got->raw, want->len);
	assert_int_equal(want->present, got->present);
	if (want->present & SEG_HAS_MSS)
		assert_int_equal(want->mss, got->mss);
	if (want->present & SEG_HAS_WSCALE)
		assert_int_equal(want->wscale, got->wscale);
	if (want->present & SEG_HAS_TS) {
		assert_int_equal(want->ts_val, got->ts_val);
		assert_int_equal(want->ts_ecr, got->ts_ecr);
	}
	if (want->present & SEG_HAS_SACK) {
		assert_int_equal(want->sack_count, got->sack_count);
		for (i = 0; i < want->sack_count; i++) {
			assert_int_equal(want->sack[i].left, got->sack[i].left);
			assert_int_equal(want->sack[i].right, got->sack[i].right);
		}
	}
}

static inline void cu_same_ip(const struct seg *a, const struct seg *b)
{
	size_t alen = a->family == SEG_IPV6 ? 16 : 4;
	assert_int_equal(a->family, b->family);
	assert_memory_equal(a->src, b->src, alen);
	assert_memory_equal(a->dst, b->dst, alen);
	assert_int_equal(a->tos, b->tos);
	assert_int_equal(a->ttl ? a->ttl : 64, b->ttl);
	if (a->family == SEG_IPV4) {
		uint8_t pad[SEG_IP4_OPT_MAX] = {0};
		assert_int_equal(a->ip_id, b->ip_id);
		assert_int_equal(a->df, b->df);
		assert_int_equal((a->ip_opts_len + 3) & ~3, b->ip_opts_len);
		memcpy(pad, a->ip_opts, a->ip_opts_len);
		assert_memory_equal(pad, b->ip_opts, b->ip_opts_len);
	} else {
		assert_int_equal(a->flow_label, b->flow_label);
		assert_int_equal(a->ip6_ext_len, b->ip6_ext_len);
		assert_memory_equal(a->ip6_ext, b->ip6_ext, a->ip6_ext_len);
		if (a->ip6_ext_len)
			assert_int_equal(a->ip6_ext_first, b->ip6_ext_first);
	}
}

/* Every field of `a` (as built) against `b` (as decoded). */
static inline void cu_same_seg(const struct seg *a, const struct seg *b)
{
	struct seg_opts want = cu_padded(&a->opts);
	cu_same_ip(a, b);
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->seq, b->seq);
	assert_int_equal(a->ack, b->ack);
	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->reserved, b->reserved);
	assert_int_equal(a->wnd, b->wnd);
	assert_int_equal(a->urp, b->urp);
	cu_same_opts(&want, &b->opts);
	assert_int_equal(a->len, b->len);
	if (a->len)
		assert_memory_equal(a->payload, b->payload, a->len);
}

/* Encode `s`, check the checksums independently, decode into `out` and
 * compare every field. Returns the encoded length; the bytes stay in buf. */
static inline size_t cu_roundtrip(const struct seg *s, uint8_t *buf, struct seg_packet *out)
{
	size_t n = 0;
	struct seg_err err;
	assert_int_equal(seg_encode(s, buf, CU_BUF, &n), 0);
	cu_check_csums(buf, n);
	assert_int_equal(seg_decode(buf, n, out, &err), 0);
	assert_int_equal(out->kind, SEG_PKT_TCP);
	cu_same_seg(s, &out->u.tcp);
	assert_true(out->u.tcp.tcp_csum_ok);
	assert_true(out->u.tcp.ip_csum_ok);
	return n;
}

/* Decode and expect the error `code` at `offset`, with a message. */
static inline void cu_expect_err(const uint8_t *p, size_t n, int code, size_t offset)
{
	struct seg_packet pkt;
	struct seg_err err;
	memset(&err, 0, sizeof err);
	assert_int_equal(seg_decode(p, n, &pkt, &err), code);
	assert_int_equal(err.code, code);
	assert_int_equal(err.offset, offset);
	assert_true(err.msg[0] != '\0');
	assert_true(err.offset <= n);
}

/* Rewrite the IPv4 header checksum after a test edited the header. */
static inline void cu_fix_ip4_csum(uint8_t *p)
{
	uint16_t c;
	size_t ihl = (size_t)(p[0] & 0x0f) * 4;
	p[10] = p[11] = 0;
	c = cu_csum3(p, ihl, NULL, 0, NULL, 0);
	p[10] = (uint8_t)(c >> 8);
	p[11] = (uint8_t)c;
}

#endif
