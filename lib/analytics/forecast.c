/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The forecast section (docs/metrics-forecast.md): the bookings of a period P forecast as
 * known at the end of a day D by four methods and their weighted ensemble, a Monte Carlo
 * simulation of the open deals, the forecast categories, the deals that carry the
 * uncertainty, the risks in money, and a backtest over the finished periods in which every
 * method sees only what was known on each snapshot day.
 *
 * Everything a method needs on a day is gathered by one pass over the deals as they stood
 * on that day (a "view"); the pipelines at the period boundaries, which do not depend on the
 * day asked about, are gathered once for all views.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/forecast.h"
#include "analytics/stats_math.h"
#include "core/buf.h"
#include "core/error.h"
#include "revops/money.h"

#define MAX_SPELLS 32
#define SLIPPAGE_PERIODS 4 /* finished periods pooled for the slippage rate */
#define MIN_REGRESSION 4   /* past periods the regression needs */
#define MIN_SERIES 6       /* months Holt's linear trend needs */
#define SEASONAL_SERIES 24 /* months from which Holt-Winters is seasonal */
#define AGING_WEEKLY 0.05  /* the time factor a week beyond 1.5 x median loses */
#define AGING_FLOOR 0.5

enum { M_PW, M_TREND, M_REG, M_TS, M_ENS, M_LAST, M_YEAR, NMETHODS };

static const char *const method_key[NMETHODS] = {
    "pipeline_weighted", "historical_trend", "regression",           "time_series",
    "ensemble",          "last_period",      "same_period_last_year"};
static const char *const method_label[NMETHODS] = {"Pipeline weighted",
                                                   "Historical trend",
                                                   "Regression",
                                                   "Time series",
                                                   "Ensemble",
                                                   "Last period (naive)",
                                                   "Same period last year (naive)"};
enum { C_PIPELINE, C_BEST, C_COMMIT, C_CLOSED, C_OMITTED, NCATEGORIES };
static const char *const category_key[NCATEGORIES] = {"pipeline", "best_case", "commit", "closed",
                                                      "omitted"};

/* An open deal of the period as known on the view's day. */
typedef struct fc_open {
    uint32_t opp;
    int stage;
    int pushes;
    int64_t value; /* amount in the reporting currency */
    revops_day close_date, entered;
    double p, time_factor, rep_factor, q; /* q = min(1, p x time x rep) */
} fc_open;

typedef struct fc_method {
    int available;
    double value;
    char why[160];
} fc_method;

/* What is known at the end of `day` about period `per`. */
typedef struct fc_view {
    revops_day day;
    revops_period per;
    double prob[REVOPS_MAX_STAGES];
    double median[REVOPS_MAX_STAGES]; /* days of finished stays; NaN without any */
    double open_stage[REVOPS_MAX_STAGES];
    int64_t booked; /* won in per by day */
    fc_open *open;
    size_t nopen, capopen;
    int64_t *daily; /* bookings by close day, origin .. day */
    size_t ndaily;
    double win_rate_value;
    double slippage;
    int64_t due, slipped;
    fc_method m[NMETHODS];
    double weight[4];
} fc_view;

typedef struct fc {
    revops_actx *c;
    const revops_dataset *ds;
    const revops_forecast_options *fo;
    revops_day origin; /* the first day a deal was created; REVOPS_NO_DAY without deals */
    size_t nrep, nteam;
    int32_t *deal_rep; /* per deal: rep row, or nrep */
    int32_t *rep_team; /* per rep row: team row, or nteam */
    /* The periods of P's kind from the first one after the origin: their start pipelines by
     * stage, and how many deals due in each were still open past its end. */
    revops_period *bp;
    size_t nbp;
    double (*bound_stage)[REVOPS_MAX_STAGES];
    int64_t *due, *slipped;
    uint8_t *finished;
    /* Every finished stay in an open stage by the as-of day, per stage, with the time it
     * ended: a view on an earlier day takes those that ended by then. */
    revops_sample stay_left[REVOPS_MAX_STAGES], stay_days[REVOPS_MAX_STAGES];
    double *scratch;
} fc;

/* ---- helpers ---- */

static int periods_per_year(const revops_period *p)
{
    return p->kind == REVOPS_PERIOD_MONTH ? 12 : p->kind == REVOPS_PERIOD_QUARTER ? 4 : 1;
}

static int stage_open(const revops_actx *c, int s)
{
    return s >= 0 && s < (int)c->stages.n && c->stages.items[s].outcome == REVOPS_OUTCOME_OPEN;
}

/* Bookings of the days [start, end) from a view's daily series. */
static int64_t bookings(const fc_view *v, revops_day origin, revops_day start, revops_day end)
{
    int64_t sum = 0;
    if (origin == REVOPS_NO_DAY)
        return 0;
    for (revops_day d = start > origin ? start : origin; d < end; d++) {
        size_t k = (size_t)(d - origin);
        if (k >= v->ndaily)
            break;
        sum += v->daily[k];
    }
    return sum;
}

/* A period is covered when the data began before it did. */
static int covered(const fc *f, const revops_period *p)
{
    return f->origin != REVOPS_NO_DAY && f->origin < p->start;
}

static void method_na(fc_method *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void method_na(fc_method *m, const char *fmt, ...)
{
    m->available = 0;
    m->value = NAN;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->why, sizeof(m->why), fmt, ap);
    va_end(ap);
}

static void method_set(fc_method *m, double v)
{
    m->available = 1;
    m->value = v;
    m->why[0] = '\0';
}

/* ---- setup ---- */

static int fc_init(fc *f, revops_actx *c, const revops_forecast_options *fo)
{
    memset(f, 0, sizeof(*f));
    f->c = c;
    f->ds = c->ds;
    f->fo = fo;
    const revops_dataset *ds = c->ds;
    f->nrep = ds->rep.n;
    f->nteam = ds->team.n;
    size_t n = ds->opportunity.n;
    f->deal_rep = malloc((n ? n : 1) * sizeof(*f->deal_rep));
    f->rep_team = malloc((f->nrep ? f->nrep : 1) * sizeof(*f->rep_team));
    if (!f->deal_rep || !f->rep_team)
        return revops_error__oom();
    f->origin = REVOPS_NO_DAY;
    revops_time end = revops_actx__day_end(c->as_of);
    for (size_t i = 0; i < n; i++) {
        int64_t r = revops_idmap__get(&c->rep_by_id, ds->opportunity.owner_id[i]);
        f->deal_rep[i] = r >= 0 ? (int32_t)r : (int32_t)f->nrep;
        revops_time t = ds->opportunity.created_at[i];
        if (t <= end && (f->origin == REVOPS_NO_DAY || revops_time_day(t) < f->origin))
            f->origin = revops_time_day(t);
    }
    for (size_t r = 0; r < f->nrep; r++) {
        int64_t t = revops_idmap__get(&c->team_by_id, ds->rep.team_id[r]);
        f->rep_team[r] = t >= 0 ? (int32_t)t : (int32_t)f->nteam;
    }
    return 0;
}

static void fc_free(fc *f)
{
    free(f->deal_rep);
    free(f->rep_team);
    free(f->bp);
    free(f->bound_stage);
    free(f->due);
    free(f->slipped);
    free(f->finished);
    for (int st = 0; st < REVOPS_MAX_STAGES; st++) {
        revops_sample__free(&f->stay_left[st]);
        revops_sample__free(&f->stay_days[st]);
    }
    free(f->scratch);
}

