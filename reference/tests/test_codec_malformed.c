/* Unit tests of the packet codec on malformed input: each way a packet can
 * be wrong gets its own case, checking the exact error code and the byte
 * offset seg.h promises. Sweeps decode every prefix of full-featured
 * packets, and a seeded mutation loop decodes damaged packets, each from
 * a heap buffer of exactly its length so AddressSanitizer sees any read
 * past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "codec_util.h"

static uint8_t buf[CU_BUF];
static const uint8_t data[1000] = {1, 2, 3};

/* Encode `s` into buf; returns the length. */
static size_t enc(const struct seg *s)
{
	size_t n = 0;
	assert_int_equal(seg_encode(s, buf, sizeof buf, &n), 0);
	return n;
}

/* A plain segment of `fam` with one MSS option and 10 bytes of data:
 * v4: IP 0..19, TCP 20..39, options 40..43, data 44..53;
 * v6: IP 0..39, TCP 40..59, options 60..63, data 64..73. */
static size_t plain(enum seg_family fam)
{
	struct seg s;
	cu_seg(&s, fam);
	seg_opts_add_mss(&s.opts, 1460);
	s.payload = data;
	s.len = 10;
	return enc(&s);
}

/* A segment whose options are exactly `raw` (then padded by the encoder). */
static size_t with_opts(enum seg_family fam, const uint8_t *raw, size_t n)
{
	struct seg s;
	cu_seg(&s, fam);
	memcpy(s.opts.raw, raw, n);
	s.opts.len = (uint8_t)n;
	return enc(&s);
}

static void set16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Decode a copy of buf[0..n) in a heap block of exactly n bytes. */
static int decode_exact(const uint8_t *p, size_t n, struct seg_packet *out, struct seg_err *err)
{
	uint8_t *copy = malloc(n ? n : 1);
	int rc;
	assert_non_null(copy);
	memcpy(copy, p, n);
	rc = seg_decode(copy, n, out, err);
	free(copy);
	return rc;
}

/* ---- the IP layer ----------------------------------------------------------- */

static void empty_packet(void **state)
{
	(void)state;
	cu_expect_err(buf, 0, SEG_ETRUNC, 0);
	assert_int_equal(seg_decode(NULL, 0, NULL, NULL), SEG_ETRUNC);
}

static void ip4_header_truncated(void **state)
{
	size_t n;
	(void)state;
	plain(SEG_IPV4);
	for (n = 1; n < 20; n++)
		cu_expect_err(buf, n, SEG_ETRUNC, 0);
}

static void ip6_header_truncated(void **state)
{
	size_t n;
	(void)state;
	plain(SEG_IPV6);
	for (n = 1; n < 40; n++)
		cu_expect_err(buf, n, SEG_ETRUNC, 0);
}

static void ip_version_neither_4_nor_6(void **state)
{
	static const uint8_t versions[] = {0, 1, 5, 7, 15};
	size_t i, n;
	(void)state;
	n = plain(SEG_IPV4);
	for (i = 0; i < sizeof versions; i++) {
		buf[0] = (uint8_t)(versions[i] << 4 | 5);
		cu_expect_err(buf, n, SEG_EVERSION, 0);
	}
}

static void ip4_ihl_below_5(void **state)
{
	size_t n;
	uint8_t ihl;
	(void)state;
	n = plain(SEG_IPV4);
	for (ihl = 0; ihl < 5; ihl++) {
		buf[0] = 0x40 | ihl;
		cu_expect_err(buf, n, SEG_EIPHDR, 0);
	}
}

static void ip4_ihl_past_packet(void **state)
{
	(void)state;
	plain(SEG_IPV4);
	buf[0] = 0x4f; /* 60 bytes of header in a 40-byte buffer */
	cu_expect_err(buf, 40, SEG_EIPHDR, 0);
	buf[0] = 0x46;
	cu_expect_err(buf, 23, SEG_EIPHDR, 0);
}

static void ip4_total_length_exceeds_buffer(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	set16(buf + 2, (unsigned)n + 1);
	cu_fix_ip4_csum(buf);
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
	set16(buf + 2, 65535);
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
}

static void ip4_total_length_below_ip_header(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	set16(buf + 2, 19);
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
	set16(buf + 2, 0);
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
}

