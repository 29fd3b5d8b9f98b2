/*
 * Unit tests of src/rules and src/ruleset: every code of rules.md and each
 * scoring rule, with expectations worked out by hand in the comments.
 *
 * Most tests put one indicator row (weight 10) under test on a base form
 * that is otherwise clean: budget 100 spent 100 (weight 10, 100%, 10) and a
 * filler row of weight 80 (优良中低差 / 优 / 80), so weights make 100.
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

static const char *const base_header[] = {
	"year=2024", "project=测试项目", "department=测试局", "unit=测试中心", "layout=district-2024",
	"funds.total.initial=100", "funds.total.budget=100", "funds.total.spent=100",
	"funds.total.weight=10", "funds.total.rate=100%", "funds.total.score=10",
	"funds.appropriation.budget=100", "funds.appropriation.spent=100",
	"goals.expected=目标", "goals.achieved=完成",
	"total.weight=100", NULL,
};
#define FILLER "效益指标|社会效益指标|保障运行|定性|优良中低差|项|优（已保障）|80|80|"

static num N(const char *s)
{
	num n;
	assert_true(num_parse(s, &n));
	return n;
}

static struct form *base(const char *row)
{
	struct form *f = fs_form(base_header);
	fs_row(f, row);
	fs_row(f, FILLER);
	return f;
}

static struct check *run(struct form *f, const char *rules)
{
	struct check *c = check_new(f->n_ind);
	const struct ruleset *rs = ruleset_find(rules);
	assert_non_null(rs);
	assert_int_equal(rules_run(f, rs, c), 0);
	return c;
}

static const struct finding *find(const struct check *c, const char *code, const char *field)
{
	for (size_t i = 0; i < c->n_findings; i++)
		if (strcmp(c->findings[i].code, code) == 0 &&
		    (!field || strcmp(c->findings[i].field, field) == 0))
			return &c->findings[i];
	return NULL;
}

static int count(const struct check *c, const char *code)
{
	int n = 0;
	for (size_t i = 0; i < c->n_findings; i++)
		n += strcmp(c->findings[i].code, code) == 0;
	return n;
}

/* Runs one row; asserts the suggested score (or none when sugg is NULL). */
static struct check *row(const char *spec, const char *rules, const char *sugg)
{
	struct form *f = base(spec);
	struct check *c = run(f, rules);
	form_free(f);
	const struct ind_check *ic = &c->ind[0];
	if (!sugg) {
		assert_false(ic->has_suggestion);
		return c;
	}
	if (!ic->has_suggestion)
		print_error("no suggestion for %s\n", spec);
	assert_true(ic->has_suggestion);
	char b[NUM_BUFSZ];
	assert_string_equal(num_fixed(ic->suggested, 2, b), sugg);
	return c;
}

static void done(struct check *c) { check_free(c); }

/* ---- the base form is clean ----------------------------------------------- */

static void base_is_clean(void **state)
{
	(void)state;
	struct check *c = row("产出指标|数量指标|数量|≥|90|%|95|10|10|", "beijing", "10.00");
	assert_int_equal(c->errors, 0);
	assert_int_equal(c->warnings, 0);
	assert_int_equal(c->notes, 2);		/* one SUGGESTION per row */
	assert_string_equal(c->budget_score, "10.00");
	assert_string_equal(c->rate[FUND_TOTAL], "100.00%");
	assert_string_equal(c->total_score, "100.00");	/* 10 + 10 + 80 */
	assert_string_equal(c->grade, "优");
	done(c);
}

/* ---- rule 1: positive --------------------------------------------------- */

static void positive(void **state)
{
	(void)state;
	/* 85 / 90 × 10 = 9.444… → 9.44; a score of 10 is 0.56 above */
	struct check *c = row("产出指标|数量指标|数量|≥|90|%|85|10|10|偏差说明", "beijing", "9.44");
	const struct finding *x = find(c, "RULE_SCORE", "indicators[0].score");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_WARNING);
	assert_string_equal(x->expected, "9.44");
	assert_string_equal(x->found, "10.00");
	assert_non_null(strstr(x->message, "9.44 = 85 ÷ 90 × 10"));
	assert_non_null(strstr(x->message, "above"));
	done(c);
	/* 9.45 is 0.01 from 9.44: accepted; 9.46 is not */
	c = row("产出指标|数量指标|数量|≥|90|%|85|10|9.45|偏差说明", "beijing", "9.44");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	c = row("产出指标|数量指标|数量|≥|90|%|85|10|9.46|偏差说明", "beijing", "9.44");
	assert_non_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* no nature written (older layouts): read as positive; 2 / 4 × 7 = 3.50 */
	c = row("产出指标|数量指标|渗透测试次数|~|4|~|2|10|5|偏差说明", "beijing", "5.00");
	done(c);
}

/* ---- rule 4: a positive target set too low ------------------------------ */

