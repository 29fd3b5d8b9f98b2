/* Unit tests of src/target: reading 年度指标值 and 实际完成值 (rules.md). */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"

static num N(const char *s)
{
	num n;
	assert_true(num_parse(s, &n));
	return n;
}

static void read3(const char *t, const char *nat, const char *unit, struct reading *r)
{
	memset(r, 0x5a, sizeof *r);	/* target_read must set everything */
	target_read(t, nat, unit, r);
}

/* One figure: kind NUMBER, nature, value as written, unit, base. */
static void expect_number(const char *text, const char *unit_col, enum nature nat,
			  const char *value, const char *unit, enum unit_class uc, const char *base)
{
	struct reading r;
	read3(text, NULL, unit_col, &r);
	if (r.kind != READ_NUMBER)
		print_error("%s: kind %d (%s)\n", text, r.kind, r.note);
	assert_int_equal(r.kind, READ_NUMBER);
	assert_int_equal(r.nature, nat);
	assert_int_equal(num_cmp(r.value, N(value)), 0);
	assert_string_equal(r.unit, unit);
	assert_int_equal(r.uclass, uc);
	assert_int_equal(num_cmp(r.base, N(base)), 0);
	assert_true(r.confidence > 0 && r.confidence <= 100);
	assert_true(r.note[0] != '\0');
}

static void figures_and_units(void **state)
{
	(void)state;
	expect_number("95%", NULL, NATURE_NONE, "95", "%", UC_PERCENT, "95");
	expect_number("≤4 小时", NULL, NATURE_LE, "4", "小时", UC_TIME, "14400");	/* 4 × 3600 s */
	expect_number("= 12 项", NULL, NATURE_EQ, "12", "项", UC_COUNT, "12");
	expect_number("≤ 84.4 万元", NULL, NATURE_LE, "84.4", "万元", UC_MONEY, "844000");
	expect_number("4.5分钟", NULL, NATURE_NONE, "4.5", "分钟", UC_TIME, "270");	/* 4.5 × 60 */
	expect_number("18.486 万", NULL, NATURE_NONE, "18.486", "万", UC_OTHER, "18.486");
	expect_number("7578290 元", NULL, NATURE_NONE, "7578290", "元", UC_MONEY, "7578290");
	expect_number("99.99%", NULL, NATURE_NONE, "99.99", "%", UC_PERCENT, "99.99");
	expect_number("1,024", NULL, NATURE_NONE, "1024", "", UC_NONE, "1024");
	expect_number("≤ 7 天", NULL, NATURE_LE, "7", "天", UC_TIME, "604800");
	expect_number("3 亿元", NULL, NATURE_NONE, "3", "亿元", UC_MONEY, "300000000");
	expect_number("≤5万 条", NULL, NATURE_LE, "5", "万条", UC_COUNT, "50000");
	expect_number("≥476.4 公里", NULL, NATURE_GE, "476.4", "公里", UC_OTHER, "476.4");
	expect_number("≥ 24 人/年", NULL, NATURE_GE, "24", "人/年", UC_OTHER, "24");
	/* a fraction wrapped onto two lines of a cell */
	expect_number("201.195 6 万元", NULL, NATURE_NONE, "201.1956", "万元", UC_MONEY, "2011956");
}

static void symbols(void **state)
{
	(void)state;
	expect_number(">=95%", NULL, NATURE_GE, "95", "%", UC_PERCENT, "95");
	expect_number("不低于95%", NULL, NATURE_GE, "95", "%", UC_PERCENT, "95");
	expect_number("不少于 3 次", NULL, NATURE_GE, "3", "次", UC_COUNT, "3");
	expect_number("大于等于90%", NULL, NATURE_GE, "90", "%", UC_PERCENT, "90");
	expect_number("<=2 小时", NULL, NATURE_LE, "2", "小时", UC_TIME, "7200");
	expect_number("不高于 5%", NULL, NATURE_LE, "5", "%", UC_PERCENT, "5");
	expect_number("不超过30万元", NULL, NATURE_LE, "30", "万元", UC_MONEY, "300000");
	expect_number("低于45万元", NULL, NATURE_LE, "45", "万元", UC_MONEY, "450000");
	expect_number("小于等于 10 天", NULL, NATURE_LE, "10", "天", UC_TIME, "864000");
	expect_number("95%以上", NULL, NATURE_GE, "95", "%", UC_PERCENT, "95");
	expect_number("2小时以内", NULL, NATURE_LE, "2", "小时", UC_TIME, "7200");
}

static void nfkc_latex_tags(void **state)
{
	(void)state;
	/* full-width digits and signs */
	expect_number("９５％", NULL, NATURE_NONE, "95", "%", UC_PERCENT, "95");
	expect_number("＝12项", NULL, NATURE_EQ, "12", "项", UC_COUNT, "12");
	expect_number("＞=90%", NULL, NATURE_GE, "90", "%", UC_PERCENT, "90");
	expect_number("≥１，０２４", NULL, NATURE_GE, "1024", "", UC_NONE, "1024");
	/* LaTeX leftovers and HTML tags from the published PDFs */
	expect_number("$\\geq 95\\%$", NULL, NATURE_GE, "95", "%", UC_PERCENT, "95");
	expect_number("$\\leq 5\\%$", NULL, NATURE_LE, "5", "%", UC_PERCENT, "5");
	expect_number("<p>≥95%</p>", NULL, NATURE_GE, "95", "%", UC_PERCENT, "95");
}

