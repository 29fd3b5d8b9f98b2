/* Unit tests of src/num: exact decimals. */
#include "config.h"
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "num.h"

static num N(const char *s)
{
	num n;
	assert_true(num_parse(s, &n));
	return n;
}

static void round_trip(void **state)
{
	char buf[NUM_BUFSZ];
	const char *cases[] = { "738.62892", "0", "-5", "100", "0.000001", "7578289.2", "123456789012.123456" };
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(num_str(N(cases[i]), buf), cases[i]);
	assert_string_equal(num_str(N("1,024"), buf), "1024");
	assert_string_equal(num_str(N(" 95.50 "), buf), "95.5");
	assert_string_equal(num_str(N("+.5"), buf), "0.5");
}

static void rejects_junk(void **state)
{
	num n;
	const char *bad[] = { "", " ", "abc", "95%", "1.2.3", "--1", "1,", ",1", "９５", "1e5",
			      "99999999999999999999", "12 34" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_false(num_parse(bad[i], &n));
}

static void exact_sum(void **state)
{
	char buf[NUM_BUFSZ];
	num r;
	assert_true(num_add(N("0.1"), N("0.2"), &r));
	assert_string_equal(num_str(r, buf), "0.3");
	assert_int_equal(num_cmp(r, N("0.3")), 0);
	assert_true(num_sub(N("152.1493"), N("170"), &r));
	assert_string_equal(num_str(r, buf), "-17.8507");
	assert_true(num_mul(N("0.895"), N("10"), &r));
	assert_string_equal(num_fixed(r, 2, buf), "8.95");
}

static void division(void **state)
{
	char buf[NUM_BUFSZ];
	num r;
	assert_true(num_div(N("152.1493"), N("170"), &r));
	assert_string_equal(num_fixed(r, 4, buf), "0.8950");
	assert_true(num_div(N("85"), N("90"), &r));
	assert_string_equal(num_fixed(r, 2, buf), "0.94");
	assert_true(num_div(N("1"), N("3"), &r));
	assert_string_equal(num_str(r, buf), "0.333333333333");
	assert_true(num_div(N("2"), N("3"), &r));
	assert_string_equal(num_str(r, buf), "0.666666666667");
	assert_false(num_div(N("1"), N("0"), &r));
	assert_true(num_div(N("-7"), N("2"), &r));
	assert_string_equal(num_str(r, buf), "-3.5");
}

static void rounding(void **state)
{
	char buf[NUM_BUFSZ];
	assert_string_equal(num_fixed(N("9.445"), 2, buf), "9.45");
	assert_string_equal(num_fixed(N("-9.445"), 2, buf), "-9.45");
	assert_string_equal(num_fixed(N("-0.001"), 2, buf), "0.00");
	assert_string_equal(num_fixed(N("10"), 2, buf), "10.00");
	assert_string_equal(num_fixed(N("99.995"), 2, buf), "100.00");
	assert_int_equal(num_cmp(num_round(N("0.005"), 2), N("0.01")), 0);
}

static void overflow_is_reported(void **state)
{
	num r;
	num big = N("9000000000000000000");
	assert_false(num_add(big, big, &r));
	assert_false(num_mul(big, N("10"), &r));
	/* a product with too many decimals keeps the ones that fit */
	assert_true(num_mul(N("0.000001"), N("0.0000001"), &r));
	assert_int_equal(num_cmp(r, N("0")), 0);
}

static void compare(void **state)
{
	assert_int_equal(num_cmp(N("1.50"), N("1.5")), 0);
	assert_true(num_cmp(N("-2"), N("1")) < 0);
	assert_true(num_cmp(N("100.01"), N("100")) > 0);
	assert_int_equal(num_cmp(num_min(N("3"), N("2")), N("2")), 0);
	assert_true(num_is_zero(N("0.000")));
	assert_true(num_is_neg(N("-0.1")));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(rejects_junk),
		cmocka_unit_test(exact_sum),
		cmocka_unit_test(division),
		cmocka_unit_test(rounding),
		cmocka_unit_test(overflow_is_reported),
		cmocka_unit_test(compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
