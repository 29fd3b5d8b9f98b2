/*
 * The reviewer's signals (src/triage.c): each on built cases (fires, does
 * not fire at its edge, ignores blank fields), the cross-year ones on a
 * project carried forward over three years with edits, copied text with
 * small edits, reordered sentences and full-width variants, and the real
 * samples of /work/shared/samples (data/ holds the same files).
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <locale.h>

#include "triage.h"
#include "io.h"
#include "formspec.h"

static struct check *chk;

/* A form of the 2024 layout: budget / spent in 万元, rows appended by the test. */
static struct form *base(const char *unit, const char *project, int year, const char *budget,
			 const char *spent)
{
	char y[16];
	snprintf(y, sizeof y, "%d", year);
	const char *lines[] = {
		"unit=", "project=", "year=2024", "department=某局", "funds.total.budget=",
		"funds.total.spent=", "funds.total.weight=10", NULL,
	};
	struct form *f = fs_form(lines);
	fs_set(f, "unit", unit);
	fs_set(f, "project", project);
	fs_set(f, "year", y);
	fs_set(f, "funds.total.budget", budget);
	fs_set(f, "funds.total.spent", spent);
	return f;
}

static struct tr_list own_of(const struct form *f)
{
	struct tr_list l = { 0 };
	triage_own(f, NULL, chk, &l, NULL);
	return l;
}

static const struct tr_signal *find(const struct tr_list *l, enum tr_code c)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].code == c)
			return &l->v[i];
	return NULL;
}

/* layout district-2024: l1|l2|name|nature|target|unit|actual|weight|score|deviation */
static void test_score_unearned(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "100", "100");
	fs_row(f, "产出指标|数量指标|巡检次数|≥|10|次|8|20|20|");	/* 8/10 × 20 = 16: 4 above */
	fs_row(f, "产出指标|质量指标|运行率|≥|95|%|96|20|20|");
	struct tr_list l = own_of(f);
	const struct tr_signal *s = find(&l, TR_SCORE_UNEARNED);
	assert_non_null(s);
	assert_string_equal(s->arg[0], "4.00");
	assert_true(tr_points_at(s, "indicators[0].score"));
	assert_false(tr_points_at(s, "indicators[1].score"));
	tr_list_free(&l);
	/* the edge: 16.01 is within the rules' 0.01 */
	fs_set(f, "indicators[0].score", "16.01");
	l = own_of(f);
	assert_null(find(&l, TR_SCORE_UNEARNED));
	tr_list_free(&l);
	/* below what the rules give is not "not earned" */
	fs_set(f, "indicators[0].score", "12");
	l = own_of(f);
	assert_null(find(&l, TR_SCORE_UNEARNED));
	tr_list_free(&l);
	/* blank score: nothing to compare */
	fs_set(f, "indicators[0].score", "");
	l = own_of(f);
	assert_null(find(&l, TR_SCORE_UNEARNED));
	tr_list_free(&l);
	form_free(f);
}

static void test_target_low(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "100", "100");
	fs_row(f, "产出指标|数量指标|培训人次|≥|100|人次|300|20|20|");	/* d = 200 % */
	struct tr_list l = own_of(f);
	const struct tr_signal *s = find(&l, TR_TARGET_LOW);
	assert_non_null(s);
	assert_string_equal(s->arg[0], "1");
	tr_list_free(&l);
	fs_set(f, "indicators[0].actual", "299");	/* d just under 200 % */
	l = own_of(f);
	assert_null(find(&l, TR_TARGET_LOW));
	tr_list_free(&l);
	fs_set(f, "indicators[0].actual", "");
	l = own_of(f);
	assert_null(find(&l, TR_TARGET_LOW));
	tr_list_free(&l);
	form_free(f);
}

