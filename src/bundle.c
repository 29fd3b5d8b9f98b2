/*
 * bundle: the bundle file and the steps around it (see bundle.h).
 *
 * Promises:
 * - A file is checked whole before anything is written anywhere: magic and
 *   format version first (so a newer file says so), then the SHA-256 over
 *   everything before the last line, then the header, then the payload (in
 *   store_bundle.c).  One line says what is wrong.
 * - A bundle is written to a temporary file beside the target (0600), synced
 *   and renamed, and only then does the database note it as sent; a failure
 *   before leaves no file and the database as it was.
 * - No SQL here: the rows come and go through store_bundle.c.
 */
#include "config.h"
#include "bundle.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "form.h"
#include "i18n.h"
#include "store_bundle.h"

#define MAGIC "JXZP-BUNDLE "
#define TRAILER_LEN 72		/* "SHA256 " + 64 hex + "\n" */
#define MAX_BUNDLE ((size_t)1 << 31)

void bundle_info_free(struct bundle_info *bi)
{
	if (!bi)
		return;
	for (size_t i = 0; i < bi->n_units; i++)
		free(bi->units[i].unit);
	free(bi->units);
	bi->units = NULL;
	bi->n_units = 0;
}

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	struct sha256_ctx ctx;
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- pack and unpack --------------------------------------------------------- */

int bundle_pack(const struct bundle_info *bi, const void *payload, size_t len,
		unsigned char **out, size_t *outlen)
{
	json_t *units = json_array(), *h;
	for (size_t i = 0; i < bi->n_units; i++)
		json_array_append_new(units, json_pack("{s:s, s:I}", "unit", bi->units[i].unit,
						       "seq", (json_int_t)bi->units[i].seq));
	h = json_pack("{s:s, s:i, s:s, s:s, s:s, s:b, s:o, s:I, s:I, s:I, s:I}",
		      "format", "jxzp-bundle", "version", bi->version ? bi->version : BUNDLE_VERSION,
		      "origin", bi->origin, "role", bi->role, "created", bi->created, "full", bi->full,
		      "units", units, "forms", (json_int_t)bi->forms, "changes", (json_int_t)bi->changes,
		      "comments", (json_int_t)bi->comments, "payload_bytes", (json_int_t)len);
	if (!h)
		return BUNDLE_ERR;
	char *js = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(h);
	if (!js)
		return BUNDLE_ERR;
	char first[32];
	int nf = snprintf(first, sizeof first, MAGIC "%d\n", bi->version ? bi->version : BUNDLE_VERSION);
	size_t nj = strlen(js);
	size_t total = (size_t)nf + nj + 1 + len + 1 + TRAILER_LEN;
	unsigned char *buf = malloc(total);
	if (!buf)
		abort();
	size_t at = 0;
	memcpy(buf, first, (size_t)nf);
	at += (size_t)nf;
	memcpy(buf + at, js, nj);
	at += nj;
	buf[at++] = '\n';
	memcpy(buf + at, payload, len);
	at += len;
	buf[at++] = '\n';
	char hex[65];
	sha256_hex(buf, at, hex);
	memcpy(buf + at, "SHA256 ", 7);
	memcpy(buf + at + 7, hex, 64);
	buf[at + 71] = '\n';
	assert(at + TRAILER_LEN == total);
	free(js);
	*out = buf;
	*outlen = total;
	return BUNDLE_OK;
}

static int bad(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return BUNDLE_DAMAGED;
}

