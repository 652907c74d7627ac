/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset loader behind revops_dataset_load_csv: every `--csv` analysis starts here, so
 * it uses every core while giving exactly the dataset, verdicts, counts and errors of one
 * reader going through the files in order.
 *
 * Each file is mapped into memory and cut at record boundaries into chunks of about a MB.
 * Threads take chunks in file order and parse them on their own: CSV, conversion and the
 * row's own checks (as the import does them), and a chunk-local string table, so that a
 * text repeated in the chunk (an activity type, an owner) is hashed and copied once. The
 * calling thread then takes the parsed chunks strictly in order and does what depends on
 * order: it interns the chunk's distinct strings into the dataset's pool (so string ids are
 * numbered by first appearance, as they always were), appends the rows, drops rows whose key
 * an earlier row of the file holds, counts, and reports progress. When no parsed chunk is
 * waiting for it, the calling thread parses one itself.
 *
 * A chunk does not know the line it starts on (that depends on every chunk before it), so a
 * failing chunk is parsed once more by the calling thread, which does: the error then names
 * the right line. Stage changes without a currency take their opportunity's currency, so
 * their file is cut only after every opportunity file is in.
 *
 * After the last file, references are settled as the import settles them: rows pointing at
 * no surviving row are dropped, until every remaining reference holds.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csvchunk.h"
#include "core/error.h"
#include "core/utf8.h"
#include "ingest/importer.h"
#include "model/rows.h"

/* The bytes of one chunk: big enough that a chunk's thread works long between locks, small
 * enough that both cores stay busy to the end of a file. */
#define CHUNK_BYTES ((size_t)1 << 20)
#define MAX_THREADS 8
/* Parsed chunks waiting for the calling thread, per thread: memory, and a little slack. */
#define INFLIGHT_PER_THREAD 3
/* The mapping's pages are given back in steps of this many bytes. */
#define DROP_BYTES ((size_t)64 << 20)

/* ---- per file ---- */

typedef struct ld_file {
    revops_csv_file csv;
    int opened;
    revops_header_map map;
    size_t next;    /* where the next chunk starts */
    size_t dropped; /* the mapping's pages before this have been given back */
    long data_line;
    char **warnings; /* header warnings, replayed when the file's turn comes */
    size_t nwarnings;
} ld_file;

/* ---- one chunk, and what parsing made of it ---- */

typedef struct ld_batch {
    struct ld_batch *next;
    size_t input;
    size_t start, len;
    int last;        /* the file's last chunk */
    int done;        /* parsed (or failed) */
    int failed;      /* parsing stopped with `error` */
    int file_failed; /* the file could not be opened or its header is refused */
    revops_error error;
    size_t nrecords;   /* records read (blank lines excluded) */
    size_t nrejected;  /* records that failed their own checks */
    long lines;        /* line ends in the chunk */
    uint64_t *rec_end; /* by record: the offset in the chunk after it */
    size_t rec_cap;
    revops_rows rows; /* the good rows */
} ld_batch;

/* ---- the loader ---- */

typedef struct loader {
    importer *imp;
    ld_file *files;
    size_t nfiles;
    size_t last_opportunity; /* index of the last opportunity input + 1, or 0 */
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t cut_input; /* the file being cut */
    int cut_done;     /* every chunk has been cut */
    int oom;          /* memory ran out for a chunk */
    int stop;
    ld_batch *head, *tail; /* cut and not yet consumed, in order */
    size_t inflight;
    size_t max_inflight;
    ld_batch *spare;
    size_t consumed; /* files fully consumed */
    pthread_t threads[MAX_THREADS];
    size_t nthreads;
    /* The calling thread's state. */
    size_t cur_input; /* the file being consumed, or SIZE_MAX */
    uint64_t records; /* records of the current file so far */
    long line;        /* the line the next chunk of the current file starts on */
    size_t first_row;
    revops_str *map; /* local string id -> pool id */
    size_t map_cap;
    uint8_t *key_mark; /* by pool id: (input % 255) + 1 of the file whose row holds it as key */
    size_t key_mark_cap;
    uint64_t *kslots; /* composite keys of the current file: hash << 32 | row + 1 */
    size_t kmask;
    size_t kcount;
} loader;

