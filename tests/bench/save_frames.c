/*
 * save_frames: how many pages one store_save_field commit writes, counted
 * as the WAL's growth in frames (each dirty page of a commit is one frame).
 * Run with tests/bench/save_frames.sh; not part of make check.
 *   save_frames DB PATH [ID]   60 saves of PATH, on form ID each time, or
 *                              on a different form each time (ids 1..190)
 * Stays under sqlite's 1,000-frame autocheckpoint, so the WAL only grows.
 */
#include "config.h"
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "store.h"

static long wal_size(const char *p)
{
	struct stat st;
	return stat(p, &st) ? 0 : (long)st.st_size;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: save_frames DB PATH [ID]\n");
		return 2;
	}
	char err[256], wal[512];
	int code;
	struct store *s = store_open(argv[1], err, sizeof err, &code);
	if (!s) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	snprintf(wal, sizeof wal, "%s-wal", argv[1]);
	const int n = 60;
	long frames = 0;
	for (int i = 0; i < n; i++) {
		int64_t id = argc > 3 ? atoll(argv[3]) : 1 + (i * 37) % 190, nv;
		struct form *f;
		char v[32];
		if (store_load(s, id, &f) != STORE_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
		snprintf(v, sizeof v, "%d.%d", 50 + i, i);
		long a = wal_size(wal);
		if (store_save_field(s, id, f->version, argv[2], v, &nv) != STORE_OK) {
			fprintf(stderr, "%s\n", store_errmsg(s));
			return 1;
		}
		frames += (wal_size(wal) - a) / (4096 + 24);
		form_free(f);
	}
	printf("%s, %s: %.2f WAL frames per store_save_field (%d saves)\n", argv[2],
	       argc > 3 ? "one form again and again" : "a different form each time",
	       (double)frames / n, n);
	store_close(s);
	return 0;
}
