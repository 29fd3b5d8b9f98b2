/*
 * cmd_forms: jxzp new, list, show, set, delete, restore (spec/cli.md).
 *
 * Promises: no text from a form reaches the terminal raw (control and escape
 * characters become visible placeholders through ustr_scrub; JSON escapes
 * them); `set` goes through doc_set, exactly as the screen does, so it saves
 * with history, refuses what the screen refuses, and keeps the cached score.
 */
#include "config.h"
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <jansson.h>
#include <unistr.h>

#include "doc.h"
#include "sheet.h"
#include "i18n.h"
#include "io.h"
#include "ustr.h"

/* ---- shared helpers ---------------------------------------------------------- */

static int stop_at_first(const struct history_row *r, void *arg)
{
	(void)r;
	*(bool *)arg = true;
	return 1;
}

int cli_load(struct cli *c, int64_t id, struct form **out)
{
	struct store *s = cli_store(c);
	*out = NULL;
	if (!s)
		return EXIT_USAGE;
	int rc = store_load(s, id, out);
	if (rc == STORE_NOTFOUND) {
		/* a deleted form keeps its id and history: say how to get it back */
		bool known = false;
		if (store_history(s, id, stop_at_first, &known) == STORE_OK && known)
			return cli_error(_("form %lld was deleted; “jxzp restore %lld” brings it back"),
					 (long long)id, (long long)id);
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	}
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	return EXIT_OK;
}

/* jansson escapes C0 controls but writes DEL, C1 controls (U+009B is a
 * CSI), line separators and bidi overrides raw: escape those too, as
 * io_json does, so JSON on a terminal is safe and still the same data. */
char *cli_json_safe(const char *t)
{
	size_t len = strlen(t), n = 0;
	char *out = malloc(len * 6 + 1);
	if (!out)
		abort();
	for (size_t i = 0; i < len;) {
		ucs4_t uc;
		int k = u8_mbtouc(&uc, (const uint8_t *)t + i, len - i);
		if (k <= 0)
			k = 1;
		if (uc == 0x7f || (uc >= 0x80 && uc < 0xa0) || uc == 0x2028 || uc == 0x2029 ||
		    (uc >= 0x202a && uc <= 0x202e) || (uc >= 0x2066 && uc <= 0x2069)) {
			n += (size_t)sprintf(out + n, "\\u%04X", (unsigned)uc);
		} else {
			memcpy(out + n, t + i, (size_t)k);
			n += (size_t)k;
		}
		i += (size_t)k;
	}
	out[n] = '\0';
	return out;
}

static void put_scrubbed(FILE *out, const char *s)
{
	char *t = ustr_scrub(s ? s : "", false);
	fputs(t, out);
	free(t);
}

/* The field as the command line names it (its path: what `set` takes),
 * the message in the interface's language; no rule code (check -v and
 * --format json have them). */
void cli_print_finding(FILE *out, const char *prefix, const struct finding *fi)
{
	char p[64];
	fprintf(out, "%s%s %s: ", prefix, _(severity_key[fi->severity]),
		form_path_out(fi->field, p, sizeof p));
	put_scrubbed(out, fi->message);
	fputc('\n', out);
}

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

/* A status key as people read it (草稿 in Chinese); JSON keeps the key. */
static const char *status_label(const char *key)
{
	static const char *const name[4] = { N_("draft"), N_("submitted"), N_("returned"), N_("approved") };
	for (int i = 0; key && i < 4; i++)
		if (strcmp(key, status_key[i]) == 0)
			return _(name[i]);
	return key ? key : "";
}

static bool status_valid(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, status_key[i]) == 0)
			return true;
	return false;
}

/* ---- new ------------------------------------------------------------------------- */

struct find_project {
	const char *project;
	int64_t id;
};

static int match_project(const struct form_row *r, void *arg)
{
	struct find_project *fp = arg;
	if (r->project && strcmp(r->project, fp->project) == 0) {
		fp->id = r->id;
		return 1;
	}
	return 0;
}