/* The state a thread keeps across the chunks it parses. */
typedef struct worker {
    loader *ld;
    file_pass fp;
    revops_value row[REVOPS_MAX_FIELDS];
} worker;

static void batch_free(ld_batch *b)
{
    if (!b)
        return;
    free(b->rec_end);
    revops_rows__free(&b->rows);
    free(b);
}

/* ---- parsing a chunk (any thread) ---- */

/*
 * Parses chunk `b` starting on line `first_line`. A record the reader refuses, or memory
 * running out, sets b->failed with the error, for the calling thread to raise in its turn.
 */
static void parse_chunk(worker *w, ld_batch *b, long first_line)
{
    loader *ld = w->ld;
    importer *imp = ld->imp;
    ld_file *file = &ld->files[b->input];
    const revops_input *in = &imp->inputs.items[b->input];
    file_pass *fp = &w->fp;
    fp->imp = imp;
    fp->input = b->input;
    fp->entity = in->entity;
    fp->def = revops_entity_at((size_t)in->entity);
    fp->phase = 1;
    fp->map = file->map;
    /* Most exports are ASCII: one look at the whole chunk spares checking every field. */
    fp->text_checked = revops_utf8__ascii(file->csv.data + b->start, b->len);
    b->nrecords = b->nrejected = 0;
    b->lines = 0;
    b->failed = 0;
    int rc = revops_rows__reset(&b->rows, fp->def);
    if (rc)
        goto fail;
    revops_csv_options copts = REVOPS_CSV_OPTIONS_INIT;
    if (imp->opts->delimiter)
        copts.delimiter = imp->opts->delimiter;
    revops_csv_reader *r = NULL;
    if ((rc = revops_csv__open_chunk(&r, file->csv.data + b->start, b->len, &copts, in->path,
                                     first_line, 0)))
        goto fail;
    for (;;) {
        const revops_csv_field *fields;
        size_t nfields;
        rc = revops_csv_next(r, &fields, &nfields);
        if (rc <= 0)
            break;
        rc = 0;
        if (nfields == 1 && fields[0].len == 0 && !fields[0].quoted)
            continue; /* a blank line */
        if (b->nrecords == b->rec_cap &&
            (rc = revops_array__grow((void **)&b->rec_end, &b->rec_cap, b->nrecords + 1,
                                     sizeof(*b->rec_end))))
            break;
        b->rec_end[b->nrecords++] = revops_csv_offset(r);
        int ok = revops_import__validate_row(fp, fields, nfields, revops_csv_line(r), w->row);
        if (ok < 0) {
            rc = ok;
            break;
        }
        if (!ok)
            b->nrejected++;
        else if ((rc = revops_rows__add(&b->rows, w->row)))
            break;
    }
    b->lines = revops_csv__next_line(r) - first_line;
    revops_csv_close(r);
    if (rc == 0)
        return;
fail:
    b->failed = 1;
    b->error = *revops_error_last();
}

/* ---- cutting chunks (under the lock) ---- */

static void capture_warning(void *ctx, const char *message)
{
    ld_file *f = ctx;
    char **w = realloc(f->warnings, (f->nwarnings + 1) * sizeof(*w));
    if (!w)
        return;
    f->warnings = w;
    size_t len = strlen(message);
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, message, len + 1);
    f->warnings[f->nwarnings++] = copy;
}

