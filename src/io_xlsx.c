/*
 * io_xlsx: forms as an XLSX workbook in the official layout, one sheet per
 * form, ready to print: A4 landscape, fitted to the page width; merged cells
 * where the paper merges them (title, labels, 一级/二级 over their rows);
 * thin borders; wrapped text; column widths and row heights for CJK text.
 * Column A holds the blocks' labels (项目名称 … 项目资金, 年度总体目标,
 * 绩效指标 down the indicator rows), as on paper.  What is written is
 * io_paper_copy of the form ("—" where the paper has it, scores with two
 * decimals); figures are the strings they are, aligned right.  Built only with libxlsxwriter (HAVE_XLSXWRITER); without it,
 * io_xlsx_write says so and fails.
 */
#include "config.h"
#include "io.h"
#include "num.h"
#include "i18n.h"

#include <stdio.h>

#ifndef HAVE_XLSXWRITER

int io_xlsx_write(const char *path, struct form *const *forms, size_t n, char *err, size_t errlen)
{
	(void)path;
	(void)forms;
	(void)n;
	snprintf(err, errlen, "%s", _("this jxzp was built without XLSX export"));
	return -1;
}

#else

#include "ustr.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct fmts {
	lxw_format *title, *label, *text, *num, *center;
};

/* Column widths in character units (a CJK character is two). */
static double col_width(int field)
{
	static const double w[IND_FIELDS] = {
		[IND_LEVEL1] = 12, [IND_LEVEL2] = 14, [IND_NAME] = 26, [IND_NATURE] = 8,
		[IND_TARGET] = 14, [IND_UNIT_OF_MEASURE] = 9, [IND_ACTUAL] = 24,
		[IND_WEIGHT] = 7, [IND_SCORE] = 8, [IND_DEVIATION] = 28,
	};
	return w[field];
}

static bool figure(const char *s)
{
	if (!s || !*s)
		return false;
	if (strcmp(s, "—") == 0 || strcmp(s, "-") == 0)
		return true;
	num v;	/* a figure by the one grammar the rules and the sums read */
	return num_read(s, NUM_PERCENT, &v, NULL) == NUM_OK ? true : false;
}

struct sheet {
	lxw_worksheet *ws;
	struct fmts *F;
	int nc;			/* columns of the table */
	double cw[IND_FIELDS + 1];	/* their widths (A, the labels, first) */
	double height[4096];	/* lines needed per row */
	int err;
};

/* Lines that text needs in a cell `width` characters wide. */
static int lines_for(const char *text, double width)
{
	if (!text || !*text)
		return 1;
	int lines = 0;
	const char *p = text;
	for (;;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int w = ustr_width_n(p, len);
		int cap = (int)(width * 0.95);
		if (cap < 1)
			cap = 1;
		lines += w == 0 ? 1 : (w + cap - 1) / cap;
		if (!e)
			break;
		p = e + 1;
	}
	return lines;
}

static double span_width(const struct sheet *s, int c0, int c1)
{
	double w = 0;
	for (int c = c0; c <= c1; c++)
		w += s->cw[c];
	return w;
}

static void need(struct sheet *s, int row, int lines)
{
	if (row >= 0 && row < 4096 && lines > s->height[row])
		s->height[row] = lines;
}

/* Text in the cells r0..r1 × c0..c1 (merged if more than one). */
static void put(struct sheet *s, int r0, int c0, int r1, int c1, const char *text, lxw_format *f)
{
	char *safe = ustr_scrub(text ? text : "", true);
	lxw_error e;
	if (r0 == r1 && c0 == c1)
		e = worksheet_write_string(s->ws, (lxw_row_t)r0, (lxw_col_t)c0, safe, f);
	else
		e = worksheet_merge_range(s->ws, (lxw_row_t)r0, (lxw_col_t)c0, (lxw_row_t)r1,
					  (lxw_col_t)c1, safe, f);
	if (e != LXW_NO_ERROR && !s->err)
		s->err = (int)e;
	if (r0 == r1)
		need(s, r0, lines_for(safe, span_width(s, c0, c1)));
	free(safe);
}

static lxw_format *fig(struct sheet *s, const char *v) { return figure(v) ? s->F->num : s->F->text; }

