/*
 * slurp: a whole file into memory, NUL-terminated ("-" is standard input).
 * One reader for every command that takes a file, so a directory, an
 * unreadable file and a read error are told apart the same way everywhere.
 */
#ifndef JXZP_SLURP_H
#define JXZP_SLURP_H

#include <stdbool.h>
#include <stddef.h>

/* The bytes (len of them, plus a NUL), or NULL with *errnum set and
 * *at_open telling whether the file could not be opened (else read). */
char *slurp(const char *path, size_t *len, int *errnum, bool *at_open);

#endif
