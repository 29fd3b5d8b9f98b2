/*
 * outfile: a file the user named, written whole or not at all.
 *
 * An export that fails half-way (a full disk, a bad form) must neither leave
 * half a file nor cost the user the file that was there before.  A regular
 * file (or a new name) is written to a temporary file beside it, mode 0600,
 * and renamed over the name only when every byte is on disk.  A name that
 * is not a regular file (a device, a pipe: /dev/stdout, a FIFO) is written
 * in place and never removed.
 */
#ifndef JXZP_OUTFILE_H
#define JXZP_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *f;		/* where to write */
	const char *path;	/* the name given, or the file its link names */
	char *real;		/* that file's name, when it exists */
	char *tmp;		/* the file written, NULL when in place */
};

/* 0, or -1 with errno set (nothing created). */
int outfile_open(struct outfile *o, const char *path);
/* The file being written, for writers that take a name (libxlsxwriter):
 * close o->f first (outfile_close_stream). */
const char *outfile_name(const struct outfile *o);
void outfile_close_stream(struct outfile *o);
/* Flushes, syncs and puts the file in place: 0, or -1 with errno set and
 * the temporary file removed (the old file, if any, untouched). */
int outfile_commit(struct outfile *o);
/* Gives up: the temporary file removed, the old file untouched. */
void outfile_abort(struct outfile *o);

#endif
