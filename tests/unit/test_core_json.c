/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The JSON writer: structure, escaping (RFC 8259 section 7), numbers that read back exactly,
 * money as exact strings, and misuse refused rather than written.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "revops/json.h"

static void test_compact_document(void **state)
{
    (void)state;
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 0), 0);
    revops_json_begin_object(j);
    revops_json_key(j, "name");
    revops_json_string(j, "Acme \"Shop\"\\\n\t\x01");
    revops_json_key(j, "n");
    revops_json_int(j, -42);
    revops_json_key(j, "big");
    revops_json_int(j, INT64_MIN);
    revops_json_key(j, "ratio");
    revops_json_double(j, 0.1);
    revops_json_key(j, "third");
    revops_json_double(j, 1.0 / 3.0);
    revops_json_key(j, "nan");
    revops_json_double(j, NAN);
    revops_json_key(j, "inf");
    revops_json_double(j, INFINITY);
    revops_json_key(j, "amount");
    revops_json_money(j, -123450, 2);
    revops_json_key(j, "list");
    revops_json_begin_array(j);
    revops_json_bool(j, 1);
    revops_json_bool(j, 0);
    revops_json_null(j);
    revops_json_begin_object(j);
    revops_json_end_object(j);
    revops_json_begin_array(j);
    revops_json_end_array(j);
    revops_json_end_array(j);
    revops_json_key(j, "utf8");
    revops_json_string(j, "Москва \xff end");
    assert_int_equal(revops_json_end_object(j), 0);
    size_t len;
    const char *text = revops_json_text(j, &len);
    assert_non_null(text);
    assert_string_equal(text, "{\"name\":\"Acme \\\"Shop\\\"\\\\\\n\\t\\u0001\",\"n\":-42,"
                              "\"big\":-9223372036854775808,\"ratio\":0.1,"
                              "\"third\":0.3333333333333333,\"nan\":null,\"inf\":null,"
                              "\"amount\":\"-1234.50\",\"list\":[true,false,null,{},[]],"
                              "\"utf8\":\"Москва \\ufffd end\"}");
    assert_int_equal(len, strlen(text));
    revops_json_free(j);
}

static void test_pretty_document(void **state)
{
    (void)state;
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 1), 0);
    revops_json_begin_object(j);
    revops_json_key(j, "a");
    revops_json_begin_array(j);
    revops_json_int(j, 1);
    revops_json_int(j, 2);
    revops_json_end_array(j);
    revops_json_key(j, "b");
    revops_json_begin_object(j);
    revops_json_end_object(j);
    revops_json_end_object(j);
    assert_string_equal(revops_json_text(j, NULL),
                        "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": {}\n}");
    revops_json_free(j);
}

static void test_misuse_is_an_error_not_output(void **state)
{
    (void)state;
    revops_json *j;
    /* A value inside an object without a key. */
    assert_int_equal(revops_json_new(&j, 0), 0);
    revops_json_begin_object(j);
    assert_int_equal(revops_json_int(j, 1), REVOPS_EINTERNAL);
    assert_int_equal(revops_json_end_object(j), REVOPS_EINTERNAL); /* errors are sticky */
    assert_null(revops_json_text(j, NULL));
    revops_json_free(j);
    /* Unbalanced ends, a key outside an object, two top-level values, an open document. */
    assert_int_equal(revops_json_new(&j, 0), 0);
    revops_json_begin_array(j);
    assert_int_equal(revops_json_end_object(j), REVOPS_EINTERNAL);
    revops_json_free(j);
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_json_key(j, "k"), REVOPS_EINTERNAL);
    revops_json_free(j);
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_json_int(j, 1), 0);
    assert_int_equal(revops_json_int(j, 2), REVOPS_EINTERNAL);
    revops_json_free(j);
    assert_int_equal(revops_json_new(&j, 0), 0);
    revops_json_begin_array(j);
    assert_null(revops_json_text(j, NULL));
    revops_json_free(j);
}

static void test_doubles_read_back_exactly(void **state)
{
    (void)state;
    const double values[] = {0.0, -0.5, 1e-300, 123456789.123456789, 2.0 / 3.0, 1e21, 0.3};
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        revops_json *j;
        assert_int_equal(revops_json_new(&j, 0), 0);
        assert_int_equal(revops_json_double(j, values[i]), 0);
        const char *text = revops_json_text(j, NULL);
        assert_true(strtod(text, NULL) == values[i]);
        revops_json_free(j);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compact_document),
        cmocka_unit_test(test_pretty_document),
        cmocka_unit_test(test_misuse_is_an_error_not_output),
        cmocka_unit_test(test_doubles_read_back_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
