/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wins and losses over the trailing window (docs/metrics.md "Win/loss"): the deals closed in
 * the window broken down by owner, team, product, segment, lead source and competitor, and
 * the reasons of the lost ones. The window and the won/lost rule are the pipeline section's,
 * so the totals equal its win_rate and win_rate_value. The computation is kept apart from
 * the report so that tests can read its numbers.
 */
#ifndef REVOPS_ANALYTICS_WINLOSS_H
#define REVOPS_ANALYTICS_WINLOSS_H

#include "analytics/context.h"

typedef enum revops_wl_dim {
    REVOPS_WL_OWNER,
    REVOPS_WL_TEAM,
    REVOPS_WL_PRODUCT,
    REVOPS_WL_SEGMENT,
    REVOPS_WL_SOURCE,
    REVOPS_WL_COMPETITOR,
    REVOPS_WL_NDIMS
} revops_wl_dim;

/* One group of closed deals (or all of them). Money in minor units of the reporting
 * currency. */
typedef struct revops_wl_row {
    const char *label; /* borrowed from the dataset, or a literal such as "(none)" */
    const char *id;    /* owners and teams: the id ("" when there is none); else NULL */
    revops_str key;    /* the string id grouped on (0: none) */
    int64_t won, lost;
    int64_t won_amount, lost_amount;
    double win_rate;           /* won / (won + lost); NaN without closed deals */
    double win_rate_value;     /* won amount / closed amount; NaN when that is 0 */
    int64_t avg_won_deal_size; /* rounded; meaningful only when won > 0 */
    double cycle_mean;         /* days from creation to the win; NaN without won deals */
    double cycle_median;       /* type-7 median of the same */
} revops_wl_row;

/* Lost deals by reason, overall or for one competitor. */
typedef struct revops_wl_reason {
    const char *competitor; /* NULL in the overall table */
    const char *reason;     /* "(none)" for an empty loss_reason */
    revops_str key;         /* the loss_reason's string id (0: empty) */
    int64_t lost, lost_amount;
    double share;        /* of the lost deals (of this competitor) */
    double amount_share; /* of their lost amount; NaN when that is 0 */
} revops_wl_reason;

typedef struct revops_winloss {
    revops_day window_start, window_end; /* both inclusive */
    revops_wl_row total;
    revops_wl_row *by[REVOPS_WL_NDIMS]; /* sorted: most closed deals first */
    size_t nby[REVOPS_WL_NDIMS];
    revops_wl_reason *reasons; /* sorted: most lost deals first */
    size_t nreasons;
    revops_wl_reason *by_competitor; /* in the order of by[REVOPS_WL_COMPETITOR] */
    size_t nby_competitor;
} revops_winloss;

/* Computes the win/loss figures as of c->as_of into *out, which the caller frees with
 * revops_winloss__free() (also after a failure). Labels are borrowed from c->ds. */
int revops_winloss__compute(revops_winloss *out, revops_actx *c);
void revops_winloss__free(revops_winloss *w);

#endif
