/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Finding, loading and replaying a hive's logs (log layer). */
#include "log/logset.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"

static const char *const suffixes[] = {".log", ".log1", ".log2"};
#define N_SUFFIXES (sizeof suffixes / sizeof suffixes[0])

static char *dup_str(const char *s, size_t n)
{
    char *p = hk_alloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Which suffix (index) s is, ignoring ASCII letter case; N_SUFFIXES if none. */
static size_t suffix_kind(const char *s)
{
    for (size_t k = 0; k < N_SUFFIXES; k++) {
        const char *want = suffixes[k];
        size_t i = 0;
        while (want[i] && s[i] && (s[i] | (s[i] >= 'A' && s[i] <= 'Z' ? 0x20 : 0)) == want[i])
            i++;
        if (!want[i] && !s[i])
            return k;
    }
    return N_SUFFIXES;
}

hk_status log_find_beside(const char *path, char **paths, size_t *n, struct diag *d)
{
    *n = 0;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t dir_len = slash ? (size_t)(slash - path) : 0, base_len = strlen(base);
    if (base_len == 0)
        return HK_ERROR_SUCCESS;
    char *dir = slash ? dup_str(path, dir_len == 0 ? 1 : dir_len) : dup_str(".", 1);
    if (!dir)
        return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for a folder name");
    DIR *dh = opendir(dir);
    hk_dealloc(dir);
    if (!dh)
        return HK_ERROR_SUCCESS;
    size_t kinds[LOG_MAX_FILES];
    hk_status st = HK_ERROR_SUCCESS;
    struct dirent *de;
    while (st == HK_ERROR_SUCCESS && *n < LOG_MAX_FILES && (de = readdir(dh)) != NULL) {
        if (strncmp(de->d_name, base, base_len) != 0)
            continue;
        size_t kind = suffix_kind(de->d_name + base_len);
        if (kind == N_SUFFIXES)
            continue;
        size_t name_len = strlen(de->d_name), keep = slash ? dir_len + 1 : 0;
        char *full = hk_alloc(keep + name_len + 1);
        if (!full) {
            st = diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for a log's name");
            break;
        }
        memcpy(full, path, keep);
        memcpy(full + keep, de->d_name, name_len + 1);
        /* Sorted by suffix, then by name: the order does not depend on the folder's. */
        size_t k = (*n)++;
        while (k > 0 && (kinds[k - 1] > kind || (kinds[k - 1] == kind && strcmp(paths[k - 1], full) > 0))) {
            paths[k] = paths[k - 1];
            kinds[k] = kinds[k - 1];
            k--;
        }
        paths[k] = full;
        kinds[k] = kind;
    }
    closedir(dh);
    return st;
}

static void note_all(struct log_state *st, const char *why)
{
    for (size_t i = 0; i < st->found; i++)
        snprintf(st->outcome.reports[i].why, LOG_WHY_SIZE, "%s", why);
}

hk_status log_open(struct file_buf *fb, const char *path, const char *const *paths, size_t n_paths,
                   bool no_logs, struct log_state *st, struct diag *d)
{
    memset(st, 0, sizeof *st);
    struct span primary = {fb->data, fb->size};
    st->dirty_at_open = log_primary_dirty(primary, NULL);
    if (no_logs)
        return HK_ERROR_SUCCESS;
    if (n_paths > LOG_MAX_FILES)
        return diag_set(d, HK_ERROR_INVALID_PARAMETER, "%zu transaction logs given, at most %u",
                        n_paths, LOG_MAX_FILES);
    hk_status s = HK_ERROR_SUCCESS;
    if (n_paths) {
        for (size_t i = 0; i < n_paths; i++) {
            if (!paths || !paths[i])
                return diag_set(d, HK_ERROR_INVALID_PARAMETER, "log path %zu is NULL", i);
            st->paths[i] = dup_str(paths[i], strlen(paths[i]));
            if (!st->paths[i])
                return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for a log's name");
            st->found = i + 1;
        }
    } else if (path) {
        s = log_find_beside(path, st->paths, &st->found, d);
        if (s != HK_ERROR_SUCCESS)
            return s;
    }
    if (st->found == 0)
        return HK_ERROR_SUCCESS;
    if (!st->dirty_at_open) {
        note_all(st, "the hive is clean: nothing to replay");
        return HK_ERROR_SUCCESS;
    }

    struct file_buf bufs[LOG_MAX_FILES];
    struct log_input in[LOG_MAX_FILES];
    char load_err[LOG_MAX_FILES][LOG_WHY_SIZE];
    memset(bufs, 0, sizeof bufs);
    for (size_t i = 0; i < st->found; i++) {
        struct diag ld = {{0}};
        load_err[i][0] = '\0';
        hk_status ls = file_load(st->paths[i], &bufs[i], &ld);
        if (ls == HK_ERROR_NOT_ENOUGH_MEMORY) {
            s = diag_set(d, ls, "%s", ld.msg);
            break;
        }
        if (ls != HK_ERROR_SUCCESS) {
            /* Given explicitly, an unreadable log is the caller's error. */
            if (n_paths) {
                s = diag_set(d, ls, "%s", ld.msg);
                break;
            }
            snprintf(load_err[i], LOG_WHY_SIZE, "%s", ld.msg);
        }
        in[i].name = st->paths[i];
        in[i].bytes.ptr = bufs[i].data;
        in[i].bytes.len = bufs[i].size;
    }
    uint8_t *image = NULL;
    size_t image_size = 0;
    if (s == HK_ERROR_SUCCESS) {
        s = log_replay(primary, in, st->found, &st->outcome, &image, &image_size, d);
        for (size_t i = 0; i < st->found; i++)
            if (load_err[i][0])
                memcpy(st->outcome.reports[i].why, load_err[i], LOG_WHY_SIZE);
    }
    for (size_t i = 0; i < st->found; i++)
        file_buf_free(&bufs[i]);
    if (s == HK_ERROR_SUCCESS && image) {
        file_buf_free(fb);
        fb->data = image;
        fb->size = image_size;
        fb->mapped = 0;
    }
    return s;
}

void log_state_free(struct log_state *st)
{
    for (size_t i = 0; i < st->found; i++) {
        hk_dealloc(st->paths[i]);
        st->paths[i] = NULL;
    }
    st->found = 0;
}
