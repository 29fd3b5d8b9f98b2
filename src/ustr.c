/*
 * ustr: UTF-8 text helpers on top of libunistring (see ustr.h).
 *
 * Widths, grapheme boundaries, line-break opportunities and NFKC all come
 * from libunistring; this file only walks text with them.  Everything here
 * tolerates invalid UTF-8: a bad byte is one column wide (it is shown as
 * U+FFFD) and a grapheme of its own, so nothing loops or reads past the end.
 */
#include "config.h"
#include "ustr.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unigbrk.h>
#include <unilbrk.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwidth.h>

#define U(s) ((const uint8_t *)(s))

bool ustr_valid(const char *s, size_t len, size_t *bad_offset)
{
	const uint8_t *bad = u8_check(U(s), len);
	if (bad && bad_offset)
		*bad_offset = (size_t)(bad - U(s));
	return bad == NULL;
}

/* Is uc shown as a placeholder rather than as itself? */
static bool is_control(ucs4_t uc)
{
	return uc < 0x20 || uc == 0x7f || (uc >= 0x80 && uc < 0xa0) ||
	       (uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069) ||
	       uc == 0x2028 || uc == 0x2029;
}

/* Ambiguous-width characters (UAX #11 "A": box drawing, "—", "≥", "·",
 * "…", Greek, many Latin-1 letters) are one column in a Western terminal and
 * two in one set to draw them as CJK fonts do.  The screen says which; every
 * other user of widths (exports, the importer) keeps them narrow. */
static bool amb_wide;

void ustr_set_ambiguous_wide(bool wide)
{
	amb_wide = wide;
}

bool ustr_ambiguous_wide(void)
{
	return amb_wide;
}

#include "ambiguous.h"

static int range_cmp(const void *key, const void *elem)
{
	uint32_t uc = *(const uint32_t *)key;
	const struct amb_range *r = elem;
	return uc < r->lo ? -1 : uc > r->hi;
}

bool ustr_is_ambiguous(uint32_t uc)
{
	/* the "A" ranges that libunistring draws one column wide in UTF-8 (it
	 * draws nearly everything past U+00A0 two wide for a CJK encoding, so
	 * that alone cannot tell them) */
	return uc >= 0xa1 && uc < 0x110000 &&
	       bsearch(&uc, ambiguous, sizeof ambiguous / sizeof ambiguous[0], sizeof ambiguous[0],
		       range_cmp) && uc_width(uc, "UTF-8") == 1;
}

/* What the screen shows for an ambiguous character when the terminal draws
 * them wide: an equivalent whose width every terminal agrees on.  Box
 * drawing in text becomes ASCII (so a column keeps its width), the marks
 * (※ ▲ ·) one-column ASCII or half-width forms (they sit in one-column
 * slots), dashes their full-width form, comparison signs their ASCII
 * spelling. */
static const struct amb_subst subst[] = {
	{ 0x00a7, "S" }, { 0x00b0, "o" }, { 0x00b1, "+-" }, { 0x00b7, "･" },
	{ 0x00d7, "x" }, { 0x00f7, "/" },
	{ 0x2010, "-" }, { 0x2013, "-" }, { 0x2014, "－" }, { 0x2015, "－" },
	{ 0x2016, "||" }, { 0x2018, "'" }, { 0x2019, "'" }, { 0x201c, "\"" },
	{ 0x201d, "\"" }, { 0x2020, "+" }, { 0x2025, ".." }, { 0x2026, "..." },
	{ 0x2030, "%o" }, { 0x2032, "'" }, { 0x2033, "\"" }, { 0x203b, "*" },
	{ 0x2103, "oC" }, { 0x2116, "No." }, { 0x2190, "<-" }, { 0x2191, "^" },
	{ 0x2192, "->" }, { 0x2193, "v" }, { 0x2208, "in" }, { 0x221a, "V" },
	{ 0x221e, "oo" }, { 0x2225, "||" }, { 0x2229, "^" }, { 0x222a, "U" },
	{ 0x2248, "~=" }, { 0x2260, "!=" }, { 0x2261, "==" }, { 0x2264, "<=" },
	{ 0x2265, ">=" }, { 0x226e, "!<" }, { 0x226f, "!>" }, { 0x25a0, "#" },
	{ 0x25a1, "[]" }, { 0x25b2, "!" }, { 0x25b3, "!" }, { 0x25b6, ">" },
	{ 0x25bc, "v" }, { 0x25c6, "<>" }, { 0x25cb, "o" }, { 0x25cf, "*" },
	{ 0x2605, "*" }, { 0x2606, "*" },
};