typedef struct stay {
    revops_time left;
    double days;
} stay;

/* The finished stays of every deal up to the as-of day. A stay that ended by an earlier day
 * D is among them with the same times, since a deal's spells up to D are the first of its
 * spells up to the as-of day. */
static int stays(fc *f)
{
    revops_actx *c = f->c;
    revops_spell spells[MAX_SPELLS];
    stay *all[REVOPS_MAX_STAGES] = {0};
    size_t n[REVOPS_MAX_STAGES] = {0}, cap[REVOPS_MAX_STAGES] = {0}, most = 1;
    int rc = 0;
    for (size_t i = 0; i < f->ds->opportunity.n && !rc; i++) {
        size_t ns = revops_actx__spells(c, i, c->as_of, spells, MAX_SPELLS);
        for (size_t k = 0; k < ns && k < MAX_SPELLS && !rc; k++) {
            const revops_spell *sp = &spells[k];
            int st = sp->stage;
            if (!stage_open(c, st) || sp->left == REVOPS_NO_TIME)
                continue;
            if (!(rc = revops_array__grow((void **)&all[st], &cap[st], n[st] + 1, sizeof(stay))))
                all[st][n[st]++] = (stay){sp->left, (double)(sp->left - sp->entered) / 86400.0};
        }
    }
    for (int st = 0; st < REVOPS_MAX_STAGES && !rc; st++) {
        for (size_t k = 0; k < n[st] && !rc; k++)
            if (!(rc = revops_sample__add(&f->stay_left[st], (double)all[st][k].left)))
                rc = revops_sample__add(&f->stay_days[st], all[st][k].days);
        if (n[st] > most)
            most = n[st];
    }
    for (int st = 0; st < REVOPS_MAX_STAGES; st++)
        free(all[st]);
    if (!rc && !(f->scratch = malloc(most * sizeof(*f->scratch))))
        rc = revops_error__oom();
    return rc;
}

/* The median of the stays in stage st that ended by the end of `day`. */
static double median_stay(fc *f, int st, revops_day day)
{
    const revops_sample *l = &f->stay_left[st];
    double end = (double)revops_actx__day_end(day);
    size_t lo = 0;
    for (size_t k = 0; k < l->n; k++)
        if (l->v[k] <= end)
            f->scratch[lo++] = f->stay_days[st].v[k];
    if (lo == 0)
        return NAN;
    return revops_quantile__select(f->scratch, lo, 0.5);
}

/*
 * The boundary pass: for each period Q of P's kind that starts after the origin and by the
 * as-of day, the open pipeline by stage at the end of the day before it starts; and, for each
 * finished one, how many deals open then with a close date in Q were still open at its last
 * day with a close date after it (the slippage rule of the pipeline section). None of this
 * depends on the day a view is taken, as long as that day is after the boundary.
 */
static int boundaries(fc *f)
{
    revops_actx *c = f->c;
    if (f->origin == REVOPS_NO_DAY)
        return 0;
    revops_period q;
    revops_period_containing(&q, c->period.kind, f->origin, c->opts.fiscal_start_month);
    revops_period_shift(&q, &q, 1);
    size_t cap = 0;
    int rc = 0;
    while (q.start - 1 <= c->as_of) {
        if ((rc = revops_array__grow((void **)&f->bp, &cap, f->nbp + 1, sizeof(*f->bp))))
            return rc;
        f->bp[f->nbp++] = q;
        revops_period_shift(&q, &q, 1);
    }
    size_t nb = f->nbp ? f->nbp : 1;
    f->bound_stage = calloc(nb, sizeof(*f->bound_stage));
    f->due = calloc(nb, sizeof(*f->due));
    f->slipped = calloc(nb, sizeof(*f->slipped));
    f->finished = calloc(nb, sizeof(*f->finished));
    if (!f->bound_stage || !f->due || !f->slipped || !f->finished)
        return revops_error__oom();
    for (size_t k = 0; k < f->nbp; k++)
        f->finished[k] = f->bp[k].end - 1 <= c->as_of;
    const revops_opportunity_table *o = &f->ds->opportunity;
    revops_deal d, next;
    for (size_t i = 0; i < o->n; i++) {
        if (f->nbp == 0)
            break;
        /* Before the deal was created it counts nowhere: start at the first boundary after. */
        size_t k = 0;
        while (k < f->nbp && revops_actx__day_end(f->bp[k].start - 1) < o->created_at[i])
            k++;
        if (k == f->nbp)
            continue;
        size_t hs = c->hist_start[i], he = c->hist_start[i + 1];
        revops_time last_row =
            he > hs ? f->ds->stage_change.at[c->hist_rows[he - 1]] : REVOPS_NO_TIME;
        revops_actx__deal(c, i, f->bp[k].start - 1, &d);
        for (; k < f->nbp; k++) {
            int has_next = f->finished[k];
            if (has_next)
                revops_actx__deal(c, i, f->bp[k].end - 1, &next);
            if (d.open && stage_open(c, d.stage)) {
                int64_t v = revops_actx__money(c, d.amount, o->currency[i], d.amount_day);
                f->bound_stage[k][d.stage] += (double)v;
            }
            if (has_next && d.open && d.close_date >= f->bp[k].start &&
                d.close_date < f->bp[k].end) {
                f->due[k]++;
                f->slipped[k] += next.open && next.close_date >= f->bp[k].end;
            }
            if (!has_next)
                break;
            /* The last day of Q is the day before the next one starts. */
            d = next;
            /* Closed, with nothing recorded after: the same at every later boundary, where a
             * closed deal counts nowhere. */
            if ((d.won || d.lost) &&
                (last_row == REVOPS_NO_TIME || last_row <= revops_actx__day_end(f->bp[k].end - 1)))
                break;
        }
    }
    return 0;
}

/* The boundary index of a period, or -1. */
static long bound_index(const fc *f, const revops_period *p)
{
    for (size_t k = 0; k < f->nbp; k++)
        if (f->bp[k].start == p->start && f->bp[k].end == p->end)
            return (long)k;
    return -1;
}

/* ---- a view ---- */

static void view_free(fc_view *v)
{
    free(v->open);
    free(v->daily);
    memset(v, 0, sizeof(*v));
}

/* The time factor of an open deal: overdue deals x overdue_factor; a stay in the stage beyond
 * 1.5 x the stage's median loses 5 % for each whole week beyond, down to 0.5. */
static double time_factor(const fc *f, const fc_view *v, const fc_open *d)
{
    double tf = 1.0;
    if (d->close_date != REVOPS_NO_DAY && d->close_date < v->day)
        tf *= f->fo->overdue_factor;
    if (d->stage >= 0 && !isnan(v->median[d->stage])) {
        double beyond = (double)(v->day - d->entered) - 1.5 * v->median[d->stage];
        if (beyond > 0) {
            double aging = 1.0 - AGING_WEEKLY * floor(beyond / 7.0);
            tf *= aging < AGING_FLOOR ? AGING_FLOOR : aging;
        }
    }
    return tf;
}

