/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The high-volume streams: the reps' daily activities, the contracts and invoices of won
 * deals, and the support tickets and product usage of paying customers. Customers heading
 * for churn behave as real ones do in the months before: they use less, open more tickets,
 * pay later and hear less from their success manager.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gen/gen_internal.h"

/* Rows of one entity grouped by owner and sorted by time: rows[start[r] .. start[r+1]). */
typedef struct buckets {
    size_t *start;
    uint32_t *rows;
} buckets;

static void buckets_free(buckets *b)
{
    free(b->start);
    free(b->rows);
}

/* Groups `n` rows (given in time order by `order`) by their owner rep. */
static int bucket_by_owner(gen *g, buckets *b, size_t n, const uint32_t *order,
                           int32_t (*owner_of)(const gen *, uint32_t))
{
    b->start = calloc(g->nreps + 1, sizeof(*b->start));
    b->rows = malloc((n ? n : 1) * sizeof(*b->rows));
    if (!b->start || !b->rows)
        return revops_error__oom();
    for (size_t k = 0; k < n; k++) {
        int32_t r = owner_of(g, order[k]);
        if (r >= 0)
            b->start[r + 1]++;
    }
    for (size_t r = 0; r < g->nreps; r++)
        b->start[r + 1] += b->start[r];
    size_t *fill = malloc((g->nreps + 1) * sizeof(*fill));
    if (!fill)
        return revops_error__oom();
    memcpy(fill, b->start, (g->nreps + 1) * sizeof(*fill));
    for (size_t k = 0; k < n; k++) {
        int32_t r = owner_of(g, order[k]);
        if (r >= 0)
            b->rows[fill[r]++] = order[k];
    }
    free(fill);
    return 0;
}

static int32_t lead_owner(const gen *g, uint32_t i)
{
    return g->leads[i].owner;
}

static int32_t opp_owner(const gen *g, uint32_t i)
{
    return g->opps[i].removed ? -1 : g->opps[i].owner;
}