static void ip4_total_length_cuts_tcp_header(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	set16(buf + 2, 30); /* the header's bytes are there, the length hides them */
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
	set16(buf + 2, 20);
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
}

static void ip4_tcp_header_truncated(void **state)
{
	size_t n;
	(void)state;
	plain(SEG_IPV4);
	for (n = 20; n < 40; n++) { /* length and buffer agree: the packet is short */
		set16(buf + 2, (unsigned)n);
		cu_expect_err(buf, n, SEG_ETRUNC, 20);
	}
}

static void ip4_total_length_cuts_options(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	set16(buf + 2, 42); /* doff says 24 bytes, the IP packet leaves 22 */
	cu_expect_err(buf, n, SEG_EDOFF, 32);
}

static void ip6_payload_length_exceeds_buffer(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV6);
	set16(buf + 4, (unsigned)(n - 40 + 1));
	cu_expect_err(buf, n, SEG_EIPLEN, 4);
}

static void ip6_payload_length_cuts_tcp_header(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV6);
	set16(buf + 4, 10);
	cu_expect_err(buf, n, SEG_EIPLEN, 4);
	set16(buf + 4, 0);
	cu_expect_err(buf, n, SEG_EIPLEN, 4);
}

static void ip6_tcp_header_truncated(void **state)
{
	size_t n;
	(void)state;
	plain(SEG_IPV6);
	for (n = 40; n < 60; n++) {
		set16(buf + 4, (unsigned)(n - 40));
		cu_expect_err(buf, n, SEG_ETRUNC, 40);
	}
}

static void ip4_fragment_more_fragments(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	buf[6] = 0x20; /* MF */
	cu_fix_ip4_csum(buf);
	cu_expect_err(buf, n, SEG_EFRAG, 6);
	buf[6] = 0x60; /* DF + MF */
	cu_expect_err(buf, n, SEG_EFRAG, 6);
}

static void ip4_fragment_offset(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	buf[7] = 0x01; /* offset 8 bytes, last fragment */
	cu_expect_err(buf, n, SEG_EFRAG, 6);
	buf[6] = 0x5f; /* DF and the top offset bits */
	buf[7] = 0;
	cu_expect_err(buf, n, SEG_EFRAG, 6);
	buf[6] = 0x40; /* DF alone is no fragment */
	assert_int_equal(seg_decode(buf, n, &(struct seg_packet){0}, NULL), 0);
}

static void ip6_fragment_header(void **state)
{
	static const uint8_t frag[6] = {0, 1, 0, 0, 0, 7}; /* offset 0, MF */
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	seg_ip6_ext_add(&s, 44, frag, sizeof frag);
	n = enc(&s);
	cu_expect_err(buf, n, SEG_EFRAG, 40);
	cu_seg(&s, SEG_IPV6);
	seg_ip6_ext_add(&s, 0, NULL, 0);
	seg_ip6_ext_add(&s, 44, frag, sizeof frag);
	n = enc(&s);
	cu_expect_err(buf, n, SEG_EFRAG, 48);
}

static void ip4_protocol_not_tcp(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4);
	buf[9] = 17;
	cu_expect_err(buf, n, SEG_EPROTO, 9);
	buf[9] = 58; /* ICMPv6 in IPv4 */
	cu_expect_err(buf, n, SEG_EPROTO, 9);
}

static void ip6_next_header_not_tcp(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	n = plain(SEG_IPV6);
	buf[6] = 17;
	cu_expect_err(buf, n, SEG_EPROTO, 6);
	buf[6] = 59; /* no next header */
	cu_expect_err(buf, n, SEG_EPROTO, 6);
	buf[6] = 1; /* ICMPv4 in IPv6 */
	cu_expect_err(buf, n, SEG_EPROTO, 6);
	cu_seg(&s, SEG_IPV6);
	seg_ip6_ext_add(&s, 0, NULL, 0);
	seg_ip6_ext_add(&s, 60, NULL, 0);
	n = enc(&s);
	buf[48] = 50; /* ESP after two extension headers */
	cu_expect_err(buf, n, SEG_EPROTO, 48);
}

static void ip6_ext_header_past_payload(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	seg_ip6_ext_add(&s, 60, NULL, 0);
	n = enc(&s);
	buf[41] = 5; /* 48 bytes of header in a 28-byte payload */
	cu_expect_err(buf, n, SEG_EEXTHDR, 41);
	buf[41] = 0;
	set16(buf + 4, 1); /* one byte of payload: not even the length byte */
	cu_expect_err(buf, n, SEG_EEXTHDR, 40);
	set16(buf + 4, 7);
	cu_expect_err(buf, n, SEG_EEXTHDR, 41);
}

