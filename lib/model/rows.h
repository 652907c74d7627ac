/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chunk of rows of one entity on their way into a dataset, gathered by one thread while
 * another appends earlier chunks. The values sit in the dataset's column types; the texts
 * in a table of the chunk's own (so a text the chunk repeats is hashed and kept once), with
 * their hashes, so that appending the chunk interns each distinct text into the dataset's
 * pool once, in the order the chunk first met them, with the probes' loads asked for ahead.
 */
#ifndef REVOPS_MODEL_ROWS_H
#define REVOPS_MODEL_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "model/dataset.h"

typedef struct revops_rows {
    const revops_entity_def *def;      /* the entity of the rows */
    size_t n;                          /* rows */
    void *cols[REVOPS_MAX_FIELDS];     /* by field: the dataset's column type; text as local ids */
    size_t cap;                        /* rows the columns have room for */
    const revops_entity_def *cols_def; /* the entity the columns are sized for */
    /* The distinct texts: local ids 1..nstr (0 is the empty string), found through slots of
     * (hash >> 32) << 32 | id, so a probe compares hashes without another load. */
    uint64_t *slots;
    size_t mask;
    uint64_t *hash;
    size_t *off;
    uint32_t *len_of;
    size_t nstr;
    size_t nslotted; /* texts in the slots */
    size_t str_cap;
    uint8_t look[REVOPS_MAX_FIELDS];  /* by field: look texts up before adding them */
    uint32_t hits[REVOPS_MAX_FIELDS]; /* by field: texts found among the first rows */
    revops_buf chars;
} revops_rows;

/* Empties the chunk (keeping its memory) for rows of `def`. */
int revops_rows__reset(revops_rows *b, const revops_entity_def *def);

/* Adds one row: a value per field, as revops_dataset__append() takes them. */
int revops_rows__add(revops_rows *b, const revops_value *row);

void revops_rows__free(revops_rows *b);

/*
 * Appends the chunk's rows to the table of entity `e` (whose rows they must be), interning
 * their texts. `*map` (of `*map_cap` ids, grown as needed; the caller frees it) receives the
 * pool id of each local id, for callers that look at the new rows.
 */
int revops_dataset__append_rows(revops_dataset *ds, int e, const revops_rows *b, revops_str **map,
                                size_t *map_cap);

#endif
