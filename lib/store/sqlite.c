/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQLite backend: one file, WAL journal, foreign keys on, prepared statements only.
 *
 * Layout: one table per entity with the entity's fields as columns. Text, dates ("YYYY-MM-DD"),
 * times ("YYYY-MM-DDTHH:MM:SSZ") and months ("YYYY-MM") are TEXT, so the file stays readable
 * with the sqlite3 shell and its date functions; money is INTEGER minor units of the row's
 * currency, so sums are exact; booleans are INTEGER 0/1. References are foreign keys checked at
 * commit (DEFERRABLE INITIALLY DEFERRED), because the data model has cycles (team <-> rep,
 * lead <-> opportunity) that one import fills in at once.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/error.h"
#include "model/entities.h"
#include "revops/money.h"
#include "store/store.h"

typedef struct sqlite_store {
    sqlite3 *db;
    char path[512];
    sqlite3_stmt *insert[REVOPS_ENTITY_COUNT];
    sqlite3_stmt *update[REVOPS_ENTITY_COUNT];
    sqlite3_stmt *select[REVOPS_ENTITY_COUNT];
    sqlite3_stmt *get[REVOPS_ENTITY_COUNT]; /* one row by id */
    revops_buf deferred_indexes;            /* CREATE INDEX statements to run at commit */
    int bulk;                               /* a bulk transaction is open */
    uint8_t touched[REVOPS_ENTITY_COUNT];   /* tables written in the bulk transaction */
} sqlite_store;

static int map_code(int sqlite_rc)
{
    switch (sqlite_rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CONSTRAINT:
        return REVOPS_ECONFLICT;
    case SQLITE_NOMEM:
        return REVOPS_ENOMEM;
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return REVOPS_EIO;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return REVOPS_EINVALID;
    case SQLITE_TOOBIG:
        return REVOPS_ETOOBIG;
    default:
        return REVOPS_EINTERNAL;
    }
}

static int fail(sqlite_store *st, int sqlite_rc, const char *doing)
{
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(sqlite_rc);
    if ((sqlite_rc & 0xFF) == SQLITE_BUSY)
        return revops_error__set(REVOPS_ECONFLICT,
                                 "%s: the store %s is locked by another process; try again when "
                                 "it has finished",
                                 doing, st->path);
    return revops_error__set(map_code(sqlite_rc), "%s (%s): %s", doing, st->path, msg);
}

static int exec(sqlite_store *st, const char *sql, const char *doing)
{
    char *err = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) {
        int code = revops_error__set(map_code(rc), "%s (%s): %s", doing, st->path,
                                     err ? err : sqlite3_errstr(rc));
        sqlite3_free(err);
        return code;
    }
    return 0;
}

static const char *column_type(revops_field_type t)
{
    switch (t) {
    case REVOPS_FT_INT:
    case REVOPS_FT_BOOL:
    case REVOPS_FT_MONEY:
        return "INTEGER";
    case REVOPS_FT_REAL:
        return "REAL";
    default:
        return "TEXT";
    }
}

