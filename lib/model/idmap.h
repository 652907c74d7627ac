/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A map from interned string ids to row numbers: how analyses find the rep of an owner_id or
 * the deal of a stage change without a hash of the text.
 */
#ifndef REVOPS_MODEL_IDMAP_H
#define REVOPS_MODEL_IDMAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/strpool.h"

typedef struct revops_idmap {
    uint64_t *slots; /* key << 32 | (row + 1); 0 = free */
    size_t mask;
    size_t count;
} revops_idmap;

/* Maps each non-empty ids[i] to i (the first row wins when an id repeats). */
int revops_idmap__build(revops_idmap *m, const revops_str *ids, size_t n);
void revops_idmap__free(revops_idmap *m);

/* Asks the CPU to fetch the slot where a lookup of `id` starts, for loops that look up many
 * ids and know them ahead: the big maps miss the cache on nearly every lookup. */
static inline void revops_idmap__prefetch(const revops_idmap *m, revops_str id)
{
#if defined(__GNUC__)
    if (id && m->slots)
        __builtin_prefetch(&m->slots[((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 32) & m->mask]);
#else
    (void)m;
    (void)id;
#endif
}

/* The row of `id`, or -1 (always -1 for the empty id 0). */
static inline int64_t revops_idmap__get(const revops_idmap *m, revops_str id)
{
    if (!id || !m->slots)
        return -1;
    size_t i = ((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 32) & m->mask;
    for (;;) {
        uint64_t s = m->slots[i];
        if (!s)
            return -1;
        if ((revops_str)(s >> 32) == id)
            return (int64_t)(uint32_t)s - 1;
        i = (i + 1) & m->mask;
    }
}

#endif
