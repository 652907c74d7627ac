/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A configuration written out as a complete, commented revops.yaml (`revops config init`
 * writes the defaults). Numbers are written as the shortest text that reads back as the same
 * double, and percentages by moving that text's decimal point, so the file loads back to
 * exactly the values written; tests/unit/test_config.c checks it.
 */
#include <stdio.h>
#include <string.h>

#include "config/config_internal.h"
#include "core/error.h"
#include "model/entities.h"
#include "revops/json.h"

/* The shortest decimal text of `v`. */
static const char *num(double v, char out[REVOPS_DOUBLE_TEXT_MAX])
{
    revops_json_format_double(v, out);
    return out;
}

/* `v` as a percentage ("32%" for 0.32), exact: the decimal point of the shortest text moves
 * two places. Falls back to the plain number for texts with an exponent. */
static const char *pct(double v, char out[REVOPS_DOUBLE_TEXT_MAX + 4])
{
    char d[REVOPS_DOUBLE_TEXT_MAX];
    revops_json_format_double(v, d);
    if (strchr(d, 'e') || strchr(d, 'E')) {
        snprintf(out, REVOPS_DOUBLE_TEXT_MAX + 4, "%s", d);
        return out;
    }
    const char *sign = d[0] == '-' ? "-" : "";
    const char *p = d + (d[0] == '-');
    const char *dot = strchr(p, '.');
    char digits[REVOPS_DOUBLE_TEXT_MAX];
    size_t intlen = dot ? (size_t)(dot - p) : strlen(p);
    const char *frac = dot ? dot + 1 : "";
    /* Integer part, then two fraction digits (padded with zeros), then the rest. */
    size_t n = 0;
    memcpy(digits, p, intlen);
    n = intlen;
    for (int k = 0; k < 2; k++)
        digits[n++] = frac[0] ? *frac++ : '0';
    digits[n] = '\0';
    const char *lead = digits;
    while (lead[0] == '0' && lead[1])
        lead++;
    snprintf(out, REVOPS_DOUBLE_TEXT_MAX + 4, "%s%s%s%s%%", sign, lead, frac[0] ? "." : "", frac);
    return out;
}

static const char *dur(int64_t s, char out[32])
{
    if (s % 86400 == 0 && s >= 7 * 86400)
        snprintf(out, 32, "%lldd", (long long)(s / 86400));
    else if (s % 3600 == 0)
        snprintf(out, 32, "%lldh", (long long)(s / 3600));
    else {
        int n = 0;
        if (s >= 3600)
            n += snprintf(out + n, (size_t)(32 - n), "%lldh", (long long)(s / 3600));
        if (s % 3600 >= 60)
            n += snprintf(out + n, (size_t)(32 - n), "%lldm", (long long)(s % 3600 / 60));
        if (s % 60)
            snprintf(out + n, (size_t)(32 - n), "%llds", (long long)(s % 60));
    }
    return out;
}

/* A criteria as a YAML scalar: single-quoted ('' for a quote) when it is one line of
 * printable text, else double-quoted with escapes (YAML would fold a raw line break). */
/* The YAML line breaks beyond \n and \r: U+0085, U+2028 and U+2029 (their escape letter). */
static char yaml_break(const unsigned char *p)
{
    if (p[0] == 0xC2 && p[1] == 0x85)
        return 'N';
    if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
        return p[2] == 0xA8 ? 'L' : 'P';
    return 0;
}

static void put_criteria(FILE *fp, const char *s)
{
    int plain_line = 1;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f || yaml_break((const unsigned char *)p))
            plain_line = 0;
    if (plain_line) {
        fputc('\'', fp);
        for (const char *p = s; *p; p++) {
            if (*p == '\'')
                fputc('\'', fp);
            fputc(*p, fp);
        }
        fputc('\'', fp);
        return;
    }
    fputc('"', fp);
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char brk = yaml_break((const unsigned char *)p);
        if (brk) {
            fprintf(fp, "\\%c", brk);
            p += brk == 'N' ? 1 : 2;
        } else if (c == '"' || c == '\\')
            fprintf(fp, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", fp);
        else if (c == '\t')
            fputs("\\t", fp);
        else if (c < 0x20 || c == 0x7f)
            fprintf(fp, "\\x%02x", c);
        else
            fputc(c, fp);
    }
    fputc('"', fp);
}