static void test_money(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "100", "85");
	fs_row(f, "产出指标|数量指标|巡检次数|≥|10|次|10|90|90|");
	struct tr_list l = own_of(f);
	const struct tr_signal *s = find(&l, TR_MONEY_RESULTS);
	assert_non_null(s);
	assert_string_equal(s->arg[0], "85.00");
	assert_string_equal(s->arg[1], "100.00");
	assert_null(find(&l, TR_UNSPENT));	/* 15 % left */
	tr_list_free(&l);
	/* 执行率 90 % is not below 90 % */
	fs_set(f, "funds.total.spent", "90");
	l = own_of(f);
	assert_null(find(&l, TR_MONEY_RESULTS));
	tr_list_free(&l);
	/* 85 % against 88 % of the points: (0.88 − 0.85) / 0.88 = 3.4 % */
	fs_set(f, "funds.total.spent", "85");
	fs_set(f, "indicators[0].score", "79.2");
	fs_set(f, "indicators[0].deviation", "部分未完成");
	l = own_of(f);
	assert_null(find(&l, TR_MONEY_RESULTS));
	tr_list_free(&l);
	/* 结余: 21 % fires, exactly 20 % does not */
	fs_set(f, "funds.total.spent", "79");
	l = own_of(f);
	s = find(&l, TR_UNSPENT);
	assert_non_null(s);
	assert_string_equal(s->arg[0], "21.00");
	assert_true(tr_points_at(s, "funds.total.spent"));
	tr_list_free(&l);
	fs_set(f, "funds.total.spent", "80");
	l = own_of(f);
	assert_null(find(&l, TR_UNSPENT));
	tr_list_free(&l);
	/* blank spent: no figures to compare */
	fs_set(f, "funds.total.spent", "");
	l = own_of(f);
	assert_null(find(&l, TR_UNSPENT));
	assert_null(find(&l, TR_MONEY_RESULTS));
	tr_list_free(&l);
	form_free(f);
}

static void test_cost_funds(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "50", "50");
	fs_row(f, "产出指标|成本指标|运维成本|≤|600000|元|600000|20|20|");	/* 60 万元 > 50 */
	struct tr_list l = own_of(f);
	const struct tr_signal *s = find(&l, TR_COST_FUNDS);
	assert_non_null(s);
	assert_string_equal(s->arg[0], "60");
	assert_string_equal(s->arg[1], "50");
	assert_true(tr_points_at(s, "indicators[0].actual"));
	tr_list_free(&l);
	/* 元 and 万元 converted: 50 万元 written as 500000 元 agrees */
	fs_set(f, "indicators[0].target", "500000");
	fs_set(f, "indicators[0].actual", "500000");
	l = own_of(f);
	assert_null(find(&l, TR_COST_FUNDS));
	tr_list_free(&l);
	/* the edge: 0.5 % above is rounding, not disagreement */
	fs_set(f, "indicators[0].unit_of_measure", "万元");
	fs_set(f, "indicators[0].target", "50.25");
	fs_set(f, "indicators[0].actual", "50.25");
	l = own_of(f);
	assert_null(find(&l, TR_COST_FUNDS));
	tr_list_free(&l);
	fs_set(f, "indicators[0].actual", "");
	l = own_of(f);
	assert_null(find(&l, TR_COST_FUNDS));
	tr_list_free(&l);
	/* not a cost row: not compared with the funds */
	fs_set(f, "indicators[0].level2", "数量指标");
	fs_set(f, "indicators[0].actual", "90");
	l = own_of(f);
	assert_null(find(&l, TR_COST_FUNDS));
	tr_list_free(&l);
	form_free(f);
}

static void test_too_neat(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "100", "100");
	fs_row(f, "产出指标|数量指标|巡检次数|≥|12|次|12|30|30|");
	fs_row(f, "产出指标|时效指标|响应时间|≤|5|分钟|5|30|30|");
	fs_row(f, "效益指标|社会效益指标|运行率|≥|95|%|95|30|30|");
	struct tr_list l = own_of(f);
	assert_non_null(find(&l, TR_TOO_NEAT));
	tr_list_free(&l);
	/* one actual off its target */
	fs_set(f, "indicators[1].actual", "4");
	l = own_of(f);
	assert_null(find(&l, TR_TOO_NEAT));
	tr_list_free(&l);
	/* a deviation written is not neat */
	fs_set(f, "indicators[1].actual", "5");
	fs_set(f, "indicators[2].deviation", "按期完成");
	l = own_of(f);
	assert_null(find(&l, TR_TOO_NEAT));
	tr_list_free(&l);
	/* a blank actual is not "equal to its target" */
	fs_set(f, "indicators[2].deviation", "");
	fs_set(f, "indicators[2].actual", "");
	l = own_of(f);
	assert_null(find(&l, TR_TOO_NEAT));
	tr_list_free(&l);
	form_free(f);
}

