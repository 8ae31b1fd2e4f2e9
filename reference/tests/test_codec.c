/* Unit tests of the packet codec (reference/seg.h): round trips of every
 * TCP header field and option over IPv4 and IPv6, IPv4 options, IPv6
 * extension headers, checksums against known vectors, the encoder's
 * overrides and its errors.
 *
 * Malformed input: test_codec_malformed.c. ICMP: test_codec_icmp.c.
 * Printing: test_codec_format.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "codec_util.h"

static uint8_t buf[CU_BUF];
static const uint8_t data[2000] = {'h', 'e', 'l', 'l', 'o', [1999] = 0x5a};

/* ---- basics ---------------------------------------------------------------- */

static void init_zeroes_and_sets_ttl(void **state)
{
	struct seg s;
	(void)state;
	memset(&s, 0xa5, sizeof s);
	seg_init(&s, SEG_IPV6);
	assert_int_equal(s.family, SEG_IPV6);
	assert_int_equal(s.ttl, 64);
	assert_int_equal(s.flags, 0);
	assert_int_equal(s.opts.len, 0);
	assert_int_equal(s.opts.present, 0);
	assert_null(s.payload);
	assert_int_equal(s.len, 0);
	assert_false(s.wire.tcp_csum_set);
	assert_int_equal(s.ip6_ext_len, 0);
}

static void seq_len_counts_syn_and_fin(void **state)
{
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	assert_int_equal(seg_seq_len(&s), 0);
	s.len = 100;
	assert_int_equal(seg_seq_len(&s), 100);
	s.flags = SEG_SYN | SEG_ACK;
	assert_int_equal(seg_seq_len(&s), 101);
	s.flags = SEG_SYN | SEG_FIN;
	assert_int_equal(seg_seq_len(&s), 102);
	s.flags = SEG_FIN | SEG_RST | SEG_PSH | SEG_URG;
	s.len = 0;
	assert_int_equal(seg_seq_len(&s), 1);
}

/* ---- round trips of the TCP header ----------------------------------------- */

static void roundtrip_v4_data(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_ACK | SEG_PSH;
	s.payload = data;
	s.len = 1460;
	n = cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(n, 20 + 20 + 1460);
	assert_ptr_equal(pkt.u.tcp.payload, buf + 40);
	assert_int_equal(buf[0], 0x45);
	assert_int_equal(buf[9], 6);
}

static void roundtrip_v6_data(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	s.flags = SEG_ACK | SEG_PSH | SEG_FIN;
	s.payload = data;
	s.len = 1999; /* odd length: the checksum pads the last byte */
	n = cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(n, 40 + 20 + 1999);
	assert_int_equal(buf[0] >> 4, 6);
	assert_int_equal(buf[6], 6);
	assert_int_equal(buf[4] << 8 | buf[5], 20 + 1999);
}

static void flags_all_256_roundtrip(void **state, enum seg_family fam)
{
	struct seg s;
	struct seg_packet pkt;
	unsigned f;
	(void)state;
	for (f = 0; f < 256; f++) {
		cu_seg(&s, fam);
		s.flags = (uint8_t)f;
		s.reserved = (uint8_t)(f & 0x0f);
		s.urp = (uint16_t)(f * 3);
		s.payload = data;
		s.len = f % 7;
		cu_roundtrip(&s, buf, &pkt);
		assert_int_equal(buf[cu_tcp_off(buf) + 13], f);
	}
}

static void flags_all_256_v4(void **state)
{
	flags_all_256_roundtrip(state, SEG_IPV4);
}

static void flags_all_256_v6(void **state)
{
	flags_all_256_roundtrip(state, SEG_IPV6);
}

static void flags_on_the_wire(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_CWR | SEG_ECE | SEG_URG | SEG_ACK | SEG_PSH | SEG_RST | SEG_SYN | SEG_FIN;
	s.reserved = 0x0f;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(buf[20 + 12], 0x5f); /* doff 5, 4 reserved bits */
	assert_int_equal(buf[20 + 13], 0xff);
}

static void reserved_bits_roundtrip(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	uint8_t r;
	(void)state;
	for (r = 0; r < 16; r++) {
		cu_seg(&s, r % 2 ? SEG_IPV6 : SEG_IPV4);
		s.reserved = r;
		seg_opts_add_mss(&s.opts, 1000);
		cu_roundtrip(&s, buf, &pkt);
		assert_int_equal(buf[cu_tcp_off(buf) + 12], 0x60 | r);
	}
}

