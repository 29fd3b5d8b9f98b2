/*
 * io_table_form: tables (table.h) to 项目支出绩效自评表.  Every file reader
 * hands its tables here; this is the one place that knows the paper form.
 * Several forms per table list; the layout (beijing-2021, district-2023,
 * district-2024) is recognised from the content.
 *
 * What it promises:
 * - every value is kept as shown ("738.62892", "100%", "≥95%"); only what
 *   the conversion to text or a wrapped cell leaves is undone: spaces that
 *   a wrapped cell left between two CJK characters, cells wrapped onto the
 *   next row, 一级/二级 printed once per group (carried down to every row);
 * - it is driven by the official labels and the shape of the paper table,
 *   never by row numbers: cells are found relative to their labels, and the
 *   varying number of empty columns that merged cells leave is tolerated;
 * - whatever it cannot read becomes a problem with its row, attached to
 *   that form; a form that could not be read whole is flagged incomplete
 *   (not to be imported).
 * - linear in its input: a row of a million cells costs a million steps.
 */
#include "config.h"
#include "io.h"
#include "i18n.h"
#include "sbuf.h"
#include "table.h"
#include "ustr.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistr.h>
#include <uniwidth.h>

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();	/* out of memory */
	return p;
}

/* ------------------------------------------------------------------ */
/* characters                                                          */

/* Decode one character at s (valid UTF-8 is guaranteed by the caller). */
static size_t dec(const char *s, size_t n, ucs4_t *uc)
{
	int k = u8_mbtouc(uc, (const uint8_t *)s, n);
	return k > 0 ? (size_t)k : 1;
}

/* Space inside a cell: ASCII space, NBSP, ideographic space. */
static bool is_space_uc(ucs4_t c)
{
	return c == ' ' || c == 0xA0 || c == 0x3000 || c == '\r' || c == '\f' || c == '\v';
}

/* A character a wrapped CJK cell never has a space beside: wide ones
 * (ideographs, full-width punctuation). */
static bool is_wide(ucs4_t c)
{
	return c >= 0x1100 && uc_width(c, "UTF-8") == 2;
}

/* Last character before byte `end`. */
static ucs4_t last_uc(const char *s, size_t end)
{
	if (end == 0)
		return 0;
	size_t i = end - 1;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	ucs4_t c;
	dec(s + i, end - i, &c);
	return c;
}

static ucs4_t first_uc(const char *s)
{
	ucs4_t c = 0;
	if (*s)
		dec(s, strnlen(s, 4), &c);
	return c;
}

/* Bytes of a space squeeze() drops at s (0 if none). */
static size_t space_len(const char *s)
{
	unsigned char b = (unsigned char)s[0];
	if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v')
		return 1;
	if (b == 0xC2 && (unsigned char)s[1] == 0xA0)
		return 2;
	if (b == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

/* Whether s[0..n) holds any space squeeze() or clean() would act on. */
static bool has_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char b = (unsigned char)s[i];
		if (b == ' ' || (b >= '\t' && b <= '\r') ||
		    (b == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) ||
		    (b == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		     (unsigned char)s[i + 2] == 0x80))
			return true;
	}
	return false;
}

static char *copy_n(const char *s, size_t n)
{
	char *out = malloc(n + 1);
	if (!out)
		abort();	/* out of memory */
	memcpy(out, s, n);
	out[n] = '\0';
	return out;
}

/*
 * A value as printed: trimmed, runs of spaces made one, spaces between two
 * wide characters dropped (a wrapped cell's artefact: "产出 指标", "达到良以
 * 上"), newlines kept (paragraphs), spaces around them dropped.  Caller frees.
 */
static char *clean_n(const char *s, size_t n)
{
	/* the result is never longer than s: one allocation, no sbuf (the
	 * reader cleans every cell of every form; this was its hot spot) */
	size_t i = 0, len = 0;
	if (!has_space(s, n))	/* most cells: nothing to tidy */
		return copy_n(s, n);
	char *out = malloc(n + 1);
	if (!out)
		abort();	/* out of memory */
	bool pend_space = false, pend_nl = false;
	ucs4_t prev = 0;
	while (i < n) {
		ucs4_t c;
		size_t k;
		if ((unsigned char)s[i] < 0x80) {
			c = (unsigned char)s[i];
			k = 1;
		} else {
			k = dec(s + i, n - i, &c);
		}
		if (is_space_uc(c) || c == '\t') {
			pend_space = true;
		} else if (c == '\n') {
			pend_nl = true;
		} else {
			if (len > 0) {
				if (pend_nl)
					out[len++] = '\n';
				else if (pend_space && !(is_wide(prev) && is_wide(c)))
					out[len++] = ' ';
			}
			pend_space = pend_nl = false;
			memcpy(out + len, s + i, k);
			len += k;
			prev = c;
		}
		i += k;
	}
	assert(len <= n);
	out[len] = '\0';
	return out;
}

static char *clean(const char *s) { return clean_n(s, strlen(s)); }

/* For matching labels: every space removed ("一级指 标" is 一级指标).
 * Byte by byte: in valid UTF-8 the bytes of NBSP (C2 A0) and the
 * ideographic space (E3 80 80) only ever stand for those characters. */
