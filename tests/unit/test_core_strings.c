/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * String interning, buffers with caps, the arena, UTF-8 validation (RFC 3629) and the
 * error record with its code tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/strpool.h"
#include "core/utf8.h"

static void test_interning(void **state)
{
    (void)state;
    revops_strpool p;
    assert_int_equal(revops_strpool__init(&p), 0);
    revops_str a, b, c, e;
    assert_int_equal(revops_strpool__intern(&p, "", 0, &e), 0);
    assert_int_equal(e, 0); /* the empty string is id 0 */
    assert_string_equal(revops_strpool__get(&p, 0), "");
    assert_int_equal(revops_strpool__intern(&p, "Moscow", 6, &a), 0);
    assert_int_equal(revops_strpool__intern(&p, "Moscow-ignored", 6, &b), 0);
    assert_int_equal(a, b); /* only `len` bytes count */
    assert_int_equal(revops_strpool__intern(&p, "moscow", 6, &c), 0);
    assert_int_not_equal(a, c); /* case matters */
    assert_string_equal(revops_strpool__get(&p, a), "Moscow");
    assert_int_equal(revops_strpool__len(&p, a), 6);
    /* Embedded NUL bytes are part of the string. */
    revops_str n1, n2;
    assert_int_equal(revops_strpool__intern(&p, "a\0b", 3, &n1), 0);
    assert_int_equal(revops_strpool__intern(&p, "a\0c", 3, &n2), 0);
    assert_int_not_equal(n1, n2);
    revops_str found;
    assert_int_equal(revops_strpool__find(&p, "Moscow", 6, &found), 0);
    assert_int_equal(found, a);
    assert_int_equal(revops_strpool__find(&p, "Kazan", 5, &found), REVOPS_ENOTFOUND);
    revops_strpool__free(&p);
}

/* 200,000 strings force many rehashes; every id must still name its own string, and the
 * pointers handed out earlier must stay valid. */
static void test_many_strings_keep_their_ids(void **state)
{
    (void)state;
    revops_strpool p;
    assert_int_equal(revops_strpool__init(&p), 0);
    enum { N = 200000 };
    static revops_str ids[N];
    const char *first = NULL;
    char buf[32];
    for (int i = 0; i < N; i++) {
        int len = snprintf(buf, sizeof(buf), "O-%d", i);
        assert_int_equal(revops_strpool__intern(&p, buf, (size_t)len, &ids[i]), 0);
        if (i == 0)
            first = revops_strpool__get(&p, ids[0]);
    }
    assert_int_equal(p.count, N + 1);
    for (int i = 0; i < N; i += 7) {
        int len = snprintf(buf, sizeof(buf), "O-%d", i);
        revops_str again;
        assert_int_equal(revops_strpool__intern(&p, buf, (size_t)len, &again), 0);
        assert_int_equal(again, ids[i]);
        assert_string_equal(revops_strpool__get(&p, ids[i]), buf);
    }
    assert_ptr_equal(first, revops_strpool__get(&p, ids[0]));
    assert_string_equal(first, "O-0");
    revops_strpool__free(&p);
}

static void test_buffers_and_their_caps(void **state)
{
    (void)state;
    revops_buf b = REVOPS_BUF_INIT;
    assert_int_equal(revops_buf__puts(&b, "pipe"), 0);
    assert_int_equal(revops_buf__printf(&b, "line %d", 42), 0);
    assert_int_equal(revops_buf__putc(&b, '!'), 0);
    assert_string_equal(b.data, "pipeline 42!");
    revops_buf__clear(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.data, "");
    revops_buf__free(&b);

    revops_buf capped = REVOPS_BUF_INIT;
    capped.max = 10;
    assert_int_equal(revops_buf__append(&capped, "0123456789", 10), 0); /* exactly the cap */
    assert_int_equal(revops_buf__append(&capped, "x", 1), REVOPS_ETOOBIG);
    assert_int_equal(capped.len, 10); /* unchanged by the refused append */
    assert_non_null(strstr(revops_error_last()->message, "limit of 10 bytes"));
    assert_int_equal(revops_buf__reserve(&capped, SIZE_MAX), REVOPS_ETOOBIG);
    char *owned = revops_buf__detach(&capped);
    assert_string_equal(owned, "0123456789");
    free(owned);
    assert_null(capped.data);
}

