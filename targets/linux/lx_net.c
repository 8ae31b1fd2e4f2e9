/* Link, address, neighbour and route configuration over rtnetlink
 * (libnl-route), and offloads over SIOCETHTOOL; see lx_int.h. */
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/neighbour.h>
#include <netlink/route/route.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "targets/linux/lx_int.h"

/* libnl's errors are its own (NLE_*); say them as errno values. */
static int nl_err(int e)
{
	switch (-e) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_OBJ_NOTFOUND:
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_INVAL:
		return -EINVAL;
	default:
		return -EIO;
	}
}

int lx_nl_open(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	int rc;
	if (!sk)
		return -ENOMEM;
	rc = nl_connect(sk, NETLINK_ROUTE);
	if (rc < 0) {
		nl_socket_free(sk);
		return nl_err(rc);
	}
	*out = sk;
	return 0;
}

int lx_link_up(struct nl_sock *sk, const char *ifname, unsigned mtu)
{
	struct rtnl_link *link = NULL, *change;
	int rc = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (rc < 0)
		return nl_err(rc);
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(link);
		return -ENOMEM;
	}
	rtnl_link_set_flags(change, IFF_UP);
	if (mtu)
		rtnl_link_set_mtu(change, mtu);
	rc = rtnl_link_change(sk, link, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(link);
	return rc < 0 ? nl_err(rc) : 0;
}

int lx_link_wait_up(struct nl_sock *sk, const char *ifname, uint64_t limit_us)
{
	struct timespec pause = {0, 200000};
	uint64_t waited = 0;
	for (;;) {
		struct rtnl_link *link = NULL;
		int rc = rtnl_link_get_kernel(sk, 0, ifname, &link);
		uint8_t st;
		if (rc < 0)
			return nl_err(rc);
		st = rtnl_link_get_operstate(link);
		rtnl_link_put(link);
		if (st == 6) /* IF_OPER_UP (linux/if.h, RFC 2863) */
			return 0;
		if (waited >= limit_us)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
		waited += 200;
	}
}

/* 1: the address is there and not tentative, 0: not yet, < 0: error. */
static int addr_ready(struct nl_sock *sk, const uint8_t *local)
{
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int found = 0, tentative = 0, rc = rtnl_addr_alloc_cache(sk, &cache);
	if (rc < 0)
		return nl_err(rc);
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct rtnl_addr *a = (struct rtnl_addr *)o;
		struct nl_addr *l = rtnl_addr_get_local(a);
		if (rtnl_addr_get_family(a) != AF_INET6 || !l || nl_addr_get_len(l) != 16)
			continue;
		if (memcmp(nl_addr_get_binary_addr(l), local, 16) != 0)
			continue;
		found = 1;
		tentative = (rtnl_addr_get_flags(a) & IFA_F_TENTATIVE) != 0;
	}
	nl_cache_free(cache);
	return found && !tentative;
}

/* 1: the kernel has the local route for `local` (it is inserted when the
 * address completes its set-up; until then a packet to it is "not ours"
 * and dropped as InAddrErrors), 0: not yet, < 0: error. */
static int local_route(struct nl_sock *sk, const uint8_t *local)
{
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	int found = 0, rc = rtnl_route_alloc_cache(sk, AF_INET6, 0, &cache);
	if (rc < 0)
		return nl_err(rc);
	for (o = nl_cache_get_first(cache); o && !found; o = nl_cache_get_next(o)) {
		struct rtnl_route *r = (struct rtnl_route *)o;
		struct nl_addr *d = rtnl_route_get_dst(r);
		found = rtnl_route_get_type(r) == RTN_LOCAL && d && nl_addr_get_len(d) == 16 &&
			memcmp(nl_addr_get_binary_addr(d), local, 16) == 0;
	}
	nl_cache_free(cache);
	return found;
}

