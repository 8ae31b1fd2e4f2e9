/* The `linux` and `linux-raw` targets; see lx_target.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "targets/linux/lx_int.h"
#include "targets/linux/lx_target.h"

#define LX_PKT_MAX 65600

struct lx_tgt {
	struct tgt base;
	bool raw;
	bool device; /* linux-raw --iface: the stack is a device on the wire */
	struct lx_neigh neigh; /* device: ARP / ND on the user's interface */
	int family; /* 4 or 6 */
	bool v4_mapped;
	uint8_t local[16], remote[16];
	int ns, peer_ns; /* the namespaces, held open */
	int tap;	 /* linux: the TAP device */
	int cap;	 /* capture (and, for linux-raw, injection) socket */
	int ifindex;	 /* the capture socket's interface */
	uint8_t stack_mac[6], peer_mac[6];
	struct nl_sock *diag;
	struct lx_sys *sys;
	int efd;	  /* readable when a verb completes */
	uint64_t t0;	  /* CLOCK_MONOTONIC at the end of open, us */
	int64_t real_off; /* CLOCK_REALTIME - CLOCK_MONOTONIC, us */
	uint8_t frame[LX_PKT_MAX + 14];
	uint8_t pkt[LX_PKT_MAX];
	char version[128];
};

static struct lx_tgt *lx_of(struct tgt *t)
{
	return (struct lx_tgt *)t;
}

static uint64_t clock_us(clockid_t id)
{
	return lx_clock_us(id);
}

/* ---- availability ----------------------------------------------------------- */

