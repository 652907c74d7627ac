/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money: amounts are int64 counts of a currency's minor unit (kopecks, cents), parsed from
 * decimal text without floating point, with overflow detected.
 */
#ifndef REVOPS_MONEY_H
#define REVOPS_MONEY_H

#include <stddef.h>
#include "revops/common.h"
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* INT64_MIN never holds an amount: it marks a missing one in dataset columns. */
#define REVOPS_NO_MONEY INT64_MIN
#define REVOPS_MONEY_TEXT_MAX 32

/*
 * The ISO 4217 minor-unit exponent of a currency code (2 for RUB, USD, EUR; 0 for JPY; 3 for
 * KWD), or -1 when `code` is not an active ISO 4217 code. Matching is exact (upper case).
 */
int revops_currency_exponent(const char *code, size_t len);

/*
 * Parses a decimal amount ("1234.56", "-12", "+0.5", ".5") into minor units of a currency
 * with `exponent` decimals. Digits beyond the exponent are accepted only when they are
 * zeros. No thousands separators, no exponent notation, no currency symbols. Returns 0, or
 * REVOPS_EINVALID with a message saying what was wrong (overflow included).
 */
int revops_money_parse(int64_t *out, const char *s, size_t len, int exponent);

/* Writes the amount as plain decimal text ("-1234.50"); returns the length. */
size_t revops_money_format(int64_t minor, int exponent, char out[REVOPS_MONEY_TEXT_MAX]);

#ifdef __cplusplus
}
#endif

#endif
