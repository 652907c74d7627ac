/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pipeline section (docs/metrics.md "Pipeline"): what is open on the as-of day and what
 * it is worth, how deals have been won and lost over the trailing window, how they move
 * through the stages, which are stalled or at risk and why, and how the period's pipeline
 * moved. Every deal is taken as it stood on the day asked about (context.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/groups.h"
#include "analytics/pipeline_periods.h"
#include "analytics/stats_math.h"
#include "core/buf.h"
#include "core/error.h"

#define MAX_SPELLS 32

typedef struct pipe {
    revops_actx *c;
    const revops_dataset *ds;
    const revops_deal *deals;                    /* every deal on the as-of day */
    int64_t *value;                              /* its amount in the reporting currency */
    revops_day window_start;                     /* first day of the trailing window */
    revops_sample stage_days[REVOPS_MAX_STAGES]; /* closed spells, days */
    double median_days[REVOPS_MAX_STAGES];
} pipe;

static int stage_open(const revops_actx *c, int s)
{
    return s >= 0 && s < (int)c->stages.n && c->stages.items[s].outcome == REVOPS_OUTCOME_OPEN;
}

static double probability(const revops_actx *c, int s)
{
    return s >= 0 ? c->probability[s] : 0.0;
}

/* ---- stage probabilities from history ---- */

/* p(s) = share of deals closed on or before the day that were in s at some point and won;
 * a stage no closed deal went through keeps its configured probability. */
static void historical_probabilities(pipe *p, revops_rt_node *n)
{
    revops_actx *c = p->c;
    int64_t visited[REVOPS_MAX_STAGES] = {0}, won[REVOPS_MAX_STAGES] = {0};
    revops_spell spells[MAX_SPELLS];
    for (size_t i = 0; i < p->ds->opportunity.n; i++) {
        const revops_deal *d = &p->deals[i];
        if (!d->won && !d->lost)
            continue;
        size_t ns = revops_actx__spells(c, i, c->as_of, spells, MAX_SPELLS);
        uint8_t seen[REVOPS_MAX_STAGES] = {0};
        for (size_t k = 0; k < ns && k < MAX_SPELLS; k++)
            if (spells[k].stage >= 0)
                seen[spells[k].stage] = 1;
        if (ns == 0 && d->stage >= 0)
            seen[d->stage] = 1;
        for (int s = 0; s < (int)c->stages.n; s++) {
            visited[s] += seen[s];
            won[s] += seen[s] && d->won;
        }
    }
    static const revops_rt_column cols[] = {
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"probability", "probability", REVOPS_RT_RATIO, 0, 0},
        {"closed_deals", "closed deals through it", REVOPS_RT_COUNT, 0, 0},
        {"source", "source", REVOPS_RT_TEXT, 0, 0},
    };
    revops_rt_table *t = revops_rt__table(n, "probabilities", "Stage probabilities", cols, 4);
    for (int s = 0; s < c->nopen; s++) {
        int from_history = c->opts.historical_probabilities && visited[s] > 0;
        if (from_history)
            c->probability[s] = (double)won[s] / (double)visited[s];
        revops_rt__row(t);
        revops_rt__cell_text(t, c->stages.items[s].name);
        revops_rt__cell_ratio(t, c->probability[s]);
        revops_rt__cell_count(t, visited[s]);
        revops_rt__cell_text(t, from_history ? "history" : "configured");
    }
}

/* ---- open pipeline and its breakdowns ---- */

static const char *rep_name(const revops_actx *c, revops_str rep)
{
    int64_t r = revops_idmap__get(&c->rep_by_id, rep);
    if (r >= 0 && c->ds->rep.name[r])
        return revops_dataset__str(c->ds, c->ds->rep.name[r]);
    return rep ? revops_dataset__str(c->ds, rep) : "(no owner)";
}

static revops_str team_key(const revops_actx *c, revops_str rep)
{
    int64_t r = revops_idmap__get(&c->rep_by_id, rep);
    return r >= 0 ? c->ds->rep.team_id[r] : 0;
}

const char *revops_analytics__team_name(const revops_actx *c, revops_str rep_id)
{
    revops_str team = team_key(c, rep_id);
    int64_t t = revops_idmap__get(&c->team_by_id, team);
    if (t >= 0)
        return revops_dataset__str(c->ds, c->ds->team.name[t]);
    return team ? revops_dataset__str(c->ds, team) : "(no team)";
}

