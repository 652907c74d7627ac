/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ingest/profile.h"

#include <string.h>

#include "core/error.h"

static const revops_profile profiles[] = {
    {"native", "revops native CSV: <entity>.csv files whose headers are field names"},
};

const revops_profile *revops_profile__all(size_t *count)
{
    *count = sizeof(profiles) / sizeof(profiles[0]);
    return profiles;
}

const revops_profile *revops_profile__find(const char *name)
{
    if (!name)
        name = "native";
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
        if (strcmp(profiles[i].name, name) == 0)
            return &profiles[i];
    revops_error__set(REVOPS_EUNSUPPORTED, "unknown import profile '%s' (available: native)", name);
    return NULL;
}
