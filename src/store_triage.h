/*
 * store_triage: the triage cache (schema/009-triage.sql) — each form's
 * signals and score, computed by src/triage.c and kept up to date as forms
 * change and arrive.  Part of the store; its own header so store.h stays
 * as its owner keeps it.
 *
 * The schema's triggers mark a form's row stale whenever the form or its
 * rows are written, however they were written.  store_triage_refresh()
 * computes the stale rows again: a form's own signals from the form, and
 * the cross-form signals of it and of every form that shares an LSH band
 * or a unit and project with it (before or after the change), so one
 * changed form costs a few indexed lookups, not a pass over every form.
 * When most forms are stale (a new database, a big import) it does the
 * whole set in one pass instead.
 */
#ifndef JXZP_STORE_TRIAGE_H
#define JXZP_STORE_TRIAGE_H

#include <stddef.h>
#include <stdint.h>
#include "store.h"
#include "triage.h"

struct triage_stats {
	size_t stale;		/* forms computed again */
	size_t cross;		/* forms whose cross-form signals were worked out */
	bool whole;		/* one pass over every form */
};
int store_triage_refresh(struct store *s, struct triage_stats *st);
/* The same without waiting for another program's write lock (a screen
 * that must not freeze while an import runs): STORE_LOCKED at once, the
 * stored risks left as they were. */
int store_triage_refresh_nowait(struct store *s);

struct triage_row {
	int64_t id;
	int year;
	const char *unit, *project, *status;
	int score;
	uint32_t mask;		/* bit per tr_code */
	const char *own, *cross;	/* tr_list_pack text */
	/* what the pager shows beside it (store.h's form_row) */
	const char *updated, *rules_score, *grade, *rate;
	int errors;
};
/* Forms by score, highest first (ties by id), matching flt and, when code
 * is ≥ 0, having that signal.  Strings are valid during the call. */
int store_triage_list(struct store *s, const struct store_filter *flt, int code,
		      size_t offset, size_t limit,
		      int (*fn)(const struct triage_row *r, void *arg), void *arg);
int store_triage_count(struct store *s, const struct store_filter *flt, int code, size_t *n);
/* One form's score and signal mask (0, 0 when not computed yet). */
int store_triage_score(struct store *s, int64_t id, int *score, uint32_t *mask);
/* One form's signals (own then cross), appended to out; its score. */
int store_triage_get(struct store *s, int64_t id, struct tr_list *out, int *score);

#endif
