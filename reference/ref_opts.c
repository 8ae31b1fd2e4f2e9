/* TCP options: parsing what arrives, building what we send (§3.1, §3.2,
 * §3.7.1).
 *
 * The raw option bytes of a segment are the truth: they are walked here
 * at any alignment (MUST-64), unknown kinds skipped by their length byte
 * (MUST-6, MUST-68), parsing stops at EOL, and an illegal length makes the
 * options malformed (MUST-7). Part 2 (RFC 7323, 2018) adds window scale,
 * SACK and timestamps to the parse result and to the builders.
 */
#include <string.h>

#include "reference/ref_internal.h"

/* The fixed length of a known option, 0 for variable (SACK) or unknown. */
static unsigned known_len(uint8_t kind)
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
	default:
		return 0;
	}
}

static bool option_len_ok(uint8_t kind, unsigned len)
{
	unsigned fixed = known_len(kind);

	if (fixed)
		return len == fixed;
	if (kind == SEG_OPT_SACK)
		return len >= 10 && len <= 34 && (len - 2) % 8 == 0;
	return true;
}

static void take_option(const uint8_t *p, unsigned len, struct ref_in *in)
{
	if (p[0] == SEG_OPT_MSS && len == 4 && !in->has_mss) {
		in->has_mss = true; /* the first one counts */
		in->mss = (uint16_t)((p[2] << 8) | p[3]);
	}
}

int ref__opts_parse(const struct ref_profile *prof, const struct seg *seg, struct ref_in *in)
{
	const uint8_t *raw = seg->opts.raw;
	unsigned n = seg->opts.len > SEG_TCP_OPT_MAX ? SEG_TCP_OPT_MAX : seg->opts.len;
	unsigned i = 0, len;

	in->has_mss = false;
	in->mss = 0;
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
		take_option(raw + i, len, in);
		i += len;
	}
	return 0;
}

void ref__opts_add_mss(struct seg_opts *o, uint16_t mss)
{
	if (o->len + 4u > SEG_TCP_OPT_MAX)
		return;
	o->raw[o->len] = SEG_OPT_MSS;
	o->raw[o->len + 1] = 4;
	o->raw[o->len + 2] = (uint8_t)(mss >> 8);
	o->raw[o->len + 3] = (uint8_t)mss;
	o->len = (uint8_t)(o->len + 4);
	o->present |= SEG_HAS_MSS;
	o->mss = mss;
}

void ref__opts_syn(const struct ref_stack *st, const struct ref_sock *s, struct seg_opts *o)
{
	uint16_t dflt = s->family == SEG_IPV6 ? st->prof->mss_default_v6
					       : st->prof->mss_default_v4;

	/* MUST-14: send the MSS option; SHLD-5: whenever it differs from the
	 * default; MAY-3: always. Never on a non-SYN segment (MUST-65). */
	if (st->prof->syn_mss_always || s->tcb.adv_mss != dflt)
		ref__opts_add_mss(o, s->tcb.adv_mss);
}

void ref__opts_data(const struct ref_stack *st, const struct ref_sock *s, struct seg_opts *o)
{
	(void)st;
	(void)s;
	(void)o;
}

uint32_t ref__opts_data_len(const struct ref_sock *s)
{
	(void)s;
	return 0;
}

void ref__opts_syn_received(const struct ref_stack *st, struct ref_sock *s,
			    const struct ref_in *in)
{
	uint16_t dflt = s->family == SEG_IPV6 ? st->prof->mss_default_v6
					       : st->prof->mss_default_v4;

	/* MUST-14 honour the option; MUST-15 the default without one. An
	 * option of 0 would stop all data; it is taken as 1. */
	s->tcb.peer_mss = in->has_mss ? (in->mss ? in->mss : 1) : dflt;
	ref__update_eff_mss(st, s);
}
