/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the lead and deal features share: the indexes built once for every snapshot (each
 * deal's close, each lead's activities, each rep's wins or conversions in time order), the
 * example rows, the names of features and field values, and the snapshot driver.
 *
 * Decisions a reader cannot see from the code:
 * - The owner's rate on day D is (successes + 1) / (outcomes + 2) over the owner's leads or
 *   deals that closed in the 365 days up to D: a rep with no history reads as 1/2, and one
 *   lucky win does not read as 100 %. The owner is the current owner_id (the data keep no
 *   history of owners).
 * - Sampling: when the snapshots hold more examples than the cap, each (row, day) is kept when
 *   a hash of the two falls below the share wanted, so the same data give the same sample.
 */
#include "scoring/features.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

static const char *const deal_num[DF_COUNT] = {
    "age_days",         "days_in_stage_vs_median", "close_date_pushes",
    "amount_vs_median", "activities_14d",          "activities_30d",
    "rep_win_rate",     "days_past_close_date",    "stage_probability"};
static const char *const deal_cat[DC_COUNT] = {"stage",    "type",   "product", "source",
                                               "industry", "region", "segment"};
static const char *const lead_num[LF_COUNT] = {
    "age_days",       "days_in_stage_vs_median", "activities_14d",
    "activities_30d", "rep_conversion_rate",     "responded",
    "log_employees"};
static const char *const lead_cat[LC_COUNT] = {"stage", "source", "industry", "region", "segment"};
static const char *const lead_stage_names[4] = {"", "lead", "mql", "sql"};
static const char *const segment_names[4] = {"", "smb", "mid", "enterprise"};

const char *revops_feature__num_name(revops_score_subject s, size_t j)
{
    return s == REVOPS_SCORE_DEALS ? deal_num[j] : lead_num[j];
}

const char *revops_feature__cat_name(revops_score_subject s, size_t f)
{
    return s == REVOPS_SCORE_DEALS ? deal_cat[f] : lead_cat[f];
}

const char *revops_feature__cat_value(const revops_fctx *f, size_t field, uint32_t key)
{
    if (f->subject == REVOPS_SCORE_DEALS) {
        if (field == DC_STAGE)
            return key >= 1 && key <= f->names->n ? f->names->items[key - 1].name : "";
    } else {
        if (field == LC_STAGE)
            return key < 4 ? lead_stage_names[key] : "";
        if (field == LC_SEGMENT)
            return key < 4 ? segment_names[key] : "";
    }
    return revops_dataset__str(f->c->ds, key);
}

void revops_examples__free(revops_examples *e)
{
    free(e->x);
    free(e->c);
    free(e->y);
    free(e->baseline);
    free(e->row);
    free(e->day);
    memset(e, 0, sizeof(*e));
}

/* ---- rates ---- */

typedef struct rate_event {
    int64_t rep;
    revops_day day;
    uint8_t win;
} rate_event;

static int by_rep_day(const void *a, const void *b)
{
    const rate_event *x = a, *y = b;
    if (x->rep != y->rep)
        return x->rep < y->rep ? -1 : 1;
    return x->day < y->day ? -1 : x->day > y->day;
}

/* Builds the index from events (rep row, day, win) of reps 0 .. nreps - 1; takes `ev`. */
static int rate_index_build(revops_rate_index *r, rate_event *ev, size_t n, size_t nreps)
{
    r->nreps = nreps;
    r->start = calloc(nreps + 1, sizeof(*r->start));
    r->days = malloc((n ? n : 1) * sizeof(*r->days));
    r->wins = malloc((n + 1) * sizeof(*r->wins));
    if (!r->start || !r->days || !r->wins)
        return revops_error__oom();
    if (n > 1)
        qsort(ev, n, sizeof(*ev), by_rep_day);
    for (size_t i = 0; i < n; i++)
        r->start[ev[i].rep + 1]++;
    for (size_t k = 0; k < nreps; k++)
        r->start[k + 1] += r->start[k];
    /* wins[k] counts the wins of events [start of the rep, k); the per-rep running count is
     * read as a difference, so one global running count does. */
    uint32_t run = 0;
    for (size_t i = 0; i < n; i++) {
        r->days[i] = ev[i].day;
        r->wins[i] = run;
        run += ev[i].win;
    }
    r->wins[n] = run;
    return 0;
}

static void rate_index_free(revops_rate_index *r)
{
    free(r->start);
    free(r->days);
    free(r->wins);
    memset(r, 0, sizeof(*r));
}

/* First index in days[lo, hi) with days[i] > d. */
static size_t upper_day(const revops_day *days, size_t lo, size_t hi, revops_day d)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (days[mid] <= d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double revops_rate__at(const revops_rate_index *r, int64_t rep, revops_day day)
{
    if (rep < 0 || (size_t)rep >= r->nreps)
        return NAN;
    size_t lo = r->start[rep], hi = r->start[rep + 1];
    size_t a = upper_day(r->days, lo, hi, day - 365), b = upper_day(r->days, lo, hi, day);
    double wins = (double)(r->wins[b] - r->wins[a]);
    return (wins + 1.0) / ((double)(b - a) + 2.0);
}

size_t revops_features__count_in(const revops_time *t, size_t n, revops_day day, int days)
{
    revops_time end = revops_actx__day_end(day), start = end - (revops_time)days * 86400;
    /* upper bounds of start and end */
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] <= end)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t b = lo;
    lo = 0;
    hi = b;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t[mid] <= start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return b - lo;
}

