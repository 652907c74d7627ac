/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "model/idmap.h"

#include <stdlib.h>

#include "core/buf.h"
#include "core/error.h"

int revops_idmap__build(revops_idmap *m, const revops_str *ids, size_t n)
{
    m->count = 0;
    /* At most about 0.6 full: short probes in half the memory of a half-full table. */
    size_t cap = 16;
    while (cap < n + n / 2 + 16)
        cap *= 2;
    if (n >= UINT32_MAX - 1)
        return revops_error__set(REVOPS_ETOOBIG, "too many rows to index");
    m->slots = calloc(cap, sizeof(*m->slots));
    if (!m->slots)
        return revops_error__oom();
    revops_mem__huge(m->slots, cap * sizeof(*m->slots));
    m->mask = cap - 1;
    enum { AHEAD = 32 };
    for (size_t r = 0; r < n; r++) {
        if (r + AHEAD < n)
            revops_idmap__prefetch(m, ids[r + AHEAD]);
        revops_str id = ids[r];
        if (!id)
            continue;
        size_t i = ((uint64_t)id * 0x9E3779B97F4A7C15ULL >> 32) & m->mask;
        while (m->slots[i] && (revops_str)(m->slots[i] >> 32) != id)
            i = (i + 1) & m->mask;
        if (!m->slots[i]) {
            m->slots[i] = (uint64_t)id << 32 | (uint32_t)(r + 1);
            m->count++;
        }
    }
    return 0;
}

void revops_idmap__free(revops_idmap *m)
{
    free(m->slots);
    m->slots = NULL;
    m->mask = 0;
    m->count = 0;
}
