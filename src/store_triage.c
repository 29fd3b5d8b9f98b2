/*
 * store_triage: the triage cache (store_triage.h, schema/009-triage.sql).
 *
 * Two ways to bring it up to date.  The whole pass (most forms stale):
 * every form read in one walk (store_each_form), the stale ones checked
 * again, the others' facts taken from the cache, then triage_cross over the
 * whole set, and the band keys written again sorted, a quarter of the key
 * space at a time (so memory stays a few MB and SQLite appends in order).
 * The part pass (a few forms stale): each stale form loaded and checked
 * again; the forms whose cross-form signals may change are those that
 * compare themselves with it (every member of a bucket whose first members
 * it is among, up to BUCKET_MAX; else its neighbours there), the same unit
 * and project, or name it in a signal; they and the forms they are
 * compared with are loaded from the cache by index, and triage_cross runs
 * over that small set.  Buckets are ordered by form id in both (triage.c),
 * so the part pass compares each form with the same forms the whole would.
 */
#include "config.h"
#include "store_triage.h"
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_iter.h"

#define KEYS_MAX (TT_N * TR_BANDS)

static int prep(struct store *s, const char *sql, sqlite3_stmt **st)
{
	int r = sqlite3_prepare_v2(store_int_db(s), sql, -1, st, NULL);
	return r == SQLITE_OK ? STORE_OK : store_int_dberr(s, r);
}

static int done(struct store *s, sqlite3_stmt *st)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	return r == SQLITE_DONE || r == SQLITE_ROW ? STORE_OK : store_int_dberr(s, r);
}

