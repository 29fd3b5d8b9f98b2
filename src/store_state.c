/*
 * store_state: what becomes of a form in the store (see store.h): its status,
 * deletion and restoring, the figures cached for the lists, the lists
 * themselves, and comments.  Part of the store core (store_core.h).
 */
#include "config.h"
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "num.h"
#include "store_core.h"
#include "store_int.h"

/* ---- status ---------------------------------------------------------------- */

/* A status as people read it (status_key is the stored word). */
static const char *status_name(enum form_status st)
{
	static const char *const name[4] = { N_("draft"), N_("submitted"), N_("returned"), N_("approved") };
	return _(name[st]);
}

static bool allowed(enum form_status from, enum form_status to)
{
	return (to == STATUS_SUBMITTED && (from == STATUS_DRAFT || from == STATUS_RETURNED)) ||
	       (from == STATUS_SUBMITTED && (to == STATUS_RETURNED || to == STATUS_APPROVED));
}

static bool blank(const char *t)
{
	for (; t && *t; t++)
		if (*t != ' ' && *t != '\t' && *t != '\n' && *t != '\r')
			return false;
	return true;
}

static int set_status(struct store *s, int64_t id, int64_t expected, enum form_status to,
		      const char *reason)
{
	sqlite3_stmt *h;
	int rc = sc_header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	char uuid[37];
	snprintf(uuid, sizeof uuid, "%s", sc_col_str(h, HDR_UUID));
	int64_t version = sqlite3_column_int64(h, HDR_VERSION);
	enum form_status from = sc_status_parse(sc_col_str(h, HDR_STATUS));
	char *old_reason = xstrdup(sc_col_str(h, HDR_REASON));
	sqlite3_reset(h);

	const char *new_reason = to == STATUS_RETURNED ? reason : NULL;
	char at[32];
	sc_now_iso(at);
	if (version != expected)
		rc = sc_stale(s, id, expected, version);
	else if (!allowed(from, to))
		rc = sc_seterr(s, STORE_BADSTATE,
			       _("form %lld is %s and cannot become %s (draft and returned forms are submitted; "
				 "a submitted form is returned or approved)"),
			       (long long)id, status_name(from), status_name(to));
	else if (to == STATUS_RETURNED && blank(reason))
		rc = sc_seterr(s, STORE_BADSTATE, _("a form is returned with a reason"));
	if (rc == STORE_OK) {
		sqlite3_stmt *st = sc_q(s, Q_STATUS);
		if (!st) {
			rc = STORE_ERR;
		} else {
			sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, status_key[to], -1, SQLITE_STATIC);
			sc_bind_str(st, 3, new_reason);
			sqlite3_bind_text(st, 4, at, -1, SQLITE_STATIC);
			rc = sc_run(s, st);
		}
	}
	if (rc == STORE_OK)
		rc = sc_history_add(s, uuid, "status", status_key[from], status_key[to], at);
	if (rc == STORE_OK && !sc_str_eq(old_reason, new_reason))
		rc = sc_history_add(s, uuid, "return_reason", old_reason, new_reason, at);
	free(old_reason);
	return rc;
}

int store_set_status(struct store *s, int64_t id, int64_t expected_version,
		     enum form_status to, const char *reason)
{
	if ((unsigned)to > STATUS_APPROVED)
		return sc_seterr(s, STORE_BADSTATE, _("unknown status"));
	int rc = sc_tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	return sc_tx_end(s, set_status(s, id, expected_version, to, reason));
}

/* ---- delete -------------------------------------------------------------- */

static int delete_form(struct store *s, int64_t id)
{
	sqlite3_stmt *h;
	int rc = sc_header(s, id, &h);
	if (rc != STORE_OK)
		return rc;
	char uuid[37];
	snprintf(uuid, sizeof uuid, "%s", sc_col_str(h, HDR_UUID));
	enum form_status status = sc_status_parse(sc_col_str(h, HDR_STATUS));
	sqlite3_reset(h);
	if ((rc = sc_refuse_readonly(s, id, status)) != STORE_OK)
		return rc;
	char at[32];
	sc_now_iso(at);
	sqlite3_stmt *st = sc_q(s, Q_DELETE);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if ((rc = sc_run(s, st)) != STORE_OK)
		return rc;
	return sc_history_add(s, uuid, "deleted", "0", "1", at);
}

