/* The agent control protocol, version 1 (docs/agent-protocol.md): the
 * messages between tcpcheck and an agent, one JSON object a line, encoded
 * and parsed with cJSON. Sans-I/O: this module turns lines into structs and
 * structs into lines; who reads and writes them is agent_target.c (the
 * tcpcheck side) and targets/lwip/agent/ (an agent).
 *
 * Every parser takes untrusted text (an agent can be anything; a request
 * can come from a broken tcpcheck) and returns 0 or -EPROTO with the reason
 * in `why`; none of them crashes, asserts or grows memory without bound on
 * any input (fuzz/fuzz_agent_proto.c). Encoders return a malloc'd line
 * ending in "\n" (the caller frees it), or NULL when memory runs out. */
#ifndef TCPCHECK_TARGETS_AGENT_AGENT_PROTO_H
#define TCPCHECK_TARGETS_AGENT_AGENT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets/target.h"

#define AGP_VERSION	1
#define AGP_MAX_LINE	(1u << 20) /* longer lines are a protocol error */
#define AGP_MAX_DATA	(256u << 10) /* send/recv bytes in one message */
#define AGP_MAX_SENT	4096 /* frame times in one reply */
#define AGP_MAX_PFDS	16
#define AGP_MAX_CONFIG	64

/* ---- agent -> tcpcheck ------------------------------------------------------ */

enum agp_kind {
	AGP_HELLO,   /* the agent's first message */
	AGP_REPLY,   /* the final answer to request `id` */
	AGP_PENDING, /* request `id` blocks; its reply comes later */
	AGP_EVENT,   /* something happened (informational) */
};

enum agp_cap {
	AGP_CAP_STATE = 1u << 0, /* answers `state` */
	AGP_CAP_IPV4 = 1u << 1,
	AGP_CAP_IPV6 = 1u << 2,
	AGP_CAP_ICMP = 1u << 3, /* takes injected ICMP errors */
};

struct agp_hello {
	int protocol;	    /* the version the agent speaks */
	char name[64];	    /* the agent's name ("lwip-agent") */
	char version[128];  /* the stack's version, shown in reports */
	uint8_t mac[6];	    /* the agent's Ethernet address on the TAP */
	bool virtual_clock; /* "clock": "virtual": it takes `advance` */
	uint32_t caps;	    /* AGP_CAP_*; without a "caps" list: IPv4 only */
};

/* A reply (and, for PENDING and EVENT, the fields they use). Pointers are
 * owned by the message (agp_msg_clear frees them). */
struct agp_msg {
	enum agp_kind kind;
	struct agp_hello hello; /* HELLO */
	uint64_t id;		/* REPLY, PENDING */
	/* REPLY: the verb's result, as target.h says (ret -1 with err). */
	int64_t ret;
	int err;
	int64_t ival, ival2; /* getsockopt: "value", "value2"; ioctl: "value" */
	uint8_t *data;	     /* recv: "data" decoded from hex */
	size_t data_len;
	uint32_t revents[AGP_MAX_PFDS]; /* poll: "revents", TGT_POLL* bits */
	size_t nrevents;
	char state[32];	  /* state: "state" */
	char unsupported[160]; /* non-empty: the agent does not model this (SKIP) */
	char failure[256];     /* non-empty: the agent could not run the request */
	/* Virtual clock (REPLY): the agent's clock after the request, its next
	 * timer (UINT64_MAX: none), the frames it has written to the TAP in
	 * all, and the send times of those written since its last reply. */
	bool has_clock;
	uint64_t now_us, next_us;
	bool has_frames;
	uint64_t frames;
	uint64_t *sent_us;
	size_t nsent;
	/* EVENT: its name ("accepted", "readable", "error", or another the
	 * agent chose), the descriptor, and errno for "error". */
	char event[32];
	int64_t fd;
};

/* Parse one line from an agent (without or with its "\n"). 0, or -EPROTO
 * with why. `m` is cleared first; free it with agp_msg_clear either way. */
int agp_parse_agent(const char *line, size_t len, struct agp_msg *m, char *why, size_t cap);

