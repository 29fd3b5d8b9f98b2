/*
 * Unit tests of src/store: open and refuse, round trips, one-field saves with
 * history, stale and read-only refusals, the workflow, migrations, lists,
 * pages, summaries and comments.  Each test works in its own temp directory;
 * expected values are worked out by hand, and files the store refuses are
 * compared byte for byte before and after.
 */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <pwd.h>
#include <regex.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "form.h"
#include "schema.h"
#include "store.h"

/* ---- fixtures -------------------------------------------------------------- */

struct t {
	char dir[64];
	char path[128];
	struct store *s;
};

static int setup(void **state)
{
	struct t *t = calloc(1, sizeof *t);
	const char *tmp = getenv("TMPDIR");
	snprintf(t->dir, sizeof t->dir, "%s/jxzp-store-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->path, sizeof t->path, "%s/jxzp.db", t->dir);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	store_close(t->s);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "chmod -R u+w '%s' && rm -rf '%s'", t->dir, t->dir);
	assert_int_equal(system(cmd), 0);
	free(t);
	return 0;
}

static struct store *open_ok(const char *path)
{
	char err[512] = "";
	int code = 99;
	struct store *s = store_open(path, err, sizeof err, &code);
	if (!s)
		fail_msg("store_open: %s", err);
	assert_int_equal(code, STORE_OK);
	return s;
}

static struct form *full_form(const char *unit, int year, const char *project)
{
	struct form *f = form_new();
	const char *err;
	char y[8];
	snprintf(y, sizeof y, "%d", year);
	assert_int_equal(form_set(f, "year", y, &err), 0);
	assert_int_equal(form_set(f, "unit", unit, &err), 0);
	assert_int_equal(form_set(f, "project", project, &err), 0);
	assert_int_equal(form_set(f, "department", "北京市朝阳区人民政府", &err), 0);
	assert_int_equal(form_set(f, "lead", "张三", &err), 0);
	assert_int_equal(form_set(f, "phone", "", &err), 0);	/* empty, not absent */
	assert_int_equal(form_set(f, "layout", "beijing-2021", &err), 0);
	assert_int_equal(form_set(f, "ruleset", "beijing", &err), 0);
	for (int r = 0; r < FUND_ROWS; r++)
		for (int c = 0; c < FUND_COLS; c++) {
			char path[64], v[32];
			snprintf(path, sizeof path, "funds.%s.%s", fund_row_key[r], fund_col_key[c]);
			snprintf(v, sizeof v, "%d.%d0001", r, c);
			if (r != FUND_OTHER)	/* the other-funds row stays absent */
				assert_int_equal(form_set(f, path, v, &err), 0);
		}
	assert_int_equal(form_set(f, "funds.total.budget", "738.62892", &err), 0);
	assert_int_equal(form_set(f, "funds.total.spent", "738.62892", &err), 0);
	assert_int_equal(form_set(f, "funds.total.rate", "100%", &err), 0);
	assert_int_equal(form_set(f, "goals.expected", "保障全区互联网接入\n第二行", &err), 0);
	assert_int_equal(form_set(f, "goals.achieved", "已完成", &err), 0);
	for (size_t i = 0; i < 3; i++) {
		struct indicator *in = form_add_indicator(f, i);
		assert_non_null(in);
		for (int k = 0; k < IND_FIELDS; k++) {
			char v[48];
			snprintf(v, sizeof v, "行%zu·%s", i, ind_field_key[k]);
			in->v[k] = xstrdup(v);
		}
	}
	set_str(&f->ind[1].v[IND_DEVIATION], "");
	set_str(&f->ind[2].v[IND_NATURE], NULL);
	assert_int_equal(form_set(f, "total.weight", "100", &err), 0);
	assert_int_equal(form_set(f, "total.score", "98.50", &err), 0);
	assert_int_equal(form_set(f, "total.grade", "优", &err), 0);
	return f;
}

static struct form *small_form(const char *unit, int year, const char *project)
{
	struct form *f = form_new();
	f->year = year;
	set_str(&f->unit, unit);
	set_str(&f->project, project);
	return f;
}

static int64_t insert(struct store *s, struct form *f)
{
	int rc = store_insert(s, f);
	if (rc != STORE_OK)
		fail_msg("store_insert: %s", store_errmsg(s));
	assert_true(f->id > 0);
	return f->id;
}

/* The whole file, for before/after comparisons. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *buf = NULL;
	size_t n = 0, cap = 0;
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		size_t got = fread(buf + n, 1, cap - n, fp);
		if (got == 0)
			break;
		n += got;
	}
	fclose(fp);
	*len = n;
	return buf;
}

static void spit(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* Opening path must fail with code, a message starting "path: " and
 * containing want, and leave the file exactly as it was. */
static void refused(const char *path, int busy_ms, int code, const char *want)
{
	size_t n0, n1;
	char *before = slurp(path, &n0);
	char err[512] = "";
	int got = 99;
	struct store *s = store_open_timeout(path, busy_ms, err, sizeof err, &got);
	assert_null(s);
	assert_int_equal(got, code);
	assert_true(strncmp(err, path, strlen(path)) == 0 && err[strlen(path)] == ':');
	if (!strstr(err, want))
		fail_msg("message \"%s\" lacks \"%s\"", err, want);
	assert_null(strchr(err, '\n'));
	char *after = slurp(path, &n1);
	assert_int_equal(n0, n1);
	assert_memory_equal(before, after, n0);
	free(before);
	free(after);
}

static const char *user_name(void)
{
	struct passwd *pw = getpwuid(geteuid());
	return pw ? pw->pw_name : getenv("USER");
}

/* ---- opening ---------------------------------------------------------------- */

static void open_creates_dir_and_file_private(void **state)
{
	struct t *t = *state;
	char path[200], dir[160];
	snprintf(dir, sizeof dir, "%s/a/b", t->dir);
	snprintf(path, sizeof path, "%s/jxzp.db", dir);
	mode_t old = umask(0);	/* the modes must not depend on a kind umask */
	t->s = open_ok(path);
	umask(old);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(store_schema_version(t->s), schema_migrations[schema_n_migrations - 1].version);
	assert_true(store_schema_version(t->s) >= 2);
	char uuid[37];
	snprintf(uuid, sizeof uuid, "%s", store_db_uuid(t->s));
	assert_int_equal(strlen(uuid), 36);
	assert_string_equal(store_path(t->s), path);
	char wal[220];
	snprintf(wal, sizeof wal, "%s-wal", path);
	assert_int_equal(stat(wal, &st), 0);	/* sqlite gives it the database's mode */
	assert_int_equal(st.st_mode & 07777, 0600);
	store_close(t->s);
	t->s = open_ok(path);	/* made once */
	assert_string_equal(store_db_uuid(t->s), uuid);
	store_close(t->s);
	t->s = NULL;
	/* WAL, checked from outside */
	sqlite3 *db;
	sqlite3_stmt *q;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), "wal");
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void open_refuses_a_file_that_is_not_sqlite(void **state)
{
	struct t *t = *state;
	const char text[] = "项目名称\t朝阳区互联网接入服务\nthis is a text file, not a database\n";
	spit(t->path, text, sizeof text - 1);
	char want[200];
	snprintf(want, sizeof want, "%s: not a jxzp database (file is not SQLite)", t->path);
	size_t n;
	char *before = slurp(t->path, &n);
	char err[512];
	int code;
	assert_null(store_open(t->path, err, sizeof err, &code));
	assert_int_equal(code, STORE_CORRUPT);
	assert_string_equal(err, want);
	free(before);
	refused(t->path, 100, STORE_CORRUPT, "file is not SQLite");
	spit(t->path, "SQLite", 6);	/* shorter than a header */
	refused(t->path, 100, STORE_CORRUPT, "file is not SQLite");
}

