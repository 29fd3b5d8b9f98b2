/*
 * io_read: the format of a file from its first bytes, and its reader.
 */
#include "config.h"
#include "io_read.h"
#include "i18n.h"
#include "radicals.h"
#include "table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>
#include <uniconv.h>

static bool has(const char *buf, size_t len, const char *what, size_t n)
{
	return memmem(buf, len, what, n) != NULL;
}

enum io_format io_sniff(const char *buf, size_t len)
{
	if (len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0) {
		/* the member names are in the local headers and the directory */
		if (has(buf, len, "xl/workbook", 11))
			return IOF_XLSX;
		if (has(buf, len, "word/document", 13))
			return IOF_DOCX;
		return IOF_ZIP;
	}
	if (len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
		return IOF_CFB;
	size_t head = len < 1024 ? len : 1024;	/* "%PDF-" may follow some junk */
	if (has(buf, head, "%PDF-", 5))
		return IOF_PDF;
	if (io_looks_json(buf, len))
		return IOF_JSON;
	if (io_looks_csv(buf, len))
		return IOF_CSV;
	return IOF_TEXT;
}

const char *io_format_name(enum io_format f)
{
	static const char *const n[] = { "text", "json", "xlsx", "docx", "xls", "pdf", "zip", "ole2", "csv" };
	return n[f];
}

const char *io_formats(void)
{
	return "text csv json"
#ifdef HAVE_XLSX_READ
	       " xlsx"
#endif
#ifdef HAVE_DOCX_READ
	       " docx"
#endif
#ifdef HAVE_FREEXL
	       " xls"
#endif
#ifdef HAVE_MUPDF
	       " pdf"
#endif
	       ;
}

/* An OLE2 file holding an encrypted Office package (EncryptedPackage, in
 * UTF-16 in its directory). */
static bool encrypted_ooxml(const char *buf, size_t len)
{
	static const char name[] = "E\0n\0c\0r\0y\0p\0t\0e\0d\0P\0a\0c\0k\0a\0g\0e";
	return has(buf, len, name, sizeof name - 1);
}

static int unreadable(struct io_result *out, const char *why)
{
	io_problem(out, 0, 0, -1, "%s", why);
	out->unreadable = true;
	return -1;
}

/* Text that is not UTF-8 but reads whole as GB18030 (GBK and GB2312 are
 * its subsets: what Chinese Windows saves text and CSV in), as UTF-8; or
 * NULL.  libunistring's converter, which refuses any byte it cannot map. */
static char *from_gb18030(const char *buf, size_t len, size_t *outlen)
{
	if (!u8_check((const uint8_t *)buf, len))
		return NULL;	/* UTF-8 already */
	size_t n = 0;
	uint8_t *u = u8_conv_from_encoding("GB18030", iconveh_error, buf, len, NULL, NULL, &n);
	if (!u)
		return NULL;	/* neither: the reader says where UTF-8 breaks */
	char *t = realloc(u, n + 1);
	if (!t)
		abort();	/* out of memory */
	t[n] = '\0';
	*outlen = n;
	return t;
}

/* Text in UTF-16 with its byte order mark (Excel's "Unicode Text", what
 * Notepad once called "Unicode"), as UTF-8 without the mark; or NULL. */
static char *from_utf16(const char *buf, size_t len, size_t *outlen)
{
	const char *enc = len >= 2 && memcmp(buf, "\xFF\xFE", 2) == 0 ? "UTF-16LE"
			: len >= 2 && memcmp(buf, "\xFE\xFF", 2) == 0 ? "UTF-16BE" : NULL;
	if (!enc || len % 2)	/* iconv would drop a last odd byte unsaid */
		return NULL;
	size_t n = 0;
	uint8_t *u = u8_conv_from_encoding(enc, iconveh_error, buf + 2, len - 2, NULL, NULL, &n);
	if (!u)
		return NULL;
	char *t = realloc(u, n + 1);
	if (!t)
		abort();	/* out of memory */
	t[n] = '\0';
	*outlen = n;
	return t;
}

static int by_from(const void *k, const void *e)
{
	uint32_t c = *(const uint32_t *)k, f = ((const struct radical *)e)->from;
	return c < f ? -1 : c > f;
}

/* A cell's text with every radical as the ideograph it stands for, in
 * place when there is one.  Some writers name the glyph of 目 or 门 by
 * its Kangxi or simplified radical (Chromium's PDFs), and text copied from
 * such a file into a workbook keeps them; they look alike and mean the
 * ideograph (src/radicals.h). */
static void unradical(char **text)
{
	const char *t = *text;
	bool any = false;	/* U+2E80..U+2FDF: E2 BA 80 .. E2 BF 9F */
	for (const char *p = t; (p = strchr(p, '\xE2')); p++)
		if ((unsigned char)p[1] >= 0xBA && (unsigned char)p[1] <= 0xBF) {
			any = true;
			break;
		}
	if (!any)
		return;
	size_t n = strlen(t), k = 0;
	uint8_t *o = malloc(n * 2 + 1);	/* a radical's 3 bytes become at most 4 */
	if (!o)
		abort();	/* out of memory */
	for (const uint8_t *p = (const uint8_t *)t; *p;) {
		ucs4_t c;
		int m = u8_mbtouc(&c, p, n - (size_t)(p - (const uint8_t *)t));
		const struct radical *r = c >= 0x2E80 && c <= 0x2FDF
			? bsearch(&(uint32_t){ c }, radicals, sizeof radicals / sizeof radicals[0],
				  sizeof radicals[0], by_from) : NULL;
		if (r)
			k += (size_t)u8_uctomb(o + k, r->to, 4);
		else {
			memcpy(o + k, p, (size_t)m);
			k += (size_t)m;
		}
		p += m;
	}
	o[k] = '\0';
	free(*text);
	*text = (char *)o;
}

static int read_as(enum io_format f, const char *buf, size_t len, const char *name,
		   struct io_result *out);

/* Tab-separated text with a quoted cell (a tab or a line's start, then
 * '"'): a sheet Excel saved as text. */
static bool excel_tabs(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len && i < 65536; i++)
		if ((buf[i] == '\t' || buf[i] == '\n') && buf[i + 1] == '"')
			return memchr(buf, '\t', len) != NULL;
	return false;
}

