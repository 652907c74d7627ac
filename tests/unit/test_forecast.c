/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast's edge cases, each on a few hand-written rows: no history at all, a period with
 * no open deals, one huge deal, bad options. The numbers in the comments are worked out by
 * hand from the rows above them. (tests/fixtures/forecast covers the full report, a target
 * already reached and the backtest.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_report.h"
#include "test_util.h"

static const char *reps = "id,name,role,team_id,hired_at\n"
                          "R-1,Ann,ae,,2024-01-01\n";

/* Two open deals created in June 2026, nothing ever closed. */
static const char *young = "id,owner_id,created_at,stage,amount,currency,close_date\n"
                           "O-1,R-1,2026-06-01,proposal,200000.00,RUB,2026-07-20\n"
                           "O-2,R-1,2026-06-10,negotiation,100000.00,RUB,2026-08-10\n";

/* Forecasts and returns the JSON text (malloc'd), or NULL when the forecast failed. */
static char *forecast(const char *opportunity, const char *as_of, const char *period,
                      const char *target)
{
    char *dir = test_tmpdir();
    test_write(dir, "rep.csv", reps);
    test_write(dir, "opportunity.csv", opportunity);
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    test_rmdir(dir);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    assert_int_equal(revops_day_parse(&o.as_of, as_of, strlen(as_of)), 0);
    o.period = period;
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    fo.target = target;
    fo.backtest = 2;
    revops_analysis *a = NULL;
    char *text = NULL;
    if (revops_forecast(&a, ds, &o, &fo) == 0) {
        text = test_analysis_json(a, 1);
        revops_analysis_free(a);
    }
    revops_dataset_free(ds);
    return text;
}

static void assert_value(const char *json, const char *anchor, const char *key,
                         const char *expected)
{
    char got[256];
    test_json_value(json, anchor, key, got, sizeof(got));
    assert_string_equal(got, expected);
}

static double number_of(const char *json, const char *anchor, const char *key)
{
    char got[64];
    test_json_value(json, anchor, key, got, sizeof(got));
    return strtod(got[0] == '"' ? got + 1 : got, NULL);
}

/*
 * No closed deal, two months of data: only the pipeline-weighted method runs. No median stay
 * (no aging), nothing overdue, no closed deal for the rep factor (1), no slippage history
 * (0): 200,000 x 0.50 + 100,000 x 0.75 = 175,000.00, which is also the ensemble and the
 * simulation's analytic mean. Without a win rate the pipeline needed for the target is n/a.
 */
static void test_no_history(void **state)
{
    (void)state;
    char *json = forecast(young, "2026-06-30", "2026-Q3", "300000");
    assert_non_null(json);
    assert_value(json, "\"pipeline_weighted\"", "value", "\"175000.00\"");
    assert_value(json, "\"pipeline_weighted\"", "weight", "1");
    assert_value(json, "\"historical_trend\"", "available", "false");
    assert_value(json, "\"historical_trend\"", "reason",
                 "\"the data begin after the same period last year (2025-Q3) started\"");
    assert_value(json, "\"regression\"", "reason",
                 "\"needs 4 finished periods with a start pipeline, has 0\"");
    assert_value(json, "\"time_series\"", "reason",
                 "\"needs 6 finished months of bookings, has 0\"");
    assert_value(json, "\"ensemble\"", "value", "\"175000.00\"");
    assert_value(json, NULL, "analytic_mean", "\"175000.00\"");
    assert_value(json, NULL, "slippage_rate", "0");
    assert_value(json, NULL, "pipeline_needed", "null");
    assert_value(json, NULL, "pipeline_needed_reason",
                 "\"no win rate: no deal closed in the window\"");
    /* Both deals are needed for 300,000: 0.5 x 0.75 = 0.375. */
    double p = number_of(json, NULL, "probability_of_target");
    assert_true(p > 0.36 && p < 0.39);
    /* The backtest ran on two quarters before any deal existed: no accuracy anywhere. */
    assert_value(json, "\"accuracy_summary\"", "periods", "0");
    free(json);
}

/* A period with no open deal and nothing booked: every run totals 0. */
static void test_period_without_open_deals(void **state)
{
    (void)state;
    char *json = forecast(young, "2026-06-30", "2026-Q4", "1");
    assert_non_null(json);
    assert_value(json, NULL, "open_deals", "0");
    assert_value(json, NULL, "expected", "\"0.00\"");
    assert_value(json, NULL, "p10", "\"0.00\"");
    assert_value(json, NULL, "p90", "\"0.00\"");
    assert_value(json, NULL, "probability_of_target", "0");
    assert_value(json, NULL, "gap_to_target", "\"1.00\"");
    assert_value(json, "\"pipeline_weighted\"", "value", "\"0.00\"");
    free(json);
}

/*
 * One huge deal beside a small one: 1,000,000,000.00 in proposal (0.5) and 1,000.00 in
 * negotiation (0.75). The totals are 0, 1,000, 1e9 or 1e9 + 1,000 with chances 0.125, 0.375,
 * 0.125, 0.375: P10 is 0 (0.125 > 0.1), P90 1e9 + 1,000 (0.625 < 0.9), the chance of
 * 500,000,000 is 0.5 and the mean 500,000,750 (within 1 %).
 */
static void test_one_huge_deal(void **state)
{
    (void)state;
    const char *rows = "id,owner_id,created_at,stage,amount,currency,close_date\n"
                       "O-1,R-1,2026-06-01,proposal,1000000000.00,RUB,2026-07-20\n"
                       "O-2,R-1,2026-06-10,negotiation,1000.00,RUB,2026-08-10\n";
    char *json = forecast(rows, "2026-06-30", "2026-Q3", "500000000");
    assert_non_null(json);
    assert_value(json, NULL, "p10", "\"0.00\"");
    assert_value(json, NULL, "p90", "\"1000001000.00\"");
    assert_value(json, NULL, "analytic_mean", "\"500000750.00\"");
    double mean = number_of(json, NULL, "expected");
    assert_true(mean > 495000000 && mean < 505000000);
    double p = number_of(json, NULL, "probability_of_target");
    assert_true(p > 0.48 && p < 0.52);
    /* The huge deal leads the uncertain deals: 1e9 x sqrt(0.5 x 0.5) = 500,000,000. */
    assert_value(json, "\"deals\"", "id", "\"O-1\"");
    assert_value(json, "\"deals\"", "uncertainty", "\"500000000.00\"");
    free(json);
}

/* Forecasts generated data (scale 1,500, seed 11) as of `as_of`; JSON text, malloc'd. */
static char *forecast_generated(const char *dir, const char *as_of, const char *period,
                                unsigned backtest)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    revops_import_report_free(&r);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    assert_int_equal(revops_day_parse(&o.as_of, as_of, strlen(as_of)), 0);
    o.period = period;
    o.currency = "RUB";
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    fo.backtest = backtest;
    fo.simulations = 100;
    revops_analysis *a = NULL;
    assert_int_equal(revops_forecast(&a, ds, &o, &fo), 0);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    revops_json *j = NULL;
    assert_int_equal(revops_json_new(&j, 1), 0);
    assert_int_equal(revops_analysis_write_json(a, j), 0);
    assert_int_equal(revops_json_write(j, fp), 0);
    revops_json_free(j);
    assert_int_equal(fclose(fp), 0);
    revops_analysis_free(a);
    revops_dataset_free(ds);
    return text;
}

