/*
 * numfmt: a spreadsheet number as its number format shows it (pure).
 *
 * "0.00%" shows 0.895 as "89.50%", "0.000000" shows 200 as "200.000000",
 * "#,##0.00" groups thousands, "0.00E+00" is scientific, date and time
 * formats (yyyy m d h mm ss, 年月日 literals) show the date, General shows
 * the shortest decimal that reads back as the same double (738.62892, never
 * 738.62892000000005).  Rounding is half away from zero on that exact
 * decimal, as Excel shows it.  Colours and conditions are ignored; a
 * format this does not know shows the number as General.
 */
#ifndef JXZP_NUMFMT_H
#define JXZP_NUMFMT_H

#include <stdbool.h>

/* The format code of a built-in numFmtId (0-163), or NULL for General. */
const char *numfmt_builtin(int id);
/* Whether a format code shows dates or times. */
bool numfmt_is_date(const char *code);
/* v: the stored value ("0.895"); code: the format code or NULL (General).
 * date1904: the workbook counts days from 1904.  Caller frees. */
char *numfmt_show(const char *v, const char *code, bool date1904);

#endif
