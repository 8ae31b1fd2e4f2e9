/* How an action becomes a packet: actions_int.h. The format is in
 * actions.h; both executors (actions_exec.c, actions_tgt.c) build their
 * packets here. */
#include <errno.h>
#include <string.h>

#include "harness/actions/actions_int.h"

const uint8_t fz__zeros[FZ_MAX_PAYLOAD];

static uint32_t seq_of(const struct fz_action *a, const struct fz_view *v)
{
	uint32_t d = (uint32_t)a->seq_arg;
	switch (a->seq_mode) {
	case 0: return v->rcv_nxt + d;
	case 1: return v->rcv_nxt + v->rcv_wnd + d;
	case 2: return v->rcv_nxt + v->rcv_wnd / 2 + d;
	case 3: return v->rcv_nxt + 0x80000000u + d;
	case 4: return v->rcv_nxt - v->rcv_wnd - 1 + d;
	case 5: return FZ_PEER_ISS + d;
	case 6: return v->rcv_nxt + d;
	default: return FZ_PEER_ISS + d;
	}
}

static uint32_t ack_of(const struct fz_action *a, const struct fz_view *v)
{
	uint32_t d = (uint32_t)a->ack_arg;
	switch (a->ack_mode) {
	case 0: return v->snd_una + d;
	case 1: return v->snd_nxt + d;
	case 2: return v->snd_nxt + 0x80000000u + d;
	case 3: return v->snd_una - 65536 + d;
	case 4: return v->liss + d;
	case 5: return v->snd_una + v->snd_wnd + d;
	case 6: return d;
	default: return v->liss + d;
	}
}

/* ---- options ---------------------------------------------------------------- */

static void opt_sack(const struct fz_action *a, const struct fz_view *v, struct seg_opts *o)
{
	struct seg_sack_block b[SEG_SACK_MAX];
	unsigned i, n = a->opt[0] % 4u + 1;
	for (i = 0; i < n; i++) {
		b[i].left = v->snd_una + 16u * a->opt[1 + 2 * i];
		b[i].right = b[i].left + 16u * a->opt[2 + 2 * i];
	}
	seg_opts_add_sack(o, b, n);
}

static void opt_malformed(unsigned code, struct seg_opts *o)
{
	static const uint8_t junk[38] = { 0xde, 0xad, 0xbe, 0xef };
	switch (code) {
	case 9: seg_opts_add_raw(o, SEG_OPT_MSS, 3, junk, 1); break;
	case 10: seg_opts_add_raw(o, 30, 0, NULL, 0); break;
	case 11: seg_opts_add_raw(o, SEG_OPT_WSCALE, 40, junk, 1); break;
	case 12:
		seg_opts_add_eol(o);
		seg_opts_add_raw(o, 0xaa, 0xbb, junk, 2);
		break;
	case 13: seg_opts_add_raw(o, 254, 4, junk, 2); break;
	default:
		while (seg_opts_add_nop(o) == 0)
			;
		break;
	}
}

static void build_opts(const struct fz_action *a, const struct fz_view *v,
		       const struct fz_ends *e, struct seg_opts *o)
{
	uint32_t tsval = (uint32_t)(e->now / 1000) + (uint32_t)(int8_t)a->opt[0];
	uint32_t ecr = a->opt[1] ? a->opt[1] : e->last_tsval;
	seg_opts_clear(o);
	switch (a->opt_code) {
	case 0: break;
	case 1: seg_opts_add_mss(o, (uint16_t)(a->opt[0] << 8 | a->opt[1])); break;
	case 2: seg_opts_add_wscale(o, a->opt[0]); break;
	case 3: seg_opts_add_sack_perm(o); break;
	case 4: seg_opts_add_ts(o, tsval, ecr); break;
	case 5: opt_sack(a, v, o); break;
	case 6:
		seg_opts_add_mss(o, 1460);
		seg_opts_add_sack_perm(o);
		seg_opts_add_ts(o, tsval, 0);
		seg_opts_add_nop(o);
		seg_opts_add_wscale(o, 7);
		break;
	case 7:
		seg_opts_add_mss(o, 1460);
		seg_opts_add_sack_perm(o);
		seg_opts_add_nop(o);
		seg_opts_add_wscale(o, 7);
		break;
	case 8:
		memcpy(o->raw, a->opt + 1, a->opt[0]);
		o->len = a->opt[0];
		break;
	case 14: {
		struct seg_sack_block b = { v->snd_una, v->snd_una + 100 };
		seg_opts_add_ts(o, tsval, ecr);
		seg_opts_add_sack(o, &b, 1);
		break;
	}
	default: opt_malformed(a->opt_code, o); break;
	}
}

int fz__seg_packet(const struct fz_action *a, const struct fz_view *v, const struct fz_ends *e,
		   struct seg *s, uint8_t *pkt, size_t *n)
{
	seg_init(s, SEG_IPV4);
	memcpy(s->src, e->peer, 4);
	memcpy(s->dst, e->local, 4);
	s->sport = e->peer_port;
	s->dport = e->local_port;
	s->seq = seq_of(a, v);
	s->ack = ack_of(a, v);
	s->flags = a->flags;
	s->wnd = a->win;
	s->urp = a->urp;
	s->payload = fz__zeros;
	s->len = a->len;
	build_opts(a, v, e, &s->opts);
	if (a->bad_csum) {
		s->wire.tcp_csum_set = true;
		s->wire.tcp_csum = 0;
	}
	if (seg_encode(s, pkt, SEG_MAX_PACKET, n) != 0)
		return -EINVAL;
	if (a->bad_csum) {
		pkt[20 + 16] ^= 0x5a; /* the checksum field, surely wrong now */
		pkt[20 + 17] ^= 0xa5;
	}
	return 0;
}

int fz__icmp_packet(const struct fz_action *a, const struct fz_view *v, const struct fz_ends *e,
		    struct seg_icmp *m, uint8_t *pkt, size_t *n)
{
	static const uint8_t codes[] = { 0, 1, 2, 3, 4, 0, 0, 0 };
	static const enum seg_icmp_kind kinds[] = {
		SEG_ICMP_UNREACH,	SEG_ICMP_UNREACH,	SEG_ICMP_UNREACH,
		SEG_ICMP_UNREACH,	SEG_ICMP_FRAG_NEEDED,	SEG_ICMP_TIME_EXCEEDED,
		SEG_ICMP_PARAM_PROBLEM, SEG_ICMP_SOURCE_QUENCH,
	};
	struct seg q;
	uint32_t d = (uint32_t)a->quote_arg;
	seg_init(&q, SEG_IPV4);
	memcpy(q.src, e->local, 4);
	memcpy(q.dst, e->peer, 4);
	q.sport = e->local_port;
	q.dport = e->peer_port;
	q.flags = SEG_ACK;
	q.ack = v->rcv_nxt;
	switch (a->quote_mode) {
	case 0: q.seq = v->snd_una; break;
	case 1: q.seq = v->snd_nxt - 1; break;
	case 2: q.seq = v->snd_nxt; break;
	case 3: q.seq = v->snd_una - 1; break;
	case 4: q.seq = v->liss; break;
	case 5: q.seq = v->snd_una + d * 64; break;
	case 6: q.seq = v->snd_nxt + 0x80000000u; break;
	default: q.seq = v->liss + d; break;
	}
	seg_icmp_init(m, kinds[a->icmp & 7], codes[a->icmp & 7], a->mtu, &q);
	return seg_icmp_encode(m, pkt, SEG_MAX_PACKET, n) == 0 ? 0 : -EINVAL;
}
