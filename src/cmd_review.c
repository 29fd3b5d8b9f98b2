/*
 * cmd_review: what reviewers do on the command line — per unit and year
 * summaries (jxzp summary), comments on fields (jxzp comment, comments,
 * comment-resolve) — and the way into the reviewer's pager with a filter.
 *
 * Promises: the summary's sums are the store's exact decimal sums (src/num,
 * never floating point), printed as they come; txt is a table aligned in
 * terminal columns (CJK counts two, ustr_width), csv is UTF-8 with a BOM and
 * CRLF like the CSV export, json an array of objects.  A comment names an
 * existing field of an existing form, or "-" for the whole form; its author
 * is the OS user (the store decides).
 */
#include "config.h"
#include "cmd.h"

#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "ttyout.h"
#include "ustr.h"

static int parse_year(const char *cmd, const char *s, int *year)
{
	char *end;
	long y = strtol(s, &end, 10);
	if (*s == '\0' || *end || y < 1900 || y > 2999) {
		char what[128];
		snprintf(what, sizeof what, _("not a year: \"%s\" (e.g. 2024)"), s);
		return cli_usage_error(cmd, what);
	}
	*year = (int)y;
	return EXIT_OK;
}

/* ---- summary ------------------------------------------------------------------ */

enum { S_UNIT, S_YEAR, S_FORMS, S_BUDGET, S_SPENT, S_RATE, S_AVG, S_G0, S_G1, S_G2, S_G3,
       S_ERRORS, S_COLS };

struct sum_rows {
	char *(*cell)[S_COLS];
	size_t n, cap;
	int64_t unreadable;
	json_t *json;
};

static char *fmt_i64(int64_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", (long long)v);
	return xstrdup(buf);
}

static int collect_summary(const struct summary_row *r, void *arg)
{
	struct sum_rows *x = arg;
	x->unreadable += r->unreadable;
	if (x->json) {
		json_t *o = json_object(), *g = json_object();
		json_object_set_new(o, "unit", json_string(r->unit ? r->unit : ""));
		json_object_set_new(o, "year", json_integer(r->year));
		json_object_set_new(o, "forms", json_integer(r->forms));
		json_object_set_new(o, "budget", json_string(r->budget ? r->budget : "0"));
		json_object_set_new(o, "spent", json_string(r->spent ? r->spent : "0"));
		json_object_set_new(o, "rate", r->rate ? json_string(r->rate) : json_null());
		json_object_set_new(o, "avg_score", r->avg_score ? json_string(r->avg_score) : json_null());
		json_object_set_new(o, "scored", json_integer(r->scored));
		for (int k = 0; k < STORE_GRADES; k++)
			json_object_set_new(g, store_grade_key[k], json_integer(r->grades[k]));
		json_object_set_new(o, "grades", g);
		json_object_set_new(o, "with_errors", json_integer(r->with_errors));
		json_object_set_new(o, "unreadable", json_integer(r->unreadable));
		json_array_append_new(x->json, o);
		return 0;
	}
	if (x->n == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 16;
		x->cell = realloc(x->cell, x->cap * sizeof *x->cell);
		if (!x->cell)
			abort();
	}
	char **c = x->cell[x->n++];
	c[S_UNIT] = xstrdup(r->unit ? r->unit : "");
	c[S_YEAR] = fmt_i64(r->year);
	c[S_FORMS] = fmt_i64(r->forms);
	c[S_BUDGET] = xstrdup(r->budget ? r->budget : "0");
	c[S_SPENT] = xstrdup(r->spent ? r->spent : "0");
	c[S_RATE] = xstrdup(r->rate ? r->rate : "");
	c[S_AVG] = xstrdup(r->avg_score ? r->avg_score : "");
	for (int k = 0; k < STORE_GRADES; k++)
		c[S_G0 + k] = fmt_i64(r->grades[k]);
	c[S_ERRORS] = fmt_i64(r->with_errors);
	return 0;
}

