/* Printing segments in packetdrill / tcpdump notation, error texts, and
 * addresses. No stdio: text is built by hand, so that printing is cheap
 * and behaves the same everywhere. */
#include <string.h>

#include "reference/seg_internal.h"

/* A bounded text writer that counts what the full text needs. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

static void put_ch(struct out *w, char c)
{
	if (w->len + 1 < w->cap)
		w->buf[w->len] = c;
	w->len++;
}

static void put_str(struct out *w, const char *s)
{
	while (*s)
		put_ch(w, *s++);
}

static void put_uint(struct out *w, unsigned long v)
{
	char d[24];
	size_t n = 0;
	do {
		d[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		put_ch(w, d[--n]);
}

static void put_hex(struct out *w, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;
	put_str(w, "0x");
	for (i = 0; i < n; i++) {
		put_ch(w, digits[p[i] >> 4]);
		put_ch(w, digits[p[i] & 0x0f]);
	}
}

/* A writer into buf[0..cap), which starts as the empty string. */
static struct out out_init(char *buf, size_t cap)
{
	struct out w = {buf, cap, 0};
	if (cap > 0)
		buf[0] = '\0';
	return w;
}

/* NUL-terminate and return the length the whole text needs. */
static int finish(struct out *w)
{
	if (w->cap > 0)
		w->buf[w->len < w->cap ? w->len : w->cap - 1] = '\0';
	return (int)w->len;
}

/* ---- options ---------------------------------------------------------------- */

static void put_sack(struct out *w, const uint8_t *p, uint32_t base)
{
	size_t i, n = (size_t)(p[1] - 2) / 8;
	put_str(w, "sack");
	for (i = 0; i < n; i++) {
		put_ch(w, ' ');
		put_uint(w, seg__get32(p + 2 + 8 * i) - base);
		put_ch(w, ':');
		put_uint(w, seg__get32(p + 6 + 8 * i) - base);
	}
}

/* A well-sized known option (the parser's rules) by name; false if not. */
static bool put_known(struct out *w, const uint8_t *p, uint32_t sack_base)
{
	struct seg_opts v;
	if (seg__opts_parse(p, p[1], &v, NULL) != 0 || (v.present & SEG_HAS_UNKNOWN))
		return false;
	if (p[0] == SEG_OPT_MSS) {
		put_str(w, "mss ");
		put_uint(w, v.mss);
	} else if (p[0] == SEG_OPT_WSCALE) {
		put_str(w, "wscale ");
		put_uint(w, v.wscale);
	} else if (p[0] == SEG_OPT_SACK_PERM) {
		put_str(w, "sackOK");
	} else if (p[0] == SEG_OPT_TS) {
		put_str(w, "TS val ");
		put_uint(w, v.ts_val);
		put_str(w, " ecr ");
		put_uint(w, v.ts_ecr);
	} else {
		put_sack(w, p, sack_base);
	}
	return true;
}

/* "unknown kind K len L 0x.." / "bad kind K len L 0x.." for n bytes at p. */
static void put_raw(struct out *w, const char *what, const uint8_t *p, size_t n)
{
	put_str(w, what);
	put_str(w, " kind ");
	put_uint(w, p[0]);
	if (n < 2)
		return;
	put_str(w, " len ");
	put_uint(w, p[1]);
	if (n > 2) {
		put_ch(w, ' ');
		put_hex(w, p + 2, n - 2);
	}
}

static bool is_known(uint8_t kind)
{
	return kind == SEG_OPT_MSS || kind == SEG_OPT_WSCALE || kind == SEG_OPT_SACK_PERM ||
	       kind == SEG_OPT_SACK || kind == SEG_OPT_TS;
}

/* Print the option at raw[i]; return its length, 0 to end the list. */
static size_t put_option(struct out *w, const uint8_t *raw, size_t n, size_t i, uint32_t base)
{
	const uint8_t *p = raw + i;
	if (p[0] == SEG_OPT_EOL || p[0] == SEG_OPT_NOP) {
		put_str(w, p[0] == SEG_OPT_EOL ? "eol" : "nop");
		return 1;
	}
	if (n - i < 2 || p[1] < 2 || p[1] > n - i) {
		put_raw(w, "bad", p, n - i);
		return 0;
	}
	if (!is_known(p[0]))
		put_raw(w, "unknown", p, p[1]);
	else if (!put_known(w, p, base))
		put_raw(w, "bad", p, p[1]);
	return p[1];
}

static void put_opts(struct out *w, const struct seg_opts *o, uint32_t sack_base)
{
	size_t i = 0, n = o->len <= SEG_TCP_OPT_MAX ? o->len : SEG_TCP_OPT_MAX;
	if (n == 0)
		return;
	put_ch(w, '<');
	while (i < n) {
		size_t step;
		if (i > 0)
			put_ch(w, ',');
		step = put_option(w, o->raw, n, i, sack_base);
		if (step == 0)
			break;
		i += step;
	}
	put_ch(w, '>');
}

int seg_format_opts(const struct seg_opts *o, uint32_t sack_base, char *buf, size_t cap)
{
	struct out w = out_init(buf, cap);
	put_opts(&w, o, sack_base);
	return finish(&w);
}

/* ---- segments ----------------------------------------------------------------- */

