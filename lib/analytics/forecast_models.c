/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Least squares and exponential smoothing for the forecast. Holt-Winters follows R's
 * HoltWinters() (stats package) in its start values, its recursions and its objective, the
 * sum of squared one-step errors from the first forecast on, so that fitted values can be
 * checked against R (tests/fixtures/holtwinters).
 */
#include <math.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_vector.h>

#include "analytics/forecast.h"
#include "core/error.h"

int revops_fc__ols(const double *x, const double *y, size_t n, double *a, double *b)
{
    if (n < 2)
        return -1;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0, sxy = 0;
    for (size_t i = 0; i < n; i++) {
        sxx += (x[i] - mx) * (x[i] - mx);
        sxy += (x[i] - mx) * (y[i] - my);
    }
    /* No spread: the slope is not determined. */
    if (!(sxx > 1e-12 * (mx * mx + 1.0)))
        return -1;
    *b = sxy / sxx;
    *a = my - *b * mx;
    return 0;
}

int revops_fc__hw_start(revops_hw *hw, const double *x, size_t n, int m)
{
    double alpha = hw->alpha, beta = hw->beta, gamma = hw->gamma;
    memset(hw, 0, sizeof(*hw));
    hw->alpha = alpha;
    hw->beta = beta;
    hw->gamma = gamma;
    hw->m = m;
    if (m == 0) {
        if (n < 3)
            return -1;
        hw->l0 = x[1];
        hw->b0 = x[1] - x[0];
        hw->first = 2;
        return 0;
    }
    if (m < 2 || m > REVOPS_HW_MAX_M || m % 2 != 0 || n < 2 * (size_t)m)
        return -1;
    /* decompose() of the first two seasons: the centred moving average of order m (an even
     * order: half weights at both ends) is defined at positions m/2 .. 3m/2 - 1. */
    size_t half = (size_t)m / 2;
    double trend[2 * REVOPS_HW_MAX_M];
    for (size_t t = half; t + half < 2 * (size_t)m; t++) {
        double sum = 0.5 * x[t - half] + 0.5 * x[t + half];
        for (size_t k = t - half + 1; k < t + half; k++)
            sum += x[k];
        trend[t] = sum / (double)m;
    }
    /* The seasonal figure: per position in the season, the mean of the detrended values that
     * exist (with two seasons, exactly one per position), then centred. */
    double mean = 0;
    for (size_t i = 0; i < (size_t)m; i++) {
        size_t t = i >= half ? i : i + (size_t)m;
        hw->s0[i] = x[t] - trend[t];
        mean += hw->s0[i];
    }
    mean /= (double)m;
    for (size_t i = 0; i < (size_t)m; i++)
        hw->s0[i] -= mean;
    /* A line through the moving average, indexed 1 .. m: its intercept (at 0) and slope. */
    double idx[REVOPS_HW_MAX_M], val[REVOPS_HW_MAX_M];
    for (size_t k = 0; k < (size_t)m; k++) {
        idx[k] = (double)(k + 1);
        val[k] = trend[half + k];
    }
    if (revops_fc__ols(idx, val, (size_t)m, &hw->l0, &hw->b0))
        return -1;
    hw->first = (size_t)m;
    return 0;
}

void revops_fc__hw_filter(revops_hw *hw, const double *x, size_t n, double *fitted)
{
    double level = hw->l0, trend = hw->b0;
    /* A ring of the last m seasonal terms: season[k % m] is the term for observation k. */
    double season[REVOPS_HW_MAX_M];
    int m = hw->m;
    for (int i = 0; i < m; i++)
        season[i] = hw->s0[i];
    double sse = 0;
    for (size_t i = hw->first; i < n; i++) {
        double s = m ? season[i % (size_t)m] : 0.0;
        double xhat = level + trend + s;
        if (fitted)
            fitted[i] = xhat;
        double e = x[i] - xhat;
        sse += e * e;
        double prev = level;
        level = hw->alpha * (x[i] - s) + (1 - hw->alpha) * (level + trend);
        trend = hw->beta * (level - prev) + (1 - hw->beta) * trend;
        if (m)
            season[i % (size_t)m] = hw->gamma * (x[i] - level) + (1 - hw->gamma) * s;
    }
    hw->level = level;
    hw->trend = trend;
    hw->sse = sse;
    /* Oldest first: the term of observation n - m first. */
    for (int k = 0; k < m; k++)
        hw->season[k] = season[(n + (size_t)k) % (size_t)m];
}

