/*
 * bench_keys: what signing and sealing cost a bundle (issue 16: <= 5%).
 *
 *   bench_keys CLERK.db OFFICE-TEMPLATE.db DIR ROUNDS
 *
 * The clerk's database holds the forms, and the office's key is trusted
 * there (and the clerk's at the office): tests/bench/keys.sh sets that up.
 * Each round: every form as a bundle, signed and sealed (bundle_create),
 * and the same forms unsigned, as before keys (sb_create_begin, the format
 * 1 envelope of bundle_pack, the file written and synced the same way);
 * each applied to a fresh copy of the empty office database (the unsigned
 * one with accept_unsigned).  CPU time of this process (the work, not the
 * waiting on a shared machine) and wall time; the best of the rounds.
 * Then the AEAD alone on the bundle's bytes: keys_seal (AES-256-GCM)
 * beside nettle's ChaCha20-Poly1305, the choice keys.c explains.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nettle/chacha-poly1305.h>
#include <nettle/sha2.h>

#include "bundle.h"
#include "keys.h"
#include "store.h"
#include "store_bundle.h"

static double clk(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void copy(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;
	if (!in || !out)
		exit(2);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fclose(out);
}

static struct store *open_db(const char *path)
{
	char err[512];
	int code;
	struct store *s = store_open(path, err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
	return s;
}

/* The bundle as before keys: the same payload, format 1, written and synced. */
static int create_unsigned(struct store *s, const struct bundle_opts *o, const char *path, char *err, size_t el)
{
	struct bundle_info bi = { .version = 1 };
	struct sb_create *h;
	unsigned char *payload, *file;
	size_t len, flen;
	int rc = sb_create_begin(s, o, &bi, &payload, &len, &h, err, el);
	if (rc == BUNDLE_OK)
		rc = bundle_pack(&bi, payload, len, &file, &flen);
	if (rc == BUNDLE_OK) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, file, flen) != (ssize_t)flen || fsync(fd) != 0)
			rc = BUNDLE_ERR;
		close(fd);
		free(file);
	}
	rc = sb_create_end(h, rc == BUNDLE_OK, err, el) == BUNDLE_OK ? rc : BUNDLE_ERR;
	free(payload);
	bundle_info_free(&bi);
	return rc;
}

struct best {
	double cpu, wall;
};

