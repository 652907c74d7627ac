/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sections of `revops analyze` run side by side on every core, each on its own copy of the
 * context and into its own report, joined in report order afterwards. What a section reports
 * must not depend on that: each one run alone gives, byte for byte, the same JSON as its part
 * of the analysis with every section; and the joined report keeps the sections in report
 * order. Also the report tree's adoption, which does the joining.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "report/tree.h"
#include "revops/revops.h"
#include "test_report.h"
#include "test_util.h"

static const struct {
    unsigned bit;
    const char *key;
} sections[] = {
    {REVOPS_SECTION_PIPELINE, "pipeline"}, {REVOPS_SECTION_FUNNEL, "funnel"},
    {REVOPS_SECTION_WINLOSS, "winloss"},   {REVOPS_SECTION_TEAM, "team"},
    {REVOPS_SECTION_SAAS, "saas"},         {REVOPS_SECTION_COHORTS, "cohorts"},
    {REVOPS_SECTION_REVREC, "revrec"},     {REVOPS_SECTION_PROFITABILITY, "profitability"},
    {REVOPS_SECTION_FORECAST, "forecast"},
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

static char *analysis_json(const revops_dataset *ds, unsigned bits)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.currency = "RUB";
    o.sections = bits;
    revops_analysis *a = NULL;
    assert_int_equal(revops_analyze(&a, ds, &o), 0);
    char *text = test_analysis_json(a, 1);
    revops_analysis_free(a);
    return text;
}

/* The text of a top-level key's object, from its key to its closing brace (malloc'd), as the
 * indenting writer lays it out: the key two spaces in, the brace alone two spaces in. */
static char *top_level(const char *json, const char *key)
{
    char open[64];
    snprintf(open, sizeof(open), "\n  \"%s\": {", key);
    const char *from = strstr(json, open);
    if (!from)
        return NULL;
    const char *to = strstr(from + 1, "\n  }");
    assert_non_null(to);
    size_t n = (size_t)(to - from) + 4;
    char *out = malloc(n + 1);
    assert_non_null(out);
    memcpy(out, from, n);
    out[n] = '\0';
    return out;
}

static int make_data(void **state)
{
    char *dir = test_tmpdir();
    revops_gen_options g = REVOPS_GEN_OPTIONS_INIT;
    g.out_dir = dir;
    g.scale = 1200;
    g.seed = 5;
    if (revops_gen(&g, NULL))
        return -1;
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    int rc = revops_dataset_load_csv(&ds, dir, &io, &r);
    revops_import_report_free(&r);
    test_rmdir(dir);
    *state = ds;
    return rc;
}

static int free_data(void **state)
{
    revops_dataset_free(*state);
    return 0;
}

/* Each section alone equals its part of the whole analysis, which keeps the report order. */
static void test_each_section_alone_equals_its_part(void **state)
{
    const revops_dataset *ds = *state;
    char *all = analysis_json(ds, REVOPS_SECTION_ALL & ~REVOPS_SECTION_SCORECARD);
    const char *last = all;
    for (size_t i = 0; i < NSECTIONS; i++) {
        char *alone_text = analysis_json(ds, sections[i].bit);
        char *alone = top_level(alone_text, sections[i].key);
        char *part = top_level(all, sections[i].key);
        if (!alone || !part)
            fail_msg("section %s is missing from a report", sections[i].key);
        if (strcmp(alone, part) != 0)
            fail_msg("section %s alone differs from its part of the whole analysis",
                     sections[i].key);
        /* Report order: each section after the one before it. */
        char open[64];
        snprintf(open, sizeof(open), "\n  \"%s\": {", sections[i].key);
        const char *at = strstr(all, open);
        assert_true(at > last);
        last = at;
        free(alone);
        free(part);
        free(alone_text);
    }
    free(all);
}

