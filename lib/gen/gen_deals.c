/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deals and everything that hangs on them. New business is planned month by month (seasonal,
 * growing) and each deal walks the stages with realistic durations until it is won, lost or
 * still open when the history ends. Won retainers (content strategy, enterprise SEO) become
 * subscriptions, whose renewals, upsells and win-backs are new deals in turn, processed in
 * date order. The leads behind the deals follow (gen_leads.c).
 */
#include <math.h>
#include <stdlib.h>

#include "core/error.h"
#include "gen/gen_internal.h"

/* Share of new-business deals in the total: renewals, upsells and win-backs make the rest. */
#define NEW_BUSINESS_SHARE 0.87

static const double product_weight[P_COUNT] = {0.45, 0.35, 0.20};
/* New-business win rates by product (before the owner's skill): audits are the easiest sale,
 * enterprise campaigns the hardest; together 25-35 %. */
static const double win_rate[P_COUNT] = {0.31, 0.26, 0.25};
/* Renewals and upsells are sold to customers who already know the agency. */
#define WIN_RENEWAL 0.66
#define WIN_EXPANSION 0.36
/* Share of the deals lost in the last half year of the history that their reps have not
 * closed out yet: they stay open, past their close dates (the overdue deals of every CRM). */
#define P_NOT_CLOSED_OUT 0.2
/* Mean days in qualification, discovery, proposal, negotiation, and a product's pace. */
static const double stage_days[4] = {10, 18, 21, 14};
static const double product_pace[P_COUNT] = {0.6, 1.0, 1.8};
/* Where new business comes from: Moscow, Saint Petersburg, Kazan, Novosibirsk, Yekaterinburg,
 * international (the USD and EUR accounts). */
const double revops_gen__region_weight[RG_COUNT] = {0.38, 0.20, 0.10, 0.10, 0.10, 0.12};

double revops_gen__base_win_rate(int product, int type)
{
    return type == T_RENEWAL     ? WIN_RENEWAL
           : type == T_EXPANSION ? WIN_EXPANSION
                                 : win_rate[product];
}

double revops_gen__cycle_days(int product, int type)
{
    double pace = product_pace[product] * (type == T_NEW ? 1.0 : 0.6);
    double days = 0;
    for (int k = type == T_RENEWAL ? S_DISC : S_QUAL; k < 4; k++)
        days += stage_days[k] * pace;
    return days;
}

/* ---- windows of the two experiments ---- */

void revops_gen__experiment_window(const gen *g, int which, revops_day *from, revops_day *to)
{
    double len = (double)(g->end - g->start);
    double a = which == 0 ? 0.35 : 0.55, b = which == 0 ? 0.50 : 0.75;
    *from = g->start + (revops_day)(a * len);
    *to = g->start + (revops_day)(b * len);
}

/* ---- deals ---- */

/*
 * A rep of the list who works on `day`, uniformly: random draws first (nearly every rep of a
 * list is employed on any day), then a count-and-index pass when the draws keep missing. When
 * nobody works yet, the earliest hire takes it.
 */
int32_t revops_gen__pick_rep(gen *g, const int32_t *reps, size_t n, revops_day day)
{
    if (n == 0)
        return -1;
    for (int tries = 0; tries < 16; tries++) {
        int32_t r = reps[revops_gen__below(g, n)];
        if (revops_gen__rep_active(g, r, day))
            return r;
    }
    size_t active = 0;
    for (size_t i = 0; i < n; i++)
        active += (size_t)revops_gen__rep_active(g, reps[i], day);
    if (active > 0) {
        size_t k = revops_gen__below(g, active);
        for (size_t i = 0; i < n; i++)
            if (revops_gen__rep_active(g, reps[i], day) && k-- == 0)
                return reps[i];
    }
    int32_t best = reps[0];
    for (size_t i = 1; i < n; i++)
        if (g->reps[reps[i]].hired < g->reps[best].hired)
            best = reps[i];
    return best;
}

/* The AE who takes a new deal: from the region's enterprise pool for enterprise campaigns,
 * else from its core pool; any AE when that pool has nobody at work. */
