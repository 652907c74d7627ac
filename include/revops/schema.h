/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The native data model at run time: the entities, their fields, types, keys, references and
 * allowed values. The store's tables, the CSV import, the dataset and the docs all follow it.
 */
#ifndef REVOPS_SCHEMA_H
#define REVOPS_SCHEMA_H

#include <stddef.h>
#include "revops/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum revops_field_type {
    REVOPS_FT_ID,  /* text id of the row */
    REVOPS_FT_REF, /* text id of a row of another (or the same) entity */
    REVOPS_FT_TEXT,
    REVOPS_FT_ENUM,     /* one of a fixed list of values */
    REVOPS_FT_STAGE,    /* an opportunity stage from the configured list */
    REVOPS_FT_LIST,     /* ';'-separated values (from a fixed list when `values` is set) */
    REVOPS_FT_CURRENCY, /* ISO 4217 code */
    REVOPS_FT_PERIOD,   /* "2026-07", "2026-Q3" or "2026" */
    REVOPS_FT_DATE,     /* a day */
    REVOPS_FT_TIME,     /* an instant, to the second (a date alone means midnight UTC) */
    REVOPS_FT_MONTH,    /* "2026-07" */
    REVOPS_FT_INT,
    REVOPS_FT_REAL,
    REVOPS_FT_BOOL,
    REVOPS_FT_MONEY /* decimal amount in the currency of `currency_field` */
} revops_field_type;

#define REVOPS_FIELD_REQUIRED 1u /* must be present and non-empty */
#define REVOPS_FIELD_KEY 2u      /* part of the entity's natural key (upsert key) */
#define REVOPS_FIELD_PLANNED 4u  /* a time that may lie ahead (a due date), not an event */
#define REVOPS_FIELD_SIGNED 8u   /* money that may be negative (credit notes, refunds) */

typedef struct revops_field_def {
    const char *name;
    revops_field_type type;
    unsigned flags;
    int ref_entity;            /* REF: index of the referenced entity; else -1 */
    const char *const *values; /* ENUM and LIST: NULL-terminated allowed values; else NULL */
    int currency_field;        /* MONEY: index of the currency field; else -1 */
    size_t column_offset;      /* library-internal: where the dataset keeps the column */
} revops_field_def;

typedef struct revops_entity_def {
    const char *name;
    const char *summary;
    const revops_field_def *fields;
    size_t nfields;
    size_t table_offset; /* library-internal: where the dataset keeps the table */
} revops_entity_def;

/* Number of entities; indexes 0..count-1 are in dependency order (referenced first, except
 * for the cycles team <-> rep and lead <-> opportunity). */
size_t revops_entity_count(void);
const revops_entity_def *revops_entity_at(size_t index);
/* Finds an entity by name; returns its index or -1. */
int revops_entity_find(const char *name, size_t len);
/* Finds a field by name (case-insensitive); returns its index or -1. */
int revops_field_find(const revops_entity_def *e, const char *name, size_t len);
/* The name of a field type ("money", "date", ...), for messages and docs. */
const char *revops_field_type_name(revops_field_type t);

/* 1 when an entity has a single `id` field as its key. */
int revops_entity_has_id(const revops_entity_def *e);

#ifdef __cplusplus
}
#endif

#endif
