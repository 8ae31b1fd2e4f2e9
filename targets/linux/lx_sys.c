/* Socket verbs on their own thread; see lx_int.h.
 *
 * Every verb runs on one thread per target instance, started inside the
 * stack's namespace. The caller hands it a verb and watches: when the verb
 * completes, the result comes back at once; when the thread is seen
 * sleeping in the kernel (state S in /proc, the test packetdrill uses)
 * the verb blocks, and the caller returns -EINPROGRESS and asks again
 * later. Completion is also signalled on an eventfd, so the target's
 * clock wait wakes up for it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "targets/linux/lx_int.h"

#define LX_MAX_FD 1024
#define LX_RBUF	  (1u << 20)

struct lx_sys {
	struct lx_sysenv env;
	pthread_t th;
	atomic_int tid;
	int efd;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool has_job;	     /* under mu */
	bool quit;	     /* under mu */
	atomic_bool started; /* the verb is about to enter the kernel */
	atomic_bool done;    /* the verb returned; `res` is written */
	bool pending;	     /* the caller saw it block */
	struct tgt_call call;
	char flags[64], level[48], name[48];
	struct pollfd pfds[16];
	struct tgt_pollfd *user_pfds;
	struct tgt_result res;
	uint8_t *rbuf;
	bool mine[LX_MAX_FD]; /* descriptors the verbs opened */
};

/* ---- names to values ---------------------------------------------------------- */

/* "MSG_OOB|MSG_PEEK", "0", "" to a value; unknown names are -ENOENT. */
static int names_value(const char *text, long *out)
{
	char buf[128], *save = NULL, *tok;
	long acc = 0, v;
	if (!text || !*text) {
		*out = 0;
		return 0;
	}
	snprintf(buf, sizeof buf, "%s", text);
	for (tok = strtok_r(buf, "| ", &save); tok; tok = strtok_r(NULL, "| ", &save)) {
		char *end;
		v = strtol(tok, &end, 0);
		if (*end && lx_name_value(tok, &v) != 0)
			return -ENOENT;
		acc |= v;
	}
	*out = acc;
	return 0;
}

/* ---- the verbs ------------------------------------------------------------------- */

static int64_t sysret(long r)
{
	return r < 0 ? -(int64_t)errno : (int64_t)r;
}

static socklen_t sockaddr_of(const struct lx_sys *s, int fd, const uint8_t *ip, uint16_t port,
			     struct sockaddr_storage *ss)
{
	int domain = AF_INET;
	socklen_t len = sizeof domain;
	memset(ss, 0, sizeof *ss);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0)
		domain = s->env.family == 6 ? AF_INET6 : AF_INET;
	if (domain == AF_INET6) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		if (s->env.family == 4) { /* IPv4-mapped */
			a->sin6_addr.s6_addr[10] = 0xff;
			a->sin6_addr.s6_addr[11] = 0xff;
			memcpy(&a->sin6_addr.s6_addr[12], ip, 4);
		} else {
			memcpy(&a->sin6_addr, ip, 16);
		}
		return sizeof *a;
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = htons(port);
	memcpy(&((struct sockaddr_in *)ss)->sin_addr, ip, 4);
	return sizeof(struct sockaddr_in);
}

static void track(struct lx_sys *s, int64_t fd, bool open)
{
	if (fd >= 0 && fd < LX_MAX_FD)
		s->mine[fd] = open;
}

static int64_t verb_socket(struct lx_sys *s, const struct tgt_call *c)
{
	int fd = socket(c->domain, c->type, c->protocol), v;
	if (fd < 0)
		return -errno;
	track(s, fd, true);
	if (s->env.nodelay >= 0) {
		v = s->env.nodelay;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, sizeof v);
	}
	if (s->env.congestion[0])
		setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, s->env.congestion,
			   (socklen_t)strlen(s->env.congestion));
	if (s->env.rcvbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &s->env.rcvbuf, sizeof s->env.rcvbuf);
	if (s->env.sndbuf > 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &s->env.sndbuf, sizeof s->env.sndbuf);
	return fd;
}

static int64_t verb_addr(struct lx_sys *s, const struct tgt_call *c, bool local)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(s, c->fd, local ? s->env.local : s->env.remote, c->port, &ss);
	if (local)
		return sysret(bind(c->fd, (struct sockaddr *)&ss, len));
	return sysret(connect(c->fd, (struct sockaddr *)&ss, len));
}

