/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task list (docs/lifecycle.md "The task list"): the handoff tasks that match a filter, as
 * they stood at a moment, the most urgent first. A task's state is the one the lifecycle run
 * and the SLA report work out (tasks.h); its due time is its due_at.
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "ops/ops.h"
#include "ops/tasks.h"
#include "report/tree.h"
#include "revops/lifecycle.h"

struct revops_task_list {
    revops_rt *rt;
    size_t matched;
};

typedef struct listed {
    uint32_t row;
    int status;
    revops_time due, closed;
    const char *id;
} listed;

/* Open first, by due time (none last); then decided, the latest decision first; then id. */
static int compare_listed(const void *pa, const void *pb)
{
    const listed *a = pa, *b = pb;
    int ao = a->status == OPS_TASK_OPEN, bo = b->status == OPS_TASK_OPEN;
    if (ao != bo)
        return ao ? -1 : 1;
    if (ao) {
        if (a->due != b->due) {
            if (a->due == REVOPS_NO_TIME || b->due == REVOPS_NO_TIME)
                return a->due == REVOPS_NO_TIME ? 1 : -1;
            return a->due < b->due ? -1 : 1;
        }
    } else if (a->closed != b->closed) {
        return a->closed > b->closed ? -1 : 1;
    }
    return strcmp(a->id, b->id);
}

/* OPS_TASK_* of a status name (the model's names, in that order), -1 for "all". */
static int status_wanted(const char *status, int *out)
{
    *out = OPS_TASK_OPEN;
    if (!status)
        return 0;
    if (strcmp(status, "all") == 0) {
        *out = -1;
        return 0;
    }
    for (int i = 0; revops_values_task_status[i]; i++) {
        if (strcmp(status, revops_values_task_status[i]) == 0) {
            *out = i;
            return 0;
        }
    }
    return revops_error__set(REVOPS_EINVALID,
                             "task status '%s' is not open, accepted, rejected or all", status);
}

/* The string id of a filter's text; 0 when the data hold no such text (nothing matches). */
static int filter_id(const revops_dataset *ds, const char *text, revops_str *out)
{
    *out = 0;
    if (!text)
        return 0;
    if (revops_strpool__find(&ds->strings, text, strlen(text), out))
        *out = 0;
    return 1;
}

static const char *str_or_null(const revops_dataset *ds, revops_str s)
{
    return s ? revops_dataset__str(ds, s) : NULL;
}

static void cell_text_or_null(revops_rt_table *t, const char *s)
{
    if (s)
        revops_rt__cell_text(t, s);
    else
        revops_rt__cell_null(t);
}

static void cell_time(revops_rt_table *t, revops_time at)
{
    if (at == REVOPS_NO_TIME) {
        revops_rt__cell_null(t);
        return;
    }
    char text[REVOPS_TIME_TEXT_MAX];
    revops_time_format(at, text);
    revops_rt__cell_text(t, text);
}

static void write_rows(revops_rt_node *root, const revops_dataset *ds, const listed *items,
                       size_t n, const ops_task_state *states, revops_time now)
{
    static const revops_rt_column cols[] = {
        {"id", "task", REVOPS_RT_TEXT, 0, 0},
        {"handoff", "handoff", REVOPS_RT_TEXT, 0, 0},
        {"entity", "entity", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"record", "record", REVOPS_RT_TEXT, 0, 0},
        {"owner", "owner", REVOPS_RT_TEXT, 0, 0},
        {"team", "team", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"status", "status", REVOPS_RT_TEXT, 0, 0},
        {"created_at", "created", REVOPS_RT_TEXT, 0, 0},
        {"due_at", "due", REVOPS_RT_TEXT, 0, 0},
        {"overdue", "overdue", REVOPS_RT_TEXT, 0, REVOPS_RT_TEXT_ONLY},
        {"overdue_minutes", "overdue min", REVOPS_RT_NUMBER, 0, REVOPS_RT_DATA_ONLY},
        {"response_at", "response", REVOPS_RT_TEXT, 0, REVOPS_RT_DATA_ONLY},
        {"closed_at", "decided", REVOPS_RT_TEXT, 0, 0},
        {"decided_by", "by", REVOPS_RT_TEXT, 0, 0},
        {"reason", "reason", REVOPS_RT_TEXT, 0, 0},
    };
    revops_rt_table *t =
        revops_rt__table(root, "tasks", "Tasks", cols, sizeof(cols) / sizeof(cols[0]));
    const revops_task_table *tk = &ds->task;
    for (size_t k = 0; k < n; k++) {
        size_t i = items[k].row;
        const ops_task_state *s = &states[i];
        revops_rt__row(t);
        revops_rt__cell_text(t, revops_dataset__str(ds, tk->id[i]));
        revops_rt__cell_text(t, revops_dataset__str(ds, tk->handoff[i]));
        revops_rt__cell_text(t, revops_dataset__str(ds, tk->entity[i]));
        revops_rt__cell_text(t, revops_dataset__str(ds, tk->record_id[i]));
        cell_text_or_null(t, str_or_null(ds, tk->owner_id[i]));
        cell_text_or_null(t, str_or_null(ds, tk->team_id[i]));
        revops_rt__cell_text(t, revops_values_task_status[s->status]);
        cell_time(t, tk->created_at[i]);
        cell_time(t, items[k].due);
        /* Overdue: an open task whose due time has passed, in whole minutes. */
        if (s->status == OPS_TASK_OPEN && items[k].due != REVOPS_NO_TIME && now > items[k].due) {
            double minutes = (double)((now - items[k].due) / 60);
            char span[48];
            revops_rt__cell_text(t, revops_ops__span(minutes, span, sizeof(span)));
            revops_rt__cell_number(t, minutes);
        } else {
            revops_rt__cell_null(t);
            revops_rt__cell_null(t);
        }
        cell_time(t, s->response_at);
        cell_time(t, s->closed_at);
        int decided = s->status != OPS_TASK_OPEN && tk->closed_at[i] != REVOPS_NO_TIME &&
                      tk->closed_at[i] <= now;
        cell_text_or_null(t, decided ? str_or_null(ds, tk->decided_by[i]) : NULL);
        cell_text_or_null(t, decided ? str_or_null(ds, tk->reason[i]) : NULL);
    }
}

