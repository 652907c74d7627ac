/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Field conversion: the text of one field (from CSV now, JSON bodies later) into a typed,
 * canonical value, or a reason why it is not valid.
 */
#ifndef REVOPS_INGEST_CONVERT_H
#define REVOPS_INGEST_CONVERT_H

#include "model/value.h"
#include "revops/stages.h"

/*
 * Converts `len` bytes of `text` for field `f`. Surrounding spaces are trimmed; an empty
 * field gives present = 0 (the caller decides whether it was required). Canonical text
 * (enums in lower case, currencies in upper case, lists re-joined, periods re-formatted) is
 * written into `scratch`, which must have room for len + 16 bytes and must outlive the value.
 * Money fields are only trimmed here (their text stays in s/len) because their exponent
 * depends on the row's currency: revops_convert__money() finishes them.
 * `text_checked` says the caller has made sure the text is UTF-8 without NUL bytes.
 * Returns 0, or REVOPS_EINVALID with the reason as the error message.
 */
int revops_convert__field(const revops_field_def *f, const char *text, size_t len,
                          const revops_stages *stages, int text_checked, char *scratch,
                          revops_value *out);

/* Parses the trimmed text of a money value with the currency's exponent; checks the sign. */
int revops_convert__money(const revops_field_def *f, revops_value *v, int exponent);

#endif
