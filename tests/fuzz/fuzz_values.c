/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libFuzzer target for the value parsers: dates, timestamps, months, periods and money.
 * Invariant: whatever parses formats to text that parses back to the same value.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "revops/date.h"
#include "revops/money.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    revops_day d;
    if (revops_day_parse(&d, s, size) == 0) {
        char buf[REVOPS_DAY_TEXT_MAX];
        size_t n = revops_day_format(d, buf);
        revops_day back;
        if (revops_day_parse(&back, buf, n) != 0 || back != d)
            abort();
    }
    revops_time t;
    if (revops_time_parse(&t, s, size) == 0) {
        char buf[REVOPS_TIME_TEXT_MAX];
        size_t n = revops_time_format(t, buf);
        revops_time back;
        if (revops_time_parse(&back, buf, n) != 0 || back != t)
            abort();
    }
    revops_month m;
    if (revops_month_parse(&m, s, size) == 0) {
        char buf[REVOPS_MONTH_TEXT_MAX];
        size_t n = revops_month_format(m, buf);
        revops_month back;
        if (revops_month_parse(&back, buf, n) != 0 || back != m)
            abort();
    }
    for (int fiscal = 1; fiscal <= 12; fiscal += 11) {
        revops_period p;
        if (revops_period_parse(&p, s, size, fiscal) == 0) {
            char buf[REVOPS_PERIOD_TEXT_MAX];
            size_t n = revops_period_format(&p, buf);
            revops_period back;
            if (revops_period_parse(&back, buf, n, fiscal) != 0 || back.start != p.start ||
                back.end != p.end || p.end <= p.start)
                abort();
        }
    }
    for (int exponent = 0; exponent <= 4; exponent++) {
        int64_t v;
        if (revops_money_parse(&v, s, size, exponent) == 0) {
            char buf[REVOPS_MONEY_TEXT_MAX];
            size_t n = revops_money_format(v, exponent, buf);
            int64_t back;
            if (revops_money_parse(&back, buf, n, exponent) != 0 || back != v)
                abort();
        }
    }
    return 0;
}
