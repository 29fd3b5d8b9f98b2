/*
 * formgrid: the form screen's paper table, without drawing it.
 *
 * The form is laid out as bands (horizontal strips of the paper table) of
 * cells; a cell is a label, a field (a form path), or a computed figure.
 * Cells wrap their text in their column (ustr_wrap) and bands grow to their
 * tallest cell; 一级/二级 cells span the rows they share, as on paper.
 * Below 116 columns the table condenses (一级·二级 in one column) and a
 * detail panel shows the focused row's deviation text and unit.  Here too:
 * what each cell shows (values and computed figures) and its finding mark.
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
#include "formview.h"

/* ---- values -------------------------------------------------------------- */

const char *fg_ind_v(size_t i, int f)
{
	return i < fv.sh.live->n_ind ? fv.sh.live->ind[i].v[f] : NULL;
}

static bool same_text(const char *a, const char *b)
{
	return a && b && *a && strcmp(a, b) == 0;
}

/* The levels offered, as the official list has them: 一级 and, by 一级, its 二级. */
const char *const fg_level1_items[4] = { "产出指标", "成本指标", "效益指标", "满意度指标" };
const char *const fg_level2_of[4][5] = {
	{ "数量指标", "质量指标", "时效指标", "成本指标", NULL },
	{ "经济成本指标", "社会成本指标", "生态环境成本指标", NULL },
	{ "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", NULL },
	{ "服务对象满意度指标", NULL },
};
/* Short name of a level: "产出指标" -> "产出". */
static void short_level(const char *s, char *out, size_t len)
{
	snprintf(out, len, "%s", s ? s : "");
	size_t n = strlen(out), k = strlen("指标");
	if (n > k && strcmp(out + n - k, "指标") == 0)
		out[n - k] = 0;
}

/* 一级·二级 in the condensed table's one column, short: "成本·经济" for
 * 成本指标 / 经济成本指标 (the 二级 repeats its 一级), "满意度" alone when
 * the 一级 has but that one 二级.  Cut to the column (the detail panel
 * names both in full), so the cell stays one line. */
static void short_levels(const struct cell *c, char *buf, size_t len)
{
	const char *l1 = fg_ind_v(c->ind, IND_LEVEL1), *l2 = fg_ind_v(c->ind, IND_LEVEL2);
	char a[64], b[64];
	short_level(l1, a, sizeof a);
	short_level(l2, b, sizeof b);
	size_t na = strlen(a), nb = strlen(b);
	if (na && nb > na && strcmp(b + nb - na, a) == 0)
		b[nb - na] = 0;
	for (int i = 0; i < 4 && l1 && l2; i++)
		if (strcmp(l1, fg_level1_items[i]) == 0 && !fg_level2_of[i][1] &&
		    strcmp(l2, fg_level2_of[i][0]) == 0)
			b[0] = 0;
	char whole[160];
	snprintf(whole, sizeof whole, "%s%s%s", a, *a && *b ? "·" : "", b);
	char *fit = ustr_fit(whole, c->w);
	snprintf(buf, len, "%s", fit);
	free(fit);
}

/* A computed cell the paper prints (F_EDIT): what is stored, as for any
 * field; only where nothing is stored, what the rules compute (F2 stores
 * it, and a figure saved stores it too: sheet_sync_computed). */
static const char *printed_value(const struct cell *c)
{
	static char yscratch[FORM_SCRATCH];
	const char *v = c->flags & F_EDIT ? form_get(fv.sh.live, c->path, yscratch) : NULL;
	return v && *v ? v : NULL;
}

