/* Unit tests of src/io_text: the sample forms as published, checked against
 * expectations written by hand from the sample text (tests/fixtures/expected),
 * and input that is damaged in the ways real files are. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <unistr.h>

#include "io.h"
#include "io_src.h"
#include "formjson.h"

static char *slurp(const char *rel, size_t *len)
{
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", rel);
	FILE *fp = fopen(path, "rb");
	if (!fp)
		fail_msg("cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void read_file(const char *rel, struct io_result *r)
{
	size_t len;
	char *buf = slurp(rel, &len);
	io_text_read(buf, len, rel, r);
	free(buf);
}

static void read_str(const char *s, struct io_result *r)
{
	io_text_read(s, strlen(s), "test", r);
}

static void print_problems(const struct io_result *r)
{
	for (size_t i = 0; i < r->n_problems; i++)
		print_message("form %zu line %ld: %s\n", r->problems[i].form_index,
			      r->problems[i].line, r->problems[i].message);
}

/* ---- the samples -------------------------------------------------- */

static const struct {
	const char *file;
	size_t forms;
	const char *layout;
} samples[] = {
	{ "beijing-cppcc-2021.txt", 1, "beijing-2021" },
	{ "fengtai-2023.txt", 20, "district-2023" },
	{ "chaoyang-2024-part.txt", 9, "district-2024" },
};

static void all_samples_read_whole(void **state)
{
	(void)state;
	size_t total = 0;
	for (size_t s = 0; s < 3; s++) {
		struct io_result r;
		read_file(samples[s].file, &r);
		print_problems(&r);
		assert_int_equal(r.n_problems, 0);
		assert_int_equal(r.n_forms, samples[s].forms);
		for (size_t i = 0; i < r.n_forms; i++) {
			const struct form *f = r.forms[i];
			assert_false(r.incomplete[i]);
			assert_string_equal(f->layout, samples[s].layout);
			assert_non_null(f->project);
			assert_non_null(f->unit);
			assert_non_null(f->funds[FUND_TOTAL][FUND_BUDGET]);
			assert_true(f->n_ind >= 5);
			assert_non_null(f->total_score);
			for (size_t k = 0; k < f->n_ind; k++) {
				/* every row has a name, a target, a weight and a score */
				assert_true(*f->ind[k].v[IND_NAME]);
				assert_true(*f->ind[k].v[IND_TARGET]);
				assert_true(*f->ind[k].v[IND_WEIGHT]);
				assert_true(*f->ind[k].v[IND_SCORE]);
				assert_true(*f->ind[k].v[IND_LEVEL1]);
			}
		}
		total += r.n_forms;
		io_result_free(&r);
	}
	assert_int_equal(total, 30);
}

/* The weights of every sample form add up to 100 with the budget's 10: a
 * check, computed from the read values, that no row was lost or split. */
static void sample_weights_add_up(void **state)
{
	(void)state;
	for (size_t s = 0; s < 3; s++) {
		struct io_result r;
		read_file(samples[s].file, &r);
		for (size_t i = 0; i < r.n_forms; i++) {
			const struct form *f = r.forms[i];
			long sum = atol(f->funds[FUND_TOTAL][FUND_WEIGHT]);
			for (size_t k = 0; k < f->n_ind; k++)
				sum += atol(f->ind[k].v[IND_WEIGHT]);
			if (sum != 100)
				fail_msg("%s form %zu (%s): weights add up to %ld", samples[s].file, i,
					 f->project, sum);
		}
		io_result_free(&r);
	}
}

static const char *const expected[] = {
	"beijing-2021-0", "fengtai-2023-0", "fengtai-2023-2", "fengtai-2023-6",
	"fengtai-2023-17", "fengtai-2023-19", "chaoyang-2024-0", "chaoyang-2024-1",
	"chaoyang-2024-3",
};

static const char *sample_of(const char *exp)
{
	if (strncmp(exp, "beijing", 7) == 0)
		return samples[0].file;
	if (strncmp(exp, "fengtai", 7) == 0)
		return samples[1].file;
	return samples[2].file;
}

static void forms_match_hand_written(void **state)
{
	(void)state;
	for (size_t e = 0; e < sizeof expected / sizeof *expected; e++) {
		size_t idx = (size_t)atoi(strrchr(expected[e], '-') + 1);
		char rel[128];
		snprintf(rel, sizeof rel, "expected/%s.json", expected[e]);
		size_t len;
		char *text = slurp(rel, &len);
		json_error_t err;
		json_t *want = json_loadb(text, len, 0, &err);
		if (!want)
			fail_msg("%s:%d: %s", rel, err.line, err.text);
		free(text);
		struct io_result r;
		read_file(sample_of(expected[e]), &r);
		assert_true(idx < r.n_forms);
		json_t *got = formjson(r.forms[idx]);
		char where[512];
		if (!formjson_match(want, got, where, sizeof where))
			fail_msg("%s: %s", rel, where);
		json_decref(got);
		json_decref(want);
		io_result_free(&r);
	}
}

