/*
 * listview: the start screen — every form by unit and year, as the store
 * lists them (cached score, grade and error count, never whole forms), with
 * a filter typed in place.  Opens, creates, imports (ui/importview.c) and
 * deletes forms.  In review
 * mode it lists submitted forms only and opens them read-only.
 *
 * Promises, as the reviewer's pager (ui/reviewview.c): start-up does not
 * grow with the database.  The screen holds only the rows it shows, read by
 * store_list_page from a key of the list's order (unit, year, project),
 * never by skipping rows; moving past the window reads just the rows that
 * come into view.  The count is one store_count (a tally unless a text
 * filter is typed); a typed filter is queried once typing pauses.  Text
 * from forms is scrubbed before it is drawn.
 */
#include "config.h"
#include "app.h"
#include "bundleview.h"
#include "doc.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "importview.h"
#include "rows.h"
#include "store_list.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct row {
	int64_t id;
	int year;
	char *unit, *project, *status, *updated, *score, *grade;
	char *key_unit, *key_project;	/* as stored: the row's place in the order */
	int errors;
};

struct rows {
	struct row *v;
	size_t n, cap;
};

static struct lv {
	struct rows w;		/* the window: the rows on screen, in order */
	size_t sel;		/* index into the window */
	size_t total;		/* forms matching the filter */
	struct ebuf filter;
	bool filtering, inited;
	double filter_due;	/* typed filter waiting for its query (app_now), 0 = none */
	char msg[512];
	int msg_sev;
	int64_t undo_id;	/* the form d deleted last, for u; 0: none */
} lv;

static void row_free(struct row *r)
{
	free(r->unit); free(r->project); free(r->status);
	free(r->updated); free(r->score); free(r->grade);
	free(r->key_unit); free(r->key_project);
}

static void rows_clear(struct rows *b)
{
	for (size_t i = 0; i < b->n; i++)
		row_free(&b->v[i]);
	b->n = 0;
}

static int collect(const struct form_row *fr, void *arg)
{
	struct rows *b = arg;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = realloc(b->v, b->cap * sizeof *b->v);
		if (!b->v)
			abort();
	}
	struct row *r = &b->v[b->n++];
	r->id = fr->id;
	r->year = fr->year;
	r->unit = ustr_scrub(fr->unit ? fr->unit : "", false);
	r->project = ustr_scrub(fr->project ? fr->project : "", false);
	r->key_unit = xstrdup(fr->unit ? fr->unit : "");
	r->key_project = xstrdup(fr->project ? fr->project : "");
	r->status = xstrdup(fr->status ? fr->status : "");
	r->updated = xstrdup(fr->updated);
	r->score = xstrdup(fr->score);
	r->grade = xstrdup(fr->grade);
	r->errors = fr->errors;
	return 0;
}

static int rows_shown(void)
{
	return LINES - 9;
}

static size_t window_h(void)
{
	return (size_t)(rows_shown() > 1 ? rows_shown() : 1);
}

static struct store_filter filter_of(const struct app *a)
{
	struct store_filter flt = { 0 };
	if (lv.filter.len)
		flt.text = lv.filter.s;
	if (a->mode == SCREEN_REVIEW)
		flt.status = "submitted";
	return flt;
}

static void fail(struct app *a)
{
	snprintf(lv.msg, sizeof lv.msg, "%s", store_errmsg(a->s));
	lv.msg_sev = 0;
}

static struct store_key key_of(const struct row *r)
{
	return (struct store_key){ r->key_unit, r->year, r->key_project };
}

/* Up to limit rows next to key (NULL: from an end) into b, in the list's
 * order whichever way they were read. */
static void page(struct app *a, const struct row *at, bool backward, bool with_key, size_t limit,
		 struct rows *b)
{
	struct store_filter flt = filter_of(a);
	struct store_key k;
	if (at)
		k = key_of(at);
	size_t was = b->n;
	if (store_list_page(a->s, &flt, at ? &k : NULL, backward, with_key, limit, collect, b) != STORE_OK)
		fail(a);
	if (backward)	/* read nearest first: turn them round */
		for (size_t i = was, j = b->n; i + 1 < j; i++, j--) {
			struct row t = b->v[i];
			b->v[i] = b->v[j - 1];
			b->v[j - 1] = t;
		}
}

static void copy_rows(struct row *to, const struct row *from, size_t n)
{
	if (n)	/* an empty window has no array at all */
		memcpy(to, from, n * sizeof *from);
}

/* The window becomes b's rows followed (or preceded, before) by the
 * window's, keeping h rows at most; b is emptied. */
