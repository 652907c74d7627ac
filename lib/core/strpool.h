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

typedef struct revops_strpool {
    revops_arena chars; /* the strings, NUL-terminated; pointers stay valid */
    const char **ptrs;  /* by id */
    uint32_t *lens;     /* by id */
    size_t count;       /* ids in use, including id 0 */
    size_t cap;
    uint64_t *slots; /* open addressing: hash << 32 | id; 0 = free slot */
    size_t slot_mask;
} revops_strpool;

int revops_strpool__init(revops_strpool *p);
void revops_strpool__free(revops_strpool *p);

/* Interns `len` bytes of `s` (which need not be NUL-terminated) and sets *out to its id. */
int revops_strpool__intern(revops_strpool *p, const char *s, size_t len, revops_str *out);

/* Sets *out to the id of an existing string; returns REVOPS_ENOTFOUND when it is absent. */
int revops_strpool__find(const revops_strpool *p, const char *s, size_t len, revops_str *out);

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