static char *squeeze(const char *s)
{
	size_t n = strlen(s), len = 0;
	if (!has_space(s, n))
		return copy_n(s, n);
	char *out = malloc(n + 1);
	if (!out)
		abort();	/* out of memory */
	for (size_t i = 0; i < n;) {
		unsigned char b = (unsigned char)s[i];
		if (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v') {
			i++;
		} else if (b == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) {
			i += 2;
		} else if (b == 0xE3 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			   (unsigned char)s[i + 2] == 0x80) {
			i += 3;
		} else {
			out[len++] = s[i++];
		}
	}
	out[len] = '\0';
	return out;
}

/* strcmp(squeeze(s), label) == 0 without making the squeezed copy. */
static bool squeezed_is(const char *s, const char *label)
{
	for (;;) {
		size_t k;
		while (*s && (k = space_len(s)) > 0)
			s += k;
		if (!*s || !*label)
			return !*s && !*label;
		if (*s++ != *label++)
			return false;
	}
}

static bool starts(const char *s, const char *p) { return strncmp(s, p, strlen(p)) == 0; }

/* Join a wrapped cell's pieces: no space between wide characters. */
static char *join2(const char *a, const char *b, const char *sep_other)
{
	struct sbuf r = { 0 };
	sb_add(&r, a);
	if (*a && *b) {
		ucs4_t x = last_uc(a, strlen(a)), y = first_uc(b);
		if (!(is_wide(x) && is_wide(y)))
			sb_add(&r, sep_other);
	}
	sb_add(&r, b);
	return sb_take(&r);
}

/* A printed figure: "10", "8.95", "-3". */
static bool is_num(const char *s)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!(*p >= '0' && *p <= '9'))
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* A weight or score as forms print them: "10", "8.95", "１０", "10分".
 * Only for finding where a row's figures are; values stay as printed. */
static bool is_score(const char *s)
{
	if (is_num(s))
		return true;
	if (!*s || strnlen(s, 65) > 64)
		return false;
	char *n = ustr_nfkc(s);
	size_t len = strlen(n);
	if (len > strlen("分") && strcmp(n + len - strlen("分"), "分") == 0)
		n[len - strlen("分")] = '\0';
	bool r = is_num(n);
	free(n);
	return r;
}

/* "(50分)", "（10分）": a group weight printed under the 一级 label. */
static bool is_group_weight(const char *sq)
{
	const char *p = sq;
	if (starts(p, "("))
		p += 1;
	else if (starts(p, "（"))
		p += strlen("（");
	else
		return false;
	const char *d = p;
	while ((*p >= '0' && *p <= '9') || *p == '.')
		p++;
	if (p == d || !starts(p, "分"))
		return false;
	p += strlen("分");
	return strcmp(p, ")") == 0 || strcmp(p, "）") == 0;
}

