/* Bytes <-> actions: the format documented in actions.h. */
#include <stdio.h>
#include <string.h>

#include "harness/actions/actions_int.h"

/* LEN codes 200..254. */
static const uint16_t len_table[55] = {
	200,  255,  256,  300,	400,  500,  511,  512,	 513,	535,   536,   537,   600,   1000,
	1023, 1024, 1025, 1200, 1219, 1220, 1221, 1400,	 1439,	1440,  1459,  1460,  1461,  1500,
	2000, 2047, 2048, 2049, 2920, 2921, 3000, 4095,	 4096,	4097,  5000,  8191,  8192,  8193,
	10000, 16383, 16384, 16385, 20000, 32767, 32768, 32769, 40000, 60000, 65000, 65534, 65535,
};

/* TIME codes 3..30, microseconds. */
static const uint64_t time_table[28] = {
	0,	     1000,	  10000,       40000,	     100000,	   199000,     200000,
	201000,	     500000,	  999999,      1000000,	     1000001,	   1500000,    2000000,
	3000000,     5000000,	  10000000,    60000000,     100000000,	   120000000,  180000000,
	239999999,   240000000,	  240000001,   600000000,    7200000000ull, 7875000000ull, 1000,
};

uint64_t fz__time_table(unsigned code)
{
	return code >= 3 && code < 31 ? time_table[code - 3] : 0;
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
	const uint8_t *p;
	size_t n, i;
};

static uint8_t u8(struct rd *r) { return r->i < r->n ? r->p[r->i++] : 0; }

static uint16_t u16(struct rd *r)
{
	uint16_t hi = u8(r);
	return (uint16_t)(hi << 8 | u8(r));
}

static uint32_t u32(struct rd *r)
{
	uint32_t hi = u16(r);
	return hi << 16 | u16(r);
}

/* Parameter bytes of each option code (fixed), or -1: variable. */
static int opt_fixed(unsigned code)
{
	static const int8_t n[16] = { 0, 2, 1, 0, 2, -1, 0, 0, -1, 0, 0, 0, 0, 0, 2, 0 };
	return n[code & 15];
}

static void rd_opts(struct rd *r, struct fz_action *a)
{
	int k = opt_fixed(a->opt_code);
	unsigned i, n;
	if (k >= 0) {
		n = (unsigned)k;
	} else if (a->opt_code == 5) {
		a->opt[0] = (uint8_t)(u8(r) % 4); /* blocks - 1 */
		for (i = 1; i <= (a->opt[0] + 1u) * 2u; i++)
			a->opt[i] = u8(r);
		a->opt_n = (uint8_t)(1 + (a->opt[0] + 1) * 2);
		return;
	} else {
		n = u8(r) % 41;
		a->opt[0] = (uint8_t)n;
		for (i = 0; i < n; i++)
			a->opt[1 + i] = u8(r);
		a->opt_n = (uint8_t)(n + 1);
		return;
	}
	for (i = 0; i < n; i++)
		a->opt[i] = u8(r);
	a->opt_n = (uint8_t)n;
}

static uint16_t win_of(struct rd *r, uint8_t c)
{
	if (c == 255)
		return 65535;
	if (c == 254)
		return u16(r);
	return c < 2 ? c : (uint16_t)((c - 1) * 259);
}

static void rd_seg(struct rd *r, struct fz_action *a, unsigned p)
{
	uint8_t sb, ab;
	a->kind = FZ_SEG;
	a->bad_csum = p == 31;
	a->flags = u8(r);
	sb = u8(r);
	ab = u8(r);
	a->len_code = u8(r);
	a->win_code = u8(r);
	a->opt_code = u8(r) & 15;
	a->seq_mode = sb >> 5;
	a->seq_arg = (sb & 31) - 16;
	a->ack_mode = ab >> 5;
	a->ack_arg = (ab & 31) - 16;
	if (a->flags & 0x20)
		a->urp = u16(r);
	if (a->seq_mode == 6)
		a->seq_arg = (int16_t)u16(r);
	else if (a->seq_mode == 7)
		a->seq_arg = (int32_t)u32(r);
	if (a->ack_mode == 7)
		a->ack_arg = (int32_t)u32(r);
	if (a->len_code < 200)
		a->len = a->len_code;
	else if (a->len_code < 255)
		a->len = len_table[a->len_code - 200];
	else
		a->len = u16(r);
	a->win = win_of(r, a->win_code);
	rd_opts(r, a);
}

static void rd_one(struct rd *r, struct fz_action *a)
{
	uint8_t op = u8(r);
	unsigned k = op & 7, p = op >> 3;
	memset(a, 0, sizeof *a);
	if (k == 4) {
		a->kind = FZ_TIME;
		a->time_code = (uint8_t)p;
		if (p == 31)
			a->time_us = u32(r);
	} else if (k == 5) {
		uint8_t b;
		a->kind = FZ_VERB;
		a->verb = (enum fz_verb)(p % FZ_V_COUNT);
		b = u8(r);
		a->arg = b == 255 ? u16(r) : b;
	} else if (k == 6) {
		uint8_t q, m;
		a->kind = FZ_ICMP;
		a->icmp = (enum fz_icmp)(p & 7);
		q = u8(r);
		a->quote_mode = q >> 5;
		a->quote_arg = (q & 31) - 16;
		if (a->quote_mode == 7)
			a->quote_arg = (int32_t)u32(r);
		m = u8(r);
		a->mtu = m == 255 ? u16(r) : (uint16_t)(68 + 6 * m);
	} else {
		rd_seg(r, a, p);
	}
}

