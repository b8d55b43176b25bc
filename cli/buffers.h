/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Growable byte buffers, the buffered standard output, and whole-file
 * input. Out of memory ends the process with status 2. */
#ifndef HIVEKIT_CLI_BUFFERS_H
#define HIVEKIT_CLI_BUFFERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hivekit.h"

struct cli_buf {
    char *p;
    size_t len, cap;
};

/* Makes room for n more bytes; exits the process with status 2 when memory
 * runs out (nothing useful can follow). */
void cli_buf_grow(struct cli_buf *b, size_t n);

static inline void cli_buf_reserve(struct cli_buf *b, size_t n)
{
    if (b->cap - b->len < n)
        cli_buf_grow(b, n);
}

static inline void cli_buf_add(struct cli_buf *b, const void *s, size_t n)
{
    cli_buf_reserve(b, n);
    if (n)
        memcpy(b->p + b->len, s, n);
    b->len += n;
}

static inline void cli_buf_addc(struct cli_buf *b, char c)
{
    cli_buf_reserve(b, 1);
    b->p[b->len++] = c;
}

static inline void cli_buf_adds(struct cli_buf *b, const char *s)
{
    cli_buf_add(b, s, strlen(s));
}

void cli_buf_free(struct cli_buf *b);

/* Decimal digits of v. */
void cli_buf_u64(struct cli_buf *b, uint64_t v);

/* n bytes of a name or data as text output shows them: controls and what
 * is not UTF-8 escaped (hk_text_escape). */
static inline void cli_buf_add_text(struct cli_buf *b, const char *s, size_t n)
{
    if (n == 0)
        return;
    cli_buf_reserve(b, HK_TEXT_ESCAPE_MAX(n));
    b->len += hk_text_escape(s, n, b->p + b->len);
}

/* ---- the output buffer ------------------------------------------------ */

/* Bytes collect in buf and go to fp in large fwrite calls. */
struct cli_out {
    struct cli_buf buf;
    FILE *fp;
    int err; /* errno of the first failed write, 0 if none */
};

#define CLI_OUT_CHUNK ((size_t)1 << 20)

void cli_out_init(struct cli_out *o, FILE *fp);
/* Writes everything collected; returns 0 or the errno of a failure. */
int cli_out_flush(struct cli_out *o);

/* Writes the buffer once it holds a chunk's worth. */
static inline void cli_out_step(struct cli_out *o)
{
    if (o->buf.len >= CLI_OUT_CHUNK)
        cli_out_flush(o);
}

/* Flushes, frees the buffer and fflush()es fp; returns 0 or an errno. */
int cli_out_close(struct cli_out *o);

/* An hk_write_fn writing to the FILE * ctx: 0, or -1 when fwrite fails. */
int cli_write_fp(void *ctx, const void *data, size_t size);

/* Reads the whole file at path ("-": standard input) into out. On failure
 * prints the reason and returns CLI_EXIT_ERROR. */
int cli_read_file(const char *path, struct cli_buf *out);

#endif
