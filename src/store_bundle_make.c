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
		if ((rc = sb_exec(c, copy_sql[i])) != BUNDLE_OK)
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
			  "INSERT OR REPLACE INTO main.bundle_sent SELECT uuid, ifnull((SELECT max(h.rowid)"
			  " FROM main.history h WHERE h.form_uuid = bsel.uuid), 0) FROM temp.bsel")) != BUNDLE_OK)
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

