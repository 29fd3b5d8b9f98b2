/*
 * cmd_check: `jxzp check (ID...|--all|FILE...) [--format text|json]
 * [--rules NAME] [--verbose]` (spec/cli.md, spec/rules.md "Findings").
 *
 * Runs the rules the screen runs (rules_run_once: each form once, no
 * memo, each distinct target text read once), on stored forms or on files
 * read without storing them, and prints the findings: text, one line per
 * finding under a heading per form (notes only with --verbose, so a batch
 * stays short), or the JSON array of rules.md, written one form at a time so
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
#include "progress.h"
#include "store_iter.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdint.h>

enum fmt { FMT_TEXT, FMT_JSON };

/* What one form prints, gathered and written with one fwrite: over 10,000
 * forms a stdio call per piece cost as much as the rest of the printing. */
struct obuf {
	char *s;
	size_t len, cap;
};

struct run {
	enum fmt fmt;
	bool verbose;
	const struct ruleset *override;
	struct check *chk;
	struct obuf out;	/* the JSON of the form being printed */
	/* the text's translated words and formats, looked up once: a gettext
	 * per finding was a twentieth of `check --all` */
	const char *sev[3], *counts, *line, *line_v;
	bool counts_plain, line_plain, line_v_plain;	/* fmt_plain of each */
	size_t forms, forms_with_errors;
	struct progress bar;	/* check --all into a file or a pipe */
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

static char *ob_room(struct obuf *b, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 65536;
		while (cap < b->len + n)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			abort();	/* out of memory */
		b->s = p;
		b->cap = cap;
	}
	return b->s + b->len;
}

static void ob_addn(struct obuf *b, const char *s, size_t n)
{
	memcpy(ob_room(b, n), s, n);
	b->len += n;
}

static void ob_add(struct obuf *b, const char *s)
{
	ob_addn(b, s, strlen(s));
}

/* A string literal, its length known at compile time. */
#define OB_LIT(b, s) ob_addn(b, "" s, sizeof s - 1)

/* v in decimal into t (room for 21), returning where it ends. */
static char *dec(char *t, uint64_t v)
{
	char r[21];
	int n = 0;
	do
		r[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n)
		*t++ = r[--n];
	return t;
}

static void ob_int(struct obuf *b, int64_t v)
{
	char t[24], *e = t;
	if (v < 0)
		*e++ = '-';
	e = dec(e, v < 0 ? -(uint64_t)v : (uint64_t)v);
	ob_addn(b, t, (size_t)(e - t));
}

/* The translated line formats of the text output hold only %s, %N$s with
 * an optional "-" and width, and %%: written here, printf's positional path
 * was a tenth of `check --all --format text`.  A width counts bytes, as
 * printf's does.  fmt_plain says whether a format is of that kind (else it
 * goes to printf, as a catalogue may make any line). */
static bool fmt_plain(const char *f, int na)
{
	int next = 0;
	for (; *f; f++) {
		if (*f != '%')
			continue;
		f++;
		if (*f == '%')
			continue;
		int idx = next++;
		if (*f >= '1' && *f <= '9' && f[1] == '$')
			idx = *f - '1', f += 2;
		if (*f == '-')
			f++;
		while (*f >= '0' && *f <= '9')
			f++;
		if (*f != 's' || idx >= na)
			return false;
	}
	return true;
}

static void ob_fmt(struct obuf *b, const char *f, const char *const *a)
{
	int next = 0;
	while (*f) {
		const char *pc = strchr(f, '%');
		if (!pc) {
			ob_add(b, f);
			return;
		}
		ob_addn(b, f, (size_t)(pc - f));
		f = pc + 1;
		if (*f == '%') {
			ob_addn(b, "%", 1);
			f++;
			continue;
		}
		int idx = next++;
		if (*f >= '1' && *f <= '9' && f[1] == '$')
			idx = *f - '1', f += 2;
		bool left = *f == '-';
		if (left)
			f++;
		size_t width = 0;
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (size_t)(*f++ - '0');
		f++;	/* the 's' */
		size_t n = strlen(a[idx]);
		size_t pad = width > n ? width - n : 0;
		if (!left)
			memset(ob_room(b, pad), ' ', pad), b->len += pad;
		ob_addn(b, a[idx], n);
		if (left)
			memset(ob_room(b, pad), ' ', pad), b->len += pad;
	}
}

