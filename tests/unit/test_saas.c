/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recurring revenue: each movement's edge case on a few hand-written subscription items (an
 * upgrade and a downgrade in one month, two subscriptions with one cancelled, a churn and a
 * return, an account billed in another currency, a zero-MRR item, items ending on a month's
 * first and last day, the month of the as-of day), the rates on hand-made numbers, and the
 * identity MRR(m) = MRR(m-1) + movements on generated data for every month, against MRR
 * summed again item by item. The expected numbers in the comments are worked out by hand from
 * the rows above them.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytics/mrr.h"
#include "analytics/saas.h"
#include "model/dataset.h"
#include "revops/revops.h"
#include "test_util.h"

static const char *accounts = "id,name,created_at\n"
                              "A-1,Alpha,2025-01-01\n"
                              "A-2,Beta,2025-01-01\n"
                              "A-3,Gamma,2025-01-01\n";

static revops_dataset *load_rows(const char *items, const char *rates)
{
    char *dir = test_tmpdir();
    test_write(dir, "account.csv", accounts);
    test_write(dir, "subscription_item.csv", items);
    if (rates)
        test_write(dir, "fx_rate.csv", rates);
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    test_rmdir(dir);
    return ds;
}

static revops_day day_of(const char *text)
{
    revops_day d;
    assert_int_equal(revops_day_parse(&d, text, strlen(text)), 0);
    return d;
}

/* The grid of `ds` as of `as_of`, in RUB. */
static void build(revops_actx *c, revops_mrr *m, const revops_dataset *ds, const char *as_of)
{
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.as_of = day_of(as_of);
    o.currency = "RUB";
    assert_int_equal(revops_actx__init(c, ds, &o), 0);
    assert_int_equal(revops_mrr__build(m, c), 0);
}

/* The totals of month "YYYY-MM". */
static const revops_mrr_month *month(const revops_mrr *m, const char *text)
{
    revops_month mo;
    assert_int_equal(revops_month_parse(&mo, text, strlen(text)), 0);
    assert_true(mo >= m->first && mo < m->first + (revops_month)m->nmonths);
    return &m->months[mo - m->first];
}

static void check_identity(const revops_mrr *m)
{
    for (size_t k = 0; k < m->nmonths; k++) {
        const revops_mrr_month *t = &m->months[k];
        int64_t prev = k ? m->months[k - 1].mrr : 0;
        assert_int_equal(t->mrr, prev + t->new_mrr + t->expansion + t->contraction + t->churn +
                                     t->reactivation);
    }
}

/*
 * A-1 pays 1,000 from January; on 10 March it upgrades to 1,500, on 20 March it downgrades
 * to 800. Only the last day of the month counts: February 1,000, March 800, so March is a
 * contraction of -200 and no expansion at all.
 */
static void test_upgrade_and_downgrade_in_one_month(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-1,2025-01-05,2025-03-10,1000.00,RUB\n"
                                   "S-2,A-1,2025-03-10,2025-03-20,1500.00,RUB\n"
                                   "S-3,A-1,2025-03-20,,800.00,RUB\n",
                                   NULL);
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2025-04-30");
    assert_int_equal(m.first, revops_month_from_ym(2025, 1));
    assert_int_equal(m.nmonths, 4);
    assert_int_equal(month(&m, "2025-01")->new_mrr, 100000);
    assert_int_equal(month(&m, "2025-02")->mrr, 100000);
    const revops_mrr_month *mar = month(&m, "2025-03");
    assert_int_equal(mar->mrr, 80000);
    assert_int_equal(mar->contraction, -20000);
    assert_int_equal(mar->contracted, 1);
    assert_int_equal(mar->expansion, 0);
    assert_int_equal(month(&m, "2025-04")->mrr, 80000);
    check_identity(&m);
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/*
 * A-2 has two subscriptions, 600 and 400 (from January and February: the second is an
 * expansion of +400, the unit being the account); it cancels the 400 one with end date 1
 * April, so April is a contraction of -400, not a churn. A-2 stays a customer.
 */
