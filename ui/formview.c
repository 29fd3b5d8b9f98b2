/*
 * formview: one 自评表 on screen, as on paper, with live checks: the keys.
 *
 * Saving: the focused field is saved through doc_set when it is left, and
 * after one second without a key while it is being edited; a save the store
 * refuses leaves the typed text in the editor and says why.  What is on
 * screen is `live`, a copy of the saved form plus the edit in progress, and
 * its own check, so every keystroke re-runs the rules without touching the
 * store.  A keystroke redraws only the cells it changed, unless a band's
 * height changed.
 *
 * This file: keys, focus, editing, pickers, rows, saving and undo.  The
 * table's layout is formgrid.c's, its drawing formdraw.c's (formview.h).
 */
#include "config.h"
#include "app.h"
#include "conflict.h"
#include "doc.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "input.h"
#include "review.h"
#include "ustr.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include "formview.h"

struct fv fv;

static const char *const nature_items[] = { "≥", "≤", "=", "定性" };
/* ---- saving and undo ---------------------------------------------------------- */

static void saved_now(struct app *a)
{
	char clk[16];
	const char *t = app_clock(a, clk);
	snprintf(fv.saved, sizeof fv.saved, *t ? _("saved %s") : _("saved"), t);
}

static void say(int sev, const char *fmt, const char *arg)
{
	snprintf(fv.msg, sizeof fv.msg, fmt, arg);
	fv.msg_sev = sev;
}

/* Set while the idle autosave runs: a clash is then said, not asked (a
 * dialog popping up under someone's typing would take their keys). */
static bool in_idle;

enum clash { CL_MINE, CL_THEIRS, CL_UNDECIDED };

/* The field was changed elsewhere since this screen loaded it (to
 * `theirs`) and the user typed `mine`: never overwritten silently.  Both
 * values are shown, with the ⇄ of bundle conflicts, and the user keeps
 * one; in the idle autosave only the message, until the field is left. */
static enum clash ask_clash(struct app *a, const char *path, const char *mine, const char *theirs)
{
	char lab[160], title[256], m[1024], t[1024];
	form_path_label(path, lab, sizeof lab);
	char *sm = ustr_scrub(mine ? mine : "", false), *st = ustr_scrub(theirs ? theirs : "", false);
	char *fm = ustr_fit(sm, 300), *ft = ustr_fit(st, 300);
	free(sm);
	free(st);
	if (in_idle) {
		snprintf(fv.msg, sizeof fv.msg,
			 _("%s %s was changed elsewhere meanwhile to “%s”: leave the field to choose which to keep"),
			 CFV_MARK, lab, ft);
		fv.msg_sev = 0;
		free(fm);
		free(ft);
		return CL_UNDECIDED;
	}
	snprintf(title, sizeof title, _("%s %s was changed elsewhere"), CFV_MARK, lab);
	snprintf(m, sizeof m, _("Keep mine: “%s” (typed here)"), fm);
	snprintf(t, sizeof t, _("Keep theirs: “%s” (saved elsewhere meanwhile)"), ft);
	free(fm);
	free(ft);
	const char *items[3] = { m, t, _("Cancel") };
	int pick = dlg_pick(a, title, items, 3, 0);
	app_redraw(a);
	return pick == 0 ? CL_MINE : pick == 1 ? CL_THEIRS : CL_UNDECIDED;
}

/* What a save through the sheet comes to, in the status line: false if
 * it was refused (typing: the text stays in the editor). */
static bool saved(struct app *a, int rc, bool typing)
{
	if (rc == SHEET_CLASH) {
		enum clash pick = ask_clash(a, fv.sh.clash_path, fv.sh.clash_mine, fv.sh.clash_theirs);
		if (pick == CL_UNDECIDED) {
			if (!in_idle)
				say(0, "%s", _("Not saved: the field was changed elsewhere; your text is still here"));
			return false;
		}
		rc = sheet_settle_clash(&fv.sh, pick == CL_MINE);
		if (rc == STORE_OK) {
			fv.resync = true;	/* the screen shows what is saved now */
			say(2, "%s", pick == CL_MINE ? _("Your value is kept; the one saved elsewhere is in the history.")
				: _("Kept the value saved elsewhere; your text was dropped."));
			saved_now(a);
			return true;
		}
	}
	if (rc != STORE_OK) {
		const char *why = fv.sh.d.err[0] ? fv.sh.d.err : _("the store refused");
		if (typing)
			say(0, _("Not saved: %s (your text is still here)"), why);
		else
			say(0, _("Not saved: %s"), why);
		return false;
	}
	if (fv.sh.reloaded) {
		/* changed elsewhere (jxzp set, another window): the sheet loaded
		 * what is saved and put this change on top; the screen catches
		 * up when the key is done (resync) */
		fv.sh.reloaded = false;
		fv.resync = true;
		say(2, "%s", _("This form was changed elsewhere: it is reloaded, and your change is saved on top."));
	} else if (!fv.resync)
		fv.msg[0] = 0;
	saved_now(a);
	return true;
}

/* One field saved in the current undo group (the pickers). */
static bool save_field(struct app *a, const char *path, const char *value)
{
	return saved(a, sheet_set(&fv.sh, path, value), false);
}

/* The sheet settled (live is the saved form again, its check current): the
 * cells show it, the computed figures written after a change too. */
static void show_settled(void)
{
	for (int i = 0; i < fv.nc; i++) {
		bool same;
		if (fv.cells[i].flags & F_LABEL)
			continue;
		if (fg_cell_refresh_text(&fv.cells[i], &same) || !same)
			fv.full = true;
	}
	int n, ch[1];
	fg_marks(ch, &n, 0);
	if (n)
		fv.full = true;
}

/* Save the edit in progress (sheet_commit: the computed figures follow a
 * figure); false (and the text stays) if refused. */
