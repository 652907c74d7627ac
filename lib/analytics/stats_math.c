/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analytics/stats_math.h"

#include <math.h>
#include <stdlib.h>

#include "core/buf.h"
#include "core/error.h"

int revops_sample__add(revops_sample *s, double x)
{
    int rc = revops_array__grow((void **)&s->v, &s->cap, s->n + 1, sizeof(*s->v));
    if (rc)
        return rc;
    s->v[s->n++] = x;
    return 0;
}

void revops_sample__free(revops_sample *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

void revops_sample__clear(revops_sample *s)
{
    s->n = 0;
}

double revops_sample__mean(const revops_sample *s)
{
    if (s->n == 0)
        return NAN;
    double sum = 0;
    for (size_t i = 0; i < s->n; i++)
        sum += s->v[i];
    return sum / (double)s->n;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

double revops_sample__quantile(revops_sample *s, double q)
{
    if (s->n == 0)
        return NAN;
    qsort(s->v, s->n, sizeof(*s->v), compare);
    double h = (double)(s->n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < s->n ? lo + 1 : lo;
    return s->v[lo] + (h - (double)lo) * (s->v[hi] - s->v[lo]);
}
