/*
 * io_xls_read: .xls (Excel 97-2003 BIFF, what many templates still are) to
 * tables, one per worksheet, via Debian's libfreexl.
 *
 * libfreexl opens files by name only: the bytes go to a private temporary
 * file (mode 0600, removed at once).  It gives values, not how the sheet
 * shows them: numbers are shown as General (the shortest decimal), dates as
 * YYYY-MM-DD, and merged cells are not reported (their covered cells are
 * empty, as text exports have them).  A password-protected (obfuscated)
 * workbook is refused.
 *
 * libfreexl 1.0.6 reads past a stack buffer on some crafted files (found by
 * tests/fuzz/run_files.sh xls; tests/fixtures/files/freexl-crash.xls), so
 * it runs in a child process with limits on memory and time: whatever the
 * file does to it, jxzp gets the cells over a pipe or one line saying the
 * file could not be read.
 */
#include "config.h"
#include "io.h"
#include "io_read.h"
#include "i18n.h"
#include "numfmt.h"
#include "table.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)	/* clang's way of saying it */
#define JXZP_ASAN 1
#endif
#endif

#include <freexl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define XLS_MAX_ROWS 1048576u
#define XLS_MAX_COLS 256u

static int xls_read(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/jxzp-xls-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, _("cannot make a temporary file for the .xls reader: %s"), path);
		return -1;
	}
	size_t done = 0;
	while (done < len) {
		ssize_t w = write(fd, buf + done, len - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	close(fd);
	const void *h = NULL;
	int rc = done == len ? freexl_open(path, &h) : FREEXL_FILE_NOT_FOUND;
	unlink(path);	/* freexl keeps it open */
	if (rc != FREEXL_OK) {
		if (h)
			freexl_close(h);
		snprintf(err, errlen, "%s", rc == FREEXL_CRAFTED_FILE
			 ? _("a .xls workbook crafted to mislead its reader: refused")
			 : _("a damaged or truncated .xls workbook (or an Office file of another kind)"));
		return -1;
	}
	unsigned int info = 0;
	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK && info == FREEXL_BIFF_OBFUSCATED) {
		freexl_close(h);
		snprintf(err, errlen, "%s", _("the file is password-protected (encrypted): save it without a password first"));
		return -1;
	}
	unsigned int sheets = 0;
	freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &sheets);
	for (unsigned int s = 0; s < sheets && s < 4096; s++) {
		if (freexl_select_active_worksheet(h, (unsigned short)s) != FREEXL_OK)
			continue;
		const char *name = NULL;
		freexl_get_worksheet_name(h, (unsigned short)s, &name);
		unsigned int rows = 0;
		unsigned short cols = 0;
		if (freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
			continue;
		if (rows > XLS_MAX_ROWS)
			rows = XLS_MAX_ROWS;
		struct table *t = table_new(name, true);
		for (unsigned int r = 0; r < rows; r++) {
			struct trow *row = NULL;
			for (unsigned short c = 0; c < cols && c < XLS_MAX_COLS; c++) {
				FreeXL_CellValue v;
				if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
					continue;
				char num[64];
				char *shown = NULL;
				const char *text = NULL;
				switch (v.type) {
				case FREEXL_CELL_INT:
					snprintf(num, sizeof num, "%d", v.value.int_value);
					text = num;
					break;
				case FREEXL_CELL_DOUBLE:
					snprintf(num, sizeof num, "%.17g", v.value.double_value);
					shown = numfmt_show(num, NULL, false);
					text = shown;
					break;
				case FREEXL_CELL_TEXT:
				case FREEXL_CELL_SST_TEXT:
				case FREEXL_CELL_DATE:
				case FREEXL_CELL_DATETIME:
				case FREEXL_CELL_TIME:
					text = v.value.text_value;
					break;
				default:
					break;
				}
				if (text && *text) {
					if (!row)
						row = table_add_row(t, (long)r + 1);
					trow_add(row, c, text, strlen(text));
				}
				free(shown);
			}
		}
		tables_add(out, t);
	}
	freexl_close(h);
	if (out->n == 0) {
		snprintf(err, errlen, "%s", _("the workbook has no worksheets"));
		return -1;
	}
	return 0;
}

