/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The in-memory columnar dataset every analytics module reads: one struct of column arrays
 * per entity (see entities.h), all text interned in one string pool so that ids compare as
 * integers across tables (lead.owner_id == rep.id), dates as day numbers, times as seconds,
 * money as int64 minor units beside its currency.
 */
#ifndef REVOPS_MODEL_DATASET_H
#define REVOPS_MODEL_DATASET_H

#include "model/entities.h"
#include "model/value.h"
#include "revops/dataset.h"

#define REVOPS_TABLE_MEMBER_(name, NAME, summary) revops_##name##_table name;

struct revops_dataset {
    revops_strpool strings;
    REVOPS_ENTITY_LIST(REVOPS_TABLE_MEMBER_)
};

/* The table of entity `e` as its generic header. */
static inline revops_table_header *revops_dataset__table(revops_dataset *ds, int e)
{
    return (revops_table_header *)((char *)ds + revops_entity_at((size_t)e)->table_offset);
}

/* The column array of field `f` of entity `e` (NULL while the table is empty). */
static inline void *revops_dataset__column(revops_dataset *ds, int e, int f)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    char *table = (char *)ds + def->table_offset;
    return *(void **)(table + def->fields[f].column_offset);
}

/* Creates an empty dataset (the caller frees it with revops_dataset_free()). */
int revops_dataset__new(revops_dataset **out);

/* Makes room for `rows` rows of entity `e` (at least doubling, so appends stay linear). */
int revops_dataset__reserve(revops_dataset *ds, int e, size_t rows);

/* Stores a value of a non-text field type as cell `i` of a column of that type: a missing
 * value becomes the type's "none" (REVOPS_NO_DAY, NaN, ...). Text is left to the caller. */
void revops_dataset__set_cell(revops_field_type t, void *col, size_t i, const revops_value *v);

/* Appends one row of entity `e`; `row` holds a value per field (see value.h). */
int revops_dataset__append(revops_dataset *ds, int e, const revops_value *row);

/* Removes the last row of entity `e` (the strings it interned stay in the pool). */
void revops_dataset__drop_last(revops_dataset *ds, int e);

/* Keeps the rows of entity `e` whose `keep` flag is set, in order. */
void revops_dataset__compact(revops_dataset *ds, int e, const uint8_t *keep);

/* Interned text of a string id. */
static inline const char *revops_dataset__str(const revops_dataset *ds, revops_str id)
{
    return revops_strpool__get(&ds->strings, id);
}

/* The earliest and the latest day of an event in the data (see revops_dataset_latest_day()),
 * in one pass; REVOPS_NO_DAY when there is none. */
void revops_dataset__event_days(const revops_dataset *ds, revops_day *first, revops_day *latest);

/* A column of event times: a non-planned time field of a table that has rows. */
typedef struct revops_time_column {
    const revops_time *at;
    size_t n;
} revops_time_column;

/* More than the model has (static assertion in dataset.c). */
#define REVOPS_MAX_TIME_COLUMNS 64

/* Fills up to `cap` of the event-time columns that event_days reads; returns how many there
 * are. */
size_t revops_dataset__time_columns(const revops_dataset *ds, revops_time_column *out, size_t cap);

/* Widens [*lo, *hi] to the times of col[0 .. n): *lo skips REVOPS_NO_TIME and starts at
 * INT64_MAX, *hi starts at REVOPS_NO_TIME. Slices of a column may be bounded apart and the
 * bounds combined, which is how analyses spread this over the cores. */
void revops_dataset__time_bounds(const revops_time *col, size_t n, revops_time *lo,
                                 revops_time *hi);

/* The days of bounds from revops_dataset__time_bounds (REVOPS_NO_DAY when none). */
void revops_dataset__bounds_days(revops_time lo, revops_time hi, revops_day *first,
                                 revops_day *latest);

/* Element size of the column of a field type. */
size_t revops_field__column_size(revops_field_type t);

#endif
