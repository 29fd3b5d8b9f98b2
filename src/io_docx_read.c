/*
 * io_docx_read: .docx (Word 2007+, WPS) to tables: the tables of
 * word/document.xml, in document order (libzip + expat via io_zip).
 *
 * A cell's text is its paragraphs joined as lines ("\n"), runs joined,
 * <w:br/> a line break, <w:tab/> a space.  w:gridSpan gives a cell its
 * columns (and w:gridBefore the row's empty ones), w:vMerge "restart" opens
 * a cell over several rows and each "continue" below it adds a row to its
 * span.  A paragraph outside any table (a title above the table) is a row
 * of one cell.  A table inside a cell is read as that cell's text.
 * Text boxes (w:txbxContent: a stamp's "盖章" floating over the title) are
 * no part of the flow and left out, as is mc:Fallback, the copy of a
 * drawing for older readers: their paragraphs sit inside a paragraph of
 * the flow and would take its place.  A content control showing its
 * placeholder (w:showingPlcHdr: "单击或点击此处输入文字。") is empty: the
 * placeholder is Word's prompt, not the unit's text.
 */
#include "config.h"
#include "io.h"
#include "io_read.h"
#include "io_zip.h"
#include "i18n.h"
#include "sbuf.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELL_TEXT_MAX (1u << 20)
#define MAX_COLS 1024

struct dx {
	struct xml_base base;
	struct table *t;
	long rowno;		/* rows and paragraphs so far, for messages */
	int depth;		/* tables open */
	bool in_tc, in_t, in_p;
	int col;		/* next grid column of the row */
	int span;		/* the cell's gridSpan */
	int vmerge;		/* 0 none, 1 restart, 2 continue */
	bool para_started;	/* the cell has a paragraph already */
	int aside;		/* text boxes and fallbacks open: skipped */
	/* content controls open, and whether each shows its placeholder */
	int sdt;
	bool plchdr[64];
	struct sbuf cell, para;
	struct trow *row;
	/* per column, the row and cell index of the vMerge that is open */
	long vm_row[MAX_COLS];
	int vm_cell[MAX_COLS];
};

static void add(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n <= CELL_TEXT_MAX)
		sb_addn(b, s, n);
}

static bool placeholder(const struct dx *d)
{
	return d->sdt > 0 && d->sdt <= 64 && d->plchdr[d->sdt - 1];
}

/* Whether l may be txbxContent, Fallback, sdt, sdtContent or
 * showingPlcHdr: two letters sort out the many elements that are none of
 * them (r, rPr, sz, t, tc...) without a strcmp. */
static bool maybe_aside(const char *l)
{
	return (l[0] == 't' && l[1] == 'x') || l[0] == 'F' || (l[0] == 's' && (l[1] == 'd' || l[1] == 'h'));
}

/* Text boxes, fallbacks and placeholders: true if element l opens what is
 * skipped (the caller returns). */
static bool aside_start(struct dx *d, const char *l)
{
	if (!maybe_aside(l))
		return false;
	if (strcmp(l, "txbxContent") == 0 || strcmp(l, "Fallback") == 0 ||
	    (strcmp(l, "sdtContent") == 0 && placeholder(d))) {
		d->aside++;
		return true;
	}
	if (strcmp(l, "sdt") == 0) {
		if (d->sdt < 64)
			d->plchdr[d->sdt] = false;
		d->sdt++;
	} else if (strcmp(l, "showingPlcHdr") == 0 && d->sdt > 0 && d->sdt <= 64) {
		d->plchdr[d->sdt - 1] = true;
	}
	return false;
}

static bool aside_end(struct dx *d, const char *l)
{
	if (!maybe_aside(l))
		return false;
	if (strcmp(l, "txbxContent") == 0 || strcmp(l, "Fallback") == 0 ||
	    (strcmp(l, "sdtContent") == 0 && placeholder(d))) {
		if (d->aside)
			d->aside--;
		return true;
	}
	if (strcmp(l, "sdt") == 0 && d->sdt > 0)
		d->sdt--;
	return false;
}

