/*
 * formview: one 自评表 on screen, as on paper, with live checks.
 *
 * The form is laid out as bands (horizontal strips of the paper table) of
 * cells; a cell is a label, a field (a form path), or a computed figure.
 * Cells wrap their text in their column (ustr_wrap) and bands grow to their
 * tallest cell; 一级/二级 cells span the rows they share, as on paper.
 * Below 116 columns the table condenses (一级·二级 in one column) and a
 * detail panel shows the focused row's deviation text and unit.
 *
 * Saving: the focused field is saved through doc_set when it is left, and
 * after one second without a key while it is being edited; a save the store
 * refuses leaves the typed text in the editor and says why.  What is on
 * screen is `live`, a copy of the saved form plus the edit in progress, and
 * its own check, so every keystroke re-runs the rules without touching the
 * store.  A keystroke redraws only the cells it changed, unless a band's
 * height changed.
 */
#include "config.h"
#include "app.h"
#include "doc.h"
#include "draw.h"
#include "edit.h"
#include "i18n.h"
#include "review.h"
#include "ustr.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum {
	F_FOCUS = 1 << 0,	/* can take the focus */
	F_EDIT = 1 << 1,	/* text editor */
	F_MULTI = 1 << 2,	/* multi-line text */
	F_NUM = 1 << 3,		/* right-aligned */
	F_CENTER = 1 << 4,
	F_AUTO = 1 << 5,	/* right-aligned when it reads as a number */
	F_PICK = 1 << 6,	/* chosen from a list */
	F_COMP = 1 << 7,	/* computed, never typed */
	F_PANEL = 1 << 8,	/* lives in the detail panel (narrow screens) */
	F_COVERED = 1 << 9,	/* under a merged cell of a row above */
	F_LABEL = 1 << 10,
};
enum pick { PK_NONE, PK_LEVEL1, PK_LEVEL2, PK_LEVELS, PK_NATURE };
enum comp { CP_NONE, CP_DASH, CP_RATE, CP_BUDGET_SCORE, CP_TOTAL_WEIGHT, CP_TOTAL_SCORE,
	    CP_GRADE, CP_TOTAL_LINE };

struct cell {
	int band, vspan;
	int x, w;		/* content columns (padding at x-1 and x+w) */
	int py, ph;		/* panel cells: screen line and height */
	unsigned flags;
	int pick, comp, ind, fld, frow;
	char path[48];
	const char *label;	/* F_LABEL: static text */
	char *text;		/* scrubbed, as shown */
	size_t *st, *ln;
	int nl, cap;
	int mark;		/* -1 none, else the worst severity */
};

struct band {
	int y, h;		/* form lines: first content line, count */
	bool sep;		/* a rule line above it */
	unsigned char *bd;	/* per column: 1 = border, 2 = no rule above (merged) */
};

struct undo {
	int kind;		/* U_SET, U_ADD, U_DEL, U_MOVE */
	int group;
	char *path, *old, *new;
	size_t at, to;
	char *row[IND_FIELDS];
};
enum { U_SET, U_ADD, U_DEL, U_MOVE };

static struct fv {
	bool open;
	struct doc d;
	int64_t id;
	struct form *live;
	struct check *chk;
	const struct layout *lay;
	bool ro;
	/* layout */
	int W, H;
	bool narrow;
	struct band *bands;
	int nb, capb;
	struct cell *cells;
	int nc, capc;
	int *rowcell;		/* n_ind * IND_FIELDS -> cell, -1 */
	int nhdr;		/* cells before the indicator rows */
	int body_top, body_h, panel_y, panel_h, status_y;
	int form_h, top;
	int focus, row_ctx;
	char title[128];
	/* editing */
	bool editing, dirty;
	struct ebuf eb;
	double last_key, dirty_since;
	char msg[512];
	int msg_sev;		/* -1 none, 0 error, 1 warning, 2 note */
	char saved[32];
	bool full;		/* redraw everything */
	bool resync;		/* the saved form was reloaded: show it */
	/* undo */
	struct undo *undo, *redo;
	size_t nu, capu, nr, capr;
	int group;
} fv;

static const char *const level1_items[] = { "产出指标", "成本指标", "效益指标", "满意度指标" };
static const char *const level2_of[4][5] = {
	{ "数量指标", "质量指标", "时效指标", "成本指标", NULL },
	{ "经济成本指标", "社会成本指标", "生态环境成本指标", NULL },
	{ "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", NULL },
	{ "服务对象满意度指标", NULL },
};
static const char *const nature_items[] = { "≥", "≤", "=", "定性" };

/* ---- values -------------------------------------------------------------- */

