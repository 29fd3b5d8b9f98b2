/*
 * progress: the bar of progress.h, one implementation for every batch
 * command.  "\r" redraws in place; the end draws done/total, then "\r\033[K"
 * takes the line away.
 */
#include "config.h"
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

enum { BAR = 30, EVERY = 16 };

static void draw(const struct progress *p, size_t done)
{
	size_t fill = p->total ? done * BAR / p->total : BAR;
	char bar[BAR + 1];
	for (size_t i = 0; i < BAR; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[BAR] = '\0';
	fprintf(stderr, "\r%s [%s] %zu/%zu", p->what, bar, done, p->total);
	fflush(stderr);
}

void progress_start(struct progress *p, const char *what, size_t total, bool quiet)
{
	p->what = what;
	p->total = total;
	p->on = !quiet && total > PROGRESS_MIN && isatty(STDERR_FILENO);
	if (p->on)
		draw(p, 0);
}

void progress_step(struct progress *p, size_t done)
{
	if (p->on && done % EVERY == 0)
		draw(p, done);
}

void progress_hide(struct progress *p)
{
	if (!p->on)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (!p->on)
		return;
	draw(p, p->total);
	fputs("\r\033[K", stderr);	/* the bar goes; the results stay */
	fflush(stderr);
	p->on = false;
}
