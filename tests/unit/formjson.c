/* formjson: see formjson.h. */
#include "config.h"
#include "formjson.h"

#include <stdio.h>
#include <string.h>

static json_t *str(const char *s) { return s ? json_string(s) : json_null(); }

json_t *formjson(const struct form *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "layout", str(f->layout));
	json_object_set_new(o, "year", json_integer(f->year));
	json_object_set_new(o, "project", str(f->project));
	json_object_set_new(o, "department", str(f->department));
	json_object_set_new(o, "unit", str(f->unit));
	json_object_set_new(o, "lead", str(f->lead));
	json_object_set_new(o, "phone", str(f->phone));
	json_t *funds = json_object();
	for (int r = 0; r < FUND_ROWS; r++) {
		json_t *row = json_object();
		for (int c = 0; c < FUND_COLS; c++)
			json_object_set_new(row, fund_col_key[c], str(f->funds[r][c]));
		json_object_set_new(funds, fund_row_key[r], row);
	}
	json_object_set_new(o, "funds", funds);
	json_t *g = json_object();
	json_object_set_new(g, "expected", str(f->goals_expected));
	json_object_set_new(g, "achieved", str(f->goals_achieved));
	json_object_set_new(o, "goals", g);
	json_t *ind = json_array();
	for (size_t i = 0; i < f->n_ind; i++) {
		json_t *row = json_object();
		for (int k = 0; k < IND_FIELDS; k++)
			json_object_set_new(row, ind_field_key[k], str(f->ind[i].v[k]));
		json_array_append_new(ind, row);
	}
	json_object_set_new(o, "indicators", ind);
	json_t *t = json_object();
	json_object_set_new(t, "weight", str(f->total_weight));
	json_object_set_new(t, "score", str(f->total_score));
	json_object_set_new(t, "grade", str(f->total_grade));
	json_object_set_new(o, "total", t);
	return o;
}

static bool match(json_t *e, json_t *a, char *where, size_t len, const char *path)
{
	if (json_is_object(e)) {
		if (!json_is_object(a)) {
			snprintf(where, len, "%s: not an object", path);
			return false;
		}
		const char *k;
		json_t *v;
		json_object_foreach(e, k, v) {
			char p[256];
			snprintf(p, sizeof p, "%s%s%s", path, *path ? "." : "", k);
			json_t *av = json_object_get(a, k);
			if (!av) {
				snprintf(where, len, "%s: missing", p);
				return false;
			}
			if (!match(v, av, where, len, p))
				return false;
		}
		return true;
	}
	if (json_is_array(e)) {
		if (!json_is_array(a) || json_array_size(a) != json_array_size(e)) {
			snprintf(where, len, "%s: %zu rows expected, %zu read", path,
				 json_array_size(e), json_is_array(a) ? json_array_size(a) : 0);
			return false;
		}
		for (size_t i = 0; i < json_array_size(e); i++) {
			char p[256];
			snprintf(p, sizeof p, "%s[%zu]", path, i);
			if (!match(json_array_get(e, i), json_array_get(a, i), where, len, p))
				return false;
		}
		return true;
	}
	if (!json_equal(e, a)) {
		char *es = json_dumps(e, JSON_ENCODE_ANY), *as = json_dumps(a, JSON_ENCODE_ANY);
		snprintf(where, len, "%s: expected %s, read %s", path, es, as);
		free(es);
		free(as);
		return false;
	}
	return true;
}

bool formjson_match(json_t *expected, json_t *actual, char *where, size_t len)
{
	return match(expected, actual, where, len, "");
}
