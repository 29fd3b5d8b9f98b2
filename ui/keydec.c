/*
 * keydec: UTF-8 from the terminal, byte by byte (see keydec.h).  The
 * ranges are those of the Unicode standard's table 3-7 (well-formed UTF-8),
 * so overlongs and surrogates are refused at their first wrong byte.
 */
#include "config.h"
#include "keydec.h"

void keydec_init(struct keydec *d)
{
	d->cp = 0;
	d->need = 0;
	d->lo = 0x80;
	d->hi = 0xbf;
}

/* The first byte of a character: how many follow and where the second lies. */
static int start(struct keydec *d, unsigned char b)
{
	d->lo = 0x80;
	d->hi = 0xbf;
	if (b < 0x80)
		return b;
	if (b >= 0xc2 && b <= 0xdf) {
		d->need = 1;
		d->cp = b & 0x1fu;
	} else if (b >= 0xe0 && b <= 0xef) {
		d->need = 2;
		d->cp = b & 0x0fu;
		if (b == 0xe0)
			d->lo = 0xa0;	/* no overlongs */
		else if (b == 0xed)
			d->hi = 0x9f;	/* no surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		d->need = 3;
		d->cp = b & 0x07u;
		if (b == 0xf0)
			d->lo = 0x90;
		else if (b == 0xf4)
			d->hi = 0x8f;	/* nothing past U+10FFFF */
	} else {
		return KD_BAD;	/* 80..c1 alone, f5..ff: never a start */
	}
	return KD_MORE;
}

int keydec_feed(struct keydec *d, unsigned char b)
{
	if (d->need == 0)
		return start(d, b);
	if (b < d->lo || b > d->hi) {
		/* the sequence so far is dropped; b may begin the next one */
		keydec_init(d);
		int r = start(d, b);
		return r == KD_MORE ? KD_MORE : r;
	}
	d->cp = d->cp << 6 | (b & 0x3fu);
	d->lo = 0x80;
	d->hi = 0xbf;
	if (--d->need > 0)
		return KD_MORE;
	return (int)d->cp;
}

bool keydec_flush(struct keydec *d)
{
	bool had = d->need > 0;
	keydec_init(d);
	return had;
}
