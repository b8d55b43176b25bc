/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "hivex_walk.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hx_walk(hive_h *h, hive_node_h node, const char *path, const struct hx_visit *v)
{
    v->key(v->ctx, h, node, path);
    hive_value_h *vals = hivex_node_values(h, node);
    ck_assert_ptr_nonnull(vals);
    for (size_t i = 0; vals[i]; i++) {
        char *name = hivex_value_key(h, vals[i]);
        hive_type t;
        size_t len;
        char *data = hivex_value_value(h, vals[i], &t, &len);
        ck_assert_ptr_nonnull(name);
        ck_assert_ptr_nonnull(data);
        v->value(v->ctx, path, name, (uint32_t)t, (const uint8_t *)data, len);
        free(name);
        free(data);
    }
    free(vals);
    hive_node_h *kids = hivex_node_children(h, node);
    ck_assert_ptr_nonnull(kids);
    for (size_t i = 0; kids[i]; i++) {
        char *name = hivex_node_name(h, kids[i]);
        ck_assert_ptr_nonnull(name);
        size_t n = strlen(path) + strlen(name) + 2;
        char *sub = malloc(n);
        ck_assert_ptr_nonnull(sub);
        snprintf(sub, n, "%s\\%s", path, name);
        hx_walk(h, kids[i], sub, v);
        free(sub);
        free(name);
    }
    free(kids);
}
