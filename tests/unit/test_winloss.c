/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The win/loss section on the hand-made data set of tests/fixtures/winloss. Every expected
 * number was worked out by hand from those files; tests/fixtures/winloss/README.md has the
 * derivations, and the comments repeat the arithmetic.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/winloss.h"
#include "revops/revops.h"
#include "test_util.h"

#define WINLOSS REVOPS_SOURCE_DIR "/tests/fixtures/winloss"

/* Money in minor units of RUB (2 decimals). */
#define RUB(x) ((int64_t)(x)*100)

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

typedef struct run {
    revops_dataset *ds;
    revops_actx c;
    revops_winloss w;
} run;

static void start(run *r, const char *dir, int y, int m, int d, int window_days)
{
    r->ds = load(dir);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = revops_day_from_ymd(y, m, d);
    o.window_days = window_days;
    assert_int_equal(revops_actx__init(&r->c, r->ds, &o), 0);
    assert_int_equal(revops_winloss__compute(&r->w, &r->c), 0);
}

static void finish(run *r)
{
    revops_winloss__free(&r->w);
    revops_actx__free(&r->c);
    revops_dataset_free(r->ds);
}

static void near(double got, double want)
{
    if (!(fabs(got - want) < 1e-12))
        fail_msg("got %.17g, want %.17g", got, want);
}

static void check_row(const revops_wl_row *r, const char *label, int64_t won, int64_t lost,
                      int64_t won_amount, int64_t lost_amount, double mean, double median)
{
    assert_string_equal(r->label, label);
    assert_int_equal(r->won, won);
    assert_int_equal(r->lost, lost);
    assert_int_equal(r->won_amount, won_amount);
    assert_int_equal(r->lost_amount, lost_amount);
    near(r->win_rate, (double)won / (double)(won + lost));
    near(r->win_rate_value, (double)won_amount / (double)(won_amount + lost_amount));
    if (won) {
        near(r->cycle_mean, mean);
        near(r->cycle_median, median);
    } else {
        assert_true(isnan(r->cycle_mean) && isnan(r->cycle_median));
    }
}

static void check_reason(const revops_wl_reason *r, const char *competitor, const char *reason,
                         int64_t lost, double share, int64_t amount, double amount_share)
{
    if (competitor)
        assert_string_equal(r->competitor, competitor);
    else
        assert_null(r->competitor);
    assert_string_equal(r->reason, reason);
    assert_int_equal(r->lost, lost);
    near(r->share, share);
    assert_int_equal(r->lost_amount, amount);
    near(r->amount_share, amount_share);
}

/* As of 2026-06-30, window 2025-07-01 .. 2026-06-30 (README "Totals"). */
static void test_totals_over_the_window(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2026, 6, 30, 365);
    assert_int_equal(r.w.window_start, revops_day_from_ymd(2025, 7, 1));
    assert_int_equal(r.w.window_end, revops_day_from_ymd(2026, 6, 30));
    const revops_wl_row *t = &r.w.total;
    /* Won D-01, D-02, D-05, D-06, D-08, D-10, D-12; lost D-03, D-04, D-07, D-09, D-11. D-11
     * (closed on the window's first day) and D-12 (on the as-of day) count; D-13 (the day
     * before the window) and D-14 (lost only on 07-10) do not. */
    assert_int_equal(t->won, 7);
    assert_int_equal(t->lost, 5);
    /* 100,000 + 2,000 EUR x 100 + 80,000 + 1,000 EUR x 110 + 60,000 + 250,000 + 120,000. */
    assert_int_equal(t->won_amount, RUB(920000));
    /* 50,000 + 3,000 EUR x 110 + 150,000 + 40,000 + 400 EUR x 100. */
    assert_int_equal(t->lost_amount, RUB(610000));
    near(t->win_rate, 7.0 / 12.0);
    near(t->win_rate_value, 92.0 / 153.0);
    /* 920,000 / 7 = 131,428.571... */
    assert_int_equal(t->avg_won_deal_size, 13142857);
    /* Cycles 60, 121, 40, 90, 50, 100, 71: sum 532, mean 76, median 71. */
    near(t->cycle_mean, 76.0);
    near(t->cycle_median, 71.0);
    finish(&r);
}

