/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lifecycle run on a store (one transaction: load, run, write what changed), and its
 * result as JSON and text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "ops/lifecycle_internal.h"
#include "ops/ops.h"
#include "store/store.h"

static int put_row(revops_store *store, const revops_dataset *ds, int e, size_t row)
{
    revops_value v[REVOPS_MAX_FIELDS];
    revops_upsert_result res;
    revops_ops__row(ds, e, row, v);
    return revops_store__upsert(store, e, v, &res);
}

static int put_flagged(revops_store *store, const revops_dataset *ds, int e, const uint8_t *flags,
                       size_t cap)
{
    size_t n = revops_dataset_rows(ds, (size_t)e);
    int rc = 0;
    for (size_t i = 0; i < n && i < cap && !rc; i++)
        if (flags[i])
            rc = put_row(store, ds, e, i);
    return rc;
}

static int put_from(revops_store *store, const revops_dataset *ds, int e, size_t first)
{
    size_t n = revops_dataset_rows(ds, (size_t)e);
    int rc = 0;
    for (size_t i = first; i < n && !rc; i++)
        rc = put_row(store, ds, e, i);
    return rc;
}

/* Writes what the run changed and added. */
static int write_run(revops_store *store, const revops_dataset *ds, const lc_run *lc)
{
    int rc = put_flagged(store, ds, REVOPS_ENTITY_LEAD, lc->dirty_leads, lc->dirty_leads_cap);
    if (!rc)
        rc = put_flagged(store, ds, REVOPS_ENTITY_OPPORTUNITY, lc->dirty_opps, lc->dirty_opps_cap);
    if (!rc)
        rc = put_from(store, ds, REVOPS_ENTITY_STAGE_CHANGE, lc->first_stage_change_row);
    if (!rc)
        rc = put_from(store, ds, REVOPS_ENTITY_LIFECYCLE_CHANGE, lc->first_change_row);
    if (!rc)
        rc = put_flagged(store, ds, REVOPS_ENTITY_TASK, lc->dirty_tasks, lc->dirty_tasks_cap);
    if (!rc)
        rc = put_from(store, ds, REVOPS_ENTITY_TASK, lc->first_new_task);
    return rc;
}

int revops_lifecycle_run_store(revops_lifecycle_run **out, revops_store *store,
                               const revops_config *cfg, const revops_lifecycle_options *opts)
{
    *out = NULL;
    revops_lifecycle_options def = REVOPS_LIFECYCLE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    revops_dataset *ds = NULL;
    revops_lifecycle_run *r = NULL;
    int in_tx = 0;
    int rc = 0;
    if (!opts->dry_run) {
        if ((rc = revops_store__begin(store, 0)))
            return rc;
        in_tx = 1;
    }
    if ((rc = revops_dataset_load_store(&ds, store, NULL, NULL)) ||
        (rc = revops_lifecycle_apply(&r, ds, cfg, opts)))
        goto done;
    if (in_tx) {
        const lc_run *lc = (const lc_run *)r;
        if ((rc = write_run(store, ds, lc)))
            goto done;
        rc = revops_store__commit(store);
        in_tx = 0;
        if (rc)
            goto done;
        r->stored = r->nchanges || r->ncreated || r->nupdated;
    }
done:
    if (in_tx) {
        revops_error saved = *revops_error_last();
        revops_store__rollback(store);
        revops_error__restore(&saved);
    }
    if (rc) {
        revops_lifecycle_run_free(r);
        revops_dataset_free(ds);
        return rc;
    }
    r->owned = ds;
    *out = r;
    return 0;
}

/* ---- output ---- */

static void str_or_null(revops_json *j, const char *key, const char *s)
{
    revops_json_key(j, key);
    if (s)
        revops_json_string(j, s);
    else
        revops_json_null(j);
}

static void time_or_null(revops_json *j, const char *key, revops_time t)
{
    revops_json_key(j, key);
    if (t == REVOPS_NO_TIME) {
        revops_json_null(j);
        return;
    }
    char buf[REVOPS_TIME_TEXT_MAX];
    revops_time_format(t, buf);
    revops_json_string(j, buf);
}