static const char *ind_v(size_t i, int f)
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
			if (ind_v(i, IND_WEIGHT) && num_parse(ind_v(i, IND_WEIGHT), &n))
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
		short_level(ind_v(c->ind, IND_LEVEL1), a, sizeof a);
		short_level(ind_v(c->ind, IND_LEVEL2), b, sizeof b);
		snprintf(buf, len, "%s%s%s", a, *a && *b ? "·" : "", b);
		return buf;
	}
	if (c->ind >= 0) {
		const char *v = ind_v(c->ind, c->fld);
		if (c->fld == IND_LEVEL1 && fv.lay->group_weights && c->vspan >= 1 &&
		    !(c->flags & F_COVERED) && v && *v && !strstr(v, "分)") && !strstr(v, "分）")) {
			num sum = num_from_int(0), n;
			for (int i = c->ind; i < c->ind + c->vspan; i++)
				if (ind_v(i, IND_WEIGHT) && num_parse(ind_v(i, IND_WEIGHT), &n))
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
static bool cell_refresh_text(struct cell *c, bool *same)
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

static bool cell_refresh(struct cell *c)
{
	return cell_refresh_text(c, NULL);
}

/* ---- layout ------------------------------------------------------------------ */

static void layout_free(void)
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

static void ind_path(char *buf, size_t len, size_t i, int f)
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
			ind_path(p, sizeof p, i, fld);
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
			bool cont1 = i > 0 && same_text(ind_v(i, IND_LEVEL1), ind_v(i - 1, IND_LEVEL1));
			bool cont = fld == IND_LEVEL1 ? cont1 :
				    cont1 && same_text(ind_v(i, IND_LEVEL2), ind_v(i - 1, IND_LEVEL2));
			if (cont) {
				c->flags |= F_COVERED;
				continue;
			}
			size_t j = i + 1;
			while (j < f->n_ind && same_text(ind_v(j, IND_LEVEL1), ind_v(i, IND_LEVEL1)) &&
			       (fld == IND_LEVEL1 || same_text(ind_v(j, IND_LEVEL2), ind_v(i, IND_LEVEL2))))
				j++;
			c->vspan = (int)(j - i);
		}
		if (fv.narrow) {
			/* the rest of the row lives in the detail panel */
			int px = 2, pw = fv.W - 4;
			int lw = ustr_width("偏差原因分析及改进措施") + 1;
			struct cell *c;
			if (uom) {
				ind_path(p, sizeof p, i, IND_UNIT_OF_MEASURE);
				c = field(b, px + ustr_width("绩效度量单位") + 1, 8, p, F_EDIT | F_PANEL);
				c->ind = (int)i;
				c->fld = IND_UNIT_OF_MEASURE;
				c->py = 2;
				c->ph = 1;
				fv.rowcell[i * IND_FIELDS + IND_UNIT_OF_MEASURE] = (int)(c - fv.cells);
			}
			ind_path(p, sizeof p, i, IND_DEVIATION);
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

/* A returned form shows its reviewer's reason under the top line. */
static bool reason_shown(void)
{
	return fv.live->status == STATUS_RETURNED && fv.live->return_reason && *fv.live->return_reason;
}

static void build(void)
{
	layout_free();
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
	fv.body_top = 1 + (reason_shown() ? 1 : 0);	/* 退回原因 under the top line */
	fv.body_h = fv.H - 3 - fv.body_top - fv.panel_h;
	fv.panel_y = fv.body_top + fv.body_h;
	fv.status_y = fv.H - 3;
	for (int i = 0; i < fv.nc; i++)
		cell_refresh(&fv.cells[i]);
	fv.full = true;
}

/* Band heights and positions from the cells' line counts. */
static void measure(void)
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

static int cell_for_path(const char *path)
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
static void marks(int *changed, int *nchanged, int max)
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
		int c = cell_for_path(fd->field);
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

static void recheck(void)
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

/* The bars and status lines are to be drawn again (they moved or were wiped). */
static void forget_bars(void)
{
	for (int i = 0; i < SH_COUNT; i++) {
		free(shown[i]);
		shown[i] = NULL;
	}
}

static void forget_shown(void)
{
	drawn_clear();
	forget_bars();
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
#define DRAWN_BITS 12
#define DRAWN_SLOTS (1 << DRAWN_BITS)	/* positions are hashed by their high bits */
static struct { uint32_t key, h; } drawn[DRAWN_SLOTS];

static void drawn_clear(void)
{
	memset(drawn, 0, sizeof drawn);
}

/* True if (y, x) already shows h; otherwise records it. */
static bool drawn_same(int y, int x, uint32_t h)
{
	uint32_t key = ((uint32_t)y << 16 | (uint32_t)x) + 1;
	uint32_t i = (key * 2654435761u) >> (32 - DRAWN_BITS);
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

/* The screen's lines from y down moved by delta (insdelln; for delta < 0
 * the lines just above y were deleted): so do the records of what they
 * show.  Lines deleted, pushed off, or wiped (wipe: from y down) are
 * forgotten. */
static void drawn_move(int y, int delta, bool wipe)
{
	static struct { uint32_t key, h; } keep[DRAWN_SLOTS];
	int n = 0;
	for (int i = 0; i < DRAWN_SLOTS; i++) {
		if (!drawn[i].key)
			continue;
		int ky = (int)((drawn[i].key - 1) >> 16), kx = (int)((drawn[i].key - 1) & 0xffff);
		if (ky >= y) {
			if (wipe)
				continue;
			ky += delta;
			if (ky >= LINES)
				continue;	/* pushed off the bottom */
		} else if (delta < 0 && ky >= y + delta) {
			continue;		/* a deleted line */
		}
		keep[n].key = ((uint32_t)ky << 16 | (uint32_t)kx) + 1;
		keep[n++].h = drawn[i].h;
	}
	drawn_clear();
	for (int i = 0; i < n; i++) {
		uint32_t j = (keep[i].key * 2654435761u) >> (32 - DRAWN_BITS);
		for (int probe = 0; probe < 8; probe++, j = (j + 1) % DRAWN_SLOTS)
			if (!drawn[j].key) {
				drawn[j].key = keep[i].key;
				drawn[j].h = keep[i].h;
				break;
			}
	}
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

static void draw_cell(const struct cell *c)
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
	if (rvf_marked(c->path) && first_drawn)	/* a reviewer's comment */
		draw_text(sy(y), c->x + c->w, 1, RVF_MARK, strlen(RVF_MARK), AL_LEFT, at | draw_attr(ST_WARNING));
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

static void draw_top(struct app *a)
{
	char left[1024], right[512], sug[128] = "";
	const struct form *f = fv.live;
	char pos[48] = "";
	if (a->mode == SCREEN_REVIEW && a->pager_step && a->pager_pos)
		snprintf(pos, sizeof pos, "%zu/%zu │ ", a->pager_pos, a->pager_total);
	else if (a->mode == SCREEN_REVIEW)
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
	if (reason_shown()) {
		char buf[2048];
		snprintf(buf, sizeof buf, "退回原因：%s", f->return_reason);
		char *m = ustr_scrub(buf, false);
		draw_text(1, 1, COLS - 2, m, strlen(m), AL_LEFT, draw_attr(ST_WARNING) | A_BOLD);
		free(m);
	}
}

static void draw_keys(struct app *a)
{
	char buf[512];
	int n = fv.chk->errors + fv.chk->warnings;
	if (a->mode == SCREEN_REVIEW)
		snprintf(buf, sizeof buf, fv.W >= 116 ?
			 _(" F1 help  PgDn/PgUp form  n/N finding  c comment  F7 resolved  r return  a approve  F5 findings(%d)  Esc pager") :
			 _(" PgDn/PgUp form  n/N finding  c comment  F7 resolved  r return  a approve  Esc"), n);
	else if (fv.ro)
		snprintf(buf, sizeof buf, fv.W >= 116 ?
			 _(" F1 help  Tab next  n/N next/previous finding  F5 findings(%d)  F7 comment resolved  Esc list") :
			 _(" F1 help  n/N finding  F5 findings(%d)  F7 resolved  Esc list"), n);
	else if (fv.W >= 116)
		snprintf(buf, sizeof buf,
			 _(" F1 help  Tab next  F2 take suggested  F3 add row  F4 delete row  F5 findings(%d)  F7 resolved  F8 submit  Ctrl-Z undo  Esc list"),
			 n);
	else
		snprintf(buf, sizeof buf, _(" F1 help F2 suggested F3 row F5 findings(%d) F8 submit ^Z undo Esc list"), n);
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
		ind_path(p2, sizeof p2, (size_t)c->ind, IND_LEVEL2);
		n = rules_findings_for(fv.chk, p2, out, 8);
	}
	char lab[128];
	if (n_l < 2 && rvf_comment_line(c->path, line[n_l], 1024))	/* a reviewer's comment */
		sev[n_l++] = SEV_WARNING;
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

static void draw_status(void)
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

static void draw_panel(void)
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
	snprintf(buf, sizeof buf, "%s › %s › %s", ind_v(i, IND_LEVEL1) ? ind_v(i, IND_LEVEL1) : "",
		 ind_v(i, IND_LEVEL2) ? ind_v(i, IND_LEVEL2) : "", ind_v(i, IND_NAME) ? ind_v(i, IND_NAME) : "");
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
		 ind_v(i, IND_NATURE) ? ind_v(i, IND_NATURE) : "", ind_v(i, IND_TARGET) ? ind_v(i, IND_TARGET) : "",
		 ind_v(i, IND_ACTUAL) ? ind_v(i, IND_ACTUAL) : "",
		 ic && ic->has_suggestion ? ic->explain : "");
	(void)nb;
	m = ustr_scrub(buf, false);
	draw_text(y + 2, x0, W - 2 - x0, m, strlen(m), AL_LEFT, A_NORMAL);
	free(m);
	draw_text(y + 3, 2, ustr_width("偏差原因分析及改进措施"), "偏差原因分析及改进措施",
		  strlen("偏差原因分析及改进措施"), AL_LEFT, A_NORMAL);
	for (int k = fv.nhdr; k < fv.nc; k++)
		if (fv.cells[k].flags & F_PANEL && fv.cells[k].ind == fv.row_ctx)
			draw_cell(&fv.cells[k]);
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
}

static void place_cursor(void)
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
static void draw_body_from(int from)
{
	int lo = from > fv.top ? from : fv.top;
	drawn_move(sy(lo), 0, true);	/* those lines are wiped below */
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
		draw_cell(c);
	}
	if (fv.focus >= 0 && fv.cells[fv.focus].flags & F_COVERED)
		draw_cell(&fv.cells[fv.focus]);
	draw_bottom();
}

static void draw_body(void)
{
	draw_body_from(0);
}

/* Band k grew (or shrank) by delta lines; it ended at form line old_end.
 * Shift the screen lines below it instead of drawing them again, then draw
 * band k and what crosses it.  False if this is not such a simple case. */
static bool shift_below(int k, int old_end, int delta)
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
	drawn_move(delta > 0 ? y : y - delta, delta, false);
	forget_bars();
	if (delta < 0)	/* lines come up from below the view */
		draw_body_from(fv.top + fv.body_h + delta - 1);
	draw_clip(fv.body_top, bottom);
	draw_band_borders(k);
	for (int i = 0; i < fv.nc; i++) {
		const struct cell *d = &fv.cells[i];
		if (d->flags & F_PANEL)
			continue;
		if (d->band <= k && d->band + d->vspan > k && !(d->flags & F_COVERED))
			draw_cell(d);
	}
	if (fv.focus >= 0 && fv.cells[fv.focus].flags & F_COVERED)
		draw_cell(&fv.cells[fv.focus]);
	if (fv.bands[k + 1].sep)
		draw_sep(k + 1);
	return true;
}

static void scroll_to_focus(void)
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

static void redraw_all(struct app *a)
{
	measure();
	scroll_to_focus();
	forget_shown();
	erase();
	draw_top(a);
	draw_body();
	draw_panel();
	draw_status();
	draw_keys(a);
	place_cursor();
	fv.full = false;
}

/* ---- saving and undo ---------------------------------------------------------- */

static void push(struct undo **st, size_t *n, size_t *cap, struct undo u)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		*st = realloc(*st, *cap * sizeof **st);
		if (!*st)
			abort();
	}
	(*st)[(*n)++] = u;
}

