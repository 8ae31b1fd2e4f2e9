/* The fuzz action codec and executor (DESIGN.md §6; issue 11).
 *
 * A fuzz input is a byte string that decodes to a sequence of actions
 * against one reference stack and one scripted peer: a segment described
 * against the live connection, a time advance, a socket verb, or an ICMP
 * error quoting the connection. EVERY byte string decodes (missing bytes
 * read as zero, unknown values wrap), so the fuzzer wastes no input on
 * rejected ones; fz_encode() writes the canonical bytes of an action list,
 * and decode(encode(x)) == x for every list fz_decode() returns.
 *
 * ---- The byte format ----------------------------------------------------
 *
 * An action starts with an opcode byte OP. K = OP & 7 picks the kind, P =
 * OP >> 3 (0..31) is a parameter:
 *
 *   K = 0,1,2,3,7  SEGMENT   P == 31: send it with a bad TCP checksum
 *   K = 4          TIME      P: the advance (table below; 31: explicit)
 *   K = 5          VERB      P: the socket verb (enum fz_verb, mod 32)
 *   K = 6          ICMP      P & 7: the error (enum fz_icmp)
 *
 * SEGMENT: FLAGS SEQ ACK LEN WIN OPT [URP:2 if URG] [seq:2|4] [ack:2|4]
 *          [len:2] [win:2] [option bytes]
 *   FLAGS  the TCP flag byte as on the wire (FIN=1 ... CWR=0x80).
 *   SEQ    mode = SEQ >> 5, d = (SEQ & 31) - 16:
 *          0 RCV.NXT+d   1 RCV.NXT+RCV.WND+d (right edge)  2 RCV.NXT+RCV.WND/2+d
 *          3 RCV.NXT+2^31+d (the far side)  4 RCV.NXT-RCV.WND-1+d (left of it)
 *          5 peer ISS+d  6 RCV.NXT + int16 (2 bytes)  7 peer ISS + u32 (4 bytes)
 *   ACK    mode = ACK >> 5, d as above:
 *          0 SND.UNA+d  1 SND.NXT+d  2 SND.NXT+2^31+d  3 SND.UNA-65536+d
 *          4 local ISS+d  5 SND.UNA+SND.WND+d  6 the value d itself
 *          7 local ISS + u32 (4 bytes)
 *          RCV.*, SND.* are the connection's variables (ref_tcb_info) when
 *          a socket names it, else what the peer saw on the wire.
 *   LEN    payload bytes: 0..199 as is; 200..254 fz_len_table; 255: 2 bytes.
 *   WIN    0, 1, (W-1)*259 for 2..253, 254: 2 bytes, 255: 65535.
 *   OPT    low nibble (high nibble ignored):
 *          0 none  1 mss (2 bytes)  2 wscale (1 byte)  3 sackOK
 *          4 TS (val = peer clock + int8, ecr: 1 byte, 0 = last TSval seen)
 *          5 SACK (1 byte n, then n blocks of 2 bytes: offset/16, length/16
 *            from SND.UNA)  6 Linux's SYN set  7 mss+sackOK+wscale
 *          8 raw (1 byte n <= 40, n bytes as on the wire, malformed welcome)
 *          9 mss of length 3  10 an option of length 0  11 a length past
 *          the header  12 EOL then garbage  13 unknown kind 254  14 TS+SACK
 *          15 forty NOPs
 * TIME: P 0: to the next timer deadline, 1: just before it, 2: just after
 *       (1 ms when no timer is armed), 3..30 fz_time_table, 31: 4 bytes of
 *       microseconds. The total time of one input is capped at
 *       FZ_TIME_CAP_US; advances past it are cut.
 * VERB: one parameter byte (255: 2 more bytes, for lengths).
 * ICMP: QUOTE MTU: QUOTE >> 5: 0 SND.UNA, 1 SND.NXT-1, 2 SND.NXT,
 *       3 SND.UNA-1, 4 local ISS, 5 SND.UNA+d*64, 6 SND.NXT+2^31,
 *       7 local ISS + u32 (4 bytes); MTU: 68 + 6*byte (255: 2 bytes).
 *
 * At most FZ_MAX_ACTIONS actions are decoded; the rest is ignored.
 *
 * ---- The executor -----------------------------------------------------
 *
 * struct fz_exec runs actions on a fresh reference stack (192.0.2.1,
 * listener port 8080) against a peer at 192.0.2.2 (port 40000 +
 * the NEW_PEER verbs), pops every segment the stack sends, and checks the
 * invariants after every action (fz_exec_step). Payloads are zero bytes,
 * as the runner sends them. A violation is reported, never aborted on: the
 * fuzz target decides what a finding does.
 */