/* First position in [lo, hi) whose creation time is >= t. */
static size_t lower_bound(const gen *g, const buckets *b, size_t lo, size_t hi, revops_time t,
                          int leads)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        revops_time c = leads ? g->leads[b->rows[mid]].created : g->opps[b->rows[mid]].created;
        if (c < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct activity_out {
    gen *g;
    uint64_t id;
} activity_out;

static int write_activity(activity_out *ao, revops_time at, const char *type, int32_t rep,
                          uint32_t lead, uint32_t opp, uint32_t account, const char *outcome,
                          int64_t duration)
{
    gen *g = ao->g;
    int e = REVOPS_ENTITY_ACTIVITY;
    int rc = revops_gen__id(g, e, "ACT-", ao->id++);
    if (!rc)
        rc = revops_gen__time(g, e, at);
    if (!rc)
        rc = revops_gen__text(g, e, type);
    if (!rc)
        rc = revops_gen__id(g, e, "R-", (uint64_t)rep + 1);
    if (!rc)
        rc = lead ? revops_gen__id(g, e, "L-", lead) : revops_gen__empty(g, e);
    if (!rc)
        rc = opp ? revops_gen__id(g, e, "O-", opp) : revops_gen__empty(g, e);
    if (!rc)
        rc = account ? revops_gen__id(g, e, "A-", account) : revops_gen__empty(g, e);
    if (!rc)
        rc = revops_gen__text(g, e, outcome);
    if (!rc)
        rc = duration >= 0 ? revops_gen__int(g, e, duration) : revops_gen__empty(g, e);
    if (!rc)
        rc = revops_gen__end(g, e);
    return rc;
}

static void outcome_of(gen *g, const char *type, const char **outcome, int64_t *duration)
{
    *duration = -1;
    if (strcmp(type, "call") == 0) {
        static const double w[3] = {0.45, 0.40, 0.15};
        static const char *const o[3] = {"connected", "no_answer", "voicemail"};
        size_t k = revops_gen__pick(g, w, 3);
        *outcome = o[k];
        *duration =
            k == 0 ? 60 + (int64_t)revops_gen__below(g, 840) : (int64_t)revops_gen__below(g, 40);
    } else if (strcmp(type, "email") == 0) {
        *outcome = revops_gen__chance(g, 0.12) ? "replied" : "sent";
    } else if (strcmp(type, "meeting") == 0 || strcmp(type, "demo") == 0) {
        int held = revops_gen__chance(g, 0.87);
        *outcome = held ? "held" : "no_show";
        *duration = held ? 1800 + (int64_t)revops_gen__below(g, 1801) : 0;
    } else {
        *outcome = "sent";
    }
}

/* Months of the history in which each account pays (an item overlaps the month). */
typedef struct customers {
    size_t *start; /* by month */
    uint32_t *accounts;
} customers;

static int paying_by_month(gen *g, customers *c)
{
    size_t nm = (size_t)g->cal_months;
    c->start = calloc(nm + 1, sizeof(*c->start));
    if (!c->start)
        return revops_error__oom();
    revops_month first = revops_day_month(g->start);
    /* Two passes: count, then fill. */
    for (int pass = 0; pass < 2; pass++) {
        size_t *fill = NULL;
        if (pass == 1) {
            for (size_t m = 0; m < nm; m++)
                c->start[m + 1] += c->start[m];
            c->accounts = malloc((c->start[nm] ? c->start[nm] : 1) * sizeof(*c->accounts));
            fill = malloc((nm + 1) * sizeof(*fill));
            if (!c->accounts || !fill) {
                free(fill);
                return revops_error__oom();
            }
            memcpy(fill, c->start, (nm + 1) * sizeof(*fill));
        }
        for (size_t a = 0; a < g->naccounts; a++) {
            const gen_account *acc = &g->accounts[a];
            if (acc->first_item < 0)
                continue;
            for (size_t m = 0; m < nm; m++) {
                revops_day lo = revops_month_first_day(first + (revops_month)m);
                revops_day hi = revops_month_last_day(first + (revops_month)m);
                int paying = 0;
                for (int32_t i = acc->first_item; i >= 0 && !paying; i = g->items[i].next)
                    paying = g->items[i].start <= hi && g->items[i].end > lo;
                if (!paying)
                    continue;
                if (pass == 0)
                    c->start[m + 1]++;
                else
                    c->accounts[fill[m]++] = (uint32_t)a;
            }
        }
        free(fill);
    }
    return 0;
}

/* 1 when the account churns within `horizon` days after `day`. */
static int churning(const gen_account *a, revops_day day, int horizon)
{
    return a->churned != REVOPS_NO_DAY && a->churned > day && a->churned <= day + horizon;
}

static int rep_day(gen *g, activity_out *ao, int32_t r, revops_day day, const buckets *leads,
                   const buckets *opps, const customers *cust)
{
    const gen_rep *rep = &g->reps[r];
    static const struct {
        const char *type;
        double per_day[4]; /* SDR, AE, AM, CSM */
    } kinds[] = {
        /* SDR targets per day; AE targets per month spread over 21.7 working days. */
        {"call", {50, 40 / 21.7, 0.6 * 40 / 21.7, 1.5}},
        {"email", {100, 0, 0, 2.5}},
        {"social", {20, 0, 0, 0}},
        {"meeting", {2, 30 / 21.7, 0.6 * 30 / 21.7, 0.5}},
        {"demo", {0, 25 / 21.7, 0, 0}},
        {"proposal", {0, 15 / 21.7, 0.6 * 15 / 21.7, 0}},
    };
    if (rep->role == ROLE_MANAGER)
        return 0;
    int col = rep->role == ROLE_SDR ? 0 : rep->role == ROLE_AE ? 1 : rep->role == ROLE_AM ? 2 : 3;
    revops_month first = revops_day_month(g->start);
    size_t month = (size_t)(revops_day_month(day) - first);
    /* The rep's leads (SDRs) or deals (AEs, AMs) created in the look-back window before the
     * day [w_from, w_today) and on the day itself [w_today, w_end), found once a day: an
     * activity then needs a search among the day's own only. */
    const buckets *b_own = rep->role == ROLE_SDR ? leads : opps;
    int of_leads = rep->role == ROLE_SDR;
    revops_time day_start = revops_day_time(day);
    revops_time look_back = (of_leads ? 30 : 150) * (revops_time)86400;
    size_t lo = b_own->start[r], hi = b_own->start[r + 1];
    size_t w_from = lower_bound(g, b_own, lo, hi, day_start - look_back, of_leads);
    size_t w_today = lower_bound(g, b_own, w_from, hi, day_start, of_leads);
    size_t w_end = lower_bound(g, b_own, w_today, hi, day_start + 86400, of_leads);
    int rc = 0;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && !rc; k++) {
        double rate = kinds[k].per_day[col] * rep->performance;
        if (rate <= 0)
            continue;
        unsigned n = gsl_ran_poisson(g->rng, rate);
        for (unsigned i = 0; i < n && !rc; i++) {
            revops_time at = revops_gen__work_time(g, day);
            uint32_t lead = 0, opp = 0, account = 0;
            if (rep->role == ROLE_SDR) {
                /* A lead of this SDR created in the last 30 days, and before the activity. */
                size_t a = w_from, b = lower_bound(g, leads, w_today, w_end, at, 1);
                if (a >= b)
                    continue;
                /* Preferably one still open then (neither disqualified nor converted). */
                size_t pos = a + revops_gen__below(g, b - a);
                const gen_lead *l = NULL;
                for (size_t step = 0; step < 32 && step < b - a && !l; step++) {
                    const gen_lead *c = &g->leads[leads->rows[a + (pos - a + step) % (b - a)]];
                    if ((c->disqualified == REVOPS_NO_TIME || c->disqualified > at) &&
                        (c->converted == REVOPS_NO_TIME || c->converted > at))
                        l = c;
                }
                if (!l)
                    l = &g->leads[leads->rows[pos]];
                lead = l->id;
                if (l->opp >= 0 && l->converted <= at)
                    account = g->accounts[g->opps[l->opp].account].id;
            } else if (rep->role == ROLE_CSM) {
                size_t cnt = cust->start[month + 1] - cust->start[month];
                if (cnt == 0)
                    continue;
                const gen_account *acc =
                    &g->accounts[cust->accounts[cust->start[month] + revops_gen__below(g, cnt)]];
                /* Customers about to leave get a third of the attention. */
                if (churning(acc, day, 90) && !revops_gen__chance(g, 0.33))
                    continue;
                account = acc->id;
            } else {
                /* An open deal of this rep created in the last 150 days: scanned from a
                 * random place, so that every open deal gets its share of the work. */
                size_t a = w_from, b = lower_bound(g, opps, w_today, w_end, at, 0);
                const gen_opp *o = NULL;
                size_t pos = a < b ? a + revops_gen__below(g, b - a) : a;
                for (size_t step = 0; step < 64 && step < b - a && !o; step++) {
                    const gen_opp *c = &g->opps[opps->rows[a + (pos - a + step) % (b - a)]];
                    if (c->closed == REVOPS_NO_TIME || c->closed >= at)
                        o = c;
                }
                if (o) {
                    opp = o->id;
                    account = g->accounts[o->account].id;
                } else if (rep->role == ROLE_AM) {
                    /* No renewal or upsell in the works: the AM looks after a customer. */
                    size_t cnt = cust->start[month + 1] - cust->start[month];
                    if (cnt == 0)
                        continue;
                    account =
                        g->accounts[cust->accounts[cust->start[month] + revops_gen__below(g, cnt)]]
                            .id;
                } else if (b > lo) {
                    /* Nothing open: prospecting around the rep's latest account. */
                    account = g->accounts[g->opps[opps->rows[b - 1]].account].id;
                } else {
                    continue;
                }
            }
            const char *outcome;
            int64_t duration;
            outcome_of(g, kinds[k].type, &outcome, &duration);
            rc = write_activity(ao, at, kinds[k].type, r, lead, opp, account, outcome, duration);
        }
    }
    return rc;
}

