/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dataset loader on files big enough to be cut into several chunks and parsed by several
 * threads: it must give what one reader going through the files in order gives (the store
 * import is that reader). The files are written here: opportunities with CR LF line ends and
 * quoted names holding line breaks, commas and quotes (so chunks are cut by following the
 * quotes), stage changes and activities without quotes (cut at plain line ends), with bad
 * rows, duplicate keys far apart and dangling references placed by hand; every expected
 * count below is worked out from those rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ingest/importer.h"
#include "model/dataset.h"
#include "revops/revops.h"
#include "test_util.h"

enum { NOPP = 30000, NSC = 40000, NACT = 70000 };

static const char *const CURRENCIES[] = {"RUB", "USD", "EUR"};
static const char *const TYPES[] = {"call", "email", "meeting"};

static FILE *create(const char *dir, const char *name)
{
    char path[1024];
    FILE *fp = fopen(test_path(path, sizeof(path), dir, name), "wb");
    if (!fp)
        abort();
    return fp;
}

/*
 * Opportunity k (1..NOPP): id O-k, except row 25000, which repeats O-17 (so O-25000 does not
 * exist); amount "1x" (rejected) when k is a multiple of 997. The name comes first and, but
 * in every 5th row, is quoted with a doubled quote, a comma and a CR LF early in the record,
 * so most line ends before a cut lie inside quotes.
 */
static void write_opportunities(const char *dir)
{
    FILE *fp = create(dir, "opportunity.csv");
    fprintf(fp, "name,id,account_id,owner_id,created_at,stage,amount,currency,close_date\r\n");
    for (int k = 1; k <= NOPP; k++) {
        char id[32], name[64], amount[32];
        snprintf(id, sizeof(id), "O-%d", k == 25000 ? 17 : k);
        if (k % 5 != 0)
            snprintf(name, sizeof(name), "\"Deal \"\"%d\"\", part\r\ntwo\"", k);
        else
            snprintf(name, sizeof(name), "Deal %d", k);
        if (k % 997 == 0)
            snprintf(amount, sizeof(amount), "1x");
        else
            snprintf(amount, sizeof(amount), "%d.50", k);
        fprintf(fp, "%s,%s,A-%d,R-%d,2025-01-%02dT10:00:00Z,proposal,%s,%s,2026-03-31\r\n", name,
                id, k % 2000 + 1, k % 20 + 1, k % 28 + 1, amount, CURRENCIES[k % 3]);
    }
    fclose(fp);
}

/*
 * Stage change i (0..NSC-1): of O-(i % 500 + 1) at 2025-02-01 plus i minutes, without a
 * currency (so in its deal's); every 4000th (i % 4000 == 3999) of O-99999, which does not
 * exist; row 39998 repeats row 0's key.
 */
static void write_stage_changes(const char *dir)
{
    FILE *fp = create(dir, "stage_change.csv");
    fprintf(fp, "opportunity_id,at,from_stage,to_stage,amount,currency,close_date\n");
    for (int i = 0; i < NSC; i++) {
        int at = i == 39998 ? 0 : i;
        char opp[32];
        if (i % 4000 == 3999)
            snprintf(opp, sizeof(opp), "O-99999");
        else
            snprintf(opp, sizeof(opp), "O-%d", i == 39998 ? 1 : i % 500 + 1);
        fprintf(fp, "%s,2025-02-%02dT%02d:%02d:00Z,,qualification,100,,2026-03-31\n", opp,
                at / 1440 + 1, at / 60 % 24, at % 60);
    }
    fclose(fp);
}

/*
 * Activity i (0..NACT-1): ACT-i, except row 68000, which repeats ACT-5; of deal
 * O-(i % 30000 + 1). Every 1000th outcome (i % 1000 == 7) is Cyrillic, so some chunks are not
 * ASCII; row 33333's is a byte that is not UTF-8 (rejected). A column the model does not have
 * (notes) draws a warning.
 */
static void write_activities(const char *dir, long broken_row)
{
    FILE *fp = create(dir, "activity.csv");
    fprintf(fp, "id,at,type,rep_id,opportunity_id,outcome,notes\n");
    for (long i = 0; i < NACT; i++) {
        fprintf(fp, "ACT-%ld,2025-03-01T%02ld:%02ld:00Z,%s,R-%ld,O-%ld,%s,n%ld\n",
                i == 68000 ? 5 : i, i / 60 % 24, i % 60, TYPES[i % 3], i % 20 + 1, i % 30000 + 1,
                i == broken_row ? "\"connected\"x"
                : i == 33333    ? "\xff"
                : i % 1000 == 7 ? "\xd1\x81\xd0\xb2\xd1\x8f\xd0\xb7\xd1\x8c"
                                : "connected",
                i % 7);
    }
    fclose(fp);
}

