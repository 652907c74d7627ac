/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lifecycle run's bookkeeping beside its public result: which rows the run changed or
 * added, so that the store writer (lifecycle_store.c) writes exactly those.
 */
#ifndef REVOPS_OPS_LIFECYCLE_INTERNAL_H
#define REVOPS_OPS_LIFECYCLE_INTERNAL_H

#include <stdint.h>

#include "model/dataset.h"
#include "revops/lifecycle.h"

typedef struct lc_run {
    revops_lifecycle_run pub; /* first, so a pointer to it is a pointer to this */
    uint8_t *dirty_leads, *dirty_opps, *dirty_tasks; /* by row: changed by the run */
    size_t dirty_leads_cap, dirty_opps_cap, dirty_tasks_cap;
    size_t first_new_task;         /* task rows from here on are new */
    size_t first_change_row;       /* lifecycle_change rows from here on are new */
    size_t first_stage_change_row; /* stage_change rows from here on are new */
} lc_run;

#endif
