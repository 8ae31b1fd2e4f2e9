/* The segment model and the packet codec.
 *
 * One `struct seg` describes one IPv4 or IPv6 packet carrying a TCP segment:
 * the IP header fields a test can care about, every TCP header field
 * (reserved bits and urgent pointer included), the options both as the
 * bytes on the wire and as a parsed view, and the payload. `struct seg_icmp`
 * describes an ICMP or ICMPv6 error that quotes a TCP header. A
 * `struct seg_packet` is either.
 *
 * The codec is sans-I/O: it reads and writes caller-owned buffers, keeps no
 * state, and never reads outside the bytes it is given. Decoding returns a
 * negative SEG_E* code, and fills `struct seg_err` with the byte offset and
 * a message, on any malformed input. Encoding computes lengths and
 * checksums unless the segment's `wire` overrides ask for a deliberately
 * wrong one (the conformance suites need bad packets).
 *
 * Addresses and multi-byte fields are held in host order, except addresses,
 * which are the raw network-order bytes (4 used for IPv4, 16 for IPv6).
 */
#ifndef TCPCHECK_REFERENCE_SEG_H
#define TCPCHECK_REFERENCE_SEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits ------------------------------------------------------------ */

#define SEG_TCP_HDR_MIN 20           /* TCP header without options */
#define SEG_TCP_OPT_MAX 40           /* option space: (15 - 5) * 4 bytes */
#define SEG_IP4_HDR_MIN 20           /* IPv4 header without options */
#define SEG_IP4_OPT_MAX 40           /* IPv4 option space */
#define SEG_IP6_HDR_LEN 40           /* IPv6 fixed header */
#define SEG_IP6_EXT_MAX 256          /* bytes of extension headers we build */
#define SEG_SACK_MAX 4               /* SACK blocks that fit the option space */
#define SEG_MAX_PACKET 65535 + 40    /* largest packet we build or accept */
#define SEG_ICMP_QUOTE_MAX 576       /* bytes of the offending packet an ICMP error quotes */

/* ---- error codes (negative returns) ------------------------------------ */

enum seg_error {
	SEG_OK = 0,
	SEG_ETRUNC = -1,       /* packet shorter than a header it must hold */
	SEG_EVERSION = -2,     /* IP version is neither 4 nor 6 */
	SEG_EIPHDR = -3,       /* IPv4 IHL < 5 or past the packet */
	SEG_EIPLEN = -4,       /* IP total / payload length lies */
	SEG_EPROTO = -5,       /* not TCP, nor an ICMP error quoting TCP */
	SEG_EDOFF = -6,        /* TCP data offset < 5 or past the segment */
	SEG_EOPTLEN = -7,      /* TCP option length 0, 1, or past the header */
	SEG_EOPTVAL = -8,      /* known TCP option with the wrong fixed length */
	SEG_EEXTHDR = -9,      /* IPv6 extension header chain malformed */
	SEG_EICMP = -10,       /* ICMP message malformed or of an unhandled type */
	SEG_ESPACE = -11,      /* caller's buffer or the option space is too small */
	SEG_EINVAL = -12,      /* the segment asks for something impossible */
	SEG_EFRAG = -13,       /* a fragment (tcpcheck does not reassemble) */
};

/* A short English text for a SEG_E* code; never NULL. */
const char *seg_strerror(int err);

/* Where and why decoding failed. */
struct seg_err {
	int code;             /* a SEG_E* value */
	size_t offset;        /* byte offset into the packet of the bad field */
	char msg[96];         /* e.g. "TCP option kind 2 has length 3, expected 4" */
};

/* ---- TCP flags ---------------------------------------------------------- */

enum seg_flag {
	SEG_FIN = 0x01,
	SEG_SYN = 0x02,
	SEG_RST = 0x04,
	SEG_PSH = 0x08,
	SEG_ACK = 0x10,
	SEG_URG = 0x20,
	SEG_ECE = 0x40,
	SEG_CWR = 0x80,
};

/* ---- TCP options -------------------------------------------------------- */

