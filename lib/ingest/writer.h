/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store writer: a thread that takes validated rows in batches and upserts them, so that
 * reading and checking the next rows (one core) overlaps with SQLite's work on the last ones
 * (the other core). The rows keep their order; the caller still owns the transaction.
 */
#ifndef REVOPS_INGEST_WRITER_H
#define REVOPS_INGEST_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "model/value.h"
#include "revops/import.h"
#include "store/store.h"

typedef struct revops_writer revops_writer;

/*
 * Starts the thread. `files` receives the inserted / updated / unchanged counts, indexed by
 * the `input` given with each row; the writer owns those three counters until it is finished.
 */
int revops_writer__start(revops_writer **out, revops_store *store, revops_import_file *files);

/*
 * Queues one validated row of entity `entity` read from input `input`; its values are copied.
 * Returns the writer's error when the thread has failed (the import must stop).
 */
int revops_writer__put(revops_writer *w, int entity, size_t input, const revops_value *row);

/*
 * Writes what is queued, stops the thread and frees the writer. Returns the first error of
 * the thread (with its message moved to the calling thread's error record), or 0.
 */
int revops_writer__finish(revops_writer *w);

#endif
