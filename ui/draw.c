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
	size_t need = (size_t)w + len + 1;
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
		wb[n++] = wc;
		i += k;
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
		return h ? WACS_HLINE : &space;
	if (!h)
		return WACS_VLINE;
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
		mvadd_wch(y, x, WACS_VLINE);
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

const char *draw_box(bool up, bool down, bool left, bool right)
{
	static const char *const box[16] = {
		" ", "│", "│", "│", "─", "┘", "┐", "┤",
		"─", "└", "┌", "├", "─", "┴", "┬", "┼",
	};
	return box[(up ? 1 : 0) | (down ? 2 : 0) | (left ? 4 : 0) | (right ? 8 : 0)];
}

void draw_bar(int y, const char *left, const char *right)
{
	if (y < 0 || y >= LINES)
		return;
	int rw = right ? ustr_width(right) : 0;
	int lw = COLS - rw - 2;
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
		move(y + i, x);
		bool edge = i == 0 || i == h - 1;
		addstr(i == 0 ? "┌" : i == h - 1 ? "└" : "│");
		for (int j = 1; j < w - 1; j++)
			addstr(edge ? "─" : " ");
		addstr(i == 0 ? "┐" : i == h - 1 ? "┘" : "│");
	}
	attrset(old);
}

const char *draw_mark(int severity)
{
	return severity == 0 ? "✗" : severity == 1 ? "▲" : "·";
}
