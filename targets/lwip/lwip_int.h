/* Internals shared by lwip_stack.c (lwIP, netif, time) and lwip_sock.c
 * (the descriptor table). Not an interface. */
#ifndef TCPCHECK_TARGETS_LWIP_INT_H
#define TCPCHECK_TARGETS_LWIP_INT_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include <lwip/ip_addr.h>

#include "targets/lwip/lwip_stack.h"

/* The instance (one per process). */
struct lws {
	struct lws_config cfg;
	uint64_t now_us;
	ip_addr_t local_ip;
	ip_addr_t remote_ip;
	uint64_t rand_state;
	bool failed; /* an lwIP assertion fired */
	char failure[384];
	jmp_buf *guard; /* where an assertion unwinds to, or NULL */
};

extern struct lws lws_g;

/* Run `expr` (which enters lwIP) under the assertion guard: evaluates to
 * -ENOTRECOVERABLE if lwIP asserted (now or before). */
#define LWS_GUARDED(rc, expr)                    \
	do {                                     \
		jmp_buf jb_;                     \
		if (lws_g.failed) {              \
			(rc) = -ENOTRECOVERABLE; \
			break;                   \
		}                                \
		lws_g.guard = &jb_;              \
		if (setjmp(jb_) == 0)            \
			(rc) = (expr);           \
		else                             \
			(rc) = -ENOTRECOVERABLE; \
		lws_g.guard = NULL;              \
	} while (0)

/* lwip_sock.c: the verbs, unguarded (lwip_stack.c guards them). */
int lws_sock_call(const struct tgt_call *c, struct tgt_result *res);
int lws_sock_finish(struct tgt_result *res);
/* lwip_sock.c: let go of the pcbs lwIP has put in TIME-WAIT. A socket
 * that only shut down its sending side still holds its pcb when the
 * peer's FIN takes it to TIME-WAIT, and tcp_slowtmr() frees TIME-WAIT pcbs
 * 2 MSL later without any callback: the socket would keep a dangling
 * pointer (found by fuzz_lwip; docs/findings/lwip.md lwip-tw-free).
 * Called after every packet lwIP takes in. */
void lws_sock_sweep(void);

/* lwip_sock.c: forget every descriptor (their pbufs are freed with lwIP's
 * blocks) and the pending verb. */
void lws_sock_reset(void);

/* lwip_mem.c: free every block lwIP holds; copy lwIP's pristine globals
 * (once, before lwIP first runs) and put them back. 0, -ENOTSUP (the
 * build lacks port/lwip_state.ld), -ENOMEM. */
void lws_mem_free_all(void);
int lws_mem_snapshot(void);
int lws_mem_restore(void);

#endif
