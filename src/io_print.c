/*
 * io_print: a form as printable text, mirroring the paper: the same blocks,
 * labels and order, box-drawing lines, 一级/二级 cells merged over their
 * rows, numbers right-aligned, long cells wrapped inside their column at
 * proper break points (ustr_wrap).  Every line has the same display width
 * (CJK counted as two columns, ustr_width), at most 132.  The columns follow
 * the form's layout (layout_find): 绩效指标性质 and 绩效度量单位 only where
 * the layout has them; 项目负责人/联系电话 likewise.  Every value is scrubbed
 * (ustr_scrub) so that no control character reaches a terminal or printer.
 * What is printed is io_paper_copy of the form: "—" where the paper has it,
 * 总分 分值 summed, scores with two decimals; 分值 and 得分 are as wide as
 * their widest figure, so a figure never wraps.
 *
 * The printout is a stack of bands (rows of the paper table).  Each band
 * is a list of cells that cover the width; the line between two bands is
 * drawn from both bands' cell boundaries, so junctions come out right
 * (┬ ┴ ┼ ├ ┤).  A cell marked open continues into the next band (a merged
 * cell): the line below it is left blank and its text may flow on.
 */
#include "config.h"
#include "io.h"
#include "num.h"
#include "ustr.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CELLS 16
enum align { LEFT, RIGHT, CENTER };

struct pcell {
	int x0, x1;		/* columns of the vertical lines on either side */
	const char *text;	/* NULL = empty */
	enum align align;
	bool open;		/* merged with the cell below (same x0, x1) */
};

struct band {
	struct pcell c[MAX_CELLS];
	int n;
};

struct printer {
	FILE *out;
	int W;			/* display width of every line */
	struct band prev;	/* the band above, for the line between */
	bool have_prev;
	bool joined;		/* next band: no line above it (same columns) */
	/* text of open cells still to be shown, by x0 */
	char **carry_lines[MAX_CELLS];
	int carry_n[MAX_CELLS];
	int carry_x0[MAX_CELLS];
	int n_carry;
	int err;
};

/* ---- cells to lines ---------------------------------------------------- */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		abort();	/* out of memory */
	return p;
}

/* Safe to print: controls made visible, tabs made spaces. */
static char *safe(const char *s)
{
	char *t = ustr_scrub(s ? s : "", true);
	for (char *p = t; *p; p++)
		if (*p == '\t')
			*p = ' ';
	return t;
}

/* The text wrapped to w columns: an array of lines (caller frees). */
static char **wrap(const char *text, int w, int *n)
{
	char *s = safe(text);
	size_t cnt = ustr_wrap(s, w, NULL, NULL, 0);
	size_t *st = xmalloc(sizeof *st * (cnt + 1)), *ln = xmalloc(sizeof *ln * (cnt + 1));
	ustr_wrap(s, w, st, ln, cnt);
	char **lines = xmalloc(sizeof *lines * (cnt + 1));
	for (size_t i = 0; i < cnt; i++) {
		lines[i] = xmalloc(ln[i] + 1);
		memcpy(lines[i], s + st[i], ln[i]);
		lines[i][ln[i]] = '\0';
		/* a word longer than the column: cut it to fit, whole graphemes */
		if (ustr_width(lines[i]) > w) {
			size_t len = strlen(lines[i]), end = 0;
			int cw = 0;
			while (end < len) {
				size_t nx = ustr_next(lines[i], len, end);
				int gw = ustr_width_n(lines[i] + end, nx - end);
				if (cw + gw > w)
					break;
				cw += gw;
				end = nx;
			}
			lines[i][end] = '\0';
		}
	}
	/* empty text: no lines */
	if (cnt == 1 && !*lines[0]) {
		free(lines[0]);
		cnt = 0;
	}
	free(st);
	free(ln);
	free(s);
	*n = (int)cnt;
	return lines;
}

static void put_padded(struct printer *p, const char *s, int w, enum align a)
{
	int tw = s ? ustr_width(s) : 0;
	int left = 0;
	if (tw < w) {
		if (a == RIGHT)
			left = w - tw;
		else if (a == CENTER)
			left = (w - tw) / 2;
	}
	int right = w - tw - left;
	fprintf(p->out, "%*s%s%*s", left, "", s ? s : "", right > 0 ? right : 0, "");
}

