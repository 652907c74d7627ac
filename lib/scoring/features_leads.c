/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The features of an open lead at the end of a snapshot day D (docs/scoring.md "Lead
 * features"). A lead's state on D comes from its timestamps: open when created by D and
 * neither converted nor disqualified by D; in stage sql when sql_at <= D, else mql when
 * mql_at <= D, else lead. Fields that are filled in only as a lead advances (estimated_value,
 * the stored score, the account) would give the answer away and are not used.
 *
 * Numeric, in column order:
 *   age_days                 D - the day it was created
 *   days_in_stage_vs_median  (days since it entered its stage + 1) / (the median of that over
 *                            the leads open in the same stage on D + 1)
 *   activities_14d, _30d     activities on it in the 14 and 30 days up to the end of D
 *   rep_conversion_rate      the owner's (converted + 1) / (converted + disqualified + 2) over
 *                            the 365 days up to D; unknown without an owner
 *   responded                1 when its first response came by the end of D, else 0
 *   log_employees            ln(1 + employees); unknown when not given
 * Categorical: stage (lead, mql, sql), source, industry, region, and the segment its employees
 * put it in (smb up to 100, mid up to 1,000, enterprise above; empty when unknown).
 *
 * The label: converted (converted_at) after D and on or before D + horizon.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/stats_math.h"
#include "core/buf.h"
#include "core/error.h"
#include "scoring/features.h"

/* The open stage of lead i at `end`, and the time it entered it; 0 when not open. */
static int lead_state(const revops_lead_table *t, size_t i, revops_time end, revops_time *entered)
{
    if (t->created_at[i] == REVOPS_NO_TIME || t->created_at[i] > end)
        return 0;
    if ((t->converted_at[i] != REVOPS_NO_TIME && t->converted_at[i] <= end) ||
        (t->disqualified_at[i] != REVOPS_NO_TIME && t->disqualified_at[i] <= end))
        return 0;
    if (t->sql_at[i] != REVOPS_NO_TIME && t->sql_at[i] <= end) {
        *entered = t->sql_at[i];
        return LEAD_STAGE_SQL;
    }
    if (t->mql_at[i] != REVOPS_NO_TIME && t->mql_at[i] <= end) {
        *entered = t->mql_at[i];
        return LEAD_STAGE_MQL;
    }
    *entered = t->created_at[i];
    return LEAD_STAGE_LEAD;
}

size_t revops_features__leads_open(const revops_fctx *f, revops_day day)
{
    const revops_lead_table *t = &f->c->ds->lead;
    revops_time end = revops_actx__day_end(day), entered;
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        n += lead_state(t, i, end, &entered) != 0;
    return n;
}

static uint32_t segment_of(int64_t employees)
{
    if (employees == REVOPS_NO_INT || employees < 0)
        return 0;
    return employees <= 100 ? 1 : employees <= 1000 ? 2 : 3;
}

int revops_features__leads(revops_fctx *f, revops_examples *out, revops_day day, int horizon,
                           double sample)
{
    revops_actx *c = f->c;
    const revops_lead_table *t = &c->ds->lead;
    revops_time end = revops_actx__day_end(day);
    revops_time horizon_end = revops_actx__day_end(day + horizon);
    double *scratch[4] = {NULL, NULL, NULL, NULL};
    size_t count[4] = {0, 0, 0, 0}, cap[4] = {0, 0, 0, 0};
    double median[4] = {NAN, NAN, NAN, NAN};
    int rc = 0;
    /* First pass: the days in stage of every open lead, for the medians, and how many are
     * kept. */
    size_t kept = 0;
    for (size_t i = 0; i < t->n; i++) {
        revops_time entered;
        int st = lead_state(t, i, end, &entered);
        if (!st)
            continue;
        if ((rc = revops_array__grow((void **)&scratch[st], &cap[st], count[st] + 1,
                                     sizeof(double))))
            goto done;
        scratch[st][count[st]++] = (double)(day - revops_time_day(entered));
        kept += (size_t)revops_features__keep((uint32_t)i, day, sample);
    }
    for (int st = 1; st < 4; st++)
        if (count[st])
            median[st] = revops_quantile__select(scratch[st], count[st], 0.5);
    if ((rc = revops_examples__reserve(out, kept)))
        goto done;
    for (size_t i = 0; i < t->n; i++) {
        revops_time entered;
        int st = lead_state(t, i, end, &entered);
        if (!st || !revops_features__keep((uint32_t)i, day, sample))
            continue;
        size_t e = out->n++;
        double *x = out->x + e * out->p;
        uint32_t *cat = out->c + e * out->q;
        x[LF_AGE] = (double)(day - revops_time_day(t->created_at[i]));
        x[LF_STAGE_DAYS] = ((double)(day - revops_time_day(entered)) + 1.0) / (median[st] + 1.0);
        size_t a0 = f->lact_start[i], a1 = f->lact_start[i + 1];
        x[LF_ACT14] = (double)revops_features__count_in(f->lact_times + a0, a1 - a0, day, 14);
        x[LF_ACT30] = (double)revops_features__count_in(f->lact_times + a0, a1 - a0, day, 30);
        x[LF_REP_RATE] =
            revops_rate__at(&f->rates, revops_idmap__get(&c->rep_by_id, t->owner_id[i]), day);
        x[LF_RESPONDED] =
            t->first_response_at[i] != REVOPS_NO_TIME && t->first_response_at[i] <= end;
        x[LF_EMPLOYEES] = t->employees[i] == REVOPS_NO_INT || t->employees[i] < 0
                              ? NAN
                              : log1p((double)t->employees[i]);
        cat[LC_STAGE] = (uint32_t)st;
        cat[LC_SOURCE] = t->source[i];
        cat[LC_INDUSTRY] = t->industry[i];
        cat[LC_REGION] = t->region[i];
        cat[LC_SEGMENT] = segment_of(t->employees[i]);
        out->baseline[e] = NAN; /* the stage's rate in training, set by the caller */
        out->row[e] = (uint32_t)i;
        out->day[e] = day;
        out->y[e] = horizon > 0 && t->converted_at[i] != REVOPS_NO_TIME &&
                    t->converted_at[i] > end && t->converted_at[i] <= horizon_end;
    }
done:
    for (int st = 0; st < 4; st++)
        free(scratch[st]);
    return rc;
}
