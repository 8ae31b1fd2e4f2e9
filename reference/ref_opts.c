/* TCP options: parsing what arrives, building what we send (§3.1, §3.2,
 * §3.7.1, RFC 7323, RFC 2018, RFC 2883).
 *
 * The raw option bytes of a segment are the truth: they are walked here
 * at any alignment (MUST-64), unknown kinds skipped by their length byte
 * (MUST-6, MUST-68), parsing stops at EOL, and an illegal length makes the
 * options malformed (MUST-7). The fixed lengths are the codec's
 * (seg_opt_fixed_len). The first of two same options counts.
 */
#include <string.h>

#include "reference/ref_internal.h"

static bool option_len_ok(uint8_t kind, unsigned len)
{
	int fixed = seg_opt_fixed_len(kind);

	if (fixed > 0)
		return len == (unsigned)fixed;
	if (fixed == 0) /* SACK: 2 + 8n, n = 1..4 */
		return len >= 10 && len <= 2 + 8 * SEG_SACK_MAX && (len - 2) % 8 == 0;
	return true;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void take_sack(const uint8_t *p, unsigned len, struct ref_in *in)
{
	unsigned i, n = (len - 2) / 8;

	for (i = 0; i < n; i++) {
		in->sack[i].left = get32(p + 2 + 8 * i);
		in->sack[i].right = get32(p + 6 + 8 * i);
	}
	in->nsack = (uint8_t)n;
}

static void take_option(const uint8_t *p, unsigned len, struct ref_in *in, uint32_t *seen)
{
	uint32_t bit = p[0] < 32 ? 1u << p[0] : 0;

	if (bit == 0 || (*seen & bit))
		return; /* the first one counts */
	*seen |= bit;
	switch (p[0]) {
	case SEG_OPT_MSS:
		in->has_mss = true;
		in->mss = (uint16_t)((p[2] << 8) | p[3]);
		break;
	case SEG_OPT_WSCALE:
		in->has_ws = true;
		in->ws = p[2];
		break;
	case SEG_OPT_SACK_PERM:
		in->has_sack_perm = true;
		break;
	case SEG_OPT_TS:
		in->has_ts = true;
		in->ts_val = get32(p + 2);
		in->ts_ecr = get32(p + 6);
		break;
	case SEG_OPT_SACK:
		take_sack(p, len, in);
		break;
	default:
		break;
	}
}

int ref__opts_parse(const struct ref_profile *prof, const struct seg *seg, struct ref_in *in)
{
	const uint8_t *raw = seg->opts.raw;
	unsigned n = seg->opts.len > SEG_TCP_OPT_MAX ? SEG_TCP_OPT_MAX : seg->opts.len;
	unsigned i = 0, len;
	uint32_t seen = 0;

	in->has_mss = in->has_ws = in->has_sack_perm = in->has_ts = false;
	in->mss = 0;
	in->nsack = 0;
	while (i < n) {
		if (raw[i] == SEG_OPT_EOL)
			break; /* bytes after EOL are padding (MUST-69) */
		if (raw[i] == SEG_OPT_NOP) {
			i++;
			continue;
		}
		len = i + 1 < n ? raw[i + 1] : 0;
		if (len < 2 || i + len > n || !option_len_ok(raw[i], len))
			return prof->bad_option == REF_BADOPT_IGNORE_REST ? 0 : -1;
		take_option(raw + i, len, in, &seen);
		i += len;
	}
	return 0;
}

/* ---- building ------------------------------------------------------------------- */

uint32_t ref__ts_now(const struct ref_stack *st, uint64_t now)
{
	uint64_t tick = st->prof->ts_tick ? st->prof->ts_tick : 1;

	return (uint32_t)(now / tick) + st->prof->ts_offset; /* wraps, §5.4 */
}

void ref__opts_add_mss(struct seg_opts *o, uint16_t mss)
{
	(void)seg_opts_add_mss(o, mss);
}

/* Our Rcv.Wind.Shift: the profile's, or the smallest that lets the whole
 * receive buffer be advertised (RFC 7323 §2.3), at most 14. */
static uint8_t our_shift(const struct ref_stack *st, const struct ref_sock *s)
{
	uint8_t shift = 0;

	if (st->prof->wscale_shift >= 0)
		return (uint8_t)(st->prof->wscale_shift > 14 ? 14 : st->prof->wscale_shift);
	while (shift < 14 && (s->tcb.rcvq.cap >> shift) > 65535)
		shift++;
	return shift;
}

enum syn_opt { O_NONE, O_MSS, O_SACKOK, O_TS, O_WS, O_NOP };

static enum syn_opt opt_token(const char *p, size_t n)
{
	static const struct {
		const char *name;
		enum syn_opt o;
	} t[] = { { "mss", O_MSS }, { "sackok", O_SACKOK }, { "ts", O_TS },
		  { "ws", O_WS },   { "nop", O_NOP } };
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		if (strlen(t[i].name) == n && memcmp(t[i].name, p, n) == 0)
			return t[i].o;
	return O_NONE;
}

/* Whether this SYN (or SYN,ACK) carries option `o`. */
static bool syn_carries(const struct ref_stack *st, const struct ref_sock *s, bool ack,
			enum syn_opt o)
{
	const struct ref_profile *p = st->prof;
	const struct ref_tcb *t = &s->tcb;
	uint16_t dflt = s->family == SEG_IPV6 ? p->mss_default_v6 : p->mss_default_v4;

	switch (o) {
	case O_MSS: /* MUST-14; SHLD-5 when it differs from the default, MAY-3 always */
		return p->syn_mss_always || t->adv_mss != dflt;
	case O_WS: /* RFC 7323 §2.2: in a SYN,ACK only if the SYN had it */
		return ack ? t->ws_ok : p->wscale;
	case O_TS: /* §3.2: likewise */
		return ack ? t->ts_ok : p->timestamps;
	case O_SACKOK: /* RFC 2018 §2 */
		return ack ? t->sack_ok : p->sack;
	default:
		return false;
	}
}

static void add_syn_opt(const struct ref_stack *st, struct ref_sock *s, bool ack,
			enum syn_opt o, struct seg_opts *out, uint64_t now)
{
	struct ref_tcb *t = &s->tcb;

	switch (o) {
	case O_MSS:
		(void)seg_opts_add_mss(out, t->adv_mss);
		break;
	case O_WS:
		(void)seg_opts_add_wscale(out, our_shift(st, s));
		t->ws_sent = true;
		break;
	case O_TS: /* a SYN's TSecr is 0 (§3.2); a SYN,ACK echoes TS.Recent */
		(void)seg_opts_add_ts(out, ref__ts_now(st, now), ack ? t->ts_recent : 0);
		t->ts_sent = true;
		break;
	case O_SACKOK:
		(void)seg_opts_add_sack_perm(out);
		t->sack_sent = true;
		break;
	default:
		break;
	}
}

void ref__opts_syn(const struct ref_stack *st, struct ref_sock *s, bool ack,
		   struct seg_opts *o, uint64_t now)
{
	const char *list = ack ? st->prof->synack_options : st->prof->syn_options;
	unsigned nops = 0;
	enum syn_opt opt;
	size_t n;

	/* Never an MSS option on a non-SYN segment (MUST-65). */
	while (*list) {
		n = strcspn(list, ",");
		opt = opt_token(list, n);
		list += n + (list[n] == ',');
		if (opt == O_NOP) {
			nops++; /* belongs to the option after it */
			continue;
		}
		if (opt == O_NONE || !syn_carries(st, s, ack, opt)) {
			nops = 0;
			continue;
		}
		for (; nops; nops--)
			(void)seg_opts_add_nop(o);
		add_syn_opt(st, s, ack, opt, o, now);
	}
	(void)seg_opts_pad(o);
}

/* The SACK blocks of our next ACK: a D-SACK block first (RFC 2883 §4), then
 * the block of the most recent out-of-order arrival and the ones reported
 * before it (RFC 2018 §4), then any other held block; at most 4, 3 next to
 * timestamps. */
static unsigned sack_blocks(const struct ref_tcb *t, struct seg_sack_block *b)
{
	unsigned n = 0, max = t->ts_ok ? 3 : 4, i, k;
	const struct ref_ooo_range *r;

	if (!t->sack_ok)
		return 0;
	if (t->dsack) {
		b[n].left = t->dsack_range.left;
		b[n++].right = t->dsack_range.right;
	}
	for (i = 0; i < t->sack_nrecent + t->ooo.n && n < max; i++) {
		r = i < t->sack_nrecent ? ref__ooo_find(&t->ooo, t->sack_recent[i])
					 : &t->ooo.r[t->ooo.n - 1 - (i - t->sack_nrecent)];
		if (r == NULL)
			continue;
		for (k = t->dsack ? 1 : 0; k < n && b[k].left != r->left; k++)
			;
		if (k < n)
			continue;
		b[n].left = r->left;
		b[n++].right = r->right;
	}
	return n;
}

uint32_t ref__opts_data_len(const struct ref_sock *s)
{
	struct seg_sack_block b[SEG_SACK_MAX];
	uint32_t len = s->tcb.ts_ok ? 12u : 0u; /* NOP NOP TS */
	unsigned n = sack_blocks(&s->tcb, b);

	return n ? len + 4 + 8 * n : len;
}

void ref__opts_data(const struct ref_stack *st, const struct ref_sock *s, struct seg_opts *o,
		    uint64_t now)
{
	const struct ref_tcb *t = &s->tcb;
	struct seg_sack_block b[SEG_SACK_MAX];
	unsigned n;

	if (t->ts_ok) { /* RFC 7323 §3.2: every non-RST segment; Appendix A layout */
		(void)seg_opts_add_nop(o);
		(void)seg_opts_add_nop(o);
		(void)seg_opts_add_ts(o, ref__ts_now(st, now), t->ts_recent);
	}
	n = sack_blocks(t, b);
	if (n) { /* RFC 2018 §4: on every ACK while data is held out of order */
		(void)seg_opts_add_nop(o);
		(void)seg_opts_add_nop(o);
		(void)seg_opts_add_sack(o, b, n);
	}
}

static void negotiate_ws(struct ref_stack *st, struct ref_sock *s, const struct ref_in *in,
			 bool ok)
{
	struct ref_tcb *t = &s->tcb;

	t->ws_ok = ok;
	if (!ok) { /* §2.2: both SYNs must carry it, else both shifts are 0 */
		t->snd_wscale = t->rcv_wscale = 0;
		return;
	}
	t->rcv_wscale = our_shift(st, s);
	t->snd_wscale = in->ws > 14 ? 14 : in->ws;
	if (in->ws > 14) /* §2.3: log and use 14 */
		ref__event(st, REF_EV_NOTE, REF_R_WS_SHIFT_CAPPED, s, 0);
}

void ref__opts_syn_received(struct ref_stack *st, struct ref_sock *s,
			    const struct ref_in *in, bool syn_ack)
{
	const struct ref_profile *p = st->prof;
	struct ref_tcb *t = &s->tcb;
	uint16_t dflt = s->family == SEG_IPV6 ? p->mss_default_v6 : p->mss_default_v4;
	bool answer = t->passive; /* we answer this SYN with a SYN,ACK of our own */

	/* MUST-14 honour the option; MUST-15 the default without one. An
	 * option of 0 would stop all data; it is taken as 1. */
	t->peer_mss = in->has_mss ? (in->mss ? in->mss : 1) : dflt;
	if (syn_ack) {
		negotiate_ws(st, s, in, t->ws_sent && in->has_ws);
		t->ts_ok = t->ts_sent && in->has_ts;
		t->sack_ok = t->sack_sent && in->has_sack_perm;
	} else { /* passive, or simultaneous open (both SYNs must carry it) */
		negotiate_ws(st, s, in, p->wscale && in->has_ws && (answer || t->ws_sent));
		t->ts_ok = p->timestamps && in->has_ts && (answer || t->ts_sent);
		t->sack_ok = p->sack && in->has_sack_perm && (answer || t->sack_sent);
	}
	if (t->ts_ok) { /* §4.3: TS.Recent from the SYN */
		t->ts_recent = in->ts_val;
		t->ts_recent_valid = true;
		t->ts_recent_age = in->now;
	}
	ref__update_eff_mss(st, s);
}
