/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lifecycle (docs/lifecycle.md): the configured transitions move leads and opportunities
 * from stage to stage, every change is recorded in the change log (lifecycle_change), and a
 * record entering a handoff's stage gets a task for the receiving department (task), whose
 * creation starts the SLA clock. The SLA report says how the receiving side answered: first
 * response times, breaches, acceptance against the target, per handoff, team and rep.
 */
#ifndef REVOPS_LIFECYCLE_H
#define REVOPS_LIFECYCLE_H

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

/* ---- lifecycle run ---- */

typedef struct revops_lifecycle_options {
    /* The moment of the run: criteria count to it, changes and new tasks are stamped with it.
     * REVOPS_NO_TIME: the end of the data's latest event day (the library never reads the
     * clock; the program passes the present). */
    revops_time now;
    const char *currency; /* what exchange rates convert into; NULL: the config's, else the
                           * data's only currency without rates */
    int dry_run;          /* work it all out, write nothing */
} revops_lifecycle_options;

#define REVOPS_LIFECYCLE_OPTIONS_INIT                                                              \
    {                                                                                              \
        INT64_MIN, NULL, 0                                                                         \
    }

/* One stage change (texts borrowed from the result's dataset). */
typedef struct revops_lifecycle_change {
    const char *id;     /* LC-n in the change log */
    const char *entity; /* "lead" or "opportunity" */
    const char *record;
    const char *from, *to;
    const char *rule; /* the transition's name */
} revops_lifecycle_change;

/* A task created for a handoff, or one whose state the run brought up to date. */
typedef struct revops_lifecycle_task {
    const char *id;
    const char *handoff;
    const char *entity;
    const char *record;
    const char *owner; /* NULL when the record has no owner */
    revops_time created_at, due_at;
    const char *status;                       /* open, accepted or rejected */
    revops_time first_response_at, closed_at; /* REVOPS_NO_TIME when none */
} revops_lifecycle_task;

typedef struct revops_lifecycle_run {
    revops_time now;
    int dry_run;
    int stored;                       /* 1 when the changes were written to the store */
    size_t leads, opportunities;      /* records that exist at now */
    revops_lifecycle_change *changes; /* in the order applied */
    size_t nchanges;
    size_t *by_transition;          /* changes per configured transition */
    revops_lifecycle_task *created; /* new tasks, by handoff then record */
    size_t ncreated;
    size_t *by_handoff;             /* new tasks per configured handoff */
    revops_lifecycle_task *updated; /* existing tasks whose response or status changed */
    size_t nupdated;
    revops_dataset *owned; /* the store's data the texts point into (NULL in memory) */
} revops_lifecycle_run;

/*
 * Runs the lifecycle on `ds` in memory, changing it: every lead and opportunity that exists at
 * now moves by the first transition (in configuration order) whose `from` holds its stage and
 * whose criteria hold, again and again until none applies, never returning within one run to a
 * stage it has been in; each move is a change (and for an opportunity a stage_change row).
 * Then every record that entered a handoff's stage and has no task for that handoff gets one,
 * and every task's first response and status are brought up to date (docs/lifecycle.md). Run
 * again at the same now, it finds nothing to do. `cfg` and `ds` must outlive *out.
 */
int revops_lifecycle_apply(revops_lifecycle_run **out, revops_dataset *ds, const revops_config *cfg,
                           const revops_lifecycle_options *opts);

/*
 * The same on a store, in one transaction (unless opts->dry_run): loads the store, runs the
 * lifecycle, and writes the changed leads and opportunities, the stage_change and
 * lifecycle_change rows and the tasks, all or nothing. The store is locked for writing from
 * the load to the commit.
 */
int revops_lifecycle_run_store(revops_lifecycle_run **out, revops_store *store,
                               const revops_config *cfg, const revops_lifecycle_options *opts);
void revops_lifecycle_run_free(revops_lifecycle_run *r);

/* JSON: now, dry_run, stored, leads, opportunities, transitions[] (name, entity, changes),
 * handoffs[] (name, tasks_created), changes[], tasks_created[], tasks_updated[]. `top` limits
 * the listed changes and tasks (0: all); the counts cover everything. */
int revops_lifecycle_run_write_json(const revops_lifecycle_run *r, const revops_config *cfg,
                                    size_t top, revops_json *j);
int revops_lifecycle_run_write_text(const revops_lifecycle_run *r, const revops_config *cfg,
                                    size_t top, FILE *fp);

/* ---- SLA report ---- */

typedef struct revops_sla_options {
    int32_t as_of; /* a day; REVOPS_NO_DAY: the latest event of the data */
    size_t top;    /* breaches listed, most late first; 0: all */
} revops_sla_options;

#define REVOPS_SLA_OPTIONS_INIT                                                                    \
    {                                                                                              \
        INT32_MIN, 20                                                                              \
    }

/* The numbers of one group of tasks: a handoff, or a handoff's tasks of one team or rep. NaN
 * marks what cannot be computed (no response yet, no decided task, no SLA). */
typedef struct revops_sla_stats {
    const char *key;   /* the team or rep id; "(none)" for tasks without one; NULL for a handoff */
    size_t handoffs;   /* tasks created by the end of the as-of day */
    size_t responded;  /* first response (or rejection) by then */
    size_t within;     /* responded within the SLA */
    size_t late;       /* responded after it was due */
    size_t overdue;    /* no response, and due before the end of the day */
    size_t pending;    /* no response, not due yet */
    size_t no_sla;     /* no response time known (an imported task of an unknown handoff) */
    double compliance; /* within / (within + late + overdue) */
    double median_minutes, p90_minutes, mean_minutes; /* response times of the responded */
    size_t accepted, rejected, open;
    double acceptance_rate; /* accepted / (accepted + rejected) */
} revops_sla_stats;