/* The whole analysis, scorecard included, is the same bytes run after run. */
static void test_analysis_is_deterministic(void **state)
{
    const revops_dataset *ds = *state;
    char *first = analysis_json(ds, 0);
    for (int run = 0; run < 3; run++) {
        char *again = analysis_json(ds, 0);
        assert_string_equal(first, again);
        free(again);
    }
    /* The scorecard comes first, and grades what the other sections computed. */
    assert_non_null(strstr(first, "\"scorecard\": {"));
    assert_true(strstr(first, "\"scorecard\": {") < strstr(first, "\"pipeline\": {"));
    free(first);
}

static char *tree_json(const revops_rt *rt)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    revops_json *j = NULL;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_rt__write_json(rt, j), 0);
    assert_int_equal(revops_json_write(j, fp), 0);
    revops_json_free(j);
    assert_int_equal(fclose(fp), 0);
    return text;
}

/* Adopted entries follow the tree's own, in adoption order, and stay usable after. */
static void test_adopt_appends_in_order(void **state)
{
    (void)state;
    revops_rt *rt, *a, *b, *empty;
    assert_int_equal(revops_rt__new(&rt, "EUR", 2), 0);
    assert_int_equal(revops_rt__new(&a, "EUR", 2), 0);
    assert_int_equal(revops_rt__new(&b, "EUR", 2), 0);
    assert_int_equal(revops_rt__new(&empty, "EUR", 2), 0);
    revops_rt__count(revops_rt__root(rt), "first", NULL, 1);
    revops_rt_node *sa = revops_rt__section(revops_rt__root(a), "a", NULL);
    revops_rt__money(sa, "amount", NULL, 12345);
    revops_rt__count(revops_rt__root(b), "b", NULL, 2);
    assert_int_equal(revops_rt__adopt(rt, b), 0);
    assert_int_equal(revops_rt__adopt(rt, empty), 0);
    assert_int_equal(revops_rt__adopt(rt, a), 0);
    /* A node of an adopted tree still grows, in its own tree's memory. */
    revops_rt__count(sa, "later", NULL, 3);
    revops_rt__count(revops_rt__root(rt), "last", NULL, 4);
    char *text = tree_json(rt);
    assert_string_equal(text, "{\"first\":1,\"b\":2,\"a\":{\"amount\":\"123.45\",\"later\":3},"
                              "\"last\":4}\n");
    free(text);
    revops_rt__free(rt);
}

/* An adopted tree's error marks the tree that adopts it; a marked tree frees what it is
 * given. */
static void test_adopt_carries_errors(void **state)
{
    (void)state;
    revops_rt *rt, *a, *b;
    assert_int_equal(revops_rt__new(&rt, "EUR", 2), 0);
    assert_int_equal(revops_rt__new(&a, "EUR", 2), 0);
    assert_int_equal(revops_rt__new(&b, "EUR", 2), 0);
    /* A row with more cells than the table has columns marks its tree. */
    static const revops_rt_column one[] = {{"n", "n", REVOPS_RT_COUNT, 0, 0}};
    revops_rt_table *t = revops_rt__table(revops_rt__root(a), "t", NULL, one, 1);
    revops_rt__row(t);
    revops_rt__cell_count(t, 1);
    revops_rt__cell_count(t, 2);
    assert_int_equal(revops_rt__error(a), REVOPS_EINTERNAL);
    assert_int_equal(revops_rt__adopt(rt, a), REVOPS_EINTERNAL);
    assert_int_equal(revops_rt__error(rt), REVOPS_EINTERNAL);
    assert_int_equal(revops_rt__adopt(rt, b), REVOPS_EINTERNAL);
    revops_rt__free(rt);
}

int main(void)
{
    const struct CMUnitTest tree_tests[] = {
        cmocka_unit_test(test_adopt_appends_in_order),
        cmocka_unit_test(test_adopt_carries_errors),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_section_alone_equals_its_part),
        cmocka_unit_test(test_analysis_is_deterministic),
    };
    int failed = cmocka_run_group_tests(tree_tests, NULL, NULL);
    return failed + cmocka_run_group_tests(tests, make_data, free_data);
}
