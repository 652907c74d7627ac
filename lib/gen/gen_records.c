/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Writing the planned deals and their surroundings: accounts, contacts, leads, deals with
 * their stage histories, marketing touches, subscription items and the experiments.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gen/gen_internal.h"

static const char *const name_prefix[] = {
    "Nova",  "Alfa",  "Tekh",  "Vector", "Orbit", "Sever", "Volga", "Ural",  "Baltic", "Prime",
    "Astra", "Delta", "Omega", "Terra",  "Lumen", "Polar", "Sigma", "Kvant", "Zenit",  "Vita"};
static const char *const name_root[] = {"Soft",    "Media", "Trade",   "Market", "Logistics",
                                        "Systems", "Group", "Lab",     "Store",  "Tour",
                                        "Finance", "Med",   "Build",   "Auto",   "Food",
                                        "Print",   "Net",   "Consult", "Energy", "Style"};
#define NPREFIX (sizeof(name_prefix) / sizeof(name_prefix[0]))
#define NROOT (sizeof(name_root) / sizeof(name_root[0]))

static const char *const segments[] = {"smb", "mid", "enterprise"};
static const char *const lead_stages[] = {"lead",        "mql",      "sql",
                                          "opportunity", "customer", "disqualified"};
static const char *const stage_names[] = {"qualification", "discovery",  "proposal",
                                          "negotiation",   "closed_won", "closed_lost"};
static const char *const categories[] = {"pipeline", "pipeline", "best_case",
                                         "commit",   "closed",   "omitted"};
static const char *const loss_reasons[] = {"",           "price",  "no_decision",
                                           "competitor", "timing", "budget"};
static const char *const competitors[] = {"", "SEOlab", "Rankmaster", "Digital Growth Agency",
                                          "In-house team"};
static const char *const dq_reasons[] = {
    "",    "no_budget", "not_a_fit", "no_response", "competitor_chosen", "student_or_job_seeker",
    "spam"};
static const char *const types[] = {"new", "expansion", "renewal"};
static const char *const titles[] = {"CEO",
                                     "CMO",
                                     "Head of Marketing",
                                     "SEO Manager",
                                     "Marketing Director",
                                     "Founder",
                                     "Head of E-commerce"};

static void company_name(uint32_t n, char *out, size_t cap)
{
    static const char *const forms[] = {"LLC", "JSC", "Ltd"};
    uint32_t base = n % (NPREFIX * NROOT);
    uint32_t series = n / (uint32_t)(NPREFIX * NROOT);
    if (series)
        snprintf(out, cap, "%s %s %u %s", name_prefix[base % NPREFIX], name_root[base / NPREFIX],
                 series + 1, forms[n % 3]);
    else
        snprintf(out, cap, "%s %s %s", name_prefix[base % NPREFIX], name_root[base / NPREFIX],
                 forms[n % 3]);
}

static void company_domain(uint32_t n, char *out, size_t cap)
{
    uint32_t base = n % (NPREFIX * NROOT);
    uint32_t series = n / (uint32_t)(NPREFIX * NROOT);
    char raw[64];
    snprintf(raw, sizeof(raw), "%s%s", name_prefix[base % NPREFIX], name_root[base / NPREFIX]);
    size_t k = 0;
    for (const char *p = raw; *p && k + 1 < cap; p++)
        out[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    snprintf(out + k, cap - k, series ? "%u.example" : ".example", series + 1);
}

static const char *country_of(const gen_account *a, uint32_t n)
{
    if (a->region != RG_INTL)
        return "RU";
    static const char *const usd[] = {"US", "GB", "AE", "KZ"};
    static const char *const eur[] = {"DE", "NL", "FR", "FI"};
    return a->currency == C_USD ? usd[n % 4] : eur[n % 4];
}

static int write_accounts(gen *g, const uint32_t *order)
{
    int rc = 0;
    for (size_t k = 0; k < g->naccounts && !rc; k++) {
        const gen_account *a = &g->accounts[order[k]];
        if (a->removed)
            continue;
        int e = REVOPS_ENTITY_ACCOUNT;
        char name[96], domain[96];
        company_name(a->company, name, sizeof(name));
        company_domain(a->company, domain, sizeof(domain));
        /* Revenue of about four million roubles a year per employee. */
        double revenue = a->employees * 4.0e6 * exp(0.4 * gsl_ran_gaussian(g->rng, 1.0)) /
                         revops_gen__fx(g, a->currency, revops_time_day(a->created));
        rc = revops_gen__id(g, e, "A-", a->id);
        if (!rc)
            rc = revops_gen__text(g, e, name);
        if (!rc)
            rc = revops_gen__text(g, e, domain);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__industries[a->industry]);
        if (!rc)
            rc = revops_gen__text(g, e, segments[a->segment]);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__regions[a->region]);
        if (!rc)
            rc = revops_gen__text(g, e, country_of(a, a->company));
        if (!rc)
            rc = revops_gen__int(g, e, a->employees);
        if (!rc)
            rc = revops_gen__money(g, e, (int64_t)llround(revenue / 1000.0) * 100000);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__currencies[a->currency]);
        if (!rc)
            rc = revops_gen__id(g, e, "R-", (uint64_t)a->owner + 1);
        if (!rc)
            rc = revops_gen__time(g, e, a->created);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    return rc;
}

