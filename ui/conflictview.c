/*
 * conflictview: bundle conflicts on the form screen (see conflict.h).
 *
 * A field changed on both sides by a bundle keeps this side's value until a
 * person settles it (src/bundle.h).  Here the open form's conflicts are held
 * (a few per form, read once on opening and after each settling), a field
 * with one is marked ⇄, the status line says both values and where they
 * came from, and F11 / Ctrl-R settles it — keep mine or take theirs —
 * through bundle_resolve, the same as `jxzp resolve`, so the decision is in
 * the history and travels in the next bundle.
 *
 * Promises: values and origins are scrubbed before they reach the terminal;
 * a failure to read the conflicts leaves none shown (the form still opens);
 * a failed settling changes nothing and says why.
 */
#include "config.h"
#include "conflict.h"
#include "bundle.h"
#include "doc.h"
#include "draw.h"
#include "form.h"
#include "i18n.h"
#include "ustr.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cf {
	char *path, *mine, *theirs, *mine_origin, *theirs_origin, *at;
	bool row;		/* the whole row: changed on one side, deleted on the other */
	bool gone_here;		/* row: deleted here, changed there */
};

static struct {
	struct cf *v;
	size_t n, cap;
	struct store *s;
	int64_t id;
} cf;

static char *dup_or_null(const char *s)
{
	return s ? ustr_scrub(s, false) : NULL;
}

static int collect(const struct bundle_conflict *c, void *arg)
{
	(void)arg;
	if (cf.n == cf.cap) {
		cf.cap = cf.cap ? 2 * cf.cap : 8;
		cf.v = realloc(cf.v, cf.cap * sizeof *cf.v);
		if (!cf.v)
			abort();
	}
	struct cf *x = &cf.v[cf.n++];
	x->path = xstrdup(c->path ? c->path : "");
	x->mine = dup_or_null(c->mine);
	x->theirs = dup_or_null(c->theirs);
	x->mine_origin = ustr_scrub(c->mine_origin ? c->mine_origin : "", false);
	x->theirs_origin = ustr_scrub(c->theirs_origin ? c->theirs_origin : "", false);
	x->at = ustr_scrub(c->at ? c->at : "", false);
	x->row = c->col && strcmp(c->col, "*") == 0;
	x->gone_here = x->row && !c->mine;	/* as cmd_bundle.c reads it */
	return 0;
}

void cfv_close(void)
{
	for (size_t i = 0; i < cf.n; i++) {
		struct cf *x = &cf.v[i];
		free(x->path); free(x->mine); free(x->theirs);
		free(x->mine_origin); free(x->theirs_origin); free(x->at);
	}
	free(cf.v);
	memset(&cf, 0, sizeof cf);
}

void cfv_open(struct store *s, int64_t id)
{
	assert(ustr_width(CFV_MARK) == 1);	/* the mark takes one padding column */
	cfv_close();
	cf.s = s;
	cf.id = id;
	bundle_conflicts_for(s, id, collect, NULL);
}

/* The conflict shown for path: its own, else its row's. */
static const struct cf *find(const char *path)
{
	if (!path || !*path)
		return NULL;
	const struct cf *row = NULL;
	for (size_t i = 0; i < cf.n; i++) {
		size_t pl = strlen(cf.v[i].path);
		if (strcmp(cf.v[i].path, path) == 0)
			return &cf.v[i];
		if (!row && pl && strncmp(cf.v[i].path, path, pl) == 0 && path[pl] == '.')
			row = &cf.v[i];
	}
	return row;
}

size_t cfv_count(void)
{
	return cf.n;
}

bool cfv_marked(const char *path)
{
	return cf.n && find(path) != NULL;
}

static const char *shown(const char *v)
{
	return v ? v : _("(absent)");
}

