/* The script language front end: lexer and parser for packetdrill's script
 * language plus tcpcheck's extensions (DESIGN.md §4), producing an AST that
 * the runner executes, and a writer that turns an AST back into text (the
 * `expect` command rewrites scripts with their outbound lines filled in).
 *
 * ---- What is accepted -------------------------------------------------
 *
 * Newlines are whitespace, as in packetdrill: an event may be wrapped over
 * several lines (long syscall arguments), but two events may not share a
 * line. `//` comments run to the end of the line, `/ * ... * /` comments
 * may span lines. Before the first event:
 *
 *   --name=value            header option (value: the text up to the next
 *                           blank); `--name` alone has the value "".
 *
 * Anywhere, a `//` comment whose text starts with `@` is metadata:
 *
 *   // @requirement ID [ID...]     requirement ids (MUST-7, §3.10.7.4, ...)
 *   // @targets NAME [NAME...]     targets the script is meant for
 *   // @xfail TARGET REASON...     expected failure on TARGET, with a reason
 *   // @finding TARGET ID          the script reproduces TARGET's known bug ID
 *                                  (struct scr_finding)
 *   // @profile NAME               reference profile (at most once)
 *   // @config KEY=VALUE ...       stack configuration (a key at most once)
 *   // @family ipv4|ipv6           families the script is written for
 *                                  (`ipv4`, `ipv6`, `ipv4|ipv6`, `ipv4 ipv6`)
 *
 * An unknown `@tag` is an error, and so is metadata inside an event (a
 * syscall wrapped over lines); after an event on its line it is fine.
 * Metadata in `/ * * /` comments is ignored.
 *
 * Events, each `TIME ACTION`:
 *
 *   TIME    0  1.5  .25       absolute, seconds (at most 6 decimals)
 *           +0  +.1           relative to the previous event
 *           *                 any time
 *           0.1~0.2           absolute window
 *           +0.1~+0.3         relative window (both ends relative)
 *   A syscall may be blocking: `TIME...END` (e.g. `+0...0.25 read(...)`),
 *   TIME plain (`a` or `+a`): it starts at TIME and returns at END; END is
 *   counted from the same base as TIME (packetdrill's rule), an optional
 *   `+` on END changes nothing. A python block or shell command may have no
 *   time at all (packetdrill's init / cleanup commands): SCR_TIME_NONE.
 *
 *   ACTION  packet          < or > [IP] FLAGS START:END(LEN) [ack N]
 *                           [win N] [urg N] [bad_csum] [<OPTIONS>]
 *           icmp            < or > [IP] icmp TYPE [CODE] [mtu N]
 *                           [[START:END(LEN)]]
 *           silence         > none [for SECONDS]            (ours)
 *           state           state NAME                      (ours)
 *           syscall         NAME(ARGS) = RET [ERRNO] [(NOTE)]
 *           python          %{ ... }%          (skipped assertions)
 *           shell           `command`          (SKIP)
 *
 *   IP      any of, in any order, each at most once: `[ITEM, ...]` or
 *           `(ITEM, ...)` groups or bare items, where ITEM is an ECN mark
 *           (`ect0`, `ect1`, `ect01` (either), `ce`, `noecn`), `tos N`,
 *           `ttl N`, `flowlabel N`. E.g. `< [ect0] S 0:0(0) ...`.
 *   FLAGS   letters from FSRPUEW and `.` (ACK), each at most once, written
 *           together in any order (`S.`, `FP.`, `P.U` as seg_format prints
 *           it); `.` alone; `-` for no flag at all. E = ECE, W = CWR.
 *   START:END(LEN) END must equal START + LEN modulo 2^32; START, END are
 *           32-bit, LEN 16-bit. ack is 32-bit, win and urg 16-bit; ack,
 *           win, urg and bad_csum may come in any order, each at most
 *           once. `bad_csum` (ours, inbound lines only; also allowed
 *           after the options) sends the segment with a wrong TCP checksum.
 *   OPTIONS `<...>` (options not checked) or a comma list of `nop`, `eol`,
 *           `mss N`, `wscale N`, `sackOK`, `sack L:R [L:R ...]` (1..4
 *           blocks), `TS val V ecr E`; at most 40 bytes in all. Omitting
 *           the list means "no options".
 *   ICMP    TYPE and CODE are words or integers, kept as written (e.g.
 *           `unreachable port_unreachable`, `unreachable frag_needed mtu
 *           1200`, ICMPv6 `packet_too_big mtu 1280`); the runner maps them.
 *           CODE must be on TYPE's line.
 *   ARGS    expressions: integers (decimal, `-`decimal, 0x hex), words
 *           (SOL_SOCKET, O_NONBLOCK, ...), "strings" (escapes kept as
 *           written), `...`, `A|B|C`, arrays `[1000]`, structs
 *           `{l_onoff=1, l_linger=0}` (members `KEY=VALUE`, KEY any
 *           expression, e.g. `msg_iov(1)=[...]`), calls `htons(8080)`;
 *           nesting at most SCR_MAX_DEPTH deep. No floats.
 *   RET     an expression (usually an integer, or `...` for any value; a
 *           word there is never a call), optionally an errno name and a
 *           parenthesised note kept as raw text, both on the line where RET
 *           ends: `= -1 ECONNRESET (Connection reset by peer)`,
 *           `= 0 (...)`, `= 0x802 (flags O_RDWR|O_NONBLOCK)`.
 *   NAME    (state) CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED (or SYN_RCVD,
 *           SYN_RECV), ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT,
 *           CLOSING, LAST_ACK, TIME_WAIT.
 *
 * Words that name a define (see struct scr_defines) are replaced by the
 * tokens of its value, anywhere in an event (not inside strings, notes,
 * comments, python blocks or shell commands; a value is not expanded again).
 *
 * Not supported, recorded as SCR_EV_SKIP events naming the construct (the
 * runner reports the script SKIP): shell commands, syscalls other than
 * the ones in enum scr_sys (epoll_*, sendmsg, ...), TCP_INFO, TCP Fast Open
 * (TCP_FASTOPEN*, MSG_FASTOPEN, `FO`/`FOEXP` options), MD5, MPTCP and
 * experimental (`exp`, `tarr`, `ao`) options, UDP / UDP-Lite / GRE / MPLS /
 * SCTP / raw `ip` packet lines, ICMP quoting a UDP packet. A packet line
 * with one of these is skipped to the end of its line (or to a comment on
 * it). A python block `%{ }%` is an SCR_EV_PYTHON event: its assertions
 * are skipped and counted, the rest of the script runs.
 *
 * Where this differs from packetdrill, on purpose: one event per line;
 * header options only before the first event; metadata comments; `none`,
 * `state`, `bad_csum`; numbers and times checked against their fields'
 * ranges (packetdrill checks most of them too).
 *
 * Everything else that does not fit is an error, reported once, as
 * `file:line:col: message` naming the offending text, e.g.
 * `specs/x.pkt:12:9: expected ':' after sequence start, found 'ack'`.
 * Lines and columns are 1-based; a column counts bytes.
 *
 * ---- Robustness -----------------------------------------------------------
 *
 * Any byte string is parsed without crashing: recursion is bounded by
 * SCR_MAX_DEPTH, work is linear in the input (plus the expansion of
 * defines), memory is bounded by a constant per input byte, and every
 * error path frees what it allocated. Library code never exits.
 */
