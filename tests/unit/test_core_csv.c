/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV reader and writer: RFC 4180 quoting, line ends of every kind, a byte-order mark,
 * records that span the reader's 1 MiB blocks, limits, and errors with their line and column.
 * Expected fields are written out by hand beside each input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "revops/csv.h"

/* Reads all records of `text` and renders them as "a|b|c\n" lines (fields joined by '|'),
 * with the starting line of each record before a ':'. */
static char *render(const char *text, size_t len, char delim, int *rc_out)
{
    revops_csv_options opts = REVOPS_CSV_OPTIONS_INIT;
    opts.delimiter = delim;
    revops_csv_reader *r;
    assert_int_equal(revops_csv_open_memory(&r, text, len, &opts), 0);
    size_t cap = len * 2 + 256, used = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    out[0] = '\0';
    const revops_csv_field *f;
    size_t n;
    int rc;
    while ((rc = revops_csv_next(r, &f, &n)) == 1) {
        used += (size_t)snprintf(out + used, cap - used, "%ld:", revops_csv_line(r));
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(strlen(f[i].ptr), f[i].len); /* NUL-terminated */
            used += (size_t)snprintf(out + used, cap - used, "%s%s", i ? "|" : "", f[i].ptr);
        }
        used += (size_t)snprintf(out + used, cap - used, "\n");
    }
    *rc_out = rc;
    revops_csv_close(r);
    return out;
}

static void expect_records(const char *text, char delim, const char *expected)
{
    int rc;
    char *got = render(text, strlen(text), delim, &rc);
    assert_int_equal(rc, 0);
    if (strcmp(got, expected) != 0)
        fail_msg("input:\n%s\ngot:\n%s\nexpected:\n%s", text, got, expected);
    free(got);
}

static void test_rfc4180_records(void **state)
{
    (void)state;
    expect_records("a,b,c\n1,2,3\n", ',', "1:a|b|c\n2:1|2|3\n");
    expect_records("a,b\r\n1,2\r\n", ',', "1:a|b\n2:1|2\n"); /* CRLF */
    expect_records("a,b\r1,2\r", ',', "1:a|b\n2:1|2\n");     /* old Mac CR */
    expect_records("a,b\n1,2", ',', "1:a|b\n2:1|2\n");       /* no final newline */
    expect_records("\xEF\xBB\xBF"
                   "id,x\n1,2\n",
                   ',', "1:id|x\n2:1|2\n");                            /* BOM dropped */
    expect_records("\"a,b\",c\n", ',', "1:a,b|c\n");                   /* quoted delimiter */
    expect_records("\"say \"\"hi\"\"\",x\n", ',', "1:say \"hi\"|x\n"); /* doubled quotes */
    expect_records("\"\",x,\n", ',', "1:|x|\n");                       /* empty fields */
    expect_records("a,,\n", ',', "1:a||\n");                           /* trailing delims */
    expect_records("12\" screen,x\n", ',', "1:12\" screen|x\n");       /* bare quote kept */
    expect_records("a\n\nb\n", ',', "1:a\n2:\n3:b\n");                 /* blank line */
    expect_records("a;b;\"c;d\"\n", ';', "1:a|b|c;d\n");               /* ';' delimiter */
    expect_records("a\tb\n", '\t', "1:a|b\n");                         /* tab delimiter */
    /* Line breaks inside quotes are data, and line numbers keep counting them. */
    expect_records("id,note\n1,\"two\nlines\"\n2,x\n", ',', "1:id|note\n2:1|two\nlines\n4:2|x\n");
    expect_records("1,\"a\r\nb\"\r\n2,y\r\n", ',', "1:1|a\r\nb\n3:2|y\n");
    expect_records("", ',', "");
}

static void expect_error(const char *text, int code, long line, long column, const char *part)
{
    int rc;
    char *got = render(text, strlen(text), ',', &rc);
    free(got);
    assert_int_equal(rc, code);
    const revops_error *e = revops_error_last();
    if (e->line != line || (column >= 0 && e->column != column) || !strstr(e->message, part))
        fail_msg("'%s': line %ld column %ld '%s'", text, e->line, e->column, e->message);
    assert_string_equal(e->file, "<memory>");
}

static void test_syntax_errors_name_the_place(void **state)
{
    (void)state;
    expect_error("a,b\n1,\"open\n2,3\n", REVOPS_EINVALID, 2, -1,
                 "a quoted field opened on line 2 is never closed");
    expect_error("a,b\n\"x\"y,2\n", REVOPS_EINVALID, 2, 4, "unexpected 'y' after a closing quote");
    /* After an error the reader stays at the end. */
    revops_csv_reader *r;
    const char *text = "\"x\"y\nnext\n";
    assert_int_equal(revops_csv_open_memory(&r, text, strlen(text), NULL), 0);
    const revops_csv_field *f;
    size_t n;
    assert_int_equal(revops_csv_next(r, &f, &n), REVOPS_EINVALID);
    assert_int_equal(revops_csv_next(r, &f, &n), 0);
    revops_csv_close(r);
}

