/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The whole public API of librevops.
 */
#ifndef REVOPS_REVOPS_H
#define REVOPS_REVOPS_H

#include "revops/common.h"
#include "revops/analyze.h"
#include "revops/config.h"
#include "revops/criteria.h"
#include "revops/csv.h"
#include "revops/dataset.h"
#include "revops/forecast.h"
#include "revops/date.h"
#include "revops/gen.h"
#include "revops/import.h"
#include "revops/json.h"
#include "revops/lifecycle.h"
#include "revops/money.h"
#include "revops/routing.h"
#include "revops/saas.h"
#include "revops/schema.h"
#include "revops/score.h"
#include "revops/score_accounts.h"
#include "revops/score_models.h"
#include "revops/stages.h"
#include "revops/stats.h"
#include "revops/store.h"

#endif
