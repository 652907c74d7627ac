/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "core/tasks.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/error.h"

#define MAX_THREADS 8

typedef struct task_state {
    int done;
    int rc;
    revops_error error;
} task_state;

typedef struct group {
    const revops_task *tasks;
    task_state *state;
    size_t n;
    size_t next;
    int failed;
    pthread_mutex_t lock;
    pthread_cond_t changed;
} group;

size_t revops_tasks__cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return 1;
    return n > MAX_THREADS ? MAX_THREADS : (size_t)n;
}

static void *worker(void *arg)
{
    group *g = arg;
    pthread_mutex_lock(&g->lock);
    while (g->next < g->n && !g->failed) {
        size_t i = g->next++;
        const revops_task *t = &g->tasks[i];
        while (t->after >= 0 && !g->state[t->after].done && !g->failed)
            pthread_cond_wait(&g->changed, &g->lock);
        if (g->failed)
            break;
        pthread_mutex_unlock(&g->lock);
        int rc = t->run(t->arg);
        pthread_mutex_lock(&g->lock);
        g->state[i].done = 1;
        if (rc) {
            g->state[i].rc = rc;
            g->state[i].error = *revops_error_last();
            g->failed = 1;
        }
        pthread_cond_broadcast(&g->changed);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

int revops_tasks__run(const revops_task *tasks, size_t n, size_t threads)
{
    group g;
    memset(&g, 0, sizeof(g));
    g.tasks = tasks;
    g.n = n;
    g.state = calloc(n ? n : 1, sizeof(*g.state));
    if (!g.state)
        return revops_error__oom();
    if (threads == 0)
        threads = revops_tasks__cores();
    if (threads > MAX_THREADS)
        threads = MAX_THREADS;
    if (threads > n)
        threads = n ? n : 1;
    pthread_mutex_init(&g.lock, NULL);
    pthread_cond_init(&g.changed, NULL);
    pthread_t ids[MAX_THREADS];
    size_t started = 0;
    /* Starting fewer threads than asked is slower, not wrong: the caller runs what is left. */
    for (size_t i = 1; i < threads; i++, started++)
        if (pthread_create(&ids[started], NULL, worker, &g) != 0)
            break;
    worker(&g);
    for (size_t i = 0; i < started; i++)
        pthread_join(ids[i], NULL);
    pthread_cond_destroy(&g.changed);
    pthread_mutex_destroy(&g.lock);
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (g.state[i].rc) {
            rc = g.state[i].rc;
            revops_error__restore(&g.state[i].error);
        }
    }
    free(g.state);
    return rc;
}
