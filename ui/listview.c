/*
 * listview: the start screen — every form by unit and year, as the store
 * lists them (store_list: cached score, grade and error count, never whole
 * forms), with a filter typed in place.  Opens, creates and deletes forms.
 * In review mode it lists submitted forms only and opens them read-only.
 */
#include "config.h"
#include "app.h"
#include "bundleview.h"
#include "doc.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "rows.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct row {
	int64_t id;
	int year;
	char *unit, *project, *status, *updated, *score, *grade;
	int errors;
};

static struct lv {
	struct row *rows;
	size_t n, cap;
	size_t sel, top;
	struct ebuf filter;
	bool filtering, inited;
	char msg[512];
	int msg_sev;
	int64_t undo_id;	/* the form d deleted last, for u; 0: none */
} lv;

static void rows_free(void)
{
	for (size_t i = 0; i < lv.n; i++) {
		struct row *r = &lv.rows[i];
		free(r->unit); free(r->project); free(r->status);
		free(r->updated); free(r->score); free(r->grade);
	}
	lv.n = 0;
}

static int collect(const struct form_row *fr, void *arg)
{
	(void)arg;
	if (lv.n == lv.cap) {
		lv.cap = lv.cap ? lv.cap * 2 : 256;
		lv.rows = realloc(lv.rows, lv.cap * sizeof *lv.rows);
		if (!lv.rows)
			abort();
	}
	struct row *r = &lv.rows[lv.n++];
	r->id = fr->id;
	r->year = fr->year;
	r->unit = ustr_scrub(fr->unit ? fr->unit : "", false);
	r->project = ustr_scrub(fr->project ? fr->project : "", false);
	r->status = xstrdup(fr->status ? fr->status : "");
	r->updated = xstrdup(fr->updated);
	r->score = xstrdup(fr->score);
	r->grade = xstrdup(fr->grade);
	r->errors = fr->errors;
	return 0;
}

static void load(struct app *a)
{
	rows_free();
	struct store_filter flt = { 0 };
	if (lv.filter.len)
		flt.text = lv.filter.s;
	if (a->mode == SCREEN_REVIEW)
		flt.status = "submitted";
	if (store_list(a->s, &flt, collect, NULL) != STORE_OK) {
		snprintf(lv.msg, sizeof lv.msg, "%s", store_errmsg(a->s));
		lv.msg_sev = 0;
	}
	if (lv.sel >= lv.n)
		lv.sel = lv.n ? lv.n - 1 : 0;
}

/* Columns: 年度 实施单位 项目名称 状态 总分 级 修改 */
enum { NCOL = 7 };
static int cx[NCOL], cw[NCOL];

static void columns(void)
{
	static const int minw[NCOL] = { 4, 10, 16, 6, 7, 2, 6 };
	const char *const head[NCOL] = { _("Year"), _("Unit"), _("Project"), _("Status"), _("Score"),
					 _("Grade"), _("Edited") };
	int avail = COLS - (NCOL + 1) - 2 * NCOL, sum = 0;
	for (int i = 0; i < NCOL; i++)
		sum += cw[i] = minw[i];
	int extra = avail - sum;
	if (extra > 0) {
		int a1 = extra / 3;
		if (a1 > 16)
			a1 = 16;	/* unit names are short; the project takes the rest */
		cw[1] += a1;
		cw[2] += extra - a1;
	}
	/* a head is never cut: a wider head takes from the project's column */
	for (int i = 0; i < NCOL; i++) {
		int hw = ustr_width(head[i]);
		for (size_t k = 0; i == 3 && k < lv.n; k++) {	/* and no status listed is cut */
			int sw = ustr_width(rows_status_label(lv.rows[k].status));
			hw = sw > hw ? sw : hw;
		}
		if (hw > cw[i] && i != 2 && cw[2] - (hw - cw[i]) >= minw[2]) {
			cw[2] -= hw - cw[i];
			cw[i] = hw;
		}
	}
	cx[0] = 2;
	for (int i = 1; i < NCOL; i++)
		cx[i] = cx[i - 1] + cw[i - 1] + 3;
}