static void over_target(void **state)
{
	(void)state;
	/* d = (299 − 100) / 100 = 199 %: no deduction */
	struct check *c = row("产出指标|数量指标|数量|≥|100|次|299|10|10|", "beijing", "10.00");
	assert_null(find(c, "OVER_TARGET", NULL));
	done(c);
	/* exactly 200 %: 10 % of 10 off → 9.00 */
	c = row("产出指标|数量指标|数量|≥|100|次|300|10|9|说明", "beijing", "9.00");
	const struct finding *x = find(c, "OVER_TARGET", "indicators[0].actual");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_WARNING);
	assert_non_null(strstr(x->message, "200%"));
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* 300 % → 20 % off → 8.00; 500 % → 30 % off → 7.00; 1000 % → 7.00 */
	done(row("产出指标|数量指标|数量|≥|100|次|400|10|8|说明", "beijing", "8.00"));
	done(row("产出指标|数量指标|数量|≥|100|次|600|10|7|说明", "beijing", "7.00"));
	done(row("产出指标|数量指标|数量|≥|100|次|1100|10|7|说明", "beijing", "7.00"));
	/* 499.99 %: still 20 % */
	done(row("产出指标|数量指标|数量|≥|100|次|599.99|10|8|说明", "beijing", "8.00"));
	/* the linear set deducts nothing */
	c = row("产出指标|数量指标|数量|≥|100|次|300|10|10|说明", "linear", "10.00");
	assert_null(find(c, "OVER_TARGET", NULL));
	done(c);
}

/* ---- rule 2: reverse ---------------------------------------------------- */

static void reverse(void **state)
{
	(void)state;
	/* B ≤ A: full */
	done(row("产出指标|时效指标|响应|≤|4|小时|2|10|10|", "beijing", "10.00"));
	/* 4 / 8 × 10 = 5.00 */
	struct check *c = row("产出指标|时效指标|响应|≤|4|小时|8|10|5|说明", "beijing", "5.00");
	assert_non_null(strstr(c->ind[0].explain, "5.00 = 4 ÷ 8 × 10"));
	done(c);
	/* B = 0 gives w */
	done(row("产出指标|质量指标|故障率|≤|5|%|0|10|10|", "beijing", "10.00"));
	/* 4 小时 against 300 分钟 = 5 小时: 4/5 × 10 = 8.00, through the conversion */
	done(row("产出指标|时效指标|响应|≤|4|小时|300 分钟|10|8|说明", "beijing", "8.00"));
	/* linear: (1 − (6 − 4)/4) × 10 = 5.00; at B = 2A and beyond, 0 */
	done(row("产出指标|时效指标|响应|≤|4|小时|6|10|5|说明", "linear", "5.00"));
	done(row("产出指标|时效指标|响应|≤|4|小时|8|10|0|说明", "linear", "0.00"));
	done(row("产出指标|时效指标|响应|≤|4|小时|9|10|0|说明", "linear", "0.00"));
	/* linear, B = 0: w */
	done(row("产出指标|时效指标|响应|≤|4|小时|0|10|10|", "linear", "10.00"));
}

/* ---- rule 3: = ---------------------------------------------------------- */

static void exact(void **state)
{
	(void)state;
	done(row("产出指标|数量指标|服务内容|=|12|项|12|10|10|", "beijing", "10.00"));
	/* 11/12 × 10 = 9.1666… → 9.17; 12/13 × 10 = 9.2307… → 9.23 */
	done(row("产出指标|数量指标|服务内容|=|12|项|11|10|9.17|说明", "beijing", "9.17"));
	done(row("产出指标|数量指标|服务内容|=|12|项|13|10|9.23|说明", "beijing", "9.23"));
	/* older layout: "=12项" against "12项" */
	done(row("产出指标|数量指标|服务内容|~|=12项|~|12项|10|10|", "beijing", "10.00"));
}

/* ---- units -------------------------------------------------------------- */

static void units(void **state)
{
	(void)state;
	/* ≤ 84.4 万元 against 844000 元: the same money, full */
	done(row("成本指标|经济成本指标|成本|~|≤ 84.4 万元|~|844000 元|10|10|", "beijing", "10.00"));
	/* against 850000 元 = 85 万元: 84.4 / 85 × 10 = 9.929… → 9.93 */
	struct check *c = row("成本指标|经济成本指标|成本|~|≤ 84.4 万元|~|850000 元|10|9.93|说明", "beijing", "9.93");
	assert_non_null(strstr(c->ind[0].explain, "84.4 ÷ 85 × 10"));
	done(c);
	/* the 2024 unit column: 7578290 元 against 757.82892 万元 = 7578289.2 元 */
	done(row("成本指标|经济成本指标|支出|≤|7578290|元|757.82892 万元|10|10|", "beijing", "10.00"));
	/* hours against times: no conversion, a warning and no suggestion */
	c = row("产出指标|时效指标|响应|≤|4|小时|2 次|10|10|", "beijing", NULL);
	const struct finding *x = find(c, "UNIT_MISMATCH", "indicators[0].actual");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_WARNING);
	assert_string_equal(x->expected, "小时");
	assert_string_equal(x->found, "次");
	assert_null(find(c, "SUGGESTION", "indicators[0].score"));
	done(c);
	/* counts convert among themselves: 15 台 against 15 个 */
	done(row("产出指标|数量指标|台数|~|=15 台|~|15 个|10|10|", "beijing", "10.00"));
}

/* ---- rule 5: qualitative ------------------------------------------------ */

