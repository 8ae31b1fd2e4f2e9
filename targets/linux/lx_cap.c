/* AF_PACKET capture (with kernel receive timestamps) and injection, and
 * the TAP device; see lx_int.h. */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "targets/linux/lx_int.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

int lx_cap_open(int ifindex, bool outgoing, int *fd)
{
	struct sockaddr_ll sll;
	int one = 1;
	/* Protocol 0 at socket(), ETH_P_ALL at bind(): a socket that already
	 * listens would be unhooked first, which waits for an RCU grace
	 * period (~10 ms on the critical path). */
	int s = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&sll, 0, sizeof sll);
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	if (setsockopt(s, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0 ||
	    (!outgoing && setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one)) ||
	    bind(s, (struct sockaddr *)&sll, sizeof sll) != 0) {
		int e = errno;
		close(s);
		return -e;
	}
	*fd = s;
	return 0;
}

static uint64_t stamp_of(struct msghdr *m)
{
	struct cmsghdr *c;
	struct timespec ts;
	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
		}
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int lx_cap_recv_ll(int fd, bool outgoing, uint8_t *buf, size_t cap, struct lx_frame *f)
{
	struct sockaddr_ll from;
	union {
		char b[CMSG_SPACE(sizeof(struct timespec)) + 64];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = {.iov_base = buf, .iov_len = cap};
	struct msghdr m = {.msg_name = &from,
			   .msg_namelen = sizeof from,
			   .msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = ctl.b,
			   .msg_controllen = sizeof ctl.b};
	ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	memset(f, 0, sizeof *f);
	if ((from.sll_pkttype == PACKET_OUTGOING) != outgoing)
		return 0; /* the other direction: skipped */
	f->len = (size_t)n;
	f->proto = ntohs(from.sll_protocol);
	if (from.sll_halen == 6)
		memcpy(f->src_mac, from.sll_addr, 6);
	f->real_us = stamp_of(&m);
	return 0;
}

int lx_cap_recv(int fd, bool outgoing, uint8_t *buf, size_t cap, size_t *len, uint64_t *real_us)
{
	struct lx_frame f;
	int rc = lx_cap_recv_ll(fd, outgoing, buf, cap, &f);
	if (rc != 0)
		return rc;
	*len = 0;
	if (f.len == 0 || (f.proto != ETH_P_IP && f.proto != ETH_P_IPV6))
		return 0;
	*len = f.len;
	*real_us = f.real_us;
	return 0;
}

int lx_cap_send_proto(int fd, int ifindex, const uint8_t dst_mac[6], uint16_t proto,
		      const uint8_t *pkt, size_t len)
{
	struct sockaddr_ll to;
	memset(&to, 0, sizeof to);
	to.sll_family = AF_PACKET;
	to.sll_ifindex = ifindex;
	to.sll_halen = 6;
	memcpy(to.sll_addr, dst_mac, 6);
	to.sll_protocol = htons(proto);
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
		return -errno;
	return 0;
}

int lx_cap_send(int fd, int ifindex, const uint8_t dst_mac[6], const uint8_t *pkt, size_t len)
{
	return lx_cap_send_proto(fd, ifindex, dst_mac,
				 len && (pkt[0] >> 4) == 6 ? ETH_P_IPV6 : ETH_P_IP, pkt, len);
}

bool lx_for_peer(int family, const uint8_t *remote, const uint8_t *p, size_t n)
{
	if (n >= 20 && (p[0] >> 4) == 4 && family == 4)
		return memcmp(p + 16, remote, 4) == 0 && (p[9] == 6 || p[9] == 1);
	if (n >= 40 && (p[0] >> 4) == 6 && family == 6)
		return memcmp(p + 24, remote, 16) == 0 && (p[6] == 6 || p[6] == 58);
	return false;
}

uint64_t lx_clock_us(int id)
{
	struct timespec ts;
	clock_gettime((clockid_t)id, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int lx_tap_open(const char *name, int *fd, char *why, size_t cap)
{
	struct ifreq ifr;
	int t = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (t < 0) {
		int e = errno;
		snprintf(why, cap, "cannot open /dev/net/tun: %s", strerror(e));
		return -e;
	}
	memset(&ifr, 0, sizeof ifr);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(t, TUNSETIFF, &ifr) != 0) {
		int e = errno;
		snprintf(why, cap, "cannot create TAP device %s: %s", name, strerror(e));
		close(t);
		return -e;
	}
	*fd = t; /* no TUNSETOFFLOAD: the kernel checksums and segments itself */
	return 0;
}
