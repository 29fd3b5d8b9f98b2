/* ui: the screen.  One entry point for the command line (see cli.h). */
#ifndef JXZP_UI_H
#define JXZP_UI_H

#include "cli.h"

int ui_run(struct store *s, enum screen_mode mode, int64_t form_id);
/* The reviewer's pager over one unit and/or year (ui/reviewview.c). */
int ui_review(struct store *s, const char *unit, int year);

#endif