static void qualitative(void **state)
{
	(void)state;
	/* 优 against 达到良以上: met, band 8–10 of 10, suggestion 10 */
	struct check *c = row("效益指标|可持续影响指标|稳定运行|~|达到良以上|~|优|10|8|", "beijing", "10.00");
	char b[NUM_BUFSZ];
	assert_string_equal(num_fixed(c->ind[0].band_lo, 2, b), "8.00");
	assert_string_equal(num_fixed(c->ind[0].band_hi, 2, b), "10.00");
	assert_null(find(c, "RULE_SCORE", NULL));	/* 8 is inside the band */
	done(c);
	/* 7.99 is outside */
	c = row("效益指标|可持续影响指标|稳定运行|~|达到良以上|~|优|10|7.99|说明", "beijing", "10.00");
	assert_non_null(find(c, "RULE_SCORE", "indicators[0].score"));
	done(c);
	/* 良 meets 达到良以上 too; 中 is one grade below: partly, 6–8, suggestion 8 */
	done(row("效益指标|可持续影响指标|稳定运行|~|达到良以上|~|良|10|10|", "beijing", "10.00"));
	c = row("效益指标|可持续影响指标|稳定运行|~|达到良以上|~|中|10|7|说明", "beijing", "8.00");
	assert_string_equal(num_fixed(c->ind[0].band_lo, 2, b), "6.00");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* 差: not met, 0–6 */
	c = row("效益指标|可持续影响指标|稳定运行|~|达到良以上|~|差|10|7|说明", "beijing", "6.00");
	assert_non_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* a scale name expects its top grade: 良 is partly met */
	done(row("产出指标|质量指标|验收|定性|优良中低差|项|良（基本完成）|10|8|说明", "beijing", "8.00"));
	/* the linear set's partly band is 50–80 %: 5.5 is inside */
	c = row("产出指标|质量指标|验收|定性|优良中低差|项|良|10|5.5|说明", "linear", "8.00");
	assert_string_equal(num_fixed(c->ind[0].band_lo, 2, b), "5.00");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* 合格/不合格 and 好坏 */
	done(row("产出指标|质量指标|验收|定性|合格/不合格|项|合格|10|10|", "beijing", "10.00"));
	done(row("产出指标|质量指标|验收|定性|合格/不合格|项|不合格|10|6|说明", "beijing", "8.00"));
	done(row("产出指标|质量指标|接入|定性|好坏|项|已接入政务专网|10|10|", "beijing", "10.00"));
	/* 是/否: the same answer meets it, the other does not */
	done(row("产出指标|质量指标|是否扣分|~|否|~|否|10|10|", "beijing", "10.00"));
	done(row("产出指标|质量指标|是否扣分|~|否|~|是|10|5|说明", "beijing", "6.00"));
	/* a period: 每天 against 每天 is met */
	done(row("产出指标|时效指标|服务周期|~|每天|~|每天|10|10|", "beijing", "10.00"));
	/* text the same as the target */
	done(row("产出指标|质量指标|保安|~|未发生安全事件|~|未发生安全事件|10|9|", "beijing", "10.00"));
	/* text that says nothing about the target: TARGET_UNREAD */
	c = row("产出指标|质量指标|保安|~|未发生安全事件|~|发生两起|10|9|说明", "beijing", NULL);
	assert_non_null(find(c, "TARGET_UNREAD", "indicators[0].actual"));
	done(c);
}

/* ---- rule 6: deadlines -------------------------------------------------- */

static void deadlines(void **state)
{
	(void)state;
	/* the 2021 sample: 2021年6月前 against 2021年12月 gives 6/12 × 2 = 1 of 2 */
	struct form *f = fs_form(base_header);
	fs_row(f, "产出指标|时效指标|合同签订时间|~|2021年6月前|~|2021年12月|2|1|说明");
	fs_row(f, "产出指标|时效指标|其他|~|2021年6月前|~|2021年6月|8|8|");
	fs_row(f, FILLER);
	struct check *c = run(f, "beijing");
	char b[NUM_BUFSZ];
	assert_string_equal(num_fixed(c->ind[0].suggested, 2, b), "1.00");
	assert_non_null(find(c, "LATE", "indicators[0].actual"));
	assert_null(find(c, "RULE_SCORE", NULL));
	/* met in the month itself */
	assert_string_equal(num_fixed(c->ind[1].suggested, 2, b), "8.00");
	assert_null(find(c, "LATE", "indicators[1].actual"));
	check_free(c);
	form_free(f);
	/* a month later: 6/7 × 10 = 8.571… → 8.57 */
	c = row("产出指标|时效指标|签约|~|2021年6月前|~|2021年7月|10|8.57|说明", "beijing", "8.57");
	assert_non_null(find(c, "LATE", NULL));
	done(c);
	/* into the next year: 12 / (2 + 12) × 10 = 8.571… → 8.57 */
	done(row("产出指标|时效指标|签约|~|2021年12月前|~|2022年2月|10|8.57|说明", "beijing", "8.57"));
	/* no year: 12月底前 against 11月 */
	done(row("产出指标|时效指标|总结|~|12月底前|~|11月底前|10|10|", "beijing", "10.00"));
}

/* ---- the errors --------------------------------------------------------- */

