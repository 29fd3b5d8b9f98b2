/* io_print: STUB until the textio branch lands. */
#include "config.h"
#include "io.h"

int io_print_write(FILE *out, const struct form *f, int width)
{
	(void)out; (void)f; (void)width;
	return -1;
}
