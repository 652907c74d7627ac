/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops score leads: the rule-based lead score of every lead, best first, with the rules that
 * gave each its points; the learned lead and deal scores are in cmd_score_models.c.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int run_score(cli_args *args)
{
    const char *what = args->positional[0];
    const char *model = cli_opt(args, "model");
    if (strcmp(what, "deals") == 0)
        return cli_score_model(args, REVOPS_SCORE_DEALS);
    if (strcmp(what, "leads") == 0 && model && strcmp(model, "rules") != 0)
        return cli_score_model(args, REVOPS_SCORE_LEADS);
    if (strcmp(what, "churn") == 0)
        return cli_score_accounts(args, REVOPS_ACCOUNT_CHURN);
    if (strcmp(what, "expansion") == 0)
        return cli_score_accounts(args, REVOPS_ACCOUNT_EXPANSION);
    if (strcmp(what, "leads") != 0)
        return cli_usage_error(
            args, "nothing to score called '%s': use leads, deals, churn or expansion", what);
    if (cli_flag(args, "evaluate") || cli_opt(args, "cut") || cli_opt(args, "horizon"))
        return cli_usage_error(args, "--evaluate, --cut and --horizon are for the learned "
                                     "models: give --model bayes, logistic or blend");
    int json = cli_format_json(args);
    revops_lead_score_options so = REVOPS_LEAD_SCORE_OPTIONS_INIT;
    uint64_t top;
    if (json < 0 || cli_parse_as_of(args, &so.as_of) ||
        cli_parse_u64(args, "top", so.top, 0, 1000000000, &top))
        return CLI_EXIT_USAGE;
    so.top = (size_t)top;
    so.currency = cli_opt(args, "currency");
    if (so.currency && revops_currency_exponent(so.currency, strlen(so.currency)) < 0)
        return cli_usage_error(args, "--currency must be an ISO 4217 code such as EUR, not '%s'",
                               so.currency);
    revops_config *cfg;
    int status = cli_load_config(args, &cfg);
    if (status)
        return status;
    revops_dataset *ds;
    if ((status = cli_load_dataset_stages(args, &cfg->stages, &ds))) {
        revops_config_free(cfg);
        return status;
    }
    revops_lead_scores *s;
    int rc = revops_score_leads(&s, ds, cfg, &so);
    if (rc) {
        status = cli_lib_error("scoring the leads", rc);
    } else if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_lead_scores_write_json(s, cfg, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
        status = rc ? cli_lib_error("writing the scores", rc) : CLI_EXIT_OK;
    } else {
        rc = revops_lead_scores_write_text(s, cfg, stdout);
        status = rc ? cli_lib_error("writing the scores", rc) : CLI_EXIT_OK;
    }
    revops_lead_scores_free(s);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    return status;
}

static const cli_option score_options[] = {
    {"db", "FILE", "read a store", 0},
    {"csv", "DIR", "read a folder of <entity>.csv files instead", 0},
    {"config", "FILE",
     "the scoring rules, stages and signal weights of this revops.yaml (default: ./revops.yaml "
     "if present)",
     0},
    {"as-of", "DATE", "as known at the end of this day (default: the latest event)", 0},
    {"top", "N", "list the N highest scores (default 20; 0 for all)", 0},
    {"currency", "CODE",
     "the currency the data's exchange rates convert into (default: the "
     "configuration's, else the data's own)",
     0},
    {"format", "FMT", "text (default) or json", 0},
    {"model", "NAME",
     "leads: rules (default), bayes, logistic or blend; deals: bayes, logistic or blend "
     "(default)",
     0},
    {"evaluate", NULL,
     "leads, deals: train before the cut day, test after it (AUC, log loss, Brier); churn, "
     "expansion: AUC against the next 90 days",
     0},
    {"cut", "DATE",
     "with --evaluate: train on outcomes known by this day (default: as-of "
     "less the horizon less 180 days)",
     0},
    {"horizon", "DAYS",
     "the learned score is the chance within this many days (default 90 "
     "for leads, 180 for deals)",
     0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_score = {
    .name = "score",
    .summary = "lead, deal, churn and expansion scores, with the factors behind each",
    .usage = "leads|deals|churn|expansion --db FILE | --csv DIR [--top N] [--as-of DATE]\n"
             "                    [--model NAME] [--evaluate [--cut DATE]] [--format text|json]",
    .options = score_options,
    .details = "score leads: each lead scores the points of every rule of\n"
               "revops.analytics.scoring.lead.rules whose criteria hold for it, clamped to 0-100\n"
               "(docs/config.md). Leads created after the as-of day are left out. Ties are\n"
               "listed by lead id.\n\n"
               "With --model, and for deals: the chance to convert or be won within the\n"
               "horizon, learned from snapshots of earlier leads and deals whose outcomes were\n"
               "known by the as-of day; each score lists its factors, which add up to its\n"
               "logit (docs/scoring.md).\n\n"
               "score churn, score expansion: the paying accounts' churn risk or expansion score,\n"
               "weighted signals with the weights of revops.analytics.scoring; --evaluate\n"
               "measures them against what happened in the 90 days after the as-of day.",
    .min_positional = 1,
    .max_positional = 1,
    .run = run_score,
};
