/*
 * edit: the field editor's text model, without curses.
 *
 * A UTF-8 buffer and a cursor that always sits on a grapheme boundary
 * (src/ustr), with the moves and deletions of a line editor, and display-line
 * moves for multi-line fields (goals, deviation text) wrapped at a width.
 * Input is filtered on the way in: invalid UTF-8 becomes U+FFFD, control
 * characters are dropped (a newline is kept in multi-line fields and becomes
 * a space in single-line ones), and a field never grows past EB_LIMIT bytes,
 * so a huge paste is cut, not a hang.  Pure: the screen draws it, tests drive it.
 */
#ifndef JXZP_EDIT_H
#define JXZP_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#define EB_LIMIT 65536		/* bytes a field may hold */

struct ebuf {
	char *s;		/* NUL-terminated */
	size_t len, cap;
	size_t cur;		/* byte offset, on a grapheme boundary */
	bool multi;		/* newlines allowed */
	int goal;		/* column kept by up/down moves, -1 = none */
	bool cut;		/* the last insert was cut at the limit */
	size_t limit;		/* bytes it may hold (eb_init: EB_LIMIT; the form's
				 * fields: input_limit of their path) */
};

enum eb_op {
	EB_LEFT, EB_RIGHT, EB_HOME, EB_END,	/* home/end: of the display line */
	EB_BOL, EB_EOL,				/* whole text (single) or display line */
	EB_BACKSPACE, EB_DELETE,
	EB_KILL_END,	/* Ctrl-K: to the end of the line */
	EB_KILL_START,	/* Ctrl-U: to the start of the line */
	EB_KILL_WORD,	/* Ctrl-W: the word before the cursor */
	EB_UP, EB_DOWN,	/* display lines; false at the first / last */
};

void eb_init(struct ebuf *e, const char *text, bool multi);
void eb_free(struct ebuf *e);
/* Replace the text (cursor at the end). */
void eb_set(struct ebuf *e, const char *text);
/* Insert n bytes of typed or pasted text at the cursor (filtered, see above).
 * Returns the number of bytes actually inserted. */
size_t eb_insert(struct ebuf *e, const char *text, size_t n);
/* Apply one move or deletion; width is the display width the text is wrapped
 * at (for EB_UP/EB_DOWN/EB_HOME/EB_END).  Returns true if it did something. */
bool eb_apply(struct ebuf *e, enum eb_op op, int width);

/* Where the cursor shows when the text is wrapped at width: line and column. */
void eb_cursor_pos(const struct ebuf *e, int width, int *line, int *col);

/* The filter on its own: writes the accepted form of in[0..n) to out
 * (room for 3 * n + 1 bytes), returns its length. */
size_t eb_filter(const char *in, size_t n, bool multi, char *out);

#endif