static void urgent_pointer_and_numbers_roundtrip(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_ACK | SEG_URG;
	s.urp = 0xffff;
	s.seq = 0xffffffffu;
	s.ack = 0;
	s.wnd = 0;
	s.sport = 0;
	s.dport = 65535;
	cu_roundtrip(&s, buf, &pkt);
	s.flags = SEG_ACK; /* a pointer without URG is carried as is */
	s.urp = 7;
	cu_roundtrip(&s, buf, &pkt);
}

/* ---- options ----------------------------------------------------------------- */

static void opts_roundtrip(const struct seg_opts *o)
{
	struct seg s;
	struct seg_packet pkt;
	enum seg_family fam;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		cu_seg(&s, fam);
		s.flags = SEG_SYN;
		s.opts = *o;
		cu_roundtrip(&s, buf, &pkt);
	}
}

static void opt_mss(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	assert_int_equal(seg_opts_add_mss(&o, 1460), 0);
	assert_int_equal(o.len, 4);
	assert_memory_equal(o.raw, "\x02\x04\x05\xb4", 4);
	assert_int_equal(o.present, SEG_HAS_MSS);
	assert_int_equal(o.mss, 1460);
	opts_roundtrip(&o);
	seg_opts_clear(&o);
	seg_opts_add_mss(&o, 0xffff);
	opts_roundtrip(&o);
}

static void opt_wscale(void **state)
{
	static const uint8_t shifts[] = {0, 7, 14, 15, 255};
	struct seg_opts o;
	size_t i;
	(void)state;
	for (i = 0; i < sizeof shifts; i++) {
		seg_opts_clear(&o);
		assert_int_equal(seg_opts_add_wscale(&o, shifts[i]), 0);
		assert_int_equal(o.len, 3);
		assert_int_equal(o.raw[2], shifts[i]);
		assert_int_equal(o.wscale, shifts[i]);
		assert_int_equal(o.present, SEG_HAS_WSCALE);
		opts_roundtrip(&o); /* 3 bytes: one EOL of padding on the wire */
	}
}

static void opt_sack_permitted(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	assert_int_equal(seg_opts_add_sack_perm(&o), 0);
	assert_memory_equal(o.raw, "\x04\x02", 2);
	assert_int_equal(o.present, SEG_HAS_SACK_PERM);
	opts_roundtrip(&o);
}

static void opt_timestamps(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	assert_int_equal(seg_opts_add_nop(&o), 0);
	assert_int_equal(seg_opts_add_nop(&o), 0);
	assert_int_equal(seg_opts_add_ts(&o, 0xdeadbeefu, 0x01020304u), 0);
	assert_int_equal(o.len, 12);
	assert_memory_equal(o.raw + 2, "\x08\x0a\xde\xad\xbe\xef\x01\x02\x03\x04", 10);
	assert_int_equal(o.ts_val, 0xdeadbeefu);
	assert_int_equal(o.ts_ecr, 0x01020304u);
	assert_int_equal(o.present, SEG_HAS_TS);
	opts_roundtrip(&o);
}

static void opt_sack_1_to_4_blocks(void **state)
{
	static const struct seg_sack_block b[4] = {
		{1, 101}, {201, 301}, {0xfffffff0u, 0x10}, {5000, 6000}};
	struct seg_opts o;
	unsigned n, i;
	(void)state;
	for (n = 1; n <= 4; n++) {
		seg_opts_clear(&o);
		seg_opts_add_nop(&o);
		seg_opts_add_nop(&o);
		assert_int_equal(seg_opts_add_sack(&o, b, n), 0);
		assert_int_equal(o.len, 2 + 2 + 8 * n);
		assert_int_equal(o.raw[3], 2 + 8 * n);
		assert_int_equal(o.sack_count, n);
		for (i = 0; i < n; i++) {
			assert_int_equal(o.sack[i].left, b[i].left);
			assert_int_equal(o.sack[i].right, b[i].right);
		}
		opts_roundtrip(&o);
	}
}

static void opt_sack_bad_counts(void **state)
{
	static const struct seg_sack_block b[5] = {{1, 2}};
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	assert_int_equal(seg_opts_add_sack(&o, b, 0), SEG_EINVAL);
	assert_int_equal(seg_opts_add_sack(&o, b, 5), SEG_EINVAL);
	assert_int_equal(seg_opts_add_sack(&o, NULL, 1), SEG_EINVAL);
	assert_int_equal(o.len, 0);
}

static void opt_sack_3_blocks_beside_timestamps(void **state)
{
	static const struct seg_sack_block b[4] = {{1, 2}, {3, 4}, {5, 6}, {7, 8}};
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_nop(&o);
	seg_opts_add_nop(&o);
	seg_opts_add_ts(&o, 1, 2);
	seg_opts_add_nop(&o);
	seg_opts_add_nop(&o);
	assert_int_equal(seg_opts_add_sack(&o, b, 4), SEG_ESPACE);
	assert_int_equal(o.len, 14); /* a failed add changes nothing */
	assert_int_equal(o.present, SEG_HAS_TS);
	assert_int_equal(seg_opts_add_sack(&o, b, 3), 0);
	assert_int_equal(o.len, 40);
	assert_int_equal(o.present, SEG_HAS_TS | SEG_HAS_SACK);
	opts_roundtrip(&o);
}

