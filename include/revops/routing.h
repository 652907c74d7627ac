/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lead routing (docs/routing.md, docs/metrics.md "Routing"): which rep a lead should go to,
 * and why. The weighted model scores every eligible candidate by five factors in [0, 1]
 * (geographic, expertise, workload, tier, performance) with the configured weights; round
 * robin takes the eligible reps in turn. Only active reps with spare capacity are eligible;
 * ties go to fewer open leads, then the smaller rep id. Every decision lists every
 * candidate's factors, whether it was eligible, and the reason for the choice.
 *
 * A router is built once from a dataset (reps, their open leads and conversion) and then
 * routes any number of leads; in a batch it counts each assignment in the rep's workload
 * before the next lead, so capacity holds across the batch.
 */
#ifndef REVOPS_ROUTING_H
#define REVOPS_ROUTING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/common.h"
#include "revops/config.h"
#include "revops/dataset.h"
#include "revops/date.h"
#include "revops/json.h"
#include "revops/store.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_router revops_router;

typedef struct revops_route_options {
    /* The moment routing counts as now: workloads and conversion are as of it, and a JSON
     * lead without created_at is created then. REVOPS_NO_TIME: the end of the data's latest
     * event day (the library never reads the clock; the program passes the present). */
    revops_time now;
    /* What the exchange rates convert into (for the tier criteria); NULL: the
     * configuration's currency, else the data's only currency without rates. */
    const char *currency;
    /* The candidates' role ("sdr", "ae", ...; "any" for every rep); NULL: the owner role of
     * the lead's stage in the configuration's lead_stages. */
    const char *role;
    /* -1: the configuration's method; else a revops_routing_method. */
    int method;
} revops_route_options;

#define REVOPS_ROUTE_OPTIONS_INIT                                                                  \
    {                                                                                              \
        INT64_MIN, NULL, NULL, -1                                                                  \
    }

typedef struct revops_route_factors {
    double geographic;  /* 1 when the lead's region is the rep's */
    double expertise;   /* 1 when the lead's industry is among the rep's specializations */
    double workload;    /* 1 - open leads / capacity */
    double tier;        /* 1 when the lead's tier is among the rep's tiers */
    double performance; /* the rep's lead-to-won conversion, min-max scaled over the eligible */
} revops_route_factors;

/* One candidate of a decision. Texts are borrowed from the dataset or static. NaN marks a
 * value that does not exist: the workload of a rep without capacity, the conversion of a rep
 * without settled leads, the performance and score of a rep that is not eligible. */
typedef struct revops_route_candidate {
    const char *rep;
    const char *name;
    const char *team; /* team id; NULL when none */
    int eligible;
    const char *not_eligible; /* why not ("inactive", "at capacity"...); NULL when eligible */
    int64_t open_leads;       /* as of now, not counting the lead being routed */
    int64_t capacity;         /* -1 when not set */
    double conversion;        /* won / settled leads in the window */
    uint32_t settled, won;
    revops_route_factors factors;
    double score;
} revops_route_candidate;

/* A routing decision with its explanation. The caller frees it with
 * revops_route_decision_free(). */
typedef struct revops_route_decision {
    const char *lead;     /* the lead's id; "(input)" for a JSON lead without one */
    const char *stage;    /* its stage */
    const char *region;   /* NULL when empty */
    const char *industry; /* NULL when empty */
    const char *tier;     /* smb / mid / enterprise; NULL when the lead has none */
    const char *owner;    /* the lead's owner before routing; NULL when unassigned */
    const char *role;     /* the candidates' role, or "any" */
    int method;           /* revops_routing_method used */
    revops_time now;
    const char *chosen; /* the rep; NULL when no candidate is eligible */
    double score;       /* the chosen rep's score (NaN when none chosen) */
    char reason[320];
    /* Eligible candidates best first (score, then fewer open leads, then id), then the
     * others by id. */
    revops_route_candidate *candidates;
    size_t ncandidates, neligible;
} revops_route_decision;

/*
 * Builds a router over `ds` and `cfg` (both must outlive it; names are borrowed): every rep's
 * open leads and conversion as of opts->now. `ds` is not changed, except that routing a JSON
 * lead appends it to the lead table for the time of the call. `opts` may be NULL. Errors:
 * REVOPS_EINVALID for a bad option (an unknown role, a bad currency, no "now" in empty data).
 * The caller frees *out with revops_router_free().
 */
int revops_router_new(revops_router **out, revops_dataset *ds, const revops_config *cfg,
                      const revops_route_options *opts);
