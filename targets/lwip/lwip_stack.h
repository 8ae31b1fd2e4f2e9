/* One lwIP 2.1.3 instance driven like a socket stack (the inside of the
 * `lwip` target; see lwip_target.h for how it is isolated).
 *
 * lwIP keeps its state in file-scope variables, so there is exactly one
 * instance per process: lws_open() once, then any number of the calls
 * below. Nothing here is thread-safe, and nothing is meant to be: the
 * target runs this in a process of its own (lwip_proc.c).
 *
 * Packets: lws_inject() hands an IP packet to lwIP's netif input (a bad
 * checksum is lwIP's to drop); what lwIP sends through the netif's output
 * is queued, stamped with the virtual time, and taken with lws_pop().
 *
 * Time: virtual, in microseconds. sys_now() is lws_now() / 1000; lwIP's
 * timers (the 250 ms TCP timer, the 1 s ND timer) run from lws_advance().
 *
 * Socket verbs (lws_call / lws_finish) follow targets/target.h: a verb
 * that would block on a blocking socket returns -EINPROGRESS and is
 * retried by lws_finish(). They map onto the raw API with a descriptor
 * table: socket = tcp_new_ip_type, bind = tcp_bind, listen =
 * tcp_listen_with_backlog (pending connections wait in an accept queue,
 * counted by tcp_backlog_delayed / tcp_backlog_accepted as lwIP's own
 * socket layer does), connect = tcp_connect, send = tcp_write (copied) +
 * tcp_output, recv = the socket's receive queue + tcp_recved (so the
 * window opens as the application reads), shutdown(SHUT_WR) =
 * tcp_shutdown(pcb, 0, 1), close = tcp_close (lwIP sends a RST if data was
 * left unread), SO_LINGER {1, 0} + close = tcp_abort. lwIP errors become
 * errno values: ERR_RST is ECONNRESET (ECONNREFUSED in SYN-SENT), ERR_ABRT
 * from lwIP's own timers is ETIMEDOUT, ERR_USE is EADDRINUSE, ...
 *
 * Deliberate differences from lwIP's socket layer, to behave as POSIX
 * sockets do: shutdown(SHUT_RD) only stops reads (lwIP's TF_RXCLOSED
 * would reset the connection on later data); a write in SYN-SENT waits
 * for the handshake instead of queueing data behind the SYN.
 *
 * Assertions: LWIP_PLATFORM_ASSERT calls tc_lwip_assert(), which records
 * "message (file:line)", writes it to stderr and unwinds to the lws_*
 * call that entered lwIP; that call and every later one return
 * -ENOTRECOVERABLE (lws_failure() has the message). */
#ifndef TCPCHECK_TARGETS_LWIP_STACK_H
#define TCPCHECK_TARGETS_LWIP_STACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets/target.h"

struct lws_config {
	uint8_t family;	    /* 4 or 6 */
	uint8_t local[16];  /* lwIP's address */
	uint8_t remote[16]; /* the peer's (the script's) */
	uint64_t seed;	    /* ISNs (LWIP_HOOK_TCP_ISN), LWIP_RAND */
	uint16_t mtu;	    /* the netif's MTU */
	bool nodelay;	    /* TCP_NODELAY on new connections */
};

/* A packet lwIP sent. `bytes` is owned by the stack until the next lws_pop. */
struct lws_packet {
	uint64_t time_us;
	const uint8_t *bytes;
	size_t len;
};

/* Start lwIP (lwip_init, the netif). 0 or a negative errno. */
int lws_open(const struct lws_config *cfg);

/* End the instance in place, without a process: free every block lwIP
 * and the adapter hold and put lwIP's globals back as they were before
 * the process's first lws_open(), so that the next lws_open() starts from
 * a pristine lwIP — the same as a fresh process, whatever the last one did
 * (an assertion halfway through lwIP included). For in-process fuzzing.
 * 0, or -ENOTSUP when the binary was linked without port/lwip_state.ld
 * (tc_lwip's link option; see lwip_mem.c). */
int lws_reset(void);

/* Feed one IP packet to lwIP. 0, or -ENOTRECOVERABLE after an assertion. */
int lws_inject(const uint8_t *pkt, size_t len);

/* Take the oldest packet lwIP sent: 1 and `*out`, or 0 when there is none. */
int lws_pop(struct lws_packet *out);

/* The virtual clock, and the next instant a timer is due (UINT64_MAX if
 * none). */
uint64_t lws_now(void);
uint64_t lws_next_deadline(void);

/* Move the clock to `to_us`, running each timer at the time it is due. */
int lws_advance(uint64_t to_us);

/* A socket verb, as tgt_ops.call / tgt_ops.finish. Pointers in `c` are
 * copied; `res->data` points into the stack's buffer until the next call.
 * A poll's revents are written into c->pfds (for finish: the pfds of the
 * call that blocked, which the caller keeps alive). */
int lws_call(const struct tgt_call *c, struct tgt_result *res);
int lws_finish(struct tgt_result *res);

/* The state of the connection with these ports, as tgt_ops.state. */
int lws_state(uint16_t local_port, uint16_t remote_port, char *name, size_t cap);

/* The assertion that stopped lwIP ("message (file:line)"), or NULL. */
const char *lws_failure(void);

#endif
