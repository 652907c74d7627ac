/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading reports in unit tests: an analysis as JSON text, and one value out of that text.
 * Include after <cmocka.h> and "revops/revops.h".
 */
#ifndef REVOPS_TEST_REPORT_H
#define REVOPS_TEST_REPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The analysis as JSON text (malloc'd): indented (a key per line) or compact. */
static inline char *test_analysis_json(const revops_analysis *a, int indent)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    revops_json *j = NULL;
    assert_int_equal(revops_json_new(&j, indent), 0);
    assert_int_equal(revops_analysis_write_json(a, j), 0);
    assert_int_equal(revops_json_write(j, fp), 0);
    revops_json_free(j);
    assert_int_equal(fclose(fp), 0);
    return text;
}

/* In indented JSON, the text after `"key": ` at the key's first occurrence after `anchor` (or
 * anywhere when anchor is NULL), to the end of the line, without a trailing comma. */
static inline void test_json_value(const char *json, const char *anchor, const char *key, char *out,
                                   size_t cap)
{
    const char *from = json;
    if (anchor && !(from = strstr(json, anchor)))
        fail_msg("no %s in the report", anchor);
    char pattern[128];
    snprintf(pattern, sizeof(pattern), "\"%s\": ", key);
    const char *p = strstr(from, pattern);
    if (!p)
        fail_msg("no %s in the report", key);
    p += strlen(pattern);
    size_t n = strcspn(p, "\n");
    if (n > 0 && p[n - 1] == ',')
        n--;
    if (n >= cap)
        n = cap - 1;
    memcpy(out, p, n);
    out[n] = '\0';
}

#endif
