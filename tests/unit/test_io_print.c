/* Unit tests of src/io_print: the printable form.  Checks are structural
 * (equal widths, lines that meet), and values found where they belong. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io.h"
#include "num.h"
#include "ustr.h"

static char *print_of(const struct form *f, int width)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(io_print_write(out, f, width), 0);
	fclose(out);
	return buf;
}

static void read_sample(const char *name, struct io_result *r)
{
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", name);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	assert_int_equal(io_text_read(buf, n, name, r), 0);
}

/* The lines of a printout (modified in place). */
static size_t split(char *s, char **lines, size_t max)
{
	size_t n = 0;
	for (char *p = strtok(s, "\n"); p && n < max; p = strtok(NULL, "\n"))
		lines[n++] = p;
	return n;
}

/* The character at display column col of line (NULL past the end). */
static const char *at_col(const char *line, int col)
{
	size_t len = strlen(line), i = 0;
	int c = 0;
	while (i < len && c < col) {
		size_t nx = ustr_next(line, len, i);
		c += ustr_width_n(line + i, nx - i);
		i = nx;
	}
	return i < len && c == col ? line + i : NULL;
}

/* Every vertical line of a content row meets a line above that goes down. */
static void check_structure(char *text, int width)
{
	char *lines[4000];
	size_t n = split(text, lines, 4000);
	assert_true(n > 10);
	for (size_t i = 0; i < n; i++) {
		if (ustr_width(lines[i]) != width)
			fail_msg("line %zu is %d columns, not %d: %s", i, ustr_width(lines[i]), width,
				 lines[i]);
		if (i == 0 || strncmp(lines[i], "│", strlen("│")) != 0)
			continue;
		for (int col = 0; col < width; col++) {
			const char *c = at_col(lines[i], col);
			if (!c || strncmp(c, "│", strlen("│")) != 0)
				continue;
			const char *up = at_col(lines[i - 1], col);
			static const char *const down[] = { "│", "┬", "┼", "├", "┤", "┌", "┐" };
			bool ok = false;
			for (size_t k = 0; up && k < 7; k++)
				ok |= strncmp(up, down[k], strlen(down[k])) == 0;
			if (!ok)
				fail_msg("line %zu column %d: │ under nothing\n%s\n%s", i, col, lines[i - 1],
					 lines[i]);
		}
	}
}

static void all_samples_all_widths(void **state)
{
	(void)state;
	static const char *const files[] = { "beijing-cppcc-2021.txt", "fengtai-2023.txt",
					     "chaoyang-2024-part.txt" };
	static const int widths[] = { 80, 100, 132 };
	for (size_t fi = 0; fi < 3; fi++) {
		struct io_result r;
		read_sample(files[fi], &r);
		for (size_t i = 0; i < r.n_forms; i++)
			for (size_t w = 0; w < 3; w++) {
				char *t = print_of(r.forms[i], widths[w]);
				check_structure(t, widths[w]);
				free(t);
			}
		io_result_free(&r);
	}
}

static void never_wider_than_132(void **state)
{
	(void)state;
	struct io_result r;
	read_sample("beijing-cppcc-2021.txt", &r);
	char *t = print_of(r.forms[0], 500);
	check_structure(t, 132);
	free(t);
	io_result_free(&r);
}

/* The chaoyang form printed at 132: every short value verbatim on a line of
 * its own row, the layout's columns, the title. */
static void sample_prints_its_values(void **state)
{
	(void)state;
	struct io_result r;
	read_sample("chaoyang-2024-part.txt", &r);
	const struct form *f = r.forms[0];
	char *t = print_of(f, 132);
	assert_non_null(strstr(t, "项目支出绩效自评表（2024年度）"));
	assert_non_null(strstr(t, "│ 2022-2023年朝阳区互联网接入服务 "));
	assert_non_null(strstr(t, "性质"));
	assert_non_null(strstr(t, "度量"));
	assert_null(strstr(t, "项目负责人"));	/* not in this layout */
	for (int r2 = 0; r2 < FUND_ROWS; r2++)
		for (int c = 0; c < FUND_COLS; c++)
			if (f->funds[r2][c] && *f->funds[r2][c]) {
				char cellv[64];
				snprintf(cellv, sizeof cellv, " %s │", f->funds[r2][c]);
				assert_non_null(strstr(t, cellv));
			}
	for (size_t k = 0; k < f->n_ind; k++) {
		/* the row's figures, in their order, on the row's first line;
		 * the score with two decimals, as every 得分 is printed */
		char want[256], score[32];
		if (ustr_width(f->ind[k].v[IND_ACTUAL]) > 10)
			continue;	/* wrapped in its column */
		snprintf(score, sizeof score, "%s.00", f->ind[k].v[IND_SCORE]);
		snprintf(want, sizeof want, " %s │ %*s │ %*s │", f->ind[k].v[IND_ACTUAL], 4,
			 f->ind[k].v[IND_WEIGHT], 6, score);
		if (!strstr(t, want))
			fail_msg("row %zu: '%s' not printed", k, want);
	}
	assert_non_null(strstr(t, "│  100 │ 100.00 │"));	/* 总分 */
	free(t);
	io_result_free(&r);
}

