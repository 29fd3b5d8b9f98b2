/*
 * ttyout: standard output on a terminal through ustr_scrub (see ttyout.h).
 * A glibc cookie stream stands in for stdout; a character split between
 * two writes is held back until the rest of it comes, so the scrubber
 * never sees half of one.
 */
#include "config.h"	/* _GNU_SOURCE, for fopencookie */
#include "ttyout.h"
#include "ustr.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static FILE *real;		/* stdout as it was */
static char held[4];		/* the start of a character cut by a write */
static size_t n_held;

static int put_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDOUT_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Scrubs n bytes without NULs. */
static int put_scrubbed(const char *p, size_t n)
{
	char *t = malloc(n + 1);
	if (!t)
		abort();
	memcpy(t, p, n);
	t[n] = 0;
	char *safe = ustr_scrub(t, true);
	int rc = put_all(safe, strlen(safe));
	free(safe);
	free(t);
	return rc;
}

/* How many bytes at the end of p[0..n) start a character not yet whole. */
static size_t open_tail(const char *p, size_t n)
{
	for (size_t k = 1; k <= 3 && k <= n; k++) {
		unsigned char c = (unsigned char)p[n - k];
		if ((c & 0xc0) == 0x80)
			continue;	/* a continuation byte: look further back */
		size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
		return len > k ? k : 0;
	}
	return 0;
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
	(void)cookie;
	size_t total = n_held + size;
	char *all = malloc(total ? total : 1);
	if (!all)
		abort();
	memcpy(all, held, n_held);
	memcpy(all + n_held, buf, size);
	size_t keep = open_tail(all, total);
	size_t end = total - keep;
	int rc = 0;
	for (size_t i = 0; i < end && rc == 0;) {
		const char *nul = memchr(all + i, 0, end - i);
		size_t seg = nul ? (size_t)(nul - (all + i)) : end - i;
		rc = put_scrubbed(all + i, seg);
		i += seg;
		if (nul && rc == 0) {
			rc = put_all("\xe2\x90\x80", 3);	/* ␀ */
			i++;
		}
	}
	memcpy(held, all + end, keep);
	n_held = keep;
	free(all);
	return rc == 0 ? (ssize_t)size : -1;
}

static int cookie_close(void *cookie)
{
	(void)cookie;
	if (n_held)	/* a character never finished: its bytes, scrubbed */
		put_scrubbed(held, n_held);
	n_held = 0;
	return 0;
}

void ttyout_begin(void)
{
	if (real || !isatty(STDOUT_FILENO))
		return;
	cookie_io_functions_t io = { .write = cookie_write, .close = cookie_close };
	FILE *f = fopencookie(NULL, "w", io);
	if (!f)
		return;		/* no filter: the commands scrub what they print */
	setvbuf(f, NULL, _IOLBF, 0);
	fflush(stdout);
	real = stdout;
	stdout = f;
}

void ttyout_end(void)
{
	if (!real)
		return;
	FILE *f = stdout;
	stdout = real;
	real = NULL;
	fclose(f);	/* flushes through the filter */
}
