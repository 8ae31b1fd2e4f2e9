/* ICMP (RFC 792, RFC 1191) and ICMPv6 (RFC 4443) errors that quote a TCP
 * segment: the messages RFC 9293 §3.9.4 (MUST-55, MUST-56) and RFC 5927
 * ask a TCP to act on. */
#include <string.h>

#include "reference/seg_internal.h"

/* ICMPv4 types (RFC 792) and ICMPv6 types (RFC 4443 §2.1). */
enum {
	ICMP4_UNREACH = 3,
	ICMP4_SOURCE_QUENCH = 4,
	ICMP4_TIME_EXCEEDED = 11,
	ICMP4_PARAM_PROBLEM = 12,
	ICMP4_CODE_FRAG_NEEDED = 4,
	ICMP6_UNREACH = 1,
	ICMP6_PACKET_TOO_BIG = 2,
	ICMP6_TIME_EXCEEDED = 3,
	ICMP6_PARAM_PROBLEM = 4,
};

#define ICMP_HDR_LEN 8

/* ---- building -------------------------------------------------------------- */

static void icmp_type_code(struct seg_icmp *m, enum seg_icmp_kind kind, uint8_t code)
{
	bool v4 = m->family == SEG_IPV4;
	m->code = code;
	switch (kind) {
	case SEG_ICMP_UNREACH:
		m->type = v4 ? ICMP4_UNREACH : ICMP6_UNREACH;
		break;
	case SEG_ICMP_FRAG_NEEDED:
		m->type = v4 ? ICMP4_UNREACH : ICMP6_PACKET_TOO_BIG;
		m->code = v4 ? ICMP4_CODE_FRAG_NEEDED : 0;
		break;
	case SEG_ICMP_TIME_EXCEEDED:
		m->type = v4 ? ICMP4_TIME_EXCEEDED : ICMP6_TIME_EXCEEDED;
		break;
	case SEG_ICMP_PARAM_PROBLEM:
		m->type = v4 ? ICMP4_PARAM_PROBLEM : ICMP6_PARAM_PROBLEM;
		break;
	case SEG_ICMP_SOURCE_QUENCH: /* none in ICMPv6: type 0, refused by the encoder */
		m->type = v4 ? ICMP4_SOURCE_QUENCH : 0;
		m->code = 0;
		break;
	}
}

void seg_icmp_init(struct seg_icmp *m, enum seg_icmp_kind kind, uint8_t code, uint32_t mtu,
		   const struct seg *quoted)
{
	memset(m, 0, sizeof *m);
	m->family = quoted->family;
	memcpy(m->src, quoted->dst, sizeof m->src);
	memcpy(m->dst, quoted->src, sizeof m->dst);
	m->ttl = 64;
	m->kind = kind;
	m->mtu = kind == SEG_ICMP_FRAG_NEEDED ? mtu : 0;
	icmp_type_code(m, kind, code);
	m->quoted = *quoted;
}

/* ---- encoding -------------------------------------------------------------- */

static int icmp_check(const struct seg_icmp *m)
{
	bool v4 = m->family == SEG_IPV4;
	if (m->family != SEG_IPV4 && m->family != SEG_IPV6)
		return SEG_EINVAL;
	if (m->quoted.family != m->family || (!v4 && m->kind == SEG_ICMP_SOURCE_QUENCH))
		return SEG_EINVAL;
	if (v4 && m->type == ICMP4_UNREACH && m->code == ICMP4_CODE_FRAG_NEEDED && m->mtu > 0xffff)
		return SEG_EINVAL;
	if (v4 && m->type == ICMP4_PARAM_PROBLEM && m->pointer > 0xff)
		return SEG_EINVAL;
	return 0;
}

/* The 4 bytes after type, code and checksum, as the type defines them. */
static void icmp_rest(const struct seg_icmp *m, uint8_t *b)
{
	memset(b, 0, 4);
	if (m->family == SEG_IPV4) {
		if (m->type == ICMP4_UNREACH && m->code == ICMP4_CODE_FRAG_NEEDED)
			seg__put16(b + 2, (uint16_t)m->mtu); /* RFC 1191 §4 */
		else if (m->type == ICMP4_PARAM_PROBLEM)
			b[0] = (uint8_t)m->pointer;
	} else if (m->type == ICMP6_PACKET_TOO_BIG) {
		seg__put32(b, m->mtu);
	} else if (m->type == ICMP6_PARAM_PROBLEM) {
		seg__put32(b, m->pointer);
	}
}

static uint16_t icmp_csum(uint8_t family, const uint8_t *src, const uint8_t *dst, const uint8_t *b,
			  size_t n)
{
	uint32_t sum = 0;
	if (family == SEG_IPV6) /* RFC 4443 §2.3: over the pseudo-header too */
		sum = seg_csum_pseudo(family, src, dst, SEG__PROTO_ICMP6, n);
	return seg_csum_fold(seg_csum_add(sum, b, n));
}

