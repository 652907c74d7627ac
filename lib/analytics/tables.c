/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table of an analysis alone, as CSV: a retention triangle or a schedule to open in a
 * spreadsheet without the rest of the report.
 */
#include "analytics/analysis.h"
#include "core/error.h"
#include "revops/saas.h"

int revops_analysis_write_table_csv(const struct revops_analysis *a, const char *table,
                                    const char *path)
{
    const revops_rt_table *t = revops_rt__find_table(a->rt, table);
    if (!t)
        return revops_error__set(REVOPS_ENOTFOUND, "the analysis has no table %s", table);
    return revops_rt__write_table_csv(a->rt, t, path);
}
