/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store: where imported data lives between runs. SQLite (one file) is always available;
 * other backends plug in behind the same interface. Analytics never talk to a store directly:
 * they read a dataset loaded from it.
 */
#ifndef REVOPS_STORE_H
#define REVOPS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "revops/dataset.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct revops_store revops_store;

/* The schema version this build writes; stores with an older version are migrated on open. */
#define REVOPS_SCHEMA_VERSION 3

typedef struct revops_store_options {
    int create;   /* create the store (and its schema) when it does not exist */
    int readonly; /* open without write access */
} revops_store_options;

#define REVOPS_STORE_OPTIONS_INIT                                                                  \
    {                                                                                              \
        0, 0                                                                                       \
    }

/*
 * Opens a store. `uri` is a file path (SQLite) or "sqlite:PATH"; "postgresql://..." needs a
 * build with PostgreSQL support. An existing store of an older schema version is migrated;
 * one of a newer version is refused (REVOPS_EUNSUPPORTED). A missing store is an error
 * (REVOPS_ENOTFOUND) unless `opts->create` is set. The caller owns *out and closes it with
 * revops_store_close().
 */
int revops_store_open(revops_store **out, const char *uri, const revops_store_options *opts);
void revops_store_close(revops_store *s);

/* The backend name ("sqlite") and the schema version of the open store. */
const char *revops_store_backend(const revops_store *s);
int revops_store_schema_version(revops_store *s, int *out);

/* Rows of an entity (an index of revops_entity_at()). */
int revops_store_count(revops_store *s, size_t entity, int64_t *out);

typedef void (*revops_progress_fn)(void *ctx, const char *what, uint64_t done, uint64_t total);

/*
 * Loads every entity of the store into a new dataset. `progress` may be NULL; it is called on
 * the calling thread while a second thread reads the store (the store must not be used
 * elsewhere meanwhile). The caller owns *out and frees it with revops_dataset_free().
 */
int revops_dataset_load_store(revops_dataset **out, revops_store *s, revops_progress_fn progress,
                              void *progress_ctx);

#ifdef __cplusplus
}
#endif

#endif