static void test_breakdowns(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2026, 6, 30, 365);
    /* Owners all closed 4: the closed amount orders them, 640,000 / 600,000 / 290,000. */
    assert_int_equal(r.w.nby[REVOPS_WL_OWNER], 3);
    const revops_wl_row *o = r.w.by[REVOPS_WL_OWNER];
    check_row(&o[0], "Boris Ivanov", 3, 1, RUB(310000), RUB(330000), 67.0, 71.0);
    assert_string_equal(o[0].id, "R-2");
    assert_int_equal(o[0].avg_won_deal_size, 10333333); /* 310,000 / 3 */
    check_row(&o[1], "Anna Petrova", 3, 1, RUB(550000), RUB(50000), 281.0 / 3.0, 100.0);
    assert_int_equal(o[1].avg_won_deal_size, 18333333); /* 550,000 / 3 */
    check_row(&o[2], "Clara Smirnova", 1, 3, RUB(60000), RUB(230000), 50.0, 50.0);
    /* Teams: Key Accounts = Anna + Boris, cycles 40, 60, 71, 90, 100, 121. */
    assert_int_equal(r.w.nby[REVOPS_WL_TEAM], 2);
    check_row(&r.w.by[REVOPS_WL_TEAM][0], "Key Accounts", 6, 2, RUB(860000), RUB(380000),
              482.0 / 6.0, 80.5);
    assert_string_equal(r.w.by[REVOPS_WL_TEAM][0].id, "T-1");
    check_row(&r.w.by[REVOPS_WL_TEAM][1], "Growth", 1, 3, RUB(60000), RUB(230000), 50.0, 50.0);
    /* Products tie on 6 closed; seo_campaign's 1,090,000 comes before audit's 440,000. */
    const revops_wl_row *p = r.w.by[REVOPS_WL_PRODUCT];
    check_row(&p[0], "seo_campaign", 3, 3, RUB(570000), RUB(520000), 292.0 / 3.0, 100.0);
    check_row(&p[1], "audit", 4, 2, RUB(350000), RUB(90000), 60.0, 55.0);
    assert_null(p[0].id);
    /* Segments: A-3 without a segment (D-06) and D-09 without an account are "(none)". */
    assert_int_equal(r.w.nby[REVOPS_WL_SEGMENT], 3);
    const revops_wl_row *s = r.w.by[REVOPS_WL_SEGMENT];
    check_row(&s[0], "enterprise", 4, 1, RUB(630000), RUB(330000), 85.5, 85.5);
    check_row(&s[1], "mid", 2, 3, RUB(180000), RUB(240000), 50.0, 50.0);
    check_row(&s[2], "(none)", 1, 1, RUB(110000), RUB(40000), 90.0, 90.0);
    /* Sources: D-02 through opportunity.lead_id alone, D-05 through L-4's opportunity_id
     * alone; D-04, D-08, D-09 have no lead. */
    assert_int_equal(r.w.nby[REVOPS_WL_SOURCE], 3);
    const revops_wl_row *src = r.w.by[REVOPS_WL_SOURCE];
    check_row(&src[0], "inbound", 4, 1, RUB(580000), RUB(50000), 80.25, 80.5);
    check_row(&src[1], "outbound", 2, 2, RUB(280000), RUB(190000), 80.5, 80.5);
    check_row(&src[2], "(none)", 1, 2, RUB(60000), RUB(370000), 50.0, 50.0);
    const revops_wl_row *cp = r.w.by[REVOPS_WL_COMPETITOR];
    check_row(&cp[0], "RivalCo", 2, 3, RUB(210000), RUB(410000), 75.0, 75.0);
    check_row(&cp[1], "SEOlab", 3, 1, RUB(530000), RUB(150000), 87.0, 100.0);
    assert_int_equal(cp[1].avg_won_deal_size, 17666667); /* 530,000 / 3 = 176,666.67 */
    check_row(&cp[2], "(none)", 2, 1, RUB(180000), RUB(50000), 60.5, 60.5);
    /* Every breakdown holds every closed deal once. */
    for (int k = 0; k < REVOPS_WL_NDIMS; k++) {
        int64_t won = 0, lost = 0, amount = 0;
        for (size_t i = 0; i < r.w.nby[k]; i++) {
            won += r.w.by[k][i].won;
            lost += r.w.by[k][i].lost;
            amount += r.w.by[k][i].won_amount + r.w.by[k][i].lost_amount;
        }
        assert_int_equal(won, 7);
        assert_int_equal(lost, 5);
        assert_int_equal(amount, RUB(1530000));
    }
    finish(&r);
}

