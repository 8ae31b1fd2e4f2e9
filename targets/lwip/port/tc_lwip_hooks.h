/* lwIP hooks for tcpcheck (LWIP_HOOK_FILENAME in lwipopts.h). */
#ifndef TCPCHECK_LWIP_HOOKS_H
#define TCPCHECK_LWIP_HOOKS_H

#include <lwip/ip_addr.h>

/* The ISN of a new connection: a keyed hash of the runner's seed and the
 * connection's addresses and ports (lwip_stack.c). */
u32_t tc_lwip_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
		  u16_t remote_port);

#endif
