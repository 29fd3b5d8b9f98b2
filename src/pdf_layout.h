/*
 * pdf_layout: a page of a PDF, as the characters and ruling lines its
 * content draws, to a table (table.h).  Pure: io_pdf_read.c gets the page
 * from MuPDF; this knows only geometry.
 *
 * Cells come from the ruling lines where the page draws a table: the
 * horizontal and vertical lines that meet one another make a grid, and
 * grid squares not parted by a drawn line are one (merged) cell.  Text in
 * a cell is its lines in reading order, a wrapped line joined to the one
 * before it, a line that ended early (the next word would have fitted)
 * kept as a line break.  Text outside any ruled table (a title, a page
 * without rules) is split into cells where its words leave wide gaps, and
 * on a page without rules those cells get columns from where they start.
 * Page coordinates are points, y growing downwards.
 */
#ifndef JXZP_PDF_LAYOUT_H
#define JXZP_PDF_LAYOUT_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct table;

struct lay_char {
	float x0, x1;	/* its advance, left to right */
	float base;	/* baseline */
	float size;	/* font size */
	uint32_t c;	/* Unicode, never a space */
	bool space_after;	/* the content has a space after it */
};

/* A ruling line: horizontal (at = y, from a0 to a1 in x) or vertical. */
struct lay_seg {
	float at, a0, a1;
};

struct lay_page {
	struct lay_char *ch;
	size_t nch, capch;
	struct lay_seg *h, *v;
	size_t nh, nv, caph, capv;
	long images;	/* images drawn (a page that is all image is a scan) */
};

/* Limits of one page: past them the rest is not collected (a form is a
 * few thousand characters and a few hundred lines). */
#define LAY_MAX_CHARS 400000
#define LAY_MAX_SEGS 40000

void lay_add_char(struct lay_page *p, const struct lay_char *c);
void lay_add_seg(struct lay_page *p, float x0, float y0, float x1, float y1);
void lay_clear(struct lay_page *p);	/* empty, memory kept */
void lay_free(struct lay_page *p);

/* The page as a table named name (rows without text left out).  The
 * page's arrays are sorted and merged in place. */
struct table *lay_page_table(struct lay_page *p, const char *name);

#endif
