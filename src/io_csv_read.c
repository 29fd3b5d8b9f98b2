/*
 * io_csv_read: a form saved as CSV (Excel's or WPS's "Save as CSV",
 * `soffice --convert-to csv`) to one table.  RFC 4180: fields separated by
 * commas, a field in double quotes may hold commas, line breaks and "" for
 * a quote (or semicolons, Excel's separator where the decimal sign is a
 * comma); lines end in CRLF, LF or CR alone (Excel for Mac).  A merged
 * cell of the sheet comes out as its text followed by empty fields, so a
 * row is the sheet's row with its columns kept (a grid, and no row wraps:
 * a quoted field holds its own line breaks).
 *
 * The bytes are already UTF-8 (io_read.c decodes a GB18030 file first), so
 * this knows nothing of encodings.
 */
#include "config.h"
#include "io_read.h"
#include "i18n.h"
#include "sbuf.h"
#include "table.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* The first 64 KiB decide, as for every format (io_sniff). */
enum { HEAD = 65536 };

/* How much the head looks like a CSV form with fields separated by sep:
 * 0 not at all.  Its lines carry the empty fields merged cells leave
 * (",,"), or a field of its own starts a line with a label (`项目名称,`
 * or `"项目名称",`).  Plain text with commas in its sentences has neither. */
static int csv_score(const char *buf, size_t n, char sep)
{
	int lines = 0, empties = 0, labels = 0;
	const char two[2] = { sep, sep };
	for (size_t at = 0; at < n;) {
		/* a line ends at LF, CRLF, or CR alone (Excel for Mac) */
		const char *nl = memchr(buf + at, '\n', n - at);
		size_t lim = nl ? (size_t)(nl - buf) : n;
		const char *cr = memchr(buf + at, '\r', lim - at);
		size_t end = cr ? (size_t)(cr - buf) : lim;
		const char *l = buf + at;
		size_t ll = end - at;
		if (ll >= 3 && memcmp(l, "\xEF\xBB\xBF", 3) == 0) {	/* a BOM */
			l += 3;
			ll -= 3;
		}
		if (ll > 0)
			lines++;
		if (memmem(l, ll, two, 2))
			empties++;
		static const char *const label[] = { "项目名称", "\"项目名称\"", "主管部门", "\"主管部门\"" };
		for (size_t i = 0; i < sizeof label / sizeof label[0]; i++) {
			size_t k = strlen(label[i]);
			if (ll > k && memcmp(l, label[i], k) == 0 && l[k] == sep)
				labels++;
		}
		at = end + (end + 1 < n && buf[end] == '\r' && buf[end + 1] == '\n' ? 2 : 1);
	}
	if (labels > 0)
		return labels * 1000 + empties;
	return lines > 0 && empties * 2 >= lines && empties >= 3 ? empties : 0;
}

/* The separator: a comma, or the semicolon of Excel in locales whose
 * decimal sign is the comma (a form passed on through such a machine), or
 * the tab of Excel's "Unicode Text" (io_read.c sends that here). */
static char csv_sep(const char *buf, size_t len)
{
	size_t n = len < HEAD ? len : HEAD;
	char sep = ',';
	int best = csv_score(buf, n, ',');
	int semi = memchr(buf, ';', n) ? csv_score(buf, n, ';') : 0;
	if (semi > best) {
		sep = ';';
		best = semi;
	}
	if (memchr(buf, '\t', n) && csv_score(buf, n, '\t') > best)
		sep = '\t';
	return sep;
}

/* A CSV form: no tab in its head (tab-separated text is the text reader's),
 * and fields separated by commas or semicolons (csv_score). */
bool io_looks_csv(const char *buf, size_t len)
{
	size_t n = len < HEAD ? len : HEAD;
	if (memchr(buf, '\t', n))
		return false;
	return csv_score(buf, n, ',') > 0 || (memchr(buf, ';', n) && csv_score(buf, n, ';') > 0);
}

int io_csv_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	size_t at = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	struct table *t = table_new(NULL, true);
	struct sbuf field = { 0 };
	long line = 1;
	const char sep = csv_sep(buf, len);
	while (at < len) {
		struct trow *r = table_add_row(t, line);
		int col = 0;
		for (;;) {	/* one field */
			field.len = 0;
			if (at < len && buf[at] == '"') {
				long opened = line;
				at++;
				for (;;) {
					if (at >= len) {
						snprintf(err, errlen, _("line %ld: a quoted field is never closed (the file is cut short?)"), opened);
						free(field.s);
						table_free(t);
						return -1;
					}
					if (buf[at] == '"') {
						if (at + 1 < len && buf[at + 1] == '"') {
							sb_addn(&field, "\"", 1);
							at += 2;
							continue;
						}
						at++;
						break;
					}
					if (buf[at] == '\n')
						line++;
					if (buf[at] == '\r' && at + 1 < len && buf[at + 1] == '\n') {
						at++;	/* a line break inside a cell is "\n" */
						continue;
					}
					if (buf[at] == '\r') {	/* CR alone: Excel for Mac's break */
						sb_addn(&field, "\n", 1);
						line++;
						at++;
						continue;
					}
					sb_addn(&field, buf + at++, 1);
				}
			}
			/* unquoted, or what follows a closing quote up to the comma
			 * (kept as written: "a"b is a"b's spelling in Excel too) */
			while (at < len && buf[at] != sep && buf[at] != '\n' && buf[at] != '\r')
				sb_addn(&field, buf + at++, 1);
			if (field.len > 0)
				trow_add(r, col, field.s, field.len);
			col++;
			if (at < len && buf[at] == sep) {
				at++;
				continue;
			}
			break;
		}
		if (at < len && buf[at] == '\r')
			at++;
		if (at < len && buf[at] == '\n')
			at++;
		line++;
	}
	free(field.s);
	tables_add(out, t);
	return 0;
}
