/*
 * formview.h: what the form screen's three files share (internal to ui/).
 *
 * formgrid.c lays the paper table out (cells, bands, wrapping, marks),
 * formdraw.c puts it on screen (only what changed), formview.c handles keys,
 * editing, saving and undo.  They share one state, `fv`: the form screen is
 * one at a time.
 */
#ifndef JXZP_FORMVIEW_H
#define JXZP_FORMVIEW_H

#include "app.h"
#include "doc.h"
#include "edit.h"
#include "sheet.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	F_FOCUS = 1 << 0,	/* can take the focus */
	F_EDIT = 1 << 1,	/* text editor */
	F_MULTI = 1 << 2,	/* multi-line text */
	F_NUM = 1 << 3,		/* right-aligned */
	F_CENTER = 1 << 4,
	F_AUTO = 1 << 5,	/* right-aligned when it reads as a number */
	F_PICK = 1 << 6,	/* chosen from a list */
	F_COMP = 1 << 7,	/* computed (with F_EDIT: printed, so typed or F2) */
	F_PANEL = 1 << 8,	/* lives in the detail panel (narrow screens) */
	F_COVERED = 1 << 9,	/* under a merged cell of a row above */
	F_LABEL = 1 << 10,
};
enum pick { PK_NONE, PK_LEVEL1, PK_LEVEL2, PK_LEVELS, PK_NATURE };
enum comp { CP_NONE, CP_DASH, CP_RATE, CP_BUDGET_SCORE, CP_TOTAL_WEIGHT, CP_TOTAL_SCORE,
	    CP_GRADE, CP_TOTAL_LINE };

struct cell {
	int band, vspan;
	int x, w;		/* content columns (padding at x-1 and x+w) */
	int py, ph;		/* panel cells: screen line and height */
	unsigned flags;
	int pick, comp, ind, fld, frow;
	char path[48];
	const char *label;	/* F_LABEL: static text */
	char *text;		/* scrubbed, as shown */
	size_t *st, *ln;
	int nl, cap;
	int fresh;		/* the first line its last refresh may have changed */
	int mark;		/* -1 none, else the worst severity */
};

struct band {
	int y, h;		/* form lines: first content line, count */
	bool sep;		/* a rule line above it */
	unsigned char *bd;	/* per column: 1 = border, 2 = no rule above (merged) */
};

struct fv {
	bool open;
	struct sheet sh;	/* the form, saved and shown, its check, undo (src/sheet.c) */
	int64_t id;
	const struct layout *lay;
	bool ro;
	/* layout */
	int W, H;
	bool narrow;
	struct band *bands;
	int nb, capb;
	struct cell *cells;
	int nc, capc;
	int *rowcell;		/* n_ind * IND_FIELDS -> cell, -1 */
	int nhdr;		/* cells before the indicator rows */
	int body_top, body_h, panel_y, panel_h, status_y;
	int form_h, top;
	int focus, row_ctx;
	char title[128];
	/* editing */
	bool editing, dirty;
	struct ebuf eb;
	/* Lines the cell typed into keeps (0: its text's): once its text
	 * wraps it gets one line of slack, so the rows below move once per
	 * two lines typed, not on every line (see fg_cell_lines). */
	int room, room_cell;
	double last_key, dirty_since;
	char msg[512];
	int msg_sev;		/* -1 none, 0 error, 1 warning, 2 note */
	char saved[32];
	bool full;		/* redraw everything */
	bool resync;		/* the saved form was reloaded: show it */
};
extern struct fv fv;

/* ---- formgrid.c: the table, without drawing ---- */
extern const char *const fg_level1_items[4];	/* 产出指标 ... */
extern const char *const fg_level2_of[4][5];	/* by 一级, NULL-ended */
const char *fg_ind_v(size_t i, int f);		/* indicator row i's field f, or NULL */
bool fg_looks_numeric(const char *s);		/* right-aligned when F_AUTO */
/* Scrub and wrap one cell; true if its line count changed.  *same (if
 * given) tells whether the text is what it was. */
bool fg_cell_refresh_text(struct cell *c, bool *same);
bool fg_cell_refresh(struct cell *c);
int fg_cell_lines(const struct cell *c);	/* lines it takes in the table */
/* The typed-into cell's text took `was` lines of the table: fit its room
 * to its text now; true if the lines it takes changed. */
bool fg_fit_room(struct cell *c, int was);
void fg_layout_free(void);
void fg_ind_path(char *buf, size_t len, size_t i, int f);	/* "indicators[i].key" */
bool fg_reason_shown(void);			/* a 退回原因 line under the top bar */
void fg_build(void);				/* cells and bands for fv.W × fv.H */
void fg_measure(void);				/* band heights and positions */
void fg_cell_rows(const struct cell *c, int *y, int *h);	/* form lines of a cell */
int fg_cell_for_path(const char *path);		/* the cell showing path, or -1 */
/* Recompute marks; how many cells changed (the first max in changed[]). */
void fg_marks(int *changed, int *nchanged, int max);

/* ---- formdraw.c: the screen ---- */
void fd_forget_shown(void);			/* the screen was wiped: draw all again */
void fd_cell(const struct cell *c);
void fd_cell_lines(const struct cell *c, int from, int to);
void fd_top(struct app *a);
void fd_keys(struct app *a);
void fd_status(void);
void fd_panel(void);				/* narrow screens' detail panel */
void fd_place_cursor(void);
void fd_body_from(int from);			/* the table from form line `from` down */
void fd_body(void);
/* Band k changed height by delta (it ended at form line old_end): shift
 * the lines below; false if that is not enough. */
bool fd_shift_below(int k, int old_end, int delta);
void fd_scroll_to_focus(void);			/* may set fv.full */
void fd_redraw_all(struct app *a);

#endif
