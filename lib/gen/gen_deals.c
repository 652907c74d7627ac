/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deals and everything that hangs on them. New business is planned month by month (seasonal,
 * growing) and each deal walks the stages with realistic durations until it is won, lost or
 * still open when the history ends. Won retainers (content strategy, enterprise SEO) become
 * subscriptions, whose renewals, upsells and win-backs are new deals in turn, processed in
 * date order. The leads behind the deals are then derived from them, with the leads that
 * never converted added in the funnel's proportions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "gen/gen_internal.h"

/* Share of new-business deals in the total: renewals, upsells and win-backs make the rest. */
#define NEW_BUSINESS_SHARE 0.87
/* Funnel: lead -> MQL 30 %, MQL -> SQL 60 %, SQL -> opportunity 85 %. */
#define P_MQL 0.30
#define P_SQL 0.60
#define P_OPP 0.85

static const double product_weight[P_COUNT] = {0.45, 0.35, 0.20};
static const double win_rate[P_COUNT] = {0.31, 0.26, 0.24};
/* Mean days in qualification, discovery, proposal, negotiation, and a product's pace. */
static const double stage_days[4] = {10, 18, 21, 14};
static const double product_pace[P_COUNT] = {0.6, 1.0, 1.8};
static const double region_weight[RG_COUNT] = {0.38, 0.20, 0.30, 0.12};

/* ---- windows of the two experiments ---- */

void revops_gen__experiment_window(const gen *g, int which, revops_day *from, revops_day *to)
{
    double len = (double)(g->end - g->start);
    double a = which == 0 ? 0.35 : 0.55, b = which == 0 ? 0.50 : 0.75;
    *from = g->start + (revops_day)(a * len);
    *to = g->start + (revops_day)(b * len);
}

/* ---- deals ---- */

static int32_t pick_rep(gen *g, const int32_t *reps, size_t n, int region, revops_day day)
{
    int32_t found[512];
    size_t k = 0;
    for (size_t i = 0; i < n && k < 512; i++)
        if ((region < 0 || g->reps[reps[i]].region == region) &&
            revops_gen__rep_active(g, reps[i], day))
            found[k++] = reps[i];
    if (k == 0 && region >= 0)
        return pick_rep(g, reps, n, -1, day);
    if (k == 0) {
        /* Nobody was working yet: the earliest hire takes it. */
        int32_t best = reps[0];
        for (size_t i = 1; i < n; i++)
            if (g->reps[reps[i]].hired < g->reps[best].hired)
                best = reps[i];
        return best;
    }
    return found[revops_gen__below(g, k)];
}

/* A first-offer amount in minor units of the account's currency. */
static int64_t deal_amount(gen *g, int product, int currency, revops_day day)
{
    static const double median[P_COUNT] = {300000, 700000, 4000000};
    static const double low[P_COUNT] = {150000, 300000, 1500000};
    static const double high[P_COUNT] = {600000, 1500000, 12000000};
    double rub = median[product] * exp(gsl_ran_gaussian(g->rng, 0.35));
    rub = rub < low[product] ? low[product] : rub > high[product] ? high[product] : rub;
    if (currency == C_RUB)
        return (int64_t)llround(rub / 1000.0) * 100000; /* whole thousands of roubles */
    double units = rub / revops_gen__fx(g, currency, day);
    return (int64_t)llround(units / 100.0) * 10000; /* whole hundreds of dollars or euros */
}

static int64_t scale_amount(int64_t amount, double factor)
{
    /* Keep changed amounts in whole hundreds of the currency. */
    return (int64_t)llround((double)amount * factor / 10000.0) * 10000;
}

static revops_day month_end(revops_day day)
{
    return revops_month_last_day(revops_day_month(day));
}

static void add_step(gen_opp *o, revops_time at, int from, int to, int64_t amount, revops_day close)
{
    if (o->nsteps >= GEN_MAX_STEPS)
        return;
    gen_step *s = &o->steps[o->nsteps++];
    s->at = at;
    s->from = (int8_t)from;
    s->to = (int8_t)to;
    s->amount = amount;
    s->close = close;
}

