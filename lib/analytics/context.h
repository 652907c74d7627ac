/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What every analysis shares: the resolved options, the reporting currency and its exchange
 * rates, indexes from ids to rows, each deal's history in time order, and the point-in-time
 * state of a deal on any day (SCHEMA "Point-in-time": a deal's stage, amount and close date on
 * day D are those of its last stage_change at or before D).
 */
#ifndef REVOPS_ANALYTICS_CONTEXT_H
#define REVOPS_ANALYTICS_CONTEXT_H

#include "model/dataset.h"
#include "model/idmap.h"
#include "revops/analyze.h"
#include "revops/stats.h"

typedef struct revops_fx_series {
    revops_str currency;
    int exponent;
    revops_day *days; /* ascending */
    double *rates;    /* reporting-currency units per unit */
    size_t n;
} revops_fx_series;

typedef struct revops_deal revops_deal;
struct revops_revrec;

typedef struct revops_actx {
    const revops_dataset *ds;
    revops_analysis_options opts;
    revops_day as_of;
    revops_period period;
    revops_stages stages;
    revops_str stage_str[REVOPS_MAX_STAGES]; /* the stage names as string ids (0: absent) */
    double probability[REVOPS_MAX_STAGES];   /* p(s) used for weighting */
    int nopen;                               /* open stages come first, in order */
    char currency[8];
    int exponent;
    revops_str currency_str;
    revops_fx_series *fx;
    size_t nfx;
    uint64_t fx_before_first; /* amounts dated before their currency's first rate */
    uint64_t fx_missing;      /* amounts in a currency without rates (left unconverted) */
    revops_idmap opp_by_id, rep_by_id, team_by_id, account_by_id;
    revops_idmap lead_by_id; /* only with REVOPS_ACTX_LEAD_MAP */
    size_t *hist_start;      /* by deal: its stage changes are hist_rows[start[i] .. start[i+1]) */
    uint32_t *hist_rows;     /* stage_change rows ordered by deal, then time */
    int8_t *hist_to;         /* by stage_change row: to_stage as a stage index, -1 unknown */
    int8_t *hist_from;       /* by stage_change row: from_stage as a stage index, -1 none */
    struct revops_deal *now; /* by deal: as it stood at the end of the as-of day */
    revops_time *last_act;   /* by deal: its latest activity by then, or REVOPS_NO_TIME */
    int32_t *lead_opp;       /* by lead: the deal its opportunity_id names, or -1 */
    int32_t *deal_lead;      /* by deal: the first lead its lead_id names, or -1 */
    unsigned needs;          /* REVOPS_ACTX_* */
    /* By deal, its activity times act_times[act_start[i] .. act_start[i+1]) in order: only
     * with REVOPS_ACTX_ACTIVITY_INDEX. */
    size_t *act_start;
    revops_time *act_times;
    revops_day first_day, latest_day; /* of the events in the data (dataset.h) */
    /* The data-quality statistics, when the scorecard will grade them (it is asked for, and
     * as_of is the latest day): stats, or stats_failed with the reason in stats_error, since a
     * failure there is the scorecard's to report as n/a, not the analysis's. */
    revops_stats *stats;
    int stats_failed;
    revops_error stats_error;
    /* The revenue recognition as of the as-of day, built once for the sections that read it
     * (revenue recognition, recurring revenue, profitability) when the analysis runs them
     * side by side; NULL otherwise, and each builds its own. */
    const struct revops_revrec *revrec;
} revops_actx;

/* revops_stats_compute() with the data's event days already known, on every core. */
int revops_stats__compute(revops_stats **out, const revops_dataset *ds, int32_t as_of,
                          int32_t first_day, int32_t latest_day);

/* The same statistics in parts, for a caller that runs them among tasks of its own: begin,
 * then every part as a task (revops_stats__run_part with revops_stats__part_arg(p, k), on any
 * thread, in any order; a part keeps its failure rather than return it), then end, which
 * adds them up into *out, or returns the first part's failure, and frees p; or discard. */
#define REVOPS_STATS_PARTS 4
typedef struct revops_stats_parts revops_stats_parts;
int revops_stats__begin(revops_stats_parts **out, const revops_dataset *ds, int32_t as_of,
                        int32_t first_day, int32_t latest_day);