static int write_activities(gen *g, const uint32_t *lead_order, const uint32_t *opp_order)
{
    buckets leads = {0}, opps = {0};
    customers cust = {0};
    activity_out ao = {g, 1};
    int rc = bucket_by_owner(g, &leads, g->nleads, lead_order, lead_owner);
    if (!rc)
        rc = bucket_by_owner(g, &opps, g->nopps, opp_order, opp_owner);
    if (!rc)
        rc = paying_by_month(g, &cust);
    size_t days = (size_t)(g->end - g->start + 1);
    for (revops_day day = g->start; day <= g->end && !rc; day++) {
        if (revops_day_weekday(day) > 5)
            continue;
        for (size_t r = 0; r < g->nreps && !rc; r++)
            if (revops_gen__rep_active(g, (int32_t)r, day))
                rc = rep_day(g, &ao, (int32_t)r, day, &leads, &opps, &cust);
        if ((day & 15) == 0)
            revops_gen__progress(g, "activities", (uint64_t)(day - g->start), days);
    }
    buckets_free(&leads);
    buckets_free(&opps);
    free(cust.start);
    free(cust.accounts);
    return rc;
}

/* ---- contracts and invoices ---- */

typedef struct line {
    const char *obligation;
    const char *method;
    double ssp_weight;
    revops_day start, end, milestone;
    int64_t ssp, price;
} line;