/*
 * Walks a deal through the stages from its creation: a gamma-distributed time in each stage
 * (slower for bigger products), a win or a loss at the end of some stage, close dates pushed
 * when a stage overruns them, amounts revised at proposal and discounted in negotiation. What
 * would happen after the last day of the history does not happen: the deal stays open.
 */
static void simulate(gen *g, gen_opp *o)
{
    const gen_rep *owner = &g->reps[o->owner];
    double p = o->type == T_RENEWAL ? 0.60 : o->type == T_EXPANSION ? 0.40 : win_rate[o->product];
    p *= sqrt(owner->performance);
    if (o->experiment_variant == 1)
        p += 0.05;
    int won = revops_gen__chance(g, p);
    int lost_at = -1;
    if (!won) {
        static const double exit_weight[4] = {0.35, 0.30, 0.20, 0.15};
        lost_at = (int)revops_gen__pick(g, exit_weight, 4);
    }
    double pace = product_pace[o->product] * (o->type == T_NEW ? 1.0 : 0.6);
    double expected = 0;
    for (int k = 0; k < 4; k++)
        expected += stage_days[k] * pace;
    revops_day close = month_end(revops_time_day(o->created) + (revops_day)expected);
    revops_time end = revops_day_time(g->end) + 86399;
    int64_t amount = o->amount;
    revops_time t = o->created;
    int start_stage = o->type == T_RENEWAL ? S_DISC : S_QUAL;
    add_step(o, t, -1, start_stage, amount, close);
    /* 15 % of deals never get their close dates pushed: they go overdue. One deal in twenty
     * stalls in some stage for months. */
    int pusher = !revops_gen__chance(g, 0.15);
    int stall_at = revops_gen__chance(g, 0.05) ? (int)revops_gen__below(g, 4) : -1;
    int stage = start_stage;
    for (;;) {
        double days = revops_gen__gamma_days(g, stage_days[stage] * pace, 2.0);
        if (stage == stall_at)
            days = revops_gen__gamma_days(g, 4 * stage_days[stage] * pace, 0.8) + days;
        revops_time next = t + (revops_time)(days * 86400.0) + 3600;
        /* Pushes: while the stage outlasts the expected close date, move it on. */
        while (pusher && o->pushes < 3 && revops_day_time(close) + 86400 < next &&
               revops_day_time(close) + 86400 < end) {
            revops_time at =
                revops_gen__work_time(g, close + 1 + (revops_day)revops_gen__below(g, 4));
            if (at >= next || at > end || at <= t)
                break;
            close = month_end(close + 20 + (revops_day)revops_gen__below(g, 25));
            add_step(o, at, stage, stage, amount, close);
            o->pushes++;
        }
        if (next > end) {
            o->stage = (uint8_t)stage;
            o->closed = REVOPS_NO_TIME;
            o->close_date = close;
            break;
        }
        t = next;
        if (stage == lost_at) {
            add_step(o, t, stage, S_LOST, amount, revops_time_day(t));
            o->stage = S_LOST;
            o->closed = t;
            o->close_date = revops_time_day(t);
            break;
        }
        if (stage == S_NEGO) {
            add_step(o, t, stage, S_WON, amount, revops_time_day(t));
            o->stage = S_WON;
            o->closed = t;
            o->close_date = revops_time_day(t);
            break;
        }
        int to = stage + 1;
        if (to == S_PROP && revops_gen__chance(g, 0.35))
            amount = scale_amount(amount, 0.85 + 0.35 * revops_gen__uniform(g));
        else if (to == S_NEGO && revops_gen__chance(g, 0.20))
            amount = scale_amount(amount, 0.90 + 0.08 * revops_gen__uniform(g));
        if (amount <= 0)
            amount = 10000;
        add_step(o, t, stage, to, amount, close);
        stage = to;
    }
    o->amount = amount;
    if (o->stage == S_LOST) {
        static const double reason_weight[5] = {0.30, 0.25, 0.20, 0.15, 0.10};
        o->lost_reason = (uint8_t)(1 + revops_gen__pick(g, reason_weight, 5));
        /* Reps leave the reason empty now and then, as in every CRM. */
        if (revops_gen__chance(g, 0.06))
            o->lost_reason = 0;
        if (o->lost_reason == 3 || revops_gen__chance(g, 0.3))
            o->competitor = (uint8_t)(1 + revops_gen__below(g, 4));
    }
}