static void ip6_hop_by_hop_not_first(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	seg_ip6_ext_add(&s, 60, NULL, 0);
	seg_ip6_ext_add(&s, 0, NULL, 0);
	n = enc(&s);
	cu_expect_err(buf, n, SEG_EEXTHDR, 48); /* RFC 8200 §4.1 */
}

static void ip6_ext_headers_over_limit(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	seg_ip6_ext_add(&s, 60, NULL, 0);
	s.payload = data;
	s.len = 400;
	n = enc(&s);
	buf[41] = 32; /* 264 bytes, more than SEG_IP6_EXT_MAX: fits the packet */
	cu_expect_err(buf, n, SEG_EEXTHDR, 40);
}

/* ---- the TCP header ------------------------------------------------------------ */

static void tcp_doff_below_5(void **state)
{
	size_t n;
	uint8_t d;
	(void)state;
	n = plain(SEG_IPV4);
	for (d = 0; d < 5; d++) {
		buf[32] = (uint8_t)(d << 4);
		cu_expect_err(buf, n, SEG_EDOFF, 32);
	}
	n = plain(SEG_IPV6);
	buf[52] = 0x40;
	cu_expect_err(buf, n, SEG_EDOFF, 52);
}

static void tcp_doff_past_segment(void **state)
{
	size_t n;
	(void)state;
	n = plain(SEG_IPV4); /* 34 bytes of TCP */
	buf[32] = 0x90;	     /* 36 */
	cu_expect_err(buf, n, SEG_EDOFF, 32);
	buf[32] = 0xf0;
	cu_expect_err(buf, n, SEG_EDOFF, 32);
	buf[32] = 0x80; /* 32: data read as options: NOP, then kind 2 length 3 */
	assert_int_equal(seg_decode(buf, n, &(struct seg_packet){0}, NULL), SEG_EOPTVAL);
}

static void opt_length_zero(void **state)
{
	static const uint8_t raw[] = {30, 0, 0, 0};
	size_t n;
	(void)state;
	n = with_opts(SEG_IPV4, raw, sizeof raw);
	cu_expect_err(buf, n, SEG_EOPTLEN, 41);
	n = with_opts(SEG_IPV6, raw, sizeof raw);
	cu_expect_err(buf, n, SEG_EOPTLEN, 61);
}

static void opt_length_one(void **state)
{
	static const uint8_t raw[] = {1, 1, 2, 1}; /* NOP NOP, MSS of length 1 */
	size_t n;
	(void)state;
	n = with_opts(SEG_IPV4, raw, sizeof raw);
	cu_expect_err(buf, n, SEG_EOPTLEN, 43);
}

static void opt_length_past_header(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	seg_opts_add_mss(&s.opts, 1460);
	seg_opts_add_raw(&s.opts, 30, 9, (const uint8_t *)"\x01\x02", 2); /* 5 left */
	s.payload = data;
	s.len = 50; /* bytes follow, but the option may not run into them */
	n = enc(&s);
	cu_expect_err(buf, n, SEG_EOPTLEN, 45);
	cu_seg(&s, SEG_IPV4);
	seg_opts_add_raw(&s.opts, SEG_OPT_TS, 10, (const uint8_t *)"\x01", 1);
	n = enc(&s);
	cu_expect_err(buf, n, SEG_EOPTLEN, 41);
}

static void opt_without_length_byte(void **state)
{
	static const uint8_t raw[] = {1, 1, 1, 2}; /* MSS kind in the last byte */
	size_t n;
	(void)state;
	n = with_opts(SEG_IPV4, raw, sizeof raw);
	cu_expect_err(buf, n, SEG_EOPTLEN, 43);
	n = with_opts(SEG_IPV6, raw, sizeof raw);
	cu_expect_err(buf, n, SEG_EOPTLEN, 63);
}

