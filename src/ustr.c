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

/* Columns of one character as the screen will show it. */
static int char_width(ucs4_t uc)
{
	if (is_control(uc))
		return 1;	/* its placeholder */
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
	/* Keep whole graphemes while they fit beside the ellipsis. */
	size_t end = 0;
	int w = 0;
	while (end < len) {
		size_t next = ustr_next(s, len, end);
		int gw = ustr_width_n(s + end, next - end);
		if (w + gw > width - 1)
			break;
		w += gw;
		end = next;
	}
	char *out = malloc(end + sizeof "…");
	if (!out)
		abort();
	memcpy(out, s, end);
	strcpy(out + end, width > 0 ? "…" : "");
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