static void opt_linux_syn_set(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_mss(&o, 1460);
	seg_opts_add_sack_perm(&o);
	seg_opts_add_ts(&o, 1, 0);
	seg_opts_add_nop(&o);
	seg_opts_add_wscale(&o, 7);
	assert_int_equal(o.len, 20);
	assert_int_equal(o.present, SEG_HAS_MSS | SEG_HAS_SACK_PERM | SEG_HAS_TS | SEG_HAS_WSCALE);
	opts_roundtrip(&o);
}

static void opt_odd_alignment(void **state)
{
	/* RFC 9293 MUST-64: options may start on any byte. */
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_wscale(&o, 3);	     /* 0..2 */
	seg_opts_add_ts(&o, 0x11223344u, 9); /* 3..12 */
	seg_opts_add_mss(&o, 536);	     /* 13..16 */
	seg_opts_add_sack_perm(&o);	     /* 17..18 */
	assert_int_equal(o.len, 19);
	assert_int_equal(o.raw[3], SEG_OPT_TS);
	assert_int_equal(o.raw[13], SEG_OPT_MSS);
	opts_roundtrip(&o);
}

static void opt_unknown_kept_raw(void **state)
{
	static const uint8_t fo[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	struct seg_opts o, p;
	struct seg_err err;
	(void)state;
	seg_opts_clear(&o);
	assert_int_equal(seg_opts_add_raw(&o, 34, 10, fo, 8), 0); /* TFO cookie */
	assert_int_equal(seg_opts_add_raw(&o, 30, 2, NULL, 0), 0);
	seg_opts_add_mss(&o, 1400);
	assert_int_equal(o.present, SEG_HAS_UNKNOWN | SEG_HAS_MSS);
	assert_int_equal(o.len, 16);
	opts_roundtrip(&o);
	assert_int_equal(seg_opts_parse(o.raw, o.len, &p, &err), 0);
	assert_int_equal(p.present, SEG_HAS_UNKNOWN | SEG_HAS_MSS);
	assert_int_equal(p.mss, 1400);
	assert_memory_equal(p.raw, o.raw, o.len);
}

static void opt_raw_known_kind_updates_view(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	assert_int_equal(seg_opts_add_raw(&o, SEG_OPT_MSS, 4, (const uint8_t *)"\x01\x00", 2), 0);
	assert_int_equal(o.present, SEG_HAS_MSS);
	assert_int_equal(o.mss, 256);
	/* Malformed ones go on the wire but not into the view. */
	assert_int_equal(seg_opts_add_raw(&o, SEG_OPT_WSCALE, 4, (const uint8_t *)"\x07\x00", 2),
			 0);
	assert_int_equal(seg_opts_add_raw(&o, SEG_OPT_TS, 10, (const uint8_t *)"\x01", 1), 0);
	assert_int_equal(seg_opts_add_raw(&o, 99, 0, NULL, 0), 0);
	assert_int_equal(o.present, SEG_HAS_MSS);
	assert_int_equal(o.len, 4 + 4 + 3 + 2);
	assert_int_equal(seg_opts_add_raw(&o, 1, 2, data, 39), SEG_ESPACE);
	assert_int_equal(seg_opts_add_raw(&o, 1, 2, data, 26), SEG_ESPACE);
	assert_int_equal(seg_opts_add_raw(&o, 1, 2, data, 25), 0);
	assert_int_equal(o.len, 40);
	assert_int_equal(seg_opts_add_raw(&o, 1, 2, NULL, 1), SEG_EINVAL);
}

static void opt_duplicates_first_wins(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_mss(&o, 1000);
	seg_opts_add_mss(&o, 2000);
	seg_opts_add_wscale(&o, 2);
	seg_opts_add_wscale(&o, 9);
	seg_opts_add_ts(&o, 5, 6);
	seg_opts_add_ts(&o, 7, 8);
	assert_int_equal(o.mss, 1000);
	assert_int_equal(o.wscale, 2);
	assert_int_equal(o.ts_val, 5);
	assert_int_equal(o.len, 4 + 4 + 3 + 3 + 10 + 10);
	opts_roundtrip(&o); /* the decoder's view holds the first too */
}

static void opt_eol_in_the_middle(void **state)
{
	struct seg_opts o;
	struct seg s;
	struct seg_packet pkt;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_mss(&o, 1200);
	seg_opts_add_eol(&o);
	seg_opts_add_wscale(&o, 5);	     /* after EOL: on the wire, not in the view */
	seg_opts_add_raw(&o, 5, 1, NULL, 0); /* malformed, but past EOL: ignored */
	assert_int_equal(o.present, SEG_HAS_MSS | SEG_HAS_EOL);
	opts_roundtrip(&o);
	cu_seg(&s, SEG_IPV4);
	s.opts = o;
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(pkt.u.tcp.opts.len, 12);
	assert_int_equal(pkt.u.tcp.opts.raw[5], SEG_OPT_WSCALE);
}

static void opt_nops_and_padding(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_nop(&o);
	assert_int_equal(o.present, 0);
	assert_int_equal(seg_opts_pad(&o), 0);
	assert_int_equal(o.len, 4);
	assert_memory_equal(o.raw, "\x01\x00\x00\x00", 4);
	assert_int_equal(o.present, SEG_HAS_EOL);
	assert_int_equal(seg_opts_pad(&o), 0);
	assert_int_equal(o.len, 4);
	opts_roundtrip(&o);
}

static void opt_space_full(void **state)
{
	struct seg_opts o;
	int i;
	(void)state;
	seg_opts_clear(&o);
	for (i = 0; i < 40; i++)
		assert_int_equal(seg_opts_add_nop(&o), 0);
	assert_int_equal(seg_opts_add_nop(&o), SEG_ESPACE);
	assert_int_equal(seg_opts_add_eol(&o), SEG_ESPACE);
	assert_int_equal(o.present, 0);
	seg_opts_clear(&o);
	for (i = 0; i < 9; i++)
		assert_int_equal(seg_opts_add_mss(&o, 1), 0);
	assert_int_equal(seg_opts_add_ts(&o, 1, 1), SEG_ESPACE);
	assert_int_equal(seg_opts_add_sack_perm(&o), 0);
	assert_int_equal(seg_opts_add_wscale(&o, 1), SEG_ESPACE);
	assert_int_equal(o.len, 38);
	opts_roundtrip(&o);
}

static void opt_parse_out_only_on_success(void **state)
{
	static const uint8_t bad[] = {1, 2, 4, 5, 0xb4, 3, 1};
	struct seg_opts o;
	struct seg_err err;
	(void)state;
	memset(&o, 0x5a, sizeof o);
	assert_int_equal(seg_opts_parse(bad, sizeof bad, &o, &err), SEG_EOPTLEN);
	assert_int_equal(err.offset, 6);
	assert_int_equal(o.len, 0x5a);
	assert_int_equal(seg_opts_parse(bad, 5, &o, NULL), 0);
	assert_int_equal(o.mss, 0x5b4);
	assert_int_equal(seg_opts_parse(bad, 0, &o, NULL), 0);
	assert_int_equal(o.len, 0);
	assert_int_equal(o.present, 0);
	assert_int_equal(seg_opts_parse(buf, 41, &o, &err), SEG_EOPTLEN);
}

/* ---- the IP layer ------------------------------------------------------------- */

static void ip4_header_fields_roundtrip(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.tos = 0xb9;
	s.ttl = 1;
	s.ip_id = 0xbeef;
	s.df = true;
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[1], 0xb9);
	assert_int_equal(buf[4] << 8 | buf[5], 0xbeef);
	assert_int_equal(buf[6], 0x40);
	assert_int_equal(buf[8], 1);
	s.ttl = 0; /* 0 means 64 */
	s.df = false;
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[8], 64);
	assert_int_equal(buf[6], 0);
}