static void join(struct rows *b, bool before)
{
	size_t h = window_h(), keep = lv.w.n + b->n > h ? h - b->n : lv.w.n;
	if (b->n >= h)
		keep = 0;
	struct rows out = { 0 };
	out.cap = keep + b->n;
	out.v = malloc((out.cap ? out.cap : 1) * sizeof *out.v);
	if (!out.v)
		abort();
	if (before) {	/* b, then the window's first rows */
		copy_rows(out.v, b->v, b->n);
		copy_rows(out.v + b->n, lv.w.v, keep);
		for (size_t i = keep; i < lv.w.n; i++)
			row_free(&lv.w.v[i]);
	} else {	/* the window's last rows, then b */
		for (size_t i = 0; i < lv.w.n - keep; i++)
			row_free(&lv.w.v[i]);
		copy_rows(out.v, lv.w.v + lv.w.n - keep, keep);
		copy_rows(out.v + keep, b->v, b->n);
	}
	out.n = keep + b->n;
	free(lv.w.v);
	lv.w = out;
	b->n = 0;
}

/* The window from the first (or the last) form. */
static void from_end(struct app *a, bool last)
{
	rows_clear(&lv.w);
	page(a, NULL, last, false, window_h(), &lv.w);
	lv.sel = last && lv.w.n ? lv.w.n - 1 : 0;
}

/* The window from row r on (r itself first when it matches), filled up
 * from before when too few forms follow; sel keeps its place if it can. */
static void from_row(struct app *a, const struct row *r, size_t sel)
{
	struct rows b = { 0 };
	page(a, r, false, true, window_h(), &b);
	if (b.n < window_h()) {
		struct rows p = { 0 };
		page(a, b.n ? &b.v[0] : r, true, false, window_h() - b.n, &p);
		sel += p.n;
		rows_clear(&lv.w);
		join(&b, true);
		join(&p, true);
		free(p.v);
	} else {
		rows_clear(&lv.w);
		join(&b, true);
	}
	free(b.v);
	lv.sel = lv.w.n == 0 ? 0 : sel < lv.w.n ? sel : lv.w.n - 1;
}

/* Count again and read the window again from where it was (the forms or
 * the filter changed). */
static void reload(struct app *a)
{
	struct store_filter flt = filter_of(a);
	if (store_count(a->s, &flt, &lv.total) != STORE_OK) {
		fail(a);
		lv.total = 0;
	}
	if (!lv.w.n) {
		from_end(a, false);
		return;
	}
	struct row top = { .year = lv.w.v[0].year, .key_unit = xstrdup(lv.w.v[0].key_unit),
			   .key_project = xstrdup(lv.w.v[0].key_project) };
	from_row(a, &top, lv.sel);
	free(top.key_unit);
	free(top.key_project);
}

/* Moves the selection d rows, reading the rows that come into view. */
static void step_by(struct app *a, long d)
{
	if (d > 0) {
		if (lv.sel + (size_t)d < lv.w.n) {
			lv.sel += (size_t)d;
			return;
		}
		if (lv.w.n == window_h()) {	/* a full window: there may be more */
			struct rows b = { 0 };
			page(a, &lv.w.v[lv.w.n - 1], false, false, lv.sel + (size_t)d - (lv.w.n - 1), &b);
			join(&b, false);
			free(b.v);
		}
		lv.sel = lv.w.n ? lv.w.n - 1 : 0;
	} else if (d < 0) {
		if ((size_t)-d <= lv.sel) {
			lv.sel -= (size_t)-d;
			return;
		}
		if (lv.w.n) {
			struct rows b = { 0 };
			page(a, &lv.w.v[0], true, false, (size_t)-d - lv.sel, &b);
			join(&b, true);
			free(b.v);
		}
		lv.sel = 0;
	}
}

/* The terminal changed height: the window follows, the selection stays. */
static void fit_window(struct app *a)
{
	static size_t was;
	size_t h = window_h();
	if (h == was)
		return;
	was = h;
	if (lv.w.n > h) {	/* drop rows above the selection first, then below */
		size_t drop_top = lv.sel >= h ? lv.sel - h + 1 : 0;
		for (size_t i = 0; i < drop_top; i++)
			row_free(&lv.w.v[i]);
		memmove(lv.w.v, lv.w.v + drop_top, (lv.w.n - drop_top) * sizeof *lv.w.v);
		lv.w.n -= drop_top;
		lv.sel -= drop_top;
		while (lv.w.n > h)
			row_free(&lv.w.v[--lv.w.n]);
	} else if (lv.w.n < h && lv.w.n < lv.total && lv.w.n) {
		struct row top = { .year = lv.w.v[0].year, .key_unit = xstrdup(lv.w.v[0].key_unit),
				   .key_project = xstrdup(lv.w.v[0].key_project) };
		from_row(a, &top, lv.sel);
		free(top.key_unit);
		free(top.key_project);
	}
}

