/*
 * importview: see importview.h.
 *
 * The prompt starts in the folder the last import came from (else the
 * current one), so Tab lists its files at once; after a file failed, it
 * starts with the files that failed, to mend and try again.  Folders,
 * devices and pipes (reading one would never end), "-" taken as a file,
 * never the terminal, and patterns that match nothing are handled here;
 * everything else (missing, unreadable, damaged files, a format this
 * build lacks, forms already in the database, a locked database) is
 * import_file's message, the command line's words.  A file is one
 * transaction: a failure keeps the database as it was.
 *
 * While a file runs, the status line says which (n of m) and how far, at
 * most about 20 times a second and always at the end.  Everything from a
 * file or its forms is scrubbed before it is drawn.
 */
#include "config.h"
#include "importview.h"
#include "draw.h"
#include "edit.h"
#include "form.h"
#include "i18n.h"
#include "import.h"
#include "pathline.h"
#include "ustr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *last_dir;		/* the folder of the last file imported */
static char *retry_line;	/* the line of an import that had a failure */

void iv_done(void)
{
	free(last_dir);
	free(retry_line);
	last_dir = retry_line = NULL;
}

/* ---- the prompt --------------------------------------------------------------- */

static void show_names(int y, int x, int w, int rows, char **names, size_t n)
{
	int colw = 0;
	for (size_t i = 0; i < n; i++) {
		char *t = ustr_scrub(names[i], false);
		int tw = ustr_width(t);
		colw = tw > colw ? tw : colw;
		free(t);
	}
	colw += 2;
	if (colw > w)
		colw = w;
	int cols = w / colw > 0 ? w / colw : 1;
	size_t fit = (size_t)rows * (size_t)cols;
	bool more = n > fit;
	if (more)
		fit -= 1;	/* the last place says how many more */
	for (size_t i = 0; i < n && i < fit; i++) {
		char *t = ustr_scrub(names[i], false);
		int r = (int)(i / (size_t)cols), c = (int)(i % (size_t)cols);
		draw_text(y + r, x + c * colw, colw, t, strlen(t), AL_LEFT, A_NORMAL);
		free(t);
	}
	if (more) {
		char buf[64];
		snprintf(buf, sizeof buf, _("… %zu more"), n - fit);
		int r = (int)(fit / (size_t)cols), c = (int)(fit % (size_t)cols);
		draw_text(y + r, x + c * colw, colw, buf, strlen(buf), AL_LEFT, draw_attr(ST_DIM));
	}
}

/* The line after Tab at the cursor; names get what fits when several do,
 * note says when nothing does. */
static void complete(struct ebuf *e, struct pl_completion *names, const char **note)
{
	pl_completion_free(names);
	struct pl_completion c;
	pl_complete(e->s, e->cur, &c);
	if (!c.text) {
		*note = _("No file or folder begins with that.");
		pl_completion_free(&c);
		return;
	}
	size_t n = c.from + strlen(c.text) + (e->len - c.to) + 1;
	char *s = malloc(n);
	if (!s)
		abort();
	snprintf(s, n, "%.*s%s%s", (int)c.from, e->s, c.text, e->s + c.to);
	size_t cur = c.from + strlen(c.text);
	eb_set(e, s);
	e->cur = cur <= e->len ? cur : e->len;
	free(s);
	free(c.text);
	c.text = NULL;
	*names = c;
}

/* The first line: what the last import left, else the folder to start in. */
static char *first_line(void)
{
	if (retry_line)
		return xstrdup(retry_line);
	char cwd[4096];
	const char *d = last_dir ? last_dir : getcwd(cwd, sizeof cwd) ? cwd : ".";
	size_t l = strlen(d);
	char *withslash = malloc(l + 2);
	if (!withslash)
		abort();
	snprintf(withslash, l + 2, "%s%s", d, l && d[l - 1] == '/' ? "" : "/");
	char *q = pl_quote(withslash, true);
	free(withslash);
	return q;
}

