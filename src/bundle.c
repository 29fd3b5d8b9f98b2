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
#include <zlib.h>

#include "form.h"
#include "i18n.h"
#include "bundle_auth.h"
#include "keys.h"
#include "rules.h"
#include "sheet.h"
#include "store_bundle.h"
#include "store_keys.h"

#define MAGIC "JXZP-BUNDLE "
#define TRAILER_LEN 72		/* "SHA256 " + 64 hex + "\n" */
#define SIG_TAG "ED25519 "
#define SIG_LINE_LEN (8 + 2 * KEYS_SIG_LEN + 1)
#define MAX_BUNDLE ((size_t)1 << 31)
/* deflate's best is about 1032 to 1: an image claimed bigger is a lie */
#define MAX_RATIO 1040

void bundle_info_free(struct bundle_info *bi)
{
	if (!bi)
		return;
	for (size_t i = 0; i < bi->n_units; i++)
		free(bi->units[i].unit);
	free(bi->units);
	bi->units = NULL;
	bi->n_units = 0;
	free(bi->readers);
	bi->readers = NULL;
	bi->n_readers = 0;
	free(bi->unsealed_for);
	bi->unsealed_for = NULL;
}

static void sha256_bin(const void *data, size_t len, uint8_t d[SHA256_DIGEST_SIZE])
{
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, d);
}


/* ---- pack and unpack --------------------------------------------------------- */

static json_t *hex_json(const uint8_t *b, size_t n)
{
	char h[2 * KEYS_WRAP_LEN + 1];
	keys_hex(b, n, h);
	return json_string(h);
}

/* The file: magic, header, payload, SHA-256 line and, from format 2, the
 * signature line over all of it.  extra goes into the header (stolen). */
static int pack(const struct bundle_info *bi, int version, json_t *extra, const void *payload, size_t plen,
		const uint8_t *cek, const uint8_t *nonce, const struct keys_own *signer,
		unsigned char **out, size_t *outlen)
{
	/* sealed: encrypted straight into the file's buffer (no copy of a
	 * bundle's size more) */
	size_t len = cek ? plen + KEYS_TAG_LEN : plen;
	json_t *units = json_array(), *h;
	for (size_t i = 0; i < bi->n_units; i++)
		json_array_append_new(units, json_pack("{s:s, s:I}", "unit", bi->units[i].unit,
						       "seq", (json_int_t)bi->units[i].seq));
	h = json_pack("{s:s, s:i, s:s, s:s, s:s, s:b, s:o, s:I, s:I, s:I, s:I}",
		      "format", "jxzp-bundle", "version", version,
		      "origin", bi->origin, "role", bi->role, "created", bi->created, "full", bi->full,
		      "units", units, "forms", (json_int_t)bi->forms, "changes", (json_int_t)bi->changes,
		      "comments", (json_int_t)bi->comments, "payload_bytes", (json_int_t)len);
	if (!h || (extra && json_object_update(h, extra) != 0)) {
		json_decref(h);
		json_decref(extra);
		return BUNDLE_ERR;
	}
	json_decref(extra);
	char *js = json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(h);
	if (!js)
		return BUNDLE_ERR;
	char first[32];
	int nf = snprintf(first, sizeof first, MAGIC "%d\n", version);
	size_t nj = strlen(js);
	size_t total = (size_t)nf + nj + 1 + len + 1 + TRAILER_LEN + (signer ? SIG_LINE_LEN : 0);
	unsigned char *buf = malloc(total);
	if (!buf)
		abort();
	size_t at = 0;
	memcpy(buf, first, (size_t)nf);
	at += (size_t)nf;
	memcpy(buf + at, js, nj);
	at += nj;
	buf[at++] = '\n';
	if (cek)
		keys_seal(cek, nonce, payload, plen, buf + at);
	else
		memcpy(buf + at, payload, len);
	at += len;
	buf[at++] = '\n';
	char hex[2 * KEYS_SIG_LEN + 1];
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_bin(buf, at, digest);
	keys_hex(digest, sizeof digest, hex);
	memcpy(buf + at, "SHA256 ", 7);
	memcpy(buf + at + 7, hex, 64);
	buf[at + 71] = '\n';
	at += TRAILER_LEN;
	if (signer) {
		/* the digest of everything before the checksum line, which that
		 * line is: the signature covers every byte before it */
		uint8_t sig[KEYS_SIG_LEN];
		keys_sign(signer, digest, sizeof digest, sig);
		keys_hex(sig, sizeof sig, hex);
		memcpy(buf + at, SIG_TAG, 8);
		memcpy(buf + at + 8, hex, 2 * KEYS_SIG_LEN);
		buf[at + SIG_LINE_LEN - 1] = '\n';
		at += SIG_LINE_LEN;
	}
	assert(at == total);
	free(js);
	*out = buf;
	*outlen = total;
	return BUNDLE_OK;
}

