/*
 * cmd_triage: `jxzp triage [--unit U] [--year Y] [--signal CODE]
 * [--format txt|csv|json]` — the forms by triage score, highest first,
 * each with its signals (a reason to look, never a verdict), and per unit
 * how many forms have each signal.  Brings the triage cache up to date
 * first (src/store_triage.c).  Exit 0 whatever it found; 2 for usage or an
 * unreadable database.
 */
#include "config.h"
#include "cmd.h"
#include "i18n.h"
#include "store_triage.h"
#include "ustr.h"

#include <getopt.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum fmt { F_TXT, F_CSV, F_JSON };

struct unit_count {
	char *unit;
	size_t forms, flagged, code[TR_NCODES];
};

struct run {
	enum fmt fmt;
	struct unit_count *u;
	size_t nu;
	size_t forms, flagged;
	json_t *jforms;
};

static struct unit_count *unit_of(struct run *r, const char *unit)
{
	for (size_t i = r->nu; i-- > 0;)
		if (strcmp(r->u[i].unit, unit) == 0)
			return &r->u[i];
	r->u = realloc(r->u, (r->nu + 1) * sizeof *r->u);
	if (!r->u)
		abort();
	struct unit_count *x = &r->u[r->nu++];
	memset(x, 0, sizeof *x);
	x->unit = xstrdup(unit);
	return x;
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
	} else
		fputs(s, stdout);
	fputs(last ? "\r\n" : ",", stdout);
}

/* The labels of a signal's fields: "第3行 实际完成值、全年执行数（B）". */
static void labels(const struct tr_signal *x, char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	char f[TR_FIELDS];
	snprintf(f, sizeof f, "%s", x->fields);
	char *save = NULL;
	for (char *p = strtok_r(f, ",", &save); p && o < len; p = strtok_r(NULL, ",", &save)) {
		char lab[128];
		if (strcmp(p, "indicators") == 0)
			snprintf(lab, sizeof lab, "%s", _("绩效指标"));
		else
			form_path_label(p, lab, sizeof lab);
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? _(", ") : "", lab);
	}
}

static int each(const struct triage_row *t, void *arg)
{
	struct run *r = arg;
	const char *unit = t->unit ? t->unit : "";
	struct unit_count *u = unit_of(r, unit);
	u->forms++;
	if (t->mask) {
		u->flagged++;
		r->flagged++;
	}
	for (int c = 0; c < TR_NCODES; c++)
		if (t->mask & 1u << c)
			u->code[c]++;
	r->forms++;
	struct tr_list l = { 0 };
	tr_list_unpack(t->own, &l);
	tr_list_unpack(t->cross, &l);
	char *proj = ustr_scrub(t->project ? t->project : "", false);
	char *un = ustr_scrub(unit, false);
	char id[32], year[16], score[16];
	snprintf(id, sizeof id, "%" PRId64, t->id);
	snprintf(year, sizeof year, "%d", t->year);
	snprintf(score, sizeof score, "%d", t->score);
	if (r->fmt == F_TXT && l.n) {
		printf("%4d  %-6s %d  %s  %s\n", t->score, id, t->year, un, proj);
		for (size_t i = 0; i < l.n; i++) {
			char why[512], lab[512];
			tr_reason(&l.v[i], why, sizeof why);
			labels(&l.v[i], lab, sizeof lab);
			printf("        %-14s %s: %s\n", tr_code_key[l.v[i].code], lab, why);
		}
	} else if (r->fmt == F_CSV) {
		for (size_t i = 0; i < (l.n ? l.n : 1); i++) {
			char why[512] = "";
			const char *code = "", *fields = "";
			if (l.n) {
				tr_reason(&l.v[i], why, sizeof why);
				code = tr_code_key[l.v[i].code];
				fields = l.v[i].fields;
			}
			const char *v[] = { "form", id, year, un, proj, t->status ? t->status : "", score,
					    code, fields, why, "" };
			for (size_t k = 0; k < 11; k++)
				csv_field(v[k], k == 10);
		}
	} else if (r->fmt == F_JSON) {
		json_t *sig = json_array();
		for (size_t i = 0; i < l.n; i++) {
			char why[512];
			tr_reason(&l.v[i], why, sizeof why);
			json_t *fields = json_array();
			char f[TR_FIELDS];
			snprintf(f, sizeof f, "%s", l.v[i].fields);
			char *save = NULL;
			for (char *p = strtok_r(f, ",", &save); p; p = strtok_r(NULL, ",", &save))
				json_array_append_new(fields, json_string(p));
			json_t *o = json_pack("{s:s, s:o, s:s}", "code", tr_code_key[l.v[i].code],
					      "fields", fields, "reason", why);
			if (l.v[i].other)
				json_object_set_new(o, "other", json_integer(l.v[i].other));
			json_array_append_new(sig, o);
		}
		json_t *o = json_pack("{s:I, s:i, s:s?, s:s?, s:s?, s:i, s:o}", "form", (json_int_t)t->id,
				      "year", t->year, "unit", t->unit, "project", t->project,
				      "status", t->status, "score", t->score, "signals", sig);
		json_array_append_new(r->jforms, o);
	}
	free(proj);
	free(un);
	tr_list_free(&l);
	return 0;
}