static int write_contacts(gen *g, const uint32_t *order)
{
    int rc = 0;
    uint64_t id = 1;
    revops_time end = revops_day_time(g->end) + 86399;
    for (size_t k = 0; k < g->naccounts && !rc; k++) {
        const gen_account *a = &g->accounts[order[k]];
        if (a->removed)
            continue;
        char domain[96];
        company_domain(a->company, domain, sizeof(domain));
        unsigned n = 1 + gsl_ran_poisson(g->rng, 0.7);
        for (unsigned c = 0; c < n && !rc; c++) {
            int e = REVOPS_ENTITY_CONTACT;
            char name[96], email[200], phone[32];
            revops_gen__person_name((size_t)(id * 31 + 7), name, sizeof(name));
            size_t len = 0;
            for (const char *p = name; *p && len + 1 < sizeof(email); p++)
                email[len++] =
                    *p == ' ' ? '.' : (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
            snprintf(email + len, sizeof(email) - len, "@%s", domain);
            snprintf(phone, sizeof(phone),
                     a->region == RG_INTL ? "+1 %03u %03u %04u" : "+7 9%02u %03u-%02u-%02u",
                     (unsigned)revops_gen__below(g, 100), (unsigned)revops_gen__below(g, 1000),
                     (unsigned)revops_gen__below(g, a->region == RG_INTL ? 10000 : 100),
                     (unsigned)revops_gen__below(g, 100));
            revops_time created = a->created + (revops_time)revops_gen__below(g, 20 * 86400);
            if (created > end)
                created = end;
            rc = revops_gen__id(g, e, "C-", id++);
            if (!rc)
                rc = revops_gen__id(g, e, "A-", a->id);
            if (!rc)
                rc = revops_gen__text(g, e, name);
            if (!rc)
                rc = revops_gen__text(g, e, revops_gen__chance(g, 0.05) ? "" : email);
            if (!rc)
                rc = revops_gen__text(g, e, phone);
            if (!rc)
                rc = revops_gen__text(g, e, titles[revops_gen__below(g, 7)]);
            if (!rc)
                rc = revops_gen__time(g, e, created);
            if (!rc)
                rc = revops_gen__end(g, e);
        }
    }
    return rc;
}

static void campaign_name(const char *channel, revops_time t, char *out, size_t cap)
{
    int y, m, d;
    revops_day_to_ymd(revops_time_day(t), &y, &m, &d);
    snprintf(out, cap, "%s_%dQ%d", channel, y, (m - 1) / 3 + 1);
}

static int has_campaign(int source)
{
    /* paid search, webinars, events and social run as campaigns */
    return source == 1 || source == 3 || source == 4 || source == 7;
}

static int write_leads(gen *g, const uint32_t *order)
{
    int rc = 0;
    for (size_t k = 0; k < g->nleads && !rc; k++) {
        const gen_lead *l = &g->leads[order[k]];
        int e = REVOPS_ENTITY_LEAD;
        const gen_opp *o = l->opp >= 0 ? &g->opps[l->opp] : NULL;
        const gen_account *a = o ? &g->accounts[o->account] : NULL;
        char company[96], domain[96], email[128], campaign[64];
        company_name(l->company, company, sizeof(company));
        company_domain(l->company, domain, sizeof(domain));
        snprintf(email, sizeof(email), "%s@%s", l->source == 5 ? "office" : "marketing", domain);
        rc = revops_gen__id(g, e, "L-", l->id);
        if (!rc)
            rc = revops_gen__time(g, e, l->created);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__sources[l->source]);
        campaign_name(revops_gen__sources[l->source], l->created, campaign, sizeof(campaign));
        if (!rc)
            rc = revops_gen__text(g, e, has_campaign(l->source) ? campaign : "");
        if (!rc)
            rc = revops_gen__text(g, e, company);
        if (!rc)
            rc = revops_gen__text(g, e, email);
        /* Web forms leave industry and region empty now and then. */
        if (!rc)
            rc = revops_gen__text(
                g, e, revops_gen__chance(g, 0.04) ? "" : revops_gen__industries[l->industry]);
        if (!rc)
            rc = revops_gen__text(
                g, e, revops_gen__chance(g, 0.03) ? "" : revops_gen__regions[l->region]);
        if (!rc)
            rc = revops_gen__text(g, e, l->region == RG_INTL ? "" : "RU");
        if (!rc)
            rc = revops_gen__int(g, e, l->employees);
        /* Leads past MQL carry an estimate: the deal's first offer, or what a company of
         * its size usually buys (an audit, a content retainer, an enterprise campaign). */
        if (!rc) {
            if (o) {
                rc = revops_gen__money(g, e, o->steps[0].amount);
            } else if (l->mql != REVOPS_NO_TIME) {
                double rub = l->employees > 1000 ? 4000000 : l->employees > 100 ? 700000 : 300000;
                rub *= exp(0.3 * gsl_ran_gaussian(g->rng, 1.0));
                rc = revops_gen__money(g, e, (int64_t)llround(rub / 10000.0) * 1000000);
            } else {
                rc = revops_gen__empty(g, e);
            }
        }
        if (!rc)
            rc = revops_gen__text(g, e,
                                  o                          ? revops_gen__currencies[a->currency]
                                  : l->mql != REVOPS_NO_TIME ? "RUB"
                                                             : "");
        if (!rc)
            rc = revops_gen__int(g, e, l->score);
        if (!rc)
            rc = revops_gen__text(g, e, lead_stages[l->stage]);
        if (!rc)
            rc = l->owner >= 0 ? revops_gen__id(g, e, "R-", (uint64_t)l->owner + 1)
                               : revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__time(g, e, l->mql);
        if (!rc)
            rc = revops_gen__time(g, e, l->sql);
        if (!rc)
            rc = revops_gen__time(g, e, o ? l->converted : REVOPS_NO_TIME);
        if (!rc)
            rc = o ? revops_gen__id(g, e, "O-", o->id) : revops_gen__empty(g, e);
        if (!rc)
            rc = o ? revops_gen__id(g, e, "A-", a->id) : revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__time(g, e, l->disqualified);
        if (!rc)
            rc = revops_gen__text(g, e, dq_reasons[l->disqualify_reason]);
        if (!rc)
            rc = revops_gen__time(g, e, l->first_response);
        if (!rc)
            rc = revops_gen__end(g, e);
        if (!rc && (k & 0xFFFF) == 0)
            revops_gen__progress(g, "leads", k, g->nleads);
    }
    return rc;
}

