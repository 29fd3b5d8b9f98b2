/*
 * cli: the command line (spec/cli.md): global options, the database, the
 * table of subcommands, and the small helpers every subcommand shares.
 *
 * Promises: every error is one line on standard error that names what and
 * where; exit status 0 (done), 1 (ran and found problems), 2 (usage, missing
 * file, unusable database).  Nothing here knows about curses: the screen is
 * handed in by main.
 */
#include "config.h"
#include "cli.h"
#include "io_read.h"
#include "paths.h"
#include "slurp.h"

#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "i18n.h"
#include "ttyout.h"
#include "ustr.h"

struct command {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);
};


/* Every subcommand of spec/cli.md. */
static const struct command commands[] = {
	{ "new", cmd_new },
	{ "list", cmd_list },
	{ "show", cmd_show },
	{ "set", cmd_set },
	{ "delete", cmd_delete },
	{ "restore", cmd_restore },
	{ "import", cmd_import },
	{ "export", cmd_export },
	{ "check", cmd_check },
	{ "submit", cmd_submit },
	{ "return", cmd_return },
	{ "approve", cmd_approve },
	{ "open", cmd_open },
	{ "review", cmd_review },
	{ "demo", cmd_demo },
	{ "summary", cmd_summary },
	{ "triage", cmd_triage },
	{ "comment", cmd_comment },
	{ "comments", cmd_comments },
	{ "comment-resolve", cmd_comment_resolve },
	{ "bundle", cmd_bundle },
	{ "conflicts", cmd_conflicts },
	{ "resolve", cmd_resolve },
	{ "key", cmd_key },
	{ "help", cmd_help },
	{ NULL, NULL },
};

int cli_error(const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* file names and form text end up in messages: never raw on a terminal,
	 * and one line whatever they hold */
	char *safe = ustr_scrub(msg, false);
	fflush(stdout);		/* keep the order of what was already said */
	fprintf(stderr, "jxzp: %s\n", safe);
	free(safe);
	return EXIT_USAGE;
}

bool cli_parse_id(const char *s, int64_t *id)
{
	int64_t v = 0;
	const char *p = s;
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > (INT64_MAX - 9) / 10)
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		goto bad;
	*id = v;
	return true;
bad:
	cli_error(_("not a form id: \"%s\" (ids are numbers such as 12)"), s);
	return false;
}

char *cli_read_file(const char *path, size_t *len)
{
	const char *shown = strcmp(path, "-") == 0 ? _("standard input") : path;
	int err;
	bool at_open;
	char *buf = slurp(path, len, &err, &at_open);
	if (!buf)
		cli_error(at_open ? _("cannot open %s: %s") : _("cannot read %s: %s"), shown,
			  strerror(err));
	return buf;
}

const char *cli_db_path(struct cli *c)
{
	if (!c->db_path) {
		/* --db was not given: $JXZP_DB, else the XDG default */
		const char *env = getenv("JXZP_DB");
		if (env && *env)
			snprintf(c->db_buf, sizeof c->db_buf, "%s", env);
		else
			store_default_path(c->db_buf, sizeof c->db_buf);
		c->db_path = c->db_buf;
	}
	return c->db_path;
}

struct store *cli_store(struct cli *c)
{
	if (c->store)
		return c->store;
	cli_db_path(c);
	char err[512] = "";
	int code = 0;
	c->store = c->may_create ? store_open(c->db_path, err, sizeof err, &code)
				 : store_open_existing(c->db_path, err, sizeof err, &code);
	if (!c->store) {
		/* the store's message names the file; make sure of it */
		if (!strstr(err, c->db_path))
			cli_error(_("cannot open the database %s: %s"), c->db_path, err);
		else
			cli_error("%s", err);
	}
	return c->store;
}

/* ---- help ------------------------------------------------------------------- */