static void test_arena(void **state)
{
    (void)state;
    revops_arena a = REVOPS_ARENA_INIT;
    char *s = revops_arena__strndup(&a, "hello world", 5);
    assert_string_equal(s, "hello");
    for (int i = 0; i < 1000; i++) {
        void *p = revops_arena__alloc(&a, (size_t)(i % 13) + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 8, 0);
    }
    void *big = revops_arena__alloc(&a, 1 << 20); /* larger than a chunk */
    assert_non_null(big);
    memset(big, 1, 1 << 20);
    assert_string_equal(s, "hello"); /* earlier allocations stay put */
    revops_arena__free(&a);
    revops_arena capped = REVOPS_ARENA_INIT;
    capped.max = 1000;
    assert_null(revops_arena__alloc(&capped, 4096));
    assert_int_equal(revops_error_last()->code, REVOPS_ETOOBIG);
    revops_arena__free(&capped);
}

static void expect_utf8(const char *s, size_t len, int valid, size_t bad_at)
{
    size_t bad = 12345;
    int got = revops_utf8__valid(s, len, &bad);
    assert_int_equal(got, valid);
    if (!valid)
        assert_int_equal(bad, bad_at);
}

static void test_utf8(void **state)
{
    (void)state;
    expect_utf8("plain ascii text, longer than eight bytes", 41, 1, 0);
    expect_utf8("Москва", strlen("Москва"), 1, 0);
    expect_utf8("\xF0\x9F\x98\x80 emoji", 10, 1, 0);
    expect_utf8("\xEF\xBF\xBF", 3, 1, 0);     /* U+FFFF */
    expect_utf8("\xF4\x8F\xBF\xBF", 4, 1, 0); /* U+10FFFF, the last code point */
    expect_utf8("abc\xff", 4, 0, 3);          /* never valid */
    expect_utf8("ab\xC0\xAF", 4, 0, 2);       /* overlong '/' */
    expect_utf8("\xE0\x80\xAF", 3, 0, 0);     /* overlong, three bytes */
    expect_utf8("x\xED\xA0\x80", 4, 0, 1);    /* surrogate U+D800 */
    expect_utf8("\xF4\x90\x80\x80", 4, 0, 0); /* beyond U+10FFFF */
    expect_utf8("caf\xC3", 4, 0, 3);          /* truncated sequence */
    expect_utf8("12345678\xC3(", 10, 0, 8);   /* bad continuation after a fast block */
    expect_utf8("nul\0byte", 8, 0, 3);        /* NUL refused in text */
    expect_utf8("caf\xE9", 4, 0, 3);          /* cp1252 e-acute */
}

static void test_error_record_and_tables(void **state)
{
    (void)state;
    revops_error_clear();
    assert_int_equal(revops_error_last()->code, REVOPS_OK);
    int rc = revops_error__set_at(REVOPS_EINVALID, "deals.csv", 12, 3, "amount", "bad %s", "value");
    assert_int_equal(rc, REVOPS_EINVALID);
    const revops_error *e = revops_error_last();
    assert_string_equal(e->message, "bad value");
    assert_string_equal(e->file, "deals.csv");
    assert_int_equal(e->line, 12);
    assert_int_equal(e->column, 3);
    assert_string_equal(e->field, "amount");
    revops_error__prefix("importing %s", "x");
    assert_string_equal(revops_error_last()->message, "importing x: bad value");
    /* A long prefix and message are cut, not overflowed. */
    char longs[2000];
    memset(longs, 'a', sizeof(longs) - 1);
    longs[sizeof(longs) - 1] = '\0';
    revops_error__set(REVOPS_EIO, "%s", longs);
    revops_error__prefix("%s", longs);
    assert_int_equal(strlen(revops_error_last()->message), sizeof(e->message) - 1);

    assert_string_equal(revops_error_code_name(REVOPS_EINVALID), "invalid");
    assert_string_equal(revops_error_code_name(REVOPS_ENOTFOUND), "not_found");
    assert_string_equal(revops_error_code_name(-99), "internal");
    assert_int_equal(revops_error_exit_status(REVOPS_OK), 0);
    assert_int_equal(revops_error_exit_status(REVOPS_EINVALID), 2);
    assert_int_equal(revops_error_exit_status(REVOPS_EINTERNAL), 1);
    assert_int_equal(revops_error_exit_status(REVOPS_ENOMEM), 1);
    assert_int_equal(revops_error_http_status(REVOPS_EINVALID), 400);
    assert_int_equal(revops_error_http_status(REVOPS_ENOTFOUND), 404);
    assert_int_equal(revops_error_http_status(REVOPS_EEXISTS), 409);
    assert_int_equal(revops_error_http_status(REVOPS_ETOOBIG), 413);
    assert_int_equal(revops_error_http_status(REVOPS_EINTERNAL), 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interning),
        cmocka_unit_test(test_many_strings_keep_their_ids),
        cmocka_unit_test(test_buffers_and_their_caps),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_error_record_and_tables),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
