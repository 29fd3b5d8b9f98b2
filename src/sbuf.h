/*
 * sbuf: a small growable string for the readers (private to src/io_*).
 */
#ifndef JXZP_SBUF_H
#define JXZP_SBUF_H

#include <stdlib.h>
#include <string.h>

struct sbuf {
	char *s;
	size_t len, cap;
};

static inline void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->s, cap);
		if (!p)
			abort();	/* out of memory */
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static inline void sb_add(struct sbuf *b, const char *s) { sb_addn(b, s, strlen(s)); }

/* The string (never NULL), the buffer left empty.  Caller frees. */
static inline char *sb_take(struct sbuf *b)
{
	if (!b->s)
		sb_addn(b, "", 0);
	char *s = b->s;
	memset(b, 0, sizeof *b);
	return s;
}

#endif