static void write_all(const char *dir, long broken_row)
{
    test_write(dir, "team.csv", "id,name,department,manager_id\nT-1,Sales,sales,R-1\n");
    FILE *fp = create(dir, "rep.csv");
    fprintf(fp, "id,name,team_id\n");
    for (int r = 1; r <= 20; r++)
        fprintf(fp, "R-%d,Rep %d,T-1\n", r, r);
    fclose(fp);
    fp = create(dir, "account.csv");
    fprintf(fp, "id,name,created_at\n");
    for (int a = 1; a <= 2000; a++)
        fprintf(fp, "A-%d,Account %d,2024-06-01\n", a, a);
    fclose(fp);
    write_opportunities(dir);
    write_stage_changes(dir);
    write_activities(dir, broken_row);
}

static size_t file_of(const revops_import_report *r, const char *entity)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (strcmp(revops_entity_at((size_t)r->files[i].entity)->name, entity) == 0)
            return i;
    fail_msg("no %s file in the report", entity);
    return 0;
}

typedef struct call_log {
    char lines[64][600];
    size_t n;
} call_log;

static void on_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    call_log *l = ctx;
    if (strstr(what, "(references)") || l->n == 64)
        return; /* the import's first reading, which a dataset does not need */
    snprintf(l->lines[l->n++], sizeof(l->lines[0]), "%s %llu/%llu", what, (unsigned long long)done,
             (unsigned long long)total);
}

static void on_store_progress(void *ctx, const char *what, uint64_t done, uint64_t total)
{
    call_log *l = ctx;
    if (l->n < 64)
        snprintf(l->lines[l->n++], sizeof(l->lines[0]), "%s %llu/%llu", what,
                 (unsigned long long)done, (unsigned long long)total);
}

static void on_warning(void *ctx, const char *message)
{
    call_log *l = ctx;
    if (l->n < 64)
        snprintf(l->lines[l->n++], sizeof(l->lines[0]), "warning: %s", message);
}

/* Rows, verdicts, values, progress and warnings equal the store import's. */
static void test_chunked_load_matches_the_import(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_all(dir, -1);
    char db[1024];
    revops_store *s;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    assert_int_equal(revops_store_open(&s, test_path(db, sizeof(db), dir, "t.db"), &so), 0);
    call_log import_log = {.n = 0}, load_log = {.n = 0};
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    io.progress = on_progress;
    io.warning = on_warning;
    io.progress_ctx = io.warning_ctx = &import_log;
    revops_import_report r1, r2;
    const char *paths[1] = {dir};
    assert_int_equal(revops_import(s, paths, 1, &io, &r1), 0);
    io.progress_ctx = io.warning_ctx = &load_log;
    revops_dataset *a, *b;
    call_log store_log = {.n = 0};
    assert_int_equal(revops_dataset_load_store(&a, s, on_store_progress, &store_log), 0);
    assert_int_equal(revops_dataset_load_csv(&b, dir, &io, &r2), 0);

    /* Opportunities: 30 amounts "1x" (997, 1994, ..., 29910) and the second O-17. */
    size_t opp = file_of(&r2, "opportunity");
    assert_int_equal(r2.files[opp].rows, NOPP);
    assert_int_equal(r2.files[opp].rejected, 31);
    /* Stage changes: the 10 of O-99999 and the repeated key of row 39998. */
    assert_int_equal(r2.files[file_of(&r2, "stage_change")].rejected, 11);
    /* Activities: the second ACT-5; row 33333's outcome; the 70 of deals rejected for their
     * amount (i % 30000 = 997k - 1: 30 for i < 30000, 30 more below 60000, 10 below 70000;
     * 33333 is not one of them, 33333 % 30000 + 1 = 3334 = 997 x 3 + 343); the 2 of O-25000
     * (i = 24999 and 54999). */
    assert_int_equal(r2.files[file_of(&r2, "activity")].rejected, 74);
    assert_int_equal(r2.rows, r1.rows);
    assert_int_equal(r2.rejected, r1.rejected);
    for (size_t i = 0; i < r1.nfiles; i++) {
        assert_int_equal(r1.files[i].accepted, r2.files[i].accepted);
        assert_int_equal(r1.files[i].rejected, r2.files[i].rejected);
    }
    assert_int_equal(r2.bytes, r1.bytes);
    for (size_t e = 0; e < revops_entity_count(); e++) {
        assert_int_equal(revops_dataset_rows(a, e), revops_dataset_rows(b, e));
        assert_true(revops_dataset_fingerprint(a, e) == revops_dataset_fingerprint(b, e));
    }
    /* A name read across a quoted line break; a stage change in its deal's currency: O-2's
     * is EUR (2 % 3 = 2), so 100 is 10000 cents. */
    assert_string_equal(revops_dataset__str(b, b->opportunity.name[3]), "Deal \"4\", part\r\ntwo");
    assert_string_equal(revops_dataset__str(b, b->opportunity.name[4]), "Deal 5");
    assert_string_equal(revops_dataset__str(b, b->stage_change.opportunity_id[1]), "O-2");
    assert_string_equal(revops_dataset__str(b, b->stage_change.currency[1]), "EUR");
    assert_int_equal(b->stage_change.amount[1], 10000);
    /* Activity 7 kept its Cyrillic outcome. */
    assert_string_equal(revops_dataset__str(b, b->activity.outcome[7]),
                        "\xd1\x81\xd0\xb2\xd1\x8f\xd0\xb7\xd1\x8c");
    /* 70,000 activities: one progress call at record 65,536, one at the end of each file. */
    assert_int_equal(load_log.n, import_log.n);
    for (size_t i = 0; i < load_log.n; i++)
        assert_string_equal(load_log.lines[i], import_log.lines[i]);
    /* The store's rows arrive in chunks, yet progress comes after the same rows as one by
     * one: every 65,536th row of a table, and its end. The store holds the 69,926 activities
     * the import accepted (70,000 less the 74 rejected). */
    int seen_step = 0, seen_end = 0;
    for (size_t i = 0; i < store_log.n; i++) {
        seen_step += strcmp(store_log.lines[i], "activity 65536/69926") == 0;
        seen_end += strcmp(store_log.lines[i], "activity 69926/69926") == 0;
    }
    assert_int_equal(seen_step, 1);
    assert_int_equal(seen_end, 1);
    assert_int_equal(store_log.n, revops_entity_count() + 1);
    int warned = 0;
    for (size_t i = 0; i < load_log.n; i++)
        warned += strstr(load_log.lines[i], "warning: ") && strstr(load_log.lines[i], "notes");
    assert_int_equal(warned, 1);
    revops_import_report_free(&r1);
    revops_import_report_free(&r2);
    revops_dataset_free(a);
    revops_dataset_free(b);
    revops_store_close(s);
    test_rmdir(dir);
}

