/* Queries on a reference stack by connection identity rather than by
 * socket number: a connection has a state before accept() and after
 * close() (TIME-WAIT, FIN-WAIT-2, ...), when no socket number names it. */
#ifndef TCPCHECK_REFERENCE_REF_QUERY_H
#define TCPCHECK_REFERENCE_REF_QUERY_H

#include "reference/ref_sock.h"

/* The state of the connection between `local` and `remote` (family, address
 * and port of each). With no such connection: REF_LISTEN if a listener
 * would take it, else REF_CLOSED. */
enum ref_state ref_stack_conn_state(const struct ref_stack *st, const struct ref_sockaddr *local,
				    const struct ref_sockaddr *remote);

#endif