const struct amb_subst *ustr_subst_table(size_t *n)
{
	*n = sizeof subst / sizeof subst[0];
	return subst;
}

static const char *box_ascii(uint32_t uc)
{
	if (uc < 0x2500 || uc > 0x257f)
		return NULL;
	/* ─ ━ ┄ ┅ ┈ ┉ ╌ ╍ and │ ┃ ┆ ┇ ┊ ┋ ╎ ╏: the low nibble of U+250x
	 * and U+254C..U+254F; everything else is a corner or a junction */
	unsigned k = uc - 0x2500;
	static const unsigned short horiz = 0x0333, vert = 0x0ccc;	/* bits of U+2500..0F */
	if (k < 0x10)
		return horiz >> k & 1 ? "-" : vert >> k & 1 ? "|" : "+";
	if (k >= 0x4c && k <= 0x4f)
		return k < 0x4e ? "-" : "|";
	if (uc == 0x2550)
		return "=";
	if (uc == 0x2551)
		return "|";
	return "+";
}

static int subst_cmp(const void *key, const void *elem)
{
	uint32_t uc = *(const uint32_t *)key, e = ((const struct amb_subst *)elem)->uc;
	return uc < e ? -1 : uc > e;
}

const char *ustr_screen_subst(uint32_t uc)
{
	if (!amb_wide || !ustr_is_ambiguous(uc))
		return NULL;
	const char *b = box_ascii(uc);
	if (b)
		return b;
	const struct amb_subst *e = bsearch(&uc, subst, sizeof subst / sizeof subst[0],
					   sizeof subst[0], subst_cmp);
	if (e)
		return e->as;
	/* a letter with a mark (é, ü): its base letter, if that is ASCII */
	static const char ascii[] =
		" \0!\0\"\0#\0$\0%\0&\0'\0(\0)\0*\0+\0,\0-\0.\0/\0"
		"0\0" "1\0" "2\0" "3\0" "4\0" "5\0" "6\0" "7\0" "8\0" "9\0"
		":\0;\0<\0=\0>\0?\0@\0"
		"A\0B\0C\0D\0E\0F\0G\0H\0I\0J\0K\0L\0M\0N\0O\0P\0Q\0R\0S\0T\0U\0V\0W\0X\0Y\0Z\0"
		"[\0\\\0]\0^\0_\0`\0"
		"a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z\0"
		"{\0|\0}\0~";
	ucs4_t dec[UC_DECOMPOSITION_MAX_LENGTH];
	int tag;
	if (uc_decomposition(uc, &tag, dec) > 0 && dec[0] >= 0x20 && dec[0] < 0x7f)
		return ascii + 2 * (dec[0] - 0x20);
	/* anything else would be drawn at a width nobody can predict: the
	 * geta mark, two columns everywhere */
	return "〓";
}

/* Columns of one character as the screen will show it. */
static int char_width(ucs4_t uc)
{
	if (is_control(uc))
		return 1;	/* its placeholder */
	if (amb_wide && uc >= 0xa1) {
		const char *as = ustr_screen_subst(uc);
		if (as)
			return (int)u8_strwidth(U(as), "UTF-8");
	}
	int w = uc_width(uc, "UTF-8");
	return w < 0 ? 1 : w;
}

/* A CJK Unified Ideograph (U+4E00..U+9FFF) at s: three bytes, two columns,
 * and most of a Chinese form's text. */
static bool ideograph_at(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n < 3 || u[0] < 0xe4 || u[0] > 0xe9 || (u[1] & 0xc0) != 0x80 || (u[2] & 0xc0) != 0x80)
		return false;
	unsigned cp = (u[0] & 0x0fu) << 12 | (u[1] & 0x3fu) << 6 | (u[2] & 0x3fu);
	return cp >= 0x4e00 && cp <= 0x9fff;
}

/* Decodes the character at s (n > 0 bytes left); returns its length.
 * Invalid bytes come back as U+FFFD, one byte long. */
