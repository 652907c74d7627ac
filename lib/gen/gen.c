/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generator's entry point, its random helpers and its CSV writers.
 *
 * Determinism: one GSL Mersenne Twister, seeded from the seed, drives every draw, and the
 * steps consume it in a fixed order; arrays are sorted with total orders; nothing depends on
 * the clock, the locale or memory addresses. The same options therefore give the same bytes.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/error.h"
#include "gen/gen_internal.h"
#include "revops/money.h"

const char *const revops_gen__products[P_COUNT] = {"technical_audit", "content_strategy",
                                                   "enterprise_seo"};
const char *const revops_gen__currencies[3] = {"RUB", "USD", "EUR"};
const char *const revops_gen__regions[RG_COUNT] = {
    "Moscow", "Saint Petersburg", "Kazan", "Novosibirsk", "Yekaterinburg", "International"};

int revops_gen__sales_team(int region)
{
    switch (region) {
    case RG_MOSCOW:
        return TM_SALES_MOSCOW;
    case RG_SPB:
        return TM_SALES_SPB;
    case RG_INTL:
        return TM_SALES_INTL;
    default:
        return TM_SALES_REGIONS;
    }
}
const char *const revops_gen__industries[] = {
    "ecommerce", "saas",          "fintech",     "healthcare", "education", "travel",
    "media",     "manufacturing", "real_estate", "automotive", "retail",    "logistics"};
const size_t revops_gen__nindustries =
    sizeof(revops_gen__industries) / sizeof(revops_gen__industries[0]);
const char *const revops_gen__sources[] = {"organic_search", "paid_search", "referral", "webinar",
                                           "events",         "outbound",    "partner",  "social"};
const size_t revops_gen__nsources = sizeof(revops_gen__sources) / sizeof(revops_gen__sources[0]);

/* ---- random helpers ---- */

double revops_gen__uniform(gen *g)
{
    return gsl_rng_uniform(g->rng);
}

int revops_gen__chance(gen *g, double p)
{
    return gsl_rng_uniform(g->rng) < p;
}

size_t revops_gen__below(gen *g, size_t n)
{
    if (n <= 1)
        return 0;
    /* gsl_rng_uniform_int is limited to the generator's range (32 bits for MT19937). */
    if (n <= 0xFFFFFFFFUL)
        return (size_t)gsl_rng_uniform_int(g->rng, (unsigned long)n);
    return (size_t)(gsl_rng_uniform(g->rng) * (double)n) % n;
}

size_t revops_gen__pick(gen *g, const double *weights, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += weights[i];
    double x = gsl_rng_uniform(g->rng) * total;
    for (size_t i = 0; i < n; i++) {
        if (x < weights[i])
            return i;
        x -= weights[i];
    }
    return n - 1;
}

double revops_gen__gamma_days(gen *g, double mean, double shape)
{
    return gsl_ran_gamma(g->rng, shape, mean / shape);
}

revops_day revops_gen__weekday_on_or_after(revops_day day)
{
    int w = revops_day_weekday(day);
    return w <= 5 ? day : day + (8 - w);
}

revops_time revops_gen__work_time(gen *g, revops_day day)
{
    /* Office hours in Moscow, 09:00-19:00 (UTC+3), as UTC seconds. */
    return revops_day_time(day) + 6 * 3600 + (revops_time)revops_gen__below(g, 10 * 3600);
}

revops_day revops_gen__add_months(revops_day day, int months)
{
    int y, m, d;
    revops_day_to_ymd(day, &y, &m, &d);
    revops_month mo = revops_month_from_ym(y, m) + months;
    revops_day first = revops_month_first_day(mo);
    int yy, mm, dd;
    revops_day_to_ymd(first, &yy, &mm, &dd);
    int dim = revops_days_in_month(yy, mm);
    return first + (d > dim ? dim : d) - 1;
}

double revops_gen__fx(gen *g, int currency, revops_day day)
{
    if (currency == C_RUB)
        return 1.0;
    long i = (long)day - (long)g->fx_start;
    if (i < 0)
        i = 0;
    if ((size_t)i >= g->fx_days)
        i = (long)g->fx_days - 1;
    return g->fx[2 * (size_t)i + (size_t)(currency - 1)];
}

/* ---- writers ---- */

int revops_gen__plain(gen *g, int e, const char *s, size_t len)
{
    return revops_csv_write_plain(g->out[e], s, len);
}

int revops_gen__text(gen *g, int e, const char *s)
{
    return s ? revops_csv_write_field(g->out[e], s, strlen(s)) : revops_gen__empty(g, e);
}

/* Decimal digits of v into the end of buf[24]; returns where they start. Hand-written because
 * the high-volume files carry tens of millions of numbers and snprintf is the slow part. */
