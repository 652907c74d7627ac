/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The CSV reader on real exports: every CSV file of the public data sets beside the checkout
 * (../shared/datasets) reads with the record and column counts its MANIFEST.tsv records, and
 * the first header name comes out clean (no byte-order mark, no CR). The files carry the
 * quirks of real exports: a UTF-8 BOM (AWS SaaS Sales), CRLF line ends (Maven), ';' as the
 * delimiter (ChannelAttribution), quoted headers (Salesforce). Skipped when the data sets are
 * not there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

#define DATASETS REVOPS_SOURCE_DIR "/../shared/datasets"

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void check_file(const char *rel, long records, long cols, const char *header)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", DATASETS, rel);
    revops_csv_options opts = REVOPS_CSV_OPTIONS_INIT;
    /* The manifest's header column shows the file's own delimiter. */
    if (strchr(header, ';') && !strchr(header, ','))
        opts.delimiter = ';';
    revops_csv_reader *r;
    assert_int_equal(revops_csv_open(&r, path, &opts), 0);
    const revops_csv_field *f;
    size_t n;
    assert_int_equal(revops_csv_next(r, &f, &n), 1);
    if ((long)n != cols)
        fail_msg("%s: header has %zu fields, manifest says %ld", rel, n, cols);
    /* The first header name as the manifest shows it, up to the first delimiter or quote. */
    char first[128];
    size_t k = 0;
    for (const char *h = header; *h && *h != opts.delimiter && k + 1 < sizeof(first); h++)
        if (*h != '"')
            first[k++] = *h;
    first[k] = '\0';
    if (strcmp(f[0].ptr, first) != 0)
        fail_msg("%s: first header field is '%s', expected '%s'", rel, f[0].ptr, first);
    long got = 0;
    int rc;
    while ((rc = revops_csv_next(r, &f, &n)) == 1) {
        if (n == 1 && f[0].len == 0 && !f[0].quoted)
            continue;
        got++;
        if ((long)n != cols)
            fail_msg("%s line %ld: %zu fields, expected %ld", rel, revops_csv_line(r), n, cols);
        for (size_t i = 0; i < n; i++)
            if (f[i].len && f[i].ptr[f[i].len - 1] == '\r' && !f[i].quoted)
                fail_msg("%s line %ld: a field ends with CR", rel, revops_csv_line(r));
    }
    assert_int_equal(rc, 0);
    if (got != records)
        fail_msg("%s: %ld records, manifest says %ld", rel, got, records);
    revops_csv_close(r);
}

static void test_every_public_csv_reads_with_its_manifest_counts(void **state)
{
    (void)state;
    char *manifest = test_read(DATASETS "/MANIFEST.tsv");
    if (!manifest) {
        skip();
        return;
    }
    int checked = 0;
    char *next = manifest;
    while (next && *next) {
        char *line = next;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        /* file, bytes, lines, records, cols, sha256, header */
        char *cols[7] = {0};
        char *p = line;
        for (int c = 0; c < 7 && p; c++) {
            cols[c] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (!cols[6] || !ends_with(cols[0], ".csv") || strcmp(cols[3], "-") == 0)
            continue;
        check_file(cols[0], strtol(cols[3], NULL, 10), strtol(cols[4], NULL, 10), cols[6]);
        checked++;
    }
    free(manifest);
    /* 29 CSV files are listed in the manifest of the data sets. */
    assert_true(checked >= 25);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_public_csv_reads_with_its_manifest_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
