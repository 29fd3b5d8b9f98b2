/*
 * main: the program.  Hands the screen to the command line, which sets the
 * locale and the message catalogue and does the rest.
 */
#include "config.h"
#include "cli.h"
#include "ui.h"

int main(int argc, char **argv)
{
	static const struct cli_screen screen = { ui_run, ui_review };
	return cli_main(argc, argv, &screen);
}
