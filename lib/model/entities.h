/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The entities of the native data model, each written once as a list macro. From these lists
 * the library generates the dataset's column structs, the field-index enums and the runtime
 * schema (schema.c), so a field added here appears in the store, the importer, the dataset and
 * the docs together.
 *
 * A field is F(entity, name, TYPE, flags, extra): TYPE is a revops_field_type without its
 * prefix, flags are REVOPS_R (required), REVOPS_K (key), REVOPS_P (planned: a time that
 * may lie ahead, not an event) and REVOPS_S (signed: money that may be negative, such as a
 * credit note; other money and integers must be >= 0), extra is the designated
 * initialiser of the type's detail (.ref_entity, .values, .currency_field) or empty.
 */
#ifndef REVOPS_MODEL_ENTITIES_H
#define REVOPS_MODEL_ENTITIES_H

#include <stdint.h>

#include "core/strpool.h"
#include "revops/date.h"
#include "revops/schema.h"

#define REVOPS_R REVOPS_FIELD_REQUIRED
#define REVOPS_K REVOPS_FIELD_KEY
#define REVOPS_P REVOPS_FIELD_PLANNED
#define REVOPS_S REVOPS_FIELD_SIGNED

/* Entities in dependency order: E(name, NAME, summary). */
#define REVOPS_ENTITY_LIST(E)                                                                      \
    E(team, TEAM, "teams of marketing, sales and customer success")                                \
    E(rep, REP, "people who own leads, deals and accounts")                                        \
    E(quota, QUOTA, "bookings targets per rep and period")                                         \
    E(account, ACCOUNT, "companies: prospects and customers")                                      \
    E(contact, CONTACT, "people at accounts")                                                      \
    E(lead, LEAD, "inbound and outbound leads and their funnel timestamps")                        \
    E(opportunity, OPPORTUNITY, "deals")                                                           \
    E(stage_change, STAGE_CHANGE, "history of deal stages, amounts and close dates")               \
    E(activity, ACTIVITY, "calls, emails, meetings and other sales activities")                    \
    E(subscription_item, SUBSCRIPTION_ITEM, "recurring revenue lines")                             \
    E(invoice, INVOICE, "invoices and their payment")                                              \
    E(contract_line, CONTRACT_LINE, "performance obligations of contracts")                        \
    E(ticket, TICKET, "support tickets")                                                           \
    E(usage, USAGE, "product usage per account, month and metric")                                 \
    E(touch, TOUCH, "marketing touches for attribution")                                           \
    E(cost, COST, "monthly costs by category")                                                     \
    E(fx_rate, FX_RATE, "exchange rates into the reporting currency")                              \
    E(experiment, EXPERIMENT, "A/B tests of the sales process")                                    \
    E(assignment, ASSIGNMENT, "which variant each lead or deal got")                               \
    E(comp_plan, COMP_PLAN, "commission plans")                                                    \
    E(lifecycle_change, LIFECYCLE_CHANGE,                                                          \
      "stage and owner changes made by the lifecycle and routing")                                 \
    E(task, TASK, "handoff tasks of the receiving side, with their SLA clock")

#define REVOPS_ENTITY_ENUM_(name, NAME, summary) REVOPS_ENTITY_##NAME,
enum revops_entity_index { REVOPS_ENTITY_LIST(REVOPS_ENTITY_ENUM_) REVOPS_ENTITY_COUNT };

extern const char *const revops_values_department[];
extern const char *const revops_values_role[];
extern const char *const revops_values_segment[];
extern const char *const revops_values_lead_stage[];
extern const char *const revops_values_outcome[];
extern const char *const revops_values_opportunity_type[];
extern const char *const revops_values_forecast_category[];
extern const char *const revops_values_activity_type[];
extern const char *const revops_values_invoice_status[];
extern const char *const revops_values_recognition_method[];
extern const char *const revops_values_cost_category[];
extern const char *const revops_values_lifecycle_entity[];
extern const char *const revops_values_lifecycle_attribute[];
extern const char *const revops_values_task_status[];

#define REVOPS_FIELDS_team(F, X)                                                                   \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, name, TEXT, REVOPS_R, )                                                                   \
    F(X, department, ENUM, REVOPS_R, .values = revops_values_department)                           \
    F(X, manager_id, REF, 0, .ref_entity = REVOPS_ENTITY_REP)

