/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lifecycle run (docs/lifecycle.md), in memory. The decisions a reader cannot see from
 * the code:
 *
 * - A record moves by the first transition, in configuration order, whose `from` holds its
 *   stage and whose criteria hold; then the transitions are tried again from the new stage,
 *   with the criteria seeing the record as changed, until none applies. A move back to a stage
 *   the record has been in during this run stops it there (a cycle of transitions whose
 *   criteria all hold would never end); so a run repeated at the same now changes nothing.
 * - Entering a lead stage stamps its time when empty: mql_at, sql_at, converted_at
 *   (opportunity) or disqualified_at (with the rule's name as disqualify_reason when empty).
 *   Entering an open stage (lead, mql, sql) clears converted_at, disqualified_at and
 *   disqualify_reason: the lead is neither converted nor disqualified any more.
 * - An opportunity entering a stage gets a stage_change row at now, its outcome from the
 *   stage, and closed_at now for a closed stage (none for an open one).
 * - Handoffs: a record entered a handoff's stage at the stage's time (a lead's mql_at, sql_at,
 *   converted_at, disqualified_at or created_at; an opportunity's first stage_change into the
 *   stage by now, else closed_at for a closed stage), or, in the stage without a known time,
 *   at now. Every record that entered by now, whose handoff criteria hold at now, and that has
 *   no task for the handoff gets one: records that entered before the first run get theirs
 *   too, with the clock started when they entered, so history is measured as well. The
 *   receiving rep is the record's owner (an opportunity's account owner, else its owner).
 */
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/idmap.h"
#include "ops/lifecycle_internal.h"
#include "ops/ops.h"
#include "ops/tasks.h"

typedef struct run_ctx {
    revops_dataset *ds;
    const revops_config *cfg;
    revops_time now;
    revops_criteria_env env;
    lc_run *res;
    revops_idmap accounts, reps;
    size_t changes_cap, created_cap, updated_cap;
    uint64_t next_change, next_task;
} run_ctx;

static int intern(revops_dataset *ds, const char *s, revops_str *out)
{
    return revops_strpool__intern(&ds->strings, s, strlen(s), out);
}

static const char *str(const revops_dataset *ds, revops_str s)
{
    return s ? revops_dataset__str(ds, s) : NULL;
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 64;
    void *p = realloc(*items, c * size);
    if (!p)
        return revops_error__oom();
    *items = p;
    *cap = c;
    return 0;
}

static int mark(uint8_t **flags, size_t *cap, size_t row)
{
    if (row >= *cap) {
        size_t c = *cap ? *cap : 64;
        while (c <= row)
            c *= 2;
        uint8_t *p = realloc(*flags, c);
        if (!p)
            return revops_error__oom();
        memset(p + *cap, 0, c - *cap);
        *flags = p;
        *cap = c;
    }
    (*flags)[row] = 1;
    return 0;
}

/* Appends the change-log row and the result's entry. */
static int log_change(run_ctx *c, const char *entity, revops_str record, const char *from,
                      const char *to, const char *rule)
{
    revops_lifecycle_run *r = &c->res->pub;
    int rc = grow((void **)&r->changes, &c->changes_cap, r->nchanges, sizeof(*r->changes));
    if (rc)
        return rc;
    char id[32];
    snprintf(id, sizeof(id), "LC-%llu", (unsigned long long)c->next_change++);
    revops_value v[REVOPS_MAX_FIELDS] = {{0}};
    v[REVOPS_F_lifecycle_change_id] = revops_ops__text(id);
    v[REVOPS_F_lifecycle_change_at] = (revops_value){1, c->now, 0, NULL, 0};
    v[REVOPS_F_lifecycle_change_entity] = revops_ops__text(entity);
    v[REVOPS_F_lifecycle_change_record_id] = revops_ops__text(str(c->ds, record));
    v[REVOPS_F_lifecycle_change_attribute] = revops_ops__text("stage");
    v[REVOPS_F_lifecycle_change_from_value] = revops_ops__text(from);
    v[REVOPS_F_lifecycle_change_to_value] = revops_ops__text(to);
    v[REVOPS_F_lifecycle_change_rule] = revops_ops__text(rule);
    if ((rc = revops_dataset__append(c->ds, REVOPS_ENTITY_LIFECYCLE_CHANGE, v)))
        return rc;
    const revops_lifecycle_change_table *t = &c->ds->lifecycle_change;
    size_t row = t->n - 1;
    r->changes[r->nchanges++] = (revops_lifecycle_change){
        str(c->ds, t->id[row]),         str(c->ds, t->entity[row]),   str(c->ds, t->record_id[row]),
        str(c->ds, t->from_value[row]), str(c->ds, t->to_value[row]), str(c->ds, t->rule[row])};
    return 0;
}

