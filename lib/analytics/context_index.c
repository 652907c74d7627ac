/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The indexes of the analysis context, built as tasks on every core in three rounds, each
 * needing what the one before it made:
 *
 *   1. the deals' id map, and the first and latest event days (the as-of day comes from
 *      them), over slices of every time column;
 *   2. the other id maps, each deal's stage history in time order, the deal each lead names
 *      and the lead each deal names, and each deal's latest activity on the as-of day (and,
 *      when asked for, all its activity times in order), the big tables cut in parts;
 *   3. every deal as it stood at the end of the as-of day, in parts of the deals.
 *
 * Every task fills its own fields or its own part of an array, so what the rounds compute
 * does not depend on which thread ran which task.
 */
#include <stdlib.h>
#include <string.h>

#include "analytics/context.h"
#include "core/error.h"
#include "core/tasks.h"

/* Parts of the big tables: more than the cores, so that a core that finishes early takes
 * another part instead of waiting. The activities' parts each keep a time per deal, in fresh
 * memory, which costs more than the lookups on some machines: fewer of them. */
#define PARTS 8
#define ACT_PARTS 4
/* Rows of a time column bounded by one task. */
#define SLICE_ROWS (4u << 20)

/* ---- round 1: the deals' map and the event days ---- */

typedef struct bound_slice {
    const revops_time *at;
    size_t n;
    revops_time lo, hi;
} bound_slice;

static int bound(void *arg)
{
    bound_slice *s = arg;
    revops_dataset__time_bounds(s->at, s->n, &s->lo, &s->hi);
    return 0;
}

static int build_opp_map(void *arg)
{
    revops_actx *c = arg;
    return revops_idmap__build(&c->opp_by_id, c->ds->opportunity.id, c->ds->opportunity.n);
}

int revops_actx__index_start(revops_actx *c)
{
    revops_time_column cols[REVOPS_MAX_TIME_COLUMNS];
    size_t ncols = revops_dataset__time_columns(c->ds, cols, REVOPS_MAX_TIME_COLUMNS);
    if (ncols > REVOPS_MAX_TIME_COLUMNS)
        return revops_error__set(REVOPS_EINTERNAL, "the model has more time columns than %d",
                                 REVOPS_MAX_TIME_COLUMNS);
    size_t nslices = 0;
    for (size_t i = 0; i < ncols; i++)
        nslices += (cols[i].n + SLICE_ROWS - 1) / SLICE_ROWS;
    bound_slice *slices = malloc((nslices ? nslices : 1) * sizeof(*slices));
    revops_task *tasks = malloc((nslices + 1) * sizeof(*tasks));
    int rc = 0;
    if (!slices || !tasks) {
        rc = revops_error__oom();
        goto done;
    }
    size_t n = 0;
    tasks[n++] = (revops_task){build_opp_map, c, -1};
    size_t k = 0;
    for (size_t i = 0; i < ncols; i++)
        for (size_t from = 0; from < cols[i].n; from += SLICE_ROWS) {
            size_t len = cols[i].n - from < SLICE_ROWS ? cols[i].n - from : SLICE_ROWS;
            slices[k] = (bound_slice){cols[i].at + from, len, INT64_MAX, REVOPS_NO_TIME};
            tasks[n++] = (revops_task){bound, &slices[k++], -1};
        }
    if ((rc = revops_tasks__run(tasks, n, 0)))
        goto done;
    revops_time lo = INT64_MAX, hi = REVOPS_NO_TIME;
    for (size_t i = 0; i < nslices; i++) {
        lo = slices[i].lo < lo ? slices[i].lo : lo;
        hi = slices[i].hi > hi ? slices[i].hi : hi;
    }
    revops_dataset__bounds_days(lo, hi, &c->first_day, &c->latest_day);
done:
    free(slices);
    free(tasks);
    return rc;
}

/* ---- round 2: maps, histories, the leads' deals, activities ---- */

static int build_lead_map(void *arg)
{
    revops_actx *c = arg;
    return revops_idmap__build(&c->lead_by_id, c->ds->lead.id, c->ds->lead.n);
}

static int build_other_maps(void *arg)
{
    revops_actx *c = arg;
    const revops_dataset *ds = c->ds;
    int rc = revops_idmap__build(&c->rep_by_id, ds->rep.id, ds->rep.n);
    if (!rc)
        rc = revops_idmap__build(&c->team_by_id, ds->team.id, ds->team.n);
    if (!rc)
        rc = revops_idmap__build(&c->account_by_id, ds->account.id, ds->account.n);
    return rc;
}