static void score_over_weight(void **state)
{
	(void)state;
	/* 10.005 against 10: exact comparison, an error even though it shows as 10.01 / 10.00 */
	struct check *c = row("产出指标|数量指标|数量|≥|90|%|95|10|10.005|", "beijing", "10.00");
	const struct finding *x = find(c, "SCORE_OVER_WEIGHT", "indicators[0].score");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_ERROR);
	assert_string_equal(x->expected, "10");
	assert_string_equal(x->found, "10.005");
	done(c);
	c = row("产出指标|数量指标|数量|≥|90|%|95|10|10.00|", "beijing", "10.00");
	assert_null(find(c, "SCORE_OVER_WEIGHT", NULL));
	done(c);
	c = row("产出指标|数量指标|数量|≥|90|%|95|10|-1|说明", "beijing", "10.00");
	assert_non_null(find(c, "SCORE_OVER_WEIGHT", NULL));
	done(c);
}

static void deviation(void **state)
{
	(void)state;
	struct check *c = row("产出指标|数量指标|数量|≥|90|%|85|10|9.44|", "beijing", "9.44");
	const struct finding *x = find(c, "DEVIATION_MISSING", "indicators[0].deviation");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_ERROR);
	done(c);
	/* full score: none, under beijing; linear also wants it at B ≥ 130 % of A */
	c = row("产出指标|数量指标|数量|≥|100|次|130|10|10|", "beijing", "10.00");
	assert_null(find(c, "DEVIATION_MISSING", NULL));
	done(c);
	c = row("产出指标|数量指标|数量|≥|100|次|130|10|10|", "linear", "10.00");
	assert_non_null(find(c, "DEVIATION_MISSING", "indicators[0].deviation"));
	done(c);
	c = row("产出指标|数量指标|数量|≥|100|次|129.99|10|10|", "linear", "10.00");
	assert_null(find(c, "DEVIATION_MISSING", NULL));
	done(c);
}

static void required_and_numbers(void **state)
{
	(void)state;
	struct form *f = base("产出指标|数量指标||≥|90|%||10|十|");
	form_set(f, "project", "", NULL);
	form_set(f, "funds.total.spent", NULL, NULL);
	form_set(f, "goals.achieved", "  ", NULL);
	struct check *c = run(f, "beijing");
	assert_non_null(find(c, "REQUIRED", "project"));
	assert_non_null(find(c, "REQUIRED", "funds.total.spent"));
	assert_non_null(find(c, "REQUIRED", "goals.achieved"));
	assert_non_null(find(c, "REQUIRED", "indicators[0].name"));
	assert_non_null(find(c, "REQUIRED", "indicators[0].actual"));
	const struct finding *x = find(c, "NOT_A_NUMBER", "indicators[0].score");
	assert_non_null(x);
	assert_string_equal(x->found, "十");
	assert_null(find(c, "REQUIRED", "department"));
	check_free(c);
	form_free(f);
	/* full-width digits are numbers */
	c = row("产出指标|数量指标|数量|≥|９０|％|９５|１０|１０|", "beijing", "10.00");
	assert_int_equal(c->errors, 0);
	done(c);
}

