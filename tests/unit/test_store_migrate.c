/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Store migrations: a store of schema version 1 (before the lifecycle's change log and the
 * handoff tasks) or 2 (before tasks said who decided them by hand, and why) opened writable
 * comes out with the tables, columns and indexes a new store has, and keeps its rows; opened
 * read-only it is refused with the advice to open it once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "revops/revops.h"
#include "test_util.h"

/*
 * The shape of the tables added since version 1, as SQLite describes them: each column's name,
 * type, NOT NULL and key position, each foreign key, and each index with its columns, in
 * name order. (A column added by a migration sits at the end of its CREATE text, so the text
 * of a migrated table differs from a new one's; its shape does not.)
 */
static char *schema_of(const char *path)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(
            db,
            "SELECT group_concat(line, ';') FROM ("
            "SELECT m.name || '.' || c.name || ' ' || c.type || ' ' || c.\"notnull\" || ' ' || "
            "c.pk AS line FROM sqlite_master m, pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND m.name IN ('task', 'lifecycle_change') "
            "UNION ALL SELECT m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" || '.' || "
            "f.\"to\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f "
            "WHERE m.type = 'table' AND m.name IN ('task', 'lifecycle_change') "
            "UNION ALL SELECT 'index ' || m.name || ' ' || i.name FROM sqlite_master m, "
            "pragma_index_info(m.name) i WHERE m.type = 'index' AND m.sql IS NOT NULL AND "
            "m.tbl_name IN ('task', 'lifecycle_change') ORDER BY 1)",
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
    assert_non_null(strstr(want, "task.id TEXT 1 1"));
    assert_non_null(strstr(want, "task.decided_by -> rep.id"));
    assert_non_null(strstr(want, "index task_owner_id owner_id"));
    assert_non_null(strstr(want, "index task_decided_by decided_by"));

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
    assert_int_equal(version, REVOPS_SCHEMA_VERSION);
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

/* A version-2 store (tasks without who decided them and why) gains the two columns and their
 * index, and keeps its tasks. */
static void test_version_2_store_is_migrated(void **state)
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
    /* Make `old` a version-2 store with a task in it: the task table as version 2 made it. */
    exec(old, "DROP TABLE task; CREATE TABLE task (id TEXT NOT NULL, handoff TEXT NOT NULL, "
              "entity TEXT NOT NULL, record_id TEXT NOT NULL, from_department TEXT, "
              "to_department TEXT NOT NULL, owner_id TEXT REFERENCES rep(id) DEFERRABLE "
              "INITIALLY DEFERRED, team_id TEXT REFERENCES team(id) DEFERRABLE INITIALLY "
              "DEFERRED, created_at TEXT NOT NULL, due_at TEXT, first_response_at TEXT, status "
              "TEXT, closed_at TEXT, PRIMARY KEY (id)); CREATE INDEX task_owner_id ON "
              "task(owner_id); CREATE INDEX task_team_id ON task(team_id); "
              "INSERT INTO task (id, handoff, entity, record_id, to_department, created_at, "
              "status) VALUES ('TASK-1', 'mql_to_sales', 'lead', 'L-1', 'sales', "
              "'2026-01-05T10:00:00Z', 'open'); PRAGMA user_version = 2;");
    char *before = schema_of(old);
    assert_null(strstr(before, "decided_by"));
    free(before);
    revops_store_options rw = REVOPS_STORE_OPTIONS_INIT;
    assert_int_equal(revops_store_open(&s, old, &rw), 0);
    int version = 0;
    assert_int_equal(revops_store_schema_version(s, &version), 0);
    assert_int_equal(version, 3);
    int64_t tasks = 0;
    assert_int_equal(revops_store_count(s, (size_t)revops_entity_find("task", 4), &tasks), 0);
    assert_int_equal(tasks, 1);
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
        cmocka_unit_test(test_version_2_store_is_migrated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
