/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The handoff SLA report (docs/lifecycle.md "SLA report"), as of the end of a day. The
 * decisions a reader cannot see from the code:
 *
 * - A task is due at its due_at, else at its creation plus the response time of its handoff in
 *   the configuration; a task of a handoff the configuration does not name and without
 *   due_at has no SLA and is counted as `no_sla`, in neither compliance nor breaches.
 * - The SLA clock stops at the first response, the rejection or a stored acceptance,
 *   whichever comes first (tasks.h): turning a handoff down, or accepting it, answers it.
 *   Responded after the due time is `late`; no response while due before the end of the day is
 *   `overdue`; both are breaches. compliance = within / (within + late + overdue): tasks still
 *   pending are not judged yet.
 * - Response minutes (median and p90 type 7, mean) are over the responded tasks.
 * - acceptance_rate = accepted / (accepted + rejected): open tasks are not decided yet. The
 *   target is met when the rate is at least the handoff's acceptance_rate_target.
 * - Groups by team and rep are the task's team_id and owner_id; "(none)" gathers the tasks
 *   without one and comes last; the others are in id order.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/stats_math.h"
#include "core/error.h"
#include "ops/ops.h"
#include "ops/tasks.h"
#include "revops/lifecycle.h"

#define NONE "(none)"

/* A group being filled: its stats and the response minutes of its tasks. */
typedef struct group {
    revops_sla_stats st;
    revops_sample minutes;
    revops_str id;
} group;

typedef struct hgroup {
    revops_sla_handoff *h;
    revops_str name;
    group total;
    group *teams, *reps;
    size_t nteams, nreps, cap_teams, cap_reps;
} hgroup;

static group *find_group(group **list, size_t *n, size_t *cap, revops_str id)
{
    for (size_t i = 0; i < *n; i++)
        if ((*list)[i].id == id)
            return &(*list)[i];
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 8;
        group *p = realloc(*list, c * sizeof(*p));
        if (!p)
            return NULL;
        *list = p;
        *cap = c;
    }
    group *g = &(*list)[(*n)++];
    memset(g, 0, sizeof(*g));
    g->id = id;
    return g;
}

typedef struct outcome {
    int responded, within, late, overdue, pending, no_sla, status;
    double minutes;
} outcome;

static int count(group *g, const outcome *o)
{
    revops_sla_stats *s = &g->st;
    s->handoffs++;
    s->responded += (size_t)o->responded;
    s->within += (size_t)o->within;
    s->late += (size_t)o->late;
    s->overdue += (size_t)o->overdue;
    s->pending += (size_t)o->pending;
    s->no_sla += (size_t)o->no_sla;
    s->accepted += o->status == OPS_TASK_ACCEPTED;
    s->rejected += o->status == OPS_TASK_REJECTED;
    s->open += o->status == OPS_TASK_OPEN;
    return o->responded ? revops_sample__add(&g->minutes, o->minutes) : 0;
}

/* Fills the rates and response-time statistics of a finished group. */
static void finish(group *g, const revops_dataset *ds)
{
    revops_sla_stats *s = &g->st;
    size_t judged = s->within + s->late + s->overdue;
    s->compliance = judged ? (double)s->within / (double)judged : NAN;
    size_t decided = s->accepted + s->rejected;
    s->acceptance_rate = decided ? (double)s->accepted / (double)decided : NAN;
    s->mean_minutes = revops_sample__mean(&g->minutes);
    s->median_minutes = revops_quantile__select(g->minutes.v, g->minutes.n, 0.5);
    s->p90_minutes = revops_quantile__select(g->minutes.v, g->minutes.n, 0.9);
    s->key = g->id ? revops_dataset__str(ds, g->id) : NONE;
    revops_sample__free(&g->minutes);
}

static int by_key(const void *a, const void *b)
{
    const revops_sla_stats *x = a, *y = b;
    int xn = strcmp(x->key, NONE) == 0, yn = strcmp(y->key, NONE) == 0;
    if (xn != yn)
        return xn - yn;
    return strcmp(x->key, y->key);
}

static int most_late(const void *a, const void *b)
{
    const revops_sla_breach *x = a, *y = b;
    if (x->minutes_late != y->minutes_late)
        return x->minutes_late > y->minutes_late ? -1 : 1;
    return strcmp(x->task, y->task);
}

