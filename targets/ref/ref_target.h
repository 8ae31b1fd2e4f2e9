/* The `ref` target (reference stack, in-process, virtual time). */
#ifndef TCPCHECK_TARGETS_REF_TARGET_H
#define TCPCHECK_TARGETS_REF_TARGET_H

#include "targets/target.h"

/* Its ops table, listed in targets/registry.c. */
extern const struct tgt_ops ref_target_ops;

#endif