/* A breakdown of the open pipeline; `id_key` adds the key's id (data only) before its label,
 * for owners and teams whose names may repeat. */
static void breakdown_table(pipe *p, revops_rt_node *n, const char *key, const char *title,
                            const char *column, const char *id_key, revops_groups *g,
                            const char *(*label)(const pipe *, uint32_t, char *, size_t))
{
    revops_rt_column cols[5] = {
        {id_key ? id_key : "", id_key ? id_key : "", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {column, column, REVOPS_RT_TEXT, 0, 0},
        {"deals", "deals", REVOPS_RT_COUNT, 0, 0},
        {"amount", "amount", REVOPS_RT_MONEY, 0, 0},
        {"weighted", "weighted", REVOPS_RT_MONEY, 0, 0},
    };
    const revops_rt_column *first = id_key ? cols : cols + 1;
    revops_rt_table *t = revops_rt__table(n, key, title, first, id_key ? 5 : 4);
    revops_rt__text_limit(t, 15);
    char buf[64];
    for (size_t i = 0; i < g->n; i++) {
        revops_rt__row(t);
        if (id_key)
            revops_rt__cell_text(t, g->items[i].key ? revops_dataset__str(p->ds, g->items[i].key)
                                                    : "");
        revops_rt__cell_text(t, label(p, g->items[i].key, buf, sizeof(buf)));
        revops_rt__cell_count(t, g->items[i].count);
        revops_rt__cell_money(t, g->items[i].amount);
        revops_rt__cell_money(t, (int64_t)llround(g->items[i].weighted));
    }
}

static const char *label_stage(const pipe *p, uint32_t key, char *buf, size_t cap)
{
    (void)buf;
    (void)cap;
    return key == 0 ? "(unknown)" : p->c->stages.items[key - 1].name;
}

static const char *label_str(const pipe *p, uint32_t key, char *buf, size_t cap)
{
    (void)buf;
    (void)cap;
    return key ? revops_dataset__str(p->ds, key) : "(none)";
}

static const char *label_owner(const pipe *p, uint32_t key, char *buf, size_t cap)
{
    (void)buf;
    (void)cap;
    return rep_name(p->c, key);
}

static const char *label_team(const pipe *p, uint32_t key, char *buf, size_t cap)
{
    (void)buf;
    (void)cap;
    int64_t t = revops_idmap__get(&p->c->team_by_id, key);
    if (t >= 0)
        return revops_dataset__str(p->ds, p->ds->team.name[t]);
    return key ? revops_dataset__str(p->ds, key) : "(no team)";
}

/* Months as keys: month number + 1, so that 0 stays free. */
static const char *label_month(const pipe *p, uint32_t key, char *buf, size_t cap)
{
    (void)p;
    if (key == 0 || cap < REVOPS_MONTH_TEXT_MAX)
        return "(none)";
    revops_month_format((revops_month)key - 1, buf);
    return buf;
}

static int add_open(revops_groups *g, uint32_t key, int64_t amount, double weighted)
{
    revops_group *x = revops_groups__get(g, key);
    if (!x)
        return revops_error__oom();
    x->count++;
    x->amount += amount;
    x->weighted += weighted;
    return 0;
}

static int open_pipeline(pipe *p, revops_rt_node *n, int64_t *total_out, size_t *open_out)
{
    revops_actx *c = p->c;
    const revops_opportunity_table *o = &p->ds->opportunity;
    revops_groups by[6];
    memset(by, 0, sizeof(by));
    int64_t total = 0;
    double weighted = 0;
    size_t open = 0;
    int rc = 0;
    for (size_t i = 0; i < o->n && !rc; i++) {
        const revops_deal *d = &p->deals[i];
        if (!d->open)
            continue;
        double w = (double)p->value[i] * probability(c, d->stage);
        open++;
        total += p->value[i];
        weighted += w;
        revops_month m = d->close_date != REVOPS_NO_DAY ? revops_day_month(d->close_date) : -1;
        if ((rc = add_open(&by[0], (uint32_t)(d->stage + 1), p->value[i], w)) ||
            (rc = add_open(&by[1], o->owner_id[i], p->value[i], w)) ||
            (rc = add_open(&by[2], team_key(c, o->owner_id[i]), p->value[i], w)) ||
            (rc = add_open(&by[3], o->product[i], p->value[i], w)) ||
            (rc = add_open(&by[4], (uint32_t)(m + 1), p->value[i], w)) ||
            (rc = add_open(&by[5], o->forecast_category[i], p->value[i], w)))
            break;
    }
    if (!rc) {
        revops_rt__count(n, "open_deals", "Open deals", (int64_t)open);
        revops_rt__money(n, "pipeline_total", "Pipeline", total);
        revops_rt__money(n, "pipeline_weighted", "Weighted pipeline", (int64_t)llround(weighted));
        revops_groups__sort_by_key(&by[0]);
        for (int k = 1; k < 6; k++)
            if (k != 4)
                revops_groups__sort_by_amount(&by[k]);
        revops_groups__sort_by_key(&by[4]);
        breakdown_table(p, n, "by_stage", "Open pipeline by stage", "stage", NULL, &by[0],
                        label_stage);
        breakdown_table(p, n, "by_owner", "Open pipeline by owner", "owner", "owner_id", &by[1],
                        label_owner);
        breakdown_table(p, n, "by_team", "Open pipeline by team", "team", "team_id", &by[2],
                        label_team);
        breakdown_table(p, n, "by_product", "Open pipeline by product", "product", NULL, &by[3],
                        label_str);
        breakdown_table(p, n, "by_close_month", "Open pipeline by close month", "close_month", NULL,
                        &by[4], label_month);
        breakdown_table(p, n, "by_forecast_category", "Open pipeline by forecast category",
                        "forecast_category", NULL, &by[5], label_str);
    }
    for (int k = 0; k < 6; k++)
        revops_groups__free(&by[k]);
    *total_out = total;
    *open_out = open;
    return rc;
}

/* ---- wins and losses over the window ---- */

typedef struct window_stats {
    int64_t won, lost, won_amount, lost_amount;
    double cycle_mean, cycle_median, avg_won;
} window_stats;

static int window(pipe *p, revops_rt_node *n, size_t open, revops_kpi_values *k, window_stats *out)
{
    revops_actx *c = p->c;
    revops_sample cycle = {0};
    window_stats w = {0};
    int rc = 0;
    for (size_t i = 0; i < p->ds->opportunity.n && !rc; i++) {
        const revops_deal *d = &p->deals[i];
        if (!(d->won || d->lost) || d->closed < p->window_start || d->closed > c->as_of)
            continue;
        if (d->won) {
            w.won++;
            w.won_amount += p->value[i];
            rc = revops_sample__add(&cycle, (double)(d->closed - d->created));
        } else {
            w.lost++;
            w.lost_amount += p->value[i];
        }
    }
    double win_rate = w.won + w.lost ? (double)w.won / (double)(w.won + w.lost) : NAN;
    double win_rate_value = w.won_amount + w.lost_amount
                                ? (double)w.won_amount / (double)(w.won_amount + w.lost_amount)
                                : NAN;
    w.avg_won = w.won ? (double)w.won_amount / (double)w.won : NAN;
    w.cycle_mean = revops_sample__mean(&cycle);
    w.cycle_median = revops_sample__quantile(&cycle, 0.5);
    revops_sample__free(&cycle);
    if (rc)
        return rc;
    revops_rt__day(n, "window_start", NULL, p->window_start);
    revops_rt__count(n, "won_deals", "Won in the window", w.won);
    revops_rt__count(n, "lost_deals", "Lost in the window", w.lost);
    revops_rt__money(n, "won_amount", "Won amount", w.won_amount);
    revops_rt__money(n, "lost_amount", "Lost amount", w.lost_amount);
    if (isnan(win_rate)) {
        revops_rt__na(n, "win_rate", "Win rate", "no deal closed in the window");
        revops_rt__na(n, "win_rate_value", "Win rate by value", "no deal closed in the window");
        revops_kpi__na(&k->win_rate, "no deal closed in the window");
    } else {
        revops_rt__ratio(n, "win_rate", "Win rate", win_rate);
        revops_rt__ratio(n, "win_rate_value", "Win rate by value", win_rate_value);
        k->win_rate.value = win_rate;
    }
    if (w.won == 0) {
        revops_rt__na(n, "avg_won_deal_size", "Average won deal", "no deal won in the window");
        revops_kpi__na(&k->sales_cycle_days, "no deal won in the window");
    } else {
        revops_rt__money(n, "avg_won_deal_size", "Average won deal", (int64_t)llround(w.avg_won));
        k->sales_cycle_days.value = w.cycle_mean;
    }
    revops_rt_node *cyc = revops_rt__section(n, "sales_cycle_days", NULL);
    revops_rt__number(cyc, "mean", "Sales cycle, mean days", w.cycle_mean, 1);
    revops_rt__number(cyc, "median", "Sales cycle, median days", w.cycle_median, 1);
    /* Velocity: open deals x win rate x average won deal / mean cycle, money per day. */
    if (w.won == 0 || isnan(win_rate) || !(w.cycle_mean > 0))
        revops_rt__na(n, "sales_velocity_per_day", "Sales velocity per day",
                      "needs won deals with a cycle in the window");
    else
        revops_rt__money(n, "sales_velocity_per_day", "Sales velocity per day",
                         (int64_t)llround((double)open * win_rate * w.avg_won / w.cycle_mean));
    *out = w;
    return 0;
}

/* ---- coverage for the period ---- */

static int64_t quota_in_period(revops_actx *c, const revops_period *per)
{
    double total = 0;
    for (size_t i = 0; i < c->ds->quota.n; i++)
        total += revops_actx__quota_share(c, i, per->start, per->end);
    return (int64_t)llround(total);
}

static void coverage(pipe *p, revops_rt_node *n, revops_kpi_values *k)
{
    revops_actx *c = p->c;
    const revops_period *per = &c->period;
    int64_t in_period = 0, won = 0;
    for (size_t i = 0; i < p->ds->opportunity.n; i++) {
        const revops_deal *d = &p->deals[i];
        if (d->open && d->close_date >= per->start && d->close_date < per->end)
            in_period += p->value[i];
        if (d->won && d->closed >= per->start && d->closed < per->end)
            won += p->value[i];
    }
    int64_t quota = quota_in_period(c, per);
    int64_t remaining = quota > won ? quota - won : 0;
    revops_rt_node *cov = revops_rt__section(n, "coverage", NULL);
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(per, label);
    revops_rt__text(cov, "period", NULL, label);
    revops_rt__money(cov, "open_in_period", NULL, in_period);
    revops_rt__money(cov, "quota", NULL, quota);
    revops_rt__money(cov, "won", NULL, won);
    revops_rt__money(cov, "remaining_quota", NULL, remaining);
    char text[96];
    snprintf(text, sizeof(text), "Coverage of %s", label);
    if (remaining == 0) {
        const char *why = quota == 0 ? "no quota for the period" : "the quota is already won";
        revops_rt__na(n, "coverage_ratio", text, why);
        revops_kpi__na(&k->coverage_ratio, "%s", why);
    } else {
        double ratio = (double)in_period / (double)remaining;
        revops_rt__number(n, "coverage_ratio", text, ratio, 2);
        k->coverage_ratio.value = ratio;
    }
}

/* ---- stages: conversion, time in stage, bottlenecks ---- */

static int stages(pipe *p, revops_rt_node *n)
{
    revops_actx *c = p->c;
    int64_t entered[REVOPS_MAX_STAGES] = {0}, left[REVOPS_MAX_STAGES] = {0};
    int64_t advanced[REVOPS_MAX_STAGES] = {0}, closed[REVOPS_MAX_STAGES] = {0};
    int64_t won[REVOPS_MAX_STAGES] = {0};
    revops_sample open_age[REVOPS_MAX_STAGES];
    memset(open_age, 0, sizeof(open_age));
    revops_spell spells[MAX_SPELLS];
    int rc = 0;
    for (size_t i = 0; i < p->ds->opportunity.n && !rc; i++) {
        const revops_deal *d = &p->deals[i];
        if (!d->exists)
            continue;
        size_t ns = revops_actx__spells(c, i, c->as_of, spells, MAX_SPELLS);
        if (ns > MAX_SPELLS)
            ns = MAX_SPELLS;
        uint8_t seen[REVOPS_MAX_STAGES] = {0};
        for (size_t s = 0; s < ns && !rc; s++) {
            const revops_spell *sp = &spells[s];
            if (!stage_open(c, sp->stage))
                continue;
            seen[sp->stage] = 1;
            entered[sp->stage]++;
            if (sp->left != REVOPS_NO_TIME) {
                left[sp->stage]++;
                advanced[sp->stage] += revops_actx__spell_advanced(c, sp);
                rc = revops_sample__add(&p->stage_days[sp->stage],
                                        (double)(sp->left - sp->entered) / 86400.0);
            } else if (d->open) {
                /* Ages in whole days, as "days in stage" reads everywhere else. */
                rc = revops_sample__add(&open_age[sp->stage],
                                        (double)(c->as_of - revops_time_day(sp->entered)));
            }
        }
        for (int s = 0; s < c->nopen; s++) {
            if (seen[s] && (d->won || d->lost)) {
                closed[s]++;
                won[s] += d->won;
            }
        }
    }
    static const revops_rt_column conv_cols[] = {
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"entered", "entered", REVOPS_RT_COUNT, 0, 0},
        {"left", "left", REVOPS_RT_COUNT, 0, 0},
        {"advanced", "moved on or won", REVOPS_RT_COUNT, 0, 0},
        {"stage_conversion", "conversion", REVOPS_RT_RATIO, 0, 0},
        {"closed", "closed since", REVOPS_RT_COUNT, 0, 0},
        {"stage_to_won", "to won", REVOPS_RT_RATIO, 0, 0},
    };
    static const revops_rt_column day_cols[] = {
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"spells", "finished stays", REVOPS_RT_COUNT, 0, 0},
        {"mean", "mean days", REVOPS_RT_NUMBER, 1, 0},
        {"median", "median", REVOPS_RT_NUMBER, 1, 0},
        {"p90", "p90", REVOPS_RT_NUMBER, 1, 0},
        {"target_days", "target", REVOPS_RT_NUMBER, 0, 0},
        {"open_deals", "open now", REVOPS_RT_COUNT, 0, 0},
        {"open_median_age", "median age now", REVOPS_RT_NUMBER, 1, 0},
    };
    double conversion[REVOPS_MAX_STAGES];
    revops_rt_table *tc = revops_rt__table(n, "stage_conversion", "Stage conversion", conv_cols,
                                           sizeof(conv_cols) / sizeof(conv_cols[0]));
    revops_rt_table *td = revops_rt__table(n, "days_in_stage", "Days in stage", day_cols,
                                           sizeof(day_cols) / sizeof(day_cols[0]));
    for (int s = 0; s < c->nopen && !rc; s++) {
        conversion[s] = left[s] ? (double)advanced[s] / (double)left[s] : NAN;
        revops_rt__row(tc);
        revops_rt__cell_text(tc, c->stages.items[s].name);
        revops_rt__cell_count(tc, entered[s]);
        revops_rt__cell_count(tc, left[s]);
        revops_rt__cell_count(tc, advanced[s]);
        revops_rt__cell_ratio(tc, conversion[s]);
        revops_rt__cell_count(tc, closed[s]);
        revops_rt__cell_ratio(tc, closed[s] ? (double)won[s] / (double)closed[s] : NAN);

        revops_sample *sd = &p->stage_days[s];
        double mean = revops_sample__mean(sd);
        /* By selection: the same doubles as a sort's, in linear time on millions of stays. */
        double median = revops_quantile__select(sd->v, sd->n, 0.5);
        double p90 = revops_quantile__select(sd->v, sd->n, 0.9);
        p->median_days[s] = median;
        revops_rt__row(td);
        revops_rt__cell_text(td, c->stages.items[s].name);
        revops_rt__cell_count(td, (int64_t)sd->n);
        revops_rt__cell_number(td, mean);
        revops_rt__cell_number(td, median);
        revops_rt__cell_number(td, p90);
        if (c->stages.items[s].target_days > 0)
            revops_rt__cell_number(td, c->stages.items[s].target_days);
        else
            revops_rt__cell_null(td);
        revops_rt__cell_count(td, (int64_t)open_age[s].n);
        revops_rt__cell_number(td, revops_quantile__select(open_age[s].v, open_age[s].n, 0.5));
    }
    /* Bottlenecks: the slowest stages against their targets (or, without targets, in days),
     * and the stages that lose the most deals. */
    int order[REVOPS_MAX_STAGES];
    for (int s = 0; s < c->nopen; s++)
        order[s] = s;
    for (int a = 1; a < c->nopen; a++) {
        for (int b = a; b > 0; b--) {
            int x = order[b - 1], y = order[b];
            double tx = c->stages.items[x].target_days, ty = c->stages.items[y].target_days;
            double rx = tx > 0 ? p->median_days[x] / tx : p->median_days[x];
            double ry = ty > 0 ? p->median_days[y] / ty : p->median_days[y];
            if (isnan(rx))
                rx = -1;
            if (isnan(ry))
                ry = -1;
            if (ry > rx) {
                order[b - 1] = y;
                order[b] = x;
            }
        }
    }
    static const revops_rt_column bn_cols[] = {
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"median_days", "median days", REVOPS_RT_NUMBER, 1, 0},
        {"target_days", "target", REVOPS_RT_NUMBER, 0, 0},
        {"days_vs_target", "days / target", REVOPS_RT_NUMBER, 2, 0},
        {"stage_conversion", "conversion", REVOPS_RT_RATIO, 0, 0},
        {"conversion_rank", "conversion rank", REVOPS_RT_COUNT, 0, 0},
    };
    revops_rt_table *tb = revops_rt__table(n, "bottlenecks", "Bottlenecks (slowest first)", bn_cols,
                                           sizeof(bn_cols) / sizeof(bn_cols[0]));
    for (int a = 0; a < c->nopen; a++) {
        int s = order[a];
        int rank = 1;
        for (int o = 0; o < c->nopen; o++)
            rank += !isnan(conversion[o]) && !isnan(conversion[s]) && conversion[o] < conversion[s];
        double target = c->stages.items[s].target_days;
        revops_rt__row(tb);
        revops_rt__cell_text(tb, c->stages.items[s].name);
        revops_rt__cell_number(tb, p->median_days[s]);
        if (target > 0) {
            revops_rt__cell_number(tb, target);
            revops_rt__cell_number(tb, p->median_days[s] / target);
        } else {
            revops_rt__cell_null(tb);
            revops_rt__cell_null(tb);
        }
        revops_rt__cell_ratio(tb, conversion[s]);
        if (isnan(conversion[s]))
            revops_rt__cell_null(tb);
        else
            revops_rt__cell_count(tb, rank);
    }
    for (int s = 0; s < REVOPS_MAX_STAGES; s++)
        revops_sample__free(&open_age[s]);
    return rc;
}

