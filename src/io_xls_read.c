/*
 * io_xls_read: .xls (Excel 97-2003 BIFF, what many templates still are) to
 * tables, one per worksheet, via Debian's libfreexl.
 *
 * libfreexl opens files by name only: the bytes go to a private temporary
 * file (mode 0600, removed at once).  It gives values, not how the sheet
 * shows them: numbers are shown as General (the shortest decimal), dates as
 * YYYY-MM-DD, and merged cells are not reported (their covered cells are
 * empty, as text exports have them).  A password-protected (obfuscated)
 * workbook is refused.
 *
 * libfreexl 1.0.6 reads past a stack buffer on some crafted files (found by
 * tests/fuzz/run_files.sh xls; tests/fixtures/files/freexl-crash.xls), so
 * it runs in a child process with limits on memory and time (io_child.c):
 * whatever the file does to it, jxzp gets the cells over a pipe or one line
 * saying the file could not be read.
 */
#include "config.h"
#include "io.h"
#include "io_child.h"
#include "io_read.h"
#include "i18n.h"
#include "numfmt.h"
#include "table.h"

#include <freexl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XLS_MAX_ROWS 1048576u
#define XLS_MAX_COLS 256u

static int xls_read(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/jxzp-xls-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, _("cannot make a temporary file for the .xls reader: %s"), path);
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	const void *h = NULL;
	int rc = done == len ? freexl_open(path, &h) : FREEXL_FILE_NOT_FOUND;
	unlink(path);	/* freexl keeps it open */
	if (rc != FREEXL_OK) {
		if (h)
			freexl_close(h);
		snprintf(err, errlen, "%s", rc == FREEXL_CRAFTED_FILE
			 ? _("a .xls workbook crafted to mislead its reader: refused")
			 : _("a damaged or truncated .xls workbook (or an Office file of another kind)"));
		return -1;
	}
	unsigned int info = 0;
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
		freexl_close(h);
		snprintf(err, errlen, "%s", _("the file is password-protected (encrypted): save it without a password first"));
		return -1;
	}
	unsigned int sheets = 0;
	freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &sheets);
	for (unsigned int s = 0; s < sheets && s < 4096; s++) {
		if (freexl_select_active_worksheet(h, (unsigned short)s) != FREEXL_OK)
			continue;
		const char *name = NULL;
		freexl_get_worksheet_name(h, (unsigned short)s, &name);
		unsigned int rows = 0;
		unsigned short cols = 0;
		if (freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
			continue;
		if (rows > XLS_MAX_ROWS)
			rows = XLS_MAX_ROWS;
		struct table *t = table_new(name, true);
		for (unsigned int r = 0; r < rows; r++) {
			struct trow *row = NULL;
			for (unsigned short c = 0; c < cols && c < XLS_MAX_COLS; c++) {
				FreeXL_CellValue v;
				if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
					continue;
				char num[64];
				char *shown = NULL;
				const char *text = NULL;
				switch (v.type) {
				case FREEXL_CELL_INT:
					snprintf(num, sizeof num, "%d", v.value.int_value);
					text = num;
					break;
				case FREEXL_CELL_DOUBLE:
					snprintf(num, sizeof num, "%.17g", v.value.double_value);
					shown = numfmt_show(num, NULL, false);
					text = shown;
					break;
				case FREEXL_CELL_TEXT:
				case FREEXL_CELL_SST_TEXT:
				case FREEXL_CELL_DATE:
				case FREEXL_CELL_DATETIME:
				case FREEXL_CELL_TIME:
					text = v.value.text_value;
					break;
				default:
					break;
				}
				if (text && *text) {
					if (!row)
						row = table_add_row(t, (long)r + 1);
					trow_add(row, c, text, strlen(text));
				}
				free(shown);
			}
		}
		tables_add(out, t);
	}
	freexl_close(h);
	if (out->n == 0) {
		snprintf(err, errlen, "%s", _("the workbook has no worksheets"));
		return -1;
	}
	return 0;
}

int io_xls_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	return io_child_tables(xls_read, buf, len, 30, out, err, errlen,
			       _("a damaged .xls workbook: the .xls reader failed on it"));
}
