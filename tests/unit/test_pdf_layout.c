/* Unit tests of src/pdf_layout.c: pages drawn here, character by character
 * and rule by rule, read back as tables (cells from rules, merged cells,
 * wrapped and broken lines inside a cell, pages without rules). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "pdf_layout.h"
#include "table.h"

#define SIZE 10.0f

/* Text from x on baseline y, every character SIZE wide if wide, half that
 * if not; a space leaves a space glyph (space_after) and its width. */
static float text(struct lay_page *p, float x, float y, const char *s)
{
	const uint8_t *u = (const uint8_t *)s;
	while (*u) {
		ucs4_t c;
		int k = u8_mbtouc(&c, u, strlen((const char *)u));
		u += k;
		float w = c >= 0x2E80 ? SIZE : SIZE / 2;
		if (c == ' ') {
			if (p->nch)
				p->ch[p->nch - 1].space_after = true;
			x += w;
			continue;
		}
		struct lay_char ch = { x, x + w, y, SIZE, c, false };
		lay_add_char(p, &ch);
		x += w;
	}
	return x;
}

/* A grid of rules: verticals at xs, horizontals at ys, all full length. */
static void grid(struct lay_page *p, const float *xs, int nx, const float *ys, int ny)
{
	for (int i = 0; i < nx; i++)
		lay_add_seg(p, xs[i], ys[0], xs[i], ys[ny - 1]);
	for (int j = 0; j < ny; j++)
		lay_add_seg(p, xs[0], ys[j], xs[nx - 1], ys[j]);
}

static const struct tcell *cell(const struct table *t, size_t row, int col)
{
	assert_true(row < t->n);
	const struct tcell *c = trow_at(&t->rows[row], col);
	if (!c)
		fail_msg("no cell at row %zu column %d", row, col);
	return c;
}

static void ruled_cells(void **state)
{
	(void)state;
	struct lay_page p = { 0 };
	float xs[] = { 10, 110, 210 }, ys[] = { 10, 30, 50 };
	grid(&p, xs, 3, ys, 3);
	text(&p, 12, 25, "项目名称");
	text(&p, 112, 25, "机房运维");
	text(&p, 12, 45, "主管部门");
	text(&p, 112, 45, "数据局");
	struct table *t = lay_page_table(&p, "page 1");
	assert_true(t->grid);
	assert_false(t->rows_may_wrap);
	assert_int_equal(t->n, 2);
	assert_string_equal(cell(t, 0, 0)->text, "项目名称");
	assert_string_equal(cell(t, 0, 1)->text, "机房运维");
	assert_string_equal(cell(t, 1, 0)->text, "主管部门");
	assert_string_equal(cell(t, 1, 1)->text, "数据局");
	table_free(t);
	lay_free(&p);
}

static void merged_cell(void **state)
{
	(void)state;
	struct lay_page p = { 0 };
	/* three columns; row 0 has no rule between columns 1 and 2, and the
	 * left column is one cell over both rows */
	lay_add_seg(&p, 10, 10, 310, 10);
	lay_add_seg(&p, 110, 30, 310, 30);
	lay_add_seg(&p, 10, 50, 310, 50);
	lay_add_seg(&p, 10, 10, 10, 50);
	lay_add_seg(&p, 110, 10, 110, 50);
	lay_add_seg(&p, 210, 30, 210, 50);
	lay_add_seg(&p, 310, 10, 310, 50);
	text(&p, 12, 35, "项目资金");
	text(&p, 112, 25, "年初预算数");
	text(&p, 112, 45, "60");
	text(&p, 212, 45, "70");
	struct table *t = lay_page_table(&p, NULL);
	assert_int_equal(t->n, 2);
	const struct tcell *c = cell(t, 0, 0);
	assert_string_equal(c->text, "项目资金");
	assert_int_equal(c->rowspan, 2);
	c = cell(t, 0, 1);
	assert_string_equal(c->text, "年初预算数");
	assert_int_equal(c->colspan, 2);
	assert_string_equal(cell(t, 1, 1)->text, "60");
	assert_string_equal(cell(t, 1, 2)->text, "70");
	table_free(t);
	lay_free(&p);
}

/* One cell 10..x1 wide, its lines given, one per baseline. */
static char *one_cell(float x1, const char *const *lines, int n)
{
	struct lay_page p = { 0 };
	float xs[] = { 10, x1 }, ys[] = { 10, 20 + 14.0f * (float)n };
	grid(&p, xs, 2, ys, 2);
	for (int i = 0; i < n; i++)
		text(&p, 12, 24 + 14.0f * (float)i, lines[i]);
	struct table *t = lay_page_table(&p, NULL);
	assert_int_equal(t->n, 1);
	char *s = strdup(cell(t, 0, 0)->text);
	table_free(t);
	lay_free(&p);
	return s;
}

