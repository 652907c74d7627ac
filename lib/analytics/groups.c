/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "analytics/groups.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"

static size_t slot_of(uint32_t key, size_t mask)
{
    return ((uint64_t)key * 0x9E3779B97F4A7C15ULL >> 32) & mask;
}

static int rehash(revops_groups *g)
{
    size_t n = g->mask ? (g->mask + 1) * 2 : 64;
    uint64_t *slots = calloc(n, sizeof(*slots));
    if (!slots)
        return revops_error__oom();
    for (size_t i = 0; i < g->n; i++) {
        size_t s = slot_of(g->items[i].key, n - 1);
        while (slots[s])
            s = (s + 1) & (n - 1);
        slots[s] = (uint64_t)g->items[i].key << 32 | (uint32_t)(i + 1);
    }
    free(g->slots);
    g->slots = slots;
    g->mask = n - 1;
    return 0;
}

revops_group *revops_groups__get(revops_groups *g, uint32_t key)
{
    if ((g->n + 1) * 2 > g->mask + 1 && rehash(g))
        return NULL;
    size_t s = slot_of(key, g->mask);
    while (g->slots[s]) {
        if ((uint32_t)(g->slots[s] >> 32) == key)
            return &g->items[(uint32_t)g->slots[s] - 1];
        s = (s + 1) & g->mask;
    }
    if (revops_array__grow((void **)&g->items, &g->cap, g->n + 1, sizeof(*g->items)))
        return NULL;
    revops_group *item = &g->items[g->n];
    memset(item, 0, sizeof(*item));
    item->key = key;
    g->slots[s] = (uint64_t)key << 32 | (uint32_t)(g->n + 1);
    g->n++;
    return item;
}

void revops_groups__free(revops_groups *g)
{
    free(g->items);
    free(g->slots);
    memset(g, 0, sizeof(*g));
}

static int by_amount(const void *a, const void *b)
{
    const revops_group *x = a, *y = b;
    if (x->amount != y->amount)
        return x->amount > y->amount ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int by_key(const void *a, const void *b)
{
    const revops_group *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* Sorting moves items: the slots are rebuilt so lookups keep working. */
void revops_groups__sort_by_amount(revops_groups *g)
{
    if (g->n == 0)
        return; /* qsort must not see the NULL items of an empty set */
    qsort(g->items, g->n, sizeof(*g->items), by_amount);
    if (g->slots) {
        memset(g->slots, 0, (g->mask + 1) * sizeof(*g->slots));
        for (size_t i = 0; i < g->n; i++) {
            size_t s = slot_of(g->items[i].key, g->mask);
            while (g->slots[s])
                s = (s + 1) & g->mask;
            g->slots[s] = (uint64_t)g->items[i].key << 32 | (uint32_t)(i + 1);
        }
    }
}

void revops_groups__sort_by_key(revops_groups *g)
{
    if (g->n == 0)
        return;
    qsort(g->items, g->n, sizeof(*g->items), by_key);
    if (g->slots) {
        memset(g->slots, 0, (g->mask + 1) * sizeof(*g->slots));
        for (size_t i = 0; i < g->n; i++) {
            size_t s = slot_of(g->items[i].key, g->mask);
            while (g->slots[s])
                s = (s + 1) & g->mask;
            g->slots[s] = (uint64_t)g->items[i].key << 32 | (uint32_t)(i + 1);
        }
    }
}