static void ip4_options_roundtrip(void **state)
{
	static const uint8_t lsrr[] = {0x83, 7, 4, 192, 0, 2, 9};
	static const uint8_t ra[] = {0x94, 4, 0, 0}; /* router alert */
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	memcpy(s.ip_opts, lsrr, sizeof lsrr);
	s.ip_opts_len = sizeof lsrr;
	s.payload = data;
	s.len = 10;
	seg_opts_add_mss(&s.opts, 1300);
	n = cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[0], 0x47);
	assert_int_equal(n, 28 + 24 + 10);
	assert_int_equal(pkt.u.tcp.ip_opts_len, 8);
	assert_int_equal(pkt.u.tcp.ip_opts[7], 0);
	cu_seg(&s, SEG_IPV4);
	memset(s.ip_opts, 1, 36); /* NOPs, then a 4-byte option: 40 in all */
	memcpy(s.ip_opts + 36, ra, 4);
	s.ip_opts_len = 40;
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[0], 0x4f);
}

static void ip6_traffic_class_flow_label(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	s.tos = 0xa7;
	s.flow_label = 0xfedcb;
	s.ttl = 255;
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[0], 0x6a);
	assert_int_equal(buf[1], 0x7f);
	assert_int_equal(buf[2], 0xed);
	assert_int_equal(buf[3], 0xcb);
	assert_int_equal(buf[7], 255);
}

