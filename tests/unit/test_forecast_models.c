/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast's models against references.
 *
 * Holt-Winters and Holt: tests/fixtures/holtwinters/reference.out was written by R 4.2.2
 * (Debian's r-base-core 4.2.2.20221110-2) running tests/fixtures/holtwinters/reference.R: R's
 * own HoltWinters() on the AirPassengers series of R's datasets package (monthly airline
 * passengers 1949-1960, 144 values, printed on the "data:" line), additive seasonality, once
 * with parameters chosen by R (L-BFGS-B) and once with fixed alpha 0.3, beta 0.1, gamma 0.2;
 * and Holt's linear trend (gamma = FALSE) on its first 20 values, fitted and with fixed alpha
 * 0.5, beta 0.2. R printed its start values, the one-step forecasts (fitted xhat), the SSE,
 * the final coefficients and the next 12 forecasts with 17 significant digits; the tests
 * compare ours at the same parameters within 1e-9 relative.
 *
 * Least squares: a case solved by hand. The Monte Carlo: its mean against the analytic
 * expectation, and its totals the same whatever the thread count.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "analytics/forecast.h"
#include "test_util.h"

static char *reference;

/* The numbers after `prefix` at the start of a line of the reference output. */
static size_t numbers(const char *prefix, double *out, size_t cap)
{
    const char *p = reference;
    size_t plen = strlen(prefix);
    while (p && strncmp(p, prefix, plen) != 0) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    if (!p)
        fail_msg("no line '%s' in the reference", prefix);
    p += plen;
    size_t n = 0;
    while (*p && *p != '\n' && n < cap) {
        while (*p == ' ' || *p == ',')
            p++;
        if (*p == '\n' || !*p)
            break;
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            break;
        out[n++] = v;
        p = end;
    }
    return n;
}

static void assert_close(double got, double want, double rel)
{
    double tol = rel * (fabs(want) > 1 ? fabs(want) : 1);
    if (fabs(got - want) > tol)
        fail_msg("got %.17g, want %.17g", got, want);
}

static int load_reference(void **state)
{
    (void)state;
    char path[1024];
    snprintf(path, sizeof(path), "%s/holtwinters/reference.out", getenv("REVOPS_FIXTURES"));
    reference = test_read(path);
    return reference ? 0 : -1;
}

static int free_reference(void **state)
{
    (void)state;
    free(reference);
    return 0;
}

static double air[144];

static void load_air(void)
{
    assert_int_equal(numbers("data:", air, 144), 144);
}

/* R's start values: decompose() of the first two years and a line through its trend. */
static void test_hw_start_values_match_r(void **state)
{
    (void)state;
    load_air();
    revops_hw hw = {0};
    assert_int_equal(revops_fc__hw_start(&hw, air, 144, 12), 0);
    double lb[4], s[12];
    assert_int_equal(numbers("start l", lb, 1), 1);
    assert_close(hw.l0, lb[0], 1e-12);
    /* "start l <l> b <b>": the b value follows the word b. */
    const char *b = strstr(reference, "start l");
    b = strstr(b, " b ");
    assert_non_null(b);
    assert_close(hw.b0, strtod(b + 3, NULL), 1e-12);
    assert_int_equal(numbers("start s", s, 12), 12);
    for (int i = 0; i < 12; i++)
        assert_close(hw.s0[i], s[i], 1e-12);
    assert_int_equal(hw.first, 12);
}

/* At fixed parameters: every one-step forecast, the SSE and the final state. */
static void test_hw_fixed_parameters_match_r(void **state)
{
    (void)state;
    load_air();
    revops_hw hw = {0};
    hw.alpha = 0.3;
    hw.beta = 0.1;
    hw.gamma = 0.2;
    assert_int_equal(revops_fc__hw_start(&hw, air, 144, 12), 0);
    double fitted[144], want[144], sse, coef[14];
    revops_fc__hw_filter(&hw, air, 144, fitted);
    assert_int_equal(numbers("fixed xhat", want, 144), 132);
    for (int i = 0; i < 132; i++)
        assert_close(fitted[12 + i], want[i], 1e-9);
    assert_int_equal(numbers("fixed SSE", &sse, 1), 1);
    assert_close(hw.sse, sse, 1e-9);
    /* R's coefficients: a, b, then s1 .. s12 (the seasonal terms of the next 12 months). */
    assert_int_equal(numbers("fixed coef", coef, 14), 14);
    assert_close(hw.level, coef[0], 1e-9);
    assert_close(hw.trend, coef[1], 1e-9);
    for (int k = 0; k < 12; k++)
        assert_close(hw.season[k], coef[2 + k], 1e-9);
}

