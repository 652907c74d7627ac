/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Churn, quick ratio, retention (GRR, NRR) and ARR growth by month, from the MRR grid.
 */
#include <math.h>

#include "analytics/saas.h"

int64_t revops_saas__div_round(int64_t a, int64_t b)
{
    int64_t q = a / b, r = a % b;
    int64_t left = r < 0 ? -r : r;
    /* 2 x left >= b, written so that it cannot overflow. */
    if (left >= b - left)
        q += a < 0 ? -1 : 1;
    return q;
}

static double ratio(int64_t num, int64_t den)
{
    return den != 0 ? (double)num / (double)den : NAN;
}

/*
 * Retention of the accounts paying at the end of month k - lag, measured at k: NRR = their
 * MRR at k / their MRR at k - lag; GRR counts each account's MRR at k only up to what it was,
 * so expansion cannot hide churn.
 */
static void retention(const revops_mrr *m, size_t k, size_t lag, double *grr, double *nrr)
{
    *grr = *nrr = NAN;
    if (k < lag)
        return;
    int64_t base = 0, kept = 0, now = 0;
    for (size_t a = 0; a < m->naccounts; a++) {
        int64_t then = revops_mrr__at(m, a, k - lag);
        if (then <= 0)
            continue;
        int64_t cur = revops_mrr__at(m, a, k);
        base += then;
        now += cur;
        kept += cur < then ? cur : then;
    }
    if (base > 0) {
        *grr = (double)kept / (double)base;
        *nrr = (double)now / (double)base;
    }
}

void revops_saas__rates(const revops_mrr *m, revops_saas_rates *rates)
{
    for (size_t k = 0; k < m->nmonths; k++) {
        const revops_mrr_month *t = &m->months[k];
        revops_saas_rates *r = &rates[k];
        /* Before the first month nobody paid: the previous month's totals are zero. */
        int64_t prev_mrr = k ? m->months[k - 1].mrr : 0;
        int64_t prev_customers = k ? m->months[k - 1].customers : 0;
        int64_t lost = t->churn + t->contraction; /* <= 0 */
        r->logo_churn_rate = ratio(t->churned, prev_customers);
        r->gross_mrr_churn_rate = ratio(-lost, prev_mrr);
        r->net_mrr_churn_rate = ratio(-(lost + t->expansion + t->reactivation), prev_mrr);
        r->quick_ratio = ratio(t->new_mrr + t->expansion + t->reactivation, -lost);
        retention(m, k, 12, &r->grr, &r->nrr);
        retention(m, k, 1, &r->grr_monthly, &r->nrr_monthly);
        r->arr_growth_yoy = NAN;
        if (k >= 12 && m->months[k - 12].mrr > 0)
            r->arr_growth_yoy = (double)t->mrr / (double)m->months[k - 12].mrr - 1.0;
    }
}
