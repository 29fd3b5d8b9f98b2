/*
 * Unit tests of src/store_iter: store_each_form hands over every live form
 * whole, exactly as store_load reads it, in store_list's order, filtered as
 * store_list filters; stops when asked; skips deleted forms.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "form.h"
#include "store.h"
#include "store_iter.h"

struct t {
	char dir[64], path[128];
	struct store *s;
	int64_t id[5];
};

/* Forms with unit, year, project, rows; in an order store_list does not
 * keep, so the test sees the sort. */
static const struct { const char *unit; int year; const char *project; int rows; } spec[5] = {
	{ "乙单位", 2024, "项目B", 3 },
	{ "甲单位", 2024, "项目A", 0 },	/* no rows between forms with rows */
	{ "甲单位", 2023, "项目C", 2 },
	{ "乙单位", 2024, "项目A", 1 },
	{ "甲单位", 2024, "项目已删", 2 },	/* deleted below */
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof *t);
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof t->dir, "%s/jxzp-iter-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/jxzp.db", t->dir);
	char err[256];
	int code;
	t->s = store_open(t->path, err, sizeof err, &code);
	assert_non_null(t->s);
	for (int i = 0; i < 5; i++) {
		struct form *f = form_new();
		const char *e;
		char v[64];
		f->year = spec[i].year;
		set_str(&f->unit, spec[i].unit);
		set_str(&f->project, spec[i].project);
		set_str(&f->lead, i == 0 ? "" : NULL);	/* empty and absent differ */
		snprintf(v, sizeof v, "%d.5", 100 + i);
		assert_int_equal(form_set(f, "funds.total.budget", v, &e), 0);
		assert_int_equal(form_set(f, "funds.carryover.spent", "1", &e), 0);
		assert_int_equal(form_set(f, "goals.expected", "目标\n第二行", &e), 0);
		for (int r = 0; r < spec[i].rows; r++) {
			assert_non_null(form_add_indicator(f, (size_t)r));
			snprintf(v, sizeof v, "指标%d-%d", i, r);
			f->ind[r].v[IND_NAME] = xstrdup(v);
			f->ind[r].v[IND_WEIGHT] = xstrdup("10");
		}
		assert_int_equal(store_insert(t->s, f), STORE_OK);
		t->id[i] = f->id;
		form_free(f);
	}
	assert_int_equal(store_delete(t->s, t->id[4]), STORE_OK);
	/* a row moved after insert: the walk must follow pos, not insertion */
	struct form *f;
	assert_int_equal(store_load(t->s, t->id[0], &f), STORE_OK);
	form_move_indicator(f, 0, 2);
	assert_int_equal(store_save_form(t->s, f), STORE_OK);
	form_free(f);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	store_close(t->s);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

struct seen {
	struct store *s;
	int64_t id[8];
	int n, stop_after;
};

static int compare(struct form *f, void *arg)
{
	struct seen *sn = arg;
	struct form *g;
	assert_int_equal(store_load(sn->s, f->id, &g), STORE_OK);
	assert_true(form_equal(f, g));
	assert_string_equal(f->uuid, g->uuid);
	assert_int_equal(f->version, g->version);
	assert_int_equal(f->status, g->status);
	assert_string_equal(f->updated, g->updated);
	assert_int_equal(f->n_ind, g->n_ind);
	for (size_t i = 0; i < f->n_ind; i++)
		assert_string_equal(f->ind[i].uuid, g->ind[i].uuid);
	form_free(g);
	assert_true(sn->n < 8);
	sn->id[sn->n++] = f->id;
	form_free(f);	/* ours */
	return sn->stop_after && sn->n == sn->stop_after;
}

