/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "ingest/rowcheck.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/entities.h"

static int fault(int *field, int f, const char *msg)
{
    *field = f;
    return revops_error__set(REVOPS_EINVALID, "%s", msg);
}

static int check_opportunity(revops_value *row, const revops_stages *stages, int *field)
{
    revops_value *stage = &row[REVOPS_F_opportunity_stage];
    revops_value *outcome = &row[REVOPS_F_opportunity_outcome];
    int idx = revops_stages_find(stages, stage->s, stage->len);
    if (idx < 0)
        return fault(field, REVOPS_F_opportunity_stage, "unknown stage");
    const char *expected = revops_values_outcome[stages->items[idx].outcome];
    if (!outcome->present) {
        outcome->present = 1;
        outcome->s = expected;
        outcome->len = strlen(expected);
        return 0;
    }
    if (outcome->len != strlen(expected) || memcmp(outcome->s, expected, outcome->len) != 0) {
        *field = REVOPS_F_opportunity_outcome;
        return revops_error__set(REVOPS_EINVALID,
                                 "outcome '%.*s' disagrees with stage '%s', whose outcome is "
                                 "'%s'",
                                 (int)outcome->len, outcome->s, stages->items[idx].name, expected);
    }
    return 0;
}

static int check_range(revops_value *row, int start, int end, int allow_equal, int *field,
                       const char *msg)
{
    if (!row[start].present || !row[end].present)
        return 0;
    if (row[end].i < row[start].i || (!allow_equal && row[end].i == row[start].i))
        return fault(field, end, msg);
    return 0;
}

static int check_contract_line(revops_value *row, int *field)
{
    const revops_value *method = &row[REVOPS_F_contract_line_method];
    if (method->len == 7 && memcmp(method->s, "ratable", 7) == 0) {
        if (!row[REVOPS_F_contract_line_start_date].present)
            return fault(field, REVOPS_F_contract_line_start_date,
                         "a ratable line needs a start_date");
        if (!row[REVOPS_F_contract_line_end_date].present)
            return fault(field, REVOPS_F_contract_line_end_date,
                         "a ratable line needs an end_date");
        return check_range(row, REVOPS_F_contract_line_start_date, REVOPS_F_contract_line_end_date,
                           0, field,
                           "end_date must be after start_date (the service period is "
                           "[start_date, end_date))");
    }
    if (method->len == 9 && memcmp(method->s, "milestone", 9) == 0) {
        if (!row[REVOPS_F_contract_line_milestone_date].present)
            return fault(field, REVOPS_F_contract_line_milestone_date,
                         "a milestone line needs a milestone_date");
        return 0;
    }
    if (!row[REVOPS_F_contract_line_start_date].present)
        return fault(field, REVOPS_F_contract_line_start_date,
                     "a point_in_time line needs a start_date (the day control transfers)");
    return 0;
}

/* Reads a non-negative number with an optional '%' at s[*pos]. */
static int tier_number(const char *s, size_t len, size_t *pos, double *out)
{
    char buf[32];
    size_t n = 0;
    while (*pos < len && n + 1 < sizeof(buf) &&
           ((s[*pos] >= '0' && s[*pos] <= '9') || s[*pos] == '.'))
        buf[n++] = s[(*pos)++];
    buf[n] = '\0';
    if (n == 0)
        return -1;
    char *end;
    *out = strtod(buf, &end);
    if (*end != '\0')
        return -1;
    if (*pos < len && s[*pos] == '%')
        (*pos)++;
    return 0;
}

/* Tiers are "attainment%:rate;...", e.g. "100:0.06;110:0.08", attainments ascending. */
static int check_tiers(const revops_value *v, int *field)
{
    if (!v->present)
        return 0;
    size_t pos = 0;
    double prev = -1;
    while (pos < v->len) {
        double attainment, rate;
        while (pos < v->len && v->s[pos] == ' ')
            pos++;
        if (tier_number(v->s, v->len, &pos, &attainment) || pos >= v->len || v->s[pos] != ':')
            goto bad;
        pos++;
        if (tier_number(v->s, v->len, &pos, &rate))
            goto bad;
        while (pos < v->len && v->s[pos] == ' ')
            pos++;
        if (pos < v->len && v->s[pos] != ';')
            goto bad;
        pos++;
        if (attainment <= prev) {
            *field = REVOPS_F_comp_plan_tiers;
            return revops_error__set(REVOPS_EINVALID, "tier attainments must ascend ('%.*s')",
                                     (int)v->len, v->s);
        }
        prev = attainment;
    }
    return 0;
bad:
    *field = REVOPS_F_comp_plan_tiers;
    return revops_error__set(REVOPS_EINVALID,
                             "'%.*s' is not a tier list (expected attainment%%:rate;..., like "
                             "100:0.06;110:0.08)",
                             (int)v->len, v->s);
}

int revops_rowcheck__row(int entity, revops_value *row, const revops_stages *stages, int *field)
{
    *field = -1;
    switch (entity) {
    case REVOPS_ENTITY_OPPORTUNITY:
        return check_opportunity(row, stages, field);
    case REVOPS_ENTITY_QUOTA:
        return check_range(row, REVOPS_F_quota_period_start, REVOPS_F_quota_period_end, 1, field,
                           "period_end is before period_start");
    case REVOPS_ENTITY_SUBSCRIPTION_ITEM:
        return check_range(row, REVOPS_F_subscription_item_start_date,
                           REVOPS_F_subscription_item_end_date, 1, field,
                           "end_date is before start_date");
    case REVOPS_ENTITY_CONTRACT_LINE:
        return check_contract_line(row, field);
    case REVOPS_ENTITY_FX_RATE:
        if (row[REVOPS_F_fx_rate_rate].d <= 0)
            return fault(field, REVOPS_F_fx_rate_rate, "an exchange rate must be positive");
        return 0;
    case REVOPS_ENTITY_USAGE:
        if (row[REVOPS_F_usage_value].d < 0)
            return fault(field, REVOPS_F_usage_value, "usage cannot be negative");
        return 0;
    case REVOPS_ENTITY_COMP_PLAN:
        if (!row[REVOPS_F_comp_plan_rep_id].present && !row[REVOPS_F_comp_plan_role].present)
            return fault(field, REVOPS_F_comp_plan_rep_id,
                         "a plan applies to a rep_id or to a role; neither is set");
        if (row[REVOPS_F_comp_plan_base_rate].d < 0)
            return fault(field, REVOPS_F_comp_plan_base_rate, "base_rate cannot be negative");
        return check_tiers(&row[REVOPS_F_comp_plan_tiers], field);
    default:
        return 0;
    }
}