/* At R's own optimum: the same forecasts; and our fit finds an SSE no worse than R's. */
static void test_hw_fit_matches_r(void **state)
{
    (void)state;
    load_air();
    const char *line = strstr(reference, "\nalpha ");
    assert_non_null(line);
    double alpha, beta, gamma, sse;
    assert_int_equal(
        sscanf(line + 1, "alpha %lf beta %lf gamma %lf SSE %lf", &alpha, &beta, &gamma, &sse), 4);
    revops_hw hw = {0};
    hw.alpha = alpha;
    hw.beta = beta;
    hw.gamma = gamma;
    assert_int_equal(revops_fc__hw_start(&hw, air, 144, 12), 0);
    double fitted[144], want[144], pred[12];
    revops_fc__hw_filter(&hw, air, 144, fitted);
    assert_int_equal(numbers("xhat", want, 144), 132);
    for (int i = 0; i < 132; i++)
        assert_close(fitted[12 + i], want[i], 1e-9);
    assert_close(hw.sse, sse, 1e-9);
    assert_int_equal(numbers("pred", pred, 12), 12);
    for (int h = 1; h <= 12; h++)
        assert_close(revops_fc__hw_forecast(&hw, h), pred[h - 1], 1e-9);

    revops_hw fit;
    assert_int_equal(revops_fc__hw_fit(&fit, air, 144, 12), 0);
    assert_true(fit.sse <= sse * (1 + 1e-6));
    /* R's optimum has gamma on its bound, 1: the fit reaches it too. */
    assert_true(fit.gamma > 0.99);
    assert_true(fabs(fit.alpha - alpha) < 0.02);
}

/* Holt's linear trend on the first 20 values: fixed parameters, then the fit. */
static void test_holt_matches_r(void **state)
{
    (void)state;
    load_air();
    revops_hw hw = {0};
    hw.alpha = 0.5;
    hw.beta = 0.2;
    assert_int_equal(revops_fc__hw_start(&hw, air, 20, 0), 0);
    assert_int_equal(hw.first, 2);
    double fitted[20], want[20], coef[2];
    revops_fc__hw_filter(&hw, air, 20, fitted);
    assert_int_equal(numbers("holt fixed xhat", want, 20), 18);
    for (int i = 0; i < 18; i++)
        assert_close(fitted[2 + i], want[i], 1e-9);
    const char *line = strstr(reference, "holt fixed SSE");
    assert_non_null(line);
    double sse;
    assert_int_equal(sscanf(line, "holt fixed SSE %lf coef %lf, %lf", &sse, &coef[0], &coef[1]), 3);
    assert_close(hw.sse, sse, 1e-9);
    assert_close(hw.level, coef[0], 1e-9);
    assert_close(hw.trend, coef[1], 1e-9);

    line = strstr(reference, "holt alpha");
    assert_non_null(line);
    double ra, rb, rsse;
    assert_int_equal(sscanf(line, "holt alpha %lf beta %lf SSE %lf", &ra, &rb, &rsse), 3);
    revops_hw fit;
    assert_int_equal(revops_fc__hw_fit(&fit, air, 20, 0), 0);
    assert_true(fit.sse <= rsse * (1 + 1e-6));
}

static void test_hw_too_short(void **state)
{
    (void)state;
    double x[23] = {0};
    revops_hw hw;
    assert_int_equal(revops_fc__hw_fit(&hw, x, 23, 12), -1);
    assert_int_equal(revops_fc__hw_fit(&hw, x, 2, 0), -1);
}

