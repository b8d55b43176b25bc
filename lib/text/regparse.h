/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .reg parser (text layer): a whole file into a list of operations, or
 * the line, column and reason of the first thing wrong. Nothing is applied
 * here, so a caller can refuse a bad file before it touches a hive.
 *
 * Encodings: UTF-16LE or UTF-16BE with a BOM, UTF-8 with or without BOM,
 * the whole file possibly gzip-compressed;
 * without a BOM a REGEDIT4 file is Windows-1252 and a version 5 file UTF-8.
 * Columns count characters from 1. */
#ifndef HK_TEXT_REGPARSE_H
#define HK_TEXT_REGPARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"
#include "text/textbuf.h"

enum regop_kind { REGOP_KEY, REGOP_DELETE_KEY, REGOP_VALUE, REGOP_DELETE_VALUE };

struct regop {
    enum regop_kind kind;
    uint32_t line, column; /* where the key path or the value name starts */
    uint32_t type;         /* REGOP_VALUE */
    size_t text_off;       /* key path or value name: UTF-8 + NUL in the pool */
    size_t text_len;
    size_t data_off;       /* REGOP_VALUE: the bytes to store, in the pool */
    size_t data_len;
};

/* At most this many errors are kept of one file (more_errors says when
 * there were more). */
#define REGPARSE_MAX_ERRORS 20

struct regerr {
    uint32_t line, column;
    char msg[160];
};

struct regfile {
    bool v4;               /* REGEDIT4 header */
    struct regop *ops;
    size_t count, cap;
    struct textbuf pool;
    uint32_t err_line, err_column; /* of the first syntax error */
    char err[160];
    /* every syntax error, in line order (the first is err above): after a
     * bad line the parser goes on with the next one that is not its
     * continuation */
    struct regerr errs[REGPARSE_MAX_ERRORS];
    size_t n_errs;
    bool more_errors;
};

/* Parses size bytes (first_key_only: up to the first key line and no
 * further, which is as far as the text is decoded; the encoding is checked
 * whole). INVALID_DATA with err_line, err_column and err set for a bad
 * file (and errs[] for every bad line); NOT_ENOUGH_MEMORY. Release with
 * regfile_free either way. */
hk_status regparse(const void *text, size_t size, struct regfile *out, bool first_key_only);

void regfile_free(struct regfile *f);

static inline const char *regop_text(const struct regfile *f, const struct regop *op)
{
    return (const char *)f->pool.p + op->text_off;
}

#endif