int lx_addr_wait_ready(struct nl_sock *sk, int family, const uint8_t *local, uint64_t limit_us)
{
	struct timespec pause = {0, 200000};
	uint64_t waited = 0;
	int rc;
	if (family != 6)
		return 0;
	while ((rc = addr_ready(sk, local)) == 0 ||
	       (rc > 0 && (rc = local_route(sk, local)) == 0)) {
		if (waited >= limit_us)
			return -ETIMEDOUT;
		nanosleep(&pause, NULL);
		waited += 200;
	}
	return rc < 0 ? rc : 0;
}

int lx_link_info(struct nl_sock *sk, const char *ifname, int *ifindex, uint8_t mac[6])
{
	struct rtnl_link *link = NULL;
	struct nl_addr *a;
	int rc = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (rc < 0)
		return nl_err(rc);
	*ifindex = rtnl_link_get_ifindex(link);
	a = rtnl_link_get_addr(link);
	memset(mac, 0, 6);
	if (a && nl_addr_get_len(a) == 6)
		memcpy(mac, nl_addr_get_binary_addr(a), 6);
	rtnl_link_put(link);
	return 0;
}

static struct nl_addr *ip_addr(int family, const uint8_t *bytes, unsigned prefix)
{
	struct nl_addr *a =
		nl_addr_build(family == 6 ? AF_INET6 : AF_INET, bytes, family == 6 ? 16 : 4);
	if (a)
		nl_addr_set_prefixlen(a, (int)prefix);
	return a;
}

static int add_address(struct nl_sock *sk, int ifindex, const struct lx_netcfg *c)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local = ip_addr(c->family, c->local, c->family == 6 ? 64 : 24);
	int rc = -ENOMEM;
	if (addr && local) {
		rtnl_addr_set_ifindex(addr, ifindex);
		rtnl_addr_set_local(addr, local);
		if (c->family == 6)
			rtnl_addr_set_flags(addr, IFA_F_NODAD);
		rc = rtnl_addr_add(sk, addr, 0);
		rc = rc < 0 ? nl_err(rc) : 0;
	}
	nl_addr_put(local);
	rtnl_addr_put(addr);
	return rc;
}

static int add_neighbour(struct nl_sock *sk, int ifindex, const struct lx_netcfg *c)
{
	struct rtnl_neigh *n = rtnl_neigh_alloc();
	struct nl_addr *dst = ip_addr(c->family, c->remote, c->family == 6 ? 128 : 32);
	struct nl_addr *ll = nl_addr_build(AF_LLC, c->peer_mac, 6);
	int rc = -ENOMEM;
	if (n && dst && ll) {
		rtnl_neigh_set_ifindex(n, ifindex);
		rtnl_neigh_set_dst(n, dst);
		rtnl_neigh_set_lladdr(n, ll);
		rtnl_neigh_set_state(n, NUD_PERMANENT);
		rc = rtnl_neigh_add(sk, n, NLM_F_CREATE | NLM_F_REPLACE);
		rc = rc < 0 ? nl_err(rc) : 0;
	}
	nl_addr_put(ll);
	nl_addr_put(dst);
	rtnl_neigh_put(n);
	return rc;
}

/* A host route to the peer, carrying RTAX_RTO_MIN (milliseconds). */
static int add_peer_route(struct nl_sock *sk, int ifindex, const struct lx_netcfg *c)
{
	struct rtnl_route *r = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = ip_addr(c->family, c->remote, c->family == 6 ? 128 : 32);
	int rc = -ENOMEM;
	if (r && nh && dst) {
		rtnl_route_set_family(r, c->family == 6 ? AF_INET6 : AF_INET);
		rtnl_route_set_dst(r, dst);
		rtnl_route_set_table(r, RT_TABLE_MAIN);
		rtnl_route_set_scope(r, RT_SCOPE_LINK);
		rtnl_route_set_protocol(r, RTPROT_STATIC);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_add_nexthop(r, nh);
		nh = NULL; /* the route owns it now */
		if (c->rto_min_ms)
			rtnl_route_set_metric(r, RTAX_RTO_MIN, c->rto_min_ms);
		if (c->initcwnd)
			rtnl_route_set_metric(r, RTAX_INITCWND, c->initcwnd);
		rc = rtnl_route_add(sk, r, NLM_F_CREATE | NLM_F_REPLACE);
		rc = rc < 0 ? nl_err(rc) : 0;
	}
	if (nh)
		rtnl_route_nh_free(nh);
	nl_addr_put(dst);
	rtnl_route_put(r);
	return rc;
}