static void stage_list(FILE *fp, uint32_t bits, size_t entity, const revops_config *c)
{
    int first = 1;
    fputc('[', fp);
    for (size_t i = 0; i < 32; i++) {
        if (!(bits & (1u << i)))
            continue;
        const char *name = entity == REVOPS_ENTITY_LEAD
                               ? (i < REVOPS_CONFIG_LEAD_STAGES ? revops_values_lead_stage[i] : "")
                               : (i < c->stages.n ? c->stages.items[i].name : "");
        fprintf(fp, "%s%s", first ? "" : ", ", name);
        first = 0;
    }
    fputc(']', fp);
}

static const char *stage_name(const revops_config *c, size_t entity, int stage)
{
    if (stage < 0)
        return "";
    if (entity == REVOPS_ENTITY_LEAD)
        return stage < REVOPS_CONFIG_LEAD_STAGES ? revops_values_lead_stage[stage] : "";
    return (size_t)stage < c->stages.n ? c->stages.items[stage].name : "";
}

static void write_alignment(FILE *fp, const revops_config *c)
{
    char a[48], b[48], d[48];
    fputs(
        "  # Goals, and which department answers for which KPI.\n"
        "  alignment:\n"
        "    # The levels the KPI scorecard grades against (docs/metrics.md \"KPI scorecard\"):\n"
        "    # excellent at or beyond `excellent`, on_target at or beyond `target`, below_target\n"
        "    # at or beyond `baseline`, else below_baseline.\n"
        "    goals:\n",
        fp);
    for (size_t i = 0; i < c->ngoals; i++) {
        const revops_kpi_levels *g = &c->goals[i];
        revops_kpi_levels def;
        const char *unit = "";
        int lower = 0;
        revops_kpi_default(i, &def, &unit, &lower);
        int percent = strcmp(unit, "percent") == 0;
        fprintf(fp, "      %s: {target: %s, excellent: %s, baseline: %s}  # %s; %s is better\n",
                g->name, percent ? pct(g->target, a) : num(g->target, a),
                percent ? pct(g->excellent, b) : num(g->excellent, b),
                percent ? pct(g->baseline, d) : num(g->baseline, d), unit,
                lower ? "lower" : "higher");
    }
    fputs("    # The KPIs (names from goals) each department reports on.\n"
          "    metrics:\n",
          fp);
    for (int dep = 0; dep < REVOPS_DEPT_COUNT; dep++) {
        fprintf(fp, "      %s: [", revops_values_department[dep]);
        int first = 1;
        for (size_t k = 0; k < c->ngoals; k++)
            if (c->metrics[dep] & (1u << k)) {
                fprintf(fp, "%s%s", first ? "" : ", ", c->goals[k].name);
                first = 0;
            }
        fputs("]\n", fp);
    }
}