/* Allocates `total` over the lines in proportion to their SSPs, in whole minor units, the
 * remainders going to the largest fractions so that the prices add up exactly. */
static void allocate(line *lines, int n, int64_t total)
{
    double ssp_sum = 0;
    for (int i = 0; i < n; i++)
        ssp_sum += (double)lines[i].ssp;
    int64_t given = 0;
    double frac[8];
    for (int i = 0; i < n; i++) {
        double exact = (double)total * (double)lines[i].ssp / ssp_sum;
        lines[i].price = (int64_t)floor(exact);
        frac[i] = exact - floor(exact);
        given += lines[i].price;
    }
    while (given < total) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (frac[i] > frac[best])
                best = i;
        lines[best].price++;
        frac[best] = -1;
        given++;
    }
}

typedef struct billing {
    gen *g;
    uint64_t next_invoice;
    uint64_t next_line;
} billing;

static int write_invoice(billing *b, const gen_account *a, uint64_t contract, revops_day issued,
                         int64_t amount)
{
    gen *g = b->g;
    if (issued > g->end || amount <= 0)
        return 0;
    int e = REVOPS_ENTITY_INVOICE;
    revops_day due = issued + a->terms;
    /* Most pay on time, some late; customers about to leave pay late more often. */
    int leaving = churning(a, issued, 120);
    double late = leaving ? 0.55 : 0.23, unpaid = leaving ? 0.15 : 0.04;
    revops_day paid = REVOPS_NO_DAY;
    const char *status = "open";
    double x = revops_gen__uniform(g);
    if (x < 0.01) {
        status = "void";
    } else if (x < 0.01 + unpaid) {
        status = "open";
    } else if (x < 0.01 + unpaid + late) {
        paid = due + 3 + (revops_day)revops_gen__below(g, 58);
    } else {
        paid = issued + 1 + (revops_day)revops_gen__below(g, (size_t)(due - issued));
    }
    if (paid != REVOPS_NO_DAY && paid > g->end)
        paid = REVOPS_NO_DAY;
    else if (paid != REVOPS_NO_DAY)
        status = "paid";
    int rc = revops_gen__id(g, e, "INV-", b->next_invoice++);
    if (!rc)
        rc = revops_gen__id(g, e, "A-", a->id);
    if (!rc)
        rc = revops_gen__id(g, e, "K-", contract);
    if (!rc)
        rc = revops_gen__time(g, e, revops_day_time(issued) + 7 * 3600);
    if (!rc)
        rc = revops_gen__time(g, e, revops_day_time(due) + 7 * 3600);
    if (!rc)
        rc = revops_gen__time(
            g, e, paid == REVOPS_NO_DAY ? REVOPS_NO_TIME : revops_gen__work_time(g, paid));
    if (!rc)
        rc = revops_gen__money(g, e, amount);
    if (!rc)
        rc = revops_gen__text(g, e, revops_gen__currencies[a->currency]);
    if (!rc)
        rc = revops_gen__text(g, e, status);
    if (!rc)
        rc = revops_gen__end(g, e);
    return rc;
}

