/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The `cohorts` section (docs/metrics-saas.md "Cohorts"): accounts grouped by the month (or
 * fiscal quarter) of their first MRR, and how many of them still pay (logo retention) and how
 * much of their first MRR they pay (revenue retention) 0, 1, 2, ... periods later, as
 * triangles: one row per cohort, one cell per period since, up to the period of the as-of day.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/saas.h"
#include "core/error.h"

typedef struct cohorts {
    const revops_actx *c;
    const revops_mrr *m;
    int quarters;
    long first, last; /* period numbers: months, or quarters counted from year 0 */
    size_t n;         /* periods first .. last */
    int64_t *size;    /* by cohort: accounts */
    int64_t *base;    /* by cohort: the sum of each member's first MRR */
    int64_t *paying;  /* cohort x period since: members with MRR > 0 */
    int64_t *mrr;     /* cohort x period since: members' MRR */
} cohorts;

/* The period number of a month: itself, or its fiscal quarter's number. */
static long period_of(const cohorts *h, revops_month mo)
{
    if (!h->quarters)
        return (long)mo;
    long shifted = (long)mo - (h->c->opts.fiscal_start_month - 1);
    return shifted >= 0 ? shifted / 3 : -((-shifted + 2) / 3);
}

/* The grid's month index a period is measured in: its last month, or the month of D. */
static size_t measured_month(const cohorts *h, long p)
{
    long last = h->quarters ? p * 3 + (h->c->opts.fiscal_start_month - 1) + 2 : p;
    long k = last - (long)h->m->first;
    if (k > (long)h->m->nmonths - 1)
        k = (long)h->m->nmonths - 1;
    return (size_t)k;
}

