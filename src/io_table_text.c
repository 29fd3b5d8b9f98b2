/* io_table_text: the text of cells as the form reader reads it (cleaned as
 * printed, squeezed for labels, joined across wrapped rows), the reader's
 * lines, and the official labels it matches.  See io_table_form.h. */
#include "config.h"
#include "io_table_form.h"
#include "i18n.h"
#include "ustr.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uniwidth.h>

/* ------------------------------------------------------------------ */
/* characters                                                          */

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
static inline uint64_t has_byte(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (0x0101010101010101ULL * c);
	return (y - 0x0101010101010101ULL) & ~y & 0x8080808080808080ULL;
}

static bool has_space(const char *s, size_t n)
{
	/* the bytes a space starts with: eight bytes at a time skipped when
	 * none of them can be one (the reader asks this of every cell),
	 * each byte looked at only where one may be */
	static const bool lead[256] = {
		['\t'] = 1, ['\n'] = 1, ['\v'] = 1, ['\f'] = 1, ['\r'] = 1, [' '] = 1,
		[0xC2] = 1, [0xE3] = 1,
	};
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t x;
		memcpy(&x, u + i, 8);
		/* a byte below 0x0E, or 0x20, 0xC2, 0xE3 */
		uint64_t low = (x - 0x0E0E0E0E0E0E0E0EULL) & ~x & 0x8080808080808080ULL;
		if (low | has_byte(x, ' ') | has_byte(x, 0xC2) | has_byte(x, 0xE3))
			break;
	}
	for (; i < n; i++) {
		if (!lead[u[i]])
			continue;
		unsigned char b = u[i];
		if (b < 0x80 || (b == 0xC2 && i + 1 < n && u[i + 1] == 0xA0) ||
		    (b == 0xE3 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x80))
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
/* clean_n into out (n + 1 bytes: the result is never longer than s);
 * returns its length, *spaced if it kept a space or a line break. */
static size_t clean_into(char *out, const char *s, size_t n, bool *spaced)
{
	size_t i = 0, len = 0;
	*spaced = false;
	if (!has_space(s, n)) {	/* most cells: nothing to tidy */
		memcpy(out, s, n);
		out[n] = '\0';
		return n;
	}
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
				if (pend_nl) {
					out[len++] = '\n';
					*spaced = true;
				} else if (pend_space && !(is_wide(prev) && is_wide(c))) {
					out[len++] = ' ';
					*spaced = true;
				}
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
	return len;
}

static char *clean_n(const char *s, size_t n)
{
	char *out = xrealloc(NULL, n + 1);
	bool spaced;
	clean_into(out, s, n, &spaced);
	return out;
}

char *clean(const char *s) { return clean_n(s, strlen(s)); }

/* For matching labels: every space removed ("一级指 标" is 一级指标).
 * Byte by byte: in valid UTF-8 the bytes of NBSP (C2 A0) and the
 * ideographic space (E3 80 80) only ever stand for those characters. */
char *squeeze(const char *s)
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
bool squeezed_is(const char *s, const char *label)
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

/* Join a wrapped cell's pieces: no space between wide characters. */
char *join2(const char *a, const char *b, const char *sep_other)
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
bool is_num(const char *s)
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
bool is_score(const char *s)
{
	if (is_num(s))
		return true;
	if (!*s || strnlen(s, 65) > 64)
		return false;
	/* what NFKC leaves as it is: ASCII, and a text that starts with an
	 * ideograph (no decomposition, nothing composes with it) -- most
	 * cells the reader asks about */
	const unsigned char *u = (const unsigned char *)s;
	while (*u && *u < 0x80)
		u++;
	if (!*u)
		return false;
	ucs4_t first;
	dec(s, strnlen(s, 4), &first);
	if (first >= 0x4E00 && first <= 0x9FFF)
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
bool is_group_weight(const char *sq)
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
bool list_marker(const char *s)
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


/* ---- memory for a form's lines ---- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	max_align_t data[];
};

void *arena_alloc(struct arena *a, size_t n)
{
	n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
	struct arena_block *b = a->b;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		b = xrealloc(NULL, sizeof *b + cap);
		b->next = a->b;
		b->used = 0;
		b->cap = cap;
		a->b = b;
	}
	void *p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b = a->b;
	if (!b)
		return;
	/* the newest block stays for the next form: one form rarely needs two */
	struct arena_block *rest = b->next;
	while (rest) {
		struct arena_block *n = rest->next;
		free(rest);
		rest = n;
	}
	b->next = NULL;
	b->used = 0;
}

void arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->b);
	a->b = NULL;
}

/* A row as the reader's line: a grid row gets a cell for every column up
 * to its last (the empty ones that merged cells leave included, as the
 * paper's text has them); a row of words gets its words.  The line text is
 * the cells joined by tabs (or spaces), for the labels found inside it.
 * Everything the line holds is in a: one allocation per form, not one per
 * cell (the reader reads every cell of every form). */
