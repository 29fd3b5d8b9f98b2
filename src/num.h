/*
 * num: exact decimal numbers for money, weights, rates and scores.
 *
 * A value is coef / 10^scale.  Forms keep figures as the text that was typed
 * or printed; num is how the core computes with them, so that 738.62892
 * round-trips and 0.1 + 0.2 is 0.3.  No binary floating point anywhere.
 * Every operation reports overflow instead of wrapping.
 */
#ifndef JXZP_NUM_H
#define JXZP_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NUM_MAX_SCALE 12	/* digits after the point we keep */
#define NUM_BUFSZ 48		/* enough for any formatted num */

typedef struct {
	int64_t coef;
	int scale;		/* 0..NUM_MAX_SCALE */
} num;

/* Parse ASCII decimal text: optional sign, digits with optional "," group
 * separators, optional fraction.  Leading and trailing ASCII spaces are
 * allowed; anything else (units, %, full-width digits) is not: the caller
 * normalises and strips first.  False on junk or on a value out of range. */
bool num_parse(const char *s, num *out);

num num_from_int(int64_t v);

/* Shortest exact text: 738.62892, 0.3, -5, 100. */
char *num_str(num a, char buf[NUM_BUFSZ]);
/* Text with exactly `decimals` digits, rounded half away from zero. */
char *num_fixed(num a, int decimals, char buf[NUM_BUFSZ]);

/* Arithmetic.  False on overflow (out is then unspecified).  Results keep as
 * many decimals as needed up to NUM_MAX_SCALE; div rounds half away from
 * zero at NUM_MAX_SCALE and fails on division by zero. */
bool num_add(num a, num b, num *out);
bool num_sub(num a, num b, num *out);
bool num_mul(num a, num b, num *out);
bool num_div(num a, num b, num *out);

num num_round(num a, int decimals);	/* half away from zero */
num num_trim(num a);			/* drop trailing zero decimals */
int num_cmp(num a, num b);		/* -1, 0, 1 */
bool num_is_zero(num a);
bool num_is_neg(num a);
num num_min(num a, num b);
num num_max(num a, num b);
num num_abs(num a);

#endif
