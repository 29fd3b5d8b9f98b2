/*
 * draw: text, boxes and bars on the terminal (see draw.h).  Every string is
 * measured with ustr, so a CJK character takes two columns and nothing is
 * written past the box it was given.
 */
#include "config.h"
#include "draw.h"
#include "ustr.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static attr_t attrs[ST_COUNT];
static int clip_top, clip_bottom = 1 << 30;
static enum draw_lines lines_kind = LINES_UNICODE;

void draw_set_lines(enum draw_lines k)
{
	lines_kind = k;
}

void draw_setup(bool color)
{
	attrs[ST_NORMAL] = A_NORMAL;
	attrs[ST_LABEL] = A_NORMAL;
	attrs[ST_FOCUS] = A_REVERSE;
	attrs[ST_BAR] = A_REVERSE;
	attrs[ST_ERROR] = A_BOLD;
	attrs[ST_WARNING] = A_BOLD;
	attrs[ST_DIM] = A_DIM;
	attrs[ST_OK] = A_NORMAL;
	if (color) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_RED, -1);
		init_pair(2, COLOR_YELLOW, -1);
		init_pair(3, COLOR_CYAN, -1);
		init_pair(4, COLOR_GREEN, -1);
		attrs[ST_ERROR] = COLOR_PAIR(1) | A_BOLD;
		attrs[ST_WARNING] = COLOR_PAIR(2) | A_BOLD;
		attrs[ST_LABEL] = COLOR_PAIR(3);
		attrs[ST_OK] = COLOR_PAIR(4);
	}
}

attr_t draw_attr(enum draw_style st)
{
	return attrs[st];
}

void draw_clip(int top, int bottom)
{
	clip_top = top;
	clip_bottom = bottom;
}

bool draw_visible(int y)
{
	return y >= clip_top && y < clip_bottom && y < LINES;
}

void draw_text(int y, int x, int w, const char *s, size_t len, enum align al, attr_t at)
{
	if (w <= 0 || !draw_visible(y) || x >= COLS)
		return;
	if (x + w > COLS)
		w = COLS - x;
	int tw = ustr_width_n(s, len);
	char *cut = NULL;
	if (tw > w) {
		char *tmp = strndup(s, len);
		if (!tmp)
			abort();
		cut = ustr_fit(tmp, w);
		free(tmp);
		s = cut;
		len = strlen(cut);
		tw = ustr_width_n(s, len);
	}
	int pad = w - tw, left = al == AL_RIGHT ? pad : al == AL_CENTER ? pad / 2 : 0;
	/* One wide-character write for padding and text: ncurses' multibyte
	 * path costs far more per character. */
	wchar_t sbuf[512], *wb = sbuf;
	/* an ambiguous character (two bytes or more) may be shown as three */
	size_t need = (size_t)w + 2 * len + 1;
	if (need > sizeof sbuf / sizeof sbuf[0]) {
		wb = malloc(need * sizeof *wb);
		if (!wb)
			abort();
	}
	int n = 0;
	for (int i = 0; i < left; i++)
		wb[n++] = L' ';
	mbstate_t st;
	memset(&st, 0, sizeof st);
	for (size_t i = 0; i < len;) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, len - i, &st);
		if (k == 0 || k == (size_t)-1 || k == (size_t)-2) {
			wc = 0xfffd;	/* cannot happen with scrubbed text */
			k = 1;
			memset(&st, 0, sizeof st);
		}
		i += k;
		const char *as = ustr_screen_subst((uint32_t)wc);
		if (!as) {
			wb[n++] = wc;
			continue;
		}
		mbstate_t st2;
		memset(&st2, 0, sizeof st2);
		for (size_t j = 0, m = strlen(as); j < m;) {
			size_t q = mbrtowc(&wb[n], as + j, m - j, &st2);
			if (q == 0 || q > m - j)
				break;
			n++;
			j += q;
		}
	}
	for (int i = 0; i < pad - left; i++)
		wb[n++] = L' ';
	attr_t old = getattrs(stdscr);
	attrset(at);
	mvaddnwstr(y, x, wb, n);
	attrset(old);
	if (wb != sbuf)
		free(wb);
	free(cut);
}

/* A line-drawing cell as the terminal can draw it in one column: ncurses'
 * WACS_ (Unicode in a UTF-8 locale), the terminal's own line-drawing set
 * (ACS, from terminfo) where Unicode's box drawing is drawn wide, or ASCII
 * where even that is. */
static const cchar_t *line_char(const cchar_t *wacs, char acs, wchar_t ascii)
{
	static cchar_t c;
	if (lines_kind == LINES_UNICODE)
		return wacs;
	wchar_t wc[2] = { lines_kind == LINES_ACS ? (wchar_t)acs : ascii, 0 };
	setcchar(&c, wc, lines_kind == LINES_ACS ? A_ALTCHARSET : 0, 0, NULL);
	return &c;
}