/* The first transition of `entity` that applies to `row` in stage `stage`, or -1. */
static int first_transition(run_ctx *c, size_t entity, size_t row, int stage, int *which)
{
    *which = -1;
    for (size_t k = 0; k < c->cfg->ntransitions; k++) {
        const revops_config_transition *t = &c->cfg->transitions[k];
        if (t->entity != entity || stage < 0 || !(t->from >> stage & 1u) || t->to == stage)
            continue;
        int hit = revops_criteria_eval(t->criteria.compiled, &c->env, row);
        if (hit < 0) {
            revops_error__prefix("transition '%s'", t->name);
            return hit;
        }
        if (hit) {
            *which = (int)k;
            return 0;
        }
    }
    return 0;
}

static int lead_stage(const revops_dataset *ds, size_t row)
{
    const char *s = str(ds, ds->lead.stage[row]);
    for (int i = 0; s && revops_values_lead_stage[i]; i++)
        if (strcmp(s, revops_values_lead_stage[i]) == 0)
            return i;
    return -1;
}

static int move_lead(run_ctx *c, size_t row, int from, const revops_config_transition *t)
{
    revops_lead_table *l = &c->ds->lead;
    revops_str to;
    int rc = intern(c->ds, revops_values_lead_stage[t->to], &to);
    if (rc)
        return rc;
    l->stage[row] = to;
    revops_time *stamp = t->to == OPS_MQL            ? &l->mql_at[row]
                         : t->to == OPS_SQL          ? &l->sql_at[row]
                         : t->to == OPS_OPPORTUNITY  ? &l->converted_at[row]
                         : t->to == OPS_DISQUALIFIED ? &l->disqualified_at[row]
                                                     : NULL;
    if (stamp && *stamp == REVOPS_NO_TIME)
        *stamp = c->now;
    if (t->to == OPS_DISQUALIFIED && !l->disqualify_reason[row] &&
        (rc = intern(c->ds, t->name, &l->disqualify_reason[row])))
        return rc;
    if (t->to <= OPS_SQL) {
        l->converted_at[row] = REVOPS_NO_TIME;
        l->disqualified_at[row] = REVOPS_NO_TIME;
        l->disqualify_reason[row] = 0;
    }
    if ((rc = mark(&c->res->dirty_leads, &c->res->dirty_leads_cap, row)))
        return rc;
    return log_change(c, "lead", l->id[row], from >= 0 ? revops_values_lead_stage[from] : NULL,
                      revops_values_lead_stage[t->to], t->name);
}