/* CREATE TABLE and CREATE INDEX statements of the current schema. */
static int schema_sql(revops_buf *sql)
{
    int rc = 0;
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT && !rc; e++) {
        const revops_entity_def *def = revops_entity_at(e);
        rc = revops_buf__printf(sql, "CREATE TABLE %s (\n", def->name);
        for (size_t f = 0; f < def->nfields && !rc; f++) {
            const revops_field_def *fd = &def->fields[f];
            rc = revops_buf__printf(sql, "  %s %s%s", fd->name, column_type(fd->type),
                                    (fd->flags & REVOPS_FIELD_REQUIRED) ? " NOT NULL" : "");
            if (!rc && fd->type == REVOPS_FT_REF)
                rc = revops_buf__printf(sql, " REFERENCES %s(id) DEFERRABLE INITIALLY DEFERRED",
                                        revops_entity_at((size_t)fd->ref_entity)->name);
            if (!rc)
                rc = revops_buf__puts(sql, ",\n");
        }
        if (!rc)
            rc = revops_buf__puts(sql, "  PRIMARY KEY (");
        int first = 1;
        for (size_t f = 0; f < def->nfields && !rc; f++) {
            if (!(def->fields[f].flags & REVOPS_FIELD_KEY))
                continue;
            rc = revops_buf__printf(sql, "%s%s", first ? "" : ", ", def->fields[f].name);
            first = 0;
        }
        if (!rc)
            rc = revops_buf__puts(sql, ")\n);\n");
        /* Index references for lookups by owner, account or deal, except in the two bulk
         * event tables (activity, touch), which analytics read whole and imports fill in
         * millions: their indexes would slow every import for no reader. */
        if (e == REVOPS_ENTITY_ACTIVITY || e == REVOPS_ENTITY_TOUCH)
            continue;
        for (size_t f = 0; f < def->nfields && !rc; f++) {
            const revops_field_def *fd = &def->fields[f];
            if (fd->type != REVOPS_FT_REF || (f == 0 && (fd->flags & REVOPS_FIELD_KEY)))
                continue;
            rc = revops_buf__printf(sql, "CREATE INDEX %s_%s ON %s(%s);\n", def->name, fd->name,
                                    def->name, fd->name);
        }
    }
    return rc;
}

/*
 * Migrations from older schema versions, in order: entry i upgrades version i + 1 to i + 2.
 * A fresh store is created at REVOPS_SCHEMA_VERSION directly from the schema, so a change to
 * entities.h must bump REVOPS_SCHEMA_VERSION and add the step that brings old stores level
 * (the column check on open catches a forgotten step).
 */
static const char *const migrations[] = {
    /* 1 -> 2: the lifecycle's change log and the handoff tasks (tests/unit/test_store_migrate.c
     * checks these tables come out as a new store's). */
    "CREATE TABLE lifecycle_change (\n"
    "  id TEXT NOT NULL,\n"
    "  at TEXT NOT NULL,\n"
    "  entity TEXT NOT NULL,\n"
    "  record_id TEXT NOT NULL,\n"
    "  attribute TEXT NOT NULL,\n"
    "  from_value TEXT,\n"
    "  to_value TEXT NOT NULL,\n"
    "  rule TEXT NOT NULL,\n"
    "  PRIMARY KEY (id)\n"
    ");\n"
    "CREATE TABLE task (\n"
    "  id TEXT NOT NULL,\n"
    "  handoff TEXT NOT NULL,\n"
    "  entity TEXT NOT NULL,\n"
    "  record_id TEXT NOT NULL,\n"
    "  from_department TEXT,\n"
    "  to_department TEXT NOT NULL,\n"
    "  owner_id TEXT REFERENCES rep(id) DEFERRABLE INITIALLY DEFERRED,\n"
    "  team_id TEXT REFERENCES team(id) DEFERRABLE INITIALLY DEFERRED,\n"
    "  created_at TEXT NOT NULL,\n"
    "  due_at TEXT,\n"
    "  first_response_at TEXT,\n"
    "  status TEXT,\n"
    "  closed_at TEXT,\n"
    "  PRIMARY KEY (id)\n"
    ");\n"
    "CREATE INDEX task_owner_id ON task(owner_id);\n"
    "CREATE INDEX task_team_id ON task(team_id);\n",
    /* 2 -> 3: who decided a task by hand, and why. */
    "ALTER TABLE task ADD COLUMN decided_by TEXT REFERENCES rep(id) DEFERRABLE INITIALLY "
    "DEFERRED;\n"
    "ALTER TABLE task ADD COLUMN reason TEXT;\n"
    "CREATE INDEX task_decided_by ON task(decided_by);\n",
};

static int create_schema(sqlite_store *st)
{
    revops_buf sql = REVOPS_BUF_INIT;
    int rc = schema_sql(&sql);
    if (!rc)
        rc = revops_buf__printf(&sql, "PRAGMA user_version = %d;\n", REVOPS_SCHEMA_VERSION);
    if (!rc)
        rc = exec(st, "BEGIN", "creating the schema");
    if (!rc) {
        rc = exec(st, sql.data, "creating the schema");
        if (rc) {
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
        } else {
            rc = exec(st, "COMMIT", "creating the schema");
        }
    }
    revops_buf__free(&sql);
    return rc;
}

