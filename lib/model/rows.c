/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "model/rows.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Slots of a chunk's text table to start with. */
#define LOCAL_SLOTS ((size_t)1 << 14)
/* Rows after which a column whose texts repeated in fewer than 4 of them is no longer looked
 * up in the chunk's table. */
#define LOOK_SAMPLE 256
#define LOOK_HITS 4

/* Sizes the columns for `cap` rows of `def`'s fields (a chunk used again may have held rows
 * of another entity). */
static int size_columns(revops_rows *b, const revops_entity_def *def, size_t cap)
{
    for (size_t f = 0; f < def->nfields; f++) {
        void *p = realloc(b->cols[f], cap * revops_field__column_size(def->fields[f].type));
        if (!p)
            return revops_error__oom();
        b->cols[f] = p;
    }
    b->cap = cap;
    b->cols_def = def;
    return 0;
}

static int grow_slots(revops_rows *b)
{
    size_t nslots = b->mask ? (b->mask + 1) * 2 : LOCAL_SLOTS;
    uint64_t *slots = calloc(nslots, sizeof(*slots));
    if (!slots)
        return revops_error__oom();
    for (size_t i = 0; b->slots && i <= b->mask; i++) {
        uint64_t v = b->slots[i];
        if (!v)
            continue;
        size_t j = (size_t)b->hash[(uint32_t)v] & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = v;
    }
    free(b->slots);
    b->slots = slots;
    b->mask = nslots - 1;
    return 0;
}

int revops_rows__reset(revops_rows *b, const revops_entity_def *def)
{
    b->def = def;
    b->n = 0;
    b->nstr = 0;
    b->nslotted = 0;
    memset(b->look, 1, sizeof(b->look));
    memset(b->hits, 0, sizeof(b->hits));
    revops_buf__clear(&b->chars);
    if (b->slots)
        memset(b->slots, 0, (b->mask + 1) * sizeof(*b->slots));
    else if (grow_slots(b))
        return revops_error_last()->code;
    if (b->cols_def != def)
        return size_columns(b, def, b->cap ? b->cap : 4096);
    return 0;
}

void revops_rows__free(revops_rows *b)
{
    for (size_t f = 0; f < REVOPS_MAX_FIELDS; f++)
        free(b->cols[f]);
    free(b->slots);
    free(b->hash);
    free(b->off);
    free(b->len_of);
    revops_buf__free(&b->chars);
    memset(b, 0, sizeof(*b));
}

/*
 * The chunk-local id of a text, added when new. With `look` unset the text is added without
 * looking for it: a column of ids, whose texts hardly repeat, would only fill the table. Every
 * local id is mapped to the pool's id when the chunk is appended, so a text that got two
 * local ids still gets one id in the end.
 */
static int local_intern(revops_rows *b, const char *s, size_t len, int look, int *hit,
                        uint32_t *out)
{
    *hit = 0;
    if (len == 0) {
        *out = 0;
        return 0;
    }
    uint64_t h = revops_hash_bytes(s, len);
    uint64_t tag = h >> 32 << 32;
    size_t i = (size_t)h & b->mask;
    for (; look;) {
        uint64_t v = b->slots[i];
        if (!v)
            break;
        uint32_t id = (uint32_t)v;
        if ((v & ~(uint64_t)UINT32_MAX) == tag && b->len_of[id] == len &&
            memcmp(b->chars.data + b->off[id], s, len) == 0) {
            *out = id;
            *hit = 1;
            return 0;
        }
        i = (i + 1) & b->mask;
    }
    int rc;
    if (b->nstr + 2 > b->str_cap) {
        size_t cap = b->str_cap ? b->str_cap * 2 : 4096;
        uint64_t *hash = realloc(b->hash, cap * sizeof(*hash));
        if (hash)
            b->hash = hash;
        size_t *off = realloc(b->off, cap * sizeof(*off));
        if (off)
            b->off = off;
        uint32_t *lens = realloc(b->len_of, cap * sizeof(*lens));
        if (lens)
            b->len_of = lens;
        if (!hash || !off || !lens)
            return revops_error__oom();
        b->str_cap = cap;
    }
    if (look && (b->nslotted + 1) * 2 > b->mask + 1) {
        if ((rc = grow_slots(b)))
            return rc;
        i = (size_t)h & b->mask;
        while (b->slots[i])
            i = (i + 1) & b->mask;
    }
    uint32_t id = (uint32_t)++b->nstr;
    b->hash[id] = h;
    b->off[id] = b->chars.len;
    b->len_of[id] = (uint32_t)len;
    if ((rc = revops_buf__append(&b->chars, s, len)))
        return rc;
    if (look) {
        b->slots[i] = tag | id;
        b->nslotted++;
    }
    *out = id;
    return 0;
}