static void ob_flush(struct obuf *b, FILE *out)
{
	if (b->len)
		fwrite(b->s, 1, b->len, out);
	b->len = 0;
}

/* Whether s[0..n) is UTF-8 as u8_check takes it (no overlong form, no
 * surrogate, nothing past U+10FFFF), ASCII eight bytes at a time and the
 * common three-byte characters (CJK) in one step: most messages are Chinese
 * or quote Chinese, and libunistring's byte loop was a fifth of the JSON. */
static bool utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str, *e = s + n;
	while (s < e) {
		if (e - s >= 8) {
			uint64_t w;
			memcpy(&w, s, 8);
			if (!(w & 0x8080808080808080u)) {
				s += 8;
				continue;
			}
		}
		unsigned c = *s;
		if (c < 0x80) {
			s++;
		} else if (c >= 0xe0 && c <= 0xef) {
			if (e - s < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
			    (c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0))
				return false;
			s += 3;
		} else if (c >= 0xc2 && c <= 0xdf) {
			if (e - s < 2 || (s[1] & 0xc0) != 0x80)
				return false;
			s += 2;
		} else if (c >= 0xf0 && c <= 0xf4) {
			if (e - s < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
			    (s[3] & 0xc0) != 0x80 || (c == 0xf0 && s[1] < 0x90) || (c == 0xf4 && s[1] >= 0x90))
				return false;
			s += 4;
		} else {
			return false;
		}
	}
	return true;
}

/* JSON written as jansson's json_dumpf(JSON_INDENT(2)) writes it, without
 * building jansson values: over 10,000 forms building, dumping and freeing
 * them cost more than the checking (tests/bench/check_all.sh).  A string is
 * escaped as jansson escapes it (", \\, and controls below U+0020); text
 * that is not UTF-8, which jansson refuses, is written as null. */
static void json_str(struct obuf *b, const char *s)
{
	if (!s) {
		ob_addn(b, "null", 4);
		return;
	}
	size_t n = strlen(s);
	char *o = ob_room(b, 6 * n + 2), *o0 = o;	/* the most an escaped string takes */
	unsigned high = 0;	/* any byte past ASCII: then check the whole is UTF-8 */
	*o++ = '"';
	const char *p = s;
	/* eight bytes at a time while none needs escaping (the messages are
	 * most of the output) */
	for (; p + 8 <= s + n; p += 8) {
		uint64_t w, ones = 0x0101010101010101u, highs = 0x8080808080808080u;
		memcpy(&w, p, 8);
		uint64_t q = w ^ (ones * '"'), bs = w ^ (ones * '\\');
		if (((w - ones * 0x20) & ~w & highs) | ((q - ones) & ~q & highs) | ((bs - ones) & ~bs & highs))
			break;
		high |= (w & highs) != 0;
		memcpy(o, p, 8);
		o += 8;
	}
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;
		high |= ch & 0x80;
		if (ch >= 0x20 && ch != '"' && ch != '\\') {
			*o++ = (char)ch;
			continue;
		}
		*o++ = '\\';
		switch (ch) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			o += sprintf(o, "u%04X", ch);
			break;
		}
	}
	*o++ = '"';
	if (high && !utf8_ok(s, n)) {
		ob_addn(b, "null", 4);	/* nothing of the string was counted in */
		return;
	}
	b->len += (size_t)(o - o0);
}

/* As jansson's str_or_null: absent and empty are null. */
static void json_str_or_null(struct obuf *b, const char *s)
{
	json_str(b, s && *s ? s : NULL);
}