static void opt_known_kind_wrong_length(void **state)
{
	static const uint8_t cases[][4] = {
		{SEG_OPT_MSS, 3, 5, 1},	      {SEG_OPT_MSS, 2, 1, 1},
		{SEG_OPT_WSCALE, 4, 7, 0},    {SEG_OPT_WSCALE, 2, 1, 1},
		{SEG_OPT_SACK_PERM, 3, 0, 1}, {SEG_OPT_SACK_PERM, 4, 0, 0},
		{SEG_OPT_TS, 4, 0, 0},
	};
	size_t i, n;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		n = with_opts(SEG_IPV4, cases[i], 4);
		cu_expect_err(buf, n, SEG_EOPTVAL, 41);
	}
}

static void opt_sack_wrong_length(void **state)
{
	static const uint8_t lens[] = {2, 9, 11, 17, 19, 36};
	uint8_t raw[40] = {1, 1, SEG_OPT_SACK};
	size_t i, n;
	(void)state;
	for (i = 0; i < sizeof lens; i++) {
		raw[3] = lens[i];
		n = with_opts(SEG_IPV4, raw, 40);
		cu_expect_err(buf, n, SEG_EOPTVAL, 43);
	}
	raw[3] = 39; /* past the header: a length error, not a value one */
	n = with_opts(SEG_IPV4, raw, 40);
	cu_expect_err(buf, n, SEG_EOPTLEN, 43);
}

static void opt_duplicate_still_checked(void **state)
{
	static const uint8_t raw[] = {2, 4, 5, 0xb4, 2, 3, 5, 0};
	size_t n;
	(void)state;
	n = with_opts(SEG_IPV4, raw, sizeof raw);
	cu_expect_err(buf, n, SEG_EOPTVAL, 45);
}

static void opt_bytes_after_eol_ignored(void **state)
{
	static const uint8_t raw[] = {2, 4, 5, 0xb4, 0, 7, 0, 1}; /* garbage past EOL */
	struct seg_packet pkt;
	size_t n;
	(void)state;
	n = with_opts(SEG_IPV4, raw, sizeof raw);
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	assert_int_equal(pkt.u.tcp.opts.present, SEG_HAS_MSS | SEG_HAS_EOL);
	assert_int_equal(pkt.u.tcp.opts.len, 8);
	assert_memory_equal(pkt.u.tcp.opts.raw, raw, 8);
}

/* ---- the contract around errors ------------------------------------------------ */

static void errors_without_err_and_out_untouched(void **state)
{
	struct seg_packet pkt, before;
	struct seg_err err;
	size_t n;
	(void)state;
	n = with_opts(SEG_IPV6, (const uint8_t *)"\x02\x03\x05\x00", 4);
	memset(&pkt, 0x5a, sizeof pkt);
	before = pkt;
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), SEG_EOPTVAL);
	assert_memory_equal(&pkt, &before, sizeof pkt);
	assert_int_equal(seg_decode(buf, n, &pkt, &err), SEG_EOPTVAL);
	assert_memory_equal(&pkt, &before, sizeof pkt);
	assert_string_equal(err.msg, "TCP option kind 2 has length 3, expected 4");
	assert_int_equal(seg_decode(buf, 30, &pkt, NULL), SEG_ETRUNC);
	assert_memory_equal(&pkt, &before, sizeof pkt);
}

/* A packet with everything: IPv4 options or IPv6 extension headers, a full
 * option space, data. */
static size_t full_featured(enum seg_family fam)
{
	static const uint8_t ipopts[] = {0x94, 4, 0, 0, 1, 1, 1, 0};
	static const struct seg_sack_block b[3] = {{1, 2}, {3, 4}, {5, 6}};
	struct seg s;
	cu_seg(&s, fam);
	if (fam == SEG_IPV4) {
		memcpy(s.ip_opts, ipopts, sizeof ipopts);
		s.ip_opts_len = sizeof ipopts;
	} else {
		seg_ip6_ext_add(&s, 0, (const uint8_t *)"\x05\x02\x00\x00", 4);
		seg_ip6_ext_add(&s, 60, NULL, 0);
	}
	seg_opts_add_nop(&s.opts);
	seg_opts_add_nop(&s.opts);
	seg_opts_add_ts(&s.opts, 100, 200);
	seg_opts_add_nop(&s.opts);
	seg_opts_add_nop(&s.opts);
	seg_opts_add_sack(&s.opts, b, 3);
	s.payload = data;
	s.len = 37;
	return enc(&s);
}

