/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Backend selection and dispatch.
 */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/entities.h"

int revops_store_open(revops_store **out, const char *uri, const revops_store_options *opts)
{
    *out = NULL;
    revops_store_options def = REVOPS_STORE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    if (!uri || !*uri)
        return revops_error__set(REVOPS_EINVALID, "no store given (expected a file path)");
    if (strncmp(uri, "postgres://", 11) == 0 || strncmp(uri, "postgresql://", 13) == 0)
        return revops_error__set(REVOPS_EUNSUPPORTED,
                                 "this build of revops has no PostgreSQL support; use a SQLite "
                                 "file path, or rebuild with -DREVOPS_WITH_POSTGRES=ON");
    const char *path = strncmp(uri, "sqlite:", 7) == 0 ? uri + 7 : uri;
    revops_store *s = calloc(1, sizeof(*s));
    if (!s)
        return revops_error__oom();
    int rc = revops_sqlite__open(&s->impl, path, opts);
    if (rc) {
        free(s);
        return rc;
    }
    s->ops = &revops_sqlite_ops;
    *out = s;
    return 0;
}

void revops_store_close(revops_store *s)
{
    if (!s)
        return;
    s->ops->close(s->impl);
    free(s);
}

const char *revops_store_backend(const revops_store *s)
{
    return s->ops->name;
}

int revops_store_schema_version(revops_store *s, int *out)
{
    return s->ops->schema_version(s->impl, out);
}

int revops_store_count(revops_store *s, size_t entity, int64_t *out)
{
    if (entity >= REVOPS_ENTITY_COUNT)
        return revops_error__set(REVOPS_EINVALID, "no entity %zu", entity);
    return s->ops->count(s->impl, (int)entity, out);
}

int revops_store__begin(revops_store *s, int bulk)
{
    return s->ops->begin(s->impl, bulk);
}

int revops_store__commit(revops_store *s)
{
    return s->ops->commit(s->impl);
}

int revops_store__rollback(revops_store *s)
{
    return s->ops->rollback(s->impl);
}

int revops_store__upsert(revops_store *s, int entity, const revops_value *row,
                         revops_upsert_result *result)
{
    return s->ops->upsert(s->impl, entity, row, result);
}

int revops_store__scan(revops_store *s, int entity, revops_row_fn fn, void *ctx)
{
    return s->ops->scan(s->impl, entity, fn, ctx);
}

int revops_store__get(revops_store *s, int entity, const char *id, size_t len, revops_row_fn fn,
                      void *ctx)
{
    return s->ops->get(s->impl, entity, id, len, fn, ctx);
}

int revops_store__ids(revops_store *s, int entity, int extra_field, revops_id_fn fn, void *ctx)
{
    return s->ops->ids(s->impl, entity, extra_field, fn, ctx);
}
