/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The runtime schema, generated from the list macros of entities.h.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/dataset.h"
#include "revops/money.h"

const char *const revops_values_department[] = {"marketing", "sales", "customer_success", NULL};
const char *const revops_values_role[] = {"sdr", "ae", "am", "csm", "manager", NULL};
const char *const revops_values_segment[] = {"smb", "mid", "enterprise", NULL};
const char *const revops_values_lead_stage[] = {"lead",     "mql",          "sql", "opportunity",
                                                "customer", "disqualified", NULL};
const char *const revops_values_outcome[] = {"open", "won", "lost", NULL};
const char *const revops_values_opportunity_type[] = {"new", "expansion", "renewal", NULL};
const char *const revops_values_forecast_category[] = {"pipeline", "best_case", "commit",
                                                       "closed",   "omitted",   NULL};
const char *const revops_values_activity_type[] = {"call",     "email",  "meeting", "demo",
                                                   "proposal", "social", "note",    NULL};
const char *const revops_values_invoice_status[] = {"open", "paid", "void", NULL};
const char *const revops_values_recognition_method[] = {"ratable", "point_in_time", "milestone",
                                                        NULL};
const char *const revops_values_cost_category[] = {"sales", "marketing", "customer_success",
                                                   "delivery", NULL};
const char *const revops_values_lifecycle_entity[] = {"lead", "opportunity", NULL};
const char *const revops_values_lifecycle_attribute[] = {"stage", "owner_id", NULL};
const char *const revops_values_task_status[] = {"open", "accepted", "rejected", NULL};

/*
 * Each field starts from "no reference, no currency" and the list's `extra` initialiser then
 * sets the one detail its type has. Overriding an initialised member is well-defined C; the
 * warning against it is for accidents, which this is not.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"

#define FIELD_DEF_(X, fname, ftype, fflags, extra)                                                 \
    {.name = #fname,                                                                               \
     .type = REVOPS_FT_##ftype,                                                                    \
     .flags = (fflags),                                                                            \
     .ref_entity = -1,                                                                             \
     .values = NULL,                                                                               \
     .currency_field = -1,                                                                         \
     .column_offset = offsetof(revops_##X##_table, fname),                                         \
     extra},

#define FIELD_ARRAY_(name, NAME, summary)                                                          \
    static const revops_field_def fields_##name[] = {REVOPS_FIELDS_##name(FIELD_DEF_, name)};
REVOPS_ENTITY_LIST(FIELD_ARRAY_)

#pragma GCC diagnostic pop

#define ENTITY_DEF_(ename, NAME, esummary)                                                         \
    {.name = #ename,                                                                               \
     .summary = esummary,                                                                          \
     .fields = fields_##ename,                                                                     \
     .nfields = sizeof(fields_##ename) / sizeof(fields_##ename[0]),                                \
     .table_offset = offsetof(struct revops_dataset, ename)},

static const revops_entity_def entities[] = {REVOPS_ENTITY_LIST(ENTITY_DEF_)};

size_t revops_entity_count(void)
{
    return REVOPS_ENTITY_COUNT;
}

const revops_entity_def *revops_entity_at(size_t index)
{
    return index < REVOPS_ENTITY_COUNT ? &entities[index] : NULL;
}

int revops_entity_find(const char *name, size_t len)
{
    for (size_t i = 0; i < REVOPS_ENTITY_COUNT; i++)
        if (strlen(entities[i].name) == len && strncasecmp(entities[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int revops_field_find(const revops_entity_def *e, const char *name, size_t len)
{
    for (size_t i = 0; i < e->nfields; i++)
        if (strlen(e->fields[i].name) == len && strncasecmp(e->fields[i].name, name, len) == 0)
            return (int)i;
    return -1;
}

int revops_entity_has_id(const revops_entity_def *e)
{
    return e->nfields > 0 && e->fields[0].type == REVOPS_FT_ID;
}

const char *revops_field_type_name(revops_field_type t)
{
    static const char *const names[] = {"id",    "reference", "text",   "enum",    "stage",
                                        "list",  "currency",  "period", "date",    "timestamp",
                                        "month", "integer",   "number", "boolean", "money"};
    return (size_t)t < sizeof(names) / sizeof(names[0]) ? names[t] : "unknown";
}

int revops_field__is_text(revops_field_type t)
{
    switch (t) {
    case REVOPS_FT_ID:
    case REVOPS_FT_REF:
    case REVOPS_FT_TEXT:
    case REVOPS_FT_ENUM:
    case REVOPS_FT_STAGE:
    case REVOPS_FT_LIST:
    case REVOPS_FT_CURRENCY:
    case REVOPS_FT_PERIOD:
        return 1;
    default:
        return 0;
    }
}

size_t revops_field__column_size(revops_field_type t)
{
    switch (t) {
    case REVOPS_FT_DATE:
        return sizeof(revops_day);
    case REVOPS_FT_TIME:
        return sizeof(revops_time);
    case REVOPS_FT_MONTH:
        return sizeof(revops_month);
    case REVOPS_FT_INT:
    case REVOPS_FT_MONEY:
        return sizeof(int64_t);
    case REVOPS_FT_REAL:
        return sizeof(double);
    case REVOPS_FT_BOOL:
        return sizeof(int8_t);
    default:
        return sizeof(revops_str);
    }
}

void revops_value__text(const revops_field_def *f, const revops_value *v, int money_exponent,
                        char buf[64], const char **out, size_t *len)
{
    *out = buf;
    *len = 0;
    buf[0] = '\0';
    if (!v->present)
        return;
    if (revops_field__is_text(f->type)) {
        *out = v->s;
        *len = v->len;
        return;
    }
    switch (f->type) {
    case REVOPS_FT_DATE:
        *len = revops_day_format((revops_day)v->i, buf);
        break;
    case REVOPS_FT_TIME:
        *len = revops_time_format(v->i, buf);
        break;
    case REVOPS_FT_MONTH:
        *len = revops_month_format((revops_month)v->i, buf);
        break;
    case REVOPS_FT_INT:
        *len = (size_t)snprintf(buf, 64, "%lld", (long long)v->i);
        break;
    case REVOPS_FT_BOOL:
        *len = (size_t)snprintf(buf, 64, "%s", v->i ? "true" : "false");
        break;
    case REVOPS_FT_REAL:
        /* Shortest text that reads back as the same double. */
        *len = (size_t)snprintf(buf, 64, "%.15g", v->d);
        if (strtod(buf, NULL) != v->d)
            *len = (size_t)snprintf(buf, 64, "%.17g", v->d);
        break;
    case REVOPS_FT_MONEY:
        *len = revops_money_format(v->i, money_exponent, buf);
        break;
    default:
        break;
    }
}
