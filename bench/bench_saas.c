/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recurring-revenue benchmark: loads a generated data set once, then times each compute
 * step RUNS times in the same process and prints the median:
 *
 *   bench_saas DIR [RUNS]
 *
 * Steps: the MRR grid and its movements (revops_mrr__build), the rates of every month, the
 * cohorts section (its own grid, both triangles, into a report tree), and the revenue-
 * recognition engine (allocation, schedules, invoices, month-end balances). Prints one line
 * per step: "<step> seconds=<median s> peak_rss_mb=<m>" and the sizes the steps worked on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analytics/analysis.h"
#include "analytics/mrr.h"
#include "analytics/revrec.h"
#include "analytics/saas.h"
#include "model/dataset.h"
#include "revops/revops.h"

#define MAX_RUNS 15

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

static int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int fail(const char *step)
{
    fprintf(stderr, "bench_saas %s: %s\n", step, revops_error_last()->message);
    return 1;
}

static void report(const char *step, double *t, int runs)
{
    printf("%s seconds=%.4f peak_rss_mb=%.0f\n", step, median(t, runs), peak_rss_mb());
    fflush(stdout);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_saas DIR [RUNS]\n");
        return 2;
    }
    int runs = 3;
    if (argc > 2) {
        char *end = NULL;
        long v = strtol(argv[2], &end, 10);
        if (!*argv[2] || *end || v < 1 || v > MAX_RUNS) {
            fprintf(stderr, "bench_saas: RUNS must be 1 to %d\n", MAX_RUNS);
            return 2;
        }
        runs = (int)v;
    }
    double t0 = now();
    revops_dataset *ds = NULL;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    io.default_currency = "RUB";
    revops_import_report r;
    if (revops_dataset_load_csv(&ds, argv[1], &io, &r))
        return fail("load");
    revops_import_report_free(&r);
    printf("load seconds=%.1f peak_rss_mb=%.0f subscription_items=%zu contract_lines=%zu "
           "invoices=%zu\n",
           now() - t0, peak_rss_mb(), ds->subscription_item.n, ds->contract_line.n, ds->invoice.n);
    fflush(stdout);

    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.currency = "RUB";
    revops_actx c;
    t0 = now();
    if (revops_actx__init(&c, ds, &o))
        return fail("context");
    printf("context seconds=%.2f peak_rss_mb=%.0f\n", now() - t0, peak_rss_mb());

    double t[MAX_RUNS];
    revops_mrr m;
    for (int i = 0; i < runs; i++) {
        t0 = now();
        if (revops_mrr__build(&m, &c))
            return fail("mrr");
        t[i] = now() - t0;
        if (i + 1 < runs)
            revops_mrr__free(&m);
    }
    report("mrr_movements", t, runs);
    printf("  grid: %zu accounts x %zu months (%.0f MB), %zu items\n", m.naccounts, m.nmonths,
           (double)(m.naccounts * m.nmonths * sizeof(int64_t)) / 1e6, m.nitems);

    revops_saas_rates *rates = calloc(m.nmonths, sizeof(*rates));
    if (!rates)
        return 1;
    for (int i = 0; i < runs; i++) {
        t0 = now();
        revops_saas__rates(&m, rates);
        t[i] = now() - t0;
    }
    report("rates", t, runs);
    free(rates);
    revops_mrr__free(&m);

    revops_kpi_values k;
    memset(&k, 0, sizeof(k));
    for (int i = 0; i < runs; i++) {
        revops_rt *rt;
        if (revops_rt__new(&rt, "RUB", 2))
            return 1;
        t0 = now();
        if (revops_analytics__cohorts(&c, revops_rt__root(rt), &k))
            return fail("cohorts");
        t[i] = now() - t0;
        revops_rt__free(rt);
    }
    report("cohorts (grid + triangles)", t, runs);

    revops_revrec rr;
    for (int i = 0; i < runs; i++) {
        t0 = now();
        if (revops_revrec__build(&rr, &c))
            return fail("revrec");
        t[i] = now() - t0;
        if (i + 1 < runs)
            revops_revrec__free(&rr);
    }
    report("revrec", t, runs);
    printf("  %zu contracts, %zu lines, %zu months\n", rr.ncontracts, rr.nlines, rr.nmonths);
    revops_revrec__free(&rr);
    revops_actx__free(&c);
    revops_dataset_free(ds);
    return 0;
}