int lx_net_configure(struct nl_sock *sk, int ifindex, const struct lx_netcfg *c, char *why,
		     size_t cap)
{
	int rc = add_address(sk, ifindex, c);
	if (rc != 0) {
		snprintf(why, cap, "cannot add the stack's address: %s", strerror(-rc));
		return rc;
	}
	rc = add_neighbour(sk, ifindex, c);
	if (rc != 0) {
		snprintf(why, cap, "cannot add the peer's neighbour entry: %s", strerror(-rc));
		return rc;
	}
	if (c->rto_min_ms || c->initcwnd) {
		rc = add_peer_route(sk, ifindex, c);
		if (rc != 0)
			snprintf(why, cap, "cannot add the peer route (rto_min, iw): %s",
				 strerror(-rc));
	}
	return rc;
}

int lx_veth_create(struct nl_sock *sk, const char *a, const char *b)
{
	struct rtnl_link *l = rtnl_link_veth_alloc(), *peer;
	int rc;
	if (!l)
		return -ENOMEM;
	rtnl_link_set_name(l, a);
	peer = rtnl_link_veth_get_peer(l);
	rtnl_link_set_name(peer, b);
	rtnl_link_put(peer);
	rc = rtnl_link_add(sk, l, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_link_veth_release(l);
	return rc < 0 ? nl_err(rc) : 0;
}

int lx_link_move(struct nl_sock *sk, const char *ifname, int nsfd)
{
	struct rtnl_link *link = NULL, *change;
	int rc = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (rc < 0)
		return nl_err(rc);
	change = rtnl_link_alloc();
	if (!change) {
		rtnl_link_put(link);
		return -ENOMEM;
	}
	rtnl_link_set_ns_fd(change, nsfd);
	rc = rtnl_link_change(sk, link, change, 0);
	rtnl_link_put(change);
	rtnl_link_put(link);
	return rc < 0 ? nl_err(rc) : 0;
}

/* One legacy ethtool switch to 0; fine if it is off already. */
static int ethtool_off(int fd, const char *ifname, uint32_t set, uint32_t get)
{
	struct ethtool_value v = {.cmd = set, .data = 0};
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	ifr.ifr_data = (char *)&v;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0)
		return 0;
	v.cmd = get;
	v.data = 1;
	if (ioctl(fd, SIOCETHTOOL, &ifr) == 0 && v.data == 0)
		return 0;
	return errno ? -errno : -EIO;
}

int lx_offloads_off(const char *ifname, char *why, size_t cap)
{
	static const struct {
		uint32_t set, get;
		const char *name;
	} sw[] = {
		{ETHTOOL_STSO, ETHTOOL_GTSO, "tso"},
		{ETHTOOL_SGSO, ETHTOOL_GGSO, "gso"},
		{ETHTOOL_SGRO, ETHTOOL_GGRO, "gro"},
		{ETHTOOL_STXCSUM, ETHTOOL_GTXCSUM, "tx-checksum"},
		{ETHTOOL_SRXCSUM, ETHTOOL_GRXCSUM, "rx-checksum"},
	};
	size_t i;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;
	if (fd < 0)
		return -errno;
	for (i = 0; i < sizeof sw / sizeof sw[0] && rc == 0; i++) {
		rc = ethtool_off(fd, ifname, sw[i].set, sw[i].get);
		if (rc != 0)
			snprintf(why, cap, "%s: cannot turn %s offload off: %s", ifname, sw[i].name,
				 strerror(-rc));
	}
	close(fd);
	return rc;
}
