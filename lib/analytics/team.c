/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The team section (docs/metrics-team.md): each rep's quota and what they won in the period,
 * attainment by rep, team and company, the spread of attainment, activities against targets
 * (team_activity.c), how long new reps took to ramp, how the average won deal grew on the
 * year, and which reps convert worse than their team at some stage. team_report.c writes it.
 *
 * Deals are taken as they stood at the end of the as-of day (a deal counts as won in the
 * period when it was won by then and its close fell in the period); quotas are prorated by
 * days exactly as the pipeline's coverage does (revops_actx__quota_share).
 */
#include "analytics/team.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/stats_math.h"
#include "core/buf.h"
#include "core/error.h"

#define MAX_SPELLS 32

/* Gaps this close to the coaching threshold count as equal to it: 0.8 - 0.5 is
 * 0.30000000000000004 in binary, and a gap of exactly 30 points is not "more than" 30. */
#define GAP_EPSILON 1e-9

/* Per rep: the calendar months from the hire to the last finished month, for the ramp. */
typedef struct ramp_months {
    revops_month *first; /* by rep; cells [start[r], start[r + 1]) are months first[r], ... */
    size_t *start;
    int64_t *won;
    double *quota;
} ramp_months;

static void ramp_months_free(ramp_months *rm)
{
    free(rm->first);
    free(rm->start);
    free(rm->won);
    free(rm->quota);
}

static double ratio_or_nan(int64_t num, int64_t den)
{
    return den > 0 ? (double)num / (double)den : NAN;
}

/* ---- reps: role, hire day, days of the period ---- */

static void setup_reps(team *t)
{
    revops_actx *c = t->c;
    const revops_rep_table *rp = &t->ds->rep;
    revops_str roles[REVOPS_REP_ROLES];
    for (int k = 0; k < REVOPS_REP_ROLES; k++)
        if (revops_strpool__find(&t->ds->strings, revops_values_role[k],
                                 strlen(revops_values_role[k]), &roles[k]))
            roles[k] = 0;
    revops_day last = c->period.end - 1 < c->as_of ? c->period.end - 1 : c->as_of;
    for (size_t r = 0; r < rp->n; r++) {
        team_rep *p = &t->reps[r];
        p->role = -1;
        for (int k = 0; k < REVOPS_REP_ROLES; k++)
            if (roles[k] && rp->role[r] == roles[k])
                p->role = k;
        p->hired =
            rp->hired_at[r] != REVOPS_NO_TIME ? revops_time_day(rp->hired_at[r]) : REVOPS_NO_DAY;
        p->from = c->period.start;
        if (p->hired != REVOPS_NO_DAY && p->hired > p->from)
            p->from = p->hired;
        p->to = last;
        p->working_days = revops_team__weekdays(p->from, p->to);
        p->attainment = NAN;
        p->efficiency = NAN;
        p->ramp_days = NAN;
    }
}

/* ---- quotas of the period and of each ramp month ---- */

/*
 * The months each rep's ramp is judged on: from the month of the hire to the last month that
 * has ended by the as-of day. Only reps hired on or after the first day of the quota history
 * get any: for an earlier hire the first months are missing and a ramp would come out long.
 */
static int ramp_alloc(team *t, ramp_months *rm)
{
    revops_actx *c = t->c;
    size_t nrep = t->ds->rep.n;
    rm->first = calloc(nrep + 1, sizeof(*rm->first));
    rm->start = calloc(nrep + 1, sizeof(*rm->start));
    if (!rm->first || !rm->start)
        return revops_error__oom();
    revops_month last = revops_day_month(c->as_of);
    if (revops_month_last_day(last) > c->as_of)
        last--;
    for (size_t r = 0; r < nrep; r++) {
        const team_rep *p = &t->reps[r];
        rm->start[r + 1] = rm->start[r];
        if (p->hired == REVOPS_NO_DAY || t->quota_history == REVOPS_NO_DAY ||
            p->hired < t->quota_history || p->hired > c->as_of)
            continue;
        rm->first[r] = revops_day_month(p->hired);
        if (last >= rm->first[r])
            rm->start[r + 1] += (size_t)(last - rm->first[r] + 1);
    }
    size_t cells = rm->start[nrep];
    rm->won = calloc(cells ? cells : 1, sizeof(*rm->won));
    rm->quota = calloc(cells ? cells : 1, sizeof(*rm->quota));
    if (!rm->won || !rm->quota)
        return revops_error__oom();
    return 0;
}