static void test_limits(void **state)
{
    (void)state;
    revops_csv_options opts = REVOPS_CSV_OPTIONS_INIT;
    opts.max_record = 16;
    revops_csv_reader *r;
    const char *text = "short,ok\nthis record is far too long for the limit\n";
    assert_int_equal(revops_csv_open_memory(&r, text, strlen(text), &opts), 0);
    const revops_csv_field *f;
    size_t n;
    assert_int_equal(revops_csv_next(r, &f, &n), 1);
    assert_int_equal(revops_csv_next(r, &f, &n), REVOPS_ETOOBIG);
    assert_int_equal(revops_error_last()->line, 2);
    revops_csv_close(r);

    opts = (revops_csv_options)REVOPS_CSV_OPTIONS_INIT;
    opts.max_fields = 3;
    text = "a,b,c\na,b,c,d\n";
    assert_int_equal(revops_csv_open_memory(&r, text, strlen(text), &opts), 0);
    assert_int_equal(revops_csv_next(r, &f, &n), 1);
    assert_int_equal(revops_csv_next(r, &f, &n), REVOPS_ETOOBIG);
    assert_non_null(strstr(revops_error_last()->message, "more than 3 fields"));
    revops_csv_close(r);
}

static char *temp_file(const char *content, size_t len)
{
    char *path = malloc(64);
    assert_non_null(path);
    snprintf(path, 64, "/tmp/revops-csv-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, content, len), (ssize_t)len);
    close(fd);
    return path;
}

/* 40,000 records of ~100 bytes (4 MB): quoted fields with line breaks and doubled quotes fall
 * on every kind of block boundary; each record must come back exactly. */
static void test_file_larger_than_a_block(void **state)
{
    (void)state;
    size_t cap = 8 << 20, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    len += (size_t)snprintf(text + len, cap - len, "\xEF\xBB\xBFid,note,amount\r\n");
    const int nrec = 40000;
    for (int i = 0; i < nrec; i++)
        len += (size_t)snprintf(text + len, cap - len,
                                "R-%d,\"line one of %d\r\nsays \"\"%d\"\", ok\",%d.%02d\r\n", i, i,
                                i * 7, i, i % 100);
    char *path = temp_file(text, len);
    revops_csv_reader *r;
    assert_int_equal(revops_csv_open(&r, path, NULL), 0);
    assert_int_equal(revops_csv_size(r), len);
    const revops_csv_field *f;
    size_t n;
    assert_int_equal(revops_csv_next(r, &f, &n), 1);
    assert_string_equal(f[0].ptr, "id");
    for (int i = 0; i < nrec; i++) {
        assert_int_equal(revops_csv_next(r, &f, &n), 1);
        assert_int_equal(n, 3);
        char want[128];
        snprintf(want, sizeof(want), "R-%d", i);
        assert_string_equal(f[0].ptr, want);
        snprintf(want, sizeof(want), "line one of %d\r\nsays \"%d\", ok", i, i * 7);
        assert_string_equal(f[1].ptr, want);
        assert_true(f[1].quoted);
        snprintf(want, sizeof(want), "%d.%02d", i, i % 100);
        assert_string_equal(f[2].ptr, want);
        /* Each record takes two physical lines, after the header's one. */
        assert_int_equal(revops_csv_line(r), 2 + 2L * i);
    }
    assert_int_equal(revops_csv_next(r, &f, &n), 0);
    assert_int_equal(revops_csv_offset(r), len);
    revops_csv_close(r);
    unlink(path);
    free(path);
    free(text);
}

static void test_open_errors(void **state)
{
    (void)state;
    revops_csv_reader *r;
    assert_int_equal(revops_csv_open(&r, "/nonexistent/x.csv", NULL), REVOPS_EIO);
    assert_non_null(strstr(revops_error_last()->message, "cannot open"));
    assert_int_equal(revops_csv_open(&r, "/tmp", NULL), REVOPS_EIO);
    assert_non_null(strstr(revops_error_last()->message, "is a directory"));
}

static void test_writer_quotes_only_when_needed_and_round_trips(void **state)
{
    (void)state;
    const char *fields[] = {"\xEF\xBB\xBF"
                            "bom",
                            "plain",
                            "with,comma",
                            "say \"hi\"",
                            "two\nlines",
                            " padded ",
                            "",
                            "cr\rhere",
                            "ünïcode"};
    size_t nf = sizeof(fields) / sizeof(fields[0]);
    char path[] = "/tmp/revops-csvw-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    revops_csv_writer *w;
    assert_int_equal(revops_csv_writer_open(&w, path, ','), 0);
    for (size_t i = 0; i < nf; i++)
        assert_int_equal(revops_csv_write_field(w, fields[i], strlen(fields[i])), 0);
    assert_int_equal(revops_csv_end_record(w), 0);
    assert_int_equal(revops_csv_write_plain(w, "1", 1), 0);
    assert_int_equal(revops_csv_write_plain(w, "2", 1), 0);
    assert_int_equal(revops_csv_end_record(w), 0);
    assert_int_equal(revops_csv_writer_close(w), 0);

    FILE *fp = fopen(path, "rb");
    char text[512];
    size_t len = fread(text, 1, sizeof(text) - 1, fp);
    fclose(fp);
    text[len] = '\0';
    assert_string_equal(text,
                        "\"\xEF\xBB\xBF"
                        "bom\",plain,\"with,comma\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded \","
                        ",\"cr\rhere\",ünïcode\n1,2\n");
    revops_csv_reader *r;
    assert_int_equal(revops_csv_open(&r, path, NULL), 0);
    const revops_csv_field *f;
    size_t n;
    assert_int_equal(revops_csv_next(r, &f, &n), 1);
    assert_int_equal(n, nf);
    for (size_t i = 0; i < nf; i++)
        assert_string_equal(f[i].ptr, fields[i]);
    revops_csv_close(r);
    unlink(path);
    assert_int_equal(revops_csv_writer_open(&w, "/nonexistent/dir/x.csv", ','), REVOPS_EIO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4180_records),
        cmocka_unit_test(test_syntax_errors_name_the_place),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_file_larger_than_a_block),
        cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_writer_quotes_only_when_needed_and_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
