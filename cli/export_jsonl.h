/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON lines of a key tree (export and query --format jsonl): the library's
 * hk_export with HK_FORMAT_JSONL, written to a FILE, salvage warnings on
 * stderr. */
#ifndef HIVEKIT_CLI_EXPORT_JSONL_H
#define HIVEKIT_CLI_EXPORT_JSONL_H

#include <stddef.h>
#include <stdio.h>

#include "hivekit.h"

/* Writes key and everything below it to fp. rel is the key's path below
 * the root (rel_len bytes; a stored name may hold a NUL). salvage_hive non-NULL: --salvage, a subkey that
 * cannot be read is skipped with a warning naming that hive. max_depth as
 * hk_export_options' (0: all). Returns the library's status; *write_err
 * gets the errno of a failed write (0 if none). */
hk_status cli_export_jsonl(hk_key *key, const char *rel, size_t rel_len, FILE *fp,
                           const char *salvage_hive, unsigned max_depth, int *write_err);

#endif