static int64_t verb_io(struct lx_sys *s, const struct tgt_call *c, struct tgt_result *res)
{
	long flags;
	ssize_t n;
	if (names_value(c->flags, &flags) != 0)
		return -EINVAL;
	if (c->verb == TGT_SEND)
		return sysret(send(c->fd, c->data, c->len, (int)flags | MSG_NOSIGNAL));
	n = recv(c->fd, s->rbuf, c->len < LX_RBUF ? c->len : LX_RBUF, (int)flags);
	if (n > 0) {
		res->data = s->rbuf;
		res->data_len = (size_t)n;
	}
	return sysret(n);
}

static int sockopt_names(const struct tgt_call *c, long *level, long *name)
{
	if (!c->level || !c->name || lx_name_value(c->level, level) != 0 ||
	    lx_name_value(c->name, name) != 0)
		return -ENOPROTOOPT;
	return 0;
}

static int64_t verb_sockopt(const struct tgt_call *c, struct tgt_result *res)
{
	long level, name;
	struct linger l;
	int v = (int)c->ival;
	socklen_t len;
	int64_t r;
	if (sockopt_names(c, &level, &name) != 0)
		return -ENOPROTOOPT;
	if (level == SOL_SOCKET && name == SO_LINGER) {
		l.l_onoff = (int)c->ival;
		l.l_linger = (int)c->ival2;
		if (c->verb == TGT_SETSOCKOPT)
			return sysret(setsockopt(c->fd, (int)level, (int)name, &l, sizeof l));
		len = sizeof l;
		r = sysret(getsockopt(c->fd, (int)level, (int)name, &l, &len));
		res->ival = l.l_onoff;
		res->ival2 = l.l_linger;
		return r;
	}
	if (c->verb == TGT_SETSOCKOPT)
		return sysret(setsockopt(c->fd, (int)level, (int)name, &v, sizeof v));
	len = sizeof v;
	r = sysret(getsockopt(c->fd, (int)level, (int)name, &v, &len));
	res->ival = v;
	return r;
}

static int64_t verb_ctl(const struct tgt_call *c, struct tgt_result *res)
{
	long req;
	int v = 0;
	int64_t r;
	if (!c->name || lx_name_value(c->name, &req) != 0)
		return c->verb == TGT_IOCTL ? -ENOTTY : -EINVAL;
	if (c->verb == TGT_FCNTL)
		return sysret(fcntl(c->fd, (int)req, (int)c->ival));
	r = sysret(ioctl(c->fd, (unsigned long)req, &v));
	res->ival = v;
	return r;
}

static int64_t verb_poll(struct lx_sys *s, const struct tgt_call *c)
{
	size_t i, n = c->npfds < 16 ? c->npfds : 16;
	int64_t r;
	for (i = 0; i < n; i++) {
		s->pfds[i].fd = c->pfds[i].fd;
		s->pfds[i].events = (short)c->pfds[i].events;
		s->pfds[i].revents = 0;
	}
	r = sysret(poll(s->pfds, n, (int)c->timeout_ms));
	for (i = 0; i < n; i++)
		c->pfds[i].revents = (uint16_t)s->pfds[i].revents;
	return r;
}

static int64_t do_verb(struct lx_sys *s, const struct tgt_call *c, struct tgt_result *res)
{
	int64_t r;
	switch (c->verb) {
	case TGT_SOCKET:
		return verb_socket(s, c);
	case TGT_BIND:
		return verb_addr(s, c, true);
	case TGT_CONNECT:
		return verb_addr(s, c, false);
	case TGT_LISTEN:
		return sysret(listen(c->fd, c->backlog));
	case TGT_ACCEPT:
		r = sysret(accept(c->fd, NULL, NULL));
		track(s, r, true);
		return r;
	case TGT_SEND:
	case TGT_RECV:
		return verb_io(s, c, res);
	case TGT_SHUTDOWN:
		return sysret(shutdown(c->fd, c->how));
	case TGT_CLOSE:
		r = sysret(close(c->fd));
		track(s, c->fd, false);
		return r;
	case TGT_SETSOCKOPT:
	case TGT_GETSOCKOPT:
		return verb_sockopt(c, res);
	case TGT_FCNTL:
	case TGT_IOCTL:
		return verb_ctl(c, res);
	case TGT_POLL:
		return verb_poll(s, c);
	default:
		return -EINVAL;
	}
}

