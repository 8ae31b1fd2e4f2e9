/* Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4).
 *
 * Every comparison of sequence numbers in tcpcheck goes through these
 * helpers; comparing raw values with `<` is a bug once the space wraps.
 * "a < b" means "a comes before b" in the circular space, which is defined
 * when the two are less than 2^31 apart.
 */
#ifndef TCPCHECK_REFERENCE_SEQ_H
#define TCPCHECK_REFERENCE_SEQ_H

#include <stdbool.h>
#include <stdint.h>

/* a comes strictly before b. */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
/* a comes before or equals b. */
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
/* a comes strictly after b. */
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
/* a comes after or equals b. */
static inline bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
/* lo <= x < hi, the half-open window RFC 9293 §3.10.7.4 uses. */
static inline bool seq_in(uint32_t x, uint32_t lo, uint32_t hi)
{
	return seq_leq(lo, x) && seq_lt(x, hi);
}
/* lo < x <= hi, measured as unsigned distances from lo: exact at any
 * distance. (seq_lt(lo, x) && seq_leq(x, hi) is not: when x is exactly 2^31
 * from lo both hold, since lo and x each "come before" the other.) Used for
 * acknowledgment acceptability, SND.UNA < SEG.ACK =< SND.NXT. */
static inline bool seq_in_oc(uint32_t x, uint32_t lo, uint32_t hi)
{
	return (uint32_t)(x - lo) - 1u < (uint32_t)(hi - lo);
}
/* lo <= x <= hi, by unsigned distance from lo (see seq_in_oc). */
static inline bool seq_in_cc(uint32_t x, uint32_t lo, uint32_t hi)
{
	return (uint32_t)(x - lo) <= (uint32_t)(hi - lo);
}
/* The later of two sequence numbers. */
static inline uint32_t seq_max(uint32_t a, uint32_t b) { return seq_gt(a, b) ? a : b; }
/* The earlier of two sequence numbers. */
static inline uint32_t seq_min(uint32_t a, uint32_t b) { return seq_lt(a, b) ? a : b; }

#endif
