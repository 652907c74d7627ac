/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast's building blocks (docs/metrics-forecast.md), apart from the data so that each
 * can be tested against a reference: least squares, Holt and Holt-Winters exponential
 * smoothing with R's conventions, and the Monte Carlo simulation of the open deals.
 */
#ifndef REVOPS_ANALYTICS_FORECAST_H
#define REVOPS_ANALYTICS_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "analytics/analysis.h"
#include "revops/forecast.h"

/* ---- least squares ---- */

/* y = a + b x over n points. Returns 0, or -1 when n < 2 or x has no spread. */
int revops_fc__ols(const double *x, const double *y, size_t n, double *a, double *b);

/* ---- exponential smoothing ---- */

#define REVOPS_HW_MAX_M 12

typedef struct revops_hw {
    int m; /* season length: 12 for Holt-Winters, 0 for Holt's linear trend */
    double alpha, beta, gamma;
    double l0, b0, s0[REVOPS_HW_MAX_M]; /* start values (R's HoltWinters()) */
    double level, trend;                /* at the end of the series */
    double season[REVOPS_HW_MAX_M];     /* the last m seasonal terms, oldest first */
    double sse;                         /* of the one-step errors */
    size_t first;                       /* the first observation with a one-step forecast */
} revops_hw;

/*
 * Start values as R's HoltWinters() sets them. Seasonal (m > 0, n >= 2m): the first 2m values
 * are decomposed (centred moving average of order m, seasonal figure = the mean detrended
 * value per position, centred); l0 and b0 are the intercept and slope of a least-squares line
 * through the moving average; the first forecast is for observation m. Holt (m == 0, n >= 3):
 * l0 = x[1], b0 = x[1] - x[0], the first forecast is for observation 2. Returns -1 when the
 * series is too short.
 */
int revops_fc__hw_start(revops_hw *hw, const double *x, size_t n, int m);

/* Runs the recursions with hw's parameters and start values; sets level, trend, season and
 * sse, and the one-step forecasts into fitted[first .. n) when fitted is not NULL. */
void revops_fc__hw_filter(revops_hw *hw, const double *x, size_t n, double *fitted);

/* Starts, then chooses alpha, beta (and gamma when m > 0) in [0, 1] for the least SSE with
 * GSL's Nelder-Mead simplex (each parameter as sin^2 of a free variable, so the bounds can be
 * reached), from the best point of a coarse grid. Returns -1 when the series is too short. */
int revops_fc__hw_fit(revops_hw *hw, const double *x, size_t n, int m);

/* The forecast h >= 1 steps after the end of the series. */
double revops_fc__hw_forecast(const revops_hw *hw, int h);

/* ---- Monte Carlo ---- */

typedef struct revops_fc_sim {
    const int64_t *amount; /* per deal, minor units */
    const double *prob;    /* per deal: the chance it books inside the period, 0..1 */
    size_t n;
    int64_t base; /* booked already */
    uint64_t runs;
    uint64_t seed;
    int threads; /* 0: as many as the machine has cores, at most 64 */
} revops_fc_sim;

/*
 * Fills totals[0 .. runs) with the bookings of each run: base plus the amounts of the deals
 * drawn as booked. Runs are taken in blocks of 8, each block with its own xoshiro256+ streams
 * seeded from (seed, block) by splitmix64, so the totals do not depend on the thread count.
 */
int revops_fc__simulate(const revops_fc_sim *s, int64_t *totals);

/* ---- the section ---- */

int revops_analytics__forecast_run(revops_actx *c, revops_rt_node *root, revops_kpi_values *k,
                                   const revops_forecast_options *fo);

#endif