/* A list item starts here: "1、", "2.", "3)", "（1）", "一、". */
static bool list_marker(const char *s)
{
	while (*s == ' ')
		s++;
	const char *p = s;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p > s && p - s <= 3)
		return starts(p, "、") || starts(p, ".") || starts(p, "．") || *p == ')' ||
		       starts(p, "）");
	if (starts(s, "（") || starts(s, "("))
		return true;
	static const char *const cn[] = { "一、", "二、", "三、", "四、", "五、", "六、",
					  "七、", "八、", "九、", "十、" };
	for (size_t i = 0; i < sizeof cn / sizeof *cn; i++)
		if (starts(s, cn[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* lines and cells                                                     */

struct cell {
	char *t;	/* cleaned text; "" for an empty cell */
	int col;	/* position in the line (tab-separated: column) */
};

struct line {
	long no;	/* 1-based */
	char *text;	/* markup undone */
	char *sq;	/* text without spaces, for labels */
	struct cell *c;
	int nc;
	bool blank;
	bool ends_tab;
};

/* A row as the reader's line: a grid row gets a cell for every column up
 * to its last (the empty ones that merged cells leave included, as the
 * paper's text has them); a row of words gets its words.  The line text is
 * the cells joined by tabs (or spaces), for the labels found inside it. */
static void line_from_row(struct line *l, const struct table *t, const struct trow *r)
{
	memset(l, 0, sizeof *l);
	l->no = r->line;
	int nc = 0;
	if (t->grid) {
		for (int k = 0; k < r->n; k++)
			if (r->cells[k].col + 1 > nc)
				nc = r->cells[k].col + 1;
	} else {
		nc = r->n;
	}
	l->c = xrealloc(NULL, sizeof *l->c * (size_t)(nc ? nc : 1));
	l->nc = nc;
	int k = 0;
	struct sbuf text = { 0 };
	for (int col = 0; col < nc; col++) {
		const char *raw = "";
		if (!t->grid) {
			raw = r->cells[col].text;
		} else {
			while (k < r->n && r->cells[k].col < col)
				k++;	/* a second cell at one column: the first counts */
			if (k < r->n && r->cells[k].col == col)
				raw = r->cells[k++].text;
		}
		l->c[col].t = clean(raw);
		l->c[col].col = col;
		if (col)
			sb_add(&text, t->grid ? "\t" : " ");
		sb_add(&text, l->c[col].t);
	}
	l->text = sb_take(&text);
	l->sq = squeeze(l->text);
	/* a row that ends in an empty cell cannot go on with its last cell */
	l->ends_tab = !t->rows_may_wrap || (nc > 1 && !*l->c[nc - 1].t);
	l->blank = true;
	for (int j = 0; j < l->nc; j++)
		if (*l->c[j].t)
			l->blank = false;
}

static void free_line(struct line *l)
{
	for (int k = 0; k < l->nc; k++)
		free(l->c[k].t);
	free(l->c);
	free(l->text);
	free(l->sq);
	memset(l, 0, sizeof *l);
}

/* ------------------------------------------------------------------ */
/* labels                                                              */

static const char *const level1_labels[] = { "产出指标", "成本指标", "效益指标", "满意度指标" };
/* 二级 by its 一级, spec/form.md (成本指标 under 产出 in the older layouts). */
static const struct {
	const char *l1, *l2;
} taxonomy[] = {
	{ "产出指标", "数量指标" }, { "产出指标", "质量指标" }, { "产出指标", "时效指标" },
	{ "产出指标", "成本指标" }, { "成本指标", "经济成本指标" }, { "成本指标", "社会成本指标" },
	{ "成本指标", "生态环境成本指标" }, { "效益指标", "经济效益指标" },
	{ "效益指标", "社会效益指标" }, { "效益指标", "生态效益指标" },
	{ "效益指标", "可持续影响指标" }, { "满意度指标", "服务对象满意度指标" },
};

/* The 一级 label a cell names (weight "(50分)" after it allowed), or NULL. */
static const char *level1_of(const char *sq)
{
	for (size_t i = 0; i < sizeof level1_labels / sizeof *level1_labels; i++)
		if (starts(sq, level1_labels[i]) &&
		    (sq[strlen(level1_labels[i])] == '\0' ||
		     is_group_weight(sq + strlen(level1_labels[i]))))
			return level1_labels[i];
	return NULL;
}

static bool level2_under(const char *l1, const char *sq)
{
	for (size_t i = 0; i < sizeof taxonomy / sizeof *taxonomy; i++)
		if (l1 && strcmp(taxonomy[i].l1, l1) == 0 && strcmp(taxonomy[i].l2, sq) == 0)
			return true;
	return false;
}

static const char *level2_parent(const char *sq)
{
	for (size_t i = 0; i < sizeof taxonomy / sizeof *taxonomy; i++)
		if (strcmp(taxonomy[i].l2, sq) == 0)
			return taxonomy[i].l1;
	return NULL;
}

/* Looks like a 二级 label: known, or a short text ending in 指标/满意度. */
static bool looks_level2(const char *sq)
{
	if (level2_parent(sq))
		return true;
	size_t n = strlen(sq);
	size_t chars = u8_mbsnlen((const uint8_t *)sq, n);
	if (chars > 12)
		return false;
	const char *ends[] = { "指标", "满意度" };
	for (size_t i = 0; i < 2; i++) {
		size_t e = strlen(ends[i]);
		if (n >= e && strcmp(sq + n - e, ends[i]) == 0)
			return true;
	}
	return false;
}

/* Is sq a piece of the label (a vertical or wrapped label: "年", "年度总体")? */
static bool fragment_of(const char *sq, const char *label)
{
	return *sq && strstr(label, sq) != NULL;
}

enum { FC_NONE = -1 };
static int fund_col_of(const char *sq)
{
	static const struct {
		const char *l;
		int c;
	} m[] = {
		{ "年初预算", FUND_INITIAL }, { "全年预算", FUND_BUDGET }, { "全年执行数", FUND_SPENT },
		{ "分值", FUND_WEIGHT }, { "执行率", FUND_RATE }, { "得分", FUND_SCORE },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (starts(sq, m[i].l))
			return m[i].c;
	return FC_NONE;
}

static int fund_row_of(const char *sq)
{
	if (strstr(sq, "资金总额"))
		return FUND_TOTAL;
	if (strstr(sq, "财政拨款"))
		return FUND_APPROPRIATION;
	if (strstr(sq, "上年结转"))
		return FUND_CARRYOVER;
	if (strstr(sq, "其他资金"))
		return FUND_OTHER;
	return -1;
}

static int ind_col_of(const char *sq)
{
	static const struct {
		const char *l;
		int f;
	} m[] = {
		{ "一级指标", IND_LEVEL1 }, { "二级指标", IND_LEVEL2 }, { "三级指标", IND_NAME },
		{ "绩效指标性质", IND_NATURE }, { "指标性质", IND_NATURE },
		{ "年度指标值", IND_TARGET }, { "绩效度量单位", IND_UNIT_OF_MEASURE },
		{ "度量单位", IND_UNIT_OF_MEASURE }, { "计量单位", IND_UNIT_OF_MEASURE },
		{ "实际完成值", IND_ACTUAL }, { "全年实际值", IND_ACTUAL }, { "分值", IND_WEIGHT },
		{ "得分", IND_SCORE }, { "偏差原因", IND_DEVIATION },
	};
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (starts(sq, m[i].l))
			return m[i].f;
	return -1;
}

/* The year of a title: "(2023 年度)", "（2021年度）". 0 if none. */
static int find_year(const char *sq)
{
	for (const char *p = sq; *p; p++) {
		if (p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		    p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && starts(p + 4, "年度") &&
		    (p == sq || !(p[-1] >= '0' && p[-1] <= '9')))
			return (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	}
	return 0;
}

/* Lines that PDF conversion adds and that belong to no cell: rules made of
 * dashes, page numbers ("- 2 -", "第2页", "第2页共5页"). */
static bool is_noise(const char *sq)
{
	if (!*sq)
		return false;
	const char *p = sq;
	bool digits = false, dashes = false;
	while (*p) {
		if (*p == '-' || *p == '_' || *p == '=') {
			dashes = true;
			p++;
		} else if (starts(p, "—") || starts(p, "─")) {
			dashes = true;
			p += strlen("—");
		} else if (*p >= '0' && *p <= '9' && dashes) {
			digits = true;
			p++;
		} else {
			break;
		}
	}
	if (!*p && (dashes || digits))
		return true;
	p = sq;
	if (!starts(p, "第"))
		return false;
	p += strlen("第");
	const char *d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	if (p == d || !starts(p, "页"))
		return false;
	p += strlen("页");
	if (!*p)
		return true;
	if (!starts(p, "共"))
		return false;
	p += strlen("共");
	d = p;
	while (*p >= '0' && *p <= '9')
		p++;
	return p > d && strcmp(p, "页") == 0;
}

/* ------------------------------------------------------------------ */
/* results and problems                                                */

struct ctx {
	const char *name;
	struct io_result *out;
	size_t fi;		/* index of the form being read */
	struct form *f;
	bool incomplete;
	bool tabbed;
	struct line *L;		/* the form's lines */
	size_t nl;
};

/* A problem that leaves the form incomplete. */
#define FAIL(c, line, ...) do { (c)->incomplete = true; \
	io_problem((c)->out, (c)->fi, (line), -1, __VA_ARGS__); } while (0)
#define NOTE(c, line, ...) io_problem((c)->out, (c)->fi, (line), -1, __VA_ARGS__)

/* ------------------------------------------------------------------ */
/* the header: 项目名称 … 联系电话, found by their labels               */

static const struct {
	const char *label;
	size_t off;
} head_fields[] = {
	{ "项目名称", offsetof(struct form, project) },
	{ "主管部门", offsetof(struct form, department) },
	{ "实施单位", offsetof(struct form, unit) },
	{ "项目负责人", offsetof(struct form, lead) },
	{ "联系电话", offsetof(struct form, phone) },
};
#define N_HEAD (sizeof head_fields / sizeof *head_fields)

/* Does the label start at s, letting spaces sit between its characters
 * ("实施单 位")?  Returns the end, or NULL. */
static const char *match_spaced(const char *s, const char *label)
{
	while (*label) {
		ucs4_t want, got;
		size_t kl = dec(label, strlen(label), &want);
		while (*s == ' ')
			s++;
		if (!*s)
			return NULL;
		size_t ks = dec(s, strnlen(s, 4), &got);	/* never the rest of the line: linear */
		if (got != want)
			return NULL;
		s += ks;
		label += kl;
	}
	return s;
}

/* A short note in brackets right after a label is part of it:
 * "实施单位（盖章）", "联系电话(手机)". */
static const char *skip_note(const char *e)
{
	const char *open = starts(e, "（") ? "（" : starts(e, "(") ? "(" : NULL;
	if (!open)
		return e;
	const char *close = strcmp(open, "（") == 0 ? "）" : ")";
	const char *p = e + strlen(open);
	const char *q = strstr(p, close);
	if (!q || u8_mbsnlen((const uint8_t *)p, (size_t)(q - p)) > 6 || memchr(p, '\t', (size_t)(q - p)))
		return e;
	return q + strlen(close);
}

struct hit {
	size_t field, start, end;
};

/* Header labels in the line text; true if any starts a cell. */
static bool parse_header(struct ctx *c, const struct line *l)
{
	const char *t = l->text;
	struct hit hits[16];
	size_t nh = 0;
	for (size_t i = 0; t[i] && nh < 16; i++) {
		if (i > 0 && !(t[i - 1] == ' ' || t[i - 1] == '\t'))
			continue;
		for (size_t k = 0; k < N_HEAD; k++) {
			const char *e = match_spaced(t + i, head_fields[k].label);
			if (!e)
				continue;
			e = skip_note(e);
			if (starts(e, "："))
				e += strlen("：");
			else if (*e == ':')
				e++;
			hits[nh].field = k;
			hits[nh].start = i;
			hits[nh].end = (size_t)(e - t);
			nh++;
			i = (size_t)(e - t) - 1;
			break;
		}
	}
	if (nh == 0)
		return false;
	for (size_t h = 0; h < nh; h++) {
		size_t a = hits[h].end, b = h + 1 < nh ? hits[h + 1].start : strlen(t);
		char *raw = xrealloc(NULL, b - a + 1);
		memcpy(raw, t + a, b - a);
		raw[b - a] = '\0';
		char *v = clean(raw);
		free(raw);
		char **slot = (char **)((char *)c->f + head_fields[hits[h].field].off);
		if (*slot && **slot && !*v) {
			free(v);
			continue;
		}
		set_str(slot, v);
		free(v);
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* 项目资金                                                             */

struct fund_row_cells {
	bool seen;
	long line;
	/* the row printed as its own labels and figures, alternating
	 * ("年初预算数 200 全年预算数（A） 170 ..."): the figures by column */
	bool paired;
	const char *pair[FUND_COLS];
	struct cell *c;		/* the cells after the label; col relative to it */
	int nc;
};

struct funds_state {
	int order[FUND_COLS];	/* column order as the header labels give it */
	int n_order;
	struct fund_row_cells row[FUND_ROWS];
};

static void funds_collect_labels(struct funds_state *fs, const struct line *l)
{
	for (int k = 0; k < l->nc; k++) {
		char *sq = squeeze(l->c[k].t);
		int fc = fund_col_of(sq);
		free(sq);
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
		char *sq = squeeze(l->c[k].t);
		int fc = fund_col_of(sq);
		free(sq);
		if (fc == FC_NONE)
			continue;
		labels++;
		int j = k + 1;
		while (j < l->nc && !*l->c[j].t)
			j++;
		if (j >= l->nc)
			continue;
		sq = squeeze(l->c[j].t);
		bool label = fund_col_of(sq) != FC_NONE || fund_row_of(sq) >= 0;
		free(sq);
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
static bool funds_row(struct funds_state *fs, const struct line *l)
{
	for (int k = 0; k < l->nc; k++) {
		if (!*l->c[k].t)
			continue;
		char *sq = squeeze(l->c[k].t);
		int r = fund_row_of(sq);
		free(sq);
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
		}
		return true;
	}
	return false;
}

/* Place the row cells into columns.  Merged cells leave empty columns in
 * varying number, so the offsets of the fullest row (normally 年度资金总额)
 * are the template for the others. */
static void funds_finish(struct ctx *c, struct funds_state *fs)
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

/* ------------------------------------------------------------------ */
/* 绩效指标                                                             */

struct ind_state {
	int cols[IND_FIELDS];	/* header order */
	int n_cols;
	int mid[IND_FIELDS];	/* the columns between 二级指标 and 分值 */
	int n_mid;
	bool header_done;
	char *l1, *l2;		/* carried down */
	bool l1_fresh;		/* 一级 printed for the row being read */
	bool group_weights;
	/* tab layout: a line that did not end a row (a wrapped cell) */
	struct cell *pend;
	int n_pend;
	long pend_line;
	bool pend_ends_tab;
	/* the last row: which field each of its columns went to */
	int last_field[64];
	int last_ncol;
	/* space layout: texts waiting for the row line that ends them */
	char **units;
	int n_units;
	struct sbuf para;
	long para_line;
};

static void ind_header(struct ind_state *is, const struct line *l)
{
	for (int k = 0; k < l->nc; k++) {
		char *sq = squeeze(l->c[k].t);
		int f = ind_col_of(sq);
		free(sq);
		bool dup = false;
		for (int j = 0; j < is->n_cols; j++)
			dup |= is->cols[j] == f;
		if (f >= 0 && !dup)
			is->cols[is->n_cols++] = f;
	}
}

/* Only labels or pieces of labels on this line (a header wrapped over
 * several lines, as in the 2021 layout)? */
static bool only_header_bits(const struct line *l)
{
	static const char *const all = "一级指标二级指标三级指标绩效指标性质年度指标值（A）(A)"
				       "绩效度量单位实际完成值（B）(B)分值得分偏差原因分析及改进措施";
	if (l->blank)
		return true;
	for (int k = 0; k < l->nc; k++) {
		char *sq = squeeze(l->c[k].t);
		bool ok = !*sq || ind_col_of(sq) >= 0 ||
			  (u8_mbsnlen((const uint8_t *)sq, strlen(sq)) >= 2 && fragment_of(sq, all));
		free(sq);
		if (!ok)
			return false;
	}
	return true;
}

static void ind_finish_header(struct ind_state *is)
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
		if (!is_section_label(c[k].t))
			e[n++] = &c[k];
	}
	return n;
}

struct reading {
	const char *mid[IND_FIELDS];
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
		char *sq = squeeze(r->lead[j]->t);
		score += level1_of(sq) || looks_level2(sq) ? 1 : -1;
		free(sq);
	}
	for (int j = 0; j < is->n_mid; j++) {
		const char *v = r->mid[j];
		switch (is->mid[j]) {
		case IND_NAME: {
			score -= *v ? 0 : 3;
			/* a 三级 that is a 二级 label: the row read one column off */
			char *sq = squeeze(v);
			score -= level2_parent(sq) || level1_of(sq) ? 2 : 0;
			free(sq);
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
			r->mid[j] = "";
			r->midcol[j] = col;
			for (int k = 0; k < nc; k++)
				if (cells[k].col == col)
					r->mid[j] = cells[k].t;
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

static void pend_free(struct ind_state *is)
{
	for (int k = 0; k < is->n_pend; k++)
		free(is->pend[k].t);
	free(is->pend);
	is->pend = NULL;
	is->n_pend = 0;
}

/* Continuation text of the last row's cells (their wrapped tails). */
static void pend_to_last_row(struct ctx *c, struct ind_state *is)
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
		is->n_pend++;
	}
	is->pend_ends_tab = l->ends_tab;
}

static void tab_line(struct ctx *c, struct ind_state *is, const struct line *l, long prev_no)
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

static void units_free(struct ind_state *is)
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

static void space_line(struct ctx *c, struct ind_state *is, const struct line *l)
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

static void space_finish(struct ctx *c, struct ind_state *is)
{
	para_close(is);
	if (is->n_units > 0) {
		FAIL(c, is->para_line, _("text in the 绩效指标 table that belongs to no row"));
		units_free(is);
	}
}

/* ------------------------------------------------------------------ */
/* 年度总体目标                                                         */

struct goals_state {
	int exp_col, ach_col;
	struct sbuf exp, ach;
	/* space layout: paragraphs */
	char **paras;
	int n_paras;
	struct sbuf para;
	long line;
};

static void goals_append(struct sbuf *b, const char *t)
{
	if (b->len)
		sb_add(b, "\n");
	sb_add(b, t);
}

static void goals_tab(struct goals_state *gs, const struct line *l)
{
	const char *v[64];
	int col[64], n = 0;
	for (int k = 0; k < l->nc && n < 64; k++) {
		if (!*l->c[k].t)
			continue;
		char *sq = squeeze(l->c[k].t);
		bool label = fragment_of(sq, "年度总体目标") || strcmp(sq, "预期目标") == 0 ||
			     strcmp(sq, "实际完成情况") == 0;
		free(sq);
		if (label)
			continue;
		v[n] = l->c[k].t;
		col[n++] = l->c[k].col;
	}
	if (n == 0)
		return;
	if (n == 1) {
		int de = abs(col[0] - gs->exp_col), da = abs(col[0] - gs->ach_col);
		goals_append(gs->ach_col >= 0 && da < de ? &gs->ach : &gs->exp, v[0]);
		return;
	}
	goals_append(&gs->exp, v[0]);
	struct sbuf rest = { 0 };
	for (int k = 1; k < n; k++)
		goals_append(&rest, v[k]);
	goals_append(&gs->ach, rest.s);
	free(rest.s);
}

static void goals_para_close(struct goals_state *gs)
{
	if (gs->para.len == 0)
		return;
	char *t = sb_take(&gs->para);
	char *cl = clean(t);
	free(t);
	char *sq = squeeze(cl);
	bool label = fragment_of(sq, "年度总体目标") || fragment_of(sq, "绩效指标");
	free(sq);
	if (label) {
		free(cl);
		return;
	}
	gs->paras = xrealloc(gs->paras, sizeof *gs->paras * (size_t)(gs->n_paras + 1));
	gs->paras[gs->n_paras++] = cl;
}

/* Space layout: paragraphs; the first is 预期目标, the second 实际完成情况.
 * Wrapped lines are joined, list items keep their line. */
static void goals_space(struct goals_state *gs, const struct line *l)
{
	if (l->blank) {
		goals_para_close(gs);
		return;
	}
	char *t = clean(l->text);
	if (gs->para.len == 0) {
		sb_add(&gs->para, t);
	} else {
		char *j = list_marker(t) ? NULL : join2(gs->para.s, t, " ");
		if (j) {
			free(sb_take(&gs->para));
			sb_add(&gs->para, j);
			free(j);
		} else {
			sb_add(&gs->para, "\n");
			sb_add(&gs->para, t);
		}
	}
	free(t);
}

static void goals_finish(struct ctx *c, struct goals_state *gs, bool seen)
{
	goals_para_close(gs);
	for (int k = 0; k < gs->n_paras; k++) {
		goals_append(k == 0 ? &gs->exp : &gs->ach, gs->paras[k]);
		free(gs->paras[k]);
	}
	free(gs->paras);
	if (seen) {
		set_str(&c->f->goals_expected, gs->exp.s ? gs->exp.s : "");
		set_str(&c->f->goals_achieved, gs->ach.s ? gs->ach.s : "");
	}
	free(gs->exp.s);
	free(gs->ach.s);
}

/* ------------------------------------------------------------------ */
/* 总分                                                                 */

static bool total_row(struct ctx *c, const struct line *l)
{
	int k = 0;
	while (k < l->nc && !*l->c[k].t)
		k++;
	if (k >= l->nc)
		return false;
	char *sq = squeeze(l->c[k].t);
	bool is_total = starts(sq, "总分") || starts(sq, "总计");
	if (!is_total) {
		free(sq);
		return false;
	}
	const char *vals[16];
	int nv = 0;
	const char *rest = sq + strlen("总分");
	if (starts(rest, "："))
		rest += strlen("：");
	else if (*rest == ':')
		rest++;
	char *first = *rest ? xstrdup(rest) : NULL;
	if (first)
		vals[nv++] = first;
	for (int j = k + 1; j < l->nc && nv < 16; j++)
		if (*l->c[j].t)
			vals[nv++] = l->c[j].t;
	const char *num[2] = { NULL, NULL };
	int nn = 0;
	for (int j = 0; j < nv; j++) {
		if (is_num(vals[j])) {
			if (nn < 2)
				num[nn++] = vals[j];
		} else if (!c->f->total_grade) {
			set_str(&c->f->total_grade, vals[j]);
		}
	}
	if (nn == 2) {
		set_str(&c->f->total_weight, num[0]);
		set_str(&c->f->total_score, num[1]);
	} else if (nn == 1) {
		set_str(&c->f->total_score, num[0]);
	} else {
		NOTE(c, l->no, _("总分 row without figures"));
	}
	free(first);
	free(sq);
	return true;
}

/* ------------------------------------------------------------------ */
/* one form                                                            */

enum state { S_HEAD, S_FUNDS, S_GOALS, S_INDHEAD, S_IND, S_END };

static void parse_form(struct ctx *c)
{
	struct form *f = c->f;
	struct funds_state fs = { 0 };
	struct ind_state is = { 0 };
	struct goals_state gs = { .exp_col = -1, .ach_col = -1 };
	bool funds_seen = false, goals_seen = false, total_seen = false;
	long ind_line = 0, prev_ind_no = 0;
	enum state st = S_HEAD;
	const struct line *first = &c->L[0];

	/* the title and the year "(2023年度)" on it or just below */
	for (size_t i = 0; i < c->nl && i < 6 && f->year == 0; i++)
		f->year = find_year(c->L[i].sq);
	if (f->year == 0)
		FAIL(c, first->no, _("no year (\"(2023年度)\") under the title"));

	for (size_t i = 1; i < c->nl && st != S_END; i++) {
		const struct line *l = &c->L[i];
		const char *sq = l->sq;
		if (is_noise(sq))
			continue;
		if (strstr(sq, "填报注意事项") || strstr(sq, "填表说明")) {
			st = S_END;
			break;
		}
		if (!l->blank && (st >= S_INDHEAD || strcmp(sq, "总分") == 0) && total_row(c, l)) {
			total_seen = true;
			st = S_END;
			break;
		}
		if (st < S_INDHEAD && (strstr(sq, "三级指标") ||
				       (strstr(sq, "一级指标") && strstr(sq, "二级指标")))) {
			ind_header(&is, l);
			ind_line = l->no;
			st = S_INDHEAD;
			continue;
		}
		if (st == S_INDHEAD) {
			if (only_header_bits(l)) {
				ind_header(&is, l);
				continue;
			}
			ind_finish_header(&is);
			st = S_IND;
		}
		if (st < S_GOALS && (strstr(sq, "预期目标") || strstr(sq, "实际完成情况"))) {
			st = S_GOALS;
			goals_seen = true;
			gs.line = l->no;
			for (int k = 0; k < l->nc; k++) {
				if (strstr(l->c[k].t, "预期目标") && gs.exp_col < 0)
					gs.exp_col = l->c[k].col;
				if (strstr(l->c[k].t, "实际完成情况") && gs.ach_col < 0)
					gs.ach_col = l->c[k].col;
			}
			continue;
		}
		if (st < S_GOALS && starts(sq, "年度总体目标") && strlen(sq) > strlen("年度总体目标")) {
			/* 年度总体目标 without the 预期目标/实际完成情况 heads: the
			 * texts follow the label, expected first */
			st = S_GOALS;
			goals_seen = true;
			gs.line = l->no;
			gs.exp_col = 1;
			gs.ach_col = -1;
		}
		if (st < S_FUNDS && strstr(sq, "项目资金")) {
			st = S_FUNDS;
			funds_seen = true;
			/* the label's own line may hold a row, labels and figures
			 * alternating; else it holds the column labels */
			if (!funds_row(&fs, l))
				funds_collect_labels(&fs, l);
			continue;
		}
		if (st == S_HEAD) {
			if (!l->blank)
				parse_header(c, l);	/* other lines of the title block: nothing to read */
			continue;
		}
		if (st == S_FUNDS) {
			if (l->blank || funds_row(&fs, l))
				continue;
			bool any_row = false;
			for (int r = 0; r < FUND_ROWS; r++)
				any_row |= fs.row[r].seen;
			if (!any_row) {
				funds_collect_labels(&fs, l);
				continue;
			}
			if (fragment_of(sq, "年度总体目标") || fragment_of(sq, "项目资金（万元）"))
				continue;
			FAIL(c, l->no, _("line not understood in 项目资金, left out"));
			continue;
		}
		if (st == S_GOALS) {
			if (c->tabbed)
				goals_tab(&gs, l);
			else
				goals_space(&gs, l);
			continue;
		}
		if (st == S_IND && (strstr(sq, "三级指标") || strstr(sq, "一级指标")) && only_header_bits(l))
			continue;	/* the table header again, after a page break */
		if (st == S_IND) {
			if (c->tabbed) {
				if (l->blank)
					continue;
				tab_line(c, &is, l, prev_ind_no);
				prev_ind_no = l->no;
			} else {
				space_line(c, &is, l);
			}
		}
	}
	if (st == S_INDHEAD)
		ind_finish_header(&is);
	if (c->tabbed)
		pend_to_last_row(c, &is);
	else
		space_finish(c, &is);
	funds_finish(c, &fs);
	goals_finish(c, &gs, goals_seen);

	/* the layout, from what the table showed */
	bool nature = false, unit = false;
	for (int j = 0; j < is.n_cols; j++) {
		nature |= is.cols[j] == IND_NATURE;
		unit |= is.cols[j] == IND_UNIT_OF_MEASURE;
	}
	const char *layout = nature || unit ? "district-2024"
			     : (!c->tabbed || is.group_weights) ? "beijing-2021"
							       : "district-2023";
	set_str(&f->layout, layout);

	long last = c->L[c->nl - 1].no;
	if (!f->project || !*f->project)
		FAIL(c, first->no, _("no 项目名称 in this form"));
	if (!f->unit || !*f->unit)
		FAIL(c, first->no, _("no 实施单位 in this form"));
	if (!f->department)
		NOTE(c, first->no, _("no 主管部门 in this form"));
	if (!funds_seen || !fs.row[FUND_TOTAL].seen)
		FAIL(c, first->no, _("no 项目资金 table with a 年度资金总额 row in this form"));
	if (!goals_seen)
		NOTE(c, first->no, _("no 年度总体目标 in this form"));
	if (!ind_line)
		FAIL(c, first->no, _("no 绩效指标 table in this form"));
	else if (f->n_ind == 0)
		FAIL(c, ind_line, _("the 绩效指标 table has no rows"));
	if (!total_seen)
		FAIL(c, last, _("the form ends without its 总分 row (cut short?)"));
	free(is.l1);
	free(is.l2);
	pend_free(&is);
	units_free(&is);
	free(is.para.s);
	free(gs.para.s);
}

static bool is_title(const char *sq)
{
	return strstr(sq, "项目支出绩效自评表") != NULL;
}

static void add_form(struct io_result *out, struct form *f, bool incomplete)
{
	out->forms = xrealloc(out->forms, sizeof *out->forms * (out->n_forms + 1));
	out->incomplete = xrealloc(out->incomplete, sizeof *out->incomplete * (out->n_forms + 1));
	out->forms[out->n_forms] = f;
	out->incomplete[out->n_forms] = incomplete;
	out->n_forms++;
}


int io_table_read(struct table *const *tables, size_t n, const char *name, struct io_result *out)
{
	(void)name;	/* problems carry rows; the caller names the file */
	size_t nl = 0;
	for (size_t t = 0; t < n; t++)
		nl += tables[t]->n;
	struct line *L = xrealloc(NULL, sizeof *L * (nl ? nl : 1));
	bool *grid = xrealloc(NULL, sizeof *grid * (nl ? nl : 1));
	const char **sheet = xrealloc(NULL, sizeof *sheet * (nl ? nl : 1));
	size_t at = 0;
	for (size_t t = 0; t < n; t++)
		for (size_t i = 0; i < tables[t]->n; i++) {
			grid[at] = tables[t]->grid;
			sheet[at] = n > 1 ? tables[t]->name : NULL;
			line_from_row(&L[at++], tables[t], &tables[t]->rows[i]);
		}

	/* forms: from one title to the next, over tables (a form may run
	 * over a page break) */
	size_t i = 0;
	while (i < nl && !is_title(L[i].sq))
		i++;
	if (i == nl)
		io_problem(out, 0, 0, -1, _("no form found: no line holds the title 项目支出绩效自评表"));
	while (i < nl) {
		size_t j = i + 1;
		while (j < nl && !is_title(L[j].sq))
			j++;
		struct ctx c = { .name = name, .out = out, .fi = out->n_forms, .L = L + i, .nl = j - i };
		c.f = form_new();
		c.tabbed = false;
		for (size_t k = i; k < j; k++)
			c.tabbed |= grid[k];
		size_t p0 = out->n_problems;
		parse_form(&c);
		/* several tables (sheets): a row number alone does not say
		 * where, so the problem names the sheet too */
		for (size_t p = p0; p < out->n_problems; p++)
			for (size_t k = i; k < j && out->problems[p].line > 0; k++)
				if (L[k].no == out->problems[p].line && sheet[k]) {
					struct sbuf m = { 0 };
					sb_add(&m, sheet[k]);
					sb_add(&m, ": ");
					sb_add(&m, out->problems[p].message);
					char *msg = out->problems[p].message;
					size_t cap = sizeof out->problems[p].message;
					size_t len = m.len < cap - 1 ? m.len : cap - 1;
					while (len > 0 && (m.s[len] & 0xC0) == 0x80)
						len--;	/* cut at a character */
					memcpy(msg, m.s, len);
					msg[len] = 0;
					free(m.s);
					break;
				}
		add_form(out, c.f, c.incomplete);
		i = j;
	}
	for (size_t k = 0; k < nl; k++)
		free_line(&L[k]);
	free(L);
	free(grid);
	free(sheet);
	return out->n_problems || out->n_forms == 0 ? -1 : 0;
}

/* ---- one row at a time (text as it is read) ------------------------------- */

bool table_text_is_title(const char *text)
{
	if (!strstr(text, "表"))	/* most lines: no need to squeeze */
		return false;
	char *sq = squeeze(text);
	bool t = is_title(sq);
	free(sq);
	return t;
}

struct table_stream {
	const char *name;
	const struct io_sink *k;
	struct line *L;		/* the lines of the form being read */
	size_t nl, cap;
	bool started, tabbed, problems;
	size_t n_forms;
};

struct table_stream *table_stream_new(const char *name, const struct io_sink *k)
{
	struct table_stream *ts = xrealloc(NULL, sizeof *ts);
	*ts = (struct table_stream){ .name = name, .k = k };
	return ts;
}

/* The form of the lines so far, to the sink, as io_table_read reads it. */
static void stream_form(struct table_stream *ts)
{
	struct io_result out = { 0 };
	struct ctx c = { .name = ts->name, .out = &out, .fi = ts->n_forms, .L = ts->L, .nl = ts->nl };
	c.f = form_new();
	c.tabbed = ts->tabbed;
	parse_form(&c);
	for (size_t p = 0; p < out.n_problems; p++)
		ts->k->problem(ts->k->arg, &out.problems[p]);
	ts->problems |= out.n_problems > 0;
	io_result_free(&out);
	ts->k->form(ts->k->arg, c.f, c.incomplete);
	ts->n_forms++;
	for (size_t i = 0; i < ts->nl; i++)
		free_line(&ts->L[i]);
	ts->nl = 0;
	ts->tabbed = false;
}

void table_stream_row(struct table_stream *ts, const struct table *t, const struct trow *r)
{
	struct line l;
	line_from_row(&l, t, r);
	if (is_title(l.sq)) {
		if (ts->started)
			stream_form(ts);
		ts->started = true;
	}
	if (!ts->started) {
		free_line(&l);
		return;
	}
	if (ts->nl == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 256;
		ts->L = xrealloc(ts->L, sizeof *ts->L * ts->cap);
	}
	ts->L[ts->nl++] = l;
	ts->tabbed |= t->grid;
}

int table_stream_end(struct table_stream *ts)
{
	if (ts->started) {
		stream_form(ts);
	} else {
		struct io_result out = { 0 };
		io_problem(&out, 0, 0, -1, _("no form found: no line holds the title 项目支出绩效自评表"));
		ts->k->problem(ts->k->arg, &out.problems[0]);
		ts->problems = true;
		io_result_free(&out);
	}
	int rc = ts->problems || ts->n_forms == 0 ? -1 : 0;
	free(ts->L);
	free(ts);
	return rc;
}
