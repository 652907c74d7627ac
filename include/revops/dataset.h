/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset: an immutable, in-memory, columnar copy of every entity, which all analytics
 * read. Build one from a store (revops_dataset_load_store() in store.h) or straight from a
 * folder of native CSV files (revops_dataset_load_csv() in import.h); both give the same
 * dataset for the same data.
 */
#ifndef REVOPS_DATASET_H
#define REVOPS_DATASET_H

#include <stddef.h>
#include "revops/common.h"
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_dataset revops_dataset;

void revops_dataset_free(revops_dataset *ds);

/* Rows of entity `entity` (an index of revops_entity_at()); 0 for a bad index. */
size_t revops_dataset_rows(const revops_dataset *ds, size_t entity);

/*
 * An order-independent 64-bit digest of all rows of one entity, computed from the values
 * (not from string ids), so two datasets holding the same rows in any order agree.
 */
uint64_t revops_dataset_fingerprint(const revops_dataset *ds, size_t entity);

/* The day of the latest event in the data: the latest value of any timestamp field that
 * records something that happened (not planned times such as invoice.due_at, nor dates such
 * as an expected close_date). REVOPS_NO_DAY when there is none. This is the default "as of"
 * day for generated or imported data. */
int32_t revops_dataset_latest_day(const revops_dataset *ds);

#ifdef __cplusplus
}
#endif

#endif