static void unit_column(void **state)
{
	(void)state;
	/* 2024 layout: bare figure, unit in its own column */
	expect_number("6000", "Mbps", NATURE_NONE, "6000", "Mbps", UC_OTHER, "6000");
	expect_number("4", "时", NATURE_NONE, "4", "时", UC_TIME, "14400");
	expect_number("7578289.2", "元", NATURE_NONE, "7578289.2", "元", UC_MONEY, "7578289.2");
	expect_number("100", "个(单位:) TB", NATURE_NONE, "100", "TB", UC_OTHER, "100");
	/* the text's own unit wins over the column */
	expect_number("100TB", "个(单位:) TB", NATURE_NONE, "100", "TB", UC_OTHER, "100");

	struct reading r;
	read3("6000", "≥", "Mbps", &r);
	assert_int_equal(r.nature, NATURE_GE);
	read3("1", "=", "份", &r);
	assert_int_equal(r.nature, NATURE_EQ);
	read3("4", "≤", "小时", &r);
	assert_int_equal(r.nature, NATURE_LE);
	read3("优良中低差", "定性", "项", &r);
	assert_int_equal(r.nature, NATURE_QUAL);
	assert_int_equal(r.kind, READ_GRADE);
	/* the column wins over a symbol in the text */
	read3("≥95", "≤", "%", &r);
	assert_int_equal(r.nature, NATURE_LE);
}

static void figures_inside_text(void **state)
{
	(void)state;
	expect_number("首款支出金额低于45万元", "万元", NATURE_NONE, "45", "万元", UC_MONEY, "450000");
	expect_number("用户满意度100%", NULL, NATURE_NONE, "100", "%", UC_PERCENT, "100");
	expect_number("支出金额为288万元", "万元", NATURE_NONE, "288", "万元", UC_MONEY, "2880000");
	expect_number("提交项目报告1份", "份", NATURE_NONE, "1", "份", UC_COUNT, "1");
	expect_number("项目期限为1年", "年", NATURE_NONE, "1", "年", UC_CALENDAR, "12");	/* in months */
	expect_number("服务响应时间2小时内", "小时", NATURE_LE,	/* "内": at most */
		      "2", "小时", UC_TIME, "7200");
	/* a year is not a figure: the only 万元 figure is 695.82 */
	expect_number("2024年支出695.82万元", "万元", NATURE_NONE, "695.82", "万元", UC_MONEY, "6958200");
	expect_number("100%(已通过项目验收)", "%", NATURE_NONE, "100", "%", UC_PERCENT, "100");

	/* two figures of the same unit: neither is taken */
	struct reading r;
	read3("首款支出金额低于45万元,2024年支付尾款9万元", NULL, "万元", &r);
	assert_int_equal(r.kind, READ_TEXT);
	assert_int_equal(r.nature, NATURE_QUAL);
	assert_non_null(strstr(r.note, "several figures"));
	read3("年服务费为1499.9748万元, 2024年支付项目尾款238.516万元", NULL, "万元", &r);
	assert_int_equal(r.kind, READ_TEXT);
	/* IPv6 is a name, not a figure */
	read3("IPv6 访问正常", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_TEXT);
}

static void dates_and_periods(void **state)
{
	(void)state;
	struct reading r;
	read3("2021年6月前", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_DATE);
	assert_int_equal(r.year, 2021);
	assert_int_equal(r.month, 6);
	read3("2021年12月", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_DATE);
	assert_int_equal(r.year, 2021);
	assert_int_equal(r.month, 12);
	read3("12月底前", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_DATE);
	assert_int_equal(r.year, 0);
	assert_int_equal(r.month, 12);
	read3("2021年6月30日前", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_DATE);
	assert_int_equal(r.month, 6);
	read3("2021年底前", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_DATE);
	assert_int_equal(r.month, 12);
	read3("２０２１年３月前", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_DATE);
	assert_int_equal(r.month, 3);
	/* "≤ 12 月" is twelve months, not December */
	read3("≤ 12 月", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_NUMBER);
	assert_string_equal(r.unit, "月");

	read3("按月支付", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_PERIOD);
	assert_string_equal(r.unit, "月");
	read3("每天", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_PERIOD);
	assert_string_equal(r.unit, "天");
	read3("每日", NULL, NULL, &r);
	assert_string_equal(r.unit, "天");
	read3("每季度", NULL, NULL, &r);
	assert_string_equal(r.unit, "季");
	/* "按实际账单支出" is not a period */
	read3("按实际账单支出", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_TEXT);
}