static bool commit(struct app *a)
{
	if (!fv.editing || !fv.dirty)
		return true;
	const struct cell *c = &fv.cells[fv.focus];
	if (!saved(a, sheet_commit(&fv.sh, c->path, fv.eb.s, (c->flags & (F_NUM | F_AUTO)) != 0), true))
		return false;
	fv.dirty = false;
	show_settled();
	return true;
}

/* After a change made through the doc (rows, undo): the live form is the
 * saved one again, laid out anew. */
static void reload_live(void)
{
	char *path = fv.focus >= 0 ? xstrdup(fv.cells[fv.focus].path) : NULL;
	sheet_settle(&fv.sh);
	if (fv.editing)
		eb_free(&fv.eb);
	fv.editing = false;
	fv.dirty = false;
	fg_build();
	int n, ch[1];
	fg_marks(ch, &n, 0);
	fv.focus = -1;
	if (path) {
		int k = fg_cell_for_path(path);
		if (k >= 0 && fv.cells[k].flags & F_FOCUS)
			fv.focus = k;
		free(path);
	}
	/* the detail panel shows the focused row, not the one it showed before */
	if (fv.focus >= 0 && fv.cells[fv.focus].ind >= 0)
		fv.row_ctx = fv.cells[fv.focus].ind;
	if (fv.row_ctx >= (int)fv.sh.live->n_ind)
		fv.row_ctx = fv.sh.live->n_ind ? (int)fv.sh.live->n_ind - 1 : 0;
}

/* ---- focus ------------------------------------------------------------------------ */

static void start_edit(void)
{
	if (fv.focus < 0)
		return;
	struct cell *c = &fv.cells[fv.focus];
	if (c->ind >= 0)
		fv.row_ctx = c->ind;	/* the detail panel follows, read-only or not */
	if (fv.ro || !(c->flags & F_EDIT))
		return;
	char scratch[FORM_SCRATCH];
	eb_init(&fv.eb, form_get(fv.sh.live, c->path, scratch), (c->flags & F_MULTI) != 0);
	fv.eb.limit = input_limit(c->path);	/* the input rule's, as for set and import */
	fv.editing = true;
	fv.dirty = false;
	fv.room = 0;
}

/* Move the focus; saves the field being left.  False if the save failed. */
static bool set_focus(struct app *a, int k)
{
	if (k < 0 || k >= fv.nc || k == fv.focus)
		return k == fv.focus;
	if (!commit(a))
		return false;
	int old = fv.focus, oldrow = fv.row_ctx;
	if (old >= 0 && fg_cell_lines(&fv.cells[old]) != fv.cells[old].nl)
		fv.full = true;	/* its slack goes: the rows below move back */
	fv.room = 0;
	if (fv.editing) {
		eb_free(&fv.eb);
		fv.editing = false;
	}
	fv.focus = k;
	start_edit();
	if (old >= 0) {
		fg_cell_refresh(&fv.cells[old]);
		fd_cell(&fv.cells[old]);
	}
	if (old >= 0 && fv.cells[old].flags & F_COVERED)
		fv.full = true;
	if (fv.cells[k].flags & F_COVERED || fv.row_ctx != oldrow)
		fv.full = true;
	return true;
}

static int next_focus(int from, int dir)
{
	for (int k = from + dir; k >= 0 && k < fv.nc; k += dir)
		if (fv.cells[k].flags & F_FOCUS)
			return k;
	return from;
}

static int cell_y(const struct cell *c)
{
	if (c->flags & F_PANEL)
		return fv.form_h + c->py;	/* below everything */
	return fv.bands[c->band].y;
}

/* The focusable cell in the next band up or down nearest in x. */
static int vertical(int from, int dir)
{
	const struct cell *c = &fv.cells[from];
	int cx = c->x + c->w / 2, best = -1, bestband = -1, bestd = 1 << 30;
	int y0 = cell_y(c);
	for (int k = 0; k < fv.nc; k++) {
		const struct cell *d = &fv.cells[k];
		if (!(d->flags & F_FOCUS) || k == from)
			continue;
		if ((d->flags & F_PANEL) != (c->flags & F_PANEL) && !(c->flags & F_PANEL && d->ind == c->ind))
			if ((d->flags & F_PANEL) && d->ind != fv.row_ctx)
				continue;
		if ((d->flags & F_PANEL) && d->ind != c->ind)
			continue;
		int y = cell_y(d);
		if (dir > 0 ? y <= y0 : y >= y0)
			continue;
		int bd = dir > 0 ? y - y0 : y0 - y;
		int dx = abs(d->x + d->w / 2 - cx);
		if (bestband < 0 || bd < bestband || (bd == bestband && dx < bestd)) {
			best = k;
			bestband = bd;
			bestd = dx;
		}
	}
	return best < 0 ? from : best;
}

/* ---- pickers and rows ------------------------------------------------------------- */

/* 产出指标 › 成本指标 belongs to the older municipal layout only. */
static bool level2_allowed(int l1, int l2)
{
	return !(l1 == 0 && l2 == 3) || strcmp(fv.lay->key, "beijing-2021") == 0;
}

static int level1_index(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, fg_level1_items[i]) == 0)
			return i;
	return -1;
}

