/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Finding the input files of an import and mapping their header rows to entity fields.
 */
#ifndef REVOPS_INGEST_INPUTS_H
#define REVOPS_INGEST_INPUTS_H

#include <stddef.h>

#include "model/entities.h"
#include "revops/csv.h"
#include "revops/import.h"

typedef struct revops_input {
    char *path;
    int entity;
} revops_input;

typedef struct revops_inputs {
    revops_input *items;
    size_t n;
    size_t cap;
} revops_inputs;

/*
 * Expands files and folders into input files sorted in dependency order of their entities
 * (stable for files of the same entity). A folder contributes its `<entity>.csv` files
 * (`<entity>.<anything>.csv` too, except rejects files); other files in it are skipped with
 * a warning. A file named after no entity is an error.
 */
int revops_inputs__collect(revops_inputs *out, const char *const *paths, size_t npaths,
                           const revops_import_options *opts);
void revops_inputs__free(revops_inputs *in);

/* The entity a file name stands for (the part of its base name before the first '.'), or -1. */
int revops_inputs__entity_of(const char *path);

/* Where the field of each column of a file's header goes, and which column holds each field. */
typedef struct revops_header_map {
    size_t ncols;
    int *field_of_col;                   /* -1: unknown column, ignored */
    int col_of_field[REVOPS_MAX_FIELDS]; /* -1: the file has no such column */
} revops_header_map;

/*
 * Maps a header row. Unknown columns are reported through opts->warning; a missing required
 * column, a repeated column or a header that is not UTF-8 refuses the file (REVOPS_EINVALID,
 * with the file and column in the error).
 */
int revops_header__map(revops_header_map *map, const char *path, int entity,
                       const revops_csv_field *fields, size_t nfields,
                       const revops_import_options *opts);
void revops_header__free(revops_header_map *map);

#endif
