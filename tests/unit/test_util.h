/*
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers shared by the unit tests: temporary folders and whole-file reads and writes.
 */
#ifndef REVOPS_TEST_UTIL_H
#define REVOPS_TEST_UTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Creates a fresh folder under /tmp; returns a malloc'd path (abort()s the test on failure). */
static inline char *test_tmpdir(void)
{
    char tmpl[] = "/tmp/revops-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    if (!dir) {
        perror("mkdtemp");
        abort();
    }
    char *copy = malloc(strlen(dir) + 1);
    if (!copy)
        abort();
    memcpy(copy, dir, strlen(dir) + 1);
    return copy;
}

/* dir + "/" + name, in a static buffer per call site's use (copy it to keep it). */
static inline const char *test_path(char *buf, size_t cap, const char *dir, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

static inline void test_write(const char *dir, const char *name, const char *text)
{
    char path[1024];
    test_path(path, sizeof(path), dir, name);
    FILE *fp = fopen(path, "wb");
    if (!fp) {
        perror(path);
        abort();
    }
    fwrite(text, 1, strlen(text), fp);
    fclose(fp);
}

/* Reads a whole file into a malloc'd NUL-terminated string, or NULL when it is missing. */
static inline char *test_read(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        abort();
    size_t got = fread(buf, 1, (size_t)n, fp);
    buf[got] = '\0';
    fclose(fp);
    return buf;
}

/* Removes a folder and the files in it (tests make no subfolders). */
static inline void test_rmdir(char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char path[1024];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

#endif
