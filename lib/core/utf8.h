/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UTF-8 validation: every text revops stores or prints is valid UTF-8.
 */
#ifndef REVOPS_CORE_UTF8_H
#define REVOPS_CORE_UTF8_H

#include <stddef.h>

/* Length (1..4) of the valid UTF-8 sequence at s, or 0 when it is not valid. Overlong forms,
 * surrogates and code points beyond U+10FFFF are not valid. */
size_t revops_utf8__seq(const unsigned char *s, size_t n);

/* Returns 1 when s[0..len) is valid UTF-8 without NUL bytes; otherwise 0 and the offset of
 * the first bad byte in *bad. */
int revops_utf8__valid(const char *s, size_t len, size_t *bad);

/* 1 when s[0..len) is plain ASCII without NUL bytes (and so valid UTF-8): a whole chunk of
 * CSV checked at once spares checking each of its fields. */
int revops_utf8__ascii(const char *s, size_t len);

#endif
