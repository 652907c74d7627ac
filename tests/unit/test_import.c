/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Import: validation, rejects files, references across files (cycles and cascades), the
 * transactional store, re-import as a no-op, and the dataset built straight from CSV. Every
 * expected value comes from the small files written here, read by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <sqlite3.h>

#include "model/dataset.h"
#include "store/store.h"
#include "revops/revops.h"
#include "test_util.h"

static const char *TEAMS = "id,name,department,manager_id\n"
                           "T-1,Sales Moscow,sales,R-1\n"
                           "T-2,Marketing,Marketing,\n";

static const char *REPS =
    "id,name,email,role,team_id,manager_id,region,specializations,tiers,capacity,hired_at,active\n"
    "R-1,Anna Petrova,anna@example.com,manager,T-1,,Moscow,,enterprise,,2022-01-10,true\n"
    "R-2,Boris Ivanov,boris@example.com,AE,T-1,R-1,Moscow,ecommerce; saas,smb;Mid,40,"
    "2023-03-01,yes\n";

static const char *ACCOUNTS = "id,name,created_at\n"
                              "A-1,Acme,2025-12-01\n";

static const char *OPPS = "id,account_id,name,owner_id,created_at,stage,amount,currency,"
                          "close_date,closed_at,outcome\n"
                          "O-1,A-1,Audit,R-2,2026-01-10,proposal,150000.00,RUB,2026-03-31,,\n"
                          "O-2,A-1,\"Content, 2026\",R-2,2026-01-12T10:00:00Z,Closed Won,300000,"
                          "rub,2026-02-28,2026-02-20 16:30:00,\n";

static const char *HISTORY = "opportunity_id,at,from_stage,to_stage,amount,close_date\n"
                             "O-1,2026-01-10,,qualification,120000.5,2026-03-31\n"
                             "O-1,2026-02-01,qualification,proposal,150000,2026-03-31\n";

static void write_good(const char *dir)
{
    test_write(dir, "team.csv", TEAMS);
    test_write(dir, "rep.csv", REPS);
    test_write(dir, "account.csv", ACCOUNTS);
    test_write(dir, "opportunity.csv", OPPS);
    test_write(dir, "stage_change.csv", HISTORY);
}

static revops_store *open_store(const char *dir)
{
    char path[1024];
    revops_store *s = NULL;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    assert_int_equal(revops_store_open(&s, test_path(path, sizeof(path), dir, "t.db"), &so), 0);
    return s;
}

static int import_dir(revops_store *s, const char *dir, revops_import_options *io,
                      revops_import_report *r)
{
    const char *paths[1] = {dir};
    return revops_import(s, paths, 1, io, r);
}

