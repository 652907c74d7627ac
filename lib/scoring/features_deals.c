/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The features of an open deal at the end of a snapshot day D (docs/scoring.md "Deal
 * features"), from its point-in-time state (revops_actx__deal): the stage, amount and close
 * date of its last stage change at or before D.
 *
 * Numeric, in column order:
 *   age_days                 D - the day it was created
 *   days_in_stage_vs_median  (days in its stage + 1) / (median of that over the deals open in
 *                            the same stage on D + 1): the + 1 keeps a stage everybody entered
 *                            today from dividing by zero
 *   close_date_pushes        times its close date moved later, up to D
 *   amount_vs_median         ln(amount / median amount of the deals open on D), both in the
 *                            reporting currency at the rate of the day the amount was set;
 *                            unknown (NaN) for an amount of 0 or less
 *   activities_14d, _30d     its activities in the 14 and 30 days up to the end of D
 *   rep_win_rate             the owner's (won + 1) / (closed + 2) over the 365 days up to D
 *   days_past_close_date     max(0, D - its close date): reps leave lost deals open past it
 *   stage_probability        the configured probability of its stage
 * Categorical: stage, type, product, source (of the lead it came from; empty without one),
 * and the account's industry, region and segment.
 *
 * The label: won on or before D + horizon (1), else 0 (lost, or still open then).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/stats_math.h"
#include "core/buf.h"
#include "core/error.h"
#include "revops/money.h"
#include "scoring/features.h"

typedef struct cand {
    uint32_t row;
    int stage;
    int pushes;
    revops_day created, entered, close_date;
    double amount; /* reporting currency, minor units; NaN when not positive */
} cand;

size_t revops_features__deals_open(const revops_fctx *f, revops_day day)
{
    const revops_opportunity_table *o = &f->c->ds->opportunity;
    revops_time end = revops_actx__day_end(day);
    size_t n = 0;
    for (size_t i = 0; i < o->n; i++)
        n += o->created_at[i] <= end &&
             (f->deal_closed[i] == REVOPS_NO_DAY || f->deal_closed[i] > day);
    return n;
}

/* Keeps a (row, day) pair with probability `sample`, the same way every run. */
int revops_features__keep(uint32_t row, revops_day day, double sample)
{
    if (sample >= 1.0)
        return 1;
    uint64_t h = ((uint64_t)row << 32) ^ (uint32_t)day;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (double)(h >> 11) * 0x1.0p-53 < sample;
}

int revops_examples__reserve(revops_examples *e, size_t more)
{
    if (e->n + more <= e->cap)
        return 0;
    size_t cap = e->cap ? e->cap : 1024;
    while (cap < e->n + more)
        cap *= 2;
    double *x = realloc(e->x, cap * (e->p ? e->p : 1) * sizeof(*x));
    if (x)
        e->x = x;
    uint32_t *c = realloc(e->c, cap * (e->q ? e->q : 1) * sizeof(*c));
    if (c)
        e->c = c;
    uint8_t *y = realloc(e->y, cap * sizeof(*y));
    if (y)
        e->y = y;
    double *b = realloc(e->baseline, cap * sizeof(*b));
    if (b)
        e->baseline = b;
    uint32_t *r = realloc(e->row, cap * sizeof(*r));
    if (r)
        e->row = r;
    revops_day *d = realloc(e->day, cap * sizeof(*d));
    if (d)
        e->day = d;
    if (!x || !c || !y || !b || !r || !d)
        return revops_error__oom();
    e->cap = cap;
    return 0;
}

/* The median of v[0 .. n) (reordered), NaN when empty. */
static double median_of(double *v, size_t n)
{
    return n ? revops_quantile__select(v, n, 0.5) : NAN;
}

int revops_features__deals(revops_fctx *f, revops_examples *out, revops_day day, int horizon,
                           double sample)
{
    revops_actx *c = f->c;
    const revops_dataset *ds = c->ds;
    const revops_opportunity_table *o = &ds->opportunity;
    revops_time end = revops_actx__day_end(day);
    cand *cs = NULL;
    double *scratch = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    double stage_median[REVOPS_MAX_STAGES], amount_median;
    for (size_t i = 0; i < o->n; i++) {
        if (o->created_at[i] > end ||
            (f->deal_closed[i] != REVOPS_NO_DAY && f->deal_closed[i] <= day))
            continue;
        revops_deal d;
        revops_actx__deal(c, i, day, &d);
        if (!d.open)
            continue;
        if ((rc = revops_array__grow((void **)&cs, &cap, n + 1, sizeof(*cs))))
            goto done;
        cand *k = &cs[n++];
        k->row = (uint32_t)i;
        k->stage = d.stage;
        k->pushes = d.pushes;
        k->created = d.created;
        k->entered = d.stage_entered;
        k->close_date = d.close_date;
        int64_t amount = d.amount == REVOPS_NO_MONEY
                             ? REVOPS_NO_MONEY
                             : revops_actx__money(c, d.amount, o->currency[i], d.amount_day);
        k->amount = amount == REVOPS_NO_MONEY || amount <= 0 ? NAN : (double)amount;
    }
    scratch = malloc((n ? n : 1) * sizeof(*scratch));
    if (!scratch) {
        rc = revops_error__oom();
        goto done;
    }
    /* Medians over every deal open on the day, sampled or not. */
    for (size_t s = 0; s < c->stages.n; s++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++)
            if (cs[i].stage == (int)s)
                scratch[m++] = (double)(day - cs[i].entered);
        stage_median[s] = median_of(scratch, m);
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(cs[i].amount))
            scratch[m++] = cs[i].amount;
    amount_median = median_of(scratch, m);
    size_t kept = 0;
    for (size_t i = 0; i < n; i++)
        kept += (size_t)revops_features__keep(cs[i].row, day, sample);
    if ((rc = revops_examples__reserve(out, kept)))
        goto done;
    for (size_t i = 0; i < n; i++) {
        const cand *k = &cs[i];
        if (!revops_features__keep(k->row, day, sample))
            continue;
        size_t e = out->n++, row = k->row;
        double *x = out->x + e * out->p;
        uint32_t *cat = out->c + e * out->q;
        int st = k->stage;
        x[DF_AGE] = (double)(day - k->created);
        x[DF_STAGE_DAYS] = st >= 0 && !isnan(stage_median[st])
                               ? ((double)(day - k->entered) + 1.0) / (stage_median[st] + 1.0)
                               : NAN;
        x[DF_PUSHES] = (double)k->pushes;
        x[DF_AMOUNT] =
            !isnan(k->amount) && amount_median > 0 ? log(k->amount / amount_median) : NAN;
        size_t a0 = c->act_start[row], a1 = c->act_start[row + 1];
        x[DF_ACT14] = (double)revops_features__count_in(c->act_times + a0, a1 - a0, day, 14);
        x[DF_ACT30] = (double)revops_features__count_in(c->act_times + a0, a1 - a0, day, 30);
        x[DF_REP_RATE] =
            revops_rate__at(&f->rates, revops_idmap__get(&c->rep_by_id, o->owner_id[row]), day);
        x[DF_OVERDUE] = k->close_date == REVOPS_NO_DAY
                            ? NAN
                            : (double)(day > k->close_date ? day - k->close_date : 0);
        x[DF_STAGE_P] = st >= 0 ? c->probability[st] : NAN;
        int32_t lead = f->deal_lead[row], acc = f->deal_account[row];
        cat[DC_STAGE] = (uint32_t)(st + 1);
        cat[DC_TYPE] = o->type[row];
        cat[DC_PRODUCT] = o->product[row];
        cat[DC_SOURCE] = lead >= 0 ? ds->lead.source[lead] : 0;
        cat[DC_INDUSTRY] = acc >= 0 ? ds->account.industry[acc] : 0;
        cat[DC_REGION] = acc >= 0 ? ds->account.region[acc] : 0;
        cat[DC_SEGMENT] = acc >= 0 ? ds->account.segment[acc] : 0;
        out->baseline[e] = st >= 0 ? c->probability[st] : NAN;
        out->row[e] = k->row;
        out->day[e] = day;
        out->y[e] = 0;
        if (horizon > 0) {
            revops_deal later;
            revops_actx__deal(c, row, day + horizon, &later);
            out->y[e] = (uint8_t)(later.won != 0);
        }
    }
done:
    free(cs);
    free(scratch);
    return rc;
}
