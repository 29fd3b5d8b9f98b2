/*
 * store_bundle_resolve: listing conflicts and settling one (see bundle.h).
 */
#include "config.h"
#include "store_bundle.h"

#include <assert.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle_auth.h"
#include "form.h"
#include "i18n.h"
#include "input.h"
#include "merge.h"
#include "store_bundle_int.h"
#include "store_int.h"

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
	if (sb_streq(tbl, "form")) {
		for (size_t i = 0; i < sizeof fp / sizeof fp[0]; i++)
			if (sb_streq(col, fp[i].col)) {
				snprintf(buf, len, "%s", fp[i].path);
				return;
			}
		snprintf(buf, len, "%s", col);
	} else if (sb_streq(tbl, "fund")) {
		snprintf(buf, len, "funds.%s.%s", rk, col);
	} else if (gone) {
		/* a row deleted here has no place: named by its identity, so
		 * two of them stay apart and resolve finds each */
		if (sb_streq(col, "*"))
			snprintf(buf, len, "indicators[deleted:%.8s]", rk);
		else
			snprintf(buf, len, "indicators[deleted:%.8s].%s", rk, col);
	} else if (sb_streq(col, "*") || sb_streq(col, "pos")) {
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
	sqlite3_stmt *st = sb_prep(c, CONFLICT_SELECT " WHERE ?1 = 0 OR l.id = ?1"
				" ORDER BY f.unit, f.year, f.project, CASE c.tbl WHEN 'form' THEN 0 WHEN 'fund' THEN 1 ELSE 2 END,"
				" 14, c.rk, c.col");
	if (!st)
		return BUNDLE_ERR;
	sqlite3_bind_int64(st, 1, form_id);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char path[96];
		place_path(sb_col_text(st, 5), sb_col_text(st, 6), sb_col_text(st, 7), sqlite3_column_int64(st, 13),
			   sqlite3_column_int(st, 14), path, sizeof path);
		struct bundle_conflict bc = {
			.form_id = sqlite3_column_int64(st, 0), .form_uuid = sb_col_text(st, 1),
			.unit = sb_col_text(st, 2), .year = sqlite3_column_int(st, 3), .project = sb_col_text(st, 4),
			.path = path, .mine = sb_col_text(st, 8), .theirs = sb_col_text(st, 9),
			.mine_origin = sb_col_text(st, 10), .theirs_origin = sb_col_text(st, 11),
			.at = sb_col_text(st, 12), .tbl = sb_col_text(st, 5), .rk = sb_col_text(st, 6),
			.col = sb_col_text(st, 7),
		};
		if (fn(&bc, arg))
			break;
	}
	sqlite3_finalize(st);
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(c);
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

