/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the carver on a hostile raw image. The input is the image; it
 * is carved as a disk image (with each find's bytes and reassembly) and as a
 * memory image. Every find must keep the header's promises: a known type,
 * an offset inside the image, a size within what the image holds (a
 * compressed find: within its base block's claim plus one unit), data of
 * exactly size readable bytes, and a reassembled hive that opens. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "hivekit.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
    size_t size;
    uint32_t flags;
};

static int on_find(const hk_carve_record *r, void *ctx)
{
    const struct run *run = ctx;
    if (r->type != HK_CARVE_HIVE && r->type != HK_CARVE_FRAGMENT && r->type != HK_CARVE_REASSEMBLED &&
        r->type != HK_CARVE_LOG)
        fz_fail("carve: type %u", r->type);
    if (r->offset >= run->size)
        fz_fail("carve: offset %llu past the %zu-byte image", (unsigned long long)r->offset,
                run->size);
    if (r->size == 0)
        fz_fail("carve: an empty find at %llu", (unsigned long long)r->offset);
    if (r->type == HK_CARVE_LOG && (r->log_entries == 0 || r->size % 512 != 0))
        fz_fail("carve: a log run of %u entries in %llu bytes", r->log_entries,
                (unsigned long long)r->size);
    if (r->compressed) {
        if (r->size > 4096 + (uint64_t)r->hbins_data_size + 65536 && r->type == HK_CARVE_HIVE)
            fz_fail("carve: compressed hive of %llu bytes", (unsigned long long)r->size);
    } else if (r->type != HK_CARVE_REASSEMBLED && r->size > run->size - r->offset) {
        fz_fail("carve: %llu bytes at %llu past the image", (unsigned long long)r->size,
                (unsigned long long)r->offset);
    }
    if ((run->flags & HK_CARVE_DATA) || r->type == HK_CARVE_REASSEMBLED) {
        if (!r->data)
            fz_fail("carve: no data with HK_CARVE_DATA");
        volatile uint8_t sum = 0; /* every promised byte must be readable */
        for (uint64_t i = 0; i < r->size; i++)
            sum = (uint8_t)(sum + r->data[i]);
        (void)sum;
    } else if (r->data) {
        fz_fail("carve: data without HK_CARVE_DATA");
    }
    if (r->type == HK_CARVE_REASSEMBLED) {
        if (r->n_pieces < 2 || !r->pieces)
            fz_fail("carve: reassembled from %u pieces", r->n_pieces);
        hk_hive *h = NULL;
        hk_open_options o = HK_OPEN_OPTIONS_INIT;
        o.flags = HK_OPEN_NO_LOGS;
        hk_status st = hk_hive_open_memory(r->data, (size_t)r->size, &o, &h);
        if (st != HK_ERROR_SUCCESS)
            fz_fail("carve: a reassembled hive does not open (%u)", st);
        hk_hive_close(h);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint32_t modes[] = {HK_CARVE_DATA | HK_CARVE_REASSEMBLE, 0,
                                     HK_CARVE_MEMORY | HK_CARVE_DATA};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        struct run run = {size, modes[i]};
        hk_carve_options o = HK_CARVE_OPTIONS_INIT;
        o.flags = modes[i];
        hk_status st = hk_carve_memory(size ? data : (const uint8_t *)"", size, &o, on_find, &run);
        if (st != HK_ERROR_SUCCESS)
            fz_fail("carve: status %u", st);
    }
    return 0;
}
