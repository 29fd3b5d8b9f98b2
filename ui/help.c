/*
 * help: every key, on one scrollable page (F1 or ? anywhere).  The keys
 * named here are the keys the screens handle; keep the two in step.
 */
#include "config.h"
#include "app.h"
#include "draw.h"
#include "i18n.h"
#include "ustr.h"

#include <string.h>

static const char *const lines[] = {
	N_("Forms list"),
	N_("  Enter            open the form"),
	N_("  n                new form (unit, year, project, department, layout, rules)"),
	N_("  d, Delete        delete the form (asks first; the history keeps it)"),
	N_("  /                filter as you type; Enter keeps it, Esc clears it"),
	N_("  ↑ ↓ PgUp PgDn    move; a mouse click selects, a second click opens"),
	N_("  q                quit"),
	"",
	N_("The form"),
	N_("  Tab, Shift-Tab   next / previous field (Enter too, in one-line fields)"),
	N_("  ↑ ↓ ← →          move between fields; inside text they move the cursor"),
	N_("  PgUp PgDn        a page up / down; the mouse wheel scrolls"),
	N_("  typing           edits the field; it is saved when you leave it,"),
	N_("                   and one second after your last key"),
	N_("  Enter, Space     on 一级/二级/性质: choose from the list"),
	N_("  F2               take the suggested score of this row"),
	N_("  F3, Insert       add an indicator row below this one"),
	N_("  F4               delete this indicator row (asks first)"),
	N_("  Alt-↑ Alt-↓      move this indicator row up / down (Ctrl-↑ Ctrl-↓ too)"),
	N_("  F5               every finding; Enter goes to its field"),
	N_("  Ctrl-Z, Ctrl-Y   undo / redo a change (saved, with history)"),
	N_("  Esc              back to the list"),
	"",
	N_("Editing text"),
	N_("  ← → Home End     move by character / to the start or end of the line"),
	N_("  Ctrl-A Ctrl-E    start / end of the line"),
	N_("  Backspace Del    delete before / under the cursor"),
	N_("  Ctrl-K Ctrl-U    delete to the end / start of the line"),
	N_("  Ctrl-W           delete the word before the cursor"),
	N_("  Enter            new line in goals and deviation text"),
	N_("  paste            pasted text goes in as typed (at most 64 KiB a field)"),
	"",
	N_("Marks"),
	N_("  ✗ error (stops submitting)   ▲ warning   the line under the form explains"),
	N_("  the focused field's findings; the top line shows the total and grade."),
	"",
	N_("Anywhere"),
	N_("  F1, ?            this help"),
	N_("  Ctrl-Q, F10      quit (everything is already saved)"),
};
#define NLINES ((int)(sizeof lines / sizeof lines[0]))

static int top;

static void help_draw(struct app *a)
{
	(void)a;
	erase();
	draw_clip(0, LINES);
	draw_bar(0, _(" jxzp │ keys"), NULL);
	int rows = LINES - 2;
	if (top > NLINES - rows)
		top = NLINES - rows;
	if (top < 0)
		top = 0;
	for (int i = 0; i < rows && top + i < NLINES; i++) {
		const char *s = *lines[top + i] ? _(lines[top + i]) : "";
		bool head = *s && *s != ' ';
		draw_text(1 + i, 1, COLS - 2, s, strlen(s), AL_LEFT, head ? A_BOLD : A_NORMAL);
	}
	draw_bar(LINES - 1, _(" ↑ ↓ scroll  any other key returns"), NULL);
	curs_set(0);
}

static void help_enter(struct app *a)
{
	(void)a;
	top = 0;
}

static void help_key(struct app *a, int k)
{
	switch (k) {
	case KF(KEY_DOWN): top++; break;
	case KF(KEY_UP): top--; break;
	case KF(KEY_NPAGE): top += LINES - 3; break;
	case KF(KEY_PPAGE): top -= LINES - 3; break;
	default:
		app_switch(a, a->back);
		return;
	}
	help_draw(a);
}

const struct screen help_screen = { help_enter, help_draw, help_key, NULL, NULL, NULL, NULL };
