/* cli: the command line (spec/cli.md).  Being written. */
#include "config.h"
#include "cli.h"

#include <stdio.h>

int cli_main(int argc, char **argv, const struct cli_screen *screen)
{
	(void)argc; (void)argv; (void)screen;
	puts(PACKAGE_STRING);
	return EXIT_OK;
}
