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

/* The length of the well-formed UTF-8 sequence at p (lone surrogates
 * ED A0..BF xx included: WTF-8), its code point in *cp; 0 if ill-formed. */
static size_t utf8_seq(const uint8_t *p, size_t avail, uint32_t *cp)
{
    uint8_t b = p[0], lo = 0x80, hi = 0xBF;
    size_t more;
    uint32_t v;
    if (b >= 0xC2 && b <= 0xDF) {
        more = 1;
        v = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        more = 2;
        v = b & 0x0Fu;
        if (b == 0xE0)
            lo = 0xA0;
    } else if (b >= 0xF0 && b <= 0xF4) {
        more = 3;
        v = b & 0x07u;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if (avail <= more)
        return 0;
    for (size_t k = 1; k <= more; k++) {
        if (p[k] < lo || p[k] > hi)
            return 0;
        lo = 0x80;
        hi = 0xBF;
        v = v << 6 | (p[k] & 0x3Fu);
    }
    *cp = v;
    return more + 1;
}

static const char hex_lc[] = "0123456789abcdef";

void cli_json_escape(struct cli_buf *b, const char *s, size_t n)
{
    if (n == 0)
        return; /* b->p may still be NULL: no pointer arithmetic on it */
    /* 6 output bytes per input byte at most ("\u0001", "\ufffd"). */
    cli_buf_reserve(b, 6 * n);
    char *w = b->p + b->len;
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint8_t c = *p;
        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            *w++ = (char)c;
            p++;
        } else if (c == '"' || c == '\\') {
            *w++ = '\\';
            *w++ = (char)c;
            p++;
        } else if (c < 0x20) {
            memcpy(w, "\\u00", 4);
            w[4] = hex_lc[c >> 4];
            w[5] = hex_lc[c & 15];
            w += 6;
            p++;
        } else {
            uint32_t cp = 0;
            size_t len = utf8_seq(p, (size_t)(end - p), &cp);
            if (len == 0) {
                memcpy(w, "\\ufffd", 6);
                w += 6;
                p++;
            } else if (cp >= 0xD800 && cp <= 0xDFFF) {
                /* strict parsers refuse a lone surrogate: U+FFFD, the exact
                 * units go to a *_utf16_hex field (cli_json_name) */
                memcpy(w, "\\ufffd", 6);
                w += 6;
                p += len;
            } else {
                memcpy(w, p, len);
                w += len;
                p += len;
            }
        }
    }
    b->len = (size_t)(w - b->p);
}

/* Whether s holds a lone surrogate or a byte that is not UTF-8: what JSON
 * shows as U+FFFD. */
static int json_lossy(const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint32_t cp = 0;
        size_t len = *p < 0x80 ? 1 : utf8_seq(p, (size_t)(end - p), &cp);
        if (len == 0 || (cp >= 0xD800 && cp <= 0xDFFF))
            return 1;
        p += len;
    }
    return 0;
}

/* s as UTF-16LE hex (a byte that is not UTF-8 as its own unit). */
static void utf16_hex(struct cli_buf *b, const char *s, size_t n)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    while (p < end) {
        uint32_t cp = *p;
        size_t len = *p < 0x80 ? 1 : utf8_seq(p, (size_t)(end - p), &cp);
        if (len == 0) {
            cp = *p;
            len = 1;
        }
        uint32_t units[2] = {cp, 0};
        int nu = 1;
        if (cp >= 0x10000) {
            units[0] = 0xD800 + ((cp - 0x10000) >> 10);
            units[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF);
            nu = 2;
        }
        for (int k = 0; k < nu; k++) {
            char h[4] = {hex_lc[(units[k] >> 4) & 15], hex_lc[units[k] & 15],
                         hex_lc[(units[k] >> 12) & 15], hex_lc[(units[k] >> 8) & 15]};
            cli_buf_add(b, h, 4);
        }
        p += len;
    }
}

void cli_json_name(struct cli_buf *b, const char *field, const char *s, size_t n)
{
    cli_buf_addc(b, '"');
    cli_buf_adds(b, field);
    cli_buf_add(b, "\":", 2);
    cli_json_string(b, s, n);
    if (json_lossy(s, n)) {
        cli_buf_add(b, ",\"", 2);
        cli_buf_adds(b, field);
        cli_buf_adds(b, "_utf16_hex\":\"");
        utf16_hex(b, s, n);
        cli_buf_addc(b, '"');
    }
}

void cli_json_string(struct cli_buf *b, const char *s, size_t n)
{
    cli_buf_addc(b, '"');
    cli_json_escape(b, s, n);
    cli_buf_addc(b, '"');
}

size_t cli_filetime_iso(uint64_t filetime, char out[CLI_ISO_SIZE])
{
    return hk_filetime_text(filetime, out);
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
