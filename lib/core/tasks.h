/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A few independent pieces of work run on every core: each thread takes the next task of
 * the list, waiting first for the one task it must follow, if any. The tasks write disjoint
 * results, so what they compute does not depend on which thread ran which.
 */
#ifndef REVOPS_CORE_TASKS_H
#define REVOPS_CORE_TASKS_H

#include <stddef.h>

typedef struct revops_task {
    int (*run)(void *arg); /* 0, or a negative code with the error recorded */
    void *arg;
    int after; /* the index of an earlier task that must end first, or -1 */
} revops_task;

/*
 * Runs the tasks on up to `threads` threads, the calling one included (0: one per core).
 * Returns 0 when every task did; otherwise the code of the first task in list order that
 * failed, with its error record in the calling thread (the tasks after a failure may not run).
 */
int revops_tasks__run(const revops_task *tasks, size_t n, size_t threads);

/* Threads worth starting for parallel work: the online processors, from 1 to 8. */
size_t revops_tasks__cores(void);

#endif