static void XMLCALL dx_start(void *ud, const char *el, const char **atts)
{
	struct dx *d = ud;
	const char *l = xml_local(el);
	if (aside_start(d, l))
		return;
	if (d->aside)
		return;
	if (strcmp(l, "tbl") == 0) {
		d->depth++;
		if (d->depth == 1)
			for (int i = 0; i < MAX_COLS; i++)
				d->vm_row[i] = -1;
	} else if (d->depth == 1 && strcmp(l, "tr") == 0) {
		d->row = table_add_row(d->t, ++d->rowno);
		d->col = 0;
	} else if (d->depth == 1 && strcmp(l, "gridBefore") == 0 && d->row && !d->in_tc) {
		const char *v = xml_attr(atts, "val");
		int n = v ? atoi(v) : 0;
		if (n > 0 && n < MAX_COLS)
			d->col += n;
	} else if (d->depth == 1 && strcmp(l, "tc") == 0) {
		d->in_tc = true;
		d->span = 1;
		d->vmerge = 0;
		d->para_started = false;
		d->cell.len = 0;
		if (d->cell.s)
			d->cell.s[0] = '\0';
	} else if (d->depth == 1 && d->in_tc && strcmp(l, "gridSpan") == 0) {
		const char *v = xml_attr(atts, "val");
		int n = v ? atoi(v) : 1;
		d->span = n >= 1 && n < MAX_COLS ? n : 1;
	} else if (d->depth == 1 && d->in_tc && strcmp(l, "vMerge") == 0) {
		const char *v = xml_attr(atts, "val");
		d->vmerge = v && strcmp(v, "restart") == 0 ? 1 : 2;
	} else if (strcmp(l, "p") == 0) {
		d->in_p = true;
		d->para.len = 0;
		if (d->para.s)
			d->para.s[0] = '\0';
	} else if (strcmp(l, "t") == 0) {
		d->in_t = true;
	} else if (d->in_p && (strcmp(l, "br") == 0 || strcmp(l, "cr") == 0)) {
		add(&d->para, "\n", 1);
	} else if (d->in_p && strcmp(l, "tab") == 0 && d->in_t == false) {
		add(&d->para, " ", 1);
	}
}

static void XMLCALL dx_end(void *ud, const char *el)
{
	struct dx *d = ud;
	const char *l = xml_local(el);
	if (aside_end(d, l))
		return;
	if (d->aside)
		return;
	if (strcmp(l, "t") == 0) {
		d->in_t = false;
	} else if (strcmp(l, "p") == 0) {
		d->in_p = false;
		const char *p = d->para.s ? d->para.s : "";
		if (d->in_tc) {
			if (d->para_started)
				add(&d->cell, "\n", 1);
			add(&d->cell, p, d->para.len);
			d->para_started = true;
		} else if (d->depth == 0 && d->para.len) {
			struct trow *r = table_add_row(d->t, ++d->rowno);
			trow_add(r, 0, p, d->para.len);
		}
	} else if (strcmp(l, "tbl") == 0) {
		d->depth--;
	} else if (d->depth == 1 && strcmp(l, "tc") == 0 && d->in_tc) {
		d->in_tc = false;
		int col = d->col < MAX_COLS ? d->col : MAX_COLS - 1;
		if (d->vmerge == 2 && d->vm_row[col] >= 0) {
			/* a continuation: one more row for the cell above */
			struct trow *r = &d->t->rows[d->vm_row[col]];
			r->cells[d->vm_cell[col]].rowspan++;
		} else if (d->row) {
			/* trailing empty lines of a cell are no part of it */
			while (d->cell.len && d->cell.s[d->cell.len - 1] == '\n')
				d->cell.s[--d->cell.len] = '\0';
			struct tcell *c = trow_add(d->row, col, d->cell.s ? d->cell.s : "", d->cell.len);
			c->colspan = d->span;
			if (d->vmerge == 1) {
				d->vm_row[col] = (long)(d->row - d->t->rows);
				d->vm_cell[col] = d->row->n - 1;
			} else {
				d->vm_row[col] = -1;
			}
		}
		d->col += d->span;
	}
}

static void XMLCALL dx_text(void *ud, const char *s, int len)
{
	struct dx *d = ud;
	if (d->in_p && d->in_t && !d->aside)
		add(&d->para, s, (size_t)len);
}

int io_docx_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	struct zipf *z = zipf_open(buf, len, err, errlen);
	if (!z)
		return -1;
	if (!zipf_has(z, "word/document.xml")) {
		snprintf(err, errlen, "%s", _("a zip without word/document.xml: not a .docx document"));
		zipf_close(z);
		return -1;
	}
	struct dx *d = calloc(1, sizeof *d);
	if (!d)
		abort();
	d->t = table_new(NULL, true);
	XML_Parser p = xml_new(&d->base);
	XML_SetElementHandler(p, dx_start, dx_end);
	XML_SetCharacterDataHandler(p, dx_text);
	int rc = zipf_parse(z, "word/document.xml", &d->base, err, errlen);
	XML_ParserFree(p);
	zipf_close(z);
	free(d->cell.s);
	free(d->para.s);
	if (rc != 0) {
		table_free(d->t);
		free(d);
		return -1;
	}
	tables_add(out, d->t);
	free(d);
	return 0;
}
