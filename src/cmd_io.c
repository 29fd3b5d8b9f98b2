/*
 * cmd_io: jxzp import, export, demo (spec/cli.md).
 *
 * Promises: import reads a whole file before storing anything and stores
 * all its readable forms in one transaction (a failure leaves the database
 * as it was); a form the reader could not read whole, or one already in the
 * database, is reported with the file (and line) and not imported; export
 * loads every requested form before writing a byte, and a file it creates
 * is mode 0600 (forms hold names and phone numbers).
 */
#include "config.h"
#include "cmd.h"
#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "i18n.h"
#include "io.h"
#include "io_read.h"
#include "progress.h"
#include "store_iter.h"
#include "ustr.h"

/* ---- import ------------------------------------------------------------------ */

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

/* Imports the forms of one file's text.  Returns an exit status; *n gets
 * the count imported.  quiet: no line per form (for demo). */
static int import_text(struct store *s, const char *name, const char *buf, size_t len,
		       bool quiet, size_t *n)
{
	struct io_result r;
	bool json = io_sniff(buf, len) == IOF_JSON;
	int st = io_read_any(buf, len, name, &r);	/* the format from the content */
	int rc = EXIT_OK;
	*n = 0;
	/* Problems with a form that is imported anyway are notes (what the
	 * reader tidied or could not place); the others are why a form or the
	 * whole file was not imported. */
	for (size_t i = 0; i < r.n_problems; i++) {
		const struct io_problem *p = &r.problems[i];
		bool note = p->form_index < r.n_forms &&
			    !(r.incomplete && r.incomplete[p->form_index]);
		if (note && quiet)
			continue;
		const char *kind = note ? _("note: ") : "";
		if (json)	/* the JSON reader names the file and place itself */
			cli_error("%s%s", kind, p->message);
		else if (p->line > 0)
			cli_error("%s:%ld: %s%s", name, p->line, kind, p->message);
		else
			cli_error("%s: %s%s", name, kind, p->message);
	}
	if (st != 0 && r.n_forms == 0) {
		if (r.n_problems == 0)
			cli_error(_("%s: cannot read forms from this file"), name);
		rc = r.unreadable ? EXIT_USAGE : EXIT_FOUND;
		io_result_free(&r);
		return rc;
	}
	if (r.n_forms == 0) {
		cli_error(_("%s: no forms found"), name);
		io_result_free(&r);
		return EXIT_FOUND;
	}

	struct imported *done = calloc(r.n_forms, sizeof *done);
	if (!done)
		abort();
	if (store_begin_all_or_nothing(s) != STORE_OK) {	/* the file's promise */
		cli_error("%s", store_errmsg(s));
		io_result_free(&r);
		free(done);
		return EXIT_USAGE;
	}
	struct progress bar;
	progress_start(&bar, _("importing"), r.n_forms, quiet);
	bool failed = false;
	struct known known = { 0 };
	struct check *chk = NULL;	/* the rules' scratch, one for the file */
	struct store_filter none = { 0 };
	if (store_list(s, &none, known_row, &known) != STORE_OK) {
		cli_error("%s", store_errmsg(s));
		failed = true;
	}
	for (size_t i = 0; i < r.n_forms && !failed; i++) {
		struct form *f = r.forms[i];
		char what[256];
		form_name(f, i, what, sizeof what);
		progress_step(&bar, i);
		if (r.incomplete && r.incomplete[i]) {
			progress_hide(&bar);	/* the message gets a line of its own */
			long line = 0;
			for (size_t k = 0; k < r.n_problems; k++)
				if (r.problems[k].form_index == i && r.problems[k].line > 0) {
					line = r.problems[k].line;
					break;
				}
			if (line)
				cli_error(_("%s:%ld: %s could not be read whole; not imported"),
					  name, line, what);
			else
				cli_error(_("%s: %s could not be read whole; not imported"), name, what);
			rc = EXIT_FOUND;
			continue;
		}
		bool same;
		int64_t there = already_there(&known, f, &same);
		if (there) {
			progress_hide(&bar);
			if (same)
				cli_error(_("%s: %s is already in the database as form %lld (the same form, imported before); not imported"),
					  name, what, (long long)there);
			else
				cli_error(_("%s: %s: form %lld already has this unit, year and project; not imported"),
					  name, what, (long long)there);
			rc = EXIT_FOUND;
			continue;
		}
		f->status = STATUS_DRAFT;
		int ins = store_insert(s, f);
		if (ins != STORE_OK) {
			progress_hide(&bar);
			cli_error(_("%s: %s: %s; nothing from this file was imported"),
				  name, what, store_errmsg(s));
			failed = true;
			break;
		}
		if (doc_refresh_summary_reuse(s, f, &chk) != STORE_OK) {
			progress_hide(&bar);
			cli_error(_("%s: %s: %s; nothing from this file was imported"),
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
	progress_end(&bar);
	if (!failed && store_commit(s) != STORE_OK) {
		cli_error(_("%s: %s; nothing from this file was imported"), name, store_errmsg(s));
		failed = true;
	}
	if (failed) {
		store_rollback(s);
		*n = 0;
		rc = EXIT_FOUND;
	}
	for (size_t i = 0; !quiet && i < *n; i++) {
		char *u = ustr_scrub(done[i].unit ? done[i].unit : "", false);
		char *p = ustr_scrub(done[i].project ? done[i].project : "", false);
		printf("%lld\t%s\t%d\t%s\n", (long long)done[i].id, u, done[i].year, p);
		free(u);
		free(p);
	}
	free(done);
	io_result_free(&r);
	return rc;
}

static int import_file(struct store *s, const char *path, bool quiet, size_t *n)
{
	size_t len;
	char *buf = cli_read_file(path, &len);
	*n = 0;
	if (!buf)
		return EXIT_USAGE;
	const char *name = strcmp(path, "-") == 0 ? _("standard input") : path;
	int rc = import_text(s, name, buf, len, quiet, n);
	free(buf);
	return rc;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'h')
			return cmd_help(c, argc, argv);
		return cli_bad_option("import", argv, opt);
	}
	if (optind >= argc)
		return cli_usage_error("import", _("needs at least one file (\"-\" for standard input)"));
	/* every file is there before anything is stored */
	for (int i = optind; i < argc; i++)
		if (strcmp(argv[i], "-") != 0 && access(argv[i], R_OK) != 0)
			return cli_error(_("cannot open %s: %s"), argv[i], strerror(errno));
	c->may_create = true;	/* importing into a new database makes it */
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	int rc = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		size_t n;
		int r = import_file(s, argv[i], false, &n);
		if (r > rc)
			rc = r;
	}
	return rc;
}

