/* Unit tests of the codec's ICMP (RFC 792, RFC 1191) and ICMPv6 (RFC 4443)
 * errors quoting TCP: every kind for both families, the MTU and pointer
 * fields, quotes of every length, checksums, and malformed messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "codec_util.h"

static uint8_t buf[CU_BUF];
static const uint8_t data[1200] = {'q', 'u', 'o', 't', 'e'};

/* The segment the errors are about: data with timestamps. */
static void quoted(struct seg *q, enum seg_family fam, size_t len)
{
	cu_seg(q, fam);
	q->flags = SEG_ACK | SEG_PSH;
	seg_opts_add_nop(&q->opts);
	seg_opts_add_nop(&q->opts);
	seg_opts_add_ts(&q->opts, 1000, 2000);
	q->payload = data;
	q->len = len;
}

/* Check an encoded ICMP packet's checksums with the independent code. */
static void check_icmp_csums(const uint8_t *p, size_t n)
{
	if (p[0] >> 4 == 4) {
		size_t ihl = (size_t)(p[0] & 0x0f) * 4;
		assert_int_equal(cu_csum3(p, ihl, NULL, 0, NULL, 0), 0);
		assert_int_equal(cu_csum3(p + ihl, n - ihl, NULL, 0, NULL, 0), 0);
	} else {
		assert_int_equal(cu_l4_csum(6, p + 8, p + 24, 58, p + 40, n - 40), 0);
	}
}

/* Encode `m`, check it independently, decode it and compare the fields. */
static size_t icmp_roundtrip(const struct seg_icmp *m, struct seg_packet *out)
{
	size_t n = 0, alen = m->family == SEG_IPV6 ? 16 : 4;
	struct seg_icmp *d = &out->u.icmp;
	assert_int_equal(seg_icmp_encode(m, buf, sizeof buf, &n), 0);
	check_icmp_csums(buf, n);
	assert_int_equal(seg_decode(buf, n, out, NULL), 0);
	assert_int_equal(out->kind, SEG_PKT_ICMP);
	assert_int_equal(d->family, m->family);
	assert_memory_equal(d->src, m->src, alen);
	assert_memory_equal(d->dst, m->dst, alen);
	assert_int_equal(d->type, m->type);
	assert_int_equal(d->code, m->code);
	assert_int_equal(d->kind, m->kind);
	assert_int_equal(d->mtu, m->mtu);
	assert_int_equal(d->pointer, m->pointer);
	assert_true(d->icmp_csum_ok);
	assert_true(d->ip_csum_ok);
	assert_int_equal(d->quoted.sport, m->quoted.sport);
	assert_int_equal(d->quoted.dport, m->quoted.dport);
	assert_int_equal(d->quoted.seq, m->quoted.seq);
	return n;
}

/* ---- every kind, both families ------------------------------------------------ */

static void icmp4_port_unreachable(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 100);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(m.type, 3);
	assert_int_equal(m.code, 3);
	assert_memory_equal(m.src, q.dst, 4); /* sent back towards the source */
	assert_memory_equal(m.dst, q.src, 4);
	n = icmp_roundtrip(&m, &pkt);
	assert_int_equal(n, 20 + 8 + 20 + 32 + 100);
	assert_int_equal(buf[9], 1);
	assert_true(pkt.u.icmp.quote_full);
	assert_int_equal(pkt.u.icmp.quote_len, 152);
	cu_same_seg(&q, &pkt.u.icmp.quoted);
	assert_true(pkt.u.icmp.quoted.tcp_csum_ok); /* the whole segment was quoted */
}

static void icmp4_unreachable_every_code(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	uint8_t code;
	(void)state;
	quoted(&q, SEG_IPV4, 0);
	for (code = 0; code < 16; code++) {
		if (code == 4)
			continue; /* fragmentation needed: its own kind */
		seg_icmp_init(&m, SEG_ICMP_UNREACH, code, 0, &q);
		icmp_roundtrip(&m, &pkt);
		assert_int_equal(pkt.u.icmp.kind, SEG_ICMP_UNREACH);
	}
}

static void icmp4_frag_needed_mtu(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV4, 1000);
	q.df = true;
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 99, 1200, &q);
	assert_int_equal(m.type, 3);
	assert_int_equal(m.code, 4);
	assert_int_equal(m.mtu, 1200);
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(buf[24] << 8 | buf[25], 0);	/* unused */
	assert_int_equal(buf[26] << 8 | buf[27], 1200); /* RFC 1191 §4 */
	assert_int_equal(pkt.u.icmp.mtu, 1200);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 0, &q); /* pre-RFC 1191 router */
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(pkt.u.icmp.kind, SEG_ICMP_FRAG_NEEDED);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 65535, &q);
	icmp_roundtrip(&m, &pkt);
}

