/*
 * draw: putting text on the terminal, the same way on every screen.
 *
 * Text handed to draw_text() must already be scrubbed (ustr_scrub): nothing
 * raw reaches the terminal.  Widths come from ustr (CJK is two columns);
 * text wider than its box is cut with "…".  Attributes degrade to bold and
 * reverse when colour is off (NO_COLOR, monochrome), and the finding marks
 * ✗ ▲ carry the meaning without colour.  A clip range lets the form scroll:
 * lines outside it are not drawn.
 */
#ifndef JXZP_DRAW_H
#define JXZP_DRAW_H

#include <stdbool.h>
#include <curses.h>

enum draw_style { ST_NORMAL, ST_LABEL, ST_FOCUS, ST_BAR, ST_ERROR, ST_WARNING, ST_DIM, ST_OK, ST_COUNT };
enum align { AL_LEFT, AL_RIGHT, AL_CENTER };

void draw_setup(bool color);
/* How rules and frames are drawn: Unicode box drawing (ncurses' WACS_), the
 * terminal's line-drawing set, or ASCII - | + (see ustr's ambiguous width). */
enum draw_lines { LINES_UNICODE, LINES_ACS, LINES_ASCII };
void draw_set_lines(enum draw_lines k);
attr_t draw_attr(enum draw_style st);
void draw_clip(int top, int bottom);	/* lines [top, bottom) may be drawn */
bool draw_visible(int y);
/* Text (UTF-8, scrubbed, one line) in w columns at y, x; padded with spaces. */
void draw_text(int y, int x, int w, const char *s, size_t len, enum align al, attr_t at);
/* As draw_text, NUL-terminated, with a printf format. */
void draw_fmt(int y, int x, int w, attr_t at, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Box-drawing arms of one column: up, down, left, right (0 = a space). */
enum { ARM_UP = 1, ARM_DOWN = 2, ARM_LEFT = 4, ARM_RIGHT = 8 };
/* A line of box drawing from arms[0..n), at y, x (see draw_set_lines). */
void draw_rule(int y, int x, const unsigned char *arms, int n);
/* One │ at y, x. */
void draw_vbar(int y, int x);
/* A full-width bar (top line, key line): left text, right text. */
void draw_bar(int y, const char *left, const char *right);
/* A framed box (for dialogs and panels), inside cleared. */
void draw_frame(int y, int x, int h, int w, attr_t at);
/* The symbol of a finding's severity: "✗", "▲", "·". */
const char *draw_mark(int severity);

#endif
