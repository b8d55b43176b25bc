/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Corpus files inflated, gzip files read and written (see log_corpus.h). */
#include "log_corpus.h"

#include "files.h"
#include "tempdir.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

void lc_inflate_to(const char *gz, const char *plain)
{
    gzFile in = gzopen(gz, "rb"); /* reads plain files as they are */
    ck_assert_msg(in != NULL, "cannot open %s", gz);
    FILE *out = fopen(plain, "wb");
    ck_assert_msg(out != NULL, "cannot create %s", plain);
    static char chunk[1 << 16];
    int got;
    while ((got = gzread(in, chunk, sizeof chunk)) > 0)
        ck_assert_uint_eq(fwrite(chunk, 1, (size_t)got, out), (size_t)got);
    ck_assert_msg(got == 0, "cannot read %s", gz);
    ck_assert_int_eq(fclose(out), 0);
    gzclose(in);
}

char *lc_inflate(const char *src_dir, const char *rel, const char *dir, const char *name)
{
    char *src = path_join(src_dir, rel);
    char *dst = path_join(dir, name);
    lc_inflate_to(src, dst);
    free(src);
    return dst;
}

uint8_t *lc_gzip(const void *data, size_t n, size_t *out_len)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    ck_assert_int_eq(deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY),
                     Z_OK);
    ck_assert_uint_lt(n, 1u << 30);
    size_t cap = deflateBound(&zs, (uLong)n) + 64;
    uint8_t *out = malloc(cap);
    ck_assert_ptr_nonnull(out);
    zs.next_in = (Bytef *)(uintptr_t)data;
    zs.avail_in = (uInt)n;
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    ck_assert_int_eq(deflate(&zs, Z_FINISH), Z_STREAM_END);
    *out_len = zs.total_out;
    deflateEnd(&zs);
    return out;
}

void lc_write_gz(const char *path, const void *data, size_t n)
{
    size_t len;
    uint8_t *gz = lc_gzip(data, n, &len);
    spit(path, gz, len);
    free(gz);
}