/* Moves a list of groups into the report as stats, sorted by key. */
static int export(group *list, size_t n, const revops_dataset *ds, revops_sla_stats **out,
                  size_t *nout)
{
    *out = calloc(n ? n : 1, sizeof(**out));
    if (!*out)
        return revops_error__oom();
    for (size_t i = 0; i < n; i++) {
        finish(&list[i], ds);
        (*out)[i] = list[i].st;
    }
    *nout = n;
    qsort(*out, n, sizeof(**out), by_key);
    return 0;
}

static int judge(const revops_dataset *ds, const revops_sla_handoff *h, size_t row,
                 const ops_task_state *s, revops_time end, outcome *o, revops_time *due)
{
    const revops_task_table *t = &ds->task;
    memset(o, 0, sizeof(*o));
    o->status = s->status;
    revops_time created = t->created_at[row];
    *due = t->due_at[row] != REVOPS_NO_TIME ? t->due_at[row]
           : h->response_seconds >= 0       ? created + h->response_seconds
                                            : REVOPS_NO_TIME;
    if (s->response_at != REVOPS_NO_TIME) {
        o->responded = 1;
        o->minutes = (double)(s->response_at - created) / 60.0;
        if (*due == REVOPS_NO_TIME)
            o->no_sla = 1;
        else if (s->response_at <= *due)
            o->within = 1;
        else
            o->late = 1;
    } else if (*due == REVOPS_NO_TIME) {
        o->no_sla = 1;
    } else if (*due < end) {
        o->overdue = 1;
    } else {
        o->pending = 1;
    }
    return 0;
}

