/* cmd_check: STUB until the rules branch lands. */
#include "config.h"
#include "cli.h"

int cmd_check(struct cli *c, int argc, char **argv)
{
	(void)c; (void)argc; (void)argv;
	return cli_error("check is not built yet");
}