static void pick(struct app *a)
{
	struct cell *c = &fv.cells[fv.focus];
	size_t i = (size_t)c->ind;
	char p1[48], p2[48];
	fg_ind_path(p1, sizeof p1, i, IND_LEVEL1);
	fg_ind_path(p2, sizeof p2, i, IND_LEVEL2);
	sheet_group(&fv.sh);
	if (c->pick == PK_NATURE) {
		int cur = -1;
		for (int k = 0; k < 4; k++)
			if (fg_ind_v(i, IND_NATURE) && strcmp(fg_ind_v(i, IND_NATURE), nature_items[k]) == 0)
				cur = k;
		int r = dlg_pick(a, "绩效指标性质", nature_items, 4, cur < 0 ? 0 : cur);
		if (r >= 0)
			save_field(a, c->path, nature_items[r]);
	} else if (c->pick == PK_LEVEL1) {
		int r = dlg_pick(a, "一级指标", fg_level1_items, 4, level1_index(fg_ind_v(i, IND_LEVEL1)) < 0 ? 0 :
				 level1_index(fg_ind_v(i, IND_LEVEL1)));
		if (r >= 0 && save_field(a, p1, fg_level1_items[r])) {
			/* a 二级 outside the new 一级 is cleared */
			bool ok = false;
			for (int k = 0; fg_level2_of[r][k]; k++)
				if (fg_ind_v(i, IND_LEVEL2) && strcmp(fg_ind_v(i, IND_LEVEL2), fg_level2_of[r][k]) == 0)
					ok = true;
			if (!ok && fg_ind_v(i, IND_LEVEL2) && *fg_ind_v(i, IND_LEVEL2))
				save_field(a, p2, "");
		}
	} else if (c->pick == PK_LEVEL2) {
		int l1 = level1_index(fg_ind_v(i, IND_LEVEL1));
		if (l1 < 0) {
			say(1, "%s", _("Choose the 一级指标 first."));
		} else {
			int n = 0, cur = 0;
			const char *items[8];
			for (int k = 0; fg_level2_of[l1][k]; k++) {
				if (!level2_allowed(l1, k))
					continue;
				if (fg_ind_v(i, IND_LEVEL2) && strcmp(fg_ind_v(i, IND_LEVEL2), fg_level2_of[l1][k]) == 0)
					cur = n;
				items[n++] = fg_level2_of[l1][k];
			}
			int r = dlg_pick(a, "二级指标", items, n, cur);
			if (r >= 0)
				save_field(a, p2, items[r]);
		}
	} else if (c->pick == PK_LEVELS) {
		char items[16][96];
		const char *ptr[16];
		int n = 0, l1s[16], l2s[16], cur = 0;
		for (int l1 = 0; l1 < 4; l1++)
			for (int l2 = 0; fg_level2_of[l1][l2]; l2++) {
				if (!level2_allowed(l1, l2))
					continue;
				snprintf(items[n], sizeof items[n], "%s › %s", fg_level1_items[l1], fg_level2_of[l1][l2]);
				ptr[n] = items[n];
				l1s[n] = l1;
				l2s[n] = l2;
				if (fg_ind_v(i, IND_LEVEL1) && fg_ind_v(i, IND_LEVEL2) &&
				    strcmp(fg_ind_v(i, IND_LEVEL1), fg_level1_items[l1]) == 0 &&
				    strcmp(fg_ind_v(i, IND_LEVEL2), fg_level2_of[l1][l2]) == 0)
					cur = n;
				n++;
			}
		int r = dlg_pick(a, "一级指标 › 二级指标", ptr, n, cur);
		if (r >= 0 && save_field(a, p1, fg_level1_items[l1s[r]]))
			save_field(a, p2, fg_level2_of[l1s[r]][l2s[r]]);
	}
	char *path = xstrdup(c->path);
	reload_live();
	int k = fg_cell_for_path(path);
	if (k >= 0)
		fv.focus = k;
	free(path);
	start_edit();
	app_redraw(a);
}

static int focus_row(void)
{
	if (fv.focus < 0)
		return -1;
	return fv.cells[fv.focus].ind;
}

static void focus_path(const char *path)
{
	int k = fg_cell_for_path(path);
	if (k >= 0 && fv.cells[k].flags & F_FOCUS) {
		fv.focus = k;
		start_edit();
	}
}

static void row_op(struct app *a, bool add)
{
	if (!commit(a))
		return;
	int r = focus_row();
	char p[48];
	if (add) {
		size_t at = r < 0 ? fv.sh.live->n_ind : (size_t)r + 1;
		if (saved(a, sheet_add_row(&fv.sh, at), false)) {
			reload_live();
			fg_ind_path(p, sizeof p, at, IND_LEVEL1);
			focus_path(p);
		}
	} else {
		if (r < 0)
			return;
		char q[128];
		snprintf(q, sizeof q, _("Delete indicator row %d?"), r + 1);
		if (!dlg_confirm(a, q)) {
			app_redraw(a);
			return;
		}
		if (saved(a, sheet_del_row(&fv.sh, (size_t)r), false)) {
			reload_live();
			if (fv.sh.live->n_ind > 0) {
				size_t at = (size_t)r < fv.sh.live->n_ind ? (size_t)r : fv.sh.live->n_ind - 1;
				fg_ind_path(p, sizeof p, at, IND_NAME);
				focus_path(p);
			}
		}
	}
	app_redraw(a);
}

static void row_move(struct app *a, int dir)
{
	if (!commit(a))
		return;
	int r = focus_row();
	if (r < 0 || r + dir < 0 || (size_t)(r + dir) >= fv.sh.live->n_ind)
		return;
	int fld = fv.cells[fv.focus].fld;
	if (saved(a, sheet_move_row(&fv.sh, (size_t)r, (size_t)(r + dir)), false)) {
		reload_live();
		char p[48];
		fg_ind_path(p, sizeof p, (size_t)(r + dir), fld);
		focus_path(p);
	}
	app_redraw(a);
}