int store_delete(struct store *s, int64_t id)
{
	int rc = sc_tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	return sc_tx_end(s, delete_form(s, id));
}

/* The undoing of delete_form: a deletion only sets a flag, so the form's
 * rows, comments and history are all still there. */
static int restore_form(struct store *s, int64_t id)
{
	sqlite3_stmt *st = sc_q(s, Q_GONE);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		sqlite3_reset(st);
		return r == SQLITE_DONE ? sc_seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id)
					: sc_dberr(s, r);
	}
	char uuid[37], unit[512], project[1024];
	snprintf(uuid, sizeof uuid, "%s", sc_col_str(st, 0));
	bool deleted = sqlite3_column_int(st, 1) != 0;
	snprintf(unit, sizeof unit, "%s", sc_col_str(st, 2));
	int year = sqlite3_column_int(st, 3);
	snprintf(project, sizeof project, "%s", sc_col_str(st, 4));
	sqlite3_reset(st);
	if (!deleted)
		return sc_seterr(s, STORE_BADSTATE, _("form %lld is not deleted: there is nothing to restore"),
				 (long long)id);
	/* a live form took its unit, year and project since: say which */
	if ((r = sc_key_taken(s, unit, year, project, NULL)) != 0)
		return r;
	char at[32];
	sc_now_iso(at);
	if (!(st = sc_q(s, Q_RESTORE)))
		return STORE_ERR;
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
	if ((r = sc_run(s, st)) != STORE_OK)
		return r;
	return sc_history_add(s, uuid, "deleted", "1", "0", at);
}

int store_restore(struct store *s, int64_t id)
{
	int rc = sc_tx_begin(s, true);
	if (rc != STORE_OK)
		return rc;
	return sc_tx_end(s, restore_form(s, id));
}

/* ---- cached figures ---------------------------------------------------------- */

static int local_update(struct store *s, int64_t id, sqlite3_stmt *st)
{
	int rc = sc_run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		rc = sc_seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id);
	return rc;
}

int store_set_summary(struct store *s, int64_t id, const char *score,
		      const char *grade, int errors)
{
	sqlite3_stmt *st = sc_q(s, Q_SUMMARY);
	int64_t k;
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	sc_bind_str(st, 2, score);
	sc_bind_str(st, 3, grade);
	sqlite3_bind_int(st, 4, errors);
	if (sc_sort_key(score, &k))
		sqlite3_bind_int64(st, 5, k);
	if (grade)
		sqlite3_bind_int(st, 6, sc_grade_rank(grade));
	return local_update(s, id, st);
}

int store_set_rate(struct store *s, int64_t id, const char *rate)
{
	sqlite3_stmt *st = sc_q(s, Q_RATE);
	int64_t k;
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	sc_bind_str(st, 2, rate);
	if (sc_sort_key(rate, &k))
		sqlite3_bind_int64(st, 3, k);
	return local_update(s, id, st);
}

/* ---- lists ----------------------------------------------------------------- */

/* WHERE terms for a filter, with named parameters bound by bind_filter.
 * "f.deleted = 0" word for word: it is what lets sqlite use the partial
 * indexes form_key and form_status. */
static void filter_sql(char *buf, size_t len, const struct store_filter *flt)
{
	snprintf(buf, len, "f.deleted = 0%s%s%s%s",
		 flt && flt->unit ? " AND f.unit = :unit" : "",
		 flt && flt->year ? " AND f.year = :year" : "",
		 flt && flt->status ? " AND f.status = :status" : "",
		 flt && flt->text && *flt->text
		 ? " AND (instr(f.unit, :text) > 0 OR instr(f.project, :text) > 0"
		   " OR instr(coalesce(f.department, ''), :text) > 0)" : "");
}

static void bind_filter(sqlite3_stmt *st, const struct store_filter *flt)
{
	if (!flt)
		return;
	int i;
	if ((i = sqlite3_bind_parameter_index(st, ":unit")))
		sqlite3_bind_text(st, i, flt->unit, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":year")))
		sqlite3_bind_int(st, i, flt->year);
	if ((i = sqlite3_bind_parameter_index(st, ":status")))
		sqlite3_bind_text(st, i, flt->status, -1, SQLITE_STATIC);
	if ((i = sqlite3_bind_parameter_index(st, ":text")))
		sqlite3_bind_text(st, i, flt->text, -1, SQLITE_STATIC);
}