/* ---- lines between bands ------------------------------------------------ */

static bool is_bound(const struct band *b, int x, int W)
{
	if (!b)
		return false;
	if (x == W - 1)
		return true;
	for (int i = 0; i < b->n; i++)
		if (b->c[i].x0 == x)
			return true;
	return false;
}

/* Inside an open cell of the band above: no line there. */
static bool is_blank(const struct band *above, int x)
{
	if (!above)
		return false;
	for (int i = 0; i < above->n; i++)
		if (above->c[i].open && x > above->c[i].x0 && x < above->c[i].x1)
			return true;
	return false;
}

static void rule(struct printer *p, const struct band *above, const struct band *below)
{
	static const char *const ch[16] = {
		" ", "─", "─", "─", "│", "┌", "┐", "┬",
		"│", "└", "┘", "┴", "│", "├", "┤", "┼",
	};
	for (int x = 0; x < p->W; x++) {
		bool up = is_bound(above, x, p->W), down = is_bound(below, x, p->W);
		if (!up && !down) {
			fputs(is_blank(above, x) ? " " : "─", p->out);
			continue;
		}
		bool left = x > 0 && !is_blank(above, x - 1);
		bool right = x < p->W - 1 && !is_blank(above, x + 1);
		fputs(ch[(up << 3) | (down << 2) | (left << 1) | right], p->out);
	}
	fputc('\n', p->out);
}

/* ---- bands -------------------------------------------------------------- */

static int carry_find(struct printer *p, int x0)
{
	for (int i = 0; i < p->n_carry; i++)
		if (p->carry_x0[i] == x0)
			return i;
	return -1;
}

static void band_out(struct printer *p, struct band *b)
{
	assert(b->n > 0 && b->n <= MAX_CELLS);
	assert(b->c[0].x0 == 0 && b->c[b->n - 1].x1 == p->W - 1);
	if (!p->joined)
		rule(p, p->have_prev ? &p->prev : NULL, b);
	p->joined = false;

	char **lines[MAX_CELLS];
	int n[MAX_CELLS], height = 1;
	for (int i = 0; i < b->n; i++) {
		assert(i == 0 || b->c[i].x0 == b->c[i - 1].x1);
		int w = b->c[i].x1 - b->c[i].x0 - 3;
		assert(w >= 1);
		int ci = carry_find(p, b->c[i].x0);
		if (ci >= 0 && !b->c[i].text) {
			/* the merged cell above goes on here */
			lines[i] = p->carry_lines[ci];
			n[i] = p->carry_n[ci];
			p->carry_lines[ci] = NULL;
			p->carry_n[ci] = 0;
		} else {
			lines[i] = wrap(b->c[i].text, w, &n[i]);
		}
		int need = b->c[i].open ? (n[i] > 0 ? 1 : 0) : n[i];
		if (need > height)
			height = need;
	}
	/* forget carries: what is not taken now was taken above */
	for (int i = 0; i < p->n_carry; i++) {
		for (int k = 0; k < p->carry_n[i]; k++)
			free(p->carry_lines[i][k]);
		free(p->carry_lines[i]);
	}
	p->n_carry = 0;

	for (int row = 0; row < height; row++) {
		for (int i = 0; i < b->n; i++) {
			int w = b->c[i].x1 - b->c[i].x0 - 3;
			fputs("│ ", p->out);
			put_padded(p, row < n[i] ? lines[i][row] : NULL, w, b->c[i].align);
			fputc(' ', p->out);
		}
		fputs("│\n", p->out);
	}
	for (int i = 0; i < b->n; i++) {
		if (b->c[i].open && n[i] > height) {
			/* the rest of a merged cell's text flows into the cell below */
			int k = p->n_carry++;
			p->carry_x0[k] = b->c[i].x0;
			p->carry_n[k] = n[i] - height;
			p->carry_lines[k] = xmalloc(sizeof(char *) * (size_t)(n[i] - height));
			for (int j = height; j < n[i]; j++)
				p->carry_lines[k][j - height] = lines[i][j];
			for (int j = 0; j < height; j++)
				free(lines[i][j]);
		} else {
			for (int j = 0; j < n[i]; j++)
				free(lines[i][j]);
		}
		free(lines[i]);
	}
	p->prev = *b;
	p->have_prev = true;
}

