/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Temporary folders and files (see tempdir.h). */
#define _XOPEN_SOURCE 700
#include "tempdir.h"

#include "files.h"

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* $TMPDIR/hk-TAG-XXXXXX (owned), for mkdtemp or mkstemp. */
static char *template_of(const char *tag)
{
    const char *t = getenv("TMPDIR");
    size_t cap = 4096;
    char *name = malloc(cap);
    ck_assert_ptr_nonnull(name);
    int n = snprintf(name, cap, "%s/hk-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    ck_assert(n > 0 && (size_t)n < cap);
    return name;
}

char *tempdir_new(const char *tag)
{
    char *dir = template_of(tag);
    ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp %s", dir);
    return dir;
}

char *tempfile_new(const char *tag, const void *data, size_t len)
{
    char *path = template_of(tag);
    int fd = mkstemp(path);
    ck_assert_msg(fd >= 0, "mkstemp %s", path);
    ck_assert_int_eq(close(fd), 0);
    spit(path, data, len);
    return path;
}

static bool g_remove_failed;

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DNR || flag == FTW_NS || remove(path) != 0)
        g_remove_failed = true; /* and goes on with the rest */
    return 0;
}

bool tempdir_remove(char *dir)
{
    /* depth first (a folder after what it holds), links not followed */
    g_remove_failed = false;
    bool ok = nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 && !g_remove_failed;
    free(dir);
    return ok;
}

char *path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}