/* ---- the thread ---------------------------------------------------------------------- */

static void wake_handler(int sig)
{
	(void)sig;
}

static int wake_signal(void)
{
	return SIGRTMIN + 7;
}

static void install_wake(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = wake_handler; /* no SA_RESTART: a blocked verb gets EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(wake_signal(), &sa, NULL);
}

static void *worker(void *arg)
{
	struct lx_sys *s = arg;
	uint64_t one = 1;
	atomic_store(&s->tid, (int)gettid());
	for (;;) {
		int64_t v;
		pthread_mutex_lock(&s->mu);
		while (!s->has_job && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->quit) {
			pthread_mutex_unlock(&s->mu);
			return NULL;
		}
		s->has_job = false;
		memset(&s->res, 0, sizeof s->res);
		atomic_store(&s->started, true);
		pthread_mutex_unlock(&s->mu);
		v = do_verb(s, &s->call, &s->res);
		s->res.ret = v < 0 ? -1 : v;
		s->res.err = v < 0 ? (int)-v : 0;
		atomic_store(&s->done, true);
		if (write(s->efd, &one, sizeof one) < 0) {
			/* the counter cannot overflow here; nothing to do */
		}
	}
}

int lx_sys_start(const struct lx_sysenv *env, struct lx_sys **out, int *efd)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct lx_sys *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	pthread_once(&once, install_wake);
	s->env = *env;
	s->rbuf = malloc(LX_RBUF);
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (!s->rbuf || s->efd < 0 || pthread_create(&s->th, NULL, worker, s) != 0) {
		if (s->efd >= 0)
			close(s->efd);
		free(s->rbuf);
		free(s);
		return -ENOMEM;
	}
	*out = s;
	*efd = s->efd;
	return 0;
}

/* Is the thread asleep in the kernel (state S)? */
static bool thread_sleeping(const struct lx_sys *s)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;
	snprintf(path, sizeof path, "/proc/self/task/%d/stat", atomic_load(&s->tid));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

static void take_result(struct lx_sys *s, struct tgt_result *res)
{
	*res = s->res;
	if (s->user_pfds)
		s->user_pfds = NULL;
	s->pending = false;
}

int lx_sys_call(struct lx_sys *s, const struct tgt_call *c, struct tgt_result *res)
{
	struct timespec pause = {0, 20000};
	if (s->pending)
		return -EBUSY;
	pthread_mutex_lock(&s->mu);
	s->call = *c;
	snprintf(s->flags, sizeof s->flags, "%s", c->flags ? c->flags : "");
	snprintf(s->level, sizeof s->level, "%s", c->level ? c->level : "");
	snprintf(s->name, sizeof s->name, "%s", c->name ? c->name : "");
	s->call.flags = s->flags;
	s->call.level = s->level;
	s->call.name = s->name;
	atomic_store(&s->started, false);
	atomic_store(&s->done, false);
	s->has_job = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	for (;;) {
		if (atomic_load(&s->done)) {
			take_result(s, res);
			return 0;
		}
		if (atomic_load(&s->started) && thread_sleeping(s) && !atomic_load(&s->done)) {
			s->pending = true;
			return -EINPROGRESS;
		}
		nanosleep(&pause, NULL);
	}
}

int lx_sys_finish(struct lx_sys *s, struct tgt_result *res)
{
	if (!s->pending)
		return -EINVAL;
	if (!atomic_load(&s->done))
		return -EINPROGRESS;
	take_result(s, res);
	return 0;
}

void lx_sys_stop(struct lx_sys *s)
{
	struct timespec pause = {0, 1000000};
	int i;
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = true;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	/* A verb still blocked in the kernel is interrupted (EINTR). */
	while (atomic_load(&s->started) && !atomic_load(&s->done)) {
		pthread_kill(s->th, wake_signal());
		nanosleep(&pause, NULL);
	}
	pthread_join(s->th, NULL);
	for (i = 0; i < LX_MAX_FD; i++)
		if (s->mine[i])
			close(i);
	close(s->efd);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	free(s->rbuf);
	free(s);
}