/* A finding's field as `set` takes it (form_path_out: rows from 1), without
 * a snprintf for the common "indicators[N]..." and the header's paths. */
static const char *path_out(const char *path, char *buf, size_t len)
{
	if (strncmp(path, "indicators[", 11) != 0)
		return path;	/* form_path_out copies it as it is */
	const char *p = path + 11;
	unsigned long n = 0;
	int digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 8) {
		n = n * 10 + (unsigned long)(*p++ - '0');
		digits++;
	}
	if (!digits || *p != ']' || n > 1000000 || strlen(p) + 20 > len)
		return form_path_out(path, buf, len);	/* what it makes of odd paths */
	memcpy(buf, "indicators[", 11);
	char *e = dec(buf + 11, n + 1);
	memcpy(e, p, strlen(p) + 1);
	return buf;
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
		r->chk = check_new_once(f->n_ind < 32 ? 32 : f->n_ind);
	}
	struct check *c = r->chk;
	int rc = rules_run_once(f, rs, c);	/* each form once: no memo */
	(void)rc;
	r->forms++;
	if (c->errors) {
		r->forms_with_errors++;
		if (r->rc < EXIT_FOUND)
			r->rc = EXIT_FOUND;
	}

	if (r->fmt == FMT_JSON) {
		struct obuf *b = &r->out;
		if (r->forms > 1)
			ob_addn(b, ",\n", 2);
		OB_LIT(b, "{\n  \"form\": ");
		if (label_id > 0)
			ob_int(b, label_id);
		else
			json_str(b, label);
		OB_LIT(b, ",\n  \"project\": ");
		json_str_or_null(b, f->project);
		OB_LIT(b, ",\n  \"score\": ");
		json_str_or_null(b, c->total_score);
		OB_LIT(b, ",\n  \"grade\": ");
		json_str_or_null(b, c->grade);
		if (rn) {
			OB_LIT(b, ",\n  \"read_problems\": [");
			size_t k = 0;
			for (size_t i = 0; i < rn->res->n_problems; i++) {
				const struct io_problem *p = &rn->res->problems[i];
				if (p->form_index != rn->form)
					continue;
				ob_add(b, k++ ? ",\n    {\n      \"line\": " : "\n    {\n      \"line\": ");
				ob_int(b, p->line);
				OB_LIT(b, ",\n      \"message\": ");
				json_str(b, p->message);
				OB_LIT(b, "\n    }");
			}
			ob_add(b, k ? "\n  ]" : "]");
		}
		OB_LIT(b, ",\n  \"findings\": [");
		for (size_t i = 0; i < c->n_findings; i++) {
			const struct finding *x = &c->findings[i];
			ob_add(b, i ? ",\n    {\n      \"code\": " : "\n    {\n      \"code\": ");
			json_str(b, x->code);
			/* the severity's key is one of three plain words */
			static const char *const sev_json[3] = { "\"error\"", "\"warning\"", "\"note\"" };
			OB_LIT(b, ",\n      \"severity\": ");
			ob_add(b, sev_json[x->severity]);
			OB_LIT(b, ",\n      \"field\": ");
			char p[64];
			json_str(b, path_out(x->field, p, sizeof p));	/* as `set` takes it */
			OB_LIT(b, ",\n      \"message\": ");
			json_str(b, x->message);
			OB_LIT(b, ",\n      \"expected\": ");
			json_str_or_null(b, x->expected);
			OB_LIT(b, ",\n      \"found\": ");
			json_str_or_null(b, x->found);
			OB_LIT(b, "\n    }");
		}
		ob_add(b, c->n_findings ? "\n  ]\n}" : "]\n}");
		ob_flush(b, stdout);
		return;
	}

	/* the form's lines gathered in r->out, flushed before anything printf
	 * writes and at the end */
	struct obuf *b = &r->out;
	ob_add(b, label);
	ob_addn(b, "  ", 2);
	ob_add(b, f->project && *f->project ? f->project : "—");
	ob_addn(b, "  ", 2);
	ob_add(b, *c->total_score ? c->total_score : "—");
	ob_addn(b, " ", 1);
	ob_add(b, *c->grade ? c->grade : "");
	if (c->errors || c->warnings) {
		char e[64], w[64];
		snprintf(e, sizeof e, ngettext("%d error", "%d errors", (unsigned long)c->errors), c->errors);
		snprintf(w, sizeof w, ngettext("%d warning", "%d warnings", (unsigned long)c->warnings),
			 c->warnings);
		if (r->counts_plain) {
			ob_fmt(b, r->counts, (const char *const[]){ e, w });
		} else {
			ob_flush(b, stdout);
			printf(r->counts, e, w);
		}
	}
	ob_addn(b, "\n", 1);
	if (rn)
		ob_flush(b, stdout);
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
	const char *const *sev = r->sev;
	for (size_t i = 0; i < c->n_findings; i++) {
		const struct finding *x = &c->findings[i];
		if (x->severity == SEV_NOTE && !r->verbose)
			continue;
		char lab[128];
		form_path_label(x->field, lab, sizeof lab);
		/* the rule's code for those who asked (-v); the message says it all */
		if (r->verbose && r->line_v_plain)
			ob_fmt(b, r->line_v, (const char *const[]){ sev[x->severity], x->code, lab, x->message });
		else if (!r->verbose && r->line_plain)
			ob_fmt(b, r->line, (const char *const[]){ sev[x->severity], lab, x->message });
		else {
			ob_flush(b, stdout);
			if (r->verbose)
				printf(r->line_v, sev[x->severity], x->code, lab, x->message);
			else
				printf(r->line, sev[x->severity], lab, x->message);
		}
	}
	ob_flush(b, stdout);
	if (c->truncated)
		printf("  %s\n", _("(more findings than room: the list is cut)"));
}

