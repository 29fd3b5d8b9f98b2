/*
 * main: the program.  Sets the locale and the message catalogue, then hands
 * the screen to the command line, which does the rest.
 */
#include "config.h"
#include "cli.h"
#include "i18n.h"
#include "ui.h"

#include <locale.h>

int main(int argc, char **argv)
{
	static const struct cli_screen screen = { ui_run, ui_review };
	setlocale(LC_ALL, "");
#if ENABLE_NLS
	bindtextdomain(PACKAGE, LOCALEDIR);
	textdomain(PACKAGE);
#endif
	return cli_main(argc, argv, &screen);
}