static bool is_uuid(const char *s)
{
	if (!s || strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

static int header_from_json(const char *line, size_t n, struct bundle_info *bi, char *err, size_t errlen)
{
	json_error_t je;
	json_t *h = json_loadb(line, n, 0, &je), *units = NULL;
	const char *format = NULL, *origin = NULL, *role = NULL, *created = NULL;
	json_int_t forms = -1, changes = -1, comments = -1, plen = -1;
	int version = 0, full = 0;
	int rc = BUNDLE_OK;
	if (!h || json_unpack(h, "{s:s, s:i, s:s, s:s, s:s, s:b, s:o, s:I, s:I, s:I, s:I}",
			      "format", &format, "version", &version, "origin", &origin, "role", &role,
			      "created", &created, "full", &full, "units", &units, "forms", &forms,
			      "changes", &changes, "comments", &comments, "payload_bytes", &plen) != 0 ||
	    strcmp(format, "jxzp-bundle") != 0 || !is_uuid(origin) ||
	    (strcmp(role, "unit") != 0 && strcmp(role, "office") != 0) || strlen(created) >= sizeof bi->created ||
	    !json_is_array(units) || json_array_size(units) == 0 || forms < 0 || changes < 0 ||
	    comments < 0 || plen < 0) {
		rc = bad(err, errlen, _("the bundle's header is damaged"));
		goto out;
	}
	bi->version = version;
	snprintf(bi->origin, sizeof bi->origin, "%s", origin);
	snprintf(bi->role, sizeof bi->role, "%s", role);
	snprintf(bi->created, sizeof bi->created, "%s", created);
	bi->full = full;
	bi->forms = forms;
	bi->changes = changes;
	bi->comments = comments;
	bi->payload_len = (size_t)plen;
	size_t i;
	json_t *u;
	bi->units = calloc(json_array_size(units), sizeof *bi->units);
	if (!bi->units)
		abort();
	json_array_foreach(units, i, u) {
		const char *name = NULL;
		json_int_t seq = 0;
		if (json_unpack(u, "{s:s, s:I}", "unit", &name, "seq", &seq) != 0 || !*name || seq < 1) {
			rc = bad(err, errlen, _("the bundle's header is damaged"));
			goto out;
		}
		bi->units[bi->n_units++] = (struct bundle_unit){ .unit = xstrdup(name), .seq = seq };
	}
out:
	json_decref(h);
	return rc;
}

int bundle_unpack(const unsigned char *buf, size_t len, struct bundle_info *bi,
		  const unsigned char **payload, char *err, size_t errlen)
{
	*bi = (struct bundle_info){ 0 };
	*payload = NULL;
	if (len == 0)
		return bad(err, errlen, _("the file is empty"));
	size_t ml = strlen(MAGIC);
	if (len < ml || memcmp(buf, MAGIC, ml) != 0)
		return bad(err, errlen, _("not a jxzp bundle"));
	const unsigned char *nl = memchr(buf, '\n', len < 32 ? len : 32);
	if (!nl)
		return bad(err, errlen, _("not a jxzp bundle"));
	int version = 0, digits = 0;
	for (const unsigned char *p = buf + ml; p < nl; p++, digits++) {
		if (*p < '0' || *p > '9' || version > 100000)
			return bad(err, errlen, _("not a jxzp bundle"));
		version = version * 10 + (*p - '0');
	}
	if (!digits || version < 1)
		return bad(err, errlen, _("not a jxzp bundle"));
	if (version > BUNDLE_VERSION) {
		snprintf(err, errlen, _("the bundle was made by a newer jxzp (format %d; this jxzp reads %d)"),
			 version, BUNDLE_VERSION);
		return BUNDLE_DAMAGED;
	}
	if (len < (size_t)(nl - buf) + 1 + TRAILER_LEN)
		return bad(err, errlen, _("the bundle is truncated (its checksum line is missing)"));
	size_t body = len - TRAILER_LEN;
	if (memcmp(buf + body, "SHA256 ", 7) != 0 || buf[len - 1] != '\n')
		return bad(err, errlen, _("the bundle is truncated (its checksum line is missing)"));
	char hex[65];
	sha256_hex(buf, body, hex);
	if (memcmp(hex, buf + body + 7, 64) != 0)
		return bad(err, errlen, _("the bundle is damaged: its checksum does not match "
					  "(changed or truncated on the way)"));
	const unsigned char *hstart = nl + 1;
	const unsigned char *hend = memchr(hstart, '\n', body - (size_t)(hstart - buf));
	if (!hend)
		return bad(err, errlen, _("the bundle's header is damaged"));
	int rc = header_from_json((const char *)hstart, (size_t)(hend - hstart), bi, err, errlen);
	if (rc != BUNDLE_OK) {
		bundle_info_free(bi);
		return rc;
	}
	if (bi->version != version || (size_t)(buf + body - (hend + 1)) != bi->payload_len + 1 ||
	    buf[body - 1] != '\n') {
		bundle_info_free(bi);
		return bad(err, errlen, _("the bundle's header does not match its data"));
	}
	memcpy(bi->sha256, hex, sizeof hex);
	*payload = hend + 1;
	return BUNDLE_OK;
}

/* ---- files ------------------------------------------------------------------- */

static int read_whole(const char *path, unsigned char **out, size_t *len, char *err, size_t errlen)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, _("%s: cannot read the bundle (%s)"), path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return BUNDLE_ERR;
	}
	if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_BUNDLE) {
		close(fd);
		snprintf(err, errlen, _("%s: not a jxzp bundle"), path);
		return BUNDLE_DAMAGED;
	}
	size_t n = (size_t)st.st_size, got = 0;
	unsigned char *buf = malloc(n ? n : 1);
	if (!buf)
		abort();
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = got;
	return BUNDLE_OK;
}

static int write_file(const char *path, const unsigned char *buf, size_t len, char *err, size_t errlen)
{
	size_t pl = strlen(path);
	char *tmp = malloc(pl + 16);
	if (!tmp)
		abort();
	snprintf(tmp, pl + 16, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, _("%s: cannot write the bundle (%s)"), path, strerror(errno));
		free(tmp);
		return BUNDLE_ERR;
	}
	int e = 0;
	size_t put = 0;
	if (fchmod(fd, 0600) != 0)
		e = errno;
	while (!e && put < len) {
		ssize_t w = write(fd, buf + put, len - put);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : EIO;
			break;
		}
		put += (size_t)w;
	}
	if (!e && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && !e)
		e = errno;
	if (!e && rename(tmp, path) != 0)
		e = errno;
	if (e) {
		unlink(tmp);
		snprintf(err, errlen, _("%s: cannot write the bundle (%s)"), path, strerror(e));
	}
	free(tmp);
	return e ? BUNDLE_ERR : BUNDLE_OK;
}

