/* io_table_ind: the 绩效指标 table of a form: its header, then its rows, in
 * the tab-separated layouts (wrapped cells joined) and the space-separated
 * one (2021).  See io_table_form.h. */
#include "config.h"
#include "io_table_form.h"
#include "i18n.h"
#include "ustr.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

/* ------------------------------------------------------------------ */
/* 绩效指标                                                             */

void ind_header(struct ind_state *is, const struct line *l)
{
	for (int k = 0; k < l->nc; k++) {
		const char *sq = l->c[k].sq;
		int f = ind_col_of(sq);
		bool dup = false;
		for (int j = 0; j < is->n_cols; j++)
			dup |= is->cols[j] == f;
		if (f >= 0 && !dup)
			is->cols[is->n_cols++] = f;
	}
}

/* Only labels or pieces of labels on this line (a header wrapped over
 * several lines, as in the 2021 layout)? */
bool only_header_bits(const struct line *l)
{
	static const char *const all = "一级指标二级指标三级指标绩效指标性质年度指标值（A）(A)"
				       "绩效度量单位实际完成值（B）(B)分值得分偏差原因分析及改进措施";
	if (l->blank)
		return true;
	for (int k = 0; k < l->nc; k++) {
		const char *sq = l->c[k].sq;
		bool ok = !*sq || ind_col_of(sq) >= 0 ||
			  (u8_mbsnlen((const uint8_t *)sq, l->c[k].sqlen) >= 2 && fragment_of(sq, all));
		if (!ok)
			return false;
	}
	return true;
}

void ind_finish_header(struct ind_state *is)
{
	bool have[IND_FIELDS] = { false };
	for (int j = 0; j < is->n_cols; j++)
		have[is->cols[j]] = true;
	/* the columns every layout has, wherever the header was unreadable */
	static const int base[] = { IND_NAME, IND_TARGET, IND_ACTUAL };
	for (size_t j = 0; j < 3; j++)
		have[base[j]] = true;
	is->n_mid = 0;
	static const int paper[] = { IND_NAME, IND_NATURE, IND_TARGET, IND_UNIT_OF_MEASURE, IND_ACTUAL };
	/* header order where the header gives it, else the paper's */
	for (int j = 0; j < is->n_cols; j++) {
		int f = is->cols[j];
		if (f == IND_NAME || f == IND_NATURE || f == IND_TARGET || f == IND_UNIT_OF_MEASURE ||
		    f == IND_ACTUAL)
			is->mid[is->n_mid++] = f;
	}
	for (size_t j = 0; j < sizeof paper / sizeof *paper; j++) {
		bool in = false;
		for (int k = 0; k < is->n_mid; k++)
			in |= is->mid[k] == paper[j];
		if (have[paper[j]] && !in) {
			/* insert in paper order */
			int at = is->n_mid;
			for (int k = 0; k < is->n_mid; k++) {
				int pk = 0;
				while (paper[pk] != is->mid[k])
					pk++;
				if ((size_t)pk > j) {
					at = k;
					break;
				}
			}
			memmove(is->mid + at + 1, is->mid + at, sizeof *is->mid * (size_t)(is->n_mid - at));
			is->mid[at] = paper[j];
			is->n_mid++;
		}
	}
	is->header_done = true;
}

/* s, spaces and all (compared as squeezed, without a copy) */
static bool is_section_label(const char *s)
{
	return squeezed_is(s, "绩效指标");
}

static const char *cur_l1(const struct ind_state *is)
{
	if (!is->l1)
		return NULL;
	char *sq = squeeze(is->l1);
	const char *r = level1_of(sq);
	free(sq);
	return r;
}

/* A label cell in front of a row: 一级, 二级 or a group weight. */
static void apply_label(struct ind_state *is, const char *text, bool as_level1)
{
	char *sq = squeeze(text);
	const char *l1 = level1_of(sq);
	if (is_group_weight(sq)) {
		/* "(50分)" printed under 产出指标: part of the 一级 cell */
		if (is->l1) {
			char *n = join2(is->l1, text, " ");
			free(is->l1);
			is->l1 = n;
		}
		is->group_weights = true;
	} else if (as_level1 || (l1 && !level2_under(cur_l1(is), sq))) {
		set_str(&is->l1, text);
		is->l1_fresh = true;
		if (l1 && strcmp(l1, sq) != 0)
			is->group_weights = true;
		set_str(&is->l2, "");
	} else {
		const char *parent = level2_parent(sq);
		if (parent && !is->l1_fresh && !level2_under(cur_l1(is), sq)) {
			/* a 二级 of another group, its 一级 cell left empty */
			set_str(&is->l1, parent);
		}
		set_str(&is->l2, text);
	}
	free(sq);
}