/* Orders a deal's stage changes by time (then by file order): insertion sort, since a deal has
 * a handful. */
static void sort_history(const revops_dataset *ds, uint32_t *rows, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint32_t r = rows[i];
        revops_time t = ds->stage_change.at[r];
        size_t j = i;
        while (j > 0 && (ds->stage_change.at[rows[j - 1]] > t ||
                         (ds->stage_change.at[rows[j - 1]] == t && rows[j - 1] > r))) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j] = r;
    }
}

static int index_history(void *arg)
{
    revops_actx *c = arg;
    const revops_dataset *ds = c->ds;
    size_t nopp = ds->opportunity.n, nsc = ds->stage_change.n;
    c->hist_start = calloc(nopp + 2, sizeof(*c->hist_start));
    c->hist_rows = malloc((nsc ? nsc : 1) * sizeof(*c->hist_rows));
    c->hist_to = malloc(nsc ? nsc : 1);
    c->hist_from = malloc(nsc ? nsc : 1);
    int32_t *owner = malloc((nsc ? nsc : 1) * sizeof(*owner));
    if (!c->hist_start || !c->hist_rows || !c->hist_to || !c->hist_from || !owner) {
        free(owner);
        return revops_error__oom();
    }
    enum { AHEAD = 64 };
    int64_t o = -1;
    for (size_t r = 0; r < nsc; r++) {
        if (r + AHEAD < nsc)
            revops_idmap__prefetch(&c->opp_by_id, ds->stage_change.opportunity_id[r + AHEAD]);
        /* A deal's changes usually come together: look its id up once per run. */
        revops_str id = ds->stage_change.opportunity_id[r];
        if (r == 0 || id != ds->stage_change.opportunity_id[r - 1])
            o = revops_idmap__get(&c->opp_by_id, id);
        owner[r] = (int32_t)o;
        if (o >= 0)
            c->hist_start[o + 2]++;
        /* The stages as indexes, looked up once here rather than at every visit. */
        c->hist_to[r] = (int8_t)revops_actx__stage(c, ds->stage_change.to_stage[r]);
        revops_str from = ds->stage_change.from_stage[r];
        c->hist_from[r] = from ? (int8_t)revops_actx__stage(c, from) : -1;
    }
    for (size_t i = 2; i < nopp + 2; i++)
        c->hist_start[i] += c->hist_start[i - 1];
    for (size_t r = 0; r < nsc; r++)
        if (owner[r] >= 0)
            c->hist_rows[c->hist_start[owner[r] + 1]++] = (uint32_t)r;
    for (size_t d = 0; d < nopp; d++)
        sort_history(ds, c->hist_rows + c->hist_start[d], c->hist_start[d + 1] - c->hist_start[d]);
    free(owner);
    return 0;
}

/*
 * The lead each deal names, as a map of the lead ids would find it (the first lead with the
 * id) but without one: a map of the deals' lead ids, a million where the leads are several,
 * is small enough to stay in the cache while every lead id is looked up in it.
 */
static int index_deal_leads(void *arg)
{
    revops_actx *c = arg;
    const revops_opportunity_table *o = &c->ds->opportunity;
    const revops_lead_table *l = &c->ds->lead;
    revops_idmap by_lead = {0};
    int32_t *lead_of_first = malloc((o->n ? o->n : 1) * sizeof(*lead_of_first));
    int rc = lead_of_first ? revops_idmap__build(&by_lead, o->lead_id, o->n) : revops_error__oom();
    if (rc)
        goto done;
    /* by_lead maps a lead id to the first deal naming it; that deal keeps the lead's row. */
    for (size_t i = 0; i < o->n; i++)
        lead_of_first[i] = -1;
    enum { AHEAD = 32 };
    for (size_t r = 0; r < l->n && r <= INT32_MAX; r++) {
        if (r + AHEAD < l->n)
            revops_idmap__prefetch(&by_lead, l->id[r + AHEAD]);
        int64_t k = revops_idmap__get(&by_lead, l->id[r]);
        if (k >= 0 && lead_of_first[k] < 0)
            lead_of_first[k] = (int32_t)r;
    }
    for (size_t i = 0; i < o->n; i++) {
        int64_t k = revops_idmap__get(&by_lead, o->lead_id[i]);
        c->deal_lead[i] = k >= 0 ? lead_of_first[k] : -1;
    }
done:
    revops_idmap__free(&by_lead);
    free(lead_of_first);
    return rc;
}