/* Every prefix of a packet: the IP length then says more than is there. */
static void sweep_prefixes(enum seg_family fam)
{
	size_t full = full_featured(fam), n, iphl = fam == SEG_IPV4 ? 28 : 40;
	struct seg_packet pkt;
	struct seg_err err;
	for (n = 0; n <= full; n++) {
		int want = n < (fam == SEG_IPV4 ? 20u : 40u) ? SEG_ETRUNC
			   : n < iphl			     ? SEG_EIPHDR
			   : n < full			     ? SEG_EIPLEN
							     : 0;
		memset(&err, 0, sizeof err);
		assert_int_equal(decode_exact(buf, n, &pkt, &err), want);
		if (want) {
			assert_int_equal(err.code, want);
			assert_true(err.offset <= n);
		}
	}
}

static void truncation_sweep_v4(void **state)
{
	(void)state;
	sweep_prefixes(SEG_IPV4);
}

static void truncation_sweep_v6(void **state)
{
	(void)state;
	sweep_prefixes(SEG_IPV6);
}

/* What a prefix of n bytes with its IP length set to n must decode to. */
static int want_cut(enum seg_family fam, size_t n, size_t *off)
{
	size_t t = fam == SEG_IPV4 ? 28 : 56; /* TCP header; v6 ext 40..55 */
	*off = 0;
	if (fam == SEG_IPV4 && n < t)
		return SEG_EIPHDR; /* IHL 7 past the packet */
	if (fam == SEG_IPV6 && n < t) {
		*off = n < 48 ? (n < 42 ? 40 : 41) : (n < 50 ? 48 : 49);
		return SEG_EEXTHDR;
	}
	if (n < t + 20) {
		*off = t;
		return SEG_ETRUNC;
	}
	if (n < t + 60) { /* doff 15: the options run to t + 60 */
		*off = t + 12;
		return SEG_EDOFF;
	}
	return 0;
}

/* Every prefix with the IP length rewritten to match: the cut now falls in
 * a header (an error naming it) or in the data (a shorter segment whose
 * checksum fails). */
static void sweep_consistent(enum seg_family fam)
{
	size_t full = full_featured(fam), n, hl = fam == SEG_IPV4 ? 20 : 40, off;
	struct seg_packet pkt;
	struct seg_err err;
	for (n = hl; n <= full; n++) {
		int want = want_cut(fam, n, &off), rc;
		uint8_t save[4];
		memcpy(save, buf, 4);
		if (fam == SEG_IPV4) {
			set16(buf + 2, (unsigned)n);
			cu_fix_ip4_csum(buf);
		} else {
			set16(buf + 4, (unsigned)(n - 40));
		}
		rc = decode_exact(buf, n, &pkt, &err);
		memcpy(buf, save, 4);
		assert_int_equal(rc, want);
		if (want) {
			assert_int_equal(err.offset, off);
			continue;
		}
		assert_int_equal(pkt.u.tcp.len, 37 - (full - n));
		assert_int_equal(pkt.u.tcp.tcp_csum_ok, n == full);
		assert_true(pkt.u.tcp.ip_csum_ok);
	}
}

static void truncation_sweep_consistent_v4(void **state)
{
	(void)state;
	sweep_consistent(SEG_IPV4);
}

static void truncation_sweep_consistent_v6(void **state)
{
	(void)state;
	sweep_consistent(SEG_IPV6);
}

/* A small deterministic generator (no global state: the caller's seed). */
static uint32_t next_rand(uint32_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 17;
	*x ^= *x << 5;
	return *x;
}

/* Re-encode what decoded and decode it again (the fuzz target's property). */
static void reencode(const struct seg_packet *out)
{
	static uint8_t again[CU_BUF];
	struct seg_packet out2;
	size_t m = 0;
	if (out->kind == SEG_PKT_TCP && seg_encode(&out->u.tcp, again, sizeof again, &m) == 0)
		assert_int_equal(seg_decode(again, m, &out2, NULL), 0);
	if (out->kind == SEG_PKT_ICMP &&
	    seg_icmp_encode(&out->u.icmp, again, sizeof again, &m) == 0)
		assert_int_equal(seg_decode(again, m, &out2, NULL), 0);
}

/* Mutate a copy of pkt[0..n), cut it maybe, and decode it from a heap block
 * of exactly its length; what fails must say where. */
