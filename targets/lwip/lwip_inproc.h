/* The `lwip` target in this process: the same lwIP and adapter as
 * lwip_target.h, without the process per instance. For the fuzz targets
 * (fuzz/fuzz_lwip.c, fuzz/fuzz_diff_lwip.c), which need tens of thousands
 * of pristine instances a second; not in the registry.
 *
 * One instance at a time per process (lwIP's state is global): open()
 * while one is open fails with -EBUSY. open() resets lwIP in place
 * (lws_reset: every block freed, every global back to the binary's
 * pristine value) and starts it, so each instance starts as a fresh
 * process would; close() frees everything again. Single-threaded.
 *
 * Its name is "lwip" (reports, the differ's default profile); its
 * capabilities, @config checks and behaviour are the forked target's. An
 * lwIP assertion makes every later call return -ENOTRECOVERABLE, with the
 * message in lwip_inproc_failure(). A sanitizer report or a crash in lwIP
 * ends this process: that is the point (the fuzzer catches it). */
#ifndef TCPCHECK_TARGETS_LWIP_INPROC_H
#define TCPCHECK_TARGETS_LWIP_INPROC_H

#include <stdbool.h>
#include <stdint.h>

#include "targets/target.h"

extern const struct tgt_ops lwip_inproc_target_ops;

/* The assertion that stopped the open instance, or else the one closed
 * last ("lwIP assertion ... failed at src/core/x.c:N"), or NULL. */
const char *lwip_inproc_failure(void);

/* The live variables of the connection between the config's addresses
 * with these ports, read from lwIP's pcb (what the peer's actions are
 * described against): true with the values, false if there is none or it
 * is not synchronized. */
struct lwip_inproc_tcb {
	uint32_t rcv_nxt, rcv_wnd, snd_una, snd_nxt, snd_wnd;
};
bool lwip_inproc_tcb(uint16_t local_port, uint16_t remote_port, struct lwip_inproc_tcb *out);

#endif
