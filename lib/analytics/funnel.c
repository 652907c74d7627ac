/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The funnel section (docs/metrics.md "Funnel and response"): how far leads got on the way
 * lead -> MQL -> SQL -> opportunity -> won, as known at the end of the as-of day, in total, by
 * cohort (the month a lead was created) and by source; how fast leads were first answered and
 * how often inbound leads were answered within the response SLA; and how often sales took up
 * an MQL within the handoff SLA.
 *
 * A pass over the deals (when each was won) and the id lookups that tie leads to deals come
 * first; then one pass over the leads does the rest. Times between stages are kept in one
 * growing array per pair of stages, with the cohort and source of each value beside it, so the
 * medians of every group come from one bucketing and a selection per group: nothing is
 * allocated per lead and nothing is sorted whole, which keeps the section linear in the number
 * of leads and deals.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/groups.h"
#include "analytics/stats_math.h"
#include "core/buf.h"
#include "core/error.h"

enum { ST_LEAD, ST_MQL, ST_SQL, ST_OPP, ST_WON, NSTAGES };
#define NGAPS (NSTAGES - 1)

static const char *const stage_keys[NSTAGES] = {"lead", "mql", "sql", "opportunity", "won"};
static const char *const stage_labels[NSTAGES] = {"Leads", "Reached MQL", "Reached SQL",
                                                  "Reached opportunity", "Won"};
static const char *const gap_keys[NGAPS] = {"lead_to_mql", "mql_to_sql", "sql_to_opportunity",
                                            "opportunity_to_won"};
static const char *const gap_labels[NGAPS] = {"lead to MQL", "MQL to SQL", "SQL to opportunity",
                                              "opportunity to won"};

/* A cohort or a source: the leads that reached each stage, and how many measured times
 * between consecutive stages it holds (to bucket them) and their medians. */
typedef struct fgroup {
    uint32_t key;
    int inbound; /* sources: an inbound channel */
    int64_t reached[NSTAGES];
    size_t ngap[NGAPS];
    double median[NGAPS];
} fgroup;

#define GROUP_CACHE 64

typedef struct grouping {
    revops_groups map; /* key -> index of the group in items (the map's own order) */
    fgroup *items;
    size_t n, cap;
    /* Recently asked keys by a hash of the key: slot -> key and group index + 1 (0: empty). */
    uint32_t recent_key[GROUP_CACHE], recent_index[GROUP_CACHE];
} grouping;

/* Days between two consecutive stages, each with the cohort and source of its lead. */
typedef struct series {
    double *v;
    uint32_t *cohort, *source;
    size_t n, vcap, ccap, scap;
} series;

typedef struct funnel {
    revops_actx *c;
    const revops_dataset *ds;
    revops_time end;     /* the end of the as-of day: later events are unknown */
    revops_time *won_at; /* by deal: when it was won, as known on the day, or REVOPS_NO_TIME */
    int32_t *lead_opp;   /* by lead: its deal (see index_deals), or -1 */
    grouping cohorts, sources;
    revops_month month; /* the cohort of the last lead, whose days run first .. last */
    revops_day month_first, month_last;
    fgroup total;
    series gaps[NGAPS];
    revops_sample response; /* minutes, answered leads */
    int64_t response_before_created;
    /* Response SLA over inbound leads. */
    int64_t inbound, within, late, overdue, pending;
    /* Handoff SLA over MQLs. */
    int64_t mqls, h_within, h_late, h_overdue, h_pending, h_out_of_order;
} funnel;

/* ---- groups ---- */

/*
 * Sources whose leads the company went after itself (SDR prospecting, bought lists): their
 * leads asked for nothing, so the response SLA does not apply. Compared without case, with
 * '-' and ' ' read as '_'; "outbound" also covers its sub-channels ("outbound_email").
 */
