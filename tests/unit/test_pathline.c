/* Unit tests of ui/pathline: the import prompt's paths (split, quotes,
 * patterns) and Tab completion, on a folder of files made here. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pathline.h"

static char dir[256];

static void touch(const char *name)
{
	char p[512];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/pathline.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	touch("丰台 2023.xlsx");
	touch("丰台 2024.xlsx");
	touch("朝阳.xls");
	touch("a\"b.txt");
	touch(".hidden");
	char p[512];
	snprintf(p, sizeof p, "%s/子目录", dir);
	mkdir(p, 0700);
	setenv("HOME", dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void split_quotes_and_escapes(void **state)
{
	(void)state;
	struct pl_paths p;
	pl_split("  a.xlsx \"b c.xls\" 'd \"e'  f\\ g \"h\\\"i\\\\\" ", &p);
	assert_int_equal(p.n, 5);
	assert_string_equal(p.v[0].path, "a.xlsx");
	assert_string_equal(p.v[1].path, "b c.xls");
	assert_string_equal(p.v[2].path, "d \"e");
	assert_string_equal(p.v[3].path, "f g");
	assert_string_equal(p.v[4].path, "h\"i\\");
	pl_paths_free(&p);
	pl_split("   ", &p);
	assert_int_equal(p.n, 0);
	pl_paths_free(&p);
	pl_split("\"open quote", &p);	/* a quote never closed ends with the line */
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].path, "open quote");
	pl_paths_free(&p);
}

static void split_home_and_patterns(void **state)
{
	(void)state;
	struct pl_paths p;
	pl_split("~/*.xlsx ~/\"*.xls\" ~/nothing*.pdf", &p);
	assert_int_equal(p.n, 4);
	char want[512];
	snprintf(want, sizeof want, "%s/丰台 2023.xlsx", dir);
	assert_string_equal(p.v[0].path, want);
	assert_false(p.v[0].nomatch);
	snprintf(want, sizeof want, "%s/丰台 2024.xlsx", dir);
	assert_string_equal(p.v[1].path, want);
	snprintf(want, sizeof want, "%s/*.xls", dir);	/* quoted: the name itself */
	assert_string_equal(p.v[2].path, want);
	assert_false(p.v[2].nomatch);
	snprintf(want, sizeof want, "%s/nothing*.pdf", dir);
	assert_string_equal(p.v[3].path, want);
	assert_true(p.v[3].nomatch);
	pl_paths_free(&p);
}

static void quote_what_needs_it(void **state)
{
	(void)state;
	char in[512];
	char *q = pl_quote("/tmp/plain.xlsx", false);
	assert_string_equal(q, "/tmp/plain.xlsx");
	free(q);
	q = pl_quote("/tmp/my dir/", true);
	assert_string_equal(q, "\"/tmp/my dir/");
	free(q);
	q = pl_quote("/tmp/a\"b", false);
	assert_string_equal(q, "\"/tmp/a\\\"b\"");
	free(q);
	snprintf(in, sizeof in, "%s/丰台 2023.xlsx", dir);
	q = pl_quote(in, false);
	assert_string_equal(q, "~/\"丰台 2023.xlsx\"");
	/* and it reads back as the same path */
	struct pl_paths p;
	pl_split(q, &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.v[0].path, in);
	pl_paths_free(&p);
	free(q);
}

/* line with Tab at its end: the line after it */
static char *tab(const char *line, struct pl_completion *c)
{
	pl_complete(line, strlen(line), c);
	if (!c->text)
		return NULL;
	size_t n = c->from + strlen(c->text) + strlen(line + c->to) + 1;
	char *out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)c->from, line, c->text, line + c->to);
	return out;
}

static void complete_names(void **state)
{
	(void)state;
	struct pl_completion c;
	char *l = tab("~/朝", &c);	/* one file: whole, a space after it */
	assert_string_equal(l, "~/朝阳.xls ");
	assert_int_equal(c.n, 0);
	free(l);
	pl_completion_free(&c);

	l = tab("x.txt ~/丰", &c);	/* two: what they share, quote open, both listed */
	assert_string_equal(l, "x.txt ~/\"丰台 202");
	assert_int_equal(c.n, 2);
	assert_string_equal(c.names[0], "丰台 2023.xlsx");
	assert_string_equal(c.names[1], "丰台 2024.xlsx");
	pl_completion_free(&c);
	char *l2 = tab(l, &c);		/* the open quote read back: nothing more shared */
	assert_string_equal(l2, l);
	assert_int_equal(c.n, 2);
	pl_completion_free(&c);
	free(l2);
	size_t n = strlen(l);
	char *l3 = malloc(n + 2);
	snprintf(l3, n + 2, "%s4", l);
	l2 = tab(l3, &c);		/* one left: the quote closed */
	assert_string_equal(l2, "x.txt ~/\"丰台 2024.xlsx\" ");
	pl_completion_free(&c);
	free(l2);
	free(l3);
	free(l);

	l = tab("~/子", &c);		/* a folder: "/" after it, no space */
	assert_string_equal(l, "~/子目录/");
	free(l);
	pl_completion_free(&c);

	l = tab("~/a", &c);		/* a quote in the name is escaped */
	assert_string_equal(l, "~/\"a\\\"b.txt\" ");
	free(l);
	pl_completion_free(&c);

	l = tab("~/zz", &c);		/* nothing fits: nothing changes */
	assert_null(l);
	assert_int_equal(c.n, 0);
	pl_completion_free(&c);

	l = tab("~/.h", &c);		/* hidden files only when asked for */
	assert_string_equal(l, "~/.hidden ");
	free(l);
	pl_completion_free(&c);
}

/* A path typed after the folder the prompt starts with starts again at
 * "//" (the root) or "/~/" (home), as in Emacs; quoted, they are names. */
static void split_typed_over_the_folder(void **state)
{
	(void)state;
	struct pl_paths p;
	char line[1024], want[512];
	snprintf(line, sizeof line, "/var/empty//%s/*.xls /tmp/x/~/\"丰台 2023.xlsx\" \"/a//b\" /a/b~/c", dir);
	pl_split(line, &p);
	assert_int_equal(p.n, 4);
	snprintf(want, sizeof want, "%s/朝阳.xls", dir);
	assert_string_equal(p.v[0].path, want);
	assert_false(p.v[0].nomatch);
	snprintf(want, sizeof want, "%s/丰台 2023.xlsx", dir);
	assert_string_equal(p.v[1].path, want);
	assert_string_equal(p.v[2].path, "/a//b");
	assert_string_equal(p.v[3].path, "/a/b~/c");	/* ~ inside a name is a name */
	pl_paths_free(&p);

	struct pl_completion c;
	char *l = tab("/var/empty/~/朝", &c);	/* completed from home, the folder before it gone */
	assert_non_null(l);
	assert_string_equal(l, "~/朝阳.xls ");
	free(l);
	pl_completion_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(split_quotes_and_escapes),
		cmocka_unit_test(split_home_and_patterns),
		cmocka_unit_test(quote_what_needs_it),
		cmocka_unit_test(complete_names),
		cmocka_unit_test(split_typed_over_the_folder),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