/* A copy is equal field for field (the round trip through JSON is in the
 * end-to-end tests, once export and import meet on main). */
static void copies_are_equal(void **state)
{
	(void)state;
	for (size_t s = 0; s < 3; s++) {
		struct io_result r;
		read_file(samples[s].file, &r);
		for (size_t i = 0; i < r.n_forms; i++) {
			struct form *c = form_copy(r.forms[i]);
			assert_true(form_equal(c, r.forms[i]));
			form_free(c);
		}
		io_result_free(&r);
	}
}

/* Import → export JSON → import gives the same forms, field for field
 * (with io_json, the interchange format of spec/cli.md). */
static void json_round_trip(void **state)
{
	(void)state;
	for (size_t s = 0; s < 3; s++) {
		struct io_result r;
		read_file(samples[s].file, &r);
		for (size_t i = 0; i < r.n_forms; i++) {
			char *json = io_json_write_form(r.forms[i], false);
			assert_non_null(json);
			struct io_result back;
			if (io_json_read(json, strlen(json), "round", &back) != 0 || back.n_forms != 1)
				fail_msg("%s form %zu does not read back: %s", samples[s].file, i,
					 back.n_problems ? back.problems[0].message : "?");
			if (!form_equal(r.forms[i], back.forms[0]))
				fail_msg("%s form %zu differs after the round trip", samples[s].file, i);
			/* and field for field, as the tests see forms */
			json_t *a = formjson(r.forms[i]), *b = formjson(back.forms[0]);
			assert_true(json_equal(a, b));
			json_decref(a);
			json_decref(b);
			io_result_free(&back);
			free(json);
		}
		io_result_free(&r);
	}
}

/* ---- markup, wrapping, layouts on small forms written here ------------ */

#define HEAD23 \
	"项目支出绩效自评表\n(2023年度)\n" \
	"项目名称\t测试项目\t\t\n" \
	"主管部门\t某局\t\t实施单位\t某中心\t\n" \
	"项目负责人\t张三\t\t联系电话\t010-1234\t\n" \
	"项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n" \
	"\t年度资金总额\t10\t10\t9\t10\t90%\t9\n" \
	"年度总体目标\t预期目标\t\t实际完成情况\n" \
	"\t<p>目标一</p> <p>目标二</p>\t\t完成\n" \
	"绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"