static void undo_redo(struct app *a, bool back)
{
	if (!commit(a))
		return;
	int rc = sheet_undo(&fv.sh, back);
	if (rc == STORE_NOTFOUND) {
		say(2, "%s", back ? _("Nothing to undo.") : _("Nothing to redo."));
		fd_status();
		return;
	}
	if (rc != STORE_OK)
		say(0, _("Could not undo: %s"), fv.sh.d.err);
	fv.sh.reloaded = false;		/* the screen is laid out again anyway */
	reload_live();
	if (fv.sh.undone[0])
		focus_path(fv.sh.undone);
	saved_now(a);
	app_redraw(a);
}

/* F2: the focused row's suggested score, or a computed cell's figure. */
static void take_suggestion(struct app *a)
{
	const struct cell *c = fv.focus >= 0 ? &fv.cells[fv.focus] : NULL;
	char p[48];
	if (c && c->comp && c->flags & F_EDIT) {
		snprintf(p, sizeof p, "%s", c->path);
		if (!commit(a))
			return;
		char buf[SHEET_BUFSZ];
		if (!sheet_computed(&fv.sh, p, buf)) {
			say(2, "%s", _("Nothing to compute this figure from yet."));
			fd_status();
			return;
		}
		saved(a, sheet_take_computed(&fv.sh, p), false);
		reload_live();
		focus_path(p);
		app_redraw(a);
		return;
	}
	int r = focus_row();
	if (r < 0 || (size_t)r >= fv.sh.chk->n_ind || !fv.sh.chk->ind[r].has_suggestion) {
		say(2, "%s", _("No suggested score for this row."));
		fd_status();
		return;
	}
	if (!commit(a))
		return;
	fg_ind_path(p, sizeof p, (size_t)r, IND_SCORE);
	saved(a, sheet_take_suggestion(&fv.sh, (size_t)r), false);
	reload_live();
	focus_path(p);
	app_redraw(a);
}

static void findings_panel(struct app *a)
{
	if (!commit(a))
		return;
	/* errors and warnings; the notes are the suggestions the status line shows */
	size_t n = 0, *idx = calloc(fv.sh.chk->n_findings + 1, sizeof *idx);
	if (!idx)
		abort();
	for (size_t i = 0; i < fv.sh.chk->n_findings; i++)
		if (fv.sh.chk->findings[i].severity != SEV_NOTE)
			idx[n++] = i;
	if (n == 0) {
		free(idx);
		dlg_message(a, _("No findings: the rules have nothing to say about this form."));
		app_redraw(a);
		return;
	}
	char **items = calloc(n, sizeof *items);
	if (!items)
		abort();
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &fv.sh.chk->findings[idx[i]];
		char lab[128], buf[1024];
		form_path_label(f->field, lab, sizeof lab);
		snprintf(buf, sizeof buf, "%s %s：%s", draw_mark((int)f->severity), lab, f->message);
		items[i] = ustr_scrub(buf, false);
	}
	int r = dlg_pick(a, _("Findings (Enter goes to the field)"), (const char *const *)items, (int)n, 0);
	if (r >= 0) {
		int k = fg_cell_for_path(fv.sh.chk->findings[idx[r]].field);
		if (k >= 0 && fv.cells[k].flags & F_FOCUS) {
			if (fv.editing)
				eb_free(&fv.eb);
			fv.editing = false;
			fv.focus = k;
			start_edit();
		}
	}
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	free(idx);
	app_redraw(a);
}

/* F8: draft -> submitted, as `jxzp submit` (refused while there are errors). */
static void submit(struct app *a)
{
	if (fv.ro) {
		say(1, "%s", _("Read-only."));
		fd_status();
		return;
	}
	if (!commit(a)) {
		fd_status();
		return;
	}
	if (fv.sh.d.chk->errors > 0) {
		char buf[256];
		snprintf(buf, sizeof buf, ngettext("%d error: a form is submitted once it is fixed (F5 lists it).",
						   "%d errors: a form is submitted once they are fixed (F5 lists them).",
						   (unsigned long)fv.sh.d.chk->errors),
			 fv.sh.d.chk->errors);
		say(0, "%s", buf);
		app_redraw(a);		/* the refusal stays readable under the list */
		findings_panel(a);
		return;
	}
	char q[2048];
	rvf_question(&fv.sh.d, _("Submit %s? It cannot be changed afterwards unless a reviewer returns it."),
		     q, sizeof q);
	if (!dlg_confirm(a, q)) {
		app_redraw(a);
		return;
	}
	if (doc_set_status(&fv.sh.d, STATUS_SUBMITTED, NULL) != STORE_OK) {
		say(0, _("Not submitted: %s"), fv.sh.d.err);
	} else {
		fv.sh.live->status = fv.sh.d.f->status;
		fv.sh.live->version = fv.sh.d.f->version;
		fv.ro = true;
		if (fv.editing)
			eb_free(&fv.eb);
		fv.editing = false;
		say(2, "%s", _("Submitted."));
	}
	app_redraw(a);
}

/* ---- the screen --------------------------------------------------------------------- */

static void fv_close(void)
{
	if (!fv.open)
		return;
	if (fv.editing)
		eb_free(&fv.eb);
	fv.editing = false;
	fg_layout_free();
	free(fv.cells);
	free(fv.bands);
	fv.cells = NULL;
	fv.bands = NULL;
	fv.capc = fv.capb = 0;
	sheet_close(&fv.sh);
	fv.open = false;
	fd_forget_shown();
	rvf_close();
	cfv_close();
}

