/*
 * fuzz_pdf: libFuzzer target for the PDF reader, in this process (not in
 * the child io_pdf_tables runs it in, so ASan and the coverage see our
 * code): src/io_pdf_read.c (MuPDF, our device) and src/pdf_layout.c, then
 * the table -> form reader.  An input starting with "%PDF" is a file; any
 * other is a page drawn straight into pdf_layout (5 bytes a character or a
 * rule, on a coarse grid so that lines meet and text lands on them), for
 * geometry no PDF producer would write.  Any bytes in: no crash, no leak,
 * no undefined behaviour.  Build and run: tests/fuzz/run_pdf.sh [seconds]
 */
#include "config.h"
#include "io.h"
#include "io_read.h"
#include "pdf_layout.h"
#include "table.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_tables(struct tables *ts)
{
	struct io_result r;
	memset(&r, 0, sizeof r);
	int rc = io_table_read(ts->v, ts->n, "fuzz", &r);
	assert(rc == 0 || rc == -1);
	for (size_t i = 0; i < r.n_problems; i++)
		assert(r.problems[i].form_index <= r.n_forms);
	io_result_free(&r);
}

static void drawn_page(const uint8_t *d, size_t n)
{
	static const uint32_t cs[] = { 0x9879, 0x76EE, 0x540D, 0x79F0, 0x4E00, 0x7EA7, 0x6307,
		0x6807, 0xFF0C, 0x3002, 0xFF08, 0xFF09, '1', '0', '.', '%', 'a', 'B', '(', ')', 0x2265 };
	struct lay_page p = { 0 };
	for (size_t i = 0; i + 5 <= n; i += 5) {
		const uint8_t *b = d + i;
		float x = b[1] * 4.0f, y = b[2] * 4.0f;
		if (b[0] & 1) {
			float len = (b[3] + 1) * 4.0f;
			if (b[0] & 2)
				lay_add_seg(&p, x, y, x + len, y + (b[0] & 4 ? 0.3f : 0));
			else
				lay_add_seg(&p, x, y, x, y + len);
		} else {
			float size = 1.0f + (b[4] & 31);
			struct lay_char c = { x, x + size * (b[3] & 1 ? 1.0f : 0.5f), y, size,
					      cs[(b[3] >> 1) % (sizeof cs / sizeof *cs)], b[4] & 32 };
			lay_add_char(&p, &c);
		}
	}
	struct tables ts = { 0 };
	tables_add(&ts, lay_page_table(&p, "page"));
	lay_free(&p);
	read_tables(&ts);
	tables_free(&ts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4 || memcmp(data, "%PDF", 4) != 0) {
		drawn_page(data, size);
		return 0;
	}
	struct tables ts;
	char err[256] = "";
	if (io_pdf_tables_here((const char *)data, size, &ts, err, sizeof err) == 0)
		read_tables(&ts);
	else
		assert(err[0] != '\0');
	tables_free(&ts);
	return 0;
}
