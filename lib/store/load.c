/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops_dataset_load_store: every table of a store into a dataset. A second thread runs the
 * backend's scans, table after table, and gathers the rows into chunks (see model/rows.h);
 * the calling thread appends the chunks in order, interning each chunk's distinct texts once,
 * so the string ids number first appearances in table and row order, as they always did. The
 * backend's connection is used by the reading thread alone until it is done.
 *
 * A chunk holds as many rows as the progress callback's step, so progress is reported after
 * the same rows as when the rows went in one by one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/rows.h"
#include "store/store.h"

#define CHUNK_ROWS 65536
#define NCHUNKS 4

typedef struct chunk {
    revops_rows rows;
    int entity;
    int last;   /* the entity's last chunk */
    int failed; /* the scan stopped with `error` */
    revops_error error;
    uint64_t total; /* the entity's rows, when progress is reported */
} chunk;

typedef struct store_loader {
    revops_store *store;
    int counts; /* count each table's rows first (for progress) */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    chunk chunks[NCHUNKS];
    size_t head; /* the next chunk to append */
    size_t full; /* chunks waiting to be appended */
    int stop;    /* the calling thread has given up */
    /* The reading thread's state. */
    chunk *filling;
    size_t next; /* the ring slot after `filling` */
    uint64_t total;
} store_loader;

/* Hands the chunk being filled to the calling thread; takes a free one for `entity`. */
static int hand_over(store_loader *sl, int entity)
{
    pthread_mutex_lock(&sl->lock);
    sl->full++;
    pthread_cond_broadcast(&sl->changed);
    while (sl->full == NCHUNKS && !sl->stop)
        pthread_cond_wait(&sl->changed, &sl->lock);
    int stop = sl->stop;
    pthread_mutex_unlock(&sl->lock);
    if (stop)
        return REVOPS_EINTERNAL; /* ends the scan; the calling thread has its own error */
    chunk *c = &sl->chunks[sl->next];
    sl->next = (sl->next + 1) % NCHUNKS;
    sl->filling = c;
    c->entity = entity;
    c->last = c->failed = 0;
    c->total = sl->total;
    return revops_rows__reset(&c->rows, revops_entity_at((size_t)entity));
}

static int on_row(void *ctx, const revops_value *row)
{
    store_loader *sl = ctx;
    chunk *c = sl->filling;
    int rc = revops_rows__add(&c->rows, row);
    if (!rc && c->rows.n == CHUNK_ROWS)
        rc = hand_over(sl, c->entity);
    return rc;
}

static void *reader_main(void *arg)
{
    store_loader *sl = arg;
    sl->next = 1;
    sl->filling = &sl->chunks[0];
    int rc = revops_rows__reset(&sl->filling->rows, revops_entity_at(0));
    for (int e = 0; e < REVOPS_ENTITY_COUNT && !rc; e++) {
        chunk *c = sl->filling;
        c->entity = e;
        if (c->rows.def != revops_entity_at((size_t)e) &&
            (rc = revops_rows__reset(&c->rows, revops_entity_at((size_t)e))))
            break;
        sl->total = 0;
        if (sl->counts) {
            int64_t n = 0;
            if ((rc = sl->store->ops->count(sl->store->impl, e, &n)))
                break;
            sl->total = (uint64_t)n;
        }
        c->total = sl->total;
        if ((rc = sl->store->ops->scan(sl->store->impl, e, on_row, sl)))
            break;
        sl->filling->last = 1;
        if (e + 1 < REVOPS_ENTITY_COUNT)
            rc = hand_over(sl, e + 1);
    }
    pthread_mutex_lock(&sl->lock);
    if (rc) {
        sl->filling->failed = 1;
        sl->filling->error = *revops_error_last();
    }
    /* The last chunk: the last entity's, or the failed one. */
    if (!sl->stop)
        sl->full++;
    pthread_cond_broadcast(&sl->changed);
    pthread_mutex_unlock(&sl->lock);
    return NULL;
}