/* Maps a file and reads its header, as the import's pass over it starts. */
static int open_file(loader *ld, size_t input)
{
    importer *imp = ld->imp;
    ld_file *f = &ld->files[input];
    const revops_input *in = &imp->inputs.items[input];
    const revops_entity_def *def = revops_entity_at((size_t)in->entity);
    f->opened = 1;
    int rc = revops_csv__map(&f->csv, in->path);
    if (rc)
        return rc;
    revops_csv_options copts = REVOPS_CSV_OPTIONS_INIT;
    if (imp->opts->delimiter)
        copts.delimiter = imp->opts->delimiter;
    revops_csv_reader *r;
    if ((rc = revops_csv__open_chunk(&r, f->csv.data, f->csv.len, &copts, in->path, 1, 1)))
        return rc;
    const revops_csv_field *fields;
    size_t nfields;
    rc = revops_csv_next(r, &fields, &nfields);
    if (rc >= 0 && (rc == 0 || (nfields == 1 && fields[0].len == 0))) {
        rc = revops_error__set_at(REVOPS_EINVALID, in->path, 1, 0, NULL,
                                  "%s is empty: expected a header line naming the fields of %s",
                                  in->path, def->name);
    } else if (rc > 0) {
        revops_import_options opts = *imp->opts;
        opts.warning = capture_warning;
        opts.warning_ctx = f;
        rc = revops_header__map(&f->map, in->path, in->entity, fields, nfields, &opts);
    }
    if (rc == 0) {
        /* A header ending in CR LF: the LF belongs to it. */
        size_t start = (size_t)revops_csv_offset(r);
        if (start > 0 && start < f->csv.len && f->csv.data[start - 1] == '\r' &&
            f->csv.data[start] == '\n')
            start++;
        f->next = start;
        f->data_line = revops_csv__next_line(r);
    }
    revops_csv_close(r);
    return rc;
}

static ld_batch *new_batch(loader *ld)
{
    ld_batch *b = ld->spare;
    if (b) {
        ld->spare = b->next;
    } else {
        b = calloc(1, sizeof(*b));
        if (!b)
            return NULL;
    }
    b->next = NULL;
    b->done = b->failed = b->file_failed = b->last = 0;
    b->start = b->len = 0;
    return b;
}

static void enqueue(loader *ld, ld_batch *b)
{
    if (ld->tail)
        ld->tail->next = b;
    else
        ld->head = b;
    ld->tail = b;
    ld->inflight++;
}

/* Stops cutting with an error the calling thread raises when it reaches this point. */
static void enqueue_failure(loader *ld, ld_batch *b, size_t input, int file_failed)
{
    b->input = input;
    b->done = 1;
    b->failed = 1;
    b->file_failed = file_failed;
    b->error = *revops_error_last();
    enqueue(ld, b);
    ld->cut_done = 1;
}

/*
 * The next chunk to parse, or NULL when there is none for now (every chunk is cut, enough
 * are waiting, or stage changes wait for the opportunities). Called with the lock held.
 */
static ld_batch *cut_next(loader *ld)
{
    importer *imp = ld->imp;
    if (ld->cut_done || ld->stop || ld->inflight >= ld->max_inflight)
        return NULL;
    size_t input = ld->cut_input;
    if (input >= ld->nfiles) {
        ld->cut_done = 1;
        return NULL;
    }
    ld_file *f = &ld->files[input];
    const revops_input *in = &imp->inputs.items[input];
    if (in->entity == REVOPS_ENTITY_STAGE_CHANGE && ld->consumed < ld->last_opportunity)
        return NULL;
    ld_batch *b = new_batch(ld);
    if (!b) {
        ld->oom = 1;
        ld->cut_done = 1;
        return NULL;
    }
    if (!f->opened && open_file(ld, input)) {
        enqueue_failure(ld, b, input, 1);
        return NULL;
    }
    size_t end = revops_csv__cut(f->csv.data, f->csv.len, f->next, CHUNK_BYTES,
                                 imp->opts->delimiter ? imp->opts->delimiter : ',',
                                 ((revops_csv_options)REVOPS_CSV_OPTIONS_INIT).max_record);
    b->input = input;
    b->start = f->next;
    b->len = end - f->next;
    b->last = end == f->csv.len;
    f->next = end;
    if (b->last)
        ld->cut_input++;
    enqueue(ld, b);
    return b;
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    loader *ld = w->ld;
    pthread_mutex_lock(&ld->lock);
    while (!ld->stop) {
        ld_batch *b = cut_next(ld);
        if (b) {
            pthread_mutex_unlock(&ld->lock);
            parse_chunk(w, b, 1);
            pthread_mutex_lock(&ld->lock);
            b->done = 1;
            pthread_cond_broadcast(&ld->changed);
            continue;
        }
        if (ld->cut_done)
            break;
        pthread_cond_wait(&ld->changed, &ld->lock);
    }
    pthread_mutex_unlock(&ld->lock);
    return NULL;
}

/* ---- consuming chunks in order (the calling thread) ---- */

static uint64_t key_mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