static void test_second_subscription_and_cancelling_one(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-2,2025-01-15,,600.00,RUB\n"
                                   "S-2,A-2,2025-02-01,2025-04-01,400.00,RUB\n",
                                   NULL);
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2025-05-31");
    assert_int_equal(month(&m, "2025-01")->new_mrr, 60000);
    assert_int_equal(month(&m, "2025-02")->expansion, 40000);
    assert_int_equal(month(&m, "2025-02")->new_mrr, 0);
    assert_int_equal(month(&m, "2025-03")->mrr, 100000);
    const revops_mrr_month *apr = month(&m, "2025-04");
    assert_int_equal(apr->contraction, -40000);
    assert_int_equal(apr->churn, 0);
    assert_int_equal(apr->churned, 0);
    assert_int_equal(apr->customers, 1);
    check_identity(&m);
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/*
 * A-3 pays 500 from January to 28 February (end date 2025-03-01: its last paid day is 28
 * February, so February still counts it); March is a churn of -500. It comes back in May at
 * 700: a reactivation, not new, because it paid before. Another account, A-1, is new in May.
 */
static void test_churn_then_return(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-3,2025-01-01,2025-03-01,500.00,RUB\n"
                                   "S-2,A-3,2025-05-12,,700.00,RUB\n"
                                   "S-3,A-1,2025-05-02,,300.00,RUB\n",
                                   NULL);
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2025-06-30");
    assert_int_equal(month(&m, "2025-02")->mrr, 50000);
    const revops_mrr_month *mar = month(&m, "2025-03");
    assert_int_equal(mar->churn, -50000);
    assert_int_equal(mar->churned, 1);
    assert_int_equal(mar->customers, 0);
    assert_int_equal(month(&m, "2025-04")->mrr, 0);
    const revops_mrr_month *may = month(&m, "2025-05");
    assert_int_equal(may->reactivation, 70000);
    assert_int_equal(may->reactivated, 1);
    assert_int_equal(may->new_mrr, 30000);
    assert_int_equal(may->new_customers, 1);
    check_identity(&m);
    /* Logo churn in March: 1 churned of 1 customer at the end of February; the quick ratio
     * of May has nothing lost, so it is n/a; NRR over one month in May: nobody paid in
     * April. */
    revops_saas_rates r[6];
    assert_int_equal(m.nmonths, 6);
    revops_saas__rates(&m, r);
    assert_true(r[2].logo_churn_rate == 1.0);
    assert_true(r[2].gross_mrr_churn_rate == 1.0);
    assert_true(isnan(r[4].quick_ratio));
    assert_true(isnan(r[4].nrr_monthly));
    assert_true(isnan(r[3].logo_churn_rate));
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/*
 * A-1 pays 10.00 USD from 15 January, when a dollar is 90.00 roubles: 900.00 RUB. The dollar
 * moves to 100.00 in March, but the item keeps its start date's rate, so the rate move is no
 * movement. In April it adds 5.00 USD (a new item at 100.00: +500.00 RUB expansion).
 */
static void test_account_in_another_currency(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-1,2025-01-15,,10.00,USD\n"
                                   "S-2,A-1,2025-04-03,,5.00,USD\n",
                                   "date,currency,rate\n"
                                   "2025-01-01,USD,90.00\n"
                                   "2025-03-01,USD,100.00\n");
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2025-04-30");
    assert_int_equal(month(&m, "2025-01")->new_mrr, 90000);
    assert_int_equal(month(&m, "2025-03")->mrr, 90000);
    assert_int_equal(month(&m, "2025-03")->expansion + month(&m, "2025-03")->contraction, 0);
    assert_int_equal(month(&m, "2025-04")->expansion, 50000);
    assert_int_equal(month(&m, "2025-04")->mrr, 140000);
    check_identity(&m);
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/*
 * A zero-MRR item (a free plan) makes no customer and no movement: A-2 has only one, A-1 has
 * one beside a paid item. Customers stay 1, and A-2's later paid item is new, not a
 * reactivation, because a zero MRR is not paying.
 */
