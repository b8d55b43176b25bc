/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Opening a hive file with its transaction logs, and saving it: the
 * options every command takes for them (logs.c) and the stderr lines
 * that say what was done. */
#ifndef HIVEKIT_CLI_OPEN_HIVE_H
#define HIVEKIT_CLI_OPEN_HIVE_H

#include <stddef.h>
#include <stdint.h>

#include "hivekit.h"

/* Opens path, replaying its transaction logs as --no-logs / --log say. On
 * failure prints "hivekit: PATH: REASON" and returns the status. A replayed
 * hive gets one stderr line naming the logs; a dirty one read as it is, a
 * warning. */
hk_status cli_open_hive(const char *path, hk_hive **out);

/* As cli_open_hive with hk_open_options.flags (HK_OPEN_SALVAGE: what the
 * salvage open cut is printed as a warning). */
hk_status cli_open_hive_flags(const char *path, uint32_t flags, hk_hive **out);

/* Opens path for editing (HK_OPEN_WRITE); failures as cli_open_hive. A
 * dirty hive is refused here: it cannot be saved before log replay. */
hk_status cli_open_hive_write(const char *path, hk_hive **out);

/* Writes the edited hive back to the file it came from (atomically).
 * Returns CLI_EXIT_OK, or prints the reason and returns CLI_EXIT_ERROR. */
int cli_save_hive(hk_hive *hive, const char *path);

/* ---- transaction logs (logs.c) ---- */

/* Takes --no-logs and --log FILE (repeatable) out of argv (argv[0] is the
 * command; nothing after "--"), for every command. Returns the new argc, or
 * a negative exit status after a usage error. */
int cli_take_log_options(int argc, char **argv);

/* opts for hk_hive_open: HK_OPEN_OPTIONS_INIT with flags, msg (size bytes)
 * for the reason of a failure, and the log fields (cli_log_options). */
void cli_open_options(hk_open_options *opts, uint32_t flags);

/* Sets opts' log fields from those options (and HK_OPEN_ACCEPT_DIRTY from
 * --accept-dirty, which only the editing commands and recover take). */
void cli_log_options(hk_open_options *opts);

/* The hk_hive_save flags of --break-hardlinks (the commands that write a
 * hive file take it). */
uint32_t cli_save_flags(void);

/* Why a hive is dirty: "sequence 3 != 2, bad checksum". */
void cli_dirty_reason(const hk_hive_info *info, char *why, size_t size);

/* The one stderr line about hive's logs: which were replayed, or a warning
 * for a dirty hive read as it is. Nothing for a clean one. */
void cli_log_report(const char *path, hk_hive *hive, const hk_hive_info *info);

#endif