static void every_form_as_store_load_reads_it(void **state)
{
	struct t *t = *state;
	struct seen sn = { .s = t->s };
	assert_int_equal(store_each_form(t->s, NULL, compare, &sn), STORE_OK);
	/* by unit, year, project (the bytes of UTF-8: 乙 E4B999 < 甲 E794B2):
	 * 乙/2024/项目A, 乙/2024/项目B, 甲/2023/项目C, 甲/2024/项目A; not the deleted one */
	assert_int_equal(sn.n, 4);
	assert_int_equal(sn.id[0], t->id[3]);
	assert_int_equal(sn.id[1], t->id[0]);
	assert_int_equal(sn.id[2], t->id[2]);
	assert_int_equal(sn.id[3], t->id[1]);
}

static void rows_and_figures_come_whole(void **state)
{
	struct t *t = *state;
	struct seen sn = { .s = t->s };
	struct store_filter flt = { .unit = "乙单位", .year = 2024 };
	assert_int_equal(store_each_form(t->s, &flt, compare, &sn), STORE_OK);
	assert_int_equal(sn.n, 2);
	assert_int_equal(sn.id[0], t->id[3]);
	assert_int_equal(sn.id[1], t->id[0]);
}

static int keep(struct form *f, void *arg)
{
	struct form **slot = arg;
	if (!*slot)
		*slot = f;
	else
		form_free(f);
	return 0;
}

static void the_values_by_hand(void **state)
{
	struct t *t = *state;
	struct form *f = NULL;
	struct store_filter flt = { .text = "项目B" };
	assert_int_equal(store_each_form(t->s, &flt, keep, &f), STORE_OK);
	assert_non_null(f);
	assert_int_equal(f->id, t->id[0]);
	assert_int_equal(f->year, 2024);
	assert_string_equal(f->unit, "乙单位");
	assert_string_equal(f->lead, "");
	assert_null(f->phone);
	assert_string_equal(f->funds[FUND_TOTAL][FUND_BUDGET], "100.5");
	assert_string_equal(f->funds[FUND_CARRYOVER][FUND_SPENT], "1");
	assert_null(f->funds[FUND_OTHER][FUND_SPENT]);
	assert_string_equal(f->goals_expected, "目标\n第二行");
	assert_int_equal(f->n_ind, 3);
	/* moved: 0-0 went to the end */
	assert_string_equal(f->ind[0].v[IND_NAME], "指标0-1");
	assert_string_equal(f->ind[1].v[IND_NAME], "指标0-2");
	assert_string_equal(f->ind[2].v[IND_NAME], "指标0-0");
	assert_string_equal(f->ind[1].v[IND_WEIGHT], "10");
	assert_null(f->ind[1].v[IND_ACTUAL]);
	assert_string_equal(f->layout, DEFAULT_LAYOUT);
	form_free(f);
}

static void stops_when_asked(void **state)
{
	struct t *t = *state;
	struct seen sn = { .s = t->s, .stop_after = 2 };
	assert_int_equal(store_each_form(t->s, NULL, compare, &sn), STORE_OK);
	assert_int_equal(sn.n, 2);
	/* and the store is usable after: no transaction left open */
	int64_t v;
	assert_int_equal(store_save_field(t->s, t->id[1], 1, "lead", "张三", &v), STORE_OK);
	assert_int_equal(v, 2);
}

static void nothing_matches(void **state)
{
	struct t *t = *state;
	struct seen sn = { .s = t->s };
	struct store_filter flt = { .status = "approved" };
	assert_int_equal(store_each_form(t->s, &flt, compare, &sn), STORE_OK);
	assert_int_equal(sn.n, 0);
}

struct lost {
	int n, with_id0, rows;
	bool funds_everywhere;
};

static int count_lost(struct form *f, void *arg)
{
	struct lost *l = arg;
	l->n++;
	l->with_id0 += f->id == 0;
	l->rows += (int)f->n_ind;
	l->funds_everywhere &= f->funds[FUND_TOTAL][FUND_BUDGET] != NULL;
	form_free(f);
	return 0;
}

/* A form whose local row is missing (a damaged or half-merged database)
 * still comes, with id 0, and the forms after it keep their own rows. */
