/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The people and the money around the deals: teams and reps sized so that each rep's volume
 * and activity land near the targets of a real sales floor; quotas that most reps nearly
 * reach; commission plans; monthly costs; exchange rates.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "gen/gen_internal.h"

/* New deals one AE opens in a month, the sizing rule of the sales floor: by pool, the core
 * AEs (audits and content retainers, smb and mid companies) and the enterprise AEs. */
static const double deals_per_ae_month[2] = {14.0, 10.0};
/* The enterprise pool's share of new deals (the enterprise product's, gen_deals.c). */
#define ENTERPRISE_SHARE 0.20
/* Deals per SDR over the history. An SDR logs about 172 activities a working day (the
 * targets: 50 calls, 100 emails, 20 social, 2 meetings), some 135,000 over three years;
 * activities are to stay near 20-30 rows per deal, so one SDR serves about 7,500 deals. */
#define DEALS_PER_SDR 7500.0
/* The least open leads an SDR may hold (their capacity is 1-1.5 times this). */
#define SDR_CAPACITY 300

static const char *const first_names[] = {
    "Anna",    "Boris",    "Dmitry", "Elena",     "Ivan",    "Maria",   "Sergey",
    "Olga",    "Pavel",    "Irina",  "Alexei",    "Natalia", "Mikhail", "Tatiana",
    "Nikolai", "Svetlana", "Andrei", "Ekaterina", "Kirill",  "Yulia",   "Roman",
    "Daria",   "Artem",    "Polina", "Denis",     "Sofia",   "Maxim",   "Victoria",
    "Egor",    "Alina",    "James",  "Laura",     "Daniel",  "Emma"};
static const char *const last_names[] = {
    "Ivanov",    "Petrov",  "Smirnov", "Kuznetsov", "Popov",    "Vasiliev", "Sokolov",
    "Mikhailov", "Novikov", "Fedorov", "Morozov",   "Volkov",   "Alekseev", "Lebedev",
    "Semenov",   "Egorov",  "Pavlov",  "Kozlov",    "Stepanov", "Nikolaev", "Orlov",
    "Andreev",   "Makarov", "Nikitin", "Zakharov",  "Miller",   "Fischer",  "Brown"};

/* Seasonal weight of a calendar month (Q4 peak, August trough) times a steady growth. */
double revops_gen__month_weight(gen *g, int m)
{
    static const double season[12] = {0.80, 0.90, 1.00, 1.00, 0.95, 0.95,
                                      0.90, 0.85, 1.05, 1.15, 1.30, 1.20};
    int y, mo, d;
    revops_day_to_ymd(revops_gen__add_months(g->start, m), &y, &mo, &d);
    double growth = 0.75 + 0.5 * (g->months > 1 ? (double)m / (g->months - 1) : 0.5);
    return season[mo - 1] * growth;
}

static int add_rep(gen *g, int role, int team, int region, revops_day hired)
{
    gen_rep *r = &g->reps[g->nreps++];
    memset(r, 0, sizeof(*r));
    r->role = (uint8_t)role;
    r->team = (uint8_t)team;
    r->region = (uint8_t)region;
    r->hired = hired;
    r->left = REVOPS_NO_DAY;
    double p = 1.0 + gsl_ran_gaussian(g->rng, 0.18);
    r->performance = p < 0.6 ? 0.6 : p > 1.35 ? 1.35 : p;
    switch (role) {
    case ROLE_SDR:
        /* Sized to the lead flow: an SDR here works some 30 new leads a working day (the
         * activity targets fix the headcount), and open leads are those of the last weeks. */
        r->capacity = (uint16_t)(SDR_CAPACITY + revops_gen__below(g, SDR_CAPACITY / 2 + 1));
        break;
    case ROLE_AE:
        r->capacity = (uint16_t)(40 + revops_gen__below(g, 41));
        break;
    case ROLE_AM:
        r->capacity = (uint16_t)(60 + revops_gen__below(g, 41));
        break;
    case ROLE_CSM:
        r->capacity = (uint16_t)(50 + revops_gen__below(g, 31));
        break;
    default:
        r->capacity = 0;
    }
    for (int k = 0; k < 3; k++)
        r->spec[k] = (uint8_t)revops_gen__below(g, revops_gen__nindustries);
    return (int)(g->nreps - 1);
}

static int push_role(int32_t **arr, size_t *n, int32_t rep)
{
    int32_t *p = realloc(*arr, (*n + 1) * sizeof(**arr));
    if (!p)
        return revops_error__oom();
    p[(*n)++] = rep;
    *arr = p;
    return 0;
}