#ifndef TCPCHECK_HARNESS_SCRIPT_H
#define TCPCHECK_HARNESS_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits ---------------------------------------------------------------- */

#define SCR_MAX_DEPTH	    32	       /* nesting of [ ] { } ( ) in expressions */
#define SCR_MAX_SACK	    4	       /* SACK blocks in one option */
#define SCR_MAX_CONFIG	    256	       /* @config keys in one script */
#define SCR_NONE_DEFAULT_US 500000     /* `> none` without `for`: 0.5 s */
#define SCR_MAX_TIME_S	    1000000000 /* largest time in a script, in seconds */

/* ---- errors ------------------------------------------------------------------ */

enum scr_error {
	SCR_OK = 0,
	SCR_ENOMEM = -1,  /* out of memory */
	SCR_ESYNTAX = -2, /* the text does not follow the grammar */
	SCR_ERANGE = -3,  /* a number is out of the range of its field */
	SCR_ELIMIT = -4,  /* nesting or a list is past a limit above */
	SCR_EINVAL = -5,  /* bad arguments to an API call (e.g. a define name) */
};

/* A short English text for an SCR_E* code; never NULL. */
const char *scr_strerror(int err);

/* Where and why parsing failed. */
struct scr_diag {
	int code;      /* an SCR_E* value */
	int line;      /* 1-based; 0 if the error is not about a place */
	int col;       /* 1-based byte column */
	char msg[320]; /* "file:line:col: message", always NUL-terminated */
};

