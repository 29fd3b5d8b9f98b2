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
 *
 * This file reads one form and hands forms on; its parts are in
 * io_table_text.c, io_table_funds.c and io_table_ind.c (io_table_form.h).
 */
#include "config.h"
#include "io_table_form.h"
#include "i18n.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

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
		/* a label starts the text or follows a space; or, after a first
		 * label, follows its value directly and has its colon: the
		 * ideographic spaces of "主管部门：X　　实施单位：Y" are gone
		 * once cleaned (spaces between wide characters are dropped) */
		bool glued = i > 0 && !(t[i - 1] == ' ' || t[i - 1] == '\t');
		if (glued && nh == 0)
			continue;
		for (size_t k = 0; k < N_HEAD; k++) {
			if (glued && t[i] != head_fields[k].label[0])
				continue;	/* every byte of a value comes here: cheaply */
			const char *e = match_spaced(t + i, head_fields[k].label);
			if (!e)
				continue;
			e = skip_note(e);
			bool colon = starts(e, "：") || *e == ':';
			if (glued && !colon)
				continue;
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
		const char *sq = l->c[k].sq;
		bool label = fragment_of(sq, "年度总体目标") || strcmp(sq, "预期目标") == 0 ||
			     strcmp(sq, "实际完成情况") == 0;
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
	const char *sq = l->c[k].sq;
	bool is_total = starts(sq, "总分") || starts(sq, "总计");
	if (!is_total)
		return false;
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
		/* (asked of every line: the common part first) */
		bool tian = strstr(sq, "填") != NULL, jizhibiao = strstr(sq, "级指标") != NULL;
		if (tian && (strstr(sq, "填报注意事项") || strstr(sq, "填表说明"))) {
			st = S_END;
			break;
		}
		if (!l->blank && (st >= S_INDHEAD || strcmp(sq, "总分") == 0) && total_row(c, l)) {
			total_seen = true;
			st = S_END;
			break;
		}
		if (st < S_INDHEAD && jizhibiao && (strstr(sq, "三级指标") ||
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
		if (st == S_IND && jizhibiao && (strstr(sq, "三级指标") || strstr(sq, "一级指标")) &&
		    only_header_bits(l))
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
	struct arena mem = { 0 };
	size_t at = 0;
	for (size_t t = 0; t < n; t++)
		for (size_t i = 0; i < tables[t]->n; i++) {
			grid[at] = tables[t]->grid;
			sheet[at] = n > 1 ? tables[t]->name : NULL;
			line_from_row(&L[at++], tables[t], &tables[t]->rows[i], &mem);
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
	arena_free(&mem);
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
	/* what the lines hold: lines go to mem[cur]; at a title the form
	 * before it is read and the other arena, holding only lines of
	 * forms already read, is emptied and takes the lines that follow */
	struct arena mem[2];
	int cur;
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
	ts->nl = 0;
	ts->tabbed = false;
}

void table_stream_row(struct table_stream *ts, const struct table *t, const struct trow *r)
{
	struct line l;
	line_from_row(&l, t, r, &ts->mem[ts->cur]);
	if (is_title(l.sq)) {
		if (ts->started) {
			stream_form(ts);
			ts->cur ^= 1;
			arena_reset(&ts->mem[ts->cur]);
		}
		ts->started = true;
	}
	if (!ts->started) {
		arena_reset(&ts->mem[ts->cur]);	/* before the first title: nothing kept */
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
	arena_free(&ts->mem[0]);
	arena_free(&ts->mem[1]);
	free(ts->L);
	free(ts);
	return rc;
}
