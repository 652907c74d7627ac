/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Unit economics (docs/metrics-saas.md "Unit economics"): gross margin, LTV, CAC, CAC payback
 * and LTV:CAC by month, by fiscal quarter and for the analysis period, from the MRR grid, the
 * cost table and the recognized revenue. Each value whose denominator is zero (or that lacks
 * an input) is n/a with the reason.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/revrec.h"
#include "analytics/saas.h"
#include "core/error.h"

/* What a month or a span of months adds up to. */
typedef struct sums {
    int64_t sales_marketing, delivery, revenue, new_mrr, new_customers;
    int64_t revenue_costed; /* revenue of the months with a delivery cost row */
    int delivery_rows;      /* cost rows of category delivery */
} sums;

typedef struct ue {
    revops_actx *c;
    const revops_mrr *m;
    const revops_saas_rates *rates;
    revops_month first; /* months first .. the month of D */
    size_t n;
    sums *month; /* by month */
    double gross_margin_option;
} ue;

/* A value and why it is missing (NULL when present). */
typedef struct val {
    double v;
    const char *why;
} val;

static val missing(const char *why)
{
    return (val){NAN, why};
}

static val present(double v)
{
    return (val){v, NULL};
}

/* Costs of the months up to D's, converted at the rate of each month's last day (or D). */
static void add_costs(ue *u)
{
    const revops_cost_table *t = &u->c->ds->cost;
    const revops_dataset *ds = u->c->ds;
    revops_str sales = 0, marketing = 0, delivery = 0;
    revops_strpool__find(&ds->strings, "sales", 5, &sales);
    revops_strpool__find(&ds->strings, "marketing", 9, &marketing);
    revops_strpool__find(&ds->strings, "delivery", 8, &delivery);
    for (size_t i = 0; i < t->n; i++) {
        revops_month p = t->period[i];
        if (p == REVOPS_NO_MONTH || p < u->first || p >= u->first + (revops_month)u->n)
            continue;
        revops_day day = revops_month_last_day(p);
        if (day > u->c->as_of)
            day = u->c->as_of;
        int64_t v = revops_actx__money(u->c, t->amount[i], t->currency[i], day);
        sums *s = &u->month[p - u->first];
        if (t->category[i] == sales || t->category[i] == marketing) {
            s->sales_marketing += v;
        } else if (t->category[i] == delivery) {
            s->delivery += v;
            s->delivery_rows++;
        }
    }
}

/* Recognized revenue by month: the revenue-recognition schedule when the data have contract
 * lines; without any, each month's MRR stands in (subscriptions are recognized ratably). */
static int add_revenue(ue *u)
{
    const revops_mrr *m = u->m;
    if (u->c->ds->contract_line.n == 0) {
        for (size_t k = 0; m && k < m->nmonths; k++) {
            revops_month mo = m->first + (revops_month)k;
            if (mo >= u->first && mo < u->first + (revops_month)u->n)
                u->month[mo - u->first].revenue = m->months[k].mrr;
        }
        return 0;
    }
    revops_revrec own;
    const revops_revrec *r;
    int rc = revops_revrec__use(&r, &own, u->c);
    if (rc)
        return rc;
    for (size_t k = 0; k < r->nmonths; k++) {
        revops_month mo = r->first + (revops_month)k;
        if (mo >= u->first && mo < u->first + (revops_month)u->n)
            u->month[mo - u->first].revenue = r->recognized[k];
    }
    revops_revrec__release(r, &own);
    return 0;
}

/* Adds one month's sums `s` to a span's. */
static void add(sums *to, const sums *s)
{
    to->sales_marketing += s->sales_marketing;
    to->delivery += s->delivery;
    to->revenue += s->revenue;
    to->new_mrr += s->new_mrr;
    to->new_customers += s->new_customers;
    to->delivery_rows += s->delivery_rows;
    to->revenue_costed += s->delivery_rows ? s->revenue : 0;
}

static val gross_margin(const ue *u, const sums *s)
{
    if (u->gross_margin_option >= 0)
        return present(u->gross_margin_option);
    if (s->delivery_rows == 0)
        return missing("no delivery cost recorded");
    if (s->revenue_costed <= 0)
        return missing("no recognized revenue in the months with delivery costs");
    return present(1.0 - (double)s->delivery / (double)s->revenue_costed);
}

/* LTV at month index k of the MRR grid: its ARPA x the gross margin `gm` (of the month, or of
 * the quarter or period that ends with it) / the mean logo churn rate of the six months
 * before. */
static val ltv(const ue *u, long k, val gm)
{
    if (k < 0)
        return missing("no customer yet");
    const revops_mrr_month *t = &u->m->months[k];
    if (t->customers == 0)
        return missing("no paying customer");
    if (k < 6)
        return missing("fewer than 6 months of churn history");
    double churn = 0;
    for (long j = k - 6; j < k; j++) {
        if (isnan(u->rates[j].logo_churn_rate))
            return missing("a month of the 6 before had no customers to churn");
        churn += u->rates[j].logo_churn_rate;
    }
    churn /= 6.0;
    if (!(churn > 0))
        return missing("no customer churned in the 6 months before");
    if (gm.why)
        return gm;
    double arpa = (double)revops_saas__div_round(t->mrr, t->customers);
    return present(arpa * gm.v / churn);
}

