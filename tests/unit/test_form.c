/* Unit tests of src/form: the model and its field paths. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

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
	/* every fund cell by its row's and column's labels; near misses are paths */
	for (int r = 0; r < FUND_ROWS; r++)
		for (int c = 0; c < FUND_COLS; c++) {
			char p[64], want[96];
			snprintf(p, sizeof p, "funds.%s.%s", fund_row_key[r], fund_col_key[c]);
			snprintf(want, sizeof want, "%s·%s", fund_row_label[r], fund_col_label[c]);
			assert_string_equal(form_path_label(p, buf, sizeof buf), want);
		}
	static const char *const miss[] = { "funds.total", "funds.total.", "funds.totalx.spent",
					    "funds.total.spentx", "funds..spent", "funds.tota.spent" };
	for (size_t i = 0; i < sizeof miss / sizeof miss[0]; i++)
		assert_string_equal(form_path_label(miss[i], buf, sizeof buf), miss[i]);
}

/* The 48-bit Unix milliseconds at the front of a UUIDv7. */
static uint64_t uuid_ms(const char *u)
{
	char hex[13];
	memcpy(hex, u, 8);
	memcpy(hex + 8, u + 9, 4);
	hex[12] = '\0';
	return strtoull(hex, NULL, 16);
}

static void assert_v7(const char *u)
{
	assert_int_equal(strlen(u), 36);
	for (int i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23)
			assert_int_equal(u[i], '-');
		else
			assert_non_null(strchr("0123456789abcdef", u[i]));
	assert_int_equal(u[14], '7');			/* version */
	assert_non_null(strchr("89ab", u[19]));		/* variant 10xx */
}

static void uuids_are_v7_distinct_and_increasing(void **state)
{
	(void)state;
	char prev[37], u[37];
	uint64_t before = (uint64_t)time(NULL) * 1000;
	uuid_make(prev);
	assert_v7(prev);
	/* now's time, to the second */
	assert_true(uuid_ms(prev) + 1000 >= before && uuid_ms(prev) <= before + 2000);
	for (int i = 0; i < 20000; i++) {
		uuid_make(u);
		assert_v7(u);
		assert_true(strcmp(u, prev) > 0);
		memcpy(prev, u, sizeof u);
	}
}

/* 10,000 in one millisecond overflow the 12-bit counter: the next
 * milliseconds are borrowed, a few; a clock stepping back changes nothing. */
static void uuids_increase_past_the_counter_and_a_clock_going_back(void **state)
{
	(void)state;
	const uint64_t t = 4102444800000ULL;	/* 2100-01-01, after any real clock */
	char prev[37], u[37];
	uuid_make_at(prev, t);
	assert_int_equal(uuid_ms(prev), t);
	for (int i = 0; i < 10000; i++) {
		uuid_make_at(u, i < 9000 ? t : t - 5000);
		assert_v7(u);
		assert_true(strcmp(u, prev) > 0);
		memcpy(prev, u, sizeof u);
	}
	/* at most 4096 a millisecond, at least 2048 */
	assert_true(uuid_ms(prev) >= t + 2 && uuid_ms(prev) <= t + 5);
	uuid_make_at(u, t + 1000);	/* the clock catches up: its own time */
	assert_int_equal(uuid_ms(u), t + 1000);
	assert_true(strcmp(u, prev) > 0);
}

/* Every field of a full form, each with a value naming its path. */
static int fill(const char *path, const char *value, void *arg)
{
	(void)value;
	struct form *f = arg;
	const char *err;
	char v[96];
	if (strcmp(path, "year") == 0 || strcmp(path, "layout") == 0 ||
	    strcmp(path, "ruleset") == 0)
		return 0;
	snprintf(v, sizeof v, "v:%s", path);
	assert_int_equal(form_set(f, path, v, &err), 0);
	return 0;
}

/* The paths a carried-forward form keeps, worked out by hand from issue 5
 * item 5 (rows 0 and 1 of a two-row form). */
static const char *const kept_paths[] = {
	"project", "department", "unit", "lead", "phone", "goals.expected",
	"funds.total.weight", "funds.appropriation.weight", "funds.carryover.weight",
	"funds.other.weight", "total.weight",
	"indicators[0].level1", "indicators[0].level2", "indicators[0].name",
	"indicators[0].nature", "indicators[0].target", "indicators[0].unit_of_measure",
	"indicators[0].weight",
	"indicators[1].level1", "indicators[1].level2", "indicators[1].name",
	"indicators[1].nature", "indicators[1].target", "indicators[1].unit_of_measure",
	"indicators[1].weight",
};

struct carry_check {
	const struct form *next;
	int kept, cleared;
};

static int check_carried(const char *path, const char *value, void *arg)
{
	struct carry_check *cc = arg;
	char scratch[FORM_SCRATCH];
	const char *got = form_get(cc->next, path, scratch);
	if (strcmp(path, "year") == 0 || strcmp(path, "layout") == 0 ||
	    strcmp(path, "ruleset") == 0)
		return 0;
	bool keep = false;
	for (size_t i = 0; i < sizeof kept_paths / sizeof kept_paths[0]; i++)
		keep |= strcmp(path, kept_paths[i]) == 0;
	if (keep) {
		assert_non_null(got);
		assert_string_equal(got, value);
		cc->kept++;
	} else {
		if (got)
			fail_msg("%s was carried forward as \"%s\"", path, got);
		cc->cleared++;
	}
	return 0;
}