int bundle_pack(const struct bundle_info *bi, const void *payload, size_t len,
		unsigned char **out, size_t *outlen)
{
	return pack(bi, 1, NULL, payload, len, NULL, NULL, NULL, out, outlen);
}

static int bad(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "%s", msg);
	return BUNDLE_DAMAGED;
}

/* The image deflated (format 3): *z malloc'd. */
static int deflate_image(const void *img, size_t len, unsigned char **z, size_t *zlen)
{
	uLongf n = compressBound((uLong)len);
	*z = malloc(n ? n : 1);
	if (!*z)
		abort();
	/* level 6: most of 9's gain at a third of its time */
	if (len > MAX_BUNDLE || compress2(*z, &n, img, (uLong)len, 6) != Z_OK) {
		free(*z);
		*z = NULL;
		return BUNDLE_ERR;
	}
	*zlen = n;
	return BUNDLE_OK;
}

/* The image of a format 3 payload (in clear): exactly bi->image_len bytes. */
static int inflate_image(const struct bundle_info *bi, const unsigned char *z, size_t zlen,
			 unsigned char **img, char *err, size_t errlen)
{
	size_t n = bi->image_len;
	uLongf got = (uLongf)n;
	*img = malloc(n ? n : 1);
	if (!*img)
		abort();
	if (uncompress(*img, &got, z, (uLong)zlen) != Z_OK || got != n) {
		free(*img);
		*img = NULL;
		return bad(err, errlen, _("the bundle's data is damaged"));
	}
	return BUNDLE_OK;
}

int bundle_pack_signed(const struct bundle_info *bi, const void *payload, size_t len,
		       const struct keys_own *signer, const struct keys_pub *readers, size_t n_readers,
		       unsigned char **out, size_t *outlen)
{
	return bundle_pack_version(bi, BUNDLE_VERSION, payload, len, signer, readers, n_readers, out, outlen);
}