static int write_opportunities(gen *g, const uint32_t *order)
{
    static const char *const labels[P_COUNT] = {"technical SEO audit", "content strategy",
                                                "enterprise SEO campaign"};
    int rc = 0;
    for (size_t k = 0; k < g->nopps && !rc; k++) {
        const gen_opp *o = &g->opps[order[k]];
        if (o->removed)
            continue;
        const gen_account *a = &g->accounts[o->account];
        int e = REVOPS_ENTITY_OPPORTUNITY;
        char company[96], name[200];
        company_name(a->company, company, sizeof(company));
        snprintf(name, sizeof(name), "%s - %s%s", company, labels[o->product],
                 o->type == T_RENEWAL     ? " renewal"
                 : o->type == T_EXPANSION ? " upsell"
                                          : "");
        rc = revops_gen__id(g, e, "O-", o->id);
        if (!rc)
            rc = revops_gen__id(g, e, "A-", a->id);
        if (!rc)
            rc = revops_gen__text(g, e, name);
        if (!rc)
            rc = revops_gen__id(g, e, "R-", (uint64_t)o->owner + 1);
        if (!rc)
            rc = revops_gen__time(g, e, o->created);
        if (!rc)
            rc = revops_gen__text(g, e, stage_names[o->stage]);
        if (!rc)
            rc = revops_gen__money(g, e, o->amount);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__currencies[a->currency]);
        if (!rc)
            rc = revops_gen__day(g, e, o->close_date);
        if (!rc)
            rc = revops_gen__time(g, e, o->closed);
        if (!rc)
            rc = revops_gen__text(g, e,
                                  o->stage == S_WON    ? "won"
                                  : o->stage == S_LOST ? "lost"
                                                       : "open");
        if (!rc)
            rc = revops_gen__text(g, e, loss_reasons[o->lost_reason]);
        if (!rc)
            rc = revops_gen__text(g, e, competitors[o->competitor]);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__products[o->product]);
        if (!rc)
            rc = revops_gen__text(g, e, types[o->type]);
        if (!rc)
            rc = revops_gen__text(g, e, categories[o->stage]);
        if (!rc)
            rc = o->lead >= 0 ? revops_gen__id(g, e, "L-", g->leads[o->lead].id)
                              : revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    return rc;
}