static void funds(void **state)
{
	(void)state;
	struct form *f = base("产出指标|数量指标|数量|≥|90|%|95|10|10|");
	/* 99.94 of 100: "100%" is right at 0 decimals */
	form_set(f, "funds.total.spent", "99.94", NULL);
	form_set(f, "funds.appropriation.spent", "99.94", NULL);
	form_set(f, "funds.total.score", "9.99", NULL);		/* 0.9994 × 10 = 9.994 → 9.99 */
	form_set(f, "total.score", "99.99", NULL);
	struct check *c = run(f, "beijing");
	assert_null(find(c, "RATE_MISMATCH", NULL));
	assert_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	assert_null(find(c, "TOTAL_MISMATCH", NULL));
	assert_string_equal(c->rate[FUND_TOTAL], "99.94%");
	assert_string_equal(c->budget_score, "9.99");
	assert_string_equal(c->total_score, "99.99");
	check_free(c);
	/* "99.95%" for 99.94 % is wrong at 2 decimals */
	form_set(f, "funds.total.rate", "99.95%", NULL);
	c = run(f, "beijing");
	const struct finding *x = find(c, "RATE_MISMATCH", "funds.total.rate");
	assert_non_null(x);
	assert_string_equal(x->expected, "99.94%");
	check_free(c);
	/* "99%" for 100 % is wrong */
	form_set(f, "funds.total.spent", "100", NULL);
	form_set(f, "funds.appropriation.spent", "100", NULL);
	form_set(f, "funds.total.rate", "99%", NULL);
	form_set(f, "funds.total.score", "10", NULL);
	form_set(f, "total.score", "100", NULL);
	c = run(f, "beijing");
	x = find(c, "RATE_MISMATCH", "funds.total.rate");
	assert_non_null(x);
	assert_string_equal(x->expected, "100%");
	assert_string_equal(x->found, "99%");
	check_free(c);
	/* budget score: 89.5 % × 10 = 8.95; a printed 10 is wrong, 8.94 is within 0.01 */
	form_set(f, "funds.total.rate", "89.50%", NULL);
	form_set(f, "funds.total.spent", "89.5", NULL);
	form_set(f, "funds.appropriation.spent", "89.5", NULL);
	c = run(f, "beijing");
	x = find(c, "BUDGET_SCORE_MISMATCH", "funds.total.score");
	assert_non_null(x);
	assert_string_equal(x->expected, "8.95");
	/* and 总分 10 + 10 + 80 = 100 still adds up with the printed 10 */
	assert_null(find(c, "TOTAL_MISMATCH", NULL));
	check_free(c);
	form_set(f, "funds.total.score", "8.94", NULL);
	form_set(f, "total.score", "98.94", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	assert_null(find(c, "TOTAL_MISMATCH", NULL));
	assert_string_equal(c->suggested_total, "98.95");	/* 8.95 + 10 + 80 */
	check_free(c);
	/* spent over budget: a warning, and the score stops at 分值 */
	form_set(f, "funds.total.spent", "120", NULL);
	form_set(f, "funds.appropriation.spent", "120", NULL);
	form_set(f, "funds.total.rate", "120%", NULL);
	form_set(f, "funds.total.score", "10", NULL);
	form_set(f, "total.score", "100", NULL);
	c = run(f, "beijing");
	assert_non_null(find(c, "SPENT_OVER_BUDGET", "funds.total.spent"));
	assert_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	assert_string_equal(c->budget_score, "10.00");
	check_free(c);
	/* 年度资金总额 100 against 60 + 30 */
	form_set(f, "funds.total.spent", "100", NULL);
	form_set(f, "funds.total.rate", "100%", NULL);
	form_set(f, "funds.appropriation.budget", "60", NULL);
	form_set(f, "funds.appropriation.spent", "60", NULL);
	form_set(f, "funds.carryover.budget", "30", NULL);
	form_set(f, "funds.carryover.spent", "40", NULL);
	c = run(f, "beijing");
	x = find(c, "FUNDS_SUM", "funds.total.budget");
	assert_non_null(x);
	assert_string_equal(x->expected, "90");
	assert_string_equal(x->found, "100");
	assert_null(find(c, "FUNDS_SUM", "funds.total.spent"));	/* 60 + 40 = 100 */
	assert_non_null(find(c, "SPENT_OVER_BUDGET", "funds.carryover.spent"));
	check_free(c);
	form_free(f);
}

/* issue 22: "1,00" is not 100, and the rules say why */
/* issue 14 point 7: scales and durations a person reads at once */
static void scales_and_durations(void **state)
{
	(void)state;
	/* "高（…）" against the scale 高中低: its top grade, met */
	struct check *c = row("效益指标|社会效益指标|服务质量|定性|高中低|项|高（群众反映良好）|10|10|", "beijing", "10.00");
	assert_null(find(c, "TARGET_UNREAD", NULL));
	done(c);
	/* 中 on 高中低 is the second grade: partly met, 6–8 */
	c = row("效益指标|社会效益指标|服务质量|定性|高中低|项|中|10|8|说明", "beijing", "8.00");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* 低 is the last: not met */
	done(row("效益指标|社会效益指标|服务质量|定性|高中低|项|低|10|6|说明", "beijing", "6.00"));
	/* 达标/未达标 */
	done(row("效益指标|社会效益指标|排放|定性|达标/未达标|项|达标|10|10|", "beijing", "10.00"));
	/* the second of two grades: partly met, as 坏 of 好坏 (rules.md rule 5) */
	done(row("效益指标|社会效益指标|排放|定性|达标/未达标|项|未达标|10|8|说明", "beijing", "8.00"));
	/* a time limit in months against months: "4个月内" is at most 4 months */
	c = row("产出指标|时效指标|完成时限|~|项目完成时限4个月内|~|4月|10|10|", "beijing", "10.00");
	assert_null(find(c, "TARGET_UNREAD", NULL));
	assert_null(find(c, "UNIT_MISMATCH", NULL));
	done(c);
	c = row("产出指标|时效指标|完成时限|~|项目完成时限4个月内|~|3个月|10|10|", "beijing", "10.00");
	done(c);
	/* later than the limit: the reverse rule, 4 ÷ 5 × 10 */
	done(row("产出指标|时效指标|完成时限|~|项目完成时限4个月内|~|5个月|10|8|超时", "beijing", "8.00"));
	/* a year is twelve months */
	done(row("产出指标|时效指标|完成时限|≤|1年|~|12个月|10|10|", "beijing", "10.00"));
	/* months and days do not convert (a month is not a fixed number of days) */
	c = row("产出指标|时效指标|完成时限|≤|4个月|~|100天|10|10|", "beijing", NULL);
	assert_non_null(find(c, "UNIT_MISMATCH", "indicators[0].actual"));
	done(c);
	/* days and hours do */
	done(row("产出指标|时效指标|响应时间|≤|1天|~|12小时|10|10|", "beijing", "10.00"));
}

static void number_grammar(void **state)
{
	(void)state;
	struct form *f = base("产出指标|数量指标|数量|≥|90|%|95|10|10|");
	form_set(f, "funds.total.budget", "1,00", NULL);
	form_set(f, "funds.appropriation.budget", "1,00", NULL);
	struct check *c = run(f, "beijing");
	const struct finding *x = find(c, "NOT_A_NUMBER", "funds.total.budget");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "decimal point"));
	assert_string_equal(c->rate[FUND_TOTAL], "");
	check_free(c);
	form_set(f, "funds.total.budget", "1,000,00", NULL);
	c = run(f, "beijing");
	x = find(c, "NOT_A_NUMBER", "funds.total.budget");
	assert_non_null(x);
	assert_non_null(strstr(x->message, "groups of three"));
	check_free(c);
	/* more decimals than num keeps: refused, not cut */
	form_set(f, "funds.total.budget", "100.0000000000001", NULL);
	c = run(f, "beijing");
	assert_non_null(find(c, "NOT_A_NUMBER", "funds.total.budget"));
	check_free(c);
	/* full-width digits and a U+2212 minus read as the store reads them */
	form_set(f, "funds.total.budget", "１００", NULL);
	form_set(f, "funds.appropriation.budget", "1,0,0", NULL);
	form_set(f, "indicators[0].score", "\xe2\x88\x92" "1", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "NOT_A_NUMBER", "funds.total.budget"));
	assert_non_null(find(c, "NOT_A_NUMBER", "funds.appropriation.budget"));
	x = find(c, "SCORE_OVER_WEIGHT", "indicators[0].score");
	assert_non_null(x);
	assert_string_equal(x->found, "-1");
	check_free(c);
	form_free(f);
}

