/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Churn risk and expansion on the two paying accounts of tests/fixtures/scoring (README.md
 * there derives every signal), as of 2026-04-30: each signal's value, the renormalised weights
 * when a signal cannot be computed, the contributions adding up to the score, point in time
 * (events after the as-of day are not seen) and the evaluation against the next 90 days.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "revops/revops.h"

#define FIXTURE REVOPS_SOURCE_DIR "/tests/fixtures/scoring"

#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                    \
    } while (0)

static revops_dataset *load(void)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, FIXTURE, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    return ds;
}

static revops_day day(const char *s)
{
    revops_day d;
    assert_int_equal(revops_day_parse(&d, s, strlen(s)), 0);
    return d;
}

static const revops_account_score *find(const revops_account_scores *s, const char *id)
{
    for (size_t i = 0; i < s->naccounts; i++)
        if (strcmp(s->accounts[i].account, id) == 0)
            return &s->accounts[i];
    fail_msg("account %s not listed", id);
    return NULL;
}

static void expect_sum(const revops_account_score *a)
{
    double sum = 0;
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
        sum += a->signals[k].contribution;
    assert_near(sum, a->score, 1e-12);
}

static void test_churn_signals(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_account_score_options o = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-04-30");
    o.evaluate = 1;
    revops_account_scores *s;
    assert_int_equal(revops_score_accounts(&s, ds, NULL, &o), 0);
    assert_int_equal(s->customers, 2);
    assert_int_equal(s->scored, 2);
    const revops_account_score *a1 = find(s, "A-1"), *a2 = find(s, "A-2");
    /* logins 300 -> 180: 0.4; reports 30 -> 45: 0; exports 5 -> 0: 1; mean 1.4 / 3. */
    assert_near(a1->signals[0].value, 1.4 / 3, 1e-12);
    assert_near(a1->signals[0].recent, 225, 0);
    assert_near(a1->signals[0].prior, 335, 0);
    /* Tickets 2 -> 3: (3 - 2) / 2; activities 8 -> 4: 1 - 4 / 8. */
    assert_near(a1->signals[1].value, 0.5, 0);
    assert_near(a1->signals[1].recent, 3, 0);
    assert_near(a1->signals[1].prior, 2, 0);
    assert_near(a1->signals[2].value, 0.5, 0);
    assert_near(a1->signals[2].recent, 4, 0);
    assert_near(a1->signals[2].prior, 8, 0);
    /* Invoices: 10, 0 and 46 days late (I-3 unpaid on 04-30), I-4 not yet due, I-6 void:
     * 56 / 3 / 30. */
    assert_near(a1->signals[3].value, 56.0 / 3 / 30, 1e-12);
    assert_near(a1->signals[3].recent, 56.0 / 3, 1e-12);
    assert_near(a1->score, 0.3 * 1.4 / 3 + 0.25 * 0.5 + 0.25 * 0.5 + 0.2 * 56.0 / 90, 1e-12);
    assert_int_equal(a1->mrr, 1500000); /* S-1 10,000 + S-4 5,000; S-5 starts in June */
    expect_sum(a1);
    /* paying only since March: no usage, tickets and activities not compared; 36 days
     * late -> 1; its weight alone (0.2) becomes the whole. */
    assert_true(isnan(a2->signals[0].value));
    assert_true(isnan(a2->signals[1].value));
    assert_non_null(strstr(a2->signals[1].reason, "not a customer 180 days before"));
    assert_true(isnan(a2->signals[2].value));
    assert_near(a2->signals[3].value, 1, 0);
    assert_near(a2->signals[3].contribution, 1, 0);
    assert_near(a2->score, 1, 0);
    expect_sum(a2);
    /* A-2 first; it churned by 07-29 (S-2 and S-3 ended), A-1 did not: AUC 1. */
    assert_string_equal(s->accounts[0].account, "A-2");
    assert_int_equal(s->outcomes, 1);
    assert_int_equal(a2->outcome, 1);
    assert_int_equal(a1->outcome, 0);
    assert_near(s->auc, 1, 0);
    assert_near(s->signal_auc[3], 1, 0);
    assert_true(isnan(s->signal_auc[0])); /* A-1 alone has it: one outcome */
    revops_account_scores_free(s);
    revops_dataset_free(ds);
}

