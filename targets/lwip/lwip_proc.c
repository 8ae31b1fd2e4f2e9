/* The processes behind the `lwip` target; see lwip_target.h ("Isolation").
 *
 * A zygote is forked once, while the harness is still single-threaded
 * (tgt_ops.available runs before the runner starts its threads; open()
 * starts it too if needed). It has never run lwIP, so its lwIP globals are
 * the pristine ones of the binary image. For each target instance it forks
 * a child, which runs one lwIP over one end of a socketpair, and passes the
 * other end back (SCM_RIGHTS). Children and zygote end when their socket
 * reaches EOF; the zygote ignores SIGCHLD, so the kernel reaps children. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "targets/lwip/lwip_proc.h"
#include "targets/lwip/lwip_stack.h"
#include "targets/lwip/lwip_wire.h"

/* ---- the child: one lwIP, serving requests --------------------------------- */

static void put_packets(struct wire_out *w)
{
	struct lws_packet p;
	size_t at = w->len, n = 0;
	wire_put_u32(w, 0);
	while (w->len < (8u << 20) && lws_pop(&p) == 1) {
		wire_put_u64(w, p.time_us);
		wire_put_bytes(w, p.bytes, p.len);
		n++;
	}
	if (!w->oom)
		memcpy(w->p + at, &(uint32_t){(uint32_t)n}, 4);
}

static void put_result(struct wire_out *w, const struct tgt_result *res, const struct tgt_call *c)
{
	size_t i;
	wire_put_u64(w, (uint64_t)res->ret);
	wire_put_u32(w, (uint32_t)res->err);
	wire_put_u64(w, (uint64_t)res->ival);
	wire_put_u64(w, (uint64_t)res->ival2);
	wire_put_bytes(w, res->data, res->data ? res->data_len : 0);
	wire_put_u32(w, c ? (uint32_t)c->npfds : 0u);
	for (i = 0; c && i < c->npfds; i++)
		wire_put_u32(w, c->pfds[i].revents);
}

static int op_open(struct wire_in *r)
{
	struct lws_config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.family = wire_get_u8(r);
	wire_get(r, cfg.local, 16);
	wire_get(r, cfg.remote, 16);
	cfg.seed = wire_get_u64(r);
	cfg.mtu = wire_get_u16(r);
	cfg.nodelay = wire_get_u8(r) != 0;
	return r->bad ? -EPROTO : lws_open(&cfg);
}

/* What a call's poll entries live in until the call completes. */
static struct tgt_call pending_call;
static struct tgt_pollfd pending_pfds[WIRE_MAX_PFDS];
static char pending_strs[3][64];

static void serve_one(struct wire_in *r, struct wire_out *w)
{
	uint8_t op = wire_get_u8(r);
	struct tgt_result res;
	int rc = -EPROTO;
	char name[32] = "";
	bool with_result = false;
	memset(&res, 0, sizeof res);
	switch (op) {
	case WIRE_OPEN:
		rc = op_open(r);
		break;
	case WIRE_INJECT:
		rc = lws_inject(r->p + r->off, r->len - r->off);
		break;
	case WIRE_ADVANCE:
		rc = lws_advance(wire_get_u64(r));
		break;
	case WIRE_CALL:
		wire_get_call(r, &pending_call, pending_strs, pending_pfds);
		rc = r->bad ? -EPROTO : lws_call(&pending_call, &res);
		with_result = rc == 0;
		break;
	case WIRE_FINISH:
		rc = lws_finish(&res);
		with_result = rc == 0;
		break;
	case WIRE_STATE: {
		uint16_t lp = wire_get_u16(r), rp = wire_get_u16(r);
		rc = lws_state(lp, rp, name, sizeof name);
		break;
	}
	default:
		break;
	}
	wire_reset(w);
	wire_put_u32(w, (uint32_t)rc);
	wire_put_u64(w, lws_now());
	wire_put_u64(w, lws_next_deadline());
	wire_put_str(w, lws_failure());
	put_packets(w);
	if (with_result)
		put_result(w, &res, &pending_call);
	if (op == WIRE_STATE && rc == 0)
		wire_put_str(w, name);
}

static void serve(int fd)
{
	struct wire_out in = {0}, out = {0};
	for (;;) {
		struct wire_in r;
		if (wire_recv(fd, &in) != 0)
			break;
		r = (struct wire_in){.p = in.p, .len = in.len};
		serve_one(&r, &out);
		if (wire_send(fd, &out) != 0)
			break;
	}
	_exit(0); /* a child process ends here, never the harness */
}

/* ---- the zygote --------------------------------------------------------------- */

static void close_fds_except(int keep)
{
	int fd, max = (int)sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		if (fd != keep)
			close(fd);
}

static int send_fd(int sock, int fd)
{
	char byte = 'f';
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m;
	struct cmsghdr *cm;
	memset(&m, 0, sizeof m);
	memset(&u, 0, sizeof u);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof u.buf;
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof fd);
	return sendmsg(sock, &m, MSG_NOSIGNAL) == 1 ? 0 : -errno;
}

static int recv_fd(int sock, int *fd)
{
	char byte;
	struct iovec iov = {.iov_base = &byte, .iov_len = 1};
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr m;
	struct cmsghdr *cm;
	memset(&m, 0, sizeof m);
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = u.buf;
	m.msg_controllen = sizeof u.buf;
	if (recvmsg(sock, &m, MSG_CMSG_CLOEXEC) != 1)
		return -EPIPE;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -EPROTO;
	memcpy(fd, CMSG_DATA(cm), sizeof *fd);
	return 0;
}

static void zygote(int ctl)
{
	signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
	signal(SIGPIPE, SIG_IGN);
	close_fds_except(ctl);
	for (;;) {
		char req;
		int sp[2];
		pid_t pid;
		ssize_t k = read(ctl, &req, 1);
		if (k < 0 && errno == EINTR)
			continue;
		if (k != 1)
			break;
		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) != 0) {
			(void)!write(ctl, "x", 1);
			continue;
		}
		pid = fork();
		if (pid == 0) {
			close(ctl);
			close(sp[0]);
			serve(sp[1]);
		}
		if (pid > 0)
			send_fd(ctl, sp[0]);
		else
			(void)!write(ctl, "x", 1); /* no fd: the parent sees -EPROTO */
		close(sp[0]);
		close(sp[1]);
	}
	_exit(0);
}

static pthread_mutex_t zlock = PTHREAD_MUTEX_INITIALIZER;
static int zfd = -1;

static int start_zygote_locked(void)
{
	int sp[2];
	pid_t pid;
	if (zfd >= 0)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
		return -errno;
	fflush(NULL); /* nothing buffered may be written twice */
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sp[0]);
		close(sp[1]);
		return -e;
	}
	if (pid == 0) {
		close(sp[0]);
		zygote(sp[1]);
	}
	close(sp[1]);
	zfd = sp[0];
	return 0;
}

int lwp_prepare(void)
{
	int rc;
	pthread_mutex_lock(&zlock);
	rc = start_zygote_locked();
	pthread_mutex_unlock(&zlock);
	return rc;
}

int lwp_spawn(int *fd)
{
	int rc;
	pthread_mutex_lock(&zlock);
	rc = start_zygote_locked();
	if (rc == 0)
		rc = send(zfd, "s", 1, MSG_NOSIGNAL) == 1 ? 0 : -EPIPE;
	if (rc == 0)
		rc = recv_fd(zfd, fd);
	if (rc == -EPIPE) { /* the zygote is gone: start another next time */
		close(zfd);
		zfd = -1;
	}
	pthread_mutex_unlock(&zlock);
	return rc;
}
