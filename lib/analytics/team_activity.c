/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Activities against targets (docs/metrics.md "Team performance"): each rep's activities of
 * the period by type, per working day, next to the targets of the rep's role (the options',
 * by default those of METRICS.md), and the activity efficiency that sums them up. One pass
 * over the activities, however many.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analytics/team.h"

_Static_assert(TEAM_NTYPES == REVOPS_ACTIVITY_TYPES, "one target per activity type");

/* Positions in revops_values_activity_type. */
enum { T_CALL, T_EMAIL, T_MEETING, T_DEMO, T_PROPOSAL, T_SOCIAL, T_NOTE };

/* The order in which a role's targets are listed and averaged: the order METRICS.md names
 * them in (SDR: calls, emails, social, meetings; AE: calls, proposals, demos, meetings). */
static const int type_order[TEAM_NTYPES] = {T_CALL, T_EMAIL,   T_SOCIAL, T_PROPOSAL,
                                            T_DEMO, T_MEETING, T_NOTE};

/*
 * The default targets of METRICS.md on the activity types the data model has. SDRs: 50 calls,
 * 100 emails, 20 social touches and 2 meetings a working day. AEs: 40 discovery calls, 15
 * proposals, 25 demos and 30 meetings a month; the model has no discovery-call type, so an
 * AE's calls all count as discovery calls. Notes have no target. Other roles have none.
 */
void revops_activity_targets_default(revops_activity_targets *t)
{
    memset(t, 0, sizeof(*t));
    t->target[0][T_CALL] = 50; /* sdr, per working day */
    t->target[0][T_EMAIL] = 100;
    t->target[0][T_SOCIAL] = 20;
    t->target[0][T_MEETING] = 2;
    t->per_month[1] = 1; /* ae, per month */
    t->target[1][T_CALL] = 40;
    t->target[1][T_PROPOSAL] = 15;
    t->target[1][T_DEMO] = 25;
    t->target[1][T_MEETING] = 30;
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
    if (c->opts.activity_targets)
        t->targets = *c->opts.activity_targets;
    else
        revops_activity_targets_default(&t->targets);
    /* Each rep's targets over their days of the period. */
    for (size_t r = 0; r < nrep; r++) {
        team_rep *p = &t->reps[r];
        if (p->role < 0)
            continue;
        double units =
            t->targets.per_month[p->role] ? month_share(p->from, p->to) : (double)p->working_days;
        for (int k = 0; k < TEAM_NTYPES; k++)
            p->target[k] = t->targets.target[p->role][k] * units;
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
        for (int i = 0; p->role >= 0 && i < TEAM_NTYPES; i++) {
            int k = type_order[i];
            if (!(t->targets.target[p->role][k] > 0))
                continue;
            double ratio = (double)p->acts[k] / p->target[k];
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
    for (int role = 0; role < REVOPS_REP_ROLES; role++)
        for (int i = 0; i < TEAM_NTYPES; i++) {
            int k = type_order[i];
            if (!(t->targets.target[role][k] > 0))
                continue;
            revops_rt__row(tt);
            revops_rt__cell_text(tt, revops_values_role[role]);
            revops_rt__cell_text(tt, revops_values_activity_type[k]);
            revops_rt__cell_number(tt, t->targets.target[role][k]);
            revops_rt__cell_text(tt, t->targets.per_month[role] ? "month" : "working day");
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
        for (int j = 0; p->role >= 0 && j < TEAM_NTYPES; j++) {
            int type = type_order[j];
            if (!(t->targets.target[p->role][type] > 0))
                continue;
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
