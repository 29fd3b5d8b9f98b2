/* Unit tests of src/doc: one form being worked on, against a real store in a
 * temporary database.  What the screen and `jxzp set` rely on: a save is
 * refused when stale or on a submitted form and then leaves memory as
 * saved; the findings and the cached summary follow every change. */
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

#include "doc.h"

struct fx {
	char dir[64];
	char path[128];
	struct store *s;
	int64_t id;
};

static void set(struct form *f, const char *path, const char *value)
{
	const char *err = NULL;
	if (form_set(f, path, value, &err) != 0)
		fail_msg("form_set %s: %s", path, err);
}

/* A form the rules find no error in: budget 10 + 50 + 30 + 10 = 100. */
static struct form *clean_form(void)
{
	struct form *f = form_new();
	set(f, "year", "2024");
	set(f, "project", "测试项目");
	set(f, "department", "北京市朝阳区人民政府");
	set(f, "unit", "北京市朝阳区测试单位");
	set(f, "funds.total.initial", "100");
	set(f, "funds.total.budget", "100");
	set(f, "funds.total.spent", "100");
	set(f, "funds.total.weight", "10");
	set(f, "funds.total.rate", "100%");
	set(f, "funds.total.score", "10");
	set(f, "funds.appropriation.initial", "100");
	set(f, "funds.appropriation.budget", "100");
	set(f, "funds.appropriation.spent", "100");
	set(f, "funds.appropriation.rate", "100%");
	set(f, "goals.expected", "完成全年运维。");
	set(f, "goals.achieved", "已完成全年运维。");
	static const char *const rows[3][10] = {
		{ "产出指标", "数量指标", "运维设备数量", "≥", "50", "台", "50", "50", "50", "" },
		{ "效益指标", "社会效益指标", "系统可用率", "≥", "99", "%", "99.5", "30", "30", "" },
		{ "满意度指标", "服务对象满意度指标", "用户满意度", "≥", "90", "%", "95", "10", "10", "" },
	};
	for (size_t i = 0; i < 3; i++) {
		struct indicator *in = form_add_indicator(f, i);
		assert_non_null(in);
		for (int k = 0; k < IND_FIELDS; k++)
			in->v[k] = xstrdup(rows[i][k]);
	}
	set(f, "total.weight", "100");
	set(f, "total.score", "100");
	set(f, "total.grade", "优");
	return f;
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	snprintf(x->dir, sizeof x->dir, "/tmp/jxzp-doc.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	snprintf(x->path, sizeof x->path, "%s/t.db", x->dir);
	char err[256];
	int code;
	x->s = store_open(x->path, err, sizeof err, &code);
	if (!x->s)
		fail_msg("store_open: %s", err);
	struct form *f = clean_form();
	assert_int_equal(store_insert(x->s, f), STORE_OK);
	x->id = f->id;
	form_free(f);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	store_close(x->s);
	char cmd[160];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", x->dir);
	assert_int_equal(system(cmd), 0);
	free(x);
	return 0;
}

struct cached {
	int64_t id;
	char score[16], grade[8];
	int errors;
};

static int find_row(const struct form_row *r, void *arg)
{
	struct cached *c = arg;
	if (r->id == c->id) {
		snprintf(c->score, sizeof c->score, "%s", r->score ? r->score : "");
		snprintf(c->grade, sizeof c->grade, "%s", r->grade ? r->grade : "");
		c->errors = r->errors;
	}
	return 0;
}

static struct cached cached(struct store *s, int64_t id)
{
	struct cached c = { .id = id, .errors = -1 };
	struct store_filter none = { 0 };
	assert_int_equal(store_list(s, &none, find_row, &c), STORE_OK);
	return c;
}

static int count_history(const struct history_row *r, void *arg)
{
	(void)r;
	++*(int *)arg;
	return 0;
}

static void open_unknown(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id + 1000), STORE_NOTFOUND);
	assert_null(d.f);
	assert_non_null(strstr(d.err, "1001"));
	doc_close(&d);
}

