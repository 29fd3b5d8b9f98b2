/*
 * table: a table as the paper has it, the one thing every file reader
 * produces and the form reader (io_table_form.c) reads.
 *
 * A table is rows of cells.  A cell sits at a column, spans colspan columns
 * and rowspan rows (a merged cell), and holds its text as the file shows it:
 * a number as its number format prints it, line breaks inside the cell as
 * "\n".  A merged cell is one cell, at its top-left corner; the columns and
 * rows it covers hold no cell.  Columns without a cell are empty.
 *
 * Readers know the file format and nothing of the form; the form reader
 * knows the form and nothing of file formats:
 *
 *   text  (io_text.c)   one row per line, cells split at tabs (or words)
 *   .xlsx (io_xlsx_read.c) one table per sheet
 *   ...
 *   tables --> io_table_read() --> forms and their problems
 */
#ifndef JXZP_TABLE_H
#define JXZP_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct tcell {
	char *text;		/* as shown; never NULL, "" for an empty cell */
	int col;		/* 0-based column of its left edge */
	int colspan, rowspan;	/* >= 1 */
};

struct trow {
	long line;		/* where it is in the file: text line, sheet row; 1-based */
	struct tcell *cells;	/* left to right, columns increasing */
	int n, cap;
};

struct table {
	char *name;		/* sheet or page name for messages, or NULL */
	/* Columns mean something: a grid (tab-separated text, a spreadsheet,
	 * a document table).  False: a row's cells are the words of a line of
	 * text without tabs, their columns only their order. */
	bool grid;
	/* A row may go on with the cell it ended in (text with line breaks
	 * inside cells); false for formats where a cell holds its own breaks. */
	bool rows_may_wrap;
	struct trow *rows;
	size_t n, cap;
};

struct table *table_new(const char *name, bool grid);
void table_free(struct table *t);
/* A new empty row at the end.  Aborts only on out of memory. */
struct trow *table_add_row(struct table *t, long line);
/* A cell of len bytes of text at col, at the end of the row (cols must
 * increase).  Returns the cell. */
struct tcell *trow_add(struct trow *r, int col, const char *text, size_t len);
/* The cell of row r at column col (a cell that starts there), or NULL. */
const struct tcell *trow_at(const struct trow *r, int col);

/* A list of tables, as a reader hands them on. */
struct tables {
	struct table **v;
	size_t n, cap;
};
void tables_add(struct tables *ts, struct table *t);
void tables_free(struct tables *ts);

#endif