/* The id of the live form with this unit, year and project, or 0. */
int64_t cli_find_form(struct store *s, const char *unit, int year, const char *project)
{
	if (!unit || !project || !year)
		return 0;
	struct store_filter flt = { .unit = unit, .year = year };
	struct find_project fp = { project, 0 };
	store_list(s, &flt, match_project, &fp);
	return fp.id;
}

/* Long option of `new` alone (kept out of cmd.h's shared enum). */
enum { OPT_FROM = 0x200 };

/* jxzp new --from ID [--year Y]: next year's draft of form ID. */
static int new_from(struct cli *c, const char *from, const char *year)
{
	int64_t id;
	int y = 0;
	if (!cli_parse_id(from, &id))
		return EXIT_USAGE;
	if (year && parse_year("new", year, &y) != EXIT_OK)
		return EXIT_USAGE;
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	char err[768];
	int64_t nid;
	int rc = doc_carry_forward(s, id, y, &nid, err, sizeof err);
	if (rc == STORE_NOTFOUND)
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	if (rc == STORE_EXISTS) {
		cli_error("%s", err);
		return EXIT_FOUND;	/* a refusal, as for a refused change */
	}
	if (rc != STORE_OK)
		return cli_error("%s", err);
	printf("%lld\n", (long long)nid);
	return EXIT_OK;
}

int cmd_new(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "project", required_argument, NULL, OPT_PROJECT },
		{ "department", required_argument, NULL, OPT_DEPARTMENT },
		{ "layout", required_argument, NULL, OPT_LAYOUT },
		{ "ruleset", required_argument, NULL, OPT_RULESET },
		{ "from", required_argument, NULL, OPT_FROM },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL, *year = NULL, *project = NULL, *dept = NULL;
	const char *layout = NULL, *ruleset = NULL, *from = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT: unit = optarg; break;
		case OPT_YEAR: year = optarg; break;
		case OPT_PROJECT: project = optarg; break;
		case OPT_DEPARTMENT: dept = optarg; break;
		case OPT_LAYOUT: layout = optarg; break;
		case OPT_RULESET: ruleset = optarg; break;
		case OPT_FROM: from = optarg; break;
		case 'h': return cmd_help(c, argc, argv);
		default: return cli_bad_option("new", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage_error("new", _("takes no arguments besides its options"));
	if (from) {
		if (unit || project || dept || layout || ruleset)
			return cli_usage_error("new", _("--from takes only --year (the rest comes from the form)"));
		return new_from(c, from, year);
	}
	if (!unit || !*unit || !year || !project || !*project)
		return cli_usage_error("new", _("--unit, --year and --project are needed"));
	struct form *f = form_new();
	const char *err = NULL;
	int y;
	if (parse_year("new", year, &y) != EXIT_OK) {
		form_free(f);
		return EXIT_USAGE;
	}
	f->year = y;
	set_str(&f->unit, unit);
	set_str(&f->project, project);
	set_str(&f->department, dept);
	if (layout && form_set(f, "layout", layout, &err) != 0) {
		form_free(f);
		return cli_usage_error("new", _(err));
	}
	if (ruleset) {
		if (!ruleset_find(ruleset)) {
			char what[256];
			int n = snprintf(what, sizeof what, _("unknown rule set \"%s\"; known:"), ruleset);
			for (size_t i = 0; i < ruleset_count() && n > 0 && (size_t)n < sizeof what; i++)
				n += snprintf(what + n, sizeof what - (size_t)n, " %s", ruleset_at(i)->name);
			form_free(f);
			return cli_usage_error("new", what);
		}
		set_str(&f->ruleset, ruleset);
	}
	c->may_create = true;	/* a first form makes its database */
	struct store *s = cli_store(c);
	if (!s) {
		form_free(f);
		return EXIT_USAGE;
	}
	int64_t dup = cli_find_form(s, unit, y, project);
	if (dup) {
		form_free(f);
		return cli_error(_("form %lld already has unit, year and project %s / %d / %s in %s"),
				 (long long)dup, unit, y, project, cli_db_path(c));
	}
	int rc = store_insert(s, f);
	if (rc != STORE_OK) {
		form_free(f);
		return cli_error("%s", store_errmsg(s));
	}
	doc_refresh_summary(s, f);
	printf("%lld\n", (long long)f->id);
	form_free(f);
	return EXIT_OK;
}