/* The file's message is prefixed with its name, once. */
static int named(const char *path, int rc, char *err, size_t errlen)
{
	if (rc == BUNDLE_OK || !*err || strncmp(err, path, strlen(path)) == 0)
		return rc;
	char tmp[1024];
	snprintf(tmp, sizeof tmp, "%s", err);
	snprintf(err, errlen, "%s: %s", path, tmp);
	return rc;
}

/* ---- the steps ----------------------------------------------------------------- */

int bundle_create(struct store *s, const struct bundle_opts *o, const char *path,
		  struct bundle_info *out, char *err, size_t errlen)
{
	struct bundle_info bi = { .version = BUNDLE_VERSION };
	struct sb_create *h = NULL;
	unsigned char *payload = NULL, *file = NULL;
	size_t len = 0, flen = 0;
	*err = 0;
	int rc = sb_create_begin(s, o, &bi, &payload, &len, &h, err, errlen);
	if (rc == BUNDLE_OK)
		rc = bundle_pack(&bi, payload, len, &file, &flen);
	if (rc == BUNDLE_OK)
		rc = named(path, write_file(path, file, flen, err, errlen), err, errlen);
	int rc2 = sb_create_end(h, rc == BUNDLE_OK, err, errlen);
	if (rc == BUNDLE_OK && rc2 != BUNDLE_OK) {
		unlink(path);	/* the database did not note it sent: it will go again */
		rc = rc2;
	}
	if (rc == BUNDLE_OK) {
		bi.payload_len = len;
		sha256_hex(file, flen - TRAILER_LEN, bi.sha256);
	}
	free(payload);
	free(file);
	if (rc == BUNDLE_OK && out)
		*out = bi;
	else
		bundle_info_free(&bi);
	return rc;
}

int bundle_verify(const char *path, struct bundle_info *out, char *err, size_t errlen)
{
	unsigned char *buf;
	const unsigned char *payload;
	size_t len;
	struct bundle_info bi;
	memset(&bi, 0, sizeof bi);
	*err = 0;
	int rc = read_whole(path, &buf, &len, err, errlen);
	if (rc != BUNDLE_OK)
		return named(path, rc, err, errlen);
	rc = bundle_unpack(buf, len, &bi, &payload, err, errlen);
	bool unpacked = rc == BUNDLE_OK;
	if (rc == BUNDLE_OK)
		rc = sb_check(&bi, payload, bi.payload_len, err, errlen);
	free(buf);
	if (rc == BUNDLE_OK && out)
		*out = bi;
	else if (unpacked || !out)	/* a refused payload's header too */
		bundle_info_free(&bi);
	return named(path, rc, err, errlen);
}

int bundle_apply(struct store *s, const char *path, struct bundle_result *r,
		 void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
		 char *err, size_t errlen)
{
	return bundle_apply_progress(s, path, r, touched, arg, NULL, NULL, err, errlen);
}

int bundle_apply_progress(struct store *s, const char *path, struct bundle_result *r,
			  void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
			  bundle_progress_fn *progress, void *progress_arg,
			  char *err, size_t errlen)
{
	unsigned char *buf;
	const unsigned char *payload;
	size_t len, n = 0;
	int64_t *ids = NULL;
	struct bundle_info bi;
	*r = (struct bundle_result){ 0 };
	*err = 0;
	int rc = read_whole(path, &buf, &len, err, errlen);
	if (rc != BUNDLE_OK)
		return named(path, rc, err, errlen);
	rc = bundle_unpack(buf, len, &bi, &payload, err, errlen);
	if (rc == BUNDLE_OK) {
		rc = sb_apply(s, &bi, payload, bi.payload_len, r, &ids, &n, progress, progress_arg, err, errlen);
		bundle_info_free(&bi);
	}
	free(buf);
	for (size_t i = 0; rc == BUNDLE_OK && touched && i < n; i++)
		touched(s, ids[i], arg);
	free(ids);
	return named(path, rc, err, errlen);
}

int bundle_conflicts_for(struct store *s, int64_t form_id,
			 int (*fn)(const struct bundle_conflict *c, void *arg), void *arg)
{
	return sb_conflicts(s, form_id, fn, arg);
}

int bundle_resolve(struct store *s, int64_t form_id, const char *path, bool keep_theirs,
		   char *err, size_t errlen)
{
	*err = 0;
	return sb_resolve(s, form_id, path, keep_theirs, err, errlen);
}

int bundle_role(struct store *s, char role[8], char *err, size_t errlen)
{
	return sb_role(s, role, err, errlen);
}