/* ---- export -------------------------------------------------------------------- */

struct ids {
	int64_t *v;
	size_t n, cap;
};

static void ids_add(struct ids *ids, int64_t id)
{
	if (ids->n == ids->cap) {
		ids->cap = ids->cap ? ids->cap * 2 : 64;
		int64_t *p = realloc(ids->v, ids->cap * sizeof *p);
		if (!p)
			abort();
		ids->v = p;
	}
	ids->v[ids->n++] = id;
}

/* Forms being loaded for export, with the bar. */
struct loaded {
	struct form **v;
	size_t n, cap;
	struct progress bar;
};

static int keep_form(struct form *f, void *arg)
{
	struct loaded *l = arg;
	if (l->n + 1 >= l->cap) {	/* a form stored since the count */
		l->cap *= 2;
		struct form **p = realloc(l->v, l->cap * sizeof *p);
		if (!p)
			abort();
		l->v = p;
	}
	l->v[l->n++] = f;
	progress_step(&l->bar, l->n);
	return 0;
}

/* Creates (0600) or truncates path; NULL after printing why. */
static FILE *create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		cli_error(_("cannot create %s: %s"), path, strerror(errno));
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		cli_error(_("cannot create %s: %s"), path, strerror(errno));
		close(fd);
	}
	return f;
}

/* A stored value that is not UTF-8 (an old database's), written escaped:
 * said on stderr, with the form and the field. */
static void bad_utf8(const struct form *f, const char *path, void *arg)
{
	(void)arg;
	cli_error(_("form %lld, %s: bytes that are not UTF-8, exported as \\xNN"), (long long)f->id, path);
}

