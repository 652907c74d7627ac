/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Batch routing on a store: load, route every unassigned lead, write the owners and the change
 * log, all inside one write transaction, so a failure leaves the store as it was and nothing
 * can change between what was read and what is written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "ops/routing_internal.h"
#include "store/store.h"

/* Writes one assignment: the lead's row with its new owner, and the change-log row. */
static int store_assignment(revops_store *store, revops_router *r, const revops_route_assignment *a,
                            uint64_t change_number)
{
    revops_dataset *ds = r->ds;
    revops_str id;
    int64_t row = -1;
    if (revops_strpool__find(&ds->strings, a->lead, strlen(a->lead), &id) == 0)
        row = revops_idmap__get(&r->lead_by_id, id);
    if (row < 0)
        return revops_error__set(REVOPS_EINTERNAL, "routing lost lead %s", a->lead);
    revops_value v[REVOPS_MAX_FIELDS];
    revops_upsert_result res;
    revops_ops__row(ds, REVOPS_ENTITY_LEAD, (size_t)row, v);
    v[REVOPS_F_lead_owner_id] = revops_ops__text(a->chosen);
    int rc = revops_store__upsert(store, REVOPS_ENTITY_LEAD, v, &res);
    if (rc)
        return rc;
    char change_id[32], rule[32];
    snprintf(change_id, sizeof(change_id), "LC-%llu", (unsigned long long)change_number);
    snprintf(rule, sizeof(rule), "routing:%s", revops_routing_method_name(r->method));
    memset(v, 0, sizeof(v));
    v[REVOPS_F_lifecycle_change_id] = revops_ops__text(change_id);
    v[REVOPS_F_lifecycle_change_at] = (revops_value){1, r->now, 0, NULL, 0};
    v[REVOPS_F_lifecycle_change_entity] = revops_ops__text("lead");
    v[REVOPS_F_lifecycle_change_record_id] = revops_ops__text(a->lead);
    v[REVOPS_F_lifecycle_change_attribute] = revops_ops__text("owner_id");
    v[REVOPS_F_lifecycle_change_to_value] = revops_ops__text(a->chosen);
    v[REVOPS_F_lifecycle_change_rule] = revops_ops__text(rule);
    return revops_store__upsert(store, REVOPS_ENTITY_LIFECYCLE_CHANGE, v, &res);
}

static int append_lead(void *ctx, const revops_value *row)
{
    revops_router *r = ctx;
    return revops_dataset__append(r->ds, REVOPS_ENTITY_LEAD, row);
}

int revops_router_route_stored(revops_router *r, revops_store *store, const char *lead,
                               revops_route_decision **out)
{
    *out = NULL;
    int rc = revops_store__get(store, REVOPS_ENTITY_LEAD, lead, strlen(lead), append_lead, r);
    if (rc)
        return rc;
    /* The lead may use a stage no lead of the router's data has: look the stages up again. */
    revops_ops__value_ids(r->ds, revops_values_lead_stage, r->lead_stage, OPS_LEAD_STAGES);
    rc = revops_router__route_row(r, r->ds->lead.n - 1, 1, out);
    revops_dataset__drop_last(r->ds, REVOPS_ENTITY_LEAD);
    return rc;
}

int revops_route_unassigned(revops_route_batch **out, revops_store *store, const revops_config *cfg,
                            const revops_route_batch_options *opts)
{
    *out = NULL;
    revops_route_batch_options def = REVOPS_ROUTE_BATCH_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    revops_dataset *ds = NULL;
    revops_router *r = NULL;
    revops_route_batch *b = NULL;
    int in_tx = 0;
    int rc = 0;
    if (!opts->dry_run) {
        if ((rc = revops_store__begin(store, 0)))
            return rc;
        in_tx = 1;
    }
    if ((rc = revops_dataset_load_store(&ds, store, NULL, NULL)) ||
        (rc = revops_router_new(&r, ds, cfg, &opts->route)) ||
        (rc = revops_router_route_unassigned(r, &b)))
        goto done;
    if (!opts->dry_run && b->routed) {
        uint64_t next = revops_ops__next_number(ds, REVOPS_ENTITY_LIFECYCLE_CHANGE, "LC-");
        for (size_t i = 0; i < b->nassignments && !rc; i++)
            if (b->assignments[i].chosen)
                rc = store_assignment(store, r, &b->assignments[i], next++);
        if (rc)
            goto done;
    }
    if (in_tx) {
        rc = revops_store__commit(store);
        in_tx = 0;
        if (rc)
            goto done;
        b->stored = b->routed > 0;
    }
done:
    if (in_tx) {
        revops_error saved = *revops_error_last();
        revops_store__rollback(store);
        revops_error__restore(&saved);
    }
    revops_router_free(r);
    if (rc) {
        revops_route_batch_free(b);
        revops_dataset_free(ds);
        return rc;
    }
    b->owned = ds;
    *out = b;
    return 0;
}