/* A part of the leads: the deal each names, looked up with the slots fetched ahead, since
 * nearly every lookup misses the cache. */
typedef struct range_part {
    revops_actx *c;
    size_t from, to;
} range_part;

static int lookup_leads(void *arg)
{
    range_part *p = arg;
    const revops_lead_table *l = &p->c->ds->lead;
    const revops_idmap *m = &p->c->opp_by_id;
    enum { AHEAD = 48 };
    for (size_t r = p->from; r < p->to; r++) {
        if (r + AHEAD < p->to)
            revops_idmap__prefetch(m, l->opportunity_id[r + AHEAD]);
        p->c->lead_opp[r] = (int32_t)revops_idmap__get(m, l->opportunity_id[r]);
    }
    return 0;
}

/* A part of the activities: each deal's latest activity time at or before the end of the
 * as-of day among the part's rows, and, when the full index is wanted, the deal of each of its
 * rows that names one (-1 when the deal is unknown), in row order. */
typedef struct act_part {
    revops_actx *c;
    size_t from, to;
    revops_time *last; /* by deal */
    int32_t *owner;    /* one per row with an opportunity_id, or NULL */
    size_t n;
} act_part;

static int lookup_activities(void *arg)
{
    act_part *p = arg;
    const revops_activity_table *a = &p->c->ds->activity;
    const revops_idmap *m = &p->c->opp_by_id;
    size_t nopp = p->c->ds->opportunity.n;
    revops_time end = revops_actx__day_end(p->c->as_of);
    p->last = malloc((nopp ? nopp : 1) * sizeof(*p->last));
    if (!p->last)
        return revops_error__oom();
    for (size_t i = 0; i < nopp; i++)
        p->last[i] = REVOPS_NO_TIME;
    if (p->c->needs & REVOPS_ACTX_ACTIVITY_INDEX) {
        size_t named = 0;
        for (size_t r = p->from; r < p->to; r++)
            named += a->opportunity_id[r] != 0;
        p->owner = malloc((named ? named : 1) * sizeof(*p->owner));
        if (!p->owner)
            return revops_error__oom();
    }
    enum { AHEAD = 48 };
    for (size_t r = p->from; r < p->to; r++) {
        if (r + AHEAD < p->to)
            revops_idmap__prefetch(m, a->opportunity_id[r + AHEAD]);
        if (!a->opportunity_id[r])
            continue;
        int64_t o = revops_idmap__get(m, a->opportunity_id[r]);
        if (p->owner)
            p->owner[p->n++] = (int32_t)o;
        if (o >= 0 && a->at[r] <= end && a->at[r] > p->last[o])
            p->last[o] = a->at[r];
    }
    return 0;
}

/* ---- round 3: the deals on the as-of day, and the activity index ---- */

/* A deal's activity times in order. A deal has a few dozen, which an export usually lists in
 * time order already (one look finds that out); else a Shell sort (Ciura's gaps), in place
 * and without a comparison callback, which for a few dozen is an insertion sort. */
static void sort_times(revops_time *t, size_t n)
{
    size_t sorted = 1;
    while (sorted < n && t[sorted - 1] <= t[sorted])
        sorted++;
    if (sorted >= n)
        return;
    static const size_t gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
    for (size_t g = 0; g < sizeof(gaps) / sizeof(gaps[0]); g++) {
        size_t gap = gaps[g];
        for (size_t i = gap; i < n; i++) {
            revops_time v = t[i];
            size_t j = i;
            while (j >= gap && t[j - gap] > v) {
                t[j] = t[j - gap];
                j -= gap;
            }
            t[j] = v;
        }
    }
}

typedef struct index_round {
    revops_actx *c;
    act_part *acts;
} index_round;