static void cells(int y, const char *const v[NCOL], attr_t at, int mark)
{
	static const enum align al[NCOL] = { AL_LEFT, AL_LEFT, AL_LEFT, AL_LEFT, AL_RIGHT, AL_LEFT, AL_LEFT };
	draw_vbar(y, 0);
	for (int c = 0; c < NCOL; c++) {
		draw_text(y, cx[c] - 1, 1, " ", 1, AL_LEFT, at);
		draw_text(y, cx[c], cw[c], v[c], strlen(v[c]), al[c], at);
		draw_text(y, cx[c] + cw[c], 1, " ", 1, AL_LEFT, at);
		draw_vbar(y, cx[c] + cw[c] + 1);
	}
	if (mark >= 0)	/* the score column carries the mark; colour it */
		draw_text(y, cx[4], cw[4], v[4], strlen(v[4]), AL_RIGHT, at | draw_attr(ST_ERROR));
}

static int rows_shown(void)
{
	return LINES - 9;
}

static void lv_draw(struct app *a)
{
	erase();
	draw_clip(0, LINES);
	columns();
	char left[8192], buf[256];
	snprintf(buf, sizeof buf, a->mode == SCREEN_REVIEW ? _("submitted forms: %zu") : _("forms: %zu"), lv.n);
	char *path = ustr_scrub(a->fixed_time ? "" : store_path(a->s), false);
	const char *home = getenv("HOME");
	const char *shown = path;
	char tilde[4096];
	if (home && *home && strncmp(path, home, strlen(home)) == 0 && path[strlen(home)] == '/') {
		snprintf(tilde, sizeof tilde, "~%s", path + strlen(home));
		shown = tilde;
	}
	snprintf(left, sizeof left, _(" jxzp self-assessment │ %s%s%s"), buf, *shown ? " │ " : "", shown);
	free(path);
	draw_bar(0, left, NULL);

	/* the filter line */
	const char *fl = _("Filter: ");
	int fw = ustr_width(fl);
	draw_text(1, 1, fw, fl, strlen(fl), AL_LEFT, A_NORMAL);
	char *ft = ustr_scrub(lv.filter.s, false);
	draw_text(1, 1 + fw, COLS / 2, ft, strlen(ft), AL_LEFT, lv.filtering ? A_UNDERLINE : A_NORMAL);
	free(ft);
	const char *hint = _("(/ filter, Esc clears)");
	int hw = ustr_width(hint);
	draw_text(1, COLS - hw - 1, hw, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));

	rows_rule(2, cw, NCOL, ARM_DOWN);
	const char *const head[NCOL] = { _("Year"), _("Unit"), _("Project"), _("Status"), _("Score"),
					 _("Grade"), _("Edited") };
	cells(3, head, A_NORMAL, -1);
	rows_rule(4, cw, NCOL, ARM_UP | ARM_DOWN);
	int nshow = rows_shown();
	if (lv.sel < lv.top)
		lv.top = lv.sel;
	if (lv.sel >= lv.top + (size_t)nshow)
		lv.top = lv.sel - (size_t)nshow + 1;
	int y = 5;
	size_t common = lv.n ? strlen(lv.rows[0].unit) : 0;	/* place names every unit shares */
	for (size_t i = 1; i < lv.n; i++) {
		size_t c = ustr_common_places(lv.rows[0].unit, lv.rows[i].unit);
		common = c < common ? c : common;
	}
	for (size_t i = lv.top; i < lv.n && y < 5 + nshow; i++, y++) {
		const struct row *r = &lv.rows[i];
		char year[16], upd[32];
		snprintf(year, sizeof year, "%d", r->year);
		rows_when(a, r->updated, upd, sizeof upd);
		char score[64];
		snprintf(score, sizeof score, "%s%s", r->errors > 0 ? "✗" : "", r->score ? r->score : "");
		char *unit = ustr_fit_name(r->unit, cw[1], common);	/* not 北京市丰台… for all */
		const char *v[NCOL] = { year, unit, r->project, rows_status_label(r->status),
					score, r->grade ? r->grade : "", upd };
		cells(y, v, i == lv.sel ? draw_attr(ST_FOCUS) : A_NORMAL, r->errors > 0 ? 0 : -1);
		free(unit);
	}
	if (lv.n == 0) {
		const char *e = lv.filter.len ? _("No form matches the filter.") :
				_("No forms yet: n creates one, or run jxzp demo / jxzp import FILE.");
		const char *v[NCOL] = { "", "", e, "", "", "", "" };
		cells(y++, v, draw_attr(ST_DIM), -1);
	}
	rows_rule(y, cw, NCOL, ARM_UP);

	/* status: the selected form's errors, or a message */
	int sy = LINES - 2;
	if (lv.msg[0]) {
		char *m = ustr_scrub(lv.msg, false);
		draw_text(sy, 1, COLS - 2, m, strlen(m), AL_LEFT, draw_attr(lv.msg_sev == 0 ? ST_ERROR : ST_NORMAL));
		free(m);
	} else if (lv.n && lv.rows[lv.sel].errors > 0) {
		char m[1024];
		snprintf(m, sizeof m, ngettext("✗ %s: %d error (open it to see it)", "✗ %s: %d errors (open it to see them)",
					       (unsigned long)lv.rows[lv.sel].errors),
			 lv.rows[lv.sel].project, lv.rows[lv.sel].errors);
		draw_text(sy, 1, COLS - 2, m, strlen(m), AL_LEFT, draw_attr(ST_ERROR));
	}
	draw_bar(LINES - 1, a->mode == SCREEN_REVIEW ?
		 _(" Enter open (read-only)  / filter  b/B bundle write/read  F1 help  q quit") :
		 lv.undo_id ?
		 _(" Enter open  n new  d delete  u undo delete  / filter  r review  t summary  b/B bundle  F1 help  q quit") :
		 _(" Enter open  n new  d delete  / filter  r review  t summary  b/B bundle  F1 help  q quit"), NULL);
	if (lv.filtering) {
		curs_set(1);
		move(1, 1 + fw + ustr_width_n(lv.filter.s, lv.filter.cur));
	} else
		curs_set(0);
}