/* ---- defines (-D NAME=value) ---------------------------------------------------- */

/* One define; both strings are borrowed by scr_parse (copied into the AST). */
struct scr_define {
	const char *name;  /* [A-Za-z_][A-Za-z0-9_]* */
	const char *value; /* tokens to put in place of NAME; may be "" */
};

/* The defines a parse may expand. A user define wins over a predefined one
 * of the same name. The predefined list used is the one for the script's
 * family: `family` if nonzero, else the script's `--ip_version` header
 * (ipv4 -> 4; ipv6 and ipv4-mapped-ipv6 -> 6), else the first family of
 * the first `@family` line, wherever it stands (the parser parses again
 * when it meets it after having expanded a define), else 4. */
struct scr_defines {
	const struct scr_define *user; /* -D NAME=value from the command line */
	size_t n_user;
	const struct scr_define *ipv4; /* predefined values for IPv4 runs */
	size_t n_ipv4;
	const struct scr_define *ipv6; /* predefined values for IPv6 runs */
	size_t n_ipv6;
	int family; /* 4, 6, or 0 = as the script says */
};

/* ---- the AST --------------------------------------------------------------------- */

/* A name/value pair: a header option (`--name=value`) or an @config item
 * or a define in effect. */
struct scr_kv {
	char *key;   /* owned */
	char *value; /* owned; "" when none was given */
	int line;    /* source line, 0 if not from the source */
};

/* An @xfail line. */
struct scr_xfail {
	char *target; /* owned */
	char *reason; /* owned; the rest of the line, trimmed */
	int line;
};

/* An @finding line: the script reproduces a known bug of TARGET, recorded
 * as ID (e.g. in docs/findings/TARGET.md). Its expectations describe the
 * buggy behaviour: on TARGET the script passes while the bug is there and
 * fails the day the stack fixes it. On other targets it is SKIP ("finding
 * of TARGET") unless @targets names them. */
struct scr_finding {
	char *target; /* owned */
	char *id;     /* owned: one word */
	int line;
};

/* Bits of scr_meta.families. */
enum scr_family_bit {
	SCR_FAM_IPV4 = 1u << 0,
	SCR_FAM_IPV6 = 1u << 1,
};

/* The structured comments of a script; every list in source order. */
struct scr_meta {
	char **requirements; /* owned strings, from every @requirement line */
	size_t n_requirements;
	char **targets; /* from every @targets line */
	size_t n_targets;
	struct scr_xfail *xfails;
	size_t n_xfails;
	struct scr_finding *findings; /* from every @finding line */
	size_t n_findings;
	char *profile;	       /* @profile, NULL if none */
	struct scr_kv *config; /* @config items, each key once */
	size_t n_config;
	unsigned families;  /* SCR_FAM_* bits from @family; 0 = not given */
	int families_first; /* 4 or 6: the first family named, 0 if none */
};

/* When an event happens. Times are microseconds. */
enum scr_time_kind {
	SCR_TIME_NONE,	     /* untimed (a shell command or python block
			      * outside the timeline) */
	SCR_TIME_ABS,	     /* `1.5`: start_us after the script start */
	SCR_TIME_REL,	     /* `+0.1`: start_us after the previous event */
	SCR_TIME_ANY,	     /* `*` */
	SCR_TIME_WINDOW,     /* `0.1~0.2`: between start_us and end_us, absolute */
	SCR_TIME_REL_WINDOW, /* `+0.1~+0.2`: both ends after the previous event */
};

struct scr_time {
	enum scr_time_kind kind;
	int64_t start_us; /* ABS, REL, both windows */
	int64_t end_us;	  /* windows: >= start_us */
};

