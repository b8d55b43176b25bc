/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Temporary folders and corpus files for the transaction-log suites. */
#include "log_corpus.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

char *lc_tempdir(const char *tag)
{
    const char *t = getenv("TMPDIR");
    size_t cap = 4096;
    char *dir = malloc(cap);
    ck_assert_ptr_nonnull(dir);
    snprintf(dir, cap, "%s/hk-%s-XXXXXX", t && *t ? t : "/tmp", tag);
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

void lc_rmdir(char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            char *p = lc_path(dir, de->d_name);
            unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

char *lc_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

uint8_t *lc_read(const char *path, size_t *n)
{
    gzFile gz = gzopen(path, "rb"); /* reads plain files as they are */
    ck_assert_msg(gz != NULL, "cannot open %s", path);
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        int got = gzread(gz, buf + len, (unsigned)(cap - len > (1u << 30) ? 1u << 30 : cap - len));
        ck_assert_msg(got >= 0, "cannot read %s", path);
        if (got == 0)
            break;
        len += (size_t)got;
    }
    gzclose(gz);
    *n = len;
    return buf;
}

void lc_write(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(data, 1, n, fp), n);
    ck_assert_int_eq(fclose(fp), 0);
}

char *lc_inflate(const char *src_dir, const char *rel, const char *dir, const char *name)
{
    char *src = lc_path(src_dir, rel);
    size_t n;
    uint8_t *bytes = lc_read(src, &n);
    char *dst = lc_path(dir, name);
    lc_write(dst, bytes, n);
    free(bytes);
    free(src);
    return dst;
}
