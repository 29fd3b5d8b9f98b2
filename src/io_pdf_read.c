/*
 * io_pdf_read: .pdf to tables, one per page, via MuPDF's C library.
 *
 * MuPDF rather than poppler-glib: a device of our own sees every path the
 * page strokes or fills, so the table's ruling lines come straight from
 * the content (poppler-glib gives text with positions but no paths: rules
 * would have to be found in a rendered image), its structured text gives
 * each character with its position, and it is C like the rest of jxzp.
 * pdf_layout.c turns the characters and lines of a page into a table.
 *
 * The file is read page by page (one page's characters and lines at a
 * time), in a child process with limits on time and memory (io_child.c):
 * MuPDF is a large parser we never fuzzed ourselves.  Refused, each with
 * one line: a file without its end (%%EOF: truncated), a file MuPDF cannot
 * open, one that needs a password, more than PDF_MAX_PAGES pages, and a
 * file with no text at all (a scan: jxzp does no OCR).
 */
#include "config.h"
#include "io.h"
#include "io_child.h"
#include "io_read.h"
#include "i18n.h"
#include "pdf_layout.h"
#include "table.h"

#include <mupdf/fitz.h>
#include <mupdf/pdf.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* A form is a page or two: a thousand pages is hundreds of forms, and a
 * file past that is not a batch of forms but something else. */
#define PDF_MAX_PAGES 1000

/* ---- the device: paths become ruling lines, text goes to the text device ---- */

struct rule_dev {
	fz_device base;
	fz_device *text;	/* the structured-text device */
	struct lay_page *page;
	fz_matrix ctm;
	fz_point start, at;	/* the subpath's start and the pen */
	fz_point poly[5];	/* a fill's subpath while it may be a rectangle */
	int npoly;
	bool stroke;
};

static fz_point tp(struct rule_dev *d, float x, float y)
{
	return fz_transform_point(fz_make_point(x, y), d->ctm);
}

/* A filled rectangle thin enough to be a line is one. */
static void fill_rect(struct rule_dev *d, fz_point a, fz_point b)
{
	float x0 = fminf(a.x, b.x), x1 = fmaxf(a.x, b.x), y0 = fminf(a.y, b.y), y1 = fmaxf(a.y, b.y);
	if (y1 - y0 <= 3.0f && x1 - x0 > y1 - y0)
		lay_add_seg(d->page, x0, (y0 + y1) / 2, x1, (y0 + y1) / 2);
	else if (x1 - x0 <= 3.0f && y1 - y0 > x1 - x0)
		lay_add_seg(d->page, (x0 + x1) / 2, y0, (x0 + x1) / 2, y1);
}

/* The fill's subpath so far, if it is an axis-aligned rectangle. */
static void fill_close(struct rule_dev *d)
{
	int n = d->npoly;
	if (n == 5 && fabsf(d->poly[4].x - d->poly[0].x) < 0.01f && fabsf(d->poly[4].y - d->poly[0].y) < 0.01f)
		n = 4;
	if (n == 4) {
		bool axis = true;
		for (int i = 0; i < 4; i++) {
			fz_point p = d->poly[i], q = d->poly[(i + 1) % 4];
			if (fabsf(p.x - q.x) > 0.01f && fabsf(p.y - q.y) > 0.01f)
				axis = false;
		}
		if (axis)
			fill_rect(d, d->poly[0], d->poly[2]);
	}
	d->npoly = 0;
}

static void w_moveto(fz_context *ctx, void *arg, float x, float y)
{
	struct rule_dev *d = arg;
	if (!d->stroke)
		fill_close(d);
	d->start = d->at = tp(d, x, y);
	if (!d->stroke)
		d->poly[d->npoly++] = d->at;
}

static void w_lineto(fz_context *ctx, void *arg, float x, float y)
{
	struct rule_dev *d = arg;
	fz_point p = tp(d, x, y);
	if (d->stroke)
		lay_add_seg(d->page, d->at.x, d->at.y, p.x, p.y);
	else if (d->npoly > 0 && d->npoly < 5)
		d->poly[d->npoly++] = p;
	else
		d->npoly = 6;	/* not a rectangle */
	d->at = p;
}

static void w_curveto(fz_context *ctx, void *arg, float x1, float y1, float x2, float y2, float x3, float y3)
{
	struct rule_dev *d = arg;
	d->at = tp(d, x3, y3);
	d->npoly = 6;
}

static void w_closepath(fz_context *ctx, void *arg)
{
	struct rule_dev *d = arg;
	if (d->stroke)
		lay_add_seg(d->page, d->at.x, d->at.y, d->start.x, d->start.y);
	else
		fill_close(d);
	d->at = d->start;
}

