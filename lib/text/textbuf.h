/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A growable byte buffer for the text formats (text layer). A failed
 * allocation is sticky: later additions do nothing and textbuf_status says
 * NOT_ENOUGH_MEMORY, so writers check once at the end of a step. */
#ifndef HK_TEXT_TEXTBUF_H
#define HK_TEXT_TEXTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "hivekit.h"

struct textbuf {
    uint8_t *p;
    size_t len, cap;
    bool oom;
};

/* Makes room for n more bytes; false (and oom set) when memory runs out. */
bool textbuf_grow(struct textbuf *b, size_t n);

static inline bool textbuf_reserve(struct textbuf *b, size_t n)
{
    return b->cap - b->len >= n || textbuf_grow(b, n);
}

static inline void textbuf_add(struct textbuf *b, const void *s, size_t n)
{
    if (n && textbuf_reserve(b, n)) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    }
}

static inline void textbuf_addc(struct textbuf *b, char c)
{
    if (textbuf_reserve(b, 1))
        b->p[b->len++] = (uint8_t)c;
}

static inline void textbuf_adds(struct textbuf *b, const char *s)
{
    textbuf_add(b, s, strlen(s));
}

/* Lowercase hex of v without padding ("%x"). */
void textbuf_hex(struct textbuf *b, uint64_t v);

/* Decimal digits of v. */
void textbuf_u64(struct textbuf *b, uint64_t v);

/* n bytes as 2n lowercase hex digits. */
void textbuf_hex_bytes(struct textbuf *b, const uint8_t *s, size_t n);

static inline hk_status textbuf_status(const struct textbuf *b)
{
    return b->oom ? HK_ERROR_NOT_ENOUGH_MEMORY : HK_ERROR_SUCCESS;
}

void textbuf_free(struct textbuf *b);

#endif
