/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The weekly analysis of a revenue team: pipeline, funnel, win/loss, team performance and the
 * KPI scorecard, computed from a dataset as it was known on an "as of" day. The definitions
 * are in docs/metrics.md; the JSON shape in docs/analysis.md.
 */
#ifndef REVOPS_ANALYZE_H
#define REVOPS_ANALYZE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/common.h"
#include "revops/dataset.h"
#include "revops/json.h"
#include "revops/saas.h"
#include "revops/stages.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REVOPS_SECTION_PIPELINE 1u
#define REVOPS_SECTION_FUNNEL 2u
#define REVOPS_SECTION_WINLOSS 4u
#define REVOPS_SECTION_TEAM 8u
#define REVOPS_SECTION_SCORECARD 16u
#define REVOPS_SECTION_SAAS 32u    /* recurring revenue: MRR, movements, rates, unit economics */
#define REVOPS_SECTION_COHORTS 64u /* logo and revenue retention triangles */
#define REVOPS_SECTION_REVREC 128u /* revenue recognition */
#define REVOPS_SECTION_PROFITABILITY 256u /* margins of the deals won in the period */
#define REVOPS_SECTION_FORECAST 512u      /* bookings forecast, simulation and backtest */
#define REVOPS_SECTION_ALL 1023u

/* The grading levels of one KPI of the scorecard (docs/metrics.md "KPI scorecard"); percents
 * as fractions (0.32 for 32 %). */
typedef struct revops_kpi_levels {
    const char *name; /* "velocity", "conversion", ... as revops_kpi_default() lists them */
    double target, excellent, baseline;
} revops_kpi_levels;

#define REVOPS_ACTIVITY_TYPES 7 /* call, email, meeting, demo, proposal, social, note */
#define REVOPS_REP_ROLES 5      /* sdr, ae, am, csm, manager */

/* The activity targets the team section measures reps against (docs/metrics.md "Team
 * performance"), by rep role and activity type, both in the data model's order; 0 means no
 * target for the type. A role's targets count per working day, or per calendar month when
 * per_month is set. */
typedef struct revops_activity_targets {
    int per_month[REVOPS_REP_ROLES];
    double target[REVOPS_REP_ROLES][REVOPS_ACTIVITY_TYPES];
} revops_activity_targets;

/* The defaults: SDRs 50 calls, 100 emails, 20 social touches and 2 meetings a working day;
 * AEs 40 calls (the model has no discovery-call type), 15 proposals, 25 demos and 30 meetings
 * a month; no targets for other roles. */
void revops_activity_targets_default(revops_activity_targets *t);

struct revops_forecast_options; /* revops/forecast.h */

typedef struct revops_analysis_options {
    int32_t as_of;                /* a day; REVOPS_NO_DAY (INT32_MIN): the latest event */
    const char *period;           /* "2026-07", "2026-Q3", "2026"; NULL: the quarter of as_of */
    int fiscal_start_month;       /* 1..12 */
    const char *currency;         /* reporting currency; NULL: see docs/analysis.md */
    const revops_stages *stages;  /* NULL: revops_stages_default() */
    int historical_probabilities; /* stage probabilities from history instead of the stages */
    unsigned sections;            /* REVOPS_SECTION_* bits; 0 means all */
    int window_days;              /* win rate, deal size and cycle window; 365 */
    double stalled_factor;        /* stalled: age in stage > factor x the stage's median; 2 */
    int stalled_days;             /* stalled: no activity for this many days; 14 */
    int inactive_days;            /* at risk: no activity for this many days; 30 */
    int response_sla_minutes;     /* inbound lead response SLA; 5 */
    int handoff_sla_hours;        /* marketing-to-sales handoff SLA; 24 */
    double ramp_threshold;        /* ramped: a month at this attainment; 0.8 */
    double coaching_gap;          /* coaching flag: this far below the team median; 0.10 */
    size_t at_risk_limit;         /* rows of the at-risk table; 0 means all */
    /* Options of the recurring-revenue sections (revops/saas.h); NULL: the defaults. */
    const revops_saas_options *saas;
    /* Levels replacing the defaults of the KPIs they name (borrowed for the call); NULL: all
     * defaults. A name the scorecard does not know is an error. */
    const revops_kpi_levels *kpi_levels;
    size_t nkpi_levels;
    /* Settings of the forecast section (revops/forecast.h; borrowed for the call): its method
     * weights, time and rep factors, runs, seed and target. The section always backtests the
     * last 4 periods as of their starts, whatever `backtest` says. NULL: the defaults. */
    const struct revops_forecast_options *forecast;
    /* The team section's activity targets (borrowed for the call); NULL: the defaults. */
    const revops_activity_targets *activity_targets;
} revops_analysis_options;

#define REVOPS_ANALYSIS_OPTIONS_INIT                                                               \
    {                                                                                              \
        INT32_MIN, NULL, 1, NULL, NULL, 0, 0, 365, 2.0, 14, 30, 5, 24, 0.8, 0.10, 50, NULL, NULL,  \
            0, NULL, NULL                                                                          \
    }

typedef struct revops_analysis revops_analysis;

/*
 * Analyses `ds` as of opts->as_of. The dataset is read, not changed, and must outlive the
 * call only. The caller frees *out with revops_analysis_free().
 */
int revops_analyze(revops_analysis **out, const revops_dataset *ds,
                   const revops_analysis_options *opts);
void revops_analysis_free(revops_analysis *a);

/* One JSON object with a key per section (see docs/analysis.md). */
int revops_analysis_write_json(const revops_analysis *a, revops_json *j);
/* Aligned text tables, most important first. */
int revops_analysis_write_text(const revops_analysis *a, FILE *fp);
/* One CSV file per table into `dir` (created when missing); *files receives their number. */
int revops_analysis_write_csv(const revops_analysis *a, const char *dir, size_t *files);

/* The deals at risk alone (all of them, or at_risk_limit), as text (json = 0), a JSON array
 * (json = 1) or a CSV file at `csv_path` (json = 2). Needs the pipeline section. */
int revops_analysis_write_at_risk(const revops_analysis *a, int json, FILE *fp,
                                  const char *csv_path);

/*
 * The scorecard's KPI number `i` (0, 1, ... in the scorecard's order) with its default levels,
 * its unit ("days", "percent", "ratio", "months" or "minutes") and whether lower is better.
 * Returns 0, or REVOPS_ENOTFOUND past the last KPI. `unit_name` and `lower_is_better` may be NULL.
 */
int revops_kpi_default(size_t i, revops_kpi_levels *levels, const char **unit_name,
                       int *lower_is_better);

/* The as-of day, period and reporting currency the analysis used. */
int32_t revops_analysis_as_of(const revops_analysis *a);
const char *revops_analysis_currency(const revops_analysis *a);

#ifdef __cplusplus
}
#endif

#endif
