/* The target interface: one small vtable per stack under test (DESIGN.md §3).
 *
 * A target is a `const struct tgt_ops` table plus an instance. The runner
 * opens a target with a configuration, injects IP packets, collects the
 * packets the stack sent (with their times), moves time, performs socket
 * verbs and, where the target can, asks for a connection's state. What a
 * target can do is said by capability flags; a script line that needs a
 * capability the target lacks is reported SKIP, never passed silently.
 *
 * Adding a stack: one folder under targets/ with its ops table, and one
 * line in the registry (targets/registry.c).
 *
 * Errors: functions return 0 or a negative errno value (-ENOMEM, -EIO,
 * ...); socket verbs report the stack's own result separately, in
 * `struct tgt_result`, because a verb that fails with ECONNRESET is a
 * successful call of the target.
 */
#ifndef TCPCHECK_TARGETS_TARGET_H
#define TCPCHECK_TARGETS_TARGET_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- capabilities ----------------------------------------------------- */

enum tgt_cap {
	TGT_CAP_VIRTUAL_TIME = 1u << 0, /* time moves only when the runner says */
	TGT_CAP_SOCKETS = 1u << 1,      /* socket verbs (tgt_ops.call) */
	TGT_CAP_STATE = 1u << 2,        /* connection state query (tgt_ops.state) */
	TGT_CAP_IPV4 = 1u << 3,
	TGT_CAP_IPV6 = 1u << 4,
	TGT_CAP_RULES = 1u << 5,        /* sent packets name the rule behind them */
	TGT_CAP_ICMP = 1u << 6,         /* accepts injected ICMP errors */
	TGT_CAP_V4_MAPPED = 1u << 7,    /* IPv4 peers over AF_INET6 sockets
	                                 * (IPv4-mapped IPv6 addresses) */
};

/* ---- configuration ---------------------------------------------------- */

/* One `// @config key=value` setting (DESIGN.md §4). */
struct tgt_setting {
	const char *key;
	const char *value;
};

/* What the runner opens a target with. Strings are borrowed for the call. */
struct tgt_config {
	uint8_t family;                   /* 4 or 6: the script's address family */
	bool v4_mapped;                   /* IPv4 peer over an AF_INET6 socket */
	uint8_t local_addr[16];           /* the stack under test's address */
	uint8_t remote_addr[16];          /* the script's (injected) side */
	const struct tgt_setting *settings; /* @config, in script order */
	size_t nsettings;
	const char *profile;              /* reference profile name or file; may be NULL */
	uint64_t seed;                    /* ISN and other choices, for repeatable runs */
	const char *iface;                /* linux-raw: the user's interface, or NULL */
	const char *agent_cmd;            /* agent: the command to start ("{dev}" is
	                                   * the TAP's name), or NULL */
	uint32_t agent_timeout_ms;        /* agent: how long a reply may take; 0: 5000 */
};

/* ---- packets ------------------------------------------------------------ */

/* A packet the stack sent. `bytes` belongs to the target and stays valid
 * until the next call on the same instance. */
struct tgt_packet {
	uint64_t time_us;      /* when it left the stack, on the target's clock */
	const uint8_t *bytes;  /* the IP packet */
	size_t len;
	const char *rule;      /* TGT_CAP_RULES: the rule id behind it, else NULL */
};

/* ---- socket verbs ------------------------------------------------------- */

enum tgt_verb {
	TGT_SOCKET,
	TGT_BIND,
	TGT_LISTEN,
	TGT_ACCEPT,
	TGT_CONNECT,
	TGT_SEND,       /* write() is send() with flags 0 */
	TGT_RECV,       /* read() is recv() with flags 0 */
	TGT_SHUTDOWN,
	TGT_CLOSE,
	TGT_SETSOCKOPT,
	TGT_GETSOCKOPT,
	TGT_FCNTL,
	TGT_IOCTL,
	TGT_POLL,
};

/* Socket options, levels, flags and the like are named by their symbolic
 * names as the script writes them ("SO_LINGER", "TCP_NODELAY", "MSG_OOB"),
 * so that each target maps them its own way; the Linux target passes any
 * name its headers define through to the kernel. */

/* A poll entry. */
struct tgt_pollfd {
	int fd;            /* the target's fd */
	uint32_t events;   /* TGT_POLL* bits */
	uint32_t revents;  /* filled in */
};

enum tgt_poll_bits {
	TGT_POLLIN = 1u << 0,
	TGT_POLLPRI = 1u << 1,
	TGT_POLLOUT = 1u << 2,
	TGT_POLLERR = 1u << 3,
	TGT_POLLHUP = 1u << 4,
	TGT_POLLRDHUP = 1u << 5,
	TGT_POLLNVAL = 1u << 6,
};

/* One socket verb. Unused fields are zero. */
struct tgt_call {
	enum tgt_verb verb;
	int fd;                  /* the target's descriptor (not the script's) */
	/* socket() */
	int domain;              /* AF_INET / AF_INET6 */
	int type;                /* SOCK_STREAM (| SOCK_NONBLOCK) */
	int protocol;
	/* bind(), connect(): the address is the config's local / remote one;
	 * `port` is the port to use (0 = let the stack choose). */
	uint16_t port;
	/* listen() */
	int backlog;
	/* shutdown(): SHUT_RD / SHUT_WR / SHUT_RDWR as 0 / 1 / 2 */
	int how;
	/* send(), recv(): for send, `data` holds `len` bytes; for recv, `len`
	 * is the most to read. `flags` are the MSG_* names, '|'-separated. */
	const uint8_t *data;
	size_t len;
	const char *flags;
	/* setsockopt(), getsockopt(), fcntl(), ioctl(): symbolic names */
	const char *level;       /* "SOL_SOCKET", "IPPROTO_TCP", ... */
	const char *name;        /* "SO_RCVBUF", "F_SETFL", "SIOCATMARK", ... */
	int64_t ival;            /* integer value (or l_onoff for SO_LINGER) */
	int64_t ival2;           /* l_linger for SO_LINGER */
	/* poll() */
	struct tgt_pollfd *pfds;
	size_t npfds;
	int64_t timeout_ms;      /* poll's timeout; blocking is the runner's */
};

