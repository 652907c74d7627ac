/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analytics/stats_math.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* The bits of a double as an unsigned number in the doubles' order; both zeros alike, as
 * compare() has them. */
static uint64_t order_key(double x)
{
    if (x == 0)
        x = 0.0;
    uint64_t u;
    memcpy(&u, &x, sizeof(u));
    return u >> 63 ? ~u : u | (uint64_t)1 << 63;
}

/*
 * Sorts by compare()'s order: an LSD radix sort, a byte per pass, skipping the bytes all
 * values share (for day counts most of them). It is stable, as glibc's qsort (a merge sort)
 * is, so even -0.0 and 0.0 keep qsort's order. A sample with NaN, which compare() cannot
 * order, and a small one go to qsort. Returns a negative code when out of memory.
 */
static int sort_values(double *v, size_t n)
{
    int sorted = 1;
    for (size_t i = 1; i < n && sorted; i++)
        sorted = !(v[i] < v[i - 1]) && !isnan(v[i]);
    if (sorted && (n == 0 || !isnan(v[0])))
        return 0; /* the second quantile of a sample finds it sorted by the first */
    int nan = 0;
    for (size_t i = 0; i < n && !nan; i++)
        nan = isnan(v[i]);
    if (nan || n < 256) {
        qsort(v, n, sizeof(*v), compare);
        return 0;
    }
    double *tmp = malloc(n * sizeof(*tmp));
    if (!tmp)
        return revops_error__oom();
    double *from = v, *to = tmp;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[order_key(from[i]) >> shift & 0xff]++;
        if (count[order_key(from[0]) >> shift & 0xff] == n)
            continue; /* every value has this byte */
        size_t pos = 0;
        for (size_t b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[order_key(from[i]) >> shift & 0xff]++] = from[i];
        double *t = from;
        from = to;
        to = t;
    }
    if (from != v)
        memcpy(v, from, n * sizeof(*v));
    free(tmp);
    return 0;
}

double revops_sample__quantile(revops_sample *s, double q)
{
    if (s->n == 0)
        return NAN;
    if (sort_values(s->v, s->n))
        qsort(s->v, s->n, sizeof(*s->v), compare); /* no memory for the fast way */
    double h = (double)(s->n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < s->n ? lo + 1 : lo;
    return s->v[lo] + (h - (double)lo) * (s->v[hi] - s->v[lo]);
}