static int user_version(sqlite_store *st, int *out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail(st, rc, "reading the schema version");
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        int code = fail(st, rc, "reading the schema version");
        sqlite3_finalize(stmt);
        return code;
    }
    *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return 0;
}

static int table_count(sqlite_store *st, int *out)
{
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                                -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail(st, rc, "reading the store");
    rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW) {
        int code = fail(st, rc, "reading the store");
        sqlite3_finalize(stmt);
        return code;
    }
    *out = sqlite3_column_int(stmt, 0);
    sqlite3_finalize(stmt);
    return 0;
}

/* Checks that every table and column of the current schema exists. */
static int check_columns(sqlite_store *st)
{
    int rc = 0;
    sqlite3_stmt *stmt = NULL;
    int prc = sqlite3_prepare_v2(st->db, "SELECT name FROM pragma_table_info(?1)", -1, &stmt, NULL);
    if (prc != SQLITE_OK)
        return fail(st, prc, "checking the schema");
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT && !rc; e++) {
        const revops_entity_def *def = revops_entity_at(e);
        unsigned char seen[64] = {0};
        sqlite3_reset(stmt);
        sqlite3_bind_text(stmt, 1, def->name, -1, SQLITE_STATIC);
        while ((prc = sqlite3_step(stmt)) == SQLITE_ROW) {
            const char *col = (const char *)sqlite3_column_text(stmt, 0);
            int f = col ? revops_field_find(def, col, strlen(col)) : -1;
            if (f >= 0)
                seen[f] = 1;
        }
        if (prc != SQLITE_DONE) {
            rc = fail(st, prc, "checking the schema");
            break;
        }
        for (size_t f = 0; f < def->nfields && !rc; f++)
            if (!seen[f])
                rc = revops_error__set(REVOPS_EINTERNAL,
                                       "the store %s lacks column %s.%s of schema version %d; it "
                                       "was not migrated correctly",
                                       st->path, def->name, def->fields[f].name,
                                       REVOPS_SCHEMA_VERSION);
    }
    sqlite3_finalize(stmt);
    return rc;
}

static int migrate(sqlite_store *st, int readonly)
{
    int version;
    int rc = user_version(st, &version);
    if (rc)
        return rc;
    if (version == 0) {
        int tables = 0;
        if ((rc = table_count(st, &tables)))
            return rc;
        if (tables > 0)
            return revops_error__set(REVOPS_EINVALID,
                                     "%s is a SQLite database but not a revops store", st->path);
        if (readonly)
            return revops_error__set(REVOPS_EINVALID, "%s is an empty database, not a store",
                                     st->path);
        rc = create_schema(st);
    } else if (version > REVOPS_SCHEMA_VERSION) {
        return revops_error__set(REVOPS_EUNSUPPORTED,
                                 "the store %s has schema version %d, newer than this revops "
                                 "knows (%d); upgrade revops",
                                 st->path, version, REVOPS_SCHEMA_VERSION);
    } else if (version < REVOPS_SCHEMA_VERSION) {
        if (readonly)
            return revops_error__set(REVOPS_EUNSUPPORTED,
                                     "the store %s has schema version %d and needs migrating to "
                                     "%d: run 'revops init --db %s' once",
                                     st->path, version, REVOPS_SCHEMA_VERSION, st->path);
        for (int v = version; v < REVOPS_SCHEMA_VERSION && !rc; v++) {
            char sql[64];
            snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1);
            rc = exec(st, "BEGIN", "migrating the store");
            if (!rc && migrations[v - 1])
                rc = exec(st, migrations[v - 1], "migrating the store");
            if (!rc)
                rc = exec(st, sql, "migrating the store");
            if (rc)
                sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            else
                rc = exec(st, "COMMIT", "migrating the store");
        }
    }
    return rc ? rc : check_columns(st);
}