static const cchar_t *arm_char(unsigned a)
{
	static cchar_t space;
	static bool init;
	if (!init) {
		setcchar(&space, L" ", 0, 0, NULL);
		init = true;
	}
	bool v = a & (ARM_UP | ARM_DOWN), h = a & (ARM_LEFT | ARM_RIGHT);
	if (!v)
		return h ? line_char(WACS_HLINE, 'q', L'-') : &space;
	if (!h)
		return line_char(WACS_VLINE, 'x', L'|');
	if (lines_kind == LINES_ASCII)
		return line_char(NULL, 0, L'+');
	if (lines_kind == LINES_ACS) {
		static const char corner[16] = {
			[ARM_UP | ARM_LEFT] = 'j', [ARM_UP | ARM_RIGHT] = 'm',
			[ARM_DOWN | ARM_LEFT] = 'k', [ARM_DOWN | ARM_RIGHT] = 'l',
			[ARM_UP | ARM_DOWN | ARM_LEFT] = 'u', [ARM_UP | ARM_DOWN | ARM_RIGHT] = 't',
			[ARM_UP | ARM_LEFT | ARM_RIGHT] = 'v', [ARM_DOWN | ARM_LEFT | ARM_RIGHT] = 'w',
		};
		return line_char(NULL, corner[a & 15] ? corner[a & 15] : 'n', 0);
	}
	switch (a) {
	case ARM_UP | ARM_LEFT: return WACS_LRCORNER;
	case ARM_UP | ARM_RIGHT: return WACS_LLCORNER;
	case ARM_DOWN | ARM_LEFT: return WACS_URCORNER;
	case ARM_DOWN | ARM_RIGHT: return WACS_ULCORNER;
	case ARM_UP | ARM_DOWN | ARM_LEFT: return WACS_RTEE;
	case ARM_UP | ARM_DOWN | ARM_RIGHT: return WACS_LTEE;
	case ARM_UP | ARM_LEFT | ARM_RIGHT: return WACS_BTEE;
	case ARM_DOWN | ARM_LEFT | ARM_RIGHT: return WACS_TTEE;
	default: return WACS_PLUS;
	}
}

void draw_rule(int y, int x, const unsigned char *arms, int n)
{
	if (!draw_visible(y))
		return;
	cchar_t line[1024];
	if (n > 1024)
		n = 1024;
	for (int i = 0; i < n; i++)
		line[i] = *arm_char(arms[i]);
	mvadd_wchnstr(y, x, line, n);
}

void draw_vbar(int y, int x)
{
	if (draw_visible(y))
		mvadd_wch(y, x, arm_char(ARM_UP | ARM_DOWN));
}

void draw_fmt(int y, int x, int w, attr_t at, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	draw_text(y, x, w, buf, strlen(buf), AL_LEFT, at);
}

void draw_bar(int y, const char *left, const char *right)
{
	if (y < 0 || y >= LINES)
		return;
	int rw = right ? ustr_width(right) : 0;
	int lw = right ? COLS - rw - 2 : COLS;	/* room kept only for a right part */
	if (lw < 0)
		lw = 0;
	/* a key bar wider than the terminal first gives up the double spaces
	 * between its keys, and is cut with "…" only if that is not enough */
	char tight[1024];
	if (ustr_width(left) > lw && strlen(left) < sizeof tight) {
		size_t o = 0;
		for (const char *p = left; *p; p++)
			if (!(p[0] == ' ' && p[1] == ' ' && p != left))
				tight[o++] = *p;
		tight[o] = '\0';
		left = tight;
	}
	draw_text(y, 0, lw, left, strlen(left), AL_LEFT, attrs[ST_BAR]);
	if (right)
		draw_text(y, lw, COLS - lw, right, strlen(right), AL_RIGHT, attrs[ST_BAR]);
}

void draw_frame(int y, int x, int h, int w, attr_t at)
{
	if (h < 2 || w < 2)
		return;
	attr_t old = getattrs(stdscr);
	attrset(at);
	for (int i = 0; i < h; i++) {
		if (y + i < 0 || y + i >= LINES)
			continue;
		unsigned side = i == 0 ? ARM_DOWN : i == h - 1 ? ARM_UP : ARM_UP | ARM_DOWN;
		bool edge = i == 0 || i == h - 1;
		move(y + i, x);
		add_wch(arm_char(side | (edge ? ARM_RIGHT : 0)));
		for (int j = 1; j < w - 1; j++)
			add_wch(arm_char(edge ? ARM_LEFT | ARM_RIGHT : 0));
		add_wch(arm_char(side | (edge ? ARM_LEFT : 0)));
	}
	attrset(old);
}

const char *draw_mark(int severity)
{
	return severity == 0 ? "✗" : severity == 1 ? "▲" : "·";
}
