/*
 * reviewview: the reviewer's pager — every form of every unit and year,
 * sorted by triage risk (the default: reasons to look first, from
 * src/store_triage.c), unit, score, grade, execution rate, status or last
 * change (s cycles, o flips the order), filtered as you type (/), by status
 * (f: submitted first, then every status, returned, approved, draft) and
 * by triage signal (v cycles them; a signal filter lists by risk).
 * Enter opens the form read-only; there PgDn / PgUp go to the next or
 * previous form of this order without coming back (app.pager_step).
 *
 * Promises: never loads every form; a typed filter is queried once typing
 * pauses.  The count is one store_count, and the
 * screen holds only the rows it shows: one store_page (indexed, LIMIT and
 * OFFSET) whenever the visible window moves, the order or the filter
 * changes; stepping from a form is a one-row store_page.  Text from forms
 * is scrubbed before it is drawn.
 */
#include "config.h"
#include "app.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "review.h"
#include "rows.h"
#include "store_triage.h"
#include "ui.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
	int64_t id;
	int year;
	char *unit, *project, *status, *updated, *score, *grade, *rate;
	int errors;
	int risk;		/* triage score (src/triage.c) */
	uint32_t mask;		/* its signals */
};

/* SORT_RISK: the triage cache's order, not one of store_page's */
#define SORT_RISK (-1)
static const int sorts[] = { SORT_RISK, SORT_UNIT, SORT_SCORE, SORT_GRADE, SORT_RATE,
			     SORT_STATUS, SORT_UPDATED };
#define NSORTS ((int)(sizeof sorts / sizeof sorts[0]))
static const char *const sort_names[NSORTS] = {
	N_("risk"), N_("unit"), N_("score"), N_("grade"), N_("execution rate"), N_("status"),
	N_("last change"),
};
/* -1: every status; else an index of status_key.  The pager opens on the
 * submitted forms (spec/cli.md): those are the reviewer's work. */
static const int status_cycle[] = { STATUS_SUBMITTED, -1, STATUS_RETURNED, STATUS_APPROVED, STATUS_DRAFT };
#define NSTATUS ((int)(sizeof status_cycle / sizeof status_cycle[0]))

static struct rv {
	bool inited;
	char unit[512];		/* --unit, or "" */
	int year;		/* --year, or 0 */
	int status;		/* index into status_cycle */
	int sort;		/* index into sorts */
	int signal;		/* a tr_code the forms must have, or -1 */
	bool desc;
	struct ebuf filter;
	bool filtering;
	struct store_filter flt;
	size_t total, sel, top;
	struct row *rows;	/* the visible window: [loaded_top, loaded_top + n) */
	size_t n, cap, loaded_top;
	bool stale;		/* the window must be queried again */
	double filter_due;	/* typed filter waiting for its query (app_now), 0 = none */
	char msg[512];
	int msg_sev;
} rv;

static int rows_shown(void)
{
	return LINES - 9;
}

static void rows_free(void)
{
	for (size_t i = 0; i < rv.n; i++) {
		struct row *r = &rv.rows[i];
		free(r->unit); free(r->project); free(r->status); free(r->updated);
		free(r->score); free(r->grade); free(r->rate);
	}
	rv.n = 0;
}

static int collect(const struct form_row *fr, void *arg)
{
	(void)arg;
	if (rv.n == rv.cap) {
		rv.cap = rv.cap ? rv.cap * 2 : 64;
		rv.rows = realloc(rv.rows, rv.cap * sizeof *rv.rows);
		if (!rv.rows)
			abort();
	}
	struct row *r = &rv.rows[rv.n++];
	r->id = fr->id;
	r->year = fr->year;
	r->unit = ustr_scrub(fr->unit ? fr->unit : "", false);
	r->project = ustr_scrub(fr->project ? fr->project : "", false);
	r->status = xstrdup(fr->status);
	r->updated = xstrdup(fr->updated);
	r->score = ustr_scrub(fr->score ? fr->score : "", false);
	r->grade = ustr_scrub(fr->grade ? fr->grade : "", false);
	r->rate = ustr_scrub(fr->rate ? fr->rate : "", false);
	r->errors = fr->errors;
	r->risk = 0;
	r->mask = 0;
	return 0;
}