/* A long CJK name wraps inside its column, at break points: read back from
 * the column it is whole, and no piece starts with closing punctuation. */
static void long_cell_wraps_in_its_column(void **state)
{
	(void)state;
	struct form *f = form_new();
	const char *err;
	const char *name = "这是一个非常长的三级指标名称，用来检查换行是否正确，以及标点符号不会出现在行首。";
	form_set(f, "year", "2023", &err);
	form_set(f, "layout", "district-2023", &err);
	form_add_indicator(f, 0);
	form_set(f, "indicators[0].level1", "产出指标", &err);
	form_set(f, "indicators[0].level2", "数量指标", &err);
	form_set(f, "indicators[0].name", name, &err);
	form_set(f, "indicators[0].weight", "100", &err);
	char *t = print_of(f, 80);
	char *lines[400];
	size_t n = split(t, lines, 400);
	char joined[1024] = "";
	size_t first = 0;
	while (first < n && !strstr(lines[first], "这是"))
		first++;
	assert_true(first < n);
	for (size_t i = first; i < n; i++) {
		/* the name is the third cell of the indicator rows */
		char *p = lines[i];
		for (int bars = 0; bars < 3; bars++)
			p = strstr(p, "│") + strlen("│");
		char *e = strstr(p, "│");
		char piece[512];
		size_t len = (size_t)(e - p);
		memcpy(piece, p, len);
		piece[len] = '\0';
		char *s = piece;
		while (*s == ' ')
			s++;
		for (char *z = s + strlen(s); z > s && z[-1] == ' '; z--)
			z[-1] = '\0';
		assert_false(strncmp(s, "，", strlen("，")) == 0 || strncmp(s, "。", strlen("。")) == 0);
		strcat(joined, s);
		if (strlen(joined) >= strlen(name))
			break;
	}
	assert_string_equal(joined, name);
	free(t);
	form_free(f);
}

/* The line of a printout holding needle, copied into line (or fail). */
static void line_with(const char *text, const char *needle, char *line, size_t len)
{
	const char *p = strstr(text, needle);
	if (!p)
		fail_msg("no line with %s in\n%s", needle, text);
	const char *b = p, *e = strchr(p, '\n');
	while (b > text && b[-1] != '\n')
		b--;
	size_t n = (size_t)((e ? e : p + strlen(p)) - b);
	assert_true(n < len);
	memcpy(line, b, n);
	line[n] = '\0';
}

/* The cells of a printed line between its │, trimmed, into cells (the
 * line is cut up in place). */
static int cells_of(char *line, char **cells, int max)
{
	const size_t bar = strlen("│");
	int n = 0;
	char *p = strstr(line, "│");
	while (p && n < max) {
		p += bar;
		char *e = strstr(p, "│");
		if (!e)
			break;
		char *next = e;
		while (*p == ' ')
			p++;
		if (p == next) {	/* an empty cell */
			cells[n++] = "";
			continue;
		}
		while (e[-1] == ' ')	/* a cell's text has a space before its bar */
			e--;
		*e = '\0';
		cells[n++] = p;
		p = next;
	}
	return n;
}

/* 总分's 得分 is one cell on one line at every width: "100.00", never
 * "100.0" over "0"; the line after it closes the table. */
static void total_score_never_wraps(void **state)
{
	(void)state;
	static const char *const files[] = { "beijing-cppcc-2021.txt", "fengtai-2023.txt",
					     "chaoyang-2024-part.txt" };
	static const int widths[] = { 80, 100, 132 };
	for (size_t fi = 0; fi < 3; fi++) {
		struct io_result r;
		read_sample(files[fi], &r);
		for (size_t i = 0; i < r.n_forms; i++)
			for (size_t w = 0; w < 3; w++) {
				const struct form *f = r.forms[i];
				if (!f->total_score || !*f->total_score)
					continue;
				char *t = print_of(f, widths[w]);
				char line[2048], want[64];
				line_with(t, "总分 ", line, sizeof line);
				num v;
				assert_true(num_parse(f->total_score, &v));
				char buf[NUM_BUFSZ];
				snprintf(want, sizeof want, " %s │", num_fixed(v, 2, buf));
				if (!strstr(line, want))
					fail_msg("%s form %zu at %d: 总分 line lacks '%s':\n%s", files[fi], i,
						 widths[w], want, line);
				const char *next = strstr(t, line) + strlen(line) + 1;
				if (strncmp(next, "└", strlen("└")) != 0)
					fail_msg("%s form %zu at %d: the 总分 row goes on:\n%s", files[fi], i,
						 widths[w], next);
				free(t);
			}
		io_result_free(&r);
	}
}

