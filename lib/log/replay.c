/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which logs Windows applies, in what order, and the base block it leaves
 * (log layer).
 *
 * A primary is dirty when its checksum fails or its two sequence numbers
 * differ. A log is usable when its 512-byte base block copy has "regf", a
 * right checksum, equal sequence numbers and a log file type (1 or 2: old
 * format, 6: new format).
 *
 * New format: the logs are ordered by sequence number (wrapping compare).
 * With a sound primary base block, replay starts with the first log whose
 * sequence number is not older than the primary's secondary one; with a bad
 * one, only the newest log is used and its base block copy replaces the
 * primary's. Replay goes on into the next log only when that log starts
 * right after the last entry applied. Old format: a log applies when its
 * last-written time equals the primary's (the first bin's copy of it when
 * the base block is bad); the newest such log is tried first, the next one
 * if it fails. The result gets both sequence numbers equal (the last entry's
 * for the new format, the primary's for the old), file type 0, the hive bins
 * size of the logs and a fresh checksum.
 */
#include "log/replay.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "hive/image.h"

hk_status log_image_reserve(struct log_image *im, uint64_t size, const char *who, struct diag *d)
{
    if (size <= im->size)
        return HK_ERROR_SUCCESS;
    if (size > im->limit)
        return HK_CORRUPT(d, DIAG_NO_CELL, "%s: the hive would grow to 0x%llx bytes, more than "
                          "the primary and its logs hold (0x%zx)", who, (unsigned long long)size,
                          im->limit);
    if (size > im->cap) {
        uint8_t *p = hk_realloc(im->data, (size_t)size);
        if (!p)
            return diag_set(d, HK_ERROR_NOT_ENOUGH_MEMORY, "no memory for a %llu-byte hive",
                            (unsigned long long)size);
        im->data = p;
        im->cap = (size_t)size;
    }
    memset(im->data + im->size, 0, (size_t)size - im->size);
    im->size = (size_t)size;
    return HK_ERROR_SUCCESS;
}

bool log_primary_dirty(struct span primary, bool *checksum_ok)
{
    if (primary.len < LOG_BASE_SIZE || memcmp(primary.ptr, REGF_SIG, FILE_SIG_LEN) != 0)
        return false;
    bool ok = le32_unchecked(primary.ptr + BB_CHECKSUM) == baseblock_checksum(primary.ptr);
    if (checksum_ok)
        *checksum_ok = ok;
    return !ok || le32_unchecked(primary.ptr + BB_SEQ1) != le32_unchecked(primary.ptr + BB_SEQ2);
}

/* -1, 0, 1 as a is before, equal to, after b, across a wrap of the counter. */
static int seq_cmp(uint32_t a, uint32_t b)
{
    int32_t diff = (int32_t)(a - b);
    return diff < 0 ? -1 : diff > 0;
}

static void classify(const struct log_input *log, struct log_report *rep)
{
    struct span b = log->bytes;
    memset(rep, 0, sizeof *rep);
    if (b.len < LOG_BASE_SIZE) {
        snprintf(rep->why, sizeof rep->why, "%zu bytes, shorter than the 512-byte base block copy",
                 b.len);
        return;
    }
    uint32_t stored = le32_unchecked(b.ptr + BB_CHECKSUM), computed = baseblock_checksum(b.ptr);
    uint32_t seq1 = le32_unchecked(b.ptr + BB_SEQ1), seq2 = le32_unchecked(b.ptr + BB_SEQ2);
    uint32_t type = le32_unchecked(b.ptr + BB_TYPE);
    uint32_t major = le32_unchecked(b.ptr + BB_MAJOR), minor = le32_unchecked(b.ptr + BB_MINOR);
    if (memcmp(b.ptr, REGF_SIG, FILE_SIG_LEN) != 0)
        snprintf(rep->why, sizeof rep->why, "no \"regf\" signature at offset 0");
    else if (stored != computed)
        snprintf(rep->why, sizeof rep->why, "base block checksum 0x%08x at offset 0x1fc, computed "
                 "0x%08x", stored, computed);
    else if (seq1 != seq2)
        snprintf(rep->why, sizeof rep->why, "its own base block is dirty (sequence %u != %u at "
                 "offsets 0x4/0x8)", seq1, seq2);
    else if (!bb_version_known(major, minor))
        snprintf(rep->why, sizeof rep->why, "unsupported version %u.%u at offset 0x14", major, minor);
    else if (type == BB_TYPE_LOG_NEW)
        rep->format = LOG_FORMAT_NEW;
    else if (type == BB_TYPE_LOG_OLD1 || type == BB_TYPE_LOG_OLD2)
        rep->format = LOG_FORMAT_OLD;
    else
        snprintf(rep->why, sizeof rep->why, "file type %u at offset 0x1c is not a log (1, 2 or 6)",
                 type);
    rep->sequence = seq1;
}

static const char *tail(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Starts the new file: the primary's bytes, with a bad base block replaced
 * by the 512 bytes of base (the rest of the block zero). */
static hk_status image_start(struct log_image *im, struct span primary, const uint8_t *base,
                             struct diag *d)
{
    im->size = 0;
    hk_status st = log_image_reserve(im, primary.len > HBIN_START ? primary.len : HBIN_START,
                                     "primary", d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    memcpy(im->data, primary.ptr, primary.len);
    if (base) {
        memset(im->data, 0, HBIN_START);
        memcpy(im->data, base, LOG_BASE_SIZE);
    }
    return HK_ERROR_SUCCESS;
}

static void finish_base(uint8_t *bb, uint32_t seq, uint32_t bins, const uint32_t *flags)
{
    put_le32(bb + BB_SEQ1, seq);
    put_le32(bb + BB_SEQ2, seq);
    put_le32(bb + BB_TYPE, BB_TYPE_PRIMARY);
    put_le32(bb + BB_BINS_SIZE, bins);
    if (flags)
        put_le32(bb + BB_FLAGS, *flags);
    put_le32(bb + BB_CHECKSUM, baseblock_checksum(bb));
}

static hk_status replay_new(struct log_image *im, struct span primary, bool checksum_ok,
                            const struct log_input *logs, size_t n, struct log_outcome *out,
                            struct diag *d)
{
    size_t order[LOG_MAX_FILES], count = 0;
    for (size_t i = 0; i < n; i++) {
        if (out->reports[i].format != LOG_FORMAT_NEW)
            continue;
        size_t k = count++;
        while (k > 0 && seq_cmp(out->reports[order[k - 1]].sequence, out->reports[i].sequence) > 0) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    if (count == 0)
        return HK_ERROR_SUCCESS;
    size_t first = 0;
    uint32_t secondary = le32_unchecked(primary.ptr + BB_SEQ2);
    if (checksum_ok) {
        while (first < count && seq_cmp(out->reports[order[first]].sequence, secondary) < 0) {
            snprintf(out->reports[order[first]].why, LOG_WHY_SIZE, "sequence %u is older than the "
                     "primary's secondary sequence %u", out->reports[order[first]].sequence,
                     secondary);
            first++;
        }
    } else {
        first = count - 1;
        for (size_t k = 0; k < first; k++)
            snprintf(out->reports[order[k]].why, LOG_WHY_SIZE, "the primary's base block is bad: "
                     "only the newest log is used");
    }
    if (first == count)
        return HK_ERROR_SUCCESS;
    const struct log_input *lead = &logs[order[first]];
    hk_status st = image_start(im, primary, checksum_ok ? NULL : lead->bytes.ptr, d);
    if (st != HK_ERROR_SUCCESS)
        return st;
    uint32_t expected = out->reports[order[first]].sequence;
    uint32_t bins = le32_unchecked(im->data + BB_BINS_SIZE), flags = le32_unchecked(im->data + BB_FLAGS);
    for (size_t k = first; k < count; k++) {
        struct log_report *rep = &out->reports[order[k]];
        if (k > first && rep->sequence != expected) {
            if (out->entries)
                snprintf(rep->why, LOG_WHY_SIZE, "sequence %u does not follow the last entry "
                         "applied (%u)", rep->sequence, expected - 1);
            else
                snprintf(rep->why, LOG_WHY_SIZE, "sequence %u cannot follow: the log of sequence "
                         "%u before it has no valid entry", rep->sequence, expected);
            continue;
        }
        st = log_apply_new(im, &logs[order[k]], &expected, &bins, &flags, rep, d);
        if (st != HK_ERROR_SUCCESS)
            return st;
        if (rep->entries) {
            rep->applied = true;
            out->applied++;
            out->entries += rep->entries;
            out->pages += rep->pages;
        }
    }
    if (out->applied) {
        out->format = LOG_FORMAT_NEW;
        out->base_from_log = !checksum_ok;
        out->sequence = expected - 1;
        finish_base(im->data, out->sequence, bins, &flags);
    }
    return HK_ERROR_SUCCESS;
}

static hk_status replay_old(struct log_image *im, struct span primary, bool checksum_ok,
                            const struct log_input *logs, size_t n, struct log_outcome *out,
                            struct diag *d)
{
    uint64_t stamp = 0;
    if (checksum_ok)
        stamp = le64_unchecked(primary.ptr + BB_TIME);
    else if (primary.len >= HBIN_START + HBIN_TIME + 8)
        stamp = le64_unchecked(primary.ptr + HBIN_START + HBIN_TIME);
    bool tried[LOG_MAX_FILES] = {false};
    for (;;) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++) {
            struct log_report *rep = &out->reports[i];
            if (rep->format != LOG_FORMAT_OLD || tried[i])
                continue;
            uint64_t t = le64_unchecked(logs[i].bytes.ptr + BB_TIME);
            /* As yarp and Windows: a log older than the primary (its base
             * block's time, or the first bin's copy of it when the base block
             * is bad) is not its log; the same time or a newer one is. */
            if (t < stamp) {
                snprintf(rep->why, LOG_WHY_SIZE, "last-written time %llu is older than the "
                         "primary's %llu: not its log", (unsigned long long)t,
                         (unsigned long long)stamp);
                tried[i] = true;
                continue;
            }
            if (pick == n || seq_cmp(rep->sequence, out->reports[pick].sequence) > 0)
                pick = i;
        }
        if (pick == n)
            return HK_ERROR_SUCCESS;
        tried[pick] = true;
        struct log_report *rep = &out->reports[pick];
        hk_status st = image_start(im, primary, checksum_ok ? NULL : logs[pick].bytes.ptr, d);
        if (st != HK_ERROR_SUCCESS)
            return st;
        uint32_t bins = 0;
        st = log_apply_old(im, &logs[pick], &bins, rep);
        if (st == HK_ERROR_NOT_ENOUGH_MEMORY)
            return diag_set(d, st, "%s", rep->why);
        if (st == HK_ERROR_SUCCESS) {
            rep->applied = true;
            out->applied = 1;
            out->entries = 1;
            out->pages = rep->pages;
            out->format = LOG_FORMAT_OLD;
            out->base_from_log = !checksum_ok;
            out->sequence = le32_unchecked(im->data + BB_SEQ1);
            finish_base(im->data, out->sequence, bins, NULL);
            return HK_ERROR_SUCCESS;
        }
    }
}

hk_status log_replay(struct span primary, const struct log_input *logs, size_t n,
                     struct log_outcome *out, uint8_t **image, size_t *image_size, struct diag *d)
{
    memset(out, 0, sizeof *out);
    *image = NULL;
    *image_size = 0;
    if (n > LOG_MAX_FILES)
        return diag_set(d, HK_ERROR_INVALID_PARAMETER, "more than %u transaction logs", LOG_MAX_FILES);
    bool checksum_ok = false;
    out->dirty = log_primary_dirty(primary, &checksum_ok);
    if (!out->dirty)
        return HK_ERROR_SUCCESS;
    for (size_t i = 0; i < n; i++)
        classify(&logs[i], &out->reports[i]);
    if (n == 0)
        return diag_set(d, HK_ERROR_FILE_NOT_FOUND, "the hive is dirty and no transaction log was "
                        "given or found beside it");

    struct log_image im = {NULL, 0, 0, 0};
    uint64_t limit = (uint64_t)primary.len + HBIN_START;
    for (size_t i = 0; i < n; i++)
        limit += logs[i].bytes.len;
    im.limit = limit < HK_MAX_HIVE_SIZE ? (size_t)limit : (size_t)HK_MAX_HIVE_SIZE;
    hk_status st = replay_new(&im, primary, checksum_ok, logs, n, out, d);
    if (st == HK_ERROR_SUCCESS && out->applied == 0)
        st = replay_old(&im, primary, checksum_ok, logs, n, out, d);
    if (st == HK_ERROR_SUCCESS && out->applied == 0) {
        char msg[sizeof d->msg] = "no usable transaction log:";
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(msg);
            const char *why = out->reports[i].why[0] ? out->reports[i].why : "no valid log entry";
            snprintf(msg + len, sizeof msg - len, "%s %s: %s", i ? ";" : "", tail(logs[i].name), why);
        }
        st = HK_CORRUPT(d, DIAG_NO_CELL, "%s", msg);
    }
    if (st != HK_ERROR_SUCCESS) {
        hk_dealloc(im.data);
        return st;
    }
    *image = im.data;
    *image_size = im.size;
    return HK_ERROR_SUCCESS;
}