static val cac(const sums *s)
{
    if (s->new_customers == 0)
        return missing("no new customer");
    return present((double)s->sales_marketing / (double)s->new_customers);
}

static val payback(const sums *s, val gm)
{
    if (s->new_mrr == 0)
        return missing("no new MRR");
    if (gm.why)
        return gm;
    if (!(gm.v > 0))
        return missing("the gross margin is not positive");
    return present((double)s->sales_marketing / ((double)s->new_mrr * gm.v));
}

static val ltv_to_cac(val l, val a)
{
    if (l.why)
        return l;
    if (a.why)
        return a;
    if (!(a.v > 0))
        return missing("no acquisition cost");
    return present(l.v / a.v);
}

/* The sums of the months [from, to] (inclusive, clamped to the known months). */
static sums span(const ue *u, revops_month from, revops_month to)
{
    sums s;
    memset(&s, 0, sizeof(s));
    for (revops_month mo = from; mo <= to; mo++)
        if (mo >= u->first && mo < u->first + (revops_month)u->n)
            add(&s, &u->month[mo - u->first]);
    return s;
}

/* The MRR grid's month index of a month (negative before its first month). */
static long grid_index(const ue *u, revops_month mo)
{
    return (long)mo - (long)u->m->first;
}

static void cell_val(revops_rt_table *t, val v, int money)
{
    if (v.why)
        revops_rt__cell_null(t);
    else if (money)
        revops_rt__cell_money(t, (int64_t)llround(v.v));
    else
        revops_rt__cell_number(t, v.v);
}

static void cell_ratio(revops_rt_table *t, val v)
{
    if (v.why)
        revops_rt__cell_null(t);
    else
        revops_rt__cell_ratio(t, v.v);
}