static void icmp4_time_exceeded(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	uint8_t code;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	for (code = 0; code < 2; code++) {
		seg_icmp_init(&m, SEG_ICMP_TIME_EXCEEDED, code, 0, &q);
		assert_int_equal(m.type, 11);
		icmp_roundtrip(&m, &pkt);
	}
}

static void icmp4_parameter_problem_pointer(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_PARAM_PROBLEM, 0, 0, &q);
	assert_int_equal(m.type, 12);
	m.pointer = 33; /* the TCP flags byte */
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(buf[24], 33);
	m.pointer = 256;
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &(size_t){0}), SEG_EINVAL);
}

static void icmp4_source_quench(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_SOURCE_QUENCH, 7, 0, &q);
	assert_int_equal(m.type, 4);
	assert_int_equal(m.code, 0);
	icmp_roundtrip(&m, &pkt);
}

static void icmp6_unreachable_every_code(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	uint8_t code;
	(void)state;
	quoted(&q, SEG_IPV6, 50);
	for (code = 0; code <= 6; code++) {
		seg_icmp_init(&m, SEG_ICMP_UNREACH, code, 0, &q);
		assert_int_equal(m.type, 1);
		assert_int_equal(m.code, code); /* ICMPv6's own numbers (port = 4) */
		icmp_roundtrip(&m, &pkt);
	}
	assert_int_equal(buf[6], 58);
	cu_same_seg(&q, &pkt.u.icmp.quoted);
}

static void icmp6_packet_too_big_mtu(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV6, 1200);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 5, 1280, &q);
	assert_int_equal(m.type, 2);
	assert_int_equal(m.code, 0);
	icmp_roundtrip(&m, &pkt);
	assert_memory_equal(buf + 44, "\x00\x00\x05\x00", 4);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 0x12345678u, &q); /* 32 bits */
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(pkt.u.icmp.mtu, 0x12345678u);
}

static void icmp6_time_exceeded(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV6, 0);
	seg_icmp_init(&m, SEG_ICMP_TIME_EXCEEDED, 1, 0, &q);
	assert_int_equal(m.type, 3);
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(pkt.u.icmp.code, 1);
}

static void icmp6_parameter_problem_pointer(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV6, 0);
	seg_icmp_init(&m, SEG_ICMP_PARAM_PROBLEM, 1, 0, &q);
	assert_int_equal(m.type, 4);
	m.pointer = 0x01020304u;
	icmp_roundtrip(&m, &pkt);
	assert_memory_equal(buf + 44, "\x01\x02\x03\x04", 4);
}

static void icmp6_has_no_source_quench(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n = 99;
	(void)state;
	quoted(&q, SEG_IPV6, 0);
	seg_icmp_init(&m, SEG_ICMP_SOURCE_QUENCH, 0, 0, &q);
	assert_int_equal(m.type, 0);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), SEG_EINVAL);
	assert_int_equal(n, 99);
}

/* ---- quotes ----------------------------------------------------------------------- */

static void icmp_quote_cut_to_576(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 1000);
	seg_icmp_init(&m, SEG_ICMP_TIME_EXCEEDED, 0, 0, &q);
	n = icmp_roundtrip(&m, &pkt);
	assert_int_equal(n, 20 + 8 + SEG_ICMP_QUOTE_MAX);
	assert_int_equal(pkt.u.icmp.quote_len, SEG_ICMP_QUOTE_MAX);
	assert_true(pkt.u.icmp.quote_full);
	assert_int_equal(pkt.u.icmp.quoted.len, SEG_ICMP_QUOTE_MAX - 52);
	assert_memory_equal(pkt.u.icmp.quoted.payload, data, SEG_ICMP_QUOTE_MAX - 52);
	assert_false(pkt.u.icmp.quoted.tcp_csum_ok); /* cut: cannot be checked */
	/* The quoted IP length still names the whole packet. */
	assert_int_equal(buf[30] << 8 | buf[31], 20 + 32 + 1000);
}

