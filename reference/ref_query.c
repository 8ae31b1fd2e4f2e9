/* Queries by connection identity; see ref_query.h. */
#include "reference/ref_internal.h"
#include "reference/ref_query.h"

enum ref_state ref_stack_conn_state(const struct ref_stack *st, const struct ref_sockaddr *local,
				    const struct ref_sockaddr *remote)
{
	/* The lookups do not change the stack; they take it non-const only
	 * because the input path uses them to change what they find. */
	struct ref_stack *s = (struct ref_stack *)(uintptr_t)st;
	const struct ref_sock *c = ref__find_conn(s, local->family, local->addr, local->port,
						  remote->addr, remote->port);
	if (c)
		return c->state;
	if (ref__find_listener(s, local->family, local->addr, local->port))
		return REF_LISTEN;
	return REF_CLOSED;
}
