/*
 * store_bundle_score: the list's cached figures (score, grade, errors,
 * 执行率 in form_local) of the forms an apply changed, worked out inside the
 * apply's own transaction on its own connection.
 *
 * Why here and not after the apply through store_load and doc.c: there the
 * store's connection finds its page cache stale after the apply's commit
 * and reads every page of every form again, each form is its own snapshot,
 * and the cache is two UPDATEs a form.  Here the pages the merge just read
 * are still cached, the figures commit with the changes they follow (never
 * a moment where the list shows the old score of a changed form), and one
 * UPDATE a form writes them.  The rules stay out of the store: the caller
 * works the figures out (bundle.c), this file reads forms and writes rows.
 *
 * The form is read as store_form.c's load_form reads it (the same columns, the
 * same row order): test_bundle.c holds the figures written here to those
 * doc_refresh_summary writes for the form store_load gives.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "num.h"
#include "store_bundle_int.h"
#include "store_int.h"	/* sc_sort_key, sc_grade_rank: the list's keys, one way */
#include "store_bundle_score.h"

enum { S_HEAD, S_FUNDS, S_INDS, S_N };
static const char *const ssql[S_N] = {
	/* the form, then the figures cached now (from HEAD_CACHED on) */
	[S_HEAD] = "SELECT f.uuid, f.version, f.status, f.return_reason, f.updated, f.year, f.project,"
		   " f.department, f.unit, f.lead, f.phone, f.goals_expected, f.goals_achieved,"
		   " f.total_weight, f.total_score, f.total_grade, f.layout, f.ruleset,"
		   " l.score, l.grade, l.errors, l.rate, l.live"
		   " FROM main.form_local l JOIN main.form f ON f.uuid = l.form_uuid"
		   " WHERE l.id = ?1 AND f.deleted = 0",
	[S_FUNDS] = "SELECT row, initial, budget, spent, weight, rate, score FROM main.fund WHERE form_uuid = ?1",
	/* store_form.c orders by pos, uuid; by pos alone the index gives the rows
	 * in order with no sort, and the rare tie is put in order in C */
	[S_INDS] = "SELECT uuid, level1, level2, name, nature, target, unit_of_measure, actual,"
		   " weight, score, deviation, pos FROM main.indicator WHERE form_uuid = ?1 ORDER BY pos",
};
#define HEAD_CACHED 18

/* What store_set_summary and store_set_rate write, by the parts that
 * changed: each of score, grade and rate has a sort column, and the list's
 * six indexes on them are written only for the parts in the SET. */
enum { P_SCORE = 1, P_GRADE = 2, P_ERRORS = 4, P_RATE = 8, P_ALL = 16 };
static char *put_sql(unsigned mask)
{
	char set[256] = "";
	size_t n = 0;
	if (mask & P_SCORE)
		n += (size_t)snprintf(set + n, sizeof set - n, ", score = ?2, score_key = ?5");
	if (mask & P_GRADE)
		n += (size_t)snprintf(set + n, sizeof set - n, ", grade = ?3, grade_rank = ?6");
	if (mask & P_ERRORS)
		n += (size_t)snprintf(set + n, sizeof set - n, ", errors = ?4");
	if (mask & P_RATE)
		n += (size_t)snprintf(set + n, sizeof set - n, ", rate = ?7, rate_key = ?8");
	/* (every parameter named, so each statement binds alike) */
	char *q = sqlite3_mprintf("UPDATE main.form_local SET %s WHERE id = ?1 AND live = 1"
				  " AND ?2 IS ?2 AND ?3 IS ?3 AND ?4 IS ?4 AND ?5 IS ?5 AND ?6 IS ?6"
				  " AND ?7 IS ?7 AND ?8 IS ?8", set + 2);
	if (!q)
		abort();
	return q;
}

/* The figures a form's row holds before this apply. */
struct cached {
	bool live;
	char *score, *grade, *rate;
	int errors;
};

