/*
 * store_bundle: the SQL behind bundles (see store_bundle.h and bundle.h).
 *
 * Promises:
 * - Its own connection to the store's file for every write, so the store's
 *   cached statements and nesting of transactions are untouched (listing
 *   conflicts reads on the store's connection, store_int.h).  Every create and
 *   every apply is one BEGIN IMMEDIATE ... COMMIT: killed at any moment, the
 *   database is as before (WAL).
 * - Payloads are built and read in an attached in-memory database; a
 *   payload is used only after its schema is found identical to the one
 *   this file makes, and its integrity check passes.
 * - The merge decides per field from the values each side has seen
 *   replaced (schema/004-bundle.sql, 005, 007), in src/merge.c: a field is
 *   taken when the sender has seen this side's value replaced, kept when
 *   this side has seen the sender's value replaced, and kept as a conflict
 *   otherwise; an open conflict is settled only by a side that knew both
 *   values.  This file gathers the facts and applies the decisions.
 *   Nothing is decided by time or by who wrote last.
 * - A deletion is never silently undone, nor a change silently deleted: an
 *   indicator row deleted on one side and changed on the other is a conflict
 *   on the row (merge_indicators, resolve_row).
 */
#include "config.h"
#include "store_bundle.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bundle_auth.h"
#include "form.h"
#include "i18n.h"
#include "input.h"
#include "merge.h"
#include "store_int.h"

/* ---- the payload: a small database of the rows that travel --------------- */

/* @ is the schema name.  Column order is the order rows are copied in. */
static const char payload_ddl[] =
	"CREATE TABLE @.form (uuid TEXT PRIMARY KEY, year INTEGER NOT NULL, unit TEXT NOT NULL,"
	" project TEXT NOT NULL, department TEXT, lead TEXT, phone TEXT, layout TEXT NOT NULL,"
	" ruleset TEXT NOT NULL, status TEXT NOT NULL, return_reason TEXT, goals_expected TEXT,"
	" goals_achieved TEXT, total_weight TEXT, total_score TEXT, total_grade TEXT,"
	" deleted INTEGER NOT NULL, version INTEGER NOT NULL, created TEXT NOT NULL,"
	" updated TEXT NOT NULL);"
	"CREATE TABLE @.fund (form_uuid TEXT NOT NULL, row TEXT NOT NULL, initial TEXT, budget TEXT,"
	" spent TEXT, weight TEXT, rate TEXT, score TEXT, PRIMARY KEY (form_uuid, row));"
	"CREATE TABLE @.indicator (uuid TEXT PRIMARY KEY, form_uuid TEXT NOT NULL, pos INTEGER NOT NULL,"
	" level1 TEXT, level2 TEXT, name TEXT, nature TEXT, target TEXT, unit_of_measure TEXT,"
	" actual TEXT, weight TEXT, score TEXT, deviation TEXT);"
	"CREATE INDEX @.indicator_form ON indicator (form_uuid);"
	"CREATE TABLE @.history (uuid TEXT PRIMARY KEY, form_uuid TEXT NOT NULL, path TEXT NOT NULL,"
	" old_value TEXT, new_value TEXT, at TEXT NOT NULL, user TEXT NOT NULL);"
	"CREATE TABLE @.comment (uuid TEXT PRIMARY KEY, form_uuid TEXT NOT NULL, path TEXT,"
	" author TEXT NOT NULL, at TEXT NOT NULL, text TEXT NOT NULL, resolved INTEGER NOT NULL);"
	"CREATE TABLE @.seen (form_uuid TEXT NOT NULL, tbl TEXT NOT NULL, rk TEXT NOT NULL,"
	" col TEXT NOT NULL, gen INTEGER NOT NULL, v TEXT NOT NULL,"
	" PRIMARY KEY (form_uuid, tbl, rk, col, gen, v)) WITHOUT ROWID;"
	"CREATE TABLE @.tombstone (form_uuid TEXT NOT NULL, tbl TEXT NOT NULL, rk TEXT NOT NULL,"
	" sig TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (tbl, rk));";
/* Added after the first format; a payload without them is read as before
 * (no conflicts carried, part of a chain).  conflict: the values the sender
 * holds open against its own, so every machine that holds the form lists
 * the conflict.  partial: one row when the bundle carries one year of its
 * units only: it stands for no chain (seq is not advanced by it). */
static const struct { const char *name, *ddl; } payload_extra[] = {
	{ "conflict", "CREATE TABLE @.conflict (form_uuid TEXT NOT NULL, tbl TEXT NOT NULL, rk TEXT NOT NULL,"
		      " col TEXT NOT NULL, theirs TEXT, theirs_origin TEXT NOT NULL,"
		      " PRIMARY KEY (form_uuid, tbl, rk, col));" },
	{ "partial", "CREATE TABLE @.partial (year INTEGER NOT NULL);" },
};
#define N_EXTRA (sizeof payload_extra / sizeof payload_extra[0])

/* ---- a connection ---------------------------------------------------------- */

struct conn {
	sqlite3 *db;
	const char *path;	/* for messages */
	char *err;
	size_t errlen;
};

static int fail(struct conn *c, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct conn *c, int code, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->path && code == BUNDLE_ERR)	/* about the database, not the bundle */
		snprintf(c->err, c->errlen, "%s: %s", c->path, msg);
	else
		snprintf(c->err, c->errlen, "%s", msg);
	return code;
}

static int dbfail(struct conn *c)
{
	int rc = sqlite3_extended_errcode(c->db) & 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return fail(c, BUNDLE_ERR, _("the database is locked by another program; try again"));
	if (rc == SQLITE_FULL)
		return fail(c, BUNDLE_ERR, _("the disk is full: nothing was changed"));
	return fail(c, BUNDLE_ERR, _("database error: %s"), sqlite3_errmsg(c->db));
}

static int exec(struct conn *c, const char *sql)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? BUNDLE_OK : dbfail(c);
}

/* The statements of ddl with each @ replaced by schema. */
static int exec_ddl(struct conn *c, const char *ddl, const char *schema)
{
	size_t n = 0, sl = strlen(schema);
	for (const char *p = ddl; *p; p++)
		n += *p == '@' ? sl : 1;
	char *sql = malloc(n + 1), *q = sql;
	if (!sql)
		abort();
	for (const char *p = ddl; *p; p++)
		if (*p == '@') {
			memcpy(q, schema, sl);
			q += sl;
		} else {
			*q++ = *p;
		}
	*q = 0;
	int rc = exec(c, sql);
	free(sql);
	return rc;
}

static sqlite3_stmt *prep(struct conn *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		dbfail(c);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* One integer from a query with up to one text parameter. */
static int query_int(struct conn *c, const char *sql, const char *p1, int64_t *out)
{
	sqlite3_stmt *st = prep(c, sql);
	if (!st)
		return BUNDLE_ERR;
	if (p1)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	*out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(c);
}

/* The tables added since the first format, in schema (those it lacks when
 * missing_only). */
static int extra_ddl(struct conn *c, const char *schema, bool missing_only)
{
	int rc = 0;
	for (size_t i = 0; i < N_EXTRA && rc == 0; i++) {
		int64_t have = 0;
		if (missing_only) {
			char sql[160];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM %s.sqlite_schema WHERE type = 'table'"
				 " AND name = ?1", schema);
			if ((rc = query_int(c, sql, payload_extra[i].name, &have)) != 0)
				break;
		}
		if (!have)
			rc = exec_ddl(c, payload_extra[i].ddl, schema);
	}
	return rc;
}

/* The merged columns of each travelling table, and how a row is keyed. */
static const char *const form_cols[] = {
	"year", "unit", "project", "department", "lead", "phone", "layout", "ruleset", "status",
	"return_reason", "goals_expected", "goals_achieved", "total_weight", "total_score",
	"total_grade", "deleted",
};
static const char *const fund_cols[] = { "initial", "budget", "spent", "weight", "rate", "score" };
static const char *const ind_cols[] = {
	"pos", "level1", "level2", "name", "nature", "target", "unit_of_measure", "actual",
	"weight", "score", "deviation",
};
#define NCOLS(a) ((int)(sizeof a / sizeof a[0]))
#define MAXCOLS 16

enum tbl { TB_FORM, TB_FUND, TB_IND, TB_N };
static const struct tdesc {
	const char *name;
	const char *const *cols;
	int n;
	const char *key;	/* the key columns, selected before the merged ones */
	const char *where;	/* the key bound as ?1 (?2) */
	const char *of_form;	/* rows of one form (?1) */
} td[TB_N] = {
	[TB_FORM] = { "form", form_cols, NCOLS(form_cols), "uuid, uuid", "uuid = ?1", "uuid = ?1" },
	[TB_FUND] = { "fund", fund_cols, NCOLS(fund_cols), "form_uuid, row", "form_uuid = ?1 AND row = ?2",
		      "form_uuid = ?1" },
	[TB_IND] = { "indicator", ind_cols, NCOLS(ind_cols), "uuid, form_uuid", "uuid = ?1",
		     "form_uuid = ?1" },
};

/* The signature of an indicator row, as the tombstone trigger makes it. */
#define IND_SIG "json_array(level1, level2, name, nature, target, unit_of_measure, actual," \
	" weight, score, deviation)"
#define IND_FIELDS_SQL "level1, level2, name, nature, target, unit_of_measure, actual, weight, score, deviation"

static int conn_open(struct conn *c, struct store *s, char *err, size_t errlen)
{
	*c = (struct conn){ .path = store_path(s), .err = err, .errlen = errlen };
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int rc = c->db ? dbfail(c) : fail(c, BUNDLE_ERR, _("out of memory"));
		sqlite3_close(c->db);
		c->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
	/* temp_store: sorting a big bundle must not need a writable /tmp */
	return exec(c, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY");
}

static void conn_close(struct conn *c)
{
	if (c->db && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(c->db);
	c->db = NULL;
}

static void now_iso(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000 % 1000));
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : (const char *)sqlite3_column_text(st, i);
}

static int meta_get(struct conn *c, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st = prep(c, "SELECT value FROM main.meta WHERE key = ?1");
	if (!st)
		return BUNDLE_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	buf[0] = 0;
	if (r == SQLITE_ROW && col_text(st, 0))
		snprintf(buf, len, "%s", col_text(st, 0));
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(c);
}

int sb_role(struct store *s, char role[8], char *err, size_t errlen)
{
	struct conn c;
	int rc = conn_open(&c, s, err, errlen);
	if (rc == BUNDLE_OK)
		rc = meta_get(&c, "role", role, 8);
	if (rc == BUNDLE_OK && strcmp(role, "office") != 0)
		snprintf(role, 8, "unit");
	conn_close(&c);
	return rc;
}

/* ---- create ---------------------------------------------------------------- */

struct sb_create {
	struct conn c;
};

static int add_unit(struct bundle_info *bi, const char *unit)
{
	struct bundle_unit *u = realloc(bi->units, (bi->n_units + 1) * sizeof *u);
	if (!u)
		abort();
	bi->units = u;
	u[bi->n_units++] = (struct bundle_unit){ .unit = xstrdup(unit) };
	return BUNDLE_OK;
}

/* Copy the chosen forms' rows into the payload and count them. */
static const char *const copy_sql[] = {
	"INSERT INTO b.form SELECT uuid, year, unit, project, department, lead, phone, layout, ruleset,"
	" status, return_reason, goals_expected, goals_achieved, total_weight, total_score, total_grade,"
	" deleted, version, created, updated FROM main.form WHERE uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.fund SELECT form_uuid, row, initial, budget, spent, weight, rate, score"
	" FROM main.fund WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.indicator SELECT uuid, form_uuid, pos, level1, level2, name, nature, target,"
	" unit_of_measure, actual, weight, score, deviation FROM main.indicator"
	" WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.comment SELECT uuid, form_uuid, path, author, at, text, resolved FROM main.comment"
	" WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.seen SELECT * FROM main.seen WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.tombstone SELECT * FROM main.tombstone WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.conflict SELECT form_uuid, tbl, rk, col, theirs, theirs_origin FROM main.conflict"
	" WHERE col != '*' AND form_uuid IN (SELECT uuid FROM temp.bsel)",
};

/* Copying is a few big statements, not a loop per form: progress moves in
 * steps of forms * k / steps, and only when the figure changes. */
static void create_tick(const struct bundle_opts *o, size_t *last, size_t forms, size_t k, size_t steps)
{
	size_t done = steps ? forms * k / steps : forms;
	assert(k <= steps);
	if (o->progress && (done != *last || k == steps)) {
		o->progress(o->progress_arg, done, forms);
		*last = done;
	}
}

