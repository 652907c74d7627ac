/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small statistics the analyses share: means and quantiles of samples.
 */
#ifndef REVOPS_ANALYTICS_STATS_MATH_H
#define REVOPS_ANALYTICS_STATS_MATH_H

#include <stddef.h>

/* A growable sample of doubles. */
typedef struct revops_sample {
    double *v;
    size_t n, cap;
} revops_sample;

int revops_sample__add(revops_sample *s, double x);
void revops_sample__free(revops_sample *s);
void revops_sample__clear(revops_sample *s);

/* NaN for an empty sample. */
double revops_sample__mean(const revops_sample *s);

/*
 * The q-quantile (0..1) with linear interpolation between order statistics, the default of
 * numpy and pandas (Hyndman and Fan type 7), so results agree with a notebook. Sorts the
 * sample in place. NaN when empty.
 */
double revops_sample__quantile(revops_sample *s, double q);

/*
 * The same q-quantile of v[0 .. n) (type 7, the very same double) found by selection instead
 * of a sort: expected time linear in n, for samples of millions (every lead's response time).
 * Reorders v. NaN when n is 0.
 */
double revops_quantile__select(double *v, size_t n, double q);

#endif
