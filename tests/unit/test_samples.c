/*
 * Table test of the rules on real rows: indicators copied from the published
 * forms of /work/shared/samples (beijing-cppcc-2021.txt, fengtai-2023.txt,
 * chaoyang-2024-part.txt), unchanged, into this file.  For each row: how the
 * target and the actual value must be read, and the suggested score, worked
 * out by hand from spec/rules.md (the arithmetic is in the comment).  Every
 * layout and every nature (≥ ≤ = 定性, none written, dates, periods, grades,
 * text, figures inside text) is here.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "rules.h"
#include "formspec.h"

struct sample {
	const char *layout;
	const char *name, *nature, *target, *unit, *actual, *weight, *score;
	enum reading_kind tk;		/* the target's reading */
	enum nature tn;
	const char *tv;			/* its value ("" for none) */
	enum reading_kind ak;		/* the actual's reading */
	const char *av;
	const char *sugg;		/* suggested score, NULL for none */
	const char *code;		/* a warning expected on the row, or NULL */
};

#define B21 "beijing-2021"
#define D23 "district-2023"
#define D24 "district-2024"
#define NA NULL	/* the column does not exist in this layout */

static const struct sample rows[] = {
	/* ---- beijing-cppcc-2021.txt (no nature column, no unit column) ---- */
	/* no nature written: positive; 2 < 4 → 2 ÷ 4 × 7 = 3.50 */
	{ B21, "渗透测试次数", NA, "4", NA, "2", "7", "3.50",
	  READ_NUMBER, NATURE_NONE, "4", READ_NUMBER, "2", "3.50", NULL },
	/* 2 ≥ 1 → 7; d = (2 − 1) / 1 = 100 % < 200 %: no deduction */
	{ B21, "漏洞扫描次数", NA, "1", NA, "2", "7", "7.00",
	  READ_NUMBER, NATURE_NONE, "1", READ_NUMBER, "2", "7.00", NULL },
	/* ≥: 95 ≥ 95 → 3 */
	{ B21, "系统正常运行率", NA, "≥95%", NA, "≥95%", "3", "3.00",
	  READ_NUMBER, NATURE_GE, "95", READ_NUMBER, "95", "3.00", NULL },
	/* ≤: 5 ≤ 5 → 3 */
	{ B21, "系统运行故障率", NA, "≤5%", NA, "≤5%", "3", "3.00",
	  READ_NUMBER, NATURE_LE, "5", READ_NUMBER, "5", "3.00", NULL },
	/* deadline met in its month → 2 */
	{ B21, "项目前期准备时间", NA, "2021年3月前", NA, "2021年3月前", "2", "2.00",
	  READ_DATE, NATURE_NONE, "", READ_DATE, "", "2.00", NULL },
	/* late: 6 ÷ 12 × 2 = 1.00, as the form printed it */
	{ B21, "合同签订时间", NA, "2021年6月前", NA, "2021年12月", "2", "1.00",
	  READ_DATE, NATURE_NONE, "", READ_DATE, "", "1.00", "LATE" },
	/* month 12 by month 12 → 2 */
	{ B21, "工作总结完成时间", NA, "2021年12月前", NA, "2021年12月", "2", "2.00",
	  READ_DATE, NATURE_NONE, "", READ_DATE, "", "2.00", NULL },
	/* period: the same period is met → top of the band, 4 */
	{ B21, "系统使用服务周期", NA, "每天", NA, "每天", "4", "4.00",
	  READ_PERIOD, NATURE_QUAL, "", READ_PERIOD, "", "4.00", NULL },
	/* no nature: positive; 152.15 ÷ 170 × 10 = 8.95 exactly */
	{ B21, "项目预算控制总数", NA, "170万元", NA, "152.15万元", "10", "8.95",
	  READ_NUMBER, NATURE_NONE, "170", READ_NUMBER, "152.15", "8.95", NULL },
	/* "超过90%": the only % figure, 90 ≥ 90 → 10; the form printed 9 */
	{ B21, "委员和机关工作人员的满意度", NA, "≥90%", NA, "超过90%", "10", "9.00",
	  READ_NUMBER, NATURE_GE, "90", READ_NUMBER, "90", "10.00", "RULE_SCORE" },
	/* text, the same as the target: met → 2 */
	{ B21, "信息系统安全保护等级", NA, "三级", NA, "三级", "2", "2.00",
	  READ_TEXT, NATURE_QUAL, "", READ_TEXT, "", "2.00", NULL },

	/* ---- fengtai-2023.txt (nature inside the target) ---- */
	/* ≤: 2 小时 ≤ 4 小时 → 20 */
	{ D23, "平均维修时间", NA, "≤4 小时", NA, "2 小时", "20", "20",
	  READ_NUMBER, NATURE_LE, "4", READ_NUMBER, "2", "20.00", NULL },
	/* ≤: 4.5 分钟 ≤ 5 分钟 → 20 */
	{ D23, "应急响应时间", NA, "≤5分钟", NA, "4.5分钟", "20", "20",
	  READ_NUMBER, NATURE_LE, "5", READ_NUMBER, "4.5", "20.00", NULL },
	/* grade scale named by "优良": 优 is its top → met → 20 */
	{ D23, "机房设备持续稳定运行", NA, "优良", NA, "优", "20", "20",
	  READ_GRADE, NATURE_QUAL, "", READ_GRADE, "", "20.00", NULL },
	/* ≥: 90 < 95 → 90 ÷ 95 × 10 = 9.473… → 9.47; the form printed 9,
	 * which is 9.473… cut (and rounded) at no decimals: right (README,
	 * "One rounding rule") */
	{ D23, "用户满意度", NA, "≥95%", NA, "90%", "10", "9",
	  READ_NUMBER, NATURE_GE, "95", READ_NUMBER, "90", "9.47", NULL },
	/* ≤ with a space after the sign: 84.4 万元 ≤ 84.4 万元 → 10 */
	{ D23, "服务成本", NA, "≤ 84.4 万元", NA, "84.4万元", "10", "10",
	  READ_NUMBER, NATURE_LE, "84.4", READ_NUMBER, "84.4", "10.00", NULL },
	/* =: 100 = 100 → 20 */
	{ D23, "政府信息公开透明度", NA, "=100%", NA, "100%", "20", "20",
	  READ_NUMBER, NATURE_EQ, "100", READ_NUMBER, "100", "20.00", NULL },
	/* LaTeX left in the text: ≥ 95 %; 95 ≥ 95 → 10 */
	{ D23, "服务对象满意度", NA, "$\\geq 95\\%$", NA, "95%", "10", "10",
	  READ_NUMBER, NATURE_GE, "95", READ_NUMBER, "95", "10.00", NULL },
	/* 万 alone: 18.486 万 ≤ 18.5 万 → 20 */
	{ D23, "系统运维成本", NA, "≤18.5 万", NA, "18.486 万", "20", "20",
	  READ_NUMBER, NATURE_LE, "18.5", READ_NUMBER, "18.486", "20.00", NULL },
	/* =: 12 项 → 20 */
	{ D23, "服务内容数量", NA, "=12项", NA, "12项", "20", "20",
	  READ_NUMBER, NATURE_EQ, "12", READ_NUMBER, "12", "20.00", NULL },
	/* threshold: 优 reaches 达到良以上 → met → 20 */
	{ D23, "核心机房设备安全运行，业务系统稳定运行", NA, "达到良以上", NA, "优", "20", "20",
	  READ_GRADE, NATURE_QUAL, "", READ_GRADE, "", "20.00", NULL },
	/* a wrapped cell: "202 万 元" and "201.195 6 万元"; 201.1956 ≤ 202 → 20 */
	{ D23, "合同首付款成本", NA, "≤202 万 元", NA, "201.195 6 万元", "20", "20",
	  READ_NUMBER, NATURE_LE, "202", READ_NUMBER, "201.1956", "20.00", NULL },
	/* 是/否: 否 against 否 → met → 20 */
	{ D23, "考核是否扣分", NA, "否", NA, "否", "20", "20",
	  READ_GRADE, NATURE_QUAL, "", READ_GRADE, "", "20.00", NULL },
	/* a bare actual takes the target's unit: 1601 个 ≤ 2200 个 → 20 */
	{ D23, "邮箱账号数", NA, "≤2200个", NA, "1601", "20", "20",
	  READ_NUMBER, NATURE_LE, "2200", READ_NUMBER, "1601", "20.00", NULL },
	/* period 按月 → met → 10 */
	{ D23, "支付时间", NA, "按月支付", NA, "按月支付", "10", "10",
	  READ_PERIOD, NATURE_QUAL, "", READ_PERIOD, "", "10.00", NULL },
	/* text met → band 8–10 of 10, suggestion 10; the printed 9 is in the band */
	{ D23, "保安服务质量", NA, "未发生安全事件", NA, "未发生安全事件", "10", "9",
	  READ_TEXT, NATURE_QUAL, "", READ_TEXT, "", "10.00", NULL },
	/* 4.5万 条 ≤ 5万 条 → 20 */
	{ D23, "每月短信数", NA, "≤5万 条", NA, "4.5万 条", "20", "20",
	  READ_NUMBER, NATURE_LE, "5", READ_NUMBER, "4.5", "20.00", NULL },

	/* ---- chaoyang-2024-part.txt (nature and unit columns) ---- */
	/* ≥: 6000 Mbps → 15 */
	{ D24, "总带宽数量", "≥", "6000", "Mbps", "6000", "15", "15",
	  READ_NUMBER, NATURE_GE, "6000", READ_NUMBER, "6000", "15.00", NULL },
	/* ≤: 4 时 ≤ 4 时 → 10 */
	{ D24, "故障到达现场时间", "≤", "4", "时", "4", "10", "10",
	  READ_NUMBER, NATURE_LE, "4", READ_NUMBER, "4", "10.00", NULL },
	/* ≤: 7578289.2 元 ≤ 7578290 元 → 10 */
	{ D24, "24年支出金额", "≤", "7578290", "元", "7578289.2", "10", "10",
	  READ_NUMBER, NATURE_LE, "7578290", READ_NUMBER, "7578289.2", "10.00", NULL },
	/* 定性, scale 优良中低差, 优 with a remark → met → 30 */
	{ D24, "保障区内各政务接入统一互联网访问业务", "定性", "优良中低差", "项",
	  "优（有效保障了区内各政务接入统一互联网访问业务的正常运行）", "30", "30",
	  READ_GRADE, NATURE_QUAL, "", READ_GRADE, "", "30.00", NULL },
	/* ≥: 100 ≥ 90 → 10; d = 10 / 90 = 11 %: no deduction */
	{ D24, "用户满意度", "≥", "90", "%", "100", "10", "10",
	  READ_NUMBER, NATURE_GE, "90", READ_NUMBER, "100", "10.00", NULL },
	/* =: "提交项目报告1份" holds the only 份 figure: 1 = 1 → 20 */
	{ D24, "指标1：项目报告", "=", "1", "份", "提交项目报告1份", "20", "20",
	  READ_NUMBER, NATURE_EQ, "1", READ_NUMBER, "1", "20.00", NULL },
	/* ≤: "项目期限为1年" → 1 年 ≤ 1 年 → 10 */
	{ D24, "指标1：项目期限", "≤", "1", "年", "项目期限为1年", "10", "10",
	  READ_NUMBER, NATURE_LE, "1", READ_NUMBER, "1", "10.00", NULL },
	/* ≥: "个(单位:) TB" is TB; 100TB ≥ 100 → 10 */
	{ D24, "指标1: 存储", "≥", "100", "个(单位:) TB", "100TB", "10", "10",
	  READ_NUMBER, NATURE_GE, "100", READ_NUMBER, "100", "10.00", NULL },
	/* 定性 好坏: the text says it was done → met → 10 */
	{ D24, "指标1: 接入政务专网", "定性", "好坏", "项", "已接入政务专网", "10", "10",
	  READ_GRADE, NATURE_QUAL, "", READ_TEXT, "", "10.00", NULL },
	/* 定性 优良: "验收结果为优" → 优 → met → 10 */
	{ D24, "指标1：通过专家验收", "定性", "优良", "项", "已通过专家验收，验收结果为优", "10", "10",
	  READ_GRADE, NATURE_QUAL, "", READ_GRADE, "", "10.00", NULL },
	/* 定性 合格/不合格: 合格 → met → 10 */
	{ D24, "指标1：完成合同规定的服务内容且验收合格", "定性", "合格/不合格", "项", "合格", "10", "10",
	  READ_GRADE, NATURE_QUAL, "", READ_GRADE, "", "10.00", NULL },
	/* ≤: 9 月 ≤ 12 月 → 10 */
	{ D24, "指标1：支出进度", "≤", "12", "月", "9", "10", "10",
	  READ_NUMBER, NATURE_LE, "12", READ_NUMBER, "9", "10.00", NULL },
	/* two 万元 figures in the actual: not read, no suggestion */
	{ D24, "指标1: 年服务费", "≤", "1500", "万元",
	  "年服务费为1499.9748万元, 2024年支付项目尾款238.516万元", "10", "10",
	  READ_NUMBER, NATURE_LE, "1500", READ_TEXT, "", NULL, "TARGET_UNREAD" },
	/* ≤: 730600 元 ≤ 730666.7 元 → 10 */
	{ D24, "指标1：合同金额", "≤", "730666.7", "元", "730600元", "10", "10",
	  READ_NUMBER, NATURE_LE, "730666.7", READ_NUMBER, "730600", "10.00", NULL },
	/* ≤: 15 分钟 ≤ 15 分钟 → 15 */
	{ D24, "故障响应时间", "≤", "15", "分钟", "15", "15", "15",
	  READ_NUMBER, NATURE_LE, "15", READ_NUMBER, "15", "15.00", NULL },
};

