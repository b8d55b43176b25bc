/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: the input is an edit script (edit_ops.h); its first byte
 * picks the version of a new hive (1.3 or 1.5). The script is applied, the
 * edited hive must read cleanly in full (no BADDB: edits never corrupt),
 * then it is saved, reopened from the file, read again, and both jsonl
 * exports must be identical byte for byte. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edit_ops.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[512];

static void remove_file(void)
{
    unlink(path);
}

/* The whole walk, then the export into a memory buffer. */
static char *read_all(hk_hive *h, size_t *len, const char *what)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    if (!fp)
        fz_fail("open_memstream failed");
    hk_status st = fz_walk(h, 0, 1000000, fp);
    if (fclose(fp) != 0)
        fz_fail("memory stream failed");
    if (st != HK_ERROR_SUCCESS)
        fz_fail("%s: the edited hive reads with status %u (%s)", what, st, hk_errmsg());
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (!path[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(path, sizeof path, "%s/hk_fuzz_edit.%ld.hive", t && *t ? t : "/tmp", (long)getpid());
        atexit(remove_file);
    }
    hk_hive *h;
    hk_status st = hk_hive_create(data[0] & 1 ? 5 : 3, "FUZZ", &h);
    if (st != HK_ERROR_SUCCESS)
        fz_fail("hk_hive_create: status %u", st);
    hk_hive_set_clock(h, 0x01D9000000000000ull);
    fz_edit_apply(h, data + 1, size - 1, 0, 200);
    size_t len_a, len_b;
    char *a = read_all(h, &len_a, "in memory");
    st = hk_hive_save(h, path, HK_SAVE_OVERWRITE);
    if (st != HK_ERROR_SUCCESS)
        fz_fail("hk_hive_save: status %u (%s)", st, hk_errmsg());
    hk_hive_close(h);
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    st = hk_hive_open(path, &o, &h);
    if (st != HK_ERROR_SUCCESS)
        fz_fail("reopening the saved hive: status %u (%s)", st, hk_errmsg());
    hk_hive_info info = HK_HIVE_INFO_INIT;
    if (hk_hive_info_get(h, &info) != HK_ERROR_SUCCESS || info.dirty)
        fz_fail("the saved hive opens dirty");
    char *b = read_all(h, &len_b, "saved and reopened");
    if (len_a != len_b || memcmp(a, b, len_a) != 0)
        fz_fail("export differs after save and reopen (%zu vs %zu bytes)", len_a, len_b);
    hk_hive_close(h);
    free(a);
    free(b);
    return 0;
}
