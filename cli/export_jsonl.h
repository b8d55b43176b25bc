/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The jsonl serialisation of a key tree, on the public header only: used by
 * hivekit export and by the fuzz and mutation harnesses. */
#ifndef HIVEKIT_CLI_EXPORT_JSONL_H
#define HIVEKIT_CLI_EXPORT_JSONL_H

#include <stddef.h>
#include <stdio.h>

#include "hivekit.h"

/* --salvage: a subkey that cannot be read is skipped with a warning naming
 * hive_path (cli_salvage_skip), and progress goes to a terminal's stderr. */
struct cli_jsonl_salvage {
    const char *hive_path;
    hk_hive *hive;
};

/* Writes key and everything below it to fp, one JSON object per line: the
 * key, its values in stored order, then its subkeys, recursively. rel is the
 * key's path relative to the root (rel_len bytes of UTF-8/WTF-8). Returns the
 * first failed library status; *write_err gets the errno of a failed write
 * (0 if none). salvage NULL: strict, the first failure ends the export. */
hk_status cli_export_jsonl(hk_key *key, const char *rel, size_t rel_len, FILE *fp,
                           const struct cli_jsonl_salvage *salvage, int *write_err);

/* As cli_export_jsonl, keys max_depth levels below key written as their
 * key line only (no values, no subkeys): 1 gives key, its values and its
 * subkeys' lines, as query shows them. */
hk_status cli_export_jsonl_depth(hk_key *key, const char *rel, size_t rel_len, FILE *fp,
                                 const struct cli_jsonl_salvage *salvage, unsigned max_depth,
                                 int *write_err);

#endif