static int append_chunks(store_loader *sl, revops_dataset *ds, revops_progress_fn progress,
                         void *progress_ctx)
{
    revops_str *map = NULL;
    size_t map_cap = 0;
    uint64_t done = 0;
    int rc = 0;
    for (;;) {
        pthread_mutex_lock(&sl->lock);
        while (sl->full == 0)
            pthread_cond_wait(&sl->changed, &sl->lock);
        pthread_mutex_unlock(&sl->lock);
        chunk *c = &sl->chunks[sl->head];
        if (c->failed) {
            revops_error__restore(&c->error);
            rc = c->error.code ? c->error.code : REVOPS_EINTERNAL;
            break;
        }
        if ((rc = revops_dataset__append_rows(ds, c->entity, &c->rows, &map, &map_cap)))
            break;
        const char *name = revops_entity_at((size_t)c->entity)->name;
        done += c->rows.n;
        if (progress && c->rows.n && (done & 0xFFFF) == 0)
            progress(progress_ctx, name, done, c->total);
        int last = c->last, final = last && c->entity == REVOPS_ENTITY_COUNT - 1;
        if (last) {
            if (progress)
                progress(progress_ctx, name, done, c->total);
            done = 0;
        }
        pthread_mutex_lock(&sl->lock);
        sl->head = (sl->head + 1) % NCHUNKS;
        sl->full--;
        pthread_cond_broadcast(&sl->changed);
        pthread_mutex_unlock(&sl->lock);
        if (final)
            break;
    }
    free(map);
    return rc;
}

/* Without a second thread: the rows one by one, in this one. */
struct one_by_one {
    revops_dataset *ds;
    int entity;
    uint64_t done, total;
    revops_progress_fn progress;
    void *progress_ctx;
};

static int append_one(void *ctx, const revops_value *row)
{
    struct one_by_one *o = ctx;
    int rc = revops_dataset__append(o->ds, o->entity, row);
    if (!rc && o->progress && (++o->done & 0xFFFF) == 0)
        o->progress(o->progress_ctx, revops_entity_at((size_t)o->entity)->name, o->done, o->total);
    return rc;
}

static int load_one_by_one(revops_dataset *ds, revops_store *s, revops_progress_fn progress,
                           void *progress_ctx)
{
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        struct one_by_one o = {ds, e, 0, 0, progress, progress_ctx};
        int64_t n = 0;
        int rc = progress ? s->ops->count(s->impl, e, &n) : 0;
        o.total = (uint64_t)n;
        if (rc || (rc = s->ops->scan(s->impl, e, append_one, &o)))
            return rc;
        if (progress)
            progress(progress_ctx, revops_entity_at((size_t)e)->name, o.done, o.total);
    }
    return 0;
}

int revops_dataset_load_store(revops_dataset **out, revops_store *s, revops_progress_fn progress,
                              void *progress_ctx)
{
    *out = NULL;
    revops_dataset *ds;
    int rc = revops_dataset__new(&ds);
    if (rc)
        return rc;
    store_loader sl;
    memset(&sl, 0, sizeof(sl));
    sl.store = s;
    sl.counts = progress != NULL;
    pthread_mutex_init(&sl.lock, NULL);
    pthread_cond_init(&sl.changed, NULL);
    pthread_t reader;
    if (pthread_create(&reader, NULL, reader_main, &sl) != 0) {
        rc = load_one_by_one(ds, s, progress, progress_ctx);
    } else {
        rc = append_chunks(&sl, ds, progress, progress_ctx);
        pthread_mutex_lock(&sl.lock);
        sl.stop = 1;
        pthread_cond_broadcast(&sl.changed);
        pthread_mutex_unlock(&sl.lock);
        pthread_join(reader, NULL);
    }
    for (size_t i = 0; i < NCHUNKS; i++)
        revops_rows__free(&sl.chunks[i].rows);
    pthread_cond_destroy(&sl.changed);
    pthread_mutex_destroy(&sl.lock);
    if (rc) {
        revops_dataset_free(ds);
        return rc;
    }
    *out = ds;
    return 0;
}