static const char *cell_value(const struct cell *c, char *buf, size_t len)
{
	const struct check *k = fv.sh.chk;
	const char *stored = printed_value(c);
	if (c->flags & F_LABEL)
		return c->label;
	if (stored && c->comp != CP_GRADE && c->comp != CP_TOTAL_LINE)
		return stored;
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
		if (!num_parse(fv.sh.live->funds[FUND_TOTAL][FUND_WEIGHT] ?
			       fv.sh.live->funds[FUND_TOTAL][FUND_WEIGHT] : "0", &sum))
			return "";
		for (size_t i = 0; i < fv.sh.live->n_ind; i++)
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
		const char *g = fv.sh.live->total_grade && *fv.sh.live->total_grade ?
				fv.sh.live->total_grade : k->grade;
		if (k->suggested_total[0] && strcmp(k->suggested_total, k->total_score) != 0) {
			char sug[64];
			snprintf(sug, sizeof sug, _("suggested %s"), k->suggested_total);
			snprintf(buf, len, "%s%s（%s）", pre, g, sug);
		} else
			snprintf(buf, len, "%s%s", pre, g);
		return buf;
	}
	default:
		break;
	}
	if (c->pick == PK_LEVELS) {
		short_levels(c, buf, len);
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
	return form_get(fv.sh.live, c->path, yscratch);
}

bool fg_looks_numeric(const char *s)
{
	return s && (strchr("0123456789.+-≥≤=<>", *s) != NULL && *s);
}

/* Wrap c->text into c->st/c->ln, keeping the first `keep` lines (they
 * start and end where they did); the whole line count. */
static size_t wrap_from(struct cell *c, int keep)
{
	size_t off = keep > 0 ? c->st[keep] : 0;
	size_t n = ustr_wrap(c->text + off, c->w, c->st + keep, c->ln + keep,
			     (size_t)(c->cap - keep));
	for (int i = keep; i < c->cap && (size_t)i < (size_t)keep + n; i++)
		c->st[i] += off;
#ifdef JXZP_CHECK_WRAP
	size_t st[4096], ln[4096], m = ustr_wrap(c->text, c->w, st, ln, 4096);
	assert(m == (size_t)keep + n);
	for (size_t i = 0; i < m && i < (size_t)c->cap; i++)
		assert(st[i] == c->st[i] && ln[i] == c->ln[i]);
#endif
	return (size_t)keep + n;
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
	char *t = ustr_scrub(v ? v : "", (c->flags & (F_MULTI | F_LABEL)) != 0);
	int old = c->nl, keep = 0;
	if (c->text && c->nl > 0 && c->nl <= c->cap) {
		/* Typing changes the text from one place on: the lines well
		 * above it stay as they were.  A line's break depends on the
		 * text up to one line past its end (a new break opportunity
		 * there can pull a word up), so wrapping starts again two lines
		 * above the line of the first changed byte. */
		size_t p = 0;
		while (c->text[p] && c->text[p] == t[p])
			p++;
		int j = 0;
		while (j + 1 < c->nl && c->st[j + 1] <= p)
			j++;
		keep = j >= 2 ? j - 2 : 0;
	}
	free(c->text);
	c->text = t;
	size_t n = wrap_from(c, keep);
	if (n > (size_t)c->cap) {
		c->cap = (int)n + 4;
		c->st = realloc(c->st, (size_t)c->cap * sizeof *c->st);
		c->ln = realloc(c->ln, (size_t)c->cap * sizeof *c->ln);
		if (!c->st || !c->ln)
			abort();
		n = wrap_from(c, keep);
	}
	c->nl = (int)n;
	c->fresh = keep;
	return c->nl != old;
}

bool fg_cell_refresh(struct cell *c)
{
	return fg_cell_refresh_text(c, NULL);
}

int fg_cell_lines(const struct cell *c)
{
	if (fv.room > c->nl && fv.editing && fv.focus >= 0 && c == &fv.cells[fv.focus] &&
	    fv.room_cell == fv.focus)
		return fv.room;
	return c->nl;
}

/* Rows below a cell that gains a line move.  The terminal scrolls them
 * (fd_shift_below), yet ncurses still compares every line below, old and
 * new, and writes the lines inserted border by border: ~0.7 M instructions
 * for a move of one line, ~1 M for two, where a keystroke otherwise costs
 * ~50 k.  What is left to cut is how often that happens: the first time
 * the text needs one more line the cell takes two, the second one blank;
 * typing on fills it, and the rows below move once per two lines, by two.
 * Deleting gives lines back the same way.  The slack is the typed-into
 * cell's only (a blank line under the cursor, as an editor leaves); once
 * the focus leaves, the table is the paper form's again, each cell as tall
 * as its text. */