#define REVOPS_FIELDS_rep(F, X)                                                                    \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, name, TEXT, REVOPS_R, )                                                                   \
    F(X, email, TEXT, 0, )                                                                         \
    F(X, role, ENUM, 0, .values = revops_values_role)                                              \
    F(X, team_id, REF, 0, .ref_entity = REVOPS_ENTITY_TEAM)                                        \
    F(X, manager_id, REF, 0, .ref_entity = REVOPS_ENTITY_REP)                                      \
    F(X, region, TEXT, 0, )                                                                        \
    F(X, specializations, LIST, 0, )                                                               \
    F(X, tiers, LIST, 0, .values = revops_values_segment)                                          \
    F(X, capacity, INT, 0, )                                                                       \
    F(X, hired_at, TIME, 0, )                                                                      \
    F(X, active, BOOL, 0, )

#define REVOPS_FIELDS_quota(F, X)                                                                  \
    F(X, rep_id, REF, REVOPS_R | REVOPS_K, .ref_entity = REVOPS_ENTITY_REP)                        \
    F(X, period_start, DATE, REVOPS_R | REVOPS_K, )                                                \
    F(X, period_end, DATE, REVOPS_R | REVOPS_K, )                                                  \
    F(X, amount, MONEY, REVOPS_R, .currency_field = REVOPS_F_quota_currency)                       \
    F(X, currency, CURRENCY, REVOPS_R, )

#define REVOPS_FIELDS_account(F, X)                                                                \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, name, TEXT, REVOPS_R, )                                                                   \
    F(X, domain, TEXT, 0, )                                                                        \
    F(X, industry, TEXT, 0, )                                                                      \
    F(X, segment, ENUM, 0, .values = revops_values_segment)                                        \
    F(X, region, TEXT, 0, )                                                                        \
    F(X, country, TEXT, 0, )                                                                       \
    F(X, employees, INT, 0, )                                                                      \
    F(X, annual_revenue, MONEY, 0, .currency_field = REVOPS_F_account_currency)                    \
    F(X, currency, CURRENCY, 0, )                                                                  \
    F(X, owner_id, REF, 0, .ref_entity = REVOPS_ENTITY_REP)                                        \
    F(X, created_at, TIME, REVOPS_R, )

#define REVOPS_FIELDS_contact(F, X)                                                                \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, account_id, REF, 0, .ref_entity = REVOPS_ENTITY_ACCOUNT)                                  \
    F(X, name, TEXT, 0, )                                                                          \
    F(X, email, TEXT, 0, )                                                                         \
    F(X, phone, TEXT, 0, )                                                                         \
    F(X, title, TEXT, 0, )                                                                         \
    F(X, created_at, TIME, REVOPS_R, )

#define REVOPS_FIELDS_lead(F, X)                                                                   \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, created_at, TIME, REVOPS_R, )                                                             \
    F(X, source, TEXT, 0, )                                                                        \
    F(X, campaign, TEXT, 0, )                                                                      \
    F(X, company, TEXT, 0, )                                                                       \
    F(X, email, TEXT, 0, )                                                                         \
    F(X, industry, TEXT, 0, )                                                                      \
    F(X, region, TEXT, 0, )                                                                        \
    F(X, country, TEXT, 0, )                                                                       \
    F(X, employees, INT, 0, )                                                                      \
    F(X, estimated_value, MONEY, 0, .currency_field = REVOPS_F_lead_currency)                      \
    F(X, currency, CURRENCY, 0, )                                                                  \
    F(X, score, REAL, 0, )                                                                         \
    F(X, stage, ENUM, REVOPS_R, .values = revops_values_lead_stage)                                \
    F(X, owner_id, REF, 0, .ref_entity = REVOPS_ENTITY_REP)                                        \
    F(X, mql_at, TIME, 0, )                                                                        \
    F(X, sql_at, TIME, 0, )                                                                        \
    F(X, converted_at, TIME, 0, )                                                                  \
    F(X, opportunity_id, REF, 0, .ref_entity = REVOPS_ENTITY_OPPORTUNITY)                          \
    F(X, account_id, REF, 0, .ref_entity = REVOPS_ENTITY_ACCOUNT)                                  \
    F(X, disqualified_at, TIME, 0, )                                                               \
    F(X, disqualify_reason, TEXT, 0, )                                                             \
    F(X, first_response_at, TIME, 0, )

