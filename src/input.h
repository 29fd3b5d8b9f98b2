/*
 * input: the one rule for text coming into a form, whichever way it comes
 * (the screen, `jxzp set`, every importer, bundles).
 *
 * A field's value must be valid UTF-8, hold no C0 or C1 control character
 * (a newline is allowed in the multi-line fields: 预期目标, 实际完成情况,
 * 偏差原因分析及改进措施), and fit its field's length limit.  What breaks
 * the rule is refused with the same message everywhere; the screen removes
 * controls as they are typed and stops at the limit.  The store applies it
 * at its save entries (store_insert, store_save_field, store_save_form), and
 * bundle apply to every text a bundle carries.
 */
#ifndef JXZP_INPUT_H
#define JXZP_INPUT_H

#include <stdbool.h>
#include <stddef.h>

struct form;

#define INPUT_MAX_LINE 4096	/* bytes of a one-line field */
#define INPUT_MAX_TEXT 65536	/* bytes of a multi-line field */

/* Does the field at path take newlines? */
bool input_multiline(const char *path);
/* Its length limit in bytes. */
size_t input_limit(const char *path);
/* 0 if value (NULL is fine) may go into the field at path; else -1 and a
 * one-line message naming the field (its label on paper) in err. */
int input_check(const char *path, const char *value, char *err, size_t errlen);
/* True when value passes the rule in any field (one line, short, no
 * control): cheap, no path or label; false says only "ask input_check". */
bool input_plainly_fine(const char *value);
/* input_check on every field of f: the first field refused, or 0. */
int input_check_form(const struct form *f, char *err, size_t errlen);

#endif
