/* The TCP codec: segments over IPv4 / IPv6 (RFC 9293 §3.1), encoded into
 * and decoded from caller-owned buffers, without allocation. */
#include <string.h>

#include "reference/seg_internal.h"

void seg_init(struct seg *s, enum seg_family family)
{
	memset(s, 0, sizeof *s);
	s->family = (uint8_t)family;
	s->ttl = 64;
}

uint32_t seg_seq_len(const struct seg *s)
{
	/* RFC 9293 §3.4: SEG.LEN counts SYN and FIN. */
	return (uint32_t)s->len + ((s->flags & SEG_SYN) ? 1u : 0u) +
	       ((s->flags & SEG_FIN) ? 1u : 0u);
}

/* ---- decoding ------------------------------------------------------------ */

void seg__tcp_fill(struct seg *s, const uint8_t *t)
{
	s->sport = seg__get16(t);
	s->dport = seg__get16(t + 2);
	s->seq = seg__get32(t + 4);
	s->ack = seg__get32(t + 8);
	s->reserved = t[12] & 0x0f;
	s->flags = t[13];
	s->wnd = seg__get16(t + 14);
	s->tcp_csum = seg__get16(t + 16);
	s->urp = seg__get16(t + 18);
}

/* Check the data offset and parse the options of the segment at t. */
static int tcp_check(const uint8_t *p, size_t t, size_t avail, struct seg_opts *o,
		     struct seg_err *err)
{
	size_t doff = (size_t)(p[t + 12] >> 4) * 4;
	int rc;
	if (doff < SEG_TCP_HDR_MIN)
		return SEG__FAIL(err, SEG_EDOFF, t + 12, "TCP data offset %zu is below 5",
				 doff / 4);
	if (doff > avail)
		return SEG__FAIL(err, SEG_EDOFF, t + 12,
				 "TCP data offset %zu (%zu bytes) runs past the %zu-byte segment",
				 doff / 4, doff, avail);
	rc = seg__opts_parse(p + t + SEG_TCP_HDR_MIN, doff - SEG_TCP_HDR_MIN, o, err);
	return rc ? seg__shift(err, rc, t + SEG_TCP_HDR_MIN) : 0;
}

static int tcp_decode(const uint8_t *p, const struct seg__l3 *l3, struct seg *out,
		      struct seg_err *err)
{
	size_t t = l3->hdr_len, avail = l3->end - t, hl;
	struct seg_opts o;
	uint32_t sum;
	int rc;
	if (avail < SEG_TCP_HDR_MIN)
		return seg__l4_short(l3, SEG_TCP_HDR_MIN, "TCP", err);
	rc = tcp_check(p, t, avail, &o, err);
	if (rc)
		return rc;
	hl = SEG_TCP_HDR_MIN + (size_t)o.len;
	seg__ip_fill(out, p, l3);
	seg__tcp_fill(out, p + t);
	out->opts = o;
	out->payload = p + t + hl;
	out->len = avail - hl;
	sum = seg_csum_pseudo(l3->family, out->src, out->dst, SEG__PROTO_TCP, avail);
	out->tcp_csum_ok = seg_csum_fold(seg_csum_add(sum, p + t, avail)) == 0;
	return 0;
}

int seg_decode(const uint8_t *p, size_t n, struct seg_packet *out, struct seg_err *err)
{
	struct seg__l3 l3;
	int rc;
	if (!p)
		return SEG__FAIL(err, n ? SEG_EINVAL : SEG_ETRUNC, 0, "no packet");
	rc = seg__ip_parse(p, n, false, &l3, err);
	if (rc)
		return rc;
	if (l3.proto != SEG__PROTO_TCP)
		return seg__icmp_decode(p, &l3, out, err);
	rc = tcp_decode(p, &l3, &out->u.tcp, err);
	if (rc == 0)
		out->kind = SEG_PKT_TCP;
	return rc;
}

/* ---- encoding ------------------------------------------------------------ */

static size_t tcp_hlen(const struct seg *s)
{
	return SEG_TCP_HDR_MIN + (((size_t)s->opts.len + 3) & ~(size_t)3);
}

/* Check `s`; `*hl` gets the length of its IP + TCP headers. */
static int check(const struct seg *s, size_t *hl)
{
	if (s->opts.len > SEG_TCP_OPT_MAX || s->reserved > 15 || s->wire.doff > 15)
		return SEG_EINVAL;
	if (s->len > 0 && !s->payload)
		return SEG_EINVAL;
	if (s->len > 65535 || seg__ip_check(s, tcp_hlen(s) + s->len))
		return SEG_EINVAL;
	*hl = seg__ip_hlen(s) + tcp_hlen(s);
	return 0;
}

static void tcp_write(const struct seg *s, size_t thl, uint8_t *t)
{
	uint8_t doff = s->wire.doff ? s->wire.doff : (uint8_t)(thl / 4);
	seg__put16(t, s->sport);
	seg__put16(t + 2, s->dport);
	seg__put32(t + 4, s->seq);
	seg__put32(t + 8, s->ack);
	t[12] = (uint8_t)(doff << 4 | s->reserved);
	t[13] = s->flags;
	seg__put16(t + 14, s->wnd);
	seg__put16(t + 16, 0);
	seg__put16(t + 18, s->urp);
	memcpy(t + 20, s->opts.raw, s->opts.len);
	memset(t + 20 + s->opts.len, 0, thl - 20 - s->opts.len); /* EOL padding */
}

/* Write the headers of a checked `s` into b; the checksum covers `payload`. */
static void write_headers(const struct seg *s, const uint8_t *payload, uint8_t *b)
{
	size_t ihl = seg__ip_hlen(s), thl = tcp_hlen(s);
	uint8_t *t = b + ihl;
	uint16_t csum = s->wire.tcp_csum;
	seg__ip_write(s, SEG__PROTO_TCP, thl + s->len, b);
	tcp_write(s, thl, t);
	if (!s->wire.tcp_csum_set) { /* RFC 9293 §3.1, pseudo-header included */
		uint32_t sum =
			seg_csum_pseudo(s->family, s->src, s->dst, SEG__PROTO_TCP, thl + s->len);
		sum = seg_csum_add(sum, t, thl);
		csum = seg_csum_fold(seg_csum_add(sum, payload, s->len));
	}
	seg__put16(t + 16, csum);
}

int seg__encode_headers(const struct seg *s, uint8_t *buf, size_t cap, size_t *hdr_len)
{
	size_t hl;
	int rc = check(s, &hl);
	if (rc)
		return rc;
	if (hl > cap)
		return SEG_ESPACE;
	write_headers(s, s->payload, buf);
	*hdr_len = hl;
	return 0;
}

int seg_encode(const struct seg *s, uint8_t *buf, size_t cap, size_t *out_len)
{
	size_t hl;
	int rc = check(s, &hl);
	if (rc)
		return rc;
	if (hl > cap || s->len > cap - hl)
		return SEG_ESPACE;
	if (s->len > 0)
		memmove(buf + hl, s->payload, s->len); /* payload may live in buf */
	write_headers(s, buf + hl, buf);
	*out_len = hl + s->len;
	return 0;
}
