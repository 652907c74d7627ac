/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The team section on the hand-made data set of tests/fixtures/team. Every expected number
 * is worked out by hand in that folder's README.md; the comments repeat the arithmetic. The
 * edge cases: a zero quota, a rep without activities and a role without targets, reps that
 * never ramp or cannot, a period without deals a year before, a period with nothing in it,
 * and a coaching gap exactly at the threshold.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/team.h"
#include "revops/revops.h"
#include "test_util.h"

#define TEAM_SET REVOPS_SOURCE_DIR "/tests/fixtures/team"

static int near(double a, double b)
{
    return fabs(a - b) < 1e-12;
}

static revops_dataset *load(const char *dir)
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

/* The context and the team figures for a period as of a day; `opts` may change options. */
static void compute(team *t, revops_actx *c, const revops_dataset *ds, revops_day as_of,
                    const char *period, const revops_analysis_options *opts)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    if (opts)
        o = *opts;
    o.as_of = as_of;
    o.period = period;
    assert_int_equal(revops_actx__init(c, ds, &o), 0);
    assert_int_equal(revops_team__compute(t, c), 0);
}

static void done(team *t, revops_actx *c)
{
    revops_team__free(t);
    revops_actx__free(c);
}

/* The rep of an id, or a failed test. */
static const team_rep *rep(const team *t, const char *id)
{
    revops_str s;
    if (revops_strpool__find(&t->ds->strings, id, strlen(id), &s))
        fail_msg("no rep %s", id);
    int64_t r = revops_idmap__get(&t->c->rep_by_id, s);
    assert_true(r >= 0);
    return &t->reps[r];
}

static const char *listed_id(const team *t, size_t i)
{
    return revops_dataset__str(t->ds, t->ds->rep.id[t->order[i]]);
}

static revops_day day(int y, int m, int d)
{
    return revops_day_from_ymd(y, m, d);
}

static void test_weekdays_count_mondays_to_fridays(void **state)
{
    (void)state;
    /* 2026-Q2: April 22 + May 21 + June 22. */
    assert_int_equal(revops_team__weekdays(day(2026, 4, 1), day(2026, 6, 30)), 65);
    /* 2026-06-30 is a Tuesday; 2026-05-16 and 17 a weekend. */
    assert_int_equal(revops_team__weekdays(day(2026, 6, 30), day(2026, 6, 30)), 1);
    assert_int_equal(revops_team__weekdays(day(2026, 5, 16), day(2026, 5, 17)), 0);
    /* R-4's days: 05-18 .. 06-30 = 10 + 22. */
    assert_int_equal(revops_team__weekdays(day(2026, 5, 18), day(2026, 6, 30)), 32);
    assert_int_equal(revops_team__weekdays(day(2026, 6, 30), day(2026, 6, 29)), 0);
}