static void finish(struct printer *p)
{
	rule(p, p->have_prev ? &p->prev : NULL, NULL);
	for (int i = 0; i < p->n_carry; i++) {
		for (int k = 0; k < p->carry_n[i]; k++)
			free(p->carry_lines[i][k]);
		free(p->carry_lines[i]);
	}
	p->n_carry = 0;
}

/* Append a cell of content width w after the last one (w < 0: to the edge). */
static void cell(struct printer *p, struct band *b, int w, const char *text, enum align a, bool open)
{
	assert(b->n < MAX_CELLS);
	int x0 = b->n ? b->c[b->n - 1].x1 : 0;
	int x1 = w < 0 ? p->W - 1 : x0 + w + 3;
	if (x1 > p->W - 1)
		x1 = p->W - 1;
	b->c[b->n++] = (struct pcell){ x0, x1, text, a, open };
}

/* A figure as printed: right-aligned.  Text: left. */
static enum align align_of(const char *s)
{
	if (!s || !*s)
		return LEFT;
	if (strcmp(s, "—") == 0 || strcmp(s, "-") == 0)
		return RIGHT;
	num v;	/* a figure by the one grammar the rules and the sums read */
	return num_read(s, NUM_PERCENT, &v, NULL) == NUM_OK ? RIGHT : LEFT;
}

/* ---- the form ----------------------------------------------------------- */

enum { LABEL_W = 10 };	/* 项目名称, 一级指标: 5 CJK characters */