static void undo_free(struct undo *u)
{
	free(u->path);
	free(u->old);
	free(u->new);
	for (int i = 0; i < IND_FIELDS; i++)
		free(u->row[i]);
}

static void clear_redo(void)
{
	for (size_t i = 0; i < fv.nr; i++)
		undo_free(&fv.redo[i]);
	fv.nr = 0;
}

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

/* Save one field through the doc; the live form follows the saved one. */
static bool save_field(struct app *a, const char *path, const char *value, bool record)
{
	char scratch[FORM_SCRATCH];
	const char *oldv = form_get(fv.d.f, path, scratch);
	char *old = xstrdup(oldv);
	if ((old == NULL && value == NULL) || (old && value && strcmp(old, value) == 0)) {
		free(old);
		return true;
	}
	int rc = doc_set(&fv.d, path, value);
	if (rc == STORE_STALE) {
		/* changed elsewhere (jxzp set, another window): load what is
		 * saved now and put this change on top; the screen catches up
		 * when the key is done (resync) */
		struct doc nd;
		memset(&nd, 0, sizeof nd);
		if (doc_open(&nd, fv.d.s, fv.id) == STORE_OK) {
			doc_close(&fv.d);
			fv.d = nd;
			free(old);
			old = xstrdup(form_get(fv.d.f, path, scratch));
			rc = doc_set(&fv.d, path, value);
			if (rc == STORE_OK) {
				fv.resync = true;
				say(2, "%s", _("This form was changed elsewhere: it is reloaded, and your change is saved on top."));
			}
		} else
			doc_close(&nd);
	}
	if (rc != STORE_OK) {
		say(0, _("Not saved: %s (your text is still here)"), fv.d.err[0] ? fv.d.err : _("the store refused"));
		free(old);
		return false;
	}
	form_set(fv.live, path, value, NULL);
	fv.live->version = fv.d.f->version;
	if (!fv.resync)
		fv.msg[0] = 0;
	if (record) {
		struct undo u = { .kind = U_SET, .group = fv.group, .path = xstrdup(path),
				  .old = old, .new = xstrdup(value) };
		push(&fv.undo, &fv.nu, &fv.capu, u);
		clear_redo();
	} else
		free(old);
	saved_now(a);
	return true;
}

