/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Transaction-log replay (log layer): the dirty state of a primary file,
 * which logs Windows would use, and the file they produce.
 *
 * Everything here works on bytes in memory; lib/log/logset.c finds and
 * loads the files. A log is hostile input like a hive: every offset and
 * length is checked, every loop is bounded by the log's size, and the
 * replayed file never grows by more than the logs' own bytes.
 */
#ifndef HK_LOG_REPLAY_H
#define HK_LOG_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "base/span.h"
#include "hive/format.h"

#define LOG_MAX_FILES 8u      /* candidate logs considered at once */
/* a log's note holds any diag message whole (a log's load error becomes its note) */
#define LOG_WHY_SIZE DIAG_MSG_SIZE

enum log_format { LOG_FORMAT_NONE = 0, LOG_FORMAT_OLD = 1, LOG_FORMAT_NEW = 2 };

/* One candidate log, loaded. */
struct log_input {
    const char *name; /* for messages */
    struct span bytes;
};

/* What became of one candidate. */
struct log_report {
    enum log_format format; /* NONE: not a usable log (why says which rule) */
    uint32_t sequence;      /* its base block's sequence number */
    bool applied;
    uint32_t entries;       /* log entries applied (an old-format log counts 1) */
    uint32_t pages;         /* dirty page runs applied */
    uint32_t last_seq;      /* sequence number of the last entry applied */
    char why[LOG_WHY_SIZE]; /* unusable: why; applied: where replay stopped early ("" at the end) */
};

struct log_outcome {
    bool dirty;             /* the primary was dirty: sequences differ or bad checksum */
    bool base_from_log;     /* its base block was bad and came from a log */
    enum log_format format; /* of the logs applied */
    uint32_t applied;       /* logs applied */
    uint32_t entries, pages;
    uint32_t sequence;      /* both sequence numbers of the result */
    struct log_report reports[LOG_MAX_FILES];
};

/* The new file: owned bytes that can grow. limit bounds its size. */
struct log_image {
    uint8_t *data;
    size_t size, cap;
    size_t limit;
};

/* Grows im to at least size bytes (new bytes zero); BADDB naming who past
 * the limit. */
hk_status log_image_reserve(struct log_image *im, uint64_t size, const char *who, struct diag *d);

/* Whether a primary's base block (the first 512 bytes of primary) is dirty;
 * *checksum_ok (may be NULL) says whether its checksum holds. A file of
 * under 512 bytes or without "regf" is not dirty: it is no hive at all. */
bool log_primary_dirty(struct span primary, bool *checksum_ok);

/* Replays logs[0..n) (n <= LOG_MAX_FILES) onto primary as Windows does.
 * Clean primary: nothing to do, out->dirty false, *image NULL. Dirty: the
 * usable logs are applied and *image / *image_size get the new file (owned,
 * hk_dealloc), its base block clean (sequences equal, type 0, checksum
 * right). No usable log (or none given): FILE_NOT_FOUND or BADDB with each
 * log's reason in d, and out->reports filled. */
hk_status log_replay(struct span primary, const struct log_input *logs, size_t n,
                     struct log_outcome *out, uint8_t **image, size_t *image_size, struct diag *d);

/* ---- the two formats (newlog.c, oldlog.c) ---------------------------- */

/* Applies the HvLE entries of one new-format log, starting with sequence
 * number *expected; stops at the first entry that breaks a rule (its reason
 * in rep->why). Updates *expected, *bins_size and *flags (base block bit 0)
 * after each entry. */
hk_status log_apply_new(struct log_image *im, const struct log_input *log, uint32_t *expected,
                        uint32_t *bins_size, uint32_t *flags, struct log_report *rep,
                        struct diag *d);

/* Checks one old-format log's dirty vector and pages; on success applies
 * them and sets *bins_size. A broken log changes nothing: BADDB, reason in
 * rep->why. */
hk_status log_apply_old(struct log_image *im, const struct log_input *log, uint32_t *bins_size,
                        struct log_report *rep);

#endif