/* A real jxzp database, closed, so its main file holds everything. */
static void make_db(struct t *t, int forms)
{
	struct store *s = open_ok(t->path);
	for (int i = 0; i < forms; i++) {
		char p[32];
		snprintf(p, sizeof p, "项目%d", i);
		struct form *f = full_form("单位", 2024, p);
		insert(s, f);
		form_free(f);
	}
	store_close(s);
}

static void open_refuses_a_damaged_file(void **state)
{
	struct t *t = *state;
	make_db(t, 3);
	size_t n;
	char *good = slurp(t->path, &n);
	assert_true(n >= 4096);

	/* garbage in the header after the magic string */
	char *bad = malloc(n);
	memcpy(bad, good, n);
	memcpy(bad + 16, "\x7f\x13garbage!!", 10);
	spit(t->path, bad, n);
	refused(t->path, 100, STORE_CORRUPT, "damaged");

	/* truncated in the middle of a page */
	spit(t->path, good, 1000);
	refused(t->path, 100, STORE_CORRUPT, "damaged");

	/* a sound header over a garbage first page */
	memcpy(bad, good, n);
	for (size_t i = 100; i < 4096 && i < n; i++)
		bad[i] = (char)(i * 7 + 3);
	spit(t->path, bad, n);
	refused(t->path, 100, STORE_CORRUPT, "");
	free(bad);
	free(good);
}

static void open_refuses_another_programs_database(void **state)
{
	struct t *t = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x')",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	refused(t->path, 100, STORE_CORRUPT, "another program");
}

static void open_refuses_a_newer_schema(void **state)
{
	struct t *t = *state;
	make_db(t, 1);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	refused(t->path, 100, STORE_NEWER, "newer jxzp (schema 999");
}

static void open_refuses_a_read_only_file(void **state)
{
	struct t *t = *state;
	/* a rollback-journal database, so switching it to WAL would show in its header */
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, schema_migrations[0].sql, NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(chmod(t->path, 0400), 0);	/* refused by its mode even for root */
	refused(t->path, 100, STORE_READONLY, "read-only");
	size_t n;
	char *b = slurp(t->path, &n);
	assert_int_equal(b[18], 1);	/* still a rollback-journal file, not WAL */
	assert_int_equal(b[19], 1);
	free(b);
}

/* Another program holds the write lock (an import running): opening to read
 * is not made to wait — the list, a reviewer's pager, `jxzp show` work — and
 * a save is refused with the lock named, nothing written.  A file that needs
 * an upgrade cannot be upgraded without the lock: that open is refused. */
static void opens_to_read_while_another_program_writes(void **state)
{
	struct t *t = *state;
	make_db(t, 2);
	t->s = open_ok(t->path);
	struct form *f;
	assert_int_equal(store_load(t->s, 1, &f), STORE_OK);
	store_close(t->s);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 1000);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE; UPDATE form SET lead = 'other'",
				      NULL, NULL, NULL), SQLITE_OK);
	char err[512];
	int code;
	t->s = store_open_timeout(t->path, 50, err, sizeof err, &code);
	assert_non_null(t->s);
	assert_int_equal(code, STORE_OK);
	assert_string_not_equal(store_db_uuid(t->s), "");
	struct form *g;
	assert_int_equal(store_load(t->s, 1, &g), STORE_OK);
	assert_true(form_equal(f, g));	/* not the other program's uncommitted 'other' */
	form_free(g);
	int64_t v = 0;
	assert_int_equal(store_save_field(t->s, 1, 1, "lead", "李四", &v), STORE_LOCKED);
	assert_non_null(strstr(store_errmsg(t->s), t->path));
	assert_non_null(strstr(store_errmsg(t->s), "locked"));
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_load(t->s, 1, &g), STORE_OK);
	assert_true(form_equal(f, g));	/* the refused save wrote nothing */
	assert_int_equal(g->version, 1);
	form_free(g);
	assert_int_equal(store_save_field(t->s, 1, 1, "lead", "李四", &v), STORE_OK);
	store_close(t->s);
	t->s = NULL;

	/* a database that needs an upgrade, locked: refused, untouched */
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 1", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "BEGIN EXCLUSIVE; UPDATE form SET lead = 'other'",
				      NULL, NULL, NULL), SQLITE_OK);
	refused(t->path, 100, STORE_LOCKED, "locked by another program");
	assert_int_equal(sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	form_free(f);
}

static void open_refuses_an_unwritable_directory(void **state)
{
	struct t *t = *state;
	if (geteuid() == 0) {
		/* tests/unit/tap.sh makes cmocka's skip line a TAP skip */
		print_message("# skipped: running as root, directory permissions do not apply\n");
		skip();
	}
	char dir[160], path[200];
	snprintf(dir, sizeof dir, "%s/locked", t->dir);
	assert_int_equal(mkdir(dir, 0500), 0);
	snprintf(path, sizeof path, "%s/sub/jxzp.db", dir);
	char err[512];
	int code;
	assert_null(store_open(path, err, sizeof err, &code));
	assert_int_equal(code, STORE_READONLY);
	assert_non_null(strstr(err, "cannot create the directory"));
	assert_true(strncmp(err, path, strlen(path)) == 0);
}

/* issue 15: a zero-byte file is someone else's, refused like any
 * non-database and left as it was (it used to become a database). */
static void open_refuses_an_empty_file_and_a_directory(void **state)
{
	struct t *t = *state;
	char err[512], want[200];
	int code;
	spit(t->path, "", 0);
	assert_null(store_open(t->path, err, sizeof err, &code));
	assert_int_equal(code, STORE_CORRUPT);
	snprintf(want, sizeof want, "%s: not a jxzp database (an empty file)", t->path);
	assert_string_equal(err, want);
	struct stat st;
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_size, 0);
	assert_null(store_open(t->dir, err, sizeof err, &code));
	assert_int_equal(code, STORE_ERR);
	snprintf(want, sizeof want, "%s: not a jxzp database (not a regular file)", t->dir);
	assert_string_equal(err, want);
}

static void two_processes_see_each_others_saves(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct store *other = open_ok(t->path);	/* another jxzp on the same file */
	struct form *f = small_form("单位", 2024, "项目");
	int64_t id = insert(t->s, f), v;
	assert_int_equal(store_save_field(other, id, 1, "lead", "甲", &v), STORE_OK);
	assert_int_equal(store_save_field(t->s, id, 1, "lead", "乙", &v), STORE_STALE);
	struct form *g;
	assert_int_equal(store_load(t->s, id, &g), STORE_OK);
	assert_string_equal(g->lead, "甲");
	assert_int_equal(store_save_field(t->s, id, g->version, "lead", "乙", &v), STORE_OK);
	store_close(other);
	form_free(f);
	form_free(g);
}

