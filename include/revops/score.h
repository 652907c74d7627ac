/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scores. The rule-based lead score (docs/metrics.md "Scores"): each lead scores the points of
 * every lead-scoring rule of the configuration whose criteria hold for it, the sum clamped to
 * 0..100, with the rules that gave the points as its factors.
 */
#ifndef REVOPS_SCORE_H
#define REVOPS_SCORE_H

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

typedef struct revops_lead_score_options {
    int32_t as_of;        /* a day; REVOPS_NO_DAY: the latest event of the data */
    const char *currency; /* what the exchange rates convert into; NULL: the configuration's
                           * currency, else the data's only currency without rates */
    size_t top;           /* leads listed, best first; 0: all */
} revops_lead_score_options;

#define REVOPS_LEAD_SCORE_OPTIONS_INIT                                                             \
    {                                                                                              \
        INT32_MIN, NULL, 20                                                                        \
    }

/* One rule's part of a lead's score. */
typedef struct revops_score_factor {
    const char *rule; /* the rule's name (borrowed from the configuration) */
    double points;
} revops_score_factor;

typedef struct revops_lead_score {
    const char *lead; /* the lead's id (borrowed from the dataset) */
    double score;     /* points clamped to 0..100 */
    double points;    /* the factors' sum */
    size_t first, n;  /* its factors: factors[first .. first + n), in rule order */
} revops_lead_score;

typedef struct revops_lead_scores {
    int32_t as_of;
    size_t scored;     /* leads created on or before the as-of day */
    double mean_score; /* over them; NaN when there are none */
    size_t nrules;
    size_t *rule_matches;     /* by rule: leads it gave points to */
    revops_lead_score *leads; /* the listed leads, best first (ties: lead id) */
    size_t nleads;
    revops_score_factor *factors;
    size_t nfactors;
} revops_lead_scores;

/*
 * Scores the leads of `ds` as known at the end of the as-of day, with the lead-scoring rules
 * of `cfg` (which, like `ds`, must outlive *out: names and ids are borrowed). Leads created
 * after the as-of day are left out; event times after it read as empty (docs/criteria.md).
 * A rule that cannot be evaluated for a lead (money without an exchange rate) fails the
 * whole call with REVOPS_EINVALID naming the lead and the rule. The caller frees *out with
 * revops_lead_scores_free().
 */
int revops_score_leads(revops_lead_scores **out, const revops_dataset *ds, const revops_config *cfg,
                       const revops_lead_score_options *opts);
void revops_lead_scores_free(revops_lead_scores *s);

/* JSON (docs/cli.md "score"): as_of, leads_scored, mean_score, rules[], leads[]. */
int revops_lead_scores_write_json(const revops_lead_scores *s, const revops_config *cfg,
                                  revops_json *j);
/* A table: rank, lead, score, points and the rules that gave them. */
int revops_lead_scores_write_text(const revops_lead_scores *s, const revops_config *cfg, FILE *fp);

#ifdef __cplusplus
}
#endif

#endif
