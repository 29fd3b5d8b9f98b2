/*
 * termprobe: how wide does this terminal draw a character?  The way vim's
 * t_u7 finds out: print it at the start of a line, ask where the cursor is
 * (ESC [ 6 n), read the answer (ESC [ row ; col R) with a short timeout, and
 * erase the line.  Done before curses takes the terminal; a terminal that
 * does not answer in time gets -1 and is taken as narrow.
 */
#include "config.h"
#include "termprobe.h"

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* Reads until a cursor position report; returns its column, or -1.  Other
 * bytes (a key typed at that very moment) are dropped. */
static int read_cpr(int fd, int timeout_ms)
{
	char buf[64];
	size_t n = 0;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long left = timeout_ms - ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return -1;
		char c;
		if (read(fd, &c, 1) != 1)
			return -1;
		if (c == '\033')
			n = 0;
		if (n < sizeof buf - 1)
			buf[n++] = c;
		if (c == 'R') {
			buf[n] = '\0';
			int row, col;
			if (sscanf(buf, "\033[%d;%dR", &row, &col) == 2)
				return col;
			n = 0;
		}
	}
}

int termprobe_width(int in, int out, const char *s, int timeout_ms)
{
	struct termios old, raw;
	if (!isatty(in) || !isatty(out) || tcgetattr(in, &old) != 0)
		return -1;
	raw = old;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(in, TCSANOW, &raw) != 0)
		return -1;
	char msg[128];
	int len = snprintf(msg, sizeof msg, "\r%s\033[6n", s);
	int col = -1;
	if (len > 0 && (size_t)len < sizeof msg && write(out, msg, (size_t)len) == len)
		col = read_cpr(in, timeout_ms);
	static const char erase[] = "\r\033[K";
	if (write(out, erase, sizeof erase - 1) < 0)
		col = -1;
	tcsetattr(in, TCSANOW, &old);
	return col > 0 ? col - 1 : -1;
}