static void default_path(void **state)
{
	(void)state;
	char buf[256];
	setenv("JXZP_DB", "/x/y.db", 1);
	assert_string_equal(store_default_path(buf, sizeof buf), "/x/y.db");
	unsetenv("JXZP_DB");
	setenv("XDG_DATA_HOME", "/data", 1);
	assert_string_equal(store_default_path(buf, sizeof buf), "/data/jxzp/jxzp.db");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	assert_string_equal(store_default_path(buf, sizeof buf), "/home/u/.local/share/jxzp/jxzp.db");
}

/* ---- forms ------------------------------------------------------------------ */

static void insert_load_round_trip(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *f = full_form("北京市朝阳区数据局", 2024, "2022-2023年朝阳区互联网接入服务");
	int64_t id = insert(t->s, f);
	assert_int_equal(f->version, 1);
	assert_non_null(f->updated);
	struct form *g;
	assert_int_equal(store_load(t->s, id, &g), STORE_OK);
	assert_true(form_equal(f, g));
	assert_int_equal(g->id, id);
	assert_string_equal(g->uuid, f->uuid);
	assert_int_equal(g->version, 1);
	assert_int_equal(g->status, STATUS_DRAFT);
	assert_string_equal(g->updated, f->updated);
	assert_string_equal(g->funds[FUND_TOTAL][FUND_BUDGET], "738.62892");
	assert_string_equal(g->funds[FUND_CARRYOVER][FUND_SCORE], "2.50001");
	assert_null(g->funds[FUND_OTHER][FUND_BUDGET]);
	assert_string_equal(g->phone, "");
	assert_string_equal(g->layout, "beijing-2021");
	assert_string_equal(g->goals_expected, "保障全区互联网接入\n第二行");
	assert_int_equal(g->n_ind, 3);
	for (size_t i = 0; i < 3; i++)
		assert_string_equal(g->ind[i].uuid, f->ind[i].uuid);
	assert_string_equal(g->ind[2].v[IND_ACTUAL], "行2·actual");
	assert_string_equal(g->ind[1].v[IND_DEVIATION], "");
	assert_null(g->ind[2].v[IND_NATURE]);
	assert_null(g->return_reason);
	assert_string_equal(g->total_score, "98.50");	/* as typed, trailing zero kept */
	regex_t re;
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
				 REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, g->updated, 0, NULL, 0), 0);
	regfree(&re);
	form_free(g);
	assert_int_equal(store_load(t->s, id + 1, &g), STORE_NOTFOUND);
	assert_null(g);
	assert_non_null(strstr(store_errmsg(t->s), "no form with id 2"));
	form_free(f);
}

static void insert_refuses_a_duplicate_key(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *a = small_form("区财政局", 2024, "办公楼维修");
	struct form *b = small_form("区财政局", 2024, "办公楼维修");
	struct form *c = small_form("区财政局", 2024, NULL);
	int64_t id = insert(t->s, a);
	assert_int_equal(store_insert(t->s, b), STORE_EXISTS);
	char want[200];
	snprintf(want, sizeof want, "%s: a form for 区财政局, 2024, 办公楼维修 already exists (id %lld)",
		 t->path, (long long)id);
	assert_string_equal(store_errmsg(t->s), want);
	assert_int_equal(b->id, 0);
	assert_int_equal(store_insert(t->s, c), STORE_ERR);
	assert_non_null(strstr(store_errmsg(t->s), "needs a unit, a year and a project"));
	/* another year is another form */
	b->year = 2023;
	assert_true(insert(t->s, b) != id);
	/* and moving it onto the first one's key by a field save is refused too */
	int64_t v;
	assert_int_equal(store_save_field(t->s, b->id, 1, "year", "2024", &v), STORE_EXISTS);
	assert_non_null(strstr(store_errmsg(t->s), "already exists"));
	form_free(a);
	form_free(b);
	form_free(c);
}

struct hist {
	int n;
	char path[16][48], old[16][160], new_[16][160], user[16][64], at[16][32];
};

static int collect_history(const struct history_row *r, void *arg)
{
	struct hist *h = arg;
	assert_true(h->n < 16);
	snprintf(h->path[h->n], 48, "%s", r->path);
	snprintf(h->old[h->n], 160, "%s", r->old_value ? r->old_value : "(null)");
	snprintf(h->new_[h->n], 160, "%s", r->new_value ? r->new_value : "(null)");
	snprintf(h->user[h->n], 64, "%s", r->user);
	snprintf(h->at[h->n], 32, "%s", r->at);
	h->n++;
	return 0;
}

static void save_field_writes_history(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *f = full_form("区数据局", 2024, "互联网接入");
	int64_t id = insert(t->s, f), v = 0;
	assert_int_equal(store_save_field(t->s, id, 1, "funds.total.spent", "152.1493", &v), STORE_OK);
	assert_int_equal(v, 2);
	assert_int_equal(store_save_field(t->s, id, 2, "indicators[1].actual", "≥95%", &v), STORE_OK);
	assert_int_equal(v, 3);
	assert_int_equal(store_save_field(t->s, id, 3, "lead", NULL, &v), STORE_OK);
	assert_int_equal(v, 4);
	assert_int_equal(store_save_field(t->s, id, 4, "year", "2023", &v), STORE_OK);
	assert_int_equal(v, 5);
	/* the same value again, even spelt " 2023": nothing written, the version stays */
	assert_int_equal(store_save_field(t->s, id, 5, "year", " 2023", &v), STORE_OK);
	assert_int_equal(v, 5);
	/* a fund row that was absent */
	assert_int_equal(store_save_field(t->s, id, 5, "funds.other.budget", "0.1", &v), STORE_OK);
	assert_int_equal(v, 6);

	struct form *g;
	assert_int_equal(store_load(t->s, id, &g), STORE_OK);
	assert_int_equal(g->version, 6);
	assert_string_equal(g->funds[FUND_TOTAL][FUND_SPENT], "152.1493");
	assert_string_equal(g->ind[1].v[IND_ACTUAL], "≥95%");
	assert_null(g->lead);
	assert_int_equal(g->year, 2023);
	assert_string_equal(g->funds[FUND_OTHER][FUND_BUDGET], "0.1");
	assert_true(strcmp(g->updated, f->updated) >= 0);

	struct hist h = { 0 };
	assert_int_equal(store_history(t->s, id, collect_history, &h), STORE_OK);
	assert_int_equal(h.n, 5);
	const char *want[5][3] = {
		{ "funds.total.spent", "738.62892", "152.1493" },
		{ "indicators[1].actual", "行1·actual", "≥95%" },
		{ "lead", "张三", "(null)" },
		{ "year", "2024", "2023" },
		{ "funds.other.budget", "(null)", "0.1" },
	};
	for (int i = 0; i < 5; i++) {
		assert_string_equal(h.path[i], want[i][0]);
		assert_string_equal(h.old[i], want[i][1]);
		assert_string_equal(h.new_[i], want[i][2]);
		assert_string_equal(h.user[i], user_name());
		assert_int_equal(strlen(h.at[i]), 24);
		assert_int_equal(h.at[i][23], 'Z');
	}
	assert_string_equal(h.at[4], g->updated);
	form_free(f);
	form_free(g);
}