static struct indicator *new_row(struct ctx *c, struct ind_state *is)
{
	struct indicator *in = form_add_indicator(c->f, c->f->n_ind);
	if (!in)
		abort();	/* out of memory */
	set_str(&in->v[IND_LEVEL1], is->l1 ? is->l1 : "");
	set_str(&in->v[IND_LEVEL2], is->l2 ? is->l2 : "");
	is->l1_fresh = false;
	return in;
}

/* Where the row's figures end: 分值 and 得分 are the last two numbers, with
 * at most the 偏差原因 text after them.  Index of 分值 in e[], or -1. */
static int find_weight(struct cell *const *e, int n, const char **dev)
{
	*dev = NULL;
	if (n >= 2 && is_score(e[n - 1]->t) && is_score(e[n - 2]->t))
		return n - 2;
	if (n >= 3 && !is_score(e[n - 1]->t) && is_score(e[n - 2]->t) && is_score(e[n - 3]->t)) {
		*dev = e[n - 1]->t;
		return n - 3;
	}
	return -1;
}

/* The non-empty cells of a line, section labels left out. */
static int nonempty(struct cell *c, int nc, struct cell **e)
{
	int n = 0;
	for (int k = 0; k < nc; k++) {
		if (!*c[k].t)
			continue;
		if (c[k].sq ? strcmp(c[k].sq, "绩效指标") != 0 : !is_section_label(c[k].t))
			e[n++] = &c[k];
	}
	return n;
}

struct reading {
	const char *mid[IND_FIELDS];
	const char *midsq[IND_FIELDS];	/* mid squeezed where a line has it, or NULL */
	int midcol[IND_FIELDS];
	struct cell *lead[IND_FIELDS + 8];
	int nlead;
};

static bool nature_like(const char *s)
{
	static const char *const ok[] = { "≥", "≤", "=", "＝", ">", "<", "＞", "＜", "≧", "≦",
					   "定性", "定量", "正向", "反向" };
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (strcmp(s, ok[i]) == 0)
			return true;
	return false;
}

/* How much a reading of a row looks like the paper: labels in front,
 * a name, a target, a 性质 that is one. */
static int plausibility(const struct ind_state *is, const struct reading *r)
{
	int score = 0;
	if (r->nlead > 2)
		score -= 5;
	for (int j = 0; j < r->nlead; j++) {
		char *tmp = NULL;
		const char *sq = r->lead[j]->sq ? r->lead[j]->sq : (tmp = squeeze(r->lead[j]->t));
		score += level1_of(sq) || looks_level2(sq) ? 1 : -1;
		free(tmp);
	}
	for (int j = 0; j < is->n_mid; j++) {
		const char *v = r->mid[j];
		switch (is->mid[j]) {
		case IND_NAME: {
			score -= *v ? 0 : 3;
			/* a 三级 that is a 二级 label: the row read one column off */
			char *tmp = NULL;
			const char *sq = r->midsq[j] ? r->midsq[j] : (tmp = squeeze(v));
			score -= level2_parent(sq) || level1_of(sq) ? 2 : 0;
			free(tmp);
			break;
		}
		case IND_TARGET:
			score -= *v ? 0 : 1;
			break;
		case IND_NATURE:
			score += !*v ? 0 : nature_like(v) ? 2 : -2;
			break;
		default:
			break;
		}
	}
	return score;
}

/* One row of the tab-separated layouts.  Returns false if it has no
 * 分值/得分 at its end (a wrapped cell, to be joined). */
