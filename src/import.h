/*
 * import: one file's forms into the store, all or nothing (spec/cli.md).
 * The command line (`jxzp import`, demo) and the screen's import both call
 * it; what each shows goes through the sink, so the rules of what is
 * imported, refused and reported live here once.
 *
 * Promises: a file's readable forms are stored in one transaction (a
 * failure leaves the database as it was); a form the reader could not read
 * whole, or one already in the database, is reported with the file (and
 * line) and not imported.
 *
 * Memory: text and JSON stream.  Each form is stored as it is read, and
 * freed, inside the file's one transaction; the transaction commits after
 * the last form, or rolls back whole (a JSON syntax error after a thousand
 * good forms, a disk full, a read error half way: nothing of the file is
 * stored).  So all or nothing holds the simple way: one transaction, whose
 * WAL grows with the file's own rows (disk, not memory) and is
 * checkpointed and truncated after the commit.  The page cache is held to
 * 32 MB meanwhile, and what must wait for the end (the lines about forms
 * refused, the forms stored) waits in temporary files, so peak memory does
 * not grow with the file (in memory where no temporary file can be made, as
 * in a chroot without /tmp).  A pipe is copied to a temporary file first
 * (the readers read a file twice: its bytes are checked before a form is
 * read).
 * .xlsx, .docx, .xls and PDF are read whole: their readers need the file
 * at random.
 */
#ifndef JXZP_IMPORT_H
#define JXZP_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Exit statuses, as the command line's (cli.h). */
enum { IMPORT_OK = 0, IMPORT_FOUND = 1, IMPORT_BAD = 2 };

struct import_sink {
	/* One line about the file: a problem, a note, a form not imported.
	 * Translated, without a trailing newline; not scrubbed (a file name
	 * is as given): the sink scrubs what it shows.  note: the form it
	 * names was imported anyway. */
	void (*message)(void *arg, const char *line, bool note);
	/* A form stored, called after the commit, in file order. */
	void (*imported)(void *arg, int64_t id, const char *unit, int year, const char *project);
	/* done of total forms.  While text or JSON is read, total is a guess
	 * from the bytes read so far (it may grow or shrink; always more than
	 * done); done == total at the end. */
	void (*progress)(void *arg, size_t done, size_t total);
	void *arg;
	bool notes;	/* report notes too (false: only what was refused) */
};

/* Imports the file at path ("-": standard input); name is how messages
 * name it (NULL: path).  *n gets the count stored.  Returns IMPORT_*. */
int import_file(struct store *s, const char *path, const char *name,
		const struct import_sink *sink, size_t *n);

/* The same over a file already in memory (fuzzing, tests): the same
 * streaming readers, over the buffer. */
int import_buffer(struct store *s, const char *name, const char *buf, size_t len,
		  const struct import_sink *sink, size_t *n);

#endif
