/*
 * cmd: the subcommands of src/cmd_*.c and the helpers they share with
 * src/cli.c.  Private to the command line (the screen never calls these).
 */
#ifndef JXZP_CMD_H
#define JXZP_CMD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "cli.h"
#include "rules.h"

/* Long options without a short letter. */
enum { OPT_DB = 256, OPT_UNIT, OPT_YEAR, OPT_PROJECT, OPT_DEPARTMENT, OPT_LAYOUT,
       OPT_RULESET, OPT_STATUS, OPT_FORMAT, OPT_ALL, OPT_REASON };
/* Every subcommand also takes --db FILE and --help. */
#define CLI_COMMON_OPTIONS \
	{ "db", required_argument, NULL, OPT_DB }, \
	{ "help", no_argument, NULL, 'h' }

/* The database path: --db, else $JXZP_DB, else the XDG default. */
const char *cli_db_path(struct cli *c);
/* --db given to a subcommand; true if opt was one of the common options. */
bool cli_common_option(struct cli *c, int opt, const char *arg);
/* One-line usage errors; return EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *what);
/* After getopt_long returned opt ('?' or ':'): says what was wrong. */
int cli_bad_option(const char *cmd, char **argv, int opt);
/* The screen, on a terminal only. */
int cli_screen_run(struct cli *c, enum screen_mode mode, int64_t id);
/* Loads form id, or prints why not (unknown id names the database). */
int cli_load(struct cli *c, int64_t id, struct form **out);
/* The live form with this unit, year and project, or 0. */
int64_t cli_find_form(struct store *s, const char *unit, int year, const char *project);
/* A copy of f with control characters as visible placeholders (for printing). */
struct form *cli_printable(const struct form *f);
/* JSON text with DEL, C1 controls, separators and bidi overrides escaped. */
char *cli_json_safe(const char *json);
/* Columns of the terminal on standard output, or 100. */
int cli_term_width(void);
/* Prints a finding on one line, scrubbed ("prefix" may be ""). */
void cli_print_finding(FILE *out, const char *prefix, const struct finding *fi);

int cmd_help(struct cli *c, int argc, char **argv);
int cmd_new(struct cli *c, int argc, char **argv);	/* cmd_forms.c */
int cmd_list(struct cli *c, int argc, char **argv);
int cmd_show(struct cli *c, int argc, char **argv);
int cmd_set(struct cli *c, int argc, char **argv);
int cmd_delete(struct cli *c, int argc, char **argv);
int cmd_restore(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);	/* cmd_io.c */
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_submit(struct cli *c, int argc, char **argv);	/* cmd_flow.c */
int cmd_return(struct cli *c, int argc, char **argv);
int cmd_approve(struct cli *c, int argc, char **argv);
int cmd_open(struct cli *c, int argc, char **argv);
int cmd_review(struct cli *c, int argc, char **argv);
int cmd_summary(struct cli *c, int argc, char **argv);	/* cmd_review.c */
int cmd_comment(struct cli *c, int argc, char **argv);
int cmd_triage(struct cli *c, int argc, char **argv);	/* cmd_triage.c */
int cmd_comments(struct cli *c, int argc, char **argv);
int cmd_comment_resolve(struct cli *c, int argc, char **argv);
/* The reviewer's pager on a terminal, over one unit and/or year (NULL, 0 = all). */
int cli_review_run(struct cli *c, const char *unit, int year);
/* A year from text (1900..2999), or a usage error naming cmd. */
int cli_year(const char *cmd, const char *s, int *year);

#endif