static int new_account(gen *g, revops_time created, int region, uint32_t *out)
{
    gen_account *a;
    int rc = revops_gen__push_account(g, &a);
    if (rc)
        return rc;
    a->created = created;
    a->first_item = -1;
    a->manager = -1;
    a->churned = REVOPS_NO_DAY;
    a->company = (uint32_t)(g->naccounts - 1);
    a->region = (uint8_t)region;
    a->currency = region == RG_INTL ? (revops_gen__chance(g, 0.6) ? C_USD : C_EUR) : C_RUB;
    a->industry = (uint8_t)revops_gen__below(g, revops_gen__nindustries);
    a->employees = (uint16_t)fmin(60000, 10 + exp(3.5 + 1.6 * gsl_ran_gaussian(g->rng, 1.0)));
    *out = (uint32_t)(g->naccounts - 1);
    return 0;
}

static void set_segment(gen_account *a, int product)
{
    if (product == P_ENTERPRISE || a->employees > 1000)
        a->segment = 2;
    else if (product == P_CONTENT || a->employees > 100)
        a->segment = 1;
    else
        a->segment = 0;
}

/* A new-business deal created on `day`, with its own new account. */
static int plan_new_deal(gen *g, revops_day day, int region, int32_t *out)
{
    uint32_t account;
    revops_time created = revops_gen__work_time(g, day);
    int rc = new_account(g, created, region, &account);
    gen_opp *o;
    if (rc || (rc = revops_gen__push_opp(g, &o)))
        return rc;
    o->account = account;
    o->lead = -1;
    o->renews = -1;
    o->item = -1;
    o->created = created;
    o->type = T_NEW;
    o->product = (uint8_t)revops_gen__pick(g, product_weight, P_COUNT);
    o->from_lead = revops_gen__chance(g, 0.85);
    gen_account *a = &g->accounts[account];
    set_segment(a, o->product);
    o->owner = pick_rep(g, g->ae, g->nae, region, day);
    a->owner = o->owner;
    o->amount = deal_amount(g, o->product, a->currency, day);
    o->experiment_variant = -1;
    revops_day from, to;
    revops_gen__experiment_window(g, 1, &from, &to);
    if (day >= from && day < to)
        o->experiment_variant = (int8_t)revops_gen__chance(g, 0.5);
    simulate(g, o);
    *out = (int32_t)(g->nopps - 1);
    return 0;
}

static revops_day random_weekday_in_month(gen *g, int m)
{
    revops_day first = revops_gen__add_months(g->start, m);
    revops_day last = revops_gen__add_months(g->start, m + 1) - 1;
    if (last > g->end)
        last = g->end;
    revops_day day = first + (revops_day)revops_gen__below(g, (size_t)(last - first + 1));
    day = revops_gen__weekday_on_or_after(day);
    return day > last ? last : day;
}

static int plan_new_business(gen *g, size_t count)
{
    double total = 0;
    for (int m = 0; m < g->months; m++)
        total += revops_gen__month_weight(g, m);
    double cum = 0;
    size_t planned = 0;
    int rc = 0;
    for (int m = 0; m < g->months && !rc; m++) {
        cum += revops_gen__month_weight(g, m);
        size_t target = (size_t)llround((double)count * cum / total);
        for (; planned < target && !rc; planned++) {
            int32_t idx;
            rc = plan_new_deal(g, random_weekday_in_month(g, m),
                               (int)revops_gen__pick(g, region_weight, RG_COUNT), &idx);
        }
        revops_gen__progress(g, "planning deals", planned, count);
    }
    return rc;
}