/* The outer IP header of `m`, as a segment the IP writer takes. */
static void outer_ip(const struct seg_icmp *m, struct seg *o)
{
	seg_init(o, (enum seg_family)m->family);
	memcpy(o->src, m->src, sizeof o->src);
	memcpy(o->dst, m->dst, sizeof o->dst);
	o->tos = m->tos;
	o->ttl = m->ttl;
}

/* Copy the first `qlen` bytes of the quoted packet: headers, then payload. */
static void copy_quote(const struct seg *q, const uint8_t *hdr, size_t hl, size_t qlen, uint8_t *b)
{
	memcpy(b, hdr, qlen < hl ? qlen : hl);
	if (qlen > hl)
		memcpy(b + hl, q->payload, qlen - hl);
}

int seg_icmp_encode(const struct seg_icmp *m, uint8_t *buf, size_t cap, size_t *out_len)
{
	uint8_t hdr[SEG__HDR_MAX];
	size_t hl, full, qlen, ohl;
	struct seg outer;
	uint8_t *b;
	int rc = icmp_check(m);
	if (rc == 0)
		rc = seg__encode_headers(&m->quoted, hdr, sizeof hdr, &hl);
	if (rc)
		return rc;
	full = hl + m->quoted.len;
	qlen = m->quote_len ? m->quote_len : SEG_ICMP_QUOTE_MAX;
	qlen = qlen < full ? qlen : full;
	outer_ip(m, &outer);
	ohl = seg__ip_hlen(&outer);
	if (seg__ip_check(&outer, ICMP_HDR_LEN + qlen))
		return SEG_EINVAL;
	if (ohl + ICMP_HDR_LEN + qlen > cap)
		return SEG_ESPACE;
	b = buf + ohl;
	seg__ip_write(&outer, m->family == SEG_IPV4 ? SEG__PROTO_ICMP : SEG__PROTO_ICMP6,
		      ICMP_HDR_LEN + qlen, buf);
	b[0] = m->type;
	b[1] = m->code;
	seg__put16(b + 2, 0);
	icmp_rest(m, b + 4);
	copy_quote(&m->quoted, hdr, hl, qlen, b + ICMP_HDR_LEN);
	seg__put16(b + 2, m->icmp_csum_set
				  ? m->icmp_csum
				  : icmp_csum(m->family, m->src, m->dst, b, ICMP_HDR_LEN + qlen));
	*out_len = ohl + ICMP_HDR_LEN + qlen;
	return 0;
}

/* ---- decoding -------------------------------------------------------------- */

/* What the ICMP header says, found before anything is written. */
struct icmp_info {
	enum seg_icmp_kind kind;
	uint32_t mtu;
	uint32_t pointer;
};

static int classify4(const uint8_t *b, struct icmp_info *in)
{
	switch (b[0]) {
	case ICMP4_UNREACH:
		in->kind = b[1] == ICMP4_CODE_FRAG_NEEDED ? SEG_ICMP_FRAG_NEEDED : SEG_ICMP_UNREACH;
		in->mtu = in->kind == SEG_ICMP_FRAG_NEEDED ? seg__get16(b + 6) : 0;
		return 0;
	case ICMP4_SOURCE_QUENCH:
		in->kind = SEG_ICMP_SOURCE_QUENCH;
		return 0;
	case ICMP4_TIME_EXCEEDED:
		in->kind = SEG_ICMP_TIME_EXCEEDED;
		return 0;
	case ICMP4_PARAM_PROBLEM:
		in->kind = SEG_ICMP_PARAM_PROBLEM;
		in->pointer = b[4];
		return 0;
	default:
		return -1;
	}
}

static int classify6(const uint8_t *b, struct icmp_info *in)
{
	switch (b[0]) {
	case ICMP6_UNREACH:
		in->kind = SEG_ICMP_UNREACH;
		return 0;
	case ICMP6_PACKET_TOO_BIG:
		in->kind = SEG_ICMP_FRAG_NEEDED;
		in->mtu = seg__get32(b + 4);
		return 0;
	case ICMP6_TIME_EXCEEDED:
		in->kind = SEG_ICMP_TIME_EXCEEDED;
		return 0;
	case ICMP6_PARAM_PROBLEM:
		in->kind = SEG_ICMP_PARAM_PROBLEM;
		in->pointer = seg__get32(b + 4);
		return 0;
	default:
		return -1;
	}
}