static void ip6_hop_by_hop_roundtrip(void **state)
{
	static const uint8_t hbh[8] = {17, 0, 1, 4, 0, 0, 0, 0}; /* next byte wrong: patched */
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	memcpy(s.ip6_ext, hbh, sizeof hbh);
	s.ip6_ext_len = sizeof hbh;
	s.ip6_ext_first = 0;
	s.payload = data;
	s.len = 33;
	seg_opts_add_mss(&s.opts, 1220);
	s.ip6_ext[0] = 6; /* as the decoder will report it */
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[6], 0);
	assert_int_equal(buf[40], 6);
	assert_int_equal(buf[4] << 8 | buf[5], 8 + 24 + 33);
	/* The encoder chains the last header to TCP whatever it held. */
	s.ip6_ext[0] = 17;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(buf[40], 6);
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
}

static void ip6_ext_chain_built_and_skipped(void **state)
{
	static const uint8_t ra[4] = {5, 2, 0, 0};	   /* router alert option */
	static const uint8_t rh[6] = {253, 0, 0, 0, 0, 0}; /* experimental, segleft 0 */
	static const uint8_t big[20] = {0x1e, 18};	   /* an 18-byte option */
	struct seg s;
	struct seg_packet pkt;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	assert_int_equal(seg_ip6_ext_add(&s, 0, ra, sizeof ra), 0);
	assert_int_equal(s.ip6_ext_len, 8);
	assert_memory_equal(s.ip6_ext, "\x06\x00\x05\x02\x00\x00\x01\x00", 8); /* PadN of 2 */
	assert_int_equal(seg_ip6_ext_add(&s, 60, big, sizeof big), 0);
	assert_int_equal(s.ip6_ext_len, 8 + 24);
	assert_int_equal(s.ip6_ext[0], 60);
	assert_int_equal(seg_ip6_ext_add(&s, 43, rh, sizeof rh), 0);
	assert_int_equal(seg_ip6_ext_add(&s, 60, NULL, 0), 0);
	assert_int_equal(s.ip6_ext_len, 8 + 24 + 8 + 8);
	assert_int_equal(s.ip6_ext_first, 0);
	s.payload = data;
	s.len = 100;
	seg_opts_add_ts(&s.opts, 3, 4);
	cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(buf[6], 0);
	assert_int_equal(buf[40 + 48 - 8], 6);
	assert_int_equal(cu_tcp_off(buf), 88);
}

static void ip6_ext_add_limits(void **state)
{
	static const uint8_t body[254] = {0};
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	assert_int_equal(seg_ip6_ext_add(&s, 44, body, 5), SEG_EINVAL);
	assert_int_equal(seg_ip6_ext_add(&s, 60, NULL, 3), SEG_EINVAL);
	assert_int_equal(seg_ip6_ext_add(&s, 60, body, 254), 0); /* 256 bytes exactly */
	assert_int_equal(s.ip6_ext_len, 256);
	assert_int_equal(seg_ip6_ext_add(&s, 60, NULL, 0), SEG_ESPACE);
	cu_seg(&s, SEG_IPV6);
	assert_int_equal(seg_ip6_ext_add(&s, 44, body, 6), 0);
	assert_int_equal(s.ip6_ext_len, 8);
	assert_int_equal(s.ip6_ext_first, 44);
	s.ip6_ext_len = 5; /* a chain that does not add up */
	assert_int_equal(seg_ip6_ext_add(&s, 60, NULL, 0), SEG_EINVAL);
}

/* ---- checksums ------------------------------------------------------------------ */

/* IPv4 SYN, MSS 1460, 5 bytes "hello"; checksums computed with an
 * independent Python RFC 1071 implementation: IP 0xa48f, TCP 0x33ba. */
static const uint8_t vec4[] = {0x45, 0x00, 0x00, 0x31, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
			       0xa4, 0x8f, 0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,
			       0x9c, 0x40, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
			       0x00, 0x00, 0x60, 0x02, 0xff, 0xff, 0x33, 0xba, 0x00, 0x00,
			       0x02, 0x04, 0x05, 0xb4, 0x68, 0x65, 0x6c, 0x6c, 0x6f};

/* IPv6 PSH|ACK, flow label 0x12345, "abc"; TCP checksum 0xeb8f. */
static const uint8_t vec6[] = {0x60, 0x01, 0x23, 0x45, 0x00, 0x17, 0x06, 0x40, 0x20, 0x01, 0x0d,
			       0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			       0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00,
			       0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x50, 0x9c, 0x40,
			       0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x02, 0x50, 0x18, 0x03,
			       0xe8, 0xeb, 0x8f, 0x00, 0x00, 0x61, 0x62, 0x63};

