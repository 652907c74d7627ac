/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gsl/gsl_version.h>
#include <sqlite3.h>
#include <stdio.h>
#include <yaml.h>

#include "revops/common.h"

const char *revops_version(void)
{
    return REVOPS_VERSION;
}

const char *revops_build_info(char *buf, size_t cap)
{
    snprintf(buf, cap, "sqlite %s, gsl %s, libyaml %s, postgresql %s", sqlite3_libversion(),
             gsl_version, yaml_get_version_string(),
#ifdef REVOPS_HAVE_POSTGRES
             "yes"
#else
             "no"
#endif
    );
    return buf;
}
