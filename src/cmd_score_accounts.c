/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops score churn, revops score expansion: the paying accounts' churn risk or expansion
 * score from weighted signals (docs/scoring.md), highest first, each with its signals.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cli_score_accounts(cli_args *args, revops_account_score_kind kind)
{
    if (cli_opt(args, "model") || cli_opt(args, "cut") || cli_opt(args, "horizon"))
        return cli_usage_error(args, "--model, --cut and --horizon are for leads and deals; "
                                     "churn and expansion are weighted signals over 90 days");
    revops_account_score_options so = REVOPS_ACCOUNT_SCORE_OPTIONS_INIT;
    so.kind = kind;
    int json = cli_format_json(args);
    uint64_t top;
    if (json < 0 || cli_parse_as_of(args, &so.as_of) ||
        cli_parse_u64(args, "top", so.top, 0, 1000000000, &top))
        return CLI_EXIT_USAGE;
    so.top = (size_t)top;
    so.evaluate = cli_flag(args, "evaluate");
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
    revops_account_scores *s;
    int rc = revops_score_accounts(&s, ds, cfg, &so);
    if (rc) {
        status = cli_lib_error("scoring the accounts", rc);
    } else if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_account_scores_write_json(s, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
        status = rc ? cli_lib_error("writing the scores", rc) : CLI_EXIT_OK;
    } else {
        rc = revops_account_scores_write_text(s, stdout);
        status = rc ? cli_lib_error("writing the scores", rc) : CLI_EXIT_OK;
    }
    revops_account_scores_free(s);
    revops_dataset_free(ds);
    revops_config_free(cfg);
    return status;
}