int revops_task_list_compute(revops_task_list **out, const revops_dataset *ds,
                             const revops_task_list_options *opts)
{
    *out = NULL;
    revops_task_list_options def = REVOPS_TASK_LIST_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    int want = OPS_TASK_OPEN;
    int rc = status_wanted(opts->status, &want);
    if (rc)
        return rc;
    revops_time now = opts->now;
    if (now == REVOPS_NO_TIME) {
        revops_day first, latest;
        revops_dataset__event_days(ds, &first, &latest);
        now = latest == REVOPS_NO_DAY ? 0 : revops_day_time(latest) + 86399;
    }
    revops_str owner, team, handoff;
    int by_owner = filter_id(ds, opts->owner, &owner);
    int by_team = filter_id(ds, opts->team, &team);
    int by_handoff = filter_id(ds, opts->handoff, &handoff);
    const revops_task_table *tk = &ds->task;
    ops_task_state *states = malloc((tk->n ? tk->n : 1) * sizeof(*states));
    listed *items = malloc((tk->n ? tk->n : 1) * sizeof(*items));
    revops_task_list *l = calloc(1, sizeof(*l));
    if (!states || !items || !l) {
        rc = revops_error__oom();
        goto done;
    }
    if ((rc = revops_ops__task_states(ds, now, states)) || (rc = revops_rt__new(&l->rt, "", 0)))
        goto done;
    size_t n = 0;
    for (size_t i = 0; i < tk->n; i++) {
        const ops_task_state *s = &states[i];
        if (!s->exists || (want >= 0 && s->status != want))
            continue;
        if ((by_owner && tk->owner_id[i] != owner) || (by_team && tk->team_id[i] != team) ||
            (by_handoff && tk->handoff[i] != handoff))
            continue;
        revops_time due = tk->due_at[i];
        if (opts->overdue && !(s->status == OPS_TASK_OPEN && due != REVOPS_NO_TIME && now > due))
            continue;
        items[n++] =
            (listed){(uint32_t)i, s->status, due, s->closed_at, revops_dataset__str(ds, tk->id[i])};
    }
    qsort(items, n, sizeof(*items), compare_listed);
    l->matched = n;
    size_t shown = opts->top && opts->top < n ? opts->top : n;
    revops_rt_node *root = revops_rt__root(l->rt);
    char text[REVOPS_TIME_TEXT_MAX];
    revops_time_format(now, text);
    revops_rt__text(root, "now", "As of", text);
    revops_rt__text(root, "status", "Status", want < 0 ? "all" : revops_values_task_status[want]);
    revops_rt__count(root, "matched", "Tasks", (int64_t)n);
    revops_rt__count(root, "listed", "Listed", (int64_t)shown);
    write_rows(root, ds, items, shown, states, now);
    rc = revops_rt__error(l->rt);
done:
    free(states);
    free(items);
    if (rc) {
        revops_task_list_free(l);
        return rc;
    }
    *out = l;
    return 0;
}

void revops_task_list_free(revops_task_list *l)
{
    if (!l)
        return;
    revops_rt__free(l->rt);
    free(l);
}

size_t revops_task_list_count(const revops_task_list *l)
{
    return l->matched;
}

int revops_task_list_write_json(const revops_task_list *l, revops_json *j)
{
    return revops_rt__write_json(l->rt, j);
}

int revops_task_list_write_text(const revops_task_list *l, FILE *fp)
{
    return revops_rt__write_text(l->rt, fp);
}
