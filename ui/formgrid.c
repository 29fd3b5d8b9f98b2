/*
 * formgrid: laying out and drawing the form as on paper (see formgrid.h).
 *
 * Widths come from ustr (CJK is two columns); text wraps in its column and
 * is cut with "…" only where a line has no room.  Drawing is incremental: a
 * keystroke redraws the cells it changed, a cell line already on screen as
 * it is is not written again, and a band that grows shifts the lines below
 * it rather than drawing them again.
 */
#include "config.h"
#include "formgrid.h"
#include "draw.h"
#include "i18n.h"
#include "ustr.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fg_ind_v(size_t i, int f)
{
	return i < fv.live->n_ind ? fv.live->ind[i].v[f] : NULL;
}

static bool same_text(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

/* Short name of a level: "产出指标" -> "产出". */
static void short_level(const char *s, char *out, size_t len)
{
	snprintf(out, len, "%s", s ? s : "");
	size_t n = strlen(out), k = strlen("指标");
	if (n > k && strcmp(out + n - k, "指标") == 0)
		out[n - k] = 0;
}

static const char *cell_value(const struct cell *c, char *buf, size_t len)
{
	const struct check *k = fv.chk;
	if (c->flags & F_LABEL)
		return c->label;
	switch (c->comp) {
	case CP_DASH:
		return "—";
	case CP_RATE:
		return k->rate[c->frow];
	case CP_BUDGET_SCORE:
		return k->budget_score;
	case CP_TOTAL_WEIGHT: {
		/* budget weight + Σ indicator weights, exact */
		num sum, n;
		if (!num_parse(fv.live->funds[FUND_TOTAL][FUND_WEIGHT] ?
			       fv.live->funds[FUND_TOTAL][FUND_WEIGHT] : "0", &sum))
			return "";
		for (size_t i = 0; i < fv.live->n_ind; i++)
			if (fg_ind_v(i, IND_WEIGHT) && num_parse(fg_ind_v(i, IND_WEIGHT), &n))
				num_add(sum, n, &sum);
		char nb[NUM_BUFSZ];
		snprintf(buf, len, "%s", num_str(sum, nb));
		return buf;
	}
	case CP_TOTAL_SCORE:
		return k->total_score;
	case CP_GRADE:
	case CP_TOTAL_LINE: {
		const char *pre = c->comp == CP_TOTAL_LINE ? "总分　" : "";
		if (k->suggested_total[0] && strcmp(k->suggested_total, k->total_score) != 0) {
			char sug[64];
			snprintf(sug, sizeof sug, _("suggested %s"), k->suggested_total);
			snprintf(buf, len, "%s%s（%s）", pre, k->grade, sug);
		} else
			snprintf(buf, len, "%s%s", pre, k->grade);
		return buf;
	}
	default:
		break;
	}
	if (c->pick == PK_LEVELS) {
		char a[64], b[64];
		short_level(fg_ind_v(c->ind, IND_LEVEL1), a, sizeof a);
		short_level(fg_ind_v(c->ind, IND_LEVEL2), b, sizeof b);
		snprintf(buf, len, "%s%s%s", a, *a && *b ? "·" : "", b);
		return buf;
	}
	if (c->ind >= 0) {
		const char *v = fg_ind_v(c->ind, c->fld);
		if (c->fld == IND_LEVEL1 && fv.lay->group_weights && c->vspan >= 1 &&
		    !(c->flags & F_COVERED) && v && *v && !strstr(v, "分)") && !strstr(v, "分）")) {
			num sum = num_from_int(0), n;
			for (int i = c->ind; i < c->ind + c->vspan; i++)
				if (fg_ind_v(i, IND_WEIGHT) && num_parse(fg_ind_v(i, IND_WEIGHT), &n))
					num_add(sum, n, &sum);
			char nb[NUM_BUFSZ];
			snprintf(buf, len, "%s (%s分)", v, num_str(sum, nb));
			return buf;
		}
		return v;
	}
	static char yscratch[FORM_SCRATCH];	/* only "year" is formatted */
	return form_get(fv.live, c->path, yscratch);
}

static bool looks_numeric(const char *s)
{
	return s && (strchr("0123456789.+-≥≤=<>", *s) != NULL && *s);
}

/* Scrub and wrap one cell; true if its line count changed.  *same (if
 * given) tells whether the text is what it was. */
bool fg_cell_refresh_text(struct cell *c, bool *same)
{
	char buf[512];
	const char *v;
	if (c->flags & F_EDIT && fv.editing && c == &fv.cells[fv.focus])
		v = fv.eb.s;
	else
		v = cell_value(c, buf, sizeof buf);
	if (same) {
		*same = c->text && strcmp(c->text, v ? v : "") == 0;
		if (*same)
			return false;
	}
	free(c->text);
	c->text = ustr_scrub(v ? v : "", (c->flags & (F_MULTI | F_LABEL)) != 0);
	int old = c->nl;
	size_t n = ustr_wrap(c->text, c->w, c->st, c->ln, (size_t)c->cap);
	if (n > (size_t)c->cap) {
		c->cap = (int)n + 4;
		c->st = realloc(c->st, (size_t)c->cap * sizeof *c->st);
		c->ln = realloc(c->ln, (size_t)c->cap * sizeof *c->ln);
		if (!c->st || !c->ln)
			abort();
		n = ustr_wrap(c->text, c->w, c->st, c->ln, (size_t)c->cap);
	}
	c->nl = (int)n;
	return c->nl != old;
}

bool fg_cell_refresh(struct cell *c)
{
	return fg_cell_refresh_text(c, NULL);
}

/* ---- layout ------------------------------------------------------------------ */

void fg_layout_free(void)
{
	for (int i = 0; i < fv.nc; i++) {
		free(fv.cells[i].text);
		free(fv.cells[i].st);
		free(fv.cells[i].ln);
	}
	for (int i = 0; i < fv.nb; i++)
		free(fv.bands[i].bd);
	fv.nc = fv.nb = 0;
	free(fv.rowcell);
	fv.rowcell = NULL;
}

static int add_band(bool sep)
{
	if (fv.nb == fv.capb) {
		fv.capb = fv.capb ? fv.capb * 2 : 64;
		fv.bands = realloc(fv.bands, (size_t)fv.capb * sizeof *fv.bands);
		if (!fv.bands)
			abort();
	}
	struct band *b = &fv.bands[fv.nb];
	memset(b, 0, sizeof *b);
	b->sep = sep;
	b->bd = calloc((size_t)fv.W + 1, 1);
	if (!b->bd)
		abort();
	return fv.nb++;
}

static struct cell *add_cell(int band, int x, int w, unsigned flags)
{
	if (fv.nc == fv.capc) {
		fv.capc = fv.capc ? fv.capc * 2 : 128;
		fv.cells = realloc(fv.cells, (size_t)fv.capc * sizeof *fv.cells);
		if (!fv.cells)
			abort();
	}
	struct cell *c = &fv.cells[fv.nc++];
	memset(c, 0, sizeof *c);
	c->band = band;
	c->vspan = 1;
	c->x = x;
	c->w = w < 1 ? 1 : w;
	c->flags = flags;
	c->ind = -1;
	c->fld = -1;
	c->mark = -1;
	c->cap = 4;
	c->st = malloc(4 * sizeof *c->st);
	c->ln = malloc(4 * sizeof *c->ln);
	if (!c->st || !c->ln)
		abort();
	return c;
}

static struct cell *label(int band, int x, int w, const char *text, unsigned flags)
{
	struct cell *c = add_cell(band, x, w, F_LABEL | flags);
	c->label = text;
	return c;
}

static struct cell *field(int band, int x, int w, const char *path, unsigned flags)
{
	struct cell *c = add_cell(band, x, w, flags);
	snprintf(c->path, sizeof c->path, "%s", path);
	if (flags & (F_EDIT | F_PICK))
		c->flags |= F_FOCUS;
	return c;
}

static struct cell *comp(int band, int x, int w, const char *path, int kind, unsigned flags)
{
	struct cell *c = add_cell(band, x, w, F_COMP | flags);
	snprintf(c->path, sizeof c->path, "%s", path);
	c->comp = kind;
	return c;
}

/* Column widths: n columns with minimum widths and flex weights filling W. */
static void split(int n, const int *minw, const int *flex, int *x, int *w)
{
	int avail = fv.W - (n + 1) - 2 * n, sum = 0, fsum = 0;
	for (int i = 0; i < n; i++) {
		w[i] = minw[i];
		sum += minw[i];
		fsum += flex[i];
	}
	int extra = avail - sum;
	while (extra < 0) {	/* too narrow: take from the widest */
		int wi = 0;
		for (int i = 1; i < n; i++)
			if (w[i] > w[wi])
				wi = i;
		if (w[wi] <= 1)
			break;
		w[wi]--;
		extra++;
	}
	if (extra > 0 && fsum > 0) {
		int given = 0, last = -1;
		for (int i = 0; i < n; i++)
			if (flex[i]) {
				int add = extra * flex[i] / fsum;
				w[i] += add;
				given += add;
				last = i;
			}
		w[last] += extra - given;
	}
	x[0] = 2;
	for (int i = 1; i < n; i++)
		x[i] = x[i - 1] + w[i - 1] + 3;
}

/* The x and width of columns a..b taken as one cell. */
static void span(const int *x, const int *w, int a, int b, int *sx, int *sw)
{
	*sx = x[a];
	*sw = x[b] + w[b] - x[a];
}

void fg_ind_path(char *buf, size_t len, size_t i, int f)
{
	snprintf(buf, len, "indicators[%zu].%s", i, ind_field_key[f]);
}

static void build_indicators(void)
{
	const struct form *f = fv.live;
	char p[48];
	bool nat = fv.lay->has_nature_col, uom = fv.lay->has_unit_col;
	int cols[12], n = 0;
	int minw[12], flex[12], x[12], w[12];
#define COL(field, mw, fl) (cols[n] = (field), minw[n] = (mw), flex[n] = (fl), n++)
	if (!fv.narrow) {
		COL(IND_LEVEL1, 10, 0);
		COL(IND_LEVEL2, 12, 0);
		COL(IND_NAME, 12, 3);
		if (nat)
			COL(IND_NATURE, 4, 0);
		COL(IND_TARGET, 10, 1);
		if (uom)
			COL(IND_UNIT_OF_MEASURE, 4, 0);
		COL(IND_ACTUAL, 10, 2);
		COL(IND_WEIGHT, 4, 0);
		COL(IND_SCORE, 6, 0);
		COL(IND_DEVIATION, 12, 3);
	} else {
		COL(IND_LEVEL1, 10, 0);	/* 一级·二级 */
		COL(IND_NAME, 12, 3);
		if (nat)
			COL(IND_NATURE, 4, 0);
		COL(IND_TARGET, 7, 1);
		COL(IND_ACTUAL, 7, 1);
		COL(IND_WEIGHT, 4, 0);
		COL(IND_SCORE, 6, 0);
	}
#undef COL
	split(n, minw, flex, x, w);
	static const char *const head[IND_FIELDS] = {
		"一级指标", "二级指标", "三级指标", "性质", "年度指标值", "度量单位",
		"实际完成值", "分值", "得分", "偏差原因分析及改进措施",
	};
	static const char *const head_narrow[IND_FIELDS] = {
		"一级·二级", "", "三级指标", "性质", "指标值", "", "完成值", "分值", "得分", "",
	};
	int b = add_band(true);
	for (int k = 0; k < n; k++) {
		int fld = cols[k];
		bool isnum = fld == IND_WEIGHT || fld == IND_SCORE;
		label(b, x[k], w[k], fv.narrow ? head_narrow[fld] : head[fld],
		      isnum ? F_NUM : fld == IND_NATURE ? F_CENTER : 0);
	}
	fv.rowcell = malloc((f->n_ind ? f->n_ind : 1) * IND_FIELDS * sizeof *fv.rowcell);
	if (!fv.rowcell)
		abort();
	for (size_t i = 0; i < f->n_ind * IND_FIELDS; i++)
		fv.rowcell[i] = -1;
	if (f->n_ind == 0) {
		b = add_band(true);
		int sx, sw;
		span(x, w, 0, n - 1, &sx, &sw);
		label(b, sx, sw, _("(no indicator rows yet: F3 adds one)"), F_CENTER);
	}
	for (size_t i = 0; i < f->n_ind; i++) {
		b = add_band(!fv.narrow || i == 0);	/* narrow: compact, as the mock-up */
		for (int k = 0; k < n; k++) {
			int fld = cols[k];
			fg_ind_path(p, sizeof p, i, fld);
			unsigned fl = 0;
			struct cell *c;
			switch (fld) {
			case IND_LEVEL1:
			case IND_LEVEL2:
				fl = F_PICK;
				break;
			case IND_NATURE:
				fl = F_PICK | F_CENTER;
				break;
			case IND_WEIGHT:
			case IND_SCORE:
				fl = F_EDIT | F_NUM;
				break;
			case IND_TARGET:
			case IND_ACTUAL:
				fl = F_EDIT | F_AUTO;
				break;
			case IND_DEVIATION:
				fl = F_EDIT | F_MULTI;
				break;
			default:
				fl = F_EDIT;
			}
			c = field(b, x[k], w[k], p, fl);
			c->ind = (int)i;
			c->fld = fld;
			fv.rowcell[i * IND_FIELDS + (size_t)fld] = (int)(c - fv.cells);
			if (fv.narrow && fld == IND_LEVEL1) {
				c->pick = PK_LEVELS;
				continue;
			}
			c->pick = fld == IND_LEVEL1 ? PK_LEVEL1 : fld == IND_LEVEL2 ? PK_LEVEL2 :
				  fld == IND_NATURE ? PK_NATURE : PK_NONE;
			if (fv.narrow || (fld != IND_LEVEL1 && fld != IND_LEVEL2))
				continue;
			/* Merged cells: a row that repeats the 一级 (and 二级) of the row
			 * above sits under that row's cell. */
			bool cont1 = i > 0 && same_text(fg_ind_v(i, IND_LEVEL1), fg_ind_v(i - 1, IND_LEVEL1));
			bool cont = fld == IND_LEVEL1 ? cont1 :
				    cont1 && same_text(fg_ind_v(i, IND_LEVEL2), fg_ind_v(i - 1, IND_LEVEL2));
			if (cont) {
				c->flags |= F_COVERED;
				continue;
			}
			size_t j = i + 1;
			while (j < f->n_ind && same_text(fg_ind_v(j, IND_LEVEL1), fg_ind_v(i, IND_LEVEL1)) &&
			       (fld == IND_LEVEL1 || same_text(fg_ind_v(j, IND_LEVEL2), fg_ind_v(i, IND_LEVEL2))))
				j++;
			c->vspan = (int)(j - i);
		}
		if (fv.narrow) {
			/* the rest of the row lives in the detail panel */
			int px = 2, pw = fv.W - 4;
			int lw = ustr_width("偏差原因分析及改进措施") + 1;
			struct cell *c;
			if (uom) {
				fg_ind_path(p, sizeof p, i, IND_UNIT_OF_MEASURE);
				c = field(b, px + ustr_width("绩效度量单位") + 1, 8, p, F_EDIT | F_PANEL);
				c->ind = (int)i;
				c->fld = IND_UNIT_OF_MEASURE;
				c->py = 2;
				c->ph = 1;
				fv.rowcell[i * IND_FIELDS + IND_UNIT_OF_MEASURE] = (int)(c - fv.cells);
			}
			fg_ind_path(p, sizeof p, i, IND_DEVIATION);
			c = field(b, px + lw, pw - lw, p, F_EDIT | F_MULTI | F_PANEL);
			c->ind = (int)i;
			c->fld = IND_DEVIATION;
			c->py = 3;
			c->ph = 2;
			fv.rowcell[i * IND_FIELDS + IND_DEVIATION] = (int)(c - fv.cells);
		}
	}
	/* 总分 */
	b = add_band(true);
	int wi = -1, si = -1;
	for (int k = 0; k < n; k++) {
		if (cols[k] == IND_WEIGHT)
			wi = k;
		if (cols[k] == IND_SCORE)
			si = k;
	}
	assert(wi > 0 && si == wi + 1);
	int sx, sw;
	span(x, w, 0, wi - 1, &sx, &sw);
	if (fv.narrow)
		comp(b, sx, sw, "total.grade", CP_TOTAL_LINE, F_CENTER);
	else
		label(b, sx, sw, "总分", F_CENTER);
	comp(b, x[wi], w[wi], "total.weight", CP_TOTAL_WEIGHT, F_NUM);
	comp(b, x[si], w[si], "total.score", CP_TOTAL_SCORE, F_NUM);
	if (si + 1 < n) {
		span(x, w, si + 1, n - 1, &sx, &sw);
		comp(b, sx, sw, "total.grade", CP_GRADE, 0);
	}
}

void fg_build(void)
{
	fg_layout_free();
	fv.W = COLS;
	fv.H = LINES;
	fv.narrow = fv.W < 116;
	const struct form *f = fv.live;
	int x[10], w[10], b;
	char p[48];

	snprintf(fv.title, sizeof fv.title, "项目支出绩效自评表（%d年度）", f->year);
	b = add_band(true);
	label(b, 2, fv.W - 4, fv.title, F_CENTER);

	{	/* 项目名称 */
		static const int mw[] = { 10, 10 }, fl[] = { 0, 1 };
		split(2, mw, fl, x, w);
		b = add_band(true);
		label(b, x[0], w[0], "项目名称", 0);
		field(b, x[1], w[1], "project", F_EDIT);
	}
	{	/* 主管部门 / 实施单位, 项目负责人 / 联系电话 */
		static const int mw[] = { 10, 10, 10, 10 }, fl[] = { 0, 1, 0, 1 };
		split(4, mw, fl, x, w);
		b = add_band(true);
		label(b, x[0], w[0], "主管部门", 0);
		field(b, x[1], w[1], "department", F_EDIT);
		label(b, x[2], w[2], "实施单位", 0);
		field(b, x[3], w[3], "unit", F_EDIT);
		if (fv.lay->has_lead_phone) {
			b = add_band(true);
			label(b, x[0], w[0], "项目负责人", 0);
			field(b, x[1], w[1], "lead", F_EDIT);
			label(b, x[2], w[2], "联系电话", 0);
			field(b, x[3], w[3], "phone", F_EDIT);
		}
	}
	{	/* 项目资金 */
		static const char *const short_row[FUND_ROWS] = {
			"年度资金总额", "当年财政拨款", "上年结转资金", "其他资金",
		};
		int off;
		if (!fv.narrow) {
			static const int mw[] = { 10, 18, 8, 8, 8, 6, 8, 8 };
			static const int fl[] = { 0, 0, 1, 1, 1, 1, 1, 1 };
			split(8, mw, fl, x, w);
			off = 1;
			b = add_band(true);
			struct cell *c = label(b, x[0], w[0], "项目资金\n（万元）", 0);
			c->vspan = 1 + FUND_ROWS;
			label(b, x[1], w[1], "", 0);
		} else {
			static const int mw[] = { 12, 8, 8, 8, 4, 7, 6 };
			static const int fl[] = { 0, 2, 2, 2, 0, 1, 1 };
			split(7, mw, fl, x, w);
			off = 0;
			b = add_band(true);
			int sx, sw;
			span(x, w, 0, 6, &sx, &sw);
			label(b, sx, sw, "项目资金（万元）", 0);
			b = add_band(true);
			label(b, x[0], w[0], "", 0);
		}
		for (int k = 0; k < FUND_COLS; k++)
			label(b, x[off + 1 + k], w[off + 1 + k], fund_col_label[k], F_NUM);
		for (int r = 0; r < FUND_ROWS; r++) {
			b = add_band(false);
			label(b, x[off], w[off], fv.narrow ? short_row[r] : fund_row_label[r], 0);
			for (int k = 0; k < FUND_COLS; k++) {
				int cx = x[off + 1 + k], cw = w[off + 1 + k];
				snprintf(p, sizeof p, "funds.%s.%s", fund_row_key[r], fund_col_key[k]);
				struct cell *c;
				if (k == FUND_RATE)
					c = comp(b, cx, cw, p, CP_RATE, F_NUM);
				else if (k == FUND_SCORE)
					c = comp(b, cx, cw, p, r == FUND_TOTAL ? CP_BUDGET_SCORE : CP_DASH, F_NUM);
				else if (k == FUND_WEIGHT && r != FUND_TOTAL)
					c = comp(b, cx, cw, p, CP_DASH, F_NUM);
				else
					c = field(b, cx, cw, p, F_EDIT | F_NUM);
				c->frow = r;
			}
		}
	}
	if (fv.W >= 100) {	/* 年度总体目标, side by side */
		static const int mw[] = { 10, 20, 20 }, fl[] = { 0, 1, 1 };
		split(3, mw, fl, x, w);
		b = add_band(true);
		struct cell *c = label(b, x[0], w[0], "年度总体\n目标", 0);
		c->vspan = 2;
		label(b, x[1], w[1], "预期目标", 0);
		label(b, x[2], w[2], "实际完成情况", 0);
		b = add_band(false);
		field(b, x[1], w[1], "goals.expected", F_EDIT | F_MULTI);
		field(b, x[2], w[2], "goals.achieved", F_EDIT | F_MULTI);
	} else {		/* stacked */
		static const int mw[] = { 10, 10 }, fl[] = { 0, 1 };
		split(2, mw, fl, x, w);
		b = add_band(true);
		label(b, 2, fv.W - 4, "年度总体目标", 0);
		b = add_band(true);
		label(b, x[0], w[0], "预期目标", 0);
		field(b, x[1], w[1], "goals.expected", F_EDIT | F_MULTI);
		b = add_band(true);
		label(b, x[0], w[0], "实际完成\n情况", 0);
		field(b, x[1], w[1], "goals.achieved", F_EDIT | F_MULTI);
	}
	fv.nhdr = fv.nc;
	build_indicators();

	/* Borders of each band: the edges of every cell over it. */
	for (int i = 0; i < fv.nc; i++) {
		struct cell *c = &fv.cells[i];
		if (c->flags & F_PANEL)
			continue;
		for (int k = c->band; k < c->band + c->vspan && k < fv.nb; k++) {
			struct band *bb = &fv.bands[k];
			if (c->x - 2 >= 0)
				bb->bd[c->x - 2] |= 1;
			if (c->x + c->w + 1 <= fv.W)
				bb->bd[c->x + c->w + 1] |= 1;
			if (k > c->band)	/* merged: no rule above this band here */
				for (int xx = c->x - 1; xx <= c->x + c->w && xx < fv.W; xx++)
					bb->bd[xx] |= 2;
		}
	}
	for (int k = 0; k < fv.nb; k++) {
		fv.bands[k].bd[0] |= 1;
		fv.bands[k].bd[fv.W - 1] |= 1;
	}

	/* Screen regions. */
	fv.panel_h = fv.narrow ? 6 : 0;
	fv.body_top = 1;
	fv.body_h = fv.H - 4 - fv.panel_h;
	fv.panel_y = fv.body_top + fv.body_h;
	fv.status_y = fv.H - 3;
	for (int i = 0; i < fv.nc; i++)
		fg_cell_refresh(&fv.cells[i]);
	fv.full = true;
}

/* Band heights and positions from the cells' line counts. */
void fg_measure(void)
{
	for (int k = 0; k < fv.nb; k++)
		fv.bands[k].h = 1;
	for (int i = 0; i < fv.nc; i++) {
		struct cell *c = &fv.cells[i];
		if (c->vspan == 1 && !(c->flags & (F_PANEL | F_COVERED)) && c->nl > fv.bands[c->band].h)
			fv.bands[c->band].h = c->nl;
	}
	int y = 0;
	for (int k = 0; k < fv.nb; k++) {
		struct band *b = &fv.bands[k];
		y += b->sep ? 1 : 0;
		b->y = y;
		y += b->h;
		/* a merged cell taller than its rows stretches its last row */
		for (int i = 0; i < fv.nc; i++) {
			struct cell *c = &fv.cells[i];
			if (c->vspan > 1 && c->band + c->vspan - 1 == k) {
				int have = y - fv.bands[c->band].y;
				if (c->nl > have) {
					b->h += c->nl - have;
					y += c->nl - have;
				}
			}
		}
	}
	fv.form_h = y + 1;
}

/* Form lines of a cell: first line and count. */
static void cell_rows(const struct cell *c, int *y, int *h)
{
	const struct band *b = &fv.bands[c->band];
	const struct band *e = &fv.bands[c->band + c->vspan - 1];
	*y = b->y;
	*h = e->y + e->h - b->y;
}

/* ---- marks ------------------------------------------------------------------- */

int fg_cell_for_path(const char *path)
{
	size_t i;
	const char *rest;
	if (strncmp(path, "indicators[", 11) == 0) {
		char *end;
		i = strtoul(path + 11, &end, 10);
		if (*end != ']' || i >= fv.live->n_ind)
			return -1;
		rest = end + 1;
		if (*rest == '.')
			rest++;
		for (int f = 0; f < IND_FIELDS; f++)
			if (strcmp(rest, ind_field_key[f]) == 0) {
				int c = fv.rowcell[i * IND_FIELDS + (size_t)f];
				if (c < 0 && fv.narrow && f == IND_LEVEL2)
					c = fv.rowcell[i * IND_FIELDS + IND_LEVEL1];
				return c;
			}
		return fv.rowcell[i * IND_FIELDS + IND_NAME];
	}
	for (int k = 0; k < fv.nc; k++)
		if (fv.cells[k].path[0] && strcmp(fv.cells[k].path, path) == 0)
			return k;
	return -1;
}

/* Recompute marks; returns how many cells changed (their index in changed[]). */
void fg_marks(int *changed, int *nchanged, int max)
{
	int *m = calloc((size_t)fv.nc, sizeof *m);
	if (!m)
		abort();
	for (int i = 0; i < fv.nc; i++)
		m[i] = -1;
	for (size_t k = 0; k < fv.chk->n_findings; k++) {
		const struct finding *fd = &fv.chk->findings[k];
		if (fd->severity == SEV_NOTE)
			continue;
		int c = fg_cell_for_path(fd->field);
		if (c >= 0 && (m[c] < 0 || (int)fd->severity < m[c]))
			m[c] = (int)fd->severity;
	}
	*nchanged = 0;
	for (int i = 0; i < fv.nc; i++)
		if (fv.cells[i].mark != m[i]) {
			fv.cells[i].mark = m[i];
			if (*nchanged < max)
				changed[*nchanged] = i;
			(*nchanged)++;
		}
	free(m);
}

void fg_recheck(void)
{
	if (rules_run(fv.live, fv.d.rs, fv.chk) < 0) {
		check_free(fv.chk);
		fv.chk = check_new(fv.live->n_ind * 2 + 8);
		rules_run(fv.live, fv.d.rs, fv.chk);
	}
}

/* ---- drawing ------------------------------------------------------------------ */

/* The editor's cursor on screen, computed once per change (wrapping is the
 * costly part of it). */
static struct { const char *s; size_t len, cur; int w, line, col; bool ok; } cpos;

static void cursor_pos(int w, int *line, int *col)
{
	if (!cpos.ok || cpos.s != fv.eb.s || cpos.len != fv.eb.len || cpos.cur != fv.eb.cur || cpos.w != w) {
		const struct cell *c = fv.focus >= 0 ? &fv.cells[fv.focus] : NULL;
		if (c && c->w == w && c->text && c->nl > 0 && strcmp(c->text, fv.eb.s) == 0) {
			/* the cell is wrapped already: the same lines ustr_wrap gives */
			int i = 0;
			while (i + 1 < c->nl && c->st[i + 1] <= fv.eb.cur)
				i++;
			size_t end = c->st[i] + c->ln[i], upto = fv.eb.cur < end ? fv.eb.cur : end;
			cpos.line = i;
			cpos.col = upto > c->st[i] ? ustr_width_n(c->text + c->st[i], upto - c->st[i]) : 0;
		} else
			eb_cursor_pos(&fv.eb, w, &cpos.line, &cpos.col);
		cpos.s = fv.eb.s;
		cpos.len = fv.eb.len;
		cpos.cur = fv.eb.cur;
		cpos.w = w;
		cpos.ok = true;
	}
	*line = cpos.line;
	*col = cpos.col;
}

/* Lines outside the form (top bar, status, keys) are drawn only when their
 * text changed: most keystrokes leave them as they were. */
static char *shown[8];
enum { SH_TOP, SH_KEYS, SH_STATUS0, SH_STATUS1, SH_COUNT };

static bool unchanged(int slot, const char *text)
{
	if (shown[slot] && strcmp(shown[slot], text) == 0)
		return true;
	free(shown[slot]);
	shown[slot] = xstrdup(text);
	return false;
}

static void drawn_clear(void);

void fg_forget_shown(void)
{
	drawn_clear();
	for (int i = 0; i < SH_COUNT; i++) {
		free(shown[i]);
		shown[i] = NULL;
	}
}

static int sy(int fy)
{
	return fv.body_top + fy - fv.top;
}

static void draw_sep(int k)
{
	const struct band *b = &fv.bands[k];
	int y = sy(b->y - 1);
	if (!draw_visible(y))
		return;
	const unsigned char *up = k > 0 ? fv.bands[k - 1].bd : NULL;
	unsigned char arms[1024];
	int W = fv.W < 1024 ? fv.W : 1024;
	for (int x = 0; x < W; x++) {
		bool hl = x > 0 && !(b->bd[x - 1] & 2), hr = x + 1 < W && !(b->bd[x + 1] & 2);
		bool u = up && (up[x] & 1), d = b->bd[x] & 1;
		if (u || d)
			arms[x] = (unsigned char)((u ? ARM_UP : 0) | (d ? ARM_DOWN : 0) |
						  (hl ? ARM_LEFT : 0) | (hr ? ARM_RIGHT : 0));
		else
			arms[x] = (b->bd[x] & 2) ? 0 : ARM_LEFT | ARM_RIGHT;
	}
	draw_rule(y, 0, arms, W);
}

static void draw_bottom(void)
{
	int y = sy(fv.form_h - 1);
	if (!draw_visible(y) || fv.nb == 0)
		return;
	const unsigned char *up = fv.bands[fv.nb - 1].bd;
	unsigned char arms[1024];
	int W = fv.W < 1024 ? fv.W : 1024;
	for (int x = 0; x < W; x++)
		arms[x] = (unsigned char)(((up[x] & 1) ? ARM_UP : 0) | (x > 0 ? ARM_LEFT : 0) |
					  (x + 1 < W ? ARM_RIGHT : 0));
	draw_rule(y, 0, arms, W);
}

static void draw_band_borders(int k)
{
	const struct band *b = &fv.bands[k];
	for (int l = 0; l < b->h; l++) {
		int y = sy(b->y + l);
		if (!draw_visible(y))
			continue;
		for (int x = 0; x < fv.W; x++)
			if (b->bd[x] & 1)
				draw_vbar(y, x);
	}
}

static bool focused(const struct cell *c)
{
	return fv.focus >= 0 && c == &fv.cells[fv.focus];
}

/* One line of a cell at screen line y (text line i, or blank). */
/* What each cell line on screen shows, by position: a line drawn again
 * with the same text and attributes is skipped (ncurses' per-character
 * cost is most of a keystroke's).  Forgotten whenever the screen is wiped. */
#define DRAWN_SLOTS 4096
static struct { uint32_t key, h; } drawn[DRAWN_SLOTS];

static void drawn_clear(void)
{
	memset(drawn, 0, sizeof drawn);
}

/* True if (y, x) already shows h; otherwise records it. */
static bool drawn_same(int y, int x, uint32_t h)
{
	uint32_t key = ((uint32_t)y << 16 | (uint32_t)x) + 1;
	uint32_t i = (key * 2654435761u) % DRAWN_SLOTS;
	for (int probe = 0; probe < 8; probe++, i = (i + 1) % DRAWN_SLOTS) {
		if (drawn[i].key == key) {
			if (drawn[i].h == h)
				return true;
			drawn[i].h = h;
			return false;
		}
		if (drawn[i].key == 0) {
			drawn[i].key = key;
			drawn[i].h = h;
			return false;
		}
	}
	return false;	/* crowded: just draw */
}

static uint32_t hash_bytes(const char *s, size_t n, uint32_t h)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* One line of a cell; false if it was already on screen as it is. */
static bool cell_line(const struct cell *c, int y, int i, attr_t at)
{
	const char *s = "";
	size_t len = 0;
	if (i >= 0 && i < c->nl) {
		s = c->text + c->st[i];
		len = c->ln[i];
	}
	enum align al = AL_LEFT;
	if (c->flags & F_NUM || ((c->flags & F_AUTO) && looks_numeric(c->text)))
		al = AL_RIGHT;
	else if (c->flags & F_CENTER)
		al = AL_CENTER;
	if (c->flags & F_LABEL && !(c->flags & F_CENTER) && c->x == 2 && c->w <= 12)
		at |= draw_attr(ST_LABEL);
	/* the cell and its padding in one write */
	char sb[1024], *b = sb;
	if (len + 3 > sizeof sb) {
		b = malloc(len + 3);
		if (!b)
			abort();
	}
	size_t n = 0;
	if (al != AL_RIGHT)
		b[n++] = ' ';
	memcpy(b + n, s, len);
	n += len;
	if (al != AL_LEFT)
		b[n++] = ' ';
	bool drew = true;
	if (!draw_visible(y)) {
		drew = false;
	} else {
		uint32_t h = hash_bytes(b, n, 2166136261u);
		h = hash_bytes((const char *)&at, sizeof at, h);
		h = (h ^ (uint32_t)(al * 7 + c->w * 131 + (c->mark + 2) * 65599)) * 16777619u;
		if (c->flags & F_PANEL || !drawn_same(y, c->x, h))
			draw_text(y, c->x - 1, c->w + 2, b, n, al, at);
		else
			drew = false;
	}
	if (b != sb)
		free(b);
	return drew;
}

void fg_draw_cell(const struct cell *c)
{
	attr_t at = focused(c) ? draw_attr(ST_FOCUS) : A_NORMAL;
	int first = 0;
	if (c->flags & F_PANEL) {
		if (!fv.narrow || c->ind != fv.row_ctx)
			return;
		int cl = 0, cc = 0;
		if (fv.editing && focused(c))
			cursor_pos(c->w, &cl, &cc);
		if (cl >= c->ph)
			first = cl - c->ph + 1;
		draw_clip(0, LINES);
		for (int l = 0; l < c->ph; l++)
			cell_line(c, fv.panel_y + c->py + l, first + l, at);
		if (c->mark >= 0)
			draw_text(fv.panel_y + c->py, c->x - 1, 1, draw_mark(c->mark), strlen(draw_mark(c->mark)),
				  AL_LEFT, at | draw_attr(c->mark == 0 ? ST_ERROR : ST_WARNING));
		draw_clip(fv.body_top, fv.body_top + fv.body_h);
		return;
	}
	int y, h;
	if (c->flags & F_COVERED) {
		/* shown only when focused: its own row of the merged cell */
		if (!focused(c))
			return;
		const struct band *b = &fv.bands[c->band];
		y = b->y;
		h = b->h;
		for (int l = 0; l < h; l++)
			cell_line(c, sy(y + l), l == 0 ? 0 : -1, at);
		return;
	}
	cell_rows(c, &y, &h);
	bool first_drawn = false;
	for (int l = 0; l < h; l++)
		if (cell_line(c, sy(y + l), l, at) && l == 0)
			first_drawn = true;
	if (c->mark >= 0 && first_drawn) {
		const char *m = draw_mark(c->mark);
		draw_text(sy(y), c->x - 1, 1, m, strlen(m), AL_LEFT,
			  at | draw_attr(c->mark == 0 ? ST_ERROR : ST_WARNING));
	}
}

static const char *status_name(enum form_status s)
{
	static const char *const names[] = { "草稿", "已提交", "已退回", "已通过" };
	return names[s];
}

void fg_draw_top(struct app *a)
{
	char left[1024], right[512], sug[128] = "";
	const struct form *f = fv.live;
	char pos[48] = "";
	if (a->mode == SCREEN_REVIEW)
		for (size_t i = 0; i < a->nids; i++)
			if (a->ids[i] == fv.id)
				snprintf(pos, sizeof pos, "%zu/%zu │ ", i + 1, a->nids);
	snprintf(left, sizeof left, " jxzp │ %s%s › %d年度 › %s", pos, f->unit ? f->unit : "",
		 f->year, f->project ? f->project : "");
	char *l = ustr_scrub(left, false);
	if (fv.chk->suggested_total[0] && strcmp(fv.chk->suggested_total, fv.chk->total_score) != 0)
		snprintf(sug, sizeof sug, "（%s）", fv.chk->suggested_total);
	char sugt[160] = "";
	if (sug[0])
		snprintf(sugt, sizeof sugt, _(" (suggested %s)"), fv.chk->suggested_total);
	snprintf(right, sizeof right, "%s%s%s │ 总分 %s%s %s ", status_name(f->status),
		 fv.saved[0] ? " · " : "", fv.saved, fv.chk->total_score[0] ? fv.chk->total_score : "—",
		 sugt, fv.chk->grade);
	char both[2048];
	snprintf(both, sizeof both, "%s\x01%s", l, right);
	if (!unchanged(SH_TOP, both)) {
		draw_clip(0, LINES);
		draw_bar(0, l, right);
	}
	free(l);
}

void fg_draw_keys(void)
{
	char buf[512];
	int n = fv.chk->errors + fv.chk->warnings;
	if (fv.W >= 116)
		snprintf(buf, sizeof buf,
			 _(" F1 help  Tab next  Enter edit  F2 take suggested  F3 add row  F4 delete row  F5 findings(%d)  F8 submit  Ctrl-Z undo  Esc list"),
			 n);
	else
		snprintf(buf, sizeof buf, _(" F1 help Tab next F2 suggested F3 row F5 findings(%d) ^Z undo Esc list"), n);
	if (unchanged(SH_KEYS, buf))
		return;
	draw_clip(0, LINES);
	draw_bar(LINES - 1, buf, NULL);
}

/* The two lines under the form: a message, the focused field's findings,
 * or the suggested score. */
static void status_lines(char line[2][1024], int sev[2])
{
	int n_l = 0;
	line[0][0] = line[1][0] = 0;
	sev[0] = sev[1] = -1;
	if (fv.msg[0]) {
		snprintf(line[n_l], 1024, "%s", fv.msg);
		sev[n_l++] = fv.msg_sev;
	}
	if (fv.focus < 0)
		return;
	const struct cell *c = &fv.cells[fv.focus];
	const struct finding *out[8];
	size_t n = rules_findings_for(fv.chk, c->path, out, 8);
	if (c->pick == PK_LEVELS && n == 0) {
		char p2[48];
		fg_ind_path(p2, sizeof p2, (size_t)c->ind, IND_LEVEL2);
		n = rules_findings_for(fv.chk, p2, out, 8);
	}
	char lab[128];
	form_path_label(c->path, lab, sizeof lab);
	for (size_t i = 0; i < n && n_l < 2; i++) {
		if (out[i]->severity == SEV_NOTE)
			continue;	/* the suggestion line below says it */
		char ex[256] = "";
		if (out[i]->expected[0])
			snprintf(ex, sizeof ex, _(" (expected %s, found %s)"), out[i]->expected,
				 out[i]->found[0] ? out[i]->found : "—");
		snprintf(line[n_l], 1024, "%s %s：%s%s [%s]%s", draw_mark((int)out[i]->severity), lab,
			 out[i]->message, ex, out[i]->code,
			 n_l == 1 && n > 2 ? _("  (F5: all)") : "");
		sev[n_l++] = (int)out[i]->severity;
	}
	if (n_l < 2 && c->ind >= 0 && c->fld == IND_SCORE && (size_t)c->ind < fv.chk->n_ind &&
	    fv.chk->ind[c->ind].has_suggestion) {
		snprintf(line[n_l], 1024, _("suggested score %s  F2 takes it"), fv.chk->ind[c->ind].explain);
		sev[n_l++] = SEV_NOTE;
	}
}

void fg_draw_status(void)
{
	char line[2][1024];
	int sev[2];
	status_lines(line, sev);
	/* one long finding: wrap it over both lines rather than cut it */
	if (line[0][0] && !line[1][0] && ustr_width(line[0]) > COLS - 2) {
		size_t st[2], ln[2];
		char *m = ustr_scrub(line[0], false);
		if (ustr_wrap(m, COLS - 2, st, ln, 2) >= 2) {
			snprintf(line[1], sizeof line[1], "%s", m + st[1]);
			m[st[0] + ln[0]] = 0;
			snprintf(line[0], sizeof line[0], "%s", m + st[0]);
			sev[1] = sev[0];
		}
		free(m);
	}
	draw_clip(0, LINES);
	for (int l = 0; l < 2; l++) {
		char key[1100];
		snprintf(key, sizeof key, "%d%s", sev[l], line[l]);
		if (unchanged(SH_STATUS0 + l, key))
			continue;
		char *m = ustr_scrub(line[l], false);
		draw_text(fv.status_y + l, 0, 1, " ", 1, AL_LEFT, A_NORMAL);
		draw_text(fv.status_y + l, 1, COLS - 1, m, strlen(m), AL_LEFT,
			  draw_attr(sev[l] == SEV_ERROR ? ST_ERROR : sev[l] == SEV_WARNING ? ST_WARNING : ST_NORMAL));
		free(m);
	}
}

void fg_draw_panel(void)
{
	if (!fv.narrow)
		return;
	draw_clip(0, LINES);
	int y = fv.panel_y, W = fv.W;
	draw_frame(y, 0, fv.panel_h, W, A_NORMAL);
	size_t i = (size_t)fv.row_ctx;
	if (i >= fv.live->n_ind)
		return;
	char buf[1024], nb[NUM_BUFSZ];
	snprintf(buf, sizeof buf, "%s › %s › %s", fg_ind_v(i, IND_LEVEL1) ? fg_ind_v(i, IND_LEVEL1) : "",
		 fg_ind_v(i, IND_LEVEL2) ? fg_ind_v(i, IND_LEVEL2) : "", fg_ind_v(i, IND_NAME) ? fg_ind_v(i, IND_NAME) : "");
	char *m = ustr_scrub(buf, false);
	draw_text(y + 1, 2, W - 4, m, strlen(m), AL_LEFT, A_BOLD);
	free(m);
	int x0 = 2;
	if (fv.lay->has_unit_col) {
		draw_text(y + 2, x0, ustr_width("绩效度量单位"), "绩效度量单位", strlen("绩效度量单位"), AL_LEFT, A_NORMAL);
		x0 += ustr_width("绩效度量单位") + 1 + 8 + 2;
	}
	const struct ind_check *ic = i < fv.chk->n_ind ? &fv.chk->ind[i] : NULL;
	snprintf(buf, sizeof buf, "年度指标值 %s %s   实际完成值 %s   %s",
		 fg_ind_v(i, IND_NATURE) ? fg_ind_v(i, IND_NATURE) : "", fg_ind_v(i, IND_TARGET) ? fg_ind_v(i, IND_TARGET) : "",
		 fg_ind_v(i, IND_ACTUAL) ? fg_ind_v(i, IND_ACTUAL) : "",
		 ic && ic->has_suggestion ? ic->explain : "");
	(void)nb;
	m = ustr_scrub(buf, false);
	draw_text(y + 2, x0, W - 2 - x0, m, strlen(m), AL_LEFT, A_NORMAL);
	free(m);
	draw_text(y + 3, 2, ustr_width("偏差原因分析及改进措施"), "偏差原因分析及改进措施",
		  strlen("偏差原因分析及改进措施"), AL_LEFT, A_NORMAL);
	for (int k = fv.nhdr; k < fv.nc; k++)
		if (fv.cells[k].flags & F_PANEL && fv.cells[k].ind == fv.row_ctx)
			fg_draw_cell(&fv.cells[k]);
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
}

void fg_place_cursor(void)
{
	if (!fv.editing || fv.focus < 0) {
		curs_set(0);
		return;
	}
	const struct cell *c = &fv.cells[fv.focus];
	int line, col, y;
	cursor_pos(c->w, &line, &col);
	if (c->flags & F_PANEL) {
		y = fv.panel_y + c->py + (line >= c->ph ? c->ph - 1 : line);
	} else {
		int cy, ch;
		cell_rows(c, &cy, &ch);
		y = sy(cy + line);
	}
	int x = c->x + (col > c->w ? c->w : col);
	if (y >= 0 && y < LINES && x < COLS) {
		curs_set(1);
		move(y, x);
	} else
		curs_set(0);
}

/* The form from form line `from` down (everything: from = 0). */
void fg_draw_body_from(int from)
{
	int lo = from > fv.top ? from : fv.top;
	drawn_clear();
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
	for (int y = sy(lo); y < fv.body_top + fv.body_h; y++) {
		move(y, 0);
		clrtoeol();
	}
	for (int k = 0; k < fv.nb; k++) {
		const struct band *b = &fv.bands[k];
		if (b->y + b->h < lo || b->y - 1 >= fv.top + fv.body_h)
			continue;
		if (b->sep)
			draw_sep(k);
		draw_band_borders(k);
	}
	for (int i = 0; i < fv.nc; i++) {
		const struct cell *c = &fv.cells[i];
		if (c->flags & (F_PANEL | F_COVERED))
			continue;
		int y, h;
		cell_rows(c, &y, &h);
		if (y + h < lo || y >= fv.top + fv.body_h)
			continue;
		fg_draw_cell(c);
	}
	if (fv.focus >= 0 && fv.cells[fv.focus].flags & F_COVERED)
		fg_draw_cell(&fv.cells[fv.focus]);
	draw_bottom();
}

void fg_draw_body(void)
{
	fg_draw_body_from(0);
}

/* Band k grew (or shrank) by delta lines; it ended at form line old_end.
 * Shift the screen lines below it instead of drawing them again, then draw
 * band k and what crosses it.  False if this is not such a simple case. */
bool fg_shift_below(int k, int old_end, int delta)
{
	if (delta == 0 || k + 1 >= fv.nb)
		return false;
	if (fv.bands[k + 1].y - (fv.bands[k + 1].sep ? 1 : 0) != old_end + delta)
		return false;	/* more than band k moved */
	int y = sy(old_end + (delta < 0 ? delta : 0));
	int bottom = fv.body_top + fv.body_h;
	if (y < fv.body_top || y >= bottom)
		return false;
	/* insdelln shifts to the bottom of the screen: the status lines and
	 * the key line are drawn again below */
	move(y, 0);
	insdelln(delta);
	fg_forget_shown();
	if (delta < 0)	/* lines come up from below the view */
		fg_draw_body_from(fv.top + fv.body_h + delta - 1);
	draw_clip(fv.body_top, bottom);
	draw_band_borders(k);
	for (int i = 0; i < fv.nc; i++) {
		const struct cell *d = &fv.cells[i];
		if (d->flags & F_PANEL)
			continue;
		if (d->band <= k && d->band + d->vspan > k && !(d->flags & F_COVERED))
			fg_draw_cell(d);
	}
	if (fv.focus >= 0 && fv.cells[fv.focus].flags & F_COVERED)
		fg_draw_cell(&fv.cells[fv.focus]);
	/* the rule under band k, now at its new place */
	if (fv.bands[k + 1].sep)
		draw_sep(k + 1);
	return true;
}

void fg_scroll_to_focus(void)
{
	if (fv.focus < 0)
		return;
	const struct cell *c = &fv.cells[fv.focus];
	int y, h, cl = 0, cc;
	const struct cell *vis = c;
	if (c->flags & F_PANEL) {
		int k = fv.rowcell[(size_t)c->ind * IND_FIELDS + IND_NAME];
		vis = &fv.cells[k];
	}
	if (vis->flags & F_COVERED) {
		y = fv.bands[vis->band].y;
		h = fv.bands[vis->band].h;
	} else
		cell_rows(vis, &y, &h);
	if (fv.editing && !(c->flags & F_PANEL)) {
		cursor_pos(c->w, &cl, &cc);
		if (cl >= fv.body_h - 2) {
			y += cl - (fv.body_h - 2);
			h = fv.body_h - 2;
		}
	}
	int old = fv.top;
	/* show the rule above and below too */
	if (y - 1 < fv.top)
		fv.top = y - 1;
	if (y + h + 1 > fv.top + fv.body_h)
		fv.top = y + h + 1 - fv.body_h;
	if (h + 2 > fv.body_h)
		fv.top = y - 1;
	if (fv.top < 0)
		fv.top = 0;
	if (fv.top != old)
		fv.full = true;
}

void fg_redraw_all(struct app *a)
{
	fg_measure();
	fg_scroll_to_focus();
	fg_forget_shown();
	erase();
	fg_draw_top(a);
	fg_draw_body();
	fg_draw_panel();
	fg_draw_status();
	fg_draw_keys();
	fg_place_cursor();
	fv.full = false;
}
