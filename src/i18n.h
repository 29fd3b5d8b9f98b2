/* i18n: gettext for every message a person reads; English is the source. */
#ifndef JXZP_I18N_H
#define JXZP_I18N_H

#include <libintl.h>
#define _(s) gettext(s)
#define N_(s) (s)

#endif
