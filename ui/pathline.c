/*
 * pathline: see pathline.h.  One scanner reads the line the way both the
 * split and Tab completion need it: each word's text as the file system
 * knows it, and the same as a glob(3) pattern with what was quoted escaped.
 */
#include "config.h"
#include "pathline.h"

#include <dirent.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct buf {
	char *s;
	size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			abort();	/* out of memory */
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void putc1(struct buf *b, char c) { put(b, &c, 1); }

static char *take(struct buf *b)
{
	if (!b->s)
		put(b, "", 0);
	char *s = b->s;
	memset(b, 0, sizeof *b);
	return s;
}

static const char *home(void)
{
	const char *h = getenv("HOME");
	return h && *h ? h : NULL;
}

static bool is_meta(char c) { return c == '*' || c == '?' || c == '['; }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n'; }

/* One word: its text, its pattern, and how it was written. */
struct word {
	struct buf lit, pat;
	size_t start;		/* byte offset in the line */
	bool glob;		/* an unquoted * ? [ */
	bool tilde;		/* began with ~ standing for the home folder */
	char quote;		/* the quote open at the end (or at the cursor), 0 none */
};

/* A character of the word: c taken as it is (quoted) or not. */
static void add(struct word *w, char c, bool quoted)
{
	putc1(&w->lit, c);
	if (quoted && (is_meta(c) || c == '\\'))
		putc1(&w->pat, '\\');
	else if (!quoted && is_meta(c))
		w->glob = true;
	putc1(&w->pat, c);
}

/* Reads the word starting at *p (no space there), up to end (a space
 * outside quotes, or the byte end).  *p moves past it. */
static void read_word(const char *line, size_t *p, size_t end, struct word *w)
{
	memset(w, 0, sizeof *w);
	w->start = *p;
	size_t i = *p;
	char q = 0;
	while (i < end) {
		char c = line[i];
		if (q == 0 && is_space(c))
			break;
		/* The prompt starts with a folder written in: a path typed after
		 * it starts again, as in Emacs, at "//" (the root) or "/~/" (home),
		 * so "/tmp/si//etc/x" is /etc/x and "/tmp/si/~/x" is ~/x. */
		bool fresh = i == w->start || (q == 0 && w->lit.len > 0 && w->lit.s[w->lit.len - 1] == '/');
		if (q == 0 && fresh && c == '~' && (i + 1 >= end || line[i + 1] == '/' || is_space(line[i + 1])) &&
		    home()) {
			w->lit.len = w->pat.len = 0;
			w->glob = false;
			for (const char *h = home(); *h; h++)
				add(w, *h, true);
			w->tilde = true;
			i++;
			continue;
		}
		if (q == 0 && c == '/' && i > w->start && w->lit.len > 0 && w->lit.s[w->lit.len - 1] == '/' &&
		    line[i - 1] == '/') {
			w->lit.len = w->pat.len = 0;	/* "//": from the root */
			w->glob = false;
		}
		if (q == 0 && (c == '"' || c == '\'')) {
			q = c;
			i++;
		} else if (q && c == q) {
			q = 0;
			i++;
		} else if (c == '\\' && q != '\'' && i + 1 < end &&
			   (q == 0 || line[i + 1] == '"' || line[i + 1] == '\\')) {
			add(w, line[i + 1], true);
			i += 2;
		} else {
			add(w, c, q != 0);
			i++;
		}
	}
	w->quote = q;
	*p = i;
}

static void word_free(struct word *w)
{
	free(w->lit.s);
	free(w->pat.s);
}

static void push(struct pl_paths *out, char *path, bool nomatch)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 8;
		out->v = realloc(out->v, out->cap * sizeof *out->v);
		if (!out->v)
			abort();
	}
	out->v[out->n++] = (struct pl_path){ path, nomatch };
}

void pl_split(const char *line, struct pl_paths *out)
{
	memset(out, 0, sizeof *out);
	size_t end = strlen(line), i = 0;
	for (;;) {
		while (i < end && is_space(line[i]))
			i++;
		if (i >= end)
			break;
		struct word w;
		read_word(line, &i, end, &w);
		glob_t g;
		memset(&g, 0, sizeof g);
		if (w.glob && glob(w.pat.s, 0, NULL, &g) == 0) {
			for (size_t k = 0; k < g.gl_pathc; k++) {
				size_t l = strlen(g.gl_pathv[k]);
				char *s = malloc(l + 1);
				if (!s)
					abort();
				memcpy(s, g.gl_pathv[k], l + 1);
				push(out, s, false);
			}
			globfree(&g);
			word_free(&w);
		} else {
			bool nomatch = w.glob;
			if (w.glob)
				globfree(&g);
			push(out, take(&w.lit), nomatch);
			word_free(&w);
		}
	}
}

