/* lwIP arch port for tcpcheck (Linux, gcc/clang, 32/64-bit). See
 * lwipopts.h for the configuration and targets/lwip/lwip_stack.h for the
 * platform functions declared here. */
#ifndef TCPCHECK_LWIP_ARCH_CC_H
#define TCPCHECK_LWIP_ARCH_CC_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>

/* lwIP's struct timeval is the system's. */
#define LWIP_TIMEVAL_PRIVATE 0
#include <sys/time.h>

/* errno values are the system's (lwIP's socket layer is not built). */
#define LWIP_ERRNO_STDINCLUDE 1

#define LWIP_NO_CTYPE_H 0
#define LWIP_NO_LIMITS_H 0

/* Byte order from the compiler. */
#ifndef BYTE_ORDER
#define BYTE_ORDER __BYTE_ORDER__
#endif
#ifndef LITTLE_ENDIAN
#define LITTLE_ENDIAN __ORDER_LITTLE_ENDIAN__
#endif
#ifndef BIG_ENDIAN
#define BIG_ENDIAN __ORDER_BIG_ENDIAN__
#endif

/* Protocol headers are packed structs: no alignment assumptions on packet
 * buffers (UBSan checks alignment). */
#define PACK_STRUCT_FIELD(x) x
#define PACK_STRUCT_STRUCT __attribute__((packed))
#define PACK_STRUCT_BEGIN
#define PACK_STRUCT_END

/* Platform hooks, implemented by the adapter (lwip_stack.c). An lwIP
 * assertion does not abort tcpcheck: tc_lwip_assert() records the message
 * and location and unwinds to the request that ran lwIP, which reports a
 * target error (a finding) while the run goes on. */
void tc_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
uint32_t tc_lwip_rand(void);
/* lwIP's heap and pools (mem_clib_* in lwipopts.h): malloc, calloc and
 * free, with every live block recorded for lws_reset(). */
void *tc_lwip_malloc(size_t size);
void *tc_lwip_calloc(size_t n, size_t size);
void tc_lwip_free(void *p);

#define LWIP_PLATFORM_ASSERT(x) tc_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_PLATFORM_DIAG(x) \
	do {                  \
	} while (0)
#define LWIP_RAND() tc_lwip_rand()

#endif
