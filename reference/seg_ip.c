/* The IP layer of the codec: IPv4 (RFC 791) and IPv6 (RFC 8200) headers,
 * IPv4 options and IPv6 extension headers, parsed and written. */
#include <string.h>

#include "reference/seg_internal.h"

/* ---- parsing ------------------------------------------------------------ */

static int proto_ok(uint8_t family, uint8_t proto, bool quote)
{
	if (proto == SEG__PROTO_TCP)
		return 1;
	if (quote)
		return 0;
	return proto == (family == SEG_IPV4 ? SEG__PROTO_ICMP : SEG__PROTO_ICMP6);
}

static int ip4_lengths(const uint8_t *p, size_t n, bool quote, size_t ihl, struct seg_err *err)
{
	size_t total = seg__get16(p + 2);
	if (total < ihl)
		return SEG__FAIL(err, SEG_EIPLEN, 2,
				 "IPv4 total length %zu is shorter than its %zu-byte header", total,
				 ihl);
	if (total > n && !quote)
		return SEG__FAIL(err, SEG_EIPLEN, 2,
				 "IPv4 total length %zu exceeds the %zu bytes received", total, n);
	return 0;
}

static int ip4_parse(const uint8_t *p, size_t n, bool quote, struct seg__l3 *l3,
		     struct seg_err *err)
{
	size_t ihl, total;
	uint16_t frag;
	int rc;
	if (n < SEG_IP4_HDR_MIN)
		return SEG__FAIL(err, SEG_ETRUNC, 0, "IPv4 header needs 20 bytes, %zu left", n);
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < SEG_IP4_HDR_MIN)
		return SEG__FAIL(err, SEG_EIPHDR, 0, "IPv4 IHL %zu is below 5", ihl / 4);
	if (ihl > n)
		return SEG__FAIL(err, SEG_EIPHDR, 0,
				 "IPv4 IHL %zu (%zu bytes) runs past the %zu-byte packet", ihl / 4,
				 ihl, n);
	rc = ip4_lengths(p, n, quote, ihl, err);
	if (rc)
		return rc;
	frag = seg__get16(p + 6);
	if (frag & 0x3fff) /* RFC 791: MF, or a fragment offset */
		return SEG__FAIL(err, SEG_EFRAG, 6, "IPv4 fragment (MF %u, offset %u)",
				 (frag >> 13) & 1u, (frag & 0x1fffu) * 8u);
	if (!proto_ok(SEG_IPV4, p[9], quote))
		return SEG__FAIL(err, SEG_EPROTO, 9, "IPv4 protocol %u is not TCP%s", p[9],
				 quote ? "" : " nor ICMP");
	total = seg__get16(p + 2);
	l3->family = SEG_IPV4;
	l3->proto = p[9];
	l3->hdr_len = ihl;
	l3->whole = total <= n;
	l3->end = l3->whole ? total : n;
	l3->buf_len = n;
	l3->ip_csum_ok = seg_csum_fold(seg_csum_add(0, p, ihl)) == 0;
	return 0;
}

/* Length of the extension header at h (h[0..1] readable) of `type`. */
static size_t ext_len(uint8_t type, const uint8_t *h)
{
	if (type == SEG__PROTO_FRAGMENT)
		return 8;
	return ((size_t)h[1] + 1) * 8; /* RFC 8200 §4.3-4.6, RFC 6564 */
}

static bool is_ext(uint8_t nh)
{
	return nh == SEG__PROTO_HOPOPTS || nh == SEG__PROTO_ROUTING || nh == SEG__PROTO_DSTOPTS;
}