/* The paper prints the computed figures (执行率, the budget score, 总分 and
 * its grade): after a figure changes they are written into the form too —
 * where they are missing or the rules find them wrong — so the form stays
 * right without anyone typing a computed cell.  Same undo group as the
 * change that caused them. */
static void sync_computed(struct app *a)
{
	const struct check *k = fv.d.chk;
	if (!k || fv.ro)
		return;
	char paths[FUND_ROWS + 4][48], vals[FUND_ROWS + 4][NUM_BUFSZ + 16];
	int n = 0;
	for (int r = 0; r < FUND_ROWS; r++) {
		snprintf(paths[n], sizeof paths[n], "funds.%s.rate", fund_row_key[r]);
		snprintf(vals[n++], sizeof vals[0], "%s", k->rate[r]);
	}
	snprintf(paths[n], sizeof paths[n], "funds.total.score");
	snprintf(vals[n++], sizeof vals[0], "%s", k->budget_score);
	snprintf(paths[n], sizeof paths[n], "total.score");
	snprintf(vals[n++], sizeof vals[0], "%s", k->total_score);
	snprintf(paths[n], sizeof paths[n], "total.grade");
	snprintf(vals[n++], sizeof vals[0], "%s", k->grade);
	for (int i = 0; i < n; i++) {
		char scratch[FORM_SCRATCH];
		if (!vals[i][0])
			continue;	/* not computable: leave what is printed */
		const char *cur = form_get(fv.d.f, paths[i], scratch);
		if (cur && strcmp(cur, vals[i]) == 0)
			continue;
		const struct finding *out[4];
		size_t nf = rules_findings_for(fv.d.chk, paths[i], out, 4);
		bool wrong = false;
		for (size_t j = 0; j < nf; j++)
			if (out[j]->severity == SEV_ERROR)
				wrong = true;
		if ((!cur || !*cur || wrong) && !save_field(a, paths[i], vals[i], true))
			return;
		k = fv.d.chk;	/* doc_set re-ran the rules */
	}
}

/* Save the edit in progress; false (and the text stays) if refused. */
static bool commit(struct app *a)
{
	if (!fv.editing || !fv.dirty)
		return true;
	const struct cell *c = &fv.cells[fv.focus];
	fv.group++;
	if (!save_field(a, c->path, fv.eb.s, true))
		return false;
	fv.dirty = false;
	if (c->flags & (F_NUM | F_AUTO))
		sync_computed(a);
	/* save_field has said what there is to say */
	return true;
}

/* After a change made through the doc (rows, undo): the live form is the
 * saved one again, laid out anew. */
static void reload_live(void)
{
	char *path = fv.focus >= 0 ? xstrdup(fv.cells[fv.focus].path) : NULL;
	form_free(fv.live);
	fv.live = form_copy(fv.d.f);
	recheck();
	if (fv.editing)
		eb_free(&fv.eb);
	fv.editing = false;
	fv.dirty = false;
	build();
	int n, ch[1];
	marks(ch, &n, 0);
	fv.focus = -1;
	if (path) {
		int k = cell_for_path(path);
		if (k >= 0 && fv.cells[k].flags & F_FOCUS)
			fv.focus = k;
		free(path);
	}
}

/* ---- focus ------------------------------------------------------------------------ */

static void start_edit(void)
{
	if (fv.focus < 0 || fv.ro)
		return;
	struct cell *c = &fv.cells[fv.focus];
	if (c->ind >= 0)
		fv.row_ctx = c->ind;
	if (!(c->flags & F_EDIT))
		return;
	char scratch[FORM_SCRATCH];
	eb_init(&fv.eb, form_get(fv.live, c->path, scratch), (c->flags & F_MULTI) != 0);
	fv.editing = true;
	fv.dirty = false;
}

