/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money: ISO 4217 exponents (from the ISO 4217 list one), decimal text to minor units without
 * floating point, the 64-bit boundary (INT64_MAX = 9223372036854775807), formatting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "revops/money.h"

static void test_currency_exponents(void **state)
{
    (void)state;
    assert_int_equal(revops_currency_exponent("RUB", 3), 2);
    assert_int_equal(revops_currency_exponent("USD", 3), 2);
    assert_int_equal(revops_currency_exponent("EUR", 3), 2);
    assert_int_equal(revops_currency_exponent("JPY", 3), 0);
    assert_int_equal(revops_currency_exponent("KRW", 3), 0);
    assert_int_equal(revops_currency_exponent("KWD", 3), 3);
    assert_int_equal(revops_currency_exponent("BHD", 3), 3);
    assert_int_equal(revops_currency_exponent("CLF", 3), 4);
    assert_int_equal(revops_currency_exponent("AED", 3), 2); /* first of the table */
    assert_int_equal(revops_currency_exponent("ZWG", 3), 2); /* last of the table */
    assert_int_equal(revops_currency_exponent("XXX", 3), -1);
    assert_int_equal(revops_currency_exponent("usd", 3), -1); /* exact, upper case */
    assert_int_equal(revops_currency_exponent("US", 2), -1);
    assert_int_equal(revops_currency_exponent("USDX", 4), -1);
}

static int64_t parse_ok(const char *s, int exponent)
{
    int64_t v = -1;
    if (revops_money_parse(&v, s, strlen(s), exponent) != 0)
        fail_msg("'%s' (exponent %d) did not parse", s, exponent);
    return v;
}

static void test_parse(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("1234.56", 2), 123456);
    assert_int_equal(parse_ok("-12", 2), -1200);
    assert_int_equal(parse_ok("+0.5", 2), 50);
    assert_int_equal(parse_ok(".5", 2), 50);
    assert_int_equal(parse_ok("5.", 2), 500);
    assert_int_equal(parse_ok("0", 2), 0);
    assert_int_equal(parse_ok("100.500", 2), 10050); /* zeros past the exponent are fine */
    assert_int_equal(parse_ok("1500", 0), 1500);
    assert_int_equal(parse_ok("1500.000", 0), 1500);
    assert_int_equal(parse_ok("1.234", 3), 1234);
    assert_int_equal(parse_ok("0.0001", 4), 1);
    /* The 64-bit edge: INT64_MAX minor units and its negation. */
    assert_true(parse_ok("9223372036854775807", 0) == INT64_MAX);
    assert_true(parse_ok("92233720368547758.07", 2) == INT64_MAX);
    assert_true(parse_ok("-92233720368547758.07", 2) == -INT64_MAX);
}

static void expect_bad(const char *s, int exponent, const char *reason)
{
    int64_t v = 7;
    int rc = revops_money_parse(&v, s, strlen(s), exponent);
    if (rc != REVOPS_EINVALID)
        fail_msg("'%s' was accepted as %lld", s, (long long)v);
    if (!strstr(revops_error_last()->message, reason))
        fail_msg("'%s': message '%s' lacks '%s'", s, revops_error_last()->message, reason);
    assert_int_equal(v, 7); /* nothing written on failure */
}

static void test_bad_amounts(void **state)
{
    (void)state;
    expect_bad("100.505", 2, "more than 2 decimals");
    expect_bad("1.5", 0, "more than 0 decimals");
    expect_bad("1,234", 2, "expected only digits");
    expect_bad("1e6", 2, "expected only digits");
    expect_bad("12abc", 2, "expected only digits");
    expect_bad("$12", 2, "expected digits");
    expect_bad("", 2, "expected digits");
    expect_bad("-", 2, "expected digits");
    expect_bad(".", 2, "expected digits");
    expect_bad(" 12", 2, "expected digits");
    expect_bad("--1", 2, "expected digits");
    expect_bad("9223372036854775808", 0, "too large");
    expect_bad("92233720368547758.08", 2, "too large");
    expect_bad("99999999999999999999", 2, "too large");
    expect_bad("92233720368547759", 2, "too large"); /* overflows while scaling by 100 */
}

static void expect_format(int64_t minor, int exponent, const char *text)
{
    char buf[REVOPS_MONEY_TEXT_MAX];
    size_t n = revops_money_format(minor, exponent, buf);
    assert_string_equal(buf, text);
    assert_int_equal(n, strlen(text));
}

static void test_format(void **state)
{
    (void)state;
    expect_format(123456, 2, "1234.56");
    expect_format(-123450, 2, "-1234.50");
    expect_format(5, 2, "0.05");
    expect_format(-5, 2, "-0.05");
    expect_format(0, 2, "0.00");
    expect_format(1500, 0, "1500");
    expect_format(1, 3, "0.001");
    expect_format(INT64_MAX, 2, "92233720368547758.07");
    expect_format(INT64_MIN, 2, "-92233720368547758.08"); /* no overflow on the magnitude */
    /* Round trip over many values and all exponents. */
    for (int e = 0; e <= 4; e++) {
        for (int64_t v = -100003; v <= 100003; v += 997) {
            char buf[REVOPS_MONEY_TEXT_MAX];
            size_t n = revops_money_format(v, e, buf);
            int64_t back;
            assert_int_equal(revops_money_parse(&back, buf, n, e), 0);
            assert_true(back == v);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_currency_exponents),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_bad_amounts),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
