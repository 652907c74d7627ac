/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The default configuration, freeing one, and what it gives the analysis. The defaults follow
 * docs/metrics.md where it names one (KPI levels, stage probabilities, routing, churn,
 * expansion and forecast weights, SLAs, stalled and ramp settings); the rest (lead-stage
 * owners and targets, transitions, handoff acceptance targets, lead-scoring rules) are
 * documented in docs/config.md.
 */
#include <stdlib.h>
#include <string.h>

#include "config/config_internal.h"
#include "core/error.h"
#include "model/entities.h"

_Static_assert(REVOPS_ROLE_COUNT == REVOPS_REP_ROLES, "activity targets by the config's roles");

const char *revops_department_name(revops_department d)
{
    return d >= 0 && d < REVOPS_DEPT_COUNT ? revops_values_department[d] : "?";
}

const char *revops_role_name(revops_role r)
{
    return r >= 0 && r < REVOPS_ROLE_COUNT ? revops_values_role[r] : "?";
}

int revops_config__set_criteria(revops_config_criteria *c, const char *text, size_t entity,
                                const revops_stages *stages)
{
    c->text = malloc(strlen(text) + 1);
    if (!c->text)
        return revops_error__oom();
    memcpy(c->text, text, strlen(text) + 1);
    revops_criteria_options o = REVOPS_CRITERIA_OPTIONS_INIT;
    o.stages = stages;
    int rc = revops_criteria_compile(&c->compiled, revops_entity_at(entity)->name, c->text,
                                     strlen(c->text), &o);
    if (rc) {
        free(c->text);
        c->text = NULL;
    }
    return rc;
}

void revops_config__free_criteria(revops_config_criteria *c)
{
    free(c->text);
    revops_criteria_free(c->compiled);
    memset(c, 0, sizeof(*c));
}

void revops_config_free(revops_config *cfg)
{
    if (!cfg)
        return;
    for (size_t i = 0; i < cfg->ntransitions; i++)
        revops_config__free_criteria(&cfg->transitions[i].criteria);
    for (size_t i = 0; i < cfg->nhandoffs; i++)
        revops_config__free_criteria(&cfg->handoffs[i].criteria);
    for (size_t i = 0; i < cfg->nlead_rules; i++)
        revops_config__free_criteria(&cfg->lead_rules[i].criteria);
    for (size_t i = 0; i < 3; i++)
        revops_config__free_criteria(&cfg->routing_tiers[i]);
    free(cfg->transitions);
    free(cfg->handoffs);
    free(cfg->lead_rules);
    free(cfg);
}

