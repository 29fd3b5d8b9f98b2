/*
 * store_iter: whole forms in bulk (store_each_form, store_each_form_view;
 * see store_iter.h).
 *
 * store_load costs a transaction and three lookups per form; over thousands
 * of forms the page reads, locks and statement steps add up.  Here the
 * headers, the fund rows and the indicator rows are three queries in the
 * same order (unit, year, project, then fund row / position), walked side by
 * side inside one read transaction, so each table is read once, in index
 * order.  (unit, year, project) is unique among live forms, so the three
 * orders agree and a row belongs to the current form exactly when its form
 * uuid is the current one.
 *
 * The walk reads into one form it reuses: its strings are copied into an
 * arena emptied between forms, its rows array kept.  Over 10,000 forms a
 * malloc and a free per field cost a third of reading them
 * (tests/bench/check_all.sh); store_each_form, whose caller keeps the
 * forms, hands over a copy of each.
 */
#include "config.h"
#include "store_iter.h"

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
#define N_HTEXT 12
static char **htext(struct form *f, int i)
{
	switch (i) {
	case 0: return &f->project;
	case 1: return &f->department;
	case 2: return &f->unit;
	case 3: return &f->lead;
	case 4: return &f->phone;
	case 5: return &f->goals_expected;
	case 6: return &f->goals_achieved;
	case 7: return &f->total_weight;
	case 8: return &f->total_score;
	case 9: return &f->total_grade;
	case 10: return &f->layout;
	default: return &f->ruleset;
	}
}

/* Blocks of string space that stay put while a form is read (a pointer
 * into a block is never moved by a later copy), kept from form to form. */
struct chunk {
	struct chunk *next;
	size_t size, used;
	char data[];
};
struct arena {
	struct chunk *head;
};
#define CHUNK 65536

static inline char *arena_copy(struct arena *a, const char *s, size_t n)
{
	struct chunk *c = a->head;
	if (!c || c->size - c->used < n + 1) {
		size_t size = n + 1 > CHUNK ? n + 1 : CHUNK;
		struct chunk *k = malloc(sizeof *k + size);
		if (!k)
			abort();	/* out of memory */
		k->size = size;
		k->used = 0;
		k->next = c;
		a->head = c = k;
	}
	char *p = c->data + c->used;
	memcpy(p, s, n);
	p[n] = '\0';
	c->used += n + 1;
	return p;
}

/* Empty for the next form: the newest block stays (the one a form of
 * ordinary size fits in), the rest go. */
static void arena_reset(struct arena *a)
{
	struct chunk *c = a->head;
	if (!c)
		return;
	for (struct chunk *k = c->next, *next; k; k = next) {
		next = k->next;
		free(k);
	}
	c->next = NULL;
	c->used = 0;
}

static void arena_free(struct arena *a)
{
	arena_reset(a);
	free(a->head);
	a->head = NULL;
}

/* Column i as the form keeps it: NULL for SQL NULL, else a copy. */
static char *col_copy(struct arena *a, sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	if (!t)	/* NULL, or an empty blob */
		return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL : arena_copy(a, "", 0);
	return arena_copy(a, t, strlen(t));	/* to a NUL inside, as xstrdup copied */
}