/* Indexes of a store file, read with SQLite itself. */
static int count_indexes(const char *dir)
{
    char path[1024];
    sqlite3 *db;
    sqlite3_stmt *stmt;
    assert_int_equal(sqlite3_open(test_path(path, sizeof(path), dir, "t.db"), &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                                        "AND sql IS NOT NULL",
                                        -1, &stmt, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    int n = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

static size_t find_row(revops_dataset *ds, const revops_str *ids, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(revops_dataset__str(ds, ids[i]), id) == 0)
            return i;
    fail_msg("no row %s", id);
    return 0;
}

static void test_good_import_and_values(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    revops_store *s = open_store(dir);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    /* 2 teams + 2 reps + 1 account + 2 opportunities + 2 stage changes. */
    assert_int_equal(r.rows, 9);
    assert_int_equal(r.accepted, 9);
    assert_int_equal(r.rejected, 0);
    assert_int_equal(r.inserted, 9);
    revops_import_report_free(&r);
    /* ... and with the commit, rebuilt over the new rows. */
    assert_true(count_indexes(dir) > 10);

    revops_dataset *ds;
    assert_int_equal(revops_dataset_load_store(&ds, s, NULL, NULL), 0);
    assert_int_equal(ds->opportunity.n, 2);
    size_t o1 = find_row(ds, ds->opportunity.id, 2, "O-1");
    size_t o2 = find_row(ds, ds->opportunity.id, 2, "O-2");
    assert_int_equal(ds->opportunity.amount[o1], 15000000);
    assert_int_equal(ds->opportunity.amount[o2], 30000000);
    /* "Closed Won" is the configured stage closed_won; the empty outcome follows it. */
    assert_string_equal(revops_dataset__str(ds, ds->opportunity.stage[o2]), "closed_won");
    assert_string_equal(revops_dataset__str(ds, ds->opportunity.outcome[o2]), "won");
    assert_string_equal(revops_dataset__str(ds, ds->opportunity.outcome[o1]), "open");
    assert_string_equal(revops_dataset__str(ds, ds->opportunity.currency[o2]), "RUB");
    assert_string_equal(revops_dataset__str(ds, ds->opportunity.name[o2]), "Content, 2026");
    /* 2026-02-20 16:30:00 UTC = 20504 days * 86400 + 16.5 h. */
    assert_int_equal(ds->opportunity.closed_at[o2], 20504LL * 86400 + 16 * 3600 + 30 * 60);
    assert_int_equal(ds->opportunity.close_date[o1], 20543); /* 2026-03-31 */
    assert_true(ds->opportunity.closed_at[o1] == REVOPS_NO_TIME);
    size_t r2 = find_row(ds, ds->rep.id, 2, "R-2");
    assert_string_equal(revops_dataset__str(ds, ds->rep.role[r2]), "ae");
    assert_string_equal(revops_dataset__str(ds, ds->rep.tiers[r2]), "smb;mid");
    assert_string_equal(revops_dataset__str(ds, ds->rep.specializations[r2]), "ecommerce;saas");
    assert_int_equal(ds->rep.capacity[r2], 40);
    assert_int_equal(ds->rep.active[r2], 1);
    size_t t2 = find_row(ds, ds->team.id, 2, "T-2");
    assert_string_equal(revops_dataset__str(ds, ds->team.department[t2]), "marketing");
    /* A history row without a currency takes its opportunity's. */
    assert_int_equal(ds->stage_change.n, 2);
    assert_string_equal(revops_dataset__str(ds, ds->stage_change.currency[0]), "RUB");
    assert_int_equal(ds->stage_change.amount[0], 12000050);
    assert_true(ds->stage_change.from_stage[0] == 0);
    revops_dataset_free(ds);
    revops_store_close(s);
    test_rmdir(dir);
}

static void test_reimport_is_a_no_op_and_updates_count(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    revops_store *s = open_store(dir);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    revops_import_report_free(&r);
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    assert_int_equal(r.inserted, 0);
    assert_int_equal(r.updated, 0);
    assert_int_equal(r.unchanged, 9);
    revops_import_report_free(&r);

    /* One changed amount: one update, the rest unchanged. */
    test_write(dir, "opportunity.csv",
               "id,account_id,name,owner_id,created_at,stage,amount,currency,close_date\n"
               "O-1,A-1,Audit,R-2,2026-01-10,proposal,175000.00,RUB,2026-03-31\n");
    char path[1024];
    const char *one[1] = {test_path(path, sizeof(path), dir, "opportunity.csv")};
    assert_int_equal(revops_import(s, one, 1, &io, &r), 0);
    assert_int_equal(r.updated, 1);
    assert_int_equal(r.inserted, 0);
    revops_import_report_free(&r);
    int64_t n;
    assert_int_equal(revops_store_count(s, 6, &n), 0); /* 6 = opportunity */
    assert_int_equal(n, 2);
    revops_store_close(s);
    test_rmdir(dir);
}

/* Each bad row breaks exactly one rule; the rejects file names line, field and reason. */
static void test_bad_rows_are_rejected_with_reasons(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    test_write(dir, "opportunity.csv",
               "id,account_id,name,owner_id,created_at,stage,amount,currency,close_date,"
               "closed_at,outcome\n"                                                /* line 1 */
               "O-1,A-1,Audit,R-2,2026-01-10,proposal,150000.00,RUB,2026-03-31,,\n" /* 2 ok */
               "O-3,A-1,x,,2026-01-10,proposal,1,RUB,2026-03-31,,\n"                /* 3 owner */
               "O-4,A-1,x,R-2,2026-01-10,won,1,RUB,2026-03-31,,\n"                  /* 4 stage */
               "O-5,A-1,x,R-2,2026-01-10,proposal,1,RUB,2026-02-30,,\n"             /* 5 date */
               "O-6,A-1,x,R-2,2026-01-10,proposal,12abc,RUB,2026-03-31,,\n"         /* 6 letters */
               "O-7,A-1,x,R-2,2026-01-10,proposal,1.234,RUB,2026-03-31,,\n"         /* 7 decimals */
               "O-8,A-1,x,R-2,2026-01-10,proposal,99999999999999999999,RUB,2026-03-31,,\n"
               "O-9,A-1,x,R-2,2026-01-10,proposal,1,RUB\n"                     /* 9 short */
               "O-10,A-1,x,R-2,2026-01-10,proposal,1,RUB,2026-03-31,,,extra\n" /* 10 long */
               "O-1,A-1,dup,R-2,2026-01-10,proposal,1,RUB,2026-03-31,,\n"      /* 11 dup */
               "O-11,A-1,x,R-99,2026-01-10,proposal,1,RUB,2026-03-31,,\n"      /* 12 ref */
               "O-12,A-1,x,R-2,2026-01-10,proposal,1,RUB,2026-03-31,,lost\n"   /* 13 outcome */
               "O-13,A-1,bad \xff name,R-2,2026-01-10,proposal,1,RUB,2026-03-31,,\n" /* 14 utf8 */
               "O-14,A-1,x,R-2,2026-01-10,proposal,1,XYZ,2026-03-31,,\n"  /* 15 currency */
               "O-15,A-1,x,R-2,2026-01-10,proposal,-5,RUB,2026-03-31,,\n" /* 16 negative */
               "\n"                                                       /* 17 blank */
               "O-16,A-1,\"multi\nline\",R-2,2026-01-10,proposal,2,RUB,2026-03-31,,\n"); /* 18 ok */
    revops_store *s = open_store(dir);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    const revops_import_file *of = NULL;
    for (size_t i = 0; i < r.nfiles; i++)
        if (strstr(r.files[i].path, "opportunity.csv"))
            of = &r.files[i];
    assert_non_null(of);
    assert_int_equal(of->rows, 16);
    assert_int_equal(of->accepted, 2);
    assert_int_equal(of->rejected, 14);
    assert_true(strstr(of->rejects_path, "opportunity.rejects.csv") != NULL);
    char *rej = test_read(of->rejects_path);
    assert_non_null(rej);
    revops_import_report_free(&r);
    /* The header, then one line per rejected row, original fields after the reason. */
    assert_true(strncmp(rej, "reject_line,reject_field,reject_reason,id,account_id,", 53) == 0);
    assert_non_null(strstr(rej, "\n3,owner_id,\"owner_id: required, but empty\",O-3,"));
    assert_non_null(strstr(rej, "\n4,stage,\"stage: unknown stage 'won' (known stages: "));
    assert_non_null(strstr(rej, "\n5,close_date,close_date: '2026-02-30' is not a date"));
    assert_non_null(strstr(rej, "\n6,amount,\"amount: '12abc' is not an amount"));
    assert_non_null(strstr(rej, "\n7,amount,amount: '1.234' is not an amount: more than 2 "
                                "decimals for its currency"));
    assert_non_null(strstr(rej, "\n8,amount,amount: '99999999999999999999' is not an amount: "
                                "too large"));
    assert_non_null(strstr(rej, "\n9,,the row has 8 fields; the header has 11,O-9,"));
    assert_non_null(strstr(rej, "\n10,,the row has 12 fields; the header has 11,O-10,"));
    assert_non_null(strstr(rej, "\n11,id,\"id: duplicate id 'O-1', first on line 2\",O-1,"));
    assert_non_null(strstr(rej, "\n12,owner_id,owner_id: rep 'R-99' does not exist (neither "
                                "in the store nor in this import),O-11,"));
    assert_non_null(strstr(rej, "\n13,outcome,\"outcome: outcome 'lost' disagrees with stage "
                                "'proposal', whose outcome is 'open'\",O-12,"));
    assert_non_null(strstr(rej, "\n14,name,\"name: not valid UTF-8 (byte 0xff at byte 5)"));
    assert_non_null(strstr(rej, "\n15,currency,\"currency: 'XYZ' is not an ISO 4217 currency"));
    assert_non_null(strstr(rej, "\n16,amount,amount: '-5' is negative"));
    free(rej);

    revops_dataset *ds;
    assert_int_equal(revops_dataset_load_store(&ds, s, NULL, NULL), 0);
    assert_int_equal(ds->opportunity.n, 2);
    size_t o16 = find_row(ds, ds->opportunity.id, 2, "O-16");
    assert_string_equal(revops_dataset__str(ds, ds->opportunity.name[o16]), "multi\nline");
    revops_dataset_free(ds);

    /* Fixing the file and importing again removes the stale rejects file. */
    test_write(dir, "opportunity.csv", OPPS);
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    char path[1024];
    assert_null(test_read(test_path(path, sizeof(path), dir, "opportunity.rejects.csv")));
    revops_import_report_free(&r);
    revops_store_close(s);
    test_rmdir(dir);
}

/* A rejected rep takes down what points at it, through the team <-> rep cycle too. */
static void test_rejections_cascade_through_references(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    test_write(dir, "team.csv",
               "id,name,department,manager_id\n"
               "T-1,Sales Moscow,sales,R-1\n"
               "T-3,Sales Kazan,sales,R-3\n");
    test_write(dir, "rep.csv",
               "id,name,role,team_id,manager_id\n"
               "R-1,Anna,manager,T-1,\n"
               "R-2,Boris,ae,T-1,R-1\n"
               "R-3,Bad Role,wizard,T-1,\n"
               "R-4,Dina,ae,T-3,R-1\n");
    test_write(dir, "opportunity.csv",
               "id,account_id,name,owner_id,created_at,stage,amount,currency,close_date\n"
               "O-1,A-1,Audit,R-2,2026-01-10,proposal,150000.00,RUB,2026-03-31\n"
               "O-2,A-1,Other,R-4,2026-01-10,proposal,1,RUB,2026-03-31\n");
    test_write(dir, "stage_change.csv",
               "opportunity_id,at,to_stage\n"
               "O-1,2026-01-10,qualification\n"
               "O-2,2026-01-10,qualification\n");
    revops_store *s = open_store(dir);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    /* R-3 (bad role) -> T-3 (manager R-3) -> R-4 (team T-3) -> O-2 (owner R-4) -> its
     * stage change: five rows. */
    assert_int_equal(r.rejected, 5);
    char path[1024];
    char *rej = test_read(test_path(path, sizeof(path), dir, "team.rejects.csv"));
    assert_non_null(rej);
    assert_non_null(strstr(rej, "manager_id: rep 'R-3' was rejected in this import"));
    free(rej);
    rej = test_read(test_path(path, sizeof(path), dir, "stage_change.rejects.csv"));
    assert_non_null(rej);
    assert_non_null(strstr(rej, "opportunity 'O-2' was rejected in this import"));
    free(rej);
    revops_import_report_free(&r);
    int64_t n;
    assert_int_equal(revops_store_count(s, 1, &n), 0); /* rep */
    assert_int_equal(n, 2);
    revops_store_close(s);
    test_rmdir(dir);
}

static void expect_file_error(const char *name, const char *text, const char *message_part)
{
    char *dir = test_tmpdir();
    write_good(dir);
    test_write(dir, name, text);
    revops_store *s = open_store(dir);
    int indexes = count_indexes(dir);
    assert_true(indexes > 10);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    revops_import_report r;
    int rc = import_dir(s, dir, &io, &r);
    assert_int_not_equal(rc, 0);
    if (!strstr(revops_error_last()->message, message_part))
        fail_msg("expected '%s' in '%s'", message_part, revops_error_last()->message);
    revops_import_report_free(&r);
    /* Nothing of the good files went in. */
    for (size_t e = 0; e < revops_entity_count(); e++) {
        int64_t n = -1;
        assert_int_equal(revops_store_count(s, e, &n), 0);
        assert_int_equal(n, 0);
    }
    char path[1024];
    assert_null(test_read(test_path(path, sizeof(path), dir, "opportunity.rejects.csv")));
    /* The indexes an import into empty tables sets aside come back with the rollback. */
    assert_int_equal(count_indexes(dir), indexes);
    revops_store_close(s);
    test_rmdir(dir);
}

static void test_file_level_errors_leave_the_store_unchanged(void **state)
{
    (void)state;
    expect_file_error("opportunity.csv",
                      "id,account_id,name,owner_id,created_at,stage,amount,currency,close_date\n"
                      "O-9,A-1,bad,R-2,2026-01-10,proposal,1,RUB,2026-03-31\n"
                      "O-1,A-1,\"Audit,R-2,2026-01-10,proposal,150000.00,RUB,2026-03-31\n",
                      "a quoted field opened on line 3 is never closed");
    expect_file_error("opportunity.csv", "", "is empty: expected a header line");
    expect_file_error("opportunity.csv",
                      "id,account_id,name,created_at,stage,amount,currency\n"
                      "O-1,A-1,Audit,2026-01-10,proposal,1,RUB\n",
                      "lacks required column(s) owner_id, close_date");
    expect_file_error("opportunity.csv", "id,n\xe4me,owner_id\n", "header is not valid UTF-8");
    expect_file_error("opportunity.csv", "id,owner_id,id\n", "column 'id' appears twice");
}

static void capture_warning(void *ctx, const char *message)
{
    char *buf = ctx;
    snprintf(buf, 512, "%s", message);
}

static void test_unknown_column_warns_and_imports(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    test_write(dir, "account.csv",
               "id,name,created_at,favourite_colour\n"
               "A-1,Acme,2025-12-01,teal\n");
    revops_store *s = open_store(dir);
    char warning[512] = "";
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.warning = capture_warning;
    io.warning_ctx = warning;
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    assert_int_equal(r.rejected, 0);
    assert_non_null(strstr(warning, "ignoring column 4 'favourite_colour'"));
    revops_import_report_free(&r);
    revops_store_close(s);
    test_rmdir(dir);
}

static void test_dry_run_changes_nothing(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    test_write(dir, "account.csv", "id,name,created_at\nA-1,Acme,2025-12-01\nA-2,,2025-12-01\n");
    revops_store *s = open_store(dir);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.dry_run = 1;
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, &io, &r), 0);
    assert_int_equal(r.accepted, 9);
    assert_int_equal(r.rejected, 1);
    assert_int_equal(r.inserted, 0);
    revops_import_report_free(&r);
    int64_t n;
    assert_int_equal(revops_store_count(s, 0, &n), 0);
    assert_int_equal(n, 0);
    char path[1024];
    char *rej = test_read(test_path(path, sizeof(path), dir, "account.rejects.csv"));
    assert_non_null(rej);
    assert_non_null(strstr(rej, "\n3,name,\"name: required, but empty\",A-2,,2025-12-01\n"));
    free(rej);
    revops_store_close(s);
    test_rmdir(dir);
}

