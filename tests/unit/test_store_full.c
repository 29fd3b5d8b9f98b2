/*
 * A full disk, seen by src/store.  White-box: this file includes store.c so
 * that it can cap the database with PRAGMA max_page_count, which makes
 * sqlite fail with SQLITE_FULL exactly as a full disk does.  The store must
 * say so in one line naming the file, and change nothing.
 */
#include "store.c"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

static void full_disk_is_a_clear_error_and_changes_nothing(void **state)
{
	(void)state;
	char dir[64], path[128], err[512], cmd[160];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/jxzp-full-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/jxzp.db", dir);
	int code;
	struct store *s = store_open(path, err, sizeof err, &code);
	assert_non_null(s);
	struct form *f = form_new();
	f->year = 2024;
	set_str(&f->unit, "单位");
	set_str(&f->project, "项目");
	assert_int_equal(store_insert(s, f), STORE_OK);

	/* no page more than it has now */
	int pages = 0;
	assert_int_equal(pragma_int(s, "PRAGMA page_count", &pages), STORE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages);
	assert_int_equal(pragma_int(s, sql, &pages), STORE_OK);

	size_t big = 64 * 1024;
	char *text = malloc(big + 1);
	memset(text, 'x', big);
	text[big] = 0;
	int64_t v = 0;
	assert_int_equal(store_save_field(s, f->id, 1, "goals.expected", text, &v), STORE_ERR);
	char want[200];
	snprintf(want, sizeof want, "%s: the disk is full: the change was not saved", path);
	assert_string_equal(store_errmsg(s), want);

	struct form *g = form_new();
	g->year = 2024;
	set_str(&g->unit, "单位");
	set_str(&g->project, "另一个项目");
	set_str(&g->goals_expected, text);
	assert_int_equal(store_insert(s, g), STORE_ERR);
	assert_string_equal(store_errmsg(s), want);
	assert_int_equal(g->id, 0);

	/* nothing was written, and the store still works once there is room */
	struct form *h;
	assert_int_equal(store_load(s, f->id, &h), STORE_OK);
	assert_int_equal(h->version, 1);
	assert_null(h->goals_expected);
	form_free(h);
	size_t n;
	assert_int_equal(store_count(s, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);
	assert_int_equal(pragma_int(s, "PRAGMA max_page_count = 1000000", &pages), STORE_OK);
	assert_int_equal(store_save_field(s, f->id, 1, "goals.expected", text, &v), STORE_OK);
	assert_int_equal(v, 2);

	/* inside a batch: either only the failing call is undone, or sqlite
	 * rolled the whole batch back and store_commit says so */
	assert_int_equal(pragma_int(s, "PRAGMA page_count", &pages), STORE_OK);
	snprintf(sql, sizeof sql, "PRAGMA max_page_count = %d", pages + 2);
	assert_int_equal(pragma_int(s, sql, &pages), STORE_OK);
	struct form *k = form_new();
	k->year = 2025;
	set_str(&k->unit, "单位");
	set_str(&k->project, "批量");
	assert_int_equal(store_begin(s), STORE_OK);
	assert_int_equal(store_insert(s, k), STORE_OK);
	assert_int_equal(store_save_field(s, f->id, 2, "goals.achieved", text, &v), STORE_ERR);
	assert_string_equal(store_errmsg(s), want);
	int rc = store_commit(s);
	assert_int_equal(store_count(s, NULL, &n), STORE_OK);
	if (rc == STORE_OK) {
		assert_int_equal(n, 2);
	} else {
		assert_int_equal(rc, STORE_ERR);
		assert_non_null(strstr(store_errmsg(s), "whole batch was rolled back"));
		assert_int_equal(n, 1);
	}
	print_message("# full disk inside a batch: %s\n", rc == STORE_OK ? "only the call undone" : "batch lost");
	assert_int_equal(store_load(s, f->id, &h), STORE_OK);
	assert_int_equal(h->version, 2);
	assert_null(h->goals_achieved);
	form_free(h);
	form_free(k);

	free(text);
	form_free(f);
	form_free(g);
	store_close(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_disk_is_a_clear_error_and_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