int sb_create_begin(struct store *s, const struct bundle_opts *o, struct bundle_info *bi,
		    unsigned char **payload, size_t *len, struct sb_create **out,
		    char *err, size_t errlen)
{
	struct sb_create *h = calloc(1, sizeof *h);
	struct conn *c = &h->c;
	sqlite3_stmt *st = NULL;
	int rc;
	if (!h)
		abort();
	*out = NULL;
	*payload = NULL;
	*len = 0;
	if ((rc = conn_open(c, s, err, errlen)) != BUNDLE_OK ||
	    (rc = exec(c, "ATTACH ':memory:' AS b")) != BUNDLE_OK ||
	    (rc = exec_ddl(c, payload_ddl, "b")) != BUNDLE_OK ||
	    (rc = extra_ddl(c, "b", false)) != BUNDLE_OK ||
	    (rc = exec(c, "BEGIN IMMEDIATE")) != BUNDLE_OK)
		goto fail;
	if (o->office && (rc = exec(c, "INSERT OR REPLACE INTO main.meta VALUES ('role', 'office')")) != BUNDLE_OK)
		goto fail;
	if ((rc = meta_get(c, "role", bi->role, sizeof bi->role)) != BUNDLE_OK ||
	    (rc = meta_get(c, "db_uuid", bi->origin, sizeof bi->origin)) != BUNDLE_OK)
		goto fail;
	if (strcmp(bi->role, "office") != 0)
		snprintf(bi->role, sizeof bi->role, "unit");
	bi->full = o->all;
	/* every form of one year only: no chain's complete state (issue 21) */
	bool partial = o->all && o->year;
	now_iso(bi->created);

	if ((rc = exec(c, "CREATE TEMP TABLE IF NOT EXISTS bsel (uuid TEXT PRIMARY KEY);"
			  "DELETE FROM temp.bsel")) != BUNDLE_OK ||
	    !(st = prep(c, "INSERT INTO temp.bsel SELECT uuid FROM main.form"
			" WHERE (?1 OR uuid IN (SELECT form_uuid FROM main.bundle_dirty)"
			" OR uuid NOT IN (SELECT form_uuid FROM main.bundle_sent))"
			" AND (?2 IS NULL OR unit = ?2) AND (?3 = 0 OR year = ?3)"))) {
		rc = BUNDLE_ERR;
		goto fail;
	}
	sqlite3_bind_int(st, 1, o->all);
	if (o->unit)
		sqlite3_bind_text(st, 2, o->unit, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, o->year);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = dbfail(c);
		goto fail;
	}
	bi->forms = sqlite3_changes(c->db);
	sqlite3_finalize(st);
	st = NULL;
	if (bi->forms == 0) {
		rc = BUNDLE_EMPTY;
		goto fail;
	}

	/* The units it is made for, each with its next number. */
	if (o->unit) {
		add_unit(bi, o->unit);
	} else {
		if (!(st = prep(c, "SELECT DISTINCT unit FROM main.form WHERE uuid IN (SELECT uuid FROM temp.bsel)"
				" ORDER BY unit"))) {
			rc = BUNDLE_ERR;
			goto fail;
		}
		int r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW)
			add_unit(bi, col_text(st, 0) ? col_text(st, 0) : "");
		sqlite3_finalize(st);
		st = NULL;
		if (r != SQLITE_DONE) {
			rc = dbfail(c);
			goto fail;
		}
	}
	for (size_t i = 0; i < bi->n_units; i++) {
		if ((rc = query_int(c, "SELECT ifnull(max(seq), 0) + 1 FROM main.bundle_seq WHERE unit = ?1",
				    bi->units[i].unit, &bi->units[i].seq)) != BUNDLE_OK)
			goto fail;
		if (partial)	/* numbered as the next one would be; the receiver ignores it */
			continue;
		if (!(st = prep(c, "INSERT OR REPLACE INTO main.bundle_seq VALUES (?1, ?2)"))) {
			rc = BUNDLE_ERR;
			goto fail;
		}
		sqlite3_bind_text(st, 1, bi->units[i].unit, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, bi->units[i].seq);
		int r = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (r != SQLITE_DONE) {
			rc = dbfail(c);
			goto fail;
		}
	}

	const size_t steps = sizeof copy_sql / sizeof copy_sql[0] + 1;	/* + history */
	size_t shown = (size_t)-1;
	create_tick(o, &shown, (size_t)bi->forms, 0, steps);
	for (size_t i = 0; i < sizeof copy_sql / sizeof copy_sql[0]; i++) {
		if ((rc = exec(c, copy_sql[i])) != BUNDLE_OK)
			goto fail;
		create_tick(o, &shown, (size_t)bi->forms, i + 1, steps);
	}
	/* History rows not sent before (all of them for a full bundle). */
	if (!(st = prep(c, "INSERT INTO b.history SELECT h.uuid, h.form_uuid, h.path, h.old_value,"
			" h.new_value, h.at, h.user FROM main.history h"
			" WHERE h.form_uuid IN (SELECT uuid FROM temp.bsel) AND (?1 OR h.rowid >"
			" ifnull((SELECT history_id FROM main.bundle_sent s WHERE s.form_uuid = h.form_uuid), 0))"))) {
		rc = BUNDLE_ERR;
		goto fail;
	}
	sqlite3_bind_int(st, 1, o->all);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = dbfail(c);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	create_tick(o, &shown, (size_t)bi->forms, steps, steps);
	if ((rc = query_int(c, "SELECT count(*) FROM b.history", NULL, &bi->changes)) != BUNDLE_OK ||
	    (rc = query_int(c, "SELECT count(*) FROM b.comment", NULL, &bi->comments)) != BUNDLE_OK)
		goto fail;
	if (partial && !(st = prep(c, "INSERT INTO b.partial VALUES (?1)"))) {
		rc = BUNDLE_ERR;
		goto fail;
	}
	if (partial) {
		sqlite3_bind_int(st, 1, o->year);
		int r = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (r != SQLITE_DONE) {
			rc = dbfail(c);
			goto fail;
		}
	}
	/* What was sent is no longer new, unless the bundle is no link of a
	 * chain: then the next one carries it again. */
	if (!partial && (rc = exec(c, "DELETE FROM main.bundle_dirty WHERE form_uuid IN (SELECT uuid FROM temp.bsel);"
			  "INSERT OR REPLACE INTO main.bundle_sent SELECT uuid, ifnull((SELECT max(h.rowid)"
			  " FROM main.history h WHERE h.form_uuid = bsel.uuid), 0) FROM temp.bsel")) != BUNDLE_OK)
		goto fail;

	sqlite3_int64 n = 0;
	unsigned char *img = sqlite3_serialize(c->db, "b", &n, 0);
	if (!img) {
		rc = fail(c, BUNDLE_ERR, _("out of memory"));
		goto fail;
	}
	*payload = malloc((size_t)n);
	if (!*payload)
		abort();
	memcpy(*payload, img, (size_t)n);
	*len = (size_t)n;
	sqlite3_free(img);
	*out = h;
	return BUNDLE_OK;
fail:
	sqlite3_finalize(st);
	conn_close(c);
	free(h);
	return rc;
}

int sb_create_end(struct sb_create *h, bool commit, char *err, size_t errlen)
{
	int rc = BUNDLE_OK;
	if (!h)
		return BUNDLE_OK;
	h->c.err = err;
	h->c.errlen = errlen;
	if (commit)
		rc = exec(&h->c, "COMMIT");
	conn_close(&h->c);	/* rolls back what was not committed */
	free(h);
	return rc;
}

/* ---- reading a payload ------------------------------------------------------- */

/* Attach the payload as schema b (in memory; never written: BEGIN IMMEDIATE
 * would refuse a read-only one) and check it is ours and whole. */
/* The input rule (src/input.h) on every field a bundle carries: a bundle
 * with one refused text is refused whole, with the same message as `set`. */
static int check_text(struct conn *c)
{
	static const char *const field_cols[][2] = {
		{ "project", "project" }, { "department", "department" }, { "unit", "unit" },
		{ "lead", "lead" }, { "phone", "phone" }, { "goals_expected", "goals.expected" },
		{ "goals_achieved", "goals.achieved" }, { "total_weight", "total.weight" },
		{ "total_score", "total.score" }, { "total_grade", "total.grade" },
	};
	char sql[4096], path[96], why[400];
	size_t n = 0;
	for (size_t i = 0; i < sizeof field_cols / sizeof field_cols[0]; i++)
		n += (size_t)snprintf(sql + n, sizeof sql - n, "%sSELECT '%s', %s, project FROM b.form",
				      i ? " UNION ALL " : "", field_cols[i][1], field_cols[i][0]);
	for (int k = 0; k < FUND_COLS; k++)
		n += (size_t)snprintf(sql + n, sizeof sql - n,
				      " UNION ALL SELECT 'funds.' || f.row || '.%s', f.%s, p.project FROM b.fund f"
				      " JOIN b.form p ON p.uuid = f.form_uuid", fund_col_key[k], fund_col_key[k]);
	for (int k = 0; k < IND_FIELDS; k++)
		n += (size_t)snprintf(sql + n, sizeof sql - n,
				      " UNION ALL SELECT 'indicators[' || i.pos || '].%s', i.%s, p.project"
				      " FROM b.indicator i JOIN b.form p ON p.uuid = i.form_uuid",
				      ind_field_key[k], ind_field_key[k]);
	assert(n < sizeof sql);
	sqlite3_stmt *st = prep(c, sql);
	if (!st)
		return BUNDLE_ERR;
	int rc = BUNDLE_OK, r;
	while (rc == BUNDLE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		snprintf(path, sizeof path, "%s", col_text(st, 0) ? col_text(st, 0) : "");
		if (input_check(path, col_text(st, 1), why, sizeof why) != 0)
			rc = fail(c, BUNDLE_REFUSED, _("the bundle is refused: form %s: %s"),
				  col_text(st, 2) ? col_text(st, 2) : "", why);
	}
	if (rc == BUNDLE_OK && r != SQLITE_DONE)
		rc = dbfail(c);
	sqlite3_finalize(st);
	return rc;
}