static int view_build(fc *f, fc_view *v, revops_day day, const revops_period *per)
{
    revops_actx *c = f->c;
    const revops_dataset *ds = f->ds;
    const revops_opportunity_table *o = &ds->opportunity;
    memset(v, 0, sizeof(*v));
    v->day = day;
    v->per = *per;
    v->win_rate_value = NAN;
    v->slippage = 0;
    int rc = 0;
    int64_t visited[REVOPS_MAX_STAGES] = {0}, visited_won[REVOPS_MAX_STAGES] = {0};
    size_t nr = f->nrep + 1, nt = f->nteam + 1;
    int64_t *counts = calloc(2 * (nr + nt), sizeof(*counts)); /* won, closed per rep and team */
    if (!counts)
        return revops_error__oom();
    int64_t *rep_won = counts, *rep_closed = counts + nr;
    int64_t *team_won = counts + 2 * nr, *team_closed = counts + 2 * nr + nt;
    int64_t all_won = 0, all_closed = 0, won_amount = 0, lost_amount = 0;
    if (f->origin != REVOPS_NO_DAY && day >= f->origin) {
        v->ndaily = (size_t)(day - f->origin) + 1;
        v->daily = calloc(v->ndaily, sizeof(*v->daily));
        if (!v->daily) {
            rc = revops_error__oom();
            goto done;
        }
    }
    revops_day window_start = day - c->opts.window_days + 1;
    revops_spell spells[MAX_SPELLS];
    revops_deal d;
    for (size_t i = 0; i < o->n && !rc; i++) {
        revops_actx__deal(c, i, day, &d);
        if (!d.exists)
            continue;
        int64_t value = revops_actx__money(c, d.amount, o->currency[i], d.amount_day);
        if (d.won || d.lost) {
            if (d.won && d.closed <= day && d.closed >= f->origin && v->daily)
                v->daily[d.closed - f->origin] += value;
            if (d.won && d.closed >= per->start && d.closed < per->end)
                v->booked += value;
            if (d.closed >= window_start && d.closed <= day) {
                int32_t r = f->deal_rep[i];
                int32_t t = r < (int32_t)f->nrep ? f->rep_team[r] : (int32_t)f->nteam;
                rep_closed[r]++;
                team_closed[t]++;
                all_closed++;
                if (d.won) {
                    rep_won[r]++;
                    team_won[t]++;
                    all_won++;
                    won_amount += value;
                } else {
                    lost_amount += value;
                }
            }
        } else if (d.open) {
            if (stage_open(c, d.stage))
                v->open_stage[d.stage] += (double)value;
            if (d.close_date >= per->start && d.close_date < per->end) {
                if ((rc = revops_array__grow((void **)&v->open, &v->capopen, v->nopen + 1,
                                             sizeof(*v->open))))
                    break;
                v->open[v->nopen++] =
                    (fc_open){(uint32_t)i,     d.stage, d.pushes, value, d.close_date,
                              d.stage_entered, 0,       0,        0,     0};
            }
        }
        /* Historical probabilities: the stages each deal closed by the day went through. */
        if (!c->opts.historical_probabilities || !(d.won || d.lost))
            continue;
        size_t ns = revops_actx__spells(c, i, day, spells, MAX_SPELLS);
        if (ns > MAX_SPELLS)
            ns = MAX_SPELLS;
        uint8_t seen[REVOPS_MAX_STAGES] = {0};
        for (size_t k = 0; k < ns; k++)
            if (spells[k].stage >= 0)
                seen[spells[k].stage] = 1;
        if (ns == 0 && d.stage >= 0)
            seen[d.stage] = 1;
        for (int s = 0; s < c->nopen; s++) {
            visited[s] += seen[s];
            visited_won[s] += seen[s] && d.won;
        }
    }
    if (rc)
        goto done;
    for (int s = 0; s < REVOPS_MAX_STAGES; s++) {
        v->median[s] = s < c->nopen ? median_stay(f, s, day) : NAN;
        v->prob[s] = s < (int)c->stages.n ? c->stages.items[s].probability : 0.0;
        if (c->opts.historical_probabilities && s < c->nopen && visited[s] > 0)
            v->prob[s] = (double)visited_won[s] / (double)visited[s];
    }
    if (won_amount + lost_amount > 0)
        v->win_rate_value = (double)won_amount / (double)(won_amount + lost_amount);
    /* Each open deal's chance: p(stage) x time factor x rep factor, at most 1. */
    double k = (double)f->fo->rep_shrinkage;
    for (size_t j = 0; j < v->nopen; j++) {
        fc_open *x = &v->open[j];
        x->p = x->stage >= 0 ? v->prob[x->stage] : 0.0;
        x->time_factor = time_factor(f, v, x);
        int32_t r = f->deal_rep[x->opp];
        int32_t t = r < (int32_t)f->nrep ? f->rep_team[r] : (int32_t)f->nteam;
        /* Reps without a team are measured against the whole company. */
        int64_t tw = t < (int32_t)f->nteam ? team_won[t] : all_won;
        int64_t tc = t < (int32_t)f->nteam ? team_closed[t] : all_closed;
        x->rep_factor = 1.0;
        if (tc > 0 && tw > 0) {
            double team_rate = (double)tw / (double)tc;
            x->rep_factor =
                ((double)rep_won[r] + k * team_rate) / ((double)rep_closed[r] + k) / team_rate;
        }
        double q = x->p * x->time_factor * x->rep_factor;
        x->q = q > 1.0 ? 1.0 : q;
    }
    /* Slippage pooled over the last finished periods before the day. */
    size_t used = 0;
    for (size_t b = f->nbp; b-- > 0 && used < SLIPPAGE_PERIODS;) {
        if (!f->finished[b] || f->bp[b].end - 1 > day)
            continue;
        v->due += f->due[b];
        v->slipped += f->slipped[b];
        used++;
    }
    if (v->due > 0)
        v->slippage = (double)v->slipped / (double)v->due;
done:
    free(counts);
    return rc;
}

/* ---- the methods ---- */

static void method_pipeline(const fc_view *v, fc_method *m)
{
    double sum = (double)v->booked;
    for (size_t j = 0; j < v->nopen; j++)
        sum += (double)v->open[j].value * v->open[j].q;
    method_set(m, sum);
}

/* Same period last year x (1 + growth of the trailing 365 days over the 365 before). */
static void method_trend(const fc *f, const fc_view *v, fc_method *m)
{
    revops_period ly;
    revops_period_shift(&ly, &v->per, -periods_per_year(&v->per));
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(&ly, label);
    if (ly.end - 1 > v->day) {
        method_na(m, "the same period last year (%s) has not ended", label);
        return;
    }
    if (!covered(f, &ly)) {
        method_na(m, "the data begin after the same period last year (%s) started", label);
        return;
    }
    if (v->day - 729 < f->origin) {
        method_na(m, "the trailing growth needs two years of history");
        return;
    }
    int64_t last = bookings(v, f->origin, v->day - 364, v->day + 1);
    int64_t before = bookings(v, f->origin, v->day - 729, v->day - 364);
    if (before <= 0) {
        method_na(m, "no bookings in the year before the trailing year");
        return;
    }
    int64_t base = bookings(v, f->origin, ly.start, ly.end);
    method_set(m, (double)base * (double)last / (double)before);
}

/* The whole open pipeline weighted by the view's stage probabilities. */
static double weighted(const fc_view *v, const double *by_stage)
{
    double sum = 0;
    for (int s = 0; s < REVOPS_MAX_STAGES; s++)
        sum += by_stage[s] * v->prob[s];
    return sum;
}

