/* schema: the SQL migrations and rule sets of schema/, compiled in by schema/embed.sh. */
#ifndef JXZP_SCHEMA_H
#define JXZP_SCHEMA_H

struct schema_migration {
	int version;		/* NNN of schema/NNN-name.sql: PRAGMA user_version after it */
	const char *name;
	const char *sql;
};
extern const struct schema_migration schema_migrations[];	/* in version order */
extern const int schema_n_migrations;
extern const char schema_rulesets_tsv[];	/* schema/rulesets.tsv */
extern const char schema_triage_weights_tsv[];	/* schema/triage_weights.tsv */

#endif