static const revops_rt_column columns[] = {
    {"", "", REVOPS_RT_TEXT, 0, 0}, /* month or quarter, named per table */
    {"sales_marketing_cost", "S&M cost", REVOPS_RT_MONEY, 0, 0},
    {"new_customers", "new customers", REVOPS_RT_COUNT, 0, 0},
    {"new_mrr", "new MRR", REVOPS_RT_MONEY, 0, 0},
    {"delivery_cost", "delivery cost", REVOPS_RT_MONEY, 0, REVOPS_RT_DATA_ONLY},
    {"recognized_revenue", "revenue", REVOPS_RT_MONEY, 0, REVOPS_RT_DATA_ONLY},
    {"gross_margin", "gross margin", REVOPS_RT_RATIO, 0, 0},
    {"ltv", "LTV", REVOPS_RT_MONEY, 0, 0},
    {"cac", "CAC", REVOPS_RT_MONEY, 0, 0},
    {"cac_payback_months", "payback months", REVOPS_RT_NUMBER, 1, 0},
    {"ltv_to_cac", "LTV:CAC", REVOPS_RT_NUMBER, 2, 0},
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* One row: the sums of [from, to], LTV at the month `last`. */
static void row(const ue *u, revops_rt_table *t, const char *label, revops_month from,
                revops_month to, revops_month last)
{
    sums s = span(u, from, to);
    val gm = gross_margin(u, &s);
    val lt = ltv(u, grid_index(u, last), gm);
    val a = cac(&s);
    revops_rt__row(t);
    revops_rt__cell_text(t, label);
    revops_rt__cell_money(t, s.sales_marketing);
    revops_rt__cell_count(t, s.new_customers);
    revops_rt__cell_money(t, s.new_mrr);
    revops_rt__cell_money(t, s.delivery);
    revops_rt__cell_money(t, s.revenue);
    cell_ratio(t, gm);
    cell_val(t, lt, 1);
    cell_val(t, a, 1);
    cell_val(t, payback(&s, gm), 0);
    cell_val(t, ltv_to_cac(lt, a), 0);
}

static void put(revops_rt_node *n, const char *key, const char *label, val v, int kind)
{
    if (v.why)
        revops_rt__na(n, key, label, v.why);
    else if (kind == 0)
        revops_rt__money(n, key, label, (int64_t)llround(v.v));
    else if (kind == 1)
        revops_rt__ratio(n, key, label, v.v);
    else
        revops_rt__number(n, key, label, v.v, kind == 2 ? 1 : 2);
}

/* The analysis period up to D: the values read first, and the scorecard's CAC payback. */
static void period_values(const ue *u, revops_rt_node *n, revops_kpi_values *k)
{
    const revops_period *p = &u->c->period;
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(p, label);
    revops_rt__text(n, "period", "Period", label);
    if (p->start > u->c->as_of) {
        revops_rt__na(n, "cac_payback_months", "CAC payback (months)",
                      "the period starts after the as-of day");
        revops_kpi__na(&k->cac_payback, "the period starts after the as-of day");
        return;
    }
    revops_month from = revops_day_month(p->start);
    revops_month to = revops_day_month(p->end - 1);
    revops_month now = revops_day_month(u->c->as_of);
    if (to > now)
        to = now;
    sums s = span(u, from, to);
    val gm = gross_margin(u, &s);
    val lt = ltv(u, grid_index(u, to), gm);
    val a = cac(&s);
    val pb = payback(&s, gm);
    revops_rt__money(n, "sales_marketing_cost", "Sales and marketing cost", s.sales_marketing);
    revops_rt__count(n, "new_customers", "New customers", s.new_customers);
    revops_rt__money(n, "new_mrr", "New MRR", s.new_mrr);
    put(n, "gross_margin", "Gross margin", gm, 1);
    put(n, "ltv", "LTV", lt, 0);
    put(n, "cac", "CAC", a, 0);
    put(n, "cac_payback_months", "CAC payback (months)", pb, 2);
    put(n, "ltv_to_cac", "LTV:CAC", ltv_to_cac(lt, a), 3);
    if (pb.why)
        revops_kpi__na(&k->cac_payback, "%s in %s", pb.why, label);
    else
        k->cac_payback.value = pb.v;
}

int revops_saas__unit_economics(revops_actx *c, const revops_mrr *m, const revops_saas_rates *r,
                                revops_rt_node *parent, revops_kpi_values *k)
{
    ue u;
    memset(&u, 0, sizeof(u));
    u.c = c;
    u.m = m;
    u.rates = r;
    u.gross_margin_option = revops_saas__options(c)->gross_margin;
    /* From the earliest of the first MRR month and the first cost month, to D's month. */
    revops_month now = revops_day_month(c->as_of);
    u.first = m->first;
    for (size_t i = 0; i < c->ds->cost.n; i++)
        if (c->ds->cost.period[i] != REVOPS_NO_MONTH && c->ds->cost.period[i] < u.first)
            u.first = c->ds->cost.period[i];
    u.n = (size_t)(now - u.first) + 1;
    u.month = calloc(u.n, sizeof(*u.month));
    if (!u.month)
        return revops_error__oom();
    for (size_t x = 0; x < m->nmonths; x++) {
        sums *s = &u.month[m->first + (revops_month)x - u.first];
        s->new_mrr = m->months[x].new_mrr;
        s->new_customers = m->months[x].new_customers;
    }
    add_costs(&u);
    int rc = add_revenue(&u);
    if (rc)
        goto done;
    revops_rt_node *n = revops_rt__section(parent, "unit_economics", "Unit economics");
    period_values(&u, n, k);

    /* The months and quarters shown: those of the months table. */
    const revops_saas_options *so = revops_saas__options(c);
    revops_month from = m->first, to = now;
    if (so->from_month != REVOPS_NO_MONTH && so->from_month > from)
        from = so->from_month;
    if (so->to_month != REVOPS_NO_MONTH && so->to_month < to)
        to = so->to_month;
    revops_rt_column cols[NCOLUMNS];
    memcpy(cols, columns, sizeof(cols));
    cols[0].key = cols[0].label = "quarter";
    revops_rt_table *tq =
        revops_rt__table(n, "by_quarter", "Unit economics by quarter", cols, NCOLUMNS);
    if (from <= to) {
        revops_period q;
        revops_period_containing(&q, REVOPS_PERIOD_QUARTER, revops_month_first_day(from),
                                 c->opts.fiscal_start_month);
        for (; revops_day_month(q.start) <= to; revops_period_shift(&q, &q, 1)) {
            char label[REVOPS_PERIOD_TEXT_MAX];
            revops_period_format(&q, label);
            revops_month qf = revops_day_month(q.start), ql = revops_day_month(q.end - 1);
            row(&u, tq, label, qf, ql < now ? ql : now, ql < now ? ql : now);
        }
    }
    cols[0].key = cols[0].label = "month";
    revops_rt_table *tm =
        revops_rt__table(n, "by_month", "Unit economics by month", cols, NCOLUMNS);
    for (revops_month mo = from; mo <= to; mo++) {
        char label[REVOPS_MONTH_TEXT_MAX];
        revops_month_format(mo, label);
        row(&u, tm, label, mo, mo, mo);
    }
done:
    free(u.month);
    return rc;
}

int revops_saas__delivery_ratio(revops_actx *c, const revops_mrr *m, revops_month from,
                                revops_month to, double *ratio, const char **why)
{
    ue u;
    memset(&u, 0, sizeof(u));
    u.c = c;
    u.m = m;
    u.gross_margin_option = revops_saas__options(c)->gross_margin;
    u.first = from;
    u.n = (size_t)(to - from) + 1;
    u.month = calloc(u.n, sizeof(*u.month));
    if (!u.month)
        return revops_error__oom();
    add_costs(&u);
    int rc = add_revenue(&u);
    if (!rc) {
        sums s = span(&u, from, to);
        val gm = gross_margin(&u, &s);
        *ratio = gm.why ? NAN : 1.0 - gm.v;
        *why = gm.why;
    }
    free(u.month);
    return rc;
}