static int collect_triage(const struct triage_row *t, void *arg)
{
	struct form_row fr = {
		.id = t->id, .year = t->year, .unit = t->unit, .project = t->project,
		.status = t->status, .updated = t->updated, .score = t->rules_score,
		.grade = t->grade, .rate = t->rate, .errors = t->errors,
	};
	collect(&fr, arg);
	rv.rows[rv.n - 1].risk = t->score;
	rv.rows[rv.n - 1].mask = t->mask;
	return 0;
}

/* The order and filter come from the triage cache (risk order, or a signal
 * filter), not from store_page. */
static bool by_risk(void)
{
	return sorts[rv.sort] == SORT_RISK || rv.signal >= 0;
}

/* A page of the current order: store_page, or the triage cache's. */
static int page(struct app *a, size_t off, size_t lim, bool fill)
{
	if (by_risk()) {
		if (rv.desc && sorts[rv.sort] == SORT_RISK && rv.total) {
			/* ascending risk: the same list read from its end */
			size_t end = off + lim > rv.total ? rv.total : off + lim;
			size_t from = rv.total - end;
			size_t before = rv.n;
			int rc = store_triage_list(a->s, &rv.flt, rv.signal, from, end - off,
						   collect_triage, NULL);
			for (size_t i = before, j = rv.n; i + 1 < j; i++, j--) {
				struct row t = rv.rows[i];
				rv.rows[i] = rv.rows[j - 1];
				rv.rows[j - 1] = t;
			}
			return rc;
		}
		return store_triage_list(a->s, &rv.flt, rv.signal, off, lim, collect_triage, NULL);
	}
	int rc = store_page(a->s, &rv.flt, (enum store_sort)sorts[rv.sort], rv.desc, off, lim,
			    collect, NULL);
	for (size_t i = 0; fill && rc == STORE_OK && i < rv.n; i++)
		store_triage_score(a->s, rv.rows[i].id, &rv.rows[i].risk, &rv.rows[i].mask);
	return rc;
}

static void set_filter(void)
{
	rv.flt.unit = rv.unit[0] ? rv.unit : NULL;
	rv.flt.year = rv.year;
	rv.flt.status = status_cycle[rv.status] < 0 ? NULL : status_key[status_cycle[rv.status]];
	rv.flt.text = rv.filter.len ? rv.filter.s : NULL;
}

static void fail(struct app *a)
{
	snprintf(rv.msg, sizeof rv.msg, "%s", store_errmsg(a->s));
	rv.msg_sev = 0;
}

/* Count again (the filter, the order or the forms changed), keep the
 * selection inside, and query the window again. */
static void recount(struct app *a)
{
	set_filter();
	/* never frozen by another program's import: the risks as last
	 * worked out, said so, until the lock goes */
	int rc = by_risk() ? store_triage_refresh_nowait(a->s) : STORE_OK;
	if (rc == STORE_LOCKED) {
		snprintf(rv.msg, sizeof rv.msg, "%s",
			 _("Risk as last worked out: another program is writing the database"));
		rv.msg_sev = 1;
	} else if (rc != STORE_OK) {
		fail(a);
	}
	if ((by_risk() ? store_triage_count(a->s, &rv.flt, rv.signal, &rv.total)
		       : store_count(a->s, &rv.flt, &rv.total)) != STORE_OK) {
		fail(a);
		rv.total = 0;
	}
	if (rv.sel >= rv.total)
		rv.sel = rv.total ? rv.total - 1 : 0;
	rv.stale = true;
}

/* The window follows the selection; only a moved window is queried. */
static void fetch(struct app *a)
{
	size_t h = (size_t)(rows_shown() > 1 ? rows_shown() : 1);
	if (rv.sel < rv.top)
		rv.top = rv.sel;
	if (rv.sel >= rv.top + h)
		rv.top = rv.sel - h + 1;
	if (rv.top + h > rv.total)
		rv.top = rv.total > h ? rv.total - h : 0;
	if (!rv.stale && rv.loaded_top == rv.top)
		return;
	rows_free();
	if (page(a, rv.top, h, true) != STORE_OK)
		fail(a);
	rv.loaded_top = rv.top;
	rv.stale = false;
}

static const struct row *selected(void)
{
	if (rv.sel < rv.loaded_top || rv.sel - rv.loaded_top >= rv.n)
		return NULL;
	return &rv.rows[rv.sel - rv.loaded_top];
}

/* The id of the form at index i of the current order, or 0: from the
 * window when it holds it, else one indexed row. */
