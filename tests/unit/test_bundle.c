#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include "bundle.h"
static void t0(void **st) { (void)st; }
int main(void) { const struct CMUnitTest t[] = { cmocka_unit_test(t0) }; return cmocka_run_group_tests(t, NULL, NULL); }
