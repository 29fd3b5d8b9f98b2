/*
 * cmd_check: `jxzp check (ID...|--all|FILE...) [--format text|json]
 * [--rules NAME] [--verbose]` (spec/cli.md, spec/rules.md "Findings").
 *
 * Runs the same rules_run the screen runs, on stored forms or on files read
 * without storing them, and prints the findings: text, one line per finding
 * under a heading per form (notes only with --verbose, so a batch stays
 * short), or the JSON array of rules.md, written one form at a time so
 * `--all` over many forms never holds them all.  Exit status: 0 no errors,
 * 1 error-level findings, 2 usage, a missing file or form, an unreadable
 * database, an unknown rule set.
 */
#include "config.h"
#include "cli.h"
#include "i18n.h"
#include "io.h"
#include "io_read.h"
#include "rules.h"
#include "store_iter.h"

#include <inttypes.h>
#include <unistr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

enum fmt { FMT_TEXT, FMT_JSON };

struct run {
	enum fmt fmt;
	bool verbose;
	const struct ruleset *override;
	struct check *chk;
	size_t forms, forms_with_errors;
	int rc;
};

static int usage(void)
{
	return cli_error("%s", _("usage: jxzp check (ID...|--all|FILE...) [--format text|json] [--rules NAME] [--verbose]"));
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* JSON written as jansson's json_dumpf(JSON_INDENT(2)) writes it, without
 * building jansson values: over 10,000 forms building, dumping and freeing
 * them cost more than the checking (tests/bench/check_all.sh).  A string is
 * escaped as jansson escapes it (", \\, and controls below U+0020); text
 * that is not UTF-8, which jansson refuses, is written as null. */
static void json_str(FILE *out, const char *s)
{
	if (!s || u8_check((const uint8_t *)s, strlen(s))) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	const char *run = s, *p = s;
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		fwrite(run, 1, (size_t)(p - run), out);
		run = p + 1;
		switch (ch) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default: fprintf(out, "\\u%04X", ch); break;
		}
	}
	fwrite(run, 1, (size_t)(p - run), out);
	putc('"', out);
}

/* As jansson's str_or_null: absent and empty are null. */
static void json_str_or_null(FILE *out, const char *s)
{
	json_str(out, s && *s ? s : NULL);
}

/* Checks one form and prints what was found.  label_id > 0 for a stored
 * form, else label is "FILE#N". */
/* What the reader could not read of a file's form: printed under it. */
struct read_notes {
	const char *file;
	const struct io_result *res;
	size_t form;
};