/* Move the focus; saves the field being left.  False if the save failed. */
static bool set_focus(struct app *a, int k)
{
	if (k < 0 || k >= fv.nc || k == fv.focus)
		return k == fv.focus;
	if (!commit(a))
		return false;
	int old = fv.focus, oldrow = fv.row_ctx;
	if (fv.editing) {
		eb_free(&fv.eb);
		fv.editing = false;
	}
	fv.focus = k;
	start_edit();
	if (old >= 0) {
		cell_refresh(&fv.cells[old]);
		draw_cell(&fv.cells[old]);
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
		if (s && strcmp(s, level1_items[i]) == 0)
			return i;
	return -1;
}

static void pick(struct app *a)
{
	struct cell *c = &fv.cells[fv.focus];
	size_t i = (size_t)c->ind;
	char p1[48], p2[48];
	ind_path(p1, sizeof p1, i, IND_LEVEL1);
	ind_path(p2, sizeof p2, i, IND_LEVEL2);
	fv.group++;
	if (c->pick == PK_NATURE) {
		int cur = -1;
		for (int k = 0; k < 4; k++)
			if (ind_v(i, IND_NATURE) && strcmp(ind_v(i, IND_NATURE), nature_items[k]) == 0)
				cur = k;
		int r = dlg_pick(a, "绩效指标性质", nature_items, 4, cur < 0 ? 0 : cur);
		if (r >= 0)
			save_field(a, c->path, nature_items[r], true);
	} else if (c->pick == PK_LEVEL1) {
		int r = dlg_pick(a, "一级指标", level1_items, 4, level1_index(ind_v(i, IND_LEVEL1)) < 0 ? 0 :
				 level1_index(ind_v(i, IND_LEVEL1)));
		if (r >= 0 && save_field(a, p1, level1_items[r], true)) {
			/* a 二级 outside the new 一级 is cleared */
			bool ok = false;
			for (int k = 0; level2_of[r][k]; k++)
				if (ind_v(i, IND_LEVEL2) && strcmp(ind_v(i, IND_LEVEL2), level2_of[r][k]) == 0)
					ok = true;
			if (!ok && ind_v(i, IND_LEVEL2) && *ind_v(i, IND_LEVEL2))
				save_field(a, p2, "", true);
		}
	} else if (c->pick == PK_LEVEL2) {
		int l1 = level1_index(ind_v(i, IND_LEVEL1));
		if (l1 < 0) {
			say(1, "%s", _("Choose the 一级指标 first."));
		} else {
			int n = 0, cur = 0;
			const char *items[8];
			for (int k = 0; level2_of[l1][k]; k++) {
				if (!level2_allowed(l1, k))
					continue;
				if (ind_v(i, IND_LEVEL2) && strcmp(ind_v(i, IND_LEVEL2), level2_of[l1][k]) == 0)
					cur = n;
				items[n++] = level2_of[l1][k];
			}
			int r = dlg_pick(a, "二级指标", items, n, cur);
			if (r >= 0)
				save_field(a, p2, items[r], true);
		}
	} else if (c->pick == PK_LEVELS) {
		char items[16][96];
		const char *ptr[16];
		int n = 0, l1s[16], l2s[16], cur = 0;
		for (int l1 = 0; l1 < 4; l1++)
			for (int l2 = 0; level2_of[l1][l2]; l2++) {
				if (!level2_allowed(l1, l2))
					continue;
				snprintf(items[n], sizeof items[n], "%s › %s", level1_items[l1], level2_of[l1][l2]);
				ptr[n] = items[n];
				l1s[n] = l1;
				l2s[n] = l2;
				if (ind_v(i, IND_LEVEL1) && ind_v(i, IND_LEVEL2) &&
				    strcmp(ind_v(i, IND_LEVEL1), level1_items[l1]) == 0 &&
				    strcmp(ind_v(i, IND_LEVEL2), level2_of[l1][l2]) == 0)
					cur = n;
				n++;
			}
		int r = dlg_pick(a, "一级指标 › 二级指标", ptr, n, cur);
		if (r >= 0 && save_field(a, p1, level1_items[l1s[r]], true))
			save_field(a, p2, level2_of[l1s[r]][l2s[r]], true);
	}
	char *path = xstrdup(c->path);
	reload_live();
	int k = cell_for_path(path);
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
	int k = cell_for_path(path);
	if (k >= 0 && fv.cells[k].flags & F_FOCUS) {
		fv.focus = k;
		start_edit();
	}
}

static void row_op(struct app *a, int op)
{
	if (!commit(a))
		return;
	int r = focus_row();
	size_t n = fv.live->n_ind;
	int rc = STORE_OK;
	struct undo u = { .kind = op, .group = ++fv.group };
	char p[48];
	if (op == U_ADD) {
		size_t at = r < 0 ? n : (size_t)r + 1;
		rc = doc_add_row(&fv.d, at);
		u.at = at;
		if (rc == STORE_OK) {
			reload_live();
			ind_path(p, sizeof p, at, fv.narrow ? IND_LEVEL1 : IND_LEVEL1);
			focus_path(p);
		}
	} else if (op == U_DEL) {
		if (r < 0)
			return;
		char q[128];
		snprintf(q, sizeof q, _("Delete indicator row %d?"), r + 1);
		if (!dlg_confirm(a, q)) {
			app_redraw(a);
			return;
		}
		for (int f = 0; f < IND_FIELDS; f++)
			u.row[f] = xstrdup(fv.d.f->ind[r].v[f]);
		u.at = (size_t)r;
		rc = doc_del_row(&fv.d, (size_t)r);
		if (rc == STORE_OK) {
			push(&fv.undo, &fv.nu, &fv.capu, u);
			clear_redo();
			memset(&u, 0, sizeof u);
			u.kind = -1;	/* pushed already, before the figures it changed */
			sync_computed(a);
			reload_live();
			if (fv.live->n_ind > 0) {
				ind_path(p, sizeof p, (size_t)r < fv.live->n_ind ? (size_t)r : fv.live->n_ind - 1, IND_NAME);
				focus_path(p);
			}
		}
	} else {	/* U_MOVE: op carries the direction in fv.group's sign? no: see callers */
		return;
	}
	if (rc != STORE_OK) {
		say(0, _("Not saved: %s"), fv.d.err);
		undo_free(&u);
	} else {
		if (u.kind >= 0) {
			push(&fv.undo, &fv.nu, &fv.capu, u);
			clear_redo();
		}
		saved_now(a);
	}
	app_redraw(a);
}

static void row_move(struct app *a, int dir)
{
	if (!commit(a))
		return;
	int r = focus_row();
	if (r < 0 || r + dir < 0 || (size_t)(r + dir) >= fv.live->n_ind)
		return;
	int fld = fv.cells[fv.focus].fld;
	int rc = doc_move_row(&fv.d, (size_t)r, (size_t)(r + dir));
	if (rc != STORE_OK) {
		say(0, _("Not saved: %s"), fv.d.err);
	} else {
		struct undo u = { .kind = U_MOVE, .group = ++fv.group, .at = (size_t)r, .to = (size_t)(r + dir) };
		push(&fv.undo, &fv.nu, &fv.capu, u);
		clear_redo();
		reload_live();
		char p[48];
		ind_path(p, sizeof p, (size_t)(r + dir), fld);
		focus_path(p);
		saved_now(a);
	}
	app_redraw(a);
}

/* Apply one undo entry backwards (undo) or forwards (redo). */
static int replay(struct app *a, struct undo *u, bool back)
{
	int rc = STORE_OK;
	switch (u->kind) {
	case U_SET:
		rc = save_field(a, u->path, back ? u->old : u->new, false) ? STORE_OK : STORE_ERR;
		break;
	case U_ADD:
		rc = back ? doc_del_row(&fv.d, u->at) : doc_add_row(&fv.d, u->at);
		break;
	case U_DEL:
		if (back) {
			rc = doc_add_row(&fv.d, u->at);
			for (int f = 0; rc == STORE_OK && f < IND_FIELDS; f++)
				if (u->row[f]) {
					char p[48];
					ind_path(p, sizeof p, u->at, f);
					rc = doc_set(&fv.d, p, u->row[f]);
				}
		} else
			rc = doc_del_row(&fv.d, u->at);
		break;
	case U_MOVE:
		rc = back ? doc_move_row(&fv.d, u->to, u->at) : doc_move_row(&fv.d, u->at, u->to);
		break;
	}
	return rc;
}

static void undo_redo(struct app *a, bool back)
{
	if (!commit(a))
		return;
	struct undo **from = back ? &fv.undo : &fv.redo, **to = back ? &fv.redo : &fv.undo;
	size_t *nf = back ? &fv.nu : &fv.nr, *nt = back ? &fv.nr : &fv.nu;
	size_t *ct = back ? &fv.capr : &fv.capu;
	if (*nf == 0) {
		say(2, "%s", back ? _("Nothing to undo.") : _("Nothing to redo."));
		draw_status();
		return;
	}
	int g = (*from)[*nf - 1].group;
	const char *where = NULL;
	char wherebuf[48] = "";
	while (*nf > 0 && (*from)[*nf - 1].group == g) {
		struct undo u = (*from)[--*nf];
		if (replay(a, &u, back) != STORE_OK) {
			say(0, _("Could not undo: %s"), fv.d.err);
			undo_free(&u);
			break;
		}
		if (u.kind == U_SET)
			snprintf(wherebuf, sizeof wherebuf, "%s", u.path), where = wherebuf;
		push(to, nt, ct, u);
	}
	/* undo entries replayed as a group go back in the same order */
	reload_live();
	if (where)
		focus_path(where);
	saved_now(a);
	app_redraw(a);
}

static void take_suggestion(struct app *a)
{
	int r = focus_row();
	if (r < 0 || (size_t)r >= fv.chk->n_ind || !fv.chk->ind[r].has_suggestion) {
		say(2, "%s", _("No suggested score for this row."));
		draw_status();
		return;
	}
	if (!commit(a))
		return;
	char nb[NUM_BUFSZ], p[48];
	num_fixed(fv.chk->ind[r].suggested, 2, nb);
	ind_path(p, sizeof p, (size_t)r, IND_SCORE);
	fv.group++;
	if (save_field(a, p, nb, true))
		sync_computed(a);
	reload_live();
	focus_path(p);
	app_redraw(a);
}

static void findings_panel(struct app *a)
{
	if (!commit(a))
		return;
	/* errors and warnings; the notes are the suggestions the status line shows */
	size_t n = 0, *idx = calloc(fv.chk->n_findings + 1, sizeof *idx);
	if (!idx)
		abort();
	for (size_t i = 0; i < fv.chk->n_findings; i++)
		if (fv.chk->findings[i].severity != SEV_NOTE)
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
		const struct finding *f = &fv.chk->findings[idx[i]];
		char lab[128], buf[1024];
		form_path_label(f->field, lab, sizeof lab);
		snprintf(buf, sizeof buf, "%s %s：%s", draw_mark((int)f->severity), lab, f->message);
		items[i] = ustr_scrub(buf, false);
	}
	int r = dlg_pick(a, _("Findings (Enter goes to the field)"), (const char *const *)items, (int)n, 0);
	if (r >= 0) {
		int k = cell_for_path(fv.chk->findings[idx[r]].field);
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
		draw_status();
		return;
	}
	if (!commit(a)) {
		draw_status();
		return;
	}
	if (fv.d.chk->errors > 0) {
		char buf[256];
		snprintf(buf, sizeof buf, _("%d errors: a form is submitted once they are fixed (F5 lists them)."),
			 fv.d.chk->errors);
		say(0, "%s", buf);
		app_redraw(a);		/* the refusal stays readable under the list */
		findings_panel(a);
		return;
	}
	if (!dlg_confirm(a, _("Submit this form? It cannot be changed afterwards unless a reviewer returns it."))) {
		app_redraw(a);
		return;
	}
	if (doc_set_status(&fv.d, STATUS_SUBMITTED, NULL) != STORE_OK) {
		say(0, _("Not submitted: %s"), fv.d.err);
	} else {
		fv.live->status = fv.d.f->status;
		fv.live->version = fv.d.f->version;
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
	layout_free();
	free(fv.cells);
	free(fv.bands);
	fv.cells = NULL;
	fv.bands = NULL;
	fv.capc = fv.capb = 0;
	form_free(fv.live);
	check_free(fv.chk);
	doc_close(&fv.d);
	for (size_t i = 0; i < fv.nu; i++)
		undo_free(&fv.undo[i]);
	clear_redo();
	free(fv.undo);
	free(fv.redo);
	fv.undo = fv.redo = NULL;
	fv.nu = fv.capu = fv.capr = 0;
	fv.open = false;
	forget_shown();
	rvf_close();
}

static void fv_enter(struct app *a)
{
	if (fv.open && fv.id == a->open_id)
		return;		/* back from help */
	fv_close();
	memset(&fv.d, 0, sizeof fv.d);
	int rc = doc_open(&fv.d, a->s, a->open_id);
	if (rc == STORE_OK)
		rvf_open(a->s, a->open_id);
	if (rc != STORE_OK) {
		char buf[512];
		snprintf(buf, sizeof buf, _("Cannot open form %lld: %s"), (long long)a->open_id,
			 fv.d.err[0] ? fv.d.err : store_errmsg(a->s));
		doc_close(&fv.d);
		dlg_message(a, buf);
		a->list_sel = a->open_id;
		app_switch(a, SCR_LIST);
		return;
	}
	fv.open = true;
	fv.id = a->open_id;
	fv.live = form_copy(fv.d.f);
	fv.lay = layout_find(fv.live->layout);
	if (!fv.lay)
		fv.lay = layout_find(DEFAULT_LAYOUT);
	fv.ro = a->mode == SCREEN_REVIEW || fv.live->status == STATUS_SUBMITTED ||
		fv.live->status == STATUS_APPROVED;
	fv.chk = check_new(fv.live->n_ind + 8);
	recheck();
	fv.msg[0] = 0;
	fv.saved[0] = 0;
	fv.top = 0;
	fv.row_ctx = 0;
	fv.group = 0;
	build();
	int n, ch[1];
	marks(ch, &n, 0);
	fv.focus = next_focus(-1, 1);
	if (fv.focus < 0 || !(fv.cells[fv.focus].flags & F_FOCUS))
		fv.focus = -1;
	if (fv.ro)
		say(2, "%s", a->mode == SCREEN_REVIEW ? _("Read-only: reviewing.") :
		    fv.live->status == STATUS_APPROVED ? _("Read-only: this form has been approved.") :
		    _("Read-only: this form has been submitted."));
	start_edit();
}

static void fv_draw(struct app *a)
{
	if (!fv.open)
		return;
	if (fv.W != COLS || fv.H != LINES) {
		char *path = fv.focus >= 0 ? xstrdup(fv.cells[fv.focus].path) : NULL;
		bool was = fv.editing;
		struct ebuf keep = fv.eb;
		fv.editing = false;
		build();
		int n, ch[1];
		marks(ch, &n, 0);
		if (path) {
			int k = cell_for_path(path);
			fv.focus = k >= 0 ? k : next_focus(-1, 1);
			free(path);
		}
		fv.editing = was;
		fv.eb = keep;
		if (fv.editing)
			cell_refresh(&fv.cells[fv.focus]);
	}
	redraw_all(a);
}

/* After the text changed: live form, rules, the cells that changed. */
static void text_changed(struct app *a)
{
	struct cell *c = &fv.cells[fv.focus];
	form_set(fv.live, c->path, fv.eb.s, NULL);
	recheck();
	fv.dirty = true;
	bool grew = cell_refresh(c);
	int ncomp = 0, comp_changed[32];
	/* only figures feed the computed cells; text fields cannot change them */
	bool figures = (c->flags & (F_NUM | F_AUTO)) != 0;
	for (int i = 0; figures && i < fv.nc; i++) {
		if (!fv.cells[i].comp || fv.cells[i].comp == CP_DASH)
			continue;
		bool same;
		if (cell_refresh_text(&fv.cells[i], &same))
			grew = true;
		if (!same && ncomp < 32)
			comp_changed[ncomp++] = i;
	}
	if (fv.lay->group_weights && c->fld == IND_WEIGHT)
		grew = true;
	if (fv.narrow && c->ind >= 0)
		grew = true;	/* the panel repeats the row */
	int changed[64], nch;
	marks(changed, &nch, 64);
	fv.msg[0] = 0;
	if (nch > 64 || fv.full || (grew && (fv.narrow || ncomp > 0))) {
		redraw_all(a);
		return;
	}
	if (grew) {
		/* the cell's band changed height: what is above it stays, what is
		 * below it moves (the terminal shifts those lines itself) */
		int k = c->band, old_end = fv.bands[k].y + fv.bands[k].h, old_h = fv.form_h;
		measure();
		scroll_to_focus();
		if (fv.full) {
			redraw_all(a);
			return;
		}
		int delta = fv.form_h - old_h;
		if (!shift_below(k, old_end, delta))
			draw_body_from(fv.bands[k].y - 1);
		for (int i = 0; i < nch; i++)
			draw_cell(&fv.cells[changed[i]]);
		draw_top(a);
		draw_status();
		draw_keys(a);
		place_cursor();
		return;
	}
	draw_clip(fv.body_top, fv.body_top + fv.body_h);
	scroll_to_focus();
	if (fv.full) {
		redraw_all(a);
		return;
	}
	draw_cell(c);
	for (int i = 0; i < ncomp; i++)
		draw_cell(&fv.cells[comp_changed[i]]);
	for (int i = 0; i < nch; i++)
		draw_cell(&fv.cells[changed[i]]);
	draw_top(a);
	draw_status();
	draw_keys(a);
	place_cursor();
}

/* An editing key on a read-only form: say why nothing happens. */
static void refuse_edit(struct app *a)
{
	if (fv.live->status == STATUS_SUBMITTED)
		say(1, "%s", _("Read-only: this form is submitted; it cannot be changed unless a reviewer returns it."));
	else if (fv.live->status == STATUS_APPROVED)
		say(1, "%s", _("Read-only: this form is approved; it cannot be changed."));
	else
		say(1, "%s", a->mode == SCREEN_REVIEW ? _("Read-only: reviewing (the unit edits its own forms).") :
		    _("Read-only."));
	draw_status();
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
			redraw_all(a);
			return;
		}
	}
	say(2, "%s", _("No findings on this form."));
	draw_status();
}

