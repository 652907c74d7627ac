/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for a lead given as JSON to routing (revops route -): the input is routed
 * by a router over a small fixed data set. Nothing may crash, leak or overflow; an error is
 * invalid or too big input with a line and a column; a lead that routes leaves the data as
 * they were, and routing it again gives the same choice.
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
    snprintf(dir, sizeof(dir), "/tmp/revops-fuzz-lead-XXXXXX");
    if (!mkdtemp(dir))
        abort();
    put(dir, "rep.csv",
        "id,name,role,region,specializations,tiers,capacity,active\n"
        "R-1,A,sdr,Moscow,ecommerce;saas,smb;mid,4,true\n"
        "R-2,B,sdr,Kazan,fintech,enterprise,2,true\n"
        "R-3,C,ae,Moscow,,mid,5,\n");
    put(dir, "lead.csv",
        "id,created_at,industry,region,estimated_value,currency,stage,owner_id\n"
        "L-1,2026-03-01,saas,Moscow,1000,USD,lead,R-1\n"
        "L-2,2026-03-02,,,,,sql,R-2\n");
    put(dir, "fx_rate.csv", "date,currency,rate\n2026-01-01,USD,90\n");
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
    static revops_config *cfg;
    static revops_router *router;
    if (!ds) {
        ds = dataset();
        revops_route_options o = REVOPS_ROUTE_OPTIONS_INIT;
        if (revops_config_default(&cfg) != 0 ||
            revops_time_parse(&o.now, "2026-03-15T12:00:00Z", 20) != 0 ||
            revops_router_new(&router, ds, cfg, &o) != 0)
            abort();
    }
    size_t leads = revops_dataset_rows(ds, (size_t)revops_entity_find("lead", 4));
    revops_route_decision *d = NULL, *again = NULL;
    int rc = revops_router_route_json(router, (const char *)data, size, "fuzz", &d);
    if (revops_dataset_rows(ds, (size_t)revops_entity_find("lead", 4)) != leads)
        abort();
    if (rc) {
        const revops_error *e = revops_error_last();
        /* A lead whose amount cannot be converted for the tiers fails without a position. */
        if (d || (rc != REVOPS_EINVALID && rc != REVOPS_ETOOBIG) || !e->message[0] ||
            (e->line < 1 && !strstr(e->message, "routing tier")))
            abort();
        return 0;
    }
    if (revops_router_route_json(router, (const char *)data, size, "fuzz", &again) != 0 ||
        (d->chosen == NULL) != (again->chosen == NULL) ||
        (d->chosen && strcmp(d->chosen, again->chosen) != 0))
        abort();
    revops_route_decision_free(d);
    revops_route_decision_free(again);
    return 0;
}
