/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One timed step of the analysis benchmark, run as its own process so that its peak RSS is
 * its own:
 *
 *   bench_analyze load-csv DIR              revops_dataset_load_csv of the folder
 *   bench_analyze load-store DB             revops_dataset_load_store of the store
 *   bench_analyze analyze DIR REPEAT [BITS] load the folder (not timed), then time
 *                                           revops_analyze REPEAT times; the median counts;
 *                                           BITS: REVOPS_SECTION_* bits (31: the pipeline,
 *                                           funnel, win/loss, team and scorecard sections)
 *   bench_analyze run CMD [ARG...]          run a command (revops analyze ...) and time it
 *                                           from fork to exit, with the child's peak RSS
 *
 * Prints one line: "<step> seconds=<s> rows=<n> bytes=<b> peak_rss_mb=<m>" (the analyze step
 * adds load_seconds=<s>, min_seconds=<s> and cpu_seconds=<s>, the median CPU time of all
 * threads; load-csv and load-store add cpu_seconds too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "revops/revops.h"

#define MAX_REPEAT 99

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
    const revops_error *e = revops_error_last();
    fprintf(stderr, "bench_analyze %s: %s\n", step, e->message);
    return 1;
}

/* CPU seconds of the whole process so far, every thread's, user and system. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int load_csv(revops_dataset **ds, const char *dir, unsigned long long *bytes)
{
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    int rc = revops_dataset_load_csv(ds, dir, &io, &r);
    *bytes = r.bytes;
    revops_import_report_free(&r);
    return rc;
}

/* Runs argv as a child process; its wall time from fork to exit and its peak RSS. */
static int run_child(char **argv, double *seconds, double *rss_mb)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return 1;
    }
    /* The peak of the waited-for children: this process has only the one. */
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    *seconds = now() - t0;
    *rss_mb = (double)ru.ru_maxrss / 1024.0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_analyze run: %s failed (status %d)\n", argv[0], status);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr,
                "usage: bench_analyze load-csv DIR | load-store DB | analyze DIR REPEAT [BITS] | "
                "run CMD [ARG...]\n");
        return 2;
    }
    const char *step = argv[1];
    double t0 = now(), seconds, cpu = 0;
    unsigned long long rows = 0, bytes = 0;
    if (strcmp(step, "load-csv") == 0 && argc == 3) {
        revops_dataset *ds;
        if (load_csv(&ds, argv[2], &bytes))
            return fail(step);
        seconds = now() - t0;
        cpu = cpu_seconds();
        rows = dataset_rows(ds);
        revops_dataset_free(ds);
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
        seconds = now() - t0;
        cpu = cpu_seconds();
        rows = dataset_rows(ds);
        revops_dataset_free(ds);
    } else if (strcmp(step, "analyze") == 0 && (argc == 4 || argc == 5)) {
        char *end;
        long repeat = strtol(argv[3], &end, 10);
        if (*end || repeat < 1 || repeat > MAX_REPEAT) {
            fprintf(stderr, "bench_analyze analyze: REPEAT must be 1..%d\n", MAX_REPEAT);
            return 2;
        }
        revops_analysis_options opts = REVOPS_ANALYSIS_OPTIONS_INIT;
        if (argc == 5) {
            unsigned long bits = strtoul(argv[4], &end, 10);
            if (*end || bits == 0 || bits > REVOPS_SECTION_ALL) {
                fprintf(stderr, "bench_analyze analyze: BITS must be 1..%u\n", REVOPS_SECTION_ALL);
                return 2;
            }
            opts.sections = (unsigned)bits;
        }
        revops_dataset *ds;
        if (load_csv(&ds, argv[2], &bytes))
            return fail(step);
        double load = now() - t0;
        rows = dataset_rows(ds);
        double times[MAX_REPEAT], cpus[MAX_REPEAT];
        for (long i = 0; i < repeat; i++) {
            revops_analysis *a;
            double t = now(), c = cpu_seconds();
            int rc = revops_analyze(&a, ds, &opts);
            times[i] = now() - t;
            cpus[i] = cpu_seconds() - c;
            if (rc)
                return fail(step);
            revops_analysis_free(a);
        }
        revops_dataset_free(ds);
        qsort(times, (size_t)repeat, sizeof(times[0]), by_value);
        qsort(cpus, (size_t)repeat, sizeof(cpus[0]), by_value);
        printf("%s seconds=%.3f min_seconds=%.3f cpu_seconds=%.3f load_seconds=%.3f rows=%llu "
               "bytes=%llu peak_rss_mb=%.0f\n",
               step, times[repeat / 2], times[0], cpus[repeat / 2], load, rows, bytes,
               peak_rss_mb());
        return 0;
    } else if (strcmp(step, "run") == 0) {
        double rss;
        if (run_child(argv + 2, &seconds, &rss))
            return 1;
        printf("%s seconds=%.3f rows=0 bytes=0 peak_rss_mb=%.0f\n", step, seconds, rss);
        return 0;
    } else {
        fprintf(stderr, "bench_analyze: bad arguments\n");
        return 2;
    }
    printf("%s seconds=%.3f cpu_seconds=%.3f rows=%llu bytes=%llu peak_rss_mb=%.0f\n", step,
           seconds, cpu, rows, bytes, peak_rss_mb());
    return 0;
}
