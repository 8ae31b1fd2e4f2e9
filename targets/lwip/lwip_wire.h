/* The messages between the `lwip` target (in the harness) and the process
 * that runs lwIP for it (lwip_proc.c). Both ends are the same binary on the
 * same machine, so values travel in host order. A message is a u32 length
 * and that many bytes.
 *
 * Request: u8 op, then by op:
 *   OPEN    family u8, local[16], remote[16], seed u64, mtu u16, nodelay u8
 *   INJECT  bytes (the rest)
 *   ADVANCE to_us u64
 *   CALL    a serialised tgt_call (wire_put_call)
 *   FINISH  -
 *   STATE   local_port u16, remote_port u16
 * Reply: rc i32, now u64, next_deadline u64, failure string (empty if
 *   none), packets u32 n then n x (time u64, len u32, bytes), then by op:
 *   CALL, FINISH (rc 0): ret i64, err i32, ival i64, ival2 i64, data, npfds
 *     u32 and each revents u32;  STATE (rc 0): the state name. */
#ifndef TCPCHECK_TARGETS_LWIP_WIRE_H
#define TCPCHECK_TARGETS_LWIP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets/target.h"

enum wire_op {
	WIRE_OPEN = 1,
	WIRE_INJECT,
	WIRE_ADVANCE,
	WIRE_CALL,
	WIRE_FINISH,
	WIRE_STATE,
};

#define WIRE_MAX_MSG  (16u << 20) /* larger is a broken peer */
#define WIRE_MAX_PFDS 16

/* A growable output buffer; `oom` once an allocation failed. */
struct wire_out {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

/* A reader over received bytes; `bad` once it ran past the end. */
struct wire_in {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

void wire_reset(struct wire_out *w); /* len = 0, keeps the buffer */
void wire_free(struct wire_out *w);
void wire_put(struct wire_out *w, const void *v, size_t n);
void wire_put_u8(struct wire_out *w, uint8_t v);
void wire_put_u16(struct wire_out *w, uint16_t v);
void wire_put_u32(struct wire_out *w, uint32_t v);
void wire_put_u64(struct wire_out *w, uint64_t v);
void wire_put_bytes(struct wire_out *w, const void *v, size_t n); /* u32 n + bytes */
void wire_put_str(struct wire_out *w, const char *s);		  /* NULL as "" */

void wire_get(struct wire_in *r, void *v, size_t n);
uint8_t wire_get_u8(struct wire_in *r);
uint16_t wire_get_u16(struct wire_in *r);
uint32_t wire_get_u32(struct wire_in *r);
uint64_t wire_get_u64(struct wire_in *r);
/* u32 n + bytes: a pointer into the message (valid while it is), or NULL. */
const uint8_t *wire_get_bytes(struct wire_in *r, size_t *n);
/* Copies a string into buf (truncated, NUL-terminated). */
void wire_get_str(struct wire_in *r, char *buf, size_t cap);

/* A tgt_call. On reading, strings go to `strs` (3 x 64 bytes) and pfds
 * to `pfds` (WIRE_MAX_PFDS); `data` points into the message. */
void wire_put_call(struct wire_out *w, const struct tgt_call *c);
void wire_get_call(struct wire_in *r, struct tgt_call *c, char strs[3][64],
		   struct tgt_pollfd *pfds);

/* Send one message (the u32 length first); read one into `buf` (grown as
 * needed). 0, or a negative errno (-EPIPE when the peer is gone). */
int wire_send(int fd, const struct wire_out *w);
int wire_recv(int fd, struct wire_out *buf);

#endif