/*
 * By hand: x = 1, 2, 3, 4 and y = 2, 3, 5, 6. Means 2.5 and 4; Sxx = 2.25 + 0.25 + 0.25 +
 * 2.25 = 5; Sxy = (-1.5)(-2) + (-0.5)(-1) + (0.5)(1) + (1.5)(2) = 7; slope 7 / 5 = 1.4,
 * intercept 4 - 1.4 x 2.5 = 0.5.
 */
static void test_ols_by_hand(void **state)
{
    (void)state;
    double x[] = {1, 2, 3, 4}, y[] = {2, 3, 5, 6}, a, b;
    assert_int_equal(revops_fc__ols(x, y, 4, &a, &b), 0);
    assert_close(a, 0.5, 1e-12);
    assert_close(b, 1.4, 1e-12);
    double flat[] = {3, 3, 3};
    assert_int_equal(revops_fc__ols(flat, y, 3, &a, &b), -1);
    assert_int_equal(revops_fc__ols(x, y, 1, &a, &b), -1);
}

/* A simulated pipeline: 2,000 deals of 1,000.00 .. 20,990.00 with chances 0.05 .. 0.95. */
static void make_deals(int64_t *amount, double *prob, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        amount[i] = 100000 + (int64_t)(i % 200) * 10000;
        prob[i] = 0.05 + 0.9 * (double)(i % 37) / 36.0;
    }
}

/* The mean of 10,000 runs is within 1 % of base + sum of amount x probability. */
static void test_simulation_mean_converges(void **state)
{
    (void)state;
    enum { N = 2000, RUNS = 10000 };
    static int64_t amount[N], totals[RUNS];
    static double prob[N];
    make_deals(amount, prob, N);
    double exact = 5000000;
    for (size_t i = 0; i < N; i++)
        exact += (double)amount[i] * prob[i];
    revops_fc_sim s = {amount, prob, N, 5000000, RUNS, 42, 2};
    assert_int_equal(revops_fc__simulate(&s, totals), 0);
    double mean = 0;
    for (size_t r = 0; r < RUNS; r++)
        mean += (double)totals[r];
    mean /= RUNS;
    assert_true(fabs(mean - exact) / exact < 0.01);
    /* The runs differ: the simulation draws. */
    assert_true(totals[0] != totals[1] || totals[1] != totals[2]);
}

/* One, two and three threads give the same totals; another seed gives others. */
static void test_simulation_independent_of_threads(void **state)
{
    (void)state;
    enum { N = 300, RUNS = 1003 };
    static int64_t amount[N], a[RUNS], b[RUNS], c[RUNS], d[RUNS];
    static double prob[N];
    make_deals(amount, prob, N);
    revops_fc_sim s = {amount, prob, N, 0, RUNS, 7, 1};
    assert_int_equal(revops_fc__simulate(&s, a), 0);
    s.threads = 2;
    assert_int_equal(revops_fc__simulate(&s, b), 0);
    s.threads = 3;
    assert_int_equal(revops_fc__simulate(&s, c), 0);
    assert_memory_equal(a, b, sizeof(a));
    assert_memory_equal(a, c, sizeof(a));
    s.seed = 8;
    assert_int_equal(revops_fc__simulate(&s, d), 0);
    assert_true(memcmp(a, d, sizeof(a)) != 0);
}

/* Chances of 0 and 1 are exact: never and always. */
static void test_simulation_certain_deals(void **state)
{
    (void)state;
    int64_t amount[2] = {700, 11};
    double prob[2] = {0.0, 1.0};
    int64_t totals[17];
    revops_fc_sim s = {amount, prob, 2, 5, 17, 3, 2};
    assert_int_equal(revops_fc__simulate(&s, totals), 0);
    for (int r = 0; r < 17; r++)
        assert_int_equal(totals[r], 16);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hw_start_values_match_r),
        cmocka_unit_test(test_hw_fixed_parameters_match_r),
        cmocka_unit_test(test_hw_fit_matches_r),
        cmocka_unit_test(test_holt_matches_r),
        cmocka_unit_test(test_hw_too_short),
        cmocka_unit_test(test_ols_by_hand),
        cmocka_unit_test(test_simulation_mean_converges),
        cmocka_unit_test(test_simulation_independent_of_threads),
        cmocka_unit_test(test_simulation_certain_deals),
    };
    return cmocka_run_group_tests(tests, load_reference, free_reference);
}
