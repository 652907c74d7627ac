/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lead routing: one lead at a time with its store lookup, and a batch of 100,000 leads.
 *
 *   bench_routing [LEADS] [REPS] [RUNS] [DIR]   defaults: 100000 unassigned leads, 300 reps,
 *                                               3 runs, /tmp/revops-bench-routing
 *
 * Writes a synthetic data set into DIR (seeded, so every run routes the same leads): REPS
 * sdr reps in 8 regions with 2 of 10 industries each, capacities of 300 to 500 open leads;
 * 30,000 leads they own (a third open, the others settled, with 10,000 opportunities won or
 * lost) for their workloads and conversion; LEADS open leads without an owner. Imports it
 * into a SQLite store and loads the store once. Then, RUNS times each, prints the medians of:
 *
 * - router build: every rep's open and settled leads counted from the dataset;
 * - one lead, store lookup included: revops_router_route_stored on 1,000 of the unassigned
 *   leads in turn (a primary-key lookup in the store, the tier criteria, every candidate's
 *   factors, the sorted explanation), per lead;
 * - one lead from memory: revops_router_route (the id looked up in the router's index);
 * - batch in memory: revops_router_route_unassigned over every unassigned lead, assignment by
 *   assignment (a fresh router each run, its build not counted);
 * - batch on the store: revops_route_unassigned on a fresh copy of the store: load, route,
 *   and write every owner and change-log row in one transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "revops/revops.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof(*v), by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A small deterministic generator (xorshift64: the data are the same on every run). */
static unsigned pick(unsigned long long *state, unsigned n)
{
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return (unsigned)(*state % n);
}

static const char *const regions[] = {
    "Moscow",        "Saint Petersburg", "Kazan",         "Novosibirsk",
    "Yekaterinburg", "Samara",           "International", "Perm"};
static const char *const industries[] = {"ecommerce",     "saas",       "fintech",   "media",
                                         "retail",        "healthcare", "education", "travel",
                                         "manufacturing", "logistics"};
static const char *const tiers[] = {
    "smb", "mid", "enterprise", "smb;mid", "mid;enterprise", "smb;mid;enterprise"};

static FILE *open_csv(const char *dir, const char *name, const char *header)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        perror(path);
        exit(1);
    }
    fputs(header, fp);
    return fp;
}

static void write_data(const char *dir, unsigned leads, unsigned reps)
{
    unsigned long long rng = 88172645463325252ULL;
    mkdir(dir, 0755);
    FILE *rp = open_csv(dir, "rep.csv",
                        "id,name,role,region,specializations,tiers,capacity,hired_at,active\n");
    for (unsigned i = 1; i <= reps; i++)
        fprintf(rp, "R-%u,Rep %u,sdr,%s,%s;%s,%s,%u,2024-01-01,%s\n", i, i, regions[pick(&rng, 8)],
                industries[pick(&rng, 10)], industries[pick(&rng, 10)], tiers[pick(&rng, 6)],
                300 + pick(&rng, 201), pick(&rng, 20) ? "true" : "false");
    fprintf(rp, "R-AE,Account Executive,ae,Moscow,,,,2024-01-01,true\n");
    fclose(rp);
    FILE *lp = open_csv(dir, "lead.csv",
                        "id,created_at,industry,region,employees,estimated_value,currency,stage,"
                        "owner_id,converted_at,opportunity_id,disqualified_at\n");
    FILE *op = open_csv(dir, "opportunity.csv",
                        "id,owner_id,created_at,stage,amount,currency,close_date,closed_at\n");
    unsigned opps = 0;
    for (unsigned i = 1; i <= 30000; i++) {
        unsigned owner = 1 + pick(&rng, reps), kind = pick(&rng, 3);
        const char *region = regions[pick(&rng, 8)], *industry = industries[pick(&rng, 10)];
        if (kind == 0) { /* open */
            fprintf(lp, "O%u,2026-03-%02uT09:00:00Z,%s,%s,,,,lead,R-%u,,,\n", i, 1 + pick(&rng, 14),
                    industry, region, owner);
        } else if (kind == 1 && opps < 10000) { /* converted: won or lost */
            opps++;
            int won = pick(&rng, 3) == 0;
            fprintf(lp,
                    "O%u,2025-09-01T09:00:00Z,%s,%s,,,,customer,R-%u,2025-09-10T09:00:00Z,D%u,\n",
                    i, industry, region, owner, opps);
            fprintf(op,
                    "D%u,R-AE,2025-09-10T09:00:00Z,%s,100000,RUB,2026-01-15,2026-01-15T12:00:00Z\n",
                    opps, won ? "closed_won" : "closed_lost");
        } else { /* disqualified */
            fprintf(lp,
                    "O%u,2025-10-01T09:00:00Z,%s,%s,,,,disqualified,R-%u,,,2025-11-01T09:00:00Z\n",
                    i, industry, region, owner);
        }
    }
    for (unsigned i = 1; i <= leads; i++) {
        unsigned value = pick(&rng, 4);
        fprintf(lp, "U%u,2026-03-%02uT%02u:00:00Z,%s,%s,%u,", i, 1 + pick(&rng, 14), pick(&rng, 24),
                industries[pick(&rng, 10)], regions[pick(&rng, 8)], 5 + pick(&rng, 3000));
        if (value)
            fprintf(lp, "%u,RUB,", 50000 * (1 + pick(&rng, 80)));
        else
            fputs(",,", lp);
        fputs("lead,,,,\n", lp);
    }
    fclose(lp);
    fclose(op);
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            fclose(out);
        return -1;
    }
    char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    return fclose(out);
}