static void checksum_known_vector_v4(void **state)
{
	struct seg_packet pkt;
	struct seg s;
	size_t n;
	(void)state;
	assert_int_equal(seg_decode(vec4, sizeof vec4, &pkt, NULL), 0);
	assert_true(pkt.u.tcp.ip_csum_ok);
	assert_true(pkt.u.tcp.tcp_csum_ok);
	assert_int_equal(pkt.u.tcp.tcp_csum, 0x33ba);
	assert_int_equal(seg_tcp_csum(SEG_IPV4, vec4 + 12, vec4 + 16, vec4 + 20, 29), 0);
	/* Built from fields, the encoder writes the same bytes. */
	cu_seg(&s, SEG_IPV4);
	s.sport = 40000;
	s.dport = 80;
	s.seq = 1;
	s.ack = 0;
	s.flags = SEG_SYN;
	s.ip_id = 0x1234;
	s.df = true;
	seg_opts_add_mss(&s.opts, 1460);
	s.payload = (const uint8_t *)"hello";
	s.len = 5;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(n, sizeof vec4);
	assert_memory_equal(buf, vec4, sizeof vec4);
}

static void checksum_known_vector_v6(void **state)
{
	struct seg_packet pkt;
	struct seg s;
	size_t n;
	(void)state;
	assert_int_equal(seg_decode(vec6, sizeof vec6, &pkt, NULL), 0);
	assert_true(pkt.u.tcp.tcp_csum_ok);
	assert_true(pkt.u.tcp.ip_csum_ok);
	assert_int_equal(pkt.u.tcp.tcp_csum, 0xeb8f);
	assert_int_equal(pkt.u.tcp.flow_label, 0x12345);
	cu_seg(&s, SEG_IPV6);
	s.sport = 80;
	s.dport = 40000;
	s.seq = 1000;
	s.ack = 2;
	s.flags = SEG_PSH | SEG_ACK;
	s.wnd = 1000;
	s.flow_label = 0x12345;
	s.payload = (const uint8_t *)"abc";
	s.len = 3;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(n, sizeof vec6);
	assert_memory_equal(buf, vec6, sizeof vec6);
}

static void checksum_rfc1071_primitives(void **state)
{
	/* The IPv4 header of the well-known example (checksum 0xb861). */
	static const uint8_t hdr[20] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
					0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	static const uint8_t odd[5] = {0x01, 0x02, 0x03, 0x04, 0x05};
	uint32_t sum;
	(void)state;
	assert_int_equal(seg_csum_fold(seg_csum_add(0, hdr, 20)), 0xb861);
	/* In parts (even lengths but the last) it is the same. */
	sum = seg_csum_add(0, hdr, 6);
	sum = seg_csum_add(sum, hdr + 6, 14);
	assert_int_equal(seg_csum_fold(sum), 0xb861);
	/* An odd tail is the high byte of a zero-padded word. */
	assert_int_equal(seg_csum_fold(seg_csum_add(0, odd, 5)),
			 cu_csum3(odd, 5, NULL, 0, NULL, 0));
	assert_int_equal(seg_csum_fold(0), 0xffff);
	/* The pseudo-header sums for v4 and v6 agree with the test's own. */
	assert_int_equal(seg_csum_fold(seg_csum_add(
				 seg_csum_pseudo(SEG_IPV6, cu_v6a, cu_v6b, 58, 5), odd, 5)),
			 cu_l4_csum(SEG_IPV6, cu_v6a, cu_v6b, 58, odd, 5));
	assert_int_equal(seg_csum_fold(seg_csum_add(seg_csum_pseudo(SEG_IPV4, cu_v4a, cu_v4b, 6, 5),
						    odd, 5)),
			 cu_l4_csum(SEG_IPV4, cu_v4a, cu_v4b, 6, odd, 5));
}

static void checksum_many_lengths_agree(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	size_t len;
	(void)state;
	for (len = 0; len < 70; len++) {
		cu_seg(&s, len % 2 ? SEG_IPV4 : SEG_IPV6);
		s.payload = data + 1999 - len; /* ends on the 0x5a byte */
		s.len = len;
		s.seq = (uint32_t)(len * 0x9e3779b9u);
		cu_roundtrip(&s, buf, &pkt);
	}
}