static bool tab_row(struct ctx *c, struct ind_state *is, struct cell *cells, int nc, long line,
		    bool dry)
{
	struct cell **e = xrealloc(NULL, sizeof *e * (size_t)(nc + 1));
	int n = nonempty(cells, nc, e);
	const char *dev;
	int w = find_weight(e, n, &dev);
	if (w < 0) {
		free(e);
		return false;
	}
	if (dry) {
		free(e);
		return true;
	}
	int m = is->n_mid;
	/* Two readings: the non-empty cells packed against 分值 (right when a
	 * merged cell left an empty column inside the row), or the columns
	 * counted back from 分值 (right when a cell is empty, e.g. no 度量单位
	 * for a 定性 row).  The more plausible one wins; ties go to the first. */
	struct reading rd[2];
	int nrd = 0;
	if (w >= m) {
		struct reading *r = &rd[nrd++];
		for (int j = 0; j < m; j++) {
			r->mid[j] = e[w - m + j]->t;
			r->midsq[j] = e[w - m + j]->sq;
			r->midcol[j] = e[w - m + j]->col;
		}
		r->nlead = 0;
		for (int j = 0; j < w - m && r->nlead < IND_FIELDS + 8; j++)
			r->lead[r->nlead++] = e[j];
	}
	{
		struct reading *r = &rd[nrd++];
		int wcol = e[w]->col;
		for (int j = 0; j < m; j++) {
			int col = wcol - m + j;
			r->mid[j] = r->midsq[j] = "";
			r->midcol[j] = col;
			for (int k = 0; k < nc; k++)
				if (cells[k].col == col) {
					r->mid[j] = cells[k].t;
					r->midsq[j] = cells[k].sq;
				}
		}
		r->nlead = 0;
		for (int j = 0; j < w; j++)
			if (e[j]->col < wcol - m && r->nlead < IND_FIELDS + 8)
				r->lead[r->nlead++] = e[j];
	}
	int pick = 0;
	if (nrd == 2 && plausibility(is, &rd[1]) > plausibility(is, &rd[0]))
		pick = 1;
	const char **mid = rd[pick].mid;
	int *midcol = rd[pick].midcol;
	int nlead = rd[pick].nlead;
	struct cell **lead = rd[pick].lead;
	if (nlead > 2) {
		FAIL(c, line, _("indicator row has %d cells before its 三级指标 where at most 2 (一级, 二级) can be"),
		     nlead);
		free(e);
		return true;
	}
	if (nlead == 2) {
		apply_label(is, lead[0]->t, true);
		apply_label(is, lead[1]->t, false);
	} else if (nlead == 1) {
		apply_label(is, lead[0]->t, false);
	}
	struct indicator *in = new_row(c, is);
	for (int j = 0; j < m; j++)
		set_str(&in->v[is->mid[j]], mid[j]);
	set_str(&in->v[IND_WEIGHT], e[w]->t);
	set_str(&in->v[IND_SCORE], e[w + 1]->t);
	set_str(&in->v[IND_DEVIATION], dev ? dev : "");
	bool has_name = *in->v[IND_NAME] != '\0';
	/* remember where each column went, for continuation lines */
	is->last_ncol = 0;
	for (int k = 0; k < 64; k++)
		is->last_field[k] = -1;
	for (int j = 0; j < m; j++)
		if (midcol[j] >= 0 && midcol[j] < 64)
			is->last_field[midcol[j]] = is->mid[j];
	if (dev && e[w + 2]->col < 64)
		is->last_field[e[w + 2]->col] = IND_DEVIATION;
	is->last_ncol = 64;
	if (!has_name)
		FAIL(c, line, _("indicator row without a 三级指标"));
	free(e);
	return true;
}

void pend_free(struct ind_state *is)
{
	for (int k = 0; k < is->n_pend; k++)
		free(is->pend[k].t);
	free(is->pend);
	is->pend = NULL;
	is->n_pend = 0;
}

/* Continuation text of the last row's cells (their wrapped tails). */
void pend_to_last_row(struct ctx *c, struct ind_state *is)
{
	if (is->n_pend == 0)
		return;
	bool any = false;
	for (int k = 0; k < is->n_pend; k++)
		any |= *is->pend[k].t != '\0';
	if (!any) {
		pend_free(is);
		return;
	}
	if (c->f->n_ind == 0 || is->last_ncol == 0) {
		FAIL(c, is->pend_line, _("text in the 绩效指标 table that belongs to no row"));
		pend_free(is);
		return;
	}
	struct indicator *in = &c->f->ind[c->f->n_ind - 1];
	for (int k = 0; k < is->n_pend; k++) {
		if (!*is->pend[k].t)
			continue;
		int col = is->pend[k].col, f = -1;
		for (int cc = col < 64 ? col : 63; cc >= 0 && f < 0; cc--)
			f = is->last_field[cc];
		if (f < 0)
			f = IND_NAME;
		char *j = join2(in->v[f] ? in->v[f] : "", is->pend[k].t, " ");
		free(in->v[f]);
		in->v[f] = j;
	}
	pend_free(is);
}