/* The "forecast" of the row of table `table` with the given as_of and method. */
static void backtest_value(const char *json, const char *table, const char *as_of,
                           const char *method, char *out, size_t cap)
{
    char anchor[64], day[64], name[96];
    snprintf(anchor, sizeof(anchor), "\"%s\": [", table);
    snprintf(day, sizeof(day), "\"as_of\": \"%s\"", as_of);
    snprintf(name, sizeof(name), "\"method\": \"%s\"", method);
    const char *p = strstr(json, anchor);
    assert_non_null(p);
    const char *end = strstr(p, "]");
    for (const char *row = strchr(p, '{'); row && row < end; row = strchr(row + 1, '{')) {
        const char *close = strchr(row, '}');
        size_t n = (size_t)(close - row);
        char buf[1024];
        if (n >= sizeof(buf))
            continue;
        memcpy(buf, row, n);
        buf[n] = '\0';
        if (strstr(buf, day) && strstr(buf, name)) {
            test_json_value(buf, NULL, "forecast", out, cap);
            return;
        }
    }
    fail_msg("no %s row as of %s for %s", table, as_of, method);
}

/*
 * The backtest is point in time: its row for a period as of a day holds exactly what a
 * forecast of that period as of that day gives (which test_as_of shows to equal the
 * forecast of the data cut at that day), for every method, as of the period's start and as
 * of a week in it.
 */
static void test_backtest_is_point_in_time(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    revops_gen_options g = REVOPS_GEN_OPTIONS_INIT;
    g.out_dir = dir;
    g.scale = 1500;
    g.seed = 11;
    assert_int_equal(revops_gen(&g, NULL), 0);
    char *full = forecast_generated(dir, "2026-06-30", "2026-Q2", 2);
    char *start = forecast_generated(dir, "2025-12-31", "2026-Q1", 0);
    char *week = forecast_generated(dir, "2026-01-21", "2026-Q1", 0);
    static const char *const methods[] = {"pipeline_weighted", "historical_trend", "regression",
                                          "time_series", "ensemble"};
    int compared = 0;
    for (size_t m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
        char anchor[64], got[64], want[64];
        snprintf(anchor, sizeof(anchor), "\"%s\": {", methods[m]);
        backtest_value(full, "backtest", "2025-12-31", methods[m], got, sizeof(got));
        if (strstr(strstr(start, anchor), "\"available\": true") ==
            strstr(strstr(start, anchor), "\"available\""))
            test_json_value(start, anchor, "value", want, sizeof(want));
        else
            snprintf(want, sizeof(want), "null");
        assert_string_equal(got, want);
        compared += strcmp(want, "null") != 0;
        backtest_value(full, "backtest_weekly", "2026-01-21", methods[m], got, sizeof(got));
        if (strstr(strstr(week, anchor), "\"available\": true") ==
            strstr(strstr(week, anchor), "\"available\""))
            test_json_value(week, anchor, "value", want, sizeof(want));
        else
            snprintf(want, sizeof(want), "null");
        assert_string_equal(got, want);
    }
    /* The comparison is not vacuous: most methods ran. */
    assert_true(compared >= 3);
    free(full);
    free(start);
    free(week);
    test_rmdir(dir);
}

static void test_bad_options(void **state)
{
    (void)state;
    revops_dataset *ds = NULL;
    char *dir = test_tmpdir();
    test_write(dir, "rep.csv", reps);
    test_write(dir, "opportunity.csv", young);
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    revops_import_report_free(&r);
    test_rmdir(dir);
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    revops_analysis *a = NULL;
    fo.simulations = 0;
    assert_int_equal(revops_forecast(&a, ds, NULL, &fo), REVOPS_EINVALID);
    fo.simulations = 10;
    fo.target = "a lot";
    assert_int_equal(revops_forecast(&a, ds, NULL, &fo), REVOPS_EINVALID);
    assert_null(a);
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_history),
        cmocka_unit_test(test_period_without_open_deals),
        cmocka_unit_test(test_one_huge_deal),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_backtest_is_point_in_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