static void save_field_refuses_stale_and_bad(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *f = full_form("区数据局", 2024, "互联网接入");
	int64_t id = insert(t->s, f), v = 0;
	assert_int_equal(store_save_field(t->s, id, 1, "project", "新名称", &v), STORE_OK);
	/* a second window still at version 1 */
	assert_int_equal(store_save_field(t->s, id, 1, "project", "旧窗口", &v), STORE_STALE);
	char want[200];
	snprintf(want, sizeof want, "%s: form %lld changed since it was loaded (version 1, now 2): reload it",
		 t->path, (long long)id);
	assert_string_equal(store_errmsg(t->s), want);
	assert_int_equal(store_save_field(t->s, id, 2, "nope", "x", &v), STORE_BADPATH);
	assert_non_null(strstr(store_errmsg(t->s), "unknown field path: nope"));
	assert_int_equal(store_save_field(t->s, id, 2, "indicators[3].name", "x", &v), STORE_BADPATH);
	assert_int_equal(store_save_field(t->s, id, 2, "funds.total", "x", &v), STORE_BADPATH);
	assert_int_equal(store_save_field(t->s, id, 2, "year", "二〇二四", &v), STORE_ERR);
	assert_int_equal(store_save_field(t->s, id, 2, "layout", "nope", &v), STORE_ERR);
	assert_int_equal(store_save_field(t->s, id, 2, "unit", NULL, &v), STORE_ERR);
	assert_int_equal(store_save_field(t->s, 999, 1, "project", "x", &v), STORE_NOTFOUND);
	struct form *g;
	assert_int_equal(store_load(t->s, id, &g), STORE_OK);
	assert_int_equal(g->version, 2);
	assert_string_equal(g->project, "新名称");
	assert_int_equal(g->year, 2024);
	struct hist h = { 0 };
	assert_int_equal(store_history(t->s, id, collect_history, &h), STORE_OK);
	assert_int_equal(h.n, 1);
	form_free(f);
	form_free(g);
}

static void save_form_diffs_into_history(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *f = full_form("区数据局", 2024, "互联网接入");
	int64_t id = insert(t->s, f);
	char u0[37], u1[37], u2[37];
	memcpy(u0, f->ind[0].uuid, 37);
	memcpy(u1, f->ind[1].uuid, 37);
	memcpy(u2, f->ind[2].uuid, 37);

	/* nothing changed: nothing written */
	assert_int_equal(store_save_form(t->s, f), STORE_OK);
	assert_int_equal(f->version, 1);

	const char *err;
	assert_int_equal(form_set(f, "department", "区政府", &err), 0);
	assert_int_equal(form_set(f, "funds.carryover.spent", NULL, &err), 0);
	form_del_indicator(f, 0);		/* rows: u1 u2 */
	form_move_indicator(f, 1, 0);		/* rows: u2 u1 */
	assert_int_equal(form_set(f, "indicators[1].score", "7.5", &err), 0);	/* u1 */
	struct indicator *in = form_add_indicator(f, 2);	/* rows: u2 u1 new */
	in->v[IND_NAME] = xstrdup("新指标");
	assert_int_equal(store_save_form(t->s, f), STORE_OK);
	assert_int_equal(f->version, 2);

	struct form *g;
	assert_int_equal(store_load(t->s, id, &g), STORE_OK);
	assert_true(form_equal(f, g));
	assert_int_equal(g->version, 2);
	assert_int_equal(g->n_ind, 3);
	assert_string_equal(g->ind[0].uuid, u2);
	assert_string_equal(g->ind[1].uuid, u1);
	assert_string_equal(g->ind[2].uuid, in->uuid);

	struct hist h = { 0 };
	assert_int_equal(store_history(t->s, id, collect_history, &h), STORE_OK);
	assert_int_equal(h.n, 5);
	assert_string_equal(h.path[0], "department");
	assert_string_equal(h.new_[0], "区政府");
	assert_string_equal(h.path[1], "funds.carryover.spent");
	assert_string_equal(h.old[1], "2.20001");
	assert_string_equal(h.new_[1], "(null)");
	assert_string_equal(h.path[2], "indicators[1].score");
	assert_string_equal(h.old[2], "行1·score");
	assert_string_equal(h.new_[2], "7.5");
	assert_string_equal(h.path[3], "indicators[2].name");
	assert_string_equal(h.old[3], "(null)");
	assert_string_equal(h.path[4], "indicators");
	char order[200];
	snprintf(order, sizeof order, "%s,%s,%s", u0, u1, u2);
	assert_string_equal(h.old[4], order);
	snprintf(order, sizeof order, "%s,%s,%s", u2, u1, in->uuid);
	assert_string_equal(h.new_[4], order);

	/* a stale whole-form save changes nothing */
	g->version = 1;
	assert_int_equal(form_set(g, "project", "x", &err), 0);
	assert_int_equal(store_save_form(t->s, g), STORE_STALE);
	form_free(g);
	assert_int_equal(store_load(t->s, id, &g), STORE_OK);
	assert_string_equal(g->project, "互联网接入");
	form_free(f);
	form_free(g);
}

/* ---- the workflow ---------------------------------------------------------------- */

static int64_t version_of(struct store *s, int64_t id)
{
	struct form *f;
	assert_int_equal(store_load(s, id, &f), STORE_OK);
	int64_t v = f->version;
	form_free(f);
	return v;
}

/* A form brought to status st by allowed steps. */
static int64_t form_in(struct store *s, int n, enum form_status st)
{
	char p[32];
	snprintf(p, sizeof p, "项目%d", n);
	struct form *f = small_form("单位", 2024, p);
	int64_t id = insert(s, f);
	form_free(f);
	if (st == STATUS_DRAFT)
		return id;
	assert_int_equal(store_set_status(s, id, version_of(s, id), STATUS_SUBMITTED, NULL), STORE_OK);
	if (st == STATUS_RETURNED)
		assert_int_equal(store_set_status(s, id, version_of(s, id), STATUS_RETURNED, "请补充"), STORE_OK);
	if (st == STATUS_APPROVED)
		assert_int_equal(store_set_status(s, id, version_of(s, id), STATUS_APPROVED, NULL), STORE_OK);
	return id;
}

static void every_status_change_allowed_or_refused(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	bool ok[4][4] = { { 0 } };
	ok[STATUS_DRAFT][STATUS_SUBMITTED] = true;
	ok[STATUS_RETURNED][STATUS_SUBMITTED] = true;
	ok[STATUS_SUBMITTED][STATUS_RETURNED] = true;
	ok[STATUS_SUBMITTED][STATUS_APPROVED] = true;
	int n = 0;
	for (int from = 0; from < 4; from++)
		for (int to = 0; to < 4; to++) {
			int64_t id = form_in(t->s, n++, (enum form_status)from);
			int64_t v = version_of(t->s, id);
			int rc = store_set_status(t->s, id, v, (enum form_status)to, "理由");
			struct form *f;
			assert_int_equal(store_load(t->s, id, &f), STORE_OK);
			if (ok[from][to]) {
				assert_int_equal(rc, STORE_OK);
				assert_int_equal(f->status, to);
				assert_int_equal(f->version, v + 1);
			} else {
				assert_int_equal(rc, STORE_BADSTATE);
				assert_non_null(strstr(store_errmsg(t->s), "cannot become"));
				assert_int_equal(f->status, from);
				assert_int_equal(f->version, v);
			}
			form_free(f);
		}
	/* a stale status change is refused */
	int64_t id = form_in(t->s, n++, STATUS_DRAFT);
	assert_int_equal(store_set_status(t->s, id, 7, STATUS_SUBMITTED, NULL), STORE_STALE);
}

