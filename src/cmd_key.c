/*
 * cmd_key: `jxzp key show|list|trust|revoke|replace` (issue 16).  Thin:
 * arguments in, store_keys.h out, one line per outcome.  A key is given as
 * its text (jxzp-key:...), a file holding it (what `key show` printed), or
 * a bundle it signed; revoke also takes a fingerprint known here.
 */
#include "config.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "cmd.h"
#include "i18n.h"
#include "keys.h"
#include "store_keys.h"

static void print_key(const struct keys_pub *p)
{
	char kt[KEYS_TEXT_LEN], fp[KEYS_FP_LEN];
	keys_text(p, kt);
	keys_fingerprint(p, fp);
	printf("%s\n", kt);
	printf(_("fingerprint %s\n"), fp);
}

/* The key an argument names; a one-line error otherwise. */
static bool key_arg(struct store *s, const char *arg, struct keys_pub *p)
{
	if (strncmp(arg, KEYS_TEXT_PREFIX, strlen(KEYS_TEXT_PREFIX)) == 0) {
		if (keys_parse(arg, strlen(arg), p) && strlen(arg) == KEYS_TEXT_LEN - 1)
			return true;
		cli_error(_("not a jxzp key: %s (a key is jxzp-key: and 128 hex digits)"), arg);
		return false;
	}
	if (s && strspn(arg, "0123456789 -") == strlen(arg) && store_key_find(s, arg, p) == STORE_OK)
		return true;
	size_t len;
	char *text = cli_read_file(arg, &len);
	if (!text)
		return false;
	bool ok = false;
	if (len >= 12 && memcmp(text, "JXZP-BUNDLE ", 12) == 0) {
		struct bundle_info bi;
		const unsigned char *payload;
		char err[1024];
		if (bundle_unpack((const unsigned char *)text, len, &bi, &payload, err, sizeof err) != BUNDLE_OK)
			cli_error("%s: %s", arg, err);
		else if (!bi.is_signed)
			cli_error(_("%s: the bundle is not signed: it names no key"), arg);
		else {
			*p = bi.signer;
			ok = true;
		}
		bundle_info_free(&bi);
	} else if (keys_parse(text, len, p)) {
		ok = true;
	} else {
		cli_error(_("%s: holds no jxzp key (jxzp-key: and 128 hex digits)"), arg);
	}
	free(text);
	return ok;
}