static int method_regression(const fc *f, const fc_view *v, fc_method *m, double *a_out,
                             double *b_out, size_t *n_out)
{
    double *x = malloc((f->nbp ? f->nbp : 1) * sizeof(*x));
    double *y = malloc((f->nbp ? f->nbp : 1) * sizeof(*y));
    if (!x || !y) {
        free(x);
        free(y);
        return revops_error__oom();
    }
    size_t n = 0;
    for (size_t k = 0; k < f->nbp; k++) {
        if (!f->finished[k] || f->bp[k].end - 1 > v->day)
            continue;
        x[n] = weighted(v, f->bound_stage[k]);
        y[n] = (double)bookings(v, f->origin, f->bp[k].start, f->bp[k].end);
        n++;
    }
    *n_out = n;
    double a = 0, b = 0;
    long self = bound_index(f, &v->per);
    if (n < MIN_REGRESSION) {
        method_na(m, "needs %d finished periods with a start pipeline, has %zu", MIN_REGRESSION, n);
    } else if (revops_fc__ols(x, y, n, &a, &b)) {
        method_na(m, "the start pipelines of the past periods do not vary");
    } else if (v->per.start - 1 <= v->day && self < 0) {
        method_na(m, "the data begin after the period started");
    } else {
        /* The pipeline at the start of P when P has begun, else the pipeline on the day. */
        double xp = self >= 0 && v->per.start - 1 <= v->day ? weighted(v, f->bound_stage[self])
                                                            : weighted(v, v->open_stage);
        double yp = a + b * xp;
        method_set(m, yp > 0 ? yp : 0);
        *a_out = a;
        *b_out = b;
    }
    free(x);
    free(y);
    return 0;
}

/* Monthly bookings from the first month after the origin through the last month finished on
 * the day; Holt-Winters (additive, m = 12) from 24 months, Holt's linear trend from 6. */
static int method_time_series(const fc *f, const fc_view *v, fc_method *m, revops_hw *hw_out,
                              size_t *months_out)
{
    *months_out = 0;
    if (f->origin == REVOPS_NO_DAY) {
        method_na(m, "no deals");
        return 0;
    }
    revops_month first = revops_day_month(f->origin) + 1;
    revops_month last = revops_day_month(v->day);
    if (revops_month_last_day(last) > v->day)
        last--;
    long n = (long)last - (long)first + 1;
    if (n < MIN_SERIES) {
        method_na(m, "needs %d finished months of bookings, has %ld", MIN_SERIES, n > 0 ? n : 0);
        return 0;
    }
    double *x = malloc((size_t)n * sizeof(*x));
    if (!x)
        return revops_error__oom();
    /* Scaled to about 1 so that the fit's squared errors stay well inside a double. */
    double scale = 0;
    for (long i = 0; i < n; i++) {
        revops_month mo = first + (revops_month)i;
        x[i] = (double)bookings(v, f->origin, revops_month_first_day(mo),
                                revops_month_last_day(mo) + 1);
        scale += fabs(x[i]);
    }
    scale = scale > 0 ? scale / (double)n : 1.0;
    for (long i = 0; i < n; i++)
        x[i] /= scale;
    revops_hw hw;
    int rc = revops_fc__hw_fit(&hw, x, (size_t)n, n >= SEASONAL_SERIES ? 12 : 0);
    free(x);
    if (rc < 0 && rc != -1)
        return rc;
    if (rc == -1) {
        method_na(m, "the series is too short to fit");
        return 0;
    }
    double sum = 0;
    revops_month pm = revops_day_month(v->per.start), pend = revops_day_month(v->per.end - 1);
    for (revops_month mo = pm; mo <= pend; mo++) {
        if (mo <= last) {
            sum += (double)bookings(v, f->origin, revops_month_first_day(mo),
                                    revops_month_last_day(mo) + 1);
        } else {
            double y = revops_fc__hw_forecast(&hw, (int)(mo - last)) * scale;
            sum += y > 0 ? y : 0;
        }
    }
    method_set(m, sum);
    *hw_out = hw;
    *months_out = (size_t)n;
    return 0;
}

static void naive_baselines(const fc *f, fc_view *v)
{
    revops_period lp, ly;
    revops_period_shift(&lp, &v->per, -1);
    revops_period_shift(&ly, &v->per, -periods_per_year(&v->per));
    const revops_period *ps[2] = {&lp, &ly};
    fc_method *ms[2] = {&v->m[M_LAST], &v->m[M_YEAR]};
    for (int i = 0; i < 2; i++) {
        char label[REVOPS_PERIOD_TEXT_MAX];
        revops_period_format(ps[i], label);
        if (ps[i]->end - 1 > v->day)
            method_na(ms[i], "%s has not ended", label);
        else if (!covered(f, ps[i]))
            method_na(ms[i], "the data begin after %s started", label);
        else
            method_set(ms[i], (double)bookings(v, f->origin, ps[i]->start, ps[i]->end));
    }
}

static void ensemble(fc_view *v, const double *weights)
{
    double total = 0, sum = 0;
    for (int k = 0; k < 4; k++) {
        v->weight[k] = 0;
        if (v->m[k].available && weights[k] > 0) {
            total += weights[k];
            sum += weights[k] * v->m[k].value;
        }
    }
    if (total <= 0) {
        method_na(&v->m[M_ENS], "no method could run");
        return;
    }
    for (int k = 0; k < 4; k++)
        v->weight[k] = v->m[k].available && weights[k] > 0 ? weights[k] / total : 0;
    method_set(&v->m[M_ENS], sum / total);
}

typedef struct fc_fit {
    double a, b;
    size_t periods;
    revops_hw hw;
    size_t months;
} fc_fit;

static int run_methods(fc *f, fc_view *v, const double *weights, fc_fit *fit)
{
    fc_fit local;
    if (!fit)
        fit = &local;
    memset(fit, 0, sizeof(*fit));
    method_pipeline(v, &v->m[M_PW]);
    method_trend(f, v, &v->m[M_TREND]);
    int rc = method_regression(f, v, &v->m[M_REG], &fit->a, &fit->b, &fit->periods);
    if (!rc)
        rc = method_time_series(f, v, &v->m[M_TS], &fit->hw, &fit->months);
    if (rc)
        return rc;
    ensemble(v, weights);
    naive_baselines(f, v);
    return 0;
}

/* ---- the backtest ---- */

typedef struct bt_row {
    revops_period per;
    revops_day as_of;
    int week;
    int64_t actual;
    fc_method m[NMETHODS];
} bt_row;

typedef struct bt_summary {
    size_t periods;
    double ape, accuracy, bias;
} bt_summary;

