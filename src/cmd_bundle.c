/*
 * cmd_bundle: `jxzp bundle create|verify|apply`, `jxzp conflicts`,
 * `jxzp resolve` (spec/cli.md).  Thin: options in, bundle.h out, one line
 * per file.  Exit 2 for usage and for a bundle refused whole (damaged,
 * foreign, out of order, not allowed); 1 when an apply kept conflicts.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bundle.h"
#include "bundle_auth.h"
#include "cmd.h"
#include "doc.h"
#include "form.h"
#include "i18n.h"
#include "progress.h"

/* Options shared by the commands here: only --db and --help.  Returns
 * EXIT_OK, -1 after --help, or a usage exit. */
static int plain(struct cli *c, const char *cmd, int argc, char **argv)
{
	static const struct option opts[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'h') {
			cmd_help(c, argc, argv);
			return -1;
		}
		return cli_bad_option(cmd, argv, opt);
	}
	return EXIT_OK;
}

static void print_units(const struct bundle_info *bi)
{
	for (size_t i = 0; i < bi->n_units; i++)
		printf("%s%s #%lld", i ? ", " : "", bi->units[i].unit, (long long)bi->units[i].seq);
}

/* The bar of src/progress.h, started on the first call when the total is
 * known (it shows itself only for a large bundle on a terminal). */
struct bar {
	struct progress p;
	const char *what;
	bool started;
};

static void bar_step(void *arg, size_t done, size_t total)
{
	struct bar *b = arg;
	if (!b->started) {
		progress_start(&b->p, b->what, total, false);
		b->started = true;
	}
	progress_step(&b->p, done);
}

static void bar_end(struct bar *b)
{
	if (b->started)
		progress_end(&b->p);
	b->started = false;
}

static int code_exit(int rc)
{
	return rc == BUNDLE_OK ? EXIT_OK : EXIT_USAGE;
}

