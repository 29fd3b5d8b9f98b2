/*
 * summaryview: per unit and year — forms, budget and spent totals,
 * execution rate, average score, grades, forms with errors — of what the
 * screen that opened it shows (app.sum_filter: the pager's filter, or every
 * form from the list).  The same figures as `jxzp summary`: store_summary,
 * exact sums (src/num), one row per unit and year, never whole forms.
 */
#include "config.h"
#include "app.h"
#include "draw.h"
#include "i18n.h"
#include "rows.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { C_UNIT, C_YEAR, C_FORMS, C_BUDGET, C_SPENT, C_RATE, C_AVG, C_G0, C_G1, C_G2, C_G3,
       C_ERR, NCOL };

static struct sv {
	char *(*cell)[NCOL];
	size_t n, cap, top;
	int64_t forms, unreadable;
	char msg[512];
} sv;

static void rows_free(void)
{
	for (size_t i = 0; i < sv.n; i++)
		for (int k = 0; k < NCOL; k++)
			free(sv.cell[i][k]);
	sv.n = 0;
}

static char *i64(int64_t v)
{
	char b[32];
	snprintf(b, sizeof b, "%lld", (long long)v);
	return xstrdup(b);
}

static int collect(const struct summary_row *r, void *arg)
{
	(void)arg;
	if (sv.n == sv.cap) {
		sv.cap = sv.cap ? 2 * sv.cap : 32;
		sv.cell = realloc(sv.cell, sv.cap * sizeof *sv.cell);
		if (!sv.cell)
			abort();
	}
	char **c = sv.cell[sv.n++];
	c[C_UNIT] = ustr_scrub(r->unit ? r->unit : "", false);
	c[C_YEAR] = i64(r->year);
	c[C_FORMS] = i64(r->forms);
	c[C_BUDGET] = xstrdup(r->budget ? r->budget : "0");
	c[C_SPENT] = xstrdup(r->spent ? r->spent : "0");
	char rate[64];
	snprintf(rate, sizeof rate, "%s%s", r->rate ? r->rate : "—", r->rate ? "%" : "");
	c[C_RATE] = xstrdup(rate);
	c[C_AVG] = xstrdup(r->avg_score ? r->avg_score : "—");
	for (int g = 0; g < STORE_GRADES; g++)
		c[C_G0 + g] = i64(r->grades[g]);
	c[C_ERR] = i64(r->with_errors);
	sv.forms += r->forms;
	sv.unreadable += r->unreadable;
	return 0;
}

static void sv_enter(struct app *a)
{
	rows_free();
	sv.top = 0;
	sv.forms = sv.unreadable = 0;
	sv.msg[0] = 0;
	if (store_summary(a->s, a->sum_filter, collect, NULL) != STORE_OK)
		snprintf(sv.msg, sizeof sv.msg, "%s", store_errmsg(a->s));
}

static int rows_shown(void)
{
	return LINES - 7;
}

