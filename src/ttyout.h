/*
 * ttyout: the output rule, a second line of defence.  While standard
 * output is a terminal, everything written to it goes through ustr_scrub
 * (newlines and tabs kept): a form's text, a unit name from someone's
 * bundle, a CSV cell can never move the cursor, retitle the window or clear
 * the screen, whatever command prints it and however.  Output to a file or
 * a pipe (-o FILE, > file, | prog) keeps the data exact.  Standard error
 * has its own rule: cli_error scrubs every message.
 */
#ifndef JXZP_TTYOUT_H
#define JXZP_TTYOUT_H

/* Puts the filter in front of stdout if it is a terminal. */
void ttyout_begin(void);
/* Takes it away (before the screen starts, and at exit); flushes. */
void ttyout_end(void);

#endif