/* ---- stalled and at-risk deals ---- */

typedef struct risk {
    uint32_t deal;
    int64_t value;
    unsigned reasons;
} risk;

enum {
    R_OVERDUE = 1,
    R_PUSHED = 2,
    R_STALLED = 4,
    R_INACTIVE = 8,
    R_SHRUNK = 16,
};

static int by_value(const void *a, const void *b)
{
    const risk *x = a, *y = b;
    if (x->value != y->value)
        return x->value > y->value ? -1 : 1;
    return x->deal < y->deal ? -1 : x->deal > y->deal;
}

static int at_risk(pipe *p, revops_rt_node *n)
{
    revops_actx *c = p->c;
    const revops_opportunity_table *o = &p->ds->opportunity;
    risk *list = NULL;
    size_t nlist = 0, cap = 0;
    int64_t stalled = 0, stalled_amount = 0, risk_amount = 0;
    int rc = 0;
    for (size_t i = 0; i < o->n && !rc; i++) {
        const revops_deal *d = &p->deals[i];
        if (!d->open)
            continue;
        unsigned reasons = 0;
        revops_time last = revops_actx__last_activity(c, i, c->as_of);
        /* Whole days since the last activity; without any, since the deal was created. */
        double quiet =
            (double)(c->as_of - revops_time_day(last != REVOPS_NO_TIME ? last : o->created_at[i]));
        double age = (double)(c->as_of - d->stage_entered);
        int slow = d->stage >= 0 && !isnan(p->median_days[d->stage]) &&
                   age > c->opts.stalled_factor * p->median_days[d->stage];
        if (slow || quiet > c->opts.stalled_days) {
            reasons |= R_STALLED;
            stalled++;
            stalled_amount += p->value[i];
        }
        if (d->close_date != REVOPS_NO_DAY && d->close_date < c->as_of)
            reasons |= R_OVERDUE;
        if (d->pushes >= 2)
            reasons |= R_PUSHED;
        if (quiet > c->opts.inactive_days)
            reasons |= R_INACTIVE;
        if (d->amount < d->first_amount)
            reasons |= R_SHRUNK;
        if (!reasons)
            continue;
        if ((rc = revops_array__grow((void **)&list, &cap, nlist + 1, sizeof(*list))))
            break;
        list[nlist++] = (risk){(uint32_t)i, p->value[i], reasons};
        risk_amount += p->value[i];
    }
    if (rc) {
        free(list);
        return rc;
    }
    if (nlist > 1)
        qsort(list, nlist, sizeof(*list), by_value);
    revops_rt__count(n, "stalled_deals", "Stalled deals", stalled);
    revops_rt__money(n, "stalled_amount", "Stalled amount", stalled_amount);
    revops_rt__count(n, "at_risk_deals", "Deals at risk", (int64_t)nlist);
    revops_rt__money(n, "at_risk_amount", "Amount at risk", risk_amount);
    static const revops_rt_column cols[] = {
        {"id", "deal", REVOPS_RT_TEXT, 0, 0},
        {"name", "name", REVOPS_RT_TEXT, 0, 0},
        {"owner_id", "owner id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"owner", "owner", REVOPS_RT_TEXT, 0, 0},
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"amount", "amount", REVOPS_RT_MONEY, 0, 0},
        {"close_date", "close date", REVOPS_RT_DAY, 0, 0},
        {"days_in_stage", "days in stage", REVOPS_RT_COUNT, 0, 0},
        {"reasons", "reasons", REVOPS_RT_TEXT, 0, 0},
    };
    size_t limit = c->opts.at_risk_limit ? c->opts.at_risk_limit : nlist;
    char title[96];
    snprintf(title, sizeof(title), "Deals at risk (largest %zu of %zu)",
             limit < nlist ? limit : nlist, nlist);
    revops_rt_table *t = revops_rt__table(n, "at_risk", title, cols, 9);
    for (size_t k = 0; k < nlist && k < limit; k++) {
        size_t i = list[k].deal;
        const revops_deal *d = &p->deals[i];
        char why[200] = "";
        size_t used = 0;
        for (int b = 0; b < 5; b++) {
            if (!(list[k].reasons & (1u << b)) || used >= sizeof(why))
                continue;
            const char *sep = used ? "; " : "";
            if (b == 0)
                used += (size_t)snprintf(why + used, sizeof(why) - used, "%soverdue", sep);
            else if (b == 1)
                used += (size_t)snprintf(why + used, sizeof(why) - used,
                                         "%sclose date pushed %d times", sep, d->pushes);
            else if (b == 2)
                used += (size_t)snprintf(why + used, sizeof(why) - used, "%sstalled", sep);
            else if (b == 3)
                used += (size_t)snprintf(why + used, sizeof(why) - used,
                                         "%sno activity for %d+ days", sep, c->opts.inactive_days);
            else
                used += (size_t)snprintf(why + used, sizeof(why) - used,
                                         "%samount lowered since creation", sep);
        }
        revops_rt__row(t);
        revops_rt__cell_text(t, revops_dataset__str(p->ds, o->id[i]));
        revops_rt__cell_text(t, revops_dataset__str(p->ds, o->name[i]));
        revops_rt__cell_text(t, revops_dataset__str(p->ds, o->owner_id[i]));
        revops_rt__cell_text(t, rep_name(c, o->owner_id[i]));
        revops_rt__cell_text(t, d->stage >= 0 ? c->stages.items[d->stage].name : "(unknown)");
        revops_rt__cell_money(t, list[k].value);
        revops_rt__cell_day(t, d->close_date);
        revops_rt__cell_count(t, c->as_of - d->stage_entered);
        revops_rt__cell_text(t, why);
    }
    free(list);
    return 0;
}