/* The paths to import, as typed; NULL on Esc. */
static char *ask(struct app *a)
{
	struct ebuf e;
	char *init = first_line();
	eb_init(&e, init, false);
	free(init);
	struct pl_completion names = { 0 };
	const char *note = NULL;
	char *answer = NULL;
	for (;;) {
		if (!app_size_ok()) {	/* only the message, until it is large again */
			refresh();
			if (app_getkey(a) == K_ESC)
				break;
			continue;
		}
		int w = COLS - 4 < 100 ? COLS - 4 : 100, tw = w - 4;
		int list_rows = LINES - 14 > 0 ? LINES - 14 : 0;
		int need = 0;	/* rows the names take */
		if (names.n) {
			int colw = 2;
			for (size_t i = 0; i < names.n; i++) {
				int nw = ustr_width(names.names[i]) + 2;
				colw = nw > colw ? nw : colw;
			}
			int cols = colw < tw ? tw / colw : 1;
			need = (int)((names.n + (size_t)cols - 1) / (size_t)cols);
			need = need < list_rows ? need : list_rows;
		}
		int h = 8 + need + (need ? 1 : 0);
		int y = (LINES - h) / 2, x = (COLS - w) / 2;
		draw_clip(0, LINES);
		draw_frame(y, x, h, w, A_NORMAL);
		char tb[256];
		snprintf(tb, sizeof tb, " %s ", _("Import files"));
		draw_text(y, x + 2, ustr_width(tb) < tw ? ustr_width(tb) : tw, tb, strlen(tb), AL_LEFT, A_BOLD);
		const char *prompt = _("Files to import (several: spaces between; * for many; Tab completes):");
		draw_text(y + 1, x + 2, tw, prompt, strlen(prompt), AL_LEFT, A_NORMAL);
		/* the line wrapped in three rows; the cursor's row always shown */
		char *shown = ustr_scrub(e.s, false);
		size_t st[256], ln[256];
		size_t nl = ustr_wrap(shown, tw, st, ln, 256);
		int cl, cc;
		eb_cursor_pos(&e, tw, &cl, &cc);
		int top = cl >= 3 ? cl - 2 : 0;
		for (int l = 0; l < 3; l++) {
			size_t i = (size_t)(top + l);
			const char *s = i < nl && i < 256 ? shown + st[i] : "";
			size_t n = i < nl && i < 256 ? ln[i] : 0;
			draw_text(y + 2 + l, x + 2, tw, s, n, AL_LEFT, A_UNDERLINE);
		}
		free(shown);
		if (need)
			show_names(y + 6, x + 2, tw, need, names.names, names.n);
		if (note)
			draw_text(y + h - 3, x + 2, tw, note, strlen(note), AL_LEFT, draw_attr(ST_WARNING));
		const char *hint = _("Enter import  Tab complete  Esc cancel");
		draw_text(y + h - 2, x + 2, tw, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));
		curs_set(1);
		move(y + 2 + cl - top, x + 2 + (cc > tw ? tw : cc));
		refresh();
		int k = app_getkey(a);
		if (k == KF(KEY_RESIZE)) {
			app_redraw(a);
			continue;
		}
		if (k == K_ESC || k == CTRL('C') || k == CTRL('Q'))
			break;
		bool had = names.n || note;
		note = NULL;
		if (k == '\t') {
			complete(&e, &names, &note);
		} else if (k == '\n') {
			struct pl_paths p;
			pl_split(e.s, &p);
			bool any = p.n > 0;
			pl_paths_free(&p);
			if (any) {
				answer = xstrdup(e.s);
				break;
			}
			note = _("Type a file's name (Tab lists the files here).");
		} else {
			pl_completion_free(&names);
			dlg_edit_key(a, &e, k, tw);
		}
		if (had)
			app_redraw(a);	/* the box may shrink */
	}
	pl_completion_free(&names);
	eb_free(&e);
	curs_set(0);
	return answer;
}

/* ---- the run -------------------------------------------------------------------- */

enum kind { L_TOTAL, L_FILE_OK, L_FILE_NONE, L_REFUSED, L_NOTE, L_FORM };

struct line {
	enum kind kind;
	char *text;	/* scrubbed */
};

struct lines {
	struct line *v;
	size_t n, cap;
};

static void add_line(struct lines *l, enum kind kind, const char *text)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 32;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		if (!l->v)
			abort();
	}
	l->v[l->n++] = (struct line){ kind, ustr_scrub(text, false) };
}