static void return_needs_a_reason_and_history_keeps_it(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	int64_t id = form_in(t->s, 1, STATUS_SUBMITTED);
	int64_t v = version_of(t->s, id);
	assert_int_equal(store_set_status(t->s, id, v, STATUS_RETURNED, NULL), STORE_BADSTATE);
	assert_non_null(strstr(store_errmsg(t->s), "with a reason"));
	assert_int_equal(store_set_status(t->s, id, v, STATUS_RETURNED, "  \t"), STORE_BADSTATE);
	assert_int_equal(store_set_status(t->s, id, v, STATUS_RETURNED, "指标值缺单位"), STORE_OK);
	struct form *f;
	assert_int_equal(store_load(t->s, id, &f), STORE_OK);
	assert_int_equal(f->status, STATUS_RETURNED);
	assert_string_equal(f->return_reason, "指标值缺单位");
	/* returned forms can be edited again */
	int64_t nv;
	assert_int_equal(store_save_field(t->s, id, f->version, "lead", "王五", &nv), STORE_OK);
	assert_int_equal(store_set_status(t->s, id, nv, STATUS_SUBMITTED, NULL), STORE_OK);
	form_free(f);
	assert_int_equal(store_load(t->s, id, &f), STORE_OK);
	assert_null(f->return_reason);
	form_free(f);

	struct hist h = { 0 };
	assert_int_equal(store_history(t->s, id, collect_history, &h), STORE_OK);
	assert_int_equal(h.n, 6);
	assert_string_equal(h.path[0], "status");
	assert_string_equal(h.old[0], "draft");
	assert_string_equal(h.new_[0], "submitted");
	assert_string_equal(h.path[1], "status");
	assert_string_equal(h.new_[1], "returned");
	assert_string_equal(h.path[2], "return_reason");
	assert_string_equal(h.old[2], "(null)");
	assert_string_equal(h.new_[2], "指标值缺单位");
	assert_string_equal(h.path[3], "lead");
	assert_string_equal(h.path[4], "status");
	assert_string_equal(h.old[4], "returned");
	assert_string_equal(h.path[5], "return_reason");
	assert_string_equal(h.new_[5], "(null)");
}

static void submitted_and_approved_forms_refuse_edits(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	for (int st = STATUS_SUBMITTED; st <= STATUS_APPROVED; st += STATUS_APPROVED - STATUS_SUBMITTED) {
		int64_t id = form_in(t->s, st, (enum form_status)st);
		struct form *f;
		assert_int_equal(store_load(t->s, id, &f), STORE_OK);
		int64_t v;
		assert_int_equal(store_save_field(t->s, id, f->version, "lead", "x", &v), STORE_READONLY);
		assert_non_null(strstr(store_errmsg(t->s),
				       st == STATUS_SUBMITTED ? "has been submitted" : "has been approved"));
		set_str(&f->lead, "x");
		assert_int_equal(store_save_form(t->s, f), STORE_READONLY);
		assert_int_equal(store_delete(t->s, id), STORE_READONLY);
		struct form *g;
		assert_int_equal(store_load(t->s, id, &g), STORE_OK);
		assert_null(g->lead);
		assert_int_equal(g->version, f->version);
		form_free(f);
		form_free(g);
	}
}

/* ---- delete, lists, pages, summaries ------------------------------------------ */

static int count_rows(const struct form_row *r, void *arg)
{
	(void)r;
	(*(int *)arg)++;
	return 0;
}

static void delete_keeps_history_and_frees_the_key(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *a = small_form("单位", 2024, "项目");
	int64_t id = insert(t->s, a);
	assert_int_equal(store_delete(t->s, id), STORE_OK);
	struct form *g;
	assert_int_equal(store_load(t->s, id, &g), STORE_NOTFOUND);
	assert_int_equal(store_delete(t->s, id), STORE_NOTFOUND);
	int n = 0;
	assert_int_equal(store_list(t->s, NULL, count_rows, &n), STORE_OK);
	assert_int_equal(n, 0);
	size_t c = 9;
	assert_int_equal(store_count(t->s, NULL, &c), STORE_OK);
	assert_int_equal(c, 0);
	struct hist h = { 0 };
	assert_int_equal(store_history(t->s, id, collect_history, &h), STORE_OK);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.path[0], "deleted");
	struct form *b = small_form("单位", 2024, "项目");
	assert_true(insert(t->s, b) != id);
	form_free(a);
	form_free(b);
}

struct rows {
	int n;
	int64_t id[64];
	char text[64][96];
};

static int collect_ids(const struct form_row *r, void *arg)
{
	struct rows *x = arg;
	assert_true(x->n < 64);
	x->id[x->n] = r->id;
	snprintf(x->text[x->n], 96, "%s/%d/%s/%s/%s/%s/%s", r->unit, r->year, r->project,
		 r->score ? r->score : "-", r->grade ? r->grade : "-", r->budget ? r->budget : "-",
		 r->rate ? r->rate : "-");
	x->n++;
	return 0;
}

/* Eight forms: units A, B, C; years 2023, 2024. */
static void fill(struct store *s, int64_t ids[8])
{
	static const struct { const char *unit; int year; const char *project, *budget, *spent,
			      *score, *grade, *rate; int errors; } d[8] = {
		{ "B", 2024, "p1", "0.1", "0.1", "95", "优", "100%", 0 },
		{ "A", 2024, "p2", "738.62892", "700", "100", "优", "94.77%", 0 },
		{ "A", 2023, "p1", "1,000", "999.99", "59.5", "差", "100.00%", 2 },
		{ "C", 2024, "p1", "12", "3", NULL, NULL, NULL, 0 },
		{ "A", 2024, "p1", "0.2", "0.2", "88.5", "良", "9.5%", 1 },
		{ "B", 2024, "p2", "10万元", "5", "80", "良", "50%", 0 },
		{ "A", 2024, "p3", NULL, NULL, "70", "中", "0%", 0 },
		{ "C", 2023, "p9", "1", "1", "90", "优", "100%", 0 },
	};
	for (int i = 0; i < 8; i++) {
		struct form *f = small_form(d[i].unit, d[i].year, d[i].project);
		set_str(&f->department, i == 3 ? "园林绿化局" : "财政局");
		set_str(&f->funds[FUND_TOTAL][FUND_BUDGET], d[i].budget);
		set_str(&f->funds[FUND_TOTAL][FUND_SPENT], d[i].spent);
		ids[i] = insert(s, f);
		form_free(f);
		if (d[i].score || d[i].grade)
			assert_int_equal(store_set_summary(s, ids[i], d[i].score, d[i].grade, d[i].errors), STORE_OK);
		else
			assert_int_equal(store_set_summary(s, ids[i], NULL, NULL, d[i].errors), STORE_OK);
		assert_int_equal(store_set_rate(s, ids[i], d[i].rate), STORE_OK);
	}
	assert_int_equal(store_set_status(s, ids[1], 1, STATUS_SUBMITTED, NULL), STORE_OK);
	assert_int_equal(store_set_status(s, ids[5], 1, STATUS_SUBMITTED, NULL), STORE_OK);
}

