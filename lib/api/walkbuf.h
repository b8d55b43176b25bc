/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading names, values and class names of a key into growing buffers, for
 * the walks of export and compare (api layer). */
#ifndef HK_API_WALKBUF_H
#define HK_API_WALKBUF_H

#include <stdint.h>

#include "hivekit.h"
#include "text/textbuf.h"

/* The key's own name; b->len is its true length (it may hold NULs). */
hk_status walk_key_name(hk_key *key, struct textbuf *b);

/* Value number index: its name, type and exact bytes. */
hk_status walk_value(hk_key *key, uint32_t index, struct textbuf *name, uint32_t *type,
                     struct textbuf *data);

/* The value called name (a C string): type and bytes. */
hk_status walk_query(hk_key *key, const char *name, uint32_t *type, struct textbuf *data);

/* The key's class name (empty if none) and its counts and time. */
hk_status walk_info(hk_key *key, struct textbuf *cls, hk_key_info *info);

#endif
