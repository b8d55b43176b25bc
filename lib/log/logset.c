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

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 0x20 : c;
}

/* Whether a and b agree on n bytes ignoring ASCII letter case. */
static int same_nocase(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return 0;
    return 1;
}

/* How well a found name matches: the hive's name exactly first, then the
 * suffix as Windows writes it (".LOG1"), then by name. */
struct found {
    char *path;
    size_t kind;
    int exact_base, upper_suffix;
};

static int better(const struct found *a, const struct found *b)
{
    if (a->kind != b->kind)
        return a->kind < b->kind;
    if (a->exact_base != b->exact_base)
        return a->exact_base;
    if (a->upper_suffix != b->upper_suffix)
        return a->upper_suffix;
    return strcmp(a->path, b->path) < 0;
}

static int suffix_upper(const char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            return 0;
    return 1;
}

hk_status log_find_beside(const char *path, char **paths, size_t *n, size_t *n_used, size_t *twin,
                          struct diag *d)
{
    *n = *n_used = 0;
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
    struct found f[LOG_MAX_FILES];
    size_t nf = 0;
    hk_status st = HK_ERROR_SUCCESS;
    struct dirent *de;
    while (nf < LOG_MAX_FILES && (de = readdir(dh)) != NULL) {
        /* Windows names are case-insensitive: NTUSER.DAT has ntuser.dat.LOG1. */
        if (strlen(de->d_name) <= base_len || !same_nocase(de->d_name, base, base_len))
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
        struct found cur = {full, kind, memcmp(de->d_name, base, base_len) == 0,
                            suffix_upper(de->d_name + base_len)};
        /* Kept in order: the order does not depend on the folder's. */
        size_t k = nf++;
        while (k > 0 && better(&cur, &f[k - 1])) {
            f[k] = f[k - 1];
            k--;
        }
        f[k] = cur;
    }
    closedir(dh);
    if (st != HK_ERROR_SUCCESS) {
        for (size_t i = 0; i < nf; i++)
            hk_dealloc(f[i].path);
        return st;
    }
    /* The best of each suffix is used; the others (their names differ only
     * in letter case from it) go last, each naming the one used. */
    size_t used[LOG_MAX_FILES], nu = 0;
    for (size_t i = 0; i < nf; i++)
        if (i == 0 || f[i].kind != f[i - 1].kind)
            used[nu++] = i;
    for (size_t u = 0; u < nu; u++)
        paths[(*n)++] = f[used[u]].path;
    *n_used = nu;
    for (size_t i = 0, u = 0; i < nf; i++) {
        if (u < nu && used[u] == i) {
            u++;
            continue;
        }
        twin[*n] = u - 1; /* the used one of its suffix: the last used before it */
        paths[(*n)++] = f[i].path;
    }
    return HK_ERROR_SUCCESS;
}

/* "ignored: its name differs only in letter case from X, which ..." */
static void note_ignored(struct log_state *st, const char *base)
{
    size_t base_len = strlen(base);
    for (size_t i = st->used; i < st->found; i++) {
        const char *twin = st->paths[st->twin[i]];
        const char *slash = strrchr(twin, '/');
        const char *name = slash ? slash + 1 : twin;
        int exact = strncmp(name, base, base_len) == 0;
        snprintf(st->ignored_why[i], LOG_WHY_SIZE, "ignored: its name differs only in letter case "
                 "from %s, which %s", name, exact ? "matches the hive's name exactly" : "was used");
    }
}

static void note_all(struct log_state *st, const char *why)
{
    for (size_t i = 0; i < st->used; i++)
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
        st->used = n_paths;
    } else if (path) {
        s = log_find_beside(path, st->paths, &st->found, &st->used, st->twin, d);
        if (s != HK_ERROR_SUCCESS)
            return s;
        const char *slash = strrchr(path, '/');
        note_ignored(st, slash ? slash + 1 : path);
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
    for (size_t i = 0; i < st->used; i++) {
        struct diag ld = {{0}};
        load_err[i][0] = '\0';
        hk_status ls = file_load(st->paths[i], 0, &bufs[i], &ld);
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
        s = log_replay(primary, in, st->used, &st->outcome, &image, &image_size, d);
        for (size_t i = 0; i < st->used; i++)
            if (load_err[i][0])
                memcpy(st->outcome.reports[i].why, load_err[i], LOG_WHY_SIZE);
    }
    for (size_t i = 0; i < st->used; i++)
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