/* issue 14 point 3: a printed rate or score cut at its decimals is right */
static void truncated_rate(void **state)
{
	(void)state;
	struct form *f = base("产出指标|数量指标|数量|≥|90|%|95|10|10|");
	/* 160.329 ÷ 160.349 = 99.98752…%: 99.99% rounded, 99.98% cut */
	form_set(f, "funds.total.budget", "160.349", NULL);
	form_set(f, "funds.appropriation.budget", "160.349", NULL);
	form_set(f, "funds.total.spent", "160.329", NULL);
	form_set(f, "funds.appropriation.spent", "160.329", NULL);
	form_set(f, "funds.total.rate", "99.98%", NULL);
	form_set(f, "funds.total.score", "9.99", NULL);	/* 9.99875…: cut */
	form_set(f, "total.score", "99.99", NULL);
	struct check *c = run(f, "beijing");
	assert_null(find(c, "RATE_MISMATCH", NULL));
	assert_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	assert_null(find(c, "TOTAL_MISMATCH", NULL));
	const struct finding *x = find(c, "RATE_TRUNCATED", "funds.total.rate");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_NOTE);
	assert_string_equal(x->expected, "99.99%");
	assert_int_equal(c->errors, 0);
	assert_string_equal(c->rate[FUND_TOTAL], "99.99%");
	check_free(c);
	/* rounded: no note at all; 99.97% is wrong either way */
	form_set(f, "funds.total.rate", "99.99%", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "RATE_TRUNCATED", NULL));
	assert_null(find(c, "RATE_MISMATCH", NULL));
	check_free(c);
	form_set(f, "funds.total.rate", "99.97%", NULL);
	c = run(f, "beijing");
	assert_non_null(find(c, "RATE_MISMATCH", "funds.total.rate"));
	check_free(c);
	/* printed with 1 decimal: 99.9% (cut) and 100.0% (rounded) are both right */
	form_set(f, "funds.total.rate", "99.9%", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "RATE_MISMATCH", NULL));
	check_free(c);
	form_set(f, "funds.total.rate", "100.0%", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "RATE_MISMATCH", NULL));
	check_free(c);
	/* a budget score cut at one decimal (9.9) is right; 9.8 is not; 9.98
	 * is neither 10.00 nor 9.99 and 0.02 off */
	form_set(f, "funds.total.score", "9.9", NULL);
	form_set(f, "total.score", "99.9", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	assert_null(find(c, "TOTAL_MISMATCH", NULL));
	check_free(c);
	form_set(f, "funds.total.score", "9.8", NULL);
	form_set(f, "total.score", "99.8", NULL);
	c = run(f, "beijing");
	assert_non_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	check_free(c);
	form_set(f, "funds.total.score", "9.98", NULL);
	form_set(f, "total.score", "99.98", NULL);
	c = run(f, "beijing");
	assert_non_null(find(c, "BUDGET_SCORE_MISMATCH", NULL));
	assert_null(find(c, "TOTAL_MISMATCH", NULL));
	check_free(c);
	form_free(f);
	/* an indicator's score: 85 ÷ 90 × 10 = 9.444…; 9.4 (cut at one
	 * decimal) and 9.44 are right, 9.3 is not, 9.45 is within 0.01 */
	c = row("产出指标|数量指标|数量|≥|90|%|85|10|9.4|说明", "beijing", "9.44");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	c = row("产出指标|数量指标|数量|≥|90|%|85|10|9.3|说明", "beijing", "9.44");
	assert_non_null(find(c, "RULE_SCORE", "indicators[0].score"));
	done(c);
	c = row("产出指标|数量指标|数量|≥|90|%|85|10|9.45|说明", "beijing", "9.44");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	/* 2 ÷ 3 × 10 = 6.666…: 6.6 cut, 6.7 rounded, both right; 6.5 is not */
	c = row("产出指标|数量指标|数量|≥|3|项|2|10|6.6|说明", "beijing", "6.67");
	assert_null(find(c, "RULE_SCORE", NULL));
	done(c);
	c = row("产出指标|数量指标|数量|≥|3|项|2|10|6.5|说明", "beijing", "6.67");
	assert_non_null(find(c, "RULE_SCORE", NULL));
	done(c);
}