static void quotas(team *t, ramp_months *rm)
{
    revops_actx *c = t->c;
    const revops_quota_table *q = &t->ds->quota;
    for (size_t i = 0; i < q->n; i++) {
        int64_t r = revops_idmap__get(&c->rep_by_id, q->rep_id[i]);
        if (r < 0)
            continue;
        team_rep *p = &t->reps[r];
        revops_day qs = q->period_start[i], qe = q->period_end[i] + 1; /* [qs, qe) */
        if (qs < c->period.end && qe > c->period.start) {
            p->has_quota_row = 1;
            p->quota_sum += revops_actx__quota_share(c, i, c->period.start, c->period.end);
        }
        size_t cells = rm->start[r + 1] - rm->start[r];
        for (size_t k = 0; k < cells; k++) {
            revops_month m = rm->first[r] + (revops_month)k;
            revops_day first = revops_month_first_day(m), end = revops_month_last_day(m) + 1;
            if (qs < end && qe > first)
                rm->quota[rm->start[r] + k] += revops_actx__quota_share(c, i, first, end);
        }
    }
    for (size_t r = 0; r < t->ds->rep.n; r++)
        t->reps[r].quota = (int64_t)llround(t->reps[r].quota_sum);
}

/* ---- one pass over the deals: wins, deal sizes, stage conversion by rep ---- */

static void deals(team *t, ramp_months *rm)
{
    revops_actx *c = t->c;
    const revops_opportunity_table *o = &t->ds->opportunity;
    size_t nopen = (size_t)c->nopen;
    revops_spell spells[MAX_SPELLS];
    revops_deal d;
    for (size_t i = 0; i < o->n; i++) {
        d = c->now[i];
        if (!d.exists)
            continue;
        int64_t r = revops_idmap__get(&c->rep_by_id, o->owner_id[i]);
        if (d.won) {
            /* A won deal is worth its amount on the day it closed (context.c). */
            int64_t value = revops_actx__money(c, d.amount, o->currency[i], d.amount_day);
            if (d.closed >= c->period.start && d.closed < c->period.end) {
                t->period_won += value;
                t->period_won_deals++;
                if (r >= 0) {
                    t->reps[r].won += value;
                    t->reps[r].won_deals++;
                }
            } else if (d.closed >= t->prior.start && d.closed < t->prior.end) {
                t->prior_won += value;
                t->prior_won_deals++;
            }
            if (r >= 0 && rm->start[r + 1] > rm->start[r]) {
                revops_month m = revops_day_month(d.closed);
                size_t cells = rm->start[r + 1] - rm->start[r];
                if (m >= rm->first[r] && (size_t)(m - rm->first[r]) < cells)
                    rm->won[rm->start[r] + (size_t)(m - rm->first[r])] += value;
            }
        }
        if (r < 0)
            continue;
        /* Stage conversion of the rep, by the rule of the pipeline's stage_conversion. */
        size_t ns = revops_actx__spells(c, i, c->as_of, spells, MAX_SPELLS);
        if (ns > MAX_SPELLS)
            ns = MAX_SPELLS;
        for (size_t k = 0; k < ns; k++) {
            const revops_spell *sp = &spells[k];
            if (sp->stage < 0 || (size_t)sp->stage >= nopen || sp->left == REVOPS_NO_TIME)
                continue;
            size_t cell = (size_t)r * nopen + (size_t)sp->stage;
            t->left[cell]++;
            t->advanced[cell] += revops_actx__spell_advanced(c, sp);
        }
    }
}

/* ---- ramp ---- */

