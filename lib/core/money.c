/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "revops/money.h"

#include <stdio.h>
#include <string.h>

#include "core/error.h"

/*
 * Active ISO 4217 codes with a minor unit, sorted for binary search, each with its number of
 * decimals (ISO 4217 list one; funds and metals without a minor unit are left out).
 */
static const struct {
    char code[4];
    int exponent;
} currencies[] = {
    {"AED", 2}, {"AFN", 2}, {"ALL", 2}, {"AMD", 2}, {"ANG", 2}, {"AOA", 2}, {"ARS", 2}, {"AUD", 2},
    {"AWG", 2}, {"AZN", 2}, {"BAM", 2}, {"BBD", 2}, {"BDT", 2}, {"BGN", 2}, {"BHD", 3}, {"BIF", 0},
    {"BMD", 2}, {"BND", 2}, {"BOB", 2}, {"BOV", 2}, {"BRL", 2}, {"BSD", 2}, {"BTN", 2}, {"BWP", 2},
    {"BYN", 2}, {"BZD", 2}, {"CAD", 2}, {"CDF", 2}, {"CHE", 2}, {"CHF", 2}, {"CHW", 2}, {"CLF", 4},
    {"CLP", 0}, {"CNY", 2}, {"COP", 2}, {"COU", 2}, {"CRC", 2}, {"CUP", 2}, {"CVE", 2}, {"CZK", 2},
    {"DJF", 0}, {"DKK", 2}, {"DOP", 2}, {"DZD", 2}, {"EGP", 2}, {"ERN", 2}, {"ETB", 2}, {"EUR", 2},
    {"FJD", 2}, {"FKP", 2}, {"GBP", 2}, {"GEL", 2}, {"GHS", 2}, {"GIP", 2}, {"GMD", 2}, {"GNF", 0},
    {"GTQ", 2}, {"GYD", 2}, {"HKD", 2}, {"HNL", 2}, {"HTG", 2}, {"HUF", 2}, {"IDR", 2}, {"ILS", 2},
    {"INR", 2}, {"IQD", 3}, {"IRR", 2}, {"ISK", 0}, {"JMD", 2}, {"JOD", 3}, {"JPY", 0}, {"KES", 2},
    {"KGS", 2}, {"KHR", 2}, {"KMF", 0}, {"KPW", 2}, {"KRW", 0}, {"KWD", 3}, {"KYD", 2}, {"KZT", 2},
    {"LAK", 2}, {"LBP", 2}, {"LKR", 2}, {"LRD", 2}, {"LSL", 2}, {"LYD", 3}, {"MAD", 2}, {"MDL", 2},
    {"MGA", 2}, {"MKD", 2}, {"MMK", 2}, {"MNT", 2}, {"MOP", 2}, {"MRU", 2}, {"MUR", 2}, {"MVR", 2},
    {"MWK", 2}, {"MXN", 2}, {"MXV", 2}, {"MYR", 2}, {"MZN", 2}, {"NAD", 2}, {"NGN", 2}, {"NIO", 2},
    {"NOK", 2}, {"NPR", 2}, {"NZD", 2}, {"OMR", 3}, {"PAB", 2}, {"PEN", 2}, {"PGK", 2}, {"PHP", 2},
    {"PKR", 2}, {"PLN", 2}, {"PYG", 0}, {"QAR", 2}, {"RON", 2}, {"RSD", 2}, {"RUB", 2}, {"RWF", 0},
    {"SAR", 2}, {"SBD", 2}, {"SCR", 2}, {"SDG", 2}, {"SEK", 2}, {"SGD", 2}, {"SHP", 2}, {"SLE", 2},
    {"SOS", 2}, {"SRD", 2}, {"SSP", 2}, {"STN", 2}, {"SVC", 2}, {"SYP", 2}, {"SZL", 2}, {"THB", 2},
    {"TJS", 2}, {"TMT", 2}, {"TND", 3}, {"TOP", 2}, {"TRY", 2}, {"TTD", 2}, {"TWD", 2}, {"TZS", 2},
    {"UAH", 2}, {"UGX", 0}, {"USD", 2}, {"USN", 2}, {"UYI", 0}, {"UYU", 2}, {"UYW", 4}, {"UZS", 2},
    {"VED", 2}, {"VES", 2}, {"VND", 0}, {"VUV", 0}, {"WST", 2}, {"XAF", 0}, {"XCD", 2}, {"XCG", 2},
    {"XOF", 0}, {"XPF", 0}, {"YER", 2}, {"ZAR", 2}, {"ZMW", 2}, {"ZWG", 2},
};