static int backtest(fc *f, const fc_view *now, bt_row **rows_out, size_t *nrows_out,
                    bt_summary *sum)
{
    revops_actx *c = f->c;
    unsigned k = f->fo->backtest;
    bt_row *rows = NULL;
    size_t nrows = 0, cap = 0;
    int rc = 0;
    memset(sum, 0, NMETHODS * sizeof(*sum));
    /* The last K periods of P's kind that ended by the as-of day, oldest first. */
    revops_period last;
    revops_period_containing(&last, c->period.kind, c->as_of, c->opts.fiscal_start_month);
    if (last.end - 1 > c->as_of)
        revops_period_shift(&last, &last, -1);
    for (unsigned i = k; i-- > 0 && !rc;) {
        revops_period q;
        revops_period_shift(&q, &last, -(int)i);
        int64_t actual = bookings(now, f->origin, q.start, q.end);
        for (int w = 0;; w++) {
            revops_day day = q.start - 1 + 7 * w;
            if (w > 0 && (!f->fo->backtest_weekly || day >= q.end - 1))
                break;
            fc_view v;
            if ((rc = view_build(f, &v, day, &q)) ||
                (rc = run_methods(f, &v, f->fo->method_weights, NULL)) ||
                (rc = revops_array__grow((void **)&rows, &cap, nrows + 1, sizeof(*rows)))) {
                view_free(&v);
                break;
            }
            bt_row *r = &rows[nrows++];
            r->per = q;
            r->as_of = day;
            r->week = w;
            r->actual = actual;
            memcpy(r->m, v.m, sizeof(r->m));
            view_free(&v);
            if (w == 0 && actual > 0)
                for (int m = 0; m < NMETHODS; m++) {
                    if (!r->m[m].available)
                        continue;
                    double e = (r->m[m].value - (double)actual) / (double)actual;
                    sum[m].periods++;
                    sum[m].ape += fabs(e);
                    sum[m].accuracy += 1.0 - fabs(e);
                    sum[m].bias += e;
                }
        }
    }
    if (rc) {
        free(rows);
        return rc;
    }
    *rows_out = rows;
    *nrows_out = nrows;
    return 0;
}

/* ---- writing ---- */

static const char *rep_name(const revops_actx *c, revops_str rep)
{
    int64_t r = revops_idmap__get(&c->rep_by_id, rep);
    if (r >= 0 && c->ds->rep.name[r])
        return revops_dataset__str(c->ds, c->ds->rep.name[r]);
    return rep ? revops_dataset__str(c->ds, rep) : "(no owner)";
}

static int64_t money(double v)
{
    return (int64_t)llround(v);
}

/* The forecast category of an open deal on the day: the recorded one when it names an open
 * category; otherwise (none recorded, or "closed" recorded for a deal that was still open
 * then) from its stage's configured probability. */
static int category_of(const fc *f, const fc_open *d)
{
    revops_str rec = f->ds->opportunity.forecast_category[d->opp];
    if (rec) {
        const char *name = revops_dataset__str(f->ds, rec);
        if (strcmp(name, "pipeline") == 0)
            return C_PIPELINE;
        if (strcmp(name, "best_case") == 0)
            return C_BEST;
        if (strcmp(name, "commit") == 0)
            return C_COMMIT;
        if (strcmp(name, "omitted") == 0)
            return C_OMITTED;
    }
    double p = d->stage >= 0 ? f->c->stages.items[d->stage].probability : 0.0;
    return p >= 0.75 ? C_COMMIT : p >= 0.5 ? C_BEST : C_PIPELINE;
}

/* The expected close day of an open deal: what remains of the median stay in its stage, then
 * the median stays of the later open stages (stages without finished stays count 0 days). */
static revops_day expected_close(const revops_actx *c, const fc_view *v, const fc_open *d)
{
    if (d->stage < 0)
        return REVOPS_NO_DAY;
    double own = isnan(v->median[d->stage]) ? 0 : v->median[d->stage];
    double rest = own - (double)(v->day - d->entered);
    double days = rest > 0 ? rest : 0;
    for (int s = d->stage + 1; s < c->nopen; s++)
        days += isnan(v->median[s]) ? 0 : v->median[s];
    return v->day + (revops_day)llround(days);
}

typedef struct ranked {
    size_t j;
    double spread;
} ranked;

static int by_spread(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->spread != y->spread)
        return x->spread > y->spread ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

static int write_deals(fc *f, const fc_view *v, revops_rt_node *n)
{
    revops_actx *c = f->c;
    const revops_opportunity_table *o = &f->ds->opportunity;
    ranked *r = malloc((v->nopen ? v->nopen : 1) * sizeof(*r));
    if (!r)
        return revops_error__oom();
    for (size_t j = 0; j < v->nopen; j++) {
        double q = v->open[j].q * (1.0 - v->slippage);
        r[j] = (ranked){j, (double)v->open[j].value * sqrt(q * (1.0 - q))};
    }
    if (v->nopen > 1)
        qsort(r, v->nopen, sizeof(*r), by_spread);
    static const revops_rt_column cols[] = {
        {"id", "deal", REVOPS_RT_TEXT, 0, 0},
        {"name", "name", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"owner_id", "owner id", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"owner", "owner", REVOPS_RT_TEXT, 0, 0},
        {"stage", "stage", REVOPS_RT_TEXT, 0, 0},
        {"amount", "amount", REVOPS_RT_MONEY, 0, 0},
        {"probability", "chance", REVOPS_RT_RATIO, 0, 0},
        {"expected", "expected", REVOPS_RT_MONEY, 0, 0},
        {"uncertainty", "std dev", REVOPS_RT_MONEY, 0, 0},
        {"close_date", "close date", REVOPS_RT_DAY, 0, 0},
        {"expected_close_date", "expected close", REVOPS_RT_DAY, 0, 0},
        {"days_in_stage", "days in stage", REVOPS_RT_COUNT, 0, 0},
    };
    size_t limit =
        f->fo->deals_limit && f->fo->deals_limit < v->nopen ? f->fo->deals_limit : v->nopen;
    char title[96];
    snprintf(title, sizeof(title), "Deals carrying most of the uncertainty (%zu of %zu)", limit,
             v->nopen);
    revops_rt_table *t = revops_rt__table(n, "deals", title, cols, sizeof(cols) / sizeof(cols[0]));
    for (size_t k = 0; k < limit; k++) {
        const fc_open *d = &v->open[r[k].j];
        double q = d->q * (1.0 - v->slippage);
        revops_rt__row(t);
        revops_rt__cell_text(t, revops_dataset__str(f->ds, o->id[d->opp]));
        revops_rt__cell_text(t, o->name[d->opp] ? revops_dataset__str(f->ds, o->name[d->opp]) : "");
        revops_rt__cell_text(t, revops_dataset__str(f->ds, o->owner_id[d->opp]));
        revops_rt__cell_text(t, rep_name(c, o->owner_id[d->opp]));
        revops_rt__cell_text(t, d->stage >= 0 ? c->stages.items[d->stage].name : "(unknown)");
        revops_rt__cell_money(t, d->value);
        revops_rt__cell_ratio(t, q);
        revops_rt__cell_money(t, money((double)d->value * q));
        revops_rt__cell_money(t, money(r[k].spread));
        revops_rt__cell_day(t, d->close_date);
        revops_rt__cell_day(t, expected_close(c, v, d));
        revops_rt__cell_count(t, v->day - d->entered);
    }
    free(r);
    return 0;
}

