/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Helpers for text reports: numbers with thousands separators, percentages, and aligned
 * tables a person reads in a terminal.
 */
#ifndef REVOPS_REPORT_TEXT_H
#define REVOPS_REPORT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define REVOPS_TEXT_NUM_MAX 32

/* "1,234,567" */
const char *revops_text__count(uint64_t n, char buf[REVOPS_TEXT_NUM_MAX]);
/* "97.3 %", or "n/a" for NaN */
const char *revops_text__percent(double ratio, char buf[REVOPS_TEXT_NUM_MAX]);

/*
 * A table built row by row, then printed with each column as wide as its widest cell.
 * Columns whose `right` flag is set are right-aligned (numbers).
 */
typedef struct revops_text_table revops_text_table;

int revops_text_table__new(revops_text_table **out, size_t ncols, const char *const *headers,
                           const int *right);
/* Adds a row of ncols cells (copied). */
int revops_text_table__add(revops_text_table *t, const char *const *cells);
int revops_text_table__print(const revops_text_table *t, FILE *fp, const char *indent);
void revops_text_table__free(revops_text_table *t);

#endif