/* The deal's history; an empty currency means the deal's own (see the data model). */
static int write_stage_changes(gen *g, const uint32_t *order)
{
    int rc = 0;
    for (size_t k = 0; k < g->nopps && !rc; k++) {
        const gen_opp *o = &g->opps[order[k]];
        if (o->removed)
            continue;
        for (int s = 0; s < o->nsteps && !rc; s++) {
            const gen_step *st = &o->steps[s];
            int e = REVOPS_ENTITY_STAGE_CHANGE;
            rc = revops_gen__id(g, e, "O-", o->id);
            if (!rc)
                rc = revops_gen__time(g, e, st->at);
            if (!rc)
                rc = st->from >= 0 ? revops_gen__text(g, e, stage_names[st->from])
                                   : revops_gen__empty(g, e);
            if (!rc)
                rc = revops_gen__text(g, e, stage_names[st->to]);
            if (!rc)
                rc = revops_gen__money(g, e, st->amount);
            if (!rc)
                rc = revops_gen__empty(g, e);
            if (!rc)
                rc = revops_gen__day(g, e, st->close);
            if (!rc)
                rc = revops_gen__end(g, e);
        }
    }
    return rc;
}

/* The marketing channel of a lead source. */
static const char *channel_of(int source)
{
    static const char *const channels[] = {"organic_search", "paid_search", "referral", "webinar",
                                           "events",         "email",       "partner",  "social"};
    return channels[source];
}

static int write_touch(gen *g, uint64_t *id, const gen_lead *l, const gen_account *a,
                       revops_time at, int source)
{
    int e = REVOPS_ENTITY_TOUCH;
    char campaign[64];
    const char *channel = channel_of(source);
    campaign_name(channel, at, campaign, sizeof(campaign));
    int rc = revops_gen__id(g, e, "TCH-", (*id)++);
    if (!rc)
        rc = revops_gen__time(g, e, at);
    if (!rc)
        rc = revops_gen__text(g, e, channel);
    if (!rc)
        rc = revops_gen__text(g, e, has_campaign(source) || source == 5 ? campaign : "");
    if (!rc)
        rc = revops_gen__id(g, e, "L-", l->id);
    if (!rc)
        rc = revops_gen__empty(g, e);
    if (!rc)
        rc = a ? revops_gen__id(g, e, "A-", a->id) : revops_gen__empty(g, e);
    if (!rc)
        rc = revops_gen__end(g, e);
    return rc;
}

/* Touches before a lead is created (the first on its source's channel) and, for leads that
 * converted, between creation and conversion. */
static int write_touches(gen *g, const uint32_t *order)
{
    static const double channel_weight[] = {0.25, 0.20, 0.05, 0.12, 0.05, 0.18, 0.03, 0.12};
    int rc = 0;
    uint64_t id = 1;
    for (size_t k = 0; k < g->nleads && !rc; k++) {
        const gen_lead *l = &g->leads[order[k]];
        const gen_account *a = l->opp >= 0 ? &g->accounts[g->opps[l->opp].account] : NULL;
        unsigned before = 1 + gsl_ran_poisson(g->rng, a ? 1.5 : 0.5);
        revops_time span = (revops_time)(1 + revops_gen__below(g, 30)) * 86400;
        for (unsigned i = 0; i < before && !rc; i++) {
            /* Evenly spread over the span before creation, the first touch earliest. */
            revops_time at = l->created - span + span * (revops_time)i / (revops_time)before;
            int source =
                i == 0 ? l->source
                       : (int)revops_gen__pick(g, channel_weight,
                                               sizeof(channel_weight) / sizeof(channel_weight[0]));
            rc = write_touch(g, &id, l, a, at, source);
        }
        if (a && l->converted > l->created + 120) {
            unsigned after = 1 + gsl_ran_poisson(g->rng, 1.0);
            revops_time len = l->converted - l->created;
            for (unsigned i = 0; i < after && !rc; i++) {
                revops_time at = l->created + len * (revops_time)(i + 1) / (revops_time)(after + 1);
                int source = (int)revops_gen__pick(
                    g, channel_weight, sizeof(channel_weight) / sizeof(channel_weight[0]));
                rc = write_touch(g, &id, l, a, at, source);
            }
        }
    }
    return rc;
}