/* ---- list -------------------------------------------------------------------------- */

enum { COL_ID, COL_YEAR, COL_UNIT, COL_PROJECT, COL_STATUS, COL_SCORE, COL_GRADE,
       COL_UPDATED, N_COLS };

struct rows {
	char *(*cell)[N_COLS];	/* scrubbed, ready to print */
	json_t *json;		/* or the JSON array */
	size_t n, cap;
};

static int collect(const struct form_row *r, void *arg)
{
	struct rows *rs = arg;
	if (rs->json) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(r->id));
		json_object_set_new(o, "year", r->year ? json_integer(r->year) : json_null());
		json_object_set_new(o, "unit", r->unit ? json_string(r->unit) : json_null());
		json_object_set_new(o, "project", r->project ? json_string(r->project) : json_null());
		json_object_set_new(o, "status", r->status ? json_string(r->status) : json_null());
		json_object_set_new(o, "score", r->score ? json_string(r->score) : json_null());
		json_object_set_new(o, "grade", r->grade ? json_string(r->grade) : json_null());
		json_object_set_new(o, "updated", r->updated ? json_string(r->updated) : json_null());
		json_array_append_new(rs->json, o);
		return 0;
	}
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 64;
		void *p = realloc(rs->cell, rs->cap * sizeof *rs->cell);
		if (!p)
			abort();
		rs->cell = p;
	}
	char buf[32];
	char **row = rs->cell[rs->n++];
	snprintf(buf, sizeof buf, "%lld", (long long)r->id);
	row[COL_ID] = xstrdup(buf);
	snprintf(buf, sizeof buf, "%d", r->year);
	row[COL_YEAR] = xstrdup(r->year ? buf : "");
	row[COL_UNIT] = ustr_scrub(r->unit ? r->unit : "", false);
	row[COL_PROJECT] = ustr_scrub(r->project ? r->project : "", false);
	row[COL_STATUS] = ustr_scrub(status_label(r->status), false);
	row[COL_SCORE] = ustr_scrub(r->score ? r->score : "", false);
	row[COL_GRADE] = ustr_scrub(r->grade ? r->grade : "", false);
	row[COL_UPDATED] = ustr_scrub(r->updated ? r->updated : "", false);
	return 0;
}

static void pad(int n)
{
	for (int i = 0; i < n; i++)
		putchar(' ');
}

static void print_table(struct rows *rs)
{
	const char *head[N_COLS] = {
		_("ID"), _("YEAR"), _("UNIT"), _("PROJECT"), _("STATUS"), _("SCORE"),
		_("GRADE"), _("UPDATED"),
	};
	int w[N_COLS];
	for (int k = 0; k < N_COLS; k++)
		w[k] = ustr_width(head[k]);
	for (size_t i = 0; i < rs->n; i++)
		for (int k = 0; k < N_COLS; k++) {
			int cw = ustr_width(rs->cell[i][k]);
			if (cw > w[k])
				w[k] = cw;
		}
	/* numbers right-aligned, text left-aligned; widths count CJK as two */
	for (size_t i = 0; i <= rs->n; i++) {
		for (int k = 0; k < N_COLS; k++) {
			const char *t = i == 0 ? head[k] : rs->cell[i - 1][k];
			int gap = w[k] - ustr_width(t);
			bool right = k == COL_ID || k == COL_SCORE;
			if (right)
				pad(gap);
			fputs(t, stdout);
			if (k + 1 < N_COLS) {
				if (!right)
					pad(gap);
				fputs("  ", stdout);
			}
		}
		putchar('\n');
	}
}

