/*
 * paths: the catalogue and demo-data lookup of paths.h.
 *
 * Why not just LOCALEDIR: the portable build is unpacked by a user into any
 * folder, with no root and no install step, and must still speak Chinese.
 * Why AT_EXECFN as well as /proc/self/exe: a chroot or a locked-down
 * container may have no /proc; the kernel still hands every process the path
 * it was executed by, in the auxiliary vector.
 */
#include "config.h"
#include "paths.h"

#include <assert.h>
#include <dirent.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif
/* Set by Makefile.am: the installed demo folder and the source tree's data/. */
#ifndef DEMODIR
#define DEMODIR NULL
#endif
#ifndef SRCDATADIR
#define SRCDATADIR NULL
#endif

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A folder of demo forms holds at least one .txt file: an empty or foreign
 * folder that happens to be there is passed over. */
static bool has_forms(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		found = n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0;
	}
	closedir(d);
	return found;
}

/* "a/b/c" -> "a/b" in place; "/c" -> "/". */
static void strip_last(char *path)
{
	char *slash = strrchr(path, '/');
	assert(slash != NULL);
	if (slash == path)
		slash[1] = '\0';
	else
		*slash = '\0';
}

/* Writes "<dir>/<rest>" into buf; false when it does not fit. */
static bool join(char *buf, size_t len, const char *dir, const char *rest)
{
	int n = snprintf(buf, len, "%s/%s", dir, rest);
	return n >= 0 && (size_t)n < len;
}

const char *paths_exe_dir(void)
{
	static char dir[PATH_MAX];
	static int state;	/* 0 not looked yet, 1 found, -1 not found */

	if (state == 0) {
		state = -1;
		ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
		if (n > 0 && dir[0] == '/') {
			dir[n] = '\0';
			strip_last(dir);
			state = 1;
		} else {
			/* A relative start-up path is relative to the directory we
			 * were started in, which is still the current one: this
			 * runs before anything could chdir. */
			const char *fn = (const char *)getauxval(AT_EXECFN);
			if (fn && strchr(fn, '/') && realpath(fn, dir)) {
				strip_last(dir);
				state = 1;
			}
		}
	}
	return state == 1 ? dir : NULL;
}

const char *paths_find_localedir(const char *exe_dir, char *buf, size_t len)
{
	if (exe_dir && join(buf, len, exe_dir, "locale") && is_dir(buf))
		return buf;
	int n = snprintf(buf, len, "%s", LOCALEDIR);
	return n >= 0 && (size_t)n < len ? buf : NULL;
}

const char *paths_find_datadir(const char *exe_dir, char *buf, size_t len)
{
	/* $JXZP_DATADIR may name the demo folder or the folder holding it;
	 * pointing nowhere, it is passed over like any other candidate (the
	 * command line's tests count on that). */
	const char *env = getenv("JXZP_DATADIR");
	if (env && *env) {
		if (join(buf, len, env, "demo") && has_forms(buf))
			return buf;
		int n = snprintf(buf, len, "%s", env);
		if (n >= 0 && (size_t)n < len && has_forms(buf))
			return buf;
	}
	static const char *const next_to_exe[] = { "data", "../share/jxzp/demo" };
	for (size_t i = 0; exe_dir && i < sizeof next_to_exe / sizeof *next_to_exe; i++)
		if (join(buf, len, exe_dir, next_to_exe[i]) && has_forms(buf))
			return buf;
	static const char *const built_in[] = { DEMODIR, SRCDATADIR };
	for (size_t i = 0; i < sizeof built_in / sizeof *built_in; i++) {
		if (!built_in[i])
			continue;
		int n = snprintf(buf, len, "%s", built_in[i]);
		if (n >= 0 && (size_t)n < len && has_forms(buf))
			return buf;
	}
	return NULL;
}

const char *paths_localedir(void)
{
	static char buf[PATH_MAX];
	static const char *dir;
	if (!dir)
		dir = paths_find_localedir(paths_exe_dir(), buf, sizeof buf);
	if (!dir)
		dir = LOCALEDIR;	/* a path longer than PATH_MAX: use the default */
	return dir;
}

const char *paths_datadir(void)
{
	static char buf[PATH_MAX];
	static const char *dir;
	static bool looked;
	if (!looked) {
		dir = paths_find_datadir(paths_exe_dir(), buf, sizeof buf);
		looked = true;
	}
	return dir;
}

static bool ctype_is_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

bool paths_setlocale(void)
{
	if (setlocale(LC_ALL, "") != NULL)
		return ctype_is_utf8();
	/* Nothing changed: every category is still "C".  LOCPATH makes
	 * setlocale look in our folder only, so it is set just for these
	 * two calls. */
	char dir[PATH_MAX], probe[PATH_MAX];
	const char *exe = paths_exe_dir();
	if (exe && join(dir, sizeof dir, exe, "locale") && join(probe, sizeof probe, dir, "C.utf8")
	    && is_dir(probe)) {
		const char *old = getenv("LOCPATH");
		char *saved = old ? strdup(old) : NULL;
		if (setenv("LOCPATH", dir, 1) == 0) {
			if (setlocale(LC_CTYPE, "C.UTF-8"))
				setlocale(LC_MESSAGES, "C.UTF-8");
			if (saved)
				setenv("LOCPATH", saved, 1);
			else
				unsetenv("LOCPATH");
		}
		free(saved);
	}
	return ctype_is_utf8();
}