/* Skip one extension header of `nh` at p[off..end); returns its length. */
static long ext_skip(const uint8_t *p, size_t off, size_t end, uint8_t nh, bool quote,
		     struct seg_err *err)
{
	int cut = quote ? SEG_ETRUNC : SEG_EEXTHDR;
	size_t len;
	if (nh == SEG__PROTO_HOPOPTS && off != SEG_IP6_HDR_LEN) /* RFC 8200 §4.1 */
		return SEG__FAIL(err, SEG_EEXTHDR, off,
				 "IPv6 hop-by-hop options header not first in the chain");
	if (end - off < 2)
		return SEG__FAIL(err, cut, off, "IPv6 extension header %u cut after %zu bytes", nh,
				 end - off);
	len = ext_len(nh, p + off);
	if (len > end - off)
		return SEG__FAIL(
			err, cut, off + 1,
			"IPv6 extension header %u of %zu bytes runs past the packet (%zu left)", nh,
			len, end - off);
	if (off + len - SEG_IP6_HDR_LEN > SEG_IP6_EXT_MAX)
		return SEG__FAIL(err, SEG_EEXTHDR, off,
				 "IPv6 extension headers exceed the %d bytes tcpcheck keeps",
				 SEG_IP6_EXT_MAX);
	return (long)len;
}

/* Walk the extension headers up to the upper layer; fill proto / hdr_len. */
static int ext_walk(const uint8_t *p, size_t end, bool quote, struct seg__l3 *l3,
		    struct seg_err *err)
{
	size_t off = SEG_IP6_HDR_LEN, nh_at = 6;
	uint8_t nh = p[6];
	while (is_ext(nh)) {
		long len = ext_skip(p, off, end, nh, quote, err);
		if (len < 0)
			return (int)len;
		nh_at = off;
		nh = p[off];
		off += (size_t)len;
	}
	if (nh == SEG__PROTO_FRAGMENT)
		return SEG__FAIL(err, SEG_EFRAG, off, "IPv6 fragment header (RFC 8200 §4.5)");
	if (!proto_ok(SEG_IPV6, nh, quote))
		return SEG__FAIL(err, SEG_EPROTO, nh_at, "IPv6 next header %u is not TCP%s", nh,
				 quote ? "" : " nor ICMPv6");
	l3->proto = nh;
	l3->hdr_len = off;
	return 0;
}

static int ip6_parse(const uint8_t *p, size_t n, bool quote, struct seg__l3 *l3,
		     struct seg_err *err)
{
	size_t total;
	int rc;
	if (n < SEG_IP6_HDR_LEN)
		return SEG__FAIL(err, SEG_ETRUNC, 0, "IPv6 header needs 40 bytes, %zu left", n);
	total = SEG_IP6_HDR_LEN + (size_t)seg__get16(p + 4);
	if (total > n && !quote)
		return SEG__FAIL(err, SEG_EIPLEN, 4,
				 "IPv6 payload length %zu exceeds the %zu bytes after the header",
				 total - SEG_IP6_HDR_LEN, n - SEG_IP6_HDR_LEN);
	l3->whole = total <= n;
	l3->end = l3->whole ? total : n;
	l3->buf_len = n;
	rc = ext_walk(p, l3->end, quote, l3, err);
	if (rc)
		return rc;
	l3->family = SEG_IPV6;
	l3->ip_csum_ok = true;
	return 0;
}

int seg__ip_parse(const uint8_t *p, size_t n, bool quote, struct seg__l3 *l3, struct seg_err *err)
{
	if (n < 1)
		return SEG__FAIL(err, SEG_ETRUNC, 0, "empty packet");
	if (p[0] >> 4 == 4)
		return ip4_parse(p, n, quote, l3, err);
	if (p[0] >> 4 == 6)
		return ip6_parse(p, n, quote, l3, err);
	return SEG__FAIL(err, SEG_EVERSION, 0, "IP version %u is neither 4 nor 6", p[0] >> 4);
}

int seg__l4_short(const struct seg__l3 *l3, size_t need, const char *what, struct seg_err *err)
{
	size_t have = l3->end - l3->hdr_len;
	if (l3->buf_len > l3->end)
		return SEG__FAIL(err, SEG_EIPLEN, l3->family == SEG_IPV4 ? 2 : 4,
				 "IP length leaves %zu bytes for the %zu-byte %s header", have,
				 need, what);
	return SEG__FAIL(err, SEG_ETRUNC, l3->hdr_len, "%s header needs %zu bytes, %zu left", what,
			 need, have);
}

