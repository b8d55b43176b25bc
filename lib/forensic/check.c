/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The integrity check: the rules about the image as a whole (forensic layer).
 *
 * Order of the findings
 *   1. base block: checksum, sequence numbers, bins cut off by a salvage open;
 *   2. cells: each bin's tiling (size a multiple of 8, at least 8, inside
 *      the bin);
 *   3. the key tree from the root (check_tree.c): records, lists, values,
 *      counts, max-length fields, references;
 *   4. security cells: the flink/blink ring and the reference counts;
 *   5. allocated cells nothing references (warnings), in offset order;
 *   6. bytes after the last bin (a warning).
 * Errors break a rule Windows relies on; warnings are what Windows itself
 * leaves behind or tolerates.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "forensic/check_int.h"
#include "forensic/forensic.h"
#include "record/sk.h"

#if defined(__GNUC__)
__attribute__((format(printf, 5, 0)))
#endif
static void emit(struct checker *ck, uint32_t severity, uint64_t file_off, const char *rule,
                 const char *fmt, va_list ap)
{
    if (ck->stopped)
        return;
    char msg[320];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (severity == HK_CHECK_ERROR)
        ck->counts.errors++;
    else
        ck->counts.warnings++;
    if (ck->fn) {
        hk_check_finding f = {severity, file_off, rule, msg};
        if (ck->fn(&f, ck->ctx) != 0)
            ck->stopped = true;
    }
}

void chk_report(struct checker *ck, uint32_t severity, uint32_t off, const char *rule,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(ck, severity, (uint64_t)off + HBIN_START, rule, fmt, ap);
    va_end(ap);
}

void chk_report_file(struct checker *ck, uint32_t severity, uint64_t file_off, const char *rule,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(ck, severity, file_off, rule, fmt, ap);
    va_end(ap);
}

bool chk_ref(struct checker *ck, uint32_t off, bool shared, struct span *body, const char *what,
             uint32_t owner)
{
    const struct cell_rec *c = (off & 7u) == 0 ? cells_find(&ck->cells, off) : NULL;
    if (off >= ck->img->bins_size) {
        chk_report(ck, HK_CHECK_ERROR, owner, "ref-bounds",
                   "%s 0x%x points outside the 0x%x bytes of hive bins", what, off,
                   ck->img->bins_size);
        return false;
    }
    if (!c || c->off != off) {
        chk_report(ck, HK_CHECK_ERROR, owner, "ref-cell", "%s 0x%x is not the start of a cell", what,
                   off);
        return false;
    }
    if (!c->alloc) {
        chk_report(ck, HK_CHECK_ERROR, off, "ref-free", "%s 0x%x points to a free cell", what, off);
        return false;
    }
    size_t i = (size_t)(c - ck->cells.v);
    if (ck->refs[i] && !shared) {
        chk_report(ck, HK_CHECK_ERROR, off, "ref-twice",
                   "cell 0x%x is referenced twice (again as %s 0x%x)", off, what, owner);
        return false;
    }
    ck->refs[i]++;
    body->ptr = cells_bytes(ck->img, off + 4);
    body->len = c->size - 4;
    return true;
}

static void check_base_block(struct checker *ck)
{
    const struct base_block *bb = &ck->img->bb;
    if (bb->checksum_stored != bb->checksum_computed)
        chk_report_file(ck, HK_CHECK_ERROR, 0x1FC, "checksum",
                        "base block checksum 0x%08x, computed 0x%08x", bb->checksum_stored,
                        bb->checksum_computed);
    if (bb->seq1 != bb->seq2)
        chk_report_file(ck, HK_CHECK_WARNING, 0x4, "dirty",
                        "sequence numbers differ (%u, %u): the hive has pending transaction logs",
                        bb->seq1, bb->seq2);
    if (ck->img->salvage_note[0])
        chk_report_file(ck, HK_CHECK_ERROR, 0x28, "bins", "%s", ck->img->salvage_note);
}

static void tiling_fault(void *ctx, uint32_t off, const char *msg)
{
    chk_report(ctx, HK_CHECK_ERROR, off, "cell-size", "%s", msg);
}

static const struct cell_rec *sk_cell(struct checker *ck, uint32_t off)
{
    const struct cell_rec *c = (off & 7u) == 0 ? cells_find(&ck->cells, off) : NULL;
    if (!c || c->off != off || !c->alloc || c->size < CELL_HEADER + SK_DESCRIPTOR)
        return NULL;
    const uint8_t *b = cells_bytes(ck->img, off + 4);
    return sig_at(b, SK_SIG) ? c : NULL;
}

/* Walks the ring from the first security cell a key uses; marks the cells
 * on it in on_ring. */
static void check_sk_ring(struct checker *ck, uint8_t *on_ring)
{
    const struct cell_rec *start = NULL;
    for (size_t i = 0; i < ck->cells.n && !start; i++)
        if (ck->refs[i] && sk_cell(ck, ck->cells.v[i].off))
            start = &ck->cells.v[i];
    if (!start)
        return;
    const struct cell_rec *cur = start;
    for (size_t steps = 0; steps <= ck->cells.n; steps++) {
        on_ring[cur - ck->cells.v] = 1;
        const uint8_t *b = cells_bytes(ck->img, cur->off + CELL_HEADER);
        uint32_t flink = le32_unchecked(b + SK_FLINK);
        const struct cell_rec *next = sk_cell(ck, flink);
        if (!next) {
            chk_report(ck, HK_CHECK_ERROR, cur->off, "sk-ring",
                       "security cell 0x%x links forward (flink) to 0x%x, not a security cell",
                       cur->off, flink);
            return;
        }
        uint32_t blink = le32_unchecked(cells_bytes(ck->img, next->off + CELL_HEADER) + SK_BLINK);
        if (blink != cur->off) {
            chk_report(ck, HK_CHECK_ERROR, next->off, "sk-ring",
                       "security cell 0x%x links back (blink) to 0x%x, but 0x%x links to it",
                       next->off, blink, cur->off);
            return;
        }
        if (next == start)
            return;
        if (on_ring[next - ck->cells.v]) {
            chk_report(ck, HK_CHECK_ERROR, next->off, "sk-ring",
                       "security cell ring loops back to 0x%x without closing at 0x%x", next->off,
                       start->off);
            return;
        }
        cur = next;
    }
}