static void period_label(const cohorts *h, long p, char *out, size_t cap)
{
    if (!h->quarters) {
        char month[REVOPS_MONTH_TEXT_MAX];
        revops_month_format((revops_month)p, month);
        snprintf(out, cap, "%s", month);
        return;
    }
    revops_month mo = (revops_month)(p * 3 + (h->c->opts.fiscal_start_month - 1));
    revops_period q;
    revops_period_containing(&q, REVOPS_PERIOD_QUARTER, revops_month_first_day(mo),
                             h->c->opts.fiscal_start_month);
    char text[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(&q, text);
    snprintf(out, cap, "%s", text);
}

static int count(cohorts *h)
{
    const revops_mrr *m = h->m;
    h->first = period_of(h, m->first);
    h->last = period_of(h, m->first + (revops_month)m->nmonths - 1);
    h->n = (size_t)(h->last - h->first) + 1;
    size_t cells = h->n * h->n;
    h->size = calloc(h->n, sizeof(*h->size));
    h->base = calloc(h->n, sizeof(*h->base));
    h->paying = calloc(cells, sizeof(*h->paying));
    h->mrr = calloc(cells, sizeof(*h->mrr));
    if (!h->size || !h->base || !h->paying || !h->mrr)
        return revops_error__oom();
    size_t *measured = malloc(h->n * sizeof(*measured));
    if (!measured)
        return revops_error__oom();
    for (size_t p = 0; p < h->n; p++)
        measured[p] = measured_month(h, h->first + (long)p);
    for (size_t a = 0; a < m->naccounts; a++) {
        size_t f = 0;
        while (f < m->nmonths && revops_mrr__at(m, a, f) <= 0)
            f++;
        if (f == m->nmonths)
            continue; /* never paid */
        size_t c = (size_t)(period_of(h, m->first + (revops_month)f) - h->first);
        h->size[c]++;
        h->base[c] += revops_mrr__at(m, a, f);
        for (size_t p = c; p < h->n; p++) {
            int64_t v = revops_mrr__at(m, a, measured[p]);
            h->paying[c * h->n + (p - c)] += v > 0;
            h->mrr[c * h->n + (p - c)] += v;
        }
    }
    free(measured);
    return 0;
}

/* One triangle: a row per cohort, the cells of the periods since up to the last. */
static int triangle(const cohorts *h, revops_rt_node *n, int revenue, long shown_from,
                    long shown_to)
{
    size_t fixed = revenue ? 3 : 2;
    revops_rt_column *cols = calloc(fixed + h->n, sizeof(*cols));
    char(*names)[2][32] = calloc(h->n, sizeof(*names));
    if (!cols || !names) {
        free(cols);
        free(names);
        return revops_error__oom();
    }
    cols[0] = (revops_rt_column){"cohort", "cohort", REVOPS_RT_TEXT, 0, 0};
    cols[1] = (revops_rt_column){"customers", "customers", REVOPS_RT_COUNT, 0, 0};
    if (revenue)
        cols[2] = (revops_rt_column){"mrr", "first MRR", REVOPS_RT_MONEY, 0, 0};
    char unit = h->quarters ? 'q' : 'm';
    for (size_t k = 0; k < h->n; k++) {
        snprintf(names[k][0], sizeof(names[k][0]), "cells.%c%zu", unit, k);
        snprintf(names[k][1], sizeof(names[k][1]), "%zu", k);
        cols[fixed + k] =
            (revops_rt_column){names[k][0], names[k][1], REVOPS_RT_RATIO, 0, REVOPS_RT_ARRAY};
    }
    const char *title = revenue ? "Revenue retention by cohort (MRR / the cohort's first MRR)"
                                : "Logo retention by cohort (share still paying)";
    revops_rt_table *t =
        revops_rt__table(n, revenue ? "revenue" : "logo", title, cols, fixed + h->n);
    for (size_t c = 0; c < h->n; c++) {
        long p = h->first + (long)c;
        if (p < shown_from || p > shown_to)
            continue;
        char label[REVOPS_PERIOD_TEXT_MAX];
        period_label(h, p, label, sizeof(label));
        revops_rt__row(t);
        revops_rt__cell_text(t, label);
        revops_rt__cell_count(t, h->size[c]);
        if (revenue)
            revops_rt__cell_money(t, h->base[c]);
        for (size_t k = 0; k < h->n; k++) {
            size_t i = c * h->n + k;
            if (c + k >= h->n || h->size[c] == 0)
                revops_rt__cell_null(t);
            else if (revenue)
                revops_rt__cell_ratio(t, h->base[c] > 0 ? (double)h->mrr[i] / (double)h->base[c]
                                                        : NAN);
            else
                revops_rt__cell_ratio(t, (double)h->paying[i] / (double)h->size[c]);
        }
    }
    free(cols);
    free(names);
    return 0;
}

int revops_analytics__cohorts(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    (void)k;
    const revops_saas_options *so = revops_saas__options(c);
    cohorts h;
    memset(&h, 0, sizeof(h));
    h.c = c;
    h.quarters = so->cohort_quarters;
    revops_mrr m;
    int rc = revops_mrr__build(&m, c);
    if (rc)
        return rc;
    h.m = &m;
    revops_rt_node *n = revops_rt__section(root, "cohorts", "Cohorts");
    revops_rt__text(n, "by", "Cohorts by", h.quarters ? "quarter" : "month");
    revops_rt__text(n, "currency", NULL, c->currency);
    revops_rt__day(n, "as_of", NULL, c->as_of);
    if (m.nmonths == 0) {
        revops_rt__na(n, "cohorts", "Cohorts",
                      "no subscription item started on or before the as-of day");
        goto done;
    }
    if ((rc = count(&h)))
        goto done;
    long from = h.first, to = h.last;
    if (so->from_month != REVOPS_NO_MONTH && period_of(&h, so->from_month) > from)
        from = period_of(&h, so->from_month);
    if (so->to_month != REVOPS_NO_MONTH && period_of(&h, so->to_month) < to)
        to = period_of(&h, so->to_month);
    int64_t accounts = 0;
    for (size_t i = 0; i < h.n; i++)
        accounts += h.size[i];
    revops_rt__count(n, "accounts", "Accounts in cohorts", accounts);
    if (so->cohort_metric != REVOPS_COHORT_REVENUE && (rc = triangle(&h, n, 0, from, to)))
        goto done;
    if (so->cohort_metric != REVOPS_COHORT_LOGO)
        rc = triangle(&h, n, 1, from, to);
done:
    free(h.size);
    free(h.base);
    free(h.paying);
    free(h.mrr);
    revops_mrr__free(&m);
    return rc;
}