/* packetdrill's letters in its order (tcpdump 4.1.1's): F S R P . U E W. */
static void put_flags(struct out *w, uint8_t flags)
{
	static const struct {
		uint8_t bit;
		char ch;
	} order[] = {{SEG_FIN, 'F'}, {SEG_SYN, 'S'}, {SEG_RST, 'R'}, {SEG_PSH, 'P'},
		     {SEG_ACK, '.'}, {SEG_URG, 'U'}, {SEG_ECE, 'E'}, {SEG_CWR, 'W'}};
	size_t i;
	if (flags == 0)
		put_ch(w, '-');
	for (i = 0; i < sizeof order / sizeof order[0]; i++)
		if (flags & order[i].bit)
			put_ch(w, order[i].ch);
}

int seg_format(const struct seg *s, uint32_t seq_base, uint32_t ack_base, char *buf, size_t cap)
{
	struct out w = out_init(buf, cap);
	uint32_t start = s->seq - seq_base;
	put_flags(&w, s->flags);
	put_ch(&w, ' ');
	put_uint(&w, start);
	put_ch(&w, ':');
	put_uint(&w, (uint32_t)(start + s->len));
	put_ch(&w, '(');
	put_uint(&w, s->len);
	put_ch(&w, ')');
	if (s->flags & SEG_ACK) {
		put_str(&w, " ack ");
		put_uint(&w, s->ack - ack_base);
	}
	put_str(&w, " win ");
	put_uint(&w, s->wnd);
	if ((s->flags & SEG_URG) || s->urp) {
		put_str(&w, " urg ");
		put_uint(&w, s->urp);
	}
	if (s->reserved) {
		put_str(&w, " reserved ");
		put_uint(&w, s->reserved);
	}
	if (s->opts.len > 0) {
		put_ch(&w, ' ');
		put_opts(&w, &s->opts, ack_base);
	}
	return finish(&w);
}

/* ---- addresses ------------------------------------------------------------------ */

static void put_ip4(struct out *w, const uint8_t *a)
{
	int i;
	for (i = 0; i < 4; i++) {
		if (i)
			put_ch(w, '.');
		put_uint(w, a[i]);
	}
}

static void put_hex16(struct out *w, unsigned v)
{
	static const char digits[] = "0123456789abcdef";
	int shift = 12;
	while (shift > 0 && !(v >> shift & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put_ch(w, digits[v >> shift & 0xf]);
}

/* The longest run (of two or more) of zero words: RFC 5952 §4.2. */
static void zero_run(const unsigned *words, int *best, int *best_len)
{
	int i, run = 0;
	*best = -1;
	*best_len = 0;
	for (i = 0; i < 8; i++) {
		run = words[i] ? 0 : run + 1;
		if (run > *best_len && run >= 2) {
			*best_len = run;
			*best = i - run + 1;
		}
	}
}

static void put_ip6(struct out *w, const uint8_t *a)
{
	unsigned words[8];
	int i, best, best_len;
	for (i = 0; i < 8; i++)
		words[i] = seg__get16(a + 2 * (size_t)i);
	zero_run(words, &best, &best_len);
	for (i = 0; i < 8; i++) {
		if (i == best) {
			put_str(w, "::");
			i += best_len - 1;
			continue;
		}
		if (i > 0 && i != best + best_len)
			put_ch(w, ':');
		/* An embedded IPv4 tail, as glibc writes ::ffff:a.b.c.d and ::a.b.c.d. */
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && words[5] == 0xffff))) {
			put_ip4(w, a + 12);
			break;
		}
		put_hex16(w, words[i]);
	}
}

int seg_format_addr(uint8_t family, const uint8_t *addr, char *buf, size_t cap)
{
	struct out w = out_init(buf, cap);
	if (family == SEG_IPV4)
		put_ip4(&w, addr);
	else if (family == SEG_IPV6)
		put_ip6(&w, addr);
	else {
		finish(&w);
		return SEG_EINVAL;
	}
	return finish(&w);
}

/* ---- errors ---------------------------------------------------------------------- */

const char *seg_strerror(int err)
{
	static const char *const text[] = {
		[0] = "success",
		[-SEG_ETRUNC] = "packet shorter than a header it must hold",
		[-SEG_EVERSION] = "IP version is neither 4 nor 6",
		[-SEG_EIPHDR] = "IPv4 header length below 5 words or past the packet",
		[-SEG_EIPLEN] = "IP length field disagrees with the packet",
		[-SEG_EPROTO] = "not TCP, nor an ICMP error quoting TCP",
		[-SEG_EDOFF] = "TCP data offset below 5 or past the segment",
		[-SEG_EOPTLEN] = "TCP option length 0, 1 or past the header",
		[-SEG_EOPTVAL] = "TCP option of a known kind with the wrong length",
		[-SEG_EEXTHDR] = "IPv6 extension header chain malformed",
		[-SEG_EICMP] = "ICMP message malformed or of an unhandled type",
		[-SEG_ESPACE] = "buffer or option space too small",
		[-SEG_EINVAL] = "segment asks for something impossible",
		[-SEG_EFRAG] = "IP fragment (tcpcheck does not reassemble)",
	};
	if (err > 0 || err < -(int)(sizeof text / sizeof text[0] - 1))
		return "unknown codec error";
	return text[-err];
}
