/*
 * num: exact decimals (see num.h).  Arithmetic runs in __int128, where
 * every product and aligned sum of two nums fits (10^18 · 10^18 < 2^127),
 * and comes back to a num only when the exact result is inside the limits.
 * Quotients are long divisions that keep the remainder, so a quotient is
 * rounded once, from the exact value, whatever the operands' scales.
 */
#include "config.h"
#include "num.h"

#include <assert.h>
#include <stdio.h>

#include "i18n.h"

typedef __int128 wide;

#define LIMIT ((wide)1000000000000000000LL)	/* 10^NUM_MAX_DIGITS */

static wide pow10w(int k)
{
	assert(k >= 0 && k <= 38);
	wide p = 1;
	while (k-- > 0)
		p *= 10;
	return p;
}

static wide absw(wide v)
{
	return v < 0 ? -v : v;
}

/* v at scale sc as a num: trailing zeros go while it is outside the
 * limits; false when it is still outside them (nothing is rounded). */
static bool make(wide v, int sc, num *out)
{
	while ((sc > NUM_MAX_SCALE || absw(v) >= LIMIT) && sc > 0 && v % 10 == 0) {
		v /= 10;
		sc--;
	}
	if (sc > NUM_MAX_SCALE || absw(v) >= LIMIT)
		return false;
	out->coef = (int64_t)v;
	out->scale = sc;
	return true;
}

num num_from_int(int64_t v)
{
	return (num){ v, 0 };
}

/* ---- the one grammar ------------------------------------------------------ */

/* The ASCII character the grammar reads at p (a full-width digit, point,
 * comma, sign or percent, U+2212, U+3000 as their ASCII), its length in
 * *len; 0 for any other character. */
static char gchar(const char *p, size_t *len)
{
	const unsigned char *u = (const unsigned char *)p;
	*len = 1;
	if (u[0] < 0x80)
		return (char)u[0];
	if (u[0] == 0xef && u[1] == 0xbc && u[2]) {
		*len = 3;
		if (u[2] >= 0x90 && u[2] <= 0x99)
			return (char)('0' + (u[2] - 0x90));	/* U+FF10..FF19 */
		switch (u[2]) {
		case 0x8e: return '.';	/* U+FF0E */
		case 0x8c: return ',';	/* U+FF0C */
		case 0x8b: return '+';	/* U+FF0B */
		case 0x8d: return '-';	/* U+FF0D */
		case 0x85: return '%';	/* U+FF05 */
		}
		return 0;
	}
	if (u[0] == 0xe2 && u[1] == 0x88 && u[2] == 0x92) {
		*len = 3;
		return '-';		/* U+2212 */
	}
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80) {
		*len = 3;
		return ' ';		/* U+3000 */
	}
	return 0;
}

static bool gdigit(const char *p)
{
	size_t k;
	char c = gchar(p, &k);
	return c >= '0' && c <= '9';
}

/* Digits from p: their count, *p moved past them, each one fed to dig. */
struct acc {
	wide v;			/* significant digits so far */
	int sc, pend, written;	/* scale of v, zero decimals not yet in v, decimals written */
	bool range;
};

static void feed(struct acc *a, int d, bool frac)
{
	if (a->range)
		return;
	if (frac) {
		a->written++;
		if (d == 0) {
			a->pend++;
			return;
		}
		for (; a->pend > 0; a->pend--, a->sc++) {
			a->v *= 10;
			if (a->v >= LIMIT) {
				a->range = true;	/* "9.000…0009": too many digits */
				return;
			}
		}
		a->sc++;
	}
	a->v = a->v * 10 + d;
	if (a->v >= LIMIT)
		a->range = true;
}

static int run_digits(const char **pp, struct acc *a, bool frac)
{
	int n = 0;
	size_t k;
	char c;
	while ((c = gchar(*pp, &k)) >= '0' && c <= '9') {
		feed(a, c - '0', frac);
		*pp += k;
		n++;
	}
	return n;
}