/* The effective capability set, from /proc/self/status. */
static uint64_t cap_eff(void)
{
	char line[256];
	unsigned long long v = 0;
	FILE *f = fopen("/proc/self/status", "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "CapEff: %llx", &v) == 1)
			break;
	fclose(f);
	return v;
}

static int lx_available(char *why, size_t cap)
{
	static const struct {
		int bit;
		const char *name;
	} need[] = {{12, "CAP_NET_ADMIN"}, {21, "CAP_SYS_ADMIN"}, {13, "CAP_NET_RAW"}};
	uint64_t eff = cap_eff();
	size_t i;
	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!(eff & (1ull << need[i].bit))) {
			snprintf(why, cap,
				 "needs %s (run as root) to create a private network namespace",
				 need[i].name);
			return -EPERM;
		}
	if (access("/dev/net/tun", R_OK | W_OK) != 0) {
		snprintf(why, cap, "cannot use /dev/net/tun: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

static const char *lx_version(struct tgt *t)
{
	return lx_of(t)->version;
}

/* ---- packets ------------------------------------------------------------------ */

static int lx_inject(struct tgt *t, const uint8_t *pkt, size_t len)
{
	struct lx_tgt *x = lx_of(t);
	bool v6 = len > 0 && (pkt[0] >> 4) == 6;
	ssize_t w;
	if (len > LX_PKT_MAX)
		return -EMSGSIZE;
	if (x->raw)
		return lx_cap_send(x->cap, x->ifindex, x->stack_mac, pkt, len);
	memcpy(x->frame, x->stack_mac, 6);
	memcpy(x->frame + 6, x->peer_mac, 6);
	x->frame[12] = v6 ? 0x86 : 0x08;
	x->frame[13] = v6 ? 0xdd : 0x00;
	memcpy(x->frame + 14, pkt, len);
	w = write(x->tap, x->frame, len + 14);
	if (w < 0)
		return -errno;
	return (size_t)w == len + 14 ? 0 : -EIO;
}

/* Only the connection's traffic reaches the runner: TCP and ICMP to the
 * script's address (not MLD, not anything else the kernel says). */
static bool for_peer(const struct lx_tgt *x, const uint8_t *p, size_t n)
{
	return lx_for_peer(x->family, x->remote, p, n);
}

static void drain_tap(struct lx_tgt *x)
{
	if (x->raw)
		return;
	while (read(x->tap, x->frame, sizeof x->frame) > 0) {
		/* the copy that counts is the capture socket's */
	}
}

static uint64_t lx_now(struct tgt *t)
{
	return clock_us(CLOCK_MONOTONIC) - lx_of(t)->t0;
}

/* Wait for the capture socket or a completed verb, until `to_us`. */
static void wait_until(struct lx_tgt *x, uint64_t to_us)
{
	struct pollfd p[2] = {{x->cap, POLLIN, 0}, {x->efd, POLLIN, 0}};
	uint64_t now = lx_now(&x->base), left;
	struct timespec ts;
	uint64_t v;
	if (to_us <= now)
		return;
	left = to_us - now;
	ts.tv_sec = (time_t)(left / 1000000u);
	ts.tv_nsec = (long)(left % 1000000u) * 1000;
	if (ppoll(p, 2, &ts, NULL) > 0 && (p[1].revents & POLLIN)) {
		if (read(x->efd, &v, sizeof v) < 0) {
			/* nothing was pending after all */
		}
	}
}

/* --iface: a frame from the wire; the device's neighbour requests for
 * the script's address are answered here (and come back as n = 0). */
static int device_recv(struct lx_tgt *x, size_t *n, uint64_t *real)
{
	struct lx_frame f;
	int rc = lx_cap_recv_ll(x->cap, false, x->pkt, sizeof x->pkt, &f);
	*n = 0;
	if (rc != 0 || f.len == 0)
		return rc;
	if (lx_neigh_answer(&x->neigh, x->pkt, f.len, f.proto, NULL, NULL))
		return 0;
	if (f.proto == ETH_P_IP || f.proto == ETH_P_IPV6) {
		*n = f.len;
		*real = f.real_us;
	}
	return 0;
}

static int lx_collect(struct tgt *t, uint64_t deadline_us, struct tgt_packet *out)
{
	struct lx_tgt *x = lx_of(t);
	drain_tap(x);
	for (;;) {
		size_t n = 0;
		uint64_t real = 0;
		int rc = x->device ? device_recv(x, &n, &real)
				   : lx_cap_recv(x->cap, !x->raw, x->pkt, sizeof x->pkt, &n, &real);
		if (rc == 0 && n > 0 && for_peer(x, x->pkt, n)) {
			int64_t at = (int64_t)real - x->real_off - (int64_t)x->t0;
			out->time_us = at > 0 ? (uint64_t)at : 0;
			out->bytes = x->pkt;
			out->len = n;
			out->rule = NULL;
			return 0;
		}
		if (rc == 0)
			continue;
		if (rc != -EAGAIN)
			return rc;
		if (lx_now(t) >= deadline_us)
			return -EAGAIN;
		wait_until(x, deadline_us);
	}
}

/* Real time: wait until `to_us`, or less when a packet was captured or a
 * blocking verb completed (the runner collects and comes back). */
static int lx_advance(struct tgt *t, uint64_t to_us)
{
	wait_until(lx_of(t), to_us);
	return 0;
}

static uint64_t lx_next_deadline(struct tgt *t)
{
	(void)t;
	return UINT64_MAX;
}

/* ---- verbs and state ---------------------------------------------------------------- */

static int lx_call(struct tgt *t, const struct tgt_call *c, struct tgt_result *res)
{
	memset(res, 0, sizeof *res);
	if (lx_of(t)->device)
		return TGT_NOT_MODELLED; /* the device's sockets are out of reach */
	return lx_sys_call(lx_of(t)->sys, c, res);
}

static int lx_finish(struct tgt *t, struct tgt_result *res)
{
	return lx_sys_finish(lx_of(t)->sys, res);
}

static void mapped(const uint8_t *v4, uint8_t *v6)
{
	memset(v6, 0, 16);
	v6[10] = v6[11] = 0xff;
	memcpy(v6 + 12, v4, 4);
}

static int lx_state(struct tgt *t, uint16_t local_port, uint16_t remote_port, char *name,
		    size_t cap)
{
	struct lx_tgt *x = lx_of(t);
	uint8_t l[16], r[16];
	if (x->device)
		return TGT_NOT_MODELLED;
	if (x->v4_mapped) {
		mapped(x->local, l);
		mapped(x->remote, r);
		return lx_diag_state(x->diag, 6, l, local_port, r, remote_port, name, cap);
	}
	return lx_diag_state(x->diag, x->family, x->local, local_port, x->remote, remote_port, name,
			     cap);
}

/* The descriptors that hold the namespaces and devices. Closing the TAP
 * device unregisters it, which waits for RCU grace periods (tens of
 * milliseconds): done here, off the next script's critical path. */
static void *reap(void *arg)
{
	struct lx_tgt *x = arg;
	if (x->cap >= 0)
		close(x->cap);
	if (x->tap >= 0)
		close(x->tap);
	if (x->peer_ns >= 0)
		close(x->peer_ns);
	if (x->ns >= 0)
		close(x->ns);
	free(x);
	return NULL;
}

static void lx_close(struct tgt *t)
{
	struct lx_tgt *x = lx_of(t);
	pthread_attr_t attr;
	pthread_t th;
	bool deferred = false;
	if (!x)
		return;
	lx_sys_stop(x->sys);
	if (x->diag)
		nl_socket_free(x->diag);
	if (pthread_attr_init(&attr) == 0) {
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		deferred = pthread_create(&th, &attr, reap, x) == 0;
		pthread_attr_destroy(&attr);
	}
	if (!deferred)
		reap(x);
}

/* ---- opening ------------------------------------------------------------------------- */

static int lx_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap);
static int lx_raw_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap);

#define LX_OPS(NAME, DESC, OPEN)                                                                  \
	{                                                                                         \
		.name = NAME, .description = DESC,                                                \
		.caps = TGT_CAP_SOCKETS | TGT_CAP_STATE | TGT_CAP_IPV4 | TGT_CAP_IPV6 |           \
			TGT_CAP_ICMP,                                                             \
		.available = lx_available, .open = OPEN, .version = lx_version,                   \
		.inject = lx_inject, .collect = lx_collect, .now = lx_now, .advance = lx_advance, \
		.next_deadline = lx_next_deadline, .call = lx_call, .finish = lx_finish,          \
		.state = lx_state, .close = lx_close,                                             \
	}

const struct tgt_ops lx_target_ops = LX_OPS(
	"linux", "the host's Linux TCP stack in a private namespace, via TAP, real time", lx_open);
const struct tgt_ops lx_raw_target_ops =
	LX_OPS("linux-raw",
	       "the host's Linux TCP stack behind a veth pair, AF_PACKET injection, real time",
	       lx_raw_open);

static struct lx_tgt *lx_new(const struct tgt_config *cfg, bool raw)
{
	struct lx_tgt *x = calloc(1, sizeof *x);
	struct utsname u;
	static const uint8_t peer_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
	if (!x)
		return NULL;
	x->base.ops = raw ? &lx_raw_target_ops : &lx_target_ops;
	x->raw = raw;
	x->family = cfg->family == 6 ? 6 : 4;
	x->v4_mapped = cfg->v4_mapped;
	memcpy(x->local, cfg->local_addr, 16);
	memcpy(x->remote, cfg->remote_addr, 16);
	memcpy(x->peer_mac, peer_mac, 6);
	x->ns = x->peer_ns = x->tap = x->cap = x->efd = -1;
	snprintf(x->version, sizeof x->version, "%s", uname(&u) == 0 ? u.release : "?");
	return x;
}

/* linux-raw: both veth ends operational before the first packet (one sent
 * earlier is dropped by the queue the link watch has not yet activated). */
static int wait_veth(struct lx_tgt *x, struct nl_sock *sk, char *why, size_t cap)
{
	struct nl_sock *psk = NULL;
	int rc = lx_link_wait_up(sk, LX_IFNAME, 2000000);
	if (rc != 0) {
		snprintf(why, cap, "%s did not come up: %s", LX_IFNAME, strerror(-rc));
		return rc;
	}
	lx_ns_enter(x->peer_ns);
	rc = lx_nl_open(&psk);
	if (rc == 0)
		rc = lx_link_wait_up(psk, LX_PEER_IFNAME, 2000000);
	if (rc != 0)
		snprintf(why, cap, "%s did not come up: %s", LX_PEER_IFNAME, strerror(-rc));
	if (psk)
		nl_socket_free(psk);
	lx_ns_enter(x->ns);
	return rc;
}

/* The stack's interface, in the current namespace: up, addressed, with
 * the peer as a permanent neighbour. */
static int setup_iface(struct lx_tgt *x, struct nl_sock *sk, const struct lx_settings *set,
		       char *why, size_t cap)
{
	struct lx_netcfg nc;
	int ifindex, rc = lx_link_up(sk, LX_IFNAME, set->mtu);
	if (rc == 0)
		rc = lx_link_info(sk, LX_IFNAME, &ifindex, x->stack_mac);
	if (rc != 0) {
		snprintf(why, cap, "cannot bring %s up: %s", LX_IFNAME, strerror(-rc));
		return rc;
	}
	memset(&nc, 0, sizeof nc);
	nc.family = x->family;
	memcpy(nc.local, x->local, 16);
	memcpy(nc.remote, x->remote, 16);
	memcpy(nc.peer_mac, x->peer_mac, 6);
	nc.rto_min_ms = set->rto_min_via_route ? set->rto_min_us / 1000u : 0;
	nc.initcwnd = set->initcwnd;
	if (!x->raw)
		x->ifindex = ifindex;
	else if ((rc = wait_veth(x, sk, why, cap)) != 0)
		return rc;
	/* Addresses after the carrier: an IPv6 address added before it is
	 * brought into service later, asynchronously. */
	rc = lx_net_configure(sk, ifindex, &nc, why, cap);
	if (rc == 0 && (rc = lx_addr_wait_ready(sk, x->family, x->local, 2000000)) != 0)
		snprintf(why, cap, "the stack's address stayed tentative: %s", strerror(-rc));
	return rc;
}

/* linux-raw: the veth's other end in a second namespace, with the
 * injector's packet socket there. The thread is in the stack's namespace
 * before and after. */
static int setup_peer(struct lx_tgt *x, struct nl_sock *sk, unsigned mtu, char *why, size_t cap)
{
	struct nl_sock *psk = NULL;
	int back = -1, rc = lx_veth_create(sk, LX_IFNAME, LX_PEER_IFNAME);
	if (rc != 0) {
		snprintf(why, cap, "cannot create the veth pair: %s", strerror(-rc));
		return rc;
	}
	rc = lx_offloads_off(LX_IFNAME, why, cap);
	if (rc == 0)
		rc = lx_ns_create(&back, &x->peer_ns, why, cap);
	if (rc != 0)
		return rc;
	lx_ns_enter(back); /* back in the stack's namespace */
	close(back);
	rc = lx_link_move(sk, LX_PEER_IFNAME, x->peer_ns);
	if (rc != 0) {
		snprintf(why, cap, "cannot move %s: %s", LX_PEER_IFNAME, strerror(-rc));
		return rc;
	}
	lx_ns_enter(x->peer_ns);
	rc = lx_nl_open(&psk);
	if (rc == 0)
		rc = lx_link_up(psk, LX_PEER_IFNAME, mtu);
	if (rc == 0)
		rc = lx_link_info(psk, LX_PEER_IFNAME, &x->ifindex, x->peer_mac);
	if (rc != 0)
		snprintf(why, cap, "cannot bring %s up: %s", LX_PEER_IFNAME, strerror(-rc));
	if (rc == 0)
		rc = lx_offloads_off(LX_PEER_IFNAME, why, cap);
	if (rc == 0 && (rc = lx_cap_open(x->ifindex, false, &x->cap)) != 0)
		snprintf(why, cap, "cannot open a packet socket: %s", strerror(-rc));
	if (psk)
		nl_socket_free(psk);
	lx_ns_enter(x->ns);
	return rc;
}

static int setup_links(struct lx_tgt *x, const struct lx_settings *set, char *why, size_t cap)
{
	struct nl_sock *sk = NULL;
	int rc = lx_nl_open(&sk);
	if (rc == 0)
		rc = lx_link_up(sk, "lo", 0);
	if (rc != 0) {
		snprintf(why, cap, "cannot bring lo up: %s", strerror(-rc));
	} else if (x->raw) {
		rc = setup_peer(x, sk, set->mtu, why, cap);
	} else {
		rc = lx_tap_open(LX_IFNAME, &x->tap, why, cap);
	}
	if (rc == 0)
		rc = setup_iface(x, sk, set, why, cap);
	if (rc == 0 && !x->raw && (rc = lx_cap_open(x->ifindex, true, &x->cap)) != 0)
		snprintf(why, cap, "cannot open a packet socket: %s", strerror(-rc));
	if (sk)
		nl_socket_free(sk);
	return rc;
}

/* Everything that happens inside the stack's namespace. */
static int setup_in_ns(struct lx_tgt *x, const struct tgt_config *cfg, char *why, size_t cap)
{
	struct lx_settings set;
	struct lx_sysenv env;
	int rc = lx_config_ipv6_quiet(why, cap);
	if (rc == 0)
		rc = lx_config_apply(cfg, &set, why, cap);
	if (rc == 0 && set.missing[0]) {
		size_t n = strlen(x->version);
		snprintf(x->version + n, sizeof x->version - n, " (no sysctl %s)", set.missing);
	}
	if (rc == 0)
		rc = setup_links(x, &set, why, cap);
	if (rc == 0 && (rc = lx_diag_open(&x->diag)) != 0)
		snprintf(why, cap, "cannot open a sock_diag socket: %s", strerror(-rc));
	if (rc != 0)
		return rc;
	memset(&env, 0, sizeof env);
	env.family = x->family;
	env.v4_mapped = x->v4_mapped;
	memcpy(env.local, x->local, 16);
	memcpy(env.remote, x->remote, 16);
	env.nodelay = set.nodelay;
	env.rcvbuf = set.rcvbuf;
	env.sndbuf = set.sndbuf;
	memcpy(env.congestion, set.congestion, sizeof env.congestion);
	rc = lx_sys_start(&env, &x->sys, &x->efd);
	if (rc != 0)
		snprintf(why, cap, "cannot start the syscall thread: %s", strerror(-rc));
	return rc;
}

/* The interface's Ethernet address. */
static int iface_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int rc = 0, fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) != 0)
		rc = -errno;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return rc;
}