static int move_opportunity(run_ctx *c, size_t row, int from, const revops_config_transition *t)
{
    revops_opportunity_table *o = &c->ds->opportunity;
    const revops_stage_def *to = &c->cfg->stages.items[t->to];
    const char *from_name = from >= 0 ? c->cfg->stages.items[from].name : NULL;
    static const char *const outcomes[] = {"open", "won", "lost"};
    revops_str stage, outcome;
    int rc = intern(c->ds, to->name, &stage);
    if (!rc)
        rc = intern(c->ds, outcomes[to->outcome], &outcome);
    if (rc)
        return rc;
    o->stage[row] = stage;
    o->outcome[row] = outcome;
    o->closed_at[row] = to->outcome == REVOPS_OUTCOME_OPEN ? REVOPS_NO_TIME : c->now;
    revops_value v[REVOPS_MAX_FIELDS] = {{0}};
    v[REVOPS_F_stage_change_opportunity_id] = revops_ops__text(str(c->ds, o->id[row]));
    v[REVOPS_F_stage_change_at] = (revops_value){1, c->now, 0, NULL, 0};
    v[REVOPS_F_stage_change_from_stage] = revops_ops__text(from_name);
    v[REVOPS_F_stage_change_to_stage] = revops_ops__text(to->name);
    v[REVOPS_F_stage_change_amount] =
        (revops_value){o->amount[row] != INT64_MIN, o->amount[row], 0, NULL, 0};
    v[REVOPS_F_stage_change_currency] = revops_ops__text(str(c->ds, o->currency[row]));
    v[REVOPS_F_stage_change_close_date] =
        (revops_value){o->close_date[row] != REVOPS_NO_DAY, o->close_date[row], 0, NULL, 0};
    if ((rc = revops_dataset__append(c->ds, REVOPS_ENTITY_STAGE_CHANGE, v)) ||
        (rc = mark(&c->res->dirty_opps, &c->res->dirty_opps_cap, row)))
        return rc;
    return log_change(c, "opportunity", o->id[row], from_name, to->name, t->name);
}