/* AEs a region's pool needs in a month of `deals` deals (of which new business ~80 %). */
static double ae_need(double deals, double region_share, int pool)
{
    double share = pool ? ENTERPRISE_SHARE : 1.0 - ENTERPRISE_SHARE;
    return 0.8 * deals * region_share * share / deals_per_ae_month[pool];
}

int revops_gen__people(gen *g)
{
    /* In gen_team_index order; SDRs sit in marketing, as in many agencies. */
    static const struct {
        const char *name;
        uint8_t department, region;
    } teams[TM_COUNT] = {
        {"Marketing", 0, RG_MOSCOW},           {"Sales Moscow", 1, RG_MOSCOW},
        {"Sales Saint Petersburg", 1, RG_SPB}, {"Sales Regions", 1, RG_KAZAN},
        {"Sales International", 1, RG_INTL},   {"Account Management", 1, RG_MOSCOW},
        {"Customer Success", 2, RG_MOSCOW},
    };
    /* As the deals' regions (gen_deals.c). */
    static const double region_share[RG_COUNT] = {0.38, 0.20, 0.10, 0.10, 0.10, 0.12};
    double n = (double)g->opts->scale;
    double total_weight = 0;
    for (int m = 0; m < g->months; m++)
        total_weight += revops_gen__month_weight(g, m);

    /* One SDR at least: below ~7,500 deals a single SDR already has a normal day's leads. */
    size_t nsdr = (size_t)fmax(1, round(n / DEALS_PER_SDR));
    size_t nam = (size_t)fmax(2, ceil(0.2 * n / g->months / 8.0));
    size_t ncsm = (size_t)fmax(2, ceil(n / 1500.0));
    /* AEs: at most the peak monthly need per region and pool, plus leavers' replacements. */
    double peak = 0;
    for (int m = 0; m < g->months; m++) {
        double w = revops_gen__month_weight(g, m) / total_weight;
        if (w > peak)
            peak = w;
    }
    size_t max_ae = 8;
    for (int region = 0; region < RG_COUNT; region++)
        for (int pool = 0; pool < 2; pool++)
            max_ae += 2 * (size_t)(ceil(ae_need(n * peak, region_share[region], pool)) + 1);
    size_t cap = nsdr + nam + ncsm + max_ae + sizeof(teams) / sizeof(teams[0]);
    g->reps = calloc(cap, sizeof(*g->reps));
    if (!g->reps)
        return revops_error__oom();

    int rc = 0;
    g->nteams = sizeof(teams) / sizeof(teams[0]);
    for (size_t t = 0; t < g->nteams; t++) {
        g->teams[t].name = teams[t].name;
        g->teams[t].department = teams[t].department;
        g->teams[t].region = teams[t].region;
        g->teams[t].manager = add_rep(g, ROLE_MANAGER, (int)t, teams[t].region,
                                      g->start - 400 - (revops_day)revops_gen__below(g, 1500));
    }
    for (size_t i = 0; i < nsdr && !rc; i++) {
        revops_day hired = g->start - 30 - (revops_day)revops_gen__below(g, 700);
        if (i >= 2 && revops_gen__chance(g, 0.25)) /* some join during the history */
            hired = g->start + (revops_day)revops_gen__below(g, (size_t)(g->end - g->start) / 2);
        int r = add_rep(g, ROLE_SDR, TM_MARKETING, (int)revops_gen__pick(g, region_share, RG_COUNT),
                        hired);
        rc = push_role(&g->sdr, &g->nsdr, r);
    }
    for (size_t i = 0; i < nam && !rc; i++) {
        int r = add_rep(g, ROLE_AM, TM_ACCOUNT_MANAGEMENT, RG_MOSCOW,
                        g->start - 60 - (revops_day)revops_gen__below(g, 900));
        rc = push_role(&g->am, &g->nam, r);
    }
    for (size_t i = 0; i < ncsm && !rc; i++) {
        int r = add_rep(g, ROLE_CSM, TM_CUSTOMER_SUCCESS, RG_MOSCOW,
                        g->start - 60 - (revops_day)revops_gen__below(g, 900));
        rc = push_role(&g->csm, &g->ncsm, r);
    }
    /* AEs per region and pool: hire so that each month has the AEs its deals need. */
    for (int region = 0; region < RG_COUNT && !rc; region++) {
        for (int pool = 0; pool < 2 && !rc; pool++) {
            int32_t **list = &g->ae_pool[region][pool];
            size_t *count = &g->nae_pool[region][pool];
            for (int m = 0; m < g->months && !rc; m++) {
                double w = revops_gen__month_weight(g, m) / total_weight;
                size_t need = (size_t)ceil(ae_need(n * w, region_share[region], pool));
                revops_day month_start = revops_gen__add_months(g->start, m);
                size_t active = 0;
                for (size_t k = 0; k < *count; k++) {
                    const gen_rep *r = &g->reps[(*list)[k]];
                    if (r->hired <= month_start &&
                        (r->left == REVOPS_NO_DAY || r->left > month_start))
                        active++;
                }
                while (active < need && g->nreps < cap && !rc) {
                    revops_day hired = m == 0
                                           ? g->start - 30 - (revops_day)revops_gen__below(g, 900)
                                           : revops_gen__weekday_on_or_after(month_start);
                    int r = add_rep(g, ROLE_AE, revops_gen__sales_team(region), region, hired);
                    g->reps[r].pool = (uint8_t)pool;
                    /* A few of the early AEs leave during the second half of the history. */
                    if (m == 0 && revops_gen__chance(g, 0.08))
                        g->reps[r].left =
                            g->start + (g->end - g->start) / 2 +
                            (revops_day)revops_gen__below(g, (size_t)(g->end - g->start) / 2);
                    rc = push_role(&g->ae, &g->nae, r);
                    if (!rc)
                        rc = push_role(list, count, r);
                    active++;
                }
            }
        }
    }
    return rc;
}

