/*
 * io_child: run a file reader whose library we did not write (and never
 * fuzzed ourselves) in a child process with limits on CPU time and memory.
 * Whatever the file does to the library, the caller gets the tables over a
 * pipe, or one line saying the file could not be read.
 */
#ifndef JXZP_IO_CHILD_H
#define JXZP_IO_CHILD_H

#include <stddef.h>

struct tables;

/* A reader as io_read.h has them: 0, or -1 with a message in err. */
typedef int (*io_tables_fn)(const char *buf, size_t len, struct tables *out, char *err, size_t errlen);

/* read(buf, len) in a child (CPU limit cpu_secs, address space 1 GiB
 * except under AddressSanitizer); its tables (names, flags, cells with
 * their spans) into out.  A child that fails, crashes or runs out of time
 * gives -1 with died in err. */
int io_child_tables(io_tables_fn read, const char *buf, size_t len, unsigned cpu_secs,
		    struct tables *out, char *err, size_t errlen, const char *died);

#endif
