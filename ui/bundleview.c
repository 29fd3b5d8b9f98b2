/*
 * bundleview: write and read offline bundles from the forms list (see
 * bundleview.h; the bundle itself is src/bundle.h, the same calls as
 * `jxzp bundle create|verify|apply`).
 *
 * Writing asks for a folder or file (a USB stick's mount point; a folder
 * gets jxzp-<unit>-<date>.jxzb), then what to send (the forms changed since
 * the last bundle, or all; of every unit or of the selected form's unit
 * only, as the office writes one bundle per unit), showing whether this
 * database is the office's.
 * Reading asks for a file (a folder lists its .jxzb files), verifies it
 * whole, shows what it holds, and applies it only when confirmed.
 *
 * Bundle create and apply are one transaction each; they report progress
 * (per form for apply, a few coarse steps for create), drawn as a bar in
 * the "working…" box at most about 20 times a second, and always at the
 * end so the bar never stops short.
 *
 * Promises: every failure (damaged file, missing predecessors, a path that
 * cannot be written, a full disk) is shown in a dialog with the bundle
 * code's own message and changes nothing; text from files and the
 * database is scrubbed before it reaches the terminal.
 */
#include "config.h"
#include "bundleview.h"
#include "bundle.h"
#include "bundle_auth.h"
#include "doc.h"
#include "draw.h"
#include "form.h"
#include "i18n.h"
#include "review.h"
#include "ustr.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { PATH_MAX_UI = 4096 };

static char last_dir[PATH_MAX_UI + 256];	/* where the last bundle went or came from */

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void remember_dir(const char *file)
{
	snprintf(last_dir, sizeof last_dir, "%s", file);
	char *slash = strrchr(last_dir, '/');
	if (slash && slash != last_dir)
		*slash = 0;
	else if (!slash)
		last_dir[0] = 0;
}

static void initial_dir(char *buf, size_t len)
{
	if (last_dir[0])
		snprintf(buf, len, "%s", last_dir);
	else if (!getcwd(buf, len))
		snprintf(buf, len, ".");
}

/* The bar under the "working…" box's text: where the box is and when it
 * was last drawn. */
struct bar {
	int y, x, w;
	struct timespec last;
	bool drawn;
};

static struct bar working_bar;

/* The "working…" state: a box that stays while the call runs. */
static void working(const char *what, const char *path)
{
	int w = COLS - 4 < 72 ? COLS - 4 : 72, h = 6;
	int y = (LINES - h) / 2, x = (COLS - w) / 2;
	draw_clip(0, LINES);
	draw_frame(y, x, h, w, A_NORMAL);
	char *p = ustr_scrub(path, false);
	draw_text(y + 1, x + 2, w - 4, what, strlen(what), AL_LEFT, A_BOLD);
	draw_text(y + 2, x + 2, w - 4, p, strlen(p), AL_LEFT, A_NORMAL);
	const char *wait = _("working… (one transaction; please wait)");
	draw_text(y + 3, x + 2, w - 4, wait, strlen(wait), AL_LEFT, draw_attr(ST_DIM));
	free(p);
	working_bar = (struct bar){ .y = y + 4, .x = x + 2, .w = w - 4 };
	curs_set(0);
	refresh();
}

static void bar_step(void *arg, size_t done, size_t total)
{
	struct bar *b = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	long ms = (now.tv_sec - b->last.tv_sec) * 1000 + (now.tv_nsec - b->last.tv_nsec) / 1000000;
	if (b->drawn && ms < 50 && done < total)
		return;		/* at most ~20 frames a second; the last always */
	b->last = now;
	b->drawn = true;
	char text[96];
	snprintf(text, sizeof text, _("Done %zu / %zu"), done, total);
	int tw = ustr_width(text);
	int cells = b->w - tw - 3;	/* "[" bar "] " text */
	if (cells >= 4) {
		int fill = total ? (int)((unsigned long long)done * (unsigned long long)cells / total) : cells;
		char line[512];
		int n = 0;
		line[n++] = '[';
		for (int i = 0; i < cells && n < (int)sizeof line - 3; i++)
			line[n++] = i < fill ? '#' : '-';
		line[n++] = ']';
		line[n] = 0;
		draw_text(b->y, b->x, b->w, line, (size_t)n, AL_LEFT, A_NORMAL);
		draw_text(b->y, b->x + n + 1, b->w - n - 1, text, strlen(text), AL_LEFT, A_NORMAL);
	} else {
		draw_text(b->y, b->x, b->w, text, strlen(text), AL_LEFT, A_NORMAL);
	}
	refresh();
}

/* A file name part from a unit name: no slashes, controls or spaces;
 * whole characters only. */
static void file_part(const char *unit, char *out, size_t len)
{
	size_t o = 0;
	const char *p = unit && *unit ? unit : "all";
	while (*p) {
		unsigned char ch = (unsigned char)*p;
		size_t cl = ch < 0x80 ? 1 : ch >= 0xf0 ? 4 : ch >= 0xe0 ? 3 : 2;
		if (o + cl >= len || strnlen(p, cl) < cl)
			break;
		if (cl == 1)
			out[o++] = ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\' || ch == ' ' ? '_' : (char)ch;
		else {
			memcpy(out + o, p, cl);
			o += cl;
		}
		p += cl;
	}
	out[o] = 0;
}