static void test_inputs_that_name_no_entity(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    test_write(dir, "deals.csv", "id\n1\n");
    revops_store *s = open_store(dir);
    char path[1024];
    const char *one[1] = {test_path(path, sizeof(path), dir, "deals.csv")};
    revops_import_report r;
    assert_int_equal(revops_import(s, one, 1, NULL, &r), REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "cannot tell which entity"));
    revops_import_report_free(&r);
    /* A folder without any <entity>.csv is an error too. */
    assert_int_equal(import_dir(s, dir, NULL, &r), REVOPS_ENOTFOUND);
    revops_import_report_free(&r);
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.profile = "salesforce";
    test_write(dir, "team.csv", TEAMS);
    assert_int_equal(import_dir(s, dir, &io, &r), REVOPS_EUNSUPPORTED);
    revops_import_report_free(&r);
    revops_store_close(s);
    test_rmdir(dir);
}

/* The same folder read straight into a dataset and through a store gives the same rows. */
static void test_dataset_from_csv_equals_dataset_from_store(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    revops_store *s = open_store(dir);
    revops_import_report r;
    assert_int_equal(import_dir(s, dir, NULL, &r), 0);
    revops_import_report_free(&r);
    revops_dataset *a, *b;
    assert_int_equal(revops_dataset_load_store(&a, s, NULL, NULL), 0);
    assert_int_equal(revops_dataset_load_csv(&b, dir, NULL, &r), 0);
    revops_import_report_free(&r);
    for (size_t e = 0; e < revops_entity_count(); e++) {
        assert_int_equal(revops_dataset_rows(a, e), revops_dataset_rows(b, e));
        assert_true(revops_dataset_fingerprint(a, e) == revops_dataset_fingerprint(b, e));
    }
    /* The fingerprint sees a change of one value. */
    assert_true(revops_dataset_fingerprint(a, 6) != 0);
    a->opportunity.amount[0] += 1;
    assert_true(revops_dataset_fingerprint(a, 6) != revops_dataset_fingerprint(b, 6));
    revops_dataset_free(a);
    revops_dataset_free(b);
    revops_store_close(s);
    test_rmdir(dir);
}

