/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rule-based lead score (docs/metrics.md "Scores"): the points of every configured rule
 * whose criteria hold for a lead, clamped to 0..100. The decisions a reader cannot see from
 * the code:
 *
 * - As of day D, a lead created after D does not exist yet and is not scored; the criteria
 *   run with "now" at the end of D, so event times after D read as empty.
 * - Negative points are allowed (a cold lead), so the clamp has a floor of 0 as well as the
 *   ceiling of 100; the factors are the rules' own points and add up to `points`, not to the
 *   clamped score.
 * - Scores are computed for every lead in one pass and kept as a score and an id each; the
 *   factors are worked out again only for the leads listed, so a million leads cost 24 MB,
 *   not a list of factors each.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "model/dataset.h"
#include "revops/score.h"

typedef struct ranked {
    double score;
    const char *id; /* for ties, so the comparison needs no context */
    uint32_t row;
} ranked;

static int best_first(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return strcmp(x->id, y->id);
}

static double clamp(double points)
{
    return points < 0 ? 0 : points > 100 ? 100 : points;
}

/* Prefixes an evaluation error with the rule it came from. */
static int rule_error(const revops_config_rule *r, int rc)
{
    revops_error__prefix("lead-scoring rule '%s'", r->name);
    return rc;
}

int revops_score_leads(revops_lead_scores **out, const revops_dataset *ds, const revops_config *cfg,
                       const revops_lead_score_options *opts)
{
    *out = NULL;
    revops_lead_score_options def = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    if (!opts)
        opts = &def;
    revops_lead_scores *s = calloc(1, sizeof(*s));
    if (!s)
        return revops_error__oom();
    ranked *all = NULL;
    int rc = 0;
    s->as_of = opts->as_of == REVOPS_NO_DAY ? revops_dataset_latest_day(ds) : opts->as_of;
    s->nrules = cfg->nlead_rules;
    s->mean_score = NAN;
    s->rule_matches = calloc(s->nrules ? s->nrules : 1, sizeof(*s->rule_matches));
    if (!s->rule_matches) {
        rc = revops_error__oom();
        goto done;
    }
    const revops_lead_table *t = &ds->lead;
    if (s->as_of == REVOPS_NO_DAY || t->n == 0)
        goto done; /* no data: nothing to score */
    const char *currency = opts->currency     ? opts->currency
                           : cfg->currency[0] ? cfg->currency
                                              : NULL;
    revops_criteria_env env;
    revops_time now = revops_day_time(s->as_of) + 86399;
    if ((rc = revops_criteria_env_init(&env, ds, now, currency)))
        goto done;
    all = malloc(t->n * sizeof(*all));
    if (!all) {
        rc = revops_error__oom();
        goto done;
    }
    double sum = 0;
    for (size_t row = 0; row < t->n; row++) {
        if (t->created_at[row] == REVOPS_NO_TIME || t->created_at[row] > now)
            continue;
        double points = 0;
        for (size_t r = 0; r < cfg->nlead_rules; r++) {
            const revops_config_rule *rule = &cfg->lead_rules[r];
            int hit = revops_criteria_eval(rule->criteria.compiled, &env, row);
            if (hit < 0) {
                rc = rule_error(rule, hit);
                goto done;
            }
            if (hit) {
                points += rule->points;
                s->rule_matches[r]++;
            }
        }
        all[s->scored].score = clamp(points);
        all[s->scored].row = (uint32_t)row;
        all[s->scored].id = revops_dataset__str(ds, t->id[row]);
        sum += all[s->scored].score;
        s->scored++;
    }
    if (s->scored)
        s->mean_score = sum / (double)s->scored;
    qsort(all, s->scored, sizeof(*all), best_first);
    s->nleads = opts->top && opts->top < s->scored ? opts->top : s->scored;
    s->leads = calloc(s->nleads ? s->nleads : 1, sizeof(*s->leads));
    s->factors =
        calloc(s->nleads * (cfg->nlead_rules ? cfg->nlead_rules : 1) + 1, sizeof(*s->factors));
    if (!s->leads || !s->factors) {
        rc = revops_error__oom();
        goto done;
    }
    /* The listed leads' factors, evaluated again (the same data, the same answers). */
    for (size_t i = 0; i < s->nleads; i++) {
        revops_lead_score *l = &s->leads[i];
        size_t row = all[i].row;
        l->lead = all[i].id;
        l->score = all[i].score;
        l->first = s->nfactors;
        for (size_t r = 0; r < cfg->nlead_rules; r++) {
            const revops_config_rule *rule = &cfg->lead_rules[r];
            int hit = revops_criteria_eval(rule->criteria.compiled, &env, row);
            if (hit < 0) {
                rc = rule_error(rule, hit);
                goto done;
            }
            if (hit) {
                s->factors[s->nfactors++] = (revops_score_factor){rule->name, rule->points};
                l->points += rule->points;
                l->n++;
            }
        }
    }
done:
    free(all);
    if (rc) {
        revops_lead_scores_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void revops_lead_scores_free(revops_lead_scores *s)
{
    if (!s)
        return;
    free(s->rule_matches);
    free(s->leads);
    free(s->factors);
    free(s);
}

int revops_lead_scores_write_json(const revops_lead_scores *s, const revops_config *cfg,
                                  revops_json *j)
{
    char day[REVOPS_DAY_TEXT_MAX] = "";
    if (s->as_of != REVOPS_NO_DAY)
        revops_day_format(s->as_of, day);
    revops_json_begin_object(j);
    revops_json_key(j, "as_of");
    if (day[0])
        revops_json_string(j, day);
    else
        revops_json_null(j);
    revops_json_key(j, "leads_scored");
    revops_json_int(j, (int64_t)s->scored);
    revops_json_key(j, "mean_score");
    revops_json_double(j, s->mean_score);
    revops_json_key(j, "rules");
    revops_json_begin_array(j);
    for (size_t r = 0; r < s->nrules && r < cfg->nlead_rules; r++) {
        const revops_config_rule *rule = &cfg->lead_rules[r];
        revops_json_begin_object(j);
        revops_json_key(j, "name");
        revops_json_string(j, rule->name);
        revops_json_key(j, "criteria");
        revops_json_string(j, rule->criteria.text);
        revops_json_key(j, "points");
        revops_json_double(j, rule->points);
        revops_json_key(j, "leads_matched");
        revops_json_int(j, (int64_t)s->rule_matches[r]);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_key(j, "leads");
    revops_json_begin_array(j);
    for (size_t i = 0; i < s->nleads; i++) {
        const revops_lead_score *l = &s->leads[i];
        revops_json_begin_object(j);
        revops_json_key(j, "lead");
        revops_json_string(j, l->lead);
        revops_json_key(j, "score");
        revops_json_double(j, l->score);
        revops_json_key(j, "points");
        revops_json_double(j, l->points);
        revops_json_key(j, "factors");
        revops_json_begin_array(j);
        for (size_t k = 0; k < l->n; k++) {
            revops_json_begin_object(j);
            revops_json_key(j, "rule");
            revops_json_string(j, s->factors[l->first + k].rule);
            revops_json_key(j, "points");
            revops_json_double(j, s->factors[l->first + k].points);
            revops_json_end_object(j);
        }
        revops_json_end_array(j);
        revops_json_end_object(j);
    }
    revops_json_end_array(j);
    revops_json_end_object(j);
    size_t len;
    return revops_json_text(j, &len) ? 0
                                     : revops_error__set(REVOPS_ENOMEM, "writing the lead scores");
}

int revops_lead_scores_write_text(const revops_lead_scores *s, const revops_config *cfg, FILE *fp)
{
    char day[REVOPS_DAY_TEXT_MAX] = "(no data)", num[REVOPS_DOUBLE_TEXT_MAX];
    if (s->as_of != REVOPS_NO_DAY)
        revops_day_format(s->as_of, day);
    fprintf(fp, "Lead scores as of %s: %zu leads scored by %zu rules", day, s->scored,
            cfg->nlead_rules);
    if (s->scored)
        fprintf(fp, ", mean score %.1f", s->mean_score);
    fputs("\n\n", fp);
    size_t idw = 4;
    for (size_t i = 0; i < s->nleads; i++)
        if (strlen(s->leads[i].lead) > idw)
            idw = strlen(s->leads[i].lead);
    if (s->nleads)
        fprintf(fp, "  %4s  %-*s  %5s  %6s  %s\n", "rank", (int)idw, "lead", "score", "points",
                "rules that gave the points");
    for (size_t i = 0; i < s->nleads; i++) {
        const revops_lead_score *l = &s->leads[i];
        revops_json_format_double(l->score, num);
        fprintf(fp, "  %4zu  %-*s  %5s  ", i + 1, (int)idw, l->lead, num);
        revops_json_format_double(l->points, num);
        fprintf(fp, "%6s  ", num);
        if (!l->n)
            fputs("(none)", fp);
        for (size_t k = 0; k < l->n; k++) {
            const revops_score_factor *f = &s->factors[l->first + k];
            revops_json_format_double(f->points, num);
            fprintf(fp, "%s%s %s%s", k ? ", " : "", f->rule, f->points >= 0 ? "+" : "", num);
        }
        fputc('\n', fp);
    }
    if (s->nleads < s->scored)
        fprintf(fp, "  ... %zu more (--top 0 lists them all)\n", s->scored - s->nleads);
    fputs("\nRules (points; leads they gave points to):\n", fp);
    for (size_t r = 0; r < s->nrules && r < cfg->nlead_rules; r++) {
        char pts[REVOPS_DOUBLE_TEXT_MAX + 1];
        revops_json_format_double(cfg->lead_rules[r].points, num);
        snprintf(pts, sizeof(pts), "%s%s", cfg->lead_rules[r].points >= 0 ? "+" : "", num);
        fprintf(fp, "  %-24s %7s %8zu  %s\n", cfg->lead_rules[r].name, pts, s->rule_matches[r],
                cfg->lead_rules[r].criteria.text);
    }
    return ferror(fp) ? revops_error__set(REVOPS_EIO, "writing the lead scores failed") : 0;
}
