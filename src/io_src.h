/*
 * io_src: the bytes a streaming reader reads (io_text_stream,
 * io_json_stream): a window over a file read in chunks, or over a buffer
 * already in memory.  The window holds what the reader still looks at; what
 * it has passed is dropped, so memory is that of the largest piece the
 * reader needs at once (a line, a JSON form), not the file's.
 *
 * A file source must be seekable: the readers check a file's bytes once
 * (UTF-8, NUL, tabs) before they read forms from it, and say where a
 * problem is by reading it again from the start (import spools a pipe to a
 * temporary file first).
 */
#ifndef JXZP_IO_SRC_H
#define JXZP_IO_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct io_src {
	FILE *f;		/* NULL: the buffer is all there is */
	const char *mem;	/* the buffer (memory source) */
	size_t memlen;
	char *buf;		/* the window (file source) */
	size_t cap, len;	/* buf holds len bytes */
	size_t pos;		/* the reader is at buf[pos] */
	size_t off;		/* file offset of buf[0] */
	bool eof;		/* nothing more to read after buf[len] */
	int err;		/* errno of a failed read, or 0 */
	size_t chunk;		/* bytes read at a time (tests make it tiny) */
};

void src_init_file(struct io_src *s, FILE *f);
void src_init_mem(struct io_src *s, const char *buf, size_t len);
void src_free(struct io_src *s);

/* The unread bytes: *n of them from the returned pointer, valid until the
 * next call that reads. */
const char *src_at(const struct io_src *s, size_t *n);
/* Makes at least n unread bytes available, fewer only at the end of the
 * file.  Returns how many are. */
size_t src_need(struct io_src *s, size_t n);
/* Passes n unread bytes (n <= what src_at gives). */
void src_skip(struct io_src *s, size_t n);
/* The file offset the reader is at. */
size_t src_tell(const struct io_src *s);
/* The next line: *n bytes without its "\n", passed; NULL at the end. */
const char *src_line(struct io_src *s, size_t *n);
/* Back to the start of the file.  -1 (err set) if the file cannot seek. */
int src_rewind(struct io_src *s);

/* What a reader checks over the whole file before it reads forms. */
struct src_scan {
	long bad;	/* offset of the first byte that is not UTF-8, or -1 */
	long nul;	/* offset of the first NUL byte, or -1 */
	bool tab;	/* holds a tab */
	size_t size;	/* bytes in the file */
};
/* Reads the file through and back to its start.  -1 on a read error. */
int src_scan(struct io_src *s, struct src_scan *out);
/* Line and column (1-based; the column in characters) of file offset off,
 * counted from offset from (past a byte-order mark); reads the file from
 * its start and leaves it there. */
int src_line_col(struct io_src *s, size_t from, size_t off, long *line, long *col);

#endif
