/* A socket-like API over a reference stack.
 *
 * The verbs mirror BSD sockets, non-blocking: a call that would block
 * returns -EAGAIN (or -EINPROGRESS for connect), and ref_poll() tells the
 * caller when to retry, so a runner can implement blocking calls and
 * poll(). Results are counts or 0; errors are the negative errno values
 * POSIX (as Linux implements it) would give: -ECONNREFUSED, -ECONNRESET,
 * -EPIPE, -ETIMEDOUT, -EAGAIN, -EINPROGRESS, -ENOTCONN, -EBADF, ...
 *
 * Every verb takes `now` (microseconds): calls may send segments, and those
 * carry that time. Socket numbers are small integers starting at the
 * configuration's fd_base, the lowest free one first (as a kernel does).
 * The protocol is always TCP; families are SEG_IPV4 and SEG_IPV6.
 *
 * Where POSIX leaves the result open, Linux's choice is taken and noted.
 */
#ifndef TCPCHECK_REFERENCE_REF_SOCK_H
#define TCPCHECK_REFERENCE_REF_SOCK_H

#include <stddef.h>
#include <stdint.h>

#include "reference/ref_stack.h"

/* A socket address. An all-zero `addr` is the wildcard (INADDR_ANY). */
struct ref_sockaddr {
	uint8_t family;   /* SEG_IPV4 or SEG_IPV6 */
	uint8_t addr[16]; /* network order; 4 bytes used for IPv4 */
	uint16_t port;    /* host order; 0 = any */
};

/* send() / recv() flags. */
enum ref_msg_flag {
	REF_MSG_OOB = 0x1,  /* urgent data (MSG_OOB) */
	REF_MSG_PEEK = 0x2, /* recv: leave the data queued (MSG_PEEK) */
};

/* shutdown() directions. */
enum ref_shut {
	REF_SHUT_RD = 0,
	REF_SHUT_WR = 1,
	REF_SHUT_RDWR = 2,
};

/* ref_poll() bits; the values are Linux's POLL* values. */
enum ref_poll_bit {
	REF_POLLIN = 0x001,
	REF_POLLPRI = 0x002,   /* urgent data waiting (MUST-32) */
	REF_POLLOUT = 0x004,
	REF_POLLERR = 0x008,
	REF_POLLHUP = 0x010,
	REF_POLLRDHUP = 0x2000,
};

/* Socket options. The value is an `int` unless noted; units as Linux's. */
enum ref_sockopt {
	REF_SO_ERROR,          /* get: pending error (positive errno), cleared; 0 if none */
	REF_SO_KEEPALIVE,      /* bool, MUST-24 */
	REF_SO_RCVBUF,         /* bytes; takes effect for connections created later */
	REF_SO_SNDBUF,         /* bytes; likewise */
	REF_SO_LINGER,         /* struct ref_linger */
	REF_SO_REUSEADDR,      /* bool */
	REF_SO_OOBINLINE,      /* bool: urgent octet stays in the stream */
	REF_TCP_NODELAY,       /* bool, MUST-17 */
	REF_TCP_MAXSEG,        /* bytes: caps the MSS advertised and used; get: Eff.snd.MSS */
	REF_TCP_KEEPIDLE,      /* seconds, MUST-27 */
	REF_TCP_KEEPINTVL,     /* seconds */
	REF_TCP_KEEPCNT,       /* probes */
	REF_TCP_USER_TIMEOUT,  /* milliseconds; R2 for this connection (MUST-21); 0 = profile */
	REF_IP_TOS,            /* IPv4 Diffserv field, MUST-48 */
	REF_IP_TTL,            /* IPv4 TTL, MUST-49 */
	REF_IPV6_TCLASS,       /* IPv6 traffic class */
	REF_IPV6_UNICAST_HOPS, /* IPv6 hop limit */
	REF_IP_RECVERR,        /* bool: soft errors become pending errors at once
	                        * (off: they are kept, see REF_TCP_SOFT_ERROR) */
	REF_TCP_SOFT_ERROR,    /* get only: the last soft error (errno), cleared (MUST-47) */
	REF_SOCKOPT_COUNT
};

/* The value of REF_SO_LINGER. */
struct ref_linger {
	int onoff;
	int linger; /* seconds */
};

/* Create a TCP socket of `family`. Returns the socket number, -EAFNOSUPPORT,
 * or -EMFILE when every slot is in use. */
int ref_socket(struct ref_stack *st, int family, uint64_t now);

/* Bind to a local address and port (port 0: an ephemeral one). The address
 * must be one of the stack's or the wildcard (MUST-43). Returns 0, -EBADF,
 * -EINVAL (already bound, or family mismatch), -EADDRNOTAVAIL, -EADDRINUSE. */
int ref_bind(struct ref_stack *st, int fd, const struct ref_sockaddr *addr, uint64_t now);

/* Passive OPEN (MUST-41, MUST-42). An unbound socket gets an ephemeral port.
 * The backlog bounds connections not yet accepted (at least 1; at most the
 * profile's max_backlog). Returns 0, -EBADF, -EINVAL (connected or
 * connecting), -EADDRINUSE (another listener on the port). Calling it again
 * on a listener changes the backlog. */
int ref_listen(struct ref_stack *st, int fd, int backlog, uint64_t now);

/* Take the oldest established connection from a listener. Returns its new
 * socket number (and the peer's address in `*peer`, which may be NULL),
 * -EAGAIN, -EINVAL (not listening), -EBADF, or -EMFILE. */
