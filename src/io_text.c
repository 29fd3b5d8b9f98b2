/* io_text: STUB until the textio branch lands. */
#include "config.h"
#include "io.h"
#include <string.h>

bool io_looks_json(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	return i < len && (buf[i] == '{' || buf[i] == '[');
}

int io_text_read(const char *buf, size_t len, const char *name, struct io_result *out)
{
	(void)buf; (void)len; (void)name;
	memset(out, 0, sizeof *out);
	return -1;
}
