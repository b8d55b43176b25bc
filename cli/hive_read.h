/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading names, values, class names and strings of a hive into growing
 * buffers (the library's MORE_DATA loop, once). */
#ifndef HIVEKIT_CLI_HIVE_READ_H
#define HIVEKIT_CLI_HIVE_READ_H

#include <stddef.h>
#include <stdint.h>

#include "buffers.h"

/* The key's own name, its true length in name->len (it may hold NULs). */
hk_status cli_key_name(hk_key *key, struct cli_buf *name);

/* Value number index: name (true length in name->len), type and the exact
 * stored bytes in data (data->len). */
hk_status cli_enum_value(hk_key *key, uint32_t index, struct cli_buf *name, uint32_t *type,
                         struct cli_buf *data);

/* The key's class name (empty if none) and its counts and time. */
hk_status cli_key_info(hk_key *key, struct cli_buf *class_name, hk_key_info *info);

/* hk_decode_string / hk_decode_multi_sz into out (out->len excludes the
 * final NUL; multi-sz items stay NUL-separated, *count of them). */
hk_status cli_decode_string(const void *data, size_t size, struct cli_buf *out);
hk_status cli_decode_multi_sz(const void *data, size_t size, struct cli_buf *out, size_t *count);

#endif
