/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Long walks over a key tree: skipping what --salvage cannot read, and
 * progress on a terminal. */
#ifndef HIVEKIT_CLI_SALVAGE_H
#define HIVEKIT_CLI_SALVAGE_H

#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

/* State of a --salvage walk over one key's subkeys. */
struct cli_salvage {
    const char *hive_path;
    char last[256]; /* the detail of the last failure under this key */
};

/* After a failed read of subkey index below key_path (path_len bytes),
 * the failure's detail still hk_errmsg():
 * prints "hivekit: warning: HIVE: skipped ..." and returns 1 to go on with
 * the next index, or 0 when the failure repeats (the list itself is broken:
 * going on would fail the same way). */
int cli_salvage_skip(struct cli_salvage *sv, const char *key_path, size_t path_len,
                     uint32_t index, hk_status st);

/* Progress of a long walk on stderr: only when stderr is a terminal, so
 * that the output of runs under test stays the same. */
struct cli_progress {
    uint64_t keys;
    int tty;
};
void cli_progress_init(struct cli_progress *p);
void cli_progress_key(struct cli_progress *p);
void cli_progress_done(struct cli_progress *p);

#endif