/* Append line l's cells to the pending ones, joining the first to the last
 * pending cell when the line break fell inside that cell. */
static void pend_add(struct ind_state *is, const struct line *l, bool join)
{
	int base = is->n_pend ? is->pend[is->n_pend - 1].col + 1 : 0;
	int k0 = 0;
	if (join && is->n_pend > 0 && l->nc > 0) {
		struct cell *last = &is->pend[is->n_pend - 1];
		char *j = join2(last->t, l->c[0].t, " ");
		free(last->t);
		last->t = j;
		k0 = 1;
		base -= 1;
	}
	if (is->n_pend == 0) {
		is->pend_line = l->no;
		base = 0;
	}
	is->pend = xrealloc(is->pend, sizeof *is->pend * (size_t)(is->n_pend + l->nc));
	for (int k = k0; k < l->nc; k++) {
		is->pend[is->n_pend].t = xstrdup(l->c[k].t);
		is->pend[is->n_pend].col = base + l->c[k].col;
		is->pend[is->n_pend].sq = NULL;
		is->n_pend++;
	}
	is->pend_ends_tab = l->ends_tab;
}

void tab_line(struct ctx *c, struct ind_state *is, const struct line *l, long prev_no)
{
	bool adjacent = is->n_pend > 0 && prev_no == l->no - 1;
	/* a line break inside a cell: the next line goes on with that cell at
	 * its very start, and the broken line does not end with a tab */
	bool joins = adjacent && !is->pend_ends_tab && l->nc > 0 && *l->c[0].t;
	if (tab_row(c, is, l->c, l->nc, l->no, true)) {
		if (joins) {
			pend_add(is, l, true);
			struct cell *cells = is->pend;
			int n = is->n_pend;
			is->pend = NULL;
			is->n_pend = 0;
			tab_row(c, is, cells, n, is->pend_line, false);
			for (int k = 0; k < n; k++)
				free(cells[k].t);
			free(cells);
		} else {
			pend_to_last_row(c, is);
			tab_row(c, is, l->c, l->nc, l->no, false);
		}
		return;
	}
	if (is->n_pend > 0 && !joins)
		pend_to_last_row(c, is);
	pend_add(is, l, joins);
}

/* ---- the space-separated layout (2021): rows end with their figures;
 * texts before a row line are its wrapped cells or its group labels ---- */

static void para_close(struct ind_state *is)
{
	if (is->para.len == 0)
		return;
	is->units = xrealloc(is->units, sizeof *is->units * (size_t)(is->n_units + 1));
	char *t = sb_take(&is->para);
	is->units[is->n_units++] = clean(t);
	free(t);
}

void units_free(struct ind_state *is)
{
	for (int k = 0; k < is->n_units; k++)
		free(is->units[k]);
	free(is->units);
	is->units = NULL;
	is->n_units = 0;
}

static char *concat_units(char **u, int a, int b)
{
	struct sbuf s = { 0 };
	for (int k = a; k < b; k++)
		sb_add(&s, u[k]);
	char *t = sb_take(&s);
	char *sq = squeeze(t);
	free(t);
	return sq;
}

/* Group labels from texts u[0..n): the longest run of texts that makes a
 * label (a vertical "产/出/指/标", a wrapped "服务对象/满意度指/标").
 * What is not a label goes in front of the name. */
static void space_labels(struct ind_state *is, char **u, int n, struct sbuf *name_prefix)
{
	int i = 0;
	while (i < n) {
		int found = -1;
		for (int j = i + 1; j <= n && found < 0; j++) {
			char *sq = concat_units(u, i, j);
			if (level1_of(sq) || is_group_weight(sq) || looks_level2(sq))
				found = j;
			free(sq);
		}
		if (found < 0) {
			if (name_prefix->len)
				sb_add(name_prefix, " ");
			sb_add(name_prefix, u[i]);
			i++;
			continue;
		}
		char *text = xstrdup(u[i]);
		for (int k = i + 1; k < found; k++) {
			char *t = join2(text, u[k], "");
			free(text);
			text = t;
		}
		apply_label(is, text, false);
		free(text);
		i = found;
	}
}