static void lv_enter(struct app *a)
{
	if (!lv.inited) {
		eb_init(&lv.filter, "", false);
		lv.inited = true;
	}
	load(a);
	if (a->list_sel)
		for (size_t i = 0; i < lv.n; i++)
			if (lv.rows[i].id == a->list_sel)
				lv.sel = i;
	a->list_sel = 0;
}

/* n: a new form, empty; N: like the selected one (its unit, year,
 * department, layout and rules), only when asked for. */
static void create(struct app *a, bool like)
{
	struct dlg_new n = { .layout = DEFAULT_LAYOUT, .ruleset = DEFAULT_RULESET };
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	n.year = tm.tm_year + 1900 - 1;	/* self-assessment looks back a year */
	struct form *sel = NULL;
	if (like && lv.n && store_load(a->s, lv.rows[lv.sel].id, &sel) == STORE_OK) {
		snprintf(n.unit, sizeof n.unit, "%s", sel->unit ? sel->unit : "");
		snprintf(n.department, sizeof n.department, "%s", sel->department ? sel->department : "");
		n.year = sel->year;
		if (layout_find(sel->layout))
			n.layout = layout_find(sel->layout)->key;
		if (ruleset_find(sel->ruleset))
			n.ruleset = ruleset_find(sel->ruleset)->name;
	}
	form_free(sel);
	if (!dlg_new_form(a, &n)) {
		app_redraw(a);
		return;
	}
	struct form *f = form_new();
	f->year = n.year;
	set_str(&f->unit, n.unit);
	set_str(&f->project, n.project);
	set_str(&f->department, n.department);
	set_str(&f->layout, n.layout);
	set_str(&f->ruleset, n.ruleset);
	set_str(&f->funds[FUND_TOTAL][FUND_WEIGHT], "10");
	int rc = store_insert(a->s, f);
	if (rc != STORE_OK) {
		snprintf(lv.msg, sizeof lv.msg, _("Could not create the form: %s"), store_errmsg(a->s));
		lv.msg_sev = 0;
		form_free(f);
		app_redraw(a);
		return;
	}
	doc_refresh_summary(a->s, f);
	a->open_id = f->id;
	form_free(f);
	lv.msg[0] = 0;
	app_switch(a, SCR_FORM);
}