static void uuid_copy(char dst[37], sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	size_t n = t ? strnlen(t, 36) : 0;	/* as snprintf(dst, 37, "%s"), a tenth of its cost */
	memcpy(dst, t ? t : "", n);
	dst[n] = '\0';
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

static void header(struct form *f, struct arena *a, sqlite3_stmt *h)
{
	uuid_copy(f->uuid, h, H_UUID);
	f->id = sqlite3_column_int64(h, H_ID);
	f->version = sqlite3_column_int64(h, H_VERSION);
	f->status = status_of((const char *)sqlite3_column_text(h, H_STATUS));
	f->return_reason = col_copy(a, h, H_REASON);
	f->updated = col_copy(a, h, H_UPDATED);
	f->year = sqlite3_column_int(h, H_YEAR);
	for (int i = 0; i < N_HTEXT; i++)
		*htext(f, i) = col_copy(a, h, H_TEXT0 + i);
	memset(f->funds, 0, sizeof f->funds);
	f->n_ind = 0;
}

/* A row at the end, its uuid as stored (form_add_indicator would draw a
 * fresh random one only for it to be overwritten). */
static struct indicator *append_row(struct form *f, int64_t **pos, size_t *cap_pos)
{
	if (f->n_ind == f->cap_ind) {
		size_t cap = f->cap_ind ? f->cap_ind * 2 : 32;
		struct indicator *p = realloc(f->ind, cap * sizeof *p);
		if (!p)
			abort();
		f->ind = p;
		f->cap_ind = cap;
	}
	if (f->n_ind == *cap_pos) {
		int64_t *p = realloc(*pos, f->cap_ind * sizeof *p);
		if (!p)
			abort();
		*pos = p;
		*cap_pos = f->cap_ind;
	}
	return &f->ind[f->n_ind++];
}

/* The rows come in index order (pos, then rowid); store_load orders rows of
 * the same pos by uuid.  Sorting in SQL puts a sorter under every form
 * (a third of the query's cost), and equal positions are rare: put each run
 * of them in uuid order here. */
static void order_ties(struct form *f, const int64_t *pos)
{
	for (size_t i = 1; i < f->n_ind; i++) {
		if (pos[i] != pos[i - 1])
			continue;
		size_t lo = i - 1;	/* pos[lo .. i] are equal: insertion sort by uuid */
		while (lo > 0 && pos[lo - 1] == pos[i])
			lo--;
		struct indicator x = f->ind[i];
		size_t j = i;
		while (j > lo && strcmp(f->ind[j - 1].uuid, x.uuid) > 0) {
			f->ind[j] = f->ind[j - 1];
			j--;
		}
		f->ind[j] = x;
	}
}

/* PRAGMA cache_size: *was its value before (if asked), then set (pages,
 * or KiB when negative, as the store sets it).  Errors are harmless: the
 * size stays. */
static void cache_size(sqlite3 *db, int *was, int set)
{
	sqlite3_stmt *st = NULL;
	if (was && sqlite3_prepare_v2(db, "PRAGMA cache_size", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		*was = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	char sql[48];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = %d", set);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* The page cache while walking: 8 MiB, not the store's 64 MiB (kept for
 * imports), which would fill with every page the walk reads, memory
 * growing with the database.  Forms come in (unit, year, project) order,
 * their rows scattered over the file, so a page holding two forms is read
 * twice when the second comes after it has left the cache: at 10,000
 * forms 8 MiB reads 15,700 pages (the 64 MiB cache 7,900, sqlite3's 2 MiB
 * 30,200) for 16 MB of memory instead of 42 MB. */
#define WALK_CACHE (-8192)

int store_each_form_view(struct store *s, const struct store_filter *flt,
			 int (*fn)(const struct form *f, void *arg), void *arg)
{
	char where[400];
	store_int_filter_sql(where, sizeof where, flt);
	sqlite3_stmt *h = NULL, *fd = NULL, *in = NULL;
	sqlite3 *db = store_int_db(s);
	/* only outside a transaction: inside one the cache may hold its writes */
	bool shrink = sqlite3_get_autocommit(db);
	int was = 0;
	if (shrink)
		cache_size(db, &was, WALK_CACHE);
	int rc = store_int_read_begin(s);	/* one snapshot for the three */
	if (rc != STORE_OK) {
		if (shrink)
			cache_size(db, NULL, was);
		return rc;
	}
	/* The same forms in all three: every live form (LEFT JOIN: a form
	 * without its local row still comes, with id 0), so the rows of the
	 * second and third queries always belong to the current header. */
	if ((rc = prepare(s, H_SELECT, "LEFT JOIN form_local l ON l.form_uuid = f.uuid", where, "",
			  flt, &h)) == STORE_OK &&
	    (rc = prepare(s, "f.uuid, d.row, d.initial, d.budget, d.spent, d.weight, d.rate, d.score",
			  "JOIN fund d ON d.form_uuid = f.uuid", where, ", d.row", flt, &fd)) == STORE_OK)
		rc = prepare(s, "f.uuid, i.pos, i.uuid, i.level1, i.level2, i.name, i.nature, i.target,"
			     " i.unit_of_measure, i.actual, i.weight, i.score, i.deviation",
			     "JOIN indicator i ON i.form_uuid = f.uuid", where, ", i.pos", flt, &in);
	struct form f = { 0 };
	struct arena a = { 0 };
	int64_t *pos = NULL;
	size_t cap_pos = 0;
	bool more_h = false, more_f = false, more_i = false;
	if (rc == STORE_OK && (rc = step(s, fd, &more_f)) == STORE_OK &&
	    (rc = step(s, in, &more_i)) == STORE_OK)
		rc = step(s, h, &more_h);
	while (rc == STORE_OK && more_h) {
		arena_reset(&a);
		header(&f, &a, h);
		while (rc == STORE_OK && more_f && same_form(fd, f.uuid)) {
			const char *row = (const char *)sqlite3_column_text(fd, 1);
			for (int k = 0; k < FUND_ROWS; k++)
				if (row && strcmp(row, fund_row_key[k]) == 0)
					for (int c = 0; c < FUND_COLS; c++)
						f.funds[k][c] = col_copy(&a, fd, 2 + c);
			rc = step(s, fd, &more_f);
		}
		while (rc == STORE_OK && more_i && same_form(in, f.uuid)) {
			struct indicator *r = append_row(&f, &pos, &cap_pos);
			pos[f.n_ind - 1] = sqlite3_column_int64(in, 1);
			uuid_copy(r->uuid, in, 2);
			for (int k = 0; k < IND_FIELDS; k++)
				r->v[k] = col_copy(&a, in, 3 + k);
			rc = step(s, in, &more_i);
		}
		if (rc != STORE_OK)
			break;
		order_ties(&f, pos);
		if (fn(&f, arg))
			break;
		rc = step(s, h, &more_h);
	}
	free(f.ind);
	free(pos);
	arena_free(&a);
	sqlite3_finalize(h);
	sqlite3_finalize(fd);
	sqlite3_finalize(in);
	rc = store_int_end(s, rc);
	if (shrink)
		cache_size(db, NULL, was);
	return rc;
}

struct owned {
	int (*fn)(struct form *f, void *arg);
	void *arg;
};

/* A lent form as the caller's own.  Not form_copy: that draws a fresh
 * random uuid for every row only for it to be overwritten. */
static int hand_over(const struct form *f, void *arg)
{
	struct owned *o = arg;
	struct form *c = calloc(1, sizeof *c);
	if (!c)
		abort();
	*c = *f;
	c->updated = xstrdup(f->updated);
	c->return_reason = xstrdup(f->return_reason);
	for (int i = 0; i < N_HTEXT; i++)
		*htext(c, i) = xstrdup(*htext((struct form *)f, i));
	for (int r = 0; r < FUND_ROWS; r++)
		for (int k = 0; k < FUND_COLS; k++)
			c->funds[r][k] = xstrdup(f->funds[r][k]);
	c->ind = NULL;
	c->n_ind = c->cap_ind = 0;
	if (f->n_ind) {
		c->ind = malloc(f->n_ind * sizeof *c->ind);
		if (!c->ind)
			abort();
		c->n_ind = c->cap_ind = f->n_ind;
	}
	for (size_t i = 0; i < f->n_ind; i++) {
		memcpy(c->ind[i].uuid, f->ind[i].uuid, sizeof c->ind[i].uuid);
		for (int k = 0; k < IND_FIELDS; k++)
			c->ind[i].v[k] = xstrdup(f->ind[i].v[k]);
	}
	return o->fn(c, o->arg);
}

int store_each_form(struct store *s, const struct store_filter *flt,
		    int (*fn)(struct form *f, void *arg), void *arg)
{
	struct owned o = { fn, arg };
	return store_each_form_view(s, flt, hand_over, &o);
}
