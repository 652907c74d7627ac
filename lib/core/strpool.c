/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "core/strpool.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"

/* Strings longer than this cannot be interned; no CSV field may be this long anyway. */
#define STRPOOL_MAX_LEN (UINT32_MAX / 2)

static uint64_t load64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    x *= 0xd6e8feb86659fd93ULL;
    x ^= x >> 32;
    return x;
}

uint64_t revops_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ (len * 0xff51afd7ed558ccdULL);
    while (len >= 8) {
        h = mix(h ^ load64(p));
        p += 8;
        len -= 8;
    }
    uint64_t tail = 0;
    for (size_t i = 0; i < len; i++)
        tail |= (uint64_t)p[i] << (8 * i);
    return mix(h ^ tail ^ 0x5bd1e995);
}

/* A single table this big is split into REVOPS_STRPOOL_PARTS parts. */
#define SPLIT_SLOTS ((size_t)1 << 16)

static int part_alloc(revops_strpool_part *part, size_t nslots)
{
    part->slots = calloc(nslots, sizeof(*part->slots));
    if (!part->slots)
        return revops_error__oom();
    revops_mem__huge(part->slots, nslots * sizeof(*part->slots));
    part->mask = nslots - 1;
    part->count = 0;
    return 0;
}

static void part_put(revops_strpool_part *part, uint64_t slot)
{
    size_t j = (uint32_t)(slot >> 32) & part->mask;
    while (part->slots[j])
        j = (j + 1) & part->mask;
    part->slots[j] = slot;
    part->count++;
}

int revops_strpool__init(revops_strpool *p)
{
    memset(p, 0, sizeof(*p));
    p->cap = 1024;
    p->ptrs = malloc(p->cap * sizeof(*p->ptrs));
    p->lens = malloc(p->cap * sizeof(*p->lens));
    p->parts = calloc(1, sizeof(*p->parts));
    p->nparts = 1;
    if (!p->ptrs || !p->lens || !p->parts || part_alloc(&p->parts[0], 2048)) {
        revops_strpool__free(p);
        return revops_error__oom();
    }
    p->ptrs[0] = "";
    p->lens[0] = 0;
    p->count = 1;
    return 0;
}

void revops_strpool__free(revops_strpool *p)
{
    revops_arena__free(&p->chars);
    free(p->ptrs);
    free(p->lens);
    for (size_t i = 0; p->parts && i < p->nparts; i++)
        free(p->parts[i].slots);
    free(p->parts);
    memset(p, 0, sizeof(*p));
}

/* The slot keeps the low half of the string's hash beside its id, so a probe compares
 * hashes without touching the string tables: one cache miss per probe step instead of two.
 * The part is chosen by the top byte, so the bits a slot keeps stay independent of it. */
static int grow_part(revops_strpool_part *part)
{
    revops_strpool_part bigger;
    if (part_alloc(&bigger, (part->mask + 1) * 2))
        return revops_error_last()->code;
    for (size_t i = 0; i <= part->mask; i++)
        if (part->slots[i])
            part_put(&bigger, part->slots[i]);
    free(part->slots);
    *part = bigger;
    return 0;
}

/* Turns the one table into REVOPS_STRPOOL_PARTS parts, each with room to grow. The slots do
 * not hold the top byte of the hash, so every string is hashed again, once. */
static int split(revops_strpool *p)
{
    revops_strpool_part *parts = calloc(REVOPS_STRPOOL_PARTS, sizeof(*parts));
    size_t *counts = calloc(REVOPS_STRPOOL_PARTS, sizeof(*counts));
    int rc = 0;
    if (!parts || !counts) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t id = 1; id < p->count; id++)
        counts[revops_hash_bytes(p->ptrs[id], p->lens[id]) >> 56]++;
    for (size_t k = 0; k < REVOPS_STRPOOL_PARTS; k++) {
        size_t nslots = 64;
        while (nslots < counts[k] * 4)
            nslots *= 2;
        if ((rc = part_alloc(&parts[k], nslots)))
            goto done;
    }
    for (size_t id = 1; id < p->count; id++) {
        uint64_t h = revops_hash_bytes(p->ptrs[id], p->lens[id]);
        part_put(&parts[h >> 56], (uint64_t)(uint32_t)h << 32 | id);
    }
    free(p->parts[0].slots);
    free(p->parts);
    p->parts = parts;
    p->nparts = REVOPS_STRPOOL_PARTS;
    parts = NULL;