bool fg_fit_room(struct cell *c, int was)
{
	if (c->flags & F_PANEL || c->vspan != 1 || fv.focus < 0 || c != &fv.cells[fv.focus])
		return c->nl != was;
	if (fv.room_cell != fv.focus)
		fv.room = 0;
	fv.room_cell = fv.focus;
	if (c->nl > was && c->nl > 1)
		fv.room = c->nl + 1;
	else if (fv.room && c->nl + 2 < fv.room)
		fv.room = c->nl > 1 ? c->nl + 1 : 0;
	return fg_cell_lines(c) != was;
}

/* ---- layout ------------------------------------------------------------------ */

/* The findings fg_marks() last placed, by field and severity: most keystrokes
 * leave them as they were, and then no cell's mark can change. */
static struct { char (*field)[48]; int *sev; size_t n, cap; bool ok; } marked;

void fg_layout_free(void)
{
	marked.ok = false;	/* new cells have no marks yet */
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
	if (flags & F_EDIT)
		c->flags |= F_FOCUS;
	return c;
}

/* Column widths: n columns with minimum widths and flex weights filling W. */
/* The inner column borders of the part of the table split last (fg_build
 * starts with none). */
static int split_edges[16], split_nedges;

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
	/* A rule line between two parts of the table crosses both parts'
	 * column borders: borders side by side read as a glitch
	 * ("┬┴"), so a border next to one of the part above moves onto it
	 * (┼), when both its columns keep their minimum width. */
	for (int i = 1; i < n; i++) {
		int at = x[i] - 2, best = 0;
		for (int e = 0; e < split_nedges; e++) {
			int d = split_edges[e] - at;
			if (d == 0) {
				best = 0;
				break;
			}
			if ((d == -1 || d == 1) && !best &&
			    w[i - 1] + d >= minw[i - 1] && w[i] - d >= (minw[i] > 1 ? minw[i] : 1))
				best = d;
		}
		w[i - 1] += best;
		x[i] += best;
		w[i] -= best;
	}
	split_nedges = 0;
	for (int i = 1; i < n && split_nedges < (int)(sizeof split_edges / sizeof split_edges[0]); i++)
		split_edges[split_nedges++] = x[i] - 2;
}

/* The x and width of columns a..b taken as one cell. */
static void span(const int *x, const int *w, int a, int b, int *sx, int *sw)
{
	*sx = x[a];
	*sw = x[b] + w[b] - x[a];
}

void fg_ind_path(char *buf, size_t len, size_t i, int f)
{
	form_ind_path(buf, len, i, f);
}

static void build_indicators(void)
{
	const struct form *f = fv.sh.live;
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
		comp(b, sx, sw, "total.grade", CP_TOTAL_LINE, F_CENTER | F_EDIT);
	else
		label(b, sx, sw, "总分", F_CENTER);
	comp(b, x[wi], w[wi], "total.weight", CP_TOTAL_WEIGHT, F_NUM | F_EDIT);
	comp(b, x[si], w[si], "total.score", CP_TOTAL_SCORE, F_NUM | F_EDIT);
	if (si + 1 < n) {
		span(x, w, si + 1, n - 1, &sx, &sw);
		comp(b, sx, sw, "total.grade", CP_GRADE, F_EDIT);
	}
}

/* A returned form shows its reviewer's reason under the top line. */
bool fg_reason_shown(void)
{
	return fv.sh.live->status == STATUS_RETURNED && fv.sh.live->return_reason && *fv.sh.live->return_reason;
}