static void keep(struct best *b, double cpu, double wall)
{
	if (b->cpu == 0 || cpu < b->cpu)
		b->cpu = cpu;
	if (b->wall == 0 || wall < b->wall)
		b->wall = wall;
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	const char *clerk = argv[1], *tmpl = argv[2], *dir = argv[3];
	int rounds = atoi(argv[4]);
	struct best cs = { 0 }, cu = { 0 }, as = { 0 }, au = { 0 };
	char f_s[512], f_u[512], o_s[512], o_u[512], err[1024];
	snprintf(f_s, sizeof f_s, "%s/sealed.jxzb", dir);
	snprintf(f_u, sizeof f_u, "%s/unsigned.jxzb", dir);
	struct bundle_opts o = { .all = true };
	struct bundle_apply_opts ao = { .accept_unsigned = true };
	struct bundle_result r;
	struct bundle_info bi;
	for (int k = 0; k < rounds; k++) {
		struct store *a = open_db(clerk);
		/* alternate which goes first, so neither gets the warmer cache */
		for (int w = 0; w < 2; w++) {
			bool sealed = (w + k) % 2 == 0;
			double c0 = clk(CLOCK_PROCESS_CPUTIME_ID), w0 = clk(CLOCK_MONOTONIC);
			int rc = sealed ? bundle_create(a, &o, f_s, &bi, err, sizeof err) :
				 create_unsigned(a, &o, f_u, err, sizeof err);
			if (rc != BUNDLE_OK) {
				fprintf(stderr, "create: %s\n", err);
				return 1;
			}
			if (sealed) {
				if (!bi.sealed) {
					fprintf(stderr, "the bundle is not sealed: trust the keys first\n");
					return 1;
				}
				bundle_info_free(&bi);
			}
			keep(sealed ? &cs : &cu, clk(CLOCK_PROCESS_CPUTIME_ID) - c0, clk(CLOCK_MONOTONIC) - w0);
		}
		store_close(a);
		for (int w = 0; w < 2; w++) {
			bool sealed = (w + k) % 2 == 0;
			const char *db = sealed ? o_s : o_u;
			snprintf(sealed ? o_s : o_u, 512, "%s/office-%s-%d.db", dir, sealed ? "s" : "u", k);
			copy(tmpl, db);
			struct store *s = open_db(db);
			double c0 = clk(CLOCK_PROCESS_CPUTIME_ID), w0 = clk(CLOCK_MONOTONIC);
			int rc = bundle_apply_with(s, sealed ? f_s : f_u, sealed ? NULL : &ao, &r, NULL, NULL, NULL,
						   NULL, err, sizeof err);
			keep(sealed ? &as : &au, clk(CLOCK_PROCESS_CPUTIME_ID) - c0, clk(CLOCK_MONOTONIC) - w0);
			if (rc != BUNDLE_OK) {
				fprintf(stderr, "apply: %s\n", err);
				return 1;
			}
			store_close(s);
			unlink(db);
		}
		printf("round %d: %lld forms applied each way\n", k + 1, (long long)r.forms_new);
	}
	printf("%-32s %10s %10s %10s %10s\n", "best of rounds", "cpu s", "wall s", "cpu ratio", "wall ratio");
	printf("%-32s %10.3f %10.3f\n", "create, unsigned (format 1)", cu.cpu, cu.wall);
	printf("%-32s %10.3f %10.3f %9.1f%% %9.1f%%\n", "create, signed and sealed", cs.cpu, cs.wall,
	       100 * (cs.cpu / cu.cpu - 1), 100 * (cs.wall / cu.wall - 1));
	printf("%-32s %10.3f %10.3f\n", "apply, unsigned", au.cpu, au.wall);
	printf("%-32s %10.3f %10.3f %9.1f%% %9.1f%%\n", "apply, signed and sealed", as.cpu, as.wall,
	       100 * (as.cpu / au.cpu - 1), 100 * (as.wall / au.wall - 1));
	/* the AEAD alone, on a payload of the sealed bundle's size */
	FILE *f = fopen(f_s, "rb");
	fseek(f, 0, SEEK_END);
	size_t n = (size_t)ftell(f);
	fclose(f);
	uint8_t *in = calloc(n, 1), *out = malloc(n + KEYS_TAG_LEN), key[KEYS_LEN] = { 1 }, nonce[KEYS_NONCE_LEN] = { 2 };
	double g = 0, c = 0;
	for (int k = 0; k < 3; k++) {
		double t0 = clk(CLOCK_PROCESS_CPUTIME_ID);
		keys_seal(key, nonce, in, n, out);
		double t1 = clk(CLOCK_PROCESS_CPUTIME_ID);
		struct chacha_poly1305_ctx cc;
		chacha_poly1305_set_key(&cc, key);
		chacha_poly1305_set_nonce(&cc, nonce);
		chacha_poly1305_encrypt(&cc, n, out, in);
		chacha_poly1305_digest(&cc, KEYS_TAG_LEN, out + n);
		double t2 = clk(CLOCK_PROCESS_CPUTIME_ID);
		if (!k || t1 - t0 < g)
			g = t1 - t0;
		if (!k || t2 - t1 < c)
			c = t2 - t1;
	}
	printf("AEAD on %zu bytes: AES-256-GCM (keys_seal) %.0f MB/s, ChaCha20-Poly1305 %.0f MB/s\n", n,
	       n / g / 1e6, n / c / 1e6);
	free(in);
	free(out);
	double u = cu.cpu + au.cpu, s = cs.cpu + as.cpu;
	printf("%-32s %10.3f %10s %9.1f%%\n", "create + apply, unsigned", u, "", 0.0);
	printf("%-32s %10.3f %10s %9.1f%%  (issue 16: <= 5%%)\n", "create + apply, signed+sealed", s, "",
	       100 * (s / u - 1));
	return 0;
}
