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
    if (s->n > 1 && sort_values(s->v, s->n))
        qsort(s->v, s->n, sizeof(*s->v), compare); /* no memory for the fast way */
    double h = (double)(s->n - 1) * q;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < s->n ? lo + 1 : lo;
    return s->v[lo] + (h - (double)lo) * (s->v[hi] - s->v[lo]);
}

static void swap(double *v, ptrdiff_t a, ptrdiff_t b)
{
    double t = v[a];
    v[a] = v[b];
    v[b] = t;
}

/*
 * Moves the k-th smallest value of v[lo .. hi] to v[k], with no larger value before it and no
 * smaller one after it: Floyd and Rivest's SELECT (CACM 18(3), 1975). On a large range it
 * first selects within a small sample around where k should fall, so that the pivot lands
 * close to k and one partition discards most of the range; about 1.5 n comparisons, half
 * those of a plain quickselect. Repeated values cost nothing extra.
 */
static void select_kth(double *v, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t k)
{
    while (hi > lo) {
        if (hi - lo > 600) {
            double n = (double)(hi - lo + 1), i = (double)(k - lo + 1);
            double z = log(n), s = 0.5 * exp(2.0 * z / 3.0);
            double sd = 0.5 * sqrt(z * s * (n - s) / n) * (i < n / 2 ? -1.0 : 1.0);
            ptrdiff_t a = (ptrdiff_t)((double)k - i * s / n + sd);
            ptrdiff_t b = (ptrdiff_t)((double)k + (n - i) * s / n + sd);
            select_kth(v, a > lo ? a : lo, b < hi ? b : hi, k);
        }
        /* Partition around t = v[k], which ends at j. */
        double t = v[k];
        ptrdiff_t i = lo, j = hi;
        swap(v, lo, k);
        if (v[hi] > t)
            swap(v, hi, lo);
        while (i < j) {
            swap(v, i, j);
            i++;
            j--;
            while (v[i] < t)
                i++;
            while (v[j] > t)
                j--;
        }
        if (v[lo] == t) {
            swap(v, lo, j);
        } else {
            j++;
            swap(v, j, hi);
        }
        if (j <= k)
            lo = j + 1;
        if (k <= j)
            hi = j - 1;
    }
}

double revops_quantile__select(double *v, size_t n, double q)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * q;
    size_t lo = (size_t)floor(h);
    if (lo >= n)
        lo = n - 1;
    select_kth(v, 0, (ptrdiff_t)n - 1, (ptrdiff_t)lo);
    /* The next order statistic is the smallest value after v[lo]. */
    double next = v[lo];
    if (lo + 1 < n) {
        next = v[lo + 1];
        for (size_t i = lo + 2; i < n; i++)
            if (v[i] < next)
                next = v[i];
    }
    return v[lo] + (h - (double)lo) * (next - v[lo]);
}