static void icmp_quote_of_header_and_8_bytes(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	enum seg_family fam;
	(void)state;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		size_t ihl = fam == SEG_IPV4 ? 20 : 40;
		quoted(&q, fam, 100);
		seg_icmp_init(&m, SEG_ICMP_UNREACH, 1, 0, &q);
		m.quote_len = ihl + 8; /* RFC 792's minimum */
		assert_int_equal(icmp_roundtrip(&m, &pkt), ihl + 8 + ihl + 8);
		assert_false(pkt.u.icmp.quote_full);
		assert_int_equal(pkt.u.icmp.quote_len, ihl + 8);
		m.quote_len = ihl + 19; /* still short of a whole TCP header */
		icmp_roundtrip(&m, &pkt);
		assert_false(pkt.u.icmp.quote_full);
		m.quote_len = ihl + 31; /* the fixed header, options cut */
		icmp_roundtrip(&m, &pkt);
		assert_false(pkt.u.icmp.quote_full);
		assert_int_equal(pkt.u.icmp.quoted.flags, SEG_ACK | SEG_PSH);
		assert_int_equal(pkt.u.icmp.quoted.ack, q.ack);
		m.quote_len = ihl + 32; /* options whole, no data */
		icmp_roundtrip(&m, &pkt);
		assert_true(pkt.u.icmp.quote_full);
		assert_int_equal(pkt.u.icmp.quoted.opts.ts_val, 1000);
		assert_int_equal(pkt.u.icmp.quoted.len, 0);
	}
}

static void icmp6_quote_with_extension_headers(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV6, 20);
	seg_ip6_ext_add(&q, 0, NULL, 0);
	seg_ip6_ext_add(&q, 60, (const uint8_t *)"\x1e\x04\x01\x02\x03\x04", 6);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 1280, &q);
	icmp_roundtrip(&m, &pkt);
	assert_true(pkt.u.icmp.quote_full);
	cu_same_seg(&q, &pkt.u.icmp.quoted);
	m.quote_len = 40 + 16 + 8;
	icmp_roundtrip(&m, &pkt);
	assert_false(pkt.u.icmp.quote_full);
	m.quote_len = 40 + 10; /* cut inside the chain */
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &(size_t){0}), 0);
	cu_expect_err(buf, 40 + 8 + 50, SEG_ETRUNC, 48 + 49);
}

static void icmp_quote_too_short(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 100);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	m.quote_len = 27; /* 7 bytes of TCP: no sequence number */
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	cu_expect_err(buf, n, SEG_ETRUNC, 48);
	m.quote_len = 10; /* not even the IP header */
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	cu_expect_err(buf, n, SEG_ETRUNC, 28);
	quoted(&q, SEG_IPV6, 100);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	m.quote_len = 40 + 4;
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	cu_expect_err(buf, n, SEG_ETRUNC, 48 + 40);
}

static void icmp_without_quote(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[3] = 28; /* total length: the ICMP header alone */
	cu_fix_ip4_csum(buf);
	cu_expect_err(buf, 28, SEG_ETRUNC, 28);
}

static void icmp_quoted_tcp_checksum_checked(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV6, 30);
	q.wire.tcp_csum_set = true;
	q.wire.tcp_csum = 0xbad0;
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	icmp_roundtrip(&m, &pkt);
	assert_true(pkt.u.icmp.quote_full);
	assert_false(pkt.u.icmp.quoted.tcp_csum_ok);
	assert_int_equal(pkt.u.icmp.quoted.tcp_csum, 0xbad0);
	assert_true(pkt.u.icmp.icmp_csum_ok); /* the ICMP checksum is fine */
}

/* ---- the outer header and checksums ---------------------------------------------- */

static void icmp_outer_header_fields(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	(void)state;
	quoted(&q, SEG_IPV4, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 1, 0, &q);
	assert_int_equal(m.ttl, 64);
	m.tos = 0xc0;
	m.ttl = 0; /* 0 means 64 */
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(pkt.u.icmp.tos, 0xc0);
	assert_int_equal(pkt.u.icmp.ttl, 64);
	quoted(&q, SEG_IPV6, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 1, 0, &q);
	m.tos = 0x2e;
	m.ttl = 255;
	icmp_roundtrip(&m, &pkt);
	assert_int_equal(pkt.u.icmp.tos, 0x2e);
	assert_int_equal(pkt.u.icmp.ttl, 255);
	assert_memory_equal(pkt.u.icmp.src, cu_v6b, 16);
}

static void icmp_bad_checksum_built_and_detected(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	enum seg_family fam;
	size_t n;
	(void)state;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		quoted(&q, fam, 10);
		seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 1280, &q);
		m.icmp_csum_set = true;
		m.icmp_csum = 0x4242;
		assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
		assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
		assert_false(pkt.u.icmp.icmp_csum_ok);
		assert_int_equal(pkt.u.icmp.icmp_csum, 0x4242);
		assert_int_equal(pkt.u.icmp.mtu, 1280);
	}
}

