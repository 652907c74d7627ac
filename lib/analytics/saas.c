/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `saas` section (docs/metrics-saas.md "Recurring revenue"): MRR and ARR by month, the
 * movements that explain each month's change, customers and ARPA, churn and retention rates,
 * and the month the scorecard grades (the last month of the period, or the month of the
 * as-of day when the period runs past it).
 */
#include <math.h>
#include <stdlib.h>

#include "analytics/analysis.h"
#include "analytics/saas.h"
#include "core/error.h"

static const revops_saas_options default_options = REVOPS_SAAS_OPTIONS_INIT;

const revops_saas_options *revops_saas__options(const revops_actx *c)
{
    return c->opts.saas ? c->opts.saas : &default_options;
}

/* The first and last month indexes to show, from the options; *to < *from when none. */
static void shown_months(const revops_actx *c, const revops_mrr *m, long *from, long *to)
{
    const revops_saas_options *so = revops_saas__options(c);
    *from = 0;
    *to = (long)m->nmonths - 1;
    if (so->from_month != REVOPS_NO_MONTH && (long)so->from_month - m->first > *from)
        *from = (long)so->from_month - m->first;
    if (so->to_month != REVOPS_NO_MONTH && (long)so->to_month - m->first < *to)
        *to = (long)so->to_month - m->first;
}

static void month_text(const revops_mrr *m, size_t k, char out[REVOPS_MONTH_TEXT_MAX])
{
    revops_month_format(m->first + (revops_month)k, out);
}