static void delete(struct app *a)
{
	if (!lv.n)
		return;
	const struct row *r = &lv.rows[lv.sel];
	char q[1024];
	snprintf(q, sizeof q, _("Delete form %lld, “%s” (%s, %d)? Its history is kept."),
		 (long long)r->id, r->project, r->unit, r->year);
	if (dlg_confirm(a, q)) {
		int64_t id = r->id;
		if (store_delete(a->s, id) != STORE_OK) {
			snprintf(lv.msg, sizeof lv.msg, _("Could not delete: %s"), store_errmsg(a->s));
			lv.msg_sev = 0;
		} else {
			snprintf(lv.msg, sizeof lv.msg,
				 _("Deleted form %lld: u brings it back (later: jxzp restore %lld)."),
				 (long long)id, (long long)id);
			lv.msg_sev = 2;
			lv.undo_id = id;
		}
		load(a);
	}
	app_redraw(a);
}

/* u: the form deleted last comes back, selected. */
static void undelete(struct app *a)
{
	if (!lv.undo_id)
		return;
	int64_t id = lv.undo_id;
	if (store_restore(a->s, id) != STORE_OK) {
		snprintf(lv.msg, sizeof lv.msg, _("Could not restore: %s"), store_errmsg(a->s));
		lv.msg_sev = 0;
	} else {
		snprintf(lv.msg, sizeof lv.msg, _("Form %lld is back."), (long long)id);
		lv.msg_sev = 2;
		a->list_sel = id;
		lv_enter(a);	/* reload, and select it */
	}
	lv.undo_id = 0;
	app_redraw(a);
}

/* c: next year's draft of the selected form (doc_carry_forward), selected. */
static void carry(struct app *a)
{
	if (!lv.n)
		return;
	char err[sizeof lv.msg];
	int64_t nid;
	int year = lv.rows[lv.sel].year + 1;
	if (doc_carry_forward(a->s, lv.rows[lv.sel].id, 0, &nid, err, sizeof err) != STORE_OK) {
		snprintf(lv.msg, sizeof lv.msg, "%s", err);
		lv.msg_sev = 0;
	} else {
		snprintf(lv.msg, sizeof lv.msg, _("Carried forward to %d as form %lld."), year, (long long)nid);
		lv.msg_sev = 2;
		a->list_sel = nid;
		lv_enter(a);	/* reload, and select the new form */
	}
	app_redraw(a);
}

static void open_sel(struct app *a)
{
	if (!lv.n)
		return;
	a->open_id = lv.rows[lv.sel].id;
	lv.msg[0] = 0;
	/* the review pager goes through the forms in the list's order */
	free(a->ids);
	a->ids = malloc(lv.n * sizeof *a->ids);
	if (!a->ids)
		abort();
	for (size_t i = 0; i < lv.n; i++)
		a->ids[i] = lv.rows[i].id;
	a->nids = lv.n;
	app_switch(a, SCR_FORM);
}

