/* Unit tests of src/io_xlsx: the workbook is a valid zip whose sheets hold
 * the values, the merged cells and an A4 landscape page fitted to width
 * (read back with unzip).  Without libxlsxwriter: the clear refusal. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io.h"

#ifdef HAVE_XLSXWRITER
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

/* One member of the zip, as text (caller frees), or NULL. */
static char *member(const char *zip, const char *name)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s' 2>/dev/null", zip, name);
	FILE *p = popen(cmd, "r");
	if (!p)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t k;
	while ((k = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += k;
		if (len + 1 >= cap)
			buf = realloc(buf, cap *= 2);
	}
	buf[len] = '\0';
	int rc = pclose(p);
	if (rc != 0 || len == 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void workbook_holds_the_forms(void **state)
{
	(void)state;
	/* unzip reads the workbook back; ./quickstart installs it */
	if (system("command -v unzip >/dev/null 2>&1") != 0)
		fail_msg("unzip is missing: ./quickstart installs it (apt-get install unzip)");
	struct io_result r;
	read_sample("chaoyang-2024-part.txt", &r);
	char path[] = "/tmp/jxzp-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char err[256] = "";
	assert_int_equal(io_xlsx_write(path, r.forms, r.n_forms, err, sizeof err), 0);

	char cmd[1200];
	snprintf(cmd, sizeof cmd, "unzip -tq '%s' >/dev/null 2>&1", path);
	assert_int_equal(system(cmd), 0);	/* a valid zip */

	char *wbx = member(path, "xl/workbook.xml");
	assert_non_null(wbx);
	/* one sheet per form, named after it */
	size_t sheets = 0;
	for (char *p = wbx; (p = strstr(p, "<sheet ")); p++)
		sheets++;
	assert_int_equal(sheets, r.n_forms);
	assert_non_null(strstr(wbx, "name=\"1 2022-2023年朝阳区互联网接入服务\""));
	free(wbx);

	char *ss = member(path, "xl/sharedStrings.xml");
	assert_non_null(ss);
	assert_non_null(strstr(ss, "<t>项目支出绩效自评表（2024年度）</t>"));
	assert_non_null(strstr(ss, "<t>738.62892</t>"));	/* as printed, not 738.6289 */
	assert_non_null(strstr(ss, "<t>优（有效保障了区内各政务接入统一互联网访问业务的正常运行）</t>"));
	assert_non_null(strstr(ss, "<t>绩效度量单位</t>"));
	assert_non_null(strstr(ss, "<t>绩效指标</t>"));	/* the label column */
	assert_non_null(strstr(ss, "<t>15.00</t>"));	/* 得分 "15" with two decimals */
	assert_non_null(strstr(ss, "<t>30.00</t>"));
	free(ss);

	char *s1 = member(path, "xl/worksheets/sheet1.xml");
	assert_non_null(s1);
	/* column A holds the labels, the ten columns of the 2024 table B..K */
	assert_non_null(strstr(s1, "<mergeCell ref=\"A1:K1\"/>"));	/* the title */
	assert_non_null(strstr(s1, "<mergeCell ref=\"A4:A8\"/>"));	/* 项目资金 over 5 rows */
	assert_non_null(strstr(s1, "<mergeCell ref=\"A11:A17\"/>"));	/* 绩效指标: heads and 6 rows */
	assert_non_null(strstr(s1, "<mergeCell ref=\"B12:B14\"/>"));	/* 产出指标 over 3 rows */
	assert_non_null(strstr(s1, "orientation=\"landscape\""));
	assert_non_null(strstr(s1, "paperSize=\"9\""));
	assert_non_null(strstr(s1, "<pageSetUpPr fitToPage=\"1\"/>"));
	free(s1);
	unlink(path);
	io_result_free(&r);
}

/* A form typed with the paper's "—" cells left blank and scores without
 * decimals: the sheet has the "—", 总分's 分值 summed, "xx.00" scores. */
static void blank_cells_as_on_paper(void **state)
{
	(void)state;
	if (system("command -v unzip >/dev/null 2>&1") != 0)
		skip();
	struct form *f = form_new();
	const char *err;
	form_set(f, "year", "2023", &err);
	form_set(f, "layout", "district-2023", &err);
	form_set(f, "project", "项目", &err);
	form_set(f, "funds.total.budget", "100", &err);
	form_set(f, "funds.total.weight", "10", &err);
	form_set(f, "funds.total.score", "10", &err);
	form_add_indicator(f, 0);
	form_set(f, "indicators[0].name", "指标", &err);
	form_set(f, "indicators[0].weight", "90", &err);
	form_set(f, "indicators[0].score", "87.5", &err);
	form_set(f, "total.score", "97.5", &err);
	char path[] = "/tmp/jxzp-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char e[256] = "";
	assert_int_equal(io_xlsx_write(path, &f, 1, e, sizeof e), 0);
	char *ss = member(path, "xl/sharedStrings.xml");
	assert_non_null(ss);
	assert_non_null(strstr(ss, "<t>—</t>"));
	assert_non_null(strstr(ss, "<t>10.00</t>"));
	assert_non_null(strstr(ss, "<t>87.50</t>"));
	assert_non_null(strstr(ss, "<t>97.50</t>"));
	assert_non_null(strstr(ss, "<t>100</t>"));	/* 总分 分值: 10 + 90 */
	free(ss);
	assert_null(f->total_weight);	/* the form itself is untouched */
	unlink(path);
	form_free(f);
}

static void unwritable_path_is_an_error(void **state)
{
	(void)state;
	struct io_result r;
	read_sample("beijing-cppcc-2021.txt", &r);
	char err[256] = "";
	assert_int_equal(io_xlsx_write("/nonexistent-dir/x.xlsx", r.forms, 1, err, sizeof err), -1);
	assert_true(strlen(err) > 0);
	io_result_free(&r);
}
#else
static void refuses_without_xlsxwriter(void **state)
{
	(void)state;
	char err[256] = "";
	assert_int_equal(io_xlsx_write("/tmp/x.xlsx", NULL, 0, err, sizeof err), -1);
	assert_string_equal(err, "this jxzp was built without XLSX export");
}
#endif

int main(void)
{
	const struct CMUnitTest tests[] = {
#ifdef HAVE_XLSXWRITER
		cmocka_unit_test(workbook_holds_the_forms),
		cmocka_unit_test(blank_cells_as_on_paper),
		cmocka_unit_test(unwritable_path_is_an_error),
#else
		cmocka_unit_test(refuses_without_xlsxwriter),
#endif
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
