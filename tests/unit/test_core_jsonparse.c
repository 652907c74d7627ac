/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The strict JSON reader: what it accepts (every kind of value, escapes, surrogate pairs,
 * positions of values and keys) and what it refuses, each error with the line and column a
 * person counts by hand and a message saying what was expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/jsonparse.h"
#include "revops/common.h"

static void parse_ok(revops_jdoc *d, const char *text)
{
    if (revops_jdoc__parse(d, text, strlen(text), "t.json") != 0)
        fail_msg("%s: %s", text, revops_error_last()->message);
}

/* Parses `text`, expecting an error with `code` at line:column whose message contains `what`. */
static void parse_err(const char *text, int code, long line, long column, const char *what)
{
    revops_jdoc d;
    int rc = revops_jdoc__parse(&d, text, strlen(text), "t.json");
    const revops_error *e = revops_error_last();
    if (rc != code || e->line != line || e->column != column || !strstr(e->message, what))
        fail_msg("%s: got %d at %ld:%ld '%s'; expected %d at %ld:%ld with '%s'", text, rc, e->line,
                 e->column, e->message, code, line, column, what);
    assert_string_equal(e->file, "t.json");
    revops_jdoc__free(&d);
}

static void test_lead_object(void **state)
{
    (void)state;
    revops_jdoc d;
    parse_ok(&d, "{\"company\":\"Acme\",\"industry\":\"ecommerce\",\"region\":\"Moscow\","
                 "\"estimated_value\":\"1200000 RUB\",\"employees\":250}");
    assert_int_equal(d.nodes[0].kind, RJ_OBJECT);
    assert_int_equal(d.nodes[0].count, 5);
    int32_t m = revops_jdoc__member(&d, 0, "region");
    assert_true(m > 0);
    assert_int_equal(d.nodes[m].kind, RJ_STRING);
    assert_string_equal(revops_jdoc__text(&d, d.nodes[m].str), "Moscow");
    assert_int_equal(d.nodes[m].len, 6);
    /* "region" starts after {"company":"Acme","industry":"ecommerce", (1 + 9 + 1 + 6 + 1 +
     * 10 + 1 + 11 + 1 = 41 characters); its value after "region": (8 + 1 more). */
    assert_int_equal(d.nodes[m].key_column, 42);
    assert_int_equal(d.nodes[m].column, 51);
    m = revops_jdoc__member(&d, 0, "employees");
    assert_int_equal(d.nodes[m].kind, RJ_NUMBER);
    assert_true(d.nodes[m].num == 250);
    assert_string_equal(revops_jdoc__text(&d, d.nodes[m].str), "250");
    assert_int_equal(revops_jdoc__member(&d, 0, "nope"), -1);
    revops_jdoc__free(&d);
}

static void test_every_kind_and_nesting(void **state)
{
    (void)state;
    revops_jdoc d;
    parse_ok(&d, " [ null, true, false, -0, 0.5, -12.25e+2, 1E3, \"\", [], {}, [[1]] ]\n");
    const revops_jnode *n = d.nodes;
    assert_int_equal(n[0].kind, RJ_ARRAY);
    assert_int_equal(n[0].count, 11);
    int kinds[11], k = 0;
    double nums[11];
    for (int32_t i = n[0].first; i >= 0; i = n[i].next) {
        nums[k] = n[i].num;
        kinds[k++] = n[i].kind;
    }
    int want[11] = {RJ_NULL,   RJ_TRUE,   RJ_FALSE, RJ_NUMBER, RJ_NUMBER, RJ_NUMBER,
                    RJ_NUMBER, RJ_STRING, RJ_ARRAY, RJ_OBJECT, RJ_ARRAY};
    assert_memory_equal(kinds, want, sizeof(want));
    assert_true(nums[4] == 0.5);
    assert_true(nums[5] == -1225);
    assert_true(nums[6] == 1000);
    revops_jdoc__free(&d);
}

static void test_escapes_and_unicode(void **state)
{
    (void)state;
    revops_jdoc d;
    /* \u00e9 is é (C3 A9), \ud83d\ude00 is U+1F600 (F0 9F 98 80); raw UTF-8 passes through. */
    parse_ok(&d, "\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00Ёлка\"");
    assert_string_equal(revops_jdoc__text(&d, d.nodes[0].str),
                        "a\"b\\c/d\b\f\n\r\t\xC3\xA9\xF0\x9F\x98\x80Ёлка");
    revops_jdoc__free(&d);
    /* Columns count characters: the value after "Ёлка" (4 characters, 8 bytes). */
    parse_ok(&d, "{\"Ёлка\": 1,\n  \"x\":\n    [true]}");
    int32_t m = revops_jdoc__member(&d, 0, "x");
    assert_int_equal(d.nodes[m].key_line, 2);
    assert_int_equal(d.nodes[m].key_column, 3);
    assert_int_equal(d.nodes[m].line, 3);
    assert_int_equal(d.nodes[m].column, 5);
    m = revops_jdoc__member(&d, 0, "Ёлка");
    assert_int_equal(d.nodes[m].column, 10);
    revops_jdoc__free(&d);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    parse_err("", REVOPS_EINVALID, 1, 1, "expected a value");
    parse_err("   \n  ", REVOPS_EINVALID, 2, 3, "found the end of the input");
    parse_err("{\"a\": 1,}", REVOPS_EINVALID, 1, 9, "no trailing commas");
    parse_err("[1, 2,]", REVOPS_EINVALID, 1, 7, "no trailing commas");
    parse_err("{\"a\" 1}", REVOPS_EINVALID, 1, 6, "expected ':' after the key");
    parse_err("{'a': 1}", REVOPS_EINVALID, 1, 2, "expected a key (a string in double quotes)");
    parse_err("{a: 1}", REVOPS_EINVALID, 1, 2, "found 'a'");
    parse_err("{\"a\": 1 \"b\": 2}", REVOPS_EINVALID, 1, 9, "expected ',' or '}'");
    parse_err("[1 2]", REVOPS_EINVALID, 1, 4, "expected ',' or ']'");
    parse_err("{\"a\": [1, 2}", REVOPS_EINVALID, 1, 12, "expected ',' or ']'");
    parse_err("{\"a\": 1", REVOPS_EINVALID, 1, 1, "the object that starts here is never closed");
    parse_err("\n  [1,\n   2", REVOPS_EINVALID, 2, 3, "the array that starts here is never closed");
    parse_err("{} {}", REVOPS_EINVALID, 1, 4, "one JSON value only");
    parse_err("tru", REVOPS_EINVALID, 1, 1, "expected a value");
    parse_err("NaN", REVOPS_EINVALID, 1, 1, "expected a value");
    parse_err("// c\n1", REVOPS_EINVALID, 1, 1, "found '/'");
    parse_err("\xEF\xBB\xBF{}", REVOPS_EINVALID, 1, 1, "found '\xEF\xBB\xBF'");
}