/* The unit every listed form belongs to, or NULL (a bundle's file name). */
static const char *one_unit(void)
{
	if (!lv.n || lv.filter.len)
		return NULL;
	for (size_t i = 1; i < lv.n; i++)
		if (strcmp(lv.rows[i].unit, lv.rows[0].unit) != 0)
			return NULL;
	return lv.rows[0].unit;
}

static void lv_key(struct app *a, int k)
{
	lv.msg[0] = 0;
	if (lv.filtering) {
		if (k == K_ESC) {
			eb_set(&lv.filter, "");
			lv.filtering = false;
			load(a);
		} else if (k == '\n' || k == KF(KEY_DOWN) || k == '\t') {
			lv.filtering = false;
		} else if (dlg_edit_key(a, &lv.filter, k, COLS / 2)) {
			lv.sel = 0;
			lv.top = 0;
			load(a);
		}
		lv_draw(a);
		return;
	}
	if (rows_move(&lv.sel, lv.n, (size_t)(rows_shown() > 2 ? rows_shown() - 1 : 1), k)) {
		lv_draw(a);
		return;
	}
	switch (k) {
	case '\n':
		open_sel(a);
		return;
	case 'n':
	case 'N':
		if (a->mode != SCREEN_REVIEW)
			create(a, k == 'N');
		return;
	case 'd': case KF(KEY_DC):
		if (a->mode != SCREEN_REVIEW)
			delete(a);
		return;
	case 'u':
		if (a->mode != SCREEN_REVIEW)
			undelete(a);
		return;
	case 'c':
		if (a->mode != SCREEN_REVIEW)
			carry(a);
		return;
	case 'b':	/* write an offline bundle (ui/bundleview.c) */
		bv_write(a, one_unit(), lv.n ? lv.rows[lv.sel].unit : NULL, lv.msg, sizeof lv.msg, &lv.msg_sev);
		app_redraw(a);
		return;
	case 'B':	/* read one */
		if (bv_read(a, lv.msg, sizeof lv.msg, &lv.msg_sev))
			load(a);
		app_redraw(a);
		return;
	case '/':
		lv.filtering = true;
		break;
	case 'r':	/* the reviewer's pager (ui/reviewview.c) */
		a->mode = SCREEN_REVIEW;
		a->pager_back = SCR_LIST;
		app_switch(a, SCR_REVIEW);
		return;
	case 't':	/* summaries per unit and year (ui/summaryview.c) */
		a->sum_filter = NULL;
		a->sum_back = SCR_LIST;
		app_switch(a, SCR_SUMMARY);
		return;
	case K_ESC:
		if (lv.filter.len) {
			eb_set(&lv.filter, "");
			load(a);
		}
		break;
	case 'q':
		a->quit = true;
		return;
	case KF(KEY_F(1)): case '?':
		a->back = SCR_LIST;
		app_switch(a, SCR_HELP);
		return;
	case K_MOUSE: {
		int y = a->mouse_y;
		if (y >= 5 && y < 5 + rows_shown()) {
			size_t i = lv.top + (size_t)(y - 5);
			if (i < lv.n) {
				if (i == lv.sel) {
					open_sel(a);
					return;
				}
				lv.sel = i;
			}
		}
		break;
	}
	case K_WHEEL_DOWN:
		lv.sel = lv.sel + 3 < lv.n ? lv.sel + 3 : (lv.n ? lv.n - 1 : 0);
		break;
	case K_WHEEL_UP:
		lv.sel = lv.sel > 3 ? lv.sel - 3 : 0;
		break;
	default:
		return;
	}
	lv_draw(a);
}

static void lv_done(void)
{
	rows_free();
	free(lv.rows);
	lv.rows = NULL;
	lv.cap = 0;
	if (lv.inited)
		eb_free(&lv.filter);
	lv.inited = false;
}

const struct screen list_screen = { lv_enter, lv_draw, lv_key, NULL, NULL, NULL, lv_done };