/* The bytes of field `f` of row `i` in its column. */
static const void *cell(revops_dataset *ds, int e, int f, size_t i)
{
    const revops_field_def *fd = &revops_entity_at((size_t)e)->fields[f];
    return (const char *)revops_dataset__column(ds, e, f) + i * revops_field__column_size(fd->type);
}

static uint32_t row_key_hash(revops_dataset *ds, int e, size_t i)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (size_t f = 0; f < def->nfields; f++) {
        if (!(def->fields[f].flags & REVOPS_FIELD_KEY))
            continue;
        uint64_t v = 0;
        memcpy(&v, cell(ds, e, (int)f, i), revops_field__column_size(def->fields[f].type));
        h = key_mix(h ^ v ^ f);
    }
    return (uint32_t)(h >> 16);
}

static int row_keys_equal(revops_dataset *ds, int e, size_t i, size_t j)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    for (size_t f = 0; f < def->nfields; f++)
        if ((def->fields[f].flags & REVOPS_FIELD_KEY) &&
            memcmp(cell(ds, e, (int)f, i), cell(ds, e, (int)f, j),
                   revops_field__column_size(def->fields[f].type)) != 0)
            return 0;
    return 1;
}

/* Adds the key of row `row`; sets *dup when an earlier row of this file has it. */
static int keyset_add(loader *ld, int e, size_t row, int *dup)
{
    revops_dataset *ds = ld->imp->ds;
    *dup = 0;
    if ((ld->kcount + 1) * 2 > ld->kmask + 1) {
        size_t n = ld->kmask ? (ld->kmask + 1) * 2 : 1024;
        uint64_t *slots = calloc(n, sizeof(*slots));
        if (!slots)
            return revops_error__oom();
        for (size_t k = 0; k <= ld->kmask && ld->kslots; k++) {
            uint64_t v = ld->kslots[k];
            if (!v)
                continue;
            size_t j = (size_t)(v >> 32) & (n - 1);
            while (slots[j])
                j = (j + 1) & (n - 1);
            slots[j] = v;
        }
        free(ld->kslots);
        ld->kslots = slots;
        ld->kmask = n - 1;
    }
    uint32_t h = row_key_hash(ds, e, row);
    size_t k = h & ld->kmask;
    while (ld->kslots[k]) {
        uint64_t v = ld->kslots[k];
        size_t other = (size_t)(uint32_t)v - 1;
        if ((uint32_t)(v >> 32) == h && other >= ld->first_row &&
            row_keys_equal(ds, e, row, other)) {
            *dup = 1;
            return 0;
        }
        k = (k + 1) & ld->kmask;
    }
    ld->kslots[k] = (uint64_t)h << 32 | (uint32_t)(row + 1);
    ld->kcount++;
    return 0;
}

/* Whether entity `def` is keyed by its id alone, which the pool's ids compare exactly. */
static int keyed_by_id(const revops_entity_def *def)
{
    if (!revops_entity_has_id(def))
        return 0;
    for (size_t f = 1; f < def->nfields; f++)
        if (def->fields[f].flags & REVOPS_FIELD_KEY)
            return 0;
    return 1;
}

/* Notes an opportunity's currency for the stage changes that name none. */
static int note_opportunity_currency(importer *imp, size_t row)
{
    const revops_dataset *ds = imp->ds;
    revops_str id_s = ds->opportunity.id[row], cur_s = ds->opportunity.currency[row];
    revops_str id, cur;
    int rc = revops_import__intern_ref(imp, revops_dataset__str(ds, id_s),
                                       revops_strpool__len(&ds->strings, id_s), &id);
    if (!rc)
        rc = revops_import__intern_ref(imp, revops_dataset__str(ds, cur_s),
                                       revops_strpool__len(&ds->strings, cur_s), &cur);
    if (!rc)
        imp->opp_currency[id] = cur;
    return rc;
}

/* Appends the chunk's rows, leaving out those whose key an earlier row of the file holds
 * (the first good row keeps a key); returns the rows kept in *kept. */