static void write_process(FILE *fp, const revops_config *c)
{
    char a[48], t[32];
    fputs("\n  # How records move from department to department.\n"
          "  process_alignment:\n"
          "    end_to_end_process:\n"
          "      # The data model's lead stages: the department and role that own each, and the\n"
          "      # days a lead should stay in it (0: no target).\n"
          "      lead_stages:\n",
          fp);
    for (int i = 0; i < REVOPS_CONFIG_LEAD_STAGES; i++) {
        const revops_config_stage_owner *o = &c->lead_stages[i];
        fprintf(fp, "        - {name: %s, department: %s, owner_role: %s, target_days: %d}\n",
                revops_values_lead_stage[i], revops_department_name(o->department),
                revops_role_name(o->owner_role), o->target_days);
    }
    fputs("      # Opportunity stages: the open ones in order, then the won and lost ones. The\n"
          "      # probability weights the pipeline (with stage_probabilities: configured);\n"
          "      # target_days is the expected time in the stage (0: no target).\n"
          "      stages:\n",
          fp);
    for (size_t i = 0; i < c->stages.n; i++) {
        const revops_stage_def *s = &c->stages.items[i];
        const revops_config_stage_owner *o = &c->stage_owners[i];
        fprintf(fp,
                "        - name: %s\n"
                "          department: %s\n"
                "          owner_role: %s\n"
                "          probability: %s\n"
                "          target_days: %d\n"
                "          outcome: %s\n",
                s->name, revops_department_name(o->department), revops_role_name(o->owner_role),
                pct(s->probability, a), s->target_days, revops_values_outcome[s->outcome]);
    }
    fputs("      # Automatic stage changes (revops lifecycle run): a lead or opportunity in one\n"
          "      # of the `from` stages whose criteria hold moves to `to`.\n",
          fp);
    if (!c->ntransitions)
        fputs("      transitions: []\n", fp);
    else
        fputs("      transitions:\n", fp);
    for (size_t i = 0; i < c->ntransitions; i++) {
        const revops_config_transition *tr = &c->transitions[i];
        fprintf(fp, "        - name: %s\n          entity: %s\n          from: ", tr->name,
                revops_entity_at(tr->entity)->name);
        stage_list(fp, tr->from, tr->entity, c);
        fprintf(fp, "\n          to: %s\n          criteria: ", stage_name(c, tr->entity, tr->to));
        put_criteria(fp, tr->criteria.text);
        fputc('\n', fp);
    }
    fputs("    # Handoffs between departments: a record entering `stage` whose criteria hold\n"
          "    # goes from one department to the other, which answers within response_time and\n"
          "    # should accept acceptance_rate_target of them.\n",
          fp);
    fputs(c->nhandoffs ? "    handoffs:\n" : "    handoffs: []\n", fp);
    for (size_t i = 0; i < c->nhandoffs; i++) {
        const revops_config_handoff *h = &c->handoffs[i];
        fprintf(fp,
                "      - name: %s\n"
                "        from: %s\n"
                "        to: %s\n"
                "        entity: %s\n"
                "        stage: %s\n"
                "        criteria: ",
                h->name, revops_department_name(h->from), revops_department_name(h->to),
                revops_entity_at(h->entity)->name, stage_name(c, h->entity, h->stage));
        put_criteria(fp, h->criteria.text);
        fprintf(fp,
                "\n        sla:\n"
                "          response_time: %s\n"
                "          acceptance_rate_target: %s\n",
                dur(h->response_seconds, t), pct(h->acceptance_target, a));
    }
    char w[5][48];
    fprintf(fp,
            "    workflows:\n"
            "      # Lead routing (docs/metrics.md \"Routing\"): weighted scores each candidate\n"
            "      # rep by these factors; round_robin takes eligible reps in turn.\n"
            "      routing:\n"
            "        method: %s\n"
            "        weights: {geographic: %s, expertise: %s, workload: %s, tier: %s, "
            "performance: %s}\n",
            c->routing_method == REVOPS_ROUTING_ROUND_ROBIN ? "round_robin" : "weighted",
            num(c->routing_weights.geographic, w[0]), num(c->routing_weights.expertise, w[1]),
            num(c->routing_weights.workload, w[2]), num(c->routing_weights.tier, w[3]),
            num(c->routing_weights.performance, w[4]));
    fputs("        # A lead's tier, for the tier factor: the first of enterprise, mid and smb\n"
          "        # whose criteria hold (criteria on lead fields); a rep serves the tiers in\n"
          "        # rep.tiers.\n"
          "        tiers:\n",
          fp);
    for (int i = 2; i >= 0; i--) {
        fprintf(fp, "          %s: ", revops_values_segment[i]);
        put_criteria(fp, c->routing_tiers[i].text);
        fputc('\n', fp);
    }
}

/* Every role, with the types that have a target or have one by default (so that a removed
 * default target is written as 0 and loads back removed). */
static void write_activity_targets(FILE *fp, const revops_config *c)
{
    revops_activity_targets def;
    revops_activity_targets_default(&def);
    fputs("    # The team section's activity targets by rep role: per working day or per month,\n"
          "    # by activity type (call, email, meeting, demo, proposal, social, note); a type\n"
          "    # left out or 0 has no target.\n"
          "    activity_targets:\n",
          fp);
    for (int r = 0; r < REVOPS_REP_ROLES; r++) {
        const revops_activity_targets *t = &c->activity_targets;
        fprintf(fp, "      %s: {per: %s", revops_values_role[r],
                t->per_month[r] ? "month" : "working_day");
        for (int k = 0; k < REVOPS_ACTIVITY_TYPES; k++) {
            char a[48];
            if (t->target[r][k] != 0 || def.target[r][k] != 0)
                fprintf(fp, ", %s: %s", revops_values_activity_type[k], num(t->target[r][k], a));
        }
        fputs("}\n", fp);
    }
}