static void grades(void **state)
{
	(void)state;
	struct reading r;
	read3("优良中低差", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_GRADE);
	assert_int_equal(r.nature, NATURE_QUAL);
	assert_int_equal(r.scale, 0);
	assert_int_equal(r.grade, -1);
	read3("优良", NULL, NULL, &r);
	assert_int_equal(r.grade, -1);
	read3("好坏", NULL, NULL, &r);
	assert_int_equal(r.scale, 1);
	assert_int_equal(r.grade, -1);
	read3("合格/不合格", NULL, NULL, &r);
	assert_int_equal(r.scale, 2);
	assert_int_equal(r.grade, -1);
	read3("达到良以上", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_GRADE);
	assert_int_equal(r.scale, 0);
	assert_int_equal(r.grade, 1);
	assert_true(r.at_least);
	read3("良及以上", NULL, NULL, &r);
	assert_int_equal(r.grade, 1);
	assert_true(r.at_least);
	read3("优（完成合同约定的服务内容）", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_GRADE);
	assert_int_equal(r.grade, 0);
	assert_false(r.at_least);
	assert_non_null(strstr(r.note, "remark"));
	read3("好（完成全区政务网各项办公和业务系统的正常运转）", NULL, NULL, &r);
	assert_int_equal(r.scale, 1);
	assert_int_equal(r.grade, 0);
	read3("不合格", NULL, NULL, &r);
	assert_int_equal(r.scale, 2);
	assert_int_equal(r.grade, 1);
	read3("否", NULL, NULL, &r);
	assert_int_equal(r.scale, 3);
	assert_int_equal(r.grade, 1);
	read3("已通过专家验收，验收结果为优", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_GRADE);
	assert_int_equal(r.grade, 0);
	assert_true(r.confidence < 90);
	/* a word that starts with a grade is not one */
	read3("优化系统性能", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_TEXT);
	read3("中国", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_TEXT);
}

static void empty_and_text(void **state)
{
	(void)state;
	struct reading r;
	read3(NULL, NULL, NULL, &r);
	assert_int_equal(r.kind, READ_EMPTY);
	read3("   ", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_EMPTY);
	read3("<p></p>", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_EMPTY);
	read3("三级", NULL, NULL, &r);
	assert_int_equal(r.kind, READ_TEXT);
	assert_int_equal(r.nature, NATURE_QUAL);
	assert_true(r.confidence < 50);
	/* invalid UTF-8 and a very long text are read without harm */
	read3("\xff\xfe≥9\x80", NULL, NULL, &r);
	char big[4000];
	memset(big, '9', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	read3(big, NULL, NULL, &r);
	assert_int_not_equal(r.kind, READ_NUMBER);
}

static void figure_cells(void **state)
{
	(void)state;
	num v;
	int d;
	assert_int_equal(target_figure("738.62892", false, &v, &d), 1);
	assert_int_equal(num_cmp(v, N("738.62892")), 0);
	assert_int_equal(d, 5);
	assert_int_equal(target_figure("89.50%", true, &v, &d), 1);
	assert_int_equal(num_cmp(v, N("89.5")), 0);
	assert_int_equal(d, 2);
	assert_int_equal(target_figure("100%", true, &v, &d), 1);
	assert_int_equal(d, 0);
	assert_int_equal(target_figure("１０", false, &v, &d), 1);	/* full-width */
	assert_int_equal(num_cmp(v, N("10")), 0);
	assert_int_equal(target_figure("—", false, &v, &d), 0);
	assert_int_equal(target_figure(" - ", false, &v, &d), 0);
	assert_int_equal(target_figure("", false, &v, &d), 0);
	assert_int_equal(target_figure(NULL, false, &v, &d), 0);
	assert_int_equal(target_figure("十分", false, &v, &d), -1);
	assert_int_equal(target_figure("95%", false, &v, &d), -1);	/* no % on a score */
	assert_int_equal(target_figure("1.2.3", false, &v, &d), -1);
}

/* Every input the fuzzer ever crashed on (tests/fuzz/seeds/crash-*), read
 * again: under ./quickstart test --sanitize this is the regression test. */
static void fuzz_crashes(void **state)
{
	(void)state;
	const char *top = getenv("JXZP_SRCDIR");
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/tests/fuzz/seeds", top ? top : ".");
	DIR *d = opendir(dir);
	if (!d)	/* shipped with the sources: its absence is a broken tree */
		fail_msg("%s: %s", dir, strerror(errno));
	int n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (strncmp(e->d_name, "crash-", 6) != 0)
			continue;
		char path[8192], buf[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		size_t len = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
		buf[len] = '\0';
		struct reading r;
		target_read(buf, NULL, NULL, &r);
		target_read(buf, buf, buf, &r);
		num v;
		target_figure(buf, true, &v, NULL);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(figures_and_units),
		cmocka_unit_test(symbols),
		cmocka_unit_test(nfkc_latex_tags),
		cmocka_unit_test(unit_column),
		cmocka_unit_test(figures_inside_text),
		cmocka_unit_test(dates_and_periods),
		cmocka_unit_test(grades),
		cmocka_unit_test(empty_and_text),
		cmocka_unit_test(figure_cells),
		cmocka_unit_test(fuzz_crashes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
