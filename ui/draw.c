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
	attr_t old = getattrs(stdscr);
	attrset(at);
	move(y, x);
	for (int i = 0; i < left; i++)
		addch(' ');
	addnstr(s, (int)len);
	for (int i = 0; i < pad - left; i++)
		addch(' ');
	attrset(old);
	free(cut);
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