static int append_rows(loader *ld, ld_batch *b, size_t *kept)
{
    importer *imp = ld->imp;
    revops_dataset *ds = imp->ds;
    int e = imp->inputs.items[b->input].entity;
    const revops_entity_def *def = revops_entity_at((size_t)e);
    revops_table_header *h = revops_dataset__table(ds, e);
    size_t base = h->n, n = b->rows.n;
    int rc;
    *kept = 0;
    if (n > 0 && base + n > h->allocated) {
        /* Reserve for the whole file at once, judging its rows by this chunk's. */
        const ld_file *f = &ld->files[b->input];
        size_t want = base + n;
        if (b->len > 0 && n > 1000) {
            double per_byte = (double)n / (double)b->len;
            size_t rest = (size_t)((double)(f->csv.len - b->start) * per_byte * 1.05);
            if (base + rest > want)
                want = base + rest;
        }
        if ((rc = revops_dataset__reserve(ds, e, want)))
            return rc;
    }
    if ((rc = revops_dataset__append_rows(ds, e, &b->rows, &ld->map, &ld->map_cap)))
        return rc;
    revops_strpool *pool = &ds->strings;
    if (pool->count > ld->key_mark_cap) {
        size_t old = ld->key_mark_cap;
        if ((rc = revops_array__grow((void **)&ld->key_mark, &ld->key_mark_cap, pool->count,
                                     sizeof(*ld->key_mark))))
            return rc;
        memset(ld->key_mark + old, 0, ld->key_mark_cap - old);
    }
    int by_id = keyed_by_id(def) && imp->inputs.n < 255;
    uint8_t mark = (uint8_t)(b->input % 255 + 1);
    const revops_str *ids = revops_dataset__column(ds, e, 0);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        size_t at = base + k;
        if (k != i) {
            /* A dropped row before this one: close the gap. */
            for (size_t f = 0; f < def->nfields; f++) {
                size_t size = revops_field__column_size(def->fields[f].type);
                char *col = revops_dataset__column(ds, e, (int)f);
                memcpy(col + at * size, col + (base + i) * size, size);
            }
        }
        int dup;
        if (by_id) {
            revops_str id = ids[at];
            dup = ld->key_mark[id] == mark;
            ld->key_mark[id] = mark;
        } else if ((rc = keyset_add(ld, e, at, &dup))) {
            return rc;
        }
        if (dup)
            continue;
        k++;
    }
    h->n = base + k;
    *kept = k;
    if (e == REVOPS_ENTITY_OPPORTUNITY)
        for (size_t i = base; i < base + k; i++)
            if ((rc = note_opportunity_currency(imp, i)))
                return rc;
    return 0;
}

static void start_file(loader *ld, size_t input)
{
    importer *imp = ld->imp;
    ld_file *f = &ld->files[input];
    ld->cur_input = input;
    ld->records = 0;
    ld->line = f->data_line;
    ld->first_row = revops_dataset_rows(imp->ds, (size_t)imp->inputs.items[input].entity);
    ld->kcount = 0;
    if (ld->kslots)
        memset(ld->kslots, 0, (ld->kmask + 1) * sizeof(*ld->kslots));
    for (size_t i = 0; i < f->nwarnings; i++)
        if (imp->opts->warning)
            imp->opts->warning(imp->opts->warning_ctx, f->warnings[i]);
}

