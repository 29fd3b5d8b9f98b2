/*
 * form: the model of one 项目支出绩效自评表, in memory.
 *
 * Field names are the canonical names of spec/form.md, used unchanged in C,
 * SQL, JSON and CSV.  Every field that a person types or a form prints is a
 * string kept exactly as typed (NULL = absent, "" = an empty cell); the rules
 * read numbers out of them with num and target.  A field is addressed by a
 * path: "project", "funds.total.spent", "goals.expected",
 * "indicators[2].actual" (0-based inside the program; people see and type
 * indicators[3] for that row, form_path_in/out), "total.score".
 */
#ifndef JXZP_FORM_H
#define JXZP_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fund_row { FUND_TOTAL, FUND_APPROPRIATION, FUND_CARRYOVER, FUND_OTHER, FUND_ROWS };
enum fund_col { FUND_INITIAL, FUND_BUDGET, FUND_SPENT, FUND_WEIGHT, FUND_RATE, FUND_SCORE, FUND_COLS };

extern const char *const fund_row_key[FUND_ROWS];	/* "total", "appropriation", ... */
extern const char *const fund_row_label[FUND_ROWS];	/* "年度资金总额", ... */
extern const char *const fund_col_key[FUND_COLS];	/* "initial", "budget", ... */
extern const char *const fund_col_label[FUND_COLS];	/* "年初预算数", ... */

enum ind_field {
	IND_LEVEL1, IND_LEVEL2, IND_NAME, IND_NATURE, IND_TARGET,
	IND_UNIT_OF_MEASURE, IND_ACTUAL, IND_WEIGHT, IND_SCORE, IND_DEVIATION,
	IND_FIELDS
};
extern const char *const ind_field_key[IND_FIELDS];	/* "level1", ..., "deviation" */
extern const char *const ind_field_label[IND_FIELDS];	/* "一级指标", ... */

struct indicator {
	char *v[IND_FIELDS];	/* indexed by enum ind_field */
	char uuid[37];		/* identity of the row across machines */
};

enum form_status { STATUS_DRAFT, STATUS_SUBMITTED, STATUS_RETURNED, STATUS_APPROVED };
extern const char *const status_key[4];		/* "draft", "submitted", ... */

/* Layouts of the paper form (spec/form.md): which columns and rows it has. */
struct layout {
	const char *key;	/* "beijing-2021", "district-2023", "district-2024" */
	bool has_lead_phone;	/* 项目负责人 / 联系电话 rows */
	bool has_nature_col;	/* 绩效指标性质 column */
	bool has_unit_col;	/* 绩效度量单位 column */
	bool group_weights;	/* "产出指标 (50分)" in the 一级 cell */
	const char *title;	/* what people are shown (English msgid; gettext it) */
};
extern const struct layout layouts[];	/* terminated by key == NULL */
const struct layout *layout_find(const char *key);	/* NULL if unknown */
#define DEFAULT_LAYOUT "district-2024"
#define DEFAULT_RULESET "beijing"

struct form {
	int64_t id;		/* local to one database; 0 = not stored */
	char uuid[37];		/* identity across machines */
	int64_t version;	/* bumped by every save; guards stale saves */
	enum form_status status;
	char *layout;
	char *ruleset;		/* the rule set it is scored under */
	char *updated;		/* ISO 8601 time of the last change, or NULL */
	char *return_reason;	/* why a reviewer returned it, or NULL */

	int year;
	char *project, *department, *unit, *lead, *phone;
	char *funds[FUND_ROWS][FUND_COLS];
	char *goals_expected, *goals_achieved;
	struct indicator *ind;
	size_t n_ind, cap_ind;
	char *total_weight, *total_score, *total_grade;
};

struct form *form_new(void);	/* empty draft, default layout and rule set, fresh uuid */
void form_free(struct form *f);
struct form *form_copy(const struct form *f);
bool form_equal(const struct form *a, const struct form *b);	/* every field, not id/version/updated */
/* Next year's draft from f (carry forward): the header (project, department,
 * unit, lead, phone), layout, rule set, goals.expected, each indicator's
 * level1, level2, name, nature, target, unit_of_measure and weight, the funds'
 * weights and total.weight are copied; actual values, scores, deviations,
 * goals.achieved, money figures, rates, total score and grade stay absent.
 * A fresh uuid for the form and each row, status draft, not stored (id 0). */
struct form *form_carry_forward(const struct form *f, int year);

/* Field paths. */
#define FORM_SCRATCH 24
/* The value at path, or NULL if absent.  "year" is formatted into scratch. */
bool form_path_valid(const struct form *f, const char *path);
const char *form_get(const struct form *f, const char *path, char scratch[FORM_SCRATCH]);
/* Set a field to a copy of value (NULL makes it absent).  Returns 0, or -1
 * with *err set to a static English message (unknown path, bad year,
 * indicator out of range).  Text is stored as given: no checking here. */
int form_set(struct form *f, const char *path, const char *value, const char **err);

/* Every path of the form in paper order, header first, then each indicator.
 * Calls fn(path, value, arg) for each; stops early if fn returns non-zero. */
int form_each_field(const struct form *f,
		    int (*fn)(const char *path, const char *value, void *arg), void *arg);
/* Paths as people see them — in commands, messages and `check` — number
 * the indicator rows from 1, as the screen does: 第1行 is indicators[1].
 * Inside the program (findings, the store, bundles) they count from 0.
 * form_path_in turns a path a person typed into the program's (-1 with
 * *err, a static English message, for indicators[0]); form_path_out the
 * other way.  Other paths pass unchanged.  Both return out. */
char *form_path_in(const char *user, char *out, size_t len, const char **err);
char *form_path_out(const char *path, char *out, size_t len);
/* The path of indicator row i's field f: "indicators[i].key" (the index
 * inside the program; see form_path_user for the one people see). */
void form_ind_path(char *buf, size_t len, size_t i, int f);
/* The official label of a path, e.g. "全年执行数（B）" or "第3行 实际完成值". */
const char *form_path_label(const char *path, char *buf, size_t len);

/* Indicator rows. */
struct indicator *form_add_indicator(struct form *f, size_t at);	/* at <= n_ind; NULL on OOM */
void form_del_indicator(struct form *f, size_t at);
void form_move_indicator(struct form *f, size_t from, size_t to);

/* A fresh UUID as 36 characters + NUL: RFC 9562 version 7, time-ordered
 * (each sorts after the ones this process made before), 62 random bits. */
void uuid_make(char out[37]);
/* The same at a given Unix time in milliseconds (tests drive the clock). */
void uuid_make_at(char out[37], uint64_t now_ms);

/* Helpers for owned strings. */
char *xstrdup(const char *s);	/* NULL stays NULL; aborts only on OOM */
void set_str(char **slot, const char *value);

#endif