static void fv_enter(struct app *a)
{
	if (fv.open && fv.id == a->open_id)
		return;		/* back from help */
	fv_close();
	int rc = sheet_open(&fv.sh, a->s, a->open_id);
	if (rc == STORE_OK) {
		rvf_open(a->s, a->open_id);
		cfv_open(a->s, a->open_id);	/* bundle conflicts (ui/conflictview.c) */
	}
	if (rc != STORE_OK) {
		char buf[512];
		snprintf(buf, sizeof buf, _("Cannot open form %lld: %s"), (long long)a->open_id,
			 fv.sh.d.err[0] ? fv.sh.d.err : store_errmsg(a->s));
		sheet_close(&fv.sh);
		dlg_message(a, buf);
		a->list_sel = a->open_id;
		app_switch(a, SCR_LIST);
		return;
	}
	fv.open = true;
	fv.id = a->open_id;
	fv.lay = layout_find(fv.sh.live->layout);
	if (!fv.lay)
		fv.lay = layout_find(DEFAULT_LAYOUT);
	fv.ro = a->mode == SCREEN_REVIEW || fv.sh.live->status == STATUS_SUBMITTED ||
		fv.sh.live->status == STATUS_APPROVED;
	fv.msg[0] = 0;
	fv.saved[0] = 0;
	fv.top = 0;
	fv.row_ctx = 0;
	fg_build();
	int n, ch[1];
	fg_marks(ch, &n, 0);
	fv.focus = next_focus(-1, 1);
	if (fv.focus < 0 || !(fv.cells[fv.focus].flags & F_FOCUS))
		fv.focus = -1;
	if (fv.ro)
		say(2, "%s", a->mode == SCREEN_REVIEW ? _("Read-only: reviewing.") :
		    fv.sh.live->status == STATUS_APPROVED ? _("Read-only: this form has been approved.") :
		    _("Read-only: this form has been submitted."));
	start_edit();
}

static void fv_draw(struct app *a)
{
	if (!fv.open)
		return;
	if (fv.W != (COLS < APP_MIN_COLS ? APP_MIN_COLS : COLS) ||
	    fv.H != (LINES < APP_MIN_LINES ? APP_MIN_LINES : LINES)) {
		char *path = fv.focus >= 0 ? xstrdup(fv.cells[fv.focus].path) : NULL;
		bool was = fv.editing;
		struct ebuf keep = fv.eb;
		fv.editing = false;
		fg_build();
		int n, ch[1];
		fg_marks(ch, &n, 0);
		if (path) {
			int k = fg_cell_for_path(path);
			fv.focus = k >= 0 ? k : next_focus(-1, 1);
			free(path);
		}
		fv.editing = was;
		fv.eb = keep;
		if (fv.editing)
			fg_cell_refresh(&fv.cells[fv.focus]);
	}
	fd_redraw_all(a);
}

/* After the text changed: live form, rules, the cells that changed. */
static void text_changed(struct app *a)
{
	struct cell *c = &fv.cells[fv.focus];
	sheet_type(&fv.sh, c->path, fv.eb.s);
	fv.dirty = true;
	int was = fg_cell_lines(c);
	fg_cell_refresh(c);
	bool grew = fg_fit_room(c, was);	/* in its room, only the cell is drawn */
	int ncomp = 0, comp_changed[32];
	/* only figures feed the computed cells; text fields cannot change them */
	bool figures = (c->flags & (F_NUM | F_AUTO)) != 0;
	for (int i = 0; figures && i < fv.nc; i++) {
		if (!fv.cells[i].comp || fv.cells[i].comp == CP_DASH)
			continue;
		bool same;
		if (fg_cell_refresh_text(&fv.cells[i], &same))
			grew = true;
		if (!same && ncomp < 32)
			comp_changed[ncomp++] = i;
	}
	bool forced = fv.lay->group_weights && c->fld == IND_WEIGHT;
	if (forced)
		grew = true;
	if (fv.narrow && c->ind >= 0)
		grew = true;	/* the panel repeats the row */
	int changed[64], nch;
	fg_marks(changed, &nch, 64);
	fv.msg[0] = 0;
	if (nch > 64 || fv.full || (grew && (fv.narrow || ncomp > 0))) {
		fd_redraw_all(a);
		return;
	}
	if (grew) {
		/* the cell's band changed height: what is above it stays, what is
		 * below it moves (the terminal shifts those lines itself) */
		int k = c->band, old_end = fv.bands[k].y + fv.bands[k].h, old_h = fv.form_h;
		fg_measure();
		fd_scroll_to_focus();
		if (fv.full) {
			fd_redraw_all(a);
			return;
		}
		int delta = fv.form_h - old_h;
		if (delta == 0 && !forced)
			fd_cell(c);	/* a taller cell beside it: its band kept its height */
		else if (!fd_shift_below(k, old_end, delta))
			fd_body_from(fv.bands[k].y - 1);
		for (int i = 0; i < nch; i++)
			fd_cell(&fv.cells[changed[i]]);
		fd_top(a);
		fd_status();
		fd_keys(a);
		fd_place_cursor();
		return;
	}
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
	fd_scroll_to_focus();
	if (fv.full) {
		fd_redraw_all(a);
		return;
	}
	fd_cell_lines(c, c->fresh, 1 << 20);	/* the lines above are as they were */
	for (int i = 0; i < ncomp; i++)
		fd_cell(&fv.cells[comp_changed[i]]);
	for (int i = 0; i < nch; i++)
		fd_cell(&fv.cells[changed[i]]);
	fd_top(a);
	fd_status();
	fd_keys(a);
	fd_place_cursor();
}

/* An editing key on a read-only form: say why nothing happens. */
static void refuse_edit(struct app *a)
{
	if (fv.sh.live->status == STATUS_SUBMITTED)
		say(1, "%s", _("Read-only: this form is submitted; it cannot be changed unless a reviewer returns it."));
	else if (fv.sh.live->status == STATUS_APPROVED)
		say(1, "%s", _("Read-only: this form is approved; it cannot be changed."));
	else
		say(1, "%s", a->mode == SCREEN_REVIEW ? _("Read-only: reviewing (the unit edits its own forms).") :
		    _("Read-only."));
	fd_status();
}

