/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The win/loss section (docs/metrics.md "Win/loss"): of the deals closed in the trailing
 * window, how many and how much were won, by owner, team, product, segment, lead source and
 * competitor, how big the wins were and how long they took, and why the others were lost.
 *
 * The window and the rule deciding whether a deal is won or lost are exactly those of the
 * pipeline section's win rate: a deal counts when, as it stood at the end of the as-of day
 * (revops_actx__deal), it is won or lost and its close day falls in [as_of - window_days + 1,
 * as_of]; its amount is the one it had then, converted at the rate of its close day; its
 * cycle is the close day minus the creation day. So the totals equal pipeline.win_rate and
 * pipeline.win_rate_value to the last bit.
 *
 * One pass over the deals keeps a small record of each closed one (amortised growth, never an
 * allocation per deal) and adds it to one group per breakdown (groups.h, hashed by string
 * id). Medians sort the won cycles once and deal them out to the groups in that order. Apart
 * from those sorts (of the won cycles, of the lost deals' (competitor, reason) pairs and of
 * the groups) everything is linear in the number of deals, with no lookup that grows with it.
 */
#include "analytics/winloss.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/analysis.h"
#include "analytics/groups.h"
#include "core/buf.h"
#include "core/error.h"

#define NO_LEAD UINT32_MAX

/* A deal closed in the window, as the breakdowns need it. */
typedef struct closed_deal {
    int64_t value;                   /* amount on the close day, reporting currency */
    uint32_t group[REVOPS_WL_NDIMS]; /* the index of its group in each breakdown */
    revops_str reason;               /* loss_reason of a lost deal */
    int32_t cycle;                   /* close day - creation day */
    uint8_t won;
} closed_deal;

typedef struct wl {
    revops_actx *c;
    const revops_dataset *ds;
    uint32_t *lead_of; /* by deal: the first lead whose opportunity_id names it, or NO_LEAD */
    revops_day window_start, window_end;
    closed_deal *closed;
    size_t nclosed;
    revops_groups groups[REVOPS_WL_NDIMS];
} wl;

/* ---- keys and labels ---- */

static revops_str team_of(const revops_actx *c, revops_str rep)
{
    int64_t r = revops_idmap__get(&c->rep_by_id, rep);
    return r >= 0 ? c->ds->rep.team_id[r] : 0;
}

/* The deal's lead is the one opportunity.lead_id names; when it names none (empty, or an id
 * the data do not hold), the first lead whose opportunity_id names the deal. */
static int64_t lead_row(const wl *w, size_t deal)
{
    int64_t l = w->c->deal_lead[deal];
    if (l < 0 && w->lead_of[deal] != NO_LEAD)
        l = w->lead_of[deal];
    return l;
}

static const char *str_or(const revops_dataset *ds, revops_str s, const char *none)
{
    return s ? revops_dataset__str(ds, s) : none;
}

/* The same labels as the pipeline's breakdowns: a rep's name (else its id), a team's name
 * (else its id, else "(no team)", as revops_analytics__team_name), the text itself (else
 * "(none)"). */
static const char *label_of(const wl *w, int dim, revops_str key)
{
    const revops_actx *c = w->c;
    if (dim == REVOPS_WL_OWNER) {
        int64_t r = revops_idmap__get(&c->rep_by_id, key);
        if (r >= 0 && w->ds->rep.name[r])
            return revops_dataset__str(w->ds, w->ds->rep.name[r]);
        return str_or(w->ds, key, "(no owner)");
    }
    if (dim == REVOPS_WL_TEAM) {
        int64_t t = revops_idmap__get(&c->team_by_id, key);
        if (t >= 0 && w->ds->team.name[t])
            return revops_dataset__str(w->ds, w->ds->team.name[t]);
        return str_or(w->ds, key, "(no team)");
    }
    return str_or(w->ds, key, "(none)");
}