static void ip4_fill(struct seg *s, const uint8_t *p, size_t ihl)
{
	s->tos = p[1];
	s->ip_id = seg__get16(p + 4);
	s->df = (p[6] & 0x40) != 0;
	s->ttl = p[8];
	memcpy(s->src, p + 12, 4);
	memcpy(s->dst, p + 16, 4);
	s->ip_opts_len = (uint8_t)(ihl - SEG_IP4_HDR_MIN);
	memcpy(s->ip_opts, p + SEG_IP4_HDR_MIN, s->ip_opts_len);
}

static void ip6_fill(struct seg *s, const uint8_t *p, size_t hdr_len)
{
	s->tos = (uint8_t)((p[0] & 0x0f) << 4 | p[1] >> 4);
	s->flow_label = (uint32_t)(p[1] & 0x0f) << 16 | seg__get16(p + 2);
	s->ttl = p[7];
	memcpy(s->src, p + 8, 16);
	memcpy(s->dst, p + 24, 16);
	s->ip6_ext_len = (uint16_t)(hdr_len - SEG_IP6_HDR_LEN);
	s->ip6_ext_first = s->ip6_ext_len ? p[6] : 0;
	memcpy(s->ip6_ext, p + SEG_IP6_HDR_LEN, s->ip6_ext_len);
}

void seg__ip_fill(struct seg *s, const uint8_t *p, const struct seg__l3 *l3)
{
	memset(s, 0, sizeof *s);
	s->family = l3->family;
	s->ip_csum_ok = l3->ip_csum_ok;
	if (l3->family == SEG_IPV4)
		ip4_fill(s, p, l3->hdr_len);
	else
		ip6_fill(s, p, l3->hdr_len);
}

/* ---- writing ------------------------------------------------------------ */

size_t seg__ip_hlen(const struct seg *s)
{
	if (s->family == SEG_IPV6)
		return SEG_IP6_HDR_LEN + (size_t)s->ip6_ext_len;
	return SEG_IP4_HDR_MIN + (((size_t)s->ip_opts_len + 3) & ~(size_t)3);
}

/* The true value of the IP length field: v4 total length, v6 payload length. */
static size_t ip_len_true(const struct seg *s, size_t l4_len)
{
	return l4_len + (s->family == SEG_IPV6 ? s->ip6_ext_len : seg__ip_hlen(s));
}

/* The value written: the true one plus wire.ip_len_delta. */
static long ip_len_field(const struct seg *s, size_t l4_len)
{
	return (long)ip_len_true(s, l4_len) + s->wire.ip_len_delta;
}

int seg__ip_check(const struct seg *s, size_t l4_len)
{
	long field;
	if (s->family != SEG_IPV4 && s->family != SEG_IPV6)
		return SEG_EINVAL;
	if (s->family == SEG_IPV4 && s->ip_opts_len > SEG_IP4_OPT_MAX)
		return SEG_EINVAL;
	if (s->family == SEG_IPV6 && (s->ip6_ext_len > SEG_IP6_EXT_MAX || s->flow_label > 0xfffff))
		return SEG_EINVAL;
	if (l4_len > 65535 || ip_len_true(s, l4_len) > 65535)
		return SEG_EINVAL; /* no jumbograms (RFC 2675) */
	field = ip_len_field(s, l4_len);
	return field < 0 || field > 65535 ? SEG_EINVAL : 0;
}

static void ip4_write(const struct seg *s, uint8_t proto, size_t l4_len, uint8_t *b)
{
	size_t hl = seg__ip_hlen(s);
	uint16_t csum;
	b[0] = (uint8_t)(0x40 | hl / 4);
	b[1] = s->tos;
	seg__put16(b + 2, (uint16_t)ip_len_field(s, l4_len));
	seg__put16(b + 4, s->ip_id);
	seg__put16(b + 6, (uint16_t)((s->df ? 0x4000 : 0) | s->wire.ip_frag));
	b[8] = s->ttl ? s->ttl : 64;
	b[9] = proto;
	seg__put16(b + 10, 0);
	memcpy(b + 12, s->src, 4);
	memcpy(b + 16, s->dst, 4);
	memcpy(b + 20, s->ip_opts, s->ip_opts_len);
	memset(b + 20 + s->ip_opts_len, 0, hl - 20 - s->ip_opts_len); /* EOL padding */
	csum = s->wire.ip_csum_set ? s->wire.ip_csum : seg_csum_fold(seg_csum_add(0, b, hl));
	seg__put16(b + 10, csum);
}

