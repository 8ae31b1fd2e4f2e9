/* The `ref` target (reference stack, in-process, virtual time). */
#ifndef TCPCHECK_TARGETS_REF_TARGET_H
#define TCPCHECK_TARGETS_REF_TARGET_H

#include "targets/target.h"

/* Its ops table, listed in targets/registry.c. */
extern const struct tgt_ops ref_target_ops;

/* Defects planted for the differ's tests (`tcpcheck diff --target-set
 * mutant=NAME`, never a script's @config): the normal reference stays
 * clean. */
enum ref_tgt_mutant {
	REF_MUT_NONE,
	REF_MUT_ACCEPT_BAD_CSUM,   /* "bad-csum": segments with a bad checksum accepted */
	REF_MUT_RST_NO_CHALLENGE,  /* "rst-no-challenge": profile rfc5961_rst off */
	REF_MUT_IW,                /* "iw": initial window of one segment */
	REF_MUT_LATE_DELACK,       /* "late-delack": delayed ACKs after 450 ms */
	REF_MUT_TW_NO_REACK,       /* "tw-no-reack": no re-ACK of a FIN in TIME-WAIT */
	REF_MUT_OOO_ACK,           /* "ooo-ack": the ACK after out-of-order data
	                            * acknowledges the segment's end */
};

/* The id of the rule behind the reference's last decision (a drop, a
 * reply, a state change) on a `ref` instance; NULL for another target.
 * Static storage. The differ names with it the rule of an expected
 * silence. */
const char *ref_tgt_last_rule(struct tgt *t);

#endif