void pl_paths_free(struct pl_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	memset(p, 0, sizeof *p);
}

char *pl_quote(const char *path, bool open)
{
	struct buf b = { 0 };
	const char *rest = path, *h = home();
	size_t hl = h ? strlen(h) : 0;
	if (h && strncmp(path, h, hl) == 0 && (path[hl] == '/' || path[hl] == 0) && hl > 1) {
		put(&b, path[hl] ? "~/" : "~", path[hl] ? 2 : 1);
		rest = path + hl + (path[hl] ? 1 : 0);
	}
	bool needs = rest == path && rest[0] == '~';
	for (const char *s = rest; *s && !needs; s++)
		needs = is_space(*s) || *s == '"' || *s == '\'' || *s == '\\' || is_meta(*s);
	if (!needs) {
		put(&b, rest, strlen(rest));
		return take(&b);
	}
	putc1(&b, '"');
	for (const char *s = rest; *s; s++) {
		if (*s == '"' || *s == '\\')
			putc1(&b, '\\');
		putc1(&b, *s);
	}
	if (!open)
		putc1(&b, '"');
	return take(&b);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The length of what a and b share, on a UTF-8 character boundary. */
static size_t shared(const char *a, const char *b)
{
	size_t n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	while (n > 0 && ((unsigned char)a[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void pl_complete(const char *line, size_t cur, struct pl_completion *c)
{
	memset(c, 0, sizeof *c);
	size_t len = strlen(line);
	if (cur > len)
		cur = len;
	/* the word the cursor is in (or a new one, after a space) */
	size_t i = 0;
	struct word w = { 0 };
	bool have = false;
	for (;;) {
		while (i < cur && is_space(line[i]))
			i++;
		if (have)
			word_free(&w);
		have = false;
		if (i >= cur) {
			memset(&w, 0, sizeof w);
			w.start = cur;
			have = true;
			break;
		}
		read_word(line, &i, cur, &w);
		have = true;
		if (i >= cur)
			break;
	}
	const char *lit = w.lit.s ? w.lit.s : "";
	const char *slash = strrchr(lit, '/');
	size_t dl = slash ? (size_t)(slash - lit) + 1 : 0;
	char *dir = malloc(dl + 2);
	if (!dir)
		abort();
	memcpy(dir, lit, dl);
	dir[dl] = 0;
	const char *base = lit + dl;
	size_t bl = strlen(base);
	DIR *d = opendir(dl ? dir : ".");
	size_t cap = 0;
	bool only_dir = false;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			const char *nm = e->d_name;
			if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0)
				continue;
			if (strncmp(nm, base, bl) != 0 || (nm[0] == '.' && base[0] != '.'))
				continue;
			size_t nl = strlen(nm);
			char *full = malloc(dl + nl + 1);
			if (!full)
				abort();
			memcpy(full, dir, dl);
			memcpy(full + dl, nm, nl + 1);
			struct stat st;
			bool isdir = stat(full, &st) == 0 && S_ISDIR(st.st_mode);
			free(full);
			if (c->n == cap) {
				cap = cap ? cap * 2 : 16;
				c->names = realloc(c->names, cap * sizeof *c->names);
				if (!c->names)
					abort();
			}
			char *s = malloc(nl + 2);
			if (!s)
				abort();
			memcpy(s, nm, nl);
			s[nl] = isdir ? '/' : 0;
			s[nl + 1] = 0;
			c->names[c->n++] = s;
			only_dir = isdir;
		}
		closedir(d);
	}
	if (c->n) {
		qsort(c->names, c->n, sizeof *c->names, by_name);
		size_t keep = strlen(c->names[0]);
		for (size_t k = 1; k < c->n; k++) {
			size_t s = shared(c->names[0], c->names[k]);
			keep = s < keep ? s : keep;
		}
		struct buf nl = { 0 };
		put(&nl, dir, dl);
		put(&nl, c->names[0], keep);
		char *full = take(&nl);
		/* one file: whole, its quote closed and a space after it; a
		 * folder, or the part several names share: the quote open */
		bool one = c->n == 1;
		char *q = pl_quote(full, !one || only_dir);
		struct buf t = { 0 };
		put(&t, q, strlen(q));
		if (one && !only_dir && (cur >= len || !is_space(line[cur])))
			putc1(&t, ' ');
		free(q);
		free(full);
		c->text = take(&t);
		c->from = w.start;
		c->to = cur;
		if (one) {
			free(c->names[0]);
			free(c->names);
			c->names = NULL;
			c->n = 0;
		}
	}
	free(dir);
	word_free(&w);
}

void pl_completion_free(struct pl_completion *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->names[i]);
	free(c->names);
	free(c->text);
	memset(c, 0, sizeof *c);
}
