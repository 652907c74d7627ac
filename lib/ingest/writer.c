/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Batches travel from the reading thread to the writing thread through a small ring: the
 * reader fills a free batch, the writer empties a full one. Two batches in flight are enough
 * to keep both cores busy; more would only hold more memory.
 */
#include "ingest/writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "model/entities.h"

#define BATCH_ROWS 2048
#define BATCH_TEXT ((size_t)1 << 20)
#define NBATCHES 3

typedef struct batch {
    int entity;
    size_t input;
    size_t nrows;
    revops_value *values; /* BATCH_ROWS x REVOPS_MAX_FIELDS */
    char *text;           /* copies of the text values */
    size_t text_len;
    size_t text_cap;
} batch;

struct revops_writer {
    revops_store *store;
    revops_import_file *files;
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    batch batches[NBATCHES];
    size_t head; /* next batch the writer takes */
    size_t tail; /* next batch the reader fills */
    size_t full; /* batches waiting for the writer */
    int closing; /* the reader has sent everything */
    int error;   /* the writer's first error code */
    revops_error error_record;
    batch *filling; /* the batch the reader fills, or NULL */
};

static int write_batch(revops_writer *w, batch *b)
{
    const revops_entity_def *def = revops_entity_at((size_t)b->entity);
    revops_import_file *f = &w->files[b->input];
    for (size_t i = 0; i < b->nrows; i++) {
        revops_upsert_result result;
        int rc = revops_store__upsert(w->store, b->entity, b->values + i * def->nfields, &result);
        if (rc)
            return rc;
        if (result == REVOPS_UPSERT_INSERTED)
            f->inserted++;
        else if (result == REVOPS_UPSERT_UPDATED)
            f->updated++;
        else
            f->unchanged++;
    }
    return 0;
}

static void *writer_main(void *arg)
{
    revops_writer *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (w->full == 0 && !w->closing)
            pthread_cond_wait(&w->changed, &w->lock);
        if (w->full == 0 && w->closing)
            break;
        batch *b = &w->batches[w->head];
        pthread_mutex_unlock(&w->lock);
        int rc = w->error ? 0 : write_batch(w, b);
        pthread_mutex_lock(&w->lock);
        if (rc && !w->error) {
            w->error = rc;
            w->error_record = *revops_error_last();
        }
        b->nrows = 0;
        b->text_len = 0;
        w->head = (w->head + 1) % NBATCHES;
        w->full--;
        pthread_cond_broadcast(&w->changed);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void free_batches(revops_writer *w)
{
    for (size_t i = 0; i < NBATCHES; i++) {
        free(w->batches[i].values);
        free(w->batches[i].text);
    }
}

int revops_writer__start(revops_writer **out, revops_store *store, revops_import_file *files)
{
    *out = NULL;
    revops_writer *w = calloc(1, sizeof(*w));
    if (!w)
        return revops_error__oom();
    w->store = store;
    w->files = files;
    for (size_t i = 0; i < NBATCHES; i++) {
        w->batches[i].values = malloc(BATCH_ROWS * REVOPS_MAX_FIELDS * sizeof(revops_value));
        w->batches[i].text = malloc(BATCH_TEXT);
        w->batches[i].text_cap = BATCH_TEXT;
        if (!w->batches[i].values || !w->batches[i].text) {
            free_batches(w);
            free(w);
            return revops_error__oom();
        }
    }
    if (pthread_mutex_init(&w->lock, NULL) != 0) {
        free_batches(w);
        free(w);
        return revops_error__set(REVOPS_EINTERNAL, "cannot create a mutex");
    }
    if (pthread_cond_init(&w->changed, NULL) != 0) {
        pthread_mutex_destroy(&w->lock);
        free_batches(w);
        free(w);
        return revops_error__set(REVOPS_EINTERNAL, "cannot create a condition variable");
    }
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_cond_destroy(&w->changed);
        pthread_mutex_destroy(&w->lock);
        free_batches(w);
        free(w);
        return revops_error__set(REVOPS_EINTERNAL, "cannot start the writer thread");
    }
    w->started = 1;
    *out = w;
    return 0;
}

/* Hands the filling batch to the writer. Called with the lock held. */
static void send_filling(revops_writer *w)
{
    if (!w->filling)
        return;
    w->tail = (w->tail + 1) % NBATCHES;
    w->full++;
    w->filling = NULL;
    pthread_cond_broadcast(&w->changed);
}

/* A free batch for `entity` and `input` with room for one more row of `text` bytes. */
static int take_batch(revops_writer *w, int entity, size_t input, size_t text)
{
    batch *b = w->filling;
    if (b && (b->entity != entity || b->input != input || b->nrows == BATCH_ROWS ||
              b->text_len + text > b->text_cap)) {
        pthread_mutex_lock(&w->lock);
        send_filling(w);
        pthread_mutex_unlock(&w->lock);
        b = NULL;
    }
    if (b)
        return 0;
    pthread_mutex_lock(&w->lock);
    while (w->full == NBATCHES && !w->error)
        pthread_cond_wait(&w->changed, &w->lock);
    int error = w->error;
    pthread_mutex_unlock(&w->lock);
    if (error)
        return error;
    b = &w->batches[w->tail];
    if (text > b->text_cap) {
        /* One row longer than a batch's text: give this batch room for it. */
        char *p = realloc(b->text, text);
        if (!p)
            return revops_error__oom();
        b->text = p;
        b->text_cap = text;
    }
    b->entity = entity;
    b->input = input;
    b->nrows = 0;
    b->text_len = 0;
    w->filling = b;
    return 0;
}

int revops_writer__put(revops_writer *w, int entity, size_t input, const revops_value *row)
{
    const revops_entity_def *def = revops_entity_at((size_t)entity);
    size_t text = 0;
    for (size_t f = 0; f < def->nfields; f++)
        if (row[f].present && revops_field__is_text(def->fields[f].type))
            text += row[f].len;
    int rc = take_batch(w, entity, input, text);
    if (rc)
        return rc;
    batch *b = w->filling;
    revops_value *dst = b->values + b->nrows * def->nfields;
    for (size_t f = 0; f < def->nfields; f++) {
        dst[f] = row[f];
        if (row[f].present && revops_field__is_text(def->fields[f].type)) {
            memcpy(b->text + b->text_len, row[f].s, row[f].len);
            dst[f].s = b->text + b->text_len;
            b->text_len += row[f].len;
        }
    }
    b->nrows++;
    return 0;
}

int revops_writer__finish(revops_writer *w)
{
    if (!w)
        return 0;
    pthread_mutex_lock(&w->lock);
    send_filling(w);
    w->closing = 1;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->lock);
    if (w->started)
        pthread_join(w->thread, NULL);
    int rc = w->error;
    if (rc)
        revops_error__restore(&w->error_record);
    pthread_cond_destroy(&w->changed);
    pthread_mutex_destroy(&w->lock);
    free_batches(w);
    free(w);
    return rc;
}
