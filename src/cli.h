/*
 * cli: the command line (spec/cli.md), the same core the screen uses.
 * The screen is handed in by main, so nothing here knows about curses.
 *
 * Each subcommand is a function `int cmd_NAME(struct cli *c, int argc, char **argv)`
 * (argv[0] is the subcommand's name; options after it are the command's own),
 * listed in the table in cli.c.  Subcommands may live in their own files
 * (src/cmd_check.c, src/cmd_io.c, ...).  They return an exit status and print
 * errors with cli_error(), one line on standard error.
 */
#ifndef JXZP_CLI_H
#define JXZP_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include "store.h"

enum { EXIT_OK = 0, EXIT_FOUND = 1, EXIT_USAGE = 2 };

enum screen_mode { SCREEN_LIST, SCREEN_FORM, SCREEN_REVIEW };
struct cli_screen {
	/* Runs the screen on an open store until the user quits; returns an exit status. */
	int (*run)(struct store *s, enum screen_mode mode, int64_t form_id);
	/* The reviewer's pager over one unit and/or year (NULL, 0 = all); may be NULL. */
	int (*review)(struct store *s, const char *unit, int year);
};

struct cli {
	const char *db_path;		/* --db, $JXZP_DB, or the XDG default */
	struct store *store;		/* opened on first use by cli_store() */
	const struct cli_screen *screen;
	bool may_create;		/* the command makes a missing database (new, import, ...) */
	char db_buf[4096];
};

int cli_main(int argc, char **argv, const struct cli_screen *screen);

/* The database, opened (and migrated) on first call; NULL after printing
 * one line naming the file, and the caller returns EXIT_USAGE.  Created
 * if missing only when c->may_create is set (new, import, demo, bundle
 * apply, the screen on the list): a command that reads or changes forms
 * never makes a database or a folder out of a mistyped path. */
struct store *cli_store(struct cli *c);
/* "jxzp: " + message + newline on standard error.  Returns EXIT_USAGE. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A form id from text ("12"); false after printing an error. */
bool cli_parse_id(const char *s, int64_t *id);
/* Reads a whole file ("-" = standard input); NULL after printing an error. */
char *cli_read_file(const char *path, size_t *len);

/* Subcommands that live outside cli.c (the table in cli.c lists them all). */
int cmd_check(struct cli *c, int argc, char **argv);	/* src/cmd_check.c */
int cmd_bundle(struct cli *c, int argc, char **argv);	/* src/cmd_bundle.c */
int cmd_conflicts(struct cli *c, int argc, char **argv);	/* src/cmd_bundle.c */
int cmd_resolve(struct cli *c, int argc, char **argv);	/* src/cmd_bundle.c */
int cmd_key(struct cli *c, int argc, char **argv);	/* src/cmd_key.c */

#endif
