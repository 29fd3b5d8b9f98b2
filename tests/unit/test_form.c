/* Unit tests of src/form: the model and its field paths. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>
#include <stdlib.h>

#include "form.h"

static struct form *sample(void)
{
	struct form *f = form_new();
	const char *err;
	assert_int_equal(form_set(f, "year", "2024", &err), 0);
	assert_int_equal(form_set(f, "project", "2022-2023年朝阳区互联网接入服务", &err), 0);
	assert_int_equal(form_set(f, "unit", "北京市朝阳区数据局", &err), 0);
	assert_int_equal(form_set(f, "funds.total.budget", "738.62892", &err), 0);
	for (int i = 0; i < 3; i++)
		assert_non_null(form_add_indicator(f, (size_t)i));
	assert_int_equal(form_set(f, "indicators[0].name", "总带宽数量", &err), 0);
	assert_int_equal(form_set(f, "indicators[1].name", "可用率", &err), 0);
	assert_int_equal(form_set(f, "indicators[2].name", "用户满意度", &err), 0);
	assert_int_equal(form_set(f, "indicators[2].actual", "85", &err), 0);
	return f;
}

static void paths_get_and_set(void **state)
{
	struct form *f = sample();
	char scratch[FORM_SCRATCH];
	assert_string_equal(form_get(f, "year", scratch), "2024");
	assert_string_equal(form_get(f, "funds.total.budget", scratch), "738.62892");
	assert_null(form_get(f, "funds.other.spent", scratch));
	assert_string_equal(form_get(f, "indicators[2].actual", scratch), "85");
	assert_string_equal(form_get(f, "layout", scratch), DEFAULT_LAYOUT);
	/* absent and empty differ */
	const char *err;
	assert_int_equal(form_set(f, "lead", "", &err), 0);
	assert_string_equal(form_get(f, "lead", scratch), "");
	assert_int_equal(form_set(f, "lead", NULL, &err), 0);
	assert_null(form_get(f, "lead", scratch));
	form_free(f);
}

static void bad_paths_are_refused(void **state)
{
	struct form *f = sample();
	const char *err = NULL;
	const char *bad[] = { "", "nope", "funds.total", "funds.total.nope", "funds.x.budget",
			      "indicators[3].name", "indicators[-1].name", "indicators[1]", "indicators[1].",
			      "indicators[99999999999999999999].name", "goals" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(form_set(f, bad[i], "x", &err), -1);
		assert_non_null(err);
		assert_false(form_path_valid(f, bad[i]));
	}
	assert_int_equal(form_set(f, "year", "二〇二四", &err), -1);
	assert_int_equal(form_set(f, "layout", "nope", &err), -1);
	assert_int_equal(form_set(f, "layout", "district-2023", &err), 0);
	form_free(f);
}

static int count(const char *path, const char *value, void *arg)
{
	(*(int *)arg)++;
	return 0;
}

static void every_field_in_paper_order(void **state)
{
	struct form *f = sample();
	int n = 0;
	form_each_field(f, count, &n);
	/* year + 5 header + 24 funds + 2 goals + 3*10 indicators + 3 total + layout + ruleset */
	assert_int_equal(n, 1 + 5 + 24 + 2 + 30 + 3 + 2);
	form_free(f);
}

static void copy_and_equal(void **state)
{
	struct form *f = sample();
	struct form *c = form_copy(f);
	assert_true(form_equal(f, c));
	assert_string_equal(f->ind[1].uuid, c->ind[1].uuid);
	const char *err;
	form_set(c, "indicators[1].score", "9", &err);
	assert_false(form_equal(f, c));
	form_free(c);
	form_free(f);
}

static void rows_add_delete_move(void **state)
{
	struct form *f = sample();
	char scratch[FORM_SCRATCH];
	char uuid0[37];
	strcpy(uuid0, f->ind[0].uuid);
	form_move_indicator(f, 0, 2);
	assert_string_equal(form_get(f, "indicators[0].name", scratch), "可用率");
	assert_string_equal(form_get(f, "indicators[2].name", scratch), "总带宽数量");
	assert_string_equal(f->ind[2].uuid, uuid0);
	form_move_indicator(f, 2, 0);
	assert_string_equal(form_get(f, "indicators[0].name", scratch), "总带宽数量");
	form_del_indicator(f, 1);
	assert_int_equal(f->n_ind, 2);
	assert_string_equal(form_get(f, "indicators[1].name", scratch), "用户满意度");
	for (int i = 0; i < 20; i++)
		assert_non_null(form_add_indicator(f, f->n_ind));
	assert_int_equal(f->n_ind, 22);
	assert_string_equal(form_get(f, "indicators[1].actual", scratch), "85");
	form_free(f);
}

static void labels_are_the_papers(void **state)
{
	char buf[96];
	assert_string_equal(form_path_label("funds.total.spent", buf, sizeof buf), "年度资金总额·全年执行数（B）");
	assert_string_equal(form_path_label("indicators[2].deviation", buf, sizeof buf), "第3行·偏差原因分析及改进措施");
	assert_string_equal(form_path_label("project", buf, sizeof buf), "项目名称");
}

static void uuids_are_v4_and_distinct(void **state)
{
	char a[37], b[37];
	uuid_make(a);
	uuid_make(b);
	assert_int_equal(strlen(a), 36);
	assert_int_equal(a[14], '4');
	assert_string_not_equal(a, b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(paths_get_and_set),
		cmocka_unit_test(bad_paths_are_refused),
		cmocka_unit_test(every_field_in_paper_order),
		cmocka_unit_test(copy_and_equal),
		cmocka_unit_test(rows_add_delete_move),
		cmocka_unit_test(labels_are_the_papers),
		cmocka_unit_test(uuids_are_v4_and_distinct),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
