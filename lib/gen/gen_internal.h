/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generator's shared state. Generation runs in steps (gen.c drives them): size the teams
 * (gen_people.c); plan and simulate the deals with their accounts and subscriptions
 * (gen_deals.c) and the leads behind them (gen_leads.c), holding one compact record per deal,
 * lead, account and item; then stream every entity to its file: the people and money
 * (gen_people.c), accounts, leads, deals and their histories (gen_records.c), and the
 * activity, billing and usage streams (gen_streams.c).
 */
#ifndef REVOPS_GEN_INTERNAL_H
#define REVOPS_GEN_INTERNAL_H

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

#include "model/entities.h"
#include "revops/csv.h"
#include "revops/gen.h"

enum gen_product { P_AUDIT, P_CONTENT, P_ENTERPRISE, P_COUNT };
enum gen_type { T_NEW, T_EXPANSION, T_RENEWAL };
enum gen_currency { C_RUB, C_USD, C_EUR };
enum gen_region {
    RG_MOSCOW,
    RG_SPB,
    RG_KAZAN,
    RG_NOVOSIBIRSK,
    RG_YEKATERINBURG,
    RG_INTL,
    RG_COUNT
};
/* Teams by index: the sales teams cover regions (Kazan, Novosibirsk and Yekaterinburg share
 * one), see revops_gen__sales_team(). */
enum gen_team_index {
    TM_MARKETING,
    TM_SALES_MOSCOW,
    TM_SALES_SPB,
    TM_SALES_REGIONS,
    TM_SALES_INTL,
    TM_ACCOUNT_MANAGEMENT,
    TM_CUSTOMER_SUCCESS,
    TM_COUNT
};
/* Indexes into revops_values_role. */
enum gen_role { ROLE_SDR, ROLE_AE, ROLE_AM, ROLE_CSM, ROLE_MANAGER };

/* Open stages in order, then the two closed ones (indexes into the default stage list). */
enum gen_stage { S_QUAL, S_DISC, S_PROP, S_NEGO, S_WON, S_LOST };

#define GEN_MAX_STEPS 12

/* One step of a deal's history: a move to a stage, or a change within one. */
typedef struct gen_step {
    revops_time at;
    int8_t from, to;
    int64_t amount;   /* minor units after the step */
    revops_day close; /* expected close date after the step */
} gen_step;

typedef struct gen_opp {
    uint32_t id;      /* number in O-<id>, assigned in creation order */
    uint32_t account; /* index into accounts */
    int32_t lead;     /* index into leads, -1 when the deal did not come from a lead */
    int32_t owner;    /* rep index */
    revops_time created;
    revops_time closed; /* REVOPS_NO_TIME while open at the end of the history */
    revops_day close_date;
    int64_t amount; /* final amount, minor units of the account's currency */
    uint8_t product, type, stage, nsteps;
    uint8_t lost_reason, competitor;
    uint8_t pushes;
    int8_t experiment_variant; /* -1 none, 0 control, 1 treatment (proposal template test) */
    int32_t renews;            /* renewal deals: the item they renew; else -1 */
    int32_t item;              /* won retainer deals: the item they sold; else -1 */
    uint8_t from_lead;         /* came in through a lead (created in the lead step) */
    uint8_t removed;           /* dropped to make the count exact; not written */
    gen_step steps[GEN_MAX_STEPS];
} gen_opp;

typedef struct gen_lead {
    uint32_t id;
    revops_time created;
    revops_time mql, sql, converted, disqualified, first_response;
    int32_t opp;      /* index into opps, -1 */
    int32_t owner;    /* SDR rep index, -1 */
    uint32_t company; /* company number (account index for converted ones) */
    uint8_t source, industry, region, stage, disqualify_reason;
    int8_t experiment_variant; /* -1 none, else response-time test variant */
    uint16_t employees;
    uint8_t score;
} gen_lead;

typedef struct gen_account {
    uint32_t id;
    uint8_t removed;
    int32_t first_item; /* the account's items, linked through gen_item.next */
    int32_t manager;    /* account manager (AM) once the account pays */
    revops_time created;
    int32_t owner;    /* AE or AM */
    uint32_t company; /* name number */
    uint8_t industry, region, segment, currency;
    uint16_t employees;
    uint8_t terms;      /* payment terms in days: when its invoices fall due */
    revops_day churned; /* day the last subscription ended, REVOPS_NO_DAY while paying */
} gen_account;

typedef struct gen_item {
    uint32_t account;
    uint32_t opp; /* the deal that sold it */
    uint8_t product;
    revops_day start, end; /* end: the first day without the item (may lie past the history) */
    revops_day term_end;   /* the end of the contracted term */
    int64_t mrr;           /* minor units of the account's currency */
    int32_t next;          /* next item of the same account, -1 */
} gen_item;

typedef struct gen_rep {
    uint8_t role; /* index into revops_values_role */
    uint8_t team, region;
    uint8_t pool; /* AEs: 0 core (smb and mid), 1 enterprise */
    revops_day hired;
    revops_day left;    /* REVOPS_NO_DAY while employed */
    double performance; /* activity and win-rate multiplier, 0.6 .. 1.3 */
    uint16_t capacity;
    uint8_t spec[3];
} gen_rep;

typedef struct gen_team {
    const char *name;
    uint8_t department; /* 0 marketing, 1 sales, 2 customer_success */
    uint8_t region;
    int32_t manager;
} gen_team;