int revops_currency_exponent(const char *code, size_t len)
{
    if (len != 3)
        return -1;
    size_t lo = 0, hi = sizeof(currencies) / sizeof(currencies[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = memcmp(currencies[mid].code, code, 3);
        if (c == 0)
            return currencies[mid].exponent;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static int bad_amount(const char *s, size_t len, const char *why)
{
    if (len > 40)
        return revops_error__set(REVOPS_EINVALID, "'%.40s...' is not an amount: %s", s, why);
    return revops_error__set(REVOPS_EINVALID, "'%.*s' is not an amount: %s", (int)len, s, why);
}

int revops_money_parse(int64_t *out, const char *s, size_t len, int exponent)
{
    if (exponent < 0 || exponent > 4)
        return revops_error__set(REVOPS_EINVALID, "currency exponent %d is not 0..4", exponent);
    size_t pos = 0;
    int negative = 0;
    if (pos < len && (s[pos] == '-' || s[pos] == '+')) {
        negative = s[pos] == '-';
        pos++;
    }
    uint64_t v = 0;
    const uint64_t limit = (uint64_t)INT64_MAX;
    int ndigits = 0;
    while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
        unsigned d = (unsigned)(s[pos] - '0');
        if (v > (limit - d) / 10)
            return bad_amount(s, len, "too large (beyond 64-bit range)");
        v = v * 10 + d;
        pos++;
        ndigits++;
    }
    int decimals = 0;
    if (pos < len && s[pos] == '.') {
        pos++;
        while (pos < len && s[pos] >= '0' && s[pos] <= '9') {
            unsigned d = (unsigned)(s[pos] - '0');
            if (decimals < exponent) {
                if (v > (limit - d) / 10)
                    return bad_amount(s, len, "too large (beyond 64-bit range)");
                v = v * 10 + d;
                decimals++;
            } else if (d != 0) {
                char why[64];
                snprintf(why, sizeof(why), "more than %d decimal%s for its currency", exponent,
                         exponent == 1 ? "" : "s");
                return bad_amount(s, len, why);
            }
            pos++;
            ndigits++;
        }
    }
    if (ndigits == 0)
        return bad_amount(s, len, "expected digits, like 1234.56");
    if (pos != len)
        return bad_amount(s, len, "expected only digits, an optional sign and a '.'");
    for (; decimals < exponent; decimals++) {
        if (v > limit / 10)
            return bad_amount(s, len, "too large (beyond 64-bit range)");
        v *= 10;
    }
    *out = negative ? -(int64_t)v : (int64_t)v;
    return 0;
}

size_t revops_money_format(int64_t minor, int exponent, char out[REVOPS_MONEY_TEXT_MAX])
{
    char digits[24];
    size_t n = 0;
    /* Work on the magnitude as unsigned so INT64_MIN cannot overflow. */
    uint64_t mag = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    do {
        digits[n++] = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (exponent < 0 || exponent > 4)
        exponent = 0;
    while (n <= (size_t)exponent)
        digits[n++] = '0';
    size_t len = 0;
    if (minor < 0)
        out[len++] = '-';
    while (n > 0) {
        if (n == (size_t)exponent)
            out[len++] = '.';
        out[len++] = digits[--n];
    }
    out[len] = '\0';
    return len;
}
