/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A handoff task accepted or rejected by hand (docs/lifecycle.md "Deciding by hand"): one task
 * read, checked and written back in one transaction, without loading the rest of the store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/dataset.h"
#include "ops/ops.h"
#include "revops/lifecycle.h"
#include "store/store.h"

/* A row of the store, its texts copied out of the store's buffers. */
typedef struct task_row {
    revops_value v[REVOPS_MAX_FIELDS];
    char *texts;
} task_row;

static int copy_row(void *ctx, const revops_value *row)
{
    task_row *t = ctx;
    const revops_entity_def *def = revops_entity_at(REVOPS_ENTITY_TASK);
    size_t total = 1;
    for (size_t f = 0; f < def->nfields; f++)
        if (row[f].present && revops_field__is_text(def->fields[f].type))
            total += row[f].len + 1;
    t->texts = malloc(total);
    if (!t->texts)
        return revops_error__oom();
    char *at = t->texts;
    for (size_t f = 0; f < def->nfields; f++) {
        t->v[f] = row[f];
        if (row[f].present && revops_field__is_text(def->fields[f].type)) {
            memcpy(at, row[f].s, row[f].len);
            at[row[f].len] = '\0';
            t->v[f].s = at;
            at += row[f].len + 1;
        }
    }
    return 0;
}

static int exists(void *ctx, const revops_value *row)
{
    (void)ctx;
    (void)row;
    return 0;
}

/* A reason is one line of text a report can show: no control characters. */
static int check_reason(const char *reason, revops_task_decision decision)
{
    if (!reason || !*reason) {
        if (decision == REVOPS_TASK_REJECT)
            return revops_error__set(REVOPS_EINVALID,
                                     "a rejection needs a reason: say why the handoff is turned "
                                     "down");
        return 0;
    }
    size_t len = strlen(reason);
    if (len > REVOPS_TASK_REASON_MAX)
        return revops_error__set(REVOPS_EINVALID, "the reason is %zu bytes; at most %d are kept",
                                 len, REVOPS_TASK_REASON_MAX);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
            return revops_error__set(REVOPS_EINVALID,
                                     "the reason has a control character at byte %zu: give one "
                                     "line of text",
                                     i + 1);
    return 0;
}

static void copy_text(char *out, size_t cap, const revops_value *v)
{
    snprintf(out, cap, "%.*s", v->present ? (int)v->len : 0, v->present ? v->s : "");
}

/* The task may be decided: it is open, and `now` is not before its creation. */
static int check_task(const task_row *t, const char *id, revops_time now)
{
    const revops_value *status = &t->v[REVOPS_F_task_status];
    if (status->present && !(status->len == 4 && memcmp(status->s, "open", 4) == 0)) {
        char when[REVOPS_TIME_TEXT_MAX] = "an unknown time";
        if (t->v[REVOPS_F_task_closed_at].present)
            revops_time_format(t->v[REVOPS_F_task_closed_at].i, when);
        const revops_value *by = &t->v[REVOPS_F_task_decided_by];
        return revops_error__set(REVOPS_ECONFLICT,
                                 "task %s was %.*s already, at %s%s%.*s; a decision is final", id,
                                 (int)status->len, status->s, when, by->present ? " by " : "",
                                 by->present ? (int)by->len : 0, by->present ? by->s : "");
    }
    revops_time created = t->v[REVOPS_F_task_created_at].i;
    if (now < created) {
        char a[REVOPS_TIME_TEXT_MAX], b[REVOPS_TIME_TEXT_MAX];
        revops_time_format(now, a);
        revops_time_format(created, b);
        return revops_error__set(REVOPS_EINVALID, "task %s was created at %s, after %s", id, b, a);
    }
    return 0;
}

int revops_task_decide(revops_task_decided *out, revops_store *store, const char *id,
                       revops_task_decision decision, const revops_task_decide_options *opts)
{
    revops_task_decide_options def = REVOPS_TASK_DECIDE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    if (out)
        memset(out, 0, sizeof(*out));
    if (!id || !*id)
        return revops_error__set(REVOPS_EINVALID, "no task id given");
    if (opts->now == REVOPS_NO_TIME)
        return revops_error__set(REVOPS_EINVALID, "the time of the decision is needed");
    if (decision != REVOPS_TASK_ACCEPT && decision != REVOPS_TASK_REJECT)
        return revops_error__set(REVOPS_EINVALID, "a task is accepted or rejected");
    int rc = check_reason(opts->reason, decision);
    if (rc)
        return rc;
    task_row t;
    memset(&t, 0, sizeof(t));
    /* The write lock is taken before the read, so that no one decides the task in between. */
    if ((rc = revops_store__begin(store, 0)))
        return rc;
    rc = revops_store__get(store, REVOPS_ENTITY_TASK, id, strlen(id), copy_row, &t);
    if (rc == REVOPS_ENOTFOUND)
        rc = revops_error__set(REVOPS_ENOTFOUND, "no task %s in the store", id);
    if (!rc && opts->by && *opts->by) {
        rc = revops_store__get(store, REVOPS_ENTITY_REP, opts->by, strlen(opts->by), exists, NULL);
        if (rc == REVOPS_ENOTFOUND)
            rc = revops_error__set(REVOPS_ENOTFOUND, "no rep %s in the store", opts->by);
    }
    if (!rc)
        rc = check_task(&t, id, opts->now);
    if (!rc) {
        const char *status = decision == REVOPS_TASK_ACCEPT ? "accepted" : "rejected";
        t.v[REVOPS_F_task_status] = revops_ops__text(status);
        t.v[REVOPS_F_task_closed_at] = (revops_value){1, opts->now, 0, NULL, 0};
        t.v[REVOPS_F_task_decided_by] = revops_ops__text(opts->by);
        t.v[REVOPS_F_task_reason] = revops_ops__text(opts->reason);
        revops_upsert_result res;
        rc = revops_store__upsert(store, REVOPS_ENTITY_TASK, t.v, &res);
    }
    if (!rc)
        rc = revops_store__commit(store);
    else
        revops_store__rollback(store);
    if (!rc && out) {
        copy_text(out->handoff, sizeof(out->handoff), &t.v[REVOPS_F_task_handoff]);
        copy_text(out->entity, sizeof(out->entity), &t.v[REVOPS_F_task_entity]);
        copy_text(out->record, sizeof(out->record), &t.v[REVOPS_F_task_record_id]);
        copy_text(out->owner, sizeof(out->owner), &t.v[REVOPS_F_task_owner_id]);
        out->created_at = t.v[REVOPS_F_task_created_at].i;
        out->due_at =
            t.v[REVOPS_F_task_due_at].present ? t.v[REVOPS_F_task_due_at].i : REVOPS_NO_TIME;
    }
    free(t.texts);
    return rc;
}
