/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learned scores and the account scores at scale:
 *
 *   bench_scoring [SCALE] [RUNS] [DIR]      defaults: 200000 opportunities, 3 runs,
 *                                           /tmp/revops-bench-scoring
 *
 * Generates the data set (seed 7) into DIR unless DIR already holds lead.csv, loads it once
 * (timed apart), and for leads and deals times, each the median of RUNS runs in this one
 * process: the indexes (context, activities, the owners' closes), the training snapshots,
 * naive Bayes and logistic regression training, and scoring the open leads or deals of the
 * as-of day in two steps: their features, then the blended model over the feature rows
 * (leads per second). Then the whole `revops_score_model` call with --evaluate, and the
 * churn risk of every paying account with its evaluation. Times library internals, so it
 * sees lib/.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "analytics/context.h"
#include "revops/revops.h"
#include "scoring/features.h"
#include "scoring/learn.h"

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

static int fail(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, revops_error_last()->message);
    return 1;
}

enum { T_INDEX, T_SNAPSHOTS, T_BAYES, T_LOGISTIC, T_FEATURES, T_PREDICT, T_COUNT };

/* One run of the learned score of `subject` through its phases; times into t[]. */
static int run_subject(const revops_dataset *ds, revops_score_subject subject, double *t,
                       size_t *train_n, size_t *scored, int *iterations, double *checksum)
{
    revops_analysis_options ao = REVOPS_ANALYSIS_OPTIONS_INIT;
    revops_actx c;
    revops_fctx f;
    revops_examples train = {0}, open = {0};
    revops_nb nb;
    revops_lr lr;
    double t0 = now();
    if (revops_actx__init(&c, ds, &ao))
        return fail("context");
    if (revops_fctx__init(&f, &c, subject))
        return fail("indexes");
    double t1 = now();
    int h = subject == REVOPS_SCORE_DEALS ? 180 : 90;
    revops_day first = c.as_of; /* the first creation day */
    const revops_time *created =
        subject == REVOPS_SCORE_DEALS ? ds->opportunity.created_at : ds->lead.created_at;
    size_t n = subject == REVOPS_SCORE_DEALS ? ds->opportunity.n : ds->lead.n;
    for (size_t i = 0; i < n; i++)
        if (created[i] != REVOPS_NO_TIME && revops_time_day(created[i]) < first)
            first = revops_time_day(created[i]);
    size_t total = 0;
    for (revops_day d = c.as_of - h; d >= first; d -= 30)
        total += revops_features__count_open(&f, d);
    double sample = total > 1000000 ? 1000000.0 / (double)total : 1.0;
    for (revops_day d = c.as_of - h; d >= first; d -= 30)
        if (revops_features__snapshot(&f, &train, d, h, sample))
            return fail("snapshots");
    double t2 = now();
    if (revops_nb__fit(&nb, train.c, train.y, train.n, train.q, 1.0))
        return fail("naive Bayes");
    double t3 = now();
    if (revops_lr__fit(&lr, train.x, train.y, train.n, train.p, 1.0))
        return fail("logistic regression");
    double t4 = now();
    if (revops_features__snapshot(&f, &open, c.as_of, 0, 1.0))
        return fail("scoring features");
    double t5 = now();
    double sum = 0;
    for (size_t i = 0; i < open.n; i++) {
        double a = revops_nb__logit(&nb, open.c + i * open.q, NULL);
        double b = revops_lr__logit(&lr, open.x + i * open.p, NULL);
        sum += revops_eval__sigmoid(0.5 * (a + b));
    }
    double t6 = now();
    t[T_INDEX] = t1 - t0;
    t[T_SNAPSHOTS] = t2 - t1;
    t[T_BAYES] = t3 - t2;
    t[T_LOGISTIC] = t4 - t3;
    t[T_FEATURES] = t5 - t4;
    t[T_PREDICT] = t6 - t5;
    *train_n = train.n;
    *scored = open.n;
    *iterations = lr.iterations;
    *checksum = sum;
    revops_nb__free(&nb);
    revops_lr__free(&lr);
    revops_examples__free(&train);
    revops_examples__free(&open);
    revops_fctx__free(&f);
    revops_actx__free(&c);
    return 0;
}

