/* main: the program.  Hands the screen to the command line, which does the rest. */
#include "cli.h"
#include "ui.h"

int main(int argc, char **argv)
{
	static const struct cli_screen screen = { ui_run };
	return cli_main(argc, argv, &screen);
}