static void w_rectto(fz_context *ctx, void *arg, float x0, float y0, float x1, float y1)
{
	struct rule_dev *d = arg;
	fz_point a = tp(d, x0, y0), b = tp(d, x1, y0), c = tp(d, x1, y1), e = tp(d, x0, y1);
	if (d->stroke) {
		lay_add_seg(d->page, a.x, a.y, b.x, b.y);
		lay_add_seg(d->page, b.x, b.y, c.x, c.y);
		lay_add_seg(d->page, c.x, c.y, e.x, e.y);
		lay_add_seg(d->page, e.x, e.y, a.x, a.y);
	} else {
		fill_close(d);
		fill_rect(d, a, c);
	}
	d->start = d->at = a;
}

static const fz_path_walker walker = {
	w_moveto, w_lineto, w_curveto, w_closepath, NULL, NULL, NULL, w_rectto
};

/* White paints nothing a reader sees: no rule. */
static bool white(fz_context *ctx, fz_colorspace *cs, const float *color)
{
	if (!cs || !color)
		return false;
	int n = fz_colorspace_n(ctx, cs);
	if (fz_colorspace_is_cmyk(ctx, cs))
		return n == 4 && color[0] < 0.05f && color[1] < 0.05f && color[2] < 0.05f && color[3] < 0.05f;
	if (fz_colorspace_is_gray(ctx, cs) || fz_colorspace_is_rgb(ctx, cs)) {
		for (int i = 0; i < n; i++)
			if (color[i] < 0.95f)
				return false;
		return true;
	}
	return false;
}

static void dev_fill_path(fz_context *ctx, fz_device *dev, const fz_path *path, int even_odd,
			  fz_matrix ctm, fz_colorspace *cs, const float *color, float alpha,
			  fz_color_params cp)
{
	struct rule_dev *d = (struct rule_dev *)dev;
	if (alpha < 0.1f || white(ctx, cs, color))
		return;
	d->ctm = ctm;
	d->stroke = false;
	d->npoly = 0;
	fz_walk_path(ctx, path, &walker, d);
	fill_close(d);
}

static void dev_stroke_path(fz_context *ctx, fz_device *dev, const fz_path *path,
			    const fz_stroke_state *st, fz_matrix ctm, fz_colorspace *cs,
			    const float *color, float alpha, fz_color_params cp)
{
	struct rule_dev *d = (struct rule_dev *)dev;
	if (alpha < 0.1f || white(ctx, cs, color))
		return;
	d->ctm = ctm;
	d->stroke = true;
	fz_walk_path(ctx, path, &walker, d);
}

static void dev_fill_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm,
			  fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	fz_fill_text(ctx, ((struct rule_dev *)dev)->text, text, ctm, cs, color, alpha, cp);
}

static void dev_stroke_text(fz_context *ctx, fz_device *dev, const fz_text *text,
			    const fz_stroke_state *st, fz_matrix ctm, fz_colorspace *cs,
			    const float *color, float alpha, fz_color_params cp)
{
	fz_stroke_text(ctx, ((struct rule_dev *)dev)->text, text, st, ctm, cs, color, alpha, cp);
}

/* Invisible text (render mode 3) is a text layer too: a scan with OCR. */
static void dev_ignore_text(fz_context *ctx, fz_device *dev, const fz_text *text, fz_matrix ctm)
{
	fz_ignore_text(ctx, ((struct rule_dev *)dev)->text, text, ctm);
}

static void dev_fill_image(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
			   float alpha, fz_color_params cp)
{
	((struct rule_dev *)dev)->page->images++;
}

static void dev_fill_image_mask(fz_context *ctx, fz_device *dev, fz_image *img, fz_matrix ctm,
				fz_colorspace *cs, const float *color, float alpha, fz_color_params cp)
{
	((struct rule_dev *)dev)->page->images++;
}

/* ---- pages ---------------------------------------------------------------- */

static void collect_text(fz_stext_page *st, struct lay_page *pg)
{
	for (fz_stext_block *b = st->first_block; b; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
			size_t first = pg->nch;	/* this line's characters start here */
			for (fz_stext_char *c = l->first_char; c; c = c->next) {
				if (c->c <= ' ' || c->c == 0xA0 || c->c == 0x3000 ||
				    (c->c >= 0x2000 && c->c <= 0x200B)) {
					if (pg->nch > first)
						pg->ch[pg->nch - 1].space_after = true;
					continue;
				}
				if (c->c == 0xFFFD || c->c > 0x10FFFF || (c->c >= 0xD800 && c->c <= 0xDFFF))
					continue;
				fz_rect r = fz_rect_from_quad(c->quad);
				struct lay_char pc = { r.x0, r.x1, c->origin.y, c->size, (uint32_t)c->c, false };
				if (!(pc.size > 0.5f) || !isfinite(pc.x0) || !isfinite(pc.x1) || !isfinite(pc.base))
					continue;
				lay_add_char(pg, &pc);
			}
		}
	}
}

