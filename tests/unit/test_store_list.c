/*
 * Unit tests of src/store_list and the tally of schema 010: pages read from
 * a key walk the list exactly as store_list orders and filters it, forward
 * and backward, whatever the page size; a form's row is found by its id;
 * store_count's tally follows every write (the store's, a bundle's, plain
 * SQL's) and is filled for a database made before it.
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
#include "schema.h"
#include "store.h"
#include "store_list.h"

#define NFORMS 40

struct t {
	char dir[64], path[128];
	struct store *s;
	int64_t id[NFORMS];
};

struct ids {
	int64_t v[NFORMS * 2];
	char unit[NFORMS * 2][64], project[NFORMS * 2][64];
	int year[NFORMS * 2];
	size_t n;
};

static int take(const struct form_row *r, void *arg)
{
	struct ids *x = arg;
	assert_true(x->n < NFORMS * 2);
	x->v[x->n] = r->id;
	snprintf(x->unit[x->n], sizeof x->unit[0], "%s", r->unit);
	snprintf(x->project[x->n], sizeof x->project[0], "%s", r->project);
	x->year[x->n] = r->year;
	x->n++;
	return 0;
}

static struct store *open_db(const char *path)
{
	char err[256];
	int code;
	struct store *s = store_open(path, err, sizeof err, &code);
	assert_non_null(s);
	return s;
}

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof *t);
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof t->dir, "%s/jxzp-list-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/jxzp.db", t->dir);
	t->s = open_db(t->path);
	/* inserted in an order the list does not keep; units that sort
	 * apart from their insertion, several years, a project "" cannot be */
	for (int i = 0; i < NFORMS; i++) {
		struct form *f = form_new();
		char v[64];
		int k = (i * 17) % NFORMS;
		f->year = 2021 + k % 3;
		snprintf(v, sizeof v, "%s单位%d", k % 2 ? "乙" : "甲", k % 5);
		set_str(&f->unit, v);
		snprintf(v, sizeof v, "项目%02d", k);
		set_str(&f->project, v);
		set_str(&f->department, k % 4 ? "财政局" : "数据局");
		assert_int_equal(store_insert(t->s, f), STORE_OK);
		t->id[i] = f->id;
		form_free(f);
	}
	assert_int_equal(store_delete(t->s, t->id[3]), STORE_OK);
	for (int i = 0; i < NFORMS; i += 3)
		if (i != 3)
			assert_int_equal(store_set_status(t->s, t->id[i], 1, STATUS_SUBMITTED, NULL), STORE_OK);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	store_close(t->s);
	unlink(t->path);
	char p[160];
	snprintf(p, sizeof p, "%s-wal", t->path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", t->path);
	unlink(p);
	rmdir(t->dir);
	free(t);
	return 0;
}

/* Every page of size k forward, then backward, against store_list. */
static void walk(struct t *t, const struct store_filter *flt, size_t k)
{
	struct ids all = { 0 }, fw = { 0 }, bw = { 0 };
	assert_int_equal(store_list(t->s, flt, take, &all), STORE_OK);
	for (;;) {
		size_t was = fw.n;
		struct store_key key = { 0 };
		if (was)
			key = (struct store_key){ fw.unit[was - 1], fw.year[was - 1], fw.project[was - 1] };
		assert_int_equal(store_list_page(t->s, flt, was ? &key : NULL, false, false, k, take, &fw),
				 STORE_OK);
		assert_true(fw.n - was <= k);
		if (fw.n - was < k)
			break;
	}
	for (;;) {
		size_t was = bw.n;
		struct store_key key = { 0 };
		if (was)
			key = (struct store_key){ bw.unit[was - 1], bw.year[was - 1], bw.project[was - 1] };
		assert_int_equal(store_list_page(t->s, flt, was ? &key : NULL, true, false, k, take, &bw),
				 STORE_OK);
		if (bw.n - was < k)
			break;
	}
	assert_int_equal(fw.n, all.n);
	assert_int_equal(bw.n, all.n);
	for (size_t i = 0; i < all.n; i++) {
		assert_int_equal(fw.v[i], all.v[i]);
		assert_int_equal(bw.v[all.n - 1 - i], all.v[i]);
	}
	size_t n;
	assert_int_equal(store_count(t->s, flt, &n), STORE_OK);
	assert_int_equal(n, all.n);
}