int cmd_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "format", required_argument, NULL, OPT_FORMAT },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct store_filter flt = { 0 };
	const char *format = "table";
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT: flt.unit = optarg; break;
		case OPT_YEAR:
			if (parse_year("list", optarg, &flt.year) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case OPT_STATUS:
			if (!status_valid(optarg))
				return cli_usage_error("list", _("--status is draft, submitted, returned or approved"));
			flt.status = optarg;
			break;
		case OPT_FORMAT: format = optarg; break;
		case 'h': return cmd_help(c, argc, argv);
		default: return cli_bad_option("list", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage_error("list", _("takes no arguments besides its options"));
	bool json = strcmp(format, "json") == 0;
	if (!json && strcmp(format, "table") != 0)
		return cli_usage_error("list", _("--format is table or json"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct rows rs = { 0 };
	if (json)
		rs.json = json_array();
	int rc = store_list(s, &flt, collect, &rs);
	if (rc == STORE_OK) {
		if (json) {
			/* one form per line; non-ASCII kept, controls escaped */
			size_t i;
			json_t *o;
			fputs(json_array_size(rs.json) ? "[\n" : "[", stdout);
			json_array_foreach(rs.json, i, o) {
				char *t = json_dumps(o, JSON_PRESERVE_ORDER);
				char *safe = cli_json_safe(t);
				printf("  %s%s\n", safe, i + 1 < json_array_size(rs.json) ? "," : "");
				free(safe);
				free(t);
			}
			fputs("]\n", stdout);
		} else {
			print_table(&rs);
		}
	}
	for (size_t i = 0; i < rs.n; i++)
		for (int k = 0; k < N_COLS; k++)
			free(rs.cell[i][k]);
	free(rs.cell);
	json_decref(rs.json);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	return EXIT_OK;
}

/* ---- show -------------------------------------------------------------------------- */

static int scrub_field(const char *path, const char *value, void *arg)
{
	if (!value || strcmp(path, "year") == 0)
		return 0;
	char *t = ustr_scrub(value, true);
	if (strcmp(t, value) != 0) {
		const char *err;
		form_set(arg, path, t, &err);
	}
	free(t);
	return 0;
}

/* A copy fit for a terminal or a printer: controls as placeholders, line
 * breaks and tabs of long texts kept. */
struct form *cli_printable(const struct form *f)
{
	struct form *p = form_copy(f);
	form_each_field(f, scrub_field, p);
	return p;
}

int cli_term_width(void)
{
	struct winsize ws;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	return 100;
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *format = "txt";
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_FORMAT: format = optarg; break;
		case 'h': return cmd_help(c, argc, argv);
		default: return cli_bad_option("show", argv, opt);
		}
	}
	bool json = strcmp(format, "json") == 0;
	if (!json && strcmp(format, "txt") != 0)
		return cli_usage_error("show", _("--format is txt or json"));
	if (argc - optind != 1)
		return cli_usage_error("show", _("needs one form id"));
	int64_t id;
	if (!cli_parse_id(argv[optind], &id))
		return EXIT_USAGE;
	struct form *f;
	int rc = cli_load(c, id, &f);
	if (rc != EXIT_OK)
		return rc;
	if (json) {
		char *t = io_json_write_form(f, true);
		puts(t);
		free(t);
	} else {
		struct form *p = cli_printable(f);
		rc = io_print_write(stdout, p, cli_term_width());
		form_free(p);
		if (rc != 0)
			rc = cli_error(_("cannot print form %lld"), (long long)id);
	}
	form_free(f);
	return rc;
}

/* ---- set ---------------------------------------------------------------------------- */

/* Findings before a change, to print only what the change changed. */
static struct finding *save_findings(const struct check *k, size_t *n)
{
	*n = k->n_findings;
	struct finding *v = malloc((*n ? *n : 1) * sizeof *v);
	if (!v)
		abort();
	memcpy(v, k->findings, *n * sizeof *v);
	return v;
}

static const struct finding *same_place(const struct finding *v, size_t n, const struct finding *fi)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].code, fi->code) == 0 && strcmp(v[i].field, fi->field) == 0)
			return &v[i];
	return NULL;
}