static int print_form(FILE *out, const struct form *f, int width)
{
	const struct layout *lay = layout_find(f->layout);
	if (!lay)
		lay = layout_find(DEFAULT_LAYOUT);
	assert(lay);
	if (width > 132)
		width = 132;
	if (width < 80)
		width = 80;
	struct printer P = { .out = out, .W = width };
	struct printer *p = &P;
	int inner = width - 1;	/* sum of (w + 3) over a band's cells */

	/* title */
	char title[64];
	if (f->year > 0)
		snprintf(title, sizeof title, "项目支出绩效自评表（%d年度）", f->year);
	else	/* a blank form: the year to be written in */
		snprintf(title, sizeof title, "项目支出绩效自评表（    年度）");
	struct band b = { .n = 0 };
	cell(p, &b, -1, title, CENTER, false);
	band_out(p, &b);

	/* header: label | value (| label | value) */
	int half = (inner - 2 * (LABEL_W + 3)) / 2 - 3;
	b.n = 0;
	cell(p, &b, LABEL_W, "项目名称", LEFT, false);
	cell(p, &b, -1, f->project, LEFT, false);
	band_out(p, &b);
	b.n = 0;
	cell(p, &b, LABEL_W, "主管部门", LEFT, false);
	cell(p, &b, half, f->department, LEFT, false);
	cell(p, &b, LABEL_W, "实施单位", LEFT, false);
	cell(p, &b, -1, f->unit, LEFT, false);
	band_out(p, &b);
	if (lay->has_lead_phone) {
		b.n = 0;
		cell(p, &b, LABEL_W, "项目负责人", LEFT, false);
		cell(p, &b, half, f->lead, LEFT, false);
		cell(p, &b, LABEL_W, "联系电话", LEFT, false);
		cell(p, &b, -1, f->phone, LEFT, false);
		band_out(p, &b);
	}

	/* 项目资金（万元）: label over five rows, row labels, six figures */
	/* figures never wrap where the width allows: each column as wide as
	 * its widest figure, the row labels take what is left (up to 18) */
	int need[FUND_COLS], sum_need = 0;
	for (int c = 0; c < FUND_COLS; c++) {
		need[c] = 4;
		for (int r = 0; r < FUND_ROWS; r++) {
			int vw = f->funds[r][c] ? ustr_width(f->funds[r][c]) : 0;
			if (vw > need[c])
				need[c] = vw > 16 ? 16 : vw;
		}
		sum_need += need[c] + 3;
	}
	int avail = inner - (LABEL_W + 3) - (8 + 3);
	int rowlab = 8, numw[FUND_COLS];
	if (sum_need <= avail) {
		int extra = avail - sum_need;
		int give = extra < 10 ? extra : 10;
		rowlab += give;
		extra -= give;
		for (int c = 0; c < FUND_COLS; c++)
			numw[c] = need[c] + extra / FUND_COLS;
	} else {
		for (int c = 0; c < FUND_COLS; c++)
			numw[c] = avail / FUND_COLS - 3;
	}
	b.n = 0;
	cell(p, &b, LABEL_W, "项目资金\n（万元）", LEFT, true);
	cell(p, &b, rowlab, NULL, LEFT, false);
	for (int c = 0; c < FUND_COLS; c++)
		cell(p, &b, c == FUND_COLS - 1 ? -1 : numw[c], fund_col_label[c], RIGHT, false);
	band_out(p, &b);
	for (int r = 0; r < FUND_ROWS; r++) {
		b.n = 0;
		p->joined = r > 0;	/* one block of figures, as on screen */
		cell(p, &b, LABEL_W, NULL, LEFT, r < FUND_ROWS - 1);
		cell(p, &b, rowlab, fund_row_label[r], LEFT, false);
		for (int c = 0; c < FUND_COLS; c++)
			cell(p, &b, c == FUND_COLS - 1 ? -1 : numw[c], f->funds[r][c], RIGHT, false);
		band_out(p, &b);
	}

	/* 年度总体目标: each text under its label, in one cell */
	int goalw = (inner - (LABEL_W + 3)) / 2 - 3;
	char *exp = xmalloc(strlen("预期目标\n") + strlen(f->goals_expected ? f->goals_expected : "") + 1);
	char *ach = xmalloc(strlen("实际完成情况\n") + strlen(f->goals_achieved ? f->goals_achieved : "") + 1);
	sprintf(exp, "预期目标\n%s", f->goals_expected ? f->goals_expected : "");
	sprintf(ach, "实际完成情况\n%s", f->goals_achieved ? f->goals_achieved : "");
	b.n = 0;
	cell(p, &b, LABEL_W, "年度总体\n目标", LEFT, false);
	cell(p, &b, goalw, exp, LEFT, false);
	cell(p, &b, -1, ach, LEFT, false);
	band_out(p, &b);
	free(exp);
	free(ach);

	/* 绩效指标: the layout's columns; fixed widths for the short ones, the
	 * rest shared by the texts */
	int cols[IND_FIELDS], w[IND_FIELDS], nc = 0;
	for (int k = 0; k < IND_FIELDS; k++) {
		if (k == IND_NATURE && !lay->has_nature_col)
			continue;
		if (k == IND_UNIT_OF_MEASURE && !lay->has_unit_col)
			continue;
		cols[nc++] = k;
	}
	int fixed = 0, share_total = 0;
	static const int wide_w[IND_FIELDS] = {
		[IND_LEVEL1] = LABEL_W, [IND_LEVEL2] = 12, [IND_NATURE] = 4,
		[IND_UNIT_OF_MEASURE] = 6, [IND_WEIGHT] = 4, [IND_SCORE] = 6,
	};
	/* narrow paper: the labels wrap, the texts keep room */
	static const int narrow_w[IND_FIELDS] = {
		[IND_LEVEL1] = 6, [IND_LEVEL2] = 6, [IND_NATURE] = 2,
		[IND_UNIT_OF_MEASURE] = 4, [IND_WEIGHT] = 4, [IND_SCORE] = 5,
	};
	const int *fixed_w = width >= 110 ? wide_w : narrow_w;
	static const int share[IND_FIELDS] = {
		[IND_NAME] = 30, [IND_TARGET] = 18, [IND_ACTUAL] = 24, [IND_DEVIATION] = 28,
	};
	/* 分值 and 得分 as wide as their widest figure (总分's too): a
	 * figure never wraps */
	int fig_w[IND_FIELDS];
	memcpy(fig_w, fixed_w, sizeof fig_w);
	for (int k = IND_WEIGHT; k <= IND_SCORE; k++) {
		const char *tot = k == IND_WEIGHT ? f->total_weight : f->total_score;
		int mw = tot ? ustr_width(tot) : 0;
		for (size_t r = 0; r < f->n_ind; r++) {
			int vw = f->ind[r].v[k] ? ustr_width(f->ind[r].v[k]) : 0;
			if (vw > mw)
				mw = vw;
		}
		if (mw > 10)
			mw = 10;	/* not a figure: it may wrap */
		if (mw > fig_w[k])
			fig_w[k] = mw;
	}
	fixed_w = fig_w;
	for (int i = 0; i < nc; i++) {
		fixed += fixed_w[cols[i]];
		share_total += share[cols[i]];
	}
	int free_w = inner - 3 * nc - fixed;
	int given = 0;
	for (int i = 0; i < nc; i++) {
		int k = cols[i];
		if (share[k]) {
			w[i] = free_w * share[k] / share_total;
			if (w[i] < 4)
				w[i] = 4;
			given += w[i];
		} else {
			w[i] = fixed_w[k];
		}
	}
	(void)given;
	b.n = 0;
	for (int i = 0; i < nc; i++) {
		int k = cols[i];
		const char *lab = ind_field_label[k];
		if (k == IND_NATURE)
			lab = "性质";
		else if (k == IND_UNIT_OF_MEASURE)
			lab = "度量\n单位";
		cell(p, &b, i == nc - 1 ? -1 : w[i], lab,
		     k == IND_WEIGHT || k == IND_SCORE ? RIGHT : LEFT, false);
	}
	band_out(p, &b);
	for (size_t r = 0; r < f->n_ind; r++) {
		const struct indicator *in = &f->ind[r];
		const struct indicator *nx = r + 1 < f->n_ind ? &f->ind[r + 1] : NULL;
		const struct indicator *pv = r > 0 ? &f->ind[r - 1] : NULL;
#define SAME(a, b_, k) ((a) && (b_) && strcmp((a)->v[k] ? (a)->v[k] : "", (b_)->v[k] ? (b_)->v[k] : "") == 0)
		bool l1_cont = SAME(pv, in, IND_LEVEL1), l1_open = SAME(in, nx, IND_LEVEL1);
		bool l2_cont = l1_cont && SAME(pv, in, IND_LEVEL2);
		bool l2_open = l1_open && SAME(in, nx, IND_LEVEL2);
#undef SAME
		b.n = 0;
		for (int i = 0; i < nc; i++) {
			int k = cols[i];
			const char *v = in->v[k];
			bool open = false;
			if (k == IND_LEVEL1) {
				v = l1_cont ? NULL : v;
				open = l1_open;
			} else if (k == IND_LEVEL2) {
				v = l2_cont ? NULL : v;
				open = l2_open;
			}
			enum align a = k == IND_NATURE ? CENTER
				       : k == IND_LEVEL1 || k == IND_LEVEL2 || k == IND_NAME ||
						 k == IND_DEVIATION || k == IND_UNIT_OF_MEASURE
					       ? LEFT
					       : align_of(v);
			cell(p, &b, i == nc - 1 ? -1 : w[i], v, a, open);
		}
		band_out(p, &b);
	}

	/* 总分: over the text columns, then weight, score, grade */
	int before = 0;
	for (int i = 0; i < nc && cols[i] != IND_WEIGHT; i++)
		before += w[i] + 3;
	int wi = 0;
	while (wi < nc && cols[wi] != IND_WEIGHT)
		wi++;
	b.n = 0;
	cell(p, &b, before - 3, "总分", CENTER, false);
	if (wi < nc) {
		cell(p, &b, w[wi], f->total_weight, RIGHT, false);
		cell(p, &b, w[wi + 1], f->total_score, RIGHT, false);
		cell(p, &b, -1, f->total_grade, LEFT, false);
	}
	band_out(p, &b);
	finish(p);
	return ferror(out) ? -1 : 0;
}

int io_print_write(FILE *out, const struct form *f, int width)
{
	if (!out || !f)
		return -1;
	struct form *paper = io_paper_copy(f);	/* the cells paper never leaves blank */
	int rc = print_form(out, paper, width);
	form_free(paper);
	return rc;
}
