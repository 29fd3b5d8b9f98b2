/*
 * target: reads 年度指标值 and 实际完成值 into a struct reading (target.h,
 * spec/rules.md "Reading targets and actual values").
 *
 * Promises: pure (no I/O, no globals written), no allocation on the common
 * path, never reads past the text, any byte string in gives a reading out.
 * Text is cut to TEXT_MAX bytes (targets are short; long texts are only ever
 * judged as text by the rules, which read the field itself).  NFKC is skipped
 * when every character is one NFKC leaves alone (ASCII, CJK ideographs,
 * ≤ ≥ 、 。), which is nearly every target; otherwise ustr_nfkc_buf does it.
 */
#include "config.h"
#include "target.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uninorm.h>

const char *const nature_symbol[5] = { "", "≥", "≤", "=", "定性" };

#define TEXT_MAX 512		/* bytes of the text that are read */

/* ---- small text helpers ------------------------------------------------ */

/* Does p start with w?  A byte loop: it stops at the first difference,
 * which is nearly always the first byte (cheaper than strlen + strncmp). */
static inline bool starts(const char *p, const char *w)
{
	while (*w)
		if (*p++ != *w++)
			return false;
	return true;
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Bytes of the UTF-8 character at p (1 for a stray byte), never past NUL. */
static size_t ch_len(const char *p)
{
	unsigned char c = (unsigned char)*p;
	size_t n = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	for (size_t i = 1; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			return i;
	return n;
}

/* A CJK ideograph (U+3400..U+9FFF): lead bytes E3 90.. to E9. */
static bool is_ideograph(const char *p)
{
	/* byte by byte, so that a NUL stops the reading */
	unsigned char c = (unsigned char)p[0];
	if (c < 0xe3 || c > 0xe9)
		return false;
	unsigned char d = (unsigned char)p[1];
	if ((d & 0xc0) != 0x80 || ((unsigned char)p[2] & 0xc0) != 0x80)
		return false;	/* not a whole three-byte character */
	return c >= 0xe4 || d >= 0x90;
}

/* Bytes of the character at p when NFKC leaves it alone and it composes
 * with nothing before it, else 0.  A whitelist, so a "yes" is always right:
 * ASCII, CJK ideographs U+3400..U+9FFF, ≤ ≥ – — 、 。 “ ”. */
static size_t keep_len(const unsigned char *p)
{
	if (*p < 0x80)
		return 1;
	if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
		return 0;
	if (p[0] >= 0xe4 && p[0] <= 0xe9)
		return 3;
	if (p[0] == 0xe3 && p[1] >= 0x90)
		return 3;
	if (p[0] == 0xe2 && p[1] == 0x89 && (p[2] == 0xa4 || p[2] == 0xa5))
		return 3;	/* ≤ ≥ */
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0x93 || p[2] == 0x94 || p[2] == 0x9c || p[2] == 0x9d))
		return 3;	/* – — “ ” */
	if (p[0] == 0xe3 && p[1] == 0x80 && (p[2] == 0x81 || p[2] == 0x82))
		return 3;	/* 、 。 */
	return 0;
}

/* Copy at most len-1 bytes of s into buf without cutting a character. */
static void copy_cut(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);
	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
}

