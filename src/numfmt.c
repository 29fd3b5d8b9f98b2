/*
 * numfmt: number formats of spreadsheets (numfmt.h).
 */
#include "config.h"
#include "numfmt.h"
#include "sbuf.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *numfmt_builtin(int id)
{
	switch (id) {
	case 1: return "0";
	case 2: return "0.00";
	case 3: return "#,##0";
	case 4: return "#,##0.00";
	case 9: return "0%";
	case 10: return "0.00%";
	case 11: return "0.00E+00";
	case 14: return "yyyy/m/d";	/* as a Chinese Excel shows it */
	case 15: return "d-mmm-yy";
	case 16: return "d-mmm";
	case 17: return "mmm-yy";
	case 18: return "h:mm AM/PM";
	case 19: return "h:mm:ss AM/PM";
	case 20: return "h:mm";
	case 21: return "h:mm:ss";
	case 22: return "yyyy/m/d h:mm";
	case 31: return "yyyy\"年\"m\"月\"d\"日\"";
	case 32: return "h\"时\"mm\"分\"";
	case 33: return "h\"时\"mm\"分\"ss\"秒\"";
	case 37: return "#,##0 ;(#,##0)";
	case 38: return "#,##0 ;(#,##0)";
	case 39: return "#,##0.00;(#,##0.00)";
	case 40: return "#,##0.00;(#,##0.00)";
	case 45: return "mm:ss";
	case 46: return "[h]:mm:ss";
	case 47: return "mm:ss.0";
	case 48: return "##0.0E+0";
	case 49: return "@";
	case 57: return "yyyy\"年\"m\"月\"";
	case 58: return "m\"月\"d\"日\"";
	default: return NULL;
	}
}

/* ---- exact decimals of a double ---------------------------------------- */

/* |x| = d[0].d[1]...d[n-1] x 10^e, the shortest digits that read back as x. */
struct decimal {
	char d[24];
	int n, e;
	bool neg;
};

