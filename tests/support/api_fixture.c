/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* API test fixture (see api_fixture.h). */
#include "api_fixture.h"

#include <check.h>
#include <stdlib.h>

struct fx open_built(struct hb *b)
{
    size_t len;
    uint8_t *img = hb_finish(b, &len);
    struct fx f = {NULL, NULL};
    hk_open_options o = HK_OPEN_OPTIONS_INIT;
    o.flags = HK_OPEN_READONLY;
    const hk_status st = hk_hive_open_memory(img, len, &o, &f.hive);
    free(img);
    ck_assert_msg(st == HK_ERROR_SUCCESS, "open: %u %s", st, hk_errmsg());
    ck_assert_uint_eq(hk_hive_root(f.hive, &f.root), HK_ERROR_SUCCESS);
    return f;
}

void close_fx(struct fx *f)
{
    ck_assert_uint_eq(hk_close_key(f->root), HK_ERROR_SUCCESS);
    hk_hive_close(f->hive);
}
