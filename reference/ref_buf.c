/* Byte rings and the bounded out-of-order store (see ref_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "reference/ref_internal.h"

int ref__ring_init(struct ref_ring *r, uint32_t cap)
{
	r->buf = cap ? malloc(cap) : NULL;
	r->cap = r->buf ? cap : 0;
	r->head = 0;
	r->len = 0;
	return r->buf ? 0 : -1;
}

void ref__ring_free(struct ref_ring *r)
{
	free(r->buf);
	r->buf = NULL;
	r->cap = r->head = r->len = 0;
}

/* Copy n bytes in or out at ring position pos, in at most two pieces. */
static void ring_copy_in(struct ref_ring *r, uint32_t pos, const uint8_t *p, uint32_t n)
{
	uint32_t first = r->cap - pos;

	if (first > n)
		first = n;
	memcpy(r->buf + pos, p, first);
	memcpy(r->buf, p + first, n - first);
}

static void ring_copy_out(const struct ref_ring *r, uint32_t pos, uint8_t *out, uint32_t n)
{
	uint32_t first = r->cap - pos;

	if (first > n)
		first = n;
	memcpy(out, r->buf + pos, first);
	memcpy(out + first, r->buf, n - first);
}

static uint32_t ring_pos(const struct ref_ring *r, uint32_t off)
{
	uint64_t pos = (uint64_t)r->head + off;

	return (uint32_t)(pos % r->cap);
}

uint32_t ref__ring_push(struct ref_ring *r, const uint8_t *p, uint32_t n)
{
	uint32_t room = r->cap - r->len;

	if (n > room)
		n = room;
	if (n == 0)
		return 0;
	ring_copy_in(r, ring_pos(r, r->len), p, n);
	r->len += n;
	return n;
}

void ref__ring_peek(const struct ref_ring *r, uint32_t off, uint8_t *out, uint32_t n)
{
	if (n == 0 || r->cap == 0)
		return;
	ring_copy_out(r, ring_pos(r, off), out, n);
}

void ref__ring_write_at(struct ref_ring *r, uint32_t off, const uint8_t *p, uint32_t n)
{
	if (n == 0 || r->cap == 0)
		return;
	ring_copy_in(r, ring_pos(r, off), p, n);
}

void ref__ring_drop(struct ref_ring *r, uint32_t n)
{
	if (n > r->len)
		n = r->len;
	if (r->cap)
		r->head = ring_pos(r, n);
	r->len -= n;
}

uint8_t ref__ring_byte(const struct ref_ring *r, uint32_t off)
{
	return r->buf[ring_pos(r, off)];
}

/* ---- out-of-order ranges ---------------------------------------------------- */

int ref__ooo_init(struct ref_ooo *o, uint32_t cap)
{
	memset(o, 0, sizeof(*o));
	if (cap == 0)
		return 0;
	o->r = calloc(cap, sizeof(*o->r));
	if (o->r == NULL)
		return -1;
	o->cap = cap;
	return 0;
}

void ref__ooo_free(struct ref_ooo *o)
{
	free(o->r);
	memset(o, 0, sizeof(*o));
}

void ref__ooo_clear(struct ref_ooo *o)
{
	o->n = 0;
	o->fin = false;
}

static void ooo_remove(struct ref_ooo *o, uint32_t i, uint32_t count)
{
	memmove(&o->r[i], &o->r[i + count], (o->n - i - count) * sizeof(o->r[0]));
	o->n -= count;
}

int ref__ooo_add(struct ref_ooo *o, uint32_t left, uint32_t right)
{
	uint32_t i = 0, j;

	if (!seq_lt(left, right))
		return 0;
	/* First range that ends at or after `left` (touching counts). */
	while (i < o->n && seq_lt(o->r[i].right, left))
		i++;
	/* Ranges i..j-1 overlap or touch [left, right): merge them. */
	j = i;
	while (j < o->n && seq_leq(o->r[j].left, right)) {
		left = seq_min(left, o->r[j].left);
		right = seq_max(right, o->r[j].right);
		j++;
	}
	if (j > i) {
		o->r[i].left = left;
		o->r[i].right = right;
		ooo_remove(o, i + 1, j - i - 1);
		return 0;
	}
	if (o->n == o->cap)
		return -1;
	memmove(&o->r[i + 1], &o->r[i], (o->n - i) * sizeof(o->r[0]));
	o->r[i].left = left;
	o->r[i].right = right;
	o->n++;
	return 0;
}

uint32_t ref__ooo_advance(struct ref_ooo *o, uint32_t nxt)
{
	while (o->n > 0 && seq_leq(o->r[0].left, nxt)) {
		if (seq_gt(o->r[0].right, nxt))
			nxt = o->r[0].right;
		ooo_remove(o, 0, 1);
	}
	return nxt;
}

void ref__ooo_trim(struct ref_ooo *o, uint32_t seq)
{
	uint32_t i = 0;

	while (i < o->n && seq_leq(o->r[i].right, seq))
		i++;
	if (i > 0)
		ooo_remove(o, 0, i);
	if (o->n > 0 && seq_lt(o->r[0].left, seq))
		o->r[0].left = seq;
}

const struct ref_ooo_range *ref__ooo_find(const struct ref_ooo *o, uint32_t seq)
{
	uint32_t i;

	for (i = 0; i < o->n; i++)
		if (seq_in(seq, o->r[i].left, o->r[i].right))
			return &o->r[i];
	return NULL;
}