int io_read_any(const char *buf, size_t len, const char *name, struct io_result *out)
{
	memset(out, 0, sizeof *out);
	enum io_format f = io_sniff(buf, len);
	if (f == IOF_TEXT && len >= 2 && (memcmp(buf, "\xFF\xFE", 2) == 0 || memcmp(buf, "\xFE\xFF", 2) == 0)) {
		size_t n;
		char *utf8 = from_utf16(buf, len, &n);
		if (!utf8)
			return unreadable(out, _("the file starts as UTF-16 text but is not (an odd number of bytes, or half a character): save it again as UTF-8 or as an .xlsx workbook"));
		/* Excel's "Unicode Text" is its sheet with tabs between the
		 * cells and a cell holding a line break in quotes, as in CSV:
		 * the CSV reader's, not the text reader's (whose cells go on
		 * over lines unquoted, the way text copied from a page does) */
		int rc = excel_tabs(utf8, n) ? read_as(IOF_CSV, utf8, n, name, out)
					     : io_read_any(utf8, n, name, out);
		free(utf8);
		return rc;
	}
	if (f == IOF_TEXT || f == IOF_CSV) {
		size_t n;
		char *utf8 = from_gb18030(buf, len, &n);
		if (utf8) {
			int rc = io_read_any(utf8, n, name, out);
			free(utf8);
			if (out->n_forms > 0)	/* said once, with the first form */
				io_problem(out, 0, 0, -1, "%s", _("the file is in GB18030 (GBK), not UTF-8: read as GB18030"));
			return rc;
		}
	}
	return read_as(f, buf, len, name, out);
}

/* Forms from buf read as format f. */
static int read_as(enum io_format f, const char *buf, size_t len, const char *name,
		   struct io_result *out)
{
	char err[256] = "";
	struct tables ts = { 0 };
	int rc = -1;
	switch (f) {
	case IOF_TEXT:
		return io_text_read(buf, len, name, out);
	case IOF_CSV:
		rc = io_csv_tables(buf, len, &ts, err, sizeof err);
		break;
	case IOF_JSON:
		return io_json_read(buf, len, name, out);
	case IOF_ZIP:
		return unreadable(out, _("a zip file, but neither an .xlsx workbook nor a .docx document"));
	case IOF_CFB:
		if (encrypted_ooxml(buf, len))
			return unreadable(out, _("the file is password-protected (encrypted): save it without a password first"));
		rc = io_xls_tables(buf, len, &ts, err, sizeof err);
		break;
	case IOF_XLSX:
		rc = io_xlsx_tables(buf, len, &ts, err, sizeof err);
		break;
	case IOF_DOCX:
		rc = io_docx_tables(buf, len, &ts, err, sizeof err);
		break;
	case IOF_XLS:
		rc = io_xls_tables(buf, len, &ts, err, sizeof err);
		break;
	case IOF_PDF:
		rc = io_pdf_tables(buf, len, &ts, err, sizeof err);
		break;
	}
	if (rc != 0) {
		tables_free(&ts);
		return unreadable(out, err);
	}
	for (size_t i = 0; i < ts.n; i++)
		for (size_t r = 0; r < ts.v[i]->n; r++)
			for (int c = 0; c < ts.v[i]->rows[r].n; c++)
				unradical(&ts.v[i]->rows[r].cells[c].text);
	rc = io_table_read(ts.v, ts.n, name, out);
	tables_free(&ts);
	return rc;
}

/* Readers this build lacks say so (configure defines HAVE_* where the
 * reader's library is there and the reader compiled in). */
#ifndef HAVE_XLSX_READ
int io_xlsx_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	(void)buf; (void)len; (void)out;
	snprintf(err, errlen, "%s", _("an .xlsx workbook, but this build of jxzp reads no .xlsx (built without libzip and expat: Debian libzip-dev, libexpat1-dev)"));
	return -1;
}
#endif
#ifndef HAVE_DOCX_READ
int io_docx_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	(void)buf; (void)len; (void)out;
	snprintf(err, errlen, "%s", _("a .docx document, but this build of jxzp reads no .docx (built without libzip and expat: Debian libzip-dev, libexpat1-dev)"));
	return -1;
}
#endif
#ifndef HAVE_FREEXL
int io_xls_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	(void)buf; (void)len; (void)out;
	snprintf(err, errlen, "%s", _("an .xls workbook (Excel 97-2003), but this build of jxzp reads no .xls (built without libfreexl: Debian libfreexl-dev)"));
	return -1;
}
#endif
#ifndef HAVE_MUPDF
int io_pdf_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	(void)buf; (void)len; (void)out;
	snprintf(err, errlen, "%s", _("a PDF, but this build of jxzp reads no PDF (built without MuPDF: Debian libmupdf-dev)"));
	return -1;
}
#endif