long seg__ext_last(uint8_t first, const uint8_t *ext, size_t len)
{
	size_t off = 0;
	uint8_t type = first;
	while (len - off >= 2) {
		size_t hl = ext_len(type, ext + off);
		if (hl > len - off)
			return -1;
		if (off + hl == len)
			return (long)off;
		type = ext[off];
		off += hl;
	}
	return -1;
}

static void ip6_write(const struct seg *s, uint8_t proto, size_t l4_len, uint8_t *b)
{
	long last = seg__ext_last(s->ip6_ext_first, s->ip6_ext, s->ip6_ext_len);
	b[0] = (uint8_t)(0x60 | s->tos >> 4);
	b[1] = (uint8_t)((s->tos & 0x0fu) << 4 | (s->flow_label >> 16 & 0x0fu));
	seg__put16(b + 2, (uint16_t)s->flow_label);
	seg__put16(b + 4, (uint16_t)ip_len_field(s, l4_len));
	b[6] = s->ip6_ext_len ? s->ip6_ext_first : proto;
	b[7] = s->ttl ? s->ttl : 64;
	memcpy(b + 8, s->src, 16);
	memcpy(b + 24, s->dst, 16);
	memcpy(b + 40, s->ip6_ext, s->ip6_ext_len);
	/* Chain the last extension header to the upper layer; a chain that
	 * does not add up is written as it stands (a malformed one on request). */
	if (last >= 0)
		b[40 + last] = proto;
}

void seg__ip_write(const struct seg *s, uint8_t proto, size_t l4_len, uint8_t *b)
{
	if (s->family == SEG_IPV6)
		ip6_write(s, proto, l4_len, b);
	else
		ip4_write(s, proto, l4_len, b);
}

/* ---- building extension headers ----------------------------------------- */

/* Pad an options header (hop-by-hop, destination) with Pad1 / PadN. */
static void pad_tlv(uint8_t *p, size_t n)
{
	if (n == 1) {
		p[0] = 0; /* Pad1, RFC 8200 §4.2 */
	} else if (n >= 2) {
		p[0] = 1; /* PadN */
		p[1] = (uint8_t)(n - 2);
		memset(p + 2, 0, n - 2);
	}
}

int seg_ip6_ext_add(struct seg *s, uint8_t type, const uint8_t *body, size_t n)
{
	size_t at = s->ip6_ext_len, len = (n + 2 + 7) & ~(size_t)7;
	long last = at ? seg__ext_last(s->ip6_ext_first, s->ip6_ext, at) : 0;
	uint8_t *h = s->ip6_ext + at;
	if (last < 0 || (n > 0 && !body) || (type == SEG__PROTO_FRAGMENT && n != 6))
		return SEG_EINVAL;
	if (len > SEG_IP6_EXT_MAX - at)
		return SEG_ESPACE;
	h[0] = SEG__PROTO_TCP;
	h[1] = (uint8_t)(len / 8 - 1);
	if (type == SEG__PROTO_FRAGMENT)
		h[1] = 0; /* reserved byte; the fragment header is always 8 */
	if (n > 0)
		memcpy(h + 2, body, n);
	if (type == SEG__PROTO_HOPOPTS || type == SEG__PROTO_DSTOPTS)
		pad_tlv(h + 2 + n, len - 2 - n);
	else
		memset(h + 2 + n, 0, len - 2 - n);
	if (at)
		s->ip6_ext[last] = type;
	else
		s->ip6_ext_first = type;
	s->ip6_ext_len = (uint16_t)(at + len);
	return 0;
}
