/*
 * store_bundle: the SQL behind bundles (see store_bundle.h and bundle.h):
 * the payload's tables, connections, and reading a payload.  Creating is
 * in store_bundle_make.c, merging in store_bundle_apply.c, conflicts and
 * their resolution in store_bundle_resolve.c.
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

#include "bundle_auth.h"
#include "form.h"
#include "i18n.h"
#include "input.h"
#include "merge.h"
#include "store_bundle_int.h"
#include "store_int.h"

/* The merged columns of each travelling table, and how a row is keyed. */
const char *const form_cols[] = {
	"year", "unit", "project", "department", "lead", "phone", "layout", "ruleset", "status",
	"return_reason", "goals_expected", "goals_achieved", "total_weight", "total_score",
	"total_grade", "deleted",
};
const char *const fund_cols[] = { "initial", "budget", "spent", "weight", "rate", "score" };
const char *const ind_cols[] = {
	"pos", "level1", "level2", "name", "nature", "target", "unit_of_measure", "actual",
	"weight", "score", "deviation",
};

const struct tdesc td[TB_N] = {
	[TB_FORM] = { "form", form_cols, N_FORM_COLS, "uuid, uuid", "uuid = ?1", "uuid = ?1" },
	[TB_FUND] = { "fund", fund_cols, N_FUND_COLS, "form_uuid, row", "form_uuid = ?1 AND row = ?2",
		      "form_uuid = ?1" },
	[TB_IND] = { "indicator", ind_cols, N_IND_COLS, "uuid, form_uuid", "uuid = ?1",
		     "form_uuid = ?1" },
};


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
	/* format 3: a form listed here travels as its changes (store_bundle_make.c):
	 * cols says which of the form row's columns it carries (bits of
	 * form_cols), its fund and indicator rows are those that changed */
	{ "delta", "CREATE TABLE @.delta (form_uuid TEXT PRIMARY KEY, cols INTEGER NOT NULL) WITHOUT ROWID;" },
};
#define N_EXTRA (sizeof payload_extra / sizeof payload_extra[0])

/* ---- a connection ---------------------------------------------------------- */


int sb_fail(struct conn *c, int code, const char *fmt, ...)
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

int sb_dbfail(struct conn *c)
{
	int rc = sqlite3_extended_errcode(c->db) & 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return sb_fail(c, BUNDLE_ERR, _("the database is locked by another program; try again"));
	if (rc == SQLITE_FULL)
		return sb_fail(c, BUNDLE_ERR, _("the disk is full: nothing was changed"));
	return sb_fail(c, BUNDLE_ERR, _("database error: %s"), sqlite3_errmsg(c->db));
}

int sb_exec(struct conn *c, const char *sql)
{
	return sqlite3_exec(c->db, sql, NULL, NULL, NULL) == SQLITE_OK ? BUNDLE_OK : sb_dbfail(c);
}

/* The statements of ddl with each @ replaced by schema. */
int sb_exec_ddl(struct conn *c, const char *ddl, const char *schema)
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
	int rc = sb_exec(c, sql);
	free(sql);
	return rc;
}