static int write_forms(FILE *out, const char *format, struct form **forms, size_t n, int width)
{
	if (strcmp(format, "json") == 0)
		return io_json_write_report(out, forms, n, true, bad_utf8, NULL);
	if (strcmp(format, "csv") == 0)
		return io_csv_write(out, forms, n);
	/* txt: the printable forms, a page each */
	for (size_t i = 0; i < n; i++) {
		struct form *p = cli_printable(forms[i]);
		int rc = io_print_write(out, p, width);
		form_free(p);
		if (rc != 0)
			return rc;
		if (i + 1 < n)
			fputs("\f\n", out);
	}
	return 0;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, OPT_ALL },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, 'o' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	bool all = false;
	const char *format = "json", *output = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_ALL: all = true; break;
		case OPT_FORMAT: format = optarg; break;
		case 'o': output = optarg; break;
		case 'h': return cmd_help(c, argc, argv);
		default: return cli_bad_option("export", argv, opt);
		}
	}
	static const char *const formats[] = { "json", "csv", "txt", "xlsx" };
	bool known = false;
	for (size_t i = 0; i < 4; i++)
		known |= strcmp(format, formats[i]) == 0;
	if (!known)
		return cli_usage_error("export", _("--format is json, csv, txt or xlsx"));
	bool xlsx = strcmp(format, "xlsx") == 0;
	if (xlsx && !output)
		return cli_usage_error("export", _("--format xlsx needs -o FILE"));
	if (all == (optind < argc))
		return cli_usage_error("export", _("give form ids or --all"));

	struct ids ids = { 0 };
	for (int i = optind; i < argc; i++) {
		int64_t id;
		if (!cli_parse_id(argv[i], &id)) {
			free(ids.v);
			return EXIT_USAGE;
		}
		ids_add(&ids, id);
	}
	struct store *s = cli_store(c);
	if (!s) {
		free(ids.v);
		return EXIT_USAGE;
	}
	struct loaded got = { 0 };
	int rc = EXIT_OK;
	size_t total = ids.n;
	struct store_filter none = { 0 };
	if (all && store_count(s, &none, &total) != STORE_OK) {
		free(ids.v);
		return cli_error("%s", store_errmsg(s));
	}
	got.cap = total + 1;
	got.v = calloc(got.cap, sizeof *got.v);
	if (!got.v)
		abort();
	progress_start(&got.bar, _("exporting"), total, false);
	if (all) {
		/* every form whole in three ordered queries, not three per form */
		if (store_each_form(s, &none, keep_form, &got) != STORE_OK)
			rc = cli_error("%s", store_errmsg(s));
	} else {
		for (size_t i = 0; i < ids.n && rc == EXIT_OK; i++) {
			progress_step(&got.bar, i);
			if ((rc = cli_load(c, ids.v[i], &got.v[got.n])) == EXIT_OK)
				got.n++;
		}
	}
	progress_end(&got.bar);	/* before any error line or output */
	struct form **forms = got.v;
	size_t n = got.n;

	if (rc == EXIT_OK && xlsx) {
		char err[256] = "";
		FILE *f = create_file(output);	/* so it exists with mode 0600 */
		if (!f) {
			rc = EXIT_USAGE;
		} else {
			fclose(f);
			if (io_xlsx_write(output, forms, n, err, sizeof err) != 0) {
				rc = cli_error(_("cannot write %s: %s"), output, err);
				unlink(output);	/* no half-written file left behind */
			}
		}
	} else if (rc == EXIT_OK) {
		FILE *out = output ? create_file(output) : stdout;
		if (!out) {
			rc = EXIT_USAGE;
		} else {
			/* a file or a pipe is for printing: the widest the printout
			 * allows (132, landscape); a terminal: its width */
			int width = output || !isatty(STDOUT_FILENO) ? 132 : cli_term_width();
			int w = write_forms(out, format, forms, n, width);
			int bad = ferror(out);
			if (output && fclose(out) != 0)
				bad = 1;
			if (w != 0 || bad) {
				rc = cli_error(_("cannot write %s: %s"),
					       output ? output : _("standard output"),
					       w != 0 && !bad ? _("the export failed") : strerror(errno));
				if (output)
					unlink(output);	/* no half-written file left behind */
			}
		}
	}
	for (size_t i = 0; i < n; i++)
		form_free(forms[i]);
	free(forms);
	free(ids.v);
	return rc;
}

/* ---- demo ------------------------------------------------------------------------- */

static int is_txt(const struct dirent *e)
{
	size_t n = strlen(e->d_name);
	return n > 4 && strcmp(e->d_name + n - 4, ".txt") == 0;
}

static int count_row(const struct form_row *r, void *arg)
{
	(void)r;
	++*(size_t *)arg;
	return 0;
}

int cmd_demo(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'h')
			return cmd_help(c, argc, argv);
		return cli_bad_option("demo", argv, opt);
	}
	if (optind < argc)
		return cli_usage_error("demo", _("takes no arguments"));
	if (!c->db_path) {
		/* not the user's own database, even when $JXZP_DB names one */
		const char *xdg = getenv("XDG_DATA_HOME");
		const char *home = getenv("HOME");
		if (xdg && xdg[0] == '/')
			snprintf(c->db_buf, sizeof c->db_buf, "%s/jxzp/demo.db", xdg);
		else if (home && *home)
			snprintf(c->db_buf, sizeof c->db_buf, "%s/.local/share/jxzp/demo.db", home);
		else
			return cli_error(_("demo: neither $XDG_DATA_HOME nor $HOME is set; give --db FILE"));
		c->db_path = c->db_buf;
	}
	c->may_create = true;
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	size_t have = 0;
	struct store_filter none = { 0 };
	if (store_list(s, &none, count_row, &have) != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	if (have == 0) {
		const char *dir = paths_datadir();
		if (!dir)
			return cli_error(_("demo: the sample forms are not installed (set $JXZP_DATADIR to their directory)"));
		struct dirent **names;
		int k = scandir(dir, &names, is_txt, alphasort);
		if (k < 0)
			return cli_error(_("cannot read %s: %s"), dir, strerror(errno));
		int rc = EXIT_OK;
		for (int i = 0; i < k; i++) {
			char path[8192];
			snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
			size_t n = 0;
			int r = import_file(s, path, true, &n);
			if (r > rc)
				rc = r;
			have += n;
			free(names[i]);
		}
		free(names);
		if (have == 0)
			return cli_error(_("demo: no forms could be read from %s"), dir);
	}
	/* without a terminal (scripts, tests) the database is the result */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		printf(ngettext("%s: %zu form\n", "%s: %zu forms\n", have), c->db_path, have);
		return EXIT_OK;
	}
	return cli_screen_run(c, SCREEN_LIST, 0);
}
