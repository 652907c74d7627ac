/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "core/utf8.h"

#include <stdint.h>
#include <string.h>

size_t revops_utf8__seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    unsigned min;
    unsigned cp;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

int revops_utf8__valid(const char *s, size_t len, size_t *bad)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        /* Most CRM text is ASCII: skip eight ASCII bytes at a time. */
        if (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            /* No high bit and no zero byte in the word. */
            if (!(w & 0x8080808080808080ULL) &&
                !((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL)) {
                i += 8;
                continue;
            }
        }
        if (u[i] == 0) {
            *bad = i;
            return 0;
        }
        size_t n = revops_utf8__seq(u + i, len - i);
        if (n == 0) {
            *bad = i;
            return 0;
        }
        i += n;
    }
    return 1;
}

int revops_utf8__ascii(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    uint64_t bad = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, u + i, 8);
        /* A high bit, or a zero byte. */
        bad |= (w | ((w - 0x0101010101010101ULL) & ~w)) & 0x8080808080808080ULL;
    }
    for (; i < len; i++)
        bad |= u[i] == 0 || u[i] >= 0x80;
    return bad == 0;
}
