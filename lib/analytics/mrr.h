/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Monthly recurring revenue per account and month, and its movements (docs/metrics-saas.md):
 * the grid every recurring-revenue analysis reads (rates, unit economics, cohorts).
 *
 * An account's MRR in month m is the sum of the mrr of its subscription items active on the
 * day m is measured on: its last day, or the as-of day D for the month of D. An item is active
 * on day d when start_date <= d and (no end_date or end_date > d). Only items that started on
 * or before D are known. Each item is converted into the reporting currency once, at the rate
 * of its start_date, so exchange-rate moves create no movement.
 */
#ifndef REVOPS_ANALYTICS_MRR_H
#define REVOPS_ANALYTICS_MRR_H

#include <stddef.h>
#include <stdint.h>

#include "analytics/context.h"

typedef enum revops_move {
    REVOPS_MOVE_NONE,
    REVOPS_MOVE_NEW,
    REVOPS_MOVE_EXPANSION,
    REVOPS_MOVE_CONTRACTION,
    REVOPS_MOVE_CHURN,
    REVOPS_MOVE_REACTIVATION
} revops_move;

/* One month's totals over all accounts. Movement amounts are signed (contraction and churn
 * are negative), so mrr = the previous month's mrr + new + expansion + contraction + churn +
 * reactivation, exactly. */
typedef struct revops_mrr_month {
    int64_t mrr;
    int64_t new_mrr, expansion, contraction, churn, reactivation;
    int64_t customers;                                                 /* accounts with MRR > 0 */
    int64_t new_customers, expanded, contracted, churned, reactivated; /* accounts per move */
} revops_mrr_month;

typedef struct revops_mrr {
    revops_month first; /* the month of the earliest start_date known on D */
    size_t nmonths;     /* first .. the month of D; 0 when no item is known */
    revops_day as_of;
    size_t nitems;            /* items known on D */
    size_t naccounts;         /* accounts with an item known on D */
    revops_str *account;      /* their ids, in order of their text */
    int64_t *mrr;             /* naccounts x nmonths, row by row; reporting minor units */
    revops_mrr_month *months; /* nmonths */
} revops_mrr;

/* Builds the grid as known at the end of c->as_of. Free it with revops_mrr__free(). */
int revops_mrr__build(revops_mrr *m, revops_actx *c);
void revops_mrr__free(revops_mrr *m);

/* Account a's MRR in month index k (0 = m->first). */
static inline int64_t revops_mrr__at(const revops_mrr *m, size_t a, size_t k)
{
    return m->mrr[a * m->nmonths + k];
}

/* The day month index k is measured on: its last day, or the as-of day for the last month. */
revops_day revops_mrr__day(const revops_mrr *m, size_t k);

/* The movement of an account from `prev` to `cur` (both >= 0); `paid_before` says whether it
 * had MRR > 0 at an earlier month. */
revops_move revops_mrr__classify(int64_t prev, int64_t cur, int paid_before);

#endif
