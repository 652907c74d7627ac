/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * String interning. Each distinct string is stored once and named by a 32-bit id, so a
 * dataset compares owners, stages or regions as integers. Id 0 is the empty string, which
 * also stands for "no value" in text columns.
 */
#ifndef REVOPS_CORE_STRPOOL_H
#define REVOPS_CORE_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

typedef uint32_t revops_str;

/*
 * The hash table is split by the top byte of each string's hash into parts that grow on
 * their own, once the pool is big: a dataset interns tens of millions of strings, and
 * doubling one huge table would move them all through random memory at once, while a part
 * rehashes a 256th of them in a block that stays in cache.
 */
typedef struct revops_strpool_part {
    uint64_t *slots; /* (hash & 0xffffffff) << 32 | id; 0 = free slot */
    size_t mask;
    size_t count;
} revops_strpool_part;

typedef struct revops_strpool {
    revops_arena chars; /* the strings, NUL-terminated; pointers stay valid */
    const char **ptrs;  /* by id */
    uint32_t *lens;     /* by id */
    size_t count;       /* ids in use, including id 0 */
    size_t cap;
    revops_strpool_part *parts;
    size_t nparts; /* 1, or REVOPS_STRPOOL_PARTS once the pool has grown */
} revops_strpool;

#define REVOPS_STRPOOL_PARTS 256

int revops_strpool__init(revops_strpool *p);
void revops_strpool__free(revops_strpool *p);

/* Interns `len` bytes of `s` (which need not be NUL-terminated) and sets *out to its id. */
int revops_strpool__intern(revops_strpool *p, const char *s, size_t len, revops_str *out);

/* The same, with `hash` = revops_hash_bytes(s, len) already known; sets *added to 1 when the
 * string was new to the pool (added may be NULL). */
int revops_strpool__intern_hashed(revops_strpool *p, const char *s, size_t len, uint64_t hash,
                                  revops_str *out, int *added);

/* Sets *out to the id of an existing string; returns REVOPS_ENOTFOUND when it is absent. */
int revops_strpool__find(const revops_strpool *p, const char *s, size_t len, revops_str *out);

/*
 * Interning a string the pool already holds costs a chain of cache misses: its slot, then
 * its length and pointer, then its bytes. A caller that knows the hashes of the strings it
 * will intern next asks for those loads ahead of time, in three steps:
 * revops_strpool__prefetch() fetches the slot; a little later revops_strpool__peek() reads it
 * (now cached) and fetches the length and pointer of the string it names; a little later
 * still revops_strpool__prefetch_text() fetches that string's bytes. Each step is only a hint.
 */
static inline void revops_strpool__prefetch(const revops_strpool *p, uint64_t hash)
{
#if defined(__GNUC__)
    const revops_strpool_part *part = &p->parts[p->nparts == 1 ? 0 : hash >> 56];
    __builtin_prefetch(&part->slots[(uint32_t)hash & part->mask]);
#else
    (void)p;
    (void)hash;
#endif
}

/* The id in the first slot a string of this hash probes, when the hashes agree; else 0. */
static inline revops_str revops_strpool__peek(const revops_strpool *p, uint64_t hash)
{
    const revops_strpool_part *part = &p->parts[p->nparts == 1 ? 0 : hash >> 56];
    uint64_t slot = part->slots[(uint32_t)hash & part->mask];
    revops_str id = (uint32_t)(slot >> 32) == (uint32_t)hash ? (uint32_t)slot : 0;
#if defined(__GNUC__)
    if (id) {
        __builtin_prefetch(&p->ptrs[id]);
        __builtin_prefetch(&p->lens[id]);
    }
#endif
    return id;
}

/* Asks the CPU to fetch where the text of `id` and its length are kept (the step before
 * revops_strpool__prefetch_text, for loops that read many texts by id). */
static inline void revops_strpool__prefetch_entry(const revops_strpool *p, revops_str id)
{
#if defined(__GNUC__)
    if (id && id < p->count) {
        __builtin_prefetch(&p->ptrs[id]);
        __builtin_prefetch(&p->lens[id]);
    }
#else
    (void)p;
    (void)id;
#endif
}

static inline void revops_strpool__prefetch_text(const revops_strpool *p, revops_str id)
{
#if defined(__GNUC__)
    if (id && id < p->count)
        __builtin_prefetch(p->ptrs[id]);
#else
    (void)p;
    (void)id;
#endif
}

static inline const char *revops_strpool__get(const revops_strpool *p, revops_str id)
{
    return p->ptrs[id];
}

static inline size_t revops_strpool__len(const revops_strpool *p, revops_str id)
{
    return p->lens[id];
}

/* A fast non-cryptographic 64-bit hash of a byte string. */
uint64_t revops_hash_bytes(const void *data, size_t len);

#endif
