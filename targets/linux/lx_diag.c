/* Connection states through sock_diag (libnl-idiag); see lx_int.h. */
#include <errno.h>
#include <netinet/in.h>
#include <netlink/cache.h>
#include <netlink/idiag/idiagnl.h>
#include <netlink/idiag/msg.h>
#include <netlink/netlink.h>
#include <stdio.h>
#include <string.h>

#include "targets/linux/lx_int.h"

int lx_diag_open(struct nl_sock **out)
{
	struct nl_sock *sk = nl_socket_alloc();
	if (!sk)
		return -ENOMEM;
	if (idiagnl_connect(sk) < 0) {
		nl_socket_free(sk);
		return -EIO;
	}
	*out = sk;
	return 0;
}

/* The kernel's TCP_* states (include/net/tcp_states.h) by RFC 9293 name.
 * A request socket (TCP_NEW_SYN_RECV) is SYN-RECEIVED. */
static const char *state_name(uint8_t st)
{
	static const char *const names[] = {
		[1] = "ESTABLISHED", [2] = "SYN_SENT",	[3] = "SYN_RECEIVED", [4] = "FIN_WAIT_1",
		[5] = "FIN_WAIT_2",  [6] = "TIME_WAIT", [7] = "CLOSED",	      [8] = "CLOSE_WAIT",
		[9] = "LAST_ACK",    [10] = "LISTEN",	[11] = "CLOSING",     [12] = "SYN_RECEIVED",
	};
	return st < sizeof names / sizeof names[0] && names[st] ? names[st] : "?";
}

/* libnl hands ports over as they are on the wire (network order). */
static bool same_end(struct nl_addr *a, uint16_t port_net, const uint8_t *ip, size_t iplen,
		     uint16_t port)
{
	if (port_net != htons(port))
		return false;
	return a && nl_addr_get_len(a) >= iplen &&
	       memcmp(nl_addr_get_binary_addr(a), ip, iplen) == 0;
}

int lx_diag_state(struct nl_sock *sk, int family, const uint8_t *local, uint16_t lport,
		  const uint8_t *remote, uint16_t rport, char *name, size_t cap)
{
	struct nl_cache *cache = NULL;
	struct nl_object *o;
	size_t iplen = family == 6 ? 16 : 4;
	const char *found = "CLOSED";
	int rc = idiagnl_msg_alloc_cache(sk, family == 6 ? AF_INET6 : AF_INET, IDIAGNL_SS_ALL,
					 &cache);
	if (rc < 0)
		return -EIO;
	for (o = nl_cache_get_first(cache); o; o = nl_cache_get_next(o)) {
		struct idiagnl_msg *m = (struct idiagnl_msg *)o;
		if (same_end(idiagnl_msg_get_src(m), idiagnl_msg_get_sport(m), local, iplen,
			     lport) &&
		    same_end(idiagnl_msg_get_dst(m), idiagnl_msg_get_dport(m), remote, iplen,
			     rport)) {
			found = state_name(idiagnl_msg_get_state(m));
			break;
		}
	}
	snprintf(name, cap, "%s", found);
	nl_cache_free(cache);
	return 0;
}
