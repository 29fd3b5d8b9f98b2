/* target: STUB until the rules branch lands; reads nothing. */
#include "config.h"
#include "target.h"
#include <string.h>

const char *const nature_symbol[5] = { "", "≥", "≤", "=", "定性" };

void target_read(const char *text, const char *nature_col, const char *unit_col,
		 struct reading *out)
{
	(void)nature_col; (void)unit_col;
	memset(out, 0, sizeof *out);
	out->kind = text && *text ? READ_TEXT : READ_EMPTY;
}
