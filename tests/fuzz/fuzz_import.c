/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the whole row path: the input becomes opportunity.csv beside a fixed,
 * valid rep.csv and account.csv, and is read into a dataset with the import's validation.
 * Nothing may crash, leak or read out of bounds; every row is either kept or rejected.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "revops/revops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *dir, const char *name, const void *data, size_t len)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort();
    fwrite(data, 1, len, fp);
    fclose(fp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dir[64];
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/revops-fuzz-import-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        const char *reps = "id,name,role\nR-1,Anna,ae\nR-2,Boris,manager\n";
        const char *accounts = "id,name,created_at\nA-1,Acme,2025-01-01\n";
        put(dir, "rep.csv", reps, strlen(reps));
        put(dir, "account.csv", accounts, strlen(accounts));
    }
    put(dir, "opportunity.csv", data, size);
    revops_dataset *ds = NULL;
    revops_import_report report;
    if (revops_dataset_load_csv(&ds, dir, NULL, &report) == 0) {
        if (report.accepted + report.rejected != report.rows)
            abort();
        if (revops_dataset_rows(ds, 6) != report.files[2].accepted)
            abort();
        revops_dataset_free(ds);
    }
    revops_import_report_free(&report);
    return 0;
}
