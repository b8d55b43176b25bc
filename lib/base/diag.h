/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Detail messages for failures: one fixed buffer per hive (base layer). */
#ifndef HK_BASE_DIAG_H
#define HK_BASE_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

#define DIAG_MSG_SIZE 256u

struct diag {
    char msg[DIAG_MSG_SIZE];
};

/* Formats the detail into d (d may be NULL) and returns status, so that a
 * failure reads `return diag_set(d, HK_ERROR_X, "...")`. Not for corruption:
 * that goes through HK_CORRUPT. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
hk_status diag_set(struct diag *d, hk_status status, const char *fmt, ...);

void diag_clear(struct diag *d);

/* ---- corruption: SQLite's SQLITE_CORRUPT_BKPT pattern ------------------
 * Every place that finds a rule of the format broken reads
 *     return HK_CORRUPT(d, cell, "rule broken, with the values found", ...);
 * The macro records the detail (out of line, cold) and is, as an
 * expression, the constant HK_ERROR_BADDB, which the compiler sees at the
 * call site (it knows the call fails, and that out-parameters are not set).
 * cell: the offset of the cell or bin at fault, relative to the first hive
 * bin (the detail then reads "corrupt hive at offset 0x.. (file offset
 * 0x..): rule"), or DIAG_NO_CELL when the rule names its own place (a base
 * block field, a log entry). */
#define DIAG_NO_CELL UINT32_MAX
#define DIAG_CELL_ORIGIN 4096u /* file offset cell offsets count from (the first bin) */

#if defined(__GNUC__)
__attribute__((cold, format(printf, 4, 5)))
#endif
void diag_corrupt(char *buf, size_t size, uint32_t cell, const char *fmt, ...);

/* The one macro behind the spellings below: records into size bytes at buf
 * (NULL: nowhere) and yields status. */
#define HK_CORRUPT_TO(status, buf, size, cell, ...) \
    (diag_corrupt((buf), (size), (cell), __VA_ARGS__), (hk_status)(status))

static inline char *diag_buf(struct diag *d)
{
    return d ? d->msg : NULL;
}

/* BADDB, the detail in d (may be NULL). */
#define HK_CORRUPT(d, cell, ...) \
    HK_CORRUPT_TO(HK_ERROR_BADDB, diag_buf(d), DIAG_MSG_SIZE, (cell), __VA_ARGS__)
/* NOT_REGISTRY_FILE: the file is no hive at all (its base block says so). */
#define HK_NOT_HIVE(d, ...) \
    HK_CORRUPT_TO(HK_ERROR_NOT_REGISTRY_FILE, diag_buf(d), DIAG_MSG_SIZE, DIAG_NO_CELL, __VA_ARGS__)
/* BADDB, the detail in the char array why (a log's report). */
#define HK_CORRUPT_WHY(why, ...) \
    HK_CORRUPT_TO(HK_ERROR_BADDB, (why), sizeof(why), DIAG_NO_CELL, __VA_ARGS__)

#endif