static void a_form_without_its_local_row(void **state)
{
	struct t *t = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	char sql[200];
	/* 乙/2024/项目A sorts first: every other form comes after it */
	snprintf(sql, sizeof sql, "DELETE FROM form_local WHERE id = %lld", (long long)t->id[3]);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	struct lost l = { .funds_everywhere = true };
	assert_int_equal(store_each_form(t->s, NULL, count_lost, &l), STORE_OK);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.with_id0, 1);
	assert_int_equal(l.rows, 1 + 3 + 2 + 0);
	assert_true(l.funds_everywhere);
}

static int compare_lent(const struct form *f, void *arg)
{
	struct seen *sn = arg;
	struct form *g;
	assert_int_equal(store_load(sn->s, f->id, &g), STORE_OK);
	assert_true(form_equal(f, g));
	assert_string_equal(f->uuid, g->uuid);
	assert_int_equal(f->version, g->version);
	assert_int_equal(f->status, g->status);
	assert_string_equal(f->updated, g->updated);
	assert_int_equal(f->n_ind, g->n_ind);
	for (size_t i = 0; i < f->n_ind; i++)
		assert_string_equal(f->ind[i].uuid, g->ind[i].uuid);
	form_free(g);
	assert_true(sn->n < 8);
	sn->id[sn->n++] = f->id;
	return sn->stop_after && sn->n == sn->stop_after;
}

/* The lent walk reads the same forms into memory it reuses: each is whole
 * and as store_load reads it, though the one before it had more rows. */
static void lent_forms_as_store_load_reads_them(void **state)
{
	struct t *t = *state;
	struct seen sn = { .s = t->s };
	assert_int_equal(store_each_form_view(t->s, NULL, compare_lent, &sn), STORE_OK);
	assert_int_equal(sn.n, 4);
	assert_int_equal(sn.id[0], t->id[3]);
	assert_int_equal(sn.id[1], t->id[0]);
	assert_int_equal(sn.id[2], t->id[2]);
	assert_int_equal(sn.id[3], t->id[1]);
	sn = (struct seen){ .s = t->s, .stop_after = 1 };
	assert_int_equal(store_each_form_view(t->s, NULL, compare_lent, &sn), STORE_OK);
	assert_int_equal(sn.n, 1);
}

/* Rows of the same position (a damaged or merged database) come in uuid
 * order, as store_load orders them, whatever order they were stored in. */
static void equal_positions_in_uuid_order(void **state)
{
	struct t *t = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	char sql[300];
	/* the three rows of 项目B at one position; uuids made to sort against
	 * their rowid order */
	snprintf(sql, sizeof sql,
		 "UPDATE indicator SET pos = 7, uuid = printf('%%08d-0000-4000-8000-000000000000', 99 - rowid)"
		 " WHERE form_uuid = (SELECT form_uuid FROM form_local WHERE id = %lld)",
		 (long long)t->id[0]);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_changes(db), 3);
	sqlite3_close(db);
	struct seen sn = { .s = t->s };
	assert_int_equal(store_each_form_view(t->s, NULL, compare_lent, &sn), STORE_OK);
	assert_int_equal(sn.n, 4);
	sn = (struct seen){ .s = t->s };
	assert_int_equal(store_each_form(t->s, NULL, compare, &sn), STORE_OK);
	assert_int_equal(sn.n, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(every_form_as_store_load_reads_it, setup, teardown),
		cmocka_unit_test_setup_teardown(rows_and_figures_come_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(the_values_by_hand, setup, teardown),
		cmocka_unit_test_setup_teardown(stops_when_asked, setup, teardown),
		cmocka_unit_test_setup_teardown(nothing_matches, setup, teardown),
		cmocka_unit_test_setup_teardown(a_form_without_its_local_row, setup, teardown),
		cmocka_unit_test_setup_teardown(lent_forms_as_store_load_reads_them, setup, teardown),
		cmocka_unit_test_setup_teardown(equal_positions_in_uuid_order, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
