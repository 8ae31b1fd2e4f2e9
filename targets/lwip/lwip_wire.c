/* Message encoding between the `lwip` target and its lwIP process; see
 * lwip_wire.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "targets/lwip/lwip_wire.h"

void wire_reset(struct wire_out *w)
{
	w->len = 0;
	w->oom = false;
}

void wire_free(struct wire_out *w)
{
	free(w->p);
	memset(w, 0, sizeof *w);
}

void wire_put(struct wire_out *w, const void *v, size_t n)
{
	if (w->oom || n == 0)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		uint8_t *p;
		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->p, cap);
		if (!p) {
			w->oom = true;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, v, n);
	w->len += n;
}

void wire_put_u8(struct wire_out *w, uint8_t v)
{
	wire_put(w, &v, 1);
}

void wire_put_u16(struct wire_out *w, uint16_t v)
{
	wire_put(w, &v, sizeof v);
}

void wire_put_u32(struct wire_out *w, uint32_t v)
{
	wire_put(w, &v, sizeof v);
}

void wire_put_u64(struct wire_out *w, uint64_t v)
{
	wire_put(w, &v, sizeof v);
}

void wire_put_bytes(struct wire_out *w, const void *v, size_t n)
{
	wire_put_u32(w, (uint32_t)n);
	wire_put(w, v, n);
}

void wire_put_str(struct wire_out *w, const char *s)
{
	wire_put_bytes(w, s ? s : "", s ? strlen(s) : 0);
}

void wire_get(struct wire_in *r, void *v, size_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		memset(v, 0, n);
		return;
	}
	memcpy(v, r->p + r->off, n);
	r->off += n;
}

uint8_t wire_get_u8(struct wire_in *r)
{
	uint8_t v;
	wire_get(r, &v, 1);
	return v;
}

uint16_t wire_get_u16(struct wire_in *r)
{
	uint16_t v;
	wire_get(r, &v, sizeof v);
	return v;
}

uint32_t wire_get_u32(struct wire_in *r)
{
	uint32_t v;
	wire_get(r, &v, sizeof v);
	return v;
}

uint64_t wire_get_u64(struct wire_in *r)
{
	uint64_t v;
	wire_get(r, &v, sizeof v);
	return v;
}

const uint8_t *wire_get_bytes(struct wire_in *r, size_t *n)
{
	uint32_t len = wire_get_u32(r);
	const uint8_t *p;
	*n = 0;
	if (r->bad || len > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += len;
	*n = len;
	return p;
}

void wire_get_str(struct wire_in *r, char *buf, size_t cap)
{
	size_t n;
	const uint8_t *p = wire_get_bytes(r, &n);
	if (cap == 0)
		return;
	if (!p)
		n = 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(buf, p, n);
	buf[n] = '\0';
}

void wire_put_call(struct wire_out *w, const struct tgt_call *c)
{
	size_t i, npfds = c->npfds < WIRE_MAX_PFDS ? c->npfds : WIRE_MAX_PFDS;
	wire_put_u32(w, (uint32_t)c->verb);
	wire_put_u32(w, (uint32_t)c->fd);
	wire_put_u32(w, (uint32_t)c->domain);
	wire_put_u32(w, (uint32_t)c->type);
	wire_put_u32(w, (uint32_t)c->protocol);
	wire_put_u16(w, c->port);
	wire_put_u32(w, (uint32_t)c->backlog);
	wire_put_u32(w, (uint32_t)c->how);
	wire_put_bytes(w, c->data, c->data ? c->len : 0);
	wire_put_u64(w, c->len);
	wire_put_str(w, c->flags);
	wire_put_str(w, c->level);
	wire_put_str(w, c->name);
	wire_put_u64(w, (uint64_t)c->ival);
	wire_put_u64(w, (uint64_t)c->ival2);
	wire_put_u64(w, (uint64_t)c->timeout_ms);
	wire_put_u32(w, (uint32_t)npfds);
	for (i = 0; i < npfds; i++) {
		wire_put_u32(w, (uint32_t)c->pfds[i].fd);
		wire_put_u32(w, c->pfds[i].events);
	}
}

void wire_get_call(struct wire_in *r, struct tgt_call *c, char strs[3][64], struct tgt_pollfd *pfds)
{
	size_t i, n;
	memset(c, 0, sizeof *c);
	c->verb = (enum tgt_verb)wire_get_u32(r);
	c->fd = (int)wire_get_u32(r);
	c->domain = (int)wire_get_u32(r);
	c->type = (int)wire_get_u32(r);
	c->protocol = (int)wire_get_u32(r);
	c->port = wire_get_u16(r);
	c->backlog = (int)wire_get_u32(r);
	c->how = (int)wire_get_u32(r);
	c->data = wire_get_bytes(r, &n);
	c->len = (size_t)wire_get_u64(r);
	if (c->data && c->len > n)
		c->len = n;
	wire_get_str(r, strs[0], 64);
	wire_get_str(r, strs[1], 64);
	wire_get_str(r, strs[2], 64);
	c->flags = strs[0];
	c->level = strs[1];
	c->name = strs[2];
	c->ival = (int64_t)wire_get_u64(r);
	c->ival2 = (int64_t)wire_get_u64(r);
	c->timeout_ms = (int64_t)wire_get_u64(r);
	n = wire_get_u32(r);
	c->npfds = n < WIRE_MAX_PFDS ? n : WIRE_MAX_PFDS;
	for (i = 0; i < c->npfds; i++) {
		pfds[i].fd = (int)wire_get_u32(r);
		pfds[i].events = wire_get_u32(r);
		pfds[i].revents = 0;
	}
	c->pfds = c->npfds ? pfds : NULL;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;
	while (n > 0) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -EPIPE;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n > 0) {
		ssize_t k = read(fd, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -EPIPE;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int wire_send(int fd, const struct wire_out *w)
{
	uint32_t n = (uint32_t)w->len;
	int rc;
	if (w->oom)
		return -ENOMEM;
	rc = write_all(fd, &n, sizeof n);
	return rc ? rc : write_all(fd, w->p, w->len);
}

int wire_recv(int fd, struct wire_out *buf)
{
	uint32_t n;
	int rc = read_all(fd, &n, sizeof n);
	if (rc)
		return rc;
	if (n > WIRE_MAX_MSG)
		return -EPROTO;
	wire_reset(buf);
	if (n > buf->cap) {
		uint8_t *p = realloc(buf->p, n);
		if (!p)
			return -ENOMEM;
		buf->p = p;
		buf->cap = n;
	}
	buf->len = n;
	return n ? read_all(fd, buf->p, n) : 0;
}