/* Takes one parsed chunk into the dataset. Returns 1 after the file's last chunk. */
static int consume(loader *ld, worker *self, ld_batch *b)
{
    importer *imp = ld->imp;
    const revops_input *in = &imp->inputs.items[b->input];
    ld_file *f = &ld->files[b->input];
    revops_import_file *st = &imp->report->files[b->input];
    if (b->input != ld->cur_input)
        start_file(ld, b->input);
    if (b->failed) {
        if (!b->file_failed) {
            /* Again, knowing the line the chunk starts on, for an error that names it. */
            revops_error saved = b->error;
            parse_chunk(self, b, ld->line);
            if (!b->failed)
                b->error = saved;
        }
        revops_error__restore(&b->error);
        return b->error.code ? b->error.code : REVOPS_EINTERNAL;
    }
    int rc;
    size_t kept;
    if ((rc = append_rows(ld, b, &kept)))
        return rc;
    st->rows += b->nrecords;
    st->accepted += kept;
    st->rejected += b->nrejected + (b->rows.n - kept);
    if (imp->opts->progress) {
        for (size_t k = 0; k < b->nrecords; k++)
            if (((ld->records + k + 1) & PROGRESS_EVERY) == 0)
                imp->opts->progress(imp->opts->progress_ctx, in->path, b->start + b->rec_end[k],
                                    f->csv.len);
    }
    ld->records += b->nrecords;
    ld->line += b->lines;
    /* Every chunk up to this one is in: its pages of the mapping need not count as ours. They
     * are given back 64 MB at a time, since each time stops the other threads for a TLB
     * flush; the page this chunk shares with the next goes with the next. */
    size_t end = b->start + b->len;
    if (f->csv.map && end - f->dropped >= DROP_BYTES) {
        revops_mem__drop(f->csv.data + f->dropped, end - f->dropped);
        f->dropped = end - end % DROP_BYTES;
    }
    if (!b->last)
        return 0;
    imp->report->bytes += f->csv.len;
    if (imp->opts->progress)
        imp->opts->progress(imp->opts->progress_ctx, in->path, f->csv.len, f->csv.len);
    return 1;
}

static void file_release(ld_file *f)
{
    revops_csv__unmap(&f->csv);
    revops_header__free(&f->map);
    for (size_t i = 0; i < f->nwarnings; i++)
        free(f->warnings[i]);
    free(f->warnings);
    f->warnings = NULL;
    f->nwarnings = 0;
}

static size_t thread_count(size_t asked)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    size_t t = asked ? asked : n > 1 ? (size_t)n : 1;
    if (t > MAX_THREADS)
        t = MAX_THREADS;
    return t;
}

/* Runs every chunk through the threads and the calling thread. */
static int run(loader *ld, worker *self)
{
    int rc = 0;
    pthread_mutex_lock(&ld->lock);
    for (;;) {
        ld_batch *b = ld->head;
        if (b && b->done) {
            ld->head = b->next;
            if (!ld->head)
                ld->tail = NULL;
            pthread_mutex_unlock(&ld->lock);
            rc = consume(ld, self, b);
            size_t input = b->input;
            pthread_mutex_lock(&ld->lock);
            b->next = ld->spare;
            ld->spare = b;
            ld->inflight--;
            if (rc == 1) {
                rc = 0;
                ld->consumed = input + 1;
                file_release(&ld->files[input]);
            }
            pthread_cond_broadcast(&ld->changed);
            if (rc)
                break;
            continue;
        }
        if (ld->oom) {
            rc = revops_error__oom();
            break;
        }
        if (!b && ld->cut_done)
            break;
        /* Nothing to take yet: parse a chunk, as the threads do. */
        ld_batch *mine = cut_next(ld);
        if (mine) {
            pthread_mutex_unlock(&ld->lock);
            parse_chunk(self, mine, 1);
            pthread_mutex_lock(&ld->lock);
            mine->done = 1;
            continue;
        }
        if (!ld->head && ld->cut_done)
            continue; /* cut_next found the end */
        pthread_cond_wait(&ld->changed, &ld->lock);
    }
    ld->stop = 1;
    ld->cut_done = 1;
    pthread_cond_broadcast(&ld->changed);
    pthread_mutex_unlock(&ld->lock);
    return rc;
}

/* ---- references ---- */

/*
 * The dataset path's reference check, after every file is in: drops the rows whose
 * references point at no (surviving) row, until every surviving reference holds, and counts
 * the dropped rows as rejected.
 */
