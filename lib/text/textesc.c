/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Escaping of names and data for text and JSON output (text layer). */
#include "text/textesc.h"

#include <stdint.h>
#include <string.h>

static const char hex[] = "0123456789abcdef";

/* The length of the UTF-8 sequence at p (WTF-8 surrogates included), its
 * code point in *cp; 0 when ill-formed. */
static size_t seq_len(const uint8_t *p, size_t avail, uint32_t *cp)
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

size_t text_escape(const char *s, size_t n, char *out)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    char *w = out;
    while (p < end) {
        uint8_t c = *p;
        if (c >= 0x20 && c < 0x7F) {
            *w++ = (char)c;
            p++;
            continue;
        }
        uint32_t cp = 0;
        size_t len = c >= 0x80 ? seq_len(p, (size_t)(end - p), &cp) : 0;
        if (len == 0) { /* a C0 control, DEL, or a byte that is not UTF-8 */
            w[0] = '\\';
            w[1] = 'x';
            w[2] = hex[c >> 4];
            w[3] = hex[c & 15];
            w += 4;
            p++;
        } else if ((cp >= 0x80 && cp <= 0x9F) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            w[0] = '\\';
            w[1] = 'u';
            for (int k = 0; k < 4; k++)
                w[2 + k] = hex[(cp >> (12 - 4 * k)) & 15];
            w += 6;
            p += len;
        } else {
            memcpy(w, p, len);
            w += len;
            p += len;
        }
    }
    return (size_t)(w - out);
}

size_t json_escape(const char *s, size_t n, char *out, int *lossy)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    char *w = out;
    int lost = 0;
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
            w[4] = hex[c >> 4];
            w[5] = hex[c & 15];
            w += 6;
            p++;
        } else {
            uint32_t cp = 0;
            size_t len = seq_len(p, (size_t)(end - p), &cp);
            if (len == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                /* not UTF-8, or a lone surrogate strict parsers refuse */
                memcpy(w, "\\ufffd", 6);
                w += 6;
                p += len ? len : 1;
                lost = 1;
            } else {
                memcpy(w, p, len);
                w += len;
                p += len;
            }
        }
    }
    if (lossy)
        *lossy = lost;
    return (size_t)(w - out);
}

size_t utf16_hex(const char *s, size_t n, char *out)
{
    const uint8_t *p = (const uint8_t *)s, *end = p + n;
    char *w = out;
    while (p < end) {
        uint32_t cp = *p;
        size_t len = *p < 0x80 ? 1 : seq_len(p, (size_t)(end - p), &cp);
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
            w[0] = hex[(units[k] >> 4) & 15];
            w[1] = hex[units[k] & 15];
            w[2] = hex[(units[k] >> 12) & 15];
            w[3] = hex[(units[k] >> 8) & 15];
            w += 4;
        }
        p += len;
    }
    return (size_t)(w - out);
}
