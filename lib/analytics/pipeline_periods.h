/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The period half of the pipeline section: slippage and pipeline movement, from the deals as
 * they stood on the day before the period and on its last known day.
 */
#ifndef REVOPS_ANALYTICS_PIPELINE_PERIODS_H
#define REVOPS_ANALYTICS_PIPELINE_PERIODS_H

#include "analytics/context.h"
#include "report/tree.h"

/* `slippage_rate` with its `slippage` terms, then `pipeline_movement`, whose terms add up to
 * the minor unit, into the pipeline node `n`. */
void revops_pipeline__periods(revops_actx *c, revops_rt_node *n);

#endif
