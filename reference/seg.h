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
#define SEG_MAX_PACKET (65535 + 40)  /* largest packet we build or accept */
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

/* Where and why decoding failed.
 *
 * `offset` is the byte offset, from the start of the packet given to the
 * decoder, of the field at fault: the IPv4 total length (2) or IPv6 payload
 * length (4) for SEG_EIPLEN, the fragment field (6) or the fragment header
 * for SEG_EFRAG, the protocol / next-header byte for SEG_EPROTO, the TCP
 * data-offset byte for SEG_EDOFF, an option's length byte (its kind byte
 * when the length byte is missing) for SEG_EOPTLEN / SEG_EOPTVAL, the
 * extension header for SEG_EEXTHDR, the ICMP type for SEG_EICMP. For
 * SEG_ETRUNC it is where the header that does not fit begins.
 *
 * SEG_ETRUNC versus SEG_EIPLEN: the IP length field is blamed (SEG_EIPLEN)
 * when it claims more bytes than the buffer holds or fewer than the IP
 * header itself, or when it cuts a TCP / ICMP header short while the
 * buffer holds more bytes after it; a header cut short by the end of the
 * buffer is SEG_ETRUNC. Bytes past the IP length are link padding and are
 * ignored. */
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

/* The length a known option kind must have (MSS 4, window scale 3,
 * SACK-permitted 2, timestamps 10), 0 for SACK (variable: 2 + 8n), -1 for
 * a kind this codec does not know. Shared by the codec and the reference's
 * own option walker. */
int seg_opt_fixed_len(uint8_t kind);

/* Append one option to `raw` and update the view. Each returns 0, or
 * SEG_ESPACE if the option does not fit the 40-byte space. No padding is
 * added: call seg_opts_pad() after the last one (the encoder pads too). */
int seg_opts_add_nop(struct seg_opts *o);
int seg_opts_add_eol(struct seg_opts *o);
int seg_opts_add_mss(struct seg_opts *o, uint16_t mss);
int seg_opts_add_wscale(struct seg_opts *o, uint8_t shift);
int seg_opts_add_sack_perm(struct seg_opts *o);
int seg_opts_add_ts(struct seg_opts *o, uint32_t val, uint32_t ecr);
/* `n` blocks, 1 <= n <= 4 (the space holds 3 next to timestamps);
 * SEG_EINVAL for another n. */
int seg_opts_add_sack(struct seg_opts *o, const struct seg_sack_block *b, unsigned n);
/* Any option, kind and length byte exactly as given, followed by `n` data
 * bytes: the way to build unknown or deliberately malformed options (a
 * length of 0, 1, or one that runs past the header). `len` is written as
 * is and need not equal n + 2. The view is not updated for malformed ones
 * (len != n + 2, a known kind with the wrong length) nor for kinds 0 and 1.
 * SEG_EINVAL if `data` is NULL and n > 0.
 *
 * The view follows the parser: once an EOL is in `raw`, options added after
 * it go into `raw` but not into the view (the parser stops at EOL). */
int seg_opts_add_raw(struct seg_opts *o, uint8_t kind, uint8_t len, const uint8_t *data,
		     size_t n);
/* Pad `raw` with EOL bytes to a multiple of 4 (SEG_HAS_EOL is set if a
 * byte was added, as the parser would see it). Always returns 0. */
int seg_opts_pad(struct seg_opts *o);

/* Parse `n` bytes of option space into `out` (raw copied, view filled).
 * Options are accepted at any alignment (RFC 9293 MUST-64); unknown kinds
 * are skipped by their length (MUST-68); parsing stops at EOL (the bytes
 * after it are still copied to raw). Returns 0 or SEG_EOPTLEN / SEG_EOPTVAL
 * with `err` (may be NULL) saying which byte; n > 40 is SEG_EOPTLEN.
 * `out` is written only on success. */
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
	uint16_t ip_frag;    /* IPv4: ORed into the flags + fragment-offset
	                      * field, e.g. 0x2000 (MF) or an offset in 8-byte
	                      * units; the decoder answers SEG_EFRAG to these */
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
	                             /* (see seg_ip6_ext_add to build them) */

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
	 * verified. Ignored by the encoder (see `wire`), so re-encoding a
	 * decoded segment writes correct checksums. */
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

/* Append an IPv6 extension header of next-header value `type` to
 * s->ip6_ext: the next-header and length bytes, then `body[0..n)`, padded
 * to a multiple of 8 bytes (with Pad1/PadN options for hop-by-hop (0) and
 * destination options (60), with zeros otherwise). A fragment header (44)
 * takes exactly 6 body bytes. The previous header (or ip6_ext_first) is
 * chained to the new one, whose next-header byte is set to TCP (6).
 * Returns 0, SEG_ESPACE (past SEG_IP6_EXT_MAX) or SEG_EINVAL (the existing
 * chain does not add up, or a fragment body is not 6 bytes). */
