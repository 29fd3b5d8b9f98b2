/*
 * termprobe: ask the terminal how many columns it drew a string in (see
 * termprobe.c).  Returns -1 when it does not say within timeout_ms.
 */
#ifndef JXZP_TERMPROBE_H
#define JXZP_TERMPROBE_H

int termprobe_width(int in, int out, const char *s, int timeout_ms);

#endif
