/*
 * io_csv: forms as CSV, one row per indicator, for spreadsheets and scripts.
 *
 * Promises: UTF-8 with a byte-order mark (so that spreadsheet programs
 * recognise UTF-8), RFC 4180 (CRLF line ends; a field holding a quote, a
 * comma, CR or LF is quoted, quotes doubled), values exactly as stored.
 *
 * The header row uses the canonical field names of spec/form.md ("year",
 * "level1", "unit_of_measure"...), not the official labels: one name, one
 * meaning across C, SQL, JSON and CSV, the same in every layout and language,
 * and a script can address a column without knowing Chinese labels.  The
 * official labels are what the printable and XLSX exports show.  The columns
 * are the superset of all layouts (a file may hold forms of several); a
 * layout without 绩效指标性质 / 绩效度量单位 leaves them empty.  A form
 * without indicator rows still gets one row, so that no form is lost.
 */
#include "config.h"
#include "io.h"

#include <stdio.h>
#include <string.h>

static void field(FILE *out, const char *s, bool last)
{
	if (!s)
		s = "";
	if (strpbrk(s, "\",\r\n")) {
		fputc('"', out);
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

/* Form identity first, then the indicator's columns. */
static const char *const ident[] = { "year", "unit", "department", "project", "layout", "row" };
#define N_IDENT (sizeof ident / sizeof *ident)

static void row(FILE *out, const struct form *f, const struct indicator *in, size_t n)
{
	char year[16], num[24];
	snprintf(year, sizeof year, "%d", f->year);
	if (in)
		snprintf(num, sizeof num, "%zu", n + 1);
	else
		num[0] = '\0';
	const char *id[N_IDENT] = { year, f->unit, f->department, f->project, f->layout, num };
	for (size_t k = 0; k < N_IDENT; k++)
		field(out, id[k], false);
	for (int k = 0; k < IND_FIELDS; k++)
		field(out, in ? in->v[k] : NULL, k == IND_FIELDS - 1);
}

int io_csv_write(FILE *out, struct form *const *forms, size_t n)
{
	if (!out)
		return -1;
	io_csv_write_head(out);
	for (size_t i = 0; i < n; i++)
		io_csv_write_form(out, forms[i]);
	return ferror(out) ? -1 : 0;
}

void io_csv_write_head(FILE *out)
{
	fputs("\xEF\xBB\xBF", out);
	for (size_t k = 0; k < N_IDENT; k++)
		field(out, ident[k], false);
	for (int k = 0; k < IND_FIELDS; k++)
		field(out, ind_field_key[k], k == IND_FIELDS - 1);
}

int io_csv_write_form(FILE *out, const struct form *f)
{
	if (f->n_ind == 0)
		row(out, f, NULL, 0);
	for (size_t r = 0; r < f->n_ind; r++)
		row(out, f, &f->ind[r], r);
	return ferror(out) ? -1 : 0;
}