static void set_saves_checks_and_caches(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	assert_int_equal(d.chk->errors, 0);
	int64_t v0 = d.f->version;
	int h0 = 0;
	store_history(x->s, x->id, count_history, &h0);

	/* spent 90 of 100: the printed rate and budget score are now wrong */
	assert_int_equal(doc_set(&d, "funds.total.spent", "90"), STORE_OK);
	assert_string_equal(d.f->funds[FUND_TOTAL][FUND_SPENT], "90");
	assert_true(d.f->version > v0);
	assert_true(d.chk->errors > 0);
	const struct finding *fi[8];
	assert_true(rules_findings_for(d.chk, "funds.total.rate", fi, 8) >= 1);

	/* saved, with one history row */
	struct form *g;
	assert_int_equal(store_load(x->s, x->id, &g), STORE_OK);
	assert_string_equal(g->funds[FUND_TOTAL][FUND_SPENT], "90");
	assert_int_equal(g->version, d.f->version);
	form_free(g);
	int h1 = 0;
	store_history(x->s, x->id, count_history, &h1);
	assert_int_equal(h1, h0 + 1);

	/* the cached summary follows the errors */
	struct cached c = cached(x->s, x->id);
	assert_int_equal(c.errors, d.chk->errors);
	assert_string_equal(c.score, d.chk->total_score);

	/* setting the same value again records nothing */
	assert_int_equal(doc_set(&d, "funds.total.spent", "90"), STORE_OK);
	int h2 = 0;
	store_history(x->s, x->id, count_history, &h2);
	assert_int_equal(h2, h1);

	/* and back: no errors, cache follows */
	assert_int_equal(doc_set(&d, "funds.total.spent", "100"), STORE_OK);
	assert_int_equal(d.chk->errors, 0);
	c = cached(x->s, x->id);
	assert_int_equal(c.errors, 0);
	assert_string_equal(c.score, "100.00");
	assert_string_equal(c.grade, "优");
	/* lower indicator scores move the total and the grade:
	 * 10 + 50 + 30 + 8 = 98 (优), then 10 + 50 + 0 + 8 = 68 (中) */
	assert_int_equal(doc_set(&d, "indicators[2].score", "8"), STORE_OK);
	c = cached(x->s, x->id);
	assert_string_equal(c.score, "98.00");
	assert_int_equal(doc_set(&d, "indicators[1].score", "0"), STORE_OK);
	c = cached(x->s, x->id);
	assert_string_equal(c.score, "68.00");
	assert_string_equal(c.grade, "中");
	doc_close(&d);
}

static void bad_paths_change_nothing(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	int64_t v = d.f->version;
	assert_int_equal(doc_set(&d, "funds.total.colour", "red"), STORE_BADPATH);
	assert_non_null(strstr(d.err, "funds.total.colour"));
	assert_int_equal(doc_set(&d, "indicators[3].actual", "1"), STORE_BADPATH);
	assert_int_equal(doc_set(&d, "year", "twenty"), STORE_BADPATH);
	assert_int_equal(d.f->year, 2024);
	assert_int_equal(doc_set(&d, "layout", "district-2099"), STORE_BADPATH);
	assert_string_equal(d.f->layout, "district-2024");
	assert_int_equal(d.f->version, v);
	doc_close(&d);
}

static void stale_is_refused(void **state)
{
	struct fx *x = *state;
	struct doc a, b;
	assert_int_equal(doc_open(&a, x->s, x->id), STORE_OK);
	assert_int_equal(doc_open(&b, x->s, x->id), STORE_OK);
	assert_int_equal(doc_set(&a, "project", "甲改的"), STORE_OK);
	assert_int_equal(doc_set(&b, "project", "乙改的"), STORE_STALE);
	assert_non_null(strstr(b.err, "changed elsewhere"));
	/* b's memory is as saved when b loaded it, not as b tried */
	assert_string_equal(b.f->project, "测试项目");
	struct form *g;
	assert_int_equal(store_load(x->s, x->id, &g), STORE_OK);
	assert_string_equal(g->project, "甲改的");
	form_free(g);
	doc_close(&a);
	doc_close(&b);
}

/* The rules run before the save (so the save and the cache it moves are one
 * transaction): a refused save must put the findings and the cache back. */
