/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The leads around the planned deals: one behind each new-business deal that came in through
 * marketing or an SDR, walked back from the deal's creation through SQL and MQL to its first
 * form, and the leads that never converted, added in the funnel's proportions and the deals'
 * seasonality. Then ids: deals, leads and accounts are numbered in the order of creation.
 */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "gen/gen_internal.h"

/* Funnel: lead -> MQL 30 %, MQL -> SQL 60 %, SQL -> opportunity 85 %. */
#define P_MQL 0.30
#define P_SQL 0.60
#define P_OPP 0.85

static revops_time gap(gen *g, double mean_days)
{
    return (revops_time)(revops_gen__gamma_days(g, mean_days, 1.5) * 86400.0) + 600;
}

static int32_t pick_sdr(gen *g, revops_day day)
{
    return revops_gen__pick_rep(g, g->sdr, g->nsdr, day);
}

static int source_for(gen *g)
{
    static const double weights[] = {0.25, 0.20, 0.10, 0.10, 0.07, 0.15, 0.06, 0.07};
    return (int)revops_gen__pick(g, weights, sizeof(weights) / sizeof(weights[0]));
}

/* Inbound leads get a first answer after a long-tailed delay (median about 25 minutes; the
 * response-time experiment's treatment answers in about 4). */
static revops_time first_response(gen *g, const gen_lead *l)
{
    double median = l->experiment_variant == 1 ? 4.0 : 25.0;
    double minutes = median * exp(1.5 * gsl_ran_gaussian(g->rng, 1.0));
    if (minutes > 60 * 24 * 5)
        minutes = 60 * 24 * 5;
    return l->created + (revops_time)(minutes * 60.0) + 30;
}

static int8_t lead_variant(gen *g, revops_time created, double treatment_share)
{
    revops_day from, to;
    revops_gen__experiment_window(g, 0, &from, &to);
    revops_day day = revops_time_day(created);
    if (day < from || day >= to)
        return -1;
    return (int8_t)revops_gen__chance(g, treatment_share);
}

static void finish_lead(gen *g, gen_lead *l, int worked)
{
    l->first_response = REVOPS_NO_TIME;
    if (worked) {
        l->owner = pick_sdr(g, revops_time_day(l->created));
        /* Outbound leads were made by the SDR; an answer due after the last day of the
         * history has not happened yet. */
        if (l->source != 5) {
            revops_time t = first_response(g, l);
            if (t <= revops_day_time(g->end) + 86399)
                l->first_response = t;
        }
    } else {
        l->owner = -1;
    }
}

static int leads_from_deals(gen *g)
{
    for (size_t i = 0; i < g->nopps; i++) {
        gen_opp *o = &g->opps[i];
        if (o->removed || !o->from_lead || o->type != T_NEW)
            continue;
        gen_lead *l;
        int rc = revops_gen__push_lead(g, &l);
        if (rc)
            return rc;
        o = &g->opps[i];
        const gen_account *a = &g->accounts[o->account];
        l->converted = o->created;
        l->sql = l->converted - gap(g, 5);
        l->mql = l->sql - gap(g, 4);
        l->created = l->mql - gap(g, 3);
        l->disqualified = REVOPS_NO_TIME;
        l->opp = (int32_t)i;
        l->company = a->company;
        l->source = (uint8_t)source_for(g);
        l->industry = a->industry;
        l->region = a->region;
        l->employees = a->employees;
        l->stage = o->stage == S_WON ? 4 : 3; /* customer : opportunity */
        l->experiment_variant = lead_variant(g, l->created, 0.55);
        l->score = (uint8_t)fmin(100, fmax(0, 72 + 12 * gsl_ran_gaussian(g->rng, 1.0)));
        finish_lead(g, l, 1);
        o->lead = (int32_t)(g->nleads - 1);
    }
    return 0;
}

/*
 * Why a lead was disqualified (indexes into the reasons written with the lead: 1 no_budget,
 * 2 not_a_fit, 3 no_response, 4 competitor_chosen, 5 student_or_job_seeker, 6 spam), by how
 * far it got: -1 never worked, 0 a raw lead, 1 an MQL, 2 an SQL.
 */
static uint8_t dq_reason(gen *g, int depth)
{
    static const double weights[4][6] = {
        {0, 0, 0, 0, 0.45, 0.55},          /* cleaned up by marketing */
        {0.15, 0.25, 0.45, 0, 0.10, 0.05}, /* never engaged */
        {0.30, 0.30, 0.25, 0.15, 0, 0},    /* engaged, then stopped */
        {0.35, 0.20, 0.15, 0.30, 0, 0},    /* qualified, then lost to budget or a rival */
    };
    return (uint8_t)(1 + revops_gen__pick(g, weights[depth + 1], 6));
}

