/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One timed step of the foundation benchmark, run as its own process so that its peak RSS is
 * its own:
 *
 *   bench_foundation gen DIR SCALE SEED     generate the data set
 *   bench_foundation import DIR DB          import it into a new store
 *   bench_foundation load-store DB          load the store into a dataset
 *   bench_foundation load-csv DIR           load the CSV folder into a dataset
 *
 * Prints one line: "<step> seconds=<s> rows=<n> bytes=<b> peak_rss_mb=<m>".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

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
    return (double)ru.ru_maxrss / 1024.0; /* ru_maxrss is in KiB on Linux */
}

static unsigned long long dataset_rows(const revops_dataset *ds)
{
    unsigned long long n = 0;
    for (size_t e = 0; e < revops_entity_count(); e++)
        n += revops_dataset_rows(ds, e);
    return n;
}

static int fail(const char *step)
{
    fprintf(stderr, "bench_foundation %s: %s\n", step, revops_error_last()->message);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_foundation gen DIR SCALE SEED | import DIR DB | "
                        "load-store DB | load-csv DIR\n");
        return 2;
    }
    const char *step = argv[1];
    double t0 = now();
    unsigned long long rows = 0, bytes = 0;
    if (strcmp(step, "gen") == 0 && argc == 5) {
        revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
        go.out_dir = argv[2];
        go.scale = strtoull(argv[3], NULL, 10);
        go.seed = strtoull(argv[4], NULL, 10);
        revops_gen_report r;
        if (revops_gen(&go, &r))
            return fail(step);
        for (size_t e = 0; e < revops_entity_count(); e++)
            rows += r.rows[e];
        bytes = r.bytes;
    } else if (strcmp(step, "import") == 0 && argc == 4) {
        revops_store *s;
        revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
        so.create = 1;
        if (revops_store_open(&s, argv[3], &so))
            return fail(step);
        revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
        io.default_currency = "RUB";
        revops_import_report r;
        const char *paths[1] = {argv[2]};
        int rc = revops_import(s, paths, 1, &io, &r);
        revops_store_close(s);
        if (rc)
            return fail(step);
        rows = r.rows;
        bytes = r.bytes;
        revops_import_report_free(&r);
    } else if (strcmp(step, "load-store") == 0 && argc == 3) {
        revops_store *s;
        revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
        so.readonly = 1;
        revops_dataset *ds;
        if (revops_store_open(&s, argv[2], &so))
            return fail(step);
        int rc = revops_dataset_load_store(&ds, s, NULL, NULL);
        revops_store_close(s);
        if (rc)
            return fail(step);
        rows = dataset_rows(ds);
        revops_dataset_free(ds);
    } else if (strcmp(step, "load-csv") == 0 && argc == 3) {
        revops_dataset *ds;
        revops_import_report r;
        if (revops_dataset_load_csv(&ds, argv[2], NULL, &r))
            return fail(step);
        rows = dataset_rows(ds);
        bytes = r.bytes;
        revops_import_report_free(&r);
        revops_dataset_free(ds);
    } else {
        fprintf(stderr, "bench_foundation: bad arguments\n");
        return 2;
    }
    printf("%s seconds=%.3f rows=%llu bytes=%llu peak_rss_mb=%.0f\n", step, now() - t0, rows, bytes,
           peak_rss_mb());
    return 0;
}
