/*
 * edit: the field editor's text model (see edit.h).  No curses here, so the
 * unit tests can drive every move; the cursor never lands inside a grapheme.
 */
#include "config.h"
#include "edit.h"
#include "ustr.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void reserve(struct ebuf *e, size_t need)
{
	if (need + 1 <= e->cap)
		return;
	size_t cap = e->cap ? e->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	char *s = realloc(e->s, cap);
	if (!s)
		abort();	/* out of memory */
	e->s = s;
	e->cap = cap;
}

void eb_init(struct ebuf *e, const char *text, bool multi)
{
	memset(e, 0, sizeof *e);
	e->multi = multi;
	e->goal = -1;
	e->limit = EB_LIMIT;
	eb_set(e, text);
}

void eb_free(struct ebuf *e)
{
	free(e->s);
	memset(e, 0, sizeof *e);
}

void eb_set(struct ebuf *e, const char *text)
{
	e->len = 0;
	e->cur = 0;
	e->goal = -1;
	reserve(e, 0);
	e->s[0] = 0;
	if (text)
		eb_insert(e, text, strlen(text));
	e->cut = false;
}

/* Decode one UTF-8 sequence; returns its length, or 0 if invalid. */
static size_t u8_decode(const unsigned char *p, size_t n, unsigned *cp)
{
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		len = 2; min = 0x80; c &= 0x1f;
	} else if ((c & 0xf0) == 0xe0) {
		len = 3; min = 0x800; c &= 0x0f;
	} else if ((c & 0xf8) == 0xf0) {
		len = 4; min = 0x10000; c &= 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t eb_filter(const char *in, size_t n, bool multi, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t l = u8_decode(p + i, n - i, &cp);
		if (l == 0) {	/* invalid byte: U+FFFD */
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
			continue;
		}
		if (cp == '\r' || cp == '\n') {
			if (cp == '\r' && i + 1 < n && p[i + 1] == '\n')
				i++;	/* CR LF is one newline */
			out[o++] = multi ? '\n' : ' ';
		} else if (cp == '\t') {
			out[o++] = ' ';
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
			/* control characters never enter a field */
		} else {
			memcpy(out + o, p + i, l);
			o += l;
		}
		i += l;
	}
	out[o] = 0;
	return o;
}

size_t eb_insert(struct ebuf *e, const char *text, size_t n)
{
	e->cut = false;
	if (n == 0)
		return 0;
	size_t limit = e->limit ? e->limit : EB_LIMIT;
	if (n > limit * 2)
		n = limit * 2;	/* more than could ever fit */
	char *tmp = malloc(3 * n + 1);
	if (!tmp)
		abort();
	size_t m = eb_filter(text, n, e->multi, tmp);
	if (e->len + m > limit) {
		size_t room = e->len < limit ? limit - e->len : 0;
		/* cut on a character boundary */
		while (room > 0 && ((unsigned char)tmp[room] & 0xc0) == 0x80)
			room--;
		m = room;
		e->cut = true;
	}
	reserve(e, e->len + m);
	memmove(e->s + e->cur + m, e->s + e->cur, e->len - e->cur + 1);
	memcpy(e->s + e->cur, tmp, m);
	e->len += m;
	e->cur += m;
	e->goal = -1;
	free(tmp);
	return m;
}

static void erase(struct ebuf *e, size_t from, size_t to)
{
	assert(from <= to && to <= e->len);
	memmove(e->s + from, e->s + to, e->len - to + 1);
	e->len -= to - from;
	e->cur = from;
}

/* Wrapped lines of the text at width; *lines points to storage the caller
 * frees if it is not buf. */
struct wrap {
	size_t n;
	size_t *st, *ln;
	size_t bst[32], bln[32];
};

static void wrap_text(const struct ebuf *e, int width, struct wrap *w)
{
	if (width < 1)
		width = 1;
	w->st = w->bst;
	w->ln = w->bln;
	w->n = ustr_wrap(e->s, width, w->st, w->ln, 32);
	if (w->n > 32) {
		w->st = malloc(w->n * sizeof *w->st);
		w->ln = malloc(w->n * sizeof *w->ln);
		if (!w->st || !w->ln)
			abort();
		w->n = ustr_wrap(e->s, width, w->st, w->ln, w->n);
	}
	if (w->n == 0) {	/* empty text: one empty line */
		w->n = 1;
		w->st[0] = 0;
		w->ln[0] = 0;
	}
}

static void wrap_free(struct wrap *w)
{
	if (w->st != w->bst)
		free(w->st);
	if (w->ln != w->bln)
		free(w->ln);
}

