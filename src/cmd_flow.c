/*
 * cmd_flow: a form's way through review (jxzp submit, return, approve) and
 * the commands that open the screen (open, review).
 *
 * Promises: the moves are doc_set_status, the same the screen makes, so a
 * form with error-level findings is never submitted (the findings are
 * listed, exit 1), and a move the form's state does not allow is refused
 * (exit 1) with a line saying why.
 */
#include "config.h"
#include "cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "doc.h"
#include "i18n.h"

/* Parses "CMD ID [--reason TEXT]"; returns EXIT_OK with *id and *reason. */
static int parse(struct cli *c, int argc, char **argv, bool want_reason,
		 int64_t *id, const char **reason)
{
	static const struct option with_reason[] = {
		{ "reason", required_argument, NULL, OPT_REASON },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct option plain[] = { CLI_COMMON_OPTIONS, { NULL, 0, NULL, 0 } };
	int opt;
	*reason = NULL;
	while ((opt = getopt_long(argc, argv, ":h", want_reason ? with_reason : plain, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		if (opt == OPT_REASON) {
			*reason = optarg;
			continue;
		}
		if (opt == 'h') {
			cmd_help(c, argc, argv);
			return -1;
		}
		return cli_bad_option(argv[0], argv, opt);
	}
	if (argc - optind != 1)
		return cli_usage_error(argv[0], _("needs one form id"));
	if (want_reason && (!*reason || !**reason))
		return cli_usage_error(argv[0], _("--reason TEXT is needed: the unit reads it"));
	if (!cli_parse_id(argv[optind], id))
		return EXIT_USAGE;
	return EXIT_OK;
}

static int move(struct cli *c, int argc, char **argv, enum form_status to)
{
	int64_t id;
	const char *reason;
	int rc = parse(c, argc, argv, to == STATUS_RETURNED, &id, &reason);
	if (rc == -1)
		return EXIT_OK;	/* --help */
	if (rc != EXIT_OK)
		return rc;
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct doc d;
	rc = doc_open(&d, s, id);
	if (rc == STORE_NOTFOUND)
		return cli_error(_("no form with id %lld in %s"), (long long)id, cli_db_path(c));
	if (rc != STORE_OK)
		return cli_error("%s", d.err);
	rc = doc_set_status(&d, to, reason);
	if (rc == STORE_OK) {
		doc_close(&d);
		return EXIT_OK;
	}
	cli_error("%s", d.err);
	if (rc == STORE_READONLY) {
		/* refused because of errors: say which, so they can be fixed */
		if (to == STATUS_SUBMITTED && d.chk->errors > 0)
			for (size_t i = 0; i < d.chk->n_findings; i++)
				if (d.chk->findings[i].severity == SEV_ERROR)
					cli_print_finding(stdout, "", &d.chk->findings[i]);
		rc = EXIT_FOUND;
	} else if (rc == STORE_STALE || rc == STORE_BADSTATE) {
		rc = EXIT_FOUND;
	} else {
		rc = EXIT_USAGE;
	}
	doc_close(&d);
	return rc;
}

int cmd_submit(struct cli *c, int argc, char **argv)
{
	return move(c, argc, argv, STATUS_SUBMITTED);
}

int cmd_return(struct cli *c, int argc, char **argv)
{
	return move(c, argc, argv, STATUS_RETURNED);
}

int cmd_approve(struct cli *c, int argc, char **argv)
{
	return move(c, argc, argv, STATUS_APPROVED);
}

int cmd_open(struct cli *c, int argc, char **argv)
{
	int64_t id;
	const char *reason;
	int rc = parse(c, argc, argv, false, &id, &reason);
	if (rc == -1)
		return EXIT_OK;
	if (rc != EXIT_OK)
		return rc;
	struct form *f;
	rc = cli_load(c, id, &f);	/* an unknown id is said here, not on screen */
	if (rc != EXIT_OK)
		return rc;
	form_free(f);
	return cli_screen_run(c, SCREEN_FORM, id);
}

int cmd_review(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "year", required_argument, NULL, OPT_YEAR },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *unit = NULL;
	int year = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT:
			unit = optarg;
			break;
		case OPT_YEAR:
			if (cli_year("review", optarg, &year) != EXIT_OK)
				return EXIT_USAGE;
			break;
		case 'h':
			return cmd_help(c, argc, argv);
		default:
			return cli_bad_option("review", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage_error("review", _("takes no arguments"));
	return cli_review_run(c, unit, year);	/* src/cmd_review.c */
}