static const struct row *selected(void)
{
	return lv.sel < lv.w.n ? &lv.w.v[lv.sel] : NULL;
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
		for (size_t k = 0; i == 3 && k < lv.w.n; k++) {	/* and no status listed is cut */
			int sw = ustr_width(rows_status_label(lv.w.v[k].status));
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

static void lv_draw(struct app *a)
{
	fit_window(a);
	erase();
	draw_clip(0, LINES);
	columns();
	char left[8192], buf[256];
	snprintf(buf, sizeof buf, a->mode == SCREEN_REVIEW ? _("submitted forms: %zu") : _("forms: %zu"), lv.total);
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
	int y = 5;
	const struct rows *w = &lv.w;
	size_t common = w->n ? strlen(w->v[0].unit) : 0;	/* place names the window's units share */
	for (size_t i = 1; i < w->n; i++) {
		size_t c = ustr_common_places(w->v[0].unit, w->v[i].unit);
		common = c < common ? c : common;
	}
	for (size_t i = 0; i < w->n && y < 5 + nshow; i++, y++) {
		const struct row *r = &w->v[i];
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
	if (w->n == 0) {
		const char *e = lv.filter.len ? _("No form matches the filter.") :
				_("No forms yet: n creates one, i imports files, or run jxzp demo.");
		rows_empty(y, cw, NCOL, e, draw_attr(ST_DIM));
	} else {
		rows_rule(y, cw, NCOL, ARM_UP);
	}

	/* status: the selected form's errors, or a message */
	int sy = LINES - 2;
	if (lv.msg[0]) {
		char *m = ustr_scrub(lv.msg, false);
		draw_text(sy, 1, COLS - 2, m, strlen(m), AL_LEFT, draw_attr(lv.msg_sev == 0 ? ST_ERROR : ST_NORMAL));
		free(m);
	} else if (selected() && selected()->errors > 0) {
		char m[1024];
		snprintf(m, sizeof m, ngettext("✗ %s: %d error (open it to see it)", "✗ %s: %d errors (open it to see them)",
					       (unsigned long)selected()->errors),
			 selected()->project, selected()->errors);
		draw_text(sy, 1, COLS - 2, m, strlen(m), AL_LEFT, draw_attr(ST_ERROR));
	}
	draw_bar(LINES - 1, a->mode == SCREEN_REVIEW ?
		 _(" Enter open (read-only)  / filter  b/B bundle write/read  F1 help  q quit") :
		 lv.undo_id ?
		 _(" Enter open  n new  i import  d delete  u undo delete  / filter  r review  t summary  b/B bundle  F1 help  q quit") :
		 _(" Enter open  n new  i import  d delete  / filter  r review  t summary  b/B bundle  F1 help  q quit"), NULL);
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
	struct rows b = { 0 };
	struct store_filter flt = filter_of(a);
	if (a->list_sel && store_list_row(a->s, &flt, a->list_sel, collect, &b) == STORE_OK) {
		/* back from a form: the window from it, so it stays selected */
		if (store_count(a->s, &flt, &lv.total) != STORE_OK)
			fail(a);
		from_row(a, &b.v[0], 0);
	} else
		reload(a);
	rows_clear(&b);
	free(b.v);
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
	if (like && selected() && store_load(a->s, selected()->id, &sel) == STORE_OK) {
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
	const struct row *r = selected();
	if (!r)
		return;
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
		reload(a);
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

/* i: files imported (ui/importview.c); the list shows them, the first one
 * selected, whatever the filter was. */
static void import(struct app *a)
{
	int64_t first;
	if (iv_import(a, &first, lv.msg, sizeof lv.msg, &lv.msg_sev) && first) {
		struct rows b = { 0 };
		struct store_filter flt = filter_of(a);
		if (lv.filter.len && store_list_row(a->s, &flt, first, collect, &b) != STORE_OK) {
			eb_set(&lv.filter, "");	/* the filter hides it */
			lv.filter_due = 0;
		}
		rows_clear(&b);
		free(b.v);
		rows_clear(&lv.w);
		a->list_sel = first;
		char keep[sizeof lv.msg];
		snprintf(keep, sizeof keep, "%s", lv.msg);
		lv_enter(a);	/* reload, and select it */
		snprintf(lv.msg, sizeof lv.msg, "%s", keep);
	} else {
		reload(a);	/* a file that failed changed nothing; the count may have */
	}
	app_redraw(a);
}

/* c: next year's draft of the selected form (doc_carry_forward), selected. */
static void carry(struct app *a)
{
	if (!selected())
		return;
	char err[sizeof lv.msg];
	int64_t nid;
	int year = selected()->year + 1;
	if (doc_carry_forward(a->s, selected()->id, 0, &nid, err, sizeof err) != STORE_OK) {
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
	if (!selected())
		return;
	a->open_id = selected()->id;
	lv.msg[0] = 0;
	/* in review mode the form steps through the forms on screen */
	free(a->ids);
	a->ids = malloc((lv.w.n ? lv.w.n : 1) * sizeof *a->ids);
	if (!a->ids)
		abort();
	for (size_t i = 0; i < lv.w.n; i++)
		a->ids[i] = lv.w.v[i].id;
	a->nids = lv.w.n;
	app_switch(a, SCR_FORM);
}

/* The unit every listed form belongs to, or NULL (a bundle's file name). */
static const char *one_unit(struct app *a)
{
	static char unit[1024];
	if (lv.filter.len || a->mode == SCREEN_REVIEW ||
	    store_list_one_unit(a->s, unit, sizeof unit) != STORE_OK || !unit[0])
		return NULL;
	return unit;
}

/* Filtering as you type: a text filter may read every form, so the query
 * waits until typing pauses (FILTER_WAIT s) or the filter is left. */
#define FILTER_WAIT 0.15

static void filter_now(struct app *a)
{
	if (lv.filter_due == 0)
		return;
	lv.filter_due = 0;
	rows_clear(&lv.w);
	reload(a);
}

static int lv_idle_ms(struct app *a)
{
	(void)a;
	if (lv.filter_due == 0)
		return -1;
	int ms = (int)((lv.filter_due - app_now()) * 1000.0);
	return ms < 0 ? 0 : ms;
}

static void lv_idle(struct app *a)
{
	if (lv.filter_due == 0)
		return;
	filter_now(a);
	lv_draw(a);
}

/* The keys that move the selection, as rows_move has them for a list. */
static bool move_key(struct app *a, int k)
{
	long page = rows_shown() > 2 ? rows_shown() - 1 : 1;
	switch (k) {
	case KF(KEY_DOWN): case 'j': step_by(a, 1); return true;
	case KF(KEY_UP): case 'k': step_by(a, -1); return true;
	case KF(KEY_NPAGE): step_by(a, page); return true;
	case KF(KEY_PPAGE): step_by(a, -page); return true;
	case KF(KEY_HOME): from_end(a, false); return true;
	case KF(KEY_END): from_end(a, true); return true;
	case K_WHEEL_DOWN: step_by(a, 3); return true;
	case K_WHEEL_UP: step_by(a, -3); return true;
	}
	return false;
}

static void lv_key(struct app *a, int k)
{
	lv.msg[0] = 0;
	if (lv.filtering) {
		if (k == K_ESC) {
			eb_set(&lv.filter, "");
			lv.filtering = false;
			lv.filter_due = 0;
			rows_clear(&lv.w);
			reload(a);
		} else if (k == '\n' || k == KF(KEY_DOWN) || k == '\t') {
			lv.filtering = false;
			filter_now(a);
		} else if (dlg_edit_key(a, &lv.filter, k, COLS / 2)) {
			lv.filter_due = app_now() + FILTER_WAIT;
		}
		lv_draw(a);
		return;
	}
	if (move_key(a, k)) {
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
	case 'i':
		if (a->mode != SCREEN_REVIEW)
			import(a);
		return;
	case 'b':	/* write an offline bundle (ui/bundleview.c) */
		bv_write(a, one_unit(a), selected() ? selected()->unit : NULL, lv.msg, sizeof lv.msg, &lv.msg_sev);
		app_redraw(a);
		return;
	case 'B':	/* read one */
		if (bv_read(a, lv.msg, sizeof lv.msg, &lv.msg_sev))
			reload(a);
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
			lv.filter_due = 0;
			rows_clear(&lv.w);
			reload(a);
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
			size_t i = (size_t)(y - 5);
			if (i < lv.w.n) {
				if (i == lv.sel) {
					open_sel(a);
					return;
				}
				lv.sel = i;
			}
		}
		break;
	}
	default:
		return;
	}
	lv_draw(a);
}

static void lv_done(void)
{
	rows_clear(&lv.w);
	free(lv.w.v);
	lv.w = (struct rows){ 0 };
	if (lv.inited)
		eb_free(&lv.filter);
	lv.inited = false;
	iv_done();
}

const struct screen list_screen = { lv_enter, lv_draw, lv_key, lv_idle_ms, lv_idle, NULL, lv_done };
