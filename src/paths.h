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

#include <stddef.h>

/* For bindtextdomain(): <exe dir>/locale when that directory exists, else
 * LOCALEDIR as configured.  Never NULL. */
const char *paths_localedir(void);

/* The demo forms (the .txt files of data/).  $JXZP_DATADIR when set and not
 * empty: its demo/ subfolder when that holds forms, else itself (even if
 * missing, so that a mistake in it is reported, not papered over).  Else the
 * first of <exe dir>/data, <exe dir>/../share/jxzp/demo, DEMODIR as
 * configured and the source tree's data/ that holds a .txt file.  NULL when
 * none does. */
const char *paths_datadir(void);

/* The directory the running program lives in (symlinks resolved), or NULL
 * when neither /proc/self/exe nor the start-up path tells. */
const char *paths_exe_dir(void);

/* The lookups above for a given exe dir (may be NULL), written into buf.
 * For tests; they return buf, or NULL when nothing fits or exists. */
const char *paths_find_localedir(const char *exe_dir, char *buf, size_t len);
const char *paths_find_datadir(const char *exe_dir, char *buf, size_t len);

#endif
