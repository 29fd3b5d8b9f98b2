/*
 * store_list: the forms list one screen at a time (src/store_list.c).  Part
 * of the store; its own header so store.h stays as its owner keeps it.
 *
 * The list is in store_list's order (unit, year, project), which is unique
 * among live forms, so a form's place is its key: a page is the forms just
 * after (or before) a key, read along the index form_key and stopped at the
 * LIMIT (keyset pagination), whatever the size of the database.  A text
 * filter is tested on the rows as they come, so a page of a filter that
 * matches often is found quickly; one that matches rarely reads further.
 */
#ifndef JXZP_STORE_LIST_H
#define JXZP_STORE_LIST_H

#include "store.h"

/* A place in the list: a form's unit, year and project. */
struct store_key {
	const char *unit;
	int year;
	const char *project;
};

/* Up to limit forms matching flt: those after key in the list's order
 * (from the first when key is NULL), or with backward those before it,
 * nearest first (from the last when key is NULL); with_key, the form at
 * key too.  fn as for store_list. */
int store_list_page(struct store *s, const struct store_filter *flt, const struct store_key *key,
		    bool backward, bool with_key, size_t limit,
		    int (*fn)(const struct form_row *r, void *arg), void *arg);
/* The row of live form id when it matches flt; STORE_NOTFOUND if not. */
int store_list_row(struct store *s, const struct store_filter *flt, int64_t id,
		   int (*fn)(const struct form_row *r, void *arg), void *arg);
/* The unit every live form belongs to, written into buf; "" when there are
 * forms of several units or none.  Two rows of form_key, not a scan. */
int store_list_one_unit(struct store *s, char *buf, size_t len);

#endif
