/*
 * revops - revenue-operations engine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * revops task: the handoff tasks of the receiving side. `list` shows them as they stand, the
 * most urgent first; `accept` and `reject` decide one by hand, in the store.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static int write_list(const revops_task_list *l, int json)
{
    int rc;
    if (json) {
        revops_json *j;
        rc = revops_json_new(&j, 1);
        if (!rc)
            rc = revops_task_list_write_json(l, j);
        if (!rc)
            rc = revops_json_write(j, stdout);
        revops_json_free(j);
    } else {
        rc = revops_task_list_write_text(l, stdout);
    }
    return rc ? cli_lib_error("writing the task list", rc) : CLI_EXIT_OK;
}

static int run_list(cli_args *args)
{
    if (args->npositional != 1)
        return cli_usage_error(args, "task list takes no task id");
    int json = cli_format_json(args);
    uint64_t top;
    revops_task_list_options lo = REVOPS_TASK_LIST_OPTIONS_INIT;
    if (json < 0 || cli_parse_now(args, &lo.now) ||
        cli_parse_u64(args, "top", 20, 0, 1000000000, &top))
        return CLI_EXIT_USAGE;
    lo.top = (size_t)top;
    lo.status = cli_opt(args, "status");
    lo.owner = cli_opt(args, "owner");
    lo.team = cli_opt(args, "team");
    lo.handoff = cli_opt(args, "handoff");
    lo.overdue = cli_flag(args, "overdue");
    if (lo.status && strcmp(lo.status, "open") != 0 && strcmp(lo.status, "accepted") != 0 &&
        strcmp(lo.status, "rejected") != 0 && strcmp(lo.status, "all") != 0)
        return cli_usage_error(args, "--status must be open, accepted, rejected or all, not '%s'",
                               lo.status);
    if (cli_opt(args, "by") || cli_opt(args, "reason"))
        return cli_usage_error(args, "--by and --reason go with accept and reject");
    revops_dataset *ds;
    int status = cli_load_dataset(args, &ds);
    if (status)
        return status;
    revops_task_list *l;
    int rc = revops_task_list_compute(&l, ds, &lo);
    if (rc) {
        status = cli_lib_error("listing the tasks", rc);
    } else {
        status = write_list(l, json);
        revops_task_list_free(l);
    }
    revops_dataset_free(ds);
    return status;
}

static void print_decided(const char *id, const char *verb, const revops_task_decided *t,
                          const revops_task_decide_options *o)
{
    char now[REVOPS_TIME_TEXT_MAX], due[REVOPS_TIME_TEXT_MAX];
    revops_time_format(o->now, now);
    long long minutes = (long long)((o->now - t->created_at) / 60);
    printf("%s %s at %s%s%s: %s %s (handoff %s), %lld minutes after it was handed over", id, verb,
           now, o->by ? " by " : "", o->by ? o->by : "", t->entity, t->record, t->handoff, minutes);
    if (t->due_at != REVOPS_NO_TIME) {
        revops_time_format(t->due_at, due);
        if (o->now <= t->due_at)
            printf(", within its SLA (due %s)", due);
        else
            printf(", %lld minutes past its SLA (due %s)", (long long)((o->now - t->due_at) / 60),
                   due);
    }
    printf("\n");
    if (o->reason && *o->reason)
        printf("reason: %s\n", o->reason);
}

static int run_decide(cli_args *args, revops_task_decision decision)
{
    const char *verb = decision == REVOPS_TASK_ACCEPT ? "accepted" : "rejected";
    if (args->npositional != 2)
        return cli_usage_error(args, "give the task's id: revops task %s TASK-ID --db FILE",
                               decision == REVOPS_TASK_ACCEPT ? "accept" : "reject");
    const char *db = cli_opt(args, "db");
    if (!db || cli_opt(args, "csv"))
        return cli_usage_error(args, "a decision is written to a store: give --db FILE");
    const char *list_only[] = {"status", "owner", "team", "handoff", "top", "format"};
    for (size_t i = 0; i < sizeof(list_only) / sizeof(list_only[0]); i++)
        if (cli_opt(args, list_only[i]))
            return cli_usage_error(args, "--%s goes with task list", list_only[i]);
    if (cli_flag(args, "overdue"))
        return cli_usage_error(args, "--overdue goes with task list");
    revops_task_decide_options o = REVOPS_TASK_DECIDE_OPTIONS_INIT;
    if (cli_parse_now(args, &o.now))
        return CLI_EXIT_USAGE;
    if (o.now == REVOPS_NO_TIME)
        return cli_usage_error(args, "--now latest needs the data loaded; give a time or a date");
    o.by = cli_opt(args, "by");
    o.reason = cli_opt(args, "reason");
    if (decision == REVOPS_TASK_REJECT && (!o.reason || !*o.reason))
        return cli_usage_error(args, "a rejection needs --reason TEXT: say why the handoff is "
                                     "turned down");
    revops_store *store;
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    int rc = revops_store_open(&store, db, &so);
    if (rc)
        return cli_lib_error("opening the store", rc);
    const char *id = args->positional[1];
    revops_task_decided t;
    rc = revops_task_decide(&t, store, id, decision, &o);
    revops_store_close(store);
    if (rc)
        return cli_lib_error(
            decision == REVOPS_TASK_ACCEPT ? "accepting the task" : "rejecting the task", rc);
    print_decided(id, verb, &t, &o);
    return CLI_EXIT_OK;
}

static int run_task(cli_args *args)
{
    const char *action = args->positional[0];
    if (strcmp(action, "list") == 0)
        return run_list(args);
    if (strcmp(action, "accept") == 0)
        return run_decide(args, REVOPS_TASK_ACCEPT);
    if (strcmp(action, "reject") == 0)
        return run_decide(args, REVOPS_TASK_REJECT);
    return cli_usage_error(args, "no task action '%s': use list, accept or reject", action);
}

static const cli_option task_options[] = {
    {"db", "FILE", "the store (accept and reject write to it)", 0},
    {"csv", "DIR", "list the tasks of a folder of <entity>.csv files", 0},
    {"now", "TIME", "a time, a date (its end) or 'latest' for list (default: now)", 0},
    {"status", "S", "list: open (default), accepted, rejected or all", 0},
    {"owner", "REP", "list: only this receiving rep's tasks", 0},
    {"team", "TEAM", "list: only this team's tasks", 0},
    {"handoff", "NAME", "list: only this handoff's tasks", 0},
    {"overdue", NULL, "list: only open tasks past their due time", 0},
    {"top", "N", "list: the first N (default 20; 0 for all)", 0},
    {"by", "REP", "accept, reject: the rep deciding", 0},
    {"reason", "TEXT", "accept, reject: why (required to reject)", 0},
    {"format", "FMT", "list: text (default) or json", 0},
    {NULL, NULL, NULL, 0},
};

const cli_command cli_cmd_task = {
    .name = "task",
    .summary = "list the handoff tasks, accept or reject one by hand",
    .usage = "list --db FILE | --csv DIR [--status S] [--owner REP] [--overdue] [--format FMT]\n"
             "       revops task accept|reject TASK-ID --db FILE [--by REP] [--reason TEXT]",
    .options = task_options,
    .details =
        "list shows the tasks as they stand (their response and decision worked out as in\n"
        "revops sla), the most urgent first: open ones by due time, the longest overdue first.\n"
        "accept and reject decide an open task by hand, in one transaction: its status,\n"
        "closed_at (now), decided_by and reason are written, and the decision is final. A\n"
        "rejection needs a reason. See docs/lifecycle.md.",
    .min_positional = 1,
    .max_positional = 2,
    .run = run_task,
};