static int set_fields(struct cli *c, struct store *s, int64_t id, int argc, char **argv);

int cmd_set(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'h')
			return cmd_help(c, argc, argv);
		return cli_bad_option("set", argv, opt);
	}
	if (argc - optind < 2)
		return cli_usage_error("set", _("needs a form id and at least one PATH=VALUE"));
	int64_t id;
	if (!cli_parse_id(argv[optind], &id))
		return EXIT_USAGE;
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	/* Read, check and write in one write transaction (BEGIN IMMEDIATE,
	 * which waits inside the busy timeout for another writer to finish):
	 * nobody can change the form between what this set read and what it
	 * writes, so a change of another field meanwhile can never make it
	 * stale, and a change of the same field comes strictly before or after. */
	int rc = store_begin(s);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	rc = set_fields(c, s, id, argc, argv);
	if (rc == EXIT_OK) {
		if (store_commit(s) != STORE_OK)
			return cli_error("%s", store_errmsg(s));
	} else {
		store_rollback(s);
	}
	return rc;
}

/* The computed cells of the paper (sheet.h): 执行率, the budget's 得分,
 * 总分 and its grade. */
static bool computed_path(const char *path)
{
	return (strncmp(path, "funds.", 6) == 0 && strstr(path, ".rate")) ||
	       strcmp(path, "funds.total.score") == 0 || strncmp(path, "total.", 6) == 0;
}

/* A figure the computed cells follow: money of 项目资金, a weight, a score. */
static bool figure_path(const char *path)
{
	if (strncmp(path, "funds.", 6) == 0)
		return true;
	size_t n = strlen(path);
	return (n > 7 && strcmp(path + n - 7, ".weight") == 0) ||
	       (n > 6 && strcmp(path + n - 6, ".score") == 0);
}

/* One assignment saved; EXIT_OK, or the exit status after saying why. */
static int set_one(struct sheet *sh, const char *path, const char *value)
{
	int st = sheet_set(sh, path, value);
	if (st == STORE_OK)
		return EXIT_OK;
	cli_error("%s", sh->d.err);
	/* refused by the form's state (submitted, changed elsewhere): the
	 * command ran; a database that fails is exit 2 */
	return (st == STORE_READONLY || st == STORE_STALE || st == STORE_BADSTATE ||
		st == STORE_BADVALUE)
		       ? EXIT_FOUND : EXIT_USAGE;
}

/* cmd_set inside its transaction.  As on the screen (sheet.h), a changed
 * figure brings the computed cells after it, except those set here. */