static void markup_is_undone(void **state)
{
	(void)state;
	struct io_result r;
	read_str(HEAD23
		 "\t产出指标\t数量指标\t次数\t$\\geq 95\\%$\t96%\t50\t50\t\n"
		 "\t\t\t速度\t$\\leq 4\\text{ 小时}$\t2 小时\t40\t40\t\n"
		 "总分\t\t\t\t100\t99\t优\n", &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	assert_int_equal(r.n_forms, 1);
	const struct form *f = r.forms[0];
	assert_string_equal(f->goals_expected, "目标一\n目标二");
	assert_string_equal(f->goals_achieved, "完成");
	assert_string_equal(f->ind[0].v[IND_TARGET], "≥95%");
	assert_string_equal(f->ind[1].v[IND_TARGET], "≤4 小时");
	assert_string_equal(f->ind[1].v[IND_LEVEL2], "数量指标");	/* carried down */
	assert_string_equal(f->phone, "010-1234");
	assert_string_equal(f->total_grade, "优");
	assert_string_equal(f->total_score, "99");
	/* a row that is not printed stays absent */
	assert_null(f->funds[FUND_OTHER][FUND_BUDGET]);
	io_result_free(&r);
}

static void wrapped_cells_are_joined(void **state)
{
	(void)state;
	struct io_result r;
	/* the name wraps inside its cell; the next row's target wraps and its
	 * tail comes on a line of its own, in the target's column */
	read_str(HEAD23
		 "\t产出指标\t数量指标\t很长的指标名称\n"
		 "的后半部分\t≥5 类\t5 类\t50\t50\t\n"
		 "\t\t质量指标\t合格率\t达到良\t优\t40\t40\t\n"
		 "\t\t\t\t以上\t\t\t\t\n"
		 "总分\t\t\t\t100\t100\n", &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	const struct form *f = r.forms[0];
	assert_int_equal(f->n_ind, 2);
	assert_string_equal(f->ind[0].v[IND_NAME], "很长的指标名称的后半部分");
	assert_string_equal(f->ind[0].v[IND_TARGET], "≥5 类");
	assert_string_equal(f->ind[1].v[IND_TARGET], "达到良以上");
	assert_string_equal(f->ind[1].v[IND_LEVEL1], "产出指标");
	io_result_free(&r);
}

static void level2_of_another_group_sets_level1(void **state)
{
	(void)state;
	struct io_result r;
	read_str(HEAD23
		 "\t产出指标\t数量指标\t次数\t=1项\t1项\t50\t50\t\n"
		 "\t\t社会效益指标\t效果\t好\t好\t40\t40\t\n"
		 "总分\t\t\t\t100\t100\n", &r);
	assert_int_equal(r.n_problems, 0);
	assert_string_equal(r.forms[0]->ind[1].v[IND_LEVEL1], "效益指标");
	assert_string_equal(r.forms[0]->ind[1].v[IND_LEVEL2], "社会效益指标");
	io_result_free(&r);
}

/* A 2024 row whose 度量单位 is empty (a 定性 row) and one that carries an
 * empty column from a merged cell: both read into the right columns. */
static void empty_cells_inside_rows(void **state)
{
	(void)state;
	struct io_result r;
	read_str("项目支出绩效自评表 (2024年度)\n"
		 "项目名称\t\t测试\t\n"
		 "主管部门\t\t某局\t实施单位\t\t某中心\n"
		 "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
		 "\t年度资金总额\t1\t1\t1\t10\t100%\t10\n"
		 "年度总体目标\t预期目标\t\t实际完成情况\n"
		 "\t甲\t\t乙\n"
		 "绩效指标\t一级指标\t二级指标\t三级指标\t绩效指标性质\t年度指标值\t绩效度量单位\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
		 "\t产出指标\t质量指标\t指标1：验收\t定性\t优良中低差\t\t优\t45\t45\t\n"
		 "\t\t\t指标2：数量\t\t≥\t10\t台\t10\t45\t45\t\n"
		 "总分\t\t\t\t\t\t\t\t100\t100\n", &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	const struct form *f = r.forms[0];
	assert_int_equal(f->n_ind, 2);
	assert_string_equal(f->ind[0].v[IND_LEVEL2], "质量指标");
	assert_string_equal(f->ind[0].v[IND_NAME], "指标1：验收");
	assert_string_equal(f->ind[0].v[IND_NATURE], "定性");
	assert_string_equal(f->ind[0].v[IND_UNIT_OF_MEASURE], "");
	assert_string_equal(f->ind[0].v[IND_ACTUAL], "优");
	assert_string_equal(f->ind[1].v[IND_NAME], "指标2：数量");
	assert_string_equal(f->ind[1].v[IND_NATURE], "≥");
	assert_string_equal(f->ind[1].v[IND_UNIT_OF_MEASURE], "台");
	assert_string_equal(f->ind[1].v[IND_LEVEL2], "质量指标");
	io_result_free(&r);
}

/* Page breaks of a PDF: a page number, a rule, the table header again;
 * figures in full-width digits still end a row (and stay as printed). */
static void pdf_artefacts_are_skipped(void **state)
{
	(void)state;
	struct io_result r;
	read_str(HEAD23
		 "\t产出指标\t数量指标\t次数\t=1项\t1项\t50\t50\t\n"
		 "- 2 -\n"
		 "第2页共3页\n"
		 "------\t-----\n"
		 "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
		 "\t\t质量指标\t合格率\t≥90%\t95%\t４０\t４０分\t\n"
		 "总分\t\t\t\t100\t100\n", &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	const struct form *f = r.forms[0];
	assert_int_equal(f->n_ind, 2);
	assert_string_equal(f->ind[0].v[IND_NAME], "次数");
	assert_string_equal(f->ind[1].v[IND_WEIGHT], "４０");
	assert_string_equal(f->ind[1].v[IND_SCORE], "４０分");
	assert_string_equal(f->ind[1].v[IND_LEVEL1], "产出指标");
	io_result_free(&r);
}

/* ---- damaged input -------------------------------------------------- */

static void invalid_utf8_reads_nothing(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("fengtai-2023.txt", &len);
	/* the first tab after byte 1000 becomes a byte that UTF-8 never has */
	char *tab = strchr(buf + 1000, '\t');
	*tab = (char)0xFF;
	long at = (long)(tab - buf);
	char want[32];
	snprintf(want, sizeof want, "%ld", at);
	struct io_result r;
	assert_int_equal(io_text_read(buf, len, "x", &r), -1);
	assert_int_equal(r.n_forms, 0);
	assert_int_equal(r.n_problems, 1);
	assert_int_equal(r.problems[0].offset, at);
	assert_non_null(strstr(r.problems[0].message, want));
	io_result_free(&r);
	free(buf);
}

/* Forms of both kinds in one file (the space layout of the 2021 sample,
 * then the tab layout of the 2023 one): each is read as its own lines
 * are, not as a grid because another form of the file holds tabs. */
static void layouts_mixed_in_one_file(void **state)
{
	(void)state;
	size_t la, lb;
	char *a = slurp("beijing-cppcc-2021.txt", &la);
	char *b = slurp("fengtai-2023.txt", &lb);
	struct io_result ra, rb, r;
	io_text_read(a, la, "a", &ra);
	io_text_read(b, lb, "b", &rb);
	char *both = malloc(la + lb + 2);
	assert_non_null(both);
	memcpy(both, a, la);
	both[la] = '\n';
	memcpy(both + la + 1, b, lb);
	io_text_read(both, la + lb + 1, "both", &r);
	assert_int_equal(r.n_forms, ra.n_forms + rb.n_forms);
	for (size_t i = 0; i < r.n_forms; i++) {
		const struct form *want = i < ra.n_forms ? ra.forms[i] : rb.forms[i - ra.n_forms];
		bool inc = i < ra.n_forms ? ra.incomplete[i] : rb.incomplete[i - ra.n_forms];
		assert_int_equal(r.incomplete[i], inc);
		assert_string_equal(r.forms[i]->project, want->project);
		assert_int_equal(r.forms[i]->n_ind, want->n_ind);
		assert_string_equal(r.forms[i]->layout, want->layout);
	}
	io_result_free(&ra);
	io_result_free(&rb);
	io_result_free(&r);
	free(a);
	free(b);
	free(both);
}

/* The streaming reader over a file read a few bytes at a time gives what
 * the reader over the whole buffer gives, problems included. */
static void stream_in_small_chunks(void **state)
{
	(void)state;
	static const char *const files[] = { "beijing-cppcc-2021.txt", "chaoyang-2024-part.txt",
					     "fengtai-2023.txt" };
	for (size_t fi = 0; fi < sizeof files / sizeof *files; fi++) {
		size_t len;
		char *buf = slurp(files[fi], &len);
		struct io_result whole;
		int rc = io_text_read(buf, len, "f", &whole);
		for (size_t chunk = 1; chunk < 200; chunk += 37) {
			FILE *f = fmemopen(buf, len, "r");
			assert_non_null(f);
			struct io_src in;
			src_init_file(&in, f);
			in.chunk = chunk;
			struct io_result r = { 0 };
			struct io_sink k;
			io_result_sink(&r, &k);
			assert_int_equal(io_text_stream(&in, "f", &k), rc);
			assert_int_equal(r.n_forms, whole.n_forms);
			assert_int_equal(r.n_problems, whole.n_problems);
			for (size_t i = 0; i < r.n_problems; i++) {
				assert_string_equal(r.problems[i].message, whole.problems[i].message);
				assert_int_equal(r.problems[i].line, whole.problems[i].line);
			}
			for (size_t i = 0; i < r.n_forms; i++)
				assert_true(form_equal(r.forms[i], whole.forms[i]));
			io_result_free(&r);
			src_free(&in);
			fclose(f);
		}
		io_result_free(&whole);
		free(buf);
	}
}

static void garbage_is_no_form(void **state)
{
	(void)state;
	struct io_result r;
	read_str("hello\tworld\n1 2 3\n\n{not json\n", &r);
	assert_int_equal(r.n_forms, 0);
	assert_int_equal(r.n_problems, 1);
	io_result_free(&r);
	read_str("", &r);
	assert_int_equal(r.n_forms, 0);
	io_result_free(&r);
}

/* The chaoyang sample cut after its first form's line 18 (in the middle of
 * the 绩效指标 table): the form is flagged, with the last line read. */
static void truncated_form_is_incomplete(void **state)
{
	(void)state;
	size_t len;
	char *buf = slurp("chaoyang-2024-part.txt", &len);
	char *p = buf;
	for (int line = 0; line < 18; line++)
		p = strchr(p, '\n') + 1;
	struct io_result r;
	assert_int_equal(io_text_read(buf, (size_t)(p - buf), "cut", &r), -1);
	assert_int_equal(r.n_forms, 1);
	assert_true(r.incomplete[0]);
	bool found = false;
	for (size_t i = 0; i < r.n_problems; i++)
		if (strstr(r.problems[i].message, "总分") && r.problems[i].line == 18)
			found = true;
	assert_true(found);
	/* what was read is kept for the message, not for import */
	assert_int_equal(r.forms[0]->n_ind, 4);
	io_result_free(&r);
	free(buf);
}

/* A form without its 绩效指标 table, between two whole ones: only it is
 * flagged, and the problem names its title line. */
static void missing_table_flags_only_that_form(void **state)
{
	(void)state;
	struct io_result r;
	read_str(HEAD23
		 "\t产出指标\t数量指标\t次数\t=1项\t1项\t90\t90\t\n"
		 "总分\t\t\t\t100\t99\n"
		 "\n"
		 "项目支出绩效自评表\n(2023年度)\n"			/* line 14 */
		 "项目名称\t第二个\t\t\n"
		 "主管部门\t某局\t\t实施单位\t某中心\t\n"
		 "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
		 "\t年度资金总额\t10\t10\t9\t10\t90%\t9\n"
		 "总分\t\t\t\t100\t99\n"
		 HEAD23
		 "\t产出指标\t数量指标\t次数\t=1项\t1项\t90\t90\t\n"
		 "总分\t\t\t\t100\t99\n", &r);
	assert_int_equal(r.n_forms, 3);
	assert_false(r.incomplete[0]);
	assert_true(r.incomplete[1]);
	assert_false(r.incomplete[2]);
	bool found = false;
	for (size_t i = 0; i < r.n_problems; i++) {
		assert_int_equal(r.problems[i].form_index, 1);
		if (strstr(r.problems[i].message, "绩效指标") && r.problems[i].line == 14)
			found = true;
	}
	assert_true(found);
	io_result_free(&r);
}

static void row_without_figures_is_reported(void **state)
{
	(void)state;
	struct io_result r;
	read_str(HEAD23
		 "\t产出指标\t数量指标\t次数\t=1项\t1项\t90\t90\t\n"
		 "\t\t\t乱码行\t没有分值\n"
		 "\n"
		 "总分\t\t\t\t100\t99\n", &r);
	/* the text is taken as the tail of the last row's cells, as a wrapped
	 * cell would be: nothing is lost, nothing invented */
	assert_int_equal(r.forms[0]->n_ind, 1);
	assert_non_null(strstr(r.forms[0]->ind[0].v[IND_NAME], "乱码行"));
	io_result_free(&r);
	read_str(HEAD23
		 "\t\t\t乱码行\t没有分值\n"
		 "总分\t\t\t\t100\t99\n", &r);
	assert_true(r.incomplete[0]);
	assert_int_equal(r.problems[0].line, 11);
	io_result_free(&r);
}

/* The space-separated layout: a figure and its unit parted by a space
 * are one cell again; stacked labels; a name wrapped over two lines. */
static void space_layout_cells(void **state)
{
	(void)state;
	struct io_result r;
	read_str("项目支出绩效自评表\n（2021年度）\n\n"
		 "项目名称 某项目\n\n主管部门 某局 实施单位 某中心\n\n项目负责人 王五 联系电话 123\n\n"
		 "项目资金 （万元）\n年初预算数 全年预算数（A） 全年执行数（B） 分值 执行率 得分\n\n"
		 "年度资金总额 10 10 10 10 100% 10\n\n"
		 "年\n度\n总\n体\n目\n标\n\n预期目标 实际完成情况\n\n甲目标\n\n乙完成\n\n"
		 "绩\n效\n指\n标\n\n一级指标 二级指标 三级指标 年度指标值（A）\n实际完成值（B）\n分值 得分\n\n"
		 "产\n出\n指\n标\n\n(90分)\n\n时效指标\n\n"
		 "平均维修时间 ≤4 小时 2 小时 50 50.00\n\n"
		 "一个很长的\n指标名称 ≥5 类 5 类 40 40.00\n\n"
		 "总分： 100 100.00\n", &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	const struct form *f = r.forms[0];
	assert_string_equal(f->layout, "beijing-2021");
	assert_int_equal(f->n_ind, 2);
	assert_string_equal(f->ind[0].v[IND_LEVEL1], "产出指标 (90分)");
	assert_string_equal(f->ind[0].v[IND_LEVEL2], "时效指标");
	assert_string_equal(f->ind[0].v[IND_TARGET], "≤4 小时");
	assert_string_equal(f->ind[0].v[IND_ACTUAL], "2 小时");
	assert_string_equal(f->ind[1].v[IND_NAME], "一个很长的指标名称");
	assert_string_equal(f->ind[1].v[IND_TARGET], "≥5 类");
	assert_string_equal(f->goals_expected, "甲目标");
	assert_string_equal(f->goals_achieved, "乙完成");
	assert_string_equal(f->total_score, "100.00");
	io_result_free(&r);
}

/* Labels with a note in brackets, values after a colon. */
static void header_label_variants(void **state)
{
	(void)state;
	struct io_result r;
	read_str("2023年度项目支出绩效自评表\n"
		 "项目名称：测试项目\n"
		 "主管部门（单位）\t某局\t实施单位（盖章）\t某中心\n"
		 "项目负责人\t张三\t联系电话(手机)\t139 0000 0000\n"
		 "项目资金 (万元)\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
		 "\t年度资金总额\t10\t10\t9\t10\t90%\t9\n"
		 "年度总体目标\t完成建设\t\t\t已完成建设\n"
		 "绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因分析及改进措施\n"
		 "\t产出指标\t数量指标\t次数\t=1项\t1项\t90\t90\t\n"
		 "总分\t\t\t\t100\t99\n", &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	const struct form *f = r.forms[0];
	assert_string_equal(f->goals_expected, "完成建设");
	assert_string_equal(f->goals_achieved, "已完成建设");
	assert_int_equal(f->year, 2023);
	assert_string_equal(f->project, "测试项目");
	assert_string_equal(f->department, "某局");
	assert_string_equal(f->unit, "某中心");
	assert_string_equal(f->phone, "139 0000 0000");
	assert_false(r.incomplete[0]);
	io_result_free(&r);
}

static void looks_json(void **state)
{
	(void)state;
	assert_true(io_looks_json(" \n[{}]", 6));
	assert_true(io_looks_json("\xEF\xBB\xBF{", 4));
	assert_false(io_looks_json("项目", strlen("项目")));
	assert_false(io_looks_json("  ", 2));
}

/* ---- issue 14 point 6: layouts of real forms ------------------------ */

#define ALT_HEAD "项目支出绩效自评表\n（2023年度）\n项目名称\t测试项目\n" \
	"主管部门\t部门\t实施单位\t单位甲\n"
#define ALT_TAIL "年度总体目标\t预期目标\t实际完成情况\n\t做好运维\t已做好运维\n" \
	"绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值（A）\t实际完成值（B）\t分值\t得分\t偏差原因分析及改进措施\n" \
	"\t产出指标\t数量指标\t指标一\t≥95%\t96%\t40\t40\t\n" \
	"\t质量指标\t\t指标二\t≥95%\t96%\t20\t20\t\n" \
	"\t\t\t指标三\t≥95%\t96%\t20\t20\t\n" \
	"\t效益指标\t社会效益指标\t指标四\t≥95%\t96%\t10\t10\t\n" \
	"总分\t100\t99\t优\n"

static void assert_funds_total(const struct form *f)
{
	assert_string_equal(f->funds[FUND_TOTAL][FUND_INITIAL], "100");
	assert_string_equal(f->funds[FUND_TOTAL][FUND_BUDGET], "100");
	assert_string_equal(f->funds[FUND_TOTAL][FUND_SPENT], "90");
	assert_string_equal(f->funds[FUND_TOTAL][FUND_WEIGHT], "10");
	assert_string_equal(f->funds[FUND_TOTAL][FUND_RATE], "90%");
	assert_string_equal(f->funds[FUND_TOTAL][FUND_SCORE], "9");
}

/* 项目资金 printed as labels and figures alternating in the row */
static void funds_labels_and_figures_alternating(void **state)
{
	(void)state;
	static const char *const forms[] = {
		/* on the 年度资金总额 row */
		ALT_HEAD "项目资金（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率\t得分\n"
		"\t年度资金总额\t年初预算数\t100\t全年预算数（A）\t100\t全年执行数（B）\t90\t分值\t10\t执行率\t90%\t得分\t9\n"
		ALT_TAIL,
		/* on the 项目资金 line itself, no row label */
		ALT_HEAD "项目资金（万元）\t年初预算数\t100\t全年预算数（A）\t100\t全年执行数（B）\t90\t分值\t10\t执行率\t90%\t得分\t9\n"
		ALT_TAIL,
	};
	for (size_t i = 0; i < 2; i++) {
		struct io_result r;
		read_str(forms[i], &r);
		print_problems(&r);
		assert_int_equal(r.n_problems, 0);
		assert_int_equal(r.n_forms, 1);
		assert_false(r.incomplete[0]);
		assert_funds_total(r.forms[0]);
		io_result_free(&r);
	}
}

/* 绩效指标 rows a column off: a 二级 where the 一级 sits, and a row one
 * column to the left */
static void indicator_rows_shifted(void **state)
{
	(void)state;
	struct io_result r;
	read_str(ALT_HEAD "项目资金（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率\t得分\n"
		 "\t年度资金总额\t100\t100\t90\t10\t90%\t9\n" ALT_TAIL, &r);
	print_problems(&r);
	assert_int_equal(r.n_problems, 0);
	assert_int_equal(r.n_forms, 1);
	const struct form *f = r.forms[0];
	assert_int_equal(f->n_ind, 4);
	assert_string_equal(f->ind[1].v[IND_LEVEL1], "产出指标");
	assert_string_equal(f->ind[1].v[IND_LEVEL2], "质量指标");
	assert_string_equal(f->ind[1].v[IND_NAME], "指标二");
	assert_string_equal(f->ind[2].v[IND_LEVEL2], "质量指标");
	assert_string_equal(f->ind[2].v[IND_NAME], "指标三");
	assert_string_equal(f->ind[2].v[IND_TARGET], "≥95%");
	assert_string_equal(f->ind[3].v[IND_LEVEL1], "效益指标");
	io_result_free(&r);
}

/* A 项目资金 line the reader cannot place: a problem of that form with its
 * line, the form not read whole -- never a field quietly left empty. */
static void unreadable_funds_line_is_the_forms_problem(void **state)
{
	(void)state;
	struct io_result r;
	read_str(ALT_HEAD "项目资金（万元）\t\t年初预算数\t全年预算数（A）\t全年执行数（B）\t分值\t执行率\t得分\n"
		 "\t年度资金总额\t100\t100\t90\t10\t90%\t9\n"
		 "\t备注\t某某\t某某\n" ALT_TAIL, &r);
	assert_int_equal(r.n_forms, 1);
	assert_true(r.incomplete[0]);
	bool found = false;
	for (size_t i = 0; i < r.n_problems; i++)
		if (r.problems[i].form_index == 0 && r.problems[i].line == 7)
			found = true;
	assert_true(found);
	io_result_free(&r);
}

/* ---- every form as recorded ---------------------------------------- */

/*
 * What the reader made of each sample, whole and damaged (every 7th or
 * 13th line dropped, tabs turned into spaces), as recorded by the reader
 * before its speed work (tests/fixtures/expected/read/): forms, whether
 * each was read whole, and every problem.  A change to what the reader
 * reads shows here; JXZP_RECORD=1 writes the files anew (on purpose only).
 */
static const char *const recorded[] = {
	"beijing-cppcc-2021.txt", "fengtai-2023.txt", "chaoyang-2024-part.txt",
	"generated-30.txt", "screens/form-140x40.txt",
};

/* buf with every k-th line left out (k 0: whole); tabs as spaces if asked */
static char *damaged(const char *buf, size_t len, int k, bool untab, size_t *outlen)
{
	char *out = malloc(len + 1);
	assert_non_null(out);
	size_t o = 0;
	long no = 1;
	for (size_t i = 0; i < len;) {
		const char *e = memchr(buf + i, '\n', len - i);
		size_t n = e ? (size_t)(e - buf - i) + 1 : len - i;
		if (k == 0 || no % k != 0)
			for (size_t j = 0; j < n; j++)
				out[o++] = untab && buf[i + j] == '\t' ? ' ' : buf[i + j];
		i += n;
		no++;
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

static json_t *reading_json(const struct io_result *r)
{
	json_t *forms = json_array(), *probs = json_array();
	for (size_t i = 0; i < r->n_forms; i++) {
		json_t *f = formjson(r->forms[i]);
		json_object_set_new(f, "incomplete", json_boolean(r->incomplete[i]));
		json_array_append_new(forms, f);
	}
	for (size_t i = 0; i < r->n_problems; i++)
		json_array_append_new(probs, json_pack("{s:I, s:I, s:I, s:s}", "form",
						       (json_int_t)r->problems[i].form_index, "line",
						       (json_int_t)r->problems[i].line, "offset",
						       (json_int_t)r->problems[i].offset, "message",
						       r->problems[i].message));
	return json_pack("{s:o, s:o}", "forms", forms, "problems", probs);
}

static void forms_read_as_recorded(void **state)
{
	(void)state;
	static const struct {
		int k;
		bool untab;
		const char *tag;
	} ways[] = { { 0, false, "whole" }, { 7, false, "no7" }, { 13, false, "no13" }, { 0, true, "untab" } };
	for (size_t s = 0; s < sizeof recorded / sizeof *recorded; s++) {
		size_t len;
		char *buf = slurp(recorded[s], &len);
		json_t *all = json_object();
		for (size_t w = 0; w < sizeof ways / sizeof *ways; w++) {
			size_t dl;
			char *d = damaged(buf, len, ways[w].k, ways[w].untab, &dl);
			struct io_result r;
			io_text_read(d, dl, recorded[s], &r);
			json_object_set_new(all, ways[w].tag, reading_json(&r));
			io_result_free(&r);
			free(d);
		}
		free(buf);
		char *got = json_dumps(all, JSON_INDENT(1) | JSON_SORT_KEYS);
		json_decref(all);
		char rel[256], *slash;
		snprintf(rel, sizeof rel, "expected/read/%s", recorded[s]);
		while ((slash = strchr(rel + strlen("expected/read/"), '/')))
			*slash = '-';
		strcpy(strrchr(rel, '.'), ".json");
		if (getenv("JXZP_RECORD")) {
			const char *src = getenv("JXZP_SRCDIR");
			char path[1024];
			snprintf(path, sizeof path, "%s/tests/fixtures/%s", src ? src : ".", rel);
			FILE *fp = fopen(path, "w");
			assert_non_null(fp);
			fprintf(fp, "%s\n", got);
			fclose(fp);
		} else {
			size_t wl;
			char *want = slurp(rel, &wl);
			if (wl == 0 || strlen(got) != wl - 1 || memcmp(got, want, wl - 1) != 0) {
				size_t i = 0;
				while (got[i] && i < wl && got[i] == want[i])
					i++;
				fail_msg("%s: read differently from %s at byte %zu: ...%.80s", recorded[s], rel,
					 i, got + (i > 40 ? i - 40 : 0));
			}
			free(want);
		}
		free(got);
	}
}

/* The scan's UTF-8 check (a fast path for the common characters) finds the
 * first bad byte where libunistring's u8_check does, on text made of good
 * characters of every length, bytes at random, sequences cut short and
 * sequences that only look right. */
static void utf8_check_agrees(void **state)
{
	(void)state;
	static const char *const good[] = { "a", "\t", "é", "表", "、", "\xED\x9F\xBF", "\xE0\xA0\x80",
					    "\xF0\x9F\x98\x80", "\xF4\x8F\xBF\xBF", "\xEF\xBF\xBD",
					    /* well formed in shape only: a surrogate, overlong
					     * forms, past U+10FFFF */
					    "\xED\xA0\x80", "\xE0\x80\xAF", "\xC0\xAF", "\xC1\xBF",
					    "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80" };
	unsigned seed = 12345;
	for (int round = 0; round < 4000; round++) {
		char buf[64];
		size_t n = 0;
		while (n < 48) {
			seed = seed * 1103515245 + 12345;
			unsigned r = (seed >> 16) & 0x7fff;
			if (r % 13 == 0) {
				buf[n++] = (char)(r >> 3);	/* any byte */
			} else {
				const char *g = good[r % (sizeof good / sizeof *good)];
				size_t gl = strlen(g);
				if (r % 11 == 0 && gl > 1)
					gl--;	/* cut short */
				memcpy(buf + n, g, gl);
				n += gl;
			}
		}
		const uint8_t *want = u8_check((const uint8_t *)buf, n);
		struct io_src in;
		struct src_scan sc;
		src_init_mem(&in, buf, n);
		src_scan(&in, &sc);
		assert_int_equal(sc.bad, want ? (long)(want - (const uint8_t *)buf) : -1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(all_samples_read_whole),
		cmocka_unit_test(sample_weights_add_up),
		cmocka_unit_test(forms_match_hand_written),
		cmocka_unit_test(copies_are_equal),
		cmocka_unit_test(json_round_trip),
		cmocka_unit_test(markup_is_undone),
		cmocka_unit_test(wrapped_cells_are_joined),
		cmocka_unit_test(level2_of_another_group_sets_level1),
		cmocka_unit_test(pdf_artefacts_are_skipped),
		cmocka_unit_test(empty_cells_inside_rows),
		cmocka_unit_test(invalid_utf8_reads_nothing),
		cmocka_unit_test(layouts_mixed_in_one_file),
		cmocka_unit_test(stream_in_small_chunks),
		cmocka_unit_test(garbage_is_no_form),
		cmocka_unit_test(truncated_form_is_incomplete),
		cmocka_unit_test(missing_table_flags_only_that_form),
		cmocka_unit_test(row_without_figures_is_reported),
		cmocka_unit_test(space_layout_cells),
		cmocka_unit_test(header_label_variants),
		cmocka_unit_test(looks_json),
		cmocka_unit_test(funds_labels_and_figures_alternating),
		cmocka_unit_test(indicator_rows_shifted),
		cmocka_unit_test(unreadable_funds_line_is_the_forms_problem),
		cmocka_unit_test(forms_read_as_recorded),
		cmocka_unit_test(utf8_check_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