static void mutate_once(const uint8_t *pkt, size_t n, uint32_t *seed)
{
	uint8_t *copy = malloc(n);
	struct seg_packet out;
	struct seg_err err;
	size_t len = n, k, flips = 1 + next_rand(seed) % 4;
	assert_non_null(copy);
	memcpy(copy, pkt, n);
	for (k = 0; k < flips; k++)
		copy[next_rand(seed) % n] = (uint8_t)next_rand(seed);
	if (next_rand(seed) % 4 == 0) {
		len = next_rand(seed) % (n + 1);
		copy = realloc(copy, len ? len : 1);
		assert_non_null(copy);
	}
	if (seg_decode(copy, len, &out, &err) != 0)
		assert_true(err.code < 0 && err.offset <= len && err.msg[0]);
	else
		reencode(&out);
	free(copy);
}

static void random_mutations_never_misbehave(void **state)
{
	uint8_t pkts[4][512];
	size_t lens[4], i;
	uint32_t seed = 0x2545f491u;
	struct seg_icmp m;
	struct seg q;
	(void)state;
	lens[0] = full_featured(SEG_IPV4);
	memcpy(pkts[0], buf, lens[0]);
	lens[1] = full_featured(SEG_IPV6);
	memcpy(pkts[1], buf, lens[1]);
	cu_seg(&q, SEG_IPV4);
	seg_opts_add_mss(&q.opts, 1400);
	seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, 1280, &q);
	assert_int_equal(seg_icmp_encode(&m, pkts[2], 512, &lens[2]), 0);
	cu_seg(&q, SEG_IPV6);
	seg_ip6_ext_add(&q, 60, NULL, 0);
	seg_icmp_init(&m, SEG_ICMP_UNREACH, 4, 0, &q);
	assert_int_equal(seg_icmp_encode(&m, pkts[3], 512, &lens[3]), 0);
	for (i = 0; i < 40000; i++)
		mutate_once(pkts[i % 4], lens[i % 4], &seed);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(empty_packet),
	cmocka_unit_test(ip4_header_truncated),
	cmocka_unit_test(ip6_header_truncated),
	cmocka_unit_test(ip_version_neither_4_nor_6),
	cmocka_unit_test(ip4_ihl_below_5),
	cmocka_unit_test(ip4_ihl_past_packet),
	cmocka_unit_test(ip4_total_length_exceeds_buffer),
	cmocka_unit_test(ip4_total_length_below_ip_header),
	cmocka_unit_test(ip4_total_length_cuts_tcp_header),
	cmocka_unit_test(ip4_tcp_header_truncated),
	cmocka_unit_test(ip4_total_length_cuts_options),
	cmocka_unit_test(ip6_payload_length_exceeds_buffer),
	cmocka_unit_test(ip6_payload_length_cuts_tcp_header),
	cmocka_unit_test(ip6_tcp_header_truncated),
	cmocka_unit_test(ip4_fragment_more_fragments),
	cmocka_unit_test(ip4_fragment_offset),
	cmocka_unit_test(ip6_fragment_header),
	cmocka_unit_test(ip4_protocol_not_tcp),
	cmocka_unit_test(ip6_next_header_not_tcp),
	cmocka_unit_test(ip6_ext_header_past_payload),
	cmocka_unit_test(ip6_hop_by_hop_not_first),
	cmocka_unit_test(ip6_ext_headers_over_limit),
	cmocka_unit_test(tcp_doff_below_5),
	cmocka_unit_test(tcp_doff_past_segment),
	cmocka_unit_test(opt_length_zero),
	cmocka_unit_test(opt_length_one),
	cmocka_unit_test(opt_length_past_header),
	cmocka_unit_test(opt_without_length_byte),
	cmocka_unit_test(opt_known_kind_wrong_length),
	cmocka_unit_test(opt_sack_wrong_length),
	cmocka_unit_test(opt_duplicate_still_checked),
	cmocka_unit_test(opt_bytes_after_eol_ignored),
	cmocka_unit_test(errors_without_err_and_out_untouched),
	cmocka_unit_test(truncation_sweep_v4),
	cmocka_unit_test(truncation_sweep_v6),
	cmocka_unit_test(truncation_sweep_consistent_v4),
	cmocka_unit_test(truncation_sweep_consistent_v6),
	cmocka_unit_test(random_mutations_never_misbehave),
};

TC_CMOCKA_MAIN(tests)
