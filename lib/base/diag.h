/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Detail messages for failures (base layer): the calling thread's detail of
 * its last failed public call (hk_errmsg), and local buffers for text that
 * becomes part of another (a log's note). */
#ifndef HK_BASE_DIAG_H
#define HK_BASE_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

#define DIAG_MSG_SIZE 256u

/* The thread's detail holds the longest one a call writes: an import's
 * list of up to 20 errors, each a position, a status name and a hive's
 * detail (at most DIAG_MSG_SIZE), and the "more errors follow" line. */
#define DIAG_DETAIL_SIZE 8192u

struct diag {
    char msg[DIAG_MSG_SIZE];
};

/* Where a detail goes: a struct diag *d is NULL (nowhere: speculative
 * decoding), DIAG_DETAIL (the calling thread's detail, what hk_errmsg
 * returns) or a local buffer. DIAG_DETAIL is a tag that is never written
 * through: the functions below resolve it. */
extern const struct diag diag_detail_tag;
#define DIAG_DETAIL ((struct diag *)&diag_detail_tag)

/* The calling thread's detail: "" when the last public call succeeded. */
const char *diag_detail(void);

/* Every fallible public call starts here: the detail belongs to one call. */
void diag_detail_clear(void);

/* While muted (nestable), DIAG_DETAIL writes nowhere: a speculative use of
 * code that reports through it (a carve candidate's open). */
void diag_mute(bool on);

/* The buffer d stands for (NULL while DIAG_DETAIL is muted, or d NULL) and
 * its size. */
char *diag_buf(struct diag *d);
size_t diag_size(const struct diag *d);

/* Formats the detail into d (d may be NULL) and returns status, so that a
 * failure reads `return diag_set(d, HK_ERROR_X, "...")`. Not for corruption:
 * that goes through HK_CORRUPT. An argument may be the text d holds (it is
 * formatted aside first). */
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

/* BADDB, the detail in d (may be NULL). */
#define HK_CORRUPT(d, cell, ...) \
    HK_CORRUPT_TO(HK_ERROR_BADDB, diag_buf(d), diag_size(d), (cell), __VA_ARGS__)
/* NOT_REGISTRY_FILE: the file is no hive at all (its base block says so). */
#define HK_NOT_HIVE(d, ...) \
    HK_CORRUPT_TO(HK_ERROR_NOT_REGISTRY_FILE, diag_buf(d), diag_size(d), DIAG_NO_CELL, \
                  __VA_ARGS__)
/* BADDB, the detail in the char array why (a log's report). */
#define HK_CORRUPT_WHY(why, ...) \
    HK_CORRUPT_TO(HK_ERROR_BADDB, (why), sizeof(why), DIAG_NO_CELL, __VA_ARGS__)

#endif