/* The grammar at s; whole: the text must end after it (blanks aside). */
static enum num_err grammar(const char *s, bool whole, unsigned flags, const char **end,
			    num *out, int *decimals)
{
	const char *p = s;
	size_t k;
	char c;
	if (whole)
		while ((c = gchar(p, &k)) == ' ' || c == '\t' || c == '\n' || c == '\r')
			p += k;
	if (whole && !*p)
		return NUM_E_EMPTY;
	bool neg = false;
	c = gchar(p, &k);
	if (c == '+' || c == '-') {
		const char *q = p + k;
		size_t k2;
		if (!gdigit(q) && !(gchar(q, &k2) == '.' && gdigit(q + k2)))
			return NUM_E_SYNTAX;
		neg = c == '-';
		p = q;
	}
	struct acc a = { 0, 0, 0, 0, false };
	int first = run_digits(&p, &a, false);
	enum num_err err = NUM_OK;
	int commas = 0;
	bool bad_group = false;
	while (first > 0 && gchar(p, &k) == ',' && gdigit(p + k)) {
		p += k;
		commas++;
		int g = run_digits(&p, &a, false);
		if (g != 3 || first > 3)
			bad_group = true;
	}
	bool point = false;
	c = gchar(p, &k);
	if (c == '.' && gdigit(p + k)) {
		p += k;
		point = true;
		run_digits(&p, &a, true);
	} else if (first == 0) {
		return NUM_E_SYNTAX;
	}
	if (bad_group) {
		/* one comma with no point after it: the decimal comma of "1,5" */
		err = commas == 1 && !point ? NUM_E_DECIMAL_COMMA : NUM_E_GROUPS;
	}
	if (flags & NUM_PERCENT) {
		const char *q = p;
		while ((c = gchar(q, &k)) == ' ')
			q += k;
		if (gchar(q, &k) == '%')
			p = q + k;
	}
	if (end)
		*end = p;
	if (whole) {
		while ((c = gchar(p, &k)) == ' ' || c == '\t' || c == '\n' || c == '\r')
			p += k;
		if (*p)
			return err ? err : NUM_E_SYNTAX;
	}
	if (err)
		return err;
	if (a.range)
		return NUM_E_RANGE;
	if (a.sc > NUM_MAX_SCALE)
		return NUM_E_SCALE;
	/* the decimals as written where they fit ("95.50" keeps its 0) */
	while (a.pend > 0 && a.sc < NUM_MAX_SCALE && a.v * 10 < LIMIT) {
		a.v *= 10;
		a.sc++;
		a.pend--;
	}
	out->coef = (int64_t)(neg ? -a.v : a.v);
	out->scale = a.sc;
	if (decimals)
		*decimals = a.written;
	return NUM_OK;
}

enum num_err num_read(const char *s, unsigned flags, num *out, int *decimals)
{
	if (!s)
		return NUM_E_EMPTY;
	return grammar(s, true, flags, NULL, out, decimals);
}

enum num_err num_scan(const char *s, const char **end, num *out, int *decimals)
{
	*end = s;
	const char *e = s;
	enum num_err r = grammar(s, false, 0, &e, out, decimals);
	if (r != NUM_E_SYNTAX)
		*end = e;
	return r;
}

bool num_parse(const char *s, num *out)
{
	return num_read(s, 0, out, NULL) == NUM_OK;
}

const char *num_err_reason(enum num_err e)
{
	switch (e) {
	case NUM_OK:
		return "";
	case NUM_E_EMPTY:
		return N_("it is empty");
	case NUM_E_DECIMAL_COMMA:
		return N_("a comma cannot be the decimal point: write 1.5, not 1,5");
	case NUM_E_GROUPS:
		return N_("thousands separators go between groups of three digits, as in 1,234,567.5");
	case NUM_E_SCALE:
		return N_("more than 12 decimals");
	case NUM_E_RANGE:
		return N_("more than 18 digits");
	case NUM_E_SYNTAX:
		break;
	}
	return N_("write digits only, such as 95.5");
}

/* ---- text -------------------------------------------------------------------- */

char *num_str(num a, char buf[NUM_BUFSZ])
{
	a = num_trim(a);
	return num_fixed(a, a.scale, buf);
}

/* |N| · 10^e / D (D > 0) rounded once by mode into *q with its sign;
 * false when the result is 10^18 or more. */
static bool qround(wide N, wide D, int e, enum num_mode mode, wide *q)
{
	assert(D > 0);
	bool neg = N < 0;
	wide n = absw(N), Q = n / D, R = n % D, r;
	bool up;
	if (e >= 0) {
		for (int i = 0; i < e; i++) {
			if (Q >= LIMIT)
				return false;
			Q = Q * 10 + (R * 10) / D;
			R = (R * 10) % D;
		}
		up = 2 * R >= D;
		r = Q;
	} else {
		/* (Q + R/D) / 10^k: the low digits of Q and the remainder decide */
		wide p = pow10w(-e), lo = Q % p, t = 2 * lo;
		r = Q / p;
		up = t >= p || (p - t == 1 && 2 * R >= D);
	}
	if (mode == NUM_HALF_AWAY && up)
		r++;
	if (r >= LIMIT)
		return false;
	*q = neg ? -r : r;
	return true;
}