#ifndef TCPCHECK_HARNESS_ACTIONS_ACTIONS_H
#define TCPCHECK_HARNESS_ACTIONS_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "harness/script.h"
#include "reference/ref_stack.h"

#define FZ_MAX_ACTIONS 64
#define FZ_MAX_PAYLOAD 65535
#define FZ_TIME_CAP_US (4ull * 3600 * 1000000) /* one input spans at most 4 hours */
#define FZ_PEER_ISS 0x10000000u
#define FZ_LISTEN_PORT 8080
#define FZ_PEER_PORT 40000

enum fz_kind {
	FZ_SEG,
	FZ_TIME,
	FZ_VERB,
	FZ_ICMP,
};

enum fz_verb {
	FZ_V_LISTEN,	   /* socket+bind(8080)+listen(backlog = arg % 8 + 1) */
	FZ_V_CONNECT,	   /* socket+connect to the peer */
	FZ_V_ACCEPT,	   /* accept on the listener: the new socket is the conn */
	FZ_V_SEND,	   /* send(conn, arg bytes) */
	FZ_V_SEND_OOB,	   /* send(conn, arg bytes, MSG_OOB) */
	FZ_V_RECV,	   /* recv(conn, arg bytes) */
	FZ_V_RECV_PEEK,	   /* recv(conn, arg bytes, MSG_PEEK) */
	FZ_V_RECV_OOB,	   /* recv(conn, 1, MSG_OOB) */
	FZ_V_SHUT_WR,
	FZ_V_SHUT_RD,
	FZ_V_SHUT_RDWR,
	FZ_V_CLOSE,	   /* close(conn) */
	FZ_V_ABORT,	   /* the RFC's ABORT on conn */
	FZ_V_NODELAY,	   /* TCP_NODELAY = arg & 1 */
	FZ_V_LINGER0,	   /* SO_LINGER {arg & 1, 0} */
	FZ_V_KEEPALIVE,	   /* SO_KEEPALIVE = arg & 1 */
	FZ_V_OOBINLINE,	   /* SO_OOBINLINE = arg & 1 */
	FZ_V_MAXSEG,	   /* TCP_MAXSEG = 64 + arg * 8 (on listener and conn) */
	FZ_V_RCVBUF,	   /* SO_RCVBUF = (arg + 1) * 256 (listener and conn) */
	FZ_V_SNDBUF,	   /* SO_SNDBUF = (arg + 1) * 256 (listener and conn) */
	FZ_V_USER_TIMEOUT, /* TCP_USER_TIMEOUT = arg * 1000 ms */
	FZ_V_KEEPIDLE,	   /* TCP_KEEPIDLE = TCP_KEEPINTVL = arg + 1 s */
	FZ_V_SO_ERROR,	   /* getsockopt(conn, SO_ERROR) */
	FZ_V_POLL,	   /* ref_poll(conn) */
	FZ_V_NEW_PEER,	   /* the peer moves to port 40000 + arg (a new connection) */
	FZ_V_CLOSE_LISTENER,
	FZ_V_SOFT_ERROR,   /* getsockopt(conn, TCP_SOFT_ERROR) */
	FZ_V_RECVERR,	   /* IP_RECVERR = arg & 1 */
	FZ_V_COUNT
};

enum fz_icmp {
	FZ_I_NET_UNREACH,
	FZ_I_HOST_UNREACH,
	FZ_I_PROTO_UNREACH,
	FZ_I_PORT_UNREACH,
	FZ_I_FRAG_NEEDED,
	FZ_I_TIME_EXCEEDED,
	FZ_I_PARAM_PROBLEM,
	FZ_I_SOURCE_QUENCH,
};