#define REVOPS_FIELDS_opportunity(F, X)                                                            \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, account_id, REF, 0, .ref_entity = REVOPS_ENTITY_ACCOUNT)                                  \
    F(X, name, TEXT, 0, )                                                                          \
    F(X, owner_id, REF, REVOPS_R, .ref_entity = REVOPS_ENTITY_REP)                                 \
    F(X, created_at, TIME, REVOPS_R, )                                                             \
    F(X, stage, STAGE, REVOPS_R, )                                                                 \
    F(X, amount, MONEY, REVOPS_R, .currency_field = REVOPS_F_opportunity_currency)                 \
    F(X, currency, CURRENCY, REVOPS_R, )                                                           \
    F(X, close_date, DATE, REVOPS_R, )                                                             \
    F(X, closed_at, TIME, 0, )                                                                     \
    F(X, outcome, ENUM, 0, .values = revops_values_outcome)                                        \
    F(X, loss_reason, TEXT, 0, )                                                                   \
    F(X, competitor, TEXT, 0, )                                                                    \
    F(X, product, TEXT, 0, )                                                                       \
    F(X, type, ENUM, 0, .values = revops_values_opportunity_type)                                  \
    F(X, forecast_category, ENUM, 0, .values = revops_values_forecast_category)                    \
    F(X, lead_id, REF, 0, .ref_entity = REVOPS_ENTITY_LEAD)

/* An empty currency takes the opportunity's (see the importer). */
#define REVOPS_FIELDS_stage_change(F, X)                                                           \
    F(X, opportunity_id, REF, REVOPS_R | REVOPS_K, .ref_entity = REVOPS_ENTITY_OPPORTUNITY)        \
    F(X, at, TIME, REVOPS_R | REVOPS_K, )                                                          \
    F(X, from_stage, STAGE, 0, )                                                                   \
    F(X, to_stage, STAGE, REVOPS_R | REVOPS_K, )                                                   \
    F(X, amount, MONEY, 0, .currency_field = REVOPS_F_stage_change_currency)                       \
    F(X, currency, CURRENCY, 0, )                                                                  \
    F(X, close_date, DATE, 0, )

#define REVOPS_FIELDS_activity(F, X)                                                               \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, at, TIME, REVOPS_R, )                                                                     \
    F(X, type, ENUM, REVOPS_R, .values = revops_values_activity_type)                              \
    F(X, rep_id, REF, REVOPS_R, .ref_entity = REVOPS_ENTITY_REP)                                   \
    F(X, lead_id, REF, 0, .ref_entity = REVOPS_ENTITY_LEAD)                                        \
    F(X, opportunity_id, REF, 0, .ref_entity = REVOPS_ENTITY_OPPORTUNITY)                          \
    F(X, account_id, REF, 0, .ref_entity = REVOPS_ENTITY_ACCOUNT)                                  \
    F(X, outcome, TEXT, 0, )                                                                       \
    F(X, duration_s, INT, 0, )

#define REVOPS_FIELDS_subscription_item(F, X)                                                      \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, account_id, REF, REVOPS_R, .ref_entity = REVOPS_ENTITY_ACCOUNT)                           \
    F(X, product, TEXT, 0, )                                                                       \
    F(X, start_date, DATE, REVOPS_R, )                                                             \
    F(X, end_date, DATE, 0, )                                                                      \
    F(X, mrr, MONEY, REVOPS_R, .currency_field = REVOPS_F_subscription_item_currency)              \
    F(X, currency, CURRENCY, REVOPS_R, )                                                           \
    F(X, quantity, INT, 0, )

#define REVOPS_FIELDS_invoice(F, X)                                                                \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, account_id, REF, REVOPS_R, .ref_entity = REVOPS_ENTITY_ACCOUNT)                           \
    F(X, contract_id, TEXT, 0, )                                                                   \
    F(X, issued_at, TIME, REVOPS_R, )                                                              \
    F(X, due_at, TIME, REVOPS_P, )                                                                 \
    F(X, paid_at, TIME, 0, )                                                                       \
    F(X, amount, MONEY, REVOPS_R | REVOPS_S, .currency_field = REVOPS_F_invoice_currency)          \
    F(X, currency, CURRENCY, REVOPS_R, )                                                           \
    F(X, status, ENUM, 0, .values = revops_values_invoice_status)

#define REVOPS_FIELDS_contract_line(F, X)                                                          \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, contract_id, TEXT, REVOPS_R, )                                                            \
    F(X, account_id, REF, REVOPS_R, .ref_entity = REVOPS_ENTITY_ACCOUNT)                           \
    F(X, opportunity_id, REF, 0, .ref_entity = REVOPS_ENTITY_OPPORTUNITY)                          \
    F(X, product, TEXT, 0, )                                                                       \
    F(X, obligation, TEXT, 0, )                                                                    \
    F(X, ssp, MONEY, REVOPS_R, .currency_field = REVOPS_F_contract_line_currency)                  \
    F(X, method, ENUM, REVOPS_R, .values = revops_values_recognition_method)                       \
    F(X, start_date, DATE, 0, )                                                                    \
    F(X, end_date, DATE, 0, )                                                                      \
    F(X, milestone_date, DATE, 0, )                                                                \
    F(X, price, MONEY, REVOPS_R, .currency_field = REVOPS_F_contract_line_currency)                \
    F(X, currency, CURRENCY, REVOPS_R, )