static void test_attainment_by_rep_team_and_company(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", NULL);
    /* Listed: R-1, R-2 (activities only), R-3, R-4, R-5 (a zero quota row and a win); the
     * manager R-6 has nothing in Q2. By team name, then attainment, n/a last. */
    assert_int_equal(t.nlisted, 5);
    const char *order[] = {"R-1", "R-2", "R-3", "R-4", "R-5"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(listed_id(&t, i), order[i]);
    /* 910,000 quota (91 days x 10,000), won O-1 781,000 + O-2 2,000 EUR at 110. */
    assert_int_equal(rep(&t, "R-1")->quota, 91000000);
    assert_int_equal(rep(&t, "R-1")->won, 100100000);
    assert_int_equal(rep(&t, "R-1")->won_deals, 2);
    assert_true(rep(&t, "R-1")->attainment == 1.1);
    /* 6,000 EUR at 04-01's rate 100 = 600,000; won 300,000 + 150,000 (O-17 closes in
     * July: open on 06-30). */
    assert_int_equal(rep(&t, "R-3")->quota, 60000000);
    assert_int_equal(rep(&t, "R-3")->won, 45000000);
    assert_true(rep(&t, "R-3")->attainment == 0.75);
    /* 440,000 (a row inside Q2), won 132,000: 0.3. */
    assert_true(rep(&t, "R-4")->attainment == 0.3);
    /* Zero quota: R-5 won 200,000 against a zero row; attainment n/a. */
    assert_int_equal(rep(&t, "R-5")->quota, 0);
    assert_true(rep(&t, "R-5")->has_quota_row);
    assert_int_equal(rep(&t, "R-5")->won, 20000000);
    assert_true(isnan(rep(&t, "R-5")->attainment));
    assert_true(isnan(rep(&t, "R-2")->attainment));
    /* Teams: sums, not means of ratios. Sales North 1,001,000 / 910,000; Sales South
     * (450,000 + 132,000 + 200,000) / (600,000 + 440,000): R-5's win counts. */
    assert_int_equal(t.ngroups, 2);
    assert_int_equal(t.groups[0].to - t.groups[0].from, 2);
    assert_true(t.groups[0].attainment == 1.1);
    assert_int_equal(t.groups[0].above, 1);
    assert_int_equal(t.groups[1].quota, 104000000);
    assert_int_equal(t.groups[1].won, 78200000);
    assert_true(near(t.groups[1].attainment, 782000.0 / 1040000.0));
    assert_int_equal(t.groups[1].with_quota, 2);
    assert_int_equal(t.groups[1].above, 0);
    /* Company: 1,783,000 / 1,950,000; 3 reps with a quota, 1 at or above. */
    assert_int_equal(t.quota, 195000000);
    assert_int_equal(t.won, 178300000);
    assert_true(near(t.attainment, 1783000.0 / 1950000.0));
    assert_int_equal(t.with_quota, 3);
    assert_int_equal(t.above, 1);
    /* {0.3, 0.75, 1.1}: bands < 50, 50-80, 100-120; median 0.75; p90 = 0.75 + 0.8 x 0.35. */
    const int64_t bands[TEAM_NBANDS] = {1, 1, 0, 1, 0};
    for (int b = 0; b < TEAM_NBANDS; b++)
        assert_int_equal(t.bands[b], bands[b]);
    assert_true(t.median == 0.75);
    assert_true(near(t.p90, 1.03));
    done(&t, &c);
    revops_dataset_free(ds);
}

static void test_activities_against_targets(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", NULL);
    /* 11 activities in Q2 (the 03-31 and 07-01 calls fall outside; the Saturday call of
     * 05-16 counts): call 4, email 0, meeting 2, demo 2, proposal 2, social 0, note 1. */
    const team_rep *r1 = rep(&t, "R-1");
    const int64_t acts[TEAM_NTYPES] = {4, 0, 2, 2, 2, 0, 1};
    assert_int_equal(r1->working_days, 65);
    assert_int_equal(r1->acts_total, 11);
    for (int k = 0; k < TEAM_NTYPES; k++)
        assert_int_equal(r1->acts[k], acts[k]);
    /* A full quarter is 3 months of AE targets: 120 calls, 45 proposals, 75 demos, 90
     * meetings; efficiency (4/120 + 2/45 + 2/75 + 2/90) / 4 = 57/1800. */
    assert_true(near(r1->target[0], 120) && near(r1->target[4], 45) && near(r1->target[3], 75));
    assert_true(near(r1->efficiency, 57.0 / 1800.0));
    /* R-2, SDR hired on 06-30: one working day; the 06-29 call is before the hire and the
     * 23:59 meeting is still 06-30. Meetings 3 of 2 count as 1: (0.1 + 0.04 + 0.1 + 1) / 4;
     * without the cap it would be 0.435. */
    const team_rep *r2 = rep(&t, "R-2");
    assert_int_equal(r2->working_days, 1);
    assert_int_equal(r2->acts_total, 14);
    assert_int_equal(r2->acts[2], 3);
    assert_true(near(r2->efficiency, 0.31));
    /* R-4 from 05-18: 32 working days, 10/21 of May + June = 31/21 months of targets. */
    const team_rep *r4 = rep(&t, "R-4");
    assert_int_equal(r4->working_days, 32);
    assert_int_equal(r4->acts_total, 4);
    assert_true(near(r4->target[0], 40.0 * 31.0 / 21.0));
    assert_true(near(r4->efficiency, (2 * 21.0 / 1240 + 0 + 21.0 / 775 + 21.0 / 930) / 4));
    /* no activities, but targets: efficiency 0, not n/a. */
    assert_int_equal(rep(&t, "R-5")->acts_total, 0);
    assert_true(rep(&t, "R-5")->efficiency == 0.0);
    /* Teams and company: means of the reps' efficiencies. */
    double e3 = 67.0 / 3600.0, e4 = 1554.0 / 74400.0;
    assert_true(near(t.groups[0].efficiency, (57.0 / 1800.0 + 0.31) / 2));
    assert_true(near(t.groups[1].efficiency, (e3 + e4 + 0) / 3));
    assert_true(near(t.efficiency, (57.0 / 1800.0 + 0.31 + e3 + e4 + 0) / 5));
    done(&t, &c);
    revops_dataset_free(ds);
}

/* The set's activities replaced by one note of the manager: AEs without any activity, and a
 * role without targets. */
static void test_no_activities_and_a_role_without_targets(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    const char *files[] = {"team.csv",        "rep.csv",          "quota.csv",
                           "opportunity.csv", "stage_change.csv", "fx_rate.csv"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/%s", TEAM_SET, files[i]);
        char *text = test_read(path);
        assert_non_null(text);
        test_write(dir, files[i], text);
        free(text);
    }
    test_write(dir, "activity.csv", "id,at,type,rep_id\nACT-1,2026-04-02T10:00:00Z,note,R-6\n");
    revops_dataset *ds = load(dir);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", NULL);
    /* R-2 has nothing left in Q2 and drops out; the manager R-6 comes in with the note. */
    assert_int_equal(t.nlisted, 5);
    assert_string_equal(listed_id(&t, 0), "R-1");
    assert_string_equal(listed_id(&t, 1), "R-6");
    assert_int_equal(rep(&t, "R-6")->acts_total, 1);
    assert_true(isnan(rep(&t, "R-6")->efficiency));
    /* Every AE: targets, no activity: 0. The company mean leaves the manager out: 0. */
    assert_true(rep(&t, "R-1")->efficiency == 0.0);
    assert_int_equal(rep(&t, "R-1")->acts_total, 0);
    assert_true(t.efficiency == 0.0);
    assert_true(t.groups[0].efficiency == 0.0);
    done(&t, &c);
    revops_dataset_free(ds);
    test_rmdir(dir);
}

static void test_ramp(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", NULL);
    assert_int_equal(t.quota_history, day(2025, 10, 1));
    /* November 120,000 / 300,000 = 0.4; December 279,000 / 310,000 = 0.9: ramped on
     * 2026-01-01, 59 days after 2025-11-03. */
    assert_true(rep(&t, "R-1")->ramp_days == 59);
    /* December has no quota, January 0.5, February 0.8 (exactly the threshold):
     * 2026-03-01 - 2025-12-01 = 90. */
    assert_true(rep(&t, "R-5")->ramp_days == 90);
    /* Never ramped: R-4, May 0 / 140,000, June 132,000 / 300,000 = 0.44. */
    assert_true(isnan(rep(&t, "R-4")->ramp_days));
    assert_string_equal(rep(&t, "R-4")->ramp_why,
                        "not ramped: no finished month at the ramp threshold");
    assert_string_equal(rep(&t, "R-2")->ramp_why, "no quota in a finished month since the hire");
    assert_string_equal(rep(&t, "R-3")->ramp_why, "no hire date");
    assert_string_equal(rep(&t, "R-6")->ramp_why,
                        "hired before the quota history begins (2025-10-01)");
    assert_int_equal(t.ramped, 2);
    assert_true(t.ramp_median == 74.5);
    done(&t, &c);

    /* At 0.4: R-1 ramps in November (2025-12-01 - 2025-11-03 = 28), R-5 in January (62),
     * R-4 in June (2026-07-01 - 2026-05-18 = 44); median 44. */
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.ramp_threshold = 0.4;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", &o);
    assert_true(rep(&t, "R-1")->ramp_days == 28);
    assert_true(rep(&t, "R-5")->ramp_days == 62);
    assert_true(rep(&t, "R-4")->ramp_days == 44);
    assert_true(t.ramp_median == 44);
    done(&t, &c);

    /* As of 06-29 June is not finished: R-4 has only May, and R-2 is not hired yet. */
    compute(&t, &c, ds, day(2026, 6, 29), "2026-Q2", &o);
    assert_true(isnan(rep(&t, "R-4")->ramp_days));
    assert_string_equal(rep(&t, "R-2")->ramp_why, "hired after the as-of day");
    done(&t, &c);
    revops_dataset_free(ds);
}

static void test_deal_size_growth(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", NULL);
    /* 1,783,000 / 6 against (200,000 + 300,000) / 2. */
    assert_int_equal(t.period_won_deals, 6);
    assert_int_equal(t.prior_won_deals, 2);
    assert_true(near(t.growth, 1783000.0 / 6.0 / 250000.0 - 1.0));
    done(&t, &c);

    /* No deals in the prior year: 2026-Q1 won O-13 and O-14, 2025-Q1 nothing. */
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q1", NULL);
    assert_int_equal(t.period_won_deals, 2);
    assert_int_equal(t.prior_won_deals, 0);
    assert_true(isnan(t.growth));
    revops_rt *rt;
    assert_int_equal(revops_rt__new(&rt, c.currency, c.exponent), 0);
    revops_kpi_values k;
    revops_team__report(&t, revops_rt__root(rt), &k);
    assert_int_equal(revops_rt__error(rt), 0);
    assert_true(isnan(k.deal_size_growth.value));
    assert_string_equal(k.deal_size_growth.why, "no deal won in 2025-Q1");
    revops_rt__free(rt);
    done(&t, &c);
    revops_dataset_free(ds);
}

static void test_coaching_flags(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", NULL);
    /* Sales South at qualification: R-3 4/5, R-4 1/2, R-5 3/3; median 0.8; R-4 is 0.3
     * below it. Sales North has one rep with deals: nobody to compare with. */
    assert_int_equal(t.nflags, 1);
    assert_string_equal(revops_dataset__str(ds, ds->rep.id[t.flags[0].rep]), "R-4");
    assert_int_equal(t.flags[0].stage, 0);
    assert_int_equal(t.flags[0].left, 2);
    assert_true(t.flags[0].conversion == 0.5);
    assert_true(t.flags[0].median == 0.8);
    done(&t, &c);

    /* A gap of exactly 0.3 (0.30000000000000004 in doubles) is not more than 0.3. */
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.coaching_gap = 0.3;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", &o);
    assert_int_equal(t.nflags, 0);
    done(&t, &c);
    o.coaching_gap = 0.29;
    compute(&t, &c, ds, day(2026, 6, 30), "2026-Q2", &o);
    assert_int_equal(t.nflags, 1);
    done(&t, &c);

    /* As of 05-31, R-4's deals are still in qualification: R-3 0.8 and R-5 1.0, median 0.9,
     * R-3 just 0.1 below: no flag. */
    compute(&t, &c, ds, day(2026, 5, 31), "2026-05", NULL);
    assert_int_equal(t.nflags, 0);
    done(&t, &c);
    revops_dataset_free(ds);
}

static void test_a_month_as_of_its_last_day(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 5, 31), "2026-05", NULL);
    /* R-2 is hired after the as-of day: not listed. */
    assert_int_equal(t.nlisted, 4);
    /* 600,000.00 RUB x 31/91 = 20,439,560.44 kopecks, rounded. R-4: 14 days x 10,000. */
    assert_int_equal(rep(&t, "R-3")->quota, 20439560);
    assert_int_equal(rep(&t, "R-4")->quota, 14000000);
    assert_int_equal(t.quota, 65439560);
    assert_int_equal(t.won, 42000000);
    assert_true(near(t.attainment, 42000000.0 / 65439560.0));
    /* 10 working days, 1 call and 1 demo: (21/400 + 21/250) / 4. */
    assert_int_equal(rep(&t, "R-4")->working_days, 10);
    assert_true(near(rep(&t, "R-4")->efficiency, 0.034125));
    /* 210,000 against 200,000. */
    assert_true(near(t.growth, 0.05));
    done(&t, &c);
    revops_dataset_free(ds);
}