static void test_qual_all_top(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "100", "100");
	fs_row(f, "效益指标|社会效益指标|服务质量|定性|优良中低差||优|20|20|");
	fs_row(f, "满意度指标|服务对象满意度指标|满意程度|定性|优良中低差||优|20|20|");
	fs_row(f, "产出指标|数量指标|巡检次数|≥|12|次|14|50|50|");
	struct tr_list l = own_of(f);
	const struct tr_signal *s = find(&l, TR_QUAL_ALL_TOP);
	assert_non_null(s);
	assert_string_equal(s->arg[0], "2");
	assert_true(tr_points_at(s, "indicators[1].actual"));
	tr_list_free(&l);
	/* evidence given on one row */
	fs_set(f, "indicators[1].actual", "优（第三方测评报告：满意率98.2%，见附件3）");
	l = own_of(f);
	assert_null(find(&l, TR_QUAL_ALL_TOP));
	tr_list_free(&l);
	/* one row 良 */
	fs_set(f, "indicators[1].actual", "良");
	l = own_of(f);
	assert_null(find(&l, TR_QUAL_ALL_TOP));
	tr_list_free(&l);
	/* one qualitative row is not a pattern */
	form_del_indicator(f, 1);
	l = own_of(f);
	assert_null(find(&l, TR_QUAL_ALL_TOP));
	tr_list_free(&l);
	form_free(f);
}

static const char *GOAL =
	"保障区政府网络及信息终端设备稳定运行，对主干网络设备、信息机房各类环境支持设备和系统服务器进行整体维保，"
	"确保在设备硬件损坏的情况下第一时间更换，对常见故障及时维修。";

static void test_repeats_goal(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "甲项目", 2024, "100", "100");
	fs_set(f, "goals.expected", GOAL);
	/* the goal with "已" put in and a comma changed: still the goal */
	fs_set(f, "goals.achieved",
	       "已保障区政府网络及信息终端设备稳定运行；对主干网络设备、信息机房各类环境支持设备和系统服务器进行整体维保，"
	       "确保在设备硬件损坏的情况下第一时间更换，对常见故障及时维修。");
	struct tr_list l = own_of(f);
	assert_non_null(find(&l, TR_REPEATS_GOAL));
	tr_list_free(&l);
	fs_set(f, "goals.achieved", "全年完成维保巡检12次，处理硬件故障37起，平均修复时间2小时，更换配件54件，用户满意度99%。");
	l = own_of(f);
	assert_null(find(&l, TR_REPEATS_GOAL));
	tr_list_free(&l);
	fs_set(f, "goals.achieved", "");
	l = own_of(f);
	assert_null(find(&l, TR_REPEATS_GOAL));
	tr_list_free(&l);
	form_free(f);
}

/* ---- sketches ---------------------------------------------------------------- */

static int sim(const char *a, const char *b)
{
	uint8_t x[TR_K], y[TR_K];
	assert_true(tr_sketch(a, x));
	assert_true(tr_sketch(b, y));
	return tr_similarity(x, y);
}