static void test_loss_reasons(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2026, 6, 30, 365);
    /* 5 lost, 610,000. D-10's "timing" (won now) and D-14's "price" (open now) are left
     * out; competitor and timing tie on 1 deal and 40,000, the label orders them. */
    assert_int_equal(r.w.nreasons, 4);
    check_reason(&r.w.reasons[0], NULL, "price", 2, 0.4, RUB(380000), 38.0 / 61.0);
    check_reason(&r.w.reasons[1], NULL, "(none)", 1, 0.2, RUB(150000), 15.0 / 61.0);
    check_reason(&r.w.reasons[2], NULL, "competitor", 1, 0.2, RUB(40000), 4.0 / 61.0);
    check_reason(&r.w.reasons[3], NULL, "timing", 1, 0.2, RUB(40000), 4.0 / 61.0);
    /* By competitor, in the competitor table's order; shares of that competitor's losses
     * (RivalCo: 3 lost, 410,000). */
    assert_int_equal(r.w.nby_competitor, 5);
    const revops_wl_reason *b = r.w.by_competitor;
    check_reason(&b[0], "RivalCo", "price", 1, 1.0 / 3.0, RUB(330000), 33.0 / 41.0);
    check_reason(&b[1], "RivalCo", "competitor", 1, 1.0 / 3.0, RUB(40000), 4.0 / 41.0);
    check_reason(&b[2], "RivalCo", "timing", 1, 1.0 / 3.0, RUB(40000), 4.0 / 41.0);
    check_reason(&b[3], "SEOlab", "(none)", 1, 1.0, RUB(150000), 1.0);
    check_reason(&b[4], "(none)", "price", 1, 1.0, RUB(50000), 1.0);
    finish(&r);
}

/* As of 2026-04-10 (window 2025-04-11 .. 2026-04-10): D-10 stands lost (04-01, reopened
 * only on 04-15) and D-13 is inside the window; D-06, D-08, D-09 are still open. */
static void test_point_in_time(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2026, 4, 10, 365);
    const revops_wl_row *t = &r.w.total;
    /* Won D-13, D-01, D-02, D-05: 70,000 + 100,000 + 200,000 + 80,000. */
    assert_int_equal(t->won, 4);
    assert_int_equal(t->won_amount, RUB(450000));
    /* Lost D-11, D-03, D-07, D-10 and D-04 (that very day, at 110): 40,000 + 50,000 +
     * 150,000 + 250,000 + 330,000. */
    assert_int_equal(t->lost, 5);
    assert_int_equal(t->lost_amount, RUB(820000));
    near(t->win_rate, 4.0 / 9.0);
    near(t->win_rate_value, 45.0 / 127.0);
    /* Cycles 60 (D-13), 60, 121, 40: mean 281 / 4, median (60 + 60) / 2. */
    near(t->cycle_mean, 70.25);
    near(t->cycle_median, 60.0);
    /* D-10 is lost now, with the reason its field holds. */
    assert_int_equal(r.w.nreasons, 4);
    check_reason(&r.w.reasons[0], NULL, "price", 2, 0.4, RUB(380000), 38.0 / 82.0);
    check_reason(&r.w.reasons[1], NULL, "timing", 1, 0.2, RUB(250000), 25.0 / 82.0);
    check_reason(&r.w.reasons[2], NULL, "(none)", 1, 0.2, RUB(150000), 15.0 / 82.0);
    check_reason(&r.w.reasons[3], NULL, "competitor", 1, 0.2, RUB(40000), 4.0 / 82.0);
    finish(&r);
}