/* linux-raw --iface NAME: the one path by which packets leave the
 * machine, taken only when the user names the interface (DESIGN.md §3).
 * The stack under test is the device at the config's local address on
 * NAME, whatever it runs: no namespace, no sysctls, no socket verbs (the
 * device's sockets are out of reach: scripts that call them are SKIP).
 * The injector speaks from the interface's own Ethernet address for the
 * config's remote address, answering the device's ARP / neighbour
 * solicitations for it; the device's address is resolved the same way. */
static int open_device(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	struct lx_tgt *x = lx_new(cfg, true);
	int rc;
	if (!x)
		return -ENOMEM;
	x->device = true;
	x->ifindex = (int)if_nametoindex(cfg->iface);
	rc = x->ifindex > 0 ? iface_mac(cfg->iface, x->peer_mac) : -ENODEV;
	if (rc == 0)
		rc = lx_cap_open(x->ifindex, false, &x->cap);
	if (rc != 0) {
		snprintf(why, cap, "--iface %s: %s", cfg->iface, strerror(-rc));
		lx_close(&x->base);
		return rc;
	}
	x->neigh.fd = x->cap;
	x->neigh.ifindex = x->ifindex;
	x->neigh.family = x->family;
	memcpy(x->neigh.my_mac, x->peer_mac, 6);
	memcpy(x->neigh.my_ip, x->remote, 16);
	rc = lx_neigh_resolve(&x->neigh, x->local, x->stack_mac, 1000000, x->frame,
			      sizeof x->frame);
	if (rc != 0) {
		snprintf(why, cap, "--iface %s: no answer from the device's address to %s: %s",
			 cfg->iface, x->family == 6 ? "neighbour solicitations" : "ARP requests",
			 strerror(-rc));
		lx_close(&x->base);
		return rc;
	}
	snprintf(x->version, sizeof x->version, "device on %s", cfg->iface);
	x->real_off = (int64_t)clock_us(CLOCK_REALTIME) - (int64_t)clock_us(CLOCK_MONOTONIC);
	x->t0 = clock_us(CLOCK_MONOTONIC);
	*out = &x->base;
	return 0;
}

static int open_common(const struct tgt_config *cfg, bool raw, struct tgt **out, char *why,
		       size_t cap)
{
	struct lx_tgt *x;
	int orig = -1, rc;
	if (raw && cfg->iface)
		return open_device(cfg, out, why, cap);
	x = lx_new(cfg, raw);
	if (!x)
		return -ENOMEM;
	rc = lx_ns_create(&orig, &x->ns, why, cap);
	if (rc == 0)
		rc = setup_in_ns(x, cfg, why, cap);
	lx_ns_leave(orig);
	if (rc != 0) {
		lx_close(&x->base);
		return rc;
	}
	x->real_off = (int64_t)clock_us(CLOCK_REALTIME) - (int64_t)clock_us(CLOCK_MONOTONIC);
	x->t0 = clock_us(CLOCK_MONOTONIC);
	*out = &x->base;
	return 0;
}

static int lx_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	return open_common(cfg, false, out, why, cap);
}

static int lx_raw_open(const struct tgt_config *cfg, struct tgt **out, char *why, size_t cap)
{
	return open_common(cfg, true, out, why, cap);
}