static void test_zero_mrr_item(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-2,2025-01-10,2025-03-01,0.00,RUB\n"
                                   "S-2,A-1,2025-01-10,,250.00,RUB\n"
                                   "S-3,A-1,2025-02-10,,0.00,RUB\n"
                                   "S-4,A-2,2025-03-10,,100.00,RUB\n",
                                   NULL);
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2025-03-31");
    assert_int_equal(m.naccounts, 2);
    assert_int_equal(month(&m, "2025-01")->customers, 1);
    assert_int_equal(month(&m, "2025-01")->new_customers, 1);
    assert_int_equal(month(&m, "2025-02")->customers, 1);
    assert_int_equal(month(&m, "2025-02")->expansion, 0);
    const revops_mrr_month *mar = month(&m, "2025-03");
    assert_int_equal(mar->new_mrr, 10000);
    assert_int_equal(mar->new_customers, 1);
    assert_int_equal(mar->reactivation, 0);
    assert_int_equal(mar->customers, 2);
    check_identity(&m);
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/*
 * End dates on month boundaries, and the month of the as-of day measured on that day: S-1
 * ends on 31 March, so on 31 March it is no longer active (end_date > day fails): March churns
 * it. S-2 ends on 1 April: active on 31 March, gone in April. S-3 ends on 20 May and the
 * analysis is as of 15 May: on 15 May it is still active, so May (measured on the 15th) keeps
 * it. S-4 starts on 16 May, after the as-of day: not known, no month for it.
 */
static void test_month_boundaries_and_the_as_of_month(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-1,2025-02-01,2025-03-31,100.00,RUB\n"
                                   "S-2,A-2,2025-02-01,2025-04-01,200.00,RUB\n"
                                   "S-3,A-3,2025-02-01,2025-05-20,400.00,RUB\n"
                                   "S-4,A-1,2025-05-16,,800.00,RUB\n",
                                   NULL);
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2025-05-15");
    assert_int_equal(m.nmonths, 4); /* February .. May */
    assert_int_equal(m.nitems, 3);
    assert_int_equal(month(&m, "2025-02")->mrr, 70000);
    assert_int_equal(month(&m, "2025-03")->mrr, 60000);
    assert_int_equal(month(&m, "2025-03")->churn, -10000);
    assert_int_equal(month(&m, "2025-04")->mrr, 40000);
    assert_int_equal(month(&m, "2025-04")->churn, -20000);
    assert_int_equal(month(&m, "2025-05")->mrr, 40000);
    assert_int_equal(revops_mrr__day(&m, 3), day_of("2025-05-15"));
    assert_int_equal(revops_mrr__day(&m, 2), day_of("2025-04-30"));
    check_identity(&m);
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/*
 * Retention and growth over 12 months, by hand: at the end of January 2025 A-1 pays 1,000 and
 * A-2 500 (base 1,500). By January 2026 A-1 pays 1,300 (expanded), A-2 has churned, and A-3
 * (new in 2025) pays 900. NRR = 1,300 / 1,500 = 0.8667; GRR = min(1,300, 1,000) / 1,500 =
 * 0.6667; ARR growth = 2,200 / 1,500 - 1 = 0.4667. The quick ratio of June 2025, when A-1
 * grows by 300 and A-2 churns 500: 300 / 500 = 0.6.
 */
static void test_retention_and_growth(void **state)
{
    (void)state;
    revops_dataset *ds = load_rows("id,account_id,start_date,end_date,mrr,currency\n"
                                   "S-1,A-1,2025-01-01,,1000.00,RUB\n"
                                   "S-2,A-2,2025-01-01,2025-06-10,500.00,RUB\n"
                                   "S-3,A-1,2025-06-01,,300.00,RUB\n"
                                   "S-4,A-3,2025-09-01,,900.00,RUB\n",
                                   NULL);
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, "2026-01-31");
    assert_int_equal(m.nmonths, 13);
    revops_saas_rates r[13];
    revops_saas__rates(&m, r);
    assert_float_equal(r[12].nrr, 1300.0 / 1500.0, 1e-12);
    assert_float_equal(r[12].grr, 1000.0 / 1500.0, 1e-12);
    assert_float_equal(r[12].arr_growth_yoy, 2200.0 / 1500.0 - 1.0, 1e-12);
    assert_true(isnan(r[11].nrr)); /* December 2025: December 2024 is before any item */
    assert_float_equal(r[5].quick_ratio, 0.6, 1e-12);
    /* June 2025: gross churn 500 / 1,500; net (500 - 300) / 1,500; one logo of two. */
    assert_float_equal(r[5].gross_mrr_churn_rate, 500.0 / 1500.0, 1e-12);
    assert_float_equal(r[5].net_mrr_churn_rate, 200.0 / 1500.0, 1e-12);
    assert_float_equal(r[5].logo_churn_rate, 0.5, 1e-12);
    assert_float_equal(r[5].grr_monthly, 1000.0 / 1500.0, 1e-12);
    assert_float_equal(r[5].nrr_monthly, 1300.0 / 1500.0, 1e-12);
    revops_mrr__free(&m);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

