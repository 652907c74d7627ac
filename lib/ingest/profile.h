/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Column-mapping profiles: how the files of one CRM (native, Salesforce, HubSpot, ...) map
 * onto the native model. The native profile reads native field names as they are.
 */
#ifndef REVOPS_INGEST_PROFILE_H
#define REVOPS_INGEST_PROFILE_H

#include <stddef.h>

typedef struct revops_profile {
    const char *name;
    const char *summary;
} revops_profile;

/* The profile called `name` (NULL means "native"), or NULL with the error recorded. */
const revops_profile *revops_profile__find(const char *name);

/* The profiles, for help texts: *count is set to their number. */
const revops_profile *revops_profile__all(size_t *count);

#endif
