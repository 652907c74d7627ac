/*
 * An example of using librevops from C: import a folder of <entity>.csv files into a new
 * store, load the store into a dataset and print the rows of each entity.
 *
 *   cc count_rows.c -o count_rows $(pkg-config --cflags --libs revops)   (or link librevops.a,
 *   sqlite3, gsl and m by hand)
 *   ./count_rows data/ store.db
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <stdio.h>

#include "revops/revops.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s DIR STORE\n", argv[0]);
        return 2;
    }
    revops_store *store = NULL;
    revops_dataset *ds = NULL;
    revops_import_report report = {0};
    int status = 1;

    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    int rc = revops_store_open(&store, argv[2], &so);
    if (rc)
        goto done;
    const char *paths[1] = {argv[1]};
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.default_currency = "RUB";
    rc = revops_import(store, paths, 1, &io, &report);
    if (rc)
        goto done;
    printf("imported %llu rows, rejected %llu\n", (unsigned long long)report.accepted,
           (unsigned long long)report.rejected);
    rc = revops_dataset_load_store(&ds, store, NULL, NULL);
    if (rc)
        goto done;
    for (size_t e = 0; e < revops_entity_count(); e++)
        if (revops_dataset_rows(ds, e) > 0)
            printf("%-14s %zu\n", revops_entity_at(e)->name, revops_dataset_rows(ds, e));
    status = 0;
done:
    if (status)
        fprintf(stderr, "error: %s\n", revops_error_last()->message);
    revops_import_report_free(&report);
    revops_dataset_free(ds);
    revops_store_close(store);
    return status;
}