size_t fz_decode(const uint8_t *p, size_t n, struct fz_action *out, size_t max)
{
	struct rd r = { p, n, 0 };
	size_t k = 0;
	while (r.i < n && k < max)
		rd_one(&r, &out[k++]);
	return k;
}

/* ---- writing ------------------------------------------------------------ */

struct wr {
	uint8_t *p;
	size_t cap, i;
	bool full;
};

static void w8(struct wr *w, unsigned v)
{
	if (w->i < w->cap)
		w->p[w->i++] = (uint8_t)v;
	else
		w->full = true;
}

static void w16(struct wr *w, unsigned v)
{
	w8(w, v >> 8 & 0xff);
	w8(w, v & 0xff);
}

static void w32(struct wr *w, uint32_t v)
{
	w16(w, v >> 16);
	w16(w, v & 0xffff);
}

static unsigned dbits(int32_t d)
{
	return d >= -16 && d <= 15 ? (unsigned)(d + 16) : 16;
}

static void wr_seg(struct wr *w, const struct fz_action *a)
{
	unsigned i;
	w8(w, a->bad_csum ? (31u << 3) : 0);
	w8(w, a->flags);
	w8(w, (unsigned)a->seq_mode << 5 | (a->seq_mode >= 6 ? 16 : dbits(a->seq_arg)));
	w8(w, (unsigned)a->ack_mode << 5 | (a->ack_mode == 7 ? 16 : dbits(a->ack_arg)));
	w8(w, a->len_code);
	w8(w, a->win_code);
	w8(w, a->opt_code);
	if (a->flags & 0x20)
		w16(w, a->urp);
	if (a->seq_mode == 6)
		w16(w, (uint16_t)a->seq_arg);
	else if (a->seq_mode == 7)
		w32(w, (uint32_t)a->seq_arg);
	if (a->ack_mode == 7)
		w32(w, (uint32_t)a->ack_arg);
	if (a->len_code == 255)
		w16(w, a->len);
	if (a->win_code == 254)
		w16(w, a->win);
	for (i = 0; i < a->opt_n; i++)
		w8(w, a->opt[i]);
}

static void wr_one(struct wr *w, const struct fz_action *a)
{
	switch (a->kind) {
	case FZ_SEG: wr_seg(w, a); break;
	case FZ_TIME:
		w8(w, (unsigned)a->time_code << 3 | 4);
		if (a->time_code == 31)
			w32(w, a->time_us);
		break;
	case FZ_VERB:
		w8(w, (unsigned)a->verb << 3 | 5);
		if (a->arg >= 255) {
			w8(w, 255);
			w16(w, a->arg > 65535 ? 65535 : a->arg);
		} else {
			w8(w, a->arg);
		}
		break;
	case FZ_ICMP:
		w8(w, (unsigned)a->icmp << 3 | 6);
		w8(w, (unsigned)a->quote_mode << 5 | (a->quote_mode == 7 ? 16 : dbits(a->quote_arg)));
		if (a->quote_mode == 7)
			w32(w, (uint32_t)a->quote_arg);
		if (a->mtu >= 68 && (a->mtu - 68) % 6 == 0 && (a->mtu - 68) / 6 < 255) {
			w8(w, (unsigned)(a->mtu - 68) / 6);
		} else {
			w8(w, 255);
			w16(w, a->mtu);
		}
		break;
	}
}

long fz_encode(const struct fz_action *a, size_t n, uint8_t *buf, size_t cap)
{
	struct wr w = { buf, cap, 0, false };
	size_t i;
	for (i = 0; i < n; i++)
		wr_one(&w, &a[i]);
	return w.full ? -1 : (long)w.i;
}

/* ---- text ----------------------------------------------------------------- */

static const char *const verb_names[FZ_V_COUNT] = {
	"listen",     "connect",     "accept",	      "send",	      "send-oob",
	"recv",	      "recv-peek",   "recv-oob",      "shutdown-wr", "shutdown-rd",
	"shutdown-rdwr", "close",    "abort",	      "nodelay",     "linger0",
	"keepalive",  "oobinline",   "maxseg",	      "rcvbuf",	     "sndbuf",
	"user-timeout", "keepidle",  "so-error",      "poll",	     "new-peer",
	"close-listener", "soft-error", "recverr",
};

const char *fz__verb_name(enum fz_verb v);
const char *fz__verb_name(enum fz_verb v)
{
	return (unsigned)v < FZ_V_COUNT ? verb_names[v] : "?";
}

void fz_action_format(const struct fz_action *a, char *buf, size_t cap)
{
	switch (a->kind) {
	case FZ_SEG:
		snprintf(buf, cap, "SEG flags=0x%02x seq=%u:%d ack=%u:%d len=%u win=%u opt=%u%s",
			 a->flags, a->seq_mode, (int)a->seq_arg, a->ack_mode, (int)a->ack_arg,
			 (unsigned)a->len, a->win, a->opt_code, a->bad_csum ? " bad_csum" : "");
		break;
	case FZ_TIME:
		snprintf(buf, cap, "TIME code=%u us=%u", a->time_code, (unsigned)a->time_us);
		break;
	case FZ_VERB:
		snprintf(buf, cap, "VERB %s %u", fz__verb_name(a->verb), (unsigned)a->arg);
		break;
	case FZ_ICMP:
		snprintf(buf, cap, "ICMP %d quote=%u:%d mtu=%u", (int)a->icmp, a->quote_mode,
			 (int)a->quote_arg, a->mtu);
		break;
	}
}
