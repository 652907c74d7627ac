/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Activities against targets (docs/metrics.md "Team performance"): each rep's activities of
 * the period by type, per working day, next to the default targets of the rep's role, and
 * the activity efficiency that sums them up. One pass over the activities, however many.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytics/team.h"

/* Positions in revops_values_activity_type. */
enum { T_CALL, T_EMAIL, T_MEETING, T_DEMO, T_PROPOSAL, T_SOCIAL, T_NOTE };

/*
 * The default targets of METRICS.md on the activity types the data model has. SDRs: 50 calls,
 * 100 emails, 20 social touches and 2 meetings a working day. AEs: 40 discovery calls, 15
 * proposals, 25 demos and 30 meetings a month; the model has no discovery-call type, so an
 * AE's calls all count as discovery calls. Notes have no target. Other roles have none.
 */
typedef struct target_def {
    int role;
    int per_month; /* 0: per working day */
    int type;
    double amount;
} target_def;

static const target_def targets[] = {
    {TEAM_ROLE_SDR, 0, T_CALL, 50},   {TEAM_ROLE_SDR, 0, T_EMAIL, 100},
    {TEAM_ROLE_SDR, 0, T_SOCIAL, 20}, {TEAM_ROLE_SDR, 0, T_MEETING, 2},
    {TEAM_ROLE_AE, 1, T_CALL, 40},    {TEAM_ROLE_AE, 1, T_PROPOSAL, 15},
    {TEAM_ROLE_AE, 1, T_DEMO, 25},    {TEAM_ROLE_AE, 1, T_MEETING, 30},
};

#define NTARGETS (sizeof(targets) / sizeof(targets[0]))

static const char *role_name(int role)
{
    return role == TEAM_ROLE_SDR ? "sdr" : role == TEAM_ROLE_AE ? "ae" : "";
}

int revops_team__weekdays(revops_day a, revops_day b)
{
    if (b < a)
        return 0;
    int64_t n = (int64_t)b - a + 1;
    int count = (int)(n / 7 * 5);
    for (revops_day d = a + (revops_day)(n / 7 * 7); d <= b; d++)
        count += revops_day_weekday(d) <= 5;
    return count;
}

/* How many months of working days [from, to] holds: each calendar month counts for the share
 * of its working days inside the range, so a full quarter is exactly 3 and a rep hired in the
 * middle of a month gets that month's target in proportion. */
static double month_share(revops_day from, revops_day to)
{
    double share = 0;
    if (to < from)
        return 0;
    for (revops_month m = revops_day_month(from); m <= revops_day_month(to); m++) {
        revops_day first = revops_month_first_day(m), last = revops_month_last_day(m);
        int all = revops_team__weekdays(first, last);
        int in = revops_team__weekdays(from > first ? from : first, to < last ? to : last);
        if (all > 0)
            share += (double)in / (double)all;
    }
    return share;
}

void revops_team__activities(team *t)
{
    revops_actx *c = t->c;
    const revops_dataset *ds = t->ds;
    size_t nrep = ds->rep.n;
    /* The window of each rep as times, so that the pass compares times only. */
    for (size_t r = 0; r < nrep; r++) {
        team_rep *p = &t->reps[r];
        double months = p->role == TEAM_ROLE_AE ? month_share(p->from, p->to) : 0;
        for (size_t k = 0; k < NTARGETS; k++)
            if (targets[k].role == p->role)
                p->target[targets[k].type] =
                    targets[k].amount * (targets[k].per_month ? months : p->working_days);
    }
    const revops_activity_table *a = &ds->activity;
    revops_str last_id = 0;
    team_rep *rep = NULL;
    revops_time lo = 0, hi = -1;
    for (size_t i = 0; i < a->n; i++) {
        /* Activities come in runs of one rep: look the rep up only when it changes. */
        if (a->rep_id[i] != last_id) {
            last_id = a->rep_id[i];
            int64_t r = revops_idmap__get(&c->rep_by_id, last_id);
            rep = r >= 0 ? &t->reps[r] : NULL;
            if (rep && rep->to >= rep->from) {
                lo = revops_day_time(rep->from);
                hi = revops_actx__day_end(rep->to);
            } else {
                rep = NULL;
            }
        }
        if (!rep || a->at[i] < lo || a->at[i] > hi)
            continue;
        rep->acts_total++;
        for (int k = 0; k < TEAM_NTYPES; k++) {
            if (t->type_str[k] && a->type[i] == t->type_str[k]) {
                rep->acts[k]++;
                break;
            }
        }
    }
    /* Efficiency: the mean over the role's target types of min(actual / target, 1), so that
     * twice the emails cannot make up for no meetings. */
    for (size_t r = 0; r < nrep; r++) {
        team_rep *p = &t->reps[r];
        p->efficiency = NAN;
        if (p->working_days == 0)
            continue;
        double sum = 0;
        int n = 0;
        for (size_t k = 0; k < NTARGETS; k++) {
            if (targets[k].role != p->role)
                continue;
            double ratio = (double)p->acts[targets[k].type] / p->target[targets[k].type];
            sum += ratio < 1 ? ratio : 1;
            n++;
        }
        if (n > 0)
            p->efficiency = sum / n;
    }
}

double revops_team__mean_efficiency(const team *t, size_t from, size_t to)
{
    double sum = 0;
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        double e = t->reps[t->order[i]].efficiency;
        if (!isnan(e)) {
            sum += e;
            n++;
        }
    }
    return n ? sum / (double)n : NAN;
}