static void sv_draw(struct app *a)
{
	erase();
	draw_clip(0, LINES);
	char left[512], right[1024] = "";
	char nf[64], nu[96];
	snprintf(nf, sizeof nf, ngettext("%lld form", "%lld forms", (unsigned long)sv.forms), (long long)sv.forms);
	snprintf(nu, sizeof nu, ngettext("%zu unit and year", "%zu units and years", (unsigned long)sv.n), sv.n);
	/* TRANSLATORS: the summary's title: "30 forms", "in", "4 units and years" */
	snprintf(left, sizeof left, _(" jxzp summary │ %1$s in %2$s"), nf, nu);
	const struct store_filter *f = a->sum_filter;
	if (f) {
		size_t o = 0;
		if (f->unit)
			o += (size_t)snprintf(right + o, sizeof right - o, "%s ", f->unit);
		if (f->year && o < sizeof right)
			o += (size_t)snprintf(right + o, sizeof right - o, "%d年度 ", f->year);
		if (f->status && o < sizeof right)
			o += (size_t)snprintf(right + o, sizeof right - o, "%s ", rows_status_label(f->status));
		if (f->text && o < sizeof right)
			snprintf(right + o, sizeof right - o, _("filter “%s” "), f->text);
	}
	char *l = ustr_scrub(left, false), *r = ustr_scrub(right, false);
	draw_bar(0, l, r);
	free(l);
	free(r);

	const char *head[NCOL] = {
		_("Unit"), _("Year"), _("Forms"), _("Budget"), _("Spent"), _("Rate"), _("Avg score"),
		"优", "良", "中", "差", _("Errors"),
	};
	/* widths from the figures; the unit's name takes what is left */
	int w[NCOL];
	for (int k = 0; k < NCOL; k++)
		w[k] = ustr_width(head[k]);
	for (size_t i = 0; i < sv.n; i++)
		for (int k = 1; k < NCOL; k++) {
			int cw = ustr_width(sv.cell[i][k]);
			if (cw > w[k])
				w[k] = cw;
		}
	int used = 0;
	for (int k = 1; k < NCOL; k++)
		used += w[k] + 2;
	w[C_UNIT] = COLS - 2 - used;
	if (w[C_UNIT] < 8)
		w[C_UNIT] = 8;
	int y = 2;
	int x = 1;
	for (int k = 0; k < NCOL; k++) {
		draw_text(y, x, w[k], head[k], strlen(head[k]), k == C_UNIT ? AL_LEFT : AL_RIGHT, A_BOLD);
		x += w[k] + 2;
	}
	y++;
	mvhline_set(y, 1, WACS_HLINE, COLS - 2);	/* wide: ACS_HLINE is a "q" in some terminals */
	y++;
	int nshow = rows_shown();
	if (sv.top + (size_t)nshow > sv.n)
		sv.top = sv.n > (size_t)nshow ? sv.n - (size_t)nshow : 0;
	size_t common = sv.n ? strlen(sv.cell[0][C_UNIT]) : 0;	/* place names all units share */
	for (size_t i = 1; i < sv.n; i++) {
		size_t c = ustr_common_places(sv.cell[0][C_UNIT], sv.cell[i][C_UNIT]);
		common = c < common ? c : common;
	}
	for (size_t i = sv.top; i < sv.n && y < 4 + nshow; i++, y++) {
		x = 1;
		for (int k = 0; k < NCOL; k++) {
			const char *t = sv.cell[i][k];
			attr_t at = k == C_ERR && strcmp(t, "0") != 0 ? draw_attr(ST_ERROR) : A_NORMAL;
			char *fit = k == C_UNIT ? ustr_fit_name(t, w[k], common) : NULL;	/* not 北京市丰台… for all */
			if (fit)
				t = fit;
			draw_text(y, x, w[k], t, strlen(t), k == C_UNIT ? AL_LEFT : AL_RIGHT, at);
			free(fit);
			x += w[k] + 2;
		}
	}
	if (sv.n == 0)
		draw_text(y, 1, COLS - 2, _("No forms."), strlen(_("No forms.")), AL_LEFT, draw_attr(ST_DIM));
	char note[512] = "";
	if (sv.msg[0])
		snprintf(note, sizeof note, "%s", sv.msg);
	else if (sv.unreadable)
		snprintf(note, sizeof note,
			 ngettext("%lld form has a budget or spent figure that is not a number: left out of the sums.",
				  "%lld forms have a budget or spent figure that is not a number: left out of the sums.",
				  (unsigned long)sv.unreadable),
			 (long long)sv.unreadable);
	else
		snprintf(note, sizeof note, "%s",
			 _("Budget and spent in 万元 as on the forms, summed exactly; 执行率 = spent ÷ budget."));
	char *m = ustr_scrub(note, false);
	draw_text(LINES - 2, 1, COLS - 2, m, strlen(m), AL_LEFT,
		  sv.msg[0] || sv.unreadable ? draw_attr(ST_WARNING) : draw_attr(ST_DIM));
	free(m);
	draw_bar(LINES - 1, _(" ↑ ↓ scroll  F1 help  Esc back  q quit"), NULL);
	curs_set(0);
}

static void sv_key(struct app *a, int k)
{
	switch (k) {
	case KF(KEY_DOWN): case 'j':
		if (sv.top + 1 < sv.n)
			sv.top++;
		break;
	case KF(KEY_UP): case 'k':
		if (sv.top > 0)
			sv.top--;
		break;
	case KF(KEY_NPAGE):
		sv.top += (size_t)rows_shown();
		break;
	case KF(KEY_PPAGE):
		sv.top = sv.top > (size_t)rows_shown() ? sv.top - (size_t)rows_shown() : 0;
		break;
	case K_ESC: case 't':
		app_switch(a, a->sum_back);
		return;
	case 'q':
		a->quit = true;
		return;
	case KF(KEY_F(1)): case '?':
		a->back = SCR_SUMMARY;
		app_switch(a, SCR_HELP);
		return;
	default:
		return;
	}
	sv_draw(a);
}

static void sv_done(void)
{
	rows_free();
	free(sv.cell);
	sv.cell = NULL;
	sv.cap = 0;
}

const struct screen summary_screen = { sv_enter, sv_draw, sv_key, NULL, NULL, NULL, sv_done };
