/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How good a score is on examples whose outcome is known (docs/scoring.md "Evaluation"):
 * ranking (AUC), probability quality (log loss, Brier score) and calibration by equal-count
 * bins of the predictions.
 */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "scoring/learn.h"

typedef struct ranked {
    double score;
    size_t index;
} ranked;

static int by_score(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score < y->score ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

int revops_eval__auc(double *out, const double *score, const uint8_t *y, size_t n)
{
    *out = NAN;
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++)
        n1 += y[i] != 0;
    size_t n0 = n - n1;
    if (n1 == 0 || n0 == 0)
        return 0;
    ranked *r = malloc(n * sizeof(*r));
    if (!r)
        return revops_error__oom();
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){score[i], i};
    qsort(r, n, sizeof(*r), by_score);
    /* Sum of the positives' ranks (1-based), a run of tied scores sharing its mean rank. */
    double rank_sum = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && r[j].score == r[i].score)
            j++;
        double mid = ((double)(i + 1) + (double)j) / 2.0;
        for (size_t t = i; t < j; t++)
            if (y[r[t].index])
                rank_sum += mid;
        i = j;
    }
    free(r);
    double d1 = (double)n1, d0 = (double)n0;
    *out = (rank_sum - d1 * (d1 + 1) / 2.0) / (d1 * d0);
    return 0;
}

double revops_eval__log_loss(const double *p, const uint8_t *y, size_t n)
{
    if (n == 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double q = p[i] < 1e-15 ? 1e-15 : p[i] > 1 - 1e-15 ? 1 - 1e-15 : p[i];
        sum -= y[i] ? log(q) : log1p(-q);
    }
    return sum / (double)n;
}

double revops_eval__brier(const double *p, const uint8_t *y, size_t n)
{
    if (n == 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        double d = p[i] - (y[i] ? 1.0 : 0.0);
        sum += d * d;
    }
    return sum / (double)n;
}

int revops_eval__calibration(revops_calibration_bin *out, size_t *nout, size_t bins,
                             const double *p, const uint8_t *y, size_t n)
{
    *nout = 0;
    if (n == 0 || bins == 0)
        return 0;
    ranked *r = malloc(n * sizeof(*r));
    if (!r)
        return revops_error__oom();
    for (size_t i = 0; i < n; i++)
        r[i] = (ranked){p[i], i};
    qsort(r, n, sizeof(*r), by_score);
    for (size_t k = 0; k < bins; k++) {
        size_t lo = k * n / bins, hi = (k + 1) * n / bins;
        if (hi == lo)
            continue;
        double sp = 0;
        size_t pos = 0;
        for (size_t t = lo; t < hi; t++) {
            sp += r[t].score;
            pos += y[r[t].index] != 0;
        }
        revops_calibration_bin *b = &out[(*nout)++];
        b->count = hi - lo;
        b->predicted = sp / (double)b->count;
        b->observed = (double)pos / (double)b->count;
        b->low = r[lo].score;
        b->high = r[hi - 1].score;
    }
    free(r);
    return 0;
}