static void test_sketch(void **state)
{
	(void)state;
	const char *t = "全年保障了协同办公系统应用服务器操作系统及应用系统的稳定运行。公文交换、区政府收文、通知公告等板块信息合计27.6万件。"
			"对公文审批管理模块进行调整及扩展，对系统性能、对接接口、历史数据及日志数据进行优化和调整。";
	assert_int_equal(sim(t, t), 1000);
	/* full-width digits, punctuation and blanks, <p> markup: the same text */
	assert_int_equal(sim(t, "<p>全年保障了协同办公系统应用服务器操作系统及应用系统的稳定运行. 公文交换,区政府收文,通知公告等板块信息合计２７．６万件。</p>"
				"<p>对公文审批管理模块进行调整及扩展；对系统性能、对接接口、历史数据及日志数据进行优化和调整</p>"),
			 1000);
	/* a few characters edited */
	assert_true(sim(t, "全年保障了协同办公系统应用服务器操作系统及应用系统的正常运行。公文交换、区政府收文、通知公告等板块信息合计28.1万件。"
			   "对公文审批管理模块进行调整及扩展，对系统性能、对接接口、历史数据及日志数据进行优化和调整。") >= TR_SIMILAR);
	/* the sentences in another order */
	assert_true(sim(t, "对公文审批管理模块进行调整及扩展，对系统性能、对接接口、历史数据及日志数据进行优化和调整。"
			   "公文交换、区政府收文、通知公告等板块信息合计27.6万件。全年保障了协同办公系统应用服务器操作系统及应用系统的稳定运行。") >= TR_SIMILAR);
	/* another text on the same subject */
	assert_true(sim(t, "完成了邮件系统的日常运维，处理用户问题312个，系统全年可用率99.99%，未发生安全事件，用户满意度调查结果为满意。") < 300);
	uint8_t x[TR_K];
	assert_false(tr_sketch("", x));
	assert_false(tr_sketch("   ", x));
	assert_false(tr_sketch("无", x));
	assert_false(tr_sketch(NULL, x));
}

/* ---- across forms -------------------------------------------------------------- */

struct set {
	struct form *f[64];
	struct tr_facts x[64];
	struct tr_list own[64], cross[64];
	size_t n;
};

static void set_add(struct set *s, struct form *f)
{
	f->id = (int64_t)s->n + 1;
	s->f[s->n] = f;
	memset(&s->own[s->n], 0, sizeof s->own[0]);
	memset(&s->cross[s->n], 0, sizeof s->cross[0]);
	triage_own(f, NULL, chk, &s->own[s->n], &s->x[s->n]);
	s->n++;
}

static void set_run(struct set *s)
{
	for (size_t i = 0; i < s->n; i++)
		tr_list_free(&s->cross[i]);
	triage_cross(s->x, s->n, NULL, s->cross);
}

static void set_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		form_free(s->f[i]);
		tr_facts_free(&s->x[i]);
		tr_list_free(&s->own[i]);
		tr_list_free(&s->cross[i]);
	}
	s->n = 0;
}

static const char *ACH =
	"全年完成区政府主干网络设备、信息机房环境支持设备和系统服务器的整体维保，处理硬件故障37起，"
	"平均修复时间2小时，更换配件54件，保障了核心业务不间断运行，用户满意度99%。";

static void test_copied_text(void **state)
{
	(void)state;
	static struct set s;
	struct form *a = base("甲单位", "机房维保", 2024, "100", "100");
	fs_set(a, "goals.achieved", ACH);
	set_add(&s, a);
	/* another unit: a few characters edited, full-width figures, sentences reordered */
	struct form *b = base("乙单位", "网络运维", 2024, "100", "100");
	fs_set(b, "goals.achieved",
	       "处理硬件故障３７起，平均修复时间２小时，更换配件５４件。全年完成区政府主干网络设备、信息机房环境支持设备和系统服务器的整体维保，"
	       "保障了核心业务不间断运行，用户满意度99%。");
	set_add(&s, b);
	/* a third, its own words */
	struct form *c = base("丙单位", "网站运维", 2024, "100", "100");
	fs_set(c, "goals.achieved", "完成门户网站改版，新增栏目12个，发布信息3400条，网站全年可用率99.99%，未发生安全事件。");
	set_add(&s, c);
	/* blank text is never a copy of blank text */
	set_add(&s, base("丁单位", "空白一", 2024, "100", "100"));
	set_add(&s, base("戊单位", "空白二", 2024, "100", "100"));
	set_run(&s);
	const struct tr_signal *x = find(&s.cross[0], TR_COPIED_TEXT);
	assert_non_null(x);
	assert_int_equal(x->other, 2);
	assert_true(tr_points_at(x, "goals.achieved"));
	x = find(&s.cross[1], TR_COPIED_TEXT);
	assert_non_null(x);
	assert_int_equal(x->other, 1);
	assert_null(find(&s.cross[2], TR_COPIED_TEXT));
	assert_int_equal(s.cross[3].n, 0);
	assert_int_equal(s.cross[4].n, 0);
	char why[512];
	tr_reason(x, why, sizeof why);
	assert_non_null(strstr(why, "form 1"));
	set_free(&s);
}