/* Free what `m` owns and zero it. */
void agp_msg_clear(struct agp_msg *m);

/* ---- tcpcheck -> agent -------------------------------------------------------- */

/* The requests besides the socket verbs. */
enum agp_op {
	AGP_OP_CALL,	/* a socket verb: `call` */
	AGP_OP_OPEN,	/* the first request: addresses and @config */
	AGP_OP_STATE,	/* a connection's state by ports */
	AGP_OP_ADVANCE, /* virtual clock: move to `to_us` */
	AGP_OP_SYNC,	/* virtual clock: take the frames sent so far, answer */
};

/* What `open` carries. */
struct agp_open {
	uint8_t family; /* 4 or 6 */
	bool v4_mapped;
	uint8_t local[16], remote[16];
	uint8_t peer_mac[6];
	uint64_t seed;
	const struct tgt_setting *config; /* borrowed (encoding) */
	size_t nconfig;
};

/* One request. For encoding, pointers are borrowed; a parsed request owns
 * copies in its buffers (agp_req_clear). */
struct agp_req {
	uint64_t id;
	enum agp_op op;
	bool has_frames;
	uint64_t frames;       /* virtual clock: the frames tcpcheck has sent */
	struct tgt_call call;  /* CALL */
	struct agp_open open;  /* OPEN */
	uint16_t local_port, remote_port; /* STATE */
	uint64_t to_us;	       /* ADVANCE */
	/* parsed copies */
	char flags[64], level[48], name[48];
	uint8_t *data;
	struct tgt_pollfd pfds[AGP_MAX_PFDS];
	struct tgt_setting settings[AGP_MAX_CONFIG];
	char *strs; /* the settings' keys and values */
};

char *agp_encode_req(const struct agp_req *r);

/* Parse one request (the agent side). 0 or -EPROTO with why; `r` is
 * cleared first and freed with agp_req_clear either way. */
int agp_parse_req(const char *line, size_t len, struct agp_req *r, char *why, size_t cap);
void agp_req_clear(struct agp_req *r);

/* ---- the agent's messages (for agents written in C) ---------------------------- */

char *agp_encode_hello(const struct agp_hello *h);

/* The reply to request `id`: `m`'s REPLY fields (ret/err, ival, data,
 * revents, state, unsupported, failure, clock and frames as set). */
char *agp_encode_reply(const struct agp_msg *m);

char *agp_encode_pending(uint64_t id);
char *agp_encode_event(const char *event, int64_t fd, int err);

/* ---- names ------------------------------------------------------------------------ */

/* "ECONNRESET" for ECONNRESET; "E?" for an unknown value. */
const char *agp_errno_name(int err);

/* The errno named `name`, or 0 if unknown. */
int agp_errno_value(const char *name);

/* The verb's protocol name ("accept"), or NULL. */
const char *agp_verb_name(enum tgt_verb v);

/* "aa:bb:cc:dd:ee:ff" <-> bytes. 0 or -EINVAL. */
int agp_mac_parse(const char *s, uint8_t mac[6]);
void agp_mac_format(const uint8_t mac[6], char out[18]);

/* ---- shared by the codec's files ---------------------------------------------------- */

/* "POLLIN|POLLOUT" -> TGT_POLL* bits; names unknown to this version are
 * ignored (a later version may add some). */
uint32_t agp_poll_bits(const char *s);

/* Hex text -> a malloc'd buffer (at least 1 byte) and its length; 0, or
 * -EPROTO with why (odd length, not hex, more than AGP_MAX_DATA bytes). */
int agp_hex_decode(const char *s, uint8_t **out, size_t *n, char *why, size_t cap);

/* Parse one line (a trailing "\n" allowed) as a JSON object and hand it
 * (a const cJSON *) to `fn` with `out`: 0, or -EPROTO with why when the
 * line is no JSON object or `fn` fails. */
int agp_parse_line(const char *line, size_t len, int (*fn)(const void *o, void *out, char *why,
							   size_t cap),
		   void *out, char *why, size_t cap);

#endif