static void sqlite_close(void *impl)
{
    sqlite_store *st = impl;
    if (!st)
        return;
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        sqlite3_finalize(st->insert[e]);
        sqlite3_finalize(st->update[e]);
        sqlite3_finalize(st->select[e]);
        sqlite3_finalize(st->get[e]);
    }
    sqlite3_close(st->db);
    revops_buf__free(&st->deferred_indexes);
    free(st);
}

int revops_sqlite__open(void **impl, const char *path, const revops_store_options *opts)
{
    *impl = NULL;
    if (!opts->create && access(path, F_OK) != 0)
        return revops_error__set(
            REVOPS_ENOTFOUND, "no store at %s (create one with: revops init --db %s)", path, path);
    sqlite_store *st = calloc(1, sizeof(*st));
    if (!st)
        return revops_error__oom();
    snprintf(st->path, sizeof(st->path), "%s", path);
    /* The connection belongs to one thread at a time, so SQLite need not lock it. */
    int flags = SQLITE_OPEN_NOMUTEX |
                (opts->readonly ? SQLITE_OPEN_READONLY
                                : SQLITE_OPEN_READWRITE | (opts->create ? SQLITE_OPEN_CREATE : 0));
    int rc = sqlite3_open_v2(path, &st->db, flags, NULL);
    if (rc != SQLITE_OK) {
        rc = fail(st, rc, "opening the store");
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, 5000);
    /* The first statement reads the file header, so a file that is not SQLite fails here. */
    if ((rc = exec(st, "PRAGMA foreign_keys = ON", "opening the store")))
        goto fail;
    int version;
    if ((rc = user_version(st, &version))) {
        if (rc == REVOPS_EINVALID)
            rc = revops_error__set(REVOPS_EINVALID,
                                   "%s is not a revops store (not a SQLite database)", path);
        goto fail;
    }
    /* 16 KiB pages rather than SQLite's 4 KiB: shallower trees for tables of millions of rows
     * and about 15 % faster imports (measured with bench/). Takes effect on a new file only. */
    if (!opts->readonly && (rc = exec(st,
                                      "PRAGMA page_size = 16384; PRAGMA journal_mode = WAL; "
                                      "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -262144; "
                                      "PRAGMA temp_store = MEMORY",
                                      "opening the store")))
        goto fail;
    if ((rc = migrate(st, opts->readonly)))
        goto fail;
    *impl = st;
    return 0;
fail:
    sqlite_close(st);
    return rc;
}

static int sqlite_schema_version(void *impl, int *out)
{
    return user_version(impl, out);
}

/*
 * Drops the secondary indexes of the tables that are empty, remembering how to create them
 * again at commit: building an index once over a million sorted keys is several times faster
 * than growing it one random insert at a time. The drops are part of the transaction, so a
 * rollback brings the indexes back.
 */
static int defer_indexes(sqlite_store *st)
{
    sqlite3_stmt *list = NULL;
    int src = sqlite3_prepare_v2(st->db,
                                 "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                                 "sql IS NOT NULL AND tbl_name = ?1",
                                 -1, &list, NULL);
    if (src != SQLITE_OK)
        return fail(st, src, "listing indexes");
    revops_buf drops = REVOPS_BUF_INIT;
    int rc = 0;
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT && !rc; e++) {
        const char *table = revops_entity_at(e)->name;
        int64_t n = 0;
        char sql[128];
        snprintf(sql, sizeof(sql), "SELECT EXISTS (SELECT 1 FROM %s)", table);
        sqlite3_stmt *probe = NULL;
        src = sqlite3_prepare_v2(st->db, sql, -1, &probe, NULL);
        if (src == SQLITE_OK && (src = sqlite3_step(probe)) == SQLITE_ROW)
            n = sqlite3_column_int64(probe, 0);
        sqlite3_finalize(probe);
        if (src != SQLITE_ROW) {
            rc = fail(st, src, "checking a table");
            break;
        }
        if (n)
            continue;
        sqlite3_reset(list);
        sqlite3_bind_text(list, 1, table, -1, SQLITE_STATIC);
        while (!rc && (src = sqlite3_step(list)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(list, 0);
            const char *create = (const char *)sqlite3_column_text(list, 1);
            if (!name || !create)
                continue;
            rc = revops_buf__printf(&drops, "DROP INDEX \"%s\";\n", name);
            if (!rc)
                rc = revops_buf__printf(&st->deferred_indexes, "%s;\n", create);
        }
        if (!rc && src != SQLITE_DONE)
            rc = fail(st, src, "listing indexes");
    }
    sqlite3_finalize(list);
    if (!rc && drops.len)
        rc = exec(st, drops.data, "deferring indexes");
    revops_buf__free(&drops);
    return rc;
}

