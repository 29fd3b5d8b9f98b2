/* app: screen set-up and the main loop.  Being written. */
#include "config.h"
#include "ui.h"

int ui_run(struct store *s, enum screen_mode mode, int64_t form_id)
{
	(void)s; (void)mode; (void)form_id;
	return 0;
}