static int contract(billing *b, const gen_opp *o)
{
    gen *g = b->g;
    const gen_account *a = &g->accounts[o->account];
    revops_day closed = revops_time_day(o->closed);
    const gen_item *it = o->item >= 0 ? &g->items[o->item] : NULL;
    line lines[3];
    int n = 0;
    memset(lines, 0, sizeof(lines));
    if (o->product == P_AUDIT) {
        lines[n++] =
            (line){"technical audit report", "point_in_time", 0.8, closed + 21, 0, 0, 0, 0};
        lines[n++] = (line){"implementation support", "milestone", 0.2, 0, 0, closed + 60, 0, 0};
    } else {
        if (o->type == T_NEW || (o->type == T_EXPANSION && o->product == P_ENTERPRISE))
            lines[n++] = (line){o->product == P_CONTENT ? "content strategy document"
                                                        : "onboarding and technical setup",
                                "point_in_time",
                                o->product == P_CONTENT ? 0.25 : 0.15,
                                closed + 14,
                                0,
                                0,
                                0,
                                0};
        revops_day start = it ? it->start : closed + 7;
        revops_day end = it ? it->term_end : revops_gen__add_months(start, 12);
        lines[n++] = (line){o->product == P_CONTENT ? "monthly content production"
                                                    : "SEO campaign management",
                            "ratable",
                            0.75,
                            start,
                            end,
                            0,
                            0,
                            0};
        if (o->product == P_ENTERPRISE && o->type == T_NEW)
            lines[n++] = (line){"quarterly business review",      "milestone", 0.10, 0, 0,
                                revops_gen__add_months(start, 3), 0,           0};
    }
    /* Standalone prices from a list price 5-25 % above what was agreed. */
    double list = (double)o->amount * (1.05 + 0.2 * revops_gen__uniform(g));
    double weights = 0;
    for (int i = 0; i < n; i++)
        weights += lines[i].ssp_weight;
    for (int i = 0; i < n; i++)
        lines[i].ssp = (int64_t)llround(list * lines[i].ssp_weight / weights / 10000.0) * 10000;
    allocate(lines, n, o->amount);
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        const line *l = &lines[i];
        int e = REVOPS_ENTITY_CONTRACT_LINE;
        rc = revops_gen__id(g, e, "CL-", b->next_line++);
        if (!rc)
            rc = revops_gen__id(g, e, "K-", o->id);
        if (!rc)
            rc = revops_gen__id(g, e, "A-", a->id);
        if (!rc)
            rc = revops_gen__id(g, e, "O-", o->id);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__products[o->product]);
        if (!rc)
            rc = revops_gen__text(g, e, l->obligation);
        if (!rc)
            rc = revops_gen__money(g, e, l->ssp);
        if (!rc)
            rc = revops_gen__text(g, e, l->method);
        if (!rc)
            rc = revops_gen__day(g, e, l->start ? l->start : REVOPS_NO_DAY);
        if (!rc)
            rc = revops_gen__day(g, e, l->end ? l->end : REVOPS_NO_DAY);
        if (!rc)
            rc = revops_gen__day(g, e, l->milestone ? l->milestone : REVOPS_NO_DAY);
        if (!rc)
            rc = revops_gen__money(g, e, l->price);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__currencies[a->currency]);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    /* Invoices: one-off lines half at signing and half on delivery; ratable lines monthly
     * while the service runs. */
    for (int i = 0; i < n && !rc; i++) {
        const line *l = &lines[i];
        if (strcmp(l->method, "ratable") != 0) {
            revops_day delivery = l->milestone ? l->milestone : l->start;
            int64_t first = l->price / 2;
            rc = write_invoice(b, a, o->id, closed + 1, first);
            if (!rc)
                rc = write_invoice(b, a, o->id, delivery, l->price - first);
            continue;
        }
        int months = 0;
        for (revops_day d = l->start; d < l->end; d = revops_gen__add_months(l->start, months))
            months++;
        revops_day stop = it ? it->end : l->end;
        int64_t per = months ? l->price / months : l->price;
        for (int k = 0; k < months && !rc; k++) {
            revops_day issued = revops_gen__add_months(l->start, k);
            if (issued >= stop)
                break;
            int64_t amount = k == months - 1 ? l->price - per * (months - 1) : per;
            rc = write_invoice(b, a, o->id, revops_gen__weekday_on_or_after(issued), amount);
        }
    }
    return rc;
}

static int write_contracts(gen *g, const uint32_t *opp_order)
{
    billing b = {g, 1, 1};
    int rc = 0;
    for (size_t k = 0; k < g->nopps && !rc; k++) {
        const gen_opp *o = &g->opps[opp_order[k]];
        if (!o->removed && o->stage == S_WON)
            rc = contract(&b, o);
    }
    return rc;
}

/* ---- tickets and usage ---- */

