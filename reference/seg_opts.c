/* TCP options: builders and parser (RFC 9293 §3.1-3.2, RFC 7323, RFC 2018).
 *
 * `raw` is the truth; the view (present, mss, ...) is derived from it by
 * view_add(), which the builders and the parser share, so a built option
 * list and the same bytes parsed always have the same view. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "reference/seg_internal.h"

void seg__err_set(struct seg_err *err, int code, size_t offset, const char *fmt, ...)
{
	va_list ap;
	if (!err)
		return;
	err->code = code;
	err->offset = offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
}

void seg_opts_clear(struct seg_opts *o)
{
	memset(o, 0, sizeof *o);
}

int seg_opt_fixed_len(uint8_t kind)
{
	switch (kind) {
	case SEG_OPT_MSS:
		return 4;
	case SEG_OPT_WSCALE:
		return 3;
	case SEG_OPT_SACK_PERM:
		return 2;
	case SEG_OPT_TS:
		return 10;
	case SEG_OPT_SACK:
		return 0;
	default:
		return -1;
	}
}

/* RFC 2018 §3: a SACK option is 2 + 8n bytes; n is 1..4 in 40 bytes. */
static bool sack_len_ok(uint8_t len)
{
	return len >= 10 && len <= 2 + 8 * SEG_SACK_MAX && (len - 2) % 8 == 0;
}

static int check_len(const uint8_t *p, struct seg_err *err, size_t at)
{
	int want = seg_opt_fixed_len(p[0]);
	if (want > 0 && p[1] != want)
		return SEG__FAIL(err, SEG_EOPTVAL, at + 1,
				 "TCP option kind %u has length %u, expected %d", p[0], p[1], want);
	if (want == 0 && !sack_len_ok(p[1]))
		return SEG__FAIL(err, SEG_EOPTVAL, at + 1,
				 "TCP SACK option has length %u, expected 10, 18, 26 or 34", p[1]);
	return 0;
}

static void view_sack(struct seg_opts *o, const uint8_t *p)
{
	size_t i, n = (size_t)(p[1] - 2) / 8;
	for (i = 0; i < n; i++) {
		o->sack[i].left = seg__get32(p + 2 + 8 * i);
		o->sack[i].right = seg__get32(p + 6 + 8 * i);
	}
	o->sack_count = (uint8_t)n;
}

/* Record the well-sized option at p (kind, length, data) in the view; the
 * first of two same options wins. */
static void view_set(struct seg_opts *o, const uint8_t *p)
{
	static const uint32_t bit[] = {[SEG_OPT_MSS] = SEG_HAS_MSS,
				       [SEG_OPT_WSCALE] = SEG_HAS_WSCALE,
				       [SEG_OPT_SACK_PERM] = SEG_HAS_SACK_PERM,
				       [SEG_OPT_SACK] = SEG_HAS_SACK,
				       [SEG_OPT_TS] = SEG_HAS_TS};
	uint32_t b = p[0] < sizeof bit / sizeof bit[0] ? bit[p[0]] : 0;
	if (!b) {
		o->present |= SEG_HAS_UNKNOWN;
		return;
	}
	if (o->present & b)
		return;
	o->present |= b;
	if (p[0] == SEG_OPT_MSS)
		o->mss = seg__get16(p + 2);
	else if (p[0] == SEG_OPT_WSCALE)
		o->wscale = p[2];
	else if (p[0] == SEG_OPT_TS) {
		o->ts_val = seg__get32(p + 2);
		o->ts_ecr = seg__get32(p + 6);
	} else if (p[0] == SEG_OPT_SACK)
		view_sack(o, p);
}

/* Check the length of the option at p and add it to the view. */
static int view_add(struct seg_opts *o, const uint8_t *p, struct seg_err *err, size_t at)
{
	int rc = check_len(p, err, at);
	if (rc == 0)
		view_set(o, p);
	return rc;
}

static int append(struct seg_opts *o, const uint8_t *b, size_t n)
{
	if (n > (size_t)(SEG_TCP_OPT_MAX - o->len))
		return SEG_ESPACE;
	memcpy(o->raw + o->len, b, n);
	o->len = (uint8_t)(o->len + n);
	return 0;
}

/* Append a well-formed option and update the view (unless past an EOL). */
static int add_option(struct seg_opts *o, const uint8_t *b, size_t n)
{
	size_t at = o->len;
	int rc = append(o, b, n);
	if (rc == 0 && !(o->present & SEG_HAS_EOL))
		view_add(o, o->raw + at, NULL, 0);
	return rc;
}

int seg_opts_add_nop(struct seg_opts *o)
{
	static const uint8_t b[1] = {SEG_OPT_NOP};
	return append(o, b, 1);
}

int seg_opts_add_eol(struct seg_opts *o)
{
	static const uint8_t b[1] = {SEG_OPT_EOL};
	int rc = append(o, b, 1);
	if (rc == 0)
		o->present |= SEG_HAS_EOL;
	return rc;
}

