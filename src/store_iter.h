/*
 * store_iter: whole forms in bulk, for batch work over many forms (check
 * --all, export --all).  Part of the store (src/store_iter.c); its own
 * header so store.h stays as its owner keeps it.
 */
#ifndef JXZP_STORE_ITER_H
#define JXZP_STORE_ITER_H

#include "store.h"

/* Every matching form, whole, in store_list's order (unit, year, project),
 * read in one read transaction by three ordered queries (headers, fund rows,
 * indicator rows) instead of a transaction and three queries per form.
 * fn owns the form it is given (form_free it, or keep it); a non-zero
 * return stops the walk, and STORE_OK is returned.  Otherwise a STORE_*
 * code with store_errmsg() set; forms already handed to fn stay fn's. */
int store_each_form(struct store *s, const struct store_filter *flt,
		    int (*fn)(struct form *f, void *arg), void *arg);

/* The same walk, each form lent to fn: it is valid only until fn returns
 * (never form_free it; form_copy what must outlive the call).  No malloc
 * per field: the batch readers that look and let go (check --all). */
int store_each_form_view(struct store *s, const struct store_filter *flt,
			 int (*fn)(const struct form *f, void *arg), void *arg);

#endif
