/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configuration's settings that reach the analyses beyond the common options: the
 * forecast's (method weights, overdue factor, rep shrinkage, runs). Each key is read, written
 * back to the same value, refused out of range at its line and column, and handed to the
 * analysis options; the library refuses the same bad values when they come from a program.
 * tests/e2e/wiring.sh runs the commands with such files on the hand-made sets.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

#define FORECAST_SET REVOPS_SOURCE_DIR "/tests/fixtures/forecast"

static revops_config *load_ok(const char *yaml)
{
    revops_config *c = NULL;
    int rc = revops_config_load_string(&c, yaml, strlen(yaml), "t.yaml", NULL);
    if (rc)
        fail_msg("load failed: %s:%ld:%ld: %s", revops_error_last()->file,
                 revops_error_last()->line, revops_error_last()->column,
                 revops_error_last()->message);
    return c;
}

/* `c` written as YAML and loaded again. */
static revops_config *round_trip(const revops_config *c)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    assert_int_equal(revops_config_write(c, fp), 0);
    assert_int_equal(fclose(fp), 0);
    revops_config *back = load_ok(buf);
    free(buf);
    return back;
}

typedef struct bad_case {
    const char *yaml;
    long line, column;
    const char *says;
} bad_case;

static void expect_errors(const bad_case *cases, size_t n)
{
    int wrong = 0;
    for (size_t i = 0; i < n; i++) {
        const bad_case *b = &cases[i];
        revops_config *c = NULL;
        int rc = revops_config_load_string(&c, b->yaml, strlen(b->yaml), "bad.yaml", NULL);
        const revops_error *e = revops_error_last();
        if (rc != REVOPS_EINVALID || e->line != b->line || e->column != b->column ||
            !strstr(e->message, b->says)) {
            print_error("case %zu: got %d at %ld:%ld '%s'; expected %ld:%ld '%s'\n", i, rc, e->line,
                        e->column, e->message, b->line, b->column, b->says);
            wrong++;
        }
        assert_null(c);
    }
    assert_int_equal(wrong, 0);
}

#define AN "revops:\n  analytics:\n"

static revops_dataset *load_set(const char *dir)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    return ds;
}

/* The analysis as compact JSON text (malloc'd). */
static char *json_of(const revops_analysis *a)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&buf, &len);
    assert_non_null(fp);
    revops_json *j = NULL;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_analysis_write_json(a, j), 0);
    assert_int_equal(revops_json_write(j, fp), 0);
    revops_json_free(j);
    assert_int_equal(fclose(fp), 0);
    return buf;
}

/* ---- the forecast ---- */

static void test_forecast_keys_load_write_and_fill_the_options(void **state)
{
    (void)state;
    revops_config *c = load_ok(AN "    forecast:\n"
                                  "      method_weights: {regression: 1, time_series: 0}\n"
                                  "      overdue_factor: 0.25\n"
                                  "      rep_shrinkage: 0\n"
                                  "      simulations: 1\n");
    /* The weights the file leaves out keep their defaults. */
    assert_true(c->forecast_weights.pipeline_weighted == 0.40);
    assert_true(c->forecast_weights.historical_trend == 0.25);
    assert_true(c->forecast_weights.regression == 1.0);
    assert_true(c->forecast_weights.time_series == 0.0);
    assert_true(c->overdue_factor == 0.25);
    assert_int_equal(c->rep_shrinkage, 0);
    assert_int_equal(c->simulations, 1);
    revops_config *back = round_trip(c);
    assert_memory_equal(&back->forecast_weights, &c->forecast_weights, sizeof(c->forecast_weights));
    assert_true(back->overdue_factor == 0.25);
    assert_int_equal(back->rep_shrinkage, 0);
    assert_int_equal(back->simulations, 1);
    revops_config_free(back);
    /* Into the options; what the configuration does not set stays. */
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    fo.seed = 42;
    fo.deals_limit = 3;
    revops_config_forecast_options(c, &fo);
    assert_true(fo.method_weights[0] == 0.40 && fo.method_weights[1] == 0.25 &&
                fo.method_weights[2] == 1.0 && fo.method_weights[3] == 0.0);
    assert_true(fo.overdue_factor == 0.25);
    assert_int_equal(fo.rep_shrinkage, 0);
    assert_int_equal(fo.simulations, 1);
    assert_int_equal(fo.seed, 42);
    assert_int_equal(fo.deals_limit, 3);
    revops_config_free(c);
}