static void usage(FILE *out)
{
	/* the form's official name is a Chinese literal, not a message */
	fprintf(out, _("Usage: jxzp [--db FILE] [COMMAND [ARGS...]]\n"
		       "Fill in, check and review %s (project expenditure\n"
		       "performance self-assessment forms).  Without a command, opens the screen\n"
		       "on the list of forms.\n"), "项目支出绩效自评表");
	fputs("\n", out);
	/* one message per group, so a change in one keeps the others' translations */
	fputs(_("Forms:\n"
		"  open ID                      open one form on the screen\n"
		"  new --unit U --year Y --project P [--department D] [--layout L]\n"
		"      [--ruleset R]            create an empty draft; prints its id\n"
		"  new --from ID [--year Y]     carry form ID forward: next year's draft\n"
		"                               with its plan (goals, indicators, targets,\n"
		"                               weights), no figures; prints its id\n"
		"  list [--unit U] [--year Y] [--status S] [--format table|json]\n"
		"                               list forms\n"
		"  show ID [--format txt|json]  print one form\n"
		"  set ID PATH=VALUE...         set fields (e.g. funds.total.spent=152.1493,\n"
		"                               indicators[2].actual=95%); prints the\n"
		"                               findings that changed\n"
		"  delete ID                    delete a form (kept in its history)\n"
		"  restore ID                   bring a deleted form back\n"
		"  demo                         create (if needed) and open a demo database\n"), out);
	fputs("\n", out);
	fputs(_("Files and checks:\n"
		"  import FILE...               import forms: text as published, or JSON;\n"
		"                               \"-\" is standard input; prints id, unit,\n"
		"                               year and project of each\n"
		"  export (ID...|--all) [--format json|csv|txt|xlsx] [-o FILE]\n"
		"                               write forms (default JSON on standard output)\n"
		"  check (ID...|--all|FILE...) [--format text|json] [--rules NAME] [-v]\n"
		"                               run the rules and print the findings\n"
		"                               (-v: the suggested scores too)\n"), out);
	fputs("\n", out);
	fputs(_("Review:\n"
		"  submit ID                    submit a form (refused while it has errors)\n"
		"  return ID --reason TEXT      return a submitted form to its unit\n"
		"  approve ID                   approve a submitted form\n"
		"  review [--unit U] [--year Y] open the reviewer's pager on the submitted\n"
		"                               forms (f on the screen shows the others)\n"
		"  summary [--unit U] [--year Y] [--format txt|csv|json]\n"
		"                               per unit and year: forms, budget, spent,\n"
		"                               execution rate, average score, grades, errors\n"
		"  comment ID PATH TEXT         comment on a field (PATH \"-\": the whole form);\n"
		"                               prints the comment's uuid\n"
		"  comments ID [--all]          a form's open comments (--all: resolved too)\n"
		"  comment-resolve UUID...      mark comments resolved\n"), out);
	fputs(_("  triage [--unit U] [--year Y] [--status S] [--signal CODE] [--format txt|csv|json]\n"
		"                               forms by triage risk with their signals (reasons\n"
		"                               to look, not verdicts), and per unit the counts\n"), out);
	fputs("\n", out);
	fputs(_("Between machines (offline bundles):\n"
		"  bundle create [--unit U] [--year Y] [--all] [--office] [--clear] -o FILE\n"
		"                               write the forms changed since the last bundle\n"
		"                               (--all: every form) for another machine,\n"
		"                               signed, and sealed for its readers when their\n"
		"                               keys are trusted here (--clear: not sealed);\n"
		"                               --office marks this database as the office\n"
		"  bundle verify FILE...        check bundles whole and say what they hold\n"
		"  bundle apply [--accept-unsigned] FILE...\n"
		"                               merge bundles, one transaction each\n"
		"                               (--accept-unsigned: an old unsigned bundle,\n"
		"                               with a unit's rights only)\n"
		"  conflicts [ID]               fields changed on both sides, with both values\n"
		"  resolve ID PATH --keep mine|theirs\n"
		"                               settle one conflict\n"), out);
	fputs("\n", out);
	fputs(_("Keys (who sent a bundle, who may open it):\n"
		"  key show                     this database's key and its fingerprint\n"
		"  key list                     the keys trusted or revoked here\n"
		"  key trust (--office|--unit U) [--fingerprint F] KEY|FILE\n"
		"                               trust a key (its text, a file holding it,\n"
		"                               or a bundle it signed)\n"
		"  key revoke KEY|FILE|FINGERPRINT\n"
		"                               refuse that key's bundles from now on\n"
		"  key replace                  make a new key for this database\n"), out);
	fputs("\n", out);
	fputs(_("Options:\n"
		"  --db FILE       the database (default: $JXZP_DB, else\n"
		"                  $XDG_DATA_HOME/jxzp/jxzp.db); created if missing\n"
		"                  only by new, import, demo, bundle apply and the\n"
		"                  screen on the list\n"
		"  --ambiguous narrow|wide|auto\n"
		"                  how the terminal draws ambiguous-width characters\n"
		"                  (─ — ≥ …); auto (default, or $JXZP_AMBIGUOUS) asks it\n"
		"  -o, --output FILE\n"
		"                  where export writes (created mode 0600)\n"
		"  -h, --help      this text, and exit\n"
		"  -V, --version   the version, and exit\n"), out);
	fputs("\n", out);
	fputs(_("Exit status: 0 done; 1 the command ran and found problems (errors\n"
		"in a form, forms that could not be imported, a refused change);\n"
		"2 usage, a missing file, or a database that cannot be opened.\n"), out);
}

