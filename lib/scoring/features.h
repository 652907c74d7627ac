/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The features of the learned scores (docs/scoring.md "Features"): what a lead or a deal
 * looked like at the end of a snapshot day, computed only from what was known then, and the
 * label of what happened in the horizon after it. A training set is the open leads or deals
 * of a series of snapshot days; scoring is the same at the as-of day, without labels.
 */
#ifndef REVOPS_SCORING_FEATURES_H
#define REVOPS_SCORING_FEATURES_H

#include <stddef.h>
#include <stdint.h>

#include "analytics/context.h"
#include "revops/score_models.h"

#define REVOPS_FEAT_MAX_NUM 12
#define REVOPS_FEAT_MAX_CAT 8

/* Numeric features of deals, in column order. */
enum {
    DF_AGE,
    DF_STAGE_DAYS,
    DF_PUSHES,
    DF_AMOUNT,
    DF_ACT14,
    DF_ACT30,
    DF_REP_RATE,
    DF_OVERDUE,
    DF_STAGE_P,
    DF_COUNT
};
/* Categorical fields of deals. */
enum { DC_STAGE, DC_TYPE, DC_PRODUCT, DC_SOURCE, DC_INDUSTRY, DC_REGION, DC_SEGMENT, DC_COUNT };
/* Numeric features of leads. */
enum {
    LF_AGE,
    LF_STAGE_DAYS,
    LF_ACT14,
    LF_ACT30,
    LF_REP_RATE,
    LF_RESPONDED,
    LF_EMPLOYEES,
    LF_COUNT
};
/* Categorical fields of leads. */
enum { LC_STAGE, LC_SOURCE, LC_INDUSTRY, LC_REGION, LC_SEGMENT, LC_COUNT };

/* The open lead stages a lead model sees, as category keys (0: none). */
enum { LEAD_STAGE_LEAD = 1, LEAD_STAGE_MQL, LEAD_STAGE_SQL };

/* Examples: one row per (lead or deal, snapshot day). */
typedef struct revops_examples {
    size_t n, cap;
    size_t p, q;
    double *x;        /* n x p numeric values, NaN when unknown */
    uint32_t *c;      /* n x q category keys */
    uint8_t *y;       /* labels: 1 converted / won within the horizon, 0 not */
    double *baseline; /* the stage baseline's probability (deals: the stage's; leads: later) */
    uint32_t *row;    /* the lead or deal */
    revops_day *day;  /* the snapshot day */
} revops_examples;

void revops_examples__free(revops_examples *e);

/* Events of one kind per rep, for a rep's rate as of a day: the days sorted, with the running
 * count of successes. */
typedef struct revops_rate_index {
    size_t *start;    /* by rep row: events [start[r], start[r + 1]) */
    revops_day *days; /* sorted within a rep */
    uint32_t *wins;   /* wins[k]: successes among the rep's events before k (exclusive) */
    size_t nreps;
} revops_rate_index;

/* Everything built once for many snapshots. */
typedef struct revops_fctx {
    revops_actx *c;
    revops_score_subject subject;
    size_t p, q;
    const revops_stages *names; /* where deal stage names are read (outliving the context) */
    /* deals: the day each closed as known on the as-of day (REVOPS_NO_DAY while open) */
    revops_day *deal_closed;
    /* leads: activity times per lead, sorted */
    size_t *lact_start;
    revops_time *lact_times;
    /* the owner's win (deals) or conversion (leads) events */
    revops_rate_index rates;
    /* the lead rows of deals (for their source), and account rows of deals */
    int32_t *deal_lead, *deal_account;
} revops_fctx;

int revops_fctx__init(revops_fctx *f, revops_actx *c, revops_score_subject subject);
void revops_fctx__free(revops_fctx *f);

/* The names of the numeric features and categorical fields of a subject. */
const char *revops_feature__num_name(revops_score_subject s, size_t j);
const char *revops_feature__cat_name(revops_score_subject s, size_t f);
/* The text of category key `key` of field f ("" for the empty value). */
const char *revops_feature__cat_value(const revops_fctx *f, size_t field, uint32_t key);

/* How many leads or deals are open at the end of `day` (cheap: no features). */
size_t revops_features__count_open(const revops_fctx *f, revops_day day);

/*
 * Appends the open leads or deals of snapshot `day` to `out` with their features as of the
 * end of that day. With horizon > 0 each gets its label (converted or won within `horizon`
 * days after the day: the caller makes sure day + horizon is known). `sample` in (0, 1] keeps
 * that share of them, chosen by a hash of the row and the day (the same every run); the stage
 * medians are taken over all of them.
 */
int revops_features__snapshot(revops_fctx *f, revops_examples *out, revops_day day, int horizon,
                              double sample);

/* Room for `more` examples (REVOPS_ENOMEM when there is none). */
int revops_examples__reserve(revops_examples *e, size_t more);
/* 1 when the (row, day) pair is in a sample of share `sample` (a hash: the same every run). */
int revops_features__keep(uint32_t row, revops_day day, double sample);
/* The subject-specific halves of the two calls above (features_deals.c, features_leads.c). */
size_t revops_features__deals_open(const revops_fctx *f, revops_day day);
size_t revops_features__leads_open(const revops_fctx *f, revops_day day);
int revops_features__deals(revops_fctx *f, revops_examples *out, revops_day day, int horizon,
                           double sample);
int revops_features__leads(revops_fctx *f, revops_examples *out, revops_day day, int horizon,
                           double sample);

/* The rep's rate on `day`: (successes + 1) / (events + 2) over its events in the 365 days up to
 * the end of `day`; NaN for no rep. */
double revops_rate__at(const revops_rate_index *r, int64_t rep, revops_day day);

/* Count of sorted times in (end of day - days, end of day]. */
size_t revops_features__count_in(const revops_time *t, size_t n, revops_day day, int days);

#endif