enum seg_opt_kind {
	SEG_OPT_EOL = 0,
	SEG_OPT_NOP = 1,
	SEG_OPT_MSS = 2,       /* RFC 9293 §3.2 */
	SEG_OPT_WSCALE = 3,    /* RFC 7323 §2 */
	SEG_OPT_SACK_PERM = 4, /* RFC 2018 §2 */
	SEG_OPT_SACK = 5,      /* RFC 2018 §3 */
	SEG_OPT_TS = 8,        /* RFC 7323 §3 */
};

/* Bits of `seg_opts.present`: which options the parsed view holds. */
enum seg_opt_present {
	SEG_HAS_MSS = 1u << 0,
	SEG_HAS_WSCALE = 1u << 1,
	SEG_HAS_SACK_PERM = 1u << 2,
	SEG_HAS_SACK = 1u << 3,
	SEG_HAS_TS = 1u << 4,
	SEG_HAS_UNKNOWN = 1u << 5, /* at least one option of another kind */
	SEG_HAS_EOL = 1u << 6,
};

/* One SACK block: the bytes [left, right) were received. */
struct seg_sack_block {
	uint32_t left;
	uint32_t right;
};

/* The options of one segment.
 *
 * `raw[0..len)` is the option space exactly as on the wire, in order, with
 * padding; it is what the encoder writes and what the printer walks. The
 * other fields are the parsed view of `raw`, kept in step by the builder
 * functions below and by the decoder. When an option appears twice, the
 * view holds the first. */
struct seg_opts {
	uint8_t raw[SEG_TCP_OPT_MAX];
	uint8_t len;                /* bytes used in raw, <= 40 */
	uint32_t present;           /* SEG_HAS_* bits */
	uint16_t mss;
	uint8_t wscale;             /* shift count as sent (may exceed 14) */
	uint32_t ts_val;
	uint32_t ts_ecr;
	uint8_t sack_count;
	struct seg_sack_block sack[SEG_SACK_MAX];
};

/* Reset to no options. */
void seg_opts_clear(struct seg_opts *o);

/* Append one option to `raw` and update the view. Each returns 0, or
 * SEG_ESPACE if the option does not fit the 40-byte space. No padding is
 * added: call seg_opts_pad() after the last one (the encoder pads too). */
int seg_opts_add_nop(struct seg_opts *o);
int seg_opts_add_eol(struct seg_opts *o);
int seg_opts_add_mss(struct seg_opts *o, uint16_t mss);
int seg_opts_add_wscale(struct seg_opts *o, uint8_t shift);
int seg_opts_add_sack_perm(struct seg_opts *o);
int seg_opts_add_ts(struct seg_opts *o, uint32_t val, uint32_t ecr);
/* `n` blocks, 1 <= n <= 4 (the space holds 3 next to timestamps). */
int seg_opts_add_sack(struct seg_opts *o, const struct seg_sack_block *b, unsigned n);
/* Any option, kind and length byte exactly as given, followed by `n` data
 * bytes: the way to build unknown or deliberately malformed options (a
 * length of 0, 1, or one that runs past the header). `len` is written as
 * is and need not equal n + 2. The view is not updated for malformed ones. */
int seg_opts_add_raw(struct seg_opts *o, uint8_t kind, uint8_t len, const uint8_t *data,
		     size_t n);
/* Pad `raw` with EOL bytes to a multiple of 4. */
int seg_opts_pad(struct seg_opts *o);

/* Parse `n` bytes of option space into `out` (raw copied, view filled).
 * Options are accepted at any alignment (RFC 9293 MUST-64); unknown kinds
 * are skipped by their length (MUST-68); parsing stops at EOL. Returns 0 or
 * SEG_EOPTLEN / SEG_EOPTVAL with `err` (may be NULL) saying which byte. */
int seg_opts_parse(const uint8_t *p, size_t n, struct seg_opts *out, struct seg_err *err);

/* ---- the segment --------------------------------------------------------- */

enum seg_family {
	SEG_IPV4 = 4,
	SEG_IPV6 = 6,
};

/* Overrides that make the encoder write something other than the correct
 * value. All zero means "compute everything correctly". */
struct seg_wire {
	bool tcp_csum_set;   /* write tcp_csum as given instead of computing it */
	uint16_t tcp_csum;
	bool ip_csum_set;    /* IPv4: write ip_csum as given */
	uint16_t ip_csum;
	uint8_t doff;        /* TCP data offset in words; 0 = computed */
	int32_t ip_len_delta;/* added to the IP total/payload length field */
};