static int key_show(struct cli *c)
{
	c->may_create = true;	/* a new machine's first step: its key pair makes its database */
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct keys_own k;
	if (store_key_own(s, &k) != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	printf(_("# the key of database %.8s (%s); give it to the other side, and read them the fingerprint\n"),
	       store_db_uuid(s), cli_db_path(c));
	print_key(&k.pub);
	keys_wipe(&k, sizeof k);
	return EXIT_OK;
}

static int list_row(const struct key_row *r, void *arg)
{
	char fp[KEYS_FP_LEN];
	int *n = arg;
	keys_fingerprint(&r->pub, fp);
	if (strcmp(r->role, "office") == 0)
		printf(_("office    %s  trusted since %.10s\n"), fp, r->at);
	else if (strcmp(r->role, "unit") == 0)
		printf(_("unit      %s  trusted since %.10s for %s\n"), fp, r->at, r->unit);
	else
		printf(_("revoked   %s  on %.10s\n"), fp, r->at);
	++*n;
	return 0;
}

static int key_list(struct cli *c)
{
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	int n = 0;
	if (store_key_each(s, list_row, &n) != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	if (!n)
		printf(_("no keys trusted here yet (jxzp key trust --office KEY, or --unit U KEY)\n"));
	return EXIT_OK;
}

static int key_trust(struct cli *c, const char *unit, bool office, const char *want_fp, const char *arg)
{
	c->may_create = true;	/* a new machine's first step: its key pair makes its database */
	if (office == (unit != NULL))
		return cli_usage_error("key trust", _("wants --office or --unit U"));
	if (unit && !*unit)
		return cli_usage_error("key trust", _("--unit wants a unit's name"));
	struct store *s = cli_store(c);
	struct keys_pub p;
	if (!s)
		return EXIT_USAGE;
	if (!key_arg(NULL, arg, &p))
		return EXIT_USAGE;
	char fp[KEYS_FP_LEN];
	keys_fingerprint(&p, fp);
	if (want_fp && !keys_fingerprint_match(fp, want_fp))
		return cli_error(_("refused: the key's fingerprint is %s, not %s; nothing was trusted"), fp, want_fp);
	bool replaced;
	int rc = store_key_trust(s, &p, unit, &replaced);
	if (rc == STORE_BADSTATE)
		return cli_error(_("refused: key %s is revoked here, or is this database's own"), fp);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	if (office)
		printf(replaced ? _("key %s is now trusted as the office (the office key trusted before no longer is)\n") :
		       _("key %s is now trusted as the office\n"), fp);
	else
		printf(_("key %s is now trusted for %s\n"), fp, unit);
	if (!want_fp)
		printf(_("check the fingerprint with the other side by telephone (or give it with --fingerprint)\n"));
	return EXIT_OK;
}

static int key_revoke(struct cli *c, const char *arg)
{
	struct store *s = cli_store(c);
	struct keys_pub p;
	if (!s)
		return EXIT_USAGE;
	if (!key_arg(s, arg, &p))
		return EXIT_USAGE;
	char fp[KEYS_FP_LEN];
	keys_fingerprint(&p, fp);
	int rc = store_key_revoke(s, &p);
	if (rc == STORE_BADSTATE)
		return cli_error(_("refused: key %s is this database's own (jxzp key replace makes a new one)"), fp);
	if (rc != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	printf(_("key %s is revoked: bundles it signed are refused here from now on\n"), fp);
	return EXIT_OK;
}

static int key_replace(struct cli *c)
{
	struct store *s = cli_store(c);
	if (!s)
		return EXIT_USAGE;
	struct keys_own k;
	if (store_key_replace(s, &k) != STORE_OK)
		return cli_error("%s", store_errmsg(s));
	printf(_("# a new key for database %.8s: the other side must trust it (and revoke the old one)\n"),
	       store_db_uuid(s));
	print_key(&k.pub);
	keys_wipe(&k, sizeof k);
	return EXIT_OK;
}

enum { OPT_OFFICE = 400, OPT_FP };

int cmd_key(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, OPT_UNIT },
		{ "office", no_argument, NULL, OPT_OFFICE },
		{ "fingerprint", required_argument, NULL, OPT_FP },
		CLI_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *sub = argc > 1 ? argv[1] : "";
	const char *unit = NULL, *fp = NULL;
	bool office = false;
	int opt;
	if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0)
		return cmd_help(c, argc, argv);
	optind = 0;
	argc--, argv++;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		if (cli_common_option(c, opt, optarg))
			continue;
		switch (opt) {
		case OPT_UNIT:
			unit = optarg;
			break;
		case OPT_OFFICE:
			office = true;
			break;
		case OPT_FP:
			fp = optarg;
			break;
		case 'h':
			return cmd_help(c, argc, argv);
		default:
			return cli_bad_option("key", argv, opt);
		}
	}
	int nargs = argc - optind;
	bool trust = strcmp(sub, "trust") == 0, revoke = strcmp(sub, "revoke") == 0;
	if ((unit || office || fp) && !trust)
		return cli_usage_error("key", _("--unit, --office and --fingerprint go with key trust"));
	if (trust || revoke) {
		if (nargs != 1)
			return cli_usage_error(trust ? "key trust" : "key revoke", _("needs one key: its text, or a file"));
		return trust ? key_trust(c, unit, office, fp, argv[optind]) : key_revoke(c, argv[optind]);
	}
	if (nargs)
		return cli_usage_error("key", _("takes no arguments besides its options"));
	if (strcmp(sub, "show") == 0)
		return key_show(c);
	if (strcmp(sub, "list") == 0)
		return key_list(c);
	if (strcmp(sub, "replace") == 0)
		return key_replace(c);
	return cli_usage_error("key", _("wants show, list, trust, revoke or replace"));
}
