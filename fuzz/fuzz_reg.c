/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzz target: .reg import. The input is the text of a .reg file (any
 * encoding). hk_reg_first_key and hk_import_reg into a new hive must
 * succeed or fail cleanly; a file refused as INVALID_DATA must leave the
 * hive exactly as it was; an imported hive must read cleanly in full; and
 * exported again as .reg and imported into a second new hive it must give
 * the same jsonl export (the .reg form is lossless). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static hk_hive *new_hive(hk_key **root)
{
    hk_hive *h;
    hk_key *r;
    /* the root's creation time too must not depend on the system clock */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    if (hk_hive_create(5, "FUZZ", &h) != HK_ERROR_SUCCESS)
        fz_fail("hk_hive_create failed");
    hk_hive_set_clock(h, 0x01D9000000000000ull);
    if (hk_hive_root(h, &r) != HK_ERROR_SUCCESS ||
        hk_open_key(r, NULL, 0, HK_KEY_ALL_ACCESS, root) != HK_ERROR_SUCCESS)
        fz_fail("cannot open a new hive's root");
    hk_close_key(r);
    return h;
}

static char *jsonl(hk_key *root, size_t *len)
{
    char *text = NULL;
    FILE *fp = open_memstream(&text, len);
    if (!fp)
        fz_fail("open_memstream failed");
    hk_status st = fz_export_jsonl(root, fp, 0);
    if (fclose(fp) != 0)
        fz_fail("memory stream failed");
    if (st != HK_ERROR_SUCCESS)
        fz_fail("jsonl export of an imported hive: status %u", st);
    return text;
}

static int to_stream(const void *p, size_t n, void *ctx)
{
    return fwrite(p, 1, n, ctx) == n ? 0 : -1;
}

/* Forbidden whatever the text says: corruption, memory, I/O. */
static void check_import(hk_status st, const char *msg, const char *what)
{
    if (st == HK_ERROR_BADDB || st == HK_ERROR_REGISTRY_CORRUPT || st == HK_ERROR_NOT_ENOUGH_MEMORY ||
        st == HK_ERROR_CANTWRITE || st == HK_ERROR_CANTREAD)
        fz_fail("%s: status %u (%s)", what, st, msg);
    if (st == HK_ERROR_INVALID_DATA && msg[0] == '\0')
        fz_fail("%s: INVALID_DATA without a message", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char msg[256] = "";
    size_t need = 0;
    hk_status st = hk_reg_first_key(data, size, NULL, &need);
    if (st != HK_ERROR_SUCCESS && st != HK_ERROR_FILE_NOT_FOUND && st != HK_ERROR_INVALID_DATA)
        fz_fail("hk_reg_first_key: status %u", st);

    hk_key *r1, *r2;
    hk_hive *h1 = new_hive(&r1);
    size_t before_len, after_len;
    char *before = jsonl(r1, &before_len);
    hk_import_options io = HK_IMPORT_OPTIONS_INIT;
    io.prefix = NULL;
    st = hk_import_reg(r1, data, size, &io);
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    check_import(st, msg, "hk_import_reg");
    char *after = jsonl(r1, &after_len);
    if (st == HK_ERROR_INVALID_DATA &&
        (before_len != after_len || memcmp(before, after, before_len) != 0))
        fz_fail("a refused .reg file changed the hive (%s)", msg);
    if (fz_walk(h1, 0, 1000000, NULL) != HK_ERROR_SUCCESS)
        fz_fail("the imported hive reads with BADDB: %s", hk_errmsg());
    if (st == HK_ERROR_SUCCESS) {
        char *reg = NULL;
        size_t reg_len;
        FILE *fp = open_memstream(&reg, &reg_len);
        if (!fp)
            fz_fail("open_memstream failed");
        hk_export_options eo = HK_EXPORT_OPTIONS_INIT;
        eo.format = HK_FORMAT_REG;
        hk_status ex = hk_export(r1, &eo, to_stream, fp);
        char emsg[256];
        snprintf(emsg, sizeof emsg, "%s", hk_errmsg());
        if (fclose(fp) != 0)
            fz_fail("memory stream failed");
        if (ex != HK_ERROR_SUCCESS && ex != HK_ERROR_INVALID_DATA)
            fz_fail("hk_export of an imported hive: status %u (%s)", ex, emsg);
        if (ex == HK_ERROR_SUCCESS) {
            hk_hive *h2 = new_hive(&r2);
            msg[0] = '\0';
            st = hk_import_reg(r2, reg, reg_len, &io);
            if (st != HK_ERROR_SUCCESS)
                fz_fail("re-importing the hive's own .reg export: status %u (%s)", st, msg);
            size_t again_len;
            char *again = jsonl(r2, &again_len);
            if (again_len != after_len || memcmp(again, after, after_len) != 0)
                fz_fail(".reg export and import changed the tree (%zu vs %zu jsonl bytes)",
                        after_len, again_len);
            free(again);
            hk_close_key(r2);
            hk_hive_close(h2);
        }
        free(reg);
    }
    free(before);
    free(after);
    hk_close_key(r1);
    hk_hive_close(h1);
    return 0;
}