static int bench_subject(const revops_dataset *ds, revops_score_subject subject, int runs)
{
    double t[T_COUNT][99];
    size_t train_n = 0, scored = 0;
    int iterations = 0;
    double checksum = 0, first_sum = 0;
    for (int r = 0; r < runs; r++) {
        double one[T_COUNT];
        if (run_subject(ds, subject, one, &train_n, &scored, &iterations, &checksum))
            return 1;
        if (r > 0 && checksum != first_sum)
            return 1; /* the same data, the same scores */
        first_sum = checksum;
        for (int k = 0; k < T_COUNT; k++)
            t[k][r] = one[k];
    }
    double m[T_COUNT];
    for (int k = 0; k < T_COUNT; k++)
        m[k] = median(t[k], runs);
    const char *what = subject == REVOPS_SCORE_DEALS ? "deals" : "leads";
    printf("\n%s: %zu training examples, %zu scored, %d Newton steps, mean chance %.4f\n", what,
           train_n, scored, iterations, first_sum / (double)(scored ? scored : 1));
    printf("| step | seconds | rate |\n|---|---:|---:|\n");
    printf("| context and indexes | %.3f | |\n", m[T_INDEX]);
    printf("| training snapshots (features + labels) | %.3f | %.0f examples/s |\n", m[T_SNAPSHOTS],
           (double)train_n / m[T_SNAPSHOTS]);
    printf("| naive Bayes training | %.3f | %.0f examples/s |\n", m[T_BAYES],
           (double)train_n / m[T_BAYES]);
    printf("| logistic regression training | %.3f | %.0f examples/s |\n", m[T_LOGISTIC],
           (double)train_n / m[T_LOGISTIC]);
    printf("| training in all (snapshots + both models) | %.3f | |\n",
           m[T_SNAPSHOTS] + m[T_BAYES] + m[T_LOGISTIC]);
    printf("| features of the open %s on the as-of day | %.3f | %.0f %s/s |\n", what, m[T_FEATURES],
           (double)scored / m[T_FEATURES], what);
    printf("| blended model over the feature rows | %.3f | %.0f %s/s |\n", m[T_PREDICT],
           (double)scored / m[T_PREDICT], what);
    printf("| batch scoring (features + model) | %.3f | %.0f %s/s |\n",
           m[T_FEATURES] + m[T_PREDICT], (double)scored / (m[T_FEATURES] + m[T_PREDICT]), what);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long long scale = argc > 1 ? strtoull(argv[1], NULL, 10) : 200000;
    int runs = argc > 2 ? atoi(argv[2]) : 3;
    const char *dir = argc > 3 ? argv[3] : "/tmp/revops-bench-scoring";
    if (scale == 0 || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: bench_scoring [SCALE] [RUNS] [DIR]\n");
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
        if (revops_gen(&go, NULL) != 0)
            return fail("gen");
    }
    revops_dataset *ds;
    revops_import_report report;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    double t0 = now();
    if (revops_dataset_load_csv(&ds, dir, &io, &report) != 0)
        return fail("load");
    revops_import_report_free(&report);
    printf("scoring benchmark: %s, %zu deals, %zu leads; load %.1f s (once); median of %d runs\n",
           dir, ds->opportunity.n, ds->lead.n, now() - t0, runs);
    if (bench_subject(ds, REVOPS_SCORE_LEADS, runs) || bench_subject(ds, REVOPS_SCORE_DEALS, runs))
        return 1;
    /* The public calls, end to end. */
    double te[99], tc[99];
    double auc = NAN, churn_auc = NAN;
    for (int r = 0; r < runs; r++) {
        revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
        mo.evaluate = 1;
        revops_model_scores *s;
        double a = now();
        if (revops_score_model(&s, ds, NULL, &mo))
            return fail("evaluate deals");
        te[r] = now() - a;
        auc = s->measures[REVOPS_MODEL_BLEND].auc;
        printf("%s", r ? "" : "\n");
        if (r == 0)
            printf("deals --evaluate: train %zu, test %zu, AUC blend %.4f, stage baseline %.4f\n",
                   s->train.examples, s->test.examples, auc, s->baseline.auc);
        revops_model_scores_free(s);
        revops_account_score_options co = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
        co.evaluate = 1;
        revops_account_scores *cs;
        a = now();
        if (revops_score_accounts(&cs, ds, NULL, &co))
            return fail("churn");
        tc[r] = now() - a;
        churn_auc = cs->auc;
        if (r == 0)
            printf("churn --evaluate: %zu paying accounts, %zu churned, AUC %.4f\n", cs->customers,
                   cs->outcomes, churn_auc);
        revops_account_scores_free(cs);
    }
    printf("| call | seconds |\n|---|---:|\n");
    printf("| revops_score_model, deals, --evaluate | %.3f |\n", median(te, runs));
    printf("| revops_score_accounts, churn, --evaluate | %.3f |\n", median(tc, runs));
    revops_dataset_free(ds);
    return 0;
}
