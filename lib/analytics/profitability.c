/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `profitability` section (docs/metrics-saas.md "Deal profitability"): each deal won in
 * the analysis period, its value less the sales cost it is charged (its month's sales cost
 * spread over that month's won deals by value, exactly to the minor unit) and its expected
 * delivery cost (its value x the share of revenue delivery took over the last 12 months),
 * with the margin rated against thresholds.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/revrec.h"
#include "analytics/saas.h"
#include "core/error.h"

typedef struct won {
    uint32_t opp;
    const char *id;
    revops_month month;
    revops_day closed;
    int64_t value, sales_cost, delivery_cost, margin;
    double margin_pct; /* NaN when the value is 0 or the delivery cost unknown */
    const char *rating;
} won;

static int by_month_then_id(const void *a, const void *b)
{
    const won *x = a, *y = b;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Worst margin first; deals without one last; then by id. */
static int by_margin(const void *a, const void *b)
{
    const won *x = a, *y = b;
    int xn = isnan(x->margin_pct), yn = isnan(y->margin_pct);
    if (xn != yn)
        return xn ? 1 : -1;
    if (!xn && x->margin_pct != y->margin_pct)
        return x->margin_pct < y->margin_pct ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* Sales cost by month over [from, to], converted at each month's last day (or D). */
static void sales_costs(revops_actx *c, revops_month from, revops_month to, int64_t *out)
{
    const revops_cost_table *t = &c->ds->cost;
    revops_str sales = 0;
    revops_strpool__find(&c->ds->strings, "sales", 5, &sales);
    for (size_t i = 0; i < t->n; i++) {
        revops_month p = t->period[i];
        if (!sales || t->category[i] != sales || p == REVOPS_NO_MONTH || p < from || p > to)
            continue;
        revops_day day = revops_month_last_day(p);
        out[p - from] +=
            revops_actx__money(c, t->amount[i], t->currency[i], day < c->as_of ? day : c->as_of);
    }
}

/* Spreads `cost` over deals[0 .. n) in proportion to their values, exactly. */
static int spread(won *deals, size_t n, int64_t cost, int64_t *unallocated)
{
    int64_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += deals[i].value;
    if (n == 0 || total <= 0) {
        *unallocated += cost;
        return 0;
    }
    revops_rr_line *shares = calloc(n, sizeof(*shares));
    uint64_t *scratch = malloc(n * sizeof(*scratch));
    if (!shares || !scratch) {
        free(shares);
        free(scratch);
        return revops_error__oom();
    }
    for (size_t i = 0; i < n; i++)
        shares[i].ssp = deals[i].value;
    /* A credit (a negative cost) is spread as its opposite, then turned back. */
    int64_t magnitude = cost < 0 ? -cost : cost;
    int rc = revops_revrec__allocate(shares, n, magnitude, total, scratch);
    for (size_t i = 0; i < n && !rc; i++)
        deals[i].sales_cost = cost < 0 ? -shares[i].allocated : shares[i].allocated;
    free(shares);
    free(scratch);
    return rc;
}

static const char *rating(const revops_saas_options *so, double pct)
{
    if (pct >= so->margin_good)
        return "good";
    if (pct >= so->margin_fair)
        return "fair";
    return pct >= 0 ? "poor" : "loss";
}

static void write_section(revops_actx *c, revops_rt_node *n, won *deals, size_t nd,
                          int64_t unallocated, double ratio, const char *why)
{
    const revops_saas_options *so = revops_saas__options(c);
    const revops_dataset *ds = c->ds;
    int64_t value = 0, sales = 0, delivery = 0, margin = 0;
    static const char *const ratings[] = {"good", "fair", "poor", "loss"};
    int64_t rcount[4] = {0}, rvalue[4] = {0}, rmargin[4] = {0};
    for (size_t i = 0; i < nd; i++) {
        value += deals[i].value;
        sales += deals[i].sales_cost;
        delivery += deals[i].delivery_cost;
        margin += deals[i].margin;
        for (int r = 0; r < 4 && deals[i].rating; r++)
            if (strcmp(deals[i].rating, ratings[r]) == 0) {
                rcount[r]++;
                rvalue[r] += deals[i].value;
                rmargin[r] += deals[i].margin;
            }
    }
    revops_rt__count(n, "won_deals", "Deals won", (int64_t)nd);
    revops_rt__money(n, "value", "Value won", value);
    revops_rt__money(n, "sales_cost", "Sales cost charged to them", sales);
    revops_rt__money(n, "sales_cost_unallocated", "Sales cost of months without a won deal",
                     unallocated);
    if (why) {
        revops_rt__na(n, "delivery_ratio", "Delivery cost / revenue (12 months)", why);
        revops_rt__na(n, "delivery_cost", "Expected delivery cost", why);
        revops_rt__na(n, "margin", "Margin", why);
        revops_rt__na(n, "margin_pct", "Margin %", why);
    } else {
        revops_rt__ratio(n, "delivery_ratio", "Delivery cost / revenue (12 months)", ratio);
        revops_rt__money(n, "delivery_cost", "Expected delivery cost", delivery);
        revops_rt__money(n, "margin", "Margin", margin);
        if (value > 0)
            revops_rt__ratio(n, "margin_pct", "Margin %", (double)margin / (double)value);
        else
            revops_rt__na(n, "margin_pct", "Margin %", "no value won");
    }
    revops_rt__ratio(n, "margin_good", NULL, so->margin_good);
    revops_rt__ratio(n, "margin_fair", NULL, so->margin_fair);
    static const revops_rt_column rcols[] = {
        {"rating", "rating", REVOPS_RT_TEXT, 0, 0},
        {"deals", "deals", REVOPS_RT_COUNT, 0, 0},
        {"value", "value", REVOPS_RT_MONEY, 0, 0},
        {"margin", "margin", REVOPS_RT_MONEY, 0, 0},
    };
    revops_rt_table *tr = revops_rt__table(n, "ratings", "Deals by rating", rcols, 4);
    for (int r = 0; r < 4 && !why; r++) {
        revops_rt__row(tr);
        revops_rt__cell_text(tr, ratings[r]);
        revops_rt__cell_count(tr, rcount[r]);
        revops_rt__cell_money(tr, rvalue[r]);
        revops_rt__cell_money(tr, rmargin[r]);
    }
    static const revops_rt_column cols[] = {
        {"id", "deal", REVOPS_RT_TEXT, 0, 0},
        {"name", "name", REVOPS_RT_TEXT, 0, 0},
        {"account_id", "account", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"owner_id", "owner", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"closed", "won on", REVOPS_RT_DAY, 0, 0},
        {"value", "value", REVOPS_RT_MONEY, 0, 0},
        {"sales_cost", "sales cost", REVOPS_RT_MONEY, 0, 0},
        {"delivery_cost", "delivery cost", REVOPS_RT_MONEY, 0, 0},
        {"margin", "margin", REVOPS_RT_MONEY, 0, 0},
        {"margin_pct", "margin %", REVOPS_RT_RATIO, 0, 0},
        {"rating", "rating", REVOPS_RT_TEXT, 0, 0},
    };
    revops_rt_table *t = revops_rt__table(n, "deals", "Won deals, lowest margin first", cols,
                                          sizeof(cols) / sizeof(cols[0]));
    revops_rt__text_limit(t, 20);
    qsort(deals, nd, sizeof(*deals), by_margin);
    const revops_opportunity_table *o = &ds->opportunity;
    for (size_t i = 0; i < nd; i++) {
        const won *w = &deals[i];
        revops_rt__row(t);
        revops_rt__cell_text(t, w->id);
        revops_rt__cell_text(t, revops_dataset__str(ds, o->name[w->opp]));
        revops_rt__cell_text(t, revops_dataset__str(ds, o->account_id[w->opp]));
        revops_rt__cell_text(t, revops_dataset__str(ds, o->owner_id[w->opp]));
        revops_rt__cell_day(t, w->closed);
        revops_rt__cell_money(t, w->value);
        revops_rt__cell_money(t, w->sales_cost);
        if (why) {
            revops_rt__cell_null(t);
            revops_rt__cell_null(t);
            revops_rt__cell_null(t);
            revops_rt__cell_null(t);
            continue;
        }
        revops_rt__cell_money(t, w->delivery_cost);
        revops_rt__cell_money(t, w->margin);
        revops_rt__cell_ratio(t, w->margin_pct);
        revops_rt__cell_text(t, w->rating);
    }
}

int revops_analytics__profitability(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    (void)k;
    const revops_dataset *ds = c->ds;
    const revops_period *p = &c->period;
    revops_rt_node *n = revops_rt__section(root, "profitability", "Deal profitability");
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(p, label);
    revops_rt__text(n, "period", "Period", label);
    revops_rt__text(n, "currency", NULL, c->currency);
    if (p->start > c->as_of) {
        revops_rt__na(n, "won_deals", "Deals won", "the period starts after the as-of day");
        return 0;
    }
    revops_day last = p->end - 1 < c->as_of ? p->end - 1 : c->as_of;
    revops_month from = revops_day_month(p->start), to = revops_day_month(last);
    size_t nm = (size_t)(to - from) + 1;
    won *deals = malloc((ds->opportunity.n ? ds->opportunity.n : 1) * sizeof(*deals));
    int64_t *costs = calloc(nm, sizeof(*costs));
    revops_mrr m;
    memset(&m, 0, sizeof(m));
    int rc = 0;
    if (!deals || !costs) {
        rc = revops_error__oom();
        goto done;
    }
    size_t nd = 0;
    for (size_t i = 0; i < ds->opportunity.n; i++) {
        revops_deal d = c->now[i];
        if (!d.won || d.closed < p->start || d.closed > last)
            continue;
        won *w = &deals[nd++];
        memset(w, 0, sizeof(*w));
        w->opp = (uint32_t)i;
        w->id = revops_dataset__str(ds, ds->opportunity.id[i]);
        w->closed = d.closed;
        w->month = revops_day_month(d.closed);
        w->value = revops_actx__money(c, d.amount, ds->opportunity.currency[i], d.closed);
        w->margin_pct = NAN;
    }
    qsort(deals, nd, sizeof(*deals), by_month_then_id);
    sales_costs(c, from, to, costs);
    int64_t unallocated = 0;
    for (size_t i = 0, mo = 0; mo < nm && !rc; mo++) {
        size_t j = i;
        while (j < nd && deals[j].month == from + (revops_month)mo)
            j++;
        rc = spread(deals + i, j - i, costs[mo], &unallocated);
        i = j;
    }
    if (rc)
        goto done;
    /* The delivery share of revenue over the 12 months to D's month. */
    if (ds->contract_line.n == 0 && (rc = revops_mrr__build(&m, c)))
        goto done;
    revops_month now = revops_day_month(c->as_of);
    double ratio = NAN;
    const char *why = NULL;
    if ((rc = revops_saas__delivery_ratio(c, &m, now - 11, now, &ratio, &why)))
        goto done;
    const revops_saas_options *so = revops_saas__options(c);
    for (size_t i = 0; i < nd && !why; i++) {
        won *w = &deals[i];
        w->delivery_cost = (int64_t)llround((double)w->value * ratio);
        w->margin = w->value - w->sales_cost - w->delivery_cost;
        if (w->value > 0) {
            w->margin_pct = (double)w->margin / (double)w->value;
            w->rating = rating(so, w->margin_pct);
        }
    }
    write_section(c, n, deals, nd, unallocated, ratio, why);
done:
    free(deals);
    free(costs);
    revops_mrr__free(&m);
    return rc;
}
