/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the criteria language: the input is compiled as a criteria on leads
 * and, when it compiles, evaluated on every lead of a small fixed data set (several
 * currencies, empty fields, an event after "now"). Nothing may crash, leak or overflow the
 * stack; a compile error has a line and a column; an evaluation gives 1, 0 or an error, the
 * same twice.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "revops/revops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    fwrite(text, 1, strlen(text), fp);
    fclose(fp);
}

static revops_dataset *dataset(void)
{
    char dir[64];
    snprintf(dir, sizeof(dir), "/tmp/revops-fuzz-criteria-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    put(dir, "lead.csv",
        "id,created_at,source,company,industry,employees,estimated_value,currency,score,stage,"
        "first_response_at\n"
        "L-1,2026-03-01T09:00:00Z,referral,Acme Shop,saas,250,1200000,RUB,72,mql,"
        "2026-03-01T09:04:00Z\n"
        "L-2,2026-02-10,webinar,Ёлка,media,40,15000,USD,45.5,lead,2026-04-01\n"
        "L-3,2026-03-10,,,,,,,,lead,\n"
        "L-4,2026-03-12,events,Globex,fintech,80,5000,GBP,30,sql,\n");
    put(dir, "fx_rate.csv", "date,currency,rate\n2026-01-01,USD,90\n2026-03-01,USD,88\n");
    revops_dataset *ds = NULL;
    revops_import_report report;
    if (revops_dataset_load_csv(&ds, dir, NULL, &report) != 0 || report.rejected != 0)
        abort();
    revops_import_report_free(&report);
    return ds;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static revops_dataset *ds;
    static revops_criteria_env env;
    if (!ds) {
        ds = dataset();
        revops_time now;
        if (revops_time_parse(&now, "2026-03-15T12:00:00Z", 20) != 0 ||
            revops_criteria_env_init(&env, ds, now, NULL) != 0)
            abort();
    }
    revops_criteria *c = NULL;
    if (revops_criteria_compile(&c, "lead", (const char *)data, size, NULL) != 0) {
        const revops_error *e = revops_error_last();
        if (c || e->line < 1 || e->column < 1 || !e->message[0])
            abort();
        return 0;
    }
    for (size_t row = 0; row < revops_dataset_rows(ds, revops_criteria_entity(c)); row++) {
        int a = revops_criteria_eval(c, &env, row), b = revops_criteria_eval(c, &env, row);
        if (a != b || a > 1 || (a < 0 && a != REVOPS_EINVALID))
            abort();
    }
    revops_criteria_free(c);
    return 0;
}