/* Every deal's activity times in order, from the parts' lookups. */
static int index_activities(void *arg)
{
    index_round *x = arg;
    revops_actx *c = x->c;
    act_part *parts = x->acts;
    const revops_dataset *ds = c->ds;
    size_t nopp = ds->opportunity.n;
    c->act_start = calloc(nopp + 2, sizeof(*c->act_start));
    if (!c->act_start)
        return revops_error__oom();
    size_t linked = 0;
    for (int k = 0; k < ACT_PARTS; k++) {
        for (size_t i = 0; i < parts[k].n; i++) {
            int32_t o = parts[k].owner[i];
            if (o >= 0) {
                c->act_start[o + 2]++;
                linked++;
            }
        }
    }
    c->act_times = malloc((linked ? linked : 1) * sizeof(*c->act_times));
    if (!c->act_times)
        return revops_error__oom();
    for (size_t i = 2; i < nopp + 2; i++)
        c->act_start[i] += c->act_start[i - 1];
    for (int k = 0; k < ACT_PARTS; k++) {
        size_t i = 0;
        for (size_t r = parts[k].from; r < parts[k].to; r++) {
            if (!ds->activity.opportunity_id[r])
                continue;
            int32_t o = parts[k].owner[i++];
            if (o >= 0)
                c->act_times[c->act_start[o + 1]++] = ds->activity.at[r];
        }
    }
    for (size_t o = 0; o < nopp; o++)
        sort_times(c->act_times + c->act_start[o], c->act_start[o + 1] - c->act_start[o]);
    return 0;
}

typedef struct deal_part {
    index_round *round;
    size_t from, to;
} deal_part;

static int deals_now(void *arg)
{
    deal_part *p = arg;
    revops_actx *c = p->round->c;
    const act_part *acts = p->round->acts;
    for (size_t i = p->from; i < p->to; i++) {
        revops_actx__deal(c, i, c->as_of, &c->now[i]);
        revops_time last = REVOPS_NO_TIME;
        for (int k = 0; k < ACT_PARTS; k++)
            last = acts[k].last[i] > last ? acts[k].last[i] : last;
        c->last_act[i] = last;
    }
    return 0;
}

int revops_actx__index_rest(revops_actx *c)
{
    const revops_dataset *ds = c->ds;
    size_t nopp = ds->opportunity.n, nlead = ds->lead.n, nact = ds->activity.n;
    act_part acts[ACT_PARTS];
    range_part leads[PARTS];
    deal_part deals[PARTS];
    index_round round = {c, acts};
    memset(acts, 0, sizeof(acts));
    c->lead_opp = malloc((nlead ? nlead : 1) * sizeof(*c->lead_opp));
    c->now = malloc((nopp ? nopp : 1) * sizeof(*c->now));
    c->last_act = malloc((nopp ? nopp : 1) * sizeof(*c->last_act));
    c->deal_lead = malloc((nopp ? nopp : 1) * sizeof(*c->deal_lead));
    if (!c->lead_opp || !c->now || !c->last_act || !c->deal_lead)
        return revops_error__oom();
    revops_task tasks[4 + ACT_PARTS + PARTS];
    size_t n = 0;
    /* The longest first, so that the short ones fill in at the end. */
    tasks[n++] = (revops_task){index_history, c, -1};
    for (int k = 0; k < ACT_PARTS; k++) {
        acts[k] = (act_part){
            c, nact * (size_t)k / ACT_PARTS, nact * (size_t)(k + 1) / ACT_PARTS, NULL, NULL, 0};
        tasks[n++] = (revops_task){lookup_activities, &acts[k], -1};
    }
    tasks[n++] = (revops_task){index_deal_leads, c, -1};
    tasks[n++] = (revops_task){build_other_maps, c, -1};
    if (c->needs & REVOPS_ACTX_LEAD_MAP)
        tasks[n++] = (revops_task){build_lead_map, c, -1};
    for (int k = 0; k < PARTS; k++) {
        leads[k] = (range_part){c, nlead * (size_t)k / PARTS, nlead * (size_t)(k + 1) / PARTS};
        tasks[n++] = (revops_task){lookup_leads, &leads[k], -1};
    }
    int rc = revops_tasks__run(tasks, n, 0);
    if (rc)
        goto done;
    n = 0;
    if (c->needs & REVOPS_ACTX_ACTIVITY_INDEX)
        tasks[n++] = (revops_task){index_activities, &round, -1};
    for (int k = 0; k < PARTS; k++) {
        deals[k] = (deal_part){&round, nopp * (size_t)k / PARTS, nopp * (size_t)(k + 1) / PARTS};
        tasks[n++] = (revops_task){deals_now, &deals[k], -1};
    }
    rc = revops_tasks__run(tasks, n, 0);
done:
    for (int k = 0; k < ACT_PARTS; k++) {
        free(acts[k].last);
        free(acts[k].owner);
    }
    return rc;
}