/* What a verb returned, as POSIX would report it. */
struct tgt_result {
	int64_t ret;             /* the return value (-1 on error) */
	int err;                 /* errno when ret == -1, else 0 */
	/* recv(): the bytes read, owned by the target until its next call */
	const uint8_t *data;
	size_t data_len;
	/* getsockopt(): the value(s) read */
	int64_t ival;
	int64_t ival2;
};

/* call() / finish(): the verb, option or request is not modelled by the
 * target (the script is SKIP). Distinct from a verb that fails with an
 * errno, which is reported in `struct tgt_result`. */
#define TGT_NOT_MODELLED (-ENOTSUP)

/* ---- the ops table --------------------------------------------------------- */

struct tgt; /* an open target: `ops` plus the adapter's own state */

struct tgt_ops {
	const char *name;        /* "ref", "linux", "lwip", ... */
	const char *description; /* one line for `tcpcheck targets` */
	uint32_t caps;           /* TGT_CAP_* */

	/* Can the target run here? 0, or a negative errno with a one-line
	 * reason in `why` (e.g. "needs CAP_NET_ADMIN"). */
	int (*available)(char *why, size_t cap);

	/* Open an instance. On success `*out` is owned by the caller and
	 * released with close(). On failure `why` says why. */
	int (*open)(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap);

	/* The target's version (e.g. `uname -r` for linux); static or
	 * instance storage. */
	const char *(*version)(struct tgt *t);

	/* Inject one IP packet (TCP or ICMP) into the stack. */
	int (*inject)(struct tgt *t, const uint8_t *pkt, size_t len);

	/* Take the next packet the stack has sent, if any: 0 and `*out`
	 * filled, or -EAGAIN when there is none (now, for virtual time; by
	 * `deadline_us` on the target's clock, for real time). */
	int (*collect)(struct tgt *t, uint64_t deadline_us, struct tgt_packet *out);

	/* The target's clock, in microseconds since open. */
	uint64_t (*now)(struct tgt *t);

	/* Virtual time: move the clock to `to_us`, running every timer due
	 * on the way. Real time: wait until then. */
	int (*advance)(struct tgt *t, uint64_t to_us);

	/* Virtual time: the next instant something is due (a timer), or
	 * UINT64_MAX. Real-time targets return UINT64_MAX. */
	uint64_t (*next_deadline)(struct tgt *t);

	/* Perform a socket verb. Returns 0 when the verb completed (`res`
	 * filled), or -EINPROGRESS when it would block on a blocking socket:
	 * the runner then calls finish() until it completes, moving time or
	 * injecting packets in between. TGT_NOT_MODELLED says the target does
	 * not model this verb, option or request (an in-process stack without
	 * urgent data asked for SIOCATMARK, say): the runner reports the
	 * script SKIP, naming it, rather than failing it. Other negative
	 * values are the target's own failure (the verb could not be tried). */
	int (*call)(struct tgt *t, const struct tgt_call *c, struct tgt_result *res);

	/* Try again to complete the last verb that returned -EINPROGRESS:
	 * 0 with `res` filled, or -EINPROGRESS while it still blocks. */
	int (*finish)(struct tgt *t, struct tgt_result *res);

	/* TGT_CAP_STATE: the RFC 9293 state name ("ESTABLISHED", "TIME_WAIT",
	 * ...; "CLOSED" when there is none) of the connection between the
	 * config's addresses with these ports. By ports, not descriptor: a
	 * connection has a state before accept() and after close(). */
	int (*state)(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		     size_t cap);

	/* Release everything; close(NULL) is a no-op. */
	void (*close)(struct tgt *t);

	/* Optional (NULL: `caps` holds): an open instance's capabilities,
	 * when they depend on what open() found (the agent target has
	 * TGT_CAP_VIRTUAL_TIME only when its agent offers a clock). */
	uint32_t (*instance_caps)(struct tgt *t);

	/* Optional: why the instance stopped working for good (an agent that
	 * exited or stopped answering, with its last stderr lines), or NULL
	 * while it works. The runner stops the script with this text. */
	const char *(*failure)(struct tgt *t);
};

/* Every instance starts with this header, so generic code finds its ops. */
struct tgt {
	const struct tgt_ops *ops;
};

/* The capabilities of an open instance (see tgt_ops.instance_caps). */
static inline uint32_t tgt_caps(struct tgt *t)
{
	return t->ops->instance_caps ? t->ops->instance_caps(t) : t->ops->caps;
}

/* ---- the registry ---------------------------------------------------------- */

/* The targets this build has, in a fixed order; `*n` gets their count. */
const struct tgt_ops *const *tgt_registry(size_t *n);

/* The target named `name`, or NULL. */
const struct tgt_ops *tgt_find(const char *name);

/* For targets' @config readers: a key that only another kind of target
 * understands (`sysctl.NAME`, the Linux targets' namespace sysctls) gives
 * TGT_NOT_MODELLED with `why` naming it, so the script is SKIP there
 * rather than an error; any other key gives 0 (tgt_config.c). */
int tgt_config_foreign(const char *key, const char *target, char *why, size_t cap);

#endif
