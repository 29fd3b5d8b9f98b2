/*
 * num: exact decimals (see num.h).  Arithmetic runs in __int128 and is
 * brought back to int64 with a check, so nothing wraps silently.
 */
#include "config.h"
#include "num.h"

#include <assert.h>
#include <stdio.h>

typedef __int128 wide;

static const int64_t pow10_tab[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL,
};

static bool fits(wide v)
{
	return v <= INT64_MAX && v >= -INT64_MAX;
}

/* v / 10^k rounded half away from zero. */
static wide div_round(wide v, int k)
{
	if (k <= 0)
		return v;
	wide p = 1;
	for (int i = 0; i < k; i++)
		p *= 10;
	wide q = v / p, r = v % p;
	if (r < 0)
		r = -r;
	if (2 * r >= p)
		q += v < 0 ? -1 : 1;
	return q;
}

/* Bring v (at scale sc) into a num, dropping decimals beyond NUM_MAX_SCALE
 * and trailing zeros while it does not fit. */
static bool make(wide v, int sc, num *out)
{
	if (sc > NUM_MAX_SCALE) {
		v = div_round(v, sc - NUM_MAX_SCALE);
		sc = NUM_MAX_SCALE;
	}
	while (!fits(v) && sc > 0) {
		v = div_round(v, 1);
		sc--;
	}
	if (!fits(v))
		return false;
	out->coef = (int64_t)v;
	out->scale = sc;
	return true;
}

num num_from_int(int64_t v)
{
	return (num){ v, 0 };
}

bool num_parse(const char *s, num *out)
{
	wide v = 0;
	int sc = 0, digits = 0;
	bool neg = false, point = false;

	while (*s == ' ')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9') {
			if (point && sc == NUM_MAX_SCALE)
				continue;	/* beyond what we keep: dropped */
			v = v * 10 + (*s - '0');
			if (v > INT64_MAX)
				return false;
			digits++;
			if (point)
				sc++;
		} else if (*s == ',' && !point && digits > 0 && s[1] >= '0' && s[1] <= '9') {
			continue;
		} else if (*s == '.' && !point) {
			point = true;
		} else {
			break;
		}
	}
	while (*s == ' ')
		s++;
	if (*s || digits == 0)
		return false;
	out->coef = (int64_t)(neg ? -v : v);
	out->scale = sc;
	return true;
}

char *num_str(num a, char buf[NUM_BUFSZ])
{
	return num_fixed(num_trim(a), num_trim(a).scale, buf);
}

char *num_fixed(num a, int decimals, char buf[NUM_BUFSZ])
{
	assert(decimals >= 0 && decimals <= NUM_MAX_SCALE);
	wide v = a.coef;
	if (decimals < a.scale)
		v = div_round(v, a.scale - decimals);
	else
		for (int i = a.scale; i < decimals; i++)
			v *= 10;
	bool neg = v < 0;
	if (neg)
		v = -v;
	if (v == 0)
		neg = false;	/* no "-0.00" */
	char digits[64];
	int n = 0;
	do {
		digits[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v > 0 || n <= decimals);
	char *p = buf;
	if (neg)
		*p++ = '-';
	for (int i = n - 1; i >= 0; i--) {
		*p++ = digits[i];
		if (i == decimals && decimals > 0)
			*p++ = '.';
	}
	*p = '\0';
	return buf;
}

static void align(num a, num b, wide *va, wide *vb, int *sc)
{
	*sc = a.scale > b.scale ? a.scale : b.scale;
	*va = (wide)a.coef * pow10_tab[*sc - a.scale];
	*vb = (wide)b.coef * pow10_tab[*sc - b.scale];
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
	wide v = (wide)a.coef * b.coef;		/* |v| < 2^126: no overflow */
	return make(v, a.scale + b.scale, out);
}

bool num_div(num a, num b, num *out)
{
	if (b.coef == 0)
		return false;
	/* a/b at NUM_MAX_SCALE: (a.coef * 10^k) / b.coef, one extra digit to round. */
	int k = NUM_MAX_SCALE + 1 - a.scale + b.scale;
	wide n = a.coef;
	for (int i = 0; i < k; i++) {
		n *= 10;
		if (n > ((wide)1 << 120) || n < -((wide)1 << 120))
			return false;
	}
	if (k < 0)
		n = div_round(n, -k);
	wide q = n / b.coef;
	return make(div_round(q, 1), NUM_MAX_SCALE, out) && (*out = num_trim(*out), true);
}

num num_round(num a, int decimals)
{
	if (decimals >= a.scale)
		return a;
	num r = { (int64_t)div_round(a.coef, a.scale - decimals), decimals };
	return r;
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