static int attach_payload(struct conn *c, const struct bundle_info *bi, const void *payload, size_t len)
{
	int64_t n;
	int rc;
	if (len == 0)
		return fail(c, BUNDLE_DAMAGED, _("the bundle holds no data"));
	unsigned char *buf = sqlite3_malloc64(len);
	if (!buf)
		return fail(c, BUNDLE_ERR, _("out of memory"));
	memcpy(buf, payload, len);
	/* the reference first: once b is there, any error is b's */
	if ((rc = exec(c, "ATTACH ':memory:' AS r")) != BUNDLE_OK ||
	    (rc = exec_ddl(c, payload_ddl, "r")) != BUNDLE_OK ||
	    (rc = extra_ddl(c, "r", false)) != BUNDLE_OK ||
	    (rc = exec(c, "ATTACH ':memory:' AS b")) != BUNDLE_OK) {
		sqlite3_free(buf);
		return rc;
	}
	/* resizeable: a payload of the first format gets the tables added since
	 * (extra_ddl), empty, in memory only */
	if (sqlite3_deserialize(c->db, "b", buf, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
		return fail(c, BUNDLE_DAMAGED, _("the bundle's data is damaged"));
	/* Any error reading b means the image is not a sound database. */
	if (query_int(c, "SELECT (SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM b.sqlite_schema"
		      " EXCEPT SELECT type, name, tbl_name, sql FROM r.sqlite_schema))"
		      " + (SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM r.sqlite_schema"
		      " EXCEPT SELECT type, name, tbl_name, sql FROM b.sqlite_schema)"
		      " WHERE tbl_name NOT IN ('conflict', 'partial')"
		      "  OR tbl_name IN (SELECT tbl_name FROM b.sqlite_schema))", NULL, &n) != BUNDLE_OK || n)
		return fail(c, BUNDLE_DAMAGED, _("the bundle's data is not what jxzp writes"));
	sqlite3_stmt *st = prep(c, "PRAGMA b.integrity_check(1)");
	const char *res = st && sqlite3_step(st) == SQLITE_ROW ? col_text(st, 0) : NULL;
	bool sound = res && strcmp(res, "ok") == 0;
	sqlite3_finalize(st);
	if (!sound)
		return fail(c, BUNDLE_DAMAGED, _("the bundle's data is damaged"));
	if ((rc = extra_ddl(c, "b", true)) != BUNDLE_OK)	/* an older bundle: none carried */
		return rc;
	int64_t forms, changes, comments, strays, bad;
	if ((rc = query_int(c, "SELECT count(*) FROM b.form", NULL, &forms)) != BUNDLE_OK ||
	    (rc = query_int(c, "SELECT count(*) FROM b.history", NULL, &changes)) != BUNDLE_OK ||
	    (rc = query_int(c, "SELECT count(*) FROM b.comment", NULL, &comments)) != BUNDLE_OK ||
	    (rc = query_int(c, "SELECT (SELECT count(*) FROM b.fund WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.indicator WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.history WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.comment WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.seen WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.tombstone WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.conflict WHERE form_uuid NOT IN (SELECT uuid FROM b.form))",
			    NULL, &strays)) != BUNDLE_OK ||
	    (rc = query_int(c, "SELECT count(*) FROM b.form WHERE status NOT IN"
			    " ('draft', 'submitted', 'returned', 'approved') OR deleted NOT IN (0, 1)"
			    " OR typeof(year) != 'integer' OR unit = '' OR project = ''"
			    " OR length(uuid) != 36", NULL, &bad)) != BUNDLE_OK)
		return rc;
	if (forms != bi->forms || changes != bi->changes || comments != bi->comments)
		return fail(c, BUNDLE_DAMAGED, _("the bundle's header does not match its data"));
	if (strays || bad)
		return fail(c, BUNDLE_DAMAGED, _("the bundle holds rows that are not whole forms"));
	/* Every form must belong to a unit the header names. */
	if (!(st = prep(c, "SELECT uuid, unit, year, project FROM b.form ORDER BY unit, year, project")))
		return BUNDLE_ERR;
	int r;
	rc = BUNDLE_OK;
	while (rc == BUNDLE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *unit = col_text(st, 1);
		bool listed = false;
		for (size_t i = 0; i < bi->n_units && !listed; i++)
			listed = unit && strcmp(unit, bi->units[i].unit) == 0;
		if (!listed)
			rc = fail(c, BUNDLE_REFUSED,
				  _("the bundle carries a form of %s (%d, %s), a unit it was not made for"),
				  unit ? unit : "", sqlite3_column_int(st, 2), col_text(st, 3));
	}
	if (rc == BUNDLE_OK && r != SQLITE_DONE)
		rc = dbfail(c);
	sqlite3_finalize(st);
	if (rc == BUNDLE_OK)
		rc = check_text(c);
	return rc;
}

int sb_check(const struct bundle_info *bi, const void *payload, size_t len, char *err, size_t errlen)
{
	struct conn c = { .err = err, .errlen = errlen };
	if (sqlite3_open_v2(":memory:", &c.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		sqlite3_close(c.db);
		return fail(&c, BUNDLE_ERR, _("out of memory"));
	}
	int rc = attach_payload(&c, bi, payload, len);
	conn_close(&c);
	return rc;
}

/* ---- apply ------------------------------------------------------------------- */

enum {
	A_SEEN_LIST_MAIN, A_SEEN_LIST_B, A_PENDING, A_CONFLICT_MINE, A_FORM_CONFLICTS,
	A_LOCAL_ONLY_ROWS, A_SET_DELETED, A_CARRIED, A_DIRTY, A_CONFLICT_SAME,
	A_CONFLICT_PUT, A_CONFLICT_DEL,
	A_FORM_LOCAL, A_FORM_INS, A_LOCAL_INS, A_LOCAL_ID, A_BUMP,
	A_FUNDS_B, A_FUND_INS, A_INDS_B, A_IND_INS, A_TOMB_LOCAL, A_TOMBS_B, A_IND_SIG, A_IND_DEL,
	A_TOMB_DEL, A_COMMENTS_INS, A_COMMENTS_RESOLVED, A_SIG_AT,
	A_STAR_SEEN_MAIN, A_STAR_SEEN_B, A_D_SETTLE, A_TOMB_SET, A_P_SETTLE,
	A_N
};
static const char *const asql[A_N] = {
	[A_SEEN_LIST_MAIN] = "SELECT v FROM main.seen WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4",
	[A_SEEN_LIST_B] = "SELECT v FROM b.seen WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4",
	[A_PENDING] = "SELECT theirs FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4",
	[A_CONFLICT_MINE] = "UPDATE main.conflict SET mine = ?5 WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3"
			    " AND col = ?4",
	[A_FORM_CONFLICTS] = "SELECT count(*) FROM main.conflict WHERE form_uuid = ?1",
	/* rows here that the sender neither has nor deleted: added here since */
	[A_LOCAL_ONLY_ROWS] = "SELECT count(*) FROM main.indicator WHERE form_uuid = ?1"
			      " AND uuid NOT IN (SELECT uuid FROM b.indicator)"
			      " AND NOT EXISTS (SELECT 1 FROM b.tombstone t WHERE t.tbl = 'indicator'"
			      "  AND t.rk = indicator.uuid)",	/* by its key: no scan per form */
	[A_SET_DELETED] = "UPDATE main.form SET deleted = ?2 WHERE uuid = ?1",
	/* a conflict found here goes on in the next bundle, so every machine
	 * holding the form comes to list it */
	[A_DIRTY] = "INSERT OR IGNORE INTO main.bundle_dirty VALUES (?1)",
	[A_CONFLICT_SAME] = "SELECT count(*) FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3"
			    " AND col = ?4 AND mine IS ?5 AND theirs IS ?6",
	[A_CARRIED] = "SELECT tbl, rk, col, theirs, theirs_origin FROM b.conflict WHERE form_uuid = ?1"
		      " ORDER BY tbl, rk, col",
	[A_CONFLICT_PUT] = "INSERT OR REPLACE INTO main.conflict VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[A_CONFLICT_DEL] = "DELETE FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4",
	[A_FORM_LOCAL] = "SELECT status, unit, year, project FROM main.form WHERE uuid = ?1",
	[A_FORM_INS] = "INSERT INTO main.form (uuid, year, unit, project, department, lead, phone, layout,"
		       " ruleset, status, return_reason, goals_expected, goals_achieved, total_weight,"
		       " total_score, total_grade, deleted, version, created, updated)"
		       " SELECT uuid, year, unit, project, department, lead, phone, layout, ruleset, status,"
		       " return_reason, goals_expected, goals_achieved, total_weight, total_score, total_grade,"
		       " deleted, 1, created, updated FROM b.form WHERE uuid = ?1",
	[A_LOCAL_INS] = "INSERT OR IGNORE INTO main.form_local (form_uuid) VALUES (?1)",
	[A_LOCAL_ID] = "SELECT id FROM main.form_local WHERE form_uuid = ?1",
	[A_BUMP] = "UPDATE main.form SET version = version + 1, updated = ?2 WHERE uuid = ?1",
	[A_FUNDS_B] = "SELECT form_uuid, row, initial, budget, spent, weight, rate, score FROM b.fund"
		      " WHERE form_uuid = ?1",
	[A_FUND_INS] = "INSERT INTO main.fund SELECT * FROM b.fund WHERE form_uuid = ?1 AND row = ?2",
	[A_INDS_B] = "SELECT uuid, form_uuid, pos, level1, level2, name, nature, target, unit_of_measure,"
		     " actual, weight, score, deviation, " IND_SIG ", json_array(pos, " IND_FIELDS_SQL ")"
		     " FROM b.indicator WHERE form_uuid = ?1",
	[A_IND_INS] = "INSERT INTO main.indicator SELECT * FROM b.indicator WHERE uuid = ?1",
	[A_TOMB_LOCAL] = "SELECT sig FROM main.tombstone WHERE tbl = 'indicator' AND rk = ?1",
	[A_TOMBS_B] = "SELECT rk, sig FROM b.tombstone WHERE form_uuid = ?1 AND tbl = 'indicator'",
	[A_IND_SIG] = "SELECT form_uuid, " IND_SIG ", " IND_FIELDS_SQL " FROM main.indicator WHERE uuid = ?1",
	[A_SIG_AT] = "SELECT json_extract(?1, '$[' || ?2 || ']') IS ?3",
	[A_IND_DEL] = "DELETE FROM main.indicator WHERE uuid = ?1",
	[A_TOMB_DEL] = "DELETE FROM main.tombstone WHERE tbl = 'indicator' AND rk = ?1",
	[A_COMMENTS_INS] = "INSERT OR IGNORE INTO main.comment SELECT * FROM b.comment WHERE form_uuid = ?1",
	/* Has this side (the sender) overruled the deletion of a row with this
	 * signature (kept the row)?  Recorded as a seen value '-' || sig of col '*'. */
	[A_STAR_SEEN_MAIN] = "SELECT 1 FROM main.seen WHERE form_uuid = ?1 AND tbl = 'indicator' AND rk = ?2"
			     " AND col = '*' AND v = '-' || ?3",
	[A_STAR_SEEN_B] = "SELECT 1 FROM b.seen WHERE form_uuid = ?1 AND tbl = 'indicator' AND rk = ?2"
			  " AND col = '*' AND v = '-' || ?3",
	/* A row deleted here and changed there is settled when the sender
	 * deleted that very version (theirs without its position). */
	[A_D_SETTLE] = "DELETE FROM main.conflict WHERE form_uuid = ?1 AND tbl = 'indicator' AND rk = ?2"
		       " AND col = '*' AND mine IS NULL AND json_remove(theirs, '$[0]') = ?3",
	[A_TOMB_SET] = "UPDATE main.tombstone SET sig = ?2 WHERE tbl = 'indicator' AND rk = ?1",
	/* A row changed here and deleted there is settled when the sender has
	 * overruled that deletion (kept the row). */
	[A_P_SETTLE] = "DELETE FROM main.conflict WHERE form_uuid = ?1 AND tbl = 'indicator' AND col = '*'"
		       " AND mine IS NOT NULL AND EXISTS (SELECT 1 FROM b.seen s WHERE s.form_uuid = ?1"
		       " AND s.tbl = 'indicator' AND s.rk = conflict.rk AND s.col = '*'"
		       " AND s.v = '-' || conflict.theirs)",
	[A_COMMENTS_RESOLVED] = "UPDATE main.comment SET resolved = 1 WHERE resolved = 0 AND uuid IN"
				" (SELECT uuid FROM b.comment WHERE form_uuid = ?1 AND resolved = 1)",
};

struct ap {
	struct conn c;
	const struct bundle_info *bi;
	bool office;		/* the sender's role */
	char self[37];
	char at[32];
	sqlite3_stmt *q[A_N];
	sqlite3_stmt *local[TB_N], *upd[TB_N];
	struct bundle_result *r;
	int64_t *touched;
	size_t n_touched, cap_touched;
	/* the form being merged, for messages */
	const char *unit, *project;
	int year;
	/* and what its merge found so far */
	bool form_conflicts;	/* it has open conflicts here */
	bool mine_unseen;	/* changes here the sender has not seen */
	bool theirs_unseen;	/* changes there this side has not seen */
	bool del_pending;	/* the 'deleted' column differs: decided last */
	enum merge_dec del_dec;
	sqlite3_value *del_mine, *del_theirs;
	bool partial;		/* the bundle is no link of a chain */
};

static sqlite3_stmt *A(struct ap *a, int which)
{
	sqlite3_reset(a->q[which]);
	sqlite3_clear_bindings(a->q[which]);
	return a->q[which];
}

static int step_done(struct ap *a, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return r == SQLITE_DONE || r == SQLITE_ROW ? BUNDLE_OK : dbfail(&a->c);
}

/* Equal as stored values: both absent, or the same text. */
static bool veq(sqlite3_value *x, sqlite3_value *y)
{
	int tx = sqlite3_value_type(x), ty = sqlite3_value_type(y);
	if (tx == SQLITE_NULL || ty == SQLITE_NULL)
		return tx == ty;
	const unsigned char *a = sqlite3_value_text(x), *b = sqlite3_value_text(y);
	int na = sqlite3_value_bytes(x), nb = sqlite3_value_bytes(y);
	return na == nb && (na == 0 || memcmp(a, b, (size_t)na) == 0);
}

/* The key of a value in seen: '=' + text, or '~' for absent.  Caller frees. */
static char *seen_key(sqlite3_value *v)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		return xstrdup("~");
	const char *t = (const char *)sqlite3_value_text(v);
	size_t n = (size_t)sqlite3_value_bytes(v);
	char *k = malloc(n + 2);
	if (!k)
		abort();
	k[0] = '=';
	memcpy(k + 1, t ? t : "", n);
	k[n + 1] = 0;
	return k;
}

struct field {
	const char *fu, *tbl, *rk, *col;
};

static void bind_field(sqlite3_stmt *st, const struct field *f)
{
	sqlite3_bind_text(st, 1, f->fu, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, f->tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, f->rk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, f->col, -1, SQLITE_STATIC);
}

/* The keys of the values a field lost, on one side (which: A_SEEN_LIST_*). */
struct keys {
	char **v;
	size_t n, cap;
};

static void keys_free(struct keys *k)
{
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i]);
	free(k->v);
	*k = (struct keys){ 0 };
}

