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

int revops_strpool__init(revops_strpool *p)
{
    memset(p, 0, sizeof(*p));
    p->cap = 1024;
    p->ptrs = malloc(p->cap * sizeof(*p->ptrs));
    p->lens = malloc(p->cap * sizeof(*p->lens));
    p->slot_mask = 2048 - 1;
    p->slots = calloc(p->slot_mask + 1, sizeof(*p->slots));
    if (!p->ptrs || !p->lens || !p->slots) {
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
    free(p->slots);
    memset(p, 0, sizeof(*p));
}

/* The slot keeps the string's hash beside its id, so a probe compares hashes without
 * touching the string tables: one cache miss per probe step instead of two. */
static int rehash(revops_strpool *p)
{
    size_t nslots = (p->slot_mask + 1) * 2;
    uint64_t *slots = calloc(nslots, sizeof(*slots));
    if (!slots)
        return revops_error__oom();
    size_t mask = nslots - 1;
    for (size_t i = 0; i <= p->slot_mask; i++) {
        uint64_t slot = p->slots[i];
        if (!slot)
            continue;
        size_t j = (size_t)(slot >> 32) & mask;
        while (slots[j])
            j = (j + 1) & mask;
        slots[j] = slot;
    }
    free(p->slots);
    p->slots = slots;
    p->slot_mask = mask;
    return 0;
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

static size_t probe(const revops_strpool *p, const char *s, size_t len, uint32_t h, int *found)
{
    size_t i = h & p->slot_mask;
    for (;;) {
        uint64_t slot = p->slots[i];
        if (!slot) {
            *found = 0;
            return i;
        }
        uint32_t id = (uint32_t)slot;
        if ((uint32_t)(slot >> 32) == h && p->lens[id] == len && memcmp(p->ptrs[id], s, len) == 0) {
            *found = 1;
            return i;
        }
        i = (i + 1) & p->slot_mask;
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
    uint32_t h = (uint32_t)revops_hash_bytes(s, len);
    int found;
    size_t i = probe(p, s, len, h, &found);
    if (!found)
        return REVOPS_ENOTFOUND;
    *out = (uint32_t)p->slots[i];
    return 0;
}

int revops_strpool__intern(revops_strpool *p, const char *s, size_t len, revops_str *out)
{
    if (len == 0) {
        *out = 0;
        return 0;
    }
    if (len > STRPOOL_MAX_LEN)
        return revops_error__set(REVOPS_ETOOBIG, "string of %zu bytes is too long", len);
    uint32_t h = (uint32_t)revops_hash_bytes(s, len);
    int found;
    size_t i = probe(p, s, len, h, &found);
    if (found) {
        *out = (uint32_t)p->slots[i];
        return 0;
    }
    int rc;
    if (p->count == p->cap && (rc = grow_ids(p)))
        return rc;
    /* Keep the table at most half full so probes stay short. */
    if ((p->count + 1) * 2 > p->slot_mask + 1) {
        if ((rc = rehash(p)))
            return rc;
        i = probe(p, s, len, h, &found);
    }
    char *copy = revops_arena__strndup(&p->chars, s, len);
    if (!copy)
        return revops_error_last()->code ? revops_error_last()->code : REVOPS_ENOMEM;
    uint32_t id = (uint32_t)p->count++;
    p->ptrs[id] = copy;
    p->lens[id] = (uint32_t)len;
    p->slots[i] = (uint64_t)h << 32 | id;
    *out = id;
    return 0;
}
