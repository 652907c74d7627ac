/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learning pieces of the scores (lib/scoring/learn.h) on data small enough to work out by
 * hand: AUC with ties, log loss, Brier, calibration bins, naive Bayes counts with the prior,
 * logistic regression (a case with a closed-form answer, and one checked against an
 * independent reference computed in plain Python by gradient descent), the factor sums, and
 * the edge cases (one class, no features, a constant feature, separable data).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "scoring/learn.h"

#define NA NAN

/* cmocka's assert_float_equal compares floats; these numbers need doubles. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                    \
    } while (0)

static void test_auc_with_ties(void **state)
{
    (void)state;
    /* Positives score 0.9, 0.8, 0.7, 0.5; negatives 0.8, 0.5, 0.3. Of the 12 pairs the
     * positive is higher in 3 (0.9) + 2 (0.8 over 0.5, 0.3) + 2 (0.7) + 1 (0.5 over 0.3) = 8
     * and tied in 2 (0.8 = 0.8, 0.5 = 0.5), so AUC = (8 + 2 / 2) / 12 = 0.75. By mid-ranks:
     * 0.3 -> 1, 0.5 -> 2.5, 0.7 -> 4, 0.8 -> 5.5, 0.9 -> 7; positives' sum 2.5 + 4 + 5.5 + 7 = 19;
     * (19 - 4 * 5 / 2) / 12 = 0.75. */
    const double s[] = {0.9, 0.8, 0.8, 0.7, 0.5, 0.5, 0.3};
    const uint8_t y[] = {1, 1, 0, 1, 0, 1, 0};
    double auc;
    assert_int_equal(revops_eval__auc(&auc, s, y, 7), 0);
    assert_near(auc, 0.75, 1e-12);
    /* All tied: 0.5. Perfectly reversed: 0. */
    const double flat[] = {1, 1, 1, 1};
    const uint8_t y2[] = {1, 0, 0, 1};
    assert_int_equal(revops_eval__auc(&auc, flat, y2, 4), 0);
    assert_near(auc, 0.5, 1e-12);
    const double rev[] = {0.1, 0.9, 0.8, 0.2};
    assert_int_equal(revops_eval__auc(&auc, rev, y2, 4), 0);
    assert_near(auc, 0.0, 1e-12);
    /* One class only: no AUC. */
    const uint8_t ones[] = {1, 1, 1, 1};
    assert_int_equal(revops_eval__auc(&auc, rev, ones, 4), 0);
    assert_true(isnan(auc));
}

static void test_log_loss_and_brier(void **state)
{
    (void)state;
    /* -(ln 0.8 + ln(1 - 0.4) + ln 0.1) / 3 = (0.22314355 + 0.51082562 + 2.30258509) / 3
     * = 1.01218476; Brier ((0.2)^2 + (0.4)^2 + (0.9)^2) / 3 = 1.01 / 3. */
    const double p[] = {0.8, 0.4, 0.1};
    const uint8_t y[] = {1, 0, 1};
    assert_near(revops_eval__log_loss(p, y, 3), 1.0121847560, 1e-9);
    assert_near(revops_eval__brier(p, y, 3), 1.01 / 3, 1e-12);
    /* A certain, wrong prediction is clipped at 1e-15: -ln(1e-15) = 34.538776. */
    const double certain[] = {0.0};
    const uint8_t one[] = {1};
    assert_near(revops_eval__log_loss(certain, one, 1), 34.5387763949, 1e-6);
    assert_true(isnan(revops_eval__log_loss(p, y, 0)));
    assert_true(isnan(revops_eval__brier(p, y, 0)));
}

static void test_calibration_bins(void **state)
{
    (void)state;
    /* Five predictions in two bins: [0, 5/2) = the two lowest (0.1, 0.2: mean 0.15, none
     * positive) and [2, 5) = 0.3, 0.4, 0.5 (mean 0.4, two of three positive). Given in
     * shuffled order, so the sort is exercised. */
    const double p[] = {0.4, 0.1, 0.5, 0.3, 0.2};
    const uint8_t y[] = {0, 0, 1, 1, 0};
    revops_calibration_bin b[10];
    size_t n;
    assert_int_equal(revops_eval__calibration(b, &n, 2, p, y, 5), 0);
    assert_int_equal(n, 2);
    assert_int_equal(b[0].count, 2);
    assert_near(b[0].predicted, 0.15, 1e-12);
    assert_near(b[0].observed, 0.0, 1e-12);
    assert_near(b[0].low, 0.1, 1e-12);
    assert_near(b[0].high, 0.2, 1e-12);
    assert_int_equal(b[1].count, 3);
    assert_near(b[1].predicted, 0.4, 1e-12);
    assert_near(b[1].observed, 2.0 / 3.0, 1e-12);
    /* Ten bins of five examples: the empty ones are left out, one example each remains. */
    assert_int_equal(revops_eval__calibration(b, &n, 10, p, y, 5), 0);
    assert_int_equal(n, 5);
    assert_near(b[4].predicted, 0.5, 1e-12);
    assert_near(b[4].observed, 1.0, 1e-12);
}