char *num_fixed(num a, int decimals, char buf[NUM_BUFSZ])
{
	assert(decimals >= 0 && decimals <= NUM_MAX_SCALE);
	wide v = a.coef;
	if (decimals < a.scale)
		qround(v, 1, decimals - a.scale, NUM_HALF_AWAY, &v);	/* smaller: fits */
	else
		v *= pow10w(decimals - a.scale);
	bool neg = v < 0;
	if (neg)
		v = -v;
	char digits[64];
	int n = 0;
	do {
		digits[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v > 0 || n <= decimals);
	char *p = buf;
	if (neg)
		*p++ = '-';	/* never "-0.00": v was not 0 */
	for (int i = n - 1; i >= 0; i--) {
		*p++ = digits[i];
		if (i == decimals && decimals > 0)
			*p++ = '.';
	}
	*p = '\0';
	return buf;
}

/* ---- arithmetic ------------------------------------------------------------- */

static void align(num a, num b, wide *va, wide *vb, int *sc)
{
	*sc = a.scale > b.scale ? a.scale : b.scale;
	*va = (wide)a.coef * pow10w(*sc - a.scale);
	*vb = (wide)b.coef * pow10w(*sc - b.scale);
}

bool num_add(num a, num b, num *out)
{
	wide va, vb;
	int sc;
	align(a, b, &va, &vb, &sc);
	return make(va + vb, sc, out);
}

bool num_sub(num a, num b, num *out)
{
	wide va, vb;
	int sc;
	align(a, b, &va, &vb, &sc);
	return make(va - vb, sc, out);
}

bool num_mul(num a, num b, num *out)
{
	return make((wide)a.coef * b.coef, a.scale + b.scale, out);
}

/* N / 10^sn ÷ (D / 10^sd) at `decimals`. */
static bool quotient(wide N, int sn, wide D, int sd, int decimals, enum num_mode mode, num *out)
{
	assert(decimals >= 0 && decimals <= NUM_MAX_SCALE);
	if (D == 0)
		return false;
	if (D < 0) {
		D = -D;
		N = -N;
	}
	wide q;
	if (!qround(N, D, decimals + sd - sn, mode, &q))
		return false;
	out->coef = (int64_t)q;
	out->scale = decimals;
	return true;
}

bool num_div_at(num a, num b, int decimals, enum num_mode mode, num *out)
{
	return quotient(a.coef, a.scale, b.coef, b.scale, decimals, mode, out);
}

bool num_muldiv(num a, num b, num c, int decimals, enum num_mode mode, num *out)
{
	return quotient((wide)a.coef * b.coef, a.scale + b.scale, c.coef, c.scale, decimals, mode, out);
}

bool num_div(num a, num b, num *out)
{
	for (int d = NUM_MAX_SCALE; d >= 0; d--)
		if (num_div_at(a, b, d, NUM_HALF_AWAY, out)) {
			*out = num_trim(*out);
			return true;
		}
	return false;
}

static num reduce(num a, int decimals, enum num_mode mode)
{
	if (decimals < 0)
		decimals = 0;
	if (decimals >= a.scale)
		return a;
	wide q;
	qround(a.coef, 1, decimals - a.scale, mode, &q);	/* smaller: fits */
	return (num){ (int64_t)q, decimals };
}

num num_round(num a, int decimals)
{
	return reduce(a, decimals, NUM_HALF_AWAY);
}

num num_trunc(num a, int decimals)
{
	return reduce(a, decimals, NUM_DOWN);
}

num num_trim(num a)
{
	while (a.scale > 0 && a.coef % 10 == 0) {
		a.coef /= 10;
		a.scale--;
	}
	return a;
}

int num_cmp(num a, num b)
{
	wide va, vb;
	int sc;
	align(a, b, &va, &vb, &sc);
	return (va > vb) - (va < vb);
}

bool num_is_zero(num a) { return a.coef == 0; }
bool num_is_neg(num a) { return a.coef < 0; }
num num_min(num a, num b) { return num_cmp(a, b) <= 0 ? a : b; }
num num_max(num a, num b) { return num_cmp(a, b) >= 0 ? a : b; }
num num_abs(num a) { if (a.coef < 0) a.coef = -a.coef; return a; }
