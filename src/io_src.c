/* io_src: see io_src.h. */
#include "config.h"
#include "io_src.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#define CHUNK 65536

void src_init_file(struct io_src *s, FILE *f)
{
	memset(s, 0, sizeof *s);
	s->f = f;
	s->chunk = CHUNK;
}

void src_init_mem(struct io_src *s, const char *buf, size_t len)
{
	memset(s, 0, sizeof *s);
	s->mem = buf;
	s->memlen = len;
	s->len = len;
	s->eof = true;
	s->chunk = CHUNK;
}

void src_free(struct io_src *s)
{
	free(s->buf);
	s->buf = NULL;
	s->cap = s->len = s->pos = 0;
}

static const char *base(const struct io_src *s)
{
	return s->f ? s->buf : s->mem;
}

const char *src_at(const struct io_src *s, size_t *n)
{
	*n = s->len - s->pos;
	return base(s) ? base(s) + s->pos : "";
}

size_t src_need(struct io_src *s, size_t n)
{
	while (s->len - s->pos < n && !s->eof) {
		if (s->pos) {	/* what was passed goes */
			memmove(s->buf, s->buf + s->pos, s->len - s->pos);
			s->len -= s->pos;
			s->off += s->pos;
			s->pos = 0;
		}
		size_t want = n > s->chunk ? n : s->chunk;
		if (s->cap < s->len + want) {
			size_t cap = s->cap ? s->cap : s->chunk;
			while (cap < s->len + want)
				cap *= 2;
			char *p = realloc(s->buf, cap);
			if (!p)
				abort();	/* out of memory */
			s->buf = p;
			s->cap = cap;
		}
		size_t ask = s->cap - s->len < s->chunk ? s->cap - s->len : s->chunk;
		size_t got = fread(s->buf + s->len, 1, ask, s->f);
		s->len += got;
		if (got < ask) {
			if (ferror(s->f))
				s->err = errno ? errno : EIO;
			s->eof = true;
		}
	}
	return s->len - s->pos;
}

void src_skip(struct io_src *s, size_t n)
{
	s->pos += n;
}

size_t src_tell(const struct io_src *s)
{
	return s->off + s->pos;
}

const char *src_line(struct io_src *s, size_t *n)
{
	size_t looked = 0;
	for (;;) {
		size_t have;
		const char *p = src_at(s, &have);
		const char *e = memchr(p + looked, '\n', have - looked);
		if (e || s->eof) {
			if (!have)
				return NULL;
			size_t k = e ? (size_t)(e - p) : have;
			*n = k;
			s->pos += e ? k + 1 : k;
			return p;
		}
		looked = have;
		src_need(s, have + s->chunk);
	}
}

int src_rewind(struct io_src *s)
{
	if (!s->f) {
		s->pos = 0;
		return 0;
	}
	if (fseeko(s->f, 0, SEEK_SET) != 0) {
		s->err = errno;
		return -1;
	}
	clearerr(s->f);
	s->len = s->pos = s->off = 0;
	s->eof = false;
	return 0;
}

/* u8_check, with the characters forms are made of passed without a call:
 * ASCII, and the two- and three-byte sequences whose lead byte alone says
 * they are well formed once their continuation bytes are (not E0 and ED,
 * which also rule out overlong forms and surrogates).  The rest, and
 * anything wrong, is u8_check's to judge: it says where, as before. */
static const uint8_t *utf8_check(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t b = p[i];
		if (i + 8 <= n) {
			uint64_t x;
			memcpy(&x, p + i, 8);
			if ((x & 0x8080808080808080ULL) == 0) {
				i += 8;	/* eight ASCII bytes */
				continue;
			}
		}
		if (b < 0x80) {
			i++;
		} else if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
			i += 2;
		} else if (b >= 0xE1 && b <= 0xEF && b != 0xED && i + 2 < n &&
			   (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
		} else {
			size_t k = n - i < 4 ? n - i : 4;
			const uint8_t *bad = u8_check(p + i, k);
			if (bad == p + i)
				return bad;
			/* p[i] starts a good character: its length by its lead byte */
			i += b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
		}
	}
	return NULL;
}

/* The checks over [p, p+n) at file offset at; false once a bad byte is found. */
static bool scan_part(struct src_scan *o, const char *p, size_t n, size_t at)
{
	const uint8_t *bad = utf8_check((const uint8_t *)p, n);
	if (bad) {
		o->bad = (long)(at + (size_t)((const char *)bad - p));
		return false;
	}
	if (o->nul < 0) {
		const char *z = memchr(p, '\0', n);
		if (z)
			o->nul = (long)(at + (size_t)(z - p));
	}
	if (!o->tab && memchr(p, '\t', n))
		o->tab = true;
	return true;
}

int src_scan(struct io_src *s, struct src_scan *o)
{
	o->bad = o->nul = -1;
	o->tab = false;
	if (!s->f) {
		scan_part(o, s->mem, s->memlen, 0);
		o->size = s->memlen;
		s->pos = 0;
		return 0;
	}
	if (src_rewind(s) != 0)
		return -1;
	size_t at = 0;	/* file offset of buf[0] */
	for (;;) {
		src_need(s, s->len + s->chunk);
		if (s->err)
			return -1;
		size_t cut = s->len;
		if (!s->eof)	/* a character cut by the chunk's end waits for the rest */
			for (size_t i = s->len; i > 0 && i + 4 > s->len; i--)
				if (((unsigned char)s->buf[i - 1] & 0xC0) != 0x80) {
					if ((unsigned char)s->buf[i - 1] >= 0xC0)
						cut = i - 1;
					break;
				}
		if (!scan_part(o, s->buf, cut, at) || s->eof) {
			if (o->bad < 0)
				at += s->len;
			break;
		}
		memmove(s->buf, s->buf + cut, s->len - cut);
		s->len -= cut;
		at += cut;
	}
	o->size = at;	/* (short of the end after a bad byte: reading stops there) */
	return src_rewind(s);
}

int src_line_col(struct io_src *s, size_t from, size_t off, long *line, long *col)
{
	*line = 1;
	*col = 1;
	if (src_rewind(s) != 0)
		return -1;
	size_t at = 0;
	while (at < off) {
		size_t have;
		const char *p = src_at(s, &have);
		if (!have && src_need(s, s->chunk) == 0)
			break;
		p = src_at(s, &have);
		for (size_t i = 0; i < have && at < off; i++, at++) {
			if (at < from)
				continue;
			if (p[i] == '\n') {
				++*line;
				*col = 1;
			} else if (((unsigned char)p[i] & 0xc0) != 0x80) {
				++*col;
			}
		}
		src_skip(s, have);
	}
	return src_rewind(s);
}