typedef struct revops_sla_handoff {
    const char *name;
    const char *from, *to; /* departments; NULL when unknown */
    const char *entity;
    const char *stage;        /* NULL for a handoff the configuration does not name */
    int64_t response_seconds; /* -1 when unknown */
    double acceptance_target; /* NaN when unknown */
    int target_met;           /* 1, 0, or -1 when the rate or the target is unknown */
    revops_sla_stats total;
    revops_sla_stats *teams, *reps; /* by id, "(none)" last */
    size_t nteams, nreps;
} revops_sla_handoff;

typedef struct revops_sla_breach {
    const char *task, *handoff, *entity, *record, *owner, *team; /* owner, team may be NULL */
    revops_time created_at, due_at, response_at;                 /* response_at NO_TIME when none */
    const char *response; /* what stopped the clock: "first_response", "rejection" or
                           * "acceptance" (by hand); NULL when nothing did */
    double minutes_late;  /* response (or the end of the day) - due */
} revops_sla_breach;

typedef struct revops_sla_report {
    int32_t as_of;
    size_t tasks;                 /* created by the end of the day, over every handoff */
    revops_sla_handoff *handoffs; /* configured ones first, in their order, then the others */
    size_t nhandoffs;
    revops_sla_breach *breaches; /* most late first (ties: task id) */
    size_t nbreaches, total_breaches;
} revops_sla_report;

/*
 * The SLA report on the tasks of `ds` as known at the end of the as-of day (docs/lifecycle.md
 * "SLA report"): tasks created after it are left out, and responses, rejections and decisions
 * after it are not known yet. `cfg` and `ds` must outlive *out.
 */
int revops_sla_report_compute(revops_sla_report **out, const revops_dataset *ds,
                              const revops_config *cfg, const revops_sla_options *opts);
void revops_sla_report_free(revops_sla_report *r);
int revops_sla_report_write_json(const revops_sla_report *r, revops_json *j);
int revops_sla_report_write_text(const revops_sla_report *r, FILE *fp);

/* ---- handoff tasks by hand ---- */

typedef enum revops_task_decision { REVOPS_TASK_ACCEPT, REVOPS_TASK_REJECT } revops_task_decision;

/* The longest reason a decision may carry, in bytes. */
#define REVOPS_TASK_REASON_MAX 500

typedef struct revops_task_decide_options {
    revops_time now;    /* when it is decided (required: the library never reads the clock) */
    const char *by;     /* the deciding rep's id, or NULL */
    const char *reason; /* why: required to reject, optional to accept */
} revops_task_decide_options;

#define REVOPS_TASK_DECIDE_OPTIONS_INIT                                                            \
    {                                                                                              \
        INT64_MIN, NULL, NULL                                                                      \
    }

/* The task as it was decided (texts copied, cut to the buffers). */
typedef struct revops_task_decided {
    char handoff[128], entity[16], record[128], owner[128];
    revops_time created_at;
    revops_time due_at; /* REVOPS_NO_TIME when the task has none */
} revops_task_decided;

/*
 * Accepts or rejects task `id` of the store by hand (docs/lifecycle.md "Deciding by hand"), in
 * one transaction: its status becomes accepted or rejected, closed_at `now`, decided_by and
 * reason the options'. A decision is final: a task the store holds as accepted or rejected
 * already is a REVOPS_ECONFLICT, whose message says when and how it was decided. Also
 * REVOPS_ENOTFOUND for an unknown task or rep, REVOPS_EINVALID for a rejection without a
 * reason, a reason longer than REVOPS_TASK_REASON_MAX or with control characters, or `now`
 * before the task's creation. `out` (may be NULL) receives the task's particulars.
 */
int revops_task_decide(revops_task_decided *out, revops_store *store, const char *id,
                       revops_task_decision decision, const revops_task_decide_options *opts);

/* ---- the task list ---- */

typedef struct revops_task_list_options {
    /* The moment: tasks created later are left out, and their states are those known then.
     * REVOPS_NO_TIME: the end of the data's latest event day. */
    revops_time now;
    const char *status;  /* "open" (NULL means it), "accepted", "rejected" or "all" */
    const char *owner;   /* only this receiving rep's tasks, or NULL */
    const char *team;    /* only this team's, or NULL */
    const char *handoff; /* only this handoff's, or NULL */
    int overdue;         /* only open tasks past their due time */
    size_t top;          /* list at most this many (0: all); the counts cover every match */
} revops_task_list_options;

#define REVOPS_TASK_LIST_OPTIONS_INIT                                                              \
    {                                                                                              \
        INT64_MIN, NULL, NULL, NULL, NULL, 0, 20                                                   \
    }

typedef struct revops_task_list revops_task_list;

/*
 * The handoff tasks of `ds` that match the options, as they stood at `now` (their state worked
 * out as the lifecycle run and the SLA report do), the most urgent first: open tasks by due
 * time (the longest overdue first, then those due soonest, then those without a due time),
 * then decided ones, the latest decision first; ties by id. The caller frees *out.
 */
int revops_task_list_compute(revops_task_list **out, const revops_dataset *ds,
                             const revops_task_list_options *opts);
void revops_task_list_free(revops_task_list *l);
/* Tasks that matched, listed or not. */
size_t revops_task_list_count(const revops_task_list *l);
int revops_task_list_write_json(const revops_task_list *l, revops_json *j);
int revops_task_list_write_text(const revops_task_list *l, FILE *fp);

#ifdef __cplusplus
}
#endif

#endif