/* ---- the context ---- */

static int compare_times(const void *a, const void *b)
{
    revops_time x = *(const revops_time *)a, y = *(const revops_time *)b;
    return x < y ? -1 : x > y;
}

static int index_lead_activities(revops_fctx *f)
{
    const revops_dataset *ds = f->c->ds;
    size_t nl = ds->lead.n, na = ds->activity.n;
    f->lact_start = calloc(nl + 2, sizeof(*f->lact_start));
    int32_t *owner = malloc((na ? na : 1) * sizeof(*owner));
    int rc = 0;
    if (!f->lact_start || !owner) {
        rc = revops_error__oom();
        goto done;
    }
    size_t linked = 0;
    for (size_t r = 0; r < na; r++) {
        int64_t l = revops_idmap__get(&f->c->lead_by_id, ds->activity.lead_id[r]);
        owner[r] = (int32_t)l;
        if (l >= 0) {
            f->lact_start[l + 2]++;
            linked++;
        }
    }
    f->lact_times = malloc((linked ? linked : 1) * sizeof(*f->lact_times));
    if (!f->lact_times) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 2; i < nl + 2; i++)
        f->lact_start[i] += f->lact_start[i - 1];
    for (size_t r = 0; r < na; r++)
        if (owner[r] >= 0)
            f->lact_times[f->lact_start[owner[r] + 1]++] = ds->activity.at[r];
    for (size_t l = 0; l < nl; l++)
        if (f->lact_start[l + 1] - f->lact_start[l] > 1)
            qsort(f->lact_times + f->lact_start[l], f->lact_start[l + 1] - f->lact_start[l],
                  sizeof(*f->lact_times), compare_times);
done:
    free(owner);
    return rc;
}

/* Deals: each one's close as known on the as-of day, its lead and account rows, and the
 * owners' closes. */