static int set_fields(struct cli *c, struct store *s, int64_t id, int argc, char **argv)
{
	struct sheet sh;
	int rc = sheet_open(&sh, s, id);
	if (rc == STORE_NOTFOUND)
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	if (rc != STORE_OK) {
		cli_error("%s", sh.d.err);
		sheet_close(&sh);
		return EXIT_USAGE;
	}

	/* Every assignment is checked on a copy first: a typo in the third
	 * changes nothing, rather than leaving the first two saved. */
	struct form *trial = form_copy(sh.d.f);
	for (int i = optind + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		const char *err = NULL;
		if (!eq || eq == argv[i]) {
			char what[160];
			snprintf(what, sizeof what, _("\"%s\" is not PATH=VALUE"), argv[i]);
			form_free(trial);
			sheet_close(&sh);
			return cli_usage_error("set", what);
		}
		*eq = '\0';
		char path[256];
		if (!form_path_in(argv[i], path, sizeof path, &err) ||
		    form_set(trial, path, eq + 1, &err) != 0) {
			form_free(trial);
			sheet_close(&sh);
			return cli_error(_("set: %s: %s (form %lld)"), argv[i], _(err), (long long)id);
		}
	}
	form_free(trial);

	size_t n_before;
	struct finding *before = save_findings(sh.d.chk, &n_before);
	bool figures = false;
	rc = EXIT_OK;
	/* the figures and texts first, then the computed cells they bring,
	 * then the computed cells given here, which stay as given */
	for (int i = optind + 1; i < argc && rc == EXIT_OK; i++) {
		char path[256];
		form_path_in(argv[i], path, sizeof path, NULL);	/* checked above */
		if (computed_path(path))
			continue;
		figures |= figure_path(path);
		rc = set_one(&sh, path, argv[i] + strlen(argv[i]) + 1);
	}
	if (rc == EXIT_OK && figures) {
		int st = sheet_sync_computed(&sh, NULL);
		if (st != STORE_OK)
			rc = cli_error("%s", sh.d.err);
	}
	for (int i = optind + 1; i < argc && rc == EXIT_OK; i++) {
		char path[256];
		form_path_in(argv[i], path, sizeof path, NULL);
		if (computed_path(path))
			rc = set_one(&sh, path, argv[i] + strlen(argv[i]) + 1);
	}
	/* what the change did: new findings, changed ones, and those it fixed */
	const struct check *k = sh.d.chk;
	for (size_t i = 0; i < k->n_findings; i++) {
		const struct finding *fi = &k->findings[i];
		const struct finding *old = same_place(before, n_before, fi);
		if (!old)
			cli_print_finding(stdout, "+ ", fi);
		else if (strcmp(old->message, fi->message) != 0 || old->severity != fi->severity)
			cli_print_finding(stdout, "~ ", fi);
	}
	for (size_t i = 0; i < n_before; i++)
		if (!same_place(k->findings, k->n_findings, &before[i]))
			cli_print_finding(stdout, "- ", &before[i]);
	free(before);
	sheet_close(&sh);
	return rc;
}

/* ---- delete, restore ------------------------------------------------------------------ */

/* The command line of a command that takes one form id and no options of
 * its own: -1 and *id, *s to go on with, or the exit status. */
static int one_form(struct cli *c, int argc, char **argv, const char *name, int64_t *id, struct store **s)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'h')
			return cmd_help(c, argc, argv);
		return cli_bad_option(name, argv, opt);
	}
	if (argc - optind != 1)
		return cli_usage_error(name, _("needs one form id"));
	if (!cli_parse_id(argv[optind], id))
		return EXIT_USAGE;
	*s = cli_store(c);
	return *s ? -1 : EXIT_USAGE;
}

int cmd_delete(struct cli *c, int argc, char **argv)
{
	int64_t id;
	struct store *s;
	int ex = one_form(c, argc, argv, "delete", &id, &s);
	if (ex >= 0)
		return ex;
	int rc = store_delete(s, id);
	if (rc == STORE_NOTFOUND)
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	if (rc == STORE_READONLY) {
		cli_error("%s", store_errmsg(s));
		return EXIT_FOUND;
	}
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	printf(_("deleted form %lld; “jxzp restore %lld” brings it back\n"), (long long)id, (long long)id);
	return EXIT_OK;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	int64_t id;
	struct store *s;
	int ex = one_form(c, argc, argv, "restore", &id, &s);
	if (ex >= 0)
		return ex;
	int rc = store_restore(s, id);
	if (rc == STORE_NOTFOUND)
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	if (rc == STORE_BADSTATE || rc == STORE_EXISTS) {
		cli_error("%s", store_errmsg(s));
		return EXIT_FOUND;
	}
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	printf(_("restored form %lld\n"), (long long)id);
	return EXIT_OK;
}
