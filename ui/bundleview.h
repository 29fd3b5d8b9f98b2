/*
 * bundleview: the offline bundles from the forms list (ui/bundleview.c) —
 * write one to a folder or file (b), read one (B): verify, show what it
 * holds, confirm, apply, and say what it did.  Modal dialogs over the
 * list; the list reloads after.
 */
#ifndef JXZP_BUNDLEVIEW_H
#define JXZP_BUNDLEVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include "app.h"

/* Write a bundle.  unit (the one unit of every form, or NULL: "all") names
 * the file when a folder is given; sel_unit (the selected form's, or NULL)
 * is offered as "only this unit" when it differs.  The outcome goes to msg
 * with its severity (0 error, 2 note). */
void bv_write(struct app *a, const char *unit, const char *sel_unit, char *msg, size_t len, int *sev);
/* Read and apply a bundle; true when the database changed (reload). */
bool bv_read(struct app *a, char *msg, size_t len, int *sev);

#endif
