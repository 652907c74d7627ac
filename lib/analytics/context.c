/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analytics/context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/tasks.h"
#include "revops/money.h"

int revops_actx__stage(const revops_actx *c, revops_str name)
{
    if (!name)
        return -1;
    for (size_t i = 0; i < c->stages.n; i++)
        if (c->stage_str[i] == name)
            return (int)i;
    return -1;
}

static int check_options(const revops_analysis_options *o)
{
    if (o->fiscal_start_month < 1 || o->fiscal_start_month > 12)
        return revops_error__set(REVOPS_EINVALID, "fiscal year start month %d is not 1..12",
                                 o->fiscal_start_month);
    if (o->window_days < 1)
        return revops_error__set(REVOPS_EINVALID, "the win-rate window must be at least a day");
    if (!(o->stalled_factor > 0) || o->stalled_days < 1 || o->inactive_days < 1)
        return revops_error__set(REVOPS_EINVALID, "stalled and inactive limits must be positive");
    if (o->response_sla_minutes < 0 || o->handoff_sla_hours < 0)
        return revops_error__set(REVOPS_EINVALID, "SLAs cannot be negative");
    if (!(o->ramp_threshold > 0) || o->coaching_gap < 0)
        return revops_error__set(REVOPS_EINVALID, "ramp threshold and coaching gap must be "
                                                  "positive");
    for (int r = 0; o->activity_targets && r < REVOPS_REP_ROLES; r++)
        for (int k = 0; k < REVOPS_ACTIVITY_TYPES; k++) {
            double x = o->activity_targets->target[r][k];
            /* !(x >= 0) also refuses NaN. */
            if (!(x >= 0) || !isfinite(x))
                return revops_error__set(REVOPS_EINVALID,
                                         "the %s target of %s is %g: a target is 0 or more",
                                         revops_values_activity_type[k], revops_values_role[r], x);
        }
    return 0;
}

/*
 * The reporting currency when none is given: the currency the exchange rates convert into is
 * the one with no rates of its own, so among the deals' currencies the most common one
 * without rates wins; when every currency has rates (or none has), the most common one.
 */
static int choose_currency(revops_actx *c)
{
    const revops_dataset *ds = c->ds;
    const char *wanted = c->opts.currency;
    if (wanted) {
        if (revops_currency_exponent(wanted, strlen(wanted)) < 0)
            return revops_error__set(REVOPS_EINVALID,
                                     "reporting currency '%s' is not an ISO 4217 code", wanted);
        snprintf(c->currency, sizeof(c->currency), "%s", wanted);
    } else {
        revops_str best = 0, best_ratable = 0;
        size_t best_n = 0, best_ratable_n = 0;
        revops_str seen[64];
        size_t counts[64], nseen = 0;
        revops_time end = revops_actx__day_end(c->as_of);
        for (size_t i = 0; i < ds->opportunity.n; i++) {
            /* Only what was known on the as-of day: deals created by then, rates dated by
             * then. */
            if (ds->opportunity.created_at[i] > end)
                continue;
            revops_str cur = ds->opportunity.currency[i];
            size_t k = 0;
            while (k < nseen && seen[k] != cur)
                k++;
            if (k == nseen) {
                if (nseen == 64)
                    continue;
                seen[nseen] = cur;
                counts[nseen++] = 0;
            }
            counts[k]++;
        }
        for (size_t k = 0; k < nseen; k++) {
            int has_rates = 0;
            for (size_t r = 0; r < ds->fx_rate.n && !has_rates; r++)
                has_rates = ds->fx_rate.currency[r] == seen[k] && ds->fx_rate.date[r] <= c->as_of;
            if (counts[k] > best_n) {
                best = seen[k];
                best_n = counts[k];
            }
            if (!has_rates && counts[k] > best_ratable_n) {
                best_ratable = seen[k];
                best_ratable_n = counts[k];
            }
        }
        revops_str pick = best_ratable ? best_ratable : best;
        snprintf(c->currency, sizeof(c->currency), "%s",
                 pick ? revops_dataset__str(ds, pick) : "USD");
    }
    c->exponent = revops_currency_exponent(c->currency, strlen(c->currency));
    if (revops_strpool__find(&ds->strings, c->currency, strlen(c->currency), &c->currency_str))
        c->currency_str = 0;
    return 0;
}

