/*
 * import: see import.h.  The file is read whole, parsed by the reader its
 * content names (io_read.h), and its forms stored one by one inside one
 * transaction; what the database already holds is read once per file.
 */
#include "config.h"
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "i18n.h"
#include "io.h"
#include "io_read.h"
#include "slurp.h"
#include "store.h"
#include "store_iter.h"
#include "ustr.h"

/* What was imported, printed after the commit so it is what is stored. */
struct imported {
	int64_t id;
	char *unit, *project;
	int year;
};

/* The name of a form for messages: its project, scrubbed, or "form N". */
static void form_name(const struct form *f, size_t index, char *buf, size_t len)
{
	if (f && f->project && *f->project) {
		char *t = ustr_scrub(f->project, false);
		snprintf(buf, len, "%s", t);
		free(t);
	} else {
		snprintf(buf, len, _("form %zu"), index + 1);
	}
}

/* What the database already holds, read once per file so that importing n
 * forms costs n look-ups, not n scans: keys "k" + unit/year/project (one
 * live form each) and "u" + uuid, each to a form id.  Open addressing. */
struct known {
	char **key;
	int64_t *id;
	size_t cap, n;
};

static size_t hash(const char *s)
{
	size_t h = 14695981039346656037u;	/* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static int64_t *known_slot(struct known *k, const char *key, bool add)
{
	if (add && (k->n + 1) * 2 > k->cap) {
		struct known big = { 0 };
		big.cap = k->cap ? k->cap * 2 : 1024;
		big.key = calloc(big.cap, sizeof *big.key);
		big.id = calloc(big.cap, sizeof *big.id);
		if (!big.key || !big.id)
			abort();
		for (size_t i = 0; i < k->cap; i++)
			if (k->key[i]) {
				size_t j = hash(k->key[i]) & (big.cap - 1);
				while (big.key[j])
					j = (j + 1) & (big.cap - 1);
				big.key[j] = k->key[i];
				big.id[j] = k->id[i];
			}
		big.n = k->n;
		free(k->key);
		free(k->id);
		*k = big;
	}
	if (!k->cap)
		return NULL;
	size_t j = hash(key) & (k->cap - 1);
	while (k->key[j] && strcmp(k->key[j], key) != 0)
		j = (j + 1) & (k->cap - 1);
	if (!k->key[j]) {
		if (!add)
			return NULL;
		k->key[j] = xstrdup(key);
		k->n++;
	}
	return &k->id[j];
}

static void known_free(struct known *k)
{
	for (size_t i = 0; i < k->cap; i++)
		free(k->key[i]);
	free(k->key);
	free(k->id);
	memset(k, 0, sizeof *k);
}

/* "k" unit US year US project; the unit separator cannot be typed into a
 * field by accident and scrubbing would show it. */
static char *form_key(const char *unit, int year, const char *project)
{
	size_t n = strlen(unit ? unit : "") + strlen(project ? project : "") + 32;
	char *k = malloc(n);
	if (!k)
		abort();
	snprintf(k, n, "k%s\x1f%d\x1f%s", unit ? unit : "", year, project ? project : "");
	return k;
}

static void known_add(struct known *k, int64_t id, const char *unit, int year,
		      const char *project, const char *uuid)
{
	char *key = form_key(unit, year, project);
	*known_slot(k, key, true) = id;
	free(key);
	if (uuid && *uuid) {
		char u[40];
		snprintf(u, sizeof u, "u%s", uuid);
		*known_slot(k, u, true) = id;
	}
}

static int known_row(const struct form_row *r, void *arg)
{
	known_add(arg, r->id, r->unit, r->year, r->project, r->uuid);
	return 0;
}

/* Says whether f is already in the database: the same identity (uuid), or
 * the same unit, year and project.  Returns its id or 0. */
static int64_t already_there(struct known *k, const struct form *f, bool *same_uuid)
{
	char u[40];
	snprintf(u, sizeof u, "u%s", f->uuid);
	int64_t *id = known_slot(k, u, false);
	*same_uuid = id != NULL;
	if (id)
		return *id;
	char *key = form_key(f->unit, f->year, f->project);
	id = known_slot(k, key, false);
	free(key);
	return id ? *id : 0;
}

/* One line to the sink, formatted. */
static void say(const struct import_sink *k, bool note, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(const struct import_sink *k, bool note, const char *fmt, ...)
{
	if (!k->message || (note && !k->notes))
		return;
	char line[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	k->message(k->arg, line, note);
}

static void step(const struct import_sink *k, size_t done, size_t total)
{
	if (k->progress)
		k->progress(k->arg, done, total);
}

int import_buffer(struct store *s, const char *name, const char *buf, size_t len,
		  const struct import_sink *k, size_t *n)
{
	struct io_result r;
	bool json = io_sniff(buf, len) == IOF_JSON;
	int st = io_read_any(buf, len, name, &r);	/* the format from the content */
	int rc = IMPORT_OK;
	*n = 0;
	/* Problems with a form that is imported anyway are notes (what the
	 * reader tidied or could not place); the others are why a form or the
	 * whole file was not imported. */
	for (size_t i = 0; i < r.n_problems; i++) {
		const struct io_problem *p = &r.problems[i];
		bool note = p->form_index < r.n_forms &&
			    !(r.incomplete && r.incomplete[p->form_index]);
		const char *kind = note ? _("note: ") : "";
		if (json)	/* the JSON reader names the file and place itself */
			say(k, note, "%s%s", kind, p->message);
		else if (p->line > 0)
			say(k, note, "%s:%ld: %s%s", name, p->line, kind, p->message);
		else
			say(k, note, "%s: %s%s", name, kind, p->message);
	}
	if (st != 0 && r.n_forms == 0) {
		if (r.n_problems == 0)
			say(k, false, _("%s: cannot read forms from this file"), name);
		rc = r.unreadable ? IMPORT_BAD : IMPORT_FOUND;
		io_result_free(&r);
		return rc;
	}
	if (r.n_forms == 0) {
		say(k, false, _("%s: no forms found"), name);
		io_result_free(&r);
		return IMPORT_FOUND;
	}

	struct imported *done = calloc(r.n_forms, sizeof *done);
	if (!done)
		abort();
	if (store_begin_all_or_nothing(s) != STORE_OK) {	/* the file's promise */
		say(k, false, "%s", store_errmsg(s));
		io_result_free(&r);
		free(done);
		return IMPORT_BAD;
	}
	step(k, 0, r.n_forms);
	bool failed = false;
	struct known known = { 0 };
	struct check *chk = NULL;	/* the rules' scratch, one for the file */
	struct store_filter none = { 0 };
	if (store_list(s, &none, known_row, &known) != STORE_OK) {
		say(k, false, "%s", store_errmsg(s));
		failed = true;
	}
	for (size_t i = 0; i < r.n_forms && !failed; i++) {
		struct form *f = r.forms[i];
		char what[256];
		form_name(f, i, what, sizeof what);
		step(k, i, r.n_forms);
		if (r.incomplete && r.incomplete[i]) {
			long line = 0;
			for (size_t j = 0; j < r.n_problems; j++)
				if (r.problems[j].form_index == i && r.problems[j].line > 0) {
					line = r.problems[j].line;
					break;
				}
			if (line)
				say(k, false, _("%s:%ld: %s could not be read whole; not imported"),
				    name, line, what);
			else
				say(k, false, _("%s: %s could not be read whole; not imported"), name, what);
			rc = IMPORT_FOUND;
			continue;
		}
		bool same;
		int64_t there = already_there(&known, f, &same);
		if (there) {
			if (same)
				say(k, false, _("%s: %s is already in the database as form %lld (the same form, imported before); not imported"),
				    name, what, (long long)there);
			else
				say(k, false, _("%s: %s: form %lld already has this unit, year and project; not imported"),
				    name, what, (long long)there);
			rc = IMPORT_FOUND;
			continue;
		}
		f->status = STATUS_DRAFT;
		if (store_insert(s, f) != STORE_OK || doc_refresh_summary_reuse(s, f, &chk) != STORE_OK) {
			say(k, false, _("%s: %s: %s; nothing from this file was imported"),
			    name, what, store_errmsg(s));
			failed = true;
			break;
		}
		known_add(&known, f->id, f->unit, f->year, f->project, f->uuid);
		done[*n] = (struct imported){ f->id, f->unit, f->project, f->year };
		++*n;
	}
	known_free(&known);
	check_free(chk);
	step(k, r.n_forms, r.n_forms);
	if (!failed && store_commit(s) != STORE_OK) {
		say(k, false, _("%s: %s; nothing from this file was imported"), name, store_errmsg(s));
		failed = true;
	}
	if (failed) {
		store_rollback(s);
		*n = 0;
		rc = IMPORT_FOUND;
	}
	for (size_t i = 0; k->imported && i < *n; i++)
		k->imported(k->arg, done[i].id, done[i].unit, done[i].year, done[i].project);
	free(done);
	io_result_free(&r);
	return rc;
}

int import_file(struct store *s, const char *path, const char *name,
		const struct import_sink *k, size_t *n)
{
	*n = 0;
	if (!name)
		name = strcmp(path, "-") == 0 ? _("standard input") : path;
	size_t len;
	int err;
	bool at_open;
	char *buf = slurp(path, &len, &err, &at_open);
	if (!buf) {
		say(k, false, at_open ? _("cannot open %s: %s") : _("cannot read %s: %s"),
		    name, strerror(err));
		return IMPORT_BAD;
	}
	int rc = import_buffer(s, name, buf, len, k, n);
	free(buf);
	return rc;
}