double revops_fc__hw_forecast(const revops_hw *hw, int h)
{
    double f = hw->level + (double)h * hw->trend;
    if (hw->m)
        f += hw->season[(h - 1) % hw->m];
    return f;
}

typedef struct fit_data {
    revops_hw *hw;
    const double *x;
    size_t n;
} fit_data;

static double unit(double v)
{
    double s = sin(v);
    return s * s;
}

static double objective(const gsl_vector *v, void *params)
{
    fit_data *d = params;
    d->hw->alpha = unit(gsl_vector_get(v, 0));
    d->hw->beta = unit(gsl_vector_get(v, 1));
    if (d->hw->m)
        d->hw->gamma = unit(gsl_vector_get(v, 2));
    revops_fc__hw_filter(d->hw, d->x, d->n, NULL);
    /* GSL's simplex stops the program on a value that is not finite: never hand it one. */
    return isfinite(d->hw->sse) ? d->hw->sse : 1e300;
}

int revops_fc__hw_fit(revops_hw *hw, const double *x, size_t n, int m)
{
    memset(hw, 0, sizeof(*hw));
    if (revops_fc__hw_start(hw, x, n, m))
        return -1;
    size_t dim = m ? 3 : 2;
    /* A coarse grid first: the simplex then refines the best of it, which keeps it out of
     * the poor local minima a single start can fall into. */
    static const double ga[] = {0.05, 0.2, 0.4, 0.6, 0.8, 0.95};
    static const double gb[] = {0.01, 0.05, 0.2, 0.5};
    static const double gg[] = {0.05, 0.3, 0.6, 0.9};
    double best = INFINITY, ba = 0.3, bb = 0.1, bg = 0.1;
    for (size_t i = 0; i < sizeof(ga) / sizeof(ga[0]); i++)
        for (size_t j = 0; j < sizeof(gb) / sizeof(gb[0]); j++)
            for (size_t k = 0; k < (m ? sizeof(gg) / sizeof(gg[0]) : 1); k++) {
                hw->alpha = ga[i];
                hw->beta = gb[j];
                hw->gamma = m ? gg[k] : 0;
                revops_fc__hw_filter(hw, x, n, NULL);
                if (hw->sse < best) {
                    best = hw->sse;
                    ba = hw->alpha;
                    bb = hw->beta;
                    bg = hw->gamma;
                }
            }
    fit_data d = {hw, x, n};
    gsl_multimin_function f = {objective, dim, &d};
    gsl_vector *start = gsl_vector_alloc(dim), *step = gsl_vector_alloc(dim);
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, dim);
    int rc = 0;
    if (!start || !step || !s) {
        rc = revops_error__oom();
        goto done;
    }
    gsl_vector_set(start, 0, asin(sqrt(ba)));
    gsl_vector_set(start, 1, asin(sqrt(bb)));
    if (m)
        gsl_vector_set(start, 2, asin(sqrt(bg)));
    /* Two rounds: a simplex restarted where the first one stopped escapes a collapsed one. */
    for (int round = 0; round < 2 && !rc; round++) {
        gsl_vector_set_all(step, 0.2);
        if (gsl_multimin_fminimizer_set(s, &f, start, step) != GSL_SUCCESS) {
            rc = revops_error__set(REVOPS_EINTERNAL, "the smoothing fit could not start");
            break;
        }
        for (int iter = 0; iter < 5000; iter++) {
            if (gsl_multimin_fminimizer_iterate(s) != GSL_SUCCESS)
                break;
            if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), 1e-10) == GSL_SUCCESS)
                break;
        }
        gsl_vector_memcpy(start, gsl_multimin_fminimizer_x(s));
    }
    if (!rc) {
        hw->alpha = unit(gsl_vector_get(start, 0));
        hw->beta = unit(gsl_vector_get(start, 1));
        hw->gamma = m ? unit(gsl_vector_get(start, 2)) : 0;
        revops_fc__hw_filter(hw, x, n, NULL);
        /* The grid point wins when the simplex did no better. */
        if (hw->sse > best) {
            hw->alpha = ba;
            hw->beta = bb;
            hw->gamma = bg;
            revops_fc__hw_filter(hw, x, n, NULL);
        }
    }
done:
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(start);
    gsl_vector_free(step);
    return rc;
}
