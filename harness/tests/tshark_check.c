/* Independent cross-check of the packet codec against Wireshark's
 * dissectors (ctest label `tshark`).
 *
 * Builds a set of packets with seg_encode()/seg_icmp_encode() — IPv4 and
 * IPv6, every TCP option, IPv4 options, IPv6 extension headers, ICMP
 * errors, and one packet with a deliberately wrong checksum — writes them
 * to a pcap with cap_write(), has tshark dissect it with checksum
 * validation on, and compares every field tshark reports with the one we
 * built. Any malformed-packet mark, any bad checksum on a packet we built
 * correctly, a good checksum on the one we broke, or any field difference
 * fails the test.
 *
 * Usage: tshark_check WORKDIR    (exit 0 = pass; prints "N passed, N failed") */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness/pcap_out.h"
#include "reference/seg.h"

#define MAX_PKTS 64

/* What we expect tshark to print for one frame, as text per column. */
struct expect {
	char cols[40][64];
	int bad_csum; /* we broke the checksum on purpose */
};

/* The tshark columns, in order. Fields absent from a frame print as "". */
static const char *const fields[] = {
	"frame.number", "ip.version", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
	"tcp.srcport", "tcp.dstport", "tcp.seq_raw", "tcp.ack_raw", "tcp.flags",
	"tcp.window_size_value", "tcp.urgent_pointer", "tcp.len", "tcp.hdr_len",
	"tcp.options.mss_val", "tcp.options.wscale.shift", "tcp.options.timestamp.tsval",
	"tcp.options.timestamp.tsecr", "tcp.options.sack_le", "tcp.options.sack_re",
	"tcp.checksum.status", "ip.checksum.status", "icmp.type", "icmp.code", "icmp.mtu",
	"icmpv6.type", "icmpv6.code", "icmpv6.mtu", "_ws.malformed", "ip.dsfield", "ip.ttl",
	"icmp.checksum.status", "icmpv6.checksum.status",
};
#define NFIELDS (sizeof fields / sizeof fields[0])
_Static_assert(NFIELDS <= 40, "struct expect holds 40 columns");
enum { F_FRAME, F_IPVER, F_IPSRC, F_IPDST, F_IP6SRC, F_IP6DST, F_SPORT, F_DPORT, F_SEQ,
       F_ACK, F_FLAGS, F_WIN, F_URP, F_LEN, F_HDRLEN, F_MSS, F_WS, F_TSVAL, F_TSECR,
       F_SACKL, F_SACKR, F_TCPCSUM, F_IPCSUM, F_ICMPT, F_ICMPC, F_ICMPMTU, F_ICMP6T,
       F_ICMP6C, F_ICMP6MTU, F_MALFORMED, F_DSFIELD, F_TTL, F_ICMPCSUM, F_ICMP6CSUM };

static struct expect expects[MAX_PKTS];
static int npkts;

static void setf(struct expect *e, int f, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void setf(struct expect *e, int f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->cols[f], sizeof e->cols[f], fmt, ap);
	va_end(ap);
}

static void addr_text(const struct seg *s, const uint8_t *a, char *buf, size_t cap)
{
	inet_ntop(s->family == SEG_IPV6 ? AF_INET6 : AF_INET, a, buf, (socklen_t)cap);
}

