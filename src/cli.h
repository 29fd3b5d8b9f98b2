/*
 * cli: the command line (spec/cli.md), the same core the screen uses.
 * The screen is handed in by main, so nothing here knows about curses.
 */
#ifndef JXZP_CLI_H
#define JXZP_CLI_H

#include <stdint.h>
#include "store.h"

enum { EXIT_OK = 0, EXIT_FOUND = 1, EXIT_USAGE = 2 };

enum screen_mode { SCREEN_LIST, SCREEN_FORM, SCREEN_REVIEW };
struct cli_screen {
	/* Runs the screen on an open store until the user quits; returns an exit status. */
	int (*run)(struct store *s, enum screen_mode mode, int64_t form_id);
};

int cli_main(int argc, char **argv, const struct cli_screen *screen);

#endif
