/*
 * store_bundle_apply: merging a payload (see store_bundle.c for the promises).
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
#include "store_bundle_score.h"
#include "store_int.h"

/* ---- apply ------------------------------------------------------------------- */

enum {
	A_SEEN_LIST_MAIN, A_SEEN_LIST_B, A_PENDING, A_CONFLICT_MINE, A_FORM_CONFLICTS,
	A_LOCAL_ONLY_ROWS, A_SET_DELETED, A_CARRIED, A_DIRTY, A_CONFLICT_SAME,
	A_CONFLICT_PUT, A_CONFLICT_DEL,
	A_FORM_INS, A_LOCAL_INS, A_LOCAL_ID, A_BUMP,
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
	/* the form travels as its changes: only the form row's columns in
	 * mask, and only its fund and indicator rows that changed */
	bool delta;
	unsigned mask;
	/* what the bundle holds at all: a form's statements for what it
	 * holds none of are not run */
	bool b_comments, b_tombs, b_conflicts;
	bool main_conflicts;	/* and whether this database had any conflict before it */
	bool b_funds, b_inds;
	int64_t local_id;	/* the form being merged, here (-1: none yet) */
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
	return r == SQLITE_DONE || r == SQLITE_ROW ? BUNDLE_OK : sb_dbfail(&a->c);
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
		k->v[k->n++] = xstrdup(sb_col_text(st, 0) ? sb_col_text(st, 0) : "");
	}
	sqlite3_reset(st);
	return r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(&a->c);
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
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(&a->c);
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
	return r == SQLITE_ROW ? BUNDLE_OK : sb_dbfail(&a->c);
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
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(&a->c);
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

/* The workflow a sender may move a form along.  A unit submits; the office
 * returns and approves, and passes on what units submitted. */
static bool flow_ok(bool office, const char *from, const char *to)
{
	if (!office)
		return sb_streq(to, "submitted") && (sb_streq(from, "draft") || sb_streq(from, "returned"));
	return !sb_streq(to, "draft") && !sb_streq(from, "approved");
}