/* The string ids count first appearances in file, row and field order, whatever the threads:
 * walking the tables in that order meets each new id above every earlier one, and one thread
 * or three give the same pool and the same columns. */
static void test_string_ids_do_not_depend_on_threads(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_all(dir, -1);
    revops_dataset *one, *three;
    revops_import_report r;
    assert_int_equal(revops_import__load_csv(&one, dir, NULL, &r, 1), 0);
    revops_import_report_free(&r);
    assert_int_equal(revops_import__load_csv(&three, dir, NULL, &r, 3), 0);
    revops_import_report_free(&r);
    assert_int_equal(one->strings.count, three->strings.count);
    for (size_t id = 0; id < one->strings.count; id++)
        assert_string_equal(revops_dataset__str(one, (revops_str)id),
                            revops_dataset__str(three, (revops_str)id));
    revops_str highest = 0;
    size_t checked = 0;
    for (size_t e = 0; e < revops_entity_count(); e++) {
        const revops_entity_def *def = revops_entity_at(e);
        size_t n = revops_dataset_rows(one, e);
        assert_int_equal(n, revops_dataset_rows(three, e));
        for (size_t f = 0; f < def->nfields; f++) {
            size_t size = revops_field__column_size(def->fields[f].type);
            const void *x = revops_dataset__column(one, (int)e, (int)f);
            const void *y = revops_dataset__column(three, (int)e, (int)f);
            if (n)
                assert_memory_equal(x, y, n * size);
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t f = 0; f < def->nfields; f++) {
                if (!revops_field__is_text(def->fields[f].type))
                    continue;
                revops_str id =
                    ((const revops_str *)revops_dataset__column(one, (int)e, (int)f))[i];
                if (id > highest) {
                    /* New: nothing before it may have a higher id. */
                    highest = id;
                    checked++;
                }
            }
        }
    }
    assert_true(checked > NOPP);
    revops_dataset_free(one);
    revops_dataset_free(three);
    test_rmdir(dir);
}

/* A broken record deep in a file, in a chunk a thread parsed without knowing its first line,
 * fails with the line, column and message of the import's single reader. */
static void test_error_in_a_later_chunk_names_its_line(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_all(dir, 50000);
    revops_store *s;
    char db[1024];
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    assert_int_equal(revops_store_open(&s, test_path(db, sizeof(db), dir, "t.db"), &so), 0);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    revops_import_report r;
    const char *paths[1] = {dir};
    assert_int_not_equal(revops_import(s, paths, 1, &io, &r), 0);
    revops_import_report_free(&r);
    revops_error want = *revops_error_last();
    revops_dataset *ds;
    assert_int_equal(revops_dataset_load_csv(&ds, dir, &io, &r), want.code);
    revops_import_report_free(&r);
    const revops_error *got = revops_error_last();
    /* Row 50000 is on line 50002 (the header is line 1); "ACT-50000,2025-03-01T.." puts the
     * x after the closing quote at the same column on either path. */
    assert_int_equal(got->line, 50002);
    assert_int_equal(got->line, want.line);
    assert_int_equal(got->column, want.column);
    assert_string_equal(got->file, want.file);
    assert_string_equal(got->message, want.message);
    revops_store_close(s);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chunked_load_matches_the_import),
        cmocka_unit_test(test_string_ids_do_not_depend_on_threads),
        cmocka_unit_test(test_error_in_a_later_chunk_names_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