int cmd_help(struct cli *c, int argc, char **argv)
{
	(void)c; (void)argc; (void)argv;
	usage(stdout);
	return EXIT_OK;
}

int cli_usage_error(const char *cmd, const char *what)
{
	if (cmd)
		cli_error(_("%s: %s (see jxzp --help)"), cmd, what);
	else
		cli_error(_("%s (see jxzp --help)"), what);
	return EXIT_USAGE;
}

int cli_bad_option(const char *cmd, char **argv, int opt)
{
	char what[160];
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	/* getopt returns ':' for a known option without its value (the option
	 * strings start with ':'), '?' for an unknown one */
	if (opt == ':' && optopt > 0 && optopt < 256)
		snprintf(what, sizeof what, _("-%c needs a value"), optopt);
	else if (opt == ':')
		snprintf(what, sizeof what, _("%s needs a value"), arg);
	else if (optopt > 0 && optopt < 256)
		snprintf(what, sizeof what, _("unknown option -%c"), optopt);
	else
		snprintf(what, sizeof what, _("unknown option %s"), arg);
	return cli_usage_error(cmd, what);
}

bool cli_common_option(struct cli *c, int opt, const char *arg)
{
	if (opt != OPT_DB)
		return false;
	snprintf(c->db_buf, sizeof c->db_buf, "%s", arg);
	c->db_path = c->db_buf;
	return true;
}

/* ---- main -------------------------------------------------------------------- */

/* The screen's own option; never a subcommand's, so kept apart from cmd.h's. */
enum { OPT_AMBIGUOUS = 512 };

static int run(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, OPT_DB },
		{ "ambiguous", required_argument, NULL, OPT_AMBIGUOUS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	opterr = 0;
	/* "+": stop at the subcommand; its options are its own */
	while ((opt = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case 'h':
			usage(stdout);
			return EXIT_OK;
		case 'V':
			printf("%s\n", PACKAGE_STRING);
			printf(_("reads: %s\n"), io_formats());
			return EXIT_OK;
		case OPT_AMBIGUOUS:
			/* the screen reads it from the environment, as JXZP_AMBIGUOUS */
			if (strcmp(optarg, "narrow") != 0 && strcmp(optarg, "wide") != 0 &&
			    strcmp(optarg, "auto") != 0)
				return cli_usage_error(NULL, _("--ambiguous takes narrow, wide or auto"));
			setenv("JXZP_AMBIGUOUS", optarg, 1);
			break;
		default:
			return cli_bad_option(NULL, argv, opt);
		}
	}
	if (optind >= argc) {
		c->may_create = true;	/* jxzp alone: the list, on a new database if need be */
		return cli_screen_run(c, SCREEN_LIST, 0);
	}

	const char *name = argv[optind];
	for (const struct command *k = commands; k->name; k++)
		if (strcmp(k->name, name) == 0) {
			int sub_argc = argc - optind;
			char **sub_argv = argv + optind;
			optind = 0;	/* getopt starts afresh for the subcommand */
			return k->fn(c, sub_argc, sub_argv);
		}
	char what[200];
	snprintf(what, sizeof what, _("unknown command \"%s\""), name);
	return cli_usage_error(NULL, what);
}

int cli_screen_run(struct cli *c, enum screen_mode mode, int64_t id)
{
	if (!c->screen)
		return cli_error(_("this build has no screen"));
	/* a screen on a pipe would wait for keys nobody can press */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return cli_error(_("the screen needs a terminal (see jxzp --help for commands)"));
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	ttyout_end();	/* curses writes the terminal's own codes */
	return c->screen->run(s, mode, id);
}

int cli_main(int argc, char **argv, const struct cli_screen *screen)
{
	paths_setlocale();
#if ENABLE_NLS
	bindtextdomain(PACKAGE, paths_localedir());	/* next to a portable binary first */
	textdomain(PACKAGE);
#endif
	struct cli c;
	memset(&c, 0, sizeof c);
	c.screen = screen;
	ttyout_begin();
	int rc = run(&c, argc, argv);
	if (c.store && store_disk_full(c.store))
		rc = EXIT_USAGE;	/* a full disk is 2 whatever the command */
	if (c.store)
		store_close(c.store);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		ttyout_end();
		cli_error(_("cannot write to standard output: %s"), strerror(errno));
		rc = EXIT_USAGE;
	}
	ttyout_end();
	return rc;
}