/* n / N: the focus to the next / previous field with a finding (wrapping). */
static void jump_finding(struct app *a, int dir)
{
	int from = fv.focus < 0 ? (dir > 0 ? -1 : fv.nc) : fv.focus;
	for (int step = 1; step <= fv.nc; step++) {
		int i = ((from + dir * step) % fv.nc + fv.nc) % fv.nc;
		const struct cell *d = &fv.cells[i];
		if (d->mark >= 0 && d->flags & F_FOCUS && !(d->flags & F_COVERED) &&
		    (!(d->flags & F_PANEL) || fv.narrow)) {
			fv.focus = i;
			if (d->ind >= 0)
				fv.row_ctx = d->ind;
			fv.msg[0] = 0;
			fd_redraw_all(a);
			return;
		}
	}
	say(2, "%s", _("No findings on this form."));
	fd_status();
}

/* A review key (ui/reviewform.c), then what it needs on screen. */
static void review_key(struct app *a, int k)
{
	const char *path = fv.focus >= 0 ? fv.cells[fv.focus].path : "";
	int sev = 2;
	enum rvf_result r = rvf_key(a, &fv.sh.d, path, k, fv.msg, sizeof fv.msg, &sev);
	fv.msg_sev = sev;
	if (r == RVF_STATUS) {
		/* the doc reloaded the form: the screen follows, read-only or not */
		char keep[sizeof fv.msg];
		memcpy(keep, fv.msg, sizeof keep);
		reload_live();
		fv.ro = a->mode == SCREEN_REVIEW || fv.sh.live->status == STATUS_SUBMITTED ||
			fv.sh.live->status == STATUS_APPROVED;
		if (fv.ro && fv.editing) {
			eb_free(&fv.eb);
			fv.editing = false;
		}
		memcpy(fv.msg, keep, sizeof keep);
		fv.msg_sev = sev;
	} else if (r == RVF_FINDINGS) {
		app_redraw(a);		/* the refusal stays readable under the list */
		findings_panel(a);
		return;
	}
	app_redraw(a);
}

/* F11 / Ctrl-R: settle the focused field's bundle conflict
 * (ui/conflictview.c), then show the form as the store has it now. */
static void conflict_key(struct app *a)
{
	if (!commit(a)) {
		fd_status();
		return;
	}
	char *path = xstrdup(fv.focus >= 0 ? fv.cells[fv.focus].path : "");
	char msg[sizeof fv.msg];
	int sev = 2;
	if (cfv_settle(a, path, msg, sizeof msg, &sev)) {
		fv_close();
		fv_enter(a);
		if (!fv.open) {		/* it could not be opened again: the list says why */
			free(path);
			return;
		}
		int k = fg_cell_for_path(path);
		if (k >= 0 && fv.cells[k].flags & F_FOCUS) {
			fv.focus = k;
			if (fv.editing)
				eb_free(&fv.eb);
			fv.editing = false;
			start_edit();
		}
	}
	free(path);
	snprintf(fv.msg, sizeof fv.msg, "%s", msg);
	fv.msg_sev = sev;
	app_redraw(a);
}

/* The reviewer's pager: the next or previous form of the list. */
static void review_step(struct app *a, int dir)
{
	if (a->pager_step) {	/* the pager's order, one indexed query (ui/reviewview.c) */
		int64_t id = a->pager_step(a, dir);
		if (!id) {
			say(2, "%s", dir > 0 ? _("This is the last form.") : _("This is the first form."));
			fd_status();
			return;
		}
		fv_close();
		a->open_id = id;
		fv_enter(a);
		if (fv.open)
			fd_redraw_all(a);
		return;
	}
	size_t i = 0;
	while (i < a->nids && a->ids[i] != fv.id)
		i++;
	if (i >= a->nids || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= a->nids)) {
		say(2, "%s", dir > 0 ? _("This is the last form.") : _("This is the first form."));
		fd_status();
		return;
	}
	fv_close();
	a->open_id = a->ids[(size_t)((long)i + dir)];
	fv_enter(a);
	if (fv.open)
		fd_redraw_all(a);
}

