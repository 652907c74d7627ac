/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store migrations: a store of schema version 1 (before the lifecycle's change log and the
 * handoff tasks) opened writable comes out with the tables, columns and indexes a new store
 * has, and keeps its rows; opened read-only it is refused with the advice to open it once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "revops/revops.h"
#include "test_util.h"

/* The CREATE statements of the two version-2 tables and their indexes, in name order. */
static char *schema_of(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(sql, ';') FROM (SELECT sql FROM "
                                        "sqlite_master WHERE tbl_name IN ('task', "
                                        "'lifecycle_change') ORDER BY name)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *text = (const char *)sqlite3_column_text(st, 0);
    char *copy = strdup(text ? text : "");
    sqlite3_finalize(st);
    sqlite3_close(db);
    return copy;
}

static void exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

static void test_version_1_store_is_migrated(void **state)
{
    (void)state;
    char *dir = test_tmpdir();
    char fresh[512], old[512];
    test_path(fresh, sizeof(fresh), dir, "fresh.db");
    test_path(old, sizeof(old), dir, "old.db");
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    revops_store *s;
    assert_int_equal(revops_store_open(&s, fresh, &so), 0);
    revops_store_close(s);
    assert_int_equal(revops_store_open(&s, old, &so), 0);
    revops_store_close(s);
    char *want = schema_of(fresh);
    assert_non_null(strstr(want, "CREATE TABLE task ("));
    assert_non_null(strstr(want, "CREATE INDEX task_owner_id ON task(owner_id)"));

    /* Make `old` a version-1 store with a row in it. */
    exec(old, "DROP TABLE task; DROP TABLE lifecycle_change; PRAGMA user_version = 1; "
              "INSERT INTO team (id, name, department) VALUES ('T-1', 'Sales', 'sales');");
    char *none = schema_of(old);
    assert_string_equal(none, "");
    free(none);

    revops_store_options ro = REVOPS_STORE_OPTIONS_INIT;
    ro.readonly = 1;
    assert_int_equal(revops_store_open(&s, old, &ro), REVOPS_EUNSUPPORTED);
    assert_non_null(strstr(revops_error_last()->message, "run 'revops init --db"));

    revops_store_options rw = REVOPS_STORE_OPTIONS_INIT;
    assert_int_equal(revops_store_open(&s, old, &rw), 0);
    int version = 0;
    assert_int_equal(revops_store_schema_version(s, &version), 0);
    assert_int_equal(version, 2);
    int64_t teams = 0;
    assert_int_equal(revops_store_count(s, 0, &teams), 0);
    assert_int_equal(teams, 1);
    revops_store_close(s);
    char *got = schema_of(old);
    assert_string_equal(got, want);
    free(got);
    free(want);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_1_store_is_migrated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
