/*
 * store_list: the forms list one screen at a time (see store_list.h).
 */
#include "config.h"
#include "store_list.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

static const char *col_str(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

/* The same columns, in the same order, as store_page's rows. */
#define COLS "l.id, f.year, f.unit, f.project, f.department, f.status, f.updated," \
	" l.score, l.grade, l.errors, f.version, f.uuid, t.budget, t.spent, l.rate"
#define FROM "form f JOIN form_local l ON l.form_uuid = f.uuid" \
	" LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"

static int rows(struct store *s, sqlite3_stmt *st,
		int (*fn)(const struct form_row *r, void *arg), void *arg, bool *any)
{
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct form_row row = {
			.id = sqlite3_column_int64(st, 0), .year = sqlite3_column_int(st, 1),
			.unit = col_str(st, 2), .project = col_str(st, 3),
			.department = col_str(st, 4), .status = col_str(st, 5),
			.updated = col_str(st, 6), .score = col_str(st, 7), .grade = col_str(st, 8),
			.errors = sqlite3_column_int(st, 9), .version = sqlite3_column_int64(st, 10),
			.uuid = col_str(st, 11), .budget = col_str(st, 12), .spent = col_str(st, 13),
			.rate = col_str(st, 14),
		};
		if (any)
			*any = true;
		if (fn(&row, arg))
			break;
	}
	int rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

static int prepare(struct store *s, const char *sql, sqlite3_stmt **st)
{
	int r = sqlite3_prepare_v2(store_int_db(s), sql, -1, st, NULL);
	return r == SQLITE_OK ? STORE_OK : store_int_dberr(s, r);
}

int store_list_page(struct store *s, const struct store_filter *flt, const struct store_key *key,
		    bool backward, bool with_key, size_t limit,
		    int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	char where[400], sql[1200];
	store_int_filter_sql(where, sizeof where, flt);
	const char *d = backward ? "DESC" : "ASC";
	/* A row value against the index's own columns: sqlite starts the
	 * range scan of form_key at the key, with no OFFSET to skip. */
	snprintf(sql, sizeof sql, "SELECT " COLS " FROM " FROM " WHERE %s%s%s%s"
		 " ORDER BY f.unit %s, f.year %s, f.project %s LIMIT :lim", where,
		 key ? " AND (f.unit, f.year, f.project) " : "",
		 !key ? "" : backward ? (with_key ? "<=" : "<") : (with_key ? ">=" : ">"),
		 key ? " (:ku, :ky, :kp)" : "", d, d, d);
	sqlite3_stmt *st;
	int rc = prepare(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	store_int_filter_bind(st, flt);
	if (key) {
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":ku"),
				  key->unit ? key->unit : "", -1, SQLITE_STATIC);
		sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":ky"), key->year);
		sqlite3_bind_text(st, sqlite3_bind_parameter_index(st, ":kp"),
				  key->project ? key->project : "", -1, SQLITE_STATIC);
	}
	/* named, as the filter's are: a ?N would share their numbers */
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":lim"),
			   limit > INT64_MAX ? -1 : (int64_t)limit);
	return rows(s, st, fn, arg, NULL);
}

int store_list_row(struct store *s, const struct store_filter *flt, int64_t id,
		   int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	char where[400], sql[1000];
	store_int_filter_sql(where, sizeof where, flt);
	snprintf(sql, sizeof sql, "SELECT " COLS " FROM " FROM " WHERE %s AND l.id = :id", where);
	sqlite3_stmt *st;
	int rc = prepare(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	store_int_filter_bind(st, flt);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":id"), id);
	bool any = false;
	rc = rows(s, st, fn, arg, &any);
	return rc == STORE_OK && !any ? STORE_NOTFOUND : rc;
}

int store_list_one_unit(struct store *s, char *buf, size_t len)
{
	/* the first and the last unit of form_key: the same, or not one unit */
	sqlite3_stmt *st;
	int rc = prepare(s, "SELECT a, a = b FROM (SELECT"
			 " (SELECT f.unit FROM form f WHERE f.deleted = 0 ORDER BY f.unit LIMIT 1) AS a,"
			 " (SELECT f.unit FROM form f WHERE f.deleted = 0 ORDER BY f.unit DESC LIMIT 1) AS b)",
			 &st);
	buf[0] = 0;
	if (rc != STORE_OK)
		return rc;
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW && sqlite3_column_int(st, 1) && col_str(st, 0))
		snprintf(buf, len, "%s", col_str(st, 0));
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}
