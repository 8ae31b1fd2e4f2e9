/* Internals of the packet codec, shared by the seg_*.c files only (the
 * contract is reference/seg.h). Names carry the `seg__` prefix.
 *
 * Byte helpers read and write big-endian fields; the IP-layer helpers split
 * "find where things are" (seg__ip_parse, which writes nothing the caller
 * returns) from "fill the segment" (seg__ip_fill), so that decoders can
 * check a whole packet before they write their out-parameter. */
#ifndef TCPCHECK_REFERENCE_SEG_INTERNAL_H
#define TCPCHECK_REFERENCE_SEG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "reference/seg.h"

/* IP protocol / IPv6 next-header numbers the codec knows. */
#define SEG__PROTO_HOPOPTS  0 /* IPv6 hop-by-hop options (RFC 8200 §4.3) */
#define SEG__PROTO_ICMP	    1
#define SEG__PROTO_TCP	    6
#define SEG__PROTO_ROUTING  43 /* RFC 8200 §4.4 */
#define SEG__PROTO_FRAGMENT 44 /* RFC 8200 §4.5 */
#define SEG__PROTO_ICMP6    58
#define SEG__PROTO_DSTOPTS  60 /* RFC 8200 §4.6 */

/* The largest IP + TCP header block the encoder writes (IPv6 with a full
 * extension-header area and a full TCP option space; IPv4 is smaller). */
#define SEG__HDR_MAX (SEG_IP6_HDR_LEN + SEG_IP6_EXT_MAX + SEG_TCP_HDR_MIN + SEG_TCP_OPT_MAX)

#if defined(__GNUC__) || defined(__clang__)
#define SEG__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SEG__PRINTF(f, a)
#endif

static inline uint16_t seg__get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t seg__get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void seg__put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void seg__put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Fill `err` (if not NULL) with `code`, `offset` and the formatted message. */
void seg__err_set(struct seg_err *err, int code, size_t offset, const char *fmt, ...)
	SEG__PRINTF(4, 5);

/* Fill `err` and evaluate to `code`, visibly to the reader and to static
 * analysers: `return SEG__FAIL(err, SEG_EDOFF, off, "fmt", ...);` */
#define SEG__FAIL(err, code, offset, ...) \
	(seg__err_set((err), (code), (offset), __VA_ARGS__), (code))

/* Move an error found in a sub-buffer to the enclosing packet's offsets. */
static inline int seg__shift(struct seg_err *err, int code, size_t base)
{
	if (err)
		err->offset += base;
	return code;
}

/* Where the IP layer put things in a packet, as seg__ip_parse found them. */
struct seg__l3 {
	uint8_t family;	 /* SEG_IPV4 or SEG_IPV6 */
	uint8_t proto;	 /* upper-layer protocol after any extension headers */
	size_t hdr_len;	 /* IP header with its options / extension headers */
	size_t end;	 /* end of the IP packet's bytes within the buffer */
	size_t buf_len;	 /* bytes in the buffer (link padding included) */
	bool whole;	 /* the buffer holds all the bytes the length field claims */
	bool ip_csum_ok; /* IPv4 header checksum verified; true for IPv6 */
};

/* Check the IP header (and IPv6 extension headers) of `p[0..n)` and fill
 * `l3`. The upper-layer protocol must be TCP, or ICMP / ICMPv6 unless
 * `quote`. In `quote` mode (the packet an ICMP error quotes) the packet may
 * be cut short: a length field past the buffer is no error, and a cut
 * extension-header chain is SEG_ETRUNC. Returns 0 or a SEG_E* code. */
int seg__ip_parse(const uint8_t *p, size_t n, bool quote, struct seg__l3 *l3, struct seg_err *err);

/* The upper-layer header (`need` bytes, named `what`) does not fit the IP
 * packet: SEG_EIPLEN if the buffer holds more bytes after what the length
 * field claims (the field lies), else SEG_ETRUNC (seg.h, struct seg_err). */
int seg__l4_short(const struct seg__l3 *l3, size_t need, const char *what, struct seg_err *err);

/* Zero `s` and fill its IP-layer fields from a packet seg__ip_parse checked. */
void seg__ip_fill(struct seg *s, const uint8_t *p, const struct seg__l3 *l3);

/* Header length the IP layer of `s` encodes to (options padded). */
size_t seg__ip_hlen(const struct seg *s);

/* Check that the IP layer of `s` can carry `l4_len` bytes. 0 or SEG_EINVAL. */
int seg__ip_check(const struct seg *s, size_t l4_len);

/* Write the IP header of `s` (seg__ip_check passed) for an upper layer of
 * `proto` and `l4_len` bytes; seg__ip_hlen(s) bytes at `b`. */
void seg__ip_write(const struct seg *s, uint8_t proto, size_t l4_len, uint8_t *b);

/* Offset of the last header in an IPv6 extension-header area whose first
 * header is of type `first`, or -1 if the lengths do not add up to `len`. */
long seg__ext_last(uint8_t first, const uint8_t *ext, size_t len);

/* Check `s` and write its IP and TCP headers (no payload) into `buf`, the
 * TCP checksum taken over s->payload. `*hdr_len` gets their length.
 * Returns 0, SEG_EINVAL or SEG_ESPACE. Used to build ICMP quotes. */
int seg__encode_headers(const struct seg *s, uint8_t *buf, size_t cap, size_t *hdr_len);

/* Parse `n` option bytes into `o` (which may be left half-written on an
 * error; offsets in `err` are relative to `p`). */
int seg__opts_parse(const uint8_t *p, size_t n, struct seg_opts *o, struct seg_err *err);

/* Fill the 20 fixed TCP header bytes at `t` into `s` (not the options). */
void seg__tcp_fill(struct seg *s, const uint8_t *t);

/* Decode an ICMP / ICMPv6 error in `p` (IP layer already checked). */
int seg__icmp_decode(const uint8_t *p, const struct seg__l3 *l3, struct seg_packet *out,
		     struct seg_err *err);

#endif
