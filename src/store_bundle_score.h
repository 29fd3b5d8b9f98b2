/*
 * store_bundle_score: the cached figures of the forms an apply changed, in
 * the apply's transaction (store_bundle_score.c).  Part of the store room.
 */
#ifndef JXZP_STORE_BUNDLE_SCORE_H
#define JXZP_STORE_BUNDLE_SCORE_H

#include <stddef.h>
#include <stdint.h>

#include "store_bundle.h"

struct conn;

/* Each form of ids (local ids; deleted ones are passed over) read as
 * store_load reads it, fn's figures for it written to its list row. */
int sb_score_forms(struct conn *c, const int64_t *ids, size_t n, sb_score_fn *fn, void *arg);

#endif