static bool editor_key(struct app *a, int k)
{
	struct cell *c = &fv.cells[fv.focus];
	int w = c->w;
	bool changed = false, moved = false;
	bool cut = false;
	if (k == K_PASTE) {
		eb_insert(&fv.eb, a->paste, a->paste_len);
		cut = fv.eb.cut;
		changed = true;
	} else if (k >= 0x20 && k < K_FN && k != 0x7f) {
		char u[8];
		int n = 0;
		unsigned cp = (unsigned)k;
		if (cp < 0x80)
			u[n++] = (char)cp;
		else if (cp < 0x800) {
			u[n++] = (char)(0xc0 | (cp >> 6));
			u[n++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			u[n++] = (char)(0xe0 | (cp >> 12));
			u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[n++] = (char)(0x80 | (cp & 0x3f));
		} else {
			u[n++] = (char)(0xf0 | (cp >> 18));
			u[n++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			u[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			u[n++] = (char)(0x80 | (cp & 0x3f));
		}
		changed = eb_insert(&fv.eb, u, (size_t)n) > 0;
	} else if (k == '\n' && c->flags & F_MULTI) {
		changed = eb_insert(&fv.eb, "\n", 1) > 0;
	} else {
		enum eb_op op;
		bool is_change = true;
		switch (k) {
		case KF(KEY_BACKSPACE): case 0x7f: case CTRL('H'): op = EB_BACKSPACE; break;
		case KF(KEY_DC): case CTRL('D'): op = EB_DELETE; break;
		case CTRL('K'): op = EB_KILL_END; break;
		case CTRL('U'): op = EB_KILL_START; break;
		case CTRL('W'): op = EB_KILL_WORD; break;
		case KF(KEY_HOME): case CTRL('A'): op = EB_HOME; is_change = false; break;
		case KF(KEY_END): case CTRL('E'): op = EB_END; is_change = false; break;
		case KF(KEY_LEFT): op = EB_LEFT; is_change = false; break;
		case KF(KEY_RIGHT): op = EB_RIGHT; is_change = false; break;
		case KF(KEY_UP):
			if (!(c->flags & F_MULTI))
				return false;
			op = EB_UP; is_change = false; break;
		case KF(KEY_DOWN):
			if (!(c->flags & F_MULTI))
				return false;
			op = EB_DOWN; is_change = false; break;
		default:
			return false;
		}
		bool did = eb_apply(&fv.eb, op, w);
		if (!did && (op == EB_LEFT || op == EB_RIGHT || op == EB_UP || op == EB_DOWN))
			return false;	/* at the edge: the key moves the focus */
		if (is_change)
			changed = did;
		else
			moved = true;
	}
	if (changed) {
		if (!fv.dirty)
			fv.dirty_since = app_now();
		fv.last_key = app_now();
		text_changed(a);
		if (cut) {
			say(1, "%s", _("The paste was cut: a field holds at most 64 KiB."));
			fd_status();
			fd_place_cursor();
		}
	} else if (moved) {
		fd_scroll_to_focus();
		if (fv.full) {
			fd_redraw_all(a);
		} else {
			if (c->flags & F_PANEL)
				fd_cell(c);	/* its two lines follow the cursor */
			fd_place_cursor();
		}
	}
	return true;
}

/* Esc: back to the list.  If the store refuses the field, the text stays
 * and a second Esc in a row leaves without it (said on screen first). */
static int esc_refused;

static void leave_to_list(struct app *a)
{
	if (!commit(a) && !esc_refused) {
		esc_refused = 1;
		size_t l = strlen(fv.msg);
		snprintf(fv.msg + l, sizeof fv.msg - l, " %s", _("(Esc again leaves without it)"));
		fd_status();
		return;
	}
	esc_refused = 0;
	a->list_sel = fv.id;
	fv_close();
	app_switch(a, a->mode == SCREEN_REVIEW && a->pager_step ? SCR_REVIEW : SCR_LIST);
}

static void fv_key_do(struct app *a, int k)
{
	if (k != K_ESC)
		esc_refused = 0;
	if (!fv.open)
		return;
	if (fv.focus < 0 && fv.nc > 0)
		fv.focus = next_focus(-1, 1);
	struct cell *c = fv.focus >= 0 ? &fv.cells[fv.focus] : NULL;
	bool typing = k == K_PASTE || (k >= 0x20 && k < K_FN && k != 0x7f);
	if (c && fv.editing && editor_key(a, k))
		return;
	if (cfv_wants(k)) {
		conflict_key(a);
		return;
	}
	if (rvf_wants(a, fv.ro, k)) {	/* submit, return, approve, comments (ui/reviewform.c) */
		if (!commit(a)) {
			fd_status();
			return;
		}
		review_key(a, k);
		return;
	}
	if (fv.ro && (k == 'n' || k == 'N')) {
		jump_finding(a, k == 'n' ? 1 : -1);
		return;
	}
	if (fv.ro && (typing || k == KF(KEY_BACKSPACE) || k == KF(KEY_DC) || k == CTRL('D') ||
		      k == CTRL('K') || k == CTRL('U') || k == CTRL('W') ||
		      k == KF(KEY_F(2)) || k == KF(KEY_F(3)) || k == KF(KEY_IC) ||
		      k == KF(KEY_F(4)) || k == K_ALT_UP || k == K_ALT_DOWN || k == K_CTRL_UP ||
		      k == K_CTRL_DOWN || k == CTRL('Z') || k == CTRL('Y') ||
		      (k == '\n' && c && c->flags & F_PICK) || (k == ' ' && c && c->flags & F_PICK))) {
		refuse_edit(a);
		return;
	}
	int to = -1;
	switch (k) {
	case '\t':
		to = next_focus(fv.focus, 1);
		break;
	case KF(KEY_BTAB):
		to = next_focus(fv.focus, -1);
		break;
	case '\n':
		if (c && c->flags & F_PICK && !fv.ro) {
			if (commit(a))
				pick(a);
			return;
		}
		to = next_focus(fv.focus, 1);
		break;
	case ' ':
		if (c && c->flags & F_PICK && !fv.ro) {
			pick(a);
			return;
		}
		break;
	case KF(KEY_DOWN):
		to = c ? vertical(fv.focus, 1) : -1;
		break;
	case KF(KEY_UP):
		to = c ? vertical(fv.focus, -1) : -1;
		break;
	case KF(KEY_RIGHT):
		to = next_focus(fv.focus, 1);
		break;
	case KF(KEY_LEFT):
		to = next_focus(fv.focus, -1);
		break;
	case KF(KEY_NPAGE):
	case KF(KEY_PPAGE): {
		if (a->mode == SCREEN_REVIEW) {
			review_step(a, k == KF(KEY_NPAGE) ? 1 : -1);
			return;
		}
		int target = fv.top + (k == KF(KEY_NPAGE) ? fv.body_h - 2 : -(fv.body_h - 2));
		int best = -1;
		for (int i = 0; i < fv.nc; i++)
			if (fv.cells[i].flags & F_FOCUS && !(fv.cells[i].flags & F_PANEL)) {
				int y = fv.bands[fv.cells[i].band].y;
				if (k == KF(KEY_NPAGE) ? y >= target : y <= target + fv.body_h - 2)
					if (best < 0 || (k == KF(KEY_NPAGE) ? y < fv.bands[fv.cells[best].band].y : y > fv.bands[fv.cells[best].band].y))
						best = i;
			}
		to = best >= 0 ? best : (k == KF(KEY_NPAGE) ? next_focus(fv.nc, -1) : next_focus(-1, 1));
		break;
	}
	case KF(KEY_F(2)):
		if (!fv.ro)
			take_suggestion(a);
		return;
	case KF(KEY_F(3)):
	case KF(KEY_IC):
		if (!fv.ro)
			row_op(a, true);
		return;
	case KF(KEY_F(4)):
		if (!fv.ro)
			row_op(a, false);
		return;
	case K_ALT_UP:
	case K_CTRL_UP:
		if (!fv.ro)
			row_move(a, -1);
		return;
	case K_ALT_DOWN:
	case K_CTRL_DOWN:
		if (!fv.ro)
			row_move(a, 1);
		return;
	case KF(KEY_F(5)):
		findings_panel(a);
		return;
	case KF(KEY_F(8)):
		submit(a);
		return;
	case CTRL('Z'):
		if (!fv.ro)
			undo_redo(a, true);
		return;
	case CTRL('Y'):
		if (!fv.ro)
			undo_redo(a, false);
		return;
	case KF(KEY_F(1)):
	case '?':
		if (!commit(a)) {
			fd_status();
			return;
		}
		a->back = SCR_FORM;
		app_switch(a, SCR_HELP);
		return;
	case K_ESC:
		leave_to_list(a);
		return;
	case K_MOUSE: {
		int my = a->mouse_y, mx = a->mouse_x;
		if (my >= fv.body_top && my < fv.body_top + fv.body_h) {
			int fy = my - fv.body_top + fv.top;
			for (int i = 0; i < fv.nc; i++) {
				const struct cell *d = &fv.cells[i];
				if (!(d->flags & F_FOCUS) || d->flags & F_PANEL)
					continue;
				const struct band *b = &fv.bands[d->band];
				int y0 = b->y, h = b->h;
				if (fy >= y0 && fy < y0 + h && mx >= d->x - 1 && mx <= d->x + d->w)
					to = i;
			}
		} else if (fv.narrow && my >= fv.panel_y && my < fv.panel_y + fv.panel_h) {
			for (int i = fv.nhdr; i < fv.nc; i++) {
				const struct cell *d = &fv.cells[i];
				if (d->flags & F_PANEL && d->ind == fv.row_ctx &&
				    my >= fv.panel_y + d->py && my < fv.panel_y + d->py + d->ph &&
				    mx >= d->x - 1 && mx <= d->x + d->w)
					to = i;
			}
		}
		break;
	}
	case K_WHEEL_UP:
	case K_WHEEL_DOWN:
		fv.top += k == K_WHEEL_UP ? -3 : 3;
		if (fv.top > fv.form_h - fv.body_h)
			fv.top = fv.form_h - fv.body_h;
		if (fv.top < 0)
			fv.top = 0;
		fd_forget_shown();
		erase();
		fd_top(a);
		fd_body();
		fd_panel();
		fd_status();
		fd_keys(a);
		fd_place_cursor();
		return;
	default:
		if (c && typing && c->flags & F_PICK) {
			pick(a);
			return;
		}
		if (c && typing && !(c->flags & F_EDIT)) {
			say(2, "%s", _("This cell is computed; it changes with the figures it comes from."));
			fd_status();
		}
		return;
	}
	if (to >= 0 && to == fv.focus && fv.dirty) {
		/* nowhere further to go: still, the field is left as it is now */
		commit(a);
		fd_top(a);
		fd_status();
		fd_place_cursor();
		return;
	}
	if (to >= 0 && to != fv.focus) {
		if (!set_focus(a, to)) {
			fd_status();
			fd_place_cursor();
			return;
		}
		if (!fv.resync)
			fv.msg[0] = 0;
		fd_scroll_to_focus();
		if (fv.full) {
			fd_redraw_all(a);
		} else {
			fd_cell(&fv.cells[fv.focus]);
			fd_top(a);
			fd_status();
			fd_panel();
			fd_place_cursor();
		}
	}
}

static int fv_idle_ms(struct app *a)
{
	(void)a;
	if (!fv.open || !fv.editing || !fv.dirty)
		return -1;
	double now = app_now();
	double due = fv.last_key + 1.0;
	if (fv.dirty_since + 5.0 < due)
		due = fv.dirty_since + 5.0;	/* steady typing still saves every 5 s */
	int ms = (int)((due - now) * 1000.0);
	return ms < 0 ? 0 : ms;
}

static void fv_idle_do(struct app *a)
{
	if (!fv.open || !fv.editing || !fv.dirty)
		return;
	in_idle = true;
	bool ok = commit(a);
	in_idle = false;
	if (!ok) {
		fv.last_key = app_now() + 4.0;	/* retry later, not in a loop */
		fd_status();
		fd_place_cursor();
		return;
	}
	fd_top(a);
	fd_status();
	fd_place_cursor();
}

/* After a reload (a save found the form changed elsewhere): the screen
 * shows the saved form, the focus stays on its field. */
static void resync(struct app *a)
{
	if (!fv.resync || !fv.open)
		return;
	fv.resync = false;
	reload_live();
	start_edit();
	fd_redraw_all(a);
}

static void fv_key(struct app *a, int k)
{
	fv_key_do(a, k);
	resync(a);
}

static void fv_idle(struct app *a)
{
	fv_idle_do(a);
	resync(a);
}

static bool fv_leave(struct app *a)
{
	if (!fv.open)
		return true;
	if (!commit(a)) {
		size_t l = strlen(fv.msg);
		snprintf(fv.msg + l, sizeof fv.msg - l, " %s", _("(Ctrl-Q again quits without it)"));
		fd_status();
		fd_place_cursor();
		return false;
	}
	return true;
}

const struct screen form_screen = { fv_enter, fv_draw, fv_key, fv_idle_ms, fv_idle, fv_leave, fv_close };
