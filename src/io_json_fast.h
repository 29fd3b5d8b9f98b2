/*
 * io_json_fast: a form of the JSON format read without jansson when it is
 * as jxzp exports it (see io_json_fast.c).  Private to io_json.c.
 */
#ifndef JXZP_IO_JSON_FAST_H
#define JXZP_IO_JSON_FAST_H

#include <stddef.h>

struct form;

/* The form object at p (n bytes, the whole of it), and in *used the bytes
 * it took; NULL if it is anything jansson and read_form should judge. */
struct form *io_json_fast_form(const char *p, size_t n, size_t *used);

#endif
