/*
 * io_zip: zip members streamed into expat, with the limits of io_zip.h.
 */
#include "config.h"
#include "io_zip.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct zipf {
	zip_t *zip;
};

struct zipf *zipf_open(const char *buf, size_t len, char *err, size_t errlen)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(buf, len, 0, &ze);
	if (!src) {
		snprintf(err, errlen, "%s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return NULL;
	}
	zip_t *zip = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
	if (!zip) {
		int code = zip_error_code_zip(&ze);
		if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_EOF ||
		    code == ZIP_ER_READ || code == ZIP_ER_SEEK)
			snprintf(err, errlen, "%s", _("a damaged or truncated zip (its directory cannot be read)"));
		else
			snprintf(err, errlen, _("cannot open the zip: %s"), zip_error_strerror(&ze));
		zip_source_free(src);
		zip_error_fini(&ze);
		return NULL;
	}
	zip_error_fini(&ze);
	struct zipf *z = calloc(1, sizeof *z);
	if (!z)
		abort();
	z->zip = zip;
	return z;
}

void zipf_close(struct zipf *z)
{
	if (!z)
		return;
	zip_discard(z->zip);
	free(z);
}

bool zipf_has(struct zipf *z, const char *member)
{
	return zip_name_locate(z->zip, member, 0) >= 0;
}

const char *xml_local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

const char *xml_attr(const char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(xml_local(atts[i]), name) == 0)
			return atts[i + 1];
	return NULL;
}

void xml_refuse(struct xml_base *base, const char *why)
{
	if (!base->refused)
		base->refused = why;
	XML_StopParser(base->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal)
{
	(void)name; (void)sysid; (void)pubid; (void)has_internal;
	xml_refuse(ud, _("the XML has a DOCTYPE (entity declarations are refused)"));
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
			      const XML_Char *value, int value_length, const XML_Char *base,
			      const XML_Char *sysid, const XML_Char *pubid,
			      const XML_Char *notation)
{
	(void)name; (void)is_param; (void)value; (void)value_length; (void)base;
	(void)sysid; (void)pubid; (void)notation;
	xml_refuse(ud, _("the XML declares entities (refused)"));
}

XML_Parser xml_new(struct xml_base *base)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	if (!p)
		abort();	/* out of memory */
	base->p = p;
	base->refused = NULL;
	XML_SetUserData(p, base);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	XML_SetEntityDeclHandler(p, on_entity);
	XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
	return p;
}

int zipf_parse(struct zipf *z, const char *member, struct xml_base *base, char *err,
	       size_t errlen)
{
	zip_int64_t idx = zip_name_locate(z->zip, member, 0);
	if (idx < 0) {
		snprintf(err, errlen, _("%s is missing from the zip"), member);
		return -1;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(z->zip, (zip_uint64_t)idx, 0, &st) != 0) {
		snprintf(err, errlen, "%s: %s", member, zip_strerror(z->zip));
		return -1;
	}
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		snprintf(err, errlen, "%s", _("the file is password-protected (encrypted): save it without a password first"));
		return -1;
	}
	zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > ZIP_MEMBER_MAX) {
		snprintf(err, errlen, _("%s would inflate to %llu bytes, past the limit of %u MiB (a zip bomb?)"),
			 member, (unsigned long long)st.size, ZIP_MEMBER_MAX >> 20);
		return -1;
	}
	zip_file_t *zf = zip_fopen_index(z->zip, (zip_uint64_t)idx, 0);
	if (!zf) {
		snprintf(err, errlen, "%s: %s", member, zip_strerror(z->zip));
		return -1;
	}
	static char buf[1 << 16];
	zip_uint64_t total = 0;
	int rc = 0;
	for (;;) {
		zip_int64_t n = zip_fread(zf, buf, sizeof buf);
		if (n < 0) {
			snprintf(err, errlen, _("%s cannot be inflated: %s (damaged or truncated?)"),
				 member, zip_file_strerror(zf));
			rc = -1;
			break;
		}
		total += (zip_uint64_t)n;
		if (total > ZIP_MEMBER_MAX ||
		    (total > ZIP_RATIO_FLOOR && total > (zip_uint64_t)ZIP_RATIO_MAX * (comp ? comp : 1))) {
			snprintf(err, errlen, _("%s inflates past %u MiB or %d times its size: refused (a zip bomb?)"),
				 member, ZIP_MEMBER_MAX >> 20, ZIP_RATIO_MAX);
			rc = -1;
			break;
		}
		if (XML_Parse(base->p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
			if (base->refused)
				snprintf(err, errlen, "%s: %s", member, base->refused);
			else
				snprintf(err, errlen, _("%s: XML error at line %lu: %s"), member,
					 (unsigned long)XML_GetCurrentLineNumber(base->p),
					 XML_ErrorString(XML_GetErrorCode(base->p)));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
	}
	zip_fclose(zf);
	return rc;
}