/* The cells the paper never leaves blank: 分值 and 得分 of the funds rows
 * under the total are "—", 执行率 without a budget is "—", 总分's 分值 is
 * the sum of the weights when absent; every 得分 has two decimals. */
static void blank_cells_as_on_paper(void **state)
{
	(void)state;
	struct form *f = form_new();
	const char *err;
	form_set(f, "year", "2023", &err);
	form_set(f, "layout", "district-2023", &err);
	form_set(f, "funds.total.budget", "100", &err);
	form_set(f, "funds.total.spent", "100", &err);
	form_set(f, "funds.total.weight", "10", &err);
	form_set(f, "funds.total.rate", "100.00%", &err);
	form_set(f, "funds.total.score", "10", &err);
	form_set(f, "funds.appropriation.budget", "100", &err);
	const char *const w[] = { "50", "30", "10" }, *const sc[] = { "50", "29.5", "9.125" };
	for (size_t i = 0; i < 3; i++) {
		form_add_indicator(f, i);
		char path[64];
		snprintf(path, sizeof path, "indicators[%zu].name", i);
		form_set(f, path, i == 0 ? "指标甲" : i == 1 ? "指标乙" : "指标丙", &err);
		snprintf(path, sizeof path, "indicators[%zu].weight", i);
		form_set(f, path, w[i], &err);
		snprintf(path, sizeof path, "indicators[%zu].score", i);
		form_set(f, path, sc[i], &err);
	}
	form_set(f, "total.score", "98.625", &err);
	/* total.weight absent */
	for (int width = 80; width <= 132; width += 26) {
		char *t = print_of(f, width), *t2 = strdup(t);
		check_structure(t2, width);	/* cuts its copy into lines */
		free(t2);
		char line[2048], *c[16];
		line_with(t, "上年结转资金", line, sizeof line);
		int n = cells_of(line, c, 16);
		assert_int_equal(n, 8);	/* label, row, six figures */
		assert_string_equal(c[2], "");	/* 年初预算数: nothing typed, nothing shown */
		assert_string_equal(c[5], "—");	/* 分值 */
		assert_string_equal(c[6], "—");	/* 执行率: no budget */
		assert_string_equal(c[7], "—");	/* 得分 */
		line_with(t, "其中", line, sizeof line);
		n = cells_of(line, c, 16);
		assert_string_equal(c[5], "—");
		assert_string_equal(c[6], "");	/* a budget: the rate is not "—" */
		line_with(t, "年度资金总额", line, sizeof line);
		cells_of(line, c, 16);
		assert_string_equal(c[5], "10");	/* a weight is not a score */
		assert_string_equal(c[7], "10.00");
		line_with(t, "指标甲", line, sizeof line);
		assert_non_null(strstr(line, " 50.00 │"));
		line_with(t, "指标乙", line, sizeof line);
		assert_non_null(strstr(line, " 29.50 │"));
		line_with(t, "指标丙", line, sizeof line);
		assert_non_null(strstr(line, " 9.125 │"));	/* more decimals: as written */
		line_with(t, "总分 ", line, sizeof line);
		assert_non_null(strstr(line, " 100 │ 98.625 │"));	/* 10 + 50 + 30 + 10 */
		free(t);
	}
	/* the stored form is untouched */
	assert_null(f->funds[FUND_CARRYOVER][FUND_WEIGHT]);
	assert_string_equal(f->ind[0].v[IND_SCORE], "50");
	assert_null(f->total_weight);
	form_free(f);
}

static void controls_are_scrubbed(void **state)
{
	(void)state;
	struct form *f = form_new();
	const char *err;
	form_set(f, "project", "bad\x1b[2Jname\x07", &err);
	form_set(f, "unit", "制表\t符", &err);
	char *t = print_of(f, 100);
	assert_null(strchr(t, '\x1b'));
	assert_null(strchr(t, '\x07'));
	assert_null(strchr(t, '\t'));
	check_structure(t, 100);
	free(t);
	form_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_samples_all_widths),
		cmocka_unit_test(never_wider_than_132),
		cmocka_unit_test(sample_prints_its_values),
		cmocka_unit_test(long_cell_wraps_in_its_column),
		cmocka_unit_test(controls_are_scrubbed),
		cmocka_unit_test(total_score_never_wraps),
		cmocka_unit_test(blank_cells_as_on_paper),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
