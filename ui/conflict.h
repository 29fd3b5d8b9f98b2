/*
 * conflict: the bundle conflicts of the open form on the form screen
 * (ui/conflictview.c) — the mark of a conflicted field, its line in the
 * status area, and the dialog that settles it through bundle_resolve.
 * The form view calls these through a few hooks; the conflicts are read
 * once when a form opens and after each settling, never per key.
 */
#ifndef JXZP_CONFLICT_H
#define JXZP_CONFLICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "app.h"

/* The mark of a conflicted field: one column, plain text (survives
 * monochrome); ustr_width("⇄") == 1 is asserted in cfv_open. */
#define CFV_MARK "⇄"

/* Load / forget the open conflicts of form id. */
void cfv_open(struct store *s, int64_t id);
void cfv_close(void);
/* How many conflicts the open form has. */
size_t cfv_count(void);
/* Has the field at path (or its row) an open conflict? */
bool cfv_marked(const char *path);
/* "conflict: here X (from …), there Y (from …)" for path; false if none. */
bool cfv_line(const char *path, char *buf, size_t len);
/* Is k the settle key (F11 or Ctrl-R)? */
bool cfv_wants(int k);
/* The settle dialog for the conflict on path.  True when it was settled
 * (the caller reloads the form); the outcome or why not goes to msg with
 * its severity (0 error, 2 note). */
bool cfv_settle(struct app *a, const char *path, char *msg, size_t len, int *sev);

#endif