/* What happens at an event. */
enum scr_event_kind {
	SCR_EV_PACKET,	/* TCP segment in or out */
	SCR_EV_ICMP,	/* ICMP error in or out */
	SCR_EV_SYSCALL, /* socket verb */
	SCR_EV_NONE,	/* `> none`: no outbound packet for a span */
	SCR_EV_STATE,	/* `state NAME`: assert the connection state */
	SCR_EV_SKIP,	/* an unsupported construct */
	SCR_EV_PYTHON,	/* `%{ }%`: assertions skipped */
};

enum scr_dir {
	SCR_IN,	 /* `<`: injected into the stack */
	SCR_OUT, /* `>`: sent by the stack */
};

/* ECN codepoint asked for on a packet line. */
enum scr_ecn {
	SCR_ECN_UNSET, /* not written */
	SCR_ECN_NOT,   /* [noecn] */
	SCR_ECN_ECT0,  /* [ect0] */
	SCR_ECN_ECT1,  /* [ect1] */
	SCR_ECN_ECT01, /* [ect01]: ECT(0) or ECT(1) */
	SCR_ECN_CE,    /* [ce] */
};

/* IP-level fields given before the flags. */
struct scr_ip {
	enum scr_ecn ecn;
	bool has_tos;
	uint8_t tos;
	bool has_ttl;
	uint8_t ttl;
	bool has_flowlabel;
	uint32_t flowlabel; /* 20 bits */
};

/* One TCP option of a packet line. */
struct scr_opt {
	uint8_t kind;	/* SEG_OPT_* of reference/seg.h: EOL, NOP, MSS,
			 * WSCALE, SACK_PERM, SACK, TS */
	uint32_t val;	/* MSS: mss; WSCALE: shift; TS: val */
	uint32_t ecr;	/* TS: ecr */
	uint8_t n_sack; /* SACK: blocks used in sack[] */
	struct {
		uint32_t left, right;
	} sack[SCR_MAX_SACK];
};

/* A TCP packet line. Sequence numbers are relative, as written. */
struct scr_packet {
	enum scr_dir dir;
	struct scr_ip ip;
	uint8_t flags; /* SEG_FIN .. SEG_CWR of reference/seg.h */
	uint32_t seq_start;
	uint32_t seq_end; /* == seq_start + len (mod 2^32) */
	uint16_t len;	  /* payload bytes */
	bool has_ack;
	uint32_t ack;
	bool has_win;
	uint16_t win;
	bool has_urg;
	uint16_t urg;
	bool bad_csum;	      /* `bad_csum` (ours, inbound only): inject the
			       * segment with a wrong TCP checksum */
	bool any_opts;	      /* `<...>`: options not checked; opts empty */
	struct scr_opt *opts; /* owned, in order; NULL when n_opts == 0 */
	size_t n_opts;
};

/* An ICMP line. */
struct scr_icmp {
	enum scr_dir dir;
	struct scr_ip ip;
	char *type; /* owned: "unreachable", "packet_too_big", "3", ... */
	char *code; /* owned, NULL if none: "port_unreachable", ... */
	bool has_mtu;
	uint32_t mtu;
	bool has_quote; /* `[START:END(LEN)]`: the TCP segment quoted */
	uint32_t seq_start;
	uint32_t seq_end;
	uint16_t len;
};

/* An expression in a syscall line. */
enum scr_expr_kind {
	SCR_EXPR_INT,	   /* num (hex: written in hex) */
	SCR_EXPR_WORD,	   /* str: an identifier, e.g. SOL_SOCKET */
	SCR_EXPR_STRING,   /* str: the text between the quotes, as written */
	SCR_EXPR_ELLIPSIS, /* `...` */
	SCR_EXPR_OR,	   /* items[0] | items[1] | ... (n >= 2) */
	SCR_EXPR_ARRAY,	   /* [items...] */
	SCR_EXPR_STRUCT,   /* {items...} (items are often FIELDs) */
	SCR_EXPR_FIELD,	   /* items[0] = items[1] (n == 2), inside a struct */
	SCR_EXPR_CALL,	   /* str(items...), e.g. htons(8080) */
};

