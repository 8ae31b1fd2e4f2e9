/* Internet checksum (RFC 1071), summed a 32-bit word at a time.
 *
 * The ones'-complement sum is independent of byte order as long as the
 * result is read back in the same order (RFC 1071 §2(B)): words are loaded
 * in host order with memcpy (alignment-safe), and the folded sum is turned
 * back into a number by reading its bytes in network order. The running
 * sum is therefore opaque; seg_csum_fold() returns the checksum as a plain
 * number, to be written big-endian like every other header field. */
#include <string.h>

#include "reference/seg.h"

/* Add 32-bit words into 64-bit partial sums, so that carries are never
 * lost (2^32 words would be needed to overflow one). Four independent
 * accumulators let the CPU add in parallel; this loop is the hot spot of
 * the reference's per-segment path (two checksums per segment). */
static uint64_t sum_words(uint64_t acc, const uint8_t *p, size_t n)
{
	uint64_t a0 = 0, a1 = 0, a2 = 0, a3 = 0;
	while (n >= 32) {
		/* Four 64-bit loads (memcpy: alignment-safe, compiled to plain
		 * loads), each split into its two 32-bit halves. */
		uint64_t x0, x1, x2, x3;
		memcpy(&x0, p, 8);
		memcpy(&x1, p + 8, 8);
		memcpy(&x2, p + 16, 8);
		memcpy(&x3, p + 24, 8);
		a0 += (x0 & 0xffffffffu) + (x0 >> 32);
		a1 += (x1 & 0xffffffffu) + (x1 >> 32);
		a2 += (x2 & 0xffffffffu) + (x2 >> 32);
		a3 += (x3 & 0xffffffffu) + (x3 >> 32);
		p += 32;
		n -= 32;
	}
	acc += a0 + a1 + a2 + a3;
	while (n >= 4) {
		uint32_t w;
		memcpy(&w, p, 4);
		acc += w;
		p += 4;
		n -= 4;
	}
	if (n >= 2) {
		uint16_t h;
		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		n -= 2;
	}
	if (n == 1) {
		/* The odd byte is the high-order byte of a 16-bit word padded
		 * with zero, in network order; in memory that is {p[0], 0}. */
		uint8_t last[2] = { p[0], 0 };
		uint16_t h;
		memcpy(&h, last, 2);
		acc += h;
	}
	return acc;
}

uint32_t seg_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t acc = sum_words(sum, p, n);
	/* Fold to 32 bits, end-around carry. */
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (uint32_t)acc;
}

uint16_t seg_csum_fold(uint32_t sum)
{
	uint16_t folded;
	uint8_t b[2];
	while (sum >> 16)
		sum = (sum & 0xffffu) + (sum >> 16);
	folded = (uint16_t)~sum;
	memcpy(b, &folded, 2);
	return (uint16_t)(b[0] << 8 | b[1]);
}

uint32_t seg_csum_pseudo(uint8_t family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
			 size_t len)
{
	/* Pseudo-header: addresses, zero, protocol, upper-layer length (RFC
	 * 9293 §3.1 for IPv4; RFC 8200 §8.1 for IPv6, with a 32-bit length). */
	size_t alen = family == SEG_IPV6 ? 16 : 4;
	uint8_t tail[8] = { 0 };
	uint32_t sum = seg_csum_add(0, src, alen);
	sum = seg_csum_add(sum, dst, alen);
	if (family == SEG_IPV6) {
		tail[0] = (uint8_t)(len >> 24);
		tail[1] = (uint8_t)(len >> 16);
		tail[2] = (uint8_t)(len >> 8);
		tail[3] = (uint8_t)len;
		tail[7] = proto;
		return seg_csum_add(sum, tail, 8);
	}
	tail[1] = proto;
	tail[2] = (uint8_t)(len >> 8);
	tail[3] = (uint8_t)len;
	return seg_csum_add(sum, tail, 4);
}

uint16_t seg_tcp_csum(uint8_t family, const uint8_t *src, const uint8_t *dst,
		      const uint8_t *tcp, size_t tcp_len)
{
	uint32_t sum = seg_csum_pseudo(family, src, dst, 6, tcp_len);
	return seg_csum_fold(seg_csum_add(sum, tcp, tcp_len));
}
