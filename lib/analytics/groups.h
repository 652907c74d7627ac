/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grouping rows by a key (a string id, a month, a stage): the breakdown tables of the
 * analyses. Each group accumulates counts, money and weights; groups are kept in first-seen
 * order and can be sorted for display.
 */
#ifndef REVOPS_ANALYTICS_GROUPS_H
#define REVOPS_ANALYTICS_GROUPS_H

#include <stddef.h>
#include <stdint.h>

typedef struct revops_group {
    uint32_t key;
    int64_t count, count2, count3;    /* e.g. deals, won, lost */
    int64_t amount, amount2, amount3; /* reporting-currency minor units */
    double weighted;
    double sum, sum2; /* e.g. cycle days of won deals */
} revops_group;

typedef struct revops_groups {
    revops_group *items;
    size_t n, cap;
    uint64_t *slots; /* key << 32 | (index + 1) */
    size_t mask;
} revops_groups;

/* The group of `key`, created (zeroed) when new; NULL when out of memory. */
revops_group *revops_groups__get(revops_groups *g, uint32_t key);
void revops_groups__free(revops_groups *g);

/* Sorts by amount, largest first (ties by key), or by key ascending. */
void revops_groups__sort_by_amount(revops_groups *g);
void revops_groups__sort_by_key(revops_groups *g);

#endif