static int classify(uint8_t family, const uint8_t *b, size_t at, struct icmp_info *in,
		    struct seg_err *err)
{
	int rc;
	memset(in, 0, sizeof *in);
	rc = family == SEG_IPV4 ? classify4(b, in) : classify6(b, in);
	if (rc)
		return SEG__FAIL(err, SEG_EICMP, at, "ICMP%s type %u is not an error about TCP",
				 family == SEG_IPV4 ? "" : "v6", b[0]);
	return 0;
}

/* Decode the quoted TCP header: ports and sequence number at least, the
 * whole header and the options if the quote holds them. */
static void quote_tcp(const uint8_t *q, const struct seg__l3 *l3, struct seg *s, bool *full)
{
	size_t t = l3->hdr_len, avail = l3->end - t, doff;
	struct seg_opts o;
	*full = false;
	if (avail < SEG_TCP_HDR_MIN) {
		s->sport = seg__get16(q + t);
		s->dport = seg__get16(q + t + 2);
		s->seq = seg__get32(q + t + 4);
		return;
	}
	seg__tcp_fill(s, q + t);
	doff = (size_t)(q[t + 12] >> 4) * 4;
	if (doff < SEG_TCP_HDR_MIN || doff > avail ||
	    seg__opts_parse(q + t + SEG_TCP_HDR_MIN, doff - SEG_TCP_HDR_MIN, &o, NULL))
		return;
	s->opts = o;
	s->payload = q + t + doff;
	s->len = avail - doff;
	*full = true;
	if (l3->whole) { /* the whole segment is here: its checksum can be checked */
		uint32_t sum = seg_csum_pseudo(s->family, s->src, s->dst, SEG__PROTO_TCP, avail);
		s->tcp_csum_ok = seg_csum_fold(seg_csum_add(sum, q + t, avail)) == 0;
	}
}

/* Check the quoted packet at q[0..n) (offset `base` in the packet). */
static int quote_check(uint8_t family, const uint8_t *q, size_t n, size_t base, struct seg__l3 *l3,
		       struct seg_err *err)
{
	int rc;
	if (n > 0 && q[0] >> 4 != family)
		return SEG__FAIL(err, SEG_EVERSION, base, "ICMPv%s error quotes an IPv%u packet",
				 family == SEG_IPV4 ? "4" : "6", q[0] >> 4);
	rc = seg__ip_parse(q, n, true, l3, err);
	if (rc)
		return seg__shift(err, rc, base);
	if (l3->end - l3->hdr_len < 8) /* RFC 792: IP header + 64 bits */
		return SEG__FAIL(err, SEG_ETRUNC, base + l3->hdr_len,
				 "ICMP quote holds %zu bytes of the TCP header, needs 8",
				 l3->end - l3->hdr_len);
	return 0;
}

static void icmp_fill(struct seg_icmp *m, const uint8_t *p, const struct seg__l3 *l3,
		      const struct icmp_info *in)
{
	struct seg outer;
	const uint8_t *b = p + l3->hdr_len;
	size_t n = l3->end - l3->hdr_len;
	seg__ip_fill(&outer, p, l3);
	memset(m, 0, sizeof *m);
	m->family = l3->family;
	memcpy(m->src, outer.src, sizeof m->src);
	memcpy(m->dst, outer.dst, sizeof m->dst);
	m->tos = outer.tos;
	m->ttl = outer.ttl;
	m->ip_csum_ok = l3->ip_csum_ok;
	m->type = b[0];
	m->code = b[1];
	m->kind = in->kind;
	m->mtu = in->mtu;
	m->pointer = in->pointer;
	m->icmp_csum = seg__get16(b + 2);
	m->icmp_csum_ok = icmp_csum(m->family, m->src, m->dst, b, n) == 0;
	m->quote_len = n - ICMP_HDR_LEN;
}

int seg__icmp_decode(const uint8_t *p, const struct seg__l3 *l3, struct seg_packet *out,
		     struct seg_err *err)
{
	size_t at = l3->hdr_len, n = l3->end - at;
	struct icmp_info in;
	struct seg__l3 ql3;
	const uint8_t *q = p + at + ICMP_HDR_LEN;
	int rc;
	if (n < ICMP_HDR_LEN)
		return seg__l4_short(l3, ICMP_HDR_LEN, "ICMP", err);
	rc = classify(l3->family, p + at, at, &in, err);
	if (rc == 0)
		rc = quote_check(l3->family, q, n - ICMP_HDR_LEN, at + ICMP_HDR_LEN, &ql3, err);
	if (rc)
		return rc;
	out->kind = SEG_PKT_ICMP;
	icmp_fill(&out->u.icmp, p, l3, &in);
	seg__ip_fill(&out->u.icmp.quoted, q, &ql3);
	quote_tcp(q, &ql3, &out->u.icmp.quoted, &out->u.icmp.quote_full);
	return 0;
}