static int transitions(run_ctx *c, size_t entity)
{
    revops_dataset *ds = c->ds;
    int is_lead = entity == REVOPS_ENTITY_LEAD;
    size_t n = is_lead ? ds->lead.n : ds->opportunity.n;
    for (size_t row = 0; row < n; row++) {
        revops_time created = is_lead ? ds->lead.created_at[row] : ds->opportunity.created_at[row];
        if (created == REVOPS_NO_TIME || created > c->now)
            continue;
        if (is_lead)
            c->res->pub.leads++;
        else
            c->res->pub.opportunities++;
        uint64_t visited = 0;
        for (size_t step = 0; step <= c->cfg->ntransitions; step++) {
            int stage;
            if (is_lead) {
                stage = lead_stage(ds, row);
            } else {
                revops_str s = ds->opportunity.stage[row];
                stage = s ? revops_stages_find(&c->cfg->stages, str(ds, s),
                                               revops_strpool__len(&ds->strings, s))
                          : -1;
            }
            if (stage >= 0)
                visited |= 1ull << stage;
            int k = -1;
            int rc = first_transition(c, entity, row, stage, &k);
            if (rc) {
                revops_error__prefix("%s %s", is_lead ? "lead" : "opportunity",
                                     str(ds, is_lead ? ds->lead.id[row] : ds->opportunity.id[row]));
                return rc;
            }
            if (k < 0)
                break;
            const revops_config_transition *t = &c->cfg->transitions[k];
            if (visited >> t->to & 1u)
                break; /* back to a stage of this run: stop, or a cycle never ends */
            c->res->pub.by_transition[k]++;
            rc = is_lead ? move_lead(c, row, stage, t) : move_opportunity(c, row, stage, t);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* ---- handoffs ---- */

static int by_pair(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int has_pair(const uint64_t *keys, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && keys[lo] == key;
}

/* When lead `row` entered lead stage `stage`, or NO_TIME when it has not (by now). */
static revops_time lead_entered(const run_ctx *c, size_t row, int stage)
{
    const revops_lead_table *l = &c->ds->lead;
    revops_time at = stage == OPS_LEAD           ? l->created_at[row]
                     : stage == OPS_MQL          ? l->mql_at[row]
                     : stage == OPS_SQL          ? l->sql_at[row]
                     : stage == OPS_OPPORTUNITY  ? l->converted_at[row]
                     : stage == OPS_DISQUALIFIED ? l->disqualified_at[row]
                                                 : REVOPS_NO_TIME;
    if (at != REVOPS_NO_TIME && at <= c->now)
        return at;
    return lead_stage(c->ds, row) == stage ? c->now : REVOPS_NO_TIME;
}

static int new_task(run_ctx *c, const revops_config_handoff *h, size_t hk, size_t row,
                    revops_time entered)
{
    revops_dataset *ds = c->ds;
    int is_lead = h->entity == REVOPS_ENTITY_LEAD;
    revops_str record = is_lead ? ds->lead.id[row] : ds->opportunity.id[row];
    revops_str owner = 0;
    if (is_lead) {
        owner = ds->lead.owner_id[row];
    } else {
        int64_t account = revops_idmap__get(&c->accounts, ds->opportunity.account_id[row]);
        if (account >= 0)
            owner = ds->account.owner_id[account];
        if (!owner)
            owner = ds->opportunity.owner_id[row];
    }
    int64_t rep = revops_idmap__get(&c->reps, owner);
    revops_str team = rep >= 0 ? ds->rep.team_id[rep] : 0;
    char id[32];
    snprintf(id, sizeof(id), "TASK-%llu", (unsigned long long)c->next_task++);
    revops_value v[REVOPS_MAX_FIELDS] = {{0}};
    v[REVOPS_F_task_id] = revops_ops__text(id);
    v[REVOPS_F_task_handoff] = revops_ops__text(h->name);
    v[REVOPS_F_task_entity] = revops_ops__text(is_lead ? "lead" : "opportunity");
    v[REVOPS_F_task_record_id] = revops_ops__text(str(ds, record));
    v[REVOPS_F_task_from_department] = revops_ops__text(revops_department_name(h->from));
    v[REVOPS_F_task_to_department] = revops_ops__text(revops_department_name(h->to));
    v[REVOPS_F_task_owner_id] = revops_ops__text(str(ds, owner));
    v[REVOPS_F_task_team_id] = revops_ops__text(str(ds, team));
    v[REVOPS_F_task_created_at] = (revops_value){1, entered, 0, NULL, 0};
    v[REVOPS_F_task_due_at] = (revops_value){1, entered + h->response_seconds, 0, NULL, 0};
    v[REVOPS_F_task_status] = revops_ops__text("open");
    int rc = revops_dataset__append(ds, REVOPS_ENTITY_TASK, v);
    if (rc)
        return rc;
    c->res->pub.by_handoff[hk]++;
    return 0;
}

static int handoffs(run_ctx *c)
{
    revops_dataset *ds = c->ds;
    const revops_task_table *t = &ds->task;
    uint64_t *keys = malloc((t->n ? t->n : 1) * sizeof(*keys));
    revops_time *opp_entered =
        malloc((ds->opportunity.n ? ds->opportunity.n : 1) * sizeof(*opp_entered));
    revops_idmap opps = {0};
    int rc = 0;
    if (!keys || !opp_entered) {
        rc = revops_error__oom();
        goto done;
    }
    /* The tasks that exist: a record has at most one per handoff. */
    size_t nkeys = t->n;
    for (size_t i = 0; i < t->n; i++)
        keys[i] = (uint64_t)t->record_id[i] << 32 | t->handoff[i];
    qsort(keys, nkeys, sizeof(*keys), by_pair);
    if ((rc = revops_idmap__build(&opps, ds->opportunity.id, ds->opportunity.n)) ||
        (rc = revops_idmap__build(&c->accounts, ds->account.id, ds->account.n)) ||
        (rc = revops_idmap__build(&c->reps, ds->rep.id, ds->rep.n)))
        goto done;
    size_t first_new = t->n;
    for (size_t hk = 0; hk < c->cfg->nhandoffs; hk++) {
        const revops_config_handoff *h = &c->cfg->handoffs[hk];
        revops_str name;
        if ((rc = intern(ds, h->name, &name)))
            goto done;
        int is_lead = h->entity == REVOPS_ENTITY_LEAD;
        size_t n = is_lead ? ds->lead.n : ds->opportunity.n;
        if (!is_lead) {
            /* The first stage_change into the stage, by now. */
            const revops_stage_def *sd = &c->cfg->stages.items[h->stage];
            revops_str stage = 0;
            revops_strpool__find(&ds->strings, sd->name, strlen(sd->name), &stage);
            for (size_t i = 0; i < n; i++)
                opp_entered[i] = REVOPS_NO_TIME;
            const revops_stage_change_table *sc = &ds->stage_change;
            for (size_t i = 0; stage && i < sc->n; i++) {
                int64_t row = revops_idmap__get(&opps, sc->opportunity_id[i]);
                if (row < 0 || sc->to_stage[i] != stage || sc->at[i] > c->now)
                    continue;
                if (opp_entered[row] == REVOPS_NO_TIME || sc->at[i] < opp_entered[row])
                    opp_entered[row] = sc->at[i];
            }
            for (size_t i = 0; i < n; i++) {
                if (opp_entered[i] != REVOPS_NO_TIME || !stage || ds->opportunity.stage[i] != stage)
                    continue;
                revops_time closed = ds->opportunity.closed_at[i];
                opp_entered[i] = sd->outcome != REVOPS_OUTCOME_OPEN && closed != REVOPS_NO_TIME &&
                                         closed <= c->now
                                     ? closed
                                     : c->now;
            }
        }
        for (size_t row = 0; row < n; row++) {
            revops_time created =
                is_lead ? ds->lead.created_at[row] : ds->opportunity.created_at[row];
            if (created == REVOPS_NO_TIME || created > c->now)
                continue;
            revops_time entered = is_lead ? lead_entered(c, row, h->stage) : opp_entered[row];
            if (entered == REVOPS_NO_TIME)
                continue;
            revops_str record = is_lead ? ds->lead.id[row] : ds->opportunity.id[row];
            if (has_pair(keys, nkeys, (uint64_t)record << 32 | name))
                continue;
            int hit = revops_criteria_eval(h->criteria.compiled, &c->env, row);
            if (hit < 0) {
                revops_error__prefix("handoff '%s' for %s %s", h->name,
                                     is_lead ? "lead" : "opportunity", str(ds, record));
                rc = hit;
                goto done;
            }
            if (hit && (rc = new_task(c, h, hk, row, entered)))
                goto done;
        }
    }
    c->res->first_new_task = first_new;
done:
    free(keys);
    free(opp_entered);
    revops_idmap__free(&opps);
    revops_idmap__free(&c->accounts);
    revops_idmap__free(&c->reps);
    return rc;
}

/* Brings every task's first response, status and closed_at up to date; lists the new tasks
 * and the existing ones that changed. */
static int update_tasks(run_ctx *c)
{
    revops_dataset *ds = c->ds;
    revops_task_table *t = &ds->task;
    lc_run *r = c->res;
    revops_lifecycle_run *pub = &r->pub;
    if (!t->n)
        return 0;
    ops_task_state *st = malloc(t->n * sizeof(*st));
    if (!st)
        return revops_error__oom();
    int rc = revops_ops__task_states(ds, c->now, st);
    revops_str status_ids[3] = {0};
    for (int i = 0; i < 3 && !rc; i++)
        rc = intern(ds, revops_values_task_status[i], &status_ids[i]);
    for (size_t i = 0; i < t->n && !rc; i++) {
        const ops_task_state *s = &st[i];
        int fresh = i >= r->first_new_task;
        /* A decision stored with a task is final; a task not created by now is left alone
         * (a run with an earlier now must not undo what a later one found). */
        int stored = revops_ops__task_status(ds, t->status[i]);
        if (s->exists && stored <= OPS_TASK_OPEN) {
            int changed = 0;
            if (s->first_activity != REVOPS_NO_TIME && t->first_response_at[i] == REVOPS_NO_TIME) {
                t->first_response_at[i] = s->first_activity;
                changed = 1;
            }
            if (stored != s->status) {
                t->status[i] = status_ids[s->status];
                changed = 1;
            }
            if (s->status != OPS_TASK_OPEN && t->closed_at[i] != s->closed_at) {
                t->closed_at[i] = s->closed_at;
                changed = 1;
            }
            if (changed && !fresh && (rc = mark(&r->dirty_tasks, &r->dirty_tasks_cap, i)))
                break;
        }
        if (!fresh && !(i < r->dirty_tasks_cap && r->dirty_tasks[i]))
            continue;
        revops_lifecycle_task **list = fresh ? &pub->created : &pub->updated;
        size_t *count = fresh ? &pub->ncreated : &pub->nupdated;
        size_t *cap = fresh ? &c->created_cap : &c->updated_cap;
        if ((rc = grow((void **)list, cap, *count, sizeof(**list))))
            break;
        (*list)[(*count)++] = (revops_lifecycle_task){str(ds, t->id[i]),
                                                      str(ds, t->handoff[i]),
                                                      str(ds, t->entity[i]),
                                                      str(ds, t->record_id[i]),
                                                      str(ds, t->owner_id[i]),
                                                      t->created_at[i],
                                                      t->due_at[i],
                                                      str(ds, t->status[i]),
                                                      t->first_response_at[i],
                                                      t->closed_at[i]};
    }
    free(st);
    return rc;
}

int revops_lifecycle_apply(revops_lifecycle_run **out, revops_dataset *ds, const revops_config *cfg,
                           const revops_lifecycle_options *opts)
{
    *out = NULL;
    revops_lifecycle_options def = REVOPS_LIFECYCLE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    lc_run *lc = calloc(1, sizeof(*lc));
    if (!lc)
        return revops_error__oom();
    revops_lifecycle_run *r = &lc->pub;
    run_ctx c = {0};
    c.ds = ds;
    c.cfg = cfg;
    c.res = lc;
    int rc = 0;
    r->dry_run = opts->dry_run;
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
    c.now = r->now;
    r->by_transition = calloc(cfg->ntransitions + 1, sizeof(*r->by_transition));
    r->by_handoff = calloc(cfg->nhandoffs + 1, sizeof(*r->by_handoff));
    if (!r->by_transition || !r->by_handoff) {
        rc = revops_error__oom();
        goto done;
    }
    const char *currency = opts->currency     ? opts->currency
                           : cfg->currency[0] ? cfg->currency
                                              : NULL;
    if ((rc = revops_criteria_env_init(&c.env, ds, c.now, currency)))
        goto done;
    c.next_change = revops_ops__next_number(ds, REVOPS_ENTITY_LIFECYCLE_CHANGE, "LC-");
    c.next_task = revops_ops__next_number(ds, REVOPS_ENTITY_TASK, "TASK-");
    lc->first_change_row = ds->lifecycle_change.n;
    lc->first_stage_change_row = ds->stage_change.n;
    if ((rc = transitions(&c, REVOPS_ENTITY_LEAD)) ||
        (rc = transitions(&c, REVOPS_ENTITY_OPPORTUNITY)) || (rc = handoffs(&c)) ||
        (rc = update_tasks(&c)))
        goto done;
done:
    if (rc) {
        revops_lifecycle_run_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

void revops_lifecycle_run_free(revops_lifecycle_run *r)
{
    if (!r)
        return;
    lc_run *lc = (lc_run *)r;
    free(r->changes);
    free(r->by_transition);
    free(r->created);
    free(r->by_handoff);
    free(r->updated);
    free(lc->dirty_leads);
    free(lc->dirty_opps);
    free(lc->dirty_tasks);
    revops_dataset_free(r->owned);
    free(lc);
}