/*
 * A bulk transaction (an import) runs with foreign-key enforcement off and checks the keys
 * of the tables it wrote just before committing. Enforcement row by row is quadratic here:
 * the model's cycles (team <-> rep, lead <-> opportunity) leave deferred violations open while
 * the import runs, and while any is open SQLite scans the child tables on every parent insert.
 * The check at the end looks each reference up once, by primary key.
 */
static int sqlite_begin(void *impl, int bulk)
{
    sqlite_store *st = impl;
    revops_buf__clear(&st->deferred_indexes);
    memset(st->touched, 0, sizeof(st->touched));
    st->bulk = bulk;
    int rc = bulk ? exec(st, "PRAGMA foreign_keys = OFF", "starting a transaction") : 0;
    if (!rc)
        rc = exec(st, "BEGIN IMMEDIATE", "starting a transaction");
    if (!rc && bulk && (rc = defer_indexes(st)) != 0)
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    if (rc && bulk) {
        sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
        revops_buf__clear(&st->deferred_indexes);
        st->bulk = 0;
    }
    return rc;
}

/* Fails when a row of a written table references a row that does not exist. */
static int check_foreign_keys(sqlite_store *st)
{
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        if (!st->touched[e])
            continue;
        char sql[128];
        snprintf(sql, sizeof(sql), "PRAGMA foreign_key_check(%s)", revops_entity_at(e)->name);
        sqlite3_stmt *stmt = NULL;
        int src = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
        if (src != SQLITE_OK)
            return fail(st, src, "checking references");
        src = sqlite3_step(stmt);
        int rc = 0;
        if (src == SQLITE_ROW) {
            const char *parent = (const char *)sqlite3_column_text(stmt, 2);
            rc = revops_error__set(REVOPS_ECONFLICT,
                                   "a row of %s (rowid %lld) references a missing %s; nothing "
                                   "was committed",
                                   revops_entity_at(e)->name,
                                   (long long)sqlite3_column_int64(stmt, 1),
                                   parent ? parent : "row");
        } else if (src != SQLITE_DONE) {
            rc = fail(st, src, "checking references");
        }
        sqlite3_finalize(stmt);
        if (rc)
            return rc;
    }
    return 0;
}

static void end_bulk(sqlite_store *st)
{
    if (st->bulk)
        sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
    st->bulk = 0;
    revops_buf__clear(&st->deferred_indexes);
}

static int sqlite_commit(void *impl)
{
    sqlite_store *st = impl;
    int rc = 0;
    if (st->deferred_indexes.len)
        rc = exec(st, st->deferred_indexes.data, "building indexes");
    if (!rc && st->bulk)
        rc = check_foreign_keys(st);
    if (!rc)
        rc = exec(impl, "COMMIT", "committing");
    if (!rc)
        end_bulk(st);
    return rc;
}

static int sqlite_rollback(void *impl)
{
    sqlite_store *st = impl;
    int rc = exec(impl, "ROLLBACK", "rolling back");
    end_bulk(st);
    return rc;
}

static int prepare(sqlite_store *st, sqlite3_stmt **stmt, const char *sql)
{
    int rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
    return rc == SQLITE_OK ? 0 : fail(st, rc, "preparing a statement");
}

/* INSERT ... ON CONFLICT DO NOTHING, and the UPDATE that runs when the key exists: it changes
 * the row only when some value differs, so re-importing the same data writes nothing. */
