/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A report tree: what an analysis found, as sections of named values and tables, kept apart
 * from how it is shown. One tree renders as JSON (keys as the metric definitions name them),
 * as text (labels and aligned tables, in the order the analysis wrote them: most important
 * first) and as CSV (one file per table). Each analysis writes its results once.
 *
 * Errors are sticky: a failed allocation marks the tree, later calls do nothing, and
 * revops_rt__error() reports it.
 */
#ifndef REVOPS_REPORT_TREE_H
#define REVOPS_REPORT_TREE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "revops/json.h"

typedef struct revops_rt revops_rt;
typedef struct revops_rt_node revops_rt_node;
typedef struct revops_rt_table revops_rt_table;
typedef struct revops_rt_list revops_rt_list;

typedef enum revops_rt_type {
    REVOPS_RT_TEXT,
    REVOPS_RT_COUNT,  /* int64 */
    REVOPS_RT_MONEY,  /* int64 minor units of the report's currency */
    REVOPS_RT_RATIO,  /* double; text shows a percentage */
    REVOPS_RT_NUMBER, /* double with a number of decimals for text */
    REVOPS_RT_DAY,    /* revops_day */
    REVOPS_RT_BOOL    /* int64 0 or 1; JSON true or false, text yes or no */
} revops_rt_type;

#define REVOPS_RT_TEXT_ONLY 1u /* shown in text, left out of JSON and CSV */
#define REVOPS_RT_DATA_ONLY 2u /* in JSON and CSV, left out of text */
/* One element of an array: JSON gathers consecutive columns flagged so whose keys share the
 * part before the first '.' into one array named by that part ("cells.m0", "cells.m1" ->
 * "cells": [...]), without its trailing nulls (a triangle's empty corner); CSV names such a
 * column by the part after the '.' ("m0"); text leaves its null cells blank. */
#define REVOPS_RT_ARRAY 4u

typedef struct revops_rt_column {
    const char *key;   /* JSON and CSV name */
    const char *label; /* text heading */
    revops_rt_type type;
    int decimals;   /* NUMBER: decimals in text */
    unsigned flags; /* REVOPS_RT_TEXT_ONLY, REVOPS_RT_DATA_ONLY, REVOPS_RT_ARRAY */
} revops_rt_column;

/* A report whose money is in `currency` (ISO 4217 code, copied) with `exponent` decimals. */
int revops_rt__new(revops_rt **out, const char *currency, int exponent);
void revops_rt__free(revops_rt *rt);

/*
 * Moves the entries of `part`'s root to the end of `rt`'s root, in their order, and takes
 * `part` over (freed with `rt`): how parts of a report written apart, on other threads, join
 * it in a fixed order. `part` must have the same currency. An error of either tree marks
 * `rt` and is returned; `part` is taken over or freed in every case.
 */
int revops_rt__adopt(revops_rt *rt, revops_rt *part);
int revops_rt__error(const revops_rt *rt);
const char *revops_rt__currency(const revops_rt *rt);

revops_rt_node *revops_rt__root(revops_rt *rt);

/* A section inside `parent` (its title heads it in text). Returns NULL after an error; the
 * other functions accept NULL nodes and tables and do nothing. */
revops_rt_node *revops_rt__section(revops_rt_node *parent, const char *key, const char *title);

/* The same, placed before the parent's other entries (a summary computed last but read
 * first). */
revops_rt_node *revops_rt__section_first(revops_rt_node *parent, const char *key,
                                         const char *title);

/* A list of objects (a JSON array of objects), for what a table cannot hold: items with tables
 * or lists of their own (a contract's lines, each with its schedule). Text shows each item as
 * a section titled `title`; CSV flattens the items into files (see tree.c). Each item is a
 * node: give it values (the first one is its identity in CSV), tables and lists. */
revops_rt_list *revops_rt__list(revops_rt_node *n, const char *key);
revops_rt_node *revops_rt__item(revops_rt_list *l, const char *title);

/* Values: `key` names it in JSON; `label` in text (NULL: shown only in JSON and CSV). */
void revops_rt__text(revops_rt_node *n, const char *key, const char *label, const char *value);
void revops_rt__count(revops_rt_node *n, const char *key, const char *label, int64_t value);
void revops_rt__money(revops_rt_node *n, const char *key, const char *label, int64_t minor);
void revops_rt__ratio(revops_rt_node *n, const char *key, const char *label, double value);
void revops_rt__number(revops_rt_node *n, const char *key, const char *label, double value,
                       int decimals);
void revops_rt__day(revops_rt_node *n, const char *key, const char *label, int32_t day);
void revops_rt__bool(revops_rt_node *n, const char *key, const char *label, int value);
/* A value that cannot be computed: null in JSON with "<key>_reason" beside it, "n/a (reason)"
 * in text. */
void revops_rt__na(revops_rt_node *n, const char *key, const char *label, const char *reason);

/* A table of rows; `cols` is copied. */
revops_rt_table *revops_rt__table(revops_rt_node *n, const char *key, const char *title,
                                  const revops_rt_column *cols, size_t ncols);
/* Text shows at most `rows` rows of the table (JSON and CSV show all). */
void revops_rt__text_limit(revops_rt_table *t, size_t rows);
/* Shows the whole table only in text (REVOPS_RT_TEXT_ONLY) or only in JSON and CSV
 * (REVOPS_RT_DATA_ONLY): a wide table for data beside narrower views of it for people. */
void revops_rt__table_flags(revops_rt_table *t, unsigned flags);
/* Starts a row; then one cell per column, in order. */
void revops_rt__row(revops_rt_table *t);
void revops_rt__cell_text(revops_rt_table *t, const char *value);
void revops_rt__cell_count(revops_rt_table *t, int64_t value);
void revops_rt__cell_money(revops_rt_table *t, int64_t minor);
void revops_rt__cell_ratio(revops_rt_table *t, double value); /* NaN: null / n/a */
void revops_rt__cell_number(revops_rt_table *t, double value);
void revops_rt__cell_day(revops_rt_table *t, int32_t day);
void revops_rt__cell_null(revops_rt_table *t);
size_t revops_rt__rows(const revops_rt_table *t);

/* The table at a dotted path of keys ("pipeline.at_risk"), or NULL. */
const revops_rt_table *revops_rt__find_table(const revops_rt *rt, const char *path);
/* One table alone: as a JSON array, as text, or as a CSV file at `path`. */
int revops_rt__write_table_json(const revops_rt *rt, const revops_rt_table *t, revops_json *j);
int revops_rt__write_table_text(const revops_rt *rt, const revops_rt_table *t, FILE *fp);
int revops_rt__write_table_csv(const revops_rt *rt, const revops_rt_table *t, const char *path);

/* Renderers. JSON writes the root as one object. */
int revops_rt__write_json(const revops_rt *rt, revops_json *j);
int revops_rt__write_text(const revops_rt *rt, FILE *fp);
/* One CSV per table, `<section>.<subsection>.<table>.csv`, plus `<section>.summary.csv` with
 * the section's values; returns the number of files in *files. */
int revops_rt__write_csv(const revops_rt *rt, const char *dir, size_t *files);

#endif
