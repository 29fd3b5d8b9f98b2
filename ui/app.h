/*
 * app: what the screens share — the loop's state, keys, messages, and the
 * screen table.  ui/app.c owns the loop: it reads keys (bracketed paste,
 * mouse, resize), hands them to the active screen, redraws, and runs the
 * active screen's idle work (the one-second autosave) when no key comes.
 * Screens talk to each other only through struct app (app_switch).
 */
#ifndef JXZP_APP_H
#define JXZP_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "cli.h"
#include "store.h"

/* Keys: a Unicode character as itself, everything else above Unicode. */
#define K_FN 0x200000
#define KF(k) (K_FN + (k))		/* curses KEY_* codes */
enum {
	K_PASTE = K_FN + 0x10000,	/* a bracketed paste; text in app.paste */
	K_ALT_UP, K_ALT_DOWN, K_CTRL_UP, K_CTRL_DOWN,
	K_MOUSE,			/* click at app.mouse_y, app.mouse_x */
	K_WHEEL_UP, K_WHEEL_DOWN,
};
#define CTRL(c) ((c) & 0x1f)
#define K_ESC 27

enum screen_id { SCR_LIST, SCR_FORM, SCR_HELP, SCR_REVIEW, SCR_SUMMARY, SCR_COUNT };

struct app;
struct screen {
	void (*enter)(struct app *a);		/* becomes active (may be NULL) */
	void (*draw)(struct app *a);		/* draw everything */
	void (*key)(struct app *a, int k);	/* one key; draws what changed */
	int (*idle_ms)(struct app *a);		/* ms until idle() is due, -1 never */
	void (*idle)(struct app *a);
	bool (*leave)(struct app *a);		/* save what is pending; false = stay */
	void (*done)(void);			/* the program ends: free everything */
};

struct app {
	struct store *s;
	enum screen_mode mode;
	enum screen_id cur, back;	/* active screen; where help returns to */
	bool quit;
	bool color;
	bool fixed_time;	/* JXZP_FIXED_TIME: no clock on screen (tests) */
	int64_t open_id;	/* the form to open (SCR_FORM) */
	int64_t list_sel;	/* the form the list should select */
	char *paste;		/* K_PASTE: the pasted bytes (filtered later) */
	size_t paste_len;
	int mouse_y, mouse_x;
	int64_t *ids;		/* the forms the list showed, for the review pager */
	size_t nids;
	/* the reviewer's pager (ui/reviewview.c), while mode is SCREEN_REVIEW */
	int64_t (*pager_step)(struct app *a, int dir);	/* the form dir away from the open one, 0 = none */
	size_t pager_pos, pager_total;	/* the open form's place in the pager (1-based) */
	enum screen_id pager_back;	/* where Esc leaves the pager for (SCR_COUNT: nowhere) */
	/* the summaries (ui/summaryview.c): of what, and where Esc goes */
	const struct store_filter *sum_filter;	/* NULL = every form */
	enum screen_id sum_back;
	int rc;
};

extern const struct screen list_screen, form_screen, help_screen;
extern const struct screen review_screen, summary_screen;	/* ui/reviewview.c, summaryview.c */

void app_switch(struct app *a, enum screen_id to);
/* Reads one key for a modal dialog (resizes redraw the active screen first,
 * then the caller redraws itself and gets KF(KEY_RESIZE)). */
int app_getkey(struct app *a);
/* Redraw the active screen whole (after a dialog closes). */
void app_redraw(struct app *a);
/* The screen is big enough to use; if not, says so and returns false. */
/* The smallest terminal the screens are drawn in; below it only the
 * "terminal too small" message shows. */
#define APP_MIN_COLS 80
#define APP_MIN_LINES 24
bool app_size_ok(void);

/* Dialogs (ui/dialog.c): modal, drawn over the active screen. */
/* A list to pick from; returns the index, or -1 on Esc. */
int dlg_pick(struct app *a, const char *title, const char *const *items, int n, int sel);
/* A yes/no question; true on y. */
bool dlg_confirm(struct app *a, const char *question);
/* A message until a key is pressed. */
void dlg_message(struct app *a, const char *text);
struct dlg_new {
	char unit[256], project[256], department[256];
	int year;
	const char *layout, *ruleset;	/* keys */
};
/* The new-form dialog, pre-filled from *n; true when the user confirmed. */
bool dlg_new_form(struct app *a, struct dlg_new *n);
/* The line editor of a dialog field: one key; true if it used it. */
struct ebuf;
bool dlg_edit_key(struct app *a, struct ebuf *e, int k, int width);

/* Time for the saved mark and the list ("" in JXZP_FIXED_TIME mode). */
/* "ambiguous-width characters: wide (asked the terminal)", for help. */
const char *app_ambiguous_mode(void);
const char *app_clock(const struct app *a, char buf[16]);
double app_now(void);

#endif
