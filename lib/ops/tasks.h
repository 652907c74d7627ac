/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The state of handoff tasks at a moment (docs/lifecycle.md "Response and acceptance"), shared
 * by the lifecycle run, which writes it into the tasks, and the SLA report, which reads it as of
 * a day.
 */
#ifndef REVOPS_OPS_TASKS_H
#define REVOPS_OPS_TASKS_H

#include "model/dataset.h"

/* In the order of revops_values_task_status, whose index they are. */
enum { OPS_TASK_OPEN, OPS_TASK_ACCEPTED, OPS_TASK_REJECTED };

typedef struct ops_task_state {
    int exists;                 /* created by now */
    revops_time first_activity; /* the first response: the stored one, else the first activity */
    revops_time rejected_at;    /* when the receiving side turned it down; NO_TIME */
    revops_time response_at;    /* the SLA clock stops (see below) */
    int status;                 /* OPS_TASK_* at now */
    revops_time closed_at;      /* when accepted or rejected; NO_TIME when open or unknown */
} ops_task_state;

/*
 * The state at `now` of every task of `ds` (out: one per task row). Stored values are taken as
 * they are when known by now: first_response_at, and a status of accepted or rejected with its
 * closed_at; the rest is worked out from the data:
 *
 * - first response: the first activity on the record (a lead's activities; an opportunity's,
 *   or its account's) at or after the task's creation, by the task's owner when it has one,
 *   else by anyone;
 * - rejection: a lead disqualified, or an opportunity lost, at or after the task's creation;
 * - status: accepted at the first response when that comes first, rejected at the rejection
 *   when that comes first, else open;
 * - the SLA clock stops at the first response, a rejection or a stored acceptance, whichever
 *   came first.
 */
int revops_ops__task_states(const revops_dataset *ds, revops_time now, ops_task_state *out);

/* The index of a task status string id among open/accepted/rejected, or -1. */
int revops_ops__task_status(const revops_dataset *ds, revops_str s);

#endif
