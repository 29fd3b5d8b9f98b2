/*
 * help: every key, on one scrollable page (F1 or ? anywhere), opened at
 * the screen's own keys.  The keys named here are the keys the screens
 * handle; keep the two in step.
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
	N_("  n, N             new form: empty / like the selected one (its unit, year...)"),
	N_("  i                import files (.xlsx .xls .docx .pdf, text): Tab completes names"),
	N_("  d, Delete        delete the form (asks first; the history keeps it)"),
	N_("  u                bring back the form just deleted"),
	N_("  c                carry forward: next year's draft with the same plan"),
	N_("  /                filter as you type; Enter keeps it, Esc clears it"),
	N_("  ↑ ↓ PgUp PgDn    move; a mouse click selects, a second click opens"),
	N_("  r                the reviewer's pager (every form of every unit and year)"),
	N_("  t                summaries per unit and year"),
	N_("  b                write an offline bundle to a folder or file (a USB stick):"),
	N_("                   the forms changed since the last bundle, or all of them"),
	N_("  B                read a bundle: checked and shown first, applied when you say y"),
	N_("  q                quit"),
	"",
	N_("The form"),
	N_("  Tab, Shift-Tab   next / previous field (Enter too, in one-line fields)"),
	N_("  ↑ ↓ ← →          move between fields; inside text they move the cursor"),
	N_("  PgUp PgDn        a page up / down; the mouse wheel scrolls"),
	N_("  typing           edits the field; it is saved when you leave it,"),
	N_("                   and one second after your last key"),
	N_("  Enter, Space     on 一级/二级/性质: choose from the list"),
	N_("  F2               take the suggested score (执行率, 得分, 总分: the computed one)"),
	N_("  F3, Insert       add an indicator row below this one"),
	N_("  F4               delete this indicator row (asks first)"),
	N_("  Alt-↑ Alt-↓      move this indicator row up / down (Ctrl-↑ Ctrl-↓ too)"),
	N_("  F5               every finding; Enter goes to its field"),
	N_("  Ctrl-Z, Ctrl-Y   undo / redo a change (saved, with history)"),
	N_("  F7               mark the reviewer's comments on this field resolved"),
	N_("  F8               submit the form for review (refused while errors remain)"),
	N_("  F11, Ctrl-R      settle a bundle conflict: keep mine or take theirs"),
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
	N_("  ※ a reviewer's comment; its text shows under the form on the focused field"),
	N_("  ⇄ a bundle conflict: both values and where they came from show under the"),
	N_("    form on the focused field; F11 settles it"),
	"",
	N_("Anywhere"),
	N_("  F1, ?            this help"),
	N_("  Ctrl-Q, F10      quit (everything is already saved)"),
	"",
	N_("The reviewer's pager"),
	N_("  Enter            open the form read-only"),
	N_("  s, S             sort by risk, unit, score, grade, execution rate, status, last change"),
	N_("  o                ascending / descending"),
	N_("  f                submitted forms (at first), every form, returned, approved, draft"),
	N_("  /                filter as you type (unit, project, department)"),
	N_("  v                only the forms with one triage signal (each in turn, then all)"),
	N_("  t                summaries of what is listed"),
	N_("  Esc, q           clear the filter, then back to the forms list"),
	"",
	N_("Reviewing a form (opened from the pager)"),
	N_("  PgDn PgUp        the next / previous form of the pager"),
	N_("  n N              the next / previous field with a finding or a triage signal"),
	N_("  c, F6            comment on the focused field"),
	N_("  F7               mark the focused field's comments resolved"),
	N_("  r, F9            return the form to its unit (asks for the reason)"),
	N_("  a                approve the form"),
};
#define NLINES ((int)(sizeof lines / sizeof lines[0]))

static int top;

static void help_draw(struct app *a)
{
	(void)a;
	erase();
	draw_clip(0, LINES);
	draw_bar(0, _(" jxzp │ keys"), app_ambiguous_mode());
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

/* Help opens at the keys of the screen it was asked from. */
static void help_enter(struct app *a)
{
	const char *from = a->back == SCR_FORM && a->mode == SCREEN_REVIEW ? "Reviewing a form (opened from the pager)"
			   : a->back == SCR_FORM ? "The form"
			   : a->back == SCR_REVIEW ? "The reviewer's pager" : NULL;
	top = 0;
	for (int i = 0; from && i < NLINES; i++)
		if (strcmp(lines[i], from) == 0)
			top = i;
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
