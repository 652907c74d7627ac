/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The team section's figures (docs/metrics-team.md), computed apart from the report so that
 * tests can read them: team.c computes quota, attainment, ramp, deal size and coaching;
 * team_activity.c counts activities against targets; team_report.c writes it all into the
 * report tree. Per-rep figures are indexed by the rep's row in the dataset, so each pass over
 * deals, quotas or activities finds its rep with one lookup.
 */
#ifndef REVOPS_ANALYTICS_TEAM_H
#define REVOPS_ANALYTICS_TEAM_H

#include "analytics/analysis.h"

/* Activity types in the order of revops_values_activity_type. */
#define TEAM_NTYPES 7
/* Attainment bands: < 50 %, 50-80 %, 80-100 %, 100-120 %, >= 120 %. */
#define TEAM_NBANDS 5

typedef struct team_rep {
    revops_day hired;       /* the day of hired_at, or REVOPS_NO_DAY */
    revops_day from, to;    /* the rep's days of the period, [from, to]; none when to < from */
    int working_days;       /* Mondays to Fridays in [from, to] */
    int role;               /* index in revops_values_role; -1: none */
    int has_quota_row;      /* a quota row overlaps the period (even one of zero) */
    double quota_sum;       /* the period's quota, unrounded */
    int64_t quota;          /* the same in minor units */
    int64_t won, won_deals; /* deals won with closed_at in the period */
    int64_t acts[TEAM_NTYPES], acts_total;
    double target[TEAM_NTYPES]; /* activity targets for [from, to]; 0 where none */
    double attainment;          /* NaN: no quota */
    double efficiency;          /* NaN: no targets or no working day */
    double ramp_days;           /* NaN: not ramped, reason in ramp_why */
    char ramp_why[96];
} team_rep;

/* A team's roll-up: sums over its listed reps. */
typedef struct team_group {
    revops_str id;   /* the team id; 0 for reps without a team */
    size_t from, to; /* its reps are order[from .. to) */
    int64_t quota, won, with_quota, above;
    double attainment; /* won / quota; NaN without quota */
    double efficiency; /* mean of its reps' efficiencies; NaN without any */
} team_group;

/* A rep converting worse than their team at an open stage. */
typedef struct team_flag {
    uint32_t rep;
    int stage;
    int64_t left; /* the rep's deals that left the stage */
    double conversion, median;
} team_flag;

typedef struct team {
    revops_actx *c;
    const revops_dataset *ds;
    team_rep *reps;  /* by rep row */
    uint32_t *order; /* the listed reps' rows, in report order */
    size_t nlisted;
    revops_str type_str[TEAM_NTYPES]; /* interned activity type names (0: absent) */
    revops_activity_targets targets;  /* the options' or the defaults */
    team_group *groups;               /* in report order */
    size_t ngroups;
    team_flag *flags; /* largest gap first */
    size_t nflags;
    /* The company: sums over the listed reps. */
    int64_t quota, won, with_quota, above;
    double attainment, efficiency;
    int64_t bands[TEAM_NBANDS];
    double median, p90; /* of the reps' attainments */
    size_t ramped;
    double ramp_median;
    revops_day quota_history; /* the first period_start of any quota, or REVOPS_NO_DAY */
    /* Deal size, every owner: the period and the same period a year before. */
    revops_period prior;
    int64_t period_won, period_won_deals, prior_won, prior_won_deals;
    double growth; /* NaN without wins in either */
    /* Stage conversion by rep: [rep row x open stage]. */
    int64_t *left, *advanced;
} team;

/* Computes everything for c->period as of c->as_of. On failure *t is freed all the same. */
int revops_team__compute(team *t, revops_actx *c);
void revops_team__free(team *t);

/* Writes the section under `root` and leaves its KPIs in `k`. */
void revops_team__report(team *t, revops_rt_node *root, revops_kpi_values *k);

/* Counts every rep's activities of the period by type in one pass, sets their targets and
 * activity efficiency (team_activity.c). */
void revops_team__activities(team *t);

/* The activity tables of the listed reps. */
void revops_team__activity_tables(team *t, revops_rt_node *n);

/* The mean of the efficiencies of the reps order[from .. to), NaN when none has one. */
double revops_team__mean_efficiency(const team *t, size_t from, size_t to);

/* Mondays to Fridays in [a, b] (0 when b < a). */
int revops_team__weekdays(revops_day a, revops_day b);

#endif