static void per_day_cell(revops_rt_table *tb, int64_t count, int days)
{
    if (days > 0)
        revops_rt__cell_number(tb, (double)count / days);
    else
        revops_rt__cell_null(tb);
}

void revops_team__activity_tables(team *t, revops_rt_node *n)
{
    const revops_dataset *ds = t->ds;
    static const revops_rt_column cols[] = {
        {"rep_id", "rep id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"rep", "rep", REVOPS_RT_TEXT, 0, 0},
        {"role", "role", REVOPS_RT_TEXT, 0, 0},
        {"working_days", "work days", REVOPS_RT_COUNT, 0, 0},
        {"activities", "activities", REVOPS_RT_COUNT, 0, 0},
        {"activities_per_day", "per day", REVOPS_RT_NUMBER, 2, 0},
        {"call_per_day", "calls", REVOPS_RT_NUMBER, 2, 0},
        {"email_per_day", "emails", REVOPS_RT_NUMBER, 2, 0},
        {"meeting_per_day", "meetings", REVOPS_RT_NUMBER, 2, 0},
        {"demo_per_day", "demos", REVOPS_RT_NUMBER, 2, 0},
        {"proposal_per_day", "proposals", REVOPS_RT_NUMBER, 2, 0},
        {"social_per_day", "social", REVOPS_RT_NUMBER, 2, 0},
        {"note_per_day", "notes", REVOPS_RT_NUMBER, 2, 0},
        {"activity_efficiency", "efficiency", REVOPS_RT_RATIO, 0, 0},
        {"activity_efficiency_reason", "", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
    };
    revops_rt_table *ta =
        revops_rt__table(n, "activity", "Activities per working day by type (per rep)", cols,
                         sizeof(cols) / sizeof(cols[0]));
    for (size_t i = 0; i < t->nlisted; i++) {
        uint32_t r = t->order[i];
        const team_rep *p = &t->reps[r];
        revops_rt__row(ta);
        revops_rt__cell_text(ta, revops_dataset__str(ds, ds->rep.id[r]));
        revops_rt__cell_text(ta, revops_dataset__str(ds, ds->rep.name[r]));
        revops_rt__cell_text(ta, ds->rep.role[r] ? revops_dataset__str(ds, ds->rep.role[r]) : "");
        revops_rt__cell_count(ta, p->working_days);
        revops_rt__cell_count(ta, p->acts_total);
        per_day_cell(ta, p->acts_total, p->working_days);
        for (int k = 0; k < TEAM_NTYPES; k++)
            per_day_cell(ta, p->acts[k], p->working_days);
        revops_rt__cell_ratio(ta, p->efficiency);
        if (!isnan(p->efficiency))
            revops_rt__cell_text(ta, NULL);
        else if (p->working_days == 0)
            revops_rt__cell_text(ta, "no working day of the period since the hire");
        else
            revops_rt__cell_text(ta, "no activity targets for the role");
    }

    static const revops_rt_column tcols[] = {
        {"role", "role", REVOPS_RT_TEXT, 0, 0},
        {"type", "activity", REVOPS_RT_TEXT, 0, 0},
        {"target", "target", REVOPS_RT_NUMBER, 0, 0},
        {"per", "per", REVOPS_RT_TEXT, 0, 0},
    };
    revops_rt_table *tt = revops_rt__table(n, "activity_targets", "Activity targets", tcols, 4);
    for (size_t k = 0; k < NTARGETS; k++) {
        revops_rt__row(tt);
        revops_rt__cell_text(tt, role_name(targets[k].role));
        revops_rt__cell_text(tt, revops_values_activity_type[targets[k].type]);
        revops_rt__cell_number(tt, targets[k].amount);
        revops_rt__cell_text(tt, targets[k].per_month ? "month" : "working day");
    }

    static const revops_rt_column vcols[] = {
        {"rep_id", "rep id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"rep", "rep", REVOPS_RT_TEXT, 0, 0},
        {"type", "activity", REVOPS_RT_TEXT, 0, 0},
        {"activities", "done", REVOPS_RT_COUNT, 0, 0},
        {"target", "target", REVOPS_RT_NUMBER, 1, 0},
        {"per_day", "per day", REVOPS_RT_NUMBER, 2, 0},
        {"target_per_day", "target per day", REVOPS_RT_NUMBER, 2, 0},
        {"vs_target", "of target", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *tv =
        revops_rt__table(n, "activity_vs_target", "Activities against targets (per rep)", vcols,
                         sizeof(vcols) / sizeof(vcols[0]));
    revops_rt__text_limit(tv, 40);
    for (size_t i = 0; i < t->nlisted; i++) {
        uint32_t r = t->order[i];
        const team_rep *p = &t->reps[r];
        if (p->working_days == 0)
            continue;
        for (size_t k = 0; k < NTARGETS; k++) {
            if (targets[k].role != p->role)
                continue;
            int type = targets[k].type;
            revops_rt__row(tv);
            revops_rt__cell_text(tv, revops_dataset__str(ds, ds->rep.id[r]));
            revops_rt__cell_text(tv, revops_dataset__str(ds, ds->rep.name[r]));
            revops_rt__cell_text(tv, revops_values_activity_type[type]);
            revops_rt__cell_count(tv, p->acts[type]);
            revops_rt__cell_number(tv, p->target[type]);
            revops_rt__cell_number(tv, (double)p->acts[type] / p->working_days);
            revops_rt__cell_number(tv, p->target[type] / p->working_days);
            revops_rt__cell_ratio(tv, (double)p->acts[type] / p->target[type]);
        }
    }
}