/* Code points in s (Excel counts a sheet name's length in them). */
static size_t code_points(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Sheet names: at most 31 characters, none of []:*?/\', unique (numbered). */
static void sheet_name(char *out, size_t outlen, size_t i, const char *project)
{
	int n = snprintf(out, outlen, "%zu ", i + 1);
	size_t at = (size_t)n;
	const char *p = project ? project : "";
	size_t len = strlen(p), k = 0;
	while (k < len) {
		size_t nx = ustr_next(p, len, k);
		char piece[64];
		size_t pl = nx - k;
		if (pl < sizeof piece) {
			memcpy(piece, p + k, pl);
		} else {
			piece[0] = '_';	/* a grapheme too long to name anything */
			pl = 1;
		}
		piece[pl] = '\0';
		if (pl == 1 && (strchr("[]:*?/\\'", piece[0]) || (unsigned char)piece[0] < 0x20))
			piece[0] = '_';
		if (at + pl + 1 > outlen || code_points(out) + code_points(piece) > 31)
			break;
		memcpy(out + at, piece, pl);
		at += pl;
		out[at] = '\0';
		k = nx;
	}
	out[at] = '\0';
}

/* The label column's width: 项目资金（万元）, 年度总体目标, 绩效指标 wrap in it. */
#define LABEL_COL_W 10

static int write_form(lxw_workbook *wb, struct fmts *F, const struct form *f, size_t idx)
{
	const struct layout *lay = layout_find(f->layout);
	if (!lay)
		lay = layout_find(DEFAULT_LAYOUT);
	char name[160];
	sheet_name(name, sizeof name, idx, f->project);
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	if (!ws)
		return -1;
	struct sheet *s = calloc(1, sizeof *s);
	if (!s)
		abort();	/* out of memory */
	s->ws = ws;
	s->F = F;
	/* column A holds the labels of the blocks (项目名称 … 绩效指标), as on
	 * paper; the indicator table's columns follow from B */
	int cols[IND_FIELDS + 1];
	s->cw[s->nc] = LABEL_COL_W;
	cols[s->nc++] = -1;
	for (int k = 0; k < IND_FIELDS; k++) {
		if ((k == IND_NATURE && !lay->has_nature_col) ||
		    (k == IND_UNIT_OF_MEASURE && !lay->has_unit_col))
			continue;
		s->cw[s->nc] = col_width(k);
		cols[s->nc++] = k;
	}
	int last = s->nc - 1, mid = 1 + (s->nc - 1) / 2;
	for (int c = 0; c < s->nc; c++)
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, s->cw[c], NULL);

	int r = 0;
	char title[64];
	if (f->year > 0)
		snprintf(title, sizeof title, "项目支出绩效自评表（%d年度）", f->year);
	else
		snprintf(title, sizeof title, "项目支出绩效自评表（    年度）");
	put(s, r, 0, r, last, title, F->title);
	s->height[r] = 2;
	r++;
	put(s, r, 0, r, 0, "项目名称", F->label);
	put(s, r, 1, r, last, f->project, F->text);
	r++;
	put(s, r, 0, r, 0, "主管部门", F->label);
	put(s, r, 1, r, mid - 1, f->department, F->text);
	put(s, r, mid, r, mid, "实施单位", F->label);
	put(s, r, mid + 1, r, last, f->unit, F->text);
	r++;
	if (lay->has_lead_phone) {
		put(s, r, 0, r, 0, "项目负责人", F->label);
		put(s, r, 1, r, mid - 1, f->lead, F->text);
		put(s, r, mid, r, mid, "联系电话", F->label);
		put(s, r, mid + 1, r, last, f->phone, F->text);
		r++;
	}

	/* 项目资金: the label over five rows, row labels in B, figures from C;
	 * where the table has more columns than figures, narrow ones are
	 * merged so that every figure has room, the last runs to the edge */
	int span0[FUND_COLS], span1[FUND_COLS];
	int extra = s->nc - 2 - FUND_COLS, cc = 2;
	for (int fc = 0; fc < FUND_COLS; fc++) {
		span0[fc] = cc;
		double w = s->cw[cc++];
		while (extra > 0 && w < 20 && fc < FUND_COLS - 1 && cc <= last) {
			w += s->cw[cc++];
			extra--;
		}
		span1[fc] = fc == FUND_COLS - 1 ? last : cc - 1;
	}
	put(s, r, 0, r + FUND_ROWS, 0, "项目资金\n（万元）", F->label);
	put(s, r, 1, r, 1, "", F->label);
	for (int fc = 0; fc < FUND_COLS; fc++)
		put(s, r, span0[fc], r, span1[fc], fund_col_label[fc], F->label);
	for (int fr = 0; fr < FUND_ROWS; fr++) {
		int row = r + 1 + fr;
		put(s, row, 1, row, 1, fund_row_label[fr], F->text);
		for (int fc = 0; fc < FUND_COLS; fc++) {
			const char *v = f->funds[fr][fc];
			put(s, row, span0[fc], row, span1[fc], v, figure(v) || !v || !*v ? F->num : F->text);
		}
	}
	r += FUND_ROWS + 1;

	/* 年度总体目标 */
	put(s, r, 0, r + 1, 0, "年度总体目标", F->label);
	put(s, r, 1, r, mid, "预期目标", F->label);
	put(s, r, mid + 1, r, last, "实际完成情况", F->label);
	put(s, r + 1, 1, r + 1, mid, f->goals_expected, F->text);
	put(s, r + 1, mid + 1, r + 1, last, f->goals_achieved, F->text);
	r += 2;

	/* 绩效指标: the label down column A, over the column heads and every row */
	put(s, r, 0, r + (int)f->n_ind, 0, "绩效指标", F->label);
	for (int c = 1; c < s->nc; c++)
		put(s, r, c, r, c, ind_field_label[cols[c]], F->label);
	r++;
	int first = r;
	for (size_t i = 0; i < f->n_ind; i++) {
		const struct indicator *in = &f->ind[i];
		for (int c = 1; c < s->nc; c++) {
			int k = cols[c];
			if (k == IND_LEVEL1 || k == IND_LEVEL2)
				continue;
			lxw_format *fm = k == IND_NATURE ? F->center
					 : (k == IND_TARGET || k == IND_ACTUAL || k == IND_WEIGHT ||
					    k == IND_SCORE)
						 ? fig(s, in->v[k])
						 : F->text;
			put(s, first + (int)i, c, first + (int)i, c, in->v[k], fm);
		}
	}
	/* 一级 and 二级 merged over the rows of their group */
	for (int lv = 0; lv < 2; lv++) {
		int col = 1 + lv;	/* 一级, 二级 are the first two columns after A */
		size_t i = 0;
		while (i < f->n_ind) {
			size_t j = i + 1;
			while (j < f->n_ind) {
				bool same = true;
				for (int k = 0; k <= lv; k++) {
					const char *a = f->ind[i].v[k] ? f->ind[i].v[k] : "";
					const char *b = f->ind[j].v[k] ? f->ind[j].v[k] : "";
					same &= strcmp(a, b) == 0;
				}
				if (!same)
					break;
				j++;
			}
			put(s, first + (int)i, col, first + (int)j - 1, col, f->ind[i].v[lv], F->text);
			i = j;
		}
	}
	r = first + (int)f->n_ind;

	/* 总分 */
	int wcol = 1;
	while (wcol < s->nc && cols[wcol] != IND_WEIGHT)
		wcol++;
	put(s, r, 0, r, wcol - 1, "总分", F->label);
	put(s, r, wcol, r, wcol, f->total_weight, F->num);
	put(s, r, wcol + 1, r, wcol + 1, f->total_score, F->num);
	if (wcol + 2 <= last)
		put(s, r, wcol + 2, r, last, f->total_grade, F->text);
	r++;

	for (int row = 0; row < r && row < 4096; row++)
		worksheet_set_row(ws, (lxw_row_t)row, 15.0 * (s->height[row] > 0 ? s->height[row] : 1), NULL);

	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);	/* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
	worksheet_center_horizontally(ws);
	int err = s->err;
	free(s);
	return err ? -1 : 0;
}

int io_xlsx_write(const char *path, struct form *const *forms, size_t n, char *err, size_t errlen)
{
	lxw_workbook_options opt = { .constant_memory = LXW_FALSE, .tmpdir = NULL };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb) {
		snprintf(err, errlen, _("cannot create %s"), path);
		return -1;
	}
	struct fmts F;
	F.title = workbook_add_format(wb);
	format_set_bold(F.title);
	format_set_font_size(F.title, 16);
	format_set_align(F.title, LXW_ALIGN_CENTER);
	format_set_align(F.title, LXW_ALIGN_VERTICAL_CENTER);
	F.label = workbook_add_format(wb);
	format_set_bold(F.label);
	format_set_border(F.label, LXW_BORDER_THIN);
	format_set_text_wrap(F.label);
	format_set_align(F.label, LXW_ALIGN_CENTER);
	format_set_align(F.label, LXW_ALIGN_VERTICAL_CENTER);
	F.text = workbook_add_format(wb);
	format_set_border(F.text, LXW_BORDER_THIN);
	format_set_text_wrap(F.text);
	format_set_align(F.text, LXW_ALIGN_LEFT);
	format_set_align(F.text, LXW_ALIGN_VERTICAL_CENTER);
	F.num = workbook_add_format(wb);
	format_set_border(F.num, LXW_BORDER_THIN);
	format_set_text_wrap(F.num);
	format_set_align(F.num, LXW_ALIGN_RIGHT);
	format_set_align(F.num, LXW_ALIGN_VERTICAL_CENTER);
	F.center = workbook_add_format(wb);
	format_set_border(F.center, LXW_BORDER_THIN);
	format_set_align(F.center, LXW_ALIGN_CENTER);
	format_set_align(F.center, LXW_ALIGN_VERTICAL_CENTER);

	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct form *paper = io_paper_copy(forms[i]);	/* the cells paper never leaves blank */
		if (write_form(wb, &F, paper, i) != 0) {
			snprintf(err, errlen, _("cannot write the sheet of form %zu"), i + 1);
			rc = -1;
		}
		form_free(paper);
	}
	if (n == 0)
		workbook_add_worksheet(wb, NULL);	/* a workbook needs a sheet */
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR && rc == 0) {
		snprintf(err, errlen, _("cannot write %s: %s"), path, lxw_strerror(e));
		rc = -1;
	}
	return rc;
}

#endif