static int index_leads(wl *w)
{
    const revops_lead_table *l = &w->ds->lead;
    size_t n = w->ds->opportunity.n;
    w->lead_of = malloc((n ? n : 1) * sizeof(*w->lead_of));
    if (!w->lead_of)
        return revops_error__oom();
    for (size_t i = 0; i < n; i++)
        w->lead_of[i] = NO_LEAD;
    for (size_t r = 0; r < l->n && r < NO_LEAD; r++) {
        int32_t o = w->c->lead_opp[r];
        if (o >= 0 && w->lead_of[o] == NO_LEAD)
            w->lead_of[o] = (uint32_t)r;
    }
    return 0;
}

/* ---- one pass over the deals ---- */

static void add(revops_group *g, const closed_deal *x)
{
    g->count++;
    g->amount += x->value;
    if (x->won) {
        g->count2++;
        g->amount2 += x->value;
        g->sum += (double)x->cycle;
    } else {
        g->count3++;
        g->amount3 += x->value;
    }
}

/* Rows of the deals closed in the window: their accounts and leads, from the big maps. */
typedef struct picked {
    uint32_t deal;
    int32_t account, lead; /* rows, or -1 */
} picked;

/*
 * The deals closed in the window, then each one's account and lead, then its record in
 * every breakdown, in deal order. The account and lead lookups, and the rows they find, are
 * random reads of large tables: each is fetched a few deals ahead.
 */
static int pick(wl *w, picked **out, size_t *count)
{
    const revops_actx *c = w->c;
    const revops_dataset *ds = w->ds;
    const revops_opportunity_table *o = &ds->opportunity;
    size_t m = 0, cap = 0;
    picked *p = NULL;
    for (size_t i = 0; i < o->n; i++) {
        const revops_deal *d = &c->now[i];
        if (!(d->won || d->lost) || d->closed < w->window_start || d->closed > w->window_end)
            continue;
        if (revops_array__grow((void **)&p, &cap, m + 1, sizeof(*p))) {
            free(p);
            return revops_error__oom();
        }
        p[m++].deal = (uint32_t)i;
    }
    enum { AHEAD = 32 };
    for (size_t k = 0; k < m; k++) {
        if (k + AHEAD < m)
            revops_idmap__prefetch(&c->account_by_id, o->account_id[p[k + AHEAD].deal]);
        p[k].account = (int32_t)revops_idmap__get(&c->account_by_id, o->account_id[p[k].deal]);
        p[k].lead = (int32_t)lead_row(w, p[k].deal);
    }
    *out = p;
    *count = m;
    return 0;
}

static int collect(wl *w, revops_winloss *out)
{
    revops_actx *c = w->c;
    const revops_dataset *ds = w->ds;
    const revops_opportunity_table *o = &ds->opportunity;
    revops_wl_row *t = &out->total;
    double cycle_sum = 0;
    picked *p = NULL;
    size_t m = 0;
    w->window_start = out->window_start;
    w->window_end = out->window_end;
    int rc = pick(w, &p, &m);
    if (rc)
        return rc;
    w->closed = malloc((m ? m : 1) * sizeof(*w->closed));
    if (!w->closed) {
        free(p);
        return revops_error__oom();
    }
    enum { AHEAD = 16 };
    for (size_t k = 0; k < m && !rc; k++) {
#if defined(__GNUC__)
        if (k + AHEAD < m && p[k + AHEAD].account >= 0)
            __builtin_prefetch(&ds->account.segment[p[k + AHEAD].account]);
        if (k + AHEAD < m && p[k + AHEAD].lead >= 0)
            __builtin_prefetch(&ds->lead.source[p[k + AHEAD].lead]);
#endif
        size_t i = p[k].deal;
        const revops_deal *d = &c->now[i];
        closed_deal *x = &w->closed[w->nclosed++];
        x->value = revops_actx__money(c, d->amount, o->currency[i], d->amount_day);
        x->won = (uint8_t)(d->won != 0);
        x->cycle = d->closed - d->created;
        x->reason = d->lost ? o->loss_reason[i] : 0;
        revops_str keys[REVOPS_WL_NDIMS];
        keys[REVOPS_WL_OWNER] = o->owner_id[i];
        keys[REVOPS_WL_TEAM] = team_of(c, o->owner_id[i]);
        keys[REVOPS_WL_PRODUCT] = o->product[i];
        keys[REVOPS_WL_SEGMENT] = p[k].account >= 0 ? ds->account.segment[p[k].account] : 0;
        keys[REVOPS_WL_SOURCE] = p[k].lead >= 0 ? ds->lead.source[p[k].lead] : 0;
        keys[REVOPS_WL_COMPETITOR] = o->competitor[i];
        for (int g = 0; g < REVOPS_WL_NDIMS && !rc; g++) {
            revops_group *grp = revops_groups__get(&w->groups[g], keys[g]);
            if (!grp) {
                rc = revops_error__oom();
                break;
            }
            add(grp, x);
            x->group[g] = (uint32_t)(grp - w->groups[g].items);
        }
        if (x->won) {
            t->won++;
            t->won_amount += x->value;
            cycle_sum += (double)x->cycle;
        } else {
            t->lost++;
            t->lost_amount += x->value;
        }
    }
    free(p);
    /* Summed in deal order, as the pipeline's mean: the same double. */
    t->cycle_mean = t->won ? cycle_sum / (double)t->won : NAN;
    return rc;
}