int revops_sla_report_compute(revops_sla_report **out, const revops_dataset *ds,
                              const revops_config *cfg, const revops_sla_options *opts)
{
    *out = NULL;
    revops_sla_options def = REVOPS_SLA_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    const revops_task_table *t = &ds->task;
    revops_sla_report *r = calloc(1, sizeof(*r));
    ops_task_state *st = NULL;
    hgroup *hg = NULL;
    size_t nh = 0;
    int rc = 0;
    if (!r)
        return revops_error__oom();
    r->as_of = opts->as_of == REVOPS_NO_DAY ? revops_dataset_latest_day(ds) : opts->as_of;
    if (r->as_of == REVOPS_NO_DAY)
        goto done; /* no data: nothing to report */
    revops_time end = revops_day_time(r->as_of) + 86399;
    st = malloc((t->n ? t->n : 1) * sizeof(*st));
    /* At most every configured handoff and one per task. */
    hg = calloc(cfg->nhandoffs + t->n + 1, sizeof(*hg));
    r->handoffs = calloc(cfg->nhandoffs + t->n + 1, sizeof(*r->handoffs));
    r->breaches = calloc(t->n ? t->n : 1, sizeof(*r->breaches));
    if (!st || !hg || !r->handoffs || !r->breaches) {
        rc = revops_error__oom();
        goto done;
    }
    if ((rc = revops_ops__task_states(ds, end, st)))
        goto done;
    for (size_t k = 0; k < cfg->nhandoffs; k++) {
        const revops_config_handoff *ch = &cfg->handoffs[k];
        revops_sla_handoff *h = &r->handoffs[nh];
        h->name = ch->name;
        h->from = revops_department_name(ch->from);
        h->to = revops_department_name(ch->to);
        h->entity = revops_entity_at(ch->entity)->name;
        h->stage = ch->entity == REVOPS_ENTITY_LEAD ? revops_values_lead_stage[ch->stage]
                                                    : cfg->stages.items[ch->stage].name;
        h->response_seconds = ch->response_seconds;
        h->acceptance_target = ch->acceptance_target;
        hg[nh].h = h;
        revops_strpool__find(&ds->strings, ch->name, strlen(ch->name), &hg[nh].name);
        nh++;
    }
    /* Handoffs only the tasks name, in name order. */
    size_t configured = nh;
    for (size_t i = 0; i < t->n; i++) {
        if (!st[i].exists)
            continue;
        size_t k = 0;
        while (k < nh && hg[k].name != t->handoff[i])
            k++;
        if (k < nh)
            continue;
        revops_sla_handoff *h = &r->handoffs[nh];
        h->name = revops_dataset__str(ds, t->handoff[i]);
        h->entity = revops_dataset__str(ds, t->entity[i]);
        h->from = t->from_department[i] ? revops_dataset__str(ds, t->from_department[i]) : NULL;
        h->to = revops_dataset__str(ds, t->to_department[i]);
        h->response_seconds = -1;
        h->acceptance_target = NAN;
        hg[nh].h = h;
        hg[nh].name = t->handoff[i];
        nh++;
    }
    for (size_t a = configured + 1; a < nh; a++)
        for (size_t b = a; b > configured && strcmp(hg[b - 1].h->name, hg[b].h->name) > 0; b--) {
            hgroup tmp = hg[b - 1];
            hg[b - 1] = hg[b];
            hg[b] = tmp;
        }
    for (size_t i = 0; i < t->n && !rc; i++) {
        if (!st[i].exists)
            continue;
        size_t k = 0;
        while (hg[k].name != t->handoff[i])
            k++;
        hgroup *g = &hg[k];
        outcome o;
        revops_time due;
        judge(ds, g->h, i, &st[i], end, &o, &due);
        r->tasks++;
        group *team = find_group(&g->teams, &g->nteams, &g->cap_teams, t->team_id[i]);
        group *rep = find_group(&g->reps, &g->nreps, &g->cap_reps, t->owner_id[i]);
        if (!team || !rep) {
            rc = revops_error__oom();
            break;
        }
        if ((rc = count(&g->total, &o)) || (rc = count(team, &o)) || (rc = count(rep, &o)))
            break;
        if (!o.late && !o.overdue)
            continue;
        revops_sla_breach *b = &r->breaches[r->total_breaches++];
        b->task = revops_dataset__str(ds, t->id[i]);
        b->handoff = g->h->name;
        b->entity = revops_dataset__str(ds, t->entity[i]);
        b->record = revops_dataset__str(ds, t->record_id[i]);
        b->owner = t->owner_id[i] ? revops_dataset__str(ds, t->owner_id[i]) : NULL;
        b->team = t->team_id[i] ? revops_dataset__str(ds, t->team_id[i]) : NULL;
        b->created_at = t->created_at[i];
        b->due_at = due;
        b->response_at = st[i].response_at;
        b->response = b->response_at == REVOPS_NO_TIME         ? NULL
                      : b->response_at == st[i].first_activity ? "first_response"
                      : b->response_at == st[i].rejected_at    ? "rejection"
                                                               : "acceptance";
        b->minutes_late = (double)((o.late ? st[i].response_at : end) - due) / 60.0;
    }
    if (rc)
        goto done;
    /* Sorting the handoffs moved the groups: reattach each to its report entry in order. */
    revops_sla_handoff *ordered = calloc(nh ? nh : 1, sizeof(*ordered));
    if (!ordered) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t k = 0; k < nh; k++)
        ordered[k] = *hg[k].h;
    for (size_t k = 0; k < nh && !rc; k++) {
        revops_sla_handoff *h = &ordered[k];
        hgroup *g = &hg[k];
        finish(&g->total, ds);
        h->total = g->total.st;
        h->total.key = NULL;
        h->target_met = isnan(h->total.acceptance_rate) || isnan(h->acceptance_target)
                            ? -1
                            : h->total.acceptance_rate >= h->acceptance_target;
        if (!(rc = export(g->teams, g->nteams, ds, &h->teams, &h->nteams)))
            rc = export(g->reps, g->nreps, ds, &h->reps, &h->nreps);
    }
    free(r->handoffs);
    r->handoffs = ordered;
    r->nhandoffs = nh;
    qsort(r->breaches, r->total_breaches, sizeof(*r->breaches), most_late);
    r->nbreaches = opts->top && opts->top < r->total_breaches ? opts->top : r->total_breaches;
done:
    for (size_t k = 0; hg && k < nh; k++) {
        revops_sample__free(&hg[k].total.minutes);
        for (size_t i = 0; i < hg[k].nteams; i++)
            revops_sample__free(&hg[k].teams[i].minutes);
        for (size_t i = 0; i < hg[k].nreps; i++)
            revops_sample__free(&hg[k].reps[i].minutes);
        free(hg[k].teams);
        free(hg[k].reps);
    }
    free(hg);
    free(st);
    if (rc) {
        revops_sla_report_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void revops_sla_report_free(revops_sla_report *r)
{
    if (!r)
        return;
    for (size_t k = 0; r->handoffs && k < r->nhandoffs; k++) {
        free(r->handoffs[k].teams);
        free(r->handoffs[k].reps);
    }
    free(r->handoffs);
    free(r->breaches);
    free(r);
}
