/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backend interface. A backend implements these operations over its own connection
 * state; store.c dispatches to them, and nothing above this layer knows which backend runs.
 */
#ifndef REVOPS_STORE_STORE_H
#define REVOPS_STORE_STORE_H

#include "model/value.h"
#include "revops/store.h"

typedef enum revops_upsert_result {
    REVOPS_UPSERT_INSERTED,
    REVOPS_UPSERT_UPDATED,
    REVOPS_UPSERT_UNCHANGED
} revops_upsert_result;

/* Called for each row of a scan; a non-zero return stops the scan and is returned by it. The
 * row's text values are borrowed for the duration of the call. */
typedef int (*revops_row_fn)(void *ctx, const revops_value *row);

/* Called for each id of an `ids` listing, with the value of one more field (or NULL). */
typedef int (*revops_id_fn)(void *ctx, const char *id, size_t len, const char *extra,
                            size_t extra_len);

typedef struct revops_store_ops {
    const char *name;
    void (*close)(void *impl);
    int (*schema_version)(void *impl, int *out);
    /* A bulk transaction may defer index maintenance of empty tables to the commit. */
    int (*begin)(void *impl, int bulk);
    int (*commit)(void *impl);
    int (*rollback)(void *impl);
    /* Inserts the row, or updates the row with the same key when any value differs. */
    int (*upsert)(void *impl, int entity, const revops_value *row, revops_upsert_result *result);
    /* Calls `fn` for every row of `entity`, in the order the rows were first stored. */
    int (*scan)(void *impl, int entity, revops_row_fn fn, void *ctx);
    /* Calls `fn` with the row of an entity that has ids whose id is `id` (`len` bytes);
     * REVOPS_ENOTFOUND when there is none. */
    int (*get)(void *impl, int entity, const char *id, size_t len, revops_row_fn fn, void *ctx);
    int (*count)(void *impl, int entity, int64_t *out);
    /* Calls `fn` with the id of every row of an entity that has ids, and the text of field
     * `extra_field` (-1 for none). */
    int (*ids)(void *impl, int entity, int extra_field, revops_id_fn fn, void *ctx);
} revops_store_ops;

struct revops_store {
    const revops_store_ops *ops;
    void *impl;
};

/* The SQLite backend: opens (and creates or migrates) the database at `path`. */
int revops_sqlite__open(void **impl, const char *path, const revops_store_options *opts);
extern const revops_store_ops revops_sqlite_ops;

int revops_store__begin(revops_store *s, int bulk);
int revops_store__commit(revops_store *s);
int revops_store__rollback(revops_store *s);
int revops_store__upsert(revops_store *s, int entity, const revops_value *row,
                         revops_upsert_result *result);
int revops_store__scan(revops_store *s, int entity, revops_row_fn fn, void *ctx);
int revops_store__get(revops_store *s, int entity, const char *id, size_t len, revops_row_fn fn,
                      void *ctx);
int revops_store__ids(revops_store *s, int entity, int extra_field, revops_id_fn fn, void *ctx);

#endif