/* ---- medians of the won cycles ---- */

/* The type-7 median of an ascending run, the arithmetic of revops_sample__quantile (so the
 * total agrees with the pipeline's to the bit) without sorting again. */
static double sorted_median(const double *v, size_t n)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * 0.5;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

typedef struct won_cycle {
    int32_t cycle;
    uint32_t deal; /* index into the closed records */
} won_cycle;

static int compare_cycles(const void *a, const void *b)
{
    const won_cycle *x = a, *y = b;
    if (x->cycle != y->cycle)
        return x->cycle < y->cycle ? -1 : 1;
    return x->deal < y->deal ? -1 : x->deal > y->deal;
}

/* Medians of the whole and of every group (left in the group's sum2). The won cycles are
 * sorted once; placing them group after group in that order (a counting sort on the group
 * index) leaves every group's run sorted too. */
static int medians(wl *w, revops_winloss *out)
{
    size_t nwon = (size_t)out->total.won, most = 1;
    for (int k = 0; k < REVOPS_WL_NDIMS; k++)
        if (w->groups[k].n > most)
            most = w->groups[k].n;
    won_cycle *order = malloc((nwon ? nwon : 1) * sizeof(*order));
    double *v = malloc((nwon ? nwon : 1) * sizeof(*v));
    size_t *end = malloc(most * sizeof(*end));
    int rc = 0;
    if (!order || !v || !end) {
        rc = revops_error__oom();
        goto done;
    }
    size_t m = 0;
    for (size_t i = 0; i < w->nclosed && m < nwon; i++)
        if (w->closed[i].won)
            order[m++] = (won_cycle){w->closed[i].cycle, (uint32_t)i};
    if (m > 1)
        qsort(order, m, sizeof(*order), compare_cycles);
    for (size_t i = 0; i < m; i++)
        v[i] = (double)order[i].cycle;
    out->total.cycle_median = sorted_median(v, m);
    for (int k = 0; k < REVOPS_WL_NDIMS; k++) {
        revops_groups *g = &w->groups[k];
        size_t at = 0;
        for (size_t j = 0; j < g->n; j++) {
            end[j] = at; /* the start of group j, until placing moves it to its end */
            at += (size_t)g->items[j].count2;
        }
        for (size_t i = 0; i < m; i++)
            v[end[w->closed[order[i].deal].group[k]]++] = (double)order[i].cycle;
        for (size_t j = 0; j < g->n; j++) {
            size_t first = j ? end[j - 1] : 0;
            g->items[j].sum2 = sorted_median(v + first, end[j] - first);
        }
    }
done:
    free(order);
    free(v);
    free(end);
    return rc;
}

/* ---- breakdown rows ---- */