static void carry_forward_keeps_the_plan_only(void **state)
{
	struct form *f = form_new();
	const char *err;
	f->year = 2023;
	f->id = 7;
	f->version = 5;
	f->status = STATUS_APPROVED;
	set_str(&f->updated, "2024-03-01T10:00:00Z");
	set_str(&f->return_reason, "v:reason");
	assert_int_equal(form_set(f, "layout", "district-2023", &err), 0);
	assert_int_equal(form_set(f, "ruleset", "beijing-2021", &err), 0);
	assert_non_null(form_add_indicator(f, 0));
	assert_non_null(form_add_indicator(f, 1));
	form_each_field(f, fill, f);

	struct form *n = form_carry_forward(f, 2024);
	assert_int_equal(n->year, 2024);
	assert_int_equal(n->id, 0);
	assert_int_equal(n->version, 0);
	assert_int_equal(n->status, STATUS_DRAFT);
	assert_null(n->updated);
	assert_null(n->return_reason);
	assert_string_equal(n->layout, "district-2023");
	assert_string_equal(n->ruleset, "beijing-2021");
	assert_int_equal(n->n_ind, 2);
	assert_int_equal(strlen(n->uuid), 36);
	assert_string_not_equal(n->uuid, f->uuid);
	assert_string_not_equal(n->ind[0].uuid, f->ind[0].uuid);
	assert_string_not_equal(n->ind[1].uuid, f->ind[1].uuid);
	assert_string_not_equal(n->ind[0].uuid, n->ind[1].uuid);
	/* the plan by name, the rest by walking every path of the source */
	assert_string_equal(n->ind[1].v[IND_TARGET], "v:indicators[1].target");
	assert_string_equal(n->goals_expected, "v:goals.expected");
	assert_null(n->goals_achieved);
	assert_null(n->funds[FUND_TOTAL][FUND_BUDGET]);
	assert_null(n->funds[FUND_TOTAL][FUND_RATE]);
	assert_null(n->ind[0].v[IND_ACTUAL]);
	assert_null(n->ind[0].v[IND_SCORE]);
	assert_null(n->ind[0].v[IND_DEVIATION]);
	assert_null(n->total_score);
	assert_null(n->total_grade);
	struct carry_check cc = { n, 0, 0 };
	form_each_field(f, check_carried, &cc);
	/* 5 header + goal + 4 fund weights + total weight + 2 rows x 7 */
	assert_int_equal(cc.kept, 25);
	/* goals.achieved + 4 x 5 fund figures + 2 rows x 3 + total score, grade */
	assert_int_equal(cc.cleared, 1 + 20 + 6 + 2);
	/* the source is untouched */
	assert_int_equal(f->year, 2023);
	assert_string_equal(f->ind[0].v[IND_ACTUAL], "v:indicators[0].actual");
	form_free(n);
	form_free(f);
}

static void carry_forward_of_an_empty_form(void **state)
{
	struct form *f = form_new();
	free(f->layout);	/* a form as some importer might leave it */
	f->layout = NULL;
	struct form *n = form_carry_forward(f, 2025);
	assert_int_equal(n->n_ind, 0);
	assert_int_equal(n->year, 2025);
	assert_string_equal(n->layout, DEFAULT_LAYOUT);
	assert_string_equal(n->ruleset, DEFAULT_RULESET);
	assert_null(n->project);
	assert_null(n->funds[FUND_TOTAL][FUND_WEIGHT]);
	form_free(n);
	form_free(f);
}

/* People number the rows as the screen does, from 1; the program from 0. */
static void paths_people_type_number_rows_from_1(void **state)
{
	(void)state;
	char out[64], lab[64];
	const char *err = NULL;
	assert_string_equal(form_path_in("indicators[3].actual", out, sizeof out, &err), "indicators[2].actual");
	assert_string_equal(form_path_label(out, lab, sizeof lab), "第3行·实际完成值（B）");
	assert_string_equal(form_path_out("indicators[2].actual", out, sizeof out), "indicators[3].actual");
	assert_string_equal(form_path_in("indicators[1]", out, sizeof out, &err), "indicators[0]");
	assert_string_equal(form_path_out("indicators[0]", out, sizeof out), "indicators[1]");
	assert_null(form_path_in("indicators[0].score", out, sizeof out, &err));
	assert_non_null(strstr(err, "from 1"));
	/* other paths, and a deleted row's name, pass as they are */
	assert_string_equal(form_path_in("funds.total.rate", out, sizeof out, &err), "funds.total.rate");
	assert_string_equal(form_path_out("indicators[deleted:1a2b3c4d].name", out, sizeof out),
			    "indicators[deleted:1a2b3c4d].name");
	assert_string_equal(form_path_in("indicators[x].name", out, sizeof out, &err), "indicators[x].name");
	/* every path out and back in is itself */
	struct form *f = form_new();
	for (int i = 0; i < 3; i++)
		form_add_indicator(f, (size_t)i);
	for (size_t i = 0; i < 3; i++)
		for (int k = 0; k < IND_FIELDS; k++) {
			char p[64], o[64], back[64];
			form_ind_path(p, sizeof p, i, k);
			form_path_out(p, o, sizeof o);
			assert_non_null(form_path_in(o, back, sizeof back, &err));
			assert_string_equal(back, p);
			assert_true(form_path_valid(f, back));
		}
	form_free(f);
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
		cmocka_unit_test(paths_people_type_number_rows_from_1),
		cmocka_unit_test(uuids_are_v7_distinct_and_increasing),
		cmocka_unit_test(uuids_increase_past_the_counter_and_a_clock_going_back),
		cmocka_unit_test(carry_forward_keeps_the_plan_only),
		cmocka_unit_test(carry_forward_of_an_empty_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