static void totals(void **state)
{
	(void)state;
	struct form *f = base("产出指标|数量指标|数量|≥|90|%|95|5|5|");
	/* 10 + 5 + 80 = 95 */
	struct check *c = run(f, "beijing");
	const struct finding *x = find(c, "WEIGHT_SUM", "total.weight");
	assert_non_null(x);
	assert_string_equal(x->found, "95");
	check_free(c);
	form_set(f, "indicators[0].weight", "10", NULL);
	form_set(f, "indicators[0].score", "10", NULL);
	form_set(f, "total.score", "95", NULL);
	form_set(f, "total.grade", "良", NULL);
	c = run(f, "beijing");
	assert_null(find(c, "WEIGHT_SUM", NULL));
	x = find(c, "TOTAL_MISMATCH", "total.score");
	assert_non_null(x);
	assert_string_equal(x->expected, "100.00");
	assert_non_null(find(c, "TOTAL_MISMATCH", "total.grade"));	/* 95 is 优 */
	check_free(c);
	form_free(f);
	/* grade bounds: 90 优, 89.99 良, 80 良, 60 中, 59.99 差 */
	const char *cases[][2] = { { "90", "优" }, { "89.99", "良" }, { "80", "良" }, { "79.99", "中" },
				   { "60", "中" }, { "59.99", "差" } };
	for (size_t i = 0; i < 6; i++) {
		char spec[160];
		num s, t;
		assert_true(num_sub(N(cases[i][0]), N("90"), &s));	/* 10 budget + 80 filler */
		char sb[NUM_BUFSZ];
		snprintf(spec, sizeof spec, "产出指标|数量指标|数量|≥|90|%%|95|10|%s|", num_str(s, sb));
		(void)t;
		if (num_is_neg(s)) {
			/* below 90 total: put the rest on the filler */
			assert_true(num_add(N(cases[i][0]), N("-20"), &s));
			snprintf(spec, sizeof spec, "产出指标|数量指标|数量|≥|90|%%|95|10|10|");
			f = fs_form(base_header);
			fs_row(f, spec);
			char fill[160];
			snprintf(fill, sizeof fill, "效益指标|社会效益指标|保障运行|定性|优良中低差|项|优|80|%s|说明",
				 num_str(s, sb));
			fs_row(f, fill);
		} else {
			f = base(spec);
		}
		c = run(f, "beijing");
		assert_string_equal(c->grade, cases[i][1]);
		check_free(c);
		form_free(f);
	}
}

static void taxonomy(void **state)
{
	(void)state;
	/* "产出指标 (50分)" is the beijing-2021 way of printing it */
	struct check *c = row("产出指标 (50分)|数量指标|数量|≥|90|%|95|10|10|", "beijing", "10.00");
	assert_int_equal(count(c, "TAXONOMY"), 0);
	done(c);
	/* 成本指标 under 产出指标: only the older layouts */
	c = row("产出指标|成本指标|成本|≤|10|万元|10|10|10|", "beijing", "10.00");
	assert_non_null(find(c, "TAXONOMY", "indicators[0].level2"));
	done(c);
	struct form *f = base("产出指标|成本指标|成本|≤|10|万元|10|10|10|");
	form_set(f, "layout", "district-2023", NULL);
	c = run(f, "beijing");
	assert_int_equal(count(c, "TAXONOMY"), 0);
	check_free(c);
	form_free(f);
	c = row("满意度指标|服务对象满意度|满意度|≥|90|%|95|10|10|", "beijing", "10.00");
	const struct finding *x = find(c, "TAXONOMY", "indicators[0].level2");
	assert_non_null(x);
	assert_string_equal(x->found, "服务对象满意度");
	done(c);
	c = row("产出类指标|数量指标|数量|≥|90|%|95|10|10|", "beijing", "10.00");
	assert_non_null(find(c, "TAXONOMY", "indicators[0].level1"));
	done(c);
}

static void unread(void **state)
{
	(void)state;
	/* a figure target against a grade */
	struct check *c = row("产出指标|数量指标|数量|≥|90|%|良好|10|10|", "beijing", NULL);
	const struct finding *x = find(c, "TARGET_UNREAD", "indicators[0].actual");
	assert_non_null(x);
	assert_int_equal(x->severity, SEV_WARNING);
	done(c);
	/* two 万元 figures in the actual: neither is taken */
	c = row("成本指标|经济成本指标|支出|≤|45|万元|首款支出金额低于45万元,2024年支付尾款9万元|10|10|", "beijing", NULL);
	assert_non_null(find(c, "TARGET_UNREAD", "indicators[0].actual"));
	done(c);
	/* the only one: taken */
	done(row("成本指标|经济成本指标|支出|≤|45|万元|首款支出金额低于45万元|10|10|", "beijing", "10.00"));
	/* a ≥ target that holds no figure */
	c = row("产出指标|数量指标|数量|≥|很多|%|95|10|10|", "beijing", NULL);
	assert_non_null(find(c, "TARGET_UNREAD", "indicators[0].target"));
	done(c);
}