int seg_ip6_ext_add(struct seg *s, uint8_t type, const uint8_t *body, size_t n);

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
	/* Outer IP header (no options / extension headers are built; the
	 * decoder skips them). */
	uint8_t family;
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t tos;
	uint8_t ttl;             /* 0 = 64 when encoding */
	bool ip_csum_ok;         /* decoder: outer IPv4 header checksum; true for v6 */

	uint8_t type;            /* on-wire type and code */
	uint8_t code;
	enum seg_icmp_kind kind; /* the type/code pair classified */
	uint32_t mtu;            /* next-hop MTU for FRAG_NEEDED, else 0 */
	uint32_t pointer;        /* parameter-problem pointer, else 0 */

	/* The quoted packet: its IP header and at least the first 8 bytes of
	 * its TCP header (ports and sequence number). The other TCP fields are
	 * valid only if `quote_full` (the quote held a whole TCP header, with
	 * options that parse); quoted.payload / len are then the payload bytes
	 * the quote holds. quoted.tcp_csum_ok is true only if the whole
	 * segment was quoted and verified. */
	struct seg quoted;
	bool quote_full;
	/* Bytes of the quoted packet in the message. Encoder: 0 = as many as
	 * fit SEG_ICMP_QUOTE_MAX; another value is used as given (cut to the
	 * packet's length), so fewer than IP header + 8 bytes builds an error
	 * the decoder rejects. Decoder: the bytes found. */
	size_t quote_len;

	bool icmp_csum_ok;        /* filled by the decoder */
	bool icmp_csum_set;       /* encoder: write icmp_csum as given */
	uint16_t icmp_csum;       /* decoder: the checksum found */
};

/* Fill `m` for an error of `kind` about `quoted` (copied), with the outer
 * addresses swapped from it, as a router or host on the path would send,
 * and TTL 64. The type is chosen by kind and family (ICMPv4 3/3/11/12/4,
 * ICMPv6 1/2/3/4). `code` is the on-wire code for UNREACH / TIME_EXCEEDED
 * / PARAM_PROBLEM in the family's own numbering (port unreachable is 3 in
 * ICMPv4, 4 in ICMPv6; RFC 792, RFC 4443); FRAG_NEEDED gets code 4 in v4
 * and 0 in v6, SOURCE_QUENCH code 0. `mtu` is used for FRAG_NEEDED. There
 * is no ICMPv6 source quench: for IPv6 that kind leaves type 0 and
 * seg_icmp_encode() answers SEG_EINVAL. */
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
 * `s->payload` may point into `buf` (re-encoding in place).
 * Returns 0 or SEG_ESPACE / SEG_EINVAL: unknown family, option or IPv4
 * option area over 40 bytes, extension area over SEG_IP6_EXT_MAX, reserved
 * > 15, wire.doff > 15, flow label over 20 bits, payload NULL with len > 0,
 * a packet past 65535 bytes (IPv4) or payload past 65535 (IPv6), or an IP
 * length field that ip_len_delta pushes out of 0..65535. */
int seg_encode(const struct seg *s, uint8_t *buf, size_t cap, size_t *out_len);

/* Encode an ICMP/ICMPv6 error. The quote is the quoted segment encoded,
 * cut to what fits SEG_ICMP_QUOTE_MAX (v4: header + 8 bytes are kept at
 * least, as RFC 792 requires) or to `quote_len`. The type and code are
 * written as they stand in `m`; the MTU goes where the type puts it
 * (ICMPv4 3/4: 16 bits at byte 6, RFC 1191; ICMPv6 2: 32 bits at byte 4),
 * the pointer likewise (ICMPv4 12: byte 4; ICMPv6 4: 32 bits at byte 4).
 * Returns 0 or SEG_ESPACE / SEG_EINVAL (families differ, v6 source quench,
 * an MTU or pointer too large for the field, a quoted segment that does
 * not encode). */
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
/* The running sum of the pseudo-header for an upper layer of `proto` and
 * `len` bytes (RFC 9293 §3.1 for IPv4; RFC 8200 §8.1 for IPv6, where ICMPv6
 * uses it too), to continue with seg_csum_add() over the upper layer. */
uint32_t seg_csum_pseudo(uint8_t family, const uint8_t *src, const uint8_t *dst, uint8_t proto,
			 size_t len);
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
 *
 * Layout: FLAGS START:END(LEN) [ack N] win N [urg N] [reserved N] [<opts>],
 * END = START + payload length (SYN and FIN not counted, as packetdrill).
 * FLAGS use packetdrill's letters in its (tcpdump 4.1.1's) order
 * F S R P . U E W (FIN SYN RST PSH ACK URG ECE CWR); "-" when no flag is
 * set. `reserved N` appears when any of the 4 reserved bits is set.
 * Numbers are printed relative, as tcpdump does: `seq_base` is subtracted
 * from the sequence number, `ack_base` from the acknowledgment number and
 * from SACK block edges (they name the peer's bytes). Pass 0, 0 for
 * absolute numbers. `ack N` is printed when ACK is set, `urg N` when URG is
 * set or the urgent pointer is nonzero, `win N` always.
 * Returns the length the full text needs (as snprintf). */
int seg_format(const struct seg *s, uint32_t seq_base, uint32_t ack_base, char *buf, size_t cap);

/* Write the options alone as "<mss 1460,nop,...>" (empty string if none).
 * Every byte of `raw` is walked, as packetdrill does (not only up to the
 * first EOL), each option comma-separated:
 *   eol   nop   mss N   wscale N   sackOK   TS val V ecr E
 *   sack L:R L:R ...           (edges minus sack_base)
 *   unknown kind K len L 0xHH..  (another kind; no hex when there is no data)
 *   bad kind K len L 0xHH..      (a known kind with the wrong length)
 * A length of 0 or 1, or past the end, prints as `bad kind K len L` with
 * the rest of the bytes in hex and ends the list; a kind byte with no
 * length byte after it as `bad kind K`. Returns the length needed. */
int seg_format_opts(const struct seg_opts *o, uint32_t sack_base, char *buf, size_t cap);

/* Write an address of `family` as text (inet_ntop's format: dotted quad;
 * RFC 5952 for IPv6, with dotted IPv4 tails for ::ffff:a.b.c.d and the
 * deprecated ::a.b.c.d as glibc writes them). Returns the length needed
 * (as snprintf), or SEG_EINVAL (and "") for another family. */
int seg_format_addr(uint8_t family, const uint8_t *addr, char *buf, size_t cap);

#endif
