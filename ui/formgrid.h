/*
 * formgrid: the form screen's grid — the paper form laid out as bands of
 * cells, their wrapped text, findings marks, and drawing them.  Shared by
 * ui/formview.c (the screen: keys, editing, saving, undo) and
 * ui/formgrid.c (layout and drawing); nothing else includes it.
 *
 * The form is laid out as bands (horizontal strips of the paper table) of
 * cells; a cell is a label, a field (a form path), or a computed figure.
 * Cells wrap their text in their column (ustr_wrap) and bands grow to their
 * tallest cell; 一级/二级 cells span the rows they share, as on paper.
 * Below 116 columns the table condenses (一级·二级 in one column) and a
 * detail panel shows the focused row's deviation text and unit.
 */
#ifndef JXZP_FORMGRID_H
#define JXZP_FORMGRID_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include "app.h"
#include "doc.h"
#include "edit.h"

enum {
	F_FOCUS = 1 << 0,	/* can take the focus */
	F_EDIT = 1 << 1,	/* text editor */
	F_MULTI = 1 << 2,	/* multi-line text */
	F_NUM = 1 << 3,		/* right-aligned */
	F_CENTER = 1 << 4,
	F_AUTO = 1 << 5,	/* right-aligned when it reads as a number */
	F_PICK = 1 << 6,	/* chosen from a list */
	F_COMP = 1 << 7,	/* computed, never typed */
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
	int mark;		/* -1 none, else the worst severity */
};

struct band {
	int y, h;		/* form lines: first content line, count */
	bool sep;		/* a rule line above it */
	unsigned char *bd;	/* per column: 1 = border, 2 = no rule above (merged) */
};

struct undo {
	int kind;		/* U_SET, U_ADD, U_DEL, U_MOVE */
	int group;
	char *path, *old, *new;
	size_t at, to;
	char *row[IND_FIELDS];
};
enum { U_SET, U_ADD, U_DEL, U_MOVE };

struct fv {
	bool open;
	struct doc d;
	int64_t id;
	struct form *live;
	struct check *chk;
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
	double last_key, dirty_since;
	char msg[512];
	int msg_sev;		/* -1 none, 0 error, 1 warning, 2 note */
	char saved[32];
	bool full;		/* redraw everything */
	bool resync;		/* the saved form was reloaded: show it */
	/* undo */
	struct undo *undo, *redo;
	size_t nu, capu, nr, capr;
	int group;
};
extern struct fv fv;

/* Values and layout (formgrid.c). */
const char *fg_ind_v(size_t i, int f);
bool fg_cell_refresh_text(struct cell *c, bool *same);
bool fg_cell_refresh(struct cell *c);
void fg_layout_free(void);
void fg_ind_path(char *buf, size_t len, size_t i, int f);
void fg_build(void);
void fg_measure(void);
int fg_cell_for_path(const char *path);
void fg_marks(int *changed, int *nchanged, int max);
void fg_recheck(void);
void fg_forget_shown(void);
void fg_draw_cell(const struct cell *c);
void fg_draw_top(struct app *a);
void fg_draw_keys(void);
void fg_draw_status(void);
void fg_draw_panel(void);
void fg_place_cursor(void);
void fg_draw_body_from(int from);
void fg_draw_body(void);
bool fg_shift_below(int k, int old_end, int delta);
void fg_scroll_to_focus(void);
void fg_redraw_all(struct app *a);

#endif
