/* io_xlsx: STUB until the textio branch lands. */
#include "config.h"
#include "io.h"
#include <stdio.h>

int io_xlsx_write(const char *path, struct form *const *forms, size_t n,
		  char *err, size_t errlen)
{
	(void)path; (void)forms; (void)n;
	snprintf(err, errlen, "XLSX export is not built yet");
	return -1;
}
