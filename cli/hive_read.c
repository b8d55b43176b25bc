/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading a hive into growing buffers. */
#include "hive_read.h"

hk_status cli_key_name(hk_key *key, struct cli_buf *name)
{
    for (;;) {
        cli_buf_reserve(name, 64);
        size_t size = name->cap;
        hk_status st = hk_key_name(key, name->p, &size);
        if (st == HK_ERROR_SUCCESS) {
            name->len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        name->len = 0;
        cli_buf_reserve(name, size);
    }
}

hk_status cli_enum_value(hk_key *key, uint32_t index, struct cli_buf *name, uint32_t *type,
                         struct cli_buf *data)
{
    name->len = data->len = 0;
    cli_buf_reserve(name, 256);
    cli_buf_reserve(data, 4096);
    for (;;) {
        size_t nsize = name->cap, dsize = data->cap;
        hk_status st = hk_enum_value(key, index, name->p, &nsize, type, data->p, &dsize);
        if (st == HK_ERROR_SUCCESS) {
            name->len = nsize;
            data->len = dsize;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(name, nsize);
        cli_buf_reserve(data, dsize);
    }
}

hk_status cli_key_info(hk_key *key, struct cli_buf *class_name, hk_key_info *info)
{
    class_name->len = 0;
    cli_buf_reserve(class_name, 64);
    for (;;) {
        size_t size = class_name->cap;
        hk_status st = hk_query_info_key(key, class_name->p, &size, info);
        if (st == HK_ERROR_SUCCESS) {
            class_name->len = size;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(class_name, size);
    }
}

hk_status cli_decode_string(const void *data, size_t size, struct cli_buf *out)
{
    /* Each UTF-16 unit makes at most 3 bytes of UTF-8. */
    out->len = 0;
    cli_buf_reserve(out, size / 2 * 3 + 1);
    for (;;) {
        size_t n = out->cap;
        hk_status st = hk_decode_string(data, size, out->p, &n);
        if (st == HK_ERROR_SUCCESS) {
            /* The string is cut at its first NUL, and the size counts the
             * terminator (as hk_query_value's does). */
            out->len = strnlen(out->p, n);
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(out, n);
    }
}

hk_status cli_decode_multi_sz(const void *data, size_t size, struct cli_buf *out, size_t *count)
{
    out->len = 0;
    cli_buf_reserve(out, size / 2 * 3 + 1);
    for (;;) {
        size_t n = out->cap;
        hk_status st = hk_decode_multi_sz(data, size, out->p, &n, count);
        if (st == HK_ERROR_SUCCESS) {
            out->len = n;
            return st;
        }
        if (st != HK_ERROR_MORE_DATA)
            return st;
        cli_buf_reserve(out, n);
    }
}
