/*
 * store_iter: whole forms in bulk (store_each_form, see store.h).
 *
 * store_load costs a transaction and three lookups per form; over thousands
 * of forms the page reads, locks and statement steps add up.  Here the
 * headers, the fund rows and the indicator rows are three queries in the
 * same order (unit, year, project, then fund row / position), walked side by
 * side inside one read transaction, so each table is read once, in index
 * order.  (unit, year, project) is unique among live forms, so the three
 * orders agree and a row belongs to the current form exactly when its form
 * uuid is the current one.
 */
#include "config.h"
#include "store_iter.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define ORDER "f.unit, f.year, f.project"

/* The header's select list: f.uuid is column 0 of every query. */
enum { H_UUID, H_ID, H_VERSION, H_STATUS, H_REASON, H_UPDATED, H_YEAR, H_TEXT0 };
#define H_SELECT "f.uuid, l.id, f.version, f.status, f.return_reason, f.updated, f.year, " \
	"f.project, f.department, f.unit, f.lead, f.phone, f.goals_expected, f.goals_achieved, " \
	"f.total_weight, f.total_score, f.total_grade, f.layout, f.ruleset"
/* The string slots of the header, in H_SELECT order from H_TEXT0. */
static char **htext(struct form *f, int i)
{
	char **slot[] = {
		&f->project, &f->department, &f->unit, &f->lead, &f->phone,
		&f->goals_expected, &f->goals_achieved, &f->total_weight,
		&f->total_score, &f->total_grade, &f->layout, &f->ruleset,
	};
	assert(i >= 0 && i < (int)(sizeof slot / sizeof slot[0]));
	return slot[i];
}
#define N_HTEXT 12

static const char *col_str(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static enum form_status status_of(const char *t)
{
	for (int i = 0; i < 4; i++)
		if (t && strcmp(t, status_key[i]) == 0)
			return (enum form_status)i;
	return STATUS_DRAFT;
}

static int prepare(struct store *s, const char *select, const char *join, const char *where,
		   const char *then, const struct store_filter *flt, sqlite3_stmt **st)
{
	char sql[1600];
	snprintf(sql, sizeof sql, "SELECT %s FROM form f %s WHERE %s ORDER BY " ORDER "%s",
		 select, join, where, then);
	int r = sqlite3_prepare_v2(store_int_db(s), sql, -1, st, NULL);
	if (r != SQLITE_OK)
		return store_int_dberr(s, r);
	store_int_filter_bind(*st, flt);
	return STORE_OK;
}

/* Steps st; *more says whether it holds a row.  STORE_* code. */
static int step(struct store *s, sqlite3_stmt *st, bool *more)
{
	int r = sqlite3_step(st);
	*more = r == SQLITE_ROW;
	return r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
}

static bool same_form(sqlite3_stmt *st, const char *uuid)
{
	const char *u = (const char *)sqlite3_column_text(st, 0);
	return u && strcmp(u, uuid) == 0;
}

static struct form *header(sqlite3_stmt *h)
{
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	snprintf(f->uuid, sizeof f->uuid, "%s", col_str(h, H_UUID) ? col_str(h, H_UUID) : "");
	f->id = sqlite3_column_int64(h, H_ID);
	f->version = sqlite3_column_int64(h, H_VERSION);
	f->status = status_of(col_str(h, H_STATUS));
	f->return_reason = xstrdup(col_str(h, H_REASON));
	f->updated = xstrdup(col_str(h, H_UPDATED));
	f->year = sqlite3_column_int(h, H_YEAR);
	for (int i = 0; i < N_HTEXT; i++)
		*htext(f, i) = xstrdup(col_str(h, H_TEXT0 + i));
	return f;
}

/* A row at the end, its uuid as stored (form_add_indicator would draw a
 * fresh random one only for it to be overwritten). */
static struct indicator *append_row(struct form *f)
{
	if (f->n_ind == f->cap_ind) {
		size_t cap = f->cap_ind ? f->cap_ind * 2 : 8;
		struct indicator *p = realloc(f->ind, cap * sizeof *p);
		if (!p)
			abort();
		f->ind = p;
		f->cap_ind = cap;
	}
	struct indicator *in = &f->ind[f->n_ind++];
	memset(in, 0, sizeof *in);
	return in;
}

int store_each_form(struct store *s, const struct store_filter *flt,
		    int (*fn)(struct form *f, void *arg), void *arg)
{
	char where[400];
	store_int_filter_sql(where, sizeof where, flt);
	sqlite3_stmt *h = NULL, *fd = NULL, *in = NULL;
	int rc = store_int_read_begin(s);	/* one snapshot for the three */
	if (rc != STORE_OK)
		return rc;
	/* The same forms in all three: every live form (LEFT JOIN: a form
	 * without its local row still comes, with id 0), so the rows of the
	 * second and third queries always belong to the current header. */
	if ((rc = prepare(s, H_SELECT, "LEFT JOIN form_local l ON l.form_uuid = f.uuid", where, "",
			  flt, &h)) == STORE_OK &&
	    (rc = prepare(s, "f.uuid, d.row, d.initial, d.budget, d.spent, d.weight, d.rate, d.score",
			  "JOIN fund d ON d.form_uuid = f.uuid", where, ", d.row", flt, &fd)) == STORE_OK)
		rc = prepare(s, "f.uuid, i.uuid, i.level1, i.level2, i.name, i.nature, i.target,"
			     " i.unit_of_measure, i.actual, i.weight, i.score, i.deviation",
			     "JOIN indicator i ON i.form_uuid = f.uuid", where, ", i.pos, i.uuid", flt, &in);
	bool more_h = false, more_f = false, more_i = false;
	if (rc == STORE_OK && (rc = step(s, fd, &more_f)) == STORE_OK &&
	    (rc = step(s, in, &more_i)) == STORE_OK)
		rc = step(s, h, &more_h);
	while (rc == STORE_OK && more_h) {
		struct form *f = header(h);
		while (rc == STORE_OK && more_f && same_form(fd, f->uuid)) {
			const char *row = col_str(fd, 1);
			for (int k = 0; k < FUND_ROWS; k++)
				if (row && strcmp(row, fund_row_key[k]) == 0)
					for (int c = 0; c < FUND_COLS; c++)
						set_str(&f->funds[k][c], col_str(fd, 2 + c));
			rc = step(s, fd, &more_f);
		}
		while (rc == STORE_OK && more_i && same_form(in, f->uuid)) {
			struct indicator *r = append_row(f);
			snprintf(r->uuid, sizeof r->uuid, "%s", col_str(in, 1) ? col_str(in, 1) : "");
			for (int k = 0; k < IND_FIELDS; k++)
				r->v[k] = xstrdup(col_str(in, 2 + k));
			rc = step(s, in, &more_i);
		}
		if (rc != STORE_OK) {
			form_free(f);
			break;
		}
		if (fn(f, arg))
			break;
		rc = step(s, h, &more_h);
	}
	sqlite3_finalize(h);
	sqlite3_finalize(fd);
	sqlite3_finalize(in);
	return store_int_end(s, rc);
}
