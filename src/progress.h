/*
 * progress: a bar on standard error for long batch work (import, export of
 * hundreds of forms).  Shown only when standard error is a terminal and the
 * batch is larger than PROGRESS_MIN, so logs and pipes never see it; cleared
 * at the end, so what the command prints afterwards stands alone.
 */
#ifndef JXZP_PROGRESS_H
#define JXZP_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#define PROGRESS_MIN 300	/* forms: below this a batch is quick enough */

struct progress {
	const char *what;	/* "importing", already translated */
	size_t total;
	bool on;
};

/* on = !quiet && total > PROGRESS_MIN && standard error is a terminal. */
void progress_start(struct progress *p, const char *what, size_t total, bool quiet);
/* done of total finished; draws every few steps (cheap to call per form). */
void progress_step(struct progress *p, size_t done);
/* Clears the line, so a message can be printed on it; the next step that
 * draws brings the bar back below the message. */
void progress_hide(struct progress *p);
/* Draws the full bar and clears the line. */
void progress_end(struct progress *p);

#endif
