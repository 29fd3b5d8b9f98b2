/* io_table_funds: the 项目资金 table of a form, found by its labels.  See
 * io_table_form.h. */
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
/* 项目资金                                                             */

void funds_collect_labels(struct funds_state *fs, const struct line *l)
{
	for (int k = 0; k < l->nc; k++) {
		const char *sq = l->c[k].sq;
		int fc = fund_col_of(sq);
		bool dup = false;
		for (int j = 0; j < fs->n_order; j++)
			dup |= fs->order[j] == fc;
		if (fc != FC_NONE && !dup && fs->n_order < FUND_COLS)
			fs->order[fs->n_order++] = fc;
	}
}

/* Cells k0.. of the line as labels each followed by its figure: true if
 * at least two labels of 项目资金 columns each have a figure (a cell that is
 * no label) right after them; the figures go to fr->pair. */
static bool funds_pairs(struct fund_row_cells *fr, const struct line *l, int k0)
{
	int labels = 0, figures = 0;
	const char *pair[FUND_COLS] = { NULL };
	for (int k = k0; k < l->nc; k++) {
		if (!*l->c[k].t)
			continue;
		const char *sq = l->c[k].sq;
		int fc = fund_col_of(sq);
		if (fc == FC_NONE)
			continue;
		labels++;
		int j = k + 1;
		while (j < l->nc && !*l->c[j].t)
			j++;
		if (j >= l->nc)
			continue;
		sq = l->c[j].sq;
		bool label = fund_col_of(sq) != FC_NONE || fund_row_of(sq) >= 0;
		if (label || pair[fc])
			continue;
		pair[fc] = l->c[j].t;
		figures++;
		k = j;
	}
	if (labels < 2 || figures < 2)
		return false;
	fr->paired = true;
	memcpy(fr->pair, pair, sizeof pair);
	return true;
}

/* A 项目资金 row: its label and the cells after it.  False if none.
 * A line of labels and figures without a row label is the 年度资金总额 row
 * when no such row was read yet (a form that prints only the total). */
bool funds_row(struct funds_state *fs, const struct line *l)
{
	for (int k = 0; k < l->nc; k++) {
		if (!*l->c[k].t)
			continue;
		const char *sq = l->c[k].sq;
		int r = fund_row_of(sq);
		if (r < 0) {
			struct fund_row_cells *tot = &fs->row[FUND_TOTAL];
			if (tot->seen || !funds_pairs(tot, l, k))
				return false;	/* the label comes first */
			tot->seen = true;
			tot->line = l->no;
			tot->c = xrealloc(NULL, sizeof *tot->c);
			tot->nc = 0;
			return true;
		}
		struct fund_row_cells *fr = &fs->row[r];
		if (fr->seen)
			return true;	/* printed twice: the first one counts */
		fr->seen = true;
		fr->line = l->no;
		funds_pairs(fr, l, k + 1);
		fr->nc = l->nc - k - 1;
		fr->c = xrealloc(NULL, sizeof *fr->c * (size_t)(fr->nc > 0 ? fr->nc : 1));
		for (int j = 0; j < fr->nc; j++) {
			fr->c[j].t = xstrdup(l->c[k + 1 + j].t);
			fr->c[j].col = j;
			fr->c[j].sq = NULL;
		}
		return true;
	}
	return false;
}

/* Place the row cells into columns.  Merged cells leave empty columns in
 * varying number, so the offsets of the fullest row (normally 年度资金总额)
 * are the template for the others. */
void funds_finish(struct ctx *c, struct funds_state *fs)
{
	int order[FUND_COLS], n = fs->n_order;
	if (n >= 3)
		memcpy(order, fs->order, sizeof order);
	else
		for (n = 0; n < FUND_COLS; n++)
			order[n] = n;
	int tmpl[FUND_COLS], best = -1, best_n = -1;
	for (int r = 0; r < FUND_ROWS; r++) {
		int cnt = 0;
		for (int j = 0; j < fs->row[r].nc; j++)
			cnt += *fs->row[r].c[j].t != '\0';
		if (fs->row[r].seen && !fs->row[r].paired && cnt > best_n) {
			best_n = cnt;
			best = r;
		}
	}
	if (best >= 0 && best_n >= n) {
		int k = 0;
		for (int j = 0; j < fs->row[best].nc && k < n; j++)
			if (*fs->row[best].c[j].t)
				tmpl[k++] = j;
	} else {
		for (int k = 0; k < n; k++)
			tmpl[k] = k;
	}
	for (int r = 0; r < FUND_ROWS; r++) {
		struct fund_row_cells *fr = &fs->row[r];
		if (!fr->seen)
			continue;
		if (fr->paired) {
			/* the pairs point into the form's lines, alive
			 * until the form is read */
			for (int k = 0; k < FUND_COLS; k++)
				set_str(&c->f->funds[r][k], fr->pair[k] ? fr->pair[k] : "");
			continue;
		}
		bool fits = true;
		int cnt = 0;
		for (int j = 0; j < fr->nc; j++) {
			if (!*fr->c[j].t)
				continue;
			cnt++;
			bool in = false;
			for (int k = 0; k < n; k++)
				in |= tmpl[k] == j;
			fits &= in;
		}
		if (cnt > n)
			NOTE(c, fr->line, _("项目资金 row has %d figures where %d columns are printed; the extra ones are left out"),
			     cnt, n);
		int seq = 0;
		for (int k = 0; k < n; k++) {
			const char *v = "";
			if (fits) {
				if (tmpl[k] < fr->nc)
					v = fr->c[tmpl[k]].t;
			} else {
				while (seq < fr->nc && !*fr->c[seq].t)
					seq++;
				if (seq < fr->nc)
					v = fr->c[seq++].t;
			}
			set_str(&c->f->funds[r][order[k]], v);
		}
	}
	for (int r = 0; r < FUND_ROWS; r++) {
		for (int j = 0; j < fs->row[r].nc; j++)
			free(fs->row[r].c[j].t);
		free(fs->row[r].c);
	}
}