static int bundle_create_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "office", no_argument, NULL, 'O' },
		{ "clear", no_argument, NULL, 'C' },
		{ "output", required_argument, NULL, 'o' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct bundle_opts o = { 0 };
	const char *out = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, ":ho:", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT:
			o.unit = optarg;
			break;
		case OPT_YEAR:
			if (cli_year("bundle create", optarg, &o.year) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case OPT_ALL:
			o.all = true;
			break;
		case 'O':
			o.office = true;
			break;
		case 'C':
			o.clear = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'h':
			cmd_help(c, argc, argv);
			return EXIT_OK;
		default:
			return cli_bad_option("bundle create", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage_error("bundle create", _("takes no arguments besides its options"));
	if (!out)
		return cli_usage_error("bundle create", _("needs -o FILE"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct bundle_info bi;
	char err[1024];
	struct bar bar = { .what = _("writing the bundle") };
	o.progress = bar_step;
	o.progress_arg = &bar;
	int rc = bundle_create(s, &o, out, &bi, err, sizeof err);
	bar_end(&bar);
	if (rc == BUNDLE_EMPTY) {
		printf(_("nothing changed since the last bundle: no file written (--all sends every form)\n"));
		return EXIT_OK;
	}
	if (rc != BUNDLE_OK)
		return cli_error("%s", err);
	char counts[256];
	bundle_counts_text(counts, sizeof counts, (long long)bi.forms, (long long)bi.changes,
			   (long long)bi.comments);
	printf(_("%s: %s from %s database %.8s; units: "), out, counts,
	       strcmp(bi.role, "office") == 0 ? _("the office") : _("a unit's"), bi.origin);
	print_units(&bi);
	printf("\n");
	if (bi.sealed)
		printf(_("%s: signed, and sealed for %zu keys (its readers trusted here, and this database)\n"),
		       out, bi.n_readers);
	else if (o.clear)
		printf(_("%s: signed, not sealed (--clear): anyone with the file can read it\n"), out);
	else if (bi.unsealed_for && !*bi.unsealed_for)
		cli_error(_("%s: signed but NOT sealed: no office key is trusted here "
			    "(jxzp key trust --office KEY; --clear says you mean it)"), out);
	else
		cli_error(_("%s: signed but NOT sealed: no key is trusted here for %s "
			    "(jxzp key trust --unit '%s' KEY; --clear says you mean it)"), out,
			  bi.unsealed_for ? bi.unsealed_for : "", bi.unsealed_for ? bi.unsealed_for : "");
	bundle_info_free(&bi);
	return EXIT_OK;
}

static int bundle_verify_cmd(struct cli *c, int argc, char **argv)
{
	int status = plain(c, "bundle verify", argc, argv);
	if (status != EXIT_OK)
		return status < 0 ? EXIT_OK : status;
	if (optind >= argc)
		return cli_usage_error("bundle verify", _("needs a bundle file"));
	/* with a database (if there is one: verify creates none), a sealed
	 * payload is opened and checked too, and the signer named as known here */
	const char *dbp = cli_db_path(c);
	struct store *s = access(dbp, F_OK) == 0 ? cli_store(c) : NULL;
	for (int i = optind; i < argc; i++) {
		struct bundle_info bi;
		struct bundle_auth au = { .state = SIGNER_UNSIGNED };
		char err[1024], who[256];
		int rc = s ? bundle_check(s, argv[i], &bi, &au, err, sizeof err) :
			 bundle_verify(argv[i], &bi, err, sizeof err);
		if (rc != BUNDLE_OK) {
			cli_error("%s", err);
			status = code_exit(rc);
			continue;
		}
		char counts[256];
		bundle_counts_text(counts, sizeof counts, (long long)bi.forms, (long long)bi.changes,
				   (long long)bi.comments);
		printf(_("%s: sound, format %d, from %s database %s, written %s%s; %s; units: "),
		       argv[i], bi.version, strcmp(bi.role, "office") == 0 ? _("the office") : _("a unit's"),
		       bi.origin, bi.created, bi.full ? _(" (all forms)") : "", counts);
		print_units(&bi);
		printf("; sha256 %s\n", bi.sha256);
		if (!s && bi.is_signed) {
			char fp[KEYS_FP_LEN];
			keys_fingerprint(&bi.signer, fp);
			snprintf(who, sizeof who, _("signed by key %s"), fp);
		} else {
			bundle_auth_describe(&au, who, sizeof who);
		}
		printf("%s: %s; %s\n", argv[i], who,
		       !bi.sealed ? _("not sealed") : s ? _("sealed, and opened with this database's key") :
		       _("sealed (only its readers' databases can check the payload)"));
		bundle_auth_free(&au);
		bundle_info_free(&bi);
	}
	return status;
}

static int bundle_apply_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "accept-unsigned", no_argument, NULL, 'U' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct bundle_apply_opts ao = { 0 };
	int opt, status = EXIT_OK;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'U') {
			ao.accept_unsigned = true;
			continue;
		}
		if (opt == 'h') {
			cmd_help(c, argc, argv);
			return EXIT_OK;
		}
		return cli_bad_option("bundle apply", argv, opt);
	}
	if (optind >= argc)
		return cli_usage_error("bundle apply", _("needs a bundle file"));
	c->may_create = true;	/* a new machine starts from a bundle */
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	for (int i = optind; i < argc; i++) {
		struct bundle_result r;
		char err[1024];
		struct bar bar = { .what = _("applying the bundle") };
		int rc = bundle_apply_with(s, argv[i], &ao, &r, NULL, NULL, bar_step, &bar,
					   err, sizeof err);
		bar_end(&bar);
		if (rc != BUNDLE_OK) {
			cli_error("%s", err);
			status = EXIT_USAGE;
			continue;
		}
		if (r.already) {
			printf(_("%s: applied before: nothing changed\n"), argv[i]);
			continue;
		}
		char conf[64];
		bundle_conflicts_text(conf, sizeof conf, (long long)r.conflicts);
		printf(_("%s: %lld new, %lld updated, %lld unchanged, %s"), argv[i],
		       (long long)r.forms_new, (long long)r.forms_updated, (long long)r.forms_unchanged, conf);
		if (r.settled)
			printf(_(", %lld settled there"), (long long)r.settled);
		printf("\n");
		if (r.conflicts && status == EXIT_OK)
			status = EXIT_FOUND;
	}
	if (status == EXIT_FOUND)
		printf(_("conflicts are kept with both values: see jxzp conflicts\n"));
	return status;
}

int cmd_bundle(struct cli *c, int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";
	/* the sub-subcommand's options are its own: getopt starts at argv[1] */
	optind = 0;
	if (strcmp(sub, "create") == 0)
		return bundle_create_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "verify") == 0)
		return bundle_verify_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "apply") == 0)
		return bundle_apply_cmd(c, argc - 1, argv + 1);
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return cmd_help(c, argc, argv);
	return cli_usage_error("bundle", _("wants create, verify or apply"));
}

