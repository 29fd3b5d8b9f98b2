/*
 * io: forms in and out of files.  JSON (the interchange format of spec/cli.md),
 * text as published (all layouts of the samples), CSV, printable text, XLSX.
 * Readers never store anything; they hand back forms and per-form problems.
 */
#ifndef JXZP_IO_H
#define JXZP_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "form.h"

/* What a reader could not read: file, line (or byte offset), message. */
struct io_problem {
	size_t form_index;	/* which form of the file (0-based) */
	long line;		/* 1-based line, or 0 */
	long offset;		/* byte offset, or -1 */
	char message[256];
};

struct io_result {
	struct form **forms;
	size_t n_forms;
	bool *incomplete;	/* per form: could not be read whole (not to be imported) */
	struct io_problem *problems;
	size_t n_problems;
	/* The file could not be read at all (damaged, encrypted, a zip bomb, a
	 * format this build lacks): exit 2, where "read, no form" is 1. */
	bool unreadable;
};
void io_result_free(struct io_result *r);
/* Adds a problem to out (for readers). */
void io_problem(struct io_result *out, size_t fi, long line, long offset, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* What a streaming reader hands on, in file order: each problem as it is
 * found, then the form it is about (problem.form_index; a problem about no
 * form, such as "no form found", names the form after the last). */
struct io_sink {
	void (*problem)(void *arg, const struct io_problem *p);
	/* f is the sink's.  incomplete: could not be read whole. */
	void (*form)(void *arg, struct form *f, bool incomplete);
	/* The forms handed on so far do not count: the file is all or
	 * nothing and a problem was found (JSON).  Called before that
	 * problem is handed on. */
	void (*void_all)(void *arg);
	void *arg;
};
struct io_src;
/* The streaming readers: forms one at a time, memory that of one form.
 * Return as io_text_read and io_json_read do (0, or -1 with problems). */
int io_text_stream(struct io_src *in, const char *name, const struct io_sink *k);
int io_json_stream(struct io_src *in, const char *name, const struct io_sink *k);
/* A sink that collects into an io_result (zeroed by the caller): what
 * io_text_read and io_json_read are, over a buffer. */
void io_result_sink(struct io_result *out, struct io_sink *k);

struct table;
struct tables;
/* Tables one row at a time (text, as it is read): each form is handed to k
 * once the next title or the end shows where it ends.  The rows before the
 * first title are not a form's. */
struct trow;
struct table_stream;
struct table_stream *table_stream_new(const char *name, const struct io_sink *k);
void table_stream_row(struct table_stream *ts, const struct table *t, const struct trow *r);
/* The last form; returns as io_table_read. */
int table_stream_end(struct table_stream *ts);
/* Does a line of text hold the title, so that a form starts there? */
bool table_text_is_title(const char *text);
/* Tables (table.h) to forms: the one reader that knows the paper form
 * (io_table_form.c).  Every file format's reader ends here.  Problems are
 * added to out, which the caller has zeroed. */
int io_table_read(struct table *const *tables, size_t n, const char *name, struct io_result *out);
/* Text to tables (io_text.c); -1 with a problem in res if not text.  A
 * form's lines are a grid when any of them holds a tab (a file may hold
 * forms of both kinds): each form starts a table of its own. */
int io_text_tables(const char *buf, size_t len, struct tables *out, struct io_result *res);

/* JSON: one form object or an array of them.  All or nothing: any problem
 * (invalid UTF-8, unknown key, bad type) and no forms come back. */
int io_json_read(const char *buf, size_t len, const char *name, struct io_result *out);
/* with_ids: include "id" and "status" (export), or not. */
char *io_json_write_form(const struct form *f, bool with_ids);	/* caller frees */
int io_json_write(FILE *out, struct form *const *forms, size_t n, bool with_ids);
/* The same, naming each field whose stored value is not UTF-8 (an old
 * database's): such a value is written all the same, every byte that is
 * not part of a character as the text \xNN, and bad(form, path, arg) is
 * called for it ("funds.total.budget", "indicators[2].actual"). */
typedef void (*io_json_bad_fn)(const struct form *f, const char *path, void *arg);
int io_json_write_report(FILE *out, struct form *const *forms, size_t n, bool with_ids,
			 io_json_bad_fn bad, void *arg);
/* The same array a form at a time, for exports that never hold them all:
 * io_json_write_next for forms 0, 1, ... i, then io_json_write_end(n) with
 * how many were written (none: "[]").  0, or -1 when out failed. */
int io_json_write_next(FILE *out, const struct form *f, size_t i, bool with_ids,
		       io_json_bad_fn bad, void *arg);
int io_json_write_end(FILE *out, size_t n);

/* Text as published: several forms per file, layout detected. */
int io_text_read(const char *buf, size_t len, const char *name, struct io_result *out);
/* Is this buffer JSON (first non-space is '{' or '[')? */
bool io_looks_json(const char *buf, size_t len);

int io_csv_write(FILE *out, struct form *const *forms, size_t n);
/* The same a form at a time: the head line once, then each form's rows. */
void io_csv_write_head(FILE *out);
int io_csv_write_form(FILE *out, const struct form *f);
int io_print_write(FILE *out, const struct form *f, int width);	/* printable text */
/* A copy of f as the paper shows it (io_paper.c): "—" where the paper never
 * leaves a cell blank, 总分's 分值 summed when absent, scores with two
 * decimals.  What io_print_write and io_xlsx_write print.  Caller frees. */
struct form *io_paper_copy(const struct form *f);
/* XLSX with the official layout, one sheet per form.  -1 with a message in
 * err when the build has no libxlsxwriter (HAVE_XLSXWRITER) or writing fails. */
int io_xlsx_write(const char *path, struct form *const *forms, size_t n,
		  char *err, size_t errlen);

#endif