struct scr_expr {
	enum scr_expr_kind kind;
	int64_t num;		 /* INT */
	bool hex;		 /* INT written as 0x... */
	char *str;		 /* WORD, STRING, CALL: owned */
	struct scr_expr **items; /* owned children */
	size_t n;
};

/* The syscalls the runner maps to socket verbs. Any other name is SKIP. */
enum scr_sys {
	SCR_SYS_SOCKET,
	SCR_SYS_BIND,
	SCR_SYS_LISTEN,
	SCR_SYS_ACCEPT,
	SCR_SYS_CONNECT,
	SCR_SYS_WRITE,
	SCR_SYS_SEND,
	SCR_SYS_READ,
	SCR_SYS_RECV,
	SCR_SYS_SHUTDOWN,
	SCR_SYS_CLOSE,
	SCR_SYS_SETSOCKOPT,
	SCR_SYS_GETSOCKOPT,
	SCR_SYS_FCNTL,
	SCR_SYS_IOCTL,
	SCR_SYS_POLL,
	SCR_SYS_COUNT
};

/* The name of a scr_sys value ("socket", ...); "?" if out of range. */
const char *scr_sys_name(enum scr_sys sys);

/* What a syscall must return. */
enum scr_ret_kind {
	SCR_RET_INT,  /* `= 3`, `= -1`: value */
	SCR_RET_ANY,  /* `= ...` */
	SCR_RET_EXPR, /* anything else: see expr */
};

struct scr_ret {
	enum scr_ret_kind kind;
	int64_t value;	       /* INT */
	struct scr_expr *expr; /* owned; always set (INT and ANY too) */
	char *err;	       /* owned errno name ("ECONNRESET"), NULL if none */
	char *note;	       /* owned text inside `( )` after it, NULL if none */
};

struct scr_syscall {
	enum scr_sys sys;
	char *name;		/* owned, as written */
	struct scr_expr **args; /* owned */
	size_t n_args;
	bool blocking;	/* `TIME...END` */
	int64_t end_us; /* blocking: return time, same base as the start */
	bool end_plus;	/* END was written with `+` (kept for writing) */
	struct scr_ret ret;
};

/* `> none [for T]`. */
struct scr_none {
	int64_t for_us; /* span of silence; SCR_NONE_DEFAULT_US if not given */
	bool has_for;	/* `for` was written */
};

/* TCP states, RFC 9293 §3.3.2. */
enum scr_tcp_state {
	SCR_ST_CLOSED,
	SCR_ST_LISTEN,
	SCR_ST_SYN_SENT,
	SCR_ST_SYN_RECEIVED,
	SCR_ST_ESTABLISHED,
	SCR_ST_FIN_WAIT_1,
	SCR_ST_FIN_WAIT_2,
	SCR_ST_CLOSE_WAIT,
	SCR_ST_CLOSING,
	SCR_ST_LAST_ACK,
	SCR_ST_TIME_WAIT,
	SCR_ST_COUNT
};

/* The canonical name of a state ("ESTABLISHED", "SYN_RECEIVED", ...); "?"
 * if out of range. Scripts may also write SYN_RCVD / SYN_RECV and '-' for
 * '_' is not accepted (a '-' is a token). */
const char *scr_state_name(enum scr_tcp_state st);

struct scr_state {
	enum scr_tcp_state state;
};

/* An unsupported construct. */
struct scr_skip {
	char *construct; /* owned: what it is, e.g. "shell command",
			  * "syscall 'epoll_create'", "TCP_INFO" */
	char *reason;	 /* owned: one line for the report */
};

/* A python block. */
struct scr_python {
	char *code;	/* owned: the text between %{ and }% */
	size_t asserts; /* `assert` statements in it (skipped) */
};

/* One event. */
struct scr_event {
	enum scr_event_kind kind;
	int line; /* 1-based position of its first token; 0 if built */
	int col;  /*   in memory */
	struct scr_time time;
	char *text; /* owned: the event's source text (time to last
		     * token), written back as is by scr_write; NULL
		     * for events built in memory, which are written
		     * from their fields. Clear it (scr_event_clear_text)
		     * after changing the fields. */
	char *lead; /* owned: the source text between the previous
		     * event and this one (comments, blank lines,
		     * header lines, indentation); NULL if none */
	union {
		struct scr_packet packet; /* PACKET */
		struct scr_icmp icmp;	  /* ICMP */
		struct scr_syscall sys;	  /* SYSCALL */
		struct scr_none none;	  /* NONE */
		struct scr_state state;	  /* STATE */
		struct scr_skip skip;	  /* SKIP */
		struct scr_python python; /* PYTHON */
	} u;
};

