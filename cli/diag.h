/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Exit status and diagnostics of the hivekit commands: one line each on
 * stderr, "hivekit: WHAT: MESSAGE". */
#ifndef HIVEKIT_CLI_DIAG_H
#define HIVEKIT_CLI_DIAG_H

#include "hivekit.h"

#if defined(__GNUC__)
#define CLI_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define CLI_PRINTF(f, a)
#endif

enum { CLI_EXIT_OK = 0, CLI_EXIT_NOT_FOUND = 1, CLI_EXIT_ERROR = 2 };

/* reg.exe's message for a missing key or value (exit status 1). */
#define CLI_NOT_FOUND_TEXT "ERROR: The system was unable to find the specified registry key or value."


/* "hivekit: WHAT: MESSAGE". */
CLI_PRINTF(2, 3) void cli_error(const char *what, const char *fmt, ...);

/* "hivekit: CMD: MESSAGE (see 'hivekit help CMD')"; returns CLI_EXIT_ERROR. */
CLI_PRINTF(2, 3) int cli_usage_error(const char *cmd, const char *fmt, ...);

/* Set by the commands that take --salvage: a corrupt hive's error then
 * ends with "try --salvage". */
extern int cli_salvage_hint;

/* Reports a failed library call on an open hive as
 * "hivekit: WHAT: DETAIL (STATUS TEXT)", or "hivekit: WHAT: STATUS TEXT"
 * when the hive holds no detail. Returns CLI_EXIT_ERROR. */
int cli_fail(const hk_hive *hive, const char *what, hk_status st);

/* As cli_fail for a failed edit or save: the library's detail for it (an
 * edit clears the previous one), "DETAIL (STATUS TEXT)", when there is one. */
int cli_fail_edit(const hk_hive *hive, const char *what, hk_status st);

/* Prints reg.exe's not-found line and returns CLI_EXIT_NOT_FOUND. */
int cli_not_found(void);

/* reg.exe's not-found line, then "hivekit: DETAIL" naming what was not
 * found; returns CLI_EXIT_NOT_FOUND. */
CLI_PRINTF(1, 2) int cli_not_found_detail(const char *fmt, ...);

#endif
