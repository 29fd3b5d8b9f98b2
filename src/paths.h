/*
 * paths: where jxzp finds its message catalogue and its demo data.
 *
 * The portable tarball is unpacked anywhere, so the program looks next to
 * itself first (the directory of /proc/self/exe, or of the path it was
 * started by when /proc is not mounted, as in a bare chroot), then at the
 * places compiled in by configure.  Nothing here allocates after the first
 * call: the answers are computed once and kept in static storage.
 */
#ifndef JXZP_PATHS_H
#define JXZP_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* For bindtextdomain(): <exe dir>/locale when that directory exists, else
 * LOCALEDIR as configured.  Never NULL. */
const char *paths_localedir(void);

/* The demo forms (the .txt files of data/): the first folder holding a .txt
 * file of $JXZP_DATADIR/demo, $JXZP_DATADIR, <exe dir>/data,
 * <exe dir>/../share/jxzp/demo, DEMODIR as configured and the source tree's
 * data/.  NULL when none does. */
const char *paths_datadir(void);

/* setlocale(LC_ALL, "") for a binary that carries its own C library.  When
 * that fails (the system's locale files are missing or in a format this C
 * library cannot read) and <exe dir>/locale/C.utf8 exists, the character
 * type and messages categories are set to that C.UTF-8 instead, so that the
 * screen still handles UTF-8 and LANGUAGE still picks a catalogue.  Call it
 * first thing, before anything could chdir.  Returns true when the character
 * type is UTF-8 afterwards. */
bool paths_setlocale(void);

/* The directory the running program lives in (symlinks resolved), or NULL
 * when neither /proc/self/exe nor the start-up path tells. */
const char *paths_exe_dir(void);

/* The lookups above for a given exe dir (may be NULL), written into buf.
 * For tests; they return buf, or NULL when nothing fits or exists. */
const char *paths_find_localedir(const char *exe_dir, char *buf, size_t len);
const char *paths_find_datadir(const char *exe_dir, char *buf, size_t len);

#endif