static void lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].text);
	free(l->v);
	memset(l, 0, sizeof *l);
}

struct run {
	struct lines file;	/* the lines of the file being imported */
	int64_t first;
	const char *name;	/* scrubbed */
	size_t k, files;	/* file k (1-based) of files */
	struct timespec last;
	bool drawn;
};

/* The status line while a file runs: which file, how far, and a bar. */
static void status(struct run *r, size_t done, size_t total, bool reading)
{
	if (COLS < APP_MIN_COLS || LINES < APP_MIN_LINES)
		return;
	int y = LINES - 2;
	char text[1024];
	if (reading)
		snprintf(text, sizeof text, _("Importing %s (file %zu of %zu): reading…"), r->name, r->k,
			 r->files);
	else
		snprintf(text, sizeof text, _("Importing %s (file %zu of %zu): form %zu of %zu"), r->name, r->k,
			 r->files, done, total);
	int barw = COLS / 4, tw = COLS - 2 - (barw + 1);
	draw_clip(0, LINES);
	draw_text(y, 1, tw, text, strlen(text), AL_LEFT, A_BOLD);
	char bar[256];
	int cells = barw - 2 < (int)sizeof bar - 3 ? barw - 2 : (int)sizeof bar - 3;
	if (cells >= 4) {
		int fill = reading ? 0 : total ? (int)((unsigned long long)done * (unsigned)cells / total) : cells;
		int n = 0;
		bar[n++] = '[';
		for (int i = 0; i < cells; i++)
			bar[n++] = i < fill ? '#' : '-';
		bar[n++] = ']';
		bar[n] = 0;
		draw_text(y, 1 + tw, barw, bar, (size_t)n, AL_RIGHT, A_NORMAL);
	}
	curs_set(0);
	refresh();
}

static void on_message(void *arg, const char *line, bool note)
{
	struct run *r = arg;
	add_line(&r->file, note ? L_NOTE : L_REFUSED, line);
}

static void on_imported(void *arg, int64_t id, const char *unit, int year, const char *project)
{
	struct run *r = arg;
	if (!r->first)
		r->first = id;
	char buf[2048];
	snprintf(buf, sizeof buf, _("form %lld: %s · %d · %s"), (long long)id, unit ? unit : "", year,
		 project ? project : "");
	add_line(&r->file, L_FORM, buf);
}

static void on_progress(void *arg, size_t done, size_t total)
{
	struct run *r = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - r->last.tv_sec) * 1000 + (now.tv_nsec - r->last.tv_nsec) / 1000000;
	if (r->drawn && ms < 50 && done < total)
		return;		/* about 20 frames a second; the last always */
	r->last = now;
	r->drawn = true;
	status(r, done, total, false);
}


static void remember_dir(const char *path)
{
	char *d = xstrdup(path);
	char *slash = strrchr(d, '/');
	if (slash) {
		slash[slash == d ? 1 : 0] = 0;
		char cwd[4096];
		if (d[0] != '/' && getcwd(cwd, sizeof cwd)) {	/* the folder, wherever we are later */
			size_t n = strlen(cwd) + strlen(d) + 2;
			char *full = malloc(n);
			if (!full)
				abort();
			snprintf(full, n, "%s/%s", cwd, d);
			free(d);
			d = full;
		}
		free(last_dir);
		last_dir = d;
	} else {
		free(d);
		free(last_dir);
		last_dir = NULL;	/* the current folder */
	}
}

/* One file (or a pattern that matched none): its lines after a head line
 * saying how many forms it gave.  Returns that count. */
