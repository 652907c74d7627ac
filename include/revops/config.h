/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The configuration, revops.yaml: the lifecycle's stages and transitions, the handoffs between
 * departments and their SLAs, routing, scoring rules and weights, KPI levels, forecast
 * weights and the analysis settings. Every value has a default (revops_config_default());
 * a file changes only what it names. docs/config.md describes every key.
 *
 * The struct is read-only for callers: the library fills it and frees it. There is no
 * global configuration; each command loads its own and passes what it needs along.
 */
#ifndef REVOPS_CONFIG_H
#define REVOPS_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/analyze.h"
#include "revops/common.h"
#include "revops/criteria.h"
#include "revops/forecast.h"
#include "revops/stages.h"

#ifdef __cplusplus
extern "C" {
#endif

#define REVOPS_CONFIG_MAX_BYTES (1024 * 1024) /* a larger file is refused */
#define REVOPS_CONFIG_MAX_DEPTH 32            /* nesting of YAML mappings and lists */
#define REVOPS_CONFIG_MAX_ITEMS 256           /* transitions, handoffs or rules */
#define REVOPS_CONFIG_NAME_MAX 64
#define REVOPS_CONFIG_MAX_KPIS 32
#define REVOPS_CONFIG_LEAD_STAGES 6 /* lead, mql, sql, opportunity, customer, disqualified */

/* The departments and roles of the data model (team.department, rep.role), in its order. */
typedef enum revops_department {
    REVOPS_DEPT_MARKETING,
    REVOPS_DEPT_SALES,
    REVOPS_DEPT_CUSTOMER_SUCCESS,
    REVOPS_DEPT_COUNT
} revops_department;

typedef enum revops_role {
    REVOPS_ROLE_SDR,
    REVOPS_ROLE_AE,
    REVOPS_ROLE_AM,
    REVOPS_ROLE_CSM,
    REVOPS_ROLE_MANAGER,
    REVOPS_ROLE_COUNT
} revops_role;

/* Who owns a stage and how long a record should stay in it (0: no target). */
typedef struct revops_config_stage_owner {
    revops_department department;
    revops_role owner_role;
    int target_days;
} revops_config_stage_owner;

/* A criteria as written in the file, compiled, and where it was written. */
typedef struct revops_config_criteria {
    char *text;
    revops_criteria *compiled;
    long line, column;
} revops_config_criteria;

/* An automatic stage change of a lead or an opportunity. */
typedef struct revops_config_transition {
    char name[REVOPS_CONFIG_NAME_MAX];
    size_t entity; /* REVOPS entity index: lead or opportunity */
    uint32_t from; /* bit i: stage i may move (lead stages or opportunity stages) */
    int to;        /* the stage it moves to */
    revops_config_criteria criteria;
} revops_config_transition;

/* A handoff between departments: a record of `entity` entering `stage` for which `criteria`
 * holds is handed from one department to the other, which must answer within the SLA. */
typedef struct revops_config_handoff {
    char name[REVOPS_CONFIG_NAME_MAX];
    revops_department from, to;
    size_t entity;
    int stage;
    revops_config_criteria criteria;
    int64_t response_seconds; /* SLA: first response within this time */
    double acceptance_target; /* share of handoffs the receiving side should accept */
} revops_config_handoff;

/* A lead-scoring rule: `points` when `criteria` holds. */
typedef struct revops_config_rule {
    char name[REVOPS_CONFIG_NAME_MAX];
    revops_config_criteria criteria;
    double points;
} revops_config_rule;

typedef enum revops_routing_method {
    REVOPS_ROUTING_WEIGHTED,
    REVOPS_ROUTING_ROUND_ROBIN
} revops_routing_method;

typedef struct revops_config {
    /* revops.alignment */
    revops_kpi_levels goals[REVOPS_CONFIG_MAX_KPIS]; /* the scorecard's KPIs, in its order */
    size_t ngoals;
    uint32_t metrics[REVOPS_DEPT_COUNT]; /* bit k: goals[k] is one of the department's */

    /* revops.process_alignment */
    revops_config_stage_owner lead_stages[REVOPS_CONFIG_LEAD_STAGES]; /* model order */
    revops_stages stages;                                             /* opportunity stages */
    revops_config_stage_owner stage_owners[REVOPS_MAX_STAGES];        /* by opportunity stage */
    revops_config_transition *transitions;
    size_t ntransitions;
    revops_config_handoff *handoffs;
    size_t nhandoffs;
    revops_routing_method routing_method;
    struct {
        double geographic, expertise, workload, tier, performance;
    } routing_weights;
    /* A lead's tier for routing's tier factor: the first of enterprise, mid and smb whose
     * criteria (on leads) hold; by index of the segment values: smb 0, mid 1, enterprise 2. */
    revops_config_criteria routing_tiers[3];

    /* revops.analytics */
    char currency[4]; /* reporting currency; "" for the data's own */
    int fiscal_year_start;
    int window_days;
    int historical_probabilities;
    double stalled_factor;
    int stalled_days;
    int inactive_days;
    int response_sla_minutes;
    double ramp_threshold;
    double coaching_gap;
    revops_config_rule *lead_rules;
    size_t nlead_rules;
    struct {
        double usage_decline, ticket_increase, engagement_reduction, payment_delays;
    } churn_weights;
    struct {
        double feature_adoption, user_growth, success_metrics, timing;
    } expansion_weights;
    double expansion_threshold;
    struct {
        double pipeline_weighted, historical_trend, regression, time_series;
    } forecast_weights;
    double overdue_factor; /* revops.analytics.forecast: the time factor of an overdue deal */
    int rep_shrinkage;     /* k of the rep factor's shrinkage to the team rate */
    int simulations;       /* Monte Carlo runs */
    /* revops.analytics.activity_targets, by role (revops_role order) and activity type */
    revops_activity_targets activity_targets;
    double gross_margin;             /* revops.analytics.gross_margin; < 0: measured (auto) */
    double margin_good, margin_fair; /* revops.analytics.profitability: rating thresholds */
} revops_config;

typedef struct revops_config_load_options {
    /* Called for each error (a file with several mistakes reports them all, up to 100); the
     * first is also left in revops_error_last(). NULL: only the first error is kept. */
    void (*on_error)(void *ctx, const revops_error *e);
    void *ctx;
} revops_config_load_options;

#define REVOPS_CONFIG_LOAD_OPTIONS_INIT                                                            \
    {                                                                                              \
        NULL, NULL                                                                                 \
    }

/* The defaults, as `revops config init` writes them. The caller frees *out. */
int revops_config_default(revops_config **out);

/*
 * Loads a configuration from YAML text; `name` is the file name errors give (may be NULL).
 * Keys the file leaves out keep their defaults. Unknown keys, values of the wrong type or out
 * of range, and criteria that do not compile are errors with the line and column, saying what
 * was expected: REVOPS_EINVALID (REVOPS_ETOOBIG beyond REVOPS_CONFIG_MAX_BYTES or
 * REVOPS_CONFIG_MAX_DEPTH). `opts` may be NULL. The caller frees *out.
 */
int revops_config_load_string(revops_config **out, const char *text, size_t len, const char *name,
                              const revops_config_load_options *opts);
/* The same from a file (REVOPS_EIO when it cannot be read). */
int revops_config_load_file(revops_config **out, const char *path,
                            const revops_config_load_options *opts);
void revops_config_free(revops_config *cfg);

/* Writes `cfg` as a complete, commented revops.yaml that loads back to the same values. */
int revops_config_write(const revops_config *cfg, FILE *fp);

/*
 * Fills the analysis options the configuration sets: stages (a pointer into `cfg`, which must
 * outlive the options), fiscal-year start, reporting currency, the stalled, inactive, window,
 * SLA, ramp and coaching settings, probabilities, and the KPI levels and activity targets
 * (also pointing into `cfg`). Other options are left as they are.
 */
void revops_config_analysis_options(const revops_config *cfg, revops_analysis_options *o);

/* Fills the forecast options the configuration sets: the method weights, the overdue factor,
 * the rep factor's shrinkage and the simulation runs. Other options are left as they are. */
void revops_config_forecast_options(const revops_config *cfg, revops_forecast_options *fo);

/* Fills the recurring-revenue options the configuration sets: the gross margin and the deal
 * profitability ratings. Other options are left as they are. */
void revops_config_saas_options(const revops_config *cfg, revops_saas_options *so);

/* The name of a department or role ("customer_success", "csm"). */
const char *revops_department_name(revops_department d);
const char *revops_role_name(revops_role r);

#ifdef __cplusplus
}
#endif

#endif
