/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The router's inside, shared by routing.c (the model), route_input.c (a lead as JSON) and
 * route_store.c (batch routing on a store).
 */
#ifndef REVOPS_OPS_ROUTING_INTERNAL_H
#define REVOPS_OPS_ROUTING_INTERNAL_H

#include "model/dataset.h"
#include "model/idmap.h"
#include "ops/ops.h"
#include "revops/criteria.h"
#include "revops/routing.h"

#define ROLE_BY_STAGE (-1) /* the owner role of the lead's stage */
#define ROLE_ANY (-2)

/* What the router keeps of each rep (by rep row). */
typedef struct rrep {
    int role;   /* index of revops_values_role; -1 when empty */
    int active; /* 0 only when `active` is false */
    revops_time hired;
    int64_t capacity;            /* -1 when not set */
    int64_t open;                /* open leads as of now, plus the batch's assignments */
    revops_str region;           /* folded; 0 when empty */
    uint32_t first_spec, nspecs; /* folded specializations in router.specs */
    unsigned tiers;              /* bit s: segment s (smb 0, mid 1, enterprise 2) */
    uint32_t settled, won;       /* leads settled in the window, and won */
} rrep;

struct revops_router {
    revops_dataset *ds;
    const revops_config *cfg;
    revops_time now;
    int method;
    int role; /* a role index, ROLE_BY_STAGE or ROLE_ANY */
    revops_criteria_env env;
    revops_str lead_stage[OPS_LEAD_STAGES];
    revops_idmap rep_by_id, lead_by_id;
    rrep *reps;
    size_t nreps;
    revops_str *specs;
    size_t nspecs;
    revops_str last_rr; /* the rep routing gave the last lead; 0 when none */
};

/* Routes lead row `row`; `sort` orders the candidates for an explanation. */
int revops_router__route_row(revops_router *r, size_t row, int sort, revops_route_decision **out);

#endif