/* The columns a TCP segment (outermost, not quoted) fills. */
static void expect_tcp(struct expect *e, const struct seg *s)
{
	char a[64], b[64];
	addr_text(s, s->src, a, sizeof a);
	addr_text(s, s->dst, b, sizeof b);
	setf(e, F_IPVER, "%d", s->family);
	if (s->family == SEG_IPV4) {
		setf(e, F_IPSRC, "%s", a);
		setf(e, F_IPDST, "%s", b);
		setf(e, F_IPCSUM, "1");
		setf(e, F_DSFIELD, "0x%02x", s->tos);
		setf(e, F_TTL, "%u", s->ttl ? s->ttl : 64);
	} else {
		setf(e, F_IP6SRC, "%s", a);
		setf(e, F_IP6DST, "%s", b);
	}
	setf(e, F_SPORT, "%u", s->sport);
	setf(e, F_DPORT, "%u", s->dport);
	setf(e, F_SEQ, "%u", s->seq);
	setf(e, F_ACK, "%u", s->ack);
	setf(e, F_FLAGS, "0x%03x", (unsigned)(s->reserved << 8 | s->flags));
	setf(e, F_WIN, "%u", s->wnd);
	setf(e, F_URP, "%u", s->urp);
	setf(e, F_LEN, "%zu", s->len);
	setf(e, F_HDRLEN, "%u", 20u + ((s->opts.len + 3u) & ~3u));
	setf(e, F_TCPCSUM, "%s", e->bad_csum ? "0" : "1");
	if (s->opts.present & SEG_HAS_MSS)
		setf(e, F_MSS, "%u", s->opts.mss);
	if (s->opts.present & SEG_HAS_WSCALE)
		setf(e, F_WS, "%u", s->opts.wscale);
	if (s->opts.present & SEG_HAS_TS) {
		setf(e, F_TSVAL, "%u", s->opts.ts_val);
		setf(e, F_TSECR, "%u", s->opts.ts_ecr);
	}
	if (s->opts.present & SEG_HAS_SACK) {
		char *l = e->cols[F_SACKL], *r = e->cols[F_SACKR];
		unsigned i;
		for (i = 0; i < s->opts.sack_count; i++) {
			size_t ll = strlen(l), rl = strlen(r);
			snprintf(l + ll, 64 - ll, "%s%u", i ? "," : "", s->opts.sack[i].left);
			snprintf(r + rl, 64 - rl, "%s%u", i ? "," : "", s->opts.sack[i].right);
		}
	}
}

static void base_seg(struct seg *s, enum seg_family fam)
{
	static const uint8_t v4a[4] = { 192, 0, 2, 1 }, v4b[4] = { 192, 0, 2, 2 };
	static const uint8_t v6a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t v6b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	seg_init(s, fam);
	memcpy(s->src, fam == SEG_IPV4 ? v4a : v6a, fam == SEG_IPV4 ? 4 : 16);
	memcpy(s->dst, fam == SEG_IPV4 ? v4b : v6b, fam == SEG_IPV4 ? 4 : 16);
	s->sport = 8080;
	s->dport = 40000;
	s->seq = 1000000;
	s->ack = 0xfffffff0u;
	s->wnd = 65535;
}

static int emit_tcp(struct cap_file *cap, const struct seg *s, int bad_csum)
{
	uint8_t buf[2048];
	size_t n;
	struct expect *e = &expects[npkts];
	int rc = seg_encode(s, buf, sizeof buf, &n);
	if (rc != 0) {
		fprintf(stderr, "packet %d: seg_encode: %s\n", npkts + 1, seg_strerror(rc));
		return -1;
	}
	e->bad_csum = bad_csum;
	setf(e, F_FRAME, "%d", npkts + 1);
	expect_tcp(e, s);
	npkts++;
	return cap_write(cap, (uint64_t)npkts * 1000u, buf, n);
}

static int emit_icmp(struct cap_file *cap, const struct seg_icmp *m)
{
	uint8_t buf[2048];
	size_t n;
	char a[64];
	struct expect *e = &expects[npkts];
	int v6 = m->family == SEG_IPV6;
	if (seg_icmp_encode(m, buf, sizeof buf, &n) != 0)
		return -1;
	setf(e, F_FRAME, "%d", npkts + 1);
	setf(e, v6 ? F_ICMP6T : F_ICMPT, "%u", m->type);
	setf(e, v6 ? F_ICMP6CSUM : F_ICMPCSUM, "1");
	setf(e, v6 ? F_ICMP6C : F_ICMPC, "%u", m->code);
	if (m->kind == SEG_ICMP_FRAG_NEEDED)
		setf(e, v6 ? F_ICMP6MTU : F_ICMPMTU, "%u", m->mtu);
	inet_ntop(v6 ? AF_INET6 : AF_INET, m->src, a, sizeof a);
	/* Only the outer header's columns are compared for ICMP: the quoted
	 * TCP header repeats tcp.* columns, which tshark lists too. */
	setf(e, F_IPVER, "%d", m->family);
	npkts++;
	return cap_write(cap, (uint64_t)npkts * 1000u, buf, n);
}

