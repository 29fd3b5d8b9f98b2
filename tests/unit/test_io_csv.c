/* Unit tests of src/io_csv: BOM, header, RFC 4180 quoting, one row per
 * indicator; expected bytes written out by hand. */
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

static char *csv_of(struct form *const *forms, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_int_equal(io_csv_write(out, forms, n), 0);
	fclose(out);
	return buf;
}

static struct form *small(void)
{
	struct form *f = form_new();
	const char *err;
	form_set(f, "year", "2024", &err);
	form_set(f, "unit", "某局", &err);
	form_set(f, "project", "项目\"甲\", 一期", &err);
	form_set(f, "layout", "district-2024", &err);
	form_add_indicator(f, 0);
	form_set(f, "indicators[0].level1", "产出指标", &err);
	form_set(f, "indicators[0].name", "第一行\n第二行", &err);
	form_set(f, "indicators[0].target", "≥95%", &err);
	form_set(f, "indicators[0].weight", "10", &err);
	return f;
}

static void quoting_and_header(void **state)
{
	(void)state;
	struct form *f = small();
	char *csv = csv_of(&f, 1);
	const char *want =
		"\xEF\xBB\xBF"
		"year,unit,department,project,layout,row,level1,level2,name,nature,target,"
		"unit_of_measure,actual,weight,score,deviation\r\n"
		"2024,某局,,\"项目\"\"甲\"\", 一期\",district-2024,1,产出指标,,"
		"\"第一行\n第二行\",,≥95%,,,10,,\r\n";
	assert_string_equal(csv, want);
	free(csv);
	form_free(f);
}

static void form_without_rows_keeps_a_row(void **state)
{
	(void)state;
	struct form *f = form_new();
	const char *err;
	form_set(f, "year", "2023", &err);
	form_set(f, "unit", "U", &err);
	form_set(f, "project", "P", &err);
	form_set(f, "layout", "district-2023", &err);
	char *csv = csv_of(&f, 1);
	const char *body = strstr(csv, "\r\n") + 2;
	assert_string_equal(body, "2023,U,,P,district-2023,,,,,,,,,,,\r\n");
	free(csv);
	form_free(f);
}

/* All 20 fengtai forms: one line per indicator (no value there holds a
 * newline), 16 fields each, the first form's third row as printed. */
static void sample_file(void **state)
{
	(void)state;
	const char *src = getenv("JXZP_SRCDIR");
	char path[1024];
	snprintf(path, sizeof path, "%s/tests/fixtures/fengtai-2023.txt", src ? src : ".");
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	struct io_result r;
	assert_int_equal(io_text_read(buf, n, "f", &r), 0);
	size_t rows = 0;
	for (size_t i = 0; i < r.n_forms; i++)
		rows += r.forms[i]->n_ind;
	char *csv = csv_of(r.forms, r.n_forms);
	size_t lines = 0;
	for (char *p = csv; (p = strstr(p, "\r\n")); p += 2)
		lines++;
	assert_int_equal(lines, rows + 1);
	assert_non_null(strstr(csv, "\r\n2023,北京市丰台区大数据管理中心,北京市丰台区科学技术和信息化局,"
				    "2023 机房硬件维护及施工维修维护,district-2023,3,产出指标,时效指标,"
				    "应急响应时间,,≤2 小时,,0.5 小时,10,10,\r\n"));
	free(csv);
	io_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(quoting_and_header),
		cmocka_unit_test(form_without_rows_keeps_a_row),
		cmocka_unit_test(sample_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