void *revops_stats__part_arg(revops_stats_parts *p, size_t k);
int revops_stats__run_part(void *arg);
int revops_stats__end(revops_stats_parts *p, revops_stats **out);
void revops_stats__discard(revops_stats_parts *p);

/* What a context builds beyond what every analysis uses. */
#define REVOPS_ACTX_ACTIVITY_INDEX 1u /* each deal's activity times, for days before as-of */
#define REVOPS_ACTX_LEAD_MAP 2u       /* lead ids to rows */

/* Resolves the options and builds the indexes, and those `needs` asks for, on every core
 * (context_index.c); revops_actx__free() releases them. */
int revops_actx__init_for(revops_actx *c, const revops_dataset *ds,
                          const revops_analysis_options *opts, unsigned needs);

/* revops_actx__init_for() with what the sections asked for need (0 means all of them): the
 * activity index when they include the forecast. */
int revops_actx__init(revops_actx *c, const revops_dataset *ds,
                      const revops_analysis_options *opts);
void revops_actx__free(revops_actx *c);

/* The rounds of context_index.c: the deals' map and the event days first, then, once the
 * as-of day is known, the rest. */
int revops_actx__index_start(revops_actx *c);
int revops_actx__index_rest(revops_actx *c);

/* The index of a stage name in c->stages, or -1. */
int revops_actx__stage(const revops_actx *c, revops_str name);

/* `minor` units of `currency` on `day` in the reporting currency's minor units, at the rate
 * on or before that day (the first rate when the day precedes them all). */
int64_t revops_actx__money(revops_actx *c, int64_t minor, revops_str currency, revops_day day);

/*
 * The part of quota row `row` that falls in the days [start, end), in the reporting currency's
 * minor units, unrounded: a quota whose own days [period_start, period_end] straddle the range
 * counts for the share of its days inside it, converted at the rate of its period_start. Every
 * section that needs a quota for some days sums these, so they all agree.
 */
double revops_actx__quota_share(revops_actx *c, size_t row, revops_day start, revops_day end);

/* The end of a day as a time: events at or before it are known on that day. */
static inline revops_time revops_actx__day_end(revops_day d)
{
    return revops_day_time(d) + 86399;
}

/* A deal as it stood at the end of a day. Small, since the context keeps one per deal. */
struct revops_deal {
    int64_t amount; /* minor units of the deal's currency */
    int64_t first_amount;
    revops_day amount_day; /* when the amount was last set */
    revops_day close_date;
    revops_day created;
    revops_day closed;        /* the day it closed, when won or lost */
    revops_day stage_entered; /* the day it entered its stage */
    int32_t pushes;           /* times its close date moved later */
    int8_t stage;             /* stage index on the day, -1 when unknown */
    uint8_t exists;           /* created on or before the day */
    uint8_t open;             /* exists and not closed on or before the day */
    uint8_t won, lost;        /* closed on or before the day, with this outcome */
};

void revops_actx__deal(const revops_actx *c, size_t opp, revops_day day, revops_deal *out);

/* The latest activity of a deal at or before the end of `day`, or REVOPS_NO_TIME. A day other
 * than the as-of day needs REVOPS_ACTX_ACTIVITY_INDEX. */
revops_time revops_actx__last_activity(const revops_actx *c, size_t opp, revops_day day);

/* A stay of a deal in one stage: entered and left (REVOPS_NO_TIME while still in it at the
 * end of the day asked about), and where it went (a stage index, or -1 while still in it). */
typedef struct revops_spell {
    int stage;
    revops_time entered, left;
    int next;
} revops_spell;

/* 1 when a finished spell moved the deal on: to a later open stage or to a won stage (the rule
 * of stage conversion). */
int revops_actx__spell_advanced(const revops_actx *c, const revops_spell *sp);

/* Fills up to `cap` spells of a deal up to the end of `day`; returns how many there were. */
size_t revops_actx__spells(const revops_actx *c, size_t opp, revops_day day, revops_spell *out,
                           size_t cap);

#endif