static int keys_load(struct ap *a, int which, const struct field *f, struct keys *k)
{
	sqlite3_stmt *st = A(a, which);
	bind_field(st, f);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (k->n == k->cap) {
			k->cap = k->cap ? 2 * k->cap : 8;
			k->v = realloc(k->v, k->cap * sizeof *k->v);
			if (!k->v)
				abort();
		}
		k->v[k->n++] = xstrdup(col_text(st, 0) ? col_text(st, 0) : "");
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? BUNDLE_OK : dbfail(&a->c);
}

/* Both sides of a field as merge.c takes them; free with sides_free. */
struct sides {
	struct merge_side mine, theirs;
	struct keys km, kt;
	char *vm, *vt;
};

static void sides_free(struct sides *s)
{
	keys_free(&s->km);
	keys_free(&s->kt);
	free(s->vm);
	free(s->vt);
}

static int sides_load(struct ap *a, const struct field *f, sqlite3_value *c, sqlite3_value *n, struct sides *s)
{
	*s = (struct sides){ .vm = seen_key(c), .vt = seen_key(n) };
	int rc = keys_load(a, A_SEEN_LIST_MAIN, f, &s->km);
	if (rc == BUNDLE_OK)
		rc = keys_load(a, A_SEEN_LIST_B, f, &s->kt);
	s->mine = (struct merge_side){ s->vm, (const char *const *)s->km.v, s->km.n };
	s->theirs = (struct merge_side){ s->vt, (const char *const *)s->kt.v, s->kt.n };
	return rc;
}

/* theirs of an open conflict on the field, as a key (NULL: none); caller frees. */
static int pending_of(struct ap *a, const struct field *f, char **out)
{
	*out = NULL;
	if (!a->form_conflicts)
		return BUNDLE_OK;
	sqlite3_stmt *st = A(a, A_PENDING);
	bind_field(st, f);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = seen_key(sqlite3_column_value(st, 0));
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(&a->c);
}

/* The merge of one field (merge.c decides): mine is c, theirs is n. */
static int decide(struct ap *a, const struct field *f, sqlite3_value *c, sqlite3_value *n,
		  struct merge_field_out *o)
{
	char *pend = NULL;
	int rc = pending_of(a, f, &pend);
	*o = (struct merge_field_out){ MERGE_SAME, false };
	if (rc != BUNDLE_OK || (!pend && veq(c, n)))
		return rc;
	struct sides sd;
	rc = sides_load(a, f, c, n, &sd);
	if (rc == BUNDLE_OK)
		*o = merge_field(&sd.mine, &sd.theirs, pend);
	sides_free(&sd);
	free(pend);
	return rc;
}

static void bind_value_text(sqlite3_stmt *st, int i, sqlite3_value *v)
{
	if (sqlite3_value_type(v) == SQLITE_NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, (const char *)sqlite3_value_text(v), sqlite3_value_bytes(v),
				  SQLITE_TRANSIENT);
}

static int run_fu(struct ap *a, int which, const char *fu)
{
	sqlite3_stmt *st = A(a, which);
	sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
	return step_done(a, st);
}

