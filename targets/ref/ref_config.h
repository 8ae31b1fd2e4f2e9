/* The `ref` target's configuration: how a script's @config keys, profile
 * and socket options map onto the reference stack. Internal to targets/ref. */
#ifndef TCPCHECK_TARGETS_REF_CONFIG_H
#define TCPCHECK_TARGETS_REF_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "reference/ref_sock.h"
#include "reference/ref_stack.h"
#include "targets/target.h"

/* Fill `sc` for `cfg`: the profile (by name; default `rfc`), the @config
 * settings, the addresses and the ISN key from the seed. Returns 0,
 * -ENOTSUP with `why` when a setting asks for what the reference does not
 * model yet (the script is then SKIP), or -EINVAL with `why` for an
 * unknown key, a bad value or an unknown profile. */
int ref_tgt_config(const struct tgt_config *cfg, struct ref_stack_config *sc, char *why,
		   size_t cap);

/* setsockopt / getsockopt by symbolic names (c->level, c->name): 0, a
 * negative errno, or TGT_NOT_MODELLED for an option the reference does not
 * model. getsockopt writes res->ival (and ival2 for SO_LINGER). */
int64_t ref_tgt_setsockopt(struct ref_stack *st, const struct tgt_call *c, uint64_t now);
int64_t ref_tgt_getsockopt(struct ref_stack *st, const struct tgt_call *c,
			   struct tgt_result *res);

/* A state as scripts name it: "SYN_RECEIVED", "TIME_WAIT", ...; static. */
const char *ref_tgt_state_name(enum ref_state s);

#endif
