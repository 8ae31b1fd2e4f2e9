/* Symbolic constants of scripts: the names packetdrill scripts use for
 * socket families, flags, options and errno values, with Linux's numbers
 * (the numbers scripts are written against). */
#ifndef TCPCHECK_HARNESS_CONSTS_H
#define TCPCHECK_HARNESS_CONSTS_H

#include <stdbool.h>
#include <stdint.h>

/* The value of constant `name` ("O_NONBLOCK", "POLLIN", ...): true and
 * `*out` set, or false if the name is unknown. */
bool const_lookup(const char *name, int64_t *out);

/* The errno value named `name` ("ECONNRESET"), or 0 if unknown. */
int errno_from_name(const char *name);

/* The name of errno value `err` ("ECONNRESET"), or "E?" if unknown. */
const char *errno_name(int err);

#endif
