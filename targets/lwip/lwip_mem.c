/* lwIP's memory and globals, for lws_reset() (lwip_stack.h).
 *
 * Allocations: lwipopts.h routes lwIP's heap and pools to the C allocator
 * through tc_lwip_malloc / tc_lwip_calloc / tc_lwip_free (arch/cc.h), which
 * keep every live block in a set, so that a reset frees whatever lwIP held
 * (pcbs, segments, pbufs, timeouts) — blocks keep their exact size, for
 * AddressSanitizer.
 *
 * Globals: port/lwip_state.ld gathers lwIP's .data and .bss between
 * __tc_lwip_state_start and __tc_lwip_state_end. The first lws_open() of
 * the process copies them (pristine: lwIP has run no code yet); a reset
 * copies them back. In a build linked without the script the bounds are
 * missing (weak symbols) and lws_reset() says -ENOTSUP. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "targets/lwip/lwip_int.h"

/* ---- the set of live blocks (open addressing, linear probing) --------- */

static void **live;
static size_t live_cap, live_n;

static size_t slot_of(const void *p, size_t cap)
{
	uintptr_t h = (uintptr_t)p;
	h ^= h >> 17;
	h *= 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (cap - 1);
}

static void put_slot(void **tab, size_t cap, void *p)
{
	size_t i = slot_of(p, cap);
	while (tab[i])
		i = (i + 1) & (cap - 1);
	tab[i] = p;
}

static bool grow(void)
{
	size_t cap = live_cap ? live_cap * 2 : 1024, i;
	void **tab = calloc(cap, sizeof *tab);
	if (!tab)
		return false;
	for (i = 0; i < live_cap; i++)
		if (live[i])
			put_slot(tab, cap, live[i]);
	free(live);
	live = tab;
	live_cap = cap;
	return true;
}

static void remember(void *p)
{
	if (!p)
		return;
	if ((live_n + 1) * 2 > live_cap && !grow())
		return; /* out of memory: a reset will leak this block, no worse */
	put_slot(live, live_cap, p);
	live_n++;
}

/* Remove `p` (backward-shift deletion: no tombstones). */
static void forget(void *p)
{
	size_t i, j, k;
	if (!p || !live_cap)
		return;
	for (i = slot_of(p, live_cap); live[i] != p; i = (i + 1) & (live_cap - 1))
		if (!live[i])
			return; /* not ours (allocated before tracking could) */
	live[i] = NULL;
	live_n--;
	for (j = (i + 1) & (live_cap - 1); live[j]; j = (j + 1) & (live_cap - 1)) {
		k = slot_of(live[j], live_cap);
		/* Move live[j] into the hole unless its home lies in (i, j]. */
		if ((j > i && (k <= i || k > j)) || (j < i && k <= i && k > j)) {
			live[i] = live[j];
			live[j] = NULL;
			i = j;
		}
	}
}

void *tc_lwip_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	remember(p);
	return p;
}

void *tc_lwip_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	remember(p);
	return p;
}

void tc_lwip_free(void *p)
{
	forget(p);
	free(p);
}

void lws_mem_free_all(void)
{
	size_t i;
	for (i = 0; i < live_cap; i++) {
		free(live[i]);
		live[i] = NULL;
	}
	live_n = 0;
}

/* ---- lwIP's globals ------------------------------------------------------- */

extern uint64_t __tc_lwip_state_start[] __attribute__((weak));
extern uint64_t __tc_lwip_state_end[] __attribute__((weak));

static uint64_t *pristine;

static size_t state_words(void)
{
	if (!__tc_lwip_state_start || !__tc_lwip_state_end)
		return 0;
	return (size_t)(__tc_lwip_state_end - __tc_lwip_state_start);
}

/* Word copies through volatile pointers, outside AddressSanitizer's view:
 * the region holds the redzones ASan puts between instrumented globals
 * (memcpy would be intercepted and report them), and volatile keeps the
 * compiler from turning the loop back into a memcpy call. No coverage
 * instrumentation either: a comparison hook per word would cost more than
 * the rest of a fuzz input. */
#if defined(__has_attribute)
#if __has_attribute(disable_sanitizer_instrumentation)
#define NO_COVERAGE __attribute__((disable_sanitizer_instrumentation))
#endif
#endif
#ifndef NO_COVERAGE
#define NO_COVERAGE
#endif
#define NO_INSTRUMENTATION __attribute__((noinline, no_sanitize("address"))) NO_COVERAGE

NO_INSTRUMENTATION static void copy_words(volatile uint64_t *dst, const volatile uint64_t *src,
					  size_t n)
{
	size_t i = 0;
	/* Eight words a round: fewer loop tests for the fuzzer's comparison
	 * hooks, which clang 14 cannot be told to leave out here. */
	for (; n - i >= 8; i += 8) {
		dst[i] = src[i];
		dst[i + 1] = src[i + 1];
		dst[i + 2] = src[i + 2];
		dst[i + 3] = src[i + 3];
		dst[i + 4] = src[i + 4];
		dst[i + 5] = src[i + 5];
		dst[i + 6] = src[i + 6];
		dst[i + 7] = src[i + 7];
	}
	for (; i < n; i++)
		dst[i] = src[i];
}

int lws_mem_snapshot(void)
{
	size_t n = state_words();
	if (pristine || n == 0)
		return n == 0 ? -ENOTSUP : 0;
	pristine = malloc(n * sizeof *pristine);
	if (!pristine)
		return -ENOMEM;
	copy_words(pristine, __tc_lwip_state_start, n);
	return 0;
}

int lws_mem_restore(void)
{
	size_t n = state_words();
	if (!pristine || n == 0)
		return -ENOTSUP;
	copy_words(__tc_lwip_state_start, pristine, n);
	return 0;
}
