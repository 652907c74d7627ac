/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recurring-revenue rates of each month (docs/metrics-saas.md), computed from the MRR grid.
 * NaN marks a rate whose denominator is zero.
 */
#ifndef REVOPS_ANALYTICS_SAAS_H
#define REVOPS_ANALYTICS_SAAS_H

#include "analytics/analysis.h"
#include "analytics/mrr.h"

typedef struct revops_saas_rates {
    double logo_churn_rate;      /* churned accounts / customers at the end of m-1 */
    double gross_mrr_churn_rate; /* -(churn + contraction) / MRR(m-1) */
    double net_mrr_churn_rate;   /* -(churn + contraction + expansion + reactivation) / MRR(m-1) */
    double quick_ratio;          /* (new + expansion + reactivation) / -(contraction + churn) */
    double grr, nrr;             /* over 12 months: the accounts paying at the end of m-12 */
    double grr_monthly, nrr_monthly; /* the same over one month */
    double arr_growth_yoy;           /* ARR(m) / ARR(m-12) - 1 */
} revops_saas_rates;

/* The recurring-revenue options of the analysis (the defaults when none were given). */
const revops_saas_options *revops_saas__options(const revops_actx *c);

/* Fills rates[0 .. m->nmonths). */
void revops_saas__rates(const revops_mrr *m, revops_saas_rates *rates);

/* The unit economics of the analysis (a section inside `parent`), and the scorecard's CAC
 * payback (unit_economics.c). */
int revops_saas__unit_economics(revops_actx *c, const revops_mrr *m, const revops_saas_rates *r,
                                revops_rt_node *parent, revops_kpi_values *k);

/* The share of recognized revenue that delivery takes over the months [from, to]: 1 - their
 * gross margin, as unit economics measure it (or 1 - the gross margin option). NaN, with
 * *why set, when it cannot be measured. `m` serves when the data hold no contract line. */
int revops_saas__delivery_ratio(revops_actx *c, const revops_mrr *m, revops_month from,
                                revops_month to, double *ratio, const char **why);

/* a / b rounded half away from zero, for b > 0: money divided by a count. */
int64_t revops_saas__div_round(int64_t a, int64_t b);

#endif
