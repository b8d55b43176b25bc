/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hk_export's JSON lines walk (api layer, jsonl_api.c). */
#ifndef HK_API_JSONL_EXPORT_H
#define HK_API_JSONL_EXPORT_H

#include "hivekit.h"

/* opts already checked and copied in by hk_export. */
hk_status export_jsonl(hk_key *key, const hk_export_options *opts, hk_write_fn write, void *ctx);

#endif
