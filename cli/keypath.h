/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* KEY operands: resolving a key path below a hive's root and saying
 * what was not found. */
#ifndef HIVEKIT_CLI_KEYPATH_H
#define HIVEKIT_CLI_KEYPATH_H

#include <stddef.h>

#include "buffers.h"

/* As cli_not_found_detail for KEY (as given) missing below a hive's root,
 * with a hint when KEY starts with a predefined root (HKLM\...): keys are
 * relative to the hive's root key. */
int cli_key_not_found(const char *key_arg);

/* The length of the part of path that stands for a hive: a predefined root
 * (long or short name, any case), and for HKLM and HKU the key after it
 * (SOFTWARE, a user's SID); 0 when path does not start with a root.
 * *root gets the root's long name. */
size_t cli_hive_key_len(const char *path, const char **root);

/* KEY as the editing commands take it: a leading '\' dropped. */
const char *cli_key_arg(const char *key);

/* Opens key_arg below the root of hive, one backslash-separated component
 * at a time, split by hk_path_next with HK_PATH_STRICT (reg.exe's rules: a
 * leading and a trailing '\' dropped, an empty component an error; "" or
 * NULL is the root) and writes
 * the path of stored names, relative to the root, to path. On failure
 * prints the diagnostic and returns the exit status; else 0. */
int cli_open_path(hk_hive *hive, const char *key_arg, hk_key **out, struct cli_buf *path);

#endif
