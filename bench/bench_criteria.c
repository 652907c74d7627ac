/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Criteria evaluations per second over the leads of a generated data set:
 *
 *   bench_criteria [SCALE] [RUNS] [DIR]     defaults: 200000 opportunities, 3 runs,
 *                                           /tmp/revops-bench-criteria
 *
 * Generates the data set (seed 7) into DIR unless DIR already holds lead.csv, loads it into
 * a dataset, and for each criteria below evaluates it on every lead RUNS times; prints the
 * median evaluations per second of each, the share of leads that matched (the same in every
 * run), and the default lead-scoring rules all together (leads scored per second).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "revops/revops.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static const char *const cases[][2] = {
    {"number", "score > 50"},
    {"string in list", "industry in (\"ecommerce\", \"saas\", \"fintech\")"},
    {"days since", "days_since(created_at) < 30"},
    {"money, converted", "estimated_value >= 1000000 RUB"},
    {"response time", "between(created_at, first_response_at) <= 5m"},
    {"folded string", "lower(source) == \"referral\""},
    {"issue example",
     "score > 50 and industry in (\"ecommerce\", \"saas\") and days_since(created_at) < 30"},
    {"ten conditions",
     "(source == \"referral\" or source == \"partner\") and employees >= 100 and "
     "not is_empty(email) and region != \"International\" and score >= 10 and "
     "days_since(created_at) <= 365 and stage in (\"lead\", \"mql\", \"sql\") and "
     "not is_empty(company) and estimated_value > 0 RUB"},
};

int main(int argc, char **argv)
{
    unsigned long long scale = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    const char *dir = argc > 3 ? argv[3] : "/tmp/revops-bench-criteria";
    if (scale == 0 || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: bench_criteria [SCALE] [RUNS] [DIR]\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/lead.csv", dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        revops_gen_options go = REVOPS_GEN_OPTIONS_INIT;
        go.out_dir = dir;
        go.scale = scale;
        go.seed = 7;
        fprintf(stderr, "generating scale %llu into %s\n", scale, dir);
        if (revops_gen(&go, NULL) != 0) {
            fprintf(stderr, "gen: %s\n", revops_error_last()->message);
            return 1;
        }
    }
    revops_dataset *ds;
    revops_import_report report;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    if (revops_dataset_load_csv(&ds, dir, &io, &report) != 0) {
        fprintf(stderr, "load: %s\n", revops_error_last()->message);
        return 1;
    }
    revops_import_report_free(&report);
    int lead = revops_entity_find("lead", 4);
    size_t n = revops_dataset_rows(ds, (size_t)lead);
    revops_day latest = revops_dataset_latest_day(ds);
    revops_criteria_env env;
    if (revops_criteria_env_init(&env, ds, revops_day_time(latest) + 86399, NULL) != 0) {
        fprintf(stderr, "env: %s\n", revops_error_last()->message);
        return 1;
    }
    printf("criteria on %zu leads (scale %llu), median of %d runs\n\n", n, scale, runs);
    printf("| criteria | instructions | matched | evaluations/s |\n|---|---:|---:|---:|\n");
    double rate[99];
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        revops_criteria *c;
        const char *text = cases[k][1];
        if (revops_criteria_compile(&c, "lead", text, strlen(text), NULL) != 0) {
            fprintf(stderr, "%s: %s\n", text, revops_error_last()->message);
            return 1;
        }
        size_t matched = 0;
        for (int r = 0; r < runs; r++) {
            size_t m = 0;
            double t0 = now();
            for (size_t row = 0; row < n; row++) {
                int rc = revops_criteria_eval(c, &env, row);
                if (rc < 0) {
                    fprintf(stderr, "%s: %s\n", text, revops_error_last()->message);
                    return 1;
                }
                m += (size_t)rc;
            }
            rate[r] = (double)n / (now() - t0);
            if (r > 0 && m != matched)
                return 1; /* the same data, the same answer */
            matched = m;
        }
        printf("| %s | %zu | %.1f%% | %.0f |\n", cases[k][0], revops_criteria_size(c),
               100.0 * (double)matched / (double)(n ? n : 1), median(rate, runs));
        revops_criteria_free(c);
    }
    /* The default lead-scoring rules: every rule on every lead, points summed and capped. */
    revops_config *cfg;
    if (revops_config_default(&cfg) != 0)
        return 1;
    double total = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now(), sum = 0;
        for (size_t row = 0; row < n; row++) {
            double points = 0;
            for (size_t i = 0; i < cfg->nlead_rules; i++)
                if (revops_criteria_eval(cfg->lead_rules[i].criteria.compiled, &env, row) == 1)
                    points += cfg->lead_rules[i].points;
            sum += points > 100 ? 100 : points;
        }
        rate[r] = (double)n / (now() - t0);
        total = sum;
    }
    printf("\ndefault lead-scoring rules (%zu): %.0f leads/s, mean score %.2f\n", cfg->nlead_rules,
           median(rate, runs), total / (double)(n ? n : 1));
    revops_config_free(cfg);
    revops_dataset_free(ds);
    return 0;
}
