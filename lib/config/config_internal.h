/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the configuration's defaults (config.c), loader (load.c) and writer (write.c).
 */
#ifndef REVOPS_CONFIG_INTERNAL_H
#define REVOPS_CONFIG_INTERNAL_H

#include <stdio.h>

#include "revops/config.h"

/* Fills `c` with the defaults (allocating the default lists). */
int revops_config__defaults(revops_config *c);

/* Copies `text` and compiles it for `entity`. On an error nothing stays allocated and the
 * compile error is the last error. */
int revops_config__set_criteria(revops_config_criteria *c, const char *text, size_t entity,
                                const revops_stages *stages);
void revops_config__free_criteria(revops_config_criteria *c);

/* Index of a KPI in cfg->goals, or -1. */
int revops_config__kpi(const revops_config *cfg, const char *name, size_t len);
/* Index of a lead stage of the data model ("lead" 0 ... "disqualified" 5), or -1. */
int revops_config__lead_stage(const char *name, size_t len);

#endif