static void list_and_filters(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	int64_t ids[8];
	fill(t->s, ids);
	struct rows x = { 0 };
	assert_int_equal(store_list(t->s, NULL, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 8);
	const int order[8] = { 2, 4, 1, 6, 0, 5, 7, 3 };	/* unit, year, project */
	for (int i = 0; i < 8; i++)
		assert_int_equal(x.id[i], ids[order[i]]);
	assert_string_equal(x.text[2], "A/2024/p2/100/优/738.62892/94.77%");
	assert_string_equal(x.text[7], "C/2024/p1/-/-/12/-");

	struct store_filter fl = { .unit = "A" };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_list(t->s, &fl, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 4);
	fl = (struct store_filter){ .year = 2023 };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_list(t->s, &fl, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], ids[2]);
	assert_int_equal(x.id[1], ids[7]);
	fl = (struct store_filter){ .status = "submitted" };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_list(t->s, &fl, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], ids[1]);
	assert_int_equal(x.id[1], ids[5]);
	fl = (struct store_filter){ .text = "园林" };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_list(t->s, &fl, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.id[0], ids[3]);
	fl = (struct store_filter){ .unit = "A", .year = 2024, .text = "p" };
	size_t n;
	assert_int_equal(store_count(t->s, &fl, &n), STORE_OK);
	assert_int_equal(n, 3);
	assert_int_equal(store_count(t->s, NULL, &n), STORE_OK);
	assert_int_equal(n, 8);
	/* stops when fn says so */
	int one = 0;
	assert_int_equal(store_list(t->s, NULL, (int (*)(const struct form_row *, void *))count_rows, &one), STORE_OK);
	assert_int_equal(one, 8);
}

static void pages_sort_by_every_key(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	int64_t ids[8];
	fill(t->s, ids);
	struct { enum store_sort by; bool desc; int order[8]; } cases[] = {
		/* numbers, not text: 59.5 < 70 < 80 < 88.5 < 90 < 95 < 100; no score first */
		{ SORT_SCORE, false, { 3, 2, 6, 5, 4, 7, 0, 1 } },
		{ SORT_SCORE, true, { 1, 0, 7, 4, 5, 6, 2, 3 } },
		/* 差 < 中 < 良 < 优, ties by id */
		{ SORT_GRADE, false, { 3, 2, 6, 4, 5, 0, 1, 7 } },
		/* 0 < 9.5 < 50 < 94.77 < 100 = 100.00 = 100 */
		{ SORT_RATE, false, { 3, 6, 4, 5, 1, 0, 2, 7 } },
		{ SORT_UNIT, true, { 3, 7, 5, 0, 6, 1, 4, 2 } },
		/* draft before submitted, each by unit, year, project */
		{ SORT_STATUS, false, { 2, 4, 6, 0, 7, 3, 1, 5 } },
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct rows x = { 0 };
		for (size_t off = 0; off < 8; off += 3)	/* pages of 3 */
			assert_int_equal(store_page(t->s, NULL, cases[c].by, cases[c].desc, off, 3,
						    collect_ids, &x), STORE_OK);
		assert_int_equal(x.n, 8);
		for (int i = 0; i < 8; i++)
			if (x.id[i] != ids[cases[c].order[i]])
				fail_msg("sort case %zu: row %d is id %lld, want %lld", c, i,
					 (long long)x.id[i], (long long)ids[cases[c].order[i]]);
	}
	/* a status filter (form_local's own indexes) and a year filter (the planner's) */
	struct { struct store_filter fl; enum store_sort by; bool desc; int n, order[8]; } filtered[] = {
		{ { .status = "draft" }, SORT_SCORE, false, 6, { 3, 2, 6, 4, 7, 0 } },
		{ { .status = "submitted" }, SORT_RATE, true, 2, { 1, 5 } },	/* 94.77% > 50% */
		{ { .year = 2024 }, SORT_GRADE, true, 6, { 1, 0, 5, 4, 6, 3 } },
		{ { .status = "draft", .year = 2023 }, SORT_UNIT, false, 2, { 2, 7 } },
		{ { .status = "submitted" }, SORT_UPDATED, false, 2, { 1, 5 } },
	};
	for (size_t c = 0; c < sizeof filtered / sizeof filtered[0]; c++) {
		struct rows x = { 0 };
		for (size_t off = 0; off < 8; off += 2)
			assert_int_equal(store_page(t->s, &filtered[c].fl, filtered[c].by, filtered[c].desc,
						    off, 2, collect_ids, &x), STORE_OK);
		assert_int_equal(x.n, filtered[c].n);
		for (int i = 0; i < x.n; i++)
			if (x.id[i] != ids[filtered[c].order[i]])
				fail_msg("filtered case %zu: row %d is id %lld, want %lld", c, i,
					 (long long)x.id[i], (long long)ids[filtered[c].order[i]]);
	}
	/* a deleted form leaves every sorted listing */
	assert_int_equal(store_delete(t->s, ids[7]), STORE_OK);
	for (int by = SORT_UNIT; by <= SORT_UPDATED; by++) {
		struct rows y = { 0 };
		assert_int_equal(store_page(t->s, NULL, (enum store_sort)by, false, 0, 100, collect_ids, &y),
				 STORE_OK);
		assert_int_equal(y.n, 7);
		for (int i = 0; i < y.n; i++)
			assert_true(y.id[i] != ids[7]);
	}
	/* updated: the last form changed comes last */
	int64_t v;
	assert_int_equal(store_save_field(t->s, ids[3], 1, "lead", "x", &v), STORE_OK);
	struct rows x = { 0 };
	assert_int_equal(store_page(t->s, NULL, SORT_UPDATED, true, 0, 1, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.id[0], ids[3]);
	/* a filter and a page past the end */
	struct store_filter fl = { .unit = "A" };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_page(t->s, &fl, SORT_SCORE, true, 1, 2, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], ids[4]);
	assert_int_equal(x.id[1], ids[6]);
	memset(&x, 0, sizeof x);
	assert_int_equal(store_page(t->s, &fl, SORT_SCORE, true, 100, 2, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 0);
}

struct sums {
	int n;
	struct summary_row r[8];
	char text[8][200];
};

static int collect_summary(const struct summary_row *r, void *arg)
{
	struct sums *x = arg;
	x->r[x->n] = *r;
	snprintf(x->text[x->n], 200, "%s %d forms=%lld budget=%s spent=%s rate=%s avg=%s scored=%lld "
		 "优%lld 良%lld 中%lld 差%lld errors=%lld unreadable=%lld",
		 r->unit, r->year, (long long)r->forms, r->budget, r->spent, r->rate ? r->rate : "-",
		 r->avg_score ? r->avg_score : "-", (long long)r->scored,
		 (long long)r->grades[0], (long long)r->grades[1], (long long)r->grades[2],
		 (long long)r->grades[3], (long long)r->with_errors, (long long)r->unreadable);
	x->n++;
	return 0;
}

static void summary_sums_exactly(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	int64_t ids[8];
	fill(t->s, ids);
	struct sums x = { 0 };
	assert_int_equal(store_summary(t->s, NULL, collect_summary, &x), STORE_OK);
	assert_int_equal(x.n, 5);
	/* A 2024: p1 0.2/0.2, p2 738.62892/700, p3 none: 738.82892 and 700.2;
	 * rate 700.2 / 738.82892 = 94.7716...%; scores 100, 88.5, 70: 86.166... */
	assert_string_equal(x.text[0], "A 2023 forms=1 budget=1000 spent=999.99 rate=100.00 avg=59.50 "
			    "scored=1 优0 良0 中0 差1 errors=1 unreadable=0");
	assert_string_equal(x.text[1], "A 2024 forms=3 budget=738.82892 spent=700.2 rate=94.77 avg=86.17 "
			    "scored=3 优1 良1 中1 差0 errors=1 unreadable=0");
	/* B: p1 0.1/0.1; p2 10万元/5 is left out of both sums */
	assert_string_equal(x.text[2], "B 2024 forms=2 budget=0.1 spent=0.1 rate=100.00 avg=87.50 "
			    "scored=2 优1 良1 中0 差0 errors=0 unreadable=1");
	assert_string_equal(x.text[3], "C 2023 forms=1 budget=1 spent=1 rate=100.00 avg=90.00 "
			    "scored=1 优1 良0 中0 差0 errors=0 unreadable=0");
	assert_string_equal(x.text[4], "C 2024 forms=1 budget=12 spent=3 rate=25.00 avg=- "
			    "scored=0 优0 良0 中0 差0 errors=0 unreadable=0");
	struct store_filter fl = { .year = 2023 };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_summary(t->s, &fl, collect_summary, &x), STORE_OK);
	assert_int_equal(x.n, 2);
}

