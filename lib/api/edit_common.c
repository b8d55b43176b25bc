/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Checks before edits and caller names as UTF-16 (api layer). */
#include <string.h>

#include "api/edit.h"
#include "base/alloc.h"
#include "base/upcase.h"
#include "base/utf16.h"
#include "hive/cellalloc.h"

hk_status hive_open_for_write(hk_hive *h, const char *path)
{
    h->write_mode = true;
    if (path) {
        size_t n = strlen(path);
        h->path = hk_alloc(n + 1);
        if (!h->path)
            return HK_ERROR_NOT_ENOUGH_MEMORY;
        memcpy(h->path, path, n + 1);
    }
    if (h->img.dirty)
        return HK_ERROR_SUCCESS;
    return image_make_writable(&h->img);
}

hk_status hive_check_clean(hk_hive *h)
{
    if (h->img.dirty)
        return diag_set(DIAG_DETAIL, HK_ERROR_REGISTRY_IO_FAILED,
                        "hive is dirty (sequence numbers %u and %u differ or its checksum is bad): "
                        "replay its transaction logs first",
                        h->img.bb.seq1, h->img.bb.seq2);
    return HK_ERROR_SUCCESS;
}

hk_status hive_edit_begin(hk_hive *h)
{
    if (!h->write_mode)
        return diag_set(DIAG_DETAIL, HK_ERROR_ACCESS_DENIED,
                        "hive was opened read-only (open it with HK_OPEN_WRITE to edit)");
    hk_status st = hive_check_clean(h);
    if (st != HK_ERROR_SUCCESS)
        return st;
    /* 1.1 and 1.2 lay out cells and records differently (16-byte cells with a
     * back link, title indexes); this editor writes the 1.3+ layout only. */
    if (h->img.bb.minor < 3)
        return diag_set(DIAG_DETAIL, HK_ERROR_NOT_SUPPORTED,
                        "editing a version 1.%u hive is not supported (1.3 and later are)",
                        h->img.bb.minor);
    st = image_make_writable(&h->img);
    if (st == HK_ERROR_SUCCESS)
        diag_clear(DIAG_DETAIL);
    return st;
}

hk_status key_edit_begin(hk_key *key, uint32_t need)
{
    hk_status st = key_sync(key);
    if (st != HK_ERROR_SUCCESS)
        return st;
    if ((key->access & need) != need)
        return HK_ERROR_ACCESS_DENIED;
    return hive_edit_begin(key->hive);
}

hk_status edit_name_init(struct edit_name *nm, const char *s, size_t len)
{
    nm->units = nm->up = NULL;
    nm->n = 0;
    if (!s)
        s = "", len = 0;
    const unsigned char *b = (const unsigned char *)s;
    if (len <= EDIT_NAME_INLINE) {
        /* The common name, short and ASCII: one pass, each byte its unit. */
        uint16_t *units = nm->inline_units, *up = units + len;
        size_t i = 0;
        for (; i < len && b[i] < 0x80; i++) {
            units[i] = b[i];
            up[i] = (uint16_t)(b[i] >= 'a' && b[i] <= 'z' ? b[i] - 0x20 : b[i]);
        }
        if (i == len) {
            nm->units = units;
            nm->up = up;
            nm->n = len;
            return HK_ERROR_SUCCESS;
        }
    }
    size_t n;
    if (utf8_to_utf16(s, len, NULL, 0, &n) == -1)
        return HK_ERROR_NO_UNICODE_TRANSLATION;
    nm->units = n <= EDIT_NAME_INLINE ? nm->inline_units
                                      : hk_alloc((2 * n + 1) * sizeof *nm->units);
    if (!nm->units)
        return HK_ERROR_NOT_ENOUGH_MEMORY;
    nm->up = nm->units + n;
    utf8_to_utf16(s, len, nm->units, n, &n);
    for (size_t i = 0; i < n; i++)
        nm->up[i] = upcase_unit(nm->units[i]);
    nm->n = n;
    return HK_ERROR_SUCCESS;
}

void edit_name_free(struct edit_name *nm)
{
    if (nm->units != nm->inline_units)
        hk_dealloc(nm->units);
    nm->units = nm->up = NULL;
}
