/*
 * num: exact decimal numbers for money, weights, rates and scores.
 *
 * A value is coef / 10^scale.  Forms keep figures as the text that was typed
 * or printed; num is how the core computes with them, so that 738.62892
 * round-trips and 0.1 + 0.2 is 0.3.  No binary floating point anywhere.
 *
 * Limits: at most NUM_MAX_DIGITS (18) significant digits, at most
 * NUM_MAX_SCALE (12) of them after the point; so |v| < 10^18, and a value
 * with 12 decimals is below 10^6.  A value or a result outside them is an
 * error, never cut: add, sub and mul are exact or false.  Rounding happens
 * only where a caller asks for it (num_round, num_trunc, num_fixed, num_div,
 * num_div_at, num_muldiv), half away from zero unless NUM_DOWN is asked
 * (towards zero), and always once, from the exact value.
 */
#ifndef JXZP_NUM_H
#define JXZP_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NUM_MAX_SCALE 12	/* digits after the point we keep */
#define NUM_MAX_DIGITS 18	/* significant digits: |coef| < 10^18 */
#define NUM_BUFSZ 48		/* enough for any formatted num */

typedef struct {
	int64_t coef;		/* |coef| < 10^NUM_MAX_DIGITS */
	int scale;		/* 0..NUM_MAX_SCALE */
} num;

/* Why a text is not a number. */
enum num_err {
	NUM_OK = 0,
	NUM_E_EMPTY,		/* nothing but blanks */
	NUM_E_SYNTAX,		/* not a decimal ("abc", "1.2.3", "95%" without NUM_PERCENT) */
	NUM_E_DECIMAL_COMMA,	/* "1,5", "160,34": a comma where a point belongs */
	NUM_E_GROUPS,		/* "1,00", "12,34,5": separators not between groups of three */
	NUM_E_SCALE,		/* more than NUM_MAX_SCALE decimals that are not zero */
	NUM_E_RANGE,		/* more than NUM_MAX_DIGITS significant digits */
};

/* The one grammar of a number, for every figure jxzp reads (money,
 * weights, scores, rates, targets, actuals):
 *   blanks* sign? digits ("," three digits)* ("." digits)? "%"? blanks*
 * where a sign is + - U+2212 U+FF0B U+FF0D, a digit 0-9 or ０-９, a point
 * "." or "．", a comma "," or "，", "%" also "％", blanks ASCII or U+3000.
 * Thousands separators go between groups of three digits before the point
 * and nowhere else; ".5" is 0.5.  "%" only with NUM_PERCENT.
 * *decimals (may be NULL) gets the count of decimals as written. */
#define NUM_PERCENT 1u
enum num_err num_read(const char *s, unsigned flags, num *out, int *decimals);
/* The same grammar over a number at the start of s inside a text (no
 * blanks before it, a sign only right before a digit or point): *end
 * is past it.  NUM_E_SYNTAX with *end == s when there is no number. */
enum num_err num_scan(const char *s, const char **end, num *out, int *decimals);
/* The English reason for a num_err, to translate with _() */
const char *num_err_reason(enum num_err e);
/* num_read(s, 0, ...) == NUM_OK */
bool num_parse(const char *s, num *out);

num num_from_int(int64_t v);	/* |v| < 10^18 */

/* Shortest exact text: 738.62892, 0.3, -5, 100. */
char *num_str(num a, char buf[NUM_BUFSZ]);
/* Text with exactly `decimals` (0..NUM_MAX_SCALE) digits, rounded half
 * away from zero. */
char *num_fixed(num a, int decimals, char buf[NUM_BUFSZ]);

/* Exact arithmetic: false when the exact result is outside the limits. */
bool num_add(num a, num b, num *out);
bool num_sub(num a, num b, num *out);
bool num_mul(num a, num b, num *out);

enum num_mode { NUM_HALF_AWAY, NUM_DOWN };
/* a / b rounded once (mode) at `decimals` (0..NUM_MAX_SCALE), for operands
 * of any scale; false on division by zero or a quotient of more than
 * NUM_MAX_DIGITS digits. */
bool num_div_at(num a, num b, int decimals, enum num_mode mode, num *out);
/* a × b / c, the same way: the product is not rounded first. */
bool num_muldiv(num a, num b, num c, int decimals, enum num_mode mode, num *out);
/* a / b with as many decimals as fit (NUM_MAX_SCALE, fewer only when the
 * quotient needs more than NUM_MAX_DIGITS digits), half away from zero,
 * trailing zeros dropped; false on division by zero or a quotient ≥ 10^18. */
bool num_div(num a, num b, num *out);

num num_round(num a, int decimals);	/* half away from zero */
num num_trunc(num a, int decimals);	/* towards zero */
num num_trim(num a);			/* drop trailing zero decimals */
int num_cmp(num a, num b);		/* -1, 0, 1 */
bool num_is_zero(num a);
bool num_is_neg(num a);
num num_min(num a, num b);
num num_max(num a, num b);
num num_abs(num a);

#endif
