/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_export's JSON lines walk (api layer, jsonl_api.c). */
#ifndef HK_API_JSONL_EXPORT_H
#define HK_API_JSONL_EXPORT_H

#include <string.h>

#include "hivekit.h"

/* opts already checked and copied in by hk_export. */
hk_status export_jsonl(hk_key *key, const hk_export_options *opts, hk_write_fn write, void *ctx);

/* The bytes of opts->key_path: key_path_len, or up to its NUL when that is
 * 0 (0 for NULL). */
static inline size_t export_key_path_len(const hk_export_options *opts)
{
    if (!opts->key_path)
        return 0;
    return opts->key_path_len ? opts->key_path_len : strlen(opts->key_path);
}

#endif