static double ratio(int64_t part, int64_t whole)
{
    return whole ? (double)part / (double)whole : NAN;
}

static void finish_row(revops_wl_row *r)
{
    r->win_rate = ratio(r->won, r->won + r->lost);
    r->win_rate_value = ratio(r->won_amount, r->won_amount + r->lost_amount);
    r->avg_won_deal_size = r->won ? (int64_t)llround((double)r->won_amount / (double)r->won) : 0;
}

/* Most closed deals first, then the largest closed amount, then by label and id, so that the
 * order does not depend on how the strings were interned. */
static int compare_rows(const void *a, const void *b)
{
    const revops_wl_row *x = a, *y = b;
    int64_t cx = x->won + x->lost, cy = y->won + y->lost;
    if (cx != cy)
        return cx > cy ? -1 : 1;
    int64_t ax = x->won_amount + x->lost_amount, ay = y->won_amount + y->lost_amount;
    if (ax != ay)
        return ax > ay ? -1 : 1;
    int r = strcmp(x->label, y->label);
    if (r == 0)
        r = strcmp(x->id ? x->id : "", y->id ? y->id : "");
    if (r == 0)
        r = x->key < y->key ? -1 : x->key > y->key;
    return r;
}

static int breakdown(wl *w, revops_winloss *out, int k)
{
    const revops_groups *g = &w->groups[k];
    revops_wl_row *rows = calloc(g->n ? g->n : 1, sizeof(*rows));
    if (!rows)
        return revops_error__oom();
    for (size_t j = 0; j < g->n; j++) {
        const revops_group *x = &g->items[j];
        revops_wl_row *r = &rows[j];
        r->key = x->key;
        r->label = label_of(w, k, x->key);
        if (k == REVOPS_WL_OWNER || k == REVOPS_WL_TEAM)
            r->id = str_or(w->ds, x->key, "");
        r->won = x->count2;
        r->lost = x->count3;
        r->won_amount = x->amount2;
        r->lost_amount = x->amount3;
        r->cycle_mean = x->count2 ? x->sum / (double)x->count2 : NAN;
        r->cycle_median = x->sum2;
        finish_row(r);
    }
    if (g->n > 1)
        qsort(rows, g->n, sizeof(*rows), compare_rows);
    out->by[k] = rows;
    out->nby[k] = g->n;
    return 0;
}

/* ---- loss reasons ---- */

static int compare_reasons(const void *a, const void *b)
{
    const revops_wl_reason *x = a, *y = b;
    if (x->lost != y->lost)
        return x->lost > y->lost ? -1 : 1;
    if (x->lost_amount != y->lost_amount)
        return x->lost_amount > y->lost_amount ? -1 : 1;
    int r = strcmp(x->reason, y->reason);
    return r ? r : (x->key < y->key ? -1 : x->key > y->key);
}

static int loss_reasons(wl *w, revops_winloss *out)
{
    revops_groups g = {0};
    int rc = 0;
    for (size_t i = 0; i < w->nclosed; i++) {
        const closed_deal *x = &w->closed[i];
        if (x->won)
            continue;
        revops_group *r = revops_groups__get(&g, x->reason);
        if (!r) {
            rc = revops_error__oom();
            goto done;
        }
        r->count++;
        r->amount += x->value;
    }
    out->reasons = calloc(g.n ? g.n : 1, sizeof(*out->reasons));
    if (!out->reasons) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t j = 0; j < g.n; j++) {
        revops_wl_reason *r = &out->reasons[j];
        r->key = g.items[j].key;
        r->reason = str_or(w->ds, r->key, "(none)");
        r->lost = g.items[j].count;
        r->lost_amount = g.items[j].amount;
        r->share = ratio(r->lost, out->total.lost);
        r->amount_share = ratio(r->lost_amount, out->total.lost_amount);
    }
    out->nreasons = g.n;
    if (g.n > 1)
        qsort(out->reasons, g.n, sizeof(*out->reasons), compare_reasons);
done:
    revops_groups__free(&g);
    return rc;
}