/* A page turned by /Rotate (a landscape form turned upright in a viewer,
 * and saved) is read as drawn: turned, its lines of text run down the
 * page and no row of the table is a row.  The rotation is only the
 * viewer's; the copy in memory loses it, the file is not touched. */
static void unrotate(fz_context *ctx, fz_page *page)
{
	pdf_page *pp = pdf_page_from_fz_page(ctx, page);
	if (!pp)
		return;
	pdf_obj *rot = pdf_dict_get_inheritable(ctx, pp->obj, PDF_NAME(Rotate));
	if (rot && pdf_to_int(ctx, rot) % 360 != 0)
		pdf_dict_put_int(ctx, pp->obj, PDF_NAME(Rotate), 0);
}

/* Which way most of the page's text runs in device space: 0 left to
 * right (or no text), 90 down the page, -90 up it, 180 right to left. */
static int text_turn(fz_stext_page *st)
{
	double right = 0, down = 0, up = 0, left = 0;
	for (fz_stext_block *b = st->first_block; b; b = b->next) {
		if (b->type != FZ_STEXT_BLOCK_TEXT)
			continue;
		for (fz_stext_line *l = b->u.t.first_line; l; l = l->next) {
			double n = 0;
			for (fz_stext_char *c = l->first_char; c; c = c->next)
				n++;
			if (l->dir.x > 0.7f)
				right += n;
			else if (l->dir.x < -0.7f)
				left += n;
			else if (l->dir.y > 0.7f)
				down += n;
			else if (l->dir.y < -0.7f)
				up += n;
		}
	}
	if (down > right && down >= up && down >= left)
		return 90;
	if (up > right && up >= left)
		return -90;
	if (left > right)
		return 180;
	return 0;
}

/* The page run through our device with ctm into pg; the structured text
 * kept in *stp (the caller drops it). */
static void run_page(fz_context *ctx, fz_page *page, fz_matrix ctm, struct lay_page *pg,
		     fz_stext_page **stp)
{
	fz_stext_page *st = NULL;
	fz_device *tdev = NULL;
	struct rule_dev *d = NULL;
	fz_var(st);
	fz_var(tdev);
	fz_var(d);
	fz_try(ctx) {
		fz_stext_options opts = { FZ_STEXT_INHIBIT_SPACES | FZ_STEXT_MEDIABOX_CLIP, 1 };
		st = fz_new_stext_page(ctx, fz_transform_rect(fz_bound_page(ctx, page), ctm));
		tdev = fz_new_stext_device(ctx, st, &opts);
		d = fz_new_derived_device(ctx, struct rule_dev);
		d->text = tdev;
		d->page = pg;
		d->base.fill_path = dev_fill_path;
		d->base.stroke_path = dev_stroke_path;
		d->base.fill_text = dev_fill_text;
		d->base.stroke_text = dev_stroke_text;
		d->base.ignore_text = dev_ignore_text;
		d->base.fill_image = dev_fill_image;
		d->base.fill_image_mask = dev_fill_image_mask;
		fz_run_page(ctx, page, &d->base, ctm, NULL);
		fz_close_device(ctx, &d->base);
		fz_close_device(ctx, tdev);
	}
	fz_always(ctx) {
		fz_drop_device(ctx, d ? &d->base : NULL);
		fz_drop_device(ctx, tdev);
	}
	fz_catch(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_rethrow(ctx);
	}
	*stp = st;
}

/* Page number pno of doc into pg; false if MuPDF failed on it.  A page
 * whose text runs down or up it (a landscape form drawn turned on a
 * portrait page, with no /Rotate to say so) is run again turned back. */
