/* Unit tests of the codec's printer (seg_format, seg_format_opts,
 * seg_format_addr) and of seg_strerror: the exact text for the segments a
 * packetdrill script shows, the corner cases of the notation, snprintf-like
 * truncation, and addresses against libc's inet_ntop. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cmake/cmocka_main.h"
#include "codec_util.h"

static char text[512];

/* Format `s` and compare; also check the returned length. */
static void expect_text(const struct seg *s, uint32_t seq_base, uint32_t ack_base, const char *want)
{
	int n = seg_format(s, seq_base, ack_base, text, sizeof text);
	assert_string_equal(text, want);
	assert_int_equal(n, (int)strlen(want));
}

static void expect_opts(const struct seg_opts *o, uint32_t base, const char *want)
{
	int n = seg_format_opts(o, base, text, sizeof text);
	assert_string_equal(text, want);
	assert_int_equal(n, (int)strlen(want));
}

static void format_syn_ack_full_options(void **state)
{
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_SYN | SEG_ACK;
	s.seq = 3000000000u;
	s.ack = 12346;
	seg_opts_add_mss(&s.opts, 1460);
	seg_opts_add_sack_perm(&s.opts);
	seg_opts_add_ts(&s.opts, 1, 0);
	seg_opts_add_nop(&s.opts);
	seg_opts_add_wscale(&s.opts, 7);
	expect_text(&s, 3000000000u, 12345,
		    "S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>");
}

static void format_data_with_push(void **state)
{
	static const uint8_t data[100];
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	s.flags = SEG_PSH | SEG_ACK;
	s.seq = 1001;
	s.ack = 5001;
	s.wnd = 502;
	s.payload = data;
	s.len = 100;
	seg_opts_add_nop(&s.opts);
	seg_opts_add_nop(&s.opts);
	seg_opts_add_ts(&s.opts, 700, 650);
	expect_text(&s, 1000, 5000, "P. 1:101(100) ack 1 win 502 <nop,nop,TS val 700 ecr 650>");
}

static void format_rst_and_fin(void **state)
{
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_RST;
	s.seq = 101;
	s.wnd = 0;
	expect_text(&s, 0, 0, "R 101:101(0) win 0");
	s.flags = SEG_RST | SEG_ACK;
	s.ack = 7;
	expect_text(&s, 100, 0, "R. 1:1(0) ack 7 win 0");
	s.flags = SEG_FIN | SEG_ACK;
	s.wnd = 100;
	expect_text(&s, 100, 6, "F. 1:1(0) ack 1 win 100");
	s.flags = SEG_FIN | SEG_PSH | SEG_ACK;
	expect_text(&s, 100, 6, "FP. 1:1(0) ack 1 win 100");
}

static void format_relative_numbers_wrap(void **state)
{
	static const uint8_t data[10];
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.seq = 5; /* 10 bytes after an ISN just below 2^32 */
	s.ack = 2;
	s.payload = data;
	s.len = 10;
	expect_text(&s, 0xfffffffbu, 0xfffffff0u, ". 10:20(10) ack 18 win 65535");
	s.seq = 0xfffffffcu; /* the end wraps */
	expect_text(&s, 0, 0, ". 4294967292:6(10) ack 2 win 65535");
}

static void format_flag_letters_and_order(void **state)
{
	static const struct {
		uint8_t flags;
		const char *text;
	} cases[] = {
		{0, "-"},
		{SEG_FIN, "F"},
		{SEG_SYN, "S"},
		{SEG_RST, "R"},
		{SEG_PSH, "P"},
		{SEG_ACK, "."},
		{SEG_ECE, "E"},
		{SEG_CWR, "W"},
		{SEG_SYN | SEG_ECE | SEG_CWR, "SEW"},
		{SEG_SYN | SEG_ACK | SEG_ECE, "S.E"},
		{0xff, "FSRP.UEW"},
	};
	struct seg s;
	size_t i;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.seq = 0;
	s.ack = 0;
	s.wnd = 1;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		s.flags = cases[i].flags;
		seg_format(&s, 0, 0, text, sizeof text);
		assert_int_equal(strncmp(text, cases[i].text, strlen(cases[i].text)), 0);
		assert_int_equal(text[strlen(cases[i].text)], ' ');
	}
}

static void format_urgent_pointer(void **state)
{
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.seq = 1;
	s.ack = 1;
	s.flags = SEG_URG | SEG_ACK;
	s.urp = 5;
	expect_text(&s, 0, 0, ".U 1:1(0) ack 1 win 65535 urg 5");
	s.flags = SEG_ACK; /* a pointer without URG is still shown */
	expect_text(&s, 0, 0, ". 1:1(0) ack 1 win 65535 urg 5");
	s.flags = SEG_URG;
	s.urp = 0;
	expect_text(&s, 0, 0, "U 1:1(0) win 65535 urg 0");
}

