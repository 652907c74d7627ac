/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The team section written into the report tree: the headline figures first (the scorecard's
 * KPIs among them), then the teams, the reps, the attainment bands, activities against
 * targets and the coaching flags.
 */
#include <math.h>
#include <stdio.h>

#include "analytics/team.h"

static void headline(team *t, revops_rt_node *n, revops_kpi_values *k)
{
    revops_actx *c = t->c;
    char period[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(&c->period, period);
    revops_rt__text(n, "period", NULL, period);
    revops_rt__day(n, "through", NULL, c->period.end - 1 < c->as_of ? c->period.end - 1 : c->as_of);
    revops_rt__count(n, "rep_count", "Reps in the period", (int64_t)t->nlisted);
    revops_rt__money(n, "quota", "Quota", t->quota);
    revops_rt__money(n, "won", "Won", t->won);
    if (isnan(t->attainment)) {
        revops_rt__na(n, "quota_attainment", "Quota attainment", "no quota for the period");
        revops_kpi__na(&k->quota_attainment, "no quota for the period");
    } else {
        revops_rt__ratio(n, "quota_attainment", "Quota attainment", t->attainment);
        k->quota_attainment.value = t->attainment;
    }
    revops_rt__count(n, "reps_with_quota", "Reps with a quota", t->with_quota);
    revops_rt__count(n, "reps_at_or_above_quota", "Reps at or above quota", t->above);
    if (t->with_quota)
        revops_rt__ratio(n, "reps_at_or_above_quota_share", "Share at or above quota",
                         (double)t->above / (double)t->with_quota);
    else
        revops_rt__na(n, "reps_at_or_above_quota_share", "Share at or above quota",
                      "no rep has a quota for the period");
    const char *no_efficiency = "no rep with activity targets had a working day in the period";
    if (isnan(t->efficiency)) {
        revops_rt__na(n, "activity_efficiency", "Activity efficiency", no_efficiency);
        revops_kpi__na(&k->activity_efficiency, "%s", no_efficiency);
    } else {
        revops_rt__ratio(n, "activity_efficiency", "Activity efficiency", t->efficiency);
        k->activity_efficiency.value = t->efficiency;
    }
    revops_rt__ratio(n, "ramp_threshold", NULL, c->opts.ramp_threshold);
    revops_rt__count(n, "ramped_reps", NULL, (int64_t)t->ramped);
    if (t->ramped == 0) {
        revops_rt__na(n, "ramp_days", "Ramp, median days", "no rep of the period has ramped");
        revops_kpi__na(&k->ramp_days, "no rep of the period has ramped");
    } else {
        revops_rt__number(n, "ramp_days", "Ramp, median days", t->ramp_median, 1);
        k->ramp_days.value = t->ramp_median;
    }
}

static void deal_size(team *t, revops_rt_node *n, revops_kpi_values *k)
{
    char now[REVOPS_PERIOD_TEXT_MAX], prior[REVOPS_PERIOD_TEXT_MAX], label[96];
    revops_period_format(&t->c->period, now);
    revops_period_format(&t->prior, prior);
    if (isnan(t->growth)) {
        char why[96];
        snprintf(why, sizeof(why), "no deal won in %s", t->period_won_deals == 0 ? now : prior);
        revops_rt__na(n, "deal_size_growth_yoy", "Deal size growth, year on year", why);
        revops_kpi__na(&k->deal_size_growth, "%s", why);
    } else {
        revops_rt__ratio(n, "deal_size_growth_yoy", "Deal size growth, year on year", t->growth);
        k->deal_size_growth.value = t->growth;
    }
    revops_rt_node *d = revops_rt__section(n, "deal_size", NULL);
    revops_rt__text(d, "period", NULL, now);
    snprintf(label, sizeof(label), "Deals won in %s", now);
    revops_rt__count(d, "won_deals", label, t->period_won_deals);
    snprintf(label, sizeof(label), "Average won deal in %s", now);
    if (t->period_won_deals)
        revops_rt__money(d, "avg_won_deal_size", label,
                         (int64_t)llround((double)t->period_won / (double)t->period_won_deals));
    else
        revops_rt__na(d, "avg_won_deal_size", label, "no deal won");
    revops_rt__text(d, "prior_period", NULL, prior);
    snprintf(label, sizeof(label), "Deals won in %s", prior);
    revops_rt__count(d, "prior_won_deals", label, t->prior_won_deals);
    snprintf(label, sizeof(label), "Average won deal in %s", prior);
    if (t->prior_won_deals)
        revops_rt__money(d, "prior_avg_won_deal_size", label,
                         (int64_t)llround((double)t->prior_won / (double)t->prior_won_deals));
    else
        revops_rt__na(d, "prior_avg_won_deal_size", label, "no deal won");
}

static void teams_table(team *t, revops_rt_node *n)
{
    const revops_dataset *ds = t->ds;
    static const revops_rt_column cols[] = {
        {"team_id", "team id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"team", "team", REVOPS_RT_TEXT, 0, 0},
        {"reps", "reps", REVOPS_RT_COUNT, 0, 0},
        {"reps_with_quota", "with quota", REVOPS_RT_COUNT, 0, 0},
        {"quota", "quota", REVOPS_RT_MONEY, 0, 0},
        {"won", "won", REVOPS_RT_MONEY, 0, 0},
        {"attainment", "attainment", REVOPS_RT_RATIO, 0, 0},
        {"attainment_reason", "", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"reps_at_or_above_quota", "at or above quota", REVOPS_RT_COUNT, 0, 0},
        {"activity_efficiency", "activity eff.", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *tb = revops_rt__table(n, "teams", "Teams", cols, sizeof(cols) / sizeof(*cols));
    for (size_t g = 0; g < t->ngroups; g++) {
        const team_group *grp = &t->groups[g];
        revops_rt__row(tb);
        revops_rt__cell_text(tb, grp->id ? revops_dataset__str(ds, grp->id) : NULL);
        revops_rt__cell_text(tb,
                             revops_analytics__team_name(t->c, ds->rep.id[t->order[grp->from]]));
        revops_rt__cell_count(tb, (int64_t)(grp->to - grp->from));
        revops_rt__cell_count(tb, grp->with_quota);
        revops_rt__cell_money(tb, grp->quota);
        revops_rt__cell_money(tb, grp->won);
        revops_rt__cell_ratio(tb, grp->attainment);
        revops_rt__cell_text(tb, isnan(grp->attainment) ? "no quota for the period" : NULL);
        revops_rt__cell_count(tb, grp->above);
        revops_rt__cell_ratio(tb, grp->efficiency);
    }
}

static void reps_table(team *t, revops_rt_node *n)
{
    const revops_dataset *ds = t->ds;
    static const revops_rt_column cols[] = {
        {"rep_id", "rep id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"rep", "rep", REVOPS_RT_TEXT, 0, 0},
        {"team_id", "team id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"team", "team", REVOPS_RT_TEXT, 0, 0},
        {"role", "role", REVOPS_RT_TEXT, 0, 0},
        {"hired_at", "hired", REVOPS_RT_DAY, 0, REVOPS_RT_DATA_ONLY},
        {"quota", "quota", REVOPS_RT_MONEY, 0, 0},
        {"won", "won", REVOPS_RT_MONEY, 0, 0},
        {"won_deals", "deals won", REVOPS_RT_COUNT, 0, 0},
        {"attainment", "attainment", REVOPS_RT_RATIO, 0, 0},
        {"attainment_reason", "", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"activities", "activities", REVOPS_RT_COUNT, 0, 0},
        {"activity_efficiency", "activity eff.", REVOPS_RT_RATIO, 0, 0},
        {"activities_per_won_deal", "act. per win", REVOPS_RT_NUMBER, 1, 0},
        {"ramp_days", "ramp days", REVOPS_RT_COUNT, 0, 0},
        {"ramp_reason", "", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
    };
    revops_rt_table *tb = revops_rt__table(n, "reps", "Reps", cols, sizeof(cols) / sizeof(*cols));
    for (size_t i = 0; i < t->nlisted; i++) {
        uint32_t r = t->order[i];
        const team_rep *p = &t->reps[r];
        revops_str team_id = ds->rep.team_id[r];
        revops_rt__row(tb);
        revops_rt__cell_text(tb, revops_dataset__str(ds, ds->rep.id[r]));
        revops_rt__cell_text(tb, revops_dataset__str(ds, ds->rep.name[r]));
        revops_rt__cell_text(tb, team_id ? revops_dataset__str(ds, team_id) : NULL);
        revops_rt__cell_text(tb, revops_analytics__team_name(t->c, ds->rep.id[r]));
        revops_rt__cell_text(tb, ds->rep.role[r] ? revops_dataset__str(ds, ds->rep.role[r]) : "");
        revops_rt__cell_day(tb, p->hired);
        revops_rt__cell_money(tb, p->quota);
        revops_rt__cell_money(tb, p->won);
        revops_rt__cell_count(tb, p->won_deals);
        revops_rt__cell_ratio(tb, p->attainment);
        revops_rt__cell_text(tb, isnan(p->attainment) ? "no quota for the period" : NULL);
        revops_rt__cell_count(tb, p->acts_total);
        revops_rt__cell_ratio(tb, p->efficiency);
        if (p->won_deals > 0)
            revops_rt__cell_number(tb, (double)p->acts_total / (double)p->won_deals);
        else
            revops_rt__cell_null(tb);
        if (isnan(p->ramp_days))
            revops_rt__cell_null(tb);
        else
            revops_rt__cell_count(tb, (int64_t)p->ramp_days);
        revops_rt__cell_text(tb, isnan(p->ramp_days) ? p->ramp_why : NULL);
    }
}

static void distribution(team *t, revops_rt_node *n)
{
    static const double edges[TEAM_NBANDS - 1] = {0.5, 0.8, 1.0, 1.2};
    static const char *const names[TEAM_NBANDS] = {"< 50 %", "50-80 %", "80-100 %", "100-120 %",
                                                   ">= 120 %"};
    revops_rt_node *d = revops_rt__section(n, "attainment_distribution", NULL);
    revops_rt__count(d, "reps", NULL, t->with_quota);
    if (t->with_quota == 0) {
        revops_rt__na(d, "median", "Attainment, median rep", "no rep has a quota for the period");
        revops_rt__na(d, "p90", "Attainment, 90th percentile", "no rep has a quota for the period");
    } else {
        revops_rt__ratio(d, "median", "Attainment, median rep", t->median);
        revops_rt__ratio(d, "p90", "Attainment, 90th percentile", t->p90);
    }
    static const revops_rt_column cols[] = {
        {"band", "attainment", REVOPS_RT_TEXT, 0, 0},
        {"from", "from", REVOPS_RT_RATIO, 0, REVOPS_RT_DATA_ONLY},
        {"to", "to", REVOPS_RT_RATIO, 0, REVOPS_RT_DATA_ONLY},
        {"reps", "reps", REVOPS_RT_COUNT, 0, 0},
        {"share", "share", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *tb =
        revops_rt__table(d, "bands", "Attainment distribution (reps with a quota)", cols,
                         sizeof(cols) / sizeof(*cols));
    for (int b = 0; b < TEAM_NBANDS; b++) {
        revops_rt__row(tb);
        revops_rt__cell_text(tb, names[b]);
        revops_rt__cell_ratio(tb, b > 0 ? edges[b - 1] : NAN);
        revops_rt__cell_ratio(tb, b < TEAM_NBANDS - 1 ? edges[b] : NAN);
        revops_rt__cell_count(tb, t->bands[b]);
        revops_rt__cell_ratio(tb,
                              t->with_quota ? (double)t->bands[b] / (double)t->with_quota : NAN);
    }
}

static void coaching_table(team *t, revops_rt_node *n)
{
    revops_actx *c = t->c;
    const revops_dataset *ds = t->ds;
    static const revops_rt_column cols[] = {
        {"rep_id", "rep id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"rep", "rep", REVOPS_RT_TEXT, 0, 0},
        {"team_id", "team id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"team", "team", REVOPS_RT_TEXT, 0, 0},
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"deals_left", "deals through", REVOPS_RT_COUNT, 0, 0},
        {"conversion", "conversion", REVOPS_RT_RATIO, 0, 0},
        {"team_median", "team median", REVOPS_RT_RATIO, 0, 0},
        {"gap", "gap", REVOPS_RT_RATIO, 0, 0},
    };
    char title[128];
    snprintf(title, sizeof(title),
             "Coaching: stage conversion more than %.0f points below the team median",
             c->opts.coaching_gap * 100);
    revops_rt_table *tb =
        revops_rt__table(n, "coaching", title, cols, sizeof(cols) / sizeof(*cols));
    for (size_t f = 0; f < t->nflags; f++) {
        const team_flag *fl = &t->flags[f];
        revops_str team_id = ds->rep.team_id[fl->rep];
        revops_rt__row(tb);
        revops_rt__cell_text(tb, revops_dataset__str(ds, ds->rep.id[fl->rep]));
        revops_rt__cell_text(tb, revops_dataset__str(ds, ds->rep.name[fl->rep]));
        revops_rt__cell_text(tb, team_id ? revops_dataset__str(ds, team_id) : NULL);
        revops_rt__cell_text(tb, revops_analytics__team_name(c, ds->rep.id[fl->rep]));
        revops_rt__cell_text(tb, c->stages.items[fl->stage].name);
        revops_rt__cell_count(tb, fl->left);
        revops_rt__cell_ratio(tb, fl->conversion);
        revops_rt__cell_ratio(tb, fl->median);
        revops_rt__cell_ratio(tb, fl->median - fl->conversion);
    }
}

void revops_team__report(team *t, revops_rt_node *root, revops_kpi_values *k)
{
    revops_rt_node *sec = revops_rt__section(root, "team", "Team performance");
    headline(t, sec, k);
    deal_size(t, sec, k);
    revops_rt__ratio(sec, "coaching_gap", NULL, t->c->opts.coaching_gap);
    revops_rt__count(sec, "coaching_flags", "Coaching flags", (int64_t)t->nflags);
    teams_table(t, sec);
    reps_table(t, sec);
    distribution(t, sec);
    revops_team__activity_tables(t, sec);
    coaching_table(t, sec);
}