/* The header's text columns of S_HEAD from column 6 on, in order. */
static char **head_slot(struct form *f, int i)
{
	char **slot[] = { &f->project, &f->department, &f->unit, &f->lead, &f->phone,
			  &f->goals_expected, &f->goals_achieved, &f->total_weight, &f->total_score,
			  &f->total_grade, &f->layout, &f->ruleset };
	return slot[i];
}
#define N_HEAD_TEXT 12

static const char *col_or_empty(sqlite3_stmt *st, int i)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const char *t = (const char *)sqlite3_column_text(st, i);
	return t ? t : "";
}

static int status_of(const char *t)
{
	for (int i = 0; i < 4; i++)
		if (t && strcmp(t, status_key[i]) == 0)
			return i;
	return STATUS_DRAFT;
}

/* Rows in pos order put in (pos, uuid) order: an insertion sort, which
 * moves only the rows of a tie. */
static void order_ties(struct form *f, int64_t *pos)
{
	for (size_t i = 1; i < f->n_ind; i++)
		for (size_t j = i; j > 0 && pos[j - 1] == pos[j] &&
		     strcmp(f->ind[j - 1].uuid, f->ind[j].uuid) > 0; j--) {
			struct indicator t = f->ind[j];
			f->ind[j] = f->ind[j - 1];
			f->ind[j - 1] = t;
		}
}

/* The form of local id, as store_load gives it; *out NULL when it is
 * deleted or gone. */
static int load(struct conn *c, sqlite3_stmt *q[S_N], int64_t id, struct form **out, struct cached *was)
{
	*out = NULL;
	sqlite3_stmt *h = q[S_HEAD];
	sqlite3_reset(h);
	sqlite3_bind_int64(h, 1, id);
	int r = sqlite3_step(h);
	if (r != SQLITE_ROW) {
		sqlite3_reset(h);
		return r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(c);
	}
	struct form *f = calloc(1, sizeof *f);
	if (!f)
		abort();
	f->id = id;
	snprintf(f->uuid, sizeof f->uuid, "%s", col_or_empty(h, 0) ? col_or_empty(h, 0) : "");
	f->version = sqlite3_column_int64(h, 1);
	f->status = (enum form_status)status_of(col_or_empty(h, 2));
	f->return_reason = xstrdup(col_or_empty(h, 3));
	f->updated = xstrdup(col_or_empty(h, 4));
	f->year = sqlite3_column_int(h, 5);
	for (int i = 0; i < N_HEAD_TEXT; i++)
		*head_slot(f, i) = xstrdup(col_or_empty(h, 6 + i));
	*was = (struct cached){ .live = sqlite3_column_int(h, HEAD_CACHED + 4) == 1,
				.score = xstrdup(col_or_empty(h, HEAD_CACHED)),
				.grade = xstrdup(col_or_empty(h, HEAD_CACHED + 1)),
				.errors = sqlite3_column_int(h, HEAD_CACHED + 2),
				.rate = xstrdup(col_or_empty(h, HEAD_CACHED + 3)) };
	sqlite3_reset(h);

	sqlite3_stmt *st = q[S_FUNDS];
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *row = col_or_empty(st, 0);
		for (int k = 0; k < FUND_ROWS; k++)
			if (row && strcmp(row, fund_row_key[k]) == 0)
				for (int j = 0; j < FUND_COLS; j++)
					f->funds[k][j] = xstrdup(col_or_empty(st, 1 + j));
	}
	sqlite3_reset(st);
	if (r == SQLITE_DONE) {
		st = q[S_INDS];
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, f->uuid, -1, SQLITE_STATIC);
		int64_t *pos = NULL;	/* each row's, for the ties */
		bool tie = false;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			if (f->n_ind == f->cap_ind) {
				size_t cap = f->cap_ind ? f->cap_ind * 2 : 8;
				struct indicator *p = realloc(f->ind, cap * sizeof *p);
				int64_t *pp = realloc(pos, cap * sizeof *pp);
				if (!p || !pp)
					abort();
				f->ind = p;
				pos = pp;
				f->cap_ind = cap;
			}
			size_t n = f->n_ind++;
			struct indicator *in = &f->ind[n];
			memset(in, 0, sizeof *in);
			snprintf(in->uuid, sizeof in->uuid, "%s", col_or_empty(st, 0) ? col_or_empty(st, 0) : "");
			for (int k = 0; k < IND_FIELDS; k++)
				in->v[k] = xstrdup(col_or_empty(st, 1 + k));
			pos[n] = sqlite3_column_int64(st, 1 + IND_FIELDS);
			tie = tie || (n > 0 && pos[n] == pos[n - 1]);
		}
		if (tie)
			order_ties(f, pos);
		free(pos);
		sqlite3_reset(st);
	}
	if (r != SQLITE_DONE) {
		form_free(f);
		return sb_dbfail(c);
	}
	*out = f;
	return BUNDLE_OK;
}