static void ramp(team *t, const ramp_months *rm)
{
    revops_actx *c = t->c;
    double threshold = c->opts.ramp_threshold;
    for (size_t r = 0; r < t->ds->rep.n; r++) {
        team_rep *p = &t->reps[r];
        if (p->hired == REVOPS_NO_DAY) {
            snprintf(p->ramp_why, sizeof(p->ramp_why), "no hire date");
            continue;
        }
        if (p->hired > c->as_of) {
            snprintf(p->ramp_why, sizeof(p->ramp_why), "hired after the as-of day");
            continue;
        }
        if (t->quota_history == REVOPS_NO_DAY) {
            snprintf(p->ramp_why, sizeof(p->ramp_why), "no quotas on record");
            continue;
        }
        if (p->hired < t->quota_history) {
            char day[REVOPS_DAY_TEXT_MAX];
            revops_day_format(t->quota_history, day);
            snprintf(p->ramp_why, sizeof(p->ramp_why), "hired before the quota history begins (%s)",
                     day);
            continue;
        }
        int any_quota = 0;
        size_t cells = rm->start[r + 1] - rm->start[r];
        for (size_t k = 0; k < cells && isnan(p->ramp_days); k++) {
            int64_t quota = (int64_t)llround(rm->quota[rm->start[r] + k]);
            if (quota <= 0)
                continue;
            any_quota = 1;
            if ((double)rm->won[rm->start[r] + k] / (double)quota >= threshold) {
                /* From the hire day to the end of that month: the first day after it. */
                revops_day end = revops_month_last_day(rm->first[r] + (revops_month)k) + 1;
                p->ramp_days = (double)(end - p->hired);
            }
        }
        if (isnan(p->ramp_days))
            snprintf(p->ramp_why, sizeof(p->ramp_why), "%s",
                     any_quota ? "not ramped: no finished month at the ramp threshold"
                               : "no quota in a finished month since the hire");
    }
}

/* ---- listing, order and roll-ups ---- */

typedef struct rep_key {
    const char *team;
    revops_str team_id;
    double attainment;
    const char *id;
    uint32_t row;
} rep_key;

/* By team name (reps without a team last), then attainment, highest first (n/a last), then
 * rep id. */
static int by_team_then_attainment(const void *a, const void *b)
{
    const rep_key *x = a, *y = b;
    if ((x->team_id == 0) != (y->team_id == 0))
        return x->team_id == 0 ? 1 : -1;
    int cmp = strcmp(x->team, y->team);
    if (cmp)
        return cmp;
    if (x->team_id != y->team_id)
        return x->team_id < y->team_id ? -1 : 1;
    if (isnan(x->attainment) != isnan(y->attainment))
        return isnan(x->attainment) ? 1 : -1;
    if (!isnan(x->attainment) && x->attainment != y->attainment)
        return x->attainment > y->attainment ? -1 : 1;
    return strcmp(x->id, y->id);
}

/* A rep is listed when the period concerns them: a quota row in it, a deal won in it, or an
 * activity in it. */
static int list_reps(team *t)
{
    const revops_dataset *ds = t->ds;
    size_t nrep = ds->rep.n;
    rep_key *keys = malloc((nrep ? nrep : 1) * sizeof(*keys));
    t->order = malloc((nrep ? nrep : 1) * sizeof(*t->order));
    if (!keys || !t->order) {
        free(keys);
        return revops_error__oom();
    }
    size_t n = 0;
    for (size_t r = 0; r < nrep; r++) {
        team_rep *p = &t->reps[r];
        if (!p->has_quota_row && p->won_deals == 0 && p->acts_total == 0)
            continue;
        p->attainment = ratio_or_nan(p->won, p->quota);
        keys[n++] = (rep_key){revops_analytics__team_name(t->c, ds->rep.id[r]), ds->rep.team_id[r],
                              p->attainment, revops_dataset__str(ds, ds->rep.id[r]), (uint32_t)r};
    }
    if (n > 1)
        qsort(keys, n, sizeof(*keys), by_team_then_attainment);
    for (size_t i = 0; i < n; i++)
        t->order[i] = keys[i].row;
    t->nlisted = n;
    free(keys);
    return 0;
}

