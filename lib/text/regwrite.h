/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The .reg writer (text layer): regedit's version 5 format or REGEDIT4, one
 * key line or value line at a time, encoded as UTF-16LE (with BOM), UTF-8 or
 * Windows-1252, CRLF line ends. Every value is written so that an import
 * restores its exact bytes: a value the string or dword form would change
 * goes out as hex(N). */
#ifndef HK_TEXT_REGWRITE_H
#define HK_TEXT_REGWRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"
#include "base/diag.h"
#include "text/textbuf.h"

struct regwrite {
    bool v4;              /* REGEDIT4 rules (ANSI strings in hex(1/2/7)) */
    uint32_t encoding;    /* HK_ENCODING_UTF16LE, _UTF8 or _CP1252 */
    hk_write_fn write;
    void *ctx;
    struct textbuf text;  /* whole lines of UTF-8 not yet written */
    struct textbuf enc;   /* the encoded bytes of one flush */
    struct textbuf tmp;   /* scratch for one value */
    uint16_t *units;      /* scratch UTF-16 units */
    size_t units_cap;
    bool stopped;         /* write asked to stop: it is not called again */
};

/* Sets w up and writes the BOM (UTF-16LE) and the header line. encoding 0
 * picks the dialect's own: UTF-16LE for v5, Windows-1252 for REGEDIT4. */
hk_status regw_init(struct regwrite *w, bool v4, uint32_t encoding, hk_write_fn write, void *ctx);

/* A blank line then "[path]" or "[-path]" (deletion). path is UTF-8. */
hk_status regw_key(struct regwrite *w, const char *path, size_t path_len, bool deletion);

/* One value line: "name"= (or @= for the empty name) and the data. */
hk_status regw_value(struct regwrite *w, const char *name, size_t name_len, uint32_t type,
                     const uint8_t *data, size_t size);

/* "name"=- (or @=-). */
hk_status regw_delete_value(struct regwrite *w, const char *name, size_t name_len);

/* Writes what is buffered when there is a lot of it (force: all of it). */
hk_status regw_flush(struct regwrite *w, bool force);

/* The final blank line and a flush. */
hk_status regw_finish(struct regwrite *w);

void regw_free(struct regwrite *w);

#endif