static int64_t query_id(struct app *a, size_t i)
{
	int64_t id = 0;
	if (!rv.stale && i >= rv.loaded_top && i - rv.loaded_top < rv.n)
		return rv.rows[i - rv.loaded_top].id;
	/* one row through the window's own reader, then forgotten */
	rows_free();
	rv.stale = true;
	if (page(a, i, 1, false) != STORE_OK || rv.n == 0)
		return 0;
	id = rv.rows[0].id;
	rows_free();
	return id;
}

/* app.pager_step: the form dir away from the open one in this order.  The
 * open form may have left the order (approved while only submitted forms
 * are shown): then the form now in its place is the next one. */
static int64_t pager_step(struct app *a, int dir)
{
	rv.stale = true;	/* the forms may have changed under the form view */
	set_filter();
	if ((by_risk() ? store_triage_count(a->s, &rv.flt, rv.signal, &rv.total)
		       : store_count(a->s, &rv.flt, &rv.total)) != STORE_OK)
		return 0;
	size_t i = rv.sel, next;
	if (query_id(a, i) == a->open_id) {
		if (dir < 0 && i == 0)
			return 0;
		next = dir > 0 ? i + 1 : i - 1;
	} else {
		if (dir < 0 && i == 0)
			return 0;
		next = dir > 0 ? i : i - 1;
	}
	if (next >= rv.total)
		return 0;
	int64_t id = query_id(a, next);
	if (!id)
		return 0;
	rvf_triage_for(id);
	rv.sel = next;
	a->pager_pos = next + 1;
	a->pager_total = rv.total;
	return id;
}

/* "10:42" today, "11-19" this year, else the date. */
/* Columns: 年度 实施单位 项目名称 状态 风险 总分 级 执行率 修改 */
enum { NCOL = 9, C_RISK = 4, C_SCORE = 5, C_RATE = 7 };
static int cx[NCOL], cw[NCOL];
static int shown_cols = NCOL;	/* the last column (修改) goes first when narrow */

