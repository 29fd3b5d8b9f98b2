/* store: STUB until the store branch lands; every call fails. */
#include "config.h"
#include "store.h"
#include <stdio.h>
#include <stdlib.h>

struct store *store_open(const char *path, char *errbuf, size_t errlen, int *code)
{
	snprintf(errbuf, errlen, "%s: the store is not built yet", path);
	*code = STORE_ERR;
	return NULL;
}
void store_close(struct store *s) { (void)s; }
const char *store_errmsg(const struct store *s) { (void)s; return "not built yet"; }
const char *store_path(const struct store *s) { (void)s; return ""; }
int store_schema_version(const struct store *s) { (void)s; return 0; }
const char *store_db_uuid(const struct store *s) { (void)s; return ""; }
const char *store_default_path(char *buf, size_t len)
{
	const char *e = getenv("JXZP_DB");
	snprintf(buf, len, "%s", e ? e : "jxzp.db");
	return buf;
}
int store_insert(struct store *s, struct form *f) { (void)s; (void)f; return STORE_ERR; }
int store_load(struct store *s, int64_t id, struct form **out) { (void)s; (void)id; *out = NULL; return STORE_ERR; }
int store_delete(struct store *s, int64_t id) { (void)s; (void)id; return STORE_ERR; }
int store_save_field(struct store *s, int64_t id, int64_t expected_version,
		     const char *path, const char *value, int64_t *new_version)
{
	(void)s; (void)id; (void)expected_version; (void)path; (void)value; (void)new_version;
	return STORE_ERR;
}
int store_save_form(struct store *s, struct form *f) { (void)s; (void)f; return STORE_ERR; }
int store_set_status(struct store *s, int64_t id, int64_t expected_version,
		     enum form_status to, const char *reason)
{
	(void)s; (void)id; (void)expected_version; (void)to; (void)reason;
	return STORE_ERR;
}
int store_set_summary(struct store *s, int64_t id, const char *score,
		      const char *grade, int errors)
{
	(void)s; (void)id; (void)score; (void)grade; (void)errors;
	return STORE_ERR;
}
int store_list(struct store *s, const struct store_filter *flt,
	       int (*fn)(const struct form_row *r, void *arg), void *arg)
{
	(void)s; (void)flt; (void)fn; (void)arg;
	return STORE_ERR;
}
int store_history(struct store *s, int64_t id,
		  int (*fn)(const struct history_row *r, void *arg), void *arg)
{
	(void)s; (void)id; (void)fn; (void)arg;
	return STORE_ERR;
}
int store_begin(struct store *s) { (void)s; return STORE_ERR; }
int store_commit(struct store *s) { (void)s; return STORE_ERR; }
int store_rollback(struct store *s) { (void)s; return STORE_ERR; }