void revops_router_free(revops_router *r);

/* Routes the lead with id `lead` (REVOPS_ENOTFOUND when there is none). A criteria that
 * cannot be evaluated (money without an exchange rate) is REVOPS_EINVALID naming the lead. */
int revops_router_route(revops_router *r, const char *lead, revops_route_decision **out);

/*
 * Routes a lead given as a JSON object of lead fields (docs/routing.md "A lead as JSON"),
 * such as {"company":"Acme","industry":"ecommerce","region":"Moscow","estimated_value":
 * "1200000 RUB"}. `name` names the input in errors ("standard input"). Malformed JSON, an
 * unknown field or a value of the wrong type is REVOPS_EINVALID with the line and column.
 */
int revops_router_route_json(revops_router *r, const char *json, size_t len, const char *name,
                             revops_route_decision **out);

/*
 * Routes the lead with id `lead` as `store` holds it now, read by a primary-key lookup: a lead
 * stored after the router was built (a web form, a CRM sync) is routed without loading the
 * data again; the reps' workloads and conversion stay those the router was built with.
 * REVOPS_ENOTFOUND when the store has no such lead.
 */
int revops_router_route_stored(revops_router *r, revops_store *store, const char *lead,
                               revops_route_decision **out);

/* Counts decision `d`'s lead in its chosen rep's open leads and makes that rep the last one
 * round robin served, as a batch does after each lead. Does nothing when no rep was chosen. */
void revops_router_assign(revops_router *r, const revops_route_decision *d);

void revops_route_decision_free(revops_route_decision *d);

/* JSON (docs/routing.md): lead, chosen, score, reason, candidates[] with rep, score, eligible,
 * factors {geographic, expertise, workload, tier, performance}, and more. */
int revops_route_decision_write_json(const revops_route_decision *d, const revops_config *cfg,
                                     revops_json *j);
/* The choice and its reason; with `explain`, every candidate's factors as a table. */
int revops_route_decision_write_text(const revops_route_decision *d, const revops_config *cfg,
                                     int explain, FILE *fp);

/* ---- batch routing of the unassigned leads ---- */

typedef struct revops_route_assignment {
    const char *lead;   /* borrowed from the dataset */
    const char *chosen; /* NULL when no rep was eligible */
    double score;
    char reason[320];
} revops_route_assignment;

typedef struct revops_route_batch {
    revops_time now;
    int method;
    size_t unassigned; /* open leads without an owner, created by now */
    size_t routed, unroutable;
    revops_route_assignment *assignments; /* in routing order: oldest lead first */
    size_t nassignments;
    int stored;            /* 1 when the assignments were written to the store */
    revops_dataset *owned; /* the store's data, which the texts point into (else NULL) */
} revops_route_batch;

typedef struct revops_route_batch_options {
    revops_route_options route;
    int dry_run; /* route and report, write nothing */
} revops_route_batch_options;

#define REVOPS_ROUTE_BATCH_OPTIONS_INIT                                                            \
    {                                                                                              \
        REVOPS_ROUTE_OPTIONS_INIT, 0                                                               \
    }

/*
 * Routes every unassigned lead of the router's dataset (open at now, no owner), oldest first
 * (created_at, then id), assigning each before the next so that workloads and the round-robin
 * turn carry through the batch. Nothing is written. The caller frees *out with
 * revops_route_batch_free().
 */
int revops_router_route_unassigned(revops_router *r, revops_route_batch **out);

/*
 * The same on a store, in one transaction: loads the store, routes its unassigned leads and
 * (unless opts->dry_run) sets each routed lead's owner_id and records the change in
 * lifecycle_change (rule routing:weighted or routing:round_robin), all or nothing. The store
 * is locked for writing from the load to the commit, so nothing changes in between. The
 * caller frees *out with revops_route_batch_free().
 */
int revops_route_unassigned(revops_route_batch **out, revops_store *store, const revops_config *cfg,
                            const revops_route_batch_options *opts);
void revops_route_batch_free(revops_route_batch *b);

/* JSON: now, method, dry_run, unassigned, routed, unroutable, assignments[] (lead, chosen,
 * score, reason). */
int revops_route_batch_write_json(const revops_route_batch *b, int dry_run, revops_json *j);
int revops_route_batch_write_text(const revops_route_batch *b, int dry_run, FILE *fp);

/* "weighted" or "round_robin". */
const char *revops_routing_method_name(int method);

#ifdef __cplusplus
}
#endif

#endif