static void icmp6_checksum_covers_pseudo_header(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV6, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[23] ^= 0x01; /* outer source address: only the pseudo-header has it */
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	assert_false(pkt.u.icmp.icmp_csum_ok);
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[15] ^= 0x01; /* ICMPv4 has no pseudo-header: only the IP checksum fails */
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	assert_true(pkt.u.icmp.icmp_csum_ok);
	assert_false(pkt.u.icmp.ip_csum_ok);
}

static void icmp4_outer_options_skipped(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_TIME_EXCEEDED, 0, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	memmove(buf + 24, buf + 20, n - 20);
	memset(buf + 20, 1, 4); /* four NOP options */
	buf[0] = 0x46;
	buf[3] = (uint8_t)(n + 4);
	cu_fix_ip4_csum(buf);
	assert_int_equal(seg_decode(buf, n + 4, &pkt, NULL), 0);
	assert_int_equal(pkt.u.icmp.type, 11);
	assert_true(pkt.u.icmp.icmp_csum_ok);
	assert_true(pkt.u.icmp.ip_csum_ok);
	assert_int_equal(pkt.u.icmp.quoted.seq, q.seq);
}

static void icmp6_outer_extension_header_skipped(void **state)
{
	static const uint8_t hbh[8] = {58, 0, 1, 4, 0, 0, 0, 0};
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV6, 10);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 1400, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	memmove(buf + 48, buf + 40, n - 40);
	memcpy(buf + 40, hbh, 8);
	buf[6] = 0;
	buf[5] = (uint8_t)(buf[5] + 8);
	assert_int_equal(seg_decode(buf, n + 8, &pkt, NULL), 0);
	assert_int_equal(pkt.u.icmp.mtu, 1400);
	assert_true(pkt.u.icmp.icmp_csum_ok);
}

/* ---- malformed messages ----------------------------------------------------------- */

static void icmp_header_truncated(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	for (n = 20; n < 28; n++) {
		buf[2] = 0;
		buf[3] = (uint8_t)n;
		cu_fix_ip4_csum(buf);
		cu_expect_err(buf, n, SEG_ETRUNC, 20);
	}
}

static void icmp_length_cuts_icmp_header(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[2] = 0;
	buf[3] = 24; /* the ICMP header's bytes are there, the length hides them */
	cu_fix_ip4_csum(buf);
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
	quoted(&q, SEG_IPV6, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[4] = 0;
	buf[5] = 7;
	cu_expect_err(buf, n, SEG_EIPLEN, 4);
	cu_expect_err(buf, 47, SEG_ETRUNC, 40);
}

static void icmp_unhandled_types(void **state)
{
	static const uint8_t v4types[] = {0, 5, 8, 13, 255};
	static const uint8_t v6types[] = {0, 5, 128, 129, 133, 135, 136};
	struct seg q;
	struct seg_icmp m;
	size_t n, i;
	(void)state;
	quoted(&q, SEG_IPV4, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	for (i = 0; i < sizeof v4types; i++) {
		m.type = v4types[i];
		assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
		cu_expect_err(buf, n, SEG_EICMP, 20);
	}
	quoted(&q, SEG_IPV6, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	for (i = 0; i < sizeof v6types; i++) {
		m.type = v6types[i];
		assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
		cu_expect_err(buf, n, SEG_EICMP, 40);
	}
}

static void icmp_quote_of_other_version(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[28] = 0x60;
	cu_expect_err(buf, n, SEG_EVERSION, 28);
	quoted(&q, SEG_IPV6, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[48] = 0x45;
	cu_expect_err(buf, n, SEG_EVERSION, 48);
}

static void icmp_quote_not_tcp(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[28 + 9] = 17; /* a UDP datagram */
	cu_expect_err(buf, n, SEG_EPROTO, 37);
	buf[28 + 9] = 1; /* an ICMP error about an ICMP message */
	cu_expect_err(buf, n, SEG_EPROTO, 37);
	quoted(&q, SEG_IPV6, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[48 + 6] = 58;
	cu_expect_err(buf, n, SEG_EPROTO, 54);
}

static void icmp_quote_malformed_ip(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), 0);
	buf[28] = 0x44;
	cu_expect_err(buf, n, SEG_EIPHDR, 28);
	buf[28] = 0x45;
	buf[28 + 2] = 0;
	buf[28 + 3] = 12; /* a quoted length below its own header */
	cu_expect_err(buf, n, SEG_EIPLEN, 30);
	buf[28 + 3] = 62;
	buf[28 + 6] = 0x20; /* a quoted fragment */
	cu_expect_err(buf, n, SEG_EFRAG, 34);
}

static void icmp_encode_errors(void **state)
{
	struct seg q;
	struct seg_icmp m;
	size_t n = 5, cap;
	(void)state;
	quoted(&q, SEG_IPV4, 10);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 65536, &q);
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), SEG_EINVAL);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	m.family = SEG_IPV6; /* quotes an IPv4 packet */
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), SEG_EINVAL);
	m.family = 0;
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), SEG_EINVAL);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	m.quoted.reserved = 99;
	assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &n), SEG_EINVAL);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
	for (cap = 0; cap < 20 + 8 + 62; cap++)
		assert_int_equal(seg_icmp_encode(&m, buf, cap, &n), SEG_ESPACE);
	assert_int_equal(n, 5);
	assert_int_equal(seg_icmp_encode(&m, buf, cap, &n), 0);
	assert_int_equal(n, cap);
}