static int write_tickets_and_usage(gen *g, const uint32_t *account_order)
{
    static const double severity_weight[4] = {0.50, 0.30, 0.15, 0.05};
    static const char *const severities[4] = {"low", "medium", "high", "urgent"};
    revops_month first = revops_day_month(g->start);
    uint64_t ticket = 1;
    int rc = 0;
    for (size_t k = 0; k < g->naccounts && !rc; k++) {
        const gen_account *a = &g->accounts[account_order[k]];
        if (a->removed || a->first_item < 0)
            continue;
        double base_keywords = 300 + 1500 * revops_gen__uniform(g);
        /* Pages crawled by the monthly audit: the size of the client's site. */
        double base_pages = 200 * exp(1.0 * gsl_ran_gaussian(g->rng, 1.0)) + 50;
        int tenure = 0;
        for (int m = 0; m < g->cal_months && !rc; m++) {
            revops_day lo = revops_month_first_day(first + m);
            revops_day hi = revops_month_last_day(first + m);
            int64_t mrr = 0;
            for (int32_t i = a->first_item; i >= 0; i = g->items[i].next)
                if (g->items[i].start <= hi && g->items[i].end > lo)
                    mrr += g->items[i].mrr;
            if (mrr == 0) {
                tenure = 0;
                continue;
            }
            tenure++;
            int leaving = churning(a, hi, 90);
            unsigned nt = gsl_ran_poisson(g->rng, leaving ? 0.9 : 0.3);
            for (unsigned t = 0; t < nt && !rc; t++) {
                revops_day day = lo + (revops_day)revops_gen__below(g, (size_t)(hi - lo + 1));
                if (day > g->end)
                    continue;
                revops_time opened = revops_gen__work_time(g, day);
                revops_time closed =
                    opened + (revops_time)(revops_gen__gamma_days(g, 3.0, 1.2) * 86400.0) + 900;
                int e = REVOPS_ENTITY_TICKET;
                rc = revops_gen__id(g, e, "TK-", ticket++);
                if (!rc)
                    rc = revops_gen__id(g, e, "A-", a->id);
                if (!rc)
                    rc = revops_gen__time(g, e, opened);
                if (!rc)
                    rc = revops_gen__time(
                        g, e, closed <= revops_day_time(g->end) + 86399 ? closed : REVOPS_NO_TIME);
                if (!rc)
                    rc =
                        revops_gen__text(g, e, severities[revops_gen__pick(g, severity_weight, 4)]);
                if (!rc)
                    rc = revops_gen__end(g, e);
            }
            /* Usage grows with tenure and fades in the three months before a churn. */
            double trend = 1.0 + 0.02 * tenure;
            if (a->churned != REVOPS_NO_DAY && a->churned > lo) {
                long months_left = (long)(revops_day_month(a->churned) - (first + m));
                if (months_left <= 3)
                    trend *= pow(0.72, (double)(4 - months_left));
            }
            double noise = exp(0.1 * gsl_ran_gaussian(g->rng, 1.0));
            /* Reports are read by people: they fade first and fastest. */
            double values[3] = {base_keywords * trend * noise,
                                (20 + 0.4 * base_keywords / 10) * trend * trend * noise,
                                base_pages * (0.9 + 0.2 * revops_gen__uniform(g)) * trend};
            static const char *const metrics[3] = {"keywords_tracked", "reports_viewed",
                                                   "pages_audited"};
            char month[REVOPS_MONTH_TEXT_MAX];
            size_t mlen = revops_month_format(first + m, month);
            for (int x = 0; x < 3 && !rc; x++) {
                int e = REVOPS_ENTITY_USAGE;
                rc = revops_gen__id(g, e, "A-", a->id);
                if (!rc)
                    rc = revops_gen__plain(g, e, month, mlen);
                if (!rc)
                    rc = revops_gen__text(g, e, metrics[x]);
                if (!rc)
                    rc = revops_gen__int(g, e, (int64_t)llround(values[x]));
                if (!rc)
                    rc = revops_gen__end(g, e);
            }
        }
    }
    return rc;
}

int revops_gen__write_streams(gen *g)
{
    int rc = write_activities(g, g->lead_order, g->opp_order);
    if (!rc)
        rc = write_contracts(g, g->opp_order);
    if (!rc)
        rc = write_tickets_and_usage(g, g->account_order);
    return rc;
}