static void check_one(struct run *r, const struct form *f, int64_t label_id, const char *label,
		      const struct read_notes *rn)
{
	const struct ruleset *rs = r->override;
	if (!rs) {
		rs = f->ruleset ? ruleset_find(f->ruleset) : NULL;
		if (!rs) {
			if (f->ruleset && *f->ruleset)
				fprintf(stderr, _("jxzp: %s: unknown rule set “%s”, checked with “%s”\n"),
					label, f->ruleset, ruleset_default()->name);
			rs = ruleset_default();
		}
	}
	if (!r->chk || r->chk->cap_ind < f->n_ind) {
		check_free(r->chk);
		r->chk = check_new(f->n_ind < 32 ? 32 : f->n_ind);
	}
	struct check *c = r->chk;
	int rc = rules_run(f, rs, c);
	(void)rc;
	r->forms++;
	if (c->errors) {
		r->forms_with_errors++;
		if (r->rc < EXIT_FOUND)
			r->rc = EXIT_FOUND;
	}

	if (r->fmt == FMT_JSON) {
		FILE *out = stdout;
		if (r->forms > 1)
			fputs(",\n", out);
		fputs("{\n  \"form\": ", out);
		if (label_id > 0)
			fprintf(out, "%" PRId64, label_id);
		else
			json_str(out, label);
		fputs(",\n  \"project\": ", out);
		json_str_or_null(out, f->project);
		fputs(",\n  \"score\": ", out);
		json_str_or_null(out, c->total_score);
		fputs(",\n  \"grade\": ", out);
		json_str_or_null(out, c->grade);
		if (rn) {
			fputs(",\n  \"read_problems\": [", out);
			size_t k = 0;
			for (size_t i = 0; i < rn->res->n_problems; i++) {
				const struct io_problem *p = &rn->res->problems[i];
				if (p->form_index != rn->form)
					continue;
				fputs(k++ ? ",\n    {\n      \"line\": " : "\n    {\n      \"line\": ", out);
				fprintf(out, "%ld", p->line);
				fputs(",\n      \"message\": ", out);
				json_str(out, p->message);
				fputs("\n    }", out);
			}
			fputs(k ? "\n  ]" : "]", out);
		}
		fputs(",\n  \"findings\": [", out);
		for (size_t i = 0; i < c->n_findings; i++) {
			const struct finding *x = &c->findings[i];
			fputs(i ? ",\n    {\n      \"code\": " : "\n    {\n      \"code\": ", out);
			json_str(out, x->code);
			fputs(",\n      \"severity\": ", out);
			json_str(out, severity_key[x->severity]);
			fputs(",\n      \"field\": ", out);
			char p[64];
			json_str(out, form_path_out(x->field, p, sizeof p));	/* as `set` takes it */
			fputs(",\n      \"message\": ", out);
			json_str(out, x->message);
			fputs(",\n      \"expected\": ", out);
			json_str_or_null(out, x->expected);
			fputs(",\n      \"found\": ", out);
			json_str_or_null(out, x->found);
			fputs("\n    }", out);
		}
		fputs(c->n_findings ? "\n  ]\n}" : "]\n}", out);
		return;
	}

	printf("%s  %s  %s %s", label, f->project && *f->project ? f->project : "—",
	       *c->total_score ? c->total_score : "—", *c->grade ? c->grade : "");
	if (c->errors || c->warnings) {
		char e[64], w[64];
		snprintf(e, sizeof e, ngettext("%d error", "%d errors", (unsigned long)c->errors), c->errors);
		snprintf(w, sizeof w, ngettext("%d warning", "%d warnings", (unsigned long)c->warnings),
			 c->warnings);
		/* TRANSLATORS: the counts of errors and of warnings, e.g. "1 error, 2 warnings" */
		printf(_("  (%1$s, %2$s)"), e, w);
	}
	putchar('\n');
	/* what the reader could not read, under the form it belongs to: a
	 * field the rules find empty may be one it could not place */
	bool unread = false;
	for (size_t i = 0; rn && i < rn->res->n_problems; i++) {
		const struct io_problem *p = &rn->res->problems[i];
		if (p->form_index != rn->form)
			continue;
		const char *unit = f->unit && *f->unit ? f->unit : "—";
		if (p->line > 0)
			printf("  %-7s %s:%ld: %s (%s %zu, %s)\n", _("read"), rn->file, p->line,
			       p->message, _("form"), rn->form + 1, unit);
		else
			printf("  %-7s %s: %s (%s %zu, %s)\n", _("read"), rn->file, p->message,
			       _("form"), rn->form + 1, unit);
		unread = true;
	}
	if (rn && rn->res->incomplete && rn->res->incomplete[rn->form]) {
		printf("  %s\n", _("(this form could not be read whole: findings about empty fields may be the reader's, not the form's)"));
		if (r->rc < EXIT_FOUND)
			r->rc = EXIT_FOUND;
	}
	(void)unread;
	const char *sev[3] = { _("error"), _("warning"), _("note") };
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct finding *x = &c->findings[i];
		if (x->severity == SEV_NOTE && !r->verbose)
			continue;
		char lab[128];
		form_path_label(x->field, lab, sizeof lab);
		/* the rule's code for those who asked (-v); the message says it all */
		if (r->verbose)
			printf(_("  %1$-7s %2$-21s %3$s: %4$s\n"), sev[x->severity], x->code, lab, x->message);
		else
			printf(_("  %1$-7s %2$s: %3$s\n"), sev[x->severity], lab, x->message);
	}
	if (c->truncated)
		printf("  %s\n", _("(more findings than room: the list is cut)"));
}

/* store_each_form's callback: the form is ours to free. */
static int check_each(struct form *f, void *arg)
{
	char label[32];
	snprintf(label, sizeof label, "%" PRId64, f->id);
	check_one(arg, f, f->id, label, NULL);
	form_free(f);
	return 0;
}

static void check_stored(struct run *r, struct store *s, int64_t id)
{
	struct form *f = NULL;
	int rc = store_load(s, id, &f);
	if (rc != STORE_OK || !f) {
		if (rc == STORE_NOTFOUND)
			cli_error(_("no form %" PRId64 " in %s"), id, store_path(s));
		else
			cli_error("%s", store_errmsg(s));
		r->rc = EXIT_USAGE;
		return;
	}
	char label[32];
	snprintf(label, sizeof label, "%" PRId64, id);
	check_one(r, f, id, label, NULL);
	form_free(f);
}

