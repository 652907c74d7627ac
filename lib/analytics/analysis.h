/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sections of `revops analyze`. Each computes its metrics from the shared context and
 * writes them into the report tree under its own key; the values the scorecard grades are
 * also left in `revops_kpi_values`.
 */
#ifndef REVOPS_ANALYTICS_ANALYSIS_H
#define REVOPS_ANALYTICS_ANALYSIS_H

#include "analytics/context.h"
#include "report/tree.h"

/* NaN means the section could not compute it; `why` then says why. */
typedef struct revops_kpi_value {
    double value;
    char why[160];
} revops_kpi_value;

typedef struct revops_kpi_values {
    revops_kpi_value sales_cycle_days; /* velocity: mean days to win */
    revops_kpi_value win_rate;         /* conversion */
    revops_kpi_value coverage_ratio;
    revops_kpi_value quota_attainment;      /* team attainment in the period */
    revops_kpi_value activity_efficiency;   /* activities against target */
    revops_kpi_value deal_size_growth;      /* year over year */
    revops_kpi_value ramp_days;             /* median */
    revops_kpi_value lead_response_minutes; /* median */
    revops_kpi_value data_quality;
    revops_kpi_value arr_growth;        /* recurring revenue: ARR growth year over year */
    revops_kpi_value grr, nrr;          /* 12-month retention */
    revops_kpi_value cac_payback;       /* months */
    revops_kpi_value forecast_accuracy; /* the ensemble's mean backtest accuracy */
} revops_kpi_values;

struct revops_analysis {
    revops_rt *rt;
    int32_t as_of;
    char currency[8];
};

int revops_analytics__pipeline(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__funnel(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__winloss(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__team(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__saas(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__cohorts(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__revrec(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__profitability(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__forecast(revops_actx *c, revops_rt_node *root, revops_kpi_values *k);
int revops_analytics__scorecard(revops_actx *c, revops_rt_node *root, const revops_kpi_values *k);

/* A new analysis whose report starts with the as-of day, period and currency of `c`. */
int revops_analysis__begin(revops_analysis **out, const revops_actx *c);
/* Adds the currency note when some amounts had no rate of their own date; returns the
 * report's sticky error. */
int revops_analysis__finish(revops_analysis *a, const revops_actx *c);

/* Marks a KPI value as not computable, with a reason (printf-style). */
void revops_kpi__na(revops_kpi_value *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The name of a rep's team (the team's name, or its id, or "(no team)"). */
const char *revops_analytics__team_name(const revops_actx *c, revops_str rep_id);

#endif