static size_t one_file(struct app *a, const struct pl_path *p, struct run *r, struct lines *out, bool *bad)
{
	char *shown = ustr_scrub(p->path, false);
	r->name = shown;
	r->drawn = false;
	size_t n = 0;
	char buf[4096];
	int rc = IMPORT_BAD;
	struct stat st;
	if (p->nomatch) {
		snprintf(buf, sizeof buf, _("%s: no file matches this"), shown);
		add_line(&r->file, L_REFUSED, buf);
	} else if (stat(p->path, &st) == 0 && S_ISDIR(st.st_mode)) {
		size_t l = strlen(p->path);
		snprintf(buf, sizeof buf, _("%s is a folder: name its files (Tab lists them), or %s%s*.xlsx for all its spreadsheets"),
			 shown, shown, l && p->path[l - 1] == '/' ? "" : "/");
		add_line(&r->file, L_REFUSED, buf);
	} else if (stat(p->path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* a pipe or a device would never end (or, opened, never start) */
		snprintf(buf, sizeof buf, _("%s is not a file (a device or a pipe): nothing read"), shown);
		add_line(&r->file, L_REFUSED, buf);
	} else {
		status(r, 0, 0, true);
		struct import_sink sink = { .message = on_message, .imported = on_imported,
					    .progress = on_progress, .arg = r, .notes = true };
		/* "-" is a file here, never standard input (the terminal) */
		bool dash = strcmp(p->path, "-") == 0;
		rc = import_file(a->s, dash ? "./-" : p->path, p->path, &sink, &n);
		if (n)
			remember_dir(p->path);
	}
	if (n)
		snprintf(buf, sizeof buf, ngettext("%s: %zu form imported", "%s: %zu forms imported", n), shown, n);
	else
		snprintf(buf, sizeof buf, _("%s: nothing imported"), shown);
	add_line(out, n ? L_FILE_OK : L_FILE_NONE, buf);
	for (size_t i = 0; i < r->file.n; i++) {
		add_line(out, r->file.v[i].kind, r->file.v[i].text);
	}
	*bad = rc != IMPORT_OK;
	for (size_t i = 0; i < r->file.n; i++)
		if (r->file.v[i].kind == L_REFUSED)
			*bad = true;
	lines_free(&r->file);
	free(shown);
	return n;
}

/* ---- the panel ------------------------------------------------------------------- */

static const char *mark(enum kind k)
{
	switch (k) {
	case L_FILE_OK: return "✓ ";
	case L_FILE_NONE: return "✗ ";
	case L_REFUSED: return "  ✗ ";
	case L_NOTE: return "  · ";
	case L_FORM: return "  ";
	default: return "";
	}
}

/* Every line wrapped at width w: where each row starts, and its line. */
struct row {
	size_t line, start, len;
	bool first;
};

static size_t wrap_rows(const struct lines *l, int w, struct row **rows)
{
	size_t n = 0, cap = 0;
	*rows = NULL;
	for (size_t i = 0; i < l->n; i++) {
		int indent = ustr_width(mark(l->v[i].kind));
		int tw = w - indent > 8 ? w - indent : 8;
		size_t st[64], ln[64];
		size_t k = ustr_wrap(l->v[i].text, tw, st, ln, 64);
		if (k > 64)
			k = 64;
		if (k == 0) {
			k = 1;
			st[0] = ln[0] = 0;
		}
		for (size_t j = 0; j < k; j++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				*rows = realloc(*rows, cap * sizeof **rows);
				if (!*rows)
					abort();
			}
			(*rows)[n++] = (struct row){ i, st[j], ln[j], j == 0 };
		}
	}
	return n;
}