/* Teams roll up as sums over their listed reps: sum won / sum quota, not a mean of ratios. A
 * rep's win counts for the team even when the rep has no quota. */
static int rollups(team *t)
{
    const revops_dataset *ds = t->ds;
    t->groups = calloc(t->nlisted ? t->nlisted : 1, sizeof(*t->groups));
    if (!t->groups)
        return revops_error__oom();
    for (size_t i = 0; i < t->nlisted;) {
        team_group *g = &t->groups[t->ngroups++];
        g->id = ds->rep.team_id[t->order[i]];
        g->from = i;
        for (; i < t->nlisted && ds->rep.team_id[t->order[i]] == g->id; i++) {
            const team_rep *p = &t->reps[t->order[i]];
            g->quota += p->quota;
            g->won += p->won;
            g->with_quota += p->quota > 0;
            g->above += p->quota > 0 && p->attainment >= 1.0;
        }
        g->to = i;
        g->attainment = ratio_or_nan(g->won, g->quota);
        g->efficiency = revops_team__mean_efficiency(t, g->from, g->to);
        t->quota += g->quota;
        t->won += g->won;
        t->with_quota += g->with_quota;
        t->above += g->above;
    }
    t->attainment = ratio_or_nan(t->won, t->quota);
    t->efficiency = revops_team__mean_efficiency(t, 0, t->nlisted);
    return 0;
}

/* Attainment bands, lower bound included, and the median and 90th percentile over the reps
 * with a quota. */
static int distribution(team *t)
{
    static const double edges[TEAM_NBANDS - 1] = {0.5, 0.8, 1.0, 1.2};
    revops_sample s = {0}, ramps = {0};
    int rc = 0;
    for (size_t i = 0; i < t->nlisted && !rc; i++) {
        const team_rep *p = &t->reps[t->order[i]];
        if (!isnan(p->ramp_days) && (rc = revops_sample__add(&ramps, p->ramp_days)))
            break;
        if (isnan(p->attainment))
            continue;
        int band = 0;
        while (band < TEAM_NBANDS - 1 && p->attainment >= edges[band])
            band++;
        t->bands[band]++;
        rc = revops_sample__add(&s, p->attainment);
    }
    t->median = revops_sample__quantile(&s, 0.5);
    t->p90 = revops_sample__quantile(&s, 0.9);
    t->ramped = ramps.n;
    t->ramp_median = revops_sample__quantile(&ramps, 0.5);
    revops_sample__free(&s);
    revops_sample__free(&ramps);
    return rc;
}

/* ---- coaching ---- */

static int by_gap(const void *a, const void *b)
{
    const team_flag *x = a, *y = b;
    double gx = x->median - x->conversion, gy = y->median - y->conversion;
    if (gx != gy)
        return gx > gy ? -1 : 1;
    if (x->rep != y->rep)
        return x->rep < y->rep ? -1 : 1;
    return x->stage - y->stage;
}

/*
 * A rep is flagged at an open stage when their conversion there (of their deals that left the
 * stage, the share that moved on or won) is below the median conversion of their team's
 * listed reps that have one at that stage by more than the coaching gap. A team with one such
 * rep has nobody to compare with.
 */