static int query_rows(struct store *s, const char *sql, const struct store_filter *flt,
		      int64_t limit, int64_t offset,
		      int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	sqlite3_stmt *st;
	int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (r != SQLITE_OK)
		return sc_dberr(s, r);
	bind_filter(st, flt);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":limit"), limit);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":offset"), offset);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct form_row row = {
			.id = sqlite3_column_int64(st, 0), .year = sqlite3_column_int(st, 1),
			.unit = sc_col_str(st, 2), .project = sc_col_str(st, 3),
			.department = sc_col_str(st, 4), .status = sc_col_str(st, 5),
			.updated = sc_col_str(st, 6), .score = sc_col_str(st, 7), .grade = sc_col_str(st, 8),
			.errors = sqlite3_column_int(st, 9), .version = sqlite3_column_int64(st, 10),
			.uuid = sc_col_str(st, 11), .budget = sc_col_str(st, 12), .spent = sc_col_str(st, 13),
			.rate = sc_col_str(st, 14),
		};
		if (fn(&row, arg))
			break;
	}
	int rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : sc_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_page(struct store *s, const struct store_filter *flt, enum store_sort by,
	       bool desc, size_t offset, size_t limit,
	       int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	if ((unsigned)by > SORT_UPDATED)
		return sc_seterr(s, STORE_ERR, _("unknown sort order"));
	char where[400], ord[200], inner[1000], sql[2000];
	filter_sql(where, sizeof where, flt);
	const char *d = desc ? "DESC" : "ASC";
	bool cached = by == SORT_SCORE || by == SORT_GRADE || by == SORT_RATE;
	bool status_only = !(flt && (flt->unit || flt->year || (flt->text && *flt->text)));
	const char *key = by == SORT_SCORE ? "score_key" : by == SORT_GRADE ? "grade_rank" : "rate_key";
	/* The same direction on every term, so one index serves both ways. */
	switch (by) {
	case SORT_UNIT:
		snprintf(ord, sizeof ord, "f.unit %s, f.year %s, f.project %s", d, d, d);
		break;
	case SORT_STATUS:
		snprintf(ord, sizeof ord, "f.status %s, f.unit %s, f.year %s, f.project %s", d, d, d, d);
		break;
	case SORT_UPDATED:
		snprintf(ord, sizeof ord, "f.updated %s, f.rowid %s", d, d);
		break;
	default:
		snprintf(ord, sizeof ord, "l.%s %s, l.id %s", key, d, d);
	}
	/* Where the rows come from, and the condition on them.  Sorted by a
	 * cached figure with at most a status filter: form_local's own partial
	 * indexes (by figure, or status then figure) lead.  Otherwise the
	 * planner's choice: form_key, form_status, form_live_updated, or with
	 * a unit filter form_key and a sort of the few. */
	char cond[400];
	const char *from;
	if (cached && status_only) {
		from = "form_local l CROSS JOIN form f ON f.uuid = l.form_uuid";
		snprintf(cond, sizeof cond, "l.live = 1%s",
			 flt && flt->status ? " AND l.status = :status" : "");
	} else {
		from = "form f JOIN form_local l ON l.form_uuid = f.uuid";
		snprintf(cond, sizeof cond, "%s", where);
	}
	static const char cols[] =
		"l.id, f.year, f.unit, f.project, f.department, f.status, f.updated,"
		" l.score, l.grade, l.errors, f.version, f.uuid, t.budget, t.spent, l.rate";
	if (offset == 0) {	/* the first page, or the whole list: one pass */
		snprintf(sql, sizeof sql, "SELECT %s FROM %s"
			 " LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"
			 " WHERE %s ORDER BY %s LIMIT :limit OFFSET :offset", cols, from, cond, ord);
	} else {
		/* Deep in the list: first the page's keys alone, skipping OFFSET
		 * rows inside one index without looking forms up (a MATERIALIZED
		 * CTE), then the page's rows. */
		if (cached)
			snprintf(inner, sizeof inner, "SELECT l.id AS k FROM %s WHERE %s"
				 " ORDER BY %s LIMIT :limit OFFSET :offset",
				 status_only ? "form_local l" : from, cond, ord);
		else
			snprintf(inner, sizeof inner, "SELECT f.rowid AS k FROM form f WHERE %s"
				 " ORDER BY %s LIMIT :limit OFFSET :offset", cond, ord);
		snprintf(sql, sizeof sql, "WITH p AS MATERIALIZED (%s) SELECT %s FROM p %s"
			 " LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"
			 " ORDER BY %s", inner, cols,
			 cached ? "JOIN form_local l ON l.id = p.k JOIN form f ON f.uuid = l.form_uuid"
				: "JOIN form f ON f.rowid = p.k JOIN form_local l ON l.form_uuid = f.uuid",
			 ord);
	}
	int64_t lim = limit > INT64_MAX ? -1 : (int64_t)limit;
	int64_t off = offset > INT64_MAX ? INT64_MAX : (int64_t)offset;
	return query_rows(s, sql, flt, lim, off, fn, arg);
}