/* Two fields, A (values 1 = x, 2 = y, 3 = z) and B (10 = k, 11 = m), six examples:
 *   A B  label
 *   x k  1
 *   x k  0
 *   y k  1
 *   y m  1
 *   y m  0
 *   z m  0
 * n1 = n0 = 3, base ln(3 / 3) = 0. With alpha 1, A spreads over V = 3 values (denominators
 * 3 + 3 = 6), B over 2 (3 + 2 = 5):
 *   A=x: (1+1)/6 vs (1+1)/6 -> 0;  A=y: (2+1)/6 vs (1+1)/6 -> ln 1.5;  A=z: 1/6 vs 2/6 -> ln 0.5
 *   B=k: (2+1)/5 vs (1+1)/5 -> ln 1.5;  B=m: (1+1)/5 vs (2+1)/5 -> ln(2/3)
 */
static const uint32_t nb_x[] = {1, 10, 1, 10, 2, 10, 2, 11, 2, 11, 3, 11};
static const uint8_t nb_y[] = {1, 0, 1, 1, 0, 0};

static void test_naive_bayes_counts_with_prior(void **state)
{
    (void)state;
    revops_nb m;
    assert_int_equal(revops_nb__fit(&m, nb_x, nb_y, 6, 2, 1.0), 0);
    assert_near(m.base, 0.0, 1e-12);
    assert_int_equal(m.fields[0].nvalues, 3);
    assert_int_equal(m.fields[1].nvalues, 2);
    uint64_t n1, n0;
    revops_nb__counts(&m, 0, 2, &n1, &n0);
    assert_int_equal(n1, 2);
    assert_int_equal(n0, 1);
    revops_nb__counts(&m, 1, 11, &n1, &n0);
    assert_int_equal(n1, 1);
    assert_int_equal(n0, 2);
    assert_near(revops_nb__llr(&m, 0, 1), 0.0, 1e-12);
    assert_near(revops_nb__llr(&m, 0, 2), log(1.5), 1e-12);
    assert_near(revops_nb__llr(&m, 0, 3), log(0.5), 1e-12);
    assert_near(revops_nb__llr(&m, 1, 10), log(1.5), 1e-12);
    assert_near(revops_nb__llr(&m, 1, 11), log(2.0 / 3.0), 1e-12);
    /* A value never seen says nothing. */
    assert_near(revops_nb__llr(&m, 0, 99), 0.0, 0);
    revops_nb__counts(&m, 0, 99, &n1, &n0);
    assert_int_equal(n1 + n0, 0);
    /* (A=y, B=k): logit 2 ln 1.5, p = 2.25 / 3.25; the factors add up to the logit. */
    const uint32_t ex[] = {2, 10};
    double c[2];
    double logit = revops_nb__logit(&m, ex, c);
    assert_near(logit, 2 * log(1.5), 1e-12);
    assert_near(m.base + c[0] + c[1], logit, 1e-12);
    assert_near(revops_eval__sigmoid(logit), 2.25 / 3.25, 1e-12);
    revops_nb__free(&m);

    /* Unbalanced classes: drop the last example (a negative): n1 = 3, n0 = 2, base ln 1.5;
     * A now has V = 2 (z is gone): A=y: (2+1)/(3+2) vs (1+1)/(2+2) -> ln(0.6 / 0.5). */
    assert_int_equal(revops_nb__fit(&m, nb_x, nb_y, 5, 2, 1.0), 0);
    assert_near(m.base, log(1.5), 1e-12);
    assert_near(revops_nb__llr(&m, 0, 2), log(0.6 / 0.5), 1e-12);
    revops_nb__free(&m);
}

static void test_naive_bayes_many_values(void **state)
{
    (void)state;
    /* 1000 distinct keys in one field make the table grow; every count must survive it.
     * Key k is positive when k is even; with alpha 0.5 and V = 1000, n1 = n0 = 500:
     * each even key has llr ln((1 + 0.5) / 1000) - ln(0.5 / 1000) = ln 3. */
    enum { N = 1000 };
    uint32_t x[N];
    uint8_t y[N];
    for (uint32_t i = 0; i < N; i++) {
        x[i] = i * 7919u;
        y[i] = i % 2 == 0;
    }
    revops_nb m;
    assert_int_equal(revops_nb__fit(&m, x, y, N, 1, 0.5), 0);
    assert_int_equal(m.fields[0].nvalues, N);
    for (uint32_t i = 0; i < N; i++) {
        double want = i % 2 == 0 ? log(3.0) : -log(3.0);
        assert_near(revops_nb__llr(&m, 0, x[i]), want, 1e-12);
    }
    revops_nb__free(&m);
}

