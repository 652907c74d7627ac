/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configuration's settings that reach the analyses beyond the common options: the
 * forecast's (method weights, overdue factor, rep shrinkage, runs), the team's activity
 * targets, the gross margin and the deal profitability ratings. Each key is read, written back to
 * the same value, refused out of range at its line and column, and handed to the analysis options,
 * where it changes the hand-worked numbers of the sets in tests/fixtures as their README.md files
 * say; the library refuses the same bad values when they come from a program. tests/e2e/wiring.sh
 * runs the commands with such files.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/team.h"
#include "revops/revops.h"
#include "test_report.h"
#include "test_util.h"

#define FORECAST_SET REVOPS_SOURCE_DIR "/tests/fixtures/forecast"
#define TEAM_SET REVOPS_SOURCE_DIR "/tests/fixtures/team"

static int near(double a, double b)
{
    return fabs(a - b) < 1e-12;
}

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
    char *text = test_analysis_json(a, 0);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\"runs\":100,"));
    free(text);
    revops_analysis_free(a);
    /* revops_forecast() with no options of its own takes o.forecast. */
    assert_int_equal(revops_forecast(&a, ds, &o, NULL), 0);
    text = test_analysis_json(a, 0);
    assert_non_null(strstr(text, want));
    assert_non_null(strstr(text, "\"runs\":100,"));
    free(text);
    revops_analysis_free(a);
    /* Without them, the README's 857,820.51. */
    o.forecast = NULL;
    assert_int_equal(revops_forecast(&a, ds, &o, NULL), 0);
    text = test_analysis_json(a, 0);
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

/* ---- the team's activity targets ---- */

enum { CALL, EMAIL, MEETING, DEMO, PROPOSAL, SOCIAL, NOTE };
enum { SDR, AE, AM, CSM, MANAGER };

static void test_activity_targets_load_write_and_fill_the_options(void **state)
{
    (void)state;
    revops_config *c = load_ok(AN "    activity_targets:\n"
                                  "      sdr: {call: 10, email: 0}\n"
                                  "      manager:\n"
                                  "        per: month\n"
                                  "        note: 2.5\n"
                                  "      ae: {email: -0}\n");
    revops_activity_targets def;
    revops_activity_targets_default(&def);
    /* What the file names changes; the rest of a role and the roles left out keep theirs. */
    assert_true(c->activity_targets.target[SDR][CALL] == 10);
    assert_true(c->activity_targets.target[SDR][EMAIL] == 0);
    assert_true(c->activity_targets.target[SDR][SOCIAL] == 20);
    assert_true(c->activity_targets.target[SDR][MEETING] == 2);
    assert_int_equal(c->activity_targets.per_month[SDR], 0);
    assert_int_equal(c->activity_targets.per_month[MANAGER], 1);
    assert_true(c->activity_targets.target[MANAGER][NOTE] == 2.5);
    assert_memory_equal(c->activity_targets.target[AE], def.target[AE], sizeof(def.target[AE]));
    assert_memory_equal(c->activity_targets.target[CSM], def.target[CSM], sizeof(def.target[CSM]));
    /* -0 is read as 0, so the file written back says the same. */
    assert_false(signbit(c->activity_targets.target[AE][EMAIL]));
    revops_config *back = round_trip(c);
    assert_memory_equal(&back->activity_targets, &c->activity_targets, sizeof(c->activity_targets));
    revops_config_free(back);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_config_analysis_options(c, &o);
    assert_ptr_equal(o.activity_targets, &c->activity_targets);
    revops_config_free(c);
}

static void test_activity_targets_out_of_range_are_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {AN "    activity_targets:\n      bdr: {call: 1}\n", 4, 7,
         "unknown key 'bdr' in revops.analytics.activity_targets: expected sdr, ae, am, csm, "
         "manager"},
        {AN "    activity_targets:\n      sdr: {calls: 1}\n", 4, 13,
         "unknown key 'calls' in revops.analytics.activity_targets.sdr: expected per, call, "
         "email, meeting, demo, proposal, social, note"},
        {AN "    activity_targets:\n      sdr: {call: -1}\n", 4, 19,
         "revops.analytics.activity_targets.sdr.call: expected a number from 0 to 100000"},
        {AN "    activity_targets:\n      ae: {demo: 100001}\n", 4, 18, "from 0 to 100000"},
        {AN "    activity_targets:\n      ae: {demo: 50%}\n", 4, 18, "expected a number"},
        {AN "    activity_targets:\n      ae: {per: week}\n", 4, 17,
         "expected one of working_day, month"},
        {AN "    activity_targets:\n      ae: [call]\n", 4, 11, "must be a mapping"},
    };
    expect_errors(cases, sizeof(cases) / sizeof(cases[0]));
}

