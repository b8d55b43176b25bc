/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A depth-first walk of a hive through libhivex (the reference reader the
 * suites compare hivekit's output with). Failures are Check asserts. */
#ifndef HK_TESTS_HIVEX_WALK_H
#define HK_TESTS_HIVEX_WALK_H

#include <hivex.h>
#include <stddef.h>
#include <stdint.h>

struct hx_visit {
    /* Each key before its values and subkeys; path: the names from the
     * walk's start joined by '\'. */
    void (*key)(void *ctx, hive_h *h, hive_node_h node, const char *path);
    /* Each value of the key at path, in stored order. */
    void (*value)(void *ctx, const char *path, const char *name, uint32_t type,
                  const uint8_t *data, size_t len);
    void *ctx;
};

/* node and its subtree in libhivex's order, node's path being path. */
void hx_walk(hive_h *h, hive_node_h node, const char *path, const struct hx_visit *v);

#endif
