/*
 * cmd_io: jxzp import, export, demo (spec/cli.md).
 *
 * Import's promises are import.h's (this file only shows what it says); export
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
#include "import.h"
#include "io_read.h"
#include "outfile.h"
#include "progress.h"
#include "store_iter.h"
#include "ustr.h"

/* ---- import ------------------------------------------------------------------ */

/* The command line's sink: lines on standard error under the bar, each
 * stored form as "id TAB unit TAB year TAB project" on standard output. */
struct cli_import {
	struct progress bar;
	bool started;
};

static void cli_message(void *arg, const char *line, bool note)
{
	(void)note;
	struct cli_import *ci = arg;
	progress_hide(&ci->bar);	/* the message gets a line of its own */
	cli_error("%s", line);
}

static void cli_imported(void *arg, int64_t id, const char *unit, int year, const char *project)
{
	(void)arg;
	char *u = ustr_scrub(unit ? unit : "", false);
	char *p = ustr_scrub(project ? project : "", false);
	printf("%lld\t%s\t%d\t%s\n", (long long)id, u, year, p);
	free(u);
	free(p);
}

static void cli_progress(void *arg, size_t done, size_t total)
{
	struct cli_import *ci = arg;
	if (!ci->started) {
		progress_start(&ci->bar, _("importing"), total, false);
		ci->started = true;
	}
	ci->bar.total = total;
	if (done == total)
		progress_end(&ci->bar);
	else
		progress_step(&ci->bar, done);
}