static void a_refused_save_leaves_findings_and_cache(void **state)
{
	struct fx *x = *state;
	struct doc a, b;
	assert_int_equal(doc_open(&a, x->s, x->id), STORE_OK);
	assert_int_equal(doc_open(&b, x->s, x->id), STORE_OK);
	char before[16];
	snprintf(before, sizeof before, "%s", b.chk->total_score);
	int errors = b.chk->errors;
	assert_int_equal(doc_set(&a, "lead", "张三"), STORE_OK);
	struct cached c0 = cached(x->s, x->id);
	/* a score of 0 on row 3 would move b's total: refused as stale */
	assert_int_equal(doc_set(&b, "indicators[2].score", "0"), STORE_STALE);
	assert_string_equal(b.chk->total_score, before);
	assert_int_equal(b.chk->errors, errors);
	struct cached c1 = cached(x->s, x->id);
	assert_string_equal(c1.score, c0.score);
	assert_int_equal(c1.errors, c0.errors);
	/* and a's own change of the same cell moves both the total and the cache
	 * in the one save */
	int64_t v = a.f->version;
	assert_int_equal(doc_set(&a, "indicators[2].score", "0"), STORE_OK);
	assert_int_equal(a.f->version, v + 1);
	assert_string_not_equal(a.chk->total_score, before);
	struct cached c2 = cached(x->s, x->id);
	assert_string_equal(c2.score, a.chk->total_score);
	doc_close(&a);
	doc_close(&b);
}

static void status_flow(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	/* with an error, submit is refused and nothing moves */
	assert_int_equal(doc_set(&d, "funds.total.spent", "90"), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_READONLY);
	assert_non_null(strstr(d.err, "before submitting"));
	assert_int_equal(d.f->status, STATUS_DRAFT);
	assert_int_equal(doc_set(&d, "funds.total.spent", "100"), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_OK);
	assert_int_equal(d.f->status, STATUS_SUBMITTED);
	/* submitted: read-only, and memory keeps the saved value */
	assert_int_equal(doc_set(&d, "project", "改"), STORE_READONLY);
	assert_string_equal(d.f->project, "测试项目");
	assert_int_equal(doc_add_row(&d, 0), STORE_READONLY);
	assert_int_equal(d.f->n_ind, 3);
	/* approve only from submitted; return needs a reason */
	assert_int_equal(doc_set_status(&d, STATUS_RETURNED, ""), STORE_BADPATH);
	assert_int_equal(doc_set_status(&d, STATUS_RETURNED, "请补充"), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_APPROVED, NULL), STORE_READONLY);
	assert_int_equal(doc_set(&d, "project", "改过了"), STORE_OK);	/* returned: editable */
	assert_int_equal(doc_set_status(&d, STATUS_SUBMITTED, NULL), STORE_OK);
	assert_int_equal(doc_set_status(&d, STATUS_APPROVED, NULL), STORE_OK);
	struct form *g;
	assert_int_equal(store_load(x->s, x->id, &g), STORE_OK);
	assert_int_equal(g->status, STATUS_APPROVED);
	assert_string_equal(g->project, "改过了");
	form_free(g);
	doc_close(&d);
}

static void rows(void **state)
{
	struct fx *x = *state;
	struct doc d;
	assert_int_equal(doc_open(&d, x->s, x->id), STORE_OK);
	char uuid0[37];
	memcpy(uuid0, d.f->ind[0].uuid, sizeof uuid0);
	/* many rows: the check grows with the form */
	for (int i = 0; i < 20; i++)
		assert_int_equal(doc_add_row(&d, d.f->n_ind), STORE_OK);
	assert_int_equal(d.f->n_ind, 23);
	assert_int_equal(d.chk->n_ind, 23);
	assert_int_equal(doc_set(&d, "indicators[22].name", "最后一行"), STORE_OK);
	assert_int_equal(doc_move_row(&d, 22, 0), STORE_OK);
	assert_string_equal(d.f->ind[0].v[IND_NAME], "最后一行");
	assert_string_equal(d.f->ind[1].uuid, uuid0);
	assert_int_equal(doc_del_row(&d, 0), STORE_OK);
	assert_int_equal(doc_del_row(&d, 99), STORE_BADPATH);
	assert_int_equal(doc_move_row(&d, 0, 99), STORE_BADPATH);
	/* 22 rows now: the 3 first ones, then 19 empty ones */
	for (int i = 0; i < 19; i++)
		assert_int_equal(doc_del_row(&d, d.f->n_ind - 1), STORE_OK);
	struct form *g;
	assert_int_equal(store_load(x->s, x->id, &g), STORE_OK);
	assert_int_equal(g->n_ind, 3);
	assert_string_equal(g->ind[0].uuid, uuid0);
	assert_true(form_equal(g, d.f));
	form_free(g);
	assert_int_equal(d.chk->errors, 0);
	doc_close(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(set_saves_checks_and_caches, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_paths_change_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(stale_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(a_refused_save_leaves_findings_and_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(status_flow, setup, teardown),
		cmocka_unit_test_setup_teardown(rows, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
