/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Task states (tasks.h). The first activity of every task comes from one pass over the
 * activities, each looked up among the tasks of its lead, its opportunity and its account
 * (sorted keys, binary search), so the cost is activities x log tasks.
 */
#include "ops/tasks.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/idmap.h"
#include "ops/ops.h"

typedef struct keyed {
    revops_str key;
    uint32_t task;
} keyed;

static int by_key(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->task > y->task) - (x->task < y->task);
}

/* The first entry with `key`, or n. */
static size_t lower(const keyed *k, size_t n, revops_str key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (k[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int revops_ops__task_status(const revops_dataset *ds, revops_str s)
{
    if (!s)
        return -1;
    const char *t = revops_dataset__str(ds, s);
    for (int i = 0; revops_values_task_status[i]; i++)
        if (strcmp(t, revops_values_task_status[i]) == 0)
            return i;
    return -1;
}

/* Offers activity row `a` to the tasks in k[] whose key is `key`. */
static void offer(const revops_dataset *ds, const keyed *k, size_t n, revops_str key, size_t a,
                  revops_time *first)
{
    if (!key)
        return;
    const revops_task_table *t = &ds->task;
    const revops_activity_table *act = &ds->activity;
    for (size_t i = lower(k, n, key); i < n && k[i].key == key; i++) {
        uint32_t task = k[i].task;
        if (act->at[a] < t->created_at[task])
            continue;
        if (t->owner_id[task] && act->rep_id[a] != t->owner_id[task])
            continue;
        if (first[task] == REVOPS_NO_TIME || act->at[a] < first[task])
            first[task] = act->at[a];
    }
}

int revops_ops__task_states(const revops_dataset *ds, revops_time now, ops_task_state *out)
{
    const revops_task_table *t = &ds->task;
    const revops_lead_table *l = &ds->lead;
    const revops_opportunity_table *o = &ds->opportunity;
    keyed *by_lead = NULL, *by_opp = NULL, *by_account = NULL;
    revops_time *first = NULL;
    revops_idmap leads = {0}, opps = {0};
    size_t nl = 0, no = 0, na = 0;
    int rc = 0;
    if (!t->n)
        return 0;
    by_lead = malloc(t->n * sizeof(*by_lead));
    by_opp = malloc(t->n * sizeof(*by_opp));
    by_account = malloc(t->n * sizeof(*by_account));
    first = malloc(t->n * sizeof(*first));
    if (!by_lead || !by_opp || !by_account || !first) {
        rc = revops_error__oom();
        goto done;
    }
    if ((rc = revops_idmap__build(&leads, l->id, l->n)) ||
        (rc = revops_idmap__build(&opps, o->id, o->n)))
        goto done;
    revops_str lead_str = 0, lost = 0;
    revops_strpool__find(&ds->strings, "lead", 4, &lead_str);
    revops_strpool__find(&ds->strings, "lost", 4, &lost);
    for (size_t i = 0; i < t->n; i++) {
        first[i] = REVOPS_NO_TIME;
        if (t->first_response_at[i] != REVOPS_NO_TIME)
            continue; /* stored: not worked out */
        if (t->entity[i] == lead_str) {
            by_lead[nl++] = (keyed){t->record_id[i], (uint32_t)i};
        } else {
            by_opp[no++] = (keyed){t->record_id[i], (uint32_t)i};
            int64_t row = revops_idmap__get(&opps, t->record_id[i]);
            if (row >= 0 && o->account_id[row])
                by_account[na++] = (keyed){o->account_id[row], (uint32_t)i};
        }
    }
    qsort(by_lead, nl, sizeof(*by_lead), by_key);
    qsort(by_opp, no, sizeof(*by_opp), by_key);
    qsort(by_account, na, sizeof(*by_account), by_key);
    const revops_activity_table *act = &ds->activity;
    for (size_t a = 0; a < act->n; a++) {
        if (act->at[a] > now)
            continue;
        offer(ds, by_lead, nl, act->lead_id[a], a, first);
        offer(ds, by_opp, no, act->opportunity_id[a], a, first);
        offer(ds, by_account, na, act->account_id[a], a, first);
    }
    for (size_t i = 0; i < t->n; i++) {
        ops_task_state *s = &out[i];
        s->exists = t->created_at[i] <= now;
        s->first_activity = s->rejected_at = s->response_at = s->closed_at = REVOPS_NO_TIME;
        s->status = OPS_TASK_OPEN;
        if (!s->exists)
            continue;
        revops_time stored = t->first_response_at[i];
        s->first_activity =
            stored != REVOPS_NO_TIME ? (stored <= now ? stored : REVOPS_NO_TIME) : first[i];
        /* A decision stored with the task stands once its time has come. */
        int status = revops_ops__task_status(ds, t->status[i]);
        revops_time closed = t->closed_at[i];
        if (status > OPS_TASK_OPEN && (closed == REVOPS_NO_TIME || closed <= now)) {
            s->status = status;
            s->closed_at = closed;
            if (status == OPS_TASK_REJECTED)
                s->rejected_at = closed;
        } else {
            revops_time rej = REVOPS_NO_TIME;
            if (t->entity[i] == lead_str) {
                int64_t row = revops_idmap__get(&leads, t->record_id[i]);
                if (row >= 0)
                    rej = l->disqualified_at[row];
            } else {
                int64_t row = revops_idmap__get(&opps, t->record_id[i]);
                if (row >= 0 && o->outcome[row] == lost && lost)
                    rej = o->closed_at[row];
            }
            if (rej != REVOPS_NO_TIME && rej >= t->created_at[i] && rej <= now)
                s->rejected_at = rej;
            if (s->first_activity != REVOPS_NO_TIME &&
                (s->rejected_at == REVOPS_NO_TIME || s->first_activity <= s->rejected_at)) {
                s->status = OPS_TASK_ACCEPTED;
                s->closed_at = s->first_activity;
            } else if (s->rejected_at != REVOPS_NO_TIME) {
                s->status = OPS_TASK_REJECTED;
                s->closed_at = s->rejected_at;
            }
        }
        s->response_at = s->first_activity;
        if (s->rejected_at != REVOPS_NO_TIME &&
            (s->response_at == REVOPS_NO_TIME || s->rejected_at < s->response_at))
            s->response_at = s->rejected_at;
        /* Accepting a task answers it too: a stored acceptance stops the clock when nothing
         * did before. */
        if (s->status == OPS_TASK_ACCEPTED && s->closed_at != REVOPS_NO_TIME &&
            (s->response_at == REVOPS_NO_TIME || s->closed_at < s->response_at))
            s->response_at = s->closed_at;
    }
done:
    free(by_lead);
    free(by_opp);
    free(by_account);
    free(first);
    revops_idmap__free(&leads);
    revops_idmap__free(&opps);
    return rc;
}
