/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Options of the recurring-revenue sections of an analysis: `saas` (MRR, movements, rates,
 * unit economics), `cohorts` and `revrec` (revenue recognition). The definitions are in
 * docs/metrics-saas.md; the JSON shape in docs/saas.md.
 */
#ifndef REVOPS_SAAS_H
#define REVOPS_SAAS_H

#include <stdint.h>

#include "revops/date.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum revops_cohort_metric {
    REVOPS_COHORT_BOTH = 0,
    REVOPS_COHORT_LOGO = 1,
    REVOPS_COHORT_REVENUE = 2
} revops_cohort_metric;

typedef struct revops_saas_options {
    /* The months the month tables show, as revops_month values; REVOPS_NO_MONTH: from the
     * first month with data, and to the month of the as-of day. Everything is computed over
     * the whole history whatever is shown. */
    int32_t from_month, to_month;
    /* A gross margin to use instead of the one measured from delivery costs; < 0: measured. */
    double gross_margin;
    int cohort_quarters;                /* cohorts by fiscal quarter instead of by month */
    revops_cohort_metric cohort_metric; /* which retention triangles to write */
    const char *contract;               /* revrec: show this contract line by line; NULL: none */
    /* Deal profitability ratings: margin % at or above `margin_good` is good, at or above
     * `margin_fair` fair, at or above 0 poor, below 0 a loss. */
    double margin_good, margin_fair;
} revops_saas_options;

#define REVOPS_SAAS_OPTIONS_INIT                                                                   \
    {                                                                                              \
        REVOPS_NO_MONTH, REVOPS_NO_MONTH, -1.0, 0, REVOPS_COHORT_BOTH, NULL, 0.30, 0.10            \
    }

struct revops_analysis;

/*
 * Writes one table of an analysis, named by its dotted path in the JSON ("cohorts.revenue"),
 * as a CSV file at `path` ("-": standard output). REVOPS_ENOTFOUND when the analysis has no
 * such table (its section was not asked for).
 */
int revops_analysis_write_table_csv(const struct revops_analysis *a, const char *table,
                                    const char *path);

#ifdef __cplusplus
}
#endif

#endif