static void print_units(struct run *r)
{
	if (r->fmt == F_TXT) {
		printf("\n%s\n", _("Per unit: forms, forms with signals, and forms per signal"));
		for (size_t i = 0; i < r->nu; i++) {
			char *un = ustr_scrub(r->u[i].unit, false);
			printf(_("  %s: %zu forms, %zu with signals\n"), un, r->u[i].forms, r->u[i].flagged);
			for (int c = 0; c < TR_NCODES; c++)
				if (r->u[i].code[c])
					printf("      %-14s %-24s %zu\n", tr_code_key[c], tr_code_title((enum tr_code)c),
					       r->u[i].code[c]);
			free(un);
		}
		return;
	}
	for (size_t i = 0; i < r->nu; i++) {
		struct unit_count *u = &r->u[i];
		if (r->fmt == F_CSV) {
			char *un = ustr_scrub(u->unit, false);
			char n[32], fl[32];
			snprintf(n, sizeof n, "%zu", u->forms);
			snprintf(fl, sizeof fl, "%zu", u->flagged);
			const char *v[] = { "unit", "", "", un, "", "", "", "", "", "forms", n };
			for (size_t k = 0; k < 11; k++)
				csv_field(v[k], k == 10);
			const char *w[] = { "unit", "", "", un, "", "", "", "", "", "flagged", fl };
			for (size_t k = 0; k < 11; k++)
				csv_field(w[k], k == 10);
			for (int c = 0; c < TR_NCODES; c++) {
				if (!u->code[c])
					continue;
				snprintf(n, sizeof n, "%zu", u->code[c]);
				const char *x[] = { "unit", "", "", un, "", "", "", tr_code_key[c], "", "forms", n };
				for (size_t k = 0; k < 11; k++)
					csv_field(x[k], k == 10);
			}
			free(un);
		}
	}
}

static json_t *units_json(struct run *r)
{
	json_t *a = json_array();
	for (size_t i = 0; i < r->nu; i++) {
		json_t *c = json_object();
		for (int k = 0; k < TR_NCODES; k++)
			json_object_set_new(c, tr_code_key[k], json_integer((json_int_t)r->u[i].code[k]));
		json_array_append_new(a, json_pack("{s:s, s:I, s:I, s:o}", "unit", r->u[i].unit, "forms",
						   (json_int_t)r->u[i].forms, "flagged",
						   (json_int_t)r->u[i].flagged, "signals", c));
	}
	return a;
}

int cmd_triage(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "status", required_argument, NULL, OPT_STATUS },
		{ "signal", required_argument, NULL, OPT_REASON },
		{ "format", required_argument, NULL, OPT_FORMAT },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct store_filter flt = { 0 };
	const char *format = "txt";
	int code = -1, opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT: flt.unit = optarg; break;
		case OPT_YEAR:
			if (cli_year("triage", optarg, &flt.year) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case OPT_STATUS: flt.status = optarg; break;
		case OPT_REASON:
			if ((code = tr_code_find(optarg)) < 0)
				return cli_usage_error("triage", _("--signal is one of the signal codes (README, “Triage”)"));
			break;
		case OPT_FORMAT: format = optarg; break;
		case 'h': return cmd_help(c, argc, argv);
		default: return cli_bad_option("triage", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage_error("triage", _("takes no arguments besides its options"));
	struct run r = { 0 };
	if (strcmp(format, "txt") == 0)
		r.fmt = F_TXT;
	else if (strcmp(format, "csv") == 0)
		r.fmt = F_CSV;
	else if (strcmp(format, "json") == 0)
		r.fmt = F_JSON;
	else
		return cli_usage_error("triage", _("--format is txt, csv or json"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	int rc = store_triage_refresh(s, NULL);
	if (rc == STORE_LOCKED)	/* an import still running: what is stored, said so */
		cli_error(_("%s; the risks listed are as last worked out"), store_errmsg(s));
	else if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	if (r.fmt == F_CSV) {
		fputs("\xef\xbb\xbf", stdout);
		const char *head[] = { "record", "form", "year", "unit", "project", "status", "score",
				       "signal", "fields", "reason", "count" };
		for (size_t k = 0; k < 11; k++)
			csv_field(head[k], k == 10);
	}
	if (r.fmt == F_JSON)
		r.jforms = json_array();
	rc = store_triage_list(s, &flt, code, 0, 0, each, &r);
	if (rc == STORE_OK) {
		if (r.fmt == F_TXT && !r.flagged)
			printf("%s\n", _("No form has a signal."));
		print_units(&r);
		if (r.fmt == F_JSON) {
			json_t *o = json_pack("{s:o, s:o}", "forms", r.jforms, "units", units_json(&r));
			char *t = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			char *safe = cli_json_safe(t);
			printf("%s\n", safe);
			free(safe);
			free(t);
			json_decref(o);
		}
	} else
		json_decref(r.jforms);
	for (size_t i = 0; i < r.nu; i++)
		free(r.u[i].unit);
	free(r.u);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	return EXIT_OK;
}