#define REVOPS_FIELDS_ticket(F, X)                                                                 \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, account_id, REF, REVOPS_R, .ref_entity = REVOPS_ENTITY_ACCOUNT)                           \
    F(X, opened_at, TIME, REVOPS_R, )                                                              \
    F(X, closed_at, TIME, 0, )                                                                     \
    F(X, severity, TEXT, 0, )

#define REVOPS_FIELDS_usage(F, X)                                                                  \
    F(X, account_id, REF, REVOPS_R | REVOPS_K, .ref_entity = REVOPS_ENTITY_ACCOUNT)                \
    F(X, period, MONTH, REVOPS_R | REVOPS_K, )                                                     \
    F(X, metric, TEXT, REVOPS_R | REVOPS_K, )                                                      \
    F(X, value, REAL, REVOPS_R, )

#define REVOPS_FIELDS_touch(F, X)                                                                  \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, at, TIME, REVOPS_R, )                                                                     \
    F(X, channel, TEXT, REVOPS_R, )                                                                \
    F(X, campaign, TEXT, 0, )                                                                      \
    F(X, lead_id, REF, 0, .ref_entity = REVOPS_ENTITY_LEAD)                                        \
    F(X, contact_id, REF, 0, .ref_entity = REVOPS_ENTITY_CONTACT)                                  \
    F(X, account_id, REF, 0, .ref_entity = REVOPS_ENTITY_ACCOUNT)

#define REVOPS_FIELDS_cost(F, X)                                                                   \
    F(X, period, MONTH, REVOPS_R | REVOPS_K, )                                                     \
    F(X, category, ENUM, REVOPS_R | REVOPS_K, .values = revops_values_cost_category)               \
    F(X, amount, MONEY, REVOPS_R | REVOPS_S, .currency_field = REVOPS_F_cost_currency)             \
    F(X, currency, CURRENCY, REVOPS_R | REVOPS_K, )

#define REVOPS_FIELDS_fx_rate(F, X)                                                                \
    F(X, date, DATE, REVOPS_R | REVOPS_K, )                                                        \
    F(X, currency, CURRENCY, REVOPS_R | REVOPS_K, )                                                \
    F(X, rate, REAL, REVOPS_R, )

#define REVOPS_FIELDS_experiment(F, X)                                                             \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, name, TEXT, REVOPS_R, )                                                                   \
    F(X, hypothesis, TEXT, 0, )                                                                    \
    F(X, metric, TEXT, REVOPS_R, )                                                                 \
    F(X, started_at, TIME, REVOPS_R, )                                                             \
    F(X, ended_at, TIME, REVOPS_P, )

#define REVOPS_FIELDS_assignment(F, X)                                                             \
    F(X, experiment_id, REF, REVOPS_R | REVOPS_K, .ref_entity = REVOPS_ENTITY_EXPERIMENT)          \
    F(X, entity_id, TEXT, REVOPS_R | REVOPS_K, )                                                   \
    F(X, variant, TEXT, REVOPS_R, )

/* rep_id or role must be set (checked by the importer). */
#define REVOPS_FIELDS_comp_plan(F, X)                                                              \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, rep_id, REF, 0, .ref_entity = REVOPS_ENTITY_REP)                                          \
    F(X, role, ENUM, 0, .values = revops_values_role)                                              \
    F(X, period, PERIOD, REVOPS_R, )                                                               \
    F(X, base_rate, REAL, REVOPS_R, )                                                              \
    F(X, tiers, TEXT, 0, )                                                                         \
    F(X, cap, MONEY, 0, .currency_field = REVOPS_F_comp_plan_currency)                             \
    F(X, currency, CURRENCY, 0, )                                                                  \
    F(X, clawback_days, INT, 0, )

/* What revops changed by itself, one row per change: a lead's or opportunity's stage moved by a
 * transition (`rule`: its name), or a lead's owner set by routing (`rule`: routing:weighted or
 * routing:round_robin). record_id is a lead or an opportunity id, as `entity` says. */
#define REVOPS_FIELDS_lifecycle_change(F, X)                                                       \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, at, TIME, REVOPS_R, )                                                                     \
    F(X, entity, ENUM, REVOPS_R, .values = revops_values_lifecycle_entity)                         \
    F(X, record_id, TEXT, REVOPS_R, )                                                              \
    F(X, attribute, ENUM, REVOPS_R, .values = revops_values_lifecycle_attribute)                   \
    F(X, from_value, TEXT, 0, )                                                                    \
    F(X, to_value, TEXT, REVOPS_R, )                                                               \
    F(X, rule, TEXT, REVOPS_R, )