static int prepare_upsert(sqlite_store *st, int e)
{
    const revops_entity_def *def = revops_entity_at((size_t)e);
    revops_buf ins = REVOPS_BUF_INIT, upd = REVOPS_BUF_INIT;
    int rc = revops_buf__printf(&ins, "INSERT INTO %s (", def->name);
    for (size_t f = 0; f < def->nfields && !rc; f++)
        rc = revops_buf__printf(&ins, "%s%s", f ? ", " : "", def->fields[f].name);
    if (!rc)
        rc = revops_buf__puts(&ins, ") VALUES (");
    for (size_t f = 0; f < def->nfields && !rc; f++)
        rc = revops_buf__printf(&ins, "%s?%zu", f ? ", " : "", f + 1);
    if (!rc)
        rc = revops_buf__puts(&ins, ") ON CONFLICT DO NOTHING");

    if (!rc)
        rc = revops_buf__printf(&upd, "UPDATE %s SET ", def->name);
    int first = 1;
    for (size_t f = 0; f < def->nfields && !rc; f++) {
        if (def->fields[f].flags & REVOPS_FIELD_KEY)
            continue;
        rc = revops_buf__printf(&upd, "%s%s = ?%zu", first ? "" : ", ", def->fields[f].name, f + 1);
        first = 0;
    }
    if (!rc)
        rc = revops_buf__puts(&upd, " WHERE ");
    first = 1;
    for (size_t f = 0; f < def->nfields && !rc; f++) {
        if (!(def->fields[f].flags & REVOPS_FIELD_KEY))
            continue;
        rc = revops_buf__printf(&upd, "%s%s = ?%zu", first ? "" : " AND ", def->fields[f].name,
                                f + 1);
        first = 0;
    }
    if (!rc)
        rc = revops_buf__puts(&upd, " AND (");
    first = 1;
    for (size_t f = 0; f < def->nfields && !rc; f++) {
        if (def->fields[f].flags & REVOPS_FIELD_KEY)
            continue;
        rc = revops_buf__printf(&upd, "%s%s IS NOT ?%zu", first ? "" : " OR ", def->fields[f].name,
                                f + 1);
        first = 0;
    }
    if (!rc)
        rc = revops_buf__puts(&upd, first ? "0)" : ")");
    if (!rc)
        rc = prepare(st, &st->insert[e], ins.data);
    if (!rc)
        rc = prepare(st, &st->update[e], upd.data);
    revops_buf__free(&ins);
    revops_buf__free(&upd);
    return rc;
}

/* Binds a row; `scratch` holds the text of dates, times and months while the statement runs. */
static int bind_row(sqlite_store *st, sqlite3_stmt *stmt, const revops_entity_def *def,
                    const revops_value *row, char (*scratch)[64])
{
    for (size_t f = 0; f < def->nfields; f++) {
        const revops_field_def *fd = &def->fields[f];
        const revops_value *v = &row[f];
        int col = (int)f + 1;
        int rc;
        if (!v->present) {
            rc = sqlite3_bind_null(stmt, col);
        } else if (revops_field__is_text(fd->type)) {
            rc = sqlite3_bind_text(stmt, col, v->s, (int)v->len, SQLITE_STATIC);
        } else {
            switch (fd->type) {
            case REVOPS_FT_INT:
            case REVOPS_FT_BOOL:
            case REVOPS_FT_MONEY:
                rc = sqlite3_bind_int64(stmt, col, v->i);
                break;
            case REVOPS_FT_REAL:
                rc = sqlite3_bind_double(stmt, col, v->d);
                break;
            default: {
                const char *text;
                size_t len;
                revops_value__text(fd, v, 0, scratch[f], &text, &len);
                rc = sqlite3_bind_text(stmt, col, text, (int)len, SQLITE_STATIC);
                break;
            }
            }
        }
        if (rc != SQLITE_OK)
            return fail(st, rc, "binding a value");
    }
    return 0;
}

static int step_done(sqlite_store *st, sqlite3_stmt *stmt, const char *doing)
{
    int rc = sqlite3_step(stmt);
    int code = rc == SQLITE_DONE ? 0 : fail(st, rc, doing);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return code;
}