static void pages_walk_the_list(void **state)
{
	struct t *t = *state;
	size_t sizes[] = { 1, 2, 7, 39, 40, 100 };
	struct store_filter none = { 0 }, sub = { .status = "submitted" }, text = { .text = "数据" },
		both = { .status = "draft", .text = "乙" }, unit = { .unit = "甲单位2" },
		year = { .year = 2022, .text = "项目1" };
	const struct store_filter *f[] = { NULL, &none, &sub, &text, &both, &unit, &year };
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		for (size_t j = 0; j < sizeof sizes / sizeof sizes[0]; j++)
			walk(t, f[i], sizes[j]);
	struct ids all = { 0 };
	assert_int_equal(store_list(t->s, NULL, take, &all), STORE_OK);
	assert_int_equal(all.n, NFORMS - 1);	/* the deleted one is not listed */
}

static void with_key_and_gone_keys(void **state)
{
	struct t *t = *state;
	struct ids all = { 0 }, x = { 0 };
	assert_int_equal(store_list(t->s, NULL, take, &all), STORE_OK);
	struct store_key k = { all.unit[5], all.year[5], all.project[5] };
	assert_int_equal(store_list_page(t->s, NULL, &k, false, true, 2, take, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.v[0], all.v[5]);
	assert_int_equal(x.v[1], all.v[6]);
	x.n = 0;
	assert_int_equal(store_list_page(t->s, NULL, &k, true, true, 2, take, &x), STORE_OK);
	assert_int_equal(x.v[0], all.v[5]);
	assert_int_equal(x.v[1], all.v[4]);
	/* a key no form has (deleted, renamed) still has its place */
	x.n = 0;
	char p[80];
	snprintf(p, sizeof p, "%s·", all.project[5]);
	struct store_key gone = { all.unit[5], all.year[5], p };
	assert_int_equal(store_list_page(t->s, NULL, &gone, false, true, 1, take, &x), STORE_OK);
	assert_int_equal(x.v[0], all.v[6]);
	x.n = 0;
	assert_int_equal(store_list_page(t->s, NULL, &gone, true, true, 1, take, &x), STORE_OK);
	assert_int_equal(x.v[0], all.v[5]);
}

static void row_by_id(void **state)
{
	struct t *t = *state;
	struct ids x = { 0 };
	assert_int_equal(store_list_row(t->s, NULL, t->id[1], take, &x), STORE_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.v[0], t->id[1]);
	struct store_filter sub = { .status = "submitted" };
	assert_int_equal(store_list_row(t->s, &sub, t->id[1], take, &x), STORE_NOTFOUND);
	assert_int_equal(store_list_row(t->s, &sub, t->id[0], take, &x), STORE_OK);
	assert_int_equal(store_list_row(t->s, NULL, t->id[3], take, &x), STORE_NOTFOUND);	/* deleted */
	assert_int_equal(x.n, 2);
}

static void one_unit(void **state)
{
	struct t *t = *state;
	char u[64];
	assert_int_equal(store_list_one_unit(t->s, u, sizeof u), STORE_OK);
	assert_string_equal(u, "");	/* several */
	char p[160];
	snprintf(p, sizeof p, "%s/one.db", t->dir);
	struct store *s = open_db(p);
	assert_int_equal(store_list_one_unit(s, u, sizeof u), STORE_OK);
	assert_string_equal(u, "");	/* none */
	for (int i = 0; i < 2; i++) {
		struct form *f = form_new();
		f->year = 2024;
		set_str(&f->unit, "丙单位");
		set_str(&f->project, i ? "一" : "二");
		assert_int_equal(store_insert(s, f), STORE_OK);
		form_free(f);
	}
	assert_int_equal(store_list_one_unit(s, u, sizeof u), STORE_OK);
	assert_string_equal(u, "丙单位");
	store_close(s);
	unlink(p);
	snprintf(p, sizeof p, "%s/one.db-wal", t->dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/one.db-shm", t->dir);
	unlink(p);
}

/* count(*) the long way, for the tally to agree with. */
static size_t scan(struct t *t, const char *status)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM form WHERE deleted = 0%s%s%s",
		 status ? " AND status = '" : "", status ? status : "", status ? "'" : "");
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	size_t n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void agree(struct t *t)
{
	static const char *const st[] = { NULL, "draft", "submitted", "returned", "approved" };
	for (size_t i = 0; i < 5; i++) {
		struct store_filter f = { .status = st[i] };
		size_t n;
		assert_int_equal(store_count(t->s, &f, &n), STORE_OK);
		assert_int_equal(n, scan(t, st[i]));
	}
}

static void sql(struct t *t, const char *q)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *err = NULL;
	int r = sqlite3_exec(db, q, NULL, NULL, &err);
	if (r != SQLITE_OK)
		fail_msg("%s: %s", q, err ? err : "?");
	sqlite3_close(db);
}