/* A handoff's task for the receiving side: created_at starts the SLA clock, due_at is when the
 * first response is due. A decision made by hand (revops task accept|reject) names who made it
 * and, for a rejection, why. */
#define REVOPS_FIELDS_task(F, X)                                                                   \
    F(X, id, ID, REVOPS_R | REVOPS_K, )                                                            \
    F(X, handoff, TEXT, REVOPS_R, )                                                                \
    F(X, entity, ENUM, REVOPS_R, .values = revops_values_lifecycle_entity)                         \
    F(X, record_id, TEXT, REVOPS_R, )                                                              \
    F(X, from_department, ENUM, 0, .values = revops_values_department)                             \
    F(X, to_department, ENUM, REVOPS_R, .values = revops_values_department)                        \
    F(X, owner_id, REF, 0, .ref_entity = REVOPS_ENTITY_REP)                                        \
    F(X, team_id, REF, 0, .ref_entity = REVOPS_ENTITY_TEAM)                                        \
    F(X, created_at, TIME, REVOPS_R, )                                                             \
    F(X, due_at, TIME, REVOPS_P, )                                                                 \
    F(X, first_response_at, TIME, 0, )                                                             \
    F(X, status, ENUM, 0, .values = revops_values_task_status)                                     \
    F(X, closed_at, TIME, 0, )                                                                     \
    F(X, decided_by, REF, 0, .ref_entity = REVOPS_ENTITY_REP)                                      \
    F(X, reason, TEXT, 0, )

/* Rows are passed around as arrays of one value per field, sized by this bound. */
#define REVOPS_MAX_FIELDS 64

/* Field-index enums: REVOPS_F_<entity>_<field>. */
#define REVOPS_FIELD_ENUM_(X, name, type, flags, extra) REVOPS_F_##X##_##name,
#define REVOPS_ENTITY_FIELD_ENUM_(name, NAME, summary)                                             \
    enum { REVOPS_FIELDS_##name(REVOPS_FIELD_ENUM_, name) REVOPS_NFIELDS_##name };
REVOPS_ENTITY_LIST(REVOPS_ENTITY_FIELD_ENUM_)

#define REVOPS_ENTITY_FIELD_BOUND_(name, NAME, summary)                                            \
    _Static_assert(REVOPS_NFIELDS_##name <= REVOPS_MAX_FIELDS, #name " has too many fields");
REVOPS_ENTITY_LIST(REVOPS_ENTITY_FIELD_BOUND_)

/*
 * The C type of each field type's column. Text of every kind is an interned string id (0 =
 * empty); missing values of the other types are REVOPS_NO_DAY, REVOPS_NO_TIME,
 * REVOPS_NO_MONTH, REVOPS_NO_INT, REVOPS_NO_MONEY, NaN and -1 (bool).
 */
#define REVOPS_CTYPE_ID revops_str
#define REVOPS_CTYPE_REF revops_str
#define REVOPS_CTYPE_TEXT revops_str
#define REVOPS_CTYPE_ENUM revops_str
#define REVOPS_CTYPE_STAGE revops_str
#define REVOPS_CTYPE_LIST revops_str
#define REVOPS_CTYPE_CURRENCY revops_str
#define REVOPS_CTYPE_PERIOD revops_str
#define REVOPS_CTYPE_DATE revops_day
#define REVOPS_CTYPE_TIME revops_time
#define REVOPS_CTYPE_MONTH revops_month
#define REVOPS_CTYPE_INT int64_t
#define REVOPS_CTYPE_REAL double
#define REVOPS_CTYPE_BOOL int8_t
#define REVOPS_CTYPE_MONEY int64_t

#define REVOPS_NO_INT INT64_MIN

/* Column structs: revops_<entity>_table with `n` rows and one array per field. */
#define REVOPS_COLUMN_(X, name, type, flags, extra) REVOPS_CTYPE_##type *name;
#define REVOPS_ENTITY_TABLE_(name, NAME, summary)                                                  \
    typedef struct revops_##name##_table {                                                         \
        size_t n;                                                                                  \
        size_t allocated;                                                                          \
        REVOPS_FIELDS_##name(REVOPS_COLUMN_, name)                                                 \
    } revops_##name##_table;
REVOPS_ENTITY_LIST(REVOPS_ENTITY_TABLE_)

/* Every table starts with these two members, so generic code can grow any of them. */
typedef struct revops_table_header {
    size_t n;
    size_t allocated;
} revops_table_header;

#endif