struct seg {
	/* IP layer. */
	uint8_t family;              /* SEG_IPV4 or SEG_IPV6 */
	uint8_t src[16];             /* network order; 4 bytes used for IPv4 */
	uint8_t dst[16];
	uint8_t tos;                 /* IPv4 TOS / IPv6 traffic class (DSCP + ECN) */
	uint8_t ttl;                 /* IPv4 TTL / IPv6 hop limit; 0 = 64 when encoding */
	uint16_t ip_id;              /* IPv4 identification */
	bool df;                     /* IPv4 don't-fragment bit */
	uint32_t flow_label;         /* IPv6, 20 bits */
	uint8_t ip_opts[SEG_IP4_OPT_MAX]; /* IPv4 options, raw, padded by the encoder */
	uint8_t ip_opts_len;
	uint8_t ip6_ext[SEG_IP6_EXT_MAX]; /* IPv6 extension headers, raw, each with
	                                   * its next-header byte; the encoder
	                                   * chains the last one to TCP */
	uint16_t ip6_ext_len;
	uint8_t ip6_ext_first;       /* next-header value naming the first one */

	/* TCP header. */
	uint16_t sport;
	uint16_t dport;
	uint32_t seq;
	uint32_t ack;
	uint8_t flags;               /* SEG_FIN .. SEG_CWR */
	uint8_t reserved;            /* the 4 reserved bits, 0..15 */
	uint16_t wnd;                /* as on the wire, unscaled */
	uint16_t urp;
	struct seg_opts opts;

	/* Payload: borrowed, never owned by the segment. After decoding it
	 * points into the decoder's input; for encoding the caller points it
	 * at its data. */
	const uint8_t *payload;
	size_t len;

	/* Filled by the decoder: the checksums as found and whether they
	 * verified. Ignored by the encoder (see `wire`). */
	uint16_t tcp_csum;
	bool tcp_csum_ok;
	bool ip_csum_ok;             /* IPv4 header checksum; true for IPv6 */

	struct seg_wire wire;        /* encoder overrides */
};

/* Fill `s` with a zeroed segment of the given family (TTL 64). */
void seg_init(struct seg *s, enum seg_family family);

/* Sequence space the segment occupies: payload length plus one for each of
 * SYN and FIN (RFC 9293 §3.4, SEG.LEN). */
uint32_t seg_seq_len(const struct seg *s);

/* ---- ICMP errors ---------------------------------------------------------- */

enum seg_icmp_kind {
	SEG_ICMP_UNREACH,     /* v4 type 3 (code != 4) / v6 type 1 */
	SEG_ICMP_FRAG_NEEDED, /* v4 type 3 code 4 / v6 type 2 (packet too big) */
	SEG_ICMP_TIME_EXCEEDED, /* v4 type 11 / v6 type 3 */
	SEG_ICMP_PARAM_PROBLEM, /* v4 type 12 / v6 type 4 */
	SEG_ICMP_SOURCE_QUENCH, /* v4 type 4 (deprecated, RFC 6633; MUST-55) */
};

/* An ICMP or ICMPv6 error quoting a TCP segment. */
struct seg_icmp {
	/* Outer IP header. */
	uint8_t family;
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t tos;
	uint8_t ttl;

	uint8_t type;            /* on-wire type and code */
	uint8_t code;
	enum seg_icmp_kind kind; /* the type/code pair classified */
	uint32_t mtu;            /* next-hop MTU for FRAG_NEEDED, else 0 */
	uint32_t pointer;        /* parameter-problem pointer, else 0 */

	/* The quoted packet: its IP header and at least the first 8 bytes of
	 * its TCP header (ports and sequence number). The other TCP fields are
	 * valid only if `quote_full` (the quote held a whole TCP header). */
	struct seg quoted;
	bool quote_full;

	bool icmp_csum_ok;        /* filled by the decoder */
	bool icmp_csum_set;       /* encoder: write icmp_csum as given */
	uint16_t icmp_csum;
};

/* Fill `m` for an error of `kind` about `quoted` (copied), with the outer
 * addresses swapped from it, as a router or host on the path would send.
 * `code` is the ICMP code for UNREACH / TIME_EXCEEDED / PARAM_PROBLEM
 * (translated for ICMPv6 where the numbers differ), `mtu` is used for
 * FRAG_NEEDED. */
