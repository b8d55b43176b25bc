/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the forensic readers on a hostile hive. The input is a hive
 * file (plain or gzip). It is opened strictly and, when that fails with
 * BADDB, for salvage; then the integrity check, the deleted-data scan and a
 * salvage walk with its jsonl export run over it. Every finding and record
 * must keep the header's promises (kinds, severities, NUL-terminated
 * strings, data only with DATA_OK); any other status or a sanitizer report
 * is a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hivekit.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_finding(const hk_check_finding *f, void *ctx)
{
    (void)ctx;
    if (f->severity != HK_CHECK_WARNING && f->severity != HK_CHECK_ERROR)
        fz_fail("check: severity %u", f->severity);
    if (!f->rule || !f->rule[0] || !f->message || !f->message[0])
        fz_fail("check: a finding without its rule or message");
    return 0;
}

static int on_record(const hk_deleted_record *r, void *ctx)
{
    (void)ctx;
    if (r->kind != HK_DELETED_KEY && r->kind != HK_DELETED_VALUE)
        fz_fail("deleted: kind %u", r->kind);
    if (r->where != HK_DELETED_IN_FREE_CELL && r->where != HK_DELETED_IN_SLACK &&
        r->where != HK_DELETED_IN_REMNANT && r->where != HK_DELETED_IN_UNREFERENCED)
        fz_fail("deleted: where %u", r->where);
    if (r->name[r->name_len] != '\0' || r->path[r->path_len] != '\0')
        fz_fail("deleted: a name or path without its NUL");
    if (r->kind == HK_DELETED_VALUE) {
        if ((r->data_state == HK_DELETED_DATA_OK) != (r->data != NULL))
            fz_fail("deleted: data_state %u with data %p", r->data_state, (const void *)r->data);
        if (r->data) {
            volatile uint8_t sum = 0; /* every promised byte must be readable */
            for (uint32_t i = 0; i < r->data_size; i++)
                sum = (uint8_t)(sum + r->data[i]);
            (void)sum;
        }
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink && !(sink = fopen("/dev/null", "w")))
        fz_fail("cannot open /dev/null");
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_NO_LOGS;
    hk_hive *h = NULL;
    hk_status st = hk_hive_open_memory(data, size, &o, &h);
    if (st == HK_ERROR_BADDB) {
        o.flags |= HK_OPEN_SALVAGE;
        st = hk_hive_open_memory(data, size, &o, &h);
    }
    if (st != HK_ERROR_SUCCESS) {
        fz_expect(NULL, 0, st, "hk_hive_open_memory", HK_ERROR_NOT_REGISTRY_FILE, HK_ERROR_CANTREAD);
        return 0;
    }
    hk_check_counts counts = HK_CHECK_COUNTS_INIT;
    st = hk_hive_check(h, on_finding, NULL, &counts);
    if (st != HK_ERROR_SUCCESS) /* the check reports what it finds; it never fails */
        fz_fail("hk_hive_check: status %u", st);
    st = hk_deleted_scan(h, on_record, NULL);
    fz_expect(h, 0, st, "hk_deleted_scan", HK_ERROR_SUCCESS, HK_ERROR_SUCCESS);
    hk_key *root;
    if (hk_hive_root(h, &root) == HK_ERROR_SUCCESS) {
        st = fz_export_jsonl(root, sink, 1);
        fz_expect(h, 0, st, "salvage export", HK_ERROR_SUCCESS, HK_ERROR_SUCCESS);
        hk_close_key(root);
    }
    hk_hive_close(h);
    return 0;
}