static int outbound_source(const char *s)
{
    static const char *const names[] = {"outbound",        "cold_call",     "cold_email",
                                        "cold_outreach",   "prospecting",   "sdr",
                                        "sdr_prospecting", "purchased_list"};
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    for (size_t i = 0; i < n; i++) {
        char ch = (char)tolower((unsigned char)s[i]);
        buf[i] = ch == '-' || ch == ' ' ? '_' : ch;
    }
    buf[n] = '\0';
    if (strncmp(buf, "outbound_", 9) == 0)
        return 1;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(buf, names[i]) == 0)
            return 1;
    return 0;
}

/* The group of `key` from the map, created when new; NULL when out of memory. */
static fgroup *group_from_map(funnel *f, grouping *g, uint32_t key, int is_source, uint32_t slot,
                              uint32_t *index)
{
    revops_group *x = revops_groups__get(&g->map, key);
    if (!x)
        return NULL;
    size_t i = (size_t)(x - g->map.items);
    if (i == g->n) {
        if (revops_array__grow((void **)&g->items, &g->cap, g->n + 1, sizeof(*g->items)))
            return NULL;
        fgroup *item = &g->items[g->n++];
        memset(item, 0, sizeof(*item));
        item->key = key;
        /* A lead without a source cannot be told inbound: it stays out of the SLA. */
        item->inbound = is_source && key && !outbound_source(revops_dataset__str(f->ds, key));
    }
    *index = (uint32_t)i;
    g->recent_key[slot] = key;
    g->recent_index[slot] = (uint32_t)i + 1;
    return &g->items[i];
}

/* The group of `key`: a lead's month and source are mostly among a few, so a small cache
 * answers before the map. NULL when out of memory. */
static inline fgroup *group_of(funnel *f, grouping *g, uint32_t key, int is_source, uint32_t *index)
{
    uint32_t slot = (uint32_t)(key * 0x9E3779B9u) >> 26; /* 6 bits: GROUP_CACHE slots */
    if (g->recent_index[slot] && g->recent_key[slot] == key) {
        *index = g->recent_index[slot] - 1;
        return &g->items[*index];
    }
    return group_from_map(f, g, key, is_source, slot, index);
}

static void grouping_free(grouping *g)
{
    revops_groups__free(&g->map);
    free(g->items);
    memset(g, 0, sizeof(*g));
}

static int series_add(series *s, double v, uint32_t cohort, uint32_t source)
{
    if (s->n == s->vcap || s->n == s->ccap || s->n == s->scap) {
        if (revops_array__grow((void **)&s->v, &s->vcap, s->n + 1, sizeof(*s->v)) ||
            revops_array__grow((void **)&s->cohort, &s->ccap, s->n + 1, sizeof(*s->cohort)) ||
            revops_array__grow((void **)&s->source, &s->scap, s->n + 1, sizeof(*s->source)))
            return revops_error__oom();
    }
    s->v[s->n] = v;
    s->cohort[s->n] = cohort;
    s->source[s->n] = source;
    s->n++;
    return 0;
}

static void series_free(series *s)
{
    free(s->v);
    free(s->cohort);
    free(s->source);
    memset(s, 0, sizeof(*s));
}

/* ---- one lead as it stood on the as-of day ---- */

/*
 * When the lead reached each stage by its own evidence (REVOPS_NO_TIME: not known to have
 * reached it on the day), and the furthest stage so reached. Reaching a stage implies having
 * passed the earlier ones, so the furthest stage decides what the lead counts for; a skipped
 * stage just has no time of its own.
 */
typedef struct lead_view {
    revops_time at[NSTAGES];
    int top;
} lead_view;

static revops_time known(const funnel *f, revops_time t)
{
    return t != REVOPS_NO_TIME && t <= f->end ? t : REVOPS_NO_TIME;
}