static int next_char(const char *s, size_t n, ucs4_t *uc)
{
	int k = u8_mbtoucr(uc, U(s), n);
	if (k <= 0) {
		*uc = 0xfffd;
		return 1;
	}
	return k;
}

int ustr_width_n(const char *s, size_t len)
{
	int w = 0;
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		i += (size_t)next_char(s + i, len - i, &uc);
		w += char_width(uc);
	}
	return w;
}

int ustr_width(const char *s)
{
	return s ? ustr_width_n(s, strlen(s)) : 0;
}

size_t ustr_next(const char *s, size_t len, size_t at)
{
	if (at >= len)
		return len;
	const uint8_t *p = u8_grapheme_next(U(s) + at, U(s) + len);
	size_t next = p ? (size_t)(p - U(s)) : len;
	return next > at ? next : at + 1;
}

size_t ustr_prev(const char *s, size_t at)
{
	if (at == 0)
		return 0;
	const uint8_t *p = u8_grapheme_prev(U(s) + at, U(s));
	size_t prev = p ? (size_t)(p - U(s)) : at - 1;
	return prev < at ? prev : at - 1;
}

/* Appends the UTF-8 of uc to out at *n (out has room: 4 bytes per input byte). */
static void put(char *out, size_t *n, ucs4_t uc)
{
	int k = u8_uctomb((uint8_t *)out + *n, uc, 6);
	*n += k > 0 ? (size_t)k : 0;
}

char *ustr_scrub(const char *s, bool keep_newlines)
{
	if (!s)
		return NULL;
	size_t len = strlen(s), n = 0;
	char *out = malloc(len * 4 + 1);	/* 1 byte → at most 3 (U+FFFD, U+24xx) */
	if (!out)
		abort();
	for (size_t i = 0; i < len;) {
		if (s[i] >= 0x20 && s[i] < 0x7f) {	/* printable ASCII: as it is */
			out[n++] = s[i++];
			continue;
		}
		ucs4_t uc;
		i += (size_t)next_char(s + i, len - i, &uc);
		if (keep_newlines && (uc == '\n' || uc == '\t'))
			out[n++] = (char)uc;
		else if (uc < 0x20)
			put(out, &n, 0x2400 + uc);	/* ␀ … ␟, ␛ for ESC */
		else if (uc == 0x7f)
			put(out, &n, 0x2421);		/* ␡ */
		else if (is_control(uc))
			put(out, &n, 0xfffd);
		else
			put(out, &n, uc);
	}
	out[n] = '\0';
	return out;
}

size_t ustr_nfkc_buf(const char *s, char *buf, size_t len)
{
	size_t n = 0;
	uint8_t *r = u8_normalize(UNINORM_NFKC, U(s), strlen(s), NULL, &n);
	if (!r) {	/* invalid UTF-8: keep the text as it is */
		n = strlen(s);
		if (len)
			snprintf(buf, len, "%s", s);
		return n;
	}
	if (len) {
		size_t k = n < len - 1 ? n : len - 1;
		/* never cut a character in half */
		while (k > 0 && k < n && (r[k] & 0xc0) == 0x80)
			k--;
		memcpy(buf, r, k);
		buf[k] = '\0';
	}
	free(r);
	return n;
}

char *ustr_nfkc(const char *s)
{
	if (!s)
		return NULL;
	size_t n = 0;
	uint8_t *r = u8_normalize(UNINORM_NFKC, U(s), strlen(s), NULL, &n);
	if (!r) {
		char *d = strdup(s);
		if (!d)
			abort();
		return d;
	}
	char *out = realloc(r, n + 1);
	if (!out)
		abort();
	out[n] = '\0';
	return out;
}

char *ustr_fit(const char *s, int width)
{
	if (!s)
		s = "";
	size_t len = strlen(s);
	if (ustr_width_n(s, len) <= width) {
		char *d = strdup(s);
		if (!d)
			abort();
		return d;
	}
	/* Keep whole graphemes while they fit beside the ellipsis ("…", or
	 * "..." where the terminal draws ambiguous characters wide). */
	int ew = ustr_width("…");
	if (ew > width)
		ew = 0;		/* no room for it: cut bare */
	size_t end = 0;
	int w = 0;
	while (end < len) {
		size_t next = ustr_next(s, len, end);
		int gw = ustr_width_n(s + end, next - end);
		if (w + gw > width - ew)
			break;
		w += gw;
		end = next;
	}
	char *out = malloc(end + sizeof "…");
	if (!out)
		abort();
	memcpy(out, s, end);
	strcpy(out + end, ew > 0 ? "…" : "");
	return out;
}

