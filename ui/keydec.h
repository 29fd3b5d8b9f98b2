/*
 * keydec: the screen's UTF-8 input decoder, byte by byte, without curses.
 *
 * The terminal's bytes arrive one at a time (curses getch); this turns
 * them into characters.  An invalid byte (0xff, an overlong "c0 af", a
 * stray GBK or 8-bit Meta byte, a sequence cut short) is dropped at once
 * and shows nothing; the byte after it starts afresh, so nothing typed
 * after it is lost.  Pure, so tests/fuzz/fuzz_keydec.c can drive it.
 */
#ifndef JXZP_KEYDEC_H
#define JXZP_KEYDEC_H

#include <stdbool.h>

enum { KD_MORE = -1, KD_BAD = -2 };

struct keydec {
	unsigned cp;		/* the character so far */
	int need;		/* continuation bytes still to come */
	unsigned lo, hi;	/* the range the next continuation byte must be in */
};

void keydec_init(struct keydec *d);
/* Feeds one byte: a Unicode scalar value (>= 0) when a character is
 * complete, KD_MORE inside one, KD_BAD when the bytes so far are not one
 * (dropped; a byte that cannot continue a sequence but starts one is
 * taken as that start, so KD_BAD is returned only for bytes that are gone). */
int keydec_feed(struct keydec *d, unsigned char b);
/* A sequence left unfinished (the terminal went quiet): dropped.  True if
 * there was one. */
bool keydec_flush(struct keydec *d);

#endif