/* A lost deal as (its competitor's place in by_competitor, its reason). */
typedef struct pair {
    uint32_t rank;
    revops_str reason;
    int64_t value;
} pair;

static int compare_pairs(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->reason < y->reason ? -1 : x->reason > y->reason;
}

/* Loss reasons within each competitor, the competitors in the order of by_competitor. */
static int reasons_by_competitor(wl *w, revops_winloss *out)
{
    revops_groups *g = &w->groups[REVOPS_WL_COMPETITOR];
    const revops_wl_row *rows = out->by[REVOPS_WL_COMPETITOR];
    size_t nlost = (size_t)out->total.lost, np = 0;
    uint32_t *rank = malloc((g->n ? g->n : 1) * sizeof(*rank));
    pair *pairs = malloc((nlost ? nlost : 1) * sizeof(*pairs));
    int rc = 0;
    if (!rank || !pairs) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t r = 0; r < out->nby[REVOPS_WL_COMPETITOR]; r++) {
        revops_group *x = revops_groups__get(g, rows[r].key); /* present: no insertion */
        if (!x) {
            rc = revops_error__oom();
            goto done;
        }
        rank[x - g->items] = (uint32_t)r;
    }
    for (size_t i = 0; i < w->nclosed; i++) {
        const closed_deal *x = &w->closed[i];
        if (!x->won)
            pairs[np++] = (pair){rank[x->group[REVOPS_WL_COMPETITOR]], x->reason, x->value};
    }
    if (np > 1)
        qsort(pairs, np, sizeof(*pairs), compare_pairs);
    out->by_competitor = calloc(np ? np : 1, sizeof(*out->by_competitor));
    if (!out->by_competitor) {
        rc = revops_error__oom();
        goto done;
    }
    size_t n = 0, first = 0; /* first: the first row of the current competitor */
    for (size_t i = 0; i < np; i++) {
        const revops_wl_row *comp = &rows[pairs[i].rank];
        if (i == 0 || pairs[i].rank != pairs[i - 1].rank) {
            if (n - first > 1)
                qsort(out->by_competitor + first, n - first, sizeof(*out->by_competitor),
                      compare_reasons);
            first = n;
        }
        if (i == 0 || pairs[i].rank != pairs[i - 1].rank || pairs[i].reason != pairs[i - 1].reason)
            out->by_competitor[n++] = (revops_wl_reason){
                comp->label, str_or(w->ds, pairs[i].reason, "(none)"), pairs[i].reason, 0, 0, 0, 0};
        revops_wl_reason *r = &out->by_competitor[n - 1];
        r->lost++;
        r->lost_amount += pairs[i].value;
        r->share = ratio(r->lost, comp->lost);
        r->amount_share = ratio(r->lost_amount, comp->lost_amount);
    }
    if (n - first > 1)
        qsort(out->by_competitor + first, n - first, sizeof(*out->by_competitor), compare_reasons);
    out->nby_competitor = n;
done:
    free(rank);
    free(pairs);
    return rc;
}

int revops_winloss__compute(revops_winloss *out, revops_actx *c)
{
    memset(out, 0, sizeof(*out));
    out->window_end = c->as_of;
    out->window_start = c->as_of - c->opts.window_days + 1;
    out->total.label = "total";
    out->total.win_rate = out->total.win_rate_value = NAN;
    out->total.cycle_mean = out->total.cycle_median = NAN;
    wl w;
    memset(&w, 0, sizeof(w));
    w.c = c;
    w.ds = c->ds;
    int rc;
    if ((rc = index_leads(&w)) || (rc = collect(&w, out)) || (rc = medians(&w, out)))
        goto done;
    finish_row(&out->total);
    for (int k = 0; k < REVOPS_WL_NDIMS && !rc; k++)
        rc = breakdown(&w, out, k);
    if (!rc)
        rc = loss_reasons(&w, out);
    if (!rc)
        rc = reasons_by_competitor(&w, out);
done:
    for (int k = 0; k < REVOPS_WL_NDIMS; k++)
        revops_groups__free(&w.groups[k]);
    free(w.lead_of);
    free(w.closed);
    return rc;
}

