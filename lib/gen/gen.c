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
const char *const revops_gen__regions[RG_COUNT] = {"Moscow", "Saint Petersburg", "Regions",
                                                   "International"};
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

int revops_gen__id(gen *g, int e, const char *prefix, uint64_t n)
{
    char buf[48];
    size_t len = strlen(prefix);
    memcpy(buf, prefix, len);
    char digits[24];
    size_t k = 0;
    do {
        digits[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (k)
        buf[len++] = digits[--k];
    return revops_csv_write_plain(g->out[e], buf, len);
}

int revops_gen__int(gen *g, int e, int64_t v)
{
    char buf[24];
    int n = snprintf(buf, sizeof(buf), "%lld", (long long)v);
    return revops_csv_write_plain(g->out[e], buf, (size_t)n);
}

int revops_gen__real(gen *g, int e, double v, int decimals)
{
    char buf[48];
    int n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
    return revops_csv_write_plain(g->out[e], buf, (size_t)n);
}

int revops_gen__day(gen *g, int e, revops_day d)
{
    if (d == REVOPS_NO_DAY)
        return revops_gen__empty(g, e);
    char buf[REVOPS_DAY_TEXT_MAX];
    size_t n = revops_day_format(d, buf);
    return revops_csv_write_plain(g->out[e], buf, n);
}

int revops_gen__time(gen *g, int e, revops_time t)
{
    if (t == REVOPS_NO_TIME)
        return revops_gen__empty(g, e);
    char buf[REVOPS_TIME_TEXT_MAX];
    size_t n = revops_time_format(t, buf);
    return revops_csv_write_plain(g->out[e], buf, n);
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
