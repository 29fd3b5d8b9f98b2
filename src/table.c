/*
 * table: rows of cells with spans (table.h).
 */
#include "config.h"
#include "table.h"

#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();	/* out of memory */
	return p;
}

struct table *table_new(const char *name, bool grid)
{
	struct table *t = calloc(1, sizeof *t);
	if (!t)
		abort();
	if (name) {
		t->name = strdup(name);
		if (!t->name)
			abort();
	}
	t->grid = grid;
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (int k = 0; k < t->rows[i].n; k++)
			free(t->rows[i].cells[k].text);
		free(t->rows[i].cells);
	}
	free(t->rows);
	free(t->name);
	free(t);
}

struct trow *table_add_row(struct table *t, long line)
{
	if (t->n == t->cap) {	/* doubling: a sheet can have a million rows */
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = grow(t->rows, sizeof *t->rows * t->cap);
	}
	struct trow *r = &t->rows[t->n++];
	memset(r, 0, sizeof *r);
	r->line = line;
	return r;
}

struct tcell *trow_add(struct trow *r, int col, const char *text, size_t len)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->cells = grow(r->cells, sizeof *r->cells * (size_t)r->cap);
	}
	struct tcell *c = &r->cells[r->n++];
	c->text = grow(NULL, len + 1);
	memcpy(c->text, text, len);
	c->text[len] = '\0';
	c->col = col;
	c->colspan = c->rowspan = 1;
	return c;
}

const struct tcell *trow_at(const struct trow *r, int col)
{
	int lo = 0, hi = r->n;	/* columns increase: binary search */
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (r->cells[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n && r->cells[lo].col == col ? &r->cells[lo] : NULL;
}

void tables_add(struct tables *ts, struct table *t)
{
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 4;
		ts->v = grow(ts->v, sizeof *ts->v * ts->cap);
	}
	ts->v[ts->n++] = t;
}

void tables_free(struct tables *ts)
{
	for (size_t i = 0; i < ts->n; i++)
		table_free(ts->v[i]);
	free(ts->v);
	memset(ts, 0, sizeof *ts);
}