typedef struct fx_row {
    revops_str currency;
    revops_day day;
    double rate;
} fx_row;

static int compare_fx_rows(const void *a, const void *b)
{
    const fx_row *x = a, *y = b;
    if (x->currency != y->currency)
        return x->currency < y->currency ? -1 : 1;
    return x->day < y->day ? -1 : x->day > y->day;
}

static int load_fx(revops_actx *c)
{
    const revops_fx_rate_table *t = &c->ds->fx_rate;
    if (t->n == 0)
        return 0;
    fx_row *rows = malloc(t->n * sizeof(*rows));
    if (!rows)
        return revops_error__oom();
    /* A rate dated after the as-of day was not known on it. */
    size_t n = 0;
    for (size_t i = 0; i < t->n; i++)
        if (t->date[i] <= c->as_of)
            rows[n++] = (fx_row){t->currency[i], t->date[i], t->rate[i]};
    if (n > 1)
        qsort(rows, n, sizeof(*rows), compare_fx_rows);
    size_t groups = 0;
    for (size_t i = 0; i < n; i++)
        groups += i == 0 || rows[i].currency != rows[i - 1].currency;
    c->fx = calloc(groups ? groups : 1, sizeof(*c->fx));
    int rc = 0;
    if (!c->fx) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < n && !rc;) {
        size_t j = i;
        while (j < n && rows[j].currency == rows[i].currency)
            j++;
        revops_fx_series *s = &c->fx[c->nfx++];
        s->currency = rows[i].currency;
        const char *code = revops_dataset__str(c->ds, s->currency);
        s->exponent = revops_currency_exponent(code, strlen(code));
        s->days = malloc((j - i) * sizeof(*s->days));
        s->rates = malloc((j - i) * sizeof(*s->rates));
        if (!s->days || !s->rates) {
            rc = revops_error__oom();
            break;
        }
        for (size_t k = i; k < j; k++) {
            s->days[s->n] = rows[k].day;
            s->rates[s->n++] = rows[k].rate;
        }
        i = j;
    }
done:
    free(rows);
    return rc;
}

int64_t revops_actx__money(revops_actx *c, int64_t minor, revops_str currency, revops_day day)
{
    if (currency == c->currency_str || currency == 0)
        return minor;
    const revops_fx_series *s = NULL;
    for (size_t i = 0; i < c->nfx && !s; i++)
        if (c->fx[i].currency == currency)
            s = &c->fx[i];
    if (!s || s->n == 0) {
        c->fx_missing++;
        return minor;
    }
    /* The last rate on or before the day. */
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->days[mid] <= day)
            lo = mid + 1;
        else
            hi = mid;
    }
    double rate;
    if (lo == 0) {
        c->fx_before_first++;
        rate = s->rates[0];
    } else {
        rate = s->rates[lo - 1];
    }
    double scaled = (double)minor * rate * pow(10.0, c->exponent - s->exponent);
    return (int64_t)llround(scaled);
}