/* ---- comments, transactions, migrations ------------------------------------------- */

struct notes {
	int n;
	char uuid[8][37], text[8][96];
	bool resolved[8];
};

static int collect_comments(const struct comment_row *c, void *arg)
{
	struct notes *x = arg;
	memcpy(x->uuid[x->n], c->uuid, 37);
	snprintf(x->text[x->n], 96, "%s|%s|%s", c->path ? c->path : "-", c->author, c->text);
	x->resolved[x->n] = c->resolved;
	x->n++;
	return 0;
}

static void comments_add_list_resolve(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	int64_t id = form_in(t->s, 1, STATUS_SUBMITTED);	/* reviewers comment on submitted forms */
	char u1[37], u2[37];
	assert_int_equal(store_comment_add(t->s, id, "funds.total.rate", "执行率算错了", u1), STORE_OK);
	assert_int_equal(store_comment_add(t->s, id, NULL, "整体不错", u2), STORE_OK);
	assert_int_equal(store_comment_add(t->s, id, "nope", "x", NULL), STORE_BADPATH);
	assert_int_equal(store_comment_add(t->s, id, NULL, " ", NULL), STORE_ERR);
	assert_int_equal(store_comment_add(t->s, 999, NULL, "x", NULL), STORE_NOTFOUND);
	struct notes x = { 0 };
	assert_int_equal(store_comment_list(t->s, id, false, collect_comments, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	char want[96];
	snprintf(want, sizeof want, "funds.total.rate|%s|执行率算错了", user_name());
	assert_string_equal(x.text[0], want);
	assert_string_equal(x.uuid[0], u1);
	assert_string_equal(x.uuid[1], u2);
	assert_int_equal(store_comment_resolve(t->s, u1), STORE_OK);
	assert_int_equal(store_comment_resolve(t->s, "no-such-uuid"), STORE_NOTFOUND);
	memset(&x, 0, sizeof x);
	assert_int_equal(store_comment_list(t->s, id, false, collect_comments, &x), STORE_OK);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.uuid[0], u2);
	memset(&x, 0, sizeof x);
	assert_int_equal(store_comment_list(t->s, id, true, collect_comments, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_true(x.resolved[0]);
	assert_false(x.resolved[1]);
}

static void transactions_nest(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *a = small_form("单位", 2024, "a"), *b = small_form("单位", 2024, "b");
	struct form *dup = small_form("单位", 2024, "a");
	assert_int_equal(store_begin(t->s), STORE_OK);
	insert(t->s, a);
	assert_int_equal(store_insert(t->s, dup), STORE_EXISTS);	/* undoes only itself */
	assert_int_equal(store_begin(t->s), STORE_OK);
	insert(t->s, b);
	assert_int_equal(store_rollback(t->s), STORE_OK);		/* b is gone */
	assert_int_equal(store_commit(t->s), STORE_OK);
	assert_int_equal(store_commit(t->s), STORE_ERR);
	struct rows x = { 0 };
	assert_int_equal(store_list(t->s, NULL, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.id[0], a->id);
	/* a whole batch rolled back */
	struct form *c = small_form("单位", 2024, "c");
	assert_int_equal(store_begin(t->s), STORE_OK);
	insert(t->s, c);
	assert_int_equal(store_rollback(t->s), STORE_OK);
	size_t n;
	assert_int_equal(store_count(t->s, NULL, &n), STORE_OK);
	assert_int_equal(n, 1);
	form_free(a);
	form_free(b);
	form_free(c);
	form_free(dup);
}

/* store_begin_all_or_nothing: every call inside stands or falls with the
 * batch; one failing call spoils it, and the commit undoes all of it. */
static void batch_all_or_nothing(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	struct form *a = small_form("单位", 2024, "a"), *b = small_form("单位", 2024, "b");
	struct form *dup = small_form("单位", 2024, "a"), *c = small_form("单位", 2024, "c");
	/* all calls succeed: all kept */
	assert_int_equal(store_begin_all_or_nothing(t->s), STORE_OK);
	insert(t->s, a);
	insert(t->s, b);
	assert_int_equal(store_set_summary(t->s, b->id, "90", "优", 0), STORE_OK);
	assert_int_equal(store_commit(t->s), STORE_OK);
	size_t n;
	assert_int_equal(store_count(t->s, NULL, &n), STORE_OK);
	assert_int_equal(n, 2);
	/* one call fails: nothing of the batch is kept, the commit says so */
	assert_int_equal(store_begin_all_or_nothing(t->s), STORE_OK);
	insert(t->s, c);
	assert_int_equal(store_insert(t->s, dup), STORE_EXISTS);
	assert_int_equal(store_commit(t->s), STORE_ERR);
	assert_int_equal(store_commit(t->s), STORE_ERR);	/* nothing open any more */
	assert_int_equal(store_count(t->s, NULL, &n), STORE_OK);
	assert_int_equal(n, 2);
	struct rows x = { 0 };
	assert_int_equal(store_list(t->s, NULL, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], a->id);
	assert_int_equal(x.id[1], b->id);
	/* the next ordinary batch has savepoints again: a failing call undoes
	 * only itself */
	struct form *c2 = small_form("单位", 2024, "c");
	struct form *dup2 = small_form("单位", 2024, "a");
	assert_int_equal(store_begin(t->s), STORE_OK);
	insert(t->s, c2);
	assert_int_equal(store_insert(t->s, dup2), STORE_EXISTS);
	assert_int_equal(store_commit(t->s), STORE_OK);
	assert_int_equal(store_count(t->s, NULL, &n), STORE_OK);
	assert_int_equal(n, 3);
	form_free(a);
	form_free(b);
	form_free(c);
	form_free(dup);
	form_free(c2);
	form_free(dup2);
}

/* What a save writes: form.updated changes with every save, so each index
 * on it is pages in every commit; only the live ones (which the pager
 * reads) are kept (schema 006). */
static void updated_indexed_for_live_forms_only(void **state)
{
	struct t *t = *state;
	t->s = open_ok(t->path);
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db,
		"SELECT group_concat(name, ' ') FROM (SELECT DISTINCT m.name FROM sqlite_master m,"
		" pragma_index_info(m.name) i WHERE m.type = 'index' AND m.tbl_name = 'form'"
		" AND i.name = 'updated' ORDER BY m.name)", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0),
			    "form_live_updated form_status_updated");
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void migrates_a_version_1_database(void **state)
{
	struct t *t = *state;
	sqlite3 *db;
	assert_int_equal(sqlite3_open(t->path, &db), SQLITE_OK);
	assert_int_equal(schema_migrations[0].version, 1);
	assert_int_equal(sqlite3_exec(db, schema_migrations[0].sql, NULL, NULL, NULL), SQLITE_OK);
	const char *data =
		"PRAGMA user_version = 1;"
		"INSERT INTO meta VALUES ('db_uuid', '11111111-2222-4333-8444-555555555555');"
		"INSERT INTO form (uuid, year, unit, project, layout, ruleset, status, version, created, updated)"
		" VALUES ('f1', 2021, '市政协', '委员履职', 'beijing-2021', 'beijing', 'submitted', 3,"
		" '2021-01-01T00:00:00.000Z', '2021-02-01T00:00:00.000Z'),"
		" ('f2', 2021, '市政协', '机关运行', 'beijing-2021', 'beijing', 'draft', 1,"
		" '2021-01-01T00:00:00.000Z', '2021-02-01T00:00:00.000Z');"
		"INSERT INTO form_local (id, form_uuid, score, grade, errors) VALUES (7, 'f1', '100', '优', 0),"
		" (8, 'f2', '95.5', '优', 1);"
		"INSERT INTO fund (form_uuid, row, budget, spent) VALUES ('f1', 'total', '738.62892', '738.62892');"
		"INSERT INTO indicator (uuid, form_uuid, pos, name, actual) VALUES ('i2', 'f1', 1, '满意度', '≥95%'),"
		" ('i1', 'f1', 0, '会议次数', '12次');"
		"INSERT INTO history (uuid, form_uuid, path, old_value, new_value, at, user)"
		" VALUES ('h1', 'f1', 'status', 'draft', 'submitted', '2021-02-01T00:00:00.000Z', 'old');";
	char *msg = NULL;
	if (sqlite3_exec(db, data, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s", msg);
	sqlite3_close(db);

	t->s = open_ok(t->path);
	assert_int_equal(store_schema_version(t->s), schema_migrations[schema_n_migrations - 1].version);
	assert_string_equal(store_db_uuid(t->s), "11111111-2222-4333-8444-555555555555");
	struct form *f;
	assert_int_equal(store_load(t->s, 7, &f), STORE_OK);
	assert_string_equal(f->uuid, "f1");
	assert_string_equal(f->project, "委员履职");
	assert_int_equal(f->status, STATUS_SUBMITTED);
	assert_int_equal(f->version, 3);
	assert_string_equal(f->funds[FUND_TOTAL][FUND_BUDGET], "738.62892");
	assert_int_equal(f->n_ind, 2);
	assert_string_equal(f->ind[0].v[IND_NAME], "会议次数");
	assert_string_equal(f->ind[1].v[IND_ACTUAL], "≥95%");
	form_free(f);
	struct hist h = { 0 };
	assert_int_equal(store_history(t->s, 7, collect_history, &h), STORE_OK);
	assert_int_equal(h.n, 1);
	assert_string_equal(h.user[0], "old");
	/* the new sort keys were filled from the old cached scores: 95.5 < 100 */
	struct rows x = { 0 };
	assert_int_equal(store_page(t->s, NULL, SORT_SCORE, false, 0, 10, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.id[0], 8);
	assert_int_equal(x.id[1], 7);
	/* form_local learnt each form's status (schema 3) */
	struct store_filter sub = { .status = "submitted" };
	memset(&x, 0, sizeof x);
	assert_int_equal(store_page(t->s, &sub, SORT_SCORE, false, 0, 10, collect_ids, &x), STORE_OK);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.id[0], 7);
	/* a form inserted now gets the next local id */
	struct form *g = small_form("市政协", 2021, "新项目");
	assert_int_equal(insert(t->s, g), 9);
	form_free(g);
	/* and the new table works */
	assert_int_equal(store_comment_add(t->s, 7, NULL, "ok", NULL), STORE_OK);
	/* reopening applies nothing twice */
	store_close(t->s);
	t->s = open_ok(t->path);
	assert_int_equal(store_schema_version(t->s), schema_migrations[schema_n_migrations - 1].version);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_creates_dir_and_file_private, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_a_file_that_is_not_sqlite, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_a_damaged_file, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_another_programs_database, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_a_newer_schema, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_a_read_only_file, setup, teardown),
		cmocka_unit_test_setup_teardown(opens_to_read_while_another_program_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_an_unwritable_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_an_empty_file_and_a_directory, setup, teardown),
		cmocka_unit_test_setup_teardown(two_processes_see_each_others_saves, setup, teardown),
		cmocka_unit_test(default_path),
		cmocka_unit_test_setup_teardown(insert_load_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(insert_refuses_a_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(save_field_writes_history, setup, teardown),
		cmocka_unit_test_setup_teardown(save_field_refuses_stale_and_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(save_form_diffs_into_history, setup, teardown),
		cmocka_unit_test_setup_teardown(every_status_change_allowed_or_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(return_needs_a_reason_and_history_keeps_it, setup, teardown),
		cmocka_unit_test_setup_teardown(submitted_and_approved_forms_refuse_edits, setup, teardown),
		cmocka_unit_test_setup_teardown(delete_keeps_history_and_frees_the_key, setup, teardown),
		cmocka_unit_test_setup_teardown(list_and_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(pages_sort_by_every_key, setup, teardown),
		cmocka_unit_test_setup_teardown(summary_sums_exactly, setup, teardown),
		cmocka_unit_test_setup_teardown(comments_add_list_resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(transactions_nest, setup, teardown),
		cmocka_unit_test_setup_teardown(batch_all_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(updated_indexed_for_live_forms_only, setup, teardown),
		cmocka_unit_test_setup_teardown(migrates_a_version_1_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