static void columns(void)
{
	/* 实施单位 shrinks to the part that tells units apart (ustr_fit_name) */
	static const int minw[NCOL] = { 4, 6, 12, 6, 6, 7, 2, 7, 5 };
	const char *const head[NCOL] = { _("Year"), _("Unit"), _("Project"), _("Status"), _("Risk"),
					 _("Score"), _("Grade"), _("Rate"), _("Edited") };
	int sum = 0, avail;
	for (int i = 0; i < NCOL; i++)
		sum += cw[i] = minw[i];
	/* each shown column costs its rule and two spaces: at 80 columns the
	 * nine do not fit, and a table cut at the edge hides its last columns
	 * with no sign they are there */
	shown_cols = NCOL;
	while ((avail = COLS - (shown_cols + 1) - 2 * shown_cols) < sum && shown_cols > 6)
		sum -= cw[--shown_cols];
	int extra = avail - sum;
	if (extra > 0) {
		int a1 = extra / 3;
		if (a1 > 16)
			a1 = 16;
		cw[1] += a1;
		cw[2] += extra - a1;
	}
	/* a head is never cut, nor its sort arrow: a wider head takes from the project's column */
	for (int i = 0; i < shown_cols; i++) {
		int hw = ustr_width(head[i]) + 1;
		for (int k = 0; i == 3 && k < 4; k++) {	/* and no status it may list is cut */
			if (rv.flt.status && strcmp(rv.flt.status, status_key[k]) != 0)
				continue;
			int sw = ustr_width(rows_status_label(status_key[k]));
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

static void cells(int y, const char *const v[NCOL], attr_t at, bool err)
{
	static const enum align al[NCOL] = { AL_LEFT, AL_LEFT, AL_LEFT, AL_LEFT, AL_RIGHT, AL_RIGHT,
					     AL_LEFT, AL_RIGHT, AL_LEFT };
	draw_vbar(y, 0);
	for (int c = 0; c < shown_cols; c++) {
		draw_text(y, cx[c] - 1, 1, " ", 1, AL_LEFT, at);
		draw_text(y, cx[c], cw[c], v[c], strlen(v[c]), al[c], at);
		draw_text(y, cx[c] + cw[c], 1, " ", 1, AL_LEFT, at);
		draw_vbar(y, cx[c] + cw[c] + 1);
	}
	if (err)
		draw_text(y, cx[C_SCORE], cw[C_SCORE], v[C_SCORE], strlen(v[C_SCORE]), AL_RIGHT,
			  at | draw_attr(ST_ERROR));
}

static void rv_draw(struct app *a)
{
	fetch(a);
	erase();
	draw_clip(0, LINES);
	columns();
	char left[2048], right[1024] = "", buf[256];
	switch (status_cycle[rv.status]) {
	case STATUS_SUBMITTED: snprintf(buf, sizeof buf, _("submitted forms: %zu"), rv.total); break;
	case STATUS_RETURNED: snprintf(buf, sizeof buf, _("returned forms: %zu"), rv.total); break;
	case STATUS_APPROVED: snprintf(buf, sizeof buf, _("approved forms: %zu"), rv.total); break;
	case STATUS_DRAFT: snprintf(buf, sizeof buf, _("draft forms: %zu"), rv.total); break;
	default: snprintf(buf, sizeof buf, _("forms: %zu"), rv.total); break;
	}
	/* risk reads highest first unless o flipped it; the others lowest first */
	bool down = sorts[rv.sort] == SORT_RISK || rv.signal >= 0 ? !rv.desc : rv.desc;
	snprintf(left, sizeof left, " %s │ %s │ %s %s %s", _("jxzp review"), buf, _("sorted by"),
		 _(sort_names[by_risk() ? 0 : rv.sort]), down ? "↓" : "↑");
	size_t o = 0;
	if (rv.signal >= 0)
		o += (size_t)snprintf(right + o, sizeof right - o, "%s: %s │ ", _("signal"),
				      tr_code_title((enum tr_code)rv.signal));
	if (rv.unit[0])
		o += (size_t)snprintf(right + o, sizeof right - o, "%s │ ", rv.unit);
	if (rv.year && o < sizeof right)
		o += (size_t)snprintf(right + o, sizeof right - o, "%d年度 │ ", rv.year);
	if (o < sizeof right)
		snprintf(right + o, sizeof right - o, "%s ", status_cycle[rv.status] < 0 ? _("every status") :
			 rows_status_label(status_key[status_cycle[rv.status]]));
	char *l = ustr_scrub(left, false), *r = ustr_scrub(right, false);
	draw_bar(0, l, r);
	free(l);
	free(r);

	const char *fl = _("Filter: ");
	int fw = ustr_width(fl);
	draw_text(1, 1, fw, fl, strlen(fl), AL_LEFT, A_NORMAL);
	char *ft = ustr_scrub(rv.filter.s, false);
	draw_text(1, 1 + fw, COLS / 2, ft, strlen(ft), AL_LEFT, rv.filtering ? A_UNDERLINE : A_NORMAL);
	free(ft);
	const char *hint = _("(/ filter, Esc clears)");
	int hw = ustr_width(hint);
	draw_text(1, COLS - hw - 1, hw, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));

	rows_rule(2, cw, shown_cols, ARM_DOWN);
	const char *const head[NCOL] = { _("Year"), _("Unit"), _("Project"), _("Status"), _("Risk"),
					 _("Score"), _("Grade"), _("Rate"), _("Edited") };
	/* the sorted column carries the arrow (risk: highest first unless o) */
	static const int sort_col[NSORTS] = { 4, 1, 5, 6, 7, 3, 8 };
	char hs[NCOL][64];
	const char *hv[NCOL];
	for (int c = 0; c < NCOL; c++) {
		snprintf(hs[c], sizeof hs[c], "%s%s", head[c],
			 c == sort_col[by_risk() ? 0 : rv.sort] ? (down ? "↓" : "↑") : "");
		hv[c] = hs[c];
	}
	cells(3, hv, A_NORMAL, false);
	rows_rule(4, cw, shown_cols, ARM_UP | ARM_DOWN);
	int y = 5, nshow = rows_shown();
	size_t common = rv.n ? strlen(rv.rows[0].unit) : 0;	/* place names the page's units share */
	for (size_t i = 1; i < rv.n; i++) {
		size_t c = ustr_common_places(rv.rows[0].unit, rv.rows[i].unit);
		common = c < common ? c : common;
	}
	for (size_t i = 0; i < rv.n && y < 5 + nshow; i++, y++) {
		const struct row *w = &rv.rows[i];
		char year[16], upd[32], score[64], risk[16] = "";
		snprintf(year, sizeof year, "%d", w->year);
		if (w->risk > 0)
			snprintf(risk, sizeof risk, "%d", w->risk);
		rows_when(a, w->updated, upd, sizeof upd);
		snprintf(score, sizeof score, "%s%s", w->errors > 0 ? "✗" : "", w->score);
		char *unit = ustr_fit_name(w->unit, cw[1], common);	/* the part that tells units apart */
		const char *v[NCOL] = { year, unit, w->project, rows_status_label(w->status), risk,
					score, w->grade, w->rate, upd };
		cells(y, v, rv.loaded_top + i == rv.sel ? draw_attr(ST_FOCUS) : A_NORMAL, w->errors > 0);
		free(unit);
	}
	if (rv.n == 0) {
		const char *e = rv.filter.len || rv.flt.status || rv.flt.unit || rv.flt.year ?
				_("No form matches the filter.") : _("No forms yet.");
		rows_empty(y, cw, shown_cols, e, draw_attr(ST_DIM));
	} else {
		rows_rule(y, cw, shown_cols, ARM_UP);
	}

	int sy = LINES - 2;
	const struct row *sel = selected();
	if (rv.msg[0]) {
		char *m = ustr_scrub(rv.msg, false);
		draw_text(sy, 1, COLS - 2, m, strlen(m), AL_LEFT,
			  draw_attr(rv.msg_sev == 0 ? ST_ERROR : ST_NORMAL));
		free(m);
	} else if (sel) {
		char m[1024];
		snprintf(m, sizeof m, "%zu/%zu  %s", rv.sel + 1, rv.total, sel->project);
		if (sel->errors > 0)
			snprintf(m, sizeof m, ngettext("%zu/%zu  ✗ %s: %d error", "%zu/%zu  ✗ %s: %d errors",
						       (unsigned long)sel->errors),
				 rv.sel + 1, rv.total, sel->project, sel->errors);
		else if (sel->mask) {
			/* the reasons to look, by name: each one line in the form */
			size_t mo = (size_t)snprintf(m, sizeof m, _("%zu/%zu  risk %d:"), rv.sel + 1,
						     rv.total, sel->risk);
			for (int c = 0; c < TR_NCODES && mo < sizeof m; c++)
				if (sel->mask & 1u << c)
					mo += (size_t)snprintf(m + mo, sizeof m - mo, " %s;",
							       tr_code_title((enum tr_code)c));
		}
		draw_text(sy, 1, COLS - 2, m, strlen(m), AL_LEFT,
			  sel->errors > 0 ? draw_attr(ST_ERROR) : A_NORMAL);
	}
	draw_bar(LINES - 1, COLS >= 100 && a->pager_back != SCR_COUNT ?
		 _(" Enter open (read-only)  / filter  s sort  o order  f status  v signal  t summary  F1 help  Esc/q back") :
		 _(" Enter open  / filter  s sort  o order  f status  v signal  t summary  F1 help  q quit"), NULL);
	if (rv.filtering) {
		curs_set(1);
		move(1, 1 + fw + ustr_width_n(rv.filter.s, rv.filter.cur));
	} else
		curs_set(0);
}

static void rv_enter(struct app *a)
{
	if (!rv.inited) {
		eb_init(&rv.filter, "", false);
		rv.signal = -1;
		rv.inited = true;
	}
	a->mode = SCREEN_REVIEW;
	a->pager_step = pager_step;
	a->pager_pos = 0;
	recount(a);	/* statuses may have moved while a form was open */
}

static void filter_now(struct app *a);

static void open_sel(struct app *a)
{
	filter_now(a);
	fetch(a);
	const struct row *r = selected();
	if (!r)
		return;
	a->open_id = r->id;
	rvf_triage_for(r->id);	/* the form shows its signals where they point */
	a->pager_pos = rv.sel + 1;
	a->pager_total = rv.total;
	rv.msg[0] = 0;
	app_switch(a, SCR_FORM);
}

static void leave(struct app *a)
{
	a->pager_step = NULL;
	a->pager_pos = 0;
	a->mode = SCREEN_LIST;
	app_switch(a, a->pager_back);
}

/* Filtering as you type: a text filter is a scan of every form, so the
 * query waits until typing pauses (FILTER_WAIT s) or the filter is left. */
#define FILTER_WAIT 0.15

static void filter_now(struct app *a)
{
	if (rv.filter_due == 0)
		return;
	rv.filter_due = 0;
	rv.sel = rv.top = 0;
	recount(a);
}

static int rv_idle_ms(struct app *a)
{
	(void)a;
	if (rv.filter_due == 0)
		return -1;
	int ms = (int)((rv.filter_due - app_now()) * 1000.0);
	return ms < 0 ? 0 : ms;
}

static void rv_idle(struct app *a)
{
	if (rv.filter_due == 0)
		return;
	filter_now(a);
	rv_draw(a);
}

static void rv_key(struct app *a, int k)
{
	rv.msg[0] = 0;
	if (rv.filtering) {
		if (k == K_ESC) {
			eb_set(&rv.filter, "");
			rv.filtering = false;
			rv.filter_due = 0;
			rv.sel = rv.top = 0;
			recount(a);
		} else if (k == '\n' || k == KF(KEY_DOWN) || k == '\t') {
			rv.filtering = false;
			filter_now(a);
		} else if (dlg_edit_key(a, &rv.filter, k, COLS / 2)) {
			rv.filter_due = app_now() + FILTER_WAIT;
		}
		rv_draw(a);
		return;
	}
	size_t page = (size_t)(rows_shown() > 2 ? rows_shown() - 1 : 1);
	size_t last = rv.total ? rv.total - 1 : 0;
	/* the pager's own aliases: Space pages, g and G go to the ends */
	int mk = k == ' ' ? KF(KEY_NPAGE) : k == 'g' ? KF(KEY_HOME) : k == 'G' ? KF(KEY_END) : k;
	if (rows_move(&rv.sel, rv.total, page, mk)) {
		rv_draw(a);
		return;
	}
	switch (k) {
	case '\n':
		open_sel(a);
		return;
	case '/':
		rv.filtering = true;
		break;
	case 's':
		rv.sort = (rv.sort + 1) % NSORTS;
		rv.sel = 0;
		recount(a);
		break;
	case 'S':
		rv.sort = (rv.sort + NSORTS - 1) % NSORTS;
		rv.sel = 0;
		recount(a);
		break;
	case 'o':
		rv.desc = !rv.desc;
		rv.sel = 0;
		recount(a);
		break;
	case 'f':
		rv.status = (rv.status + 1) % NSTATUS;
		rv.sel = 0;
		recount(a);
		break;
	case 'v':	/* every form, then each signal in turn */
		rv.signal = rv.signal + 1 < TR_NCODES ? rv.signal + 1 : -1;
		rv.sel = 0;
		recount(a);
		break;
	case 't':
		set_filter();
		a->sum_filter = &rv.flt;
		a->sum_back = SCR_REVIEW;
		app_switch(a, SCR_SUMMARY);
		return;
	case K_ESC:
		if (rv.filter.len) {
			eb_set(&rv.filter, "");
			recount(a);
		} else if (a->pager_back != SCR_COUNT) {
			leave(a);
			return;
		}
		break;
	case 'q':
		if (a->pager_back != SCR_COUNT) {	/* opened from the list: back to it, as Esc */
			leave(a);
			return;
		}
		a->quit = true;
		return;
	case KF(KEY_F(1)): case '?':
		a->back = SCR_REVIEW;
		app_switch(a, SCR_HELP);
		return;
	case K_MOUSE: {
		int y = a->mouse_y;
		if (y >= 5 && y < 5 + rows_shown()) {
			size_t i = rv.top + (size_t)(y - 5);
			if (i < rv.total) {
				if (i == rv.sel) {
					open_sel(a);
					return;
				}
				rv.sel = i;
			}
		}
		break;
	}
	case K_WHEEL_DOWN:
		rv.sel = rv.sel + 3 < last ? rv.sel + 3 : last;
		break;
	case K_WHEEL_UP:
		rv.sel = rv.sel > 3 ? rv.sel - 3 : 0;
		break;
	default:
		return;
	}
	rv_draw(a);
}

static void rv_done(void)
{
	rows_free();
	free(rv.rows);
	rv.rows = NULL;
	rv.cap = 0;
	if (rv.inited)
		eb_free(&rv.filter);
	rv.inited = false;
}

const struct screen review_screen = { rv_enter, rv_draw, rv_key, rv_idle_ms, rv_idle, NULL, rv_done };

int ui_review(struct store *s, const char *unit, int year)
{
	snprintf(rv.unit, sizeof rv.unit, "%s", unit ? unit : "");
	rv.year = year;
	return ui_run(s, SCREEN_REVIEW, 0);
}