/* The team set of tests/fixtures/team for 2026-Q2 as of 2026-06-30 with `targets`. */
static void team_with(team *t, revops_actx *c, const revops_dataset *ds,
                      const revops_activity_targets *targets)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = revops_day_from_ymd(2026, 6, 30);
    o.period = "2026-Q2";
    o.activity_targets = targets;
    assert_int_equal(revops_actx__init(c, ds, &o), 0);
    assert_int_equal(revops_team__compute(t, c), 0);
}

static const team_rep *rep_of(const team *t, const char *id)
{
    revops_str s;
    if (revops_strpool__find(&t->ds->strings, id, strlen(id), &s))
        fail_msg("no rep %s", id);
    int64_t r = revops_idmap__get(&t->c->rep_by_id, s);
    assert_true(r >= 0);
    return &t->reps[r];
}

static void test_activity_targets_reach_the_team_section(void **state)
{
    (void)state;
    revops_dataset *ds = load_set(TEAM_SET);
    revops_config *c = load_ok(AN "    activity_targets:\n"
                                  "      sdr: {call: 10, email: 0}\n"
                                  "      ae: {per: working_day, demo: 0.5, call: 0, proposal: 0, "
                                  "meeting: 0}\n"
                                  "      manager: {note: 1}\n");
    revops_actx ctx;
    team t;
    team_with(&t, &ctx, ds, &c->activity_targets);
    /* tests/fixtures/team/README.md "Activities". R-2 (SDR, 1 working day: call 5, email 4,
     * social 2, meeting 3): emails have no target now, calls 10 a day: (5/10 + 2/20 +
     * min(3/2, 1)) / 3 = (0.5 + 0.1 + 1) / 3 = 0.533333 (0.31 by default). */
    const team_rep *r2 = rep_of(&t, "R-2");
    assert_true(near(r2->target[CALL], 10) && r2->target[EMAIL] == 0);
    assert_true(near(r2->efficiency, 1.6 / 3));
    /* AEs: demos alone, 0.5 a working day. R-1: 65 days, 2 demos: 2 / 32.5; R-4: 32 days, 1
     * demo: 1 / 16; R-3: 65 days, 1 demo: 1 / 32.5; R-5: none: 0. */
    const team_rep *r1 = rep_of(&t, "R-1");
    assert_true(near(r1->target[DEMO], 32.5) && r1->target[CALL] == 0);
    assert_true(near(r1->efficiency, 2 / 32.5));
    assert_true(near(rep_of(&t, "R-4")->efficiency, 1.0 / 16));
    assert_true(near(rep_of(&t, "R-3")->efficiency, 1 / 32.5));
    assert_true(rep_of(&t, "R-5")->efficiency == 0.0);
    /* The manager R-6 (no role target by default: n/a) now has a note a working day and
     * none in Q2's 65 days: 0. */
    assert_true(near(rep_of(&t, "R-6")->target[NOTE], 65));
    assert_true(rep_of(&t, "R-6")->efficiency == 0.0);
    /* The company: the listed reps R-1 .. R-5 (R-6 is not listed: nothing in Q2). */
    assert_true(near(t.efficiency, (2 / 32.5 + 1.6 / 3 + 1 / 32.5 + 1.0 / 16 + 0) / 5));
    revops_team__free(&t);
    revops_actx__free(&ctx);
    /* The report lists the configured targets, role by role. */
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_config_analysis_options(c, &o);
    o.as_of = revops_day_from_ymd(2026, 6, 30);
    o.period = "2026-Q2";
    o.sections = REVOPS_SECTION_TEAM;
    revops_analysis *a = NULL;
    assert_int_equal(revops_analyze(&a, ds, &o), 0);
    char *text = test_analysis_json(a, 0);
    assert_non_null(strstr(
        text, "\"activity_targets\":[{\"role\":\"sdr\",\"type\":\"call\",\"target\":10,"
              "\"per\":\"working day\"},{\"role\":\"sdr\",\"type\":\"social\",\"target\":20,"
              "\"per\":\"working day\"},{\"role\":\"sdr\",\"type\":\"meeting\",\"target\":2,"
              "\"per\":\"working day\"},{\"role\":\"ae\",\"type\":\"demo\",\"target\":0.5,"
              "\"per\":\"working day\"},{\"role\":\"manager\",\"type\":\"note\",\"target\":1,"
              "\"per\":\"working day\"}]"));
    free(text);
    revops_analysis_free(a);
    /* A target a program passes is checked as the loader checks a file's. */
    revops_activity_targets bad = c->activity_targets;
    bad.target[CSM][EMAIL] = -1;
    o.activity_targets = &bad;
    assert_int_equal(revops_analyze(&a, ds, &o), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "the email target of csm is -1"));
    bad.target[CSM][EMAIL] = NAN;
    assert_int_equal(revops_analyze(&a, ds, &o), REVOPS_EINVALID);
    revops_config_free(c);
    revops_dataset_free(ds);
}