int bundle_pack_version(const struct bundle_info *bi, int version, const void *img, size_t img_len,
			const struct keys_own *signer, const struct keys_pub *readers, size_t n_readers,
			unsigned char **out, size_t *outlen)
{
	char kt[KEYS_TEXT_LEN];
	unsigned char *z = NULL;
	const void *payload = img;
	size_t len = img_len;
	if (version >= 3) {
		if (deflate_image(img, img_len, &z, &len) != BUNDLE_OK)
			return BUNDLE_ERR;
		payload = z;
	}
	keys_text(&signer->pub, kt);
	json_t *extra = json_pack("{s:s}", "signer", kt);
	if (version >= 3)
		json_object_set_new(extra, "image_bytes", json_integer((json_int_t)img_len));
	int rc;
	if (!n_readers) {
		rc = pack(bi, version, extra, payload, len, NULL, NULL, signer, out, outlen);
		free(z);
		return rc;
	}
	/* one payload key, wrapped for each reader */
	uint8_t cek[KEYS_LEN], nonce[KEYS_NONCE_LEN];
	if (!keys_random(cek, sizeof cek) || !keys_random(nonce, sizeof nonce)) {
		json_decref(extra);
		free(z);
		return BUNDLE_ERR;
	}
	json_t *rs = json_array();
	for (size_t i = 0; i < n_readers; i++) {
		uint8_t epk[KEYS_LEN], wrap[KEYS_WRAP_LEN];
		if (!keys_wrap(&readers[i], signer->pub.sign, cek, epk, wrap))
			continue;	/* a low-order key: nobody can read with it */
		keys_text(&readers[i], kt);
		json_array_append_new(rs, json_pack("{s:s, s:o, s:o}", "key", kt, "epk", hex_json(epk, sizeof epk),
						    "wrap", hex_json(wrap, sizeof wrap)));
	}
	json_object_set_new(extra, "seal", json_pack("{s:o, s:o}", "nonce", hex_json(nonce, sizeof nonce),
						     "readers", rs));
	rc = pack(bi, version, extra, payload, len, cek, nonce, signer, out, outlen);
	keys_wipe(cek, sizeof cek);
	free(z);
	return rc;
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

/* Format 2's signer and seal. */
static bool keys_from_json(json_t *h, struct bundle_info *bi)
{
	const char *signer = NULL, *nonce = NULL;
	json_t *seal = NULL, *readers = NULL, *r;
	size_t i;
	if (json_unpack(h, "{s:s, s?o}", "signer", &signer, "seal", &seal) != 0 ||
	    strlen(signer) != KEYS_TEXT_LEN - 1 || !keys_parse(signer, strlen(signer), &bi->signer))
		return false;
	bi->is_signed = true;
	if (!seal)
		return true;
	if (json_unpack(seal, "{s:s, s:o}", "nonce", &nonce, "readers", &readers) != 0 ||
	    !keys_unhex(nonce, bi->nonce, sizeof bi->nonce) || !json_is_array(readers) ||
	    json_array_size(readers) == 0 || json_array_size(readers) > 10000)
		return false;
	bi->sealed = true;
	bi->readers = calloc(json_array_size(readers), sizeof *bi->readers);
	if (!bi->readers)
		abort();
	json_array_foreach(readers, i, r) {
		const char *key = NULL, *epk = NULL, *wrap = NULL;
		struct bundle_reader *br = &bi->readers[bi->n_readers];
		if (json_unpack(r, "{s:s, s:s, s:s}", "key", &key, "epk", &epk, "wrap", &wrap) != 0 ||
		    strlen(key) != KEYS_TEXT_LEN - 1 || !keys_parse(key, strlen(key), &br->key) ||
		    !keys_unhex(epk, br->epk, sizeof br->epk) || !keys_unhex(wrap, br->wrap, sizeof br->wrap))
			return false;
		bi->n_readers++;
	}
	return true;
}

/* Format 3's image size: not more than its deflated bytes can hold. */
static bool image_from_json(json_t *h, size_t plen, struct bundle_info *bi)
{
	json_int_t n = -1;
	if (json_unpack(h, "{s:I}", "image_bytes", &n) != 0 || n <= 0 || (uint64_t)n > MAX_BUNDLE ||
	    (uint64_t)n > (uint64_t)plen * MAX_RATIO + 64)
		return false;
	bi->image_len = (size_t)n;
	return true;
}

static int header_from_json(const char *line, size_t n, int version, struct bundle_info *bi, char *err,
			    size_t errlen)
{
	json_error_t je;
	json_t *h = json_loadb(line, n, 0, &je), *units = NULL;
	const char *format = NULL, *origin = NULL, *role = NULL, *created = NULL;
	json_int_t forms = -1, changes = -1, comments = -1, plen = -1;
	int hversion = 0, full = 0;
	int rc = BUNDLE_OK;
	if (!h || json_unpack(h, "{s:s, s:i, s:s, s:s, s:s, s:b, s:o, s:I, s:I, s:I, s:I}",
			      "format", &format, "version", &hversion, "origin", &origin, "role", &role,
			      "created", &created, "full", &full, "units", &units, "forms", &forms,
			      "changes", &changes, "comments", &comments, "payload_bytes", &plen) != 0 ||
	    strcmp(format, "jxzp-bundle") != 0 || !is_uuid(origin) ||
	    (strcmp(role, "unit") != 0 && strcmp(role, "office") != 0) || strlen(created) >= sizeof bi->created ||
	    !json_is_array(units) || json_array_size(units) == 0 || forms < 0 || changes < 0 ||
	    comments < 0 || plen < 0 || (version >= 2 && !keys_from_json(h, bi)) ||
	    (bi->sealed && plen < KEYS_TAG_LEN) || (version >= 3 && !image_from_json(h, (size_t)plen, bi))) {
		rc = bad(err, errlen, _("the bundle's header is damaged"));
		goto out;
	}
	bi->version = hversion;
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
	size_t siglen = version >= 2 ? SIG_LINE_LEN : 0;
	if (len < (size_t)(nl - buf) + 1 + TRAILER_LEN + siglen)
		return bad(err, errlen, _("the bundle is truncated (its checksum line is missing)"));
	size_t signed_len = len - siglen, body = signed_len - TRAILER_LEN;
	if (siglen && (memcmp(buf + signed_len, SIG_TAG, 8) != 0 || buf[len - 1] != '\n'))
		return bad(err, errlen, _("the bundle is truncated (its signature line is missing)"));
	if (memcmp(buf + body, "SHA256 ", 7) != 0 || buf[signed_len - 1] != '\n')
		return bad(err, errlen, _("the bundle is truncated (its checksum line is missing)"));
	char hex[65];
	uint8_t digest[SHA256_DIGEST_SIZE];
	sha256_bin(buf, body, digest);
	keys_hex(digest, sizeof digest, hex);
	if (memcmp(hex, buf + body + 7, 64) != 0)
		return bad(err, errlen, _("the bundle is damaged: its checksum does not match "
					  "(changed or truncated on the way)"));
	const unsigned char *hstart = nl + 1;
	const unsigned char *hend = memchr(hstart, '\n', body - (size_t)(hstart - buf));
	if (!hend)
		return bad(err, errlen, _("the bundle's header is damaged"));
	int rc = header_from_json((const char *)hstart, (size_t)(hend - hstart), version, bi, err, errlen);
	if (rc != BUNDLE_OK) {
		bundle_info_free(bi);
		return rc;
	}
	if (bi->version != version || (size_t)(buf + body - (hend + 1)) != bi->payload_len + 1 ||
	    buf[body - 1] != '\n') {
		bundle_info_free(bi);
		return bad(err, errlen, _("the bundle's header does not match its data"));
	}
	if (siglen) {
		char sh[2 * KEYS_SIG_LEN + 1];
		uint8_t sig[KEYS_SIG_LEN];
		memcpy(sh, buf + signed_len + 8, 2 * KEYS_SIG_LEN);
		sh[2 * KEYS_SIG_LEN] = 0;
		if (!keys_unhex(sh, sig, sizeof sig) || !keys_verify(&bi->signer, digest, sizeof digest, sig)) {
			bundle_info_free(bi);
			return bad(err, errlen, _("the bundle's signature does not match: it was changed after it "
						  "was signed, or forged"));
		}
	}
	memcpy(bi->sha256, hex, sizeof hex);
	*payload = hend + 1;
	return BUNDLE_OK;
}

/* Open the seal into out (payload_len - tag bytes; may be the payload
 * itself: decrypted in place). */
static int unseal_into(const struct bundle_info *bi, const unsigned char *payload, const struct keys_own *mine,
		       size_t n_mine, unsigned char *out, char *err, size_t errlen)
{
	for (size_t r = 0; r < bi->n_readers; r++)
		for (size_t m = 0; m < n_mine; m++) {
			uint8_t cek[KEYS_LEN];
			if (!keys_equal(&bi->readers[r].key, &mine[m].pub))
				continue;
			bool ok = keys_unwrap(&mine[m], bi->signer.sign, bi->readers[r].epk, bi->readers[r].wrap, cek) &&
				  keys_open(cek, bi->nonce, payload, bi->payload_len, out);
			keys_wipe(cek, sizeof cek);
			if (!ok)
				return bad(err, errlen, _("the bundle's sealed payload does not open: it was altered"));
			return BUNDLE_OK;
		}
	char theirs[KEYS_FP_LEN], me[KEYS_FP_LEN] = "-";
	keys_fingerprint(&bi->readers[0].key, theirs);
	if (n_mine)
		keys_fingerprint(&mine[0].pub, me);
	if (bi->n_readers == 1)
		snprintf(err, errlen, _("refused: the bundle is sealed for another database (key %s); "
					"this database (key %s) cannot open it"), theirs, me);
	else
		snprintf(err, errlen, _("refused: the bundle is sealed for %zu other databases (keys %s, ...); "
					"this database (key %s) cannot open it"), bi->n_readers, theirs, me);
	return BUNDLE_REFUSED;
}

int bundle_unseal(const struct bundle_info *bi, const unsigned char *payload, const struct keys_own *mine,
		  size_t n_mine, unsigned char **plain, size_t *plain_len, char *err, size_t errlen)
{
	size_t n = bi->payload_len - KEYS_TAG_LEN;
	unsigned char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	int rc = unseal_into(bi, payload, mine, n_mine, p, err, errlen);
	if (rc == BUNDLE_OK && bi->version >= 3) {
		unsigned char *img;
		rc = inflate_image(bi, p, n, &img, err, errlen);
		free(p);
		p = img;
		n = bi->image_len;
	}
	*plain = rc == BUNDLE_OK ? p : NULL;
	*plain_len = rc == BUNDLE_OK ? n : 0;
	if (rc != BUNDLE_OK)
		free(p);
	return rc;
}

int bundle_image(const struct bundle_info *bi, const unsigned char *payload, unsigned char **img,
		 size_t *img_len, char *err, size_t errlen)
{
	*img_len = 0;
	if (bi->version >= 3) {
		int rc = inflate_image(bi, payload, bi->payload_len, img, err, errlen);
		*img_len = rc == BUNDLE_OK ? bi->image_len : 0;
		return rc;
	}
	*img = malloc(bi->payload_len ? bi->payload_len : 1);
	if (!*img)
		abort();
	memcpy(*img, payload, bi->payload_len);
	*img_len = bi->payload_len;
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

static int store_fail(struct store *s, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s", store_errmsg(s));
	return BUNDLE_ERR;
}

/* Who may read a bundle of these units: the office and the units' other
 * machines, as trusted here, and this database (to check what it wrote). */
static int readers_for(struct store *s, const struct bundle_info *bi, const struct keys_own *me,
		       struct keys_pub **rd, size_t *n, char **missing, char *err, size_t errlen)
{
	char **units = malloc((bi->n_units + 1) * sizeof *units);
	if (!units)
		abort();
	for (size_t i = 0; i < bi->n_units; i++)
		units[i] = bi->units[i].unit;
	int rc = store_key_readers(s, units, bi->n_units, strcmp(bi->role, "office") == 0, rd, n, missing);
	free(units);
	if (rc != STORE_OK)
		return store_fail(s, err, errlen);
	struct keys_pub *p = realloc(*rd, (*n + 1) * sizeof *p);
	if (!p)
		abort();
	*rd = p;
	p[(*n)++] = me->pub;
	return BUNDLE_OK;
}

int bundle_create(struct store *s, const struct bundle_opts *o, const char *path,
		  struct bundle_info *out, char *err, size_t errlen)
{
	struct bundle_info bi = { .version = BUNDLE_VERSION };
	struct sb_create *h = NULL;
	struct keys_own me;
	struct keys_pub *rd = NULL;
	size_t n_rd = 0;
	unsigned char *payload = NULL, *file = NULL;
	size_t len = 0, flen = 0;
	*err = 0;
	/* the key first: making it writes, and sb_create holds the write lock */
	if (store_key_own(s, &me) != STORE_OK)
		return store_fail(s, err, errlen);
	int rc = sb_create_begin(s, o, &bi, &payload, &len, &h, err, errlen);
	if (rc == BUNDLE_OK && !o->clear)
		rc = readers_for(s, &bi, &me, &rd, &n_rd, &bi.unsealed_for, err, errlen);
	if (rc == BUNDLE_OK) {
		/* sealed only when every reader is known: else clear, and said so */
		bool seal = !o->clear && !bi.unsealed_for;
		rc = bundle_pack_signed(&bi, payload, len, &me, rd, seal ? n_rd : 0, &file, &flen);
		bi.is_signed = true;
		bi.signer = me.pub;
		bi.sealed = seal;
		bi.n_readers = seal ? n_rd : 0;
	}
	keys_wipe(&me, sizeof me);
	free(rd);
	if (rc == BUNDLE_OK)
		rc = named(path, write_file(path, file, flen, err, errlen), err, errlen);
	int rc2 = sb_create_end(h, rc == BUNDLE_OK, err, errlen);
	if (rc == BUNDLE_OK && rc2 != BUNDLE_OK) {
		unlink(path);	/* the database did not note it sent: it will go again */
		rc = rc2;
	}
	if (rc == BUNDLE_OK) {
		bi.image_len = len;
		/* as in the file: what follows the two text lines, before the last two */
		const char *hdr_end = strchr(strchr((const char *)file, '\n') + 1, '\n');
		bi.payload_len = flen - (size_t)(hdr_end + 1 - (const char *)file) - 1 - TRAILER_LEN - SIG_LINE_LEN;
		/* the checksum line holds it: no second pass over the file */
		memcpy(bi.sha256, file + flen - SIG_LINE_LEN - TRAILER_LEN + 7, 64);
		bi.sha256[64] = 0;
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
	if (rc == BUNDLE_OK && !bi.sealed) {
		unsigned char *img = NULL;
		size_t n = 0;
		rc = bundle_image(&bi, payload, &img, &n, err, errlen);
		if (rc == BUNDLE_OK)
			rc = sb_check(&bi, img, n, err, errlen);
		free(img);
	}
	free(buf);
	if (rc == BUNDLE_OK && out)
		*out = bi;
	else if (unpacked || !out)	/* a refused payload's header too */
		bundle_info_free(&bi);
	return named(path, rc, err, errlen);
}

/* Who signed it, as this database knows them. */
static int standing(struct store *s, const struct bundle_info *bi, const struct keys_own *mine, size_t n_mine,
		    struct bundle_auth *au, char *err, size_t errlen)
{
	*au = (struct bundle_auth){ .state = SIGNER_UNSIGNED };
	if (!bi->is_signed)
		return BUNDLE_OK;
	au->key = bi->signer;
	keys_fingerprint(&bi->signer, au->fp);
	for (size_t i = 0; i < n_mine; i++)
		if (keys_equal(&mine[i].pub, &bi->signer)) {
			au->state = SIGNER_SELF;
			return BUNDLE_OK;
		}
	struct key_standing ks;
	if (store_key_standing(s, &bi->signer, &ks) != STORE_OK)
		return store_fail(s, err, errlen);
	au->state = ks.revoked ? SIGNER_REVOKED : ks.office ? SIGNER_OFFICE : ks.n_units ? SIGNER_UNIT :
		    SIGNER_UNKNOWN;
	snprintf(au->revoked_at, sizeof au->revoked_at, "%s", ks.revoked_at);
	au->units = ks.units;	/* taken over */
	au->n_units = ks.n_units;
	return BUNDLE_OK;
}

/* Read, check, find the signer and open: what apply and check share.  On
 * BUNDLE_OK plain is the payload in clear (inside buf) and au who signed
 * it. */
struct opened {
	unsigned char *buf;
	const unsigned char *plain;	/* the image */
	size_t plain_len;
	unsigned char *img;		/* format 3: plain, inflated */
	struct bundle_info bi;
	struct bundle_auth au;
};

static void opened_free(struct opened *op)
{
	free(op->buf);
	free(op->img);
	bundle_info_free(&op->bi);
	bundle_auth_free(&op->au);
	*op = (struct opened){ 0 };
}

static int open_at(struct store *s, const char *path, struct opened *op, char *err, size_t errlen)
{
	size_t len;
	struct keys_own *mine = NULL;
	size_t n_mine = 0;
	*op = (struct opened){ 0 };
	int rc = read_whole(path, &op->buf, &len, err, errlen);
	if (rc == BUNDLE_OK)
		rc = bundle_unpack(op->buf, len, &op->bi, &op->plain, err, errlen);
	if (rc == BUNDLE_OK) {
		op->plain_len = op->bi.payload_len;
		if (store_key_own_all(s, &mine, &n_mine) != STORE_OK)
			rc = store_fail(s, err, errlen);
	}
	if (rc == BUNDLE_OK)
		rc = standing(s, &op->bi, mine, n_mine, &op->au, err, errlen);
	if (rc == BUNDLE_OK && op->bi.sealed) {
		/* in place: the file's buffer is ours.  A sealed bundle not for me
		 * says so first: nothing else can be known of it */
		unsigned char *p = op->buf + (op->plain - op->buf);
		rc = unseal_into(&op->bi, op->plain, mine, n_mine, p, err, errlen);
		op->plain_len = op->bi.payload_len - KEYS_TAG_LEN;
	}
	if (rc == BUNDLE_OK && op->bi.version >= 3) {
		rc = inflate_image(&op->bi, op->plain, op->plain_len, &op->img, err, errlen);
		op->plain = op->img;
		op->plain_len = op->bi.image_len;
	}
	if (mine)
		keys_wipe(mine, n_mine * sizeof *mine);
	free(mine);
	if (rc != BUNDLE_OK)
		opened_free(op);
	return rc;
}

int bundle_check(struct store *s, const char *path, struct bundle_info *out, struct bundle_auth *au,
		 char *err, size_t errlen)
{
	struct opened op;
	*err = 0;
	int rc = open_at(s, path, &op, err, errlen);
	if (rc == BUNDLE_OK)
		rc = sb_check(&op.bi, op.plain, op.plain_len, err, errlen);
	if (rc == BUNDLE_OK && out) {
		*out = op.bi;
		op.bi = (struct bundle_info){ 0 };
	}
	if (rc == BUNDLE_OK && au) {
		*au = op.au;
		op.au = (struct bundle_auth){ 0 };
	}
	opened_free(&op);
	return named(path, rc, err, errlen);
}

int bundle_apply(struct store *s, const char *path, struct bundle_result *r,
		 void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
		 char *err, size_t errlen)
{
	return bundle_apply_with(s, path, NULL, r, touched, arg, NULL, NULL, err, errlen);
}

int bundle_apply_progress(struct store *s, const char *path, struct bundle_result *r,
			  void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
			  bundle_progress_fn *progress, void *progress_arg,
			  char *err, size_t errlen)
{
	return bundle_apply_with(s, path, NULL, r, touched, arg, progress, progress_arg, err, errlen);
}

/* The list's figures of a changed form, as doc_refresh_summary works them
 * out, into the apply's transaction (store_bundle_score.c).  One check for
 * the whole apply: a new one per form is most of the cost. */
static void score_form(const struct form *f, struct sb_summary *out, void *arg)
{
	struct check **chk = arg;
	const struct ruleset *rs = ruleset_find(f->ruleset);
	if (!*chk || (*chk)->cap_ind < f->n_ind) {
		check_free(*chk);
		*chk = check_new(f->n_ind + 8);
	}
	int rc = rules_run(f, rs ? rs : ruleset_default(), *chk);
	assert(rc == 0);	/* sized for the form above */
	(void)rc;
	snprintf(out->score, sizeof out->score, "%s", (*chk)->total_score);
	snprintf(out->grade, sizeof out->grade, "%s", (*chk)->grade);
	snprintf(out->rate, sizeof out->rate, "%s", (*chk)->rate[FUND_TOTAL]);
	out->errors = (*chk)->errors;
}

int bundle_apply_with(struct store *s, const char *path, const struct bundle_apply_opts *o,
		      struct bundle_result *r,
		      void (*touched)(struct store *s, int64_t id, void *arg), void *arg,
		      bundle_progress_fn *progress, void *progress_arg,
		      char *err, size_t errlen)
{
	struct opened op;
	size_t n = 0;
	int64_t *ids = NULL;
	*r = (struct bundle_result){ 0 };
	*err = 0;
	int rc = open_at(s, path, &op, err, errlen);
	if (rc == BUNDLE_OK) {
		op.au.unsigned_ok = o && o->accept_unsigned;
		rc = bundle_auth_admit(&op.au, &op.bi, path, err, errlen);
	}
	if (rc == BUNDLE_OK) {
		op.bi.auth = &op.au;
		struct check *chk = NULL;
		rc = sb_apply(s, &op.bi, op.plain, op.plain_len, r, &ids, &n, progress, progress_arg,
			      score_form, &chk, err, errlen);
		check_free(chk);
	}
	opened_free(&op);
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

/* The computed cells of the paper (执行率, the budget's 得分, 总分 and its
 * grade), and the figures they follow (money of 项目资金, weights, scores):
 * the split cmd_forms.c makes for `jxzp set`. */
static bool computed_cell(const char *path)
{
	return (strncmp(path, "funds.", 6) == 0 && strstr(path, ".rate")) ||
	       strcmp(path, "funds.total.score") == 0 || strncmp(path, "total.", 6) == 0;
}

static bool figure_cell(const char *path)
{
	if (computed_cell(path))
		return false;
	if (strncmp(path, "funds.", 6) == 0)
		return true;
	size_t n = strlen(path);
	return (n > 7 && strcmp(path + n - 7, ".weight") == 0) ||
	       (n > 6 && strcmp(path + n - 6, ".score") == 0);
}

/* The form's open conflicts on computed cells, and whether one on a
 * figure is open still. */
struct open_cells {
	char path[8][48];
	size_t n;
	bool figure;
};

static int note_open(const struct bundle_conflict *c, void *arg)
{
	struct open_cells *o = arg;
	if (!c->path)
		return 0;
	if (figure_cell(c->path))
		o->figure = true;
	else if (computed_cell(c->path) && o->n < sizeof o->path / sizeof o->path[0] &&
		 strlen(c->path) < sizeof o->path[0])
		snprintf(o->path[o->n++], sizeof o->path[0], "%s", c->path);
	return 0;
}

/*
 * After a decision, the computed cells in conflict follow the figures:
 * once no figure of the form is in conflict, they are worked out again
 * here (as the screen does after a figure changes: sheet_sync_computed) and
 * each that now holds what the rules compute is settled as this side's,
 * so the decision travels as one.  One that does not (a form submitted or
 * approved here, which is not written; a figure that computes nothing)
 * stays for a person.
 */
static int follow_figures(struct store *s, int64_t form_id, char *err, size_t errlen)
{
	struct open_cells o = { .n = 0 };
	int rc = sb_conflicts(s, form_id, note_open, &o);
	if (rc != BUNDLE_OK || o.figure || o.n == 0)
		return rc;
	struct sheet sh;
	if (sheet_open(&sh, s, form_id) != STORE_OK) {
		snprintf(err, errlen, "%s", sh.d.err);
		sheet_close(&sh);
		return BUNDLE_ERR;
	}
	sheet_group(&sh);
	if (sheet_sync_computed(&sh, NULL) != STORE_OK) {
		snprintf(err, errlen, "%s", sh.d.err);
		sheet_close(&sh);
		return BUNDLE_ERR;
	}
	for (size_t i = 0; i < o.n && rc == BUNDLE_OK; i++) {
		char buf[SHEET_BUFSZ], scratch[FORM_SCRATCH];
		const char *want = sheet_computed(&sh, o.path[i], buf);
		const char *here = form_get(sh.d.f, o.path[i], scratch);
		if (want && here && strcmp(want, here) == 0)
			rc = sb_resolve(s, form_id, o.path[i], false, err, errlen);
		/* gone already: the value written was theirs, which settles it
		 * (the conflict triggers of schema/007) */
		if (rc == BUNDLE_NOTFOUND) {
			rc = BUNDLE_OK;
			*err = 0;
		}
	}
	sheet_close(&sh);
	return rc;
}

int bundle_resolve(struct store *s, int64_t form_id, const char *path, bool keep_theirs,
		   char *err, size_t errlen)
{
	*err = 0;
	int rc = sb_resolve(s, form_id, path, keep_theirs, err, errlen);
	if (rc == BUNDLE_OK && figure_cell(path))
		rc = follow_figures(s, form_id, err, errlen);
	return rc;
}

int bundle_role(struct store *s, char role[8], char *err, size_t errlen)
{
	return sb_role(s, role, err, errlen);
}

/* ---- counts, as people read them ------------------------------------------- */

void bundle_counts_text(char *buf, size_t len, long long forms, long long changes, long long comments)
{
	char f[64], c[64], m[64];
	snprintf(f, sizeof f, ngettext("%lld form", "%lld forms", (unsigned long)forms), forms);
	snprintf(c, sizeof c, ngettext("%lld change", "%lld changes", (unsigned long)changes), changes);
	snprintf(m, sizeof m, ngettext("%lld comment", "%lld comments", (unsigned long)comments), comments);
	/* TRANSLATORS: a bundle's counts: forms, changes, comments */
	snprintf(buf, len, _("%1$s, %2$s, %3$s"), f, c, m);
}

void bundle_conflicts_text(char *buf, size_t len, long long conflicts)
{
	snprintf(buf, len, ngettext("%lld conflict", "%lld conflicts", (unsigned long)conflicts), conflicts);
}
