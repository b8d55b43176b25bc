/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* hivekit recover HIVE [-o OUT] [--log FILE]... [--force]: a clean copy of a
 * dirty hive, its transaction logs replayed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buffers.h"
#include "commands.h"
#include "diag.h"
#include "open_hive.h"
#include "options.h"

static const char recover_usage[] =
    "usage: hivekit recover HIVE [-o OUT] [--log FILE]... [--force] [--accept-dirty]\n"
    "\n"
    "Replay the transaction logs of the dirty hive HIVE (those beside it, or each\n"
    "--log FILE) as Windows does and write the result to OUT: the same file with\n"
    "both sequence numbers equal and a right checksum. HIVE and its logs are not\n"
    "changed. OUT defaults to HIVE.recovered (a final .gz of HIVE dropped); an\n"
    "existing OUT, HIVE itself included, is replaced only with --force.\n"
    "\n"
    "  -o, --output OUT  where to write the recovered hive\n"
    "  --log FILE        a transaction log to replay (repeatable)\n"
    "  --force           replace OUT if it exists\n"
    "  --accept-dirty    with no log to replay, write the primary as it is, made\n"
    "                    clean (both sequence numbers equal, checksum right)\n";

/* HIVE.recovered, HIVE's final ".gz" dropped: owned, free(). */
static char *default_output(const char *hive)
{
    size_t n = strlen(hive);
    if (n > 3 && strcmp(hive + n - 3, ".gz") == 0)
        n -= 3;
    char *out = malloc(n + sizeof ".recovered");
    if (out) {
        memcpy(out, hive, n);
        memcpy(out + n, ".recovered", sizeof ".recovered");
    }
    return out;
}

/* "NAME.LOG1, NAME.LOG2 (4 log entries, sequence 5)" of the logs replayed. */
static void describe(const char *hive_path, struct cli_buf *b)
{
    hk_open_options opts = HK_OPEN_OPTIONS_INIT;
    opts.flags = HK_OPEN_READONLY;
    cli_log_options(&opts);
    hk_hive *hive;
    hk_hive_info info = HK_HIVE_INFO_INIT;
    if (hk_hive_open(hive_path, &opts, &hive) != HK_ERROR_SUCCESS)
        return;
    if (hk_hive_info_get(hive, &info) == HK_ERROR_SUCCESS) {
        for (uint32_t i = 0; i < info.logs_found; i++) {
            hk_log_info li = HK_LOG_INFO_INIT;
            if (hk_hive_log_info(hive, i, &li) == HK_ERROR_SUCCESS && li.applied) {
                cli_buf_adds(b, b->len ? ", " : " from ");
                cli_buf_adds(b, li.path);
            }
        }
        char tail[96];
        snprintf(tail, sizeof tail, " (%u log entr%s, sequence %u)", info.log_entries,
                 info.log_entries == 1 ? "y" : "ies", info.primary_sequence);
        cli_buf_adds(b, tail);
    }
    hk_hive_close(hive);
}

/* Whether recovering hive took its primary as it is (--accept-dirty, no log
 * replayed). */
static int accepted(const char *hive_path)
{
    hk_open_options opts = HK_OPEN_OPTIONS_INIT;
    cli_log_options(&opts);
    hk_hive *hive;
    hk_hive_info info = HK_HIVE_INFO_INIT;
    if (!(opts.flags & HK_OPEN_ACCEPT_DIRTY) || hk_hive_open(hive_path, &opts, &hive) != HK_ERROR_SUCCESS)
        return 0;
    int yes = hk_hive_info_get(hive, &info) == HK_ERROR_SUCCESS && info.dirty_at_open &&
              !info.logs_replayed;
    hk_hive_close(hive);
    return yes;
}

int cmd_recover(int argc, char **argv)
{
    const char *hive = NULL, *out = NULL;
    int force = 0;
    const struct cli_option options[] = {
        {.s = "o", .l = "output", .name = "--output", .value = &out},
        {.l = "force", .flag = &force},
    };
    int rc = cli_parse_args("recover", recover_usage, options, 2, &hive, 1, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (!hive)
        return cli_usage_error("recover", "missing HIVE");
    char *def = out ? NULL : default_output(hive);
    if (!out && !def) {
        cli_error(NULL, "out of memory");
        return CLI_EXIT_ERROR;
    }
    const char *target = out ? out : def;
    char msg[512] = "";
    hk_open_options opts = HK_OPEN_OPTIONS_INIT;
    opts.flags = HK_OPEN_READONLY;
    cli_log_options(&opts);
    hk_status st = hk_hive_recover(hive, &opts, target,
                                   (force ? HK_SAVE_OVERWRITE : 0) | cli_save_flags());
    snprintf(msg, sizeof msg, "%s", hk_errmsg());
    rc = CLI_EXIT_OK;
    if (st == HK_ERROR_FILE_EXISTS) {
        cli_error(hive, "%s exists; --force replaces it", target);
        rc = CLI_EXIT_ERROR;
    } else if (st == HK_ERROR_FILE_NOT_FOUND && strstr(msg, "no transaction log")) {
        cli_error(hive, "%.*s; --accept-dirty writes the primary as it is",
                  (int)(strstr(msg, " (") ? strstr(msg, " (") - msg : (ptrdiff_t)strlen(msg)), msg);
        rc = CLI_EXIT_ERROR;
    } else if (st != HK_ERROR_SUCCESS) {
        cli_error(hive, "%s", msg[0] ? msg : hk_strerror(st));
        rc = CLI_EXIT_ERROR;
    } else if (accepted(hive)) {
        cli_error(hive, "accepted the dirty primary as it is (no transaction log): written clean "
                  "into %s", target);
    } else {
        struct cli_buf what = {0};
        describe(hive, &what);
        cli_buf_addc(&what, '\0');
        cli_error(hive, "recovered%s into %s", what.p, target);
        cli_buf_free(&what);
    }
    free(def);
    return rc;
}