static bool read_page(fz_context *ctx, fz_document *doc, int pno, struct lay_page *pg)
{
	fz_page *page = NULL;
	fz_stext_page *st = NULL;
	bool ok = true;
	fz_var(page);
	fz_var(st);
	fz_try(ctx) {
		page = fz_load_page(ctx, doc, pno);
		unrotate(ctx, page);
		run_page(ctx, page, fz_identity, pg, &st);
		int turn = text_turn(st);
		if (turn != 0) {
			fz_drop_stext_page(ctx, st);
			st = NULL;
			lay_clear(pg);
			/* turned so the text runs left to right, and moved back
			 * to the origin */
			fz_matrix m = fz_rotate((float)-turn);
			fz_rect r = fz_transform_rect(fz_bound_page(ctx, page), m);
			run_page(ctx, page, fz_concat(m, fz_translate(-r.x0, -r.y0)), pg, &st);
		}
		collect_text(st, pg);
	}
	fz_always(ctx) {
		fz_drop_stext_page(ctx, st);
		fz_drop_page(ctx, page);
	}
	fz_catch(ctx) {
		ok = false;
	}
	return ok;
}

static void quiet(void *user, const char *message)
{
	(void)user;
	(void)message;	/* MuPDF's own warnings are not ours to print */
}

/* Whether the file has its end: "%%EOF" in its last kilobyte. */
static bool has_end(const char *buf, size_t len)
{
	size_t from = len > 1024 ? len - 1024 : 0;
	return memmem(buf + from, len - from, "%%EOF", 5) != NULL;
}

/* The document and its page count (-1: MuPDF cannot open it; *locked:
 * it needs a password). */
static int open_doc(fz_context *ctx, const char *buf, size_t len, fz_stream **stmp,
		    pdf_document **docp, bool *locked)
{
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	int pages = -1;
	fz_var(stm);
	fz_var(doc);
	fz_var(pages);
	fz_try(ctx) {
		stm = fz_open_memory(ctx, (const unsigned char *)buf, len);
		doc = pdf_open_document_with_stream(ctx, stm);
		if (pdf_needs_password(ctx, doc))
			*locked = true;
		else
			pages = pdf_count_pages(ctx, doc);
	}
	fz_catch(ctx) {
		pages = -1;
	}
	*stmp = stm;
	*docp = doc;
	return pages;
}

static void close_doc(fz_context *ctx, fz_stream *stm, pdf_document *doc)
{
	fz_try(ctx) {
		pdf_drop_document(ctx, doc);
		fz_drop_stream(ctx, stm);
	}
	fz_catch(ctx) {
		/* nothing left to do */
	}
}

int io_pdf_tables_here(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (!has_end(buf, len)) {
		snprintf(err, errlen, "%s", _("a truncated PDF (its end is missing): get the whole file again"));
		return -1;
	}
	fz_context *ctx = fz_new_context(NULL, NULL, FZ_STORE_DEFAULT);
	if (!ctx) {
		snprintf(err, errlen, "%s", _("the PDF reader cannot start (out of memory)"));
		return -1;
	}
	fz_set_warning_callback(ctx, quiet, NULL);
	fz_set_error_callback(ctx, quiet, NULL);
	fz_stream *stm = NULL;
	pdf_document *doc = NULL;
	bool locked = false;
	int pages = open_doc(ctx, buf, len, &stm, &doc, &locked);
	int rc = -1;
	if (locked) {
		snprintf(err, errlen, "%s", _("the file is password-protected (encrypted): save it without a password first"));
	} else if (pages < 0) {
		snprintf(err, errlen, "%s", _("a damaged PDF: it cannot be opened"));
	} else if (pages == 0) {
		snprintf(err, errlen, "%s", _("a PDF without pages"));
	} else if (pages > PDF_MAX_PAGES) {
		snprintf(err, errlen, _("a PDF of %d pages: jxzp reads at most %d pages per file (split the file)"),
			 pages, PDF_MAX_PAGES);
	} else {
		struct lay_page pg = { 0 };
		size_t chars = 0;
		long images = 0;
		rc = 0;
		for (int i = 0; i < pages; i++) {
			lay_clear(&pg);
			if (!read_page(ctx, (fz_document *)doc, i, &pg)) {
				snprintf(err, errlen, _("a damaged PDF: page %d cannot be read"), i + 1);
				rc = -1;
				break;
			}
			chars += pg.nch;
			images += pg.images;
			char name[64];
			snprintf(name, sizeof name, _("page %d"), i + 1);
			tables_add(out, lay_page_table(&pg, name));
		}
		lay_free(&pg);
		if (rc == 0 && chars == 0) {
			snprintf(err, errlen, "%s", images
				 ? _("a PDF without a text layer (a scan: its pages are images); jxzp does not read text from images: import the form's .xlsx, .docx or text")
				 : _("a PDF without any text"));
			rc = -1;
		}
	}
	close_doc(ctx, stm, doc);
	fz_drop_context(ctx);
	return rc;
}

int io_pdf_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	return io_child_tables(io_pdf_tables_here, buf, len, 60, out, err, errlen,
			       _("a damaged PDF: the PDF reader failed on it"));
}
