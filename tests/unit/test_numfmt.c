/* Unit tests of src/numfmt: a spreadsheet number as its format shows it.
 * Expected values are what Excel and LibreOffice show for these cells. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

static void is(const char *v, const char *code, const char *want)
{
	char *got = numfmt_show(v, code, false);
	if (strcmp(got, want) != 0)
		print_message("%s in [%s]: got [%s], want [%s]\n", v, code ? code : "General", got, want);
	assert_string_equal(got, want);
	free(got);
}

static void issue_examples(void **state)
{
	(void)state;
	is("0.895", "0.00%", "89.50%");
	is("200", "0.000000", "200.000000");
	is("738.62892000000005", NULL, "738.62892");
	is("738.62892000000005", "General", "738.62892");
}

/* Sections chosen by a condition, and General among literal text: what a
 * finance system's template writes (seen from the probe files' notes). */
static void conditions_and_general_among_text(void **state)
{
	(void)state;
	is("115.63", "[=0]\"-\";0.00", "115.63");
	is("0", "[=0]\"-\";0.00", "-");
	is("-5", "[=0]\"-\";0.00", "-5.00");
	is("150", "[Red][>=100]0;[Blue][<100]0.0", "150");
	is("42", "[Red][>=100]0;[Blue][<100]0.0", "42.0");
	is("7", "[<10]\"small\";[<100]0;\"big\"", "small");
	is("70", "[<10]\"small\";[<100]0;\"big\"", "70");
	is("700", "[<10]\"small\";[<100]0;\"big\"", "big");
	is("738.62892", "General\"万元\"", "738.62892万元");
	is("-2.5", "General\" 元\";-General\" 元\"", "-2.5 元");
	is("12", "\"约\"General", "约12");
}

static void general_is_shortest_exact(void **state)
{
	(void)state;
	is("0.1", NULL, "0.1");
	is("18510816074", NULL, "18510816074");
	is("201.19999999999999", NULL, "201.2");
	is("-3.5", NULL, "-3.5");
	is("0.00001", NULL, "0.00001");
	is("1E+25", NULL, "1E+25");
	is("0", NULL, "0");
	is("not a number", NULL, "not a number");
}

static void fixed_and_grouped(void **state)
{
	(void)state;
	is("1234567.891", "#,##0.00", "1,234,567.89");
	is("9.995", "0.00", "10.00");	/* the decimal 9.995 rounds up, half away from zero */
	is("1.005", "0.00", "1.01");
	is("99.9875", "0.00", "99.99");
	is("0.999875", "0.00%", "99.99%");
	is("0.5", "#.##", ".5");
	is("99999.5", "0", "100000");
	is("5", "0\"分\"", "5分");
	is("100", "[$¥-804]#,##0.00", "¥100.00");
	is("-3.5", "0.0;(0.0)", "(3.5)");
	is("0", "0.00;-0.00;\"—\"", "—");
	is("3", "0.00;-0.00;\"—\"", "3.00");
}

static void scientific(void **state)
{
	(void)state;
	is("12345", "0.00E+00", "1.23E+04");
	is("0.000123", "0.00E+00", "1.23E-04");
	is("9.96", "0.0E+0", "1.0E+1");
}

static void dates(void **state)
{
	(void)state;
	is("45107", "yyyy\"年\"m\"月\"d\"日\"", "2023年6月30日");
	is("45107.5", "yyyy/m/d h:mm", "2023/6/30 12:00");
	is("45000", "mmm d, yyyy", "Mar 15, 2023");
	is("60", "yyyy-mm-dd", "1900-02-29");	/* Excel's leap day */
	is("61", "yyyy-mm-dd", "1900-03-01");
	is("0.75", "h:mm AM/PM", "6:00 PM");
	assert_string_equal(numfmt_builtin(14), "yyyy/m/d");
	assert_true(numfmt_is_date("yyyy-mm-dd"));
	assert_false(numfmt_is_date("0.00E+00"));
	char *d = numfmt_show("0", "yyyy-mm-dd", true);	/* 1904 system */
	assert_string_equal(d, "1904-01-01");
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(issue_examples),
		cmocka_unit_test(conditions_and_general_among_text),
		cmocka_unit_test(general_is_shortest_exact),
		cmocka_unit_test(fixed_and_grouped),
		cmocka_unit_test(scientific),
		cmocka_unit_test(dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