/* Appends up to n bytes of r to buf (holding *o of len), whole characters. */
static void append(char *buf, size_t len, size_t *o, const char *r, size_t n)
{
	if (*o + n >= len) {
		n = len - 1 - *o;
		while (n > 0 && ((unsigned char)r[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(buf + *o, r, n);
	*o += n;
}

/* NFKC of s (its first TEXT_MAX bytes) into buf.  Characters NFKC leaves
 * alone are copied; each run of the others, with the character before it
 * (it may compose with them), goes through libunistring's u8_normalize into
 * a stack buffer, so the common full-width "（" or "，" in a long text costs
 * a few characters, not the whole text, and nothing is allocated unless a
 * run grows past 256 bytes. */
static void normalise(const char *s, char *buf, size_t len)
{
	assert(len > 1);
	size_t n = strnlen(s, TEXT_MAX + 1);
	if (n > TEXT_MAX) {
		n = TEXT_MAX;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	const char *p = s, *end = s + n, *prev = NULL;
	size_t o = 0, prev_o = 0;
	while (p < end && o + 1 < len) {
		/* a run NFKC leaves alone, copied whole */
		const char *q = p, *last = NULL;
		size_t k;
		while (q < end && (k = keep_len((const unsigned char *)q))) {
			last = q;
			q += k;
		}
		if (q > end)
			q = end;
		if (q > p) {
			append(buf, len, &o, p, (size_t)(q - p));
			if (o + 1 >= len)
				break;
			prev = last;
			prev_o = o - (size_t)(q - last);
			p = q;
			continue;
		}
		/* a run it may change, with the character before it */
		while (q < end && !keep_len((const unsigned char *)q))
			q += ch_len(q);
		if (q > end)
			q = end;
		const char *from = prev ? prev : p;
		if (prev)
			o = prev_o;
		uint8_t tmp[256];
		size_t rn = sizeof tmp;
		uint8_t *r = u8_normalize(UNINORM_NFKC, (const uint8_t *)from, (size_t)(q - from), tmp, &rn);
		if (r) {
			append(buf, len, &o, (const char *)r, rn);
			if (r != tmp)
				free(r);
		} else {	/* invalid UTF-8: kept as it is */
			append(buf, len, &o, from, (size_t)(q - from));
		}
		prev = NULL;
		p = q;
	}
	buf[o] = '\0';
}

/* In place: drop LaTeX dollars and HTML tags, spell \geq \leq \% as the
 * characters, ≧ ≦ as ≥ ≤, and trim.  The text never grows. */
static void clean(char *s)
{
	static const struct { const char *from, *to; } rep[] = {
		{ "\\geqslant", "≥" }, { "\\leqslant", "≤" }, { "\\geq", "≥" }, { "\\leq", "≤" },
		{ "\\ge", "≥" }, { "\\le", "≤" }, { "\\%", "%" }, { "\\,", "" }, { "\\ ", " " },
		{ "≧", "≥" }, { "≦", "≤" }, { "&gt;", ">" }, { "&lt;", "<" }, { "&nbsp;", " " },
	};
	char *w = s;
	if (!strpbrk(s, "$<\\&\xe2")) {
		w = s + strlen(s);	/* nothing to replace: trim only */
	} else {
		for (const char *r = s; *r;) {
			if (*r == '$') {
				r++;
				continue;
			}
			if (*r == '<' && (is_alpha(r[1]) || (r[1] == '/' && is_alpha(r[2])))) {
				const char *e = strchr(r, '>');
				if (e) {
					r = e + 1;
					*w++ = ' ';
					continue;
				}
			}
			bool done = false;
			if (*r != '\\' && *r != '&' && (unsigned char)*r != 0xe2) {
				*w++ = *r++;	/* no replacement starts with this byte */
				continue;
			}
			for (size_t i = 0; i < sizeof rep / sizeof rep[0] && !done; i++)
				if (starts(r, rep[i].from)) {
					size_t tl = strlen(rep[i].to);
					assert(tl <= strlen(rep[i].from));
					memmove(w, rep[i].to, tl);
					w += tl;
					r += strlen(rep[i].from);
					done = true;
				}
			if (!done)
				*w++ = *r++;
		}
	}
	*w = '\0';
	/* trim */
	while (w > s && (w[-1] == ' ' || w[-1] == '\t' || w[-1] == '\n' || w[-1] == '\r'))
		*--w = '\0';
	const char *b = skip_sp(s);
	if (b != s)
		memmove(s, b, strlen(b) + 1);
}

/* The note: up to four pieces put together (no printf: a reading is made
 * twice per row on every keystroke). */
static void note(struct reading *r, const char *a, const char *b, const char *c, const char *d)
{
	const char *part[4] = { a, b, c, d };
	size_t o = 0;
	for (int i = 0; i < 4; i++)
		if (part[i])
			append(r->note, sizeof r->note, &o, part[i], strlen(part[i]));
	r->note[o] = '\0';
}

/* ---- nature -------------------------------------------------------------- */

static const struct { const char *s; enum nature n; } natures[] = {
	{ "大于或等于", NATURE_GE }, { "大于等于", NATURE_GE }, { "不低于", NATURE_GE },
	{ "不少于", NATURE_GE }, { ">=", NATURE_GE }, { "=>", NATURE_GE }, { "≥", NATURE_GE },
	{ "小于或等于", NATURE_LE }, { "小于等于", NATURE_LE }, { "不高于", NATURE_LE },
	{ "不超过", NATURE_LE }, { "不多于", NATURE_LE }, { "低于", NATURE_LE },
	{ "<=", NATURE_LE }, { "=<", NATURE_LE }, { "≤", NATURE_LE },
	{ "==", NATURE_EQ }, { "=", NATURE_EQ }, { "等于", NATURE_EQ },
	{ ">", NATURE_GE }, { "<", NATURE_LE },	/* strict signs, read as ≥ ≤ */
};

/* A leading nature symbol at p: its nature, and p moves past it. */
static enum nature lead_nature(const char **p)
{
	const unsigned char *u = (const unsigned char *)*p;
	if (u[0] >= 0x80) {
		/* only a few characters start a word of the table: 大 不 小 低 等 ≥ ≤
		 * (most targets are Chinese text, and this is read for each) */
		uint32_t ch = u[1] ? (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2] : 0;
		if (ch != 0xe5a4a7 && ch != 0xe4b88d && ch != 0xe5b08f && ch != 0xe4bd8e &&
		    ch != 0xe7ad89 && ch != 0xe289a5 && ch != 0xe289a4)
			return NATURE_NONE;
	} else if (u[0] != '>' && u[0] != '<' && u[0] != '=') {
		return NATURE_NONE;	/* no sign starts with this byte */
	}
	for (size_t i = 0; i < sizeof natures / sizeof natures[0]; i++)
		if (starts(*p, natures[i].s)) {
			*p = skip_sp(*p + strlen(natures[i].s));
			return natures[i].n;
		}
	return NATURE_NONE;
}

static enum nature column_nature(const char *col)
{
	/* the column as the 2024 form prints it */
	if (strcmp(col, "≥") == 0)
		return NATURE_GE;
	if (strcmp(col, "≤") == 0)
		return NATURE_LE;
	if (strcmp(col, "=") == 0)
		return NATURE_EQ;
	if (strcmp(col, "定性") == 0)
		return NATURE_QUAL;
	char buf[64];
	normalise(col, buf, sizeof buf);
	clean(buf);
	if (!*buf)
		return NATURE_NONE;
	if (strcmp(buf, "定性") == 0)
		return NATURE_QUAL;
	if (starts(buf, "正向"))
		return NATURE_GE;
	if (starts(buf, "反向"))
		return NATURE_LE;
	if (starts(buf, "定量"))
		return NATURE_NONE;
	const char *p = buf;
	return lead_nature(&p);
}

/* ---- units --------------------------------------------------------------- */

struct unit_def {
	const char *name;
	enum unit_class uc;
	int64_t factor;		/* to the base of the class: 元, second, 1, percent */
};

/* Longer names first where one is a prefix of another. */
static const struct unit_def units[] = {
	{ "万元", UC_MONEY, 10000 }, { "亿元", UC_MONEY, 100000000 }, { "千元", UC_MONEY, 1000 },
	{ "元", UC_MONEY, 1 },
	{ "秒钟", UC_TIME, 1 }, { "秒", UC_TIME, 1 }, { "分钟", UC_TIME, 60 },
	{ "个小时", UC_TIME, 3600 }, { "小时", UC_TIME, 3600 }, { "时", UC_TIME, 3600 },
	{ "天", UC_TIME, 86400 }, { "日", UC_TIME, 86400 }, { "周", UC_TIME, 604800 },
	{ "个", UC_COUNT, 1 }, { "项", UC_COUNT, 1 }, { "份", UC_COUNT, 1 }, { "台", UC_COUNT, 1 },
	{ "人", UC_COUNT, 1 }, { "次", UC_COUNT, 1 }, { "家", UC_COUNT, 1 }, { "条", UC_COUNT, 1 },
	{ "套", UC_COUNT, 1 }, { "件", UC_COUNT, 1 }, { "类", UC_COUNT, 1 }, { "名", UC_COUNT, 1 },
	{ "篇", UC_COUNT, 1 }, { "户", UC_COUNT, 1 }, { "张", UC_COUNT, 1 }, { "部", UC_COUNT, 1 },
	{ "%", UC_PERCENT, 1 },
	/* calendar durations, in months: a month is no fixed number of days */
	{ "个月", UC_CALENDAR, 1 }, { "月", UC_CALENDAR, 1 }, { "个季度", UC_CALENDAR, 3 },
	{ "季度", UC_CALENDAR, 3 }, { "年", UC_CALENDAR, 12 },
	/* known words without a conversion: read whole so they are not cut */
	{ "平方米", UC_OTHER, 1 }, { "公里", UC_OTHER, 1 }, { "千米", UC_OTHER, 1 },
	{ "米", UC_OTHER, 1 },
	{ "兆", UC_OTHER, 1 }, { "万", UC_OTHER, 1 }, { "亿", UC_OTHER, 1 },
};

/* Words that may follow a figure and are not part of its unit. */
static const char *const tails[] = {
	"及以上", "及以下", "以上", "以下", "以内", "之内", "左右", "内", "及时", "前",
};

static const struct unit_def *unit_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (units[i].name[0] == name[0] && units[i].name[1] == name[1] && strcmp(units[i].name, name) == 0)
			return &units[i];
	return NULL;
}

/* Class and factor of a unit as written, with 万/亿/千 in front of a known
 * unit ("万条") multiplying it.  "人/年" and unknown words are UC_OTHER. */
static enum unit_class unit_class_of(const char *u, int64_t *factor)
{
	*factor = 1;
	if (!*u)
		return UC_NONE;
	const struct unit_def *d = unit_lookup(u);
	if (d) {
		*factor = d->factor;
		return d->uc;
	}
	static const struct { const char *p; int64_t f; } mult[] = { { "万", 10000 }, { "亿", 100000000 }, { "千", 1000 } };
	for (size_t i = 0; i < 3; i++)
		if (starts(u, mult[i].p)) {
			d = unit_lookup(u + strlen(mult[i].p));
			if (d && d->uc != UC_OTHER && d->uc != UC_PERCENT && d->uc != UC_CALENDAR) {
				*factor = d->factor * mult[i].f;
				return d->uc;
			}
		}
	return UC_OTHER;
}

/* Reads a unit at p into out; returns the end.  ASCII letters and % run
 * together ("Mbps", "TB", "%"); CJK takes the longest known unit, else a
 * run of up to three ideographs that ends the figure ("公里").  A "/x" after
 * the unit belongs to it ("人/年"). */
static const char *scan_unit(const char *p, char *out, size_t len)
{
	const char *s = p;
	out[0] = '\0';
	if (starts(p, "%") || starts(p, "‰")) {
		p += ch_len(p);
	} else if (is_alpha(*p)) {
		while (is_alpha(*p))
			p++;
	} else if (is_ideograph(p)) {
		for (const char *const *t = tails; t < tails + sizeof tails / sizeof tails[0]; t++)
			if (starts(p, *t))
				return p;	/* no unit, a tail */
		size_t best = 0;
		const char *q = p;
		for (int mult = 0; mult < 2; mult++) {
			for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
				/* two bytes before starts(): most units share a lead
				 * byte (q[1] is read only once q[0] matched: never
				 * past the NUL) */
				if (units[i].name[0] != q[0] || units[i].name[1] != q[1] || !starts(q, units[i].name))
					continue;
				size_t n = strlen(units[i].name);
				if ((size_t)(q - p) + n > best)
					best = (size_t)(q - p) + n;
			}
			/* 万/亿/千 in front of a unit */
			if (mult == 0 && (starts(p, "万") || starts(p, "亿") || starts(p, "千")))
				q = p + 3;
			else
				break;
		}
		if (best) {
			p += best;
		} else {
			const char *e = p;
			int n = 0;
			while (n < 3 && is_ideograph(e)) {
				e += 3;
				n++;
			}
			/* only a short word that ends the figure is a unit */
			if (*e && !strchr(" ,;:()./!?\t", *e) && !starts(e, "。") && !starts(e, "、"))
				return s;
			p = e;
		}
	} else {
		return s;
	}
	if (*p == '/' && (is_alpha(p[1]) || is_ideograph(p + 1)))
		p += 1 + (is_alpha(p[1]) ? 1 : 3);
	size_t n = (size_t)(p - s);
	if (n >= len)
		return s;
	memcpy(out, s, n);
	out[n] = '\0';
	return p;
}

/* The unit column of the 2024 layout: "%", "万元", "个(单位:) TB". */
static void column_unit(const char *col, char *out, size_t len)
{
	/* the common case: one word NFKC leaves alone ("%", "万元", "Mbps") */
	size_t k = 0, n = strlen(col);
	while (k < n && col[k] != ' ' && col[k] != '(' && keep_len((const unsigned char *)col + k))
		k += keep_len((const unsigned char *)col + k);
	if (k == n && n > 0 && n < len && strcmp(col, "其他") != 0 && strcmp(col, "无") != 0 && strcmp(col, "-") != 0) {
		memcpy(out, col, n + 1);
		return;
	}
	char buf[96], tmp[96];
	normalise(col, buf, sizeof buf);
	clean(buf);
	/* drop parenthesised remarks */
	char *w = tmp;
	int depth = 0;
	for (const char *r = buf; *r; r++) {
		if (*r == '(')
			depth++;
		else if (*r == ')')
			depth = depth ? depth - 1 : 0;
		else if (!depth)
			*w++ = *r;
	}
	*w = '\0';
	/* the last word is the unit ("个 TB" -> "TB") */
	char *e = tmp + strlen(tmp);
	while (e > tmp && e[-1] == ' ')
		*--e = '\0';
	char *b = strrchr(tmp, ' ');
	b = b ? b + 1 : tmp;
	if (strcmp(b, "其他") == 0 || strcmp(b, "无") == 0 || strcmp(b, "-") == 0)
		b = e;	/* says nothing */
	copy_cut(out, len, b);
}

/* ---- numbers ------------------------------------------------------------- */

/* A decimal at p, read by num's one grammar (num_scan): digits with ","
 * between groups of three and a fraction; a fraction broken by one space
 * ("201.195 6" as a wrapped cell) is joined.  Returns the end, or p when
 * there is none.  A figure the grammar refuses ("1,5", "12,34,5", too many
 * digits) is no figure: *refused (may be NULL) says why and the end is past
 * it, so that a text is not read as its pieces ("1,5" as 5). */
static const char *scan_number(const char *p, num *out, int *decimals, enum num_err *refused)
{
	/* only these bytes start a figure (num.c's gchar: ASCII digits, point,
	 * signs; full-width ones and U+2212 from EF and E2): read_in_text asks
	 * at every character of a text */
	unsigned char c0 = (unsigned char)*p;
	if (!is_digit(*p) && c0 != '.' && c0 != '+' && c0 != '-' && c0 != 0xef && c0 != 0xe2) {
		if (refused)
			*refused = NUM_OK;
		return p;
	}
	const char *e;
	enum num_err r = num_scan(p, &e, out, decimals);
	if (refused)
		*refused = r == NUM_E_SYNTAX ? NUM_OK : r;
	if (r != NUM_OK)
		return r == NUM_E_SYNTAX ? p : e;
	if (*decimals > 0 && e[0] == ' ' && is_digit(e[1])) {
		/* "201.195 6 万元": one wrapped fraction */
		const char *q = e + 1;
		while (is_digit(*q))
			q++;
		char buf[64];
		size_t n1 = (size_t)(e - p), n2 = (size_t)(q - e - 1);
		if (*q != '.' && *q != ',' && n1 + n2 < sizeof buf) {
			memcpy(buf, p, n1);
			memcpy(buf + n1, e + 1, n2);
			buf[n1 + n2] = '\0';
			num v;
			int d;
			if (num_read(buf, 0, &v, &d) == NUM_OK) {
				*out = v;
				*decimals = d;
				return q;
			}
		}
	}
	return e;
}

static void set_number(struct reading *r, num v, const char *unit)
{
	r->kind = READ_NUMBER;
	r->value = v;
	copy_cut(r->unit, sizeof r->unit, unit);
	int64_t f;
	r->uclass = unit_class_of(r->unit, &f);
	if (!num_mul(v, num_from_int(f), &r->base)) {
		/* too large to convert exactly: compared as written, only with
		 * the same unit (never as if it were in the base unit) */
		r->base = v;
		r->uclass = UC_OTHER;
	}
}

static bool is_year_at(const char *p, const char *e)
{
	return e - p == 4 && (starts(p, "19") || starts(p, "20")) && starts(e, "年");
}

/* ---- dates and periods --------------------------------------------------- */

static int small_int(const char **pp, int lo, int hi)
{
	const char *p = *pp;
	int v = 0, n = 0;
	while (is_digit(*p) && n < 4) {
		v = v * 10 + (*p++ - '0');
		n++;
	}
	if (!n || is_digit(*p) || v < lo || v > hi)
		return -1;
	*pp = p;
	return v;
}

/* "2021年6月前", "2021年12月", "12月底前", "2021年6月30日前", "2021年底前". */
static bool read_date(const char *p, struct reading *r)
{
	int year = 0, month = 0;
	bool suffix = false, day = false;
	const char *q = p;
	int y = small_int(&q, 1900, 2199);
	if (y > 0 && starts(q, "年")) {
		year = y;
		q = skip_sp(q + 3);
		p = q;
	} else {
		q = p;
	}
	int m = small_int(&q, 1, 12);
	if (m > 0 && starts(skip_sp(q), "月")) {
		month = m;
		q = skip_sp(q) + 3;
		const char *d = skip_sp(q);
		if (small_int(&d, 1, 31) > 0 && (starts(d, "日") || starts(d, "号"))) {
			q = d + 3;
			day = true;
		}
	} else if (year) {
		q = p;
		month = 12;	/* "2021年底" */
	} else {
		return false;
	}
	static const char *const ends[] = { "底", "末", "初", "上旬", "中旬", "下旬", "中" };
	for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
		if (starts(q, ends[i])) {
			q += strlen(ends[i]);
			suffix = true;
			break;
		}
	static const char *const before[] = { "之前", "以前", "前", "内", "止", "完成" };
	for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
		if (starts(q, before[i])) {
			q += strlen(before[i]);
			suffix = true;
			break;
		}
	q = skip_sp(q);
	/* A bare "6月" is six months, a bare "2021年" a year: not dates. */
	if (!year && !suffix && !day)
		return false;
	if (year && month == 12 && !suffix && q == p)
		return false;
	if (*q && *q != '(' && *q != ',' && !starts(q, "完成"))
		return false;
	r->kind = READ_DATE;
	r->year = year;
	r->month = month;
	r->confidence = *q ? 75 : 90;
	char ym[24];
	if (year)
		snprintf(ym, sizeof ym, "%04d-%02d", year, month);
	else
		snprintf(ym, sizeof ym, "month %d", month);
	note(r, "date ", ym, suffix ? " (deadline)" : "", NULL);
	return true;
}

/* "每天", "每日", "按月支付", "每季度", "按年". */
static bool read_period(const char *p, struct reading *r)
{
	if (!starts(p, "每") && !starts(p, "按"))
		return false;
	static const struct { const char *w, *unit; } per[] = {
		{ "天", "天" }, { "日", "天" }, { "周", "周" }, { "星期", "周" }, { "月", "月" },
		{ "季度", "季" }, { "季", "季" }, { "半年", "半年" }, { "年", "年" },
	};
	const char *q = p + 3;
	for (size_t i = 0; i < sizeof per / sizeof per[0]; i++)
		if (starts(q, per[i].w)) {
			r->kind = READ_PERIOD;
			copy_cut(r->unit, sizeof r->unit, per[i].unit);
			r->confidence = 85;
			note(r, "every ", per[i].unit, NULL, NULL);
			return true;
		}
	return false;
}

/* ---- grades -------------------------------------------------------------- */

/* Scales, top grade first (rules.md "grades"; target.h).  Data: a new
 * scale is a row here and its words below. */
const struct grade_scale grade_scales[GRADE_SCALES] = {
	{ { "优", "良", "中", "低", "差" }, 5 },
	{ { "好", "坏" }, 2 },
	{ { "合格", "不合格" }, 2 },
	{ { "是", "否" }, 2 },
	{ { "高", "中", "低" }, 3 },
	{ { "达标", "未达标" }, 2 },
};

/* Words that mean a grade, longer ones first where one starts another; a
 * word on two scales ("中", "低") has a row for each, the first read. */
static const struct { const char *w; int scale, grade; } grade_words[] = {
	{ "不合格", 2, 1 }, { "合格", 2, 0 }, { "优秀", 0, 0 }, { "良好", 0, 1 }, { "中等", 0, 2 },
	{ "较差", 0, 4 }, { "优", 0, 0 }, { "良", 0, 1 }, { "中", 0, 2 }, { "低", 0, 3 },
	{ "差", 0, 4 }, { "好", 1, 0 }, { "坏", 1, 1 }, { "是", 3, 0 }, { "否", 3, 1 },
	{ "较高", 4, 0 }, { "高", 4, 0 }, { "中", 4, 1 }, { "较低", 4, 2 }, { "低", 4, 2 },
	{ "未达标", 5, 1 }, { "不达标", 5, 1 }, { "达标", 5, 0 },
};

int target_grade_on(const struct reading *a, int scale)
{
	if (a->kind != READ_GRADE || !a->word)
		return -1;
	if (a->scale == scale)
		return a->grade;
	for (size_t i = 0; i < sizeof grade_words / sizeof grade_words[0]; i++)
		if (grade_words[i].scale == scale && strcmp(grade_words[i].w, a->word) == 0)
			return grade_words[i].grade;
	return -1;
}

/* A grade word at p followed by the end or by punctuation or a remark;
 * returns the end or NULL. */
static const char *grade_at(const char *p, int *scale, int *grade, const char **word)
{
	for (size_t i = 0; i < sizeof grade_words / sizeof grade_words[0]; i++)
		if (starts(p, grade_words[i].w)) {
			const char *e = p + strlen(grade_words[i].w);
			*scale = grade_words[i].scale;
			*grade = grade_words[i].grade;
			*word = grade_words[i].w;
			return e;
		}
	return NULL;
}

static bool ends_word(const char *e)
{
	e = skip_sp(e);
	return !*e || strchr("(,;:.!", *e) || starts(e, "。") || starts(e, "、") ||
	       starts(e, "以上") || starts(e, "及以上") || starts(e, "级");
}

/* A text that only names a scale: "优良中低差", "好坏", "合格/不合格", "优良". */
static bool scale_name(const char *p, int *scale)
{
	char buf[64];
	size_t n = 0;
	/* a scale starts with its top grade (优, 好, 合格, 是, 高, 达标) and is short */
	bool top = false;
	for (int s = 0; s < GRADE_SCALES && !top; s++)
		top = starts(p, grade_scales[s].word[0]);
	if (!top)
		return false;
	if (strnlen(p, 40) >= 40)
		return false;
	while (*p && n < sizeof buf - 1) {
		if (*p == ' ' || *p == '/' || *p == ',')
			p++;
		else if (starts(p, "、"))
			p += 3;
		else
			buf[n++] = *p++;
	}
	if (*p)
		return false;
	buf[n] = '\0';
	for (int s = 0; s < GRADE_SCALES; s++) {
		const char *q = buf;
		int k = 0;
		while (k < grade_scales[s].n && starts(q, grade_scales[s].word[k]))
			q += strlen(grade_scales[s].word[k++]);
		if (k >= 2 && !*q) {
			*scale = s;
			return true;
		}
	}
	return false;
}

static bool read_grade(const char *p, enum nature nat, struct reading *r)
{
	int s, g;
	const char *w = NULL;
	if (scale_name(p, &s)) {
		r->kind = READ_GRADE;
		r->scale = s;
		r->grade = -1;
		r->confidence = 95;
		note(r, "names a scale: expects its top grade ", grade_scales[s].word[0], NULL, NULL);
		return true;
	}
	const char *q = p;
	bool at_least = nat == NATURE_GE;
	if (starts(q, "达到")) {
		q += strlen("达到");
		at_least = true;
	} else if (starts(q, "至少")) {
		q += strlen("至少");
		at_least = true;
	}
	const char *e = grade_at(q, &s, &g, &w);
	if (e && ends_word(e)) {
		e = skip_sp(e);
		if (starts(e, "级"))
			e += 3;
		if (starts(e, "及以上"))
			e += strlen("及以上"), at_least = true;
		else if (starts(e, "以上"))
			e += strlen("以上"), at_least = true;
		e = skip_sp(e);
		r->kind = READ_GRADE;
		r->scale = s;
		r->grade = g;
		r->word = w;
		r->at_least = at_least;
		r->confidence = *e ? 85 : 95;
		note(r, at_least ? "at least " : "grade ", grade_scales[s].word[g], *e ? " with a remark" : "", NULL);
		return true;
	}
	/* "验收结果为优": a grade closing a sentence */
	size_t len = strlen(p);
	const char *best = NULL;
	for (const char *t = strstr(p, "为"); t; t = strstr(t + 3, "为"))
		if ((e = grade_at(t + 3, &s, &g, &w)) && !*skip_sp(e)) {
			best = t;
			break;
		}
	if (best && len < 200) {
		r->kind = READ_GRADE;
		r->scale = s;
		r->grade = g;
		r->word = w;
		r->at_least = false;
		r->confidence = 70;
		note(r, "grade ", grade_scales[s].word[g], " at the end of the text", NULL);
		return true;
	}
	return false;
}

/* ---- the reading --------------------------------------------------------- */

/* The only figure of the wanted unit inside a text. */
/* The nature the words after a figure give it: "4个月内", "90%以上". */
static enum nature tail_nature(const char *q)
{
	q = skip_sp(q);
	if (starts(q, "及以上") || starts(q, "以上"))
		return NATURE_GE;
	if (starts(q, "及以下") || starts(q, "以下") || starts(q, "以内") || starts(q, "之内") ||
	    starts(q, "内"))
		return NATURE_LE;
	return NATURE_NONE;
}

static bool read_in_text(const char *p, const char *want, struct reading *r, enum nature *hint)
{
	const char *end_match = NULL, *end_bare = NULL, *end_all = NULL;
	*hint = NATURE_NONE;
	int64_t f;
	enum unit_class wc = unit_class_of(want, &f);
	int n_all = 0, n_match = 0, n_bare = 0;
	num v_match = { 0, 0 }, v_bare = { 0, 0 }, v_all = { 0, 0 };
	char u_match[24] = "", u_all[24] = "";
	for (const char *t = p; *t;) {
		bool after_letter = t > p && (is_alpha(t[-1]) || is_digit(t[-1]) || t[-1] == '.');
		num v;
		int dec;
		enum num_err bad = NUM_OK;
		const char *e = after_letter ? t : scan_number(t, &v, &dec, &bad);
		if (bad) {
			/* "1,5" is neither 1 nor 5 nor 15: the text cannot be read */
			note(r, num_err_reason(bad), NULL, NULL, NULL);
			return false;
		}
		if (e == t) {
			t += ch_len(t);
			continue;
		}
		if (is_year_at(t, e)) {
			t = e + 3;	/* a year, not a figure */
			continue;
		}
		char u[24];
		const char *ue = scan_unit(skip_sp(e), u, sizeof u);
		if (ue == skip_sp(e))
			u[0] = '\0';
		t = ue > e ? ue : e;
		n_all++;
		v_all = v;
		end_all = t;
		copy_cut(u_all, sizeof u_all, u);
		if (!*u) {
			n_bare++;
			v_bare = v;
			end_bare = t;
			continue;
		}
		int64_t uf;
		enum unit_class uc = unit_class_of(u, &uf);
		if (*want && (strcmp(u, want) == 0 || (uc == wc && uc != UC_OTHER))) {
			n_match++;
			v_match = v;
			end_match = t;
			copy_cut(u_match, sizeof u_match, u);
		}
	}
	if (*want && n_match == 1) {
		set_number(r, v_match, u_match);
		*hint = tail_nature(end_match);
	} else if (*want && n_match == 0 && n_bare == 1 && n_all == 1) {
		set_number(r, v_bare, want);
		*hint = tail_nature(end_bare);
	} else if (!*want && n_all == 1) {
		set_number(r, v_all, u_all);
		*hint = tail_nature(end_all);
	} else {
		if (n_all > 1)
			note(r, "several figures in the text, none alone in its unit", NULL, NULL, NULL);
		return false;
	}
	r->confidence = 65;
	note(r, "the only figure in ", *r->unit ? r->unit : "no unit", " in the text", NULL);
	return true;
}

/* Achievement-free number reading of the whole text: number, unit, tail. */
static bool read_whole_number(const char *p, const char *col_unit, struct reading *r,
			      enum nature *hint)
{
	num v;
	int dec;
	enum num_err bad;
	const char *e = scan_number(p, &v, &dec, &bad);
	if (bad)
		note(r, num_err_reason(bad), NULL, NULL, NULL);
	if (e == p || bad)
		return false;
	char u[24];
	const char *q = skip_sp(e);
	const char *ue = scan_unit(q, u, sizeof u);
	if (ue == q)
		u[0] = '\0';
	q = skip_sp(ue);
	/* a second unit after 万/亿: "4.5万 条" */
	if ((strcmp(u, "万") == 0 || strcmp(u, "亿") == 0) && is_ideograph(q)) {
		char u2[24];
		const char *e2 = scan_unit(q, u2, sizeof u2);
		if (e2 != q && strlen(u) + strlen(u2) < sizeof u) {
			strcat(u, u2);
			q = skip_sp(e2);
		}
	}
	*hint = NATURE_NONE;
	if (starts(q, "及以上") || starts(q, "以上"))
		*hint = NATURE_GE, q += starts(q, "及") ? 9 : 6;
	else if (starts(q, "及以下") || starts(q, "以下") || starts(q, "以内") || starts(q, "之内"))
		*hint = NATURE_LE, q += starts(q, "及") ? 9 : 6;
	else if (starts(q, "内"))
		*hint = NATURE_LE, q += 3;
	q = skip_sp(q);
	bool remark = *q == '(';
	if (*q && !remark)
		return false;
	set_number(r, v, *u ? u : col_unit);
	r->confidence = remark ? 85 : 95;
	note(r, "figure", *r->unit ? " in " : "", r->unit, NULL);
	if (remark && strlen(r->note) + 16 < sizeof r->note)
		strcat(r->note, " with a remark");
	if (!*u && *col_unit && strlen(r->note) + 24 < sizeof r->note)
		strcat(r->note, " (unit column)");
	return true;
}

void target_read(const char *text, const char *nature_col, const char *unit_col,
		 struct reading *out)
{
	assert(out);
	memset(out, 0, sizeof *out);
	out->grade = -1;
	out->confidence = 100;

	char col_unit[24] = "";
	if (unit_col && *unit_col)
		column_unit(unit_col, col_unit, sizeof col_unit);
	enum nature col_nat = nature_col ? column_nature(nature_col) : NATURE_NONE;

	char buf[2 * TEXT_MAX];
	if (text)
		normalise(text, buf, sizeof buf);
	else
		buf[0] = '\0';
	clean(buf);
	out->nature = col_nat;
	if (!*buf) {
		out->kind = READ_EMPTY;
		note(out, "empty", NULL, NULL, NULL);
		return;
	}

	const char *p = buf;
	enum nature sym = lead_nature(&p);
	if (out->nature == NATURE_NONE)
		out->nature = sym;

	enum nature hint;
	if (read_date(p, out))
		return;
	if (read_period(p, out)) {
		if (out->nature == NATURE_NONE)
			out->nature = NATURE_QUAL;	/* met or not, by text */
		return;
	}
	if (read_whole_number(p, col_unit, out, &hint)) {
		if (out->nature == NATURE_NONE)
			out->nature = hint;
		if (sym == NATURE_NONE && col_nat == NATURE_NONE)
			out->confidence -= 10;
		return;
	}
	if (read_grade(p, sym, out)) {
		if (out->nature == NATURE_NONE)
			out->nature = NATURE_QUAL;
		return;
	}
	if (read_in_text(p, col_unit, out, &hint)) {
		if (out->nature == NATURE_NONE)
			out->nature = hint;
		return;
	}
	out->kind = READ_TEXT;
	if (out->nature == NATURE_NONE)
		out->nature = NATURE_QUAL;
	out->confidence = 30;
	if (!out->note[0])
		note(out, "text", NULL, NULL, NULL);
}

int target_figure(const char *text, bool pct, num *out, int *decimals)
{
	static const char *const blank[] = { "-", "—", "——", "–", "/", "无", "--" };
	if (!text)
		return 0;
	/* the common case, plain digits with a point ("10", "8.95"): read in
	 * one pass, no copy, no normalising */
	{
		int64_t v = 0;
		int nd = 0, sc = -1;
		const char *q = text;
		for (; *q; q++) {
			if (*q >= '0' && *q <= '9' && nd < 17) {
				v = v * 10 + (*q - '0');
				nd++;
				if (sc >= 0)
					sc++;
			} else if (*q == '.' && sc < 0 && nd > 0 && q[1] >= '0' && q[1] <= '9') {
				sc = 0;
			} else {
				break;
			}
		}
		/* "100%" of a rate: what num_read makes of it */
		if (pct && *q == '%' && !q[1] && nd > 0 && sc <= NUM_MAX_SCALE)
			q++;
		if (!*q && nd > 0 && sc <= NUM_MAX_SCALE) {
			out->coef = v;
			out->scale = sc < 0 ? 0 : sc;
			if (decimals)
				*decimals = out->scale;
			return 1;
		}
	}
	/* empty, or a dash alone, as most fund cells are: no number to read */
	if (!*text)
		return 0;
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
		if (strcmp(text, blank[i]) == 0)
			return 0;
	enum num_err e = num_read(text, pct ? NUM_PERCENT : 0, out, decimals);
	if (e == NUM_OK)
		return 1;
	if (e == NUM_E_EMPTY)
		return 0;
	/* the dashes forms print for "none", blanks around them aside */
	const char *b = skip_sp(text);
	size_t n = strlen(b);
	while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == '\t' || b[n - 1] == '\n' || b[n - 1] == '\r'))
		n--;
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
		if (strlen(blank[i]) == n && memcmp(b, blank[i], n) == 0)
			return 0;
	return -1;
}

enum num_err target_figure_error(const char *text, bool pct)
{
	num v;
	if (target_figure(text, pct, &v, NULL) >= 0)
		return NUM_OK;
	return num_read(text, pct ? NUM_PERCENT : 0, &v, NULL);
}