static void write_categories(fc *f, const fc_view *v, revops_rt_node *n)
{
    int64_t amount[NCATEGORIES] = {0}, deals[NCATEGORIES] = {0};
    double weight[NCATEGORIES] = {0};
    for (size_t j = 0; j < v->nopen; j++) {
        int k = category_of(f, &v->open[j]);
        amount[k] += v->open[j].value;
        deals[k]++;
        weight[k] += (double)v->open[j].value * v->open[j].q;
    }
    amount[C_CLOSED] = v->booked;
    weight[C_CLOSED] = (double)v->booked;
    revops_rt_node *s = revops_rt__section(n, "categories", "Forecast categories");
    static const char *const labels[NCATEGORIES] = {"Pipeline", "Best case", "Commit",
                                                    "Closed (won)", "Omitted"};
    for (int k = 0; k < NCATEGORIES; k++)
        revops_rt__money(s, category_key[k], labels[k], amount[k]);
    revops_rt__money(s, "commit_forecast", "Commit forecast (commit + closed)",
                     amount[C_COMMIT] + amount[C_CLOSED]);
    revops_rt__money(s, "best_case_forecast", "Best-case forecast (best case + commit + closed)",
                     amount[C_BEST] + amount[C_COMMIT] + amount[C_CLOSED]);
    static const revops_rt_column cols[] = {
        {"category", "category", REVOPS_RT_TEXT, 0, 0},
        {"deals", "open deals", REVOPS_RT_COUNT, 0, 0},
        {"amount", "amount", REVOPS_RT_MONEY, 0, 0},
        {"weighted", "weighted", REVOPS_RT_MONEY, 0, 0},
    };
    revops_rt_table *t = revops_rt__table(s, "by_category", "By category", cols, 4);
    for (int k = 0; k < NCATEGORIES; k++) {
        revops_rt__row(t);
        revops_rt__cell_text(t, category_key[k]);
        if (k == C_CLOSED)
            revops_rt__cell_null(t);
        else
            revops_rt__cell_count(t, deals[k]);
        revops_rt__cell_money(t, amount[k]);
        revops_rt__cell_money(t, money(weight[k]));
    }
}

static void write_risks(fc *f, const fc_view *v, revops_rt_node *n)
{
    revops_actx *c = f->c;
    const revops_opportunity_table *o = &f->ds->opportunity;
    int64_t cnt[4] = {0}, amt[4] = {0};
    for (size_t j = 0; j < v->nopen; j++) {
        const fc_open *d = &v->open[j];
        revops_time last = revops_actx__last_activity(c, d->opp, v->day);
        double quiet =
            (double)(v->day -
                     revops_time_day(last != REVOPS_NO_TIME ? last : o->created_at[d->opp]));
        double age = (double)(v->day - d->entered);
        int slow = d->stage >= 0 && !isnan(v->median[d->stage]) &&
                   age > c->opts.stalled_factor * v->median[d->stage];
        revops_day ec = expected_close(c, v, d);
        int flags[4] = {d->close_date < v->day, slow || quiet > c->opts.stalled_days,
                        d->pushes >= 2, ec != REVOPS_NO_DAY && ec >= v->per.end};
        for (int k = 0; k < 4; k++)
            if (flags[k]) {
                cnt[k]++;
                amt[k] += d->value;
            }
    }
    revops_rt_node *s = revops_rt__section(n, "risks", "Risk factors (open deals of the period)");
    static const char *const keys[4] = {"overdue", "stalled", "pushed", "expected_late"};
    static const char *const labels[4] = {"Overdue", "Stalled", "Close date pushed 2+ times",
                                          "Expected to close after the period"};
    for (int k = 0; k < 4; k++) {
        char key[48], label[96];
        snprintf(key, sizeof(key), "%s_deals", keys[k]);
        snprintf(label, sizeof(label), "%s: deals", labels[k]);
        revops_rt__count(s, key, label, cnt[k]);
        snprintf(key, sizeof(key), "%s_amount", keys[k]);
        snprintf(label, sizeof(label), "%s: amount", labels[k]);
        revops_rt__money(s, key, label, amt[k]);
    }
}

static void write_methods(const fc_view *v, revops_rt_node *n, const fc_fit *fit,
                          const char *weights_source)
{
    revops_rt_node *s = revops_rt__section(n, "methods", "Methods");
    for (int m = 0; m <= M_ENS; m++) {
        revops_rt_node *x = revops_rt__section(s, method_key[m], NULL);
        revops_rt__bool(x, "available", NULL, v->m[m].available);
        if (v->m[m].available) {
            revops_rt__money(x, "value", method_label[m], money(v->m[m].value));
            if (m < M_ENS)
                revops_rt__ratio(x, "weight", NULL, v->weight[m]);
            else
                revops_rt__text(x, "weights", NULL, weights_source);
        } else {
            char label[64];
            snprintf(label, sizeof(label), "%s (n/a)", method_label[m]);
            revops_rt__text(x, "reason", label, v->m[m].why);
        }
        if (m == M_REG && v->m[m].available) {
            revops_rt__count(x, "periods", NULL, (int64_t)fit->periods);
            revops_rt__number(x, "intercept", NULL, fit->a, 2);
            revops_rt__number(x, "slope", NULL, fit->b, 6);
        }
        if (m == M_TS && v->m[m].available) {
            revops_rt__text(x, "model", NULL, fit->hw.m ? "holt_winters_additive" : "holt_linear");
            revops_rt__count(x, "months", NULL, (int64_t)fit->months);
            revops_rt__number(x, "alpha", NULL, fit->hw.alpha, 4);
            revops_rt__number(x, "beta", NULL, fit->hw.beta, 4);
            if (fit->hw.m)
                revops_rt__number(x, "gamma", NULL, fit->hw.gamma, 4);
        }
    }
}

