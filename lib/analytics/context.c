/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analytics/context.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
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

int revops_actx__init(revops_actx *c, const revops_dataset *ds, const revops_analysis_options *opts)
{
    unsigned sections = opts && opts->sections ? opts->sections : REVOPS_SECTION_ALL;
    return revops_actx__init_for(
        c, ds, opts, sections & REVOPS_SECTION_FORECAST ? REVOPS_ACTX_ACTIVITY_INDEX : 0);
}

int revops_actx__init_for(revops_actx *c, const revops_dataset *ds,
                          const revops_analysis_options *opts, unsigned needs)
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
    /* A period given is checked before any work. */
    if (c->opts.period &&
        (rc = revops_period_parse(&c->period, c->opts.period, strlen(c->opts.period),
                                  c->opts.fiscal_start_month)))
        return rc;
    c->needs = needs;
    if ((rc = revops_actx__index_start(c)))
        goto fail;
    c->as_of = c->opts.as_of != REVOPS_NO_DAY ? c->opts.as_of : c->latest_day;
    if (c->as_of == REVOPS_NO_DAY) {
        rc = revops_error__set(REVOPS_EINVALID,
                               "the data hold no dated events to analyse; give --as-of");
        goto fail;
    }
    if (!c->opts.period)
        revops_period_containing(&c->period, REVOPS_PERIOD_QUARTER, c->as_of,
                                 c->opts.fiscal_start_month);
    if ((rc = choose_currency(c)) || (rc = load_fx(c)))
        goto fail;
    if ((rc = revops_actx__index_rest(c)))
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
    free(c->now);
    free(c->last_act);
    free(c->lead_opp);
    free(c->deal_lead);
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
    if (day == c->as_of && c->last_act)
        return c->last_act[opp];
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