/* Leads that never became deals, in the funnel's proportions and the deals' seasonality. */
static int other_leads(gen *g, size_t converting)
{
    double all = (double)converting / (P_MQL * P_SQL * P_OPP);
    size_t count = (size_t)llround(all) - converting;
    double total = 0;
    for (int m = 0; m < g->months; m++)
        total += revops_gen__month_weight(g, m);
    double cum = 0;
    size_t made = 0;
    uint32_t company = (uint32_t)g->naccounts;
    revops_time end = revops_day_time(g->end) + 86399;
    /* Of all leads: 12 % reach MQL only, 2.7 % reach SQL only, the rest stay leads. */
    const double reach[3] = {1.0 - P_MQL, P_MQL * (1 - P_SQL), P_MQL * P_SQL * (1 - P_OPP)};
    for (int m = 0; m < g->months; m++) {
        cum += revops_gen__month_weight(g, m);
        size_t target = (size_t)llround((double)count * cum / total);
        for (; made < target; made++) {
            gen_lead *l;
            int rc = revops_gen__push_lead(g, &l);
            if (rc)
                return rc;
            l->created = revops_gen__work_time(g, revops_gen__weekday_in_month(g, m));
            l->mql = l->sql = l->converted = l->disqualified = REVOPS_NO_TIME;
            l->opp = -1;
            /* One lead in fifty is a company submitting again: a duplicate email. */
            l->company = made > 0 && revops_gen__chance(g, 0.02) ? g->leads[g->nleads - 2].company
                                                                 : company++;
            l->source = (uint8_t)source_for(g);
            l->industry = (uint8_t)revops_gen__below(g, revops_gen__nindustries);
            l->region = (uint8_t)revops_gen__pick(g, revops_gen__region_weight, RG_COUNT);
            l->employees =
                (uint16_t)fmin(60000, 5 + exp(3.0 + 1.6 * gsl_ran_gaussian(g->rng, 1.0)));
            l->experiment_variant = lead_variant(g, l->created, 0.495);
            int depth = (int)revops_gen__pick(g, reach, 3);
            revops_time t = l->created;
            l->stage = 0;
            if (depth >= 1 && (t += gap(g, 3)) < end) {
                l->mql = t;
                l->stage = 1;
            }
            if (depth >= 2 && l->mql != REVOPS_NO_TIME && (t += gap(g, 4)) < end) {
                l->sql = t;
                l->stage = 2;
            }
            /*
             * How a lead that will not convert ends. A worked lead is disqualified by its SDR
             * within weeks (an SQL always), or one in ten goes back to marketing's nurture
             * pool without an owner; so an SDR's open leads are the recent ones, which keeps
             * the workload (open leads / capacity) meaningful for routing. Of the leads nobody
             * works, marketing removes spam and job seekers; the rest wait in nurture.
             */
            int worked = depth > 0 || revops_gen__chance(g, 0.6);
            int nurture = worked && depth < 2 && revops_gen__chance(g, 0.10);
            int dq = worked ? !nurture : revops_gen__chance(g, 0.3);
            if (dq && (t += gap(g, worked ? 10 : 2)) < end) {
                l->disqualified = t;
                l->stage = 5;
                l->disqualify_reason = dq_reason(g, worked ? depth : -1);
            }
            l->score =
                (uint8_t)fmin(100, fmax(0, (depth ? 55 : 30) + 15 * gsl_ran_gaussian(g->rng, 1.0)));
            finish_lead(g, l, worked);
            if (nurture)
                l->owner = -1;
        }
    }
    return 0;
}

int revops_gen__leads(gen *g)
{
    size_t converting = g->nleads;
    int rc = leads_from_deals(g);
    converting = g->nleads - converting;
    if (!rc)
        rc = other_leads(g, converting);
    return rc;
}

/* ---- ids in time order ---- */

typedef struct order_key {
    revops_time t;
    uint32_t index;
} order_key;

static int compare_keys(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Numbers entities in the order of their creation time (ties by index): ids read like a
 * CRM's, growing with time. Returns the indexes in that order (the caller frees it). */
static int number_by_time(size_t n, revops_time (*time_of)(const gen *, size_t),
                          void (*set_id)(gen *, size_t, uint32_t), gen *g, uint32_t **order)
{
    order_key *keys = malloc((n ? n : 1) * sizeof(*keys));
    *order = malloc((n ? n : 1) * sizeof(**order));
    if (!keys || !*order) {
        free(keys);
        free(*order);
        *order = NULL;
        return revops_error__oom();
    }
    for (size_t i = 0; i < n; i++) {
        keys[i].t = time_of(g, i);
        keys[i].index = (uint32_t)i;
    }
    qsort(keys, n, sizeof(*keys), compare_keys);
    uint32_t next = 1;
    for (size_t k = 0; k < n; k++) {
        (*order)[k] = keys[k].index;
        if (keys[k].t != REVOPS_NO_TIME)
            set_id(g, keys[k].index, next++);
    }
    free(keys);
    return 0;
}

static revops_time opp_time(const gen *g, size_t i)
{
    return g->opps[i].removed ? REVOPS_NO_TIME : g->opps[i].created;
}
static void opp_set(gen *g, size_t i, uint32_t id)
{
    g->opps[i].id = id;
}
static revops_time lead_time(const gen *g, size_t i)
{
    return g->leads[i].created;
}
static void lead_set(gen *g, size_t i, uint32_t id)
{
    g->leads[i].id = id;
}
static revops_time account_time(const gen *g, size_t i)
{
    return g->accounts[i].removed ? REVOPS_NO_TIME : g->accounts[i].created;
}
static void account_set(gen *g, size_t i, uint32_t id)
{
    g->accounts[i].id = id;
}

/* The orders in which deals, leads and accounts are written (and numbered). */
int revops_gen__number(gen *g)
{
    int rc = number_by_time(g->nopps, opp_time, opp_set, g, &g->opp_order);
    if (!rc)
        rc = number_by_time(g->nleads, lead_time, lead_set, g, &g->lead_order);
    if (!rc)
        rc = number_by_time(g->naccounts, account_time, account_set, g, &g->account_order);
    return rc;
}