int revops_rows__add(revops_rows *b, const revops_value *row)
{
    const revops_entity_def *def = b->def;
    int rc;
    if (b->n == b->cap && (rc = size_columns(b, def, b->cap ? b->cap * 2 : 4096)))
        return rc;
    size_t i = b->n;
    for (size_t f = 0; f < def->nfields; f++) {
        revops_field_type t = def->fields[f].type;
        if (!revops_field__is_text(t)) {
            revops_dataset__set_cell(t, b->cols[f], i, &row[f]);
            continue;
        }
        uint32_t id = 0;
        int hit = 0;
        if (row[f].present && (rc = local_intern(b, row[f].s, row[f].len, b->look[f], &hit, &id)))
            return rc;
        b->hits[f] += (uint32_t)hit;
        ((uint32_t *)b->cols[f])[i] = id;
    }
    /* After a sample of rows, stop looking up the columns whose texts seldom repeat: a look
     * in the chunk's table is cheap, but a text no row repeats gains nothing from it. */
    if (++b->n == LOOK_SAMPLE)
        for (size_t f = 0; f < def->nfields; f++)
            b->look[f] = b->hits[f] >= LOOK_HITS;
    return 0;
}

/* Interns the chunk's distinct texts into the pool, in their order, into map[1..nstr]. */
static int intern_texts(revops_strpool *pool, const revops_rows *b, revops_str *map)
{
    map[0] = 0;
    /* The probes miss the cache: ask for the slots of the texts a few ahead, the texts those
     * slots name a few after that (see strpool.h). */
    enum { SLOT_AHEAD = 16, PEEK_AHEAD = 8, TEXT_AHEAD = 4 };
    revops_str peeked[SLOT_AHEAD] = {0};
    size_t n = b->nstr;
    for (size_t id = 1; id <= n && id < 1 + SLOT_AHEAD; id++)
        revops_strpool__prefetch(pool, b->hash[id]);
    for (size_t id = 1; id <= n; id++) {
        if (id + SLOT_AHEAD <= n)
            revops_strpool__prefetch(pool, b->hash[id + SLOT_AHEAD]);
        if (id + PEEK_AHEAD <= n)
            peeked[(id + PEEK_AHEAD) % SLOT_AHEAD] =
                revops_strpool__peek(pool, b->hash[id + PEEK_AHEAD]);
        if (id + TEXT_AHEAD <= n)
            revops_strpool__prefetch_text(pool, peeked[(id + TEXT_AHEAD) % SLOT_AHEAD]);
        int rc = revops_strpool__intern_hashed(pool, b->chars.data + b->off[id], b->len_of[id],
                                               b->hash[id], &map[id], NULL);
        if (rc)
            return rc;
    }
    return 0;
}

int revops_dataset__append_rows(revops_dataset *ds, int e, const revops_rows *b, revops_str **map,
                                size_t *map_cap)
{
    int rc = revops_array__grow((void **)map, map_cap, b->nstr + 1, sizeof(**map));
    if (rc || (rc = intern_texts(&ds->strings, b, *map)))
        return rc;
    if (b->n == 0)
        return 0;
    const revops_entity_def *def = revops_entity_at((size_t)e);
    revops_table_header *h = revops_dataset__table(ds, e);
    size_t base = h->n;
    if ((rc = revops_dataset__reserve(ds, e, base + b->n)))
        return rc;
    for (size_t f = 0; f < def->nfields; f++) {
        size_t size = revops_field__column_size(def->fields[f].type);
        char *col = revops_dataset__column(ds, e, (int)f);
        if (!revops_field__is_text(def->fields[f].type)) {
            memcpy(col + base * size, b->cols[f], b->n * size);
            continue;
        }
        revops_str *dst = (revops_str *)col + base;
        const uint32_t *src = b->cols[f];
        const revops_str *m = *map;
        for (size_t i = 0; i < b->n; i++)
            dst[i] = m[src[i]];
    }
    h->n = base + b->n;
    return 0;
}
