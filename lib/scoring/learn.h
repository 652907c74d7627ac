/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The learning pieces of the scores (docs/scoring.md): a naive Bayes frequency model over
 * categorical fields, an L2-penalised logistic regression over standardised numeric features
 * (Newton's method, i.e. IRLS), and the measures a model is evaluated with (AUC, log loss,
 * Brier score, calibration buckets). They know nothing of leads or deals: examples are rows
 * of numbers or category keys with a 0/1 label.
 *
 * Both models explain a prediction the same way: logit = base + the sum of one contribution
 * per feature (per field for naive Bayes), so the factors shown with a score add up to its
 * logit exactly and the probability is 1 / (1 + exp(-logit)).
 */
#ifndef REVOPS_SCORING_LEARN_H
#define REVOPS_SCORING_LEARN_H

#include <stddef.h>
#include <stdint.h>

/* ---- naive Bayes over categorical fields ---- */

/* A category key never used by a field (the empty slot of the hash tables). */
#define REVOPS_NB_NO_KEY UINT32_MAX

typedef struct revops_nb_field {
    uint32_t *keys; /* open addressing, REVOPS_NB_NO_KEY = free */
    uint64_t *n1;   /* positives (won, converted) with the key */
    uint64_t *n0;   /* negatives with the key */
    double *llr;    /* ln P(key | positive) - ln P(key | negative), with the prior */
    size_t mask;    /* slots - 1 (a power of two) */
    size_t nvalues; /* distinct keys seen in training */
} revops_nb_field;

typedef struct revops_nb {
    size_t q;     /* fields */
    double alpha; /* pseudo-count added to every (value, class) count */
    uint64_t n1, n0;
    double base; /* ln(n1 / n0): the prior log odds */
    revops_nb_field *fields;
} revops_nb;

/*
 * Counts, for each of the q fields of the n examples (keys row by row: x[i * q + f]), how
 * often each key goes with each label, and turns the counts into log-likelihood ratios with
 * the prior `alpha` (>= 0): P(v | class) = (count(v, class) + alpha) / (n_class + alpha * V),
 * V the number of distinct keys of the field in training. Keys may be any value but
 * REVOPS_NB_NO_KEY. Training data of one class only are refused with REVOPS_EINVALID (there
 * are no odds to learn). The caller frees the model with revops_nb__free().
 */
int revops_nb__fit(revops_nb *m, const uint32_t *x, const uint8_t *y, size_t n, size_t q,
                   double alpha);
void revops_nb__free(revops_nb *m);

/* The log-likelihood ratio of key `v` of field f; 0 for a key not seen in training (it says
 * nothing either way). */
double revops_nb__llr(const revops_nb *m, size_t f, uint32_t v);

/* The counts behind field f's key v (0, 0 when not seen). */
void revops_nb__counts(const revops_nb *m, size_t f, uint32_t v, uint64_t *n1, uint64_t *n0);

/* The logit of one example (q keys); contrib (q values, may be NULL) receives each field's
 * log-likelihood ratio, which add up to the logit minus m->base. */
double revops_nb__logit(const revops_nb *m, const uint32_t *x, double *contrib);

/* ---- logistic regression over numeric features ---- */

typedef struct revops_lr {
    size_t p;          /* features */
    double l2;         /* the penalty on the coefficients of the standardised features */
    double *mean, *sd; /* of each feature over its known training values */
    uint8_t *constant; /* 1: no spread in training (or no known value): coefficient 0 */
    double intercept;
    double *beta; /* per standardised feature */
    int iterations;
    double objective; /* the penalised negative log-likelihood at the solution */
} revops_lr;

/*
 * Fits P(y = 1 | x) = 1 / (1 + exp(-(b0 + sum_j beta_j * z_j))) with z_j = (x_j - mean_j) / sd_j
 * (a missing value, NaN, reads as z = 0: the training mean), minimising
 * -loglik + l2 / 2 * sum_j beta_j^2 (the intercept is not penalised) by Newton's method with
 * step halving. With l2 > 0 the optimum is finite even when the classes are separable.
 * x is n rows of p values. One class only, or no examples, is REVOPS_EINVALID; a Newton
 * system that cannot be solved (l2 = 0 and collinear features) is REVOPS_EINVALID too.
 * Free with revops_lr__free().
 */
int revops_lr__fit(revops_lr *m, const double *x, const uint8_t *y, size_t n, size_t p, double l2);
void revops_lr__free(revops_lr *m);

/* The logit of one example; contrib (p values, may be NULL) receives beta_j * z_j, which add
 * up to the logit minus m->intercept. */
double revops_lr__logit(const revops_lr *m, const double *x, double *contrib);

/* ---- evaluation ---- */

double revops_eval__sigmoid(double logit);

/*
 * The area under the ROC curve of `score` against the labels: the probability that a random
 * positive scores above a random negative, ties counting one half (the Mann-Whitney statistic
 * from mid-ranks). Sets *out to NaN when one class is absent. Needs a scratch copy: returns
 * REVOPS_ENOMEM when it cannot have one, else 0.
 */
int revops_eval__auc(double *out, const double *score, const uint8_t *y, size_t n);

/* Mean of -(y ln p + (1 - y) ln(1 - p)), p clipped to [1e-15, 1 - 1e-15]; NaN when n = 0. */
double revops_eval__log_loss(const double *p, const uint8_t *y, size_t n);

/* Mean of (p - y)^2; NaN when n = 0. */
double revops_eval__brier(const double *p, const uint8_t *y, size_t n);

typedef struct revops_calibration_bin {
    double predicted; /* mean predicted probability in the bin */
    double observed;  /* share of positives in the bin */
    size_t count;
    double low, high; /* the range of the predictions in it */
} revops_calibration_bin;

/*
 * Calibration by equal-count bins of the predictions, lowest first: the examples sorted by p
 * (ties by position) and cut into `bins` parts as equal as integer division makes them
 * (bin k holds the examples [k * n / bins, (k + 1) * n / bins)); empty bins (n < bins) are
 * left out. *nout receives the number written to out (at most `bins`).
 */
int revops_eval__calibration(revops_calibration_bin *out, size_t *nout, size_t bins,
                             const double *p, const uint8_t *y, size_t n);

#endif
