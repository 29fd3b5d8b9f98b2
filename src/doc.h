/*
 * doc: one form being worked on, from the screen or the command line.
 *
 * Loads a form from the store, and for every change: saves it (one field,
 * one transaction, with history; refused on a stale version or a submitted
 * form), re-runs the rules, and caches score, grade and error count in the
 * store so lists never load whole forms.  The screen and `jxzp set` both go
 * through here, so they behave the same.
 */
#ifndef JXZP_DOC_H
#define JXZP_DOC_H

#include "form.h"
#include "rules.h"
#include "store.h"

struct doc {
	struct store *s;
	struct form *f;			/* as saved */
	const struct ruleset *rs;	/* the form's rule set (default if unknown) */
	struct check *chk;		/* findings for f, always current */
	char err[256];			/* last error, for people */
};

int doc_open(struct doc *d, struct store *s, int64_t id);	/* STORE_* code */
void doc_close(struct doc *d);
/* Set one field; on success f and chk are updated.  STORE_* code, message in d->err. */
int doc_set(struct doc *d, const char *path, const char *value);
int doc_add_row(struct doc *d, size_t at);
int doc_del_row(struct doc *d, size_t at);
int doc_move_row(struct doc *d, size_t from, size_t to);
int doc_set_status(struct doc *d, enum form_status to, const char *reason);
/* Re-run the rules on d->f (after a change made outside doc_set). */
void doc_recheck(struct doc *d);
/* Run the rules on f and cache the summary in the store (after import). */
int doc_refresh_summary(struct store *s, const struct form *f);
/* The same for many forms (import): *chk is a check kept between calls
 * (NULL at first, grown as needed, check_free it after the last), so the
 * rules do not allocate and clear a new one per form. */
int doc_refresh_summary_reuse(struct store *s, const struct form *f, struct check **chk);
/* Carry form id forward (form_carry_forward) into year (0 = its year + 1)
 * and store the new draft, with its summary cached.  Refused with
 * STORE_EXISTS when that unit, year and project is taken (the message names
 * the form that holds it).  *new_id gets the new form's id; a STORE_* code,
 * and on failure a one-line message in err. */
int doc_carry_forward(struct store *s, int64_t id, int year, int64_t *new_id,
		      char *err, size_t errlen);

#endif