/* theirs_origin: the database theirs comes from (NULL: the sender). */
/* Is this conflict here already, as it is?  Then it is no news to pass on. */
static int conflict_known(struct ap *a, const struct field *f, sqlite3_value *mine, sqlite3_value *theirs,
			  const char *mine_t, const char *theirs_t, bool *known)
{
	sqlite3_stmt *st = A(a, A_CONFLICT_SAME);
	bind_field(st, f);
	if (mine)
		bind_value_text(st, 5, mine);
	else if (mine_t)
		sqlite3_bind_text(st, 5, mine_t, -1, SQLITE_STATIC);
	if (theirs)
		bind_value_text(st, 6, theirs);
	else if (theirs_t)
		sqlite3_bind_text(st, 6, theirs_t, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	*known = r == SQLITE_ROW && sqlite3_column_int64(st, 0) > 0;
	sqlite3_reset(st);
	return r == SQLITE_ROW ? BUNDLE_OK : dbfail(&a->c);
}

static int conflict_put(struct ap *a, const struct field *f, sqlite3_value *mine, sqlite3_value *theirs,
			const char *theirs_origin)
{
	bool known;
	int rc0 = conflict_known(a, f, mine, theirs, NULL, NULL, &known);
	if (rc0 != BUNDLE_OK)
		return rc0;
	sqlite3_stmt *st = A(a, A_CONFLICT_PUT);
	bind_field(st, f);
	bind_value_text(st, 5, mine);
	bind_value_text(st, 6, theirs);
	sqlite3_bind_text(st, 7, a->self, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, theirs_origin ? theirs_origin : a->bi->origin, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, a->at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, 0);
	a->r->conflicts++;
	a->form_conflicts = true;
	int rc = step_done(a, st);
	return rc == BUNDLE_OK && !known ? run_fu(a, A_DIRTY, f->fu) : rc;
}

/* A conflict on a whole indicator row (col '*').  Mine NULL: the row is
 * deleted here and theirs is their row, json_array(pos, fields...).  Theirs
 * not NULL with mine not NULL: the row is here (mine its signature) and
 * theirs is the signature of the row as they deleted it. */
static int conflict_put_row(struct ap *a, const struct field *f, const char *mine, const char *theirs)
{
	bool known;
	int rc0 = conflict_known(a, f, NULL, NULL, mine, theirs, &known);
	if (rc0 != BUNDLE_OK)
		return rc0;
	sqlite3_stmt *cp = A(a, A_CONFLICT_PUT);
	bind_field(cp, f);
	if (mine)
		sqlite3_bind_text(cp, 5, mine, -1, SQLITE_TRANSIENT);
	if (theirs)
		sqlite3_bind_text(cp, 6, theirs, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(cp, 7, a->self, -1, SQLITE_STATIC);
	sqlite3_bind_text(cp, 8, a->bi->origin, -1, SQLITE_STATIC);
	sqlite3_bind_text(cp, 9, a->at, -1, SQLITE_STATIC);
	sqlite3_bind_int64(cp, 10, 0);
	a->r->conflicts++;
	a->form_conflicts = true;
	int rc = step_done(a, cp);
	return rc == BUNDLE_OK && !known ? run_fu(a, A_DIRTY, f->fu) : rc;
}

/* Has one side (which: A_STAR_SEEN_MAIN or _B) kept the row whose deletion
 * had signature sig? */
static int star_seen(struct ap *a, int which, const char *fu, const char *rk, const char *sig, bool *yes)
{
	sqlite3_stmt *st = A(a, which);
	sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, rk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, sig, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	*yes = r == SQLITE_ROW;
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(&a->c);
}

/* A conflict this bundle settles (the other side took one of the values). */
static int conflict_settle(struct ap *a, const struct field *f)
{
	sqlite3_stmt *st = A(a, A_CONFLICT_DEL);
	bind_field(st, f);
	int rc = step_done(a, st);
	if (rc == BUNDLE_OK)
		a->r->settled += sqlite3_changes(a->c.db);
	return rc;
}

static const char *vtext(sqlite3_value *v)
{
	return sqlite3_value_type(v) == SQLITE_NULL ? NULL : (const char *)sqlite3_value_text(v);
}

static bool streq(const char *x, const char *y)
{
	return x && y && strcmp(x, y) == 0;
}

/* The workflow a sender may move a form along.  A unit submits; the office
 * returns and approves, and passes on what units submitted. */
static bool flow_ok(bool office, const char *from, const char *to)
{
	if (!office)
		return streq(to, "submitted") && (streq(from, "draft") || streq(from, "returned"));
	return !streq(to, "draft") && !streq(from, "approved");
}

static int refuse(struct ap *a, const char *why)
{
	return fail(&a->c, BUNDLE_REFUSED, _("refused: %s (form %s, %d, %s); nothing was changed"),
		    why, a->unit ? a->unit : "", a->year, a->project ? a->project : "");
}

/*
 * Merge one row that exists on both sides.  in holds the incoming row (key
 * columns, then the merged ones); locked means only conflicts may come of
 * it (a unit's bundle against a form submitted or approved here).  The
 * form's 'deleted' is only noted here: merge_form decides it last, when it
 * knows whether either side changed the form unseen by the other.
 */
static int merge_row(struct ap *a, enum tbl t, const char *fu, const char *rk, sqlite3_stmt *in,
		     bool locked, bool *changed)
{
	const struct tdesc *d = &td[t];
	sqlite3_stmt *lo = a->local[t];
	sqlite3_value *cv[MAXCOLS] = { 0 }, *nv[MAXCOLS] = { 0 };
	bool taken[MAXCOLS] = { 0 }, still[MAXCOLS] = { 0 };
	bool take = false;
	int rc = BUNDLE_OK;

	for (int i = 0; i < d->n; i++) {
		cv[i] = sqlite3_value_dup(sqlite3_column_value(lo, i));
		nv[i] = sqlite3_value_dup(sqlite3_column_value(in, 2 + i));
		if (!cv[i] || !nv[i])
			abort();
	}
	for (int i = 0; i < d->n && rc == BUNDLE_OK; i++) {
		struct field f = { fu, d->name, rk, d->cols[i] };
		struct merge_field_out o;
		rc = decide(a, &f, cv[i], nv[i], &o);
		if (rc != BUNDLE_OK)
			break;
		enum merge_dec dec = o.dec;
		bool status = t == TB_FORM && strcmp(d->cols[i], "status") == 0;
		bool takes = dec == MERGE_TAKE || dec == MERGE_SETTLE_TAKE;
		bool differ = !veq(cv[i], nv[i]);
		if (t == TB_FORM && strcmp(d->cols[i], "deleted") == 0) {
			if (differ || dec != MERGE_SAME) {
				a->del_pending = true;
				a->del_dec = dec;
				a->del_mine = sqlite3_value_dup(cv[i]);
				a->del_theirs = sqlite3_value_dup(nv[i]);
			}
			continue;
		}
		if (takes && locked && !status) {
			dec = dec == MERGE_SETTLE_TAKE || o.keep_conflict ? MERGE_HOLD : MERGE_CONFLICT;
			takes = false;
		}
		/* kept as a conflict too: a person here may take it (sb_resolve) */
		if ((takes || dec == MERGE_CONFLICT) && status && !flow_ok(a->office, vtext(cv[i]), vtext(nv[i]))) {
			char why[400];
			snprintf(why, sizeof why, a->office ?
				 _("the office's bundle cannot move a form from %s to %s") :
				 _("a unit's bundle cannot move a form from %s to %s (only the office returns or approves)"),
				 vtext(cv[i]), vtext(nv[i]));
			rc = refuse(a, why);
			break;
		}
		if (takes && !a->office && t == TB_FORM &&
		    strcmp(d->cols[i], "return_reason") == 0 && vtext(nv[i])) {
			rc = refuse(a, _("a unit's bundle cannot give a return reason"));
			break;
		}
		if (dec == MERGE_SETTLE_KEEP || dec == MERGE_SETTLE_TAKE)
			rc = conflict_settle(a, &f);
		else if (dec == MERGE_CONFLICT)
			rc = conflict_put(a, &f, cv[i], nv[i], NULL);
		/* what each side has that the other has not seen, for a form deletion */
		a->mine_unseen = a->mine_unseen || dec == MERGE_KEEP || dec == MERGE_CONFLICT ||
			(dec == MERGE_HOLD && differ);
		a->theirs_unseen = a->theirs_unseen || takes || dec == MERGE_CONFLICT ||
			(dec == MERGE_HOLD && differ);
		taken[i] = takes;
		still[i] = takes && o.keep_conflict;
		take = take || takes;
	}
	sqlite3_reset(lo);
	if (rc == BUNDLE_OK && take) {
		sqlite3_stmt *up = a->upd[t];
		sqlite3_reset(up);
		sqlite3_clear_bindings(up);
		for (int i = 0; i < d->n; i++)
			sqlite3_bind_value(up, i + 1, taken[i] ? nv[i] : cv[i]);
		sqlite3_bind_value(up, d->n + 1, sqlite3_column_value(in, 0));
		if (t == TB_FUND)
			sqlite3_bind_value(up, d->n + 2, sqlite3_column_value(in, 1));
		int r = sqlite3_step(up);
		sqlite3_reset(up);
		if (r != SQLITE_DONE)
			rc = (r & 0xff) == SQLITE_CONSTRAINT ?
				refuse(a, _("another form here already has this unit, year and project")) :
				dbfail(&a->c);
		*changed = true;
		/* a conflict that still stands against the value now here */
		for (int i = 0; i < d->n && rc == BUNDLE_OK; i++) {
			if (!still[i])
				continue;
			struct field f = { fu, d->name, rk, d->cols[i] };
			sqlite3_stmt *cm = A(a, A_CONFLICT_MINE);
			bind_field(cm, &f);
			bind_value_text(cm, 5, nv[i]);
			rc = step_done(a, cm);
		}
	}
	for (int i = 0; i < d->n; i++) {
		sqlite3_value_free(cv[i]);
		sqlite3_value_free(nv[i]);
	}
	return rc;
}

/* Look the incoming row up here; true with a->local[t] on the row. */
static int find_local(struct ap *a, enum tbl t, sqlite3_stmt *in, bool *found)
{
	sqlite3_stmt *lo = a->local[t];
	sqlite3_reset(lo);
	sqlite3_clear_bindings(lo);
	sqlite3_bind_value(lo, 1, sqlite3_column_value(in, 0));
	if (t == TB_FUND)
		sqlite3_bind_value(lo, 2, sqlite3_column_value(in, 1));
	int r = sqlite3_step(lo);
	*found = r == SQLITE_ROW;
	if (r != SQLITE_ROW) {
		sqlite3_reset(lo);
		if (r != SQLITE_DONE)
			return dbfail(&a->c);
	}
	return BUNDLE_OK;
}

static int note_touched(struct ap *a, const char *fu)
{
	sqlite3_stmt *st = A(a, A_LOCAL_ID);
	sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		if (a->n_touched == a->cap_touched) {
			a->cap_touched = a->cap_touched ? 2 * a->cap_touched : 64;
			a->touched = realloc(a->touched, a->cap_touched * sizeof *a->touched);
			if (!a->touched)
				abort();
		}
		a->touched[a->n_touched++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(&a->c);
}

static bool unit_listed(const struct bundle_info *bi, const char *unit)
{
	for (size_t i = 0; i < bi->n_units; i++)
		if (streq(unit, bi->units[i].unit))
			return true;
	return false;
}


static int carried_conflicts(struct ap *a, const char *fu);

/* A form new to this database: every row as it comes. */
static int add_form(struct ap *a, const char *fu, const char *status)
{
	if (!a->office && !streq(status, "draft") && !streq(status, "submitted"))
		return refuse(a, _("a unit's bundle cannot bring a form that is already returned or approved"));
	sqlite3_stmt *st = A(a, A_FORM_INS);
	sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return (r & 0xff) == SQLITE_CONSTRAINT ?
			refuse(a, _("another form here already has this unit, year and project; "
				    "rename or delete one of them and apply again")) :
			dbfail(&a->c);
	int rc = run_fu(a, A_LOCAL_INS, fu);
	sqlite3_stmt *f = A(a, A_FUNDS_B);
	sqlite3_bind_text(f, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && sqlite3_step(f) == SQLITE_ROW) {
		sqlite3_stmt *ins = A(a, A_FUND_INS);
		sqlite3_bind_text(ins, 1, fu, -1, SQLITE_STATIC);
		sqlite3_bind_value(ins, 2, sqlite3_column_value(f, 1));
		rc = step_done(a, ins);
	}
	sqlite3_reset(f);
	sqlite3_stmt *in = A(a, A_INDS_B);
	sqlite3_bind_text(in, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && sqlite3_step(in) == SQLITE_ROW) {
		sqlite3_stmt *ins = A(a, A_IND_INS);
		sqlite3_bind_value(ins, 1, sqlite3_column_value(in, 0));
		int r2 = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (r2 != SQLITE_DONE)
			rc = (r2 & 0xff) == SQLITE_CONSTRAINT ?
				refuse(a, _("an indicator row of the bundle belongs to another form here")) :
				dbfail(&a->c);
	}
	sqlite3_reset(in);
	if (rc == BUNDLE_OK)
		rc = run_fu(a, A_COMMENTS_INS, fu);
	a->form_conflicts = false;
	if (rc == BUNDLE_OK)	/* and the conflicts the sender holds open on it */
		rc = carried_conflicts(a, fu);
	if (rc == BUNDLE_OK) {
		a->r->forms_new++;
		rc = note_touched(a, fu);
	}
	return rc;
}

static int merge_funds(struct ap *a, const char *fu, bool locked, bool *changed)
{
	sqlite3_stmt *f = A(a, A_FUNDS_B);
	int rc = BUNDLE_OK;
	sqlite3_bind_text(f, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && sqlite3_step(f) == SQLITE_ROW) {
		bool found;
		if ((rc = find_local(a, TB_FUND, f, &found)) != BUNDLE_OK)
			break;
		if (found) {
			rc = merge_row(a, TB_FUND, fu, (const char *)sqlite3_column_text(f, 1), f, locked, changed);
		} else if (!locked) {
			sqlite3_stmt *ins = A(a, A_FUND_INS);
			sqlite3_bind_text(ins, 1, fu, -1, SQLITE_STATIC);
			sqlite3_bind_value(ins, 2, sqlite3_column_value(f, 1));
			rc = step_done(a, ins);
			*changed = true;
			a->theirs_unseen = true;
		}
	}
	sqlite3_reset(f);
	return rc;
}

/*
 * Is a row no newer than a deleted one (its values in sig)?  Each field must
 * hold the deleted row's value, or a value the other side has seen replaced.
 * The row is at columns off.. of st; incoming says which side it is from.
 */
static int row_not_newer(struct ap *a, const char *fu, const char *rk, sqlite3_stmt *st, int off,
			 const char *sig, bool incoming, bool *not_newer)
{
	*not_newer = true;
	for (int k = 0; k < IND_FIELDS && *not_newer; k++) {
		sqlite3_value *v = sqlite3_column_value(st, off + k);
		sqlite3_stmt *q = A(a, A_SIG_AT);
		sqlite3_bind_text(q, 1, sig, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, k);
		sqlite3_bind_value(q, 3, v);
		int r = sqlite3_step(q);
		bool same = r == SQLITE_ROW && sqlite3_column_int(q, 0);
		sqlite3_reset(q);
		if (r != SQLITE_ROW)
			return dbfail(&a->c);
		if (same)
			continue;
		struct field f = { fu, "indicator", rk, ind_cols[1 + k] };
		struct sides sd;
		int rc = sides_load(a, &f, v, v, &sd);
		if (rc == BUNDLE_OK)	/* the other side has seen this value go */
			*not_newer = incoming ? merge_saw_replaced(&sd.mine, &sd.theirs, sd.vm) :
				merge_saw_replaced(&sd.theirs, &sd.mine, sd.vm);
		sides_free(&sd);
		if (rc != BUNDLE_OK)
			return rc;
	}
	return BUNDLE_OK;
}

/*
 * Indicator rows: merged field by field; rows new to this side are added
 * unless deleted here unchanged; rows the sender deleted go here too unless
 * changed here.  A row deleted on one side and changed on the other is a
 * conflict on the row (col "*") on whichever side meets both: the row
 * stays as it is on each side until a person decides, unless the sender
 * has already decided it (kept the row: a seen '-' || sig of col '*';
 * deleted it: a tombstone whose signature is the changed row).  The
 * conflict table's comment in schema/004 predates this: a row conflict's
 * theirs is now the deleted signature (row here) or, with mine NULL (row
 * deleted here), their row as json_array(pos, fields...).
 */
static int merge_indicators(struct ap *a, const char *fu, bool locked, bool *changed)
{
	sqlite3_stmt *in = A(a, A_INDS_B);
	int rc = BUNDLE_OK;
	sqlite3_bind_text(in, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && sqlite3_step(in) == SQLITE_ROW) {
		const char *uuid = (const char *)sqlite3_column_text(in, 0);
		bool found;
		if ((rc = find_local(a, TB_IND, in, &found)) != BUNDLE_OK)
			break;
		if (found) {
			/* the local row's form_uuid is the last column selected */
			const char *lfu = (const char *)sqlite3_column_text(a->local[TB_IND], td[TB_IND].n);
			if (!streq(lfu, fu)) {
				sqlite3_reset(a->local[TB_IND]);
				rc = refuse(a, _("an indicator row of the bundle belongs to another form here"));
				break;
			}
			rc = merge_row(a, TB_IND, fu, uuid, in, locked, changed);
			continue;
		}
		sqlite3_stmt *tb = A(a, A_TOMB_LOCAL);
		sqlite3_bind_text(tb, 1, uuid, -1, SQLITE_STATIC);
		int r = sqlite3_step(tb);
		bool tomb = r == SQLITE_ROW, deleted_here = false;
		char *sig = tomb ? xstrdup(col_text(tb, 0)) : NULL;
		sqlite3_reset(tb);
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			rc = dbfail(&a->c);
			break;
		}
		bool overruled = false;
		if (tomb)	/* the sender's row is as deleted here, or older */
			rc = row_not_newer(a, fu, uuid, in, 3, sig, true, &deleted_here);
		if (rc == BUNDLE_OK && tomb && !deleted_here)	/* the sender kept it knowing */
			rc = star_seen(a, A_STAR_SEEN_B, fu, uuid, sig, &overruled);
		free(sig);
		if (rc != BUNDLE_OK)
			break;
		struct merge_row_facts mf = { .there = true, .tomb_here = tomb, .not_newer = deleted_here,
					      .overruled = overruled, .locked = locked };
		enum merge_row_dec rd = merge_indicator_row(&mf);
		if (rd == MERGE_ROW_NOTHING)
			continue;
		struct field rf = { fu, "indicator", uuid, "*" };
		a->theirs_unseen = true;
		if (rd == MERGE_ROW_CONFLICT) {
			/* Deleted here, changed there: neither wins; the row stays
			 * deleted here and theirs waits in the conflict. */
			a->mine_unseen = true;
			rc = conflict_put_row(a, &rf, NULL, col_text(in, 14));
			continue;
		}
		if (rd == MERGE_ROW_REVIVE) {	/* the sender kept the row knowing it was deleted: it comes back */
			rc = run_fu(a, A_TOMB_DEL, uuid);
			if (rc == BUNDLE_OK)
				rc = conflict_settle(a, &rf);
		}
		sqlite3_stmt *ins = A(a, A_IND_INS);
		sqlite3_bind_text(ins, 1, uuid, -1, SQLITE_STATIC);
		int r2 = sqlite3_step(ins);
		sqlite3_reset(ins);
		if (rc == BUNDLE_OK && r2 != SQLITE_DONE)
			rc = (r2 & 0xff) == SQLITE_CONSTRAINT ?
				refuse(a, _("an indicator row of the bundle belongs to another form here")) :
				dbfail(&a->c);
		*changed = true;
	}
	sqlite3_reset(in);

	sqlite3_stmt *tbs = A(a, A_TOMBS_B);
	sqlite3_bind_text(tbs, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && sqlite3_step(tbs) == SQLITE_ROW) {
		const char *rk = col_text(tbs, 0), *sig = col_text(tbs, 1);
		sqlite3_stmt *ls = A(a, A_IND_SIG);
		sqlite3_bind_text(ls, 1, rk, -1, SQLITE_STATIC);
		int r = sqlite3_step(ls);
		if (r == SQLITE_DONE) {
			sqlite3_reset(ls);
			/* Gone here too.  If it is gone here with theirs in a conflict
			 * and the sender deleted theirs, that settles it, and the
			 * sender's deletion (the newer row) is the one passed on. */
			sqlite3_stmt *ds = A(a, A_D_SETTLE);
			sqlite3_bind_text(ds, 1, fu, -1, SQLITE_STATIC);
			sqlite3_bind_text(ds, 2, rk, -1, SQLITE_STATIC);
			sqlite3_bind_text(ds, 3, sig, -1, SQLITE_STATIC);
			rc = step_done(a, ds);
			if (rc == BUNDLE_OK && sqlite3_changes(a->c.db) > 0) {
				a->r->settled++;
				sqlite3_stmt *ts = A(a, A_TOMB_SET);
				sqlite3_bind_text(ts, 1, rk, -1, SQLITE_STATIC);
				sqlite3_bind_text(ts, 2, sig, -1, SQLITE_STATIC);
				rc = step_done(a, ts);
			}
			continue;
		}
		if (r != SQLITE_ROW) {
			sqlite3_reset(ls);
			rc = dbfail(&a->c);
			break;
		}
		bool same = false, kept = false;
		if (streq(col_text(ls, 0), fu))	/* this row as deleted there, or older */
			rc = row_not_newer(a, fu, rk, ls, 2, sig, false, &same);
		char *mine = xstrdup(col_text(ls, 1));
		sqlite3_reset(ls);
		if (rc == BUNDLE_OK && !same)	/* a person here kept it against this deletion */
			rc = star_seen(a, A_STAR_SEEN_MAIN, fu, rk, sig, &kept);
		if (rc != BUNDLE_OK) {
			free(mine);
			break;
		}
		struct field f = { fu, "indicator", rk, "*" };
		struct merge_row_facts mf = { .here = true, .tomb_there = true, .not_newer = same,
					      .overruled = kept, .locked = locked };
		enum merge_row_dec rd = merge_indicator_row(&mf);
		if (rd == MERGE_ROW_DELETE) {
			rc = run_fu(a, A_IND_DEL, rk);
			*changed = true;
			a->theirs_unseen = true;
			if (rc == BUNDLE_OK)
				rc = conflict_settle(a, &f);
		} else if (rd == MERGE_ROW_CONFLICT) {
			a->mine_unseen = a->theirs_unseen = true;
			rc = conflict_put_row(a, &f, mine, sig);
		}
		free(mine);
	}
	sqlite3_reset(tbs);
	if (rc == BUNDLE_OK && !a->mine_unseen) {
		sqlite3_stmt *lr = A(a, A_LOCAL_ONLY_ROWS);
		sqlite3_bind_text(lr, 1, fu, -1, SQLITE_STATIC);
		int r = sqlite3_step(lr);
		a->mine_unseen = r == SQLITE_ROW && sqlite3_column_int64(lr, 0) > 0;
		sqlite3_reset(lr);
		if (r != SQLITE_ROW)
			rc = dbfail(&a->c);
	}
	if (rc == BUNDLE_OK) {
		rc = run_fu(a, A_P_SETTLE, fu);
		if (rc == BUNDLE_OK)
			a->r->settled += sqlite3_changes(a->c.db);
	}
	return rc;
}

static bool known_col(const char *tbl, const char *col);

/* The value of one field of this form, here (schema "main") or in the
 * bundle ("b"); *out NULL when the row is not there.  Caller frees. */
static int field_value(struct ap *a, const char *schema, const struct field *f, sqlite3_value **out)
{
	*out = NULL;
	if (!known_col(f->tbl, f->col))
		return BUNDLE_OK;
	char *sql = streq(f->tbl, "form") ?
		sqlite3_mprintf("SELECT %s FROM %s.form WHERE uuid = ?1", f->col, schema) :
		streq(f->tbl, "fund") ?
		sqlite3_mprintf("SELECT %s FROM %s.fund WHERE form_uuid = ?1 AND row = ?2", f->col, schema) :
		sqlite3_mprintf("SELECT %s FROM %s.indicator WHERE form_uuid = ?1 AND uuid = ?2", f->col, schema);
	if (!sql)
		abort();
	sqlite3_stmt *st = prep(&a->c, sql);
	sqlite3_free(sql);
	if (!st)
		return BUNDLE_ERR;
	sqlite3_bind_text(st, 1, f->fu, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(st) >= 2)
		sqlite3_bind_text(st, 2, f->rk, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW && !(*out = sqlite3_value_dup(sqlite3_column_value(st, 0))))
		abort();
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(&a->c);
}

/*
 * The conflicts the sender holds open (carried in the bundle): each becomes
 * one here too, unless this side holds that value already, has seen it
 * replaced (a person here decided it), or has a conflict open on the field.
 * So a conflict met at the office is listed on every machine of the form.
 */
static int carried_conflicts(struct ap *a, const char *fu)
{
	sqlite3_stmt *st = A(a, A_CARRIED);
	sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
	int rc = BUNDLE_OK, r;
	while (rc == BUNDLE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct field f = { fu, col_text(st, 0), col_text(st, 1), col_text(st, 2) };
		if (!f.tbl || !f.rk || !f.col)
			continue;
		sqlite3_value *here = NULL, *there = NULL;
		char *pend = NULL, *carried = seen_key(sqlite3_column_value(st, 3));
		rc = field_value(a, "main", &f, &here);
		if (rc == BUNDLE_OK && here)
			rc = field_value(a, "b", &f, &there);
		if (rc == BUNDLE_OK && here && there)
			rc = pending_of(a, &f, &pend);
		if (rc == BUNDLE_OK && here && there) {
			struct sides sd;
			rc = sides_load(a, &f, here, there, &sd);
			if (rc == BUNDLE_OK && merge_carried_conflict(&sd.mine, &sd.theirs, carried, pend != NULL))
				rc = conflict_put(a, &f, here, sqlite3_column_value(st, 3), col_text(st, 4));
			sides_free(&sd);
		}
		free(pend);
		free(carried);
		sqlite3_value_free(here);
		sqlite3_value_free(there);
	}
	sqlite3_reset(st);
	return rc;
}

/* The form's deletion, decided once the rest of it is merged. */
static int merge_deleted(struct ap *a, const char *fu, bool locked, bool *changed)
{
	struct field f = { fu, "form", "", "deleted" };
	enum merge_dec d = merge_form_deleted(a->del_dec, sqlite3_value_int(a->del_mine) != 0,
					      sqlite3_value_int(a->del_theirs) != 0,
					      a->mine_unseen, a->theirs_unseen);
	bool takes = d == MERGE_TAKE || d == MERGE_SETTLE_TAKE;
	int rc = BUNDLE_OK;
	if (takes && locked) {
		d = d == MERGE_SETTLE_TAKE ? MERGE_HOLD : MERGE_CONFLICT;
		takes = false;
	}
	if (takes) {
		sqlite3_stmt *st = A(a, A_SET_DELETED);
		sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
		sqlite3_bind_value(st, 2, a->del_theirs);
		rc = step_done(a, st);
		*changed = true;
	}
	if (rc == BUNDLE_OK && (d == MERGE_SETTLE_KEEP || d == MERGE_SETTLE_TAKE))
		rc = conflict_settle(a, &f);
	else if (rc == BUNDLE_OK && d == MERGE_CONFLICT)
		rc = conflict_put(a, &f, a->del_mine, a->del_theirs, NULL);
	return rc;
}

static void form_state_reset(struct ap *a)
{
	sqlite3_value_free(a->del_mine);
	sqlite3_value_free(a->del_theirs);
	a->del_mine = a->del_theirs = NULL;
	a->del_pending = a->mine_unseen = a->theirs_unseen = false;
	a->del_dec = MERGE_SAME;
}

static int merge_form(struct ap *a, sqlite3_stmt *bf)
{
	const char *fu = (const char *)sqlite3_column_text(bf, 0);
	a->unit = col_text(bf, 3);	/* columns: uuid, uuid, year, unit, project, ... */
	a->year = sqlite3_column_int(bf, 2);
	a->project = col_text(bf, 4);

	sqlite3_stmt *lf = A(a, A_FORM_LOCAL);
	sqlite3_bind_text(lf, 1, fu, -1, SQLITE_STATIC);
	int r = sqlite3_step(lf);
	/* the authorization hook: may the signer touch this form at all? */
	const char *why = r == SQLITE_ROW || r == SQLITE_DONE ?
		bundle_auth_form(a->bi->auth, a->unit, r == SQLITE_ROW ? col_text(lf, 1) : NULL) : NULL;
	if (why) {
		sqlite3_reset(lf);
		return refuse(a, why);
	}
	if (r == SQLITE_DONE) {
		sqlite3_reset(lf);
		return add_form(a, fu, col_text(bf, 2 + 8));
	}
	if (r != SQLITE_ROW) {
		sqlite3_reset(lf);
		return dbfail(&a->c);
	}
	char status[16];
	snprintf(status, sizeof status, "%s", col_text(lf, 0) ? col_text(lf, 0) : "");
	bool listed = unit_listed(a->bi, col_text(lf, 1));
	sqlite3_value *unit_here = sqlite3_value_dup(sqlite3_column_value(lf, 1));
	sqlite3_reset(lf);
	if (!unit_here)
		abort();
	form_state_reset(a);
	int64_t nconf = 0;
	sqlite3_stmt *fc = A(a, A_FORM_CONFLICTS);
	sqlite3_bind_text(fc, 1, fu, -1, SQLITE_STATIC);
	int rc = sqlite3_step(fc) == SQLITE_ROW ? BUNDLE_OK : dbfail(&a->c);
	nconf = sqlite3_column_int64(fc, 0);
	sqlite3_reset(fc);
	a->form_conflicts = nconf > 0;
	/* A form of a unit the bundle is not made for may still come in when
	 * its 实施单位 was corrected there (they saw this name go) or here
	 * (I saw theirs go), or the correction is already in conflict: the
	 * name is a change like any other.  A name neither side knows of the
	 * other is a form this bundle has no business with. */
	if (rc == BUNDLE_OK && !listed) {
		struct field uf = { fu, "form", "", "unit" };
		struct merge_field_out o;
		rc = decide(a, &uf, unit_here, sqlite3_column_value(bf, 3), &o);
		listed = o.dec != MERGE_CONFLICT;
	}
	sqlite3_value_free(unit_here);
	if (rc == BUNDLE_OK && !listed)
		return refuse(a, _("the form belongs here to a unit the bundle was not made for"));

	bool locked = !a->office && (streq(status, "submitted") || streq(status, "approved"));
	bool changed = false, found = false;
	if (rc == BUNDLE_OK)
		rc = find_local(a, TB_FORM, bf, &found);
	if (rc == BUNDLE_OK && found)
		rc = merge_row(a, TB_FORM, fu, "", bf, locked, &changed);
	if (rc == BUNDLE_OK)
		rc = merge_funds(a, fu, locked, &changed);
	if (rc == BUNDLE_OK)
		rc = merge_indicators(a, fu, locked, &changed);
	if (rc == BUNDLE_OK && a->del_pending)
		rc = merge_deleted(a, fu, locked, &changed);
	if (rc == BUNDLE_OK)
		rc = carried_conflicts(a, fu);
	if (rc == BUNDLE_OK) {
		sqlite3_stmt *ci = A(a, A_COMMENTS_INS);
		sqlite3_bind_text(ci, 1, fu, -1, SQLITE_STATIC);
		rc = step_done(a, ci);
		changed = changed || (rc == BUNDLE_OK && sqlite3_changes(a->c.db) > 0);
	}
	if (rc == BUNDLE_OK) {
		rc = run_fu(a, A_COMMENTS_RESOLVED, fu);
		changed = changed || (rc == BUNDLE_OK && sqlite3_changes(a->c.db) > 0);
	}
	if (rc != BUNDLE_OK)
		return rc;
	if (!changed) {
		a->r->forms_unchanged++;
		return BUNDLE_OK;
	}
	sqlite3_stmt *bump = A(a, A_BUMP);
	sqlite3_bind_text(bump, 1, fu, -1, SQLITE_STATIC);
	sqlite3_bind_text(bump, 2, a->at, -1, SQLITE_STATIC);
	if ((rc = step_done(a, bump)) != BUNDLE_OK)
		return rc;
	a->r->forms_updated++;
	return note_touched(a, fu);
}

/* Per unit: has this database applied the bundles before this one? */
static int check_chain(struct ap *a, bool *already)
{
	size_t old = 0, next = 0;
	sqlite3_stmt *st = prep(&a->c, "SELECT seq, created FROM main.bundle_applied WHERE origin = ?1 AND unit = ?2");
	if (!st)
		return BUNDLE_ERR;
	int rc = BUNDLE_OK;
	for (size_t i = 0; i < a->bi->n_units && rc == BUNDLE_OK; i++) {
		const struct bundle_unit *u = &a->bi->units[i];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, a->bi->origin, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, u->unit, -1, SQLITE_STATIC);
		int r = sqlite3_step(st);
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			rc = dbfail(&a->c);
			break;
		}
		int64_t have = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		/* The last one applied, by number but not by content: the sender
		 * wrote that number again (killed after the file was in place,
		 * before its database noted it).  It is the next link. */
		const char *created = r == SQLITE_ROW ? col_text(st, 1) : NULL;
		bool rewritten = u->seq == have && created && strcmp(created, a->bi->created) != 0;
		if (u->seq <= have && !rewritten)
			old++;
		else if (u->seq == have + 1 || rewritten || a->bi->full)
			next++;
		else
			rc = fail(&a->c, BUNDLE_REFUSED,
				  _("refused: bundle %lld for %s from database %.8s needs the ones before it "
				    "(this database has applied up to %lld): apply %lld to %lld first, "
				    "or ask for a bundle made with --all"),
				  (long long)u->seq, u->unit, a->bi->origin, (long long)have,
				  (long long)have + 1, (long long)u->seq - 1);
	}
	sqlite3_finalize(st);
	if (rc == BUNDLE_OK && old && next)
		rc = fail(&a->c, BUNDLE_REFUSED,
			  _("refused: this bundle from database %.8s was applied here in part already"),
			  a->bi->origin);
	*already = rc == BUNDLE_OK && old > 0;
	return rc;
}