static void view_lead(const funnel *f, size_t i, lead_view *out)
{
    const revops_lead_table *l = &f->ds->lead;
    const revops_opportunity_table *o = &f->ds->opportunity;
    out->at[ST_LEAD] = l->created_at[i];
    out->at[ST_MQL] = known(f, l->mql_at[i]);
    out->at[ST_SQL] = known(f, l->sql_at[i]);
    out->at[ST_OPP] = known(f, l->converted_at[i]);
    out->at[ST_WON] = REVOPS_NO_TIME;
    int32_t opp = f->lead_opp ? f->lead_opp[i] : -1;
    if (opp >= 0) {
        /* Without converted_at, the opportunity's creation is the conversion. */
        if (l->converted_at[i] == REVOPS_NO_TIME)
            out->at[ST_OPP] = known(f, o->created_at[opp]);
        out->at[ST_WON] = f->won_at[opp];
    }
    out->top = ST_LEAD;
    for (int s = ST_MQL; s < NSTAGES; s++)
        if (out->at[s] != REVOPS_NO_TIME)
            out->top = s;
}

/*
 * The deals the leads lead to, before the pass over the leads: when each deal was won as it
 * stood on the as-of day (in deal order, so their histories are read in order), and each
 * lead's deal, the one it names or else the first (in data order) whose lead_id names it.
 * The id lookups are random reads of large maps; in loops of their own the processor overlaps
 * them. A deal is won at its closed_at when that falls on the day its history closes it, else
 * at the start of that day.
 */
static int index_deals(funnel *f)
{
    const revops_actx *c = f->c;
    const revops_opportunity_table *o = &f->ds->opportunity;
    const revops_lead_table *l = &f->ds->lead;
    if (l->n == 0 || o->n == 0)
        return 0;
    f->won_at = malloc(o->n * sizeof(*f->won_at));
    f->lead_opp = malloc(l->n * sizeof(*f->lead_opp));
    if (!f->won_at || !f->lead_opp)
        return revops_error__oom();
    for (size_t k = 0; k < o->n; k++) {
        const revops_deal d = c->now[k];
        revops_time t = o->closed_at[k];
        f->won_at[k] = !d.won ? REVOPS_NO_TIME
                       : t != REVOPS_NO_TIME && revops_time_day(t) == d.closed
                           ? t
                           : revops_day_time(d.closed);
    }
    for (size_t i = 0; i < l->n; i++)
        f->lead_opp[i] = -1;
    for (size_t k = o->n; k-- > 0;) {
        /* Backwards, so that the first deal naming a lead is the one left. */
        int64_t i = c->deal_lead[k];
        if (i >= 0)
            f->lead_opp[i] = (int32_t)k;
    }
    for (size_t i = 0; i < l->n; i++)
        if (c->lead_opp[i] >= 0)
            f->lead_opp[i] = c->lead_opp[i];
    return 0;
}

/* ---- the pass over the leads ---- */

static void response_sla(funnel *f, size_t i, const fgroup *source, revops_time answered)
{
    const revops_lead_table *l = &f->ds->lead;
    if (!source->inbound)
        return;
    revops_time sla = (revops_time)f->c->opts.response_sla_minutes * 60;
    f->inbound++;
    if (answered != REVOPS_NO_TIME) {
        if (answered - l->created_at[i] <= sla)
            f->within++;
        else
            f->late++;
    } else if (f->end - l->created_at[i] > sla) {
        /* Unanswered on the day with the SLA already run out: a breach. */
        f->overdue++;
    } else {
        f->pending++;
    }
}

/*
 * The handoff of an MQL: sales takes it up when it makes it an SQL or disqualifies it,
 * whichever comes first after mql_at. An MQL without either by the end of the day breaches
 * the SLA once the SLA has run out, and is pending until then.
 */
static void handoff(funnel *f, size_t i, const lead_view *v)
{
    const revops_lead_table *l = &f->ds->lead;
    revops_time mql = v->at[ST_MQL];
    if (mql == REVOPS_NO_TIME)
        return;
    f->mqls++;
    if (l->sql_at[i] != REVOPS_NO_TIME && l->sql_at[i] < mql) {
        f->h_out_of_order++;
        return;
    }
    revops_time sql = known(f, l->sql_at[i]);
    revops_time dq = known(f, l->disqualified_at[i]);
    if (dq != REVOPS_NO_TIME && dq < mql)
        dq = REVOPS_NO_TIME;
    revops_time taken = sql;
    if (dq != REVOPS_NO_TIME && (taken == REVOPS_NO_TIME || dq < taken))
        taken = dq;
    revops_time sla = (revops_time)f->c->opts.handoff_sla_hours * 3600;
    if (taken != REVOPS_NO_TIME) {
        if (taken - mql <= sla)
            f->h_within++;
        else
            f->h_late++;
    } else if (f->end - mql > sla) {
        f->h_overdue++;
    } else {
        f->h_pending++;
    }
}