/* Nothing in 2025-Q3: no quota, no win, no activity. Every KPI says why it is missing. */
static void test_an_empty_period(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_actx c;
    team t;
    compute(&t, &c, ds, day(2026, 6, 30), "2025-Q3", NULL);
    assert_int_equal(t.nlisted, 0);
    assert_int_equal(t.ngroups, 0);
    revops_rt *rt;
    assert_int_equal(revops_rt__new(&rt, c.currency, c.exponent), 0);
    revops_kpi_values k;
    revops_team__report(&t, revops_rt__root(rt), &k);
    assert_int_equal(revops_rt__error(rt), 0);
    assert_true(isnan(k.quota_attainment.value));
    assert_string_equal(k.quota_attainment.why, "no quota for the period");
    assert_true(isnan(k.activity_efficiency.value));
    assert_true(isnan(k.ramp_days.value));
    assert_string_equal(k.ramp_days.why, "no rep of the period has ramped");
    assert_string_equal(k.deal_size_growth.why, "no deal won in 2025-Q3");
    revops_rt__free(rt);
    done(&t, &c);
    revops_dataset_free(ds);
}

/* The KPIs the scorecard grades, through the section's entry point. */
static void test_kpis(void **state)
{
    (void)state;
    revops_dataset *ds = load(TEAM_SET);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = day(2026, 6, 30);
    o.period = "2026-Q2";
    revops_actx c;
    assert_int_equal(revops_actx__init(&c, ds, &o), 0);
    revops_rt *rt;
    assert_int_equal(revops_rt__new(&rt, c.currency, c.exponent), 0);
    revops_kpi_values k;
    assert_int_equal(revops_analytics__team(&c, revops_rt__root(rt), &k), 0);
    assert_int_equal(revops_rt__error(rt), 0);
    assert_true(near(k.quota_attainment.value, 1783000.0 / 1950000.0));
    assert_true(near(k.activity_efficiency.value, 0.38116487455197134 / 5));
    assert_true(k.ramp_days.value == 74.5);
    assert_true(near(k.deal_size_growth.value, 0.18866666666666667));
    assert_non_null(revops_rt__find_table(rt, "team.reps"));
    assert_int_equal(revops_rt__rows(revops_rt__find_table(rt, "team.reps")), 5);
    assert_int_equal(revops_rt__rows(revops_rt__find_table(rt, "team.coaching")), 1);
    /* 5 reps with targets x 4 target types. */
    assert_int_equal(revops_rt__rows(revops_rt__find_table(rt, "team.activity_vs_target")), 20);
    revops_rt__free(rt);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weekdays_count_mondays_to_fridays),
        cmocka_unit_test(test_attainment_by_rep_team_and_company),
        cmocka_unit_test(test_activities_against_targets),
        cmocka_unit_test(test_no_activities_and_a_role_without_targets),
        cmocka_unit_test(test_ramp),
        cmocka_unit_test(test_deal_size_growth),
        cmocka_unit_test(test_coaching_flags),
        cmocka_unit_test(test_a_month_as_of_its_last_day),
        cmocka_unit_test(test_an_empty_period),
        cmocka_unit_test(test_kpis),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