static void wrapped_lines(void **state)
{
	(void)state;
	/* a cell 4 characters wide (44 points less 2 of padding each side) */
	const char *cjk[] = { "保障系统", "稳定运行" };
	char *s = one_cell(54, cjk, 2);
	assert_string_equal(s, "保障系统稳定运行");	/* wrapped: joined, no space */
	free(s);
	const char *brk[] = { "目标", "稳定运行" };
	s = one_cell(54, brk, 2);
	assert_string_equal(s, "目标\n稳定运行");	/* "稳" fitted after "目标": a break */
	free(s);
	const char *kin[] = { "健康状", "况，良好" };
	s = one_cell(54, kin, 2);
	assert_string_equal(s, "健康状况，良好");	/* "况，" goes down together */
	free(s);
	const char *pct[] = { "100", "%" };
	s = one_cell(28, pct, 2);
	assert_string_equal(s, "100%");	/* the line was full: a word broken */
	free(s);
	const char *words[] = { "hello", "world" };
	s = one_cell(50, words, 2);
	assert_string_equal(s, "hello world");	/* room was left: wrapped at the space */
	free(s);
	const char *sp[] = { "内设 2 ", "台交换机" };
	s = one_cell(54, sp, 2);
	assert_string_equal(s, "内设 2 台交换机");	/* the space the line ended in */
	free(s);
}

static void autospace(void **state)
{
	(void)state;
	/* LibreOffice leaves a fifth of the size between CJK and Latin text:
	 * no space; a real word space is one */
	struct lay_page p = { 0 };
	float x = text(&p, 10, 20, "2021");
	x = text(&p, x + 2.0f, 20, "年");
	x = text(&p, x + 2.0f, 20, "3");
	text(&p, x + 3.0f, 20, "ab");
	struct table *t = lay_page_table(&p, NULL);
	assert_int_equal(t->n, 1);
	assert_string_equal(cell(t, 0, 0)->text, "2021年3 ab");
	table_free(t);
	lay_free(&p);
}

static void no_rules(void **state)
{
	(void)state;
	/* no rules: cells at wide gaps, columns from where they start, rows
	 * may wrap; an underline alone makes no table */
	struct lay_page p = { 0 };
	text(&p, 10, 20, "项目名称");
	text(&p, 100, 20, "机房运维");
	text(&p, 10, 34, "主管部门");
	text(&p, 100, 34, "数据局");
	text(&p, 200, 34, "实施单位");
	text(&p, 100, 48, "续行");
	lay_add_seg(&p, 100, 22, 140, 22);
	struct table *t = lay_page_table(&p, NULL);
	assert_true(t->rows_may_wrap);
	assert_int_equal(t->n, 3);
	assert_string_equal(cell(t, 0, 0)->text, "项目名称");
	assert_string_equal(cell(t, 0, 1)->text, "机房运维");
	assert_string_equal(cell(t, 1, 1)->text, "数据局");
	assert_string_equal(cell(t, 1, 2)->text, "实施单位");
	assert_string_equal(cell(t, 2, 1)->text, "续行");
	assert_int_equal(t->rows[2].n, 1);
	table_free(t);
	lay_free(&p);
}

static void title_outside(void **state)
{
	(void)state;
	/* a title above a ruled table is a row of its own, first */
	struct lay_page p = { 0 };
	float xs[] = { 10, 110, 210 }, ys[] = { 40, 60 };
	grid(&p, xs, 3, ys, 2);
	text(&p, 60, 25, "项目支出绩效自评表");
	text(&p, 12, 55, "项目名称");
	text(&p, 112, 55, "运维");
	struct table *t = lay_page_table(&p, NULL);
	assert_int_equal(t->n, 2);
	assert_string_equal(cell(t, 0, 0)->text, "项目支出绩效自评表");
	assert_string_equal(cell(t, 1, 1)->text, "运维");
	table_free(t);
	lay_free(&p);
}

/* A table going on from the page before: its columns' rules run above the
 * first drawn line (no top to the page's first row, as Chromium prints it)
 * and below the last; the page's edge closes those rows, cell by cell. */
static void open_rows_at_the_edges(void **state)
{
	(void)state;
	struct lay_page p = { 0 };
	float xs[] = { 10, 52, 210 };	/* the first column four characters wide */
	for (int i = 0; i < 3; i++)
		lay_add_seg(&p, xs[i], 10, xs[i], 70);
	lay_add_seg(&p, 10, 30, 210, 30);
	lay_add_seg(&p, 10, 50, 210, 50);
	text(&p, 12, 20, "满意度指");
	text(&p, 12, 28, "标");
	text(&p, 54, 25, "服务满意度");
	text(&p, 12, 45, "总分");
	text(&p, 54, 45, "100");
	text(&p, 12, 65, "签字");
	struct table *t = lay_page_table(&p, "page 2");
	assert_int_equal(t->n, 3);
	assert_string_equal(cell(t, 0, 0)->text, "满意度指标");
	assert_string_equal(cell(t, 0, 1)->text, "服务满意度");
	assert_string_equal(cell(t, 1, 1)->text, "100");
	assert_string_equal(cell(t, 2, 0)->text, "签字");
	table_free(t);
	lay_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_rows_at_the_edges),
		cmocka_unit_test(ruled_cells),
		cmocka_unit_test(merged_cell),
		cmocka_unit_test(wrapped_lines),
		cmocka_unit_test(autospace),
		cmocka_unit_test(no_rules),
		cmocka_unit_test(title_outside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