static void csv_field(const char *s, bool last)
{
	if (strpbrk(s, "\",\r\n")) {
		putchar('"');
		for (const char *p = s; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(s, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
}

static void print_csv(const struct sum_rows *x)
{
	/* canonical names, as the CSV export's header: scripts address columns by them */
	static const char *const head[S_COLS] = {
		"unit", "year", "forms", "budget", "spent", "rate", "avg_score",
		"优", "良", "中", "差", "with_errors",
	};
	fputs("\xef\xbb\xbf", stdout);
	for (int k = 0; k < S_COLS; k++)
		csv_field(head[k], k + 1 == S_COLS);
	for (size_t i = 0; i < x->n; i++)
		for (int k = 0; k < S_COLS; k++)
			csv_field(x->cell[i][k], k + 1 == S_COLS);
}

static void pad(int n)
{
	for (; n > 0; n--)
		putchar(' ');
}

static void print_txt(const struct sum_rows *x)
{
	const char *head[S_COLS] = {
		_("UNIT"), _("YEAR"), _("FORMS"), _("BUDGET"), _("SPENT"), _("RATE %"),
		_("AVG SCORE"), "优", "良", "中", "差", _("WITH ERRORS"),
	};
	int w[S_COLS];
	char *shown[S_COLS];
	for (int k = 0; k < S_COLS; k++)
		w[k] = ustr_width(head[k]);
	for (size_t i = 0; i < x->n; i++) {
		/* unit names come from forms: scrubbed before they reach a terminal */
		char *u = ustr_scrub(x->cell[i][S_UNIT], false);
		free(x->cell[i][S_UNIT]);
		x->cell[i][S_UNIT] = u;
		for (int k = 0; k < S_COLS; k++) {
			int cw = ustr_width(x->cell[i][k]);
			if (cw > w[k])
				w[k] = cw;
		}
	}
	for (size_t i = 0; i <= x->n; i++) {
		for (int k = 0; k < S_COLS; k++)
			shown[k] = i == 0 ? (char *)head[k] : x->cell[i - 1][k];
		for (int k = 0; k < S_COLS; k++) {
			int gap = w[k] - ustr_width(shown[k]);
			bool right = k != S_UNIT;	/* figures right, the unit's name left */
			if (right)
				pad(gap);
			fputs(shown[k], stdout);
			if (k + 1 < S_COLS) {
				if (!right)
					pad(gap);
				fputs("  ", stdout);
			}
		}
		putchar('\n');
	}
	if (x->n == 0)
		puts(_("(no forms)"));
	if (x->unreadable > 0)
		printf(ngettext("note: %lld form has a budget or spent figure that is not a number; "
				"it is left out of the sums\n",
				"note: %lld forms have a budget or spent figure that is not a number; "
				"they are left out of the sums\n", (unsigned long)x->unreadable),
		       (long long)x->unreadable);
}

static void print_json(json_t *arr)
{
	size_t i;
	json_t *o;
	fputs(json_array_size(arr) ? "[\n" : "[", stdout);
	json_array_foreach(arr, i, o) {
		char *t = json_dumps(o, JSON_PRESERVE_ORDER);
		char *safe = cli_json_safe(t);
		printf("  %s%s\n", safe, i + 1 < json_array_size(arr) ? "," : "");
		free(safe);
		free(t);
	}
	fputs("]\n", stdout);
}

int cmd_summary(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "format", required_argument, NULL, OPT_FORMAT },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct store_filter flt = { 0 };
	const char *format = "txt";
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT: flt.unit = optarg; break;
		case OPT_YEAR:
			if (parse_year("summary", optarg, &flt.year) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case OPT_FORMAT: format = optarg; break;
		case 'h': return cmd_help(c, argc, argv);
		default: return cli_bad_option("summary", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage_error("summary", _("takes no arguments besides its options"));
	bool txt = strcmp(format, "txt") == 0 || strcmp(format, "table") == 0;
	bool csv = strcmp(format, "csv") == 0, json = strcmp(format, "json") == 0;
	if (!txt && !csv && !json)
		return cli_usage_error("summary", _("--format is txt, csv or json"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct sum_rows x = { 0 };
	if (json)
		x.json = json_array();
	int rc = store_summary(s, &flt, collect_summary, &x);
	if (rc == STORE_OK) {
		if (json)
			print_json(x.json);
		else if (csv)
			print_csv(&x);
		else
			print_txt(&x);
	}
	for (size_t i = 0; i < x.n; i++)
		for (int k = 0; k < S_COLS; k++)
			free(x.cell[i][k]);
	free(x.cell);
	json_decref(x.json);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	return EXIT_OK;
}

/* ---- comments ------------------------------------------------------------------- */

/* Only --db and --help; the rest are arguments.  -1 after --help. */
static int plain_options(struct cli *c, int argc, char **argv, bool *all)
{
	static const struct option with_all[] = {
		{ "all", no_argument, NULL, OPT_ALL },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct option plain[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", all ? with_all : plain, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == OPT_ALL && all) {
			*all = true;
			continue;
		}
		if (opt == 'h') {
			cmd_help(c, argc, argv);
			return -1;
		}
		return cli_bad_option(argv[0], argv, opt);
	}
	return EXIT_OK;
}

int cmd_comment(struct cli *c, int argc, char **argv)
{
	int rc = plain_options(c, argc, argv, NULL);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (argc - optind != 3)
		return cli_usage_error("comment", _("needs a form id, a field path (\"-\" for the whole form) and the text"));
	int64_t id;
	if (!cli_parse_id(argv[optind], &id))
		return EXIT_USAGE;
	const char *path = argv[optind + 1], *text = argv[optind + 2], *err = NULL;
	char in[256];
	if (strcmp(path, "-") == 0)
		path = NULL;
	else if (!form_path_in(path, in, sizeof in, &err))
		return cli_error(_("comment: %s: %s"), path, _(err));
	const char *typed = path;
	if (path)
		path = in;
	struct form *f;
	if ((rc = cli_load(c, id, &f)) != EXIT_OK)
		return rc;
	/* the row must exist on this form, not only in the schema */
	bool valid = !path || form_path_valid(f, path);
	form_free(f);
	if (!valid)
		return cli_error(_("comment: form %lld has no field %s"), (long long)id, typed);
	if (!text[strspn(text, " \t\r\n")])
		return cli_usage_error("comment", _("a comment needs some text"));
	char uuid[37];
	rc = store_comment_add(c->store, id, path, text, uuid);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(c->store));
	printf("%s\n", uuid);
	return EXIT_OK;
}

static int print_comment(const struct comment_row *r, void *arg)
{
	(void)arg;
	char out[64];
	char *path = ustr_scrub(r->path ? form_path_out(r->path, out, sizeof out) : "-", false);
	char *author = ustr_scrub(r->author, false);
	char *text = ustr_scrub(r->text, false);
	/* uuid, state, field, author, time, text: tab-separated, one line each */
	printf("%s\t%s\t%s\t%s\t%s\t%s\n", r->uuid, r->resolved ? "resolved" : "open",
	       path, author, r->at, text);
	free(path);
	free(author);
	free(text);
	return 0;
}

int cmd_comments(struct cli *c, int argc, char **argv)
{
	bool all = false;
	int rc = plain_options(c, argc, argv, &all);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (argc - optind != 1)
		return cli_usage_error("comments", _("needs one form id"));
	int64_t id;
	if (!cli_parse_id(argv[optind], &id))
		return EXIT_USAGE;
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	rc = store_comment_list(s, id, all, print_comment, NULL);
	if (rc == STORE_NOTFOUND)
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	return EXIT_OK;
}

int cmd_comment_resolve(struct cli *c, int argc, char **argv)
{
	int rc = plain_options(c, argc, argv, NULL);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	if (argc - optind < 1)
		return cli_usage_error("comment-resolve", _("needs the uuid of a comment (see jxzp comments ID)"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	int out = EXIT_OK;
	for (int i = optind; i < argc; i++) {
		rc = store_comment_resolve(s, argv[i]);
		if (rc == STORE_NOTFOUND) {
			cli_error(_("no comment with uuid %s in %s"), argv[i], cli_db_path(c));
			out = EXIT_FOUND;
		} else if (rc != STORE_OK) {
			cli_error("%s", store_errmsg(s));
			return EXIT_USAGE;
		}
	}
	return out;
}

/* ---- the pager ------------------------------------------------------------------- */

int cli_review_run(struct cli *c, const char *unit, int year)
{
	if (!c->screen || !c->screen->review)
		return cli_error(_("this build has no screen"));
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_error(_("the screen needs a terminal (see jxzp --help for commands)"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	ttyout_end();	/* curses writes the terminal's own codes */
	return c->screen->review(s, unit, year);
}

int cli_year(const char *cmd, const char *s, int *year)
{
	return parse_year(cmd, s, year);
}
