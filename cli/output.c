/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Text encodings of the outputs. */
#include "output.h"

#include <stdio.h>

#include "hive_read.h"

static char hex_pairs[2][512];
static int hex_ready;

static void hex_init(void)
{
    static const char digits[2][17] = {"0123456789abcdef", "0123456789ABCDEF"};
    for (int c = 0; c < 2; c++)
        for (unsigned v = 0; v < 256; v++) {
            hex_pairs[c][2 * v] = digits[c][v >> 4];
            hex_pairs[c][2 * v + 1] = digits[c][v & 15];
        }
    hex_ready = 1;
}

static char *hex_encode(int upper, char *dst, const uint8_t *src, size_t n)
{
    if (!hex_ready)
        hex_init();
    const char *t = hex_pairs[upper];
    for (size_t i = 0; i < n; i++)
        memcpy(dst + 2 * i, t + 2 * (size_t)src[i], 2);
    return dst + 2 * n;
}

char *cli_hex_lower(char *dst, const uint8_t *src, size_t n)
{
    return hex_encode(0, dst, src, n);
}

char *cli_hex_upper(char *dst, const uint8_t *src, size_t n)
{
    return hex_encode(1, dst, src, n);
}

void cli_json_escape(struct cli_buf *b, const char *s, size_t n, int *lossy)
{
    if (lossy)
        *lossy = 0;
    if (n == 0)
        return; /* b->p may still be NULL: no pointer arithmetic on it */
    cli_buf_reserve(b, HK_JSON_ESCAPE_MAX(n));
    b->len += hk_json_escape(s, n, b->p + b->len, lossy);
}

void cli_json_name(struct cli_buf *b, const char *field, const char *s, size_t n)
{
    int lossy;
    cli_buf_addc(b, '"');
    cli_buf_adds(b, field);
    cli_buf_add(b, "\":\"", 3);
    cli_json_escape(b, s, n, &lossy);
    cli_buf_addc(b, '"');
    if (lossy) {
        cli_buf_add(b, ",\"", 2);
        cli_buf_adds(b, field);
        cli_buf_adds(b, "_utf16_hex\":\"");
        cli_buf_reserve(b, HK_UTF16_HEX_MAX(n));
        b->len += hk_utf16_hex(s, n, b->p + b->len);
        cli_buf_addc(b, '"');
    }
}

void cli_json_string(struct cli_buf *b, const char *s, size_t n)
{
    cli_buf_addc(b, '"');
    cli_json_escape(b, s, n, NULL);
    cli_buf_addc(b, '"');
}

const char *cli_type_name(uint32_t type, char scratch[CLI_TYPE_NAME_SIZE])
{
    const char *name = hk_type_name(type);
    if (name)
        return name;
    snprintf(scratch, CLI_TYPE_NAME_SIZE, "REG_0x%X", type);
    return scratch;
}

static void add_u64_hex(struct cli_buf *b, uint64_t v)
{
    char tmp[24];
    int n = snprintf(tmp, sizeof tmp, "0x%llx", (unsigned long long)v);
    cli_buf_add(b, tmp, (size_t)n);
}

static void add_hex_upper(struct cli_buf *b, const struct cli_buf *data)
{
    cli_buf_reserve(b, 2 * data->len);
    cli_hex_upper(b->p + b->len, (const uint8_t *)data->p, data->len);
    b->len += 2 * data->len;
}

hk_status cli_reg_data(struct cli_buf *b, struct cli_buf *text, uint32_t type, const char *data,
                       size_t size)
{
    const struct cli_buf dd = {(char *)(uintptr_t)data, size, size};
    const struct cli_buf *d = &dd;
    const uint8_t *u = (const uint8_t *)d->p;
    size_t count;
    hk_status st;
    switch (type) {
    case HK_REG_SZ:
    case HK_REG_EXPAND_SZ:
        st = cli_decode_string(d->p, d->len, text);
        if (st == HK_ERROR_SUCCESS)
            cli_buf_add(b, text->p, text->len);
        return st;
    case HK_REG_MULTI_SZ:
        st = cli_decode_multi_sz(d->p, d->len, text, &count);
        if (st != HK_ERROR_SUCCESS)
            return st;
        /* Items are NUL-terminated back to back: join them with "\0". */
        for (size_t i = 0, start = 0; i < count; i++) {
            size_t len = strlen(text->p + start);
            if (i > 0)
                cli_buf_add(b, "\\0", 2);
            cli_buf_add(b, text->p + start, len);
            start += len + 1;
        }
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD:
        add_u64_hex(b, hk_decode_dword(d->p, d->len));
        return HK_ERROR_SUCCESS;
    case HK_REG_QWORD:
        add_u64_hex(b, hk_decode_qword(d->p, d->len));
        return HK_ERROR_SUCCESS;
    case HK_REG_DWORD_BIG_ENDIAN:
        if (d->len == 4) {
            add_u64_hex(b, (uint32_t)u[0] << 24 | (uint32_t)u[1] << 16 | (uint32_t)u[2] << 8 | u[3]);
            return HK_ERROR_SUCCESS;
        }
        add_hex_upper(b, d);
        return HK_ERROR_SUCCESS;
    default:
        add_hex_upper(b, d);
        return HK_ERROR_SUCCESS;
    }
}
