/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lead routing (docs/routing.md; docs/metrics.md "Routing"). The decisions a reader cannot see
 * from the code:
 *
 * - Candidates are the reps whose role is the owner role of the lead's stage in the
 *   configuration's lead_stages (sdr for lead, mql and sql by default), or the role asked for;
 *   "any" takes every rep. A rep is eligible when active (an empty `active` counts as active:
 *   a CRM export without the column must not make everyone ineligible), hired by now, with a
 *   capacity above 0 and fewer open leads than it.
 * - Workload = 1 - open leads / capacity, open leads as of now (ops.c), not counting the lead
 *   being routed, so re-routing an owned lead does not hold its own owner's lead against them.
 * - Geographic and expertise match text ignoring ASCII case; an empty region or industry (on
 *   either side) matches nothing, so the factor is 0 for every rep and changes no ranking.
 * - Tier: the lead's tier from the configured tier criteria (enterprise, mid, smb: the first
 *   that holds); 1 when it is among the rep's tiers; a lead without a tier scores 0.
 * - Performance: the rep's lead-to-won conversion over the leads it owns that settled in the
 *   analytics window before now (won: the linked opportunity won; lost: it was lost, or the
 *   lead was disqualified), min-max scaled over the eligible candidates that have settled
 *   leads. A rep without settled leads, or every rep when all rates are equal, scores 0: the
 *   factor rewards doing better than the others, and without a difference nobody does.
 * - Scores within 1e-9 of each other are equal (sums of the same weights in another order
 *   differ in the last bits); ties go to fewer open leads, then the smaller rep id (bytes).
 * - Round robin: the eligible candidates in rep-id order, starting after the rep who got the
 *   last lead routing assigned (the last routing row of lifecycle_change, then each batch
 *   assignment); without one, the first.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/idmap.h"
#include "ops/ops.h"
#include "ops/routing_internal.h"

#define SCORE_EPS 1e-9

const char *revops_routing_method_name(int method)
{
    return method == REVOPS_ROUTING_ROUND_ROBIN ? "round_robin" : "weighted";
}

/* Interns the folded (lower-case) form of a text; 0 for an empty one. */
static int intern_folded(revops_dataset *ds, const char *s, size_t len, revops_str *out)
{
    char buf[256];
    *out = 0;
    if (!len)
        return 0;
    size_t n = revops_ops__fold(s, len, buf, sizeof(buf));
    return revops_strpool__intern(&ds->strings, buf, n, out);
}

/* The folded form's id if some rep uses it (else 0: it matches no rep). */
static revops_str find_folded(const revops_dataset *ds, revops_str s)
{
    if (!s)
        return 0;
    char buf[256];
    size_t n = revops_ops__fold(revops_dataset__str(ds, s), revops_strpool__len(&ds->strings, s),
                                buf, sizeof(buf));
    revops_str id;
    return revops_strpool__find(&ds->strings, buf, n, &id) == 0 ? id : 0;
}