static void test_expansion_signals(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_account_score_options o = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
    o.kind = REVOPS_ACCOUNT_EXPANSION;
    o.as_of = day("2026-04-30");
    o.evaluate = 1;
    revops_account_scores *s;
    assert_int_equal(revops_score_accounts(&s, ds, NULL, &o), 0);
    const revops_account_score *a1 = find(s, "A-1"), *a2 = find(s, "A-2");
    double risk1 = 0.3 * 1.4 / 3 + 0.25 * 0.5 + 0.25 * 0.5 + 0.2 * 56.0 / 90;
    /* logins and reports of the three metrics in the data; MRR 15,000 from 10,000; health
     * 1 - risk; S-4 started 51 days before. */
    assert_near(a1->signals[0].value, 2.0 / 3, 1e-12);
    assert_near(a1->signals[1].value, 0.5, 1e-12);
    assert_near(a1->signals[2].value, 1 - risk1, 1e-12);
    assert_near(a1->signals[3].value, 51.0 / 365, 1e-12);
    assert_near(a1->score, 0.3 * 2.0 / 3 + 0.25 * 0.5 + 0.25 * (1 - risk1) + 0.2 * 51.0 / 365,
                1e-12);
    expect_sum(a1);
    /* no usage (0 of 3), no MRR in January (left out), risk 1, 60 days since March 1:
     * (0.2 x 60 / 365) / (0.3 + 0.25 + 0.2). */
    assert_near(a2->signals[0].value, 0, 0);
    assert_true(isnan(a2->signals[1].value));
    assert_near(a2->score, 0.2 * 60.0 / 365 / 0.75, 1e-12);
    expect_sum(a2);
    assert_int_equal(s->flagged, 0); /* nobody above 0.7 */
    /* A-1 expanded by 07-29 (S-5 from June 1): the better score, AUC 1. */
    assert_int_equal(a1->outcome, 1);
    assert_int_equal(a2->outcome, 0);
    assert_near(s->auc, 1, 0);
    revops_account_scores_free(s);
    revops_dataset_free(ds);
}

static void test_evaluation_needs_the_future(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_account_score_options o = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
    o.as_of = day("2026-05-15");
    o.evaluate = 1;
    revops_account_scores *s = NULL;
    /* The data end on 08-01 (a ticket): as of 05-15, 90 days reach 08-13. */
    assert_int_equal(revops_score_accounts(&s, ds, NULL, &o), REVOPS_EINVALID);
    assert_null(s);
    assert_non_null(strstr(revops_error_last()->message, "reach 2026-08-13"));
    /* Without --as-of, evaluation takes the day 90 days before the data end: 05-03. */
    o.as_of = INT32_MIN;
    assert_int_equal(revops_score_accounts(&s, ds, NULL, &o), 0);
    assert_int_equal(s->as_of, day("2026-05-03"));
    revops_account_scores_free(s);
    /* A configuration's weights are used. */
    const char *yaml = "revops:\n  analytics:\n    scoring:\n      churn:\n        weights: "
                       "{usage_decline: 0, ticket_increase: 0, engagement_reduction: 0, "
                       "payment_delays: 1}\n";
    revops_config *cfg;
    assert_int_equal(revops_config_load_string(&cfg, yaml, strlen(yaml), "t.yaml", NULL), 0);
    o.as_of = day("2026-04-30");
    o.evaluate = 0;
    assert_int_equal(revops_score_accounts(&s, ds, cfg, &o), 0);
    assert_near(find(s, "A-1")->score, 56.0 / 90, 1e-12);
    revops_account_scores_free(s);
    revops_config_free(cfg);
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_churn_signals),
        cmocka_unit_test(test_expansion_signals),
        cmocka_unit_test(test_evaluation_needs_the_future),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
