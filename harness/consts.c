/* Constant and errno tables; see consts.h. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "harness/consts.h"

struct named {
	const char *name;
	int64_t value;
};

#define N(x) { #x, x }

static const struct named consts[] = {
	N(AF_INET), N(AF_INET6), N(AF_UNSPEC), N(PF_INET), N(PF_INET6),
	N(SOCK_STREAM), N(SOCK_DGRAM), N(SOCK_NONBLOCK), N(SOCK_CLOEXEC),
	N(IPPROTO_TCP), N(IPPROTO_IP), N(IPPROTO_IPV6), N(SOL_SOCKET), { "SOL_TCP", IPPROTO_TCP },
	N(O_RDONLY), N(O_WRONLY), N(O_RDWR), N(O_NONBLOCK),
	N(F_GETFL), N(F_SETFL), N(F_GETFD), N(F_SETFD),
	N(SHUT_RD), N(SHUT_WR), N(SHUT_RDWR),
	N(MSG_OOB), N(MSG_PEEK), N(MSG_DONTWAIT), N(MSG_WAITALL), N(MSG_NOSIGNAL), N(MSG_EOR),
	N(MSG_MORE), N(MSG_TRUNC),
	N(POLLIN), N(POLLPRI), N(POLLOUT), N(POLLERR), N(POLLHUP), N(POLLNVAL), N(POLLRDNORM),
	N(POLLWRNORM), { "POLLRDHUP", 0x2000 },
	N(SIOCATMARK), N(FIONREAD),
	N(SO_ERROR), N(SO_KEEPALIVE), N(SO_RCVBUF), N(SO_SNDBUF), N(SO_LINGER), N(SO_REUSEADDR),
	N(SO_REUSEPORT), N(SO_OOBINLINE), N(SO_RCVLOWAT), N(SO_SNDLOWAT), N(SO_TYPE),
	N(TCP_NODELAY), N(TCP_MAXSEG), N(TCP_KEEPIDLE), N(TCP_KEEPINTVL), N(TCP_KEEPCNT),
	N(TCP_USER_TIMEOUT), N(TCP_CORK), N(TCP_NOTSENT_LOWAT), N(TCP_QUICKACK),
	N(TCP_DEFER_ACCEPT), N(TCP_SYNCNT), N(TCP_WINDOW_CLAMP),
	N(IP_TOS), N(IP_TTL), N(IP_RECVERR), N(IPV6_TCLASS), N(IPV6_UNICAST_HOPS),
	N(IPV6_V6ONLY), N(IPV6_RECVERR),
	N(INADDR_ANY),
};

static const struct named errnos[] = {
	N(EPERM), N(ENOENT), N(EINTR), N(EIO), N(EBADF), N(EAGAIN), N(ENOMEM), N(EACCES),
	N(EFAULT), N(EBUSY), N(EEXIST), N(EINVAL), N(ENFILE), N(EMFILE), N(ENOSPC), N(EPIPE),
	N(ERANGE), N(ENOSYS), N(ENOTSOCK), N(EDESTADDRREQ), N(EMSGSIZE), N(EPROTOTYPE),
	N(ENOPROTOOPT), N(EPROTONOSUPPORT), N(EOPNOTSUPP), N(EAFNOSUPPORT), N(EADDRINUSE),
	N(EADDRNOTAVAIL), N(ENETDOWN), N(ENETUNREACH), N(ENETRESET), N(ECONNABORTED),
	N(ECONNRESET), N(ENOBUFS), N(EISCONN), N(ENOTCONN), N(ESHUTDOWN), N(ETIMEDOUT),
	N(ECONNREFUSED), N(EHOSTDOWN), N(EHOSTUNREACH), N(EALREADY), N(EINPROGRESS),
	N(EPROTO), N(ENODATA), N(EOVERFLOW), N(ENOTTY),
};

static const struct named *find(const struct named *t, size_t n, const char *name)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	return NULL;
}

bool const_lookup(const char *name, int64_t *out)
{
	const struct named *c = find(consts, sizeof consts / sizeof consts[0], name);
	if (!c)
		return false;
	*out = c->value;
	return true;
}

int errno_from_name(const char *name)
{
	const struct named *c = find(errnos, sizeof errnos / sizeof errnos[0], name);
	if (!c && strcmp(name, "EWOULDBLOCK") == 0)
		return EAGAIN;
	return c ? (int)c->value : 0;
}

const char *errno_name(int err)
{
	size_t i;
	for (i = 0; i < sizeof errnos / sizeof errnos[0]; i++)
		if (errnos[i].value == err)
			return errnos[i].name;
	return "E?";
}