static void tally_follows_every_write(void **state)
{
	struct t *t = *state;
	agree(t);
	assert_true(scan(t, "submitted") > 0);
	/* the workflow, a delete, a new form */
	assert_int_equal(store_set_status(t->s, t->id[0], 2, STATUS_RETURNED, "原因"), STORE_OK);
	assert_int_equal(store_set_status(t->s, t->id[6], 2, STATUS_APPROVED, NULL), STORE_OK);
	assert_int_equal(store_delete(t->s, t->id[1]), STORE_OK);
	struct form *f = form_new();
	f->year = 2024;
	set_str(&f->unit, "丁单位");
	set_str(&f->project, "新项目");
	assert_int_equal(store_insert(t->s, f), STORE_OK);
	form_free(f);
	agree(t);
	/* a field saved changes no count */
	int64_t v;
	assert_int_equal(store_save_field(t->s, t->id[2], 1, "project", "改名", &v), STORE_OK);
	agree(t);
	/* plain SQL on form, as another program (or a bundle) writes it */
	sql(t, "UPDATE form SET status = 'approved' WHERE status = 'submitted'");
	sql(t, "UPDATE form SET deleted = 1 WHERE project = '改名'");
	sql(t, "UPDATE form SET deleted = 0 WHERE uuid = (SELECT uuid FROM form WHERE deleted = 1 LIMIT 1)");
	agree(t);
	sql(t, "DELETE FROM form_local WHERE form_uuid = (SELECT uuid FROM form WHERE status = 'approved' LIMIT 1)");
	size_t n;
	assert_int_equal(store_count(t->s, NULL, &n), STORE_OK);
	assert_int_equal(n, scan(t, NULL) - 1);	/* a form without its local row is not listed */
}

static void tally_of_an_older_database(void **state)
{
	struct t *t = *state;
	store_close(t->s);
	/* the database as the schema before 010 left it */
	char q[512];
	assert_true(schema_n_migrations >= 2);
	int before = 0;
	for (int i = 0; i < schema_n_migrations; i++)
		if (schema_migrations[i].version < 10 && schema_migrations[i].version > before)
			before = schema_migrations[i].version;
	snprintf(q, sizeof q, "DROP TRIGGER form_tally_ins; DROP TRIGGER form_tally_upd;"
		 " DROP TRIGGER form_tally_del; DROP TABLE form_tally; PRAGMA user_version = %d;", before);
	sql(t, q);
	t->s = open_db(t->path);
	agree(t);
	assert_true(scan(t, NULL) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pages_walk_the_list, setup, teardown),
		cmocka_unit_test_setup_teardown(with_key_and_gone_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(row_by_id, setup, teardown),
		cmocka_unit_test_setup_teardown(one_unit, setup, teardown),
		cmocka_unit_test_setup_teardown(tally_follows_every_write, setup, teardown),
		cmocka_unit_test_setup_teardown(tally_of_an_older_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