static int one_lead(funnel *f, size_t i)
{
    const revops_lead_table *l = &f->ds->lead;
    lead_view v;
    view_lead(f, i, &v);
    uint32_t ci, si;
    revops_day day = revops_time_day(l->created_at[i]);
    if (day < f->month_first || day > f->month_last) {
        f->month = revops_day_month(day);
        f->month_first = revops_month_first_day(f->month);
        f->month_last = revops_month_last_day(f->month);
    }
    revops_month m = f->month;
    fgroup *cg = group_of(f, &f->cohorts, (uint32_t)(m + 1), 0, &ci);
    if (!cg)
        return revops_error__oom();
    fgroup *sg = group_of(f, &f->sources, l->source[i], 1, &si);
    if (!sg)
        return revops_error__oom();
    for (int s = 0; s <= v.top; s++) {
        f->total.reached[s]++;
        cg->reached[s]++;
        sg->reached[s]++;
    }
    for (int g = 0; g < NGAPS; g++) {
        revops_time a = v.at[g], b = v.at[g + 1];
        /* Both stages timed, in order; a pair out of order is a data error (revops stats
         * counts it) and is left out. */
        if (a == REVOPS_NO_TIME || b == REVOPS_NO_TIME || b < a)
            continue;
        int rc = series_add(&f->gaps[g], (double)(b - a) / 86400.0, ci, si);
        if (rc)
            return rc;
        f->total.ngap[g]++;
        cg->ngap[g]++;
        sg->ngap[g]++;
    }
    revops_time answered = known(f, l->first_response_at[i]);
    if (answered != REVOPS_NO_TIME && answered < l->created_at[i]) {
        /* Answered before it existed: a data error, left out of the response figures. */
        f->response_before_created++;
    } else {
        if (answered != REVOPS_NO_TIME) {
            int rc = revops_sample__add(&f->response, (double)(answered - l->created_at[i]) / 60.0);
            if (rc)
                return rc;
        }
        response_sla(f, i, sg, answered);
    }
    handoff(f, i, &v);
    return 0;
}

/* ---- medians ---- */

/* The median of each group's values of one series: bucket by group, select in each. */
static int group_medians(series *s, int g, grouping *gr, int by_source, double *scratch)
{
    size_t *pos = malloc((gr->n ? gr->n : 1) * sizeof(*pos));
    if (!pos)
        return revops_error__oom();
    size_t at = 0;
    for (size_t k = 0; k < gr->n; k++) {
        pos[k] = at;
        at += gr->items[k].ngap[g];
    }
    const uint32_t *gid = by_source ? s->source : s->cohort;
    for (size_t i = 0; i < s->n; i++)
        scratch[pos[gid[i]]++] = s->v[i];
    for (size_t k = 0; k < gr->n; k++) {
        size_t n = gr->items[k].ngap[g];
        gr->items[k].median[g] = revops_quantile__select(scratch + pos[k] - n, n, 0.5);
    }
    free(pos);
    return 0;
}

static int medians(funnel *f)
{
    size_t most = 0;
    for (int g = 0; g < NGAPS; g++)
        if (f->gaps[g].n > most)
            most = f->gaps[g].n;
    double *scratch = malloc((most ? most : 1) * sizeof(*scratch));
    if (!scratch)
        return revops_error__oom();
    int rc = 0;
    for (int g = 0; g < NGAPS && !rc; g++) {
        series *s = &f->gaps[g];
        if ((rc = group_medians(s, g, &f->cohorts, 0, scratch)) ||
            (rc = group_medians(s, g, &f->sources, 1, scratch)))
            break;
        /* Last, since selection reorders the values away from their groups. */
        f->total.median[g] = revops_quantile__select(s->v, s->n, 0.5);
    }
    free(scratch);
    return rc;
}