/* ---- the child: its tables over a pipe --------------------------------------- */

static bool put(int fd, const void *p, size_t n)
{
	const char *c = p;
	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w <= 0)
			return false;
		c += w;
		n -= (size_t)w;
	}
	return true;
}

static bool put_str(int fd, char tag, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	return put(fd, &tag, 1) && put(fd, &n, sizeof n) && put(fd, s, n);
}

static bool get(FILE *in, void *p, size_t n)
{
	return fread(p, 1, n, in) == n;
}

static char *get_str(FILE *in)
{
	uint32_t n;
	if (!get(in, &n, sizeof n) || n > (64u << 20))
		return NULL;
	char *s = malloc((size_t)n + 1);
	if (!s)
		abort();
	if (!get(in, s, n)) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	return s;
}

static void child(int fd, const char *buf, size_t len)
{
	struct rlimit cpu = { 30, 30 };
	setrlimit(RLIMIT_CPU, &cpu);
	/* no address-space limit under AddressSanitizer: it maps terabytes */
#if !defined(__SANITIZE_ADDRESS__) && !defined(JXZP_ASAN)
	struct rlimit mem = { 1u << 30, 1u << 30 };
	setrlimit(RLIMIT_AS, &mem);
#endif
	struct tables ts;
	char err[256] = "";
	if (xls_read(buf, len, &ts, err, sizeof err) != 0) {
		put_str(fd, 'X', err);
		_exit(0);
	}
	for (size_t t = 0; t < ts.n; t++) {
		put_str(fd, 'T', ts.v[t]->name ? ts.v[t]->name : "");
		for (size_t i = 0; i < ts.v[t]->n; i++) {
			const struct trow *r = &ts.v[t]->rows[i];
			for (int k = 0; k < r->n; k++) {
				int32_t pos[2] = { (int32_t)r->line, r->cells[k].col };
				if (!put(fd, "C", 1) || !put(fd, pos, sizeof pos) ||
				    !put_str(fd, 'S', r->cells[k].text))
					_exit(1);
			}
		}
	}
	put(fd, "E", 1);
	_exit(0);
}

int io_xls_tables(const char *buf, size_t len, struct tables *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	int p[2];
	if (pipe(p) != 0) {
		snprintf(err, errlen, "%s", _("the .xls reader cannot start (no pipe)"));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		snprintf(err, errlen, "%s", _("the .xls reader cannot start (no process)"));
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1], buf, len);
	}
	close(p[1]);
	FILE *in = fdopen(p[0], "rb");
	if (!in)
		abort();
	int rc = -1;
	bool ended = false, failed = false;
	struct table *t = NULL;
	char tag;
	while (!ended && !failed && get(in, &tag, 1)) {
		if (tag == 'X') {
			char *m = get_str(in);
			snprintf(err, errlen, "%s", m ? m : "");
			free(m);
			failed = true;
		} else if (tag == 'T') {
			char *name = get_str(in);
			if (!name)
				break;
			t = table_new(*name ? name : NULL, true);
			free(name);
			tables_add(out, t);
		} else if (tag == 'C' && t) {
			int32_t pos[2];
			char st;
			if (!get(in, pos, sizeof pos) || !get(in, &st, 1))
				break;
			char *text = get_str(in);
			if (!text)
				break;
			if (!t->n || t->rows[t->n - 1].line != pos[0])
				table_add_row(t, pos[0]);
			trow_add(&t->rows[t->n - 1], pos[1], text, strlen(text));
			free(text);
		} else if (tag == 'E') {
			ended = true;
		} else {
			break;
		}
	}
	fclose(in);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0)
		;
	if (ended && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		rc = 0;
	} else {
		if (!failed)
			snprintf(err, errlen, "%s", _("a damaged .xls workbook: the .xls reader failed on it"));
		tables_free(out);
	}
	return rc;
}