/* quiet: only what was refused, no line per form (for demo). */
static int import_one(struct store *s, const char *path, bool quiet, size_t *n)
{
	struct cli_import ci = { 0 };
	struct import_sink sink = {
		.message = cli_message,
		.imported = quiet ? NULL : cli_imported,
		.progress = quiet ? NULL : cli_progress,
		.arg = &ci,
		.notes = !quiet,
	};
	return import_file(s, path, NULL, &sink, n);
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
		int r = import_one(s, argv[i], false, &n);
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

/* Opens where an export goes (see outfile.h); -1 after saying why. */
static int open_output(struct outfile *o, const char *path)
{
	if (outfile_open(o, path) == 0)
		return 0;
	cli_error(_("cannot create %s: %s"), path, strerror(errno));
	return -1;
}

/* A stored value that is not UTF-8 (an old database's), written escaped:
 * said on stderr, with the form and the field. */
static void bad_utf8(const struct form *f, const char *path, void *arg)
{
	(void)arg;
	cli_error(_("form %lld, %s: bytes that are not UTF-8, exported as \\xNN"), (long long)f->id, path);
}

/* Where an export writes, one form after another: nothing is held but the
 * form being written, so --all of a province runs in the memory of one. */
struct writer {
	FILE *out;
	const char *format;
	int width;		/* txt: the page width */
	size_t n;		/* forms written */
	int rc;			/* 0, or -1 once a write failed */
	int err;		/* then: errno, or EIO for a form not written */
	struct progress *bar;
};

static void writer_start(struct writer *w)
{
	if (strcmp(w->format, "csv") == 0)
		io_csv_write_head(w->out);
}

static int writer_form(struct writer *w, const struct form *f)
{
	int rc;
	if (strcmp(w->format, "json") == 0) {
		rc = io_json_write_next(w->out, f, w->n, true, bad_utf8, NULL);
	} else if (strcmp(w->format, "csv") == 0) {
		rc = io_csv_write_form(w->out, f);
	} else {	/* txt: the printable forms, a page each */
		if (w->n > 0)
			fputs("\f\n", w->out);
		struct form *p = cli_printable(f);
		rc = io_print_write(w->out, p, w->width);
		form_free(p);
	}
	w->n++;
	if (w->bar)
		progress_step(w->bar, w->n);
	if ((rc != 0 || ferror(w->out)) && w->rc == 0) {
		w->rc = -1;
		w->err = ferror(w->out) && errno ? errno : EIO;
	}
	return w->rc;
}

static int writer_end(struct writer *w)
{
	if (w->rc == 0 && strcmp(w->format, "json") == 0 && io_json_write_end(w->out, w->n) != 0) {
		w->rc = -1;
		w->err = errno ? errno : EIO;
	}
	return w->rc;
}

/* store_each_form_view's callback: a non-zero return stops the walk. */
static int write_lent(const struct form *f, void *arg)
{
	return writer_form(arg, f);
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
	int rc = EXIT_OK;
	struct form **forms = NULL;
	size_t n = 0;
	struct progress bar;
	if (!all) {	/* every form named, loaded before anything is written */
		forms = calloc(ids.n + 1, sizeof *forms);
		if (!forms)
			abort();
		progress_start(&bar, _("exporting"), ids.n, false);
		for (size_t i = 0; i < ids.n && rc == EXIT_OK; i++) {
			progress_step(&bar, i);
			if ((rc = cli_load(c, ids.v[i], &forms[n])) == EXIT_OK)
				n++;
		}
		progress_end(&bar);	/* before any error line or output */
	}
	struct store_filter none = { 0 };
	if (rc == EXIT_OK && xlsx) {
		/* the workbook is built whole by libxlsxwriter: --all holds
		 * every form (a sheet each) */
		struct loaded got = { 0 };
		size_t total = 0;
		if (all && store_count(s, &none, &total) != STORE_OK)
			rc = cli_error("%s", store_errmsg(s));
		if (all && rc == EXIT_OK) {
			got.cap = total + 1;
			got.v = calloc(got.cap, sizeof *got.v);
			if (!got.v)
				abort();
			progress_start(&got.bar, _("exporting"), total, false);
			if (store_each_form(s, &none, keep_form, &got) != STORE_OK)
				rc = cli_error("%s", store_errmsg(s));
			progress_end(&got.bar);
			forms = got.v;
			n = got.n;
		}
		char err[256] = "";
		struct outfile of;
		if (rc == EXIT_OK && open_output(&of, output) != 0)
			rc = EXIT_USAGE;
		if (rc == EXIT_OK) {
			outfile_close_stream(&of);	/* libxlsxwriter writes by name */
			if (io_xlsx_write(outfile_name(&of), forms, n, err, sizeof err) != 0) {
				rc = cli_error(_("cannot write %s: %s"), output, err);
				outfile_abort(&of);
			} else if (outfile_commit(&of) != 0) {
				rc = cli_error(_("cannot write %s: %s"), output, strerror(errno));
			}
		}
	} else if (rc == EXIT_OK) {
		struct outfile of = { .f = stdout };
		if (output && open_output(&of, output) != 0) {
			rc = EXIT_USAGE;
		} else {
			/* a file or a pipe is for printing: the widest the printout
			 * allows (132, landscape); a terminal: its width */
			struct writer w = {
				.out = of.f, .format = format,
				.width = output || !isatty(STDOUT_FILENO) ? 132 : cli_term_width(),
			};
			writer_start(&w);
			if (all) {
				size_t total = 0;
				if (store_count(s, &none, &total) != STORE_OK)
					rc = cli_error("%s", store_errmsg(s));
				/* the bar on stderr, the forms on out as they come
				 * (none when they come on the terminal itself) */
				progress_start(&bar, _("exporting"), total,
					       !output && isatty(STDOUT_FILENO));
				w.bar = &bar;
				if (rc == EXIT_OK && store_each_form_view(s, &none, write_lent, &w) != STORE_OK)
					rc = cli_error("%s", store_errmsg(s));
				progress_end(&bar);
			} else {
				for (size_t i = 0; i < n && w.rc == 0; i++)
					writer_form(&w, forms[i]);
			}
			int e = writer_end(&w) != 0 ? w.err : 0;	/* EIO: a form */
			if (!output) {
				if (ferror(stdout))
					e = 0;	/* main says it, once, for every command */
			} else if (rc != EXIT_OK || e) {
				outfile_abort(&of);	/* the old file stays */
			} else if (outfile_commit(&of) != 0) {
				e = errno;
			}
			if (rc == EXIT_OK && e)
				rc = cli_error(_("cannot write %s: %s"),
					       output ? output : _("standard output"),
					       w.err == EIO && !ferror(w.out) ? _("the export failed") : strerror(e));
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
			int r = import_one(s, path, true, &n);
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