static void months_table(const revops_actx *c, const revops_mrr *m, const revops_saas_rates *r,
                         revops_rt_node *n)
{
    static const revops_rt_column cols[] = {
        {"month", "month", REVOPS_RT_TEXT, 0, 0},
        {"mrr", "MRR", REVOPS_RT_MONEY, 0, 0},
        {"arr", "ARR", REVOPS_RT_MONEY, 0, 0},
        {"new", "new", REVOPS_RT_MONEY, 0, 0},
        {"expansion", "expansion", REVOPS_RT_MONEY, 0, 0},
        {"contraction", "contraction", REVOPS_RT_MONEY, 0, 0},
        {"churn", "churn", REVOPS_RT_MONEY, 0, 0},
        {"reactivation", "reactivation", REVOPS_RT_MONEY, 0, 0},
        {"customers", "customers", REVOPS_RT_COUNT, 0, 0},
        {"arpa", "ARPA", REVOPS_RT_MONEY, 0, 0},
        {"logo_churn_rate", "logo churn", REVOPS_RT_RATIO, 0, 0},
        {"gross_mrr_churn_rate", "gross MRR churn", REVOPS_RT_RATIO, 0, 0},
        {"net_mrr_churn_rate", "net MRR churn", REVOPS_RT_RATIO, 0, 0},
        {"quick_ratio", "quick ratio", REVOPS_RT_NUMBER, 2, 0},
        {"grr", "GRR 12m", REVOPS_RT_RATIO, 0, 0},
        {"nrr", "NRR 12m", REVOPS_RT_RATIO, 0, 0},
        {"grr_monthly", "GRR 1m", REVOPS_RT_RATIO, 0, 0},
        {"nrr_monthly", "NRR 1m", REVOPS_RT_RATIO, 0, 0},
        {"arr_growth_yoy", "ARR growth YoY", REVOPS_RT_RATIO, 0, 0},
        {"new_customers", "new customers", REVOPS_RT_COUNT, 0, 0},
        {"expanded_customers", "expanded", REVOPS_RT_COUNT, 0, 0},
        {"contracted_customers", "contracted", REVOPS_RT_COUNT, 0, 0},
        {"churned_customers", "churned", REVOPS_RT_COUNT, 0, 0},
        {"reactivated_customers", "reactivated", REVOPS_RT_COUNT, 0, 0},
        {"measured_on", "measured on", REVOPS_RT_DAY, 0, 0},
    };
    /* The same months for people: the movements, then the rates. */
    static const revops_rt_column money_cols[] = {
        {"month", "month", REVOPS_RT_TEXT, 0, 0},
        {"mrr", "MRR", REVOPS_RT_MONEY, 0, 0},
        {"new", "new", REVOPS_RT_MONEY, 0, 0},
        {"expansion", "expansion", REVOPS_RT_MONEY, 0, 0},
        {"contraction", "contraction", REVOPS_RT_MONEY, 0, 0},
        {"churn", "churn", REVOPS_RT_MONEY, 0, 0},
        {"reactivation", "reactivation", REVOPS_RT_MONEY, 0, 0},
        {"customers", "customers", REVOPS_RT_COUNT, 0, 0},
        {"arpa", "ARPA", REVOPS_RT_MONEY, 0, 0},
    };
    static const revops_rt_column rate_cols[] = {
        {"month", "month", REVOPS_RT_TEXT, 0, 0},
        {"logo_churn_rate", "logo churn", REVOPS_RT_RATIO, 0, 0},
        {"gross_mrr_churn_rate", "gross MRR churn", REVOPS_RT_RATIO, 0, 0},
        {"net_mrr_churn_rate", "net MRR churn", REVOPS_RT_RATIO, 0, 0},
        {"quick_ratio", "quick ratio", REVOPS_RT_NUMBER, 2, 0},
        {"grr", "GRR 12m", REVOPS_RT_RATIO, 0, 0},
        {"nrr", "NRR 12m", REVOPS_RT_RATIO, 0, 0},
        {"grr_monthly", "GRR 1m", REVOPS_RT_RATIO, 0, 0},
        {"nrr_monthly", "NRR 1m", REVOPS_RT_RATIO, 0, 0},
        {"arr_growth_yoy", "ARR growth YoY", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *t =
        revops_rt__table(n, "months", "Months", cols, sizeof(cols) / sizeof(*cols));
    revops_rt__table_flags(t, REVOPS_RT_DATA_ONLY);
    revops_rt_table *tm = revops_rt__table(n, "movements_text", "MRR movements by month",
                                           money_cols, sizeof(money_cols) / sizeof(*money_cols));
    revops_rt__table_flags(tm, REVOPS_RT_TEXT_ONLY);
    revops_rt_table *tr = revops_rt__table(n, "rates_text", "Churn and retention by month",
                                           rate_cols, sizeof(rate_cols) / sizeof(*rate_cols));
    revops_rt__table_flags(tr, REVOPS_RT_TEXT_ONLY);
    long from, to;
    shown_months(c, m, &from, &to);
    for (long i = from; i <= to; i++) {
        size_t k = (size_t)i;
        const revops_mrr_month *x = &m->months[k];
        const revops_saas_rates *y = &r[k];
        char month[REVOPS_MONTH_TEXT_MAX];
        month_text(m, k, month);
        int64_t arpa = x->customers ? revops_saas__div_round(x->mrr, x->customers) : 0;
        revops_rt__row(t);
        revops_rt__cell_text(t, month);
        revops_rt__cell_money(t, x->mrr);
        revops_rt__cell_money(t, 12 * x->mrr);
        revops_rt__cell_money(t, x->new_mrr);
        revops_rt__cell_money(t, x->expansion);
        revops_rt__cell_money(t, x->contraction);
        revops_rt__cell_money(t, x->churn);
        revops_rt__cell_money(t, x->reactivation);
        revops_rt__cell_count(t, x->customers);
        if (x->customers)
            revops_rt__cell_money(t, arpa);
        else
            revops_rt__cell_null(t);
        revops_rt__cell_ratio(t, y->logo_churn_rate);
        revops_rt__cell_ratio(t, y->gross_mrr_churn_rate);
        revops_rt__cell_ratio(t, y->net_mrr_churn_rate);
        revops_rt__cell_number(t, y->quick_ratio);
        revops_rt__cell_ratio(t, y->grr);
        revops_rt__cell_ratio(t, y->nrr);
        revops_rt__cell_ratio(t, y->grr_monthly);
        revops_rt__cell_ratio(t, y->nrr_monthly);
        revops_rt__cell_ratio(t, y->arr_growth_yoy);
        revops_rt__cell_count(t, x->new_customers);
        revops_rt__cell_count(t, x->expanded);
        revops_rt__cell_count(t, x->contracted);
        revops_rt__cell_count(t, x->churned);
        revops_rt__cell_count(t, x->reactivated);
        revops_rt__cell_day(t, revops_mrr__day(m, k));

        revops_rt__row(tm);
        revops_rt__cell_text(tm, month);
        revops_rt__cell_money(tm, x->mrr);
        revops_rt__cell_money(tm, x->new_mrr);
        revops_rt__cell_money(tm, x->expansion);
        revops_rt__cell_money(tm, x->contraction);
        revops_rt__cell_money(tm, x->churn);
        revops_rt__cell_money(tm, x->reactivation);
        revops_rt__cell_count(tm, x->customers);
        if (x->customers)
            revops_rt__cell_money(tm, arpa);
        else
            revops_rt__cell_null(tm);

        revops_rt__row(tr);
        revops_rt__cell_text(tr, month);
        revops_rt__cell_ratio(tr, y->logo_churn_rate);
        revops_rt__cell_ratio(tr, y->gross_mrr_churn_rate);
        revops_rt__cell_ratio(tr, y->net_mrr_churn_rate);
        revops_rt__cell_number(tr, y->quick_ratio);
        revops_rt__cell_ratio(tr, y->grr);
        revops_rt__cell_ratio(tr, y->nrr);
        revops_rt__cell_ratio(tr, y->grr_monthly);
        revops_rt__cell_ratio(tr, y->nrr_monthly);
        revops_rt__cell_ratio(tr, y->arr_growth_yoy);
    }
}

/* A rate for the headline and the scorecard, or n/a with the reason. */
static void headline_ratio(revops_rt_node *n, const char *key, const char *label, double v,
                           const char *why, revops_kpi_value *kpi)
{
    if (isnan(v)) {
        revops_rt__na(n, key, label, why);
        revops_kpi__na(kpi, "%s", why);
    } else {
        revops_rt__ratio(n, key, label, v);
        kpi->value = v;
    }
}

/*
 * The figures of one month, read first: the last month of the analysis period, or the month
 * of the as-of day when the period runs past it. The scorecard grades the same month.
 */
static void headline(const revops_actx *c, const revops_mrr *m, const revops_saas_rates *r,
                     revops_rt_node *n, revops_kpi_values *k)
{
    if (c->period.start > c->as_of) {
        const char *why = "the period starts after the as-of day";
        revops_rt__na(n, "mrr", "MRR", why);
        revops_kpi__na(&k->arr_growth, "%s", why);
        revops_kpi__na(&k->grr, "%s", why);
        revops_kpi__na(&k->nrr, "%s", why);
        return;
    }
    revops_month month = revops_day_month(c->period.end - 1);
    if (month > revops_day_month(c->as_of))
        month = revops_day_month(c->as_of);
    char text[REVOPS_MONTH_TEXT_MAX], before[REVOPS_MONTH_TEXT_MAX], why[128];
    revops_month_format(month, text);
    revops_month_format(month - 12, before);
    revops_rt__text(n, "month", "Month", text);
    long i = (long)month - m->first;
    if (i < 0) {
        snprintf(why, sizeof(why), "no subscription had started by the end of %s", text);
        revops_rt__money(n, "mrr", "MRR", 0);
        revops_rt__na(n, "grr", "GRR (12 months)", why);
        revops_kpi__na(&k->arr_growth, "%s", why);
        revops_kpi__na(&k->grr, "%s", why);
        revops_kpi__na(&k->nrr, "%s", why);
        return;
    }
    size_t idx = (size_t)i;
    const revops_mrr_month *x = &m->months[idx];
    revops_rt__day(n, "measured_on", "Measured on", revops_mrr__day(m, idx));
    revops_rt__money(n, "mrr", "MRR", x->mrr);
    revops_rt__money(n, "arr", "ARR", 12 * x->mrr);
    revops_rt__count(n, "customers", "Customers", x->customers);
    if (x->customers)
        revops_rt__money(n, "arpa", "ARPA", revops_saas__div_round(x->mrr, x->customers));
    else
        revops_rt__na(n, "arpa", "ARPA", "no paying customer");
    snprintf(why, sizeof(why), "no MRR at the end of %s", before);
    headline_ratio(n, "arr_growth_yoy", "ARR growth (year over year)", r[idx].arr_growth_yoy, why,
                   &k->arr_growth);
    snprintf(why, sizeof(why), "no account paid at the end of %s", before);
    headline_ratio(n, "grr", "GRR (12 months)", r[idx].grr, why, &k->grr);
    headline_ratio(n, "nrr", "NRR (12 months)", r[idx].nrr, why, &k->nrr);
    if (isnan(r[idx].quick_ratio))
        revops_rt__na(n, "quick_ratio", "Quick ratio", "no MRR was lost in the month");
    else
        revops_rt__number(n, "quick_ratio", "Quick ratio", r[idx].quick_ratio, 2);
}

int revops_analytics__saas(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    revops_mrr m;
    int rc = revops_mrr__build(&m, c);
    if (rc)
        return rc;
    revops_saas_rates *rates = calloc(m.nmonths ? m.nmonths : 1, sizeof(*rates));
    if (!rates) {
        rc = revops_error__oom();
        goto done;
    }
    revops_rt_node *n = revops_rt__section(root, "saas", "Recurring revenue");
    revops_rt__text(n, "currency", NULL, c->currency);
    revops_rt__day(n, "as_of", NULL, c->as_of);
    revops_rt__count(n, "subscription_items", NULL, (int64_t)m.nitems);
    if (m.nmonths == 0) {
        const char *why = "no subscription item started on or before the as-of day";
        revops_rt__na(n, "mrr", "MRR", why);
        revops_kpi__na(&k->arr_growth, "%s", why);
        revops_kpi__na(&k->grr, "%s", why);
        revops_kpi__na(&k->nrr, "%s", why);
        revops_kpi__na(&k->cac_payback, "%s", why);
        months_table(c, &m, rates, n);
        goto done;
    }
    char first[REVOPS_MONTH_TEXT_MAX];
    revops_month_format(m.first, first);
    revops_rt__text(n, "first_month", NULL, first);
    revops_saas__rates(&m, rates);
    headline(c, &m, rates, n, k);
    months_table(c, &m, rates, n);
    rc = revops_saas__unit_economics(c, &m, rates, n, k);
done:
    free(rates);
    revops_mrr__free(&m);
    return rc;
}
