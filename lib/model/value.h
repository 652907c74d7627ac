/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One field value of one row, typed, as it passes between the importer, the stores and the
 * dataset.
 */
#ifndef REVOPS_MODEL_VALUE_H
#define REVOPS_MODEL_VALUE_H

#include <stddef.h>
#include <stdint.h>

#include "revops/schema.h"

typedef struct revops_value {
    int present;   /* 0: empty (NULL in the store) */
    int64_t i;     /* DATE: day; TIME: seconds; MONTH: month; INT; BOOL 0/1; MONEY: minor units */
    double d;      /* REAL */
    const char *s; /* text of every text type (borrowed, not necessarily NUL-terminated) */
    size_t len;
} revops_value;

/* 1 for the field types held as text (ID, REF, TEXT, ENUM, STAGE, LIST, CURRENCY, PERIOD). */
int revops_field__is_text(revops_field_type t);

/*
 * The canonical text of a value, as the store keeps it and CSV export writes it: dates
 * "YYYY-MM-DD", times "YYYY-MM-DDTHH:MM:SSZ" (just the date at midnight), months "YYYY-MM",
 * money in decimal with the currency's exponent. Text types are returned as they are (no
 * copy). `buf` must hold 64 bytes. Sets *out and *len; empty values give "".
 */
void revops_value__text(const revops_field_def *f, const revops_value *v, int money_exponent,
                        char buf[64], const char **out, size_t *len);

#endif