/* A review key (ui/reviewform.c), then what it needs on screen. */
static void review_key(struct app *a, int k)
{
	const char *path = fv.focus >= 0 ? fv.cells[fv.focus].path : "";
	int sev = 2;
	enum rvf_result r = rvf_key(a, &fv.d, path, k, fv.msg, sizeof fv.msg, &sev);
	fv.msg_sev = sev;
	if (r == RVF_STATUS) {
		/* the doc reloaded the form: the screen follows, read-only or not */
		char keep[sizeof fv.msg];
		memcpy(keep, fv.msg, sizeof keep);
		reload_live();
		fv.ro = a->mode == SCREEN_REVIEW || fv.live->status == STATUS_SUBMITTED ||
			fv.live->status == STATUS_APPROVED;
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

/* The reviewer's pager: the next or previous form of the list. */
static void review_step(struct app *a, int dir)
{
	if (a->pager_step) {	/* the pager's order, one indexed query (ui/reviewview.c) */
		int64_t id = a->pager_step(a, dir);
		if (!id) {
			say(2, "%s", dir > 0 ? _("This is the last form.") : _("This is the first form."));
			draw_status();
			return;
		}
		fv_close();
		a->open_id = id;
		fv_enter(a);
		if (fv.open)
			redraw_all(a);
		return;
	}
	size_t i = 0;
	while (i < a->nids && a->ids[i] != fv.id)
		i++;
	if (i >= a->nids || (dir < 0 && i == 0) || (dir > 0 && i + 1 >= a->nids)) {
		say(2, "%s", dir > 0 ? _("This is the last form.") : _("This is the first form."));
		draw_status();
		return;
	}
	fv_close();
	a->open_id = a->ids[(size_t)((long)i + dir)];
	fv_enter(a);
	if (fv.open)
		redraw_all(a);
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
			draw_status();
			place_cursor();
		}
	} else if (moved) {
		scroll_to_focus();
		if (fv.full) {
			redraw_all(a);
		} else {
			if (c->flags & F_PANEL)
				draw_cell(c);	/* its two lines follow the cursor */
			place_cursor();
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
		draw_status();
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
	if (rvf_wants(a, fv.ro, k)) {	/* submit, return, approve, comments (ui/reviewform.c) */
		if (!commit(a)) {
			draw_status();
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
			row_op(a, U_ADD);
		return;
	case KF(KEY_F(4)):
		if (!fv.ro)
			row_op(a, U_DEL);
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
			draw_status();
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
		forget_shown();
		erase();
		draw_top(a);
		draw_body();
		draw_panel();
		draw_status();
		draw_keys(a);
		place_cursor();
		return;
	default:
		if (c && typing && c->flags & F_PICK) {
			pick(a);
			return;
		}
		if (c && typing && !(c->flags & F_EDIT)) {
			say(2, "%s", _("This cell is computed; it changes with the figures it comes from."));
			draw_status();
		}
		return;
	}
	if (to >= 0 && to == fv.focus && fv.dirty) {
		/* nowhere further to go: still, the field is left as it is now */
		commit(a);
		draw_top(a);
		draw_status();
		place_cursor();
		return;
	}
	if (to >= 0 && to != fv.focus) {
		if (!set_focus(a, to)) {
			draw_status();
			place_cursor();
			return;
		}
		if (!fv.resync)
			fv.msg[0] = 0;
		scroll_to_focus();
		if (fv.full) {
			redraw_all(a);
		} else {
			draw_cell(&fv.cells[fv.focus]);
			draw_top(a);
			draw_status();
			draw_panel();
			place_cursor();
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
	if (!commit(a)) {
		fv.last_key = app_now() + 4.0;	/* retry later, not in a loop */
		draw_status();
		place_cursor();
		return;
	}
	draw_top(a);
	draw_status();
	place_cursor();
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
	redraw_all(a);
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
		draw_status();
		place_cursor();
		return false;
	}
	return true;
}

const struct screen form_screen = { fv_enter, fv_draw, fv_key, fv_idle_ms, fv_idle, fv_leave, fv_close };