/* ---- service lines ---- */

static int service_lines(pipe *p, revops_rt_node *n)
{
    const revops_opportunity_table *o = &p->ds->opportunity;
    revops_groups g = {0};
    revops_str expansion = 0;
    revops_strpool__find(&p->ds->strings, "expansion", 9, &expansion);
    int rc = 0;
    for (size_t i = 0; i < o->n; i++) {
        const revops_deal *d = &p->deals[i];
        if (!(d->won || d->lost) || d->closed < p->window_start || d->closed > p->c->as_of)
            continue;
        revops_group *x = revops_groups__get(&g, o->product[i]);
        if (!x) {
            rc = revops_error__oom();
            break;
        }
        if (d->won) {
            x->count2++;
            x->amount2 += p->value[i];
            x->sum += (double)(d->closed - d->created);
            x->count3 += expansion && o->type[i] == expansion;
        } else {
            x->amount3 += p->value[i];
        }
        x->count++;
        x->amount = x->amount2; /* sort by won amount */
    }
    revops_groups__sort_by_amount(&g);
    static const revops_rt_column cols[] = {
        {"product", "product", REVOPS_RT_TEXT, 0, 0},
        {"closed", "closed", REVOPS_RT_COUNT, 0, 0},
        {"won", "won", REVOPS_RT_COUNT, 0, 0},
        {"win_rate", "win rate", REVOPS_RT_RATIO, 0, 0},
        {"won_amount", "won amount", REVOPS_RT_MONEY, 0, 0},
        {"avg_won_deal_size", "avg won deal", REVOPS_RT_MONEY, 0, 0},
        {"sales_cycle_days", "cycle days", REVOPS_RT_NUMBER, 1, 0},
        {"upsell_rate", "upsell share", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *t = revops_rt__table(n, "service_lines", "Service lines (window)", cols, 8);
    for (size_t k = 0; k < g.n && !rc; k++) {
        const revops_group *x = &g.items[k];
        revops_rt__row(t);
        revops_rt__cell_text(t, x->key ? revops_dataset__str(p->ds, x->key) : "(none)");
        revops_rt__cell_count(t, x->count);
        revops_rt__cell_count(t, x->count2);
        revops_rt__cell_ratio(t, (double)x->count2 / (double)x->count);
        revops_rt__cell_money(t, x->amount2);
        if (x->count2) {
            revops_rt__cell_money(t, (int64_t)llround((double)x->amount2 / (double)x->count2));
            revops_rt__cell_number(t, x->sum / (double)x->count2);
            revops_rt__cell_ratio(t, (double)x->count3 / (double)x->count2);
        } else {
            revops_rt__cell_null(t);
            revops_rt__cell_null(t);
            revops_rt__cell_null(t);
        }
    }
    revops_groups__free(&g);
    return rc;
}

int revops_analytics__pipeline(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    const revops_dataset *ds = c->ds;
    size_t n = ds->opportunity.n;
    pipe p;
    memset(&p, 0, sizeof(p));
    p.c = c;
    p.ds = ds;
    p.window_start = c->as_of - c->opts.window_days + 1;
    p.deals = c->now;
    p.value = malloc((n ? n : 1) * sizeof(*p.value));
    int rc = 0;
    if (!p.value) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        p.value[i] = revops_actx__money(c, p.deals[i].amount, ds->opportunity.currency[i],
                                        p.deals[i].amount_day);
    }
    for (int s = 0; s < REVOPS_MAX_STAGES; s++)
        p.median_days[s] = NAN;
    revops_rt_node *sec = revops_rt__section(root, "pipeline", "Pipeline");
    revops_rt__text(sec, "currency", NULL, c->currency);
    revops_rt__day(sec, "as_of", NULL, c->as_of);
    int64_t total;
    size_t open;
    window_stats w;
    /* Probabilities first: the weighted pipeline uses them. */
    historical_probabilities(&p, sec);
    if ((rc = open_pipeline(&p, sec, &total, &open)) || (rc = window(&p, sec, open, k, &w)))
        goto done;
    coverage(&p, sec, k);
    revops_pipeline__periods(c, sec);
    if ((rc = stages(&p, sec)) || (rc = at_risk(&p, sec)) || (rc = service_lines(&p, sec)))
        goto done;
done:
    for (int s = 0; s < REVOPS_MAX_STAGES; s++)
        revops_sample__free(&p.stage_days[s]);
    free(p.value);
    return rc;
}