sqlite3_stmt *sb_prep(struct conn *c, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sb_dbfail(c);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

/* One integer from a query with up to one text parameter. */
int sb_query_int(struct conn *c, const char *sql, const char *p1, int64_t *out)
{
	sqlite3_stmt *st = sb_prep(c, sql);
	if (!st)
		return BUNDLE_ERR;
	if (p1)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	*out = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(c);
}

/* The tables added since the first format, in schema (those it lacks when
 * missing_only). */
int sb_extra_ddl(struct conn *c, const char *schema, bool missing_only)
{
	int rc = 0;
	for (size_t i = 0; i < N_EXTRA && rc == 0; i++) {
		int64_t have = 0;
		if (missing_only) {
			char sql[160];
			snprintf(sql, sizeof sql, "SELECT count(*) FROM %s.sqlite_schema WHERE type = 'table'"
				 " AND name = ?1", schema);
			if ((rc = sb_query_int(c, sql, payload_extra[i].name, &have)) != 0)
				break;
		}
		if (!have)
			rc = sb_exec_ddl(c, payload_extra[i].ddl, schema);
	}
	return rc;
}

int sb_payload_ddl(struct conn *c, const char *schema)
{
	int rc = sb_exec_ddl(c, payload_ddl, schema);
	return rc == BUNDLE_OK ? sb_extra_ddl(c, schema, false) : rc;
}



int sb_conn_open(struct conn *c, struct store *s, char *err, size_t errlen)
{
	*c = (struct conn){ .path = store_path(s), .err = err, .errlen = errlen };
	if (sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int rc = c->db ? sb_dbfail(c) : sb_fail(c, BUNDLE_ERR, _("out of memory"));
		sqlite3_close(c->db);
		c->db = NULL;
		return rc;
	}
	sqlite3_extended_result_codes(c->db, 1);
	sqlite3_busy_timeout(c->db, 5000);
	/* temp_store: sorting a big bundle must not need a writable /tmp */
	return sb_exec(c, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA temp_store = MEMORY");
}

void sb_conn_close(struct conn *c)
{
	if (c->db && !sqlite3_get_autocommit(c->db))
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(c->db);
	c->db = NULL;
}

void sb_now_iso(char buf[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%03uZ", (unsigned)(ts.tv_nsec / 1000000 % 1000));
}

int sb_meta_get(struct conn *c, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st = sb_prep(c, "SELECT value FROM main.meta WHERE key = ?1");
	if (!st)
		return BUNDLE_ERR;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	buf[0] = 0;
	if (r == SQLITE_ROW && sb_col_text(st, 0))
		snprintf(buf, len, "%s", sb_col_text(st, 0));
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(c);
}

int sb_role(struct store *s, char role[8], char *err, size_t errlen)
{
	struct conn c;
	int rc = sb_conn_open(&c, s, err, errlen);
	if (rc == BUNDLE_OK)
		rc = sb_meta_get(&c, "role", role, 8);
	if (rc == BUNDLE_OK && strcmp(role, "office") != 0)
		snprintf(role, 8, "unit");
	sb_conn_close(&c);
	return rc;
}

/* ---- reading a payload ------------------------------------------------------- */

/* Attach the payload as schema b (in memory; never written: BEGIN IMMEDIATE
 * would refuse a read-only one) and check it is ours and whole. */
/* The input rule (src/input.h) on every field a bundle carries: a bundle
 * with one refused text is refused whole, with the same message as `set`. */
static int check_text(struct conn *c)
{
	static const char *const form_paths[][2] = {
		{ "project", "project" }, { "department", "department" }, { "unit", "unit" },
		{ "lead", "lead" }, { "phone", "phone" }, { "goals_expected", "goals.expected" },
		{ "goals_achieved", "goals.achieved" }, { "total_weight", "total.weight" },
		{ "total_score", "total.score" }, { "total_grade", "total.grade" },
	};
	enum { NF = sizeof form_paths / sizeof form_paths[0] };
	/* one pass over each table; the path of a cell is made in C, and only
	 * for a cell that is there */
	char sql[1024], path[96], why[400];
	int rc = BUNDLE_OK;
	for (int t = 0; t < 3 && rc == BUNDLE_OK; t++) {
		size_t n = (size_t)snprintf(sql, sizeof sql, "SELECT p.project, %s",
					    t == 0 ? "''" : t == 1 ? "x.row" : "x.pos");
		int ncol = t == 0 ? NF : t == 1 ? FUND_COLS : IND_FIELDS;
		for (int k = 0; k < ncol; k++)
			n += (size_t)snprintf(sql + n, sizeof sql - n, ", x.%s",
					      t == 0 ? form_paths[k][0] : t == 1 ? fund_col_key[k] : ind_field_key[k]);
		n += (size_t)snprintf(sql + n, sizeof sql - n, t == 0 ? " FROM b.form x JOIN b.form p ON p.uuid = x.uuid" :
				      t == 1 ? " FROM b.fund x JOIN b.form p ON p.uuid = x.form_uuid" :
				      " FROM b.indicator x JOIN b.form p ON p.uuid = x.form_uuid");
		assert(n < sizeof sql);
		sqlite3_stmt *st = sb_prep(c, sql);
		if (!st)
			return BUNDLE_ERR;
		int r;
		while (rc == BUNDLE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
			for (int k = 0; k < ncol && rc == BUNDLE_OK; k++) {
				const char *v = sb_col_text(st, 2 + k);
				/* nearly every text: no path, no label look-up */
				if (!v || input_plainly_fine(v))
					continue;
				const char *rk = sb_col_text(st, 1);
				if (t == 0)
					snprintf(path, sizeof path, "%s", form_paths[k][1]);
				else if (t == 1)
					snprintf(path, sizeof path, "funds.%s.%s", rk ? rk : "", fund_col_key[k]);
				else
					snprintf(path, sizeof path, "indicators[%s].%s", rk ? rk : "", ind_field_key[k]);
				if (input_check(path, v, why, sizeof why) != 0)
					rc = sb_fail(c, BUNDLE_REFUSED, _("the bundle is refused: form %s: %s"),
						     sb_col_text(st, 0) ? sb_col_text(st, 0) : "", why);
			}
		}
		if (rc == BUNDLE_OK && r != SQLITE_DONE)
			rc = sb_dbfail(c);
		sqlite3_finalize(st);
	}
	return rc;
}

int sb_attach_payload(struct conn *c, const struct bundle_info *bi, const void *payload, size_t len)
{
	int64_t n;
	int rc;
	if (len == 0)
		return sb_fail(c, BUNDLE_DAMAGED, _("the bundle holds no data"));
	unsigned char *buf = sqlite3_malloc64(len);
	if (!buf)
		return sb_fail(c, BUNDLE_ERR, _("out of memory"));
	memcpy(buf, payload, len);
	/* the reference first: once b is there, any error is b's */
	if ((rc = sb_exec(c, "ATTACH ':memory:' AS r")) != BUNDLE_OK ||
	    (rc = sb_exec_ddl(c, payload_ddl, "r")) != BUNDLE_OK ||
	    (rc = sb_extra_ddl(c, "r", false)) != BUNDLE_OK ||
	    (rc = sb_exec(c, "ATTACH ':memory:' AS b")) != BUNDLE_OK) {
		sqlite3_free(buf);
		return rc;
	}
	/* resizeable: a payload of the first format gets the tables added since
	 * (extra_ddl), empty, in memory only */
	if (sqlite3_deserialize(c->db, "b", buf, (sqlite3_int64)len, (sqlite3_int64)len,
				SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE) != SQLITE_OK)
		return sb_fail(c, BUNDLE_DAMAGED, _("the bundle's data is damaged"));
	/* Any error reading b means the image is not a sound database. */
	if (sb_query_int(c, "SELECT (SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM b.sqlite_schema"
		      " EXCEPT SELECT type, name, tbl_name, sql FROM r.sqlite_schema))"
		      " + (SELECT count(*) FROM (SELECT type, name, tbl_name, sql FROM r.sqlite_schema"
		      " EXCEPT SELECT type, name, tbl_name, sql FROM b.sqlite_schema)"
		      " WHERE tbl_name NOT IN ('conflict', 'partial', 'delta')"
		      "  OR tbl_name IN (SELECT tbl_name FROM b.sqlite_schema))", NULL, &n) != BUNDLE_OK || n)
		return sb_fail(c, BUNDLE_DAMAGED, _("the bundle's data is not what jxzp writes"));
	sqlite3_stmt *st = sb_prep(c, "PRAGMA b.integrity_check(1)");
	const char *res = st && sqlite3_step(st) == SQLITE_ROW ? sb_col_text(st, 0) : NULL;
	bool sound = res && strcmp(res, "ok") == 0;
	sqlite3_finalize(st);
	if (!sound)
		return sb_fail(c, BUNDLE_DAMAGED, _("the bundle's data is damaged"));
	if ((rc = sb_extra_ddl(c, "b", true)) != BUNDLE_OK)	/* an older bundle: none carried */
		return rc;
	int64_t forms, changes, comments, strays, bad;
	if ((rc = sb_query_int(c, "SELECT count(*) FROM b.form", NULL, &forms)) != BUNDLE_OK ||
	    (rc = sb_query_int(c, "SELECT count(*) FROM b.history", NULL, &changes)) != BUNDLE_OK ||
	    (rc = sb_query_int(c, "SELECT count(*) FROM b.comment", NULL, &comments)) != BUNDLE_OK ||
	    (rc = sb_query_int(c, "SELECT (SELECT count(*) FROM b.fund WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.indicator WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.history WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.comment WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.seen WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.tombstone WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.conflict WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    " + (SELECT count(*) FROM b.delta WHERE form_uuid NOT IN (SELECT uuid FROM b.form))"
			    /* a form of changes names itself and its state, and carries no more */
			    " + (SELECT count(*) FROM b.delta WHERE typeof(cols) != 'integer' OR cols < 0 OR cols > 65535"
			    "  OR (cols & " FORM_ALWAYS_TEXT ") != " FORM_ALWAYS_TEXT ")",
			    NULL, &strays)) != BUNDLE_OK ||
	    (rc = sb_query_int(c, "SELECT count(*) FROM b.form WHERE status NOT IN"
			    " ('draft', 'submitted', 'returned', 'approved') OR deleted NOT IN (0, 1)"
			    " OR typeof(year) != 'integer' OR unit = '' OR project = ''"
			    " OR length(uuid) != 36", NULL, &bad)) != BUNDLE_OK)
		return rc;
	if (forms != bi->forms || changes != bi->changes || comments != bi->comments)
		return sb_fail(c, BUNDLE_DAMAGED, _("the bundle's header does not match its data"));
	if (strays || bad)
		return sb_fail(c, BUNDLE_DAMAGED, _("the bundle holds rows that are not whole forms"));
	/* Every form must belong to a unit the header names. */
	if (!(st = sb_prep(c, "SELECT uuid, unit, year, project FROM b.form ORDER BY unit, year, project")))
		return BUNDLE_ERR;
	int r;
	rc = BUNDLE_OK;
	while (rc == BUNDLE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *unit = sb_col_text(st, 1);
		bool listed = false;
		for (size_t i = 0; i < bi->n_units && !listed; i++)
			listed = unit && strcmp(unit, bi->units[i].unit) == 0;
		if (!listed)
			rc = sb_fail(c, BUNDLE_REFUSED,
				  _("the bundle carries a form of %s (%d, %s), a unit it was not made for"),
				  unit ? unit : "", sqlite3_column_int(st, 2), sb_col_text(st, 3));
	}
	if (rc == BUNDLE_OK && r != SQLITE_DONE)
		rc = sb_dbfail(c);
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
		return sb_fail(&c, BUNDLE_ERR, _("out of memory"));
	}
	int rc = sb_attach_payload(&c, bi, payload, len);
	sb_conn_close(&c);
	return rc;
}

bool sb_known_col(const char *tbl, const char *col)
{
	const struct tdesc *d = sb_streq(tbl, "form") ? &td[TB_FORM] : sb_streq(tbl, "fund") ? &td[TB_FUND] :
		sb_streq(tbl, "indicator") ? &td[TB_IND] : NULL;
	for (int i = 0; d && i < d->n; i++)
		if (strcmp(d->cols[i], col) == 0)
			return true;
	return false;
}


