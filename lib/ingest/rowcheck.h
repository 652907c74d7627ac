/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rules that involve several fields of one row: an opportunity's outcome agrees with its
 * stage, a period ends after it starts, a ratable contract line has its dates. They run
 * after every field converted cleanly.
 */
#ifndef REVOPS_INGEST_ROWCHECK_H
#define REVOPS_INGEST_ROWCHECK_H

#include "model/value.h"
#include "revops/stages.h"

/*
 * Checks one row of entity `entity` and fills in derived values (an opportunity's empty
 * outcome comes from its stage). Returns 0, or REVOPS_EINVALID with the reason as the error
 * message and the index of the field at fault in *field.
 */
int revops_rowcheck__row(int entity, revops_value *row, const revops_stages *stages, int *field);

#endif