static void die(const char *what)
{
    fprintf(stderr, "%s: %s\n", what, revops_error_last()->message);
    exit(1);
}

int main(int argc, char **argv)
{
    unsigned leads = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 100000;
    unsigned reps = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 300;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    const char *dir = argc > 4 ? argv[4] : "/tmp/revops-bench-routing";
    if (leads < 1000 || reps < 2 || runs < 1 || runs > 99) {
        fprintf(stderr, "usage: bench_routing [LEADS >= 1000] [REPS] [RUNS] [DIR]\n");
        return 2;
    }
    char data[4096], db[4096], copy[4096];
    snprintf(data, sizeof(data), "%s/data", dir);
    snprintf(db, sizeof(db), "%s/store.db", dir);
    snprintf(copy, sizeof(copy), "%s/copy.db", dir);
    mkdir(dir, 0755);
    write_data(data, leads, reps);
    remove(db);
    revops_store_options so = REVOPS_STORE_OPTIONS_INIT;
    so.create = 1;
    revops_store *store;
    double t0 = now();
    if (revops_store_open(&store, db, &so) != 0)
        die("store");
    const char *paths[] = {data};
    revops_import_options io = REVOPS_IMPORT_OPTIONS_INIT;
    io.write_rejects = 0;
    revops_import_report rep;
    if (revops_import(store, paths, 1, &io, &rep) != 0 || rep.rejected)
        die("import");
    revops_import_report_free(&rep);
    double t_import = now() - t0;
    t0 = now();
    revops_dataset *ds;
    if (revops_dataset_load_store(&ds, store, NULL, NULL) != 0)
        die("load");
    double t_load = now() - t0;
    revops_config *cfg;
    if (revops_config_default(&cfg) != 0)
        die("config");
    revops_route_options ro = REVOPS_ROUTE_OPTIONS_INIT;
    if (revops_time_parse(&ro.now, "2026-03-15T12:00:00Z", 20) != 0)
        die("time");
    printf("routing benchmark: %u unassigned leads, %u reps (+30,000 owned leads, 10,000 "
           "opportunities); median of %d runs\n",
           leads, reps, runs);
    printf("  setup (once): import %.2f s, load the store %.2f s\n", t_import, t_load);

    double build[99], stored[99], memory[99], batch[99], on_store[99];
    size_t routed = 0, unroutable = 0;
    enum { SINGLE = 1000 };
    for (int k = 0; k < runs; k++) {
        revops_router *r;
        t0 = now();
        if (revops_router_new(&r, ds, cfg, &ro) != 0)
            die("router");
        build[k] = now() - t0;
        char id[32];
        t0 = now();
        for (unsigned i = 0; i < SINGLE; i++) {
            snprintf(id, sizeof(id), "U%u", 1 + i * (leads / SINGLE));
            revops_route_decision *d;
            if (revops_router_route_stored(r, store, id, &d) != 0)
                die("route stored");
            revops_route_decision_free(d);
        }
        stored[k] = (now() - t0) / SINGLE;
        t0 = now();
        for (unsigned i = 0; i < SINGLE; i++) {
            snprintf(id, sizeof(id), "U%u", 1 + i * (leads / SINGLE));
            revops_route_decision *d;
            if (revops_router_route(r, id, &d) != 0)
                die("route");
            revops_route_decision_free(d);
        }
        memory[k] = (now() - t0) / SINGLE;
        revops_router_free(r);
        if (revops_router_new(&r, ds, cfg, &ro) != 0)
            die("router");
        revops_route_batch *b;
        t0 = now();
        if (revops_router_route_unassigned(r, &b) != 0)
            die("batch");
        batch[k] = now() - t0;
        routed = b->routed;
        unroutable = b->unroutable;
        revops_route_batch_free(b);
        revops_router_free(r);
    }
    revops_store_close(store);
    for (int k = 0; k < runs; k++) {
        remove(copy);
        if (copy_file(db, copy) != 0) {
            perror(copy);
            return 1;
        }
        revops_store_options rw = REVOPS_STORE_OPTIONS_INIT;
        if (revops_store_open(&store, copy, &rw) != 0)
            die("copy");
        revops_route_batch_options bo = REVOPS_ROUTE_BATCH_OPTIONS_INIT;
        bo.route = ro;
        revops_route_batch *b;
        t0 = now();
        if (revops_route_unassigned(&b, store, cfg, &bo) != 0)
            die("batch on the store");
        on_store[k] = now() - t0;
        if (b->routed != routed)
            fprintf(stderr, "warning: the store batch routed %zu, the memory one %zu\n", b->routed,
                    routed);
        revops_route_batch_free(b);
        revops_store_close(store);
    }
    remove(copy);
    double mb = median(batch, runs);
    printf("  router build                          %10.3f ms\n", median(build, runs) * 1e3);
    printf("  one lead, store lookup included       %10.1f us\n", median(stored, runs) * 1e6);
    printf("  one lead, from memory                 %10.1f us\n", median(memory, runs) * 1e6);
    printf("  batch in memory, %u leads         %10.3f s  (%.0f leads/s; %zu routed, %zu "
           "without an eligible rep)\n",
           leads, mb, leads / mb, routed, unroutable);
    printf("  batch on the store (load+route+write) %10.3f s\n", median(on_store, runs));
    revops_config_free(cfg);
    revops_dataset_free(ds);
    return 0;
}