typedef struct gen {
    const revops_gen_options *opts;
    revops_gen_report *report;
    revops_day start, end; /* first and last day of the history */
    int months;            /* its length in months from the start day */
    int cal_months;        /* calendar months it touches: one more when it starts mid-month */
    gsl_rng *rng;
    revops_csv_writer *out[REVOPS_ENTITY_COUNT];
    char dir[512];

    gen_opp *opps;
    size_t nopps, capopps;
    gen_lead *leads;
    size_t nleads, capleads;
    gen_account *accounts;
    size_t naccounts, capaccounts;
    gen_item *items;
    size_t nitems, capitems;
    gen_rep *reps;
    size_t nreps;
    gen_team teams[TM_COUNT];
    size_t nteams;
    /* Reps by role, for owner assignment: indexes into reps; AEs also by region and pool. */
    int32_t *ae, *am, *sdr, *csm;
    size_t nae, nam, nsdr, ncsm;
    int32_t *ae_pool[RG_COUNT][2]; /* [region][0 core, 1 enterprise] */
    size_t nae_pool[RG_COUNT][2];
    /* Deals, leads and accounts in id order (creation time), set once they are planned. */
    uint32_t *opp_order, *lead_order, *account_order;
    double *fx; /* RUB per USD and per EUR for each day from fx_start: [2 * day] */
    revops_day fx_start;
    size_t fx_days;
    uint64_t activity_rows;
} gen;

/* The sales team of a region (gen.c). */
int revops_gen__sales_team(int region);

/* Sizing (gen_people.c): the seasonal and growth weight of month m of the history, and
 * whether a rep works on a day. */
double revops_gen__month_weight(gen *g, int m);
int revops_gen__rep_active(const gen *g, int32_t rep, revops_day day);
/* A person's name, the same for the same number (gen_people.c). */
void revops_gen__person_name(size_t i, char *out, size_t cap);
/* The win rate of a deal of this product and type before its owner's skill (gen_deals.c). */
double revops_gen__base_win_rate(int product, int type);
/* The mean days from creation to close of a deal of this product and type (gen_deals.c). */
double revops_gen__cycle_days(int product, int type);
/* The days [from, to) of experiment 0 (response time, on leads) or 1 (proposal template, on
 * deals) (gen_deals.c). */
void revops_gen__experiment_window(const gen *g, int which, revops_day *from, revops_day *to);

/* A rep of the list who works on `day`, uniformly (gen_deals.c). */
int32_t revops_gen__pick_rep(gen *g, const int32_t *reps, size_t n, revops_day day);
/* A random working day of month m of the history (gen_deals.c). */
revops_day revops_gen__weekday_in_month(gen *g, int m);
/* Where new business comes from, by region (gen_deals.c). */
extern const double revops_gen__region_weight[RG_COUNT];

/* Random helpers (gen.c). */
double revops_gen__uniform(gen *g);
int revops_gen__chance(gen *g, double p);
size_t revops_gen__below(gen *g, size_t n);
size_t revops_gen__pick(gen *g, const double *weights, size_t n);
double revops_gen__gamma_days(gen *g, double mean, double shape);
revops_time revops_gen__work_time(gen *g, revops_day day); /* a moment of working hours */
revops_day revops_gen__weekday_on_or_after(revops_day day);
revops_day revops_gen__add_months(revops_day day, int months);

/* Writers (gen.c): fields of the current row of an entity, then the row end. */
int revops_gen__text(gen *g, int e, const char *s);
int revops_gen__plain(gen *g, int e, const char *s, size_t len);
int revops_gen__id(gen *g, int e, const char *prefix, uint64_t n);
int revops_gen__int(gen *g, int e, int64_t v);
int revops_gen__real(gen *g, int e, double v, int decimals);
int revops_gen__day(gen *g, int e, revops_day d);
int revops_gen__time(gen *g, int e, revops_time t);
int revops_gen__money(gen *g, int e, int64_t minor);
int revops_gen__empty(gen *g, int e);
int revops_gen__end(gen *g, int e);
void revops_gen__progress(gen *g, const char *what, uint64_t done, uint64_t total);

/* Growable arrays. */
int revops_gen__push_opp(gen *g, gen_opp **out);
int revops_gen__push_lead(gen *g, gen_lead **out);
int revops_gen__push_account(gen *g, gen_account **out);
int revops_gen__push_item(gen *g, gen_item **out);

/* Steps (the files that own them). */
int revops_gen__people(gen *g); /* teams and reps, sized by the deal volume */
int revops_gen__deals(gen *g);  /* plan, simulate, subscriptions, then leads and ids */
int revops_gen__leads(gen *g);  /* the leads behind the deals and the others (gen_leads.c) */
/* Numbers deals, leads and accounts in time order and keeps the orders in g. */
int revops_gen__number(gen *g);
int revops_gen__write_people(gen *g);  /* team, rep, quota, comp_plan */
int revops_gen__write_deals(gen *g);   /* account, contact, lead, opportunity, stage_change,
                                          touch, subscription_item, experiment, assignment */
int revops_gen__write_streams(gen *g); /* activity, contract_line, invoice, ticket, usage */
int revops_gen__write_money(gen *g);   /* cost, fx_rate */

/* Names and labels shared by the writers. */
extern const char *const revops_gen__products[P_COUNT];
extern const char *const revops_gen__currencies[3];
extern const char *const revops_gen__regions[RG_COUNT];
extern const char *const revops_gen__industries[];
extern const size_t revops_gen__nindustries;
extern const char *const revops_gen__sources[];
extern const size_t revops_gen__nsources;

/* RUB per unit of USD or EUR on a day (the fx_rate series, reproduced exactly). */
double revops_gen__fx(gen *g, int currency, revops_day day);

#endif