/* ---- output ---- */

static double share(int64_t part, int64_t whole)
{
    return whole ? (double)part / (double)whole : NAN;
}

static void totals(const funnel *f, revops_rt_node *sec)
{
    const fgroup *t = &f->total;
    revops_rt_node *r = revops_rt__section(sec, "reached", NULL);
    for (int s = 0; s < NSTAGES; s++)
        revops_rt__count(r, stage_keys[s], stage_labels[s], t->reached[s]);
    revops_rt_node *cv = revops_rt__section(sec, "conversion", NULL);
    char label[96], why[96];
    for (int g = 0; g <= NGAPS; g++) {
        /* The four steps, then lead to won over the whole funnel. */
        int a = g < NGAPS ? g : ST_LEAD, b = g < NGAPS ? g + 1 : ST_WON;
        const char *key = g < NGAPS ? gap_keys[g] : "lead_to_won";
        snprintf(label, sizeof(label), "Conversion, %s", g < NGAPS ? gap_labels[g] : "lead to won");
        if (t->reached[a] == 0) {
            snprintf(why, sizeof(why), "no lead reached %s", stage_keys[a]);
            revops_rt__na(cv, key, label,
                          a == ST_LEAD ? "no lead was created on or before the as-of day" : why);
        } else {
            revops_rt__ratio(cv, key, label, share(t->reached[b], t->reached[a]));
        }
    }
    revops_rt_node *md = revops_rt__section(sec, "median_days", NULL);
    for (int g = 0; g < NGAPS; g++) {
        snprintf(label, sizeof(label), "Median days, %s", gap_labels[g]);
        if (t->ngap[g] == 0)
            revops_rt__na(md, gap_keys[g], label, "no lead with both stages' times known");
        else
            revops_rt__number(md, gap_keys[g], label, t->median[g], 1);
    }
}

