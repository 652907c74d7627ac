/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast benchmark, in one process so that the data set is loaded once:
 *
 *   bench_forecast sim DEALS RUNS THREADS        the simulation alone, on made-up deals
 *   bench_forecast forecast DIR PERIOD REPEAT [K] load DIR, then forecast PERIOD REPEAT times
 *                                                (with a weekly backtest of K periods when
 *                                                K is given)
 *
 * Prints one line per timed step: "<step> seconds=<s> ... peak_rss_mb=<m>", each the median
 * of the repeats.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "analytics/context.h"
#include "analytics/forecast.h"
#include "revops/revops.h"

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

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), compare);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static int fail(const char *step)
{
    fprintf(stderr, "bench_forecast %s: %s\n", step, revops_error_last()->message);
    return 1;
}

static int bench_sim(size_t deals, uint64_t runs, int threads)
{
    int64_t *amount = malloc(deals * sizeof(*amount));
    double *prob = malloc(deals * sizeof(*prob));
    int64_t *totals = malloc(runs * sizeof(*totals));
    if (!amount || !prob || !totals)
        return 1;
    for (size_t i = 0; i < deals; i++) {
        amount[i] = 10000000 + (int64_t)(i % 997) * 100000;
        prob[i] = 0.05 + 0.9 * (double)(i % 101) / 100.0;
    }
    double t[3];
    for (int r = 0; r < 3; r++) {
        revops_fc_sim s = {amount, prob, deals, 0, runs, (uint64_t)r + 1, threads};
        double t0 = now();
        if (revops_fc__simulate(&s, totals))
            return fail("sim");
        t[r] = now() - t0;
    }
    double m = median(t, 3);
    printf("sim deals=%zu runs=%llu threads=%d seconds=%.3f draws_per_second=%.0f "
           "peak_rss_mb=%.0f\n",
           deals, (unsigned long long)runs, threads, m, (double)deals * (double)runs / m,
           peak_rss_mb());
    free(amount);
    free(prob);
    free(totals);
    return 0;
}

static int bench_forecast(const char *dir, const char *period, int repeat, unsigned backtest)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    io.default_currency = "RUB";
    double t0 = now();
    if (revops_dataset_load_csv(&ds, dir, &io, &r))
        return fail("load");
    revops_import_report_free(&r);
    printf("load seconds=%.1f opportunities=%zu peak_rss_mb=%.0f\n", now() - t0,
           revops_dataset_rows(ds, REVOPS_ENTITY_OPPORTUNITY), peak_rss_mb());
    fflush(stdout);
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    o.period = period;
    o.currency = "RUB";
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    fo.backtest = backtest;
    fo.threads = 2;
    double t[16];
    if (repeat > 16)
        repeat = 16;
    /* The shared analysis context alone (indexes, activity order), which every analysis
     * builds first; and the forecast with a single simulation run, to tell the simulation's
     * share from the rest. */
    for (int i = 0; i < repeat; i++) {
        revops_actx c;
        t0 = now();
        if (revops_actx__init(&c, ds, &o))
            return fail("context");
        t[i] = now() - t0;
        revops_actx__free(&c);
    }
    printf("context seconds=%.2f\n", median(t, repeat));
    fo.simulations = 1;
    for (int i = 0; i < repeat && backtest == 0; i++) {
        revops_analysis *a = NULL;
        t0 = now();
        if (revops_forecast(&a, ds, &o, &fo))
            return fail("forecast");
        t[i] = now() - t0;
        revops_analysis_free(a);
    }
    if (backtest == 0)
        printf("forecast-1-run seconds=%.2f\n", median(t, repeat));
    fo.simulations = 10000;
    for (int i = 0; i < repeat; i++) {
        revops_analysis *a = NULL;
        t0 = now();
        if (revops_forecast(&a, ds, &o, &fo))
            return fail("forecast");
        t[i] = now() - t0;
        revops_analysis_free(a);
    }
    printf("%s period=%s backtest=%u repeats=%d seconds=%.2f peak_rss_mb=%.0f\n",
           backtest ? "forecast+backtest" : "forecast", period, backtest, repeat, median(t, repeat),
           peak_rss_mb());
    revops_dataset_free(ds);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 5 && strcmp(argv[1], "sim") == 0)
        return bench_sim(strtoull(argv[2], NULL, 10), strtoull(argv[3], NULL, 10),
                         (int)strtol(argv[4], NULL, 10));
    if (argc >= 5 && strcmp(argv[1], "forecast") == 0)
        return bench_forecast(argv[2], argv[3], (int)strtol(argv[4], NULL, 10),
                              argc > 5 ? (unsigned)strtoul(argv[5], NULL, 10) : 0);
    fprintf(stderr, "usage: bench_forecast sim DEALS RUNS THREADS | forecast DIR PERIOD REPEAT "
                    "[K]\n");
    return 2;
}
