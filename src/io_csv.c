/* io_csv: STUB until the textio branch lands. */
#include "config.h"
#include "io.h"

int io_csv_write(FILE *out, struct form *const *forms, size_t n)
{
	(void)out; (void)forms; (void)n;
	return -1;
}