static void task_json(revops_json *j, const revops_lifecycle_task *t)
{
    revops_json_begin_object(j);
    str_or_null(j, "id", t->id);
    str_or_null(j, "handoff", t->handoff);
    str_or_null(j, "entity", t->entity);
    str_or_null(j, "record", t->record);
    str_or_null(j, "owner", t->owner);
    time_or_null(j, "created_at", t->created_at);
    time_or_null(j, "due_at", t->due_at);
    str_or_null(j, "status", t->status);
    time_or_null(j, "first_response_at", t->first_response_at);
    time_or_null(j, "closed_at", t->closed_at);
    revops_json_end_object(j);
}

static size_t listed(size_t n, size_t top)
{
    return top && top < n ? top : n;
}

int revops_lifecycle_run_write_json(const revops_lifecycle_run *r, const revops_config *cfg,
                                    size_t top, revops_json *j)
{
    revops_json_begin_object(j);
    time_or_null(j, "now", r->now);
    revops_json_key(j, "dry_run");
    revops_json_bool(j, r->dry_run);
    revops_json_key(j, "stored");
    revops_json_bool(j, r->stored);
    revops_json_key(j, "leads");
    revops_json_int(j, (int64_t)r->leads);
    revops_json_key(j, "opportunities");
    revops_json_int(j, (int64_t)r->opportunities);
    revops_json_key(j, "transitions");
    revops_json_begin_array(j);
    for (size_t k = 0; k < cfg->ntransitions; k++) {
        revops_json_begin_object(j);
        str_or_null(j, "name", cfg->transitions[k].name);
        str_or_null(j, "entity", revops_entity_at(cfg->transitions[k].entity)->name);
        revops_json_key(j, "changes");
        revops_json_int(j, (int64_t)r->by_transition[k]);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_key(j, "handoffs");
    revops_json_begin_array(j);
    for (size_t k = 0; k < cfg->nhandoffs; k++) {
        revops_json_begin_object(j);
        str_or_null(j, "name", cfg->handoffs[k].name);
        revops_json_key(j, "tasks_created");
        revops_json_int(j, (int64_t)r->by_handoff[k]);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_key(j, "changes_total");
    revops_json_int(j, (int64_t)r->nchanges);
    revops_json_key(j, "changes");
    revops_json_begin_array(j);
    for (size_t i = 0; i < listed(r->nchanges, top); i++) {
        const revops_lifecycle_change *c = &r->changes[i];
        revops_json_begin_object(j);
        str_or_null(j, "id", c->id);
        str_or_null(j, "entity", c->entity);
        str_or_null(j, "record", c->record);
        str_or_null(j, "from", c->from);
        str_or_null(j, "to", c->to);
        str_or_null(j, "rule", c->rule);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_key(j, "tasks_created_total");
    revops_json_int(j, (int64_t)r->ncreated);
    revops_json_key(j, "tasks_created");
    revops_json_begin_array(j);
    for (size_t i = 0; i < listed(r->ncreated, top); i++)
        task_json(j, &r->created[i]);
    revops_json_end_array(j);
    revops_json_key(j, "tasks_updated_total");
    revops_json_int(j, (int64_t)r->nupdated);
    revops_json_key(j, "tasks_updated");
    revops_json_begin_array(j);
    for (size_t i = 0; i < listed(r->nupdated, top); i++)
        task_json(j, &r->updated[i]);
    revops_json_end_array(j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0 : revops_error__set(REVOPS_ENOMEM, "writing the run");
}

static void task_line(FILE *fp, const revops_lifecycle_task *t)
{
    char created[REVOPS_TIME_TEXT_MAX], due[REVOPS_TIME_TEXT_MAX], when[REVOPS_TIME_TEXT_MAX];
    revops_time_format(t->created_at, created);
    if (t->due_at != REVOPS_NO_TIME)
        revops_time_format(t->due_at, due);
    else
        snprintf(due, sizeof(due), "-");
    fprintf(fp, "  %-8s %-26s %-11s %-8s owner %-6s clock %s due %s, %s", t->id, t->handoff,
            t->entity, t->record, t->owner ? t->owner : "-", created, due, t->status);
    if (t->closed_at != REVOPS_NO_TIME) {
        revops_time_format(t->closed_at, when);
        fprintf(fp, " %s", when);
    }
    if (t->first_response_at != REVOPS_NO_TIME) {
        revops_time_format(t->first_response_at, when);
        fprintf(fp, ", first response %s", when);
    }
    fputc('\n', fp);
}

int revops_lifecycle_run_write_text(const revops_lifecycle_run *r, const revops_config *cfg,
                                    size_t top, FILE *fp)
{
    char now[REVOPS_TIME_TEXT_MAX];
    revops_time_format(r->now, now);
    fprintf(fp,
            "Lifecycle run as of %s: %zu leads and %zu opportunities; %zu stage changes, %zu "
            "handoff tasks created, %zu updated (%s)\n",
            now, r->leads, r->opportunities, r->nchanges, r->ncreated, r->nupdated,
            r->dry_run  ? "dry run: nothing written"
            : r->stored ? "stored"
                        : "nothing to store");
    if (cfg->ntransitions)
        fputs("\nTransitions (changes):\n", fp);
    for (size_t k = 0; k < cfg->ntransitions; k++) {
        const revops_config_transition *t = &cfg->transitions[k];
        fprintf(fp, "  %-26s %-11s to %-14s %6zu\n", t->name, revops_entity_at(t->entity)->name,
                t->entity == REVOPS_ENTITY_LEAD ? revops_values_lead_stage[t->to]
                                                : cfg->stages.items[t->to].name,
                r->by_transition[k]);
    }
    if (cfg->nhandoffs)
        fputs("\nHandoffs (tasks created):\n", fp);
    for (size_t k = 0; k < cfg->nhandoffs; k++) {
        const revops_config_handoff *h = &cfg->handoffs[k];
        char what[160];
        snprintf(what, sizeof(what), "%s at %s, %s -> %s", revops_entity_at(h->entity)->name,
                 h->entity == REVOPS_ENTITY_LEAD ? revops_values_lead_stage[h->stage]
                                                 : cfg->stages.items[h->stage].name,
                 revops_department_name(h->from), revops_department_name(h->to));
        fprintf(fp, "  %-26s %-55s %6zu\n", h->name, what, r->by_handoff[k]);
    }
    if (r->nchanges)
        fputs("\nChanges:\n", fp);
    for (size_t i = 0; i < listed(r->nchanges, top); i++) {
        const revops_lifecycle_change *c = &r->changes[i];
        fprintf(fp, "  %-8s %-11s %-8s %s -> %s  (%s)\n", c->id, c->entity, c->record,
                c->from ? c->from : "-", c->to, c->rule);
    }
    if (listed(r->nchanges, top) < r->nchanges)
        fprintf(fp, "  ... %zu more (--top 0 lists them all)\n",
                r->nchanges - listed(r->nchanges, top));
    if (r->ncreated)
        fputs("\nTasks created:\n", fp);
    for (size_t i = 0; i < listed(r->ncreated, top); i++)
        task_line(fp, &r->created[i]);
    if (listed(r->ncreated, top) < r->ncreated)
        fprintf(fp, "  ... %zu more\n", r->ncreated - listed(r->ncreated, top));
    if (r->nupdated)
        fputs("\nTasks updated:\n", fp);
    for (size_t i = 0; i < listed(r->nupdated, top); i++)
        task_line(fp, &r->updated[i]);
    if (listed(r->nupdated, top) < r->nupdated)
        fprintf(fp, "  ... %zu more\n", r->nupdated - listed(r->nupdated, top));
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the run failed") : 0;
}