static void check_security(struct checker *ck, uint8_t *on_ring)
{
    check_sk_ring(ck, on_ring);
    for (size_t i = 0; i < ck->cells.n; i++) {
        const struct cell_rec *c = &ck->cells.v[i];
        if (!sk_cell(ck, c->off) || (!ck->refs[i] && !on_ring[i]))
            continue;
        uint32_t stored = le32_unchecked(cells_bytes(ck->img, c->off + CELL_HEADER) + SK_REFS);
        if (ck->refs[i] && !on_ring[i])
            chk_report(ck, HK_CHECK_ERROR, c->off, "sk-ring",
                       "security cell 0x%x is used by keys but not on the security ring", c->off);
        if (stored < ck->refs[i])
            chk_report(ck, HK_CHECK_ERROR, c->off, "sk-refcount",
                       "security cell 0x%x counts %u references, %u keys use it", c->off, stored,
                       ck->refs[i]);
        else if (stored > ck->refs[i])
            chk_report(ck, HK_CHECK_WARNING, c->off, "sk-refcount",
                       "security cell 0x%x counts %u references, %u reachable keys use it", c->off,
                       stored, ck->refs[i]);
    }
}

static void check_unreferenced(struct checker *ck, const uint8_t *on_ring)
{
    for (size_t i = 0; i < ck->cells.n; i++) {
        const struct cell_rec *c = &ck->cells.v[i];
        if (!c->alloc || ck->refs[i] || on_ring[i])
            continue;
        const uint8_t *b = cells_bytes(ck->img, c->off + 4);
        char sig[3] = {0};
        if (c->size >= 8 && b[0] >= 'a' && b[0] <= 'z' && b[1] >= 'a' && b[1] <= 'z') {
            sig[0] = (char)b[0];
            sig[1] = (char)b[1];
        }
        chk_report(ck, HK_CHECK_WARNING, c->off, "unreferenced",
                   "allocated cell 0x%x of %u bytes%s%s%s is not referenced", c->off, c->size,
                   sig[0] ? " (\"" : "", sig, sig[0] ? "\")" : "");
    }
}

static void check_trailing(struct checker *ck)
{
    uint64_t end = (uint64_t)HBIN_START + ck->img->bins_size;
    const struct file_buf *f = &ck->img->file;
    if (f->size <= end || ck->img->salvage_note[0])
        return;
    uint64_t nonzero = 0;
    for (uint64_t i = end; i < f->size; i++)
        nonzero += f->data[i] != 0;
    chk_report_file(ck, HK_CHECK_WARNING, end, "trailing-data",
                    "%llu bytes after the last hive bin (%llu of them not zero)",
                    (unsigned long long)(f->size - end), (unsigned long long)nonzero);
}

hk_status cells_unreferenced(struct hive_image *img, struct cell_table *t)
{
    struct checker ck;
    memset(&ck, 0, sizeof ck);
    ck.img = img;
    ck.cells = *t; /* borrowed: not freed here */
    ck.refs = hk_alloc_zero(t->n ? t->n : 1, sizeof *ck.refs);
    uint8_t *on_ring = hk_alloc_zero(t->n ? t->n : 1, 1);
    hk_status st = ck.refs && on_ring ? HK_ERROR_SUCCESS : HK_ERROR_NOT_ENOUGH_MEMORY;
    if (st == HK_ERROR_SUCCESS) {
        chk_tree(&ck);
        check_sk_ring(&ck, on_ring);
        for (size_t i = 0; i < t->n; i++)
            t->v[i].unref = t->v[i].alloc && !ck.refs[i] && !on_ring[i];
    }
    hk_dealloc(on_ring);
    hk_dealloc(ck.refs);
    return st;
}

hk_status hive_check(struct hive_image *img, hk_check_fn fn, void *ctx, hk_check_counts *counts)
{
    struct checker ck;
    memset(&ck, 0, sizeof ck);
    ck.img = img;
    ck.fn = fn;
    ck.ctx = ctx;
    check_base_block(&ck);
    hk_status st = cells_build(img, &ck.cells, tiling_fault, &ck);
    uint8_t *on_ring = NULL;
    if (st == HK_ERROR_SUCCESS) {
        ck.refs = hk_alloc_zero(ck.cells.n, sizeof *ck.refs);
        on_ring = hk_alloc_zero(ck.cells.n, 1);
        if (!ck.refs || !on_ring)
            st = HK_ERROR_NOT_ENOUGH_MEMORY;
    }
    if (st == HK_ERROR_SUCCESS) {
        chk_tree(&ck);
        check_security(&ck, on_ring);
        check_unreferenced(&ck, on_ring);
        check_trailing(&ck);
        if (ck.stopped)
            st = HK_ERROR_CANCELLED;
    }
    if (st != HK_ERROR_SUCCESS)
        diag_set(DIAG_DETAIL, st, "no memory for the integrity check");
    else if (counts)
        *counts = ck.counts;
    hk_dealloc(on_ring);
    hk_dealloc(ck.refs);
    cells_free(&ck.cells);
    return st;
}