static int load_reps(revops_router *r)
{
    revops_dataset *ds = r->ds;
    const revops_rep_table *t = &ds->rep;
    r->reps = calloc(t->n ? t->n : 1, sizeof(*r->reps));
    if (!r->reps)
        return revops_error__oom();
    r->nreps = t->n;
    revops_str roles[REVOPS_ROLE_COUNT];
    revops_ops__value_ids(ds, revops_values_role, roles, REVOPS_ROLE_COUNT);
    size_t cap = 0;
    int rc = 0;
    for (size_t i = 0; i < t->n && !rc; i++) {
        rrep *p = &r->reps[i];
        p->role = revops_ops__index(roles, REVOPS_ROLE_COUNT, t->role[i]);
        p->active = t->active[i] != 0; /* -1 (empty) counts as active */
        p->hired = t->hired_at[i];
        p->capacity = t->capacity[i] == REVOPS_NO_INT ? -1 : t->capacity[i];
        if ((rc = intern_folded(ds, revops_dataset__str(ds, t->region[i]),
                                revops_strpool__len(&ds->strings, t->region[i]), &p->region)))
            break;
        /* Specializations and tiers are ';'-joined lists (pool text stays where it is while
         * the pool grows). */
        const char *list = revops_dataset__str(ds, t->specializations[i]);
        p->first_spec = (uint32_t)r->nspecs;
        for (const char *item = list; item && *item && !rc;) {
            const char *semi = strchr(item, ';');
            size_t n = semi ? (size_t)(semi - item) : strlen(item);
            revops_str id;
            if (n && (rc = intern_folded(ds, item, n, &id)) == 0) {
                if (r->nspecs == cap) {
                    cap = cap ? cap * 2 : 64;
                    revops_str *grown = realloc(r->specs, cap * sizeof(*grown));
                    if (!grown) {
                        rc = revops_error__oom();
                        break;
                    }
                    r->specs = grown;
                }
                r->specs[r->nspecs++] = id;
            }
            item = semi ? semi + 1 : NULL;
        }
        p->nspecs = (uint32_t)(r->nspecs - p->first_spec);
        const char *tiers = revops_dataset__str(ds, t->tiers[i]);
        for (int s = 0; s < 3; s++) {
            size_t n = strlen(revops_values_segment[s]);
            for (const char *q = tiers; q && *q;) {
                const char *semi = strchr(q, ';');
                size_t m = semi ? (size_t)(semi - q) : strlen(q);
                if (m == n && strncmp(q, revops_values_segment[s], n) == 0)
                    p->tiers |= 1u << s;
                q = semi ? semi + 1 : NULL;
            }
        }
    }
    return rc;
}

/* Open leads, and settled and won leads in the window, per owner. */
static int count_leads(revops_router *r)
{
    revops_dataset *ds = r->ds;
    const revops_lead_table *l = &ds->lead;
    const revops_opportunity_table *o = &ds->opportunity;
    revops_idmap opp_by_id = {0}, opp_by_lead = {0};
    revops_str won = 0, lost = 0;
    revops_strpool__find(&ds->strings, "won", 3, &won);
    revops_strpool__find(&ds->strings, "lost", 4, &lost);
    int rc = revops_idmap__build(&opp_by_id, o->id, o->n);
    if (!rc)
        rc = revops_idmap__build(&opp_by_lead, o->lead_id, o->n);
    revops_time since = r->now - (revops_time)r->cfg->window_days * 86400;
    for (size_t i = 0; i < l->n && !rc; i++) {
        int64_t rep = revops_idmap__get(&r->rep_by_id, l->owner_id[i]);
        if (rep < 0)
            continue;
        rrep *p = &r->reps[rep];
        if (revops_ops__lead_open(ds, i, r->now, r->lead_stage))
            p->open++;
        /* Settled: its opportunity won or lost, or the lead disqualified, by now. */
        int64_t opp = revops_idmap__get(&opp_by_id, l->opportunity_id[i]);
        if (opp < 0)
            opp = revops_idmap__get(&opp_by_lead, l->id[i]);
        revops_time at = REVOPS_NO_TIME;
        int is_won = 0;
        if (opp >= 0 && o->closed_at[opp] != REVOPS_NO_TIME && o->closed_at[opp] <= r->now &&
            (o->outcome[opp] == won || o->outcome[opp] == lost)) {
            at = o->closed_at[opp];
            is_won = o->outcome[opp] == won;
        } else if (l->disqualified_at[i] != REVOPS_NO_TIME && l->disqualified_at[i] <= r->now) {
            at = l->disqualified_at[i];
        }
        if (at == REVOPS_NO_TIME || at <= since)
            continue;
        p->settled++;
        p->won += (uint32_t)is_won;
    }
    revops_idmap__free(&opp_by_id);
    revops_idmap__free(&opp_by_lead);
    return rc;
}

/* The rep of the last routing change in lifecycle_change: round robin goes on after it. */
static void last_routed(revops_router *r)
{
    const revops_lifecycle_change_table *t = &r->ds->lifecycle_change;
    revops_str owner = 0;
    revops_strpool__find(&r->ds->strings, "owner_id", 8, &owner);
    for (size_t i = t->n; i-- > 0;) {
        if (!owner || t->attribute[i] != owner)
            continue;
        if (strncmp(revops_dataset__str(r->ds, t->rule[i]), "routing:", 8) != 0)
            continue;
        if (revops_idmap__get(&r->rep_by_id, t->to_value[i]) >= 0) {
            r->last_rr = t->to_value[i];
            return;
        }
    }
}