static int record_chain(struct ap *a)
{
	sqlite3_stmt *st = prep(&a->c, "INSERT OR REPLACE INTO main.bundle_applied (origin, unit, seq, at, created)"
				" VALUES (?1, ?2, ?3, ?4, ?5)");
	int rc = st ? BUNDLE_OK : BUNDLE_ERR;
	for (size_t i = 0; i < a->bi->n_units && rc == BUNDLE_OK; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, a->bi->origin, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, a->bi->units[i].unit, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, a->bi->units[i].seq);
		sqlite3_bind_text(st, 4, a->at, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, a->bi->created, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = dbfail(&a->c);
	}
	sqlite3_finalize(st);
	return rc;
}

static int prepare_apply(struct ap *a)
{
	for (int i = 0; i < A_N; i++)
		if (!(a->q[i] = prep(&a->c, asql[i])))
			return BUNDLE_ERR;
	for (int t = 0; t < TB_N; t++) {
		const struct tdesc *d = &td[t];
		char sel[600] = "", set[600] = "";
		size_t ns = 0, nu = 0;
		for (int i = 0; i < d->n; i++) {
			ns += (size_t)snprintf(sel + ns, sizeof sel - ns, "%s%s", i ? ", " : "", d->cols[i]);
			nu += (size_t)snprintf(set + nu, sizeof set - nu, "%s%s = ?%d", i ? ", " : "",
					       d->cols[i], i + 1);
		}
		assert(ns < sizeof sel && nu < sizeof set);
		char *q = sqlite3_mprintf("SELECT %s%s FROM main.%s WHERE %s", sel,
					  t == TB_IND ? ", form_uuid" : "", d->name, d->where);
		/* the key follows the merged columns */
		char *u2 = t == TB_FUND ?
			sqlite3_mprintf("UPDATE main.%s SET %s WHERE form_uuid = ?%d AND row = ?%d",
					d->name, set, d->n + 1, d->n + 2) :
			sqlite3_mprintf("UPDATE main.%s SET %s WHERE uuid = ?%d", d->name, set, d->n + 1);
		if (!q || !u2)
			abort();
		a->local[t] = prep(&a->c, q);
		a->upd[t] = prep(&a->c, u2);
		sqlite3_free(q);
		sqlite3_free(u2);
		if (!a->local[t] || !a->upd[t])
			return BUNDLE_ERR;
	}
	return BUNDLE_OK;
}

