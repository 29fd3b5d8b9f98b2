/* Unit tests of src/paths: where the catalogue and the demo data are found. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"

static char tmp[PATH_MAX];

static int make_tmp(void **state)
{
	snprintf(tmp, sizeof tmp, "%s/jxzp-paths.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(tmp) ? 0 : -1;
}

static int remove_tmp(void **state)
{
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* A folder with one demo form in it. */
static void forms_dir(const char *dir)
{
	char f[PATH_MAX];
	assert_int_equal(mkdir(dir, 0700), 0);
	int n = snprintf(f, sizeof f, "%s/a.txt", dir);
	assert_true(n > 0 && (size_t)n < sizeof f);
	FILE *fp = fopen(f, "w");
	assert_non_null(fp);
	fclose(fp);
}

static void sub(char *buf, const char *rest)
{
	int n = snprintf(buf, PATH_MAX, "%s/%s", tmp, rest);
	assert_true(n > 0 && n < PATH_MAX);
}

/* The test program itself lives in tests/unit/ of the build tree. */
static void exe_dir_is_where_the_program_is(void **state)
{
	const char *dir = paths_exe_dir();
	assert_non_null(dir);
	char want[PATH_MAX], self[PATH_MAX];
	assert_non_null(realpath("/proc/self/exe", self));
	snprintf(want, sizeof want, "%s", self);
	*strrchr(want, '/') = '\0';
	assert_string_equal(dir, want);
	size_t n = strlen(dir);
	assert_true(n >= 10 && strcmp(dir + n - 10, "tests/unit") == 0);
}

static void localedir_next_to_the_program_wins(void **state)
{
	char buf[PATH_MAX], want[PATH_MAX];
	/* Without a locale/ folder next to it: the configured one. */
	assert_string_equal(paths_find_localedir(tmp, buf, sizeof buf), LOCALEDIR);
	assert_string_equal(paths_find_localedir(NULL, buf, sizeof buf), LOCALEDIR);
	sub(want, "locale");
	assert_int_equal(mkdir(want, 0700), 0);
	assert_string_equal(paths_find_localedir(tmp, buf, sizeof buf), want);
	/* A buffer too small for the answer gives NULL, never a cut path. */
	char small[8];
	assert_null(paths_find_localedir(tmp, small, sizeof small));
}

static void localedir_never_null(void **state)
{
	const char *d = paths_localedir();
	assert_non_null(d);
	assert_ptr_equal(paths_localedir(), d);	/* computed once */
}

static void datadir_order(void **state)
{
	char buf[PATH_MAX], bin[PATH_MAX], want[PATH_MAX];
	unsetenv("JXZP_DATADIR");
	sub(bin, "bin");
	assert_int_equal(mkdir(bin, 0700), 0);

	/* Nothing next to the program: the configured folders, when they
	 * exist (the source tree's data/ always does in a build). */
	char configured[PATH_MAX];
	const char *d = paths_find_datadir(bin, configured, sizeof configured);
	assert_non_null(d);
	assert_true(strcmp(d, DEMODIR) == 0 || strcmp(d, SRCDATADIR) == 0);

	/* An installed layout: <prefix>/bin and <prefix>/share/jxzp/demo;
	 * an empty demo folder is passed over. */
	sub(want, "share");
	assert_int_equal(mkdir(want, 0700), 0);
	sub(want, "share/jxzp");
	assert_int_equal(mkdir(want, 0700), 0);
	sub(want, "share/jxzp/demo");
	assert_int_equal(mkdir(want, 0700), 0);
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), configured);
	char f[PATH_MAX];
	sub(f, "share/jxzp/demo/b.txt");
	FILE *fp = fopen(f, "w");
	assert_non_null(fp);
	fclose(fp);
	char pretty[PATH_MAX + 32];
	int n = snprintf(pretty, sizeof pretty, "%s/../share/jxzp/demo", bin);
	assert_true(n > 0 && (size_t)n < sizeof pretty);
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), pretty);

	/* The portable folder: data/ next to the program comes first. */
	sub(want, "bin/data");
	forms_dir(want);
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), want);

	/* $JXZP_DATADIR pointing nowhere is passed over... */
	setenv("JXZP_DATADIR", "/nonexistent/jxzp-demo", 1);
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), want);
	/* ...it beats the rest when it holds forms, and may name the
	 * folder that holds demo/. */
	char top[PATH_MAX];
	sub(top, "top");
	assert_int_equal(mkdir(top, 0700), 0);
	sub(want, "top/demo");
	forms_dir(want);
	setenv("JXZP_DATADIR", top, 1);
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), want);
	setenv("JXZP_DATADIR", want, 1);
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), want);
	setenv("JXZP_DATADIR", "", 1);	/* empty counts as unset */
	sub(want, "bin/data");
	assert_string_equal(paths_find_datadir(bin, buf, sizeof buf), want);
	unsetenv("JXZP_DATADIR");
}

static void datadir_source_tree_has_the_samples(void **state)
{
	char buf[PATH_MAX], f[PATH_MAX];
	unsetenv("JXZP_DATADIR");
	/* In the build tree, with no demo installed, the source data/ is found. */
	const char *d = paths_find_datadir(NULL, buf, sizeof buf);
	assert_non_null(d);
	int n = snprintf(f, sizeof f, "%s/fengtai-2023.txt", d);
	assert_true(n > 0 && (size_t)n < sizeof f);
	assert_int_equal(access(f, R_OK), 0);
}

/* With locales the system has, paths_setlocale is setlocale(LC_ALL, ""). */
static void setlocale_uses_the_system(void **state)
{
	setenv("LC_ALL", "C.UTF-8", 1);
	assert_true(paths_setlocale());
	assert_string_equal(setlocale(LC_CTYPE, NULL), "C.UTF-8");
	setenv("LC_ALL", "C", 1);
	assert_false(paths_setlocale());	/* a real, non-UTF-8 choice is kept */
	assert_string_equal(setlocale(LC_CTYPE, NULL), "C");
	/* A locale that does not exist, and no locale/C.utf8 next to the
	 * test program: nothing changes, and it says so. */
	setenv("LC_ALL", "xx_NOWHERE.UTF-8", 1);
	assert_false(paths_setlocale());
	assert_string_equal(setlocale(LC_CTYPE, NULL), "C");
	assert_null(getenv("LOCPATH"));
	unsetenv("LC_ALL");
	setlocale(LC_ALL, "C");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exe_dir_is_where_the_program_is),
		cmocka_unit_test_setup_teardown(localedir_next_to_the_program_wins, make_tmp, remove_tmp),
		cmocka_unit_test(localedir_never_null),
		cmocka_unit_test_setup_teardown(datadir_order, make_tmp, remove_tmp),
		cmocka_unit_test(datadir_source_tree_has_the_samples),
		cmocka_unit_test(setlocale_uses_the_system),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
