/*
 * importview: importing files from the forms list (i) — a prompt for one
 * or more paths (ui/pathline: quotes, ~/, * patterns, Tab completion),
 * each file imported by import_file (src/import.h, the same rules as
 * `jxzp import`) with its progress on the status line, then a scrollable
 * panel of what came of it: the forms each file gave, and every line the
 * command line would print about it.
 */
#ifndef JXZP_IMPORTVIEW_H
#define JXZP_IMPORTVIEW_H

#include <stddef.h>
#include <stdint.h>
#include "app.h"

/* Asks, imports, shows the outcome.  Returns the forms imported; *first
 * is the first of them (0: none), for the list to select.  msg gets one
 * line for the status line, with its severity (0 error, 2 note); empty
 * when the prompt was cancelled. */
size_t iv_import(struct app *a, int64_t *first, char *msg, size_t len, int *sev);

/* Frees what the prompt remembers (the program ends). */
void iv_done(void);

#endif