int ref_accept(struct ref_stack *st, int fd, struct ref_sockaddr *peer, uint64_t now);

/* Active OPEN: send a SYN. Returns -EINPROGRESS (the SYN is queued; poll
 * for REF_POLLOUT, then read REF_SO_ERROR), -EALREADY (a connect is in
 * progress), -EISCONN, -EBADF, -EINVAL (listening, family mismatch),
 * -ENETUNREACH for a broadcast, multicast or unspecified peer (MUST-46),
 * -EADDRNOTAVAIL (no local address of the family, or no free port), or the
 * pending error of a connect that failed (which is cleared). */
int ref_connect(struct ref_stack *st, int fd, const struct ref_sockaddr *addr, uint64_t now);

/* Queue `len` bytes for sending. With REF_MSG_OOB the last byte is urgent:
 * the urgent pointer names the octet after it (MUST-62). Returns the bytes
 * accepted (possibly fewer than `len`), -EAGAIN (buffer full, or the
 * connection is still opening), -EPIPE (shut down for writing or closed;
 * a pending error such as -ECONNRESET is returned first), -ENOTCONN,
 * -EBADF, -EINVAL. */
long ref_send(struct ref_stack *st, int fd, const void *buf, size_t len, int flags,
	      uint64_t now);

/* Read up to `len` bytes. Reading stops at the urgent mark. With
 * REF_MSG_OOB, read the urgent octet (-EINVAL if there is none or
 * SO_OOBINLINE is on, -EAGAIN if it has not arrived). With REF_MSG_PEEK the
 * data stays queued. Returns the bytes read, 0 at end of data (the peer's
 * FIN, or SHUT_RD), a pending error (-ECONNRESET, -ETIMEDOUT, ...; cleared),
 * -EAGAIN, -ENOTCONN, -EBADF. */
long ref_recv(struct ref_stack *st, int fd, void *buf, size_t len, int flags, uint64_t now);

/* Shut one or both directions. SHUT_WR sends a FIN after the queued data
 * (the RFC's CLOSE). Returns 0, -ENOTCONN, -EBADF, -EINVAL. */
int ref_shutdown(struct ref_stack *st, int fd, int how, uint64_t now);

/* Release the socket number and CLOSE the connection: FIN after the queued
 * data, or RST if unread data is pending (SHLD-3) or SO_LINGER is on with
 * a zero time; the connection lives on without a socket number until it
 * reaches CLOSED (FIN-WAIT, TIME-WAIT, ...). Returns 0 or -EBADF. */
int ref_close(struct ref_stack *st, int fd, uint64_t now);

/* The RFC's ABORT (§3.10.5): send RST where the state calls for one,
 * flush everything, CLOSED. The socket number stays valid (close it with
 * ref_close). Returns 0 or -EBADF. */
int ref_abort(struct ref_stack *st, int fd, uint64_t now);

/* Set / get an option. `len` is the value's size (sizeof(int), or sizeof
 * struct ref_linger). Returns 0, -EBADF, -ENOPROTOOPT (unknown option, or
 * an IPv4 option on an IPv6 socket and vice versa), -EINVAL (bad size or
 * value). ref_getsockopt writes `*len`. */
int ref_setsockopt(struct ref_stack *st, int fd, int opt, const void *val, size_t len,
		   uint64_t now);
int ref_getsockopt(struct ref_stack *st, int fd, int opt, void *val, size_t *len);

/* Readiness, as poll() would report it (REF_POLL* bits), or -EBADF. */
int ref_poll(const struct ref_stack *st, int fd);

/* 1 if the next byte to read is the urgent mark (SIOCATMARK, MUST-33), 0 if
 * not, or -EBADF / -EINVAL (not a connection). */
int ref_sockatmark(const struct ref_stack *st, int fd);

/* The connection state behind a socket (REF_CLOSED for a new or finished
 * one), or -EBADF as an int. */
int ref_sock_state(const struct ref_stack *st, int fd);

/* The local / peer address of a socket. Return 0, -EBADF, or -ENOTCONN
 * (ref_getpeername on an unconnected socket). */
int ref_getsockname(const struct ref_stack *st, int fd, struct ref_sockaddr *out);
int ref_getpeername(const struct ref_stack *st, int fd, struct ref_sockaddr *out);

/* A snapshot of a connection's variables, for tests and the differ. */
struct ref_tcb_info {
	enum ref_state state;
	uint32_t iss, irs;
	uint32_t snd_una, snd_nxt, snd_wnd, snd_up;
	uint32_t rcv_nxt, rcv_wnd, rcv_up;
	uint32_t eff_mss;      /* Eff.snd.MSS for a segment without options */
	uint32_t peer_mss;     /* SendMSS: the peer's option, or the default */
	uint32_t pmtu;
	uint32_t cwnd;
	uint64_t rto, srtt, rttvar; /* microseconds; srtt/rttvar 0 before a sample */
	uint32_t snd_queued;   /* bytes in the send buffer (unacknowledged + unsent) */
	uint32_t rcv_queued;   /* bytes readable */
	unsigned retransmits;  /* consecutive timeouts of the current segment */
	int passive;           /* 1 if SYN-RECEIVED came from LISTEN (MUST-11) */
};

/* Fill `*out` for the connection behind `fd`. Returns 0, -EBADF. */
int ref_tcb_info(const struct ref_stack *st, int fd, struct ref_tcb_info *out);

#endif
