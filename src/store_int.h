/*
 * store_int: what the store's own files (src/store.c, src/store_iter.c)
 * share and nothing else includes.  Lets a new store file speak SQL on the
 * store's connection without widening store.h, and keeps the filter
 * grammar (store_filter -> WHERE) in one place.
 */
#ifndef JXZP_STORE_INT_H
#define JXZP_STORE_INT_H

#include <sqlite3.h>
#include "store.h"

#include <stdbool.h>
#include <stdint.h>

/* The list's sort keys (store.c): a decimal as value * 10^6, or false; a
 * grade's rank.  Whatever writes form_local's keys uses these two. */
bool sc_sort_key(const char *text, int64_t *out);
int sc_grade_rank(const char *g);

sqlite3 *store_int_db(struct store *s);
/* The OS user recorded in history rows (no NSS lookup in a static build). */
const char *store_int_user(struct store *s);
/* A failed sqlite call as a STORE_* code, with the message set. */
int store_int_dberr(struct store *s, int rc);
/* The WHERE clause of a filter over "form f", and its bindings. */
void store_int_filter_sql(char *buf, size_t len, const struct store_filter *flt);
void store_int_filter_bind(sqlite3_stmt *st, const struct store_filter *flt);
/* A read transaction (a savepoint inside a batch), and its end: commits on
 * STORE_OK, else rolls back and returns rc. */
int store_int_read_begin(struct store *s);
int store_int_end(struct store *s, int rc);

#endif