static int index_deals(revops_fctx *f)
{
    revops_actx *c = f->c;
    const revops_opportunity_table *o = &c->ds->opportunity;
    size_t n = o->n;
    f->deal_closed = malloc((n ? n : 1) * sizeof(*f->deal_closed));
    f->deal_lead = malloc((n ? n : 1) * sizeof(*f->deal_lead));
    f->deal_account = malloc((n ? n : 1) * sizeof(*f->deal_account));
    rate_event *ev = malloc((n ? n : 1) * sizeof(*ev));
    if (!f->deal_closed || !f->deal_lead || !f->deal_account || !ev) {
        free(ev);
        return revops_error__oom();
    }
    size_t nev = 0;
    for (size_t i = 0; i < n; i++) {
        revops_deal d = c->now[i];
        f->deal_closed[i] = d.won || d.lost ? d.closed : REVOPS_NO_DAY;
        f->deal_lead[i] = c->deal_lead[i];
        f->deal_account[i] = (int32_t)revops_idmap__get(&c->account_by_id, o->account_id[i]);
        int64_t rep = revops_idmap__get(&c->rep_by_id, o->owner_id[i]);
        if ((d.won || d.lost) && rep >= 0 && d.closed != REVOPS_NO_DAY)
            ev[nev++] = (rate_event){rep, d.closed, (uint8_t)d.won};
    }
    int rc = rate_index_build(&f->rates, ev, nev, c->ds->rep.n);
    free(ev);
    return rc;
}

/* Leads: the owners' conversions and disqualifications, as known on the as-of day. */
static int index_leads(revops_fctx *f)
{
    revops_actx *c = f->c;
    const revops_lead_table *t = &c->ds->lead;
    revops_time end = revops_actx__day_end(c->as_of);
    rate_event *ev = malloc((t->n ? t->n : 1) * sizeof(*ev));
    if (!ev)
        return revops_error__oom();
    size_t nev = 0;
    for (size_t i = 0; i < t->n; i++) {
        int64_t rep = revops_idmap__get(&c->rep_by_id, t->owner_id[i]);
        if (rep < 0)
            continue;
        revops_time conv = t->converted_at[i], dq = t->disqualified_at[i];
        if (conv != REVOPS_NO_TIME && conv <= end)
            ev[nev++] = (rate_event){rep, revops_time_day(conv), 1};
        else if (dq != REVOPS_NO_TIME && dq <= end)
            ev[nev++] = (rate_event){rep, revops_time_day(dq), 0};
    }
    int rc = rate_index_build(&f->rates, ev, nev, c->ds->rep.n);
    free(ev);
    if (!rc)
        rc = index_lead_activities(f);
    return rc;
}

int revops_fctx__init(revops_fctx *f, revops_actx *c, revops_score_subject subject)
{
    memset(f, 0, sizeof(*f));
    unsigned needs = REVOPS_ACTX_ACTIVITY_INDEX | REVOPS_ACTX_LEAD_MAP;
    if ((c->needs & needs) != needs)
        return revops_error__set(REVOPS_EINTERNAL, "the scores' features need a context built "
                                                   "with the activity index and the lead map");
    f->c = c;
    f->subject = subject;
    f->names = &c->stages;
    f->p = subject == REVOPS_SCORE_DEALS ? DF_COUNT : LF_COUNT;
    f->q = subject == REVOPS_SCORE_DEALS ? DC_COUNT : LC_COUNT;
    int rc = subject == REVOPS_SCORE_DEALS ? index_deals(f) : index_leads(f);
    if (rc)
        revops_fctx__free(f);
    return rc;
}

void revops_fctx__free(revops_fctx *f)
{
    free(f->deal_closed);
    free(f->deal_lead);
    free(f->deal_account);
    free(f->lact_start);
    free(f->lact_times);
    rate_index_free(&f->rates);
    memset(f, 0, sizeof(*f));
}

size_t revops_features__count_open(const revops_fctx *f, revops_day day)
{
    return f->subject == REVOPS_SCORE_DEALS ? revops_features__deals_open(f, day)
                                            : revops_features__leads_open(f, day);
}

int revops_features__snapshot(revops_fctx *f, revops_examples *out, revops_day day, int horizon,
                              double sample)
{
    if (out->cap == 0) {
        out->p = f->p;
        out->q = f->q;
    }
    return f->subject == REVOPS_SCORE_DEALS ? revops_features__deals(f, out, day, horizon, sample)
                                            : revops_features__leads(f, out, day, horizon, sample);
}