static int sqlite_upsert(void *impl, int e, const revops_value *row, revops_upsert_result *result)
{
    sqlite_store *st = impl;
    const revops_entity_def *def = revops_entity_at((size_t)e);
    char scratch[REVOPS_MAX_FIELDS][64];
    int rc;
    if (!st->insert[e] && (rc = prepare_upsert(st, e)))
        return rc;
    st->touched[e] = 1;
    if ((rc = bind_row(st, st->insert[e], def, row, scratch)) ||
        (rc = step_done(st, st->insert[e], "storing a row")))
        return rc;
    if (sqlite3_changes(st->db) > 0) {
        *result = REVOPS_UPSERT_INSERTED;
        return 0;
    }
    if ((rc = bind_row(st, st->update[e], def, row, scratch)) ||
        (rc = step_done(st, st->update[e], "updating a row")))
        return rc;
    *result = sqlite3_changes(st->db) > 0 ? REVOPS_UPSERT_UPDATED : REVOPS_UPSERT_UNCHANGED;
    return 0;
}

static int parse_stored(sqlite_store *st, const revops_entity_def *def, const revops_field_def *fd,
                        const char *text, size_t len, revops_value *v)
{
    int rc;
    if (fd->type == REVOPS_FT_DATE) {
        revops_day d;
        rc = revops_day_parse(&d, text, len);
        v->i = d;
    } else if (fd->type == REVOPS_FT_TIME) {
        rc = revops_time_parse(&v->i, text, len);
    } else {
        revops_month m;
        rc = revops_month_parse(&m, text, len);
        v->i = m;
    }
    if (rc)
        revops_error__prefix("the store %s holds a bad value in %s.%s", st->path, def->name,
                             fd->name);
    return rc;
}

/* The values of the row `stmt` stands on (text borrowed from the statement). */
static int decode_row(sqlite_store *st, const revops_entity_def *def, sqlite3_stmt *stmt,
                      revops_value *row)
{
    int rc = 0;
    for (size_t f = 0; f < def->nfields && !rc; f++) {
        const revops_field_def *fd = &def->fields[f];
        revops_value *v = &row[f];
        memset(v, 0, sizeof(*v));
        int type = sqlite3_column_type(stmt, (int)f);
        if (type == SQLITE_NULL)
            continue;
        v->present = 1;
        if (revops_field__is_text(fd->type)) {
            v->s = (const char *)sqlite3_column_text(stmt, (int)f);
            v->len = (size_t)sqlite3_column_bytes(stmt, (int)f);
            if (!v->s)
                rc = revops_error__oom();
        } else if (fd->type == REVOPS_FT_REAL) {
            v->d = sqlite3_column_double(stmt, (int)f);
        } else if (fd->type == REVOPS_FT_INT || fd->type == REVOPS_FT_BOOL ||
                   fd->type == REVOPS_FT_MONEY) {
            v->i = sqlite3_column_int64(stmt, (int)f);
        } else {
            const char *text = (const char *)sqlite3_column_text(stmt, (int)f);
            size_t len = (size_t)sqlite3_column_bytes(stmt, (int)f);
            rc = text ? parse_stored(st, def, fd, text, len, v) : revops_error__oom();
        }
    }
    return rc;
}

static int sqlite_scan(void *impl, int e, revops_row_fn fn, void *ctx)
{
    sqlite_store *st = impl;
    const revops_entity_def *def = revops_entity_at((size_t)e);
    int rc = 0;
    if (!st->select[e]) {
        revops_buf sql = REVOPS_BUF_INIT;
        rc = revops_buf__puts(&sql, "SELECT ");
        for (size_t f = 0; f < def->nfields && !rc; f++)
            rc = revops_buf__printf(&sql, "%s%s", f ? ", " : "", def->fields[f].name);
        if (!rc)
            rc = revops_buf__printf(&sql, " FROM %s ORDER BY rowid", def->name);
        if (!rc)
            rc = prepare(st, &st->select[e], sql.data);
        revops_buf__free(&sql);
        if (rc)
            return rc;
    }
    sqlite3_stmt *stmt = st->select[e];
    revops_value row[REVOPS_MAX_FIELDS];
    int src;
    while ((src = sqlite3_step(stmt)) == SQLITE_ROW) {
        rc = decode_row(st, def, stmt, row);
        if (!rc)
            rc = fn(ctx, row);
        if (rc)
            break;
    }
    if (!rc && src != SQLITE_DONE)
        rc = fail(st, src, "reading the store");
    sqlite3_reset(stmt);
    return rc;
}

