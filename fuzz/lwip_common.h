/* What fuzz_lwip and fuzz_diff_lwip share: the in-process lwIP target
 * opened for the action executors, and the known findings of lwIP
 * (fuzz/known/lwip.tsv) that a run reports once and goes past, so that a
 * campaign keeps looking for new ones (part 1's mechanism, moved into the
 * process: libFuzzer stops at the first crash).
 *
 * A finding's *kind* is the first part of its signature in the tsv (before
 * " | "): `lwIP assertion "..." failed at src/core/F.c`, `invariant
 * violated: SIG`, `differ violation: RULE KIND:FIELDS`. Sanitizer reports
 * end the process before any of this: ci/fuzz.sh matches them.
 *
 * Environment: FZ_KNOWN=FILE replaces the built-in list (a copy of
 * fuzz/known/lwip.tsv taken at configure time); FZ_STRICT=1 makes known
 * findings crash too (to collect their inputs for triage); FZ_CONTINUE=1
 * prints a finding and goes on instead of aborting (triage of a corpus, long
 * runs); FZ_SAVE_DIR=DIR keeps the first input of each new kind there. */
#ifndef TCPCHECK_FUZZ_LWIP_COMMON_H
#define TCPCHECK_FUZZ_LWIP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "targets/target.h"

/* The most virtual time one input spans on lwIP: lwIP's timers tick every
 * 250 ms whatever is pending, so each simulated second costs; 10 minutes
 * covers TIME-WAIT (2 MSL = 2 min), keep-alive at short settings and the
 * first retransmission back-offs. FZ_TIME_CAP=SECONDS changes it. */
#define FZL_TIME_CAP_US (600ull * 1000000u)

/* Read the environment and the known list (once, from LLVMFuzzerInitialize). */
void fzl_init(void);

/* The input being run (for FZ_SAVE_DIR). */
void fzl_input(const uint8_t *data, size_t size);

/* Open the in-process lwIP target with the executors' addresses (IPv4,
 * 192.0.2.1 / 192.0.2.2, seed 1). Aborts if it cannot: the fuzzer has
 * nothing to run. */
struct tgt *fzl_open(void);

/* The in-process lwIP target with a filter on inject: a packet that would
 * trigger a known memory bug of lwIP (a sanitizer report cannot be passed
 * over in-process) is not injected, and fzl_skipped() says so; the input's
 * result then counts for nothing. Today: lwip-optread (an option kind as
 * the packet's last byte). FZ_STRICT=1 turns the filter off. */
const struct tgt_ops *fzl_ops(void);

/* Was a packet held back since the last call? (Clears it.) */
bool fzl_skipped(void);

/* The kind of an lwIP assertion (lwip_inproc_failure()): its text without
 * the line number, which compilers count differently for a macro that
 * spans lines ("lwIP assertion "..." failed at src/core/tcp_in.c"). */
void fzl_assertion_kind(const char *failure, char *kind, size_t cap);

/* The id in docs/findings/lwip.md of a known kind, or NULL. */
const char *fzl_known(const char *kind);

/* A finding of `who` (the fuzz target): a known kind is counted and
 * reported once ("known finding ID: KIND"), then returns; an unknown one
 * (or any, with FZ_STRICT=1) prints "WHO: KIND" and `detail` and aborts. */
void fzl_finding(const char *who, const char *kind, const char *detail);

#endif