int store_list(struct store *s, const struct store_filter *flt,
	       int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	return store_page(s, flt, SORT_UNIT, false, 0, SIZE_MAX, fn, arg);
}

int store_count(struct store *s, const struct store_filter *flt, size_t *n)
{
	char where[400], sql[600];
	sqlite3_stmt *st;
	filter_sql(where, sizeof where, flt);
	if (!(flt && (flt->unit || flt->year || (flt->text && *flt->text))))
		/* every live form, or one status: the tally (schema 010), not a scan */
		snprintf(sql, sizeof sql, "SELECT coalesce(sum(n), 0) FROM form_tally%s",
			 flt && flt->status ? " WHERE status = :status" : "");
	else
		snprintf(sql, sizeof sql, "SELECT count(*) FROM form f WHERE %s", where);
	int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (r != SQLITE_OK)
		return sc_dberr(s, r);
	bind_filter(st, flt);
	r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return r == SQLITE_ROW ? STORE_OK : sc_dberr(s, r);
}

int store_summary(struct store *s, const struct store_filter *flt,
		  int (*fn)(const struct summary_row *r, void *arg), void *arg)
{
	char where[400], sql[1400];
	sqlite3_stmt *st;
	filter_sql(where, sizeof where, flt);
	snprintf(sql, sizeof sql,
		 "SELECT f.unit, f.year, count(*),"
		 " jx_sum(CASE WHEN jx_readable(t.spent) THEN t.budget END),"
		 " jx_sum(CASE WHEN jx_readable(t.budget) THEN t.spent END),"
		 " jx_avg(l.score), count(l.score),"
		 " sum(l.grade = '优'), sum(l.grade = '良'), sum(l.grade = '中'), sum(l.grade = '差'),"
		 " sum(l.errors > 0), sum(NOT (jx_readable(t.budget) AND jx_readable(t.spent)))"
		 " FROM form f JOIN form_local l ON l.form_uuid = f.uuid"
		 " LEFT JOIN fund t ON t.form_uuid = f.uuid AND t.row = 'total'"
		 " WHERE %s GROUP BY f.unit, f.year ORDER BY f.unit, f.year", where);
	int r = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (r != SQLITE_OK)
		return sc_dberr(s, r);
	bind_filter(st, flt);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		char rate[NUM_BUFSZ];
		num b, p, q;
		struct summary_row row = {
			.unit = sc_col_str(st, 0), .year = sqlite3_column_int(st, 1),
			.forms = sqlite3_column_int64(st, 2),
			.budget = sc_col_str(st, 3), .spent = sc_col_str(st, 4),
			.avg_score = sc_col_str(st, 5), .scored = sqlite3_column_int64(st, 6),
			.with_errors = sqlite3_column_int64(st, 11),
			.unreadable = sqlite3_column_int64(st, 12),
		};
		for (int g = 0; g < STORE_GRADES; g++)
			row.grades[g] = sqlite3_column_int64(st, 7 + g);
		if (row.budget && row.spent && num_parse(row.budget, &b) && num_parse(row.spent, &p) &&
		    !num_is_zero(b) && num_muldiv(p, num_from_int(100), b, 2, NUM_HALF_AWAY, &q))
			row.rate = num_fixed(q, 2, rate);
		if (fn(&row, arg))
			break;
	}
	int rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : sc_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