/* A project carried forward over three years, with edits. */
static void test_cross_year(void **state)
{
	(void)state;
	static struct set s;
	struct form *y1 = base("甲单位", "机房维保", 2022, "100", "100");
	fs_set(y1, "goals.expected", GOAL);
	fs_set(y1, "goals.achieved", ACH);
	fs_row(y1, "产出指标|数量指标|巡检次数|≥|10|次|15|40|40|");
	fs_row(y1, "产出指标|质量指标|设备完好率|≥|95|%|99|30|30|");
	fs_row(y1, "满意度指标|服务对象满意度指标|用户满意度|≥|90|%|92|20|20|");
	struct form *y2 = form_carry_forward(y1, 2023);
	fs_set(y2, "funds.total.budget", "100");
	fs_set(y2, "funds.total.spent", "100");
	/* the rows moved, one renamed: the same indicator is found by name */
	form_move_indicator(y2, 2, 0);
	fs_set(y2, "indicators[0].name", "服务对象满意度");
	fs_set(y2, "indicators[0].actual", "95");
	fs_set(y2, "indicators[0].score", "20");
	fs_set(y2, "indicators[1].actual", "16");	/* 巡检次数, target 10 again */
	fs_set(y2, "indicators[1].score", "40");
	fs_set(y2, "indicators[2].actual", "98");	/* 设备完好率 */
	fs_set(y2, "indicators[2].score", "30");
	/* completion text: last year's with two characters changed */
	fs_set(y2, "goals.achieved",
	       "全年完成区政府主干网络设备、信息机房环境支持设备和系统服务器的整体维保，处理硬件故障36起，"
	       "平均修复时间2小时，更换配件54件，保障了核心业务不间断运行，用户满意度98%。");
	struct form *y3 = form_carry_forward(y2, 2024);
	fs_set(y3, "funds.total.budget", "100");
	fs_set(y3, "funds.total.spent", "100");
	fs_set(y3, "indicators[1].actual", "18");
	fs_set(y3, "indicators[1].score", "40");
	fs_set(y3, "indicators[2].target", "≥97%");	/* raised */
	fs_set(y3, "indicators[2].actual", "99");
	fs_set(y3, "indicators[2].score", "30");
	fs_set(y3, "goals.achieved", "完成门户网站改版，新增栏目12个，发布信息3400条，网站全年可用率99.99%，未发生安全事件。");
	set_add(&s, y1);
	set_add(&s, y2);
	set_add(&s, y3);
	/* another project of the unit with the same indicator name: not the same indicator */
	struct form *o = base("甲单位", "网站运维", 2021, "100", "100");
	fs_row(o, "产出指标|数量指标|巡检次数|≥|10|次|30|40|40|");
	set_add(&s, o);
	set_run(&s);

	/* 2022: the first year, nothing to compare with */
	assert_null(find(&s.cross[0], TR_TARGET_FLAT));
	assert_null(find(&s.cross[0], TR_LAST_YEAR));
	/* 2023: 巡检次数 and 设备完好率 beaten twice, targets unchanged */
	size_t flat = 0;
	for (size_t i = 0; i < s.cross[1].n; i++)
		if (s.cross[1].v[i].code == TR_TARGET_FLAT) {
			flat++;
			assert_string_equal(s.cross[1].v[i].arg[0], "2");
			assert_int_equal(s.cross[1].v[i].other, 1);
		}
	assert_int_equal(flat, 2);	/* the renamed row is a new indicator */
	const struct tr_signal *x = find(&s.cross[1], TR_LAST_YEAR);
	assert_non_null(x);
	assert_int_equal(x->other, 1);
	assert_true(tr_points_at(x, "goals.achieved"));
	/* goals.expected carried forward is no copy */
	for (size_t i = 0; i < s.cross[1].n; i++)
		assert_int_not_equal(s.cross[1].v[i].code, TR_COPIED_TEXT);
	/* 2024: 巡检次数 three years running; 设备完好率's target rose */
	flat = 0;
	for (size_t i = 0; i < s.cross[2].n; i++)
		if (s.cross[2].v[i].code == TR_TARGET_FLAT) {
			flat++;
			assert_string_equal(s.cross[2].v[i].arg[0], "3");
			assert_string_equal(s.cross[2].v[i].fields, "indicators[1].target");
		}
	assert_int_equal(flat, 1);
	assert_null(find(&s.cross[2], TR_LAST_YEAR));
	assert_null(find(&s.cross[3], TR_TARGET_FLAT));
	set_free(&s);
}