static int64_t count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	if (prep(s, sql, &st) != STORE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* ---- writing one form's halves ---------------------------------------------------- */

struct w {
	sqlite3_stmt *all, *own, *cross, *band_ins, *band_del, *ref_ins, *ref_del, *get, *del;
};

static int w_open(struct store *s, struct w *w)
{
	memset(w, 0, sizeof *w);
	int rc;
	if ((rc = prep(s, "UPDATE triage SET stale = 0, form_id = ?1, grp = ?2, facts = ?3, own = ?4,"
		       " own_mask = ?5 WHERE form_uuid = ?6", &w->own)) ||
	    (rc = prep(s, "UPDATE triage SET stale = 0, grp = ?2, facts = ?3, own = ?4, own_mask = ?5,"
		       " cross = ?6, score = ?7, mask = ?8 WHERE form_id = ?1", &w->all)) ||
	    (rc = prep(s, "UPDATE triage SET cross = ?1, score = ?2, mask = ?3 WHERE form_id = ?4", &w->cross)) ||
	    (rc = prep(s, "INSERT OR IGNORE INTO triage_band (key, form_id) VALUES (?1, ?2)", &w->band_ins)) ||
	    (rc = prep(s, "DELETE FROM triage_band WHERE key = ?1 AND form_id = ?2", &w->band_del)) ||
	    (rc = prep(s, "INSERT OR IGNORE INTO triage_ref (other, form_id) VALUES (?1, ?2)", &w->ref_ins)) ||
	    (rc = prep(s, "DELETE FROM triage_ref WHERE form_id = ?1", &w->ref_del)) ||
	    (rc = prep(s, "SELECT facts, own_mask, cross FROM triage WHERE form_id = ?1 AND stale = 0", &w->get)) ||
	    (rc = prep(s, "DELETE FROM triage WHERE form_uuid = ?1", &w->del)))
		return rc;
	return STORE_OK;
}

static void w_close(struct w *w)
{
	sqlite3_finalize(w->all); sqlite3_finalize(w->own); sqlite3_finalize(w->cross); sqlite3_finalize(w->band_ins);
	sqlite3_finalize(w->band_del); sqlite3_finalize(w->ref_ins); sqlite3_finalize(w->ref_del);
	sqlite3_finalize(w->get); sqlite3_finalize(w->del);
}

static int write_own(struct store *s, struct w *w, const char *uuid, const struct tr_facts *x,
		     const struct tr_list *own)
{
	uint8_t *blob;
	size_t n = tr_facts_pack(x, &blob);
	char *txt = tr_list_pack(own);
	sqlite3_bind_int64(w->own, 1, x->id);
	sqlite3_bind_int64(w->own, 2, x->group);
	sqlite3_bind_blob(w->own, 3, blob, (int)n, SQLITE_TRANSIENT);
	sqlite3_bind_text(w->own, 4, txt, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(w->own, 5, tr_mask(own));
	sqlite3_bind_text(w->own, 6, uuid, -1, SQLITE_TRANSIENT);
	int rc = done(s, w->own);
	free(blob);
	free(txt);
	return rc;
}

/* Cross signals, score and who they name; unchanged text is not written. */
static int write_cross(struct store *s, struct w *w, int64_t id, uint32_t own_mask,
		       const struct tr_list *cross, const char *old, bool force)
{
	char *txt = tr_list_pack(cross);
	int rc = STORE_OK;
	if (force || !old || strcmp(old, txt) != 0) {
		uint32_t mask = own_mask | tr_mask(cross);
		sqlite3_bind_text(w->cross, 1, txt, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(w->cross, 2, tr_mask_score(mask));
		sqlite3_bind_int64(w->cross, 3, mask);
		sqlite3_bind_int64(w->cross, 4, id);
		rc = done(s, w->cross);
		if (old) {	/* a whole pass emptied triage_ref first */
			sqlite3_bind_int64(w->ref_del, 1, id);
			if (rc == STORE_OK)
				rc = done(s, w->ref_del);
		}
		for (size_t i = 0; rc == STORE_OK && i < cross->n; i++)
			if (cross->v[i].other) {
				sqlite3_bind_int64(w->ref_ins, 1, cross->v[i].other);
				sqlite3_bind_int64(w->ref_ins, 2, id);
				rc = done(s, w->ref_ins);
			}
	}
	free(txt);
	return rc;
}

static int bands(struct store *s, sqlite3_stmt *st, const struct tr_facts *x)
{
	int64_t k[KEYS_MAX];
	size_t n = tr_band_keys(x, k, KEYS_MAX);
	int rc = STORE_OK;
	for (size_t i = 0; rc == STORE_OK && i < n; i++) {
		sqlite3_bind_int64(st, 1, k[i]);
		sqlite3_bind_int64(st, 2, x->id);
		rc = done(s, st);
	}
	return rc;
}

/* ---- the whole pass ------------------------------------------------------------------ */

struct whole {
	struct store *s;
	struct w w;
	sqlite3_stmt *look;
	struct check *chk;
	struct tr_facts *x;
	uint32_t *own_mask;
	char **own;		/* packed own signals of the forms checked again, else NULL */
	size_t n, cap, stale;
	int rc;
};

static int whole_each(struct form *f, void *arg)
{
	struct whole *g = arg;
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 1024;
		g->x = realloc(g->x, g->cap * sizeof *g->x);
		g->own_mask = realloc(g->own_mask, g->cap * sizeof *g->own_mask);
		g->own = realloc(g->own, g->cap * sizeof *g->own);
		if (!g->x || !g->own_mask || !g->own)
			abort();
	}
	struct tr_facts *x = &g->x[g->n];
	bool have = false;
	g->own[g->n] = NULL;
	sqlite3_bind_int64(g->look, 1, f->id);
	if (sqlite3_step(g->look) == SQLITE_ROW && sqlite3_column_int(g->look, 0) == 0) {
		const void *b = sqlite3_column_blob(g->look, 1);
		have = tr_facts_unpack(b, (size_t)sqlite3_column_bytes(g->look, 1), x) && x->id == f->id;
		if (!have)
			tr_facts_free(x);
		g->own_mask[g->n] = (uint32_t)sqlite3_column_int64(g->look, 2);
	}
	sqlite3_reset(g->look);
	if (!have) {
		if (!g->chk || g->chk->cap_ind < f->n_ind) {
			check_free(g->chk);
			g->chk = check_new(f->n_ind < 32 ? 32 : f->n_ind);
		}
		struct tr_list own = { 0 };
		triage_own(f, NULL, g->chk, &own, x);
		g->own_mask[g->n] = tr_mask(&own);
		g->own[g->n] = tr_list_pack(&own);
		tr_list_free(&own);
		g->stale++;
	}
	g->n++;
	form_free(f);
	return g->rc != STORE_OK;
}

/* The walk only reads; each form is written once, here, with both halves. */
static void whole_emit(size_t i, const struct tr_list *cross, void *arg)
{
	struct whole *g = arg;
	if (g->rc != STORE_OK)
		return;
	if (!g->own[i]) {
		g->rc = write_cross(g->s, &g->w, g->x[i].id, g->own_mask[i], cross, NULL, true);
		return;
	}
	sqlite3_stmt *st = g->w.all;
	uint8_t *blob;
	size_t n = tr_facts_pack(&g->x[i], &blob);
	char *txt = tr_list_pack(cross);
	uint32_t mask = g->own_mask[i] | tr_mask(cross);
	sqlite3_bind_int64(st, 1, g->x[i].id);
	sqlite3_bind_int64(st, 2, g->x[i].group);
	sqlite3_bind_blob(st, 3, blob, (int)n, free);
	sqlite3_bind_text(st, 4, g->own[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, g->own_mask[i]);
	sqlite3_bind_text(st, 6, txt, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, tr_mask_score(mask));
	sqlite3_bind_int64(st, 8, mask);
	g->rc = done(g->s, st);
	for (size_t k = 0; g->rc == STORE_OK && k < cross->n; k++)
		if (cross->v[k].other) {
			sqlite3_bind_int64(g->w.ref_ins, 1, cross->v[k].other);
			sqlite3_bind_int64(g->w.ref_ins, 2, g->x[i].id);
			g->rc = done(g->s, g->w.ref_ins);
		}
	free(txt);
	free(g->own[i]);
	g->own[i] = NULL;
}

struct kv {
	int64_t key, id;
};
static int by_kv(const void *a, const void *b)
{
	const struct kv *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static int whole(struct store *s, struct triage_stats *st)
{
	struct whole g = { .s = s };
	int rc = w_open(s, &g.w);
	if (rc == STORE_OK)
		rc = prep(s, "SELECT stale, facts, own_mask FROM triage WHERE form_id = ?1", &g.look);
	sqlite3 *db = store_int_db(s);
	if (rc == STORE_OK &&
	    sqlite3_exec(db, "DELETE FROM triage WHERE form_uuid NOT IN (SELECT uuid FROM form WHERE deleted = 0);"
			 "DELETE FROM triage_band; DELETE FROM triage_ref;"
			 "UPDATE triage SET form_id = (SELECT id FROM form_local l WHERE l.form_uuid = triage.form_uuid)"
			 " WHERE form_id IS NULL;", NULL, NULL, NULL) != SQLITE_OK)
		rc = store_int_dberr(s, sqlite3_errcode(db));
	if (rc == STORE_OK) {
		rc = store_each_form(s, NULL, whole_each, &g);
		if (rc == STORE_OK)
			rc = g.rc;
	}
	if (rc == STORE_OK && g.n) {
		g.rc = STORE_OK;
		triage_cross_each(g.x, g.n, NULL, whole_emit, &g);
		rc = g.rc;
	}
	/* band keys, sorted, a quarter of the key space at a time */
	for (int q = 0; rc == STORE_OK && q < 4; q++) {
		size_t m = 0, cap = g.n * KEYS_MAX / 4 + 64;
		struct kv *kv = malloc(cap * sizeof *kv);
		if (!kv)
			abort();
		for (size_t i = 0; i < g.n; i++) {
			int64_t k[KEYS_MAX];
			size_t nk = tr_band_keys(&g.x[i], k, KEYS_MAX);
			for (size_t j = 0; j < nk; j++)
				if ((int)(k[j] >> 61) == q) {
					if (m == cap) {
						cap *= 2;
						kv = realloc(kv, cap * sizeof *kv);
						if (!kv)
							abort();
					}
					kv[m++] = (struct kv){ k[j], g.x[i].id };
				}
		}
		qsort(kv, m, sizeof *kv, by_kv);
		for (size_t j = 0; rc == STORE_OK && j < m; j++) {
			sqlite3_bind_int64(g.w.band_ins, 1, kv[j].key);
			sqlite3_bind_int64(g.w.band_ins, 2, kv[j].id);
			rc = done(s, g.w.band_ins);
		}
		free(kv);
	}
	if (st) {
		st->stale = g.stale;
		st->cross = g.n;
		st->whole = true;
	}
	for (size_t i = 0; i < g.n; i++) {
		tr_facts_free(&g.x[i]);
		free(g.own[i]);
	}
	free(g.own);
	free(g.x);
	free(g.own_mask);
	check_free(g.chk);
	sqlite3_finalize(g.look);
	w_close(&g.w);
	return rc;
}

/* ---- the part pass -------------------------------------------------------------------- */

struct ids {
	int64_t *v;
	size_t n, cap;
};
static void ids_add(struct ids *a, int64_t id)
{
	if (id <= 0)
		return;
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 64;
		a->v = realloc(a->v, a->cap * sizeof *a->v);
		if (!a->v)
			abort();
	}
	a->v[a->n++] = id;
}
static int by_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}
static void ids_uniq(struct ids *a)
{
	if (!a->n)
		return;
	qsort(a->v, a->n, sizeof *a->v, by_id);
	size_t m = 0;
	for (size_t i = 0; i < a->n; i++)
		if (!m || a->v[m - 1] != a->v[i])
			a->v[m++] = a->v[i];
	a->n = m;
}
static bool ids_has(const struct ids *a, int64_t id)
{
	return a->n && bsearch(&id, a->v, a->n, sizeof id, by_id) != NULL;
}

struct nb {
	sqlite3_stmt *first, *grp, *ref, *head, *bucket;
};

static void step_ids(sqlite3_stmt *st, struct ids *out)
{
	while (sqlite3_step(st) == SQLITE_ROW)
		ids_add(out, sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
}

/* The forms x is compared with: the first members of each of its buckets
 * and its neighbours there (as triage_cross does), its unit and project. */
static void neighbours(struct nb *q, const struct tr_facts *x, struct ids *out)
{
	int64_t k[KEYS_MAX];
	size_t n = tr_band_keys(x, k, KEYS_MAX);
	for (size_t i = 0; i < n; i++) {
		sqlite3_bind_int64(q->first, 1, k[i]);
		sqlite3_bind_int64(q->first, 2, x->id);
		step_ids(q->first, out);
	}
	sqlite3_bind_int64(q->grp, 1, x->group);
	step_ids(q->grp, out);
}

/* The forms that compare themselves with x (x in the bucket, its band rows
 * present): in a bucket where x is among the first members, every member
 * (up to BUCKET_MAX); elsewhere x's neighbours.  Its unit and project, and
 * the forms whose signals name it. */
#define BUCKET_MAX 512
static void compared_by(struct nb *q, const struct tr_facts *x, struct ids *out)
{
	int64_t k[KEYS_MAX];
	size_t n = tr_band_keys(x, k, KEYS_MAX);
	for (size_t i = 0; i < n; i++) {
		struct ids head = { 0 };
		sqlite3_bind_int64(q->head, 1, k[i]);
		step_ids(q->head, &head);
		bool first = head.n < TR_RUN_CAP || x->id <= head.v[head.n - 1];
		free(head.v);
		sqlite3_stmt *st = first ? q->bucket : q->first;
		sqlite3_bind_int64(st, 1, k[i]);
		if (!first)
			sqlite3_bind_int64(st, 2, x->id);
		step_ids(st, out);
	}
	sqlite3_bind_int64(q->grp, 1, x->group);
	step_ids(q->grp, out);
	sqlite3_bind_int64(q->ref, 1, x->id);
	step_ids(q->ref, out);
}

static int part(struct store *s, struct triage_stats *st)
{
	struct w w;
	struct nb q = { 0 };
	sqlite3_stmt *stale = NULL;
	int rc = w_open(s, &w);
	if (rc == STORE_OK)
		rc = prep(s, "SELECT t.form_uuid, t.facts, l.id, f.deleted FROM triage t"
			  " LEFT JOIN form f ON f.uuid = t.form_uuid"
			  " LEFT JOIN form_local l ON l.form_uuid = t.form_uuid WHERE t.stale = 1", &stale);
	/* a bucket's first members by id, and the forms on either side of x */
	char first[512];
	snprintf(first, sizeof first,
		 "SELECT * FROM (SELECT form_id FROM triage_band WHERE key = ?1 ORDER BY form_id LIMIT %d)"
		 " UNION ALL SELECT * FROM (SELECT form_id FROM triage_band WHERE key = ?1 AND form_id < ?2"
		 " ORDER BY form_id DESC LIMIT 1)"
		 " UNION ALL SELECT * FROM (SELECT form_id FROM triage_band WHERE key = ?1 AND form_id > ?2"
		 " ORDER BY form_id LIMIT 1)", TR_RUN_CAP);
	char head[160], bucket[160];
	snprintf(head, sizeof head, "SELECT form_id FROM triage_band WHERE key = ?1 ORDER BY form_id LIMIT %d",
		 TR_RUN_CAP);
	snprintf(bucket, sizeof bucket, "SELECT form_id FROM triage_band WHERE key = ?1 ORDER BY form_id LIMIT %d",
		 BUCKET_MAX);
	if (rc == STORE_OK && !(rc = prep(s, first, &q.first)) && !(rc = prep(s, head, &q.head)) &&
	    !(rc = prep(s, bucket, &q.bucket)) &&
	    !(rc = prep(s, "SELECT form_id FROM triage WHERE grp = ?1 AND stale = 0", &q.grp)))
		rc = prep(s, "SELECT form_id FROM triage_ref WHERE other = ?1", &q.ref);

	struct ids affected = { 0 }, gone = { 0 }, fresh = { 0 };
	struct check *chk = NULL;
	size_t n_stale = 0;
	/* 1. the stale forms (read first: the loop below writes their rows):
	 * their own half again, their old and new neighbours */
	struct srow {
		char uuid[40];
		int64_t id;
		bool live, has_old;
		struct tr_facts old;
	} *sr = NULL;
	size_t n_sr = 0;
	while (rc == STORE_OK && sqlite3_step(stale) == SQLITE_ROW) {
		sr = realloc(sr, (n_sr + 1) * sizeof *sr);
		if (!sr)
			abort();
		struct srow *r = &sr[n_sr++];
		snprintf(r->uuid, sizeof r->uuid, "%s", (const char *)sqlite3_column_text(stale, 0));
		r->id = sqlite3_column_int64(stale, 2);
		r->live = sqlite3_column_type(stale, 3) != SQLITE_NULL && sqlite3_column_int(stale, 3) == 0;
		r->has_old = tr_facts_unpack(sqlite3_column_blob(stale, 1),
					     (size_t)sqlite3_column_bytes(stale, 1), &r->old);
	}
	sqlite3_reset(stale);
	for (size_t si = 0; si < n_sr; si++) {
		struct srow *r = &sr[si];
		const char *uuid = r->uuid;
		int64_t id = r->id;
		bool live = r->live;
		if (r->has_old) {
			compared_by(&q, &r->old, &affected);
			int64_t k[KEYS_MAX];
			size_t nk = tr_band_keys(&r->old, k, KEYS_MAX);
			for (size_t i = 0; rc == STORE_OK && i < nk; i++) {
				sqlite3_bind_int64(w.band_del, 1, k[i]);
				sqlite3_bind_int64(w.band_del, 2, r->old.id);
				rc = done(s, w.band_del);
			}
			if (r->old.id != id || !live)
				ids_add(&gone, r->old.id);
			tr_facts_free(&r->old);
		}
		n_stale++;
		struct form *f = NULL;
		if (!live || !id || store_load(s, id, &f) != STORE_OK || !f) {
			sqlite3_bind_text(w.del, 1, uuid, -1, SQLITE_TRANSIENT);
			if (rc == STORE_OK)
				rc = done(s, w.del);
			continue;
		}
		if (!chk || chk->cap_ind < f->n_ind) {
			check_free(chk);
			chk = check_new(f->n_ind < 32 ? 32 : f->n_ind);
		}
		struct tr_list own = { 0 };
		struct tr_facts x;
		triage_own(f, NULL, chk, &own, &x);
		if (rc == STORE_OK)
			rc = write_own(s, &w, uuid, &x, &own);
		if (rc == STORE_OK)
			rc = bands(s, w.band_ins, &x);
		ids_add(&affected, id);
		ids_add(&fresh, id);
		compared_by(&q, &x, &affected);
		tr_facts_free(&x);
		tr_list_free(&own);
		form_free(f);
	}
	free(sr);
	ids_uniq(&gone);
	for (size_t i = 0; rc == STORE_OK && i < gone.n; i++) {
		sqlite3_bind_int64(w.ref_del, 1, gone.v[i]);
		rc = done(s, w.ref_del);
	}
	ids_uniq(&affected);
	ids_uniq(&fresh);

	/* 2. the set: the affected forms and whatever they are compared with */
	struct ids all = { 0 };
	struct tr_facts *x = NULL;
	uint32_t *own_mask = NULL;
	char **old = NULL;
	size_t n = 0;
	for (size_t i = 0; i < affected.n; i++)
		ids_add(&all, affected.v[i]);
	for (int pass = 0; rc == STORE_OK && pass < 2; pass++) {
		/* pass 0 loads the affected forms and collects their neighbours;
		 * pass 1 loads the neighbours */
		ids_uniq(&all);
		size_t from = n;
		x = realloc(x, (all.n + 1) * sizeof *x);
		own_mask = realloc(own_mask, (all.n + 1) * sizeof *own_mask);
		old = realloc(old, (all.n + 1) * sizeof *old);
		if (!x || !own_mask || !old)
			abort();
		struct ids more = { 0 };
		for (size_t i = 0; i < all.n; i++) {
			int64_t id = all.v[i];
			bool seen = false;
			for (size_t j = 0; j < from && !seen; j++)
				seen = x[j].id == id;
			if (seen)
				continue;
			sqlite3_bind_int64(w.get, 1, id);
			if (sqlite3_step(w.get) == SQLITE_ROW &&
			    tr_facts_unpack(sqlite3_column_blob(w.get, 0), (size_t)sqlite3_column_bytes(w.get, 0), &x[n])) {
				own_mask[n] = (uint32_t)sqlite3_column_int64(w.get, 1);
				const char *c = (const char *)sqlite3_column_text(w.get, 2);
				old[n] = xstrdup(c ? c : "");
				if (pass == 0)
					neighbours(&q, &x[n], &more);
				n++;
			}
			sqlite3_reset(w.get);
		}
		for (size_t i = 0; i < more.n; i++)
			ids_add(&all, more.v[i]);
		free(more.v);
	}
	if (rc == STORE_OK && n) {
		bool *want = calloc(n, sizeof *want);
		struct tr_list *cross = calloc(n, sizeof *cross);
		if (!want || !cross)
			abort();
		for (size_t i = 0; i < n; i++)
			want[i] = ids_has(&affected, x[i].id);
		triage_cross(x, n, want, cross);
		for (size_t i = 0; rc == STORE_OK && i < n; i++)
			if (want[i])
				/* a stale form's own half changed: its score too */
				rc = write_cross(s, &w, x[i].id, own_mask[i], &cross[i], old[i],
						 ids_has(&fresh, x[i].id));
		for (size_t i = 0; i < n; i++)
			tr_list_free(&cross[i]);
		free(cross);
		free(want);
	}
	if (st) {
		st->stale = n_stale;
		st->cross = affected.n;
		st->whole = false;
	}
	for (size_t i = 0; i < n; i++) {
		tr_facts_free(&x[i]);
		free(old[i]);
	}
	free(x);
	free(own_mask);
	free(old);
	free(all.v);
	free(affected.v);
	free(gone.v);
	free(fresh.v);
	check_free(chk);
	sqlite3_finalize(stale);
	sqlite3_finalize(q.first); sqlite3_finalize(q.head); sqlite3_finalize(q.bucket);
	sqlite3_finalize(q.grp); sqlite3_finalize(q.ref);
	w_close(&w);
	return rc;
}

/* Most forms stale (or a great many): one pass is cheaper than lookups. */
#define PART_MAX 256

int store_triage_refresh(struct store *s, struct triage_stats *st)
{
	if (st)
		memset(st, 0, sizeof *st);
	int64_t stale = count(s, "SELECT count(*) FROM triage WHERE stale = 1");
	if (stale < 0)
		return STORE_ERR;
	if (stale == 0)
		return STORE_OK;
	/* counting every row costs a scan: only when it can matter */
	int64_t total = stale > 16 && stale <= PART_MAX ? count(s, "SELECT count(*) FROM triage") : 0;
	int rc = store_begin(s);
	if (rc != STORE_OK)
		return rc;
	/* the whole pass holds every form's facts; the page cache need not
	 * hold every page too (the store's own is 64 MB) */
	bool all = stale > PART_MAX || (stale > 16 && stale * 4 > total);
	int64_t cache = count(s, "PRAGMA cache_size");
	if (all)	/* (a part pass keeps the cache: it reads the same pages again) */
		sqlite3_exec(store_int_db(s), "PRAGMA cache_size = -8192", NULL, NULL, NULL);
	rc = all ? whole(s, st) : part(s, st);
	if (rc != STORE_OK)
		store_rollback(s);
	else
		rc = store_commit(s);
	if (all) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", (long long)cache);
		sqlite3_exec(store_int_db(s), sql, NULL, NULL, NULL);
	}
	return rc;
}

int store_triage_refresh_nowait(struct store *s)
{
	sqlite3 *db = store_int_db(s);
	int64_t ms = count(s, "PRAGMA busy_timeout");
	sqlite3_busy_timeout(db, 0);
	int rc = store_triage_refresh(s, NULL);
	sqlite3_busy_timeout(db, ms > 0 ? (int)ms : 0);
	return rc;
}

/* ---- reading ------------------------------------------------------------------------ */

static void where_of(char *buf, size_t len, const struct store_filter *flt, int code)
{
	char w[400];
	store_int_filter_sql(w, sizeof w, flt);
	if (code >= 0)
		snprintf(buf, len, "%s AND (t.mask & %u) != 0", w, 1u << code);
	else
		snprintf(buf, len, "%s", w);
}

int store_triage_list(struct store *s, const struct store_filter *flt, int code,
		      size_t offset, size_t limit,
		      int (*fn)(const struct triage_row *r, void *arg), void *arg)
{
	char w[512], sql[1200];
	where_of(w, sizeof w, flt, code);
	snprintf(sql, sizeof sql,
		 "SELECT l.id, f.year, f.unit, f.project, f.status, t.score, t.mask, t.own, t.cross,"
		 " f.updated, l.score, l.grade, l.rate, l.errors"
		 " FROM triage t JOIN form f ON f.uuid = t.form_uuid"
		 " JOIN form_local l ON l.form_uuid = f.uuid WHERE %s"
		 " ORDER BY t.score DESC, l.id LIMIT :lim OFFSET :off", w);
	sqlite3_stmt *st;
	int rc = prep(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	store_int_filter_bind(st, flt);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":lim"), limit ? (int64_t)limit : -1);
	sqlite3_bind_int64(st, sqlite3_bind_parameter_index(st, ":off"), (int64_t)offset);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct triage_row t = {
			.id = sqlite3_column_int64(st, 0),
			.year = sqlite3_column_int(st, 1),
			.unit = (const char *)sqlite3_column_text(st, 2),
			.project = (const char *)sqlite3_column_text(st, 3),
			.status = (const char *)sqlite3_column_text(st, 4),
			.score = sqlite3_column_int(st, 5),
			.mask = (uint32_t)sqlite3_column_int64(st, 6),
			.own = (const char *)sqlite3_column_text(st, 7),
			.cross = (const char *)sqlite3_column_text(st, 8),
			.updated = (const char *)sqlite3_column_text(st, 9),
			.rules_score = (const char *)sqlite3_column_text(st, 10),
			.grade = (const char *)sqlite3_column_text(st, 11),
			.rate = (const char *)sqlite3_column_text(st, 12),
			.errors = sqlite3_column_int(st, 13),
		};
		if (fn(&t, arg))
			break;
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_triage_count(struct store *s, const struct store_filter *flt, int code, size_t *n)
{
	char w[512], sql[900];
	where_of(w, sizeof w, flt, code);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM triage t JOIN form f ON f.uuid = t.form_uuid WHERE %s", w);
	sqlite3_stmt *st;
	int rc = prep(s, sql, &st);
	if (rc != STORE_OK)
		return rc;
	store_int_filter_bind(st, flt);
	int r = sqlite3_step(st);
	*n = r == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	rc = r == SQLITE_ROW ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_triage_score(struct store *s, int64_t id, int *score, uint32_t *mask)
{
	sqlite3_stmt *st;
	*score = 0;
	*mask = 0;
	int rc = prep(s, "SELECT score, mask FROM triage WHERE form_id = ?1 AND stale = 0", &st);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		*score = sqlite3_column_int(st, 0);
		*mask = (uint32_t)sqlite3_column_int64(st, 1);
	}
	rc = r == SQLITE_ROW || r == SQLITE_DONE ? STORE_OK : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}

int store_triage_get(struct store *s, int64_t id, struct tr_list *out, int *score)
{
	sqlite3_stmt *st;
	int rc = prep(s, "SELECT own, cross, score FROM triage WHERE form_id = ?1", &st);
	if (rc != STORE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		tr_list_unpack((const char *)sqlite3_column_text(st, 0), out);
		tr_list_unpack((const char *)sqlite3_column_text(st, 1), out);
		if (score)
			*score = sqlite3_column_int(st, 2);
		rc = STORE_OK;
	} else
		rc = r == SQLITE_DONE ? STORE_NOTFOUND : store_int_dberr(s, r);
	sqlite3_finalize(st);
	return rc;
}