static void finalize_apply(struct ap *a)
{
	form_state_reset(a);
	for (int i = 0; i < A_N; i++)
		sqlite3_finalize(a->q[i]);
	for (int t = 0; t < TB_N; t++) {
		sqlite3_finalize(a->local[t]);
		sqlite3_finalize(a->upd[t]);
	}
}

int sb_apply(struct store *s, const struct bundle_info *bi, const void *payload, size_t len,
	     struct bundle_result *r, int64_t **touched, size_t *n_touched,
	     bundle_progress_fn *progress, void *progress_arg, char *err, size_t errlen)
{
	int64_t total = 0;
	size_t done = 0;
	/* the office's powers come from the signer, not the header (bundle_auth.h) */
	struct ap a = { .bi = bi, .r = r, .office = bundle_auth_office(bi->auth) };
	sqlite3_stmt *bf = NULL;
	bool already = false;
	*r = (struct bundle_result){ 0 };
	*touched = NULL;
	*n_touched = 0;
	now_iso(a.at);
	int rc = conn_open(&a.c, s, err, errlen);
	if (rc == BUNDLE_OK)
		rc = meta_get(&a.c, "db_uuid", a.self, sizeof a.self);
	if (rc == BUNDLE_OK && strcmp(a.self, bi->origin) == 0)
		rc = fail(&a.c, BUNDLE_REFUSED, _("refused: this bundle was written by this database"));
	if (rc == BUNDLE_OK)
		rc = attach_payload(&a.c, bi, payload, len);
	if (rc == BUNDLE_OK)
		rc = exec(&a.c, "BEGIN IMMEDIATE");
	int64_t partial = 0;
	if (rc == BUNDLE_OK)
		rc = query_int(&a.c, "SELECT count(*) FROM b.partial", NULL, &partial);
	a.partial = partial > 0;
	/* a bundle of one year stands for no chain: merged, never counted */
	if (rc == BUNDLE_OK && !a.partial)
		rc = check_chain(&a, &already);
	if (rc == BUNDLE_OK && already) {
		r->already = true;
		goto out;
	}
	if (rc == BUNDLE_OK)
		rc = prepare_apply(&a);
	if (rc == BUNDLE_OK && progress)
		rc = query_int(&a.c, "SELECT count(*) FROM b.form", NULL, &total);
	if (rc == BUNDLE_OK && progress)
		progress(progress_arg, 0, (size_t)total);
	if (rc == BUNDLE_OK && !(bf = prep(&a.c, "SELECT uuid, uuid, year, unit, project, department, lead,"
					   " phone, layout, ruleset, status, return_reason, goals_expected,"
					   " goals_achieved, total_weight, total_score, total_grade, deleted"
					   " FROM b.form ORDER BY unit, year, project")))
		rc = BUNDLE_ERR;
	while (rc == BUNDLE_OK) {
		int st = sqlite3_step(bf);
		if (st == SQLITE_DONE)
			break;
		rc = st == SQLITE_ROW ? merge_form(&a, bf) : dbfail(&a.c);
		if (rc == BUNDLE_OK && progress && done < (size_t)total)
			progress(progress_arg, ++done, (size_t)total);
	}
	sqlite3_finalize(bf);
	/* What the sender knows travels on: history, replaced values, deletions. */
	if (rc == BUNDLE_OK)
		rc = exec(&a.c, "INSERT OR IGNORE INTO main.bundle_dirty SELECT DISTINCT form_uuid FROM b.history"
			  " WHERE uuid NOT IN (SELECT uuid FROM main.history);"
			  "INSERT OR IGNORE INTO main.history SELECT * FROM b.history;"
			  /* fields in conflict too: what a side has seen go is
			   * knowledge, and merge.c counts it, never a generation */
			  "INSERT OR IGNORE INTO main.seen SELECT * FROM b.seen;"
			  "INSERT OR IGNORE INTO main.tombstone SELECT * FROM b.tombstone"
			  " WHERE rk NOT IN (SELECT uuid FROM main.indicator)");
	if (rc == BUNDLE_OK && !a.partial)
		rc = record_chain(&a);
	if (rc == BUNDLE_OK)
		rc = exec(&a.c, "COMMIT");
out:
	finalize_apply(&a);
	conn_close(&a.c);	/* rolls back unless committed */
	if (rc == BUNDLE_OK) {
		*touched = a.touched;
		*n_touched = a.n_touched;
	} else {
		free(a.touched);
		*r = (struct bundle_result){ 0 };
	}
	return rc;
}

/* ---- conflicts ------------------------------------------------------------------ */

/* The field path of a stored place, as form.c names it today. */
static void place_path(const char *tbl, const char *rk, const char *col, int64_t ind_index,
		       bool gone, char *buf, size_t len)
{
	static const struct { const char *col, *path; } fp[] = {
		{ "goals_expected", "goals.expected" }, { "goals_achieved", "goals.achieved" },
		{ "total_weight", "total.weight" }, { "total_score", "total.score" },
		{ "total_grade", "total.grade" },
	};
	if (streq(tbl, "form")) {
		for (size_t i = 0; i < sizeof fp / sizeof fp[0]; i++)
			if (streq(col, fp[i].col)) {
				snprintf(buf, len, "%s", fp[i].path);
				return;
			}
		snprintf(buf, len, "%s", col);
	} else if (streq(tbl, "fund")) {
		snprintf(buf, len, "funds.%s.%s", rk, col);
	} else if (gone) {
		/* a row deleted here has no place: named by its identity, so
		 * two of them stay apart and resolve finds each */
		if (streq(col, "*"))
			snprintf(buf, len, "indicators[deleted:%.8s]", rk);
		else
			snprintf(buf, len, "indicators[deleted:%.8s].%s", rk, col);
	} else if (streq(col, "*") || streq(col, "pos")) {
		snprintf(buf, len, "indicators[%lld]", (long long)ind_index);
	} else {
		snprintf(buf, len, "indicators[%lld].%s", (long long)ind_index, col);
	}
}

#define CONFLICT_SELECT \
	"SELECT l.id, c.form_uuid, f.unit, f.year, f.project, c.tbl, c.rk, c.col, c.mine, c.theirs," \
	" c.mine_origin, c.theirs_origin, c.at," \
	" (SELECT count(*) FROM main.indicator i2, main.indicator i WHERE i.uuid = c.rk" \
	"  AND i2.form_uuid = i.form_uuid AND (i2.pos < i.pos OR (i2.pos = i.pos AND i2.uuid < i.uuid)))," \
	" c.tbl = 'indicator' AND NOT EXISTS (SELECT 1 FROM main.indicator i3 WHERE i3.uuid = c.rk)" \
	" FROM main.conflict c JOIN main.form f ON f.uuid = c.form_uuid" \
	" JOIN main.form_local l ON l.form_uuid = c.form_uuid"

static int each_conflict(struct conn *c, int64_t form_id,
			 int (*fn)(const struct bundle_conflict *bc, void *arg), void *arg)
{
	sqlite3_stmt *st = prep(c, CONFLICT_SELECT " WHERE ?1 = 0 OR l.id = ?1"
				" ORDER BY f.unit, f.year, f.project, CASE c.tbl WHEN 'form' THEN 0 WHEN 'fund' THEN 1 ELSE 2 END,"
				" 14, c.rk, c.col");
	if (!st)
		return BUNDLE_ERR;
	sqlite3_bind_int64(st, 1, form_id);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char path[96];
		place_path(col_text(st, 5), col_text(st, 6), col_text(st, 7), sqlite3_column_int64(st, 13),
			   sqlite3_column_int(st, 14), path, sizeof path);
		struct bundle_conflict bc = {
			.form_id = sqlite3_column_int64(st, 0), .form_uuid = col_text(st, 1),
			.unit = col_text(st, 2), .year = sqlite3_column_int(st, 3), .project = col_text(st, 4),
			.path = path, .mine = col_text(st, 8), .theirs = col_text(st, 9),
			.mine_origin = col_text(st, 10), .theirs_origin = col_text(st, 11),
			.at = col_text(st, 12), .tbl = col_text(st, 5), .rk = col_text(st, 6),
			.col = col_text(st, 7),
		};
		if (fn(&bc, arg))
			break;
	}
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : dbfail(c);
}

/* On the store's own connection (one SELECT, so one snapshot): the screen
 * asks for a form's conflicts whenever it shows one, and a connection of
 * our own would cost an open and a schema parse each time. */
int sb_conflicts(struct store *s, int64_t form_id,
		 int (*fn)(const struct bundle_conflict *c, void *arg), void *arg)
{
	char err[256];
	struct conn c = { .db = store_int_db(s), .path = store_path(s), .err = err, .errlen = sizeof err };
	return each_conflict(&c, form_id, fn, arg);
}

/* The conflict asked for, copied out of the listing. */
struct wanted {
	const char *path;
	bool found;
	char form_uuid[37], tbl[16], rk[64], col[32];
	char *mine, *theirs;
	bool mine_null, theirs_null;
	int64_t theirs_gen;
};

static int pick(const struct bundle_conflict *bc, void *arg)
{
	struct wanted *w = arg;
	if (strcmp(bc->path, w->path) != 0)
		return 0;
	w->found = true;
	snprintf(w->form_uuid, sizeof w->form_uuid, "%s", bc->form_uuid);
	snprintf(w->tbl, sizeof w->tbl, "%s", bc->tbl);
	snprintf(w->rk, sizeof w->rk, "%s", bc->rk);
	snprintf(w->col, sizeof w->col, "%s", bc->col);
	w->mine = xstrdup(bc->mine);
	w->theirs = xstrdup(bc->theirs);
	w->mine_null = !bc->mine;
	w->theirs_null = !bc->theirs;
	return 1;
}

static bool known_col(const char *tbl, const char *col)
{
	const struct tdesc *d = streq(tbl, "form") ? &td[TB_FORM] : streq(tbl, "fund") ? &td[TB_FUND] :
		streq(tbl, "indicator") ? &td[TB_IND] : NULL;
	for (int i = 0; d && i < d->n; i++)
		if (strcmp(d->cols[i], col) == 0)
			return true;
	return false;
}

/* Run one statement with text parameters ?1..?n (NULL binds NULL). */
static int run_sql(struct conn *c, const char *sql, int n, const char *const *p)
{
	sqlite3_stmt *st = prep(c, sql);
	if (!st)
		return BUNDLE_ERR;
	for (int i = 0; i < n; i++)
		if (p[i])
			sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_finalize(st);
	return r == SQLITE_DONE || r == SQLITE_ROW ? BUNDLE_OK : dbfail(c);
}

/* '-' || sig in seen (col '*'): this side kept the row against the deletion
 * of signature sig.  Travels, so the deleting side takes the row back. */
#define KEPT_AGAINST_SQL \
	"INSERT OR IGNORE INTO main.seen SELECT ?1, 'indicator', ?2, '*', (SELECT ifnull(max(gen) + 1, 0)" \
	" FROM main.seen WHERE form_uuid = ?1 AND tbl = 'indicator' AND rk = ?2 AND col = '*'), '-' || ?3" \
	" WHERE ?3 IS NOT NULL"