static int32_t pick_ae(gen *g, int region, int product, revops_day day)
{
    int pool = product == P_ENTERPRISE;
    size_t n = g->nae_pool[region][pool];
    const int32_t *reps = g->ae_pool[region][pool];
    for (size_t i = 0; i < n; i++)
        if (revops_gen__rep_active(g, reps[i], day))
            return revops_gen__pick_rep(g, reps, n, day);
    return revops_gen__pick_rep(g, g->ae, g->nae, day);
}

/* A first-offer amount in minor units of the account's currency. */
/* Price ranges in roubles: a first offer is drawn around the median and kept in the range. */
static const double price_median[P_COUNT] = {300000, 700000, 4000000};
static const double price_low[P_COUNT] = {150000, 300000, 1500000};
static const double price_high[P_COUNT] = {600000, 1500000, 12000000};

static int64_t deal_amount(gen *g, int product, int currency, revops_day day)
{
    const double *median = price_median, *low = price_low, *high = price_high;
    double rub = median[product] * exp(gsl_ran_gaussian(g->rng, 0.35));
    rub = rub < low[product] ? low[product] : rub > high[product] ? high[product] : rub;
    if (currency == C_RUB)
        return (int64_t)llround(rub / 1000.0) * 100000; /* whole thousands of roubles */
    double units = rub / revops_gen__fx(g, currency, day);
    return (int64_t)llround(units / 100.0) * 10000; /* whole hundreds of dollars or euros */
}

/* The highest price of a product in minor units of a currency, in whole hundreds. */
static int64_t product_ceiling(gen *g, int product, int currency, revops_day day)
{
    double units = price_high[product] / revops_gen__fx(g, currency, day);
    return (int64_t)llround(units / 100.0) * 10000;
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
    double p = revops_gen__base_win_rate(o->product, o->type);
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
    int start_stage = o->type == T_RENEWAL ? S_DISC : S_QUAL;
    /* A renewal starts in discovery, so it can only be lost from there on. */
    if (lost_at >= 0 && lost_at < start_stage)
        lost_at = start_stage;
    /* Reps set hopeful close dates: 60-100 % of the typical cycle, at a month end. */
    double expected = 0;
    for (int k = start_stage; k < 4; k++)
        expected += stage_days[k] * pace;
    expected *= 0.6 + 0.4 * revops_gen__uniform(g);
    revops_day close = month_end(revops_time_day(o->created) + (revops_day)expected);
    revops_time end = revops_day_time(g->end) + 86399;
    int64_t amount = o->amount;
    revops_time t = o->created;
    add_step(o, t, -1, start_stage, amount, close);
    /* A third of the deals never get their close dates pushed: when they overrun, they go
     * overdue. One deal in twenty stalls in some stage for months. */
    int pusher = !revops_gen__chance(g, 0.33);
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
        if (stage == lost_at && t > end - 180 * 86400 && revops_gen__chance(g, P_NOT_CLOSED_OUT)) {
            o->stage = (uint8_t)stage;
            o->closed = REVOPS_NO_TIME;
            o->close_date = close;
            break;
        }
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
    /* Payment terms: Russian clients mostly pay within 14 days, some negotiated 21 or 30;
     * foreign ones pay net 30. */
    static const double terms_weight[3] = {0.55, 0.25, 0.20};
    static const uint8_t terms[3] = {14, 21, 30};
    a->terms = a->currency == C_RUB ? terms[revops_gen__pick(g, terms_weight, 3)] : 30;
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
    o->owner = pick_ae(g, region, o->product, day);
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

revops_day revops_gen__weekday_in_month(gen *g, int m)
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
            rc = plan_new_deal(g, revops_gen__weekday_in_month(g, m),
                               (int)revops_gen__pick(g, revops_gen__region_weight, RG_COUNT), &idx);
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
        o->owner = pick_ae(g, a->region, product, day);
    } else {
        if (a->manager < 0 || !revops_gen__rep_active(g, a->manager, day))
            a->manager = revops_gen__pick_rep(g, g->am, g->nam, day);
        o->owner = a->manager;
    }
    /* An offer drawn from an earlier subscription (a renewal, an upsell, a win-back) stays
     * under the product's price ceiling: an enterprise client's upsell of content is priced
     * as content. */
    int64_t ceiling = product_ceiling(g, product, a->currency, day);
    o->amount = amount <= 0 ? 10000 : amount > ceiling ? ceiling : amount;
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
    /* Some churned customers come back within a year, for the service they left. */
    if (!revops_gen__chance(g, 0.18))
        return 0;
    revops_day day = it->end + 90 + (revops_day)revops_gen__below(g, 180);
    int64_t offer = scale_amount(it->mrr * 12, 0.8 + 0.4 * revops_gen__uniform(g));
    return follow_on(g, h, it->account, T_NEW, it->product, day, offer, -1);
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