/* ---- subscriptions: renewals, upsells and win-backs in date order ---- */

enum { EV_WON, EV_END };

typedef struct event {
    revops_day day;
    uint32_t seq;
    uint8_t kind;
    uint32_t index;
} event;

typedef struct heap {
    event *items;
    size_t n, cap;
    uint32_t seq;
} heap;

static int earlier(const event *a, const event *b)
{
    return a->day != b->day ? a->day < b->day : a->seq < b->seq;
}

static int heap_push(heap *h, revops_day day, int kind, uint32_t index)
{
    int rc = revops_array__grow((void **)&h->items, &h->cap, h->n + 1, sizeof(*h->items));
    if (rc)
        return rc;
    size_t i = h->n++;
    event ev = {day, h->seq++, (uint8_t)kind, index};
    while (i > 0 && earlier(&ev, &h->items[(i - 1) / 2])) {
        h->items[i] = h->items[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->items[i] = ev;
    return 0;
}

static event heap_pop(heap *h)
{
    event top = h->items[0];
    event last = h->items[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && earlier(&h->items[c + 1], &h->items[c]))
            c++;
        if (!earlier(&h->items[c], &last))
            break;
        h->items[i] = h->items[c];
        i = c;
    }
    if (h->n > 0)
        h->items[i] = last;
    return top;
}

static int is_retainer(int product)
{
    return product == P_CONTENT || product == P_ENTERPRISE;
}

/* A follow-on deal (renewal, upsell or win-back) of an existing account. */
static int follow_on(gen *g, heap *h, uint32_t account, int type, int product, revops_day day,
                     int64_t amount, int32_t renews)
{
    if (day > g->end)
        return 0;
    gen_opp *o;
    int rc = revops_gen__push_opp(g, &o);
    if (rc)
        return rc;
    gen_account *a = &g->accounts[account];
    o->account = account;
    o->lead = -1;
    o->renews = renews;
    o->item = -1;
    o->created = revops_gen__work_time(g, revops_gen__weekday_on_or_after(day));
    if (revops_time_day(o->created) > g->end)
        o->created = revops_gen__work_time(g, g->end);
    o->type = (uint8_t)type;
    o->product = (uint8_t)product;
    o->experiment_variant = -1;
    if (type == T_NEW) {
        o->owner = pick_rep(g, g->ae, g->nae, a->region, day);
    } else {
        if (a->manager < 0 || !revops_gen__rep_active(g, a->manager, day))
            a->manager = pick_rep(g, g->am, g->nam, -1, day);
        o->owner = a->manager;
    }
    o->amount = amount > 0 ? amount : 10000;
    simulate(g, o);
    if (o->stage == S_WON && is_retainer(product))
        return heap_push(h, revops_time_day(o->closed), EV_WON, (uint32_t)(g->nopps - 1));
    return 0;
}

static int account_active_after(const gen *g, const gen_account *a, revops_day day, int32_t skip)
{
    for (int32_t i = a->first_item; i >= 0; i = g->items[i].next)
        if (i != skip && g->items[i].start <= day && g->items[i].end > day)
            return 1;
    return 0;
}

static int start_item(gen *g, heap *h, uint32_t opp_index)
{
    gen_opp *o = &g->opps[opp_index];
    uint32_t account = o->account;
    revops_day closed = revops_time_day(o->closed);
    revops_day start = closed + 3 + (revops_day)revops_gen__below(g, 8);
    if (o->renews >= 0 && g->items[o->renews].term_end >= closed)
        start = g->items[o->renews].term_end; /* renewed in time: no gap */
    int term = o->product == P_ENTERPRISE && revops_gen__chance(g, 0.3) ? 24 : 12;
    gen_item *it;
    int rc = revops_gen__push_item(g, &it);
    if (rc)
        return rc;
    int32_t index = (int32_t)(g->nitems - 1);
    it->account = account;
    it->opp = opp_index;
    it->product = o->product;
    it->start = start;
    it->term_end = revops_gen__add_months(start, term);
    /* Monthly fee in whole roubles (or dollars, euros). */
    it->mrr = o->amount / term / 100 * 100;
    if (it->mrr <= 0)
        it->mrr = 100;
    int early = revops_gen__chance(g, 0.07);
    it->end = early ? revops_gen__add_months(start, 2 + (int)revops_gen__below(g, (size_t)term - 2))
                    : it->term_end;
    gen_account *a = &g->accounts[account];
    it->next = a->first_item;
    a->first_item = index;
    o = &g->opps[opp_index];
    o->item = index;
    if ((rc = heap_push(h, it->end, EV_END, (uint32_t)index)))
        return rc;
    revops_day end = it->end;
    int64_t mrr = it->mrr;
    int product = it->product;
    if (!early) {
        /* The renewal is worked 45 days before the term ends. */
        int64_t offer = scale_amount(mrr * 12, 0.85 + 0.40 * revops_gen__uniform(g));
        if ((rc = follow_on(g, h, account, T_RENEWAL, product, end - 45, offer, index)))
            return rc;
    }
    if (revops_gen__chance(g, 0.22)) {
        revops_day day = start + 60 + (revops_day)revops_gen__below(g, 180);
        if (day < end) {
            int up = product == P_CONTENT && revops_gen__chance(g, 0.3) ? P_ENTERPRISE : P_CONTENT;
            int64_t offer = scale_amount(mrr * 12, 0.3 + 0.4 * revops_gen__uniform(g));
            rc = follow_on(g, h, account, T_EXPANSION, up, day, offer, -1);
        }
    }
    return rc;
}

static int end_item(gen *g, heap *h, uint32_t index)
{
    const gen_item *it = &g->items[index];
    gen_account *a = &g->accounts[it->account];
    if (it->end > g->end || account_active_after(g, a, it->end, (int32_t)index))
        return 0;
    a->churned = it->end;
    /* Some churned customers come back within a year. */
    if (!revops_gen__chance(g, 0.18))
        return 0;
    revops_day day = it->end + 90 + (revops_day)revops_gen__below(g, 180);
    int64_t offer = scale_amount(it->mrr * 12, 0.8 + 0.4 * revops_gen__uniform(g));
    return follow_on(g, h, it->account, T_NEW, P_CONTENT, day, offer, -1);
}

static int run_subscriptions(gen *g)
{
    heap h = {0};
    int rc = 0;
    for (size_t i = 0; i < g->nopps && !rc; i++) {
        const gen_opp *o = &g->opps[i];
        if (o->stage == S_WON && is_retainer(o->product))
            rc = heap_push(&h, revops_time_day(o->closed), EV_WON, (uint32_t)i);
    }
    while (!rc && h.n > 0) {
        event ev = heap_pop(&h);
        rc = ev.kind == EV_WON ? start_item(g, &h, ev.index) : end_item(g, &h, ev.index);
    }
    free(h.items);
    return rc;
}

/* Makes the deal count exactly the scale: drops one-off audit deals that nothing depends on,
 * or plans more of them. */
static int exact_count(gen *g)
{
    size_t target = (size_t)g->opts->scale;
    int rc = 0;
    while (g->nopps < target && !rc) {
        int32_t idx;
        int m = (int)revops_gen__below(g, (size_t)g->months);
        rc = plan_new_deal(g, random_weekday_in_month(g, m),
                           (int)revops_gen__pick(g, region_weight, RG_COUNT), &idx);
        if (!rc && g->opps[idx].product != P_AUDIT) {
            /* Only audits are added, so that no subscription follows from them. */
            g->opps[idx].product = P_AUDIT;
            g->opps[idx].amount =
                deal_amount(g, P_AUDIT, g->accounts[g->opps[idx].account].currency,
                            revops_time_day(g->opps[idx].created));
            g->opps[idx].nsteps = 0;
            g->opps[idx].pushes = 0;
            simulate(g, &g->opps[idx]);
        }
    }
    size_t live = g->nopps;
    for (size_t i = g->nopps; i-- > 0 && live > target;) {
        gen_opp *o = &g->opps[i];
        if (o->type == T_NEW && o->product == P_AUDIT && o->renews < 0 &&
            g->accounts[o->account].first_item < 0 && (i % 3) == 0) {
            o->removed = 1;
            g->accounts[o->account].removed = 1;
            live--;
        }
    }
    for (size_t i = g->nopps; i-- > 0 && live > target;) {
        gen_opp *o = &g->opps[i];
        if (!o->removed && o->type == T_NEW && o->product == P_AUDIT &&
            g->accounts[o->account].first_item < 0) {
            o->removed = 1;
            g->accounts[o->account].removed = 1;
            live--;
        }
    }
    if (!rc && live != target)
        rc = revops_error__set(REVOPS_EINTERNAL, "generator planned %zu deals for scale %zu", live,
                               target);
    return rc;
}

/* ---- leads ---- */

static revops_time gap(gen *g, double mean_days)
{
    return (revops_time)(revops_gen__gamma_days(g, mean_days, 1.5) * 86400.0) + 600;
}

static int32_t pick_sdr(gen *g, revops_day day)
{
    return pick_rep(g, g->sdr, g->nsdr, -1, day);
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
        if (l->source != 5 /* outbound: the SDR made the lead */)
            l->first_response = first_response(g, l);
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
            l->created = revops_gen__work_time(g, random_weekday_in_month(g, m));
            l->mql = l->sql = l->converted = l->disqualified = REVOPS_NO_TIME;
            l->opp = -1;
            /* One lead in fifty is a company submitting again: a duplicate email. */
            l->company = made > 0 && revops_gen__chance(g, 0.02) ? g->leads[g->nleads - 2].company
                                                                 : company++;
            l->source = (uint8_t)source_for(g);
            l->industry = (uint8_t)revops_gen__below(g, revops_gen__nindustries);
            l->region = (uint8_t)revops_gen__pick(g, region_weight, RG_COUNT);
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
            double dq = depth == 0 ? 0.55 : depth == 1 ? 0.5 : 0.6;
            if (revops_gen__chance(g, dq) && (t += gap(g, 8)) < end) {
                l->disqualified = t;
                l->stage = 5;
                l->disqualify_reason = (uint8_t)(1 + revops_gen__below(g, 6));
            }
            l->score =
                (uint8_t)fmin(100, fmax(0, (depth ? 55 : 30) + 15 * gsl_ran_gaussian(g->rng, 1.0)));
            finish_lead(g, l, depth > 0 || revops_gen__chance(g, 0.6));
        }
    }
    return 0;
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

int revops_gen__deals(gen *g)
{
    size_t planned = (size_t)llround(NEW_BUSINESS_SHARE * (double)g->opts->scale);
    if (planned == 0)
        planned = 1;
    int rc = plan_new_business(g, planned);
    if (!rc)
        rc = run_subscriptions(g);
    if (!rc)
        rc = exact_count(g);
    size_t converting = g->nleads;
    if (!rc)
        rc = leads_from_deals(g);
    converting = g->nleads - converting;
    if (!rc)
        rc = other_leads(g, converting);
    revops_gen__progress(g, "planning deals", 1, 1);
    return rc;
}

/* The orders in which deals, leads and accounts are written (and numbered). */
int revops_gen__number(gen *g, uint32_t **opp_order, uint32_t **lead_order,
                       uint32_t **account_order)
{
    *opp_order = *lead_order = *account_order = NULL;
    int rc = number_by_time(g->nopps, opp_time, opp_set, g, opp_order);
    if (!rc)
        rc = number_by_time(g->nleads, lead_time, lead_set, g, lead_order);
    if (!rc)
        rc = number_by_time(g->naccounts, account_time, account_set, g, account_order);
    return rc;
}