static void test_number_errors(void **state)
{
    (void)state;
    parse_err("012", REVOPS_EINVALID, 1, 1, "no leading zeros");
    parse_err("[-]", REVOPS_EINVALID, 1, 3, "expected a digit after '-'");
    parse_err("1.", REVOPS_EINVALID, 1, 3, "expected a digit after the decimal point");
    parse_err(".5", REVOPS_EINVALID, 1, 1, "expected a value");
    parse_err("+1", REVOPS_EINVALID, 1, 1, "expected a value");
    parse_err("1e", REVOPS_EINVALID, 1, 3, "expected a digit in the exponent");
    parse_err("[1e999]", REVOPS_EINVALID, 1, 2, "out of range");
    char big[100];
    memset(big, '1', 70);
    big[70] = '\0';
    parse_err(big, REVOPS_ETOOBIG, 1, 1, "a number of 70 characters: at most 64");
}

static void test_string_errors(void **state)
{
    (void)state;
    parse_err("{\"a\": \"open}", REVOPS_EINVALID, 1, 7, "never closed");
    parse_err("\"tab\there\"", REVOPS_EINVALID, 1, 5, "U+0009 must be escaped");
    parse_err("\"a\\x\"", REVOPS_EINVALID, 1, 4, "expected an escape");
    parse_err("\"\\u12G4\"", REVOPS_EINVALID, 1, 6, "four hexadecimal digits");
    parse_err("\"\\u0000\"", REVOPS_EINVALID, 1, 2, "NUL");
    parse_err("\"x\\udc00\"", REVOPS_EINVALID, 1, 3, "second half of a surrogate pair");
    parse_err("\"\\ud83d\"", REVOPS_EINVALID, 1, 2, "first half of a surrogate pair");
    parse_err("\"\\ud83d\\u0041\"", REVOPS_EINVALID, 1, 2, "\\u0041 is not a second half");
    parse_err("\"ok\xFFno\"", REVOPS_EINVALID, 1, 4, "not UTF-8 (0xFF)");
    /* An overlong encoding of '/' (C0 AF) is not valid UTF-8 either. */
    parse_err("\"\xC0\xAF\"", REVOPS_EINVALID, 1, 2, "expected text in UTF-8");
}

static void test_duplicate_keys(void **state)
{
    (void)state;
    parse_err("{\"a\": 1,\n \"b\": 2,\n \"a\": 3}", REVOPS_EINVALID, 3, 2,
              "the key \"a\" is given twice in this object (first at line 1, column 2)");
    /* The same key in two different objects is fine. */
    revops_jdoc d;
    parse_ok(&d, "[{\"a\": 1}, {\"a\": 2}, {\"a\": {\"a\": 3}}]");
    revops_jdoc__free(&d);
}

static void test_limits(void **state)
{
    (void)state;
    /* 64 levels are allowed, 65 are not. */
    char deep[200];
    memset(deep, '[', 65);
    memset(deep + 65, ']', 65);
    deep[130] = '\0';
    parse_err(deep, REVOPS_ETOOBIG, 1, 65, "nest deeper than 64 levels");
    revops_jdoc d;
    deep[0] = ' ';
    deep[129] = ' ';
    parse_ok(&d, deep);
    revops_jdoc__free(&d);
    /* More than 100,000 values. */
    size_t n = 100001;
    char *many = malloc(2 * n + 2);
    assert_non_null(many);
    many[0] = '[';
    for (size_t i = 0; i < n; i++) {
        many[1 + 2 * i] = '0';
        many[2 + 2 * i] = ',';
    }
    many[2 * n] = ']';
    many[2 * n + 1] = '\0';
    assert_int_equal(revops_jdoc__parse(&d, many, strlen(many), NULL), REVOPS_ETOOBIG);
    assert_non_null(strstr(revops_error_last()->message, "more than 100000 values"));
    revops_jdoc__free(&d);
    free(many);
    /* Beyond 1 MiB the text is refused before it is read. */
    assert_int_equal(revops_jdoc__parse(&d, "{}", REVOPS_JSON_MAX_INPUT + 1, NULL), REVOPS_ETOOBIG);
    revops_jdoc__free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lead_object),         cmocka_unit_test(test_every_kind_and_nesting),
        cmocka_unit_test(test_escapes_and_unicode), cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_number_errors),       cmocka_unit_test(test_string_errors),
        cmocka_unit_test(test_duplicate_keys),      cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