static void write_analytics(FILE *fp, const revops_config *c)
{
    char a[48], b[48], t[32], w[4][48];
    fprintf(fp,
            "\n  # The analysis (revops analyze, revops pipeline) and the scores.\n"
            "  analytics:\n"
            "    currency: %s  # reporting currency (ISO 4217), or auto: the data's own\n"
            "    fiscal_year_start: %d  # first month of the fiscal year, 1-12\n"
            "    window_days: %d  # win rate, deal size and cycle over this many days\n"
            "    stage_probabilities: %s  # configured (the stages' own) or historical\n"
            "    stalled_factor: %s  # stalled: days in stage above this times the stage median\n"
            "    stalled_days: %d  # stalled: no activity for more than this many days\n"
            "    inactive_days: %d  # at risk: no activity for more than this many days\n"
            "    response_sla: %s  # inbound lead response SLA (whole minutes)\n"
            "    ramp_threshold: %s  # a rep is ramped after a month at this attainment\n"
            "    coaching_gap: %s  # coaching flag: this far below the team median\n",
            c->currency[0] ? c->currency : "auto", c->fiscal_year_start, c->window_days,
            c->historical_probabilities ? "historical" : "configured", num(c->stalled_factor, a),
            c->stalled_days, c->inactive_days, dur((int64_t)c->response_sla_minutes * 60, t),
            pct(c->ramp_threshold, b), pct(c->coaching_gap, w[0]));
    write_activity_targets(fp, c);
    if (c->gross_margin < 0)
        fputs("    gross_margin: auto  # for LTV and CAC payback: a share, or auto: measured\n",
              fp);
    else
        fprintf(fp, "    gross_margin: %s  # for LTV and CAC payback: a share, or auto: measured\n",
                pct(c->gross_margin, a));
    fprintf(fp,
            "    # Deal profitability: a margin %% at or above good_margin is good, at or above\n"
            "    # fair_margin fair, at or above 0 poor, below 0 a loss.\n"
            "    profitability: {good_margin: %s, fair_margin: %s}\n",
            pct(c->margin_good, b), pct(c->margin_fair, w[1]));
    fputs("    scoring:\n"
          "      lead:\n"
          "        # Rule-based lead score: the points of every rule whose criteria hold, capped\n"
          "        # at 100 (criteria on lead fields: docs/criteria.md).\n",
          fp);
    fputs(c->nlead_rules ? "        rules:\n" : "        rules: []\n", fp);
    for (size_t i = 0; i < c->nlead_rules; i++) {
        const revops_config_rule *r = &c->lead_rules[i];
        fprintf(fp, "          - name: %s\n            criteria: ", r->name);
        put_criteria(fp, r->criteria.text);
        fprintf(fp, "\n            points: %s\n", num(r->points, a));
    }
    fprintf(fp,
            "      churn:\n"
            "        # Churn risk: weighted signals, each in [0, 1] (docs/metrics.md \"Scores\").\n"
            "        weights: {usage_decline: %s, ticket_increase: %s, engagement_reduction: %s, "
            "payment_delays: %s}\n",
            num(c->churn_weights.usage_decline, w[0]), num(c->churn_weights.ticket_increase, w[1]),
            num(c->churn_weights.engagement_reduction, w[2]),
            num(c->churn_weights.payment_delays, w[3]));
    fprintf(fp,
            "      expansion:\n"
            "        weights: {feature_adoption: %s, user_growth: %s, success_metrics: %s, "
            "timing: %s}\n"
            "        threshold: %s  # accounts scoring above it are flagged\n",
            num(c->expansion_weights.feature_adoption, w[0]),
            num(c->expansion_weights.user_growth, w[1]),
            num(c->expansion_weights.success_metrics, w[2]), num(c->expansion_weights.timing, w[3]),
            num(c->expansion_threshold, a));
    fprintf(fp,
            "    forecast:\n"
            "      # The ensemble's weights, renormalised over the methods that have enough data.\n"
            "      method_weights: {pipeline_weighted: %s, historical_trend: %s, regression: %s, "
            "time_series: %s}\n"
            "      overdue_factor: %s  # time factor of an open deal whose close date has passed\n"
            "      rep_shrinkage: %d  # k: a rep's win rate is shrunk to the team's over k deals\n"
            "      simulations: %d  # Monte Carlo runs (revops forecast --sims)\n",
            num(c->forecast_weights.pipeline_weighted, w[0]),
            num(c->forecast_weights.historical_trend, w[1]),
            num(c->forecast_weights.regression, w[2]), num(c->forecast_weights.time_series, w[3]),
            num(c->overdue_factor, a), c->rep_shrinkage, c->simulations);
}

int revops_config_write(const revops_config *cfg, FILE *fp)
{
    fputs("# revops configuration (revops.yaml), as written by `revops config init`.\n"
          "#\n"
          "# Every key is optional: a key left out keeps the value shown here, and a list given\n"
          "# replaces the default list as a whole. Check a file with `revops config check FILE`.\n"
          "# Shares are percentages (80%) or fractions (0.8); durations have a unit: s, m, h, d\n"
          "# or w (5m, 24h, 1h30m). Every key: docs/config.md. Criteria: docs/criteria.md.\n"
          "revops:\n",
          fp);
    write_alignment(fp, cfg);
    write_process(fp, cfg);
    write_analytics(fp, cfg);
    if (ferror(fp))
        return revops_error__set(REVOPS_EIO, "writing the configuration failed");
    return 0;
}