/* The row back from its tombstone (position: at the end), then the tombstone
 * gone and the deletion marked overruled. */
#define KEPT_AGAINST_SQL_FROM_TOMB \
	"INSERT OR IGNORE INTO main.seen SELECT ?1, 'indicator', ?2, '*', (SELECT ifnull(max(gen) + 1, 0)" \
	" FROM main.seen WHERE form_uuid = ?1 AND tbl = 'indicator' AND rk = ?2 AND col = '*'), '-' || sig" \
	" FROM main.tombstone WHERE tbl = 'indicator' AND rk = ?2"
#define REVIVE_FROM_TOMB_SQL \
	"INSERT INTO main.indicator (uuid, form_uuid, pos, " IND_FIELDS_SQL ") SELECT rk, form_uuid," \
	" (SELECT ifnull(max(pos) + 1, 0) FROM main.indicator WHERE form_uuid = ?1)," \
	" json_extract(sig, '$[0]'), json_extract(sig, '$[1]'), json_extract(sig, '$[2]')," \
	" json_extract(sig, '$[3]'), json_extract(sig, '$[4]'), json_extract(sig, '$[5]')," \
	" json_extract(sig, '$[6]'), json_extract(sig, '$[7]'), json_extract(sig, '$[8]')," \
	" json_extract(sig, '$[9]')" \
	" FROM main.tombstone WHERE tbl = 'indicator' AND rk = ?2"

/*
 * Resolve a conflict about a whole row, or about a field of a row deleted
 * here.  A row conflict with mine set: the row is here, theirs deleted it
 * (theirs: the signature they deleted).  With mine NULL: the row is deleted
 * here, theirs changed it (theirs: json_array(pos, fields...)).  Each
 * decision leaves what makes the other sides agree when it travels: a
 * deletion kept is a tombstone whose signature is their row (so their row
 * is "as deleted"); a row kept is the '-' || sig mark above.
 */
static int resolve_row(struct conn *c, const struct wanted *w, bool row, bool gone, bool keep_theirs)
{
	const char *p[4] = { w->form_uuid, w->rk, NULL, NULL };
	int rc = BUNDLE_OK;
	/* changed here and since deleted here too, or deleted here and back since:
	 * nothing is left to decide */
	if (row && ((!w->mine_null && gone) || (w->mine_null && !gone)))
		return BUNDLE_OK;
	if (row && !gone) {
		if (keep_theirs) {	/* deleted, with whatever else was pending on it */
			rc = run_sql(c, "DELETE FROM main.indicator WHERE uuid = ?2 AND form_uuid = ?1", 2, p);
			if (rc == BUNDLE_OK)
				rc = run_sql(c, "DELETE FROM main.conflict WHERE form_uuid = ?1 AND tbl = 'indicator'"
					     " AND rk = ?2 AND col != '*'", 2, p);
		} else {
			p[2] = w->theirs_null ? NULL : w->theirs;
			rc = run_sql(c, KEPT_AGAINST_SQL, 3, p);
		}
		return rc;
	}
	if (row) {	/* deleted here, changed there */
		p[2] = w->theirs_null ? NULL : w->theirs;
		if (!keep_theirs)
			return run_sql(c, "INSERT OR REPLACE INTO main.tombstone SELECT ?1, 'indicator', ?2,"
				       " json_remove(?3, '$[0]'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')", 3, p);
		rc = run_sql(c, KEPT_AGAINST_SQL_FROM_TOMB, 2, p);
		if (rc == BUNDLE_OK)
			rc = run_sql(c, "DELETE FROM main.tombstone WHERE tbl = 'indicator' AND rk = ?2", 2, p);
		if (rc == BUNDLE_OK)
			rc = run_sql(c, "INSERT INTO main.indicator (uuid, form_uuid, pos, " IND_FIELDS_SQL ")"
				     " SELECT ?2, ?1, json_extract(?3, '$[0]'), json_extract(?3, '$[1]'),"
				     " json_extract(?3, '$[2]'), json_extract(?3, '$[3]'), json_extract(?3, '$[4]'),"
				     " json_extract(?3, '$[5]'), json_extract(?3, '$[6]'), json_extract(?3, '$[7]'),"
				     " json_extract(?3, '$[8]'), json_extract(?3, '$[9]'), json_extract(?3, '$[10]')",
				     3, p);
		return rc;
	}
	/* a field of a row deleted here */
	p[2] = w->theirs_null ? NULL : w->theirs;
	if (!keep_theirs)	/* stays deleted: theirs is marked replaced (sb_resolve), so
				 * their row is no newer than the deleted one */
		return BUNDLE_OK;
	rc = run_sql(c, REVIVE_FROM_TOMB_SQL, 2, p);
	if (rc == BUNDLE_OK)
		rc = run_sql(c, KEPT_AGAINST_SQL_FROM_TOMB, 2, p);
	if (rc == BUNDLE_OK)
		rc = run_sql(c, "DELETE FROM main.tombstone WHERE tbl = 'indicator' AND rk = ?2", 2, p);
	if (rc == BUNDLE_OK) {	/* then their value, as an edit (the trigger records mine replaced) */
		char *sql = sqlite3_mprintf("UPDATE main.indicator SET %s = CASE WHEN typeof(%s) = 'integer'"
					    " THEN CAST(?3 AS INTEGER) ELSE ?3 END WHERE uuid = ?2 AND form_uuid = ?1",
					    w->col, w->col);
		if (!sql)
			abort();
		rc = run_sql(c, sql, 3, p);
		sqlite3_free(sql);
	}
	return rc;
}

int sb_resolve(struct store *s, int64_t form_id, const char *path, bool keep_theirs,
	       char *err, size_t errlen)
{
	struct conn c;
	struct wanted w = { .path = path };
	sqlite3_stmt *st = NULL;
	char at[32], user[64], hist[96];
	int rc = conn_open(&c, s, err, errlen);
	if (rc == BUNDLE_OK)
		rc = exec(&c, "BEGIN IMMEDIATE");
	if (rc == BUNDLE_OK)
		rc = each_conflict(&c, form_id, pick, &w);
	char shown[96];	/* the row numbered as people see it */
	if (rc == BUNDLE_OK && !w.found)
		rc = fail(&c, BUNDLE_NOTFOUND, _("form %lld has no conflict at %s (see jxzp conflicts %lld)"),
			  (long long)form_id, form_path_out(path, shown, sizeof shown), (long long)form_id);
	if (rc != BUNDLE_OK)
		goto out;
	sqlite3_stmt *g = prep(&c, "SELECT theirs_gen FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2"
			       " AND rk = ?3 AND col = ?4");
	if (!g) {
		rc = BUNDLE_ERR;
		goto out;
	}
	sqlite3_bind_text(g, 1, w.form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(g, 2, w.tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(g, 3, w.rk, -1, SQLITE_STATIC);
	sqlite3_bind_text(g, 4, w.col, -1, SQLITE_STATIC);
	if (sqlite3_step(g) == SQLITE_ROW)
		w.theirs_gen = sqlite3_column_int64(g, 0);
	sqlite3_finalize(g);
	now_iso(at);
	snprintf(user, sizeof user, "%s", store_int_user(s));
	bool row = strcmp(w.col, "*") == 0;
	if (!row && !known_col(w.tbl, w.col)) {
		rc = fail(&c, BUNDLE_ERR, _("form %lld: a conflict on an unknown column %s"), (long long)form_id, w.col);
		goto out;
	}
	int64_t gone = 0;	/* the row of an indicator conflict is deleted here */
	if (streq(w.tbl, "indicator") &&
	    (rc = query_int(&c, "SELECT NOT EXISTS (SELECT 1 FROM main.indicator WHERE uuid = ?1)", w.rk,
			    &gone)) != BUNDLE_OK)
		goto out;
	if (row || gone) {
		if ((rc = resolve_row(&c, &w, row, gone, keep_theirs)) != BUNDLE_OK)
			goto out;
		if (!row && !keep_theirs)
			goto mark_seen;
	} else if (keep_theirs) {
		char *sql;
		if (row)
			sql = sqlite3_mprintf("DELETE FROM main.indicator WHERE uuid = ?1");
		else if (streq(w.tbl, "fund"))
			sql = sqlite3_mprintf("UPDATE main.fund SET %s = ?2 WHERE form_uuid = ?3 AND row = ?1", w.col);
		else	/* year, pos and deleted are numbers: give the text back its type */
			sql = sqlite3_mprintf("UPDATE main.%s SET %s = CASE WHEN typeof(%s) = 'integer'"
					      " THEN CAST(?2 AS INTEGER) ELSE ?2 END WHERE uuid = ?1",
					      w.tbl, w.col, w.col);
		if (!sql)
			abort();
		st = prep(&c, sql);
		sqlite3_free(sql);
		if (!st) {
			rc = BUNDLE_ERR;
			goto out;
		}
		sqlite3_bind_text(st, 1, streq(w.tbl, "form") ? w.form_uuid : w.rk, -1, SQLITE_STATIC);
		if (sqlite3_bind_parameter_count(st) >= 2) {
			if (w.theirs_null)
				sqlite3_bind_null(st, 2);
			else
				sqlite3_bind_text(st, 2, w.theirs, -1, SQLITE_STATIC);
		}
		if (sqlite3_bind_parameter_count(st) >= 3)
			sqlite3_bind_text(st, 3, w.form_uuid, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = (sqlite3_extended_errcode(c.db) & 0xff) == SQLITE_CONSTRAINT ?
				fail(&c, BUNDLE_REFUSED, _("another form here already has that unit, year and project")) :
				dbfail(&c);
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	} else if (!row) {
mark_seen:
		/* Mine stays; theirs is marked replaced once more (the next
		 * occurrence of that value), so the decision travels. */
		st = prep(&c, "INSERT OR IGNORE INTO main.seen SELECT ?1, ?2, ?3, ?4, (SELECT ifnull(max(gen) + 1, 0)"
			  " FROM main.seen WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4 AND v = ?5), ?5");
		if (!st) {
			rc = BUNDLE_ERR;
			goto out;
		}
		sqlite3_bind_text(st, 1, w.form_uuid, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, w.tbl, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, w.rk, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, w.col, -1, SQLITE_STATIC);
		char *k = NULL;
		if (w.theirs_null) {
			k = xstrdup("~");
		} else {
			k = malloc(strlen(w.theirs) + 2);
			if (!k)
				abort();
			k[0] = '=';
			strcpy(k + 1, w.theirs);
		}
		sqlite3_bind_text(st, 5, k, -1, SQLITE_TRANSIENT);
		free(k);
		if (sqlite3_step(st) != SQLITE_DONE) {
			rc = dbfail(&c);
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	/* History, the conflict gone, the form changed (so it travels). */
	/* a field of a row here: by the row's identity, as store.c's saves
	 * write it (store_history shows where the row is then) */
	if (streq(w.tbl, "indicator") && !row && !gone)
		snprintf(hist, sizeof hist, "indicators[@%.36s].%s", w.rk, w.col);
	else
		snprintf(hist, sizeof hist, "%s", path);
	st = prep(&c, "INSERT INTO main.history (uuid, form_uuid, path, old_value, new_value, at, user)"
		  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st) {
		rc = BUNDLE_ERR;
		goto out;
	}
	char hu[37];
	uuid_make(hu);
	sqlite3_bind_text(st, 1, hu, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w.form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hist, -1, SQLITE_STATIC);
	/* old: the value that lost; new: the value kept (NULL for a deleted row) */
	const char *lost = keep_theirs ? w.mine : w.theirs, *kept = keep_theirs ? w.theirs : w.mine;
	if (row) {	/* the row here after the decision, or not */
		bool after = w.mine_null ? keep_theirs : !keep_theirs;
		lost = after ? "(deleted)" : "(row)";
		kept = after ? "(row)" : NULL;
	}
	if (lost)
		sqlite3_bind_text(st, 4, lost, -1, SQLITE_STATIC);
	if (kept)
		sqlite3_bind_text(st, 5, kept, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, user, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = dbfail(&c);
		goto out;
	}
	sqlite3_finalize(st);
	st = prep(&c, "DELETE FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4;");
	if (!st) {
		rc = BUNDLE_ERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, w.form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w.tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w.rk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w.col, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = dbfail(&c);
		goto out;
	}
	sqlite3_finalize(st);
	st = prep(&c, "UPDATE main.form SET version = version + 1, updated = ?2 WHERE uuid = ?1");
	if (!st) {
		rc = BUNDLE_ERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, w.form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = dbfail(&c);
		goto out;
	}
	rc = exec(&c, "COMMIT");
out:
	sqlite3_finalize(st);
	conn_close(&c);
	free(w.mine);
	free(w.theirs);
	return rc;
}