static void format_reserved_bits(void **state)
{
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_SYN;
	s.seq = 0;
	s.reserved = 5;
	seg_opts_add_mss(&s.opts, 536);
	expect_text(&s, 0, 0, "S 0:0(0) win 65535 reserved 5 <mss 536>");
}

static void format_sack_blocks_relative(void **state)
{
	static const struct seg_sack_block b[3] = {{1101, 1201}, {1301, 1401}, {999, 1000}};
	struct seg s;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.seq = 501;
	s.ack = 1001;
	seg_opts_add_nop(&s.opts);
	seg_opts_add_nop(&s.opts);
	seg_opts_add_sack(&s.opts, b, 3);
	expect_text(&s, 500, 1000,
		    ". 1:1(0) ack 1 win 65535 <nop,nop,sack 101:201 301:401 4294967295:0>");
	expect_opts(&s.opts, 0, "<nop,nop,sack 1101:1201 1301:1401 999:1000>");
}

static void format_unknown_options(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_raw(&o, 30, 4, (const uint8_t *)"\x01\x02", 2);
	seg_opts_add_raw(&o, 253, 2, NULL, 0);
	seg_opts_add_mss(&o, 536);
	expect_opts(&o, 0, "<unknown kind 30 len 4 0x0102,unknown kind 253 len 2,mss 536>");
}

static void format_malformed_options(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_raw(&o, SEG_OPT_MSS, 3, (const uint8_t *)"\x05", 1);
	seg_opts_add_raw(&o, SEG_OPT_SACK, 4, (const uint8_t *)"\xaa\xbb", 2);
	seg_opts_add_raw(&o, 30, 0, (const uint8_t *)"\x09", 1);
	expect_opts(&o, 0,
		    "<bad kind 2 len 3 0x05,bad kind 5 len 4 0xaabb,bad kind 30 len 0 0x09>");
	seg_opts_clear(&o);
	seg_opts_add_nop(&o);
	seg_opts_add_raw(&o, SEG_OPT_TS, 10, (const uint8_t *)"\x01", 1);
	expect_opts(&o, 0, "<nop,bad kind 8 len 10 0x01>");
	seg_opts_clear(&o);
	seg_opts_add_nop(&o);
	o.raw[o.len++] = SEG_OPT_WSCALE; /* a kind with no length byte */
	expect_opts(&o, 0, "<nop,bad kind 3>");
}

static void format_eol_and_padding(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	seg_opts_add_wscale(&o, 7);
	seg_opts_pad(&o);
	expect_opts(&o, 0, "<wscale 7,eol>");
	seg_opts_clear(&o);
	seg_opts_add_mss(&o, 1200);
	seg_opts_add_eol(&o);
	seg_opts_add_wscale(&o, 5);
	expect_opts(&o, 0, "<mss 1200,eol,wscale 5>");
	seg_opts_clear(&o);
	seg_opts_add_sack_perm(&o);
	seg_opts_pad(&o);
	expect_opts(&o, 0, "<sackOK,eol,eol>");
}

static void format_no_options(void **state)
{
	struct seg_opts o;
	(void)state;
	seg_opts_clear(&o);
	memset(text, 'x', sizeof text);
	assert_int_equal(seg_format_opts(&o, 0, text, sizeof text), 0);
	assert_string_equal(text, "");
}

static void format_decoded_segment(void **state)
{
	static const uint8_t data[3] = {1, 2, 3};
	uint8_t buf[200];
	struct seg s;
	struct seg_packet pkt;
	size_t n;
	(void)state;
	cu_seg(&s, SEG_IPV6);
	s.flags = SEG_SYN;
	s.seq = 77;
	s.payload = data;
	s.len = 3;
	seg_opts_add_mss(&s.opts, 1220);
	seg_opts_add_wscale(&s.opts, 8);
	assert_int_equal(seg_encode(&s, buf, sizeof buf, &n), 0);
	assert_int_equal(seg_decode(buf, n, &pkt, NULL), 0);
	expect_text(&pkt.u.tcp, 77, 0, "S 0:3(3) win 65535 <mss 1220,wscale 8,eol>");
}