int revops_config__kpi(const revops_config *cfg, const char *name, size_t len)
{
    for (size_t i = 0; i < cfg->ngoals; i++)
        if (strlen(cfg->goals[i].name) == len && memcmp(cfg->goals[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int revops_config__lead_stage(const char *name, size_t len)
{
    for (int i = 0; revops_values_lead_stage[i]; i++)
        if (strlen(revops_values_lead_stage[i]) == len &&
            memcmp(revops_values_lead_stage[i], name, len) == 0)
            return i;
    return -1;
}

static void set_name(char out[REVOPS_CONFIG_NAME_MAX], const char *name)
{
    snprintf(out, REVOPS_CONFIG_NAME_MAX, "%s", name);
}

/* The built-in lists: transitions, handoffs and lead-scoring rules. */
static int default_lists(revops_config *c)
{
    static const struct {
        const char *name, *from[2], *to, *criteria;
    } transitions[] = {
        {"lead_to_mql", {"lead", NULL}, "mql", "score >= 50"},
        {"mql_to_sql", {"mql", NULL}, "sql", "score >= 70 and not is_empty(first_response_at)"},
        {"disqualify_stale",
         {"lead", "mql"},
         "disqualified",
         "is_empty(first_response_at) and days_since(created_at) > 90"},
    };
    static const struct {
        const char *name;
        revops_department from, to;
        size_t entity;
        const char *stage;
        int64_t response_seconds;
        double acceptance;
    } handoffs[] = {
        {"marketing_to_sales", REVOPS_DEPT_MARKETING, REVOPS_DEPT_SALES, REVOPS_ENTITY_LEAD, "sql",
         24 * 3600, 0.80},
        {"sales_to_customer_success", REVOPS_DEPT_SALES, REVOPS_DEPT_CUSTOMER_SUCCESS,
         REVOPS_ENTITY_OPPORTUNITY, "closed_won", 48 * 3600, 0.95},
    };
    static const struct {
        const char *name, *criteria;
        double points;
    } rules[] = {
        {"referral_or_partner", "source in (\"referral\", \"partner\")", 20},
        {"webinar_or_event", "source in (\"webinar\", \"events\")", 10},
        {"target_industry", "industry in (\"ecommerce\", \"saas\", \"fintech\")", 15},
        {"mid_size_company", "employees >= 100", 15},
        {"large_company", "employees >= 1000", 10},
        {"budget_stated", "not is_empty(estimated_value)", 10},
        {"has_email", "not is_empty(email)", 10},
        {"recent", "days_since(created_at) <= 30", 10},
    };
    size_t nt = sizeof(transitions) / sizeof(transitions[0]);
    size_t nh = sizeof(handoffs) / sizeof(handoffs[0]);
    size_t nr = sizeof(rules) / sizeof(rules[0]);
    c->transitions = calloc(nt, sizeof(*c->transitions));
    c->handoffs = calloc(nh, sizeof(*c->handoffs));
    c->lead_rules = calloc(nr, sizeof(*c->lead_rules));
    if (!c->transitions || !c->handoffs || !c->lead_rules)
        return revops_error__oom();
    int rc;
    for (size_t i = 0; i < nt; i++) {
        revops_config_transition *t = &c->transitions[c->ntransitions++];
        set_name(t->name, transitions[i].name);
        t->entity = REVOPS_ENTITY_LEAD;
        for (size_t k = 0; k < 2 && transitions[i].from[k]; k++)
            t->from |= 1u << revops_config__lead_stage(transitions[i].from[k],
                                                       strlen(transitions[i].from[k]));
        t->to = revops_config__lead_stage(transitions[i].to, strlen(transitions[i].to));
        if ((rc = revops_config__set_criteria(&t->criteria, transitions[i].criteria, t->entity,
                                              &c->stages)))
            return rc;
    }
    for (size_t i = 0; i < nh; i++) {
        revops_config_handoff *h = &c->handoffs[c->nhandoffs++];
        set_name(h->name, handoffs[i].name);
        h->from = handoffs[i].from;
        h->to = handoffs[i].to;
        h->entity = handoffs[i].entity;
        const char *st = handoffs[i].stage;
        h->stage = h->entity == REVOPS_ENTITY_LEAD ? revops_config__lead_stage(st, strlen(st))
                                                   : revops_stages_find(&c->stages, st, strlen(st));
        h->response_seconds = handoffs[i].response_seconds;
        h->acceptance_target = handoffs[i].acceptance;
        if ((rc = revops_config__set_criteria(&h->criteria, "true", h->entity, &c->stages)))
            return rc;
    }
    /* Routing tiers: the lead's stated value, else the company's size, in the bands of the
     * default scoring rules (100 and 1,000 employees); the amounts are in roubles, the demo
     * data's currency (docs/routing.md). */
    static const char *const tiers[3] = {
        "not is_empty(estimated_value) or not is_empty(employees)",
        "estimated_value >= 500000 RUB or employees >= 100",
        "estimated_value >= 3000000 RUB or employees >= 1000",
    };
    for (size_t i = 0; i < 3; i++)
        if ((rc = revops_config__set_criteria(&c->routing_tiers[i], tiers[i], REVOPS_ENTITY_LEAD,
                                              &c->stages)))
            return rc;
    for (size_t i = 0; i < nr; i++) {
        revops_config_rule *r = &c->lead_rules[c->nlead_rules++];
        set_name(r->name, rules[i].name);
        r->points = rules[i].points;
        if ((rc = revops_config__set_criteria(&r->criteria, rules[i].criteria, REVOPS_ENTITY_LEAD,
                                              &c->stages)))
            return rc;
    }
    return 0;
}

int revops_config__defaults(revops_config *c)
{
    memset(c, 0, sizeof(*c));
    /* alignment */
    revops_kpi_levels l;
    while (c->ngoals < REVOPS_CONFIG_MAX_KPIS && revops_kpi_default(c->ngoals, &l, NULL, NULL) == 0)
        c->goals[c->ngoals++] = l;
    static const char *const metrics[REVOPS_DEPT_COUNT][9] = {
        {"lead_response", "cac_payback", "data_quality", NULL},
        {"velocity", "conversion", "forecast_accuracy", "coverage", "quota_attainment",
         "activity_efficiency", "deal_size_growth", "ramp", NULL},
        {"arr_growth", "grr", "nrr", NULL},
    };
    for (int d = 0; d < REVOPS_DEPT_COUNT; d++)
        for (size_t k = 0; metrics[d][k]; k++) {
            int i = revops_config__kpi(c, metrics[d][k], strlen(metrics[d][k]));
            if (i >= 0)
                c->metrics[d] |= 1u << i;
        }
    /* process_alignment */
    static const revops_config_stage_owner lead_owners[REVOPS_CONFIG_LEAD_STAGES] = {
        {REVOPS_DEPT_MARKETING, REVOPS_ROLE_SDR, 2},        /* lead */
        {REVOPS_DEPT_MARKETING, REVOPS_ROLE_SDR, 3},        /* mql */
        {REVOPS_DEPT_SALES, REVOPS_ROLE_SDR, 7},            /* sql */
        {REVOPS_DEPT_SALES, REVOPS_ROLE_AE, 0},             /* opportunity */
        {REVOPS_DEPT_CUSTOMER_SUCCESS, REVOPS_ROLE_CSM, 0}, /* customer */
        {REVOPS_DEPT_MARKETING, REVOPS_ROLE_SDR, 0},        /* disqualified */
    };
    memcpy(c->lead_stages, lead_owners, sizeof(lead_owners));
    revops_stages_default(&c->stages);
    for (size_t i = 0; i < c->stages.n; i++) {
        int won = c->stages.items[i].outcome == REVOPS_OUTCOME_WON;
        c->stage_owners[i].department = won ? REVOPS_DEPT_CUSTOMER_SUCCESS : REVOPS_DEPT_SALES;
        c->stage_owners[i].owner_role = won ? REVOPS_ROLE_CSM : REVOPS_ROLE_AE;
        c->stage_owners[i].target_days = c->stages.items[i].target_days;
    }
    c->routing_method = REVOPS_ROUTING_WEIGHTED;
    c->routing_weights.geographic = 0.25;
    c->routing_weights.expertise = 0.30;
    c->routing_weights.workload = 0.20;
    c->routing_weights.tier = 0.15;
    c->routing_weights.performance = 0.10;
    /* analytics: the same defaults as REVOPS_ANALYSIS_OPTIONS_INIT */
    revops_analysis_options o = REVOPS_ANALYSIS_OPTIONS_INIT;
    c->fiscal_year_start = o.fiscal_start_month;
    c->window_days = o.window_days;
    c->historical_probabilities = o.historical_probabilities;
    c->stalled_factor = o.stalled_factor;
    c->stalled_days = o.stalled_days;
    c->inactive_days = o.inactive_days;
    c->response_sla_minutes = o.response_sla_minutes;
    c->ramp_threshold = o.ramp_threshold;
    c->coaching_gap = o.coaching_gap;
    c->churn_weights.usage_decline = 0.30;
    c->churn_weights.ticket_increase = 0.25;
    c->churn_weights.engagement_reduction = 0.25;
    c->churn_weights.payment_delays = 0.20;
    c->expansion_weights.feature_adoption = 0.30;
    c->expansion_weights.user_growth = 0.25;
    c->expansion_weights.success_metrics = 0.25;
    c->expansion_weights.timing = 0.20;
    c->expansion_threshold = 0.7;
    /* forecast: the same defaults as REVOPS_FORECAST_OPTIONS_INIT */
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    c->forecast_weights.pipeline_weighted = fo.method_weights[0];
    c->forecast_weights.historical_trend = fo.method_weights[1];
    c->forecast_weights.regression = fo.method_weights[2];
    c->forecast_weights.time_series = fo.method_weights[3];
    c->overdue_factor = fo.overdue_factor;
    c->rep_shrinkage = fo.rep_shrinkage;
    c->simulations = (int)fo.simulations;
    revops_activity_targets_default(&c->activity_targets);
    /* recurring revenue: the same defaults as REVOPS_SAAS_OPTIONS_INIT */
    revops_saas_options so = REVOPS_SAAS_OPTIONS_INIT;
    c->gross_margin = so.gross_margin;
    c->margin_good = so.margin_good;
    c->margin_fair = so.margin_fair;
    return default_lists(c);
}

int revops_config_default(revops_config **out)
{
    *out = NULL;
    revops_config *c = malloc(sizeof(*c));
    if (!c)
        return revops_error__oom();
    int rc = revops_config__defaults(c);
    if (rc) {
        revops_config_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void revops_config_analysis_options(const revops_config *cfg, revops_analysis_options *o)
{
    o->stages = &cfg->stages;
    o->fiscal_start_month = cfg->fiscal_year_start;
    o->currency = cfg->currency[0] ? cfg->currency : NULL;
    o->historical_probabilities = cfg->historical_probabilities;
    o->window_days = cfg->window_days;
    o->stalled_factor = cfg->stalled_factor;
    o->stalled_days = cfg->stalled_days;
    o->inactive_days = cfg->inactive_days;
    o->response_sla_minutes = cfg->response_sla_minutes;
    /* The funnel's handoff SLA is the marketing-to-sales handoff's (whole hours: the loader
     * checks). */
    for (size_t i = 0; i < cfg->nhandoffs; i++) {
        const revops_config_handoff *h = &cfg->handoffs[i];
        if (h->from == REVOPS_DEPT_MARKETING && h->to == REVOPS_DEPT_SALES) {
            o->handoff_sla_hours = (int)(h->response_seconds / 3600);
            break;
        }
    }
    o->ramp_threshold = cfg->ramp_threshold;
    o->coaching_gap = cfg->coaching_gap;
    o->kpi_levels = cfg->goals;
    o->nkpi_levels = cfg->ngoals;
    o->activity_targets = &cfg->activity_targets;
}

void revops_config_forecast_options(const revops_config *cfg, revops_forecast_options *fo)
{
    fo->method_weights[0] = cfg->forecast_weights.pipeline_weighted;
    fo->method_weights[1] = cfg->forecast_weights.historical_trend;
    fo->method_weights[2] = cfg->forecast_weights.regression;
    fo->method_weights[3] = cfg->forecast_weights.time_series;
    fo->overdue_factor = cfg->overdue_factor;
    fo->rep_shrinkage = cfg->rep_shrinkage;
    fo->simulations = (uint64_t)cfg->simulations;
}

void revops_config_saas_options(const revops_config *cfg, revops_saas_options *so)
{
    so->gross_margin = cfg->gross_margin;
    so->margin_good = cfg->margin_good;
    so->margin_fair = cfg->margin_fair;
}
