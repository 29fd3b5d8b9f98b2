/*
 * io_zip: the zip and XML under .xlsx and .docx, read safely (libzip,
 * expat).  Private to the file readers.
 *
 * Limits: a member that inflates past ZIP_MEMBER_MAX, or past
 * ZIP_RATIO_MAX times its compressed size once beyond ZIP_RATIO_FLOOR, is
 * refused as it inflates (a zip bomb), whatever its header claims.
 * Encrypted members are refused.  XML with a DOCTYPE (entity declarations,
 * external entities) is refused: the Office formats never have one.
 * Members are streamed into expat in pieces, never held whole.
 */
#ifndef JXZP_IO_ZIP_H
#define JXZP_IO_ZIP_H

#include <stdbool.h>
#include <stddef.h>
#include <expat.h>

#define ZIP_MEMBER_MAX (64u << 20)	/* 64 MiB inflated */
#define ZIP_RATIO_MAX 100		/* inflated / compressed */
#define ZIP_RATIO_FLOOR (1u << 20)	/* small members cannot be bombs */

struct zipf;

/* Opens the zip held in buf (which must outlive it).  NULL with a message
 * in err: not a zip, truncated, damaged. */
struct zipf *zipf_open(const char *buf, size_t len, char *err, size_t errlen);
void zipf_close(struct zipf *z);
bool zipf_has(struct zipf *z, const char *member);

/* Every XML reader's state starts with this, so the safety handlers can
 * stop the parser and say why. */
struct xml_base {
	XML_Parser p;
	const char *refused;	/* why the parse was stopped, or NULL */
};

/* A parser with the safety handlers set, user data `base`. */
XML_Parser xml_new(struct xml_base *base);
/* Stops the parse with a reason (from a handler). */
void xml_refuse(struct xml_base *base, const char *why);

/* Streams member through its parser (from xml_new).  0, or -1 with a
 * message in err (missing, encrypted, a bomb, malformed XML, refused). */
int zipf_parse(struct zipf *z, const char *member, struct xml_base *base, char *err,
	       size_t errlen);

/* The local part of an XML name ("x:row" -> "row"). */
const char *xml_local(const char *name);
/* Attribute value by local name, or NULL. */
const char *xml_attr(const char **atts, const char *name);

#endif