static int build_tcp_set(struct cap_file *cap)
{
	static const uint8_t data[1460] = { 'h', 'e', 'l', 'l', 'o' };
	static const struct seg_sack_block blocks[4] = {
		{ 100, 200 }, { 300, 400 }, { 0xfffffff0u, 16 }, { 5000, 6000 }
	};
	/* Router alert (RFC 2113). Not a source route: with one, the TCP
	 * pseudo-header would name the route's final destination. */
	static const uint8_t ralert[] = { 0x94, 4, 0, 0 };
	static const uint8_t hbh[8] = { 6, 0, 1, 4, 0, 0, 0, 0 }; /* next=TCP, PadN */
	enum seg_family fam;
	int rc = 0;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		struct seg s;
		/* SYN with the options every stack sends. */
		base_seg(&s, fam);
		s.flags = SEG_SYN;
		s.ack = 0;
		seg_opts_add_mss(&s.opts, 1460);
		seg_opts_add_sack_perm(&s.opts);
		seg_opts_add_ts(&s.opts, 12345, 0);
		seg_opts_add_nop(&s.opts);
		seg_opts_add_wscale(&s.opts, 7);
		rc |= emit_tcp(cap, &s, 0);
		/* Data with PSH, ACK and 4 SACK blocks. */
		base_seg(&s, fam);
		s.flags = SEG_ACK | SEG_PSH;
		s.payload = data;
		s.len = 1000;
		seg_opts_add_nop(&s.opts);
		seg_opts_add_nop(&s.opts);
		seg_opts_add_sack(&s.opts, blocks, 4);
		rc |= emit_tcp(cap, &s, 0);
		/* Timestamps + 3 SACK blocks, odd payload length. */
		base_seg(&s, fam);
		s.flags = SEG_ACK;
		s.payload = data;
		s.len = 1459;
		seg_opts_add_nop(&s.opts);
		seg_opts_add_nop(&s.opts);
		seg_opts_add_ts(&s.opts, 0xdeadbeefu, 7);
		seg_opts_add_nop(&s.opts);
		seg_opts_add_nop(&s.opts);
		seg_opts_add_sack(&s.opts, blocks, 3);
		rc |= emit_tcp(cap, &s, 0);
		/* URG, FIN, ECE, CWR and reserved bits, urgent pointer, TOS. */
		base_seg(&s, fam);
		s.flags = SEG_ACK | SEG_URG | SEG_FIN | SEG_ECE | SEG_CWR;
		s.reserved = fam == SEG_IPV4 ? 0x1 : 0x0;
		s.urp = 3;
		s.payload = data;
		s.len = 5;
		s.tos = 0xb8;
		s.ttl = 3;
		rc |= emit_tcp(cap, &s, 0);
		/* RST alone, window 0. */
		base_seg(&s, fam);
		s.flags = SEG_RST;
		s.ack = 0;
		s.wnd = 0;
		rc |= emit_tcp(cap, &s, 0);
		/* Options at odd alignment, an unknown option, wscale 14. */
		base_seg(&s, fam);
		s.flags = SEG_SYN | SEG_ACK;
		seg_opts_add_wscale(&s.opts, 14);
		seg_opts_add_raw(&s.opts, 30, 4, (const uint8_t *)"\x01\x02", 2);
		seg_opts_add_mss(&s.opts, 536);
		rc |= emit_tcp(cap, &s, 0);
		/* IPv4 options / IPv6 hop-by-hop header before TCP. */
		base_seg(&s, fam);
		s.flags = SEG_ACK;
		s.payload = data;
		s.len = 100;
		if (fam == SEG_IPV4) {
			memcpy(s.ip_opts, ralert, sizeof ralert);
			s.ip_opts_len = sizeof ralert;
		} else {
			memcpy(s.ip6_ext, hbh, sizeof hbh);
			s.ip6_ext_len = sizeof hbh;
			s.ip6_ext_first = 0;
		}
		rc |= emit_tcp(cap, &s, 0);
		/* A deliberately wrong checksum: tshark must call it bad. */
		base_seg(&s, fam);
		s.flags = SEG_ACK;
		s.wire.tcp_csum_set = true;
		s.wire.tcp_csum = 0x1234;
		rc |= emit_tcp(cap, &s, 1);
	}
	return rc;
}

