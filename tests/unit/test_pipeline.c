/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pipeline section's edge cases, each on a few hand-written rows: no closed deal, no
 * quota, a quota already won, no data at all, bad options; and the movement identity on
 * generated data. The numbers in the comments are worked out by hand from the rows above
 * them. (The golden fixture tests/fixtures/analyze covers the full report.)
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_report.h"
#include "test_util.h"

static const char *reps = "id,name,role,team_id,hired_at\n"
                          "R-1,Ann,ae,,2024-01-01\n";

/* Writes the files, loads them, analyses as of `as_of` over `period`; returns the JSON text
 * (malloc'd) or NULL when the analysis failed (the error is then revops_error_last()). */
static char *analyse_with_reps(const char *rep_rows, const char *opportunity, const char *history,
                               const char *quota, const char *as_of, const char *period)
{
    char *dir = test_tmpdir();
    test_write(dir, "rep.csv", rep_rows);
    test_write(dir, "opportunity.csv", opportunity);
    if (history)
        test_write(dir, "stage_change.csv", history);
    if (quota)
        test_write(dir, "quota.csv", quota);
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    test_rmdir(dir);

    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    if (as_of)
        assert_int_equal(revops_day_parse(&o.as_of, as_of, strlen(as_of)), 0);
    o.period = period;
    o.sections = REVOPS_SECTION_PIPELINE;
    revops_analysis *a = NULL;
    char *text = NULL;
    if (revops_analyze(&a, ds, &o) == 0) {
        text = test_analysis_json(a, 1);
        revops_analysis_free(a);
    }
    revops_dataset_free(ds);
    return text;
}

static char *analyse(const char *opportunity, const char *history, const char *quota,
                     const char *as_of, const char *period)
{
    return analyse_with_reps(reps, opportunity, history, quota, as_of, period);
}

static void assert_value(const char *json, const char *key, const char *expected)
{
    char got[256];
    test_json_value(json, NULL, key, got, sizeof(got));
    assert_string_equal(got, expected);
}

/* Money in a "123.45" JSON string as minor units (two decimals: RUB). */
static int64_t money_of(const char *json, const char *anchor, const char *key)
{
    char got[64];
    test_json_value(json, anchor, key, got, sizeof(got));
    int64_t units = 0, cents = 0;
    int neg = 0;
    if (sscanf(got, "\"%" SCNd64 ".%" SCNd64 "\"", &units, &cents) != 2)
        fail_msg("%s is not money: %s", key, got);
    if (got[1] == '-') {
        neg = 1;
        units = -units;
    }
    int64_t v = units * 100 + cents;
    return neg ? -v : v;
}

static const char *open_deals = "id,name,owner_id,created_at,stage,amount,currency,close_date\n"
                                "O-1,One,R-1,2026-01-05,discovery,1000.00,RUB,2026-03-31\n"
                                "O-2,Two,R-1,2026-02-01,qualification,500.00,RUB,2026-05-15\n";

static const char *open_history = "opportunity_id,at,from_stage,to_stage,amount,close_date\n"
                                  "O-1,2026-01-05,,qualification,1000.00,2026-03-31\n"
                                  "O-1,2026-01-20,qualification,discovery,,\n"
                                  "O-2,2026-02-01,,qualification,500.00,2026-05-15\n";

/* Nothing has closed: the rates and everything built on won deals are n/a with a reason;
 * the open pipeline is still counted. */
static void test_no_closed_deals(void **state)
{
    (void)state;
    char *json = analyse(open_deals, open_history, NULL, "2026-02-15", "2026-Q1");
    assert_non_null(json);
    assert_value(json, "open_deals", "2");
    assert_value(json, "pipeline_total", "\"1500.00\"");
    /* Default probabilities: discovery 0.25, qualification 0.10: 250 + 50. */
    assert_value(json, "pipeline_weighted", "\"300.00\"");
    assert_value(json, "win_rate", "null");
    assert_value(json, "win_rate_reason", "\"no deal closed in the window\"");
    assert_value(json, "avg_won_deal_size", "null");
    assert_value(json, "sales_velocity_per_day", "null");
    /* No quota at all: coverage cannot be computed. */
    assert_value(json, "coverage_ratio", "null");
    assert_value(json, "coverage_ratio_reason", "\"no quota for the period\"");
    /* O-1 (due 03-31) was open on 2025-12-31? No: created 01-05, so nothing was due at the
     * start of Q1. */
    assert_value(json, "slippage_rate", "null");
    free(json);
}

