/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Churn risk and expansion scores of paying accounts (docs/scoring.md "Churn risk and
 * expansion"): weighted signals, each in [0, 1], from usage, support tickets, activities,
 * invoices and subscription items, as known at the end of the as-of day. A signal that
 * cannot be computed for an account (no usage to compare, no invoice due) is left out and
 * the weights of the others are renormalised; each account lists its signals with their
 * values, weights and contributions, which add up to its score.
 */
#ifndef REVOPS_SCORE_ACCOUNTS_H
#define REVOPS_SCORE_ACCOUNTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/common.h"
#include "revops/config.h"
#include "revops/dataset.h"
#include "revops/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum revops_account_score_kind {
    REVOPS_ACCOUNT_CHURN,
    REVOPS_ACCOUNT_EXPANSION
} revops_account_score_kind;

#define REVOPS_ACCOUNT_SIGNALS 4

typedef struct revops_account_score_options {
    revops_account_score_kind kind;
    int32_t as_of;        /* REVOPS_NO_DAY: the latest event; with evaluate, 90 days before it */
    const char *currency; /* reporting currency; NULL: the configuration's, else the data's */
    size_t top;           /* accounts listed, highest first; 0: all */
    int evaluate;         /* measure the score against what happened in the next 90 days */
} revops_account_score_options;

#define REVOPS_ACCOUNT_SCORE_OPTIONS_INIT                                                          \
    {                                                                                              \
        REVOPS_ACCOUNT_CHURN, INT32_MIN, NULL, 20, 0                                               \
    }

typedef struct revops_account_signal {
    const char *name;     /* as the configuration's weights name it */
    double value;         /* in [0, 1]; NaN when it cannot be computed */
    const char *reason;   /* why not, when NaN; else NULL */
    double weight;        /* from the configuration */
    double contribution;  /* weight x value / the sum of the weights of the known signals */
    double recent, prior; /* what it compares (docs/scoring.md); NaN when not used */
} revops_account_signal;

typedef struct revops_account_score {
    const char *account; /* id (borrowed from the dataset) */
    const char *name;
    double score; /* in [0, 1]; NaN when no signal could be computed */
    int flagged;  /* expansion: score above the threshold */
    int64_t mrr;  /* on the as-of day, reporting currency minor units */
    int outcome;  /* evaluation: churned (expanded) in the 90 days after; else 0 */
    revops_account_signal signals[REVOPS_ACCOUNT_SIGNALS];
} revops_account_score;

typedef struct revops_account_scores {
    revops_account_score_kind kind;
    int32_t as_of;
    char currency[8];
    int exponent;
    double weights[REVOPS_ACCOUNT_SIGNALS]; /* the signals' weights, in signal order */
    double threshold;                       /* expansion: flagged above it */
    size_t customers;                       /* accounts with MRR > 0 on the as-of day */
    size_t scored;                          /* of them, with a score */
    size_t flagged;                         /* expansion: above the threshold */
    double mean_score;                      /* over the scored; NaN when none */
    revops_account_score *accounts;         /* listed, highest first (ties: account id) */
    size_t naccounts;
    /* evaluation */
    int evaluated;
    int horizon_days; /* 90 */
    size_t outcomes;  /* accounts that churned (expanded) within the horizon */
    double auc;       /* of the score; NaN when one class is absent */
    double signal_auc[REVOPS_ACCOUNT_SIGNALS]; /* of each signal alone, over its known values */
} revops_account_scores;

/*
 * Scores the accounts with MRR on the as-of day. With opts->evaluate the data must reach 90
 * days past the as-of day (REVOPS_EINVALID otherwise), and each account's outcome is whether
 * it churned (MRR 0 on as-of + 90) or expanded (MRR on as-of + 90 above that of the as-of day).
 * The dataset must outlive *out; free it with revops_account_scores_free().
 */
int revops_score_accounts(revops_account_scores **out, const revops_dataset *ds,
                          const revops_config *cfg, const revops_account_score_options *opts);
void revops_account_scores_free(revops_account_scores *s);

/* The name of signal k (0 .. REVOPS_ACCOUNT_SIGNALS - 1) of a kind of score, as the
 * configuration's weights name it ("usage_decline", ..., "timing"). */
const char *revops_account_signal_name(revops_account_score_kind kind, int k);

int revops_account_scores_write_json(const revops_account_scores *s, revops_json *j);
int revops_account_scores_write_text(const revops_account_scores *s, FILE *fp);

#ifdef __cplusplus
}
#endif

#endif