static int refuse(struct ap *a, const char *why)
{
	return sb_fail(&a->c, BUNDLE_REFUSED, _("refused: %s (form %s, %d, %s); nothing was changed"),
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

	/* a column a form of changes does not carry: unchanged there since
	 * the last bundle, left as it is here */
	bool skip[MAXCOLS] = { 0 };
	/* the values are read in place: lo stays on the row until the update
	 * is bound, in on its row throughout (no copy of every column) */
	for (int i = 0; i < d->n; i++) {
		skip[i] = t == TB_FORM && a->delta && !(a->mask & (1u << i));
		cv[i] = sqlite3_column_value(lo, i);
		nv[i] = skip[i] ? NULL : sqlite3_column_value(in, 2 + i);
	}
	for (int i = 0; i < d->n && rc == BUNDLE_OK; i++) {
		struct field f = { fu, d->name, rk, d->cols[i] };
		struct merge_field_out o;
		if (skip[i])
			continue;
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
		if ((takes || dec == MERGE_CONFLICT) && status && !flow_ok(a->office, sb_vtext(cv[i]), sb_vtext(nv[i]))) {
			char why[400];
			snprintf(why, sizeof why, a->office ?
				 _("the office's bundle cannot move a form from %s to %s") :
				 _("a unit's bundle cannot move a form from %s to %s (only the office returns or approves)"),
				 sb_vtext(cv[i]), sb_vtext(nv[i]));
			rc = refuse(a, why);
			break;
		}
		if (takes && !a->office && t == TB_FORM &&
		    strcmp(d->cols[i], "return_reason") == 0 && sb_vtext(nv[i])) {
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
	sqlite3_stmt *up = a->upd[t];
	if (rc == BUNDLE_OK && take) {	/* (bound while lo is on the row: copies) */
		sqlite3_reset(up);
		sqlite3_clear_bindings(up);
		for (int i = 0; i < d->n; i++)
			sqlite3_bind_value(up, i + 1, taken[i] ? nv[i] : cv[i]);
		sqlite3_bind_value(up, d->n + 1, sqlite3_column_value(in, 0));
		if (t == TB_FUND)
			sqlite3_bind_value(up, d->n + 2, sqlite3_column_value(in, 1));
	}
	sqlite3_reset(lo);
	if (rc == BUNDLE_OK && take) {
		int r = sqlite3_step(up);
		sqlite3_reset(up);
		if (r != SQLITE_DONE)
			rc = (r & 0xff) == SQLITE_CONSTRAINT ?
				refuse(a, _("another form here already has this unit, year and project")) :
				sb_dbfail(&a->c);
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
			return sb_dbfail(&a->c);
	}
	return BUNDLE_OK;
}

/* id: the form's local id when known, or -1 */
static int note_touched(struct ap *a, const char *fu, int64_t id)
{
	if (id >= 0) {
		if (a->n_touched == a->cap_touched) {
			a->cap_touched = a->cap_touched ? 2 * a->cap_touched : 64;
			a->touched = realloc(a->touched, a->cap_touched * sizeof *a->touched);
			if (!a->touched)
				abort();
		}
		a->touched[a->n_touched++] = id;
		return BUNDLE_OK;
	}
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
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(&a->c);
}

static bool unit_listed(const struct bundle_info *bi, const char *unit)
{
	for (size_t i = 0; i < bi->n_units; i++)
		if (sb_streq(unit, bi->units[i].unit))
			return true;
	return false;
}


static int carried_conflicts(struct ap *a, const char *fu);

/* A form new to this database: every row as it comes. */
static int add_form(struct ap *a, const char *fu, const char *status)
{
	if (!a->office && !sb_streq(status, "draft") && !sb_streq(status, "submitted"))
		return refuse(a, _("a unit's bundle cannot bring a form that is already returned or approved"));
	sqlite3_stmt *st = A(a, A_FORM_INS);
	sqlite3_bind_text(st, 1, fu, -1, SQLITE_STATIC);
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	if (r != SQLITE_DONE)
		return (r & 0xff) == SQLITE_CONSTRAINT ?
			refuse(a, _("another form here already has this unit, year and project; "
				    "rename or delete one of them and apply again")) :
			sb_dbfail(&a->c);
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
				sb_dbfail(&a->c);
	}
	sqlite3_reset(in);
	if (rc == BUNDLE_OK)
		rc = run_fu(a, A_COMMENTS_INS, fu);
	a->form_conflicts = false;
	if (rc == BUNDLE_OK)	/* and the conflicts the sender holds open on it */
		rc = carried_conflicts(a, fu);
	if (rc == BUNDLE_OK) {
		a->r->forms_new++;
		rc = note_touched(a, fu, -1);
	}
	return rc;
}

static int merge_funds(struct ap *a, const char *fu, bool locked, bool *changed)
{
	sqlite3_stmt *f = A(a, A_FUNDS_B);
	int rc = BUNDLE_OK;
	sqlite3_bind_text(f, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && a->b_funds && sqlite3_step(f) == SQLITE_ROW) {
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
			return sb_dbfail(&a->c);
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
	while (rc == BUNDLE_OK && a->b_inds && sqlite3_step(in) == SQLITE_ROW) {
		const char *uuid = (const char *)sqlite3_column_text(in, 0);
		bool found;
		if ((rc = find_local(a, TB_IND, in, &found)) != BUNDLE_OK)
			break;
		if (found) {
			/* the local row's form_uuid is the last column selected */
			const char *lfu = (const char *)sqlite3_column_text(a->local[TB_IND], td[TB_IND].n);
			if (!sb_streq(lfu, fu)) {
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
		char *sig = tomb ? xstrdup(sb_col_text(tb, 0)) : NULL;
		sqlite3_reset(tb);
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			rc = sb_dbfail(&a->c);
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
			rc = conflict_put_row(a, &rf, NULL, sb_col_text(in, 14));
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
				sb_dbfail(&a->c);
		*changed = true;
	}
	sqlite3_reset(in);

	sqlite3_stmt *tbs = A(a, A_TOMBS_B);
	sqlite3_bind_text(tbs, 1, fu, -1, SQLITE_STATIC);
	while (rc == BUNDLE_OK && a->b_tombs && sqlite3_step(tbs) == SQLITE_ROW) {
		const char *rk = sb_col_text(tbs, 0), *sig = sb_col_text(tbs, 1);
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
			rc = sb_dbfail(&a->c);
			break;
		}
		bool same = false, kept = false;
		if (sb_streq(sb_col_text(ls, 0), fu))	/* this row as deleted there, or older */
			rc = row_not_newer(a, fu, rk, ls, 2, sig, false, &same);
		char *mine = xstrdup(sb_col_text(ls, 1));
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
	/* (a form of changes carries only some rows; its deletion is unchanged
	 * there, so what is new here does not count against it) */
	if (rc == BUNDLE_OK && !a->mine_unseen && !a->delta) {
		sqlite3_stmt *lr = A(a, A_LOCAL_ONLY_ROWS);
		sqlite3_bind_text(lr, 1, fu, -1, SQLITE_STATIC);
		int r = sqlite3_step(lr);
		a->mine_unseen = r == SQLITE_ROW && sqlite3_column_int64(lr, 0) > 0;
		sqlite3_reset(lr);
		if (r != SQLITE_ROW)
			rc = sb_dbfail(&a->c);
	}
	if (rc == BUNDLE_OK && a->form_conflicts) {
		rc = run_fu(a, A_P_SETTLE, fu);
		if (rc == BUNDLE_OK)
			a->r->settled += sqlite3_changes(a->c.db);
	}
	return rc;
}


/* The value of one field of this form, here (schema "main") or in the
 * bundle ("b"); *out NULL when the row is not there.  Caller frees. */
static int field_value(struct ap *a, const char *schema, const struct field *f, sqlite3_value **out)
{
	*out = NULL;
	if (!sb_known_col(f->tbl, f->col))
		return BUNDLE_OK;
	char *sql = sb_streq(f->tbl, "form") ?
		sqlite3_mprintf("SELECT %s FROM %s.form WHERE uuid = ?1", f->col, schema) :
		sb_streq(f->tbl, "fund") ?
		sqlite3_mprintf("SELECT %s FROM %s.fund WHERE form_uuid = ?1 AND row = ?2", f->col, schema) :
		sqlite3_mprintf("SELECT %s FROM %s.indicator WHERE form_uuid = ?1 AND uuid = ?2", f->col, schema);
	if (!sql)
		abort();
	sqlite3_stmt *st = sb_prep(&a->c, sql);
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
	return r == SQLITE_ROW || r == SQLITE_DONE ? BUNDLE_OK : sb_dbfail(&a->c);
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
	int rc = BUNDLE_OK, r = SQLITE_DONE;
	if (!a->b_conflicts)
		return BUNDLE_OK;
	while (rc == BUNDLE_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
		struct field f = { fu, sb_col_text(st, 0), sb_col_text(st, 1), sb_col_text(st, 2) };
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
				rc = conflict_put(a, &f, here, sqlite3_column_value(st, 3), sb_col_text(st, 4));
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
	a->unit = sb_col_text(bf, 3);	/* columns: uuid, uuid, year, unit, project, ... */
	a->year = sqlite3_column_int(bf, 2);
	a->project = sb_col_text(bf, 4);

	/* the form here: its merged columns (year, unit, project, ...,
	 * status: form_cols), then its local id; stays on the row for merge_row */
	sqlite3_stmt *lf = a->local[TB_FORM];
	bool here = false;
	if (find_local(a, TB_FORM, bf, &here) != BUNDLE_OK)
		return BUNDLE_ERR;
	int r = here ? SQLITE_ROW : SQLITE_DONE;
	/* the authorization hook: may the signer touch this form at all? */
	const char *why = bundle_auth_form(a->bi->auth, a->unit, here ? sb_col_text(lf, 1) : NULL);
	if (why) {
		sqlite3_reset(lf);
		return refuse(a, why);
	}
	/* the form cursor's last column: b.delta's cols, or NULL */
	a->delta = sqlite3_column_type(bf, 18) != SQLITE_NULL;
	a->mask = a->delta ? (unsigned)sqlite3_column_int64(bf, 18) : 0;
	if (r == SQLITE_DONE && a->delta) {
		/* its changes need the form: it came in an earlier bundle (of
		 * this chain, or of the unit it belonged to before) */
		sqlite3_reset(lf);
		return sb_fail(&a->c, BUNDLE_REFUSED,
			       _("refused: the bundle carries changes to form %s (%d, %s), which this database "
				 "does not have: apply the bundles before it first, or ask for a bundle made with --all"),
			       a->unit ? a->unit : "", a->year, a->project ? a->project : "");
	}
	if (r == SQLITE_DONE) {
		sqlite3_reset(lf);
		return add_form(a, fu, sb_col_text(bf, 2 + 8));
	}
	char status[16];
	snprintf(status, sizeof status, "%s", sb_col_text(lf, 8) ? sb_col_text(lf, 8) : "");
	bool listed = unit_listed(a->bi, sb_col_text(lf, 1));
	sqlite3_value *unit_here = sqlite3_value_dup(sqlite3_column_value(lf, 1));
	a->local_id = sqlite3_column_type(lf, td[TB_FORM].n) == SQLITE_NULL ? -1 :
		sqlite3_column_int64(lf, td[TB_FORM].n);
	if (!unit_here)
		abort();
	form_state_reset(a);
	int64_t nconf = 0;
	int rc = BUNDLE_OK;
	if (a->main_conflicts) {	/* none here before this bundle: none on this form yet */
		sqlite3_stmt *fc = A(a, A_FORM_CONFLICTS);
		sqlite3_bind_text(fc, 1, fu, -1, SQLITE_STATIC);
		rc = sqlite3_step(fc) == SQLITE_ROW ? BUNDLE_OK : sb_dbfail(&a->c);
		nconf = sqlite3_column_int64(fc, 0);
		sqlite3_reset(fc);
	}
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

	bool locked = !a->office && (sb_streq(status, "submitted") || sb_streq(status, "approved"));
	bool changed = false;
	if (rc == BUNDLE_OK)	/* (lf is still on the form's row) */
		rc = merge_row(a, TB_FORM, fu, "", bf, locked, &changed);
	else
		sqlite3_reset(lf);
	if (rc == BUNDLE_OK)
		rc = merge_funds(a, fu, locked, &changed);
	if (rc == BUNDLE_OK)
		rc = merge_indicators(a, fu, locked, &changed);
	if (rc == BUNDLE_OK && a->del_pending)
		rc = merge_deleted(a, fu, locked, &changed);
	if (rc == BUNDLE_OK)
		rc = carried_conflicts(a, fu);
	if (rc == BUNDLE_OK && a->b_comments) {
		sqlite3_stmt *ci = A(a, A_COMMENTS_INS);
		sqlite3_bind_text(ci, 1, fu, -1, SQLITE_STATIC);
		rc = step_done(a, ci);
		changed = changed || (rc == BUNDLE_OK && sqlite3_changes(a->c.db) > 0);
	}
	if (rc == BUNDLE_OK && a->b_comments) {
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
	return note_touched(a, fu, a->local_id);
}

/* Per unit: has this database applied the bundles before this one? */
static int check_chain(struct ap *a, bool *already)
{
	size_t old = 0, next = 0;
	sqlite3_stmt *st = sb_prep(&a->c, "SELECT seq, created FROM main.bundle_applied WHERE origin = ?1 AND unit = ?2");
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
			rc = sb_dbfail(&a->c);
			break;
		}
		int64_t have = r == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		/* The last one applied, by number but not by content: the sender
		 * wrote that number again (killed after the file was in place,
		 * before its database noted it).  It is the next link. */
		const char *created = r == SQLITE_ROW ? sb_col_text(st, 1) : NULL;
		bool rewritten = u->seq == have && created && strcmp(created, a->bi->created) != 0;
		if (u->seq <= have && !rewritten)
			old++;
		else if (u->seq == have + 1 || rewritten || a->bi->full)
			next++;
		else
			rc = sb_fail(&a->c, BUNDLE_REFUSED,
				  _("refused: bundle %lld for %s from database %.8s needs the ones before it "
				    "(this database has applied up to %lld): apply %lld to %lld first, "
				    "or ask for a bundle made with --all"),
				  (long long)u->seq, u->unit, a->bi->origin, (long long)have,
				  (long long)have + 1, (long long)u->seq - 1);
	}
	sqlite3_finalize(st);
	if (rc == BUNDLE_OK && old && next)
		rc = sb_fail(&a->c, BUNDLE_REFUSED,
			  _("refused: this bundle from database %.8s was applied here in part already"),
			  a->bi->origin);
	*already = rc == BUNDLE_OK && old > 0;
	return rc;
}

static int record_chain(struct ap *a)
{
	sqlite3_stmt *st = sb_prep(&a->c, "INSERT OR REPLACE INTO main.bundle_applied (origin, unit, seq, at, created)"
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
			rc = sb_dbfail(&a->c);
	}
	sqlite3_finalize(st);
	return rc;
}

static int prepare_apply(struct ap *a)
{
	for (int i = 0; i < A_N; i++)
		if (!(a->q[i] = sb_prep(&a->c, asql[i])))
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
					  t == TB_IND ? ", form_uuid" : t == TB_FORM ?
					  ", (SELECT id FROM main.form_local l WHERE l.form_uuid = form.uuid)" : "",
					  d->name, d->where);
		/* the key follows the merged columns */
		char *u2 = t == TB_FUND ?
			sqlite3_mprintf("UPDATE main.%s SET %s WHERE form_uuid = ?%d AND row = ?%d",
					d->name, set, d->n + 1, d->n + 2) :
			sqlite3_mprintf("UPDATE main.%s SET %s WHERE uuid = ?%d", d->name, set, d->n + 1);
		if (!q || !u2)
			abort();
		a->local[t] = sb_prep(&a->c, q);
		a->upd[t] = sb_prep(&a->c, u2);
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
	     bundle_progress_fn *progress, void *progress_arg,
	     sb_score_fn *score, void *score_arg, char *err, size_t errlen)
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
	sb_now_iso(a.at);
	int rc = sb_conn_open(&a.c, s, err, errlen);
	if (rc == BUNDLE_OK)
		rc = sb_meta_get(&a.c, "db_uuid", a.self, sizeof a.self);
	if (rc == BUNDLE_OK && strcmp(a.self, bi->origin) == 0)
		rc = sb_fail(&a.c, BUNDLE_REFUSED, _("refused: this bundle was written by this database"));
	if (rc == BUNDLE_OK)
		rc = sb_attach_payload(&a.c, bi, payload, len);
	if (rc == BUNDLE_OK)
		rc = sb_exec(&a.c, "BEGIN IMMEDIATE");
	int64_t partial = 0;
	if (rc == BUNDLE_OK)
		rc = sb_query_int(&a.c, "SELECT count(*) FROM b.partial", NULL, &partial);
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
		rc = sb_query_int(&a.c, "SELECT count(*) FROM b.form", NULL, &total);
	if (rc == BUNDLE_OK && progress)
		progress(progress_arg, 0, (size_t)total);
	int64_t holds = 0;
	if (rc == BUNDLE_OK)
		rc = sb_query_int(&a.c, "SELECT EXISTS (SELECT 1 FROM b.comment) + 2 * EXISTS (SELECT 1 FROM b.tombstone)"
				  " + 4 * EXISTS (SELECT 1 FROM b.conflict) + 8 * EXISTS (SELECT 1 FROM main.conflict)"
				  " + 16 * EXISTS (SELECT 1 FROM b.fund) + 32 * EXISTS (SELECT 1 FROM b.indicator)",
				  NULL, &holds);
	a.b_comments = holds & 1;
	a.b_tombs = holds & 2;
	a.b_conflicts = holds & 4;
	a.main_conflicts = holds & 8;
	a.b_funds = holds & 16;
	a.b_inds = holds & 32;
	if (rc == BUNDLE_OK && !(bf = sb_prep(&a.c, "SELECT uuid, uuid, year, unit, project, department, lead,"
					   " phone, layout, ruleset, status, return_reason, goals_expected,"
					   " goals_achieved, total_weight, total_score, total_grade, deleted, d.cols"
					   " FROM b.form LEFT JOIN b.delta d ON d.form_uuid = form.uuid"
					   " ORDER BY unit, year, project")))
		rc = BUNDLE_ERR;
	while (rc == BUNDLE_OK) {
		int st = sqlite3_step(bf);
		if (st == SQLITE_DONE)
			break;
		rc = st == SQLITE_ROW ? merge_form(&a, bf) : sb_dbfail(&a.c);
		if (rc == BUNDLE_OK && progress && done < (size_t)total)
			progress(progress_arg, ++done, (size_t)total);
	}
	sqlite3_finalize(bf);
	/* What the sender knows travels on: history, replaced values, deletions. */
	if (rc == BUNDLE_OK)
		rc = sb_exec(&a.c, "INSERT OR IGNORE INTO main.bundle_dirty SELECT DISTINCT form_uuid FROM b.history"
			  " WHERE uuid NOT IN (SELECT uuid FROM main.history);"
			  "INSERT OR IGNORE INTO main.history SELECT * FROM b.history;"
			  /* fields in conflict too: what a side has seen go is
			   * knowledge, and merge.c counts it, never a generation */
			  "INSERT OR IGNORE INTO main.seen SELECT * FROM b.seen;"
			  "INSERT OR IGNORE INTO main.tombstone SELECT * FROM b.tombstone"
			  " WHERE rk NOT IN (SELECT uuid FROM main.indicator)");
	if (rc == BUNDLE_OK && !a.partial)
		rc = record_chain(&a);
	/* the list's figures of what changed, committed with the changes */
	if (rc == BUNDLE_OK && score)
		rc = sb_score_forms(&a.c, a.touched, a.n_touched, score, score_arg);
	if (rc == BUNDLE_OK)
		rc = sb_exec(&a.c, "COMMIT");
out:
	finalize_apply(&a);
	sb_conn_close(&a.c);	/* rolls back unless committed */
	if (rc == BUNDLE_OK) {
		*touched = a.touched;
		*n_touched = a.n_touched;
	} else {
		free(a.touched);
		*r = (struct bundle_result){ 0 };
	}
	return rc;
}

