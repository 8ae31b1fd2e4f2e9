/* The processes that run lwIP for the `lwip` target (lwip_proc.c). */
#ifndef TCPCHECK_TARGETS_LWIP_PROC_H
#define TCPCHECK_TARGETS_LWIP_PROC_H

/* Start the zygote now, if it is not running (best called while the
 * process is single-threaded). 0 or a negative errno. Thread-safe. */
int lwp_prepare(void);

/* A new process with a pristine lwIP, serving lwip_wire.h requests on
 * `*fd` (owned by the caller; closing it ends the process). 0 or a
 * negative errno. Thread-safe. */
int lwp_spawn(int *fd);

#endif
