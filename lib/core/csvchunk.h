/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reading one CSV file in pieces: the whole file mapped into memory, cut at record
 * boundaries into chunks that separate threads parse, each chunk read by an ordinary reader
 * that names the file and counts lines from where the chunk starts, so its errors read as if
 * the whole file had been read in one go.
 */
#ifndef REVOPS_CORE_CSVCHUNK_H
#define REVOPS_CORE_CSVCHUNK_H

#include <stddef.h>

#include "revops/csv.h"

/* A file's bytes in memory: mapped when the file is a regular one, else read whole. */
typedef struct revops_csv_file {
    const char *data;
    size_t len;
    void *map;  /* the mapping, or NULL */
    char *copy; /* the bytes read, when not mapped */
} revops_csv_file;

/* Maps `path`. Errors are revops_csv_open()'s: a missing file, a folder. The caller releases
 * the file with revops_csv__unmap() whatever the result. */
int revops_csv__map(revops_csv_file *f, const char *path);
void revops_csv__unmap(revops_csv_file *f);

/*
 * Opens a reader on `len` bytes at `data`, a chunk of the file `name` that starts at a record
 * boundary on line `first_line`. A byte-order mark is skipped only when `file_start` is set.
 */
int revops_csv__open_chunk(revops_csv_reader **out, const char *data, size_t len,
                           const revops_csv_options *opts, const char *name, long first_line,
                           int file_start);

/* The line of the next byte the reader has not read. */
long revops_csv__next_line(const revops_csv_reader *r);

/*
 * A record boundary after `start` (itself a record boundary) near `start + size`: where a
 * reader that started at `start` would begin a later record, having followed quotes exactly
 * as revops_csv_next() does. Returns `len` when the rest holds no boundary it can vouch for
 * (one record longer than `max_record`, or bytes the reader would refuse): one reader then
 * takes the rest, and meets any error where a whole-file reader would.
 */
size_t revops_csv__cut(const char *data, size_t len, size_t start, size_t size, char delimiter,
                       size_t max_record);

#endif
