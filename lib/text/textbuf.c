/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growable byte buffer with a sticky allocation failure (text layer). */
#include "text/textbuf.h"

#include "base/alloc.h"

bool textbuf_grow(struct textbuf *b, size_t n)
{
    if (b->oom)
        return false;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n) {
        if (cap > SIZE_MAX / 2) {
            b->oom = true;
            return false;
        }
        cap *= 2;
    }
    uint8_t *p = hk_big_realloc(b->p, b->cap, cap);
    if (!p) {
        b->oom = true;
        return false;
    }
    b->p = p;
    b->cap = hk_big_cap(cap);
    return true;
}

static const char hex_digits[] = "0123456789abcdef";

void textbuf_hex(struct textbuf *b, uint64_t v)
{
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = hex_digits[v & 0xF];
        v >>= 4;
    } while (v);
    if (!textbuf_reserve(b, n))
        return;
    while (n)
        b->p[b->len++] = (uint8_t)tmp[--n];
}

void textbuf_u64(struct textbuf *b, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    if (!textbuf_reserve(b, n))
        return;
    while (n)
        b->p[b->len++] = (uint8_t)tmp[--n];
}

void textbuf_hex_bytes(struct textbuf *b, const uint8_t *s, size_t n)
{
    if (n > SIZE_MAX / 2 || !textbuf_reserve(b, 2 * n))
        return;
    uint8_t *d = b->p + b->len;
    for (size_t i = 0; i < n; i++) {
        d[2 * i] = (uint8_t)hex_digits[s[i] >> 4];
        d[2 * i + 1] = (uint8_t)hex_digits[s[i] & 0xF];
    }
    b->len += 2 * n;
}

void textbuf_free(struct textbuf *b)
{
    hk_big_free(b->p, b->cap);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = false;
}