/* Run one statement with text parameters ?1..?n (NULL binds NULL). */
static int run_sql(struct conn *c, const char *sql, int n, const char *const *p)
{
	sqlite3_stmt *st = sb_prep(c, sql);
	if (!st)
		return BUNDLE_ERR;
	for (int i = 0; i < n; i++)
		if (p[i])
			sqlite3_bind_text(st, i + 1, p[i], -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_finalize(st);
	return r == SQLITE_DONE || r == SQLITE_ROW ? BUNDLE_OK : sb_dbfail(c);
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
	int rc = sb_conn_open(&c, s, err, errlen);
	if (rc == BUNDLE_OK)
		rc = sb_exec(&c, "BEGIN IMMEDIATE");
	if (rc == BUNDLE_OK)
		rc = each_conflict(&c, form_id, pick, &w);
	char shown[96];	/* the row numbered as people see it */
	if (rc == BUNDLE_OK && !w.found)
		rc = sb_fail(&c, BUNDLE_NOTFOUND, _("form %lld has no conflict at %s (see jxzp conflicts %lld)"),
			  (long long)form_id, form_path_out(path, shown, sizeof shown), (long long)form_id);
	if (rc != BUNDLE_OK)
		goto out;
	sqlite3_stmt *g = sb_prep(&c, "SELECT theirs_gen FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2"
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
	sb_now_iso(at);
	snprintf(user, sizeof user, "%s", store_int_user(s));
	bool row = strcmp(w.col, "*") == 0;
	if (!row && !sb_known_col(w.tbl, w.col)) {
		rc = sb_fail(&c, BUNDLE_ERR, _("form %lld: a conflict on an unknown column %s"), (long long)form_id, w.col);
		goto out;
	}
	int64_t gone = 0;	/* the row of an indicator conflict is deleted here */
	if (sb_streq(w.tbl, "indicator") &&
	    (rc = sb_query_int(&c, "SELECT NOT EXISTS (SELECT 1 FROM main.indicator WHERE uuid = ?1)", w.rk,
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
		else if (sb_streq(w.tbl, "fund"))
			sql = sqlite3_mprintf("UPDATE main.fund SET %s = ?2 WHERE form_uuid = ?3 AND row = ?1", w.col);
		else	/* year, pos and deleted are numbers: give the text back its type */
			sql = sqlite3_mprintf("UPDATE main.%s SET %s = CASE WHEN typeof(%s) = 'integer'"
					      " THEN CAST(?2 AS INTEGER) ELSE ?2 END WHERE uuid = ?1",
					      w.tbl, w.col, w.col);
		if (!sql)
			abort();
		st = sb_prep(&c, sql);
		sqlite3_free(sql);
		if (!st) {
			rc = BUNDLE_ERR;
			goto out;
		}
		sqlite3_bind_text(st, 1, sb_streq(w.tbl, "form") ? w.form_uuid : w.rk, -1, SQLITE_STATIC);
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
				sb_fail(&c, BUNDLE_REFUSED, _("another form here already has that unit, year and project")) :
				sb_dbfail(&c);
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	} else if (!row) {
mark_seen:
		/* Mine stays; theirs is marked replaced once more (the next
		 * occurrence of that value), so the decision travels. */
		st = sb_prep(&c, "INSERT OR IGNORE INTO main.seen SELECT ?1, ?2, ?3, ?4, (SELECT ifnull(max(gen) + 1, 0)"
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
			rc = sb_dbfail(&c);
			goto out;
		}
		sqlite3_finalize(st);
		st = NULL;
	}
	/* History, the conflict gone, the form changed (so it travels). */
	/* a field of a row here: by the row's identity, as store.c's saves
	 * write it (store_history shows where the row is then) */
	if (sb_streq(w.tbl, "indicator") && !row && !gone)
		snprintf(hist, sizeof hist, "indicators[@%.36s].%s", w.rk, w.col);
	else
		snprintf(hist, sizeof hist, "%s", path);
	st = sb_prep(&c, "INSERT INTO main.history (uuid, form_uuid, path, old_value, new_value, at, user)"
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
		rc = sb_dbfail(&c);
		goto out;
	}
	sqlite3_finalize(st);
	st = sb_prep(&c, "DELETE FROM main.conflict WHERE form_uuid = ?1 AND tbl = ?2 AND rk = ?3 AND col = ?4;");
	if (!st) {
		rc = BUNDLE_ERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, w.form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, w.tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, w.rk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, w.col, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sb_dbfail(&c);
		goto out;
	}
	sqlite3_finalize(st);
	st = sb_prep(&c, "UPDATE main.form SET version = version + 1, updated = ?2 WHERE uuid = ?1");
	if (!st) {
		rc = BUNDLE_ERR;
		goto out;
	}
	sqlite3_bind_text(st, 1, w.form_uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sb_dbfail(&c);
		goto out;
	}
	rc = sb_exec(&c, "COMMIT");
out:
	sqlite3_finalize(st);
	sb_conn_close(&c);
	free(w.mine);
	free(w.theirs);
	return rc;
}