static int build_icmp_set(struct cap_file *cap)
{
	static const uint8_t data[600];
	enum seg_family fam;
	int rc = 0;
	for (fam = SEG_IPV4; fam <= SEG_IPV6; fam += 2) {
		struct seg q;
		struct seg_icmp m;
		base_seg(&q, fam);
		q.flags = SEG_ACK | SEG_PSH;
		q.payload = data;
		q.len = sizeof data;
		seg_icmp_init(&m, SEG_ICMP_FRAG_NEEDED, 0, fam == SEG_IPV4 ? 1200 : 1280, &q);
		rc |= emit_icmp(cap, &m);
		seg_icmp_init(&m, SEG_ICMP_UNREACH, fam == SEG_IPV4 ? 3 : 4, 0, &q);
		rc |= emit_icmp(cap, &m);
		seg_icmp_init(&m, SEG_ICMP_TIME_EXCEEDED, 0, 0, &q);
		rc |= emit_icmp(cap, &m);
		seg_icmp_init(&m, SEG_ICMP_PARAM_PROBLEM, 0, 0, &q);
		rc |= emit_icmp(cap, &m);
		if (fam == SEG_IPV4) {
			seg_icmp_init(&m, SEG_ICMP_SOURCE_QUENCH, 0, 0, &q);
			rc |= emit_icmp(cap, &m);
		}
	}
	return rc;
}

/* tshark prints flags as 0x0012 in some versions and 0x012 in others, and
 * booleans / statuses as numbers; compare numerically where both parse. */
static int same_value(const char *want, const char *got)
{
	char *end1, *end2;
	unsigned long a, b;
	if (strcmp(want, got) == 0)
		return 1;
	a = strtoul(want, &end1, 0);
	b = strtoul(got, &end2, 0);
	return *want && *got && !*end1 && !*end2 && a == b;
}

static void split_tabs(char *line, char **cols, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		cols[i] = line;
		line = line ? strchr(line, '\t') : NULL;
		if (line)
			*line++ = '\0';
		if (!cols[i])
			cols[i] = "";
	}
}

/* Fields tshark reports for quoted headers inside ICMP errors are not ours
 * to compare (the quote is cut), so ICMP frames check the columns we set. */
static int compare_frame(const struct expect *e, char **got, int icmp)
{
	int bad = 0;
	size_t f;
	if (got[F_MALFORMED][0]) {
		printf("frame %s: tshark marks it malformed\n", e->cols[F_FRAME]);
		bad++;
	}
	for (f = 0; f < NFIELDS; f++) {
		/* SACK edges are lists: compared in their own pass. */
		if (f == F_MALFORMED || f == F_SACKL || f == F_SACKR || (icmp && !e->cols[f][0]))
			continue;
		if (!same_value(e->cols[f], got[f])) {
			printf("frame %s: %s: built %s, tshark says %s\n", e->cols[F_FRAME],
			       fields[f], e->cols[f][0] ? e->cols[f] : "(absent)",
			       got[f][0] ? got[f] : "(absent)");
			bad++;
		}
	}
	return bad;
}