/* A quota fully won leaves nothing to cover; a quota straddling the period is prorated. */
static void test_quota_won_and_prorated(void **state)
{
    (void)state;
    const char *deals = "id,name,owner_id,created_at,stage,amount,currency,close_date,closed_at,"
                        "outcome\n"
                        "O-1,One,R-1,2026-01-05,closed_won,1000.00,RUB,2026-02-10,2026-02-10,"
                        "won\n"
                        "O-2,Two,R-1,2026-02-01,qualification,500.00,RUB,2026-03-15,,open\n";
    const char *history = "opportunity_id,at,from_stage,to_stage,amount,close_date\n"
                          "O-1,2026-01-05,,qualification,1000.00,2026-02-28\n"
                          "O-1,2026-02-10,qualification,closed_won,,\n"
                          "O-2,2026-02-01,,qualification,500.00,2026-03-15\n";
    /* 900 for January-February: wholly inside Q1, already beaten by the 1,000 won. */
    char *json = analyse(deals, history,
                         "rep_id,period_start,period_end,amount,currency\n"
                         "R-1,2026-01-01,2026-02-28,900.00,RUB\n",
                         "2026-03-01", "2026-Q1");
    assert_non_null(json);
    assert_value(json, "coverage_ratio", "null");
    assert_value(json, "coverage_ratio_reason", "\"the quota is already won\"");
    assert_value(json, "win_rate", "1");
    free(json);
    /* 2,400 over 2026-01-01 .. 2026-04-30 (120 days), 90 of them in Q1: 1,800; remaining
     * 1,800 - 1,000 = 800; open with a close date in Q1: O-2's 500; 500 / 800 = 0.625. */
    json = analyse(deals, history,
                   "rep_id,period_start,period_end,amount,currency\n"
                   "R-1,2026-01-01,2026-04-30,2400.00,RUB\n",
                   "2026-03-01", "2026-Q1");
    assert_non_null(json);
    assert_value(json, "quota", "\"1800.00\"");
    assert_value(json, "remaining_quota", "\"800.00\"");
    assert_value(json, "coverage_ratio", "0.625");
    free(json);
}

/* A deal without any history is taken at its current fields from its creation day. */
static void test_deal_without_history(void **state)
{
    (void)state;
    char *json = analyse(open_deals, NULL, NULL, "2026-02-15", "2026-Q1");
    assert_non_null(json);
    assert_value(json, "pipeline_total", "\"1500.00\"");
    free(json);
    /* Before O-2 existed, only O-1 counts. */
    json = analyse(open_deals, NULL, NULL, "2026-01-31", "2026-Q1");
    assert_non_null(json);
    assert_value(json, "open_deals", "1");
    assert_value(json, "pipeline_total", "\"1000.00\"");
    free(json);
}

/* No deals at all: a report of zeros and n/a, not a failure; without an as-of day and with
 * no dated event there is nothing to analyse, and the error says what to do. */
static void test_no_data(void **state)
{
    (void)state;
    const char *header = "id,name,owner_id,created_at,stage,amount,currency,close_date\n";
    char *json = analyse(header, NULL, NULL, "2026-02-15", NULL);
    assert_non_null(json);
    assert_value(json, "open_deals", "0");
    assert_value(json, "pipeline_total", "\"0.00\"");
    assert_value(json, "win_rate", "null");
    free(json);
    /* The latest event is then R-1's hiring. */
    json = analyse(header, NULL, NULL, NULL, NULL);
    assert_non_null(json);
    assert_value(json, "as_of", "\"2024-01-01\"");
    free(json);
    json = analyse_with_reps("id,name\nR-1,Ann\n", header, NULL, NULL, NULL, NULL);
    assert_null(json);
    assert_non_null(strstr(revops_error_last()->message, "--as-of"));
}

static void test_bad_options(void **state)
{
    (void)state;
    assert_null(analyse(open_deals, open_history, NULL, "2026-02-15", "2026-Q5"));
    assert_null(analyse(open_deals, open_history, NULL, "2026-02-15", "last quarter"));
}

/* start + created + increased - decreased - won - lost = end, to the minor unit, on
 * generated data with pushes, amount changes, reopened deals and three currencies. */
static void test_movement_identity(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    revops_gen_options g = REVOPS_GEN_OPTIONS_INIT;
    g.out_dir = dir;
    g.scale = 800;
    g.seed = 3;
    assert_int_equal(revops_gen(&g, NULL), 0);
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    revops_import_report_free(&r);
    test_rmdir(dir);
    const char *periods[] = {"2024-Q4", "2025-03", "2025", "2026-Q2"};
    for (size_t k = 0; k < sizeof(periods) / sizeof(periods[0]); k++) {
        revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
        o.period = periods[k];
        o.sections = REVOPS_SECTION_PIPELINE;
        o.currency = "RUB";
        revops_analysis *a = NULL;
        assert_int_equal(revops_analyze(&a, ds, &o), 0);
        char *json = NULL;
        size_t len = 0;
        FILE *fp = open_memstream(&json, &len);
        assert_non_null(fp);
        revops_json *j = NULL;
        assert_int_equal(revops_json_new(&j, 1), 0);
        assert_int_equal(revops_analysis_write_json(a, j), 0);
        assert_int_equal(revops_json_write(j, fp), 0);
        revops_json_free(j);
        assert_int_equal(fclose(fp), 0);
        revops_analysis_free(a);
        const char *m = "\"pipeline_movement\": {";
        int64_t start = money_of(json, m, "start"), created = money_of(json, m, "created");
        int64_t inc = money_of(json, m, "increased"), dec = money_of(json, m, "decreased");
        int64_t won = money_of(json, m, "won"), lost = money_of(json, m, "lost");
        int64_t end = money_of(json, m, "end");
        assert_true(start > 0 && created > 0 && won > 0 && lost > 0);
        assert_int_equal(start + created + inc - dec - won - lost, end);
        free(json);
    }
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_closed_deals),      cmocka_unit_test(test_quota_won_and_prorated),
        cmocka_unit_test(test_deal_without_history), cmocka_unit_test(test_no_data),
        cmocka_unit_test(test_bad_options),          cmocka_unit_test(test_movement_identity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
