/*
 * fuzz_pathline: libFuzzer target for ui/pathline, the import prompt's line.
 * Any line splits and completes at any cursor without a fault; and any
 * name written by pl_quote reads back through pl_split as exactly that name
 * (what Tab writes is what is imported).  Patterns are expanded in a
 * scratch folder only: '/' is taken out of the split input, so a pattern
 * never walks the file system.
 * Build and run: tests/fuzz/run_pathline.sh [seconds]
 */
#include "config.h"
#include "pathline.h"

#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[] = "/tmp/fuzz_pathline.XXXXXX";
static const char *const names[] = { "a b.xlsx", "a\"c.txt", "中文 表.xls", "[x].pdf", "~home" };
#define NNAMES (sizeof names / sizeof names[0])

static void cleanup(void)
{
	for (size_t i = 0; i < NNAMES; i++)
		unlink(names[i]);
	if (chdir("/") == 0)
		rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!mkdtemp(dir) || chdir(dir) != 0)
		abort();
	atexit(cleanup);
	for (size_t i = 0; i < NNAMES; i++) {
		FILE *f = fopen(names[i], "w");
		if (f)
			fclose(f);
	}
	setenv("HOME", dir, 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	assert(s);
	memcpy(s, data, size);
	s[size] = 0;
	size_t n = strlen(s);	/* up to the first NUL, as a typed line */

	/* a name, quoted and read back */
	if (n > 0) {
		char *q = pl_quote(s, false);
		struct pl_paths p;
		pl_split(q, &p);
		assert(p.n == 1);
		assert(strcmp(p.v[0].path, s) == 0);
		assert(!p.v[0].nomatch);
		pl_paths_free(&p);
		free(q);
	}

	/* any line, in this folder only */
	for (size_t i = 0; i < n; i++)
		if (s[i] == '/')
			s[i] = '_';
	struct pl_paths p;
	pl_split(s, &p);
	pl_paths_free(&p);
	for (size_t cur = 0; cur <= n; cur += 1 + n / 8) {
		struct pl_completion c;
		pl_complete(s, cur, &c);
		assert(!c.text || (c.from <= c.to && c.to <= n));
		pl_completion_free(&c);
	}
	free(s);
	return 0;
}