int seg_opts_add_mss(struct seg_opts *o, uint16_t mss)
{
	uint8_t b[4] = {SEG_OPT_MSS, 4};
	seg__put16(b + 2, mss);
	return add_option(o, b, sizeof b);
}

int seg_opts_add_wscale(struct seg_opts *o, uint8_t shift)
{
	uint8_t b[3] = {SEG_OPT_WSCALE, 3, shift};
	return add_option(o, b, sizeof b);
}

int seg_opts_add_sack_perm(struct seg_opts *o)
{
	static const uint8_t b[2] = {SEG_OPT_SACK_PERM, 2};
	return add_option(o, b, sizeof b);
}

int seg_opts_add_ts(struct seg_opts *o, uint32_t val, uint32_t ecr)
{
	uint8_t b[10] = {SEG_OPT_TS, 10};
	seg__put32(b + 2, val);
	seg__put32(b + 6, ecr);
	return add_option(o, b, sizeof b);
}

int seg_opts_add_sack(struct seg_opts *o, const struct seg_sack_block *blk, unsigned n)
{
	uint8_t b[2 + 8 * SEG_SACK_MAX];
	size_t i;
	if (n < 1 || n > SEG_SACK_MAX || !blk)
		return SEG_EINVAL;
	b[0] = SEG_OPT_SACK;
	b[1] = (uint8_t)(2 + 8 * n);
	for (i = 0; i < n; i++) {
		seg__put32(b + 2 + 8 * i, blk[i].left);
		seg__put32(b + 6 + 8 * i, blk[i].right);
	}
	return add_option(o, b, b[1]);
}

int seg_opts_add_raw(struct seg_opts *o, uint8_t kind, uint8_t len, const uint8_t *data, size_t n)
{
	size_t at = o->len;
	if (n > 0 && !data)
		return SEG_EINVAL;
	if (n > SEG_TCP_OPT_MAX - 2 || n + 2 > (size_t)(SEG_TCP_OPT_MAX - o->len))
		return SEG_ESPACE;
	o->raw[at] = kind;
	o->raw[at + 1] = len;
	if (n > 0)
		memcpy(o->raw + at + 2, data, n);
	o->len = (uint8_t)(at + 2 + n);
	if (kind > SEG_OPT_NOP && len == n + 2 && !(o->present & SEG_HAS_EOL))
		view_add(o, o->raw + at, NULL, 0); /* malformed: view left alone */
	return 0;
}

int seg_opts_pad(struct seg_opts *o)
{
	if (o->len % 4 == 0)
		return 0;
	while (o->len % 4)
		o->raw[o->len++] = SEG_OPT_EOL;
	o->present |= SEG_HAS_EOL;
	return 0;
}

/* One option with a length byte at p[i]; returns its length or an error. */
static int parse_one(const uint8_t *p, size_t n, size_t i, struct seg_opts *o, struct seg_err *err)
{
	uint8_t kind = p[i], len;
	int rc;
	if (n - i < 2)
		return SEG__FAIL(err, SEG_EOPTLEN, i, "TCP option kind %u has no length byte",
				 kind);
	len = p[i + 1];
	if (len < 2)
		return SEG__FAIL(err, SEG_EOPTLEN, i + 1,
				 "TCP option kind %u has length %u (below 2)", kind, len);
	if (len > n - i)
		return SEG__FAIL(err, SEG_EOPTLEN, i + 1,
				 "TCP option kind %u has length %u, only %zu bytes left", kind, len,
				 n - i);
	rc = view_add(o, p + i, err, i);
	return rc ? rc : len;
}

int seg__opts_parse(const uint8_t *p, size_t n, struct seg_opts *o, struct seg_err *err)
{
	size_t i = 0;
	if (n > SEG_TCP_OPT_MAX)
		return SEG__FAIL(err, SEG_EOPTLEN, SEG_TCP_OPT_MAX,
				 "TCP option space of %zu bytes exceeds 40", n);
	memset(o, 0, sizeof *o);
	if (n > 0)
		memcpy(o->raw, p, n);
	o->len = (uint8_t)n;
	while (i < n) {
		int len;
		if (p[i] == SEG_OPT_EOL) { /* RFC 9293 §3.2: end of the list */
			o->present |= SEG_HAS_EOL;
			break;
		}
		if (p[i] == SEG_OPT_NOP) {
			i++;
			continue;
		}
		len = parse_one(p, n, i, o, err);
		if (len < 0)
			return len;
		i += (size_t)len;
	}
	return 0;
}

int seg_opts_parse(const uint8_t *p, size_t n, struct seg_opts *out, struct seg_err *err)
{
	struct seg_opts o;
	int rc = seg__opts_parse(p, n, &o, err);
	if (rc == 0)
		*out = o;
	return rc;
}