/* A parsed script. Owns everything it points to. */
struct scr_script {
	char *path;		/* as given to scr_parse */
	struct scr_kv *options; /* `--name=value` header lines, in order */
	size_t n_options;
	struct scr_kv *defines; /* defines in effect (user ones, then the
				 * predefined ones not overridden) */
	size_t n_defines;
	int family; /* 4 or 6: whose predefined values were used */
	struct scr_meta meta;
	struct scr_event *events;
	size_t n_events;
	size_t events_cap;	 /* allocated slots (internal) */
	char *trailer;		 /* source text after the last event; NULL if none */
	size_t n_skips;		 /* SCR_EV_SKIP events */
	size_t n_python;	 /* SCR_EV_PYTHON events (skipped blocks) */
	size_t n_python_asserts; /* assertions in them */
};

/* ---- API -------------------------------------------------------------------- */

/* Parse `len` bytes of script `text` (need not be NUL-terminated; a NUL
 * byte in it is an error) read from `path` (used in messages and copied;
 * NULL reads as "<script>"). `defs` may be NULL. On success `*out` gets a
 * new script the caller frees with scr_script_free(). On failure returns a
 * negative SCR_E* code, fills `diag` (may be NULL) and leaves `*out`
 * untouched. */
int scr_parse(const char *path, const char *text, size_t len, const struct scr_defines *defs,
	      struct scr_script **out, struct scr_diag *diag);

/* Free a script and everything it owns. NULL is a no-op. */
void scr_script_free(struct scr_script *s);

/* Free what an event owns (not the event itself) and zero it. */
void scr_event_clear(struct scr_event *ev);

/* Free the event's source text, so that scr_write writes it from its
 * fields; the lead is kept. */
void scr_event_clear_text(struct scr_event *ev);

/* Insert a zeroed event (kind SCR_EV_PACKET, time SCR_TIME_NONE, no text,
 * no lead) at index `at` (<= n_events) and return it for the caller to
 * fill (give it a time: only python blocks and shell commands may be
 * untimed); whatever the caller hangs on it (malloc'd) is then owned by
 * the script. Pointers to events at or after `at` are invalidated.
 * Returns NULL if out of memory or `at` is out of range. */
struct scr_event *scr_script_insert_event(struct scr_script *s, size_t at);

/* The value of the last header option `--name`, or NULL; borrowed. */
const char *scr_script_option(const struct scr_script *s, const char *name);

/* The value of @config `key`, or NULL; borrowed. */
const char *scr_script_config(const struct scr_script *s, const char *key);

/* How scr_write writes. */
enum scr_write_flags {
	SCR_WRITE_SOURCE = 0,	  /* keep the source: leads, trailer and each
				   * event's text where it has one (the output
				   * of an unchanged parse is the input, byte
				   * for byte) */
	SCR_WRITE_REGEN = 1u << 0 /* canonical text from the fields alone:
				   * header options, metadata, one event a line;
				   * comments dropped, defines expanded (SKIP
				   * events keep their source text; one built
				   * in memory is written as a comment) */
};

/* Write `s` as script text into a new NUL-terminated buffer: `*out` (free
 * with free()) and `*out_len` (may be NULL; excludes the NUL). Returns 0 or
 * SCR_ENOMEM / SCR_EINVAL. */
int scr_write(const struct scr_script *s, unsigned flags, char **out, size_t *out_len);

/* Write one event in canonical form (as SCR_WRITE_REGEN does, without a
 * newline) into `buf` of `cap` bytes, always NUL-terminated when cap > 0.
 * Returns the length the full text needs (as snprintf), or a negative
 * SCR_E* code. */
int scr_event_format(const struct scr_event *ev, char *buf, size_t cap);

/* Write an expression as it would appear in a script, like
 * scr_event_format. */
int scr_expr_format(const struct scr_expr *e, char *buf, size_t cap);

#endif