static int settle_dataset(importer *imp)
{
    revops_dataset *ds = imp->ds;
    size_t nstr = ds->strings.count;
    uint8_t *has = malloc(nstr ? nstr : 1);
    uint8_t *alive[REVOPS_ENTITY_COUNT] = {0};
    uint64_t dead[REVOPS_ENTITY_COUNT] = {0};
    int rc = 0;
    if (!has) {
        rc = revops_error__oom();
        goto done;
    }
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        size_t n = revops_dataset_rows(ds, (size_t)e);
        if (!(alive[e] = malloc(n ? n : 1))) {
            rc = revops_error__oom();
            goto done;
        }
        memset(alive[e], 1, n);
    }
    for (int changed = 1; changed;) {
        changed = 0;
        memset(has, 0, nstr);
        for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
            if (imp->slot_of[e] < 0)
                continue;
            uint8_t bit = (uint8_t)(1u << imp->slot_of[e]);
            const revops_str *ids = revops_dataset__column(ds, e, 0);
            size_t n = revops_dataset_rows(ds, (size_t)e);
            for (size_t i = 0; i < n; i++)
                if (alive[e][i])
                    has[ids[i]] |= bit;
        }
        for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
            const revops_entity_def *def = revops_entity_at((size_t)e);
            size_t n = revops_dataset_rows(ds, (size_t)e);
            for (size_t f = 0; f < def->nfields; f++) {
                if (def->fields[f].type != REVOPS_FT_REF)
                    continue;
                uint8_t bit = (uint8_t)(1u << imp->slot_of[def->fields[f].ref_entity]);
                const revops_str *col = revops_dataset__column(ds, e, (int)f);
                for (size_t i = 0; i < n; i++) {
                    if (alive[e][i] && col[i] && !(has[col[i]] & bit)) {
                        alive[e][i] = 0;
                        dead[e]++;
                        changed = 1;
                    }
                }
            }
        }
    }
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        if (!dead[e])
            continue;
        revops_dataset__compact(ds, e, alive[e]);
        for (size_t i = 0; i < imp->inputs.n; i++) {
            if (imp->inputs.items[i].entity == e) {
                imp->report->files[i].accepted -= dead[e];
                imp->report->files[i].rejected += dead[e];
            }
        }
    }
done:
    free(has);
    for (int e = 0; e < REVOPS_ENTITY_COUNT; e++)
        free(alive[e]);
    return rc;
}

/* ---- the whole load ---- */

int revops_import__load_dataset(importer *imp)
{
    loader ld;
    memset(&ld, 0, sizeof(ld));
    ld.imp = imp;
    ld.nfiles = imp->inputs.n;
    ld.cur_input = SIZE_MAX;
    for (size_t i = 0; i < imp->inputs.n; i++)
        if (imp->inputs.items[i].entity == REVOPS_ENTITY_OPPORTUNITY)
            ld.last_opportunity = i + 1;
    size_t nthreads = thread_count(imp->threads);
    ld.max_inflight = INFLIGHT_PER_THREAD * nthreads + 2;
    ld.files = calloc(ld.nfiles ? ld.nfiles : 1, sizeof(*ld.files));
    worker *workers = calloc(nthreads, sizeof(*workers));
    int rc = 0;
    if (!ld.files || !workers) {
        free(ld.files);
        free(workers);
        return revops_error__oom();
    }
    for (size_t i = 0; i < nthreads; i++)
        workers[i].ld = &ld;
    pthread_mutex_init(&ld.lock, NULL);
    pthread_cond_init(&ld.changed, NULL);
    /* workers[0] is the calling thread's; the others get a thread each. */
    for (size_t i = 1; i < nthreads; i++) {
        if (pthread_create(&ld.threads[ld.nthreads], NULL, worker_main, &workers[i]) != 0)
            break; /* fewer threads: slower, not wrong */
        ld.nthreads++;
    }
    rc = run(&ld, &workers[0]);
    for (size_t i = 0; i < ld.nthreads; i++)
        pthread_join(ld.threads[i], NULL);
    pthread_cond_destroy(&ld.changed);
    pthread_mutex_destroy(&ld.lock);
    while (ld.head) {
        ld_batch *b = ld.head;
        ld.head = b->next;
        batch_free(b);
    }
    while (ld.spare) {
        ld_batch *b = ld.spare;
        ld.spare = b->next;
        batch_free(b);
    }
    for (size_t i = 0; i < ld.nfiles; i++)
        file_release(&ld.files[i]);
    for (size_t i = 0; i < nthreads; i++) {
        file_pass *fp = &workers[i].fp;
        revops_buf__free(&fp->scratch);
        revops_buf__free(&fp->why);
        revops_buf__free(&fp->why_fields);
        revops_buf__free(&fp->keytext);
    }
    free(workers);
    free(ld.files);
    free(ld.map);
    free(ld.key_mark);
    free(ld.kslots);
    if (!rc)
        rc = settle_dataset(imp);
    return rc;
}