static int by_key(const void *a, const void *b)
{
    const fgroup *x = *(const fgroup *const *)a, *y = *(const fgroup *const *)b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Sources by leads, most first, ties by name; each name is looked up once, beside its group. */
typedef struct named {
    const fgroup *g;
    const char *name;
} named;

static int by_leads(const void *a, const void *b)
{
    const named *x = a, *y = b;
    if (x->g->reached[ST_LEAD] != y->g->reached[ST_LEAD])
        return x->g->reached[ST_LEAD] > y->g->reached[ST_LEAD] ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void group_row(revops_rt_table *t, const fgroup *x, const char *name)
{
    revops_rt__row(t);
    revops_rt__cell_text(t, name);
    for (int s = 0; s < NSTAGES; s++)
        revops_rt__cell_count(t, x->reached[s]);
    for (int g = 0; g < NGAPS; g++)
        revops_rt__cell_ratio(t, share(x->reached[g + 1], x->reached[g]));
    revops_rt__cell_ratio(t, share(x->reached[ST_WON], x->reached[ST_LEAD]));
    for (int g = 0; g < NGAPS; g++)
        revops_rt__cell_number(t, x->median[g]);
}

static int group_tables(const funnel *f, revops_rt_node *sec)
{
    revops_rt_column cols[] = {
        {"", "", REVOPS_RT_TEXT, 0, 0},
        {"lead", "leads", REVOPS_RT_COUNT, 0, 0},
        {"mql", "mql", REVOPS_RT_COUNT, 0, 0},
        {"sql", "sql", REVOPS_RT_COUNT, 0, 0},
        {"opportunity", "opp", REVOPS_RT_COUNT, 0, 0},
        {"won", "won", REVOPS_RT_COUNT, 0, 0},
        {"lead_to_mql", "to mql", REVOPS_RT_RATIO, 0, 0},
        {"mql_to_sql", "to sql", REVOPS_RT_RATIO, 0, 0},
        {"sql_to_opportunity", "to opp", REVOPS_RT_RATIO, 0, 0},
        {"opportunity_to_won", "to won", REVOPS_RT_RATIO, 0, 0},
        {"lead_to_won", "lead>won", REVOPS_RT_RATIO, 0, 0},
        {"median_days_lead_to_mql", "days>mql", REVOPS_RT_NUMBER, 1, 0},
        {"median_days_mql_to_sql", "days>sql", REVOPS_RT_NUMBER, 1, 0},
        {"median_days_sql_to_opportunity", "days>opp", REVOPS_RT_NUMBER, 1, 0},
        {"median_days_opportunity_to_won", "days>won", REVOPS_RT_NUMBER, 1, 0},
    };
    size_t ncols = sizeof(cols) / sizeof(cols[0]);
    size_t most = f->cohorts.n > f->sources.n ? f->cohorts.n : f->sources.n;
    const fgroup **order = malloc((most ? most : 1) * sizeof(*order));
    named *names = malloc((most ? most : 1) * sizeof(*names));
    if (!order || !names) {
        free(order);
        free(names);
        return revops_error__oom();
    }
    cols[0].key = "cohort";
    cols[0].label = "cohort";
    revops_rt_table *t =
        revops_rt__table(sec, "by_cohort", "Funnel by cohort (month created)", cols, ncols);
    for (size_t k = 0; k < f->cohorts.n; k++)
        order[k] = &f->cohorts.items[k];
    if (f->cohorts.n > 1)
        qsort(order, f->cohorts.n, sizeof(*order), by_key);
    for (size_t k = 0; k < f->cohorts.n; k++) {
        char month[REVOPS_MONTH_TEXT_MAX];
        revops_month_format((revops_month)order[k]->key - 1, month);
        group_row(t, order[k], month);
    }
    cols[0].key = "source";
    cols[0].label = "source";
    t = revops_rt__table(sec, "by_source", "Funnel by source", cols, ncols);
    for (size_t k = 0; k < f->sources.n; k++) {
        const fgroup *x = &f->sources.items[k];
        names[k] = (named){x, x->key ? revops_dataset__str(f->ds, x->key) : "(none)"};
    }
    if (f->sources.n > 1)
        qsort(names, f->sources.n, sizeof(*names), by_leads);
    for (size_t k = 0; k < f->sources.n; k++)
        group_row(t, names[k].g, names[k].name);
    free(order);
    free(names);
    return 0;
}

static void response(funnel *f, revops_rt_node *sec, revops_kpi_values *k)
{
    revops_actx *c = f->c;
    revops_rt_node *r = revops_rt__section(sec, "lead_response_minutes", NULL);
    revops_rt__count(r, "answered", "Leads answered", (int64_t)f->response.n);
    revops_rt__count(r, "response_before_created", NULL, f->response_before_created);
    if (f->response.n == 0) {
        const char *why = f->total.reached[ST_LEAD] == 0
                              ? "no lead was created on or before the as-of day"
                              : "no lead was answered on or before the as-of day";
        revops_rt__na(r, "median", "Lead response, median minutes", why);
        revops_rt__na(r, "p90", "Lead response, p90 minutes", why);
        revops_kpi__na(&k->lead_response_minutes, "%s", why);
    } else {
        double median = revops_quantile__select(f->response.v, f->response.n, 0.5);
        double p90 = revops_quantile__select(f->response.v, f->response.n, 0.9);
        revops_rt__number(r, "median", "Lead response, median minutes", median, 1);
        revops_rt__number(r, "p90", "Lead response, p90 minutes", p90, 1);
        k->lead_response_minutes.value = median;
    }
    char label[96];
    snprintf(label, sizeof(label), "Response SLA compliance (inbound, %d min)",
             c->opts.response_sla_minutes);
    int64_t due = f->within + f->late + f->overdue;
    if (due == 0)
        revops_rt__na(sec, "sla_compliance", label,
                      f->inbound ? "no inbound lead's SLA has run out yet" : "no inbound lead");
    else
        revops_rt__ratio(sec, "sla_compliance", label, share(f->within, due));
    revops_rt_node *s = revops_rt__section(sec, "response_sla", NULL);
    revops_rt__count(s, "sla_minutes", NULL, c->opts.response_sla_minutes);
    revops_rt__count(s, "inbound_leads", "Inbound leads", f->inbound);
    revops_rt__count(s, "within_sla", "  answered within the SLA", f->within);
    revops_rt__count(s, "answered_late", "  answered late", f->late);
    revops_rt__count(s, "unanswered_overdue", "  unanswered past the SLA", f->overdue);
    revops_rt__count(s, "pending", "  unanswered, SLA still running", f->pending);

    snprintf(label, sizeof(label), "Handoff SLA compliance (MQL taken up, %d h)",
             c->opts.handoff_sla_hours);
    due = f->h_within + f->h_late + f->h_overdue;
    if (due == 0)
        revops_rt__na(sec, "handoff_sla_compliance", label,
                      f->mqls == 0   ? "no MQL"
                      : f->h_pending ? "no MQL's SLA has run out yet"
                                     : "no MQL could be timed (sql_at before mql_at)");
    else
        revops_rt__ratio(sec, "handoff_sla_compliance", label, share(f->h_within, due));
    revops_rt_node *h = revops_rt__section(sec, "handoff_sla", NULL);
    revops_rt__count(h, "sla_hours", NULL, c->opts.handoff_sla_hours);
    revops_rt__count(h, "mqls", "MQLs", f->mqls);
    revops_rt__count(h, "within_sla", "  taken up within the SLA", f->h_within);
    revops_rt__count(h, "taken_up_late", "  taken up late", f->h_late);
    revops_rt__count(h, "waiting_overdue", "  waiting past the SLA", f->h_overdue);
    revops_rt__count(h, "pending", "  waiting, SLA still running", f->h_pending);
    revops_rt__count(h, "out_of_order", NULL, f->h_out_of_order);
}

int revops_analytics__funnel(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    funnel f;
    memset(&f, 0, sizeof(f));
    f.c = c;
    f.ds = c->ds;
    f.end = revops_actx__day_end(c->as_of);
    f.month_first = 1; /* no month yet */
    f.month_last = 0;
    int rc = index_deals(&f);
    const revops_lead_table *l = &f.ds->lead;
    /* Room for a value per lead in every series up front: pages are only touched as they
     * fill, and the arrays never move (a doubling copies and faults in all of it again). */
    for (int g = 0; g < NGAPS && !rc; g++) {
        series *s = &f.gaps[g];
        if (revops_array__grow((void **)&s->v, &s->vcap, l->n, sizeof(*s->v)) ||
            revops_array__grow((void **)&s->cohort, &s->ccap, l->n, sizeof(*s->cohort)) ||
            revops_array__grow((void **)&s->source, &s->scap, l->n, sizeof(*s->source)))
            rc = revops_error__oom();
    }
    if (!rc)
        rc = revops_array__grow((void **)&f.response.v, &f.response.cap, l->n,
                                sizeof(*f.response.v));
    /* A lead's deal is anywhere among the deals: its fields are fetched a few leads ahead. */
    enum { AHEAD = 16 };
    for (size_t i = 0; i < l->n && !rc; i++) {
#if defined(__GNUC__)
        int32_t ahead = f.lead_opp && i + AHEAD < l->n ? f.lead_opp[i + AHEAD] : -1;
        if (ahead >= 0) {
            __builtin_prefetch(&f.won_at[ahead]);
            __builtin_prefetch(&f.ds->opportunity.created_at[ahead]);
        }
#endif
        if (l->created_at[i] <= f.end)
            rc = one_lead(&f, i);
    }
    if (rc || (rc = medians(&f)))
        goto done;
    revops_rt_node *sec = revops_rt__section(root, "funnel", "Funnel");
    revops_rt__day(sec, "as_of", NULL, c->as_of);
    totals(&f, sec);
    response(&f, sec, k);
    rc = group_tables(&f, sec);
done:
    free(f.won_at);
    free(f.lead_opp);
    grouping_free(&f.cohorts);
    grouping_free(&f.sources);
    for (int g = 0; g < NGAPS; g++)
        series_free(&f.gaps[g]);
    revops_sample__free(&f.response);
    return rc;
}