void space_line(struct ctx *c, struct ind_state *is, const struct line *l)
{
	if (l->blank) {
		para_close(is);
		return;
	}
	struct cell **e = xrealloc(NULL, sizeof *e * (size_t)(l->nc + 1));
	int n = nonempty(l->c, l->nc, e);
	const char *dev;
	int w = find_weight(e, n, &dev);
	if (w < 0) {
		/* a piece of a wrapped cell or of a label */
		if (is->para.len == 0)
			is->para_line = l->no;
		char *t = is->para.s ? join2(is->para.s, l->text, " ") : xstrdup(l->text);
		free(sb_take(&is->para));
		sb_add(&is->para, t);
		free(t);
		free(e);
		return;
	}
	para_close(is);
	enum { M = 3 };	/* 三级指标, 年度指标值, 实际完成值 */
	/* Spaces also part cells here, so "≤4 小时" comes as two tokens: where
	 * the row has more tokens than cells, a unit word goes back to the
	 * figure before it. */
	const char **tok = xrealloc(NULL, sizeof *tok * (size_t)(w + 1));
	char **owned = xrealloc(NULL, sizeof *owned * (size_t)(w + 1));
	int nt = 0, no = 0;
	for (int j = 0; j < w; j++) {
		const char *t = e[j]->t;
		size_t tl = strlen(t);
		bool unit_word = tl && u8_mbsnlen((const uint8_t *)t, tl) <= 4 && !strpbrk(t, "0123456789") &&
				 !starts(t, "≥") && !starts(t, "≤");
		if (unit_word && nt > 0 && w - (j - nt) > M) {
			const char *prev = tok[nt - 1];
			size_t pl = strlen(prev);
			if (pl && prev[pl - 1] >= '0' && prev[pl - 1] <= '9') {
				char *m2 = join2(prev, t, " ");
				owned[no++] = m2;
				tok[nt - 1] = m2;
				continue;
			}
		}
		tok[nt++] = t;
	}
	int wt = nt;	/* tokens before 分值 */
	const char *mid[M] = { "", "", "" };
	struct sbuf prefix = { 0 };
	int on_line = wt < M ? wt : M;	/* of them on the row line */
	int take = M - on_line;		/* from the texts above it */
	if (take > is->n_units) {
		FAIL(c, l->no, _("indicator row with %d of its %d cells before 分值"),
		     on_line + is->n_units, (int)M);
		take = is->n_units;
	}
	int lab_n = is->n_units - take;
	space_labels(is, is->units, lab_n, &prefix);
	for (int k = 0; k < take; k++)
		mid[M - on_line - take + k] = is->units[lab_n + k];
	int first_mid = wt - on_line;
	struct sbuf extra = { 0 };
	int j = 0;
	/* leading label tokens ("成本指标 项目预算控制总数 …") */
	while (j < first_mid) {
		char *sq = squeeze(tok[j]);
		bool lab = level1_of(sq) || is_group_weight(sq) || looks_level2(sq);
		free(sq);
		if (!lab)
			break;
		apply_label(is, tok[j], false);
		j++;
	}
	for (; j < first_mid; j++) {
		if (extra.len)
			sb_add(&extra, " ");
		sb_add(&extra, tok[j]);
	}
	for (int k = 0; k < on_line; k++)
		mid[M - on_line + k] = tok[first_mid + k];
	struct indicator *in = new_row(c, is);
	char *name = xstrdup(mid[0]);
	if (extra.len) {
		char *t = join2(extra.s, name, " ");
		free(name);
		name = t;
	}
	if (prefix.len) {
		char *t = join2(prefix.s, name, "");
		free(name);
		name = t;
	}
	in->v[IND_NAME] = name;
	set_str(&in->v[IND_TARGET], mid[1]);
	set_str(&in->v[IND_ACTUAL], mid[2]);
	set_str(&in->v[IND_WEIGHT], e[w]->t);
	set_str(&in->v[IND_SCORE], e[w + 1]->t);
	set_str(&in->v[IND_DEVIATION], dev ? dev : "");
	free(extra.s);
	free(prefix.s);
	units_free(is);
	for (int k = 0; k < no; k++)
		free(owned[k]);
	free(owned);
	free(tok);
	free(e);
}

void space_finish(struct ctx *c, struct ind_state *is)
{
	para_close(is);
	if (is->n_units > 0) {
		FAIL(c, is->para_line, _("text in the 绩效指标 table that belongs to no row"));
		units_free(is);
	}
}