static void format_truncates_like_snprintf(void **state)
{
	struct seg s;
	char small[10];
	int full, n;
	(void)state;
	cu_seg(&s, SEG_IPV4);
	s.flags = SEG_SYN;
	s.seq = 0;
	seg_opts_add_mss(&s.opts, 1460);
	full = seg_format(&s, 0, 0, text, sizeof text);
	assert_string_equal(text, "S 0:0(0) win 65535 <mss 1460>");
	memset(small, 'x', sizeof small);
	n = seg_format(&s, 0, 0, small, sizeof small);
	assert_int_equal(n, full);
	assert_string_equal(small, "S 0:0(0) ");
	assert_int_equal(seg_format(&s, 0, 0, NULL, 0), full);
	memset(small, 'x', sizeof small);
	assert_int_equal(seg_format(&s, 0, 0, small, 1), full);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'x');
	assert_int_equal(seg_format_opts(&s.opts, 0, small, 5), 10);
	assert_string_equal(small, "<mss");
}

static void format_addr_v4(void **state)
{
	static const uint8_t a[][4] = {
		{0, 0, 0, 0}, {192, 0, 2, 1}, {255, 255, 255, 255}, {10, 100, 0, 9}};
	char want[64], got[64];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof a / sizeof a[0]; i++) {
		int n = seg_format_addr(SEG_IPV4, a[i], got, sizeof got);
		inet_ntop(AF_INET, a[i], want, sizeof want);
		assert_string_equal(got, want);
		assert_int_equal(n, (int)strlen(want));
	}
}

static void format_addr_v6_like_inet_ntop(void **state)
{
	static const char *const addrs[] = {
		"::",
		"::1",
		"2001:db8::1",
		"2001:db8:0:1:0:0:0:1",
		"2001:0:0:1:0:0:0:1",
		"2001:db8:0:0:1:0:0:1",
		"fe80::1:2:3:4",
		"1:0:2:3:4:5:6:7",
		"1:2:3:4:5:6:7:0",
		"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
		"::ffff:192.0.2.1",
		"::192.0.2.1",
		"::ffff:0:0",
		"0:0:0:0:0:1:0:0",
		"1::",
		"0:1:0:1:0:1:0:1",
		"::1:0:0:0",
	};
	char want[64], got[64];
	uint8_t a[16];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof addrs / sizeof addrs[0]; i++) {
		assert_int_equal(inet_pton(AF_INET6, addrs[i], a), 1);
		inet_ntop(AF_INET6, a, want, sizeof want);
		seg_format_addr(SEG_IPV6, a, got, sizeof got);
		assert_string_equal(got, want);
	}
	assert_int_equal(seg_format_addr(7, a, got, sizeof got), SEG_EINVAL);
	assert_string_equal(got, "");
}

static void strerror_every_code(void **state)
{
	static const int codes[] = {SEG_OK,	SEG_ETRUNC, SEG_EVERSION, SEG_EIPHDR,  SEG_EIPLEN,
				    SEG_EPROTO, SEG_EDOFF,  SEG_EOPTLEN,  SEG_EOPTVAL, SEG_EEXTHDR,
				    SEG_EICMP,	SEG_ESPACE, SEG_EINVAL,	  SEG_EFRAG};
	const char *unknown = seg_strerror(-1000);
	size_t i, j;
	(void)state;
	assert_non_null(unknown);
	assert_ptr_equal(seg_strerror(1), unknown);
	assert_ptr_equal(seg_strerror(SEG_EFRAG - 1), unknown);
	assert_ptr_equal(seg_strerror(-2147483647 - 1), unknown);
	for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		const char *t = seg_strerror(codes[i]);
		assert_non_null(t);
		assert_true(t[0] != '\0');
		assert_ptr_not_equal(t, unknown);
		for (j = 0; j < i; j++)
			assert_string_not_equal(t, seg_strerror(codes[j]));
	}
	assert_string_equal(seg_strerror(SEG_EFRAG), "IP fragment (tcpcheck does not reassemble)");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(format_syn_ack_full_options),
	cmocka_unit_test(format_data_with_push),
	cmocka_unit_test(format_rst_and_fin),
	cmocka_unit_test(format_relative_numbers_wrap),
	cmocka_unit_test(format_flag_letters_and_order),
	cmocka_unit_test(format_urgent_pointer),
	cmocka_unit_test(format_reserved_bits),
	cmocka_unit_test(format_sack_blocks_relative),
	cmocka_unit_test(format_unknown_options),
	cmocka_unit_test(format_malformed_options),
	cmocka_unit_test(format_eol_and_padding),
	cmocka_unit_test(format_no_options),
	cmocka_unit_test(format_decoded_segment),
	cmocka_unit_test(format_truncates_like_snprintf),
	cmocka_unit_test(format_addr_v4),
	cmocka_unit_test(format_addr_v6_like_inet_ntop),
	cmocka_unit_test(strerror_every_code),
};

TC_CMOCKA_MAIN(tests)