void fg_build(void)
{
	fv.room = 0;	/* the cells are new: none has slack */
	fg_layout_free();
	split_nedges = 0;
	/* Never laid out below 80×24: a smaller terminal shows only the
	 * "terminal too small" screen (app_size_ok), and every width sum below
	 * assumes the table's minimum widths fit. */
	fv.W = COLS < APP_MIN_COLS ? APP_MIN_COLS : COLS;
	fv.H = LINES < APP_MIN_LINES ? APP_MIN_LINES : LINES;
	fv.narrow = fv.W < 116;
	const struct form *f = fv.sh.live;
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
				/* 执行率 and the budget score are printed on paper:
				 * typed or computed (F2), shown as stored */
				if (k == FUND_RATE)
					c = comp(b, cx, cw, p, CP_RATE, F_NUM | F_EDIT);
				else if (k == FUND_SCORE && r == FUND_TOTAL)
					c = comp(b, cx, cw, p, CP_BUDGET_SCORE, F_NUM | F_EDIT);
				else if (k == FUND_SCORE)
					c = comp(b, cx, cw, p, CP_DASH, F_NUM);
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
	fv.body_top = 1 + (fg_reason_shown() ? 1 : 0);	/* 退回原因 under the top line */
	fv.body_h = fv.H - 3 - fv.body_top - fv.panel_h;
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
		if (c->vspan == 1 && !(c->flags & (F_PANEL | F_COVERED)) && fg_cell_lines(c) > fv.bands[c->band].h)
			fv.bands[c->band].h = fg_cell_lines(c);
	}
	/* the merged cells, in order (a band looks only at those ending in it:
	 * measuring runs on every line a typed cell gains) */
	static int *merged;
	static size_t cap;
	size_t nm = 0;
	if (cap < (size_t)fv.nc) {
		cap = (size_t)fv.nc + 64;
		merged = realloc(merged, cap * sizeof *merged);
		if (!merged)
			abort();
	}
	for (int i = 0; i < fv.nc; i++)
		if (fv.cells[i].vspan > 1)
			merged[nm++] = i;
	int y = 0;
	for (int k = 0; k < fv.nb; k++) {
		struct band *b = &fv.bands[k];
		y += b->sep ? 1 : 0;
		b->y = y;
		y += b->h;
		/* a merged cell taller than its rows stretches its last row */
		for (size_t m = 0; m < nm; m++) {
			struct cell *c = &fv.cells[merged[m]];
			if (c->band + c->vspan - 1 == k) {
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
void fg_cell_rows(const struct cell *c, int *y, int *h)
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
		if (*end != ']' || i >= fv.sh.live->n_ind)
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


static bool marks_same(void)
{
	const struct check *k = fv.sh.chk;
	if (!marked.ok || marked.n != k->n_findings)
		return false;
	for (size_t i = 0; i < k->n_findings; i++)
		if (marked.sev[i] != (int)k->findings[i].severity ||
		    strcmp(marked.field[i], k->findings[i].field) != 0)
			return false;
	return true;
}

static void marks_remember(void)
{
	const struct check *k = fv.sh.chk;
	if (k->n_findings > marked.cap) {
		marked.cap = k->n_findings + 16;
		marked.field = realloc(marked.field, marked.cap * sizeof *marked.field);
		marked.sev = realloc(marked.sev, marked.cap * sizeof *marked.sev);
		if (!marked.field || !marked.sev)
			abort();
	}
	for (size_t i = 0; i < k->n_findings; i++) {
		memcpy(marked.field[i], k->findings[i].field, sizeof marked.field[i]);
		marked.sev[i] = (int)k->findings[i].severity;
	}
	marked.n = k->n_findings;
	marked.ok = true;
}

/* Recompute marks; returns how many cells changed (their index in changed[]). */
void fg_marks(int *changed, int *nchanged, int max)
{
	if (marks_same()) {
		*nchanged = 0;
		return;
	}
	marks_remember();
	int *m = calloc((size_t)fv.nc, sizeof *m);
	if (!m)
		abort();
	for (int i = 0; i < fv.nc; i++)
		m[i] = -1;
	for (size_t k = 0; k < fv.sh.chk->n_findings; k++) {
		const struct finding *fd = &fv.sh.chk->findings[k];
		if (fd->severity == SEV_NOTE)
			continue;
		int c = fg_cell_for_path(fd->field);
		if (c >= 0 && (m[c] < 0 || (int)fd->severity < m[c]))
			m[c] = (int)fd->severity;
	}
	for (int i = 0; i < fv.nc; i++)	/* triage signals (ui/reviewform.c): warnings */
		if (m[i] < 0 && rvf_signal_at(fv.cells[i].path))
			m[i] = SEV_WARNING;
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