static int coaching(team *t)
{
    size_t nopen = (size_t)t->c->nopen;
    double gap = t->c->opts.coaching_gap;
    revops_sample s = {0};
    size_t cap = 0;
    int rc = 0;
    for (size_t g = 0; g < t->ngroups && !rc; g++) {
        const team_group *grp = &t->groups[g];
        for (size_t st = 0; st < nopen && !rc; st++) {
            revops_sample__clear(&s);
            for (size_t x = grp->from; x < grp->to && !rc; x++) {
                size_t cell = (size_t)t->order[x] * nopen + st;
                if (t->left[cell] > 0)
                    rc = revops_sample__add(&s, (double)t->advanced[cell] / (double)t->left[cell]);
            }
            if (rc || s.n < 2)
                continue;
            double median = revops_sample__quantile(&s, 0.5);
            for (size_t x = grp->from; x < grp->to && !rc; x++) {
                uint32_t r = t->order[x];
                size_t cell = (size_t)r * nopen + st;
                if (t->left[cell] == 0)
                    continue;
                double conv = (double)t->advanced[cell] / (double)t->left[cell];
                if (median - conv <= gap + GAP_EPSILON)
                    continue;
                if ((rc = revops_array__grow((void **)&t->flags, &cap, t->nflags + 1,
                                             sizeof(*t->flags))))
                    break;
                t->flags[t->nflags++] = (team_flag){r, (int)st, t->left[cell], conv, median};
            }
        }
    }
    revops_sample__free(&s);
    if (!rc && t->nflags > 1)
        if (t->nflags > 1)
            qsort(t->flags, t->nflags, sizeof(*t->flags), by_gap);
    return rc;
}

/* ---- the whole computation ---- */

void revops_team__free(team *t)
{
    free(t->reps);
    free(t->order);
    free(t->groups);
    free(t->flags);
    free(t->left);
    free(t->advanced);
    memset(t, 0, sizeof(*t));
}

int revops_team__compute(team *t, revops_actx *c)
{
    const revops_dataset *ds = c->ds;
    size_t nrep = ds->rep.n, cells;
    memset(t, 0, sizeof(*t));
    t->c = c;
    t->ds = ds;
    t->growth = NAN;
    ramp_months rm;
    memset(&rm, 0, sizeof(rm));
    int shift = c->period.kind == REVOPS_PERIOD_MONTH     ? -12
                : c->period.kind == REVOPS_PERIOD_QUARTER ? -4
                                                          : -1;
    revops_period_shift(&t->prior, &c->period, shift);
    t->quota_history = REVOPS_NO_DAY;
    for (size_t i = 0; i < ds->quota.n; i++)
        if (t->quota_history == REVOPS_NO_DAY || ds->quota.period_start[i] < t->quota_history)
            t->quota_history = ds->quota.period_start[i];
    int rc = 0;
    if (revops_size_mul(nrep ? nrep : 1, (size_t)(c->nopen > 0 ? c->nopen : 1), &cells)) {
        rc = revops_error__set(REVOPS_ETOOBIG, "too many reps and stages");
        goto done;
    }
    t->reps = calloc(nrep ? nrep : 1, sizeof(*t->reps));
    t->left = calloc(cells, sizeof(*t->left));
    t->advanced = calloc(cells, sizeof(*t->advanced));
    if (!t->reps || !t->left || !t->advanced) {
        rc = revops_error__oom();
        goto done;
    }
    for (int i = 0; i < TEAM_NTYPES; i++) {
        const char *name = revops_values_activity_type[i];
        if (revops_strpool__find(&ds->strings, name, strlen(name), &t->type_str[i]))
            t->type_str[i] = 0;
    }
    setup_reps(t);
    if ((rc = ramp_alloc(t, &rm)))
        goto done;
    quotas(t, &rm);
    deals(t, &rm);
    revops_team__activities(t);
    ramp(t, &rm);
    if ((rc = list_reps(t)) || (rc = rollups(t)) || (rc = distribution(t)) || (rc = coaching(t)))
        goto done;
    if (t->period_won_deals > 0 && t->prior_won_deals > 0 && t->prior_won > 0)
        t->growth = ((double)t->period_won / (double)t->period_won_deals) /
                        ((double)t->prior_won / (double)t->prior_won_deals) -
                    1.0;
done:
    ramp_months_free(&rm);
    if (rc)
        revops_team__free(t);
    return rc;
}

int revops_analytics__team(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    team t;
    int rc = revops_team__compute(&t, c);
    if (rc)
        return rc;
    revops_team__report(&t, root, k);
    revops_team__free(&t);
    return 0;
}