static int write_items(gen *g)
{
    int rc = 0;
    for (size_t i = 0; i < g->nitems && !rc; i++) {
        const gen_item *it = &g->items[i];
        const gen_account *a = &g->accounts[it->account];
        int e = REVOPS_ENTITY_SUBSCRIPTION_ITEM;
        rc = revops_gen__id(g, e, "S-", i + 1);
        if (!rc)
            rc = revops_gen__id(g, e, "A-", a->id);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__products[it->product]);
        if (!rc)
            rc = revops_gen__day(g, e, it->start);
        /* An end that lies past the history is not known yet. */
        if (!rc)
            rc = revops_gen__day(g, e, it->end <= g->end ? it->end : REVOPS_NO_DAY);
        if (!rc)
            rc = revops_gen__money(g, e, it->mrr);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__currencies[a->currency]);
        if (!rc)
            rc = revops_gen__int(g, e, 1);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    return rc;
}

static int write_experiments(gen *g, const uint32_t *lead_order, const uint32_t *opp_order)
{
    static const struct {
        const char *name, *hypothesis, *metric;
    } defs[2] = {
        {"Five-minute response SLA",
         "Answering inbound leads within five minutes raises lead-to-opportunity conversion",
         "lead_to_opportunity"},
        {"Proposal template v2", "A shorter proposal with a fixed-price option wins more deals",
         "win_rate"},
    };
    int rc = 0;
    for (int x = 0; x < 2 && !rc; x++) {
        revops_day from, to;
        revops_gen__experiment_window(g, x, &from, &to);
        int e = REVOPS_ENTITY_EXPERIMENT;
        rc = revops_gen__id(g, e, "E-", (uint64_t)x + 1);
        if (!rc)
            rc = revops_gen__text(g, e, defs[x].name);
        if (!rc)
            rc = revops_gen__text(g, e, defs[x].hypothesis);
        if (!rc)
            rc = revops_gen__text(g, e, defs[x].metric);
        if (!rc)
            rc = revops_gen__time(g, e, revops_day_time(from));
        if (!rc)
            rc = revops_gen__time(g, e, revops_day_time(to));
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    static const char *const variants[2] = {"control", "treatment"};
    for (size_t k = 0; k < g->nleads && !rc; k++) {
        const gen_lead *l = &g->leads[lead_order[k]];
        if (l->experiment_variant < 0)
            continue;
        int e = REVOPS_ENTITY_ASSIGNMENT;
        rc = revops_gen__text(g, e, "E-1");
        if (!rc)
            rc = revops_gen__id(g, e, "L-", l->id);
        if (!rc)
            rc = revops_gen__text(g, e, variants[l->experiment_variant]);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    for (size_t k = 0; k < g->nopps && !rc; k++) {
        const gen_opp *o = &g->opps[opp_order[k]];
        if (o->removed || o->experiment_variant < 0)
            continue;
        int e = REVOPS_ENTITY_ASSIGNMENT;
        rc = revops_gen__text(g, e, "E-2");
        if (!rc)
            rc = revops_gen__id(g, e, "O-", o->id);
        if (!rc)
            rc = revops_gen__text(g, e, variants[o->experiment_variant]);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    return rc;
}

int revops_gen__write_deals(gen *g)
{
    int rc = write_accounts(g, g->account_order);
    if (!rc)
        rc = write_contacts(g, g->account_order);
    if (!rc)
        rc = write_leads(g, g->lead_order);
    if (!rc)
        rc = write_opportunities(g, g->opp_order);
    if (!rc)
        rc = write_stage_changes(g, g->opp_order);
    revops_gen__progress(g, "touches", 0, 1);
    if (!rc)
        rc = write_touches(g, g->lead_order);
    if (!rc)
        rc = write_items(g);
    if (!rc)
        rc = write_experiments(g, g->lead_order, g->opp_order);
    return rc;
}