done:
    for (size_t k = 0; parts && k < REVOPS_STRPOOL_PARTS; k++)
        free(parts[k].slots);
    free(parts);
    free(counts);
    return rc;
}

static int grow_ids(revops_strpool *p)
{
    if (p->cap >= UINT32_MAX / 2)
        return revops_error__set(REVOPS_ETOOBIG, "too many distinct strings");
    size_t cap = p->cap * 2;
    const char **ptrs = realloc(p->ptrs, cap * sizeof(*ptrs));
    if (!ptrs)
        return revops_error__oom();
    p->ptrs = ptrs;
    uint32_t *lens = realloc(p->lens, cap * sizeof(*lens));
    if (!lens)
        return revops_error__oom();
    p->lens = lens;
    p->cap = cap;
    return 0;
}

static revops_strpool_part *part_of(const revops_strpool *p, uint64_t h)
{
    return &p->parts[p->nparts == 1 ? 0 : h >> 56];
}

static size_t probe(const revops_strpool *p, const revops_strpool_part *part, const char *s,
                    size_t len, uint32_t tag, int *found)
{
    size_t i = tag & part->mask;
    for (;;) {
        uint64_t slot = part->slots[i];
        if (!slot) {
            *found = 0;
            return i;
        }
        uint32_t id = (uint32_t)slot;
        if ((uint32_t)(slot >> 32) == tag && p->lens[id] == len &&
            memcmp(p->ptrs[id], s, len) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & part->mask;
    }
}

int revops_strpool__find(const revops_strpool *p, const char *s, size_t len, revops_str *out)
{
    if (len == 0) {
        *out = 0;
        return 0;
    }
    if (len > STRPOOL_MAX_LEN)
        return REVOPS_ENOTFOUND;
    uint64_t h = revops_hash_bytes(s, len);
    const revops_strpool_part *part = part_of(p, h);
    int found;
    size_t i = probe(p, part, s, len, (uint32_t)h, &found);
    if (!found)
        return REVOPS_ENOTFOUND;
    *out = (uint32_t)part->slots[i];
    return 0;
}

int revops_strpool__intern_hashed(revops_strpool *p, const char *s, size_t len, uint64_t hash,
                                  revops_str *out, int *added)
{
    if (added)
        *added = 0;
    if (len == 0) {
        *out = 0;
        return 0;
    }
    if (len > STRPOOL_MAX_LEN)
        return revops_error__set(REVOPS_ETOOBIG, "string of %zu bytes is too long", len);
    uint32_t tag = (uint32_t)hash;
    revops_strpool_part *part = part_of(p, hash);
    int found;
    size_t i = probe(p, part, s, len, tag, &found);
    if (found) {
        *out = (uint32_t)part->slots[i];
        return 0;
    }
    int rc;
    if (p->count == p->cap && (rc = grow_ids(p)))
        return rc;
    /* Keep each table at most half full so probes stay short. */
    if ((part->count + 1) * 2 > part->mask + 1) {
        if (p->nparts == 1 && part->mask + 1 >= SPLIT_SLOTS)
            rc = split(p);
        else
            rc = grow_part(part);
        if (rc)
            return rc;
        part = part_of(p, hash);
        i = probe(p, part, s, len, tag, &found);
    }
    char *copy = revops_arena__strndup(&p->chars, s, len);
    if (!copy)
        return revops_error_last()->code ? revops_error_last()->code : REVOPS_ENOMEM;
    uint32_t id = (uint32_t)p->count++;
    p->ptrs[id] = copy;
    p->lens[id] = (uint32_t)len;
    part->slots[i] = (uint64_t)tag << 32 | id;
    part->count++;
    *out = id;
    if (added)
        *added = 1;
    return 0;
}

int revops_strpool__intern(revops_strpool *p, const char *s, size_t len, revops_str *out)
{
    if (len == 0) {
        *out = 0;
        return 0;
    }
    return revops_strpool__intern_hashed(p, s, len, revops_hash_bytes(s, len), out, NULL);
}