/* Every prefix of ICMP errors, from exact-size heap blocks. */
static void icmp_truncation_sweep(void **state)
{
	struct seg q;
	struct seg_icmp m;
	struct seg_packet pkt;
	struct seg_err err;
	enum seg_family fam;
	(void)state;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		size_t full, n, hl = fam == SEG_IPV4 ? 20 : 40;
		quoted(&q, fam, 30);
		seg_icmp_init(&m, SEG_ICMP_UNREACH, 3, 0, &q);
		assert_int_equal(seg_icmp_encode(&m, buf, sizeof buf, &full), 0);
		for (n = 0; n <= full; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			int rc, want;
			assert_non_null(copy);
			memcpy(copy, buf, n);
			if (n >= hl && fam == SEG_IPV4) { /* lengths made to agree */
				copy[2] = (uint8_t)(n >> 8);
				copy[3] = (uint8_t)n;
			} else if (n >= hl) {
				copy[4] = (uint8_t)((n - 40) >> 8);
				copy[5] = (uint8_t)(n - 40);
			}
			rc = seg_decode(copy, n, &pkt, &err);
			free(copy);
			want = n < hl + 8 + hl + 8 ? SEG_ETRUNC : 0;
			assert_int_equal(rc, want);
			if (rc)
				assert_true(err.offset <= n);
			else
				assert_int_equal(pkt.u.icmp.quote_full, n >= hl + 8 + hl + 32);
		}
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(icmp4_port_unreachable),
	cmocka_unit_test(icmp4_unreachable_every_code),
	cmocka_unit_test(icmp4_frag_needed_mtu),
	cmocka_unit_test(icmp4_time_exceeded),
	cmocka_unit_test(icmp4_parameter_problem_pointer),
	cmocka_unit_test(icmp4_source_quench),
	cmocka_unit_test(icmp6_unreachable_every_code),
	cmocka_unit_test(icmp6_packet_too_big_mtu),
	cmocka_unit_test(icmp6_time_exceeded),
	cmocka_unit_test(icmp6_parameter_problem_pointer),
	cmocka_unit_test(icmp6_has_no_source_quench),
	cmocka_unit_test(icmp_quote_cut_to_576),
	cmocka_unit_test(icmp_quote_of_header_and_8_bytes),
	cmocka_unit_test(icmp6_quote_with_extension_headers),
	cmocka_unit_test(icmp_quote_too_short),
	cmocka_unit_test(icmp_without_quote),
	cmocka_unit_test(icmp_quoted_tcp_checksum_checked),
	cmocka_unit_test(icmp_outer_header_fields),
	cmocka_unit_test(icmp_bad_checksum_built_and_detected),
	cmocka_unit_test(icmp6_checksum_covers_pseudo_header),
	cmocka_unit_test(icmp4_outer_options_skipped),
	cmocka_unit_test(icmp6_outer_extension_header_skipped),
	cmocka_unit_test(icmp_header_truncated),
	cmocka_unit_test(icmp_length_cuts_icmp_header),
	cmocka_unit_test(icmp_unhandled_types),
	cmocka_unit_test(icmp_quote_of_other_version),
	cmocka_unit_test(icmp_quote_not_tcp),
	cmocka_unit_test(icmp_quote_malformed_ip),
	cmocka_unit_test(icmp_encode_errors),
	cmocka_unit_test(icmp_truncation_sweep),
};

TC_CMOCKA_MAIN(tests)