static void bad_tcp_checksum_built_and_detected(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	enum seg_family fam;
	size_t n;
	(void)state;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		cu_seg(&s, fam);
		s.payload = data;
		s.len = 10;
		s.wire.tcp_csum_set = true;
		s.wire.tcp_csum = 0x1234;
		assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
		assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0); /* not an error */
		assert_false(pkt.u.tcp.tcp_csum_ok);
		assert_true(pkt.u.tcp.ip_csum_ok);
		assert_int_equal(pkt.u.tcp.tcp_csum, 0x1234);
		assert_int_equal(pkt.u.tcp.len, 10);
	}
}

static void bad_ip_checksum_built_and_detected(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.wire.ip_csum_set = true;
	s.wire.ip_csum = 0;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(buf[10] | buf[11], 0);
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	assert_false(pkt.u.tcp.ip_csum_ok);
	assert_true(pkt.u.tcp.tcp_csum_ok);
}

static void corrupted_bytes_fail_the_checksum(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	size_t n, i;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.payload = data;
	s.len = 64;
	seg_opts_add_ts(&s.opts, 10, 20);
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	for (i = 20; i < n; i++) { /* every TCP byte and the payload */
		int rc;
		buf[i] ^= 0x10;
		rc = seg_decode(buf, n, &pkt, NULL);
		if (i == 41 || i == 50) /* TS length; EOL pad turned kind 16 */
			assert_int_equal(rc, SEG_EOPTLEN);
		else
			assert_int_equal(rc, 0);
		if (rc == 0)
			assert_false(pkt.u.tcp.tcp_csum_ok);
		buf[i] ^= 0x10;
	}
	buf[15] ^= 1; /* the source address is in the pseudo-header */
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	assert_false(pkt.u.tcp.tcp_csum_ok);
	assert_false(pkt.u.tcp.ip_csum_ok);
}

/* ---- encoder overrides and errors ----------------------------------------------- */

static void wire_doff_override(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	struct seg_err err;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.payload = data;
	s.len = 8;
	s.wire.doff = 6; /* the first 4 payload bytes read as options "hell" */
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(buf[32] >> 4, 6);
	assert_int_equal(seg_decode(buf, n, &pkt, &err), SEG_EOPTLEN);
	s.payload = (const uint8_t *)"\x01\x01\x01\x01tail";
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	assert_int_equal(pkt.u.tcp.opts.len, 4);
	assert_int_equal(pkt.u.tcp.len, 4);
	assert_true(pkt.u.tcp.tcp_csum_ok); /* the checksum covers the same bytes */
	s.wire.doff = 16;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
}

static void wire_ip_len_delta(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.wire.ip_len_delta = 10;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(n, 40);
	assert_int_equal(buf[2] << 8 | buf[3], 50);
	cu_check_csums(buf, n); /* the IP checksum covers the lying length */
	cu_expect_err(buf, n, SEG_EIPLEN, 2);
	s.wire.ip_len_delta = -41;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV6);
	s.wire.ip_len_delta = -1;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(buf[4] << 8 | buf[5], 19);
	s.wire.ip_len_delta = 65535;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
}

static void wire_ip_frag_builds_fragments(void **state)
{
	struct seg s;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.df = true;
	s.wire.ip_frag = 0x2000;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(buf[6], 0x60);
	cu_check_csums(buf, n);
	cu_expect_err(buf, n, SEG_EFRAG, 6);
}

static void encode_rejects_impossible(void **state)
{
	struct seg s;
	size_t n = 12345;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.family = 5;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV4);
	s.reserved = 16;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV4);
	s.opts.len = 41;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV4);
	s.ip_opts_len = 41;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV4);
	s.len = 1;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV4);
	s.payload = buf;
	s.len = 65535 - 40 + 1;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV6);
	s.flow_label = 0x100000;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	cu_seg(&s, SEG_IPV6);
	s.ip6_ext_len = 257;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), SEG_EINVAL);
	assert_int_equal(n, 12345); /* out_len untouched on failure */
}

static void encode_needs_space(void **state)
{
	struct seg s;
	size_t n = 7, cap;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.payload = data;
	s.len = 100;
	for (cap = 0; cap < 140; cap++)
		assert_int_equal(seg_encode(&s, buf, cap, &n), SEG_ESPACE);
	assert_int_equal(n, 7);
	assert_int_equal(seg_encode(&s, buf, 140, &n), 0);
	assert_int_equal(n, 140);
}

static void encode_largest_packets(void **state)
{
	static uint8_t big[65535];
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	memset(big, 0xab, sizeof big);
	cu_seg(&s, SEG_IPV4);
	s.payload = big;
	s.len = 65535 - 40;
	n = cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(n, 65535);
	cu_seg(&s, SEG_IPV6);
	s.payload = big;
	s.len = 65535 - 20; /* payload length field at its maximum */
	n = cu_roundtrip(&s, buf, &pkt);
	assert_int_equal(n, SEG_MAX_PACKET);
}