/* ---- the gross margin and the profitability ratings ---- */

static void test_margins_load_write_and_fill_the_options(void **state)
{
    (void)state;
    revops_config *def = load_ok("");
    assert_true(def->gross_margin < 0); /* auto: measured */
    assert_true(def->margin_good == 0.30 && def->margin_fair == 0.10);
    revops_config_free(def);
    revops_config *c = load_ok(AN "    gross_margin: 72.5%\n"
                                  "    profitability: {good_margin: 50%, fair_margin: -12.5%}\n");
    assert_true(c->gross_margin == 0.725);
    assert_true(c->margin_good == 0.5 && c->margin_fair == -0.125);
    revops_config *back = round_trip(c);
    assert_true(back->gross_margin == 0.725);
    assert_true(back->margin_good == 0.5 && back->margin_fair == -0.125);
    revops_config_free(back);
    revops_saas_options so = REVOPS_SAAS_OPTIONS_INIT;
    so.cohort_quarters = 1;
    revops_config_saas_options(c, &so);
    assert_true(so.gross_margin == 0.725);
    assert_true(so.margin_good == 0.5 && so.margin_fair == -0.125);
    assert_int_equal(so.cohort_quarters, 1);
    revops_config_free(c);
    /* auto after a value, and only one threshold: the other keeps its default. */
    c = load_ok(AN "    gross_margin: auto\n    profitability: {fair_margin: 0}\n");
    assert_true(c->gross_margin < 0);
    assert_true(c->margin_good == 0.30 && c->margin_fair == 0.0);
    back = round_trip(c);
    assert_true(back->gross_margin < 0 && back->margin_fair == 0.0);
    revops_config_free(back);
    revops_config_free(c);
}

static void test_margins_out_of_range_are_errors(void **state)
{
    (void)state;
    static const bad_case cases[] = {
        {AN "    gross_margin: 120%\n", 3, 19,
         "revops.analytics.gross_margin: expected a share from 0% to 100% (such as 0.8 or 80%), "
         "or auto"},
        {AN "    gross_margin: measured\n", 3, 19, "found 'measured'"},
        {AN "    gross_margin: -0.1\n", 3, 19, "or auto"},
        {AN "    profitability: {good_margin: 101%}\n", 3, 34,
         "revops.analytics.profitability.good_margin: expected a share from -1000% to 100%"},
        {AN "    profitability: {fair_margin: 40%}\n", 3, 34,
         "fair_margin (40%) must not be above good_margin (30%)"},
        {AN "    profitability: {good_margin: 5%}\n", 3, 34,
         "fair_margin (10%) must not be above good_margin (5%)"},
        {AN "    profitability: {poor_margin: 0}\n", 3, 21, "unknown key 'poor_margin'"},
    };
    expect_errors(cases, sizeof(cases) / sizeof(cases[0]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forecast_keys_load_write_and_fill_the_options),
        cmocka_unit_test(test_forecast_keys_out_of_range_are_errors),
        cmocka_unit_test(test_forecast_settings_reach_both_forecasts),
        cmocka_unit_test(test_forecast_refuses_bad_method_weights),
        cmocka_unit_test(test_activity_targets_load_write_and_fill_the_options),
        cmocka_unit_test(test_activity_targets_out_of_range_are_errors),
        cmocka_unit_test(test_activity_targets_reach_the_team_section),
        cmocka_unit_test(test_margins_load_write_and_fill_the_options),
        cmocka_unit_test(test_margins_out_of_range_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