/* store_each_form_view's callback: the form is lent, not ours. */
static int check_each(const struct form *f, void *arg)
{
	char label[32], *e = label;	/* the id, without a snprintf per form */
	if (f->id < 0)
		*e++ = '-';
	e = dec(e, f->id < 0 ? -(uint64_t)f->id : (uint64_t)f->id);
	*e = '\0';
	struct run *r = arg;
	check_one(r, f, f->id, label, NULL);
	progress_step(&r->bar, r->forms);
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

	r.sev[SEV_ERROR] = _("error");
	r.sev[SEV_WARNING] = _("warning");
	r.sev[SEV_NOTE] = _("note");
	/* TRANSLATORS: the counts of errors and of warnings, e.g. "1 error, 2 warnings" */
	r.counts = _("  (%1$s, %2$s)");
	r.line_v = _("  %1$-7s %2$-21s %3$s: %4$s\n");
	r.line = _("  %1$-7s %2$s: %3$s\n");
	r.counts_plain = fmt_plain(r.counts, 2);
	r.line_v_plain = fmt_plain(r.line_v, 4);
	r.line_plain = fmt_plain(r.line, 3);
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
		 * and three queries per form, each lent and read into the same
		 * memory (tests/bench/check_all.sh) */
		struct store_filter flt = { 0 };
		size_t total = 0;
		/* a bar on the terminal while the findings go to a file (on the
		 * terminal they are their own progress) */
		bool quiet = isatty(STDOUT_FILENO) || store_count(s, &flt, &total) != STORE_OK;
		progress_start(&r.bar, _("checking"), total, quiet);
		if (store_each_form_view(s, &flt, check_each, &r) != STORE_OK) {
			progress_end(&r.bar);
			cli_error("%s", store_errmsg(s));
			r.rc = EXIT_USAGE;
		}
		progress_end(&r.bar);
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
	free(r.out.s);
	free(pos);
	return r.rc;
}