static void test_one_class_is_an_error(void **state)
{
    (void)state;
    const uint8_t y[] = {1, 1, 1};
    const uint32_t c[] = {1, 2, 3};
    const double x[] = {1, 2, 3};
    revops_nb nb;
    revops_lr lr;
    assert_int_equal(revops_nb__fit(&nb, c, y, 3, 1, 1.0), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "all positive (3 of them)"));
    assert_int_equal(revops_lr__fit(&lr, x, y, 3, 1, 1.0), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "both outcomes"));
    assert_int_equal(revops_lr__fit(&lr, x, y, 0, 1, 1.0), REVOPS_EINVALID);
    /* A negative penalty or prior is refused. */
    const uint8_t mixed[] = {1, 0, 1};
    assert_int_equal(revops_lr__fit(&lr, x, mixed, 3, 1, -1.0), REVOPS_EINVALID);
    assert_int_equal(revops_nb__fit(&nb, c, mixed, 3, 1, -1.0), REVOPS_EINVALID);
}

static void test_logistic_closed_form(void **state)
{
    (void)state;
    /* One binary feature, no penalty: the fit reproduces each group's rate, 1/4 positive at
     * x = 0 and 3/4 at x = 1. Standardised (mean 0.5, sd 0.5) the groups sit at z = -1 and
     * z = 1, so b0 - b = ln(1/3) and b0 + b = ln 3: b0 = 0, b = ln 3. */
    const double x[] = {0, 0, 0, 0, 1, 1, 1, 1};
    const uint8_t y[] = {1, 0, 0, 0, 1, 1, 1, 0};
    revops_lr m;
    assert_int_equal(revops_lr__fit(&m, x, y, 8, 1, 0.0), 0);
    assert_near(m.mean[0], 0.5, 1e-12);
    assert_near(m.sd[0], 0.5, 1e-12);
    assert_near(m.intercept, 0.0, 1e-9);
    assert_near(m.beta[0], log(3.0), 1e-9);
    double c;
    double logit = revops_lr__logit(&m, &x[4], &c);
    assert_near(revops_eval__sigmoid(logit), 0.75, 1e-9);
    assert_near(m.intercept + c, logit, 1e-12);
    /* A missing value reads as the mean: z = 0, no contribution. */
    const double missing = NA;
    assert_near(revops_lr__logit(&m, &missing, &c), m.intercept, 1e-12);
    assert_near(c, 0.0, 0);
    revops_lr__free(&m);
}

static void test_logistic_against_python_reference(void **state)
{
    (void)state;
    /* Two features, penalty 1. The reference is plain gradient descent in Python (200,000
     * steps of 0.05 on the same standardised, penalised objective; gradient below 1e-14 at the
     * end), a different method from the Newton steps here:
     *   b0 = 0.6503036434546977, b1 = 0.6553128141726687, b2 = 1.2393957494893768
     * with x1: mean 5.5, sd 2.8722813232690143 and x2: mean 3.9, sd 2.3430749027719964. */
    const double x[] = {1, 3, 2, 1, 3, 4, 4, 1, 5, 5, 6, 9, 7, 2, 8, 6, 9, 5, 10, 3};
    const uint8_t y[] = {0, 0, 1, 0, 1, 1, 0, 1, 1, 1};
    revops_lr m;
    assert_int_equal(revops_lr__fit(&m, x, y, 10, 2, 1.0), 0);
    assert_near(m.mean[0], 5.5, 1e-12);
    assert_near(m.sd[0], 2.8722813232690143, 1e-12);
    assert_near(m.sd[1], 2.3430749027719964, 1e-12);
    assert_near(m.intercept, 0.6503036434546977, 1e-8);
    assert_near(m.beta[0], 0.6553128141726687, 1e-8);
    assert_near(m.beta[1], 1.2393957494893768, 1e-8);
    assert_true(m.iterations < 20);
    /* Each example's factors add up to its logit. */
    for (size_t i = 0; i < 10; i++) {
        double c[2];
        double logit = revops_lr__logit(&m, &x[2 * i], c);
        assert_near(m.intercept + c[0] + c[1], logit, 1e-12);
        assert_near(c[0], m.beta[0] * (x[2 * i] - 5.5) / m.sd[0], 1e-12);
    }
    revops_lr__free(&m);
}