int revops_gen__rep_active(const gen *g, int32_t rep, revops_day day)
{
    const gen_rep *r = &g->reps[rep];
    return r->hired <= day && (r->left == REVOPS_NO_DAY || r->left > day);
}

/* ---- writing ---- */

void revops_gen__person_name(size_t i, char *out, size_t cap)
{
    size_t nf = sizeof(first_names) / sizeof(first_names[0]);
    size_t nl = sizeof(last_names) / sizeof(last_names[0]);
    const char *first = first_names[(i * 7 + i / nf) % nf];
    const char *last = last_names[(i * 11 + i / nl) % nl];
    /* Russian surnames take the feminine ending for feminine first names. */
    int feminine = first[strlen(first) - 1] == 'a' && strcmp(first, "Nikita") != 0;
    size_t ll = strlen(last);
    int russian = ll > 2 && (strcmp(last + ll - 2, "ov") == 0 || strcmp(last + ll - 2, "ev") == 0 ||
                             strcmp(last + ll - 2, "in") == 0);
    snprintf(out, cap, "%s %s%s", first, last, feminine && russian ? "a" : "");
}

static int write_teams_and_reps(gen *g)
{
    int rc = 0;
    for (size_t t = 0; t < g->nteams && !rc; t++) {
        static const char *const departments[] = {"marketing", "sales", "customer_success"};
        int e = REVOPS_ENTITY_TEAM;
        rc = revops_gen__id(g, e, "T-", t + 1);
        if (!rc)
            rc = revops_gen__text(g, e, g->teams[t].name);
        if (!rc)
            rc = revops_gen__text(g, e, departments[g->teams[t].department]);
        if (!rc)
            rc = revops_gen__id(g, e, "R-", (uint64_t)g->teams[t].manager + 1);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    static const char *const roles[] = {"sdr", "ae", "am", "csm", "manager"};
    for (size_t i = 0; i < g->nreps && !rc; i++) {
        const gen_rep *r = &g->reps[i];
        int e = REVOPS_ENTITY_REP;
        char name[96], email[160];
        revops_gen__person_name(i, name, sizeof(name));
        size_t k = 0;
        for (const char *p = name; *p && k + 1 < sizeof(email); p++)
            email[k++] = *p == ' ' ? '.' : (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
        snprintf(email + k, sizeof(email) - k, ".%zu@seo-agency.example", i + 1);
        rc = revops_gen__id(g, e, "R-", i + 1);
        if (!rc)
            rc = revops_gen__text(g, e, name);
        if (!rc)
            rc = revops_gen__text(g, e, email);
        if (!rc)
            rc = revops_gen__text(g, e, roles[r->role]);
        if (!rc)
            rc = revops_gen__id(g, e, "T-", (uint64_t)r->team + 1);
        if (!rc)
            rc = r->role == ROLE_MANAGER
                     ? revops_gen__empty(g, e)
                     : revops_gen__id(g, e, "R-", (uint64_t)g->teams[r->team].manager + 1);
        if (!rc)
            rc = revops_gen__text(g, e, revops_gen__regions[r->region]);
        char spec[96] = "";
        if (r->role != ROLE_MANAGER && r->role != ROLE_CSM) {
            const char *a = revops_gen__industries[r->spec[0]];
            const char *b = revops_gen__industries[r->spec[1]];
            if (r->spec[0] == r->spec[1])
                snprintf(spec, sizeof(spec), "%s", a);
            else
                snprintf(spec, sizeof(spec), "%s;%s", a, b);
        }
        if (!rc)
            rc = revops_gen__text(g, e, spec);
        const char *tiers = "smb;mid;enterprise";
        if (r->role == ROLE_AE)
            tiers = r->pool ? "mid;enterprise" : "smb;mid";
        else if (r->role == ROLE_SDR)
            tiers = "smb;mid";
        else if (r->role == ROLE_AM)
            tiers = "mid;enterprise";
        if (!rc)
            rc = r->role == ROLE_MANAGER ? revops_gen__empty(g, e) : revops_gen__text(g, e, tiers);
        if (!rc)
            rc = r->capacity ? revops_gen__int(g, e, r->capacity) : revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__time(g, e, revops_day_time(r->hired) + 6 * 3600);
        if (!rc)
            rc = revops_gen__text(g, e, r->left == REVOPS_NO_DAY ? "true" : "false");
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    return rc;
}

/* Won bookings of a deal in RUB minor units (converted on its close day). */
static int64_t won_rub(gen *g, const gen_opp *o)
{
    revops_day day = revops_time_day(o->closed);
    int cur = g->accounts[o->account].currency;
    return (int64_t)llround((double)o->amount * revops_gen__fx(g, cur, day));
}

/* RUB minor units of a deal's amount on a day (the fx_rate series). */
static double rub(gen *g, const gen_opp *o, revops_day day)
{
    return (double)o->amount * revops_gen__fx(g, g->accounts[o->account].currency, day);
}

/*
 * Quarterly quotas for AEs and AMs, set as capacity plans are: from the pipeline each rep works
 * that should come to a close in the quarter (deals created one typical sales cycle before),
 * each at its amount times the base win rate of its product and type, raised by a stretch of
 * 0-10 %, and by half of what the manager knows of the rep's skill. (Counting the deals that
 * did close in the quarter instead would favour the quick losses over the slow wins wherever
 * the pipeline grows.)
 *
 * Attainment then spreads with the rep's skill (which moves the rep's win rate) and the luck of
 * a few large deals: roughly 50-140 %, centred a little under 100 %. A rep hired mid-quarter
 * has a smaller book and so a smaller quota: the ramp. A book of fewer than three deals (an
 * AM before the first renewals come up) gets no quota.
 */
static int write_quotas(gen *g)
{
    revops_period first, last;
    revops_period_containing(&first, REVOPS_PERIOD_QUARTER, g->start, 1);
    revops_period_containing(&last, REVOPS_PERIOD_QUARTER, g->end, 1);
    int nq = (last.year - first.year) * 4 + (last.index - first.index) + 1;
    double *book = NULL;
    uint32_t *deals = NULL; /* deals in each book: a plan needs a few to stand on */
    size_t cells;
    int rc = 0;
    if (revops_size_mul(g->nreps, (size_t)nq, &cells) ||
        !(book = calloc(cells ? cells : 1, sizeof(*book))) ||
        !(deals = calloc(cells ? cells : 1, sizeof(*deals)))) {
        rc = revops_error__oom();
        goto done;
    }
    for (size_t i = 0; i < g->nopps; i++) {
        const gen_opp *o = &g->opps[i];
        if (o->removed)
            continue;
        revops_day day =
            revops_time_day(o->created) + (revops_day)revops_gen__cycle_days(o->product, o->type);
        revops_period q;
        revops_period_containing(&q, REVOPS_PERIOD_QUARTER, day, 1);
        int k = (q.year - first.year) * 4 + (q.index - first.index);
        if (k >= 0 && k < nq) {
            book[(size_t)o->owner * (size_t)nq + (size_t)k] +=
                rub(g, o, day) * revops_gen__base_win_rate(o->product, o->type);
            deals[(size_t)o->owner * (size_t)nq + (size_t)k]++;
        }
    }
    for (int k = 0; k < nq && !rc; k++) {
        revops_period q;
        revops_period_shift(&q, &first, k);
        if (q.start > g->end)
            break;
        for (int side = 0; side < 2 && !rc; side++) {
            const int32_t *reps = side == 0 ? g->ae : g->am;
            size_t nreps = side == 0 ? g->nae : g->nam;
            for (size_t i = 0; i < nreps && !rc; i++) {
                int32_t r = reps[i];
                size_t cell = (size_t)r * (size_t)nq + (size_t)k;
                if (!revops_gen__rep_active(g, r, q.end - 1) || deals[cell] < 3)
                    continue;
                /* Skill moves the rep's win rate by sqrt(performance) (gen_deals.c). */
                double skill = 1.0 + 0.5 * (sqrt(g->reps[r].performance) - 1.0);
                double amount = book[cell] * skill * (1.0 + 0.10 * revops_gen__uniform(g));
                /* Whole ten thousands of roubles, as a sales plan is written. */
                int64_t minor = (int64_t)llround(amount / 1e6) * 1000000;
                if (minor <= 0)
                    continue;
                int e = REVOPS_ENTITY_QUOTA;
                rc = revops_gen__id(g, e, "R-", (uint64_t)r + 1);
                if (!rc)
                    rc = revops_gen__day(g, e, q.start);
                if (!rc)
                    rc = revops_gen__day(g, e, q.end - 1);
                if (!rc)
                    rc = revops_gen__money(g, e, minor);
                if (!rc)
                    rc = revops_gen__text(g, e, "RUB");
                if (!rc)
                    rc = revops_gen__end(g, e);
            }
        }
    }
done:
    free(book);
    free(deals);
    return rc;
}

static int write_comp_plans(gen *g)
{
    static const struct {
        const char *role;
        const char *base;
        const char *tiers;
        int64_t cap; /* RUB minor units, 0 = none */
    } plans[] = {
        {"ae", "0.06", "100:0.08;120:0.10", 250000000},
        {"am", "0.04", "100:0.05;120:0.06", 150000000},
        {"sdr", "0.01", "100:0.015;120:0.02", 0},
    };
    int y0, y1, m, d;
    revops_day_to_ymd(g->start, &y0, &m, &d);
    revops_day_to_ymd(g->end, &y1, &m, &d);
    uint64_t id = 1;
    int rc = 0;
    for (int y = y0; y <= y1 && !rc; y++) {
        for (size_t p = 0; p < sizeof(plans) / sizeof(plans[0]) && !rc; p++) {
            int e = REVOPS_ENTITY_COMP_PLAN;
            char year[8];
            snprintf(year, sizeof(year), "%d", y);
            rc = revops_gen__id(g, e, "CP-", id++);
            if (!rc)
                rc = revops_gen__empty(g, e);
            if (!rc)
                rc = revops_gen__text(g, e, plans[p].role);
            if (!rc)
                rc = revops_gen__text(g, e, year);
            if (!rc)
                rc = revops_gen__text(g, e, plans[p].base);
            if (!rc)
                rc = revops_gen__text(g, e, plans[p].tiers);
            if (!rc)
                rc = plans[p].cap ? revops_gen__money(g, e, plans[p].cap) : revops_gen__empty(g, e);
            if (!rc)
                rc = revops_gen__text(g, e, plans[p].cap ? "RUB" : "");
            if (!rc)
                rc = revops_gen__int(g, e, 90);
            if (!rc)
                rc = revops_gen__end(g, e);
        }
    }
    /* The strongest AE negotiated a plan of their own for the last year. */
    int32_t best = -1;
    for (size_t i = 0; i < g->nae; i++)
        if (best < 0 || g->reps[g->ae[i]].performance > g->reps[best].performance)
            best = g->ae[i];
    if (!rc && best >= 0) {
        int e = REVOPS_ENTITY_COMP_PLAN;
        char year[8];
        snprintf(year, sizeof(year), "%d", y1);
        rc = revops_gen__id(g, e, "CP-", id);
        if (!rc)
            rc = revops_gen__id(g, e, "R-", (uint64_t)best + 1);
        if (!rc)
            rc = revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__text(g, e, year);
        if (!rc)
            rc = revops_gen__text(g, e, "0.07");
        if (!rc)
            rc = revops_gen__text(g, e, "100:0.09;130:0.12");
        if (!rc)
            rc = revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__empty(g, e);
        if (!rc)
            rc = revops_gen__int(g, e, 120);
        if (!rc)
            rc = revops_gen__end(g, e);
    }
    return rc;
}

int revops_gen__write_people(gen *g)
{
    int rc = write_teams_and_reps(g);
    if (!rc)
        rc = write_quotas(g);
    if (!rc)
        rc = write_comp_plans(g);
    revops_gen__progress(g, "people", 1, 1);
    return rc;
}

/* ---- costs and exchange rates ---- */

static int write_costs(gen *g)
{
    size_t nm = (size_t)g->cal_months;
    double *leads = calloc(nm, sizeof(double));
    double *delivery = calloc(nm, sizeof(double));
    int rc = 0;
    if (!leads || !delivery) {
        rc = revops_error__oom();
        goto done;
    }
    revops_month first = revops_day_month(g->start);
    for (size_t i = 0; i < g->nleads; i++) {
        long k = (long)revops_day_month(revops_time_day(g->leads[i].created)) - first;
        if (k >= 0 && (size_t)k < nm)
            leads[k] += 1;
    }
    /* Delivery costs 45 % of what is delivered: subscription MRR and one-off projects. */
    for (size_t i = 0; i < g->nitems; i++) {
        const gen_item *it = &g->items[i];
        int cur = g->accounts[it->account].currency;
        for (size_t k = 0; k < nm; k++) {
            revops_day last = revops_month_last_day(first + (revops_month)k);
            if (it->start <= last && (it->end == REVOPS_NO_DAY || it->end > last))
                delivery[k] += 0.45 * (double)it->mrr * revops_gen__fx(g, cur, last);
        }
    }
    for (size_t i = 0; i < g->nopps; i++) {
        const gen_opp *o = &g->opps[i];
        if (o->removed || o->stage != S_WON || o->product != P_AUDIT)
            continue;
        long k = (long)revops_day_month(revops_time_day(o->closed)) - first;
        if (k >= 0 && (size_t)k < nm)
            delivery[k] += 0.45 * (double)won_rub(g, o);
    }
    for (size_t k = 0; k < nm && !rc; k++) {
        revops_day last = revops_month_last_day(first + (revops_month)k);
        double sales = 0, cs = 0;
        for (size_t i = 0; i < g->nreps; i++) {
            if (!revops_gen__rep_active(g, (int32_t)i, last))
                continue;
            const gen_rep *r = &g->reps[i];
            /* Monthly cost of a person with taxes, in roubles. */
            if (r->role == ROLE_AE || r->role == ROLE_AM)
                sales += 260000;
            else if (r->role == ROLE_SDR)
                sales += 130000;
            else if (r->role == ROLE_CSM)
                cs += 180000;
            else if (r->team == TM_CUSTOMER_SUCCESS)
                cs += 400000;
            else
                sales += 400000;
        }
        double marketing = 600000 + leads[k] * 2400 * (0.9 + 0.2 * revops_gen__uniform(g));
        const struct {
            const char *category;
            double rub;
        } rows[] = {{"sales", sales},
                    {"marketing", marketing},
                    {"customer_success", cs},
                    {"delivery", delivery[k] / 100.0}};
        for (size_t c = 0; c < 4 && !rc; c++) {
            int e = REVOPS_ENTITY_COST;
            char month[REVOPS_MONTH_TEXT_MAX];
            size_t n = revops_month_format(first + (revops_month)k, month);
            rc = revops_gen__plain(g, e, month, n);
            if (!rc)
                rc = revops_gen__text(g, e, rows[c].category);
            if (!rc)
                rc = revops_gen__money(g, e, (int64_t)llround(rows[c].rub) * 100);
            if (!rc)
                rc = revops_gen__text(g, e, "RUB");
            if (!rc)
                rc = revops_gen__end(g, e);
        }
    }
done:
    free(leads);
    free(delivery);
    return rc;
}

static int write_fx(gen *g)
{
    int rc = 0;
    for (size_t d = 0; d < g->fx_days && !rc; d++) {
        for (int c = 0; c < 2 && !rc; c++) {
            int e = REVOPS_ENTITY_FX_RATE;
            rc = revops_gen__day(g, e, g->fx_start + (revops_day)d);
            if (!rc)
                rc = revops_gen__text(g, e, revops_gen__currencies[c + 1]);
            if (!rc)
                rc = revops_gen__real(g, e, g->fx[2 * d + (size_t)c], 4);
            if (!rc)
                rc = revops_gen__end(g, e);
        }
    }
    return rc;
}

int revops_gen__write_money(gen *g)
{
    int rc = write_costs(g);
    if (!rc)
        rc = write_fx(g);
    revops_gen__progress(g, "costs and rates", 1, 1);
    return rc;
}