static void to_decimal(double x, struct decimal *v)
{
	memset(v, 0, sizeof *v);
	v->neg = signbit(x) != 0;
	x = fabs(x);
	if (x == 0)
		return;
	char buf[48];
	for (int p = 1; p <= 15; p++) {	/* Excel shows 15 digits at most */
		snprintf(buf, sizeof buf, "%.*e", p - 1, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	const char *s = buf;
	for (; *s && *s != 'e'; s++)
		if (isdigit((unsigned char)*s) && v->n < (int)sizeof v->d)
			v->d[v->n++] = *s;
	v->e = *s == 'e' ? atoi(s + 1) : 0;
	while (v->n > 0 && v->d[v->n - 1] == '0')
		v->n--;
}

static int digit_at(const struct decimal *v, int w)	/* digit of weight 10^w */
{
	int i = v->e - w;
	return i >= 0 && i < v->n ? v->d[i] - '0' : 0;
}

/* Fixed point with at most kmax and at least kmin decimals, at least imin
 * integer digits, thousands grouped; rounded half away from zero. */
static void fixed(const struct decimal *v, int kmax, int kmin, int imin, bool group,
		  struct sbuf *out, bool *zero)
{
	int I = v->e + 1 > 1 ? v->e + 1 : 1;
	int len = I + kmax;
	char *a = malloc((size_t)len + 2);
	if (!a)
		abort();
	a[0] = 0;	/* room for a carry */
	for (int j = 0; j < len; j++)
		a[j + 1] = (char)digit_at(v, I - 1 - j);
	if (digit_at(v, -kmax - 1) >= 5) {
		int j = len;
		while (j >= 0 && a[j] == 9)
			a[j--] = 0;
		if (j >= 0)
			a[j]++;
	}
	int start = a[0] ? 0 : 1;	/* a carry made a new leading digit */
	int ni = I + 1 - start;		/* integer digits */
	int nf = kmax;
	while (nf > kmin && a[1 + I + nf - 1] == 0)
		nf--;
	*zero = true;
	for (int j = 0; j <= len; j++)
		if (a[j])
			*zero = false;
	/* integer part without leading zeros, then padded to imin */
	int first = start, last_int = I;	/* a[start..I] */
	while (first < last_int && a[first] == 0)
		first++;
	int shown = last_int - first + 1;
	if (shown == 1 && a[first] == 0)
		shown = 0;
	(void)ni;
	int width = shown > imin ? shown : imin;
	for (int j = 0; j < width; j++) {
		int src = last_int - width + 1 + j;
		char c = (char)('0' + (src >= start && src <= last_int ? a[src] : 0));
		sb_addn(out, &c, 1);
		int left = width - 1 - j;
		if (group && left > 0 && left % 3 == 0)
			sb_add(out, ",");
	}
	if (nf > 0) {
		sb_add(out, ".");
		for (int j = 0; j < nf; j++) {
			char c = (char)('0' + a[1 + I + j]);
			sb_addn(out, &c, 1);
		}
	}
	free(a);
}

static void general(double x, struct sbuf *out)
{
	struct decimal v;
	to_decimal(x, &v);
	if (v.n == 0) {
		sb_add(out, "0");
		return;
	}
	if (v.neg)
		sb_add(out, "-");
	if (v.e >= -10 && v.e < 21) {
		int k = v.n - 1 - v.e;
		bool z;
		fixed(&v, k > 0 ? k : 0, k > 0 ? k : 0, 1, false, out, &z);
		return;
	}
	char buf[64];
	snprintf(buf, sizeof buf, "%c", v.d[0]);
	sb_add(out, buf);
	if (v.n > 1) {
		sb_add(out, ".");
		sb_addn(out, v.d + 1, (size_t)v.n - 1);
	}
	snprintf(buf, sizeof buf, "E%c%02d", v.e < 0 ? '-' : '+', abs(v.e));
	sb_add(out, buf);
}

/* ---- format codes ---------------------------------------------------------- */

/* A section's condition ([<100], [>=0], [=0], [<>1], after any [Red]): 1
 * when it holds for x, 0 when not, -1 when the section has none. */
static int condition(const char *s, size_t len, double x)
{
	const char *end = s + len;
	while (s < end && *s == '[') {
		const char *e = memchr(s, ']', (size_t)(end - s));
		if (!e)
			return -1;
		const char *c = s + 1;
		if (c < e && strchr("<>=", *c)) {
			char op[3] = { 0 };
			size_t k = 0;
			while (c < e && k < 2 && strchr("<>=", *c))
				op[k++] = *c++;
			char num[64];
			size_t n = (size_t)(e - c) < sizeof num - 1 ? (size_t)(e - c) : sizeof num - 1;
			memcpy(num, c, n);
			num[n] = '\0';
			char *q;
			double v = strtod(num, &q);
			if (q == num)
				return -1;
			bool r = !strcmp(op, "<") ? x < v : !strcmp(op, ">") ? x > v :
				 !strcmp(op, "<=") ? x <= v : !strcmp(op, ">=") ? x >= v :
				 !strcmp(op, "<>") ? x != v : x == v;
			return r;
		}
		s = e + 1;
	}
	return -1;
}

/* A section holding General among literals (General"万元"): the literals as
 * they stand, the shortest exact decimal where General is. */
static bool general_among(const char *code, double x, struct sbuf *out)
{
	const char *g = NULL;
	bool quote = false;
	for (const char *s = code; *s && !g; s++) {
		if (*s == '"')
			quote = !quote;
		else if (!quote && *s == '\\' && s[1])
			s++;
		else if (!quote && strncasecmp(s, "General", 7) == 0)
			g = s;
	}
	if (!g)
		return false;
	for (const char *s = code; *s; s++) {
		if (s == g) {
			general(x, out);
			s += 6;
		} else if (*s == '"') {
			const char *e = strchr(s + 1, '"');
			size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
			sb_addn(out, s + 1, n);
			s += n + (e ? 1 : 0);
		} else if ((*s == '\\' || *s == '_' || *s == '*') && s[1]) {
			if (*s == '\\')
				sb_addn(out, s + 1, 1);	/* _x: room for x, *x: fill */
			s++;
		} else if (*s == '[') {
			const char *e = strchr(s, ']');
			if (!e)
				break;
			s = e;
		} else {
			sb_addn(out, s, 1);
		}
	}
	return true;
}

/* The section of code for x (positive;negative;zero;text); *abs_value when
 * the section shows the sign itself. */
static char *section(const char *code, double x, bool *abs_value)
{
	const char *sec[4];
	size_t len[4];
	int n = 0;
	const char *s = code, *start = code;
	bool quote = false;
	for (;; s++) {
		if (*s == '"')
			quote = !quote;
		else if (*s == '\\' && s[1])
			s++;
		else if ((*s == ';' && !quote) || !*s) {
			if (n < 4) {
				sec[n] = start;
				len[n++] = (size_t)(s - start);
			}
			if (!*s)
				break;
			start = s + 1;
		}
	}
	int pick = 0;
	*abs_value = false;
	bool conditions = false;
	for (int i = 0; i < n && i < 2; i++)
		conditions |= condition(sec[i], len[i], x) >= 0;
	if (conditions) {
		/* [=0]"-";0.00: the first section whose condition holds, else the
		 * first without one; the sign shown as numbers show it */
		for (pick = 0; pick < n; pick++) {
			int c = condition(sec[pick], len[pick], x);
			if (c != 0)
				break;
		}
		if (pick == n)
			pick = n - 1;
	} else if (x < 0 && n >= 2) {
		pick = 1;
		*abs_value = true;
	} else if (x == 0 && n >= 3) {
		pick = 2;
	}
	char *r = malloc(len[pick] + 1);
	if (!r)
		abort();
	memcpy(r, sec[pick], len[pick]);
	r[len[pick]] = '\0';
	return r;
}

/* Date tokens outside quotes and brackets? */
bool numfmt_is_date(const char *code)
{
	if (!code)
		return false;
	bool quote = false;
	for (const char *s = code; *s; s++) {
		if (*s == '"') {
			quote = !quote;
		} else if (quote) {
			continue;
		} else if (*s == '\\' && s[1]) {
			s++;
		} else if (*s == '[') {
			const char *e = strchr(s, ']');
			if (!e)
				break;
			if (e - s >= 2 && strchr("hms", tolower((unsigned char)s[1])))
				return true;	/* [h] elapsed hours */
			s = e;
		} else if (strchr("yYdDhHsS", *s) || ((*s == 'm' || *s == 'M'))) {
			return true;
		} else if (*s == 'e' || *s == 'E') {
			if (s[1] == '+' || s[1] == '-')
				return false;	/* scientific */
		}
	}
	return false;
}

/* days since 1970-01-01 to y/m/d (H. Hinnant's civil_from_days) */
static void civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = (long)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

static const char *const mon_abbr[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					"Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static void date(double x, const char *code, bool date1904, struct sbuf *out)
{
	if (!(x >= 0 && x < 2958466)) {	/* before 1900 or after 9999: as Excel, not a date */
		general(x, out);
		return;
	}
	double days = floor(x);
	long secs = lround((x - days) * 86400.0);
	if (secs >= 86400) {
		days += 1;
		secs -= 86400;
	}
	long serial = (long)days;
	int y, m, d;
	if (date1904) {
		civil(serial - 24107, &y, &m, &d);	/* 1904-01-01 is day 0 */
	} else if (serial == 60) {
		y = 1900, m = 2, d = 29;	/* Excel's leap day that never was */
	} else {
		civil(serial - 25569 + (serial < 60 ? 1 : 0), &y, &m, &d);
	}
	int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	bool ampm = strcasestr(code, "AM/PM") != NULL;
	bool after_h = false;
	char buf[32];
	for (const char *s = code; *s;) {
		char c = (char)tolower((unsigned char)*s);
		size_t run = 1;
		while (tolower((unsigned char)s[run]) == c && strchr("ymdhs", c))
			run++;
		if (*s == '"') {
			const char *e = strchr(s + 1, '"');
			size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
			sb_addn(out, s + 1, n);
			s += n + (e ? 2 : 1);
			continue;
		}
		if (*s == '\\' && s[1]) {
			sb_addn(out, s + 1, 1);
			s += 2;
			continue;
		}
		if (*s == '[') {
			const char *e = strchr(s, ']');
			if (e && e - s >= 2 && tolower((unsigned char)s[1]) == 'h') {
				snprintf(buf, sizeof buf, "%ld", serial * 24 + hh);
				sb_add(out, buf);
				after_h = true;
			}
			s = e ? e + 1 : s + strlen(s);
			continue;
		}
		if (strncasecmp(s, "AM/PM", 5) == 0) {
			sb_add(out, hh < 12 ? "AM" : "PM");
			s += 5;
			continue;
		}
		switch (c) {
		case 'y':
			snprintf(buf, sizeof buf, run >= 3 ? "%04d" : "%02d", run >= 3 ? y : y % 100);
			break;
		case 'm': {
			/* minutes right after hours or before seconds */
			const char *nx = s + run;
			while (*nx && !strchr("ymdhsYMDHS", *nx))
				nx++;
			bool minutes = after_h || tolower((unsigned char)*nx) == 's';
			if (minutes)
				snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", mi);
			else if (run >= 3)
				snprintf(buf, sizeof buf, "%s", mon_abbr[m - 1]);
			else
				snprintf(buf, sizeof buf, run == 2 ? "%02d" : "%d", m);
			after_h = false;
			break;
		}
		case 'd':
			snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", d);
			break;
		case 'h': {
			int h = ampm ? (hh % 12 ? hh % 12 : 12) : hh;
			snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", h);
			after_h = true;
			break;
		}
		case 's':
			snprintf(buf, sizeof buf, run >= 2 ? "%02d" : "%d", ss);
			after_h = false;
			break;
		default:
			if (*s == '_' && s[1]) {	/* the width of a character: a space */
				sb_add(out, " ");
				s += 2;
				continue;
			}
			if (*s == '*' && s[1]) {	/* fill: nothing */
				s += 2;
				continue;
			}
			sb_addn(out, s, 1);
			s++;
			continue;
		}
		sb_add(out, buf);
		s += run;
	}
}

/* A number format: literals around one run of digit placeholders. */
static void number(double x, const char *code, bool abs_value, struct sbuf *out)
{
	/* first pass: the shape of the placeholders */
	int pct = 0, imin = 0, kmax = 0, kmin = 0, emin = 0;
	bool dot = false, group = false, sci = false, esign = false, any = false;
	bool quote = false;
	for (const char *s = code; *s; s++) {
		if (*s == '"') {
			quote = !quote;
			continue;
		}
		if (quote)
			continue;
		if (*s == '\\' || *s == '_' || *s == '*') {
			if (s[1])
				s++;
			continue;
		}
		if (*s == '[') {
			const char *e = strchr(s, ']');
			if (!e)
				break;
			s = e;
			continue;
		}
		if (*s == '%')
			pct++;
		else if ((*s == 'E' || *s == 'e') && (s[1] == '+' || s[1] == '-') && any) {
			sci = true;
			esign = s[1] == '+';
			s++;
			while (s[1] == '0' || s[1] == '#')
				emin += *++s == '0';
		} else if (*s == '.' && any && !dot)
			dot = true;
		else if (*s == '.' && !any && !dot && (s[1] == '0' || s[1] == '#' || s[1] == '?')) {
			dot = true;
			any = true;
		} else if (*s == ',' && any && !dot)
			group = true;
		else if (*s == '0' || *s == '#' || *s == '?') {
			any = true;
			if (dot) {
				kmax++;
				if (*s != '#')
					kmin = kmax;
			} else if (*s == '0') {
				imin++;
			}
		}
	}
	if (!any && !*code) {
		general(x, out);
		return;
	}
	struct decimal v;
	to_decimal(x, &v);
	if (v.n)
		v.e += 2 * pct;
	if (!any)	/* literals only ("—" for zero): they are what it shows */
		v.neg = false;
	struct sbuf num = { 0 };
	bool zero = true;
	int exp10 = 0;
	if (sci && v.n) {
		/* mantissa with imin integer digits (at least 1) */
		int ip = imin > 0 ? imin : 1;
		exp10 = v.e - (ip - 1);
		struct decimal m = v;
		m.e = ip - 1;
		fixed(&m, kmax, kmin, ip, false, &num, &zero);
		/* a carry may have made the mantissa one digit longer */
		size_t intlen = strcspn(num.s, ".");
		if ((int)intlen > ip) {
			free(sb_take(&num));
			m = v;
			m.e = ip - 1;
			m.n = 1;
			m.d[0] = '1';
			exp10++;
			fixed(&m, kmax, kmin, ip, false, &num, &zero);
		}
	} else {
		fixed(&v, kmax, kmin, imin, group, &num, &zero);
	}
	/* second pass: literals in place, the number at its first placeholder */
	bool placed = false;
	quote = false;
	if (v.neg && !abs_value && !zero)
		sb_add(out, "-");
	for (const char *s = code; *s; s++) {
		if (*s == '"') {
			const char *e = strchr(s + 1, '"');
			size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
			sb_addn(out, s + 1, n);
			s += n + (e ? 1 : 0);
			continue;
		}
		if (*s == '\\' && s[1]) {
			sb_addn(out, ++s, 1);
			continue;
		}
		if (*s == '_' && s[1]) {
			sb_add(out, " ");
			s++;
			continue;
		}
		if (*s == '*' && s[1]) {
			s++;
			continue;
		}
		if (*s == '[') {
			const char *e = strchr(s, ']');
			if (!e)
				break;
			if (s[1] == '$') {	/* [$¥-804]: a currency symbol */
				const char *m = memchr(s + 2, '-', (size_t)(e - s - 2));
				sb_addn(out, s + 2, (size_t)((m ? m : e) - s - 2));
			}
			s = e;
			continue;
		}
		if ((any && strchr("0#?.,", *s)) || ((*s == 'E' || *s == 'e') && sci && (s[1] == '+' || s[1] == '-'))) {
			if (!placed) {
				sb_add(out, num.s ? num.s : "");
				if (sci) {
					char buf[32];
					int w = emin > 0 ? (emin < 9 ? emin : 9) : 1;
					snprintf(buf, sizeof buf, "E%s%0*d",
						 exp10 < 0 ? "-" : esign ? "+" : "", w, abs(exp10));
					sb_add(out, buf);
				}
				placed = true;
			}
			if ((*s == 'E' || *s == 'e') && sci)
				s++;
			continue;
		}
		sb_addn(out, s, 1);
	}
	free(num.s);
}

char *numfmt_show(const char *v, const char *code, bool date1904)
{
	char *end;
	double x = strtod(v, &end);
	struct sbuf out = { 0 };
	while (*end == ' ')
		end++;
	if (end == v || *end || !isfinite(x)) {
		sb_add(&out, v);	/* not a number: as it stands */
		return sb_take(&out);
	}
	if (!code || !*code || strcasecmp(code, "General") == 0 || strcmp(code, "@") == 0) {
		general(x, &out);
		return sb_take(&out);
	}
	bool abs_value;
	char *sec = section(code, x, &abs_value);
	if (strcasecmp(sec, "General") == 0 || strcmp(sec, "@") == 0)
		general(abs_value ? fabs(x) : x, &out);
	else if (general_among(sec, abs_value ? fabs(x) : x, &out))
		;
	else if (numfmt_is_date(sec))
		date(x, sec, date1904, &out);
	else
		number(x, sec, abs_value, &out);
	free(sec);
	return sb_take(&out);
}