void line_from_row(struct line *l, const struct table *t, const struct trow *r, struct arena *a)
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
	l->c = arena_alloc(a, sizeof *l->c * (size_t)(nc ? nc : 1));
	l->nc = nc;
	int k = 0;
	size_t tlen = 0, sqlen = 0;
	bool blank = true;
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
		struct cell *c = &l->c[col];
		c->col = col;
		if (!*raw) {
			static char empty[1];
			c->t = empty;
			c->sq = "";
			c->len = c->sqlen = 0;
			continue;
		}
		size_t n = strlen(raw);
		bool spaced;
		char *ct = arena_alloc(a, n + 1);
		c->len = clean_into(ct, raw, n, &spaced);
		c->t = ct;
		blank &= c->len == 0;
		/* the cleaned text's only spaces are ' ' and '\n' */
		if (!spaced) {
			c->sq = c->t;
			c->sqlen = c->len;
		} else {
			char *q = arena_alloc(a, c->len + 1);
			size_t m = 0;
			for (size_t i = 0; i < c->len; i++)
				if (ct[i] != ' ' && ct[i] != '\n')
					q[m++] = ct[i];
			q[m] = '\0';
			c->sq = q;
			c->sqlen = m;
		}
		tlen += c->len;
		sqlen += c->sqlen;
	}
	/* the text: the cells joined; squeezed, the squeezed cells end to end */
	char *text = arena_alloc(a, tlen + (size_t)(nc ? nc : 1));
	char *sq = arena_alloc(a, sqlen + 1);
	size_t at = 0, sat = 0;
	for (int col = 0; col < nc; col++) {
		if (col)
			text[at++] = t->grid ? '\t' : ' ';
		memcpy(text + at, l->c[col].t, l->c[col].len);
		at += l->c[col].len;
		memcpy(sq + sat, l->c[col].sq, l->c[col].sqlen);
		sat += l->c[col].sqlen;
	}
	text[at] = '\0';
	sq[sat] = '\0';
	l->text = text;
	l->sq = sq;
	/* a row that ends in an empty cell cannot go on with its last cell */
	l->ends_tab = !t->rows_may_wrap || (nc > 1 && !*l->c[nc - 1].t);
	l->blank = blank;
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
/* Every label below is Chinese: a text that starts with ASCII (a figure, most
 * cells asked about) is none of them, and one without a byte past ASCII
 * holds none of them. */
static bool starts_ascii(const char *sq) { return (unsigned char)sq[0] < 0x80; }

static bool all_ascii(const char *s)
{
	while (*s && (unsigned char)*s < 0x80)
		s++;
	return !*s;
}

const char *level1_of(const char *sq)
{
	if (starts_ascii(sq))
		return NULL;
	for (size_t i = 0; i < sizeof level1_labels / sizeof *level1_labels; i++)
		if (starts(sq, level1_labels[i]) &&
		    (sq[strlen(level1_labels[i])] == '\0' ||
		     is_group_weight(sq + strlen(level1_labels[i]))))
			return level1_labels[i];
	return NULL;
}

bool level2_under(const char *l1, const char *sq)
{
	for (size_t i = 0; i < sizeof taxonomy / sizeof *taxonomy; i++)
		if (l1 && strcmp(taxonomy[i].l1, l1) == 0 && strcmp(taxonomy[i].l2, sq) == 0)
			return true;
	return false;
}

const char *level2_parent(const char *sq)
{
	size_t n = strlen(sq), e = strlen("指标");	/* every 二级 ends so */
	if (n < e || strcmp(sq + n - e, "指标") != 0)
		return NULL;
	for (size_t i = 0; i < sizeof taxonomy / sizeof *taxonomy; i++)
		if (strcmp(taxonomy[i].l2, sq) == 0)
			return taxonomy[i].l1;
	return NULL;
}

/* Looks like a 二级 label: known, or a short text ending in 指标/满意度. */
bool looks_level2(const char *sq)
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
bool fragment_of(const char *sq, const char *label)
{
	return *sq && strstr(label, sq) != NULL;
}

int fund_col_of(const char *sq)
{
	static const struct {
		const char *l;
		int c;
	} m[] = {
		{ "年初预算", FUND_INITIAL }, { "全年预算", FUND_BUDGET }, { "全年执行数", FUND_SPENT },
		{ "分值", FUND_WEIGHT }, { "执行率", FUND_RATE }, { "得分", FUND_SCORE },
	};
	if (starts_ascii(sq))
		return FC_NONE;
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (starts(sq, m[i].l))
			return m[i].c;
	return FC_NONE;
}

int fund_row_of(const char *sq)
{
	if (all_ascii(sq))
		return -1;
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

int ind_col_of(const char *sq)
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
	if (starts_ascii(sq))
		return -1;
	for (size_t i = 0; i < sizeof m / sizeof *m; i++)
		if (starts(sq, m[i].l))
			return m[i].f;
	return -1;
}

/* The year of a title: "(2023 年度)", "（2021年度）". 0 if none. */
int find_year(const char *sq)
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
bool is_noise(const char *sq)
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