static void sample_rows(void **state)
{
	(void)state;
	int natures[5] = { 0 }, per_layout[3] = { 0 };
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct sample *s = &rows[i];
		struct form *f = form_new();
		fs_set(f, "layout", s->layout);
		fs_set(f, "year", "2024");
		form_add_indicator(f, 0);
		fs_set(f, "indicators[0].level1", "产出指标");
		fs_set(f, "indicators[0].level2", "数量指标");
		fs_set(f, "indicators[0].name", s->name);
		fs_set(f, "indicators[0].nature", s->nature);
		fs_set(f, "indicators[0].target", s->target);
		fs_set(f, "indicators[0].unit_of_measure", s->unit);
		fs_set(f, "indicators[0].actual", s->actual);
		fs_set(f, "indicators[0].weight", s->weight);
		fs_set(f, "indicators[0].score", s->score);
		struct check *c = check_new(1);
		assert_int_equal(rules_run(f, ruleset_default(), c), 0);
		const struct ind_check *ic = &c->ind[0];
		print_message("%-2zu %-28s %-12s -> %s\n", i, s->target, s->actual, ic->explain);

		assert_int_equal(ic->target.kind, s->tk);
		assert_int_equal(ic->target.nature, s->tn);
		num v;
		if (*s->tv) {
			assert_true(num_parse(s->tv, &v));
			assert_int_equal(num_cmp(ic->target.value, v), 0);
		}
		assert_int_equal(ic->actual.kind, s->ak);
		if (*s->av) {
			assert_true(num_parse(s->av, &v));
			assert_int_equal(num_cmp(ic->actual.value, v), 0);
		}
		char b[NUM_BUFSZ];
		if (s->sugg) {
			assert_true(ic->has_suggestion);
			assert_string_equal(num_fixed(ic->suggested, 2, b), s->sugg);
		} else {
			assert_false(ic->has_suggestion);
		}
		bool seen = false;
		for (size_t k = 0; k < c->n_findings; k++)
			if (c->findings[k].severity == SEV_WARNING) {
				if (!s->code || strcmp(c->findings[k].code, s->code) != 0)
					print_error("row %zu: unexpected %s: %s\n", i, c->findings[k].code,
						    c->findings[k].message);
				assert_non_null(s->code);
				assert_string_equal(c->findings[k].code, s->code);
				seen = true;
			}
		assert_true(seen == (s->code != NULL));
		natures[ic->target.nature]++;
		per_layout[strcmp(s->layout, B21) == 0 ? 0 : strcmp(s->layout, D23) == 0 ? 1 : 2]++;
		check_free(c);
		form_free(f);
	}
	/* the table covers what it claims */
	assert_true(sizeof rows / sizeof rows[0] >= 20);
	for (int k = 0; k < 5; k++)
		assert_true(natures[k] > 0);
	for (int k = 0; k < 3; k++)
		assert_true(per_layout[k] > 0);
}

