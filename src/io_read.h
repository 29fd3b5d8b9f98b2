/*
 * io_read: forms from a file's bytes, whatever its format: recognised from
 * the content (never the name), turned into tables by that format's reader,
 * and read as forms by io_table_read.  The readers of this build depend on
 * the libraries configure found (jxzp --version lists them).
 */
#ifndef JXZP_IO_READ_H
#define JXZP_IO_READ_H

#include <stdbool.h>
#include <stddef.h>
#include "io.h"

struct tables;

enum io_format {
	IOF_TEXT, IOF_JSON, IOF_XLSX, IOF_DOCX, IOF_XLS, IOF_PDF,
	IOF_ZIP,	/* a zip that is neither */
	IOF_CFB,	/* an OLE2 compound file: .xls, or an encrypted .xlsx/.docx */
	IOF_CSV,	/* a sheet saved as CSV (io_csv_read.c) */
};

enum io_format io_sniff(const char *buf, size_t len);
/* "xlsx", "pdf"... */
const char *io_format_name(enum io_format f);
/* The formats this build reads, e.g. "text json xlsx docx". */
const char *io_formats(void);

/* Any file: as io_text_read and io_json_read do, and for a file that
 * cannot be read at all (damaged, encrypted, a zip bomb, a format this
 * build lacks) one problem saying why, with out->unreadable set. */
int io_read_any(const char *buf, size_t len, const char *name, struct io_result *out);

/* The table readers: 0, or -1 with a message in err.  out is theirs. */
int io_xlsx_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);
int io_docx_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);
int io_xls_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);
int io_csv_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);
/* Whether text looks like a sheet saved as CSV rather than a text form. */
bool io_looks_csv(const char *buf, size_t len);
int io_pdf_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);
/* The PDF reader in this process, not in a child (the fuzz target's way in). */
int io_pdf_tables_here(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);

#endif