/* Renders a whole analysis as compact JSON; the caller frees the text. */
static char *analysis_json(revops_dataset *ds, unsigned sections, int y, int m, int d,
                           int window_days)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = revops_day_from_ymd(y, m, d);
    o.window_days = window_days;
    o.sections = sections;
    revops_analysis *a;
    assert_int_equal(revops_analyze(&a, ds, &o), 0);
    revops_json *j;
    assert_int_equal(revops_json_new(&j, 0), 0);
    assert_int_equal(revops_analysis_write_json(a, j), 0);
    const char *text = revops_json_text(j, NULL);
    assert_non_null(text);
    char *copy = malloc(strlen(text) + 1);
    assert_non_null(copy);
    memcpy(copy, text, strlen(text) + 1);
    revops_json_free(j);
    revops_analysis_free(a);
    return copy;
}

/* The number after the first `"key":` at or after `from`. */
static double number_after(const char *from, const char *key)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":", key);
    const char *at = strstr(from, pat);
    assert_non_null(at);
    char *end;
    double v = strtod(at + strlen(pat), &end);
    assert_true(end != at + strlen(pat));
    return v;
}

static void test_totals_equal_the_pipeline(void **state)
{
    (void)state;
    revops_dataset *ds = load(WINLOSS);
    char *json =
        analysis_json(ds, REVOPS_SECTION_PIPELINE | REVOPS_SECTION_WINLOSS, 2026, 6, 30, 365);
    const char *pipe = strstr(json, "\"pipeline\":{");
    const char *wl = strstr(json, "\"winloss\":{");
    assert_non_null(pipe);
    assert_non_null(wl);
    /* The pipeline section comes first; its first win_rate keys are its window totals. */
    assert_true(pipe < wl);
    double pw = number_after(pipe, "win_rate"), ww = number_after(wl, "win_rate");
    double pv = number_after(pipe, "win_rate_value"), wv = number_after(wl, "win_rate_value");
    assert_true(pw == ww);
    assert_true(pv == wv);
    near(ww, 7.0 / 12.0);
    near(wv, 92.0 / 153.0);
    assert_non_null(strstr(wl, "\"avg_won_deal_size\":\"131428.57\""));
    assert_non_null(strstr(pipe, "\"avg_won_deal_size\":\"131428.57\""));
    free(json);
    revops_dataset_free(ds);
}

/* As of 2025-06-01 only D-11 and D-13 exist, both open: nothing closed in the window. */
static void test_nothing_closed(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2025, 6, 1, 365);
    assert_int_equal(r.w.total.won + r.w.total.lost, 0);
    assert_true(isnan(r.w.total.win_rate));
    assert_true(isnan(r.w.total.win_rate_value));
    assert_true(isnan(r.w.total.cycle_mean));
    assert_true(isnan(r.w.total.cycle_median));
    for (int k = 0; k < REVOPS_WL_NDIMS; k++)
        assert_int_equal(r.w.nby[k], 0);
    assert_int_equal(r.w.nreasons, 0);
    assert_int_equal(r.w.nby_competitor, 0);
    char *json = analysis_json(r.ds, REVOPS_SECTION_WINLOSS, 2025, 6, 1, 365);
    assert_non_null(strstr(json, "\"win_rate\":null,\"win_rate_reason\":\"no deal closed in "
                                 "the window\""));
    assert_non_null(strstr(json, "\"avg_won_deal_size\":null,\"avg_won_deal_size_reason\":"
                                 "\"no deal won in the window\""));
    assert_non_null(strstr(json, "\"by_owner\":[]"));
    assert_non_null(strstr(json, "\"loss_reasons\":[]"));
    free(json);
    finish(&r);
}