/* The length of a leading place name of s (see ustr_fit_name), or 0. */
static size_t place_prefix(const char *s)
{
	static const char *const ends[] = { "省", "市", "区", "县", "旗", "州" };
	size_t len = strlen(s), at = 0;
	for (int chars = 0; chars < 5 && at < len; chars++) {
		size_t next = ustr_next(s, len, at);
		for (size_t k = 0; chars >= 1 && k < sizeof ends / sizeof ends[0]; k++)
			if (next - at == strlen(ends[k]) && memcmp(s + at, ends[k], next - at) == 0)
				return next < len ? next : 0;	/* never the whole name */
		at = next;
	}
	return 0;
}

char *ustr_fit_name(const char *s, int width, size_t common)
{
	if (!s)
		s = "";
	if (ustr_width(s) > width && common < strlen(s))
		s += common;	/* a name that fits stays whole */
	size_t p;
	while (ustr_width(s) > width && (p = place_prefix(s)) > 0 && place_prefix(s + p) > 0)
		s += p;		/* 北京市 goes, 丰台区 stays: it tells districts apart */
	return ustr_fit(s, width);
}

size_t ustr_common_places(const char *a, const char *b)
{
	size_t n = 0, p;
	while ((p = place_prefix(a + n)) > 0 && p == place_prefix(b + n) && memcmp(a + n, b + n, p) == 0)
		n += p;
	return n;
}

size_t ustr_wrap(const char *s, int width, size_t *starts, size_t *lens, size_t max)
{
	size_t len = strlen(s), lines = 0;
	if (width < 1)
		width = 1;
	char *brk = malloc(len ? len : 1);
	if (!brk)
		abort();
	u8_possible_linebreaks(U(s), len, "UTF-8", brk);

	size_t start = 0;	/* of the current line */
	while (start <= len) {
		size_t end = start, last_break = 0;	/* last_break: 0 = none yet */
		int w = 0;
		bool hard = false;
		while (end < len) {
			if (s[end] == '\n') {
				hard = true;
				break;
			}
			if (end > start && brk[end] == UC_BREAK_POSSIBLE)
				last_break = end;
			size_t next;
			int gw;
			if (s[end] >= 0x20 && s[end] < 0x7f && (end + 1 == len || (unsigned char)s[end + 1] < 0x80)) {
				/* printable ASCII followed by ASCII: a grapheme of its
				 * own, one column (the common case, and far cheaper) */
				next = end + 1;
				gw = 1;
			} else if (ideograph_at(s + end, len - end) &&
				   (end + 3 == len || (unsigned char)s[end + 3] < 0x80 ||
				    ideograph_at(s + end + 3, len - end - 3))) {
				/* an ideograph before ASCII or another ideograph: a
				 * grapheme of its own (nothing there combines), two
				 * columns */
				next = end + 3;
				gw = 2;
			} else {
				next = ustr_next(s, len, end);
				gw = ustr_width_n(s + end, next - end);
			}
			if (w + gw > width && end > start) {
				if (s[end] == ' ')
					last_break = end;	/* spaces may hang past the edge */
				break;
			}
			w += gw;
			end = next;
		}
		size_t stop = end;
		if (!hard && end < len && last_break > start)
			stop = last_break;	/* break at the last opportunity that fits */
		/* trailing spaces at a soft break do not belong to the line */
		size_t shown = stop;
		while (!hard && stop < len && shown > start && s[shown - 1] == ' ')
			shown--;
		if (lines < max) {
			starts[lines] = start;
			lens[lines] = shown - start;
		}
		lines++;
		if (stop >= len && !hard)
			break;
		start = hard ? stop + 1 : stop;
		while (!hard && start < len && s[start] == ' ')
			start++;
		if (start >= len && !hard)
			break;
	}
	free(brk);
	return lines;
}