static void bind_opt(sqlite3_stmt *st, int i, const char *t)
{
	if (t && *t)
		sqlite3_bind_text(st, i, t, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The figure as cached: "" is none (NULL) */
static bool same(const char *cached, const char *now)
{
	return cached ? strcmp(cached, now) == 0 : !*now;
}

static int put(struct conn *c, sqlite3_stmt *st[P_ALL], const struct cached *was, int64_t id,
	       const struct sb_summary *s)
{
	unsigned mask = (same(was->score, s->score) ? 0 : P_SCORE) | (same(was->grade, s->grade) ? 0 : P_GRADE) |
		(was->errors == s->errors ? 0 : P_ERRORS) | (same(was->rate, s->rate) ? 0 : P_RATE);
	if (!mask || !was->live)	/* (a deleted form's row is not written: store_set_summary) */
		return BUNDLE_OK;
	if (!st[mask]) {
		char *q = put_sql(mask);
		st[mask] = sb_prep(c, q);
		sqlite3_free(q);
		if (!st[mask])
			return BUNDLE_ERR;
	}
	sqlite3_stmt *u = st[mask];
	int64_t k;
	sqlite3_reset(u);
	sqlite3_clear_bindings(u);
	sqlite3_bind_int64(u, 1, id);
	bind_opt(u, 2, s->score);
	bind_opt(u, 3, s->grade);
	sqlite3_bind_int(u, 4, s->errors);
	if (sc_sort_key(s->score[0] ? s->score : NULL, &k))
		sqlite3_bind_int64(u, 5, k);
	if (s->grade[0])
		sqlite3_bind_int(u, 6, sc_grade_rank(s->grade));
	bind_opt(u, 7, s->rate);
	if (sc_sort_key(s->rate[0] ? s->rate : NULL, &k))
		sqlite3_bind_int64(u, 8, k);
	int r = sqlite3_step(u);
	sqlite3_reset(u);
	return r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(c);
}

int sb_score_forms(struct conn *c, const int64_t *ids, size_t n, sb_score_fn *fn, void *arg)
{
	sqlite3_stmt *q[S_N] = { 0 }, *put_st[P_ALL] = { 0 };
	int rc = BUNDLE_OK;
	for (int i = 0; i < S_N && rc == BUNDLE_OK; i++)
		if (!(q[i] = sb_prep(c, ssql[i])))
			rc = BUNDLE_ERR;
	for (size_t i = 0; i < n && rc == BUNDLE_OK; i++) {
		struct form *f;
		struct cached was = { 0 };
		rc = load(c, q, ids[i], &f, &was);
		if (rc == BUNDLE_OK && f) {
			struct sb_summary s = { 0 };
			fn(f, &s, arg);
			rc = put(c, put_st, &was, ids[i], &s);
		}
		form_free(f);
		free(was.score);
		free(was.grade);
		free(was.rate);
	}
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(q[i]);
	for (int i = 0; i < P_ALL; i++)
		sqlite3_finalize(put_st[i]);
	return rc;
}