static void encode_in_place(void **state)
{
	struct seg_packet pkt;
	struct seg s;
	size_t n, m;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.payload = data;
	s.len = 300;
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	s = pkt.u.tcp; /* payload points into buf */
	seg_opts_add_ts(&s.opts, 1, 2);
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &m), 0);
	assert_int_equal(m, n + 12);
	assert_int_equal(seg_decode(buf, m, &pkt, NULL), 0);
	assert_true(pkt.u.tcp.tcp_csum_ok);
	assert_memory_equal(pkt.u.tcp.payload, data, 300);
}

static void decode_encode_is_identity(void **state)
{
	static const uint8_t *const vecs[] = {vec4, vec6};
	static const size_t lens[] = {sizeof vec4, sizeof vec6};
	struct seg_packet pkt;
	uint8_t out[256];
	size_t i, n;
	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(seg_decode(vecs[i], lens[i], &pkt, NULL), 0);
		assert_int_equal(seg_encode(&pkt.u.tcp, out, sizeof out, &n), 0);
		assert_int_equal(n, lens[i]);
		assert_memory_equal(out, vecs[i], n);
	}
}

static void trailing_link_padding_ignored(void **state)
{
	struct seg s;
	struct seg_packet pkt;
	enum seg_family fam;
	size_t n;
	(void)state;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		cu_seg(&s, fam);
		s.payload = data;
		s.len = 2;
		assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
		memset(buf + n, 0xee, 20); /* Ethernet pads short frames */
		assert_int_equal(seg_decode(buf, n + 20, &pkt, NULL), 0);
		assert_int_equal(pkt.u.tcp.len, 2);
		assert_true(pkt.u.tcp.tcp_csum_ok);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(init_zeroes_and_sets_ttl),
	cmocka_unit_test(seq_len_counts_syn_and_fin),
	cmocka_unit_test(roundtrip_v4_data),
	cmocka_unit_test(roundtrip_v6_data),
	cmocka_unit_test(flags_all_256_v4),
	cmocka_unit_test(flags_all_256_v6),
	cmocka_unit_test(flags_on_the_wire),
	cmocka_unit_test(reserved_bits_roundtrip),
	cmocka_unit_test(urgent_pointer_and_numbers_roundtrip),
	cmocka_unit_test(opt_mss),
	cmocka_unit_test(opt_wscale),
	cmocka_unit_test(opt_sack_permitted),
	cmocka_unit_test(opt_timestamps),
	cmocka_unit_test(opt_sack_1_to_4_blocks),
	cmocka_unit_test(opt_sack_bad_counts),
	cmocka_unit_test(opt_sack_3_blocks_beside_timestamps),
	cmocka_unit_test(opt_linux_syn_set),
	cmocka_unit_test(opt_odd_alignment),
	cmocka_unit_test(opt_unknown_kept_raw),
	cmocka_unit_test(opt_raw_known_kind_updates_view),
	cmocka_unit_test(opt_duplicates_first_wins),
	cmocka_unit_test(opt_eol_in_the_middle),
	cmocka_unit_test(opt_nops_and_padding),
	cmocka_unit_test(opt_space_full),
	cmocka_unit_test(opt_parse_out_only_on_success),
	cmocka_unit_test(ip4_header_fields_roundtrip),
	cmocka_unit_test(ip4_options_roundtrip),
	cmocka_unit_test(ip6_traffic_class_flow_label),
	cmocka_unit_test(ip6_hop_by_hop_roundtrip),
	cmocka_unit_test(ip6_ext_chain_built_and_skipped),
	cmocka_unit_test(ip6_ext_add_limits),
	cmocka_unit_test(checksum_known_vector_v4),
	cmocka_unit_test(checksum_known_vector_v6),
	cmocka_unit_test(checksum_rfc1071_primitives),
	cmocka_unit_test(checksum_many_lengths_agree),
	cmocka_unit_test(bad_tcp_checksum_built_and_detected),
	cmocka_unit_test(bad_ip_checksum_built_and_detected),
	cmocka_unit_test(corrupted_bytes_fail_the_checksum),
	cmocka_unit_test(wire_doff_override),
	cmocka_unit_test(wire_ip_len_delta),
	cmocka_unit_test(wire_ip_frag_builds_fragments),
	cmocka_unit_test(encode_rejects_impossible),
	cmocka_unit_test(encode_needs_space),
	cmocka_unit_test(encode_largest_packets),
	cmocka_unit_test(encode_in_place),
	cmocka_unit_test(decode_encode_is_identity),
	cmocka_unit_test(trailing_link_padding_ignored),
};

TC_CMOCKA_MAIN(tests)
