/* Network namespaces and sysctls for the Linux targets; see lx_int.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "targets/linux/lx_int.h"

static int open_ns_fd(void)
{
	int fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int lx_ns_create(int *orig, int *ns, char *why, size_t cap)
{
	int o = open_ns_fd(), n;
	if (o < 0) {
		snprintf(why, cap, "cannot open /proc/thread-self/ns/net: %s", strerror(-o));
		return o;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		int e = errno;
		snprintf(why, cap, "cannot create a network namespace (unshare): %s%s", strerror(e),
			 e == EPERM ? " (needs CAP_SYS_ADMIN and CAP_NET_ADMIN)" : "");
		close(o);
		return -e;
	}
	n = open_ns_fd();
	if (n < 0) {
		snprintf(why, cap, "cannot open the new namespace: %s", strerror(-n));
		lx_ns_leave(o);
		return n;
	}
	*orig = o;
	*ns = n;
	return 0;
}

int lx_ns_enter(int ns)
{
	return setns(ns, CLONE_NEWNET) == 0 ? 0 : -errno;
}

void lx_ns_leave(int orig)
{
	if (orig < 0)
		return;
	(void)setns(orig, CLONE_NEWNET); /* back where the thread came from */
	close(orig);
}

static void sysctl_path(const char *path, char *buf, size_t cap)
{
	size_t i, n;
	n = (size_t)snprintf(buf, cap, "/proc/sys/%s", path);
	for (i = 10; i < n && i < cap; i++)
		if (buf[i] == '.')
			buf[i] = '/';
}

int lx_sysctl_write(const char *path, const char *value)
{
	char p[256];
	ssize_t w;
	size_t len = strlen(value);
	int fd, rc = 0;
	sysctl_path(path, p, sizeof p);
	fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	w = write(fd, value, len);
	if (w < 0)
		rc = -errno;
	else if ((size_t)w != len)
		rc = -EIO;
	close(fd);
	return rc;
}

int lx_sysctl_read(const char *path, char *buf, size_t cap)
{
	char p[256];
	ssize_t n;
	int fd;
	sysctl_path(path, p, sizeof p);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}