void revops_winloss__free(revops_winloss *w)
{
    for (int k = 0; k < REVOPS_WL_NDIMS; k++)
        free(w->by[k]);
    free(w->reasons);
    free(w->by_competitor);
    memset(w, 0, sizeof(*w));
}

/* ---- the report ---- */

static void breakdown_table(revops_rt_node *n, const revops_winloss *w, int k)
{
    static const struct {
        const char *key, *title, *column, *id_key;
    } dims[REVOPS_WL_NDIMS] = {
        {"by_owner", "Win/loss by owner", "owner", "owner_id"},
        {"by_team", "Win/loss by team", "team", "team_id"},
        {"by_product", "Win/loss by product", "product", NULL},
        {"by_segment", "Win/loss by segment", "segment", NULL},
        {"by_source", "Win/loss by lead source", "source", NULL},
        {"by_competitor", "Win/loss by competitor", "competitor", NULL},
    };
    const char *id_key = dims[k].id_key;
    const revops_rt_column cols[] = {
        {id_key ? id_key : "", id_key ? id_key : "", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {dims[k].column, dims[k].column, REVOPS_RT_TEXT, 0, 0},
        {"closed", "closed", REVOPS_RT_COUNT, 0, 0},
        {"won", "won", REVOPS_RT_COUNT, 0, 0},
        {"lost", "lost", REVOPS_RT_COUNT, 0, 0},
        {"win_rate", "win rate", REVOPS_RT_RATIO, 0, 0},
        {"win_rate_value", "by value", REVOPS_RT_RATIO, 0, 0},
        {"won_amount", "won amount", REVOPS_RT_MONEY, 0, 0},
        {"lost_amount", "lost amount", REVOPS_RT_MONEY, 0, 0},
        {"avg_won_deal_size", "avg won deal", REVOPS_RT_MONEY, 0, 0},
        {"sales_cycle_days", "cycle days", REVOPS_RT_NUMBER, 1, 0},
        {"sales_cycle_days_median", "median", REVOPS_RT_NUMBER, 1, 0},
    };
    size_t ncols = sizeof(cols) / sizeof(cols[0]);
    const revops_rt_column *first = id_key ? cols : cols + 1;
    revops_rt_table *t =
        revops_rt__table(n, dims[k].key, dims[k].title, first, id_key ? ncols : ncols - 1);
    revops_rt__text_limit(t, 15);
    for (size_t i = 0; i < w->nby[k]; i++) {
        const revops_wl_row *r = &w->by[k][i];
        revops_rt__row(t);
        if (id_key)
            revops_rt__cell_text(t, r->id);
        revops_rt__cell_text(t, r->label);
        revops_rt__cell_count(t, r->won + r->lost);
        revops_rt__cell_count(t, r->won);
        revops_rt__cell_count(t, r->lost);
        revops_rt__cell_ratio(t, r->win_rate);
        revops_rt__cell_ratio(t, r->win_rate_value);
        revops_rt__cell_money(t, r->won_amount);
        revops_rt__cell_money(t, r->lost_amount);
        if (r->won)
            revops_rt__cell_money(t, r->avg_won_deal_size);
        else
            revops_rt__cell_null(t);
        revops_rt__cell_number(t, r->cycle_mean);
        revops_rt__cell_number(t, r->cycle_median);
    }
}

static void reasons_table(revops_rt_node *n, const char *key, const char *title,
                          const revops_wl_reason *rows, size_t nrows, int with_competitor,
                          size_t limit)
{
    const revops_rt_column cols[] = {
        {"competitor", "competitor", REVOPS_RT_TEXT, 0, 0},
        {"reason", "reason", REVOPS_RT_TEXT, 0, 0},
        {"lost", "lost", REVOPS_RT_COUNT, 0, 0},
        {"share", "share", REVOPS_RT_RATIO, 0, 0},
        {"lost_amount", "lost amount", REVOPS_RT_MONEY, 0, 0},
        {"amount_share", "amount share", REVOPS_RT_RATIO, 0, 0},
    };
    size_t ncols = sizeof(cols) / sizeof(cols[0]);
    revops_rt_table *t = revops_rt__table(n, key, title, with_competitor ? cols : cols + 1,
                                          with_competitor ? ncols : ncols - 1);
    revops_rt__text_limit(t, limit);
    for (size_t i = 0; i < nrows; i++) {
        revops_rt__row(t);
        if (with_competitor)
            revops_rt__cell_text(t, rows[i].competitor);
        revops_rt__cell_text(t, rows[i].reason);
        revops_rt__cell_count(t, rows[i].lost);
        revops_rt__cell_ratio(t, rows[i].share);
        revops_rt__cell_money(t, rows[i].lost_amount);
        revops_rt__cell_ratio(t, rows[i].amount_share);
    }
}

int revops_analytics__winloss(revops_actx *c, revops_rt_node *root, revops_kpi_values *k)
{
    /* The scorecard's conversion and velocity come from the pipeline section, whose window
     * and rule these totals share; this section leaves them alone. */
    (void)k;
    revops_winloss w;
    int rc = revops_winloss__compute(&w, c);
    if (rc) {
        revops_winloss__free(&w);
        return rc;
    }
    const revops_wl_row *t = &w.total;
    revops_rt_node *sec = revops_rt__section(root, "winloss", "Win/loss");
    revops_rt__text(sec, "currency", NULL, c->currency);
    revops_rt__day(sec, "as_of", NULL, c->as_of);
    revops_rt__day(sec, "window_start", "Closed from", w.window_start);
    revops_rt__day(sec, "window_end", "Closed through", w.window_end);
    revops_rt__count(sec, "closed_deals", "Closed in the window", t->won + t->lost);
    revops_rt__count(sec, "won_deals", "Won", t->won);
    revops_rt__count(sec, "lost_deals", "Lost", t->lost);
    revops_rt__money(sec, "won_amount", "Won amount", t->won_amount);
    revops_rt__money(sec, "lost_amount", "Lost amount", t->lost_amount);
    if (t->won + t->lost == 0) {
        revops_rt__na(sec, "win_rate", "Win rate", "no deal closed in the window");
        revops_rt__na(sec, "win_rate_value", "Win rate by value", "no deal closed in the window");
    } else {
        revops_rt__ratio(sec, "win_rate", "Win rate", t->win_rate);
        if (isnan(t->win_rate_value))
            revops_rt__na(sec, "win_rate_value", "Win rate by value",
                          "the deals closed in the window have no amount");
        else
            revops_rt__ratio(sec, "win_rate_value", "Win rate by value", t->win_rate_value);
    }
    const char *no_win = "no deal won in the window";
    if (t->won == 0)
        revops_rt__na(sec, "avg_won_deal_size", "Average won deal", no_win);
    else
        revops_rt__money(sec, "avg_won_deal_size", "Average won deal", t->avg_won_deal_size);
    revops_rt_node *cyc = revops_rt__section(sec, "sales_cycle_days", NULL);
    if (t->won == 0) {
        revops_rt__na(cyc, "mean", "Sales cycle, mean days", no_win);
        revops_rt__na(cyc, "median", "Sales cycle, median days", no_win);
    } else {
        revops_rt__number(cyc, "mean", "Sales cycle, mean days", t->cycle_mean, 1);
        revops_rt__number(cyc, "median", "Sales cycle, median days", t->cycle_median, 1);
    }
    for (int d = 0; d < REVOPS_WL_NDIMS; d++)
        breakdown_table(sec, &w, d);
    reasons_table(sec, "loss_reasons", "Loss reasons (share of lost deals)", w.reasons, w.nreasons,
                  0, 10);
    reasons_table(sec, "loss_reasons_by_competitor", "Loss reasons by competitor", w.by_competitor,
                  w.nby_competitor, 1, 20);
    revops_winloss__free(&w);
    return 0;
}
