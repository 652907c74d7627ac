/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learned scores on generated data (revops gen, 20,000 deals, seed 1): trained before a
 * cut day and tested on the later slice, the learned deal and lead models must rank the
 * outcomes better than the plain stage baseline (AUC), and every listed score's factors must
 * add up to its logit; the churn risk must rank the accounts that churned in the 90 days after
 * the as-of day above the others (AUC). The generator gives renewals, better reps and later stages
 * better odds, which the models can learn and the stage probability alone cannot see.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "test_util.h"

static revops_dataset *data;
static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = test_tmpdir();
    revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
    go.out_dir = dir;
    go.scale = 20000;
    go.seed = 1;
    if (revops_gen(&go, NULL) != 0)
        return -1;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    int rc = revops_dataset_load_csv(&data, dir, &io, &r);
    revops_import_report_free(&r);
    return rc;
}

static int teardown(void **state)
{
    (void)state;
    revops_dataset_free(data);
    test_rmdir(dir);
    return 0;
}

static void expect_factor_sums(const revops_model_scores *s)
{
    assert_true(s->nitems > 0);
    for (size_t i = 0; i < s->nitems; i++) {
        const revops_model_item *it = &s->items[i];
        double sum = it->base;
        for (size_t k = 0; k < it->n; k++)
            sum += s->factors[it->first + k].contribution;
        if (fabs(sum - it->logit) > 1e-9 * (1 + fabs(it->logit)))
            fail_msg("%s: base + factors = %.17g, logit %.17g", it->id, sum, it->logit);
        if (i > 0)
            assert_true(it->logit <= s->items[i - 1].logit);
    }
}

static void test_deal_model_beats_stage_baseline(void **state)
{
    (void)state;
    revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
    mo.subject = REVOPS_SCORE_DEALS;
    mo.evaluate = 1;
    revops_model_scores *s;
    assert_int_equal(revops_score_model(&s, data, NULL, &mo), 0);
    /* Strict point in time: the training labels end on the cut day, the test snapshots start
     * on it. */
    assert_true(s->train.labels_until <= s->cut);
    assert_true(s->test.from >= s->cut);
    assert_true(s->train.examples > 1000 && s->test.examples > 1000);
    const revops_model_measures *m = &s->measures[REVOPS_MODEL_BLEND];
    print_message("deals: blend AUC %.4f, bayes %.4f, logistic %.4f, stage baseline %.4f\n", m->auc,
                  s->measures[REVOPS_MODEL_BAYES].auc, s->measures[REVOPS_MODEL_LOGISTIC].auc,
                  s->baseline.auc);
    assert_true(m->auc > s->baseline.auc);
    assert_true(m->log_loss < s->baseline.log_loss);
    assert_true(m->brier < s->baseline.brier);
    /* Ten calibration bins covering the test slice. */
    assert_int_equal(s->ncalibration, 10);
    size_t total = 0;
    for (size_t k = 0; k < s->ncalibration; k++)
        total += s->calibration[k].count;
    assert_int_equal(total, s->test.examples);
    revops_model_scores_free(s);
}

static void test_lead_model_beats_stage_baseline(void **state)
{
    (void)state;
    revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
    mo.subject = REVOPS_SCORE_LEADS;
    mo.evaluate = 1;
    revops_model_scores *s;
    assert_int_equal(revops_score_model(&s, data, NULL, &mo), 0);
    print_message("leads: blend AUC %.4f, stage baseline %.4f\n",
                  s->measures[REVOPS_MODEL_BLEND].auc, s->baseline.auc);
    assert_true(s->measures[REVOPS_MODEL_BLEND].auc > s->baseline.auc);
    revops_model_scores_free(s);
}

static void test_scores_explain_themselves(void **state)
{
    (void)state;
    for (int subject = 0; subject < 2; subject++) {
        for (int model = 0; model < 3; model++) {
            revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
            mo.subject = (revops_score_subject)subject;
            mo.model = (revops_model_kind)model;
            mo.top = 50;
            revops_model_scores *s;
            assert_int_equal(revops_score_model(&s, data, NULL, &mo), 0);
            assert_int_equal(s->nitems, 50);
            assert_true(s->scored >= 50);
            expect_factor_sums(s);
            revops_model_scores_free(s);
        }
    }
}

static void test_sampling_caps_the_training_set(void **state)
{
    (void)state;
    revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
    mo.subject = REVOPS_SCORE_LEADS;
    mo.max_examples = 20000;
    revops_model_scores *s;
    assert_int_equal(revops_score_model(&s, data, NULL, &mo), 0);
    assert_true(s->train.sample < 1);
    /* A hash sample: about the cap, not exactly. */
    assert_true(s->train.examples > 18000 && s->train.examples < 22000);
    revops_model_scores_free(s);
}

static void test_churn_risk_predicts_churn(void **state)
{
    (void)state;
    /* As of 90 days before the data end, against the accounts that churned in those 90 days:
     * the generator makes leaving customers use less, open more tickets, pay later and hear
     * less from their success manager. */
    revops_account_score_options o = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
    o.evaluate = 1;
    revops_account_scores *s;
    assert_int_equal(revops_score_accounts(&s, data, NULL, &o), 0);
    print_message("churn: %zu of %zu churned, AUC %.4f (usage %.4f, tickets %.4f, engagement "
                  "%.4f, payments %.4f)\n",
                  s->outcomes, s->customers, s->auc, s->signal_auc[0], s->signal_auc[1],
                  s->signal_auc[2], s->signal_auc[3]);
    assert_true(s->outcomes > 50);
    assert_true(s->auc > 0.7);
    for (int k = 0; k < REVOPS_ACCOUNT_SIGNALS; k++)
        assert_true(s->signal_auc[k] > 0.5);
    revops_account_scores_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deal_model_beats_stage_baseline),
        cmocka_unit_test(test_lead_model_beats_stage_baseline),
        cmocka_unit_test(test_scores_explain_themselves),
        cmocka_unit_test(test_sampling_caps_the_training_set),
        cmocka_unit_test(test_churn_risk_predicts_churn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
