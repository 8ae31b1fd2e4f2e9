/* Test fixture for the reference stack, in smoltcp's manner: build a stack,
 * put one connection in a given state, hand it segments made from a
 * template, and check the exact segments that come out.
 *
 * The stack is at 192.0.2.1 (or 2001:db8::1), port FX_LPORT; the peer, the
 * test, is 192.0.2.2 (2001:db8::2), port FX_PPORT, with initial sequence
 * number FX_IRS. Tests write sequence numbers relative to the two ISNs:
 * fx_s(fx, n) is the stack's ISS + n, fx_p(fx, n) the peer's IRS + n.
 *
 * Every fx_* helper that sends something collects what the stack emitted
 * into fx->out[]; fx_expect() checks the next unchecked one, and
 * fx_expect_none() that none is left. Failures name the file and line of
 * the test and print the segment in packetdrill notation.
 */
#ifndef TCPCHECK_REFERENCE_TESTS_REF_FIXTURE_H
#define TCPCHECK_REFERENCE_TESTS_REF_FIXTURE_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "reference/ref_internal.h"
#include "reference/ref_sock.h"
#include "reference/ref_stack.h"

#define FX_LPORT 8080
#define FX_PPORT 40001
#define FX_IRS 1000000u
#define FX_T0 1000000ull /* the fixture's start time: 1 s */
#define FX_MAX_OUT 256
#define FX_DATA_MAX 4096
#define FX_SEC 1000000ull
#define FX_MS 1000ull

/* One segment the stack emitted (payload cut to FX_DATA_MAX bytes). */
struct fx_out {
	struct seg seg; /* seg.payload points at data */
	uint64_t time;
	enum ref_rule rule;
	int fd;
	uint8_t data[FX_DATA_MAX];
};

struct fx {
	struct ref_stack *st;
	struct ref_stack_config cfg;
	uint64_t now;
	uint8_t family;
	uint8_t laddr[16], paddr[16];
	uint16_t lport, pport;
	int lfd;             /* listening socket, -1 */
	int fd;              /* the connection's socket, -1 */
	uint32_t iss;        /* the stack's ISS, learnt from its SYN */
	uint32_t irs;        /* the peer's ISS */
	uint16_t pwnd;       /* the peer's window in the segments fx_seg builds */
	uint16_t peer_mss;   /* MSS option of the peer's SYN, 0 = none */
	struct fx_out *out;
	unsigned nout;       /* collected */
	unsigned next;       /* first not yet checked */
	struct ref_output *pop; /* scratch for ref_stack_pop_output */
};

/* Tweak the configuration before the stack is created (may be NULL). */
typedef void (*fx_tweak)(struct ref_stack_config *cfg);

/* A fresh stack (IPv4 / IPv6) with nothing open; the time is FX_T0. */
struct fx *fx_new(void);
struct fx *fx_new_cfg(uint8_t family, fx_tweak tweak);
void fx_free(struct fx *fx);

/* cmocka setup / teardown that put a struct fx in *state. */
int fx_setup(void **state);
int fx_setup6(void **state);
int fx_teardown(void **state);

static inline uint32_t fx_s(const struct fx *fx, uint32_t n) { return fx->iss + n; }
static inline uint32_t fx_p(const struct fx *fx, uint32_t n) { return fx->irs + n; }

/* ---- driving the stack ---------------------------------------------------------- */

/* A segment from the peer to the stack: addresses, ports, the given flags,
 * seq, ack, window fx->pwnd, no options, no payload. */
struct seg fx_seg(const struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack);
/* Set the payload of a template (borrowed). */
void fx_payload(struct seg *g, const void *data, size_t len);
/* Options (raw bytes and parsed view, as the codec would fill them). */
void fx_opt_mss(struct seg *g, uint16_t mss);
void fx_opt_raw(struct seg *g, const uint8_t *bytes, uint8_t n);
/* Deliver `g` at the current time and collect the outputs. */
void fx_in(struct fx *fx, const struct seg *g);
/* Shorthand: fx_seg + payload of `len` bytes (pattern 'a'.., or `data`) + fx_in. */
void fx_in_data(struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack, size_t len);
void fx_in_bytes(struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack, const void *data,
		 size_t len);