/* Many forms: the copy among them is found through the LSH bands. */
static void test_many(void **state)
{
	(void)state;
	size_t n = 3000;
	struct tr_facts *x = calloc(n, sizeof *x);
	struct tr_list *out = calloc(n, sizeof *out);
	assert_true(x && out);
	char text[512];
	for (size_t i = 0; i < n; i++) {
		struct form *f = base("单位", "项目", 2024, "100", "100");
		char p[32];
		snprintf(p, sizeof p, "项目%zu", i);
		fs_set(f, "project", p);
		unsigned v = (unsigned)(i * 2654435761u);
		snprintf(text, sizeof text, "完成第%u号系统运维，巡检%u次，处理故障%u起，发布信息%u条，满意度%u%%，编号%u。",
			 v % 9973, v % 97, v % 89 + 3, v % 7919, 90 + v % 10, v);
		if (i == 2999)
			snprintf(text, sizeof text, "%s", ACH);
		if (i == 17)
			snprintf(text, sizeof text, "%s", ACH);
		fs_set(f, "goals.achieved", text);
		f->id = (int64_t)i + 1;
		triage_own(f, NULL, chk, NULL, &x[i]);
		form_free(f);
	}
	triage_cross(x, n, NULL, out);
	size_t copies = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < out[i].n; k++)
			if (out[i].v[k].code == TR_COPIED_TEXT) {
				copies++;
				assert_true(i == 17 || i == 2999);
			}
	assert_int_equal(copies, 2);
	for (size_t i = 0; i < n; i++) {
		tr_facts_free(&x[i]);
		tr_list_free(&out[i]);
	}
	free(x);
	free(out);
}

static void test_pack(void **state)
{
	(void)state;
	struct form *f = base("甲单位", "机房维保", 2022, "100", "100");
	fs_set(f, "goals.achieved", ACH);
	fs_row(f, "产出指标|数量指标|巡检次数|≥|10|次|15|40|40|");
	f->id = 42;
	struct tr_facts x, y;
	triage_own(f, NULL, chk, NULL, &x);
	uint8_t *b;
	size_t n = tr_facts_pack(&x, &b);
	assert_true(tr_facts_unpack(b, n, &y));
	assert_int_equal(y.id, 42);
	assert_int_equal(y.year, 2022);
	assert_int_equal(y.n_rows, 1);
	assert_int_equal(num_cmp(y.rows[0].actual, x.rows[0].actual), 0);
	assert_memory_equal(x.sk, y.sk, sizeof x.sk);
	tr_facts_free(&y);
	assert_false(tr_facts_unpack(b, n - 1, &y));	/* a cut blob */
	tr_facts_free(&y);
	free(b);
	tr_facts_free(&x);
	struct tr_list l = { 0 }, m = { 0 };
	struct tr_signal *s = tr_list_add(&l, TR_COPIED_TEXT);
	snprintf(s->fields, sizeof s->fields, "goals.achieved");
	snprintf(s->arg[0], sizeof s->arg[0], "93");
	s->other = 7;
	s->other_year = 2023;
	tr_list_add(&l, TR_TOO_NEAT);
	char *t = tr_list_pack(&l);
	tr_list_unpack(t, &m);
	assert_int_equal(m.n, 2);
	assert_int_equal(m.v[0].code, TR_COPIED_TEXT);
	assert_string_equal(m.v[0].arg[0], "93");
	assert_int_equal(m.v[0].other, 7);
	assert_int_equal(m.v[1].code, TR_TOO_NEAT);
	free(t);
	tr_list_free(&l);
	tr_list_free(&m);
	/* weights are the TSV's */
	assert_int_equal(tr_weight(TR_SCORE_UNEARNED), 30);
	form_free(f);
}

/* ---- the published samples --------------------------------------------------- */