/*
 * Makes the deal count exactly the scale: drops deals that nothing depends on (no subscription
 * came of them), or plans more one-off audits (which start no subscriptions). Returns 0, or 1
 * with *excess set when too many deals hang on subscriptions to drop enough (tiny scales,
 * where one won retainer brings its renewals along): the caller plans fewer.
 */
static int exact_count(gen *g, size_t *excess)
{
    size_t target = (size_t)g->opts->scale;
    int rc = 0;
    *excess = 0;
    while (g->nopps < target && !rc) {
        int32_t idx;
        int m = (int)revops_gen__below(g, (size_t)g->months);
        rc = plan_new_deal(g, revops_gen__weekday_in_month(g, m),
                           (int)revops_gen__pick(g, revops_gen__region_weight, RG_COUNT), &idx);
        if (!rc && g->opps[idx].product != P_AUDIT) {
            /* Only audits are added, so that no subscription follows from them; a core AE
             * sells them. */
            g->opps[idx].product = P_AUDIT;
            g->opps[idx].owner = pick_ae(g, g->accounts[g->opps[idx].account].region, P_AUDIT,
                                         revops_time_day(g->opps[idx].created));
            g->accounts[g->opps[idx].account].owner = g->opps[idx].owner;
            g->opps[idx].amount =
                deal_amount(g, P_AUDIT, g->accounts[g->opps[idx].account].currency,
                            revops_time_day(g->opps[idx].created));
            g->opps[idx].nsteps = 0;
            g->opps[idx].pushes = 0;
            simulate(g, &g->opps[idx]);
        }
    }
    if (rc)
        return rc;
    /* First every third new-business audit from the end, so that the drop is spread over the
     * history, then any deal without a subscription behind it. A deal's account goes with it
     * when the deal was its only one (new business on a new account). */
    size_t live = g->nopps;
    for (int pass = 0; pass < 2 && live > target; pass++) {
        for (size_t i = g->nopps; i-- > 0 && live > target;) {
            gen_opp *o = &g->opps[i];
            if (o->removed || o->item >= 0)
                continue;
            int lone = o->type == T_NEW && g->accounts[o->account].first_item < 0;
            if (pass == 0 && !(lone && o->product == P_AUDIT && i % 3 == 0))
                continue;
            o->removed = 1;
            if (lone)
                g->accounts[o->account].removed = 1;
            live--;
        }
    }
    if (live > target) {
        *excess = live - target;
        return 1;
    }
    return 0;
}

/* Forgets every planned deal, account and subscription (before planning again). */
static void forget_plan(gen *g)
{
    g->nopps = g->naccounts = g->nitems = 0;
}

int revops_gen__deals(gen *g)
{
    size_t planned = (size_t)llround(NEW_BUSINESS_SHARE * (double)g->opts->scale);
    if (planned == 0)
        planned = 1;
    int rc;
    for (;;) {
        size_t excess = 0;
        rc = plan_new_business(g, planned);
        if (!rc)
            rc = run_subscriptions(g);
        if (!rc)
            rc = exact_count(g, &excess);
        if (rc != 1)
            break;
        /* Too many follow-on deals for a tiny scale: plan again with fewer new deals, down to
         * none (then every deal is a one-off audit and the count is met). */
        forget_plan(g);
        planned = planned > excess ? planned - excess : 0;
    }
    if (!rc)
        rc = revops_gen__leads(g);
    if (!rc)
        rc = revops_gen__number(g);
    revops_gen__progress(g, "planning deals", 1, 1);
    return rc;
}