static size_t line_of(const struct wrap *w, size_t cur)
{
	size_t i = 0;
	while (i + 1 < w->n && w->st[i + 1] <= cur)
		i++;
	return i;
}

static int col_in(const struct ebuf *e, const struct wrap *w, size_t i, size_t cur)
{
	size_t end = w->st[i] + w->ln[i];
	size_t upto = cur < end ? cur : end;
	if (upto < w->st[i])
		return 0;
	return ustr_width_n(e->s + w->st[i], upto - w->st[i]);
}

void eb_cursor_pos(const struct ebuf *e, int width, int *line, int *col)
{
	struct wrap w;
	wrap_text(e, width, &w);
	size_t i = line_of(&w, e->cur);
	*line = (int)i;
	*col = col_in(e, &w, i, e->cur);
	wrap_free(&w);
}

/* The offset in line i nearest to column goal (not past it). */
static size_t at_col(const struct ebuf *e, const struct wrap *w, size_t i, int goal)
{
	size_t p = w->st[i], end = w->st[i] + w->ln[i];
	int c = 0;
	while (p < end) {
		size_t q = ustr_next(e->s, end, p);
		int cw = ustr_width_n(e->s + p, q - p);
		if (c + cw > goal)
			break;
		c += cw;
		p = q;
	}
	return p;
}

static bool is_space_at(const struct ebuf *e, size_t p)
{
	return e->s[p] == ' ' || e->s[p] == '\n' ||
	       (p + 3 <= e->len && memcmp(e->s + p, "\xe3\x80\x80", 3) == 0);
}

bool eb_apply(struct ebuf *e, enum eb_op op, int width)
{
	size_t p;
	bool vertical = op == EB_UP || op == EB_DOWN;
	int goal = e->goal;
	if (!vertical)
		e->goal = -1;
	switch (op) {
	case EB_LEFT:
		if (e->cur == 0)
			return false;
		e->cur = ustr_prev(e->s, e->cur);
		return true;
	case EB_RIGHT:
		if (e->cur >= e->len)
			return false;
		e->cur = ustr_next(e->s, e->len, e->cur);
		return true;
	case EB_BOL:
		p = e->cur;
		while (p > 0 && e->s[p - 1] != '\n')
			p--;
		e->cur = p;
		return true;
	case EB_EOL:
		p = e->cur;
		while (p < e->len && e->s[p] != '\n')
			p++;
		e->cur = p;
		return true;
	case EB_HOME:
	case EB_END: {
		if (!e->multi) {
			e->cur = op == EB_HOME ? 0 : e->len;
			return true;
		}
		struct wrap w;
		wrap_text(e, width, &w);
		size_t i = line_of(&w, e->cur);
		e->cur = op == EB_HOME ? w.st[i] : w.st[i] + w.ln[i];
		wrap_free(&w);
		return true;
	}
	case EB_UP:
	case EB_DOWN: {
		struct wrap w;
		wrap_text(e, width, &w);
		size_t i = line_of(&w, e->cur);
		bool moved = false;
		if (goal < 0)
			goal = col_in(e, &w, i, e->cur);
		if (op == EB_UP && i > 0) {
			e->cur = at_col(e, &w, i - 1, goal);
			moved = true;
		} else if (op == EB_DOWN && i + 1 < w.n) {
			e->cur = at_col(e, &w, i + 1, goal);
			moved = true;
		}
		e->goal = goal;
		wrap_free(&w);
		return moved;
	}
	case EB_BACKSPACE:
		if (e->cur == 0)
			return false;
		erase(e, ustr_prev(e->s, e->cur), e->cur);
		return true;
	case EB_DELETE:
		if (e->cur >= e->len)
			return false;
		erase(e, e->cur, ustr_next(e->s, e->len, e->cur));
		return true;
	case EB_KILL_END:
		p = e->cur;
		while (p < e->len && e->s[p] != '\n')
			p++;
		if (p == e->cur && p < e->len)
			p++;	/* at the end of a line: join the next one */
		if (p == e->cur)
			return false;
		erase(e, e->cur, p);
		return true;
	case EB_KILL_START:
		p = e->cur;
		while (p > 0 && e->s[p - 1] != '\n')
			p--;
		if (p == e->cur)
			return false;
		erase(e, p, e->cur);
		return true;
	case EB_KILL_WORD:
		p = e->cur;
		while (p > 0) {
			size_t q = ustr_prev(e->s, p);
			if (!is_space_at(e, q))
				break;
			p = q;
		}
		while (p > 0) {
			size_t q = ustr_prev(e->s, p);
			if (is_space_at(e, q))
				break;
			p = q;
		}
		if (p == e->cur)
			return false;
		erase(e, p, e->cur);
		return true;
	}
	return false;
}