/* Bad references, cascades and duplicate keys reach the same verdicts on both paths: the
 * store's two-phase import and the dataset's single pass. */
static void test_dataset_path_matches_store_path_on_bad_data(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    write_good(dir);
    test_write(dir, "team.csv",
               "id,name,department,manager_id\n"
               "T-1,Sales Moscow,sales,R-1\n"
               "T-3,Sales Kazan,sales,R-3\n");
    test_write(dir, "rep.csv",
               "id,name,role,team_id,manager_id\n"
               "R-1,Anna,manager,T-1,\n"
               "R-2,Boris,ae,T-1,R-1\n"
               "R-3,Bad Role,wizard,T-1,\n"
               "R-4,Dina,ae,T-3,R-1\n"
               "R-5,Self,ae,T-1,R-5\n");
    /* O-1 twice (second rejected); O-5 broken then valid (the valid one keeps the key);
     * O-2 owned by the cascaded R-4; O-6 owned by self-managed R-5. */
    test_write(dir, "opportunity.csv",
               "id,account_id,name,owner_id,created_at,stage,amount,currency,close_date\n"
               "O-1,A-1,Audit,R-2,2026-01-10,proposal,150000.00,RUB,2026-03-31\n"
               "O-1,A-1,Again,R-2,2026-01-10,proposal,1,RUB,2026-03-31\n"
               "O-5,A-1,Broken,R-2,2026-01-10,proposal,1x,RUB,2026-03-31\n"
               "O-5,A-1,Fixed,R-2,2026-01-10,proposal,1,RUB,2026-03-31\n"
               "O-2,A-1,Other,R-4,2026-01-10,proposal,1,RUB,2026-03-31\n"
               "O-6,A-2,Nowhere,R-5,2026-01-10,proposal,1,RUB,2026-03-31\n"
               "O-7,A-1,Mine,R-5,2026-01-10,proposal,1,USD,2026-03-31\n");
    test_write(dir, "stage_change.csv",
               "opportunity_id,at,to_stage,amount\n"
               "O-1,2026-01-10,qualification,1\n"
               "O-1,2026-01-10,qualification,2\n"
               "O-2,2026-01-10,qualification,3\n"
               "O-7,2026-01-10,qualification,4.5\n");
    revops_store *s = open_store(dir);
    revops_import_report r1, r2;
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    assert_int_equal(import_dir(s, dir, &io, &r1), 0);
    revops_dataset *a, *b;
    assert_int_equal(revops_dataset_load_store(&a, s, NULL, NULL), 0);
    assert_int_equal(revops_dataset_load_csv(&b, dir, NULL, &r2), 0);
    /* Rejected: R-3, T-3, R-4 (cascade), O-1 again, O-5 broken, O-2, O-6 (no A-2), the
     * duplicate stage change of O-1 and O-2's stage change: 9. */
    assert_int_equal(r1.rejected, 9);
    assert_int_equal(r2.rejected, r1.rejected);
    assert_int_equal(r2.accepted, r1.accepted);
    for (size_t i = 0; i < r1.nfiles; i++) {
        assert_int_equal(r1.files[i].accepted, r2.files[i].accepted);
        assert_int_equal(r1.files[i].rejected, r2.files[i].rejected);
    }
    for (size_t e = 0; e < revops_entity_count(); e++) {
        assert_int_equal(revops_dataset_rows(a, e), revops_dataset_rows(b, e));
        assert_true(revops_dataset_fingerprint(a, e) == revops_dataset_fingerprint(b, e));
    }
    size_t o5 = find_row(b, b->opportunity.id, b->opportunity.n, "O-5");
    assert_string_equal(revops_dataset__str(b, b->opportunity.name[o5]), "Fixed");
    /* O-7's stage change took the deal's currency, USD. */
    size_t sc = b->stage_change.n - 1;
    assert_string_equal(revops_dataset__str(b, b->stage_change.currency[sc]), "USD");
    assert_int_equal(b->stage_change.amount[sc], 450);
    revops_import_report_free(&r1);
    revops_import_report_free(&r2);
    revops_dataset_free(a);
    revops_dataset_free(b);
    revops_store_close(s);
    test_rmdir(dir);
}

