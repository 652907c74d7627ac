/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "revops/stages.h"

#include <stdio.h>
#include <string.h>

void revops_stages_default(revops_stages *out)
{
    static const struct {
        const char *name;
        double probability;
        revops_outcome outcome;
    } defaults[] = {
        {"qualification", 0.10, REVOPS_OUTCOME_OPEN}, {"discovery", 0.25, REVOPS_OUTCOME_OPEN},
        {"proposal", 0.50, REVOPS_OUTCOME_OPEN},      {"negotiation", 0.75, REVOPS_OUTCOME_OPEN},
        {"closed_won", 1.0, REVOPS_OUTCOME_WON},      {"closed_lost", 0.0, REVOPS_OUTCOME_LOST},
    };
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
        snprintf(out->items[i].name, sizeof(out->items[i].name), "%s", defaults[i].name);
        out->items[i].probability = defaults[i].probability;
        out->items[i].outcome = defaults[i].outcome;
    }
    out->n = sizeof(defaults) / sizeof(defaults[0]);
}

int revops_stages_find(const revops_stages *s, const char *name, size_t len)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->items[i].name) == len && memcmp(s->items[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

void revops_stages_list(const revops_stages *s, char *out, size_t cap)
{
    size_t used = 0;
    if (cap == 0)
        return;
    out[0] = '\0';
    for (size_t i = 0; i < s->n && used < cap; i++) {
        int n = snprintf(out + used, cap - used, "%s%s", i ? ", " : "", s->items[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
