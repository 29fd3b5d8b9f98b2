/*
 * io_child: a reader in a child process, its tables over a pipe (io_child.h).
 *
 * The pipe carries tagged records: 'X' message (the reader refused the
 * file), 'T' a table (flags, name), 'C' a cell (row line, column, spans,
 * text), 'E' the end.  Anything else, or a child that does not end with
 * 'E' and exit status 0, is a failure.
 */
#include "config.h"
#include "io_child.h"
#include "table.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)	/* clang's way of saying it */
#define JXZP_ASAN 1
#endif
#endif

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static bool put(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

static bool put_str(int fd, char tag, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	return put(fd, &tag, 1) && put(fd, &n, sizeof n) && put(fd, s, n);
}

static bool get(FILE *in, void *p, size_t n)
{
	return fread(p, 1, n, in) == n;
}

static char *get_str(FILE *in)
{
	uint32_t n;
	if (!get(in, &n, sizeof n) || n > (64u << 20))
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	if (!get(in, s, n)) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

static void child(int fd, io_tables_fn read, const char *buf, size_t len, unsigned cpu_secs)
{
	struct rlimit cpu = { cpu_secs, cpu_secs };
	setrlimit(RLIMIT_CPU, &cpu);
	/* no address-space limit under AddressSanitizer: it maps terabytes */
#if !defined(__SANITIZE_ADDRESS__) && !defined(JXZP_ASAN)
	struct rlimit mem = { 1u << 30, 1u << 30 };
	setrlimit(RLIMIT_AS, &mem);
#endif
	struct tables ts;
	char err[256] = "";
	if (read(buf, len, &ts, err, sizeof err) != 0) {
		tables_free(&ts);
		put_str(fd, 'X', err);
		_exit(0);
	}
	for (size_t t = 0; t < ts.n; t++) {
		const struct table *tb = ts.v[t];
		char flags = (char)((tb->grid ? 1 : 0) | (tb->rows_may_wrap ? 2 : 0) | (tb->name ? 4 : 0));
		if (!put(fd, "T", 1) || !put(fd, &flags, 1) ||
		    !put_str(fd, 'S', tb->name ? tb->name : ""))
			_exit(1);
		for (size_t i = 0; i < tb->n; i++) {
			const struct trow *r = &tb->rows[i];
			if (r->n == 0) {	/* a row without cells still counts */
				int32_t pos[4] = { (int32_t)r->line, -1, 0, 0 };
				if (!put(fd, "C", 1) || !put(fd, pos, sizeof pos) || !put_str(fd, 'S', ""))
					_exit(1);
			}
			for (int k = 0; k < r->n; k++) {
				const struct tcell *c = &r->cells[k];
				int32_t pos[4] = { (int32_t)r->line, c->col, c->colspan, c->rowspan };
				if (!put(fd, "C", 1) || !put(fd, pos, sizeof pos) ||
				    !put_str(fd, 'S', c->text))
					_exit(1);
			}
		}
	}
	tables_free(&ts);
	put(fd, "E", 1);
	_exit(0);
}

int io_child_tables(io_tables_fn read, const char *buf, size_t len, unsigned cpu_secs,
		    struct tables *out, char *err, size_t errlen, const char *died)
{
	memset(out, 0, sizeof *out);
	int p[2];
	if (pipe(p) != 0) {
		snprintf(err, errlen, "%s", died);
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		snprintf(err, errlen, "%s", died);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1], read, buf, len, cpu_secs);
	}
	close(p[1]);
	FILE *in = fdopen(p[0], "rb");
	if (!in)
		abort();
	int rc = -1;
	bool ended = false, failed = false;
	struct table *t = NULL;
	char tag;
	while (!ended && !failed && get(in, &tag, 1)) {
		if (tag == 'X') {
			char *m = get_str(in);
			snprintf(err, errlen, "%s", m ? m : "");
			free(m);
			failed = true;
		} else if (tag == 'T') {
			char flags, st;
			if (!get(in, &flags, 1) || !get(in, &st, 1))
				break;
			char *name = get_str(in);
			if (!name)
				break;
			t = table_new(flags & 4 ? name : NULL, flags & 1);
			t->rows_may_wrap = flags & 2;
			free(name);
			tables_add(out, t);
		} else if (tag == 'C' && t) {
			int32_t pos[4];
			char st;
			if (!get(in, pos, sizeof pos) || !get(in, &st, 1))
				break;
			char *text = get_str(in);
			if (!text)
				break;
			if (!t->n || t->rows[t->n - 1].line != pos[0])
				table_add_row(t, pos[0]);
			if (pos[1] >= 0) {
				struct trow *r = &t->rows[t->n - 1];
				struct tcell *c = trow_add(r, pos[1], text, strlen(text));
				c->colspan = pos[2] >= 1 ? pos[2] : 1;
				c->rowspan = pos[3] >= 1 ? pos[3] : 1;
			}
			free(text);
		} else if (tag == 'E') {
			ended = true;
		} else {
			break;
		}
	}
	fclose(in);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		;
	if (ended && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = 0;
	} else {
		if (!failed)
			snprintf(err, errlen, "%s", died);
		tables_free(out);
	}
	return rc;
}