/* The store's own safety net: a bulk transaction that would commit a dangling reference is
 * refused at commit and rolled back, indexes and all. */
static void test_store_refuses_dangling_references_at_commit(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    revops_store *s = open_store(dir);
    int indexes = count_indexes(dir);
    revops_value row[REVOPS_MAX_FIELDS];
    memset(row, 0, sizeof(row));
    /* An account owned by a rep that does not exist. */
    row[REVOPS_F_account_id] = (revops_value){1, 0, 0, "A-1", 3};
    row[REVOPS_F_account_name] = (revops_value){1, 0, 0, "Acme", 4};
    row[REVOPS_F_account_owner_id] = (revops_value){1, 0, 0, "R-404", 5};
    row[REVOPS_F_account_created_at] = (revops_value){1, 20000LL * 86400, 0, NULL, 0};
    revops_upsert_result res;
    assert_int_equal(revops_store__begin(s, 1), 0);
    assert_int_equal(revops_store__upsert(s, REVOPS_ENTITY_ACCOUNT, row, &res), 0);
    assert_int_equal(res, REVOPS_UPSERT_INSERTED);
    assert_int_equal(revops_store__commit(s), REVOPS_ECONFLICT);
    assert_non_null(strstr(revops_error_last()->message, "references a missing rep"));
    assert_int_equal(revops_store__rollback(s), 0);
    int64_t n = -1;
    assert_int_equal(revops_store_count(s, REVOPS_ENTITY_ACCOUNT, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(count_indexes(dir), indexes);
    /* Outside bulk transactions the foreign keys are enforced as usual. */
    assert_int_equal(revops_store__begin(s, 0), 0);
    assert_int_equal(revops_store__upsert(s, REVOPS_ENTITY_ACCOUNT, row, &res), 0);
    assert_int_not_equal(revops_store__commit(s), 0);
    revops_store__rollback(s);
    revops_store_close(s);
    test_rmdir(dir);
}

static void test_store_open_errors(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char path[1024];
    revops_store *s;
    assert_int_equal(revops_store_open(&s, test_path(path, sizeof(path), dir, "none.db"), NULL),
                     REVOPS_ENOTFOUND);
    assert_non_null(strstr(revops_error_last()->message, "revops init --db"));
    test_write(dir, "text.db", "this is not a database, just some text that is long enough");
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    assert_int_equal(revops_store_open(&s, test_path(path, sizeof(path), dir, "text.db"), &so),
                     REVOPS_EINVALID);
    assert_non_null(strstr(revops_error_last()->message, "not a revops store"));
    assert_int_equal(revops_store_open(&s, "postgresql://localhost/revops", NULL),
                     REVOPS_EUNSUPPORTED);
    /* A fresh store has the current schema version and empty tables. */
    so.create = 1;
    assert_int_equal(revops_store_open(&s, test_path(path, sizeof(path), dir, "new.db"), &so), 0);
    int version = 0;
    assert_int_equal(revops_store_schema_version(s, &version), 0);
    assert_int_equal(version, REVOPS_SCHEMA_VERSION);
    revops_store_close(s);
    /* Reopening an existing store works without create. */
    assert_int_equal(revops_store_open(&s, path, NULL), 0);
    revops_store_close(s);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_import_and_values),
        cmocka_unit_test(test_reimport_is_a_no_op_and_updates_count),
        cmocka_unit_test(test_bad_rows_are_rejected_with_reasons),
        cmocka_unit_test(test_rejections_cascade_through_references),
        cmocka_unit_test(test_file_level_errors_leave_the_store_unchanged),
        cmocka_unit_test(test_unknown_column_warns_and_imports),
        cmocka_unit_test(test_dry_run_changes_nothing),
        cmocka_unit_test(test_inputs_that_name_no_entity),
        cmocka_unit_test(test_dataset_from_csv_equals_dataset_from_store),
        cmocka_unit_test(test_dataset_path_matches_store_path_on_bad_data),
        cmocka_unit_test(test_store_refuses_dangling_references_at_commit),
        cmocka_unit_test(test_store_open_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