bool cfv_line(const char *path, char *buf, size_t len)
{
	const struct cf *x = cf.n ? find(path) : NULL;
	if (!x)
		return false;
	if (x->gone_here)
		snprintf(buf, len, _("%s conflict: here the row was deleted (database %.8s), there it was changed "
				     "(database %.8s, %s)  F11 settles"),
			 CFV_MARK, x->mine_origin, x->theirs_origin, x->at);
	else if (x->row)
		snprintf(buf, len, _("%s conflict: here the row was changed (database %.8s), there it was deleted "
				     "(database %.8s, %s)  F11 settles"),
			 CFV_MARK, x->mine_origin, x->theirs_origin, x->at);
	else
		snprintf(buf, len, _("%s conflict: here “%s” (from database %.8s), there “%s” (from database %.8s, %s)"
				     "  F11 settles"),
			 CFV_MARK, shown(x->mine), x->mine_origin, shown(x->theirs), x->theirs_origin, x->at);
	return true;
}

bool cfv_wants(int k)
{
	return k == KF(KEY_F(11)) || k == CTRL('R');
}

bool cfv_settle(struct app *a, const char *path, char *msg, size_t len, int *sev)
{
	const struct cf *x = cf.n ? find(path) : NULL;
	if (!x && cf.n) {
		/* not on the focused field (or on one this layout does not show):
		 * choose among the form's conflicts */
		char (*labs)[160] = calloc(cf.n, sizeof *labs);
		const char **items = calloc(cf.n, sizeof *items);
		if (!labs || !items)
			abort();
		for (size_t i = 0; i < cf.n; i++) {
			form_path_label(cf.v[i].path, labs[i], sizeof labs[i]);
			items[i] = labs[i];
		}
		int k = dlg_pick(a, _("Which conflict?"), items, (int)cf.n, 0);
		free(items);
		free(labs);
		app_redraw(a);
		if (k < 0) {
			msg[0] = 0;
			return false;
		}
		x = &cf.v[k];
	}
	if (!x) {
		snprintf(msg, len, "%s", _("This form has no conflicts."));
		*sev = 2;
		return false;
	}
	char lab[160], title[256], mine[1024], theirs[1024];
	form_path_label(x->path, lab, sizeof lab);
	snprintf(title, sizeof title, _("Conflict on %s"), lab);
	if (x->gone_here) {
		snprintf(mine, sizeof mine, _("Keep mine: the row stays deleted (database %.8s)"), x->mine_origin);
		snprintf(theirs, sizeof theirs, _("Keep theirs: the row comes back as changed there (database %.8s, %s)"),
			 x->theirs_origin, x->at);
	} else if (x->row) {
		snprintf(mine, sizeof mine, _("Keep mine: the row as changed here (database %.8s)"), x->mine_origin);
		snprintf(theirs, sizeof theirs, _("Keep theirs: delete the row (database %.8s, %s)"),
			 x->theirs_origin, x->at);
	} else {
		snprintf(mine, sizeof mine, _("Keep mine: “%s” (here, database %.8s)"), shown(x->mine),
			 x->mine_origin);
		snprintf(theirs, sizeof theirs, _("Keep theirs: “%s” (from database %.8s, %s)"),
			 shown(x->theirs), x->theirs_origin, x->at);
	}
	const char *items[3] = { mine, theirs, _("Cancel") };
	int pick = dlg_pick(a, title, items, 3, 0);
	if (pick != 0 && pick != 1) {
		msg[0] = 0;
		return false;
	}
	bool keep_theirs = pick == 1;
	char err[1024], p[256];
	snprintf(p, sizeof p, "%s", x->path);	/* x goes with the reload below */
	if (bundle_resolve(cf.s, cf.id, p, keep_theirs, err, sizeof err) != BUNDLE_OK) {
		snprintf(msg, len, _("Could not settle the conflict: %s"), err);
		*sev = 0;
		return false;
	}
	/* taking theirs changes the form: its cached figures follow */
	struct form *f;
	if (keep_theirs && store_load(cf.s, cf.id, &f) == STORE_OK) {
		doc_refresh_summary(cf.s, f);
		form_free(f);
	}
	snprintf(msg, len, keep_theirs ? _("%s settled: theirs taken.") : _("%s settled: mine kept."), lab);
	*sev = 2;
	cfv_open(cf.s, cf.id);
	return true;
}