/* Move time forward by `us`, fire timers, collect outputs. */
void fx_advance(struct fx *fx, uint64_t us);
/* Move time to the next deadline (asserting there is one) and fire it. */
uint64_t fx_next_timer(struct fx *fx);
/* Collect whatever the stack queued (after a socket verb). */
void fx_collect(struct fx *fx);

/* ---- checking -------------------------------------------------------------------- */

/* The next unchecked segment must have exactly these flags, SEQ, ACK (0
 * when the ACK flag is not expected) and payload length. Returns it. */
const struct fx_out *fx_expect_(struct fx *fx, uint8_t flags, uint32_t seq, uint32_t ack,
				size_t len, const char *file, int line);
#define fx_expect(fx, flags, seq, ack, len) \
	fx_expect_((fx), (uint8_t)(flags), (seq), (ack), (len), __FILE__, __LINE__)
/* No unchecked segment is left. */
void fx_expect_none_(struct fx *fx, const char *file, int line);
#define fx_expect_none(fx) fx_expect_none_((fx), __FILE__, __LINE__)
/* Forget the unchecked segments. */
void fx_skip(struct fx *fx);
/* Unchecked segments left. */
unsigned fx_pending(const struct fx *fx);
/* The MSS option of an emitted segment, or -1. */
int fx_out_mss(const struct fx_out *o);
/* The state of the fixture's connection (by 4-tuple: also before accept()
 * and after close()); REF_CLOSED if there is none. */
enum ref_state fx_state(const struct fx *fx);
/* The TCB of the fixture's connection, or NULL. */
struct ref_sock *fx_conn(const struct fx *fx);
/* Whether the event log holds an event with this rule (and drain it). */
bool fx_event_seen(struct fx *fx, enum ref_rule rule);
/* Drain the event log. */
void fx_events_clear(struct fx *fx);

/* ---- putting a connection in a state ------------------------------------------------- */

/* socket + bind(FX_LPORT) + listen(backlog). */
void fx_listen(struct fx *fx, int backlog);
/* LISTEN, then the peer's SYN (with fx->peer_mss): SYN-RECEIVED (passive). */
void fx_syn_received_passive(struct fx *fx);
/* ... then the peer's ACK and accept(): ESTABLISHED, fx->fd set. */
void fx_established(struct fx *fx);
/* socket + connect(peer): SYN-SENT; fx->lport is the ephemeral port. */
void fx_syn_sent(struct fx *fx);
/* SYN-SENT, then the peer's SYN,ACK: ESTABLISHED (active). */
void fx_established_active(struct fx *fx);
/* SYN-SENT, then the peer's SYN without ACK: SYN-RECEIVED (active). */
void fx_syn_received_active(struct fx *fx);
/* ESTABLISHED, shutdown(SHUT_WR): FIN-WAIT-1 (the FIN not acknowledged). */
void fx_fin_wait_1(struct fx *fx);
/* FIN-WAIT-1, the peer ACKs the FIN: FIN-WAIT-2. */
void fx_fin_wait_2(struct fx *fx);
/* ESTABLISHED, the peer's FIN: CLOSE-WAIT. */
void fx_close_wait(struct fx *fx);
/* FIN-WAIT-1, the peer's FIN not acknowledging ours: CLOSING. */
void fx_closing(struct fx *fx);
/* CLOSE-WAIT, shutdown(SHUT_WR): LAST-ACK. */
void fx_last_ack(struct fx *fx);
/* FIN-WAIT-2, the peer's FIN: TIME-WAIT. */
void fx_time_wait(struct fx *fx);

/* Socket helpers. */
struct ref_sockaddr fx_peer_addr(const struct fx *fx);
struct ref_sockaddr fx_local_addr(const struct fx *fx, uint16_t port);
int fx_setopt(struct fx *fx, int fd, int opt, int v);
int fx_getopt(struct fx *fx, int fd, int opt);
long fx_write(struct fx *fx, size_t len);       /* len bytes of pattern on fx->fd */
long fx_read(struct fx *fx, void *buf, size_t len, int flags);

#endif