static FILE *run_tshark(const char *pcap)
{
	char cmd[4096];
	size_t i, off;
	off = (size_t)snprintf(cmd, sizeof cmd,
			       "tshark -r '%s' -n -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE "
			       "-o tcp.relative_sequence_numbers:FALSE "
			       "-o tcp.analyze_sequence_numbers:FALSE "
			       "-T fields -E separator=/t -E occurrence=f",
			       pcap);
	for (i = 0; i < NFIELDS && off < sizeof cmd; i++)
		off += (size_t)snprintf(cmd + off, sizeof cmd - off, " -e %s", fields[i]);
	/* occurrence=f takes the first: the outer header, not a quoted one.
	 * SACK edges are lists: ask for them again with all occurrences. */
	snprintf(cmd + off, sizeof cmd - off, " 2>/dev/null");
	return popen(cmd, "r");
}

/* Second pass for list-valued fields (SACK edges), all occurrences. */
static int check_sack_lists(const char *pcap, int *failed)
{
	char cmd[8192], line[1024];
	FILE *p;
	int frame = 0;
	snprintf(cmd, sizeof cmd,
		 "tshark -r '%s' -n -o tcp.relative_sequence_numbers:FALSE "
		 "-o tcp.analyze_sequence_numbers:FALSE -T fields -E separator=/t "
		 "-E occurrence=a -E aggregator=, -e tcp.options.sack_le -e tcp.options.sack_re "
		 "-e icmp.type -e icmpv6.type 2>/dev/null",
		 pcap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof line, p) && frame < npkts) {
		char *cols[4];
		const struct expect *e = &expects[frame++];
		line[strcspn(line, "\n")] = '\0';
		split_tabs(line, cols, 4);
		if (cols[2][0] || cols[3][0])
			continue; /* ICMP: edges of a quoted header */
		if (!same_value(e->cols[F_SACKL], cols[0]) || !same_value(e->cols[F_SACKR], cols[1])) {
			printf("frame %d: SACK blocks: built %s / %s, tshark says %s / %s\n", frame,
			       e->cols[F_SACKL], e->cols[F_SACKR], cols[0], cols[1]);
			(*failed)++;
		}
	}
	return pclose(p) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	char pcap[4096], line[8192];
	struct cap_file *cap;
	FILE *p;
	int frame = 0, failed = 0, passed = 0;
	if (argc != 2) {
		fprintf(stderr, "usage: %s WORKDIR\n", argv[0]);
		return 2;
	}
	snprintf(pcap, sizeof pcap, "%s/tshark_check.pcap", argv[1]);
	if (cap_open(pcap, &cap, NULL, 0) != 0 || build_tcp_set(cap) != 0 ||
	    build_icmp_set(cap) != 0 || cap_close(cap) != 0) {
		fprintf(stderr, "could not build %s\n", pcap);
		return 1;
	}
	p = run_tshark(pcap);
	if (!p)
		return 1;
	while (fgets(line, sizeof line, p)) {
		char *cols[NFIELDS];
		const struct expect *e;
		int bad;
		if (frame >= npkts) {
			failed++;
			break;
		}
		e = &expects[frame++];
		line[strcspn(line, "\n")] = '\0';
		split_tabs(line, cols, NFIELDS);
		bad = compare_frame(e, cols, e->cols[F_ICMPT][0] || e->cols[F_ICMP6T][0]);
		if (bad)
			failed++;
		else
			passed++;
	}
	if (pclose(p) != 0 || frame != npkts) {
		printf("tshark failed or dissected %d of %d frames\n", frame, npkts);
		failed++;
	}
	if (check_sack_lists(pcap, &failed) != 0) {
		printf("tshark failed on the SACK pass\n");
		failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