/* The whole 2021 sample form: totals as printed (87.40, 良) and what the
 * rules make of them. */
static void beijing_2021_form(void **state)
{
	(void)state;
	static const char *const hdr[] = {
		"year=2021", "project=政协委员履职平台专项运维",
		"department=中国人民政治协商会议北京市委员会办公厅 (财务处)", "unit=北京市政协本级行政",
		"layout=beijing-2021",
		"funds.total.initial=200.000000", "funds.total.budget=170.000000",
		"funds.total.spent=152.149300", "funds.total.weight=10", "funds.total.rate=89.50%",
		"funds.total.score=8.95",
		"funds.appropriation.initial=200.000000", "funds.appropriation.budget=170.000000",
		"funds.appropriation.spent=152.149300", "funds.appropriation.weight=10",
		"funds.appropriation.rate=89.50%", "funds.appropriation.score=8.95",
		"funds.carryover.initial=-", "funds.carryover.budget=-", "funds.carryover.spent=-",
		"funds.carryover.weight=0",
		"funds.other.initial=-", "funds.other.budget=-", "funds.other.spent=-",
		"funds.other.weight=0", "funds.other.rate=—",
		"goals.expected=委员履职平台是为委员提供服务的信息化平台",
		"goals.achieved=通过购买技术服务，将北京市政协委员履职平台应用系统部署到北京市政务云上",
		"total.weight=100", "total.score=87.40", NULL,
	};
	struct form *f = fs_form(hdr);
	fs_row(f, "产出指标 (50分)|数量指标|渗透测试次数|~|4|~|2|7|3.50|");
	fs_row(f, "||漏洞扫描次数|~|1|~|2|7|7.00|");
	fs_row(f, "||驻场运维人数|~|5|~|5|6|6.00|");
	fs_row(f, "|质量指标|信息系统安全保护等级|~|三级|~|三级|2|2.00|");
	fs_row(f, "||系统正常运行率|~|≥95%|~|≥95%|3|3.00|");
	fs_row(f, "||系统运行故障率|~|≤5%|~|≤5%|3|3.00|");
	fs_row(f, "||市级政务云租用及网络信息安全保障率|~|100%|~|100%|2|2.00|");
	fs_row(f, "|时效指标|项目前期准备时间|~|2021年3月前|~|2021年3月前|2|2.00|");
	fs_row(f, "||合同签订时间|~|2021年6月前|~|2021年12月|2|1.00|");
	fs_row(f, "||工作总结完成时间|~|2021年12月前|~|2021年12月|2|2.00|");
	fs_row(f, "||系统使用服务周期|~|每天|~|每天|4|4.00|");
	fs_row(f, "|成本指标|项目预算控制总数|~|170万元|~|152.15万元|10|8.95|");
	fs_row(f, "效益指标 (30分)|社会效益指标|通过委员履职平台系统维护、信息资料输入、数据修改维护|~|"
		  "宣传北京市政协在我市民主政治建设中发挥的作用、展示委员参政议政的履职风采|~|"
		  "通过委员履职平台系统维护、信息资料输入、数据修改维护，宣传北京市政协在我市民主政治"
		  "建设中发挥的作用、展示委员参政议政的履职风采|30|25.00|");
	fs_row(f, "满意度指标（10分）|服务对象满意度指标|委员和机关工作人员的满意度|~|≥90%|~|超过90%|10|9.00|");
	struct check *c = check_new(f->n_ind);
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	/* 152.1493 / 170 = 89.50 %; × 10 = 8.95 */
	assert_string_equal(c->rate[FUND_TOTAL], "89.50%");
	assert_string_equal(c->budget_score, "8.95");
	/* 8.95 + 3.5+7+6 + 2+3+3+2 + 2+1+2+4 + 8.95 + 25 + 9 = 87.40 → 良 */
	assert_string_equal(c->total_score, "87.40");
	assert_string_equal(c->grade, "良");
	/* suggested: the same but 30 for the text row (met) and 10 for 超过90%:
	 * 87.40 + 5 + 1 = 93.40 → 优 */
	assert_string_equal(c->suggested_total, "93.40");
	assert_string_equal(c->suggested_grade, "优");
	/* the form is right where it adds up; it lacks 偏差 on the rows below
	 * their weight: 渗透测试 (3.5/7), 合同签订 (1/2), 预算控制 (8.95/10),
	 * 社会效益 (25/30), 满意度 (9/10) */
	int dev = 0, other_errors = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		if (strcmp(c->findings[i].code, "DEVIATION_MISSING") == 0)
			dev++;
		else if (c->findings[i].severity == SEV_ERROR)
			other_errors++;
	assert_int_equal(dev, 5);
	assert_int_equal(other_errors, 0);
	check_free(c);
	form_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sample_rows),
		cmocka_unit_test(beijing_2021_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
