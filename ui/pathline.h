/*
 * pathline: a line of file paths as the import prompt takes them, without
 * curses.  Paths are separated by spaces; a path with spaces in it is put
 * in quotes ("..." with \" and \\ inside, or '...'), a backslash takes the
 * next character as it is, ~/ at a path's start is the home folder, and an
 * unquoted * ? [...] is a pattern (glob(3)) for the files it matches.  Tab
 * completion writes the quotes a name needs, so nobody has to know them.
 * Pure but for the file system it reads; tests/unit/test_pathline.c drives it.
 */
#ifndef JXZP_PATHLINE_H
#define JXZP_PATHLINE_H

#include <stdbool.h>
#include <stddef.h>

struct pl_path {
	char *path;	/* a file name, quotes and ~ resolved */
	bool nomatch;	/* a pattern that matched no file: path is as typed */
};

struct pl_paths {
	struct pl_path *v;
	size_t n, cap;
};

/* The paths of line, patterns expanded (each pattern's files sorted). */
void pl_split(const char *line, struct pl_paths *out);
void pl_paths_free(struct pl_paths *p);

/* What Tab does at byte cur of line: the bytes [from, to) become text
 * (NULL: nothing to change).  More than one name fits: names (a folder's
 * with "/" after it, sorted) for the prompt to show, and text takes the
 * part they share. */
struct pl_completion {
	size_t from, to;
	char *text;
	char **names;
	size_t n;
};
void pl_complete(const char *line, size_t cur, struct pl_completion *c);
void pl_completion_free(struct pl_completion *c);

/* path written for the line: quoted when it needs it, ~/ for the home
 * folder; open leaves that quote open (a folder whose files come next,
 * or the part several names share).  Caller frees. */
char *pl_quote(const char *path, bool open);

#endif
