/* slurp: see slurp.h. */
#include "config.h"
#include "slurp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *slurp(const char *path, size_t *len, int *errnum, bool *at_open)
{
	bool in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "rb");
	*at_open = true;
	if (!f) {
		*errnum = errno;
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		*errnum = EISDIR;
		*at_open = false;
		if (!in)
			fclose(f);
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		abort();
	for (;;) {
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
		if (n + 1 == cap) {
			cap *= 2;
			char *p = realloc(buf, cap);
			if (!p)
				abort();
			buf = p;
		}
	}
	int bad = ferror(f);
	int saved = errno;
	if (!in)
		fclose(f);
	if (bad) {
		*errnum = saved;
		*at_open = false;
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}
