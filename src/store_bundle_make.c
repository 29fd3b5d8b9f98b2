/*
 * store_bundle_make: a bundle's payload, built in one write transaction
 * (see store_bundle.h; the tables are in store_bundle.c).
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

/*
 * Copy the chosen forms' rows into the payload.  temp.bsel: the forms
 * chosen; temp.bpart: those of them that travel as their changes (sent
 * before under the same unit, their deletion unchanged, not --all), with
 * the form row's columns carried (mask over form_cols); temp.brow: the
 * fund and indicator rows of those that travel, whole, with everything
 * each field has seen (changed, added, in conflict, or deleted: a deleted
 * row's fields' seen values decide whether a row kept elsewhere is newer).
 * The rest of such a form did not change since the last bundle, which
 * every machine applying this one has applied (the chain), so merging it
 * again would change nothing (schema/012).  Comments, deletions and open
 * conflicts travel for every chosen form, as before.
 */
#define WHOLE "(SELECT uuid FROM temp.bsel WHERE uuid NOT IN (SELECT uuid FROM temp.bpart))"
#define FORM_COPY_COLS(p) "uuid, year, unit, project, " p "department, " p "lead, " p "phone, layout," \
	" ruleset, status, " p "return_reason, " p "goals_expected, " p "goals_achieved, " p "total_weight, " \
	p "total_score, " p "total_grade, deleted, version, created, updated"
static const char *const copy_sql[] = {
	/* which forms travel as changes, and which of their parts */
	"CREATE TEMP TABLE IF NOT EXISTS bpart (uuid TEXT PRIMARY KEY, mask INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE TEMP TABLE IF NOT EXISTS brow (form_uuid TEXT NOT NULL, tbl TEXT NOT NULL, rk TEXT NOT NULL,"
	" PRIMARY KEY (form_uuid, tbl, rk)) WITHOUT ROWID;"
	"CREATE TEMP TABLE IF NOT EXISTS bbit (col TEXT PRIMARY KEY, bit INTEGER NOT NULL) WITHOUT ROWID;"
	"DELETE FROM temp.bpart; DELETE FROM temp.brow; DELETE FROM temp.bbit;"
	"INSERT INTO temp.bbit VALUES ('year', 1), ('unit', 2), ('project', 4), ('department', 8), ('lead', 16),"
	" ('phone', 32), ('layout', 64), ('ruleset', 128), ('status', 256), ('return_reason', 512),"
	" ('goals_expected', 1024), ('goals_achieved', 2048), ('total_weight', 4096), ('total_score', 8192),"
	" ('total_grade', 16384), ('deleted', 32768);"
	"INSERT INTO temp.bpart SELECT s.uuid, 0 FROM temp.bsel s JOIN main.form f ON f.uuid = s.uuid"
	" JOIN main.bundle_sent_unit t ON t.form_uuid = s.uuid WHERE ?1 = 0 AND t.unit = f.unit"
	" AND NOT EXISTS (SELECT 1 FROM main.bundle_dirty_col d WHERE d.form_uuid = s.uuid AND d.tbl = 'form'"
	"  AND d.rk = '' AND d.col = 'deleted');"
	"UPDATE temp.bpart SET mask = ?2 | ifnull((SELECT sum(b.bit) FROM (SELECT col FROM main.bundle_dirty_col d"
	" WHERE d.form_uuid = bpart.uuid AND d.tbl = 'form' UNION SELECT col FROM main.conflict k"
	" WHERE k.form_uuid = bpart.uuid AND k.tbl = 'form') u JOIN temp.bbit b ON b.col = u.col), 0);"
	"INSERT OR IGNORE INTO temp.brow SELECT d.form_uuid, d.tbl, d.rk FROM temp.bpart p"
	" JOIN main.bundle_dirty_col d ON d.form_uuid = p.uuid WHERE d.tbl IN ('fund', 'indicator');"
	"INSERT OR IGNORE INTO temp.brow SELECT k.form_uuid, k.tbl, k.rk FROM temp.bpart p"
	" JOIN main.conflict k ON k.form_uuid = p.uuid WHERE k.tbl IN ('fund', 'indicator');"
	"INSERT OR IGNORE INTO temp.brow SELECT t.form_uuid, 'indicator', t.rk FROM temp.bpart p"
	" JOIN main.tombstone t ON t.form_uuid = p.uuid WHERE t.tbl = 'indicator'",
	"INSERT INTO b.form SELECT " FORM_COPY_COLS("") " FROM main.form WHERE uuid IN " WHOLE,
	"INSERT INTO b.form SELECT f.uuid, year, unit, project,"
	" CASE WHEN p.mask & 8 THEN department END, CASE WHEN p.mask & 16 THEN lead END,"
	" CASE WHEN p.mask & 32 THEN phone END, layout, ruleset, status,"
	" CASE WHEN p.mask & 512 THEN return_reason END, CASE WHEN p.mask & 1024 THEN goals_expected END,"
	" CASE WHEN p.mask & 2048 THEN goals_achieved END, CASE WHEN p.mask & 4096 THEN total_weight END,"
	" CASE WHEN p.mask & 8192 THEN total_score END, CASE WHEN p.mask & 16384 THEN total_grade END,"
	" deleted, version, created, updated FROM temp.bpart p JOIN main.form f ON f.uuid = p.uuid;"
	"INSERT INTO b.delta SELECT uuid, mask FROM temp.bpart",
	"INSERT INTO b.fund SELECT form_uuid, row, initial, budget, spent, weight, rate, score"
	" FROM main.fund WHERE form_uuid IN " WHOLE ";"
	"INSERT INTO b.fund SELECT f.form_uuid, f.row, initial, budget, spent, weight, rate, score"
	" FROM temp.brow r JOIN main.fund f ON f.form_uuid = r.form_uuid AND f.row = r.rk WHERE r.tbl = 'fund'",
	"INSERT INTO b.indicator SELECT uuid, form_uuid, pos, level1, level2, name, nature, target,"
	" unit_of_measure, actual, weight, score, deviation FROM main.indicator WHERE form_uuid IN " WHOLE ";"
	"INSERT INTO b.indicator SELECT i.uuid, i.form_uuid, pos, level1, level2, name, nature, target,"
	" unit_of_measure, actual, weight, score, deviation FROM temp.brow r JOIN main.indicator i ON i.uuid = r.rk"
	" WHERE r.tbl = 'indicator' AND i.form_uuid = r.form_uuid",
	"INSERT INTO b.comment SELECT uuid, form_uuid, path, author, at, text, resolved FROM main.comment"
	" WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.seen SELECT * FROM main.seen WHERE form_uuid IN " WHOLE ";"
	"INSERT INTO b.seen SELECT s.* FROM temp.bpart p JOIN main.seen s ON s.form_uuid = p.uuid AND s.tbl = 'form'"
	" AND s.rk = '' JOIN temp.bbit b ON b.col = s.col WHERE p.mask & b.bit;"
	"INSERT INTO b.seen SELECT s.* FROM temp.brow r JOIN main.seen s ON s.form_uuid = r.form_uuid"
	" AND s.tbl = r.tbl AND s.rk = r.rk",
	"INSERT INTO b.tombstone SELECT * FROM main.tombstone WHERE form_uuid IN (SELECT uuid FROM temp.bsel)",
	"INSERT INTO b.conflict SELECT form_uuid, tbl, rk, col, theirs, theirs_origin FROM main.conflict"
	" WHERE col != '*' AND form_uuid IN (SELECT uuid FROM temp.bsel)",
};