/* ---- conflicts ------------------------------------------------------------------ */

static void show_value(const char *label, const char *v, const char *where)
{
	printf("    %s %s%s%s  (%s)\n", label, v ? "\"" : "", v ? v : _("(absent)"), v ? "\"" : "", where);
}

static int print_conflict(const struct bundle_conflict *bc, void *arg)
{
	int *n = arg;
	char label[160], mine[64], theirs[96];
	bool row = strcmp(bc->col, "*") == 0;
	form_path_label(bc->path, label, sizeof label);
	char path[96];
	printf("%lld  %s %d %s  %s  %s\n", (long long)bc->form_id, bc->unit, bc->year, bc->project,
	       form_path_out(bc->path, path, sizeof path), label);
	snprintf(mine, sizeof mine, _("here, database %.8s"), bc->mine_origin);
	snprintf(theirs, sizeof theirs, _("from database %.8s, %s"), bc->theirs_origin, bc->at);
	if (row && !bc->mine) {	/* the row is deleted here (schema/004: conflict) */
		show_value(_("mine:  "), _("the row, deleted here"), mine);
		show_value(_("theirs:"), _("the row, changed there"), theirs);
	} else if (row) {	/* the row is here, or deleted here since: both sides deleted it */
		show_value(_("mine:  "), strstr(bc->path, "[deleted:") ? _("the row, deleted here") :
			   _("the row, changed here"), mine);
		show_value(_("theirs:"), _("the row deleted"), theirs);
	} else {
		if (strstr(bc->path, "[deleted:"))
			printf("    %s\n", _("(the row was deleted here: keep mine leaves it deleted, keep theirs brings it back)"));
		show_value(_("mine:  "), bc->mine, mine);
		show_value(_("theirs:"), bc->theirs, theirs);
	}
	++*n;
	return 0;
}

int cmd_conflicts(struct cli *c, int argc, char **argv)
{
	int rc = plain(c, "conflicts", argc, argv);
	if (rc != EXIT_OK)
		return rc < 0 ? EXIT_OK : rc;
	int64_t id = 0;
	if (argc - optind > 1)
		return cli_usage_error("conflicts", _("takes at most one form id"));
	if (argc - optind == 1 && !cli_parse_id(argv[optind], &id))
		return EXIT_USAGE;
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	if (id) {
		struct form *f;
		if ((rc = cli_load(c, id, &f)) != EXIT_OK)
			return rc;
		form_free(f);
	}
	int n = 0;
	if (bundle_conflicts_for(s, id, print_conflict, &n) != BUNDLE_OK)
		return cli_error(_("%s: cannot read the conflicts"), cli_db_path(c));
	if (n == 0)
		printf(_("no conflicts\n"));
	return EXIT_OK;
}

int cmd_resolve(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep", required_argument, NULL, 'k' },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *keep = NULL;
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == 'k') {
			keep = optarg;
			continue;
		}
		if (opt == 'h') {
			cmd_help(c, argc, argv);
			return EXIT_OK;
		}
		return cli_bad_option("resolve", argv, opt);
	}
	if (argc - optind != 2 || !keep)
		return cli_usage_error("resolve", _("needs a form id, a field path and --keep mine|theirs"));
	if (strcmp(keep, "mine") != 0 && strcmp(keep, "theirs") != 0)
		return cli_usage_error("resolve", _("--keep wants mine or theirs"));
	int64_t id;
	if (!cli_parse_id(argv[optind], &id))
		return EXIT_USAGE;
	const char *typed = argv[optind + 1], *perr = NULL;
	char path[256];
	if (!form_path_in(typed, path, sizeof path, &perr))
		return cli_error(_("resolve: %s: %s"), typed, _(perr));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct form *f;
	int rc = cli_load(c, id, &f);
	if (rc != EXIT_OK)
		return rc;
	form_free(f);
	char err[1024];
	bool theirs = strcmp(keep, "theirs") == 0;
	if (bundle_resolve(s, id, path, theirs, err, sizeof err) != BUNDLE_OK)
		return cli_error("%s", err);
	/* taking theirs changes the form: its cached figures follow */
	if (theirs && store_load(s, id, &f) == STORE_OK) {
		doc_refresh_summary(s, f);
		form_free(f);
	}
	printf(theirs ? _("form %lld: %s settled, theirs taken\n") : _("form %lld: %s settled, mine kept\n"),
	       (long long)id, typed);
	return EXIT_OK;
}
