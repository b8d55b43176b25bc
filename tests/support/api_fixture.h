/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* API test fixture: a hive the builder made, opened from memory, with its
 * root key. */
#ifndef HK_TESTS_API_FIXTURE_H
#define HK_TESTS_API_FIXTURE_H

#include "hive_builder.h"
#include "hivekit.h"

struct fx {
    hk_hive *hive;
    hk_key *root;
};

/* Finishes b (which it frees), opens the image and the root; asserts both. */
struct fx open_built(struct hb *b);

/* Closes the root (asserting success) and the hive. */
void close_fx(struct fx *f);

#endif