static void panel(struct app *a, const struct lines *l)
{
	int top = 0;
	for (;;) {
		if (!app_size_ok()) {
			refresh();
			if (app_getkey(a) == K_ESC)
				return;
			continue;
		}
		int x = 1, w = COLS - 2, tw = w - 4;
		struct row *rows;
		size_t n = wrap_rows(l, tw, &rows);
		int h = (int)n + 3 < LINES - 2 ? (int)n + 3 : LINES - 2, body = h - 3;
		int y = (LINES - h) / 2;
		if (top > (int)n - body)
			top = (int)n - body;
		if (top < 0)
			top = 0;
		draw_clip(0, LINES);
		draw_frame(y, x, h, w, A_NORMAL);
		char tb[256];
		if ((int)n > body)
			snprintf(tb, sizeof tb, _(" Import: lines %d–%d of %zu "), top + 1,
				 top + body < (int)n ? top + body : (int)n, n);
		else
			snprintf(tb, sizeof tb, " %s ", _("Import"));
		draw_text(y, x + 2, ustr_width(tb) < tw ? ustr_width(tb) : tw, tb, strlen(tb), AL_LEFT, A_BOLD);
		for (int i = 0; i < body; i++) {
			size_t r = (size_t)(top + i);
			draw_text(y + 1 + i, x + 2, tw, "", 0, AL_LEFT, A_NORMAL);
			if (r >= n)
				continue;
			const struct line *ln = &l->v[rows[r].line];
			const char *m = mark(ln->kind);
			int mw = ustr_width(m);
			attr_t at = ln->kind == L_TOTAL || ln->kind == L_FILE_OK || ln->kind == L_FILE_NONE ? A_BOLD
				    : ln->kind == L_REFUSED ? draw_attr(ST_ERROR) : A_NORMAL;
			if (rows[r].first)
				draw_text(y + 1 + i, x + 2, mw, m, strlen(m), AL_LEFT, at);
			draw_text(y + 1 + i, x + 2 + mw, tw - mw, ln->text + rows[r].start, rows[r].len, AL_LEFT, at);
		}
		free(rows);
		const char *hint = _("↑ ↓ PgUp PgDn scroll  Enter or Esc closes");
		draw_text(y + h - 2, x + 2, tw, hint, strlen(hint), AL_LEFT, draw_attr(ST_DIM));
		curs_set(0);
		refresh();
		int k = app_getkey(a);
		switch (k) {
		case KF(KEY_DOWN): case 'j': case K_WHEEL_DOWN: top++; break;
		case KF(KEY_UP): case 'k': case K_WHEEL_UP: top--; break;
		case KF(KEY_NPAGE): case ' ': top += body > 1 ? body - 1 : 1; break;
		case KF(KEY_PPAGE): top -= body > 1 ? body - 1 : 1; break;
		case KF(KEY_HOME): top = 0; break;
		case KF(KEY_END): top = (int)n; break;
		case KF(KEY_RESIZE): break;
		case '\n': case K_ESC: case 'q': case CTRL('C'): case CTRL('Q'): return;
		}
	}
}

/* ---- the whole ------------------------------------------------------------------- */

size_t iv_import(struct app *a, int64_t *first, char *msg, size_t len, int *sev)
{
	*first = 0;
	msg[0] = 0;
	char *line = ask(a);
	app_redraw(a);
	if (!line)
		return 0;
	struct pl_paths p;
	pl_split(line, &p);
	struct lines out = { 0 };
	add_line(&out, L_TOTAL, "");	/* the total, written at the end */
	struct run r = { .files = p.n };
	size_t forms = 0, bad = 0;
	char *again = xstrdup("");	/* the files that failed, for the next prompt */
	for (size_t i = 0; i < p.n; i++) {
		r.k = i + 1;
		bool b = false;
		forms += one_file(a, &p.v[i], &r, &out, &b);
		if (b) {
			bad++;
			/* a pattern stays a pattern; a name is quoted as it needs */
			char *q = p.v[i].nomatch ? xstrdup(p.v[i].path) : pl_quote(p.v[i].path, false);
			size_t n = strlen(again) + strlen(q) + 2;
			char *t = malloc(n);
			if (!t)
				abort();
			snprintf(t, n, "%s%s%s", again, *again ? " " : "", q);
			free(q);
			free(again);
			again = t;
		}
	}
	*first = r.first;
	free(line);
	free(retry_line);
	retry_line = bad ? again : NULL;
	if (!bad)
		free(again);
	char total[512], files[128];
	snprintf(files, sizeof files, ngettext("%zu file", "%zu files", p.n), p.n);
	if (bad)
		snprintf(total, sizeof total,
			 ngettext("Imported %zu form from %s; %zu with problems (i shows the line again).",
				  "Imported %zu forms from %s; %zu with problems (i shows the line again).", forms),
			 forms, files, bad);
	else
		snprintf(total, sizeof total,
			 ngettext("Imported %zu form from %s.", "Imported %zu forms from %s.", forms), forms, files);
	free(out.v[0].text);
	out.v[0].text = ustr_scrub(total, false);
	snprintf(msg, len, "%s", total);
	*sev = bad && !forms ? 0 : 2;
	pl_paths_free(&p);
	app_redraw(a);
	flushinp();	/* keys pressed while it ran do not close the panel unread */
	panel(a, &out);
	lines_free(&out);
	return forms;
}