static void units_text(const struct bundle_info *bi, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (size_t i = 0; i < bi->n_units && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s #%lld", i ? ", " : "", bi->units[i].unit,
				      (long long)bi->units[i].seq);
}

static void fail(struct app *a, const char *err, char *msg, size_t len, int *sev)
{
	snprintf(msg, len, "%s", err);
	*sev = 0;
	dlg_message(a, err);
}

void bv_write(struct app *a, const char *unit, const char *sel_unit, char *msg, size_t len, int *sev)
{
	char role[8] = "unit", err[1024];
	msg[0] = 0;
	if (bundle_role(a->s, role, err, sizeof err) != BUNDLE_OK)
		snprintf(role, sizeof role, "unit");
	bool office = strcmp(role, "office") == 0;
	char init[PATH_MAX_UI + 256];
	initial_dir(init, sizeof init);
	char *where = rvf_ask(a, office ? _("Write a bundle (this is the office's database)") :
			      _("Write a bundle (this is a unit's database)"),
			      _("Folder or file to write to (e.g. a USB stick):"), init);
	app_redraw(a);
	if (!where)
		return;
	/* the office writes one bundle per unit: the selected form's unit is offered */
	char only[2][512];
	const char *items[4] = { _("The forms changed since the last bundle"), _("All forms"), only[0], only[1] };
	int n_items = 2;
	if (sel_unit && *sel_unit && !(unit && strcmp(unit, sel_unit) == 0)) {
		snprintf(only[0], sizeof only[0], _("The forms of %s changed since the last bundle"), sel_unit);
		snprintf(only[1], sizeof only[1], _("All forms of %s"), sel_unit);
		n_items = 4;
	}
	int what = dlg_pick(a, office ? _("Send what? (as the office)") : _("Send what? (as a unit)"), items,
			    n_items, 0);
	app_redraw(a);
	if (what < 0) {
		free(where);
		return;
	}
	char path[PATH_MAX_UI + 256];
	if (is_dir(where)) {
		char part[128], date[16];
		time_t now = time(NULL);
		struct tm tm;
		localtime_r(&now, &tm);
		strftime(date, sizeof date, "%Y%m%d", &tm);
		file_part(what >= 2 ? sel_unit : unit, part, sizeof part);
		size_t wl = strlen(where);
		snprintf(path, sizeof path, "%s%sjxzp-%s-%s.jxzb", where, wl && where[wl - 1] == '/' ? "" : "/",
			 part, date);
	} else {
		snprintf(path, sizeof path, "%s", where);
	}
	free(where);
	char *shown = ustr_scrub(path, false);
	if (access(path, F_OK) == 0) {
		char q[PATH_MAX_UI + 512];
		snprintf(q, sizeof q, _("%s exists. Replace it?"), shown);
		bool yes = dlg_confirm(a, q);
		app_redraw(a);
		if (!yes) {
			free(shown);
			return;
		}
	}
	struct bundle_opts o = { .all = what == 1 || what == 3, .unit = what >= 2 ? sel_unit : NULL,
				 .progress = bar_step, .progress_arg = &working_bar };
	struct bundle_info bi;
	working(_("Writing the bundle"), path);
	int rc = bundle_create(a->s, &o, path, &bi, err, sizeof err);
	app_redraw(a);
	if (rc == BUNDLE_EMPTY) {
		snprintf(msg, len, "%s", _("Nothing changed since the last bundle: no file written (All forms sends every form)."));
		*sev = 2;
		dlg_message(a, msg);
	} else if (rc != BUNDLE_OK) {
		char *e = ustr_scrub(err, false);
		fail(a, e, msg, len, sev);
		free(e);
	} else {
		char units[1024];
		units_text(&bi, units, sizeof units);
		char *u = ustr_scrub(units, false);
		char seal[512];
		if (bi.sealed)
			snprintf(seal, sizeof seal, _("signed, and sealed for %zu keys"), bi.n_readers);
		else if (bi.unsealed_for && !*bi.unsealed_for)
			snprintf(seal, sizeof seal, "%s", _("signed but NOT sealed: no office key is trusted here (jxzp key trust --office)"));
		else {
			char *w = ustr_scrub(bi.unsealed_for ? bi.unsealed_for : "", false);
			snprintf(seal, sizeof seal, _("signed but NOT sealed: no key is trusted here for %s (jxzp key trust --unit)"), w);
			free(w);
		}
		char counts[256];
		bundle_counts_text(counts, sizeof counts, (long long)bi.forms, (long long)bi.changes,
				   (long long)bi.comments);
		snprintf(msg, len, _("Bundle written: %s — %s from %s database; units: %s; %s"), shown, counts,
			 strcmp(bi.role, "office") == 0 ? _("the office") : _("a unit's"), u, seal);
		*sev = 2;
		free(u);
		bundle_info_free(&bi);
		remember_dir(path);
		dlg_message(a, msg);
	}
	free(shown);
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* A folder: pick one of its .jxzb files (newest name last). */
static char *pick_in_dir(struct app *a, const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < 6 || strcmp(e->d_name + l - 5, ".jxzb") != 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(names, cap * sizeof *names);
			if (!names)
				abort();
		}
		names[n++] = ustr_scrub(e->d_name, false);
	}
	closedir(d);
	char *out = NULL;
	if (n) {
		qsort(names, n, sizeof *names, by_name);
		int k = dlg_pick(a, _("Which bundle?"), (const char *const *)names, (int)n, (int)n - 1);
		if (k >= 0) {
			size_t l = strlen(dir) + strlen(names[k]) + 2;
			out = malloc(l);
			if (!out)
				abort();
			snprintf(out, l, "%s/%s", dir, names[k]);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return out;
}

bool bv_read(struct app *a, char *msg, size_t len, int *sev)
{
	msg[0] = 0;
	char init[PATH_MAX_UI + 256], err[1024];
	initial_dir(init, sizeof init);
	char *where = rvf_ask(a, _("Read a bundle"), _("Bundle file, or the folder it is in:"), init);
	app_redraw(a);
	if (!where)
		return false;
	char *path = where;
	if (is_dir(where)) {
		path = pick_in_dir(a, where);
		app_redraw(a);
		if (!path) {
			char m[PATH_MAX_UI + 128];
			char *w = ustr_scrub(where, false);
			snprintf(m, sizeof m, _("%s: no bundle (.jxzb) chosen there."), w);
			free(w);
			free(where);
			fail(a, m, msg, len, sev);
			return false;
		}
		free(where);
	}
	struct bundle_info bi;
	struct bundle_auth au;
	working(_("Checking the bundle"), path);
	int rc = bundle_check(a->s, path, &bi, &au, err, sizeof err);
	app_redraw(a);
	if (rc != BUNDLE_OK) {
		char *e = ustr_scrub(err, false);
		fail(a, e, msg, len, sev);
		free(e);
		free(path);
		return false;
	}
	char units[1024], q[4096], who[256];
	units_text(&bi, units, sizeof units);
	bundle_auth_describe(&au, who, sizeof who);
	char *u = ustr_scrub(units, false), *p = ustr_scrub(path, false), *cr = ustr_scrub(bi.created, false);
	/* who signed it, as this database trusts them, comes first */
	char counts[256];
	bundle_counts_text(counts, sizeof counts, (long long)bi.forms, (long long)bi.changes,
			   (long long)bi.comments);
	snprintf(q, sizeof q, _("%s is sound: %s; %s; from %s database %.8s, written %s%s; %s; "
				"units: %s.  Apply it to this database?"),
		 p, who, bi.sealed ? _("sealed for this database") : _("not sealed"),
		 strcmp(bi.role, "office") == 0 ? _("the office") : _("a unit's"), bi.origin, cr,
		 bi.full ? _(" (all forms)") : "", counts, u);
	free(u);
	free(cr);
	bundle_info_free(&bi);
	bool yes = dlg_confirm(a, q);
	app_redraw(a);
	struct bundle_apply_opts ao = { 0 };
	if (yes && au.state == SIGNER_UNSIGNED) {
		yes = ao.accept_unsigned = dlg_confirm(a, _("This bundle is not signed (an older jxzp wrote it): "
							   "nobody can tell who made it.  Take it anyway, with a "
							   "unit's rights only (no return, no approval)?"));
		app_redraw(a);
	}
	bundle_auth_free(&au);
	if (!yes) {
		free(p);
		free(path);
		return false;
	}
	struct bundle_result r;
	working(_("Applying the bundle"), path);
	rc = bundle_apply_with(a->s, path, &ao, &r, NULL, NULL, bar_step, &working_bar,
			       err, sizeof err);
	app_redraw(a);
	bool changed = false;
	if (rc != BUNDLE_OK) {
		char *e = ustr_scrub(err, false);
		fail(a, e, msg, len, sev);
		free(e);
	} else {
		remember_dir(path);
		if (r.already) {
			snprintf(msg, len, _("%s: applied before: nothing changed."), p);
		} else {
			char settled[128] = "", conf[256] = "";
			if (r.settled)
				snprintf(settled, sizeof settled, _(", %lld settled there"), (long long)r.settled);
			if (r.conflicts)
				snprintf(conf, sizeof conf, _("  Conflicted fields are marked ⇄ on their forms; F11 settles them."));
			char nc[64];
			bundle_conflicts_text(nc, sizeof nc, (long long)r.conflicts);
			snprintf(msg, len, _("Bundle applied: %lld new, %lld updated, %lld unchanged, %s%s.%s"),
				 (long long)r.forms_new, (long long)r.forms_updated, (long long)r.forms_unchanged,
				 nc, settled, conf);
			changed = true;
		}
		*sev = 2;
		dlg_message(a, msg);
	}
	free(p);
	free(path);
	return changed;
}