int revops_router_new(revops_router **out, revops_dataset *ds, const revops_config *cfg,
                      const revops_route_options *opts)
{
    *out = NULL;
    revops_route_options def = REVOPS_ROUTE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    revops_router *r = calloc(1, sizeof(*r));
    if (!r)
        return revops_error__oom();
    r->ds = ds;
    r->cfg = cfg;
    r->method = opts->method >= 0 ? opts->method : (int)cfg->routing_method;
    r->role = ROLE_BY_STAGE;
    int rc = 0;
    if (opts->role && strcmp(opts->role, "any") == 0) {
        r->role = ROLE_ANY;
    } else if (opts->role) {
        for (int i = 0; revops_values_role[i]; i++)
            if (strcmp(revops_values_role[i], opts->role) == 0)
                r->role = i;
        if (r->role == ROLE_BY_STAGE) {
            rc = revops_error__set(REVOPS_EINVALID,
                                   "no role '%s': expected sdr, ae, am, csm, manager or any",
                                   opts->role);
            goto done;
        }
    }
    r->now = opts->now;
    if (r->now == REVOPS_NO_TIME) {
        revops_day latest = revops_dataset_latest_day(ds);
        if (latest == REVOPS_NO_DAY) {
            rc = revops_error__set(REVOPS_EINVALID,
                                   "the data have no events to take 'now' from: give the time");
            goto done;
        }
        r->now = revops_day_time(latest) + 86399;
    }
    const char *currency = opts->currency     ? opts->currency
                           : cfg->currency[0] ? cfg->currency
                                              : NULL;
    if ((rc = revops_criteria_env_init(&r->env, ds, r->now, currency)))
        goto done;
    revops_ops__value_ids(ds, revops_values_lead_stage, r->lead_stage, OPS_LEAD_STAGES);
    if ((rc = revops_idmap__build(&r->rep_by_id, ds->rep.id, ds->rep.n)) ||
        (rc = revops_idmap__build(&r->lead_by_id, ds->lead.id, ds->lead.n)) ||
        (rc = load_reps(r)) || (rc = count_leads(r)))
        goto done;
    last_routed(r);
done:
    if (rc) {
        revops_router_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void revops_router_free(revops_router *r)
{
    if (!r)
        return;
    revops_idmap__free(&r->rep_by_id);
    revops_idmap__free(&r->lead_by_id);
    free(r->reps);
    free(r->specs);
    free(r);
}

void revops_route_decision_free(revops_route_decision *d)
{
    if (!d)
        return;
    free(d->candidates);
    free(d);
}

/* ---- one lead ---- */

/* The lead's tier: the first of enterprise, mid, smb whose criteria hold; -1 for none. */
static int lead_tier(revops_router *r, size_t row, int *tier)
{
    *tier = -1;
    for (int s = 2; s >= 0; s--) {
        const revops_config_criteria *c = &r->cfg->routing_tiers[s];
        if (!c->compiled)
            continue;
        int hit = revops_criteria_eval(c->compiled, &r->env, row);
        if (hit < 0) {
            revops_error__prefix("routing tier '%s'", revops_values_segment[s]);
            return hit;
        }
        if (hit) {
            *tier = s;
            return 0;
        }
    }
    return 0;
}

static int has_spec(const revops_router *r, const rrep *p, revops_str industry)
{
    for (uint32_t k = 0; industry && k < p->nspecs; k++)
        if (r->specs[p->first_spec + k] == industry)
            return 1;
    return 0;
}

/* The order of eligible candidates: higher score, then fewer open leads, then rep id. */
static int better(const revops_route_candidate *a, const revops_route_candidate *b)
{
    if (fabs(a->score - b->score) > SCORE_EPS)
        return a->score > b->score ? -1 : 1;
    if (a->open_leads != b->open_leads)
        return a->open_leads < b->open_leads ? -1 : 1;
    return strcmp(a->rep, b->rep);
}

static int by_rank(const void *x, const void *y)
{
    const revops_route_candidate *a = x, *b = y;
    if (a->eligible != b->eligible)
        return a->eligible ? -1 : 1;
    if (!a->eligible)
        return strcmp(a->rep, b->rep);
    return better(a, b);
}

/* Appends "text" to the reason, joined by ", ". */
static void reason_part(char *buf, size_t cap, size_t n, const char *what, int *first)
{
    if (!n)
        return;
    size_t used = strlen(buf);
    snprintf(buf + used, cap - used, "%s%zu %s", *first ? "" : ", ", n, what);
    *first = 0;
}

static const char *stage_name(int stage)
{
    return stage >= 0 ? revops_values_lead_stage[stage] : "lead";
}

/*
 * Routes lead row `row` into `d` (whose candidates array is sized for every rep). `sort`
 * orders the candidates for an explanation; a batch leaves them unsorted and only chooses.
 */
static int route_row(revops_router *r, size_t row, int sort, revops_route_decision *d)
{
    revops_dataset *ds = r->ds;
    const revops_lead_table *l = &ds->lead;
    const revops_config *cfg = r->cfg;
    int stage = revops_ops__index(r->lead_stage, OPS_LEAD_STAGES, l->stage[row]);
    int role =
        r->role >= 0 ? r->role : (int)cfg->lead_stages[stage >= 0 ? stage : OPS_LEAD].owner_role;
    d->lead = revops_dataset__str(ds, l->id[row]);
    d->stage = stage_name(stage);
    d->region = l->region[row] ? revops_dataset__str(ds, l->region[row]) : NULL;
    d->industry = l->industry[row] ? revops_dataset__str(ds, l->industry[row]) : NULL;
    d->owner = l->owner_id[row] ? revops_dataset__str(ds, l->owner_id[row]) : NULL;
    d->role = r->role == ROLE_ANY ? "any" : revops_values_role[role];
    d->method = r->method;
    d->now = r->now;
    d->chosen = NULL;
    d->score = NAN;
    d->reason[0] = '\0';
    d->ncandidates = d->neligible = 0;
    int tier = -1;
    int rc = lead_tier(r, row, &tier);
    if (rc) {
        revops_error__prefix("lead %s", d->lead);
        return rc;
    }
    d->tier = tier >= 0 ? revops_values_segment[tier] : NULL;
    revops_str region = find_folded(ds, l->region[row]);
    revops_str industry = find_folded(ds, l->industry[row]);
    /* The lead's own owner does not count it against themselves. */
    int64_t self = revops_ops__lead_open(ds, row, r->now, r->lead_stage)
                       ? revops_idmap__get(&r->rep_by_id, l->owner_id[row])
                       : -1;
    const revops_rep_table *reps = &ds->rep;
    size_t inactive = 0, unhired = 0, nocap = 0, full = 0;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < r->nreps; i++) {
        const rrep *p = &r->reps[i];
        if (r->role != ROLE_ANY && p->role != role)
            continue;
        revops_route_candidate *c = &d->candidates[d->ncandidates++];
        memset(c, 0, sizeof(*c));
        c->rep = revops_dataset__str(ds, reps->id[i]);
        c->name = revops_dataset__str(ds, reps->name[i]);
        c->team = reps->team_id[i] ? revops_dataset__str(ds, reps->team_id[i]) : NULL;
        c->open_leads = p->open - ((int64_t)i == self);
        c->capacity = p->capacity;
        c->settled = p->settled;
        c->won = p->won;
        c->conversion = p->settled ? (double)p->won / p->settled : NAN;
        c->factors.geographic = region && p->region == region;
        c->factors.expertise = has_spec(r, p, industry);
        c->factors.tier = tier >= 0 && (p->tiers >> tier & 1u);
        c->factors.workload =
            p->capacity > 0 ? 1.0 - (double)c->open_leads / (double)p->capacity : NAN;
        c->factors.performance = NAN;
        c->score = NAN;
        if (!p->active) {
            c->not_eligible = "inactive";
            inactive++;
        } else if (p->hired != REVOPS_NO_TIME && p->hired > r->now) {
            c->not_eligible = "not hired yet";
            unhired++;
        } else if (p->capacity <= 0) {
            c->not_eligible = p->capacity == 0 ? "capacity 0" : "no capacity set";
            nocap++;
        } else if (c->open_leads >= p->capacity) {
            c->not_eligible = "at capacity";
            c->factors.workload = 0;
            full++;
        } else {
            c->eligible = 1;
            d->neligible++;
            if (p->settled) {
                lo = fmin(lo, c->conversion);
                hi = fmax(hi, c->conversion);
            }
        }
    }
    const revops_route_candidate *best = NULL, *next = NULL;
    const revops_route_candidate *first_id = NULL, *after_last = NULL;
    const char *last = r->last_rr ? revops_dataset__str(ds, r->last_rr) : NULL;
    for (size_t k = 0; k < d->ncandidates; k++) {
        revops_route_candidate *c = &d->candidates[k];
        if (!c->eligible)
            continue;
        c->factors.performance = c->settled && hi > lo ? (c->conversion - lo) / (hi - lo) : 0.0;
        const revops_route_factors *f = &c->factors;
        c->score = cfg->routing_weights.geographic * f->geographic +
                   cfg->routing_weights.expertise * f->expertise +
                   cfg->routing_weights.workload * f->workload +
                   cfg->routing_weights.tier * f->tier +
                   cfg->routing_weights.performance * f->performance;
        if (!best || better(c, best) < 0) {
            next = best;
            best = c;
        } else if (!next || better(c, next) < 0) {
            next = c;
        }
        if (!first_id || strcmp(c->rep, first_id->rep) < 0)
            first_id = c;
        if (last && strcmp(c->rep, last) > 0 &&
            (!after_last || strcmp(c->rep, after_last->rep) < 0))
            after_last = c;
    }
    char *why = d->reason;
    size_t cap = sizeof(d->reason);
    if (!d->ncandidates) {
        snprintf(why, cap,
                 r->role >= 0 ? "no rep has the role %s"
                              : "no rep has the role %s, the owner role of lead stage %s",
                 d->role, d->stage);
    } else if (!best) {
        snprintf(why, cap, "no eligible rep: of %zu candidate%s with role %s, ", d->ncandidates,
                 d->ncandidates == 1 ? "" : "s", d->role);
        int first = 1;
        reason_part(why, cap, inactive, "inactive", &first);
        reason_part(why, cap, unhired, "not hired yet", &first);
        reason_part(why, cap, nocap, "without capacity", &first);
        reason_part(why, cap, full, "at capacity", &first);
    } else if (r->method == REVOPS_ROUTING_ROUND_ROBIN) {
        const revops_route_candidate *c = after_last ? after_last : first_id;
        d->chosen = c->rep;
        d->score = c->score;
        if (!last)
            snprintf(why, cap,
                     "round robin: the first eligible rep by id (routing has given no lead "
                     "before)");
        else if (after_last)
            snprintf(why, cap,
                     "round robin: the next eligible rep by id after %s, who had the "
                     "last lead",
                     last);
        else
            snprintf(why, cap,
                     "round robin: back to the first eligible rep by id after %s, who "
                     "had the last lead",
                     last);
    } else {
        d->chosen = best->rep;
        d->score = best->score;
        if (!next)
            snprintf(why, cap, "the only eligible rep of %zu candidate%s", d->ncandidates,
                     d->ncandidates == 1 ? "" : "s");
        else if (fabs(best->score - next->score) > SCORE_EPS)
            snprintf(why, cap, "highest score: %.3f against %.3f for %s, the next best",
                     best->score, next->score, next->rep);
        else if (best->open_leads != next->open_leads)
            snprintf(why, cap, "tied on score %.3f with %s; fewer open leads (%lld against %lld)",
                     best->score, next->rep, (long long)best->open_leads,
                     (long long)next->open_leads);
        else
            snprintf(why, cap,
                     "tied on score %.3f and open leads (%lld) with %s; the first by rep id",
                     best->score, (long long)best->open_leads, next->rep);
    }
    if (sort)
        qsort(d->candidates, d->ncandidates, sizeof(*d->candidates), by_rank);
    return 0;
}

static int new_decision(const revops_router *r, revops_route_decision **out)
{
    revops_route_decision *d = calloc(1, sizeof(*d));
    if (!d)
        return revops_error__oom();
    d->candidates = calloc(r->nreps ? r->nreps : 1, sizeof(*d->candidates));
    if (!d->candidates) {
        free(d);
        return revops_error__oom();
    }
    *out = d;
    return 0;
}

int revops_router__route_row(revops_router *r, size_t row, int sort, revops_route_decision **out)
{
    *out = NULL;
    revops_route_decision *d = NULL;
    int rc = new_decision(r, &d);
    if (rc)
        return rc;
    if ((rc = route_row(r, row, sort, d))) {
        revops_route_decision_free(d);
        return rc;
    }
    *out = d;
    return 0;
}

int revops_router_route(revops_router *r, const char *lead, revops_route_decision **out)
{
    *out = NULL;
    revops_str id;
    int64_t row = -1;
    if (revops_strpool__find(&r->ds->strings, lead, strlen(lead), &id) == 0)
        row = revops_idmap__get(&r->lead_by_id, id);
    if (row < 0)
        return revops_error__set(REVOPS_ENOTFOUND, "no lead '%.200s' in the data", lead);
    return revops_router__route_row(r, (size_t)row, 1, out);
}

void revops_router_assign(revops_router *r, const revops_route_decision *d)
{
    if (!d->chosen)
        return;
    revops_str id;
    if (revops_strpool__find(&r->ds->strings, d->chosen, strlen(d->chosen), &id) != 0)
        return;
    int64_t rep = revops_idmap__get(&r->rep_by_id, id);
    if (rep < 0)
        return;
    r->reps[rep].open++;
    r->last_rr = id;
}

/* ---- batch ---- */

typedef struct pending {
    revops_time created;
    const char *id;
    uint32_t row;
} pending;

static int oldest_first(const void *x, const void *y)
{
    const pending *a = x, *b = y;
    if (a->created != b->created)
        return a->created < b->created ? -1 : 1;
    return strcmp(a->id, b->id);
}

int revops_router_route_unassigned(revops_router *r, revops_route_batch **out)
{
    *out = NULL;
    revops_dataset *ds = r->ds;
    const revops_lead_table *l = &ds->lead;
    revops_route_batch *b = calloc(1, sizeof(*b));
    pending *todo = NULL;
    revops_route_decision d = {0};
    if (!b)
        return revops_error__oom();
    int rc = 0;
    b->now = r->now;
    b->method = r->method;
    todo = malloc((l->n ? l->n : 1) * sizeof(*todo));
    d.candidates = calloc(r->nreps ? r->nreps : 1, sizeof(*d.candidates));
    if (!todo || !d.candidates) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < l->n; i++)
        if (!l->owner_id[i] && revops_ops__lead_open(ds, i, r->now, r->lead_stage))
            todo[b->unassigned++] =
                (pending){l->created_at[i], revops_dataset__str(ds, l->id[i]), (uint32_t)i};
    qsort(todo, b->unassigned, sizeof(*todo), oldest_first);
    b->assignments = calloc(b->unassigned ? b->unassigned : 1, sizeof(*b->assignments));
    if (!b->assignments) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t k = 0; k < b->unassigned; k++) {
        if ((rc = route_row(r, todo[k].row, 0, &d)))
            goto done;
        revops_route_assignment *a = &b->assignments[b->nassignments++];
        a->lead = d.lead;
        a->chosen = d.chosen;
        a->score = d.score;
        snprintf(a->reason, sizeof(a->reason), "%s", d.reason);
        if (d.chosen) {
            revops_router_assign(r, &d);
            b->routed++;
        } else {
            b->unroutable++;
        }
    }
done:
    free(todo);
    free(d.candidates);
    if (rc) {
        revops_route_batch_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

void revops_route_batch_free(revops_route_batch *b)
{
    if (!b)
        return;
    free(b->assignments);
    revops_dataset_free(b->owned);
    free(b);
}