static void test_forecast_keys_out_of_range_are_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {AN "    forecast:\n      overdue_factor: 1.5\n", 4, 23, "from 0 to 1"},
        {AN "    forecast:\n      overdue_factor: 50%\n", 4, 23, "expected a number"},
        {AN "    forecast:\n      rep_shrinkage: -1\n", 4, 22, "from 0 to 1000000"},
        {AN "    forecast:\n      rep_shrinkage: 2.5\n", 4, 22, "whole number"},
        {AN "    forecast:\n      simulations: 0\n", 4, 20, "from 1 to 100000000"},
        {AN "    forecast:\n      simulations: 100000001\n", 4, 20, "from 1 to 100000000"},
        {AN "    forecast:\n      method_weights: {pipeline_weighted: 0, historical_trend: 0, "
            "regression: 0, time_series: 0}\n",
         4, 23, "the weights add up to 0"},
        {AN "    forecast:\n      method_weights: {regression: -0.1}\n", 4, 36, "from 0% to 100%"},
        {AN "    forecast:\n      overdue: 0.5\n", 4, 7, "unknown key 'overdue'"},
    };
    expect_errors(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The forecast set (tests/fixtures/forecast/README.md) with the configuration's options, as
 * analyze's forecast section and revops_forecast() read them. */
static void test_forecast_settings_reach_both_forecasts(void **state)
{
    (void)state;
    revops_dataset *ds = load_set(FORECAST_SET);
    revops_config *c =
        load_ok(AN "    forecast:\n      overdue_factor: 1\n      simulations: 100\n");
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    revops_config_analysis_options(c, &o);
    revops_config_forecast_options(c, &fo);
    o.forecast = &fo;
    assert_int_equal(revops_day_parse(&o.as_of, "2026-07-15", 10), 0);
    o.period = "2026-Q3";
    o.sections = REVOPS_SECTION_FORECAST;
    /* The README's chances with the overdue O-2 at a time factor of 1 instead of 0.5:
     * 300,000 + 400,000 x 0.75 x 15/13 + 1,000,000 x 0.5 x 5/6 + 80,000 x 0.1 x 0.5 x 5/6 =
     * 300,000 + 346,153.85 + 416,666.67 + 3,333.33 = 1,066,153.85. */
    const char *want = "\"pipeline_weighted\":{\"available\":true,\"value\":\"1066153.85\"";
    revops_analysis *a = NULL;
    assert_int_equal(revops_analyze(&a, ds, &o), 0);
    char *text = json_of(a);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\"runs\":100,"));
    free(text);
    revops_analysis_free(a);
    /* revops_forecast() with no options of its own takes o.forecast. */
    assert_int_equal(revops_forecast(&a, ds, &o, NULL), 0);
    text = json_of(a);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\"runs\":100,"));
    free(text);
    revops_analysis_free(a);
    /* Without them, the README's 857,820.51. */
    o.forecast = NULL;
    assert_int_equal(revops_forecast(&a, ds, &o, NULL), 0);
    text = json_of(a);
    assert_non_null(strstr(text, "\"value\":\"857820.51\""));
    free(text);
    revops_analysis_free(a);
    revops_config_free(c);
    revops_dataset_free(ds);
}

/* Weights a program passes are checked as the loader checks a file's. */
static void test_forecast_refuses_bad_method_weights(void **state)
{
    (void)state;
    revops_dataset *ds = load_set(FORECAST_SET);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    o.forecast = &fo;
    const double bad[][4] = {
        {0, 0, 0, 0}, {-0.1, 0.5, 0.3, 0.3}, {NAN, 0.5, 0.3, 0.3}, {INFINITY, 0, 0, 0}};
    revops_analysis *a = NULL;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(fo.method_weights, bad[i], sizeof(fo.method_weights));
        assert_int_equal(revops_forecast(&a, ds, &o, &fo), REVOPS_EINVALID);
        assert_null(a);
        o.sections = REVOPS_SECTION_FORECAST;
        assert_int_equal(revops_analyze(&a, ds, &o), REVOPS_EINVALID);
        assert_null(a);
    }
    assert_non_null(strstr(revops_error_last()->message, "weights must be finite"));
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_keys_load_write_and_fill_the_options),
        cmocka_unit_test(test_forecast_keys_out_of_range_are_errors),
        cmocka_unit_test(test_forecast_settings_reach_both_forecasts),
        cmocka_unit_test(test_forecast_refuses_bad_method_weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
