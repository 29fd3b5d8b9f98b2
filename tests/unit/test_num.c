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
	assert_string_equal(num_str(N("９５"), buf), "95");
	assert_string_equal(num_str(N(" 95.50 "), buf), "95.5");
	assert_string_equal(num_str(N("+.5"), buf), "0.5");
}

static void rejects_junk(void **state)
{
	num n;
	const char *bad[] = { "", " ", "abc", "95%", "1.2.3", "--1", "1,", ",1", "1e5",
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
	num big = N("900000000000000000");
	assert_false(num_add(big, big, &r));
	assert_false(num_mul(big, N("10"), &r));
	/* issue 22: a result that does not fit is an error, never cut */
	assert_false(num_mul(N("0.000001"), N("0.0000001"), &r));
	assert_false(num_add(N("10000000"), N("0.000000000001"), &r));
	assert_true(num_add(N("999999.999999999998"), N("0.000000000001"), &r));
	assert_true(num_add(N("999999.999999999999"), N("0.000000000001"), &r));
	assert_int_equal(num_cmp(r, N("1000000")), 0);	/* its zeros go */
	assert_false(num_add(N("999999.999999999999"), N("0.000000000002"), &r));
	assert_true(num_add(N("999999999999999998"), N("1"), &r));
	assert_false(num_add(N("999999999999999999"), N("1"), &r));
	/* a product whose extra decimals are zeros is exact */
	assert_true(num_mul(N("0.000000000002"), N("0.5"), &r));
	assert_int_equal(num_cmp(r, N("0.000000000001")), 0);
}

/* issue 22: the limits, at their edges */
static void limits(void **state)
{
	num n;
	int dec;
	assert_int_equal(num_read("999999999999999999", 0, &n, NULL), NUM_OK);
	assert_int_equal(num_read("1000000000000000000", 0, &n, NULL), NUM_E_RANGE);
	assert_int_equal(num_read("0.999999999999", 0, &n, NULL), NUM_OK);
	assert_int_equal(num_read("0.9999999999999", 0, &n, NULL), NUM_E_SCALE);
	assert_int_equal(num_read("-0.0000000000001", 0, &n, NULL), NUM_E_SCALE);
	assert_int_equal(num_read("999999.999999999999", 0, &n, NULL), NUM_OK);
	assert_int_equal(num_read("1000000.000000000001", 0, &n, NULL), NUM_E_RANGE);
	/* zeros past the 12th decimal change nothing */
	assert_int_equal(num_read("1.00000000000000000000", 0, &n, &dec), NUM_OK);
	assert_int_equal(num_cmp(n, N("1")), 0);
	assert_int_equal(dec, 20);
	/* found by fuzz_target: zeros between digits past the limit */
	char many[160] = "9.";
	memset(many + 2, '0', 140);
	strcpy(many + 142, "9");
	assert_int_equal(num_read(many, 0, &n, NULL), NUM_E_RANGE);
	assert_int_equal(num_read("0000000000000000000095", 0, &n, NULL), NUM_OK);
	assert_int_equal(n.coef, 95);
}

/* issue 22: the one grammar */
static void grammar(void **state)
{
	num n;
	int dec;
	assert_int_equal(num_read("1,00", 0, &n, NULL), NUM_E_DECIMAL_COMMA);
	assert_int_equal(num_read("1,5", 0, &n, NULL), NUM_E_DECIMAL_COMMA);
	assert_int_equal(num_read("160,34", 0, &n, NULL), NUM_E_DECIMAL_COMMA);
	assert_int_equal(num_read("12,34,5", 0, &n, NULL), NUM_E_GROUPS);
	assert_int_equal(num_read("1,000,00", 0, &n, NULL), NUM_E_GROUPS);
	assert_int_equal(num_read("1234,567", 0, &n, NULL), NUM_E_DECIMAL_COMMA);
	assert_int_equal(num_read("1,234,567.5", 0, &n, NULL), NUM_OK);
	assert_int_equal(num_cmp(n, N("1234567.5")), 0);
	assert_int_equal(num_read("１６０．３４９", 0, &n, &dec), NUM_OK);
	assert_int_equal(num_cmp(n, N("160.349")), 0);
	assert_int_equal(dec, 3);
	assert_int_equal(num_read("１，０２４", 0, &n, NULL), NUM_OK);
	assert_int_equal(n.coef, 1024);
	assert_int_equal(num_read("\xe2\x88\x92" "5", 0, &n, NULL), NUM_OK);	/* U+2212 */
	assert_int_equal(n.coef, -5);
	assert_int_equal(num_read("－５", 0, &n, NULL), NUM_OK);
	assert_int_equal(n.coef, -5);
	assert_int_equal(num_read("＋５", 0, &n, NULL), NUM_OK);
	assert_int_equal(n.coef, 5);
	assert_int_equal(num_read("\xe3\x80\x80" "95 ", 0, &n, NULL), NUM_OK);
	assert_int_equal(num_read("95%", 0, &n, NULL), NUM_E_SYNTAX);
	assert_int_equal(num_read("99.98 ％", NUM_PERCENT, &n, &dec), NUM_OK);
	assert_int_equal(dec, 2);
	assert_int_equal(num_read("", 0, &n, NULL), NUM_E_EMPTY);
	/* inside a text: the same grammar */
	const char *e;
	assert_int_equal(num_scan("1,5项", &e, &n, NULL), NUM_E_DECIMAL_COMMA);
	assert_int_equal(num_scan("1,024项", &e, &n, NULL), NUM_OK);
	assert_string_equal(e, "项");
	assert_int_equal(num_scan("95%", &e, &n, NULL), NUM_OK);
	assert_string_equal(e, "%");
	assert_int_equal(num_scan("项", &e, &n, NULL), NUM_E_SYNTAX);
	assert_string_equal(e, "项");
}

/* issue 22: a quotient is rounded once, whatever the operands' scales */
static void division_any_scale(void **state)
{
	char buf[NUM_BUFSZ];
	num r, s;
	assert_true(num_div(N("1000000000000"), N("3"), &r));
	assert_true(num_div(N("1000000000000"), N("3.000000000000"), &s));
	assert_int_equal(num_cmp(r, s), 0);
	assert_string_equal(num_str(r, buf), "333333333333.333333");
	assert_true(num_div_at(N("0.000000000001"), N("0.000000000003"), 12, NUM_HALF_AWAY, &r));
	assert_string_equal(num_str(r, buf), "0.333333333333");
	/* 0.0049999999999995 rounds to 0.00, not via 0.005 to 0.01 */
	assert_true(num_div_at(N("0.004999999999"), N("0.999999999999"), 2, NUM_HALF_AWAY, &r));
	assert_string_equal(num_fixed(r, 2, buf), "0.00");
	assert_true(num_div_at(N("160.329"), N("160.349"), 4, NUM_DOWN, &r));
	assert_string_equal(num_str(r, buf), "0.9998");
	assert_true(num_div_at(N("160.329"), N("160.349"), 4, NUM_HALF_AWAY, &r));
	assert_string_equal(num_str(r, buf), "0.9999");
	assert_true(num_muldiv(N("160.329"), N("10"), N("160.349"), 2, NUM_HALF_AWAY, &r));
	assert_string_equal(num_str(r, buf), "10");
	assert_true(num_muldiv(N("160.329"), N("10"), N("160.349"), 2, NUM_DOWN, &r));
	assert_string_equal(num_str(r, buf), "9.99");
	assert_false(num_div_at(N("1"), N("0"), 2, NUM_HALF_AWAY, &r));
	assert_string_equal(num_str(num_trunc(N("-9.999"), 2), buf), "-9.99");
}

#include "num_cases.h"

/* The table of tests/unit/gen_num_cases.py: each case as Python's decimal
 * worked it out. */
static void against_python(void **state)
{
	char buf[NUM_BUFSZ];
	size_t n = sizeof num_cases / sizeof num_cases[0], bad = 0;
	for (size_t i = 0; i < n; i++) {
		const struct num_case *k = &num_cases[i];
		num a = { 0, 0 }, b = { 0, 0 }, c = { 0, 0 }, r = { 0, 0 };
		bool ok;
		if (k->op != OP_PARSE) {
			assert_true(num_parse(k->a, &a));
			if (*k->b)
				assert_true(num_parse(k->b, &b));
			if (*k->c)
				assert_true(num_parse(k->c, &c));
		}
		switch (k->op) {
		case OP_PARSE: ok = num_parse(k->a, &r); break;
		case OP_ADD: ok = num_add(a, b, &r); break;
		case OP_SUB: ok = num_sub(a, b, &r); break;
		case OP_MUL: ok = num_mul(a, b, &r); break;
		case OP_DIV: ok = num_div(a, b, &r); break;
		case OP_DIV_AT: ok = num_div_at(a, b, k->d, NUM_HALF_AWAY, &r); break;
		case OP_DIV_DOWN: ok = num_div_at(a, b, k->d, NUM_DOWN, &r); break;
		case OP_MULDIV: ok = num_muldiv(a, b, c, k->d, NUM_HALF_AWAY, &r); break;
		case OP_ROUND: ok = true; r = num_round(a, k->d); break;
		case OP_TRUNC: ok = true; r = num_trunc(a, k->d); break;
		default: ok = false; break;
		}
		const char *got = ok ? num_str(r, buf) : NULL;
		bool same = got && k->expect ? strcmp(got, k->expect) == 0 : got == k->expect;
		if (!same && bad++ < 10)
			print_message("case %zu (op %d): %s, %s, %s, %d: got %s, want %s\n", i, (int)k->op,
				      k->a, k->b, k->c, k->d, got ? got : "error", k->expect ? k->expect : "error");
	}
	assert_int_equal(bad, 0);
	assert_true(n > 5000);
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
		cmocka_unit_test(limits),
		cmocka_unit_test(grammar),
		cmocka_unit_test(division_any_scale),
		cmocka_unit_test(against_python),
		cmocka_unit_test(compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
