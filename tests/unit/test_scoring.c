/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learned lead and deal scores on the hand-made data of tests/fixtures/scoring (its
 * README.md derives every number used here): the point-in-time features of a snapshot, the
 * labels, the training set the snapshots make, the naive Bayes counts behind a factor, the
 * factor sums, and the errors of too little history and of one outcome only.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "revops/revops.h"
#include "scoring/features.h"
#include "scoring/learn.h"

#define FIXTURE REVOPS_SOURCE_DIR "/tests/fixtures/scoring"

/* cmocka's assert_float_equal compares floats; these numbers need doubles. */
#define assert_near(a, b, eps)                                                                     \
    do {                                                                                           \
        double a_ = (a), b_ = (b);                                                                 \
        if (!(fabs(a_ - b_) <= (eps)))                                                             \
            fail_msg("%s = %.17g, expected %.17g", #a, a_, b_);                                    \
    } while (0)

static revops_dataset *load(void)
{
    revops_dataset *ds = NULL;
    revops_import_report r;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    assert_int_equal(revops_dataset_load_csv(&ds, FIXTURE, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    revops_import_report_free(&r);
    return ds;
}

static revops_day day(const char *s)
{
    revops_day d;
    assert_int_equal(revops_day_parse(&d, s, strlen(s)), 0);
    return d;
}

/* The example of the row whose id is `id`, or -1. */
static long find(const revops_examples *e, const revops_dataset *ds, const revops_str *ids,
                 const char *id)
{
    for (size_t i = 0; i < e->n; i++)
        if (strcmp(revops_dataset__str(ds, ids[e->row[i]]), id) == 0)
            return (long)i;
    return -1;
}

static void test_deal_features_on_a_snapshot(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_analysis_options ao = REVOPS_ANALYSIS_OPTIONS_INIT;
    ao.as_of = day("2026-04-30");
    revops_actx c;
    assert_int_equal(
        revops_actx__init_for(&c, ds, &ao, REVOPS_ACTX_ACTIVITY_INDEX | REVOPS_ACTX_LEAD_MAP), 0);
    revops_fctx f;
    assert_int_equal(revops_fctx__init(&f, &c, REVOPS_SCORE_DEALS), 0);
    revops_examples e = {0};
    assert_int_equal(revops_features__snapshot(&f, &e, day("2026-03-01"), 60, 1.0), 0);
    /* Open at the end of 2026-03-01: O-1 (discovery), O-3 (proposal), O-4 (qualification);
     * O-2 was lost on 02-20, O-5 on 2025-12-15. */
    assert_int_equal(e.n, 3);
    const revops_str *ids = ds->opportunity.id;
    long o1 = find(&e, ds, ids, "O-1"), o3 = find(&e, ds, ids, "O-3"),
         o4 = find(&e, ds, ids, "O-4");
    assert_true(o1 >= 0 && o3 >= 0 && o4 >= 0);
    const double *x = e.x + (size_t)o1 * e.p;
    assert_near(x[DF_AGE], 55, 0);        /* 01-05 to 03-01 */
    assert_near(x[DF_STAGE_DAYS], 1, 0);  /* 40 days in discovery, the only one there */
    assert_near(x[DF_PUSHES], 1, 0);      /* 02-28 -> 03-31 on 02-10 */
    assert_near(x[DF_AMOUNT], 0, 1e-15);  /* 100,000 = the median of 100k, 300k, 50k */
    assert_near(x[DF_ACT14], 2, 0);       /* 02-20, 02-25 (03-02 is after the day) */
    assert_near(x[DF_ACT30], 3, 0);       /* and 01-31 */
    assert_near(x[DF_REP_RATE], 0.25, 0); /* O-5 and O-2 lost: (0 + 1) / (2 + 2) */
    assert_near(x[DF_OVERDUE], 0, 0);     /* close date 03-31 */
    assert_near(x[DF_STAGE_P], 0.25, 0);
    assert_int_equal(e.y[o1], 1); /* won 03-05, within 60 days */
    assert_near(e.baseline[o1], 0.25, 0);
    const uint32_t *cat = e.c + (size_t)o1 * e.q;
    assert_string_equal(revops_feature__cat_value(&f, DC_STAGE, cat[DC_STAGE]), "discovery");
    assert_string_equal(revops_feature__cat_value(&f, DC_TYPE, cat[DC_TYPE]), "new");
    assert_string_equal(revops_feature__cat_value(&f, DC_SOURCE, cat[DC_SOURCE]), "referral");
    assert_string_equal(revops_feature__cat_value(&f, DC_INDUSTRY, cat[DC_INDUSTRY]), "saas");
    assert_string_equal(revops_feature__cat_value(&f, DC_SEGMENT, cat[DC_SEGMENT]), "mid");
    /* O-3: 90 days old, 45 in proposal (alone there), 300k = 3 x the median, one day past its
     * 02-28 close date, R-2 with no close yet: 1/2; won 03-20. */
    x = e.x + (size_t)o3 * e.p;
    assert_near(x[DF_AGE], 90, 0);
    assert_near(x[DF_AMOUNT], log(3.0), 1e-12);
    assert_near(x[DF_OVERDUE], 1, 0);
    assert_near(x[DF_REP_RATE], 0.5, 0);
    assert_int_equal(e.y[o3], 1);
    assert_string_equal(revops_feature__cat_value(&f, DC_SOURCE, e.c[(size_t)o3 * e.q + DC_SOURCE]),
                        "");
    /* O-4: still open on 04-30, so not won within the horizon. */
    assert_int_equal(e.y[o4], 0);
    assert_near(e.x[(size_t)o4 * e.p + DF_AMOUNT], log(0.5), 1e-12);
    revops_examples__free(&e);
    revops_fctx__free(&f);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

static void test_lead_features_on_a_snapshot(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_analysis_options ao = REVOPS_ANALYSIS_OPTIONS_INIT;
    ao.as_of = day("2026-04-30");
    revops_actx c;
    assert_int_equal(
        revops_actx__init_for(&c, ds, &ao, REVOPS_ACTX_ACTIVITY_INDEX | REVOPS_ACTX_LEAD_MAP), 0);
    revops_fctx f;
    assert_int_equal(revops_fctx__init(&f, &c, REVOPS_SCORE_LEADS), 0);
    revops_examples e = {0};
    assert_int_equal(revops_features__snapshot(&f, &e, day("2026-02-28"), 30, 1.0), 0);
    /* Open at the end of 02-28: L-3 (sql since 02-20) and L-4 (lead); L-1 converted on 01-05,
     * L-2 was disqualified on 02-25. */
    assert_int_equal(e.n, 2);
    const revops_str *ids = ds->lead.id;
    long l3 = find(&e, ds, ids, "L-3"), l4 = find(&e, ds, ids, "L-4");
    assert_true(l3 >= 0 && l4 >= 0);
    const double *x = e.x + (size_t)l3 * e.p;
    assert_near(x[LF_AGE], 18, 0);
    assert_near(x[LF_STAGE_DAYS], 1, 0); /* 8 days in sql, the only sql lead */
    assert_near(x[LF_ACT14], 1, 0);      /* 02-21 */
    assert_near(x[LF_ACT30], 2, 0);      /* and 02-11 */
    assert_near(x[LF_REP_RATE], 0.5, 0); /* L-1 converted, L-2 disqualified */
    assert_near(x[LF_RESPONDED], 1, 0);
    assert_near(x[LF_EMPLOYEES], log(5001.0), 1e-12);
    assert_int_equal(e.y[l3], 1); /* converted 03-10, within 30 days */
    const uint32_t *cat = e.c + (size_t)l3 * e.q;
    assert_string_equal(revops_feature__cat_value(&f, LC_STAGE, cat[LC_STAGE]), "sql");
    assert_string_equal(revops_feature__cat_value(&f, LC_SEGMENT, cat[LC_SEGMENT]), "enterprise");
    assert_string_equal(revops_feature__cat_value(&f, LC_SOURCE, cat[LC_SOURCE]), "organic_search");
    x = e.x + (size_t)l4 * e.p;
    assert_near(x[LF_AGE], 13, 0);
    assert_true(isnan(x[LF_REP_RATE])); /* no owner */
    assert_near(x[LF_RESPONDED], 0, 0);
    assert_true(isnan(x[LF_EMPLOYEES]));
    assert_int_equal(e.y[l4], 0);
    cat = e.c + (size_t)l4 * e.q;
    assert_string_equal(revops_feature__cat_value(&f, LC_STAGE, cat[LC_STAGE]), "lead");
    assert_string_equal(revops_feature__cat_value(&f, LC_SEGMENT, cat[LC_SEGMENT]), "");
    assert_string_equal(revops_feature__cat_value(&f, LC_INDUSTRY, cat[LC_INDUSTRY]), "");
    /* Half the leads by the hash sample: the same pick every time. */
    revops_examples a = {0}, b = {0};
    assert_int_equal(revops_features__snapshot(&f, &a, day("2026-02-28"), 30, 0.5), 0);
    assert_int_equal(revops_features__snapshot(&f, &b, day("2026-02-28"), 30, 0.5), 0);
    assert_int_equal(a.n, b.n);
    for (size_t i = 0; i < a.n; i++)
        assert_int_equal(a.row[i], b.row[i]);
    revops_examples__free(&a);
    revops_examples__free(&b);
    revops_examples__free(&e);
    revops_fctx__free(&f);
    revops_actx__free(&c);
    revops_dataset_free(ds);
}

/* Checks every listed item: base + factors = logit, p = sigmoid(logit). */
static void expect_factor_sums(const revops_model_scores *s)
{
    for (size_t i = 0; i < s->nitems; i++) {
        const revops_model_item *it = &s->items[i];
        double sum = it->base;
        for (size_t k = 0; k < it->n; k++)
            sum += s->factors[it->first + k].contribution;
        assert_near(sum, it->logit, 1e-9 * (1 + fabs(it->logit)));
        assert_near(it->probability, 1 / (1 + exp(-it->logit)), 1e-12);
    }
}

static void test_deal_model_training_set(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
    mo.as_of = day("2026-04-30");
    mo.horizon_days = 60;
    mo.model = REVOPS_MODEL_BAYES;
    revops_model_scores *s;
    assert_int_equal(revops_score_model(&s, ds, NULL, &mo), 0);
    /* Snapshots 03-01, 01-30, 12-31, 12-01, 11-01 (10-02 is before the first deal): 3 + 3 +
     * 1 + 2 + 1 = 10 open deals, 4 won within 60 days (O-1 and O-3 on 01-30 and 03-01). */
    assert_int_equal(s->train.snapshots, 5);
    assert_int_equal(s->train.examples, 10);
    assert_int_equal(s->train.positives, 4);
    assert_int_equal(s->train.from, day("2025-11-01"));
    assert_int_equal(s->train.to, day("2026-03-01"));
    assert_near(s->bayes_base, log(4.0 / 6.0), 1e-12);
    /* Scored on 04-30: O-4 alone is open. Its stage, qualification, was never won in training:
     * 0 of 4 positive, 4 of 6 negative, three stage values: ln((0 + 1) / (4 + 3)) -
     * ln((4 + 1) / (6 + 3)) = ln(9 / 35). */
    assert_int_equal(s->scored, 1);
    assert_int_equal(s->nitems, 1);
    assert_string_equal(s->items[0].id, "O-4");
    assert_string_equal(s->items[0].stage, "qualification");
    assert_near(s->items[0].baseline, 0.10, 0);
    int seen = 0;
    for (size_t k = 0; k < s->items[0].n; k++) {
        const revops_model_factor *fa = &s->factors[s->items[0].first + k];
        if (strcmp(fa->name, "stage") == 0) {
            assert_string_equal(fa->value, "qualification");
            assert_near(fa->contribution, log(9.0 / 35.0), 1e-12);
            seen = 1;
        }
    }
    assert_true(seen);
    assert_int_equal(s->items[0].n, DC_COUNT);
    expect_factor_sums(s);
    revops_model_scores_free(s);
    /* The blend halves both models' factors; they still add up to its logit. */
    mo.model = REVOPS_MODEL_BLEND;
    assert_int_equal(revops_score_model(&s, ds, NULL, &mo), 0);
    assert_int_equal(s->items[0].n, DC_COUNT + DF_COUNT);
    expect_factor_sums(s);
    /* The logistic model saw R-2's rate as of 04-30: O-3 won, (1 + 1) / (1 + 2). */
    for (size_t k = 0; k < s->items[0].n; k++)
        if (strcmp(s->factors[s->items[0].first + k].name, "rep_win_rate") == 0)
            assert_near(s->factors[s->items[0].first + k].x, 2.0 / 3.0, 1e-15);
    revops_model_scores_free(s);
    revops_dataset_free(ds);
}

static void test_deal_model_errors(void **state)
{
    (void)state;
    revops_dataset *ds = load();
    revops_model_options mo = REVOPS_MODEL_OPTIONS_INIT;
    mo.as_of = day("2026-04-30");
    mo.horizon_days = 60;
    mo.evaluate = 1;
    mo.cut = day("2026-02-28");
    revops_model_scores *s = NULL;
    /* Trained on outcomes known by 02-28: snapshots 12-30 (O-3, open until 03-20) and 11-30
     * (O-5, lost): no deal won, so nothing to learn. */
    assert_int_equal(revops_score_model(&s, ds, NULL, &mo), REVOPS_EINVALID);
    assert_null(s);
    assert_non_null(strstr(revops_error_last()->message, "all negative (2 of them)"));
    /* A cut that leaves no test snapshot. */
    mo.cut = day("2026-03-15");
    assert_int_equal(revops_score_model(&s, ds, NULL, &mo), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "leaves no test snapshot"));
    /* Too little history: as of 2025-12-30 with a 60-day horizon the last snapshot would be
     * 2025-10-31, the day before the first deal. */
    mo.evaluate = 0;
    mo.as_of = day("2025-12-30");
    assert_int_equal(revops_score_model(&s, ds, NULL, &mo), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "too little history"));
    revops_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deal_features_on_a_snapshot),
        cmocka_unit_test(test_lead_features_on_a_snapshot),
        cmocka_unit_test(test_deal_model_training_set),
        cmocka_unit_test(test_deal_model_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