static void write_backtest(const bt_row *rows, size_t nrows, const bt_summary *sum,
                           revops_rt_node *n, int weekly)
{
    static const revops_rt_column cols[] = {
        {"period", "period", REVOPS_RT_TEXT, 0, 0},
        {"as_of", "as of", REVOPS_RT_DAY, 0, 0},
        {"method", "method", REVOPS_RT_TEXT, 0, 0},
        {"actual", "actual", REVOPS_RT_MONEY, 0, 0},
        {"forecast", "forecast", REVOPS_RT_MONEY, 0, 0},
        {"accuracy", "accuracy", REVOPS_RT_RATIO, 0, 0},
        {"bias", "bias", REVOPS_RT_RATIO, 0, 0},
    };
    static const revops_rt_column wcols[] = {
        {"period", "period", REVOPS_RT_TEXT, 0, 0},
        {"week", "week", REVOPS_RT_COUNT, 0, 0},
        {"as_of", "as of", REVOPS_RT_DAY, 0, 0},
        {"method", "method", REVOPS_RT_TEXT, 0, 0},
        {"actual", "actual", REVOPS_RT_MONEY, 0, 0},
        {"forecast", "forecast", REVOPS_RT_MONEY, 0, 0},
        {"accuracy", "accuracy", REVOPS_RT_RATIO, 0, 0},
        {"bias", "bias", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *t = revops_rt__table(n, "backtest", "Backtest (as of each period's start)",
                                          cols, sizeof(cols) / sizeof(cols[0]));
    revops_rt_table *tw = NULL;
    if (weekly)
        tw = revops_rt__table(n, "backtest_weekly", "Backtest as of each week", wcols,
                              sizeof(wcols) / sizeof(wcols[0]));
    for (size_t i = 0; i < nrows; i++) {
        const bt_row *r = &rows[i];
        char label[REVOPS_PERIOD_TEXT_MAX];
        revops_period_format(&r->per, label);
        for (int m = 0; m < NMETHODS; m++) {
            revops_rt_table *into = r->week == 0 ? t : tw;
            if (!into)
                continue;
            revops_rt__row(into);
            revops_rt__cell_text(into, label);
            if (into == tw)
                revops_rt__cell_count(into, r->week);
            revops_rt__cell_day(into, r->as_of);
            revops_rt__cell_text(into, method_key[m]);
            revops_rt__cell_money(into, r->actual);
            if (!r->m[m].available) {
                revops_rt__cell_null(into);
                revops_rt__cell_null(into);
                revops_rt__cell_null(into);
                continue;
            }
            revops_rt__cell_money(into, money(r->m[m].value));
            if (r->actual > 0) {
                double e = (r->m[m].value - (double)r->actual) / (double)r->actual;
                revops_rt__cell_ratio(into, 1.0 - fabs(e));
                revops_rt__cell_ratio(into, e);
            } else {
                revops_rt__cell_null(into);
                revops_rt__cell_null(into);
            }
        }
    }
    if (tw)
        revops_rt__text_limit(tw, 3 * NMETHODS);
    static const revops_rt_column scols[] = {
        {"method", "method", REVOPS_RT_TEXT, 0, 0},
        {"periods", "periods", REVOPS_RT_COUNT, 0, 0},
        {"mape", "MAPE", REVOPS_RT_RATIO, 0, 0},
        {"mean_accuracy", "mean accuracy", REVOPS_RT_RATIO, 0, 0},
        {"mean_bias", "mean bias", REVOPS_RT_RATIO, 0, 0},
    };
    revops_rt_table *ts = revops_rt__table(n, "accuracy_summary", "Backtest accuracy by method",
                                           scols, sizeof(scols) / sizeof(scols[0]));
    for (int m = 0; m < NMETHODS; m++) {
        revops_rt__row(ts);
        revops_rt__cell_text(ts, method_key[m]);
        revops_rt__cell_count(ts, (int64_t)sum[m].periods);
        if (sum[m].periods == 0) {
            revops_rt__cell_null(ts);
            revops_rt__cell_null(ts);
            revops_rt__cell_null(ts);
            continue;
        }
        double np = (double)sum[m].periods;
        revops_rt__cell_ratio(ts, sum[m].ape / np);
        revops_rt__cell_ratio(ts, sum[m].accuracy / np);
        revops_rt__cell_ratio(ts, sum[m].bias / np);
    }
}

/* The value x of the int64 sample at quantile q (type 7). */
static double quantile_of(double *v, size_t n, double q)
{
    return revops_quantile__select(v, n, q);
}

int revops_analytics__forecast_run(revops_actx *c, revops_rt_node *root, revops_kpi_values *k,
                                   const revops_forecast_options *fo)
{
    fc f;
    fc_view v;
    memset(&v, 0, sizeof(v));
    bt_row *rows = NULL;
    size_t nrows = 0;
    bt_summary sum[NMETHODS];
    memset(sum, 0, sizeof(sum));
    int64_t *totals = NULL;
    double *sorted = NULL;
    double *prob = NULL;
    int64_t *amount = NULL;
    int rc = fc_init(&f, c, fo);
    if (rc)
        goto done;
    revops_rt_node *n = revops_rt__section(root, "forecast", "Forecast");
    char label[REVOPS_PERIOD_TEXT_MAX];
    revops_period_format(&c->period, label);
    revops_rt__text(n, "period", NULL, label);
    revops_rt__day(n, "as_of", NULL, c->as_of);
    revops_rt__text(n, "currency", NULL, c->currency);

    /* The view of the as-of day counts its conversions in the currency note; the history
     * passes convert the same amounts again and are left out of it. */
    uint64_t before_first = c->fx_before_first, missing = c->fx_missing;
    if ((rc = stays(&f)) || (rc = boundaries(&f)))
        goto done;
    c->fx_before_first = before_first;
    c->fx_missing = missing;
    if ((rc = view_build(&f, &v, c->as_of, &c->period)))
        goto done;
    before_first = c->fx_before_first;
    missing = c->fx_missing;
    if (fo->backtest > 0 && (rc = backtest(&f, &v, &rows, &nrows, sum)))
        goto done;
    c->fx_before_first = before_first;
    c->fx_missing = missing;
    double weights[4];
    memcpy(weights, fo->method_weights, sizeof(weights));
    const char *weights_source = "configured";
    if (fo->weights_from_backtest && fo->backtest > 0) {
        int any = 0;
        for (int m = 0; m < 4; m++) {
            weights[m] = 0;
            if (sum[m].periods > 0) {
                double mape = sum[m].ape / (double)sum[m].periods;
                weights[m] = 1.0 / (mape > 1e-9 ? mape : 1e-9);
                any = 1;
            }
        }
        if (any)
            weights_source = "backtest";
        else
            memcpy(weights, fo->method_weights, sizeof(weights));
    }
    fc_fit fit;
    if ((rc = run_methods(&f, &v, weights, &fit)))
        goto done;

    /* The simulation: each open deal of the period books with q x (1 - slippage). */
    uint64_t runs = fo->simulations;
    totals = malloc((runs ? runs : 1) * sizeof(*totals));
    sorted = malloc((runs ? runs : 1) * sizeof(*sorted));
    prob = malloc((v.nopen ? v.nopen : 1) * sizeof(*prob));
    amount = malloc((v.nopen ? v.nopen : 1) * sizeof(*amount));
    if (!totals || !sorted || !prob || !amount) {
        rc = revops_error__oom();
        goto done;
    }
    double exact = (double)v.booked;
    for (size_t j = 0; j < v.nopen; j++) {
        prob[j] = v.open[j].q * (1.0 - v.slippage);
        amount[j] = v.open[j].value;
        exact += (double)amount[j] * prob[j];
    }
    revops_fc_sim sim = {amount, prob, v.nopen, v.booked, runs, fo->seed, fo->threads};
    if ((rc = revops_fc__simulate(&sim, totals)))
        goto done;
    /* What the ensemble expects beyond the weighted pipeline (deals not yet created, or not
     * yet due in the period) is added to every run as a constant, so that the headline is
     * centred on the ensemble while the spread is the open deals'; no run falls below what
     * is booked already. */
    double beyond = v.m[M_ENS].available ? v.m[M_ENS].value - v.m[M_PW].value : 0.0;
    double sim_mean = 0, mean = 0;
    for (uint64_t r = 0; r < runs; r++) {
        sim_mean += (double)totals[r];
        double t = (double)totals[r] + beyond;
        sorted[r] = t > (double)v.booked ? t : (double)v.booked;
        mean += sorted[r];
    }
    sim_mean /= (double)runs;
    mean /= (double)runs;
    double p10 = quantile_of(sorted, runs, 0.10);
    double p50 = quantile_of(sorted, runs, 0.50);
    double p90 = quantile_of(sorted, runs, 0.90);

    /* The target: given, or the period's quota. */
    int64_t target = 0;
    const char *target_source = NULL;
    if (fo->target) {
        if ((rc = revops_money_parse(&target, fo->target, strlen(fo->target), c->exponent)))
            goto done;
        target_source = "given";
    } else {
        double q = 0;
        for (size_t i = 0; i < c->ds->quota.n; i++)
            q += revops_actx__quota_share(c, i, c->period.start, c->period.end);
        if (q > 0) {
            target = money(q);
            target_source = "quota";
        }
    }
    revops_rt__money(n, "expected", "Expected bookings", money(mean));
    revops_rt__money(n, "p10", "P10 (9 in 10 runs above)", money(p10));
    revops_rt__money(n, "p50", "P50", money(p50));
    revops_rt__money(n, "p90", "P90 (1 in 10 runs above)", money(p90));
    if (target_source) {
        uint64_t hit = 0;
        for (uint64_t r = 0; r < runs; r++)
            hit += sorted[r] >= (double)target;
        char tl[64];
        snprintf(tl, sizeof(tl), "Target (%s)", target_source);
        revops_rt__money(n, "target", tl, target);
        revops_rt__text(n, "target_source", NULL, target_source);
        revops_rt__ratio(n, "probability_of_target", "Chance of reaching the target",
                         (double)hit / (double)runs);
        int64_t gap = target - money(mean);
        revops_rt__money(n, "gap_to_target", "Gap to target (target - expected)",
                         gap > 0 ? gap : 0);
        if (gap <= 0)
            revops_rt__money(n, "pipeline_needed", "Pipeline still needed", 0);
        else if (isnan(v.win_rate_value) || v.win_rate_value <= 0)
            revops_rt__na(n, "pipeline_needed", "Pipeline still needed",
                          "no win rate: no deal closed in the window");
        else
            revops_rt__money(n, "pipeline_needed", "Pipeline still needed at the win rate",
                             money((double)gap / v.win_rate_value));
    } else {
        const char *why = "no target: give one, or load quotas for the period";
        revops_rt__na(n, "target", "Target", why);
        revops_rt__na(n, "probability_of_target", "Chance of reaching the target", why);
        revops_rt__na(n, "gap_to_target", "Gap to target", why);
        revops_rt__na(n, "pipeline_needed", "Pipeline still needed", why);
    }
    if (isnan(v.win_rate_value))
        revops_rt__na(n, "win_rate_value", "Win rate by value (window)",
                      "no deal closed in the window");
    else
        revops_rt__ratio(n, "win_rate_value", "Win rate by value (window)", v.win_rate_value);
    revops_rt__money(n, "booked", "Booked in the period so far", v.booked);
    revops_rt__count(n, "open_deals", "Open deals closing in the period", (int64_t)v.nopen);
    int64_t open_amount = 0;
    for (size_t j = 0; j < v.nopen; j++)
        open_amount += v.open[j].value;
    revops_rt__money(n, "open_amount", "Their amount", open_amount);

    revops_rt_node *sm = revops_rt__section(n, "simulation", NULL);
    revops_rt__count(sm, "runs", NULL, (int64_t)runs);
    revops_rt__count(sm, "seed", NULL, (int64_t)fo->seed);
    revops_rt__money(sm, "mean", NULL, money(sim_mean));
    revops_rt__money(sm, "analytic_mean", NULL, money(exact));
    revops_rt__money(sm, "beyond_pipeline", "Expected beyond the weighted pipeline", money(beyond));
    revops_rt__ratio(sm, "slippage_rate", "Slippage rate (last 4 finished periods)", v.slippage);
    revops_rt__count(sm, "slippage_due", NULL, v.due);
    revops_rt__count(sm, "slippage_slipped", NULL, v.slipped);

    write_methods(&v, n, &fit, weights_source);
    write_categories(&f, &v, n);
    if ((rc = write_deals(&f, &v, n)))
        goto done;
    write_risks(&f, &v, n);
    if (fo->backtest > 0) {
        write_backtest(rows, nrows, sum, n, fo->backtest_weekly);
    } else {
        revops_rt__na(n, "backtest", NULL, "no backtest asked for");
        revops_rt__na(n, "accuracy_summary", NULL, "no backtest asked for");
    }
    if (k) {
        if (fo->backtest == 0)
            revops_kpi__na(&k->forecast_accuracy, "no backtest asked for");
        else if (sum[M_ENS].periods == 0)
            revops_kpi__na(&k->forecast_accuracy, "no finished period with bookings to backtest");
        else
            k->forecast_accuracy.value = sum[M_ENS].accuracy / (double)sum[M_ENS].periods;
    }
done:
    view_free(&v);
    fc_free(&f);
    free(rows);
    free(totals);
    free(sorted);
    free(prob);
    free(amount);
    return rc;
}

/* REVOPS_EINVALID with the reason when `fo` cannot be forecast with. */
static int check_options(const revops_forecast_options *fo)
{
    if (fo->simulations < 1 || fo->simulations > 100000000)
        return revops_error__set(REVOPS_EINVALID, "simulations must be 1 to 100,000,000");
    if (fo->backtest > 400)
        return revops_error__set(REVOPS_EINVALID, "a backtest covers at most 400 periods");
    if (!(fo->overdue_factor >= 0 && fo->overdue_factor <= 1) || fo->rep_shrinkage < 0)
        return revops_error__set(REVOPS_EINVALID,
                                 "the overdue factor must be 0..1 and the shrinkage >= 0");
    double sum = 0;
    for (int m = 0; m < 4; m++) {
        /* !(w >= 0) also refuses NaN; a finite sum refuses infinities. */
        if (!(fo->method_weights[m] >= 0))
            return revops_error__set(REVOPS_EINVALID, "the %s weight must be 0 or more",
                                     method_key[m]);
        sum += fo->method_weights[m];
    }
    if (!(sum > 0) || !isfinite(sum))
        return revops_error__set(REVOPS_EINVALID,
                                 "the method weights must be finite and not all 0");
    return 0;
}

int revops_analytics__forecast(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    /* In the full analysis: the configured settings, with a backtest of the last 4 periods as
     * of their starts (the scorecard's forecast accuracy). */
    revops_forecast_options fo = REVOPS_FORECAST_OPTIONS_INIT;
    if (c->opts.forecast)
        fo = *c->opts.forecast;
    fo.backtest = 4;
    fo.backtest_weekly = 0;
    int rc = check_options(&fo);
    return rc ? rc : revops_analytics__forecast_run(c, root, k, &fo);
}

int revops_forecast(revops_analysis **out, const revops_dataset *ds,
                    const revops_analysis_options *opts, const revops_forecast_options *fo)
{
    *out = NULL;
    revops_forecast_options def = REVOPS_FORECAST_OPTIONS_INIT;
    if (!fo)
        fo = opts && opts->forecast ? opts->forecast : &def;
    int rc = check_options(fo);
    if (rc)
        return rc;
    revops_actx c;
    if ((rc = revops_actx__init_for(&c, ds, opts, REVOPS_ACTX_ACTIVITY_INDEX)))
        return rc;
    revops_analysis *a;
    if ((rc = revops_analysis__begin(&a, &c))) {
        revops_actx__free(&c);
        return rc;
    }
    revops_rt_node *root = revops_rt__root(a->rt);
    revops_kpi_values k;
    memset(&k, 0, sizeof(k));
    if ((rc = revops_analytics__forecast_run(&c, root, &k, fo)))
        goto done;
    rc = revops_analysis__finish(a, &c);
done:
    revops_actx__free(&c);
    if (rc) {
        revops_analysis_free(a);
        return rc;
    }
    *out = a;
    return 0;
}
