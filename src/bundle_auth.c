/*
 * bundle_auth: what a bundle may do, from its signer (see bundle_auth.h).
 *
 * Promises: the header's role and units are claims; the powers come from
 * the key alone.  A refusal is one line naming the signer's fingerprint
 * and, for a key not trusted here, the command that would trust it.
 */
#include "config.h"
#include "bundle_auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "form.h"
#include "i18n.h"

void bundle_auth_free(struct bundle_auth *au)
{
	for (size_t i = 0; i < au->n_units; i++)
		free(au->units[i]);
	free(au->units);
	au->units = NULL;
	au->n_units = 0;
}

static bool speaks_for(const struct bundle_auth *au, const char *unit)
{
	for (size_t i = 0; unit && i < au->n_units; i++)
		if (strcmp(au->units[i], unit) == 0)
			return true;
	return false;
}

int bundle_auth_admit(struct bundle_auth *au, const struct bundle_info *bi, const char *file,
		      char *err, size_t errlen)
{
	bool claims_office = strcmp(bi->role, "office") == 0;
	au->office = false;
	switch (au->state) {
	case SIGNER_UNSIGNED:
		if (!au->unsigned_ok) {
			snprintf(err, errlen, _("refused: the bundle is not signed (written by a jxzp before keys); "
						"ask for a new one, or take it with a unit's rights only: "
						"jxzp bundle apply --accept-unsigned %s"), file);
			return BUNDLE_REFUSED;
		}
		/* a unit's powers over the units its header names */
		bundle_auth_free(au);
		au->units = calloc(bi->n_units ? bi->n_units : 1, sizeof *au->units);
		if (!au->units)
			abort();
		for (size_t i = 0; i < bi->n_units; i++)
			au->units[au->n_units++] = xstrdup(bi->units[i].unit);
		return BUNDLE_OK;
	case SIGNER_SELF:
		snprintf(err, errlen, "%s", _("refused: this bundle was written by this database"));
		return BUNDLE_REFUSED;
	case SIGNER_REVOKED:
		snprintf(err, errlen, _("refused: the bundle is signed by key %s, revoked here on %.10s"), au->fp,
			 au->revoked_at);
		return BUNDLE_REFUSED;
	case SIGNER_UNKNOWN:
		if (claims_office)
			snprintf(err, errlen, _("refused: the bundle is signed by key %s, which is not trusted here; "
						"if the office reads you that fingerprint by telephone, trust it with: "
						"jxzp key trust --office %s"), au->fp, file);
		else
			snprintf(err, errlen, _("refused: the bundle is signed by key %s, which is not trusted here; "
						"if that unit's clerk reads you that fingerprint by telephone, trust it "
						"with: jxzp key trust --unit '%s' %s"), au->fp,
				 bi->n_units ? bi->units[0].unit : "", file);
		return BUNDLE_REFUSED;
	case SIGNER_OFFICE:
		au->office = true;
		return BUNDLE_OK;
	case SIGNER_UNIT:
		if (claims_office) {
			snprintf(err, errlen, _("refused: the bundle says it is the office's, but it is signed by key "
						"%s, trusted here for a unit only"), au->fp);
			return BUNDLE_REFUSED;
		}
		for (size_t i = 0; i < bi->n_units; i++)
			if (!speaks_for(au, bi->units[i].unit)) {
				snprintf(err, errlen, _("refused: the bundle is for %s, but key %s is trusted here for "
							"%s only"), bi->units[i].unit, au->fp, au->units[0]);
				return BUNDLE_REFUSED;
			}
		return BUNDLE_OK;
	}
	return BUNDLE_REFUSED;
}

const char *bundle_auth_form(const struct bundle_auth *au, const char *theirs, const char *here)
{
	if (!au)
		return _("the bundle's signer was not checked");
	if (au->state == SIGNER_OFFICE)
		return NULL;
	/* unsigned (admitted): bound by the units its header names */
	if (au->state != SIGNER_UNIT && au->state != SIGNER_UNSIGNED)
		return _("the bundle's signer is not trusted here");
	if (!speaks_for(au, theirs) || (here && !speaks_for(au, here)))
		return _("the bundle's key may change only its own units' forms");
	return NULL;
}

bool bundle_auth_office(const struct bundle_auth *au)
{
	return au && au->state == SIGNER_OFFICE && au->office;
}

void bundle_auth_describe(const struct bundle_auth *au, char *buf, size_t len)
{
	switch (au->state) {
	case SIGNER_UNSIGNED:
		snprintf(buf, len, "%s", _("not signed (a jxzp before keys)"));
		break;
	case SIGNER_UNKNOWN:
		snprintf(buf, len, _("signed by key %s, not trusted here"), au->fp);
		break;
	case SIGNER_REVOKED:
		snprintf(buf, len, _("signed by key %s, revoked here"), au->fp);
		break;
	case SIGNER_SELF:
		snprintf(buf, len, _("signed by this database (key %s)"), au->fp);
		break;
	case SIGNER_OFFICE:
		snprintf(buf, len, _("signed by the office (key %s, trusted here)"), au->fp);
		break;
	case SIGNER_UNIT:
		snprintf(buf, len, _("signed by %s%s (key %s, trusted here)"), au->units[0],
			 au->n_units > 1 ? _(" and other units") : "", au->fp);
		break;
	}
}