/* One action, decoded. Fields not used by its kind are zero. */
struct fz_action {
	enum fz_kind kind;
	/* SEGMENT */
	uint8_t flags;
	bool bad_csum;
	uint8_t seq_mode, ack_mode; /* 0..7 as in the format */
	int32_t seq_arg, ack_arg;   /* d, or the explicit value (mode 6/7) */
	uint32_t len;		    /* payload bytes, <= FZ_MAX_PAYLOAD */
	uint8_t len_code;	    /* the LEN byte */
	uint8_t win_code;	    /* the WIN byte */
	uint16_t win;
	uint16_t urp;
	uint8_t opt_code;	    /* 0..15 */
	uint8_t opt[41];	    /* the option's parameter bytes (raw: count + 40) */
	uint8_t opt_n;
	/* TIME */
	uint8_t time_code;
	uint32_t time_us;	    /* code 31: explicit */
	/* VERB */
	enum fz_verb verb;
	uint32_t arg;		    /* the parameter (a length up to 65535) */
	/* ICMP */
	enum fz_icmp icmp;
	uint8_t quote_mode;
	int32_t quote_arg;
	uint16_t mtu;
};

/* Decode `n` bytes into at most `max` actions in `out`. Never fails: returns
 * the number of actions (0 for an empty input). */
size_t fz_decode(const uint8_t *p, size_t n, struct fz_action *out, size_t max);

/* Write the canonical bytes of `n` actions into `buf` of `cap` bytes.
 * Returns the length, or -1 if it does not fit. */
long fz_encode(const struct fz_action *a, size_t n, uint8_t *buf, size_t cap);

/* Short text of one action for logs ("SEG flags=0x12 seq=NXT+0 ..."). */
void fz_action_format(const struct fz_action *a, char *buf, size_t cap);

/* ---- executor ------------------------------------------------------------ */

/* One thing that happened, for the script writer. */
enum fz_rec_kind {
	FZ_REC_IN,   /* a segment injected (seg) */
	FZ_REC_ICMP, /* an ICMP error injected (icmp) */
	FZ_REC_CALL, /* a socket call (name, fd, args, ret) */
	FZ_REC_OUT,  /* a segment the stack sent (seg) */
};

struct fz_rec {
	enum fz_rec_kind kind;
	size_t action;		     /* index of the action behind it */
	uint64_t time;		     /* microseconds from the start */
	const struct seg *seg;	     /* IN / OUT (payload NULL or zeros) */
	const struct seg_icmp *icmp; /* ICMP */
	enum scr_sys sys;	     /* CALL */
	int fd;
	int64_t a1, a2;		     /* CALL arguments: see fz_script_build */
	long ret;		     /* CALL: >= 0, or -errno */
};

/* A broken invariant. `sig` is stable across runs (the finding's
 * signature: no numbers in it); `what` explains it with the numbers. */
struct fz_violation {
	char sig[64];
	char what[256];
	size_t action; /* index of the action after which it was seen */
};

struct fz_exec_config {
	/* Every reference event (state-aware feedback). May be NULL. */
	void (*on_event)(void *ctx, const struct ref_event *ev);
	/* Every segment the stack sent (its rule says why), with the state of
	 * its socket after the action (REF_CLOSED when it has none: a RST to
	 * a closed port, a connection not yet accepted). May be NULL. */
	void (*on_output)(void *ctx, const struct ref_output *o, enum ref_state state);
	/* Every record (script writing). May be NULL. */
	void (*on_record)(void *ctx, const struct fz_rec *r);
	void *ctx;
	/* The planted defect of the end-to-end test: an URG+FIN+PSH+ACK
	 * segment of 7 bytes accepted in ESTABLISHED counts as a violation.
	 * Off in every real use. */
	bool planted;
};

struct fz_exec;

/* A new executor with a fresh stack, or NULL if out of memory. `cfg` may
 * be NULL. Free with fz_exec_free (NULL is a no-op). */
struct fz_exec *fz_exec_new(const struct fz_exec_config *cfg);
void fz_exec_free(struct fz_exec *ex);

/* Run one action and check the invariants. Returns 0, or 1 with `*v`
 * filled when an invariant broke (the executor can go on), or -ENOMEM. */
int fz_exec_step(struct fz_exec *ex, const struct fz_action *a, struct fz_violation *v);

/* Put the executor back as fz_exec_new() made it (same config), keeping
 * its memory: the stack is reset with ref_stack_reset(), so what follows
 * runs exactly as on a new executor, only cheaper (fuzz_ref's loop). */