/* As of 2025-07-01 with a one-day window: D-11 alone, lost (400 EUR x 100). */
static void test_all_lost(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2025, 7, 1, 1);
    assert_int_equal(r.w.window_start, revops_day_from_ymd(2025, 7, 1));
    assert_int_equal(r.w.total.won, 0);
    assert_int_equal(r.w.total.lost, 1);
    near(r.w.total.win_rate, 0.0);
    near(r.w.total.win_rate_value, 0.0);
    assert_true(isnan(r.w.total.cycle_mean));
    assert_int_equal(r.w.nby[REVOPS_WL_OWNER], 1);
    check_row(&r.w.by[REVOPS_WL_OWNER][0], "Clara Smirnova", 0, 1, 0, RUB(40000), NAN, NAN);
    assert_int_equal(r.w.nreasons, 1);
    check_reason(&r.w.reasons[0], NULL, "competitor", 1, 1.0, RUB(40000), 1.0);
    char *json = analysis_json(r.ds, REVOPS_SECTION_WINLOSS, 2025, 7, 1, 1);
    assert_non_null(strstr(json, "\"win_rate\":0,"));
    assert_non_null(strstr(json, "\"mean\":null,\"mean_reason\":\"no deal won in the window\""));
    /* The owner row: no average, no cycle. */
    assert_non_null(strstr(json, "\"avg_won_deal_size\":null,\"sales_cycle_days\":null,"
                                 "\"sales_cycle_days_median\":null"));
    free(json);
    finish(&r);
}

/* As of 2025-06-30 with a one-day window: D-13 alone, won; cycle May 1 -> Jun 30 = 60. */
static void test_all_won(void **state)
{
    (void)state;
    run r;
    start(&r, WINLOSS, 2025, 6, 30, 1);
    assert_int_equal(r.w.total.won, 1);
    assert_int_equal(r.w.total.lost, 0);
    near(r.w.total.win_rate, 1.0);
    near(r.w.total.win_rate_value, 1.0);
    assert_int_equal(r.w.total.avg_won_deal_size, RUB(70000));
    near(r.w.total.cycle_mean, 60.0);
    near(r.w.total.cycle_median, 60.0);
    check_row(&r.w.by[REVOPS_WL_SOURCE][0], "(none)", 1, 0, RUB(70000), 0, 60.0, 60.0);
    assert_int_equal(r.w.nreasons, 0);
    assert_int_equal(r.w.nby_competitor, 0);
    finish(&r);
}

/* Deals without amounts, an owner without a team, no product: the value win rate cannot be
 * computed, the labels say "(no team)" and "(none)". */
static void test_no_amounts_and_no_team(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    test_write(dir, "rep.csv", "id,name\nR-9,Zoe Lone\n");
    test_write(dir, "opportunity.csv",
               "id,owner_id,created_at,stage,amount,currency,close_date,closed_at\n"
               "Z-1,R-9,2026-01-01,closed_won,0.00,RUB,2026-02-01,2026-02-01T10:00:00Z\n"
               "Z-2,R-9,2026-01-01,closed_lost,0.00,RUB,2026-02-01,2026-02-01T10:00:00Z\n");
    run r;
    start(&r, dir, 2026, 2, 1, 365);
    near(r.w.total.win_rate, 0.5);
    assert_true(isnan(r.w.total.win_rate_value));
    /* Jan 1 -> Feb 1 = 31 days. */
    near(r.w.total.cycle_mean, 31.0);
    assert_string_equal(r.w.by[REVOPS_WL_OWNER][0].label, "Zoe Lone");
    assert_string_equal(r.w.by[REVOPS_WL_TEAM][0].label, "(no team)");
    assert_string_equal(r.w.by[REVOPS_WL_TEAM][0].id, "");
    assert_string_equal(r.w.by[REVOPS_WL_PRODUCT][0].label, "(none)");
    assert_true(isnan(r.w.reasons[0].amount_share));
    char *json = analysis_json(r.ds, REVOPS_SECTION_WINLOSS, 2026, 2, 1, 365);
    assert_non_null(strstr(json, "\"win_rate\":0.5,\"win_rate_value\":null,"
                                 "\"win_rate_value_reason\":\"the deals closed in the window "
                                 "have no amount\""));
    free(json);
    finish(&r);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_totals_over_the_window),
        cmocka_unit_test(test_breakdowns),
        cmocka_unit_test(test_loss_reasons),
        cmocka_unit_test(test_point_in_time),
        cmocka_unit_test(test_totals_equal_the_pipeline),
        cmocka_unit_test(test_nothing_closed),
        cmocka_unit_test(test_all_lost),
        cmocka_unit_test(test_all_won),
        cmocka_unit_test(test_no_amounts_and_no_team),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