/* ---- comments ---------------------------------------------------------------- */

/* The uuid of a form id (live ones only if live). */
int sc_form_uuid_of(struct store *s, int64_t id, bool live, char uuid[37])
{
	if (live) {
		sqlite3_stmt *h;
		int rc = sc_header(s, id, &h);
		if (rc == STORE_OK) {
			snprintf(uuid, 37, "%s", sc_col_str(h, HDR_UUID));
			sqlite3_reset(h);
		}
		return rc;
	}
	sqlite3_stmt *st = sc_q(s, Q_LOCAL_UUID);
	if (!st)
		return STORE_ERR;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		snprintf(uuid, 37, "%s", sc_col_str(st, 0));
	sqlite3_reset(st);
	if (r == SQLITE_ROW)
		return STORE_OK;
	return r == SQLITE_DONE ? sc_seterr(s, STORE_NOTFOUND, _("no form with id %lld"), (long long)id)
				: sc_dberr(s, r);
}

int store_comment_add(struct store *s, int64_t id, const char *path, const char *text,
		      char uuid_out[37])
{
	struct where w;
	char form[37], uuid[37], at[32];
	if (path && !sc_resolve(path, &w))
		return sc_seterr(s, STORE_BADPATH, _("unknown field path: %s"), path);
	if (blank(text))
		return sc_seterr(s, STORE_ERR, _("a comment needs some text"));
	int rc = sc_form_uuid_of(s, id, true, form);
	if (rc != STORE_OK)
		return rc;
	sqlite3_stmt *st = sc_q(s, Q_COMMENT_ADD);
	if (!st)
		return STORE_ERR;
	uuid_make(uuid);
	sc_now_iso(at);
	sqlite3_bind_text(st, 1, uuid, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, form, -1, SQLITE_STATIC);
	sc_bind_str(st, 3, path);
	sqlite3_bind_text(st, 4, sc_os_user(s), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, text, -1, SQLITE_STATIC);
	if ((rc = sc_run(s, st)) == STORE_OK && uuid_out)
		memcpy(uuid_out, uuid, 37);
	return rc;
}

int store_comment_list(struct store *s, int64_t id, bool all,
		       int (*fn)(const struct comment_row *r, void *arg), void *arg)
{
	char form[37];
	int rc = sc_tx_begin(s, false);
	if (rc != STORE_OK)
		return rc;
	if ((rc = sc_form_uuid_of(s, id, false, form)) != STORE_OK)
		return sc_tx_end(s, rc);
	sqlite3_stmt *st = sc_q(s, all ? Q_COMMENTS_ALL : Q_COMMENTS);
	if (!st)
		return sc_tx_end(s, STORE_ERR);
	sqlite3_bind_text(st, 1, form, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct comment_row c = {
			.form_id = id, .uuid = sc_col_str(st, 0), .path = sc_col_str(st, 1),
			.author = sc_col_str(st, 2), .at = sc_col_str(st, 3), .text = sc_col_str(st, 4),
			.resolved = sqlite3_column_int(st, 5) != 0,
		};
		if (fn(&c, arg))
			break;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : sc_dberr(s, r);
	sqlite3_reset(st);
	return sc_tx_end(s, rc);
}

int store_comment_resolve(struct store *s, const char *uuid)
{
	sqlite3_stmt *st = sc_q(s, Q_COMMENT_RESOLVE);
	if (!st)
		return STORE_ERR;
	sc_bind_str(st, 1, uuid);
	int rc = sc_run(s, st);
	if (rc == STORE_OK && sqlite3_changes(s->db) == 0)
		rc = sc_seterr(s, STORE_NOTFOUND, _("no comment with uuid %s"), uuid ? uuid : "(none)");
	return rc;
}

/* ---- for the store's other files (store_int.h) ---------------------------- */

void store_int_filter_sql(char *buf, size_t len, const struct store_filter *flt)
{
	filter_sql(buf, len, flt);
}
void store_int_filter_bind(sqlite3_stmt *st, const struct store_filter *flt) { bind_filter(st, flt); }