static char *digits(char buf[24], uint64_t v)
{
    char *p = buf + 24;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

int revops_gen__id(gen *g, int e, const char *prefix, uint64_t n)
{
    char buf[48];
    size_t len = strlen(prefix);
    if (len > 16)
        len = 16;
    memcpy(buf, prefix, len);
    char tmp[24];
    char *p = digits(tmp, n);
    size_t k = (size_t)(tmp + 24 - p);
    memcpy(buf + len, p, k);
    return revops_csv_write_plain(g->out[e], buf, len + k);
}

int revops_gen__int(gen *g, int e, int64_t v)
{
    char buf[24];
    char *p = digits(buf, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
    if (v < 0)
        *--p = '-';
    return revops_csv_write_plain(g->out[e], p, (size_t)(buf + 24 - p));
}

/* Fixed-point text by hand rather than "%.*f": printf follows LC_NUMERIC, and a program that
 * set a locale with a decimal comma would otherwise change the bytes (and break the CSV). */
int revops_gen__real(gen *g, int e, double v, int decimals)
{
    static const double scale[7] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    double r = fabs(v) * scale[decimals];
    if (!(r < 9.0e15))
        return revops_error__set(REVOPS_EINTERNAL, "generated number %g is out of range", v);
    uint64_t u = (uint64_t)llround(r);
    char buf[48], tmp[24], padded[32];
    char *p = digits(tmp, u);
    size_t k = (size_t)(tmp + 24 - p);
    /* Leading zeros so that there is one integer digit before the decimals: 0.0042. */
    size_t pad = k < (size_t)decimals + 1 ? (size_t)decimals + 1 - k : 0;
    memset(padded, '0', pad);
    memcpy(padded + pad, p, k);
    k += pad;
    size_t n = 0, whole = k - (size_t)decimals;
    if (v < 0 && u)
        buf[n++] = '-';
    memcpy(buf + n, padded, whole);
    n += whole;
    if (decimals) {
        buf[n++] = '.';
        memcpy(buf + n, padded + whole, (size_t)decimals);
        n += (size_t)decimals;
    }
    return revops_csv_write_plain(g->out[e], buf, n);
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

int revops_gen__day(gen *g, int e, revops_day d)
{
    if (d == REVOPS_NO_DAY)
        return revops_gen__empty(g, e);
    char buf[REVOPS_DAY_TEXT_MAX];
    size_t n = revops_day_format(d, buf);
    return revops_csv_write_plain(g->out[e], buf, n);
}

/* Always the full "YYYY-MM-DDTHH:MM:SSZ", midnight included (revops_time_format() shortens a
 * midnight to the date), so that every timestamp column of the generated files has one shape. */
int revops_gen__time(gen *g, int e, revops_time t)
{
    if (t == REVOPS_NO_TIME)
        return revops_gen__empty(g, e);
    char buf[REVOPS_TIME_TEXT_MAX];
    revops_day day = revops_time_day(t);
    int secs = (int)(t - revops_day_time(day));
    revops_day_format(day, buf);
    buf[10] = 'T';
    put2(buf + 11, secs / 3600);
    buf[13] = ':';
    put2(buf + 14, secs / 60 % 60);
    buf[16] = ':';
    put2(buf + 17, secs % 60);
    buf[19] = 'Z';
    return revops_csv_write_plain(g->out[e], buf, 20);
}

int revops_gen__money(gen *g, int e, int64_t minor)
{
    /* Every generated currency (RUB, USD, EUR) has two decimals. */
    char buf[REVOPS_MONEY_TEXT_MAX];
    size_t n = revops_money_format(minor, 2, buf);
    return revops_csv_write_plain(g->out[e], buf, n);
}

int revops_gen__empty(gen *g, int e)
{
    return revops_csv_write_plain(g->out[e], "", 0);
}

int revops_gen__end(gen *g, int e)
{
    if (g->report)
        g->report->rows[e]++;
    return revops_csv_end_record(g->out[e]);
}

void revops_gen__progress(gen *g, const char *what, uint64_t done, uint64_t total)
{
    if (g->opts->progress)
        g->opts->progress(g->opts->progress_ctx, what, done, total);
}

/* ---- growable arrays ---- */

#define PUSH(g, arr, n, cap, out)                                                                  \
    do {                                                                                           \
        int rc_ =                                                                                  \
            revops_array__grow((void **)&(g)->arr, &(g)->cap, (g)->n + 1, sizeof(*(g)->arr));      \
        if (rc_)                                                                                   \
            return rc_;                                                                            \
        *(out) = &(g)->arr[(g)->n++];                                                              \
        memset(*(out), 0, sizeof(**(out)));                                                        \
        return 0;                                                                                  \
    } while (0)

int revops_gen__push_opp(gen *g, gen_opp **out)
{
    PUSH(g, opps, nopps, capopps, out);
}

int revops_gen__push_lead(gen *g, gen_lead **out)
{
    PUSH(g, leads, nleads, capleads, out);
}

int revops_gen__push_account(gen *g, gen_account **out)
{
    PUSH(g, accounts, naccounts, capaccounts, out);
}

int revops_gen__push_item(gen *g, gen_item **out)
{
    PUSH(g, items, nitems, capitems, out);
}

/* ---- setup ---- */

static int make_dirs(const char *path)
{
    char buf[512];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof(buf))
        return revops_error__set(REVOPS_EINVALID, "output folder '%s' is not a usable path", path);
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        char saved = buf[i];
        buf[i] = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return revops_error__set(REVOPS_EIO, "cannot create folder %s: %s", buf,
                                     strerror(errno));
        buf[i] = saved;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return revops_error__set(REVOPS_EIO, "%s is not a folder", path);
    return 0;
}

static int open_outputs(gen *g)
{
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        const revops_entity_def *def = revops_entity_at(e);
        char path[700];
        snprintf(path, sizeof(path), "%s/%s.csv", g->dir, def->name);
        int rc = revops_csv_writer_open(&g->out[e], path, ',');
        for (size_t f = 0; f < def->nfields && !rc; f++)
            rc =
                revops_csv_write_plain(g->out[e], def->fields[f].name, strlen(def->fields[f].name));
        if (!rc)
            rc = revops_csv_end_record(g->out[e]);
        if (rc)
            return rc;
    }
    return 0;
}

static int close_outputs(gen *g, int rc)
{
    for (size_t e = 0; e < REVOPS_ENTITY_COUNT; e++) {
        if (!g->out[e])
            continue;
        int crc = revops_csv_writer_close(g->out[e]);
        g->out[e] = NULL;
        if (!rc)
            rc = crc;
        if (!rc && g->report) {
            char path[700];
            struct stat st;
            snprintf(path, sizeof(path), "%s/%s.csv", g->dir, revops_entity_at(e)->name);
            if (stat(path, &st) == 0)
                g->report->bytes += (uint64_t)st.st_size;
        }
    }
    return rc;
}

/* Exchange rates as a daily random walk, from a month before the history to its end. */
static int make_fx(gen *g)
{
    g->fx_start = g->start - 31;
    g->fx_days = (size_t)(g->end - g->fx_start + 1);
    g->fx = malloc(2 * g->fx_days * sizeof(*g->fx));
    if (!g->fx)
        return revops_error__oom();
    double rate[2] = {90.0, 98.0};
    for (size_t d = 0; d < g->fx_days; d++) {
        for (int c = 0; c < 2; c++) {
            rate[c] *= exp(gsl_ran_gaussian(g->rng, 0.006));
            if (rate[c] < 60)
                rate[c] = 60;
            if (rate[c] > 130)
                rate[c] = 130;
            /* Four decimals, as published; what is written is what conversions use. */
            rate[c] = floor(rate[c] * 10000.0 + 0.5) / 10000.0;
            g->fx[2 * d + (size_t)c] = rate[c];
        }
    }
    return 0;
}

static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static void gen_free(gen *g)
{
    if (g->rng)
        gsl_rng_free(g->rng);
    free(g->opps);
    free(g->leads);
    free(g->accounts);
    free(g->items);
    free(g->reps);
    free(g->ae);
    free(g->am);
    free(g->sdr);
    free(g->csm);
    free(g->fx);
    for (int r = 0; r < RG_COUNT; r++)
        for (int pool = 0; pool < 2; pool++)
            free(g->ae_pool[r][pool]);
    free(g->opp_order);
    free(g->lead_order);
    free(g->account_order);
}

int revops_gen(const revops_gen_options *opts, revops_gen_report *report)
{
    if (!opts || !opts->out_dir || !*opts->out_dir)
        return revops_error__set(REVOPS_EINVALID, "no output folder given");
    if (opts->scale < 1 || opts->scale > REVOPS_GEN_MAX_SCALE)
        return revops_error__set(REVOPS_EINVALID, "scale %llu is not 1..%llu",
                                 (unsigned long long)opts->scale, REVOPS_GEN_MAX_SCALE);
    if (opts->months < 1 || opts->months > 240)
        return revops_error__set(REVOPS_EINVALID, "months %d is not 1..240", opts->months);
    int y, m, d;
    revops_day_to_ymd(opts->start, &y, &m, &d);
    if (y < 1900 || y > 2200)
        return revops_error__set(REVOPS_EINVALID, "start year %d is not 1900..2200", y);
    if (report)
        memset(report, 0, sizeof(*report));

    gen g;
    memset(&g, 0, sizeof(g));
    g.opts = opts;
    g.report = report;
    g.start = opts->start;
    g.months = opts->months;
    g.end = revops_gen__add_months(g.start, g.months) - 1;
    g.cal_months = (int)(revops_day_month(g.end) - revops_day_month(g.start)) + 1;
    snprintf(g.dir, sizeof(g.dir), "%s", opts->out_dir);
    int rc = make_dirs(g.dir);
    if (rc)
        return rc;
    g.rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!g.rng) {
        gen_free(&g);
        return revops_error__oom();
    }
    gsl_rng_set(g.rng, (unsigned long)(splitmix64(opts->seed) & 0xFFFFFFFFUL) | 1UL);

    if (!(rc = open_outputs(&g)) && !(rc = make_fx(&g)) && !(rc = revops_gen__people(&g)) &&
        !(rc = revops_gen__deals(&g)) && !(rc = revops_gen__write_people(&g)) &&
        !(rc = revops_gen__write_deals(&g)) && !(rc = revops_gen__write_streams(&g)))
        rc = revops_gen__write_money(&g);
    rc = close_outputs(&g, rc);
    gen_free(&g);
    return rc;
}