void fz_exec_reset(struct fz_exec *ex);

/* Reset `ex`, then run `n` actions on it, stopping at the first violation.
 * Returns 0 (none) or 1 (`*v` filled). */
int fz_exec_run(struct fz_exec *ex, const struct fz_action *a, size_t n, struct fz_violation *v);

/* Run `n` actions on a new executor, stopping at the first violation.
 * Returns 0 (none), 1 (`*v` filled) or -ENOMEM. */
int fz_run(const struct fz_action *a, size_t n, const struct fz_exec_config *cfg,
	   struct fz_violation *v);

/* ---- executor over a target ------------------------------------------------ */

/* The same actions against any stack behind the target interface
 * (targets/target.h): lwIP in-process for fuzz_lwip, the kernel for
 * `tcpcheck fuzz --target linux`. The target must be open with the
 * executor's addresses (IPv4, stack 192.0.2.1, peer 192.0.2.2, no
 * @config). The peer describes segments against what it saw on the wire
 * (RCV.NXT is the last ACK the stack sent, ...) unless `tcb` reads the
 * stack's own variables. Socket verbs use non-blocking sockets; a verb or
 * option the target does not model is skipped (and not recorded).
 *
 * Findings (the run stops at the first): "target-error" (a target op
 * failed, e.g. -ENOTRECOVERABLE after an lwIP assertion: `what` names the
 * op and error), "out-malformed" (a packet the stack sent does not
 * decode), "out-bad-checksum". Sanitizer reports and crashes are the
 * process's. Records (on_record) carry times relative to the first action
 * and, for sent segments, a1 = -1 (no rule id). */
struct fz_tcb {
	uint32_t rcv_nxt, rcv_wnd, snd_una, snd_nxt, snd_wnd;
};

struct fz_texec_config {
	void (*on_record)(void *ctx, const struct fz_rec *r); /* may be NULL */
	void *ctx;
	/* The stack's variables of the connection with these ports: true
	 * and `*out`, or false (none, or not synchronized). May be NULL. */
	bool (*tcb)(void *ctx, uint16_t local_port, uint16_t peer_port, struct fz_tcb *out);
	void *tcb_ctx;
	/* The most virtual time one run spans (0: FZ_TIME_CAP_US). A stack
	 * with periodic timers (lwIP: every 250 ms) pays for every tick. */
	uint64_t time_cap_us;
};

struct tgt;

/* Run `n` actions against the open target `t`. Returns 0 (no finding),
 * 1 with `*v` filled, or -ENOMEM. `cfg` may be NULL. */
int fz_texec_run(struct tgt *t, const struct fz_action *a, size_t n,
		 const struct fz_texec_config *cfg, struct fz_violation *v);

/* ---- scripts ---------------------------------------------------------------- */

/* Run the actions and build a readable script of what happened: inbound
 * lines and socket calls from the actions, outbound lines from what the
 * reference sent, relative sequence numbers, relative times. `comment`
 * (may be NULL) goes at the top, one `//` line per line of it. `planted`
 * as in the config. On success `*out` is a new script (scr_script_free).
 * Returns 0, -ENOMEM. */
int fz_script_build(const struct fz_action *a, size_t n, bool planted, const char *comment,
		    struct scr_script **out);

/* The same script writer, fed with the records of either executor (for
 * fz_texec_run: its on_record = fz_writer_record, ctx = the writer).
 * `comment` as above; `header` (may be NULL) follows it verbatim (e.g.
 * "// @targets lwip\n\n"). fz_writer_text: the text so far (owned by the
 * writer), or NULL if out of memory. Free with fz_writer_free (NULL: no-op). */
struct fz_writer;
struct fz_writer *fz_writer_new(const char *comment, const char *header);
void fz_writer_record(void *w, const struct fz_rec *r);
const char *fz_writer_text(const struct fz_writer *w, size_t *len);
void fz_writer_free(struct fz_writer *w);

/* The reverse: the inbound lines, socket calls and times of script `s` as
 * actions (outbound lines are the reference's to produce, so they are
 * dropped). Returns the number of actions written to `out` (at most
 * `max`; the rest of the script is cut). */
size_t fz_from_script(const struct scr_script *s, struct fz_action *out, size_t max);

#endif