/* A statement list with ?1 = all and ?2 = the columns always carried. */
static int copy_step(struct conn *c, const char *sql, bool all)
{
	int rc = BUNDLE_OK;
	while (rc == BUNDLE_OK && *sql) {
		sqlite3_stmt *st = NULL;
		const char *tail = NULL;
		if (sqlite3_prepare_v2(c->db, sql, -1, &st, &tail) != SQLITE_OK)
			return sb_dbfail(c);
		if (st) {
			if (sqlite3_bind_parameter_count(st) >= 1)
				sqlite3_bind_int(st, 1, all);
			if (sqlite3_bind_parameter_count(st) >= 2)
				sqlite3_bind_int(st, 2, (int)FORM_ALWAYS_MASK);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = sb_dbfail(c);
			sqlite3_finalize(st);
		}
		sql = tail;
	}
	return rc;
}

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
	if ((rc = sb_conn_open(c, s, err, errlen)) != BUNDLE_OK ||
	    (rc = sb_exec(c, "ATTACH ':memory:' AS b")) != BUNDLE_OK ||
	    (rc = sb_payload_ddl(c, "b")) != BUNDLE_OK ||
	    (rc = sb_exec(c, "BEGIN IMMEDIATE")) != BUNDLE_OK)
		goto fail;
	if (o->office && (rc = sb_exec(c, "INSERT OR REPLACE INTO main.meta VALUES ('role', 'office')")) != BUNDLE_OK)
		goto fail;
	if ((rc = sb_meta_get(c, "role", bi->role, sizeof bi->role)) != BUNDLE_OK ||
	    (rc = sb_meta_get(c, "db_uuid", bi->origin, sizeof bi->origin)) != BUNDLE_OK)
		goto fail;
	if (strcmp(bi->role, "office") != 0)
		snprintf(bi->role, sizeof bi->role, "unit");
	bi->full = o->all;
	/* every form of one year only: no chain's complete state (issue 21) */
	bool partial = o->all && o->year;
	sb_now_iso(bi->created);

	if ((rc = sb_exec(c, "CREATE TEMP TABLE IF NOT EXISTS bsel (uuid TEXT PRIMARY KEY);"
			  "DELETE FROM temp.bsel")) != BUNDLE_OK ||
	    !(st = sb_prep(c, "INSERT INTO temp.bsel SELECT uuid FROM main.form"
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
		rc = sb_dbfail(c);
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
		if (!(st = sb_prep(c, "SELECT DISTINCT unit FROM main.form WHERE uuid IN (SELECT uuid FROM temp.bsel)"
				" ORDER BY unit"))) {
			rc = BUNDLE_ERR;
			goto fail;
		}
		int r;
		while ((r = sqlite3_step(st)) == SQLITE_ROW)
			add_unit(bi, sb_col_text(st, 0) ? sb_col_text(st, 0) : "");
		sqlite3_finalize(st);
		st = NULL;
		if (r != SQLITE_DONE) {
			rc = sb_dbfail(c);
			goto fail;
		}
	}
	for (size_t i = 0; i < bi->n_units; i++) {
		if ((rc = sb_query_int(c, "SELECT ifnull(max(seq), 0) + 1 FROM main.bundle_seq WHERE unit = ?1",
				    bi->units[i].unit, &bi->units[i].seq)) != BUNDLE_OK)
			goto fail;
		if (partial)	/* numbered as the next one would be; the receiver ignores it */
			continue;
		if (!(st = sb_prep(c, "INSERT OR REPLACE INTO main.bundle_seq VALUES (?1, ?2)"))) {
			rc = BUNDLE_ERR;
			goto fail;
		}
		sqlite3_bind_text(st, 1, bi->units[i].unit, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, bi->units[i].seq);
		int r = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (r != SQLITE_DONE) {
			rc = sb_dbfail(c);
			goto fail;
		}
	}

	const size_t steps = sizeof copy_sql / sizeof copy_sql[0] + 1;	/* + history */
	size_t shown = (size_t)-1;
	create_tick(o, &shown, (size_t)bi->forms, 0, steps);
	for (size_t i = 0; i < sizeof copy_sql / sizeof copy_sql[0]; i++) {
		if ((rc = copy_step(c, copy_sql[i], o->all)) != BUNDLE_OK)
			goto fail;
		create_tick(o, &shown, (size_t)bi->forms, i + 1, steps);
	}
	/* History rows not sent before (all of them for a full bundle). */
	if (!(st = sb_prep(c, "INSERT INTO b.history SELECT h.uuid, h.form_uuid, h.path, h.old_value,"
			" h.new_value, h.at, h.user FROM main.history h"
			" WHERE h.form_uuid IN (SELECT uuid FROM temp.bsel) AND (?1 OR h.rowid >"
			" ifnull((SELECT history_id FROM main.bundle_sent s WHERE s.form_uuid = h.form_uuid), 0))"))) {
		rc = BUNDLE_ERR;
		goto fail;
	}
	sqlite3_bind_int(st, 1, o->all);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = sb_dbfail(c);
		goto fail;
	}
	sqlite3_finalize(st);
	st = NULL;
	create_tick(o, &shown, (size_t)bi->forms, steps, steps);
	if ((rc = sb_query_int(c, "SELECT count(*) FROM b.history", NULL, &bi->changes)) != BUNDLE_OK ||
	    (rc = sb_query_int(c, "SELECT count(*) FROM b.comment", NULL, &bi->comments)) != BUNDLE_OK)
		goto fail;
	if (partial && !(st = sb_prep(c, "INSERT INTO b.partial VALUES (?1)"))) {
		rc = BUNDLE_ERR;
		goto fail;
	}
	if (partial) {
		sqlite3_bind_int(st, 1, o->year);
		int r = sqlite3_step(st);
		sqlite3_finalize(st);
		st = NULL;
		if (r != SQLITE_DONE) {
			rc = sb_dbfail(c);
			goto fail;
		}
	}
	/* What was sent is no longer new, unless the bundle is no link of a
	 * chain: then the next one carries it again. */
	if (!partial && (rc = sb_exec(c, "DELETE FROM main.bundle_dirty WHERE form_uuid IN (SELECT uuid FROM temp.bsel);"
			  "DELETE FROM main.bundle_dirty_col WHERE form_uuid IN (SELECT uuid FROM temp.bsel);"
			  "INSERT OR REPLACE INTO main.bundle_sent SELECT uuid, ifnull((SELECT max(h.rowid)"
			  " FROM main.history h WHERE h.form_uuid = bsel.uuid), 0) FROM temp.bsel;"
			  "INSERT OR REPLACE INTO main.bundle_sent_unit SELECT f.uuid, f.unit FROM temp.bsel s"
			  " JOIN main.form f ON f.uuid = s.uuid")) != BUNDLE_OK)
		goto fail;

	sqlite3_int64 n = 0;
	unsigned char *img = sqlite3_serialize(c->db, "b", &n, 0);
	if (!img) {
		rc = sb_fail(c, BUNDLE_ERR, _("out of memory"));
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
	sb_conn_close(c);
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
		rc = sb_exec(&h->c, "COMMIT");
	sb_conn_close(&h->c);	/* rolls back what was not committed */
	free(h);
	return rc;
}