static void check_file(struct run *r, const char *path)
{
	size_t len = 0;
	char *buf = cli_read_file(path, &len);
	if (!buf) {
		r->rc = EXIT_USAGE;
		return;
	}
	struct io_result res;
	memset(&res, 0, sizeof res);
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	io_read_any(buf, len, name, &res);	/* the format from the content */
	/* problems of no form (the file itself) here; a form's under it */
	for (size_t i = 0; i < res.n_problems; i++) {
		const struct io_problem *p = &res.problems[i];
		if (p->form_index < res.n_forms)
			continue;
		if (p->line > 0)
			fprintf(stderr, "jxzp: %s:%ld: %s\n", name, p->line, p->message);
		else
			fprintf(stderr, "jxzp: %s: %s\n", name, p->message);
	}
	if (res.n_forms == 0) {
		if (!res.n_problems)
			cli_error(_("%s: no form found"), name);
		/* 2: the file could not be read; 1: read, but no form in it */
		int st = res.unreadable ? EXIT_USAGE : EXIT_FOUND;
		if (r->rc < st)
			r->rc = st;
	}
	for (size_t i = 0; i < res.n_forms; i++) {
		char label[4200];
		snprintf(label, sizeof label, "%s#%zu", name, i + 1);
		struct read_notes rn = { name, &res, i };
		check_one(r, res.forms[i], 0, label, &rn);
	}
	io_result_free(&res);
	free(buf);
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	struct run r = { .fmt = FMT_TEXT };
	bool all = false, dashdash = false;
	const char *rules = NULL;
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	int npos = 0;
	if (!pos)
		abort();
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!dashdash && strcmp(a, "--") == 0) {
			dashdash = true;
		} else if (!dashdash && strcmp(a, "--all") == 0) {
			all = true;
		} else if (!dashdash && (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0)) {
			r.verbose = true;
		} else if (!dashdash && (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)) {
			printf("%s\n", _("usage: jxzp check (ID...|--all|FILE...) [--format text|json] [--rules NAME] [--verbose]"));
			for (size_t k = 0; k < ruleset_count(); k++)
				printf("  --rules %-10s %s\n", ruleset_at(k)->name, ruleset_at(k)->title);
			free(pos);
			return EXIT_OK;
		} else if (!dashdash && (strncmp(a, "--format", 8) == 0 || strncmp(a, "--rules", 7) == 0)) {
			bool is_fmt = a[2] == 'f';
			size_t n = is_fmt ? 8 : 7;
			if (a[n] == '=')
				val = a + n + 1;
			else if (a[n] == '\0' && i + 1 < argc)
				val = argv[++i];
			else if (a[n] == '\0') {
				free(pos);
				return cli_error(_("%s needs a value"), a);
			} else {
				free(pos);
				return cli_error(_("unknown option %s"), a);
			}
			if (!is_fmt) {
				rules = val;
			} else if (strcmp(val, "text") == 0 || strcmp(val, "txt") == 0) {
				r.fmt = FMT_TEXT;
			} else if (strcmp(val, "json") == 0) {
				r.fmt = FMT_JSON;
			} else {
				free(pos);
				return cli_error(_("unknown format “%s”: use text or json"), val);
			}
		} else if (!dashdash && a[0] == '-' && a[1] != '\0') {
			free(pos);
			return cli_error(_("unknown option %s"), a);
		} else {
			pos[npos++] = argv[i];
		}
	}
	if ((all && npos) || (!all && !npos)) {
		free(pos);
		return usage();
	}
	if (rules) {
		r.override = ruleset_find(rules);
		if (!r.override) {
			char known[256] = "";
			for (size_t k = 0; k < ruleset_count(); k++) {
				if (k)
					strncat(known, ", ", sizeof known - strlen(known) - 1);
				strncat(known, ruleset_at(k)->name, sizeof known - strlen(known) - 1);
			}
			free(pos);
			return cli_error(_("unknown rule set “%s” (known: %s)"), rules, known);
		}
	}

	if (r.fmt == FMT_JSON)
		fputs("[\n", stdout);
	struct store *s = NULL;
	if (all) {
		s = cli_store(c);
		if (!s) {
			free(pos);
			if (r.fmt == FMT_JSON)
				fputs("]\n", stdout);
			return EXIT_USAGE;
		}
		/* every form whole by three ordered queries, not a transaction
		 * and three queries per form (tests/bench/check_all.sh) */
		struct store_filter flt = { 0 };
		if (store_each_form(s, &flt, check_each, &r) != STORE_OK) {
			cli_error("%s", store_errmsg(s));
			r.rc = EXIT_USAGE;
		}
	}
	for (int i = 0; i < npos; i++) {
		int64_t id;
		if (all_digits(pos[i])) {
			if (!s && !(s = cli_store(c))) {
				r.rc = EXIT_USAGE;
				break;
			}
			if (!cli_parse_id(pos[i], &id)) {
				r.rc = EXIT_USAGE;
				continue;
			}
			check_stored(&r, s, id);
		} else {
			check_file(&r, pos[i]);
		}
	}
	if (r.fmt == FMT_JSON) {
		fputs(r.forms ? "\n]\n" : "]\n", stdout);
	} else if (r.forms > 1) {
		printf(ngettext("%zu form checked, %zu with errors\n", "%zu forms checked, %zu with errors\n",
				(unsigned long)r.forms), r.forms, r.forms_with_errors);
	}
	fflush(stdout);
	check_free(r.chk);
	free(pos);
	return r.rc;
}