double revops_actx__quota_share(revops_actx *c, size_t row, revops_day start, revops_day end)
{
    const revops_quota_table *q = &c->ds->quota;
    revops_day from = q->period_start[row], to = q->period_end[row] + 1; /* [from, to) */
    revops_day lo = from > start ? from : start;
    revops_day hi = to < end ? to : end;
    if (hi <= lo || to <= from)
        return 0.0;
    double share = (double)(hi - lo) / (double)(to - from);
    return share * (double)revops_actx__money(c, q->amount[row], q->currency[row], from);
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

/* The activities are looked up in parts, one task each: a part notes the deal of each of its
 * rows that names a deal (-1 when the deal is unknown), in row order. */
#define ACT_PARTS 4

typedef struct act_part {
    revops_actx *c;
    size_t from, to; /* rows */
    int32_t *owner;  /* one per row with an opportunity_id */
    size_t n;
} act_part;

static int lookup_activities(void *arg)
{
    act_part *p = arg;
    const revops_activity_table *a = &p->c->ds->activity;
    const revops_idmap *m = &p->c->opp_by_id;
    size_t named = 0;
    for (size_t r = p->from; r < p->to; r++)
        named += a->opportunity_id[r] != 0;
    p->owner = malloc((named ? named : 1) * sizeof(*p->owner));
    if (!p->owner)
        return revops_error__oom();
    /* Most lookups miss the cache: fetch the slot of a row well ahead. */
    enum { AHEAD = 48 };
    for (size_t r = p->from; r < p->to; r++) {
        if (r + AHEAD < p->to)
            revops_idmap__prefetch(m, a->opportunity_id[r + AHEAD]);
        if (a->opportunity_id[r])
            p->owner[p->n++] = (int32_t)revops_idmap__get(m, a->opportunity_id[r]);
    }
    return 0;
}

/* Orders each deal's activity times, after the lookups (parts[0..ACT_PARTS)). */
static int index_activities(revops_actx *c, act_part *parts)
{
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

static int build_opp_map(void *arg)
{
    revops_actx *c = arg;
    return revops_idmap__build(&c->opp_by_id, c->ds->opportunity.id, c->ds->opportunity.n);
}

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

/* A failure here is the scorecard's to report (as n/a), not the analysis's. */
static int compute_stats(void *arg)
{
    revops_actx *c = arg;
    if (revops_stats__compute(&c->stats, c->ds, c->as_of, c->first_day, c->latest_day) != 0) {
        c->stats = NULL;
        c->stats_failed = 1;
        c->stats_error = *revops_error_last();
    }
    return 0;
}

/*
 * The indexes, and the data-quality statistics when the scorecard will want them, as tasks
 * on every core: the maps first, the deals' histories and activities once the deals' map is
 * there. Every task fills its own fields.
 */
static int build_indexes(revops_actx *c)
{
    act_part parts[ACT_PARTS];
    size_t na = c->ds->activity.n;
    for (int k = 0; k < ACT_PARTS; k++)
        parts[k] =
            (act_part){c, na * (size_t)k / ACT_PARTS, na * (size_t)(k + 1) / ACT_PARTS, NULL, 0};
    unsigned sections = c->opts.sections ? c->opts.sections : REVOPS_SECTION_ALL;
    revops_task tasks[5 + ACT_PARTS];
    size_t n = 0;
    tasks[n++] = (revops_task){build_opp_map, c, -1};
    if ((sections & REVOPS_SECTION_SCORECARD) && c->as_of == c->latest_day)
        tasks[n++] = (revops_task){compute_stats, c, -1};
    tasks[n++] = (revops_task){build_lead_map, c, -1};
    tasks[n++] = (revops_task){build_other_maps, c, -1};
    tasks[n++] = (revops_task){index_history, c, 0};
    for (int k = 0; k < ACT_PARTS; k++)
        tasks[n++] = (revops_task){lookup_activities, &parts[k], 0};
    int rc = revops_tasks__run(tasks, n, 0);
    if (!rc)
        rc = index_activities(c, parts);
    for (int k = 0; k < ACT_PARTS; k++)
        free(parts[k].owner);
    return rc;
}

int revops_actx__init(revops_actx *c, const revops_dataset *ds, const revops_analysis_options *opts)
{
    memset(c, 0, sizeof(*c));
    c->ds = ds;
    revops_analysis_options def = REVOPS_ANALYSIS_OPTIONS_INIT;
    c->opts = opts ? *opts : def;
    int rc = check_options(&c->opts);
    if (rc)
        return rc;
    if (c->opts.stages)
        c->stages = *c->opts.stages;
    else
        revops_stages_default(&c->stages);
    for (size_t i = 0; i < c->stages.n; i++) {
        const char *name = c->stages.items[i].name;
        if (revops_strpool__find(&ds->strings, name, strlen(name), &c->stage_str[i]))
            c->stage_str[i] = 0;
        c->probability[i] = c->stages.items[i].probability;
        if (c->stages.items[i].outcome == REVOPS_OUTCOME_OPEN)
            c->nopen = (int)i + 1;
    }
    revops_dataset__event_days(ds, &c->first_day, &c->latest_day);
    c->as_of = c->opts.as_of != REVOPS_NO_DAY ? c->opts.as_of : c->latest_day;
    if (c->as_of == REVOPS_NO_DAY)
        return revops_error__set(REVOPS_EINVALID,
                                 "the data hold no dated events to analyse; give --as-of");
    if (c->opts.period) {
        if ((rc = revops_period_parse(&c->period, c->opts.period, strlen(c->opts.period),
                                      c->opts.fiscal_start_month)))
            return rc;
    } else {
        revops_period_containing(&c->period, REVOPS_PERIOD_QUARTER, c->as_of,
                                 c->opts.fiscal_start_month);
    }
    if ((rc = choose_currency(c)) || (rc = load_fx(c)))
        goto fail;
    if ((rc = build_indexes(c)))
        goto fail;
    return 0;
fail:
    revops_actx__free(c);
    return rc;
}

void revops_actx__free(revops_actx *c)
{
    for (size_t i = 0; i < c->nfx; i++) {
        free(c->fx[i].days);
        free(c->fx[i].rates);
    }
    free(c->fx);
    revops_idmap__free(&c->opp_by_id);
    revops_idmap__free(&c->rep_by_id);
    revops_idmap__free(&c->team_by_id);
    revops_idmap__free(&c->account_by_id);
    revops_idmap__free(&c->lead_by_id);
    free(c->hist_start);
    free(c->hist_rows);
    free(c->hist_to);
    free(c->hist_from);
    revops_stats_free(c->stats);
    free(c->act_start);
    free(c->act_times);
    memset(c, 0, sizeof(*c));
}

static int closed_stage(const revops_actx *c, int stage)
{
    return stage >= 0 && c->stages.items[stage].outcome != REVOPS_OUTCOME_OPEN;
}

/*
 * The stage history decides where it speaks: the deal's stage, amount and close date on the
 * day are those of its last change at or before the end of the day. Where it is silent the
 * current fields fill in: no change yet on the day means the stage the first later change
 * left from (or the current stage); a close recorded only in closed_at (the history stops
 * before it) still closes the deal on that day.
 */
void revops_actx__deal(const revops_actx *c, size_t opp, revops_day day, revops_deal *out)
{
    const revops_dataset *ds = c->ds;
    const revops_opportunity_table *o = &ds->opportunity;
    const revops_stage_change_table *h = &ds->stage_change;
    revops_time end = revops_actx__day_end(day);
    memset(out, 0, sizeof(*out));
    out->created = revops_time_day(o->created_at[opp]);
    out->exists = o->created_at[opp] <= end;
    out->stage = -1;
    out->amount = REVOPS_NO_MONEY;
    out->first_amount = REVOPS_NO_MONEY;
    out->close_date = REVOPS_NO_DAY;
    out->closed = REVOPS_NO_DAY;
    out->stage_entered = out->created;
    revops_time closed_at = REVOPS_NO_TIME, last_row = REVOPS_NO_TIME;
    int later_from = -2; /* the first later change's from_stage, when there is one */
    for (size_t k = c->hist_start[opp]; k < c->hist_start[opp + 1]; k++) {
        uint32_t r = c->hist_rows[k];
        if (h->at[r] > end) {
            if (later_from == -2)
                later_from = c->hist_from[r];
            continue;
        }
        if (out->first_amount == REVOPS_NO_MONEY && h->amount[r] != REVOPS_NO_MONEY)
            out->first_amount = h->amount[r];
        if (h->amount[r] != REVOPS_NO_MONEY) {
            out->amount = h->amount[r];
            out->amount_day = revops_time_day(h->at[r]);
        }
        if (h->close_date[r] != REVOPS_NO_DAY) {
            if (out->close_date != REVOPS_NO_DAY && h->close_date[r] > out->close_date)
                out->pushes++;
            out->close_date = h->close_date[r];
        }
        int s = c->hist_to[r];
        if (s != out->stage || last_row == REVOPS_NO_TIME) {
            if (s != out->stage)
                out->stage_entered = revops_time_day(h->at[r]);
            out->stage = s;
            closed_at = closed_stage(c, s) ? h->at[r] : REVOPS_NO_TIME;
        }
        last_row = h->at[r];
    }
    int current = revops_actx__stage(c, o->stage[opp]);
    if (last_row == REVOPS_NO_TIME)
        out->stage = later_from >= 0 ? later_from : current;
    /* A close the history does not record. */
    if (!closed_stage(c, out->stage) && closed_stage(c, current) &&
        o->closed_at[opp] != REVOPS_NO_TIME && o->closed_at[opp] <= end &&
        (last_row == REVOPS_NO_TIME || last_row <= o->closed_at[opp])) {
        out->stage = current;
        closed_at = o->closed_at[opp];
        out->stage_entered = revops_time_day(closed_at);
    } else if (last_row == REVOPS_NO_TIME && closed_stage(c, out->stage)) {
        /* Closed today, open on the day, and no history to say where it stood. */
        if (o->closed_at[opp] == REVOPS_NO_TIME || o->closed_at[opp] > end)
            out->stage = -1;
        else
            closed_at = o->closed_at[opp];
    }
    if (out->amount == REVOPS_NO_MONEY) {
        out->amount = o->amount[opp];
        out->amount_day = out->created;
    }
    if (out->first_amount == REVOPS_NO_MONEY)
        out->first_amount = out->amount;
    if (out->close_date == REVOPS_NO_DAY)
        out->close_date = o->close_date[opp];
    if (closed_stage(c, out->stage) && out->exists) {
        out->won = c->stages.items[out->stage].outcome == REVOPS_OUTCOME_WON;
        out->lost = !out->won;
        revops_time t = closed_at != REVOPS_NO_TIME ? closed_at : o->closed_at[opp];
        out->closed = t != REVOPS_NO_TIME ? revops_time_day(t) : out->stage_entered;
        /* A closed deal's amount is worth what it was on the day it closed. */
        out->amount_day = out->closed;
    }
    out->open = out->exists && !out->won && !out->lost;
}

revops_time revops_actx__last_activity(const revops_actx *c, size_t opp, revops_day day)
{
    revops_time end = revops_actx__day_end(day);
    size_t lo = c->act_start[opp], hi = c->act_start[opp + 1];
    /* The last activity time <= end (times ascending). */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->act_times[mid] <= end)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > c->act_start[opp] ? c->act_times[lo - 1] : REVOPS_NO_TIME;
}

size_t revops_actx__spells(const revops_actx *c, size_t opp, revops_day day, revops_spell *out,
                           size_t cap)
{
    const revops_stage_change_table *h = &c->ds->stage_change;
    revops_time end = revops_actx__day_end(day);
    size_t n = 0;
    int stage = -2;
    for (size_t k = c->hist_start[opp]; k < c->hist_start[opp + 1]; k++) {
        uint32_t r = c->hist_rows[k];
        if (h->at[r] > end)
            break;
        int s = c->hist_to[r];
        if (s == stage)
            continue;
        if (n > 0 && n <= cap) {
            out[n - 1].left = h->at[r];
            out[n - 1].next = s;
        }
        if (n < cap) {
            out[n].stage = s;
            out[n].entered = h->at[r];
            out[n].left = REVOPS_NO_TIME;
            out[n].next = -1;
        }
        n++;
        stage = s;
    }
    return n;
}

int revops_actx__spell_advanced(const revops_actx *c, const revops_spell *sp)
{
    if (sp->left == REVOPS_NO_TIME || sp->next <= sp->stage || sp->next >= (int)c->stages.n)
        return 0;
    return c->stages.items[sp->next].outcome == REVOPS_OUTCOME_OPEN ||
           c->stages.items[sp->next].outcome == REVOPS_OUTCOME_WON;
}