struct expect {
	const char *project;
	enum tr_code code;
	const char *field;	/* a path it must point at */
};
/* Each checked by reading the form:
 * - 互联网接入服务: 24年支出金额 7578289.2 元 = 757.83 万元 against 738.62892
 *   spent; the deviation says 19.2 万元 was paid by 朝阳园.
 * - 区级政务外网…外包: 494.768 万元 against 246.768 spent (248 万元 paid by
 *   朝阳园); its 实际完成情况 is the 预期目标 nearly word for word.
 * - 5G建设及应用: 387000 元 = 38.7 万元 against 34.2 spent (4.5 at 朝阳园).
 * - 办公软件场地授权服务: 合同金额 730600 元 = 73.06 万元 against 65.76
 *   spent, deviation "无".
 * - 大数据系统平台建设及应用服务(1), 互联网网络出口租费: 实际完成情况
 *   repeats 预期目标 (the latter with item 5 dropped and "了" put in). */
static const struct expect sample_expect[] = {
	{ "2022-2023年朝阳区互联网接入服务", TR_COST_FUNDS, "indicators[3].actual" },
	{ "2022年区级政务外网网络及终端技术服务外包", TR_COST_FUNDS, "indicators[3].actual" },
	{ "2022年区级政务外网网络及终端技术服务外包", TR_REPEATS_GOAL, "goals.achieved" },
	{ "朝阳区5G建设及应用项目", TR_COST_FUNDS, "indicators[3].actual" },
	{ "朝阳区办公软件场地授权服务", TR_COST_FUNDS, "indicators[3].actual" },
	{ "朝阳区大数据系统平台建设及应用服务(1)", TR_REPEATS_GOAL, "goals.achieved" },
	{ "2023年互联网网络出口租费", TR_REPEATS_GOAL, "goals.achieved" },
};
#define N_EXPECT (sizeof sample_expect / sizeof sample_expect[0])

static void test_samples(void **state)
{
	(void)state;
	static struct set s;
	const char *files[] = { "chaoyang-2024-part.txt", "fengtai-2023.txt", "beijing-cppcc-2021.txt" };
	const char *dir = getenv("JXZP_SRCDIR");
	for (size_t k = 0; k < 3; k++) {
		char path[1024];
		snprintf(path, sizeof path, "%s/data/%s", dir ? dir : ".", files[k]);
		FILE *fp = fopen(path, "rb");
		assert_non_null(fp);
		static char buf[1 << 20];
		size_t len = fread(buf, 1, sizeof buf, fp);
		fclose(fp);
		struct io_result r = { 0 };
		io_text_read(buf, len, path, &r);
		for (size_t i = 0; i < r.n_forms; i++)
			set_add(&s, form_copy(r.forms[i]));
		io_result_free(&r);
	}
	assert_int_equal(s.n, 30);
	set_run(&s);
	size_t fired = 0;
	for (size_t i = 0; i < s.n; i++) {
		struct tr_list *l[2] = { &s.own[i], &s.cross[i] };
		for (int k = 0; k < 2; k++)
			for (size_t j = 0; j < l[k]->n; j++) {
				const struct tr_signal *x = &l[k]->v[j];
				bool known = false;
				for (size_t e = 0; e < N_EXPECT; e++)
					if (strcmp(sample_expect[e].project, s.f[i]->project) == 0 &&
					    sample_expect[e].code == x->code &&
					    tr_points_at(x, sample_expect[e].field))
						known = true;
				if (!known)
					fprintf(stderr, "unexpected: %s %s %s\n", s.f[i]->project,
						tr_code_key[x->code], x->fields);
				assert_true(known);
				fired++;
			}
	}
	assert_int_equal(fired, N_EXPECT);
	set_free(&s);
}

static int setup(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	chk = check_new(64);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	check_free(chk);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_score_unearned),
		cmocka_unit_test(test_target_low),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_cost_funds),
		cmocka_unit_test(test_too_neat),
		cmocka_unit_test(test_qual_all_top),
		cmocka_unit_test(test_repeats_goal),
		cmocka_unit_test(test_sketch),
		cmocka_unit_test(test_copied_text),
		cmocka_unit_test(test_cross_year),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_samples),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