void seg_icmp_init(struct seg_icmp *m, enum seg_icmp_kind kind, uint8_t code, uint32_t mtu,
		   const struct seg *quoted);

/* ---- whole packets -------------------------------------------------------- */

enum seg_packet_kind {
	SEG_PKT_TCP,
	SEG_PKT_ICMP,
};

struct seg_packet {
	enum seg_packet_kind kind;
	union {
		struct seg tcp;
		struct seg_icmp icmp;
	} u;
};

/* Decode one IP packet (IPv4 or IPv6, chosen by the version nibble) of `n`
 * bytes: TCP, or an ICMP/ICMPv6 error quoting TCP. IPv4 options and IPv6
 * extension headers (hop-by-hop, routing, destination options) are kept in
 * `ip_opts` / `ip6_ext` and skipped. Checksums are verified and reported in
 * the `*_ok` fields, not treated as errors: a test must be able to see a
 * bad-checksum packet. Payload pointers point into `p`, which must outlive
 * `out`. Returns 0, or a SEG_E* code with `err` (may be NULL) filled;
 * `out` is written only on success. */
int seg_decode(const uint8_t *p, size_t n, struct seg_packet *out, struct seg_err *err);

/* Encode `s` as an IP packet into `buf` of `cap` bytes, computing lengths,
 * the data offset and checksums unless `s->wire` overrides them. Options
 * are padded to a multiple of 4 with EOL. `*out_len` gets the length.
 * Returns 0 or SEG_ESPACE / SEG_EINVAL. */
int seg_encode(const struct seg *s, uint8_t *buf, size_t cap, size_t *out_len);

/* Encode an ICMP/ICMPv6 error. The quote is the quoted segment encoded,
 * cut to what fits SEG_ICMP_QUOTE_MAX (v4: header + 8 bytes are kept at
 * least, as RFC 792 requires). Returns 0 or SEG_ESPACE / SEG_EINVAL. */
int seg_icmp_encode(const struct seg_icmp *m, uint8_t *buf, size_t cap, size_t *out_len);

/* ---- checksums ------------------------------------------------------------- */

/* Add `n` bytes to a running ones'-complement sum (word-wide). Start from
 * 0. The running sum is opaque (host-order words): only pass it back here
 * or to seg_csum_fold(). Concatenated parts must each have an even length,
 * except the last. */
uint32_t seg_csum_add(uint32_t sum, const uint8_t *p, size_t n);
/* Fold a running sum to 16 bits and complement it: the checksum field's
 * value as a number, to be written big-endian. Summing a correct packet
 * including its checksum field folds to 0. */
uint16_t seg_csum_fold(uint32_t sum);
/* The TCP checksum of `tcp_len` bytes of TCP header+payload at `tcp` over
 * the pseudo-header of `family` (RFC 9293 §3.1, RFC 8200 §8.1). The
 * checksum field inside `tcp` is summed as it stands: 0 when computing,
 * the received value when verifying (a correct packet then yields 0). */
uint16_t seg_tcp_csum(uint8_t family, const uint8_t *src, const uint8_t *dst,
		      const uint8_t *tcp, size_t tcp_len);

/* ---- printing --------------------------------------------------------------- */

/* Write `s` in packetdrill / tcpdump notation into `buf` (always
 * NUL-terminated when cap > 0), e.g.
 *   S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7>
 * Numbers are printed relative, as tcpdump does: `seq_base` is subtracted
 * from the sequence number, `ack_base` from the acknowledgment number and
 * from SACK block edges (they name the peer's bytes). Pass 0, 0 for
 * absolute numbers. `ack N` is printed when ACK is set, `urg N` when URG is
 * set or the urgent pointer is nonzero, `win N` always.
 * Returns the length the full text needs (as snprintf). */
int seg_format(const struct seg *s, uint32_t seq_base, uint32_t ack_base, char *buf, size_t cap);

/* Write the options alone as "<mss 1460,nop,...>" (empty string if none). */
int seg_format_opts(const struct seg_opts *o, uint32_t sack_base, char *buf, size_t cap);

/* Write an address of `family` as text (inet_ntop's format). */
int seg_format_addr(uint8_t family, const uint8_t *addr, char *buf, size_t cap);

#endif