static void order_and_lookup(void **state)
{
	(void)state;
	struct form *f = base("产出类指标|数量指标|数量|≥|90|%|85|10|10|");
	form_set(f, "project", "", NULL);
	form_set(f, "funds.total.rate", "99%", NULL);
	form_set(f, "total.score", "1", NULL);
	struct check *c = run(f, "beijing");
	/* paper order: header, funds, indicators in row order, totals */
	const char *const order[] = { "project", "funds.total.rate", "indicators[0].level1",
				      "indicators[0].score", "indicators[0].deviation",
				      "indicators[1].score", "total.score" };
	size_t at = 0;
	for (size_t i = 0; i < c->n_findings; i++) {
		size_t k;
		for (k = 0; k < 7; k++)
			if (strcmp(c->findings[i].field, order[k]) == 0)
				break;
		assert_true(k < 7);
		assert_true(k >= at);
		at = k;
	}
	assert_int_equal(at, 6);
	const struct finding *out[8];
	/* RULE_SCORE and SUGGESTION on row 0's score */
	assert_int_equal(rules_findings_for(c, "indicators[0].score", out, 8), 2);
	assert_string_equal(out[0]->code, "RULE_SCORE");
	assert_string_equal(out[1]->code, "SUGGESTION");
	assert_int_equal(rules_findings_for(c, "year", out, 8), 0);
	check_free(c);
	/* a check too small for the form is refused */
	c = check_new(1);
	assert_int_equal(rules_run(f, ruleset_default(), c), -1);
	check_free(c);
	/* a check is reused: a second run starts from nothing */
	c = check_new(2);
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	size_t n = c->n_findings;
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	assert_int_equal(c->n_findings, n);
	/* ... and sees every change of a cell it read before: 85 → 95 of 90
	 * is 9.44 → 10.00; the unit column 万元 against the actual's 元 */
	char b[NUM_BUFSZ];
	assert_string_equal(num_fixed(c->ind[0].suggested, 2, b), "9.44");
	form_set(f, "indicators[0].actual", "95", NULL);
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	assert_string_equal(num_fixed(c->ind[0].suggested, 2, b), "10.00");
	form_set(f, "indicators[0].target", "≥ 100", NULL);
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	assert_string_equal(num_fixed(c->ind[0].suggested, 2, b), "9.50");	/* 95 ÷ 100 × 10 */
	form_set(f, "indicators[0].unit_of_measure", NULL, NULL);
	form_set(f, "indicators[0].actual", "95 次", NULL);
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	assert_string_equal(c->ind[0].actual.unit, "次");
	form_set(f, "indicators[0].actual", NULL, NULL);
	assert_int_equal(rules_run(f, ruleset_default(), c), 0);
	assert_int_equal(c->ind[0].actual.kind, READ_EMPTY);
	assert_false(c->ind[0].has_suggestion);
	/* another form through the same check reads its own cells */
	struct form *g = base("产出指标|数量指标|数量|≤|4|小时|8|10|5|说明");
	assert_int_equal(rules_run(g, ruleset_default(), c), 0);
	assert_string_equal(num_fixed(c->ind[0].suggested, 2, b), "5.00");
	assert_string_equal(c->ind[0].target.unit, "小时");
	form_free(g);
	check_free(c);
	form_free(f);
}

static void rulesets(void **state)
{
	(void)state;
	assert_int_equal(ruleset_count(), 2);
	const struct ruleset *b = ruleset_default();
	assert_string_equal(b->name, "beijing");
	assert_ptr_equal(ruleset_at(0), b);
	assert_false(b->reverse_linear);
	assert_int_equal(b->band_met_lo, 80);
	assert_int_equal(b->band_partly_lo, 60);
	assert_int_equal(b->deduct_pct[0], 10);
	assert_int_equal(b->deduct_pct[2], 30);
	assert_int_equal(b->deduct_at[1], 300);
	assert_int_equal(b->budget_weight, 10);
	assert_int_equal(b->deviation_over_pct, 0);
	const struct ruleset *l = ruleset_find("linear");
	assert_non_null(l);
	assert_ptr_equal(ruleset_at(1), l);
	assert_true(l->reverse_linear);
	assert_int_equal(l->band_partly_lo, 50);
	assert_int_equal(l->deduct_pct[0], 0);
	assert_int_equal(l->budget_weight, 20);
	assert_int_equal(l->deviation_over_pct, 130);
	assert_null(ruleset_find("nope"));
	assert_null(ruleset_find(NULL));
	assert_null(ruleset_at(2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_is_clean),
		cmocka_unit_test(positive),
		cmocka_unit_test(over_target),
		cmocka_unit_test(reverse),
		cmocka_unit_test(exact),
		cmocka_unit_test(units),
		cmocka_unit_test(qualitative),
		cmocka_unit_test(deadlines),
		cmocka_unit_test(score_over_weight),
		cmocka_unit_test(deviation),
		cmocka_unit_test(required_and_numbers),
		cmocka_unit_test(funds),
		cmocka_unit_test(scales_and_durations),
		cmocka_unit_test(number_grammar),
		cmocka_unit_test(truncated_rate),
		cmocka_unit_test(totals),
		cmocka_unit_test(taxonomy),
		cmocka_unit_test(unread),
		cmocka_unit_test(order_and_lookup),
		cmocka_unit_test(rulesets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
