/* Initial sequence numbers, RFC 9293 §3.4.1: ISN = M + F(4-tuple, key).
 *
 * M is a 32-bit clock ticking every 4 microseconds, taken from `now` (MUST-8);
 * F is SipHash-2-4 keyed by the configuration's isn_key, over the family,
 * both addresses and both ports (SHLD-1; MUST-9 holds as long as the key
 * stays secret, which for an oracle it need not). Same key, same time, same
 * 4-tuple: same ISN, so runs reproduce bit for bit.
 */
#include <string.h>

#include "reference/ref_internal.h"

static uint64_t rotl(uint64_t x, unsigned b) { return (x << b) | (x >> (64u - b)); }

static uint64_t load_le64(const uint8_t *p)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = rotl(v[1], 13);
	v[1] ^= v[0];
	v[0] = rotl(v[0], 32);
	v[2] += v[3];
	v[3] = rotl(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = rotl(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = rotl(v[1], 17);
	v[1] ^= v[2];
	v[2] = rotl(v[2], 32);
}

static void sip_block(uint64_t v[4], uint64_t m)
{
	v[3] ^= m;
	sipround(v);
	sipround(v);
	v[0] ^= m;
}

/* SipHash-2-4 (Aumasson & Bernstein), key as two little-endian halves. */
uint64_t ref__siphash24(const uint64_t key[2], const uint8_t *p, size_t n)
{
	uint64_t v[4] = {key[0] ^ 0x736f6d6570736575ull, key[1] ^ 0x646f72616e646f6dull,
			 key[0] ^ 0x6c7967656e657261ull, key[1] ^ 0x7465646279746573ull};
	uint8_t tail[8] = {0};
	size_t i, rest = n % 8;

	for (i = 0; i + 8 <= n; i += 8)
		sip_block(v, load_le64(p + i));
	memcpy(tail, p + i, rest);
	tail[7] = (uint8_t)n;
	sip_block(v, load_le64(tail));
	v[2] ^= 0xff;
	sipround(v);
	sipround(v);
	sipround(v);
	sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint32_t ref__isn(const struct ref_stack *st, const struct ref_sock *s, uint64_t now)
{
	uint8_t in[37];
	uint32_t m = (uint32_t)(now / 4); /* the 4 µs clock, mod 2^32 */
	uint64_t f;

	in[0] = s->family;
	memcpy(in + 1, s->laddr, 16);
	memcpy(in + 17, s->raddr, 16);
	in[33] = (uint8_t)(s->lport >> 8);
	in[34] = (uint8_t)s->lport;
	in[35] = (uint8_t)(s->rport >> 8);
	in[36] = (uint8_t)s->rport;
	f = ref__siphash24(st->cfg.isn_key, in, sizeof(in));
	return m + (uint32_t)f;
}