/* One row by id, through a primary-key lookup (a prepared statement kept per entity). */
static int sqlite_get(void *impl, int e, const char *id, size_t len, revops_row_fn fn, void *ctx)
{
    sqlite_store *st = impl;
    const revops_entity_def *def = revops_entity_at((size_t)e);
    if (!revops_entity_has_id(def))
        return revops_error__set(REVOPS_EINTERNAL, "%s has no id", def->name);
    int rc = 0;
    if (!st->get[e]) {
        revops_buf sql = REVOPS_BUF_INIT;
        rc = revops_buf__puts(&sql, "SELECT ");
        for (size_t f = 0; f < def->nfields && !rc; f++)
            rc = revops_buf__printf(&sql, "%s%s", f ? ", " : "", def->fields[f].name);
        if (!rc)
            rc = revops_buf__printf(&sql, " FROM %s WHERE id = ?1", def->name);
        if (!rc)
            rc = prepare(st, &st->get[e], sql.data);
        revops_buf__free(&sql);
        if (rc)
            return rc;
    }
    sqlite3_stmt *stmt = st->get[e];
    revops_value row[REVOPS_MAX_FIELDS];
    int src = sqlite3_bind_text(stmt, 1, id, (int)len, SQLITE_STATIC);
    if (src != SQLITE_OK)
        return fail(st, src, "looking a row up");
    src = sqlite3_step(stmt);
    if (src == SQLITE_ROW) {
        rc = decode_row(st, def, stmt, row);
        if (!rc)
            rc = fn(ctx, row);
    } else if (src == SQLITE_DONE) {
        rc = revops_error__set(REVOPS_ENOTFOUND, "no %s '%.*s' in the store", def->name,
                               (int)(len < 200 ? len : 200), id);
    } else {
        rc = fail(st, src, "looking a row up");
    }
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    return rc;
}

static int sqlite_count(void *impl, int e, int64_t *out)
{
    sqlite_store *st = impl;
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", revops_entity_at((size_t)e)->name);
    sqlite3_stmt *stmt = NULL;
    int rc = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (rc != SQLITE_OK)
        return fail(st, rc, "counting rows");
    rc = sqlite3_step(stmt);
    int code = 0;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    else
        code = fail(st, rc, "counting rows");
    sqlite3_finalize(stmt);
    return code;
}

static int sqlite_ids(void *impl, int e, int extra_field, revops_id_fn fn, void *ctx)
{
    sqlite_store *st = impl;
    const revops_entity_def *def = revops_entity_at((size_t)e);
    if (!revops_entity_has_id(def))
        return revops_error__set(REVOPS_EINTERNAL, "%s has no id", def->name);
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT id, %s FROM %s",
             extra_field >= 0 ? def->fields[extra_field].name : "NULL", def->name);
    sqlite3_stmt *stmt = NULL;
    int src = sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL);
    if (src != SQLITE_OK)
        return fail(st, src, "reading ids");
    int rc = 0;
    while (!rc && (src = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(stmt, 0);
        size_t len = (size_t)sqlite3_column_bytes(stmt, 0);
        const char *extra = (const char *)sqlite3_column_text(stmt, 1);
        size_t extra_len = (size_t)sqlite3_column_bytes(stmt, 1);
        rc = id ? fn(ctx, id, len, extra, extra_len) : revops_error__oom();
    }
    if (!rc && src != SQLITE_DONE)
        rc = fail(st, src, "reading ids");
    sqlite3_finalize(stmt);
    return rc;
}

const revops_store_ops revops_sqlite_ops = {
    .name = "sqlite",
    .close = sqlite_close,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .upsert = sqlite_upsert,
    .scan = sqlite_scan,
    .get = sqlite_get,
    .count = sqlite_count,
    .ids = sqlite_ids,
};