static void test_div_round(void **state)
{
    (void)state;
    assert_int_equal(revops_saas__div_round(10, 4), 3);   /* 2.5 -> 3 */
    assert_int_equal(revops_saas__div_round(-10, 4), -3); /* -2.5 -> -3 */
    assert_int_equal(revops_saas__div_round(9, 4), 2);    /* 2.25 */
    assert_int_equal(revops_saas__div_round(11, 4), 3);   /* 2.75 */
    assert_int_equal(revops_saas__div_round(INT64_MAX, INT64_MAX), 1);
}

/* ---- the identity on generated data ---- */

static int make_data(void **state)
{
    char *dir = test_tmpdir();
    revops_gen_options g = REVOPS_GEN_OPTIONS_INIT;
    g.out_dir = dir;
    g.scale = 3000;
    g.seed = 21;
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

/* Each month's MRR summed again, item by item, straight from the definition. */
static int64_t mrr_by_items(revops_actx *c, revops_day day)
{
    const revops_subscription_item_table *s = &c->ds->subscription_item;
    int64_t sum = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->start_date[i] <= day && (s->end_date[i] == REVOPS_NO_DAY || s->end_date[i] > day))
            sum += revops_actx__money(c, s->mrr[i], s->currency[i], s->start_date[i]);
    return sum;
}

static void identity_as_of(const revops_dataset *ds, const char *as_of)
{
    revops_actx c;
    revops_mrr m;
    build(&c, &m, ds, as_of);
    assert_true(m.nmonths > 12);
    int64_t moved = 0;
    for (size_t k = 0; k < m.nmonths; k++) {
        const revops_mrr_month *t = &m.months[k];
        assert_int_equal(t->mrr, mrr_by_items(&c, revops_mrr__day(&m, k)));
        int64_t prev = k ? m.months[k - 1].mrr : 0;
        assert_int_equal(t->mrr, prev + t->new_mrr + t->expansion + t->contraction + t->churn +
                                     t->reactivation);
        /* Signs: growth is positive, losses negative. */
        assert_true(t->new_mrr >= 0 && t->expansion >= 0 && t->reactivation >= 0);
        assert_true(t->contraction <= 0 && t->churn <= 0);
        moved += t->churn + t->reactivation + t->contraction;
    }
    /* Generated customers churn, return and shrink: the test would be vacuous otherwise. */
    assert_true(moved != 0);
    revops_mrr__free(&m);
    revops_actx__free(&c);
}

static void test_identity_on_generated_data(void **state)
{
    identity_as_of(*state, "2026-06-30");
    identity_as_of(*state, "2025-11-17");
}

int main(void)
{
    const struct CMUnitTest edge[] = {
        cmocka_unit_test(test_upgrade_and_downgrade_in_one_month),
        cmocka_unit_test(test_second_subscription_and_cancelling_one),
        cmocka_unit_test(test_churn_then_return),
        cmocka_unit_test(test_account_in_another_currency),
        cmocka_unit_test(test_zero_mrr_item),
        cmocka_unit_test(test_month_boundaries_and_the_as_of_month),
        cmocka_unit_test(test_retention_and_growth),
        cmocka_unit_test(test_div_round),
    };
    const struct CMUnitTest generated[] = {
        cmocka_unit_test(test_identity_on_generated_data),
    };
    int failed = cmocka_run_group_tests(edge, NULL, NULL);
    return failed + cmocka_run_group_tests(generated, make_data, free_data);
}
