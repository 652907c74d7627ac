/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Learned scores (docs/scoring.md): the chance that an open lead converts, or that an open
 * deal is won, within a horizon, from models trained on what happened to earlier leads and
 * deals. Training is strictly point in time: each example is a lead or deal as it stood at
 * the end of a past snapshot day, labelled by what happened in the horizon after it, and
 * only snapshots whose horizon ended by the as-of day (or by the cut day, when evaluating)
 * are used. Two models, and their blend:
 *
 * - naive Bayes over categorical fields (stage, source, industry, region, segment, and for
 *   deals type and product): per value, won and lost counts with a small prior;
 * - logistic regression over numeric features (age, time in stage against the stage's
 *   median, close-date pushes, amount against the median, recent activities, the owner's
 *   win rate, ...), standardised, with a small L2 penalty.
 *
 * Every score comes with its factors: contributions to the logit that, with the base, add up
 * to it exactly. Churn risk and expansion of accounts, as weighted signals, are at the end.
 */
#ifndef REVOPS_SCORE_MODELS_H
#define REVOPS_SCORE_MODELS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/common.h"
#include "revops/config.h"
#include "revops/dataset.h"
#include "revops/json.h"
#include "revops/stages.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum revops_score_subject { REVOPS_SCORE_LEADS, REVOPS_SCORE_DEALS } revops_score_subject;

typedef enum revops_model_kind {
    REVOPS_MODEL_BLEND,   /* the mean of the two logits */
    REVOPS_MODEL_BAYES,   /* naive Bayes over the categorical fields */
    REVOPS_MODEL_LOGISTIC /* logistic regression over the numeric features */
} revops_model_kind;

/* "blend", "bayes", "logistic"; parse returns -1 for another name. */
const char *revops_score_model_name(revops_model_kind m);
int revops_score_model_parse(const char *name);

typedef struct revops_model_options {
    revops_score_subject subject;
    revops_model_kind model;
    int32_t as_of;        /* REVOPS_NO_DAY: the latest event of the data */
    const char *currency; /* reporting currency; NULL: the configuration's, else the data's */
    size_t top;           /* items listed, best first; 0: all */
    int evaluate;         /* train before the cut, test after it, report the measures */
    int32_t cut;          /* REVOPS_NO_DAY: as_of - horizon - 180 days */
    int horizon_days;     /* the label's horizon; 0: 90 for leads, 180 for deals */
    int step_days;        /* days between snapshots; 30 */
    size_t max_examples;  /* a larger training set is sampled down to about this; 1,000,000 */
    double l2;            /* logistic regression's penalty; 1 */
    double prior;         /* naive Bayes' pseudo-count; 1 */
} revops_model_options;

#define REVOPS_MODEL_OPTIONS_INIT                                                                  \
    {                                                                                              \
        REVOPS_SCORE_DEALS, REVOPS_MODEL_BLEND, INT32_MIN, NULL, 20, 0, INT32_MIN, 0, 30, 1000000, \
            1.0, 1.0                                                                               \
    }

/* One part of a score's logit. */
typedef struct revops_model_factor {
    const char *name;    /* the feature or field ("stage", "rep_win_rate") */
    const char *value;   /* a field's value ("" for empty), or NULL for a numeric feature */
    double x;            /* a numeric feature's value (NaN when unknown), else NaN */
    double contribution; /* to the logit */
} revops_model_factor;

typedef struct revops_model_item {
    const char *id;     /* lead or deal id (borrowed from the dataset) */
    const char *stage;  /* its stage on the as-of day */
    double probability; /* 1 / (1 + exp(-logit)) */
    double logit;
    double base;     /* the model's base: logit = base + the factors' contributions */
    double baseline; /* the stage baseline's probability */
    size_t first, n; /* factors[first .. first + n), largest |contribution| first */
} revops_model_item;

typedef struct revops_model_slice {
    size_t examples, positives, snapshots;
    int32_t from, to;     /* first and last snapshot day */
    int32_t labels_until; /* the last day whose outcomes the labels read */
    double sample;        /* the share of the snapshots' examples kept (1: all) */
} revops_model_slice;

typedef struct revops_model_measures {
    double auc, log_loss, brier; /* NaN when not computable (one class in the test slice) */
} revops_model_measures;

typedef struct revops_model_bin {
    double predicted, observed;
    size_t count;
} revops_model_bin;

typedef struct revops_model_feature {
    const char *name;
    double mean, sd, coefficient; /* logistic: per standardised unit */
    int constant;                 /* no spread in training: coefficient 0 */
} revops_model_feature;

typedef struct revops_model_field {
    const char *name;
    size_t values; /* distinct values in training */
} revops_model_field;

typedef struct revops_model_scores {
    revops_score_subject subject;
    revops_model_kind model;
    int32_t as_of;
    int horizon_days, step_days;
    double l2, prior;
    revops_model_slice train;
    /* the models */
    double intercept, bayes_base;
    int iterations;
    revops_model_feature *features;
    size_t nfeatures;
    revops_model_field *fields;
    size_t nfields;
    /* scores on the as-of day (not when evaluating) */
    size_t scored;
    double mean_probability; /* NaN when none */
    revops_model_item *items;
    size_t nitems;
    revops_model_factor *factors;
    size_t nfactors;
    /* evaluation */
    int evaluated;
    int32_t cut;
    revops_model_slice test;
    revops_model_measures measures[3]; /* by revops_model_kind */
    revops_model_measures baseline;
    revops_model_bin calibration[10]; /* of the chosen model */
    size_t ncalibration;
    revops_stages stages; /* the stages used (items' stage names point here) */
} revops_model_scores;

/*
 * Trains the chosen model on the leads or deals of `ds` (see the file comment) and scores the
 * ones open at the end of the as-of day, or, with opts->evaluate, trains on the snapshots
 * whose labels are known by the cut day and measures the models on the snapshots from the cut
 * day on. `cfg` gives the stages, their probabilities and the currency (may be NULL: the
 * defaults). Too little history to train on, or one outcome only, is REVOPS_EINVALID with a
 * message saying which. The dataset must outlive *out (ids are borrowed); free it with
 * revops_model_scores_free().
 */
int revops_score_model(revops_model_scores **out, const revops_dataset *ds,
                       const revops_config *cfg, const revops_model_options *opts);
void revops_model_scores_free(revops_model_scores *s);

/* JSON and text (docs/scoring.md). */
int revops_model_scores_write_json(const revops_model_scores *s, revops_json *j);
int revops_model_scores_write_text(const revops_model_scores *s, FILE *fp);

#ifdef __cplusplus
}
#endif

#endif