static void test_logistic_separable_stays_finite(void **state)
{
    (void)state;
    /* Perfectly separated at x = 2.5: without a penalty the coefficient would run off to
     * infinity; with 0.001 it stops where the gradient vanishes (checked: the penalised
     * score equations hold at the solution). */
    const double x[] = {1, 2, 3, 4};
    const uint8_t y[] = {0, 0, 1, 1};
    revops_lr m;
    assert_int_equal(revops_lr__fit(&m, x, y, 4, 1, 0.001), 0);
    assert_true(isfinite(m.beta[0]) && m.beta[0] > 5);
    double g0 = 0, g1 = m.l2 * m.beta[0];
    for (size_t i = 0; i < 4; i++) {
        double p = revops_eval__sigmoid(revops_lr__logit(&m, &x[i], NULL));
        double z = (x[i] - m.mean[0]) / m.sd[0];
        g0 += p - y[i];
        g1 += (p - y[i]) * z;
    }
    assert_near(g0, 0.0, 1e-7);
    assert_near(g1, 0.0, 1e-7);
    revops_lr__free(&m);
}

static void test_logistic_no_features_and_constant(void **state)
{
    (void)state;
    /* No features: the intercept is the log odds, 3 positives of 4: ln 3. */
    const uint8_t y[] = {1, 1, 0, 1};
    revops_lr m;
    assert_int_equal(revops_lr__fit(&m, NULL, y, 4, 0, 1.0), 0);
    assert_near(m.intercept, log(3.0), 1e-12);
    assert_near(revops_lr__logit(&m, NULL, NULL), log(3.0), 1e-12);
    revops_lr__free(&m);
    /* A constant feature (and one never known) keeps coefficient 0 and is flagged; the
     * informative one, x = 0, 0, 1, 1 against labels 1, 1, 0, 1 (rates 1 and 1/2), gets a
     * negative coefficient, finite thanks to the penalty; the constant ones contribute
     * nothing. */
    const double x[] = {5, NA, 0, 5, NA, 0, 5, NA, 1, 5, NA, 1};
    assert_int_equal(revops_lr__fit(&m, x, y, 4, 3, 1.0), 0);
    assert_int_equal(m.constant[0], 1);
    assert_int_equal(m.constant[1], 1);
    assert_int_equal(m.constant[2], 0);
    assert_near(m.beta[0], 0.0, 0);
    assert_near(m.beta[1], 0.0, 0);
    assert_true(m.beta[2] < 0 && isfinite(m.beta[2]));
    double c[3];
    double logit = revops_lr__logit(&m, &x[9], c);
    assert_near(c[0], 0.0, 0);
    assert_near(c[1], 0.0, 0);
    assert_near(m.intercept + c[2], logit, 1e-12);
    revops_lr__free(&m);
    /* Naive Bayes without fields: the base alone. */
    revops_nb nb;
    assert_int_equal(revops_nb__fit(&nb, NULL, y, 4, 0, 1.0), 0);
    assert_near(revops_nb__logit(&nb, NULL, NULL), log(3.0), 1e-12);
    revops_nb__free(&nb);
}

static void test_logistic_collinear_without_penalty(void **state)
{
    (void)state;
    /* The second feature is twice the first: without a penalty the Newton system is
     * singular, which is an error that says what to do; with one it is fine. */
    const double x[] = {1, 2, 2, 4, 3, 6, 4, 8, 5, 10};
    const uint8_t y[] = {0, 1, 0, 1, 1};
    revops_lr m;
    assert_int_equal(revops_lr__fit(&m, x, y, 5, 2, 0.0), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "collinear"));
    assert_int_equal(revops_lr__fit(&m, x, y, 5, 2, 1.0), 0);
    /* Standardised, the two are the same column: the penalty splits the weight evenly. */
    assert_near(m.beta[0], m.beta[1], 1e-9);
    revops_lr__free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_with_ties),
        cmocka_unit_test(test_log_loss_and_brier),
        cmocka_unit_test(test_calibration_bins),
        cmocka_unit_test(test_naive_bayes_counts_with_prior),
        cmocka_unit_test(test_naive_bayes_many_values),
        cmocka_unit_test(test_one_class_is_an_error),
        cmocka_unit_test(test_logistic_closed_form),
        cmocka_unit_test(test_logistic_against_python_reference),
        cmocka_unit_test(test_logistic_separable_stays_finite),
        cmocka_unit_test(test_logistic_no_features_and_constant),
        cmocka_unit_test(test_logistic_collinear_without_penalty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
