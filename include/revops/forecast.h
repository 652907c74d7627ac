/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The revenue forecast of a period: four methods and their weighted ensemble, a Monte Carlo
 * simulation of the open deals (expected bookings, P10/P50/P90, the chance of reaching a
 * target), forecast categories, the deals that carry the uncertainty, and a backtest against
 * the periods already finished. Definitions: docs/metrics-forecast.md; JSON: docs/forecast.md.
 * The result is a revops_analysis with one section, `forecast`, rendered by the functions of
 * revops/analyze.h.
 */
#ifndef REVOPS_FORECAST_H
#define REVOPS_FORECAST_H

#include <stdint.h>

#include "revops/analyze.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_forecast_options {
    const char *target;   /* decimal amount in the reporting currency; NULL: the period's quota */
    uint64_t simulations; /* Monte Carlo runs; 10,000 */
    uint64_t seed;        /* the same seed gives the same numbers on any machine; 1 */
    unsigned backtest;    /* finished periods to backtest; 0 for none */
    int backtest_weekly;  /* also as of each week of every backtested period */
    int weights_from_backtest; /* ensemble weights 1 / MAPE of the backtest instead of config */
    int threads;               /* simulation threads; 0: the machine's cores */
    size_t deals_limit;        /* rows of forecast.deals; 25 */
    double overdue_factor;     /* time factor of an overdue deal; 0.5 */
    int rep_shrinkage;         /* k of the rep factor's shrinkage to the team rate; 10 */
    /* The ensemble's weights of pipeline_weighted, historical_trend, regression and
     * time_series, renormalised over the methods that can run; each >= 0, not all 0. 0.40,
     * 0.25, 0.20, 0.15. */
    double method_weights[4];
} revops_forecast_options;

#define REVOPS_FORECAST_OPTIONS_INIT                                                               \
    {                                                                                              \
        NULL, 10000, 1, 0, 1, 0, 0, 25, 0.5, 10,                                                   \
        {                                                                                          \
            0.40, 0.25, 0.20, 0.15                                                                 \
        }                                                                                          \
    }

/*
 * Forecasts opts->period (default: the quarter of the as-of day) as known at the end of
 * opts->as_of; only the forecast section is computed. `fo` NULL: opts->forecast, or the
 * defaults. The caller frees *out with revops_analysis_free().
 */
int revops_forecast(revops_analysis **out, const revops_dataset *ds,
                    const revops_analysis_options *opts, const revops_forecast_options *fo);

#ifdef __cplusplus
}
#endif

#endif
