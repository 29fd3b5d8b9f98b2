/*
 * rows: what the forms list and the reviewer's pager share — the Chinese
 * status names, the "last change" column, the table's rule lines and the
 * cursor keys — so the two lists read and move alike.
 */
#ifndef JXZP_UI_ROWS_H
#define JXZP_UI_ROWS_H

#include <stdbool.h>
#include <stddef.h>
#include "app.h"
#include "draw.h"	/* attr_t */

/* The status in the interface's language (草稿 已提交 已退回 已通过 in
 * Chinese) for a status key; the key itself if unknown. */
const char *rows_status_label(const char *key);
/* "10:42" today, "yesterday", "11-19" this year, else the date; "" in
 * test mode (fixed time) or when iso cannot be read. */
void rows_when(const struct app *a, const char *iso, char *out, size_t len);
/* A rule line at row y over n columns of widths w: l, m between, r. */
void rows_rule(int y, const int *w, int n, unsigned vert);	/* vert: ARM_DOWN top, ARM_UP|ARM_DOWN middle, ARM_UP bottom */
/* A table with no rows: below the head's rule (at y - 1, drawn again) one
 * line across all the columns saying why, and the bottom rule at y + 1. */
void rows_empty(int y, const int *w, int n, const char *msg, attr_t at);
/* Up, Down, PgUp, PgDn, Home, End on a cursor over n rows; false for any
 * other key.  page is the rows one page moves (at least 1). */
bool rows_move(size_t *sel, size_t n, size_t page, int k);

#endif
